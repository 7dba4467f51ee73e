#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_sip_chain.sh — chained traversal: three Sluice appliances (each its
# own sluice-dp and sluice-cp), the middle one the server of the inside
# one's zone and the client of the DMZ one's; sipp at both ends, RTP
# counted where it arrives and on every leg.
#
#   ns switch: br0 192.0.2.1 (inside sipp)                      ns far: br0 203.0.113.1 (public sipp)
#     inside 192.0.2.20 ──zone A "mid"──► middle 192.0.2.10 ──zone B "dmz"──► DMZ 203.0.113.10
#     (client of A)        (tcp 7001)     (server of A,        198.51.100.1 ═ wan ═ 198.51.100.2
#                                          client of B)        (the link this test cuts)
#   media: sipp ─► PORT leg ═mux═► MUX leg ─peer─ MUX leg ═mux═► MUX leg ─ PORT leg ─► sipp
#                  inside          middle (zone to zone)        DMZ
#
# Routing by sip.routes on each hop: inside bob → its sipp, the rest → A;
# middle bob → A (its server zone "branch"), the rest → B; DMZ pub → the
# public sipp, the rest → B (its server zone "middle").
#
# 1. inside → public: the inside sipp calls "pub" (digest on the inside
#    appliance); 50 RTP packets each way arrive complete at the far ends,
#    the caller's and callee's legs and both MUX legs of the middle count
#    them; the middle's half is zone to zone; nothing is left on any
#    appliance after the BYE.
# 2. public → inside: the public sipp calls "bob" on the DMZ, the same.
# 3. a loop: the DMZ sends an unknown user to the middle, whose default
#    route leads back over zone B: 482, relayed to the public caller.
# 4. zone B cut during a call (the wan link down): the middle's client
#    zone and the DMZ's server zone go down; the DMZ ends its half (BYE to
#    the public callee), the middle its half (BYE over zone A, the inside
#    relays it to the caller); no leg, no call anywhere. The link comes
#    back, zone B reconnects and a call with media goes through again.
E2E_PFX=sipx
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sip_lib.sh"    # root, sluice-cp and sipp or skip

# ---- the network: the lib's appliance is the middle one ---------------------------
e2e_two_appliances_net                 # switch, middle ($E2E_APP_IP), inside (E2E_IN_*)
e2e_far_net_add FAR f 203.0.113        # the far network beyond the wan link
e2e_appliance_add DMZ d 203.0.113.10 "$E2E_FAR_IP" "$E2E_FAR_NS"
MID_IP=$E2E_APP_IP
dmz_ctl() { e2e_appliance_ctl DMZ "$@"; }

