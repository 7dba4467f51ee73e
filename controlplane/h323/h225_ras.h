/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h225_ras.h — H.225.0 RAS messages as C structs, and their PER codec.
 *
 * Every RasMessage alternative of H.225.0 v7 is described; the RAS service
 * builds a `struct h225_ras_msg`, sets `tag` and the matching member of
 * `u`, and calls h225_ras_encode(); a received datagram goes through
 * h225_ras_decode() into the same struct, its strings and lists held in an
 * arena the caller owns:
 *
 *     uint8_t mem[H225_RAS_ARENA_SIZE];
 *     struct per_arena arena;
 *     struct h225_ras_msg m;
 *     struct per_error err;
 *
 *     per_arena_init(&arena, mem, sizeof(mem));
 *     if (h225_ras_decode(pkt, len, &m, &arena, &err) < 0)
 *             log("RAS from %s refused: %s", peer, err.reason);
 *     else if (m.tag == H225_RAS_RRQ && m.u.rrq.keep_alive) ...
 *
 * Member names follow the ASN.1 (snake_case); see h225_types.h for the
 * conventions on OPTIONAL components and CHOICEs. Extension additions
 * that the traversal server has no use for (alternateEndpoints,
 * transportQOS, capacity, circuitInfo, usage reporting, ...) are skipped
 * on receipt and never sent.
 */
#ifndef SL_H225_RAS_H
#define SL_H225_RAS_H

#include "h225_types.h"

/* Arena that comfortably holds any RAS message that fits a datagram of
 * ordinary size; hostile input that needs more is refused (PER_E_NOMEM). */
#define H225_RAS_ARENA_SIZE (64 * 1024)

/* Largest RAS message Sluice sends or accepts (one UDP datagram). */
#define H225_RAS_MAX_SIZE 4096

/* ---- shared pieces ------------------------------------------------------- */

/* Every reject reason CHOICE (GRJ, RRJ, URQ reason, URJ, ARJ, BRJ, LRJ,
 * DRJ, INAK): NULL alternatives plus these few with values. The tag enums
 * below say which alternatives a given message has. */
struct h225_reason {
	unsigned tag;
	struct per_octets unknown;
	union {
		struct h225_null_choice security_error;	/* SecurityErrors(2) */
		struct h225_alias_address_list duplicate_alias;	/* RRJ */
		struct per_octets invalid_terminal_aliases;	/* RRJ, raw */
		struct h225_party_number_list route_call_to_scn; /* ARJ/LRJ */
	} u;
};

enum h225_grj_reason_tag {
	H225_GRJ_RESOURCE_UNAVAILABLE,
	H225_GRJ_TERMINAL_EXCLUDED,
	H225_GRJ_INVALID_REVISION,
	H225_GRJ_UNDEFINED_REASON,
	H225_GRJ_SECURITY_DENIAL,
	H225_GRJ_GENERIC_DATA_REASON,
	H225_GRJ_NEEDED_FEATURE_NOT_SUPPORTED,
	H225_GRJ_SECURITY_ERROR,
};

enum h225_rrj_reason_tag {
	H225_RRJ_DISCOVERY_REQUIRED,
	H225_RRJ_INVALID_REVISION,
	H225_RRJ_INVALID_CALL_SIGNAL_ADDRESS,
	H225_RRJ_INVALID_RAS_ADDRESS,
	H225_RRJ_DUPLICATE_ALIAS,
	H225_RRJ_INVALID_TERMINAL_TYPE,
	H225_RRJ_UNDEFINED_REASON,
	H225_RRJ_TRANSPORT_NOT_SUPPORTED,
	H225_RRJ_TRANSPORT_QOS_NOT_SUPPORTED,
	H225_RRJ_RESOURCE_UNAVAILABLE,
	H225_RRJ_INVALID_ALIAS,
	H225_RRJ_SECURITY_DENIAL,
	H225_RRJ_FULL_REGISTRATION_REQUIRED,
	H225_RRJ_ADDITIVE_REGISTRATION_NOT_SUPPORTED,
	H225_RRJ_INVALID_TERMINAL_ALIASES,
	H225_RRJ_GENERIC_DATA_REASON,
	H225_RRJ_NEEDED_FEATURE_NOT_SUPPORTED,
	H225_RRJ_SECURITY_ERROR,
	H225_RRJ_REGISTER_WITH_ASSIGNED_GK,
};

