/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_turn_svc.c — TURN requests on the service lcore: authentication
 * (RFC 8489 §9.2 long-term credentials, stateless nonces, TURN REST
 * credentials), Allocate, Refresh, CreatePermission, ChannelBind and
 * Binding (RFC 8656), each answered with the RFCs' own error codes.
 *
 *   turn ring[w] ──► parse ──► request? ──► credentials? ─no─► 401 (rate
 *        │                          │                            limited)
 *        └► discard (counted)       ▼
 *                  nonce ours and fresh? (401 / 438) ──► key: REST secret
 *                  or the credential store ──► integrity (401) ──►
 *                  unknown attributes (420) ──► method ──► tables ──►
 *                  answer signed (MESSAGE-INTEGRITY[-SHA256], FINGERPRINT)
 *                  ──► inject ring[w] ──► worker TX
 *
 * What a stranger can make the appliance do before authenticating is
 * answer, at most turn.unauthenticated_rate times a second per source
 * (a hashed, evicting table of DP_TURN_RATE_SLOTS sources), and nothing
 * else: no state is created for a request that did not authenticate, the
 * nonce is stateless.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_random.h>
#include <rte_ring.h>
#include <rte_udp.h>

#include "dp.h"
#include "dp_log.h"
#include "dp_pkt.h"
#include "dp_turn.h"
#include "dp_turn_int.h"

#define RESP_MAX   1024
#define SVC_BURST  32
#define SWEEP_US   1000

const char *const dp_turn_ctr_names[DP_TC_MAX] = {
	[DP_TC_REQUESTS] = "requests",
	[DP_TC_ALLOCATE] = "allocate",
	[DP_TC_REFRESH] = "refresh",
	[DP_TC_PERMISSION] = "create_permission",
	[DP_TC_CHANNEL_BIND] = "channel_bind",
	[DP_TC_BINDING] = "binding",
	[DP_TC_SUCCESS] = "success",
	[DP_TC_CHALLENGED] = "challenged",
	[DP_TC_AUTH_FAILED] = "auth_failed",
	[DP_TC_RATE_LIMITED] = "rate_limited",
	[DP_TC_DISCARDED] = "discarded",
	[DP_TC_EXPIRED_ALLOCS] = "expired_allocations",
	[DP_TC_EXPIRED_PERMS] = "expired_permissions",
	[DP_TC_EXPIRED_CHANS] = "expired_channels",
	[DP_TC_TX_FULL] = "answers_lost",
};

const uint16_t dp_turn_err_codes[DP_TE_MAX] = {
#define X(c) c,
	DP_TURN_ERR_CODES
#undef X
};

/* PASSWORD-ALGORITHMS as every challenge sends it, most preferred first
 * (RFC 8489 §9.2.4: a request must echo exactly this list, so a client
 * cannot be bid down to MD5 by an attacker stripping SHA-256). */
static const uint16_t offered_algs[] = { STUN_PWALG_SHA256, STUN_PWALG_MD5 };

#define REST_GRACE_MAX 86400   /* s a replaced REST secret may stay good */

/* One request on its way through. */
struct req {
	struct dp_main *dm;
	struct dp_turn *t;
	unsigned w;
	struct rte_mbuf *m;
	unsigned iface;
	uint32_t client_addr, our_addr;     /* network order */
	uint16_t client_port, listen_port;  /* host order */
	struct stun_addr client;
	struct stun_msg msg;
	uint64_t now_tsc, now_s;
	/* after authentication */
	bool authed;
	bool rest_key;                      /* key derived here: wipe it */
	struct stun_key key;
	const struct stun_key *k;
	char username[SL_USERNAME_MAX];
	/* the answer */
	struct stun_writer wr;
	uint8_t resp[RESP_MAX];
};

/* --- the unauthenticated-rate limiter ----------------------------------------- */

/* Takes one answer from src's bucket: false when it is empty. */
static bool
rate_take(struct dp_turn *t, uint32_t src, uint64_t now, bool peek)
{
	struct dp_turn_rate *r = &t->rate[rte_hash_crc_4byte(src, 0x7a7e) &
					  (DP_TURN_RATE_SLOTS - 1)];
	uint64_t rate = t->cfg->turn.unauth_rate, full = rate * 1024;
	uint64_t add;

	if (r->addr != src) {           /* a new source evicts the old */
		if (peek)
			return true;
		r->addr = src;
		r->tokens = (uint32_t)RTE_MIN(full, (uint64_t)UINT32_MAX);
		r->last_tsc = now;
	}
	add = (now - r->last_tsc) * rate * 1024 / t->tsc_hz;
	if (add > 0) {
		uint64_t v = r->tokens + add;

		if (v > full)
			v = full;
		r->tokens = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
		r->last_tsc = now;
	}
	if (r->tokens < 1024)
		return false;
	if (!peek)
		r->tokens -= 1024;
	return true;
}

