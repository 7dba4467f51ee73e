/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h225_ras.c — the RasMessage CHOICE and every RAS message as PER
 * descriptors, plus the small API around them (h225_ras.h).
 *
 * The tables follow H.225.0 (12/2009) H323-MESSAGES component by
 * component. Additions not modelled are PER_SKIP entries: they keep the
 * positions of the later additions right, are skipped by length when a
 * peer sends them, and are never sent.
 */
#include <stddef.h>
#include <stdio.h>

#include "h225_ras.h"

const struct per_oid h225_protocol_v4 = { .arc = { 0, 0, 8, 2250, 0, 4 },
					  .n = 6 };
const struct per_oid h225_protocol_v7 = { .arc = { 0, 0, 8, 2250, 0, 7 },
					  .n = 6 };

PER_LIST_LAYOUT(struct h225_acf_list);
PER_LIST_LAYOUT(struct h225_per_call_info_list);

/* Components most messages share, one macro each so tables stay short. */
#define NSD(st) PER_O(st, non_standard_data, h225_t_non_standard_parameter)
#define TOKENS(st) PER_O(st, tokens, h225_t_clear_token_list)
#define CRYPTO(st) PER_O(st, crypto_tokens, h225_t_crypto_h323_token_list)
#define ICV(st) PER_O(st, integrity_check_value, h225_t_icv)
#define FEATURES(st) PER_O(st, feature_set, h225_t_feature_set)
#define GENERIC(st) PER_O(st, generic_data, h225_t_generic_data_list)
#define ALT_GK_INFO(st) PER_O(st, alt_gk_info, h225_t_alt_gk_info)
#define ASSIGNED_GK(st) PER_O(st, assigned_gatekeeper, h225_t_alternate_gk)
#define GK_ID(st) PER_O(st, gatekeeper_identifier, h225_t_identifier)
#define SEC_ERR(name) \
	PER_ALT_NAMED(name, struct h225_reason, security_error, \
		      h225_t_security_errors)
#define SEC_ERR2(name) \
	PER_ALT_NAMED(name, struct h225_reason, security_error, \
		      h225_t_security_errors2)

/* ---- reasons ------------------------------------------------------------- */

static const struct per_field grj_reason_alts[] = {
	PER_ALT_NULL("resourceUnavailable"),
	PER_ALT_NULL("terminalExcluded"),
	PER_ALT_NULL("invalidRevision"),
	PER_ALT_NULL("undefinedReason"),
	PER_ELLIPSIS,
	PER_ALT_NULL("securityDenial"),
	PER_ALT_NULL("genericDataReason"),
	PER_ALT_NULL("neededFeatureNotSupported"),
	SEC_ERR("securityError"),
};
static PER_CHOICE(t_grj_reason, struct h225_reason, grj_reason_alts);

static const struct per_field rrj_reason_alts[] = {
	PER_ALT_NULL("discoveryRequired"),
	PER_ALT_NULL("invalidRevision"),
	PER_ALT_NULL("invalidCallSignalAddress"),
	PER_ALT_NULL("invalidRASAddress"),
	PER_ALT(struct h225_reason, duplicate_alias, h225_t_alias_address_list),
	PER_ALT_NULL("invalidTerminalType"),
	PER_ALT_NULL("undefinedReason"),
	PER_ALT_NULL("transportNotSupported"),
	PER_ELLIPSIS,
	PER_ALT_NULL("transportQOSNotSupported"),
	PER_ALT_NULL("resourceUnavailable"),
	PER_ALT_NULL("invalidAlias"),
	PER_ALT_NULL("securityDenial"),
	PER_ALT_NULL("fullRegistrationRequired"),
	PER_ALT_NULL("additiveRegistrationNotSupported"),
	PER_ALT(struct h225_reason, invalid_terminal_aliases, per_t_open),
	PER_ALT_NULL("genericDataReason"),
	PER_ALT_NULL("neededFeatureNotSupported"),
	SEC_ERR("securityError"),
	PER_ALT_NULL("registerWithAssignedGK"),
};
static PER_CHOICE(t_rrj_reason, struct h225_reason, rrj_reason_alts);

static const struct per_field urq_reason_alts[] = {
	PER_ALT_NULL("reregistrationRequired"),
	PER_ALT_NULL("ttlExpired"),
	PER_ALT_NULL("securityDenial"),
	PER_ALT_NULL("undefinedReason"),
	PER_ELLIPSIS,
	PER_ALT_NULL("maintenance"),
	SEC_ERR2("securityError"),
	PER_ALT_NULL("registerWithAssignedGK"),
};
static PER_CHOICE(t_urq_reason, struct h225_reason, urq_reason_alts);

static const struct per_field urj_reason_alts[] = {
	PER_ALT_NULL("notCurrentlyRegistered"),
	PER_ALT_NULL("callInProgress"),
	PER_ALT_NULL("undefinedReason"),
	PER_ELLIPSIS,
	PER_ALT_NULL("permissionDenied"),
	PER_ALT_NULL("securityDenial"),
	SEC_ERR2("securityError"),
};
static PER_CHOICE(t_urj_reason, struct h225_reason, urj_reason_alts);

