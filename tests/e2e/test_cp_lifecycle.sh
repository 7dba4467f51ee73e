#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# test_cp_lifecycle.sh — sluice-cp start, status, single instance, reload,
# stop; in the foreground and as a daemon. No dataplane, no root needed:
# `sluicectl status` must report cp running and dp null (exit 3).
#
# Standalone: SLUICE_BUILD=build tests/e2e/test_cp_lifecycle.sh
# Exit 0 pass, 1 fail, 77 skip.
set -u

. "$(dirname "$0")/cp_lib.sh"
cp_require_bins

WORK=$(mktemp -d /tmp/sluice-cp-e2e.XXXXXX) || fail "mktemp"
export SLUICE_RUN_DIR="$WORK/run"
INST="e2e$$"
RUN="$SLUICE_RUN_DIR/$INST"
CFG="$WORK/sluice.yaml"
LOG="$WORK/cp.log"
CP_PID=""

# shellcheck disable=SC2317  # called by the trap
cleanup() {
	local p
	for p in $CP_PID $( [ -f "$RUN/cp.pid" ] && cat "$RUN/cp.pid" 2>/dev/null ); do
		kill -TERM "$p" 2>/dev/null
		wait_for 5 pid_gone "$p" || kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

cp_write_good_config "$CFG"

# ---- foreground ---------------------------------------------------------
note "start in the foreground"
"$CP_BIN" --config "$CFG" --instance "$INST" --foreground 2>"$LOG" &
CP_PID=$!
wait_for 10 test -S "$RUN/cp.sock" || { cat "$LOG"; fail "cp.sock did not appear"; }
[ "$(cat "$RUN/cp.pid")" = "$CP_PID" ] || fail "cp.pid does not hold $CP_PID"
[ "$(stat -c %a "$RUN")" = 750 ] || fail "run dir mode is not 0750"
[ "$(stat -c %a "$RUN/cp.sock")" = 660 ] || fail "cp.sock mode is not 0660"

note "sluicectl --json status: cp running, dp null, exit 3"
"$CTL_BIN" --instance "$INST" --json status > "$WORK/status.json"
rc=$?
[ "$rc" = 3 ] || { cat "$WORK/status.json"; fail "status exit $rc, want 3"; }
[ "$(json_get "$WORK/status.json" "j['cp']['pid']")" = "$CP_PID" ] || fail "cp.pid in status"
[ "$(json_get "$WORK/status.json" "j['cp']['profile']")" = small ] || fail "profile in status"
[ "$(json_get "$WORK/status.json" "j['cp']['instance']")" = "$INST" ] || fail "instance in status"
[ "$(json_get "$WORK/status.json" "j['dp'] is None")" = True ] || fail "dp is not null"

note "sluicectl status (human)"
"$CTL_BIN" --instance "$INST" status > "$WORK/status.txt"
[ $? = 3 ] || fail "human status exit code"
grep -q "^sluice-cp: running (pid $CP_PID)" "$WORK/status.txt" || fail "human status cp line"
grep -q "^sluice-dp: not running" "$WORK/status.txt" || fail "human status dp line"

note "a second sluice-cp for the same instance is refused"
"$CP_BIN" --config "$CFG" --instance "$INST" --foreground 2>"$WORK/second.err"
rc=$?
[ "$rc" = 1 ] || fail "second instance exit $rc, want 1"
grep -q "instance '$INST' is already running (pid $CP_PID)" "$WORK/second.err" ||
	{ cat "$WORK/second.err"; fail "second instance message"; }
kill -0 "$CP_PID" || fail "first instance died"

note "SIGHUP with a broken config: error logged, still running"
cp_write_bad_config "$CFG"
kill -HUP "$CP_PID"
wait_for 5 grep -q "keeping the running configuration" "$LOG" || { cat "$LOG"; fail "no reload error logged"; }
grep -Eq "$CFG:[0-9]+(:[0-9]+)?: error" "$LOG" || { cat "$LOG"; fail "reload error lacks file:line"; }
kill -0 "$CP_PID" || fail "sluice-cp died on a bad reload"
"$CTL_BIN" --instance "$INST" --json status > "$WORK/status.json"
[ "$(json_get "$WORK/status.json" "j['cp']['pid']")" = "$CP_PID" ] || fail "status after bad reload"

note "SIGHUP with a valid config again"
cp_write_good_config "$CFG"
kill -HUP "$CP_PID"
wait_for 5 grep -q "reload done" "$LOG" || { cat "$LOG"; fail "valid reload not logged"; }

note "SIGTERM: clean exit, pidfile and socket removed"
kill -TERM "$CP_PID"
wait "$CP_PID"
rc=$?
CP_PID=""
[ "$rc" = 0 ] || { cat "$LOG"; fail "exit status $rc after SIGTERM"; }
grep -q "stopping" "$LOG" || fail "no 'stopping' in the log"
[ ! -e "$RUN/cp.pid" ] || fail "cp.pid left behind"
[ ! -e "$RUN/cp.sock" ] || fail "cp.sock left behind"
"$CTL_BIN" --instance "$INST" --json status > "$WORK/status.json"
[ $? = 3 ] || fail "status after stop should exit 3"
[ "$(json_get "$WORK/status.json" "j['cp'] is None")" = True ] || fail "cp should be null after stop"

# ---- daemon -------------------------------------------------------------
note "start as a daemon"
"$CP_BIN" --config "$CFG" --instance "$INST" 2>"$WORK/daemon.err" ||
	{ cat "$WORK/daemon.err"; fail "daemon start failed"; }
# The parent returns only once the daemon serves: no wait needed.
[ -S "$RUN/cp.sock" ] || fail "daemon: cp.sock missing after start returned"
DPID=$(cat "$RUN/cp.pid") || fail "daemon: no cp.pid"
CP_PID="$DPID"
kill -0 "$DPID" || fail "daemon pid $DPID not alive"
[ "$(ps -o sid= -p "$DPID" | tr -d ' ')" != "$(ps -o sid= -p $$ | tr -d ' ')" ] ||
	fail "daemon did not start a new session"
[ "$(readlink "/proc/$DPID/cwd")" = / ] || fail "daemon cwd is not /"
"$CTL_BIN" --instance "$INST" --json status > "$WORK/status.json"
[ "$(json_get "$WORK/status.json" "j['cp']['pid']")" = "$DPID" ] || fail "daemon status pid"

note "the daemon refuses a second instance too"
"$CP_BIN" --config "$CFG" --instance "$INST" 2>"$WORK/second.err"
[ $? = 1 ] || fail "second daemon not refused"
grep -q "already running (pid $DPID)" "$WORK/second.err" || fail "second daemon message"

note "stop the daemon"
kill -TERM "$DPID"
wait_for 10 pid_gone "$DPID" || fail "daemon did not stop on SIGTERM"
CP_PID=""
[ ! -e "$RUN/cp.pid" ] || fail "daemon left cp.pid"
[ ! -e "$RUN/cp.sock" ] || fail "daemon left cp.sock"

echo "PASS: test_cp_lifecycle"
exit 0
