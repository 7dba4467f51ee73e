#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_turn_uclient.sh — coturn's own test client against sluice-dp's TURN
# server: real allocations, permissions, channels and relayed data, with
# long-term credentials, through af_packet from a test namespace.
#
#   client ns                                        appliance 192.0.2.10
#   turnutils_uclient 192.0.2.1 ─── Allocate, ChannelBind ───► 3478
#        (50 clients, each RTP + RTCP allocation)               │ relay ports
#   turnutils_peer 198.51.100.5:3480/3481 ◄─── relayed ───── 24000-29999
#        (echoes back through the relay)
#
# Runs: Send/Data indications (-s) with uclient's RTP + RTCP allocations
# (EVEN-PORT, RESERVATION-TOKEN), and ChannelData (uclient's default: its
# channel numbers come from RFC 5766's 0x4000-0x7FFF, which sluice-dp
# accepts, see docs/turn.md) without RTCP (-c). Asserted: uclient's own
# summary (every message sent came back, none lost), sluice-dp's counters
# (allocations created, relayed packets, back to 0 allocations after the
# clients' Refresh 0), `sluicectl turn status` / `turn relays` while the
# clients run, and tshark's verdict on the server's answers (STUN, correct
# FINGERPRINT).
. "$(dirname "$0")/lib.sh"
e2e_require_root
[ -x "$SLUICE_CP" ] || { echo "FAIL: $SLUICE_CP not built" >&2; exit 1; }
command -v turnutils_uclient >/dev/null && command -v turnutils_peer >/dev/null ||
  e2e_skip "coturn's turnutils_uclient/turnutils_peer are not installed"
command -v tshark >/dev/null || e2e_skip "tshark is not installed"

PEER=198.51.100.5
M=50          # concurrent clients
N=20          # messages per client
LEN=172

e2e_net_up
in_cli ip addr add "$PEER/24" dev "$E2E_CLI_IF"
cfg=$(e2e_config small)
# the peer's network is a documentation range, denied unless listed; one
# user runs all the clients (2 allocations each), from one address
sed -i '/^  realm: relay.example$/a\
  allowed_peers: ["198.51.100.0/24"]\
  allocations_per_user: 200\
  unauthenticated_rate: 1000' "$cfg"
e2e_dp_start "$cfg" || exit 1
e2e_cp_start "$cfg" || exit 1
e2e_wait_for 10 e2e_cp_ready || { e2e_fail "sluice-cp attached in 10 s"; e2e_done; }

in_cli turnutils_peer -L "$PEER" -p 3480 > "$E2E_TMP/peer.log" 2>&1 &
E2E_EXTRA_PIDS="$!"

# ctr NAME: a counter the dataplane publishes in shared memory
ctr() {
  e2e_ctl --json status 2>/dev/null | "$E2E_PY" -c '
import json, sys
print(json.load(sys.stdin)["ipc"]["counters"].get(sys.argv[1], 0))' "$1"
}
ctr_is() { test "$(ctr "$1")" = "$2"; }

