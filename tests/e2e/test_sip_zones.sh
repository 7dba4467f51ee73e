#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_sip_zones.sh — SIP traversal zones between two Sluice appliances,
# each its own sluice-dp and sluice-cp in its own namespace.
#
#   ns inside 192.0.2.20                ns switch (bridge, 192.0.2.1)       ns DMZ 192.0.2.10
#   sluice-dp ── veth ─────────────────► br ◄────────────────── veth ── sluice-dp
#   sluice-cp: client zones             (the link the test cuts)        sluice-cp: server zones
#     dmz      tcp → 192.0.2.10:7001  ──────────────────────────────────►  branch    tcp 7001
#     dmztls   tls → dmz.test:7002    ──────────────────────────────────►  branchtls tls 7002
#     wrongtr  tcp → 192.0.2.10:7002  (transport mismatch)
#     noname   tcp → nowhere.test      (a name not found)
#     badpw    tcp → 192.0.2.10:7003  (password differs) ─────────────►  branch3   tcp 7003
#     badca    tls → 192.0.2.10:7002  (trusts another CA)
#     badname  tls → 192.0.2.10:7002  (server_name other.test)
#     mtls     tls → 192.0.2.10:7004  (presents its certificate) ──────►  branchmtls tls 7004
#                                                                          (client certificate required)
#
# 1. dmz and dmztls come up (dmztls by the DMZ's name, from the inside
#    namespace's hosts file; digest over the zone connection, source
#    ports from sip.tcp_outbound_ports), both sides say so in `sluicectl
#    zones`; CRLF keep-alives flow every second and are answered;
# 2. the mismatches are named on both sides: wrongtr (tcp to a TLS port)
#    and branchtls (a failed handshake); badpw refused (403) and branch3
#    names the refusal; badca and badname refuse the server's
#    certificate (an unknown CA, a name it does not carry) and the server
#    sees the alert; mtls comes up with mutual TLS, and a client with no
#    certificate is refused by branchmtls while the zone stays up;
#    A sipp call goes over the TLS zone (inside's route to dmztls, the
#    DMZ's to a sipp callee) and leaves no leg behind.
# 3. the link is cut: the client notices the unanswered keep-alive, goes
#    down and retries with backoff; the link comes back and so does the
#    zone, on a new connection, which the server takes over.
E2E_PFX=sip
. "$(dirname "$0")/lib.sh"
e2e_require_root
[ -x "$SLUICE_CP" ] || { echo "FAIL: $SLUICE_CP not built" >&2; exit 1; }
command -v openssl >/dev/null || e2e_skip "openssl not installed"

# ---- the network: the lib's client namespace becomes the switch --------------
e2e_two_appliances_net
IN_SW_IF=$E2E_IN_SW_IF
IN_IP=$E2E_IN_IP

# A CA signs both appliances' certificates (the names are their addresses);
# a second CA signs nothing either side trusts.
pki() {
  local d=$E2E_TMP ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
  openssl req -x509 $ec -keyout "$d/ca.key" -out "$d/ca.pem" -subj "/CN=Sluice test CA" -days 1 &&
    openssl req -x509 $ec -keyout "$d/other-ca.key" -out "$d/other-ca.pem" -subj "/CN=Another CA" -days 1 &&
    for who in "dmz $E2E_APP_IP dmz.test" "inside $IN_IP inside.test"; do
      set -- $who
      openssl req $ec -keyout "$d/$1.key" -out "$d/$1.csr" -subj "/CN=$3" &&
        openssl x509 -req -in "$d/$1.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
          -days 1 -out "$d/$1.pem" -extfile <(printf 'subjectAltName=IP:%s,DNS:%s\n' "$2" "$3") || return 1
    done
}
pki 2>/dev/null || { e2e_fail "test certificates"; e2e_done; }

