#!/usr/bin/env bash
# The --ext-cmd target for ../shared/bench/peers/run.sh: imports the harness's members.example
# master file into a fresh PostgreSQL database (one zone per member, as membersdns serves it)
# and runs the server in the foreground on 127.0.0.1:PORT.
#   run.sh --ext membersdns:5310 --ext-cmd "$PWD/loadtest/ext-membersdns.sh {PORT} {THREADS} {ZONEFILE} {KEYS}"
# Environment: MEMBERSDNS_BENCH_PG (psql connection options, default "-h 127.0.0.1 -U postgres"),
# MEMBERSDNS_BENCH_DB (database name, default membersdns_bench), MEMBERSDNS_JAVA_OPTS (JVM flags),
# MEMBERSDNS_BENCH_RRL_RATE (--rrl-rate, default 0: response rate limiting off, as the peers run;
# dnsperf sends everything from one address, docs/benchmarks.md).
set -euo pipefail
PORT=$1 THREADS=$2 ZONEFILE=$3 KEYS=$4
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(dirname "$ZONEFILE")
pg=${MEMBERSDNS_BENCH_PG:--h 127.0.0.1 -U postgres}
db=${MEMBERSDNS_BENCH_DB:-membersdns_bench}
url="jdbc:postgresql://127.0.0.1:5432/$db?user=postgres"

# shellcheck disable=SC2086
psql $pg -q -d postgres -c "drop database if exists $db with (force)" -c "create database $db"
"$root/bin/membersdns" import --db-url "$url" --keys-file "$dir/member-keys" "$ZONEFILE" >&2
# The harness's TSIG keys (keys.env), granted on every member zone, for the update phases.
# shellcheck disable=SC1090
. "$KEYS"
for k in "sha256 $TSIG_SHA256_NAME $TSIG_SHA256_SECRET" "md5 $TSIG_MD5_NAME $TSIG_MD5_SECRET"; do
  set -- $k
  printf '%s\n' "$3" > "$dir/$2.secret"
  "$root/bin/membersdns" key add "$2" --grant members --algorithm "hmac-$1" \
    --secret-file "$dir/$2.secret" --db-url "$url" >/dev/null
done
export MEMBERSDNS_JAVA_OPTS="${MEMBERSDNS_JAVA_OPTS:--Xmx1g -XX:+UseParallelGC}"
exec "$root/bin/membersdns" serve --db-url "$url" --data-dir "$dir/data" \
  --listen "127.0.0.1:$PORT" --tls-listen "127.0.0.1:$((PORT + 1))" --http-listen "127.0.0.1:${MEMBERSDNS_BENCH_HTTP:-9163}" \
  --threads "$THREADS" --rrl-rate "${MEMBERSDNS_BENCH_RRL_RATE:-0}"
