#!/usr/bin/env bash
# netns.sh — the agent's test network: home NATs, a public host and a DNS server, built from Linux
# network namespaces (docs/testbed.md explains the topology and the traps it avoids).
#
#   host-a 192.168.1.2 ─ lan ─ nat-a ─ wan 198.18.1.2 ─┐
#   nat-d  192.168.1.10 ┘ (a router behind nat-a)       │
#     host-d 192.168.4.2 ─ lan ─ nat-d                   ├─ inet ─ DNS 198.18.0.53, STUN 198.18.0.3/.4
#   host-b 192.168.2.2 ─ lan ─ nat-b ─ wan 198.18.2.2 ─┤
#   host-c 198.18.3.2 (public address) ────────────────┘
#
# nat-a, nat-b and nat-d masquerade (nftables) and run miniupnpd (NAT-PMP + PCP on UDP 5351).
# Everything is created inside the namespaces; nothing is added to the root namespace.
#
# Usage (as root):
#   netns.sh deps                    install the Debian packages it needs
#   netns.sh setup                   (re)build the whole network; tears down first
#   netns.sh teardown                kill every process in the namespaces and delete them
#   netns.sh exec NODE CMD...        run CMD in NODE (exec: the PID is CMD's)
#   netns.sh move HOST NAT           re-plug HOST's LAN link into NAT's LAN (a Wi-Fi change)
#   netns.sh nat-reboot NAT          restart NAT's miniupnpd empty, flush its conntrack
#   netns.sh db-relay URL            make the PostgreSQL of a jdbc URL reachable at 127.0.0.1:PORT
#                                    inside inet (a socat pair over a Unix socket)
#   netns.sh status                  namespaces, addresses, processes, mappings
#
# Environment: NETNS_PREFIX (default "mdt-", at most 8 chars: interface names derive from it),
# NETNS_STATE (default ./target/netns: configs, logs, pid files).
set -euo pipefail

P=${NETNS_PREFIX:-mdt-}
STATE=${NETNS_STATE:-target/netns}
NODES="inet nat-a nat-b nat-d host-a host-b host-c host-d"
NATS="nat-a nat-b nat-d"

DNS_IP=198.18.0.53
STUN1=198.18.0.3 STUN2=198.18.0.4

log() { printf '[%s] netns: %s\n' "$(date +%T.%3N)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
nsx() { local n=$1; shift; ip netns exec "$P$n" "$@"; }
ns_exists() { [[ -e /run/netns/$P$1 ]]; }
state_abs() { mkdir -p "$STATE"; STATE=$(cd "$STATE" && pwd); }
# A daemon in a namespace. "ip netns exec" execs its command, so $! is the daemon's own PID
# (never background a shell function: that adds a subshell and $! is the wrong process).
start_bg() { local n=$1 name=$2; shift 2
  ip netns exec "$P$n" "$@" >"$STATE/$name.log" 2>&1 &
  echo $! >"$STATE/$name.pid"; }
wait_for() { local what=$1 tries=$2; shift 2
  for ((i = 0; i < tries; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
  log "timeout waiting for $what"; return 1; }

# Per-NAT addresses: wan address, its gateway, lan gateway, lan /24 prefix
nat_wan() { case $1 in nat-a) echo 198.18.1.2;; nat-b) echo 198.18.2.2;; nat-d) echo 192.168.1.10;; esac; }
nat_wan_gw() { case $1 in nat-a) echo 198.18.1.1;; nat-b) echo 198.18.2.1;; nat-d) echo 192.168.1.1;; esac; }
nat_lan() { case $1 in nat-a) echo 192.168.1;; nat-b) echo 192.168.2;; nat-d) echo 192.168.4;; esac; }
# A host's address on a NAT's LAN: fixed per (host, nat) so a move back restores the same address.
host_addr() { local h=$1 n=$2 last
  case $h in host-a) last=2;; host-b) last=2;; host-d) last=2;; *) last=9;; esac
  if [[ $h != "host-${n#nat-}" ]]; then case $h in host-a) last=3;; host-b) last=4;; host-d) last=5;; esac; fi
  echo "$(nat_lan "$n").$last"; }

