/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_registrar.c — REGISTER handling, bindings, digest checks. See
 * sip_registrar.h for the decision diagram.
 */
#include "sip_registrar.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip_hdr.h"

static const struct {
	const char *name;
	const char *text;
} outcome_tab[SIP_REG_OUTCOME_COUNT] = {
#define SIP_REG_ROW(n, t) { #n, t },
	SIP_REG_OUTCOMES(SIP_REG_ROW)
#undef SIP_REG_ROW
};

const char *sip_reg_outcome_name(enum sip_reg_outcome o)
{
	static char lower[SIP_REG_OUTCOME_COUNT][24];

	if (o >= SIP_REG_OUTCOME_COUNT)
		return "?";
	if (lower[o][0] == '\0')
		for (size_t i = 0; outcome_tab[o].name[i] &&
				   i + 1 < sizeof(lower[o]); i++)
			lower[o][i] = (char)(outcome_tab[o].name[i] >= 'A' &&
					     outcome_tab[o].name[i] <= 'Z' ?
					     outcome_tab[o].name[i] | 0x20 :
					     outcome_tab[o].name[i]);
	return lower[o];
}

const char *sip_reg_outcome_text(enum sip_reg_outcome o)
{
	return o < SIP_REG_OUTCOME_COUNT ? outcome_tab[o].text : "?";
}

const char *sip_transport_name(enum sip_transport t)
{
	return t == SIP_TR_TCP ? "tcp" : t == SIP_TR_TLS ? "tls" : "udp";
}

static void set_realm(struct sip_registrar *r, const struct sl_config *cfg)
{
	snprintf(r->realm, sizeof(r->realm), "%s",
		 cfg->sip.realm[0] ? cfg->sip.realm : "sluice");
}

int sip_registrar_init(struct sip_registrar *r, const struct sl_config *cfg,
		       unsigned capacity, const uint8_t secret[SIP_DIGEST_SECRET])
{
	memset(r, 0, sizeof(*r));
	r->b = calloc(capacity ? capacity : 1, sizeof(*r->b));
	if (r->b == NULL) {
		errno = ENOMEM;
		return -1;
	}
	r->cap = capacity;
	r->cfg = cfg;
	r->next_id = 1;
	memcpy(r->secret, secret, SIP_DIGEST_SECRET);
	set_realm(r, cfg);
	return 0;
}

void sip_registrar_fini(struct sip_registrar *r)
{
	free(r->b);
	r->b = NULL;
	r->cap = r->count = 0;
}

void sip_registrar_set_config(struct sip_registrar *r,
			      const struct sl_config *cfg)
{
	r->cfg = cfg;
	set_realm(r, cfg);
}

/* ---- authentication ------------------------------------------------------- */

static const struct sl_credential *cred_find(const struct sl_config *cfg,
					     struct sip_str user)
{
	for (unsigned i = 0; i < cfg->n_creds; i++)
		if (sip_str_eq(user, cfg->creds[i].username))
			return &cfg->creds[i];
	return NULL;
}

enum sip_reg_outcome sip_auth_check(const struct sip_registrar *r,
				    const struct sip_msg *req,
				    const struct sip_peer *src, int64_t wall_s,
				    struct sip_digest_creds *c)
{
	const struct sip_header *h = sip_msg_hdr(req, SIP_H_AUTHORIZATION);
	const struct sl_credential *cred;

	/* several Authorization headers: the one for our realm counts */
	for (; h != NULL; h = sip_msg_next_hdr(req, h))
		if (sip_digest_parse(h->value, c) &&
		    sip_str_eq(c->realm, r->realm))
			break;
	if (h == NULL)
		return SIP_REG_CHALLENGED;
	switch (sip_nonce_check(r->secret, c->nonce, (uint64_t)wall_s, src->ip,
				SIP_NONCE_MAX_AGE_S)) {
	case SIP_NONCE_OK:
		break;
	case SIP_NONCE_STALE:
		return SIP_REG_STALE;
	default:
		return SIP_REG_BAD_NONCE;
	}
	cred = cred_find(r->cfg, c->username);
	if (cred == NULL)
		return SIP_REG_UNKNOWN_USER;
	if (!sip_digest_verify(c, req->method_name, cred->password))
		return SIP_REG_BAD_PASSWORD;
	return SIP_REG_REGISTERED;   /* authenticated */
}

