/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_flow.c — the flow tables (see dp_flow.h): creation from the profile,
 * the service lcore's add / modify / delete, the grace-period reclaim, and
 * the workers' burst lookup.
 *
 * Publication order, so that a worker never sees a half-made leg:
 *   add:  fill every field → state = ACTIVE (release) → index entry (release)
 *   del:  index entry removed → state = RETIRING (release) → grace period →
 *         slot cleared and FREE; the mux hash position freed likewise.
 * A modify writes fields in place one word at a time: a worker may relay one
 * packet with the old remote and the next with the new, never a torn word.
 *
 * A PORT leg takes two entries of the port index, RTP (local_port, even)
 * and RTCP (local_port + 1), or one with rtcp-mux; the pair's odd port is
 * then still reserved for it, so a second leg cannot take it.
 *
 * The multiplexID table is dp_hash_u32 (dp_hash.h: one writer, lock-free
 * readers, a freed slot reusable at once); the leg behind a deleted ID waits
 * for the grace period as any leg does. docs/flow-tables.md has the
 * benchmark behind the choice (rte_hash, cds_lfht and dp_hash compared).
 * The credential table stays an rte_hash: it is looked up once per TURN
 * request, not per packet, and its keys are long strings.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <urcu-qsbr.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include "dp_flow.h"
#include "dp_hash.h"
#include "dp_log.h"
#include "sl_shm.h"

#define RETIRE_BATCH     1024    /* a grace period at least every this many */
#define RETIRE_AGE_US    1000    /* ... or once the oldest waited this long */
#define CRED_HASH_MIN    64

static uint32_t
cred_capacity(const struct sl_config *cfg)
{
	uint32_t n = cfg->n_creds * 2;

	return n < CRED_HASH_MIN ? CRED_HASH_MIN : n;
}

uint64_t
dp_flow_mem_bytes(const struct sl_config *cfg)
{
	uint64_t legs = cfg->capacity.media_legs;
	uint64_t creds = cred_capacity(cfg);

	/* legs, port index, retire list, credentials and their hash; the
	 * multiplexID table (about 12 B an entry) is libc memory, not EAL's */
	return (legs + 1) * sizeof(struct dp_leg) + 65536 * sizeof(uint32_t) +
	       legs * sizeof(uint32_t) +
	       creds * (sizeof(struct dp_cred) + 192);
}

static struct rte_hash *
hash_create(const char *what, const char *instance, uint32_t entries,
	    uint32_t key_len, int socket)
{
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters p = {
		.name = name,
		.entries = entries,
		.key_len = key_len,
		.hash_func = rte_hash_crc,
		.hash_func_init_val = 0,
		.socket_id = socket,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF |
			      RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};

	/* unique within the EAL instance, so a second table set can coexist
	 * (the benchmark measures one) */
	snprintf(name, sizeof(name), "sl_%s_%.20s", what, instance);
	return rte_hash_create(&p);
}

int
dp_flow_init(struct dp_flow *ft, const struct sl_config *cfg,
	     const char *instance, int socket)
{
	uint32_t cap = cfg->capacity.media_legs;

	memset(ft, 0, sizeof(*ft));
	ft->leg_cap = cap;
	ft->tsc_hz = rte_get_tsc_hz();
	ft->n_ifaces = cfg->n_ifaces;
	ft->media_min = cfg->media.ports.lo;
	ft->media_max = cfg->media.ports.hi;
	ft->demux_min = cfg->media.demux_rtp_port;
	ft->demux_max = cfg->media.demux_rtp_port +
			2 * cfg->media.demux_pairs - 1;
	ft->legs = rte_zmalloc_socket("sl_legs",
				      (size_t)(cap + 1) * sizeof(*ft->legs),
				      RTE_CACHE_LINE_SIZE, socket);
	ft->port_leg = rte_zmalloc_socket("sl_port_leg",
					  65536 * sizeof(*ft->port_leg),
					  RTE_CACHE_LINE_SIZE, socket);
	ft->retire_legs = rte_malloc_socket("sl_retire",
				(size_t)cap * sizeof(*ft->retire_legs), 0,
				socket);
	ft->mux = dp_hash_u32_create(cap, rte_rand());
	ft->cred_cap = cred_capacity(cfg);
	ft->creds = rte_zmalloc_socket("sl_creds",
				(size_t)ft->cred_cap * sizeof(*ft->creds),
				RTE_CACHE_LINE_SIZE, socket);
	ft->cred_hash = hash_create("cred", instance, ft->cred_cap,
				    SL_USERNAME_MAX, socket);
	if (ft->legs == NULL || ft->port_leg == NULL ||
	    ft->retire_legs == NULL || ft->mux == NULL || ft->creds == NULL || ft->cred_hash == NULL) {
		DP_LOG(ERR, "flow tables for %u legs (%.1f MB): %s "
		       "(capacity.media_legs; give EAL more memory)", cap,
		       dp_flow_mem_bytes(cfg) / 1e6, rte_strerror(rte_errno));
		dp_flow_fini(ft);
		return -1;
	}
	return 0;
}

