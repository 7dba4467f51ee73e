/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_hash.h — fixed-capacity hash tables for the dataplane's flow lookups,
 * with exactly one writer and any number of lock-free readers:
 *
 *   struct dp_hash_u32   uint32 key → uint32 value   multiplexID → media leg
 *   struct dp_hash_5t    IPv4 5-tuple → uint32 value client 5-tuple → TURN
 *                                                     allocation
 *
 * Pure C (no DPDK): the unit suite and the benchmarks compile it directly.
 * Everything is allocated at create time for `capacity` entries at 75% of
 * the slots; nothing is allocated, locked or resized afterwards.
 *
 * Two-choice bucketized cuckoo hashing. Each key has a primary and a
 * secondary bucket of one 64-byte cache line each; an insert takes a free
 * slot in the primary, else in the secondary, else moves other entries to
 * their other bucket (breadth-first search, at most a few moves). A primary
 * bucket counts its keys that live in their secondary ("overflow", in 8
 * groups by hash bits), so a lookup that misses the primary reads the
 * secondary only when its group's count is not zero (4% of misses at full
 * load): a hit or a miss usually costs one bucket line (u32), or one bucket
 * line and, for a hit, one key line (5-tuple).
 *
 *   dp_hash_u32 bucket (64 B):  slot[7] = key | value << 32, version, overflow
 *   dp_hash_5t  bucket (64 B):  sig[8] (16 bit, 0 = free), value[8], version,
 *                               overflow;  keys[bucket * 8 + lane] apart
 *
 * Concurrency contract
 *   - Writer (the service lcore, one thread only): create, add, del,
 *     destroy. Never two writers at once.
 *   - Readers (workers, any number, any time): lookup, lookup_burst, where,
 *     stats. No lock, no retry loop that waits for the writer, no RCU
 *     needed by the table itself: a reader either sees a key → value pair
 *     that was in the table while it looked, or a miss, and never misses a
 *     key that was in the table throughout (entries moved by an insert are
 *     found). A slot freed by del is reused at once; readers that raced
 *     with the reuse or a move notice it through the bucket's version and
 *     look again.
 *   - What a value refers to is the caller's business: after del(key) a
 *     worker may still hold the value it read in the current poll loop, so
 *     the media leg or allocation behind the value may be reused only after
 *     an RCU grace period (liburcu QSBR: every worker has reported a
 *     quiescent state), exactly as with any other RCU-protected object.
 *   - destroy only after no reader can reach the table any more (unpublish
 *     the pointer, then a grace period).
 */
#ifndef SLUICE_DP_HASH_H
#define SLUICE_DP_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The value a lookup returns on a miss; add refuses to store it. */
#define DP_HASH_NONE UINT32_MAX

/* Largest capacity create accepts. */
#define DP_HASH_CAPACITY_MAX (UINT32_C(1) << 28)

/*
 * Key of the 5-tuple table: addresses and ports in network order as they
 * are in the packet, zero padding, so that keys compare as 16 bytes. Build
 * it with dp_hash_5t_key_make() so that the padding is always zero.
 */
struct dp_hash_5t_key {
	uint32_t src_addr;
	uint32_t dst_addr;
	uint16_t src_port;
	uint16_t dst_port;
	uint8_t proto;
	uint8_t pad[3];
};

_Static_assert(sizeof(struct dp_hash_5t_key) == 16,
	       "struct dp_hash_5t_key must be 16 bytes with no hidden padding");

static inline struct dp_hash_5t_key
dp_hash_5t_key_make(uint32_t src_addr, uint32_t dst_addr, uint16_t src_port,
		    uint16_t dst_port, uint8_t proto)
{
	struct dp_hash_5t_key k = {
		.src_addr = src_addr, .dst_addr = dst_addr,
		.src_port = src_port, .dst_port = dst_port,
		.proto = proto, .pad = { 0, 0, 0 },
	};

	return k;
}

struct dp_hash_u32;
struct dp_hash_5t;

struct dp_hash_stats {
	uint32_t capacity;       /* entries add accepts */
	uint32_t entries;        /* entries now */
	uint32_t buckets;
	uint32_t slots;          /* buckets × slots per bucket */
	uint32_t in_secondary;   /* entries living in their secondary bucket */
	uint64_t moves;          /* entries moved to make room (cuckoo) */
	uint64_t add_full;       /* adds refused for want of a slot on any path */
	size_t bytes;            /* memory allocated for the table */
};