void sip_auth_put_challenge(const struct sip_registrar *r,
			    struct sip_wbuf *w, const struct sip_peer *src,
			    int64_t wall_s, bool stale)
{
	char nonce[SIP_NONCE_LEN + 1], ch[512];

	sip_nonce_make(r->secret, (uint64_t)wall_s, src->ip, nonce);
	if (sip_digest_challenge(ch, sizeof(ch), r->realm, nonce,
				 SIP_DIGEST_MD5, stale) < 0) {
		w->overflow = true;
		return;
	}
	sip_w_printf(w, "WWW-Authenticate: %s\r\n", ch);
}

/* ---- bindings ---------------------------------------------------------------- */

struct contact_req {
	struct sip_str uri;
	uint32_t expires;
	struct sip_str instance;
	uint32_t reg_id;
	bool star;
};

static struct sip_binding *binding_match(struct sip_registrar *r,
					 const char *user,
					 const struct contact_req *c)
{
	for (unsigned i = 0; i < r->cap; i++) {
		struct sip_binding *b = &r->b[i];

		if (!b->used || strcmp(b->user, user) != 0)
			continue;
		if (c->reg_id && b->outbound ? sip_str_eq(c->instance,
							 b->instance) &&
					       c->reg_id == b->reg_id
					     : sip_str_eq(c->uri, b->contact))
			return b;
	}
	return NULL;
}

static struct sip_binding *binding_free_slot(struct sip_registrar *r)
{
	for (unsigned i = 0; i < r->cap; i++)
		if (!r->b[i].used)
			return &r->b[i];
	return NULL;
}

static void binding_drop(struct sip_registrar *r, struct sip_binding *b)
{
	b->used = false;
	r->count--;
}

/* Contact's expiry: its expires param, else the Expires header, else
 * the default. False when a value is not a number. */
static bool contact_expires(const struct sip_msg *req, struct sip_str params,
			    uint32_t *out)
{
	const struct sip_header *h = sip_msg_hdr(req, SIP_H_EXPIRES);
	struct sip_str v;

	*out = SIP_REG_DEFAULT_EXPIRES;
	if (sip_param_get(params, "expires", &v))
		return sip_str_to_u32(v, 0xffffffffu, out);
	if (h != NULL)
		return sip_str_to_u32(h->value, 0xffffffffu, out);
	return true;
}

static bool read_contact(const struct sip_msg *req, struct sip_str item,
			 struct contact_req *c)
{
	struct sip_nameaddr na;
	struct sip_uri u;
	struct sip_str v;

	memset(c, 0, sizeof(*c));
	if (!sip_nameaddr_parse(item, &na))
		return false;
	if (na.star) {
		c->star = true;
		return true;
	}
	if (!sip_uri_parse(na.uri, &u) || na.uri.len >= SIP_REG_CONTACT_MAX)
		return false;
	c->uri = na.uri;
	if (!contact_expires(req, na.params, &c->expires))
		return false;
	if (sip_param_get(na.params, "+sip.instance", &c->instance) &&
	    sip_param_get(na.params, "reg-id", &v) &&
	    (!sip_str_to_u32(v, 0xffffffffu, &c->reg_id) || c->reg_id == 0))
		return false;
	if (c->instance.len >= sizeof(((struct sip_binding *)0)->instance))
		return false;
	return true;
}

static void binding_set(struct sip_binding *b, const struct contact_req *c,
			const struct sip_peer *src, int64_t now_ms,
			int64_t wall_s)
{
	uint32_t e = c->expires > SIP_REG_MAX_EXPIRES ? SIP_REG_MAX_EXPIRES
						       : c->expires;

	sip_str_copy(c->uri, b->contact, sizeof(b->contact));
	b->outbound = c->reg_id != 0 && c->instance.len > 0;
	sip_str_copy(c->instance, b->instance, sizeof(b->instance));
	b->reg_id = c->reg_id;
	b->peer = *src;
	b->expires_s = e;
	b->expires_ms = now_ms + (int64_t)e * 1000;
	b->registered_wall_s = wall_s;
}

