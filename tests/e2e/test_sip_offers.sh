#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_sip_offers.sh — the B2BUA's offer/answer beyond an INVITE with SDP,
# through the traversal pair of sip_lib.sh (the caller on the inside
# appliance, over the zone, the callee behind the DMZ), sipp at both ends,
# RTP counted where it arrives.
#
# 1. late offer: the caller's INVITE has no SDP; the callee's 200 offers,
#    the caller's ACK answers. The callee's INVITE has no body either, the
#    caller's 200 names the inside appliance, the callee's ACK the DMZ; 50
#    RTP packets each way arrive complete, the four legs count them.
# 2. late offer whose ACK has no answer: the callee's ACK refuses every
#    stream (m=audio 0), both ends get a BYE, no leg is left.
# 3. both ends move their media: the caller by re-INVITE (another port),
#    then the callee by UPDATE (RFC 3311); each appliance re-programs the
#    PORT leg facing the end that moved (legs_moved), the other end sees
#    the appliance's same port; RTP from and to the new ports arrives
#    complete both ways, the legs latch the new ports.
# 4. an INVITE requiring 100rel: 420 with Unsupported; nothing left.
# 5. sluice-cp stopping (SIGTERM) with a call up: it BYEs both ends (the
#    callee's through the DMZ), waits for the answers, exits 0.
E2E_PFX=sipo
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sip_lib.sh"    # root, sluice-cp and sipp or skip
sip_pair_up
IN=e2e_in_ctl DMZ=e2e_ctl

# rtp LABEL A_PORT B_PORT A_DEST_PORT B_DEST_PORT: N packets each way
# between the caller's and the callee's media ports through both
# appliances; checks that each end got all of them from its appliance
rtp() {
  local res
  res=$(ip netns exec "$E2E_CLI" "$E2E_PY" "$RTP" "$E2E_CLI_IP:$2" "$E2E_IN_IP:$4" \
        "$E2E_CLI_IP:$3" "$E2E_APP_IP:$5" "$N")
  echo "$1 rtp: $res" >&2
  e2e_check "$1: $N RTP packets caller :$2 → callee :$3 arrive complete from $E2E_APP_IP:$5" \
    e2e_json "$res" "j['b_received'] == $N and j['b_seq_ok'] and j['b_from'] == ['$E2E_APP_IP:$5']"
  e2e_check "$1: $N RTP packets callee :$3 → caller :$2 arrive complete from $E2E_IN_IP:$4" \
    e2e_json "$res" "j['a_received'] == $N and j['a_seq_ok'] and j['a_from'] == ['$E2E_IN_IP:$4']"
}
# leg_is CTL SIDE PYTHON-CONDITION-ON-d: the first call's leg facing SIDE
leg_is() {
  e2e_json "$(calls_json "$1")" "[l for l in j['calls'][0]['legs'] if l['side'] == '$2' and (lambda d: $3)(l['dataplane'])] != []"
}
both_no_legs() { e2e_wait_for 5 no_legs $IN && e2e_wait_for 5 no_legs $DMZ; }
# call_start LABEL UAS-SCENARIO UAC-SCENARIO UAS-ARGS... -- UAC-ARGS...:
# the callee's sipp on :5080, then the caller's calling pub as carol on
# the inside appliance; their pids in $uas and $uac
call_start() {
  local label=$1 uas_sf=$2 uac_sf=$3 uas_args=()
  shift 3
  while [ "$1" != -- ]; do uas_args+=("$1"); shift; done
  shift
  sipp_bg "$label-uas" "" 5080 "$SIPP_DIR/$uas_sf" "${uas_args[@]}"
  uas=$!; sleep 0.3
  sipp_bg "$label-uac" "$E2E_IN_IP:5060" 5070 "$SIPP_DIR/$uac_sf" -s pub -au carol -ap in-secret "$@"
  uac=$!
}
two_legs_each() { legs_are $IN 2 && legs_are $DMZ 2; }
# call_legs LABEL: the call's two legs up on each appliance; the ports
# the endpoints send to in $a_port (inside, caller side), $b_port (DMZ)
call_legs() {
  e2e_check "$1: the call is up with two legs on each appliance" e2e_wait_for 20 two_legs_each
  a_port=$(stream_val $IN caller port); b_port=$(stream_val $DMZ callee port)
}

