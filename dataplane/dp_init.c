/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_init.c — builds struct dp_main from the validated config, once, on the
 * main thread after rte_eal_init(): the mbuf pool, the worker lcores with
 * their rings and TX buffers, the UDP port → stage map, and each interface's
 * NIC and kernel ports. Nothing here runs on the fast path.
 */
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_random.h>

#include "dp.h"
#include "dp_log.h"

const char *const dp_drop_names[DP_DROP_MAX] = {
#define DP_DROP(sym, name, help) [DP_DROP_##sym] = name,
#include "dp_reasons.def"
#undef DP_DROP
};

const char *const dp_punt_names[DP_PUNT_MAX] = {
#define DP_PUNT(sym, name, help) [DP_PUNT_##sym] = name,
#include "dp_reasons.def"
#undef DP_PUNT
};

RTE_LOG_REGISTER(dp_logtype, sluice.dp, INFO);

static void
stage_map_range(struct dp_main *dm, struct sl_port_range r, enum dp_stage s)
{
	uint32_t p;

	for (p = r.lo; p <= r.hi; p++)
		dm->udp_stage[p] = s;
}

static void
stage_map_port(struct dp_main *dm, uint16_t port, enum dp_stage s)
{
	dm->udp_stage[port] = s;
}

/*
 * UDP destination port → stage, from the profile's port plan. The config has
 * already rejected overlaps, so the order below only matters for the demux
 * pairs, which sit inside the media range by design.
 */
void
dp_stage_map_build(struct dp_main *dm)
{
	const struct sl_config *c = dm->cfg;
	struct sl_port_range demux;
	unsigned i;

	memset(dm->udp_stage, DP_STAGE_CLOSED, sizeof(dm->udp_stage));
	stage_map_range(dm, c->turn.listen, DP_STAGE_TURN);
	stage_map_range(dm, c->turn.relay, DP_STAGE_TURN_RELAY);
	stage_map_range(dm, c->media.ports, DP_STAGE_MEDIA);
	demux.lo = c->media.demux_rtp_port;
	demux.hi = demux.lo + 2 * c->media.demux_pairs - 1;
	stage_map_range(dm, demux, DP_STAGE_DEMUX);
	stage_map_port(dm, c->sip.udp_port, DP_STAGE_PUNT_SIGNALING);
	stage_map_port(dm, c->h323.ras_port, DP_STAGE_PUNT_SIGNALING);
	for (i = 0; i < c->n_zones; i++)
		if (c->zones[i].protocol == SL_ZONE_H323)
			stage_map_port(dm, c->zones[i].port,
				       DP_STAGE_PUNT_SIGNALING);
	stage_map_range(dm, c->ephemeral, DP_STAGE_PUNT_EPHEMERAL);
	/* sluice-cp's TURN cluster exchange (cp_cluster.c) */
	if (c->turn.n_cluster_peers > 0)
		stage_map_port(dm, c->turn.cluster_port,
			       DP_STAGE_PUNT_SIGNALING);
}

struct dp_main *
dp_main_create(const struct sl_config *cfg, const char *instance)
{
	struct dp_main *dm;
	char name[RTE_MEMPOOL_NAMESIZE];

	dm = rte_zmalloc("dp_main", sizeof(*dm), RTE_CACHE_LINE_SIZE);
	if (dm == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	dm->cfg = cfg;
	snprintf(dm->instance, sizeof(dm->instance), "%s", instance);
	dm->tsc_hz = rte_get_tsc_hz();
	dm->start_tsc = rte_rdtsc();
	dm->n_ifaces = cfg->n_ifaces;
	dm->service.dm = dm;
	dm->service.lcore_id = rte_get_main_lcore();

	/* names are per EAL instance, and each instance has its own prefix */
	snprintf(name, sizeof(name), "sl_mbuf");
	dm->pool = rte_pktmbuf_pool_create(name, cfg->dataplane.mbufs,
					   cfg->dataplane.mbuf_cache, 0,
					   RTE_MBUF_DEFAULT_BUF_SIZE,
					   rte_socket_id());
	if (dm->pool == NULL) {
		DP_LOG(ERR, "cannot create %u mbufs: %s (dataplane.mbufs; "
		       "give EAL more memory with -m or hugepages)",
		       cfg->dataplane.mbufs, rte_strerror(rte_errno));
		rte_free(dm);
		return NULL;
	}
	if (dp_flow_init(&dm->flow, cfg, instance, rte_socket_id()) != 0) {
		rte_mempool_free(dm->pool);
		rte_free(dm);
		return NULL;
	}
	if (dp_turn_init(dm, rte_socket_id()) != 0) {
		dp_flow_fini(&dm->flow);
		rte_mempool_free(dm->pool);
		rte_free(dm);
		return NULL;
	}
	dp_stage_map_build(dm);
	return dm;
}

static struct rte_ring *
worker_ring(const char *what, unsigned w, unsigned size, int socket)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "sl_%s_%u", what, w);
	return rte_ring_create(name, size, socket,
			       RING_F_SP_ENQ | RING_F_SC_DEQ);
}

/* Latch events and the like, worker → service lcore (dp_ctl.c). */
static struct rte_ring *
worker_evt_ring(unsigned w, int socket)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "sl_wevt_%u", w);
	return rte_ring_create_elem(name, sizeof(struct dp_wevt),
				    DP_WORKER_EVT_RING, socket,
				    RING_F_SP_ENQ | RING_F_SC_DEQ);
}

