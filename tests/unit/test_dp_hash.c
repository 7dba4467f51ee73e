/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_dp_hash.c — dataplane/dp_hash.c, the flow tables' hash, both key
 * kinds (uint32 multiplexIDs and IPv4 5-tuples):
 *
 *   test_dp_hash CASE
 *
 *   basic            add / lookup / lookup_burst / del, error codes
 *   full             the capacity-th + 1 add is refused; room again after a
 *                    delete
 *   reinsert         random add / del / re-add against a reference model on
 *                    a small, full table (so that entries are moved)
 *   same-signature   keys forced into one bucket with one signature; keys
 *                    sharing both buckets and the signature (overflow path);
 *                    an overflow group counted past its 4 bits
 *   reuse-race       a reader stopped between reading a key and its value
 *                    while the writer deletes the key and reuses the slot
 *                    for another: the reader must not return the new value
 *                    (5t; burst and single lookups; deterministic)
 *   move-race        a reader stopped after missing a key in its primary
 *                    while the writer moves the key from its secondary into
 *                    that primary: the reader must still find it (u32;
 *                    burst and single; deterministic)
 *   concurrent       one writer thread churning (add / del, moves) while
 *                    two reader threads look up: a reader never sees a wrong
 *                    value and never misses a key that is always present
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dp_hash.h"

static int failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__,         \
				__LINE__, #cond);                              \
			failures++;                                            \
		}                                                              \
	} while (0)

/* --- keys ------------------------------------------------------------------- */

/* xorshift64*: reproducible, per thread. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(0x2545f4914f6cdd1d);
}

/* Distinct keys for distinct i: fmix32 is a bijection on 32 bits. */
static uint32_t
key_u32(uint32_t i)
{
	i ^= i >> 16;
	i *= 0x85ebca6bu;
	i ^= i >> 13;
	i *= 0xc2b2ae35u;
	i ^= i >> 16;
	return i;
}

/* Distinct 5-tuples for distinct i: the source address is key_u32(i). */
static struct dp_hash_5t_key
key_5t(uint32_t i)
{
	return dp_hash_5t_key_make(key_u32(i), 0xc0000201u /* fixed peer */,
				   (uint16_t)(i * 7919u), 3478, 17);
}

/*
 * The two kinds behind one interface, so that every case runs on both.
 * Keys are named by an index i; key_u32(i) / key_5t(i).
 */
struct table {
	const char *kind;
	struct dp_hash_u32 *u;
	struct dp_hash_5t *t;
};

static int
t_create(struct table *tb, const char *kind, uint32_t capacity, uint64_t seed)
{
	memset(tb, 0, sizeof(*tb));
	tb->kind = kind;
	if (strcmp(kind, "u32") == 0)
		tb->u = dp_hash_u32_create(capacity, seed);
	else
		tb->t = dp_hash_5t_create(capacity, seed);
	return tb->u != NULL || tb->t != NULL ? 0 : -1;
}

static void
t_destroy(struct table *tb)
{
	dp_hash_u32_destroy(tb->u);
	dp_hash_5t_destroy(tb->t);
}

static int
t_add(struct table *tb, uint32_t i, uint32_t value)
{
	struct dp_hash_5t_key k = key_5t(i);

	return tb->u ? dp_hash_u32_add(tb->u, key_u32(i), value) :
		       dp_hash_5t_add(tb->t, &k, value);
}

static int
t_del(struct table *tb, uint32_t i)
{
	struct dp_hash_5t_key k = key_5t(i);

	return tb->u ? dp_hash_u32_del(tb->u, key_u32(i)) :
		       dp_hash_5t_del(tb->t, &k);
}

static uint32_t
t_lookup(const struct table *tb, uint32_t i)
{
	struct dp_hash_5t_key k = key_5t(i);

	return tb->u ? dp_hash_u32_lookup(tb->u, key_u32(i)) :
		       dp_hash_5t_lookup(tb->t, &k);
}

#define BURST 32

/* Burst lookup of the keys named by idx[0..n). */
static unsigned
t_lookup_burst(const struct table *tb, const uint32_t *idx, unsigned n,
	       uint32_t *values)
{
	uint32_t ku[BURST];
	struct dp_hash_5t_key kt[BURST];
	unsigned i;

	for (i = 0; i < n; i++) {
		ku[i] = key_u32(idx[i]);
		kt[i] = key_5t(idx[i]);
	}
	return tb->u ? dp_hash_u32_lookup_burst(tb->u, ku, n, values) :
		       dp_hash_5t_lookup_burst(tb->t, kt, n, values);
}

