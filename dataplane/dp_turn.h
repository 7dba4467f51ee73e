/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_turn.h — the TURN server (RFC 8656 over UDP, RFC 8489 long-term
 * authentication): its tables, the worker stages that relay data, and the
 * service lcore's side that answers requests and owns every table.
 *
 *   client ──UDP 3478──► worker: classify ──► dp_turn_process
 *        ChannelData ─┐                 Send indication ─┐
 *                     ▼                                  ▼
 *          client 5-tuple ──► allocation ──► channel / permission ──►
 *          relay: strip the framing, leave from the relay port ──► peer
 *        any request ──► turn ring[w] ──► service lcore: dp_turn_service
 *             authenticate, Allocate / Refresh / CreatePermission /
 *             ChannelBind / Binding, write the tables, answer ──►
 *             inject ring[w] ──► worker TX ──► client
 *
 *   peer ──UDP relay port──► worker: dp_turn_relay_process
 *          relay_alloc[relay address][port] ──► allocation ──►
 *          permission(src)
 *          ──► channel(src)? ChannelData : Data indication
 *          ──► from the listening port the client used ──► client
 *
 * One writer, the service lcore, as for every flow table (dp_flow.h):
 * requests are rare next to data and need the credential store, nonces and
 * quotas, so they cross to it on a per-worker SP/SC ring and come back on
 * the worker's inject ring. Workers only read: the client 5-tuple table and
 * the aux table (permissions and channels beyond an allocation's two inline
 * ones) are dp_hash_5t (lock-free readers), the inline slots follow the
 * protocol at struct dp_alloc; pool entries are reused only after an RCU
 * grace period, so a worker that found one in this poll loop reads fields
 * that are still the ones it had. A
 * worker checks every lifetime itself (expires_tsc), so data stops on time
 * even when the service lcore's sweep comes later.
 *
 * Memory: struct dp_alloc is three cache lines (one of them the room for
 * its first two permissions and channels), its username 132 bytes beside
 * it, its client-table entry about 32 bytes: under 400 bytes an
 * allocation; permissions and channels take pool entries, and beyond two
 * aux hash slots (docs/turn.md, "Benchmarks").
 */
#ifndef SLUICE_DP_TURN_H
#define SLUICE_DP_TURN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "dp_hash.h"
#include "sl_config.h"
#include "sl_ipc_types.h"
#include "stun.h"
#include "turn_auth.h"

struct dp_main;
struct dp_lcore;
struct rte_mbuf;
struct rte_ring;

#define DP_TURN_RING_SIZE       1024   /* requests, per worker */
#define DP_TURN_DEFAULT_LIFETIME 600   /* s, RFC 8656 §7.2 */
#define DP_TURN_MAX_LIFETIME    3600   /* s */
#define DP_TURN_PERM_LIFETIME   300    /* s, RFC 8656 §9 */
#define DP_TURN_CHAN_LIFETIME   600    /* s, RFC 8656 §12 */
#define DP_TURN_CHAN_COOLDOWN   300    /* s a number and peer stay tied after
					* the binding expired (§12) */
#define DP_TURN_TOKEN_LIFETIME  30     /* s, a RESERVATION-TOKEN (§7.2) */
#define DP_TURN_NONCE_LIFETIME  3600   /* s */
#define DP_TURN_NONCE_ROTATE    86400  /* s between nonce secret rotations */
#define DP_TURN_RATE_SLOTS      4096   /* sources the unauthenticated-rate
					* limiter tracks (hashed, evicting) */
#define DP_TURN_PER_PORT        1000   /* Large, listening range: per port */
/* Relay addresses: index (ai) i < SL_CFG_MAX_IFACES is interface i's own
 * address, the rest are turn.relay_addresses one by one. */
#define DP_TURN_MAX_AI          (SL_CFG_MAX_IFACES + SL_CFG_MAX_RELAY_ADDRS)

enum dp_turn_state {
	DP_TURN_FREE = 0,
	DP_TURN_ACTIVE = 1,
	DP_TURN_RETIRING = 2,   /* unhooked, waiting for a grace period */
};

/* Kinds of the auxiliary table's keys (dp_hash_5t_key.proto). */
enum dp_turn_key {
	DP_TK_PERM = 1,         /* (peer addr, alloc id) → permission */
	DP_TK_CHAN = 2,         /* (alloc id, channel number) → channel */
	DP_TK_CHAN_PEER = 3,    /* (peer addr, alloc id, peer port) → chan */
	DP_TK_USER = 4,         /* (username digest) → user slot */
	DP_TK_TOKEN = 5,        /* (reservation token) → reserved port */
};

