#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_turn_errors.sh — every error of sluice-dp's TURN server a client can
# provoke, with the exact code, from turn_errors.py (which builds its STUN
# messages itself: MESSAGE-INTEGRITY over MD5(user:realm:pass), FINGERPRINT),
# and what is dropped instead of answered, counted by reason.
#
#   client ns 192.0.2.1  turn_errors.py ──► 192.0.2.10:3478 (sluice-dp)
#             198.51.100.5:4000 the peer (turn.allowed_peers) ◄── relay
#
# Config: users alice, bob, carol; turn.allocations_per_user 1,
# turn.relay_capacity 2 (so carol's is the third allocation: 508).
# 438 Stale Nonce needs a nonce older than its lifetime (an hour): the
# dataplane suite covers it with its clock; here a nonce issued to another
# client address is answered 401, as docs/turn.md says.
# Asserted besides: the counters (turn.error.<code>, auth_failed,
# drop.turn_malformed, drop.turn_request_discarded), that the refused
# requests created nothing (turn.allocations 2), and `sluicectl turn
# relays` showing alice's permission and channel with their counters.
. "$(dirname "$0")/lib.sh"
e2e_require_root
[ -x "$SLUICE_CP" ] || { echo "FAIL: $SLUICE_CP not built" >&2; exit 1; }
PEER=198.51.100.5
e2e_net_up
in_cli ip addr add "$PEER/24" dev "$E2E_CLI_IF"
cfg=$(e2e_config small)
sed -i '/^  - { username: alice, password: "e2e-secret" }$/a\
  - { username: bob, password: "bob-secret" }\
  - { username: carol, password: "carol-secret" }' "$cfg"
sed -i '/^  realm: relay.example$/a\
  allowed_peers: ["198.51.100.0/24"]\
  allocations_per_user: 1\
  relay_capacity: 2\
  unauthenticated_rate: 1000' "$cfg"
e2e_dp_start "$cfg" || exit 1
e2e_cp_start "$cfg" || exit 1
e2e_wait_for 10 e2e_cp_ready || { e2e_fail "sluice-cp attached in 10 s"; e2e_done; }
# the counters area is republished every 100 ms: ask again until it says so
creds_in_dp() { e2e_json "$(e2e_ctl --json status)" "j['ipc']['counters']['credentials'] == 3"; }
e2e_check "sluice-dp has the three credentials" e2e_wait_for 5 creds_in_dp

in_cli timeout 50 "$E2E_PY" "$E2E_SRC/tests/e2e/turn_errors.py" "$E2E_APP_IP" "$PEER" \
  "$E2E_TMP/errors.json"
e2e_check "turn_errors.py: every answer exactly as expected" test $? -eq 0

s=$(e2e_ctl --json turn status)
e2e_log "turn status: $s"
# 401: the 7 challenges (a, other, a2, b, c, the Binding) + wrong password +
# the foreign nonce; 403: 4 peers; 400: no transport, no peer, 2 ChannelBinds
e2e_check "turn status: errors answered, by code" e2e_json "$s" \
  "{k: v for k, v in j['errors'].items() if v} == {'400': 4, '401': 8, '403': 4, '437': 1, '442': 1, '486': 1, '508': 1}"
e2e_check "turn status: 2 failed authentications, 6 challenges" e2e_json "$s" \
  "j['counters']['auth_failed'] == 2 and j['counters']['challenged'] == 6"
e2e_check "turn status: 2 allocations (alice, bob), 1 permission, 1 channel; the refused created nothing" e2e_json "$s" \
  "j['allocations'] == 2 and j['permissions'] == 1 and j['channels'] == 1 and j['clients'] == 1"
e2e_check "turn status: the 4 malformed and the response dropped, counted by reason" e2e_json "$s" \
  "j['drops']['turn_malformed'] == 4 and j['drops']['turn_request_discarded'] == 1 and j['drops']['turn_no_permission'] == 0"

r=$(e2e_ctl --json turn relays)
e2e_log "turn relays: $r"
e2e_check "turn relays: alice's allocation with its permission and channel 0x4001, 11 packets relayed each way" e2e_json "$r" \
  "j['total'] == 2 and [(a['username'], a['n_permissions'], a['n_channels'], a['pkts_in'], a['pkts_out']) for a in j['allocations']] == [('alice', 1, 1, 11, 10), ('bob', 0, 0, 0, 0)] and j['allocations'][0]['channels'][0]['number'] == 0x4001 and j['allocations'][0]['channels'][0]['peer'] == '$PEER:4000' and j['allocations'][0]['permissions'][0]['peer'] == '$PEER' and j['allocations'][0]['bytes_in'] == 10 * 172 + 2"
text=$(e2e_ctl turn relays)
e2e_log "$text"
e2e_check "sluicectl turn relays (text): the channel line" grep -q "channel 0x4001 → $PEER:4000" <<<"$text"
text=$(e2e_ctl turn status)
e2e_log "$text"
e2e_check "sluicectl turn status (text): allocations and errors" \
  grep -Pzq "TURN: 2 allocation\(s\) of 2 \(capacity\)(.|\n)*errors answered: 400 4, 401 8, 403 4, 437 1, 442 1, 486 1, 508 1\n  drops: turn_malformed 4, turn_request_discarded 1" <<<"$text"
e2e_check "sluice-cp logged alice's allocation" grep -q "TURN allocation [0-9]* created: client 192.0.2.1:[0-9]* (port 3478), relay 192.0.2.10:2[0-9]*, user alice" "$E2E_TMP/cp.log"

e2e_cp_stop; e2e_check "sluice-cp exits 0" test $? -eq 0
e2e_dp_stop; e2e_check "sluice-dp exits 0" test $? -eq 0
e2e_done
