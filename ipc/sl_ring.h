/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sl_ring.h — a bounded ring of fixed-size message slots in shared memory,
 * safe for many producers and many consumers in any number of processes
 * (D. Vyukov's bounded MPMC queue: one sequence word per slot, one CAS per
 * operation, no locks, nothing that points outside the object).
 *
 *   struct sl_ring  (cache line)  enq_pos
 *                   (cache line)  deq_pos
 *                   (cache line)  slots, mask, counters
 *   slot[0..slots)   { seq, msg[256] }
 *
 * Slot i is free for the producer at position p when seq == p, full for the
 * consumer at p when seq == p + 1; the consumer hands it back to the producer
 * of the next lap with seq = p + slots. A producer that claimed a slot and
 * died before publishing it leaves the ring stuck at that slot: the consumer
 * sees it with sl_ring_stalled() and, once it knows that producer is dead,
 * steps over it with sl_ring_skip().
 */
#ifndef SLUICE_RING_H
#define SLUICE_RING_H

#include <stddef.h>
#include <stdint.h>

#include "sl_ipc_types.h"

struct sl_ring_slot {
	uint64_t seq;
	uint64_t pad0;
	union sl_msg msg;
};

struct sl_ring {
	uint64_t enq_pos __attribute__((aligned(64)));
	uint64_t deq_pos __attribute__((aligned(64)));
	uint32_t slots __attribute__((aligned(64)));
	uint32_t mask;
	uint64_t enq_full;      /* enqueue attempts that found the ring full */
	uint64_t skipped;       /* slots stepped over (dead producer) */
	struct sl_ring_slot slot[] __attribute__((aligned(64)));
};

/* Counters a sender keeps of its own sends. */
struct sl_ring_send_stats {
	uint64_t sent;
	uint64_t retries;       /* attempts that found the ring full */
	uint64_t failed;        /* gave up: the ring stayed full */
};

/* Bytes a ring of `slots` slots (a power of two) occupies. */
size_t sl_ring_size(uint32_t slots);

/* Formats a ring in place; `slots` must be a power of two >= 2. */
int sl_ring_init(struct sl_ring *r, uint32_t slots);

/*
 * Copies `len` bytes (<= SL_MSG_SLOT_SIZE) into the next slot.
 * Returns 0, or -1 with errno = ENOBUFS when the ring is full (nothing
 * written) or EMSGSIZE when the message does not fit a slot.
 */
int sl_ring_enqueue(struct sl_ring *r, const void *msg, size_t len);

/*
 * sl_ring_enqueue(), retried with exponential back-off (spin, then sleeps
 * from 1 µs doubling to 1 ms) for at most `max_wait_us`. Returns 0, or -1
 * with errno = ENOBUFS when the ring stayed full; `st` counts both.
 */
int sl_ring_enqueue_backoff(struct sl_ring *r, const void *msg, size_t len,
			    unsigned max_wait_us,
			    struct sl_ring_send_stats *st);

/* Takes the oldest message into `out`; returns 0, or -1 when empty. */
int sl_ring_dequeue(struct sl_ring *r, union sl_msg *out);

/* Messages waiting (an estimate when producers run concurrently). */
uint32_t sl_ring_count(const struct sl_ring *r);

/*
 * True when the consumer's next slot was claimed by a producer that has not
 * published it yet. Momentary under load; permanent if that producer died.
 */
int sl_ring_stalled(const struct sl_ring *r);

/*
 * Steps over the stalled slot at the consumer position. Only for a consumer
 * that knows the claiming producer is gone (its process has exited): a live
 * producer publishing afterwards would corrupt the ring.
 */
void sl_ring_skip(struct sl_ring *r);

#endif /* SLUICE_RING_H */
