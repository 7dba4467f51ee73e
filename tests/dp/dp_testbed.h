/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_testbed.h — sluice-dp's own dp_main on net_ring ports, in-process, for
 * the dp test suite and the benchmarks (one set-up, used by both):
 *
 *   nic_rx ring ──► [NIC ring port] ──► dp_worker_poll() ──► [NIC] ──► nic_tx
 *   kni_rx ring ──► [kernel stand-in port] ◄── dp_service_poll() ──► kni_tx
 *
 * EAL runs with --no-huge, one lcore and a file prefix unique to the run;
 * dp_testbed_fini() removes the runtime directory again.
 */
#ifndef SLUICE_DP_TESTBED_H
#define SLUICE_DP_TESTBED_H

#include <limits.h>

#include "dp.h"

struct dp_testbed {
	struct sl_config *cfg;
	struct dp_main *dm;
	struct dp_lcore *lc;            /* the one worker */
	struct rte_ring *nic_rx, *nic_tx, *kni_rx, *kni_tx;
	uint16_t nic_port, kni_port;
};

/*
 * Config from `yaml`, EAL (`mem_mb` of --no-huge memory, lcore `lcore`),
 * ring ports, dp_main with one worker on `lcore`. Exits 77 when EAL cannot
 * start here, 1 on any other failure (a test or benchmark cannot go on).
 */
void dp_testbed_init(struct dp_testbed *tb, const char *name,
		     const char *yaml, unsigned lcore, unsigned mem_mb);

/* Frees what sits in the rings, closes the ports, tears down EAL and its
 * runtime directory. */
void dp_testbed_fini(struct dp_testbed *tb);

/* Free every mbuf waiting in `r`. */
void dp_testbed_ring_drain(struct rte_ring *r);

#endif
