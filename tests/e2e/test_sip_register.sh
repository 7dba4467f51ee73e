#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_sip_register.sh — the SIP registrar through the real sluice-dp and
# sluice-cp, with sipp (Debian's sip-tester) as the endpoint.
#
#   client ns 192.0.2.1                          appliance ns 192.0.2.10
#   sipp ──UDP/TCP 5060──► sluice-dp ──punt──► sluice0 ──► sluice-cp SIP
#        ◄── 401 / 200 / 403 ◄─────────────────────────────
#   sip_probe.py ── TLS 5061, CRLF pings, malformed messages
#
# 1. alice registers over UDP with digest (401 then 200, RFC 5626 Contact);
#    `sluicectl registrations` lists her beside H.323 (text and JSON);
# 2. a wrong password gets 403 and registers nothing;
# 3. over TCP: registered on an outbound flow; a CRLF ping on it gets a
#    pong and counts as the binding's keep-alive;
# 4. TLS 5061 (certificate and key from sip.tls_certificate/tls_key)
#    answers OPTIONS; a client that never finishes the handshake is not
#    served;
# 5. malformed input: a bad Content-Length gets "400 Bad Request
#    (malformed Content-Length)", a datagram that is not SIP gets nothing;
#    both are counted by reason and register nothing.
E2E_PFX=sip
. "$(dirname "$0")/lib.sh"
e2e_require_root
[ -x "$SLUICE_CP" ] || { echo "FAIL: $SLUICE_CP not built" >&2; exit 1; }
command -v sipp >/dev/null || e2e_skip "sipp not installed (apt-get install sip-tester)"
command -v openssl >/dev/null || e2e_skip "openssl not installed"
SIPP_DIR=$E2E_SRC/tests/e2e/sip
PROBE=$E2E_SRC/tests/e2e/sip_probe.py

e2e_net_up
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$E2E_TMP/sip-key.pem" \
  -out "$E2E_TMP/sip-cert.pem" -subj /CN=sluice.test -days 1 2>/dev/null ||
  { e2e_fail "self-signed certificate"; e2e_done; }
cfg=$(e2e_config small)
cat >> "$cfg" <<EOF
sip:
  realm: sluice.test
  tls_certificate: $E2E_TMP/sip-cert.pem
  tls_key: $E2E_TMP/sip-key.pem
EOF
e2e_dp_start "$cfg" || exit 1
e2e_cp_start "$cfg" || exit 1
e2e_wait_for 10 e2e_cp_ready || { e2e_fail "sluice-cp attached in 10 s"; e2e_done; }
e2e_pass "sluice-dp and sluice-cp up"

status_json() { e2e_ctl --json status 2>/dev/null; }
# one bounded sipp run in the client namespace: SCENARIO TRANSPORT PASSWORD
sipp_reg() {
  timeout 20 ip netns exec "$E2E_CLI" sipp "$E2E_APP_IP:5060" -sf "$SIPP_DIR/$1.xml" \
    -t "$2" -s alice -au alice -ap "$3" -m 1 -i "$E2E_CLI_IP" -p 5070 \
    -nostdin -timeout 15s -trace_logs -log_file "$E2E_TMP/sipp-$1-$2.log" \
    -trace_err -error_file "$E2E_TMP/sipp-$1-$2.err" > /dev/null 2>&1
}
probe() { timeout 10 ip netns exec "$E2E_CLI" "$E2E_PY" "$PROBE" --to "$E2E_APP_IP:$1" --transport "$2" "${@:3}"; }

# ---- 1. UDP, right password ------------------------------------------------------
sipp_reg register_ok u1 e2e-secret; rc=$?
e2e_check "sipp: REGISTER, 401, REGISTER with digest, 200 over UDP (exit $rc)" \
  test "$rc" -eq 0 -a -n "$(grep -a 'REGISTERED expires=120' "$E2E_TMP/sipp-register_ok-u1.log" 2>/dev/null)"
regs=$(e2e_ctl --json registrations)
e2e_log "registrations: $regs"
e2e_check "registrations --json: alice over UDP from the client, outbound" e2e_json "$regs" \
  "[r for r in j['registrations'] if r['protocol'] == 'sip' and r['username'] == 'alice' and r['address'] == '$E2E_CLI_IP:5070' and r['transport'] == 'udp' and r['traversal'] == 'outbound' and r['aliases'][0] == {'type': 'sip_aor', 'value': 'alice@$E2E_APP_IP'} and 115 <= r['expires_in_s'] <= 120] != [] and j['count'] == 1"
text=$(e2e_ctl registrations)
echo "$text" >&2
e2e_check "registrations (text) lists the SIP registration" \
  grep -Eq "^sip +alice@$E2E_APP_IP +$E2E_CLI_IP:5070 +outbound +1[12][0-9] s +sip-[0-9]+ " <<<"$text"
e2e_check "sluice-cp logged the registration" \
  grep -q "SIP: REGISTER alice@$E2E_APP_IP from $E2E_CLI_IP:5070/udp: registered" "$E2E_TMP/cp.log"

# ---- 2. wrong password ---------------------------------------------------------------
sipp_reg register_forbidden u1 not-the-password; rc=$?
e2e_check "sipp: a wrong password gets 403 (exit $rc)" \
  test "$rc" -eq 0 -a -n "$(grep -a FORBIDDEN "$E2E_TMP/sipp-register_forbidden-u1.log" 2>/dev/null)"
