/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ras_service.c — the RAS service's front door: one datagram in, decoded
 * (bounded: the codec checks every read and the arena caps what a
 * datagram can make us hold), dispatched by message type, answered to its
 * source through the socket it came in on.
 *
 *   GRQ → GCF | GRJ              here
 *   RRQ → RCF | RRJ              ras_register.c (full and keep-alive)
 *   URQ → UCF | URJ              ras_register.c
 *   SCR (to our SCI)             ras_call.c
 *   SCI (traversal client) → SCR ras_zone.c
 *   LRQ → LCF | LRJ              ras_zone.c
 *   other requests → XRS; other responses counted and dropped;
 *   undecodable → counted as malformed, dropped, logged (rate-limited)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h235_pwd.h"
#include "h460.h"
#include "ras_int.h"

void ras_params_default(struct ras_params *p)
{
	memset(p, 0, sizeof(*p));
	p->max_skew_s = 60;
	p->ttl_default_s = 300;
	p->ttl_min_s = 5;
	p->ttl_max_s = 3600;
	p->ttl_h46018_max_s = 60;
	p->expiry_grace_s = 10;
	p->sci_retry_ms = 1000;
	p->sci_tries = 4;
	p->connect_timeout_ms = 10000;
	p->finished_keep_s = 300;
	p->zone_lost_factor = 3;
	snprintf(p->gatekeeper_id, sizeof(p->gatekeeper_id), "sluice");
}

/* ---- logging ------------------------------------------------------------- */

static void vlog(struct ras_service *s, enum sl_log_level level,
		 const char *fmt, va_list ap)
{
	char line[512];

	if (s->h.log == NULL)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	s->h.log(s->h.ctx, level, line);
}

void ras_log(struct ras_service *s, enum sl_log_level level,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(s, level, fmt, ap);
	va_end(ap);
}

void ras_log_limited(struct ras_service *s, int64_t now_ms,
		     enum sl_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (now_ms - s->log_window_ms >= RAS_LOG_WINDOW_MS) {
		if (s->log_suppressed > 0)
			ras_log(s, SL_LOG_WARNING, "RAS: %llu more refused or "
				"malformed datagram(s) not logged in the last "
				"%d s", (unsigned long long)s->log_suppressed,
				RAS_LOG_WINDOW_MS / 1000);
		s->log_window_ms = now_ms;
		s->log_in_window = 0;
		s->log_suppressed = 0;
	}
	if (s->log_in_window >= RAS_LOG_BURST) {
		s->log_suppressed++;
		return;
	}
	s->log_in_window++;
	va_start(ap, fmt);
	vlog(s, level, fmt, ap);
	va_end(ap);
}

/* ---- addresses, identities, features ------------------------------------- */

void ras_addr_format(struct ras_addr a, char *out, size_t cap)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a.ip, ip, sizeof(ip));
	snprintf(out, cap, "%s:%u", ip, a.port);
}

bool ras_addr_eq(struct ras_addr a, struct ras_addr b)
{
	return a.ip == b.ip && a.port == b.port;
}

void ras_ta_ip(struct h225_transport_address *ta, uint32_t ip, uint16_t port)
{
	memset(ta, 0, sizeof(*ta));
	ta->tag = H225_TA_IP_ADDRESS;
	memcpy(ta->u.ip_address.ip, &ip, 4);
	ta->u.ip_address.port = port;
}

void ras_ta_ours(const struct ras_service *s, unsigned sock,
		 struct h225_transport_address *ta)
{
	ras_ta_ip(ta, s->p.advertised_ip, ras_sock_port(s, sock));
}

void ras_ta_signal(const struct ras_service *s,
		   struct h225_transport_address *ta)
{
	ras_ta_ip(ta, s->p.advertised_ip, s->cfg->h323.q931_port);
}

struct per_bmp ras_gk_id(const struct ras_service *s, uint16_t *store,
			 size_t cap)
{
	size_t n = 0;

	for (; s->p.gatekeeper_id[n] != '\0' && n < cap; n++)
		store[n] = (unsigned char)s->p.gatekeeper_id[n];
	return (struct per_bmp){ store, n };
}

const struct sl_credential *ras_cred_find(const struct ras_service *s,
					  const char *username)
{
	for (unsigned i = 0; i < s->cfg->n_creds; i++)
		if (strcmp(s->cfg->creds[i].username, username) == 0)
			return &s->cfg->creds[i];
	return NULL;
}

