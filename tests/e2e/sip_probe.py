#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""sip_probe.py — send one SIP message (or an RFC 5626 CRLF ping) over
UDP, TCP or TLS and print what comes back, for tests/e2e/test_sip_*.sh.
Debian's sipp is built without TLS, so TLS (and the hand-made malformed
messages sipp cannot send) go through this.

  sip_probe.py --to 192.0.2.10:5060 --transport udp --options
  sip_probe.py --to ... --transport tls --options
  sip_probe.py --to ... --transport tcp --ping          prints PONG
  sip_probe.py --to ... --transport udp --raw FILE      FILE as is
  sip_probe.py ... --expect-none                        exit 0 on silence

Prints the status line of every answer (one per line) and exits 0 when
something came back (or nothing, with --expect-none); bounded by
--timeout seconds.
"""
import argparse
import socket
import ssl
import sys
import time


def options(local, to, transport):
    via = {"udp": "UDP", "tcp": "TCP", "tls": "TLS"}[transport]
    return ("OPTIONS sip:%s SIP/2.0\r\n"
            "Via: SIP/2.0/%s %s:%d;branch=z9hG4bK-probe%d;rport\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:probe@%s>;tag=p1\r\nTo: <sip:%s>\r\n"
            "Call-ID: probe-%d@%s\r\nCSeq: 1 OPTIONS\r\n"
            "Content-Length: 0\r\n\r\n" % (
                to[0], via, local[0], local[1], int(time.time() * 1000),
                local[0], to[0], int(time.time() * 1000), local[0])).encode()


def status_lines(data):
    return [l.split(b"\r\n", 1)[0].decode(errors="replace")
            for l in data.split(b"SIP/2.0 ")[1:]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--to", required=True)
    ap.add_argument("--bind", default="0.0.0.0")
    ap.add_argument("--transport", choices=["udp", "tcp", "tls"], default="udp")
    ap.add_argument("--options", action="store_true")
    ap.add_argument("--ping", action="store_true")
    ap.add_argument("--raw")
    ap.add_argument("--timeout", type=float, default=3.0)
    ap.add_argument("--expect-none", action="store_true")
    a = ap.parse_args()
    host, port = a.to.rsplit(":", 1)
    to = (host, int(port))
    if a.transport == "udp":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((a.bind, 0))
    s.settimeout(a.timeout)
    if a.transport != "udp":
        s.connect(to)
    if a.transport == "tls":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE   # the test's self-signed cert
        s = ctx.wrap_socket(s)
    local = s.getsockname()
    if a.ping:
        msg = b"\r\n\r\n"
    elif a.raw:
        msg = open(a.raw, "rb").read()
    else:
        msg = options(local, to, a.transport)
    if a.transport == "udp":
        s.sendto(msg, to)
    else:
        s.sendall(msg)
    got = b""
    deadline = time.time() + a.timeout
    while time.time() < deadline:
        try:
            chunk = s.recv(65536)
        except (socket.timeout, ssl.SSLError, OSError):
            break
        if not chunk:
            break
        got += chunk
        if a.ping and got.startswith(b"\r\n"):
            break
        if b"\r\n\r\n" in got and not a.ping:
            break
    if a.ping:
        print("PONG" if got == b"\r\n" else "NO PONG %r" % got[:40])
        return 0 if got == b"\r\n" else 1
    for line in status_lines(got):
        print(line)
    if a.expect_none:
        return 0 if not got else 1
    return 0 if got else 1


if __name__ == "__main__":
    sys.exit(main())
