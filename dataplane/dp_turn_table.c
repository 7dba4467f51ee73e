/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_turn_table.c — the TURN tables and their one writer's operations
 * (the service lcore): allocations, permissions, channels, per-user quotas,
 * port reservations, expiry and the deferred reuse of entries.
 *
 *   clients  dp_hash_5t  (client, our address, ports, UDP) → alloc id
 *   aux      dp_hash_5t  PERM (peer, alloc)          → perm index   \ beyond
 *                        CHAN (alloc, number)        → chan index    > the
 *                        CHAN_PEER (peer, alloc, port) → chan index / inline 4
 *                        USER (digest of the name)   → user slot
 *                        TOKEN (reservation token)   → alloc id
 *   relay_alloc[ai][port] → alloc id (DP_TURN_RESERVED: held by a token);
 *            ai the relay address: an interface's own, or one of
 *            turn.relay_addresses (dp_turn.h, DP_TURN_MAX_AI)
 *
 * An allocation's permissions and channels hang off it on singly linked
 * lists (service lcore only), so that deleting it or sweeping it touches
 * only its own, and the writer finds them there. Its first DP_TURN_INLINE
 * of each are mirrored into its own line 2 for the workers; only
 * the rest get aux hash keys (perm_spill, chan_spill say how many), so the
 * hash is sized for the exceptions, not for four of each per allocation.
 * Entries leave the hashes and slots at once and go back to their free
 * stacks one grace period later (dp_turn_reclaim).
 */
#include <string.h>

#include <rte_cycles.h>
#include <rte_hash_crc.h>
#include <rte_jhash.h>
#include <rte_malloc.h>
#include <rte_random.h>
#include <urcu-qsbr.h>

#include "dp.h"
#include "dp_log.h"
#include "dp_turn.h"
#include "dp_turn_int.h"

#define RETIRE_AGE_MS 1
#define SWEEP_SLICE   256

/* Pool entries: four permissions and four channels an allocation on
 * average (each allocation is still bounded by
 * turn.permissions_per_allocation). */
static uint32_t
perm_capacity(const struct sl_config *cfg)
{
	return cfg->turn.relay_capacity * 4;
}

/* Aux hash keys: two spilled permissions and one spilled channel (two
 * keys) an allocation on average, a user and a reservation token each. */
static uint32_t
aux_capacity(const struct sl_config *cfg)
{
	return cfg->turn.relay_capacity * 6;
}

/* Relay addresses: the interfaces' slots and turn.relay_addresses. */
static unsigned
relay_addr_count(const struct sl_config *cfg)
{
	unsigned i, n = DP_MAX_IFACES;

	for (i = 0; i < cfg->turn.n_relay_addresses; i++)
		n += 1u << (32 - cfg->turn.relay_addresses[i].len);
	return n;
}

uint64_t
dp_turn_mem_bytes(const struct sl_config *cfg)
{
	uint64_t a = cfg->turn.relay_capacity, p = perm_capacity(cfg);

	if (!cfg->turn.enabled)
		return 0;
	/* allocations and their names, relay index, pools; the hashes are
	 * libc memory (dp_hash.c) */
	return (a + 1) * (sizeof(struct dp_alloc) + SL_USERNAME_MAX +
			  sizeof(struct dp_turn_user) + 12) +
	       (uint64_t)relay_addr_count(cfg) * 65536 * sizeof(uint32_t) +
	       65536 * sizeof(uint32_t) +
	       (p + 1) * (sizeof(struct dp_turn_perm) +
			  sizeof(struct dp_turn_chan) + 16);
}

/* --- pools ----------------------------------------------------------------- */

static int
pool_init(struct dp_turn_pool *p, const char *what, uint32_t cap, int socket)
{
	uint32_t i;

	p->cap = cap;
	p->free = rte_malloc_socket(what, (size_t)cap * sizeof(uint32_t), 0,
				    socket);
	p->retire = rte_malloc_socket(what, (size_t)cap * sizeof(uint32_t), 0,
				      socket);
	if (p->free == NULL || p->retire == NULL)
		return -1;
	/* index 0 is "none": hand out cap..1, lowest first */
	for (i = 0; i < cap; i++)
		p->free[i] = cap - i;
	p->n_free = cap;
	p->n_retire = 0;
	return 0;
}

static void
pool_fini(struct dp_turn_pool *p)
{
	rte_free(p->free);
	rte_free(p->retire);
	p->free = p->retire = NULL;
}

uint32_t
dp_turn_pool_get(struct dp_turn_pool *p)
{
	return p->n_free ? p->free[--p->n_free] : 0;
}