/* --- answers ---------------------------------------------------------------- */

static void
err_count(struct dp_turn *t, unsigned code)
{
	unsigned i;

	for (i = 0; i < DP_TE_MAX; i++)
		if (dp_turn_err_codes[i] == code) {
			t->err[i]++;
			return;
		}
}

/* The request's mbuf becomes the answer: Ethernet, IPv4 and UDP back to
 * where it came from, then queued to its worker's inject ring. */
static void
reply_send(struct req *r)
{
	struct rte_mbuf *m = r->m;
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ether_addr client_mac = eh->src_addr;
	const struct dp_iface *ifc = &r->dm->ifaces[r->iface];
	uint32_t hdrs = sizeof(*eh) + sizeof(struct rte_ipv4_hdr) +
			sizeof(struct rte_udp_hdr);
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *uh;
	uint8_t *p;

	r->m = NULL;
	if (r->wr.err != STUN_OK) {
		DP_LOG(ERR, "TURN answer not written: %s",
		       stun_strerror(r->wr.err));
		rte_pktmbuf_free(m);
		return;
	}
	rte_pktmbuf_reset(m);
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(hdrs + r->wr.len));
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return;
	}
	eh = (struct rte_ether_hdr *)p;
	eh->dst_addr = client_mac;
	eh->src_addr = ifc->mac;
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eh + 1);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*uh) +
					    r->wr.len);
	ip->time_to_live = DP_RELAY_TTL;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = r->our_addr;
	ip->dst_addr = r->client_addr;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	uh = (struct rte_udp_hdr *)(ip + 1);
	uh->src_port = rte_cpu_to_be_16(r->listen_port);
	uh->dst_port = rte_cpu_to_be_16(r->client_port);
	uh->dgram_len = rte_cpu_to_be_16(sizeof(*uh) + r->wr.len);
	memcpy(uh + 1, r->resp, r->wr.len);
	uh->dgram_cksum = 0;
	uh->dgram_cksum = rte_ipv4_udptcp_cksum(ip, uh);
	m->l2_len = sizeof(*eh);
	m->l3_len = sizeof(*ip);
	m->port = (uint16_t)r->iface;
	if (rte_ring_sp_enqueue(r->dm->workers[r->w]->inject_ring, m) != 0) {
		r->t->ctr[DP_TC_TX_FULL]++;
		dp_drop(&r->dm->service, m, DP_DROP_INJECT_RING_FULL);
	}
}

static void
answer_start(struct req *r, enum stun_class cls)
{
	stun_writer_init_response(&r->wr, r->resp, sizeof(r->resp), &r->msg,
				  cls);
}

/* SOFTWARE when configured, the integrity attributes after
 * authentication, FINGERPRINT, and off it goes. */
static void
answer_finish(struct req *r)
{
	if (r->t->cfg->turn.software)
		stun_put_str(&r->wr, STUN_A_SOFTWARE, "sluice " SLUICE_VERSION);
	if (r->authed) {
		/* the integrity attributes the request carried (RFC 8489
		 * §9.2.4), with the key it authenticated with */
		if (r->msg.have & STUN_HAVE_MESSAGE_INTEGRITY)
			stun_put_integrity(&r->wr, r->k);
		if (r->msg.have & STUN_HAVE_MESSAGE_INTEGRITY_SHA256)
			stun_put_integrity_sha256(&r->wr, r->k,
						  STUN_SHA256_LEN);
	}
	stun_put_fingerprint(&r->wr);
	reply_send(r);
}

static void
answer_error(struct req *r, unsigned code)
{
	answer_start(r, STUN_ERROR);
	stun_put_error(&r->wr, code, NULL);
	err_count(r->t, code);
	answer_finish(r);
}

/* 401 / 438: the realm and a fresh nonce, unsigned. */
static void
answer_challenge(struct req *r, unsigned code)
{
	char nonce[TURN_NONCE_LEN];

	turn_nonce_make(&r->t->nonce, TURN_FEATURE_PASSWORD_ALGORITHMS,
			r->now_s + DP_TURN_NONCE_LIFETIME, &r->client, nonce);
	answer_start(r, STUN_ERROR);
	stun_put_error(&r->wr, code, NULL);
	stun_put_str(&r->wr, STUN_A_REALM, r->t->cfg->turn.realm);
	stun_put(&r->wr, STUN_A_NONCE, nonce, sizeof(nonce));
	stun_put_password_algorithms(&r->wr, offered_algs,
				     RTE_DIM(offered_algs));
	err_count(r->t, code);
	r->authed = false;
	answer_finish(r);
}

