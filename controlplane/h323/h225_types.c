/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h225_types.c — PER descriptors for the H.225.0 / H.235.0 types shared by
 * the RAS messages (addresses, aliases, endpoint types, generic data,
 * tokens, ...).
 *
 * Each table below is the ASN.1 definition transcribed component by
 * component, in order, with the "..." marker where the ASN.1 has it;
 * the ASN.1 is quoted above each table when it is not obvious. Source:
 * H.225.0 (12/2009) module H323-MESSAGES and H.235.0 (09/2005) module
 * H235-SECURITY-MESSAGES. per_type_check() verifies the tables' offsets
 * in the unit tests.
 */
#include "h225_types.h"

/* Every typed list must look like struct per_list to the engine. */
PER_LIST_LAYOUT(struct h225_alias_address_list);
PER_LIST_LAYOUT(struct h225_alternate_gk_list);
PER_LIST_LAYOUT(struct h225_authentication_mechanism_list);
PER_LIST_LAYOUT(struct h225_clear_token_list);
PER_LIST_LAYOUT(struct h225_crypto_h323_token_list);
PER_LIST_LAYOUT(struct h225_data_rate_list);
PER_LIST_LAYOUT(struct h225_enumerated_parameter_list);
PER_LIST_LAYOUT(struct h225_generic_data_list);
PER_LIST_LAYOUT(struct h225_guid_list);
PER_LIST_LAYOUT(struct h225_ip4_list);
PER_LIST_LAYOUT(struct h225_oid_list);
PER_LIST_LAYOUT(struct h225_party_number_list);
PER_LIST_LAYOUT(struct h225_rtp_session_list);
PER_LIST_LAYOUT(struct h225_service_control_session_list);
PER_LIST_LAYOUT(struct h225_supported_prefix_list);
PER_LIST_LAYOUT(struct h225_supported_protocols_list);
PER_LIST_LAYOUT(struct h225_transport_address_list);
PER_LIST_LAYOUT(struct h225_transport_channel_info_list);
PER_LIST_LAYOUT(struct h225_u8_list);

/* ---- integers and strings ------------------------------------------------ */

PER_INTEGER(h225_t_u8, 0, 255, uint8_t, false);
PER_INTEGER(h225_t_u16, 0, 65535, uint16_t, false);
PER_INTEGER(h225_t_u32, 0, 4294967295, uint32_t, false);	/* BandWidth */
PER_INTEGER(h225_t_seq_num, 1, 65535, uint16_t, false);	/* RequestSeqNum */
PER_INTEGER(h225_t_time_to_live, 1, 4294967295, uint32_t, false);
PER_INTEGER(h225_t_u8_0_127, 0, 127, uint8_t, false);
PER_INTEGER(h225_t_u8_1_255, 1, 255, uint8_t, false);
PER_INTEGER(h225_t_u16_1_256, 1, 256, uint16_t, false);

/* GenericIdentifier.standard: INTEGER(0..16383, ...) */
const struct per_type h225_t_standard_id = {
	.name = "INTEGER(0..16383, ...)", .kind = PER_K_INTEGER,
	.csize = sizeof(uint32_t),
	.u.i = { .lb = 0, .ub = 16383, .has_lb = true, .has_ub = true,
		 .ext = true, .csize = sizeof(uint32_t), .csigned = false },
};

PER_OCTET_STRING_FIXED(h225_t_guid, 16);	/* GloballyUniqueID */
PER_OCTET_STRING_FIXED(h225_t_ip4, 4);
PER_OCTET_STRING_FIXED(h225_t_ipx_node, 6);
PER_OCTET_STRING_FIXED(h225_t_ipx_port, 2);
PER_OCTET_STRING_FIXED(h225_t_iv8, 8);
PER_OCTET_STRING(h225_t_nsap, 1, 20);
PER_OCTET_STRING(h225_t_octets_1_256, 1, 256);
PER_OCTET_STRING(h225_t_challenge, 8, 128);	/* ChallengeString */
/* GatekeeperIdentifier, EndpointIdentifier, Password, Identifier */
PER_BMP_STRING(h225_t_identifier, 1, 128);
PER_BMP_STRING(h225_t_h323_id, 1, 256);
PER_BMP_STRING(h225_t_bmp_1_512, 1, 512);
/* dialledDigits, NumberDigits: IA5String(SIZE(1..128))(FROM("0123456789#*,"))
 * The alphabet is written in code order: '#' '*' ',' '0'..'9'. */
PER_IA5_STRING(h225_t_digits, 1, 128, "#*,0123456789");
PER_IA5_STRING(h225_t_ia5_1_512, 1, 512, NULL);	/* url-ID, email-ID */
PER_IA5_STRING(h225_t_ia5_0_512, 0, 512, NULL);
PER_BIT_STRING(h225_t_bits_32, 32, 32);
PER_BIT_STRING(h225_t_bits_0_2048, 0, 2048);

/* ---- non-standard data --------------------------------------------------- */

static const struct per_field h221_fields[] = {
	PER_F(struct h225_h221_non_standard, t35_country_code, h225_t_u8),
	PER_F(struct h225_h221_non_standard, t35_extension, h225_t_u8),
	PER_F(struct h225_h221_non_standard, manufacturer_code, h225_t_u16),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_h221_non_standard, struct h225_h221_non_standard,
	     h221_fields);