/* Applies one Contact. Returns the outcome for it. */
static enum sip_reg_outcome apply_contact(struct sip_registrar *r,
					  const char *user, const char *aor,
					  const struct contact_req *c,
					  const struct sip_peer *src,
					  int64_t now_ms, int64_t wall_s)
{
	struct sip_binding *b = binding_match(r, user, c);

	if (c->expires == 0) {
		if (b != NULL)
			binding_drop(r, b);
		return SIP_REG_REMOVED;
	}
	if (b != NULL) {
		binding_set(b, c, src, now_ms, wall_s);
		b->refreshes++;
		return SIP_REG_REFRESHED;
	}
	b = binding_free_slot(r);
	if (b == NULL)
		return SIP_REG_FULL;
	memset(b, 0, sizeof(*b));
	b->used = true;
	b->id = r->next_id++;
	snprintf(b->user, sizeof(b->user), "%s", user);
	snprintf(b->aor, sizeof(b->aor), "%s", aor);
	binding_set(b, c, src, now_ms, wall_s);
	r->count++;
	return SIP_REG_REGISTERED;
}

/* "Contact: <uri>;expires=N" for every binding of the user. */
static void put_bindings(const struct sip_registrar *r, struct sip_wbuf *w,
			 const char *user, int64_t now_ms, bool *outbound)
{
	*outbound = false;
	for (unsigned i = 0; i < r->cap; i++) {
		const struct sip_binding *b = &r->b[i];
		int64_t left;

		if (!b->used || strcmp(b->user, user) != 0)
			continue;
		left = (b->expires_ms - now_ms + 999) / 1000;
		sip_w_printf(w, "Contact: <%s>;expires=%lld", b->contact,
			     (long long)(left > 0 ? left : 0));
		if (b->outbound) {
			sip_w_printf(w, ";+sip.instance=%s;reg-id=%u",
				     b->instance, b->reg_id);
			*outbound = true;
		}
		sip_w_printf(w, "\r\n");
	}
}

/* The To URI's user and user@host: the address-of-record. */
static bool read_aor(const struct sip_msg *req, char *user, size_t ucap,
		     char *aor, size_t acap)
{
	struct sip_nameaddr na;
	struct sip_uri u;

	if (!sip_nameaddr_parse(req->to, &na) || !sip_uri_parse(na.uri, &u) ||
	    u.user.len == 0 || !sip_str_copy(u.user, user, ucap))
		return false;
	return (size_t)snprintf(aor, acap, "%s@%.*s", user, (int)u.host.len,
				u.host.p) < acap;
}

static enum sip_reg_outcome respond(struct sip_wbuf *w,
				    const struct sip_msg *req,
				    const struct sip_peer *src, unsigned code,
				    enum sip_reg_outcome o)
{
	sip_w_response_head(w, req, code, NULL, "sl-reg", src->ip, src->port);
	return o;
}

