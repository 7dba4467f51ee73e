/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_flow.h — the dataplane's flow tables: media legs, the local-port index,
 * the multiplexID hash and the credential store.
 *
 *   port_leg[65536] ──► leg id ─┐
 *   mux hash (mux_id_rx) ──► id ─┼─► legs[id]  (struct dp_leg, 128 bytes)
 *                               │      peer_id ──► legs[peer_id]
 *   cp's leg ids 1..leg_cap ────┘
 *
 * One writer: the service lcore, applying the control plane's commands
 * (dp_ctl.c). Readers: the workers, as liburcu QSBR readers that report a
 * quiescent state once per poll loop. A deleted leg is unhooked from its
 * index at once and its slot is reused only after a grace period
 * (dp_flow_reclaim), so a worker that found it in this poll loop reads a leg
 * whose fields are still the ones it had. Workers write only the leg's
 * counters and, when latching, its remote address (one 64-bit store).
 *
 * Everything is allocated at start from the profile's capacities; nothing is
 * allocated on a command or a packet.
 */
#ifndef SLUICE_DP_FLOW_H
#define SLUICE_DP_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

#include "sl_config.h"
#include "sl_ipc_types.h"

struct rte_hash;

enum dp_leg_state {
	DP_LEG_FREE = 0,
	DP_LEG_ACTIVE = 1,
	DP_LEG_RETIRING = 2,    /* unhooked, waiting for a grace period */
};

/* Packed remote: bit 63 valid, bits 16..47 IPv4 (network order), 0..15 port
 * (host order). One word so that a latch is a single atomic store. */
#define DP_REMOTE_VALID   (1ull << 63)
#define DP_REMOTE_LATCHED (1ull << 62)  /* learned from media */
#define DP_REMOTE_ADDR_PORT 0x0000ffffffffffffull

static inline uint64_t
dp_remote_pack(uint32_t addr_be, uint16_t port)
{
	return DP_REMOTE_VALID | ((uint64_t)addr_be << 16) | port;
}

static inline uint32_t
dp_remote_addr(uint64_t r)
{
	return (uint32_t)(r >> 16);
}

static inline uint16_t
dp_remote_port(uint64_t r)
{
	return (uint16_t)r;
}

struct dp_leg {
	/* line 0: what a worker reads per packet */
	uint32_t id;
	uint32_t peer_id;
	uint8_t state;          /* enum dp_leg_state */
	uint8_t kind;           /* enum sl_leg_kind */
	uint8_t iface;
	uint8_t latch;          /* enum sl_latch */
	uint16_t local_port;    /* host order */
	uint16_t pad0;
	uint32_t mux_id_rx;
	uint32_t mux_id_tx;
	uint64_t remote;        /* dp_remote_pack(); 0: unknown */
	uint8_t pad1[32];
	/* line 1: what workers write (atomic adds), the service reads */
	uint64_t pkts_in __rte_cache_aligned;
	uint64_t bytes_in;
	uint64_t pkts_out;
	uint64_t drops;
	uint64_t last_rx_tsc;
	/* service lcore only */
	uint64_t cookie;
	uint64_t idle_reported_tsc; /* last_rx_tsc when IDLE was sent */
	uint16_t idle_timeout_s;
	uint16_t pad2[3];
} __rte_cache_aligned;

struct dp_cred {
	char username[SL_USERNAME_MAX];
	uint8_t key[16];
	uint8_t in_use;
};

struct dp_flow {
	uint32_t leg_cap;               /* leg ids 1..leg_cap */
	uint32_t n_legs;                /* active */
	struct dp_leg *legs;            /* [leg_cap + 1] */
	uint32_t *port_leg;             /* [65536]: local port → leg id */
	struct rte_hash *mux;           /* mux_id_rx → leg id */
	uint16_t media_min, media_max;  /* ports a PORT leg may take */
	uint16_t demux_min, demux_max;  /* demultiplexing ports */
	unsigned n_ifaces;
	uint64_t tsc_hz;
	/* credentials (the TURN stage reads them) */
	uint32_t cred_cap, n_creds;
	struct dp_cred *creds;          /* [cred_cap] */
	struct rte_hash *cred_hash;     /* username → index */
	/* service lcore: legs and hash slots waiting for a grace period */
	uint32_t *retire_legs;
	int32_t *retire_mux_pos;
	uint32_t n_retire;
	uint64_t retire_since_tsc;
	uint64_t grace_periods;
};

/* Memory the tables need for `cfg`, for EAL sizing. */
uint64_t dp_flow_mem_bytes(const struct sl_config *cfg);

/* Main thread, at start / at exit. */
int dp_flow_init(struct dp_flow *ft, const struct sl_config *cfg,
		 const char *instance, int socket);
void dp_flow_fini(struct dp_flow *ft);

/* Service lcore only. Each returns an enum sl_result; on error nothing
 * changed. `why` (optional) receives a sentence for the log. */
enum sl_result dp_flow_leg_add(struct dp_flow *ft,
			       const struct sl_leg_spec *s,
			       char *why, size_t whylen);
enum sl_result dp_flow_leg_mod(struct dp_flow *ft,
			       const struct sl_leg_spec *s,
			       char *why, size_t whylen);
enum sl_result dp_flow_leg_del(struct dp_flow *ft, uint32_t id);
void dp_flow_leg_spec(const struct dp_leg *l, struct sl_leg_spec *s,
		      struct sl_leg_counters *c);
enum sl_result dp_flow_cred_set(struct dp_flow *ft, const char *user,
				const uint8_t key[16]);
enum sl_result dp_flow_cred_del(struct dp_flow *ft, const char *user);

/*
 * Service lcore: hands retired slots back once every reader has passed a
 * quiescent state. Batches: waits for a grace period only when `force`, when
 * the batch is large, or when it is older than a millisecond.
 */
void dp_flow_reclaim(struct dp_flow *ft, bool force);

/* --- readers (workers, between two quiescent states) ---------------------- */

static inline struct dp_leg *
dp_flow_leg(const struct dp_flow *ft, uint32_t id)
{
	struct dp_leg *l;

	if (id == 0 || id > ft->leg_cap)
		return NULL;
	l = &ft->legs[id];
	return __atomic_load_n(&l->state, __ATOMIC_ACQUIRE) == DP_LEG_ACTIVE ?
	       l : NULL;
}

static inline struct dp_leg *
dp_flow_leg_by_port(const struct dp_flow *ft, uint16_t port)
{
	return dp_flow_leg(ft, __atomic_load_n(&ft->port_leg[port],
					       __ATOMIC_ACQUIRE));
}

/* Burst lookup of multiplexIDs (host order); out[i] NULL on a miss. */
void dp_flow_mux_lookup_bulk(const struct dp_flow *ft, const uint32_t *ids,
			     unsigned n, struct dp_leg **out);

/* Key of a username in the credential hash: NUL-padded to 64 bytes. */
const struct dp_cred *dp_flow_cred_find(const struct dp_flow *ft,
					const char *user);

#endif /* SLUICE_DP_FLOW_H */
