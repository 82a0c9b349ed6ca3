#!/usr/bin/env bash
# Throughput and p99 latency of the broker's hot endpoints, each as a ratio to /q/health/live
# measured in the same run: 64 connections, wrk on loopback, the broker on the same 2 cores.
#   bash bench/api-wrk.sh [seconds-per-endpoint]     (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-20}
work=$(mktemp -d)
source bench/lib.sh
write_directory "$work/directory.yaml" 1000
start_broker 18080 19000 "$work/directory.yaml"
broker=${broker_pids[0]}
etag=$(etag_of 18080)
cat > "$work/headers.lua" <<LUA
wrk.headers["X-Keyfleet-Identity-Document"] = "$doc"
wrk.headers["X-Keyfleet-Identity-Signature"] = "$sig"
wrk.headers["If-None-Match"] = '$etag'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.2f %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(99) / 1000, summary.errors.status, summary.errors.timeout + summary.errors.connect + summary.errors.read + summary.errors.write))
end
LUA

run() { # name url
  wrk -t2 -c64 -d"${duration}s" -s "$work/headers.lua" "$2" > "$work/$1.out"
  read -r _ rps p99 status errors < <(grep '^RESULT' "$work/$1.out")
  echo "$1 $rps $p99 $status $errors"
}
wrk -t2 -c64 -d5s -s "$work/headers.lua" http://127.0.0.1:18080/v1/users/user1/authorized-keys > /dev/null # warm-up
health=$(run health http://127.0.0.1:19000/q/health/live)
keys=$(run authorized-keys http://127.0.0.1:18080/v1/users/user1/authorized-keys)
roster=$(run roster-304 http://127.0.0.1:18080/v1/roster)
read -r _ hrps hp99 _ _ <<<"$health"
printf '%-16s %10s %9s %10s %12s %8s\n' endpoint req/s p99-ms "vs health" "p99 vs h." non-2xx/3xx
for line in "$health" "$keys" "$roster"; do
  read -r name rps p99 status errors <<<"$line"
  printf '%-16s %10.0f %9.2f %9.2fx %11.2fx %8d\n' "$name" "$rps" "$p99" "$(echo "$rps / $hrps" | bc -l)" "$(echo "$p99 / $hp99" | bc -l)" "$((status + errors))"
done
echo "broker RSS after the run: $(awk '/VmRSS/{print $2, $3}' "/proc/$broker/status")"
