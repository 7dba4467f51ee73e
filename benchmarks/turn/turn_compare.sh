#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# benchmarks/turn/turn_compare.sh — the same offered TURN load from coturn's
# own client, turnutils_uclient, against coturn and against Sluice, in one
# run; writes JSON for the sizing report (scripts/bench.sh).
#
#   coturn:  netns sl-tc-ID, loopback only
#            turnserver (UDP 3478, long-term credentials, relay 24000-29999)
#            turnutils_peer (UDP echo on 127.0.0.1:3480)
#            turnutils_uclient -m CLIENTS -n MSGS -z MS -l LEN -c ...
#            CPU: turnserver's utime+stime (/proc/PID/stat) over the run
#   Sluice:  netns sl-ta-ID (sluice-dp, net_af_packet on a veth end, and
#            sluice-cp beside it: it pushes the config's credentials: list
#            into the dataplane; turn.allowed_peers lets the documentation-
#            range peer 192.0.2.2 through)
#            netns sl-tu-ID (turnutils_peer 192.0.2.2:3480 and the same
#            turnutils_uclient against 192.0.2.10)
#            cost: sluice-dp's busy TSC cycles per relayed packet, from its
#            telemetry (/sluice/stats) over the run
#
# Per relayed packet: every message the client sends is relayed to the
# peer and every echo it receives was relayed back, so a loss-free run
# relays tot_send_msgs + tot_recv_msgs packets (a lost one is counted as
# relayed once: the figure per packet errs low, never high).
# Loss is uclient's own "Total lost packets" line.
#
# A side that cannot do the run is written as not measured, with the reason
# (for Sluice: the TURN drop counters that moved, e.g. turn_no_allocation
# when the Allocates failed, turn_no_permission for a peer the policy
# refused). Nothing is estimated.
#
# Usage: turn_compare.sh OUT.json CLIENTS MSGS INTERVAL_MS LENGTH
set -uo pipefail
out=${1:?out.json}
clients=${2:-100}
msgs=${3:-1000}
interval=${4:-5}
length=${5:-172}

