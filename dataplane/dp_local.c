/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_local.c — what the appliance answers itself on the fast path: ARP for its
 * addresses and ICMP echo. Both reply in place (the request's mbuf becomes the
 * reply) and leave through the interface they came in on.
 *
 * Reads: m->l2_len, the ARP or IPv4/ICMP headers (first segment), m->pkt_len.
 * Sets: the whole reply; m->port is left as received.
 */
#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "dp.h"

#define ICMP_ECHO_REQUEST 8
#define ICMP_ECHO_REPLY   0
#define REPLY_TTL         64

static bool
arp_is_ethernet_ipv4(const struct rte_arp_hdr *a)
{
	return a->arp_hardware == RTE_BE16(RTE_ARP_HRD_ETHER) &&
	       a->arp_protocol == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
	       a->arp_hlen == RTE_ETHER_ADDR_LEN && a->arp_plen == 4;
}

/* Turn a request for our address into our reply, in place. */
static void
arp_reply_in_place(const struct dp_iface *ifc, struct rte_ether_hdr *eh,
		   struct rte_arp_hdr *a)
{
	struct rte_arp_ipv4 *d = &a->arp_data;
	uint32_t asked = d->arp_tip;    /* ours, or one of our relay addresses */

	a->arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
	d->arp_tha = d->arp_sha;
	d->arp_tip = d->arp_sip;
	d->arp_sha = ifc->mac;
	d->arp_sip = asked;
	eh->dst_addr = d->arp_tha;
	eh->src_addr = ifc->mac;
}

bool
dp_arp_input(struct dp_lcore *lc, const struct dp_iface *ifc,
	     struct rte_mbuf *m, uint32_t l2_len)
{
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *a;

	if (rte_pktmbuf_data_len(m) < l2_len + sizeof(*a)) {
		dp_drop(lc, m, DP_DROP_ARP_MALFORMED);
		return false;
	}
	a = rte_pktmbuf_mtod_offset(m, struct rte_arp_hdr *, l2_len);
	if (!arp_is_ethernet_ipv4(a)) {
		dp_drop(lc, m, DP_DROP_ARP_MALFORMED);
		return false;
	}
	if (a->arp_data.arp_tip != ifc->ip &&
	    dp_turn_relay_ai(&lc->dm->turn, ifc->idx,
			     a->arp_data.arp_tip) < 0) {
		dp_drop(lc, m, DP_DROP_ARP_NOT_FOR_US);
		return false;
	}
	switch (a->arp_opcode) {
	case RTE_BE16(RTE_ARP_OP_REQUEST):
		if (rte_is_multicast_ether_addr(&a->arp_data.arp_sha)) {
			dp_drop(lc, m, DP_DROP_ARP_MALFORMED);
			return false;
		}
		/* whoever asks for us is a next hop we may relay to */
		dp_neigh_learn(ifc, a->arp_data.arp_sip, &a->arp_data.arp_sha);
		arp_reply_in_place(ifc, eh, a);
		/* the reply is 42 bytes; drop whatever padding came with it */
		rte_pktmbuf_trim(m, m->pkt_len - (l2_len + sizeof(*a)));
		dp_count(&lc->stats.local_replies, 1);
		dp_tx(lc, ifc->idx, m);
		return false;
	case RTE_BE16(RTE_ARP_OP_REPLY):
		/* an answer to our request or the kernel's: both learn */
		dp_neigh_learn(ifc, a->arp_data.arp_sip, &a->arp_data.arp_sha);
		return true;
	default:
		dp_drop(lc, m, DP_DROP_ARP_MALFORMED);
		return false;
	}
}

static uint16_t
icmp_cksum(const struct rte_mbuf *m, uint32_t off, uint32_t len)
{
	uint16_t sum = 0;

	if (rte_raw_cksum_mbuf(m, off, len, &sum) != 0)
		return 0;
	return sum;
}

/*
 * Echo request to our address: reply in place. Anything else ICMP (errors for
 * the kernel's own sockets, replies to its pings) belongs to the kernel.
 */
bool
dp_icmp_input(struct dp_lcore *lc, const struct dp_iface *ifc,
	      struct rte_mbuf *m, uint32_t l2_len)
{
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip;
	struct rte_icmp_hdr *ic;
	uint32_t off, len;

	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l2_len);
	off = l2_len + m->l3_len;
	len = rte_be_to_cpu_16(ip->total_length) - m->l3_len;
	if (len < sizeof(*ic) || rte_pktmbuf_data_len(m) < off + sizeof(*ic) ||
	    icmp_cksum(m, off, len) != 0xffff) {
		dp_drop(lc, m, DP_DROP_ICMP_MALFORMED);
		return false;
	}
	ic = rte_pktmbuf_mtod_offset(m, struct rte_icmp_hdr *, off);
	if (ic->icmp_type != ICMP_ECHO_REQUEST || ic->icmp_code != 0)
		return true;

	ic->icmp_type = ICMP_ECHO_REPLY;
	ic->icmp_cksum = 0;
	ic->icmp_cksum = ~icmp_cksum(m, off, len);
	ip->dst_addr = ip->src_addr;
	ip->src_addr = ifc->ip;
	ip->time_to_live = REPLY_TTL;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	eh->dst_addr = eh->src_addr;
	eh->src_addr = ifc->mac;
	dp_count(&lc->stats.local_replies, 1);
	dp_tx(lc, ifc->idx, m);
	return false;
}