static void
pool_retire(struct dp_turn *t, struct dp_turn_pool *p, uint32_t idx)
{
	if (t->n_retiring == 0)
		t->retire_since_tsc = rte_rdtsc();
	t->n_retiring++;
	p->retire[p->n_retire++] = idx;
}

static void
pool_release(struct dp_turn_pool *p)
{
	memcpy(p->free + p->n_free, p->retire,
	       (size_t)p->n_retire * sizeof(uint32_t));
	p->n_free += p->n_retire;
	p->n_retire = 0;
}

void
dp_turn_reclaim(struct dp_turn *t, bool force)
{
	uint32_t i;

	if (t->n_retiring == 0)
		return;
	if (!force && rte_rdtsc() - t->retire_since_tsc <
	    t->tsc_hz * RETIRE_AGE_MS / 1000)
		return;
	synchronize_rcu();
	for (i = 0; i < t->alloc_pool.n_retire; i++) {
		struct dp_alloc *a = &t->allocs[t->alloc_pool.retire[i]];

		memset(a, 0, sizeof(*a));
	}
	for (i = 0; i < t->perm_pool.n_retire; i++)
		memset(&t->perms[t->perm_pool.retire[i]], 0,
		       sizeof(struct dp_turn_perm));
	for (i = 0; i < t->chan_pool.n_retire; i++)
		memset(&t->chans[t->chan_pool.retire[i]], 0,
		       sizeof(struct dp_turn_chan));
	pool_release(&t->alloc_pool);
	pool_release(&t->perm_pool);
	pool_release(&t->chan_pool);
	t->n_retiring = 0;
}

/* --- life cycle ----------------------------------------------------------- */

static void
policy_build(struct dp_turn *t, const struct dp_main *dm)
{
	const struct sl_config *cfg = dm->cfg;
	unsigned i;

	turn_peer_policy_init(&t->policy);
	for (i = 0; i < cfg->turn.n_allowed_peers; i++) {
		struct turn_prefix p;

		turn_prefix_from_ipv4(&p, cfg->turn.allowed_peers[i].addr,
				      cfg->turn.allowed_peers[i].len);
		turn_peer_policy_allow(&t->policy, &p);
	}
	for (i = 0; i < cfg->n_ifaces; i++) {
		struct stun_addr a = stun_addr_v4(cfg->ifaces[i].address, 0);

		turn_peer_policy_add_own(&t->policy, &a);
		if (cfg->ifaces[i].has_public_address) {
			a = stun_addr_v4(cfg->ifaces[i].public_address, 0);
			turn_peer_policy_add_own(&t->policy, &a);
		}
	}
	/* our relay addresses: a relay to itself would reach other relays */
	for (i = DP_MAX_IFACES; i < t->n_ai; i++) {
		struct stun_addr a = stun_addr_v4(t->relay_ip[i], 0);

		turn_peer_policy_add_own(&t->policy, &a);
	}
}

static void
random_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i += 8) {
		uint64_t r = rte_rand();

		memcpy(p + i, &r, RTE_MIN((size_t)8, len - i));
	}
}

void
dp_turn_nonce_rotate(struct dp_turn *t, uint64_t now_s)
{
	uint8_t secret[32];

	random_bytes(secret, sizeof(secret));
	if (t->nonce_rotated_s == 0) {
		turn_nonce_keys_init(&t->nonce, secret, sizeof(secret));
	} else {
		struct turn_nonce_keys next;

		turn_nonce_keys_rotate(&next, &t->nonce, secret,
				       sizeof(secret));
		t->nonce = next;   /* the service lcore alone reads it */
	}
	t->nonce_rotated_s = now_s;
	memset(secret, 0, sizeof(secret));
}

/* The relay addresses: interface i's own as ai i, then every address of
 * turn.relay_addresses on the interface whose subnet holds it (the
 * configuration's rules guarantee there is one). */
