#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_flows_restart.sh — restarts without loss.
#
#   client ns                                   appliance ns
#   sender 192.0.2.1:41002 ──► 192.0.2.10:40000  leg A (latch once, peer B)
#                                                   │ relayed out of leg B
#   receiver 192.0.2.1:41000 ◄── 192.0.2.10:40002  leg B (remote fixed, peer A)
#
# 1. `sluicectl flows add` links the two legs both ways.
# 2. A 12 s stream (20 ms apart, sequence-numbered); in the middle sluice-cp
#    is SIGKILLed and started again: every datagram arrives, exactly once,
#    and the new sluice-cp adopted both legs from the dataplane.
# 3. sluice-dp is restarted (SIGTERM, start): with no sluicectl command the
#    legs come back (sluice-cp re-adds them, the latched remote included)
#    and a new stream is relayed again.
. "$(dirname "$0")/lib.sh"
e2e_require_root
[ -x "$SLUICE_CP" ] || { echo "FAIL: $SLUICE_CP not built" >&2; exit 1; }
STREAM="$E2E_SRC/tests/e2e/udp_stream.py"
RECV_PORT=41000
SEND_PORT=41002
e2e_net_up
cfg=$(e2e_config small)
e2e_dp_start "$cfg" || exit 1
e2e_cp_start "$cfg" || exit 1
e2e_wait_for 10 e2e_cp_ready || { e2e_fail "sluice-cp attached and reconciled in 10 s"; e2e_done; }
e2e_pass "sluice-cp attached to the dataplane"

# ---- legs -----------------------------------------------------------------
a=$(e2e_ctl flows add --port 40000 --latch once)
e2e_check "flows add prints leg A's id ($a)" grep -Eqx '[0-9]+' <<<"$a"
b=$(e2e_ctl flows add --port 40002 --remote "$E2E_CLI_IP:$RECV_PORT" --peer "$a")
e2e_check "flows add --peer prints leg B's id ($b)" grep -Eqx '[0-9]+' <<<"$b"
list=$(e2e_ctl --json flows list)
e2e_check "legs point at each other and are programmed" e2e_json "$list" \
  "{l['id']: (l['peer'], l['state']) for l in j['legs']} == {$a: ($b, 'programmed'), $b: ($a, 'programmed')}"

# stream SECONDS TAG: receiver and sender in the client namespace; result
# files $E2E_TMP/TAG.recv and TAG.send. Returns once the receiver is bound.
stream_start() {
  local secs=$1 tag=$2
  rm -f "$E2E_TMP/$tag.recv" "$E2E_TMP/$tag.recv.ready" "$E2E_TMP/$tag.send"
  in_cli "$E2E_PY" "$STREAM" recv "$E2E_CLI_IP" "$RECV_PORT" "$E2E_APP_IP" 40002 \
    $((secs + 15)) 3 "$E2E_TMP/$tag.recv" &
  RECV_PID=$!
  e2e_wait_for 5 test -e "$E2E_TMP/$tag.recv.ready" || e2e_fail "$tag: receiver bound"
  in_cli "$E2E_PY" "$STREAM" send "$E2E_CLI_IP" "$SEND_PORT" "$E2E_APP_IP" 40000 \
    20 "$secs" "$E2E_TMP/$tag.send" &
  SEND_PID=$!
}
stream_wait() {  # bounded by the tools' own deadlines
  wait "$SEND_PID"; wait "$RECV_PID"
}
res() {  # TAG FILE KEY
  "$E2E_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$E2E_TMP/$1.$2" "$3"
}

# A warm-up: leg A latches the sender, the dataplane resolves the receiver.
stream_start 1 warm
stream_wait
e2e_check "warm-up: the relay works ($(res warm recv received) of $(res warm send sent))" \
  test "$(res warm recv received)" -gt 0