/* Where a key lives: for tests and diagnostics. */
struct dp_hash_where {
	uint32_t primary;
	uint32_t secondary;
	uint16_t sig;            /* 5-tuple table only; 0 for u32 */
	uint8_t group;           /* overflow group in the primary, 0..7 */
};

/* --- uint32 keys (multiplexIDs) ------------------------------------------- */

/* Writer. NULL with errno EINVAL (capacity 0 or over the maximum) or
 * ENOMEM. The seed keys the hash: pass a random one in production. */
struct dp_hash_u32 *dp_hash_u32_create(uint32_t capacity, uint64_t seed);
void dp_hash_u32_destroy(struct dp_hash_u32 *h);

/* Writer. 0, or -EEXIST (key present), -ENOSPC (full), -EINVAL (value is
 * DP_HASH_NONE). */
int dp_hash_u32_add(struct dp_hash_u32 *h, uint32_t key, uint32_t value);
/* Writer. 0 or -ENOENT. */
int dp_hash_u32_del(struct dp_hash_u32 *h, uint32_t key);

/* Reader. The value, or DP_HASH_NONE. */
uint32_t dp_hash_u32_lookup(const struct dp_hash_u32 *h, uint32_t key);
/* Reader. values[i] for keys[i], DP_HASH_NONE on a miss; returns the hits.
 * Hashes and prefetches the whole burst before comparing. */
unsigned dp_hash_u32_lookup_burst(const struct dp_hash_u32 *h,
				  const uint32_t *keys, unsigned n,
				  uint32_t *values);

void dp_hash_u32_stats(const struct dp_hash_u32 *h, struct dp_hash_stats *st);
struct dp_hash_where dp_hash_u32_where(const struct dp_hash_u32 *h,
				       uint32_t key);

/* --- 5-tuple keys (TURN allocations) --------------------------------------- */

struct dp_hash_5t *dp_hash_5t_create(uint32_t capacity, uint64_t seed);
void dp_hash_5t_destroy(struct dp_hash_5t *h);
int dp_hash_5t_add(struct dp_hash_5t *h, const struct dp_hash_5t_key *key,
		   uint32_t value);
int dp_hash_5t_del(struct dp_hash_5t *h, const struct dp_hash_5t_key *key);
uint32_t dp_hash_5t_lookup(const struct dp_hash_5t *h,
			   const struct dp_hash_5t_key *key);
unsigned dp_hash_5t_lookup_burst(const struct dp_hash_5t *h,
				 const struct dp_hash_5t_key *keys, unsigned n,
				 uint32_t *values);
/*
 * Reader. Candidates, not answers: values[i] is the value of the first
 * lane of keys[i]'s primary bucket whose 16-bit signature matches, or
 * DP_HASH_NONE when none does. The key lines are not read, so a burst
 * costs one cache line a key instead of two. For callers whose values
 * name objects that carry their key (a TURN allocation holds its client
 * 5-tuple): confirm each candidate against its object, and take
 * dp_hash_5t_lookup() for DP_HASH_NONE or an unconfirmed candidate (the
 * key may live in its secondary bucket, share a signature with another,
 * or have moved or been replaced while the burst read; the object must
 * stay readable meanwhile, as RCU-deferred reuse guarantees).
 */
void dp_hash_5t_candidates_burst(const struct dp_hash_5t *h,
				 const struct dp_hash_5t_key *keys,
				 unsigned n, uint32_t *values);
void dp_hash_5t_stats(const struct dp_hash_5t *h, struct dp_hash_stats *st);
struct dp_hash_where dp_hash_5t_where(const struct dp_hash_5t *h,
				      const struct dp_hash_5t_key *key);

#ifdef DP_HASH_TEST_HOOKS
/*
 * Unit-test builds only (tests/unit compiles dp_hash.c with this defined):
 * a reader calls the test's dp_hash_test_pause() at these points, so that
 * a test can change the table between two of the reader's loads.
 */
enum dp_hash_pause {
	DP_HASH_PAUSE_5T_BURST_KEY,   /* burst: key compared, value not read */
	DP_HASH_PAUSE_5T_FIND_KEY,    /* single: the same */
	DP_HASH_PAUSE_U32_BURST_SCANNED, /* burst: primary searched, its
					  * overflow count not read */
	DP_HASH_PAUSE_U32_FIND_SCANNED,  /* single: the same */
};
void dp_hash_test_pause(enum dp_hash_pause point);
#endif

#endif /* SLUICE_DP_HASH_H */
