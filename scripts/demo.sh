#!/usr/bin/env bash
# Sluice on a fresh machine, with no hardware: installs what is missing,
# builds, creates two network namespaces joined by a veth pair, starts
# sluice-dp (DPDK, net_af_packet) and sluice-cp on the shipped Small profile,
# shows a test host reaching the appliance (ARP, ping, a TCP connection
# through the exception path, a UDP datagram to a closed port), relays a
# media stream through two latched legs programmed with sluicectl, prints
# the appliance's counters, and tears everything down.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" -eq 0 ] || { echo "demo: run as root (network namespaces, DPDK)" >&2; exit 1; }
./scripts/install-deps.sh
./scripts/build.sh release build

export SLUICE_BUILD=$PWD/build SLUICE_SOURCE=$PWD
# the namespace harness the e2e tests use (cleans up on exit, even on error)
. tests/e2e/lib.sh
set -e

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "test hosts: namespaces $E2E_APP (appliance) and $E2E_CLI (client), veth $E2E_APP_IF <-> $E2E_CLI_IF"
e2e_net_up
in_cli ip -brief addr show dev "$E2E_CLI_IF"

step "config: config/small.yaml with the appliance NIC on $E2E_APP_IF"
cfg=$E2E_TMP/small.yaml
sed "s/iface=veth-ext/iface=$E2E_APP_IF/" config/small.yaml > "$cfg"
grep -E 'profile|device|address|gateway' "$cfg"
"$SLUICE_DP" --config "$cfg" --check-config 2>&1 >/dev/null

step "start sluice-dp (DPDK primary, instance $E2E_INSTANCE) and sluice-cp"
e2e_dp_start "$cfg"
ip netns exec "$E2E_APP" "$SLUICE_CP" --config "$cfg" --instance "$E2E_INSTANCE" --foreground \
  > "$E2E_TMP/cp.log" 2>&1 &
E2E_EXTRA_PIDS=$!
for _ in $(seq 1 50); do [ -S "$SLUICE_RUN_DIR/$E2E_INSTANCE/cp.sock" ] && break; sleep 0.1; done
grep -E "interface|running" "$E2E_TMP/dp.log" || true
"$SLUICECTL" --instance "$E2E_INSTANCE" status || true

step "the client resolves and pings the appliance (answered by sluice-dp itself)"
in_cli arping -c 2 -w 3 -I "$E2E_CLI_IF" "$E2E_APP_IP"
in_cli ping -c 3 -i 0.3 "$E2E_APP_IP"

step "a TCP connection through the exception path to a kernel socket on $E2E_APP_IP:5061"
ip netns exec "$E2E_APP" python3 tests/e2e/tcp_echo_server.py "$E2E_APP_IP" 5061 20 &
E2E_EXTRA_PIDS="$E2E_EXTRA_PIDS $!"
for _ in $(seq 1 50); do in_app ss -ltn | grep -q ":5061 " && break; sleep 0.1; done
in_cli python3 tests/e2e/tcp_echo_check.py "$E2E_APP_IP" 5061 65536

step "UDP to a port no service uses: dropped and counted"
in_cli "$E2E_PY" tests/e2e/wire_check.py udp "$E2E_CLI_IF" "$E2E_APP_IP" 9 3
sleep 0.3

step "relay: two legs programmed through sluice-cp, a 2-second stream through them"
for _ in $(seq 1 50); do
  "$SLUICECTL" --instance "$E2E_INSTANCE" --json status 2>/dev/null |
    grep -q '"phase": *"ready"' && break
  sleep 0.1
done
"$SLUICECTL" --instance "$E2E_INSTANCE" flows add --port 40000 --latch once
"$SLUICECTL" --instance "$E2E_INSTANCE" flows add --port 40002 \
  --remote "$E2E_CLI_IP:41000" --peer 1
"$SLUICECTL" --instance "$E2E_INSTANCE" flows list
in_cli "$E2E_PY" tests/e2e/udp_stream.py recv "$E2E_CLI_IP" 41000 "$E2E_APP_IP" 40002 \
  6 1 "$E2E_TMP/recv.json" &
recv=$!
for _ in $(seq 1 50); do [ -e "$E2E_TMP/recv.json.ready" ] && break; sleep 0.1; done
in_cli "$E2E_PY" tests/e2e/udp_stream.py send "$E2E_CLI_IP" 41002 "$E2E_APP_IP" 40000 \
  20 2 "$E2E_TMP/send.json"
wait "$recv" || true
echo "  sent:     $(cat "$E2E_TMP/send.json")"
echo "  received: $(cat "$E2E_TMP/recv.json")"
"$SLUICECTL" --instance "$E2E_INSTANCE" flows show 1

step "the appliance's counters (dpdk-telemetry.py -f sluice-$E2E_INSTANCE, /sluice/stats)"
e2e_telemetry /sluice/stats | python3 -c '
import json, sys
s = json.load(sys.stdin)["/sluice/stats"]
for k in ("rx_pkts", "tx_pkts", "relayed_pkts", "local_replies", "kernel_rx_pkts",
          "kernel_tx_pkts", "busy_cycles_per_pkt"):
    print(f"  {k:22} {s[k]}")
print("  drops:", {k: v for k, v in s["drops"].items() if v})
print("  punts:", {k: v for k, v in s["punts"].items() if v})'

step "stop: SIGTERM to sluice-dp and sluice-cp, then the namespaces go"
kill -TERM $E2E_EXTRA_PIDS 2>/dev/null || true
e2e_dp_stop && echo "sluice-dp stopped cleanly"
wait 2>/dev/null || true
left=$(ls -d /var/run/dpdk/sluice-"$E2E_INSTANCE" 2>/dev/null || true)
[ -z "$left" ] && echo "no DPDK runtime files left" || echo "left behind: $left"
echo
echo "demo: done"
