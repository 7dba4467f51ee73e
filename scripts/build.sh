#!/usr/bin/env bash
# Configures and builds Sluice. Usage: scripts/build.sh [release|asan|fuzz] [builddir]
#   release (default): build/        debugoptimized, the appliance
#   asan:              build-asan/   debug with AddressSanitizer + UBSan
#   fuzz:              build-fuzz/   clang, ASan + UBSan, the libFuzzer
#                                    targets only (suite 'fuzz')
set -euo pipefail
cd "$(dirname "$0")/.."

kind=${1:-release}
case "$kind" in
  release) dir=${2:-build};      opts=(--buildtype=debugoptimized) ;;
  asan)    dir=${2:-build-asan}; opts=(--buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false) ;;
  fuzz)    dir=${2:-build-fuzz}; opts=(--buildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false) ;;
  *) echo "usage: $0 [release|asan|fuzz] [builddir]" >&2; exit 2 ;;
esac

if [ ! -f "$dir/build.ninja" ]; then
  if [ "$kind" = fuzz ]; then
    CC=clang meson setup "$dir" "${opts[@]}" >/dev/null
  else
    meson setup "$dir" "${opts[@]}" >/dev/null
  fi
fi
if [ "$kind" = fuzz ]; then
  # only the libFuzzer targets and what their tests run
  ninja -C "$dir" tests/unit/fuzz_config controlplane/h323/tests/fuzz_h225_ras \
    controlplane/h323/tests/fuzz_h225_cs controlplane/h323/tests/fuzz_h225_ras_smoke \
    tests/unit/fuzz_rtp tests/unit/test_dp_rtp tests/unit/fuzz_stun tests/unit/fuzz_stun_smoke \
    controlplane/sip/tests/fuzz_sip controlplane/sip/tests/fuzz_sip_smoke >/dev/null
else
  ninja -C "$dir" >/dev/null
fi
echo "build: $dir ($kind) up to date"
