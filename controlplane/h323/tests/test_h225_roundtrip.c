/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_h225_roundtrip.c — every sample RAS message through
 * encode -> decode -> compare every component (per_equal walks the same
 * descriptors, so nothing is forgotten) -> re-encode to the same octets;
 * then the components the traversal service depends on, checked by hand
 * on the decoded structs, and the H.460.18/19 helpers.
 */
#include <string.h>

#include "h225_samples.h"
#include "h323_check.h"
#include "h460.h"

static uint8_t arena_mem[H225_RAS_ARENA_SIZE];

struct decoded {
	struct h225_ras_msg m;
	uint8_t enc[H225_RAS_MAX_SIZE];
	size_t len;
	struct per_arena arena;
};

/* Builds sample `name`, round-trips it, leaves the decoded copy in *d. */
static const struct h225_ras_msg *roundtrip(const struct h225_sample *s,
					    struct decoded *d)
{
	static struct h225_ras_msg orig;
	uint8_t again[H225_RAS_MAX_SIZE];
	struct per_error err;
	char where[192];
	size_t alen;

	memset(&orig, 0, sizeof(orig));
	s->build(&orig);
	CHECKF(h225_ras_encode(&orig, d->enc, sizeof(d->enc), &d->len, &err) ==
		       0, "%s: encode: %s", s->name, err.reason);
	per_arena_init(&d->arena, arena_mem, sizeof(arena_mem));
	CHECKF(h225_ras_decode(d->enc, d->len, &d->m, &d->arena, &err) == 0,
	       "%s: decode: %s", s->name, err.reason);
	CHECKF(d->m.tag == orig.tag, "%s: tag %u, want %u", s->name, d->m.tag,
	       orig.tag);
	CHECKF(per_equal(&h225_t_ras_message, &orig, &d->m, where,
			 sizeof(where)),
	       "%s: decoded message differs at %s", s->name, where);
	CHECKF(h225_ras_encode(&d->m, again, sizeof(again), &alen, &err) == 0 &&
		       alen == d->len && memcmp(again, d->enc, alen) == 0,
	       "%s: re-encoding differs", s->name);
	CHECK(h225_ras_seq_num(&d->m) == h225_ras_seq_num(&orig));
	CHECK(h225_ras_seq_num(&d->m) != 0);
	return &d->m;
}

static const struct h225_sample *sample(const char *name)
{
	for (size_t i = 0; i < h225_samples_count; i++)
		if (strcmp(h225_samples[i].name, name) == 0)
			return &h225_samples[i];
	fprintf(stderr, "no sample %s\n", name);
	return &h225_samples[0];
}

static bool ip_is(const struct h225_transport_address *ta, uint8_t a,
		  uint8_t b, uint8_t c, uint8_t d, uint16_t port)
{
	const uint8_t want[4] = { a, b, c, d };

	return ta->tag == H225_TA_IP_ADDRESS &&
	       memcmp(ta->u.ip_address.ip, want, 4) == 0 &&
	       ta->u.ip_address.port == port;
}

static void test_all_samples(void)
{
	static struct decoded d;
	bool seen[H225_RAS_TAG_COUNT] = { false };

	for (size_t i = 0; i < h225_samples_count; i++) {
		const struct h225_ras_msg *m = roundtrip(&h225_samples[i], &d);

		if (m->tag < H225_RAS_TAG_COUNT)
			seen[m->tag] = true;
	}
	for (unsigned t = 0; t < H225_RAS_TAG_COUNT; t++)
		CHECKF(seen[t], "no sample for %s", h225_ras_tag_name(t));
}

