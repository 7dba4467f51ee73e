# SPDX-License-Identifier: BSD-3-Clause
#
# sip_lib.sh — what the SIP call tests share (sourced after lib.sh): the
# traversal pair they call through, and helpers for sipp, sluicectl calls
# and the legs.
#
#   ns switch 192.0.2.1 (sipp, rtp_pair.py)        ns inside 192.0.2.20      ns DMZ 192.0.2.10
#   UAC :5070 ──INVITE pub──────────────────────► B2BUA ══zone dmz (tcp)══► B2BUA ──► UAS :5080
#   UAS :5100 ◄─────────────────────────────────── B2BUA ◄══zone═══════════ B2BUA ◄── UAC :5090 (INVITE bob)
#
# sip_pair_up builds and starts it: the DMZ (server zones branch and
# branch2, routes pub → UAS :5080, bob → zone branch, down → zone branch2)
# and the inside appliance (client zone dmz, bob → UAS :5100, everything
# else over the zone; user carol); $cfg and $in_cfg are their configs.
[ -x "$SLUICE_CP" ] || { echo "FAIL: $SLUICE_CP not built" >&2; exit 1; }
command -v sipp >/dev/null || e2e_skip "sipp not installed (apt-get install sip-tester)"
SIPP_DIR=$E2E_SRC/tests/e2e/sip
RTP=$E2E_SRC/tests/e2e/rtp_pair.py
N=50

zone_up() { e2e_json "$(e2e_in_ctl --json zones 2>/dev/null)" "[z for z in j['zones'] if z['name'] == 'dmz' and z['state'] == 'up'] != []"; }

sip_pair_up() {
  e2e_two_appliances_net

  # the DMZ: server zones, routes to the public UAS and over the zone
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

  # inside: client zone, routes to the inside UAS and over the zone
  in_cfg=$(e2e_inside_config "credentials:
  - { username: inside, password: \"zone-secret\" }
  - { username: carol, password: \"in-secret\" }
sip:
  realm: inside.test
  routes:
    - { user: bob, target: \"$E2E_CLI_IP:5100\" }
    - { zone: dmz }
zones:
  - { name: dmz, role: client, protocol: sip, peer: $E2E_APP_IP, port: 7001, username: inside, keepalive: 1 }")

  e2e_two_appliances_start "$cfg" "$in_cfg" || exit 1
  e2e_pass "two appliances up: DMZ $E2E_APP_IP, inside $E2E_IN_IP"
  e2e_check "zone dmz up" e2e_wait_for 15 zone_up
  e2e_check "both dataplanes attached" e2e_wait_for 10 e2e_cp_ready
}

# ---- helpers ------------------------------------------------------------------------
sipp_bg() {  # name remote port scenario extra-args...: a bounded sipp in the switch
  local name=$1 remote=$2 port=$3 sf=$4; shift 4
  timeout 40 ip netns exec "$E2E_CLI" sipp ${remote:+"$remote"} -sf "$sf" -i "$E2E_CLI_IP" \
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

ended() {  # ctl reason count
  e2e_json "$($1 --json status)" "j['cp']['sip']['calls']['ended']['$2'] == $3"
}
ended_ctr() {  # ctl reason: how many calls ended so
  "$1" --json status 2>/dev/null | "$E2E_PY" -c "import json,sys; print(json.load(sys.stdin)['cp']['sip']['calls']['ended']['$2'])"
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
# calls_ctr CTL NAME: a counter of status → cp.sip.calls
calls_ctr() {
  "$1" --json status 2>/dev/null | "$E2E_PY" -c "import json,sys; print(json.load(sys.stdin)['cp']['sip']['calls']['$2'])"
}
# legs_are CTL N: sluice-cp's store and the dataplane both hold N legs
legs_are() {
  e2e_json "$($1 --json flows count 2>/dev/null)" "j['legs'] == $2 and j['dataplane_legs'] == $2"
}
