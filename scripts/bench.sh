#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# scripts/bench.sh [small|medium|large] [--quick] — Sluice's sizing report.
#
# Runs the benchmark suite for one profile on this machine and writes
#   docs/benchmarks/<profile>.md      the report: machine, method, figures
#                                     beside the generator's ceiling and the
#                                     10/25/100 GbE line rates, headroom over
#                                     the profile's rated capacity, TURN
#                                     against coturn
#   docs/benchmarks/<profile>-*.png   throughput against flows, latency CDF,
#                                     cycles per packet by path
#   docs/benchmarks/<profile>.json    the figures of the tables
#   build/bench-results/<profile>/    every run's raw JSON and logs
#
# Steps (docs/benchmarks.md, "Sizing report", has the why):
#   1. install what is missing, build (release)
#   2. sluice-dp on the profile, memif to sluice-bench: for every media path
#      and flow count, the RFC 2544 search (NDR and PDR), then a latency
#      trial at half the NDR; the same for TURN ChannelData and Send
#      indications at 100 flows and the profile's rated relays (each flow an
#      allocation made by sluice-bench's authenticated TURN client)
#   3. the reflector in sluice-dp's place, the same runs: the generator's
#      own ceiling for every figure
#   4. sluice-bench's TURN client against coturn (the same frames and search)
#   5. coturn against Sluice with coturn's own turnutils_uclient
#   6. the report (benchmarks/report/bench_report.py)
#
# Needs root (network namespaces, TAP). Speed is never pass/fail: the exit
# status is 1 only when a run failed functionally or the report could not
# be written. SB_NICE (default -10) is the benchmark processes' nice value.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)

profile=small
quick=0
for a in "$@"; do
  case "$a" in
    small|medium|large) profile=$a ;;
    --quick) quick=1 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "usage: $0 [small|medium|large] [--quick]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "bench: needs root (network namespaces, TAP, memif sockets)" >&2; exit 1; }

./scripts/install-deps.sh || { echo "bench: dependency install failed" >&2; exit 1; }
./scripts/build.sh release build || exit 1

# --- the profile ------------------------------------------------------------
# Rated capacity (the reference figures of docs/configuration.md) and the
# flow counts to sweep. Workers: the profile's, but at most one fewer than
# the CPUs (the generator and the service lcore need one).
ncpu=$(nproc)
case "$profile" in
  small)  workers=1; flows="1 100 1000 5000";      sessions=150; turn_relays=1800; demux_pairs=1 ;;
  medium) workers=2; flows="1 1000 10000 60000";   sessions=150; turn_relays=1800; demux_pairs=1 ;;
  large)  workers=4; flows="1 10000 100000 500000"; sessions=500; turn_relays=6000; demux_pairs=6 ;;
esac
profile_workers=$workers
[ "$workers" -gt $(( ncpu > 1 ? ncpu - 1 : 1 )) ] && workers=$(( ncpu > 1 ? ncpu - 1 : 1 ))
paths="p2p p2m m2p m2m"
turn_paths="turn-cd turn-send"; turn_flows="100 $turn_relays"
trial=1; max_trials=9; resolution=0.03
turn_clients=100; turn_msgs=1000; turn_interval=5
if [ "$quick" -eq 1 ]; then
  flows="1 100"; paths="p2p m2m"; trial=0.5; max_trials=6; resolution=0.05
  turn_paths="turn-cd"; turn_flows="100"
  turn_clients=20; turn_msgs=200; turn_interval=10
fi

results=$root/build/bench-results/$profile
rm -rf "$results"
mkdir -p "$results" docs/benchmarks
export SLUICE_BUILD=$root/build SLUICE_SOURCE=$root
export SB_NICE=${SB_NICE:--10}
SB_KEEP_TMP=""
source benchmarks/sluice-bench/lib.sh
trap sb_cleanup EXIT
sb_require_root
sb_priority
started=$(date +%s)
fails=0