static void test_rrq(void)
{
	static struct decoded d;
	const struct h225_rrq *r = &roundtrip(sample("rrq"), &d)->u.rrq;
	const struct h225_crypto_ep_pwd_hash *h;

	CHECK(r->request_seq_num == 3);
	CHECK(per_oid_eq(&r->protocol_identifier, &h225_protocol_v4));
	CHECK(r->discovery_complete);
	CHECK(r->call_signal_address.n == 1 &&
	      ip_is(&r->call_signal_address.items[0], 192, 0, 2, 20, 1720));
	CHECK(r->ras_address.n == 1 &&
	      ip_is(&r->ras_address.items[0], 192, 0, 2, 20, 1719));
	CHECK(r->has_terminal_alias && r->terminal_alias.n == 4);
	CHECK(r->terminal_alias.items[0].tag == H225_ALIAS_H323_ID &&
	      per_bmp_eq_ascii(r->terminal_alias.items[0].u.h323_id, "alice"));
	CHECK(r->terminal_alias.items[1].tag == H225_ALIAS_DIALED_DIGITS &&
	      strcmp(r->terminal_alias.items[1].u.dialed_digits, "1001") == 0);
	CHECK(r->terminal_alias.items[2].tag == H225_ALIAS_URL_ID &&
	      strcmp(r->terminal_alias.items[2].u.url_id,
		     "h323:alice@example.com") == 0);
	CHECK(r->terminal_alias.items[3].tag == H225_ALIAS_EMAIL_ID);
	CHECK(r->has_gatekeeper_identifier &&
	      per_bmp_eq_ascii(r->gatekeeper_identifier, "sluice-gk"));
	CHECK(r->has_time_to_live && r->time_to_live == 300);
	CHECK(!r->keep_alive);
	CHECK(r->has_crypto_tokens && r->crypto_tokens.n == 1);
	CHECK(r->crypto_tokens.items[0].tag == H225_CRYPTO_EP_PWD_HASH);
	h = &r->crypto_tokens.items[0].u.crypto_ep_pwd_hash;
	CHECK(per_bmp_eq_ascii(h->alias.u.h323_id, "alice"));
	CHECK(h->time_stamp == 1700000000);
	CHECK(per_oid_eq(&h->token.algorithm_oid,
			 &PER_OID(1, 2, 840, 113549, 2, 5)));
	CHECK(h->token.hash.nbits == 128 && h->token.hash.data[0] == 0x9e &&
	      h->token.hash.data[15] == 0xd6);
	CHECK(r->has_feature_set &&
	      h460_feature_set_has(&r->feature_set,
				   H460_FEATURE_SIGNALLING_TRAVERSAL));
	CHECK(h460_find_param(h460_find_feature(
				      &r->feature_set.supported_features,
				      H460_FEATURE_MEDIA_TRAVERSAL),
			      H460_19_PARAM_SUPPORT_TRANSMIT_MULTIPLEXED_MEDIA) !=
	      NULL);
}

static void test_rrq_keepalive(void)
{
	static struct decoded d;
	const struct h225_rrq *r =
		&roundtrip(sample("rrq-keepalive"), &d)->u.rrq;
	const struct h235_clear_token *t;

	CHECK(r->keep_alive);
	CHECK(r->has_time_to_live && r->time_to_live == 300);
	CHECK(r->has_endpoint_identifier &&
	      per_bmp_eq_ascii(r->endpoint_identifier, "EP0001"));
	CHECK(r->has_gatekeeper_identifier &&
	      per_bmp_eq_ascii(r->gatekeeper_identifier, "sluice-gk"));
	CHECK(r->has_tokens && r->tokens.n == 1);
	t = &r->tokens.items[0];
	CHECK(per_oid_eq(&t->token_oid, &PER_OID(0, 0, 8, 235, 0, 2, 5)));
	CHECK(t->has_time_stamp && t->time_stamp == 1700000000);
	CHECK(t->has_random && t->random == 123456789);
	CHECK(t->has_general_id && per_bmp_eq_ascii(t->general_id, "sluice-gk"));
	CHECK(t->has_senders_id && per_bmp_eq_ascii(t->senders_id, "EP0001"));
	CHECK(!t->has_password && !t->has_dhkey && !t->has_challenge);
	CHECK(r->has_crypto_tokens && r->crypto_tokens.n == 1);
	CHECK(!r->has_terminal_alias && !r->has_feature_set);
}

static void test_rrq_gateway(void)
{
	static struct decoded d;
	const struct h225_rrq *r = &roundtrip(sample("rrq-gateway"), &d)->u.rrq;
	const struct h225_party_number *pn;

	CHECK(r->has_non_standard_data && r->non_standard_data.data.len == 4);
	CHECK(r->terminal_type.has_gateway &&
	      r->terminal_type.gateway.protocol.n == 2);
	CHECK(r->terminal_type.gateway.protocol.items[0].tag == H225_SP_VOICE);
	CHECK(r->terminal_type.has_set && r->terminal_type.set.nbits == 32);
	pn = &r->terminal_alias.items[0].u.party_number;
	CHECK(r->terminal_alias.items[0].tag == H225_ALIAS_PARTY_NUMBER);
	CHECK(pn->tag == H225_PN_E164_NUMBER &&
	      pn->u.e164_number.public_type_of_number.tag ==
		      H225_PUB_INTERNATIONAL_NUMBER &&
	      strcmp(pn->u.e164_number.public_number_digits, "4930123456") ==
		      0);
	CHECK(r->terminal_alias.items[1].tag == H225_ALIAS_TRANSPORT_ID &&
	      ip_is(&r->terminal_alias.items[1].u.transport_id, 192, 0, 2, 30,
		    1720));
	CHECK(strcmp(r->terminal_alias.items[2].u.dialed_digits,
		     "#*,0123456789") == 0);
	CHECK(r->will_supply_uuies && r->maintain_connection &&
	      r->additive_registration && r->supports_alt_gk &&
	      r->supports_assigned_gk);
	CHECK(r->endpoint_vendor.has_enterprise_number);
}

