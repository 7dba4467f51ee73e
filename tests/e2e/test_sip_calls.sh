#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_sip_calls.sh — SIP calls through two Sluice appliances (the B2BUA
# with media anchored in both dataplanes), with sipp at both ends and RTP
# counted where it arrives.
#
#   ns switch 192.0.2.1 (sipp, rtp_pair.py)        ns inside 192.0.2.20      ns DMZ 192.0.2.10
#   UAC :5070 ──INVITE pub──────────────────────► B2BUA ══zone dmz (tcp)══► B2BUA ──► UAS :5080
#   UAS :5100 ◄─────────────────────────────────── B2BUA ◄══zone═══════════ B2BUA ◄── UAC :5090 (INVITE bob)
#   media: caller ─► PORT leg ─peer─ MUX leg ═mux id═► demux 36000 ─ MUX leg ─peer─ PORT leg ─► callee
#
# 1. inside → public: sipp UAC calls "pub" on the inside appliance (digest
#    401 first); the inside route sends it over the zone; the DMZ route to
#    the sipp UAS. Each sipp sees SDP naming its own appliance; 50 RTP
#    packets each way arrive complete at the far end, and the legs count
#    them in both dataplanes; after the BYE no leg is left on either side.
# 2. public → inside: the same the other way ("bob" on the DMZ, over the
#    zone to the inside appliance, its route to the UAS).
#    The caller puts a call on hold with a re-INVITE: relayed over the
#    zone with each appliance's same ports, answered back (a=recvonly);
#    it also refreshes the 3 s session timer the callee granted, so the
#    4 s call is not cut.
# 3. refused: unknown callee 404, SDP without media 488, wrong password
#    403, a route's zone down 480; nothing is left behind.
# 4. the callee hangs up (BYE relayed back through both); the caller
#    cancels while the callee rings (CANCEL over the zone, 487); a call
#    outlives sip.max_call_duration (reloaded with SIGHUP) and Sluice BYEs
#    both ends; a call without media outlives sip.media_timeout on the
#    DMZ and is ended the same way, and so is a call whose session timer
#    (RFC 4028, granted by the callee) is not refreshed; nothing is left;
# 5. a callee registered with the DMZ is reached by its binding (public to
#    public, two PORT legs); with ICE at both ends the call is passed
#    through (no leg, the SDP unchanged);
# 6. the zone link is cut during a call: each appliance ends its half
#    (BYE to its endpoint, legs deleted); the link is restored, the zone
#    comes back and a call with media goes through again.
E2E_PFX=sipc
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sip_lib.sh"    # root, sluice-cp and sipp or skip

sip_pair_up

# ---- 1. inside → public ----------------------------------------------------------------
call_with_media out "$E2E_IN_IP:5060" pub 5070 5080 carol in-secret e2e_in_ctl e2e_ctl "$E2E_IN_IP" "$E2E_APP_IP"
# ---- 2. public → inside ----------------------------------------------------------------
call_with_media in "$E2E_APP_IP:5060" bob 5090 5100 alice e2e-secret e2e_ctl e2e_in_ctl "$E2E_APP_IP" "$E2E_IN_IP"

e2e_check "DMZ status: 2 calls answered, both ended by BYE from the caller" \
  e2e_json "$(e2e_ctl --json status)" "j['cp']['sip']['calls']['answered'] == 2 and j['cp']['sip']['calls']['ended']['bye_caller'] == 2 and j['cp']['sip']['calls']['leg_errors'] == 0"

# ---- hold: a re-INVITE relayed through both appliances ------------------------------
# the callee grants a 3 s session timer the caller refreshes with its hold
# re-INVITE at 2 s; the call lasts 4 s: without the refresh Sluice would
# end it at 3 s and sipp would see an unexpected BYE
sipp_bg hold-uas "" 5080 "$SIPP_DIR/call_uas_hold.xml" -key mport 42080 -key sdpx a=sendrecv \
  -key sehdr "Session-Expires: 3;refresher=uac"
uas=$!; sleep 0.3
sipp_bg hold-uac "$E2E_IN_IP:5060" 5070 "$SIPP_DIR/call_uac_hold.xml" -s pub -au carol -ap in-secret \
  -key mport 41070 -key sdpx a=sendrecv -d 2000