/* An answer before authentication: within the source's rate, or dropped. */
static bool
unauth_allowed(struct req *r)
{
	if (rate_take(r->t, r->client_addr, r->now_tsc, false))
		return true;
	r->t->ctr[DP_TC_RATE_LIMITED]++;
	dp_drop(&r->dm->service, r->m, DP_DROP_TURN_RATE_LIMITED);
	r->m = NULL;
	return false;
}

static void
unauth_error(struct req *r, unsigned code)
{
	if (unauth_allowed(r))
		answer_error(r, code);
}

static void
unauth_challenge(struct req *r, unsigned code)
{
	if (unauth_allowed(r))
		answer_challenge(r, code);
}

/* --- authentication ------------------------------------------------------------ */

static bool
span_str(const struct stun_msg *m, struct stun_span s, char *out, size_t cap)
{
	if (s.off == 0 || s.len == 0 || s.len >= cap ||
	    memchr(stun_span_ptr(m, s), '\0', s.len) != NULL)
		return false;
	memcpy(out, stun_span_ptr(m, s), s.len);
	out[s.len] = '\0';
	return true;
}

/* A REST username's key under one secret, checked against the request's
 * integrity: true when it verified (r->k is then the key). */
static bool
rest_verify(struct req *r, const struct stun_key *secret, uint16_t alg)
{
	const struct sl_config *cfg = r->t->cfg;
	uint8_t key[TURN_KEY_MAX];
	size_t klen;

	if (turn_rest_key(secret, r->username, strlen(r->username),
			  cfg->turn.realm, strlen(cfg->turn.realm), alg,
			  r->now_s, key, &klen) != TURN_REST_OK)
		return false;
	stun_key_init(&r->key, key, klen);
	memset(key, 0, sizeof(key));
	r->rest_key = true;
	r->k = &r->key;
	return stun_check_integrity(&r->msg, r->k) == STUN_OK;
}

static bool
rest_prev_valid(const struct dp_turn *t, uint64_t now_s)
{
	return t->has_rest_prev && now_s < t->rest_prev_until_s;
}

/* True when the request's user is who its MESSAGE-INTEGRITY says: a REST
 * name under the current secret (or, within the rotation grace, the
 * previous one), else the credential store's key for alg. */
static bool
user_verify(struct req *r, uint16_t alg)
{
	struct dp_turn *t = r->t;
	const struct dp_cred *c;
	uint64_t expiry;
	bool prev = rest_prev_valid(t, r->now_s);

	if ((t->has_rest || prev) &&
	    turn_rest_expiry(r->username, strlen(r->username), &expiry) ==
	    TURN_REST_OK)
		return (t->has_rest && rest_verify(r, &t->rest, alg)) ||
		       (prev && rest_verify(r, &t->rest_prev, alg));
	c = dp_flow_cred_find(&r->dm->flow, r->username);
	if (c == NULL)
		return false;
	if (alg == STUN_PWALG_MD5)
		r->k = &c->hk;
	else if (alg == STUN_PWALG_SHA256 && c->has_sha256)
		r->k = &c->hk256;
	else
		return false;
	return stun_check_integrity(&r->msg, r->k) == STUN_OK;
}

/* True when the request authenticated; else it was answered or dropped. */
static bool
authenticate(struct req *r)
{
	const struct stun_msg *m = &r->msg;
	const char *realm = r->t->cfg->turn.realm;
	uint32_t features = 0;
	uint16_t alg;

	if (!(m->have & (STUN_HAVE_MESSAGE_INTEGRITY |
			 STUN_HAVE_MESSAGE_INTEGRITY_SHA256))) {
		r->t->ctr[DP_TC_CHALLENGED]++;
		unauth_challenge(r, 401);
		return false;
	}
	if (!(m->have & STUN_HAVE_REALM) || !(m->have & STUN_HAVE_NONCE) ||
	    !span_str(m, m->username, r->username, sizeof(r->username))) {
		unauth_error(r, 400);
		return false;
	}
	switch (turn_nonce_check(&r->t->nonce, stun_span_ptr(m, m->nonce),
				 m->nonce.len, &r->client, r->now_s,
				 &features)) {
	case TURN_NONCE_OK:
		break;
	case TURN_NONCE_STALE:
		unauth_challenge(r, 438);
		return false;
	default:
		r->t->ctr[DP_TC_AUTH_FAILED]++;
		unauth_challenge(r, 401);
		return false;
	}
	if (turn_password_algorithm(m, features, offered_algs,
				    RTE_DIM(offered_algs), &alg) != STUN_OK) {
		unauth_error(r, 400);
		return false;
	}
	/* the nonce is ours and fresh: from here a wrong answer costs an
	 * HMAC, still within the source's rate */
	if (!rate_take(r->t, r->client_addr, r->now_tsc, true)) {
		r->t->ctr[DP_TC_RATE_LIMITED]++;
		dp_drop(&r->dm->service, r->m, DP_DROP_TURN_RATE_LIMITED);
		r->m = NULL;
		return false;
	}
	if (!stun_span_equal(m, m->realm, realm, strlen(realm)) ||
	    !user_verify(r, alg)) {
		r->t->ctr[DP_TC_AUTH_FAILED]++;
		unauth_challenge(r, 401);
		return false;
	}
	r->authed = true;
	return true;
}