static const struct per_field nsi_alts[] = {
	PER_ALT(struct h225_non_standard_identifier, object, per_t_oid),
	PER_ALT(struct h225_non_standard_identifier, h221_non_standard,
		h225_t_h221_non_standard),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_non_standard_identifier, struct h225_non_standard_identifier,
	   nsi_alts);

static const struct per_field nsp_fields[] = {
	PER_F(struct h225_non_standard_parameter, non_standard_identifier,
	      h225_t_non_standard_identifier),
	PER_F(struct h225_non_standard_parameter, data, per_t_octets),
};
PER_SEQUENCE(h225_t_non_standard_parameter, struct h225_non_standard_parameter,
	     nsp_fields);

/* ---- TransportAddress ---------------------------------------------------- */

static const struct per_field ip_address_fields[] = {
	PER_F(struct h225_ip_address, ip, h225_t_ip4),
	PER_F(struct h225_ip_address, port, h225_t_u16),
};
PER_SEQUENCE(h225_t_ip_address, struct h225_ip_address, ip_address_fields);

static const struct per_field routing_alts[] = {
	PER_ALT_NULL("strict"),
	PER_ALT_NULL("loose"),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_routing, struct h225_routing, routing_alts);

PER_SEQUENCE_OF(h225_t_ip4_list, h225_t_ip4, 0, PER_NO_UB);

static const struct per_field ip_source_route_fields[] = {
	PER_F(struct h225_ip_source_route, ip, h225_t_ip4),
	PER_F(struct h225_ip_source_route, port, h225_t_u16),
	PER_F(struct h225_ip_source_route, route, h225_t_ip4_list),
	PER_F(struct h225_ip_source_route, routing, h225_t_routing),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_ip_source_route, struct h225_ip_source_route,
	     ip_source_route_fields);

static const struct per_field ipx_fields[] = {
	PER_F(struct h225_ipx_address, node, h225_t_ipx_node),
	PER_F(struct h225_ipx_address, netnum, h225_t_ip4),
	PER_F(struct h225_ipx_address, port, h225_t_ipx_port),
};
PER_SEQUENCE(h225_t_ipx_address, struct h225_ipx_address, ipx_fields);

static const struct per_field ip6_fields[] = {
	PER_F(struct h225_ip6_address, ip, h225_t_guid),
	PER_F(struct h225_ip6_address, port, h225_t_u16),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_ip6_address, struct h225_ip6_address, ip6_fields);

static const struct per_field transport_address_alts[] = {
	PER_ALT(struct h225_transport_address, ip_address, h225_t_ip_address),
	PER_ALT(struct h225_transport_address, ip_source_route,
		h225_t_ip_source_route),
	PER_ALT(struct h225_transport_address, ipx_address, h225_t_ipx_address),
	PER_ALT(struct h225_transport_address, ip6_address, h225_t_ip6_address),
	PER_ALT(struct h225_transport_address, net_bios, h225_t_guid),
	PER_ALT(struct h225_transport_address, nsap, h225_t_nsap),
	PER_ALT(struct h225_transport_address, non_standard_address,
		h225_t_non_standard_parameter),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_transport_address, struct h225_transport_address,
	   transport_address_alts);

PER_SEQUENCE_OF(h225_t_transport_address_list, h225_t_transport_address, 0,
		PER_NO_UB);

/* ---- AliasAddress and PartyNumber ---------------------------------------- */

static const struct per_field public_ton_alts[] = {
	PER_ALT_NULL("unknown"),
	PER_ALT_NULL("internationalNumber"),
	PER_ALT_NULL("nationalNumber"),
	PER_ALT_NULL("networkSpecificNumber"),
	PER_ALT_NULL("subscriberNumber"),
	PER_ALT_NULL("abbreviatedNumber"),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_public_type_of_number, struct h225_null_choice,
	   public_ton_alts);

static const struct per_field private_ton_alts[] = {
	PER_ALT_NULL("unknown"),
	PER_ALT_NULL("level2RegionalNumber"),
	PER_ALT_NULL("level1RegionalNumber"),
	PER_ALT_NULL("pISNSpecificNumber"),
	PER_ALT_NULL("localNumber"),
	PER_ALT_NULL("abbreviatedNumber"),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_private_type_of_number, struct h225_null_choice,
	   private_ton_alts);

static const struct per_field public_pn_fields[] = {
	PER_F(struct h225_public_party_number, public_type_of_number,
	      h225_t_public_type_of_number),
	PER_F(struct h225_public_party_number, public_number_digits,
	      h225_t_digits),
};
PER_SEQUENCE(h225_t_public_party_number, struct h225_public_party_number,
	     public_pn_fields);

static const struct per_field private_pn_fields[] = {
	PER_F(struct h225_private_party_number, private_type_of_number,
	      h225_t_private_type_of_number),
	PER_F(struct h225_private_party_number, private_number_digits,
	      h225_t_digits),
};
PER_SEQUENCE(h225_t_private_party_number, struct h225_private_party_number,
	     private_pn_fields);

