# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/lib.sh — test hosts on one machine, for tests of the real binaries.
#
#   netns $E2E_APP (the appliance)            netns $E2E_CLI (a test host)
#   ┌──────────────────────────────┐          ┌──────────────────────────┐
#   │ sluice-dp ── net_af_packet ──┼── veth ──┼── $E2E_CLI_IF 192.0.2.1  │
#   │     ⇅ exception path         │          │   ping, arping, scapy,   │
#   │ TAP sluice0 192.0.2.10/24    │          │   socat, python clients  │
#   │ (kernel sockets, sluice-cp)  │          └──────────────────────────┘
#   └──────────────────────────────┘
#
# Addresses come from the documentation range 192.0.2.0/24 and exist only in
# the namespaces made here. Everything made is removed by e2e_cleanup, which
# runs from an EXIT trap, so a failing test cleans up too.
#
# Exit codes of a test: 0 pass, 1 fail, 77 skip (with the reason on stderr).

set -uo pipefail

E2E_SRC=${SLUICE_SOURCE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
E2E_BUILD=${SLUICE_BUILD:-$E2E_SRC/build}
E2E_ID=$(printf '%05d' $(( $$ % 100000 )))
# A test may set E2E_PFX (1-4 lowercase letters) before sourcing this file
# so that its namespaces, interfaces and instance never share a name with
# another suite's concurrent runs (the SIP tests use "sip").
if [ -n "${E2E_PFX:-}" ]; then
  E2E_APP=$E2E_PFX-app-$E2E_ID
  E2E_CLI=$E2E_PFX-cli-$E2E_ID
  E2E_APP_IF=${E2E_PFX}a$E2E_ID
  E2E_CLI_IF=${E2E_PFX}c$E2E_ID
  E2E_INSTANCE=$E2E_PFX$E2E_ID
else
  E2E_APP=sl-app-$E2E_ID
  E2E_CLI=sl-cli-$E2E_ID
  E2E_APP_IF=vsa$E2E_ID        # the appliance's NIC (af_packet binds here)
  E2E_CLI_IF=vsc$E2E_ID
  E2E_INSTANCE=e2e$E2E_ID
fi
E2E_TMP=$(mktemp -d /tmp/sluice-e2e.XXXXXX)
E2E_DP_PID=""
E2E_APP_IP=192.0.2.10
E2E_CLI_IP=192.0.2.1
export SLUICE_RUN_DIR=$E2E_TMP/run
E2E_FAILS=0

# Debian's interpreter, which has Debian's python3-scapy (a python3 earlier
# on PATH, e.g. pyenv's, may not)
E2E_PY=/usr/bin/python3
SLUICE_DP=$E2E_BUILD/dataplane/sluice-dp
SLUICE_CP=$E2E_BUILD/controlplane/sluice-cp
SLUICECTL=$E2E_BUILD/controlplane/sluicectl

e2e_log()  { echo "e2e[$E2E_ID]: $*" >&2; }
e2e_skip() { echo "SKIP: $*" >&2; exit 77; }
e2e_fail() { echo "FAIL: $*" >&2; E2E_FAILS=$((E2E_FAILS + 1)); }
e2e_pass() { echo "ok: $*" >&2; }
e2e_check() {  # description command...
  local what=$1; shift
  if "$@"; then e2e_pass "$what"; else e2e_fail "$what"; fi
}
e2e_done() {
  if [ "$E2E_FAILS" -ne 0 ]; then
    e2e_log "$E2E_FAILS check(s) failed; sluice-dp log:"
    tail -n 40 "$E2E_TMP/dp.log" >&2 2>/dev/null || true
    if [ -s "$E2E_TMP/cp.log" ]; then
      e2e_log "sluice-cp log:"; tail -n 40 "$E2E_TMP/cp.log" >&2
    fi
    local f
    for f in "$E2E_TMP"/*-cp.log; do   # the other appliances' (e2e_appliance_add)
      [ -s "$f" ] && { e2e_log "${f##*/}:"; tail -n 25 "$f" >&2; }
    done
    exit 1
  fi
  exit 0
}

