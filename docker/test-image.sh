#!/usr/bin/env bash
# Builds the broker's JVM image with podman and proves it: on a base image made here (debootstrap
# minbase + Debian's Java 17 runtime, then podman import: no registry is reachable), it runs with a
# read-only root as a non-root user, on loopback against the IAM emulator, must become ready,
# answer a signed /v1 request, and stop cleanly. Everything podman stores lives in a temporary
# directory. Needs root, podman, debootstrap and runc; part of the README's test command.
#   bash docker/test-image.sh           (after ./mvnw verify: needs target/quarkus-app and test classes)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
emulator=
cleanup() {
  [ -n "$emulator" ] && kill "$emulator" 2>/dev/null
  podman_ rm -f keyfleet-image-test >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/containers.conf" <<'CONF'
[containers]
default_ulimits = []
CONF
export CONTAINERS_CONF="$work/containers.conf"
podman_() {
  podman --root "$work/storage" --runroot "$work/run" --storage-driver vfs --runtime runc --cgroup-manager cgroupfs "$@"
}

echo "== base image: debootstrap bookworm minbase + openjdk-17-jre-headless"
debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$work/rootfs" http://deb.debian.org/debian \
  > "$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }
tar -C "$work/rootfs" -c . | podman_ import - localhost/keyfleet-base-jre:bookworm > /dev/null
rm -rf "$work/rootfs"

echo "== build docker/Dockerfile.jvm"
podman_ build --network=host -q -f docker/Dockerfile.jvm --build-arg BASE_IMAGE=localhost/keyfleet-base-jre:bookworm \
  -t localhost/keyfleet-broker:test . > /dev/null

echo "== run against the IAM emulator"
ssh-keygen -q -t ed25519 -N '' -f "$work/alice" -C alice
java -cp target/test-classes io.keyfleet.testing.IamEmulatorMain "$work/iam-endpoint" "$(cat "$work/alice.pub")" &
emulator=$!
for _ in $(seq 1 50); do [ -s "$work/iam-endpoint" ] && break; sleep 0.2; done
mkdir -p "$work/config"
cp dev/demo-signer.pem "$work/config/demo-signer.pem"
cat > "$work/config/application.properties" <<PROPS
quarkus.http.port=18090
quarkus.management.port=19090
quarkus.iam.endpoint-override=$(cat "$work/iam-endpoint")
quarkus.iam.aws.credentials.type=static
quarkus.iam.aws.credentials.static-provider.access-key-id=AKIAIMAGETEST0000001
quarkus.iam.aws.credentials.static-provider.secret-access-key=image-test-secret
keyfleet.identity.extra-certificates."us-east-1"=/deployments/config/demo-signer.pem
keyfleet.policies.demo.accounts=123456789012
keyfleet.policies.demo.groups=developers
PROPS
chmod -R a+rX "$work/config"
podman_ run -d --name keyfleet-image-test --network=host --read-only --tmpfs /tmp:rw,size=64m --user 1001:0 \
  --memory 512m -v "$work/config:/deployments/config:ro" localhost/keyfleet-broker:test > /dev/null

ready=
for _ in $(seq 1 90); do
  if curl -sf localhost:19090/q/health/ready > "$work/ready.json"; then ready=yes; break; fi
  sleep 1
done
[ -n "$ready" ] || { echo "FAIL: not ready"; podman_ logs keyfleet-image-test | tail -30; exit 1; }
echo "ready: $(tr -d ' \n' < "$work/ready.json" | cut -c1-160)"

keys=$(curl -sf -H "X-Keyfleet-Identity-Document: $(base64 -w0 dev/demo-identity.json)" \
  -H "X-Keyfleet-Identity-Signature: $(tr -d '\n' < dev/demo-identity.rsa2048)" \
  localhost:18090/v1/users/alice/authorized-keys)
[ "$(echo "$keys" | cut -d' ' -f1-2)" = "$(cut -d' ' -f1-2 "$work/alice.pub")" ] \
  || { echo "FAIL: unexpected keys: $keys"; exit 1; }
echo "signed request answered with alice's key"
user=$(podman_ exec keyfleet-image-test id -u)
[ "$user" = 1001 ] || { echo "FAIL: runs as uid $user"; exit 1; }

podman_ stop -t 30 keyfleet-image-test > /dev/null
podman_ logs keyfleet-image-test 2>&1 | grep -q "keyfleet-broker stopped in" \
  || { echo "FAIL: no clean stop"; podman_ logs keyfleet-image-test | tail -20; exit 1; }
echo "stopped cleanly; image test passed"
