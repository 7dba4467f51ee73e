/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp.h — sluice-dp's process state, per-lcore state and stage entry points.
 *
 *          NIC port (per interface)                 kernel (TAP "sluice0")
 *   RX q[w] ──► worker w: classify ──► local reply ─┐        ▲
 *                            │ ├─► turn / media / demux      │
 *                            │ └─► punt ring[w] ──► service lcore ──► TAP TX
 *   TX q[w] ◄── TX buffer ◄──┘◄── inject ring[w] ◄── service lcore ◄── TAP RX
 *
 * Worker lcores own one RX and one TX queue of every NIC port and never touch
 * the kernel interface: punted packets cross an SP/SC ring to the service lcore
 * (the EAL main lcore), which alone polls and writes the TAP, so a slow kernel
 * can stall neither the fast path nor another worker. What the kernel sends
 * crosses back on a per-worker inject ring, chosen by flow hash so that a TCP
 * connection stays in order.
 *
 * All state is in one struct dp_main; all per-lcore state in one cache-aligned
 * struct dp_lcore. Counters are written only by their lcore, once per burst,
 * and summed by whoever reads them (telemetry).
 */
#ifndef SLUICE_DP_H
#define SLUICE_DP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dp_flow.h"
#include "dp_turn.h"
#include "sl_config.h"

#define DP_MAX_IFACES     SL_CFG_MAX_IFACES
#define DP_MAX_WORKERS    64
#define DP_MAX_BURST      64
#define DP_KNI_BURST      32
#define DP_WORKER_EVT_RING 1024
#define DP_CMD_RING_SLOTS  4096
#define DP_EVT_RING_SLOTS  16384

enum dp_drop_reason {
#define DP_DROP(sym, name, help) DP_DROP_##sym,
#include "dp_reasons.def"
#undef DP_DROP
	DP_DROP_MAX
};

enum dp_punt_reason {
#define DP_PUNT(sym, name, help) DP_PUNT_##sym,
#include "dp_reasons.def"
#undef DP_PUNT
	DP_PUNT_MAX
};

extern const char *const dp_drop_names[DP_DROP_MAX];
extern const char *const dp_punt_names[DP_PUNT_MAX];

/* What a UDP destination port on one of our addresses leads to. */
enum dp_stage {
	DP_STAGE_CLOSED = 0,     /* drop: udp_port_closed */
	DP_STAGE_TURN,           /* TURN listening ports */
	DP_STAGE_TURN_RELAY,     /* TURN relay range */
	DP_STAGE_DEMUX,          /* demultiplexing (multiplexed media) ports */
	DP_STAGE_MEDIA,          /* non-multiplexed media range */
	DP_STAGE_PUNT_SIGNALING, /* SIP, H.323 RAS, zone ports: the kernel */
	DP_STAGE_PUNT_EPHEMERAL, /* kernel client sockets */
	DP_STAGE_MAX
};

/*
 * Per-lcore counters. Written by the owning lcore only (relaxed stores, once
 * per burst), read by the telemetry thread (relaxed loads).
 */
struct dp_stats {
	uint64_t rx_pkts;
	uint64_t rx_bytes;
	uint64_t tx_pkts;
	uint64_t tx_bytes;
	uint64_t local_replies;      /* ARP and ICMP echo answered here */
	uint64_t arp_requests;       /* sent to resolve a relay next hop */
	uint64_t relayed_pkts;       /* media and TURN packets relayed */
	uint64_t keepalives;         /* multiplexed keep-alives consumed */
	uint64_t rtcp_reports;       /* RTCP SR/RR read for call quality */
	uint64_t worker_events_lost; /* worker → service event queue full */
	uint64_t kernel_rx_pkts;     /* from the kernel interface (service) */
	uint64_t kernel_tx_pkts;     /* to the kernel interface (service) */
	uint64_t polls;
	uint64_t busy_polls;
	uint64_t busy_tsc;           /* cycles in polls that found packets */
	uint64_t idle_tsc;           /* cycles in polls that found none */
	uint64_t idle_sleeps;
	uint64_t drops[DP_DROP_MAX];
	uint64_t punts[DP_PUNT_MAX];
};