void
dp_flow_fini(struct dp_flow *ft)
{
	if (ft->mux != NULL)
		dp_hash_u32_destroy(ft->mux);
	rte_hash_free(ft->cred_hash);
	rte_free(ft->legs);
	rte_free(ft->port_leg);
	rte_free(ft->retire_legs);
	rte_free(ft->creds);
	memset(ft, 0, sizeof(*ft));
}

/* --- validation ------------------------------------------------------------ */

/* The fields any leg command must get right, add or modify. */
static enum sl_result
spec_check_common(const struct dp_flow *ft, const struct sl_leg_spec *s,
		  char *why, size_t whylen)
{
	if (s->leg_id == 0 || s->leg_id > ft->leg_cap) {
		sl_errf(why, whylen, "leg id %u outside 1..%u", s->leg_id,
		     ft->leg_cap);
		return SL_E_RANGE;
	}
	if (s->peer_leg_id > ft->leg_cap || s->peer_leg_id == s->leg_id) {
		sl_errf(why, whylen, "leg %u: peer %u is itself or outside "
		     "1..%u", s->leg_id, s->peer_leg_id, ft->leg_cap);
		return SL_E_RANGE;
	}
	if (s->latch > SL_LATCH_RELATCH || (s->flags & ~SL_LEG_F_ALL) ||
	    (s->flags & (SL_LEG_F_REMOTE_KNOWN | SL_LEG_F_LATCHED)) ==
	    SL_LEG_F_LATCHED ||
	    (s->flags & (SL_LEG_F_RTCP_KNOWN | SL_LEG_F_RTCP_LATCHED)) ==
	    SL_LEG_F_RTCP_LATCHED) {
		sl_errf(why, whylen, "leg %u: latch %u or flags 0x%x unknown",
		     s->leg_id, s->latch, s->flags);
		return SL_E_MALFORMED;
	}
	if (s->latch == SL_LATCH_STRICT &&
	    !(s->flags & SL_LEG_F_REMOTE_KNOWN)) {
		sl_errf(why, whylen, "leg %u: strict latching needs a remote "
		     "address", s->leg_id);
		return SL_E_MALFORMED;
	}
	if (s->latch == SL_LATCH_RELATCH && s->relatch_ms == 0) {
		sl_errf(why, whylen, "leg %u: relatch needs relatch_ms > 0",
		     s->leg_id);
		return SL_E_MALFORMED;
	}
	if ((s->flags & SL_LEG_F_REMOTE_KNOWN) &&
	    (s->remote_addr == 0 || s->remote_port == 0 ||
	     (!(s->flags & (SL_LEG_F_RTCP_KNOWN | SL_LEG_F_RTCP_MUX)) &&
	      s->remote_port == UINT16_MAX))) {
		sl_errf(why, whylen, "leg %u: remote address or port is 0 (or "
		     "65535 with RTCP on the next port)", s->leg_id);
		return SL_E_MALFORMED;
	}
	if ((s->flags & SL_LEG_F_RTCP_KNOWN) &&
	    (s->rtcp_remote_addr == 0 || s->rtcp_remote_port == 0)) {
		sl_errf(why, whylen, "leg %u: RTCP remote address or port is 0",
		     s->leg_id);
		return SL_E_MALFORMED;
	}
	if ((s->flags & SL_LEG_F_RTCP_MUX) && s->kind != SL_LEG_PORT) {
		sl_errf(why, whylen, "leg %u: rtcp-mux is for port legs (a "
		     "multiplexed leg has its RTCP port)", s->leg_id);
		return SL_E_MALFORMED;
	}
	if ((s->flags & SL_LEG_F_KEEPALIVE) &&
	    (s->keepalive_pt > 127 || s->kind != SL_LEG_MUX)) {
		sl_errf(why, whylen, "leg %u: keep-alive payload type %u: "
		     "0-127, multiplexed legs only", s->leg_id,
		     s->keepalive_pt);
		return SL_E_MALFORMED;
	}
	return SL_OK;
}