/* --- the methods ------------------------------------------------------------------ */

static struct dp_alloc *
my_alloc(struct req *r)
{
	struct dp_hash_5t_key k = dp_turn_client_key(r->client_addr,
						     r->our_addr,
						     r->client_port,
						     r->listen_port);

	return dp_turn_alloc(r->t, dp_hash_5t_lookup(r->t->clients, &k));
}

/* An allocation the request may act on: 437 when there is none, 441 when
 * it belongs to another user (RFC 8656 §7.2, §7.3). */
static struct dp_alloc *
owned_alloc(struct req *r)
{
	struct dp_alloc *a = my_alloc(r);

	if (a == NULL) {
		answer_error(r, 437);
		return NULL;
	}
	if (strcmp(r->t->usernames[a->id], r->username) != 0) {
		answer_error(r, 441);
		return NULL;
	}
	return a;
}

static uint32_t
lifetime_of(const struct stun_msg *m, bool allocate)
{
	uint32_t l;

	if (!(m->have & STUN_HAVE_LIFETIME))
		return DP_TURN_DEFAULT_LIFETIME;
	l = m->lifetime;
	if (l > DP_TURN_MAX_LIFETIME)
		l = DP_TURN_MAX_LIFETIME;
	if (allocate && l < DP_TURN_DEFAULT_LIFETIME)
		l = DP_TURN_DEFAULT_LIFETIME;
	return l;
}

static void
alloc_event(struct req *r, uint16_t type, const struct dp_alloc *a,
	    uint32_t reason)
{
	dp_ctl_alloc_event(r->dm, type, a, r->t->usernames[a->id], reason);
}

static void
allocate_success(struct req *r, struct dp_alloc *a, const uint8_t *token)
{
	struct stun_addr relayed = dp_turn_relayed_addr(r->t, a);

	answer_start(r, STUN_SUCCESS);
	stun_put_xor_addr(&r->wr, STUN_A_XOR_RELAYED_ADDRESS, &relayed);
	stun_put_u32(&r->wr, STUN_A_LIFETIME, a->lifetime_s);
	if (token != NULL)
		stun_put(&r->wr, STUN_A_RESERVATION_TOKEN, token, 8);
	stun_put_xor_addr(&r->wr, STUN_A_XOR_MAPPED_ADDRESS, &r->client);
	r->t->ctr[DP_TC_SUCCESS]++;
	answer_finish(r);
}

/* No capacity for the Allocate: 300 Try Alternate naming the cluster peer
 * with the most room when sluice-cp has one (RFC 8489 §14.15
 * ALTERNATE-SERVER; §14.8: a 300 goes only to an authenticated request and
 * carries MESSAGE-INTEGRITY, which answer_finish adds), else 508
 * Insufficient Capacity. */
static void
answer_no_capacity(struct req *r)
{
	struct stun_addr alt;

	if (r->t->alt_addr == 0) {
		answer_error(r, 508);
		return;
	}
	alt = stun_addr_v4(r->t->alt_addr, r->t->alt_port);
	answer_start(r, STUN_ERROR);
	stun_put_error(&r->wr, 300, NULL);
	stun_put_addr(&r->wr, STUN_A_ALTERNATE_SERVER, &alt);
	err_count(r->t, 300);
	answer_finish(r);
}

/* Capacity: the profile's relays, 1000 a listening port when spread over
 * a range (RFC-wise 508 Insufficient Capacity). */
static bool
capacity_left(const struct req *r)
{
	const struct sl_config *cfg = r->t->cfg;

	if (r->t->n_allocs >= r->t->alloc_cap)
		return false;
	/* a range is never multiplexed: the config rules put a multiplexing
	 * Large on one port */
	if (cfg->turn.listen.hi > cfg->turn.listen.lo &&
	    r->t->listen_count[r->listen_port] >= DP_TURN_PER_PORT)
		return false;
	return true;
}

