#!/usr/bin/env bash
# sluicectl status reads both running processes: sluice-cp over its status
# socket and sluice-dp over DPDK telemetry (identity, lcores, ports, counters).
. "$(dirname "$0")/lib.sh"
e2e_require_root
e2e_net_up
cfg=$(e2e_config small)
e2e_dp_start "$cfg" || exit 1
ip netns exec "$E2E_APP" "$SLUICE_CP" --config "$cfg" --instance "$E2E_INSTANCE" --foreground \
  > "$E2E_TMP/cp.log" 2>&1 &
E2E_EXTRA_PIDS=$!
for _ in $(seq 1 50); do [ -S "$SLUICE_RUN_DIR/$E2E_INSTANCE/cp.sock" ] && break; sleep 0.1; done
in_cli "$E2E_PY" "$E2E_SRC/tests/e2e/wire_check.py" udp "$E2E_CLI_IF" "$E2E_APP_IP" 9 2

json=$("$SLUICECTL" --instance "$E2E_INSTANCE" --json status); rc=$?
e2e_check "status: exit 0 with both processes up (got $rc)" test "$rc" -eq 0
check_json() {  # description python-expression-over-j
  e2e_check "$1" "$E2E_PY" -c "import json,sys; j=json.loads(sys.argv[1]); sys.exit(0 if ($2) else 1)" "$json"
}
check_json "status: sluice-cp pid and profile" "j['cp']['pid'] == $E2E_EXTRA_PIDS and j['cp']['profile'] == 'small'"
check_json "status: sluice-dp pid, instance, version" \
  "j['dp']['info']['pid'] == $E2E_DP_PID and j['dp']['info']['instance'] == '$E2E_INSTANCE' and j['dp']['info']['version']"
check_json "status: one worker lcore besides the main lcore" "len(j['dp']['info']['workers']) == 1"
check_json "status: external port with its kernel twin, link up" \
  "j['dp']['info']['ports']['external']['kernel_iface'] == 'sluice0' and j['dp']['info']['ports']['external']['link'] == 'up'"
check_json "status: the two closed-port drops are in the counters" "j['dp']['stats']['drops']['udp_port_closed'] == 2"

text=$("$SLUICECTL" --instance "$E2E_INSTANCE" status)
e2e_check "status text: both processes running" bash -c 'grep -q "sluice-cp: running" <<<"$1" && grep -q "sluice-dp: running" <<<"$1"' _ "$text"
e2e_check "status text: names the drop reason" grep -q "udp_port_closed" <<<"$text"

e2e_dp_stop
"$SLUICECTL" --instance "$E2E_INSTANCE" --json status >/dev/null; rc=$?
e2e_check "status: exit 3 once the dataplane is gone (got $rc)" test "$rc" -eq 3
e2e_done
