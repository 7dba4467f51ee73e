/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_classify.c — the first stage after RX: parse Ethernet/IPv4/UDP, answer
 * what the appliance answers itself, and hand every other packet to exactly
 * one of: a fast-path stage (turn, media, demux), the exception path (punt),
 * or a drop with a named reason.
 *
 *   rx ──► classify ──┬─► ARP request for us / ICMP echo ──► tx (in place)
 *                     ├─► UDP: udp_stage[dport] ──► turn | media | demux
 *                     ├─► UDP to a TURN relay port of one of
 *                     │   turn.relay_addresses ──► turn relay
 *                     ├─► TCP, signaling UDP, ICMP errors, ARP replies ──► punt
 *                     └─► drop (reason counted)
 *
 * Reads: m->pkt_len, m->data_len, m->nb_segs, m->ol_flags (RX IP checksum
 * status), the headers in the first segment.
 * Sets: m->l2_len, m->l3_len for the stages; trims Ethernet padding so that
 * m->pkt_len is the IP datagram plus its Ethernet header.
 * Headers must lie in the first segment (they always do for frames of RX
 * mempool buffers); payload may span segments.
 */
#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_prefetch.h>
#include <rte_udp.h>

#include "dp.h"

#define IPV4_MF_OR_OFFSET \
	rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)

/* Packets bound for one fast-path stage, collected per burst. */
struct stage_batch {
	uint16_t n;
	struct rte_mbuf *pkts[DP_MAX_BURST];
};

static bool
mac_is_ours(const struct dp_iface *ifc, const struct rte_ether_addr *a)
{
	return rte_is_same_ether_addr(a, &ifc->mac) ||
	       rte_is_broadcast_ether_addr(a);
}

/* Sources no real peer has: ours, 0/8, loopback, multicast, class E. */
static bool
ipv4_source_is_bogus(const struct dp_iface *ifc, rte_be32_t src_be)
{
	uint32_t src = rte_be_to_cpu_32(src_be);
	uint8_t top = src >> 24;

	return src_be == ifc->ip || top == 0 || top == 127 || top >= 224;
}

static bool
ipv4_header_ok(struct dp_lcore *lc, struct rte_mbuf *m,
	       const struct rte_ipv4_hdr *ip, uint32_t l2_len)
{
	uint32_t hlen, tlen;

	if ((ip->version_ihl >> 4) != 4 ||
	    (hlen = rte_ipv4_hdr_len(ip)) < sizeof(*ip) ||
	    l2_len + hlen > rte_pktmbuf_data_len(m)) {
		dp_drop(lc, m, DP_DROP_IP4_BAD_HEADER);
		return false;
	}
	tlen = rte_be_to_cpu_16(ip->total_length);
	if (tlen < hlen || tlen > m->pkt_len - l2_len) {
		dp_drop(lc, m, DP_DROP_IP4_BAD_LEN);
		return false;
	}
	switch (m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) {
	case RTE_MBUF_F_RX_IP_CKSUM_GOOD:
		break;
	case RTE_MBUF_F_RX_IP_CKSUM_BAD:
		dp_drop(lc, m, DP_DROP_IP4_BAD_CSUM);
		return false;
	default:
		/* a header with a right checksum sums to 0xffff */
		if (rte_raw_cksum(ip, hlen) != 0xffff) {
			dp_drop(lc, m, DP_DROP_IP4_BAD_CSUM);
			return false;
		}
	}
	/* Ethernet pads short frames to 60 bytes: cut what IP disowns. */
	if (m->pkt_len > l2_len + tlen)
		rte_pktmbuf_trim(m, m->pkt_len - (l2_len + tlen));
	m->l3_len = hlen;
	return true;
}

/* relay_only: to an extra relay address, which carries relayed UDP
 * only (the kernel does not have it). */
static void
classify_udp(struct dp_lcore *lc, struct rte_mbuf *m,
	     const struct rte_ipv4_hdr *ip, struct stage_batch *batch,
	     bool relay_only)
{
	const struct dp_main *dm = lc->dm;
	uint32_t off = m->l2_len + m->l3_len;
	uint32_t ip_payload = rte_be_to_cpu_16(ip->total_length) - m->l3_len;
	const struct rte_udp_hdr *uh;
	uint16_t ulen;
	enum dp_stage stage;

	if (ip_payload < sizeof(*uh) ||
	    off + sizeof(*uh) > rte_pktmbuf_data_len(m)) {
		dp_drop(lc, m, DP_DROP_UDP_BAD_LEN);
		return;
	}
	uh = rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *, off);
	ulen = rte_be_to_cpu_16(uh->dgram_len);
	if (ulen < sizeof(*uh) || ulen > ip_payload) {
		dp_drop(lc, m, DP_DROP_UDP_BAD_LEN);
		return;
	}
	stage = dm->udp_stage[rte_be_to_cpu_16(uh->dst_port)];
	if (relay_only && stage != DP_STAGE_TURN_RELAY)
		stage = DP_STAGE_CLOSED;
	switch (stage) {
	case DP_STAGE_PUNT_SIGNALING:
		dp_punt(lc, m, DP_PUNT_UDP_SIGNALING);
		return;
	case DP_STAGE_PUNT_EPHEMERAL:
		dp_punt(lc, m, DP_PUNT_UDP_EPHEMERAL);
		return;
	case DP_STAGE_CLOSED:
	case DP_STAGE_MAX:
		dp_drop(lc, m, DP_DROP_UDP_PORT_CLOSED);
		return;
	default:
		batch[stage].pkts[batch[stage].n++] = m;
	}
}

