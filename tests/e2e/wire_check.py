#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""What a test host sees on the wire from sluice-dp, checked field by field
with scapy. Runs inside the client namespace.

  wire_check.py arp   IFACE APPLIANCE_IP APPLIANCE_MAC
  wire_check.py icmp  IFACE APPLIANCE_IP APPLIANCE_MAC
  wire_check.py udp   IFACE APPLIANCE_IP PORT COUNT   (send only)
Exit 0 when every check holds, 1 otherwise (each failure printed).
"""
import sys

from scapy.all import (ARP, ICMP, IP, UDP, Ether, Raw, conf, get_if_hwaddr,
                       sendp, srp)

conf.verb = 0
fails = 0


def check(cond, what):
    global fails
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        fails += 1


def arp(iface, ip, mac):
    me = get_if_hwaddr(iface)
    req = Ether(dst="ff:ff:ff:ff:ff:ff", src=me) / ARP(op=1, hwsrc=me, psrc="192.0.2.1", pdst=ip)
    ans, _ = srp(req, iface=iface, timeout=1.5, multi=True)
    replies = [r for _, r in ans if ARP in r and r[ARP].psrc == ip]
    check(len(replies) == 1, f"exactly one ARP reply for {ip} (got {len(replies)})")
    if not replies:
        return
    r = replies[0]
    check(r[Ether].src == mac and r[Ether].dst == me, "Ethernet: from the appliance's MAC to ours")
    check(r[ARP].op == 2, "ARP op is-at (2)")
    check(r[ARP].hwsrc == mac and r[ARP].psrc == ip, f"sender {mac} {ip}")
    check(r[ARP].hwdst == me and r[ARP].pdst == "192.0.2.1", "target is the asker")
    check(len(bytes(r)) in (42, 60), f"frame is 42 bytes (+ padding): {len(bytes(r))}")


def icmp(iface, ip, mac):
    me = get_if_hwaddr(iface)
    payload = bytes(range(256)) * 4
    req = (Ether(dst=mac, src=me) / IP(src="192.0.2.1", dst=ip, ttl=33, id=777) /
           ICMP(type=8, id=0x5151, seq=3) / Raw(payload))
    ans, _ = srp(req, iface=iface, timeout=1.5, multi=True)
    replies = [r for _, r in ans if ICMP in r and r[ICMP].type == 0]
    check(len(replies) == 1, f"exactly one echo reply (got {len(replies)})")
    if not replies:
        return
    r = replies[0]
    check(r[Ether].src == mac and r[Ether].dst == me, "Ethernet: appliance → us")
    check(r[IP].src == ip and r[IP].dst == "192.0.2.1", "IP: appliance → us")
    check(r[IP].ttl == 64, f"TTL 64 (got {r[IP].ttl})")
    check(r[ICMP].id == 0x5151 and r[ICMP].seq == 3, "same id and sequence")
    check(bytes(r[ICMP].payload)[:len(payload)] == payload, "payload echoed byte for byte")
    ip_ck, icmp_ck = r[IP].chksum, r[ICMP].chksum
    rebuilt = IP(bytes(r[IP]))
    del rebuilt.chksum
    del rebuilt[ICMP].chksum
    rebuilt = IP(bytes(rebuilt))
    check(rebuilt.chksum == ip_ck, "IP checksum right")
    check(rebuilt[ICMP].chksum == icmp_ck, "ICMP checksum right")


def udp(iface, ip, port, count):
    me = get_if_hwaddr(iface)
    mac = srp(Ether(dst="ff:ff:ff:ff:ff:ff") / ARP(pdst=ip), iface=iface, timeout=1.5)[0][0][1][ARP].hwsrc
    for i in range(int(count)):
        sendp(Ether(dst=mac, src=me) / IP(src="192.0.2.1", dst=ip) /
              UDP(sport=40000 + i, dport=int(port)) / Raw(b"probe"), iface=iface)


if __name__ == "__main__":
    cmd, args = sys.argv[1], [a.lower() if a.count(":") == 5 else a for a in sys.argv[2:]]
    {"arp": arp, "icmp": icmp, "udp": udp}[cmd](*args)
    sys.exit(1 if fails else 0)
