#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""make_pcaps.py — the pcap files DPDK Pktgen replays against a Sluice box
(pktgen -s P:FILE, then pktgen.pcap(P, "on") in benchmarks/pktgen/*.lua).

One file per traffic mix, one frame per flow, in the very layout that
`sluice-bench --setup-only` programs on the box (benchmarks/sluice-bench/
sb_plan.h; the test check_pcaps.sh holds the two byte for byte):

  p2p.pcap        RTP to A's media port         (plain → plain legs)
  p2m.pcap        RTP to A's media port         (plain → mux: B multiplexed)
  m2p.pcap        multiplexID + RTP to 36000    (mux → plain)
  m2m.pcap        multiplexID + RTP to 36000    (mux → mux)
  turn-cd.pcap    TURN ChannelData to 3478
  turn-send.pcap  TURN Send indications to 3478
  mixed.pcap      the four media paths, flow i taking path i mod 4

Frames are --size bytes *including* the FCS (pktgen's and RFC 2544's
convention; a pcap holds the frame without it). The end of every RTP
payload is sluice-bench's stamp, so sluice-bench can read a capture too.

  make_pcaps.py --out DIR [--flows 64] [--size 214] [--relay-ip 198.18.0.1]
                [--relay-mac MAC] [--src-mac MAC] [--a-ip IP] [--b-ip IP]
                [--hosts 64] [--mux-in-base 0x51000001] [--paths p2p,...]

--relay-mac must be the MAC of the Sluice port pktgen sends to (pktgen
sends pcap frames as they are); --src-mac the pktgen port's.
"""
import argparse
import ipaddress
import os
import struct
import sys

from scapy.all import Ether, IP, UDP, Raw, wrpcap  # noqa: E402
from scapy.utils import PcapWriter  # noqa: E402

A_NET = 0xC6120100
B_NET = 0xC6120200
A_PORT = 10000
B_PORT = 20000
MUX_RX_BASE = 0x51000001
MUX_TX_BASE = 0x7E000001
CHANNEL_MIN = 0x4000
STUN_COOKIE = 0x2112A442
STAMP_MAGIC = b"SLB!"
ENCAP = {"p2p": "plain", "p2m": "plain", "m2p": "mux", "m2m": "mux",
         "turn-cd": "cdata", "turn-send": "send"}
PREFIX = {"plain": 0, "mux": 4, "cdata": 4, "send": 36}
HDRS = 14 + 20 + 8


class Plan:
    """sb_plan.c's layout."""

    def __init__(self, a, paths, n):
        self.flows = []
        media_min, dlo = a.media_min, a.demux_port
        dhi = dlo + 2 * a.demux_pairs - 1

        def port_next(c):
            p = media_min + 2 * c[0]
            c[0] += 1
            while p + 1 >= dlo and p <= dhi:
                p = media_min + 2 * c[0]
                c[0] += 1
            return p

        a_ports = sum(1 for i in range(n) if paths[i % len(paths)] in ("p2p", "p2m"))
        ac, bc = [0], [0]
        for _ in range(a_ports):
            port_next(bc)
        mux = a.mux_in_base
        chan = CHANNEL_MIN
        for i in range(n):
            path = paths[i % len(paths)]
            host, slot = i % a.hosts, i // a.hosts
            f = {"i": i, "path": path,
                 "a_ip": a.a_ip or str(ipaddress.IPv4Address(A_NET + 1 + host)),
                 "b_ip": a.b_ip or str(ipaddress.IPv4Address(B_NET + 1 + host)),
                 # one fixed address (a pktgen port): every flow its own port
                 "a_port": A_PORT + 2 * ((i if a.a_ip else slot) % 16384),
                 "b_port": B_PORT + 2 * ((i if a.b_ip else slot) % 16384),
                 "mux_in": 0, "mux_out": MUX_TX_BASE + i, "channel": 0}
            if path == "p2p":
                f["in_port"], f["out_port"] = port_next(ac), port_next(bc)
            elif path == "p2m":
                f["in_port"], f["out_port"] = port_next(ac), a.demux_port
            elif path == "m2p":
                f["in_port"], f["mux_in"] = a.demux_port, mux
                mux += 1
                f["out_port"] = port_next(bc)
            elif path == "m2m":
                f["in_port"], f["mux_in"], f["out_port"] = a.demux_port, mux, a.demux_port
                mux += 1
            else:
                f["in_port"], f["channel"], f["out_port"] = a.turn_port, chan, 0
                chan += 1
            self.flows.append(f)


def udp_payload(f, size):
    enc = ENCAP[f["path"]]
    rtp_len = size - 4 - HDRS - PREFIX[enc]
    if rtp_len < 12 + 24:
        raise ValueError("%s: %d-byte frames are too small" % (f["path"], size))
    if enc == "send" and rtp_len % 4:
        raise ValueError("turn-send: frame sizes of 4k+2 bytes only (DATA unpadded)")
    i = f["i"]
    rtp = bytearray(struct.pack("!BBHII", 0x80, 0, 1000, 160000, 0x5B000000 | i))
    rtp += bytes((0xD5 ^ j) & 0xFF for j in range(12, rtp_len - 24))
    rtp += STAMP_MAGIC + struct.pack("<IIIQ", 1, i, 0, 0)
    if enc == "plain":
        return bytes(rtp)
    if enc == "mux":
        return struct.pack("!I", f["mux_in"]) + bytes(rtp)
    if enc == "cdata":
        return struct.pack("!HH", f["channel"], rtp_len) + bytes(rtp)
    txid = b"sluicebench" + bytes([i & 0xFF])
    peer = int(ipaddress.IPv4Address(f["b_ip"]))
    attrs = struct.pack("!HHBBHI", 0x0012, 8, 0, 1, f["b_port"] ^ (STUN_COOKIE >> 16),
                        peer ^ STUN_COOKIE)
    attrs += struct.pack("!HH", 0x0013, rtp_len) + bytes(rtp)
    return struct.pack("!HHI", 0x0016, len(attrs), STUN_COOKIE) + txid + attrs


def frame(f, a):
    pkt = (Ether(dst=a.relay_mac, src=a.src_mac) /
           IP(src=f["a_ip"], dst=a.relay_ip, tos=0xB8, id=0, flags="DF", ttl=64) /
           UDP(sport=f["a_port"], dport=f["in_port"]) /
           Raw(udp_payload(f, a.size)))
    return Ether(bytes(pkt))   # checksums computed


def write(path, frames):
    w = PcapWriter(path, linktype=1, sync=True)
    for k, fr in enumerate(frames):
        fr.time = 1700000000 + k * 0.02
        w.write(fr)
    w.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--flows", type=int, default=64)
    ap.add_argument("--size", type=int, default=214)
    ap.add_argument("--relay-ip", default="198.18.0.1")
    ap.add_argument("--relay-mac", default="02:5c:00:00:00:01")
    ap.add_argument("--src-mac", default="02:5b:00:00:00:01")
    ap.add_argument("--a-ip", default="")
    ap.add_argument("--b-ip", default="")
    ap.add_argument("--hosts", type=int, default=64)
    ap.add_argument("--media-min", type=int, default=36000)
    ap.add_argument("--demux-port", type=int, default=36000)
    ap.add_argument("--demux-pairs", type=int, default=1)
    ap.add_argument("--turn-port", type=int, default=3478)
    ap.add_argument("--mux-in-base", type=lambda s: int(s, 0), default=MUX_RX_BASE)
    ap.add_argument("--paths", default="p2p,p2m,m2p,m2m,turn-cd,turn-send,mixed",
                    help="files to write (mixed: the four media paths)")
    ap.add_argument("--single", default="",
                    help="one file of these paths, flow i taking the (i mod n)-th "
                         "(as sluice-bench --paths does); its name: --single-name")
    ap.add_argument("--single-name", default="single.pcap")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.single:
        paths = a.single.split(",")
        frames = [frame(f, a) for f in Plan(a, paths, a.flows).flows]
        write(os.path.join(a.out, a.single_name), frames)
        print("make_pcaps: %s: %d frames" % (a.single_name, len(frames)))
        return 0
    for name in a.paths.split(","):
        paths = ["p2p", "p2m", "m2p", "m2m"] if name == "mixed" else [name]
        if any(p not in ENCAP for p in paths):
            print("make_pcaps: unknown path %s" % name, file=sys.stderr)
            return 2
        frames = [frame(f, a) for f in Plan(a, paths, a.flows).flows]
        write(os.path.join(a.out, name + ".pcap"), frames)
        print("make_pcaps: %s.pcap: %d frames of %d bytes (+ FCS)"
              % (name, len(frames), a.size - 4))
    return 0


if __name__ == "__main__":
    sys.exit(main())
