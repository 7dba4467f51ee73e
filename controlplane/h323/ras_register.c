/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ras_register.c — registration: RRQ (full and keep-alive) and URQ, each
 * authenticated with the endpoint's H.235 password token against the
 * credential store.
 *
 *   full RRQ ─► token? ─► user known, hash right? ─► clock within skew?
 *       │         no           no: RRJ securityDenial     no: RRJ securityError
 *       │                                                 (securityWrongSyncTime;
 *       │                                                  securityDenial before
 *       │                                                  H.225.0 v4) + a log
 *       │                                                  line naming the clock
 *       ▼
 *   aliases: ≤ RAS_ALIASES_MAX, none another user's name (invalidAlias),
 *            none held by another user's registration (duplicateAlias);
 *            held by this user's registration: that one is replaced
 *       ▼
 *   a slot (capacity.registrations, else resourceUnavailable) ─► RCF
 *
 *   keep-alive RRQ (H.460.18 lightweight): endpointIdentifier known
 *       (else fullRegistrationRequired), token of the same user ─►
 *       refresh the expiry and the NAT address ─► RCF
 *
 * The password is checked before the clock so that "clock problem" is
 * only ever said about an endpoint that knows its password.
 */
#include <stdio.h>
#include <string.h>

#include "h235_pwd.h"
#include "h460.h"
#include "ras_int.h"

/* ---- answers ------------------------------------------------------------- */

static void reply_rrj(struct ras_service *s, const struct ras_req *r,
		      unsigned reason, unsigned sec_error,
		      const struct h225_alias_address *dup)
{
	struct h225_rrj *j = &s->out.u.rrj;
	uint16_t gk[64];

	memset(&s->out, 0, sizeof(s->out));
	s->out.tag = H225_RAS_RRJ;
	j->request_seq_num = r->m->u.rrq.request_seq_num;
	j->protocol_identifier = h225_protocol_v4;
	j->reject_reason.tag = reason;
	if (reason == H225_RRJ_SECURITY_ERROR)
		j->reject_reason.u.security_error.tag = sec_error;
	if (reason == H225_RRJ_DUPLICATE_ALIAS && dup != NULL) {
		j->reject_reason.u.duplicate_alias.items = dup;
		j->reject_reason.u.duplicate_alias.n = 1;
	}
	j->has_gatekeeper_identifier = true;
	j->gatekeeper_identifier = ras_gk_id(s, gk, 64);
	s->ctr.rrj++;
	ras_send(s, r->sock, r->from, &s->out);
}

static void reject_auth(struct ras_service *s, const struct ras_req *r,
			enum ras_auth a)
{
	if (a == RAS_AUTH_CLOCK) {
		s->ctr.rrj_clock++;
		if (ras_proto_v4(&r->m->u.rrq.protocol_identifier))
			reply_rrj(s, r, H225_RRJ_SECURITY_ERROR,
				  H225_SEC_WRONG_SYNC_TIME, NULL);
		else
			reply_rrj(s, r, H225_RRJ_SECURITY_DENIAL, 0, NULL);
		return;
	}
	s->ctr.rrj_security++;
	reply_rrj(s, r, H225_RRJ_SECURITY_DENIAL, 0, NULL);
}

