/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_flow.h — the dataplane's flow tables: media legs, the local-port index,
 * the multiplexID hash and the credential store.
 *
 *   port_leg[65536] ──► leg id ─┐   (a PORT leg's RTP and RTCP ports)
 *   mux hash (mux_id_rx) ──► id ─┼─► legs[id]  (struct dp_leg, 192 bytes)
 *                               │      peer_id ──► legs[peer_id]
 *   cp's leg ids 1..leg_cap ────┘
 *
 * One writer: the service lcore, applying the control plane's commands
 * (dp_ctl.c). Readers: the workers, as liburcu QSBR readers that report a
 * quiescent state once per poll loop. A deleted leg is unhooked from its
 * index at once and its slot is reused only after a grace period
 * (dp_flow_reclaim), so a worker that found it in this poll loop reads a leg
 * whose fields are still the ones it had. Workers write only the leg's
 * counters and, when latching, its remote addresses (one 64-bit store
 * each).
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
#include "stun.h"

struct rte_hash;
struct dp_hash_u32;

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

/*
 * One leg, three cache lines, each with one writer in the common case:
 *   line 0  read per packet; written by the service lcore (commands) and,
 *           latching, by the worker (remote[], one 64-bit store each)
 *   line 1  written by the worker that receives the leg's party's packets
 *   line 2  written by the worker that relays to the leg's party (the
 *           peer's receiver), RTCP figures by line 1's worker; the service
 *           lcore's own fields
 * Counters are plain relaxed load + store, not locked adds: RSS keeps a
 * 5-tuple on one queue, so one worker writes a line; when two workers do at
 * the same instant (packets from two sources for one leg) a count can be
 * lost, never a packet. A lock prefix per counter would cost more than the
 * rest of the relay (docs/media.md).
 */
struct dp_leg {
	/* line 0 */
	uint32_t id;
	uint32_t peer_id;
	uint8_t state;          /* enum dp_leg_state */
	uint8_t kind;           /* enum sl_leg_kind */
	uint8_t iface;
	uint8_t latch;          /* enum sl_latch */
	uint16_t local_port;    /* host order, even: RTP; RTCP is + 1 */
	uint8_t rtcp_mux;       /* PORT leg: RTCP on the RTP port */
	uint8_t keepalive_pt;   /* MUX: RTP keep-alive PT, 0xff: none */
	uint32_t mux_id_rx;
	uint32_t mux_id_tx;
	uint64_t remote[2];     /* [enum sl_component]: dp_remote_pack();
				 * 0: unknown */
	uint64_t relatch_tsc;   /* RELATCH: silence that frees the latch */
	uint8_t pad1[16];
	/* line 1: the receiving worker */
	uint64_t pkts_in __rte_cache_aligned;
	uint64_t bytes_in;
	uint64_t last_rx_tsc;   /* last accepted packet (media or keep-alive) */
	uint64_t keepalives;
	uint64_t drops[SL_LEG_DROP_MAX];
	/* line 2: the relaying worker, RTCP figures, the service lcore */
	uint64_t pkts_out __rte_cache_aligned;
	uint64_t bytes_out;
	struct sl_leg_quality q;
	uint64_t cookie;
	uint64_t idle_reported_tsc; /* last_rx_tsc when IDLE was sent */
	uint16_t idle_timeout_s;
	uint16_t relatch_ms;
	uint16_t pad2[2];
} __rte_cache_aligned;

_Static_assert(sizeof(struct dp_leg) == 3 * RTE_CACHE_LINE_SIZE,
	       "struct dp_leg is three cache lines");

/* A worker's counter add on a leg (see struct dp_leg). */
static inline void
dp_leg_count(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n,
			 __ATOMIC_RELAXED);
}

struct dp_cred {
	char username[SL_USERNAME_MAX];
	uint8_t key[16];
	uint8_t in_use;
	uint8_t has_sha256;     /* hk256 is set: PASSWORD-ALGORITHM SHA-256 */
	struct stun_key hk;     /* the MD5 key, prepared for HMACs (stun.h) */
	struct stun_key hk256;  /* the SHA-256 key, prepared */
};

struct dp_flow {
	uint32_t leg_cap;               /* leg ids 1..leg_cap */
	uint32_t n_legs;                /* active */
	struct dp_leg *legs;            /* [leg_cap + 1] */
	uint32_t *port_leg;             /* [65536]: local port → leg id */
	struct dp_hash_u32 *mux;        /* mux_id_rx → leg id (dp_hash.h) */
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
/* A leg as the ABI describes it; c and q optional. */
void dp_flow_leg_spec(const struct dp_leg *l, struct sl_leg_spec *s,
		      struct sl_leg_counters *c, struct sl_leg_quality *q);
/* key: MD5(user:realm:password); key_sha256: SHA-256 of the same, or NULL
 * (the user can then authenticate with MD5 only). */
enum sl_result dp_flow_cred_set(struct dp_flow *ft, const char *user,
				const uint8_t key[16],
				const uint8_t key_sha256[32]);
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

#define DP_FLOW_MUX_BURST 64

/* Burst lookup of multiplexIDs (host order); out[i] NULL on a miss. */
void dp_flow_mux_lookup_bulk(const struct dp_flow *ft, const uint32_t *ids,
			     unsigned n, struct dp_leg **out);

/* Key of a username in the credential hash: NUL-padded to 64 bytes. */
const struct dp_cred *dp_flow_cred_find(const struct dp_flow *ft,
					const char *user);

#endif /* SLUICE_DP_FLOW_H */
