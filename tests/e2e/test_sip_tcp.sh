#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_sip_tcp.sh — a public endpoint that calls over TCP without
# registering (a trunk, a UA with a static route to us), through the
# traversal pair of sip_lib.sh: the caller's sipp over TCP to the DMZ, over
# the zone to the inside appliance, its route to a sipp callee over UDP.
#
# 1. a short call over TCP, the caller hangs up: every message of the
#    caller's dialog rides its one TCP connection (the DMZ's side A says
#    tcp), and nothing is left;
# 2. a call that outlives the 32 s a connection gets to register: the
#    callee hangs up after 34 s and its BYE reaches the TCP caller down the
#    same connection, which Sluice kept open because the call uses it
#    (before, it was closed at 32 s and the BYE had nowhere to go); no
#    connection timed out on the DMZ, nothing is left.
E2E_PFX=sipt
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sip_lib.sh"    # root, sluice-cp and sipp or skip
sip_pair_up

# a sipp over TCP from the switch to the DMZ: name scenario seconds extra...
sipp_tcp() {
  local name=$1 sf=$2 secs=$3; shift 3
  timeout $((secs + 10)) ip netns exec "$E2E_CLI" sipp "$E2E_APP_IP:5060" -t t1 -sf "$sf" \
    -i "$E2E_CLI_IP" -p 5090 -m 1 -nostdin -timeout "${secs}s" -trace_msg \
    -message_file "$E2E_TMP/$name.msg" -trace_err -error_file "$E2E_TMP/$name.err" \
    -s bob -au alice -ap e2e-secret -key mport 41090 "$@" > /dev/null 2>&1 &
}
# the same for the callee, over UDP on the inside route's 5100
sipp_uas() {
  local name=$1 sf=$2 secs=$3; shift 3
  timeout $((secs + 10)) ip netns exec "$E2E_CLI" sipp -sf "$sf" -i "$E2E_CLI_IP" -p 5100 -m 1 \
    -nostdin -timeout "${secs}s" -trace_msg -message_file "$E2E_TMP/$name.msg" \
    -key mport 42100 "$@" > /dev/null 2>&1 &
}
a_side_tcp() {
  e2e_json "$(calls_json e2e_ctl)" "[c for c in j['calls'] if c['state'] == 'up' and c['a']['transport'] == 'tcp' and c['a']['kind'] == 'public'] != []"
}
sip_ctr() {  # ctl counter: status → cp.sip
  "$1" --json status 2>/dev/null | "$E2E_PY" -c "import json,sys; print(json.load(sys.stdin)['cp']['sip']['$2'])"
}

# ---- 1. a short call over TCP ---------------------------------------------------------------
sipp_uas short-uas "$SIPP_DIR/call_uas.xml" 20 -key sdpx a=sendrecv
uas=$!; sleep 0.3
sipp_tcp short-uac "$SIPP_DIR/call_uac.xml" 20 -d 2000 -key sdpx a=sendrecv
uac=$!
e2e_check "short: the DMZ holds the call, its caller's side over tcp" e2e_wait_for 10 a_side_tcp
wait_pair "short call over TCP, the caller hangs up" "$uac" "$uas"
e2e_check "short: the caller's BYE ended it on both appliances" \
  eval "ended e2e_ctl bye_caller 1 && ended e2e_in_ctl bye_caller 1"
e2e_check "short: no leg or call left on either appliance" \
  eval "e2e_wait_for 5 no_legs e2e_ctl && e2e_wait_for 5 no_legs e2e_in_ctl"

# ---- 2. a call longer than the registration grace ------------------------------------------
timeouts_before=$(sip_ctr e2e_ctl conn_timeouts)
sipp_uas long-uas "$SIPP_DIR/call_uas_hangup.xml" 60 -d 34000
uas=$!; sleep 0.3
sipp_tcp long-uac "$SIPP_DIR/call_uac_byed.xml" 60
uac=$!
e2e_check "long: the call is up, the caller's side over tcp" e2e_wait_for 10 a_side_tcp
wait_pair "long call over TCP (34 s), the callee hangs up" "$uac" "$uas"
e2e_check "long: the callee's BYE reached the TCP caller" grep -q "^BYE sip:" "$E2E_TMP/long-uac.msg"
e2e_check "long: ended by the callee on both appliances" \
  eval "ended e2e_ctl bye_callee 1 && ended e2e_in_ctl bye_callee 1"
e2e_check "long: no connection timed out on the DMZ during it" \
  test "$(sip_ctr e2e_ctl conn_timeouts)" = "$timeouts_before"
e2e_check "long: no leg or call left on either appliance" \
  eval "e2e_wait_for 5 no_legs e2e_ctl && e2e_wait_for 5 no_legs e2e_in_ctl"

e2e_check "DMZ sluice-cp exits 0 on SIGTERM" e2e_cp_stop
e2e_done