/* Permissions and channels an allocation keeps in its own line 2; more
 * spill into the auxiliary hash. */
#define DP_TURN_INLINE 2

/* An inline channel's binding in one word, read and written whole, so a
 * reader never pairs one binding's number with another's peer:
 * peer address (network order) | peer port << 32 | number << 48. Numbers
 * are 0x4000 and up, so 0 is a free slot. */
static inline uint64_t
dp_turn_bind_word(uint32_t peer_addr, uint16_t peer_port, uint16_t number)
{
	return (uint64_t)peer_addr | (uint64_t)peer_port << 32 |
	       (uint64_t)number << 48;
}

/*
 * One allocation, three cache lines. A worker relaying a packet touches
 * two: line 0 (what it reads to relay, written by the service lcore, and
 * the workers' counters) and line 2, which mirrors the allocation's first
 * DP_TURN_INLINE permissions and channels (address or binding, expiry), so
 * that in the common case (an ICE endpoint relays to one or two peers)
 * nothing else is looked up. Line 1 is the service lcore's.
 *
 * The service lcore writes an inline slot only while its expiry is 0:
 * clear the expiry, then the address or binding, then the new expiry with
 * release; a worker loads the expiry with acquire before the address, so a
 * live expiry never shows it an address that was not permitted then.
 */
struct dp_alloc {
	/* line 0: workers read per packet; counters written by workers */
	uint8_t state;          /* enum dp_turn_state */
	uint8_t iface;
	uint16_t listen_port;   /* host order: the server port the client used */
	uint16_t relay_port;    /* host order */
	uint16_t client_port;   /* host order */
	uint32_t client_addr;   /* network order */
	uint16_t relay_ai;      /* relay address index (dp_turn.relay_addr) */
	uint16_t pad0;
	uint64_t expires_tsc;
	uint64_t pkts_in;       /* client → peers */
	uint64_t bytes_in;
	uint64_t pkts_out;      /* peers → client */
	uint64_t bytes_out;
	uint64_t drops;         /* data without permission or channel */
	/* line 1: the service lcore's */
	uint32_t id __rte_cache_aligned;
	uint32_t user;          /* user slot (quota) */
	uint16_t n_perms;
	uint16_t n_chans;
	uint32_t lifetime_s;    /* as last granted */
	uint8_t tid[STUN_TID_LEN]; /* the Allocate's, for retransmissions */
	uint8_t reserved_next;  /* EVEN-PORT R: relay_port + 1 is held */
	uint8_t pad1[3];
	uint32_t perm_head;     /* its permissions, */
	uint32_t chan_head;     /* and channels (linked by next) */
	uint64_t created_tsc;
	/* line 2: inline permissions (address 0: free) and channels
	 * (binding 0: free) */
	uint64_t perm_exp[DP_TURN_INLINE] __rte_cache_aligned;
	uint32_t perm_addr[DP_TURN_INLINE];     /* network order */
	uint16_t perm_spill;    /* permissions / channels in the aux hash */
	uint16_t chan_spill;    /* only: workers look there when not 0 */
	uint32_t pad2;
	struct {
		uint64_t bind;  /* dp_turn_bind_word() */
		uint64_t exp;   /* data relayed until then */
	} chan_inl[DP_TURN_INLINE];
} __rte_cache_aligned;

_Static_assert(sizeof(struct dp_alloc) == 3 * RTE_CACHE_LINE_SIZE,
	       "struct dp_alloc is three cache lines");

struct dp_turn_perm {
	uint32_t alloc_id;
	uint32_t peer_addr;     /* network order */
	uint64_t expires_tsc;
	uint32_t next;          /* service lcore: the allocation's next */
	uint32_t slot;          /* inline slot + 1; 0: in the aux hash */
};

struct dp_turn_chan {
	uint32_t alloc_id;
	uint32_t peer_addr;     /* network order */
	uint16_t peer_port;     /* host order */
	uint16_t number;
	uint32_t slot;          /* inline slot + 1; 0: in the aux hash */
	uint64_t expires_tsc;   /* data relayed until then */
	uint64_t free_tsc;      /* number and peer tied until then */
	uint32_t next;          /* service lcore: the allocation's next */
	uint32_t pad1;
};

struct dp_turn_user {
	uint32_t allocs;
	uint32_t pad0;
};

/* Free-index stack with deferred reuse (entries retired in one grace
 * period come back after the next synchronize_rcu()). */
struct dp_turn_pool {
	uint32_t cap;
	uint32_t n_free;
	uint32_t *free;         /* [cap] */
	uint32_t n_retire;
	uint32_t *retire;       /* [cap] */
};

