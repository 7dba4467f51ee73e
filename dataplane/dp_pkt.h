/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_pkt.h — what the relaying stages (media, demux, turn) do to a UDP
 * packet on its way out: move its headers to grow or shrink the payload's
 * front, readdress it (MACs, IPv4 addresses, TTL, UDP ports), and keep both
 * checksums right incrementally (RFC 1624), never summing the payload.
 *
 * Reads: m->l2_len and m->l3_len (set by classify); the Ethernet, IPv4 and
 * UDP headers in the first segment.
 */
#ifndef SLUICE_DP_PKT_H
#define SLUICE_DP_PKT_H

#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dp.h"

#define DP_RELAY_TTL 64
#define DP_UDP_HDRS(m) ((m)->l2_len + (m)->l3_len + sizeof(struct rte_udp_hdr))
/* Ethernet, IPv4 without options, UDP */
#define DP_PLAIN_HDRS  (RTE_ETHER_HDR_LEN + 20 + 8)

/* RFC 1624 eqn. 3 over 16-bit words as stored (byte order does not matter
 * to a one's complement sum as long as old and new agree). */
static inline uint16_t
dp_csum_adjust(uint16_t csum, const uint16_t *old, const uint16_t *new_,
	       unsigned n_words)
{
	uint32_t s = (uint16_t)~csum;
	unsigned i;

	for (i = 0; i < n_words; i++)
		s += (uint16_t)~old[i] + (uint32_t)new_[i];
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static inline uint16_t
dp_udp_csum_adjust(uint16_t csum, const uint16_t *old, const uint16_t *new_,
		   unsigned n_words)
{
	uint16_t c;

	if (csum == 0)          /* IPv4 UDP without a checksum stays so */
		return 0;
	c = dp_csum_adjust(csum, old, new_, n_words);
	return c ? c : 0xffff;
}

/* The UDP checksum with `len` bytes (even, at an even offset of the
 * payload) added (add) or taken away, as their one's complement sum says. */
static inline uint16_t
dp_udp_csum_bytes(uint16_t csum, const void *p, uint32_t len, bool add)
{
	uint16_t sum = rte_raw_cksum(p, len), zero = 0;

	return add ? dp_udp_csum_adjust(csum, &zero, &sum, 1) :
		     dp_udp_csum_adjust(csum, &sum, &zero, 1);
}

static inline struct rte_udp_hdr *
dp_udp_hdr(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *,
				       m->l2_len + m->l3_len);
}

/* Moves the Ethernet, IPv4 and UDP headers `delta` bytes (negative: to the
 * front, growing the packet; positive: to the back, shrinking it), fixes
 * both length fields and folds the UDP length's change (it counts twice:
 * header and pseudo header) into the UDP checksum. The payload bytes added
 * or removed are the caller's to fold in. False when there is no headroom
 * (nothing changed). */
static __rte_always_inline bool
dp_frame_resize(struct rte_mbuf *m, int delta)
{
	uint32_t hdrs = DP_UDP_HDRS(m);
	char *old = rte_pktmbuf_mtod(m, char *);
	uint16_t olen[2], nlen[2];
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *uh;
	char *p;

	if (delta < 0) {
		p = rte_pktmbuf_prepend(m, (uint16_t)-delta);
		if (p == NULL)
			return false;
	} else {
		p = old + delta;
	}
	/* The usual headers through registers, all loads before all stores
	 * (the regions overlap): libc's memmove costs a call and leaves the
	 * length words in stores that the loads below stall on. */
	if (likely(hdrs == DP_PLAIN_HDRS)) {
		uint64_t w[5];
		uint16_t tail;

		memcpy(w, old, sizeof(w));
		memcpy(&tail, old + sizeof(w), sizeof(tail));
		memcpy(p, w, sizeof(w));
		memcpy(p + sizeof(w), &tail, sizeof(tail));
	} else {
		memmove(p, old, hdrs);
	}
	if (delta > 0)
		p = rte_pktmbuf_adj(m, (uint16_t)delta);
	ip = (struct rte_ipv4_hdr *)(p + m->l2_len);
	uh = (struct rte_udp_hdr *)((char *)ip + m->l3_len);
	ip->total_length = rte_cpu_to_be_16(
		rte_be_to_cpu_16(ip->total_length) - delta);
	olen[0] = olen[1] = uh->dgram_len;
	uh->dgram_len = rte_cpu_to_be_16(rte_be_to_cpu_16(uh->dgram_len) -
					 delta);
	nlen[0] = nlen[1] = uh->dgram_len;
	uh->dgram_cksum = dp_udp_csum_adjust(uh->dgram_cksum, olen, nlen, 2);
	return true;
}