enum h225_urq_reason_tag {
	H225_URQ_REREGISTRATION_REQUIRED,
	H225_URQ_TTL_EXPIRED,
	H225_URQ_SECURITY_DENIAL,
	H225_URQ_UNDEFINED_REASON,
	H225_URQ_MAINTENANCE,
	H225_URQ_SECURITY_ERROR,
	H225_URQ_REGISTER_WITH_ASSIGNED_GK,
};

enum h225_urj_reason_tag {
	H225_URJ_NOT_CURRENTLY_REGISTERED,
	H225_URJ_CALL_IN_PROGRESS,
	H225_URJ_UNDEFINED_REASON,
	H225_URJ_PERMISSION_DENIED,
	H225_URJ_SECURITY_DENIAL,
	H225_URJ_SECURITY_ERROR,
};

enum h225_arj_reason_tag {
	H225_ARJ_CALLED_PARTY_NOT_REGISTERED,
	H225_ARJ_INVALID_PERMISSION,
	H225_ARJ_REQUEST_DENIED,
	H225_ARJ_UNDEFINED_REASON,
	H225_ARJ_CALLER_NOT_REGISTERED,
	H225_ARJ_ROUTE_CALL_TO_GATEKEEPER,
	H225_ARJ_INVALID_ENDPOINT_IDENTIFIER,
	H225_ARJ_RESOURCE_UNAVAILABLE,
	H225_ARJ_SECURITY_DENIAL,
	H225_ARJ_QOS_CONTROL_NOT_SUPPORTED,
	H225_ARJ_INCOMPLETE_ADDRESS,
	H225_ARJ_ALIASES_INCONSISTENT,
	H225_ARJ_ROUTE_CALL_TO_SCN,
	H225_ARJ_EXCEEDS_CALL_CAPACITY,
	H225_ARJ_COLLECT_DESTINATION,
	H225_ARJ_COLLECT_PIN,
	H225_ARJ_GENERIC_DATA_REASON,
	H225_ARJ_NEEDED_FEATURE_NOT_SUPPORTED,
	H225_ARJ_SECURITY_ERROR,
	H225_ARJ_SECURITY_DH_MISMATCH,
	H225_ARJ_NO_ROUTE_TO_DESTINATION,
	H225_ARJ_UNALLOCATED_NUMBER,
	H225_ARJ_REGISTER_WITH_ASSIGNED_GK,
};

enum h225_brj_reason_tag {
	H225_BRJ_NOT_BOUND,
	H225_BRJ_INVALID_CONFERENCE_ID,
	H225_BRJ_INVALID_PERMISSION,
	H225_BRJ_INSUFFICIENT_RESOURCES,
	H225_BRJ_INVALID_REVISION,
	H225_BRJ_UNDEFINED_REASON,
	H225_BRJ_SECURITY_DENIAL,
	H225_BRJ_SECURITY_ERROR,
};

enum h225_lrj_reason_tag {
	H225_LRJ_NOT_REGISTERED,
	H225_LRJ_INVALID_PERMISSION,
	H225_LRJ_REQUEST_DENIED,
	H225_LRJ_UNDEFINED_REASON,
	H225_LRJ_SECURITY_DENIAL,
	H225_LRJ_ALIASES_INCONSISTENT,
	H225_LRJ_ROUTE_CALL_TO_SCN,
	H225_LRJ_RESOURCE_UNAVAILABLE,
	H225_LRJ_GENERIC_DATA_REASON,
	H225_LRJ_NEEDED_FEATURE_NOT_SUPPORTED,
	H225_LRJ_HOP_COUNT_EXCEEDED,
	H225_LRJ_INCOMPLETE_ADDRESS,
	H225_LRJ_SECURITY_ERROR,
	H225_LRJ_SECURITY_DH_MISMATCH,
	H225_LRJ_NO_ROUTE_TO_DESTINATION,
	H225_LRJ_UNALLOCATED_NUMBER,
};