static enum sl_result
spec_check_new(const struct dp_flow *ft, const struct sl_leg_spec *s,
	       char *why, size_t whylen)
{
	enum sl_result r = spec_check_common(ft, s, why, whylen);

	if (r != SL_OK)
		return r;
	if (s->iface >= ft->n_ifaces) {
		sl_errf(why, whylen, "leg %u: interface %u of %u", s->leg_id,
		     s->iface, ft->n_ifaces);
		return SL_E_RANGE;
	}
	switch (s->kind) {
	case SL_LEG_PORT:
		/* the pair's two ports, both in the range, neither a
		 * demultiplexing port */
		if ((s->local_port & 1) || s->local_port < ft->media_min ||
		    s->local_port + 1 > ft->media_max ||
		    (s->local_port + 1 >= ft->demux_min &&
		     s->local_port <= ft->demux_max)) {
			sl_errf(why, whylen, "leg %u: port %u is not the even "
			     "port of a pair in the media range %u-%u (less "
			     "the demultiplexing ports %u-%u)", s->leg_id,
			     s->local_port, ft->media_min, ft->media_max,
			     ft->demux_min, ft->demux_max);
			return SL_E_RANGE;
		}
		return SL_OK;
	case SL_LEG_MUX:
		if (s->mux_id_rx == 0 || (s->local_port & 1) ||
		    s->local_port < ft->demux_min ||
		    s->local_port > ft->demux_max) {
			sl_errf(why, whylen, "leg %u: multiplexID %u must be "
			     "nonzero and port %u the RTP port of one of the "
			     "demultiplexing pairs %u-%u", s->leg_id,
			     s->mux_id_rx, s->local_port, ft->demux_min,
			     ft->demux_max);
			return SL_E_RANGE;
		}
		return SL_OK;
	default:
		sl_errf(why, whylen, "leg %u: kind %u unknown", s->leg_id,
		     s->kind);
		return SL_E_MALFORMED;
	}
}

/* The remote of one component a command gives, 0 when none. */
static uint64_t
spec_remote(const struct sl_leg_spec *s, enum sl_component c)
{
	uint64_t r;

	if (c == SL_COMP_RTCP && (s->flags & SL_LEG_F_RTCP_KNOWN)) {
		r = dp_remote_pack(s->rtcp_remote_addr, s->rtcp_remote_port);
		return (s->flags & SL_LEG_F_RTCP_LATCHED) ?
		       r | DP_REMOTE_LATCHED : r;
	}
	if (!(s->flags & SL_LEG_F_REMOTE_KNOWN))
		return 0;
	if (c == SL_COMP_RTP) {
		r = dp_remote_pack(s->remote_addr, s->remote_port);
		return (s->flags & SL_LEG_F_LATCHED) ?
		       r | DP_REMOTE_LATCHED : r;
	}
	/* RTCP implied by a known RTP remote (RFC 3550 §11): the next port,
	 * or the same one with rtcp-mux; latched from media, or not, on its
	 * own */
	if (s->flags & SL_LEG_F_RTCP_MUX)
		return dp_remote_pack(s->remote_addr, s->remote_port);
	if (s->flags & SL_LEG_F_LATCHED)
		return 0; /* a latched RTP port says nothing of RTCP's */
	return dp_remote_pack(s->remote_addr, s->remote_port + 1);
}