SRC=${SLUICE_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${SLUICE_BUILD:-$SRC/build}
PY=/usr/bin/python3
ID=$(printf '%05d' $(( $$ % 100000 )))
NS_C=sl-tc-$ID        # coturn on loopback
NS_A=sl-ta-$ID        # sluice-dp
NS_U=sl-tu-$ID        # uclient and peer for Sluice
IF_A=vta$ID
IF_U=vtu$ID
INST=turn$ID
TMP=$(mktemp -d /tmp/sluice-turn.XXXXXX)
export SLUICE_RUN_DIR=$TMP/run
PIDS=""
DP_PID=""
NICE=${SB_NICE:-0}
UC_TIMEOUT=$(( msgs * interval / 1000 + 60 ))

log() { echo "turn_compare: $*" >&2; }
# a prefix, not a function: "$!" must be the server's own pid
NICE_CMD=()
[ "$NICE" != 0 ] && NICE_CMD=(nice -n "$NICE")

cleanup() {
  local rc=$? p
  set +e
  for p in $PIDS $DP_PID; do kill -TERM "$p" 2>/dev/null; done
  sleep 0.5
  for p in $PIDS $DP_PID; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  for ns in $NS_C $NS_A $NS_U; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done
  rm -rf "/var/run/dpdk/sluice-$INST" "/dev/shm/sluice-$INST" "$TMP"
  exit $rc
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || { log "needs root"; exit 77; }
for t in turnserver turnutils_uclient turnutils_peer; do
  command -v "$t" >/dev/null || { log "$t missing (apt-get install coturn)"; exit 77; }
done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# uclient's summary lines as JSON fields
uclient_json() {
  "$PY" - "$1" <<'PY'
import json, re, sys
t = open(sys.argv[1], errors="replace").read()
def last(rx, cast=float):
    m = re.findall(rx, t)
    return cast(m[-1]) if m else None
r = {}
m = re.findall(r"start_mclient: tot_send_msgs=(\d+), tot_recv_msgs=(\d+)", t)
r["tot_send_msgs"] = int(m[-1][0]) if m else None
r["tot_recv_msgs"] = int(m[-1][1]) if m else None
m = re.findall(r"Total lost packets (\d+) \(([\d.]+)%\)", t)
r["lost"] = int(m[-1][0]) if m else None
r["lost_percent"] = float(m[-1][1]) if m else None
r["rtt_ms"] = last(r"Average round trip delay ([\d.]+) ms")
r["jitter_ms"] = last(r"Average jitter ([\d.]+) ms")
r["transmit_s"] = last(r"Total transmit time is (\d+)")
r["completed"] = r["lost"] is not None
print(json.dumps(r))
PY
}

UC_ARGS=(-u bench -w bench-secret -p 3478 -r 3480 -m "$clients" -n "$msgs" -z "$interval" -l "$length" -c)

# --- coturn ---------------------------------------------------------------
coturn_run() {
  local tpid t0 t1 w0 w1 hz
  ip netns add "$NS_C" && ip netns exec "$NS_C" ip link set lo up || return 1
  "${NICE_CMD[@]}" ip netns exec "$NS_C" turnserver -n --listening-ip 127.0.0.1 --relay-ip 127.0.0.1 \
    --listening-port 3478 --min-port 24000 --max-port 29999 --realm relay.example \
    --user bench:bench-secret --lt-cred-mech --no-tls --no-dtls --no-tcp --no-cli \
    --allow-loopback-peers --no-stdout-log --log-file "$TMP/turnserver.log" --simple-log \
    > "$TMP/turnserver.out" 2>&1 &
  tpid=$!; PIDS="$PIDS $tpid"
  "${NICE_CMD[@]}" ip netns exec "$NS_C" turnutils_peer -L 127.0.0.1 -p 3480 > "$TMP/peer-c.out" 2>&1 &
  PIDS="$PIDS $!"
  sleep 1
  kill -0 "$tpid" 2>/dev/null || { log "turnserver did not start"; cat "$TMP/turnserver.out" >&2; return 1; }
  hz=$(getconf CLK_TCK)
  t0=$(ticks "$tpid"); w0=$(date +%s.%N)
  "${NICE_CMD[@]}" ip netns exec "$NS_C" timeout "$UC_TIMEOUT" turnutils_uclient "${UC_ARGS[@]}" -e 127.0.0.1 127.0.0.1 \
    > "$TMP/uclient-coturn.out" 2>&1
  t1=$(ticks "$tpid"); w1=$(date +%s.%N)
  "$PY" - "$(uclient_json "$TMP/uclient-coturn.out")" "$t0" "$t1" "$hz" "$w0" "$w1" \
    "$(turnserver --version 2>/dev/null | head -1)" "$(nproc)" > "$TMP/coturn.json" <<'PY'
import json, sys
u = json.loads(sys.argv[1])
t0, t1, hz = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
w = float(sys.argv[6]) - float(sys.argv[5])
cpu_s = (t1 - t0) / hz
r = {"server": "coturn", "version": sys.argv[7], "uclient": u,
     "cpu_seconds": cpu_s, "wall_seconds": w, "clk_tck": hz,
     "relay_threads": "default (one per CPU: %s)" % sys.argv[8]}
if u["completed"] and u["tot_send_msgs"]:
    relayed = u["tot_send_msgs"] + u["tot_recv_msgs"]
    r["relayed_pkts"] = relayed
    r["us_per_relayed_pkt"] = cpu_s * 1e6 / relayed
    r["measured"] = True
else:
    r["measured"] = False
    r["reason"] = "turnutils_uclient did not complete against coturn"
print(json.dumps(r))
PY
}

# --- Sluice ---------------------------------------------------------------
sluice_stats() {  # prints the /sluice/stats JSON object
  echo /sluice/stats | timeout 10 dpdk-telemetry.py -f "sluice-$INST" 2>/dev/null | tail -n 1
}

sluice_run() {
  local cfg=$TMP/sluice.yaml s0 s1 w0 w1
  ip netns add "$NS_A" && ip netns add "$NS_U" || return 1
  ip link add "$IF_A" type veth peer name "$IF_U" || return 1
  ip link set "$IF_A" netns "$NS_A"; ip link set "$IF_U" netns "$NS_U"
  ip netns exec "$NS_A" ip link set lo up
  ip netns exec "$NS_U" ip link set lo up
  ip netns exec "$NS_A" ip link set "$IF_A" up
  ip netns exec "$NS_U" ip addr add 192.0.2.1/24 dev "$IF_U"
  ip netns exec "$NS_U" ip addr add 192.0.2.2/24 dev "$IF_U"
  ip netns exec "$NS_U" ip link set "$IF_U" up
  ip netns exec "$NS_U" ethtool -K "$IF_U" tx off rx off >/dev/null 2>&1
  ip netns exec "$NS_A" ethtool -K "$IF_A" tx off rx off >/dev/null 2>&1
  # every uclient client authenticates as one user: its quota (10 by
  # default, 486 beyond) must hold them all; with -c a client makes two
  # allocations (an EVEN-PORT probe and its relay), at most Small's 1800
  local per_user=$(( 2 * clients + 2 ))
  [ "$per_user" -le 1800 ] || per_user=1800
  cat > "$cfg" <<EOF
profile: small
interfaces:
  - name: external
    device: "net_af_packet0,iface=$IF_A"
    address: 192.0.2.10/24
    kernel_iface: sltk$ID
credentials:
  - { username: bench, password: "bench-secret" }
turn:
  realm: relay.example
  allowed_peers: [192.0.2.0/24]
  allocations_per_user: $per_user
EOF
  "${NICE_CMD[@]}" ip netns exec "$NS_A" "$BUILD/dataplane/sluice-dp" --config "$cfg" --instance "$INST" \
    -- --lcores="0@0,1@$(( 1 % $(nproc) ))" > "$TMP/dp.log" 2>&1 &
  DP_PID=$!
  for _ in $(seq 1 100); do
    grep -q "running" "$TMP/dp.log" 2>/dev/null && break
    kill -0 "$DP_PID" 2>/dev/null || { log "sluice-dp exited:"; cat "$TMP/dp.log" >&2; return 1; }
    sleep 0.2
  done
  # sluice-cp: the credentials reach the dataplane only through it
  ip netns exec "$NS_A" "$BUILD/controlplane/sluice-cp" --config "$cfg" --instance "$INST" \
    --foreground > "$TMP/cp.log" 2>&1 &
  CP_PID=$!; PIDS="$PIDS $CP_PID"
  for _ in $(seq 1 100); do
    kill -0 "$CP_PID" 2>/dev/null || { log "sluice-cp exited:"; cat "$TMP/cp.log" >&2; return 1; }
    "$BUILD/controlplane/sluicectl" --instance "$INST" --json status 2>/dev/null |
      "$PY" -c 'import json,sys; j=json.load(sys.stdin); sys.exit(0 if j["cp"] and j["cp"]["dataplane"]["phase"] == "ready" else 1)' \
      2>/dev/null && break
    sleep 0.1
  done
  "${NICE_CMD[@]}" ip netns exec "$NS_U" turnutils_peer -L 192.0.2.2 -p 3480 > "$TMP/peer-s.out" 2>&1 &
  PIDS="$PIDS $!"
  sleep 1
  s0=$(sluice_stats); w0=$(date +%s.%N)
  # a short probe first (one client, a few messages): when the set-up
  # fails the uclient would retry for the whole timeout
  ip netns exec "$NS_U" timeout 15 turnutils_uclient -u bench -w bench-secret -p 3478 \
    -r 3480 -m 1 -n 5 -z 20 -l "$length" -c -e 192.0.2.2 -L 192.0.2.1 192.0.2.10 \
    > "$TMP/uclient-sluice-probe.out" 2>&1
  if grep -q "Total lost packets" "$TMP/uclient-sluice-probe.out"; then
    s0=$(sluice_stats); w0=$(date +%s.%N)
    "${NICE_CMD[@]}" ip netns exec "$NS_U" timeout "$UC_TIMEOUT" turnutils_uclient "${UC_ARGS[@]}" \
      -e 192.0.2.2 -L 192.0.2.1 192.0.2.10 > "$TMP/uclient-sluice.out" 2>&1
  else
    cp "$TMP/uclient-sluice-probe.out" "$TMP/uclient-sluice.out"
  fi
  s1=$(sluice_stats); w1=$(date +%s.%N)
  "$PY" - "$(uclient_json "$TMP/uclient-sluice.out")" "$s0" "$s1" "$w0" "$w1" > "$TMP/sluice.json" <<'PY'
import json, sys
u = json.loads(sys.argv[1])
def stats(s):
    try:
        return json.loads(s)["/sluice/stats"]
    except Exception:
        return None
a, z = stats(sys.argv[2]), stats(sys.argv[3])
r = {"server": "sluice-dp", "uclient": u,
     "wall_seconds": float(sys.argv[5]) - float(sys.argv[4]),
     "platform": "net_af_packet on a veth pair (kernel sockets on the client side)"}
if a is None or z is None:
    r.update(measured=False, reason="no telemetry from sluice-dp")
else:
    d = {k: z[k] - a[k] for k in ("rx_pkts", "tx_pkts", "relayed_pkts", "busy_tsc", "idle_tsc")}
    drops = {k: z["drops"][k] - a["drops"].get(k, 0) for k in z["drops"]
             if z["drops"][k] != a["drops"].get(k, 0)}
    turn_counters = sorted(k for k in z if k.startswith("turn"))
    r.update(telemetry_delta=d, drops=drops, tsc_hz=z["tsc_hz"],
             turn_counters=turn_counters)
    if u["completed"] and u["tot_recv_msgs"] and d["relayed_pkts"] > 0:
        r["measured"] = True
        r["relayed_pkts"] = d["relayed_pkts"]
        r["busy_cycles_per_relayed_pkt"] = d["busy_tsc"] / d["relayed_pkts"]
        r["us_per_relayed_pkt"] = r["busy_cycles_per_relayed_pkt"] / z["tsc_hz"] * 1e6
    else:
        r["measured"] = False
        turn_drops = {k: v for k, v in drops.items() if k.startswith("turn_")}
        if turn_drops:
            r["reason"] = ("not measured: sluice-dp dropped the TURN traffic (%s)" %
                           ", ".join("%s %d" % kv for kv in sorted(turn_drops.items())))
        else:
            r["reason"] = "not measured: turnutils_uclient got no relayed traffic through sluice-dp"
print(json.dumps(r))
PY
}

log "coturn: $clients clients x $msgs messages of $length bytes every $interval ms"
coturn_run || echo '{"server": "coturn", "measured": false, "reason": "coturn run failed"}' > "$TMP/coturn.json"
for p in $PIDS; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
PIDS=""
ip netns del "$NS_C" 2>/dev/null
log "sluice: the same load"
sluice_run || echo '{"server": "sluice-dp", "measured": false, "reason": "sluice-dp run failed"}' > "$TMP/sluice.json"

"$PY" - "$TMP/coturn.json" "$TMP/sluice.json" "$clients" "$msgs" "$interval" "$length" > "$out" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); s = json.load(open(sys.argv[2]))
load = {"clients": int(sys.argv[3]), "messages_per_client": int(sys.argv[4]),
        "interval_ms": int(sys.argv[5]), "length_bytes": int(sys.argv[6]),
        "offered_pps_per_direction": int(sys.argv[3]) * 1000.0 / int(sys.argv[5]),
        "tool": "turnutils_uclient (coturn), ChannelData, UDP, echo peer turnutils_peer"}
def loss(x):
    u = x.get("uclient") or {}
    return u.get("lost_percent")
r = {"load": load, "coturn": c, "sluice": s,
     "loss_percent": {"coturn": loss(c), "sluice": loss(s)}}
if c.get("measured") and s.get("measured"):
    r["ratio_coturn_over_sluice_us_per_pkt"] = c["us_per_relayed_pkt"] / s["us_per_relayed_pkt"]
else:
    r["ratio_coturn_over_sluice_us_per_pkt"] = None
print(json.dumps(r, indent=1))
PY
log "wrote $out"