e2e_require_root() {
  [ "$(id -u)" -eq 0 ] || e2e_skip "needs root for network namespaces"
  ip netns add "sl-probe-$E2E_ID" 2>/dev/null || e2e_skip "cannot create network namespaces here"
  ip netns del "sl-probe-$E2E_ID"
  [ -x "$SLUICE_DP" ] || { echo "FAIL: $SLUICE_DP not built" >&2; exit 1; }
}

in_app() { ip netns exec "$E2E_APP" "$@"; }
in_cli() { ip netns exec "$E2E_CLI" "$@"; }

# The two hosts and the wire between them.
e2e_net_up() {
  ip netns add "$E2E_APP"
  ip netns add "$E2E_CLI"
  ip link add "$E2E_APP_IF" type veth peer name "$E2E_CLI_IF"
  ip link set "$E2E_APP_IF" netns "$E2E_APP"
  ip link set "$E2E_CLI_IF" netns "$E2E_CLI"
  in_app ip link set lo up
  in_cli ip link set lo up
  in_app ip link set "$E2E_APP_IF" up
  in_cli ip addr add "$E2E_CLI_IP/24" dev "$E2E_CLI_IF"
  in_cli ip link set "$E2E_CLI_IF" up
  # veth leaves checksums to "hardware" by default; af_packet hands such
  # frames over with partial checksums, so a real NIC's behaviour is asked for
  in_cli ethtool -K "$E2E_CLI_IF" tx off rx off >/dev/null 2>&1 || true
  in_app ethtool -K "$E2E_APP_IF" tx off rx off >/dev/null 2>&1 || true
  in_cli sysctl -qw "net.ipv6.conf.$E2E_CLI_IF.disable_ipv6=1" || true
  in_app sysctl -qw "net.ipv6.conf.$E2E_APP_IF.disable_ipv6=1" || true
  # the kernel's own client sockets use the appliance's ephemeral range
  in_app sysctl -qw net.ipv4.ip_local_port_range="30000 35999" || true
}

# Another appliance beside the lib's (test_sip_zones.sh,
# test_turn_cluster_pair.sh, test_sip_chain.sh): namespace NS gets NIC IF,
# wired by SW_IF to the bridge br0 of switch namespace SW_NS (default: the
# client namespace, which becomes a switch — its bridge keeps 192.0.2.1 —
# the first time). After e2e_net_up; the caller lists NS in E2E_EXTRA_NS
# (e2e_appliance_add does all of that).
e2e_second_appliance_net() {  # NS IF SW_IF [SW_NS]
  local ns=$1 nic=$2 sw=$3 swns=${4:-$E2E_CLI}
  [ "$swns" != "$E2E_CLI" ] || e2e_switch_up
  ip netns add "$ns"
  ip link add "$nic" type veth peer name "$sw"
  ip link set "$nic" netns "$ns"
  ip link set "$sw" netns "$swns"
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" ip link set "$nic" up
  ip netns exec "$ns" ethtool -K "$nic" tx off rx off >/dev/null 2>&1 || true
  ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$nic.disable_ipv6=1" || true
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="30000 35999" || true
  ip netns exec "$swns" ethtool -K "$sw" tx off rx off >/dev/null 2>&1 || true
  ip netns exec "$swns" ip link set "$sw" master br0
  ip netns exec "$swns" ip link set "$sw" up
}

# The client namespace becomes a switch (bridge br0 with $E2E_CLI_IP, the
# lib's appliance on one of its ports); once.
e2e_switch_up() {
  in_cli ip link show br0 >/dev/null 2>&1 && return 0
  in_cli ip addr flush dev "$E2E_CLI_IF"
  in_cli ip link add br0 type bridge
  in_cli ip link set "$E2E_CLI_IF" master br0
  in_cli ip addr add "$E2E_CLI_IP/24" dev br0
  in_cli ip link set br0 up
}