static void test_confirms_and_rejects(void)
{
	static struct decoded d;
	const struct h225_rcf *rcf = &roundtrip(sample("rcf"), &d)->u.rcf;
	const struct h225_ras_msg *m;

	CHECK(per_bmp_eq_ascii(rcf->endpoint_identifier, "EP0001"));
	CHECK(rcf->has_time_to_live && rcf->time_to_live == 300);
	CHECK(rcf->has_pre_granted_arq && rcf->pre_granted_arq.make_call &&
	      rcf->pre_granted_arq.irr_frequency_in_call == 120);
	CHECK(rcf->supports_additive_registration);
	CHECK(h460_feature_set_has(&rcf->feature_set,
				   H460_FEATURE_MEDIA_TRAVERSAL));
	CHECK(h460_find_param(h460_find_feature(
				      &rcf->feature_set.supported_features,
				      H460_FEATURE_MEDIA_TRAVERSAL),
			      H460_19_PARAM_MEDIA_TRAVERSAL_SERVER) != NULL);

	m = roundtrip(sample("rrj"), &d);
	CHECK(m->u.rrj.reject_reason.tag == H225_RRJ_SECURITY_DENIAL);
	m = roundtrip(sample("rrj-duplicate"), &d);
	CHECK(m->u.rrj.reject_reason.tag == H225_RRJ_DUPLICATE_ALIAS &&
	      m->u.rrj.reject_reason.u.duplicate_alias.n == 1);
	m = roundtrip(sample("grj"), &d);
	CHECK(m->u.grj.reject_reason.tag == H225_GRJ_SECURITY_DENIAL);
	m = roundtrip(sample("gcf"), &d);
	CHECK(m->u.gcf.has_authentication_mode &&
	      m->u.gcf.authentication_mode.tag == H235_AUTH_PWD_HASH);
	CHECK(ip_is(&m->u.gcf.ras_address, 203, 0, 113, 10, 1719));
	m = roundtrip(sample("urq"), &d);
	CHECK(m->u.urq.has_reason && m->u.urq.reason.tag == H225_URQ_TTL_EXPIRED);
	m = roundtrip(sample("inak"), &d);
	CHECK(m->u.inak.nak_reason.tag == H225_INAK_SECURITY_ERROR &&
	      m->u.inak.nak_reason.u.security_error.tag == H225_SEC_REPLAY);
	m = roundtrip(sample("lrj"), &d);
	CHECK(m->u.lrj.reject_reason.tag == H225_LRJ_HOP_COUNT_EXCEEDED);
}

static void test_calls(void)
{
	static struct decoded d;
	const struct h225_ras_msg *m = roundtrip(sample("arq"), &d);
	const struct h225_arq *a = &m->u.arq;

	CHECK(a->call_type.tag == H225_CALL_TYPE_POINT_TO_POINT);
	CHECK(a->has_call_model &&
	      a->call_model.tag == H225_CALL_MODEL_GATEKEEPER_ROUTED);
	CHECK(a->band_width == 1280 && a->call_reference_value == 4321);
	CHECK(a->conference_id[0] == 0x5e && a->conference_id[15] == 0x5e);
	CHECK(a->call_identifier.guid[0] == 0xca &&
	      a->call_identifier.guid[15] == 0xa9);
	CHECK(a->can_map_alias && !a->answer_call);
	CHECK(strcmp(a->destination_info.items[0].u.dialed_digits, "2002") == 0);

	m = roundtrip(sample("acf"), &d);
	CHECK(ip_is(&m->u.acf.dest_call_signal_address, 203, 0, 113, 10, 1720));
	CHECK(m->u.acf.has_irr_frequency && m->u.acf.irr_frequency == 30);
	m = roundtrip(sample("acf-sequence"), &d);
	CHECK(m->u.acf_sequence.n == 2 &&
	      m->u.acf_sequence.items[1].band_width == 640);
	m = roundtrip(sample("drq"), &d);
	CHECK(m->u.drq.disengage_reason.tag == H225_DRQ_NORMAL_DROP);
	m = roundtrip(sample("lrq"), &d);
	CHECK(m->u.lrq.has_hop_count && m->u.lrq.hop_count == 5);
	CHECK(m->u.lrq.destination_info.n == 2);
	m = roundtrip(sample("irr"), &d);
	CHECK(m->u.irr.has_per_call_info && m->u.irr.per_call_info.n == 1);
	CHECK(strcmp(m->u.irr.per_call_info.items[0].audio.items[0].cname,
		     "alice-192.0.2.20") == 0);
	CHECK(m->u.irr.per_call_info.items[0].audio.items[0].ssrc ==
	      0x12345678);
}

