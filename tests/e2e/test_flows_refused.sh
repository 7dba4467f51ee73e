#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_flows_refused.sh — a command the dataplane refuses comes back to
# sluicectl with the dataplane's result, named, and changes nothing.
. "$(dirname "$0")/lib.sh"
e2e_require_root
[ -x "$SLUICE_CP" ] || { echo "FAIL: $SLUICE_CP not built" >&2; exit 1; }
e2e_net_up
cfg=$(e2e_config small)
e2e_dp_start "$cfg" || exit 1
e2e_cp_start "$cfg" || exit 1
e2e_wait_for 10 e2e_cp_ready || { e2e_fail "sluice-cp attached and reconciled in 10 s"; e2e_done; }

counts() {  # CP DP: sluice-cp's count and the dataplane's published one
  e2e_json "$(e2e_ctl --json flows count)" "j['legs'] == $1 and j['dataplane_legs'] == $2"
}
e2e_check "no legs to begin with" e2e_wait_for 2 counts 0 0

err=$(e2e_ctl flows add --port 1234 2>&1); rc=$?
e2e_log "flows add --port 1234: $err"
e2e_check "port out of range: exit 1 (got $rc)" test "$rc" -eq 1
e2e_check "port out of range: the reason and the dataplane's result" \
  grep -Eq "leg [0-9]+: port pair 1234/1235 outside the media range 36000-59999: out of range" <<<"$err"
json=$(e2e_ctl --json flows add --port 1234 2>/dev/null)
e2e_check "--json: the result name for scripts" e2e_json "$json" "j['result'] == 'out of range'"
e2e_check "nothing changed: flows count still 0 on both sides" counts 0 0

err=$(e2e_ctl flows add --port 36000 2>&1)
e2e_check "a demultiplexing port is named as such" \
  grep -q "port 36000 is a demultiplexing port (36000-36001), not a media port: out of range" <<<"$err"
err=$(e2e_ctl flows add --port 40000 --latch strict 2>&1)
e2e_check "strict latching without a remote: malformed" grep -q "strict latching needs a remote address: malformed" <<<"$err"
err=$(e2e_ctl flows add --port 40001 2>&1)
e2e_check "an odd port: out of range, said why" grep -q "port 40001 is odd: a leg takes the even RTP port of a pair (RTCP on the next): out of range" <<<"$err"

id=$(e2e_ctl flows add --port 40000)
e2e_check "a valid leg is added ($id)" grep -Eqx '[0-9]+' <<<"$id"
err=$(e2e_ctl flows add --port 40000 2>&1)
e2e_check "the same port again: exists, naming the owner" grep -q "port 40000 is leg $id's: exists" <<<"$err"
err=$(e2e_ctl flows add --port 40002 --peer 999 2>&1)
e2e_check "an unknown peer: not found" grep -q "peer leg 999 does not exist: not found" <<<"$err"
err=$(e2e_ctl flows del 999 2>&1); rc=$?
e2e_check "del of an unknown leg: exit 1, not found" bash -c '[ "$1" = 1 ] && grep -q "leg 999: not known to sluice-cp: not found" <<<"$2"' _ "$rc" "$err"
e2e_check "one leg on both sides" e2e_wait_for 2 counts 1 1
status=$(e2e_ctl --json status)
e2e_check "status counts the refusals" e2e_json "$status" "j['cp']['dataplane']['commands']['refused'] >= 5"

e2e_check "flows del" bash -c '"$@" >/dev/null' _ "$SLUICECTL" --instance "$E2E_INSTANCE" flows del "$id"
e2e_check "no legs again on both sides" e2e_wait_for 2 counts 0 0
e2e_check "usage error: exit 2" bash -c '"$@" 2>/dev/null; [ $? = 2 ]' _ "$SLUICECTL" --instance "$E2E_INSTANCE" flows add --bogus 1

e2e_check "sluice-cp exits 0 on SIGTERM" e2e_cp_stop
e2e_check "sluice-dp exits 0 on SIGTERM" e2e_dp_stop
e2e_done