/* A PT above 127 never matches (dp_rtp_is_keepalive). */
static uint8_t
leg_keepalive_pt(const struct sl_leg_spec *s)
{
	return (s->flags & SL_LEG_F_KEEPALIVE) ? s->keepalive_pt : 0xff;
}

static uint64_t
ms_to_tsc(const struct dp_flow *ft, unsigned ms)
{
	return ft->tsc_hz / 1000 * ms;
}

/* --- add / modify / delete (service lcore) --------------------------------- */

static void
leg_fill(const struct dp_flow *ft, struct dp_leg *l,
	 const struct sl_leg_spec *s, uint64_t now)
{
	l->id = s->leg_id;
	l->peer_id = s->peer_leg_id;
	l->kind = s->kind;
	l->iface = s->iface;
	l->latch = s->latch;
	l->local_port = s->local_port;
	l->rtcp_mux = !!(s->flags & SL_LEG_F_RTCP_MUX);
	l->keepalive_pt = leg_keepalive_pt(s);
	l->mux_id_rx = s->mux_id_rx;
	l->mux_id_tx = s->mux_id_tx;
	l->remote[SL_COMP_RTP] = spec_remote(s, SL_COMP_RTP);
	l->remote[SL_COMP_RTCP] = spec_remote(s, SL_COMP_RTCP);
	l->relatch_ms = s->relatch_ms;
	l->relatch_tsc = ms_to_tsc(ft, s->relatch_ms);
	memset(&l->pkts_in, 0, 2 * RTE_CACHE_LINE_SIZE); /* lines 1 and 2 */
	l->last_rx_tsc = now;
	l->cookie = s->cookie;
	l->idle_reported_tsc = 0;
	l->idle_timeout_s = s->idle_timeout_s;
}

enum sl_result
dp_flow_leg_add(struct dp_flow *ft, const struct sl_leg_spec *s, char *why,
		size_t whylen)
{
	enum sl_result r = spec_check_new(ft, s, why, whylen);
	struct dp_leg *l;
	int rc;

	if (r != SL_OK)
		return r;
	l = &ft->legs[s->leg_id];
	if (l->state == DP_LEG_RETIRING)
		dp_flow_reclaim(ft, true); /* the id comes back at once */
	if (l->state != DP_LEG_FREE) {
		sl_errf(why, whylen, "leg %u exists", s->leg_id);
		return SL_E_EXISTS;
	}
	if (s->kind == SL_LEG_PORT && (ft->port_leg[s->local_port] != 0 ||
				       ft->port_leg[s->local_port + 1] != 0)) {
		sl_errf(why, whylen, "leg %u: port pair %u/%u is leg %u's",
		     s->leg_id, s->local_port, s->local_port + 1,
		     ft->port_leg[s->local_port] ?
		     ft->port_leg[s->local_port] :
		     ft->port_leg[s->local_port + 1]);
		return SL_E_EXISTS;
	}
	if (s->kind == SL_LEG_MUX &&
	    dp_hash_u32_lookup(ft->mux, s->mux_id_rx) != DP_HASH_NONE) {
		sl_errf(why, whylen, "leg %u: multiplexID %u in use", s->leg_id,
		     s->mux_id_rx);
		return SL_E_EXISTS;
	}
	leg_fill(ft, l, s, rte_rdtsc());
	__atomic_store_n(&l->state, DP_LEG_ACTIVE, __ATOMIC_RELEASE);
	if (s->kind == SL_LEG_MUX) {
		rc = dp_hash_u32_add(ft->mux, s->mux_id_rx, s->leg_id);
		if (rc != 0) {
			/* never indexed: no reader can have it */
			__atomic_store_n(&l->state, DP_LEG_FREE,
					 __ATOMIC_RELEASE);
			sl_errf(why, whylen, "leg %u: multiplexID table full",
			     s->leg_id);
			return SL_E_CAPACITY;
		}
	} else {
		/* the RTCP port is the leg's even with rtcp-mux: reserved, and
		 * its packets are dropped as the leg's "other" */
		__atomic_store_n(&ft->port_leg[s->local_port], s->leg_id,
				 __ATOMIC_RELEASE);
		__atomic_store_n(&ft->port_leg[s->local_port + 1], s->leg_id,
				 __ATOMIC_RELEASE);
	}
	ft->n_legs++;
	return SL_OK;
}