static void test_h460_18(void)
{
	static struct decoded d;
	static uint8_t mem[4096];
	struct h460_18_incoming_call_indication ici;
	struct per_arena a;
	struct per_error err;
	const struct h225_ras_msg *m = roundtrip(sample("sci"), &d);
	uint32_t interval = 0;

	CHECK(m->u.sci.service_control.n == 0);
	per_arena_init(&a, mem, sizeof(mem));
	CHECKF(h460_18_parse_incoming_call(&m->u.sci.generic_data, &ici, &a,
					   &err) == 0, "%s", err.reason);
	CHECK(ip_is(&ici.call_signalling_address, 203, 0, 113, 10, 2777));
	CHECK(ici.call_id.guid[0] == 0xca && ici.call_id.guid[15] == 0xa9);
	CHECK(h460_18_parse_lrq_keep_alive(&m->u.sci.generic_data, &interval,
					   &a, &err) == -1);

	m = roundtrip(sample("scr"), &d);
	CHECK(m->u.scr.has_result && m->u.scr.result.tag == H225_SCR_STARTED);
	CHECKF(h460_18_parse_lrq_keep_alive(&m->u.scr.generic_data, &interval,
					    &a, &err) == 0, "%s", err.reason);
	CHECK(interval == 30);
	CHECK(h460_18_parse_incoming_call(&m->u.scr.generic_data, &ici, &a,
					  &err) == -1);
}

/* per_equal must see a difference deep down, and say where. */
static void test_equal_detects(void)
{
	static struct decoded d;
	static struct h225_ras_msg copy;
	struct h225_alias_address aliases[4];
	char where[192];
	const struct h225_ras_msg *m = roundtrip(sample("rrq"), &d);

	copy = *m;
	memcpy(aliases, m->u.rrq.terminal_alias.items, sizeof(aliases));
	aliases[2].u.url_id = "h323:mallory@example.com";
	copy.u.rrq.terminal_alias.items = aliases;
	CHECK(!per_equal(&h225_t_ras_message, m, &copy, where, sizeof(where)));
	CHECKF(strcmp(where, "registrationRequest.terminal_alias[2].url_id") ==
		       0, "where = %s", where);
	copy = *m;
	copy.u.rrq.has_time_to_live = false;
	CHECK(!per_equal(&h225_t_ras_message, m, &copy, NULL, 0));
}

/* A GRQ from an H.225.0 v1 endpoint: no extension bit, so the mandatory
 * additions (supportsAssignedGK) are absent and read as FALSE. */
static void test_older_version(void)
{
	static const uint8_t v1_grq[] = {
		0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x08, 0x91, 0x4a, 0x00,
		0x01, 0x00, 0xc0, 0x00, 0x02, 0x14, 0x06, 0xb7, 0x02, 0x00,
	};
	struct h225_ras_msg m;
	struct per_arena a;
	struct per_error err;

	per_arena_init(&a, arena_mem, sizeof(arena_mem));
	CHECKF(h225_ras_decode(v1_grq, sizeof(v1_grq), &m, &a, &err) == 0,
	       "%s", err.reason);
	CHECK(m.tag == H225_RAS_GRQ && m.u.grq.request_seq_num == 1);
	CHECK(per_oid_eq(&m.u.grq.protocol_identifier,
			 &PER_OID(0, 0, 8, 2250, 0, 1)));
	CHECK(!m.u.grq.supports_assigned_gk && !m.u.grq.has_feature_set);
}

int main(void)
{
	test_all_samples();
	test_rrq();
	test_rrq_keepalive();
	test_rrq_gateway();
	test_confirms_and_rejects();
	test_calls();
	test_h460_18();
	test_equal_detects();
	test_older_version();
	return check_result("test_h225_roundtrip");
}