static const struct per_field arj_reason_alts[] = {
	PER_ALT_NULL("calledPartyNotRegistered"),
	PER_ALT_NULL("invalidPermission"),
	PER_ALT_NULL("requestDenied"),
	PER_ALT_NULL("undefinedReason"),
	PER_ALT_NULL("callerNotRegistered"),
	PER_ALT_NULL("routeCallToGatekeeper"),
	PER_ALT_NULL("invalidEndpointIdentifier"),
	PER_ALT_NULL("resourceUnavailable"),
	PER_ELLIPSIS,
	PER_ALT_NULL("securityDenial"),
	PER_ALT_NULL("qosControlNotSupported"),
	PER_ALT_NULL("incompleteAddress"),
	PER_ALT_NULL("aliasesInconsistent"),
	PER_ALT(struct h225_reason, route_call_to_scn,
		h225_t_party_number_list),
	PER_ALT_NULL("exceedsCallCapacity"),
	PER_ALT_NULL("collectDestination"),
	PER_ALT_NULL("collectPIN"),
	PER_ALT_NULL("genericDataReason"),
	PER_ALT_NULL("neededFeatureNotSupported"),
	SEC_ERR2("securityError"),
	PER_ALT_NULL("securityDHmismatch"),
	PER_ALT_NULL("noRouteToDestination"),
	PER_ALT_NULL("unallocatedNumber"),
	PER_ALT_NULL("registerWithAssignedGK"),
};
static PER_CHOICE(t_arj_reason, struct h225_reason, arj_reason_alts);

static const struct per_field brj_reason_alts[] = {
	PER_ALT_NULL("notBound"),
	PER_ALT_NULL("invalidConferenceID"),
	PER_ALT_NULL("invalidPermission"),
	PER_ALT_NULL("insufficientResources"),
	PER_ALT_NULL("invalidRevision"),
	PER_ALT_NULL("undefinedReason"),
	PER_ELLIPSIS,
	PER_ALT_NULL("securityDenial"),
	SEC_ERR2("securityError"),
};
static PER_CHOICE(t_brj_reason, struct h225_reason, brj_reason_alts);

static const struct per_field lrj_reason_alts[] = {
	PER_ALT_NULL("notRegistered"),
	PER_ALT_NULL("invalidPermission"),
	PER_ALT_NULL("requestDenied"),
	PER_ALT_NULL("undefinedReason"),
	PER_ELLIPSIS,
	PER_ALT_NULL("securityDenial"),
	PER_ALT_NULL("aliasesInconsistent"),
	PER_ALT(struct h225_reason, route_call_to_scn,
		h225_t_party_number_list),
	PER_ALT_NULL("resourceUnavailable"),
	PER_ALT_NULL("genericDataReason"),
	PER_ALT_NULL("neededFeatureNotSupported"),
	PER_ALT_NULL("hopCountExceeded"),
	PER_ALT_NULL("incompleteAddress"),
	SEC_ERR2("securityError"),
	PER_ALT_NULL("securityDHmismatch"),
	PER_ALT_NULL("noRouteToDestination"),
	PER_ALT_NULL("unallocatedNumber"),
};
static PER_CHOICE(t_lrj_reason, struct h225_reason, lrj_reason_alts);

static const struct per_field drj_reason_alts[] = {
	PER_ALT_NULL("notRegistered"),
	PER_ALT_NULL("requestToDropOther"),
	PER_ELLIPSIS,
	PER_ALT_NULL("securityDenial"),
	SEC_ERR2("securityError"),
};
static PER_CHOICE(t_drj_reason, struct h225_reason, drj_reason_alts);

static const struct per_field inak_reason_alts[] = {
	PER_ALT_NULL("notRegistered"),
	PER_ALT_NULL("securityDenial"),
	PER_ALT_NULL("undefinedReason"),
	PER_ELLIPSIS,
	SEC_ERR2("securityError"),
};
static PER_CHOICE(t_inak_reason, struct h225_reason, inak_reason_alts);

static const struct per_field disengage_reason_alts[] = {
	PER_ALT_NULL("forcedDrop"),
	PER_ALT_NULL("normalDrop"),
	PER_ALT_NULL("undefinedReason"),
	PER_ELLIPSIS,
};
static PER_CHOICE(t_disengage_reason, struct h225_null_choice,
		  disengage_reason_alts);

static const struct per_field scr_result_alts[] = {
	PER_ALT_NULL("started"),
	PER_ALT_NULL("failed"),
	PER_ALT_NULL("stopped"),
	PER_ALT_NULL("notAvailable"),
	PER_ALT_NULL("neededFeatureNotSupported"),
	PER_ELLIPSIS,
};
static PER_CHOICE(t_scr_result, struct h225_null_choice, scr_result_alts);

static const struct per_field irr_status_alts[] = {
	PER_ALT_NULL("complete"),
	PER_ALT_NULL("incomplete"),
	PER_ALT(struct h225_irr_status, segment, h225_t_u16),
	PER_ALT_NULL("invalidCall"),
	PER_ELLIPSIS,
};
static PER_CHOICE(t_irr_status, struct h225_irr_status, irr_status_alts);

/* ---- gatekeeper discovery ------------------------------------------------ */

#define ST struct h225_grq
static const struct per_field grq_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, protocol_identifier, per_t_oid),
	NSD(ST),
	PER_F(ST, ras_address, h225_t_transport_address),
	PER_F(ST, endpoint_type, h225_t_endpoint_type),
	GK_ID(ST),
	PER_O(ST, call_services, h225_t_qseries_options),
	PER_O(ST, endpoint_alias, h225_t_alias_address_list),
	PER_ELLIPSIS,
	PER_SKIP("alternateEndpoints"),
	TOKENS(ST),
	CRYPTO(ST),
	PER_O(ST, authentication_capability,
	      h225_t_authentication_mechanism_list),
	PER_O(ST, algorithm_oids, h225_t_oid_list),
	PER_SKIP("integrity"),
	ICV(ST),
	PER_NULL_O(ST, supports_alt_gk),
	FEATURES(ST),
	GENERIC(ST),
	PER_F(ST, supports_assigned_gk, per_t_boolean),
	ASSIGNED_GK(ST),
};
#undef ST
static PER_SEQUENCE(t_grq, struct h225_grq, grq_fields);

