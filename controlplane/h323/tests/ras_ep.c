/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ras_ep.c — the scripted endpoint's messages (see ras_ep.h): the RAS
 * an H.460.18 endpoint or traversal client sends, built with our codec
 * the way deployed stacks fill them in.
 */
#include <string.h>

#include "h235_pwd.h"
#include "h460.h"
#include "ras_ep.h"

static void bmp_ascii(const char *s, uint16_t *store, size_t cap,
		      struct per_bmp *out)
{
	size_t n = 0;

	for (; s[n] != '\0' && n < cap; n++)
		store[n] = (unsigned char)s[n];
	*out = (struct per_bmp){ store, n };
}

static void ta_ip(struct h225_transport_address *ta, uint32_t ip,
		  uint16_t port)
{
	memset(ta, 0, sizeof(*ta));
	ta->tag = H225_TA_IP_ADDRESS;
	memcpy(ta->u.ip_address.ip, &ip, 4);
	ta->u.ip_address.port = port;
}

void ras_ep_init(struct ras_ep *e, const char *alias, const char *password,
		 uint32_t ip, uint16_t ras_port)
{
	memset(e, 0, sizeof(*e));
	strncpy(e->alias, alias, sizeof(e->alias) - 1);
	strncpy(e->password, password, sizeof(e->password) - 1);
	e->ip = ip;
	e->ras_port = ras_port;
	e->cs_port = 1720;
	e->h46018 = true;
	e->seq = 1;
	e->proto = h225_protocol_v4;
	e->aliases[0].tag = H225_ALIAS_H323_ID;
	bmp_ascii(alias, e->alias_chars, 128, &e->aliases[0].u.h323_id);
	e->vendor.vendor.t35_country_code = 181;
	e->vendor.vendor.manufacturer_code = 23569;
}

int ras_ep_token(struct ras_ep *e, uint32_t ts)
{
	return h235_pwd_token_build(&e->tok, &e->aliases[0], e->password, ts,
				    e->hash);
}

static uint16_t next_seq(struct ras_ep *e)
{
	uint16_t s = e->seq++;

	if (e->seq == 0)
		e->seq = 1;
	return s;
}

static void feature18(struct ras_ep *e, bool *has,
		      struct h225_feature_set *fs)
{
	h460_feature_init(&e->feature, H460_FEATURE_SIGNALLING_TRAVERSAL,
			  NULL, 0);
	*has = true;
	memset(fs, 0, sizeof(*fs));
	fs->has_supported_features = true;
	fs->supported_features.items = &e->feature;
	fs->supported_features.n = 1;
}

void ras_ep_grq(struct ras_ep *e, struct h225_ras_msg *m)
{
	struct h225_grq *g = &m->u.grq;

	memset(m, 0, sizeof(*m));
	m->tag = H225_RAS_GRQ;
	g->request_seq_num = next_seq(e);
	g->protocol_identifier = e->proto;
	ta_ip(&g->ras_address, e->ip, e->ras_port);
	g->endpoint_type.has_terminal = true;
	g->has_endpoint_alias = true;
	g->endpoint_alias.items = e->aliases;
	g->endpoint_alias.n = 1;
	e->mech.tag = H235_AUTH_PWD_HASH;
	g->has_authentication_capability = true;
	g->authentication_capability.items = &e->mech;
	g->authentication_capability.n = 1;
	e->alg = h235_oid_md5;
	g->has_algorithm_oids = true;
	g->algorithm_oids.items = &e->alg;
	g->algorithm_oids.n = 1;
	if (e->h46018)
		feature18(e, &g->has_feature_set, &g->feature_set);
}

static void crypto(struct ras_ep *e, bool with, bool *has,
		   struct h225_crypto_h323_token_list *l)
{
	*has = with;
	l->items = with ? &e->tok : NULL;
	l->n = with ? 1 : 0;
}