enum h225_drj_reason_tag {
	H225_DRJ_NOT_REGISTERED,
	H225_DRJ_REQUEST_TO_DROP_OTHER,
	H225_DRJ_SECURITY_DENIAL,
	H225_DRJ_SECURITY_ERROR,
};

enum h225_inak_reason_tag {
	H225_INAK_NOT_REGISTERED,
	H225_INAK_SECURITY_DENIAL,
	H225_INAK_UNDEFINED_REASON,
	H225_INAK_SECURITY_ERROR,
};

enum h225_disengage_reason_tag {
	H225_DRQ_FORCED_DROP,
	H225_DRQ_NORMAL_DROP,
	H225_DRQ_UNDEFINED_REASON,
};

enum h225_scr_result_tag {
	H225_SCR_STARTED,
	H225_SCR_FAILED,
	H225_SCR_STOPPED,
	H225_SCR_NOT_AVAILABLE,
	H225_SCR_NEEDED_FEATURE_NOT_SUPPORTED,
};

enum h225_irr_status_tag {
	H225_IRR_COMPLETE,
	H225_IRR_INCOMPLETE,
	H225_IRR_SEGMENT,
	H225_IRR_INVALID_CALL,
};

/* ---- gatekeeper discovery ------------------------------------------------ */

struct h225_grq {
	uint16_t request_seq_num;
	struct per_oid protocol_identifier;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	struct h225_transport_address ras_address;
	struct h225_endpoint_type endpoint_type;
	bool has_gatekeeper_identifier;
	struct per_bmp gatekeeper_identifier;
	bool has_call_services;
	struct h225_qseries_options call_services;
	bool has_endpoint_alias;
	struct h225_alias_address_list endpoint_alias;
	/* ... */
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_authentication_capability;
	struct h225_authentication_mechanism_list authentication_capability;
	bool has_algorithm_oids;
	struct h225_oid_list algorithm_oids;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool supports_alt_gk;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
	bool supports_assigned_gk;
	bool has_assigned_gatekeeper;
	struct h225_alternate_gk assigned_gatekeeper;
};

struct h225_gcf {
	uint16_t request_seq_num;
	struct per_oid protocol_identifier;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	bool has_gatekeeper_identifier;
	struct per_bmp gatekeeper_identifier;
	struct h225_transport_address ras_address;
	/* ... */
	bool has_alternate_gatekeeper;
	struct h225_alternate_gk_list alternate_gatekeeper;
	bool has_authentication_mode;
	struct h235_authentication_mechanism authentication_mode;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_algorithm_oid;
	struct per_oid algorithm_oid;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
	bool has_assigned_gatekeeper;
	struct h225_alternate_gk assigned_gatekeeper;
	bool has_rehoming_model;
	struct h225_null_choice rehoming_model;
};

struct h225_grj {
	uint16_t request_seq_num;
	struct per_oid protocol_identifier;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	bool has_gatekeeper_identifier;
	struct per_bmp gatekeeper_identifier;
	struct h225_reason reject_reason;	/* enum h225_grj_reason_tag */
	/* ... */
	bool has_alt_gk_info;
	struct h225_alt_gk_info alt_gk_info;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
};

/* ---- registration -------------------------------------------------------- */

