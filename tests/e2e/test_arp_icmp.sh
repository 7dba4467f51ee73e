#!/usr/bin/env bash
# ARP and ICMP echo are answered by sluice-dp itself: ping and arping from a
# test host, then scapy checks every field of the replies on the wire.
. "$(dirname "$0")/lib.sh"
e2e_require_root
e2e_net_up
e2e_dp_start "$(e2e_config small)" || exit 1
mac=$(e2e_telemetry /sluice/info | python3 -c 'import json,sys; print(json.load(sys.stdin)["/sluice/info"]["ports"]["external"]["mac"])')
e2e_log "appliance MAC $mac"

e2e_check "ping: 5 of 5 answered" in_cli ping -c 5 -i 0.2 -W 2 -q "$E2E_APP_IP"
e2e_check "arping: answered" in_cli arping -c 3 -w 5 -I "$E2E_CLI_IF" "$E2E_APP_IP"
e2e_check "scapy: ARP reply exact" in_cli "$E2E_PY" "$E2E_SRC/tests/e2e/wire_check.py" arp "$E2E_CLI_IF" "$E2E_APP_IP" "$mac"
e2e_check "scapy: echo reply exact" in_cli "$E2E_PY" "$E2E_SRC/tests/e2e/wire_check.py" icmp "$E2E_CLI_IF" "$E2E_APP_IP" "$mac"

replies=$(e2e_stat local_replies)
e2e_check "local_replies counts ping + ARP answers (>= 10, got $replies)" test "$replies" -ge 10
punted_icmp=$(e2e_stat punts.icmp)
e2e_check "no echo request went to the kernel (punts.icmp = $punted_icmp)" test "$punted_icmp" -eq 0
e2e_check "sluice-dp exits 0 on SIGTERM" e2e_dp_stop
e2e_done