static void
do_allocate(struct req *r)
{
	const struct stun_msg *m = &r->msg;
	struct dp_turn *t = r->t;
	struct dp_turn_alloc_req ar;
	struct dp_alloc *a = my_alloc(r), *holder = NULL;
	uint8_t token[8];
	bool reserve = false;
	uint32_t id;

	t->ctr[DP_TC_ALLOCATE]++;
	if (a != NULL) {
		/* a retransmission gets the same answer; anything else 437 */
		if (memcmp(a->tid, stun_tid(m), STUN_TID_LEN) == 0 &&
		    strcmp(t->usernames[a->id], r->username) == 0)
			allocate_success(r, a, NULL);
		else
			answer_error(r, 437);
		return;
	}
	if (!(m->have & STUN_HAVE_REQUESTED_TRANSPORT)) {
		answer_error(r, 400);
		return;
	}
	if (m->requested_transport != TURN_TRANSPORT_UDP) {
		answer_error(r, 442);
		return;
	}
	if ((m->have & STUN_HAVE_REQUESTED_ADDRESS_FAMILY) &&
	    m->requested_family != STUN_AF_IPV4) {
		answer_error(r, 440);
		return;
	}
	if ((m->have & STUN_HAVE_RESERVATION_TOKEN) &&
	    (m->have & (STUN_HAVE_EVEN_PORT |
			STUN_HAVE_REQUESTED_ADDRESS_FAMILY))) {
		answer_error(r, 400);
		return;
	}
	if (dp_turn_user_allocs(t, r->username) >=
	    t->cfg->turn.allocations_per_user) {
		answer_error(r, 486);
		return;
	}
	memset(&ar, 0, sizeof(ar));
	if (m->have & STUN_HAVE_RESERVATION_TOKEN) {
		holder = dp_turn_reserve_find(t, stun_span_ptr(m,
						m->reservation_token));
		if (holder == NULL || holder->iface != r->iface) {
			answer_error(r, 508);
			return;
		}
		ar.relay_port = holder->relay_port + 1;
		ar.relay_ai = holder->relay_ai;
	}
	if (!capacity_left(r)) {
		answer_no_capacity(r);
		return;
	}
	if (holder == NULL) {
		reserve = (m->have & STUN_HAVE_EVEN_PORT) && m->even_port_r;
		ar.relay_port = dp_turn_relay_port_pick(t, r->iface,
				m->have & STUN_HAVE_EVEN_PORT, reserve,
				&ar.relay_ai);
		if (ar.relay_port == 0) {
			answer_no_capacity(r);
			return;
		}
	} else {
		/* the port leaves the reservation for the new allocation */
		dp_turn_reserve_drop(t, holder, true);
	}
	ar.client_addr = r->client_addr;
	ar.our_addr = r->our_addr;
	ar.client_port = r->client_port;
	ar.listen_port = r->listen_port;
	ar.iface = (uint8_t)r->iface;
	ar.lifetime_s = lifetime_of(m, true);
	ar.tid = stun_tid(m);
	ar.username = r->username;
	id = dp_turn_alloc_add(t, &ar, r->now_tsc);
	if (id == 0) {
		answer_no_capacity(r);
		return;
	}
	a = &t->allocs[id];
	if (reserve) {
		uint64_t tok = rte_rand();

		memcpy(token, &tok, sizeof(token));
		dp_turn_reserve_next(t, a, token);
	}
	alloc_event(r, SL_EVT_ALLOC_CREATED, a, 0);
	allocate_success(r, a, a->reserved_next ? token : NULL);
}

static void
do_refresh(struct req *r)
{
	const struct stun_msg *m = &r->msg;
	struct dp_alloc *a;
	uint32_t lifetime;

	r->t->ctr[DP_TC_REFRESH]++;
	a = owned_alloc(r);
	if (a == NULL)
		return;
	if ((m->have & STUN_HAVE_REQUESTED_ADDRESS_FAMILY) &&
	    m->requested_family != STUN_AF_IPV4) {
		answer_error(r, 443);
		return;
	}
	lifetime = lifetime_of(m, false);
	if (lifetime == 0) {
		alloc_event(r, SL_EVT_ALLOC_EXPIRED, a, SL_ALLOC_END_REFRESH0);
		dp_turn_alloc_del(r->t, a);
	} else {
		dp_turn_alloc_refresh(r->t, a, lifetime, r->now_tsc);
	}
	answer_start(r, STUN_SUCCESS);
	stun_put_u32(&r->wr, STUN_A_LIFETIME, lifetime);
	r->t->ctr[DP_TC_SUCCESS]++;
	answer_finish(r);
}

