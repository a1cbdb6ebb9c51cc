# Sourced by loadtest/cold-start.sh and loadtest/memory.sh: one benchmark server on loopback.
#   serve_in_background DB_URL PORT LOG [extra serve options...]
# starts bin/membersdns serve (one I/O thread, rate limiting off, a fresh data directory; TLS on
# PORT+1, HTTP on PORT+3853), sets $pid and $http, and stops it and removes the data directory
# when the calling script exits. live_heap_mb PID prints the heap in use after a full collection.
bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jcmd=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd

serve_in_background() {
  local url=$1 port=$2 log=$3
  shift 3
  http=$((port + 3853))
  bench_data=$(mktemp -d /tmp/membersdns-bench.data.XXXXXX)
  "$bench_root/bin/membersdns" serve --db-url "$url" --data-dir "$bench_data" --threads 1 \
    --rrl-rate 0 --listen "127.0.0.1:$port" --tls-listen "127.0.0.1:$((port + 1))" \
    --http-listen "127.0.0.1:$http" "$@" >"$log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$bench_data"' EXIT
}

# The "used" of every generation line of GC.heap_info ("... total N, used MK [...]"), summed.
live_heap_mb() {
  "$jcmd" "$1" GC.run >/dev/null
  "$jcmd" "$1" GC.heap_info |
    awk '/total/ {for (i = 1; i < NF; i++) if ($i == "used") {v = $(i + 1); sub(/K,?$/, "", v); kb += v}}
         END {printf "%d", kb / 1024}'
}
