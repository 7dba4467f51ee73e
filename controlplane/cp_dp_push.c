/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_dp_push.c — TURN settings sluice-cp owns and keeps the dataplane in
 * step with, one command each (ABI 5):
 *
 *   TURN_SECRET     turn.rest_secret (and turn.rest_secret_grace): after
 *                   every credential reconcile (each attach, each reload
 *                   that touched the credentials or the secret)
 *   TURN_ALTERNATE  the cluster peer with the most room (cp_cluster.c):
 *                   after every attach and whenever the choice changes
 *
 *   set dirty ──► READY, none of its kind in flight? ──► send ──► ACK
 *                                  │ ring full: next tick    │ no ack, lost:
 *                                  └─────────────────────────┘ dirty again
 *
 * The dataplane treats a repeated value as no change, so sending the same
 * one again after a resync costs nothing and never re-arms the REST grace.
 */
#include "cp_dp_int.h"

#include <string.h>

#include <openssl/crypto.h>

#include "cp_log.h"

void cp_dp_turn_secret_changed(struct cp_dp *dp)
{
	dp->push.secret_dirty = true;
}

void cp_dp_turn_alternate(struct cp_dp *dp, uint32_t addr, uint16_t port,
			  uint32_t room)
{
	struct cp_dp_push *p = &dp->push;

	if (addr == p->alt_addr && port == p->alt_port)
		return;  /* the room alone changing is not worth a command */
	p->alt_addr = addr;
	p->alt_port = port;
	p->alt_room = room;
	p->alt_dirty = true;
}

void cp_dp_push_attached(struct cp_dp *dp)
{
	dp->push.secret_dirty = true;
	dp->push.alt_dirty = true;
	dp->push.secret_inflight = dp->push.alt_inflight = false;
}

static void secret_send(struct cp_dp *dp)
{
	const struct sl_config *cfg = dp->cfg;
	struct cp_dp_cmd meta = { .type = SL_CMD_TURN_SECRET };
	union sl_msg m;
	size_t len = strlen(cfg->turn.rest_secret);

	memset(&m, 0, sizeof(m));
	if (len > SL_SECRET_MAX) {   /* the schema allows 128: cannot be */
		CP_ERR("turn.rest_secret longer than the dataplane's %u bytes; "
		       "not sent", SL_SECRET_MAX);
		dp->push.secret_dirty = false;
		return;
	}
	m.turn_secret.len = (uint32_t)len;
	m.turn_secret.grace_s = cfg->turn.rest_secret_grace_s;
	memcpy(m.turn_secret.secret, cfg->turn.rest_secret, len);
	if (cp_dp_cmd_send(dp, &m, sizeof(m.turn_secret), &meta, false, NULL,
			   0) == 0) {
		dp->push.secret_dirty = false;
		dp->push.secret_inflight = true;
	}
	OPENSSL_cleanse(&m, sizeof(m));
}

static void alternate_send(struct cp_dp *dp)
{
	struct cp_dp_cmd meta = { .type = SL_CMD_TURN_ALTERNATE };
	union sl_msg m;

	memset(&m, 0, sizeof(m));
	m.turn_alternate.addr = dp->push.alt_addr;
	m.turn_alternate.port = dp->push.alt_port;
	m.turn_alternate.room = dp->push.alt_room;
	if (cp_dp_cmd_send(dp, &m, sizeof(m.turn_alternate), &meta, false,
			   NULL, 0) == 0) {
		dp->push.alt_dirty = false;
		dp->push.alt_inflight = true;
	}
}

void cp_dp_push_advance(struct cp_dp *dp)
{
	if (dp->push.secret_dirty && !dp->push.secret_inflight)
		secret_send(dp);
	if (dp->push.alt_dirty && !dp->push.alt_inflight)
		alternate_send(dp);
}

void cp_dp_push_done(struct cp_dp *dp, const struct cp_dp_cmd *c,
		     enum cp_dp_outcome outcome, unsigned result)
{
	bool secret = c->type == SL_CMD_TURN_SECRET;
	bool *inflight = secret ? &dp->push.secret_inflight :
			 &dp->push.alt_inflight;
	bool *dirty = secret ? &dp->push.secret_dirty : &dp->push.alt_dirty;

	*inflight = false;
	if (outcome == CP_DP_ACKED && result == SL_OK) {
		dp->push.sent[secret ? 0 : 1]++;
		return;
	}
	if (outcome == CP_DP_ACKED) {
		/* refused: sending it again would be refused again */
		dp->push.refused++;
		CP_ERR("the dataplane refused %s: %s", sl_cmd_name(c->type),
		       sl_result_name(result));
		return;
	}
	if (outcome == CP_DP_NO_ACK)
		*dirty = true;  /* lost: the next attach sends it anyway */
}
