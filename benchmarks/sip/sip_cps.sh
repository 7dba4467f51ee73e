#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# benchmarks/sip/sip_cps.sh — SIP calls per second through a traversal
# pair: the real sluice-dp and sluice-cp twice (inside = traversal client,
# DMZ = traversal server, the two-appliance network of tests/e2e/lib.sh),
# sipp as caller and callee in the switch namespace.
#
#   sipp UAC ──INVITE──► inside 192.0.2.20 ══zone (tcp)══► DMZ 192.0.2.10 ──► sipp UAS
#   every call: INVITE, 100, 180, 200, ACK, BYE, 200 on each of the three
#   hops, and four media legs set up and torn down (a PORT and a MUX leg in
#   each dataplane). No RTP flows: what is measured is signaling and leg
#   programming, the calls/s figure of a traversal server's datasheet.
#
# Usage: sip_cps.sh [--rate CPS] [--seconds S] [--hold MS] [--auth]
#                   [--json OUT]
#   --rate     calls started per second by sipp (default 1000)
#   --seconds  how long calls are started (default 10; calls = rate x S)
#   --hold     how long each call stays up after its ACK (default 0)
#   --auth     the caller authenticates each INVITE (401 + digest; off:
#              sip.call_auth false on the inside appliance)
#
# With --hold of 1 s or more, halfway through `sluicectl --json calls` on
# the inside appliance must list more calls than one reply holds (it
# pages through "sip calls from=N"); calls that end meanwhile make its
# count differ a little from what it listed.
# Figures (JSON and a line on stdout): calls attempted, successful,
# failed (sipp's own counts), the rate sipp achieved, call-setup latency
# p50/p99/max in ms (INVITE sent to 200 received, sipp's -trace_rtt),
# legs added and deleted on each appliance and legs left after (must be
# 0). It fails (exit 1) only on functional errors: a failed call, a leg
# left behind, a leg refused; never on speed.
set -uo pipefail
RATE=1000 SECONDS_=10 HOLD=0 AUTH=0 JSON=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift 2;;
    --seconds) SECONDS_=$2; shift 2;;
    --hold) HOLD=$2; shift 2;;
    --auth) AUTH=1; shift;;
    --json) JSON=$2; shift 2;;
    *) echo "usage: $0 [--rate CPS] [--seconds S] [--hold MS] [--auth] [--json OUT]" >&2; exit 2;;
  esac
done
case "$RATE$SECONDS_$HOLD" in *[!0-9]*) echo "rate, seconds and hold are integers" >&2; exit 2;; esac
CALLS=$((RATE * SECONDS_))
[ "$CALLS" -gt 0 ] || { echo "rate x seconds must be above 0" >&2; exit 2; }

E2E_PFX=sipb
. "$(dirname "$0")/../../tests/e2e/lib.sh"
e2e_require_root
command -v sipp >/dev/null || e2e_skip "sipp not installed (apt-get install sip-tester)"
SIPP_DIR=$E2E_SRC/tests/e2e/sip

e2e_two_appliances_net
# call slots: 2 x sessions on each appliance; a call lives for its setup,
# its hold and its BYE, so the table holds rate x (hold + 1 s) with room
SESSIONS=$(( RATE * (HOLD / 1000 + 2) ))
[ "$SESSIONS" -ge 150 ] || SESSIONS=150
cfg=$(e2e_config small)
sed -i '/username: alice/a\  - { username: inside, password: "zone-secret" }' "$cfg"
cat >> "$cfg" <<EOF
capacity:
  rich_media_sessions: $SESSIONS
log:
  level: notice
sip:
  routes:
    - { user: pub, target: "$E2E_CLI_IP:5080" }
zones:
  - { name: branch, role: server, protocol: sip, username: inside, keepalive: 5 }
