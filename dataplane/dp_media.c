/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_media.c — the media stages: RTP/RTCP that a leg of the flow table owns,
 * relayed through the leg's peer.
 *
 *   media:  UDP to a port pair ── port_leg[dport] ──┐  RTP on the even port,
 *                                                   │  RTCP on the odd (or
 *   demux:  UDP to a demultiplexing pair:           │  on the even with
 *           check framing ── mux hash[ID] ──────────┤  rtcp-mux, RFC 5761)
 *                                                   ▼
 *            leg: interface, source check / latch (per component)
 *                 keep-alive? ── consumed (counted, latched from)
 *                 RTCP? ── first report block ── leg's call quality
 *                                                   │
 *            peer leg: its remote for the component, or "receiver not ready"
 *                                                   ▼
 *            framing  mux→mux: rewrite the ID in place
 *                     mux→port: strip it       port→mux: prepend it
 *            rewrite  MACs, IPv4 src/dst/TTL, UDP ports; checksums
 *                     incrementally (RFC 1624) ── tx(peer's interface)
 *
 * Latching (symmetric RTP), per leg and component: "strict" accepts only the
 * signaled remote; "once" learns the first source and then holds it;
 * "relatch" also holds it, but takes a new source once the leg has accepted
 * nothing for relatch_ms (an endpoint whose NAT binding changed). Every
 * other source is dropped and counted: that is the RTP-bleed defence. Each
 * latch is one compare-and-swap of a 64-bit word (two workers racing on a
 * first packet agree) and an event to the service lcore.
 *
 * Reads: m->l2_len and m->l3_len (set by classify), the Ethernet, IPv4 and
 * UDP headers in the first segment (with the multiplexID and the RTP/RTCP
 * header: classify left at least the UDP header there, and a check below
 * makes sure of the rest), m->pkt_len.
 * Sets: Ethernet addresses, IPv4 source/destination/TTL/length/checksum,
 * UDP ports/length/checksum; the multiplexID as the framing says.
 */
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_prefetch.h>
#include <rte_udp.h>

#include "dp.h"
#include "dp_pkt.h"
#include "dp_rtp.h"

#define UDP_HDRS(m) DP_UDP_HDRS(m)

/* How the multiplexID changes on the way through. */
enum frame_op {
	FRAME_KEEP,     /* port → port */
	FRAME_PREPEND,  /* port → mux */
	FRAME_STRIP,    /* mux → port */
	FRAME_REWRITE,  /* mux → mux */
};

/* One packet on its way through a leg. */
struct media_pkt {
	struct dp_leg *leg;
	const uint8_t *rtp;     /* RTP/RTCP: after the UDP header and ID */
	uint32_t rtp_len;
	bool whole;             /* all rtp_len bytes in the first segment */
	uint8_t comp;           /* enum sl_component */
	bool mux;               /* arrived framed with a multiplexID */
};

void
dp_worker_event(struct dp_lcore *lc, uint32_t type, uint32_t leg_id,
		unsigned component, uint64_t remote)
{
	struct dp_wevt ev = { .type = (uint16_t)type,
			      .component = (uint8_t)component,
			      .leg_id = leg_id, .remote = remote };

	if (lc->evt_ring == NULL ||
	    rte_ring_enqueue_elem(lc->evt_ring, &ev, sizeof(ev)) != 0)
		dp_count(&lc->stats.worker_events_lost, 1);
}

static inline bool
same_remote(uint64_t a, uint64_t b)
{
	return (a & DP_REMOTE_ADDR_PORT) == (b & DP_REMOTE_ADDR_PORT);
}

/* Accept or refuse `src` for one component of the leg, latching as its
 * policy says. */
static bool
source_ok(struct dp_lcore *lc, struct dp_leg *leg, unsigned comp,
	  uint64_t src, uint64_t now)
{
	uint64_t *slot = &leg->remote[comp];
	uint64_t cur = __atomic_load_n(slot, __ATOMIC_RELAXED);
	uint64_t latched = src | DP_REMOTE_LATCHED;

	switch (__atomic_load_n(&leg->latch, __ATOMIC_RELAXED)) {
	case SL_LATCH_ONCE:
		if (cur & DP_REMOTE_LATCHED)
			return same_remote(cur, src);
		break;
	case SL_LATCH_RELATCH:
		if ((cur & DP_REMOTE_LATCHED) &&
		    (same_remote(cur, src) ||
		     now - __atomic_load_n(&leg->last_rx_tsc,
					   __ATOMIC_RELAXED) <
		     __atomic_load_n(&leg->relatch_tsc, __ATOMIC_RELAXED)))
			return same_remote(cur, src);
		break;
	default: /* SL_LATCH_STRICT */
		return (cur & DP_REMOTE_VALID) && same_remote(cur, src);
	}
	if (!__atomic_compare_exchange_n(slot, &cur, latched, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		/* another worker latched first: hold to its choice */
		return same_remote(cur, src);
	dp_worker_event(lc, DP_WEVT_LATCHED, leg->id, comp, latched);
	return true;
}

static inline void
leg_drop(struct dp_lcore *lc, struct rte_mbuf *m, struct dp_leg *leg,
	 enum sl_leg_drop lwhy, enum dp_drop_reason why)
{
	dp_leg_count(&leg->drops[lwhy], 1);
	dp_drop(lc, m, why);
}

/* Applies the framing; false (nothing changed) when there is no headroom
 * for an ID. The ID's two words join the checksum as old/new words. */
static bool
frame_apply(struct rte_mbuf *m, enum frame_op op, uint32_t id_tx)
{
	static const uint16_t zero[2];
	rte_be32_t id_be = rte_cpu_to_be_32(id_tx), old_id;
	uint16_t idw[2], oidw[2];
	struct rte_udp_hdr *uh;
	uint8_t *idp;

	switch (op) {
	case FRAME_KEEP:
		return true;
	case FRAME_PREPEND:
		if (!dp_frame_resize(m, -(int)DP_MUX_ID_LEN))
			return false;
		idp = rte_pktmbuf_mtod_offset(m, uint8_t *, UDP_HDRS(m));
		memcpy(idp, &id_be, sizeof(id_be));
		memcpy(idw, &id_be, sizeof(idw));
		uh = dp_udp_hdr(m);
		uh->dgram_cksum = dp_udp_csum_adjust(uh->dgram_cksum, zero,
						     idw, 2);
		return true;
	case FRAME_STRIP:
		idp = rte_pktmbuf_mtod_offset(m, uint8_t *, UDP_HDRS(m));
		memcpy(oidw, idp, sizeof(oidw));
		dp_frame_resize(m, (int)DP_MUX_ID_LEN);
		uh = dp_udp_hdr(m);
		uh->dgram_cksum = dp_udp_csum_adjust(uh->dgram_cksum, oidw,
						     zero, 2);
		return true;
	case FRAME_REWRITE:
		idp = rte_pktmbuf_mtod_offset(m, uint8_t *, UDP_HDRS(m));
		memcpy(&old_id, idp, sizeof(old_id));
		memcpy(idp, &id_be, sizeof(id_be));
		memcpy(oidw, &old_id, sizeof(oidw));
		memcpy(idw, &id_be, sizeof(idw));
		uh = dp_udp_hdr(m);
		uh->dgram_cksum = dp_udp_csum_adjust(uh->dgram_cksum, oidw,
						     idw, 2);
		return true;
	}
	return false;
}

/* Rewrite `m` to leave from `peer`'s port `sport` towards `remote`, and
 * queue it; false when it was dropped instead. */
static bool
relay_out(struct dp_lcore *lc, struct rte_mbuf *m, struct dp_leg *leg,
	  struct dp_leg *peer, uint64_t remote, uint16_t sport,
	  enum frame_op op)
{
	struct dp_main *dm = lc->dm;
	const struct dp_iface *out = &dm->ifaces[peer->iface];
	struct rte_ether_addr mac;
	enum dp_drop_reason why;
	uint16_t oip[6];

	why = dp_next_hop(lc, out, dp_remote_addr(remote), &mac);
	if (why != 0) {
		leg_drop(lc, m, leg, SL_LEG_DROP_OTHER, why);
		return false;
	}
	dp_ip_words(rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
					    m->l2_len), oip);
	if (!frame_apply(m, op, __atomic_load_n(&peer->mux_id_tx,
						__ATOMIC_RELAXED))) {
		leg_drop(lc, m, leg, SL_LEG_DROP_OTHER, DP_DROP_NO_HEADROOM);
		return false;
	}
	/* classify verified the header checksum: every word the relay
	 * changed (the framing's length included) is folded in */
	dp_udp_readdress(m, out, &mac, sport, dp_remote_addr(remote),
			 dp_remote_port(remote), oip);
	dp_leg_count(&peer->pkts_out, 1);
	dp_leg_count(&peer->bytes_out, rte_pktmbuf_pkt_len(m) - UDP_HDRS(m));
	dp_tx(lc, out->idx, m);
	return true;
}

/* RTCP from the leg's party: its first report block is the leg's quality. */
static void
rtcp_inspect(struct dp_lcore *lc, struct dp_leg *leg, const uint8_t *p,
	     uint32_t len)
{
	struct dp_rtcp_report r;

	if (!dp_rtcp_first_report(p, len, &r))
		return;
	__atomic_store_n(&leg->q.ssrc, r.ssrc, __ATOMIC_RELAXED);
	__atomic_store_n(&leg->q.fraction_lost, r.fraction_lost,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&leg->q.cum_lost, r.cum_lost, __ATOMIC_RELAXED);
	__atomic_store_n(&leg->q.jitter, r.jitter, __ATOMIC_RELAXED);
	__atomic_store_n(&leg->q.reports, leg->q.reports + 1,
			 __ATOMIC_RELAXED);
	dp_count(&lc->stats.rtcp_reports, 1);
}

static inline bool
is_keepalive(const struct media_pkt *mp)
{
	if (!mp->mux || !mp->whole)
		return false;
	return mp->comp == SL_COMP_RTP ?
	       dp_rtp_is_keepalive(mp->rtp, mp->rtp_len,
				   __atomic_load_n(&mp->leg->keepalive_pt,
						   __ATOMIC_RELAXED)) :
	       dp_rtcp_is_keepalive(mp->rtp, mp->rtp_len);
}

/* One packet whose leg is known; true when it was relayed. */
static bool
leg_input(struct dp_lcore *lc, const struct dp_iface *in, struct rte_mbuf *m,
	  const struct media_pkt *mp, uint64_t now)
{
	const struct dp_flow *ft = &lc->dm->flow;
	struct dp_leg *leg = mp->leg, *peer;
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)((char *)eh +
							  m->l2_len);
	struct rte_udp_hdr *uh = (struct rte_udp_hdr *)((char *)ip +
							m->l3_len);
	unsigned comp = mp->comp;
	uint64_t src, remote;
	uint16_t sport;
	enum frame_op op;

	if (leg->iface != in->idx) {
		leg_drop(lc, m, leg, SL_LEG_DROP_OTHER,
			 DP_DROP_MEDIA_WRONG_IFACE);
		return false;
	}
	src = dp_remote_pack(ip->src_addr, rte_be_to_cpu_16(uh->src_port));
	if (!source_ok(lc, leg, comp, src, now)) {
		leg_drop(lc, m, leg, SL_LEG_DROP_WRONG_SOURCE,
			 DP_DROP_MEDIA_WRONG_SOURCE);
		return false;
	}
	dp_neigh_learn(in, ip->src_addr, &eh->src_addr);
	dp_leg_count(&leg->pkts_in, 1);
	dp_leg_count(&leg->bytes_in, rte_be_to_cpu_16(uh->dgram_len) -
		     sizeof(*uh));
	__atomic_store_n(&leg->last_rx_tsc, now, __ATOMIC_RELAXED);
	if (is_keepalive(mp)) {
		dp_leg_count(&leg->keepalives, 1);
		dp_count(&lc->stats.keepalives, 1);
		rte_pktmbuf_free(m);
		return false;
	}
	if (comp == SL_COMP_RTCP && mp->whole)
		rtcp_inspect(lc, leg, mp->rtp, mp->rtp_len);
	peer = dp_flow_leg(ft, __atomic_load_n(&leg->peer_id,
					       __ATOMIC_RELAXED));
	if (peer == NULL) {
		leg_drop(lc, m, leg, SL_LEG_DROP_NO_PEER, DP_DROP_MEDIA_NO_PEER);
		return false;
	}
	remote = __atomic_load_n(&peer->remote[comp], __ATOMIC_RELAXED);
	if (!(remote & DP_REMOTE_VALID)) {
		leg_drop(lc, m, leg, SL_LEG_DROP_NOT_READY,
			 DP_DROP_MEDIA_NOT_READY);
		return false;
	}
	sport = peer->local_port +
		(comp == SL_COMP_RTCP && !peer->rtcp_mux);
	if (peer->kind == SL_LEG_MUX)
		op = mp->mux ? FRAME_REWRITE : FRAME_PREPEND;
	else
		op = mp->mux ? FRAME_STRIP : FRAME_KEEP;
	return relay_out(lc, m, leg, peer, remote, sport, op);
}

/* The first bytes of the UDP payload must sit in the first segment for the
 * readers of dp_rtp.h; they do for any RX mempool frame, but say so. */
static inline bool
payload_contiguous(const struct rte_mbuf *m, uint32_t need)
{
	return UDP_HDRS(m) + need <= rte_pktmbuf_data_len(m);
}

static inline uint32_t
udp_payload_len(const struct rte_mbuf *m)
{
	const struct rte_udp_hdr *uh = rte_pktmbuf_mtod_offset(m,
		const struct rte_udp_hdr *, m->l2_len + m->l3_len);

	return rte_be_to_cpu_16(uh->dgram_len) - sizeof(*uh);
}

/*
 * Between the lookup and the work, the cache lines the work will touch:
 * the leg's counters, then (the leg's line 0 having had the lookup loop's
 * time to arrive) its peer's line 0 and the peer's out-counters. At a
 * million legs each is a likely miss; overlapping them across the burst is
 * most of the relay's cost there (docs/media.md).
 */
static inline void
legs_prefetch(const struct dp_flow *ft, struct dp_leg *const *legs,
	      uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		const struct dp_leg *peer;
		uint32_t pid;

		if (legs[i] == NULL)
			continue;
		rte_prefetch0(&legs[i]->pkts_in);
		pid = __atomic_load_n(&legs[i]->peer_id, __ATOMIC_RELAXED);
		if (pid == 0 || pid > ft->leg_cap)
			continue;
		peer = &ft->legs[pid];
		rte_prefetch0(peer);
		rte_prefetch0(&peer->pkts_out);
	}
}

