#!/usr/bin/env bash
# Soak: 64 concurrent clients against one broker for a bounded time (default 180 s), loopback
# only: 90% roster polls (If-None-Match, so mostly 304) and 10% key look-ups for 1,000 users. It
# samples the broker's RSS and heap every 15 s and fails on any error or lost request. Then a
# second replica with the same configuration must serve byte-identical rosters.
#   bash bench/soak.sh [seconds]      (needs wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-180}
work=$(mktemp -d)
source bench/lib.sh
write_directory "$work/directory.yaml" 1000
start_broker 18080 19000 "$work/directory.yaml" -Xmx256m -Dkeyfleet.directory.refresh-interval=30s
broker=${broker_pids[0]}
h=(-H "X-Keyfleet-Identity-Document: $doc" -H "X-Keyfleet-Identity-Signature: $sig")
etag=$(etag_of 18080)
cat > "$work/mix.lua" <<LUA
local n = 0
request = function()
  n = n + 1
  local headers = { ["X-Keyfleet-Identity-Document"] = "$doc", ["X-Keyfleet-Identity-Signature"] = "$sig" }
  if n % 10 == 0 then
    return wrk.format("GET", "/v1/users/user" .. (n % 1000 + 1) .. "/authorized-keys", headers)
  end
  headers["If-None-Match"] = '$etag'
  return wrk.format("GET", "/v1/roster", headers)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d non2xx3xx=%d rps=%.0f p99ms=%.2f\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000))
end
LUA

sample() { # seconds-since-start
  local rss heap
  rss=$(awk '/VmRSS/{print $2}' "/proc/$broker/status")
  heap=$(curl -s localhost:19000/q/metrics | awk 'index($0, "jvm_memory_used_bytes{area=\"heap\"") == 1 {s += $NF} END {printf "%.0f", s / 1048576}')
  old=$(curl -s localhost:19000/q/metrics | awk 'index($0, "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"}") == 1 {printf "%.0f", $NF / 1048576}')
  echo "t=${1}s rss=$((rss / 1024))MiB heap-used=${heap}MiB old-gen=${old}MiB"
}
sample 0
wrk -t2 -c64 -d"${duration}s" -s "$work/mix.lua" http://127.0.0.1:18080 > "$work/wrk.out" &
wrk_pid=$!
elapsed=0
while kill -0 $wrk_pid 2>/dev/null; do sleep 15; elapsed=$((elapsed + 15)); kill -0 $wrk_pid 2>/dev/null && sample $elapsed; done
wait $wrk_pid
sample end
result=$(grep '^RESULT' "$work/wrk.out")
echo "$result"
# Every request the broker answered on the API port (304s are tagged uri="REDIRECTION", so count them all).
served=$(curl -s localhost:19000/q/metrics | awk 'index($0, "http_server_requests_seconds_count{") == 1 {s += $NF} END {printf "%.0f", s}')
sent=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$result")
echo "requests completed by wrk: $sent; requests the broker answered: $served (plus the 1 priming request and the sampler's calls)"
grep -q 'errors=0 non2xx3xx=0' <<<"$result" || { echo "FAIL: errors during the soak"; exit 1; }

start_broker 18081 19001 "$work/directory.yaml" -Xmx256m -Dkeyfleet.directory.refresh-interval=30s
a=$(curl -sf "${h[@]}" localhost:18080/v1/roster | sha256sum)
b=$(curl -sf "${h[@]}" localhost:18081/v1/roster | sha256sum)
ea=$(etag_of 18080)
eb=$(etag_of 18081)
[ "$a" = "$b" ] && [ "$ea" = "$eb" ] && echo "two replicas: identical rosters (sha256 ${a%% *}), identical ETag $ea" \
  || { echo "FAIL: replicas disagree: $ea vs $eb"; exit 1; }
