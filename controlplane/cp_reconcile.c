/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_reconcile.c — the reconcile decision (see cp_reconcile.h): a merge of
 * two id-sorted lists, one action per id. No I/O, no state.
 */
#include "cp_reconcile.h"

#include <errno.h>
#include <stdlib.h>

static int spec_cmp_id(const void *a, const void *b)
{
	uint32_t x = ((const struct sl_leg_spec *)a)->leg_id;
	uint32_t y = ((const struct sl_leg_spec *)b)->leg_id;

	return x < y ? -1 : x > y;
}

void cp_recon_sort(struct sl_leg_spec *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), spec_cmp_id);
}

int cp_recon_fixed_eq(const struct sl_leg_spec *cp,
		      const struct sl_leg_spec *dp)
{
	return cp->kind == dp->kind && cp->iface == dp->iface &&
	       cp->local_port == dp->local_port &&
	       cp->mux_id_rx == dp->mux_id_rx &&
	       (cp->flags & SL_LEG_F_RTCP_MUX) == (dp->flags & SL_LEG_F_RTCP_MUX);
}

/*
 * A remote is compared only when the control plane named one and the
 * dataplane has not replaced it by a latched one (which LEG_MOD could not
 * undo anyway without forgetting what the dataplane learned).
 */
static int remote_eq(const struct sl_leg_spec *cp, const struct sl_leg_spec *dp)
{
	if (!(cp->flags & SL_LEG_F_REMOTE_KNOWN) ||
	    (dp->flags & SL_LEG_F_LATCHED))
		return 1;
	return (dp->flags & SL_LEG_F_REMOTE_KNOWN) &&
	       cp->remote_addr == dp->remote_addr &&
	       cp->remote_port == dp->remote_port;
}

int cp_recon_changeable_eq(const struct sl_leg_spec *cp,
			   const struct sl_leg_spec *dp)
{
	return cp->peer_leg_id == dp->peer_leg_id && cp->latch == dp->latch &&
	       cp->mux_id_tx == dp->mux_id_tx &&
	       cp->idle_timeout_s == dp->idle_timeout_s &&
	       cp->relatch_ms == dp->relatch_ms &&
	       (cp->flags & SL_LEG_F_KEEPALIVE) ==
	       (dp->flags & SL_LEG_F_KEEPALIVE) &&
	       cp->keepalive_pt == dp->keepalive_pt &&
	       cp->cookie == dp->cookie && remote_eq(cp, dp);
}

static enum cp_recon_kind decide(const struct cp_recon_leg *c,
				 const struct sl_leg_spec *d)
{
	if (c == NULL)
		return CP_RECON_ADOPT;
	switch (c->intent) {
	case CP_RECON_MAYBE:
		return d ? CP_RECON_ADOPT : CP_RECON_FORGET;
	case CP_RECON_GONE:
		return d ? CP_RECON_DELETE : CP_RECON_FORGET;
	default:
		break;
	}
	if (d == NULL)
		return CP_RECON_READD;
	if (!cp_recon_fixed_eq(&c->spec, d))
		return CP_RECON_REPLACE;
	if (!cp_recon_changeable_eq(&c->spec, d))
		return CP_RECON_MODIFY;
	return CP_RECON_SAME;
}

static int cp_sorted(const struct cp_recon_leg *v, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (v[i - 1].spec.leg_id >= v[i].spec.leg_id)
			return 0;
	return 1;
}

static int dp_sorted(const struct sl_leg_spec *v, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (v[i - 1].leg_id >= v[i].leg_id)
			return 0;
	return 1;
}

long cp_reconcile(const struct cp_recon_leg *cp, size_t n_cp,
		  const struct sl_leg_spec *dp, size_t n_dp,
		  struct cp_recon_action *out, struct cp_recon_counts *counts)
{
	size_t i = 0, k = 0, n = 0;

	*counts = (struct cp_recon_counts){ 0 };
	if (!cp_sorted(cp, n_cp) || !dp_sorted(dp, n_dp)) {
		errno = EINVAL;
		return -1;
	}
	while (i < n_cp || k < n_dp) {
		struct cp_recon_action *a = &out[n++];
		const struct cp_recon_leg *c = NULL;
		const struct sl_leg_spec *d = NULL;

		if (k == n_dp ||
		    (i < n_cp && cp[i].spec.leg_id <= dp[k].leg_id))
			c = &cp[i];
		if (i == n_cp ||
		    (k < n_dp && dp[k].leg_id <= cp[i].spec.leg_id))
			d = &dp[k];
		a->leg_id = c ? c->spec.leg_id : d->leg_id;
		a->cp_idx = c ? (uint32_t)i++ : CP_RECON_NONE;
		a->dp_idx = d ? (uint32_t)k++ : CP_RECON_NONE;
		a->kind = (uint8_t)decide(c, d);
		counts->n[a->kind]++;
	}
	return (long)n;
}

const char *cp_recon_kind_name(unsigned kind)
{
	static const char *const names[CP_RECON_KIND_MAX] = {
		[CP_RECON_SAME] = "same",
		[CP_RECON_ADOPT] = "adopt",
		[CP_RECON_READD] = "re-add",
		[CP_RECON_MODIFY] = "modify",
		[CP_RECON_REPLACE] = "replace",
		[CP_RECON_DELETE] = "delete",
		[CP_RECON_FORGET] = "forget",
	};

	return kind < CP_RECON_KIND_MAX ? names[kind] : "?";
}
