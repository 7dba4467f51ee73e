/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h225_samples.c — the sample RAS messages (see h225_samples.h).
 *
 * The cast: an endpoint "alice" (192.0.2.20) behind a firewall registers
 * with the Sluice traversal server (203.0.113.10, gatekeeper id
 * "sluice-gk") using H.460.18/19 and an H.235 password hash; it calls
 * "bob" (2002). All list items live in static arrays, as the RAS service
 * will build them.
 */
#include <string.h>

#include "h225_samples.h"
#include "h460.h"

#define TA_IP(a, b, c, d, p)                                               \
	{ .tag = H225_TA_IP_ADDRESS,                                       \
	  .u.ip_address = { .ip = { a, b, c, d }, .port = p } }

static const struct h225_transport_address ep_ras = TA_IP(192, 0, 2, 20, 1719);
static const struct h225_transport_address ep_cs = TA_IP(192, 0, 2, 20, 1720);
static const struct h225_transport_address gk_ras =
	TA_IP(203, 0, 113, 10, 1719);
static const struct h225_transport_address gk_cs =
	TA_IP(203, 0, 113, 10, 1720);

static const struct h225_transport_address ep_cs_list[] = {
	TA_IP(192, 0, 2, 20, 1720),
};
static const struct h225_transport_address ep_ras_list[] = {
	TA_IP(192, 0, 2, 20, 1719),
};
static const struct h225_transport_address gk_cs_list[] = {
	TA_IP(203, 0, 113, 10, 1720),
};

static const struct h225_alias_address alice_aliases[] = {
	{ .tag = H225_ALIAS_H323_ID, .u.h323_id = PER_BMP_INIT("alice") },
	{ .tag = H225_ALIAS_DIALED_DIGITS, .u.dialed_digits = "1001" },
	{ .tag = H225_ALIAS_URL_ID, .u.url_id = "h323:alice@example.com" },
	{ .tag = H225_ALIAS_EMAIL_ID, .u.email_id = "alice@example.com" },
};

static const struct h225_alias_address alice_h323[] = {
	{ .tag = H225_ALIAS_H323_ID, .u.h323_id = PER_BMP_INIT("alice") },
};

static const struct h225_alias_address bob_aliases[] = {
	{ .tag = H225_ALIAS_DIALED_DIGITS, .u.dialed_digits = "2002" },
	{ .tag = H225_ALIAS_H323_ID, .u.h323_id = PER_BMP_INIT("bob") },
};

static const struct h225_alias_address gw_aliases[] = {
	{ .tag = H225_ALIAS_PARTY_NUMBER,
	  .u.party_number = {
		  .tag = H225_PN_E164_NUMBER,
		  .u.e164_number = {
			  .public_type_of_number = {
				  .tag = H225_PUB_INTERNATIONAL_NUMBER },
			  .public_number_digits = "4930123456" } } },
	{ .tag = H225_ALIAS_TRANSPORT_ID,
	  .u.transport_id = TA_IP(192, 0, 2, 30, 1720) },
	{ .tag = H225_ALIAS_DIALED_DIGITS, .u.dialed_digits = "#*,0123456789" },
};

static const uint8_t conf_id[16] = {
	0x5e, 0x1c, 0xe0, 0x01, 0x7a, 0x2b, 0x11, 0xee,
	0x9a, 0x10, 0x00, 0x1b, 0x21, 0x3c, 0x4d, 0x5e,
};
static const uint8_t call_guid[16] = {
	0xca, 0x11, 0x1d, 0x00, 0x12, 0x34, 0x56, 0x78,
	0x9a, 0xbc, 0xde, 0xf0, 0x0f, 0xed, 0xcb, 0xa9,
};
static const uint8_t pwd_hash[16] = {
	0x9e, 0x10, 0x7d, 0x9d, 0x37, 0x2b, 0xb6, 0x82,
	0x6b, 0xd8, 0x1d, 0x35, 0x42, 0xa4, 0x19, 0xd6,
};

static const struct h225_vendor_identifier sluice_vendor = {
	.vendor = { .t35_country_code = 181, .t35_extension = 0,
		    .manufacturer_code = 0x5c11 },
	.has_product_id = true,
	.product_id = { (const uint8_t *)"Sluice", 6 },
	.has_version_id = true,
	.version_id = { (const uint8_t *)"0.1.0", 5 },
};

/* The H.235 password hash an endpoint proves its password with
 * (cryptoEPPwdHash, MD5 over the encoded PwdCertToken). */
static const struct h225_crypto_h323_token alice_pwd_hash[] = {
	{ .tag = H225_CRYPTO_EP_PWD_HASH,
	  .u.crypto_ep_pwd_hash = {
		  .alias = { .tag = H225_ALIAS_H323_ID,
			     .u.h323_id = PER_BMP_INIT("alice") },
		  .time_stamp = 1700000000,
		  .token = {
			  .algorithm_oid = PER_OID_INIT(1, 2, 840, 113549, 2, 5),
			  .hash = { pwd_hash, 128 } } } },
};

static const struct h235_clear_token alice_clear_tokens[] = {
	{ .token_oid = PER_OID_INIT(0, 0, 8, 235, 0, 2, 5),
	  .has_time_stamp = true, .time_stamp = 1700000000,
	  .has_random = true, .random = 123456789,
	  .has_general_id = true, .general_id = PER_BMP_INIT("sluice-gk"),
	  .has_senders_id = true, .senders_id = PER_BMP_INIT("EP0001") },
};

static const struct h235_authentication_mechanism pwd_hash_auth[] = {
	{ .tag = H235_AUTH_PWD_HASH },
};
static const struct per_oid md5_oid[] = {
	PER_OID_INIT(1, 2, 840, 113549, 2, 5),
};

