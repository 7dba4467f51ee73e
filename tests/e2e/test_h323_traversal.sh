#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_h323_traversal.sh — H.323 RAS and H.460.18 through the real
# sluice-dp and sluice-cp.
#
#   client ns 192.0.2.1                          appliance ns 192.0.2.10
#   h323_ep (our codec) ──UDP 1719──► sluice-dp ──TAP──► sluice-cp RAS
#                       ◄─────────── RCF/RRJ/SCI ◄──────
#                       ──TCP 1720 (Facility)────────────► held
#   h323_ep zone        ──UDP 6001──► zone "branch" (SCI/SCR, LRQ)
#
# 1. a wrong password gets RRJ securityDenial;
# 2. a clock an hour behind gets RRJ securityError (securityWrongSyncTime)
#    and sluice-cp logs a clock problem with the offset;
# 3. datagrams that are not RAS are dropped and counted (status --json);
# 4. alice registers with H.460.18 (sluicectl registrations shows it) and
#    keeps alive;
# 5. `sluicectl h323 call alice`: SCI → SCR → TCP 1720 → Facility with the
#    callID → sluice-cp matches it to the call (h323 calls, the log);
# 6. the traversal client of zone "branch" gets LRQKeepAliveData in the SCR
#    and an LCF for alice, an LRJ for an unknown alias;
# 7. the held connection gets sluice-cp's empty Facility keep-alive.
. "$(dirname "$0")/lib.sh"
e2e_require_root
[ -x "$SLUICE_CP" ] || { echo "FAIL: $SLUICE_CP not built" >&2; exit 1; }
H323_EP=$E2E_BUILD/controlplane/h323/tests/h323_ep
[ -x "$H323_EP" ] || { echo "FAIL: $H323_EP not built" >&2; exit 1; }

e2e_net_up
cfg=$(e2e_config small)
# a zone for the traversal client, with its own credential
sed -i '/username: alice/a\  - { username: branch-tc, password: "zone-secret" }' "$cfg"
cat >> "$cfg" <<'EOF'
zones:
  - { name: branch, role: server, protocol: h323, username: branch-tc, keepalive: 5 }
EOF
e2e_dp_start "$cfg" || exit 1
e2e_cp_start "$cfg" || exit 1
e2e_wait_for 10 e2e_cp_ready || { e2e_fail "sluice-cp attached in 10 s"; e2e_done; }
e2e_pass "sluice-dp and sluice-cp up"

# one bounded run of the scripted endpoint in the client namespace
ep() { timeout 20 ip netns exec "$E2E_CLI" "$H323_EP" --server "$E2E_APP_IP" --bind "$E2E_CLI_IP" "$@"; }
status_json() { e2e_ctl --json status 2>/dev/null; }

# ---- 1. wrong password ------------------------------------------------------
out=$(ep --alias alice --password wrong register); rc=$?
e2e_log "wrong password: $out"
e2e_check "wrong password: RRJ securityDenial (exit $rc)" \
  test "$rc" -eq 1 -a -n "$(grep -x 'RRJ reason=securityDenial keepalive=0' <<<"$out")"

# ---- 2. clock skew -------------------------------------------------------------
out=$(ep --alias alice --skew -3600 register); rc=$?
e2e_log "clock an hour behind: $out"
e2e_check "skewed clock: RRJ securityError securityWrongSyncTime (exit $rc)" \
  test "$rc" -eq 1 -a -n "$(grep -x 'RRJ reason=securityWrongSyncTime keepalive=0' <<<"$out")"
e2e_check "sluice-cp logged a clock problem with the offset" \
  e2e_wait_for 3 grep -q "RRQ from $E2E_CLI_IP:[0-9]* (user alice) refused: clock problem: its H.235 timestamp is 360[0-9] s behind ours" "$E2E_TMP/cp.log"
e2e_check "status counts both refusals" e2e_json "$(status_json)" \
  "j['cp']['h323']['ras']['rrj_security'] == 1 and j['cp']['h323']['ras']['rrj_clock'] == 1 and j['cp']['h323']['registrations'] == 0"

# ---- 3. malformed ------------------------------------------------------------------
out=$(ep malformed 5)
malformed5() { e2e_json "$(status_json)" "j['cp']['h323']['ras']['malformed'] == 5"; }
e2e_check "5 malformed datagrams dropped and counted (status --json)" e2e_wait_for 5 malformed5
e2e_check "sluice-cp logged the malformed datagrams" \
  grep -q "malformed datagram of [0-9]* octets dropped" "$E2E_TMP/cp.log"

# ---- 4. register with H.460.18, keep alive --------------------------------------
EP_LOG=$E2E_TMP/ep.log
in_cli "$H323_EP" --server "$E2E_APP_IP" --bind "$E2E_CLI_IP" --alias alice \
  --ttl 6 traversal 60 > "$EP_LOG" 2>&1 &
EP_PID=$!
E2E_EXTRA_PIDS="$EP_PID"
e2e_check "alice registered: RCF with H.460.18, TTL 6 s" \
  e2e_wait_for 10 grep -q "^RCF epid=sl-[0-9a-f]* ttl=6 keepalive=0 h46018=1$" "$EP_LOG"
