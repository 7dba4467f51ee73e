#!/usr/bin/env bash
# sluice-dp refuses to start, and starts nothing, on a bad config, and refuses
# a second dataplane with the same instance name while the first keeps going.
. "$(dirname "$0")/lib.sh"
e2e_require_root
e2e_net_up
cfg=$(e2e_config small)

bad=$E2E_TMP/bad.yaml
sed 's/address: 192.0.2.10\/24/address: 192.0.2.10\/33/' "$cfg" > "$bad"
out=$(ip netns exec "$E2E_APP" "$SLUICE_DP" --config "$bad" --instance "$E2E_INSTANCE" 2>&1); rc=$?
e2e_check "bad config: exit status 1 (got $rc)" test "$rc" -eq 1
e2e_check "bad config: file:line:col, key and rule in the message" \
  grep -qE "^$bad:[0-9]+:[0-9]+: error: interfaces\[0\]\.address" <<<"$out"
e2e_check "bad config: no runtime directory created" test ! -e "/var/run/dpdk/sluice-$E2E_INSTANCE"
e2e_check "bad config: no run directory created" test ! -e "$SLUICE_RUN_DIR/$E2E_INSTANCE"
e2e_check "bad config: no kernel interface created" bash -c "! ip netns exec $E2E_APP ip link show sluice0 2>/dev/null"

e2e_dp_start "$cfg" || exit 1
out=$(ip netns exec "$E2E_APP" "$SLUICE_DP" --config "$cfg" --instance "$E2E_INSTANCE" 2>&1); rc=$?
e2e_check "second instance: refused (exit 1, got $rc)" test "$rc" -eq 1
e2e_check "second instance: says who runs it" grep -q "instance '$E2E_INSTANCE' is already running (pid $E2E_DP_PID)" <<<"$out"
e2e_check "first instance still answers" in_cli ping -c 2 -i 0.2 -W 2 -q "$E2E_APP_IP"
e2e_check "--check-config prints the effective config" bash -c \
  "'$SLUICE_DP' --config '$cfg' --check-config 2>/dev/null | grep -q 'demux_rtp_port: 36000'"
e2e_check "sluice-dp exits 0 on SIGTERM" e2e_dp_stop
e2e_done