# uclient_run NAME ALLOCS LEFT [flags]: one run of M clients; asserts its
# summary, the ALLOCS Allocate requests it made and the LEFT allocations it
# leaves behind.
uclient_run() {
  local name=$1 allocs=$2 left=$3; shift 3
  local out=$E2E_TMP/uclient-$name.log
  local a0 r0 s0 n0 e0
  a0=$(ctr turn.allocate); r0=$(ctr relayed_pkts); s0=$(ctr turn.success)
  n0=$(ctr turn.allocations); e0=$(ctr turn.error.437)
  # Each run takes its client ports from a range of its own: a port of an
  # allocation an earlier run left behind, taken again, is that allocation's
  # 5-tuple, and the server rightly answers 437 (RFC 8656 section 7.2).
  in_cli sysctl -qw net.ipv4.ip_local_port_range="$PORTS"
  in_cli timeout 50 turnutils_uclient -u alice -w e2e-secret -m "$M" -n "$N" \
    -l "$LEN" -e "$PEER" -r 3480 "$@" "$E2E_APP_IP" > "$out" 2>&1
  local rc=$?
  e2e_check "$name: uclient exits 0 (rc $rc)" test "$rc" -eq 0
  local sum
  sum=$("$E2E_PY" - "$out" <<'EOF2'
import re, sys
t = open(sys.argv[1], errors="replace").read()
def last(p):
    v = re.findall(p, t)
    return v[-1] if v else "none"
print(last(r"tot_send_msgs=(\d+)"), last(r"tot_recv_msgs=(\d+)"),
      last(r"tot_send_bytes ~ (\d+)"), last(r"tot_recv_bytes ~ (\d+)"),
      last(r"Total lost packets (\d+)"), last(r"total send dropped (\d+)"))
EOF2
)
  e2e_log "$name: uclient sent/recv msgs, bytes, lost, send dropped: $sum"
  local want=$((M * N)) bytes=$((M * N * LEN))
  e2e_check "$name: $want messages of $LEN bytes sent and all $want received back, 0 lost" \
    test "$sum" = "$want $want $bytes $bytes 0 0"
  # uclient closes its probe's socket and leaves the probe's allocation to
  # expire; the kernel may give that port to one of its later sockets, whose
  # Allocate then comes from the probe allocation's 5-tuple with another
  # transaction: 437, rightly (RFC 8656 section 7.2). uclient retries from a
  # new port with the nonce of the old one, which is bound to the old port:
  # one 401 that counts as a failed authentication, then success. Those are
  # the only errors allowed, and each is accounted for below.
  # (counted by the server: uclient may print one 437 more than once; the
  # dataplane publishes its counters every 100 ms, so the last packets' may
  # not be in yet when uclient exits)
  local n437
  e2e_wait_for 3 ctr_is relayed_pkts $((r0 + 2 * want))
  n437=$(( $(ctr turn.error.437) - e0 ))
  R437=$((R437 + n437))
  e2e_log "$name: $n437 Allocate(s) from a port a probe allocation still held (437, retried)"
  e2e_check "$name: at most 5 such retries" test "$n437" -le 5
  if grep -i "error" "$out" | grep -qv "error 437"; then
    e2e_fail "$name: uclient reported errors"; grep -i "error" "$out" | sort | uniq -c | head -5 >&2
  fi
  if [ "$n437" -gt 0 ]; then
    e2e_check "$name: uclient saw the 437s the server counted" grep -q "error 437" "$out"
  fi
  local a1 r1 s1 n1
  a1=$(ctr turn.allocate); r1=$(ctr relayed_pkts); s1=$(ctr turn.success)
  n1=$(ctr turn.allocations)
  e2e_log "$name: Allocate +$((a1 - a0)), relayed +$((r1 - r0)), successes +$((s1 - s0)), allocations $n0 -> $n1"
  # each message crosses the relay twice: to the peer and its echo back
  e2e_check "$name: relayed_pkts grew by exactly $((2 * want))" \
    test $((r1 - r0)) -eq $((2 * want))
  e2e_check "$name: $allocs authenticated Allocate requests (+ $n437 answered 437)" \
    test $((a1 - a0)) -eq $((allocs + n437))
  # uclient deletes (Refresh 0) the allocations it used and leaves its
  # first one, an EVEN-PORT probe it never uses, to expire
  e2e_check "$name: $left allocation(s) left behind (turn.allocations $n0 -> $((n0 + left)))" \
    test "$n1" -eq $((n0 + left))
  local rl
  rl=$(e2e_ctl --json turn relays)
  e2e_check "$name: turn relays lists $((n0 + left)), none with a permission or data" e2e_json "$rl" \
    "j['total'] == $n0 + $left and len(j['allocations']) == j['total'] and all(a['pkts_in'] == 0 and a['pkts_out'] == 0 and a['n_permissions'] == 0 for a in j['allocations'])"
}

# --- run 1: Send/Data indications; uclient's -m counts streams, so with RTCP
# M/2 sessions each allocate an EVEN-PORT probe (R bit), the RTCP relay with
# its RESERVATION-TOKEN and the RTP relay. tshark on the client's wire, and
# the turn commands while the clients run (a slower pace: -z 100 ms).
in_cli tshark -n -i "$E2E_CLI_IF" -f "udp and src host $E2E_APP_IP and src port 3478" \
  -a duration:20 -c 20000 -w "$E2E_TMP/answers.pcap" > "$E2E_TMP/tshark.log" 2>&1 &
TS_PID=$!
E2E_EXTRA_PIDS="$E2E_EXTRA_PIDS $TS_PID"
e2e_wait_for 10 grep -q "Capturing on" "$E2E_TMP/tshark.log" ||
  e2e_log "tshark did not say it was capturing"
# uclient sends its data a few seconds after its allocations: list the
# relays (bounded: 60 x 0.25 s) until data has gone through one both ways
relays_in_use() {
  local i
  for i in $(seq 1 60); do
    e2e_ctl --json turn relays > "$E2E_TMP/relays.json" 2>"$E2E_TMP/relays.err"
    e2e_json "$(cat "$E2E_TMP/relays.json")" "any(a['pkts_out'] > 0 for a in j['allocations'])" && break
    sleep 0.25
  done
  e2e_ctl --json turn status > "$E2E_TMP/tstatus.json" 2>&1
  e2e_ctl turn relays > "$E2E_TMP/relays.txt" 2>&1
}
relays_in_use &
LIST_PID=$!
S=$((M / 2))
R437=0
PORTS="32768 44999" uclient_run send-rtcp $((3 * S)) "$S" -s -z 100
wait "$LIST_PID"
kill "$TS_PID" 2>/dev/null; wait "$TS_PID" 2>/dev/null