enum sip_reg_outcome sip_registrar_register(struct sip_registrar *r,
					    const struct sip_msg *req,
					    const struct sip_peer *src,
					    int64_t now_ms, int64_t wall_s,
					    struct sip_wbuf *w,
					    char *why, size_t why_cap)
{
	char user[SL_CFG_USER_MAX + 1], aor[SIP_REG_AOR_MAX];
	struct contact_req cs[8];
	unsigned n = 0;
	struct sip_digest_creds dc;
	enum sip_reg_outcome o = SIP_REG_QUERIED, auth;
	const struct sip_header *h;
	bool outbound;

	why[0] = '\0';
	if (!read_aor(req, user, sizeof(user), aor, sizeof(aor))) {
		o = respond(w, req, src, 400, SIP_REG_BAD_REQUEST);
		goto done;
	}
	auth = sip_auth_check(r, req, src, wall_s, &dc);
	if (auth == SIP_REG_REGISTERED && !sip_str_eq(dc.username, user))
		auth = SIP_REG_USER_MISMATCH;
	if (auth != SIP_REG_REGISTERED) {
		bool challenge = auth == SIP_REG_CHALLENGED ||
				 auth == SIP_REG_STALE ||
				 auth == SIP_REG_BAD_NONCE;

		o = respond(w, req, src, challenge ? 401 : 403, auth);
		if (challenge)
			sip_auth_put_challenge(r, w, src, wall_s,
					       auth == SIP_REG_STALE);
		goto done;
	}
	/* every Contact value first, so a bad one changes nothing */
	for (h = sip_msg_hdr(req, SIP_H_CONTACT); h; h = sip_msg_next_hdr(req, h)) {
		size_t pos = 0;
		struct sip_str item;
		unsigned before = n;

		while (sip_list_next(h->value, &pos, &item)) {
			if (n == sizeof(cs) / sizeof(cs[0]) ||
			    !read_contact(req, item, &cs[n])) {
				o = respond(w, req, src, 400, SIP_REG_BAD_REQUEST);
				goto done;
			}
			if (!cs[n].star && cs[n].expires > 0 &&
			    cs[n].expires < SIP_REG_MIN_EXPIRES) {
				o = respond(w, req, src, 423, SIP_REG_TOO_BRIEF);
				sip_w_printf(w, "Min-Expires: %u\r\n",
					     SIP_REG_MIN_EXPIRES);
				goto done;
			}
			n++;
		}
		if (n == before) {   /* an unclosed < or quote: no item */
			o = respond(w, req, src, 400, SIP_REG_BAD_REQUEST);
			goto done;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		enum sip_reg_outcome one;

		if (cs[i].star) {   /* Contact: * (Expires: 0): every binding */
			for (unsigned k = 0; k < r->cap; k++)
				if (r->b[k].used && strcmp(r->b[k].user, user) == 0)
					binding_drop(r, &r->b[k]);
			o = SIP_REG_REMOVED;
			continue;
		}
		one = apply_contact(r, user, aor, &cs[i], src, now_ms, wall_s);
		if (one == SIP_REG_FULL) {
			o = respond(w, req, src, 503, SIP_REG_FULL);
			sip_w_printf(w, "Retry-After: 60\r\n");
			goto done;
		}
		if (o == SIP_REG_QUERIED || one == SIP_REG_REGISTERED)
			o = one;
	}
	respond(w, req, src, 200, o);
	put_bindings(r, w, user, now_ms, &outbound);
	if (outbound)
		sip_w_printf(w, "Require: outbound\r\nFlow-Timer: %u\r\n",
			     SIP_REG_FLOW_TIMER_S);
done:
	sip_w_printf(w, "Server: Sluice/%s\r\n", SLUICE_VERSION);
	sip_w_finish(w, NULL, NULL, 0);
	r->outcomes[o]++;
	{
		char ip[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &src->ip, ip, sizeof(ip));
		snprintf(why, why_cap, "REGISTER %s from %s:%u/%s: %s", aor[0] ?
			 aor : "?", ip, src->port, sip_transport_name(src->tr),
			 sip_reg_outcome_text(o));
	}
	return o;
}

unsigned sip_registrar_expire(struct sip_registrar *r, int64_t now_ms)
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->cap; i++)
		if (r->b[i].used && r->b[i].expires_ms <= now_ms) {
			binding_drop(r, &r->b[i]);
			n++;
		}
	r->expired += n;
	return n;
}

const struct sip_binding *sip_registrar_find(const struct sip_registrar *r,
					     const char *user)
{
	const struct sip_binding *best = NULL;

	for (unsigned i = 0; i < r->cap; i++) {
		const struct sip_binding *b = &r->b[i];

		if (b->used && strcmp(b->user, user) == 0 &&
		    (best == NULL || b->registered_wall_s >
				     best->registered_wall_s))
			best = b;
	}
	return best;
}

static bool same_flow(const struct sip_peer *a, const struct sip_peer *b)
{
	if (a->tr != b->tr)
		return false;
	if (a->tr == SIP_TR_UDP)
		return a->ip == b->ip && a->port == b->port;
	return a->conn == b->conn && a->conn_gen == b->conn_gen;
}

void sip_registrar_keepalive(struct sip_registrar *r,
			     const struct sip_peer *src)
{
	for (unsigned i = 0; i < r->cap; i++)
		if (r->b[i].used && same_flow(&r->b[i].peer, src))
			r->b[i].keepalives++;
}

unsigned sip_registrar_flow_closed(struct sip_registrar *r, uint32_t conn,
				   uint32_t conn_gen)
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->cap; i++) {
		struct sip_binding *b = &r->b[i];

		if (b->used && b->outbound && b->peer.tr != SIP_TR_UDP &&
		    b->peer.conn == conn && b->peer.conn_gen == conn_gen) {
			binding_drop(r, b);
			n++;
		}
	}
	return n;
}