/* H.460.18 and .19 as an endpoint announces them in RRQ ... */
static const struct h225_enumerated_parameter h460_19_client_params[] = {
	{ .id = { .tag = H225_GID_STANDARD,
		  .u.standard = H460_19_PARAM_SUPPORT_TRANSMIT_MULTIPLEXED_MEDIA } },
};
static const struct h225_generic_data ep_features[] = {
	{ .id = { .tag = H225_GID_STANDARD,
		  .u.standard = H460_FEATURE_SIGNALLING_TRAVERSAL } },
	{ .id = { .tag = H225_GID_STANDARD,
		  .u.standard = H460_FEATURE_MEDIA_TRAVERSAL },
	  .has_parameters = true,
	  .parameters = { h460_19_client_params, 1 } },
};

/* ... and as the traversal server confirms them in RCF/ACF. */
static const struct h225_enumerated_parameter h460_19_server_params[] = {
	{ .id = { .tag = H225_GID_STANDARD,
		  .u.standard = H460_19_PARAM_MEDIA_TRAVERSAL_SERVER } },
};
static const struct h225_generic_data gk_features[] = {
	{ .id = { .tag = H225_GID_STANDARD,
		  .u.standard = H460_FEATURE_SIGNALLING_TRAVERSAL } },
	{ .id = { .tag = H225_GID_STANDARD,
		  .u.standard = H460_FEATURE_MEDIA_TRAVERSAL },
	  .has_parameters = true,
	  .parameters = { h460_19_server_params, 1 } },
};

static void base_endpoint_type(struct h225_endpoint_type *et)
{
	et->has_vendor = true;
	et->vendor = sluice_vendor;
	et->has_terminal = true;
}

/* ---- gatekeeper discovery ------------------------------------------------ */

static void build_grq(struct h225_ras_msg *m)
{
	struct h225_grq *g = &m->u.grq;

	m->tag = H225_RAS_GRQ;
	g->request_seq_num = 1;
	g->protocol_identifier = h225_protocol_v4;
	g->ras_address = ep_ras;
	base_endpoint_type(&g->endpoint_type);
	g->has_gatekeeper_identifier = true;
	g->gatekeeper_identifier = PER_BMP("sluice-gk");
	g->has_endpoint_alias = true;
	g->endpoint_alias.items = alice_aliases;
	g->endpoint_alias.n = 2;
	g->has_authentication_capability = true;
	g->authentication_capability.items = pwd_hash_auth;
	g->authentication_capability.n = 1;
	g->has_algorithm_oids = true;
	g->algorithm_oids.items = md5_oid;
	g->algorithm_oids.n = 1;
	g->supports_alt_gk = true;
	g->has_feature_set = true;
	g->feature_set.has_supported_features = true;
	g->feature_set.supported_features.items = ep_features;
	g->feature_set.supported_features.n = 2;
}

/* The smallest GRQ: also the known-answer test's input. */
static void build_grq_minimal(struct h225_ras_msg *m)
{
	struct h225_grq *g = &m->u.grq;

	m->tag = H225_RAS_GRQ;
	g->request_seq_num = 1;
	g->protocol_identifier = h225_protocol_v4;
	g->ras_address = ep_ras;
	g->endpoint_type.has_terminal = true;
}

static void build_gcf(struct h225_ras_msg *m)
{
	struct h225_gcf *g = &m->u.gcf;

	m->tag = H225_RAS_GCF;
	g->request_seq_num = 1;
	g->protocol_identifier = h225_protocol_v4;
	g->has_gatekeeper_identifier = true;
	g->gatekeeper_identifier = PER_BMP("sluice-gk");
	g->ras_address = gk_ras;
	g->has_authentication_mode = true;
	g->authentication_mode.tag = H235_AUTH_PWD_HASH;
	g->has_algorithm_oid = true;
	g->algorithm_oid = md5_oid[0];
	g->has_feature_set = true;
	g->feature_set.has_supported_features = true;
	g->feature_set.supported_features.items = gk_features;
	g->feature_set.supported_features.n = 2;
}

static void build_grj(struct h225_ras_msg *m)
{
	struct h225_grj *g = &m->u.grj;

	m->tag = H225_RAS_GRJ;
	g->request_seq_num = 2;
	g->protocol_identifier = h225_protocol_v4;
	g->has_gatekeeper_identifier = true;
	g->gatekeeper_identifier = PER_BMP("sluice-gk");
	g->reject_reason.tag = H225_GRJ_SECURITY_DENIAL;
}

/* ---- registration -------------------------------------------------------- */

static void build_rrq(struct h225_ras_msg *m)
{
	struct h225_rrq *r = &m->u.rrq;

	m->tag = H225_RAS_RRQ;
	r->request_seq_num = 3;
	r->protocol_identifier = h225_protocol_v4;
	r->discovery_complete = true;
	r->call_signal_address.items = ep_cs_list;
	r->call_signal_address.n = 1;
	r->ras_address.items = ep_ras_list;
	r->ras_address.n = 1;
	base_endpoint_type(&r->terminal_type);
	r->has_terminal_alias = true;
	r->terminal_alias.items = alice_aliases;
	r->terminal_alias.n = 4;
	r->has_gatekeeper_identifier = true;
	r->gatekeeper_identifier = PER_BMP("sluice-gk");
	r->endpoint_vendor = sluice_vendor;
	r->has_time_to_live = true;
	r->time_to_live = 300;
	r->has_crypto_tokens = true;
	r->crypto_tokens.items = alice_pwd_hash;
	r->crypto_tokens.n = 1;
	r->keep_alive = false;
	r->has_multiple_calls = true;
	r->multiple_calls = false;
	r->has_feature_set = true;
	r->feature_set.has_supported_features = true;
	r->feature_set.supported_features.items = ep_features;
	r->feature_set.supported_features.n = 2;
}