static void
relay_addrs_init(struct dp_turn *t, const struct sl_config *cfg)
{
	unsigned i, k;

	for (i = 0; i < cfg->n_ifaces; i++) {
		t->our_addr[i] = cfg->ifaces[i].address;
		t->advertised[i] = cfg->ifaces[i].has_public_address ?
				   cfg->ifaces[i].public_address :
				   cfg->ifaces[i].address;
		t->relay_ip[i] = t->our_addr[i];
		t->relay_adv[i] = t->advertised[i];
		t->relay_iface[i] = (uint8_t)i;
	}
	t->n_ai = DP_MAX_IFACES;
	for (i = 0; i < cfg->turn.n_relay_addresses; i++) {
		const struct sl_ipv4_prefix *p = &cfg->turn.relay_addresses[i];
		struct dp_turn_rnet *r = &t->rnet[t->n_rnet];
		uint32_t mask;

		r->base = rte_be_to_cpu_32(p->addr);
		r->count = 1u << (32 - p->len);
		r->first_ai = (uint16_t)t->n_ai;
		for (k = 0; k < cfg->n_ifaces; k++) {
			mask = cfg->ifaces[k].prefix_len == 0 ? 0 :
			       UINT32_MAX << (32 - cfg->ifaces[k].prefix_len);
			if ((r->base & mask) ==
			    (rte_be_to_cpu_32(cfg->ifaces[k].address) & mask))
				break;
		}
		r->iface = (uint8_t)(k < cfg->n_ifaces ? k : 0);
		for (k = 0; k < r->count && t->n_ai < DP_TURN_MAX_AI; k++) {
			t->relay_ip[t->n_ai] = rte_cpu_to_be_32(r->base + k);
			t->relay_adv[t->n_ai] = t->relay_ip[t->n_ai];
			t->relay_iface[t->n_ai] = r->iface;
			t->n_ai++;
		}
		t->n_rnet++;
	}
	for (i = 0; i < t->n_ai; i++)
		t->relay_cursor[i] = t->relay_lo;
}

int
dp_turn_init(struct dp_main *dm, int socket)
{
	const struct sl_config *cfg = dm->cfg;
	struct dp_turn *t = &dm->turn;
	uint32_t cap = cfg->turn.relay_capacity, pcap = perm_capacity(cfg);

	memset(t, 0, sizeof(*t));
	t->cfg = cfg;
	t->tsc_hz = rte_get_tsc_hz();
	if (!cfg->turn.enabled)
		return 0;
	t->enabled = true;
	t->alloc_cap = cap;
	t->relay_lo = cfg->turn.relay.lo;
	t->relay_hi = cfg->turn.relay.hi;
	relay_addrs_init(t, cfg);
	t->allocs = rte_zmalloc_socket("sl_turn_allocs",
				       (size_t)(cap + 1) * sizeof(*t->allocs),
				       RTE_CACHE_LINE_SIZE, socket);
	t->usernames = rte_zmalloc_socket("sl_turn_users",
				(size_t)(cap + 1) * sizeof(*t->usernames), 0,
				socket);
	t->tokens = rte_zmalloc_socket("sl_turn_tokens",
				(size_t)(cap + 1) * sizeof(*t->tokens), 0,
				socket);
	t->relay_alloc = rte_zmalloc_socket("sl_turn_relay",
				(size_t)t->n_ai * 65536 *
				sizeof(*t->relay_alloc),
				RTE_CACHE_LINE_SIZE, socket);
	t->listen_count = rte_zmalloc_socket("sl_turn_listen",
				65536 * sizeof(*t->listen_count), 0, socket);
	t->perms = rte_zmalloc_socket("sl_turn_perms",
				(size_t)(pcap + 1) * sizeof(*t->perms),
				RTE_CACHE_LINE_SIZE, socket);
	t->chans = rte_zmalloc_socket("sl_turn_chans",
				(size_t)(pcap + 1) * sizeof(*t->chans),
				RTE_CACHE_LINE_SIZE, socket);
	t->users = rte_zmalloc_socket("sl_turn_quota",
				(size_t)(cap + 1) * sizeof(*t->users), 0,
				socket);
	t->clients = dp_hash_5t_create(cap, rte_rand());
	t->aux = dp_hash_5t_create(aux_capacity(cfg), rte_rand());
	if (t->allocs == NULL || t->usernames == NULL || t->tokens == NULL ||
	    t->relay_alloc == NULL || t->listen_count == NULL ||
	    t->perms == NULL || t->chans == NULL || t->users == NULL ||
	    t->clients == NULL || t->aux == NULL ||
	    pool_init(&t->alloc_pool, "sl_turn_apool", cap, socket) ||
	    pool_init(&t->perm_pool, "sl_turn_ppool", pcap, socket) ||
	    pool_init(&t->chan_pool, "sl_turn_cpool", pcap, socket) ||
	    pool_init(&t->user_pool, "sl_turn_upool", cap, socket)) {
		DP_LOG(ERR, "TURN tables for %u allocations (%.1f MB): "
		       "out of memory (turn.relay_capacity; give EAL more "
		       "memory)", cap, dp_turn_mem_bytes(cfg) / 1e6);
		dp_turn_fini(t);
		return -1;
	}
	dp_turn_nonce_rotate(t, (uint64_t)time(NULL));
	dp_turn_rest_init(t, cfg->turn.rest_secret);
	policy_build(t, dm);
	return 0;
}

