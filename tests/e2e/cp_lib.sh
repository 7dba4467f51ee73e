# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
# cp_lib.sh — shared helpers for tests/e2e/test_cp_*.sh (sourced, not run).
#
# Exit codes follow meson: 0 pass, 1 fail, 77 skip (with the reason).

SLUICE_BUILD=${SLUICE_BUILD:-./build}
CP_BIN="$SLUICE_BUILD/controlplane/sluice-cp"
CTL_BIN="$SLUICE_BUILD/controlplane/sluicectl"

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
note() { echo "--- $*"; }

cp_require_bins() {
	[ -x "$CP_BIN" ] || skip "$CP_BIN not built (set SLUICE_BUILD)"
	[ -x "$CTL_BIN" ] || skip "$CTL_BIN not built (set SLUICE_BUILD)"
	command -v python3 >/dev/null || skip "python3 not installed"
}

# The minimal valid configuration (the shape of config/small.yaml).
cp_write_good_config() {
	cat > "$1" <<'YAML'
profile: small
interfaces:
  - name: external
    device: "net_af_packet0,iface=veth-ext"
    address: 192.0.2.10/24
turn:
  realm: relay.example
YAML
}

# A configuration the loader rejects: the profile on line 1 is unknown.
cp_write_bad_config() {
	cat > "$1" <<'YAML'
profile: tiny
interfaces:
  - name: external
    device: "net_af_packet0,iface=veth-ext"
    address: 192.0.2.10/24
YAML
}

# wait_for SECONDS COMMAND...: poll every 0.1 s, bounded.
wait_for() {
	local tries=$(( $1 * 10 ))
	shift
	while [ "$tries" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		tries=$(( tries - 1 ))
	done
	return 1
}

# Gone, or a zombie nobody has reaped yet (a container's init may be slow).
pid_gone() {
	kill -0 "$1" 2>/dev/null || return 0
	[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]
}

# json_get FILE EXPR: print a Python expression over the JSON in FILE as j.
json_get() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
