/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_reconcile.h — what to do so that the dataplane's legs and the control
 * plane's agree, decided by a pure function over two lists.
 *
 *   control plane's legs (what it wants)   dataplane's dump (what it has)
 *            sorted by id  ──────────┐   ┌──────────  sorted by id
 *                                    ▼   ▼
 *                               cp_reconcile()
 *                                    │
 *              one action per id: same, adopt, re-add, modify, ...
 *
 * The control plane is the authority for the fields it set; the dataplane is
 * the authority for what it learned (a latched remote) and for legs the
 * control plane does not know about (a restarted control plane adopts
 * them). Per id:
 *
 *   cp intent   dp has it                       dp lacks it
 *   KEEP        same | modify | replace         re-add
 *   MAYBE       adopt (an add whose ack never   forget
 *               came: it did happen)
 *   GONE        delete (a delete whose ack      forget
 *               never came: send it again)
 *   (none)      adopt                           —
 *
 * "replace" (delete, then add) is for a leg whose kind, interface, local
 * port or receive multiplexID differ: LEG_MOD may not change those.
 */
#ifndef SL_CP_RECONCILE_H
#define SL_CP_RECONCILE_H

#include <stddef.h>
#include <stdint.h>

#include "sl_ipc_types.h"

enum cp_recon_intent {
	CP_RECON_KEEP = 0,      /* wanted in the dataplane */
	CP_RECON_MAYBE,         /* added, never acknowledged */
	CP_RECON_GONE,          /* deleted, never acknowledged */
};

/* One leg as the control plane sees it. */
struct cp_recon_leg {
	struct sl_leg_spec spec; /* as asked for: REMOTE_KNOWN only when a
				  * remote was given */
	uint8_t intent;          /* enum cp_recon_intent */
};

enum cp_recon_kind {
	CP_RECON_SAME = 0,      /* agree: the dp's latched remote is kept */
	CP_RECON_ADOPT,         /* take the dp's leg into the store */
	CP_RECON_READD,         /* LEG_ADD the control plane's leg */
	CP_RECON_MODIFY,        /* LEG_MOD: a changeable field differs */
	CP_RECON_REPLACE,       /* LEG_DEL then LEG_ADD: a fixed field differs */
	CP_RECON_DELETE,        /* LEG_DEL: the control plane deleted it */
	CP_RECON_FORGET,        /* drop from the store: never happened */
	CP_RECON_KIND_MAX
};

#define CP_RECON_NONE UINT32_MAX

struct cp_recon_action {
	uint32_t leg_id;
	uint32_t cp_idx;        /* index into the cp list, or CP_RECON_NONE */
	uint32_t dp_idx;        /* index into the dp list, or CP_RECON_NONE */
	uint8_t kind;           /* enum cp_recon_kind */
};

struct cp_recon_counts {
	uint32_t n[CP_RECON_KIND_MAX];
};

/*
 * Both lists sorted by leg_id, ids unique. Writes one action per distinct
 * id into `out` (room for n_cp + n_dp) and counts them. Returns the number
 * of actions, or -1 with errno EINVAL when a list is not sorted or has a
 * duplicate (nothing is then to be applied).
 */
long cp_reconcile(const struct cp_recon_leg *cp, size_t n_cp,
		  const struct sl_leg_spec *dp, size_t n_dp,
		  struct cp_recon_action *out, struct cp_recon_counts *counts);

/* Sorts a dump by leg id (qsort). */
void cp_recon_sort(struct sl_leg_spec *v, size_t n);

/* True when the fields LEG_MOD may not change agree. */
int cp_recon_fixed_eq(const struct sl_leg_spec *cp,
		      const struct sl_leg_spec *dp);

/* True when the changeable fields agree; a remote the dataplane latched
 * is its own business and is not compared. */
int cp_recon_changeable_eq(const struct sl_leg_spec *cp,
			   const struct sl_leg_spec *dp);

const char *cp_recon_kind_name(unsigned kind);

#endif /* SL_CP_RECONCILE_H */