/* A peer just permitted: when its next hop's MAC is unknown, ask for it now
 * (through the request's worker), not when its first packet is relayed. */
static void
peer_resolve(struct req *r, uint32_t peer)
{
	dp_neigh_resolve(&r->dm->service, &r->dm->ifaces[r->iface], peer,
			 r->dm->workers[r->w]->inject_ring);
}

/* A peer the request names, judged: 0 and the IPv4 address, or the error
 * code to answer (400 malformed, 443 family, 403 policy). */
static unsigned
peer_judge(struct req *r, const struct stun_addr *in, uint32_t *addr)
{
	struct stun_addr p;

	turn_peer_normalise(in, &p);
	if (p.family != STUN_AF_IPV4)
		return 443;
	if (!turn_peer_permitted(turn_peer_check(&r->t->policy, &p, NULL)))
		return 403;
	*addr = p.ip.v4;
	return 0;
}

static void
do_create_permission(struct req *r)
{
	const struct stun_msg *m = &r->msg;
	uint32_t peers[STUN_MAX_PEERS];
	struct dp_alloc *a;
	unsigned i, code, fresh = 0;

	r->t->ctr[DP_TC_PERMISSION]++;
	a = owned_alloc(r);
	if (a == NULL)
		return;
	if (m->n_peers == 0) {
		answer_error(r, 400);
		return;
	}
	for (i = 0; i < m->n_peers; i++) {
		code = peer_judge(r, &m->peers[i], &peers[i]);
		if (code != 0) {
			answer_error(r, code);
			return;
		}
		if (dp_turn_perm_find(r->t, a->id, peers[i]) == NULL)
			fresh++;
	}
	/* all or nothing (RFC 8656 §9.2) */
	if (!dp_turn_perm_room(r->t, a, fresh)) {
		answer_error(r, 508);
		return;
	}
	for (i = 0; i < m->n_peers; i++) {
		dp_turn_perm_set(r->t, a, peers[i], r->now_tsc);
		peer_resolve(r, peers[i]);
	}
	answer_start(r, STUN_SUCCESS);
	r->t->ctr[DP_TC_SUCCESS]++;
	answer_finish(r);
}

static void
do_channel_bind(struct req *r)
{
	const struct stun_msg *m = &r->msg;
	struct dp_alloc *a;
	uint32_t peer;
	unsigned code;
	int rc;

	r->t->ctr[DP_TC_CHANNEL_BIND]++;
	a = owned_alloc(r);
	if (a == NULL)
		return;
	if (!(m->have & STUN_HAVE_CHANNEL_NUMBER) || m->n_peers == 0 ||
	    !turn_channel_valid(m->channel)) {
		answer_error(r, 400);
		return;
	}
	code = peer_judge(r, &m->peers[0], &peer);
	if (code != 0) {
		answer_error(r, code);
		return;
	}
	if (dp_turn_perm_find(r->t, a->id, peer) == NULL &&
	    !dp_turn_perm_room(r->t, a, 1)) {
		answer_error(r, 508);
		return;
	}
	rc = dp_turn_chan_set(r->t, a, m->channel, peer, m->peers[0].port,
			      r->now_tsc);
	if (rc != 0) {
		answer_error(r, rc == -1 ? 400 : 508);
		return;
	}
	dp_turn_perm_set(r->t, a, peer, r->now_tsc);
	peer_resolve(r, peer);
	answer_start(r, STUN_SUCCESS);
	r->t->ctr[DP_TC_SUCCESS]++;
	answer_finish(r);
}

static void
do_binding(struct req *r)
{
	answer_start(r, STUN_SUCCESS);
	stun_put_xor_addr(&r->wr, STUN_A_XOR_MAPPED_ADDRESS, &r->client);
	r->t->ctr[DP_TC_SUCCESS]++;
	answer_finish(r);
}

/* A message that failed to parse: a request with a bad attribute gets 400
 * (RFC 8489 §6.3); anything else is not ours to answer. */
