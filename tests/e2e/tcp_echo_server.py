#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Echo server on ADDR:PORT for one connection at a time, for at most
LIFETIME seconds (bounded: the test always ends)."""
import socket
import sys

addr, port, life = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((addr, port))
srv.listen(4)
srv.settimeout(life)
try:
    while True:
        c, _ = srv.accept()
        c.settimeout(10)
        while True:
            b = c.recv(65536)
            if not b:
                break
            c.sendall(b)
        c.close()
except socket.timeout:
    pass