#define ST struct h225_gcf
static const struct per_field gcf_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, protocol_identifier, per_t_oid),
	NSD(ST),
	GK_ID(ST),
	PER_F(ST, ras_address, h225_t_transport_address),
	PER_ELLIPSIS,
	PER_O(ST, alternate_gatekeeper, h225_t_alternate_gk_list),
	PER_O(ST, authentication_mode, h235_t_authentication_mechanism),
	TOKENS(ST),
	CRYPTO(ST),
	PER_O(ST, algorithm_oid, per_t_oid),
	PER_SKIP("integrity"),
	ICV(ST),
	FEATURES(ST),
	GENERIC(ST),
	ASSIGNED_GK(ST),
	PER_O(ST, rehoming_model, h225_t_rehoming_model),
};
#undef ST
static PER_SEQUENCE(t_gcf, struct h225_gcf, gcf_fields);

#define ST struct h225_grj
static const struct per_field grj_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, protocol_identifier, per_t_oid),
	NSD(ST),
	GK_ID(ST),
	PER_F(ST, reject_reason, t_grj_reason),
	PER_ELLIPSIS,
	ALT_GK_INFO(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	FEATURES(ST),
	GENERIC(ST),
};
#undef ST
static PER_SEQUENCE(t_grj, struct h225_grj, grj_fields);

/* ---- registration -------------------------------------------------------- */

#define ST struct h225_rrq
static const struct per_field rrq_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, protocol_identifier, per_t_oid),
	NSD(ST),
	PER_F(ST, discovery_complete, per_t_boolean),
	PER_F(ST, call_signal_address, h225_t_transport_address_list),
	PER_F(ST, ras_address, h225_t_transport_address_list),
	PER_F(ST, terminal_type, h225_t_endpoint_type),
	PER_O(ST, terminal_alias, h225_t_alias_address_list),
	GK_ID(ST),
	PER_F(ST, endpoint_vendor, h225_t_vendor_identifier),
	PER_ELLIPSIS,
	PER_SKIP("alternateEndpoints"),
	PER_O(ST, time_to_live, h225_t_time_to_live),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_F(ST, keep_alive, per_t_boolean),
	PER_O(ST, endpoint_identifier, h225_t_identifier),
	PER_F(ST, will_supply_uuies, per_t_boolean),
	PER_F(ST, maintain_connection, per_t_boolean),
	PER_SKIP("alternateTransportAddresses"),
	PER_NULL_O(ST, additive_registration),
	PER_SKIP("terminalAliasPattern"),
	PER_NULL_O(ST, supports_alt_gk),
	PER_SKIP("usageReportingCapability"),
	PER_O(ST, multiple_calls, per_t_boolean),
	PER_SKIP("supportedH248Packages"),
	PER_SKIP("callCreditCapability"),
	PER_SKIP("capacityReportingCapability"),
	PER_SKIP("capacity"),
	FEATURES(ST),
	GENERIC(ST),
	PER_NULL_O(ST, restart),
	PER_NULL_O(ST, supports_acf_sequences),
	PER_F(ST, supports_assigned_gk, per_t_boolean),
	ASSIGNED_GK(ST),
	PER_SKIP("transportQOS"),
	PER_SKIP("language"),
};
#undef ST
static PER_SEQUENCE(t_rrq, struct h225_rrq, rrq_fields);

#define ST struct h225_pre_granted_arq
static const struct per_field pre_granted_arq_fields[] = {
	PER_F(ST, make_call, per_t_boolean),
	PER_F(ST, use_gk_call_signal_address_to_make_call, per_t_boolean),
	PER_F(ST, answer_call, per_t_boolean),
	PER_F(ST, use_gk_call_signal_address_to_answer, per_t_boolean),
	PER_ELLIPSIS,
	PER_O(ST, irr_frequency_in_call, h225_t_seq_num),
	PER_O(ST, total_bandwidth_restriction, h225_t_u32),
	PER_SKIP("alternateTransportAddresses"),
	PER_SKIP("useSpecifiedTransport"),
};
#undef ST
static PER_SEQUENCE(t_pre_granted_arq, struct h225_pre_granted_arq,
		    pre_granted_arq_fields);

#define ST struct h225_rcf
static const struct per_field rcf_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, protocol_identifier, per_t_oid),
	NSD(ST),
	PER_F(ST, call_signal_address, h225_t_transport_address_list),
	PER_O(ST, terminal_alias, h225_t_alias_address_list),
	GK_ID(ST),
	PER_F(ST, endpoint_identifier, h225_t_identifier),
	PER_ELLIPSIS,
	PER_O(ST, alternate_gatekeeper, h225_t_alternate_gk_list),
	PER_O(ST, time_to_live, h225_t_time_to_live),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_F(ST, will_respond_to_irr, per_t_boolean),
	PER_O(ST, pre_granted_arq, t_pre_granted_arq),
	PER_F(ST, maintain_connection, per_t_boolean),
	PER_O(ST, service_control, h225_t_service_control_session_list),
	PER_NULL_O(ST, supports_additive_registration),
	PER_SKIP("terminalAliasPattern"),
	PER_O(ST, supported_prefixes, h225_t_supported_prefix_list),
	PER_SKIP("usageSpec"),
	PER_O(ST, feature_server_alias, h225_t_alias_address),
	PER_SKIP("capacityReportingSpec"),
	FEATURES(ST),
	GENERIC(ST),
	ASSIGNED_GK(ST),
	PER_O(ST, rehoming_model, h225_t_rehoming_model),
	PER_SKIP("transportQOS"),
};
#undef ST
static PER_SEQUENCE(t_rcf, struct h225_rcf, rcf_fields);

