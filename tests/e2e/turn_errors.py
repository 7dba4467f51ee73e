#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""turn_errors.py — a TURN client that builds its STUN messages itself, for
tests/e2e/test_turn_errors.sh: every error answer of sluice-dp's TURN server
that a client can provoke, checked exactly, and one allocation that relays
ChannelData to a peer and back.

  turn_errors.py SERVER PEER_ADDR OUT.json

Users (from the test's config): alice/e2e-secret, bob/bob-secret,
carol/carol-secret; turn.allocations_per_user 1, turn.relay_capacity 2.
Prints "ok: ..." / "FAIL: ..." per check and writes a summary to OUT.json;
exits 1 when a check failed. Standard library only.
"""
import binascii
import hashlib
import hmac
import json
import os
import socket
import struct
import sys

COOKIE = 0x2112A442
REALM = b"relay.example"
A_USERNAME, A_MI, A_ERROR, A_CHANNEL, A_LIFETIME = 0x0006, 0x0008, 0x0009, 0x000C, 0x000D
A_XOR_PEER, A_DATA, A_REALM, A_NONCE = 0x0012, 0x0013, 0x0014, 0x0015
A_XOR_RELAYED, A_REQ_TRANSPORT, A_FINGERPRINT = 0x0016, 0x0019, 0x8028
ALLOCATE, REFRESH, SEND, PERMISSION, CHANNEL_BIND, BINDING = 3, 4, 6, 8, 9, 1

SERVER, PEER = sys.argv[1], sys.argv[2]
PORT = 3478
failures = []
results = {}


def check(what, cond, detail=""):
    print(("ok: " if cond else "FAIL: ") + what + ("" if cond else " (%s)" % detail))
    if not cond:
        failures.append(what)


def attr(t, v):
    return struct.pack("!HH", t, len(v)) + v + b"\0" * (-len(v) % 4)


def xor_peer(addr, port, tid):
    x = port ^ (COOKIE >> 16)
    if ":" in addr:
        raw = socket.inet_pton(socket.AF_INET6, addr)
        mask = struct.pack("!I", COOKIE) + tid
        return attr(A_XOR_PEER, struct.pack("!BBH", 0, 2, x) +
                    bytes(a ^ b for a, b in zip(raw, mask)))
    raw = struct.unpack("!I", socket.inet_aton(addr))[0]
    return attr(A_XOR_PEER, struct.pack("!BBHI", 0, 1, x, raw ^ COOKIE))


def key_of(user, password):
    return hashlib.md5(user + b":" + REALM + b":" + password).digest()


def message(method, attrs, tid=None, key=None, fingerprint=True, cls=0):
    """A request (cls 0) or indication (cls 1) with MI over key, FINGERPRINT."""
    tid = tid or os.urandom(12)
    t = (method & 0xF) | ((method & 0x70) << 1) | ((method & 0xF80) << 2)
    t |= (cls & 1) << 4 | (cls & 2) << 7
    body = b"".join(attrs)

    def hdr(extra):
        return struct.pack("!HHI", t, len(body) + extra, COOKIE) + tid
    if key is not None:
        mac = hmac.new(key, hdr(24) + body, hashlib.sha1).digest()
        body += attr(A_MI, mac)
    if fingerprint:
        crc = binascii.crc32(hdr(8) + body) ^ 0x5354554E
        body += attr(A_FINGERPRINT, struct.pack("!I", crc))
    return hdr(0) + body, tid


def parse(buf):
    t, length, cookie = struct.unpack("!HHI", buf[:8])
    attrs, off = {}, 20
    while off + 4 <= 20 + length:
        at, al = struct.unpack("!HH", buf[off:off + 4])
        attrs.setdefault(at, buf[off + 4:off + 4 + al])
        off += 4 + al + (-al % 4)
    cls = (t >> 4 & 1) | (t >> 7 & 2)
    code = None
    if A_ERROR in attrs:
        e = attrs[A_ERROR]
        code = (e[2] & 7) * 100 + e[3]
    return {"class": cls, "tid": buf[8:20], "attrs": attrs, "code": code}


class Client:
    def __init__(self):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.bind(("0.0.0.0", 0))
        self.s.settimeout(2.0)
        self.nonce = None

    def ask(self, raw, tid):
        """Send; the answer with this transaction id (2 tries), or None."""
        for _ in range(2):
            self.s.sendto(raw, (SERVER, PORT))
            try:
                while True:
                    r = parse(self.s.recv(2048))
                    if r["tid"] == tid:
                        return r
            except socket.timeout:
                continue
        return None

    def silent(self, raw, wait=1.0):
        """Send; True when nothing at all comes back within `wait`."""
        self.s.sendto(raw, (SERVER, PORT))
        self.s.settimeout(wait)
        try:
            self.s.recv(2048)
            return False
        except socket.timeout:
            return True
        finally:
            self.s.settimeout(2.0)

    def challenge(self):
        raw, tid = message(ALLOCATE, [attr(A_REQ_TRANSPORT, b"\x11\0\0\0")])
        r = self.ask(raw, tid)
        if r and r["code"] == 401:
            self.nonce = r["attrs"].get(A_NONCE)
        return r

    def auth(self, user):
        return [attr(A_USERNAME, user), attr(A_REALM, REALM),
                attr(A_NONCE, self.nonce or b"none")]

    def request(self, method, attrs, user, password, tid=None):
        raw, tid = message(method, attrs + self.auth(user), tid=tid,
                           key=key_of(user, password))
        return self.ask(raw, tid), tid


UDP = attr(A_REQ_TRANSPORT, b"\x11\0\0\0")
ALICE = (b"alice", b"e2e-secret")


def code_of(r):
    return None if r is None else (r["code"] if r["class"] == 3 else "success")


# --- authentication ---------------------------------------------------------
a = Client()
r = a.challenge()
check("Allocate without credentials: 401 with REALM and NONCE",
      r is not None and r["code"] == 401 and r["attrs"].get(A_REALM) == REALM
      and a.nonce is not None, code_of(r))
r, _ = a.request(ALLOCATE, [UDP], b"alice", b"wrong-password")
check("wrong password: 401", code_of(r) == 401, code_of(r))
other = Client()
other.challenge()
a_nonce, a.nonce = a.nonce, other.nonce
r, _ = a.request(ALLOCATE, [UDP], *ALICE)
check("a nonce issued to another client address: 401 with a fresh NONCE",
      code_of(r) == 401 and r["attrs"].get(A_NONCE) not in (None, other.nonce),
      code_of(r))
a.nonce = a_nonce
r, _ = a.request(ALLOCATE, [], *ALICE)
check("Allocate without REQUESTED-TRANSPORT: 400", code_of(r) == 400, code_of(r))
r, _ = a.request(ALLOCATE, [attr(A_REQ_TRANSPORT, b"\x06\0\0\0")], *ALICE)
check("Allocate for TCP: 442", code_of(r) == 442, code_of(r))
raw, tid = message(BINDING, [])
r = a.ask(raw, tid)
check("Binding without credentials (turn.stun_binding off): 401",
      code_of(r) == 401, code_of(r))

# --- one good allocation, and what may not happen next to it -----------------
r, tid1 = a.request(ALLOCATE, [UDP], *ALICE)
check("alice's Allocate: success with XOR-RELAYED-ADDRESS",
      code_of(r) == "success" and A_XOR_RELAYED in r["attrs"], code_of(r))
r2, _ = a.request(ALLOCATE, [UDP], *ALICE, tid=tid1)
check("the same Allocate again (retransmission): success again",
      code_of(r2) == "success" and r2["attrs"].get(A_XOR_RELAYED) ==
      (r or {"attrs": {}})["attrs"].get(A_XOR_RELAYED), code_of(r2))
r, _ = a.request(ALLOCATE, [UDP], *ALICE)
check("a second Allocate from the same 5-tuple, another transaction: 437",
      code_of(r) == 437, code_of(r))
a2 = Client()
a2.challenge()
r, _ = a2.request(ALLOCATE, [UDP], *ALICE)
check("alice's second allocation from another port (allocations_per_user 1): 486",
      code_of(r) == 486, code_of(r))
b = Client()
b.challenge()
r, _ = b.request(ALLOCATE, [UDP], b"bob", b"bob-secret")
check("bob's Allocate: success (2 of relay_capacity 2)", code_of(r) == "success",
      code_of(r))
c = Client()
c.challenge()
r, _ = c.request(ALLOCATE, [UDP], b"carol", b"carol-secret")
check("carol's Allocate beyond turn.relay_capacity: 508", code_of(r) == 508,
      code_of(r))

# --- peers -------------------------------------------------------------------
for what, addr in (("10.0.0.1", "10.0.0.1"),
                   ("::ffff:10.0.0.1 (IPv4-mapped IPv6)", "::ffff:10.0.0.1"),
                   ("127.0.0.1", "127.0.0.1"),
                   ("the server's own address", SERVER)):
    tid = os.urandom(12)
    r, _ = a.request(PERMISSION, [xor_peer(addr, 0, tid)], *ALICE, tid=tid)
    check("CreatePermission for %s: 403" % what, code_of(r) == 403, code_of(r))
tid = os.urandom(12)
r, _ = a.request(PERMISSION, [], *ALICE)
check("CreatePermission without XOR-PEER-ADDRESS: 400", code_of(r) == 400, code_of(r))
r, _ = a.request(PERMISSION, [xor_peer(PEER, 0, tid)], *ALICE, tid=tid)
check("CreatePermission for %s (turn.allowed_peers): success" % PEER,
      code_of(r) == "success", code_of(r))
peer = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
peer.bind((PEER, 4000))
peer.settimeout(2.0)
tid = os.urandom(12)
r, _ = a.request(CHANNEL_BIND, [attr(A_CHANNEL, b"\x80\x00\0\0"),
                                xor_peer(PEER, 4000, tid)], *ALICE, tid=tid)
check("ChannelBind 0x8000 (outside 0x4000-0x7FFF): 400",
      code_of(r) == 400, code_of(r))
tid = os.urandom(12)
r, _ = a.request(CHANNEL_BIND, [attr(A_CHANNEL, b"\x40\x01\0\0"),
                                xor_peer(PEER, 4000, tid)], *ALICE, tid=tid)
check("ChannelBind 0x4001 to %s:4000: success" % PEER, code_of(r) == "success",
      code_of(r))
tid = os.urandom(12)
r, _ = a.request(CHANNEL_BIND, [attr(A_CHANNEL, b"\x40\x02\0\0"),
                                xor_peer(PEER, 4000, tid)], *ALICE, tid=tid)
check("ChannelBind of another number to the same peer: 400",
      code_of(r) == 400, code_of(r))

# ChannelData both ways, byte for byte
payload = bytes(range(256))[:171]   # odd length: padding on the way back
got = []
for i in range(10):
    data = bytes([i]) + payload
    a.s.sendto(struct.pack("!HH", 0x4001, len(data)) + data + b"\0" * (-len(data) % 4),
               (SERVER, PORT))
    try:
        d, src = peer.recvfrom(2048)
    except socket.timeout:
        break
    peer.sendto(d[::-1], src)
    try:
        back = a.s.recv(2048)
    except socket.timeout:
        break
    ch, ln = struct.unpack("!HH", back[:4])
    got.append((d == data, ch == 0x4001 and back[4:4 + ln] == data[::-1]))
check("10 ChannelData messages reached the peer exactly and came back as "
      "ChannelData on 0x4001", got == [(True, True)] * 10, got)
results["relay"] = src[0] + ":" + str(src[1]) if got else None
# a Send indication without FINGERPRINT to the channel's peer also relays
raw, _ = message(SEND, [xor_peer(PEER, 4000, b"\0" * 12), attr(A_DATA, b"hi")],
                 cls=1, fingerprint=False)
a.s.sendto(raw, (SERVER, PORT))
try:
    d = peer.recv(2048)
except socket.timeout:
    d = None
check("a Send indication reaches the peer", d == b"hi", d)

# --- malformed: dropped, counted, never answered ------------------------------
good, _ = message(BINDING, [])
bad_fp = bytearray(good)
bad_fp[-1] ^= 1
resp, _ = message(BINDING, [], cls=2)   # a success response, to the server
results["malformed_silent"] = [
    a.silent(good[:12]),                      # truncated header
    a.silent(good[:-4]),                      # header longer than the datagram
    a.silent(bytes(bad_fp)),                  # wrong FINGERPRINT
    a.silent(b"\x40\x01\x00\x10abc"),         # ChannelData shorter than its length
]
check("4 malformed datagrams: no answer", results["malformed_silent"] == [True] * 4,
      results["malformed_silent"])
results["discarded_silent"] = a.silent(bytes(resp))
check("a STUN success response sent to the server: no answer",
      results["discarded_silent"])

with open(sys.argv[3], "w") as f:
    json.dump(results, f)
sys.exit(1 if failures else 0)