static void
classify_ipv4(struct dp_lcore *lc, const struct dp_iface *ifc,
	      struct rte_mbuf *m, struct stage_batch *batch)
{
	struct rte_ipv4_hdr *ip;
	bool relay_only;

	if (m->pkt_len < m->l2_len + sizeof(*ip) ||
	    rte_pktmbuf_data_len(m) < m->l2_len + sizeof(*ip)) {
		dp_drop(lc, m, DP_DROP_RUNT);
		return;
	}
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
	if (!ipv4_header_ok(lc, m, ip, m->l2_len))
		return;
	if (ip->fragment_offset & IPV4_MF_OR_OFFSET) {
		dp_drop(lc, m, DP_DROP_IP4_FRAGMENT);
		return;
	}
	relay_only = ip->dst_addr != ifc->ip;
	if (relay_only &&
	    dp_turn_relay_ai(&lc->dm->turn, ifc->idx, ip->dst_addr) < 0) {
		dp_drop(lc, m, DP_DROP_IP4_NOT_FOR_US);
		return;
	}
	if (ipv4_source_is_bogus(ifc, ip->src_addr)) {
		dp_drop(lc, m, DP_DROP_IP4_BAD_SOURCE);
		return;
	}
	if (relay_only && ip->next_proto_id != IPPROTO_UDP) {
		dp_drop(lc, m, DP_DROP_IP4_PROTO);
		return;
	}
	switch (ip->next_proto_id) {
	case IPPROTO_UDP:
		classify_udp(lc, m, ip, batch, relay_only);
		return;
	case IPPROTO_TCP:
		dp_punt(lc, m, DP_PUNT_TCP);
		return;
	case IPPROTO_ICMP:
		if (dp_icmp_input(lc, ifc, m, m->l2_len))
			dp_punt(lc, m, DP_PUNT_ICMP);
		return;
	default:
		dp_drop(lc, m, DP_DROP_IP4_PROTO);
	}
}

static void
classify_one(struct dp_lcore *lc, const struct dp_iface *ifc,
	     struct rte_mbuf *m, struct stage_batch *batch)
{
	const struct rte_ether_hdr *eh;

	if (rte_pktmbuf_data_len(m) < sizeof(*eh)) {
		dp_drop(lc, m, DP_DROP_RUNT);
		return;
	}
	eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (!mac_is_ours(ifc, &eh->dst_addr)) {
		dp_drop(lc, m, DP_DROP_L2_NOT_FOR_US);
		return;
	}
	m->l2_len = sizeof(*eh);
	switch (eh->ether_type) {
	case RTE_BE16(RTE_ETHER_TYPE_IPV4):
		if (rte_is_broadcast_ether_addr(&eh->dst_addr)) {
			dp_drop(lc, m, DP_DROP_IP4_NOT_FOR_US);
			return;
		}
		classify_ipv4(lc, ifc, m, batch);
		return;
	case RTE_BE16(RTE_ETHER_TYPE_ARP):
		if (dp_arp_input(lc, ifc, m, m->l2_len))
			dp_punt(lc, m, DP_PUNT_ARP_REPLY);
		return;
	case RTE_BE16(RTE_ETHER_TYPE_IPV6):
		dp_drop(lc, m, DP_DROP_IPV6);
		return;
	case RTE_BE16(RTE_ETHER_TYPE_VLAN):
	case RTE_BE16(RTE_ETHER_TYPE_QINQ):
		dp_drop(lc, m, DP_DROP_VLAN);
		return;
	default:
		dp_drop(lc, m, DP_DROP_ETHERTYPE);
	}
}

/* TURN traffic while turn.enabled is false: dropped under its own reason,
 * so an operator sees what arrived for the service that is off. */
static void
drop_batch(struct dp_lcore *lc, struct stage_batch *b,
	   enum dp_drop_reason why)
{
	if (b->n == 0)
		return;
	dp_count(&lc->stats.drops[why], b->n);
	rte_pktmbuf_free_bulk(b->pkts, b->n);
	b->n = 0;
}

void
dp_classify_burst(struct dp_lcore *lc, unsigned ifc, struct rte_mbuf **pkts,
		  uint16_t n)
{
	const struct dp_iface *ifp = &lc->dm->ifaces[ifc];
	bool turn_on = lc->dm->turn.enabled;
	struct stage_batch batch[DP_STAGE_MAX];
	uint16_t i;

	for (i = 0; i < DP_STAGE_MAX; i++)
		batch[i].n = 0;
	for (i = 0; i < n; i++) {
		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		classify_one(lc, ifp, pkts[i], batch);
	}
	if (!turn_on) {
		drop_batch(lc, &batch[DP_STAGE_TURN], DP_DROP_TURN_DISABLED);
		drop_batch(lc, &batch[DP_STAGE_TURN_RELAY],
			   DP_DROP_TURN_DISABLED);
	}
	if (batch[DP_STAGE_TURN].n)
		dp_turn_process(lc, ifc, batch[DP_STAGE_TURN].pkts,
				batch[DP_STAGE_TURN].n);
	if (batch[DP_STAGE_TURN_RELAY].n)
		dp_turn_relay_process(lc, ifc, batch[DP_STAGE_TURN_RELAY].pkts,
				      batch[DP_STAGE_TURN_RELAY].n);
	if (batch[DP_STAGE_DEMUX].n)
		dp_demux_process(lc, ifc, batch[DP_STAGE_DEMUX].pkts,
				 batch[DP_STAGE_DEMUX].n);
	if (batch[DP_STAGE_MEDIA].n)
		dp_media_process(lc, ifc, batch[DP_STAGE_MEDIA].pkts,
				 batch[DP_STAGE_MEDIA].n);
}