/* One appliance interface: a NIC port and its kernel twin. */
struct dp_iface {
	const struct sl_iface *cfg;
	unsigned idx;                /* in dp_main.ifaces */
	uint16_t nic_port;
	uint16_t kni_port;           /* exception path (TAP) */
	struct rte_ether_addr mac;
	rte_be32_t ip;               /* network order */
	rte_be32_t mask;             /* network order */
	rte_be32_t gateway;          /* network order; 0: none */
	uint64_t *neigh;             /* dp_neigh.c */
	char nic_name[RTE_ETH_NAME_MAX_LEN];
	char kni_name[RTE_ETH_NAME_MAX_LEN];
};

struct dp_main;

struct dp_lcore {
	struct dp_main *dm;
	unsigned lcore_id;
	unsigned worker;                         /* index among workers */
	uint16_t burst;
	uint64_t drain_tsc;                      /* TX flush period */
	uint64_t prev_flush_tsc;
	uint64_t idle_threshold_tsc;
	uint64_t idle_since_tsc;                 /* 0: not idle */
	struct rte_eth_dev_tx_buffer *txb[DP_MAX_IFACES];
	struct rte_ring *punt_ring;              /* worker -> service, SP/SC */
	struct rte_ring *inject_ring;            /* service -> worker, SP/SC */
	struct rte_ring *evt_ring;               /* worker -> service events */
	struct rte_ring *turn_ring;              /* TURN requests -> service,
						  * SP/SC (dp_turn.h) */
	uint64_t solicit_tsc;                    /* last ARP request sent */
	uint32_t tid_salt;                       /* Data indications' ids: */
	uint64_t tid_seq;                        /* random salt, a counter */
	struct dp_stats stats __rte_cache_aligned;
} __rte_cache_aligned;

struct dp_main {
	const struct sl_config *cfg;
	char instance[64];
	uint64_t start_tsc;
	uint64_t tsc_hz;
	struct rte_mempool *pool;
	unsigned n_ifaces;
	struct dp_iface ifaces[DP_MAX_IFACES];
	uint8_t udp_stage[65536];                /* destination port -> stage */
	uint16_t kni_to_iface[RTE_MAX_ETHPORTS];  /* TAP port id -> iface */
	unsigned n_workers;
	struct dp_lcore *workers[DP_MAX_WORKERS];
	struct dp_lcore service;                 /* main lcore's counters */
	struct dp_flow flow;                     /* flow tables (dp_flow.h) */
	struct dp_turn turn;                     /* TURN tables (dp_turn.h) */
	struct dp_ctl *ctl;                      /* command service (dp_ctl.c) */
	volatile bool quit;
};

/* dp_init.c — called once from the main thread after rte_eal_init(). */
struct dp_main *dp_main_create(const struct sl_config *cfg,
			       const char *instance);
int dp_iface_setup(struct dp_main *dm, unsigned idx, uint16_t nic_port,
		   int kni_port);
int dp_workers_setup(struct dp_main *dm, const unsigned *lcore_ids,
		     unsigned n);
void dp_main_destroy(struct dp_main *dm);
void dp_stage_map_build(struct dp_main *dm);

/* dp_port.c — ports from the config's device strings. */
int dp_port_probe(const char *devargs, uint16_t *port_id);
int dp_port_configure(struct dp_main *dm, uint16_t port_id, uint16_t nb_rxq,
		      uint16_t nb_txq, bool want_rss);
int dp_kni_create(const struct dp_iface *ifc, uint16_t *port_id);
void dp_port_close(uint16_t port_id);

/* dp_kif.c — the kernel side of the exception path. */
int dp_kif_configure(const struct sl_iface *cfg);
int dp_kif_quiet_nic(const char *devargs);

/* dp_rx.c — the worker poll loop. */
unsigned dp_worker_poll(struct dp_lcore *lc);
int dp_worker_main(void *arg);

/* dp_classify.c — parse and dispatch one burst from interface `ifc`. */
void dp_classify_burst(struct dp_lcore *lc, unsigned ifc,
		       struct rte_mbuf **pkts, uint16_t n);

/*
 * dp_local.c — answers for the appliance itself. Each returns true when the
 * packet belongs to the kernel (the caller punts it) and false when it was
 * consumed: answered in place and queued for TX, or dropped and counted.
 */
bool dp_arp_input(struct dp_lcore *lc, const struct dp_iface *ifc,
		  struct rte_mbuf *m, uint32_t l2_len);