static void reply_rcf(struct ras_service *s, const struct ras_req *r,
		      const struct ras_reg *reg, bool full)
{
	struct h225_rcf *c = &s->out.u.rcf;
	struct h225_transport_address cs;
	struct h225_generic_data feature;
	uint16_t gk[64], ep[RAS_EPID_MAX];
	size_t n;

	memset(&s->out, 0, sizeof(s->out));
	s->out.tag = H225_RAS_RCF;
	c->request_seq_num = r->m->u.rrq.request_seq_num;
	c->protocol_identifier = h225_protocol_v4;
	ras_ta_signal(s, &cs);
	c->call_signal_address.items = &cs;
	c->call_signal_address.n = 1;
	c->has_gatekeeper_identifier = true;
	c->gatekeeper_identifier = ras_gk_id(s, gk, 64);
	for (n = 0; reg->endpoint_id[n] != '\0'; n++)
		ep[n] = (unsigned char)reg->endpoint_id[n];
	c->endpoint_identifier = (struct per_bmp){ ep, n };
	c->has_time_to_live = true;
	c->time_to_live = reg->ttl_s;
	if (full && reg->h46018) {
		/* the endpoint asked for H.460.18: say we do it, so that it
		 * sends keep-alive RRQs and expects SCIs */
		h460_feature_init(&feature, H460_FEATURE_SIGNALLING_TRAVERSAL,
				  NULL, 0);
		c->has_feature_set = true;
		c->feature_set.has_supported_features = true;
		c->feature_set.supported_features.items = &feature;
		c->feature_set.supported_features.n = 1;
	}
	if (ras_send(s, r->sock, r->from, &s->out) == 0)
		s->ctr.rcf++;
}

/* ---- authentication ------------------------------------------------------ */

static void log_clock(struct ras_service *s, const struct ras_req *r,
		      const char *what, const char *user, int64_t off)
{
	ras_log_limited(s, r->now->mono_ms, SL_LOG_WARNING,
			"%s from %s (user %s) refused: clock problem: its "
			"H.235 timestamp is %lld s %s ours (allowed: %u s); "
			"the endpoint's clock is wrong, check its NTP",
			what, r->peer, user,
			(long long)(off < 0 ? -off : off),
			off < 0 ? "behind" : "ahead of", s->p.max_skew_s);
}

enum ras_auth ras_authenticate(struct ras_service *s, const struct ras_req *r,
			       bool has,
			       const struct h225_crypto_h323_token_list *tokens,
			       const char *user, char *user_out,
			       const char *what)
{
	const struct h225_crypto_ep_pwd_hash *t =
		h235_find_ep_pwd_hash(has ? tokens : NULL);
	char alias[RAS_ALIAS_TEXT_MAX + 1];
	const struct sl_credential *c;
	enum h235_pwd_result res;
	int64_t off;

	if (t == NULL || h235_alias_text(&t->alias, alias, sizeof(alias)) < 0) {
		ras_log_limited(s, r->now->mono_ms, SL_LOG_NOTICE,
				"%s from %s refused: %s", what, r->peer,
				t == NULL ? "no H.235 password token "
					    "(cryptoEPPwdHash); give the "
					    "endpoint its password"
					  : "the token's alias is not text");
		return RAS_AUTH_DENIED;
	}
	c = ras_cred_find(s, alias);
	/* hash even for an unknown user: the answer takes as long either
	 * way, so timing does not tell which user names exist */
	res = h235_pwd_verify(t, c != NULL ? c->password : "-", r->now->wall_s,
			      s->p.max_skew_s, &off);
	if (c == NULL || (user != NULL && strcmp(alias, user) != 0)) {
		ras_log_limited(s, r->now->mono_ms, SL_LOG_NOTICE,
				"%s from %s refused: %s '%s'", what, r->peer,
				c == NULL ? "no credential for user"
					  : "token for another user,",
				alias);
		return RAS_AUTH_DENIED;
	}
	if (res == H235_PWD_CLOCK_SKEW) {
		log_clock(s, r, what, alias, off);
		return RAS_AUTH_CLOCK;
	}
	if (res != H235_PWD_OK) {
		ras_log_limited(s, r->now->mono_ms, SL_LOG_NOTICE,
				"%s from %s (user %s) refused: %s", what,
				r->peer, alias, h235_pwd_result_name(res));
		return RAS_AUTH_DENIED;
	}
	if (user_out != NULL)
		snprintf(user_out, SL_CFG_USER_MAX + 1, "%s", alias);
	return RAS_AUTH_OK;
}