static inline uint16_t
udp_dport(const struct rte_mbuf *m)
{
	const struct rte_udp_hdr *uh = rte_pktmbuf_mtod_offset(m,
		const struct rte_udp_hdr *, m->l2_len + m->l3_len);

	return rte_be_to_cpu_16(uh->dst_port);
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

	/* Phase 1: every packet's leg, prefetched, then what the legs lead
	 * to; phase 2: the work. */
	for (i = 0; i < n; i++) {
		legs[i] = dp_flow_leg_by_port(ft, udp_dport(pkts[i]));
		if (legs[i] != NULL)
			rte_prefetch0(legs[i]);
	}
	legs_prefetch(ft, legs, n);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct media_pkt mp = { .leg = legs[i], .mux = false };
		uint16_t dport = udp_dport(m);

		if (mp.leg == NULL) {
			dp_drop(lc, m, DP_DROP_MEDIA_NO_LEG);
			continue;
		}
		mp.rtp_len = udp_payload_len(m);
		if (!payload_contiguous(m, RTE_MIN(mp.rtp_len, 2u))) {
			leg_drop(lc, m, mp.leg, SL_LEG_DROP_OTHER,
				 DP_DROP_MEDIA_SEGMENTED);
			continue;
		}
		mp.rtp = rte_pktmbuf_mtod_offset(m, const uint8_t *,
						 UDP_HDRS(m));
		if (dport != mp.leg->local_port) {
			if (mp.leg->rtcp_mux) {
				/* the reserved odd port of an rtcp-mux pair */
				leg_drop(lc, m, mp.leg, SL_LEG_DROP_OTHER,
					 DP_DROP_MEDIA_RTCP_MUXED);
				continue;
			}
			mp.comp = SL_COMP_RTCP;
		} else {
			mp.comp = mp.leg->rtcp_mux &&
				  dp_rtp_is_rtcp(mp.rtp, mp.rtp_len) ?
				  SL_COMP_RTCP : SL_COMP_RTP;
		}
		mp.whole = payload_contiguous(m, mp.rtp_len);
		relayed += leg_input(lc, in, m, &mp, now);
	}
	dp_count(&lc->stats.relayed_pkts, relayed);
}

