#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""rtp_pair.py — the media of one call, both ends at once, for
tests/e2e/test_sip_calls.sh.

  rtp_pair.py [--b-netns NS] A_IP:A_PORT A_DEST_IP:A_DEST_PORT B_IP:B_PORT B_DEST_IP:B_DEST_PORT COUNT

End A (the caller's media port) sends COUNT RTP packets (PT 0, 160 bytes
of payload, 20 ms apart) to A_DEST (where the caller's SDP answer told it
to send), end B (the callee's) as many to B_DEST, each from the port it
receives on (symmetric RTP, so the relay can latch). Prints one JSON line:
{"a_sent", "b_sent", "a_received", "b_received", "a_from", "b_from",
"a_seq_ok", "b_seq_ok"} — what each end received, from where, and whether
the far end's sequence numbers arrived complete and in order. Bounded:
COUNT x 20 ms plus 2 s for the last packets.

With --b-netns, end B's socket is made in network namespace NS (as
`ip netns add` names it) and end A's in the one the script runs in: the
two ends of a call may sit on hosts of different networks
(tests/e2e/test_sip_chain.sh).
"""
import ctypes
import json
import os
import select
import socket
import struct
import sys
import time


def endpoint(spec):
    host, port = spec.rsplit(":", 1)
    return host, int(port)


def rtp(seq, ssrc):
    return struct.pack("!BBHII", 0x80, 0, seq & 0xffff, seq * 160, ssrc) + b"\xd5" * 160


CLONE_NEWNET = 0x40000000


def enter_netns(name):
    """Moves this (single-threaded) process into network namespace NAME;
    sockets made before keep theirs."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open("/var/run/netns/" + name, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, "setns %s: %s" % (name, os.strerror(err)))
    finally:
        os.close(fd)


def main():
    args = sys.argv[1:]
    b_netns = None
    if args[:1] == ["--b-netns"]:
        b_netns, args = args[1], args[2:]
    a_addr, a_dst, b_addr, b_dst = (endpoint(x) for x in args[0:4])
    count = int(args[4])
    socks = []
    for i, addr in enumerate((a_addr, b_addr)):
        if i == 1 and b_netns:
            enter_netns(b_netns)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(addr)
        s.setblocking(False)
        socks.append(s)
    dst = (a_dst, b_dst)
    ssrc = (0x5a5a0001, 0x5a5a0002)
    got = [[], []]
    src = [set(), set()]
    sent = [0, 0]

    def drain(timeout):
        r, _, _ = select.select(socks, [], [], timeout)
        for i, s in enumerate(socks):
            if s not in r:
                continue
            while True:
                try:
                    data, frm = s.recvfrom(2048)
                except BlockingIOError:
                    break
                if len(data) >= 12:
                    got[i].append(struct.unpack("!H", data[2:4])[0])
                    src[i].add("%s:%d" % frm)

    start = time.monotonic()
    for seq in range(count):
        for i in (0, 1):
            socks[i].sendto(rtp(seq, ssrc[i]), dst[i])
            sent[i] += 1
        while True:
            left = start + (seq + 1) * 0.02 - time.monotonic()
            if left <= 0:
                break
            drain(left)
    end = time.monotonic() + 2.0
    while time.monotonic() < end and (len(got[0]) < count or len(got[1]) < count):
        drain(end - time.monotonic())
    print(json.dumps({
        "a_sent": sent[0], "b_sent": sent[1],
        "a_received": len(got[0]), "b_received": len(got[1]),
        "a_from": sorted(src[0]), "b_from": sorted(src[1]),
        "a_seq_ok": got[0] == list(range(count)),
        "b_seq_ok": got[1] == list(range(count)),
    }))


if __name__ == "__main__":
    main()