log() { echo "bench[$profile]: $*" >&2; }

# --- the machine, before ------------------------------------------------------
machine_json() {  # PHASE: load and the busiest other processes, as JSON
  /usr/bin/python3 - "$1" <<'PY'
import json, os, subprocess, sys
ps = subprocess.run(["ps", "-eo", "pcpu,comm", "--sort=-pcpu"], capture_output=True,
                    text=True).stdout.splitlines()[1:6]
print(json.dumps({"phase": sys.argv[1], "loadavg": open("/proc/loadavg").read().split()[:3],
                  "top": [l.strip() for l in ps]}))
PY
}
/usr/bin/python3 - "$results/meta.json" "$profile" "$profile_workers" "$workers" "$sessions" \
  "$turn_relays" "$quick" "$trial" "$max_trials" "$resolution" "$SB_NICE" "$SB_GEN_CPU" \
  "$demux_pairs" "$(machine_json start)" <<'PY'
import json, os, platform, re, subprocess, sys
def run(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""
cpu = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read())
flags = re.search(r"flags\s*:\s*(.*)", open("/proc/cpuinfo").read())
mem = re.search(r"MemTotal:\s*(\d+)", open("/proc/meminfo").read())
huge = re.search(r"HugePages_Total:\s*(\d+)", open("/proc/meminfo").read())
(out, prof, pw, w, sessions, relays, quick, trial, maxt, res, nice, gencpu, dpairs,
 load0) = sys.argv[1:15]
meta = {
  "profile": prof, "profile_workers": int(pw), "workers": int(w),
  "rated": {"rich_media_sessions": int(sessions), "turn_relays": int(relays)},
  "quick": quick == "1", "trial_seconds": float(trial), "max_trials": int(maxt),
  "resolution": float(res), "nice": int(nice), "generator_cpu": int(gencpu),
  "demux_pairs": int(dpairs),
  "machine": {
    "cpu": cpu.group(1) if cpu else "unknown", "nproc": os.cpu_count(),
    "hypervisor": bool(flags and "hypervisor" in flags.group(1).split()),
    "mem_mb": int(mem.group(1)) // 1024 if mem else None,
    "hugepages": int(huge.group(1)) if huge else 0,
    "kernel": platform.release(),
    "os": run("sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"),
    "debian_version": run("cat", "/etc/debian_version"),
  },
  "software": {
    "dpdk": run("pkg-config", "--modversion", "libdpdk"),
    "gcc": run("sh", "-c", "gcc --version | head -1"),
    "coturn": run("sh", "-c", "turnserver --version 2>/dev/null | head -1"),
    "sluice": run("sh", "-c", "grep -m1 \"version:\" meson.build | tr -d \" ',\" | cut -d: -f2"),
    "build": "meson debugoptimized (scripts/build.sh release)",
  },
  "load": [json.loads(load0)],
}
json.dump(meta, open(out, "w"), indent=1)
PY

# --- 2. the relay -------------------------------------------------------------
common=(--search --seconds "$trial" --max-trials "$max_trials" --resolution "$resolution"
        --latency-at 0.5 --clamp-flows --demux-pairs "$demux_pairs" --retry-budget 4)
log "sluice-dp: profile $profile, $workers worker(s) (profile default $profile_workers)"
cfg=$(sb_config "$profile" "$workers" "  idle_backoff: false")
if ! sb_dp_start "$cfg" "$workers"; then
  log "sluice-dp did not start"; exit 1
