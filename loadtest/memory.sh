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
root=$(cd "$(dirname "$0")/.." && pwd)
port=${MEM_PORT:-5420}
http=$((port + 3853))
log=$(mktemp /tmp/memory.XXXXXX.log)
data=$(mktemp -d /tmp/memory.data.XXXXXX)
jcmd=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd

# NMT on top of whatever flags the launcher picks: the launcher reads JDK_JAVA_OPTIONS-free flags,
# so pass it through JAVA_TOOL_OPTIONS (the JVM reads that in addition to the command line).
JAVA_TOOL_OPTIONS="-XX:NativeMemoryTracking=summary" \
  "$root/bin/membersdns" serve --db-url "$url" --data-dir "$data" --threads 1 --rrl-rate 0 \
  --listen "127.0.0.1:$port" --tls-listen "127.0.0.1:$((port + 1))" \
  --http-listen "127.0.0.1:$http" "$@" >"$log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
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
"$jcmd" "$pid" GC.run >/dev/null
"$jcmd" "$pid" GC.heap_info |
  awk '/total/ {for (i = 1; i < NF; i++) if ($i == "used") {v = $(i + 1); sub(/K,?$/, "", v); kb += v}}
       END {printf "live heap after a full collection: %d MB\n", kb / 1024}'
echo "RSS after the full collection: $(rss) MB; log: $log"
