#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_flows_abi.sh — an ABI mismatch is refused at attach, loudly, once.
#
# The dataplane's object gets another ABI version written into its header
# (as a sluice-dp of another build would have): sluice-cp must refuse to
# attach, log the mismatch naming both versions (once, not per retry), say
# so in `sluicectl status`, refuse flow commands with the reason, and
# attach as soon as the versions agree again.
. "$(dirname "$0")/lib.sh"
e2e_require_root
[ -x "$SLUICE_CP" ] || { echo "FAIL: $SLUICE_CP not built" >&2; exit 1; }
e2e_net_up
cfg=$(e2e_config small)
e2e_dp_start "$cfg" || exit 1
SHM=/dev/shm/sluice-$E2E_INSTANCE

# abi_version: the uint32 after the 8-byte magic (ipc/sl_ipc_types.h)
abi() {  # [NEW]: print the version, or write NEW
  "$E2E_PY" - "$SHM" "${1:-}" <<'PY'
import mmap, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDWR)
m = mmap.mmap(fd, 4096)
if sys.argv[2]:
    struct.pack_into("<I", m, 8, int(sys.argv[2]))
print(struct.unpack_from("<I", m, 8)[0])
m.close(); os.close(fd)
PY
}
good=$(abi)
e2e_check "the dataplane's object speaks ABI $good" test -n "$good"
abi 99 >/dev/null

e2e_cp_start "$cfg" || exit 1
e2e_check "sluice-cp logs the mismatch, naming both versions" \
  e2e_wait_for 5 grep -q "dataplane refused: ABI mismatch: the dataplane (sluice-dp [^)]*) speaks ABI version 99, this program ABI version $good" "$E2E_TMP/cp.log"
status=$(e2e_ctl --json status)
e2e_check "status: sluice-cp not attached, the reason given" e2e_json "$status" \
  "j['cp']['dataplane']['attached'] is False and 'ABI version 99' in j['cp']['dataplane']['reason'] and j['cp']['dataplane']['refusals'] >= 1"
e2e_check "status: sluicectl's own look is refused the same way" e2e_json "$status" \
  "'ABI version 99' in j['ipc']['error']"
text=$(e2e_ctl status)
e2e_check "status text: not attached: dataplane refused: ABI mismatch" \
  grep -q "dataplane: not attached: dataplane refused: ABI mismatch" <<<"$text"
err=$(e2e_ctl flows add --port 40000 2>&1); rc=$?
e2e_check "flows add refused (exit $rc) with the reason" \
  bash -c '[ "$1" = 1 ] && grep -q "dataplane not attached: dataplane refused: ABI mismatch" <<<"$2"' _ "$rc" "$err"
sleep 2.5   # two more attach attempts
e2e_check "the mismatch is logged once, not per retry" \
  test "$(grep -c "ABI mismatch" "$E2E_TMP/cp.log")" -eq 1

abi "$good" >/dev/null
e2e_check "versions agree again: sluice-cp attaches" e2e_wait_for 5 e2e_cp_ready
e2e_check "flows add works now" bash -c '"$@" >/dev/null' _ "$SLUICECTL" --instance "$E2E_INSTANCE" flows add --port 40000

e2e_check "sluice-cp exits 0 on SIGTERM" e2e_cp_stop
e2e_check "sluice-dp exits 0 on SIGTERM" e2e_dp_stop
e2e_done