# One more appliance, named VAR (IN, DMZ, …) in the variables it gets:
# E2E_<VAR>_NS, _IF (its NIC), _SW_IF (its switch port: the link a test
# may cut), _INST (its instance), _IP, _GW (its gateway), wired to the
# switch of namespace SW_NS (default the client namespace) and listed for
# cleanup. TAG (1-2 lowercase letters) names its namespace and interfaces.
e2e_appliance_add() {  # VAR TAG IP GATEWAY [SW_NS]
  local v=$1 tag=$2
  printf -v "E2E_${v}_NS" '%s' "$E2E_PFX-$tag-$E2E_ID"
  printf -v "E2E_${v}_IF" '%s' "$E2E_PFX$tag$E2E_ID"
  printf -v "E2E_${v}_SW_IF" '%s' "$E2E_PFX${tag}w$E2E_ID"
  printf -v "E2E_${v}_INST" '%s' "$E2E_PFX$tag$E2E_ID"
  printf -v "E2E_${v}_IP" '%s' "$3"
  printf -v "E2E_${v}_GW" '%s' "$4"
  local ns="E2E_${v}_NS" nic="E2E_${v}_IF" sw="E2E_${v}_SW_IF" inst="E2E_${v}_INST"
  E2E_EXTRA_NS="${E2E_EXTRA_NS:-} ${!ns}"
  E2E_EXTRA_INSTANCES="${E2E_EXTRA_INSTANCES:-} ${!inst}"
  e2e_second_appliance_net "${!ns}" "${!nic}" "${!sw}" "${5:-$E2E_CLI}"
}

# A far network beyond a WAN link (test_sip_chain.sh): router namespace
# E2E_<VAR>_NS with a bridge br0 at E2E_<VAR>_IP (NET.1/24, where a test
# host there runs), joined to the client namespace's switch by a link
# E2E_<VAR>_WAN_IF (its end in the client namespace: the link a test may
# cut), 198.51.100.1 ↔ 198.51.100.2; both ends route and forward. Appliances
# join it with e2e_appliance_add … NET.1 "$E2E_<VAR>_NS".
e2e_far_net_add() {  # VAR TAG NET (e.g. 203.0.113)
  local v=$1 tag=$2 net=$3
  local ns=$E2E_PFX-$tag-$E2E_ID wan=$E2E_PFX${tag}x$E2E_ID far=$E2E_PFX${tag}y$E2E_ID
  printf -v "E2E_${v}_NS" '%s' "$ns"
  printf -v "E2E_${v}_WAN_IF" '%s' "$wan"
  printf -v "E2E_${v}_IP" '%s' "$net.1"
  E2E_EXTRA_NS="${E2E_EXTRA_NS:-} $ns"
  e2e_switch_up
  ip netns add "$ns"
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" ip link add br0 type bridge
  ip netns exec "$ns" ip addr add "$net.1/24" dev br0
  ip netns exec "$ns" ip link set br0 up
  ip link add "$wan" type veth peer name "$far"
  ip link set "$wan" netns "$E2E_CLI"
  ip link set "$far" netns "$ns"
  in_cli ip addr add 198.51.100.1/24 dev "$wan"
  ip netns exec "$ns" ip addr add 198.51.100.2/24 dev "$far"
  in_cli ethtool -K "$wan" tx off rx off >/dev/null 2>&1 || true
  ip netns exec "$ns" ethtool -K "$far" tx off rx off >/dev/null 2>&1 || true
  in_cli ip link set "$wan" up
  ip netns exec "$ns" ip link set "$far" up
  printf -v "E2E_${v}_NET" '%s' "$net"
  e2e_far_net_routes "$v"
  in_cli sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
}
e2e_far_net_routes() {  # VAR
  local ns="E2E_${1}_NS" net="E2E_${1}_NET"
  in_cli ip route replace "${!net}.0/24" via 198.51.100.2
  ip netns exec "${!ns}" ip route replace "${E2E_CLI_IP%.*}.0/24" via 198.51.100.1
}
# The WAN link of a far network cut (down) or restored (up, with the
# routes the kernel dropped when it went down).
e2e_far_net_link() {  # VAR up|down
  local wan="E2E_${1}_WAN_IF"
  in_cli ip link set "${!wan}" "$2" || return 1
  [ "$2" = down ] || e2e_far_net_routes "$1"
}

# Names for namespace NS: `ip netns exec` binds /etc/netns/NS/* over /etc,
# so its processes resolve the given "ADDRESS NAME" lines from hosts, and
# any other name fails at once (resolv.conf points at a loopback with no
# server: no query leaves the namespace). e2e_cleanup removes the files.
e2e_ns_hosts() {  # NS "ADDRESS NAME"...
  local ns=$1 line
  shift
  mkdir -p "/etc/netns/$ns"
  printf '127.0.0.1 localhost\n' > "/etc/netns/$ns/hosts"
  for line in "$@"; do printf '%s\n' "$line" >> "/etc/netns/$ns/hosts"; done
  printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' > "/etc/netns/$ns/resolv.conf"
}