/* ---- aliases ------------------------------------------------------------- */

static int alias_kind(unsigned tag)
{
	switch (tag) {
	case H225_ALIAS_H323_ID: return RAS_ALIAS_H323_ID;
	case H225_ALIAS_DIALED_DIGITS: return RAS_ALIAS_DIALED_DIGITS;
	case H225_ALIAS_URL_ID: return RAS_ALIAS_URL_ID;
	case H225_ALIAS_EMAIL_ID: return RAS_ALIAS_EMAIL_ID;
	}
	return -1;
}

/* Back to the wire form, for duplicateAlias; store holds an h323-ID. */
static void alias_to_h225(const struct ras_alias *a,
			  struct h225_alias_address *out, uint16_t *store)
{
	size_t n = strlen(a->text);

	memset(out, 0, sizeof(*out));
	switch (a->kind) {
	case RAS_ALIAS_DIALED_DIGITS:
		out->tag = H225_ALIAS_DIALED_DIGITS;
		out->u.dialed_digits = a->text;
		return;
	case RAS_ALIAS_URL_ID:
		out->tag = H225_ALIAS_URL_ID;
		out->u.url_id = a->text;
		return;
	case RAS_ALIAS_EMAIL_ID:
		out->tag = H225_ALIAS_EMAIL_ID;
		out->u.email_id = a->text;
		return;
	}
	/* h323-ID: ASCII is enough for an alias we echo back */
	for (size_t i = 0; i < n; i++)
		store[i] = (unsigned char)a->text[i];
	out->tag = H225_ALIAS_H323_ID;
	out->u.h323_id = (struct per_bmp){ store, n };
}

static bool alias_seen(const struct ras_alias *al, unsigned n,
		       const char *text)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(al[i].text, text) == 0)
			return true;
	return false;
}

/* terminalAlias into al[]; the user's own name when it gives none.
 * Returns 0, or -1 after answering RRJ invalidAlias. */
static int collect_aliases(struct ras_service *s, const struct ras_req *r,
			   const char *user, struct ras_alias *al,
			   unsigned *n)
{
	const struct h225_rrq *q = &r->m->u.rrq;
	size_t count = q->has_terminal_alias ? q->terminal_alias.n : 0;

	*n = 0;
	for (size_t i = 0; i < count; i++) {
		const struct h225_alias_address *a = &q->terminal_alias.items[i];
		struct ras_alias x = { .kind = 0 };
		int kind = alias_kind(a->tag);

		if (kind < 0)
			continue;	/* transportID, partyNumber, ...: kept
					 * out of the table, harmless */
		if (h235_alias_text(a, x.text, sizeof(x.text)) < 0 ||
		    *n == RAS_ALIASES_MAX) {
			ras_log_limited(s, r->now->mono_ms, SL_LOG_NOTICE,
					"RRQ from %s (user %s) refused: %s",
					r->peer, user, *n == RAS_ALIASES_MAX ?
					"more than 8 aliases" :
					"an alias longer than 128 bytes");
			reply_rrj(s, r, H225_RRJ_INVALID_ALIAS, 0, NULL);
			return -1;
		}
		x.kind = (uint8_t)kind;
		if (!alias_seen(al, *n, x.text))
			al[(*n)++] = x;
	}
	if (*n == 0) {
		al[0].kind = RAS_ALIAS_H323_ID;
		snprintf(al[0].text, sizeof(al[0].text), "%s", user);
		*n = 1;
	}
	return 0;
}

static int refuse_alias(struct ras_service *s, const struct ras_req *r,
			const char *user, const struct ras_alias *a,
			unsigned reason, const char *why)
{
	struct h225_alias_address dup;
	uint16_t store[RAS_ALIAS_TEXT_MAX];

	ras_log_limited(s, r->now->mono_ms, SL_LOG_NOTICE,
			"RRQ from %s (user %s) refused: alias '%s' %s",
			r->peer, user, a->text, why);
	alias_to_h225(a, &dup, store);
	reply_rrj(s, r, reason, 0, &dup);
	return -1;
}