void
dp_demux_process(struct dp_lcore *lc, unsigned ifc, struct rte_mbuf **pkts,
		 uint16_t n)
{
	const struct dp_flow *ft = &lc->dm->flow;
	const struct dp_iface *in = &lc->dm->ifaces[ifc];
	struct rte_mbuf *ok[DP_MAX_BURST];
	uint32_t ids[DP_MAX_BURST];
	struct dp_leg *legs[DP_MAX_BURST];
	uint64_t now = rte_rdtsc();
	uint16_t i, k = 0, relayed = 0;

	/* Phase 1: framing checks, then every ID looked up at once. */
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t len = udp_payload_len(m);
		bool rtcp = udp_dport(m) & 1;
		enum dp_mux_verdict v;

		if (!payload_contiguous(m, RTE_MIN(len, DP_MUX_ID_LEN +
						   DP_RTP_HDR_LEN))) {
			dp_drop(lc, m, DP_DROP_MEDIA_SEGMENTED);
			continue;
		}
		v = dp_mux_frame_check(rte_pktmbuf_mtod_offset(m,
					const uint8_t *, UDP_HDRS(m)),
				       len, rtcp, &ids[k]);
		if (v == DP_MUX_SHORT) {
			dp_drop(lc, m, DP_DROP_DEMUX_SHORT);
			continue;
		}
		if (v == DP_MUX_ID_ZERO) {
			dp_drop(lc, m, DP_DROP_DEMUX_ID_ZERO);
			continue;
		}
		ok[k++] = m;
	}
	dp_flow_mux_lookup_bulk(ft, ids, k, legs);
	for (i = 0; i < k; i++)
		if (legs[i] != NULL)
			rte_prefetch0(legs[i]);
	legs_prefetch(ft, legs, k);
	for (i = 0; i < k; i++) {
		struct rte_mbuf *m = ok[i];
		uint16_t dport = udp_dport(m);
		struct media_pkt mp = { .leg = legs[i], .mux = true };

		if (mp.leg == NULL) {
			dp_drop(lc, m, DP_DROP_DEMUX_NO_LEG);
			continue;
		}
		if ((dport & ~1u) != mp.leg->local_port) {
			/* the ID is another pair's: the answer would leave
			 * from a port the party does not send to */
			leg_drop(lc, m, mp.leg, SL_LEG_DROP_OTHER,
				 DP_DROP_DEMUX_WRONG_PAIR);
			continue;
		}
		mp.comp = (dport & 1) ? SL_COMP_RTCP : SL_COMP_RTP;
		mp.rtp = rte_pktmbuf_mtod_offset(m, const uint8_t *,
						 UDP_HDRS(m) + DP_MUX_ID_LEN);
		mp.rtp_len = udp_payload_len(m) - DP_MUX_ID_LEN;
		mp.whole = payload_contiguous(m, DP_MUX_ID_LEN + mp.rtp_len);
		relayed += leg_input(lc, in, m, &mp, now);
	}
	dp_count(&lc->stats.relayed_pkts, relayed);
}