struct h225_rrq {
	uint16_t request_seq_num;
	struct per_oid protocol_identifier;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	bool discovery_complete;
	struct h225_transport_address_list call_signal_address;
	struct h225_transport_address_list ras_address;
	struct h225_endpoint_type terminal_type;
	bool has_terminal_alias;
	struct h225_alias_address_list terminal_alias;
	bool has_gatekeeper_identifier;
	struct per_bmp gatekeeper_identifier;
	struct h225_vendor_identifier endpoint_vendor;
	/* ... */
	bool has_time_to_live;
	uint32_t time_to_live;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool keep_alive;
	bool has_endpoint_identifier;
	struct per_bmp endpoint_identifier;
	bool will_supply_uuies;
	bool maintain_connection;
	bool additive_registration;
	bool supports_alt_gk;
	bool has_multiple_calls;
	bool multiple_calls;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
	bool restart;
	bool supports_acf_sequences;
	bool supports_assigned_gk;
	bool has_assigned_gatekeeper;
	struct h225_alternate_gk assigned_gatekeeper;
};

struct h225_pre_granted_arq {
	bool make_call;
	bool use_gk_call_signal_address_to_make_call;
	bool answer_call;
	bool use_gk_call_signal_address_to_answer;
	/* ... */
	bool has_irr_frequency_in_call;
	uint16_t irr_frequency_in_call;
	bool has_total_bandwidth_restriction;
	uint32_t total_bandwidth_restriction;
};

struct h225_rcf {
	uint16_t request_seq_num;
	struct per_oid protocol_identifier;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	struct h225_transport_address_list call_signal_address;
	bool has_terminal_alias;
	struct h225_alias_address_list terminal_alias;
	bool has_gatekeeper_identifier;
	struct per_bmp gatekeeper_identifier;
	struct per_bmp endpoint_identifier;
	/* ... */
	bool has_alternate_gatekeeper;
	struct h225_alternate_gk_list alternate_gatekeeper;
	bool has_time_to_live;
	uint32_t time_to_live;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool will_respond_to_irr;
	bool has_pre_granted_arq;
	struct h225_pre_granted_arq pre_granted_arq;
	bool maintain_connection;
	bool has_service_control;
	struct h225_service_control_session_list service_control;
	bool supports_additive_registration;
	bool has_supported_prefixes;
	struct h225_supported_prefix_list supported_prefixes;
	bool has_feature_server_alias;
	struct h225_alias_address feature_server_alias;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
	bool has_assigned_gatekeeper;
	struct h225_alternate_gk assigned_gatekeeper;
	bool has_rehoming_model;
	struct h225_null_choice rehoming_model;
};

struct h225_rrj {
	uint16_t request_seq_num;
	struct per_oid protocol_identifier;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	struct h225_reason reject_reason;	/* enum h225_rrj_reason_tag */
	bool has_gatekeeper_identifier;
	struct per_bmp gatekeeper_identifier;
	/* ... */
	bool has_alt_gk_info;
	struct h225_alt_gk_info alt_gk_info;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
	bool has_assigned_gatekeeper;
	struct h225_alternate_gk assigned_gatekeeper;
};

struct h225_urq {
	uint16_t request_seq_num;
	struct h225_transport_address_list call_signal_address;
	bool has_endpoint_alias;
	struct h225_alias_address_list endpoint_alias;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	bool has_endpoint_identifier;
	struct per_bmp endpoint_identifier;
	/* ... */
	bool has_gatekeeper_identifier;
	struct per_bmp gatekeeper_identifier;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_reason;
	struct h225_reason reason;		/* enum h225_urq_reason_tag */
	bool has_supported_prefixes;
	struct h225_supported_prefix_list supported_prefixes;
	bool has_alternate_gatekeeper;
	struct h225_alternate_gk_list alternate_gatekeeper;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
	bool has_assigned_gatekeeper;
	struct h225_alternate_gk assigned_gatekeeper;
};

struct h225_ucf {
	uint16_t request_seq_num;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	/* ... */
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
	bool has_assigned_gatekeeper;
	struct h225_alternate_gk assigned_gatekeeper;
};

struct h225_urj {
	uint16_t request_seq_num;
	struct h225_reason reject_reason;	/* enum h225_urj_reason_tag */
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	/* ... */
	bool has_alt_gk_info;
	struct h225_alt_gk_info alt_gk_info;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
};

/* ---- admission ----------------------------------------------------------- */

