#!/usr/bin/env bash
# Runs the benchmarks. With no argument, all of them (about 10 minutes); or name one:
#   bash bench/run.sh crawl | heap | identity | api | client | soak
# JVM benchmarks print their figures and keep them in target/bench/; copy them into RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bench() { ./mvnw -B -ntp -Pbench test -Dtest="$1" -Dsurefire.failIfNoSpecifiedTests=false | grep -v '^\[INFO\] Download'; }
case "${1:-all}" in
  crawl) bench CrawlBenchmark ;;
  heap) bench SnapshotHeapBenchmark ;;
  identity) bench IdentityVerificationJmh ;;
  api) bash bench/api-wrk.sh ;;
  client) bash bench/client.sh ;;
  soak) bash bench/soak.sh ;;
  all) bench 'CrawlBenchmark,SnapshotHeapBenchmark,IdentityVerificationJmh'; bash bench/api-wrk.sh; bash bench/client.sh ;;
  *) echo "usage: bench/run.sh [crawl|heap|identity|api|client|soak]" >&2; exit 2 ;;
esac