static const struct per_field party_number_alts[] = {
	PER_ALT(struct h225_party_number, e164_number,
		h225_t_public_party_number),
	PER_ALT(struct h225_party_number, data_party_number, h225_t_digits),
	PER_ALT(struct h225_party_number, telex_party_number, h225_t_digits),
	PER_ALT(struct h225_party_number, private_number,
		h225_t_private_party_number),
	PER_ALT(struct h225_party_number, national_standard_party_number,
		h225_t_digits),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_party_number, struct h225_party_number, party_number_alts);

PER_SEQUENCE_OF(h225_t_party_number_list, h225_t_party_number, 0, PER_NO_UB);

static const struct per_field alias_address_alts[] = {
	PER_ALT(struct h225_alias_address, dialed_digits, h225_t_digits),
	PER_ALT(struct h225_alias_address, h323_id, h225_t_h323_id),
	PER_ELLIPSIS,
	PER_ALT(struct h225_alias_address, url_id, h225_t_ia5_1_512),
	PER_ALT(struct h225_alias_address, transport_id,
		h225_t_transport_address),
	PER_ALT(struct h225_alias_address, email_id, h225_t_ia5_1_512),
	PER_ALT(struct h225_alias_address, party_number, h225_t_party_number),
	PER_ALT(struct h225_alias_address, mobile_uim, per_t_open),
	PER_ALT(struct h225_alias_address, isup_number, per_t_open),
};
PER_CHOICE(h225_t_alias_address, struct h225_alias_address,
	   alias_address_alts);

PER_SEQUENCE_OF(h225_t_alias_address_list, h225_t_alias_address, 0,
		PER_NO_UB);

/* ---- EndpointType and what it contains ----------------------------------- */

static const struct per_field vendor_fields[] = {
	PER_F(struct h225_vendor_identifier, vendor, h225_t_h221_non_standard),
	PER_O(struct h225_vendor_identifier, product_id, h225_t_octets_1_256),
	PER_O(struct h225_vendor_identifier, version_id, h225_t_octets_1_256),
	PER_ELLIPSIS,
	PER_O(struct h225_vendor_identifier, enterprise_number, per_t_oid),
};
PER_SEQUENCE(h225_t_vendor_identifier, struct h225_vendor_identifier,
	     vendor_fields);

/* GatekeeperInfo, TerminalInfo ::=
 *   SEQUENCE { nonStandardData OPTIONAL, ... } */
static const struct per_field ns_info_fields[] = {
	PER_O(struct h225_ns_info, non_standard_data,
	      h225_t_non_standard_parameter),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_ns_info, struct h225_ns_info, ns_info_fields);

static const struct per_field data_rate_fields[] = {
	PER_O(struct h225_data_rate, non_standard_data,
	      h225_t_non_standard_parameter),
	PER_F(struct h225_data_rate, channel_rate, h225_t_u32),
	PER_O(struct h225_data_rate, channel_multiplier, h225_t_u16_1_256),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_data_rate, struct h225_data_rate, data_rate_fields);

PER_SEQUENCE_OF(h225_t_data_rate_list, h225_t_data_rate, 0, PER_NO_UB);

static const struct per_field supported_prefix_fields[] = {
	PER_O(struct h225_supported_prefix, non_standard_data,
	      h225_t_non_standard_parameter),
	PER_F(struct h225_supported_prefix, prefix, h225_t_alias_address),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_supported_prefix, struct h225_supported_prefix,
	     supported_prefix_fields);

PER_SEQUENCE_OF(h225_t_supported_prefix_list, h225_t_supported_prefix, 0,
		PER_NO_UB);

/* H310Caps ::= SEQUENCE { nonStandardData OPTIONAL, ...,
 *   dataRatesSupported SEQUENCE OF DataRate OPTIONAL,
 *   supportedPrefixes SEQUENCE OF SupportedPrefix }  (and H320Caps ...) */
static const struct per_field protocol_caps_fields[] = {
	PER_O(struct h225_protocol_caps, non_standard_data,
	      h225_t_non_standard_parameter),
	PER_ELLIPSIS,
	PER_O(struct h225_protocol_caps, data_rates_supported,
	      h225_t_data_rate_list),
	PER_F(struct h225_protocol_caps, supported_prefixes,
	      h225_t_supported_prefix_list),
};
PER_SEQUENCE(h225_t_protocol_caps, struct h225_protocol_caps,
	     protocol_caps_fields);

static const struct per_field supported_protocols_alts[] = {
	PER_ALT(struct h225_supported_protocols, non_standard_data,
		h225_t_non_standard_parameter),
	PER_ALT_NAMED("h310", struct h225_supported_protocols, caps,
		      h225_t_protocol_caps),
	PER_ALT_NAMED("h320", struct h225_supported_protocols, caps,
		      h225_t_protocol_caps),
	PER_ALT_NAMED("h321", struct h225_supported_protocols, caps,
		      h225_t_protocol_caps),
	PER_ALT_NAMED("h322", struct h225_supported_protocols, caps,
		      h225_t_protocol_caps),
	PER_ALT_NAMED("h323", struct h225_supported_protocols, caps,
		      h225_t_protocol_caps),
	PER_ALT_NAMED("h324", struct h225_supported_protocols, caps,
		      h225_t_protocol_caps),
	PER_ALT_NAMED("voice", struct h225_supported_protocols, caps,
		      h225_t_protocol_caps),
	PER_ALT_NAMED("t120_only", struct h225_supported_protocols, caps,
		      h225_t_protocol_caps),
	PER_ELLIPSIS,
	PER_ALT_NAMED("non_standard_protocol", struct h225_supported_protocols,
		      raw, per_t_open),
	PER_ALT_NAMED("t38_fax_annexb_only", struct h225_supported_protocols,
		      raw, per_t_open),
	PER_ALT_NAMED("sip", struct h225_supported_protocols, raw, per_t_open),
};
PER_CHOICE(h225_t_supported_protocols, struct h225_supported_protocols,
	   supported_protocols_alts);

