#!/usr/bin/env bash
# Signed, leased updates against membersdns beside BIND from the same minutes (docs/benchmarks.md,
# "Issue 9: updates ..."): starts membersdns on a fresh import of the harness's data, sends one
# discarded hmac-sha256 run, then per cycle one harness round of BIND (sha256 then md5, 10 s each)
# and right after it one 10 s dnsperf run per algorithm against membersdns. Prints one table row
# per cycle: BIND and membersdns updates/s and their ratio, per algorithm.
#   loadtest/update-cycles.sh DATA_DIR [CYCLES]
#   loadtest/update-cycles.sh /tmp/b80 3        # DATA_DIR as written by the harness's gen_zone.py
# Environment: PEERS (the harness directory, default ../shared/bench/peers).
set -euo pipefail
data=$1 cycles=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
peers=${PEERS:-$root/../shared/bench/peers}
port=5350
work=$(mktemp -d /tmp/update-cycles.XXXXXX)
python3 "$root/loadtest/member-updates.py" "$data/updates.txt" "$work/member-updates.txt"
MEMBERSDNS_BENCH_DB=membersdns_cycles MEMBERSDNS_BENCH_HTTP=9209 \
  "$root/loadtest/ext-membersdns.sh" $port 1 "$data/members.example.zone" "$data/keys.env" \
  >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
until [ "$(curl -s -o /dev/null -w '%{http_code}' 127.0.0.1:9209/ready)" = 200 ]; do
  kill -0 $pid 2>/dev/null || { echo "membersdns exited: $work/server.log" >&2; exit 1; }
  sleep 0.5
done
# shellcheck disable=SC1091
. "$data/keys.env"
ours() { # ALGORITHM NAME SECRET -> updates/s
  dnsperf -s 127.0.0.1 -p $port -u -d "$work/member-updates.txt" -l 10 -T 1 -c 4 -q 32 -t 5 \
    -y "hmac-$1:$2:$3" -E 2:00001c20 | awk '/(Queries|Updates) per second/ {printf "%d", $4}'
}
bind_rate() { # RESULT_DIR ALGORITHM -> BIND's updates/s from the harness's raw dnsperf output
  local f
  f=$(awk -F'\t' -v a="$2" '$1 == "update" && $3 == "bind" && $5 ~ a {print $NF; exit}' "$1/runs.tsv")
  awk '/(Queries|Updates) per second/ {printf "%d", $4}' "$1/$f"
}
ours sha256 "$TSIG_SHA256_NAME" "$TSIG_SHA256_SECRET" >/dev/null # warm-up, discarded
echo "| cycle | load avg | BIND sha256 | membersdns sha256 | ratio | BIND md5 | membersdns md5 | ratio |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|"
for c in $(seq 1 "$cycles"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  DATA=$data "$peers/run.sh" --rounds 1 --threads 1 --servers bind --update-servers bind \
    --phases update --update-duration 10 --out "$work/bind-$c" >"$work/bind-$c.log" 2>&1
  bs=$(bind_rate "$work/bind-$c" sha256)
  bm=$(bind_rate "$work/bind-$c" md5)
  ms=$(ours sha256 "$TSIG_SHA256_NAME" "$TSIG_SHA256_SECRET")
  mm=$(ours md5 "$TSIG_MD5_NAME" "$TSIG_MD5_SECRET")
  printf '| %d | %s | %s | %s | %.2f | %s | %s | %.2f |\n' "$c" "$load" "$bs" "$ms" \
    "$(echo "$ms / ${bs:-1}" | bc -l)" "$bm" "$mm" "$(echo "$mm / ${bm:-1}" | bc -l)"
done
echo "(harness output and the server log: $work)"