/* H.460.18 lightweight re-registration: keepAlive, the identifiers the
 * RCF gave out, TTL and tokens, nothing else worth sending. */
static void build_rrq_keepalive(struct h225_ras_msg *m)
{
	struct h225_rrq *r = &m->u.rrq;

	m->tag = H225_RAS_RRQ;
	r->request_seq_num = 4;
	r->protocol_identifier = h225_protocol_v4;
	r->discovery_complete = false;
	r->call_signal_address.items = ep_cs_list;
	r->call_signal_address.n = 1;
	r->ras_address.items = ep_ras_list;
	r->ras_address.n = 1;
	r->terminal_type.has_terminal = true;
	r->has_gatekeeper_identifier = true;
	r->gatekeeper_identifier = PER_BMP("sluice-gk");
	r->endpoint_vendor = sluice_vendor;
	r->has_time_to_live = true;
	r->time_to_live = 300;
	r->has_tokens = true;
	r->tokens.items = alice_clear_tokens;
	r->tokens.n = 1;
	r->has_crypto_tokens = true;
	r->crypto_tokens.items = alice_pwd_hash;
	r->crypto_tokens.n = 1;
	r->keep_alive = true;
	r->has_endpoint_identifier = true;
	r->endpoint_identifier = PER_BMP("EP0001");
}

static const struct h225_supported_prefix gw_prefixes[] = {
	{ .prefix = { .tag = H225_ALIAS_DIALED_DIGITS, .u.dialed_digits = "9" } },
};
static const struct h225_data_rate gw_rates[] = {
	{ .channel_rate = 640, .has_channel_multiplier = true,
	  .channel_multiplier = 2 },
};
static const struct h225_supported_protocols gw_protocols[] = {
	{ .tag = H225_SP_VOICE,
	  .u.caps = { .has_data_rates_supported = true,
		      .data_rates_supported = { gw_rates, 1 },
		      .supported_prefixes = { gw_prefixes, 1 } } },
	{ .tag = H225_SP_H323,
	  .u.caps = { .supported_prefixes = { gw_prefixes, 1 } } },
};
static const uint8_t set_bits[4] = { 0x80, 0, 0, 0x01 };
static const uint8_t nsd_data[] = { 0xde, 0xad, 0xbe, 0xef };

/* A gateway: party numbers, transport aliases, supported protocols,
 * non-standard data, the SET bit string, enterprise number. */
static void build_rrq_gateway(struct h225_ras_msg *m)
{
	struct h225_rrq *r = &m->u.rrq;

	m->tag = H225_RAS_RRQ;
	r->request_seq_num = 5;
	r->protocol_identifier = h225_protocol_v7;
	r->has_non_standard_data = true;
	r->non_standard_data.non_standard_identifier.tag =
		H225_NSI_H221_NON_STANDARD;
	r->non_standard_data.non_standard_identifier.u.h221_non_standard =
		sluice_vendor.vendor;
	r->non_standard_data.data.data = nsd_data;
	r->non_standard_data.data.len = sizeof(nsd_data);
	r->discovery_complete = false;
	r->call_signal_address.items = ep_cs_list;
	r->call_signal_address.n = 1;
	r->ras_address.items = ep_ras_list;
	r->ras_address.n = 1;
	r->terminal_type.has_gateway = true;
	r->terminal_type.gateway.has_protocol = true;
	r->terminal_type.gateway.protocol.items = gw_protocols;
	r->terminal_type.gateway.protocol.n = 2;
	r->terminal_type.has_set = true;
	r->terminal_type.set.data = set_bits;
	r->terminal_type.set.nbits = 32;
	r->has_terminal_alias = true;
	r->terminal_alias.items = gw_aliases;
	r->terminal_alias.n = 3;
	r->endpoint_vendor = sluice_vendor;
	r->endpoint_vendor.has_enterprise_number = true;
	r->endpoint_vendor.enterprise_number = PER_OID(1, 3, 6, 1, 4, 1, 99999);
	r->will_supply_uuies = true;
	r->maintain_connection = true;
	r->additive_registration = true;
	r->supports_alt_gk = true;
	r->supports_assigned_gk = true;
}

static void build_rcf(struct h225_ras_msg *m)
{
	struct h225_rcf *r = &m->u.rcf;

	m->tag = H225_RAS_RCF;
	r->request_seq_num = 3;
	r->protocol_identifier = h225_protocol_v4;
	r->call_signal_address.items = gk_cs_list;
	r->call_signal_address.n = 1;
	r->has_terminal_alias = true;
	r->terminal_alias.items = alice_aliases;
	r->terminal_alias.n = 2;
	r->has_gatekeeper_identifier = true;
	r->gatekeeper_identifier = PER_BMP("sluice-gk");
	r->endpoint_identifier = PER_BMP("EP0001");
	r->has_time_to_live = true;
	r->time_to_live = 300;
	r->will_respond_to_irr = false;
	r->has_pre_granted_arq = true;
	r->pre_granted_arq.make_call = true;
	r->pre_granted_arq.use_gk_call_signal_address_to_make_call = true;
	r->pre_granted_arq.answer_call = true;
	r->pre_granted_arq.use_gk_call_signal_address_to_answer = true;
	r->pre_granted_arq.has_irr_frequency_in_call = true;
	r->pre_granted_arq.irr_frequency_in_call = 120;
	r->maintain_connection = false;
	r->supports_additive_registration = true;
	r->has_feature_set = true;
	r->feature_set.has_supported_features = true;
	r->feature_set.supported_features.items = gk_features;
	r->feature_set.supported_features.n = 2;
}

