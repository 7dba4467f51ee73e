/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_legs.h — sluice-cp's own record of the media legs it wants the
 * dataplane to hold: a fixed-capacity table indexed by leg id.
 *
 *   leg[0]           unused (id 0 means "none")
 *   leg[1..capacity] one struct cp_leg each; state FREE when unused
 *
 * The dataplane holds the same legs in its flow tables; this table is what
 * the control plane re-programs a restarted dataplane from, and what it
 * reconciles with the dataplane's dump when the control plane itself
 * restarted (cp_reconcile.h). Sized once from capacity.media_legs; calloc'd,
 * so a large profile's table costs memory only where legs were used.
 *
 * A leg keeps two remotes apart: `spec` holds what the control plane asked
 * for (SL_LEG_F_REMOTE_KNOWN only when a remote was given), `latched[]` what
 * the dataplane learned from media (SL_EVT_LEG_LATCHED), RTP and RTCP each.
 * A re-add sends the latched ones; a modify never overrides a latched remote
 * with an older one.
 */
#ifndef SL_CP_LEGS_H
#define SL_CP_LEGS_H

#include <stdbool.h>
#include <stdint.h>

#include "sl_ipc_types.h"

/* Who made a leg, kept in the top byte of the leg's cookie so that it
 * survives a control-plane restart (the dataplane echoes cookies back). */
enum cp_leg_owner {
	CP_LEG_OWNER_NONE = 0,
	CP_LEG_OWNER_CTL = 1,      /* sluicectl flows add */
	CP_LEG_OWNER_SIP = 2,
	CP_LEG_OWNER_H323 = 3,
};
#define CP_LEG_COOKIE_OWNER_SHIFT 56

enum cp_leg_state {
	CP_LEG_FREE = 0,
	CP_LEG_ADDING,          /* LEG_ADD sent, no ack yet */
	CP_LEG_PROGRAMMED,      /* the attached dataplane acknowledged it */
	CP_LEG_UNPROGRAMMED,    /* wanted, not in the dataplane: detached,
				 * or its re-add was refused */
	CP_LEG_UNCONFIRMED,     /* LEG_ADD never acknowledged: the next
				 * reconcile finds out whether it exists */
	CP_LEG_DELETING,        /* LEG_DEL sent, no ack yet */
	CP_LEG_DEL_UNCONFIRMED, /* LEG_DEL never acknowledged */
	CP_LEG_STATE_MAX
};

struct cp_latch {
	uint32_t addr;             /* network order */
	uint16_t port;
	bool valid;
};

struct cp_leg {
	struct sl_leg_spec spec;   /* as asked for (see above) */
	struct cp_latch latched[2]; /* [enum sl_component] */
	uint8_t state;             /* enum cp_leg_state */
	uint8_t last_result;       /* enum sl_result of its last refusal */
	bool busy;                 /* a command for it awaits its ack */
};

struct cp_legs {
	struct cp_leg *leg;        /* [capacity + 1] */
	uint32_t capacity;
	uint32_t n;                /* not FREE */
	uint32_t programmed;       /* state PROGRAMMED */
	uint32_t cursor;           /* where cp_legs_alloc_id() looks next */
};

/* 0, or -1 with errno (ENOMEM, EINVAL for a zero capacity). */
int cp_legs_init(struct cp_legs *s, uint32_t capacity);
void cp_legs_fini(struct cp_legs *s);

/* The leg with this id, NULL when the id is free or out of range. */
struct cp_leg *cp_legs_get(struct cp_legs *s, uint32_t id);
const struct cp_leg *cp_legs_cget(const struct cp_legs *s, uint32_t id);

/*
 * A free id in 1..min(capacity, limit), searched round-robin from the last
 * one handed out (so a just-deleted id is not reused at once); 0 when full.
 */
uint32_t cp_legs_alloc_id(struct cp_legs *s, uint32_t limit);

/*
 * Takes `spec` (its leg_id must be free and in range) in state `st`.
 * Returns the entry, or NULL when the id is taken or out of range.
 */
struct cp_leg *cp_legs_put(struct cp_legs *s, const struct sl_leg_spec *spec,
			   enum cp_leg_state st);

/* Changes a leg's state, keeping the counts right. */
void cp_legs_set_state(struct cp_legs *s, struct cp_leg *l,
		       enum cp_leg_state st);

void cp_legs_remove(struct cp_legs *s, uint32_t id);

/* The next used id after `after` (0 starts), 0 at the end. */
uint32_t cp_legs_next(const struct cp_legs *s, uint32_t after);

/* Records a remote the dataplane learned from media. */
void cp_leg_latch(struct cp_leg *l, unsigned component, uint32_t addr,
		  uint16_t port);
/* The latched remotes a dumped spec carries, into the leg. */
void cp_leg_latch_from(struct cp_leg *l, const struct sl_leg_spec *d);
/* A dumped spec with its latched remotes taken out (what cp asked for). */
void cp_leg_spec_unlatched(const struct sl_leg_spec *d, struct sl_leg_spec *out);

/*
 * The spec to send: for LEG_ADD the latched remote (flagged LATCHED) when
 * there is one; for LEG_MOD the asked-for remote only, and none at all once
 * the leg latched, so the dataplane keeps what it learned.
 */
void cp_leg_spec_for_add(const struct cp_leg *l, struct sl_leg_spec *out);
void cp_leg_spec_for_mod(const struct cp_leg *l, struct sl_leg_spec *out);

enum cp_leg_owner cp_leg_owner(const struct sl_leg_spec *spec);
uint64_t cp_leg_cookie(enum cp_leg_owner owner, uint32_t created_s);

const char *cp_leg_state_name(unsigned st);
const char *cp_leg_owner_name(unsigned owner);
const char *cp_leg_kind_name(unsigned kind);

#endif /* SL_CP_LEGS_H */
