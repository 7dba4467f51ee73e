/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ras_reg.c — the registration table: at most capacity.registrations
 * entries, allocated RAS_REG_CHUNK at a time as they are first needed, so
 * a large capacity costs nothing until it is used and a pointer to an
 * entry stays valid while the table grows.
 *
 *   chunks[0] ─► [ reg 0 | reg 1 | ... | reg 255 ]
 *   chunks[1] ─► [ reg 256 | ... ]            (slot i = chunk i/256, i%256)
 *
 * Lookups scan the slots in use: the control plane serves a few thousand
 * registrations, and a scan of them is cheaper than keeping indexes
 * consistent (see docs/h323.md for the limits).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ras_int.h"

struct ras_reg *ras_reg_at(const struct ras_service *s, uint32_t i)
{
	return &s->chunks[i / RAS_REG_CHUNK][i % RAS_REG_CHUNK];
}

struct ras_reg *ras_reg_find_epid(const struct ras_service *s,
				  const char *epid)
{
	for (uint32_t i = 0; i < s->n_slots; i++) {
		struct ras_reg *r = ras_reg_at(s, i);

		if (r->used && strcmp(r->endpoint_id, epid) == 0)
			return r;
	}
	return NULL;
}

struct ras_reg *ras_reg_find_alias(const struct ras_service *s,
				   const char *text)
{
	for (uint32_t i = 0; i < s->n_slots; i++) {
		struct ras_reg *r = ras_reg_at(s, i);

		for (unsigned k = 0; r->used && k < r->n_aliases; k++)
			if (strcmp(r->aliases[k].text, text) == 0)
				return r;
	}
	return NULL;
}

struct ras_reg *ras_reg_find_ras(const struct ras_service *s,
				 struct ras_addr a)
{
	for (uint32_t i = 0; i < s->n_slots; i++) {
		struct ras_reg *r = ras_reg_at(s, i);

		if (r->used && ras_addr_eq(r->ras, a))
			return r;
	}
	return NULL;
}

static struct ras_reg *fresh(struct ras_service *s, struct ras_reg *r)
{
	memset(r, 0, sizeof(*r));
	r->used = true;
	r->id = ++s->next_id;
	snprintf(r->endpoint_id, sizeof(r->endpoint_id), "sl-%08x", r->id);
	s->n_used++;
	return r;
}

struct ras_reg *ras_reg_alloc(struct ras_service *s)
{
	uint32_t c;

	if (s->n_used >= s->cap) {
		errno = ENOSPC;
		return NULL;
	}
	for (uint32_t i = 0; i < s->n_slots; i++)
		if (!ras_reg_at(s, i)->used)
			return fresh(s, ras_reg_at(s, i));
	c = s->n_slots / RAS_REG_CHUNK;
	if (s->n_slots % RAS_REG_CHUNK == 0) {
		s->chunks[c] = calloc(RAS_REG_CHUNK, sizeof(struct ras_reg));
		if (s->chunks[c] == NULL)
			return NULL;
	}
	return fresh(s, ras_reg_at(s, s->n_slots++));
}

void ras_reg_free(struct ras_service *s, struct ras_reg *r)
{
	if (!r->used)
		return;
	r->used = false;
	s->n_used--;
}

int ras_reg_free_all(struct ras_service *s)
{
	uint32_t nchunks = (s->n_slots + RAS_REG_CHUNK - 1) / RAS_REG_CHUNK;

	for (uint32_t c = 0; c < nchunks; c++) {
		free(s->chunks[c]);
		s->chunks[c] = NULL;
	}
	s->n_slots = 0;
	s->n_used = 0;
	return 0;
}

void ras_reg_aliases_text(const struct ras_reg *r, char *out, size_t cap)
{
	size_t len = 0;

	if (cap == 0)
		return;
	out[0] = '\0';
	for (unsigned k = 0; k < r->n_aliases && len < cap; k++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s",
					k ? "," : "", r->aliases[k].text);
}

void ras_reg_expire(struct ras_service *s, const struct ras_clock *now)
{
	char aliases[256], peer[24];

	for (uint32_t i = 0; i < s->n_slots; i++) {
		struct ras_reg *r = ras_reg_at(s, i);

		if (!r->used || now->mono_ms < r->expires_ms)
			continue;
		ras_reg_aliases_text(r, aliases, sizeof(aliases));
		ras_addr_format(r->ras, peer, sizeof(peer));
		ras_log(s, SL_LOG_NOTICE, "registration %s (%s) at %s "
			"expired: no keep-alive RRQ within its time to live "
			"of %u s", r->endpoint_id, aliases, peer, r->ttl_s);
		s->ctr.expired++;
		ras_calls_reg_gone(s, r, "the registration expired", now);
		ras_reg_free(s, r);
	}
}