#define ST struct h225_rrj
static const struct per_field rrj_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, protocol_identifier, per_t_oid),
	NSD(ST),
	PER_F(ST, reject_reason, t_rrj_reason),
	GK_ID(ST),
	PER_ELLIPSIS,
	ALT_GK_INFO(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	FEATURES(ST),
	GENERIC(ST),
	ASSIGNED_GK(ST),
};
#undef ST
static PER_SEQUENCE(t_rrj, struct h225_rrj, rrj_fields);

#define ST struct h225_urq
static const struct per_field urq_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, call_signal_address, h225_t_transport_address_list),
	PER_O(ST, endpoint_alias, h225_t_alias_address_list),
	NSD(ST),
	PER_O(ST, endpoint_identifier, h225_t_identifier),
	PER_ELLIPSIS,
	PER_SKIP("alternateEndpoints"),
	GK_ID(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_O(ST, reason, t_urq_reason),
	PER_SKIP("endpointAliasPattern"),
	PER_O(ST, supported_prefixes, h225_t_supported_prefix_list),
	PER_O(ST, alternate_gatekeeper, h225_t_alternate_gk_list),
	GENERIC(ST),
	ASSIGNED_GK(ST),
};
#undef ST
static PER_SEQUENCE(t_urq, struct h225_urq, urq_fields);

#define ST struct h225_ucf
static const struct per_field ucf_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	NSD(ST),
	PER_ELLIPSIS,
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	GENERIC(ST),
	ASSIGNED_GK(ST),
};
#undef ST
static PER_SEQUENCE(t_ucf, struct h225_ucf, ucf_fields);

#define ST struct h225_urj
static const struct per_field urj_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, reject_reason, t_urj_reason),
	NSD(ST),
	PER_ELLIPSIS,
	ALT_GK_INFO(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	GENERIC(ST),
};
#undef ST
static PER_SEQUENCE(t_urj, struct h225_urj, urj_fields);

/* ---- admission ----------------------------------------------------------- */

#define ST struct h225_arq
static const struct per_field arq_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, call_type, h225_t_call_type),
	PER_O(ST, call_model, h225_t_call_model),
	PER_F(ST, endpoint_identifier, h225_t_identifier),
	PER_O(ST, destination_info, h225_t_alias_address_list),
	PER_O(ST, dest_call_signal_address, h225_t_transport_address),
	PER_O(ST, dest_extra_call_info, h225_t_alias_address_list),
	PER_F(ST, src_info, h225_t_alias_address_list),
	PER_O(ST, src_call_signal_address, h225_t_transport_address),
	PER_F(ST, band_width, h225_t_u32),
	PER_F(ST, call_reference_value, h225_t_u16),
	NSD(ST),
	PER_O(ST, call_services, h225_t_qseries_options),
	PER_F(ST, conference_id, h225_t_guid),
	PER_F(ST, active_mc, per_t_boolean),
	PER_F(ST, answer_call, per_t_boolean),
	PER_ELLIPSIS,
	PER_F(ST, can_map_alias, per_t_boolean),
	PER_F(ST, call_identifier, h225_t_call_identifier),
	PER_SKIP("srcAlternatives"),
	PER_SKIP("destAlternatives"),
	GK_ID(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_SKIP("transportQOS"),
	PER_F(ST, will_supply_uuies, per_t_boolean),
	PER_O(ST, call_linkage, h225_t_call_linkage),
	PER_O(ST, gateway_data_rate, h225_t_data_rate),
	PER_SKIP("capacity"),
	PER_SKIP("circuitInfo"),
	PER_O(ST, desired_protocols, h225_t_supported_protocols_list),
	PER_SKIP("desiredTunnelledProtocol"),
	FEATURES(ST),
	GENERIC(ST),
	PER_F(ST, can_map_src_alias, per_t_boolean),
};
#undef ST
static PER_SEQUENCE(t_arq, struct h225_arq, arq_fields);

#define ST struct h225_acf
static const struct per_field acf_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, band_width, h225_t_u32),
	PER_F(ST, call_model, h225_t_call_model),
	PER_F(ST, dest_call_signal_address, h225_t_transport_address),
	PER_O(ST, irr_frequency, h225_t_seq_num),
	NSD(ST),
	PER_ELLIPSIS,
	PER_O(ST, destination_info, h225_t_alias_address_list),
	PER_O(ST, dest_extra_call_info, h225_t_alias_address_list),
	PER_O(ST, destination_type, h225_t_endpoint_type),
	PER_O(ST, remote_extension_address, h225_t_alias_address_list),
	PER_SKIP("alternateEndpoints"),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_SKIP("transportQOS"),
	PER_F(ST, will_respond_to_irr, per_t_boolean),
	PER_F(ST, uuies_requested, h225_t_uuies_requested),
	PER_SKIP("language"),
	PER_SKIP("alternateTransportAddresses"),
	PER_SKIP("useSpecifiedTransport"),
	PER_SKIP("circuitInfo"),
	PER_SKIP("usageSpec"),
	PER_O(ST, supported_protocols, h225_t_supported_protocols_list),
	PER_O(ST, service_control, h225_t_service_control_session_list),
	PER_O(ST, multiple_calls, per_t_boolean),
	FEATURES(ST),
	GENERIC(ST),
	PER_O(ST, modified_src_info, h225_t_alias_address_list),
	ASSIGNED_GK(ST),
};
#undef ST
static PER_SEQUENCE(t_acf, struct h225_acf, acf_fields);