# ---- the DMZ appliance (the lib's appliance): server zones -----------------------
cfg=$(e2e_config small)
sed -i '/username: alice/a\  - { username: inside, password: "zone-secret" }\n  - { username: inside3, password: "dmz-side" }' "$cfg"
cat >> "$cfg" <<EOF
sip:
  realm: dmz.test
  routes:
    - { user: tlspub, target: "$E2E_CLI_IP:5080" }
  tls_certificate: $E2E_TMP/dmz.pem
  tls_key: $E2E_TMP/dmz.key
zones:
  - { name: branch, role: server, protocol: sip, username: inside, keepalive: 1 }
  - { name: branchtls, role: server, protocol: sip, transport: tls, username: inside, keepalive: 1 }
  - { name: branch3, role: server, protocol: sip, username: inside3, keepalive: 1 }
  - { name: branchmtls, role: server, protocol: sip, transport: tls, port: 7004, username: inside, keepalive: 1, ca_certificate: $E2E_TMP/ca.pem }
EOF

# ---- the inside appliance: client zones --------------------------------------------
in_cfg=$(e2e_inside_config "credentials:
  - { username: inside, password: \"zone-secret\" }
  - { username: inside3, password: \"inside-side\" }
  - { username: carol, password: \"in-secret\" }
sip:
  routes:
    - { user: tlspub, zone: dmztls }
  tls_certificate: $E2E_TMP/inside.pem
  tls_key: $E2E_TMP/inside.key
zones:
  - { name: dmz, role: client, protocol: sip, peer: $E2E_APP_IP, port: 7001, username: inside, keepalive: 1 }
  - { name: dmztls, role: client, protocol: sip, peer: dmz.test, port: 7002, transport: tls, username: inside, keepalive: 1, ca_certificate: $E2E_TMP/ca.pem }
  - { name: noname, role: client, protocol: sip, peer: nowhere.test, port: 7001, username: inside, keepalive: 1 }
  - { name: badca, role: client, protocol: sip, peer: $E2E_APP_IP, port: 7002, transport: tls, username: inside, keepalive: 1, ca_certificate: $E2E_TMP/other-ca.pem }
  - { name: badname, role: client, protocol: sip, peer: $E2E_APP_IP, port: 7002, transport: tls, username: inside, keepalive: 1, ca_certificate: $E2E_TMP/ca.pem, server_name: other.test }
  - { name: mtls, role: client, protocol: sip, peer: $E2E_APP_IP, port: 7004, transport: tls, username: inside, keepalive: 1, ca_certificate: $E2E_TMP/ca.pem }
  - { name: wrongtr, role: client, protocol: sip, peer: $E2E_APP_IP, port: 7002, username: inside, keepalive: 1 }
  - { name: badpw, role: client, protocol: sip, peer: $E2E_APP_IP, port: 7003, username: inside3, keepalive: 1 }")

# the inside appliance knows the DMZ by name (dmz.test, also in its certificate)
e2e_ns_hosts "$E2E_IN_NS" "$E2E_APP_IP dmz.test"
e2e_two_appliances_start "$cfg" "$in_cfg" || exit 1
IN_CP_PID=$E2E_IN_CP_PID
e2e_pass "two appliances up: DMZ $E2E_APP_IP, inside $IN_IP"

in_ctl() { e2e_in_ctl "$@"; }
# zone NAME's JSON on a side holds EXPR (z is the zone)
zone_is() {  # ctl-function name expr
  e2e_json "$($1 --json zones 2>/dev/null)" "[z for z in j['zones'] if z['name'] == '$2' and ($3)] != []"
}

# ---- 1. up, keep-alives ---------------------------------------------------------------
e2e_check "inside: zone dmz up over tcp" e2e_wait_for 15 zone_is in_ctl dmz "z['state'] == 'up'"
e2e_check "inside: zone dmztls up over tls, its peer dmz.test looked up" e2e_wait_for 15 zone_is in_ctl dmztls \
  "z['state'] == 'up' and z['peer'] == 'dmz.test' and z['remote'] == '$E2E_APP_IP:7002'"
e2e_check "inside: noname's peer is not found, and it says so" e2e_wait_for 10 zone_is in_ctl noname \
  "z['state'] != 'up' and 'peer nowhere.test: name not resolved' in z['last_error']"
e2e_check "DMZ: zone branch up, client $IN_IP from a port in 25000-29999" \
  zone_is e2e_ctl branch "z['state'] == 'up' and z['remote'].startswith('$IN_IP:') and 25000 <= int(z['remote'].split(':')[1]) <= 29999"
e2e_check "DMZ: zone branchtls up" zone_is e2e_ctl branchtls "z['state'] == 'up'"
e2e_check "keep-alives answered (inside: 2 pongs on dmz)" e2e_wait_for 5 zone_is in_ctl dmz "z['pongs'] >= 2"
e2e_check "keep-alives received (DMZ: 2 pings on branch)" zone_is e2e_ctl branch "z['keepalives_received'] >= 2"
text=$(in_ctl zones); echo "$text" >&2
e2e_check "zones (text): dmz up with its remote" grep -Eq "^dmz +client +sip +tcp +7001 +$E2E_APP_IP +up +$E2E_APP_IP:7001 " <<<"$text"
e2e_check "DMZ log: the zone came up" grep -q "zone branch: up: traversal client $IN_IP:[0-9]* authenticated as inside over tcp" "$E2E_TMP/cp.log"

# ---- 2. mismatches and wrong credentials ------------------------------------------------
e2e_check "inside: wrongtr (tcp to a tls port) is down and says why" e2e_wait_for 10 zone_is in_ctl wrongtr \
  "z['state'] != 'up' and 'do both zones use tcp on port 7002' in z['last_error']"
e2e_check "DMZ: branchtls counts the failed handshake" e2e_wait_for 5 zone_is e2e_ctl branchtls "z['mismatches'] >= 1"
e2e_check "DMZ log: branchtls says why" grep -q "zone branchtls: TLS handshake with $IN_IP failed (.*): is the client zone's transport tls?" "$E2E_TMP/cp.log"
e2e_check "inside: badpw refused (403), says which user" e2e_wait_for 10 zone_is in_ctl badpw \
  "z['state'] != 'up' and z['auth_failures'] >= 1 and '403' in z['last_error'] and 'inside3' in z['last_error']"
e2e_check "DMZ: branch3 names the refusal" zone_is e2e_ctl branch3 \
  "z['state'] == 'down' and 'wrong password' in z['last_error']"
e2e_check "inside log: the mismatch" grep -q "zone wrongtr: .*closed the connection before answering REGISTER" "$E2E_TMP/in-cp.log"

# ---- certificates ------------------------------------------------------------------------
e2e_check "inside: badca refuses the server's certificate (another CA)" e2e_wait_for 10 zone_is in_ctl badca \
  "z['state'] != 'up' and z['cert_failures'] >= 1 and 'certificate verify failed: unable to get local issuer certificate' in z['last_error']"
e2e_check "inside: badname refuses it (the name is not other.test)" e2e_wait_for 10 zone_is in_ctl badname \
  "z['state'] != 'up' and z['cert_failures'] >= 1 and 'certificate verify failed: hostname mismatch' in z['last_error'] and 'other.test' in z['last_error']"
e2e_check "DMZ: branchtls counts the refused certificates" zone_is e2e_ctl branchtls "z['cert_failures'] >= 2"
e2e_check "DMZ log: the client refused our certificate" \
  grep -q "zone branchtls: TLS handshake with $IN_IP failed (TLS handshake failed: tlsv1 alert unknown ca): does the client zone's ca_certificate" "$E2E_TMP/cp.log"
e2e_check "mutual TLS: inside zone mtls up (its certificate verified)" e2e_wait_for 10 zone_is in_ctl mtls "z['state'] == 'up'"
e2e_check "mutual TLS: DMZ zone branchmtls up" zone_is e2e_ctl branchmtls "z['state'] == 'up' and z['cert_failures'] == 0"
# a client with no certificate, straight at the mutual-TLS zone port
timeout 10 ip netns exec "$E2E_CLI" openssl s_client -connect "$E2E_APP_IP:7004" -CAfile "$E2E_TMP/ca.pem" \
  -verify_return_error </dev/null >"$E2E_TMP/s_client.log" 2>&1
e2e_check "mutual TLS: a client without a certificate is refused and counted" e2e_wait_for 5 zone_is e2e_ctl branchmtls \
  "z['cert_failures'] == 1 and 'peer did not return a certificate' in z['last_error']"
e2e_check "mutual TLS: the zone stays up meanwhile" zone_is e2e_ctl branchmtls "z['state'] == 'up'"
e2e_check "the s_client saw the server's certificate verified" grep -q "Verify return code: 0 (ok)" "$E2E_TMP/s_client.log"

# ---- a call over the TLS zone -------------------------------------------------------------
if command -v sipp >/dev/null; then
  SIPP_DIR=$E2E_SRC/tests/e2e/sip
  timeout 30 ip netns exec "$E2E_CLI" sipp -sf "$SIPP_DIR/call_uas.xml" -i "$E2E_CLI_IP" -p 5080 -m 1 \
    -key mport 42080 -key sdpx a=sendrecv -nostdin -timeout 20s > /dev/null 2>&1 &
  uas=$!
  sleep 0.3
  timeout 30 ip netns exec "$E2E_CLI" sipp "$IN_IP:5060" -sf "$SIPP_DIR/call_uac.xml" -s tlspub \
    -au carol -ap in-secret -i "$E2E_CLI_IP" -p 5070 -m 1 -key mport 41070 -key sdpx a=sendrecv \
    -d 500 -nostdin -timeout 20s > /dev/null 2>&1
  rc=$?
  wait "$uas"; rc_uas=$?
  e2e_check "a call over the TLS zone: sipp caller exit $rc, callee exit $rc_uas" test "$rc" -eq 0 -a "$rc_uas" -eq 0
  e2e_check "it went over dmztls" grep -q "SIP call caller -> tlspub: INVITE to sip:tlspub@$E2E_APP_IP (dmztls)" "$E2E_TMP/in-cp.log"
  no_legs_both() {
    e2e_json "$(in_ctl --json flows count)" "j['legs'] == 0" &&
      e2e_json "$(e2e_ctl --json flows count)" "j['legs'] == 0"
  }
  e2e_check "no leg left on either appliance after it" e2e_wait_for 5 no_legs_both
else
  e2e_log "sipp not installed: no call over the TLS zone"
fi

# ---- 3. cut the link, restore it ----------------------------------------------------------
ups_before=$(in_ctl --json zones | "$E2E_PY" -c 'import json,sys; print([z for z in json.load(sys.stdin)["zones"] if z["name"] == "dmz"][0]["ups"])')
in_cli ip link set "$IN_SW_IF" down
e2e_check "cut: inside notices the unanswered keep-alive (dmz down)" e2e_wait_for 12 zone_is in_ctl dmz \
  "z['state'] != 'up' and 'keep-alive' in z['last_error']"
sleep 2
in_cli ip link set "$IN_SW_IF" up
e2e_check "restored: dmz up again" e2e_wait_for 30 zone_is in_ctl dmz "z['state'] == 'up' and z['ups'] == $ups_before + 1"
e2e_check "restored: dmztls up again" e2e_wait_for 30 zone_is in_ctl dmztls "z['state'] == 'up'"
e2e_check "restored: the DMZ serves the new connection" e2e_wait_for 5 zone_is e2e_ctl branch "z['state'] == 'up' and z['ups'] >= 2"
e2e_check "restored: keep-alives flow again" e2e_wait_for 5 zone_is in_ctl dmz "z['pongs'] >= 4"

e2e_check "DMZ sluice-cp exits 0 on SIGTERM" e2e_cp_stop
E2E_CP_PID=$IN_CP_PID
e2e_check "inside sluice-cp exits 0 on SIGTERM" e2e_cp_stop
e2e_check "DMZ sluice-dp exits 0 on SIGTERM" e2e_dp_stop
e2e_done