void
dp_turn_fini(struct dp_turn *t)
{
	rte_free(t->allocs);
	rte_free(t->usernames);
	rte_free(t->tokens);
	rte_free(t->relay_alloc);
	rte_free(t->listen_count);
	rte_free(t->perms);
	rte_free(t->chans);
	rte_free(t->users);
	if (t->clients != NULL)
		dp_hash_5t_destroy(t->clients);
	if (t->aux != NULL)
		dp_hash_5t_destroy(t->aux);
	pool_fini(&t->alloc_pool);
	pool_fini(&t->perm_pool);
	pool_fini(&t->chan_pool);
	pool_fini(&t->user_pool);
	stun_key_clear(&t->rest);
	stun_key_clear(&t->rest_prev);
	memset(t->rest_secret, 0, sizeof(t->rest_secret));
	memset(&t->nonce, 0, sizeof(t->nonce));
	t->allocs = NULL;
	t->clients = t->aux = NULL;
	t->enabled = false;
}

/* --- users (quota) ----------------------------------------------------------- */

static struct dp_hash_5t_key
user_key(const char *user)
{
	size_t len = strnlen(user, SL_USERNAME_MAX);

	return dp_turn_key(DP_TK_USER, rte_hash_crc(user, len, 0x511ceu),
			   rte_jhash(user, len, 0x7e57u), (uint16_t)len);
}

uint32_t
dp_turn_user_allocs(const struct dp_turn *t, const char *user)
{
	struct dp_hash_5t_key k = user_key(user);
	uint32_t u = dp_hash_5t_lookup(t->aux, &k);

	return u == DP_HASH_NONE ? 0 : t->users[u].allocs;
}

/* The user's slot, made when it has none; 0 when the pool is empty. */
static uint32_t
user_ref(struct dp_turn *t, const char *user)
{
	struct dp_hash_5t_key k = user_key(user);
	uint32_t u = dp_hash_5t_lookup(t->aux, &k);

	if (u != DP_HASH_NONE) {
		t->users[u].allocs++;
		return u;
	}
	u = dp_turn_pool_get(&t->user_pool);
	if (u == 0)
		return 0;
	if (dp_hash_5t_add(t->aux, &k, u) != 0) {
		t->user_pool.free[t->user_pool.n_free++] = u;
		return 0;
	}
	t->users[u].allocs = 1;
	return u;
}

static void
user_unref(struct dp_turn *t, uint32_t u, const char *user)
{
	struct dp_hash_5t_key k;

	if (u == 0 || --t->users[u].allocs > 0)
		return;
	k = user_key(user);
	dp_hash_5t_del(t->aux, &k);
	/* only the service lcore reads user slots: no grace period */
	t->user_pool.free[t->user_pool.n_free++] = u;
}

/* --- relay ports ------------------------------------------------------------ */

static inline uint32_t *
relay_slot(struct dp_turn *t, unsigned ai, uint16_t port)
{
	return &t->relay_alloc[(size_t)ai * 65536 + port];
}

/* Publishes (ai, port) → v for the workers, keeping the address's count
 * of ports in use (allocations and reservations). */
static void
relay_slot_set(struct dp_turn *t, unsigned ai, uint16_t port, uint32_t v)
{
	uint32_t *slot = relay_slot(t, ai, port);

	t->relay_used[ai] += (v != 0) - (*slot != 0);
	__atomic_store_n(slot, v, __ATOMIC_RELEASE);
}

/* A free port on relay address ai (even when `even`, with port + 1 free
 * too when `pair`), from the address's cursor; 0 when none. */
static uint16_t
port_pick(struct dp_turn *t, unsigned ai, bool even, bool pair)
{
	uint32_t span = (uint32_t)t->relay_hi - t->relay_lo + 1, i;
	uint16_t p = t->relay_cursor[ai];

	for (i = 0; i < span; i++, p = p >= t->relay_hi ? t->relay_lo : p + 1) {
		if (even && (p & 1))
			continue;
		if (*relay_slot(t, ai, p) != 0)
			continue;
		if (pair && (p + 1 > t->relay_hi ||
			     *relay_slot(t, ai, p + 1) != 0))
			continue;
		t->relay_cursor[ai] = p >= t->relay_hi ? t->relay_lo : p + 1;
		return p;
	}
	return 0;
}

/*
 * A free relay address and port on iface: its own address and its
 * turn.relay_addresses in turn, one Allocate each, so that allocations
 * spread over the addresses (and a full address is skipped). The port as
 * port_pick(); *ai the address; 0 when every address is full.
 */
