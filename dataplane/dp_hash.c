/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_hash.c — the flow tables' hash (see dp_hash.h for the contract).
 *
 * Where it sits: the workers look multiplexIDs and 5-tuples up per burst
 * (dp_hash_*_lookup_burst); the service lcore adds and deletes entries as
 * the control plane's commands arrive.
 *
 * Layout, one cache line per bucket:
 *
 *   dp_hash_u32:  | slot0 .. slot6 (key | value << 32) | version | overflow |
 *                   8 B each; value DP_HASH_NONE = free   4 B       4 B
 *
 *   dp_hash_5t:   | sig[8] 16 B | value[8] 32 B | version | overflow | pad |
 *                 keys[]: bucket b lane l at keys[b * 8 + l] (16 B each),
 *                 so a bucket's keys are two cache lines of their own
 *
 * A key hashes to a primary and a secondary bucket (two halves of one
 * 64-bit hash, reduced by multiply-shift, so any bucket count works and the
 * table is sized to exactly 75% of its slots). `overflow` in a bucket counts
 * the entries whose primary it is but which live in their secondary, in 8
 * groups of 4 bits chosen by 3 hash bits, so that a miss reads the
 * secondary only when an entry of its own group overflowed: 4% of misses
 * at full load, against 18% with a single count (measured, 5t, 100k and
 * 1M entries; about 6% of entries live in their secondary). A group that
 * reaches 15 stays there for good: "always look", never wrong.
 *
 * Memory ordering (one writer W, readers R; "rel"/"acq" are C11 release and
 * acquire; everything shared is accessed with __atomic builtins, so there
 * is no data race in the C11 sense):
 *
 *  1. Publication. W writes a lane's key and value, then stores the lane's
 *     signature word (5t) or the whole 64-bit slot (u32) with rel. R loads
 *     that word with acq before it reads the key and value, so a lane R sees
 *     occupied shows the key and value written for it.
 *
 *  2. Reuse. A freed lane is reused at once, without a grace period. Before
 *     W writes any lane of a bucket it increments the bucket's version and
 *     issues a rel fence. R reads the version (acq) before the bucket and
 *     again after an acq fence at the end. If R read any key or value
 *     written after the increment, fence-fence synchronisation makes its
 *     second read see the increment, so the versions differ and R looks
 *     again. If R's first read already saw the increment, the lane was
 *     already free (W only writes free lanes, and freeing came first), so R
 *     either skips the lane or sees the new publication whole. A u32 slot is
 *     one 64-bit word, written and read whole, so a u32 hit needs no check.
 *
 *  3. Moves (cuckoo). W moves an entry from bucket X to its other bucket Y:
 *     writes it into a free lane of Y (rule 2: Y's version moves first), and
 *     if Y is its secondary increments X's overflow (rel); then increments
 *     X's version, rel fence, clears the lane in X; if Y is its primary,
 *     decrements Y's overflow (rel) last. The entry is in X, or in Y, or in
 *     both, never in neither. A reader that misses can still have looked at
 *     Y before the copy and at X after the clear; it re-checks the versions
 *     of the buckets it read (and, between primary and the overflow count,
 *     reads with acq), and one of them has moved, so it looks again. Every
 *     miss is validated; a hit only where its key and value could be torn
 *     (5t).
 *
 *  4. Delete clears the lane (rel) and, for a secondary resident, then
 *     decrements the primary's overflow. It needs no version change: the
 *     lane's key and value stay as they were until the lane is rewritten,
 *     which rule 2 covers.
 *
 *  Readers never wait for the writer: they retry only when a version moved
 *  while they read, which needs the writer to have written that bucket in
 *  those few nanoseconds.
 *
 * What it does not do: resize (capacity is fixed), more than one writer,
 * or hash-flooding resistance beyond a secret 64-bit seed (the multiply-xor
 * mix is not a keyed PRF; the keys here are chosen by the relay or come
 * from authenticated TURN clients).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dp_hash.h"

#define CACHE_LINE   64
#define U32_SLOTS    7
#define T5_SLOTS     8
#define LOAD_PCT     75           /* slots in use at full capacity */
#define BFS_MAX      512          /* buckets the insert may examine */
#define BURST_CHUNK  32           /* lookups hashed and prefetched together */
#define SLOT_FREE    UINT64_MAX   /* u32 slot with value DP_HASH_NONE */

#define LOAD(p)         __atomic_load_n((p), __ATOMIC_RELAXED)
#define LOAD_ACQ(p)     __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define STORE(p, v)     __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define STORE_REL(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define FENCE_ACQ()     __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define FENCE_REL()     __atomic_thread_fence(__ATOMIC_RELEASE)
#define PREFETCH(p)     __builtin_prefetch((p), 0, 3)

#ifdef DP_HASH_TEST_HOOKS
#define TEST_PAUSE(point) dp_hash_test_pause(point)
#else
#define TEST_PAUSE(point) ((void)0)
#endif

struct u32_bucket {
	uint64_t slot[U32_SLOTS];  /* key | (uint64_t)value << 32 */
	uint32_t version;          /* rule 2 / 3 */
	uint32_t overflow;         /* 8 x 4 bits: primaries living elsewhere */
} __attribute__((aligned(CACHE_LINE)));

struct t5_bucket {
	uint64_t sig[2];           /* 4 lanes of 16 bits each; 0: free lane */
	uint32_t value[T5_SLOTS];
	uint32_t version;
	uint32_t overflow;         /* as in u32_bucket */
	uint64_t pad;
} __attribute__((aligned(CACHE_LINE)));

_Static_assert(sizeof(struct u32_bucket) == CACHE_LINE, "u32 bucket size");
_Static_assert(sizeof(struct t5_bucket) == CACHE_LINE, "5t bucket size");

/* A 5-tuple key as two words, so that it is read and written atomically
 * word by word. */
struct t5_kw {
	uint64_t w[2];
};

enum table_kind { KIND_U32, KIND_5T };

struct bfs_node {
	uint32_t bucket;
	int32_t parent;            /* queue index; -1 for a starting bucket */
	uint32_t lane;             /* the parent's lane whose entry moves here */
};

/* The writer's counters, read by stats() with relaxed loads. A cache line
 * of their own: every add and del writes them, every lookup reads the
 * geometry, and the two must not share a line. */
struct hash_counters {
	uint32_t entries;
	uint32_t in_secondary;
	uint64_t moves;
	uint64_t add_full;
} __attribute__((aligned(CACHE_LINE)));

/* What both tables share; the geometry never changes after create. */
struct hash_core {
	enum table_kind kind;
	uint32_t n_buckets;
	uint32_t slots;            /* per bucket */
	uint32_t capacity;
	uint64_t seed;
	size_t bytes;
	struct bfs_node *bfs;      /* [BFS_MAX], the insert's search queue */
	struct hash_counters n;
};

/* Both allocated cache-aligned; the core first, so that its address is
 * the table's. */
struct dp_hash_u32 {
	struct hash_core c;
	struct u32_bucket *buckets;
};

struct dp_hash_5t {
	struct hash_core c;
	struct t5_bucket *buckets;
	struct t5_kw *keys;        /* [n_buckets * T5_SLOTS] */
};

/* --- hashing ---------------------------------------------------------------- */

static inline uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

static inline uint64_t
hash_u32(uint64_t seed, uint32_t key)
{
	return mix64(seed ^ key);
}

static inline uint64_t
hash_5t(uint64_t seed, const struct t5_kw *k)
{
	uint64_t a = (k->w[0] ^ seed) * UINT64_C(0x9e3779b97f4a7c15);
	uint64_t b = (k->w[1] ^ (seed >> 32 | seed << 32)) *
		     UINT64_C(0xc2b2ae3d27d4eb4f);

	return mix64(a ^ (b >> 29 | b << 35));
}

/* x scaled onto [0, n): multiply-shift instead of a modulo. */
static inline uint32_t
reduce(uint32_t x, uint32_t n)
{
	return (uint32_t)(((uint64_t)x * n) >> 32);
}

static inline void
place(const struct hash_core *c, uint64_t hv, uint32_t *pb, uint32_t *sb)
{
	uint32_t p = reduce((uint32_t)hv, c->n_buckets);
	uint32_t s = reduce((uint32_t)(hv >> 32), c->n_buckets);

	if (s == p)
		s = p + 1 == c->n_buckets ? 0 : p + 1;
	*pb = p;
	*sb = s;
}

/* Overflow group: low bits of the low half, which the primary bucket (the
 * half's high bits) does not fix. */
static inline unsigned
group_of(uint64_t hv)
{
	return (unsigned)hv & 7;
}

/* Whether an entry of group g of this primary may live in its secondary. */
static inline bool
overflowed(uint32_t overflow, unsigned g)
{
	return (overflow >> (4 * g) & 0xf) != 0;
}

/* The low halves of both 32-bit halves: entries of one bucket share the
 * high bits of one half (the bucket index), never the low bits of both. */
static inline uint16_t
sig_of(uint64_t hv)
{
	uint16_t s = (uint16_t)(hv ^ (hv >> 32));

	return s != 0 ? s : 1;
}

static inline void
t5_kw_of(struct t5_kw *kw, const struct dp_hash_5t_key *key)
{
	memcpy(kw, key, sizeof(*kw));
}

/* --- readers: u32 ----------------------------------------------------------- */

/* Key UINT32_MAX is also the key half of a free slot: those must not
 * count. Rare; kept off the common path. */
static uint32_t
u32_bucket_find_all_ones(const struct u32_bucket *b)
{
	unsigned i;

	for (i = 0; i < U32_SLOTS; i++) {
		uint64_t w = LOAD_ACQ(&b->slot[i]);

		if ((uint32_t)w == UINT32_MAX &&
		    (uint32_t)(w >> 32) != DP_HASH_NONE)
			return (uint32_t)(w >> 32);
	}
	return DP_HASH_NONE;
}

/*
 * Branch-free: where in the bucket a hit lands is random, so a branch per
 * slot mispredicts once a lookup. Keys are unique, so at most one slot
 * matches and OR-ing the masked values yields its value.
 */
static inline uint32_t
u32_bucket_find(const struct u32_bucket *b, uint32_t key)
{
	uint32_t v = 0, any = 0;
	unsigned i;

	if (__builtin_expect(key == UINT32_MAX, 0))
		return u32_bucket_find_all_ones(b);
#pragma GCC unroll 8
	for (i = 0; i < U32_SLOTS; i++) {
		uint64_t w = LOAD_ACQ(&b->slot[i]);
		uint32_t eq = (uint32_t)w == key;

		v |= (uint32_t)(w >> 32) & -eq;
		any |= eq;
	}
	/* not `any ? v : NONE`, which the compiler turns into a branch */
	return v | (any - 1);
}

/* The whole lookup with validation (rules 2 and 3); the burst falls back
 * to it for anything but a plain hit or a plain miss. */
static uint32_t
u32_find(const struct dp_hash_u32 *h, uint32_t key, uint32_t pb, uint32_t sb,
	 unsigned g)
{
	const struct u32_bucket *p = &h->buckets[pb], *s = &h->buckets[sb];
	uint32_t vp, vs, v;

	for (;;) {
		vp = LOAD_ACQ(&p->version);
		v = u32_bucket_find(p, key);
		if (v != DP_HASH_NONE)
			return v;
		TEST_PAUSE(DP_HASH_PAUSE_U32_FIND_SCANNED);
		if (!overflowed(LOAD_ACQ(&p->overflow), g)) {
			FENCE_ACQ();
			if (LOAD(&p->version) == vp)
				return DP_HASH_NONE;
			continue;
		}
		vs = LOAD_ACQ(&s->version);
		v = u32_bucket_find(s, key);
		if (v != DP_HASH_NONE)
			return v;
		FENCE_ACQ();
		if (LOAD(&p->version) == vp && LOAD(&s->version) == vs)
			return DP_HASH_NONE;
	}
}

uint32_t
dp_hash_u32_lookup(const struct dp_hash_u32 *h, uint32_t key)
{
	uint64_t hv = hash_u32(h->c.seed, key);
	uint32_t pb, sb;

	place(&h->c, hv, &pb, &sb);
	return u32_find(h, key, pb, sb, group_of(hv));
}

unsigned
dp_hash_u32_lookup_burst(const struct dp_hash_u32 *h, const uint32_t *keys,
			 unsigned n, uint32_t *values)
{
	uint32_t pb[BURST_CHUNK], sb[BURST_CHUNK];
	uint8_t slow[BURST_CHUNK], grp[BURST_CHUNK];
	unsigned base, i, j, k, n_slow, hits = 0;

	for (base = 0; base < n; base += k) {
		const uint32_t *key = keys + base;
		uint32_t *val = values + base;

		k = n - base < BURST_CHUNK ? n - base : BURST_CHUNK;
		/* 1: hash the burst, prefetch every primary bucket */
		for (i = 0; i < k; i++) {
			uint64_t hv = hash_u32(h->c.seed, key[i]);

			place(&h->c, hv, &pb[i], &sb[i]);
			grp[i] = (uint8_t)group_of(hv);
			PREFETCH(&h->buckets[pb[i]]);
		}
		/* 2: search the primaries. Without branches on hit or miss,
		 * which a mixed burst cannot predict: a miss that may live in
		 * its secondary, or whose bucket a writer touched meanwhile,
		 * is queued for 3 (the secondary prefetched). */
		n_slow = 0;
		for (i = 0; i < k; i++) {
			const struct u32_bucket *b = &h->buckets[pb[i]];
			uint32_t ver = LOAD_ACQ(&b->version), v;
			unsigned miss, sec;

			v = u32_bucket_find(b, key[i]);
			miss = v == DP_HASH_NONE;
			TEST_PAUSE(DP_HASH_PAUSE_U32_BURST_SCANNED);
			sec = miss & overflowed(LOAD_ACQ(&b->overflow), grp[i]);
			FENCE_ACQ();
			slow[n_slow] = (uint8_t)i;
			n_slow += sec | (miss & (LOAD(&b->version) != ver));
			if (sec)
				PREFETCH(&h->buckets[sb[i]]);
			val[i] = v;
			hits += !miss;
		}
		/* 3: secondaries and anything a writer touched meanwhile */
		for (j = 0; j < n_slow; j++) {
			i = slow[j];
			val[i] = u32_find(h, key[i], pb[i], sb[i], grp[i]);
			hits += val[i] != DP_HASH_NONE;
		}
	}
	return hits;
}

/* --- readers: 5-tuple -------------------------------------------------------- */

/* One bit (bit 0..3) per 16-bit lane of x that is zero. */
static inline unsigned
zero_lanes16(uint64_t x)
{
	const uint64_t low15 = UINT64_C(0x7fff7fff7fff7fff);
	uint64_t t = ~(((x & low15) + low15) | x | low15);

	/* t has bit 15 of each zero lane: gather bits 15/31/47/63 */
	return (unsigned)((((t >> 15) * UINT64_C(0x0001000200040008)) >> 48) &
			  0xf);
}

/* Lanes whose signature is sig (acquire: rule 1). */
static inline unsigned
t5_sig_mask(const struct t5_bucket *b, uint16_t sig)
{
	uint64_t pat = UINT64_C(0x0001000100010001) * sig;

	return zero_lanes16(LOAD_ACQ(&b->sig[0]) ^ pat) |
	       zero_lanes16(LOAD_ACQ(&b->sig[1]) ^ pat) << 4;
}

static inline bool
t5_key_eq(const struct t5_kw *slot, const struct t5_kw *k)
{
	return ((LOAD(&slot->w[0]) ^ k->w[0]) |
		(LOAD(&slot->w[1]) ^ k->w[1])) == 0;
}

/* The lane among `mask` that holds k, or -1. */
static inline int
t5_lane_find(const struct dp_hash_5t *h, uint32_t bi, unsigned mask,
	     const struct t5_kw *k)
{
	const struct t5_kw *row = &h->keys[(size_t)bi * T5_SLOTS];

	while (mask != 0) {
		unsigned lane = (unsigned)__builtin_ctz(mask);

		if (t5_key_eq(&row[lane], k))
			return (int)lane;
		mask &= mask - 1;
	}
	return -1;
}

static uint32_t
t5_find(const struct dp_hash_5t *h, const struct t5_kw *k, uint32_t pb,
	uint32_t sb, uint16_t sig, unsigned g)
{
	const struct t5_bucket *p = &h->buckets[pb], *s = &h->buckets[sb];
	uint32_t vp, vs, v = DP_HASH_NONE;
	int lane;

	for (;;) {
		vp = LOAD_ACQ(&p->version);
		lane = t5_lane_find(h, pb, t5_sig_mask(p, sig), k);
		if (lane >= 0) {
			TEST_PAUSE(DP_HASH_PAUSE_5T_FIND_KEY);
			v = LOAD(&p->value[lane]);
			FENCE_ACQ();
			if (LOAD(&p->version) == vp)
				return v;
			continue;
		}
		if (!overflowed(LOAD_ACQ(&p->overflow), g)) {
			FENCE_ACQ();
			if (LOAD(&p->version) == vp)
				return DP_HASH_NONE;
			continue;
		}
		vs = LOAD_ACQ(&s->version);
		lane = t5_lane_find(h, sb, t5_sig_mask(s, sig), k);
		if (lane >= 0)
			v = LOAD(&s->value[lane]);
		FENCE_ACQ();
		if (lane >= 0) {
			if (LOAD(&s->version) == vs)
				return v;
			continue;
		}
		if (LOAD(&p->version) == vp && LOAD(&s->version) == vs)
			return DP_HASH_NONE;
	}
}

uint32_t
dp_hash_5t_lookup(const struct dp_hash_5t *h, const struct dp_hash_5t_key *key)
{
	struct t5_kw kw;
	uint32_t pb, sb;
	uint64_t hv;

	t5_kw_of(&kw, key);
	hv = hash_5t(h->c.seed, &kw);
	place(&h->c, hv, &pb, &sb);
	return t5_find(h, &kw, pb, sb, sig_of(hv), group_of(hv));
}

/* a if c else b, without a branch the compiler could reintroduce. */
static inline uintptr_t
select_addr(bool c, uintptr_t a, uintptr_t b)
{
	uintptr_t m = -(uintptr_t)c;

	return (a & m) | (b & ~m);
}

unsigned
dp_hash_5t_lookup_burst(const struct dp_hash_5t *h,
			const struct dp_hash_5t_key *keys, unsigned n,
			uint32_t *values)
{
	struct t5_kw kw[BURST_CHUNK];
	uint32_t pb[BURST_CHUNK], sb[BURST_CHUNK], ver[BURST_CHUNK];
	uint16_t sig[BURST_CHUNK];
	uint8_t mask[BURST_CHUNK], maybe_sec[BURST_CHUNK], grp[BURST_CHUNK];
	uint8_t slow[BURST_CHUNK];
	unsigned base, i, j, k, n_slow, hits = 0;

	for (base = 0; base < n; base += k) {
		uint32_t *val = values + base;

		k = n - base < BURST_CHUNK ? n - base : BURST_CHUNK;
		/* 1: hash the burst, prefetch every primary bucket */
		for (i = 0; i < k; i++) {
			uint64_t hv;

			t5_kw_of(&kw[i], &keys[base + i]);
			hv = hash_5t(h->c.seed, &kw[i]);
			place(&h->c, hv, &pb[i], &sb[i]);
			sig[i] = sig_of(hv);
			grp[i] = (uint8_t)group_of(hv);
			PREFETCH(&h->buckets[pb[i]]);
		}
		/* 2: compare signatures; prefetch the first candidate's key
		 * line, or else the secondary bucket when the key may live
		 * there. A branch here, predicted "candidate": it lets the key
		 * prefetch go out at once (selecting its address without a
		 * branch made it wait for the overflow load: +9 cycles a hit). */
		for (i = 0; i < k; i++) {
			const struct t5_bucket *b = &h->buckets[pb[i]];
			unsigned m, lane;
			bool sec = false;

			ver[i] = LOAD_ACQ(&b->version);
			m = t5_sig_mask(b, sig[i]);
			lane = (unsigned)__builtin_ctz(m | 0x100) & 7;
			mask[i] = (uint8_t)m;
			if (m != 0) {
				PREFETCH(&h->keys[(size_t)pb[i] * T5_SLOTS +
						  lane]);
			} else {
				sec = overflowed(LOAD_ACQ(&b->overflow),
						 grp[i]);
				if (sec)
					PREFETCH(&h->buckets[sb[i]]);
			}
			maybe_sec[i] = sec;
		}
		/* 3: the first candidate's key; validate (rules 2 and 3).
		 * Without branches on hit or miss, which a mixed burst cannot
		 * predict. A second candidate, a possible secondary resident
		 * or a bucket a writer touched meanwhile go the single-key
		 * way. */
		n_slow = 0;
		for (i = 0; i < k; i++) {
			const struct t5_bucket *b = &h->buckets[pb[i]];
			unsigned m = mask[i];
			unsigned lane = (unsigned)__builtin_ctz(m | 0x100) & 7;
			/* no candidate: compare with itself, never loaded */
			const struct t5_kw *cand = (const struct t5_kw *)
				select_addr(m != 0,
					(uintptr_t)&h->keys[(size_t)pb[i] *
							    T5_SLOTS + lane],
					(uintptr_t)&kw[i]);
			unsigned eq = t5_key_eq(cand, &kw[i]) & (m != 0);
			unsigned changed, ok;
			uint32_t v;

			TEST_PAUSE(DP_HASH_PAUSE_5T_BURST_KEY);
			v = LOAD(&b->value[lane]);

			FENCE_ACQ();
			changed = LOAD(&b->version) != ver[i];
			ok = eq & (changed ^ 1);
			val[i] = v | (ok - 1);
			hits += ok;
			slow[n_slow] = (uint8_t)i;
			n_slow += changed | ((eq ^ 1) & ((m != 0) | maybe_sec[i]));
		}
		for (j = 0; j < n_slow; j++) {
			i = slow[j];
			val[i] = t5_find(h, &kw[i], pb[i], sb[i], sig[i],
					 grp[i]);
			hits += val[i] != DP_HASH_NONE;
		}
	}
	return hits;
}

/*
 * Candidates only: the primary bucket's first lane with the key's
 * signature, its value read once, no key line, no version check. The
 * caller confirms each against the object it names (dp_hash.h).
 */
void
dp_hash_5t_candidates_burst(const struct dp_hash_5t *h,
			    const struct dp_hash_5t_key *keys, unsigned n,
			    uint32_t *values)
{
	uint32_t pb[BURST_CHUNK];
	uint16_t sig[BURST_CHUNK];
	unsigned base, i, k;

	for (base = 0; base < n; base += k) {
		uint32_t *val = values + base;

		k = n - base < BURST_CHUNK ? n - base : BURST_CHUNK;
		for (i = 0; i < k; i++) {
			struct t5_kw kw;
			uint64_t hv;
			uint32_t sb;

			t5_kw_of(&kw, &keys[base + i]);
			hv = hash_5t(h->c.seed, &kw);
			place(&h->c, hv, &pb[i], &sb);
			sig[i] = sig_of(hv);
			PREFETCH(&h->buckets[pb[i]]);
		}
		for (i = 0; i < k; i++) {
			const struct t5_bucket *b = &h->buckets[pb[i]];
			unsigned m = t5_sig_mask(b, sig[i]);
			unsigned lane = (unsigned)__builtin_ctz(m | 0x100) & 7;
			uint32_t v = LOAD(&b->value[lane]);

			val[i] = m != 0 ? v : DP_HASH_NONE;
		}
	}
}

/* --- writer: lanes ------------------------------------------------------------ */

static inline struct dp_hash_u32 *
u32_of(struct hash_core *c)
{
	return (struct dp_hash_u32 *)c;
}

static inline struct dp_hash_5t *
t5_of(struct hash_core *c)
{
	return (struct dp_hash_5t *)c;
}

static inline unsigned
sig_shift(unsigned lane)
{
	return 16 * (lane % 4);
}

static inline uint16_t
t5_lane_sig(const struct t5_bucket *b, unsigned lane)
{
	return (uint16_t)(b->sig[lane / 4] >> sig_shift(lane));
}

/* Rule 2: a bucket's version moves before any of its lanes is written. */
static inline void
version_bump(uint32_t *version)
{
	STORE(version, *version + 1);
	FENCE_REL();
}

static void
u32_lane_write(struct u32_bucket *b, unsigned lane, uint32_t key,
	       uint32_t value)
{
	version_bump(&b->version);
	STORE_REL(&b->slot[lane], (uint64_t)value << 32 | key);
}

static void
t5_lane_write(struct dp_hash_5t *h, uint32_t bi, unsigned lane,
	      const struct t5_kw *k, uint32_t value, uint16_t sig)
{
	struct t5_bucket *b = &h->buckets[bi];
	struct t5_kw *slot = &h->keys[(size_t)bi * T5_SLOTS + lane];
	uint64_t w = b->sig[lane / 4] & ~(UINT64_C(0xffff) << sig_shift(lane));

	version_bump(&b->version);
	STORE(&slot->w[0], k->w[0]);
	STORE(&slot->w[1], k->w[1]);
	STORE(&b->value[lane], value);
	STORE_REL(&b->sig[lane / 4], w | (uint64_t)sig << sig_shift(lane));
}

static void
t5_lane_clear(struct t5_bucket *b, unsigned lane)
{
	STORE_REL(&b->sig[lane / 4],
		  b->sig[lane / 4] & ~(UINT64_C(0xffff) << sig_shift(lane)));
}

/* The lane of bucket b holding key, or -1 (writer: reads its own writes). */
static int
u32_lane_of(const struct u32_bucket *b, uint32_t key)
{
	unsigned lane;

	for (lane = 0; lane < U32_SLOTS; lane++)
		if (b->slot[lane] != SLOT_FREE && (uint32_t)b->slot[lane] == key)
			return (int)lane;
	return -1;
}

static int
t5_lane_of(const struct dp_hash_5t *h, uint32_t bi, const struct t5_kw *k,
	   uint16_t sig)
{
	const struct t5_bucket *b = &h->buckets[bi];
	const struct t5_kw *row = &h->keys[(size_t)bi * T5_SLOTS];
	unsigned lane;

	for (lane = 0; lane < T5_SLOTS; lane++)
		if (t5_lane_sig(b, lane) == sig &&
		    row[lane].w[0] == k->w[0] && row[lane].w[1] == k->w[1])
			return (int)lane;
	return -1;
}

static uint32_t *
bucket_overflow(struct hash_core *c, uint32_t bi)
{
	return c->kind == KIND_U32 ? &u32_of(c)->buckets[bi].overflow :
				     &t5_of(c)->buckets[bi].overflow;
}

/* An entry of primary bucket pb, group g, now lives in its secondary, or
 * no longer. A group at 15 has lost count and stays there. */
static void
overflow_inc(struct hash_core *c, uint32_t pb, unsigned g)
{
	uint32_t *o = bucket_overflow(c, pb);

	if ((*o >> (4 * g) & 0xf) != 0xf)
		STORE_REL(o, *o + (UINT32_C(1) << (4 * g)));
	STORE(&c->n.in_secondary, c->n.in_secondary + 1);
}

static void
overflow_dec(struct hash_core *c, uint32_t pb, unsigned g)
{
	uint32_t *o = bucket_overflow(c, pb);

	if ((*o >> (4 * g) & 0xf) != 0xf)
		STORE_REL(o, *o - (UINT32_C(1) << (4 * g)));
	STORE(&c->n.in_secondary, c->n.in_secondary - 1);
}

static int
free_lane(struct hash_core *c, uint32_t bi)
{
	unsigned lane;

	if (c->kind == KIND_U32) {
		const struct u32_bucket *b = &u32_of(c)->buckets[bi];

		for (lane = 0; lane < U32_SLOTS; lane++)
			if (b->slot[lane] == SLOT_FREE)
				return (int)lane;
	} else {
		const struct t5_bucket *b = &t5_of(c)->buckets[bi];

		for (lane = 0; lane < T5_SLOTS; lane++)
			if (t5_lane_sig(b, lane) == 0)
				return (int)lane;
	}
	return -1;
}

/* Primary and secondary bucket of the entry in (bi, lane); its hash. */
static uint64_t
entry_place(struct hash_core *c, uint32_t bi, unsigned lane, uint32_t *pb,
	    uint32_t *sb)
{
	uint64_t hv;

	if (c->kind == KIND_U32)
		hv = hash_u32(c->seed,
			      (uint32_t)u32_of(c)->buckets[bi].slot[lane]);
	else
		hv = hash_5t(c->seed,
			     &t5_of(c)->keys[(size_t)bi * T5_SLOTS + lane]);
	place(c, hv, pb, sb);
	return hv;
}

/*
 * Rule 3: moves the entry in (from, fl) to the free lane (to, tl), its
 * other bucket. Readers find it in one or both buckets throughout.
 */
static void
entry_move(struct hash_core *c, uint32_t from, unsigned fl, uint32_t to,
	   unsigned tl)
{
	uint32_t pb, sb;
	unsigned g = group_of(entry_place(c, from, fl, &pb, &sb));

	if (c->kind == KIND_U32) {
		struct u32_bucket *src = &u32_of(c)->buckets[from];
		uint64_t w = src->slot[fl];

		u32_lane_write(&u32_of(c)->buckets[to], tl, (uint32_t)w,
			       (uint32_t)(w >> 32));
		if (from == pb)
			overflow_inc(c, pb, g);
		version_bump(&src->version);
		STORE_REL(&src->slot[fl], SLOT_FREE);
	} else {
		struct dp_hash_5t *h = t5_of(c);
		struct t5_bucket *src = &h->buckets[from];
		struct t5_kw k = h->keys[(size_t)from * T5_SLOTS + fl];

		t5_lane_write(h, to, tl, &k, src->value[fl],
			      t5_lane_sig(src, fl));
		if (from == pb)
			overflow_inc(c, pb, g);
		version_bump(&src->version);
		t5_lane_clear(src, fl);
	}
	if (to == pb)
		overflow_dec(c, pb, g);
	STORE(&c->n.moves, c->n.moves + 1);
}

/* --- writer: making room (cuckoo, breadth-first) --------------------------- */

static bool
on_path(const struct bfs_node *q, int32_t node, uint32_t bucket)
{
	for (; node >= 0; node = q[node].parent)
		if (q[node].bucket == bucket)
			return true;
	return false;
}

/* Moves the entry at (q[node].bucket, lane) to (dst, dst_lane), then each
 * parent's entry into the lane just vacated; returns the starting bucket,
 * whose lane *lane_out is now free. */
static uint32_t
path_execute(struct hash_core *c, const struct bfs_node *q, int32_t node,
	     unsigned lane, uint32_t dst, unsigned dst_lane,
	     unsigned *lane_out)
{
	for (;;) {
		entry_move(c, q[node].bucket, lane, dst, dst_lane);
		if (q[node].parent < 0) {
			*lane_out = lane;
			return q[node].bucket;
		}
		dst = q[node].bucket;
		dst_lane = lane;
		lane = q[node].lane;
		node = q[node].parent;
	}
}

/*
 * Frees a lane in bucket a or b (both full) by moving entries to their
 * other bucket along the shortest path to a free lane. No bucket appears
 * twice on a path, so each move's source still holds the entry the search
 * saw. Returns 0 and the bucket and lane now free, or -1.
 */
static int
make_room(struct hash_core *c, uint32_t a, uint32_t b, uint32_t *bucket,
	  unsigned *lane)
{
	struct bfs_node *q = c->bfs;
	int32_t head, tail = 0;
	unsigned l;

	q[tail++] = (struct bfs_node){ .bucket = a, .parent = -1 };
	q[tail++] = (struct bfs_node){ .bucket = b, .parent = -1 };
	for (head = 0; head < tail; head++) {
		for (l = 0; l < c->slots; l++) {
			uint32_t pb, sb, alt;
			int fl;

			entry_place(c, q[head].bucket, l, &pb, &sb);
			alt = pb == q[head].bucket ? sb : pb;
			if (on_path(q, head, alt))
				continue;
			fl = free_lane(c, alt);
			if (fl >= 0) {
				*bucket = path_execute(c, q, head, l, alt,
						       (unsigned)fl, lane);
				return 0;
			}
			if (tail < BFS_MAX)
				q[tail++] = (struct bfs_node){
					.bucket = alt, .parent = head,
					.lane = l };
		}
	}
	return -1;
}

/* A free lane for a new entry: primary, secondary, or made by moves. */
static int
lane_for_new(struct hash_core *c, uint32_t pb, uint32_t sb, uint32_t *bucket,
	     unsigned *lane)
{
	int fl;

	if ((fl = free_lane(c, pb)) >= 0) {
		*bucket = pb;
		*lane = (unsigned)fl;
		return 0;
	}
	if ((fl = free_lane(c, sb)) >= 0) {
		*bucket = sb;
		*lane = (unsigned)fl;
		return 0;
	}
	if (make_room(c, pb, sb, bucket, lane) == 0)
		return 0;
	STORE(&c->n.add_full, c->n.add_full + 1);
	return -1;
}

/* --- create, destroy, stats ----------------------------------------------- */

static int
core_init(struct hash_core *c, enum table_kind kind, uint32_t capacity,
	  uint64_t seed, unsigned slots)
{
	uint64_t nb;

	if (capacity == 0 || capacity > DP_HASH_CAPACITY_MAX) {
		errno = EINVAL;
		return -1;
	}
	nb = ((uint64_t)capacity * 100 + (uint64_t)slots * LOAD_PCT - 1) /
	     ((uint64_t)slots * LOAD_PCT);
	if (nb < 2)
		nb = 2;
	c->kind = kind;
	c->n_buckets = (uint32_t)nb;
	c->slots = slots;
	c->capacity = capacity;
	c->seed = seed;
	c->bfs = malloc(BFS_MAX * sizeof(*c->bfs));
	if (c->bfs == NULL) {
		errno = ENOMEM;
		return -1;
	}
	c->bytes = BFS_MAX * sizeof(*c->bfs);
	return 0;
}

/*
 * The bucket and key arrays: cache-aligned, and from 2 MB up aligned to
 * 2 MB and marked for transparent huge pages before they are first
 * touched, so that a lookup in a large table costs a cache miss but not
 * also a TLB miss and page walk (sluice-dp allocates these from libc, not
 * from EAL's hugepages). Not zeroed: the callers initialise every byte.
 */
#define HUGE_PAGE (UINT64_C(2) << 20)

static void *
table_alloc(size_t len)
{
	void *p;

	if (len < HUGE_PAGE)
		return aligned_alloc(CACHE_LINE, len);
	len = (len + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	p = aligned_alloc(HUGE_PAGE, len);
#ifdef MADV_HUGEPAGE
	if (p != NULL)
		(void)madvise(p, len, MADV_HUGEPAGE);   /* a hint: may fail */
#endif
	return p;
}

/* A zeroed, cache-aligned block; size rounded up to whole lines. */
static void *
zalloc_lines(size_t size)
{
	size_t len = (size + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
	void *p = aligned_alloc(CACHE_LINE, len);

	if (p != NULL)
		memset(p, 0, len);
	return p;
}

struct dp_hash_u32 *
dp_hash_u32_create(uint32_t capacity, uint64_t seed)
{
	struct dp_hash_u32 *h = zalloc_lines(sizeof(*h));
	uint32_t i;

	if (h == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	if (core_init(&h->c, KIND_U32, capacity, seed, U32_SLOTS) != 0) {
		free(h);
		return NULL;
	}
	h->buckets = table_alloc((size_t)h->c.n_buckets * sizeof(*h->buckets));
	if (h->buckets == NULL) {
		dp_hash_u32_destroy(h);
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i < h->c.n_buckets; i++) {
		memset(h->buckets[i].slot, 0xff, sizeof(h->buckets[i].slot));
		h->buckets[i].version = 0;
		h->buckets[i].overflow = 0;
	}
	h->c.bytes += sizeof(*h) + (size_t)h->c.n_buckets * sizeof(*h->buckets);
	return h;
}

void
dp_hash_u32_destroy(struct dp_hash_u32 *h)
{
	if (h == NULL)
		return;
	free(h->buckets);
	free(h->c.bfs);
	free(h);
}

struct dp_hash_5t *
dp_hash_5t_create(uint32_t capacity, uint64_t seed)
{
	struct dp_hash_5t *h = zalloc_lines(sizeof(*h));
	size_t nb;

	if (h == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	if (core_init(&h->c, KIND_5T, capacity, seed, T5_SLOTS) != 0) {
		free(h);
		return NULL;
	}
	nb = h->c.n_buckets;
	h->buckets = table_alloc(nb * sizeof(*h->buckets));
	h->keys = table_alloc(nb * T5_SLOTS * sizeof(*h->keys));
	if (h->buckets == NULL || h->keys == NULL) {
		dp_hash_5t_destroy(h);
		errno = ENOMEM;
		return NULL;
	}
	memset(h->buckets, 0, nb * sizeof(*h->buckets));
	memset(h->keys, 0, nb * T5_SLOTS * sizeof(*h->keys));
	h->c.bytes += sizeof(*h) + nb * sizeof(*h->buckets) +
		      nb * T5_SLOTS * sizeof(*h->keys);
	return h;
}

void
dp_hash_5t_destroy(struct dp_hash_5t *h)
{
	if (h == NULL)
		return;
	free(h->buckets);
	free(h->keys);
	free(h->c.bfs);
	free(h);
}

static void
core_stats(const struct hash_core *c, struct dp_hash_stats *st)
{
	st->capacity = c->capacity;
	st->entries = LOAD(&c->n.entries);
	st->buckets = c->n_buckets;
	st->slots = c->n_buckets * c->slots;
	st->in_secondary = LOAD(&c->n.in_secondary);
	st->moves = LOAD(&c->n.moves);
	st->add_full = LOAD(&c->n.add_full);
	st->bytes = c->bytes;
}

void
dp_hash_u32_stats(const struct dp_hash_u32 *h, struct dp_hash_stats *st)
{
	core_stats(&h->c, st);
}

void
dp_hash_5t_stats(const struct dp_hash_5t *h, struct dp_hash_stats *st)
{
	core_stats(&h->c, st);
}

struct dp_hash_where
dp_hash_u32_where(const struct dp_hash_u32 *h, uint32_t key)
{
	struct dp_hash_where w = { .sig = 0 };
	uint64_t hv = hash_u32(h->c.seed, key);

	place(&h->c, hv, &w.primary, &w.secondary);
	w.group = (uint8_t)group_of(hv);
	return w;
}

struct dp_hash_where
dp_hash_5t_where(const struct dp_hash_5t *h, const struct dp_hash_5t_key *key)
{
	struct dp_hash_where w;
	struct t5_kw kw;
	uint64_t hv;

	t5_kw_of(&kw, key);
	hv = hash_5t(h->c.seed, &kw);
	place(&h->c, hv, &w.primary, &w.secondary);
	w.sig = sig_of(hv);
	w.group = (uint8_t)group_of(hv);
	return w;
}

/* --- writer: add, del ---------------------------------------------------------- */

int
dp_hash_u32_add(struct dp_hash_u32 *h, uint32_t key, uint32_t value)
{
	uint64_t hv = hash_u32(h->c.seed, key);
	unsigned lane, g = group_of(hv);
	uint32_t pb, sb, bi;

	if (value == DP_HASH_NONE)
		return -EINVAL;
	place(&h->c, hv, &pb, &sb);
	if (u32_lane_of(&h->buckets[pb], key) >= 0 ||
	    (overflowed(h->buckets[pb].overflow, g) &&
	     u32_lane_of(&h->buckets[sb], key) >= 0))
		return -EEXIST;
	if (h->c.n.entries >= h->c.capacity ||
	    lane_for_new(&h->c, pb, sb, &bi, &lane) != 0)
		return -ENOSPC;
	u32_lane_write(&h->buckets[bi], lane, key, value);
	if (bi == sb)
		overflow_inc(&h->c, pb, g);
	STORE(&h->c.n.entries, h->c.n.entries + 1);
	return 0;
}

int
dp_hash_u32_del(struct dp_hash_u32 *h, uint32_t key)
{
	uint64_t hv = hash_u32(h->c.seed, key);
	unsigned g = group_of(hv);
	uint32_t pb, sb;
	int lane;

	place(&h->c, hv, &pb, &sb);
	if ((lane = u32_lane_of(&h->buckets[pb], key)) >= 0) {
		STORE_REL(&h->buckets[pb].slot[lane], SLOT_FREE);
	} else if (overflowed(h->buckets[pb].overflow, g) &&
		   (lane = u32_lane_of(&h->buckets[sb], key)) >= 0) {
		STORE_REL(&h->buckets[sb].slot[lane], SLOT_FREE);
		overflow_dec(&h->c, pb, g);
	} else {
		return -ENOENT;
	}
	STORE(&h->c.n.entries, h->c.n.entries - 1);
	return 0;
}

int
dp_hash_5t_add(struct dp_hash_5t *h, const struct dp_hash_5t_key *key,
	       uint32_t value)
{
	struct t5_kw kw;
	uint32_t pb, sb, bi;
	unsigned lane, g;
	uint64_t hv;
	uint16_t sig;

	if (value == DP_HASH_NONE)
		return -EINVAL;
	t5_kw_of(&kw, key);
	hv = hash_5t(h->c.seed, &kw);
	place(&h->c, hv, &pb, &sb);
	sig = sig_of(hv);
	g = group_of(hv);
	if (t5_lane_of(h, pb, &kw, sig) >= 0 ||
	    (overflowed(h->buckets[pb].overflow, g) &&
	     t5_lane_of(h, sb, &kw, sig) >= 0))
		return -EEXIST;
	if (h->c.n.entries >= h->c.capacity ||
	    lane_for_new(&h->c, pb, sb, &bi, &lane) != 0)
		return -ENOSPC;
	t5_lane_write(h, bi, lane, &kw, value, sig);
	if (bi == sb)
		overflow_inc(&h->c, pb, g);
	STORE(&h->c.n.entries, h->c.n.entries + 1);
	return 0;
}

int
dp_hash_5t_del(struct dp_hash_5t *h, const struct dp_hash_5t_key *key)
{
	struct t5_kw kw;
	uint32_t pb, sb;
	uint64_t hv;
	uint16_t sig;
	int lane;

	t5_kw_of(&kw, key);
	hv = hash_5t(h->c.seed, &kw);
	place(&h->c, hv, &pb, &sb);
	sig = sig_of(hv);
	if ((lane = t5_lane_of(h, pb, &kw, sig)) >= 0) {
		t5_lane_clear(&h->buckets[pb], (unsigned)lane);
	} else if (overflowed(h->buckets[pb].overflow, group_of(hv)) &&
		   (lane = t5_lane_of(h, sb, &kw, sig)) >= 0) {
		t5_lane_clear(&h->buckets[sb], (unsigned)lane);
		overflow_dec(&h->c, pb, group_of(hv));
	} else {
		return -ENOENT;
	}
	STORE(&h->c.n.entries, h->c.n.entries - 1);
	return 0;
}