/* The IPv4 header words a relay changes: total length, TTL/protocol, the
 * addresses. */
static inline void
dp_ip_words(const struct rte_ipv4_hdr *ip, uint16_t w[6])
{
	memcpy(w, &ip->total_length, 2);
	memcpy(w + 1, &ip->time_to_live, 2);
	memcpy(w + 2, &ip->src_addr, 8);
}

/*
 * The next hop's MAC for `dst` out of `out`: 0, or the drop reason (no
 * route; unresolved, when an ARP request went out for it).
 */
static inline enum dp_drop_reason
dp_next_hop(struct dp_lcore *lc, const struct dp_iface *out, uint32_t dst,
	    struct rte_ether_addr *mac)
{
	uint32_t nh = dp_neigh_next_hop(out, dst);

	if (nh == 0)
		return DP_DROP_NO_ROUTE;
	if (!dp_neigh_lookup(out, nh, mac)) {
		dp_neigh_solicit(lc, out, nh);
		return DP_DROP_NEIGH_UNRESOLVED;
	}
	return (enum dp_drop_reason)0;
}

/*
 * Readdresses `m` to leave `out` from (src, sport) towards (dst, dport)
 * via `mac`. `oip` are the IPv4 words (dp_ip_words) as classify verified
 * them, before any resize: the header checksum is adjusted from them, the
 * UDP checksum for the addresses and ports. The new words are built from
 * the values, never read back from the header just written: a wide load
 * of narrower stores still in flight stalls store forwarding (measured:
 * about a fifth of the TURN relay's cycles).
 */
static inline void
dp_udp_readdress_from(struct rte_mbuf *m, const struct dp_iface *out,
		      const struct rte_ether_addr *mac, uint32_t src,
		      uint16_t sport, uint32_t dst, uint16_t dport,
		      const uint16_t oip[6])
{
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)((char *)eh +
							  m->l2_len);
	struct rte_udp_hdr *uh = (struct rte_udp_hdr *)((char *)ip +
							m->l3_len);
	const uint8_t ttl_proto[2] = { DP_RELAY_TTL, ip->next_proto_id };
	uint16_t old[6], new_[6], nip[6];

	eh->dst_addr = *mac;
	eh->src_addr = out->mac;
	memcpy(old, &ip->src_addr, 8);
	memcpy(old + 4, &uh->src_port, 4);
	memcpy(new_, &src, 4);
	memcpy(new_ + 2, &dst, 4);
	new_[4] = rte_cpu_to_be_16(sport);
	new_[5] = rte_cpu_to_be_16(dport);
	memcpy(nip, &ip->total_length, 2);
	memcpy(nip + 1, ttl_proto, 2);
	memcpy(nip + 2, new_, 8);
	ip->time_to_live = DP_RELAY_TTL;
	ip->src_addr = src;
	ip->dst_addr = dst;
	uh->src_port = new_[4];
	uh->dst_port = new_[5];
	uh->dgram_cksum = dp_udp_csum_adjust(uh->dgram_cksum, old, new_, 6);
	ip->hdr_checksum = dp_csum_adjust(ip->hdr_checksum, oip, nip, 6);
}

/* The same from the interface's own address. */
static inline void
dp_udp_readdress(struct rte_mbuf *m, const struct dp_iface *out,
		 const struct rte_ether_addr *mac, uint16_t sport,
		 uint32_t dst, uint16_t dport, const uint16_t oip[6])
{
	dp_udp_readdress_from(m, out, mac, out->ip, sport, dst, dport, oip);
}

static inline uint32_t
dp_udp_payload_len(struct rte_mbuf *m)
{
	return rte_be_to_cpu_16(dp_udp_hdr(m)->dgram_len) -
	       sizeof(struct rte_udp_hdr);
}

#endif /* SLUICE_DP_PKT_H */