v=$(tshark -n -r "$E2E_TMP/answers.pcap" -T fields -E separator=' ' \
  -e stun.type -e stun.att.crc32.status 2>/dev/null | "$E2E_PY" -c '
import sys, collections
rows = [l.split() for l in sys.stdin if l.strip()]
# responses carry FINGERPRINT; Data indications (0x0017) need none
bad = [r for r in rows if r[0] != "0x0017" and (len(r) < 2 or r[1] != "1")]
types = collections.Counter(r[0] for r in rows)
print(len(rows), len(bad), ",".join(sorted(types)))')
e2e_log "tshark: answers, without a correct FINGERPRINT, types: $v"
read -r n_ans n_bad types <<<"$v"
e2e_check "tshark decodes the server's answers as STUN ($n_ans) and every FINGERPRINT is correct" \
  test "${n_ans:-0}" -gt $((2 * M)) -a "${n_bad:-1}" -eq 0
# Allocate 401 (0x0113) and success (0x0103), Refresh success (0x0104),
# CreatePermission success (0x0108), Data indications (0x0017)
for t in 0x0113 0x0103 0x0104 0x0108 0x0017; do
  e2e_check "tshark saw messages of type $t from the server" grep -q "$t" <<<"$types"
done

r=$(cat "$E2E_TMP/relays.json" 2>/dev/null || echo '{}')
e2e_log "turn relays (during run 1): $(head -c 700 <<<"$r")"
e2e_log "turn relays (during run 1), one in use: $("$E2E_PY" -c 'import json,sys; print([a for a in json.loads(sys.argv[1])["allocations"] if a["pkts_in"]][:1])' "$r" 2>&1)"
e2e_check "turn relays: $((3 * S)) allocations of alice from 192.0.2.1 while uclient ran" e2e_json "$r" \
  "j['total'] == 3 * $S and len(j['allocations']) == j['total'] and all(a['username'] == 'alice' and a['client'].startswith('192.0.2.1:') and a['relay'].startswith('192.0.2.10:') and a['listen_port'] == 3478 for a in j['allocations'])"
e2e_check "turn relays: the RTP and RTCP relays of each session hold one permission, for the peer" e2e_json "$r" \
  "sum(1 for a in j['allocations'] if [p['peer'] for p in a['permissions']] == ['$PEER'] and a['n_permissions'] == 1 and 0 < a['permissions'][0]['lifetime_left'] <= 300) == $M and all(a['n_permissions'] == 0 for a in j['allocations'] if not a['permissions'])"
e2e_check "turn relays: relayed counters each way on the relays in use, lifetimes left" e2e_json "$r" \
  "all(0 < a['lifetime_left'] <= 3600 and (a['pkts_in'] == 0 or a['n_permissions'] > 0) and a['bytes_in'] == $LEN * a['pkts_in'] and a['pkts_out'] <= a['pkts_in'] and a['bytes_out'] == $LEN * a['pkts_out'] for a in j['allocations']) and any(a['pkts_out'] > 0 for a in j['allocations'])"
s=$(cat "$E2E_TMP/tstatus.json" 2>/dev/null || echo '{}')
e2e_log "turn status (during run 1): $s"
e2e_check "turn status: $((3 * S)) allocations, capacity 1800, 1 client address, $M permissions" e2e_json "$s" \
  "j['allocations'] == 3 * $S and j['capacity'] == 1800 and j['clients'] == 1 and j['channels'] == 0 and j['permissions'] == $M"
e2e_check "sluicectl turn relays (text) lists the relays and their permissions" \
  grep -q "permission $PEER, " "$E2E_TMP/relays.txt"

# --- run 2: ChannelData both ways (uclient's default), no RTCP: M
# sessions, each with its probe and its relay
PORTS="45000 60999" uclient_run channeldata-no-rtcp $((2 * M)) "$M" -c

s=$(e2e_ctl --json turn status)
e2e_log "turn status (end): $s"
e2e_check "turn status: no error answered but the 401 challenges and the $R437 437s of reused ports (each with its one failed authentication), none limited" e2e_json "$s" \
  "j['allocations'] == $S + $M and all(v == 0 for k, v in j['errors'].items() if k not in ('401', '437')) and j['errors']['437'] == $R437 and j['counters']['auth_failed'] == $R437 and j['errors']['401'] == j['counters']['challenged'] + $R437 and j['counters']['rate_limited'] == 0 and j['counters']['answers_lost'] == 0"
e2e_check "turn status: the allocation events sluice-cp counted" e2e_json "$s" \
  "j['events']['created'] == 3 * $S + 2 * $M and j['events']['expired_refresh0'] == 2 * $S + $M"
e2e_check "no TURN packet dropped (drops.turn_*)" e2e_json "$s" "all(v == 0 for v in j['drops'].values())"
e2e_check "sluice-cp logged allocations created and ended" \
  grep -q "TURN allocation [0-9]* ended (refresh 0)" "$E2E_TMP/cp.log"

e2e_cp_stop; e2e_check "sluice-cp exits 0" test $? -eq 0
e2e_dp_stop; e2e_check "sluice-dp exits 0" test $? -eq 0
e2e_done
