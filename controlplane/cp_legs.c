/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_legs.c — the control plane's leg table (see cp_legs.h).
 */
#include "cp_legs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cp_legs_init(struct cp_legs *s, uint32_t capacity)
{
	memset(s, 0, sizeof(*s));
	if (capacity == 0) {
		errno = EINVAL;
		return -1;
	}
	s->leg = calloc((size_t)capacity + 1, sizeof(*s->leg));
	if (s->leg == NULL)
		return -1;
	s->capacity = capacity;
	s->cursor = 1;
	return 0;
}

void cp_legs_fini(struct cp_legs *s)
{
	free(s->leg);
	memset(s, 0, sizeof(*s));
}

struct cp_leg *cp_legs_get(struct cp_legs *s, uint32_t id)
{
	if (id == 0 || id > s->capacity || s->leg[id].state == CP_LEG_FREE)
		return NULL;
	return &s->leg[id];
}

const struct cp_leg *cp_legs_cget(const struct cp_legs *s, uint32_t id)
{
	if (id == 0 || id > s->capacity || s->leg[id].state == CP_LEG_FREE)
		return NULL;
	return &s->leg[id];
}

uint32_t cp_legs_alloc_id(struct cp_legs *s, uint32_t limit)
{
	uint32_t max = limit < s->capacity ? limit : s->capacity;
	uint32_t i, id;

	/* Full: known without a scan only when no leg lies above `max`. */
	if (max == 0 || (max == s->capacity && s->n >= max))
		return 0;
	for (i = 0; i < max; i++) {
		id = (s->cursor - 1 + i) % max + 1;
		if (s->leg[id].state == CP_LEG_FREE) {
			s->cursor = id % max + 1;
			return id;
		}
	}
	return 0;
}

struct cp_leg *cp_legs_put(struct cp_legs *s, const struct sl_leg_spec *spec,
			   enum cp_leg_state st)
{
	struct cp_leg *l;

	if (spec->leg_id == 0 || spec->leg_id > s->capacity ||
	    st == CP_LEG_FREE)
		return NULL;
	l = &s->leg[spec->leg_id];
	if (l->state != CP_LEG_FREE)
		return NULL;
	memset(l, 0, sizeof(*l));
	l->spec = *spec;
	l->state = (uint8_t)st;
	s->n++;
	if (st == CP_LEG_PROGRAMMED)
		s->programmed++;
	return l;
}

void cp_legs_set_state(struct cp_legs *s, struct cp_leg *l,
		       enum cp_leg_state st)
{
	if (l->state == st || st == CP_LEG_FREE)
		return;
	if (l->state == CP_LEG_PROGRAMMED)
		s->programmed--;
	if (st == CP_LEG_PROGRAMMED)
		s->programmed++;
	l->state = (uint8_t)st;
}

void cp_legs_remove(struct cp_legs *s, uint32_t id)
{
	struct cp_leg *l = cp_legs_get(s, id);

	if (l == NULL)
		return;
	if (l->state == CP_LEG_PROGRAMMED)
		s->programmed--;
	memset(l, 0, sizeof(*l));
	s->n--;
}

uint32_t cp_legs_next(const struct cp_legs *s, uint32_t after)
{
	uint32_t id;

	for (id = after + 1; id <= s->capacity && id > after; id++)
		if (s->leg[id].state != CP_LEG_FREE)
			return id;
	return 0;
}

void cp_leg_latch(struct cp_leg *l, unsigned component, uint32_t addr,
		  uint16_t port)
{
	struct cp_latch *t = &l->latched[component == SL_COMP_RTCP];

	t->valid = true;
	t->addr = addr;
	t->port = port;
}

void cp_leg_latch_from(struct cp_leg *l, const struct sl_leg_spec *d)
{
	if (d->flags & SL_LEG_F_LATCHED)
		cp_leg_latch(l, SL_COMP_RTP, d->remote_addr, d->remote_port);
	if (d->flags & SL_LEG_F_RTCP_LATCHED)
		cp_leg_latch(l, SL_COMP_RTCP, d->rtcp_remote_addr,
			     d->rtcp_remote_port);
}