PER_SEQUENCE_OF(h225_t_supported_protocols_list, h225_t_supported_protocols,
		0, PER_NO_UB);

static const struct per_field gateway_info_fields[] = {
	PER_O(struct h225_gateway_info, protocol,
	      h225_t_supported_protocols_list),
	PER_O(struct h225_gateway_info, non_standard_data,
	      h225_t_non_standard_parameter),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_gateway_info, struct h225_gateway_info,
	     gateway_info_fields);

static const struct per_field mcu_info_fields[] = {
	PER_O(struct h225_mcu_info, non_standard_data,
	      h225_t_non_standard_parameter),
	PER_ELLIPSIS,
	PER_O(struct h225_mcu_info, protocol, h225_t_supported_protocols_list),
};
PER_SEQUENCE(h225_t_mcu_info, struct h225_mcu_info, mcu_info_fields);

static const struct per_field endpoint_type_fields[] = {
	PER_O(struct h225_endpoint_type, non_standard_data,
	      h225_t_non_standard_parameter),
	PER_O(struct h225_endpoint_type, vendor, h225_t_vendor_identifier),
	PER_O(struct h225_endpoint_type, gatekeeper, h225_t_ns_info),
	PER_O(struct h225_endpoint_type, gateway, h225_t_gateway_info),
	PER_O(struct h225_endpoint_type, mcu, h225_t_mcu_info),
	PER_O(struct h225_endpoint_type, terminal, h225_t_ns_info),
	PER_F(struct h225_endpoint_type, mc, per_t_boolean),
	PER_F(struct h225_endpoint_type, undefined_node, per_t_boolean),
	PER_ELLIPSIS,
	PER_O(struct h225_endpoint_type, set, h225_t_bits_32),
	PER_SKIP("supportedTunnelledProtocols"),
};
PER_SEQUENCE(h225_t_endpoint_type, struct h225_endpoint_type,
	     endpoint_type_fields);

static const struct per_field q954_fields[] = {
	PER_F(struct h225_q954_details, conference_calling, per_t_boolean),
	PER_F(struct h225_q954_details, three_party_service, per_t_boolean),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_q954_details, struct h225_q954_details, q954_fields);

static const struct per_field qseries_fields[] = {
	PER_F(struct h225_qseries_options, q932_full, per_t_boolean),
	PER_F(struct h225_qseries_options, q951_full, per_t_boolean),
	PER_F(struct h225_qseries_options, q952_full, per_t_boolean),
	PER_F(struct h225_qseries_options, q953_full, per_t_boolean),
	PER_F(struct h225_qseries_options, q955_full, per_t_boolean),
	PER_F(struct h225_qseries_options, q956_full, per_t_boolean),
	PER_F(struct h225_qseries_options, q957_full, per_t_boolean),
	PER_F(struct h225_qseries_options, q954_info, h225_t_q954_details),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_qseries_options, struct h225_qseries_options,
	     qseries_fields);

static const struct per_field call_identifier_fields[] = {
	PER_F(struct h225_call_identifier, guid, h225_t_guid),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_call_identifier, struct h225_call_identifier,
	     call_identifier_fields);

PER_SEQUENCE_OF(h225_t_guid_list, h225_t_guid, 0, PER_NO_UB);

static const struct per_field call_linkage_fields[] = {
	PER_O(struct h225_call_linkage, global_call_id, h225_t_guid),
	PER_O(struct h225_call_linkage, thread_id, h225_t_guid),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_call_linkage, struct h225_call_linkage,
	     call_linkage_fields);

/* ---- GenericData (H.460 features) ---------------------------------------- */

static const struct per_field generic_identifier_alts[] = {
	PER_ALT(struct h225_generic_identifier, standard, h225_t_standard_id),
	PER_ALT(struct h225_generic_identifier, oid, per_t_oid),
	PER_ALT(struct h225_generic_identifier, non_standard, h225_t_guid),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_generic_identifier, struct h225_generic_identifier,
	   generic_identifier_alts);

PER_SEQUENCE_OF(h225_t_enumerated_parameter_list, h225_t_enumerated_parameter,
		1, 512);
PER_SEQUENCE_OF(h225_t_nested_generic_data_list, h225_t_generic_data, 1, 16);