struct h225_arq {
	uint16_t request_seq_num;
	struct h225_null_choice call_type;	/* enum h225_call_type_tag */
	bool has_call_model;
	struct h225_null_choice call_model;	/* enum h225_call_model_tag */
	struct per_bmp endpoint_identifier;
	bool has_destination_info;
	struct h225_alias_address_list destination_info;
	bool has_dest_call_signal_address;
	struct h225_transport_address dest_call_signal_address;
	bool has_dest_extra_call_info;
	struct h225_alias_address_list dest_extra_call_info;
	struct h225_alias_address_list src_info;
	bool has_src_call_signal_address;
	struct h225_transport_address src_call_signal_address;
	uint32_t band_width;			/* 100s of bit/s */
	uint16_t call_reference_value;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	bool has_call_services;
	struct h225_qseries_options call_services;
	uint8_t conference_id[16];
	bool active_mc;
	bool answer_call;
	/* ... */
	bool can_map_alias;
	struct h225_call_identifier call_identifier;
	bool has_gatekeeper_identifier;
	struct per_bmp gatekeeper_identifier;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool will_supply_uuies;
	bool has_call_linkage;
	struct h225_call_linkage call_linkage;
	bool has_gateway_data_rate;
	struct h225_data_rate gateway_data_rate;
	bool has_desired_protocols;
	struct h225_supported_protocols_list desired_protocols;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
	bool can_map_src_alias;
};

struct h225_acf {
	uint16_t request_seq_num;
	uint32_t band_width;
	struct h225_null_choice call_model;
	struct h225_transport_address dest_call_signal_address;
	bool has_irr_frequency;
	uint16_t irr_frequency;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	/* ... */
	bool has_destination_info;
	struct h225_alias_address_list destination_info;
	bool has_dest_extra_call_info;
	struct h225_alias_address_list dest_extra_call_info;
	bool has_destination_type;
	struct h225_endpoint_type destination_type;
	bool has_remote_extension_address;
	struct h225_alias_address_list remote_extension_address;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool will_respond_to_irr;
	struct h225_uuies_requested uuies_requested;
	bool has_supported_protocols;
	struct h225_supported_protocols_list supported_protocols;
	bool has_service_control;
	struct h225_service_control_session_list service_control;
	bool has_multiple_calls;
	bool multiple_calls;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
	bool has_modified_src_info;
	struct h225_alias_address_list modified_src_info;
	bool has_assigned_gatekeeper;
	struct h225_alternate_gk assigned_gatekeeper;
};

struct h225_acf_list {
	const struct h225_acf *items;
	size_t n;
};

struct h225_arj {
	uint16_t request_seq_num;
	struct h225_reason reject_reason;	/* enum h225_arj_reason_tag */
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	/* ... */
	bool has_alt_gk_info;
	struct h225_alt_gk_info alt_gk_info;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_call_signal_address;
	struct h225_transport_address_list call_signal_address;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_service_control;
	struct h225_service_control_session_list service_control;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
	bool has_assigned_gatekeeper;
	struct h225_alternate_gk assigned_gatekeeper;
};

/* ---- bandwidth ----------------------------------------------------------- */

struct h225_brq {
	uint16_t request_seq_num;
	struct per_bmp endpoint_identifier;
	uint8_t conference_id[16];
	uint16_t call_reference_value;
	bool has_call_type;
	struct h225_null_choice call_type;
	uint32_t band_width;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	/* ... */
	struct h225_call_identifier call_identifier;
	bool has_gatekeeper_identifier;
	struct per_bmp gatekeeper_identifier;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool answered_call;
	bool has_call_linkage;
	struct h225_call_linkage call_linkage;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
};

struct h225_bcf {
	uint16_t request_seq_num;
	uint32_t band_width;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	/* ... */
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
};

struct h225_brj {
	uint16_t request_seq_num;
	struct h225_reason reject_reason;	/* enum h225_brj_reason_tag */
	uint32_t allowed_band_width;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	/* ... */
	bool has_alt_gk_info;
	struct h225_alt_gk_info alt_gk_info;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
};