# Two appliances (test_sip_zones.sh, test_sip_calls.sh): the client
# namespace becomes a switch (bridge br0, $E2E_CLI_IP) joining the lib's
# appliance (the "DMZ", $E2E_APP_IP) and a second one, "inside"
# (E2E_IN_*, see e2e_appliance_add; E2E_IN_SW_IF is the link a test may cut).
E2E_IN_IP=192.0.2.20
e2e_two_appliances_net() {
  e2e_net_up
  e2e_appliance_add IN in "$E2E_IN_IP" "$E2E_CLI_IP"
}

# An appliance's config (e2e_appliance_add): small, its NIC, the given
# lines appended; prints the file's name.
e2e_appliance_config() {  # VAR extra-yaml
  local nic="E2E_${1}_IF" ip="E2E_${1}_IP" gw="E2E_${1}_GW" f=$E2E_TMP/${1,,}.yaml
  cat > "$f" <<EOF
profile: small
interfaces:
  - name: external
    device: "net_af_packet0,iface=${!nic}"
    address: ${!ip}/24
    gateway: ${!gw}
turn:
  realm: relay.example
dataplane:
  idle_backoff: true
$2
EOF
  echo "$f"
}
e2e_inside_config() { e2e_appliance_config IN "$1"; }  # extra-yaml

# An appliance's sluice-dp (e2e_appliance_add), logs VAR-dp.log, its pid
# kept for cleanup.
e2e_appliance_dp_start() {  # VAR CONFIG
  local ns="E2E_${1}_NS" inst="E2E_${1}_INST" ip="E2E_${1}_IP" l=${1,,}
  local lib_pid=$E2E_DP_PID
  E2E_DP_NS=${!ns} E2E_DP_INST=${!inst} E2E_DP_IP=${!ip}     E2E_DP_LOG=$E2E_TMP/$l-dp.log e2e_dp_start "$2" || { E2E_DP_PID=$lib_pid; return 1; }
  E2E_EXTRA_PIDS="${E2E_EXTRA_PIDS:-} $E2E_DP_PID"
  E2E_DP_PID=$lib_pid
}

# An appliance's sluice-cp, logs VAR-cp.log; E2E_<VAR>_CP_PID its pid (E2E_CP_PID
# stays the lib appliance's).
e2e_appliance_cp_start() {  # VAR CONFIG
  local ns="E2E_${1}_NS" inst="E2E_${1}_INST" l=${1,,}
  local lib_pid=$E2E_CP_PID
  E2E_DP_NS=${!ns} E2E_DP_INST=${!inst} E2E_CP_LOG=$E2E_TMP/$l-cp.log     e2e_cp_start "$2" || { E2E_CP_PID=$lib_pid; return 1; }
  printf -v "E2E_${1}_CP_PID" '%s' "$E2E_CP_PID"
  E2E_EXTRA_PIDS="${E2E_EXTRA_PIDS:-} $E2E_CP_PID"
  E2E_CP_PID=$lib_pid
}
# SIGTERM to an appliance's sluice-cp, bounded wait; returns its status.
e2e_appliance_cp_stop() {  # VAR
  local pid="E2E_${1}_CP_PID" lib_pid=$E2E_CP_PID rc
  E2E_CP_PID=${!pid}
  e2e_cp_stop; rc=$?
  printf -v "E2E_${1}_CP_PID" '%s' ""
  E2E_CP_PID=$lib_pid
  return $rc
}
e2e_appliance_ctl() {  # VAR sluicectl-args...
  local inst="E2E_${1}_INST"; shift
  "$SLUICECTL" --instance "${!inst}" "$@"
}

# Both appliances' sluice-dp and sluice-cp: DMZ-CONFIG INSIDE-CONFIG.
# Afterwards E2E_CP_PID is the DMZ's sluice-cp, E2E_IN_CP_PID the inside's;
# e2e_in_ctl talks to the inside one.
e2e_two_appliances_start() {
  e2e_appliance_dp_start IN "$2" || return 1
  e2e_dp_start "$1" || return 1
  e2e_cp_start "$1" || return 1
  e2e_appliance_cp_start IN "$2" || return 1
}
e2e_in_ctl() { e2e_appliance_ctl IN "$@"; }

