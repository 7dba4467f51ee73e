#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_turn_cluster_pair.sh — 300 Try Alternate between two real
# appliances, each its own sluice-dp and sluice-cp in its own namespace,
# peers of one TURN cluster; the client namespace is the switch.
#
#   ns A 192.0.2.10 ── veth ──► br (ns switch, 192.0.2.1: turn_ctl.py) ◄── veth ── ns B 192.0.2.20
#   relay_capacity 1                                                      relay_capacity 5
#   sluice-cp A ◄──────── room announcements, UDP 3490, HMAC ─────────► sluice-cp B
#
# A learns B's room (5) and B A's (1); alice takes A's one relay; bob gets
# 300 from A with ALTERNATE-SERVER 192.0.2.20:3478 (signed with his key)
# and his Allocate at B succeeds, relayed from B's address; A then hears
# B's room drop to 4.
E2E_PFX=tcl
. "$(dirname "$0")/lib.sh"
e2e_require_root
[ -x "$SLUICE_CP" ] || { echo "FAIL: $SLUICE_CP not built" >&2; exit 1; }
SECRET="a-cluster-secret-shared-by-every-member"
B_NS=$E2E_PFX-b-$E2E_ID
B_IF=${E2E_PFX}b$E2E_ID
B_SW_IF=${E2E_PFX}s$E2E_ID
B_INST=${E2E_PFX}b$E2E_ID
B_IP=192.0.2.20
E2E_EXTRA_NS="$B_NS"
E2E_EXTRA_INSTANCES="$B_INST"

# ---- the network: the lib's client namespace becomes the switch ------------
e2e_net_up
e2e_second_appliance_net "$B_NS" "$B_IF" "$B_SW_IF"

# the TURN keys of one member: its capacity, its peer
turn_keys() {  # CAPACITY PEER_IP
  printf '  allocations_per_user: 1\n  relay_capacity: %s\n' "$1"
  printf '  unauthenticated_rate: 1000\n  cluster_secret: "%s"\n' "$SECRET"
  printf '  cluster_interval: 1\n  cluster_peers:\n    - { address: %s }\n' "$2"
}

# ---- appliance A (the lib's): capacity 1, peer B -----------------------------
cfg=$(e2e_config small)
sed -i '/^  - { username: alice, password: "e2e-secret" }$/a\
  - { username: bob, password: "bob-secret" }' "$cfg"
turn_keys 1 "$B_IP" > "$E2E_TMP/a-turn.yaml"
sed -i "/^  realm: relay.example\$/r $E2E_TMP/a-turn.yaml" "$cfg"

# ---- appliance B: capacity 5, peer A --------------------------------------------
b_cfg=$E2E_TMP/b.yaml
{
  printf 'profile: small\ninterfaces:\n  - name: external\n'
  printf '    device: "net_af_packet0,iface=%s"\n' "$B_IF"
  printf '    address: %s/24\n    gateway: %s\n' "$B_IP" "$E2E_CLI_IP"
  printf 'credentials:\n  - { username: alice, password: "e2e-secret" }\n'
  printf '  - { username: bob, password: "bob-secret" }\n'
  printf 'turn:\n  realm: relay.example\n'
  turn_keys 5 "$E2E_APP_IP"
  printf 'dataplane:\n  idle_backoff: true\n'
} > "$b_cfg"

E2E_DP_NS=$B_NS E2E_DP_INST=$B_INST E2E_DP_IP=$B_IP E2E_DP_LOG=$E2E_TMP/b-dp.log \
  e2e_dp_start "$b_cfg" || exit 1
E2E_EXTRA_PIDS="$E2E_DP_PID"; B_DP_PID=$E2E_DP_PID; E2E_DP_PID=""
e2e_dp_start "$cfg" || exit 1
e2e_cp_start "$cfg" || exit 1
A_CP_PID=$E2E_CP_PID
E2E_DP_NS=$B_NS E2E_DP_INST=$B_INST E2E_CP_LOG=$E2E_TMP/b-cp.log \
  e2e_cp_start "$b_cfg" || exit 1
B_CP_PID=$E2E_CP_PID
E2E_CP_PID=$A_CP_PID
E2E_EXTRA_PIDS="$E2E_EXTRA_PIDS $B_CP_PID"
e2e_pass "two appliances up: A $E2E_APP_IP, B $B_IP"

b_ctl() { "$SLUICECTL" --instance "$B_INST" "$@"; }
cluster_is() {  # ctl-function expr (c is the cluster member of turn status)
  e2e_json "$($1 --json turn status 2>/dev/null)" "(lambda c: $2)(j['cluster'])"
}
e2e_check "A hears B: alive, room 5, the alternate" e2e_wait_for 15 cluster_is e2e_ctl \
  "c['peers'][0]['state'] == 'alive' and c['peers'][0]['room'] == 5 and c.get('alternate') == '$B_IP:3478' and c['our_room'] == 1"
e2e_check "B hears A: alive, room 1" e2e_wait_for 5 cluster_is b_ctl \
  "c['peers'][0]['state'] == 'alive' and c['peers'][0]['room'] == 1 and c['our_room'] == 5"

in_cli timeout 60 "$E2E_PY" "$E2E_SRC/tests/e2e/turn_ctl.py" pair "$E2E_APP_IP" "$B_IP"
e2e_check "turn_ctl.py pair: 300 from A naming B, success at B" test $? -eq 0

e2e_check "A hears B's room drop to 4" e2e_wait_for 5 cluster_is e2e_ctl \
  "c['peers'][0]['room'] == 4 and c['our_room'] == 0"
b_counted() { e2e_json "$(b_ctl --json turn status)" "j['allocations'] == 1 and j['errors']['300'] == 0"; }
e2e_check "B: bob's allocation" e2e_wait_for 3 b_counted
a_counted() { e2e_json "$(e2e_ctl --json turn status)" "j['allocations'] == 1 and j['errors']['300'] == 1 and j['errors']['508'] == 0"; }
e2e_check "A: alice's allocation, one 300, no 508" e2e_wait_for 3 a_counted
e2e_log "A: $(e2e_ctl turn status)"
e2e_log "B: $(b_ctl turn status)"

e2e_check "A's sluice-cp exits 0" e2e_cp_stop
E2E_CP_PID=$B_CP_PID
e2e_check "B's sluice-cp exits 0" e2e_cp_stop
e2e_check "A's sluice-dp exits 0" e2e_dp_stop
E2E_DP_PID=$B_DP_PID
e2e_check "B's sluice-dp exits 0" e2e_dp_stop
e2e_done
