/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_dp_int.h — what cp_dp.c (attach, commands, events) and cp_dp_sync.c
 * (dumps, reconcile, credentials) share. Not for other modules.
 */
#ifndef SL_CP_DP_INT_H
#define SL_CP_DP_INT_H

#include "cp_dp.h"

#define CP_DP_MS (1000ull * 1000ull)   /* nanoseconds in a millisecond */

/*
 * Puts `m` (type set, the rest filled) on the command ring as a new
 * command with `meta`'s bookkeeping. `wait`: back off up to
 * CP_DP_SEND_WAIT_US on a full ring (an owner's command) or give up at
 * once (reconcile commands, retried next tick). 0, or -1 with errno and,
 * if err is given, a sentence.
 */
int cp_dp_cmd_send(struct cp_dp *dp, union sl_msg *m, size_t len,
		   const struct cp_dp_cmd *meta, bool wait,
		   char *err, size_t errlen);

/* Milliseconds since the dataplane's last heartbeat. */
uint64_t cp_dp_heartbeat_age_ms(const struct cp_dp *dp);

/* --- cp_dp_sync.c ------------------------------------------------------- */

/* Each tick after the events: start, pace and finish reconciles. */
void cp_dp_sync_advance(struct cp_dp *dp);

/* Events that belong to a running dump; false when not ours. */
bool cp_dp_sync_leg_info(struct cp_dp *dp, const struct sl_evt_leg_info *e);
bool cp_dp_sync_cred_info(struct cp_dp *dp, const struct sl_evt_cred_info *e);
bool cp_dp_sync_latched(struct cp_dp *dp, const struct sl_evt_leg_latched *e);

/* A reconcile command completed (c->job != CP_JOB_NONE). */
void cp_dp_sync_cmd_done(struct cp_dp *dp, const struct cp_dp_cmd *c,
			 enum cp_dp_outcome outcome, unsigned result,
			 uint64_t value);

/* Detached: drop the running reconcile. */
void cp_dp_sync_reset(struct cp_dp *dp);

void cp_dp_sync_free(struct cp_dp *dp);

/* --- cp_dp_push.c --------------------------------------------------------- */

/* A new attach: every pushed setting goes out again. */
void cp_dp_push_attached(struct cp_dp *dp);
/* READY, each tick: send what is dirty. */
void cp_dp_push_advance(struct cp_dp *dp);
/* A TURN_SECRET or TURN_ALTERNATE completed. */
void cp_dp_push_done(struct cp_dp *dp, const struct cp_dp_cmd *c,
		     enum cp_dp_outcome outcome, unsigned result);

#endif /* SL_CP_DP_INT_H */
