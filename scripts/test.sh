#!/usr/bin/env bash
# Runs Sluice's whole test suite on a fresh machine: installs what is missing,
# builds, runs every suite, and ends with one line "N passed, N failed, N skipped".
#
#   unit, dp  in the ASan/UBSan build (build-asan/): memory errors fail tests
#   e2e       the real binaries of the release build (build/), clients in
#             network namespaces (needs root)
#   bench     two-second smoke runs of the benchmarks (they are never
#             pass/fail on speed; the smoke run only checks they still work)
#
# Usage: scripts/test.sh [SUITE...]   (default: unit dp e2e bench)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(unit dp e2e bench fuzz)

./scripts/install-deps.sh || { echo "test: dependency install failed" >&2; echo "0 passed, 1 failed"; exit 1; }
./scripts/build.sh release build || { echo "0 passed, 1 failed"; exit 1; }
./scripts/build.sh asan build-asan || { echo "0 passed, 1 failed"; exit 1; }
case " ${suites[*]} " in
  *" fuzz "*) ./scripts/build.sh fuzz build-fuzz || { echo "0 passed, 1 failed"; exit 1; } ;;
esac

# DPDK's EAL keeps a few allocations until exit; everything of ours must be
# freed (LeakSanitizer runs, with DPDK's own frames suppressed).
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

total_pass=0; total_fail=0; total_skip=0

run_suite() {   # builddir suite [meson test options]
  local dir=$1 suite=$2 log
  shift 2
  echo "=== suite $suite ($dir)"
  meson test -C "$dir" --suite "$suite" --print-errorlogs --num-processes 2 \
    --logbase "testlog-$suite" "$@" 2>&1 | grep -vE '^(ninja: |$)' || true
  log="$dir/meson-logs/testlog-$suite.json"
  if [ ! -s "$log" ]; then
    echo "suite $suite: no results" >&2; total_fail=$((total_fail + 1)); return
  fi
  read -r p f s < <(python3 - "$log" <<'PY'
import json, sys
p = f = s = 0
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    if r in ("OK", "EXPECTEDFAIL"): p += 1
    elif r == "SKIP": s += 1
    else: f += 1
print(p, f, s)
PY
)
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f)); total_skip=$((total_skip + s))
}

for s in "${suites[@]}"; do
  case "$s" in
    unit|dp) run_suite build-asan "$s" ;;
    e2e|bench) run_suite build "$s" ;;
    fuzz) run_suite build-fuzz fuzz --no-rebuild ;;  # bounded libFuzzer runs
    *) echo "test: unknown suite $s" >&2; total_fail=$((total_fail + 1)) ;;
  esac
done

echo "${total_pass} passed, ${total_fail} failed, ${total_skip} skipped"
[ "$total_fail" -eq 0 ]
