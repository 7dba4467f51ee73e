#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""turn_ctl.py — the client side of the TURN control e2e tests: a stand-in
cluster peer that signs its room announcements like sluice-cp
(controlplane/cp_cluster.h) and hears the appliance's, and REST-credential
Allocates. Standard library only; prints "ok: ..." / "FAIL: ..." per check
and exits 1 when one failed.

  turn_ctl.py cluster SERVER PEER_ADDR SECRET    (tests/e2e/test_turn_cluster.sh)
  turn_ctl.py pair SERVER OTHER                  (test_turn_cluster_pair.sh)
  turn_ctl.py rest SERVER SECRET EXPECT [SECRET EXPECT ...]
                                                 (test_turn_rest_reload.sh)
"""
import binascii
import hashlib
import hmac
import os
import socket
import struct
import sys
import time

COOKIE = 0x2112A442
REALM = b"relay.example"
TURN_PORT, CLUSTER_PORT = 3478, 3490
ALLOCATE = 3
A = {"USERNAME": 0x0006, "MI": 0x0008, "ERROR": 0x0009, "REALM": 0x0014,
     "NONCE": 0x0015, "TRANSPORT": 0x0019, "FP": 0x8028, "ALT": 0x8023}
failures = []


def check(what, cond, detail=""):
    print(("ok: " if cond else "FAIL: ") + what +
          ("" if cond else " (%s)" % detail), flush=True)
    if not cond:
        failures.append(what)


# --- STUN, just what an Allocate needs -------------------------------------

def tlv(t, v):
    return struct.pack("!HH", t, len(v)) + v + b"\0" * (-len(v) % 4)


def allocate_msg(tid, extra=b"", key=None):
    body = tlv(A["TRANSPORT"], bytes([17, 0, 0, 0])) + extra

    def hdr(more):
        return struct.pack("!HHI", ALLOCATE, len(body) + more, COOKIE) + tid
    if key is not None:
        body += tlv(A["MI"], hmac.new(key, hdr(24) + body,
                                      hashlib.sha1).digest())
    crc = binascii.crc32(hdr(8) + body) ^ 0x5354554E
    body += tlv(A["FP"], struct.pack("!I", crc))
    return hdr(0) + body


def attrs_of(buf):
    out, off = {}, 20
    length = struct.unpack("!H", buf[2:4])[0]
    while off + 4 <= 20 + length:
        t, n = struct.unpack("!HH", buf[off:off + 4])
        out.setdefault(t, (off, buf[off + 4:off + 4 + n]))
        off += 4 + n + (-n % 4)
    return out


def integrity_ok(buf, key):
    at = attrs_of(buf)
    if A["MI"] not in at:
        return False
    off, mac = at[A["MI"]]
    head = buf[:2] + struct.pack("!H", off + 24 - 20) + buf[4:off]
    return hmac.compare_digest(hmac.new(key, head, hashlib.sha1).digest(),
                               mac)


def ask(sock, server, raw, tid):
    for _ in range(3):
        sock.sendto(raw, (server, TURN_PORT))
        sock.settimeout(2.0)
        try:
            while True:
                buf = sock.recv(2048)
                if buf[8:20] == tid:
                    return buf
        except socket.timeout:
            continue
    return None


def allocate(server, user, password):
    """An authenticated Allocate from a fresh port: (code, answer, key)."""
    key = hashlib.md5(user + b":" + REALM + b":" + password).digest()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", 0))
    tid = os.urandom(12)
    a = ask(s, server, allocate_msg(tid), tid)
    if a is None:
        return None, None, key
    nonce = attrs_of(a).get(A["NONCE"], (0, b""))[1]
    tid = os.urandom(12)
    creds = tlv(A["USERNAME"], user) + tlv(A["REALM"], REALM) + \
        tlv(A["NONCE"], nonce)
    a = ask(s, server, allocate_msg(tid, creds, key), tid)
    s.close()
    if a is None:
        return None, None, key
    e = attrs_of(a).get(A["ERROR"])
    return (0 if e is None else (e[1][2] & 7) * 100 + e[1][3]), a, key


# --- the cluster announcement ----------------------------------------------

def announce(secret, addr, port, boot, seq, ts_ms, cap, allocs):
    head = b"SLCX" + bytes([1, 1, 0, 0]) + socket.inet_aton(addr) + \
        struct.pack("!HH", port, 0) + struct.pack("!QQQ", boot, seq, ts_ms) + \
        struct.pack("!IIII", cap, allocs, cap - allocs, 0)
    return head + hmac.new(secret, head, hashlib.sha256).digest()


def heard(sock, secret, timeout, want=lambda a: True):
    """The appliance's next announcement that `want`s, verified: its
    fields, or None (a bad MAC ends the wait)."""
    end = time.time() + timeout
    while time.time() < end:
        sock.settimeout(max(0.1, end - time.time()))
        try:
            buf, _ = sock.recvfrom(256)
        except socket.timeout:
            break
        if len(buf) != 88 or buf[:4] != b"SLCX":
            continue
        if not hmac.compare_digest(
                hmac.new(secret, buf[:56], hashlib.sha256).digest(),
                buf[56:]):
            return {"mac": False}
        boot, seq, ts = struct.unpack("!QQQ", buf[16:40])
        cap, allocs, room = struct.unpack("!III", buf[40:52])
        a = {"mac": True, "addr": socket.inet_ntoa(buf[8:12]),
                "port": struct.unpack("!H", buf[12:14])[0], "seq": seq,
                "ts": ts, "capacity": cap, "allocations": allocs,
                "room": room}
        if want(a):
            return a
    return None


def cluster(server, peer, secret):
    secret = secret.encode()
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("0.0.0.0", CLUSTER_PORT))
    # the first ones may come before sluice-cp attached (capacity 0)
    a = heard(rx, secret, 10, lambda a: a["capacity"] > 0)
    check("the appliance announces itself, signed with the cluster secret",
          a is not None and a["mac"], a)
    if a is None or not a["mac"]:
        return
    check("its announcement: 192.0.2.10:3478, capacity 1, 0 allocations, "
          "room 1", (a["addr"], a["port"], a["capacity"], a["allocations"],
                     a["room"]) == (server, 3478, 1, 0, 1), a)
    check("its clock within a second", abs(a["ts"] - time.time() * 1000)
          < 1000, a["ts"])
    boot, now = int.from_bytes(os.urandom(8), "big"), int(time.time() * 1000)
    good = announce(secret, peer, 3478, boot, 1, now, 10, 3)
    rx.sendto(announce(b"not-the-cluster-secret-at-all-!!", peer, 3478,
                       boot, 1, now, 10, 0), (server, CLUSTER_PORT))
    rx.sendto(good, (server, CLUSTER_PORT))
    rx.sendto(good, (server, CLUSTER_PORT))           # a replay
    time.sleep(0.5)
    code, _, _ = allocate(server, b"alice", b"e2e-secret")
    check("alice's Allocate takes the one relay", code == 0, code)
    a = heard(rx, secret, 3, lambda a: a["allocations"] > 0)
    check("the appliance now announces room 0", a is not None and
          a.get("room") == 0 and a.get("allocations") == 1, a)
    code, ans, key = allocate(server, b"bob", b"bob-secret")
    check("full, a peer with room: bob gets 300 Try Alternate", code == 300,
          code)
    if code == 300:
        alt = attrs_of(ans).get(A["ALT"], (0, b""))[1]
        check("ALTERNATE-SERVER %s:3478" % peer, len(alt) == 8 and
              alt[1] == 1 and struct.unpack("!H", alt[2:4])[0] == 3478 and
              socket.inet_ntoa(alt[4:8]) == peer, alt.hex())
        check("the 300 is signed with bob's key", integrity_ok(ans, key))
    # the peer falls silent: after 3 intervals (1 s each) it has no room
    time.sleep(3.5)
    code, _, _ = allocate(server, b"bob", b"bob-secret")
    check("the peer unheard for 3 intervals: 508", code == 508, code)


def relayed_ip(ans):
    v = attrs_of(ans).get(0x0016, (0, b""))[1]   # XOR-RELAYED-ADDRESS
    if len(v) != 8:
        return None
    return socket.inet_ntoa(bytes(a ^ b for a, b in
                                  zip(v[4:8], struct.pack("!I", COOKIE))))


def pair(server, other):
    """Two real appliances: the full one sends bob to the other, where his
    Allocate succeeds."""
    code, ans, _ = allocate(server, b"alice", b"e2e-secret")
    check("alice's Allocate at %s takes its one relay" % server, code == 0,
          code)
    code, ans, key = allocate(server, b"bob", b"bob-secret")
    check("bob at the full %s: 300 Try Alternate" % server, code == 300,
          code)
    if code != 300:
        return
    alt = attrs_of(ans).get(A["ALT"], (0, b""))[1]
    check("the 300 is signed with bob's key", integrity_ok(ans, key))
    where = socket.inet_ntoa(alt[4:8]) if len(alt) == 8 else None
    port = struct.unpack("!H", alt[2:4])[0] if len(alt) == 8 else None
    check("ALTERNATE-SERVER names the other appliance %s:3478" % other,
          (where, port) == (other, 3478), (where, port))
    if where is None:
        return
    code, ans, _ = allocate(where, b"bob", b"bob-secret")
    check("bob's Allocate at the alternate succeeds", code == 0, code)
    if code == 0:
        check("relayed from the alternate's address",
              relayed_ip(ans) == other, relayed_ip(ans))


# --- TURN REST credentials ---------------------------------------------------

def rest(server, pairs):
    for secret, want in pairs:
        user = b"%d:erin" % (int(time.time()) + 3600)
        pw = hmac.new(secret.encode(), user, hashlib.sha1).digest()
        code, _, _ = allocate(server, user, binascii.b2a_base64(pw).strip())
        check("REST credential of %s: %s" % (secret, want), code == int(want),
              code)


if __name__ == "__main__":
    if sys.argv[1] == "cluster":
        cluster(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "pair":
        pair(sys.argv[2], sys.argv[3])
    else:
        rest(sys.argv[2], list(zip(sys.argv[3::2], sys.argv[4::2])))
    sys.exit(1 if failures else 0)