static void build_rrj(struct h225_ras_msg *m)
{
	struct h225_rrj *r = &m->u.rrj;

	m->tag = H225_RAS_RRJ;
	r->request_seq_num = 5;
	r->protocol_identifier = h225_protocol_v4;
	r->reject_reason.tag = H225_RRJ_SECURITY_DENIAL;
	r->has_gatekeeper_identifier = true;
	r->gatekeeper_identifier = PER_BMP("sluice-gk");
}

static void build_rrj_duplicate(struct h225_ras_msg *m)
{
	struct h225_rrj *r = &m->u.rrj;

	m->tag = H225_RAS_RRJ;
	r->request_seq_num = 6;
	r->protocol_identifier = h225_protocol_v4;
	r->reject_reason.tag = H225_RRJ_DUPLICATE_ALIAS;
	r->reject_reason.u.duplicate_alias.items = alice_h323;
	r->reject_reason.u.duplicate_alias.n = 1;
}

static void build_urq(struct h225_ras_msg *m)
{
	struct h225_urq *u = &m->u.urq;

	m->tag = H225_RAS_URQ;
	u->request_seq_num = 7;
	u->call_signal_address.items = ep_cs_list;
	u->call_signal_address.n = 1;
	u->has_endpoint_alias = true;
	u->endpoint_alias.items = alice_h323;
	u->endpoint_alias.n = 1;
	u->has_endpoint_identifier = true;
	u->endpoint_identifier = PER_BMP("EP0001");
	u->has_gatekeeper_identifier = true;
	u->gatekeeper_identifier = PER_BMP("sluice-gk");
	u->has_reason = true;
	u->reason.tag = H225_URQ_TTL_EXPIRED;
}

static void build_ucf(struct h225_ras_msg *m)
{
	m->tag = H225_RAS_UCF;
	m->u.ucf.request_seq_num = 7;
}

static void build_urj(struct h225_ras_msg *m)
{
	m->tag = H225_RAS_URJ;
	m->u.urj.request_seq_num = 8;
	m->u.urj.reject_reason.tag = H225_URJ_NOT_CURRENTLY_REGISTERED;
}

/* ---- admission ----------------------------------------------------------- */

static void build_arq(struct h225_ras_msg *m)
{
	struct h225_arq *a = &m->u.arq;

	m->tag = H225_RAS_ARQ;
	a->request_seq_num = 9;
	a->call_type.tag = H225_CALL_TYPE_POINT_TO_POINT;
	a->has_call_model = true;
	a->call_model.tag = H225_CALL_MODEL_GATEKEEPER_ROUTED;
	a->endpoint_identifier = PER_BMP("EP0001");
	a->has_destination_info = true;
	a->destination_info.items = bob_aliases;
	a->destination_info.n = 1;
	a->src_info.items = alice_h323;
	a->src_info.n = 1;
	a->has_src_call_signal_address = true;
	a->src_call_signal_address = ep_cs;
	a->band_width = 1280;
	a->call_reference_value = 4321;
	memcpy(a->conference_id, conf_id, 16);
	a->active_mc = false;
	a->answer_call = false;
	a->can_map_alias = true;
	memcpy(a->call_identifier.guid, call_guid, 16);
	a->has_gatekeeper_identifier = true;
	a->gatekeeper_identifier = PER_BMP("sluice-gk");
	a->has_crypto_tokens = true;
	a->crypto_tokens.items = alice_pwd_hash;
	a->crypto_tokens.n = 1;
	a->will_supply_uuies = false;
	a->can_map_src_alias = false;
}

static void build_acf(struct h225_ras_msg *m)
{
	struct h225_acf *a = &m->u.acf;

	m->tag = H225_RAS_ACF;
	a->request_seq_num = 9;
	a->band_width = 1280;
	a->call_model.tag = H225_CALL_MODEL_GATEKEEPER_ROUTED;
	a->dest_call_signal_address = gk_cs;
	a->has_irr_frequency = true;
	a->irr_frequency = 30;
	a->will_respond_to_irr = false;
	a->uuies_requested.setup = false;
	a->has_generic_data = true;
	a->generic_data.items = gk_features;
	a->generic_data.n = 2;
}

static void build_arj(struct h225_ras_msg *m)
{
	m->tag = H225_RAS_ARJ;
	m->u.arj.request_seq_num = 10;
	m->u.arj.reject_reason.tag = H225_ARJ_CALLED_PARTY_NOT_REGISTERED;
}

static void build_acf_sequence(struct h225_ras_msg *m)
{
	static struct h225_ras_msg acf;
	static struct h225_acf two[2];

	memset(&acf, 0, sizeof(acf));
	build_acf(&acf);
	two[0] = acf.u.acf;
	two[1] = acf.u.acf;
	two[1].has_generic_data = false;
	two[1].band_width = 640;
	m->tag = H225_RAS_ACF_SEQUENCE;
	m->u.acf_sequence.items = two;
	m->u.acf_sequence.n = 2;
}

/* ---- bandwidth ----------------------------------------------------------- */

static void build_brq(struct h225_ras_msg *m)
{
	struct h225_brq *b = &m->u.brq;

	m->tag = H225_RAS_BRQ;
	b->request_seq_num = 11;
	b->endpoint_identifier = PER_BMP("EP0001");
	memcpy(b->conference_id, conf_id, 16);
	b->call_reference_value = 4321;
	b->band_width = 3840;
	memcpy(b->call_identifier.guid, call_guid, 16);
	b->answered_call = false;
}

static void build_bcf(struct h225_ras_msg *m)
{
	m->tag = H225_RAS_BCF;
	m->u.bcf.request_seq_num = 11;
	m->u.bcf.band_width = 3840;
}

static void build_brj(struct h225_ras_msg *m)
{
	m->tag = H225_RAS_BRJ;
	m->u.brj.request_seq_num = 12;
	m->u.brj.reject_reason.tag = H225_BRJ_INSUFFICIENT_RESOURCES;
	m->u.brj.allowed_band_width = 1280;
}

