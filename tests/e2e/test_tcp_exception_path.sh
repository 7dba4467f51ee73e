#!/usr/bin/env bash
# A TCP connection from a test host reaches a kernel socket on the
# appliance's address through the exception path (TAP) and works both ways:
# 512 KiB echoed back byte for byte.
. "$(dirname "$0")/lib.sh"
e2e_require_root
e2e_net_up
e2e_dp_start "$(e2e_config small)" || exit 1

ip netns exec "$E2E_APP" python3 "$E2E_SRC/tests/e2e/tcp_echo_server.py" "$E2E_APP_IP" 5061 30 &
E2E_EXTRA_PIDS=$!
for _ in $(seq 1 50); do in_app ss -ltn | grep -q ":5061 " && break; sleep 0.1; done

e2e_check "TCP echo of 512 KiB through the exception path" \
  in_cli timeout 30 python3 "$E2E_SRC/tests/e2e/tcp_echo_check.py" "$E2E_APP_IP" 5061 524288
punts=$(e2e_stat punts.tcp); krx=$(e2e_stat kernel_rx_pkts)
e2e_check "TCP punted to the kernel (punts.tcp = $punts)" test "$punts" -gt 100
e2e_check "kernel's segments left through the NIC (kernel_rx_pkts = $krx)" test "$krx" -gt 100
drops=$(e2e_stat drops.punt_ring_full)
e2e_check "no punt lost (punt_ring_full = $drops)" test "$drops" -eq 0
e2e_check "connection refused for a closed TCP port (kernel RST through the NIC)" \
  bash -c "! ip netns exec $E2E_CLI timeout 5 python3 -c 'import socket; socket.create_connection((\"$E2E_APP_IP\", 5999), timeout=3)' 2>/dev/null"
e2e_check "sluice-dp exits 0 on SIGTERM" e2e_dp_stop
e2e_done