bool ras_has_feature(bool has_fs, const struct h225_feature_set *fs,
		     bool has_gd, const struct h225_generic_data_list *gd,
		     unsigned feature)
{
	return (has_fs && h460_feature_set_has(fs, feature)) ||
	       (has_gd && h460_find_feature(gd, feature) != NULL);
}

bool ras_proto_v4(const struct per_oid *pid)
{
	static const uint32_t prefix[] = { 0, 0, 8, 2250, 0 };

	if (pid->n != 6 || memcmp(pid->arc, prefix, sizeof(prefix)) != 0)
		return false;
	return pid->arc[5] >= 4;
}

uint16_t ras_sock_port(const struct ras_service *s, unsigned sock)
{
	const struct sl_zone *z;

	if (sock == RAS_SOCK_RAS)
		return s->cfg->h323.ras_port;
	if (sock >= RAS_SOCKS || sock - 1 >= s->cfg->n_zones)
		return 0;
	z = &s->cfg->zones[sock - 1];
	if (z->protocol != SL_ZONE_H323 || z->role != SL_ZONE_SERVER)
		return 0;
	return z->port;
}

int ras_sock_zone(const struct ras_service *s, unsigned sock)
{
	if (sock == RAS_SOCK_RAS || ras_sock_port(s, sock) == 0)
		return -1;
	return (int)sock - 1;
}

/* ---- sending ------------------------------------------------------------- */

int ras_send(struct ras_service *s, unsigned sock, struct ras_addr to,
	     const struct h225_ras_msg *m)
{
	struct per_error err;
	char peer[24];
	size_t len;

	if (h225_ras_encode(m, s->enc, sizeof(s->enc), &len, &err) < 0) {
		ras_log(s, SL_LOG_ERR, "RAS: cannot encode %s: %s",
			h225_ras_tag_abbrev(m->tag), err.reason);
		s->ctr.send_errors++;
		return -1;
	}
	if (s->h.send(s->h.ctx, sock, to, s->enc, len) < 0) {
		ras_addr_format(to, peer, sizeof(peer));
		ras_log(s, SL_LOG_WARNING, "RAS: %s to %s not sent",
			h225_ras_tag_abbrev(m->tag), peer);
		s->ctr.send_errors++;
		return -1;
	}
	return 0;
}

void ras_reply_xrs(struct ras_service *s, const struct ras_req *r)
{
	struct h225_ras_msg *o = &s->out;

	memset(o, 0, sizeof(*o));
	o->tag = H225_RAS_XRS;
	o->u.xrs.request_seq_num = h225_ras_seq_num(r->m);
	if (o->u.xrs.request_seq_num == 0)
		o->u.xrs.request_seq_num = 1;
	o->u.xrs.message_not_understood.data = r->raw;
	o->u.xrs.message_not_understood.len = r->raw_len;
	ras_send(s, r->sock, r->from, o);
}

/* ---- GRQ ----------------------------------------------------------------- */

static bool offers_pwd_hash(const struct h225_grq *g)
{
	bool mech = !g->has_authentication_capability, alg;

	for (size_t i = 0; g->has_authentication_capability &&
			   i < g->authentication_capability.n; i++)
		mech |= g->authentication_capability.items[i].tag ==
			H235_AUTH_PWD_HASH;
	alg = !g->has_algorithm_oids;
	for (size_t i = 0; g->has_algorithm_oids && i < g->algorithm_oids.n;
	     i++)
		alg |= per_oid_eq(&g->algorithm_oids.items[i], &h235_oid_md5);
	return mech && alg;
}

static void reply_grj(struct ras_service *s, const struct ras_req *r,
		      unsigned reason, const char *why)
{
	uint16_t gk[64];
	struct h225_grj *j = &s->out.u.grj;

	memset(&s->out, 0, sizeof(s->out));
	s->out.tag = H225_RAS_GRJ;
	j->request_seq_num = r->m->u.grq.request_seq_num;
	j->protocol_identifier = h225_protocol_v4;
	j->has_gatekeeper_identifier = true;
	j->gatekeeper_identifier = ras_gk_id(s, gk, 64);
	j->reject_reason.tag = reason;
	s->ctr.grj++;
	ras_log_limited(s, r->now->mono_ms, SL_LOG_NOTICE,
			"GRQ from %s refused: %s", r->peer, why);
	ras_send(s, r->sock, r->from, &s->out);
}

