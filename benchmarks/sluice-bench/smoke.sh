#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The 'bench' suite's smoke run of sluice-bench: the real sluice-dp and the
# real generator over memif, about two seconds of traffic. It fails only on
# functional errors, never on speed:
#   relay    legs for every media path and both TURN frame kinds, a short
#            RFC 2544 search; the tool fails (exit 1) when p2p got nothing
#            back, when a frame came back rewritten wrongly, when a path got
#            nothing back and the relay does not say why (a stage not built
#            yet is reported, not failed), or when it cannot write its JSON
#   ceiling  the generator against the reflector for a second
#   coturn   sluice-bench's TURN client against coturn (veth, af_packet):
#            every flow allocated, bound or permitted, and its ChannelData
#            and Send indications relayed back as the frames they carried
# Usage: smoke.sh relay|ceiling|coturn JSON-OUT
set -uo pipefail
kind=${1:?relay|ceiling}
json=${2:?json output}
source "$(dirname "$0")/lib.sh"
trap sb_cleanup EXIT
sb_require_root

check_json() {
  /usr/bin/python3 - "$json" <<'PY' || { echo "FAIL: $json is not the JSON expected" >&2; exit 1; }
import json, sys
j = json.load(open(sys.argv[1]))
assert j["benchmark"] == "sluice-bench" and j["trials"], "no trials"
assert j["result"]["functional_failures"] == 0, "functional failures"
print("smoke: %s, %d trial(s), %.0f pps received in the last" %
      (j["setup"]["mode"], len(j["trials"]), j["trials"][-1]["received_pps"]))
PY
}

case "$kind" in
  relay)
    cfg=$(sb_config small 1 "  idle_backoff: true")
    sb_dp_start "$cfg" 1 || exit 1
    sb_gen --paths p2p,p2m,m2p,m2m,turn-cd,turn-send --flows 60 \
      --search --seconds 0.3 --max-trials 4 --warmup 0.5 --require-p2p \
      --label smoke --json "$json" || { echo "FAIL: sluice-bench (relay)" >&2; tail -5 "$SB_TMP/dp.log" >&2; exit 1; }
    ;;
  ceiling)
    sb_reflector_start || exit 1
    sb_gen_ceiling --paths p2p,m2m,turn-cd,turn-send --flows 16 \
      --rate 20000 --seconds 1 --warmup 0.2 --label smoke-ceiling \
      --json "$json" || { echo "FAIL: sluice-bench (ceiling)" >&2; exit 1; }
    ;;
  coturn)
    sb_coturn_start; rc=$?
    [ "$rc" -eq 0 ] || exit "$rc"
    sb_gen_coturn --paths turn-cd,turn-send --flows 20 --rate 5000 --seconds 1 \
      --warmup 0.3 --label smoke-coturn --json "$json" ||
      { echo "FAIL: sluice-bench (coturn)" >&2; tail -5 "$SB_TMP/turnserver.log" >&2; exit 1; }
    /usr/bin/python3 - "$json" <<'PY' || { echo "FAIL: TURN flows not all set up by coturn" >&2; exit 1; }
import json, sys
j = json.load(open(sys.argv[1]))
t = j["turn"]
assert t and t["ready"] == t["flows"] == 20, t
PY
    ;;
  *) echo "usage: smoke.sh relay|ceiling|coturn JSON" >&2; exit 2 ;;
esac
check_json