enum sl_result
dp_flow_leg_mod(struct dp_flow *ft, const struct sl_leg_spec *s, char *why,
		size_t whylen)
{
	enum sl_result r = spec_check_common(ft, s, why, whylen);
	struct dp_leg *l;

	if (r != SL_OK)
		return r;
	l = &ft->legs[s->leg_id];
	if (l->state != DP_LEG_ACTIVE) {
		sl_errf(why, whylen, "leg %u does not exist", s->leg_id);
		return SL_E_NOT_FOUND;
	}
	if (s->kind != l->kind || s->iface != l->iface ||
	    s->local_port != l->local_port || s->mux_id_rx != l->mux_id_rx ||
	    !!(s->flags & SL_LEG_F_RTCP_MUX) != l->rtcp_mux) {
		sl_errf(why, whylen, "leg %u: kind, interface, port, rtcp-mux "
		     "and multiplexID are fixed (delete and add instead)",
		     s->leg_id);
		return SL_E_MALFORMED;
	}
	__atomic_store_n(&l->peer_id, s->peer_leg_id, __ATOMIC_RELAXED);
	__atomic_store_n(&l->relatch_tsc, ms_to_tsc(ft, s->relatch_ms),
			 __ATOMIC_RELAXED);
	__atomic_store_n(&l->latch, s->latch, __ATOMIC_RELAXED);
	__atomic_store_n(&l->mux_id_tx, s->mux_id_tx, __ATOMIC_RELAXED);
	__atomic_store_n(&l->keepalive_pt, leg_keepalive_pt(s),
			 __ATOMIC_RELAXED);
	/* keep latched addresses unless the control plane names one */
	if (s->flags & SL_LEG_F_REMOTE_KNOWN)
		__atomic_store_n(&l->remote[SL_COMP_RTP],
				 spec_remote(s, SL_COMP_RTP), __ATOMIC_RELEASE);
	/* an RTCP remote named replaces; one implied by the RTP remote
	 * replaces only one that was not latched */
	if ((s->flags & SL_LEG_F_RTCP_KNOWN) ||
	    ((s->flags & SL_LEG_F_REMOTE_KNOWN) &&
	     !(l->remote[SL_COMP_RTCP] & DP_REMOTE_LATCHED))) {
		uint64_t rtcp = spec_remote(s, SL_COMP_RTCP);

		if (rtcp != 0)
			__atomic_store_n(&l->remote[SL_COMP_RTCP], rtcp,
					 __ATOMIC_RELEASE);
	}
	l->cookie = s->cookie;
	l->idle_timeout_s = s->idle_timeout_s;
	l->relatch_ms = s->relatch_ms;
	return SL_OK;
}

enum sl_result
dp_flow_leg_del(struct dp_flow *ft, uint32_t id)
{
	struct dp_leg *l;

	if (id == 0 || id > ft->leg_cap)
		return SL_E_RANGE;
	l = &ft->legs[id];
	if (l->state != DP_LEG_ACTIVE)
		return SL_E_NOT_FOUND;
	if (l->kind == SL_LEG_MUX) {
		dp_hash_u32_del(ft->mux, l->mux_id_rx);
	} else {
		__atomic_store_n(&ft->port_leg[l->local_port], 0,
				 __ATOMIC_RELEASE);
		__atomic_store_n(&ft->port_leg[l->local_port + 1], 0,
				 __ATOMIC_RELEASE);
	}
	__atomic_store_n(&l->state, DP_LEG_RETIRING, __ATOMIC_RELEASE);
	if (ft->n_retire == 0)
		ft->retire_since_tsc = rte_rdtsc();
	ft->retire_legs[ft->n_retire] = id;
	ft->n_retire++;
	ft->n_legs--;
	if (ft->n_retire >= RETIRE_BATCH)
		dp_flow_reclaim(ft, true);
	return SL_OK;
}