static const struct per_field content_alts[] = {
	PER_ALT(struct h225_content, raw, per_t_octets),
	PER_ALT(struct h225_content, text, per_t_ia5),
	PER_ALT(struct h225_content, unicode, per_t_bmp),
	PER_ALT(struct h225_content, bool_, per_t_boolean),
	PER_ALT(struct h225_content, number8, h225_t_u8),
	PER_ALT(struct h225_content, number16, h225_t_u16),
	PER_ALT(struct h225_content, number32, h225_t_u32),
	PER_ALT(struct h225_content, id, h225_t_generic_identifier),
	PER_ALT(struct h225_content, alias, h225_t_alias_address),
	PER_ALT(struct h225_content, transport, h225_t_transport_address),
	PER_ALT(struct h225_content, compound,
		h225_t_enumerated_parameter_list),
	PER_ALT(struct h225_content, nested, h225_t_nested_generic_data_list),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_content, struct h225_content, content_alts);

static const struct per_field enumerated_parameter_fields[] = {
	PER_F(struct h225_enumerated_parameter, id, h225_t_generic_identifier),
	PER_O(struct h225_enumerated_parameter, content, h225_t_content),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_enumerated_parameter, struct h225_enumerated_parameter,
	     enumerated_parameter_fields);

static const struct per_field generic_data_fields[] = {
	PER_F(struct h225_generic_data, id, h225_t_generic_identifier),
	PER_O(struct h225_generic_data, parameters,
	      h225_t_enumerated_parameter_list),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_generic_data, struct h225_generic_data,
	     generic_data_fields);

PER_SEQUENCE_OF(h225_t_generic_data_list, h225_t_generic_data, 0, PER_NO_UB);

static const struct per_field feature_set_fields[] = {
	PER_F(struct h225_feature_set, replacement_feature_set, per_t_boolean),
	PER_O(struct h225_feature_set, needed_features,
	      h225_t_generic_data_list),
	PER_O(struct h225_feature_set, desired_features,
	      h225_t_generic_data_list),
	PER_O(struct h225_feature_set, supported_features,
	      h225_t_generic_data_list),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_feature_set, struct h225_feature_set, feature_set_fields);

/* ---- H.235 --------------------------------------------------------------- */

static const struct per_field h235_nsp_fields[] = {
	PER_F(struct h235_non_standard_parameter, non_standard_identifier,
	      per_t_oid),
	PER_F(struct h235_non_standard_parameter, data, per_t_octets),
};
PER_SEQUENCE(h235_t_non_standard_parameter, struct h235_non_standard_parameter,
	     h235_nsp_fields);

static const struct per_field dh_set_fields[] = {
	PER_F(struct h235_dh_set, halfkey, h225_t_bits_0_2048),
	PER_F(struct h235_dh_set, mod_size, h225_t_bits_0_2048),
	PER_F(struct h235_dh_set, generator, h225_t_bits_0_2048),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h235_t_dh_set, struct h235_dh_set, dh_set_fields);

static const struct per_field typed_certificate_fields[] = {
	PER_F(struct h235_typed_certificate, type, per_t_oid),
	PER_F(struct h235_typed_certificate, certificate, per_t_octets),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h235_t_typed_certificate, struct h235_typed_certificate,
	     typed_certificate_fields);

/* Params ::= SEQUENCE { ranInt INTEGER OPTIONAL, iv8 IV8 OPTIONAL, ...,
 *   iv16 IV16 OPTIONAL, iv OCTET STRING OPTIONAL,
 *   clearSalt OCTET STRING OPTIONAL } */
static const struct per_field params_fields[] = {
	PER_O(struct h235_params, ran_int, per_t_integer),
	PER_O(struct h235_params, iv8, h225_t_iv8),
	PER_ELLIPSIS,
	PER_O(struct h235_params, iv16, h225_t_guid),
	PER_O(struct h235_params, iv, per_t_octets),
	PER_O(struct h235_params, clear_salt, per_t_octets),
};
PER_SEQUENCE(h235_t_params, struct h235_params, params_fields);

static const struct per_field clear_token_fields[] = {
	PER_F(struct h235_clear_token, token_oid, per_t_oid),
	PER_O(struct h235_clear_token, time_stamp, h225_t_time_to_live),
	PER_O(struct h235_clear_token, password, h225_t_identifier),
	PER_O(struct h235_clear_token, dhkey, h235_t_dh_set),
	PER_O(struct h235_clear_token, challenge, h225_t_challenge),
	PER_O(struct h235_clear_token, random, per_t_integer),
	PER_O(struct h235_clear_token, certificate, h235_t_typed_certificate),
	PER_O(struct h235_clear_token, general_id, h225_t_identifier),
	PER_O(struct h235_clear_token, non_standard,
	      h235_t_non_standard_parameter),
	PER_ELLIPSIS,
	PER_SKIP("eckasdhkey"),
	PER_O(struct h235_clear_token, senders_id, h225_t_identifier),
	PER_SKIP("h235Key"),
	PER_SKIP("profileInfo"),
};
PER_SEQUENCE(h235_t_clear_token, struct h235_clear_token, clear_token_fields);

PER_SEQUENCE_OF(h225_t_clear_token_list, h235_t_clear_token, 0, PER_NO_UB);

/* HASHED{} ::= SEQUENCE { algorithmOID, paramS Params, hash BIT STRING } */
static const struct per_field hashed_fields[] = {
	PER_F(struct h235_hashed, algorithm_oid, per_t_oid),
	PER_F(struct h235_hashed, params, h235_t_params),
	PER_F(struct h235_hashed, hash, per_t_bits),
};
PER_SEQUENCE(h235_t_hashed, struct h235_hashed, hashed_fields);