static struct dp_lcore *
worker_create(struct dp_main *dm, unsigned lcore_id, unsigned w)
{
	const struct sl_config *c = dm->cfg;
	int socket = rte_lcore_to_socket_id(lcore_id);
	struct dp_lcore *lc;

	lc = rte_zmalloc_socket("dp_lcore", sizeof(*lc), RTE_CACHE_LINE_SIZE,
				socket);
	if (lc == NULL)
		return NULL;
	lc->dm = dm;
	lc->lcore_id = lcore_id;
	lc->worker = w;
	lc->burst = c->dataplane.burst;
	lc->tid_salt = (uint32_t)rte_rand();
	lc->tid_seq = rte_rand();
	lc->drain_tsc = dm->tsc_hz * c->dataplane.tx_flush_us / US_PER_S;
	lc->idle_threshold_tsc =
		dm->tsc_hz * c->dataplane.idle_threshold_us / US_PER_S;
	lc->punt_ring = worker_ring("punt", w, c->dataplane.punt_ring_size,
				    socket);
	lc->inject_ring = worker_ring("inj", w, c->dataplane.punt_ring_size,
				      socket);
	lc->evt_ring = worker_evt_ring(w, socket);
	if (dm->turn.enabled)
		lc->turn_ring = worker_ring("turn", w, DP_TURN_RING_SIZE,
					    socket);
	if (lc->punt_ring == NULL || lc->inject_ring == NULL ||
	    lc->evt_ring == NULL ||
	    (dm->turn.enabled && lc->turn_ring == NULL) ||
	    dp_tx_buffers_init(lc, dm->n_ifaces, socket) != 0) {
		DP_LOG(ERR, "worker %u: cannot allocate rings or TX buffers: "
		       "%s", w, rte_strerror(rte_errno));
		return lc; /* caller frees through dp_main_destroy */
	}
	return lc;
}

int
dp_workers_setup(struct dp_main *dm, const unsigned *lcore_ids, unsigned n)
{
	unsigned w;

	if (n == 0 || n > DP_MAX_WORKERS) {
		DP_LOG(ERR, "%u worker lcores: need 1 to %u", n,
		       DP_MAX_WORKERS);
		return -1;
	}
	for (w = 0; w < n; w++) {
		struct dp_lcore *lc = worker_create(dm, lcore_ids[w], w);

		if (lc == NULL)
			return -1;
		dm->workers[w] = lc;
		dm->n_workers = w + 1;
		if (lc->punt_ring == NULL || lc->inject_ring == NULL ||
		    lc->evt_ring == NULL || lc->txb[dm->n_ifaces - 1] == NULL)
			return -1;
	}
	return 0;
}

/*
 * Interface idx: NIC port with one RX and one TX queue per worker (RSS where
 * the device has it), kernel port with one of each for the service lcore.
 */
int
dp_iface_setup(struct dp_main *dm, unsigned idx, uint16_t nic_port,
	       int kni_port)
{
	struct dp_iface *ifc = &dm->ifaces[idx];
	int rc;

	if (kni_port < 0 || kni_port >= RTE_MAX_ETHPORTS) {
		DP_LOG(ERR, "interface %u: no kernel port", idx);
		return -1;
	}
	ifc->idx = idx;
	ifc->cfg = &dm->cfg->ifaces[idx];
	ifc->nic_port = nic_port;
	ifc->kni_port = kni_port;
	ifc->ip = ifc->cfg->address;
	if (dp_neigh_init(ifc, rte_socket_id()) != 0) {
		DP_LOG(ERR, "interface %u: no memory for the neighbour table",
		       idx);
		return -1;
	}
	rte_eth_dev_get_name_by_port(nic_port, ifc->nic_name);
	rte_eth_dev_get_name_by_port(kni_port, ifc->kni_name);
	rc = rte_eth_macaddr_get(nic_port, &ifc->mac);
	if (rc != 0) {
		DP_LOG(ERR, "%s: cannot read MAC address: %s", ifc->nic_name,
		       rte_strerror(-rc));
		return -1;
	}
	if (dp_port_configure(dm, nic_port, dm->n_workers, dm->n_workers,
			      dm->n_workers > 1) != 0 ||
	    dp_port_configure(dm, kni_port, 1, 1, false) != 0)
		return -1;
	dm->kni_to_iface[kni_port] = idx;
	return 0;
}

static void
worker_free(struct dp_lcore *lc)
{
	unsigned i;

	rte_ring_free(lc->punt_ring);
	rte_ring_free(lc->inject_ring);
	rte_ring_free(lc->evt_ring);
	rte_ring_free(lc->turn_ring);
	for (i = 0; i < DP_MAX_IFACES; i++)
		rte_free(lc->txb[i]);
	rte_free(lc);
}

/* After the workers stopped and the ports closed. */
void
dp_main_destroy(struct dp_main *dm)
{
	unsigned w;

	if (dm == NULL)
		return;
	for (w = 0; w < dm->n_workers; w++) {
		struct rte_mbuf *m;

		/* whatever sat in the rings goes back to the pool */
		while (rte_ring_dequeue(dm->workers[w]->punt_ring,
					(void **)&m) == 0)
			rte_pktmbuf_free(m);
		while (rte_ring_dequeue(dm->workers[w]->inject_ring,
					(void **)&m) == 0)
			rte_pktmbuf_free(m);
		while (dm->workers[w]->turn_ring != NULL &&
		       rte_ring_dequeue(dm->workers[w]->turn_ring,
					(void **)&m) == 0)
			rte_pktmbuf_free(m);
		worker_free(dm->workers[w]);
	}
	for (w = 0; w < DP_MAX_IFACES; w++)
		dp_neigh_fini(&dm->ifaces[w]);
	dp_turn_fini(&dm->turn);
	dp_flow_fini(&dm->flow);
	rte_mempool_free(dm->pool);
	rte_free(dm);
}