void
dp_flow_reclaim(struct dp_flow *ft, bool force)
{
	uint32_t i;

	if (ft->n_retire == 0)
		return;
	if (!force && rte_rdtsc() - ft->retire_since_tsc <
	    ft->tsc_hz * RETIRE_AGE_US / US_PER_S)
		return;
	/* Workers are online QSBR readers that pass a quiescent state every
	 * poll loop (or are offline while sleeping): this returns within a
	 * poll loop's time. */
	synchronize_rcu();
	ft->grace_periods++;
	for (i = 0; i < ft->n_retire; i++) {
		struct dp_leg *l = &ft->legs[ft->retire_legs[i]];

		memset(l, 0, sizeof(*l));
		__atomic_store_n(&l->state, DP_LEG_FREE, __ATOMIC_RELEASE);
	}
	ft->n_retire = 0;
}

void
dp_flow_leg_spec(const struct dp_leg *l, struct sl_leg_spec *s,
		 struct sl_leg_counters *c, struct sl_leg_quality *q)
{
	uint64_t r = __atomic_load_n(&l->remote[SL_COMP_RTP], __ATOMIC_RELAXED);
	uint64_t rc = __atomic_load_n(&l->remote[SL_COMP_RTCP],
				      __ATOMIC_RELAXED);
	unsigned i;

	memset(s, 0, sizeof(*s));
	s->leg_id = l->id;
	s->peer_leg_id = l->peer_id;
	s->kind = l->kind;
	s->iface = l->iface;
	s->latch = l->latch;
	s->local_port = l->local_port;
	s->mux_id_rx = l->mux_id_rx;
	s->mux_id_tx = l->mux_id_tx;
	s->idle_timeout_s = l->idle_timeout_s;
	s->relatch_ms = l->relatch_ms;
	if (l->keepalive_pt <= 127) {
		s->flags |= SL_LEG_F_KEEPALIVE;
		s->keepalive_pt = l->keepalive_pt;
	}
	s->cookie = l->cookie;
	if (l->rtcp_mux)
		s->flags |= SL_LEG_F_RTCP_MUX;
	if (r & DP_REMOTE_VALID) {
		s->flags |= SL_LEG_F_REMOTE_KNOWN;
		if (r & DP_REMOTE_LATCHED)
			s->flags |= SL_LEG_F_LATCHED;
		s->remote_addr = dp_remote_addr(r);
		s->remote_port = dp_remote_port(r);
	}
	if (rc & DP_REMOTE_VALID) {
		s->flags |= SL_LEG_F_RTCP_KNOWN;
		if (rc & DP_REMOTE_LATCHED)
			s->flags |= SL_LEG_F_RTCP_LATCHED;
		s->rtcp_remote_addr = dp_remote_addr(rc);
		s->rtcp_remote_port = dp_remote_port(rc);
	}
	if (c != NULL) {
		c->pkts_in = __atomic_load_n(&l->pkts_in, __ATOMIC_RELAXED);
		c->bytes_in = __atomic_load_n(&l->bytes_in, __ATOMIC_RELAXED);
		c->pkts_out = __atomic_load_n(&l->pkts_out, __ATOMIC_RELAXED);
		c->bytes_out = __atomic_load_n(&l->bytes_out,
					       __ATOMIC_RELAXED);
		c->keepalives = __atomic_load_n(&l->keepalives,
						__ATOMIC_RELAXED);
		for (i = 0; i < SL_LEG_DROP_MAX; i++)
			c->drops[i] = __atomic_load_n(&l->drops[i],
						      __ATOMIC_RELAXED);
	}
	if (q != NULL)
		memcpy(q, &l->q, sizeof(*q)); /* figures of one report may
					       * mix with the next: advisory */
}

/* --- multiplexID lookup (workers) ------------------------------------------- */