/* The outcome counters of the request path (service lcore only). */
enum dp_turn_ctr {
	DP_TC_REQUESTS,
	DP_TC_ALLOCATE,
	DP_TC_REFRESH,
	DP_TC_PERMISSION,
	DP_TC_CHANNEL_BIND,
	DP_TC_BINDING,
	DP_TC_SUCCESS,
	DP_TC_CHALLENGED,       /* 401 without credentials: the normal first
				 * round trip */
	DP_TC_AUTH_FAILED,      /* 401 with credentials that did not verify */
	DP_TC_RATE_LIMITED,     /* unauthenticated, over turn.unauthenticated_rate */
	DP_TC_DISCARDED,        /* not answerable: malformed, wrong class */
	DP_TC_EXPIRED_ALLOCS,
	DP_TC_EXPIRED_PERMS,
	DP_TC_EXPIRED_CHANS,
	DP_TC_TX_FULL,          /* an answer the inject ring refused */
	DP_TC_MAX
};

/* Error codes counted one by one. */
#define DP_TURN_ERR_CODES \
	X(300) X(400) X(401) X(403) X(420) X(437) X(438) X(440) X(441) \
	X(442) X(443) X(486) X(508)

enum dp_turn_err_idx {
#define X(c) DP_TE_##c,
	DP_TURN_ERR_CODES
#undef X
	DP_TE_MAX
};

/* A turn.relay_addresses entry as workers match it. */
struct dp_turn_rnet {
	uint32_t base;          /* host order */
	uint32_t count;
	uint16_t first_ai;
	uint8_t iface;
	uint8_t pad0;
};

struct dp_turn_rate {
	uint32_t addr;          /* network order; 0: free */
	uint32_t tokens;        /* in 1/1024 of a request */
	uint64_t last_tsc;
};

struct dp_turn {
	bool enabled;
	const struct sl_config *cfg;
	uint64_t tsc_hz;
	uint32_t alloc_cap;
	uint32_t n_allocs;
	struct dp_alloc *allocs;          /* [alloc_cap + 1], id 0 unused */
	char (*usernames)[SL_USERNAME_MAX]; /* [alloc_cap + 1] */
	uint8_t (*tokens)[8];             /* [alloc_cap + 1]: reservations */
	uint32_t our_addr[SL_CFG_MAX_IFACES]; /* network order */
	uint32_t advertised[SL_CFG_MAX_IFACES]; /* relayed address given:
					       * public_address or our_addr */
	/* relay addresses by index (DP_TURN_MAX_AI), network order: the
	 * source of relayed data, the XOR-RELAYED-ADDRESS given, the
	 * interface; ai n_ai and up unused */
	uint32_t relay_ip[DP_TURN_MAX_AI];
	uint32_t relay_adv[DP_TURN_MAX_AI];
	uint8_t relay_iface[DP_TURN_MAX_AI];
	unsigned n_ai;
	struct dp_turn_rnet rnet[SL_CFG_MAX_RELAY_NETS];
	unsigned n_rnet;
	uint32_t *relay_alloc;            /* [n_ai * 65536]: (ai, port) → id */
	uint32_t *listen_count;           /* [65536]: allocations per port */
	struct dp_hash_5t *clients;       /* client 5-tuple → alloc id */
	struct dp_hash_5t *aux;           /* enum dp_turn_key → index */
	struct dp_turn_perm *perms;
	struct dp_turn_chan *chans;
	struct dp_turn_user *users;
	struct dp_turn_pool alloc_pool, perm_pool, chan_pool, user_pool;
	uint32_t n_perms, n_chans;
	uint16_t relay_lo, relay_hi;
	uint16_t relay_cursor[DP_TURN_MAX_AI];  /* next port to try */
	uint32_t relay_used[DP_TURN_MAX_AI];    /* ports held: allocations,
						 * reservations */
	uint16_t ai_cursor[SL_CFG_MAX_IFACES];  /* next address to try */
	uint64_t retire_since_tsc;
	uint32_t n_retiring;
	/* authentication (service lcore) */
	struct turn_nonce_keys nonce;
	uint64_t nonce_rotated_s;
	struct stun_key rest;             /* turn.rest_secret, prepared */
	bool has_rest;
	/* REST secret rotation (SL_CMD_TURN_SECRET): the one before the
	 * last change stays good until rest_prev_until_s */
	bool has_rest_prev;
	struct stun_key rest_prev;
	uint64_t rest_prev_until_s;       /* unix seconds */
	uint32_t rest_len;
	char rest_secret[SL_SECRET_MAX];  /* to tell a new secret from a
					   * repeated one */
	/* the cluster peer a full appliance sends clients to
	 * (SL_CMD_TURN_ALTERNATE); alt_addr 0: none, answer 508 */
	uint32_t alt_addr;                /* network order */
	uint16_t alt_port;                /* host order */
	uint32_t alt_room;
	struct turn_peer_policy policy;
	struct dp_turn_rate rate[DP_TURN_RATE_SLOTS];
	/* reservations: token → port (relay_alloc holds DP_TURN_RESERVED) */
	uint32_t sweep_cursor;
	uint64_t next_sweep_tsc;
	uint64_t ctr[DP_TC_MAX];
	uint64_t err[DP_TE_MAX];
};

