#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_turn_rest_reload.sh — turn.rest_secret changes with a reload
# (SIGHUP), no restart: sluice-cp sends the new secret to the dataplane
# (TURN_SECRET); REST credentials of the old secret keep working for
# turn.rest_secret_grace (3 s here), then get 401; the new secret's work
# at once. turn_ctl.py mints the credentials as a web service would
# (username EXPIRY:erin, password base64(HMAC-SHA1(secret, username))).
. "$(dirname "$0")/lib.sh"
e2e_require_root
[ -x "$SLUICE_CP" ] || { echo "FAIL: $SLUICE_CP not built" >&2; exit 1; }
OLD="the-old-rest-secret-0123456789"
NEW="the-new-rest-secret-9876543210"
e2e_net_up
cfg=$(e2e_config small)
sed -i "/^  realm: relay.example\$/a\\
  unauthenticated_rate: 1000\\
  rest_secret: \"$OLD\"\\
  rest_secret_grace: 3" "$cfg"
e2e_dp_start "$cfg" || exit 1
e2e_cp_start "$cfg" || exit 1
e2e_wait_for 10 e2e_cp_ready || { e2e_fail "sluice-cp attached in 10 s"; e2e_done; }
rest() { in_cli timeout 30 "$E2E_PY" "$E2E_SRC/tests/e2e/turn_ctl.py" rest "$E2E_APP_IP" "$@"; }

e2e_check "before the reload: the old secret's credential works, the new one's is refused" \
  rest "$OLD" 0 "$NEW" 401

sed -i "s/^  rest_secret: \"$OLD\"\$/  rest_secret: \"$NEW\"/" "$cfg"
kill -HUP "$E2E_CP_PID"
e2e_check "sluice-cp applied turn.rest_secret" \
  e2e_wait_for 5 grep -q "reload: turn.rest_secret changed, applied" "$E2E_TMP/cp.log"
e2e_check "sluice-dp took the new secret (TURN_SECRET)" \
  e2e_wait_for 5 grep -q "TURN REST secret replaced; the previous one stays valid" "$E2E_TMP/dp.log"
e2e_check "within the grace: both secrets' credentials work" rest "$NEW" 0 "$OLD" 0
sleep 3.5
e2e_check "after the grace: the new secret's works, the old one's gets 401" \
  rest "$NEW" 0 "$OLD" 401
e2e_check "no restart: sluice-cp still the same process" e2e_cp_ready

# the counters area is republished every 100 ms: ask until it is current
counted() { e2e_json "$(e2e_ctl --json turn status)" \
  "j['allocations'] == 4 and j['dumped_allocations'] == 4 and j['counters']['auth_failed'] == 2"; }
e2e_check "turn status: 4 REST allocations, 2 refused with 401 after authentication" \
  e2e_wait_for 3 counted
e2e_log "turn status: $(e2e_ctl --json turn status)"

e2e_cp_stop; e2e_check "sluice-cp exits 0" test $? -eq 0
e2e_dp_stop; e2e_check "sluice-dp exits 0" test $? -eq 0
e2e_done
