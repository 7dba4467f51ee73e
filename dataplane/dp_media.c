/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_media.c — the media stage: UDP to a local port of the media range that
 * a leg owns. The leg checks (and latches) where the packet came from, then
 * the packet leaves through the leg's peer: from the peer's local port to the
 * peer's remote address, rewritten in place.
 *
 *   classify ──► media: port_leg[dport] ──► leg ──► source check / latch
 *                                                    │
 *              tx(peer's interface) ◄── rewrite ◄── peer leg, next hop
 *
 * Latching (symmetric RTP): a leg with latch "once" learns the source of its
 * first packet and from then on accepts only that source; "always" follows
 * the newest source; "off" accepts only the remote the control plane gave.
 * Each latch is one 64-bit store (a compare-and-swap for "once", so that two
 * workers racing on a first packet agree) and an event to the service lcore.
 *
 * Reads: m->l2_len and m->l3_len (set by classify), the Ethernet, IPv4 and
 * UDP headers in the first segment, m->pkt_len.
 * Sets: Ethernet addresses, IPv4 source/destination/TTL/checksum, UDP ports
 * and checksum (incrementally, RFC 1624); for a multiplexed peer, the 4-byte
 * multiplexID in front of the payload and both length fields.
 */
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_prefetch.h>
#include <rte_udp.h>

#include "dp.h"

#define RELAY_TTL 64

/* RFC 1624 eqn. 3 over 16-bit words as stored (byte order does not matter
 * to a one's complement sum as long as old and new agree). */
static inline uint16_t
csum_adjust(uint16_t csum, const uint16_t *old, const uint16_t *new_,
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

void
dp_worker_event(struct dp_lcore *lc, uint32_t type, uint32_t leg_id,
		uint64_t remote)
{
	struct dp_wevt ev = { .type = type, .leg_id = leg_id,
			      .remote = remote };

	if (lc->evt_ring == NULL ||
	    rte_ring_enqueue_elem(lc->evt_ring, &ev, sizeof(ev)) != 0)
		dp_count(&lc->stats.worker_events_lost, 1);
}

/* Accept or refuse `src` for the leg, latching as its policy says. */
static bool
media_source_ok(struct dp_lcore *lc, struct dp_leg *leg, uint64_t src)
{
	uint64_t cur = __atomic_load_n(&leg->remote, __ATOMIC_RELAXED);
	uint64_t latched = src | DP_REMOTE_LATCHED;

	switch (leg->latch) {
	case SL_LATCH_ONCE:
		if (cur & DP_REMOTE_LATCHED)
			return (cur & DP_REMOTE_ADDR_PORT) ==
			       (src & DP_REMOTE_ADDR_PORT);
		if (!__atomic_compare_exchange_n(&leg->remote, &cur, latched,
						 false, __ATOMIC_RELAXED,
						 __ATOMIC_RELAXED))
			/* another worker latched first: hold to its choice */
			return (cur & DP_REMOTE_ADDR_PORT) ==
			       (src & DP_REMOTE_ADDR_PORT);
		break;
	case SL_LATCH_ALWAYS:
		if (cur == latched)
			return true;
		__atomic_store_n(&leg->remote, latched, __ATOMIC_RELAXED);
		break;
	default: /* SL_LATCH_OFF */
		return (cur & DP_REMOTE_VALID) &&
		       (cur & DP_REMOTE_ADDR_PORT) ==
		       (src & DP_REMOTE_ADDR_PORT);
	}
	dp_worker_event(lc, DP_WEVT_LATCHED, leg->id, latched);
	return true;
}

/* For a multiplexed peer: the peer's multiplexID in front of the payload. */
static bool
mux_prepend(struct rte_mbuf *m, uint32_t mux_id)
{
	uint32_t hdrs = m->l2_len + m->l3_len + sizeof(struct rte_udp_hdr);
	char *old = rte_pktmbuf_mtod(m, char *);
	char *p = rte_pktmbuf_prepend(m, sizeof(uint32_t));
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *uh;
	uint16_t olen[2], nlen[2], idw[2];
	rte_be32_t id_be = rte_cpu_to_be_32(mux_id);

	if (p == NULL)
		return false;
	memmove(p, old, hdrs);
	memcpy(p + hdrs, &id_be, sizeof(id_be));
	ip = (struct rte_ipv4_hdr *)(p + m->l2_len);
	uh = (struct rte_udp_hdr *)((char *)ip + m->l3_len);
	ip->total_length = rte_cpu_to_be_16(
		rte_be_to_cpu_16(ip->total_length) + 4);
	/* the UDP length counts twice in the checksum (header and pseudo
	 * header); the ID adds two words; the payload stays word-aligned */
	olen[0] = olen[1] = uh->dgram_len;
	uh->dgram_len = rte_cpu_to_be_16(rte_be_to_cpu_16(uh->dgram_len) + 4);
	nlen[0] = nlen[1] = uh->dgram_len;
	memcpy(idw, &id_be, sizeof(idw));
	if (uh->dgram_cksum != 0) {
		static const uint16_t zero[2];
		uint16_t c = csum_adjust(uh->dgram_cksum, olen, nlen, 2);

		c = csum_adjust(c, zero, idw, 2);
		uh->dgram_cksum = c ? c : 0xffff;
	}
	return true;
}

/* Rewrite `m` to leave from `peer` towards its remote, and queue it;
 * false when it was dropped instead. */
static bool
relay_out(struct dp_lcore *lc, struct rte_mbuf *m, struct dp_leg *peer,
	  uint64_t remote)
{
	struct dp_main *dm = lc->dm;
	const struct dp_iface *out = &dm->ifaces[peer->iface];
	uint32_t dst = dp_remote_addr(remote), nh;
	struct rte_ether_addr mac;
	struct rte_ether_hdr *eh;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *uh;
	uint16_t old[6], new_[6];

	nh = dp_neigh_next_hop(out, dst);
	if (nh == 0) {
		dp_drop(lc, m, DP_DROP_NO_ROUTE);
		return false;
	}
	if (!dp_neigh_lookup(out, nh, &mac)) {
		dp_neigh_solicit(lc, out, nh);
		dp_drop(lc, m, DP_DROP_NEIGH_UNRESOLVED);
		return false;
	}
	if (peer->kind == SL_LEG_MUX &&
	    !mux_prepend(m, __atomic_load_n(&peer->mux_id_tx,
					    __ATOMIC_RELAXED))) {
		dp_drop(lc, m, DP_DROP_NO_HEADROOM);
		return false;
	}
	eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	ip = (struct rte_ipv4_hdr *)((char *)eh + m->l2_len);
	uh = (struct rte_udp_hdr *)((char *)ip + m->l3_len);
	eh->dst_addr = mac;
	eh->src_addr = out->mac;
	memcpy(old, &ip->src_addr, 8);
	memcpy(old + 4, &uh->src_port, 4);
	ip->src_addr = out->ip;
	ip->dst_addr = dst;
	uh->src_port = rte_cpu_to_be_16(peer->local_port);
	uh->dst_port = rte_cpu_to_be_16(dp_remote_port(remote));
	memcpy(new_, &ip->src_addr, 8);
	memcpy(new_ + 4, &uh->src_port, 4);
	if (uh->dgram_cksum != 0) {
		uint16_t c = csum_adjust(uh->dgram_cksum, old, new_, 6);

		uh->dgram_cksum = c ? c : 0xffff;
	}
	ip->time_to_live = RELAY_TTL;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	__atomic_fetch_add(&peer->pkts_out, 1, __ATOMIC_RELAXED);
	dp_tx(lc, out->idx, m);
	return true;
}

/* One packet; true when it was relayed. */
static bool
media_one(struct dp_lcore *lc, const struct dp_iface *in, struct rte_mbuf *m,
	  struct dp_leg *leg, uint64_t now)
{
	const struct dp_flow *ft = &lc->dm->flow;
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)((char *)eh +
							  m->l2_len);
	struct rte_udp_hdr *uh = (struct rte_udp_hdr *)((char *)ip +
							m->l3_len);
	struct dp_leg *peer;
	uint64_t src, remote;

	if (leg == NULL) {
		dp_drop(lc, m, DP_DROP_MEDIA_NO_LEG);
		return false;
	}
	if (leg->iface != in->idx) {
		__atomic_fetch_add(&leg->drops, 1, __ATOMIC_RELAXED);
		dp_drop(lc, m, DP_DROP_MEDIA_WRONG_IFACE);
		return false;
	}
	src = dp_remote_pack(ip->src_addr, rte_be_to_cpu_16(uh->src_port));
	if (!media_source_ok(lc, leg, src)) {
		__atomic_fetch_add(&leg->drops, 1, __ATOMIC_RELAXED);
		dp_drop(lc, m, DP_DROP_MEDIA_WRONG_SOURCE);
		return false;
	}
	dp_neigh_learn(in, ip->src_addr, &eh->src_addr);
	__atomic_fetch_add(&leg->pkts_in, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&leg->bytes_in, m->pkt_len - m->l2_len,
			   __ATOMIC_RELAXED);
	__atomic_store_n(&leg->last_rx_tsc, now, __ATOMIC_RELAXED);
	peer = dp_flow_leg(ft, __atomic_load_n(&leg->peer_id,
					       __ATOMIC_RELAXED));
	if (peer == NULL) {
		__atomic_fetch_add(&leg->drops, 1, __ATOMIC_RELAXED);
		dp_drop(lc, m, DP_DROP_MEDIA_NO_PEER);
		return false;
	}
	remote = __atomic_load_n(&peer->remote, __ATOMIC_RELAXED);
	if (!(remote & DP_REMOTE_VALID)) {
		__atomic_fetch_add(&leg->drops, 1, __ATOMIC_RELAXED);
		dp_drop(lc, m, DP_DROP_MEDIA_PEER_NO_REMOTE);
		return false;
	}
	return relay_out(lc, m, peer, remote);
}

void
dp_media_process(struct dp_lcore *lc, unsigned ifc, struct rte_mbuf **pkts,
		 uint16_t n)
{
	const struct dp_flow *ft = &lc->dm->flow;
	const struct dp_iface *in = &lc->dm->ifaces[ifc];
	struct dp_leg *legs[DP_MAX_BURST];
	uint64_t now = rte_rdtsc();
	uint16_t i, relayed = 0;

	/* Phase 1: every packet's leg, prefetched; phase 2: the work. */
	for (i = 0; i < n; i++) {
		const struct rte_udp_hdr *uh = rte_pktmbuf_mtod_offset(pkts[i],
			const struct rte_udp_hdr *,
			pkts[i]->l2_len + pkts[i]->l3_len);

		legs[i] = dp_flow_leg_by_port(ft,
					      rte_be_to_cpu_16(uh->dst_port));
		if (legs[i] != NULL)
			rte_prefetch0(legs[i]);
	}
	for (i = 0; i < n; i++)
		relayed += media_one(lc, in, pkts[i], legs[i], now);
	dp_count(&lc->stats.relayed_pkts, relayed);
}