void
dp_flow_mux_lookup_bulk(const struct dp_flow *ft, const uint32_t *ids,
			unsigned n, struct dp_leg **out)
{
	uint32_t v[DP_FLOW_MUX_BURST];
	unsigned i, done, k;

	for (done = 0; done < n; done += k) {
		k = RTE_MIN(n - done, (unsigned)DP_FLOW_MUX_BURST);
		dp_hash_u32_lookup_burst(ft->mux, ids + done, k, v);
		for (i = 0; i < k; i++)
			out[done + i] = v[i] == DP_HASH_NONE ? NULL :
					dp_flow_leg(ft, v[i]);
	}
}

/* --- credentials (service lcore writes, TURN reads) ------------------------ */

static void
cred_key(char key[SL_USERNAME_MAX], const char *user)
{
	memset(key, 0, SL_USERNAME_MAX);
	strncpy(key, user, SL_USERNAME_MAX - 1);
}

static bool
username_ok(const char *user)
{
	size_t n = strnlen(user, SL_USERNAME_MAX);

	return n > 0 && n < SL_USERNAME_MAX;
}

/* Both keys of a credential, prepared; no SHA-256 key: MD5 only. */
static void
cred_keys_put(struct dp_cred *c, const uint8_t key[16],
	      const uint8_t key_sha256[32])
{
	memcpy(c->key, key, 16);
	stun_key_init(&c->hk, key, 16);
	c->has_sha256 = key_sha256 != NULL;
	if (key_sha256 != NULL)
		stun_key_init(&c->hk256, key_sha256, 32);
	else
		memset(&c->hk256, 0, sizeof(c->hk256));
}

enum sl_result
dp_flow_cred_set(struct dp_flow *ft, const char *user, const uint8_t key[16],
		 const uint8_t key_sha256[32])
{
	char k[SL_USERNAME_MAX];
	void *data;
	uint32_t i;

	if (!username_ok(user))
		return SL_E_MALFORMED;
	cred_key(k, user);
	if (rte_hash_lookup_data(ft->cred_hash, k, &data) >= 0) {
		/* a new password: the TURN stage reads the keys on this same
		 * service lcore, so nobody sees them half written */
		cred_keys_put(&ft->creds[(uintptr_t)data], key, key_sha256);
		return SL_OK;
	}
	for (i = 0; i < ft->cred_cap && ft->creds[i].in_use; i++)
		;
	if (i == ft->cred_cap)
		return SL_E_CAPACITY;
	memcpy(ft->creds[i].username, k, SL_USERNAME_MAX);
	cred_keys_put(&ft->creds[i], key, key_sha256);
	__atomic_store_n(&ft->creds[i].in_use, 1, __ATOMIC_RELEASE);
	if (rte_hash_add_key_data(ft->cred_hash, k, (void *)(uintptr_t)i)) {
		ft->creds[i].in_use = 0;
		return SL_E_CAPACITY;
	}
	ft->n_creds++;
	return SL_OK;
}

enum sl_result
dp_flow_cred_del(struct dp_flow *ft, const char *user)
{
	char k[SL_USERNAME_MAX];
	void *data;
	int32_t pos;

	if (!username_ok(user))
		return SL_E_MALFORMED;
	cred_key(k, user);
	if (rte_hash_lookup_data(ft->cred_hash, k, &data) < 0)
		return SL_E_NOT_FOUND;
	pos = rte_hash_del_key(ft->cred_hash, k);
	/* Credentials change rarely: wait for readers here rather than keep
	 * a second retire list. */
	synchronize_rcu();
	if (pos >= 0)
		rte_hash_free_key_with_position(ft->cred_hash, pos);
	memset(&ft->creds[(uintptr_t)data], 0, sizeof(struct dp_cred));
	ft->n_creds--;
	return SL_OK;
}

const struct dp_cred *
dp_flow_cred_find(const struct dp_flow *ft, const char *user)
{
	char k[SL_USERNAME_MAX];
	void *data;

	cred_key(k, user);
	if (rte_hash_lookup_data(ft->cred_hash, k, &data) < 0)
		return NULL;
	return &ft->creds[(uintptr_t)data];
}