# ---- 1. late offer ----------------------------------------------------------------------
call_start late call_uas_late.xml call_uac_late.xml -key mport 42080 -- -key mport 41070 -d 6000
call_legs "late offer (the ACK's answer set them up)"
rtp "late offer" 41070 42080 "$a_port" "$b_port"
e2e_check "late offer: the caller's leg counted $N each way, latched the caller's port" \
  leg_is $IN caller "d['pkts_in'] == $N and d['pkts_out'] == $N and d['latched'] and d['remote'] == '$E2E_CLI_IP:41070'"
e2e_check "late offer: the callee's leg counted $N each way, latched the callee's port" \
  leg_is $DMZ callee "d['pkts_in'] == $N and d['pkts_out'] == $N and d['latched'] and d['remote'] == '$E2E_CLI_IP:42080'"
e2e_check "late offer: the zone-side (mux) legs counted $N each way" eval \
  "leg_is $IN callee \"d['pkts_in'] == $N and d['pkts_out'] == $N\" && leg_is $DMZ caller \"d['pkts_in'] == $N and d['pkts_out'] == $N\""
wait_pair "late offer" "$uac" "$uas"
e2e_check "late offer: the callee's INVITE had no body" msg_has "$E2E_TMP/late-uas.msg" "INVITE sip:" "Content-Length: 0"
e2e_check "late offer: the caller's 200 offered the inside appliance ($E2E_IN_IP:$a_port)" \
  msg_has "$E2E_TMP/late-uac.msg" "SIP/2.0 200" "m=audio $a_port RTP/AVP 0" "c=IN IP4 $E2E_IN_IP"
e2e_check "late offer: the callee's ACK answered with the DMZ ($E2E_APP_IP:$b_port)" \
  msg_has "$E2E_TMP/late-uas.msg" "ACK sip:" "m=audio $b_port RTP/AVP 0" "c=IN IP4 $E2E_APP_IP"
e2e_check "late offer: no a=sluice-mux reached an endpoint" \
  eval "! grep -q 'a=sluice-mux' $E2E_TMP/late-uac.msg $E2E_TMP/late-uas.msg"
e2e_check "late offer: counted on both appliances" \
  eval "[ \"\$(calls_counter $IN late_offers)\" = 1 ] && [ \"\$(calls_counter $DMZ late_offers)\" = 1 ]"
e2e_check "late offer: no leg and no call left" both_no_legs

# ---- 2. late offer, the ACK without an answer ----------------------------------------------
call_start lateno call_uas_late.xml call_uac_late_noanswer.xml -key mport 42080 --
wait_pair "late offer, ACK without an answer: Sluice BYEs both ends" "$uac" "$uas"
e2e_check "no answer: the callee's ACK refused the stream (m=audio 0)" \
  msg_has "$E2E_TMP/lateno-uas.msg" "ACK sip:" "m=audio 0 RTP/AVP 0"
e2e_check "no answer: counted no_sdp_answer on the inside appliance" ended $IN no_sdp_answer 1
e2e_check "no answer: no leg and no call left" both_no_legs

# ---- 3. both ends move their media ------------------------------------------------------
call_start move call_uas_move.xml call_uac_move.xml -key mport 42080 -key mport2 42082 -- \
  -key mport 41070 -key mport2 41072
call_legs move
rtp "move, before" 41070 42080 "$a_port" "$b_port"
e2e_check "move: nothing moved yet (the re-INVITE comes 5 s after the ACK)" \
  eval "[ \"\$(calls_counter $IN legs_moved)\" = 0 ] && [ \"\$(calls_counter $DMZ legs_moved)\" = 0 ]"
moved() { [ "$(calls_counter $IN legs_moved)" = 1 ] && [ "$(calls_counter $DMZ legs_moved)" = 1 ]; }
e2e_check "move: the caller's re-INVITE moved the inside appliance's caller leg, the callee's UPDATE the DMZ's callee leg" \
  e2e_wait_for 20 moved
rtp "move, after" 41072 42082 "$a_port" "$b_port"
e2e_check "move: the caller's leg latched the new port and counted both halves" \
  leg_is $IN caller "d['latched'] and d['remote'] == '$E2E_CLI_IP:41072' and d['pkts_in'] == 2 * $N and d['pkts_out'] == 2 * $N"