static PER_SEQUENCE_OF(t_acf_list, t_acf, 0, PER_NO_UB);

#define ST struct h225_arj
static const struct per_field arj_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, reject_reason, t_arj_reason),
	NSD(ST),
	PER_ELLIPSIS,
	ALT_GK_INFO(ST),
	TOKENS(ST),
	CRYPTO(ST),
	PER_O(ST, call_signal_address, h225_t_transport_address_list),
	ICV(ST),
	PER_O(ST, service_control, h225_t_service_control_session_list),
	FEATURES(ST),
	GENERIC(ST),
	ASSIGNED_GK(ST),
};
#undef ST
static PER_SEQUENCE(t_arj, struct h225_arj, arj_fields);

/* ---- bandwidth ----------------------------------------------------------- */

#define ST struct h225_brq
static const struct per_field brq_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, endpoint_identifier, h225_t_identifier),
	PER_F(ST, conference_id, h225_t_guid),
	PER_F(ST, call_reference_value, h225_t_u16),
	PER_O(ST, call_type, h225_t_call_type),
	PER_F(ST, band_width, h225_t_u32),
	NSD(ST),
	PER_ELLIPSIS,
	PER_F(ST, call_identifier, h225_t_call_identifier),
	GK_ID(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_F(ST, answered_call, per_t_boolean),
	PER_O(ST, call_linkage, h225_t_call_linkage),
	PER_SKIP("capacity"),
	PER_SKIP("usageInformation"),
	PER_SKIP("bandwidthDetails"),
	GENERIC(ST),
	PER_SKIP("transportQOS"),
};
#undef ST
static PER_SEQUENCE(t_brq, struct h225_brq, brq_fields);

#define ST struct h225_bcf
static const struct per_field bcf_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, band_width, h225_t_u32),
	NSD(ST),
	PER_ELLIPSIS,
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_SKIP("capacity"),
	GENERIC(ST),
	PER_SKIP("transportQOS"),
};
#undef ST
static PER_SEQUENCE(t_bcf, struct h225_bcf, bcf_fields);

#define ST struct h225_brj
static const struct per_field brj_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, reject_reason, t_brj_reason),
	PER_F(ST, allowed_band_width, h225_t_u32),
	NSD(ST),
	PER_ELLIPSIS,
	ALT_GK_INFO(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	GENERIC(ST),
};
#undef ST
static PER_SEQUENCE(t_brj, struct h225_brj, brj_fields);

/* ---- disengage ----------------------------------------------------------- */

#define ST struct h225_drq
static const struct per_field drq_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, endpoint_identifier, h225_t_identifier),
	PER_F(ST, conference_id, h225_t_guid),
	PER_F(ST, call_reference_value, h225_t_u16),
	PER_F(ST, disengage_reason, t_disengage_reason),
	NSD(ST),
	PER_ELLIPSIS,
	PER_F(ST, call_identifier, h225_t_call_identifier),
	GK_ID(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_F(ST, answered_call, per_t_boolean),
	PER_O(ST, call_linkage, h225_t_call_linkage),
	PER_SKIP("capacity"),
	PER_SKIP("circuitInfo"),
	PER_SKIP("usageInformation"),
	PER_SKIP("terminationCause"),
	PER_O(ST, service_control, h225_t_service_control_session_list),
	GENERIC(ST),
};
#undef ST
static PER_SEQUENCE(t_drq, struct h225_drq, drq_fields);

#define ST struct h225_dcf
static const struct per_field dcf_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	NSD(ST),
	PER_ELLIPSIS,
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_SKIP("capacity"),
	PER_SKIP("circuitInfo"),
	PER_SKIP("usageInformation"),
	GENERIC(ST),
	ASSIGNED_GK(ST),
};
#undef ST
static PER_SEQUENCE(t_dcf, struct h225_dcf, dcf_fields);

#define ST struct h225_drj
static const struct per_field drj_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, reject_reason, t_drj_reason),
	NSD(ST),
	PER_ELLIPSIS,
	ALT_GK_INFO(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	GENERIC(ST),
};
#undef ST
static PER_SEQUENCE(t_drj, struct h225_drj, drj_fields);

/* ---- location ------------------------------------------------------------ */

#define ST struct h225_lrq
static const struct per_field lrq_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_O(ST, endpoint_identifier, h225_t_identifier),
	PER_F(ST, destination_info, h225_t_alias_address_list),
	NSD(ST),
	PER_F(ST, reply_address, h225_t_transport_address),
	PER_ELLIPSIS,
	PER_O(ST, source_info, h225_t_alias_address_list),
	PER_F(ST, can_map_alias, per_t_boolean),
	GK_ID(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_O(ST, desired_protocols, h225_t_supported_protocols_list),
	PER_SKIP("desiredTunnelledProtocol"),
	FEATURES(ST),
	GENERIC(ST),
	PER_O(ST, hop_count, h225_t_u8_1_255),
	PER_SKIP("circuitInfo"),
	PER_O(ST, call_identifier, h225_t_call_identifier),
	PER_O(ST, band_width, h225_t_u32),
	PER_O(ST, source_endpoint_info, h225_t_alias_address_list),
	PER_F(ST, can_map_src_alias, per_t_boolean),
	PER_SKIP("language"),
};
#undef ST
static PER_SEQUENCE(t_lrq, struct h225_lrq, lrq_fields);

