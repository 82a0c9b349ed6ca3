#!/bin/sh
# Keyfleet's launcher. Short-lived JVM tuned for start-up: C1 only, serial GC, no perf data file,
# and the class-data-sharing archive built at install time. JVM warnings go to stderr: stdout is
# sshd's and must carry key lines only.
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss512k \
  -Xlog:disable -Xlog:all=warning:stderr -XX:SharedArchiveFile=${keyfleet.archive} -Xshare:auto \
  -cp ${keyfleet.jar} io.keyfleet.client.Main "$@"