EOF
in_cfg=$(e2e_inside_config "credentials:
  - { username: inside, password: \"zone-secret\" }
  - { username: carol, password: \"in-secret\" }
capacity:
  rich_media_sessions: $SESSIONS
log:
  level: notice
sip:
  call_auth: $([ "$AUTH" = 1 ] && echo true || echo false)
  routes:
    - { zone: dmz }
zones:
  - { name: dmz, role: client, protocol: sip, peer: $E2E_APP_IP, port: 7001, username: inside, keepalive: 5 }")
e2e_two_appliances_start "$cfg" "$in_cfg" || exit 1
zone_up() { e2e_json "$(e2e_in_ctl --json zones 2>/dev/null)" "[z for z in j['zones'] if z['name'] == 'dmz' and z['state'] == 'up'] != []"; }
e2e_wait_for 15 zone_up || { e2e_fail "zone dmz did not come up"; e2e_done; }
e2e_wait_for 10 e2e_cp_ready || { e2e_fail "DMZ not attached to its dataplane"; e2e_done; }

# the caller's scenario: the e2e call without media, with or without auth
uac=$E2E_TMP/cps_uac.xml
if [ "$AUTH" = 1 ]; then
  cp "$SIPP_DIR/call_uac.xml" "$uac"
else   # the challenge and its ACK taken out: one INVITE
  "$E2E_PY" - "$SIPP_DIR/call_uac.xml" "$uac" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
first = s.index("<send retrans")
second = s.index("<send retrans", first + 1)
s = s[:first] + s[second:]
s = s.replace("[authentication]\n", "").replace("CSeq: 2 ", "CSeq: 1 ").replace("CSeq: 3 BYE", "CSeq: 2 BYE")
open(sys.argv[2], "w").write(s)
PY
fi

limit=$(( RATE * (HOLD / 1000 + 3) ))
timeout $((SECONDS_ + HOLD / 1000 + 60)) ip netns exec "$E2E_CLI" sipp -sf "$SIPP_DIR/call_uas.xml" \
  -i "$E2E_CLI_IP" -p 5080 -key mport 42000 -mp 43100 -key sdpx a=sendrecv -buff_size 4194304 -nostdin -timeout $((SECONDS_ + HOLD / 1000 + 40))s \
  -trace_err -error_file "$E2E_TMP/uas.err" > /dev/null 2>&1 &
uas=$!
sleep 0.5
cd "$E2E_TMP" || exit 1
start=$(date +%s.%N)
timeout $((SECONDS_ + HOLD / 1000 + 60)) ip netns exec "$E2E_CLI" sipp "$E2E_IN_IP:5060" -sf "$uac" \
  -s pub -au carol -ap in-secret -i "$E2E_CLI_IP" -p 5070 -key mport 41000 -mp 43000 -key sdpx a=sendrecv -buff_size 4194304 \
  -r "$RATE" -m "$CALLS" -l "$limit" -d "$HOLD" -nostdin -timeout $((SECONDS_ + HOLD / 1000 + 40))s \
  -trace_stat -stf "$E2E_TMP/uac.csv" -trace_rtt -rtt_freq 1 \
  -trace_err -error_file "$E2E_TMP/uac.err" > /dev/null 2>&1 &
uac_pid=$!
# with calls held up, halfway: `sluicectl calls` lists every one of them
# (it pages through "sip calls from=N"), legs and counters included
listed=null
if [ "$HOLD" -ge 1000 ]; then
  sleep $(( SECONDS_ / 2 + 1 ))
  listed=$(e2e_in_ctl --json calls | "$E2E_PY" -c 'import json,sys; j=json.load(sys.stdin); print(json.dumps({"listed": len(j["calls"]), "count": j["count"], "legs": sum(len(c["legs"]) for c in j["calls"])}))')
fi
wait "$uac_pid"
rc_uac=$?
end=$(date +%s.%N)
kill "$uas" 2>/dev/null; wait "$uas" 2>/dev/null

no_legs() { e2e_json "$($1 --json flows count 2>/dev/null)" "j['legs'] == 0 and j['dataplane_legs'] == 0"; }
e2e_wait_for 40 no_legs e2e_in_ctl; left_in=$?
e2e_wait_for 10 no_legs e2e_ctl; left_dmz=$?
# UDP datagrams the kernel dropped for a full socket buffer, per namespace
rcvbuf_errors() { ip netns exec "$1" awk '/^Udp:/ { if (n++) print $6 }' /proc/net/snmp; }
udp_drops="{\"inside\": $(rcvbuf_errors "$E2E_IN_NS"), \"dmz\": $(rcvbuf_errors "$E2E_APP"), \"switch\": $(rcvbuf_errors "$E2E_CLI")}"
in_status=$(e2e_in_ctl --json status)
dmz_status=$(e2e_ctl --json status)
in_flows=$(e2e_in_ctl --json flows count)
dmz_flows=$(e2e_ctl --json flows count)

"$E2E_PY" - "$E2E_TMP" "$RATE" "$SECONDS_" "$HOLD" "$AUTH" "$start" "$end" "$rc_uac" \
  "$in_status" "$dmz_status" "$in_flows" "$dmz_flows" "${JSON:-}" "$udp_drops" "${listed:-null}" <<'PY'
import csv, glob, json, sys
tmp, rate, seconds, hold, auth, start, end, rc = sys.argv[1:9]
in_st, dmz_st, in_fl, dmz_fl = (json.loads(x) for x in sys.argv[9:13])
out = sys.argv[13]
udp_drops = json.loads(sys.argv[14])
listed = json.loads(sys.argv[15])
rows = list(csv.reader(open(tmp + "/uac.csv"), delimiter=";"))
head, last = rows[0], rows[-1]
col = lambda name: int(last[head.index(name)])
rtts = []
for f in glob.glob(tmp + "/*_rtt.csv"):
    for r in csv.reader(open(f), delimiter=";"):
        if len(r) >= 2 and r[0].replace(".", "").isdigit():
            rtts.append(float(r[1]))
rtts.sort()
pct = lambda p: rtts[min(len(rtts) - 1, int(p * len(rtts)))] if rtts else None
calls = lambda st: st["cp"]["sip"]["calls"]
res = {
    "benchmark": "sip-cps",
    "setup": {"rate": int(rate), "seconds": int(seconds), "hold_ms": int(hold),
              "auth": auth == "1", "hops": "sipp -> inside -> zone (tcp) -> DMZ -> sipp",
              "legs_per_call": 4},
    "calls_attempted": col("TotalCallCreated"),
    "calls_successful": col("SuccessfulCall(C)"),
    "calls_failed": col("FailedCall(C)"),
    "elapsed_s": round(float(end) - float(start), 3),
    "setup_ms": {"samples": len(rtts), "p50": pct(0.50), "p99": pct(0.99),
                 "max": rtts[-1] if rtts else None},
    "inside": {"legs_added": calls(in_st)["legs_added"], "legs_deleted": calls(in_st)["legs_deleted"],
               "leg_errors": calls(in_st)["leg_errors"], "legs_left": in_fl["legs"],
               "dataplane_legs_left": in_fl["dataplane_legs"], "active_max": calls(in_st)["active_max"],
               "retransmits": calls(in_st)["retransmits"]},
    "dmz": {"legs_added": calls(dmz_st)["legs_added"], "legs_deleted": calls(dmz_st)["legs_deleted"],
            "leg_errors": calls(dmz_st)["leg_errors"], "legs_left": dmz_fl["legs"],
            "dataplane_legs_left": dmz_fl["dataplane_legs"], "active_max": calls(dmz_st)["active_max"],
            "retransmits": calls(dmz_st)["retransmits"]},
}
res["udp_rcvbuf_errors"] = udp_drops
res["sluicectl_calls_midway"] = listed
res["calls_per_s"] = round(res["calls_successful"] / float(seconds), 1)
bad = []
if rc != "0" or res["calls_failed"] or res["calls_successful"] != res["calls_attempted"]:
    bad.append("failed calls (sipp exit %s)" % rc)
for side in ("inside", "dmz"):
    s = res[side]
    if s["legs_left"] or s["dataplane_legs_left"] or s["leg_errors"]:
        bad.append(side + ": legs left or refused")
    if s["legs_added"] != 2 * res["calls_successful"] or s["legs_deleted"] != s["legs_added"]:
        bad.append(side + ": legs added/deleted do not match the calls")
# calls end and start while the listing pages on, so the counts differ a
# little; what must hold is that it went past one reply's worth
if listed is not None and listed["listed"] < min(100, int(rate) // 2):
    bad.append("sluicectl calls listed only %d calls" % listed["listed"])
res["functional_failures"] = bad
if out:
    json.dump(res, open(out, "w"), indent=1)
print("sip-cps: %d/%d calls at %s cps offered (%.1f s), setup p50 %s ms p99 %s ms; legs %d+%d added, 0 left%s" % (
    res["calls_successful"], res["calls_attempted"], rate, res["elapsed_s"],
    res["setup_ms"]["p50"], res["setup_ms"]["p99"], res["inside"]["legs_added"],
    res["dmz"]["legs_added"], "" if not bad else "; FAILED: " + ", ".join(bad)))
sys.exit(1 if bad else 0)
PY
rc=$?
[ "$rc" -eq 0 ] || { E2E_FAILS=1; tail -5 "$E2E_TMP/uac.err" >&2 2>/dev/null; }
e2e_done
