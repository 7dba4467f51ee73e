/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h460.h — H.460 feature descriptors for firewall traversal: H.460.18
 * (signalling traversal) and H.460.19 (media traversal), as they travel in
 * H.225.0 GenericData / FeatureDescriptor.
 *
 *   feature 18  Signalling Traversal (in RRQ/RCF featureSet)
 *     param 1   IncomingCallIndication, in an SCI's genericData: content
 *               `raw` holding the PER encoding of
 *               SEQUENCE { callSignallingAddress TransportAddress,
 *                          callID CallIdentifier, ... }
 *     param 2   LRQKeepAliveData: content `raw` holding
 *               SEQUENCE { lrqKeepAliveInterval TimeToLive, ... }
 *   feature 19  mediaNATFWTraversal (in RRQ/RCF, Setup, ...)
 *     param 1   supportTransmitMultiplexedMedia (no content)
 *     param 2   mediaTraversalServer (no content)
 *
 * Numbering as in H.460.18/H.460.19 and in Wireshark's h460 dissector
 * ("GenericData/18/1" etc.). The builders fill caller-owned structs and
 * never allocate; the parsers decode into an arena.
 */
#ifndef SL_H460_H
#define SL_H460_H

#include "h225_types.h"

#define H460_FEATURE_SIGNALLING_TRAVERSAL 18u
#define H460_18_PARAM_INCOMING_CALL_INDICATION 1u
#define H460_18_PARAM_LRQ_KEEP_ALIVE_DATA 2u

#define H460_FEATURE_MEDIA_TRAVERSAL 19u
#define H460_19_PARAM_SUPPORT_TRANSMIT_MULTIPLEXED_MEDIA 1u
#define H460_19_PARAM_MEDIA_TRAVERSAL_SERVER 2u

struct h460_18_incoming_call_indication {
	struct h225_transport_address call_signalling_address;
	struct h225_call_identifier call_id;
};

struct h460_18_lrq_keep_alive_data {
	uint32_t lrq_keep_alive_interval;	/* TimeToLive, seconds */
};

extern const struct per_type h460_18_t_incoming_call_indication;
extern const struct per_type h460_18_t_lrq_keep_alive_data;

/* ---- building ------------------------------------------------------------ */

/* A feature (or generic data) with a standard identifier and the given
 * parameters (none if n == 0). params must outlive the encoding. */
void h460_feature_init(struct h225_generic_data *gd, unsigned feature,
		       const struct h225_enumerated_parameter *params,
		       size_t n);

/* A parameter that is present without content (H.460.19's flags). */
void h460_param_flag(struct h225_enumerated_parameter *p, unsigned id);

/* A parameter whose content is raw octets (H.460.18's PDUs). */
void h460_param_raw(struct h225_enumerated_parameter *p, unsigned id,
		    const uint8_t *raw, size_t len);

/* Fills *gd as feature 18 carrying IncomingCallIndication (for an SCI's
 * genericData). The PER encoding of ici is written into raw[0..raw_cap),
 * *param is the one parameter; all three must outlive the message.
 * Returns 0, or -1 with *err. */
int h460_18_build_incoming_call(
	struct h225_generic_data *gd, struct h225_enumerated_parameter *param,
	const struct h460_18_incoming_call_indication *ici, uint8_t *raw,
	size_t raw_cap, struct per_error *err);

/* The same for LRQKeepAliveData. */
int h460_18_build_lrq_keep_alive(struct h225_generic_data *gd,
				 struct h225_enumerated_parameter *param,
				 uint32_t interval, uint8_t *raw,
				 size_t raw_cap, struct per_error *err);

/* ---- finding and parsing ------------------------------------------------- */

/* The GenericData with standard identifier `feature` in l, or NULL. */
const struct h225_generic_data *
h460_find_feature(const struct h225_generic_data_list *l, unsigned feature);

/* Whether a FeatureSet lists `feature` as needed, desired or supported. */
bool h460_feature_set_has(const struct h225_feature_set *fs, unsigned feature);

/* Parameter `id` (standard) of gd, or NULL. */
const struct h225_enumerated_parameter *
h460_find_param(const struct h225_generic_data *gd, unsigned id);

/* Decodes the IncomingCallIndication an SCI's genericData carries.
 * Returns 0; -1 with *err if feature 18 / parameter 1 is missing, has no
 * raw content, or does not decode. */
int h460_18_parse_incoming_call(const struct h225_generic_data_list *l,
				struct h460_18_incoming_call_indication *out,
				struct per_arena *arena, struct per_error *err);

/* The same for LRQKeepAliveData; *interval in seconds. */
int h460_18_parse_lrq_keep_alive(const struct h225_generic_data_list *l,
				 uint32_t *interval, struct per_arena *arena,
				 struct per_error *err);

#endif /* SL_H460_H */