#define ST struct h225_lcf
static const struct per_field lcf_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, call_signal_address, h225_t_transport_address),
	PER_F(ST, ras_address, h225_t_transport_address),
	NSD(ST),
	PER_ELLIPSIS,
	PER_O(ST, destination_info, h225_t_alias_address_list),
	PER_O(ST, dest_extra_call_info, h225_t_alias_address_list),
	PER_O(ST, destination_type, h225_t_endpoint_type),
	PER_O(ST, remote_extension_address, h225_t_alias_address_list),
	PER_SKIP("alternateEndpoints"),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_SKIP("alternateTransportAddresses"),
	PER_O(ST, supported_protocols, h225_t_supported_protocols_list),
	PER_O(ST, multiple_calls, per_t_boolean),
	FEATURES(ST),
	GENERIC(ST),
	PER_SKIP("circuitInfo"),
	PER_O(ST, service_control, h225_t_service_control_session_list),
	PER_O(ST, modified_src_info, h225_t_alias_address_list),
	PER_O(ST, band_width, h225_t_u32),
};
#undef ST
static PER_SEQUENCE(t_lcf, struct h225_lcf, lcf_fields);

#define ST struct h225_lrj
static const struct per_field lrj_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, reject_reason, t_lrj_reason),
	NSD(ST),
	PER_ELLIPSIS,
	ALT_GK_INFO(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	FEATURES(ST),
	GENERIC(ST),
	PER_O(ST, service_control, h225_t_service_control_session_list),
};
#undef ST
static PER_SEQUENCE(t_lrj, struct h225_lrj, lrj_fields);

/* ---- information --------------------------------------------------------- */

#define ST struct h225_irq
static const struct per_field irq_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, call_reference_value, h225_t_u16),
	NSD(ST),
	PER_O(ST, reply_address, h225_t_transport_address),
	PER_ELLIPSIS,
	PER_F(ST, call_identifier, h225_t_call_identifier),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_O(ST, uuies_requested, h225_t_uuies_requested),
	PER_O(ST, call_linkage, h225_t_call_linkage),
	PER_SKIP("usageInfoRequested"),
	PER_NULL_O(ST, segmented_response_supported),
	PER_O(ST, next_segment_requested, h225_t_u16),
	PER_NULL_O(ST, capacity_info_requested),
	GENERIC(ST),
	ASSIGNED_GK(ST),
};
#undef ST
static PER_SEQUENCE(t_irq, struct h225_irq, irq_fields);

#define ST struct h225_per_call_info
static const struct per_field per_call_info_fields[] = {
	NSD(ST),
	PER_F(ST, call_reference_value, h225_t_u16),
	PER_F(ST, conference_id, h225_t_guid),
	PER_O(ST, originator, per_t_boolean),
	PER_O(ST, audio, h225_t_rtp_session_list),
	PER_O(ST, video, h225_t_rtp_session_list),
	PER_O(ST, data, h225_t_transport_channel_info_list),
	PER_F(ST, h245, h225_t_transport_channel_info),
	PER_F(ST, call_signalling, h225_t_transport_channel_info),
	PER_F(ST, call_type, h225_t_call_type),
	PER_F(ST, band_width, h225_t_u32),
	PER_F(ST, call_model, h225_t_call_model),
	PER_ELLIPSIS,
	PER_F(ST, call_identifier, h225_t_call_identifier),
	TOKENS(ST),
	CRYPTO(ST),
	PER_F(ST, substitute_conf_ids, h225_t_guid_list),
	PER_SKIP("pdu"),
	PER_O(ST, call_linkage, h225_t_call_linkage),
	PER_SKIP("usageInformation"),
	PER_SKIP("circuitInfo"),
};
#undef ST
static PER_SEQUENCE(t_per_call_info, struct h225_per_call_info,
		    per_call_info_fields);

static PER_SEQUENCE_OF(t_per_call_info_list, t_per_call_info, 0, PER_NO_UB);

#define ST struct h225_irr
static const struct per_field irr_fields[] = {
	NSD(ST),
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, endpoint_type, h225_t_endpoint_type),
	PER_F(ST, endpoint_identifier, h225_t_identifier),
	PER_F(ST, ras_address, h225_t_transport_address),
	PER_F(ST, call_signal_address, h225_t_transport_address_list),
	PER_O(ST, endpoint_alias, h225_t_alias_address_list),
	PER_O(ST, per_call_info, t_per_call_info_list),
	PER_ELLIPSIS,
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_F(ST, need_response, per_t_boolean),
	PER_SKIP("capacity"),
	PER_O(ST, irr_status, t_irr_status),
	PER_F(ST, unsolicited, per_t_boolean),
	GENERIC(ST),
};
#undef ST
static PER_SEQUENCE(t_irr, struct h225_irr, irr_fields);

/* ---- the rest ------------------------------------------------------------ */

#define ST struct h225_nsm
static const struct per_field nsm_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, non_standard_data, h225_t_non_standard_parameter),
	PER_ELLIPSIS,
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	FEATURES(ST),
	GENERIC(ST),
};
#undef ST
static PER_SEQUENCE(t_nsm, struct h225_nsm, nsm_fields);

#define ST struct h225_xrs
static const struct per_field xrs_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_ELLIPSIS,
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_F(ST, message_not_understood, per_t_octets),
};
#undef ST
static PER_SEQUENCE(t_xrs, struct h225_xrs, xrs_fields);

#define ST struct h225_rip
static const struct per_field rip_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	NSD(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_F(ST, delay, h225_t_seq_num),
	PER_ELLIPSIS,
};
#undef ST
static PER_SEQUENCE(t_rip, struct h225_rip, rip_fields);

