/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_punt.c — the exception path between the fast path and the kernel
 * interface (TAP) that carries the appliance's address, so that SIP, H.323,
 * TLS, TCP TURN and management run on ordinary sockets.
 *
 *   worker w ── punt_ring[w] (SP/SC) ──► service lcore ──► TAP tx
 *   worker w ◄─ inject_ring[w] (SP/SC) ── service lcore ◄── TAP rx
 *
 * Only the service lcore touches the TAP (its syscalls never run on a
 * worker). A full ring drops and counts; it never blocks a worker.
 *
 * Reads: m->port (the NIC port a punted packet arrived on).
 * Sets: m->port to the interface index on injected packets.
 */
#include <rte_ip.h>
#include <rte_tcp.h>

#include "dp.h"

void
dp_punt(struct dp_lcore *lc, struct rte_mbuf *m, enum dp_punt_reason why)
{
	if (rte_ring_sp_enqueue(lc->punt_ring, m) != 0) {
		dp_drop(lc, m, DP_DROP_PUNT_RING_FULL);
		return;
	}
	dp_count(&lc->stats.punts[why], 1);
}

/* Packets the kernel sent, queued by the service lcore for this worker. */
unsigned
dp_inject_drain(struct dp_lcore *lc)
{
	struct rte_mbuf *pkts[DP_KNI_BURST];
	unsigned n, i;

	n = rte_ring_sc_dequeue_burst(lc->inject_ring, (void **)pkts,
				      DP_KNI_BURST, NULL);
	for (i = 0; i < n; i++)
		dp_tx(lc, pkts[i]->port, pkts[i]);
	return n;
}

static unsigned
iface_of_nic_port(const struct dp_main *dm, uint16_t port)
{
	unsigned i;

	for (i = 0; i < dm->n_ifaces; i++)
		if (dm->ifaces[i].nic_port == port)
			return i;
	return 0;
}

/* Send a batch of punted packets, all from one worker, to their TAPs. */
static void
kni_send(struct dp_main *dm, struct rte_mbuf **pkts, unsigned n)
{
	struct rte_mbuf *per_if[DP_MAX_IFACES][DP_KNI_BURST];
	unsigned cnt[DP_MAX_IFACES] = { 0 };
	struct dp_stats *st = &dm->service.stats;
	unsigned i, sent;

	for (i = 0; i < n; i++) {
		unsigned ifc = iface_of_nic_port(dm, pkts[i]->port);
		per_if[ifc][cnt[ifc]++] = pkts[i];
	}
	for (i = 0; i < dm->n_ifaces; i++) {
		if (cnt[i] == 0)
			continue;
		sent = rte_eth_tx_burst(dm->ifaces[i].kni_port, 0, per_if[i],
					cnt[i]);
		dp_count(&st->kernel_tx_pkts, sent);
		if (sent < cnt[i]) {
			rte_pktmbuf_free_bulk(&per_if[i][sent], cnt[i] - sent);
			dp_count(&st->drops[DP_DROP_KERNEL_TX_FULL],
				 cnt[i] - sent);
		}
	}
}

/*
 * Which worker transmits a packet from the kernel: by flow, so that one TCP
 * connection always crosses the same inject ring and stays in order.
 */
static unsigned
inject_worker(const struct dp_main *dm, const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eh;
	const struct rte_ipv4_hdr *ip;
	uint32_t h;

	if (dm->n_workers == 1 ||
	    rte_pktmbuf_data_len(m) < sizeof(*eh) + sizeof(*ip) + 4)
		return 0;
	eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (eh->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return 0;
	ip = (const struct rte_ipv4_hdr *)(eh + 1);
	h = ip->src_addr ^ ip->dst_addr ^ ip->next_proto_id;
	if (ip->next_proto_id == IPPROTO_TCP ||
	    ip->next_proto_id == IPPROTO_UDP)
		h ^= *(const uint32_t *)((const uint8_t *)ip +
					 rte_ipv4_hdr_len(ip));
	h ^= h >> 16;
	return h % dm->n_workers;
}

static unsigned
kni_receive(struct dp_main *dm, unsigned ifc)
{
	struct rte_mbuf *pkts[DP_KNI_BURST];
	struct dp_stats *st = &dm->service.stats;
	unsigned n, i;

	n = rte_eth_rx_burst(dm->ifaces[ifc].kni_port, 0, pkts, DP_KNI_BURST);
	if (n == 0)
		return 0;
	dp_count(&st->kernel_rx_pkts, n);
	for (i = 0; i < n; i++) {
		struct dp_lcore *w = dm->workers[inject_worker(dm, pkts[i])];

		pkts[i]->port = ifc;
		if (rte_ring_sp_enqueue(w->inject_ring, pkts[i]) != 0)
			dp_drop(&dm->service, pkts[i],
				DP_DROP_INJECT_RING_FULL);
	}
	return n;
}

/* One pass of the service lcore over the exception path and the TURN
 * requests (dp_turn_svc.c); returns how many packets it moved. */
unsigned
dp_service_poll(struct dp_main *dm)
{
	struct rte_mbuf *pkts[DP_KNI_BURST];
	uint64_t t0 = rte_rdtsc();
	unsigned w, i, n, got = 0;

	for (w = 0; w < dm->n_workers; w++) {
		n = rte_ring_sc_dequeue_burst(dm->workers[w]->punt_ring,
					      (void **)pkts, DP_KNI_BURST,
					      NULL);
		if (n) {
			kni_send(dm, pkts, n);
			got += n;
		}
	}
	for (i = 0; i < dm->n_ifaces; i++)
		got += kni_receive(dm, i);
	got += dp_turn_service(dm);
	dp_turn_sweep(dm, rte_rdtsc());

	dp_count(&dm->service.stats.polls, 1);
	if (got) {
		dp_count(&dm->service.stats.busy_polls, 1);
		dp_count(&dm->service.stats.busy_tsc, rte_rdtsc() - t0);
	} else {
		dp_count(&dm->service.stats.idle_tsc, rte_rdtsc() - t0);
	}
	return got;
}