/* ---- location ------------------------------------------------------------ */

static void build_lrq(struct h225_ras_msg *m)
{
	struct h225_lrq *l = &m->u.lrq;

	m->tag = H225_RAS_LRQ;
	l->request_seq_num = 13;
	l->destination_info.items = bob_aliases;
	l->destination_info.n = 2;
	l->reply_address = gk_ras;
	l->has_source_info = true;
	l->source_info.items = alice_h323;
	l->source_info.n = 1;
	l->can_map_alias = true;
	l->has_gatekeeper_identifier = true;
	l->gatekeeper_identifier = PER_BMP("neighbour-gk");
	l->has_hop_count = true;
	l->hop_count = 5;
	l->has_call_identifier = true;
	memcpy(l->call_identifier.guid, call_guid, 16);
	l->has_band_width = true;
	l->band_width = 1280;
	l->can_map_src_alias = false;
}

static void build_lcf(struct h225_ras_msg *m)
{
	struct h225_lcf *l = &m->u.lcf;

	m->tag = H225_RAS_LCF;
	l->request_seq_num = 13;
	l->call_signal_address = gk_cs;
	l->ras_address = gk_ras;
	l->has_destination_info = true;
	l->destination_info.items = bob_aliases;
	l->destination_info.n = 2;
	l->has_destination_type = true;
	l->destination_type.has_terminal = true;
}

static void build_lrj(struct h225_ras_msg *m)
{
	m->tag = H225_RAS_LRJ;
	m->u.lrj.request_seq_num = 14;
	m->u.lrj.reject_reason.tag = H225_LRJ_HOP_COUNT_EXCEEDED;
}

/* ---- disengage ----------------------------------------------------------- */

static void build_drq(struct h225_ras_msg *m)
{
	struct h225_drq *d = &m->u.drq;

	m->tag = H225_RAS_DRQ;
	d->request_seq_num = 15;
	d->endpoint_identifier = PER_BMP("EP0001");
	memcpy(d->conference_id, conf_id, 16);
	d->call_reference_value = 4321;
	d->disengage_reason.tag = H225_DRQ_NORMAL_DROP;
	memcpy(d->call_identifier.guid, call_guid, 16);
	d->has_gatekeeper_identifier = true;
	d->gatekeeper_identifier = PER_BMP("sluice-gk");
	d->answered_call = false;
}

static void build_dcf(struct h225_ras_msg *m)
{
	m->tag = H225_RAS_DCF;
	m->u.dcf.request_seq_num = 15;
}

static void build_drj(struct h225_ras_msg *m)
{
	m->tag = H225_RAS_DRJ;
	m->u.drj.request_seq_num = 16;
	m->u.drj.reject_reason.tag = H225_DRJ_NOT_REGISTERED;
}

/* ---- information --------------------------------------------------------- */

static void build_irq(struct h225_ras_msg *m)
{
	struct h225_irq *q = &m->u.irq;

	m->tag = H225_RAS_IRQ;
	q->request_seq_num = 17;
	q->call_reference_value = 0;
	q->has_reply_address = true;
	q->reply_address = gk_ras;
	q->segmented_response_supported = true;
}

static const uint8_t assoc_ids[] = { 2 };
static const struct h225_rtp_session irr_audio[] = {
	{ .rtp_address = { .has_recv_address = true,
			   .recv_address = TA_IP(192, 0, 2, 20, 5004) },
	  .rtcp_address = { .has_recv_address = true,
			    .recv_address = TA_IP(192, 0, 2, 20, 5005) },
	  .cname = "alice-192.0.2.20",
	  .ssrc = 0x12345678,
	  .session_id = 1,
	  .associated_session_ids = { assoc_ids, 1 },
	  .has_bandwidth = true,
	  .bandwidth = 640 },
};
static const uint8_t substitute_ids[][16] = {
	{ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 },
};
static struct h225_per_call_info irr_calls[1];

static void build_irr(struct h225_ras_msg *m)
{
	struct h225_irr *r = &m->u.irr;
	struct h225_per_call_info *c = &irr_calls[0];

	memset(c, 0, sizeof(*c));
	c->call_reference_value = 4321;
	memcpy(c->conference_id, conf_id, 16);
	c->has_originator = true;
	c->originator = true;
	c->has_audio = true;
	c->audio.items = irr_audio;
	c->audio.n = 1;
	c->h245.has_send_address = true;
	c->h245.send_address = gk_cs;
	c->call_signalling.has_recv_address = true;
	c->call_signalling.recv_address = ep_cs;
	c->call_type.tag = H225_CALL_TYPE_POINT_TO_POINT;
	c->band_width = 1280;
	c->call_model.tag = H225_CALL_MODEL_GATEKEEPER_ROUTED;
	memcpy(c->call_identifier.guid, call_guid, 16);
	c->substitute_conf_ids.items = substitute_ids;
	c->substitute_conf_ids.n = 1;

	m->tag = H225_RAS_IRR;
	r->request_seq_num = 17;
	base_endpoint_type(&r->endpoint_type);
	r->endpoint_identifier = PER_BMP("EP0001");
	r->ras_address = ep_ras;
	r->call_signal_address.items = ep_cs_list;
	r->call_signal_address.n = 1;
	r->has_endpoint_alias = true;
	r->endpoint_alias.items = alice_h323;
	r->endpoint_alias.n = 1;
	r->has_per_call_info = true;
	r->per_call_info.items = irr_calls;
	r->per_call_info.n = 1;
	r->need_response = true;
	r->has_irr_status = true;
	r->irr_status.tag = H225_IRR_COMPLETE;
	r->unsolicited = false;
}

/* ---- the rest ------------------------------------------------------------ */