static void
t_stats(const struct table *tb, struct dp_hash_stats *st)
{
	if (tb->u)
		dp_hash_u32_stats(tb->u, st);
	else
		dp_hash_5t_stats(tb->t, st);
}

static const char *const kinds[] = { "u32", "5t" };
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

/* Every key of [0, n) looked up one by one and in bursts (bursts of every
 * length, so that each lane position is exercised) against want[]. */
static void
check_all(const struct table *tb, const uint32_t *want, uint32_t n)
{
	uint32_t idx[BURST], got[BURST], i, j, len, hits, exp_hits;

	for (i = 0; i < n; i++)
		if (t_lookup(tb, i) != want[i]) {
			fprintf(stderr, "%s: key %" PRIu32 ": lookup %" PRIu32
				", want %" PRIu32 "\n", tb->kind, i,
				t_lookup(tb, i), want[i]);
			failures++;
		}
	for (i = 0, len = 1; i < n; i += len, len = len % BURST + 1) {
		uint32_t m = n - i < len ? n - i : len;

		exp_hits = 0;
		for (j = 0; j < m; j++) {
			idx[j] = i + j;
			exp_hits += want[i + j] != DP_HASH_NONE;
		}
		hits = t_lookup_burst(tb, idx, m, got);
		CHECK(hits == exp_hits);
		for (j = 0; j < m; j++)
			if (got[j] != want[i + j]) {
				fprintf(stderr, "%s: key %" PRIu32 " in a burst "
					"of %" PRIu32 " (lane %" PRIu32 "): %"
					PRIu32 ", want %" PRIu32 "\n", tb->kind,
					i + j, m, j, got[j], want[i + j]);
				failures++;
			}
	}
}

/* --- cases ------------------------------------------------------------------- */

static void
case_basic(const char *kind)
{
	enum { CAP = 1000, UNIVERSE = 1500 };
	static uint32_t want[UNIVERSE];
	struct dp_hash_stats st;
	struct table tb;
	uint32_t i;

	CHECK(t_create(&tb, kind, CAP, 1) == 0);
	for (i = 0; i < UNIVERSE; i++)
		want[i] = DP_HASH_NONE;
	check_all(&tb, want, UNIVERSE);
	for (i = 0; i < CAP; i++) {
		CHECK(t_add(&tb, i, i * 3) == 0);
		want[i] = i * 3;
	}
	check_all(&tb, want, UNIVERSE);
	CHECK(t_add(&tb, 5, 77) == -EEXIST);
	CHECK(t_lookup(&tb, 5) == 15);
	CHECK(t_add(&tb, CAP + 1, DP_HASH_NONE) == -EINVAL);
	CHECK(t_del(&tb, CAP + 1) == -ENOENT);
	for (i = 0; i < CAP; i += 2) {
		CHECK(t_del(&tb, i) == 0);
		want[i] = DP_HASH_NONE;
	}
	CHECK(t_del(&tb, 0) == -ENOENT);
	check_all(&tb, want, UNIVERSE);
	t_stats(&tb, &st);
	CHECK(st.entries == CAP / 2);
	CHECK(st.capacity == CAP);
	CHECK(st.slots >= CAP * 4 / 3);
	CHECK(st.bytes >= st.buckets * 64u);
	/* value 0 and value NONE - 1 are ordinary values */
	CHECK(t_add(&tb, 0, 0) == 0);
	CHECK(t_add(&tb, 2, DP_HASH_NONE - 1) == 0);
	want[0] = 0;
	want[2] = DP_HASH_NONE - 1;
	check_all(&tb, want, UNIVERSE);
	t_destroy(&tb);

	CHECK(dp_hash_u32_create(0, 1) == NULL && errno == EINVAL);
	CHECK(dp_hash_5t_create(DP_HASH_CAPACITY_MAX + 1, 1) == NULL &&
	      errno == EINVAL);
	if (strcmp(kind, "u32") == 0) {
		/* key 0xffffffff looks like the free-slot pattern */
		struct dp_hash_u32 *h = dp_hash_u32_create(8, 3);

		CHECK(h != NULL);
		CHECK(dp_hash_u32_lookup(h, UINT32_MAX) == DP_HASH_NONE);
		CHECK(dp_hash_u32_add(h, UINT32_MAX, 9) == 0);
		CHECK(dp_hash_u32_lookup(h, UINT32_MAX) == 9);
		CHECK(dp_hash_u32_del(h, UINT32_MAX) == 0);
		CHECK(dp_hash_u32_lookup(h, UINT32_MAX) == DP_HASH_NONE);
		dp_hash_u32_destroy(h);
	}
}