#define ST struct h225_rai
static const struct per_field rai_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, protocol_identifier, per_t_oid),
	NSD(ST),
	PER_F(ST, endpoint_identifier, h225_t_identifier),
	PER_F(ST, protocols, h225_t_supported_protocols_list),
	PER_F(ST, almost_out_of_resources, per_t_boolean),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_ELLIPSIS,
	PER_SKIP("capacity"),
	GENERIC(ST),
};
#undef ST
static PER_SEQUENCE(t_rai, struct h225_rai, rai_fields);

#define ST struct h225_rac
static const struct per_field rac_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_F(ST, protocol_identifier, per_t_oid),
	NSD(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_ELLIPSIS,
	GENERIC(ST),
};
#undef ST
static PER_SEQUENCE(t_rac, struct h225_rac, rac_fields);

#define ST struct h225_iack
static const struct per_field iack_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	NSD(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_ELLIPSIS,
};
#undef ST
static PER_SEQUENCE(t_iack, struct h225_iack, iack_fields);

#define ST struct h225_inak
static const struct per_field inak_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	NSD(ST),
	PER_F(ST, nak_reason, t_inak_reason),
	ALT_GK_INFO(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	PER_ELLIPSIS,
};
#undef ST
static PER_SEQUENCE(t_inak, struct h225_inak, inak_fields);

#define ST struct h225_sci_call_specific
static const struct per_field sci_call_specific_fields[] = {
	PER_F(ST, call_identifier, h225_t_call_identifier),
	PER_F(ST, conference_id, h225_t_guid),
	PER_F(ST, answered_call, per_t_boolean),
	PER_ELLIPSIS,
};
#undef ST
static PER_SEQUENCE(t_sci_call_specific, struct h225_sci_call_specific,
		    sci_call_specific_fields);

#define ST struct h225_sci
static const struct per_field sci_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	NSD(ST),
	PER_F(ST, service_control, h225_t_service_control_session_list),
	PER_O(ST, endpoint_identifier, h225_t_identifier),
	PER_O(ST, call_specific, t_sci_call_specific),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	FEATURES(ST),
	GENERIC(ST),
	PER_ELLIPSIS,
};
#undef ST
static PER_SEQUENCE(t_sci, struct h225_sci, sci_fields);

#define ST struct h225_scr
static const struct per_field scr_fields[] = {
	PER_F(ST, request_seq_num, h225_t_seq_num),
	PER_O(ST, result, t_scr_result),
	NSD(ST),
	TOKENS(ST),
	CRYPTO(ST),
	ICV(ST),
	FEATURES(ST),
	GENERIC(ST),
	PER_ELLIPSIS,
};
#undef ST
static PER_SEQUENCE(t_scr, struct h225_scr, scr_fields);

/* ---- RasMessage ---------------------------------------------------------- */

#define ST struct h225_ras_msg
static const struct per_field ras_message_alts[] = {
	PER_ALT_NAMED("gatekeeperRequest", ST, grq, t_grq),
	PER_ALT_NAMED("gatekeeperConfirm", ST, gcf, t_gcf),
	PER_ALT_NAMED("gatekeeperReject", ST, grj, t_grj),
	PER_ALT_NAMED("registrationRequest", ST, rrq, t_rrq),
	PER_ALT_NAMED("registrationConfirm", ST, rcf, t_rcf),
	PER_ALT_NAMED("registrationReject", ST, rrj, t_rrj),
	PER_ALT_NAMED("unregistrationRequest", ST, urq, t_urq),
	PER_ALT_NAMED("unregistrationConfirm", ST, ucf, t_ucf),
	PER_ALT_NAMED("unregistrationReject", ST, urj, t_urj),
	PER_ALT_NAMED("admissionRequest", ST, arq, t_arq),
	PER_ALT_NAMED("admissionConfirm", ST, acf, t_acf),
	PER_ALT_NAMED("admissionReject", ST, arj, t_arj),
	PER_ALT_NAMED("bandwidthRequest", ST, brq, t_brq),
	PER_ALT_NAMED("bandwidthConfirm", ST, bcf, t_bcf),
	PER_ALT_NAMED("bandwidthReject", ST, brj, t_brj),
	PER_ALT_NAMED("disengageRequest", ST, drq, t_drq),
	PER_ALT_NAMED("disengageConfirm", ST, dcf, t_dcf),
	PER_ALT_NAMED("disengageReject", ST, drj, t_drj),
	PER_ALT_NAMED("locationRequest", ST, lrq, t_lrq),
	PER_ALT_NAMED("locationConfirm", ST, lcf, t_lcf),
	PER_ALT_NAMED("locationReject", ST, lrj, t_lrj),
	PER_ALT_NAMED("infoRequest", ST, irq, t_irq),
	PER_ALT_NAMED("infoRequestResponse", ST, irr, t_irr),
	PER_ALT_NAMED("nonStandardMessage", ST, nsm, t_nsm),
	PER_ALT_NAMED("unknownMessageResponse", ST, xrs, t_xrs),
	PER_ELLIPSIS,
	PER_ALT_NAMED("requestInProgress", ST, rip, t_rip),
	PER_ALT_NAMED("resourcesAvailableIndicate", ST, rai, t_rai),
	PER_ALT_NAMED("resourcesAvailableConfirm", ST, rac, t_rac),
	PER_ALT_NAMED("infoRequestAck", ST, iack, t_iack),
	PER_ALT_NAMED("infoRequestNak", ST, inak, t_inak),
	PER_ALT_NAMED("serviceControlIndication", ST, sci, t_sci),
	PER_ALT_NAMED("serviceControlResponse", ST, scr, t_scr),
	PER_ALT_NAMED("admissionConfirmSequence", ST, acf_sequence, t_acf_list),
};
#undef ST
PER_CHOICE(h225_t_ras_message, struct h225_ras_msg, ras_message_alts);