static void build_nsm(struct h225_ras_msg *m)
{
	struct h225_nsm *n = &m->u.nsm;

	m->tag = H225_RAS_NSM;
	n->request_seq_num = 18;
	n->non_standard_data.non_standard_identifier.tag = H225_NSI_OBJECT;
	n->non_standard_data.non_standard_identifier.u.object =
		PER_OID(1, 3, 6, 1, 4, 1, 99999, 1);
	n->non_standard_data.data.data = nsd_data;
	n->non_standard_data.data.len = sizeof(nsd_data);
}

static void build_xrs(struct h225_ras_msg *m)
{
	static const uint8_t junk[] = { 0x7f, 0x00, 0x01 };

	m->tag = H225_RAS_XRS;
	m->u.xrs.request_seq_num = 19;
	m->u.xrs.message_not_understood.data = junk;
	m->u.xrs.message_not_understood.len = sizeof(junk);
}

static void build_rip(struct h225_ras_msg *m)
{
	m->tag = H225_RAS_RIP;
	m->u.rip.request_seq_num = 20;
	m->u.rip.delay = 5000;
}

static void build_rai(struct h225_ras_msg *m)
{
	struct h225_rai *r = &m->u.rai;

	m->tag = H225_RAS_RAI;
	r->request_seq_num = 21;
	r->protocol_identifier = h225_protocol_v4;
	r->endpoint_identifier = PER_BMP("GW0001");
	r->protocols.items = gw_protocols;
	r->protocols.n = 1;
	r->almost_out_of_resources = true;
}

static void build_rac(struct h225_ras_msg *m)
{
	m->tag = H225_RAS_RAC;
	m->u.rac.request_seq_num = 21;
	m->u.rac.protocol_identifier = h225_protocol_v4;
}

static void build_iack(struct h225_ras_msg *m)
{
	m->tag = H225_RAS_IACK;
	m->u.iack.request_seq_num = 17;
}

static void build_inak(struct h225_ras_msg *m)
{
	m->tag = H225_RAS_INAK;
	m->u.inak.request_seq_num = 17;
	m->u.inak.nak_reason.tag = H225_INAK_SECURITY_ERROR;
	m->u.inak.nak_reason.u.security_error.tag = H225_SEC_REPLAY;
}

/* H.460.18: the server tells the registered endpoint to open a call
 * signalling connection to 203.0.113.10:2777 for call `call_guid`. */
static struct h225_generic_data sci_data[1];
static struct h225_enumerated_parameter sci_param;
static uint8_t sci_raw[64];

static void build_sci(struct h225_ras_msg *m)
{
	struct h460_18_incoming_call_indication ici = {
		.call_signalling_address = TA_IP(203, 0, 113, 10, 2777),
	};
	struct h225_sci *s = &m->u.sci;

	memcpy(ici.call_id.guid, call_guid, 16);
	if (h460_18_build_incoming_call(&sci_data[0], &sci_param, &ici,
					sci_raw, sizeof(sci_raw), NULL) < 0)
		memset(&sci_data[0], 0, sizeof(sci_data[0]));
	m->tag = H225_RAS_SCI;
	s->request_seq_num = 22;
	s->service_control.items = NULL;
	s->service_control.n = 0;
	s->has_generic_data = true;
	s->generic_data.items = sci_data;
	s->generic_data.n = 1;
}

static struct h225_generic_data scr_data[1];
static struct h225_enumerated_parameter scr_param;
static uint8_t scr_raw[16];

static void build_scr(struct h225_ras_msg *m)
{
	struct h225_scr *s = &m->u.scr;

	if (h460_18_build_lrq_keep_alive(&scr_data[0], &scr_param, 30, scr_raw,
					 sizeof(scr_raw), NULL) < 0)
		memset(&scr_data[0], 0, sizeof(scr_data[0]));
	m->tag = H225_RAS_SCR;
	s->request_seq_num = 22;
	s->has_result = true;
	s->result.tag = H225_SCR_STARTED;
	s->has_generic_data = true;
	s->generic_data.items = scr_data;
	s->generic_data.n = 1;
}

/* Every Content alternative of a GenericData parameter, as H.460
 * features may carry them (here in an RAC, feature 99 from no standard). */