static const struct per_field encrypted_fields[] = {
	PER_F(struct h235_encrypted, algorithm_oid, per_t_oid),
	PER_F(struct h235_encrypted, params, h235_t_params),
	PER_F(struct h235_encrypted, encrypted_data, per_t_octets),
};
PER_SEQUENCE(h235_t_encrypted, struct h235_encrypted, encrypted_fields);

/* SIGNED{} ::= SEQUENCE { toBeSigned (an open type: TYPE-IDENTIFIER.&Type),
 *   algorithmOID, paramS Params, signature BIT STRING } */
static const struct per_field signed_fields[] = {
	PER_F(struct h235_signed, to_be_signed, per_t_open),
	PER_F(struct h235_signed, algorithm_oid, per_t_oid),
	PER_F(struct h235_signed, params, h235_t_params),
	PER_F(struct h235_signed, signature, per_t_bits),
};
PER_SEQUENCE(h235_t_signed, struct h235_signed, signed_fields);

static const struct per_field crypto_encrypted_token_fields[] = {
	PER_F(struct h235_crypto_encrypted_token, token_oid, per_t_oid),
	PER_F(struct h235_crypto_encrypted_token, token, h235_t_encrypted),
};
PER_SEQUENCE(h235_t_crypto_encrypted_token, struct h235_crypto_encrypted_token,
	     crypto_encrypted_token_fields);

static const struct per_field crypto_signed_token_fields[] = {
	PER_F(struct h235_crypto_signed_token, token_oid, per_t_oid),
	PER_F(struct h235_crypto_signed_token, token, h235_t_signed),
};
PER_SEQUENCE(h235_t_crypto_signed_token, struct h235_crypto_signed_token,
	     crypto_signed_token_fields);

static const struct per_field crypto_hashed_token_fields[] = {
	PER_F(struct h235_crypto_hashed_token, token_oid, per_t_oid),
	PER_F(struct h235_crypto_hashed_token, hashed_vals, h235_t_clear_token),
	PER_F(struct h235_crypto_hashed_token, token, h235_t_hashed),
};
PER_SEQUENCE(h235_t_crypto_hashed_token, struct h235_crypto_hashed_token,
	     crypto_hashed_token_fields);

static const struct per_field crypto_token_alts[] = {
	PER_ALT(struct h235_crypto_token, crypto_encrypted_token,
		h235_t_crypto_encrypted_token),
	PER_ALT(struct h235_crypto_token, crypto_signed_token,
		h235_t_crypto_signed_token),
	PER_ALT(struct h235_crypto_token, crypto_hashed_token,
		h235_t_crypto_hashed_token),
	PER_ALT(struct h235_crypto_token, crypto_pwd_encr, h235_t_encrypted),
	PER_ELLIPSIS,
};
PER_CHOICE(h235_t_crypto_token, struct h235_crypto_token, crypto_token_alts);

static const struct per_field ep_pwd_hash_fields[] = {
	PER_F(struct h225_crypto_ep_pwd_hash, alias, h225_t_alias_address),
	PER_F(struct h225_crypto_ep_pwd_hash, time_stamp, h225_t_time_to_live),
	PER_F(struct h225_crypto_ep_pwd_hash, token, h235_t_hashed),
};
PER_SEQUENCE(h225_t_crypto_ep_pwd_hash, struct h225_crypto_ep_pwd_hash,
	     ep_pwd_hash_fields);

static const struct per_field gk_pwd_hash_fields[] = {
	PER_F(struct h225_crypto_gk_pwd_hash, gatekeeper_id, h225_t_identifier),
	PER_F(struct h225_crypto_gk_pwd_hash, time_stamp, h225_t_time_to_live),
	PER_F(struct h225_crypto_gk_pwd_hash, token, h235_t_hashed),
};
PER_SEQUENCE(h225_t_crypto_gk_pwd_hash, struct h225_crypto_gk_pwd_hash,
	     gk_pwd_hash_fields);

static const struct per_field crypto_h323_token_alts[] = {
	PER_ALT(struct h225_crypto_h323_token, crypto_ep_pwd_hash,
		h225_t_crypto_ep_pwd_hash),
	PER_ALT(struct h225_crypto_h323_token, crypto_gk_pwd_hash,
		h225_t_crypto_gk_pwd_hash),
	PER_ALT(struct h225_crypto_h323_token, crypto_ep_pwd_encr,
		h235_t_encrypted),
	PER_ALT(struct h225_crypto_h323_token, crypto_gk_pwd_encr,
		h235_t_encrypted),
	PER_ALT(struct h225_crypto_h323_token, crypto_ep_cert, h235_t_signed),
	PER_ALT(struct h225_crypto_h323_token, crypto_gk_cert, h235_t_signed),
	PER_ALT(struct h225_crypto_h323_token, crypto_fast_start,
		h235_t_signed),
	PER_ALT(struct h225_crypto_h323_token, nestedcrypto_token,
		h235_t_crypto_token),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_crypto_h323_token, struct h225_crypto_h323_token,
	   crypto_h323_token_alts);

