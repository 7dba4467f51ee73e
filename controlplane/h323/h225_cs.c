/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h225_cs.c — PER descriptors for the call-signalling subset (see
 * h225_cs.h): H323-UserInformation, H323-UU-PDU and Facility-UUIE,
 * component by component from H.225.0 (12/2009) module H323-MESSAGES.
 */
#include <stdio.h>
#include <string.h>

#include "h225_cs.h"
#include "h225_ras.h"
#include "q931.h"

/* FacilityReason ::= CHOICE { routeCallToGatekeeper, callForwarded,
 *   routeCallToMC, undefinedReason, ..., conferenceListChoice, startH245,
 *   noH245, newTokens, featureSetUpdate, forwardedElements,
 *   transportedInformation }  (all NULL) */
static const struct per_field facility_reason_alts[] = {
	PER_ALT_NULL("routeCallToGatekeeper"),
	PER_ALT_NULL("callForwarded"),
	PER_ALT_NULL("routeCallToMC"),
	PER_ALT_NULL("undefinedReason"),
	PER_ELLIPSIS,
	PER_ALT_NULL("conferenceListChoice"),
	PER_ALT_NULL("startH245"),
	PER_ALT_NULL("noH245"),
	PER_ALT_NULL("newTokens"),
	PER_ALT_NULL("featureSetUpdate"),
	PER_ALT_NULL("forwardedElements"),
	PER_ALT_NULL("transportedInformation"),
};
static PER_CHOICE(t_facility_reason, struct h225_null_choice,
		  facility_reason_alts);

#define ST struct h225_facility_uuie
static const struct per_field facility_fields[] = {
	PER_F(ST, protocol_identifier, per_t_oid),
	PER_O(ST, alternative_address, h225_t_transport_address),
	PER_O(ST, alternative_alias_address, h225_t_alias_address_list),
	PER_O(ST, conference_id, h225_t_guid),
	PER_F(ST, reason, t_facility_reason),
	PER_ELLIPSIS,
	PER_F(ST, call_identifier, h225_t_call_identifier),
	PER_O(ST, dest_extra_call_info, h225_t_alias_address_list),
	PER_O(ST, remote_extension_address, h225_t_alias_address),
	PER_O(ST, tokens, h225_t_clear_token_list),
	PER_O(ST, crypto_tokens, h225_t_crypto_h323_token_list),
	PER_SKIP("conferences"),
	PER_O(ST, h245_address, h225_t_transport_address),
	PER_SKIP("fastStart"),
	PER_F(ST, multiple_calls, per_t_boolean),
	PER_F(ST, maintain_connection, per_t_boolean),
	PER_NULL_O(ST, fast_connect_refused),
	PER_O(ST, service_control, h225_t_service_control_session_list),
	PER_SKIP("circuitInfo"),
	PER_O(ST, feature_set, h225_t_feature_set),
	PER_O(ST, destination_info, h225_t_endpoint_type),
	PER_SKIP("h245SecurityMode"),
};
#undef ST
PER_SEQUENCE(h225_t_facility_uuie, struct h225_facility_uuie,
	     facility_fields);

/* h323-message-body: the root alternatives before facility are large
 * call-setup messages this part does not read; the additions it does not
 * need are kept as their raw open-type contents. */
static const struct per_field uu_body_alts[] = {
	PER_ALT_UNMODELLED("setup"),
	PER_ALT_UNMODELLED("callProceeding"),
	PER_ALT_UNMODELLED("connect"),
	PER_ALT_UNMODELLED("alerting"),
	PER_ALT_UNMODELLED("information"),
	PER_ALT_UNMODELLED("releaseComplete"),
	PER_ALT(struct h225_uu_body, facility, h225_t_facility_uuie),
	PER_ELLIPSIS,
	PER_ALT_NAMED("progress", struct h225_uu_body, raw, per_t_open),
	PER_ALT_NULL("empty"),
	PER_ALT_NAMED("status", struct h225_uu_body, raw, per_t_open),
	PER_ALT_NAMED("statusInquiry", struct h225_uu_body, raw, per_t_open),
	PER_ALT_NAMED("setupAcknowledge", struct h225_uu_body, raw,
		      per_t_open),
	PER_ALT_NAMED("notify", struct h225_uu_body, raw, per_t_open),
};
static PER_CHOICE(t_uu_body, struct h225_uu_body, uu_body_alts);

