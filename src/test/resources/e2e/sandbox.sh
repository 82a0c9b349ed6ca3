#!/usr/bin/env bash
# Runs as root inside `unshare --mount --propagation private`, so nothing here reaches the machine:
# overlays on /etc (useradd & co. rename files there), /usr and /var, scratch /home, /run and /mnt, the client
# jar, its config and an sshd configuration that includes /etc/ssh/sshd_config.d, where
# `keyfleet install` puts its drop-in. Prepared files come from $1; $2 is sshd's port. Stays alive
# (sleep) so the test can enter the namespace with nsenter, install and start sshd; kill it to end.
set -euo pipefail
work=$1
port=$2
mkdir -p "$work/home"
# /usr and /var too, so the .deb can be installed with the real dpkg (its database is under /var).
for dir in etc usr var; do
  mkdir -p "$work/$dir-upper" "$work/$dir-work"
  mount -t overlay overlay -o "lowerdir=/$dir,upperdir=$work/$dir-upper,workdir=$work/$dir-work" "/$dir"
done
mount --bind "$work/home" /home
mount -t tmpfs -o mode=0755 tmpfs /run
# sshd refuses an AuthorizedKeysCommand under a writable or non-root path: a root-owned 0755 tmpfs.
mount -t tmpfs -o mode=0755 tmpfs /mnt
mkdir -p /run/sshd /mnt/dist /mnt/keyfleet /etc/keyfleet
install -m 0644 "$work/keyfleet-client.jar" /mnt/dist/keyfleet-client.jar  # as downloaded; install copies it
install -m 0644 "$work/client.conf" /etc/keyfleet/client.conf
install -m 0644 "$work/ca.pem" /etc/keyfleet/broker-ca.pem

ssh-keygen -q -t ed25519 -N '' -f /mnt/keyfleet/ssh_host_ed25519_key
cat > /mnt/keyfleet/sshd_config <<CONFIG
Include /etc/ssh/sshd_config.d/*.conf
Port $port
ListenAddress 127.0.0.1
HostKey /mnt/keyfleet/ssh_host_ed25519_key
PidFile /mnt/keyfleet/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile none
LogLevel VERBOSE
CONFIG
touch "$work/ready"
exec sleep infinity