/*
 * Who holds the aliases now. Returns 0 with *existing the user's own
 * registration to replace (or NULL), or -1 after answering RRJ. Further
 * registrations of the same user that held one of the aliases are gone.
 */
static int claim_aliases(struct ras_service *s, const struct ras_req *r,
			 const char *user, const struct ras_alias *al,
			 unsigned n, struct ras_reg **existing)
{
	*existing = NULL;
	for (unsigned i = 0; i < n; i++) {
		const struct sl_credential *c = ras_cred_find(s, al[i].text);
		struct ras_reg *h = ras_reg_find_alias(s, al[i].text);

		if (c != NULL && strcmp(c->username, user) != 0)
			return refuse_alias(s, r, user, &al[i],
					    H225_RRJ_INVALID_ALIAS,
					    "is another user's name");
		if (h != NULL && strcmp(h->username, user) != 0)
			return refuse_alias(s, r, user, &al[i],
					    H225_RRJ_DUPLICATE_ALIAS,
					    "is registered by another user");
	}
	for (unsigned i = 0; i < n; i++) {
		struct ras_reg *h;

		while ((h = ras_reg_find_alias(s, al[i].text)) != NULL &&
		       h != *existing) {
			if (*existing == NULL) {
				*existing = h;
				continue;
			}
			ras_calls_reg_gone(s, h, "replaced by a new "
					   "registration", r->now);
			ras_reg_free(s, h);
		}
	}
	return 0;
}

/* ---- RRQ ----------------------------------------------------------------- */

static uint32_t grant_ttl(const struct ras_service *s, bool has, uint32_t want,
			  bool h46018)
{
	uint32_t t = has ? want : s->p.ttl_default_s;

	if (t < s->p.ttl_min_s)
		t = s->p.ttl_min_s;
	if (t > s->p.ttl_max_s)
		t = s->p.ttl_max_s;
	/* NAT bindings for UDP last a minute or two: an H.460.18 endpoint
	 * must refresh its pinhole well within that */
	if (h46018 && t > s->p.ttl_h46018_max_s)
		t = s->p.ttl_h46018_max_s;
	return t;
}

static void set_expiry(const struct ras_service *s, struct ras_reg *reg,
		       const struct ras_clock *now)
{
	reg->expires_ms = now->mono_ms +
			  1000 * (int64_t)(reg->ttl_s + s->p.expiry_grace_s);
}

static void first_call_signal(const struct h225_rrq *q, struct ras_reg *reg)
{
	reg->has_call_signal = false;
	for (size_t i = 0; i < q->call_signal_address.n; i++) {
		const struct h225_transport_address *ta =
			&q->call_signal_address.items[i];

		if (ta->tag != H225_TA_IP_ADDRESS)
			continue;
		memcpy(&reg->call_signal.ip, ta->u.ip_address.ip, 4);
		reg->call_signal.port = ta->u.ip_address.port;
		reg->has_call_signal = true;
		return;
	}
}

static void fill_reg(struct ras_service *s, const struct ras_req *r,
		     struct ras_reg *reg, const char *user,
		     const struct ras_alias *al, unsigned n)
{
	const struct h225_rrq *q = &r->m->u.rrq;

	snprintf(reg->username, sizeof(reg->username), "%s", user);
	memcpy(reg->aliases, al, n * sizeof(*al));
	reg->n_aliases = n;
	reg->sock = r->sock;
	reg->ras = r->from;
	first_call_signal(q, reg);
	reg->h46018 = ras_has_feature(q->has_feature_set, &q->feature_set,
				      q->has_generic_data, &q->generic_data,
				      H460_FEATURE_SIGNALLING_TRAVERSAL);
	reg->h46019 = ras_has_feature(q->has_feature_set, &q->feature_set,
				      q->has_generic_data, &q->generic_data,
				      H460_FEATURE_MEDIA_TRAVERSAL);
	reg->proto_v4 = ras_proto_v4(&q->protocol_identifier);
	reg->ttl_s = grant_ttl(s, q->has_time_to_live, q->time_to_live,
			       reg->h46018);
	set_expiry(s, reg, r->now);
	if (reg->registered_wall_s == 0)
		reg->registered_wall_s = r->now->wall_s;
	reg->refreshed_wall_s = r->now->wall_s;
}

