/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sl_ring.c — the shared-memory message ring (see sl_ring.h for the layout
 * and the slot protocol).
 *
 * Memory ordering: a producer claims position p with a relaxed CAS on
 * enq_pos, writes the message and publishes with a release store of
 * seq = p + 1; the consumer's acquire load of seq makes the message visible.
 * Symmetrically the consumer frees the slot with a release store of
 * seq = p + slots, which the producer of the next lap loads with acquire
 * before it overwrites the message. The builtins are lock-free on 64-bit
 * words and address-free, so they hold across processes.
 */
#include "sl_ring.h"

#include <errno.h>
#include <string.h>
#include <time.h>

size_t
sl_ring_size(uint32_t slots)
{
	return sizeof(struct sl_ring) +
	       (size_t)slots * sizeof(struct sl_ring_slot);
}

int
sl_ring_init(struct sl_ring *r, uint32_t slots)
{
	uint32_t i;

	if (slots < 2 || (slots & (slots - 1)) != 0) {
		errno = EINVAL;
		return -1;
	}
	memset(r, 0, sizeof(*r));
	r->slots = slots;
	r->mask = slots - 1;
	for (i = 0; i < slots; i++) {
		memset(&r->slot[i], 0, sizeof(r->slot[i]));
		__atomic_store_n(&r->slot[i].seq, i, __ATOMIC_RELAXED);
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	return 0;
}

int
sl_ring_enqueue(struct sl_ring *r, const void *msg, size_t len)
{
	struct sl_ring_slot *s;
	uint64_t pos, seq;
	int64_t dif;

	if (len > SL_MSG_SLOT_SIZE) {
		errno = EMSGSIZE;
		return -1;
	}
	pos = __atomic_load_n(&r->enq_pos, __ATOMIC_RELAXED);
	for (;;) {
		s = &r->slot[pos & r->mask];
		seq = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
		dif = (int64_t)(seq - pos);
		if (dif == 0) {
			if (__atomic_compare_exchange_n(&r->enq_pos, &pos,
							pos + 1, 1,
							__ATOMIC_RELAXED,
							__ATOMIC_RELAXED))
				break;
		} else if (dif < 0) {
			__atomic_fetch_add(&r->enq_full, 1, __ATOMIC_RELAXED);
			errno = ENOBUFS;
			return -1;
		} else {
			pos = __atomic_load_n(&r->enq_pos, __ATOMIC_RELAXED);
		}
	}
	memcpy(&s->msg, msg, len);
	if (len < sizeof(s->msg))
		memset(s->msg.raw + len, 0, sizeof(s->msg) - len);
	__atomic_store_n(&s->seq, pos + 1, __ATOMIC_RELEASE);
	return 0;
}

static inline void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

static void
backoff_sleep(unsigned us)
{
	struct timespec ts = { .tv_sec = us / 1000000,
			       .tv_nsec = (long)(us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

int
sl_ring_enqueue_backoff(struct sl_ring *r, const void *msg, size_t len,
			unsigned max_wait_us, struct sl_ring_send_stats *st)
{
	unsigned waited = 0, step = 1;
	int spins = 64;

	for (;;) {
		if (sl_ring_enqueue(r, msg, len) == 0) {
			st->sent++;
			return 0;
		}
		if (errno != ENOBUFS)
			return -1;
		st->retries++;
		if (spins > 0) {
			spins--;
			cpu_relax();
			continue;
		}
		if (waited >= max_wait_us) {
			st->failed++;
			errno = ENOBUFS;
			return -1;
		}
		backoff_sleep(step);
		waited += step;
		if (step < 1000)
			step *= 2;
	}
}

int
sl_ring_dequeue(struct sl_ring *r, union sl_msg *out)
{
	struct sl_ring_slot *s;
	uint64_t pos, seq;
	int64_t dif;

	pos = __atomic_load_n(&r->deq_pos, __ATOMIC_RELAXED);
	for (;;) {
		s = &r->slot[pos & r->mask];
		seq = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
		dif = (int64_t)(seq - (pos + 1));
		if (dif == 0) {
			if (__atomic_compare_exchange_n(&r->deq_pos, &pos,
							pos + 1, 1,
							__ATOMIC_RELAXED,
							__ATOMIC_RELAXED))
				break;
		} else if (dif < 0) {
			return -1;
		} else {
			pos = __atomic_load_n(&r->deq_pos, __ATOMIC_RELAXED);
		}
	}
	memcpy(out, &s->msg, sizeof(*out));
	__atomic_store_n(&s->seq, pos + r->mask + 1, __ATOMIC_RELEASE);
	return 0;
}

uint32_t
sl_ring_count(const struct sl_ring *r)
{
	uint64_t e = __atomic_load_n(&r->enq_pos, __ATOMIC_RELAXED);
	uint64_t d = __atomic_load_n(&r->deq_pos, __ATOMIC_RELAXED);

	return e > d ? (uint32_t)(e - d) : 0;
}

int
sl_ring_stalled(const struct sl_ring *r)
{
	uint64_t d = __atomic_load_n(&r->deq_pos, __ATOMIC_ACQUIRE);
	uint64_t e = __atomic_load_n(&r->enq_pos, __ATOMIC_ACQUIRE);
	uint64_t seq = __atomic_load_n(&r->slot[d & r->mask].seq,
				       __ATOMIC_ACQUIRE);

	/* Claimed (enq_pos moved past it) but still holding the free mark. */
	return e > d && seq == d;
}

void
sl_ring_skip(struct sl_ring *r)
{
	uint64_t d = __atomic_load_n(&r->deq_pos, __ATOMIC_RELAXED);
	struct sl_ring_slot *s = &r->slot[d & r->mask];

	__atomic_store_n(&r->deq_pos, d + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&s->seq, d + r->mask + 1, __ATOMIC_RELEASE);
	__atomic_fetch_add(&r->skipped, 1, __ATOMIC_RELAXED);
}
