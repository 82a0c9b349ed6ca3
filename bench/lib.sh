# Shared by the bench scripts (source it after `cd` to the repository root, with $work set):
# a file directory of N users and a broker serving it on loopback with the dev demo signer.

# The demo identity document and signature, as an instance would send them.
doc=$(base64 -w0 dev/demo-identity.json)
sig=$(tr -d '\n' < dev/demo-identity.rsa2048)
broker_pids=()
trap 'kill "${broker_pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B -ntp -DskipTests package

# write_directory FILE USERS: user1..userN in developers (every tenth also in admins), one ed25519 key each.
write_directory() {
  ssh-keygen -q -t ed25519 -N '' -f "$work/userkey" -C bench
  { echo "users:"; for i in $(seq 1 "$2"); do
      printf '  - name: user%d\n    groups: [developers%s]\n    keys:\n      - body: %s\n' \
        "$i" "$([ $((i % 10)) = 0 ] && echo ', admins')" "$(cat "$work/userkey.pub")"; done; } > "$1"
}

# start_broker PORT MANAGEMENT_PORT DIRECTORY [-Dmore=options…]: returns once it is ready.
start_broker() {
  local port=$1 management=$2 directory=$3
  shift 3
  java -Xmx512m -Dquarkus.http.port="$port" -Dquarkus.management.port="$management" \
    -Dquarkus.log.category.\"keyfleet.audit\".level=WARN \
    -Dkeyfleet.directory.source=file -Dkeyfleet.directory.file="$directory" \
    -Dkeyfleet.identity.extra-certificates.\"us-east-1\"=dev/demo-signer.pem \
    -Dkeyfleet.policies.bench.accounts=123456789012 -Dkeyfleet.policies.bench.groups=developers \
    -Dkeyfleet.policies.bench.sudo-groups=admins -Dkeyfleet.policies.bench.local-groups=adm \
    "$@" -jar target/quarkus-app/quarkus-run.jar > "$work/broker-$port.log" 2>&1 &
  broker_pids+=($!)
  # With a default TLS key store the management interface serves HTTPS too.
  for _ in $(seq 1 60); do
    curl -sf "http://localhost:$management/q/health/ready" >/dev/null && return
    curl -sfk "https://localhost:$management/q/health/ready" >/dev/null && return
    sleep 1
  done
  cat "$work/broker-$port.log"
  exit 1
}

# etag_of PORT: the roster's ETag for the demo instance.
etag_of() {
  curl -sf -D - -o /dev/null -H "X-Keyfleet-Identity-Document: $doc" -H "X-Keyfleet-Identity-Signature: $sig" \
    "localhost:$1/v1/roster" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}'
}