static void full_registration(struct ras_service *s, const struct ras_req *r)
{
	const struct h225_rrq *q = &r->m->u.rrq;
	char user[SL_CFG_USER_MAX + 1], aliases[256];
	struct ras_alias al[RAS_ALIASES_MAX];
	struct ras_reg *reg;
	enum ras_auth a;
	unsigned n;
	bool again;

	a = ras_authenticate(s, r, q->has_crypto_tokens, &q->crypto_tokens,
			     NULL, user, "RRQ");
	if (a != RAS_AUTH_OK) {
		reject_auth(s, r, a);
		return;
	}
	if (collect_aliases(s, r, user, al, &n) < 0 ||
	    claim_aliases(s, r, user, al, n, &reg) < 0)
		return;
	again = reg != NULL;
	if (reg == NULL && (reg = ras_reg_alloc(s)) == NULL) {
		ras_log_limited(s, r->now->mono_ms, SL_LOG_WARNING,
				"RRQ from %s (user %s) refused: %u "
				"registrations already (capacity."
				"registrations)", r->peer, user, s->cap);
		reply_rrj(s, r, H225_RRJ_RESOURCE_UNAVAILABLE, 0, NULL);
		return;
	}
	fill_reg(s, r, reg, user, al, n);
	reply_rcf(s, r, reg, true);
	ras_reg_aliases_text(reg, aliases, sizeof(aliases));
	ras_log(s, SL_LOG_NOTICE, "%s %s as %s from %s on port %u (user %s, "
		"traversal %s, time to live %u s)",
		again ? "re-registered" : "registered", aliases,
		reg->endpoint_id, r->peer, ras_sock_port(s, r->sock), user,
		reg->h46018 ? "H.460.18" : "none", reg->ttl_s);
}

/* H.460.18 keep-alive: the lightweight RRQ that refreshes a registration
 * and, as it passes the NAT, the pinhole the SCI will come through. */
static void keepalive(struct ras_service *s, const struct ras_req *r)
{
	const struct h225_rrq *q = &r->m->u.rrq;
	char epid[RAS_EPID_MAX + 4] = "", was[24];
	struct ras_reg *reg = NULL;
	enum ras_auth a;

	s->ctr.keepalive++;
	if (q->has_endpoint_identifier &&
	    per_bmp_to_utf8(q->endpoint_identifier, epid, sizeof(epid)) <
		    sizeof(epid))
		reg = ras_reg_find_epid(s, epid);
	if (reg == NULL) {
		ras_log_limited(s, r->now->mono_ms, SL_LOG_INFO,
				"keep-alive RRQ from %s for endpoint '%s', "
				"which is not registered: full registration "
				"required", r->peer, epid);
		reply_rrj(s, r, H225_RRJ_FULL_REGISTRATION_REQUIRED, 0, NULL);
		return;
	}
	a = ras_authenticate(s, r, q->has_crypto_tokens, &q->crypto_tokens,
			     reg->username, NULL, "keep-alive RRQ");
	if (a != RAS_AUTH_OK) {
		reject_auth(s, r, a);
		return;
	}
	if (!ras_addr_eq(reg->ras, r->from)) {
		ras_addr_format(reg->ras, was, sizeof(was));
		ras_log(s, SL_LOG_INFO, "registration %s moved from %s to %s "
			"(a NAT binding changed)", reg->endpoint_id, was,
			r->peer);
	}
	reg->ras = r->from;
	reg->sock = r->sock;
	if (q->has_time_to_live)
		reg->ttl_s = grant_ttl(s, true, q->time_to_live, reg->h46018);
	set_expiry(s, reg, r->now);
	reg->refreshed_wall_s = r->now->wall_s;
	reg->keepalives++;
	reply_rcf(s, r, reg, false);
}