uint16_t
dp_turn_relay_port_pick(struct dp_turn *t, unsigned iface, bool even,
			bool pair, uint16_t *ai)
{
	uint32_t span = (uint32_t)t->relay_hi - t->relay_lo + 1;
	unsigned i, a = t->ai_cursor[iface];
	uint16_t p;

	for (i = 0; i < t->n_ai; i++, a = a + 1 < t->n_ai ? a + 1 : 0) {
		if (t->relay_iface[a] != iface ||
		    (a < DP_MAX_IFACES && a != iface) ||
		    t->relay_used[a] >= span)  /* full: no walk of its ports */
			continue;
		p = port_pick(t, a, even, pair);
		if (p != 0) {
			t->ai_cursor[iface] = (uint16_t)(a + 1 < t->n_ai ?
							 a + 1 : 0);
			*ai = (uint16_t)a;
			return p;
		}
	}
	return 0;
}

/* --- allocations ------------------------------------------------------------- */

struct dp_hash_5t_key
dp_turn_client_key(uint32_t client_addr, uint32_t our_addr,
		   uint16_t client_port, uint16_t listen_port)
{
	return dp_hash_5t_key_make(client_addr, our_addr,
				   rte_cpu_to_be_16(client_port),
				   rte_cpu_to_be_16(listen_port), IPPROTO_UDP);
}

uint32_t
dp_turn_alloc_add(struct dp_turn *t, const struct dp_turn_alloc_req *r,
		  uint64_t now_tsc)
{
	struct dp_hash_5t_key k = dp_turn_client_key(r->client_addr,
						     r->our_addr,
						     r->client_port,
						     r->listen_port);
	struct dp_alloc *a;
	uint32_t id, u;

	id = dp_turn_pool_get(&t->alloc_pool);
	if (id == 0)
		return 0;
	u = user_ref(t, r->username);
	if (u == 0) {
		t->alloc_pool.free[t->alloc_pool.n_free++] = id;
		return 0;
	}
	a = &t->allocs[id];
	memset(a, 0, sizeof(*a));
	a->id = id;
	a->iface = r->iface;
	a->listen_port = r->listen_port;
	a->relay_port = r->relay_port;
	a->relay_ai = r->relay_ai;
	a->client_port = r->client_port;
	a->client_addr = r->client_addr;
	a->lifetime_s = r->lifetime_s;
	a->expires_tsc = now_tsc + (uint64_t)r->lifetime_s * t->tsc_hz;
	a->created_tsc = now_tsc;
	a->user = u;
	memcpy(a->tid, r->tid, STUN_TID_LEN);
	snprintf(t->usernames[id], SL_USERNAME_MAX, "%s", r->username);
	if (dp_hash_5t_add(t->clients, &k, id) != 0) {
		user_unref(t, u, r->username);
		t->alloc_pool.free[t->alloc_pool.n_free++] = id;
		return 0;
	}
	relay_slot_set(t, r->relay_ai, r->relay_port, id);
	t->listen_count[r->listen_port]++;
	t->n_allocs++;
	__atomic_store_n(&a->state, DP_TURN_ACTIVE, __ATOMIC_RELEASE);
	return id;
}

static struct dp_hash_5t_key
token_key(const uint8_t token[8])
{
	uint32_t lo, hi;

	memcpy(&lo, token, 4);
	memcpy(&hi, token + 4, 4);
	return dp_turn_key(DP_TK_TOKEN, lo, hi, 0);
}

/* Holds relay_port + 1 for a later Allocate with the token. */
void
dp_turn_reserve_next(struct dp_turn *t, struct dp_alloc *a,
		     const uint8_t token[8])
{
	struct dp_hash_5t_key k = token_key(token);

	if (dp_hash_5t_add(t->aux, &k, a->id) != 0)
		return;
	memcpy(t->tokens[a->id], token, 8);
	relay_slot_set(t, a->relay_ai, a->relay_port + 1, DP_TURN_RESERVED);
	a->reserved_next = 1;
}

/* Gives up the reservation a holds (used, expired, or a deleted). */
void
dp_turn_reserve_drop(struct dp_turn *t, struct dp_alloc *a, bool free_port)
{
	struct dp_hash_5t_key k;

	if (!a->reserved_next)
		return;
	k = token_key(t->tokens[a->id]);
	dp_hash_5t_del(t->aux, &k);
	if (free_port)
		relay_slot_set(t, a->relay_ai, a->relay_port + 1, 0);
	a->reserved_next = 0;
}

/* The allocation holding token, or NULL. */
struct dp_alloc *
dp_turn_reserve_find(struct dp_turn *t, const uint8_t token[8])
{
	struct dp_hash_5t_key k = token_key(token);

	return dp_turn_alloc(t, dp_hash_5t_lookup(t->aux, &k));
}

/* A free inline slot (expiry 0 and address or binding 0), or -1. */
static int
perm_slot_free(const struct dp_alloc *a)
{
	int s;

	for (s = 0; s < DP_TURN_INLINE; s++)
		if (a->perm_addr[s] == 0)
			return s;
	return -1;
}

