/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h225_cs.h — the H.225.0 call-signalling subset Sluice needs for
 * H.460.18: H323-UserInformation (the user-user information element of
 * every Q.931 message on TCP 1720) with the Facility-UUIE modelled, and
 * the empty body H.460.18 keep-alives use.
 *
 *   H323-UserInformation
 *     h323-uu-pdu
 *       h323-message-body CHOICE
 *         setup .. releaseComplete   not modelled: refused with
 *                                    PER_E_UNSUPPORTED (part two)
 *         facility                   Facility-UUIE (below)
 *         progress, status, ...      kept raw
 *         empty                      NULL
 *       nonStandardData, h245Tunnelling, callLinkage, genericData
 *     user-data                      protocol discriminator + octets
 *
 * Same conventions as h225_types.h; the descriptors are transcribed from
 * module H323-MESSAGES of H.225.0 (12/2009).
 */
#ifndef SL_H225_CS_H
#define SL_H225_CS_H

#include "h225_types.h"

enum h225_facility_reason_tag {
	H225_FR_ROUTE_CALL_TO_GATEKEEPER,
	H225_FR_CALL_FORWARDED,
	H225_FR_ROUTE_CALL_TO_MC,
	H225_FR_UNDEFINED_REASON,
	H225_FR_CONFERENCE_LIST_CHOICE,
	H225_FR_START_H245,
	H225_FR_NO_H245,
	H225_FR_NEW_TOKENS,
	H225_FR_FEATURE_SET_UPDATE,
	H225_FR_FORWARDED_ELEMENTS,
	H225_FR_TRANSPORTED_INFORMATION,
};

struct h225_facility_uuie {
	struct per_oid protocol_identifier;
	bool has_alternative_address;
	struct h225_transport_address alternative_address;
	bool has_alternative_alias_address;
	struct h225_alias_address_list alternative_alias_address;
	bool has_conference_id;
	uint8_t conference_id[16];
	struct h225_null_choice reason;	/* enum h225_facility_reason_tag */
	/* ... */
	struct h225_call_identifier call_identifier;
	bool has_dest_extra_call_info;
	struct h225_alias_address_list dest_extra_call_info;
	bool has_remote_extension_address;
	struct h225_alias_address remote_extension_address;
	bool has_tokens;
	struct h225_clear_token_list tokens;
	bool has_crypto_tokens;
	struct h225_crypto_h323_token_list crypto_tokens;
	bool has_h245_address;
	struct h225_transport_address h245_address;
	bool multiple_calls;
	bool maintain_connection;
	bool fast_connect_refused;
	bool has_service_control;
	struct h225_service_control_session_list service_control;
	bool has_feature_set;
	struct h225_feature_set feature_set;
	bool has_destination_info;
	struct h225_endpoint_type destination_info;
};

enum h225_uu_body_tag {
	H225_UU_SETUP,			/* not modelled */
	H225_UU_CALL_PROCEEDING,	/* not modelled */
	H225_UU_CONNECT,		/* not modelled */
	H225_UU_ALERTING,		/* not modelled */
	H225_UU_INFORMATION,		/* not modelled */
	H225_UU_RELEASE_COMPLETE,	/* not modelled */
	H225_UU_FACILITY,
	H225_UU_PROGRESS,		/* raw */
	H225_UU_EMPTY,
	H225_UU_STATUS,			/* raw */
	H225_UU_STATUS_INQUIRY,		/* raw */
	H225_UU_SETUP_ACKNOWLEDGE,	/* raw */
	H225_UU_NOTIFY,			/* raw */
};

struct h225_uu_body {
	unsigned tag;
	struct per_octets unknown;
	union {
		struct h225_facility_uuie facility;
		struct per_octets raw;
	} u;
};

struct h225_uu_pdu {
	struct h225_uu_body h323_message_body;
	bool has_non_standard_data;
	struct h225_non_standard_parameter non_standard_data;
	/* ... */
	bool h245_tunnelling;
	bool has_call_linkage;
	struct h225_call_linkage call_linkage;
	bool provisional_resp_to_h245_tunnelling;
	bool has_generic_data;
	struct h225_generic_data_list generic_data;
};

struct h225_user_data {
	uint8_t protocol_discriminator;
	struct per_octets user_information;	/* SIZE(1..131) */
};

struct h225_user_information {
	struct h225_uu_pdu h323_uu_pdu;
	bool has_user_data;
	struct h225_user_data user_data;
};

extern const struct per_type h225_t_facility_uuie;
extern const struct per_type h225_t_user_information;

/* Encodes / decodes one H323-UserInformation (the PER octets of the
 * user-user IE, after its protocol discriminator). Same contracts as
 * h225_ras_encode / h225_ras_decode. */
int h225_cs_encode(const struct h225_user_information *ui, uint8_t *buf,
		   size_t cap, size_t *len, struct per_error *err);
int h225_cs_decode(const uint8_t *buf, size_t len,
		   struct h225_user_information *ui, struct per_arena *arena,
		   struct per_error *err);

/* "facility", "setup", ... (the ASN.1 names, as Wireshark shows them). */
const char *h225_cs_body_name(unsigned tag);

/* ---- the two Facility messages of H.460.18 ------------------------------ */

/*
 * A complete TPKT with a Q.931 Facility (call reference 0) whose UUIE is
 *   call_id != NULL: Facility-UUIE { protocolIdentifier v4,
 *                    reason undefinedReason, callIdentifier call_id } —
 *                    what the endpoint opens its connection with;
 *   call_id == NULL: the empty body — the keep-alive on a held
 *                    connection.
 * Returns the length, or 0 if it does not fit in cap.
 */
size_t h225_cs_facility_tpkt(const uint8_t *call_id, uint8_t *out,
			     size_t cap);

/*
 * Reads one TPKT payload (a Q.931 message): its header into *q and, when
 * it carries an H.225.0 UUIE, the decoded H323-UserInformation into *ui
 * (held in the arena); *has_ui says which. Returns 0, or -1 with the
 * reason in why (not Q.931, bad user-user element, PER error, ...).
 */
struct q931_msg;
int h225_cs_read(const uint8_t *payload, size_t len, struct q931_msg *q,
		 struct h225_user_information *ui, bool *has_ui,
		 struct per_arena *arena, char *why, size_t why_cap);

#endif /* SL_H225_CS_H */
