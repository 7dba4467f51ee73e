/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_rx.c — the worker lcore's poll loop (l3fwd's shape):
 *
 *   for each interface: rx_burst(queue = worker index) → classify → stages
 *   drain the inject ring (packets the kernel sent)
 *   TSC timer: flush TX buffers
 *   account busy/idle cycles; one RCU quiescent state per loop
 *   optional idle back-off: offline + sleep when idle for a while
 *
 * Workers are liburcu QSBR readers: they hold no read-side lock, report a
 * quiescent state once per loop and go offline before sleeping, so the
 * service lcore (the single flow-table writer) never waits on a sleeper.
 */
#include <urcu-qsbr.h>

#include <rte_cycles.h>

#include "dp.h"

static uint64_t
burst_bytes(struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t b = 0;
	uint16_t i;

	for (i = 0; i < n; i++)
		b += pkts[i]->pkt_len;
	return b;
}

/* One pass over every RX queue of this worker; returns packets handled. */
unsigned
dp_worker_poll(struct dp_lcore *lc)
{
	struct dp_main *dm = lc->dm;
	struct rte_mbuf *pkts[DP_MAX_BURST];
	uint64_t t0 = rte_rdtsc(), t1;
	unsigned i, got = 0;
	uint16_t n;

	for (i = 0; i < dm->n_ifaces; i++) {
		n = rte_eth_rx_burst(dm->ifaces[i].nic_port, lc->worker, pkts,
				     lc->burst);
		if (n == 0)
			continue;
		dp_count(&lc->stats.rx_pkts, n);
		dp_count(&lc->stats.rx_bytes, burst_bytes(pkts, n));
		dp_classify_burst(lc, i, pkts, n);
		got += n;
	}
	got += dp_inject_drain(lc);

	t1 = rte_rdtsc();
	if (t1 - lc->prev_flush_tsc > lc->drain_tsc) {
		dp_tx_flush(lc);
		lc->prev_flush_tsc = t1;
	}
	dp_count(&lc->stats.polls, 1);
	if (got) {
		dp_count(&lc->stats.busy_polls, 1);
		dp_count(&lc->stats.busy_tsc, t1 - t0);
	} else {
		dp_count(&lc->stats.idle_tsc, t1 - t0);
	}
	return got;
}

/* Idle back-off: after idle_threshold of empty polls, sleep briefly. */
static void
worker_idle(struct dp_lcore *lc, unsigned got)
{
	const struct sl_config *cfg = lc->dm->cfg;
	uint64_t now;

	if (!cfg->dataplane.idle_backoff)
		return;
	if (got) {
		lc->idle_since_tsc = 0;
		return;
	}
	now = rte_rdtsc();
	if (lc->idle_since_tsc == 0) {
		lc->idle_since_tsc = now;
		return;
	}
	if (now - lc->idle_since_tsc < lc->idle_threshold_tsc)
		return;
	dp_tx_flush(lc);
	rcu_thread_offline();
	rte_delay_us_sleep(cfg->dataplane.idle_sleep_us);
	rcu_thread_online();
	dp_count(&lc->stats.idle_sleeps, 1);
}

int
dp_worker_main(void *arg)
{
	struct dp_lcore *lc = arg;
	struct dp_main *dm = lc->dm;
	unsigned got;

	rcu_register_thread();
	lc->prev_flush_tsc = rte_rdtsc();
	while (!__atomic_load_n(&dm->quit, __ATOMIC_RELAXED)) {
		got = dp_worker_poll(lc);
		rcu_quiescent_state();
		worker_idle(lc, got);
	}
	dp_tx_flush(lc);
	rcu_unregister_thread();
	return 0;
}