static int
chan_slot_free(const struct dp_alloc *a)
{
	int s;

	for (s = 0; s < DP_TURN_INLINE; s++)
		if (a->chan_inl[s].bind == 0)
			return s;
	return -1;
}

/* Takes p off the workers' view: its inline slot (expiry first) or its
 * aux key. */
static void
perm_unhook(struct dp_turn *t, uint32_t pi)
{
	struct dp_turn_perm *p = &t->perms[pi];
	struct dp_alloc *a = &t->allocs[p->alloc_id];
	struct dp_hash_5t_key k;

	if (p->slot != 0) {
		__atomic_store_n(&a->perm_exp[p->slot - 1], 0,
				 __ATOMIC_RELEASE);
		__atomic_store_n(&a->perm_addr[p->slot - 1], 0,
				 __ATOMIC_RELAXED);
	} else {
		k = dp_turn_key(DP_TK_PERM, p->peer_addr, p->alloc_id, 0);
		dp_hash_5t_del(t->aux, &k);
		__atomic_store_n(&a->perm_spill, a->perm_spill - 1,
				 __ATOMIC_RELAXED);
	}
	pool_retire(t, &t->perm_pool, pi);
	t->n_perms--;
}

static void
chan_unhook(struct dp_turn *t, uint32_t ci)
{
	struct dp_turn_chan *c = &t->chans[ci];
	struct dp_alloc *a = &t->allocs[c->alloc_id];
	struct dp_hash_5t_key k;

	if (c->slot != 0) {
		__atomic_store_n(&a->chan_inl[c->slot - 1].exp, 0,
				 __ATOMIC_RELEASE);
		__atomic_store_n(&a->chan_inl[c->slot - 1].bind, 0,
				 __ATOMIC_RELAXED);
	} else {
		k = dp_turn_key(DP_TK_CHAN, c->alloc_id, 0, c->number);
		dp_hash_5t_del(t->aux, &k);
		k = dp_turn_key(DP_TK_CHAN_PEER, c->peer_addr, c->alloc_id,
				c->peer_port);
		dp_hash_5t_del(t->aux, &k);
		__atomic_store_n(&a->chan_spill, a->chan_spill - 1,
				 __ATOMIC_RELAXED);
	}
	pool_retire(t, &t->chan_pool, ci);
	t->n_chans--;
}

void
dp_turn_alloc_del(struct dp_turn *t, struct dp_alloc *a)
{
	struct dp_hash_5t_key k;
	uint32_t i, next;

	k = dp_turn_client_key(a->client_addr,
			       t->our_addr[a->iface], a->client_port,
			       a->listen_port);
	dp_hash_5t_del(t->clients, &k);
	relay_slot_set(t, a->relay_ai, a->relay_port, 0);
	__atomic_store_n(&a->state, DP_TURN_RETIRING, __ATOMIC_RELEASE);
	dp_turn_reserve_drop(t, a, true);
	for (i = a->perm_head; i != 0; i = next) {
		next = t->perms[i].next;
		perm_unhook(t, i);
	}
	for (i = a->chan_head; i != 0; i = next) {
		next = t->chans[i].next;
		chan_unhook(t, i);
	}
	a->perm_head = a->chan_head = 0;
	a->n_perms = a->n_chans = 0;
	user_unref(t, a->user, t->usernames[a->id]);
	t->listen_count[a->listen_port]--;
	t->n_allocs--;
	pool_retire(t, &t->alloc_pool, a->id);
}

void
dp_turn_alloc_refresh(struct dp_turn *t, struct dp_alloc *a,
		      uint32_t lifetime_s, uint64_t now_tsc)
{
	a->lifetime_s = lifetime_s;
	__atomic_store_n(&a->expires_tsc,
			 now_tsc + (uint64_t)lifetime_s * t->tsc_hz,
			 __ATOMIC_RELEASE);
}

/* --- permissions and channels ------------------------------------------------ */

/* Walks the allocation's own list: at most
 * turn.permissions_per_allocation entries. */
struct dp_turn_perm *
dp_turn_perm_find(const struct dp_turn *t, uint32_t alloc_id,
		  uint32_t peer_addr)
{
	uint32_t i;

	for (i = t->allocs[alloc_id].perm_head; i != 0; i = t->perms[i].next)
		if (t->perms[i].peer_addr == peer_addr)
			return &t->perms[i];
	return NULL;
}

/* A new permission's place for the workers: an inline slot, else an aux
 * key. -1 when the aux hash is full. */
