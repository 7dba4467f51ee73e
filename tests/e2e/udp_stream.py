#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""A media-like UDP stream and its receiver, for relay tests. Runs inside a
test namespace; every loop is bounded in time.

  udp_stream.py send SRC_IP SRC_PORT DST_IP DST_PORT INTERVAL_MS SECONDS OUT
      sends sequence-numbered 172-byte datagrams ("SLUICE <seq>" padded, the
      size of a G.711 RTP packet) every INTERVAL_MS for SECONDS; writes
      {"sent": N} to OUT when done.

  udp_stream.py recv BIND_IP BIND_PORT FROM_IP FROM_PORT SECONDS QUIET OUT
      counts what arrives from FROM_IP:FROM_PORT for at most SECONDS, and
      stops early once QUIET seconds passed without a datagram after the
      first; writes {"received", "unique", "first", "last", "missing",
      "duplicates", "foreign"} to OUT. Touches OUT.ready once bound.
"""
import json
import socket
import sys
import time

PAYLOAD = 172


def send(src_ip, src_port, dst_ip, dst_port, interval_ms, seconds, out):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((src_ip, int(src_port)))
    dst = (dst_ip, int(dst_port))
    step = int(interval_ms) / 1000.0
    count = int(float(seconds) / step)
    start = time.monotonic()
    for seq in range(count):
        # paced against the start, so a late wake-up does not stretch it
        delay = start + seq * step - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        s.sendto(f"SLUICE {seq}".encode().ljust(PAYLOAD, b"."), dst)
    with open(out, "w") as f:
        json.dump({"sent": count}, f)


def recv(bind_ip, bind_port, from_ip, from_port, seconds, quiet, out):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((bind_ip, int(bind_port)))
    s.settimeout(0.2)
    open(out + ".ready", "w").close()
    want = (from_ip, int(from_port))
    seen, dups, foreign, total = set(), 0, 0, 0
    deadline = time.monotonic() + float(seconds)
    last = None
    while time.monotonic() < deadline:
        if last is not None and time.monotonic() - last > float(quiet):
            break
        try:
            data, peer = s.recvfrom(2048)
        except socket.timeout:
            continue
        if peer != want or not data.startswith(b"SLUICE "):
            foreign += 1
            continue
        last = time.monotonic()
        total += 1
        seq = int(data.split()[1].rstrip(b"."))
        if seq in seen:
            dups += 1
        seen.add(seq)
    first = min(seen) if seen else -1
    top = max(seen) if seen else -1
    missing = [n for n in range(0, top + 1) if n not in seen]
    with open(out, "w") as f:
        json.dump({"received": total, "unique": len(seen), "first": first,
                   "last": top, "missing": missing[:50],
                   "n_missing": len(missing), "duplicates": dups,
                   "foreign": foreign}, f)


if __name__ == "__main__":
    if len(sys.argv) == 9 and sys.argv[1] == "send":
        send(*sys.argv[2:])
    elif len(sys.argv) == 9 and sys.argv[1] == "recv":
        recv(*sys.argv[2:])
    else:
        sys.exit(__doc__)
