/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_ipc_ring.c — the shared-memory message ring (ipc/sl_ring.h) on its
 * own, in one process:
 *
 *   many producers   4 threads enqueue into a 64-slot ring while one
 *                    consumer drains it: every message arrives exactly once
 *                    and each producer's messages in the order it sent them
 *   full             the (slots+1)-th enqueue is refused with ENOBUFS and
 *                    counted; the back-off variant gives up and counts
 *   stalled + skip   a producer that claimed a slot and died stops the
 *                    consumer there; sl_ring_stalled() says so and
 *                    sl_ring_skip() steps over it, after which the ring
 *                    keeps its order through many laps
 *   counters         the seqlock publishes a consistent snapshot
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_ring.h"
#include "sl_shm.h"

#define PRODUCERS 4
#define PER_PRODUCER 50000u   /* bounded under a loaded 2-CPU CI box */
#define MT_SLOTS 256

static int failures;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n",       \
				__FILE__, __LINE__, #cond);                \
			failures++;                                        \
		}                                                          \
	} while (0)

static struct sl_ring *ring_new(uint32_t slots)
{
	size_t size = (sl_ring_size(slots) + 63) & ~(size_t)63;
	struct sl_ring *r = aligned_alloc(64, size);

	if (r == NULL || sl_ring_init(r, slots) != 0) {
		fprintf(stderr, "ring of %u slots: %s\n", slots,
			strerror(errno));
		exit(1);
	}
	return r;
}

static union sl_msg msg_of(uint32_t producer, uint32_t n)
{
	union sl_msg m;

	memset(&m, 0, sizeof(m));
	m.h.type = SL_CMD_PING;
	m.h.len = sizeof(m.ping);
	m.h.seq = n + 1;
	m.ping.sent_ns = ((uint64_t)producer << 32) | n;
	return m;
}

/* --- many producers, one consumer ------------------------------------------ */

struct producer {
	pthread_t tid;
	struct sl_ring *r;
	uint32_t id;
	uint64_t full;          /* times it found the ring full */
};

static void *produce(void *arg)
{
	struct producer *p = arg;
	uint32_t n;

	for (n = 0; n < PER_PRODUCER; n++) {
		union sl_msg m = msg_of(p->id, n);

		while (sl_ring_enqueue(p->r, &m, m.h.len) != 0) {
			if (errno != ENOBUFS) {
				fprintf(stderr, "enqueue: %s\n",
					strerror(errno));
				return NULL;
			}
			p->full++;
			sched_yield();
		}
	}
	return NULL;
}

static void test_mpsc(void)
{
	struct sl_ring *r = ring_new(MT_SLOTS);
	struct producer p[PRODUCERS];
	uint32_t next[PRODUCERS] = { 0 };
	uint64_t got = 0, full = 0, idle = 0;
	unsigned i, bad_order = 0, bad_msg = 0;
	union sl_msg m;

	for (i = 0; i < PRODUCERS; i++) {
		p[i] = (struct producer){ .r = r, .id = i };
		CHECK(pthread_create(&p[i].tid, NULL, produce, &p[i]) == 0);
	}
	while (got < (uint64_t)PRODUCERS * PER_PRODUCER && idle < 200000000) {
		uint32_t who, n;

		if (sl_ring_dequeue(r, &m) != 0) {
			/* a producer preempted between claiming its slot and
			 * filling it holds the ring up: give it the CPU (this
			 * machine runs five threads of this test on two) */
			if ((++idle & 63) == 0)
				sched_yield();
			continue;
		}
		got++;
		who = (uint32_t)(m.ping.sent_ns >> 32);
		n = (uint32_t)m.ping.sent_ns;
		if (who >= PRODUCERS || m.h.type != SL_CMD_PING ||
		    m.h.seq != n + 1) {
			bad_msg++;
			continue;
		}
		if (n != next[who])
			bad_order++;
		next[who] = n + 1;
	}
	for (i = 0; i < PRODUCERS; i++) {
		pthread_join(p[i].tid, NULL);
		full += p[i].full;
		CHECK(next[i] == PER_PRODUCER);
	}
	CHECK(got == (uint64_t)PRODUCERS * PER_PRODUCER);
	CHECK(bad_msg == 0);
	CHECK(bad_order == 0);
	CHECK(sl_ring_dequeue(r, &m) == -1);
	CHECK(sl_ring_count(r) == 0);
	CHECK(r->enq_full == full);
	printf("mpsc: %llu messages from %u producers through %u slots, "
	       "ring full %llu times\n", (unsigned long long)got, PRODUCERS,
	       MT_SLOTS, (unsigned long long)full);
	free(r);
}

/* --- full ------------------------------------------------------------------ */