static int
perm_publish(struct dp_turn *t, struct dp_alloc *a, uint32_t pi)
{
	struct dp_turn_perm *p = &t->perms[pi];
	int s = perm_slot_free(a);
	struct dp_hash_5t_key k;

	if (s >= 0) {
		p->slot = (uint32_t)s + 1;
		__atomic_store_n(&a->perm_addr[s], p->peer_addr,
				 __ATOMIC_RELAXED);
		__atomic_store_n(&a->perm_exp[s], p->expires_tsc,
				 __ATOMIC_RELEASE);
		return 0;
	}
	p->slot = 0;
	k = dp_turn_key(DP_TK_PERM, p->peer_addr, a->id, 0);
	/* counted first: a worker that sees the key also looks for it */
	__atomic_store_n(&a->perm_spill, a->perm_spill + 1, __ATOMIC_RELAXED);
	if (dp_hash_5t_add(t->aux, &k, pi) != 0) {
		__atomic_store_n(&a->perm_spill, a->perm_spill - 1,
				 __ATOMIC_RELAXED);
		return -1;
	}
	return 0;
}

int
dp_turn_perm_set(struct dp_turn *t, struct dp_alloc *a, uint32_t peer_addr,
		 uint64_t now_tsc)
{
	uint64_t exp = now_tsc + (uint64_t)DP_TURN_PERM_LIFETIME * t->tsc_hz;
	struct dp_turn_perm *p = dp_turn_perm_find(t, a->id, peer_addr);
	uint32_t pi;

	if (p != NULL) {
		__atomic_store_n(&p->expires_tsc, exp, __ATOMIC_RELEASE);
		if (p->slot != 0)
			__atomic_store_n(&a->perm_exp[p->slot - 1], exp,
					 __ATOMIC_RELEASE);
		return 0;
	}
	if (a->n_perms >= t->cfg->turn.permissions_per_allocation)
		return -1;
	pi = dp_turn_pool_get(&t->perm_pool);
	if (pi == 0)
		return -1;
	p = &t->perms[pi];
	p->alloc_id = a->id;
	p->peer_addr = peer_addr;
	p->expires_tsc = exp;
	p->next = a->perm_head;
	if (perm_publish(t, a, pi) != 0) {
		t->perm_pool.free[t->perm_pool.n_free++] = pi;
		return -1;
	}
	a->perm_head = pi;
	a->n_perms++;
	t->n_perms++;
	return 0;
}

/* Room for `n` new permissions on a (per allocation and in the pool). */
bool
dp_turn_perm_room(const struct dp_turn *t, const struct dp_alloc *a,
		  unsigned n)
{
	return a->n_perms + n <= t->cfg->turn.permissions_per_allocation &&
	       t->perm_pool.n_free >= n;
}

struct dp_turn_chan *
dp_turn_chan_by_number(const struct dp_turn *t, uint32_t alloc_id,
		       uint16_t number)
{
	uint32_t i;

	for (i = t->allocs[alloc_id].chan_head; i != 0; i = t->chans[i].next)
		if (t->chans[i].number == number)
			return &t->chans[i];
	return NULL;
}

struct dp_turn_chan *
dp_turn_chan_by_peer(const struct dp_turn *t, uint32_t alloc_id,
		     uint32_t peer_addr, uint16_t peer_port)
{
	uint32_t i;

	for (i = t->allocs[alloc_id].chan_head; i != 0; i = t->chans[i].next)
		if (t->chans[i].peer_addr == peer_addr &&
		    t->chans[i].peer_port == peer_port)
			return &t->chans[i];
	return NULL;
}

/* A new channel's place for the workers: an inline slot, else two aux
 * keys (by number, by peer). -1 when the aux hash is full. */
static int
chan_publish(struct dp_turn *t, struct dp_alloc *a, uint32_t ci)
{
	struct dp_turn_chan *c = &t->chans[ci];
	int s = chan_slot_free(a);
	struct dp_hash_5t_key k1, k2;

	if (s >= 0) {
		c->slot = (uint32_t)s + 1;
		__atomic_store_n(&a->chan_inl[s].bind,
				 dp_turn_bind_word(c->peer_addr, c->peer_port,
						   c->number),
				 __ATOMIC_RELAXED);
		__atomic_store_n(&a->chan_inl[s].exp, c->expires_tsc,
				 __ATOMIC_RELEASE);
		return 0;
	}
	c->slot = 0;
	k1 = dp_turn_key(DP_TK_CHAN, a->id, 0, c->number);
	k2 = dp_turn_key(DP_TK_CHAN_PEER, c->peer_addr, a->id, c->peer_port);
	__atomic_store_n(&a->chan_spill, a->chan_spill + 1, __ATOMIC_RELAXED);
	if (dp_hash_5t_add(t->aux, &k1, ci) != 0) {
		__atomic_store_n(&a->chan_spill, a->chan_spill - 1,
				 __ATOMIC_RELAXED);
		return -1;
	}
	if (dp_hash_5t_add(t->aux, &k2, ci) != 0) {
		dp_hash_5t_del(t->aux, &k1);
		__atomic_store_n(&a->chan_spill, a->chan_spill - 1,
				 __ATOMIC_RELAXED);
		return -2;
	}
	return 0;
}

