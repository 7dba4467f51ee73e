/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_neigh.c — the dataplane's IPv4 neighbour table, for packets it relays
 * itself (media, TURN). The kernel keeps its own table behind the TAP for
 * what it sends; the fast path cannot ask it per packet.
 *
 * Per interface, 65536 words indexed by the low 16 bits of the on-link
 * address (host order); a word packs the next 16 address bits as a tag with
 * the 48-bit MAC:
 *
 *   63        48 47                                    0
 *   ┌──────────┬───────────────────────────────────────┐
 *   │ ip >> 16 │ MAC (0 = empty)                       │
 *   └──────────┴───────────────────────────────────────┘
 *
 * so an entry is read and written as one 64-bit word and any lcore may learn
 * (the last writer wins; every writer writes what it saw on the wire).
 * Entries come from ARP addressed to us and from the source of packets a
 * leg latches to. A miss sends an ARP request, at most one a millisecond per
 * lcore, and the packet is dropped as neigh_unresolved: media is a stream,
 * the next packet finds the answer.
 */
#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_malloc.h>

#include "dp.h"

#define NEIGH_ENTRIES 65536
#define MAC_MASK      0x0000ffffffffffffull

static uint64_t
mac_word(const struct rte_ether_addr *mac)
{
	uint64_t w = 0;
	int i;

	for (i = 0; i < RTE_ETHER_ADDR_LEN; i++)
		w = (w << 8) | mac->addr_bytes[i];
	return w;
}

/* One 6-byte copy, so that the caller's copy of the address loads what
 * two stores wrote (bytes stored one by one stall store forwarding). */
static void
word_mac(uint64_t w, struct rte_ether_addr *mac)
{
	uint64_t be = rte_cpu_to_be_64(w << 16);

	memcpy(mac->addr_bytes, &be, RTE_ETHER_ADDR_LEN);
}

int
dp_neigh_init(struct dp_iface *ifc, int socket)
{
	uint8_t plen = ifc->cfg->prefix_len;

	ifc->mask = plen ? rte_cpu_to_be_32(~0u << (32 - plen)) : 0;
	ifc->gateway = ifc->cfg->has_gateway ? ifc->cfg->gateway : 0;
	ifc->neigh = rte_zmalloc_socket("sl_neigh",
					NEIGH_ENTRIES * sizeof(uint64_t),
					RTE_CACHE_LINE_SIZE, socket);
	return ifc->neigh ? 0 : -1;
}

void
dp_neigh_fini(struct dp_iface *ifc)
{
	rte_free(ifc->neigh);
	ifc->neigh = NULL;
}

static bool
on_link(const struct dp_iface *ifc, uint32_t ip_be)
{
	return ((ip_be ^ ifc->ip) & ifc->mask) == 0;
}

void
dp_neigh_learn(const struct dp_iface *ifc, uint32_t ip_be,
	       const struct rte_ether_addr *mac)
{
	uint32_t ip = rte_be_to_cpu_32(ip_be);
	uint64_t w;

	if (!on_link(ifc, ip_be) || ip_be == ifc->ip ||
	    !rte_is_unicast_ether_addr(mac) || rte_is_zero_ether_addr(mac))
		return;
	w = ((uint64_t)(ip >> 16) << 48) | mac_word(mac);
	if (__atomic_load_n(&ifc->neigh[ip & 0xffff], __ATOMIC_RELAXED) != w)
		__atomic_store_n(&ifc->neigh[ip & 0xffff], w,
				 __ATOMIC_RELAXED);
}

uint32_t
dp_neigh_next_hop(const struct dp_iface *ifc, uint32_t dst_be)
{
	return on_link(ifc, dst_be) ? dst_be : ifc->gateway;
}

bool
dp_neigh_lookup(const struct dp_iface *ifc, uint32_t ip_be,
		struct rte_ether_addr *mac)
{
	uint32_t ip = rte_be_to_cpu_32(ip_be);
	uint64_t w = __atomic_load_n(&ifc->neigh[ip & 0xffff],
				     __ATOMIC_RELAXED);

	if ((w & MAC_MASK) == 0 || (w >> 48) != (ip >> 16))
		return false;
	word_mac(w & MAC_MASK, mac);
	return true;
}

/* An ARP request for ip_be out of ifc, at most one a millisecond per lcore:
 * the frame, or NULL (too soon, or no mbuf). */
static struct rte_mbuf *
arp_request(struct dp_lcore *lc, const struct dp_iface *ifc, uint32_t ip_be)
{
	uint64_t now = rte_rdtsc();
	struct rte_ether_hdr *eh;
	struct rte_arp_hdr *a;
	struct rte_mbuf *m;

	if (now - lc->solicit_tsc < lc->dm->tsc_hz / 1000)
		return NULL;
	lc->solicit_tsc = now;
	m = rte_pktmbuf_alloc(lc->dm->pool);
	if (m == NULL)
		return NULL;
	eh = (struct rte_ether_hdr *)rte_pktmbuf_append(m,
			sizeof(*eh) + sizeof(*a));
	a = (struct rte_arp_hdr *)(eh + 1);
	memset(&eh->dst_addr, 0xff, sizeof(eh->dst_addr));
	eh->src_addr = ifc->mac;
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	a->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	a->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	a->arp_hlen = RTE_ETHER_ADDR_LEN;
	a->arp_plen = 4;
	a->arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST);
	a->arp_data.arp_sha = ifc->mac;
	a->arp_data.arp_sip = ifc->ip;
	memset(&a->arp_data.arp_tha, 0, sizeof(a->arp_data.arp_tha));
	a->arp_data.arp_tip = ip_be;
	m->port = ifc->idx;
	dp_count(&lc->stats.arp_requests, 1);
	return m;
}

void
dp_neigh_solicit(struct dp_lcore *lc, const struct dp_iface *ifc,
		 uint32_t ip_be)
{
	struct rte_mbuf *m = arp_request(lc, ifc, ip_be);

	if (m != NULL)
		dp_tx(lc, ifc->idx, m);
}

bool
dp_neigh_resolve(struct dp_lcore *lc, const struct dp_iface *ifc,
		 uint32_t dst_be, struct rte_ring *inject)
{
	struct rte_ether_addr mac;
	uint32_t nh = dp_neigh_next_hop(ifc, dst_be);
	struct rte_mbuf *m;

	if (nh == 0 || dp_neigh_lookup(ifc, nh, &mac))
		return false;
	m = arp_request(lc, ifc, nh);
	if (m == NULL)
		return false;
	if (rte_ring_sp_enqueue(inject, m) != 0) {
		dp_drop(lc, m, DP_DROP_INJECT_RING_FULL);
		return false;
	}
	return true;
}