e2e_check "move: the callee's leg latched the new port and counted both halves" \
  leg_is $DMZ callee "d['latched'] and d['remote'] == '$E2E_CLI_IP:42082' and d['pkts_in'] == 2 * $N and d['pkts_out'] == 2 * $N"
wait_pair "move" "$uac" "$uas"
p1=$(msg_port "$E2E_TMP/move-uas.msg" "CSeq: 1 INVITE"); p2=$(msg_port "$E2E_TMP/move-uas.msg" "CSeq: 2 INVITE")
e2e_check "move: the callee's re-INVITE names the DMZ's same port ($p1 = $p2 = $b_port)" test -n "$p1" -a "$p1" = "$p2" -a "$p1" = "$b_port"
p1=$(msg_port "$E2E_TMP/move-uac.msg" "UPDATE sip:")
e2e_check "move: the caller's UPDATE names the inside appliance's same port ($p1 = $a_port)" test "$p1" = "$a_port"
p1=$(msg_port "$E2E_TMP/move-uas.msg" "CSeq: 1 UPDATE")
e2e_check "move: the callee's 200 to its UPDATE names the DMZ's same port ($p1 = $b_port)" test "$p1" = "$b_port"
e2e_check "move: one re-INVITE and one UPDATE relayed by each appliance" \
  eval "[ \"\$(calls_counter $IN reinvites)\" = 1 ] && [ \"\$(calls_counter $DMZ reinvites)\" = 1 ] && [ \"\$(calls_counter $IN updates)\" = 1 ] && [ \"\$(calls_counter $DMZ updates)\" = 1 ]"
e2e_check "move: no leg and no call left" both_no_legs

# ---- 4. refused -----------------------------------------------------------------------------
sed -e "s/@CODE@/420/g" -e "s|@MEDIA@|m=audio 41500 RTP/AVP 0|" \
  -e "s/^\( *\)Max-Forwards: 70/&\n\1Require: 100rel/" "$SIPP_DIR/call_refused.xml" > "$E2E_TMP/refused-100rel.xml"
timeout 20 ip netns exec "$E2E_CLI" sipp "$E2E_APP_IP:5060" -sf "$E2E_TMP/refused-100rel.xml" -s pub \
  -au alice -ap e2e-secret -i "$E2E_CLI_IP" -p 5110 -m 1 -nostdin -timeout 15s -trace_msg \
  -message_file "$E2E_TMP/refused-100rel.msg" > /dev/null 2>&1
e2e_check "Require: 100rel: 420 (sipp exit $?)" msg_has "$E2E_TMP/refused-100rel.msg" "SIP/2.0 420" "Unsupported: 100rel"
e2e_check "refused: no leg and no call left" no_legs $DMZ
e2e_check "no leg error on either appliance" \
  eval "[ \"\$(calls_counter $IN leg_errors)\" = 0 ] && [ \"\$(calls_counter $DMZ leg_errors)\" = 0 ]"

# ---- 5. sluice-cp stopping ends its calls --------------------------------------------------
call_start stop call_uas.xml call_uac_byed.xml -key mport 42080 -key sdpx a=sendrecv -- -key mport 41070
call_legs stop
byes=$(ended_ctr $DMZ bye_caller)
dmz_pid=$E2E_CP_PID E2E_CP_PID=$E2E_IN_CP_PID
e2e_check "stop: the inside sluice-cp exits 0 on SIGTERM with the call up" e2e_cp_stop
E2E_CP_PID=$dmz_pid
wait_pair "stop: both ends got a BYE before it exited" "$uac" "$uas"
e2e_check "stop: it said so and waited for the answers" \
  eval "grep -q 'ended: sluice-cp stopping' $E2E_TMP/in-cp.log && grep -q 'waiting up to 2000 ms for the answers' $E2E_TMP/in-cp.log"
e2e_check "stop: the DMZ ended its half (bye_caller) and has no leg" \
  e2e_wait_for 5 eval "ended $DMZ bye_caller $((byes + 1)) && no_legs $DMZ"
e2e_check "stop: the inside dataplane holds no leg (its sluice-cp deleted them before exiting)" \
  e2e_json "$(e2e_in_ctl --json status)" "j['cp'] is None and j['ipc']['counters']['legs'] == 0"

e2e_check "DMZ sluice-cp exits 0 on SIGTERM" e2e_cp_stop
e2e_check "DMZ sluice-dp exits 0 on SIGTERM" e2e_dp_stop
e2e_done
