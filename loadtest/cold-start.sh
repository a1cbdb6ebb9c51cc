#!/usr/bin/env bash
# Cold start (docs/benchmarks.md, "Start-up, memory and restarts", target 3): starts the server on
# an imported database and reports process start → first answer for the LAST zone loaded, when
# /ready turned 200, the server's own log figures (zones loaded, warm-up), RSS and, after a full
# collection, the live heap. Stops the server at the end. The launcher's class-data-sharing archive
# is written when a server of a newly built jar exits: measure the second run after a build.
#   loadtest/cold-start.sh DB_URL LAST_ZONE [extra serve options...]
#   loadtest/cold-start.sh "jdbc:postgresql://127.0.0.1:5432/membersdns_1m?user=postgres" \
#       user124999.members.example.
# Environment: MEMBERSDNS_JAVA_OPTS (JVM flags; default the launcher's), COLD_PORT (5410; the TLS
# port is COLD_PORT+1 and HTTP COLD_PORT+3853), COLD_LOG (server log, default a temporary file).
set -euo pipefail
url=$1 zone=$2
shift 2
# shellcheck source=loadtest/bench-server.sh
. "$(dirname "$0")/bench-server.sh"
port=${COLD_PORT:-5410}
log=${COLD_LOG:-$(mktemp /tmp/cold-start.XXXXXX.log)}
now_ms() { date +%s%3N; }

t0=$(now_ms)
serve_in_background "$url" "$port" "$log" "$@"

answered="" ready=""
while [ -z "$answered" ] || [ -z "$ready" ]; do
  kill -0 "$pid" 2>/dev/null || { echo "server exited; log: $log" >&2; tail -20 "$log" >&2; exit 1; }
  if [ -z "$answered" ] &&
    dig +tries=1 +time=1 -p "$port" @127.0.0.1 "$zone" SOA 2>/dev/null | grep -q 'status: NOERROR'; then
    answered=$(($(now_ms) - t0))
  fi
  if [ -z "$ready" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "127.0.0.1:$http/ready")" = 200 ]; then
    ready=$(($(now_ms) - t0))
  fi
  sleep 0.05
done
# The launcher execs the JVM: $pid is the server process itself.
rss=$(awk '/VmRSS/ {print int($2 / 1024)}' /proc/"$pid"/status)
live=""
if command -v "$jcmd" >/dev/null; then
  live="$(live_heap_mb "$pid" 2>/dev/null || true) MB"
fi
echo "start -> answering ${answered} ms; /ready 200 at ${ready} ms; RSS ${rss} MB; heap used after a full GC ${live:-?}"
grep -E "loaded [0-9]+ zones|warm-up:" "$log" | sed 's/^/  /'
echo "  log: $log"