static void
case_full(const char *kind)
{
	static const uint32_t caps[] = { 1, 12, 100, 4096, 100000 };
	unsigned c;

	for (c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
		uint32_t cap = caps[c], i;
		struct dp_hash_stats st;
		struct table tb;

		CHECK(t_create(&tb, kind, cap, 7 + c) == 0);
		for (i = 0; i < cap; i++)
			if (t_add(&tb, i, i) != 0) {
				fprintf(stderr, "%s: capacity %" PRIu32 ": add %"
					PRIu32 " refused\n", kind, cap, i);
				failures++;
			}
		CHECK(t_add(&tb, cap, cap) == -ENOSPC);
		CHECK(t_lookup(&tb, cap) == DP_HASH_NONE);
		for (i = 0; i < cap; i++)
			CHECK(t_lookup(&tb, i) == i);
		CHECK(t_del(&tb, cap / 2) == 0);
		CHECK(t_add(&tb, cap, cap) == 0);
		CHECK(t_add(&tb, cap + 1, cap) == -ENOSPC);
		CHECK(t_lookup(&tb, cap) == cap);
		CHECK(t_lookup(&tb, cap / 2) == DP_HASH_NONE);
		t_stats(&tb, &st);
		CHECK(st.entries == cap);
		CHECK(st.add_full == 0);
		t_destroy(&tb);
	}
}

static void
case_reinsert(const char *kind)
{
	enum { CAP = 48, UNIVERSE = 96, OPS = 200000 };
	uint32_t want[UNIVERSE], n = 0, i, gen = 0;
	struct dp_hash_stats st;
	uint64_t s = 42;
	struct table tb;
	unsigned op;

	CHECK(t_create(&tb, kind, CAP, 11) == 0);
	for (i = 0; i < UNIVERSE; i++)
		want[i] = DP_HASH_NONE;
	for (op = 0; op < OPS; op++) {
		uint32_t k = (uint32_t)(rnd(&s) % UNIVERSE);
		int rc;

		if (want[k] != DP_HASH_NONE) {
			CHECK(t_del(&tb, k) == 0);
			want[k] = DP_HASH_NONE;
			n--;
			/* and straight back with a new value, half the time */
			if (rnd(&s) & 1)
				continue;
		}
		rc = t_add(&tb, k, ++gen);
		if (n < CAP) {
			CHECK(rc == 0);
			want[k] = gen;
			n++;
		} else {
			CHECK(rc == -ENOSPC);
		}
		if (t_lookup(&tb, k) != want[k]) {
			fprintf(stderr, "%s: op %u: key %" PRIu32 ": %" PRIu32
				", want %" PRIu32 "\n", kind, op, k,
				t_lookup(&tb, k), want[k]);
			failures++;
		}
		if (op % 256 == 0)
			check_all(&tb, want, UNIVERSE);
	}
	check_all(&tb, want, UNIVERSE);
	t_stats(&tb, &st);
	CHECK(st.entries == n);
	/* a full table at 75% of its slots must have moved entries */
	CHECK(st.moves > 0);
	fprintf(stderr, "%s reinsert: %u ops, %" PRIu64 " moves, %" PRIu32
		" in secondary\n", kind, OPS, st.moves, st.in_secondary);
	t_destroy(&tb);
}

/* 5-tuple keys with one primary bucket and one signature: the lookup must
 * tell them apart by the key. */