int ras_ep_rrq(struct ras_ep *e, struct h225_ras_msg *m, uint32_t ts,
	       bool keep_alive, bool with_token)
{
	struct h225_rrq *q = &m->u.rrq;

	if (with_token && ras_ep_token(e, ts) < 0)
		return -1;
	memset(m, 0, sizeof(*m));
	m->tag = H225_RAS_RRQ;
	q->request_seq_num = next_seq(e);
	q->protocol_identifier = e->proto;
	q->discovery_complete = !keep_alive;
	ta_ip(&e->cs, e->ip, e->cs_port);
	ta_ip(&e->ras, e->ip, e->ras_port);
	q->call_signal_address.items = &e->cs;
	q->call_signal_address.n = 1;
	q->ras_address.items = &e->ras;
	q->ras_address.n = 1;
	q->terminal_type.has_terminal = true;
	q->endpoint_vendor = e->vendor;
	if (!keep_alive) {
		q->has_terminal_alias = true;
		q->terminal_alias.items = e->aliases;
		q->terminal_alias.n = e->extra_alias[0] != '\0' ? 2 : 1;
		if (strspn(e->extra_alias, "0123456789") ==
		    strlen(e->extra_alias)) {
			e->aliases[1].tag = H225_ALIAS_DIALED_DIGITS;
			e->aliases[1].u.dialed_digits = e->extra_alias;
		} else {
			e->aliases[1].tag = H225_ALIAS_H323_ID;
			bmp_ascii(e->extra_alias, e->extra_chars, 64,
				  &e->aliases[1].u.h323_id);
		}
		if (e->h46018)
			feature18(e, &q->has_feature_set, &q->feature_set);
	}
	q->has_time_to_live = e->ttl != 0;
	q->time_to_live = e->ttl;
	crypto(e, with_token, &q->has_crypto_tokens, &q->crypto_tokens);
	q->keep_alive = keep_alive;
	if (keep_alive) {
		q->has_endpoint_identifier = true;
		bmp_ascii(e->epid, e->epid_chars, 32, &q->endpoint_identifier);
	}
	return 0;
}

int ras_ep_urq(struct ras_ep *e, struct h225_ras_msg *m, uint32_t ts)
{
	struct h225_urq *u = &m->u.urq;

	if (ras_ep_token(e, ts) < 0)
		return -1;
	memset(m, 0, sizeof(*m));
	m->tag = H225_RAS_URQ;
	u->request_seq_num = next_seq(e);
	ta_ip(&e->cs, e->ip, e->cs_port);
	u->call_signal_address.items = &e->cs;
	u->call_signal_address.n = 1;
	u->has_endpoint_identifier = true;
	bmp_ascii(e->epid, e->epid_chars, 32, &u->endpoint_identifier);
	crypto(e, true, &u->has_crypto_tokens, &u->crypto_tokens);
	return 0;
}

void ras_ep_scr(struct ras_ep *e, struct h225_ras_msg *m, uint16_t seq)
{
	(void)e;
	memset(m, 0, sizeof(*m));
	m->tag = H225_RAS_SCR;
	m->u.scr.request_seq_num = seq;
}

int ras_ep_zone_sci(struct ras_ep *e, struct h225_ras_msg *m, uint32_t ts)
{
	struct h225_sci *q = &m->u.sci;

	if (ras_ep_token(e, ts) < 0)
		return -1;
	memset(m, 0, sizeof(*m));
	m->tag = H225_RAS_SCI;
	q->request_seq_num = next_seq(e);
	h460_feature_init(&e->feature, H460_FEATURE_SIGNALLING_TRAVERSAL,
			  NULL, 0);
	q->has_generic_data = true;
	q->generic_data.items = &e->feature;
	q->generic_data.n = 1;
	crypto(e, true, &q->has_crypto_tokens, &q->crypto_tokens);
	return 0;
}

void ras_ep_lrq(struct ras_ep *e, struct h225_ras_msg *m, const char *dest)
{
	struct h225_lrq *q = &m->u.lrq;

	memset(m, 0, sizeof(*m));
	m->tag = H225_RAS_LRQ;
	q->request_seq_num = next_seq(e);
	e->dest.tag = H225_ALIAS_H323_ID;
	bmp_ascii(dest, e->dest_chars, 128, &e->dest.u.h323_id);
	q->destination_info.items = &e->dest;
	q->destination_info.n = 1;
	ta_ip(&q->reply_address, e->ip, e->ras_port);
	q->has_source_info = true;
	q->source_info.items = e->aliases;
	q->source_info.n = 1;
}

int ras_ep_take_rcf(struct ras_ep *e, const struct h225_ras_msg *m)
{
	if (m->tag != H225_RAS_RCF)
		return -1;
	if (per_bmp_to_utf8(m->u.rcf.endpoint_identifier, e->epid,
			    sizeof(e->epid)) >= sizeof(e->epid))
		return -1;
	return 0;
}

size_t ras_ep_facility(const uint8_t call_id[16], uint8_t *out, size_t cap)
{
	return h225_cs_facility_tpkt(call_id, out, cap);
}