static void reply_gcf(struct ras_service *s, const struct ras_req *r,
		      bool h46018)
{
	struct h225_gcf *c = &s->out.u.gcf;
	struct h225_generic_data feature;
	uint16_t gk[64];

	memset(&s->out, 0, sizeof(s->out));
	s->out.tag = H225_RAS_GCF;
	c->request_seq_num = r->m->u.grq.request_seq_num;
	c->protocol_identifier = h225_protocol_v4;
	c->has_gatekeeper_identifier = true;
	c->gatekeeper_identifier = ras_gk_id(s, gk, 64);
	ras_ta_ours(s, r->sock, &c->ras_address);
	c->has_authentication_mode = true;
	c->authentication_mode.tag = H235_AUTH_PWD_HASH;
	c->has_algorithm_oid = true;
	c->algorithm_oid = h235_oid_md5;
	if (h46018) {
		h460_feature_init(&feature, H460_FEATURE_SIGNALLING_TRAVERSAL,
				  NULL, 0);
		c->has_feature_set = true;
		c->feature_set.has_supported_features = true;
		c->feature_set.supported_features.items = &feature;
		c->feature_set.supported_features.n = 1;
	}
	if (ras_send(s, r->sock, r->from, &s->out) == 0)
		s->ctr.gcf++;
}

static void on_grq(struct ras_service *s, const struct ras_req *r)
{
	const struct h225_grq *g = &r->m->u.grq;

	s->ctr.grq++;
	if (g->has_gatekeeper_identifier &&
	    !per_bmp_eq_ascii(g->gatekeeper_identifier, s->p.gatekeeper_id)) {
		reply_grj(s, r, H225_GRJ_TERMINAL_EXCLUDED,
			  "it asks for another gatekeeper identifier");
		return;
	}
	if (!offers_pwd_hash(g)) {
		reply_grj(s, r, H225_GRJ_SECURITY_DENIAL,
			  "the endpoint offers no H.235 password hashing "
			  "(pwdHash with MD5), which registration requires");
		return;
	}
	reply_gcf(s, r, ras_has_feature(g->has_feature_set, &g->feature_set,
					g->has_generic_data, &g->generic_data,
					H460_FEATURE_SIGNALLING_TRAVERSAL));
}

/* ---- dispatch ------------------------------------------------------------ */

static void malformed(struct ras_service *s, const struct ras_req *r,
		      const struct per_error *err)
{
	if (err->code == PER_E_UNKNOWN_CHOICE) {
		/* a RasMessage from a later H.225.0: nothing to answer with,
		 * its requestSeqNum is inside what we cannot read */
		s->ctr.not_served++;
		ras_log_limited(s, r->now->mono_ms, SL_LOG_INFO,
				"RAS from %s on port %u: message type unknown "
				"to this H.225.0 version (%s); dropped",
				r->peer, ras_sock_port(s, r->sock),
				err->reason);
		return;
	}
	s->ctr.malformed++;
	ras_log_limited(s, r->now->mono_ms, SL_LOG_WARNING,
			"RAS from %s on port %u: malformed datagram of %zu "
			"octets dropped: %s at bit %zu: %s", r->peer,
			ras_sock_port(s, r->sock), r->raw_len,
			per_status_name(err->code), err->bit, err->reason);
}

static void not_served(struct ras_service *s, const struct ras_req *r)
{
	s->ctr.not_served++;
	ras_log_limited(s, r->now->mono_ms, SL_LOG_INFO,
			"RAS %s from %s not served by this traversal server; "
			"answered with unknownMessageResponse",
			h225_ras_tag_abbrev(r->m->tag), r->peer);
	ras_reply_xrs(s, r);
}

static void dispatch(struct ras_service *s, const struct ras_req *r)
{
	switch (r->m->tag) {
	case H225_RAS_GRQ: on_grq(s, r); break;
	case H225_RAS_RRQ: ras_on_rrq(s, r); break;
	case H225_RAS_URQ: ras_on_urq(s, r); break;
	case H225_RAS_LRQ: ras_on_lrq(s, r); break;
	case H225_RAS_SCI: ras_on_sci(s, r); break;
	case H225_RAS_SCR: ras_on_scr(s, r); break;
	case H225_RAS_ARQ:
	case H225_RAS_BRQ:
	case H225_RAS_DRQ:
	case H225_RAS_IRQ:
	case H225_RAS_NSM:
	case H225_RAS_RAI:
		not_served(s, r);
		break;
	case H225_RAS_IRR:
		s->ctr.not_served++;	/* unsolicited information: no reply */
		break;
	default:
		/* a confirm or reject nobody here asked for: never answer
		 * a response, or two servers could talk forever */
		s->ctr.unexpected++;
		ras_log(s, SL_LOG_DEBUG, "RAS %s from %s unexpected; dropped",
			h225_ras_tag_abbrev(r->m->tag), r->peer);
		break;
	}
}

