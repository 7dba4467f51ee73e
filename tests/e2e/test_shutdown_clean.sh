#!/usr/bin/env bash
# After SIGTERM sluice-dp leaves nothing behind: no DPDK runtime directory,
# shared-memory object, hugepage file, kernel interface or pid file; and the
# harness's namespaces go too. Runs once with --no-huge and, where 2 MiB
# hugepages can be reserved, once on hugepages.
. "$(dirname "$0")/lib.sh"
e2e_require_root
e2e_net_up
cfg=$(e2e_config small)

leftovers() {
  local inst=$1
  ls -d "/var/run/dpdk/sluice-$inst" 2>/dev/null
  ls /dev/hugepages 2>/dev/null | grep "^sluice-$inst" || true
  ls /dev/shm 2>/dev/null | grep -i "sluice-$inst\|$inst" || true
  ls "$SLUICE_RUN_DIR/$inst/dp.pid" "$SLUICE_RUN_DIR/$inst/dp.telemetry" 2>/dev/null
  in_app ip link show sluice0 2>/dev/null | head -1
}

run_once() {  # label, EAL options...
  local label=$1; shift
  e2e_dp_start "$cfg" "$@" || { e2e_fail "$label: sluice-dp did not start"; return; }
  in_cli ping -c 1 -W 2 -q "$E2E_APP_IP" >/dev/null || e2e_fail "$label: not answering"
  [ -d "/var/run/dpdk/sluice-$E2E_INSTANCE" ] || e2e_fail "$label: no runtime dir while running?"
  e2e_check "$label: exit status 0 after SIGTERM" e2e_dp_stop
  local left; left=$(leftovers "$E2E_INSTANCE")
  e2e_check "$label: nothing left behind${left:+: $left}" test -z "$left"
}

run_once "no-huge"

# hugepages: reserve some if none are free, give them back afterwards
orig=$(cat /proc/sys/vm/nr_hugepages)
free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
if [ "$free" -lt 200 ]; then echo $((orig + 200)) > /proc/sys/vm/nr_hugepages 2>/dev/null || true; fi
mounted_here=""
if ! mountpoint -q /dev/hugepages; then
  mkdir -p /dev/hugepages && mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null && mounted_here=1
fi
free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
if [ "$free" -ge 200 ] && mountpoint -q /dev/hugepages; then
  E2E_INSTANCE=${E2E_INSTANCE}h
  run_once "hugepages" -m 256 --huge-dir=/dev/hugepages
  e2e_check "hugepages: every page given back" \
    test "$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)" -eq "$free"
else
  e2e_log "hugepage variant not run: could not reserve 200 free 2 MiB pages"
fi
[ -n "$mounted_here" ] && umount /dev/hugepages
echo "$orig" > /proc/sys/vm/nr_hugepages 2>/dev/null || true

app=$E2E_APP cli=$E2E_CLI
ip netns del "$app"; ip netns del "$cli"
e2e_check "namespaces removed" bash -c "! ip netns list | grep -qE '^($app|$cli)( |\$)'"
e2e_done
