/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h225_types.h — C structs for the H.225.0 RAS subset (module
 * H323-MESSAGES, H.225.0 v7 text, which every version from v4 on is a
 * prefix of) and the H.235.0 security types it uses, plus the PER type
 * descriptors that map them onto the wire (h225_types.c).
 *
 * Conventions (see per.h for the engine's side):
 *   - member names are the ASN.1 names in snake_case;
 *   - an OPTIONAL component `x` has `bool has_x` next to it; an OPTIONAL
 *     NULL is just the bool;
 *   - a CHOICE is { unsigned tag; struct per_octets unknown; union u }, the
 *     tag values are the enums below, in ASN.1 order (root alternatives,
 *     then additions);
 *   - extension additions this subset does not model are skipped when
 *     received and never sent (they are listed in h225_types.c as
 *     PER_SKIP, so positions stay right); mandatory additions are always
 *     sent, as H.225.0 v2+ requires.
 */
#ifndef SL_H225_TYPES_H
#define SL_H225_TYPES_H

#include "per.h"

/* ---- lists of simple values ---------------------------------------------- */

struct h225_oid_list {
	const struct per_oid *items;
	size_t n;
};

struct h225_guid_list {			/* SEQUENCE OF GloballyUniqueID */
	const uint8_t (*items)[16];
	size_t n;
};

struct h225_ip4_list {			/* SEQUENCE OF OCTET STRING(SIZE(4)) */
	const uint8_t (*items)[4];
	size_t n;
};

struct h225_u8_list {			/* SEQUENCE OF INTEGER(1..255) */
	const uint8_t *items;
	size_t n;
};

/* ---- non-standard data --------------------------------------------------- */

struct h225_h221_non_standard {
	uint8_t t35_country_code;
	uint8_t t35_extension;
	uint16_t manufacturer_code;
};

enum h225_non_standard_identifier_tag {
	H225_NSI_OBJECT,
	H225_NSI_H221_NON_STANDARD,
};

struct h225_non_standard_identifier {
	unsigned tag;
	struct per_octets unknown;
	union {
		struct per_oid object;
		struct h225_h221_non_standard h221_non_standard;
	} u;
};

struct h225_non_standard_parameter {
	struct h225_non_standard_identifier non_standard_identifier;
	struct per_octets data;
};

/* ---- addresses ----------------------------------------------------------- */

struct h225_ip_address {
	uint8_t ip[4];
	uint16_t port;
};

enum h225_routing_tag { H225_ROUTING_STRICT, H225_ROUTING_LOOSE };

struct h225_routing {
	unsigned tag;
	struct per_octets unknown;
};

struct h225_ip_source_route {
	uint8_t ip[4];
	uint16_t port;
	struct h225_ip4_list route;
	struct h225_routing routing;
};

struct h225_ipx_address {
	uint8_t node[6];
	uint8_t netnum[4];
	uint8_t port[2];
};

struct h225_ip6_address {
	uint8_t ip[16];
	uint16_t port;
};

enum h225_transport_address_tag {
	H225_TA_IP_ADDRESS,
	H225_TA_IP_SOURCE_ROUTE,
	H225_TA_IPX_ADDRESS,
	H225_TA_IP6_ADDRESS,
	H225_TA_NET_BIOS,
	H225_TA_NSAP,
	H225_TA_NON_STANDARD_ADDRESS,
};

struct h225_transport_address {
	unsigned tag;
	struct per_octets unknown;
	union {
		struct h225_ip_address ip_address;
		struct h225_ip_source_route ip_source_route;
		struct h225_ipx_address ipx_address;
		struct h225_ip6_address ip6_address;
		uint8_t net_bios[16];
		struct per_octets nsap;
		struct h225_non_standard_parameter non_standard_address;
	} u;
};

struct h225_transport_address_list {
	const struct h225_transport_address *items;
	size_t n;
};

/* PublicTypeOfNumber and PrivateTypeOfNumber: CHOICEs of NULLs. */
enum h225_public_type_of_number_tag {
	H225_PUB_UNKNOWN,
	H225_PUB_INTERNATIONAL_NUMBER,
	H225_PUB_NATIONAL_NUMBER,
	H225_PUB_NETWORK_SPECIFIC_NUMBER,
	H225_PUB_SUBSCRIBER_NUMBER,
	H225_PUB_ABBREVIATED_NUMBER,
};

enum h225_private_type_of_number_tag {
	H225_PRIV_UNKNOWN,
	H225_PRIV_LEVEL2_REGIONAL_NUMBER,
	H225_PRIV_LEVEL1_REGIONAL_NUMBER,
	H225_PRIV_PISN_SPECIFIC_NUMBER,
	H225_PRIV_LOCAL_NUMBER,
	H225_PRIV_ABBREVIATED_NUMBER,
};

/* Any CHOICE whose alternatives are all NULL. */
struct h225_null_choice {
	unsigned tag;
	struct per_octets unknown;
};

struct h225_public_party_number {
	struct h225_null_choice public_type_of_number;
	const char *public_number_digits;
};

struct h225_private_party_number {
	struct h225_null_choice private_type_of_number;
	const char *private_number_digits;
};

enum h225_party_number_tag {
	H225_PN_E164_NUMBER,
	H225_PN_DATA_PARTY_NUMBER,
	H225_PN_TELEX_PARTY_NUMBER,
	H225_PN_PRIVATE_NUMBER,
	H225_PN_NATIONAL_STANDARD_PARTY_NUMBER,
};

struct h225_party_number {
	unsigned tag;
	struct per_octets unknown;
	union {
		struct h225_public_party_number e164_number;
		const char *data_party_number;
		const char *telex_party_number;
		struct h225_private_party_number private_number;
		const char *national_standard_party_number;
	} u;
};

struct h225_party_number_list {
	const struct h225_party_number *items;
	size_t n;
};

enum h225_alias_address_tag {
	H225_ALIAS_DIALED_DIGITS,
	H225_ALIAS_H323_ID,
	H225_ALIAS_URL_ID,
	H225_ALIAS_TRANSPORT_ID,
	H225_ALIAS_EMAIL_ID,
	H225_ALIAS_PARTY_NUMBER,
	H225_ALIAS_MOBILE_UIM,		/* kept as raw encoding */
	H225_ALIAS_ISUP_NUMBER,		/* kept as raw encoding */
};

struct h225_alias_address {
	unsigned tag;
	struct per_octets unknown;
	union {
		const char *dialed_digits;	/* "0123456789#*," */
		struct per_bmp h323_id;
		const char *url_id;
		struct h225_transport_address transport_id;
		const char *email_id;
		struct h225_party_number party_number;
		struct per_octets mobile_uim;
		struct per_octets isup_number;
	} u;
};

struct h225_alias_address_list {
	const struct h225_alias_address *items;
	size_t n;
};

/* ---- endpoint description ------------------------------------------------ */

struct h225_vendor_identifier {
	struct h225_h221_non_standard vendor;
	bool has_product_id;
	struct per_octets product_id;
	bool has_version_id;
	struct per_octets version_id;
	bool has_enterprise_number;
	struct per_oid enterprise_number;
};

/* GatekeeperInfo, TerminalInfo: nothing but nonStandardData. */
struct h225_ns_info {
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
};

struct h225_data_rate {
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	uint32_t channel_rate;
	bool has_channel_multiplier;
	uint16_t channel_multiplier;
};

struct h225_data_rate_list {
	const struct h225_data_rate *items;
	size_t n;
};

struct h225_supported_prefix {
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	struct h225_alias_address prefix;
};

struct h225_supported_prefix_list {
	const struct h225_supported_prefix *items;
	size_t n;
};

/* H310Caps ... T120OnlyCaps all have this shape. */
struct h225_protocol_caps {
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	bool has_data_rates_supported;
	struct h225_data_rate_list data_rates_supported;
	struct h225_supported_prefix_list supported_prefixes;
};

enum h225_supported_protocols_tag {
	H225_SP_NON_STANDARD_DATA,
	H225_SP_H310,
	H225_SP_H320,
	H225_SP_H321,
	H225_SP_H322,
	H225_SP_H323,
	H225_SP_H324,
	H225_SP_VOICE,
	H225_SP_T120_ONLY,
	H225_SP_NON_STANDARD_PROTOCOL,	/* raw */
	H225_SP_T38_FAX_ANNEXB_ONLY,	/* raw */
	H225_SP_SIP,			/* raw */
};

struct h225_supported_protocols {
	unsigned tag;
	struct per_octets unknown;
	union {
		struct h225_non_standard_parameter non_standard_data;
		struct h225_protocol_caps caps;	/* h310 .. t120-only */
		struct per_octets raw;		/* the three additions */
	} u;
};

struct h225_supported_protocols_list {
	const struct h225_supported_protocols *items;
	size_t n;
};

struct h225_gateway_info {
	bool has_protocol;
	struct h225_supported_protocols_list protocol;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
};

struct h225_mcu_info {
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	bool has_protocol;
	struct h225_supported_protocols_list protocol;
};

struct h225_endpoint_type {
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	bool has_vendor;
	struct h225_vendor_identifier vendor;
	bool has_gatekeeper;
	struct h225_ns_info gatekeeper;
	bool has_gateway;
	struct h225_gateway_info gateway;
	bool has_mcu;
	struct h225_mcu_info mcu;
	bool has_terminal;
	struct h225_ns_info terminal;
	bool mc;
	bool undefined_node;
	bool has_set;
	struct per_bits set;		/* SIZE(32) */
};

struct h225_q954_details {
	bool conference_calling;
	bool three_party_service;
};

struct h225_qseries_options {
	bool q932_full, q951_full, q952_full, q953_full, q955_full, q956_full,
	     q957_full;
	struct h225_q954_details q954_info;
};

struct h225_call_identifier {
	uint8_t guid[16];
};

struct h225_call_linkage {
	bool has_global_call_id;
	uint8_t global_call_id[16];
	bool has_thread_id;
	uint8_t thread_id[16];
};

/* ---- generic extensibility (H.460) --------------------------------------- */

enum h225_generic_identifier_tag {
	H225_GID_STANDARD,
	H225_GID_OID,
	H225_GID_NON_STANDARD,
};

struct h225_generic_identifier {
	unsigned tag;
	struct per_octets unknown;
	union {
		uint32_t standard;	/* INTEGER(0..16383, ...) */
		struct per_oid oid;
		uint8_t non_standard[16];
	} u;
};

struct h225_enumerated_parameter;
struct h225_generic_data;

struct h225_enumerated_parameter_list {
	const struct h225_enumerated_parameter *items;
	size_t n;
};

struct h225_generic_data_list {
	const struct h225_generic_data *items;
	size_t n;
};

enum h225_content_tag {
	H225_CONTENT_RAW,
	H225_CONTENT_TEXT,
	H225_CONTENT_UNICODE,
	H225_CONTENT_BOOL,
	H225_CONTENT_NUMBER8,
	H225_CONTENT_NUMBER16,
	H225_CONTENT_NUMBER32,
	H225_CONTENT_ID,
	H225_CONTENT_ALIAS,
	H225_CONTENT_TRANSPORT,
	H225_CONTENT_COMPOUND,
	H225_CONTENT_NESTED,
};

struct h225_content {
	unsigned tag;
	struct per_octets unknown;
	union {
		struct per_octets raw;
		const char *text;
		struct per_bmp unicode;
		bool bool_;
		uint8_t number8;
		uint16_t number16;
		uint32_t number32;
		struct h225_generic_identifier id;
		struct h225_alias_address alias;
		struct h225_transport_address transport;
		struct h225_enumerated_parameter_list compound;
		struct h225_generic_data_list nested;
	} u;
};

struct h225_enumerated_parameter {
	struct h225_generic_identifier id;
	bool has_content;
	struct h225_content content;
};

/* Also FeatureDescriptor. */
struct h225_generic_data {
	struct h225_generic_identifier id;
	bool has_parameters;
	struct h225_enumerated_parameter_list parameters; /* SIZE(1..512) */
};

struct h225_feature_set {
	bool replacement_feature_set;
	bool has_needed_features;
	struct h225_generic_data_list needed_features;
	bool has_desired_features;
	struct h225_generic_data_list desired_features;
	bool has_supported_features;
	struct h225_generic_data_list supported_features;
};

/* ---- H.235 security ------------------------------------------------------ */

struct h235_non_standard_parameter {
	struct per_oid non_standard_identifier;
	struct per_octets data;
};

struct h235_dh_set {
	struct per_bits halfkey;	/* SIZE(0..2048) each */
	struct per_bits mod_size;
	struct per_bits generator;
};

struct h235_typed_certificate {
	struct per_oid type;
	struct per_octets certificate;
};

struct h235_params {
	bool has_ran_int;
	int64_t ran_int;
	bool has_iv8;
	uint8_t iv8[8];
	bool has_iv16;
	uint8_t iv16[16];
	bool has_iv;
	struct per_octets iv;
	bool has_clear_salt;
	struct per_octets clear_salt;
};

struct h235_clear_token {
	struct per_oid token_oid;
	bool has_time_stamp;
	uint32_t time_stamp;		/* 1..4294967295, seconds since 1970 */
	bool has_password;
	struct per_bmp password;
	bool has_dhkey;
	struct h235_dh_set dhkey;
	bool has_challenge;
	struct per_octets challenge;	/* SIZE(8..128) */
	bool has_random;
	int64_t random;			/* RandomVal: unconstrained INTEGER */
	bool has_certificate;
	struct h235_typed_certificate certificate;
	bool has_general_id;
	struct per_bmp general_id;
	bool has_non_standard;
	struct h235_non_standard_parameter non_standard;
	bool has_senders_id;
	struct per_bmp senders_id;
};

struct h225_clear_token_list {
	const struct h235_clear_token *items;
	size_t n;
};

/* HASHED{}: what cryptoEPPwdHash carries (H.235 password hashing). */
struct h235_hashed {
	struct per_oid algorithm_oid;
	struct h235_params params;
	struct per_bits hash;
};

struct h235_encrypted {
	struct per_oid algorithm_oid;
	struct h235_params params;
	struct per_octets encrypted_data;
};

struct h235_signed {
	struct per_octets to_be_signed;	/* open type: an encoded token */
	struct per_oid algorithm_oid;
	struct h235_params params;
	struct per_bits signature;
};

struct h235_crypto_encrypted_token {
	struct per_oid token_oid;
	struct h235_encrypted token;
};

struct h235_crypto_signed_token {
	struct per_oid token_oid;
	struct h235_signed token;
};

struct h235_crypto_hashed_token {
	struct per_oid token_oid;
	struct h235_clear_token hashed_vals;
	struct h235_hashed token;
};

enum h235_crypto_token_tag {
	H235_CT_CRYPTO_ENCRYPTED_TOKEN,
	H235_CT_CRYPTO_SIGNED_TOKEN,
	H235_CT_CRYPTO_HASHED_TOKEN,
	H235_CT_CRYPTO_PWD_ENCR,
};

struct h235_crypto_token {
	unsigned tag;
	struct per_octets unknown;
	union {
		struct h235_crypto_encrypted_token crypto_encrypted_token;
		struct h235_crypto_signed_token crypto_signed_token;
		struct h235_crypto_hashed_token crypto_hashed_token;
		struct h235_encrypted crypto_pwd_encr;
	} u;
};

struct h225_crypto_ep_pwd_hash {
	struct h225_alias_address alias;
	uint32_t time_stamp;
	struct h235_hashed token;
};

struct h225_crypto_gk_pwd_hash {
	struct per_bmp gatekeeper_id;
	uint32_t time_stamp;
	struct h235_hashed token;
};

enum h225_crypto_h323_token_tag {
	H225_CRYPTO_EP_PWD_HASH,
	H225_CRYPTO_GK_PWD_HASH,
	H225_CRYPTO_EP_PWD_ENCR,
	H225_CRYPTO_GK_PWD_ENCR,
	H225_CRYPTO_EP_CERT,
	H225_CRYPTO_GK_CERT,
	H225_CRYPTO_FAST_START,
	H225_CRYPTO_NESTED_CRYPTO_TOKEN,
};

struct h225_crypto_h323_token {
	unsigned tag;
	struct per_octets unknown;
	union {
		struct h225_crypto_ep_pwd_hash crypto_ep_pwd_hash;
		struct h225_crypto_gk_pwd_hash crypto_gk_pwd_hash;
		struct h235_encrypted crypto_ep_pwd_encr;
		struct h235_encrypted crypto_gk_pwd_encr;
		struct h235_signed crypto_ep_cert;
		struct h235_signed crypto_gk_cert;
		struct h235_signed crypto_fast_start;
		struct h235_crypto_token nestedcrypto_token;
	} u;
};

struct h225_crypto_h323_token_list {
	const struct h225_crypto_h323_token *items;
	size_t n;
};

enum h235_authentication_mechanism_tag {
	H235_AUTH_DH_EXCH,
	H235_AUTH_PWD_SYM_ENC,
	H235_AUTH_PWD_HASH,
	H235_AUTH_CERT_SIGN,
	H235_AUTH_IPSEC,
	H235_AUTH_TLS,
	H235_AUTH_NON_STANDARD,
	H235_AUTH_AUTHENTICATION_BES,	/* raw */
	H235_AUTH_KEY_EXCH,
};

struct h235_authentication_mechanism {
	unsigned tag;
	struct per_octets unknown;
	union {
		struct h235_non_standard_parameter non_standard;
		struct per_octets authentication_bes;
		struct per_oid key_exch;
	} u;
};

struct h225_authentication_mechanism_list {
	const struct h235_authentication_mechanism *items;
	size_t n;
};

struct h225_icv {
	struct per_oid algorithm_oid;
	struct per_bits icv;
};

/* SecurityErrors: 16 NULL alternatives; SecurityErrors2: the first 6. */
enum h225_security_errors_tag {
	H225_SEC_WRONG_SYNC_TIME,
	H225_SEC_REPLAY,
	H225_SEC_WRONG_GENERAL_ID,
	H225_SEC_WRONG_SENDERS_ID,
	H225_SEC_INTEGRITY_FAILED,
	H225_SEC_WRONG_OID,
	H225_SEC_DH_MISMATCH,
	H225_SEC_CERTIFICATE_EXPIRED,
	H225_SEC_CERTIFICATE_DATE_INVALID,
	H225_SEC_CERTIFICATE_REVOKED,
	H225_SEC_CERTIFICATE_NOT_READABLE,
	H225_SEC_CERTIFICATE_SIGNATURE_INVALID,
	H225_SEC_CERTIFICATE_MISSING,
	H225_SEC_CERTIFICATE_INCOMPLETE,
	H225_SEC_UNSUPPORTED_CERTIFICATE_ALG_OID,
	H225_SEC_UNKNOWN_CA,
};

/* ---- gatekeeper topology ------------------------------------------------- */

struct h225_alternate_gk {
	struct h225_transport_address ras_address;
	bool has_gatekeeper_identifier;
	struct per_bmp gatekeeper_identifier;
	bool need_to_register;
	uint8_t priority;		/* 0..127 */
};

struct h225_alternate_gk_list {
	const struct h225_alternate_gk *items;
	size_t n;
};

struct h225_alt_gk_info {
	struct h225_alternate_gk_list alternate_gatekeeper;
	bool alt_gk_is_permanent;
};

enum h225_rehoming_model_tag {
	H225_REHOMING_GATEKEEPER_BASED,
	H225_REHOMING_ENDPOINT_BASED,
};

/* ---- service control ----------------------------------------------------- */

enum h225_billing_mode_tag { H225_BILLING_CREDIT, H225_BILLING_DEBIT };
enum h225_call_starting_point_tag { H225_CSP_ALERTING, H225_CSP_CONNECT };

struct h225_call_credit_service_control {
	bool has_amount_string;
	struct per_bmp amount_string;
	bool has_billing_mode;
	struct h225_null_choice billing_mode;
	bool has_call_duration_limit;
	uint32_t call_duration_limit;
	bool has_enforce_call_duration_limit;
	bool enforce_call_duration_limit;
	bool has_call_starting_point;
	struct h225_null_choice call_starting_point;
};

enum h225_service_control_descriptor_tag {
	H225_SCD_URL,
	H225_SCD_SIGNAL,
	H225_SCD_NON_STANDARD,
	H225_SCD_CALL_CREDIT_SERVICE_CONTROL,
};

struct h225_service_control_descriptor {
	unsigned tag;
	struct per_octets unknown;
	union {
		const char *url;
		struct per_octets signal;
		struct h225_non_standard_parameter non_standard;
		struct h225_call_credit_service_control
			call_credit_service_control;
	} u;
};

enum h225_scs_reason_tag { H225_SCS_OPEN, H225_SCS_REFRESH, H225_SCS_CLOSE };

struct h225_service_control_session {
	uint8_t session_id;
	bool has_contents;
	struct h225_service_control_descriptor contents;
	struct h225_null_choice reason;
};

struct h225_service_control_session_list {
	const struct h225_service_control_session *items;
	size_t n;
};

/* ---- call description ---------------------------------------------------- */

enum h225_call_type_tag {
	H225_CALL_TYPE_POINT_TO_POINT,
	H225_CALL_TYPE_ONE_TO_N,
	H225_CALL_TYPE_N_TO_ONE,
	H225_CALL_TYPE_N_TO_N,
};

enum h225_call_model_tag {
	H225_CALL_MODEL_DIRECT,
	H225_CALL_MODEL_GATEKEEPER_ROUTED,
};

struct h225_uuies_requested {
	bool setup, call_proceeding, connect, alerting, information,
	     release_complete, facility, progress, empty;
	bool status, status_inquiry, setup_acknowledge, notify;
};

struct h225_transport_channel_info {
	bool has_send_address;
	struct h225_transport_address send_address;
	bool has_recv_address;
	struct h225_transport_address recv_address;
};

struct h225_transport_channel_info_list {
	const struct h225_transport_channel_info *items;
	size_t n;
};

struct h225_rtp_session {
	struct h225_transport_channel_info rtp_address;
	struct h225_transport_channel_info rtcp_address;
	const char *cname;		/* PrintableString */
	uint32_t ssrc;			/* 1..4294967295 */
	uint8_t session_id;		/* 1..255 */
	struct h225_u8_list associated_session_ids;
	bool multicast;			/* NULL OPTIONAL addition */
	bool has_bandwidth;
	uint32_t bandwidth;
};

struct h225_rtp_session_list {
	const struct h225_rtp_session *items;
	size_t n;
};


/* ---- descriptors (h225_types.c) ------------------------------------------ */

extern const struct per_type h225_t_u8;
extern const struct per_type h225_t_u16;
extern const struct per_type h225_t_u32;
extern const struct per_type h225_t_seq_num;
extern const struct per_type h225_t_time_to_live;
extern const struct per_type h225_t_u8_0_127;
extern const struct per_type h225_t_u8_1_255;
extern const struct per_type h225_t_u16_1_256;
extern const struct per_type h225_t_standard_id;
extern const struct per_type h225_t_guid;
extern const struct per_type h225_t_ip4;
extern const struct per_type h225_t_ipx_node;
extern const struct per_type h225_t_ipx_port;
extern const struct per_type h225_t_iv8;
extern const struct per_type h225_t_nsap;
extern const struct per_type h225_t_octets_1_256;
extern const struct per_type h225_t_challenge;
extern const struct per_type h225_t_identifier;
extern const struct per_type h225_t_h323_id;
extern const struct per_type h225_t_bmp_1_512;
extern const struct per_type h225_t_bits_32;
extern const struct per_type h225_t_bits_0_2048;
extern const struct per_type h225_t_h221_non_standard;
extern const struct per_type h225_t_non_standard_identifier;
extern const struct per_type h225_t_non_standard_parameter;
extern const struct per_type h225_t_ip_address;
extern const struct per_type h225_t_routing;
extern const struct per_type h225_t_ip4_list;
extern const struct per_type h225_t_ip_source_route;
extern const struct per_type h225_t_ipx_address;
extern const struct per_type h225_t_ip6_address;
extern const struct per_type h225_t_transport_address;
extern const struct per_type h225_t_transport_address_list;
extern const struct per_type h225_t_public_type_of_number;
extern const struct per_type h225_t_private_type_of_number;
extern const struct per_type h225_t_public_party_number;
extern const struct per_type h225_t_private_party_number;
extern const struct per_type h225_t_party_number;
extern const struct per_type h225_t_party_number_list;
extern const struct per_type h225_t_alias_address;
extern const struct per_type h225_t_alias_address_list;
extern const struct per_type h225_t_vendor_identifier;
extern const struct per_type h225_t_ns_info;
extern const struct per_type h225_t_data_rate;
extern const struct per_type h225_t_data_rate_list;
extern const struct per_type h225_t_supported_prefix;
extern const struct per_type h225_t_supported_prefix_list;
extern const struct per_type h225_t_protocol_caps;
extern const struct per_type h225_t_supported_protocols;
extern const struct per_type h225_t_supported_protocols_list;
extern const struct per_type h225_t_gateway_info;
extern const struct per_type h225_t_mcu_info;
extern const struct per_type h225_t_endpoint_type;
extern const struct per_type h225_t_q954_details;
extern const struct per_type h225_t_qseries_options;
extern const struct per_type h225_t_call_identifier;
extern const struct per_type h225_t_guid_list;
extern const struct per_type h225_t_call_linkage;
extern const struct per_type h225_t_generic_identifier;
extern const struct per_type h225_t_enumerated_parameter_list;
extern const struct per_type h225_t_nested_generic_data_list;
extern const struct per_type h225_t_content;
extern const struct per_type h225_t_enumerated_parameter;
extern const struct per_type h225_t_generic_data;
extern const struct per_type h225_t_generic_data_list;
extern const struct per_type h225_t_feature_set;
extern const struct per_type h235_t_non_standard_parameter;
extern const struct per_type h235_t_dh_set;
extern const struct per_type h235_t_typed_certificate;
extern const struct per_type h235_t_params;
extern const struct per_type h235_t_clear_token;
extern const struct per_type h225_t_clear_token_list;
extern const struct per_type h235_t_hashed;
extern const struct per_type h235_t_encrypted;
extern const struct per_type h235_t_signed;
extern const struct per_type h235_t_crypto_encrypted_token;
extern const struct per_type h235_t_crypto_signed_token;
extern const struct per_type h235_t_crypto_hashed_token;
extern const struct per_type h235_t_crypto_token;
extern const struct per_type h225_t_crypto_ep_pwd_hash;
extern const struct per_type h225_t_crypto_gk_pwd_hash;
extern const struct per_type h225_t_crypto_h323_token;
extern const struct per_type h225_t_crypto_h323_token_list;
extern const struct per_type h235_t_authentication_mechanism;
extern const struct per_type h225_t_authentication_mechanism_list;
extern const struct per_type h225_t_oid_list;
extern const struct per_type h225_t_icv;
extern const struct per_type h225_t_security_errors;
extern const struct per_type h225_t_security_errors2;
extern const struct per_type h225_t_alternate_gk;
extern const struct per_type h225_t_alternate_gk_list;
extern const struct per_type h225_t_alt_gk_info;
extern const struct per_type h225_t_rehoming_model;
extern const struct per_type h225_t_billing_mode;
extern const struct per_type h225_t_call_starting_point;
extern const struct per_type h225_t_call_credit_service_control;
extern const struct per_type h225_t_service_control_descriptor;
extern const struct per_type h225_t_scs_reason;
extern const struct per_type h225_t_service_control_session;
extern const struct per_type h225_t_service_control_session_list;
extern const struct per_type h225_t_call_type;
extern const struct per_type h225_t_call_model;
extern const struct per_type h225_t_uuies_requested;
extern const struct per_type h225_t_transport_channel_info;
extern const struct per_type h225_t_transport_channel_info_list;
extern const struct per_type h225_t_u8_list;
extern const struct per_type h225_t_rtp_session;
extern const struct per_type h225_t_rtp_session_list;

#endif /* SL_H225_TYPES_H */
