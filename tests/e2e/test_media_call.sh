#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_media_call.sh — calls between a NATed endpoint on a port pair and a
# traversal client on the demultiplexing pair, real packets from a test
# namespace through sluice-dp on af_packet (media_call.py has both ends).
#
#   client ns                                      appliance 192.0.2.10
#   endpoint 192.0.2.3:6000/6001 ──────────► 40000/40001  leg E (port pair)
#   client   192.0.2.4:5000/5001 ─[ID]─────► 36000/36001  leg C (mux 1001/2001)
#   stranger 192.0.2.9 ── RTP bleed attempts to both
#
# Call 1: the client latches from keep-alives (RTP PT 19, empty SR), which
#         are consumed. Call 2: no keep-alive; the client's first media
#         latches it and is dropped as "receiver not ready".
# Asserted: every RTP and RTCP datagram byte for byte both ways (only the ID
# framing differs), from the right port; nothing reached anyone early or
# from the stranger; the per-leg counters, drops by reason and RTCP quality
# in `sluicectl flows show`; the dataplane's counters in telemetry.
. "$(dirname "$0")/lib.sh"
e2e_require_root
[ -x "$SLUICE_CP" ] || { echo "FAIL: $SLUICE_CP not built" >&2; exit 1; }
CALL="$E2E_SRC/tests/e2e/media_call.py"
N=200
e2e_net_up
for a in 192.0.2.3 192.0.2.4 192.0.2.9; do
  in_cli ip addr add "$a/24" dev "$E2E_CLI_IF"
done
cfg=$(e2e_config small)
e2e_dp_start "$cfg" || exit 1
e2e_cp_start "$cfg" || exit 1
e2e_wait_for 10 e2e_cp_ready || { e2e_fail "sluice-cp attached in 10 s"; e2e_done; }

c1=$(e2e_ctl flows add --port 36000 --mux 1001:2001 --keepalive 19)
e1=$(e2e_ctl flows add --port 40000 --peer "$c1")
c2=$(e2e_ctl flows add --port 36000 --mux 1002:2002)
e2=$(e2e_ctl flows add --port 40002 --peer "$c2")
e2e_check "four legs added ($c1 $e1 $c2 $e2)" grep -Eqx '[0-9]+ [0-9]+ [0-9]+ [0-9]+' <<<"$c1 $e1 $c2 $e2"

in_cli timeout 60 "$E2E_PY" "$CALL" "$E2E_APP_IP" "$E2E_TMP/calls.json" \
  "192.0.2.3:6000,192.0.2.4:5000,40000,36000,1001,2001,19" \
  "192.0.2.3:6010,192.0.2.4:5010,40002,36000,1002,2002,none"
res=$(cat "$E2E_TMP/calls.json" 2>/dev/null || echo '{}')
e2e_log "calls: $("$E2E_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' "$E2E_TMP/calls.json" 2>/dev/null)"
e2e_check "every RTP and RTCP datagram arrived exactly as sent, both ways, both calls" \
  e2e_json "$res" "j['total']['exact'] and j['total']['calls'] == 2"
e2e_check "nothing reached the endpoint before it spoke (keep-alives consumed, receiver not ready)" \
  e2e_json "$res" "j['total']['early'] == 0"
e2e_check "nothing from the stranger reached anyone" e2e_json "$res" "j['total']['leaked'] == 0"

show() { e2e_ctl --json flows show "$1"; }
s=$(show "$c1")
e2e_log "leg $c1: $s"
e2e_check "call 1 client: both components latched from keep-alives, 2 consumed" e2e_json "$s" \
  "(d:=j['dataplane'])['latched'] and d['rtcp_latched'] and d['remote'] == '192.0.2.4:5000' and d['rtcp_remote'] == '192.0.2.4:5001' and d['keepalives'] == 2"
e2e_check "call 1 client: packets and bytes each way" e2e_json "$s" \
  "(d:=j['dataplane'])['pkts_in'] == 2 + $N + $N//10 and d['pkts_out'] == $N + $N//10 and d['bytes_in'] > 4 * $N and d['bytes_out'] > 4 * $N"
e2e_check "call 1 client: the stranger's 20 counted as wrong_source" e2e_json "$s" \
  "j['dataplane']['drops_by_reason']['wrong_source'] == 20"
e2e_check "call 1 client: quality from its SRs" e2e_json "$s" \
  "(q:=j['dataplane']['quality'])['rtcp_reports'] == $N//10 and q['fraction_lost'] == 32 and q['jitter'] == 7 + $N//10"
s=$(show "$e1")
e2e_log "leg $e1: $s"
e2e_check "call 1 endpoint: latched, its quality from its RRs, the stranger counted" e2e_json "$s" \
  "(d:=j['dataplane'])['remote'] == '192.0.2.3:6000' and d['rtcp_remote'] == '192.0.2.3:6001' and d['quality']['rtcp_reports'] == $N//10 and d['drops_by_reason']['wrong_source'] == 20 and d['pkts_in'] == $N + $N//10"
s=$(show "$c2")
e2e_log "leg $c2: $s"
e2e_check "call 2 client: latched from first media, which found the receiver not ready" e2e_json "$s" \
  "(d:=j['dataplane'])['latched'] and d['rtcp_latched'] and d['keepalives'] == 0 and d['drops_by_reason']['receiver_not_ready'] == 2"

e2e_check "telemetry: media_wrong_source 80" test "$(e2e_stat drops.media_wrong_source)" = 80
e2e_check "telemetry: media_receiver_not_ready 2" test "$(e2e_stat drops.media_receiver_not_ready)" = 2
# RTCP read: N/10 each way per call, and call 2's first SR (no keep-alive)
e2e_check "telemetry: 2 keep-alives, $((4 * N / 10 + 1)) RTCP reports read" \
  test "$(e2e_stat keepalives) $(e2e_stat rtcp_reports)" = "2 $((4 * N / 10 + 1))"
text=$(e2e_ctl flows show "$c1")
e2e_log "$text"
e2e_check "sluicectl flows show prints the quality line" grep -q "quality (RTCP from the party, $((N / 10)) reports): loss 32/256" <<<"$text"

e2e_cp_stop; e2e_check "sluice-cp exits 0" test $? -eq 0
e2e_dp_stop; e2e_check "sluice-dp exits 0" test $? -eq 0
e2e_done