wait_pair "hold: the caller's re-INVITE (a=sendonly) relayed to the callee and answered" $! "$uas"
p1=$(msg_port "$E2E_TMP/hold-uas.msg" "CSeq: 1 INVITE"); p2=$(msg_port "$E2E_TMP/hold-uas.msg" "CSeq: 2 INVITE" "a=sendonly")
e2e_check "hold: the callee's re-INVITE names the DMZ's same port ($p1 = $p2) with a=sendonly" test -n "$p1" -a "$p1" = "$p2"
p1=$(msg_port "$E2E_TMP/hold-uac.msg" "CSeq: 2 INVITE"); p2=$(msg_port "$E2E_TMP/hold-uac.msg" "CSeq: 3 INVITE" "a=recvonly")
e2e_check "hold: the caller's answer names the inside appliance's same port ($p1 = $p2) with a=recvonly" test -n "$p1" -a "$p1" = "$p2"
e2e_check "hold: counted on both appliances" eval "e2e_json \"\$(e2e_ctl --json status)\" \"j['cp']['sip']['calls']['reinvites'] == 1\" && e2e_json \"\$(e2e_in_ctl --json status)\" \"j['cp']['sip']['calls']['reinvites'] == 1\""
e2e_check "hold: the re-INVITE refreshed the session timer (the call outlived its first 3 s, ended by the caller's BYE)" \
  eval "e2e_json \"\$(e2e_in_ctl --json status)\" \"j['cp']['sip']['calls']['session_timers'] >= 1 and j['cp']['sip']['calls']['ended']['session_expired'] == 0\""
e2e_check "hold: no leg left" eval "e2e_wait_for 5 no_legs e2e_ctl && e2e_wait_for 5 no_legs e2e_in_ctl"

# ---- 3. refused -------------------------------------------------------------------------
refused() {  # label callee code password media-line
  sed -e "s/@CODE@/$3/g" -e "s|@MEDIA@|$5|" "$SIPP_DIR/call_refused.xml" > "$E2E_TMP/refused-$1.xml"
  timeout 20 ip netns exec "$E2E_CLI" sipp "$E2E_APP_IP:5060" -sf "$E2E_TMP/refused-$1.xml" \
    -s "$2" -au alice -ap "$4" -i "$E2E_CLI_IP" -p 5110 -m 1 -nostdin -timeout 15s \
    -trace_err -error_file "$E2E_TMP/refused-$1.err" > /dev/null 2>&1
}
AUDIO="m=audio 41500 RTP/AVP 0"
refused unknown nobody 404 e2e-secret "$AUDIO"; rc=$?
e2e_check "unknown callee: 404 (sipp exit $rc)" test "$rc" -eq 0
refused nomedia pub 488 e2e-secret ""; rc=$?
e2e_check "SDP without media: 488 (sipp exit $rc)" test "$rc" -eq 0
refused badpw pub 403 wrong-password "$AUDIO"; rc=$?
e2e_check "wrong password: 401 then 403 (sipp exit $rc)" test "$rc" -eq 0
refused zonedown down 480 e2e-secret "$AUDIO"; rc=$?
e2e_check "route to a zone that is down: 480 (sipp exit $rc)" test "$rc" -eq 0
e2e_check "refused calls leave no leg and no call" no_legs e2e_ctl
e2e_ctl --json status | "$E2E_PY" -c 'import json,sys; print("DMZ calls:", json.load(sys.stdin)["cp"]["sip"]["calls"])' >&2
e2e_check "DMZ counts them: no_route 1, no_media 1, zone_down 1" \
  e2e_json "$(e2e_ctl --json status)" "[c for c in [j['cp']['sip']['calls']] if c['no_route'] == 1 and c['no_media'] == 1 and c['zone_down'] == 1 and c['final_answers']['4xx'] == 3] != []"

# ---- 4. the callee hangs up; the caller cancels; Sluice ends a call -----------------
sipp_bg hangup-uas "" 5080 "$SIPP_DIR/call_uas_hangup.xml" -key mport 42080 -d 1000
uas=$!; sleep 0.3
sipp_bg hangup-uac "$E2E_IN_IP:5060" 5070 "$SIPP_DIR/call_uac_byed.xml" -s pub -au carol -ap in-secret -key mport 41070
wait_pair "callee hangs up (BYE from the public callee, through both appliances)" $! "$uas"
e2e_check "callee hangs up: counted bye_callee on both appliances" eval "ended e2e_ctl bye_callee 1 && ended e2e_in_ctl bye_callee 1"
e2e_check "callee hangs up: no leg left on either" eval "e2e_wait_for 5 no_legs e2e_ctl && e2e_wait_for 5 no_legs e2e_in_ctl"

