#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_cp_config_check.sh — `sluice-cp --check-config` and
# `sluicectl config check` accept a valid file and reject a broken one with
# exit 1 and a file:line error; --json gives {"ok":...}.
#
# Standalone: SLUICE_BUILD=build tests/e2e/test_cp_config_check.sh
# Exit 0 pass, 1 fail, 77 skip.
set -u

. "$(dirname "$0")/cp_lib.sh"
cp_require_bins

WORK=$(mktemp -d /tmp/sluice-cp-cfg.XXXXXX) || fail "mktemp"
trap 'rm -rf "$WORK"' EXIT
export SLUICE_RUN_DIR="$WORK/run"
GOOD="$WORK/good.yaml"
BAD="$WORK/bad.yaml"
cp_write_good_config "$GOOD"
cp_write_bad_config "$BAD"

note "sluice-cp --check-config, valid"
"$CP_BIN" --config "$GOOD" --check-config >"$WORK/out" 2>"$WORK/err" ||
	{ cat "$WORK/err"; fail "valid config rejected"; }
grep -q "^sluice-cp: configuration OK: $GOOD (profile small)$" "$WORK/err" || fail "OK line"
grep -q "profile" "$WORK/out" || fail "effective config not printed"
[ ! -e "$SLUICE_RUN_DIR" ] || fail "--check-config created the run directory"

note "sluice-cp --check-config, invalid"
"$CP_BIN" --config "$BAD" --check-config >"$WORK/out" 2>"$WORK/err"
[ $? = 1 ] || fail "invalid config: exit code"
grep -Eq "^$BAD:1(:[0-9]+)?: error" "$WORK/err" || { cat "$WORK/err"; fail "no file:line error"; }

note "sluice-cp on an invalid config starts nothing"
"$CP_BIN" --config "$BAD" --foreground 2>"$WORK/err"
[ $? = 1 ] || fail "start with invalid config: exit code"
[ ! -e "$SLUICE_RUN_DIR" ] || fail "invalid config still created the run directory"

note "sluicectl config check, valid"
"$CTL_BIN" config check "$GOOD" >"$WORK/out" || fail "sluicectl rejected a valid config"
head -1 "$WORK/out" | grep -q "^configuration OK: $GOOD (profile small)$" || fail "sluicectl OK line"

note "sluicectl config check, invalid"
"$CTL_BIN" config check "$BAD" >"$WORK/out" 2>"$WORK/err"
[ $? = 1 ] || fail "sluicectl invalid config: exit code"
grep -Eq "^$BAD:1(:[0-9]+)?: error" "$WORK/err" || { cat "$WORK/err"; fail "sluicectl: no file:line error"; }

note "sluicectl --json config check"
"$CTL_BIN" --json config check "$GOOD" >"$WORK/ok.json" || fail "json valid: exit code"
[ "$(json_get "$WORK/ok.json" "j['ok'] and j['profile']")" = small ] || fail "json ok object"
"$CTL_BIN" --json config check "$BAD" >"$WORK/bad.json"
[ $? = 1 ] || fail "json invalid: exit code"
[ "$(json_get "$WORK/bad.json" "j['ok']")" = False ] || fail "json ok:false"
json_get "$WORK/bad.json" "j['errors'][0]" | grep -Eq "^$BAD:1(:[0-9]+)?: error" || fail "json errors[0]"

note "sluice-cp: a zone's CA file that cannot be read stops it at start, named"
CA_CFG="$WORK/zone-ca.yaml"
{ cat "$GOOD"; cat <<YAML
credentials:
  - { username: branch, password: "zone-secret" }
zones:
  - { name: dmz, role: client, protocol: sip, transport: tls, peer: 192.0.2.1, port: 7001, username: branch, ca_certificate: $WORK/none.pem }
YAML
} > "$CA_CFG"
"$CP_BIN" --config "$CA_CFG" --check-config >/dev/null 2>&1 || fail "zone CA config rejected by --check-config"
# in a network namespace of its own: it binds the SIP and H.323 ports
timeout 20 unshare -n "$CP_BIN" --config "$CA_CFG" --instance cfgca --foreground >/dev/null 2>"$WORK/err"
[ $? = 1 ] || { cat "$WORK/err"; fail "missing zone CA: exit code"; }
grep -q "zone dmz: zones\[0\].ca_certificate $WORK/none.pem: No such file or directory" "$WORK/err" ||
	{ cat "$WORK/err"; fail "missing zone CA: not named"; }
echo "not a certificate" > "$WORK/none.pem"
timeout 20 unshare -n "$CP_BIN" --config "$CA_CFG" --instance cfgca --foreground >/dev/null 2>"$WORK/err"
[ $? = 1 ] || { cat "$WORK/err"; fail "junk zone CA: exit code"; }
grep -q "zone dmz: zones\[0\].ca_certificate $WORK/none.pem: no certificate or crl found" "$WORK/err" ||
	{ cat "$WORK/err"; fail "junk zone CA: not named"; }

note "usage errors exit 2"
"$CTL_BIN" frobnicate 2>/dev/null; [ $? = 2 ] || fail "unknown command exit code"
"$CTL_BIN" config check 2>/dev/null; [ $? = 2 ] || fail "missing FILE exit code"
"$CTL_BIN" --instance 'bad/name' status 2>/dev/null; [ $? = 2 ] || fail "bad instance exit code"
"$CP_BIN" --config "$GOOD" --instance '' 2>/dev/null; [ $? = 2 ] || fail "sluice-cp bad instance"

echo "PASS: test_cp_config_check"
exit 0
