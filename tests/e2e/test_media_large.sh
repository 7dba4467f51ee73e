#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_media_large.sh — the Large profile's 6 demultiplexing pairs
# (36000-36011), each carrying a call, spread over two worker lcores.
#
#   client ns                                     appliance 192.0.2.10
#   6 endpoints 192.0.2.3:6000+20k ──────► 40000+2k/+1   port legs
#   6 clients   192.0.2.4:5000+20k ─[ID]─► 36000+2k/+1   mux legs, pair k
#
# Two workers, two af_packet queue pairs (the kernel's fanout hash spreads
# the 24 flows over them, as RSS would on a NIC). The EAL lcores 1 and 2 share
# the machine's second CPU: the test is about spreading, not speed.
# Asserted: every datagram of every call byte for byte (media_call.py), the
# traffic of every pair on its own legs, and both workers relaying.
. "$(dirname "$0")/lib.sh"
e2e_require_root
[ -x "$SLUICE_CP" ] || { echo "FAIL: $SLUICE_CP not built" >&2; exit 1; }
CALL="$E2E_SRC/tests/e2e/media_call.py"
e2e_net_up
for a in 192.0.2.3 192.0.2.4 192.0.2.9; do
  in_cli ip addr add "$a/24" dev "$E2E_CLI_IF"
done
cfg=$(e2e_config large)
sed -i "s/iface=$E2E_APP_IF\"/iface=$E2E_APP_IF,qpairs=2\"/; s/^dataplane:/dataplane:\n  workers: 2/" "$cfg"
e2e_dp_start "$cfg" --lcores=0@0,1@1,2@1 || exit 1
e2e_cp_start "$cfg" || exit 1
e2e_wait_for 10 e2e_cp_ready || { e2e_fail "sluice-cp attached in 10 s"; e2e_done; }
info=$(e2e_telemetry /sluice/info)
e2e_log "info: $info"

calls=() clients=() eps=()
for k in 0 1 2 3 4 5; do
  c=$(e2e_ctl flows add --port $((36000 + 2 * k)) --mux $((3000 + k)):$((4000 + k)) --keepalive 19)
  e=$(e2e_ctl flows add --port $((40000 + 2 * k)) --peer "$c")
  clients+=("$c"); eps+=("$e")
  calls+=("192.0.2.3:$((6000 + 20 * k)),192.0.2.4:$((5000 + 20 * k)),$((40000 + 2 * k)),$((36000 + 2 * k)),$((3000 + k)),$((4000 + k)),19")
done
count12() { e2e_json "$(e2e_ctl --json flows count)" "j['legs'] == 12 and j['dataplane_legs'] == 12"; }
e2e_check "12 legs, one mux leg on each of the 6 pairs, on both sides" e2e_wait_for 2 count12

in_cli timeout 120 "$E2E_PY" "$CALL" "$E2E_APP_IP" "$E2E_TMP/calls.json" "${calls[@]}"
res=$(cat "$E2E_TMP/calls.json" 2>/dev/null || echo '{}')
e2e_log "calls: $("$E2E_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' "$E2E_TMP/calls.json" 2>/dev/null)"
e2e_check "6 calls, every datagram exactly as sent both ways" \
  e2e_json "$res" "j['total']['exact'] and j['total']['calls'] == 6 and j['total']['early'] == 0 and j['total']['leaked'] == 0"
for k in 0 1 2 3 4 5; do
  e2e_check "pair $((36000 + 2 * k)): its client leg carried the call" \
    e2e_json "$(e2e_ctl --json flows show "${clients[$k]}")" \
    "(d:=j['dataplane'])['port'] == $((36000 + 2 * k)) and d['pkts_in'] == 222 and d['pkts_out'] == 220 and d['keepalives'] == 2"
done
lcores=$(e2e_telemetry /sluice/lcore)
e2e_log "lcores: $lcores"
w1=$(e2e_telemetry /sluice/lcore,1 | "$E2E_PY" -c 'import json,sys; print(json.load(sys.stdin)["/sluice/lcore"]["relayed_pkts"])')
w2=$(e2e_telemetry /sluice/lcore,2 | "$E2E_PY" -c 'import json,sys; print(json.load(sys.stdin)["/sluice/lcore"]["relayed_pkts"])')
e2e_log "relayed by worker lcore 1: $w1, lcore 2: $w2"
e2e_check "both workers relayed ($w1 + $w2 = 6 x 440)" \
  bash -c '[ "$1" -gt 0 ] && [ "$2" -gt 0 ] && [ $(($1 + $2)) -eq 2640 ]' _ "$w1" "$w2"

e2e_cp_stop; e2e_check "sluice-cp exits 0" test $? -eq 0
e2e_dp_stop; e2e_check "sluice-dp exits 0" test $? -eq 0
e2e_done