static const uint8_t content_raw[] = { 0x01, 0x02, 0x03 };
static const struct h225_enumerated_parameter content_leaf[] = {
	{ .id = { .tag = H225_GID_STANDARD, .u.standard = 7 } },
};
static const struct h225_generic_data content_nested[] = {
	{ .id = { .tag = H225_GID_STANDARD, .u.standard = 42 },
	  .has_parameters = true, .parameters = { content_leaf, 1 } },
};
static const struct h225_enumerated_parameter content_params[] = {
	{ .id = { .tag = H225_GID_STANDARD, .u.standard = 1 },
	  .has_content = true,
	  .content = { .tag = H225_CONTENT_RAW,
		       .u.raw = PER_OCTETS_INIT(content_raw) } },
	{ .id = { .tag = H225_GID_STANDARD, .u.standard = 2 },
	  .has_content = true,
	  .content = { .tag = H225_CONTENT_TEXT, .u.text = "hello" } },
	{ .id = { .tag = H225_GID_STANDARD, .u.standard = 3 },
	  .has_content = true,
	  .content = { .tag = H225_CONTENT_UNICODE,
		       .u.unicode = PER_BMP_INIT("hi") } },
	{ .id = { .tag = H225_GID_STANDARD, .u.standard = 4 },
	  .has_content = true,
	  .content = { .tag = H225_CONTENT_BOOL, .u.bool_ = true } },
	{ .id = { .tag = H225_GID_STANDARD, .u.standard = 5 },
	  .has_content = true,
	  .content = { .tag = H225_CONTENT_NUMBER8, .u.number8 = 200 } },
	{ .id = { .tag = H225_GID_STANDARD, .u.standard = 6 },
	  .has_content = true,
	  .content = { .tag = H225_CONTENT_NUMBER16, .u.number16 = 36000 } },
	{ .id = { .tag = H225_GID_STANDARD, .u.standard = 7 },
	  .has_content = true,
	  .content = { .tag = H225_CONTENT_NUMBER32, .u.number32 = 123456 } },
	{ .id = { .tag = H225_GID_OID, .u.oid = PER_OID_INIT(1, 3, 6, 1, 4, 1, 99999, 2) },
	  .has_content = true,
	  .content = { .tag = H225_CONTENT_ID,
		       .u.id = { .tag = H225_GID_NON_STANDARD,
				 .u.non_standard = { 0xaa, 0xbb, 0xcc, 0xdd } } } },
	{ .id = { .tag = H225_GID_STANDARD, .u.standard = 9 },
	  .has_content = true,
	  .content = { .tag = H225_CONTENT_ALIAS,
		       .u.alias = { .tag = H225_ALIAS_H323_ID,
				    .u.h323_id = PER_BMP_INIT("bob") } } },
	{ .id = { .tag = H225_GID_STANDARD, .u.standard = 10 },
	  .has_content = true,
	  .content = { .tag = H225_CONTENT_TRANSPORT,
		       .u.transport = TA_IP(198, 51, 100, 7, 36000) } },
	{ .id = { .tag = H225_GID_STANDARD, .u.standard = 11 },
	  .has_content = true,
	  .content = { .tag = H225_CONTENT_COMPOUND,
		       .u.compound = { content_leaf, 1 } } },
	{ .id = { .tag = H225_GID_STANDARD, .u.standard = 12 },
	  .has_content = true,
	  .content = { .tag = H225_CONTENT_NESTED,
		       .u.nested = { content_nested, 1 } } },
};
static const struct h225_generic_data content_data[] = {
	{ .id = { .tag = H225_GID_STANDARD, .u.standard = 99 },
	  .has_parameters = true,
	  .parameters = { content_params, PER_ARRAY_SIZE(content_params) } },
};

static void build_rac_content(struct h225_ras_msg *m)
{
	build_rac(m);
	m->u.rac.request_seq_num = 23;
	m->u.rac.has_generic_data = true;
	m->u.rac.generic_data.items = content_data;
	m->u.rac.generic_data.n = 1;
}

/* ---- "full" variants: more additions, so that Wireshark judges their
 * positions too ---------------------------------------------------------- */

static const struct h225_alternate_gk alt_gks[] = {
	{ .ras_address = TA_IP(203, 0, 113, 11, 1719),
	  .has_gatekeeper_identifier = true,
	  .gatekeeper_identifier = PER_BMP_INIT("sluice-gk2"),
	  .need_to_register = true, .priority = 1 },
};
static const struct h225_service_control_session scs[] = {
	{ .session_id = 1, .has_contents = true,
	  .contents = { .tag = H225_SCD_URL,
			.u.url = "http://203.0.113.10/info" },
	  .reason = { .tag = H225_SCS_OPEN } },
	{ .session_id = 2, .has_contents = true,
	  .contents = { .tag = H225_SCD_CALL_CREDIT_SERVICE_CONTROL,
			.u.call_credit_service_control = {
				.has_amount_string = true,
				.amount_string = PER_BMP_INIT("EUR 1.00"),
				.has_call_duration_limit = true,
				.call_duration_limit = 3600 } },
	  .reason = { .tag = H225_SCS_REFRESH } },
};

static void build_rcf_full(struct h225_ras_msg *m)
{
	struct h225_rcf *r = &m->u.rcf;

	build_rcf(m);
	r->request_seq_num = 24;
	r->has_alternate_gatekeeper = true;
	r->alternate_gatekeeper.items = alt_gks;
	r->alternate_gatekeeper.n = 1;
	r->has_service_control = true;
	r->service_control.items = scs;
	r->service_control.n = 2;
	r->has_supported_prefixes = true;
	r->supported_prefixes.items = gw_prefixes;
	r->supported_prefixes.n = 1;
	r->has_feature_server_alias = true;
	r->feature_server_alias = bob_aliases[1];
	r->has_generic_data = true;
	r->generic_data.items = gk_features;
	r->generic_data.n = 1;
	r->has_assigned_gatekeeper = true;
	r->assigned_gatekeeper = alt_gks[0];
	r->has_rehoming_model = true;
	r->rehoming_model.tag = H225_REHOMING_ENDPOINT_BASED;
}

static void build_urq_full(struct h225_ras_msg *m)
{
	struct h225_urq *u = &m->u.urq;

	build_urq(m);
	u->request_seq_num = 25;
	u->has_crypto_tokens = true;
	u->crypto_tokens.items = alice_pwd_hash;
	u->crypto_tokens.n = 1;
	u->reason.tag = H225_URQ_SECURITY_ERROR;
	u->reason.u.security_error.tag = H225_SEC_WRONG_OID;
	u->has_supported_prefixes = true;
	u->supported_prefixes.items = gw_prefixes;
	u->supported_prefixes.n = 1;
	u->has_alternate_gatekeeper = true;
	u->alternate_gatekeeper.items = alt_gks;
	u->alternate_gatekeeper.n = 1;
	u->has_generic_data = true;
	u->generic_data.items = ep_features;
	u->generic_data.n = 1;
	u->has_assigned_gatekeeper = true;
	u->assigned_gatekeeper = alt_gks[0];
}