sipp_bg cancel-uas "" 5100 "$SIPP_DIR/call_uas_cancel.xml"
uas=$!; sleep 0.3
sipp_bg cancel-uac "$E2E_APP_IP:5060" 5090 "$SIPP_DIR/call_uac_cancel.xml" -s bob -au alice -ap e2e-secret
wait_pair "caller cancels while the callee rings (CANCEL relayed over the zone, 487)" $! "$uas"
e2e_check "cancel: counted on the DMZ, the inside appliance's INVITE ended by the 487" \
  eval "ended e2e_ctl cancel 1 && ended e2e_in_ctl cancel 1"
e2e_check "cancel: no leg left on either" eval "e2e_wait_for 5 no_legs e2e_ctl && e2e_wait_for 5 no_legs e2e_in_ctl"

# a call that Sluice itself ends: KEY (a sip: line) reloaded with SIGHUP
# into one appliance's config for the call, and taken out again
sluice_ends_call() {  # label config cp-pid "key: value"
  sed -i "s/^sip:\$/sip:\n  $4/" "$2"
  kill -HUP "$3"
  sleep 0.5
  sipp_bg "$1-uas" "" 5080 "$SIPP_DIR/call_uas.xml" -key mport 42080 -key sdpx a=sendrecv
  local uas=$!; sleep 0.3
  sipp_bg "$1-uac" "$E2E_IN_IP:5060" 5070 "$SIPP_DIR/call_uac_byed.xml" -s pub -au carol \
    -ap in-secret -key mport 41070
  wait_pair "$4: Sluice ends the call, BYE to both ends" $! "$uas"
  e2e_check "$4: no leg left on either" eval "e2e_wait_for 5 no_legs e2e_ctl && e2e_wait_for 5 no_legs e2e_in_ctl"
  sed -i "/^  $4\$/d" "$2"
  kill -HUP "$3"
}
# sip.max_call_duration on the inside appliance
sluice_ends_call maxdur "$in_cfg" "$E2E_IN_CP_PID" "max_call_duration: 2"
e2e_check "max duration: counted on the inside appliance" ended e2e_in_ctl max_duration 1
# sip.media_timeout on the DMZ: a call whose media never flows is ended
# there (the dataplane reports its legs idle); the BYE reaches the callee
# directly and the caller through the inside appliance
sluice_ends_call idle "$cfg" "$E2E_CP_PID" "media_timeout: 2"
e2e_check "media timeout: counted on the DMZ, the inside saw the DMZ's BYE" \
  eval "ended e2e_ctl media_timeout 1 && ended e2e_in_ctl bye_callee 2"

# a session timer the callee grants (3 s, refresher=uas) and never
# refreshes: both appliances relay it, Sluice ends the call when it runs out
sipp_bg timer-uas "" 5080 "$SIPP_DIR/call_uas_timer.xml" -key mport 42080 -key sdpx a=sendrecv
uas=$!; sleep 0.3
sipp_bg timer-uac "$E2E_IN_IP:5060" 5070 "$SIPP_DIR/call_uac_byed.xml" -s pub -au carol -ap in-secret -key mport 41070
wait_pair "session timer 3 s not refreshed: Sluice ends the call, BYE to both ends" $! "$uas"
e2e_check "session timer: the caller got Session-Expires in the 200, through both appliances" \
  grep -q "Session-Expires: 3;refresher=uas" "$E2E_TMP/timer-uac.msg"
session_expired() {
  "$E2E_PY" -c 'import json,sys; print(sum(json.loads(a)["cp"]["sip"]["calls"]["ended"]["session_expired"] for a in sys.argv[1:]))' \
    "$(e2e_ctl --json status)" "$(e2e_in_ctl --json status)"
}
e2e_check "session timer: counted session_expired" test "$(session_expired)" -ge 1
e2e_check "session timer: no leg left on either" eval "e2e_wait_for 5 no_legs e2e_ctl && e2e_wait_for 5 no_legs e2e_in_ctl"

# ---- 5. a registered callee: public to public on the DMZ; ICE passthrough ----------
timeout 20 ip netns exec "$E2E_CLI" sipp "$E2E_APP_IP:5060" -sf "$SIPP_DIR/register_ok.xml" \
  -s alice -au alice -ap e2e-secret -m 1 -i "$E2E_CLI_IP" -p 5084 -nostdin -timeout 15s > /dev/null 2>&1