static void
same_sig_5t(void)
{
	enum { N = 7 };
	struct dp_hash_5t *h = dp_hash_5t_create(24, 5);
	struct dp_hash_5t_key k[N], lone[BURST];
	struct dp_hash_where w0, w;
	uint32_t got[BURST], i, n = 0, idx;

	CHECK(h != NULL);
	w0 = dp_hash_5t_where(h, &(struct dp_hash_5t_key){ 0 });
	for (idx = 0; n < N && idx < UINT32_C(100000000); idx++) {
		k[n] = key_5t(idx);
		w = dp_hash_5t_where(h, &k[n]);
		if (w.primary == w0.primary && w.sig == w0.sig)
			n++;
	}
	CHECK(n == N);
	/* all but the last in; the last one is a colliding miss */
	for (i = 0; i + 1 < N; i++)
		CHECK(dp_hash_5t_add(h, &k[i], 100 + i) == 0);
	for (i = 0; i + 1 < N; i++)
		CHECK(dp_hash_5t_lookup(h, &k[i]) == 100 + i);
	CHECK(dp_hash_5t_lookup(h, &k[N - 1]) == DP_HASH_NONE);
	/* candidates compare no key: every key of the signature, the absent
	 * one too, gets the first lane's value (the caller confirms); a key
	 * whose primary has no lane of its signature gets none */
	dp_hash_5t_candidates_burst(h, k, N, got);
	for (i = 0; i < N; i++)
		CHECK(got[i] == 100);
	do {
		lone[0] = key_5t(++idx);
		w = dp_hash_5t_where(h, &lone[0]);
	} while (w.primary == w0.primary);
	dp_hash_5t_candidates_burst(h, lone, 1, got);
	CHECK(got[0] == DP_HASH_NONE);      /* its primary is empty */
	for (i = 0; i < N; i++)
		lone[i] = k[N - 1 - i];
	CHECK(dp_hash_5t_lookup_burst(h, lone, N, got) == N - 1);
	CHECK(got[0] == DP_HASH_NONE);
	for (i = 1; i < N; i++)
		CHECK(got[i] == 100 + (N - 1 - i));
	CHECK(dp_hash_5t_del(h, &k[2]) == 0);
	CHECK(dp_hash_5t_lookup(h, &k[2]) == DP_HASH_NONE);
	CHECK(dp_hash_5t_lookup(h, &k[3]) == 103);
	CHECK(dp_hash_5t_add(h, &k[N - 1], 200) == 0);
	CHECK(dp_hash_5t_add(h, &k[2], 300) == 0);
	for (i = 0; i < N; i++)
		CHECK(dp_hash_5t_lookup(h, &k[i]) ==
		      (i == 2 ? 300u : i == N - 1 ? 200u : 100 + i));
	dp_hash_5t_destroy(h);
}

/* Two buckets in all: every key shares both buckets, 12 share a signature
 * too, so four must live in their secondary (overflow path). */
static void
same_buckets_5t(void)
{
	enum { N = 12 };
	struct dp_hash_5t *h = dp_hash_5t_create(N, 9);
	struct dp_hash_5t_key k[N + 1];
	struct dp_hash_where w0, w;
	struct dp_hash_stats st;
	uint32_t got[N + 1], i, n = 0, idx;

	CHECK(h != NULL);
	dp_hash_5t_stats(h, &st);
	CHECK(st.buckets == 2);
	w0 = dp_hash_5t_where(h, &(struct dp_hash_5t_key){ 0 });
	for (idx = 0; n < N + 1 && idx < UINT32_C(100000000); idx++) {
		k[n] = key_5t(idx);
		w = dp_hash_5t_where(h, &k[n]);
		if (w.primary == w0.primary && w.sig == w0.sig)
			n++;
	}
	CHECK(n == N + 1);
	for (i = 0; i < N; i++)
		CHECK(dp_hash_5t_add(h, &k[i], i) == 0);
	CHECK(dp_hash_5t_add(h, &k[N], N) == -ENOSPC);
	dp_hash_5t_stats(h, &st);
	CHECK(st.in_secondary == 4);
	CHECK(dp_hash_5t_lookup_burst(h, k, N + 1, got) == N);
	for (i = 0; i < N; i++)
		CHECK(got[i] == i && dp_hash_5t_lookup(h, &k[i]) == i);
	CHECK(got[N] == DP_HASH_NONE);
	/* the four secondary residents' candidates come from their primary:
	 * a value of another key, never a value not in the table */
	dp_hash_5t_candidates_burst(h, k, N + 1, got);
	for (i = 0; i <= N; i++)
		CHECK(got[i] < N);
	/* a secondary resident leaves, then a primary one: still all found */
	CHECK(dp_hash_5t_del(h, &k[N - 1]) == 0);
	CHECK(dp_hash_5t_del(h, &k[0]) == 0);
	CHECK(dp_hash_5t_add(h, &k[N], N) == 0);
	for (i = 1; i <= N; i++)
		CHECK(dp_hash_5t_lookup(h, &k[i]) ==
		      (i == N - 1 ? DP_HASH_NONE : i));
	dp_hash_5t_destroy(h);
}