static void test_full(void)
{
	struct sl_ring *r = ring_new(8);
	struct sl_ring_send_stats st = { 0 };
	union sl_msg m = msg_of(0, 0), out;
	char big[SL_MSG_SLOT_SIZE + 1] = { 0 };
	uint32_t i;

	CHECK(sl_ring_init(r, 6) == -1 && errno == EINVAL);
	CHECK(sl_ring_init(r, 8) == 0);
	for (i = 0; i < 8; i++) {
		m = msg_of(0, i);
		CHECK(sl_ring_enqueue(r, &m, m.h.len) == 0);
	}
	CHECK(sl_ring_count(r) == 8);
	CHECK(sl_ring_enqueue(r, &m, m.h.len) == -1 && errno == ENOBUFS);
	CHECK(r->enq_full == 1);
	CHECK(sl_ring_enqueue_backoff(r, &m, m.h.len, 1000, &st) == -1 &&
	      errno == ENOBUFS);
	CHECK(st.failed == 1 && st.retries > 1 && st.sent == 0);
	CHECK(sl_ring_enqueue(r, big, sizeof(big)) == -1 && errno == EMSGSIZE);
	CHECK(sl_ring_dequeue(r, &out) == 0 && out.ping.sent_ns == 0);
	CHECK(sl_ring_enqueue_backoff(r, &m, m.h.len, 1000, &st) == 0);
	CHECK(st.sent == 1);
	/* the rest of a short message's slot is zero, not a stale message */
	for (i = 1; i < 9; i++) {
		CHECK(sl_ring_dequeue(r, &out) == 0);
		CHECK(out.raw[SL_MSG_SLOT_SIZE - 1] == 0);
	}
	CHECK(sl_ring_dequeue(r, &out) == -1);
	free(r);
}

/* --- stalled + skip ---------------------------------------------------------- */

static void test_stalled_skip(void)
{
	struct sl_ring *r = ring_new(8);
	union sl_msg m, out;
	uint32_t i, n = 0;

	for (i = 0; i < 2; i++) {
		m = msg_of(1, i);
		CHECK(sl_ring_enqueue(r, &m, m.h.len) == 0);
	}
	/* a producer claims position 2 and dies before publishing it */
	__atomic_fetch_add(&r->enq_pos, 1, __ATOMIC_RELAXED);
	m = msg_of(1, 3);
	CHECK(sl_ring_enqueue(r, &m, m.h.len) == 0);
	CHECK(!sl_ring_stalled(r));
	CHECK(sl_ring_dequeue(r, &out) == 0 && out.ping.sent_ns == (1ull << 32));
	CHECK(sl_ring_dequeue(r, &out) == 0);
	CHECK(sl_ring_dequeue(r, &out) == -1);   /* stuck at the dead slot */
	CHECK(sl_ring_stalled(r));
	sl_ring_skip(r);
	CHECK(r->skipped == 1 && !sl_ring_stalled(r));
	CHECK(sl_ring_dequeue(r, &out) == 0 &&
	      out.ping.sent_ns == ((1ull << 32) | 3));
	/* the skipped slot is usable again: many laps, in order */
	for (i = 0; i < 100; i++) {
		m = msg_of(2, i);
		CHECK(sl_ring_enqueue(r, &m, m.h.len) == 0);
		if (i % 3 == 2)
			while (sl_ring_dequeue(r, &out) == 0)
				CHECK((uint32_t)out.ping.sent_ns == n++);
	}
	while (sl_ring_dequeue(r, &out) == 0)
		CHECK((uint32_t)out.ping.sent_ns == n++);
	CHECK(n == 100 && !sl_ring_stalled(r));
	free(r);
}

/* --- counters ---------------------------------------------------------------- */

static void test_counters(void)
{
	struct sl_shm_counters *c = calloc(1, sizeof(*c)), *snap;
	struct sl_counter v[2] = { { "legs", 2 }, { "drop.no_leg", 7 } };

	snap = calloc(1, sizeof(*snap));
	CHECK(c != NULL && snap != NULL);
	if (c == NULL || snap == NULL)
		return;
	sl_counters_publish(c, v, 2);
	CHECK(c->seq == 2);
	CHECK(sl_counters_read(c, snap) == 0);
	CHECK(snap->n == 2 && snap->c[1].value == 7 &&
	      strcmp(snap->c[0].name, "legs") == 0);
	c->seq = 3;   /* a writer mid-publication: the reader gives up */
	CHECK(sl_counters_read(c, snap) == -1 && errno == EAGAIN);
	free(c);
	free(snap);
}

int main(void)
{
	test_full();
	test_stalled_skip();
	test_counters();
	test_mpsc();
	if (failures == 0)
		printf("test_ipc_ring: all checks passed\n");
	else
		printf("test_ipc_ring: %d check(s) failed\n", failures);
	return failures == 0 ? 0 : 1;
}
