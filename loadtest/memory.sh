#!/usr/bin/env bash
# Memory after a query run (docs/benchmarks.md, "Start-up, memory and restarts", target 2): starts
# the server on an imported database with the launcher's JVM flags plus native memory tracking,
# sends the query file with dnsperf for a while, then prints RSS, where the JVM's memory went
# (jcmd VM.native_memory, committed MB per category) and the live heap after a full collection.
#   loadtest/memory.sh DB_URL QUERY_FILE [SECONDS [QPS]] [-- extra serve options...]
#   loadtest/memory.sh "jdbc:postgresql://127.0.0.1:5432/membersdns_80k?user=postgres" data/queries.txt 20
# Environment: MEMBERSDNS_JAVA_OPTS replaces the launcher's flags (NMT is added either way),
# MEM_PORT (5420; TLS +1, HTTP +3853).
set -euo pipefail
url=$1 queries=$2 seconds=${3:-20} qps=${4:-20000}
shift $(($# < 4 ? $# : 4))
[ "${1:-}" = -- ] && shift
# shellcheck source=loadtest/bench-server.sh
. "$(dirname "$0")/bench-server.sh"
port=${MEM_PORT:-5420}
log=$(mktemp /tmp/memory.XXXXXX.log)

# Native memory tracking on top of whatever flags the launcher picks: the JVM reads
# JAVA_TOOL_OPTIONS in addition to its command line.
JAVA_TOOL_OPTIONS="-XX:NativeMemoryTracking=summary" serve_in_background "$url" "$port" "$log" "$@"
until [ "$(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$http/ready")" = 200 ]; do
  kill -0 "$pid" 2>/dev/null || { echo "server exited; log: $log" >&2; exit 1; }
  sleep 0.2
done
dnsperf -s 127.0.0.1 -p "$port" -d "$queries" -l "$seconds" -Q "$qps" -c 1 -T 1 |
  grep -E "Queries (sent|completed)|Queries per second"
rss() { awk '/VmRSS/ {print int($2 / 1024)}' /proc/"$pid"/status; }
echo "RSS after the run: $(rss) MB ($(awk '/^(Rss|Anonymous|Pss_File):/ {printf "%s %d MB  ", $1, $2 / 1024}' /proc/"$pid"/smaps_rollup))"
"$jcmd" "$pid" VM.native_memory summary scale=MB |
  awk '/^-/ {name = $2 " " $3; gsub(/[()]/, "", name)}
       /committed=/ && name != "" {match($0, /committed=[0-9]+MB/);
         if (RSTART) {print "  " name ": " substr($0, RSTART + 10, RLENGTH - 10)}; name = ""}' |
  cat
echo "live heap after a full collection: $(live_heap_mb "$pid") MB"
echo "RSS after the full collection: $(rss) MB; log: $log"
