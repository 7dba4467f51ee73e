#!/usr/bin/env bash
# Configures and builds Sluice. Usage: scripts/build.sh [release|asan] [builddir]
#   release (default): build/        debugoptimized, the appliance
#   asan:              build-asan/   debug with AddressSanitizer + UBSan
set -euo pipefail
cd "$(dirname "$0")/.."

kind=${1:-release}
case "$kind" in
  release) dir=${2:-build};      opts=(--buildtype=debugoptimized) ;;
  asan)    dir=${2:-build-asan}; opts=(--buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false) ;;
  *) echo "usage: $0 [release|asan] [builddir]" >&2; exit 2 ;;
esac

if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" "${opts[@]}" >/dev/null
fi
ninja -C "$dir" >/dev/null
echo "build: $dir ($kind) up to date"