/* ---- location ------------------------------------------------------------ */

struct h225_lrq {
	uint16_t request_seq_num;
	bool has_endpoint_identifier;
	struct per_bmp endpoint_identifier;
	struct h225_alias_address_list destination_info;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	struct h225_transport_address reply_address;
	/* ... */
	bool has_source_info;
	struct h225_alias_address_list source_info;
	bool can_map_alias;
	bool has_gatekeeper_identifier;
	struct per_bmp gatekeeper_identifier;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_desired_protocols;
	struct h225_supported_protocols_list desired_protocols;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
	bool has_hop_count;
	uint8_t hop_count;			/* 1..255 */
	bool has_call_identifier;
	struct h225_call_identifier call_identifier;
	bool has_band_width;
	uint32_t band_width;
	bool has_source_endpoint_info;
	struct h225_alias_address_list source_endpoint_info;
	bool can_map_src_alias;
};

struct h225_lcf {
	uint16_t request_seq_num;
	struct h225_transport_address call_signal_address;
	struct h225_transport_address ras_address;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	/* ... */
	bool has_destination_info;
	struct h225_alias_address_list destination_info;
	bool has_dest_extra_call_info;
	struct h225_alias_address_list dest_extra_call_info;
	bool has_destination_type;
	struct h225_endpoint_type destination_type;
	bool has_remote_extension_address;
	struct h225_alias_address_list remote_extension_address;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_supported_protocols;
	struct h225_supported_protocols_list supported_protocols;
	bool has_multiple_calls;
	bool multiple_calls;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
	bool has_service_control;
	struct h225_service_control_session_list service_control;
	bool has_modified_src_info;
	struct h225_alias_address_list modified_src_info;
	bool has_band_width;
	uint32_t band_width;
};

struct h225_lrj {
	uint16_t request_seq_num;
	struct h225_reason reject_reason;	/* enum h225_lrj_reason_tag */
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	/* ... */
	bool has_alt_gk_info;
	struct h225_alt_gk_info alt_gk_info;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
	bool has_service_control;
	struct h225_service_control_session_list service_control;
};

/* ---- disengage ----------------------------------------------------------- */

struct h225_drq {
	uint16_t request_seq_num;
	struct per_bmp endpoint_identifier;
	uint8_t conference_id[16];
	uint16_t call_reference_value;
	/* enum h225_disengage_reason_tag */
	struct h225_null_choice disengage_reason;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	/* ... */
	struct h225_call_identifier call_identifier;
	bool has_gatekeeper_identifier;
	struct per_bmp gatekeeper_identifier;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool answered_call;
	bool has_call_linkage;
	struct h225_call_linkage call_linkage;
	bool has_service_control;
	struct h225_service_control_session_list service_control;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
};

struct h225_dcf {
	uint16_t request_seq_num;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	/* ... */
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
	bool has_assigned_gatekeeper;
	struct h225_alternate_gk assigned_gatekeeper;
};

struct h225_drj {
	uint16_t request_seq_num;
	struct h225_reason reject_reason;	/* enum h225_drj_reason_tag */
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	/* ... */
	bool has_alt_gk_info;
	struct h225_alt_gk_info alt_gk_info;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
};

/* ---- information --------------------------------------------------------- */

struct h225_irq {
	uint16_t request_seq_num;
	uint16_t call_reference_value;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	bool has_reply_address;
	struct h225_transport_address reply_address;
	/* ... */
	struct h225_call_identifier call_identifier;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_uuies_requested;
	struct h225_uuies_requested uuies_requested;
	bool has_call_linkage;
	struct h225_call_linkage call_linkage;
	bool segmented_response_supported;
	bool has_next_segment_requested;
	uint16_t next_segment_requested;
	bool capacity_info_requested;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
	bool has_assigned_gatekeeper;
	struct h225_alternate_gk assigned_gatekeeper;
};