# ---- sluice-cp killed and restarted mid-stream: nothing lost ---------------
stream_start 12 cp
sleep 4
e2e_cp_kill
e2e_log "sluice-cp SIGKILLed mid-stream"
sleep 1
e2e_cp_start "$cfg" || e2e_fail "sluice-cp starts again"
e2e_wait_for 10 e2e_cp_ready || e2e_fail "restarted sluice-cp attached and reconciled in 10 s"
list=$(e2e_ctl --json flows list)
e2e_check "restarted sluice-cp adopted both legs (flows list)" e2e_json "$list" \
  "sorted(l['id'] for l in j['legs']) == sorted([$a, $b]) and all(l['state'] == 'programmed' and l['owner'] == 'sluicectl' for l in j['legs'])"
e2e_check "adopted leg A with the remote it latched" e2e_json "$list" \
  "[l for l in j['legs'] if l['id'] == $a][0]['latched'] and [l for l in j['legs'] if l['id'] == $a][0]['remote'] == '$E2E_CLI_IP:$SEND_PORT'"
e2e_check "sluice-cp logged the reconcile (adopted 2)" grep -q "adopted 2, re-added 0" "$E2E_TMP/cp.log"
stream_wait
sent=$(res cp send sent); got=$(res cp recv received); uniq=$(res cp recv unique)
e2e_log "cp restart: sent $sent, received $got ($uniq unique), missing $(res cp recv n_missing): $(res cp recv missing)"
e2e_check "zero loss across the sluice-cp restart: sent $sent == received $got" test "$sent" -eq "$got"
e2e_check "every sequence number present, none twice" \
  test "$uniq" -eq "$sent" -a "$(res cp recv n_missing)" -eq 0 -a "$(res cp recv duplicates)" -eq 0

# ---- sluice-dp restarted: the legs come back without a command -------------
gen1=$(e2e_ctl --json status | "$E2E_PY" -c 'import json,sys; print(json.load(sys.stdin)["ipc"]["generation"])')
e2e_check "sluice-dp exits 0 on SIGTERM" e2e_dp_stop
e2e_check "sluice-cp noticed the dataplane stop" \
  e2e_wait_for 5 grep -q "detached from the dataplane: the dataplane stopped" "$E2E_TMP/cp.log"
e2e_dp_start "$cfg" || { e2e_fail "sluice-dp starts again"; e2e_done; }
e2e_check "sluice-cp re-attached and reconciled" e2e_wait_for 15 e2e_cp_ready
e2e_check "sluice-cp logged re-adding both legs to the new generation" \
  e2e_wait_for 5 grep -q "(generation 0x[0-9a-f]*, new): adopted 0, re-added 2" "$E2E_TMP/cp.log"
status=$(e2e_ctl --json status)
e2e_check "a new generation ($gen1 before)" e2e_json "$status" "j['ipc']['generation'] != '$gen1' and j['cp']['dataplane']['generation'] == j['ipc']['generation']"
e2e_check "status: 2 legs programmed in the new dataplane" e2e_json "$status" \
  "j['cp']['dataplane']['legs']['programmed'] == 2 and j['cp']['dataplane']['last_reconcile']['re_added'] == 2"
count_dp() { e2e_json "$(e2e_ctl --json flows count)" "j['dataplane_legs'] == 2 and j['programmed'] == 2"; }
e2e_check "flows count: the dataplane holds 2 legs" e2e_wait_for 3 count_dp
show=$(e2e_ctl --json flows show "$a")
e2e_check "flows show: the dataplane has leg A, peer B, latched remote kept" e2e_json "$show" \
  "j['dataplane']['peer'] == $b and j['dataplane']['latched'] and j['dataplane']['remote'] == '$E2E_CLI_IP:$SEND_PORT'"
stream_start 3 dp
stream_wait
sent=$(res dp send sent); got=$(res dp recv received)
e2e_log "dp restart: sent $sent, received $got"
e2e_check "the receiver gets the stream again ($got of $sent)" test "$got" -ge $((sent * 9 / 10))
show=$(e2e_ctl --json flows show "$a")
e2e_check "flows show: leg A counts what came in" e2e_json "$show" "j['dataplane']['pkts_in'] >= $sent"

e2e_check "sluice-cp exits 0 on SIGTERM" e2e_cp_stop
e2e_check "sluice-dp exits 0 on SIGTERM" e2e_dp_stop
e2e_done