/* ---- API ----------------------------------------------------------------- */

int h225_ras_encode(const struct h225_ras_msg *m, uint8_t *buf, size_t cap,
		    size_t *len, struct per_error *err)
{
	return per_encode(&h225_t_ras_message, m, buf, cap, len, err);
}

int h225_ras_decode(const uint8_t *buf, size_t len, struct h225_ras_msg *m,
		    struct per_arena *arena, struct per_error *err)
{
	if (per_decode(&h225_t_ras_message, buf, len, m, arena, err) < 0)
		return -1;
	if (m->tag >= H225_RAS_TAG_COUNT) {
		/* Legal PER from a later H.225.0 (the engine kept its
		 * bytes), but no message the service can act on. */
		if (err != NULL) {
			err->code = PER_E_UNKNOWN_CHOICE;
			err->bit = 0;
			snprintf(err->reason, sizeof(err->reason),
				 "RasMessage: extension alternative %u "
				 "(%zu octets) is not a message this build "
				 "knows",
				 m->tag - (unsigned)H225_RAS_RIP,
				 m->unknown.len);
		}
		return -1;
	}
	return 0;
}

static const struct {
	const char *name;
	const char *abbrev;
	size_t seq_off;
} ras_info[H225_RAS_TAG_COUNT] = {
#define INFO(tag, name, abbr, member)                                      \
	[tag] = { name, abbr,                                              \
		  offsetof(struct h225_ras_msg, u.member.request_seq_num) }
	INFO(H225_RAS_GRQ, "gatekeeperRequest", "GRQ", grq),
	INFO(H225_RAS_GCF, "gatekeeperConfirm", "GCF", gcf),
	INFO(H225_RAS_GRJ, "gatekeeperReject", "GRJ", grj),
	INFO(H225_RAS_RRQ, "registrationRequest", "RRQ", rrq),
	INFO(H225_RAS_RCF, "registrationConfirm", "RCF", rcf),
	INFO(H225_RAS_RRJ, "registrationReject", "RRJ", rrj),
	INFO(H225_RAS_URQ, "unregistrationRequest", "URQ", urq),
	INFO(H225_RAS_UCF, "unregistrationConfirm", "UCF", ucf),
	INFO(H225_RAS_URJ, "unregistrationReject", "URJ", urj),
	INFO(H225_RAS_ARQ, "admissionRequest", "ARQ", arq),
	INFO(H225_RAS_ACF, "admissionConfirm", "ACF", acf),
	INFO(H225_RAS_ARJ, "admissionReject", "ARJ", arj),
	INFO(H225_RAS_BRQ, "bandwidthRequest", "BRQ", brq),
	INFO(H225_RAS_BCF, "bandwidthConfirm", "BCF", bcf),
	INFO(H225_RAS_BRJ, "bandwidthReject", "BRJ", brj),
	INFO(H225_RAS_DRQ, "disengageRequest", "DRQ", drq),
	INFO(H225_RAS_DCF, "disengageConfirm", "DCF", dcf),
	INFO(H225_RAS_DRJ, "disengageReject", "DRJ", drj),
	INFO(H225_RAS_LRQ, "locationRequest", "LRQ", lrq),
	INFO(H225_RAS_LCF, "locationConfirm", "LCF", lcf),
	INFO(H225_RAS_LRJ, "locationReject", "LRJ", lrj),
	INFO(H225_RAS_IRQ, "infoRequest", "IRQ", irq),
	INFO(H225_RAS_IRR, "infoRequestResponse", "IRR", irr),
	INFO(H225_RAS_NSM, "nonStandardMessage", "NSM", nsm),
	INFO(H225_RAS_XRS, "unknownMessageResponse", "XRS", xrs),
	INFO(H225_RAS_RIP, "requestInProgress", "RIP", rip),
	INFO(H225_RAS_RAI, "resourcesAvailableIndicate", "RAI", rai),
	INFO(H225_RAS_RAC, "resourcesAvailableConfirm", "RAC", rac),
	INFO(H225_RAS_IACK, "infoRequestAck", "IACK", iack),
	INFO(H225_RAS_INAK, "infoRequestNak", "INAK", inak),
	INFO(H225_RAS_SCI, "serviceControlIndication", "SCI", sci),
	INFO(H225_RAS_SCR, "serviceControlResponse", "SCR", scr),
#undef INFO
	[H225_RAS_ACF_SEQUENCE] = { "admissionConfirmSequence", "ACFSEQ", 0 },
};

const char *h225_ras_tag_name(unsigned tag)
{
	return tag < H225_RAS_TAG_COUNT ? ras_info[tag].name : "unknown";
}

const char *h225_ras_tag_abbrev(unsigned tag)
{
	return tag < H225_RAS_TAG_COUNT ? ras_info[tag].abbrev : "unknown";
}

uint16_t h225_ras_seq_num(const struct h225_ras_msg *m)
{
	uint16_t seq;

	if (m->tag == H225_RAS_ACF_SEQUENCE)
		return m->u.acf_sequence.n > 0 ?
		       m->u.acf_sequence.items[0].request_seq_num : 0;
	if (m->tag >= H225_RAS_TAG_COUNT)
		return 0;
	__builtin_memcpy(&seq, (const uint8_t *)m + ras_info[m->tag].seq_off,
			 sizeof(seq));
	return seq;
}
