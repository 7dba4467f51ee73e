/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_tx.c — the last stage: per-lcore, per-interface TX buffers (l3fwd style).
 * A buffer goes to the NIC when it holds a burst, or when the lcore's TSC
 * timer (dataplane.tx_flush_us) fires, so a lone packet never waits longer
 * than that. What the TX queue refuses is freed and counted as tx_full.
 *
 * Reads: m->pkt_len. The TX queue of interface i on worker w is queue w.
 */
#include <rte_malloc.h>

#include "dp.h"

/* TX refused a tail of the buffer: free it, count it, and take its bytes back
 * out of tx_bytes (counted when queued). Runs on the owning lcore. */
static void
dp_tx_refused(struct rte_mbuf **pkts, uint16_t unsent, void *userdata)
{
	struct dp_lcore *lc = userdata;
	uint64_t bytes = 0;
	uint16_t i;

	for (i = 0; i < unsent; i++)
		bytes += pkts[i]->pkt_len;
	rte_pktmbuf_free_bulk(pkts, unsent);
	dp_count(&lc->stats.drops[DP_DROP_TX_FULL], unsent);
	dp_count(&lc->stats.tx_bytes, -bytes); /* modular: subtracts */
}

int
dp_tx_buffers_init(struct dp_lcore *lc, unsigned n_ifaces, int socket)
{
	unsigned i;

	for (i = 0; i < n_ifaces; i++) {
		lc->txb[i] = rte_zmalloc_socket("dp_txb",
				RTE_ETH_TX_BUFFER_SIZE(lc->burst), 0, socket);
		if (lc->txb[i] == NULL) {
			rte_errno = ENOMEM;
			return -1;
		}
		rte_eth_tx_buffer_init(lc->txb[i], lc->burst);
		rte_eth_tx_buffer_set_err_callback(lc->txb[i], dp_tx_refused,
						   lc);
	}
	return 0;
}

void
dp_tx(struct dp_lcore *lc, unsigned ifc, struct rte_mbuf *m)
{
	uint16_t port = lc->dm->ifaces[ifc].nic_port;
	uint16_t sent;

	dp_count(&lc->stats.tx_bytes, m->pkt_len);
	sent = rte_eth_tx_buffer(port, lc->worker, lc->txb[ifc], m);
	if (sent)
		dp_count(&lc->stats.tx_pkts, sent);
}

void
dp_tx_flush(struct dp_lcore *lc)
{
	const struct dp_main *dm = lc->dm;
	uint16_t sent = 0;
	unsigned i;

	for (i = 0; i < dm->n_ifaces; i++)
		sent += rte_eth_tx_buffer_flush(dm->ifaces[i].nic_port,
						lc->worker, lc->txb[i]);
	if (sent)
		dp_count(&lc->stats.tx_pkts, sent);
}
