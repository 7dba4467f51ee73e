#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""test_h323_svc_tshark.py — Wireshark as the judge of what the RAS service
and the H.460.18 call signalling put on the wire.

Runs h323_svc_pcap_gen (the real ras_service driven through a script, both
sides of every exchange, plus the TCP 1720 Facility messages), has tshark
dissect the capture (UDP 6001 decoded as H.225.0 RAS, as a zone port is),
and checks per frame:
  - the message is the one intended (RasMessage alternative, or for call
    signalling TPKT + Q.931 Facility + H323-UserInformation with the
    intended h323-message-body);
  - Wireshark saw nothing malformed and raised no expert info, and does
    flag the deliberately truncated last frame;
  - the key values, in encoding order.

  test_h323_svc_tshark.py PATH/TO/h323_svc_pcap_gen

Exits 77 (skip) when tshark is not installed. Standard library only.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SKIP = 77
GK = "192.0.2.10"
SIG = [("ipV4", GK), ("ipV4_port", "1720")]
CALL_ID = [("guid", "c0c1c2c3-c4c5-46c7-88c9-cacbcccdcecf")]
MD5 = ("h235.algorithmOID", "1.2.840.113549.2.5")
TOKEN = [("cryptoTokens", "1"), ("CryptoH323Token", "0"), ("alias", "1"),
         ("h323_ID", "alice"), MD5]
F18 = [("supportedFeatures", "1"), ("standard", "18")]

# label: (RasMessage tag or "cs", expected (field, value) pairs in order)
EXPECT = {
    "grq": ("0", [("protocolIdentifier", "0.0.8.2250.0.4"),
                  ("ipV4", "192.0.2.1"), ("ipV4_port", "40000"),
                  ("h323_ID", "alice"), ("authenticationCapability", "1"),
                  ("AuthenticationMechanism", "2"),
                  ("algorithmOIDs_item", "1.2.840.113549.2.5")] + F18),
    "gcf": ("1", [("requestSeqNum", "1"),
                  ("gatekeeperIdentifier", "sluice"), ("ipV4", GK),
                  ("ipV4_port", "1719"), ("authenticationMode", "2"),
                  ("algorithmOID", "1.2.840.113549.2.5")] + F18),
    "rrq": ("3", [("requestSeqNum", "2"), ("h323_ID", "alice"),
                  ("dialledDigits", "1001"), ("timeToLive", "300")] + TOKEN +
            [("keepAlive", "0")] + F18),
    "rcf": ("4", [("requestSeqNum", "2")] + SIG + [
        ("gatekeeperIdentifier", "sluice"),
        ("endpointIdentifier", "sl-00c0c101"), ("timeToLive", "60")] + F18),
    "rrq-wrong-password": ("3", [("requestSeqNum", "3")] + TOKEN),
    "rrj-denied": ("5", [("requestSeqNum", "3"), ("rejectReason", "11"),
                         ("gatekeeperIdentifier", "sluice")]),
    "rrq-skewed": ("3", [("requestSeqNum", "4")] + TOKEN),
    # securityError (17) securityWrongSyncTime (0): H.225.0 v4's own name
    # for "your clock is wrong"
    "rrj-clock": ("5", [("requestSeqNum", "4"), ("rejectReason", "17"),
                        ("securityError", "0"),
                        ("gatekeeperIdentifier", "sluice")]),
    "rrq-keepalive": ("3", [("requestSeqNum", "5")] + TOKEN + [
        ("keepAlive", "1"), ("endpointIdentifier", "sl-00c0c101")]),
    "rcf-keepalive": ("4", [("requestSeqNum", "5")] + SIG + [
        ("endpointIdentifier", "sl-00c0c101"), ("timeToLive", "60")]),
    "rrq-duplicate": ("3", [("h323_ID", "bob"), ("dialledDigits", "1001")]),
    "rrj-duplicate": ("5", [("rejectReason", "4"), ("duplicateAlias", "1"),
                            ("dialledDigits", "1001")]),
    "sci-incoming-call": ("30", [
        ("serviceControl", "0"), ("endpointIdentifier", "sl-00c0c101"),
        ("genericData", "1"), ("standard", "18"), ("parameters", "1"),
        ("standard", "1"), ("h460.18.callSignallingAddress", "0")] + SIG +
        CALL_ID),
    "scr": ("31", []),
    "facility-callid": ("cs", [
        ("q931.message_type", "0x62"),
        ("q931.user.protocol_discriminator", "0x05"),
        ("h323_message_body", "6"), ("protocolIdentifier", "0.0.8.2250.0.4"),
        ("reason", "3")] + CALL_ID),
    "facility-empty": ("cs", [("q931.message_type", "0x62"),
                              ("h323_message_body", "8")]),
    "sci-zone-keepalive": ("30", [("cryptoTokens", "1"), ("h323_ID", "tc"),
                                  MD5, ("genericData", "1"),
                                  ("standard", "18")]),
    "scr-lrq-keepalive": ("31", [("requestSeqNum", "1"), ("genericData", "1"),
                                 ("standard", "18"), ("standard", "2"),
                                 ("h460.18.lrqKeepAliveInterval", "20")]),
    "lrq": ("18", [("h323_ID", "alice")]),
    "lcf": ("19", [("requestSeqNum", "2")] + SIG + [
        ("ipV4", GK), ("ipV4_port", "6001"), ("destinationInfo", "1"),
        ("h323_ID", "alice")]),
    "lrq-unknown": ("18", [("h323_ID", "nobody")]),
    "lrj": ("20", [("requestSeqNum", "3"), ("rejectReason", "0")]),
    "urq": ("6", [("endpointIdentifier", "sl-00c0c101")] + TOKEN),
    "ucf": ("7", [("requestSeqNum", "6")]),
    "brq": ("12", [("requestSeqNum", "99")]),
    "xrs": ("24", [("requestSeqNum", "99"), ("messageNotUnderstood", None)]),
}


