#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_turn_cluster.sh — 300 Try Alternate: a full appliance names the
# cluster peer with the most room. One appliance and a stand-in peer:
# turn_ctl.py, in the client namespace, is the peer's sluice-cp (it hears
# the appliance's announcements on 192.0.2.1:3490 and checks their HMAC and
# room, and sends its own, signed with the cluster secret, for a peer TURN
# server at 198.51.100.30:3478 with room 7) and the TURN client. Two real
# appliances would double the busy-polling dataplanes on this 2-core
# machine; the exchange is the same UDP either way.
#
#   client ns 192.0.2.1  turn_ctl.py ──UDP 3490──► sluice-cp (punted)
#                                    ◄──UDP 3490── announcements
#                                    ──UDP 3478──► sluice-dp TURN
#
# Config: relay_capacity 1; alice takes it, bob gets 300 with
# ALTERNATE-SERVER 198.51.100.30:3478 signed with his key; a forged and a
# replayed announcement are refused and counted; the peer falls silent for
# 3 intervals and bob gets 508.
. "$(dirname "$0")/lib.sh"
e2e_require_root
[ -x "$SLUICE_CP" ] || { echo "FAIL: $SLUICE_CP not built" >&2; exit 1; }
SECRET="a-cluster-secret-shared-by-every-member"
PEER=198.51.100.30
e2e_net_up
cfg=$(e2e_config small)
sed -i '/^  - { username: alice, password: "e2e-secret" }$/a\
  - { username: bob, password: "bob-secret" }' "$cfg"
sed -i "/^  realm: relay.example\$/a\\
  allocations_per_user: 1\\
  relay_capacity: 1\\
  unauthenticated_rate: 1000\\
  cluster_secret: \"$SECRET\"\\
  cluster_interval: 1\\
  cluster_peers:\\
    - { address: $PEER, control_address: $E2E_CLI_IP }" "$cfg"
e2e_dp_start "$cfg" || exit 1
e2e_cp_start "$cfg" || exit 1
e2e_wait_for 10 e2e_cp_ready || { e2e_fail "sluice-cp attached in 10 s"; e2e_done; }
creds_in_dp() { e2e_json "$(e2e_ctl --json status)" "j['ipc']['counters']['credentials'] == 2"; }
e2e_check "sluice-dp has the two credentials" e2e_wait_for 5 creds_in_dp

in_cli timeout 60 "$E2E_PY" "$E2E_SRC/tests/e2e/turn_ctl.py" cluster "$E2E_APP_IP" "$PEER" "$SECRET"
e2e_check "turn_ctl.py cluster: every answer exactly as expected" test $? -eq 0

# the counters area is republished every 100 ms: ask until it has the 508
errors_counted() { e2e_json "$(e2e_ctl --json turn status)" \
  "j['errors']['300'] == 1 and j['errors']['508'] == 1 and j['allocations'] == 1"; }
e2e_check "turn status: one 300, one 508 (after the peer fell silent)" \
  e2e_wait_for 3 errors_counted
s=$(e2e_ctl --json turn status)
e2e_log "turn status: $s"
e2e_check "turn status: the forged and the replayed announcement refused" e2e_json "$s" \
  "j['cluster']['rejected']['bad_mac'] == 1 and j['cluster']['rejected']['replayed'] == 1 and j['cluster']['peers'][0]['accepted'] == 1"
e2e_check "turn status: the peer silent now, no alternate" e2e_json "$s" \
  "j['cluster']['peers'][0]['state'] == 'silent' and j['cluster']['peers'][0]['room'] == 0 and 'alternate' not in j['cluster'] and j['cluster']['our_room'] == 0"
text=$(e2e_ctl turn status)
e2e_log "$text"
e2e_check "sluicectl turn status (text): the cluster lines" \
  grep -Pzq "cluster: our room 0, alternate for 300: none(.|\n)*peer $PEER:3478 \(control $E2E_CLI_IP:3490\): silent, room 0 of 10" <<<"$text"
e2e_check "sluice-cp logged the choice and its end" \
  grep -Pzq "the peer with the most room is $PEER:3478 \(7 free\)(.|\n)*no peer has room" "$E2E_TMP/cp.log"
e2e_check "sluice-dp logged the alternate" grep -q "TURN alternate server $PEER:3478" "$E2E_TMP/dp.log"

e2e_cp_stop; e2e_check "sluice-cp exits 0" test $? -eq 0
e2e_dp_stop; e2e_check "sluice-dp exits 0" test $? -eq 0
e2e_done
