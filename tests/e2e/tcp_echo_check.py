#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""A TCP exchange through the appliance's exception path: connect to
ADDR:PORT (a kernel socket behind sluice-dp's TAP), send SIZE random bytes,
read them back from the echo server, compare. Exit 0 when identical."""
import hashlib
import os
import socket
import sys

addr, port, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = os.urandom(size)
s = socket.create_connection((addr, port), timeout=10)
s.settimeout(10)
s.sendall(data)
s.shutdown(socket.SHUT_WR)
got = bytearray()
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    got += chunk
s.close()
same = hashlib.sha256(got).digest() == hashlib.sha256(data).digest()
print(f"{'ok' if same else 'FAIL'}: sent {len(data)} bytes, got {len(got)} back, "
      f"{'identical' if same else 'different'}")
sys.exit(0 if same else 1)