e2e_check "alice registered from $E2E_CLI_IP:5084" test $? -eq 0
reg_call() {  # label sdp-attribute
  sipp_bg "$1-uas" "" 5084 "$SIPP_DIR/call_uas.xml" -key mport 42084 -key sdpx "$2"
  local uas=$!; sleep 0.3
  sipp_bg "$1-uac" "$E2E_APP_IP:5060" 5086 "$SIPP_DIR/call_uac.xml" -s alice -au alice -ap e2e-secret \
    -key mport 41086 -d 2000 -key sdpx "$2"
  local uac=$!
  e2e_check "$1: the call to the registered alice is up" e2e_wait_for 20 call_up e2e_ctl
  CALL_JSON=$(calls_json e2e_ctl); FLOWS_JSON=$(e2e_ctl --json flows count)
  wait_pair "$1" "$uac" "$uas"
}
reg_call reg a=sendrecv
e2e_check "registered callee: both sides public, two PORT legs on the DMZ" \
  e2e_json "$CALL_JSON" "[c for c in j['calls'] if c['a']['kind'] == 'public' and c['b']['kind'] == 'public' and c['b']['address'] == '$E2E_CLI_IP:5084' and len(c['legs']) == 2 and all(l['dataplane']['kind'] == 'port' for l in c['legs'])] != []"
e2e_check "registered callee: the callee saw the DMZ in the SDP" grep -q "c=IN IP4 $E2E_APP_IP" "$E2E_TMP/reg-uas.msg"
reg_call ice "a=ice-ufrag:e2e$E2E_ID"
e2e_check "ICE both ends: passthrough, no leg in the DMZ during the call" \
  eval "e2e_json '$CALL_JSON' \"j['calls'][0]['ice_passthrough'] and j['calls'][0]['legs'] == []\" && e2e_json '$FLOWS_JSON' \"j['legs'] == 0\""
e2e_check "ICE both ends: the callee saw the caller's own address and ICE attribute" \
  eval "grep -q 'c=IN IP4 $E2E_CLI_IP' $E2E_TMP/ice-uas.msg && grep -q 'a=ice-ufrag:e2e$E2E_ID' $E2E_TMP/ice-uas.msg"
e2e_check "registered and ICE calls: no leg left" no_legs e2e_ctl

# ---- 6. zone cut and restored: calls work again -----------------------------------------
# a call is up when the link goes: each appliance ends its half (BYE to
# its endpoint, legs deleted); the inside's BYE reaches the caller once the
# link is back (retransmitted over UDP)
sipp_bg lost-uas "" 5080 "$SIPP_DIR/call_uas.xml" -key mport 42080 -key sdpx a=sendrecv
uas=$!; sleep 0.3
sipp_bg lost-uac "$E2E_IN_IP:5060" 5070 "$SIPP_DIR/call_uac_byed.xml" -s pub -au carol -ap in-secret -key mport 41070
uac=$!
e2e_check "zone loss: a call is up through both" e2e_wait_for 20 eval "call_up e2e_in_ctl && call_up e2e_ctl"
in_cli ip link set "$E2E_IN_SW_IF" down
zone_down() { ! zone_up; }
e2e_check "cut: zone dmz goes down" e2e_wait_for 12 zone_down
e2e_check "cut: the DMZ ends its half of the call (zone_lost) and deletes its legs" \
  e2e_wait_for 10 eval "ended e2e_ctl zone_lost 1 && no_legs e2e_ctl"
e2e_check "cut: the inside appliance ends its half (zone_lost) and deletes its legs" \
  e2e_wait_for 5 eval "ended e2e_in_ctl zone_lost 1 && legs_gone e2e_in_ctl"
in_cli ip link set "$E2E_IN_SW_IF" up
wait_pair "zone loss: both ends were sent a BYE" "$uac" "$uas"
e2e_check "zone loss: no call left once the caller answered the BYE" e2e_wait_for 5 no_legs e2e_in_ctl
e2e_check "restored: zone dmz up again" e2e_wait_for 30 zone_up
call_with_media again "$E2E_IN_IP:5060" pub 5072 5080 carol in-secret e2e_in_ctl e2e_ctl "$E2E_IN_IP" "$E2E_APP_IP"

e2e_check "DMZ sluice-cp exits 0 on SIGTERM" e2e_cp_stop
e2e_check "inside sluice-cp exits 0 on SIGTERM" e2e_appliance_cp_stop IN
e2e_check "DMZ sluice-dp exits 0 on SIGTERM" e2e_dp_stop
e2e_done