need() {
  [[ $EUID -eq 0 ]] || die "run as root (ip netns, nft, /dev/net/tun)"
  local missing=()
  for c in ip nft stund miniupnpd wireguard-go wg socat conntrack ping; do
    command -v "$c" >/dev/null || missing+=("$c"); done
  ((${#missing[@]} == 0)) || die "missing: ${missing[*]} (run: $0 deps)"
  [[ -c /dev/net/tun ]] || die "/dev/net/tun missing (wireguard-go needs TUN)"
}

cmd_deps() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    iproute2 nftables conntrack iputils-ping socat natpmpc miniupnpd-nftables stun-server \
    wireguard-go wireguard-tools
}

cmd_teardown() {
  local n pids=""
  for n in $NODES; do ns_exists "$n" && pids+=" $(ip netns pids "$P$n" 2>/dev/null || true)"; done
  [[ -n ${pids// /} ]] && kill $pids 2>/dev/null || true
  for ((i = 0; i < 60; i++)); do # up to 3 s for clean exits (wireguard-go removes its socket)
    pids=""; for n in $NODES; do ns_exists "$n" && pids+=" $(ip netns pids "$P$n" 2>/dev/null || true)"; done
    [[ -z ${pids// /} ]] && break; sleep 0.05
  done
  [[ -n ${pids// /} ]] && kill -9 $pids 2>/dev/null || true
  # the relay of db-relay runs in the root namespace
  [[ -f $STATE/db-relay-root.pid ]] && kill "$(cat "$STATE/db-relay-root.pid")" 2>/dev/null || true
  for n in $NODES; do ns_exists "$n" && ip netns del "$P$n"; rm -rf "/etc/netns/$P$n"; done
  return 0
}

nat_ruleset() { cat <<'NFT'
table inet filter {
  chain forward {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname "lan" oifname "wan" accept
    jump miniupnpd
  }
  chain miniupnpd { }
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    jump prerouting_miniupnpd
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    jump postrouting_miniupnpd
    oifname "wan" masquerade
  }
  chain prerouting_miniupnpd { }
  chain postrouting_miniupnpd { }
}
NFT
}

miniupnpd_conf() { local n=$1; cat <<CONF
ext_ifname=wan
listening_ip=lan
enable_natpmp=yes
enable_upnp=no
ipv6_disable=yes
secure_mode=yes
# the epoch restarts with the daemon, so nat-reboot looks like a router reboot to clients
system_uptime=no
# 198.18.0.0/15 is "reserved" to miniupnpd 2.3.1: without STUN it answers result 3 (network
# failure). STUN against stund in inet tells it the address is usable. nat-d, behind nat-a, has a
# private WAN address and no STUN: it answers result 3 like a home router behind another one.
ext_perform_stun=$([[ $n == nat-d ]] && echo no || echo yes)
ext_stun_host=$STUN1
ext_stun_port=3478
lease_file=$STATE/miniupnpd-$n.leases
uuid=6d647400-0000-4000-8000-0000000000${n: -1}0
min_lifetime=120
max_lifetime=86400
allow 1024-65535 192.168.0.0/16 1024-65535
deny 0-65535 0.0.0.0/0 0-65535
CONF
}

start_miniupnpd() { local n=$1
  # its rules outlive a killed daemon and it re-reads its lease file: start from nothing
  local c; for c in miniupnpd prerouting_miniupnpd postrouting_miniupnpd; do
    nsx "$n" nft flush chain inet filter "$c"; done
  rm -f "$STATE/miniupnpd-$n.leases"
  # the daemon is gone, but its pid file may name a zombie or a recycled pid, and miniupnpd then
  # exits with "MiniUPnPd is already running"
  rm -f "$STATE/miniupnpd-$n.daemon.pid"
  miniupnpd_conf "$n" >"$STATE/miniupnpd-$n.conf"
  start_bg "$n" "miniupnpd-$n" miniupnpd -d -f "$STATE/miniupnpd-$n.conf" -P "$STATE/miniupnpd-$n.daemon.pid"
  wait_for "miniupnpd on $n" 200 grep -q "Listening for NAT-PMP/PCP" "$STATE/miniupnpd-$n.log" ||
    die "miniupnpd on $n did not start: $(tail -3 "$STATE/miniupnpd-$n.log")"
}

veth() { ip link add "$1" netns "$P$2" type veth peer name "$3" netns "$P$4"; }

# plug HOST into NAT's LAN bridge with its fixed address there
plug() { local h=$1 n=$2 addr
  addr=$(host_addr "$h" "$n")
  ip link add eth0 netns "$P$h" type veth peer name "$h" netns "$P$n"
  ip -n "$P$n" link set "$h" master lan up
  ip -n "$P$h" addr add "$addr/24" dev eth0
  ip -n "$P$h" link set eth0 up
  ip -n "$P$h" route add default via "$(nat_lan "$n").1"
}

cmd_setup() {
  need; cmd_teardown; state_abs
  local n t0=$EPOCHREALTIME
  for n in $NODES; do
    ip netns add "$P$n"
    # new namespaces copy the host's IPv4 "all"/"default" settings: set them before any link exists
    nsx "$n" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
    ip -n "$P$n" link set lo up
    # discovery goes through the resolver: "ip netns exec" bind-mounts this over /etc/resolv.conf
    mkdir -p "/etc/netns/$P$n"; echo "nameserver $DNS_IP" >"/etc/netns/$P$n/resolv.conf"
  done
  for n in inet $NATS; do nsx "$n" sysctl -qw net.ipv4.ip_forward=1; done
  for n in host-a host-b host-c host-d; do nsx "$n" sysctl -qw net.ipv4.ip_forward=0; done
  for n in $NATS; do
    # br_netfilter is built in and on by default: bridged LAN frames would meet the forward chain
    nsx "$n" sysctl -qew net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0 \
      net.bridge.bridge-nf-call-arptables=0
    ip -n "$P$n" link add lan type bridge
    ip -n "$P$n" addr add "$(nat_lan "$n").1/24" dev lan
    ip -n "$P$n" link set lan up
  done
  veth wan nat-a nat-a inet
  veth wan nat-b nat-b inet
  veth eth0 host-c host-c inet
  ip -n "${P}inet" addr add 198.18.1.1/24 dev nat-a
  ip -n "${P}inet" addr add 198.18.2.1/24 dev nat-b
  ip -n "${P}inet" addr add 198.18.3.1/24 dev host-c
  for a in $DNS_IP $STUN1 $STUN2; do ip -n "${P}inet" addr add "$a/32" dev lo; done
  ip -n "${P}nat-a" addr add 198.18.1.2/24 dev wan
  ip -n "${P}nat-b" addr add 198.18.2.2/24 dev wan
  ip -n "${P}host-c" addr add 198.18.3.2/24 dev eth0
  # nat-d's WAN is a port of nat-a's LAN: a router behind a router
  ip link add wan netns "${P}nat-d" type veth peer name nat-d netns "${P}nat-a"
  ip -n "${P}nat-a" link set nat-d master lan
  ip -n "${P}nat-d" addr add 192.168.1.10/24 dev wan
  for n in inet nat-a nat-b nat-d host-c; do
    for l in $(ip -n "$P$n" -o link show | awk -F': ' '{split($2, a, "@"); print a[1]}'); do
      ip -n "$P$n" link set "$l" up; done
  done
  for n in $NATS; do ip -n "$P$n" route add default via "$(nat_wan_gw "$n")"; done
  ip -n "${P}host-c" route add default via 198.18.3.1
  plug host-a nat-a; plug host-b nat-b; plug host-d nat-d
  for n in $NATS; do nat_ruleset | nsx "$n" nft -f -; done
  start_bg inet stund stund -h "$STUN1" -a "$STUN2"
  wait_for stund 100 sh -c "ip netns exec ${P}inet ss -Huln | grep -q '$STUN1:3478'" || die "stund did not start"
  for n in $NATS; do start_miniupnpd "$n"; done
  log "setup done in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f", b-a}') s (state $STATE)"
}

cmd_move() { local h=${1:?host} n=${2:?nat}
  ns_exists "$h" && ns_exists "$n" || die "no such node: $h or $n"
  ip -n "$P$h" link del eth0 2>/dev/null || true # also removes the old router's port
  plug "$h" "$n"
  log "$h moved behind $n as $(host_addr "$h" "$n")"
}

cmd_nat_reboot() { local n=${1:?nat} pid
  pid=$(cat "$STATE/miniupnpd-$n.pid")
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  nsx "$n" conntrack -F >/dev/null 2>&1 || true
  start_miniupnpd "$n"
  log "$n rebooted: mappings and conntrack gone, epoch restarted"
}

cmd_db_relay() { local url=${1:?jdbc url} hp host port sock
  hp=$(sed -E 's#^jdbc:postgresql://([^/?]+).*#\1#' <<<"$url")
  host=${hp%:*}; port=${hp##*:}; [[ $hp == *:* ]] || port=5432
  sock=$STATE/db-relay.sock; rm -f "$sock"
  socat "UNIX-LISTEN:$sock,fork,mode=600" "TCP:$host:$port" >"$STATE/db-relay-root.log" 2>&1 &
  echo $! >"$STATE/db-relay-root.pid"
  wait_for "db relay socket" 100 test -S "$sock" || die "db relay did not start"
  start_bg inet db-relay socat "TCP-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$sock"
  wait_for "db relay in inet" 100 sh -c "ip netns exec ${P}inet ss -Htln | grep -q '127.0.0.1:$port'" || die "db relay in inet did not start"
  log "PostgreSQL $host:$port reachable as 127.0.0.1:$port inside ${P}inet"
}

cmd_status() {
  local n
  for n in $NODES; do
    ns_exists "$n" || { echo "$P$n: absent"; continue; }
    echo "$P$n: $(ip -n "$P$n" -br -4 addr | awk '$1 != "lo" {printf "%s %s  ", $1, $3}')pids:$(for p in $(ip netns pids "$P$n"); do printf ' %s(%s)' "$p" "$(cat /proc/$p/comm 2>/dev/null)"; done)"
  done
  for n in $NATS; do ns_exists "$n" && { echo "$n mappings:"; nsx "$n" nft list chain inet filter prerouting_miniupnpd | grep dnat || true; }; done
}

case ${1:-} in
  deps) cmd_deps ;;
  setup) cmd_setup ;;
  teardown) state_abs; cmd_teardown ;;
  exec) shift; n=${1:?node}; shift; exec ip netns exec "$P$n" "$@" ;;
  move) state_abs; cmd_move "${2:-}" "${3:-}" ;;
  nat-reboot) state_abs; cmd_nat_reboot "${2:-}" ;;
  db-relay) state_abs; cmd_db_relay "${2:-}" ;;
  status) state_abs; cmd_status ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
esac
