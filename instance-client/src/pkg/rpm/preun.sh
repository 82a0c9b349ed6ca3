# On erase ($1 = 0), not upgrade, give sshd its previous configuration back and stop the timer.
if [ "$1" = "0" ]; then
  /usr/bin/keyfleet install --packaged --uninstall || true
fi
exit 0