# A config for this test: a shipped profile with the test's NIC and options.
# Usage: e2e_config PROFILE [extra yaml appended under dataplane:]
e2e_config() {
  local profile=${1:-small}
  cat > "$E2E_TMP/sluice.yaml" <<EOF
# generated by tests/e2e/lib.sh for instance $E2E_INSTANCE
profile: $profile
interfaces:
  - name: external
    device: "net_af_packet0,iface=$E2E_APP_IF"
    address: $E2E_APP_IP/24
    gateway: $E2E_CLI_IP
credentials:
  - { username: alice, password: "e2e-secret" }
turn:
  realm: relay.example
dataplane:
  idle_backoff: true       # leave CPU to the clients on a small machine
EOF
  echo "$E2E_TMP/sluice.yaml"
}

e2e_telemetry() {  # COMMAND -> JSON reply on stdout
  echo "$1" | timeout 10 dpdk-telemetry.py -f "sluice-${E2E_DP_INST:-$E2E_INSTANCE}" 2>/dev/null | tail -n 1
}

# e2e_stat PATH  e.g. e2e_stat drops.udp_port_closed  (from /sluice/stats)
e2e_stat() {
  e2e_telemetry /sluice/stats | python3 -c '
import json, sys
v = json.load(sys.stdin)["/sluice/stats"]
for k in sys.argv[1].split("."):
    v = v[k]
print(v)' "$1"
}

# Start sluice-dp in the appliance namespace; wait until telemetry answers.
# A second appliance (test_sip_zones.sh) sets E2E_DP_NS, E2E_DP_INST,
# E2E_DP_IP and E2E_DP_LOG for the call; E2E_DP_PID is then its pid.
e2e_dp_start() {
  local cfg=$1; shift
  local ns=${E2E_DP_NS:-$E2E_APP} inst=${E2E_DP_INST:-$E2E_INSTANCE}
  local ip=${E2E_DP_IP:-$E2E_APP_IP} log=${E2E_DP_LOG:-$E2E_TMP/dp.log}
  # ip netns exec execs sluice-dp: $! is sluice-dp itself, not a subshell
  ip netns exec "$ns" "$SLUICE_DP" --config "$cfg" \
    --instance "$inst" -- --log-level=sluice.dp:info "$@" \
    > "$log" 2>&1 &
  E2E_DP_PID=$!
  local i
  for i in $(seq 1 100); do
    if ! kill -0 "$E2E_DP_PID" 2>/dev/null; then
      e2e_log "sluice-dp exited during start:"; cat "$log" >&2
      E2E_DP_PID=""; return 1
    fi
    if [ -s "$SLUICE_RUN_DIR/$inst/dp.telemetry" ] &&
       e2e_telemetry /sluice/info | grep -q '"instance"'; then
      ip netns exec "$ns" ip -4 addr show dev sluice0 2>/dev/null | grep -q "$ip" && return 0
    fi
    sleep 0.2
  done
  e2e_log "sluice-dp did not come up in 20 s:"; cat "$log" >&2
  return 1
}

# SIGTERM, and wait (bounded) for a clean exit; returns sluice-dp's status.
e2e_dp_stop() {
  [ -n "$E2E_DP_PID" ] || return 0
  local pid=$E2E_DP_PID i rc
  E2E_DP_PID=""
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    e2e_log "sluice-dp ignored SIGTERM for 10 s; killing"
    kill -KILL "$pid"; wait "$pid" 2>/dev/null; return 1
  fi
  wait "$pid"; rc=$?
  return $rc
}

