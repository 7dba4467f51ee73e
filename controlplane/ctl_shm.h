/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_shm.h — sluicectl's look at the dataplane's shared-memory object:
 * header fields, ring fill and the published counters, copied out and the
 * object unmapped again. Read only in spirit (the ABI check maps it
 * read-write): sluicectl never enqueues or dequeues; the event ring has one
 * consumer, sluice-cp.
 */
#ifndef SL_CTL_SHM_H
#define SL_CTL_SHM_H

#include <stdbool.h>
#include <stdint.h>

#include "sl_shm.h"

struct ctl_shm_view {
	bool present;             /* the object exists and passed the check */
	char error[400];          /* why not, when it exists but was refused */
	char name[SL_SHM_NAME_MAX];
	struct sl_shm_hdr hdr;    /* a copy */
	bool dp_alive;
	uint64_t heartbeat_age_ms;
	uint32_t cmd_used, evt_used;
	uint64_t cmd_full, cmd_skipped, evt_full;
	bool have_counters;
	struct sl_shm_counters ctr;
};

/* Fill `v` for `instance`; absence is not an error (present = false). */
void ctl_shm_read(const char *instance, struct ctl_shm_view *v);

/* Text lines under "sluice-dp", and the "ipc" member of --json. */
void ctl_shm_print(const struct ctl_shm_view *v);
void ctl_shm_json(const struct ctl_shm_view *v);

#endif /* SL_CTL_SHM_H */