static void
malformed(struct req *r, const uint8_t *pl, uint32_t plen, enum stun_err e)
{
	uint16_t type;

	if (plen >= STUN_HEADER_LEN &&
	    (e == STUN_E_ATTR_LEN || e == STUN_E_ATTR_VALUE ||
	     e == STUN_E_TOO_MANY_PEERS)) {
		type = (uint16_t)(pl[0] << 8 | pl[1]);
		if (stun_type_class(type) == STUN_REQUEST &&
		    unauth_allowed(r)) {
			stun_writer_init(&r->wr, r->resp, sizeof(r->resp),
					 stun_type_method(type), STUN_ERROR,
					 pl + 8);
			stun_put_error(&r->wr, 400, NULL);
			err_count(r->t, 400);
			answer_finish(r);
			return;
		}
		if (r->m == NULL)
			return;
	}
	r->t->ctr[DP_TC_DISCARDED]++;
	dp_drop(&r->dm->service, r->m, DP_DROP_TURN_MALFORMED);
	r->m = NULL;
}

void
dp_turn_request(struct dp_main *dm, unsigned w, struct rte_mbuf *m)
{
	struct req rq, *r = &rq;
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m,
		const struct rte_ipv4_hdr *, m->l2_len);
	const struct rte_udp_hdr *uh = dp_udp_hdr(m);
	const uint8_t *pl = (const uint8_t *)(uh + 1);
	uint32_t plen = dp_udp_payload_len(m);
	enum stun_err e;

	r->dm = dm;
	r->t = &dm->turn;
	r->w = w;
	r->m = m;
	r->iface = m->port;
	r->client_addr = ip->src_addr;
	r->our_addr = ip->dst_addr;
	r->client_port = rte_be_to_cpu_16(uh->src_port);
	r->listen_port = rte_be_to_cpu_16(uh->dst_port);
	r->client = stun_addr_v4(r->client_addr, r->client_port);
	r->now_tsc = rte_rdtsc();
	r->now_s = (uint64_t)time(NULL);
	r->authed = false;
	r->rest_key = false;
	r->k = NULL;
	r->t->ctr[DP_TC_REQUESTS]++;

	e = stun_parse(&r->msg, pl, plen);
	if (e != STUN_OK) {
		malformed(r, pl, plen, e);
		return;
	}
	if (r->msg.cls != STUN_REQUEST) {
		r->t->ctr[DP_TC_DISCARDED]++;
		dp_drop(&dm->service, m, DP_DROP_TURN_DISCARDED);
		return;
	}
	switch (r->msg.method) {
	case STUN_BINDING:
		if (r->t->cfg->turn.stun_binding) {
			r->t->ctr[DP_TC_BINDING]++;
			if (unauth_allowed(r))
				do_binding(r);
			return;
		}
		/* fall through: a Binding authenticates like the rest */
	case TURN_ALLOCATE:
	case TURN_REFRESH:
	case TURN_CREATE_PERMISSION:
	case TURN_CHANNEL_BIND:
		break;
	default:
		unauth_error(r, 400);
		return;
	}
	if (!authenticate(r))
		return;
	/* The client proved itself: its MAC is the next hop back to it, so
	 * that a peer's data reaching the relay before the client sent any of
	 * its own is not dropped for an unresolved neighbour. */
	dp_neigh_learn(&dm->ifaces[r->iface], r->client_addr,
		       &rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->src_addr);
	if (r->msg.n_unknown > 0) {
		answer_start(r, STUN_ERROR);
		stun_put_error(&r->wr, 420, NULL);
		stun_put_unknown_attributes(&r->wr, r->msg.unknown,
					    r->msg.n_unknown);
		err_count(r->t, 420);
		answer_finish(r);
		return;
	}
	switch (r->msg.method) {
	case STUN_BINDING:
		r->t->ctr[DP_TC_BINDING]++;
		do_binding(r);
		break;
	case TURN_ALLOCATE:
		do_allocate(r);
		break;
	case TURN_REFRESH:
		do_refresh(r);
		break;
	case TURN_CREATE_PERMISSION:
		do_create_permission(r);
		break;
	case TURN_CHANNEL_BIND:
		do_channel_bind(r);
		break;
	}
	if (r->rest_key)
		stun_key_clear(&r->key);
}

unsigned
dp_turn_service(struct dp_main *dm)
{
	struct rte_mbuf *pkts[SVC_BURST];
	unsigned w, i, n, total = 0;

	if (!dm->turn.enabled)
		return 0;
	for (w = 0; w < dm->n_workers; w++) {
		if (dm->workers[w]->turn_ring == NULL)
			continue;
		n = rte_ring_sc_dequeue_burst(dm->workers[w]->turn_ring,
					      (void **)pkts, SVC_BURST, NULL);
		for (i = 0; i < n; i++)
			dp_turn_request(dm, w, pkts[i]);
		total += n;
	}
	return total;
}

static void
expired(void *arg, struct dp_alloc *a)
{
	struct dp_main *dm = arg;

	dp_ctl_alloc_event(dm, SL_EVT_ALLOC_EXPIRED, a,
			   dm->turn.usernames[a->id], SL_ALLOC_END_TIMEOUT);
	dp_turn_alloc_del(&dm->turn, a);
}

