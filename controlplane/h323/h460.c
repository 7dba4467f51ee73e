/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h460.c — H.460.18 / H.460.19 feature descriptors: the two H.460.18
 * parameter PDUs as PER descriptors (module SIGNALLING-TRAVERSAL), and
 * helpers that build and find features in GenericData lists.
 */
#include <stdio.h>
#include <string.h>

#include "h460.h"

/* IncomingCallIndication ::= SEQUENCE {
 *   callSignallingAddress TransportAddress, callID CallIdentifier, ... } */
static const struct per_field ici_fields[] = {
	PER_F(struct h460_18_incoming_call_indication, call_signalling_address,
	      h225_t_transport_address),
	PER_F(struct h460_18_incoming_call_indication, call_id,
	      h225_t_call_identifier),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h460_18_t_incoming_call_indication,
	     struct h460_18_incoming_call_indication, ici_fields);

/* LRQKeepAliveData ::= SEQUENCE { lrqKeepAliveInterval TimeToLive, ... } */
static const struct per_field lrq_ka_fields[] = {
	PER_F(struct h460_18_lrq_keep_alive_data, lrq_keep_alive_interval,
	      h225_t_time_to_live),
	PER_ELLIPSIS,
};
PER_SEQUENCE(h460_18_t_lrq_keep_alive_data,
	     struct h460_18_lrq_keep_alive_data, lrq_ka_fields);

/* ---- building ------------------------------------------------------------ */

static void standard_id(struct h225_generic_identifier *id, unsigned n)
{
	memset(id, 0, sizeof(*id));
	id->tag = H225_GID_STANDARD;
	id->u.standard = n;
}

void h460_feature_init(struct h225_generic_data *gd, unsigned feature,
		       const struct h225_enumerated_parameter *params,
		       size_t n)
{
	memset(gd, 0, sizeof(*gd));
	standard_id(&gd->id, feature);
	gd->has_parameters = n > 0;
	gd->parameters.items = params;
	gd->parameters.n = n;
}

void h460_param_flag(struct h225_enumerated_parameter *p, unsigned id)
{
	memset(p, 0, sizeof(*p));
	standard_id(&p->id, id);
}

void h460_param_raw(struct h225_enumerated_parameter *p, unsigned id,
		    const uint8_t *raw, size_t len)
{
	h460_param_flag(p, id);
	p->has_content = true;
	p->content.tag = H225_CONTENT_RAW;
	p->content.u.raw.data = raw;
	p->content.u.raw.len = len;
}

/* Encodes a parameter PDU into raw[] and wraps it as feature 18. */
static int build_18(struct h225_generic_data *gd,
		    struct h225_enumerated_parameter *param, unsigned id,
		    const struct per_type *t, const void *pdu, uint8_t *raw,
		    size_t raw_cap, struct per_error *err)
{
	size_t len;

	if (per_encode(t, pdu, raw, raw_cap, &len, err) < 0)
		return -1;
	h460_param_raw(param, id, raw, len);
	h460_feature_init(gd, H460_FEATURE_SIGNALLING_TRAVERSAL, param, 1);
	return 0;
}

int h460_18_build_incoming_call(
	struct h225_generic_data *gd, struct h225_enumerated_parameter *param,
	const struct h460_18_incoming_call_indication *ici, uint8_t *raw,
	size_t raw_cap, struct per_error *err)
{
	return build_18(gd, param, H460_18_PARAM_INCOMING_CALL_INDICATION,
			&h460_18_t_incoming_call_indication, ici, raw, raw_cap,
			err);
}

int h460_18_build_lrq_keep_alive(struct h225_generic_data *gd,
				 struct h225_enumerated_parameter *param,
				 uint32_t interval, uint8_t *raw,
				 size_t raw_cap, struct per_error *err)
{
	struct h460_18_lrq_keep_alive_data ka = {
		.lrq_keep_alive_interval = interval,
	};

	return build_18(gd, param, H460_18_PARAM_LRQ_KEEP_ALIVE_DATA,
			&h460_18_t_lrq_keep_alive_data, &ka, raw, raw_cap,
			err);
}

/* ---- finding and parsing ------------------------------------------------- */

static bool is_standard(const struct h225_generic_identifier *id, unsigned n)
{
	return id->tag == H225_GID_STANDARD && id->u.standard == n;
}

const struct h225_generic_data *
h460_find_feature(const struct h225_generic_data_list *l, unsigned feature)
{
	for (size_t i = 0; l != NULL && i < l->n; i++)
		if (is_standard(&l->items[i].id, feature))
			return &l->items[i];
	return NULL;
}

bool h460_feature_set_has(const struct h225_feature_set *fs, unsigned feature)
{
	return (fs->has_needed_features &&
		h460_find_feature(&fs->needed_features, feature)) ||
	       (fs->has_desired_features &&
		h460_find_feature(&fs->desired_features, feature)) ||
	       (fs->has_supported_features &&
		h460_find_feature(&fs->supported_features, feature));
}

const struct h225_enumerated_parameter *
h460_find_param(const struct h225_generic_data *gd, unsigned id)
{
	if (gd == NULL || !gd->has_parameters)
		return NULL;
	for (size_t i = 0; i < gd->parameters.n; i++)
		if (is_standard(&gd->parameters.items[i].id, id))
			return &gd->parameters.items[i];
	return NULL;
}

static int missing(struct per_error *err, const char *what)
{
	if (err != NULL) {
		memset(err, 0, sizeof(*err));
		err->code = PER_E_INVALID;
		snprintf(err->reason, sizeof(err->reason), "%s", what);
	}
	return -1;
}

/* Finds feature 18 parameter `id` with raw content and decodes it. */
static int parse_18(const struct h225_generic_data_list *l, unsigned id,
		    const struct per_type *t, void *out,
		    struct per_arena *arena, struct per_error *err)
{
	const struct h225_enumerated_parameter *p = h460_find_param(
		h460_find_feature(l, H460_FEATURE_SIGNALLING_TRAVERSAL), id);

	if (p == NULL)
		return missing(err, "H.460.18 parameter not present");
	if (!p->has_content || p->content.tag != H225_CONTENT_RAW)
		return missing(err, "H.460.18 parameter has no raw content");
	return per_decode(t, p->content.u.raw.data, p->content.u.raw.len, out,
			  arena, err);
}

int h460_18_parse_incoming_call(const struct h225_generic_data_list *l,
				struct h460_18_incoming_call_indication *out,
				struct per_arena *arena, struct per_error *err)
{
	return parse_18(l, H460_18_PARAM_INCOMING_CALL_INDICATION,
			&h460_18_t_incoming_call_indication, out, arena, err);
}

int h460_18_parse_lrq_keep_alive(const struct h225_generic_data_list *l,
				 uint32_t *interval, struct per_arena *arena,
				 struct per_error *err)
{
	struct h460_18_lrq_keep_alive_data ka;

	if (parse_18(l, H460_18_PARAM_LRQ_KEEP_ALIVE_DATA,
		     &h460_18_t_lrq_keep_alive_data, &ka, arena, err) < 0)
		return -1;
	*interval = ka.lrq_keep_alive_interval;
	return 0;
}