regs=$(e2e_ctl --json registrations)
e2e_log "registrations: $regs"
e2e_check "registrations --json: alice, H.460.18, from the client's address" e2e_json "$regs" \
  "j['count'] == 1 and j['registrations'][0]['protocol'] == 'h323' and j['registrations'][0]['username'] == 'alice' and j['registrations'][0]['traversal'] == 'h460.18' and j['registrations'][0]['address'].startswith('$E2E_CLI_IP:') and j['registrations'][0]['port'] == 1719 and j['registrations'][0]['aliases'][0] == {'type': 'h323_id', 'value': 'alice'} and 0 < j['registrations'][0]['expires_in_s'] <= 16"
text=$(e2e_ctl registrations)
e2e_log "registrations (text):"; echo "$text" >&2
e2e_check "registrations (text) lists alice with H.460.18" grep -Eq '^h323 +alice +192\.0\.2\.1:[0-9]+ +H\.460\.18 ' <<<"$text"
kept() { e2e_json "$(e2e_ctl --json registrations)" "j['registrations'][0]['keepalives'] >= 1"; }
e2e_check "alice's keep-alive RRQ refreshed the registration" e2e_wait_for 8 kept
e2e_check "the endpoint got an RCF to its keep-alive" grep -q "^RCF epid=.* keepalive=1 " "$EP_LOG"

# ---- 5. an incoming call: SCI, SCR, TCP 1720, Facility -------------------------------
call=$(e2e_ctl --json h323 call alice)
e2e_log "h323 call: $call"
e2e_check "h323 call alice: SCI sent" e2e_json "$call" "j['call']['state'] == 'sci-sent' and j['call']['alias'] == 'alice'"
cid=$("$E2E_PY" -c 'import json,sys; print(json.loads(sys.argv[1])["call"]["call_id"])' "$call" 2>/dev/null)
e2e_check "the endpoint got the SCI with callID $cid" e2e_wait_for 5 grep -q "^SCI seq=[0-9]* callid=$cid$" "$EP_LOG"
e2e_check "the endpoint sent the Facility to $E2E_APP_IP:1720" \
  e2e_wait_for 5 grep -q "^FACILITY callid=$cid to=$E2E_APP_IP:1720$" "$EP_LOG"
connected() { e2e_json "$(e2e_ctl --json h323 calls)" \
  "[c for c in j['calls'] if c['call_id'] == '$cid' and c['state'] == 'connected' and c['signalling_peer'].startswith('$E2E_CLI_IP:')] != []"; }
e2e_check "sluice-cp matched the connection to the call (h323 calls: connected)" e2e_wait_for 5 connected
e2e_check "sluice-cp logged the match" \
  grep -q "call [0-9]* to alice: matched: $E2E_CLI_IP:[0-9]* connected to port 1720 and sent Facility with callID $cid; connection held" "$E2E_TMP/cp.log"
e2e_check "status: one SCR received, one connection matched" e2e_json "$(status_json)" \
  "j['cp']['h323']['ras']['scr_received'] == 1 and j['cp']['h323']['signalling']['matched'] == 1 and j['cp']['h323']['calls'] == 1"
calls_text=$(e2e_ctl h323 calls)
e2e_check "h323 calls (text) shows the connected call" grep -q "to alice (sl-[0-9a-f]*): connected" <<<"$calls_text"
out=$(e2e_ctl h323 call nobody 2>&1); rc=$?
e2e_check "a call to an unknown alias is refused (exit $rc: $out)" \
  test "$rc" -eq 1 -a -n "$(grep "'nobody' is not registered" <<<"$out")"

# ---- 6. traversal zone --------------------------------------------------------------
out=$(ep --port 6001 --alias branch-tc --password zone-secret zone 2 alice)
e2e_log "traversal client: $(tr '\n' ' ' <<<"$out")"
e2e_check "zone: SCR with LRQKeepAliveData (keepalive 5 s)" grep -qx "SCR lrq_keepalive_interval=5" <<<"$out"
e2e_check "zone: LRQ for alice answered with LCF" grep -qx "LCF alias=alice" <<<"$out"
out=$(ep --port 6001 --alias branch-tc --password zone-secret zone 1 nobody)
e2e_check "zone: LRQ for an unknown alias answered with LRJ" grep -qx "LRJ alias=nobody" <<<"$out"
out=$(ep --port 6001 --alias branch-tc --password wrong zone 1)
e2e_check "zone: a wrong password gets no keep-alive data" grep -q "^SCR refused" <<<"$out"
e2e_check "status: zone branch is up" e2e_json "$(status_json)" \
  "[z for z in j['cp']['h323']['zones'] if z['name'] == 'branch' and z['state'] == 'up' and z['port'] == 6001 and z['traversal_client'].startswith('$E2E_CLI_IP:')] != []"

# ---- 7. the held connection's keep-alive ---------------------------------------
e2e_check "the held connection carries sluice-cp's empty Facility (every 19 s)" \
  e2e_wait_for 25 grep -q "^TCP received=[0-9]* first=03$" "$EP_LOG"
e2e_check "status: keep-alive sent, call still connected" e2e_json "$(status_json)" \
  "j['cp']['h323']['signalling']['keepalives_sent'] >= 1 and j['cp']['h323']['calls'] == 1"

kill "$EP_PID" 2>/dev/null; wait "$EP_PID" 2>/dev/null
E2E_EXTRA_PIDS=""
e2e_check "sluice-cp exits 0 on SIGTERM" e2e_cp_stop
e2e_check "sluice-dp exits 0 on SIGTERM" e2e_dp_stop
e2e_done