void cp_leg_spec_unlatched(const struct sl_leg_spec *d, struct sl_leg_spec *out)
{
	*out = *d;
	if (d->flags & SL_LEG_F_LATCHED) {
		out->flags &= (uint8_t)~(SL_LEG_F_REMOTE_KNOWN |
					 SL_LEG_F_LATCHED);
		out->remote_addr = 0;
		out->remote_port = 0;
	}
	/* a dump reports the RTCP remote in use, given or implied: only one
	 * the control plane named explicitly is part of what it asked for,
	 * and that cannot be told apart here, so none is */
	out->flags &= (uint8_t)~(SL_LEG_F_RTCP_KNOWN | SL_LEG_F_RTCP_LATCHED);
	out->rtcp_remote_addr = 0;
	out->rtcp_remote_port = 0;
}

void cp_leg_spec_for_add(const struct cp_leg *l, struct sl_leg_spec *out)
{
	const struct cp_latch *rtp = &l->latched[SL_COMP_RTP];
	const struct cp_latch *rtcp = &l->latched[SL_COMP_RTCP];

	*out = l->spec;
	out->flags &= (uint8_t)~(SL_LEG_F_LATCHED | SL_LEG_F_RTCP_LATCHED);
	/* A strict leg never latches: its remote is the configured one. */
	if (l->spec.latch == SL_LATCH_STRICT)
		return;
	if (rtp->valid) {
		out->remote_addr = rtp->addr;
		out->remote_port = rtp->port;
		out->flags |= SL_LEG_F_REMOTE_KNOWN | SL_LEG_F_LATCHED;
	}
	if (rtcp->valid) {
		out->rtcp_remote_addr = rtcp->addr;
		out->rtcp_remote_port = rtcp->port;
		out->flags |= SL_LEG_F_RTCP_KNOWN | SL_LEG_F_RTCP_LATCHED;
	}
}

void cp_leg_spec_for_mod(const struct cp_leg *l, struct sl_leg_spec *out)
{
	*out = l->spec;
	out->flags &= (uint8_t)~(SL_LEG_F_LATCHED | SL_LEG_F_RTCP_LATCHED);
	if (l->spec.latch == SL_LATCH_STRICT)
		return;
	/* Without REMOTE_KNOWN (RTCP_KNOWN) the dataplane keeps the address
	 * it latched, which may be newer than the last LEG_LATCHED read
	 * here; an implied RTCP remote never replaces a latched one there. */
	if (l->latched[SL_COMP_RTP].valid) {
		out->flags &= (uint8_t)~SL_LEG_F_REMOTE_KNOWN;
		out->remote_addr = 0;
		out->remote_port = 0;
	}
	if (l->latched[SL_COMP_RTCP].valid) {
		out->flags &= (uint8_t)~SL_LEG_F_RTCP_KNOWN;
		out->rtcp_remote_addr = 0;
		out->rtcp_remote_port = 0;
	}
}

enum cp_leg_owner cp_leg_owner(const struct sl_leg_spec *spec)
{
	return (enum cp_leg_owner)(spec->cookie >> CP_LEG_COOKIE_OWNER_SHIFT);
}

uint64_t cp_leg_cookie(enum cp_leg_owner owner, uint32_t created_s)
{
	return ((uint64_t)owner << CP_LEG_COOKIE_OWNER_SHIFT) | created_s;
}

const char *cp_leg_state_name(unsigned st)
{
	static const char *const names[CP_LEG_STATE_MAX] = {
		[CP_LEG_FREE] = "free",
		[CP_LEG_ADDING] = "adding",
		[CP_LEG_PROGRAMMED] = "programmed",
		[CP_LEG_UNPROGRAMMED] = "not programmed",
		[CP_LEG_UNCONFIRMED] = "unconfirmed",
		[CP_LEG_DELETING] = "deleting",
		[CP_LEG_DEL_UNCONFIRMED] = "delete unconfirmed",
	};

	return st < CP_LEG_STATE_MAX && names[st] ? names[st] : "?";
}

const char *cp_leg_owner_name(unsigned owner)
{
	switch (owner) {
	case CP_LEG_OWNER_NONE: return "unknown";
	case CP_LEG_OWNER_CTL: return "sluicectl";
	case CP_LEG_OWNER_SIP: return "sip";
	case CP_LEG_OWNER_H323: return "h323";
	default: return "unknown";
	}
}

const char *cp_leg_kind_name(unsigned kind)
{
	switch (kind) {
	case SL_LEG_PORT: return "port";
	case SL_LEG_MUX: return "mux";
	default: return "?";
	}
}