bool dp_icmp_input(struct dp_lcore *lc, const struct dp_iface *ifc,
		   struct rte_mbuf *m, uint32_t l2_len);

/*
 * Events a worker hands to the service lcore (dp_ctl.c turns them into
 * shared-memory events). 16 bytes, an rte_ring element.
 */
enum dp_wevt_type {
	DP_WEVT_LATCHED = 1,
};

struct dp_wevt {
	uint16_t type;
	uint8_t component;           /* enum sl_component */
	uint8_t pad0;
	uint32_t leg_id;
	uint64_t remote;             /* dp_remote_pack() */
};

void dp_worker_event(struct dp_lcore *lc, uint32_t type, uint32_t leg_id,
		     unsigned component, uint64_t remote);

/* dp_media.c — media legs: port pairs (media) and multiplexIDs (demux). */
void dp_media_process(struct dp_lcore *lc, unsigned ifc,
		      struct rte_mbuf **pkts, uint16_t n);
void dp_demux_process(struct dp_lcore *lc, unsigned ifc,
		      struct rte_mbuf **pkts, uint16_t n);

/* dp_neigh.c — next hops for relayed packets. */
int dp_neigh_init(struct dp_iface *ifc, int socket);
void dp_neigh_fini(struct dp_iface *ifc);
void dp_neigh_learn(const struct dp_iface *ifc, uint32_t ip_be,
		    const struct rte_ether_addr *mac);
uint32_t dp_neigh_next_hop(const struct dp_iface *ifc, uint32_t dst_be);
bool dp_neigh_lookup(const struct dp_iface *ifc, uint32_t ip_be,
		     struct rte_ether_addr *mac);
void dp_neigh_solicit(struct dp_lcore *lc, const struct dp_iface *ifc,
		      uint32_t ip_be);
/* From an lcore without TX queues (the service lcore): when `dst_be`'s next
 * hop out of ifc is unknown, an ARP request for it queued to `inject` (a
 * worker's inject ring), so that the first packet relayed to a peer just
 * permitted finds its MAC. True when one was queued. */
bool dp_neigh_resolve(struct dp_lcore *lc, const struct dp_iface *ifc,
		      uint32_t dst_be, struct rte_ring *inject);

/* dp_ctl.c — the service lcore's side of the shared-memory interface. */
struct dp_ctl;
int dp_ctl_init(struct dp_main *dm, uint32_t cmd_slots, uint32_t evt_slots);
void dp_ctl_start(struct dp_main *dm);
unsigned dp_ctl_poll(struct dp_main *dm);
void dp_ctl_fini(struct dp_main *dm);
struct sl_shm *dp_ctl_shm(struct dp_main *dm);  /* tests, benchmarks */
/* An ALLOC_CREATED / ALLOC_EXPIRED event for the control plane (none when
 * no command service runs). */
void dp_ctl_alloc_event(struct dp_main *dm, uint16_t type,
			const struct dp_alloc *a, const char *username,
			uint32_t reason);

/* dp_punt.c — exception path, both directions. */
void dp_punt(struct dp_lcore *lc, struct rte_mbuf *m,
	     enum dp_punt_reason why);
unsigned dp_inject_drain(struct dp_lcore *lc);
unsigned dp_service_poll(struct dp_main *dm);

/* dp_tx.c — per-port TX buffers. */
void dp_tx(struct dp_lcore *lc, unsigned ifc, struct rte_mbuf *m);
void dp_tx_flush(struct dp_lcore *lc);
int dp_tx_buffers_init(struct dp_lcore *lc, unsigned n_ifaces, int socket);

/* dp_eal.c — after rte_eal_cleanup(): the runtime dir and hugepage files. */
void dp_eal_files_remove(const char *runtime_dir, const char *file_prefix);

/* dp_telemetry.c */
int dp_telemetry_register(struct dp_main *dm);
void dp_stats_sum(const struct dp_main *dm, struct dp_stats *out);

/* Counters: the owning lcore adds, others read. */
static inline void
dp_count(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, *c + n, __ATOMIC_RELAXED);
}

static inline void
dp_drop(struct dp_lcore *lc, struct rte_mbuf *m, enum dp_drop_reason why)
{
	dp_count(&lc->stats.drops[why], 1);
	rte_pktmbuf_free(m);
}

#endif /* SLUICE_DP_H */