void ras_service_datagram(struct ras_service *s, unsigned sock,
			  struct ras_addr from, const uint8_t *buf,
			  size_t len, const struct ras_clock *now)
{
	struct ras_req r = {
		.sock = sock, .from = from, .now = now, .m = &s->in,
		.raw = buf, .raw_len = len,
	};
	struct per_error err;

	if (ras_sock_port(s, sock) == 0)
		return;		/* the host's mistake; nothing to answer */
	s->ctr.received++;
	ras_addr_format(from, r.peer, sizeof(r.peer));
	per_arena_init(&s->arena, s->arena_mem, sizeof(s->arena_mem));
	if (h225_ras_decode(buf, len, &s->in, &s->arena, &err) < 0) {
		malformed(s, &r, &err);
		return;
	}
	dispatch(s, &r);
}

void ras_service_tick(struct ras_service *s, const struct ras_clock *now)
{
	ras_reg_expire(s, now);
	ras_calls_tick(s, now);
	ras_zones_tick(s, now);
}

/* ---- life cycle and state ------------------------------------------------ */

struct ras_service *ras_service_new(const struct sl_config *cfg,
				    const struct ras_params *p,
				    const struct ras_host *h)
{
	struct ras_service *s;
	uint32_t nchunks;
	uint8_t rnd[4] = { 0 };

	if (h == NULL || h->send == NULL || cfg->capacity.registrations == 0) {
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	s->cfg = cfg;
	s->p = *p;
	s->h = *h;
	s->cap = cfg->capacity.registrations;
	nchunks = (s->cap + RAS_REG_CHUNK - 1) / RAS_REG_CHUNK;
	s->chunks = calloc(nchunks, sizeof(*s->chunks));
	if (s->chunks == NULL) {
		free(s);
		return NULL;
	}
	/* endpoint identifiers and sequence numbers start somewhere new on
	 * every start, so that an endpoint of a previous run is not
	 * mistaken for a current one */
	if (h->random != NULL)
		(void)h->random(h->ctx, rnd, sizeof(rnd));
	s->next_id = ((uint32_t)rnd[0] << 16 | (uint32_t)rnd[1] << 8) & 0xffff00;
	s->seq = (uint16_t)(rnd[2] << 8 | rnd[3]);
	s->log_window_ms = INT64_MIN / 2;
	return s;
}

void ras_service_free(struct ras_service *s)
{
	if (s == NULL)
		return;
	ras_reg_free_all(s);
	free(s->chunks);
	free(s);
}

const struct ras_counters *ras_counters(const struct ras_service *s)
{
	return &s->ctr;
}

uint32_t ras_reg_count(const struct ras_service *s)
{
	return s->n_used;
}

uint32_t ras_reg_capacity(const struct ras_service *s)
{
	return s->cap;
}

uint32_t ras_reg_slots(const struct ras_service *s)
{
	return s->n_slots;
}

const struct ras_reg *ras_reg_slot(const struct ras_service *s, uint32_t i)
{
	return i < s->n_slots ? ras_reg_at(s, i) : NULL;
}

const struct ras_call *ras_call_slot(const struct ras_service *s, unsigned i)
{
	return i < RAS_CALLS_MAX ? &s->calls[i] : NULL;
}

const struct ras_zone_peer *ras_zone_peer(const struct ras_service *s,
					  unsigned zone)
{
	return zone < SL_CFG_MAX_ZONES ? &s->zones[zone] : NULL;
}

const char *ras_call_state_name(unsigned state)
{
	switch (state) {
	case RAS_CALL_SCI_SENT: return "sci-sent";
	case RAS_CALL_SCR_OK: return "waiting-for-connection";
	case RAS_CALL_CONNECTED: return "connected";
	case RAS_CALL_FAILED: return "failed";
	case RAS_CALL_CLOSED: return "closed";
	}
	return "?";
}

const char *ras_alias_kind_name(unsigned kind)
{
	switch (kind) {
	case RAS_ALIAS_H323_ID: return "h323_id";
	case RAS_ALIAS_DIALED_DIGITS: return "dialed_digits";
	case RAS_ALIAS_URL_ID: return "url_id";
	case RAS_ALIAS_EMAIL_ID: return "email_id";
	}
	return "?";
}
