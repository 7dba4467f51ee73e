/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sl_shm.h — the per-instance shared-memory object (layout in
 * sl_ipc_types.h): created by sluice-dp, attached by sluice-cp and sluicectl.
 */
#ifndef SLUICE_SHM_H
#define SLUICE_SHM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_ipc_types.h"
#include "sl_ring.h"

#define SL_SHM_NAME_MAX 80

/* One process's mapping of the object. */
struct sl_shm {
	struct sl_shm_hdr *hdr;
	struct sl_ring *cmd;
	struct sl_ring *evt;
	struct sl_shm_counters *ctr;
	size_t size;
	char name[SL_SHM_NAME_MAX];   /* "/sluice-<instance>" */
	bool owner;                   /* the creator unlinks it */
};

/* The size of each message this build knows, indexed by enum sl_msg_index. */
void sl_msg_sizes(uint32_t out[SL_MSGI_MAX]);

/* The name of the message at `idx` ("sl_cmd_leg"), for error messages. */
const char *sl_msg_index_name(unsigned idx);

/* "/sluice-<instance>" into buf; -1 when it does not fit. */
int sl_shm_name(char *buf, size_t cap, const char *instance);

/*
 * Dataplane side: makes a fresh object (any stale one of a dataplane that
 * died is replaced: the caller holds the instance lock), formats the rings,
 * stamps a new generation and leaves state = SL_DP_STARTING.
 * Returns 0, or -1 with errno and a message in err.
 */
int sl_shm_create(struct sl_shm *shm, const char *instance,
		  uint32_t cmd_slots, uint32_t evt_slots,
		  char *err, size_t errlen);

/* Marks the object stopped, unmaps it and (creator) unlinks the name. */
void sl_shm_destroy(struct sl_shm *shm);

/*
 * Control side: maps the object of `instance` and checks magic, ABI version
 * and every message size against this build. Returns 0, or -1 with errno
 * (ENOENT: no dataplane; EPROTO: ABI mismatch; EBADMSG: not ours) and a
 * message naming the mismatch in err.
 */
int sl_shm_attach(struct sl_shm *shm, const char *instance,
		  char *err, size_t errlen);

void sl_shm_detach(struct sl_shm *shm);

/*
 * True while the dataplane behind an attached object is alive and serving:
 * state RUNNING and its pid exists. A restarted dataplane makes a new
 * object; the old mapping then reports false and stays readable.
 */
bool sl_shm_dp_alive(const struct sl_shm *shm);

/* snprintf into an optional error buffer (err may be NULL). */
void sl_errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Nanoseconds of CLOCK_MONOTONIC / CLOCK_REALTIME. */
uint64_t sl_mono_ns(void);
uint64_t sl_real_ns(void);

/*
 * Counters area, a seqlock: one writer (the dataplane's service lcore)
 * publishes a set of named values; readers copy a consistent snapshot.
 */
void sl_counters_publish(struct sl_shm_counters *c,
			 const struct sl_counter *v, uint32_t n);
int sl_counters_read(const struct sl_shm_counters *c,
		     struct sl_shm_counters *out);

/* Readable names of enum values, for logs and sluicectl. */
const char *sl_result_name(unsigned result);
const char *sl_cmd_name(unsigned type);
const char *sl_evt_name(unsigned type);
const char *sl_latch_name(unsigned latch);
const char *sl_leg_drop_name(unsigned why);  /* enum sl_leg_drop */
const char *sl_dp_state_name(unsigned state);

#endif /* SLUICE_SHM_H */