void
dp_turn_sweep(struct dp_main *dm, uint64_t now)
{
	struct dp_turn *t = &dm->turn;

	if (!t->enabled || now < t->next_sweep_tsc)
		return;
	t->next_sweep_tsc = now + t->tsc_hz * SWEEP_US / 1000000;
	dp_turn_sweep_slice(t, now, expired, dm);
	if ((uint64_t)time(NULL) - t->nonce_rotated_s >= DP_TURN_NONCE_ROTATE)
		dp_turn_nonce_rotate(t, (uint64_t)time(NULL));
}

/* --- the control plane's commands ---------------------------------------------- */

static void
rest_current_set(struct dp_turn *t, const char *secret, size_t len)
{
	memset(t->rest_secret, 0, sizeof(t->rest_secret));
	stun_key_clear(&t->rest);
	t->rest_len = (uint32_t)len;
	t->has_rest = len > 0;
	if (len > 0) {
		memcpy(t->rest_secret, secret, len);
		stun_key_init(&t->rest, secret, len);
	}
}

/* At start, from sluice-dp's own configuration ("" : none); sluice-cp's
 * TURN_SECRET replaces it once attached. */
void
dp_turn_rest_init(struct dp_turn *t, const char *secret)
{
	size_t len = strnlen(secret, SL_SECRET_MAX + 1);

	t->has_rest_prev = false;
	rest_current_set(t, secret, len <= SL_SECRET_MAX ? len : 0);
}

enum sl_result
dp_turn_secret_set(struct dp_turn *t, const struct sl_cmd_turn_secret *c,
		   char *why, size_t whylen)
{
	uint64_t now_s = (uint64_t)time(NULL);

	if (c->len > SL_SECRET_MAX || (c->len > 0 && c->len < 16) ||
	    memchr(c->secret, '\0', c->len) != NULL) {
		snprintf(why, whylen, "REST secret length %u: 0 or 16-%u bytes "
			 "without NUL", c->len, SL_SECRET_MAX);
		return SL_E_MALFORMED;
	}
	if (c->grace_s > REST_GRACE_MAX) {
		snprintf(why, whylen, "grace %u s above %u s", c->grace_s,
			 REST_GRACE_MAX);
		return SL_E_MALFORMED;
	}
	if (!t->enabled)
		return SL_OK;   /* nothing to authenticate */
	if (c->len == t->rest_len &&
	    memcmp(c->secret, t->rest_secret, c->len) == 0)
		return SL_OK;   /* a resync sends the same one again */
	/* the outgoing secret keeps its REST names good for the grace */
	stun_key_clear(&t->rest_prev);
	t->has_rest_prev = t->has_rest && c->grace_s > 0;
	if (t->has_rest_prev) {
		t->rest_prev = t->rest;
		t->rest_prev_until_s = now_s + c->grace_s;
	}
	rest_current_set(t, c->secret, c->len);
	DP_LOG(NOTICE, "TURN REST secret %s; the previous one %s",
	       c->len ? "replaced" : "removed",
	       t->has_rest_prev ? "stays valid for the grace period" :
	       "is no longer accepted");
	if (t->has_rest_prev)
		DP_LOG(INFO, "TURN REST grace: %u s", c->grace_s);
	return SL_OK;
}

enum sl_result
dp_turn_alternate_set(struct dp_turn *t,
		      const struct sl_cmd_turn_alternate *c, char *why,
		      size_t whylen)
{
	uint32_t a = rte_be_to_cpu_32(c->addr);

	if (c->addr != 0 && (c->port == 0 || (a >> 24) == 0 ||
			     (a >> 24) == 127 || (a >> 28) >= 0xe)) {
		snprintf(why, whylen, "alternate server %u.%u.%u.%u:%u is not "
			 "a unicast address and port", a >> 24,
			 (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff, c->port);
		return SL_E_MALFORMED;
	}
	if (c->addr != t->alt_addr || c->port != t->alt_port) {
		if (c->addr != 0)
			DP_LOG(NOTICE, "TURN alternate server %u.%u.%u.%u:%u "
			       "(room %u): a full appliance answers 300",
			       a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff,
			       a & 0xff, c->port, c->room);
		else
			DP_LOG(NOTICE, "TURN alternate server cleared: a full "
			       "appliance answers 508");
	}
	t->alt_addr = c->addr;
	t->alt_port = c->addr != 0 ? c->port : 0;
	t->alt_room = c->addr != 0 ? c->room : 0;
	return SL_OK;
}