e2e_cleanup() {
  local rc=$?
  set +e   # best effort: a process already gone is not an error here
  [ -n "$E2E_DP_PID" ] && { kill -KILL "$E2E_DP_PID" 2>/dev/null; wait "$E2E_DP_PID" 2>/dev/null; }
  [ -n "${E2E_EXTRA_PIDS:-}" ] && kill $E2E_EXTRA_PIDS 2>/dev/null
  # a second appliance (test_sip_zones.sh): its namespace and instance
  local ns inst
  for ns in ${E2E_EXTRA_NS:-}; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done
  for ns in ${E2E_EXTRA_NS:-} "$E2E_APP" "$E2E_CLI"; do
    rm -rf "/etc/netns/$ns"
  done
  for inst in ${E2E_EXTRA_INSTANCES:-}; do
    rm -rf "/var/run/dpdk/sluice-$inst" "/dev/shm/sluice-$inst"
  done
  ip netns pids "$E2E_APP" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
  ip netns pids "$E2E_CLI" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
  ip netns del "$E2E_APP" 2>/dev/null
  ip netns del "$E2E_CLI" 2>/dev/null
  # E2E_KEEP=DIR keeps the logs and traces of a run for debugging
  [ -n "${E2E_KEEP:-}" ] && cp -a "$E2E_TMP/." "$E2E_KEEP/" 2>/dev/null
  # a dataplane killed above leaves its shared-memory object behind
  rm -rf "/var/run/dpdk/sluice-$E2E_INSTANCE" "/dev/shm/sluice-$E2E_INSTANCE" "$E2E_TMP"
  exit $rc
}
trap e2e_cleanup EXIT

# ---- sluice-cp beside sluice-dp ----------------------------------------------
E2E_CP_PID=""

# e2e_wait_for SECONDS COMMAND...: poll every 0.1 s, bounded.
e2e_wait_for() {
  local tries=$(( $1 * 10 ))
  shift
  while [ "$tries" -gt 0 ]; do
    "$@" && return 0
    sleep 0.1
    tries=$(( tries - 1 ))
  done
  return 1
}

# e2e_json JSON PYTHON-EXPRESSION: true when the expression over j holds.
e2e_json() {
  "$E2E_PY" -c 'import json,sys; j=json.loads(sys.argv[1]); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" 2>/dev/null
}

e2e_ctl() { "$SLUICECTL" --instance "$E2E_INSTANCE" "$@"; }

# Start sluice-cp in the foreground in the appliance namespace (log appended
# to $E2E_TMP/cp.log); wait until it answers on cp.sock with its own pid.
# (A second appliance: E2E_DP_NS, E2E_DP_INST and E2E_CP_LOG as above.)
e2e_cp_start() {
  local cfg=$1 i
  local ns=${E2E_DP_NS:-$E2E_APP} inst=${E2E_DP_INST:-$E2E_INSTANCE}
  local log=${E2E_CP_LOG:-$E2E_TMP/cp.log}
  ip netns exec "$ns" "$SLUICE_CP" --config "$cfg" --instance "$inst" \
    --foreground >> "$log" 2>&1 &
  E2E_CP_PID=$!
  for i in $(seq 1 100); do
    if ! kill -0 "$E2E_CP_PID" 2>/dev/null; then
      e2e_log "sluice-cp exited during start:"; cat "$log" >&2
      E2E_CP_PID=""; return 1
    fi
    e2e_json "$("$SLUICECTL" --instance "$inst" --json status 2>/dev/null)" "j['cp'] and j['cp']['pid'] == $E2E_CP_PID" && return 0
    sleep 0.1
  done
  e2e_log "sluice-cp did not answer in 10 s"; return 1
}

# The running sluice-cp is attached to the dataplane and reconciled.
e2e_cp_ready() {
  [ -n "$E2E_CP_PID" ] &&
    e2e_json "$(e2e_ctl --json status 2>/dev/null)" \
      "j['cp'] and j['cp']['pid'] == $E2E_CP_PID and j['cp']['dataplane']['phase'] == 'ready'"
}

e2e_cp_kill() {  # SIGKILL: what a crash looks like
  [ -n "$E2E_CP_PID" ] || return 0
  kill -KILL "$E2E_CP_PID" 2>/dev/null; wait "$E2E_CP_PID" 2>/dev/null
  E2E_CP_PID=""
}

e2e_cp_stop() {  # SIGTERM, bounded wait; returns sluice-cp's status
  [ -n "$E2E_CP_PID" ] || return 0
  local pid=$E2E_CP_PID i
  E2E_CP_PID=""
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid"; wait "$pid" 2>/dev/null; return 1; }
  wait "$pid"
}