fi
cp "$cfg" "$results/sluice.yaml"
# relay_runs "PATHS" "FLOWS": the search for every path and flow count
relay_runs() {
  local p n
  for p in $1; do
    for n in $2; do
      log "relay   $p, $n flows"
      if ! sb_gen --paths "$p" --flows "$n" "${common[@]}" --queues "$workers" \
          --label "relay $p $n" --json "$results/relay-$p-$n.json" \
          > "$results/relay-$p-$n.log" 2>&1; then
        log "relay $p $n: functional failure (see $results/relay-$p-$n.log)"; fails=$((fails + 1))
      fi
    done
  done
}
relay_runs "$paths" "$flows"
# TURN: each flow an allocation made by sluice-bench's authenticated client,
# with a channel (ChannelData) or a permission (Send indications)
relay_runs "$turn_paths" "$turn_flows"
machine_json relay-done > "$results/load-relay.json"
cp "$SB_TMP/dp.log" "$results/sluice-dp.log"
sb_dp_stop

# --- 3. the generator's ceiling -------------------------------------------
log "reflector in sluice-dp's place: the generator's ceiling"
sb_reflector_start || { log "the reflector did not start"; exit 1; }
flows_of() {  # the flows the relay run actually used
  /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["setup"]["flows"])' "$1" \
    2>/dev/null || echo "$2"
}
# ceiling_runs "PATHS" "FLOWS": the same searches against the reflector, at
# the flows each relay run actually used
ceiling_runs() {
  local p n m
  for p in $1; do
    for n in $2; do
      m=$(flows_of "$results/relay-$p-$n.json" "$n")
      sb_reflector_ensure || { log "the reflector did not restart"; exit 1; }
      log "ceiling $p, $m flows"
      sb_gen_ceiling --paths "$p" --flows "$m" "${common[@]}" \
        --label "ceiling $p $n" --json "$results/ceiling-$p-$n.json" \
        > "$results/ceiling-$p-$n.log" 2>&1 ||
        { log "ceiling $p $n: functional failure"; fails=$((fails + 1)); }
    done
  done
}
ceiling_runs "$paths" "$flows"
ceiling_runs "$turn_paths" "$turn_flows"
machine_json ceiling-done > "$results/load-ceiling.json"
sb_reflector_stop

# --- 4. TURN: sluice-bench's TURN client against coturn ---------------------
# the same generator, frames and search as for the relay, over a veth
# (net_af_packet) to coturn on the relay's CPU: coturn's throughput and CPU
# time per relayed packet, beside Sluice's figures for the same paths (above)
log "TURN: sluice-bench against coturn (veth, af_packet)"
if sb_coturn_start; then
  port_base=10000   # coturn keeps a deleted allocation's 5-tuple a while
  for p in turn-cd turn-send; do
    log "coturn  $p, 100 flows"
    sb_gen_coturn --paths "$p" --flows 100 "${common[@]}" --label "coturn $p 100" \
      --a-port-base "$port_base" \
      --json "$results/coturn-$p-100.json" > "$results/coturn-$p-100.log" 2>&1 ||
      { log "coturn $p: functional failure (see $results/coturn-$p-100.log)"; fails=$((fails + 1)); }
    port_base=$((port_base + 4000))
  done
  cp "$SB_TMP/turnserver.log" "$results/turnserver.log" 2>/dev/null
  sb_coturn_stop
else
  log "coturn did not start: no sluice-bench figures for it"
fi

# --- 5. TURN: coturn and Sluice under the same uclient load -----------------
log "TURN: coturn against Sluice ($turn_clients clients, $turn_msgs messages every $turn_interval ms)"
benchmarks/turn/turn_compare.sh "$results/turn-compare.json" "$turn_clients" "$turn_msgs" \
  "$turn_interval" 172 > "$results/turn-compare.log" 2>&1 ||
  log "TURN comparison did not run (see $results/turn-compare.log)"
machine_json end > "$results/load-end.json"

# --- 6. the report ----------------------------------------------------------
log "report"
if ! /usr/bin/python3 benchmarks/report/bench_report.py --profile "$profile" \
    --results "$results" --out docs/benchmarks --seconds $(( $(date +%s) - started )); then
  log "the report could not be written"; exit 1
fi
log "done in $(( $(date +%s) - started )) s: docs/benchmarks/$profile.md"
[ "$fails" -eq 0 ]