PER_SEQUENCE_OF(h225_t_crypto_h323_token_list, h225_t_crypto_h323_token, 0,
		PER_NO_UB);

static const struct per_field authentication_mechanism_alts[] = {
	PER_ALT_NULL("dhExch"),
	PER_ALT_NULL("pwdSymEnc"),
	PER_ALT_NULL("pwdHash"),
	PER_ALT_NULL("certSign"),
	PER_ALT_NULL("ipsec"),
	PER_ALT_NULL("tls"),
	PER_ALT(struct h235_authentication_mechanism, non_standard,
		h235_t_non_standard_parameter),
	PER_ELLIPSIS,
	PER_ALT(struct h235_authentication_mechanism, authentication_bes,
		per_t_open),
	PER_ALT(struct h235_authentication_mechanism, key_exch, per_t_oid),
};
PER_CHOICE(h235_t_authentication_mechanism,
	   struct h235_authentication_mechanism,
	   authentication_mechanism_alts);

PER_SEQUENCE_OF(h225_t_authentication_mechanism_list,
		h235_t_authentication_mechanism, 0, PER_NO_UB);

PER_SEQUENCE_OF(h225_t_oid_list, per_t_oid, 0, PER_NO_UB);

static const struct per_field icv_fields[] = {
	PER_F(struct h225_icv, algorithm_oid, per_t_oid),
	PER_F(struct h225_icv, icv, per_t_bits),
};
PER_SEQUENCE(h225_t_icv, struct h225_icv, icv_fields);

static const struct per_field security_errors_alts[] = {
	PER_ALT_NULL("securityWrongSyncTime"),
	PER_ALT_NULL("securityReplay"),
	PER_ALT_NULL("securityWrongGeneralID"),
	PER_ALT_NULL("securityWrongSendersID"),
	PER_ALT_NULL("securityIntegrityFailed"),
	PER_ALT_NULL("securityWrongOID"),
	PER_ALT_NULL("securityDHmismatch"),
	PER_ALT_NULL("securityCertificateExpired"),
	PER_ALT_NULL("securityCertificateDateInvalid"),
	PER_ALT_NULL("securityCertificateRevoked"),
	PER_ALT_NULL("securityCertificateNotReadable"),
	PER_ALT_NULL("securityCertificateSignatureInvalid"),
	PER_ALT_NULL("securityCertificateMissing"),
	PER_ALT_NULL("securityCertificateIncomplete"),
	PER_ALT_NULL("securityUnsupportedCertificateAlgOID"),
	PER_ALT_NULL("securityUnknownCA"),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_security_errors, struct h225_null_choice,
	   security_errors_alts);

static const struct per_field security_errors2_alts[] = {
	PER_ALT_NULL("securityWrongSyncTime"),
	PER_ALT_NULL("securityReplay"),
	PER_ALT_NULL("securityWrongGeneralID"),
	PER_ALT_NULL("securityWrongSendersID"),
	PER_ALT_NULL("securityIntegrityFailed"),
	PER_ALT_NULL("securityWrongOID"),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_security_errors2, struct h225_null_choice,
	   security_errors2_alts);

/* ---- gatekeepers --------------------------------------------------------- */

static const struct per_field alternate_gk_fields[] = {
	PER_F(struct h225_alternate_gk, ras_address, h225_t_transport_address),
	PER_O(struct h225_alternate_gk, gatekeeper_identifier,
	      h225_t_identifier),
	PER_F(struct h225_alternate_gk, need_to_register, per_t_boolean),
	PER_F(struct h225_alternate_gk, priority, h225_t_u8_0_127),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_alternate_gk, struct h225_alternate_gk,
	     alternate_gk_fields);

PER_SEQUENCE_OF(h225_t_alternate_gk_list, h225_t_alternate_gk, 0, PER_NO_UB);

static const struct per_field alt_gk_info_fields[] = {
	PER_F(struct h225_alt_gk_info, alternate_gatekeeper,
	      h225_t_alternate_gk_list),
	PER_F(struct h225_alt_gk_info, alt_gk_is_permanent, per_t_boolean),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_alt_gk_info, struct h225_alt_gk_info, alt_gk_info_fields);

/* RehomingModel ::= CHOICE { gatekeeperBased NULL, endpointBased NULL }
 * (not extensible) */
static const struct per_field rehoming_model_alts[] = {
	PER_ALT_NULL("gatekeeperBased"),
	PER_ALT_NULL("endpointBased"),
};
PER_CHOICE(h225_t_rehoming_model, struct h225_null_choice, rehoming_model_alts);

/* ---- service control ----------------------------------------------------- */

static const struct per_field billing_mode_alts[] = {
	PER_ALT_NULL("credit"),
	PER_ALT_NULL("debit"),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_billing_mode, struct h225_null_choice, billing_mode_alts);

static const struct per_field call_starting_point_alts[] = {
	PER_ALT_NULL("alerting"),
	PER_ALT_NULL("connect"),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_call_starting_point, struct h225_null_choice,
	   call_starting_point_alts);