#define DP_TURN_RESERVED UINT32_MAX   /* relay_alloc: held by a token */

/* Memory the tables need, for EAL sizing. */
uint64_t dp_turn_mem_bytes(const struct sl_config *cfg);

/* Main thread: at start / at exit. */
int dp_turn_init(struct dp_main *dm, int socket);
void dp_turn_fini(struct dp_turn *t);

/* --- workers -------------------------------------------------------------- */

/* Packets to a listening port / to a relay port, one burst. */
void dp_turn_process(struct dp_lcore *lc, unsigned ifc,
		     struct rte_mbuf **pkts, uint16_t n);
void dp_turn_relay_process(struct dp_lcore *lc, unsigned ifc,
			   struct rte_mbuf **pkts, uint16_t n);

/* Readers' lookups (between two quiescent states). */
static inline struct dp_alloc *
dp_turn_alloc(const struct dp_turn *t, uint32_t id)
{
	struct dp_alloc *a;

	if (id == 0 || id > t->alloc_cap)
		return NULL;
	a = &t->allocs[id];
	return __atomic_load_n(&a->state, __ATOMIC_ACQUIRE) == DP_TURN_ACTIVE ?
	       a : NULL;
}

/* The relay address index of dst, an extra relay address of interface
 * ifc, or -1 (the interface's own address is ai ifc; callers test it
 * first). Workers (classify, ARP, the relay stage). */
static inline int
dp_turn_relay_ai(const struct dp_turn *t, unsigned ifc, uint32_t dst)
{
	uint32_t h = rte_be_to_cpu_32(dst);
	unsigned i;

	for (i = 0; i < t->n_rnet; i++) {
		const struct dp_turn_rnet *r = &t->rnet[i];

		if (r->iface == ifc && h - r->base < r->count)
			return r->first_ai + (int)(h - r->base);
	}
	return -1;
}

static inline struct dp_hash_5t_key
dp_turn_key(enum dp_turn_key kind, uint32_t a, uint32_t b, uint16_t c)
{
	return dp_hash_5t_key_make(a, b, c, 0, (uint8_t)kind);
}

/* --- service lcore ---------------------------------------------------------- */

/* The relayed transport address a's client was given. */
static inline struct stun_addr
dp_turn_relayed_addr(const struct dp_turn *t, const struct dp_alloc *a)
{
	return stun_addr_v4(t->relay_adv[a->relay_ai], a->relay_port);
}

/* Answers the requests the workers queued; returns how many it took. */
unsigned dp_turn_service(struct dp_main *dm);

/* Expiry and reclaim, a slice per call, as of TSC `now` (the service
 * lcore passes rte_rdtsc(); the dp tests pass a later time to expire
 * lifetimes without waiting them out). */
void dp_turn_sweep(struct dp_main *dm, uint64_t now);

/* One request (the packet's Ethernet/IPv4/UDP headers set up by classify,
 * m->port the interface): answered in place and queued to `w`'s inject
 * ring, or freed. Exposed for the benchmark. */
void dp_turn_request(struct dp_main *dm, unsigned w, struct rte_mbuf *m);

/* Service lcore: the control plane's TURN commands (dp_ctl.c). Each
 * returns an enum sl_result; on error nothing changed and `why` says why. */
void dp_turn_rest_init(struct dp_turn *t, const char *secret);
enum sl_result dp_turn_secret_set(struct dp_turn *t,
				  const struct sl_cmd_turn_secret *c,
				  char *why, size_t whylen);
enum sl_result dp_turn_alternate_set(struct dp_turn *t,
				     const struct sl_cmd_turn_alternate *c,
				     char *why, size_t whylen);

/* Counter names (telemetry, shared memory). */
extern const char *const dp_turn_ctr_names[DP_TC_MAX];
extern const uint16_t dp_turn_err_codes[DP_TE_MAX];

#endif /* SLUICE_DP_TURN_H */