st=$(status_json)
e2e_check "status: one bad password, still one registration" e2e_json "$st" \
  "j['cp']['sip']['registrar']['bad_password'] == 1 and j['cp']['sip']['registrations'] == 1 and j['cp']['sip']['registrar']['challenged'] >= 2"
e2e_check "sluice-cp logged the wrong password" \
  grep -q "SIP: REGISTER alice@$E2E_APP_IP from $E2E_CLI_IP:5070/udp: wrong password" "$E2E_TMP/cp.log"

# ---- 3. TCP outbound flow, CRLF keep-alive ------------------------------------------------
# sipp keeps its TCP connection until it exits; the binding goes with it
# (RFC 5626: the flow is how the endpoint is reached), so check while up
timeout 20 ip netns exec "$E2E_CLI" sipp "$E2E_APP_IP:5060" -sf "$SIPP_DIR/register_ok.xml" \
  -t t1 -s alice -au alice -ap e2e-secret -m 1 -i "$E2E_CLI_IP" -p 5071 -nostdin \
  -timeout 15s -trace_logs -log_file "$E2E_TMP/sipp-tcp.log" -d 3000 > /dev/null 2>&1 &
SIPP_PID=$!
E2E_EXTRA_PIDS="$SIPP_PID"
# the same +sip.instance and reg-id as the UDP registration: the new flow
# replaces the old one (RFC 5626 §6), it is not a second binding
tcp_bound() { e2e_json "$(e2e_ctl --json registrations)" \
  "[r for r in j['registrations'] if r['protocol'] == 'sip' and r['transport'] == 'tcp' and r['traversal'] == 'outbound' and r['refreshes'] == 1] != [] and j['count'] == 1"; }
e2e_check "alice's TCP flow replaced her UDP one (same instance and reg-id)" e2e_wait_for 10 tcp_bound
wait "$SIPP_PID"
E2E_EXTRA_PIDS=""
e2e_check "sipp over TCP got its 200" grep -qa 'REGISTERED expires=120' "$E2E_TMP/sipp-tcp.log"
tcp_gone() { e2e_json "$(e2e_ctl --json registrations)" \
  "[r for r in j['registrations'] if r['protocol'] == 'sip' and r['transport'] == 'tcp'] == []"; }
e2e_check "the TCP flow closed: its outbound binding is removed" e2e_wait_for 5 tcp_gone
out=$(probe 5060 tcp --ping)
e2e_check "a CRLF ping on TCP 5060 gets a CRLF pong ($out)" test "$out" = PONG
out=$(probe 5060 udp --ping)
e2e_check "a CRLF ping on UDP 5060 gets a CRLF pong ($out)" test "$out" = PONG
e2e_check "status counts both pings" e2e_json "$(status_json)" "j['cp']['sip']['counters']['crlf_pings'] == 2"

# ---- 4. TLS --------------------------------------------------------------------------------
out=$(probe 5061 tls --options)
e2e_check "OPTIONS over TLS 5061 gets 200 OK ($out)" test "$out" = "200 OK"
e2e_check "status: TLS listening on 5061, one TLS message" e2e_json "$(status_json)" \
  "j['cp']['sip']['tls_port'] == 5061 and j['cp']['sip']['counters']['rx_tls'] == 1"
out=$(probe 5061 tcp --options --expect-none --timeout 2); rc=$?
e2e_check "plain text on the TLS port is not served as SIP (exit $rc)" test "$rc" -eq 0
tls_fail() { e2e_json "$(status_json)" "j['cp']['sip']['counters']['tls_failures'] == 1"; }
e2e_check "status counts the failed handshake" e2e_wait_for 3 tls_fail

# ---- 5. malformed ---------------------------------------------------------------------------
printf 'REGISTER sip:%s SIP/2.0\r\nVia: SIP/2.0/UDP %s:5072;branch=z9hG4bK-bad1\r\nFrom: <sip:alice@%s>;tag=b1\r\nTo: <sip:alice@%s>\r\nCall-ID: bad-cl\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@%s:5072>\r\nContent-Length: 12x\r\n\r\n' \
  "$E2E_APP_IP" "$E2E_CLI_IP" "$E2E_APP_IP" "$E2E_APP_IP" "$E2E_CLI_IP" > "$E2E_TMP/bad-cl.sip"
out=$(probe 5060 udp --raw "$E2E_TMP/bad-cl.sip")
e2e_check "a bad Content-Length gets 400 naming it ($out)" test "$out" = "400 Bad Request (malformed Content-Length)"
printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' > "$E2E_TMP/http.txt"
out=$(probe 5060 udp --raw "$E2E_TMP/http.txt" --expect-none --timeout 1); rc=$?
e2e_check "a datagram that is not SIP gets no answer (exit $rc)" test "$rc" -eq 0
st=$(status_json)
e2e_check "status: one malformed answered, one dropped, by reason; nothing registered" e2e_json "$st" \
  "j['cp']['sip']['counters']['malformed_answered'] == 1 and j['cp']['sip']['counters']['malformed_dropped'] == 1 and j['cp']['sip']['malformed'] == {'content_length': 1, 'start_line': 1} and j['cp']['sip']['registrations'] == 0 and j['cp']['sip']['registrar']['bad_request'] == 0"
e2e_check "sluice-cp logged the refusal" \
  grep -q "SIP: REGISTER from $E2E_CLI_IP:[0-9]*/udp refused with 400: malformed Content-Length" "$E2E_TMP/cp.log"

e2e_check "sluice-cp exits 0 on SIGTERM" e2e_cp_stop
e2e_check "sluice-dp exits 0 on SIGTERM" e2e_dp_stop
e2e_done