/* More uint32 keys for one primary bucket than it has slots (7). */
static void
same_bucket_u32(void)
{
	enum { N = 12 };
	struct dp_hash_u32 *h = dp_hash_u32_create(1000, 13);
	uint32_t k[N], got[N], i, n = 0, idx;
	struct dp_hash_where w0;
	struct dp_hash_stats st;

	CHECK(h != NULL);
	w0 = dp_hash_u32_where(h, 0);
	for (idx = 1; n < N && idx < UINT32_C(100000000); idx++)
		if (dp_hash_u32_where(h, key_u32(idx)).primary == w0.primary)
			k[n++] = key_u32(idx);
	CHECK(n == N);
	for (i = 0; i < N; i++)
		CHECK(dp_hash_u32_add(h, k[i], i) == 0);
	dp_hash_u32_stats(h, &st);
	CHECK(st.in_secondary >= N - 7);
	CHECK(dp_hash_u32_lookup_burst(h, k, N, got) == N);
	for (i = 0; i < N; i++)
		CHECK(got[i] == i && dp_hash_u32_lookup(h, k[i]) == i);
	for (i = 0; i < N; i += 3)
		CHECK(dp_hash_u32_del(h, k[i]) == 0);
	for (i = 0; i < N; i++)
		CHECK(dp_hash_u32_lookup(h, k[i]) ==
		      (i % 3 == 0 ? DP_HASH_NONE : i));
	dp_hash_u32_destroy(h);
}

/*
 * 7 + 16 uint32 keys with one primary bucket and one overflow group: 16
 * live in their secondaries, one more than the group's 4-bit count holds,
 * so it saturates and stays "always look". Lookups stay exact throughout.
 */
static void
overflow_saturates_u32(void)
{
	enum { N = 7 + 16 };
	struct dp_hash_u32 *h = dp_hash_u32_create(1000, 17);
	uint32_t k[N], got[N], i, n = 0, idx, round;
	struct dp_hash_where w0, w;
	struct dp_hash_stats st;

	CHECK(h != NULL);
	w0 = dp_hash_u32_where(h, key_u32(0));
	k[n++] = key_u32(0);
	for (idx = 1; n < N && idx < UINT32_C(100000000); idx++) {
		w = dp_hash_u32_where(h, key_u32(idx));
		if (w.primary == w0.primary && w.group == w0.group)
			k[n++] = key_u32(idx);
	}
	CHECK(n == N);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < N; i++)
			CHECK(dp_hash_u32_add(h, k[i], i + round) == 0);
		dp_hash_u32_stats(h, &st);
		CHECK(st.in_secondary == N - 7);
		CHECK(dp_hash_u32_lookup_burst(h, k, N, got) == N);
		for (i = 0; i < N; i++)
			CHECK(got[i] == i + round &&
			      dp_hash_u32_lookup(h, k[i]) == i + round);
		for (i = 0; i < N; i++)
			CHECK(dp_hash_u32_del(h, k[i]) == 0);
		CHECK(dp_hash_u32_lookup_burst(h, k, N, got) == 0);
		dp_hash_u32_stats(h, &st);
		CHECK(st.entries == 0 && st.in_secondary == 0);
	}
	dp_hash_u32_destroy(h);
}

static void
case_same_signature(const char *kind)
{
	if (strcmp(kind, "u32") == 0) {
		same_bucket_u32();
		overflow_saturates_u32();
	} else {
		same_sig_5t();
		same_buckets_5t();
	}
}

/* --- reuse race: a reader stopped between two loads ------------------------ */

static int pause_armed = -1;       /* the point to stop at, once */
static int pause_reached, pause_release;

void
dp_hash_test_pause(enum dp_hash_pause point)
{
	if (__atomic_load_n(&pause_armed, __ATOMIC_ACQUIRE) != (int)point)
		return;
	__atomic_store_n(&pause_armed, -1, __ATOMIC_RELAXED);
	__atomic_store_n(&pause_reached, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&pause_release, __ATOMIC_ACQUIRE))
		sched_yield();
}

struct race_reader {
	struct dp_hash_5t *h;
	struct dp_hash_5t_key key;
	bool burst;
	uint32_t got;
};

static void *
race_reader_main(void *p)
{
	struct race_reader *r = p;

	if (r->burst)
		dp_hash_5t_lookup_burst(r->h, &r->key, 1, &r->got);
	else
		r->got = dp_hash_5t_lookup(r->h, &r->key);
	return NULL;
}

/*
 * K is alone in its primary bucket (lane 0). The reader compares K's key,
 * stops; the writer deletes K and adds K2, which has the same primary and
 * so takes lane 0; the reader goes on and reads lane 0's value, now K2's.
 * It must notice (the bucket's version moved) and answer "no K".
 */
