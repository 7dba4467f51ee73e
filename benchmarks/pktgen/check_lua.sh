#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Syntax check of the pktgen Lua scripts (and the tshark dissector) with
# Lua 5.4's luac, the Lua that DPDK Pktgen 23 embeds. Suite 'bench'.
# Usage: check_lua.sh FILE.lua...   (exit 77 when no luac5.4 is installed)
set -u
luac=$(command -v luac5.4 || command -v luac || true)
[ -n "$luac" ] || { echo "SKIP: luac5.4 not installed (apt-get install lua5.4)" >&2; exit 77; }
rc=0
for f in "$@"; do
  if "$luac" -p "$f"; then echo "ok: $f"; else rc=1; fi
done
exit $rc