# ---- DMZ: server of zone B ---------------------------------------------------------
dmz_cfg=$(e2e_appliance_config DMZ "credentials:
  - { username: alice, password: \"e2e-secret\" }
  - { username: middle, password: \"zone-b-secret\" }
sip:
  realm: dmz.test
  routes:
    - { user: pub, target: \"$E2E_FAR_IP:5080\" }
    - { zone: middle }
zones:
  - { name: middle, role: server, protocol: sip, port: 7001, username: middle, keepalive: 1 }")

# ---- middle: server of zone A, client of zone B ------------------------------------
# (a client zone's default port counts its index among all SIP zones: 7002
# here; the DMZ's server zone is 7001, so it is said)
cfg=$(e2e_config small)
sed -i -e '/username: alice/a\  - { username: middle, password: "zone-b-secret" }' \
  -e '/username: alice/a\  - { username: inside, password: "zone-secret" }' "$cfg"
cat >> "$cfg" <<EOF
sip:
  realm: middle.test
  routes:
    - { user: bob, zone: branch }
    - { zone: dmz }
zones:
  - { name: branch, role: server, protocol: sip, port: 7001, username: inside, keepalive: 1 }
  - { name: dmz, role: client, protocol: sip, peer: $E2E_DMZ_IP, port: 7001, username: middle, keepalive: 1 }
EOF

# ---- inside: client of zone A ------------------------------------------------------
in_cfg=$(sip_inside_config mid "$MID_IP")

e2e_appliance_dp_start DMZ "$dmz_cfg" || exit 1
e2e_appliance_cp_start DMZ "$dmz_cfg" || exit 1
e2e_two_appliances_start "$cfg" "$in_cfg" || exit 1
e2e_pass "three appliances up: inside $E2E_IN_IP, middle $MID_IP, DMZ $E2E_DMZ_IP"

zone_state() {  # ctl zone state
  e2e_json "$("$1" --json zones 2>/dev/null)" "[z for z in j['zones'] if z['name'] == '$2' and z['state'] == '$3'] != []"
}
zone_a_up() { zone_state e2e_in_ctl mid up && zone_state e2e_ctl branch up; }
zone_b_up() { zone_state e2e_ctl dmz up && zone_state dmz_ctl middle up; }
zone_b_down() { ! zone_state e2e_ctl dmz up && ! zone_state dmz_ctl middle up; }
e2e_check "zone A up (inside client, middle server)" e2e_wait_for 20 zone_a_up
e2e_check "zone B up (middle client, DMZ server)" e2e_wait_for 20 zone_b_up
all_ready() {
  local c
  for c in e2e_in_ctl e2e_ctl dmz_ctl; do
    e2e_json "$("$c" --json status 2>/dev/null)" "j['cp'] and j['cp']['dataplane']['phase'] == 'ready'" || return 1
  done
}
e2e_check "three control planes attached to their dataplanes" e2e_wait_for 10 all_ready

nothing_left() { no_legs e2e_in_ctl && no_legs e2e_ctl && no_legs dmz_ctl; }

# ---- 1. inside → public, 2. public → inside -----------------------------------------
CALL_B_NS=$E2E_FAR_NS CALL_B_HOST=$E2E_FAR_IP CALL_VIA=e2e_ctl \
  call_with_media out "$E2E_IN_IP:5060" pub 5070 5080 carol in-secret e2e_in_ctl dmz_ctl "$E2E_IN_IP" "$E2E_DMZ_IP"
e2e_check "out: every hop took one off Max-Forwards (70 from the caller, 67 at the callee)" \
  grep -q "^Max-Forwards: 67" "$E2E_TMP/out-uas.msg"
CALL_A_NS=$E2E_FAR_NS CALL_A_HOST=$E2E_FAR_IP CALL_VIA=e2e_ctl \
  call_with_media in "$E2E_DMZ_IP:5060" bob 5090 5100 alice e2e-secret dmz_ctl e2e_in_ctl "$E2E_DMZ_IP" "$E2E_IN_IP"

calls_ctr() {  # ctl python-expression over c (status cp.sip.calls)
  e2e_json "$("$1" --json status 2>/dev/null)" "[c for c in [j['cp']['sip']['calls']] if $2] != []"
}
e2e_check "middle: 2 calls answered, both ended by BYE, no leg error" \
  calls_ctr e2e_ctl "c['answered'] == 2 and c['ended']['bye_caller'] == 2 and c['leg_errors'] == 0 and c['legs_added'] == 4 and c['legs_deleted'] == 4"
e2e_check "middle log: the INVITEs went zone to zone" eval \
  "grep -q 'SIP call caller -> pub: INVITE to sip:pub@$E2E_DMZ_IP (dmz)' '$E2E_TMP/cp.log' &&
   grep -q 'SIP call caller -> bob: INVITE to sip:bob@$E2E_IN_IP (branch)' '$E2E_TMP/cp.log'"

# ---- 3. a loop back over zone B: 482 ---------------------------------------------------
sed -e "s/@CODE@/482/g" -e "s|@MEDIA@|m=audio 41500 RTP/AVP 0|" "$SIPP_DIR/call_refused.xml" > "$E2E_TMP/loop.xml"
timeout 20 ip netns exec "$E2E_FAR_NS" sipp "$E2E_DMZ_IP:5060" -sf "$E2E_TMP/loop.xml" \
  -s nobody -au alice -ap e2e-secret -i "$E2E_FAR_IP" -p 5110 -m 1 -nostdin -timeout 15s \
  -trace_err -error_file "$E2E_TMP/loop.err" > /dev/null 2>&1
rc=$?
e2e_check "a call the middle would send back over zone B: 482 to the public caller (sipp exit $rc)" test "$rc" -eq 0
e2e_check "the loop left nothing behind" e2e_wait_for 5 nothing_left

# ---- 4. zone B cut during a call, restored ----------------------------------------------
SIPP_NS=$E2E_FAR_NS SIPP_IP=$E2E_FAR_IP sipp_bg lost-uas "" 5080 "$SIPP_DIR/call_uas.xml" \
  -key mport 42080 -key sdpx a=sendrecv
uas=$!; sleep 0.3
sipp_bg lost-uac "$E2E_IN_IP:5060" 5070 "$SIPP_DIR/call_uac_byed.xml" -s pub -au carol \
  -ap in-secret -key mport 41070
uac=$!
e2e_check "cut: a call is up through the three appliances" \
  e2e_wait_for 20 calls_up e2e_in_ctl e2e_ctl dmz_ctl
e2e_far_net_link FAR down
e2e_check "cut: zone B goes down on both ends" e2e_wait_for 15 zone_b_down
ended() {  # ctl reason count
  calls_ctr "$1" "c['ended']['$2'] == $3"
}
e2e_check "cut: the DMZ ends its half (zone_lost), no leg, no call" \
  e2e_wait_for 10 eval "ended dmz_ctl zone_lost 1 && no_legs dmz_ctl"
e2e_check "cut: the middle ends its half (zone_lost), no leg, no call" \
  e2e_wait_for 10 eval "ended e2e_ctl zone_lost 1 && no_legs e2e_ctl"
e2e_check "cut: the inside ends its half on the middle's BYE, no leg, no call" \
  e2e_wait_for 10 eval "ended e2e_in_ctl bye_callee 1 && no_legs e2e_in_ctl"
wait_pair "cut: both ends were sent a BYE" "$uac" "$uas"
e2e_check "cut: zone A stayed up" zone_a_up
e2e_far_net_link FAR up
e2e_check "restored: zone B up again" e2e_wait_for 40 zone_b_up
CALL_B_NS=$E2E_FAR_NS CALL_B_HOST=$E2E_FAR_IP CALL_VIA=e2e_ctl \
  call_with_media again "$E2E_IN_IP:5060" pub 5072 5080 carol in-secret e2e_in_ctl dmz_ctl "$E2E_IN_IP" "$E2E_DMZ_IP"

e2e_check "nothing left on any appliance: flows count 0, no call" nothing_left
e2e_check "middle sluice-cp exits 0 on SIGTERM" e2e_cp_stop
e2e_check "inside sluice-cp exits 0 on SIGTERM" e2e_appliance_cp_stop IN
e2e_check "DMZ sluice-cp exits 0 on SIGTERM" e2e_appliance_cp_stop DMZ
e2e_check "middle sluice-dp exits 0 on SIGTERM" e2e_dp_stop
e2e_done