static void
reuse_race(bool burst)
{
	struct dp_hash_5t *h = dp_hash_5t_create(24, 23);
	struct race_reader r = { .h = h, .burst = burst };
	struct dp_hash_5t_key k2;
	struct dp_hash_where w, w2;
	pthread_t t;
	uint32_t idx;

	CHECK(h != NULL);
	r.key = key_5t(0);
	w = dp_hash_5t_where(h, &r.key);
	for (idx = 1; idx < 1000000; idx++) {
		k2 = key_5t(idx);
		w2 = dp_hash_5t_where(h, &k2);
		if (w2.primary == w.primary)
			break;
	}
	CHECK(w2.primary == w.primary);
	CHECK(dp_hash_5t_add(h, &r.key, 111) == 0);
	pause_reached = 0;
	pause_release = 0;
	__atomic_store_n(&pause_armed, burst ? DP_HASH_PAUSE_5T_BURST_KEY :
			 DP_HASH_PAUSE_5T_FIND_KEY, __ATOMIC_RELEASE);
	CHECK(pthread_create(&t, NULL, race_reader_main, &r) == 0);
	while (!__atomic_load_n(&pause_reached, __ATOMIC_ACQUIRE))
		sched_yield();
	CHECK(dp_hash_5t_del(h, &r.key) == 0);
	CHECK(dp_hash_5t_add(h, &k2, 222) == 0);
	__atomic_store_n(&pause_release, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	if (r.got != DP_HASH_NONE) {
		fprintf(stderr, "reuse-race (%s): the reader returned %" PRIu32
			" for a deleted key (222 is the new key's value)\n",
			burst ? "burst" : "single", r.got);
		failures++;
	}
	CHECK(dp_hash_5t_lookup(h, &k2) == 222);
	dp_hash_5t_destroy(h);
}

struct race_reader_u32 {
	struct dp_hash_u32 *h;
	uint32_t key;
	bool burst;
	uint32_t got;
};

static void *
race_reader_u32_main(void *p)
{
	struct race_reader_u32 *r = p;

	if (r->burst)
		dp_hash_u32_lookup_burst(r->h, &r->key, 1, &r->got);
	else
		r->got = dp_hash_u32_lookup(r->h, r->key);
	return NULL;
}

/* n keys (by index, from *idx on) whose primary bucket is `bucket`. */
static void
keys_with_primary(const struct dp_hash_u32 *h, uint32_t bucket, uint32_t *out,
		  unsigned n, uint32_t *idx)
{
	unsigned got = 0;

	while (got < n && *idx < UINT32_C(100000000))
		if (dp_hash_u32_where(h, key_u32(++*idx)).primary == bucket)
			out[got++] = key_u32(*idx);
	CHECK(got == n);
}

/*
 * K lives in its secondary S (its primary P was full); one slot of P is
 * then freed. The reader searches P, misses, stops. The writer fills S and
 * the other bucket Y of a new key X, so that adding X moves K from S (lane
 * 0, the first the search looks at) into P: K's overflow count in P drops
 * to 0. The reader goes on, sees no overflow, and must still not answer
 * "no K": P's version moved, so it looks again.
 */
static void
move_race(bool burst)
{
	struct dp_hash_u32 *h = dp_hash_u32_create(1000, 29);
	struct race_reader_u32 r = { .h = h, .burst = burst };
	uint32_t p_keys[7], s_keys[6], y_keys[7], x = 0, idx = 1000;
	struct dp_hash_where wk, wx;
	struct dp_hash_stats st;
	unsigned i;
	pthread_t t;

	CHECK(h != NULL);
	r.key = key_u32(0);
	wk = dp_hash_u32_where(h, r.key);
	keys_with_primary(h, wk.primary, p_keys, 7, &idx);
	keys_with_primary(h, wk.secondary, s_keys, 6, &idx);
	do {      /* X: primary S, its secondary Y apart from P */
		x = key_u32(++idx);
		wx = dp_hash_u32_where(h, x);
	} while (wx.primary != wk.secondary || wx.secondary == wk.primary);
	keys_with_primary(h, wx.secondary, y_keys, 7, &idx);

	for (i = 0; i < 7; i++)
		CHECK(dp_hash_u32_add(h, p_keys[i], 10 + i) == 0);
	CHECK(dp_hash_u32_add(h, r.key, 1) == 0);     /* into S, lane 0 */
	CHECK(dp_hash_u32_del(h, p_keys[0]) == 0);    /* room in P */
	for (i = 0; i < 6; i++)
		CHECK(dp_hash_u32_add(h, s_keys[i], 20 + i) == 0);
	for (i = 0; i < 7; i++)
		CHECK(dp_hash_u32_add(h, y_keys[i], 30 + i) == 0);
	dp_hash_u32_stats(h, &st);
	CHECK(st.in_secondary == 1 && st.moves == 0);

	pause_reached = 0;
	pause_release = 0;
	__atomic_store_n(&pause_armed, burst ?
			 DP_HASH_PAUSE_U32_BURST_SCANNED :
			 DP_HASH_PAUSE_U32_FIND_SCANNED, __ATOMIC_RELEASE);
	CHECK(pthread_create(&t, NULL, race_reader_u32_main, &r) == 0);
	while (!__atomic_load_n(&pause_reached, __ATOMIC_ACQUIRE))
		sched_yield();
	CHECK(dp_hash_u32_add(h, x, 2) == 0);          /* moves K into P */
	__atomic_store_n(&pause_release, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	dp_hash_u32_stats(h, &st);
	CHECK(st.moves == 1 && st.in_secondary == 0);
	if (r.got != 1) {
		fprintf(stderr, "move-race (%s): the reader returned %" PRIu32
			" for a key that was present throughout\n",
			burst ? "burst" : "single", r.got);
		failures++;
	}
	CHECK(dp_hash_u32_lookup(h, r.key) == 1 && dp_hash_u32_lookup(h, x) == 2);
	dp_hash_u32_destroy(h);
}

static void
case_move_race(const char *kind)
{
	if (strcmp(kind, "u32") != 0)
		return;
	move_race(true);
	move_race(false);
}

static void
case_reuse_race(const char *kind)
{
	/* u32 slots are one 64-bit word: a torn key/value cannot happen */
	if (strcmp(kind, "5t") != 0)
		return;
	reuse_race(true);
	reuse_race(false);
}

/* --- concurrent: one writer, two readers ---------------------------------- */

/*
 * Keys [0, stable) are always present, value stable_value(i). Keys
 * [stable, stable + churn) come and go, value i << 8 | generation. Keys
 * from stable + churn on are never added. The writer keeps the table at
 * its capacity, so that adds move entries, the always-present ones too.
 * The small table concentrates the moves on few buckets, so that readers
 * often look a key up while it moves; the larger one spreads them.
 */
struct conc_cfg {
	uint32_t cap, stable, churn, never;
	unsigned long run_ms;
};

static const struct conc_cfg conc_cfgs[] = {
	{ .cap = 64, .stable = 32, .churn = 64, .never = 32, .run_ms = 1000 },
	{ .cap = 4096, .stable = 2048, .churn = 4096, .never = 2048,
	  .run_ms = 1000 },
};

struct shared {
	struct table tb;
	const struct conc_cfg *cfg;
	int stop;                   /* writer done: readers finish */
	uint64_t writer_ops;
	uint64_t reader_lookups[2];
	uint64_t reader_errors[2];
};

struct reader_arg {
	struct shared *sh;
	unsigned id;
};

static uint32_t
stable_value(uint32_t i)
{
	return i * 5 + 1;
}

static bool
value_ok(const struct conc_cfg *cf, uint32_t i, uint32_t v, bool burst)
{
	bool ok;

	if (i < cf->stable)
		ok = v == stable_value(i);
	else if (i < cf->stable + cf->churn)
		ok = v == DP_HASH_NONE || v >> 8 == i;
	else
		ok = v == DP_HASH_NONE;
	if (!ok)
		fprintf(stderr, "concurrent: key %" PRIu32 " (%s): %s value %"
			PRIu32 "\n", i, i < cf->stable ? "always present" :
			i < cf->stable + cf->churn ? "churned" : "never added",
			burst ? "burst" : "single", v);
	return ok;
}

static void *
reader(void *p)
{
	struct reader_arg *a = p;
	struct shared *sh = a->sh;
	const struct conc_cfg *cf = sh->cfg;
	uint32_t universe = cf->stable + cf->churn + cf->never;
	uint64_t s = 1000 + a->id, lookups = 0, errors = 0;
	uint32_t idx[BURST], got[BURST];
	unsigned j, round = 0;

	while (!__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE)) {
		/* half the bursts only always-present keys: those must
		 * never miss, even while they move */
		uint32_t span = round % 2 ? universe : cf->stable;

		for (j = 0; j < BURST; j++)
			idx[j] = (uint32_t)(rnd(&s) % span);
		if (round++ % 4 == 0) {
			for (j = 0; j < BURST; j++)
				errors += !value_ok(cf, idx[j],
					t_lookup(&sh->tb, idx[j]), false);
		} else {
			t_lookup_burst(&sh->tb, idx, BURST, got);
			for (j = 0; j < BURST; j++)
				errors += !value_ok(cf, idx[j], got[j], true);
		}
		lookups += BURST;
		if (errors > 20)
			break;
	}
	sh->reader_lookups[a->id] = lookups;
	sh->reader_errors[a->id] = errors;
	return NULL;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void *
writer(void *p)
{
	struct shared *sh = p;
	const struct conc_cfg *cf = sh->cfg;
	uint8_t *present = calloc(cf->churn, 1);
	uint32_t n = cf->stable, gen = 0;
	uint64_t s = 99, ops = 0, end = now_ms() + cf->run_ms;

	if (present == NULL)
		abort();
	while (now_ms() < end) {
		unsigned burst;

		for (burst = 0; burst < 256; burst++, ops++) {
			uint32_t c = (uint32_t)(rnd(&s) % cf->churn);
			uint32_t i = cf->stable + c;

			if (present[c]) {
				if (t_del(&sh->tb, i) != 0) {
					fprintf(stderr, "concurrent: del %"
						PRIu32 " failed\n", i);
					failures++;
				}
				present[c] = 0;
				n--;
			} else if (n < cf->cap) {
				if (t_add(&sh->tb, i, i << 8 |
					  (++gen & 0xff)) != 0) {
					fprintf(stderr, "concurrent: add %"
						PRIu32 " failed at %" PRIu32
						" entries\n", i, n);
					failures++;
				}
				present[c] = 1;
				n++;
			}
		}
	}
	free(present);
	sh->writer_ops = ops;
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void
concurrent_run(const char *kind, const struct conc_cfg *cf)
{
	struct shared sh;
	struct reader_arg ra[2];
	struct dp_hash_stats st;
	pthread_t w, r[2];
	uint32_t i;
	unsigned j;

	memset(&sh, 0, sizeof(sh));
	sh.cfg = cf;
	CHECK(t_create(&sh.tb, kind, cf->cap, 21) == 0);
	for (i = 0; i < cf->stable; i++)
		CHECK(t_add(&sh.tb, i, stable_value(i)) == 0);
	for (j = 0; j < 2; j++) {
		ra[j] = (struct reader_arg){ .sh = &sh, .id = j };
		CHECK(pthread_create(&r[j], NULL, reader, &ra[j]) == 0);
	}
	CHECK(pthread_create(&w, NULL, writer, &sh) == 0);
	pthread_join(w, NULL);
	for (j = 0; j < 2; j++)
		pthread_join(r[j], NULL);
	t_stats(&sh.tb, &st);
	fprintf(stderr, "%s concurrent, capacity %" PRIu32 ": writer %" PRIu64
		" ops, %" PRIu64 " moves; readers %" PRIu64 " + %" PRIu64
		" lookups, %" PRIu64 " + %" PRIu64 " errors\n", kind, cf->cap,
		sh.writer_ops, st.moves, sh.reader_lookups[0],
		sh.reader_lookups[1], sh.reader_errors[0], sh.reader_errors[1]);
	CHECK(sh.reader_errors[0] == 0 && sh.reader_errors[1] == 0);
	CHECK(sh.reader_lookups[0] > 0 && sh.reader_lookups[1] > 0);
	CHECK(sh.writer_ops > 0);
	CHECK(st.moves > 0);           /* the readers raced with moves */
	/* quiet again: everything exact */
	for (i = 0; i < cf->stable; i++)
		CHECK(t_lookup(&sh.tb, i) == stable_value(i));
	t_destroy(&sh.tb);
}

static void
case_concurrent(const char *kind)
{
	unsigned c;

	for (c = 0; c < sizeof(conc_cfgs) / sizeof(conc_cfgs[0]); c++)
		concurrent_run(kind, &conc_cfgs[c]);
}

/* --- main ----------------------------------------------------------------------- */

static const struct {
	const char *name;
	void (*run)(const char *kind);
} cases[] = {
	{ "basic", case_basic },
	{ "full", case_full },
	{ "reinsert", case_reinsert },
	{ "same-signature", case_same_signature },
	{ "reuse-race", case_reuse_race },
	{ "move-race", case_move_race },
	{ "concurrent", case_concurrent },
};

int
main(int argc, char **argv)
{
	unsigned c, k;
	bool found = false;

	if (argc != 2) {
		fprintf(stderr, "usage: test_dp_hash CASE\ncases:");
		for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
			fprintf(stderr, " %s", cases[c].name);
		fprintf(stderr, "\n");
		return 2;
	}
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		if (strcmp(argv[1], cases[c].name) != 0)
			continue;
		found = true;
		for (k = 0; k < N_KINDS; k++)
			cases[c].run(kinds[k]);
	}
	if (!found) {
		fprintf(stderr, "test_dp_hash: no case \"%s\"\n", argv[1]);
		return 2;
	}
	if (failures)
		fprintf(stderr, "test_dp_hash %s: %d failure(s)\n", argv[1],
			failures);
	return failures ? 1 : 0;
}
