#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# One bounded libFuzzer run, as a test (suite 'fuzz', clang build only):
#   run_fuzzer.sh SECONDS FUZZER [--seeds-from WRITER] [SEED_FILE_OR_DIR...]
# WRITER is run as `WRITER --write-corpus DIR` to make a seed corpus first.
# Passes when libFuzzer ran its time without a crash, leak, timeout or
# sanitizer report; the reproducer (if any) stays in the build's fuzz dir.
set -uo pipefail
secs=$1 fuzzer=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
seeds=()
if [ "${1:-}" = --seeds-from ]; then
  "$2" --write-corpus "$work/corpus" >/dev/null
  shift 2
fi
for s in "$@"; do   # libFuzzer takes directories: files join the corpus
  if [ -d "$s" ]; then seeds+=("$s"); else cp "$s" "$work/corpus/"; fi
done
out=$(dirname "$fuzzer")/fuzz-artifacts
mkdir -p "$out"
"$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$out/" "$work/corpus" ${seeds[@]+"${seeds[@]}"}
rc=$?
exit $rc
