#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""test_stun_tshark.py — Wireshark as the judge of the STUN/TURN writer.

Runs stun_pcap_gen (a TURN exchange over UDP 3478 and the RFC 5769
vectors, every message built by dataplane/stun's writer), has tshark
dissect the capture, and checks for every frame that:
  - it is STUN (or TURN ChannelData) with the intended message type;
  - its attributes are the intended ones, in order, with the values
    Wireshark decodes (XOR'd addresses and ports, error codes and
    phrases, lifetime, channel number, realm, nonce);
  - FINGERPRINT, where present, is "[correct]" with CRC-32 status Good;
  - Wireshark saw no malformed packet, no unknown attribute, no trailing
    data in an attribute, no bad message length;
and that the last frame, whose FINGERPRINT was flipped on purpose, is
called bad (so the FINGERPRINT check is known to bite).

  test_stun_tshark.py PATH/TO/stun_pcap_gen

Exits 77 (skip) when tshark is not installed. Standard library only.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77

AUTH = ["USERNAME: alice", "REALM: relay.example", "NONCE: obMatJos2gAAA"]
FP = ["FINGERPRINT"]

# Per frame: message type line (or None for ChannelData), then the
# attribute header lines as tshark -V prints them (prefixes), in order.
EXPECT = {
    1: ("0x0003 (Allocate Request)",
        ["REQUESTED-TRANSPORT: UDP", "LIFETIME 600", "DONT-FRAGMENT",
         "EVEN-PORT", "SOFTWARE"] + FP),
    2: ("0x0113 (Allocate Error Response)",
        ["ERROR-CODE 401 (Unauthenticated): Unauthenticated",
         "REALM: relay.example", "NONCE: obMatJos2gAAA",
         "PASSWORD-ALGORITHMS"] + FP),
    3: ("0x0003 (Allocate Request)",
        AUTH + ["REQUESTED-TRANSPORT: UDP", "MESSAGE-INTEGRITY"] + FP),
    4: ("0x0103 (Allocate Success Response)",
        ["XOR-RELAYED-ADDRESS: 192.0.2.10:24000",
         "XOR-MAPPED-ADDRESS: 198.51.100.20:50000", "LIFETIME 600",
         "MESSAGE-INTEGRITY"] + FP),
    5: ("0x0008 (CreatePermission Request)",
        ["XOR-PEER-ADDRESS: 203.0.113.7:5004",
         "XOR-PEER-ADDRESS: 2001:db8::7:5006"] + AUTH +
        ["MESSAGE-INTEGRITY"] + FP),
    6: ("0x0009 (Channel-Bind Request)",
        ["CHANNEL-NUMBER: 0x4000", "XOR-PEER-ADDRESS: 203.0.113.7:5004"] +
        AUTH + ["MESSAGE-INTEGRITY"] + FP),
    7: ("0x0016 (Send Indication)",
        ["XOR-PEER-ADDRESS: 203.0.113.7:5004", "DATA"] + FP),
    8: ("0x0017 (Data Indication)",
        ["XOR-PEER-ADDRESS: 203.0.113.7:5004", "DATA"]),
    9: (None, []),
    10: (None, []),
    11: ("0x0004 (Refresh Request)",
         ["LIFETIME 0", "USERHASH", "REALM: relay.example",
          "NONCE: obMatJos2gAAA", "PASSWORD-ALGORITHM",
          "PASSWORD-ALGORITHMS", "MESSAGE-INTEGRITY-SHA256"] + FP),
    12: ("0x0113 (Allocate Error Response)",
         ["ERROR-CODE 420 (Unknown Attribute): Unknown Attribute",
          "UNKNOWN-ATTRIBUTES"]),
    13: ("0x0114 (Refresh Error Response)",
         ["ERROR-CODE 438 (Stale Nonce): Stale Nonce",
          "REALM: relay.example", "NONCE: obMatJos2gAAA",
          "MESSAGE-INTEGRITY"]),
    14: ("0x0113 (Allocate Error Response)",
         ["ERROR-CODE 300 (Try Alternate): Try Alternate",
          "ALTERNATE-SERVER: 192.0.2.11:3478"] + FP),
    15: ("0x0001 (Binding Request)",
         ["SOFTWARE", "PRIORITY", "ICE-CONTROLLED", "USERNAME: evtj:h6vY",
          "MESSAGE-INTEGRITY"] + FP),
    16: ("0x0101 (Binding Success Response)",
         ["SOFTWARE", "XOR-MAPPED-ADDRESS: 192.0.2.1:32853",
          "MESSAGE-INTEGRITY"] + FP),
    17: ("0x0101 (Binding Success Response)",
         ["SOFTWARE",
          "XOR-MAPPED-ADDRESS: 2001:db8:1234:5678:11:2233:4455:6677:32853",
          "MESSAGE-INTEGRITY"] + FP),
    18: ("0x0001 (Binding Request)",
         ["USERNAME: \u30de\u30c8\u30ea\u30c3\u30af\u30b9",
          "NONCE: f//499k954d6OL34oL9FSTvy64sA", "REALM: example.org",
          "MESSAGE-INTEGRITY"]),
    19: ("0x0003 (Allocate Request)",
         ["REQUESTED-TRANSPORT: UDP", "LIFETIME 600", "DONT-FRAGMENT",
          "EVEN-PORT", "SOFTWARE"] + FP),
}
CORRUPTED = 19

# Fields per frame (tshark -T fields), checked exactly.
FIELDS = ["frame.number", "stun.channel", "stun.att.error",
          "stun.att.error.class", "stun.att.lifetime", "stun.att.transp",
          "stun.att.channelnum", "stun.att.crc32.status", "stun.att.unknown",
          "data.data"]
FIELD_EXPECT = {
    1: {"stun.att.lifetime": "600", "stun.att.transp": "0x11",
        "stun.att.crc32.status": "1"},
    2: {"stun.att.error.class": "4", "stun.att.error": "1"},
    6: {"stun.att.channelnum": "0x4000"},
    7: {"data.data": "68656c6c6f"},
    9: {"stun.channel": "0x4000", "data.data": "68656c6c6f"},
    10: {"stun.channel": "0x4000", "data.data": "776f726c64"},
    11: {"stun.att.lifetime": "0"},
    12: {"stun.att.error.class": "4", "stun.att.error": "20",
         "stun.att.unknown": "0x0003,0x7ff0"},
    13: {"stun.att.error.class": "4", "stun.att.error": "38"},
    14: {"stun.att.error.class": "3", "stun.att.error": "0"},
    19: {"stun.att.crc32.status": "0"},     # PROTO_CHECKSUM_E_BAD
}

failures = []


def fail(frame, msg):
    failures.append("frame %s: %s" % (frame, msg))


def tshark(args):
    p = subprocess.run(["tshark", "-n"] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        print(p.stderr, file=sys.stderr)
        sys.exit(1)
    return p.stdout


def split_frames(text):
    frames = {}
    cur = None
    for line in text.splitlines():
        m = re.match(r"^Frame (\d+): ", line)
        if m:
            cur = int(m.group(1))
            frames[cur] = []
        elif cur is not None:
            frames[cur].append(line)
    return frames


def check_frame(n, lines):
    mtype, attrs = EXPECT[n]
    body = "\n".join(lines)
    stun = [i for i, l in enumerate(lines)
            if l.startswith("Session Traversal Utilities for NAT")]
    if not stun:
        fail(n, "not dissected as STUN")
        return
    if "Malformed" in body:
        fail(n, "Wireshark calls it malformed")
    if mtype is None:
        if "TURN ChannelData Message" not in lines[stun[0]]:
            fail(n, "not ChannelData: " + lines[stun[0]])
        if "Channel Number: 0x4000" not in body:
            fail(n, "channel number")
        return
    if ("Message Type: " + mtype) not in body:
        fail(n, "message type is not " + mtype)
    # attribute header lines: 8 spaces, then the attribute's name
    got = [l.strip() for l in lines[stun[0]:]
           if re.match(r"^        [A-Z][A-Z0-9-]*( |$|:)", l)]
    if len(got) != len(attrs) or any(
            not g.startswith(a) for g, a in zip(got, attrs)):
        fail(n, "attributes %s, want %s" % (got, attrs))
    if "FINGERPRINT" in attrs and n != CORRUPTED:
        if not re.search(r"CRC-32: 0x[0-9a-f]{8} \[correct\]", body) or \
                "[CRC-32 Status: Good]" not in body:
            fail(n, "FINGERPRINT not [correct]")
    if n == CORRUPTED:
        if "incorrect, should be" not in body or "[correct]" in body:
            fail(n, "a flipped FINGERPRINT was not called bad")
    if "Padding:" in body:
        for m in re.finditer(r"Padding: (\d+)", body):
            if int(m.group(1)) > 3:
                fail(n, "padding of %s" % m.group(1))


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    if shutil.which("tshark") is None:
        print("SKIP: tshark is not installed")
        return SKIP
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "stun.pcap")
        subprocess.run([sys.argv[1], pcap], check=True,
                       stdout=subprocess.DEVNULL)
        text = tshark(["-r", pcap, "-V"])
        frames = split_frames(text)
        if sorted(frames) != sorted(EXPECT):
            fail("*", "frames %s, want %s" % (sorted(frames),
                                                sorted(EXPECT)))
        for n in sorted(EXPECT):
            if n in frames:
                check_frame(n, frames[n])

        # No expert complaints but the one we asked for.
        fields = tshark(["-r", pcap, "-T", "fields", "-E", "separator=|",
                         "-E", "occurrence=a", "-E", "aggregator=,",
                         "-e", "frame.number", "-e", "_ws.malformed",
                         "-e", "stun.unknown_attribute",
                         "-e", "stun.long_attribute",
                         "-e", "stun.wrong_msglen",
                         "-e", "stun.att.crc32.bad"])
        for line in fields.splitlines():
            cols = line.split("|")
            n = int(cols[0])
            if any(cols[1:5]):
                fail(n, "expert info: %s" % line)
            if bool(cols[5]) != (n == CORRUPTED):
                fail(n, "bad-fingerprint flag %r" % cols[5])

        out = tshark(["-r", pcap, "-T", "fields", "-E", "separator=|",
                      "-E", "occurrence=a", "-E", "aggregator=,"] +
                     sum([["-e", f] for f in FIELDS], []))
        for line in out.splitlines():
            cols = dict(zip(FIELDS, line.split("|")))
            n = int(cols["frame.number"])
            for f, want in FIELD_EXPECT.get(n, {}).items():
                if cols.get(f) != want:
                    fail(n, "%s = %r, want %r" % (f, cols.get(f), want))
    if failures:
        for f in failures:
            print("FAIL:", f, file=sys.stderr)
        return 1
    print("ok: %d frames judged by tshark" % len(EXPECT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