#define ST struct h225_uu_pdu
static const struct per_field uu_pdu_fields[] = {
	PER_F(ST, h323_message_body, t_uu_body),
	PER_O(ST, non_standard_data, h225_t_non_standard_parameter),
	PER_ELLIPSIS,
	PER_SKIP("h4501SupplementaryService"),
	PER_F(ST, h245_tunnelling, per_t_boolean),
	PER_SKIP("h245Control"),
	PER_SKIP("nonStandardControl"),
	PER_O(ST, call_linkage, h225_t_call_linkage),
	PER_SKIP("tunnelledSignallingMessage"),
	PER_NULL_O(ST, provisional_resp_to_h245_tunnelling),
	PER_SKIP("stimulusControl"),
	PER_O(ST, generic_data, h225_t_generic_data_list),
};
#undef ST
static PER_SEQUENCE(t_uu_pdu, struct h225_uu_pdu, uu_pdu_fields);

static PER_INTEGER(t_protocol_discriminator, 0, 255, uint8_t, false);
static PER_OCTET_STRING(t_user_information_octets, 1, 131);

#define ST struct h225_user_data
static const struct per_field user_data_fields[] = {
	PER_F(ST, protocol_discriminator, t_protocol_discriminator),
	PER_F(ST, user_information, t_user_information_octets),
	PER_ELLIPSIS,
};
#undef ST
static PER_SEQUENCE(t_user_data, struct h225_user_data, user_data_fields);

#define ST struct h225_user_information
static const struct per_field user_information_fields[] = {
	PER_F(ST, h323_uu_pdu, t_uu_pdu),
	PER_O(ST, user_data, t_user_data),
	PER_ELLIPSIS,
};
#undef ST
PER_SEQUENCE(h225_t_user_information, struct h225_user_information,
	     user_information_fields);

int h225_cs_encode(const struct h225_user_information *ui, uint8_t *buf,
		   size_t cap, size_t *len, struct per_error *err)
{
	return per_encode(&h225_t_user_information, ui, buf, cap, len, err);
}

int h225_cs_decode(const uint8_t *buf, size_t len,
		   struct h225_user_information *ui, struct per_arena *arena,
		   struct per_error *err)
{
	return per_decode(&h225_t_user_information, buf, len, ui, arena, err);
}

const char *h225_cs_body_name(unsigned tag)
{
	static const char *const names[] = {
		"setup", "callProceeding", "connect", "alerting",
		"information", "releaseComplete", "facility", "progress",
		"empty", "status", "statusInquiry", "setupAcknowledge",
		"notify",
	};

	return tag < PER_ARRAY_SIZE(names) ? names[tag] : "unknown";
}

/* ---- the two Facility messages of H.460.18 ------------------------------ */

size_t h225_cs_facility_tpkt(const uint8_t *call_id, uint8_t *out,
			     size_t cap)
{
	struct h225_user_information ui;
	struct h225_uu_body *body = &ui.h323_uu_pdu.h323_message_body;
	struct h225_facility_uuie *f = &body->u.facility;
	uint8_t per[256];
	size_t len;

	memset(&ui, 0, sizeof(ui));
	if (call_id == NULL) {
		body->tag = H225_UU_EMPTY;
	} else {
		body->tag = H225_UU_FACILITY;
		f->protocol_identifier = h225_protocol_v4;
		f->reason.tag = H225_FR_UNDEFINED_REASON;
		memcpy(f->call_identifier.guid, call_id, 16);
	}
	if (h225_cs_encode(&ui, per, sizeof(per), &len, NULL) < 0)
		return 0;
	return q931_build(Q931_FACILITY, 0, false, per, len, out, cap);
}

int h225_cs_read(const uint8_t *payload, size_t len, struct q931_msg *q,
		 struct h225_user_information *ui, bool *has_ui,
		 struct per_arena *arena, char *why, size_t why_cap)
{
	struct per_error err;

	*has_ui = false;
	if (q931_parse(payload, len, q, why, why_cap) < 0)
		return -1;
	if (!q->has_uuie)
		return 0;
	if (q->uu_protocol != Q931_UU_X208) {
		snprintf(why, why_cap, "user-user element with protocol "
			 "discriminator %u, not H.225.0", q->uu_protocol);
		return -1;
	}
	if (h225_cs_decode(q->uuie, q->uuie_len, ui, arena, &err) < 0) {
		snprintf(why, why_cap, "H323-UserInformation: %s: %s",
			 per_status_name(err.code), err.reason);
		return -1;
	}
	*has_ui = true;
	return 0;
}
