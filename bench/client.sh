#!/usr/bin/env bash
# Instance client start-up and sync cost, with hyperfine. Baselines measured in the same run:
#   - a plain JVM "hello" with the launcher's flags (the floor of any Java AuthorizedKeysCommand),
#   - curl fetching the same keys from the same broker (what a shell script would pay).
# Then a no-op `sync` with 1,000 users, inside a private mount namespace (needs root).
#   bash bench/client.sh         (needs hyperfine, openssl, unshare: apt-get install hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
source bench/lib.sh
[ -f instance-client/target/keyfleet-client.jar ] || ./mvnw -q -B -ntp -f instance-client/pom.xml -DskipTests package
jar=$PWD/instance-client/target/keyfleet-client.jar

# TLS for the broker on 127.0.0.1, from a throwaway CA.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/ca.key" -out "$work/ca.pem" -days 2 -subj "/CN=bench CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$work/server.key" -out "$work/server.csr" -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$work/san.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
  -extfile "$work/san.ext" -out "$work/server.pem" 2>/dev/null

write_directory "$work/directory.yaml" 1000
start_broker 18080 19000 "$work/directory.yaml" -Dquarkus.http.ssl-port=18443 \
  -Dquarkus.tls.key-store.pem.0.cert="$work/server.pem" -Dquarkus.tls.key-store.pem.0.key="$work/server.key"

# The client as `keyfleet install` sets it up (InstallCommand.buildSharedArchive): launcher flags
# and a static CDS archive of the classes a warm-up run of the login paths loads.
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:disable -XX:DumpLoadedClassList="$work/classlist" \
  -cp "$jar" io.keyfleet.client.Main warm-up
java -XX:+UseSerialGC -Xlog:disable -Xshare:dump -XX:SharedClassListFile="$work/classlist" -XX:SharedArchiveFile="$work/keyfleet.jsa" \
  -cp "$jar" > /dev/null
flags=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss512k -Xlog:disable -Xlog:all=warning:stderr)
printf '#!/bin/sh\nexec java %s -XX:SharedArchiveFile=%s -Xshare:auto -cp %s io.keyfleet.client.Main "$@"\n' \
  "${flags[*]}" "$work/keyfleet.jsa" "$jar" > "$work/keyfleet"
chmod +x "$work/keyfleet"
mkdir -p "$work/hello" && printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' \
  > "$work/hello/Hello.java" && javac -d "$work/hello" "$work/hello/Hello.java"

for mode in live cache; do
  mkdir -p "$work/$mode/cache" "$work/$mode/state"
  for dir in cache state; do # IMDS is read once per boot, by whichever of sync or a login comes first
    printf '%s\n%s\ni-0123456789abcdef0\n' "$doc" "$sig" > "$work/$mode/$dir/identity"
  done
  cat > "$work/$mode/client.conf" <<CONF
broker-url = https://127.0.0.1:18443
ca-bundle = $work/ca.pem
cache-dir = $work/$mode/cache
state-dir = $work/$mode/state
recent-answer-max-age = $([ $mode = cache ] && echo 1d || echo 0s)
CONF
  out=$("$work/keyfleet" --config "$work/$mode/client.conf" authorized-keys user1)
  [ "$out" = "$(cut -d' ' -f1-2 "$work/userkey.pub") $(echo "$out" | cut -d' ' -f3)" ] || { echo "unexpected answer: $out"; exit 1; }
done

hyperfine -N --warmup 3 --runs 40 --export-markdown "$work/start.md" \
  -n 'jvm hello (floor)' "java ${flags[*]} -cp $work/hello Hello" \
  -n 'curl (same keys)' "curl -sf --cacert $work/ca.pem -H X-Keyfleet-Identity-Document:$doc -H X-Keyfleet-Identity-Signature:$sig https://127.0.0.1:18443/v1/users/user1/authorized-keys" \
  -n 'authorized-keys, cached answer' "$work/keyfleet --config $work/cache/client.conf authorized-keys user1" \
  -n 'authorized-keys, live' "$work/keyfleet --config $work/live/client.conf authorized-keys user1" > /dev/null
cat "$work/start.md"

# A no-op sync of 1,000 users needs 1,000 accounts: made by a first sync, in a throwaway /etc and /home.
cat > "$work/sync.sh" <<SYNC
set -euo pipefail
mkdir -p $work/up $work/wd $work/home
mount -t overlay overlay -o lowerdir=/etc,upperdir=$work/up,workdir=$work/wd /etc
mount --bind $work/home /home
printf 'sudoers-file = $work/sudoers.d/keyfleet\n' >> $work/live/client.conf
start=\$(date +%s.%N); $work/keyfleet --config $work/live/client.conf sync --force > $work/first-sync.log 2>&1 || { tail -5 $work/first-sync.log; exit 1; }
first=\$(echo "\$(date +%s.%N) - \$start" | bc)
echo "first sync (creates 1,000 accounts): \$first s"
hyperfine -N --warmup 1 --runs 10 --export-markdown $work/sync.md \
  -n 'jvm hello (floor)' "java ${flags[*]} -cp $work/hello Hello" \
  -n 'no-op sync, 1,000 users' "$work/keyfleet --config $work/live/client.conf sync" > /dev/null
cat $work/sync.md
SYNC
mkdir -p "$work/sudoers.d"
unshare --mount --propagation private bash "$work/sync.sh"
