#!/usr/bin/env bash
# UDP to a port no service uses is dropped and counted under its reason, and
# Debian's dpdk-telemetry.py reads the counter from the instance's socket.
. "$(dirname "$0")/lib.sh"
e2e_require_root
command -v dpdk-telemetry.py >/dev/null || e2e_skip "dpdk-telemetry.py (Debian dpdk-dev) not installed"
e2e_net_up
e2e_dp_start "$(e2e_config small)" || exit 1

before=$(e2e_stat drops.udp_port_closed)
in_cli "$E2E_PY" "$E2E_SRC/tests/e2e/wire_check.py" udp "$E2E_CLI_IF" "$E2E_APP_IP" 9 7
sleep 0.5
after=$(e2e_stat drops.udp_port_closed)
e2e_check "7 datagrams to UDP/9 counted as udp_port_closed ($before -> $after)" test $((after - before)) -eq 7
json=$(e2e_telemetry /sluice/stats)
e2e_check "dpdk-telemetry.py shows the reason by name" grep -q '"udp_port_closed": 7' <<<"$json"
e2e_check "the drop total agrees" test "$(e2e_stat drops_total)" -ge 7
e2e_check "sluice-dp exits 0 on SIGTERM" e2e_dp_stop
e2e_done
