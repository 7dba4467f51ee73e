#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""check_pcaps.py — the pcap generators checked by tshark (suite 'bench').

1. make_pcaps.py writes every traffic mix; tshark must read each frame as
   what it is meant to be, field by field, against the layout:
     p2p, p2m    RTP (heuristic) v2, PT 0, seq 1000, the flow's SSRC, from
                 A's address and port to A's relay port
     m2p, m2m    the H.460.19 multiplexID (h46019_mux.lua, our dissector)
                 then RTP as above, to the demultiplexing port
     turn-cd     STUN/TURN "ChannelData" with the flow's channel number
     turn-send   a STUN "Send Indication" whose XOR-PEER-ADDRESS decodes to
                 the flow's B and whose DATA holds the RTP packet
2. sluice-bench --write-pcap (C) and make_pcaps.py (scapy) must write the
   same frames byte for byte, for every path and for a mix: the generator
   and the pktgen pcaps agree with each other and with sb_plan.c's layout.

Usage: check_pcaps.py SLUICE_BENCH OUTDIR. Exit 0 pass, 1 fail, 77 skip.
"""
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import make_pcaps as mp  # noqa: E402
    from scapy.all import rdpcap  # noqa: E402
except ImportError as e:
    print("SKIP: %s (python3-scapy)" % e, file=sys.stderr)
    sys.exit(77)

FLOWS = 16
fails = []


def tshark(pcap, fields, extra=()):
    cmd = ["tshark", "-r", pcap, "-X", "lua_script:" + os.path.join(HERE, "h46019_mux.lua"),
           "--enable-heuristic", "rtp_udp", "-T", "fields", "-E", "separator=|"]
    cmd += list(extra)
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        fails.append("%s: tshark failed: %s" % (pcap, out.stderr.strip()[-300:]))
        return []
    return [line.split("|") for line in out.stdout.splitlines()]


def expect(name, i, got, want):
    if got != want:
        fails.append("%s flow %d: %s" % (name, i, "; ".join(
            "%s is %r, want %r" % (k, got.get(k), v) for k, v in want.items()
            if got.get(k) != v)))


class Args:
    pass


def layout(paths, n):
    a = Args()
    a.media_min, a.demux_port, a.demux_pairs, a.turn_port = 36000, 36000, 1, 3478
    a.hosts, a.a_ip, a.b_ip, a.mux_in_base = 64, "", "", mp.MUX_RX_BASE
    return mp.Plan(a, paths, n).flows


def check_media(name, out):
    rows = tshark(os.path.join(out, name + ".pcap"),
                  ["ip.src", "ip.dst", "udp.srcport", "udp.dstport", "h46019mux.id",
                   "rtp.version", "rtp.p_type", "rtp.seq", "rtp.ssrc", "frame.len"])
    flows = layout([name], FLOWS)
    if len(rows) != FLOWS:
        fails.append("%s: %d frames, want %d" % (name, len(rows), FLOWS))
    for f, r in zip(flows, rows):
        keys = ["ip.src", "ip.dst", "udp.srcport", "udp.dstport", "mux", "rtp.version",
                "rtp.p_type", "rtp.seq", "rtp.ssrc", "frame.len"]
        got = dict(zip(keys, r))
        want = {"ip.src": f["a_ip"], "ip.dst": "198.18.0.1", "udp.srcport": str(f["a_port"]),
                "udp.dstport": str(f["in_port"]),
                "mux": ("0x%08x" % f["mux_in"]) if f["mux_in"] else "",
                "rtp.version": "2", "rtp.p_type": "0", "rtp.seq": "1000",
                "rtp.ssrc": "0x%08x" % (0x5B000000 | f["i"]), "frame.len": "210"}
        expect(name, f["i"], got, want)


def check_turn(name, out):
    if name == "turn-cd":
        rows = tshark(os.path.join(out, name + ".pcap"),
                      ["udp.dstport", "stun.channel", "_ws.col.Info"])
        for f, r in zip(layout([name], FLOWS), rows):
            got = {"port": r[0], "channel": r[1], "info": r[2].strip()}
            expect(name, f["i"], got, {"port": "3478", "channel": "0x%04x" % f["channel"],
                                       "info": "ChannelData TURN Message"})
    else:
        rows = tshark(os.path.join(out, name + ".pcap"),
                      ["udp.dstport", "stun.type", "stun.att.ipv4", "stun.att.port",
                       "stun.cookie", "_ws.col.Info"])
        for f, r in zip(layout([name], FLOWS), rows):
            got = {"port": r[0], "type": r[1], "peer": r[2], "peer_port": r[3],
                   "cookie": r[4], "info": r[5].split(" XOR")[0].strip()}
            expect(name, f["i"], got, {"port": "3478", "type": "0x0016", "peer": f["b_ip"],
                                       "peer_port": str(f["b_port"]), "cookie": "2112a442",
                                       "info": "Send Indication"})
        # the DATA attribute holds the RTP packet, stamp and all
        for k, fr in enumerate(rdpcap(os.path.join(out, name + ".pcap"))):
            raw = bytes(fr)
            if raw[42 + 36] != 0x80 or raw[-24:-20] != mp.STAMP_MAGIC:
                fails.append("%s flow %d: DATA is not the RTP packet with its stamp"
                             % (name, k))
    if len(rows) != FLOWS:
        fails.append("%s: %d frames, want %d" % (name, len(rows), FLOWS))


def same_bytes(bench, out, paths, tag):
    cpath = os.path.join(out, "c-%s.pcap" % tag)
    r = subprocess.run([bench, "--write-pcap", cpath, "--paths", ",".join(paths),
                        "--flows", str(8 * len(paths))], capture_output=True, text=True)
    if r.returncode != 0:
        fails.append("sluice-bench --write-pcap %s: %s" % (tag, r.stderr.strip()))
        return
    r = subprocess.run([sys.executable, os.path.join(HERE, "make_pcaps.py"), "--out", out,
                        "--flows", str(8 * len(paths)), "--single", ",".join(paths),
                        "--single-name", "py-%s.pcap" % tag], capture_output=True, text=True)
    if r.returncode != 0:
        fails.append("make_pcaps.py --single %s: %s" % (tag, r.stderr.strip()))
        return
    c = rdpcap(cpath)
    p = rdpcap(os.path.join(out, "py-%s.pcap" % tag))
    if len(c) != len(p):
        fails.append("%s: C wrote %d frames, Python %d" % (tag, len(c), len(p)))
    for k, (x, y) in enumerate(zip(c, p)):
        if bytes(x) != bytes(y):
            bx, by = bytes(x), bytes(y)
            first = next((i for i in range(min(len(bx), len(by))) if bx[i] != by[i]),
                         min(len(bx), len(by)))
            fails.append("%s frame %d: C and Python differ from byte %d" % (tag, k, first))


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    bench, out = sys.argv[1], sys.argv[2]
    if shutil.which("tshark") is None:
        print("SKIP: tshark not installed", file=sys.stderr)
        return 77
    os.makedirs(out, exist_ok=True)
    r = subprocess.run([sys.executable, os.path.join(HERE, "make_pcaps.py"), "--out", out,
                        "--flows", str(FLOWS)], capture_output=True, text=True)
    if r.returncode != 0:
        print("FAIL: make_pcaps.py: %s" % r.stderr, file=sys.stderr)
        return 1
    for name in ("p2p", "p2m", "m2p", "m2m"):
        check_media(name, out)
    for name in ("turn-cd", "turn-send"):
        check_turn(name, out)
    for paths in (["p2p"], ["p2m"], ["m2p"], ["m2m"], ["turn-cd"], ["turn-send"],
                  ["p2p", "p2m", "m2p", "m2m", "turn-cd", "turn-send"]):
        same_bytes(bench, out, paths, "-".join(paths) if len(paths) == 1 else "all")
    for f in fails:
        print("FAIL: " + f, file=sys.stderr)
    if not fails:
        print("check_pcaps: every frame decodes as intended; C and Python agree")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
