/* SPDX-License-Identifier: BSD-3-Clause */
/* dp_testbed.c — see dp_testbed.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_eth_ring.h>

#include "dp_testbed.h"

static struct rte_ring *
tb_ring(const char *name)
{
	struct rte_ring *r = rte_ring_create(name, 1024, (int)rte_socket_id(),
					     RING_F_SP_ENQ | RING_F_SC_DEQ);

	if (r == NULL) {
		fprintf(stderr, "ring %s: %s\n", name, rte_strerror(rte_errno));
		exit(1);
	}
	return r;
}

static uint16_t
tb_ring_port(const char *name, struct rte_ring *rx, struct rte_ring *tx)
{
	int port = rte_eth_from_rings(name, &rx, 1, &tx, 1,
				      (unsigned)rte_socket_id());

	if (port < 0) {
		fprintf(stderr, "ring port %s: %s\n", name,
			rte_strerror(rte_errno));
		exit(1);
	}
	return (uint16_t)port;
}

static void
tb_eal_init(const char *name, unsigned lcore, unsigned mem_mb)
{
	char prefix[128], lcores[16], mem[16];
	char *argv[] = { "sluice-testbed", "--no-huge", "-m", mem, "--no-pci",
			 "--no-telemetry", "-l", lcores,
			 "--log-level", "*:warning", prefix, NULL };

	snprintf(mem, sizeof(mem), "%u", mem_mb);
	snprintf(lcores, sizeof(lcores), "%u", lcore);
	snprintf(prefix, sizeof(prefix), "--file-prefix=sl-%s-%d", name,
		 (int)getpid());
	if (rte_eal_init(RTE_DIM(argv) - 1, argv) < 0) {
		fprintf(stderr, "SKIP: EAL init failed: %s\n",
			rte_strerror(rte_errno));
		exit(77);
	}
}

void
dp_testbed_init(struct dp_testbed *tb, const char *name, const char *yaml,
		unsigned lcore, unsigned mem_mb)
{
	memset(tb, 0, sizeof(*tb));
	tb->cfg = sl_config_load_buffer("testbed.yaml", yaml, strlen(yaml),
					stderr);
	if (tb->cfg == NULL)
		exit(1);
	tb_eal_init(name, lcore, mem_mb);
	tb->nic_rx = tb_ring("tb_nic_rx");
	tb->nic_tx = tb_ring("tb_nic_tx");
	tb->kni_rx = tb_ring("tb_kni_rx");
	tb->kni_tx = tb_ring("tb_kni_tx");
	tb->nic_port = tb_ring_port("tb_nic", tb->nic_rx, tb->nic_tx);
	tb->kni_port = tb_ring_port("tb_kni", tb->kni_rx, tb->kni_tx);
	tb->dm = dp_main_create(tb->cfg, name);
	if (tb->dm == NULL || dp_workers_setup(tb->dm, &lcore, 1) != 0 ||
	    dp_iface_setup(tb->dm, 0, tb->nic_port, tb->kni_port) != 0) {
		fprintf(stderr, "dataplane setup failed\n");
		exit(1);
	}
	tb->lc = tb->dm->workers[0];
}

void
dp_testbed_ring_drain(struct rte_ring *r)
{
	struct rte_mbuf *m;

	while (rte_ring_sc_dequeue(r, (void **)&m) == 0)
		rte_pktmbuf_free(m);
}

void
dp_testbed_fini(struct dp_testbed *tb)
{
	char dir[PATH_MAX];

	dp_testbed_ring_drain(tb->nic_rx);
	dp_testbed_ring_drain(tb->nic_tx);
	dp_testbed_ring_drain(tb->kni_rx);
	dp_testbed_ring_drain(tb->kni_tx);
	rte_eth_dev_stop(tb->nic_port);
	rte_eth_dev_stop(tb->kni_port);
	rte_eth_dev_close(tb->nic_port);
	rte_eth_dev_close(tb->kni_port);
	dp_ctl_fini(tb->dm);
	dp_main_destroy(tb->dm);
	sl_config_free(tb->cfg);
	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	dp_eal_files_remove(dir, NULL);
}
