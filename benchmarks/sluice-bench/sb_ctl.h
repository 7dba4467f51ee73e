/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sb_ctl.h — sluice-bench as the dataplane's control plane: it attaches to
 * /dev/shm/sluice-<instance> (ipc/), sends LEG_ADD / LEG_DEL commands and
 * reads their acknowledgements. The event ring has one reader, so this
 * refuses an instance a live sluice-cp is attached to.
 *
 * Commands are pipelined: at most `window` (below the ring's 4096 slots)
 * are unacknowledged at a time; a full command ring is waited out, never
 * dropped. Every acknowledgement is matched to its command by sequence
 * number, and refusals are counted and the first one kept for the report.
 */
#ifndef SLUICE_SB_CTL_H
#define SLUICE_SB_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include "sl_shm.h"

#define SB_CTL_WINDOW 2048u   /* a power of two, below the ring size */

struct sb_ctl_slot {
	uint32_t seq;            /* 0: free */
	uint16_t type;
	uint8_t not_found_ok;
	uint32_t leg_id;
	uint64_t sent_ns;
};

struct sb_ctl {
	struct sl_shm shm;
	bool attached;
	uint32_t seq;
	uint32_t inflight;
	struct sb_ctl_slot slot[SB_CTL_WINDOW];
	uint64_t sent, acked, refused, lost;
	uint64_t events_other;   /* latched, idle, overflow: not ours */
	char first_error[200];
};

/* Attach and claim the event ring; -1 with a reason in err. */
int sb_ctl_attach(struct sb_ctl *c, const char *instance, char *err,
		  size_t errlen);
void sb_ctl_detach(struct sb_ctl *c);

/* Queue one command (h.seq and h.len are filled in); waits for room in
 * the window and the ring. -1 when the dataplane went away or stopped
 * answering for `timeout_ms`. */
int sb_ctl_send(struct sb_ctl *c, union sl_msg *m, size_t len,
		bool not_found_ok, unsigned timeout_ms);

/* Waits until every command is acknowledged; -1 on timeout. */
int sb_ctl_flush(struct sb_ctl *c, unsigned timeout_ms);

/* A round trip: PING and its ACK; -1 on timeout. */
int sb_ctl_ping(struct sb_ctl *c, unsigned timeout_ms);

#endif