static const struct per_field call_credit_fields[] = {
	PER_O(struct h225_call_credit_service_control, amount_string,
	      h225_t_bmp_1_512),
	PER_O(struct h225_call_credit_service_control, billing_mode,
	      h225_t_billing_mode),
	PER_O(struct h225_call_credit_service_control, call_duration_limit,
	      h225_t_time_to_live),
	PER_O(struct h225_call_credit_service_control,
	      enforce_call_duration_limit, per_t_boolean),
	PER_O(struct h225_call_credit_service_control, call_starting_point,
	      h225_t_call_starting_point),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_call_credit_service_control,
	     struct h225_call_credit_service_control, call_credit_fields);

static const struct per_field service_control_descriptor_alts[] = {
	PER_ALT(struct h225_service_control_descriptor, url, h225_t_ia5_0_512),
	PER_ALT(struct h225_service_control_descriptor, signal, per_t_octets),
	PER_ALT(struct h225_service_control_descriptor, non_standard,
		h225_t_non_standard_parameter),
	PER_ALT(struct h225_service_control_descriptor,
		call_credit_service_control,
		h225_t_call_credit_service_control),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_service_control_descriptor,
	   struct h225_service_control_descriptor,
	   service_control_descriptor_alts);

static const struct per_field scs_reason_alts[] = {
	PER_ALT_NULL("open"),
	PER_ALT_NULL("refresh"),
	PER_ALT_NULL("close"),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_scs_reason, struct h225_null_choice, scs_reason_alts);

static const struct per_field service_control_session_fields[] = {
	PER_F(struct h225_service_control_session, session_id, h225_t_u8),
	PER_O(struct h225_service_control_session, contents,
	      h225_t_service_control_descriptor),
	PER_F(struct h225_service_control_session, reason, h225_t_scs_reason),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_service_control_session,
	     struct h225_service_control_session,
	     service_control_session_fields);

PER_SEQUENCE_OF(h225_t_service_control_session_list,
		h225_t_service_control_session, 0, PER_NO_UB);

/* ---- calls --------------------------------------------------------------- */

static const struct per_field call_type_alts[] = {
	PER_ALT_NULL("pointToPoint"),
	PER_ALT_NULL("oneToN"),
	PER_ALT_NULL("nToOne"),
	PER_ALT_NULL("nToN"),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_call_type, struct h225_null_choice, call_type_alts);

static const struct per_field call_model_alts[] = {
	PER_ALT_NULL("direct"),
	PER_ALT_NULL("gatekeeperRouted"),
	PER_ELLIPSIS,
};
PER_CHOICE(h225_t_call_model, struct h225_null_choice, call_model_alts);

static const struct per_field uuies_requested_fields[] = {
	PER_F(struct h225_uuies_requested, setup, per_t_boolean),
	PER_F(struct h225_uuies_requested, call_proceeding, per_t_boolean),
	PER_F(struct h225_uuies_requested, connect, per_t_boolean),
	PER_F(struct h225_uuies_requested, alerting, per_t_boolean),
	PER_F(struct h225_uuies_requested, information, per_t_boolean),
	PER_F(struct h225_uuies_requested, release_complete, per_t_boolean),
	PER_F(struct h225_uuies_requested, facility, per_t_boolean),
	PER_F(struct h225_uuies_requested, progress, per_t_boolean),
	PER_F(struct h225_uuies_requested, empty, per_t_boolean),
	PER_ELLIPSIS,
	PER_F(struct h225_uuies_requested, status, per_t_boolean),
	PER_F(struct h225_uuies_requested, status_inquiry, per_t_boolean),
	PER_F(struct h225_uuies_requested, setup_acknowledge, per_t_boolean),
	PER_F(struct h225_uuies_requested, notify, per_t_boolean),
};
PER_SEQUENCE(h225_t_uuies_requested, struct h225_uuies_requested,
	     uuies_requested_fields);

static const struct per_field transport_channel_info_fields[] = {
	PER_O(struct h225_transport_channel_info, send_address,
	      h225_t_transport_address),
	PER_O(struct h225_transport_channel_info, recv_address,
	      h225_t_transport_address),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h225_t_transport_channel_info, struct h225_transport_channel_info,
	     transport_channel_info_fields);

PER_SEQUENCE_OF(h225_t_transport_channel_info_list,
		h225_t_transport_channel_info, 0, PER_NO_UB);

PER_SEQUENCE_OF(h225_t_u8_list, h225_t_u8_1_255, 0, PER_NO_UB);

static const struct per_field rtp_session_fields[] = {
	PER_F(struct h225_rtp_session, rtp_address,
	      h225_t_transport_channel_info),
	PER_F(struct h225_rtp_session, rtcp_address,
	      h225_t_transport_channel_info),
	PER_F(struct h225_rtp_session, cname, per_t_printable),
	PER_F(struct h225_rtp_session, ssrc, h225_t_time_to_live),
	PER_F(struct h225_rtp_session, session_id, h225_t_u8_1_255),
	PER_F(struct h225_rtp_session, associated_session_ids, h225_t_u8_list),
	PER_ELLIPSIS,
	PER_NULL_O(struct h225_rtp_session, multicast),
	PER_O(struct h225_rtp_session, bandwidth, h225_t_u32),
};
PER_SEQUENCE(h225_t_rtp_session, struct h225_rtp_session, rtp_session_fields);

PER_SEQUENCE_OF(h225_t_rtp_session_list, h225_t_rtp_session, 0, PER_NO_UB);
