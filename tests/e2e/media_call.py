#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Both ends of relayed calls, for the media e2e tests. Runs inside a test
namespace; every wait is bounded.

Each call: a NATed endpoint on a port pair (RTP on PORT, RTCP on PORT+1 of
the appliance) and a traversal client on a demultiplexing pair (D, D+1)
with H.460.19 framing: a 4-byte multiplexID, then the unmodified RTP/RTCP.

  media_call.py APP_IP OUT CALL...
      CALL = EP_IP:EP_PORT,CLIENT_IP:CLIENT_PORT,PORT,D,ID_RX,ID_TX,KA
      (KA: the keep-alive payload type, or "none": the client's first media
      then latches its leg). ID_RX is what the client sends with, ID_TX what
      it receives with.

Per call, in order:
  1. the client's keep-alives (RTP and an empty SR), or one RTP packet;
     nothing may reach the endpoint yet
  2. endpoint -> client: N RTP and N/10 RTCP (RR with a report block)
  3. client -> endpoint: N RTP and N/10 RTCP (SR with a report block)
  4. a stranger sends with the client's ID and to the endpoint's port:
     nothing may arrive anywhere
Every datagram is compared byte for byte with what was sent (only the ID
differs), and so is its source (the appliance's port). OUT gets JSON with
one object per call and the totals.
"""
import json
import socket
import struct
import sys
import time

N = 200
STRANGER = "192.0.2.9"
WAIT = 1.5


def rtp(seq, ssrc):
    hdr = struct.pack("!BBHII", 0x80, 0, seq & 0xFFFF, seq * 160, ssrc)
    return hdr + (f"call-{ssrc:08x}-{seq:05d}".encode().ljust(160, b"."))


def rtcp(kind, seq, ssrc):
    block = struct.pack("!IIIIII", 0x11223344, (32 << 24) | seq, 1000 + seq,
                        7 + seq, 0, 0)
    if kind == "sr":
        body = struct.pack("!IIIII", seq, 2, 3, 4, 5)
        pkt = struct.pack("!BBHI", 0x81, 200, (8 + 20 + 24) // 4 - 1,
                          ssrc) + body + block
    else:
        pkt = struct.pack("!BBHI", 0x81, 201, (8 + 24) // 4 - 1,
                          ssrc) + block
    sdes = struct.pack("!BBHI", 0x81, 202, 2, ssrc) + b"\x01\x01x\x00"
    return pkt + sdes


def sock(ip, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((ip, port))
    s.settimeout(0.05)
    return s


def drain(s, until):
    """Everything s receives before `until` (monotonic)."""
    got = []
    while time.monotonic() < until:
        try:
            got.append(s.recvfrom(2048))
        except socket.timeout:
            pass
    return got


def collect(s, want, deadline):
    """Up to `want` datagrams, or what came by `deadline`."""
    got = []
    while len(got) < want and time.monotonic() < deadline:
        try:
            got.append(s.recvfrom(2048))
        except socket.timeout:
            pass
    return got


def exchange(tx, rx, dst, frames, prefix, src, res, tag):
    """Send frames (each prefixed with `prefix` on the wire as the sender
    frames it) from tx to dst; rx must receive exactly `expect` bytes each,
    from `src`."""
    sent, expect = [], []
    for wire, body in frames:
        tx.sendto(wire, dst)
        sent.append(wire)
        expect.append(prefix + body)
        time.sleep(0.001)
    got = collect(rx, len(expect), time.monotonic() + 5)
    ok = sum(1 for (d, a), e in zip(got, expect) if d == e and a == src)
    res[tag] = {"sent": len(sent), "received": len(got), "exact": ok}
    if ok != len(expect):
        bad = [(d.hex()[:80], a) for (d, a), e in zip(got, expect)
               if d != e or a != src][:2]
        res[tag]["first_bad"] = bad


def call(app, spec):
    ep, cl, port, demux, id_rx, id_tx, ka = spec.split(",")
    ep_ip, ep_port = ep.split(":")
    cl_ip, cl_port = cl.split(":")
    port, demux = int(port), int(demux)
    id_rx, id_tx = int(id_rx, 0), int(id_tx, 0)
    ep_rtp, ep_rtcp = sock(ep_ip, int(ep_port)), sock(ep_ip, int(ep_port) + 1)
    cl_rtp, cl_rtcp = sock(cl_ip, int(cl_port)), sock(cl_ip, int(cl_port) + 1)
    rx_id, tx_id = struct.pack("!I", id_rx), struct.pack("!I", id_tx)
    res = {"call": spec}

    # 1. latch the client's leg
    if ka != "none":
        cl_rtp.sendto(rx_id + struct.pack("!BBHII", 0x80, int(ka), 1, 0, 7),
                      (app, demux))
        cl_rtcp.sendto(rx_id + struct.pack("!BBHI", 0x80, 200, 6, 7) +
                       bytes(20), (app, demux + 1))
    else:
        cl_rtp.sendto(rx_id + rtp(0, 0xC1), (app, demux))
        cl_rtcp.sendto(rx_id + rtcp("sr", 0, 0xC1), (app, demux + 1))
    early = drain(ep_rtp, time.monotonic() + 0.3) + drain(ep_rtcp, 0)
    res["reached_endpoint_before_it_spoke"] = len(early)

    # 2. endpoint -> client (port -> mux: the ID is prepended)
    exchange(ep_rtp, cl_rtp, (app, port),
             [(rtp(i, 0xE1), rtp(i, 0xE1)) for i in range(1, N + 1)],
             tx_id, (app, demux), res, "ep_to_client_rtp")
    exchange(ep_rtcp, cl_rtcp, (app, port + 1),
             [(rtcp("rr", i, 0xE1), rtcp("rr", i, 0xE1))
              for i in range(1, N // 10 + 1)],
             tx_id, (app, demux + 1), res, "ep_to_client_rtcp")
    # 3. client -> endpoint (mux -> port: the ID is stripped)
    exchange(cl_rtp, ep_rtp, (app, demux),
             [(rx_id + rtp(i, 0xC1), rtp(i, 0xC1)) for i in range(1, N + 1)],
             b"", (app, port), res, "client_to_ep_rtp")
    exchange(cl_rtcp, ep_rtcp, (app, demux + 1),
             [(rx_id + rtcp("sr", i, 0xC1), rtcp("sr", i, 0xC1))
              for i in range(1, N // 10 + 1)],
             b"", (app, port + 1), res, "client_to_ep_rtcp")
    # 4. RTP bleed: a third address with the client's ID, and at the port
    st = sock(STRANGER, 5000)
    for i in range(20):
        st.sendto(rx_id + rtp(i, 0x66), (app, demux))
        st.sendto(rtp(i, 0x66), (app, port))
    leaked = drain(ep_rtp, time.monotonic() + 0.5) + drain(cl_rtp, 0)
    res["hijack_sent"] = 40
    res["hijack_leaked"] = len(leaked)
    for s in (ep_rtp, ep_rtcp, cl_rtp, cl_rtcp, st):
        s.close()
    return res


def main():
    app, out = sys.argv[1], sys.argv[2]
    calls = [call(app, spec) for spec in sys.argv[3:]]
    tags = ("ep_to_client_rtp", "ep_to_client_rtcp", "client_to_ep_rtp",
            "client_to_ep_rtcp")
    total = {"calls": len(calls),
             "exact": all(c[t]["exact"] == c[t]["sent"] for c in calls
                          for t in tags),
             "early": sum(c["reached_endpoint_before_it_spoke"]
                          for c in calls),
             "leaked": sum(c["hijack_leaked"] for c in calls)}
    with open(out, "w") as f:
        json.dump({"total": total, "calls": calls}, f, indent=1)


if __name__ == "__main__":
    main()