struct h225_per_call_info {
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	uint16_t call_reference_value;
	uint8_t conference_id[16];
	bool has_originator;
	bool originator;
	bool has_audio;
	struct h225_rtp_session_list audio;
	bool has_video;
	struct h225_rtp_session_list video;
	bool has_data;
	struct h225_transport_channel_info_list data;
	struct h225_transport_channel_info h245;
	struct h225_transport_channel_info call_signalling;
	struct h225_null_choice call_type;
	uint32_t band_width;
	struct h225_null_choice call_model;
	/* ... */
	struct h225_call_identifier call_identifier;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	struct h225_guid_list substitute_conf_ids;
	bool has_call_linkage;
	struct h225_call_linkage call_linkage;
};

struct h225_per_call_info_list {
	const struct h225_per_call_info *items;
	size_t n;
};

struct h225_irr_status {
	unsigned tag;
	struct per_octets unknown;
	union {
		uint16_t segment;
	} u;
};

struct h225_irr {
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	uint16_t request_seq_num;
	struct h225_endpoint_type endpoint_type;
	struct per_bmp endpoint_identifier;
	struct h225_transport_address ras_address;
	struct h225_transport_address_list call_signal_address;
	bool has_endpoint_alias;
	struct h225_alias_address_list endpoint_alias;
	bool has_per_call_info;
	struct h225_per_call_info_list per_call_info;
	/* ... */
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool need_response;
	bool has_irr_status;
	struct h225_irr_status irr_status;
	bool unsolicited;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
};

/* ---- the rest ------------------------------------------------------------ */

struct h225_nsm {			/* NonStandardMessage */
	uint16_t request_seq_num;
	struct h225_non_standard_parameter non_standard_data;
	/* ... */
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
};

struct h225_xrs {			/* UnknownMessageResponse */
	uint16_t request_seq_num;
	/* ... */
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	struct per_octets message_not_understood;
};

struct h225_rip {			/* RequestInProgress */
	uint16_t request_seq_num;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	uint16_t delay;				/* 1..65535 ms */
};

struct h225_rai {			/* ResourcesAvailableIndicate */
	uint16_t request_seq_num;
	struct per_oid protocol_identifier;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	struct per_bmp endpoint_identifier;
	struct h225_supported_protocols_list protocols;
	bool almost_out_of_resources;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	/* ... */
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
};

struct h225_rac {			/* ResourcesAvailableConfirm */
	uint16_t request_seq_num;
	struct per_oid protocol_identifier;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	/* ... */
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
};

struct h225_iack {			/* InfoRequestAck */
	uint16_t request_seq_num;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
};

struct h225_inak {			/* InfoRequestNak */
	uint16_t request_seq_num;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	struct h225_reason nak_reason;		/* enum h225_inak_reason_tag */
	bool has_alt_gk_info;
	struct h225_alt_gk_info alt_gk_info;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
};

struct h225_sci_call_specific {
	struct h225_call_identifier call_identifier;
	uint8_t conference_id[16];
	bool answered_call;
};

struct h225_sci {			/* ServiceControlIndication */
	uint16_t request_seq_num;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	struct h225_service_control_session_list service_control;
	bool has_endpoint_identifier;
	struct per_bmp endpoint_identifier;
	bool has_call_specific;
	struct h225_sci_call_specific call_specific;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
};

struct h225_scr {			/* ServiceControlResponse */
	uint16_t request_seq_num;
	bool has_result;
	struct h225_null_choice result;		/* enum h225_scr_result_tag */
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_integrity_check_value;
	struct h225_icv integrity_check_value;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
};

/* ---- RasMessage ---------------------------------------------------------- */