void ras_on_rrq(struct ras_service *s, const struct ras_req *r)
{
	s->ctr.rrq++;
	if (r->m->u.rrq.keep_alive)
		keepalive(s, r);
	else
		full_registration(s, r);
}

/* ---- URQ ----------------------------------------------------------------- */

static void reply_urj(struct ras_service *s, const struct ras_req *r,
		      unsigned reason, unsigned sec_error)
{
	struct h225_urj *j = &s->out.u.urj;

	memset(&s->out, 0, sizeof(s->out));
	s->out.tag = H225_RAS_URJ;
	j->request_seq_num = r->m->u.urq.request_seq_num;
	j->reject_reason.tag = reason;
	if (reason == H225_URJ_SECURITY_ERROR)
		j->reject_reason.u.security_error.tag = sec_error;
	s->ctr.urj++;
	ras_send(s, r->sock, r->from, &s->out);
}

static struct ras_reg *urq_target(struct ras_service *s,
				  const struct h225_urq *u)
{
	char text[RAS_ALIAS_TEXT_MAX + 1];

	if (u->has_endpoint_identifier)
		return per_bmp_to_utf8(u->endpoint_identifier, text,
				       sizeof(text)) < sizeof(text)
			       ? ras_reg_find_epid(s, text) : NULL;
	for (size_t i = 0; u->has_endpoint_alias && i < u->endpoint_alias.n;
	     i++) {
		struct ras_reg *reg;

		if (h235_alias_text(&u->endpoint_alias.items[i], text,
				    sizeof(text)) == 0 &&
		    (reg = ras_reg_find_alias(s, text)) != NULL)
			return reg;
	}
	return NULL;
}

void ras_on_urq(struct ras_service *s, const struct ras_req *r)
{
	const struct h225_urq *u = &r->m->u.urq;
	struct ras_reg *reg = urq_target(s, u);
	char aliases[256];
	enum ras_auth a;

	s->ctr.urq++;
	if (reg == NULL) {
		ras_log_limited(s, r->now->mono_ms, SL_LOG_INFO,
				"URQ from %s for an endpoint that is not "
				"registered", r->peer);
		reply_urj(s, r, H225_URJ_NOT_CURRENTLY_REGISTERED, 0);
		return;
	}
	a = ras_authenticate(s, r, u->has_crypto_tokens, &u->crypto_tokens,
			     reg->username, NULL, "URQ");
	if (a != RAS_AUTH_OK) {
		if (a == RAS_AUTH_CLOCK && reg->proto_v4)
			reply_urj(s, r, H225_URJ_SECURITY_ERROR,
				  H225_SEC_WRONG_SYNC_TIME);
		else
			reply_urj(s, r, H225_URJ_SECURITY_DENIAL, 0);
		return;
	}
	ras_reg_aliases_text(reg, aliases, sizeof(aliases));
	ras_log(s, SL_LOG_NOTICE, "unregistered %s (%s) at the request of %s",
		reg->endpoint_id, aliases, r->peer);
	ras_calls_reg_gone(s, reg, "the endpoint unregistered", r->now);
	ras_reg_free(s, reg);
	memset(&s->out, 0, sizeof(s->out));
	s->out.tag = H225_RAS_UCF;
	s->out.u.ucf.request_seq_num = u->request_seq_num;
	if (ras_send(s, r->sock, r->from, &s->out) == 0)
		s->ctr.ucf++;
}