/*
 * Binds number to (peer, port) on a, or refreshes that binding. -1 (400)
 * when the number is tied to another peer or the peer to another number,
 * -2 (508) when there is no room.
 */
int
dp_turn_chan_set(struct dp_turn *t, struct dp_alloc *a, uint16_t number,
		 uint32_t peer_addr, uint16_t peer_port, uint64_t now_tsc)
{
	struct dp_turn_chan *bn = dp_turn_chan_by_number(t, a->id, number);
	struct dp_turn_chan *bp = dp_turn_chan_by_peer(t, a->id, peer_addr,
						       peer_port);
	uint64_t exp = now_tsc + (uint64_t)DP_TURN_CHAN_LIFETIME * t->tsc_hz;
	struct dp_turn_chan *c;
	uint32_t ci;
	int rc;

	if (bn != NULL || bp != NULL) {
		if (bn != bp)
			return -1;
		bn->free_tsc = exp + (uint64_t)DP_TURN_CHAN_COOLDOWN *
				     t->tsc_hz;
		__atomic_store_n(&bn->expires_tsc, exp, __ATOMIC_RELEASE);
		if (bn->slot != 0)
			__atomic_store_n(&a->chan_inl[bn->slot - 1].exp, exp,
					 __ATOMIC_RELEASE);
		return 0;
	}
	ci = dp_turn_pool_get(&t->chan_pool);
	if (ci == 0)
		return -2;
	c = &t->chans[ci];
	c->alloc_id = a->id;
	c->peer_addr = peer_addr;
	c->peer_port = peer_port;
	c->number = number;
	c->expires_tsc = exp;
	c->free_tsc = exp + (uint64_t)DP_TURN_CHAN_COOLDOWN * t->tsc_hz;
	c->next = a->chan_head;
	rc = chan_publish(t, a, ci);
	if (rc == -1) {
		t->chan_pool.free[t->chan_pool.n_free++] = ci;
		return -2;
	}
	if (rc != 0) {
		/* a reader may have found it through its first key: wait a
		 * grace period */
		pool_retire(t, &t->chan_pool, ci);
		return -2;
	}
	a->chan_head = ci;
	a->n_chans++;
	t->n_chans++;
	return 0;
}

/* --- expiry ----------------------------------------------------------------- */

/* Drops a's expired permissions and channels past their cool-down. */
static void
alloc_sweep_peers(struct dp_turn *t, struct dp_alloc *a, uint64_t now)
{
	uint32_t *link, i;

	for (link = &a->perm_head; (i = *link) != 0;) {
		if (t->perms[i].expires_tsc > now) {
			link = &t->perms[i].next;
			continue;
		}
		*link = t->perms[i].next;
		perm_unhook(t, i);
		a->n_perms--;
		t->ctr[DP_TC_EXPIRED_PERMS]++;
	}
	for (link = &a->chan_head; (i = *link) != 0;) {
		if (t->chans[i].free_tsc > now) {
			link = &t->chans[i].next;
			continue;
		}
		*link = t->chans[i].next;
		chan_unhook(t, i);
		a->n_chans--;
		t->ctr[DP_TC_EXPIRED_CHANS]++;
	}
}

void
dp_turn_sweep_slice(struct dp_turn *t, uint64_t now,
		    void (*expired)(void *arg, struct dp_alloc *a), void *arg)
{
	unsigned i;

	if (t->n_allocs == 0) {
		dp_turn_reclaim(t, false);
		return;
	}
	for (i = 0; i < SWEEP_SLICE; i++) {
		struct dp_alloc *a;

		if (++t->sweep_cursor > t->alloc_cap)
			t->sweep_cursor = 1;
		a = dp_turn_alloc(t, t->sweep_cursor);
		if (a == NULL)
			continue;
		if (a->expires_tsc <= now) {
			expired(arg, a);
			t->ctr[DP_TC_EXPIRED_ALLOCS]++;
			continue;
		}
		if (a->reserved_next && now - a->created_tsc >=
		    (uint64_t)DP_TURN_TOKEN_LIFETIME * t->tsc_hz)
			dp_turn_reserve_drop(t, a, true);
		alloc_sweep_peers(t, a, now);
	}
	dp_turn_reclaim(t, false);
}