enum h225_ras_tag {
	H225_RAS_GRQ,		/* gatekeeperRequest */
	H225_RAS_GCF,
	H225_RAS_GRJ,
	H225_RAS_RRQ,		/* registrationRequest */
	H225_RAS_RCF,
	H225_RAS_RRJ,
	H225_RAS_URQ,		/* unregistrationRequest */
	H225_RAS_UCF,
	H225_RAS_URJ,
	H225_RAS_ARQ,		/* admissionRequest */
	H225_RAS_ACF,
	H225_RAS_ARJ,
	H225_RAS_BRQ,		/* bandwidthRequest */
	H225_RAS_BCF,
	H225_RAS_BRJ,
	H225_RAS_DRQ,		/* disengageRequest */
	H225_RAS_DCF,
	H225_RAS_DRJ,
	H225_RAS_LRQ,		/* locationRequest */
	H225_RAS_LCF,
	H225_RAS_LRJ,
	H225_RAS_IRQ,		/* infoRequest */
	H225_RAS_IRR,
	H225_RAS_NSM,		/* nonStandardMessage */
	H225_RAS_XRS,		/* unknownMessageResponse */
	/* extension additions */
	H225_RAS_RIP,		/* requestInProgress */
	H225_RAS_RAI,		/* resourcesAvailableIndicate */
	H225_RAS_RAC,
	H225_RAS_IACK,		/* infoRequestAck */
	H225_RAS_INAK,
	H225_RAS_SCI,		/* serviceControlIndication */
	H225_RAS_SCR,
	H225_RAS_ACF_SEQUENCE,	/* admissionConfirmSequence */
	H225_RAS_TAG_COUNT,
};

struct h225_ras_msg {
	unsigned tag;			/* enum h225_ras_tag */
	struct per_octets unknown;	/* tag >= H225_RAS_TAG_COUNT */
	union {
		struct h225_grq grq;
		struct h225_gcf gcf;
		struct h225_grj grj;
		struct h225_rrq rrq;
		struct h225_rcf rcf;
		struct h225_rrj rrj;
		struct h225_urq urq;
		struct h225_ucf ucf;
		struct h225_urj urj;
		struct h225_arq arq;
		struct h225_acf acf;
		struct h225_arj arj;
		struct h225_brq brq;
		struct h225_bcf bcf;
		struct h225_brj brj;
		struct h225_drq drq;
		struct h225_dcf dcf;
		struct h225_drj drj;
		struct h225_lrq lrq;
		struct h225_lcf lcf;
		struct h225_lrj lrj;
		struct h225_irq irq;
		struct h225_irr irr;
		struct h225_nsm nsm;
		struct h225_xrs xrs;
		struct h225_rip rip;
		struct h225_rai rai;
		struct h225_rac rac;
		struct h225_iack iack;
		struct h225_inak inak;
		struct h225_sci sci;
		struct h225_scr scr;
		struct h225_acf_list acf_sequence;
	} u;
};

extern const struct per_type h225_t_ras_message;

/* protocolIdentifier values: H.225.0 version 4 (what Sluice sends) and
 * the latest (7). */
extern const struct per_oid h225_protocol_v4;
extern const struct per_oid h225_protocol_v7;

/* Encodes m into buf[0..cap). Returns 0 and sets *len, or -1 with *err
 * (err may be NULL). */
int h225_ras_encode(const struct h225_ras_msg *m, uint8_t *buf, size_t cap,
		    size_t *len, struct per_error *err);

/* Decodes one RAS datagram. Returns 0, or -1 with *err filled: a message
 * type this build does not know (a RasMessage extension from a later
 * H.225.0) fails with PER_E_UNKNOWN_CHOICE and names its index. */
int h225_ras_decode(const uint8_t *buf, size_t len, struct h225_ras_msg *m,
		    struct per_arena *arena, struct per_error *err);

/* "registrationRequest" (the ASN.1 name, as Wireshark shows it) and "RRQ";
 * "unknown" for tags outside the enum. */
const char *h225_ras_tag_name(unsigned tag);
const char *h225_ras_tag_abbrev(unsigned tag);

/* requestSeqNum of any message (of the first ACF of a sequence); 0 if the
 * tag is unknown or the sequence empty. */
uint16_t h225_ras_seq_num(const struct h225_ras_msg *m);

#endif /* SL_H225_RAS_H */