static void build_grj_full(struct h225_ras_msg *m)
{
	struct h225_grj *g = &m->u.grj;

	build_grj(m);
	g->request_seq_num = 26;
	g->reject_reason.tag = H225_GRJ_SECURITY_ERROR;
	g->reject_reason.u.security_error.tag = H225_SEC_UNKNOWN_CA;
	g->has_alt_gk_info = true;
	g->alt_gk_info.alternate_gatekeeper.items = alt_gks;
	g->alt_gk_info.alternate_gatekeeper.n = 1;
	g->alt_gk_info.alt_gk_is_permanent = true;
	g->has_feature_set = true;
	g->feature_set.replacement_feature_set = true;
	g->feature_set.has_needed_features = true;
	g->feature_set.needed_features.items = gk_features;
	g->feature_set.needed_features.n = 1;
	g->has_generic_data = true;
	g->generic_data.items = gk_features;
	g->generic_data.n = 2;
}

static void build_arq_full(struct h225_ras_msg *m)
{
	struct h225_arq *a = &m->u.arq;

	build_arq(m);
	a->request_seq_num = 27;
	a->has_dest_call_signal_address = true;
	a->dest_call_signal_address = gk_cs;
	a->has_dest_extra_call_info = true;
	a->dest_extra_call_info.items = bob_aliases;
	a->dest_extra_call_info.n = 2;
	a->has_call_services = true;
	a->call_services.q932_full = true;
	a->call_services.q954_info.three_party_service = true;
	a->has_call_linkage = true;
	a->call_linkage.has_thread_id = true;
	memcpy(a->call_linkage.thread_id, conf_id, 16);
	a->has_gateway_data_rate = true;
	a->gateway_data_rate = gw_rates[0];
	a->has_desired_protocols = true;
	a->desired_protocols.items = gw_protocols;
	a->desired_protocols.n = 1;
	a->has_feature_set = true;
	a->feature_set.has_desired_features = true;
	a->feature_set.desired_features.items = ep_features;
	a->feature_set.desired_features.n = 2;
	a->has_generic_data = true;
	a->generic_data.items = ep_features;
	a->generic_data.n = 1;
	a->can_map_src_alias = true;
}

static void build_irq_full(struct h225_ras_msg *m)
{
	struct h225_irq *q = &m->u.irq;

	build_irq(m);
	q->request_seq_num = 28;
	memcpy(q->call_identifier.guid, call_guid, 16);
	q->has_uuies_requested = true;
	q->uuies_requested.setup = true;
	q->uuies_requested.notify = true;
	q->has_call_linkage = true;
	q->call_linkage.has_global_call_id = true;
	memcpy(q->call_linkage.global_call_id, conf_id, 16);
	q->has_next_segment_requested = true;
	q->next_segment_requested = 3;
	q->capacity_info_requested = true;
	q->has_assigned_gatekeeper = true;
	q->assigned_gatekeeper = alt_gks[0];
}

static void build_drq_full(struct h225_ras_msg *m)
{
	struct h225_drq *d = &m->u.drq;

	build_drq(m);
	d->request_seq_num = 29;
	d->has_call_linkage = true;
	d->call_linkage.has_thread_id = true;
	memcpy(d->call_linkage.thread_id, conf_id, 16);
	d->has_service_control = true;
	d->service_control.items = scs;
	d->service_control.n = 1;
	d->has_generic_data = true;
	d->generic_data.items = gk_features;
	d->generic_data.n = 2;
}

static void build_sci_full(struct h225_ras_msg *m)
{
	struct h225_sci *s = &m->u.sci;

	build_sci(m);
	s->request_seq_num = 30;
	s->service_control.items = scs;
	s->service_control.n = 1;
	s->has_endpoint_identifier = true;
	s->endpoint_identifier = PER_BMP("EP0001");
	s->has_call_specific = true;
	memcpy(s->call_specific.call_identifier.guid, call_guid, 16);
	memcpy(s->call_specific.conference_id, conf_id, 16);
	s->call_specific.answered_call = true;
	s->has_feature_set = true;
	s->feature_set.has_supported_features = true;
	s->feature_set.supported_features.items = gk_features;
	s->feature_set.supported_features.n = 1;
}

const struct h225_sample h225_samples[] = {
	{ "grq", build_grq },
	{ "grq-minimal", build_grq_minimal },
	{ "gcf", build_gcf },
	{ "grj", build_grj },
	{ "rrq", build_rrq },
	{ "rrq-keepalive", build_rrq_keepalive },
	{ "rrq-gateway", build_rrq_gateway },
	{ "rcf", build_rcf },
	{ "rrj", build_rrj },
	{ "rrj-duplicate", build_rrj_duplicate },
	{ "urq", build_urq },
	{ "ucf", build_ucf },
	{ "urj", build_urj },
	{ "arq", build_arq },
	{ "acf", build_acf },
	{ "arj", build_arj },
	{ "acf-sequence", build_acf_sequence },
	{ "brq", build_brq },
	{ "bcf", build_bcf },
	{ "brj", build_brj },
	{ "lrq", build_lrq },
	{ "lcf", build_lcf },
	{ "lrj", build_lrj },
	{ "drq", build_drq },
	{ "dcf", build_dcf },
	{ "drj", build_drj },
	{ "irq", build_irq },
	{ "irr", build_irr },
	{ "nsm", build_nsm },
	{ "xrs", build_xrs },
	{ "rip", build_rip },
	{ "rai", build_rai },
	{ "rac", build_rac },
	{ "rac-content", build_rac_content },
	{ "iack", build_iack },
	{ "inak", build_inak },
	{ "sci", build_sci },
	{ "scr", build_scr },
	{ "rcf-full", build_rcf_full },
	{ "urq-full", build_urq_full },
	{ "grj-full", build_grj_full },
	{ "arq-full", build_arq_full },
	{ "irq-full", build_irq_full },
	{ "drq-full", build_drq_full },
	{ "sci-full", build_sci_full },
};

const size_t h225_samples_count = PER_ARRAY_SIZE(h225_samples);
