# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/sip_lib.sh — sipp calls through Sluice appliances, for the SIP
# tests (test_sip_calls.sh, test_sip_chain.sh, test_sip_offers.sh) and
# benchmarks; sourced after lib.sh.
#
# sipp and the RTP ends run on a test host: the client namespace
# ($E2E_CLI, $E2E_CLI_IP) unless SIPP_NS/SIPP_IP say another (a far
# network's host, e2e_far_net_add). An appliance is named by its sluicectl
# function (e2e_ctl, e2e_in_ctl, or one of the test's own).

# What every such test needs, checked when this file is sourced.
e2e_require_root
[ -x "$SLUICE_CP" ] || { echo "FAIL: $SLUICE_CP not built" >&2; exit 1; }
command -v sipp >/dev/null || e2e_skip "sipp not installed (apt-get install sip-tester)"

SIPP_DIR=$E2E_SRC/tests/e2e/sip
RTP=$E2E_SRC/tests/e2e/rtp_pair.py
N=${N:-50}

sipp_bg() {  # name remote port scenario extra-args...: a bounded sipp on a test host
  local name=$1 remote=$2 port=$3 sf=$4; shift 4
  timeout 40 ip netns exec "${SIPP_NS:-$E2E_CLI}" sipp ${remote:+"$remote"} -sf "$sf" \
    -i "${SIPP_IP:-$E2E_CLI_IP}" \
    -p "$port" -m 1 -nostdin -timeout 30s -trace_msg -message_file "$E2E_TMP/$name.msg" \
    -trace_err -error_file "$E2E_TMP/$name.err" -trace_stat -stf "$E2E_TMP/$name.csv" \
    "$@" > /dev/null 2>&1 &
}
calls_json() { "$1" --json calls 2>/dev/null; }
call_up() { e2e_json "$(calls_json "$1")" "[c for c in j['calls'] if c['state'] == 'up'] != []"; }
# the JSON of the first call's stream 0 on a side: ctl side key
stream_val() { calls_json "$1" | "$E2E_PY" -c "import json,sys; c=json.load(sys.stdin)['calls'][0]; print(c['streams'][0]['$2']['$3'])"; }
# the dataplane counter of the leg facing SIDE: ctl side counter
leg_ctr() {
  calls_json "$1" | "$E2E_PY" -c "
import json,sys
c = json.load(sys.stdin)['calls'][0]
print([l for l in c['legs'] if l['side'] == '$2'][0]['dataplane']['$3'])"
}
# both legs facing SIDE… of the first call counted N packets in and out
legs_counted() {  # ctl side...
  local ctl=$1; shift
  local side
  for side in "$@"; do
    [ "$(leg_ctr "$ctl" "$side" pkts_in)" = "$N" ] &&
      [ "$(leg_ctr "$ctl" "$side" pkts_out)" = "$N" ] || return 1
  done
}
wait_pair() {  # label uac-pid uas-pid: both sipp end well
  local rc1 rc2
  wait "$2"; rc1=$?
  wait "$3"; rc2=$?
  e2e_check "$1: sipp caller exit $rc1, callee exit $rc2" test "$rc1" -eq 0 -a "$rc2" -eq 0
}
legs_gone() {  # ctl: no leg in sluice-cp's store nor in the dataplane
  e2e_json "$($1 --json flows count 2>/dev/null)" "j['legs'] == 0 and j['dataplane_legs'] == 0"
}
no_legs() {  # ctl: no leg and no call
  legs_gone "$1" && e2e_json "$(calls_json "$1")" "j['count'] == 0"
}
# The inside appliance's config (e2e_inside_config) as the SIP tests use
# it: the zone's client (ZONE to PEER:7001, user "inside" with
# "zone-secret"), a caller carol ("in-secret"), bob routed to the sipp
# callee at $E2E_CLI_IP:5100, every other user over the zone.
sip_inside_config() {  # ZONE PEER
  e2e_inside_config "credentials:
  - { username: inside, password: \"zone-secret\" }
  - { username: carol, password: \"in-secret\" }
sip:
  realm: inside.test
  routes:
    - { user: bob, target: \"$E2E_CLI_IP:5100\" }
    - { zone: $1 }
zones:
  - { name: $1, role: client, protocol: sip, peer: $2, port: 7001, username: inside, keepalive: 1 }"
}

# the call is up on every appliance named
calls_up() {  # ctl...
  local c
  for c in "$@"; do call_up "$c" || return 1; done
}

# One call with media: label uac-target callee uac-port uas-port user password
#   caller-ctl (the appliance the caller talks to) callee-ctl (the one the callee hears)
#   caller-appliance-ip callee-appliance-ip
# The caller's sipp and RTP end run on CALL_A_NS/CALL_A_HOST, the callee's
# on CALL_B_NS/CALL_B_HOST (default: the client namespace for both);
# CALL_VIA lists the ctl functions of appliances in between (chained
# traversal), whose half of the call must be zone to zone: two MUX legs,
# each counting the N packets both ways.
call_with_media() {
  local label=$1 target=$2 callee=$3 uac_port=$4 uas_port=$5 user=$6 pw=$7
  local a_ctl=$8 b_ctl=$9 a_ip=${10} b_ip=${11}
  local a_ns=${CALL_A_NS:-$E2E_CLI} a_host=${CALL_A_HOST:-$E2E_CLI_IP}
  local b_ns=${CALL_B_NS:-$E2E_CLI} b_host=${CALL_B_HOST:-$E2E_CLI_IP}
  local a_mport=$((41000 + uac_port % 100)) b_mport=$((42000 + uas_port % 100))
  local via
  SIPP_NS=$b_ns SIPP_IP=$b_host sipp_bg "$label-uas" "" "$uas_port" "$SIPP_DIR/call_uas.xml" \
    -key mport "$b_mport" -mp $((b_mport + 100)) -key sdpx a=sendrecv
  local uas=$!
  sleep 0.3
  SIPP_NS=$a_ns SIPP_IP=$a_host sipp_bg "$label-uac" "$target" "$uac_port" "$SIPP_DIR/call_uac.xml" \
    -s "$callee" -au "$user" -ap "$pw" -key mport "$a_mport" -d 6000 -mp $((a_mport + 100)) \
    -key sdpx a=sendrecv
  local uac=$!
  e2e_check "$label: the call is up on every appliance" \
    e2e_wait_for 20 calls_up "$a_ctl" ${CALL_VIA:-} "$b_ctl"
  local a_port b_port
  a_port=$(stream_val "$a_ctl" caller port)
  b_port=$(stream_val "$b_ctl" callee port)
  local res
  res=$(ip netns exec "$a_ns" "$E2E_PY" "$RTP" --b-netns "$b_ns" "$a_host:$a_mport" "$a_ip:$a_port" \
        "$b_host:$b_mport" "$b_ip:$b_port" "$N")
  echo "$label rtp: $res" >&2
  e2e_check "$label: $N RTP packets caller → callee arrive complete, in order, from $b_ip:$b_port" \
    e2e_json "$res" "j['b_received'] == $N and j['b_seq_ok'] and j['b_from'] == ['$b_ip:$b_port']"
  e2e_check "$label: $N RTP packets callee → caller arrive complete, in order, from $a_ip:$a_port" \
    e2e_json "$res" "j['a_received'] == $N and j['a_seq_ok'] and j['a_from'] == ['$a_ip:$a_port']"
  local text; text=$("$a_ctl" calls); echo "$text" >&2
  e2e_check "$label: sluicectl calls (text) shows the caller's leg with $N packets each way" \
    grep -Eq "caller +leg [0-9]+ +port +$a_port +remote $a_host:$a_mport +\(latched\) in $N out $N drops 0" <<<"$text"
  e2e_check "$label: caller's leg counted $N in and $N out" legs_counted "$a_ctl" caller
  e2e_check "$label: the zone-side (mux) leg on the caller's appliance counted $N each way" \
    legs_counted "$a_ctl" callee
  for via in ${CALL_VIA:-}; do
    e2e_check "$label: $via's half is zone to zone, two MUX legs" \
      e2e_json "$(calls_json "$via")" "[c for c in j['calls'] if c['a']['kind'] == 'zone' and c['b']['kind'] == 'zone' and len(c['legs']) == 2 and all(l['dataplane']['kind'] == 'mux' for l in c['legs'])] != []"
    e2e_check "$label: both MUX legs on $via counted $N each way" legs_counted "$via" caller callee
  done
  e2e_check "$label: the callee's appliance: both legs counted $N in and $N out" \
    legs_counted "$b_ctl" caller callee
  e2e_check "$label: the caller's leg latched the caller's media port" \
    e2e_json "$(calls_json "$a_ctl")" "[l for l in j['calls'][0]['legs'] if l['side'] == 'caller' and l['dataplane']['latched'] and l['dataplane']['remote'] == '$a_host:$a_mport'] != []"
  wait "$uac"; local rc_uac=$?
  wait "$uas"; local rc_uas=$?
  e2e_check "$label: sipp caller completed its call (exit $rc_uac)" test "$rc_uac" -eq 0
  e2e_check "$label: sipp callee completed its call (exit $rc_uas)" test "$rc_uas" -eq 0
  e2e_check "$label: the caller saw SDP naming $a_ip:$a_port" \
    grep -q "m=audio $a_port RTP/AVP 0" "$E2E_TMP/$label-uac.msg"
  e2e_check "$label: ... with c=IN IP4 $a_ip" grep -q "c=IN IP4 $a_ip" "$E2E_TMP/$label-uac.msg"
  e2e_check "$label: early media: the 183 reached the caller with the same rewritten SDP" \
    eval "grep -A 25 '183 Session Progress' '$E2E_TMP/$label-uac.msg' | grep -q 'm=audio $a_port RTP/AVP 0'"
  e2e_check "$label: the callee saw SDP naming $b_ip:$b_port" \
    grep -q "m=audio $b_port RTP/AVP 0" "$E2E_TMP/$label-uas.msg"
  e2e_check "$label: the zone hop's SDP is not what the endpoints saw (no a=sluice-mux at the ends)" \
    eval "! grep -q 'a=sluice-mux' $E2E_TMP/$label-uac.msg $E2E_TMP/$label-uas.msg"
  for via in "$a_ctl" ${CALL_VIA:-} "$b_ctl"; do
    e2e_check "$label: no leg and no call left on $via" e2e_wait_for 5 no_legs "$via"
  done
}

# ---- the traversal pair of e2e-sip-calls and e2e-sip-offers --------------------------
#   ns switch 192.0.2.1 (sipp, rtp_pair.py)        ns inside 192.0.2.20      ns DMZ 192.0.2.10
#   UAC :5070 ──INVITE pub──────────────────────► B2BUA ══zone dmz (tcp)══► B2BUA ──► UAS :5080
#   UAS :5100 ◄─────────────────────────────────── B2BUA ◄══zone═══════════ B2BUA ◄── UAC :5090 (INVITE bob)
# sip_pair_up builds and starts it: the DMZ (server zones branch and
# branch2, routes pub → UAS :5080, bob → zone branch, down → zone
# branch2) and the inside appliance (sip_inside_config: client zone dmz);
# $cfg and $in_cfg are their configs.
zone_up() { e2e_json "$(e2e_in_ctl --json zones 2>/dev/null)" "[z for z in j['zones'] if z['name'] == 'dmz' and z['state'] == 'up'] != []"; }

sip_pair_up() {
  e2e_two_appliances_net
  cfg=$(e2e_config small)
  sed -i '/username: alice/a\  - { username: inside, password: "zone-secret" }' "$cfg"
  cat >> "$cfg" <<EOF
sip:
  realm: dmz.test
  routes:
    - { user: pub, target: "$E2E_CLI_IP:5080" }
    - { user: bob, zone: branch }
    - { user: down, zone: branch2 }
zones:
  - { name: branch, role: server, protocol: sip, username: inside, keepalive: 1 }
  - { name: branch2, role: server, protocol: sip, username: inside, keepalive: 1 }
EOF
  in_cfg=$(sip_inside_config dmz "$E2E_APP_IP")
  e2e_two_appliances_start "$cfg" "$in_cfg" || exit 1
  e2e_pass "two appliances up: DMZ $E2E_APP_IP, inside $E2E_IN_IP"
  e2e_check "zone dmz up" e2e_wait_for 15 zone_up
  e2e_check "both dataplanes attached" e2e_wait_for 10 e2e_cp_ready
}

# ---- counters and sipp's traces ------------------------------------------------------
ended() {  # ctl reason count
  e2e_json "$($1 --json status)" "j['cp']['sip']['calls']['ended']['$2'] == $3"
}
ended_ctr() {  # ctl reason: how many calls ended so
  "$1" --json status 2>/dev/null | "$E2E_PY" -c "import json,sys; print(json.load(sys.stdin)['cp']['sip']['calls']['ended']['$2'])"
}
# calls_counter CTL NAME: a counter of status → cp.sip.calls
calls_counter() {
  "$1" --json status 2>/dev/null | "$E2E_PY" -c "import json,sys; print(json.load(sys.stdin)['cp']['sip']['calls']['$2'])"
}
# legs_are CTL N: sluice-cp's store and the dataplane both hold N legs
legs_are() {
  e2e_json "$($1 --json flows count 2>/dev/null)" "j['legs'] == $2 and j['dataplane_legs'] == $2"
}
# the SDP port of the received message with CSeq CSEQ in a sipp trace
msg_port() {  # file cseq-line [must-contain]
  "$E2E_PY" - "$@" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
for part in re.split(r"\n-{20,}[^\n]*\n", text):
    if "message received" in part and sys.argv[2] in part and (len(sys.argv) < 4 or sys.argv[3] in part):
        m = re.search(r"^m=audio (\d+) ", part, re.M)
        if m:
            print(m.group(1))
            break
PY
}
# msg_has FILE NEEDLE...: some message sipp received (in its -trace_msg
# file) contains every needle
msg_has() {
  "$E2E_PY" - "$@" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
parts = [p for p in re.split(r"\n-{20,}[^\n]*\n", text) if "message received" in p]
sys.exit(0 if any(all(n in p for n in sys.argv[2:]) for p in parts) else 1)
PY
}