def frame_fields(packet):
    """(name, show) of every h225/h235/h460/q931 field, "h225." dropped."""
    out = []
    for f in packet.iter("field"):
        name = f.get("name") or ""
        if name.startswith("h225."):
            out.append((name[5:], f.get("show")))
        elif name.startswith(("h235.", "h460.", "q931.")):
            out.append((name, f.get("show")))
    return out


def missing_in_order(fields, expected):
    """The first expected pair not found after the previous one (a value
    of None matches any), or None."""
    at = 0
    for name, value in expected:
        while at < len(fields) and not (
                fields[at][0] == name and value in (None, fields[at][1])):
            at += 1
        if at == len(fields):
            return (name, value)
        at += 1
    return None


def problems_in(packet):
    """Malformed markers and expert infos anywhere in the packet."""
    found = []
    for el in packet.iter():
        name = el.get("name") or ""
        if name.startswith(("_ws.malformed", "_ws.expert")) or \
                "Malformed" in (el.get("showname") or ""):
            found.append(el.get("showname") or name)
    return found


def dissect(gen):
    """(frames written, pdml packets), or a failure message."""
    with tempfile.TemporaryDirectory(prefix="h323-svc-tshark-") as tmp:
        pcap = os.path.join(tmp, "svc.pcap")
        run = subprocess.run([gen, pcap], capture_output=True, text=True,
                             check=False)
        if run.returncode != 0:
            return "h323_svc_pcap_gen failed: " + run.stderr
        frames = [line.split() for line in run.stdout.splitlines()]
        env = dict(os.environ, HOME=tmp)  # no user profile, no prefs
        pdml = subprocess.run(
            [shutil.which("tshark"), "-n", "-r", pcap,
             "-d", "udp.port==6001,h225",
             # single segments without a handshake: no TCP analysis
             "-o", "tcp.analyze_sequence_numbers:FALSE", "-T", "pdml"],
            capture_output=True, text=True, env=env, check=False)
        if pdml.returncode != 0:
            return "tshark failed: " + pdml.stderr
    return frames, ET.fromstring(pdml.stdout).findall("packet")


def check_frame(num, label, kind, packet):
    """Failure messages for one frame ([] when it is right)."""
    what = "frame %s (%s)" % (num, label)
    fields = frame_fields(packet)
    if label.startswith("canary"):
        return [] if problems_in(packet) else [
            "%s: truncated frame not flagged; the check is blind" % what]
    if label not in EXPECT:
        return ["%s: no expectations written for it" % what]
    tag, expected = EXPECT[label]
    fails = ["%s: %s" % (what, p) for p in problems_in(packet)]
    if kind == "ras" and (not fields or fields[0] != ("RasMessage", tag)):
        fails.append("%s: not RasMessage %s: %s" % (what, tag, fields[:2]))
    if kind == "cs" and ("q931.disc", "0x08") not in fields:
        fails.append("%s: not Q.931" % what)
    gap = missing_in_order(fields, expected)
    if gap is not None:
        fails.append("%s: expected %s=%s (in order) not found; Wireshark "
                     "shows: %s" % (what, gap[0], gap[1],
                                    " ".join("%s=%s" % f for f in fields)))
    return fails


def main():
    if len(sys.argv) != 2:
        print("usage: test_h323_svc_tshark.py PATH/TO/h323_svc_pcap_gen")
        return 2
    if shutil.which("tshark") is None:
        print("SKIP: tshark is not installed (apt-get install tshark)")
        return SKIP
    got = dissect(sys.argv[1])
    if isinstance(got, str):
        print(got)
        return 1
    frames, packets = got
    if len(packets) != len(frames):
        print("tshark saw %d frames, %d were written" %
              (len(packets), len(frames)))
        return 1
    failures = 0
    for (num, label, kind), packet in zip(frames, packets):
        fails = check_frame(num, label, kind, packet)
        for f in fails:
            print("FAIL:", f)
        if not fails:
            print("ok: frame %s %s" % (num, label))
        failures += len(fails)
    print("%d frames, %d failures" % (len(frames), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
