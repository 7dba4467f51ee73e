/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_hash.c — which hash table the flow tables should use. For each key
 * kind and table size it measures lookups per burst, insert and delete
 * rates and bytes per entry; then lookups while a writer churns.
 *
 *   rte_hash  DPDK's cuckoo hash: RW_CONCURRENCY_LF | NO_FREE_ON_DEL (lock-
 *             free readers, one writer, key slots freed by the writer after
 *             a grace period), hash rte_hash_crc (the CRC32 instruction);
 *             rte_hash_lookup_bulk_data ("bulk") and rte_hash_lookup_data
 *             one key at a time ("single")
 *   cds_lfht  liburcu's RCU hash table, QSBR flavour, fixed bucket count,
 *             nodes embedded in a preallocated array, hash rte_hash_crc;
 *             cds_lfht_lookup one key at a time (there is no bulk lookup)
 *   dp_hash   dataplane/dp_hash.c: dp_hash_*_lookup_burst ("burst") and
 *             dp_hash_*_lookup ("single")
 *
 * Key kinds: u32 (multiplexID → media leg) and 5t (the 16-byte IPv4
 * 5-tuple → TURN allocation). Every table is sized so that the n entries
 * fill at most 75% of its slots; rte_hash and cds_lfht round up to a power
 * of two, dp_hash does not, so their real load is printed.
 *
 * Threads: the EAL main lcore (0) is the writer: it builds, inserts,
 * deletes and churns. Lcore 1 is the reader: it takes every lookup figure,
 * as a liburcu QSBR reader that reports a quiescent state after every
 * burst, as a worker's poll loop does.
 *
 *   untimed: the next 32 queries (a shuffled stream, read sequentially so
 *            that only the table misses the cache); rte_hash's key pointers
 *   timed:   one bulk/burst lookup, or 32 single lookups
 *            (rte_rdtsc_precise pair)
 *   untimed: every value checked against the expected one; quiescent state
 *
 * Streams: "hit" (every key present) and "mix" (16 of every 32 absent, at
 * random lanes). Trials are interleaved across methods, so the machine's
 * noise falls on all of them alike. Reported: median and min/max over the
 * trials of cycles per lookup (the timer pair included, about 2 cycles per
 * lookup); inserts and deletes per second on the writer; bytes per entry
 * from the allocators' own counters (rte_malloc heap stats for rte_hash,
 * glibc mallinfo2 for the others).
 *
 * Churn: n entries, of which n/10 come and go. The writer deletes 32,
 * waits for a grace period (synchronize_rcu), frees (rte_hash positions,
 * cds_lfht nodes), adds 32 others, again and again, while the reader looks
 * up present and churned keys; the same reader without the writer is the
 * quiet baseline.
 *
 * Speed is reported, never judged. Exit status: 1 when a functional check
 * failed (a lookup returned a wrong value or missed a present key, an
 * insert or delete failed), 77 when EAL cannot start, 0 otherwise.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_version.h>

#include <urcu-qsbr.h>
#include <urcu/rculfhash.h>

#include "bench_args.h"
#include "dp_hash.h"

#define BURST          32
#define MAX_SIZES      8
#define MAX_TRIALS     101
#define LOAD_PCT       75          /* slots in use at n entries, at most */
#define STREAM_MIN     65536       /* queries in a stream, at least */
#define STREAM_MAX     (1u << 20)
#define CHURN_BATCH    32          /* deletes (then adds) per grace period */
#define WRITER_LCORE   0           /* the EAL main lcore */
#define READER_LCORE   1

/* --- options -------------------------------------------------------------- */

enum key_kind { KK_U32, KK_5T, N_KINDS };
static const char *const kind_names[N_KINDS] = { "u32", "5t" };

struct bench_opts {
	unsigned n_sizes;
	uint32_t sizes[MAX_SIZES];
	bool kind_on[N_KINDS];
	unsigned trials;
	uint64_t lookups;          /* per trial, method and stream */
	double seconds;            /* > 0: each lookup trial stops by then */
	uint32_t churn_n;          /* 0: no churn run */
	uint64_t seed;
	bool quick;
	const char *json;
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: bench_hash [--sizes 1000,100000,1000000] [--keys u32,5t]\n"
		"                  [--trials N] [--lookups M] [--seconds S]\n"
		"                  [--churn N] [--seed X] [--quick] [--json FILE]\n"
		"  --sizes LIST  entries per table (default 1000,100000,1000000)\n"
		"  --keys LIST   key kinds: u32 (multiplexID), 5t (IPv4 5-tuple)\n"
		"  --trials N    trials per figure, interleaved (default 9)\n"
		"  --lookups M   lookups per trial, method and stream\n"
		"                (default 1000000)\n"
		"  --seconds S   caps the lookups of each size (and of each\n"
		"                churn run) at about S seconds\n"
		"  --churn N     entries in the churn run (default 100000; 0: none)\n"
		"  --seed X      key and query streams (default 1)\n"
		"  --quick       smoke run: --sizes 1000,10000 --trials 3\n"
		"                --lookups 100000 --churn 10000 --seconds 1\n"
		"  --json FILE   write every figure as JSON\n"
		"Runs on lcores 0 (writer) and 1 (reader): needs 2 CPUs.\n"
		"Exit status: 0 when every check passed, 1 when not, 77 when EAL\n"
		"cannot start here. Never speed.\n");
}

static int
parse_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi,
	  uint64_t *out)
{
	return bench_parse_u64("bench_hash", opt, s, lo, hi, out);
}

static int
parse_sizes(const char *s, struct bench_opts *o)
{
	uint64_t v[MAX_SIZES];
	unsigned i;

	if (bench_parse_u64_list("bench_hash", "--sizes", s, 64, 16u << 20, v,
				 MAX_SIZES, &o->n_sizes) != 0)
		return -1;
	for (i = 0; i < o->n_sizes; i++)
		o->sizes[i] = (uint32_t)v[i];
	return 0;
}

static int
parse_kinds(const char *s, struct bench_opts *o)
{
	char buf[64], *tok, *save = NULL;
	unsigned k;

	if (strlen(s) >= sizeof(buf)) {
		fprintf(stderr, "bench_hash: --keys \"%s\": too long\n", s);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	for (k = 0; k < N_KINDS; k++)
		o->kind_on[k] = false;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < N_KINDS; k++)
			if (strcmp(tok, kind_names[k]) == 0)
				break;
		if (k == N_KINDS) {
			fprintf(stderr, "bench_hash: --keys: \"%s\" is not "
				"u32 or 5t\n", tok);
			return -1;
		}
		o->kind_on[k] = true;
	}
	return 0;
}

static int
parse_opts(int argc, char **argv, struct bench_opts *o)
{
	static const struct option longopts[] = {
		{ "sizes",   required_argument, NULL, 'z' },
		{ "keys",    required_argument, NULL, 'k' },
		{ "trials",  required_argument, NULL, 't' },
		{ "lookups", required_argument, NULL, 'n' },
		{ "seconds", required_argument, NULL, 's' },
		{ "churn",   required_argument, NULL, 'c' },
		{ "seed",    required_argument, NULL, 'r' },
		{ "quick",   no_argument,       NULL, 'q' },
		{ "json",    required_argument, NULL, 'j' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool sizes_set = false, trials_set = false, lookups_set = false;
	bool churn_set = false, seconds_set = false;
	uint64_t v;
	char *end;
	int c;

	*o = (struct bench_opts){ .n_sizes = 3,
				  .sizes = { 1000, 100000, 1000000 },
				  .kind_on = { true, true }, .trials = 9,
				  .lookups = 1000000, .churn_n = 100000,
				  .seed = 1 };
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'z':
			if (parse_sizes(optarg, o) != 0)
				return -1;
			sizes_set = true;
			break;
		case 'k':
			if (parse_kinds(optarg, o) != 0)
				return -1;
			break;
		case 't':
			if (parse_u64("--trials", optarg, 1, MAX_TRIALS, &v))
				return -1;
			o->trials = (unsigned)v;
			trials_set = true;
			break;
		case 'n':
			if (parse_u64("--lookups", optarg, BURST,
				      UINT64_C(1) << 36, &v))
				return -1;
			o->lookups = v;
			lookups_set = true;
			break;
		case 's':
			errno = 0;
			o->seconds = strtod(optarg, &end);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    !(o->seconds > 0 && o->seconds <= 3600)) {
				fprintf(stderr, "bench_hash: --seconds \"%s\": "
					"want a number in (0, 3600]\n", optarg);
				return -1;
			}
			seconds_set = true;
			break;
		case 'c':
			if (parse_u64("--churn", optarg, 0, 16u << 20, &v))
				return -1;
			if (v != 0 && v < 1000) {
				fprintf(stderr, "bench_hash: --churn: 0 or at "
					"least 1000\n");
				return -1;
			}
			o->churn_n = (uint32_t)v;
			churn_set = true;
			break;
		case 'r':
			if (parse_u64("--seed", optarg, 0, UINT64_MAX, &v))
				return -1;
			o->seed = v;
			break;
		case 'q':
			o->quick = true;
			break;
		case 'j':
			o->json = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "bench_hash: unexpected argument \"%s\"\n",
			argv[optind]);
		usage(stderr);
		return -1;
	}
	if (o->quick) {   /* explicit options win */
		if (!sizes_set) {
			o->n_sizes = 2;
			o->sizes[0] = 1000;
			o->sizes[1] = 10000;
		}
		if (!trials_set)
			o->trials = 3;
		if (!lookups_set)
			o->lookups = 100000;
		if (!churn_set)
			o->churn_n = 10000;
		if (!seconds_set)
			o->seconds = 1;
	}
	if (!o->kind_on[KK_U32] && !o->kind_on[KK_5T]) {
		fprintf(stderr, "bench_hash: --keys: no key kind\n");
		return -1;
	}
	return 0;
}

/* --- failures ------------------------------------------------------------- */

static int failures;

/* From either lcore. */
#define FAIL(...) do {                                                  \
		fprintf(stderr, "FAIL: " __VA_ARGS__);                  \
		fputc('\n', stderr);                                    \
		__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);     \
	} while (0)

/* --- keys and query streams ----------------------------------------------- */

static uint64_t
splitmix64(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t
rnd_below(uint64_t *s, uint32_t n)
{
	return (uint32_t)(((splitmix64(s) & 0xffffffffu) * n) >> 32);
}

/* A bijection on 32 bits (murmur3's finaliser): distinct i, distinct keys. */
static uint32_t
fmix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x;
}

static void
shuffle(uint32_t *a, uint32_t n, uint64_t *s)
{
	uint32_t i, j, t;

	for (i = n; i > 1; i--) {
		j = rnd_below(s, i);
		t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

enum stream_id { S_HIT, S_MIX, N_STREAMS };
static const char *const stream_names[N_STREAMS] = { "hit", "mix" };

/*
 * Keys [0, n) go into the tables, value = index; keys [n, 2n) never do
 * (the misses; the churn run's extra keys). Queries are key indexes, and
 * the keys themselves copied in query order so that the reader reads
 * them sequentially.
 */
struct dataset {
	enum key_kind kind;
	uint32_t n;
	uint32_t n_keys;                    /* 2n */
	uint32_t *ku;                       /* [2n] */
	struct dp_hash_5t_key *kt;          /* [2n] */
	uint32_t q_len;                     /* a multiple of BURST */
	uint32_t *q_idx[N_STREAMS];
	uint32_t *qu[N_STREAMS];
	struct dp_hash_5t_key *qt[N_STREAMS];
};

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (p == NULL) {
		fprintf(stderr, "bench_hash: out of memory (%zu x %zu)\n", n,
			size);
		exit(1);
	}
	return p;
}

static void
dataset_keys(struct dataset *ds, uint64_t *s)
{
	uint32_t salt = (uint32_t)splitmix64(s), i;

	ds->n_keys = 2 * ds->n;
	if (ds->kind == KK_U32) {
		ds->ku = xcalloc(ds->n_keys, sizeof(*ds->ku));
		for (i = 0; i < ds->n_keys; i++)
			ds->ku[i] = fmix32(i + salt);
		return;
	}
	/* clients anywhere, talking to one of four relay addresses on 3478;
	 * the source address alone makes the keys distinct */
	ds->kt = xcalloc(ds->n_keys, sizeof(*ds->kt));
	for (i = 0; i < ds->n_keys; i++) {
		uint64_t r = splitmix64(s);

		ds->kt[i] = dp_hash_5t_key_make(
			fmix32(i + salt), 0xcb00710au + (uint32_t)(r & 3),
			(uint16_t)(1024 + (r >> 8) % 64512), 3478,
			(r >> 40) % 8 == 0 ? 6 : 17);
	}
}

/* idx[] → the query keys, in order. */
static void
dataset_materialise(struct dataset *ds, enum stream_id st)
{
	uint32_t i;

	if (ds->kind == KK_U32) {
		ds->qu[st] = xcalloc(ds->q_len, sizeof(*ds->qu[st]));
		for (i = 0; i < ds->q_len; i++)
			ds->qu[st][i] = ds->ku[ds->q_idx[st][i]];
	} else {
		ds->qt[st] = xcalloc(ds->q_len, sizeof(*ds->qt[st]));
		for (i = 0; i < ds->q_len; i++)
			ds->qt[st][i] = ds->kt[ds->q_idx[st][i]];
	}
}

/* Indexes [lo, lo + span) in shuffled rounds, as a stream of len. */
static void
stream_fill(uint32_t *out, uint32_t len, uint32_t lo, uint32_t span,
	    uint64_t *s)
{
	uint32_t *perm = xcalloc(span, sizeof(*perm)), i, k = span;

	for (i = 0; i < len; i++) {
		if (k == span) {
			for (k = 0; k < span; k++)
				perm[k] = lo + k;
			shuffle(perm, span, s);
			k = 0;
		}
		out[i] = perm[k++];
	}
	free(perm);
}

static void
dataset_build(struct dataset *ds, enum key_kind kind, uint32_t n,
	      uint64_t seed)
{
	uint64_t s = seed ^ ((uint64_t)n << 8) ^ kind;
	uint32_t *hits, *misses, b, j, lanes[BURST], nh = 0, nm = 0;

	memset(ds, 0, sizeof(*ds));
	ds->kind = kind;
	ds->n = n;
	dataset_keys(ds, &s);
	ds->q_len = n < STREAM_MIN ? STREAM_MIN : n > STREAM_MAX ? STREAM_MAX :
		    n;
	ds->q_len = (ds->q_len + BURST - 1) / BURST * BURST;
	ds->q_idx[S_HIT] = xcalloc(ds->q_len, sizeof(uint32_t));
	stream_fill(ds->q_idx[S_HIT], ds->q_len, 0, n, &s);
	/* mix: per burst, 16 absent keys at random lanes */
	ds->q_idx[S_MIX] = xcalloc(ds->q_len, sizeof(uint32_t));
	hits = xcalloc(ds->q_len / 2, sizeof(uint32_t));
	misses = xcalloc(ds->q_len / 2, sizeof(uint32_t));
	stream_fill(hits, ds->q_len / 2, 0, n, &s);
	stream_fill(misses, ds->q_len / 2, n, n, &s);
	for (b = 0; b < ds->q_len / BURST; b++) {
		for (j = 0; j < BURST; j++)
			lanes[j] = j < BURST / 2;
		shuffle(lanes, BURST, &s);
		for (j = 0; j < BURST; j++)
			ds->q_idx[S_MIX][b * BURST + j] =
				lanes[j] ? misses[nm++] : hits[nh++];
	}
	free(hits);
	free(misses);
	dataset_materialise(ds, S_HIT);
	dataset_materialise(ds, S_MIX);
}

static void
dataset_free(struct dataset *ds)
{
	unsigned st;

	free(ds->ku);
	free(ds->kt);
	for (st = 0; st < N_STREAMS; st++) {
		free(ds->q_idx[st]);
		free(ds->qu[st]);
		free(ds->qt[st]);
	}
	memset(ds, 0, sizeof(*ds));
}

static const void *
key_ptr(const struct dataset *ds, uint32_t i)
{
	return ds->kind == KK_U32 ? (const void *)&ds->ku[i] :
				    (const void *)&ds->kt[i];
}

static uint32_t
key_len(enum key_kind kind)
{
	return kind == KK_U32 ? sizeof(uint32_t) :
				sizeof(struct dp_hash_5t_key);
}

/* --- the three tables ------------------------------------------------------ */

enum table_id { T_RTE, T_LFHT, T_DP, N_TABLES };
static const char *const table_names[N_TABLES] = {
	"rte_hash", "cds_lfht", "dp_hash" };

/* cds_lfht entries: the node embedded, preallocated, never malloc'ed at
 * lookup or insert. One type per key kind, so that neither pays for the
 * other's key. */
struct lf_u32 {
	struct cds_lfht_node node;
	uint32_t key;
	uint32_t value;
};

struct lf_5t {
	struct cds_lfht_node node;
	struct dp_hash_5t_key key;
	uint32_t value;
};

struct tables {
	enum key_kind kind;
	uint32_t cap;
	/* rte_hash */
	struct rte_hash *rte;
	uint32_t rte_entries;            /* the `entries` parameter */
	int32_t *rte_pos;                /* key index → position, for del */
	/* cds_lfht: entry slots from a free stack, key index → slot */
	struct cds_lfht *lf;
	uint32_t lf_buckets;
	struct lf_u32 *lfu;              /* [cap] */
	struct lf_5t *lft;               /* [cap] */
	uint32_t *lf_slot;               /* [keys]: key index → entry slot */
	uint32_t *lf_free;               /* [cap] free slots */
	uint32_t lf_nfree;
	/* dp_hash */
	struct dp_hash_u32 *dpu;
	struct dp_hash_5t *dpt;
	/* what creation allocated, per table */
	size_t bytes[N_TABLES];
	double load[N_TABLES];           /* n / slots (lfht: per bucket) */
	uint32_t slots[N_TABLES];
};

static size_t
rte_heap_allocated(void)
{
	struct rte_malloc_socket_stats st;
	size_t total = 0;
	unsigned i;

	for (i = 0; i < rte_socket_count(); i++)
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i),
						&st) == 0)
			total += st.heap_allocsz_bytes;
	return total;
}

static size_t
libc_allocated(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static uint32_t
pow2_at_least(uint64_t x)
{
	uint32_t p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

static uint32_t
lf_hash(enum key_kind kind, const void *key)
{
	return rte_hash_crc(key, key_len(kind), 0);
}

static int
lf_match_u32(struct cds_lfht_node *node, const void *key)
{
	const struct lf_u32 *e = caa_container_of(node, struct lf_u32, node);

	return e->key == *(const uint32_t *)key;
}

static int
lf_match_5t(struct cds_lfht_node *node, const void *key)
{
	const struct lf_5t *e = caa_container_of(node, struct lf_5t, node);

	return memcmp(&e->key, key, sizeof(e->key)) == 0;
}

/* The entry a node belongs to. */
static uint32_t
lf_value(enum key_kind kind, struct cds_lfht_node *node)
{
	return kind == KK_U32 ?
	       caa_container_of(node, struct lf_u32, node)->value :
	       caa_container_of(node, struct lf_5t, node)->value;
}

/* Writer. Creates table `t` for `cap` entries, counting what it allocates;
 * n_keys sizes the benchmark's own bookkeeping (not counted). */
static void
table_create(struct tables *tb, enum table_id t, enum key_kind kind,
	     uint32_t cap, uint32_t n_keys)
{
	static unsigned seq;
	char name[RTE_HASH_NAMESIZE];
	size_t before;
	uint32_t i;

	tb->kind = kind;
	tb->cap = cap;
	switch (t) {
	case T_RTE: {
		struct rte_hash_parameters p = {
			.name = name,
			.entries = (uint32_t)(((uint64_t)cap * 100 +
					       LOAD_PCT - 1) / LOAD_PCT),
			.key_len = key_len(kind),
			.hash_func = rte_hash_crc,
			.hash_func_init_val = 0,
			.socket_id = (int)rte_socket_id(),
			.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF |
				      RTE_HASH_EXTRA_FLAGS_NO_FREE_ON_DEL,
		};

		if (p.entries < 8)
			p.entries = 8;
		snprintf(name, sizeof(name), "bh%u", seq++);
		before = rte_heap_allocated();
		tb->rte = rte_hash_create(&p);
		if (tb->rte == NULL) {
			fprintf(stderr, "bench_hash: rte_hash_create(%" PRIu32
				"): %s\n", p.entries, rte_strerror(rte_errno));
			exit(1);
		}
		tb->bytes[t] = rte_heap_allocated() - before;
		tb->rte_entries = p.entries;
		tb->slots[t] = pow2_at_least(p.entries);
		tb->rte_pos = xcalloc(n_keys, sizeof(*tb->rte_pos));
		break;
	}
	case T_LFHT:
		tb->lf_buckets = pow2_at_least(((uint64_t)cap * 100 +
						LOAD_PCT - 1) / LOAD_PCT);
		before = libc_allocated();
		tb->lf = cds_lfht_new(tb->lf_buckets, tb->lf_buckets,
				      tb->lf_buckets, 0, NULL);
		if (kind == KK_U32)
			tb->lfu = xcalloc(cap, sizeof(*tb->lfu));
		else
			tb->lft = xcalloc(cap, sizeof(*tb->lft));
		tb->bytes[t] = libc_allocated() - before;
		if (tb->lf == NULL) {
			fprintf(stderr, "bench_hash: cds_lfht_new failed\n");
			exit(1);
		}
		tb->slots[t] = tb->lf_buckets;
		tb->lf_slot = xcalloc(n_keys, sizeof(*tb->lf_slot));
		tb->lf_free = xcalloc(cap, sizeof(*tb->lf_free));
		for (i = 0; i < cap; i++)
			tb->lf_free[i] = cap - 1 - i;
		tb->lf_nfree = cap;
		break;
	case T_DP: {
		struct dp_hash_stats st;

		before = libc_allocated();
		if (kind == KK_U32)
			tb->dpu = dp_hash_u32_create(cap, UINT64_C(0x5eed) ^
						     cap);
		else
			tb->dpt = dp_hash_5t_create(cap, UINT64_C(0x5eed) ^
						    cap);
		tb->bytes[t] = libc_allocated() - before;
		if (tb->dpu == NULL && tb->dpt == NULL) {
			fprintf(stderr, "bench_hash: dp_hash create: %s\n",
				strerror(errno));
			exit(1);
		}
		if (tb->dpu != NULL)
			dp_hash_u32_stats(tb->dpu, &st);
		else
			dp_hash_5t_stats(tb->dpt, &st);
		tb->slots[t] = st.slots;
		break;
	}
	case N_TABLES:
		break;
	}
	tb->load[t] = (double)cap / tb->slots[t];
}

static void
table_destroy(struct tables *tb, enum table_id t)
{
	switch (t) {
	case T_RTE:
		rte_hash_free(tb->rte);
		tb->rte = NULL;
		free(tb->rte_pos);
		tb->rte_pos = NULL;
		break;
	case T_LFHT:
		if (tb->lf != NULL && cds_lfht_destroy(tb->lf, NULL) != 0)
			FAIL("cds_lfht_destroy: the table is not empty");
		tb->lf = NULL;
		free(tb->lfu);
		free(tb->lft);
		free(tb->lf_slot);
		free(tb->lf_free);
		tb->lfu = NULL;
		tb->lft = NULL;
		tb->lf_slot = NULL;
		tb->lf_free = NULL;
		break;
	case T_DP:
		dp_hash_u32_destroy(tb->dpu);
		dp_hash_5t_destroy(tb->dpt);
		tb->dpu = NULL;
		tb->dpt = NULL;
		break;
	case N_TABLES:
		break;
	}
}

/* Writer: key i with value i. 0 or a negative errno. */
static int
table_add(struct tables *tb, enum table_id t, const struct dataset *ds,
	  uint32_t i)
{
	switch (t) {
	case T_RTE:
		return rte_hash_add_key_data(tb->rte, key_ptr(ds, i),
					     (void *)(uintptr_t)i);
	case T_LFHT: {
		struct cds_lfht_node *node, *got;
		uint32_t slot;

		if (tb->lf_nfree == 0)
			return -ENOSPC;
		slot = tb->lf_free[--tb->lf_nfree];
		if (ds->kind == KK_U32) {
			struct lf_u32 *e = &tb->lfu[slot];

			e->key = ds->ku[i];
			e->value = i;
			node = &e->node;
		} else {
			struct lf_5t *e = &tb->lft[slot];

			e->key = ds->kt[i];
			e->value = i;
			node = &e->node;
		}
		cds_lfht_node_init(node);
		got = cds_lfht_add_unique(tb->lf, lf_hash(ds->kind,
							  key_ptr(ds, i)),
					  ds->kind == KK_U32 ? lf_match_u32 :
							       lf_match_5t,
					  key_ptr(ds, i), node);
		if (got != node) {
			tb->lf_free[tb->lf_nfree++] = slot;
			return -EEXIST;
		}
		tb->lf_slot[i] = slot;
		return 0;
	}
	case T_DP:
		return ds->kind == KK_U32 ?
		       dp_hash_u32_add(tb->dpu, ds->ku[i], i) :
		       dp_hash_5t_add(tb->dpt, &ds->kt[i], i);
	case N_TABLES:
		break;
	}
	return -EINVAL;
}

/*
 * Writer: unhooks key i. What readers may still hold is handed back by
 * table_reclaim() after a grace period: rte_hash's key slot (its
 * position), cds_lfht's node; dp_hash has nothing to hand back.
 */
static int
table_del(struct tables *tb, enum table_id t, const struct dataset *ds,
	  uint32_t i)
{
	switch (t) {
	case T_RTE: {
		int32_t pos = rte_hash_del_key(tb->rte, key_ptr(ds, i));

		if (pos < 0)
			return pos;
		tb->rte_pos[i] = pos;
		return 0;
	}
	case T_LFHT: {
		struct cds_lfht_iter it;
		struct cds_lfht_node *node;

		cds_lfht_lookup(tb->lf, lf_hash(ds->kind, key_ptr(ds, i)),
				ds->kind == KK_U32 ? lf_match_u32 :
						     lf_match_5t,
				key_ptr(ds, i), &it);
		node = cds_lfht_iter_get_node(&it);
		if (node == NULL)
			return -ENOENT;
		return cds_lfht_del(tb->lf, node) == 0 ? 0 : -ENOENT;
	}
	case T_DP:
		return ds->kind == KK_U32 ? dp_hash_u32_del(tb->dpu, ds->ku[i]) :
		       dp_hash_5t_del(tb->dpt, &ds->kt[i]);
	case N_TABLES:
		break;
	}
	return -EINVAL;
}

/* Writer, after a grace period: what table_del() left for key i. */
static void
table_reclaim(struct tables *tb, enum table_id t, uint32_t i)
{
	if (t == T_RTE) {
		if (rte_hash_free_key_with_position(tb->rte,
						    tb->rte_pos[i]) != 0)
			FAIL("rte_hash_free_key_with_position(%" PRId32
			     ") refused", tb->rte_pos[i]);
	} else if (t == T_LFHT) {
		tb->lf_free[tb->lf_nfree++] = tb->lf_slot[i];
	}
}

static uint32_t
table_count(const struct tables *tb, enum table_id t)
{
	struct dp_hash_stats st;

	switch (t) {
	case T_RTE:
		return (uint32_t)rte_hash_count(tb->rte);
	case T_LFHT: {
		long before, after;
		unsigned long count;

		cds_lfht_count_nodes(tb->lf, &before, &count, &after);
		return (uint32_t)count;
	}
	case T_DP:
		if (tb->dpu != NULL)
			dp_hash_u32_stats(tb->dpu, &st);
		else
			dp_hash_5t_stats(tb->dpt, &st);
		return st.entries;
	case N_TABLES:
		break;
	}
	return 0;
}

/* --- lookups (the timed part) ----------------------------------------------- */

enum method_id { M_RTE_BULK, M_RTE_SINGLE, M_LFHT, M_DP_BURST, M_DP_SINGLE,
		 N_METHODS };

static const struct method {
	const char *name;
	enum table_id table;
	const char *what;
} methods[N_METHODS] = {
	{ "rte_hash bulk", T_RTE, "rte_hash_lookup_bulk_data, 32 keys" },
	{ "rte_hash single", T_RTE, "rte_hash_lookup_data x 32" },
	{ "cds_lfht single", T_LFHT, "cds_lfht_lookup x 32 (no bulk API)" },
	{ "dp_hash burst", T_DP, "dp_hash_*_lookup_burst, 32 keys" },
	{ "dp_hash single", T_DP, "dp_hash_*_lookup x 32" },
};

/*
 * One burst of BURST queries from qu/qt (u32 or 5t) into vals[];
 * kp[] holds the same keys' addresses (rte_hash and cds_lfht take those).
 * Reader context: inside the QSBR read side.
 */
static inline void
lookup_burst(const struct tables *tb, enum method_id m, enum key_kind kind,
	     const uint32_t *qu, const struct dp_hash_5t_key *qt,
	     const void **kp, uint32_t *vals)
{
	unsigned i;

	switch (m) {
	case M_RTE_BULK: {
		void *data[BURST];
		uint64_t hit = 0;

		rte_hash_lookup_bulk_data(tb->rte, kp, BURST, &hit, data);
		for (i = 0; i < BURST; i++)
			vals[i] = hit >> i & 1 ? (uint32_t)(uintptr_t)data[i] :
						 DP_HASH_NONE;
		break;
	}
	case M_RTE_SINGLE:
		for (i = 0; i < BURST; i++) {
			void *data;

			vals[i] = rte_hash_lookup_data(tb->rte, kp[i],
						       &data) >= 0 ?
				  (uint32_t)(uintptr_t)data : DP_HASH_NONE;
		}
		break;
	case M_LFHT:
		rcu_read_lock();
		for (i = 0; i < BURST; i++) {
			struct cds_lfht_iter it;
			struct cds_lfht_node *node;

			cds_lfht_lookup(tb->lf, lf_hash(kind, kp[i]),
					kind == KK_U32 ? lf_match_u32 :
							 lf_match_5t,
					kp[i], &it);
			node = cds_lfht_iter_get_node(&it);
			vals[i] = node != NULL ? lf_value(kind, node) :
						 DP_HASH_NONE;
		}
		rcu_read_unlock();
		break;
	case M_DP_BURST:
		if (kind == KK_U32)
			dp_hash_u32_lookup_burst(tb->dpu, qu, BURST, vals);
		else
			dp_hash_5t_lookup_burst(tb->dpt, qt, BURST, vals);
		break;
	case M_DP_SINGLE:
		for (i = 0; i < BURST; i++)
			vals[i] = kind == KK_U32 ?
				  dp_hash_u32_lookup(tb->dpu, qu[i]) :
				  dp_hash_5t_lookup(tb->dpt, &qt[i]);
		break;
	case N_METHODS:
		break;
	}
}

/* What a reader must see for query index idx: exactly the value, or (for
 * churned keys) the value or a miss. */
struct expect {
	uint32_t present;       /* [0, present): always in, value = index */
	uint32_t churn_end;     /* [present, churn_end): value or miss */
};

static bool
value_ok(const struct expect *ex, uint32_t idx, uint32_t v)
{
	if (idx < ex->present)
		return v == idx;
	if (idx < ex->churn_end)
		return v == idx || v == DP_HASH_NONE;
	return v == DP_HASH_NONE;
}

/* A reader's job on lcore 1: lookups from one stream with one method. */
struct reader_job {
	const struct tables *tb;
	enum method_id m;
	enum key_kind kind;
	const uint32_t *q_idx;
	const uint32_t *qu;
	const struct dp_hash_5t_key *qt;
	uint32_t q_len;
	uint32_t pos;              /* in/out: where the stream continues */
	struct expect ex;
	unsigned trials;           /* trials of `lookups` each */
	uint64_t lookups;
	uint64_t trial_tsc;        /* > 0: a trial stops after this long */
	/* out */
	int finished;              /* set last */
	double cpl[MAX_TRIALS];    /* cycles per lookup */
	uint64_t errors;
};

static int
reader_main(void *arg)
{
	struct reader_job *j = arg;
	const void *kp[BURST];
	uint32_t vals[BURST];
	unsigned t, i;

	rcu_register_thread();
	for (t = 0; t < j->trials; t++) {
		uint64_t cycles = 0, done = 0, deadline = 0, t0, t1;

		if (j->trial_tsc)
			deadline = rte_rdtsc() + j->trial_tsc;
		while (done < j->lookups &&
		       (deadline == 0 || rte_rdtsc() < deadline)) {
			const uint32_t *qu = j->qu ? j->qu + j->pos : NULL;
			const struct dp_hash_5t_key *qt =
				j->qt ? j->qt + j->pos : NULL;

			for (i = 0; i < BURST; i++)
				kp[i] = qu ? (const void *)&qu[i] :
					     (const void *)&qt[i];
			t0 = rte_rdtsc_precise();
			lookup_burst(j->tb, j->m, j->kind, qu, qt, kp, vals);
			t1 = rte_rdtsc_precise();
			cycles += t1 - t0;
			for (i = 0; i < BURST; i++) {
				uint32_t idx = j->q_idx[j->pos + i];

				if (!value_ok(&j->ex, idx, vals[i]) &&
				    j->errors++ < 5)
					FAIL("%s %s: key %" PRIu32 " of %"
					     PRIu32 ": value %" PRIu32,
					     methods[j->m].name,
					     kind_names[j->kind], idx,
					     j->ex.present, vals[i]);
			}
			rcu_quiescent_state();
			j->pos = (j->pos + BURST) % j->q_len;
			done += BURST;
		}
		j->cpl[t] = done ? (double)cycles / (double)done : 0;
	}
	rcu_unregister_thread();
	__atomic_store_n(&j->finished, 1, __ATOMIC_RELEASE);
	return 0;
}

static void
reader_launch(struct reader_job *j)
{
	j->finished = 0;
	if (rte_eal_remote_launch(reader_main, j, READER_LCORE) != 0) {
		fprintf(stderr, "bench_hash: cannot launch on lcore %d\n",
			READER_LCORE);
		exit(1);
	}
}

/* The writer lcore sleeps meanwhile rather than spin in
 * rte_eal_wait_lcore(): the machine is shared. */
static void
reader_run(struct reader_job *j)
{
	reader_launch(j);
	while (!__atomic_load_n(&j->finished, __ATOMIC_ACQUIRE))
		usleep(200);
	rte_eal_wait_lcore(READER_LCORE);
}

/* --- statistics --------------------------------------------------------------- */

struct stat3 {
	double median, min, max;
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static struct stat3
stat3_of(const double *v, unsigned n)
{
	double s[MAX_TRIALS];
	struct stat3 r = { 0, 0, 0 };

	if (n == 0)
		return r;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	r.min = s[0];
	r.max = s[n - 1];
	r.median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	return r;
}

/* --- one key kind at one size ---------------------------------------------- */

struct size_result {
	enum key_kind kind;
	uint32_t n;
	struct {
		size_t bytes;
		double load;
		uint32_t slots;
		double ins[MAX_TRIALS], del[MAX_TRIALS];   /* ops per second */
		struct stat3 ins_s, del_s;
	} tab[N_TABLES];
	struct {
		double cpl[N_STREAMS][MAX_TRIALS];
		struct stat3 s[N_STREAMS];
	} meth[N_METHODS];
	struct dp_hash_stats dp;          /* after the build */
};

#define RATE_MIN_OPS 200000   /* inserts (and deletes) per rate trial */

/* Writer: inserts keys [0, n); returns the TSC cycles it took. */
static uint64_t
timed_insert(struct tables *tb, enum table_id t, const struct dataset *ds)
{
	uint64_t t0 = rte_rdtsc(), dt;
	uint32_t i;
	int rc;

	for (i = 0; i < ds->n; i++)
		if ((rc = table_add(tb, t, ds, i)) != 0) {
			FAIL("%s %s n=%" PRIu32 ": insert %" PRIu32 ": %s",
			     table_names[t], kind_names[ds->kind], ds->n, i,
			     strerror(-rc));
			break;
		}
	dt = rte_rdtsc() - t0;
	if (table_count(tb, t) != ds->n)
		FAIL("%s %s: %" PRIu32 " entries after %" PRIu32 " inserts",
		     table_names[t], kind_names[ds->kind], table_count(tb, t),
		     ds->n);
	return dt;
}

/*
 * Writer: deletes every key in a shuffled order, timed, then hands back
 * what deletion left (rte_hash positions, cds_lfht nodes) after a grace
 * period, also timed: the writer pays for both. Returns the TSC cycles.
 */
static uint64_t
timed_delete(struct tables *tb, enum table_id t, const struct dataset *ds,
	     const uint32_t *order)
{
	uint64_t t0 = rte_rdtsc(), dt;
	uint32_t i;
	int rc;

	for (i = 0; i < ds->n; i++)
		if ((rc = table_del(tb, t, ds, order[i])) != 0) {
			FAIL("%s %s n=%" PRIu32 ": delete %" PRIu32 ": %s",
			     table_names[t], kind_names[ds->kind], ds->n,
			     order[i], strerror(-rc));
			break;
		}
	synchronize_rcu();
	for (i = 0; i < ds->n; i++)
		table_reclaim(tb, t, order[i]);
	dt = rte_rdtsc() - t0;
	if (table_count(tb, t) != 0)
		FAIL("%s %s: %" PRIu32 " entries left after deleting all",
		     table_names[t], kind_names[ds->kind], table_count(tb, t));
	return dt;
}

/*
 * One rate trial: a fresh table filled and emptied as often as it takes
 * to do RATE_MIN_OPS inserts, so that small tables are timed over more
 * than a few microseconds. Inserts and deletes per second.
 */
static void
rate_trial(struct tables *tb, enum table_id t, const struct dataset *ds,
	   const uint32_t *order, double *ins, double *del)
{
	uint32_t reps = ds->n >= RATE_MIN_OPS ? 1 : RATE_MIN_OPS / ds->n, r;
	uint64_t ci = 0, cd = 0;
	double ops = (double)ds->n * reps, hz = (double)rte_get_tsc_hz();

	table_create(tb, t, ds->kind, ds->n, ds->n_keys);
	for (r = 0; r < reps; r++) {
		ci += timed_insert(tb, t, ds);
		cd += timed_delete(tb, t, ds, order);
	}
	table_destroy(tb, t);
	*ins = ops * hz / (double)ci;
	*del = ops * hz / (double)cd;
}

static void
measure_size(const struct bench_opts *o, enum key_kind kind, uint32_t n,
	     struct size_result *r)
{
	struct dataset ds;
	struct tables tb;
	uint32_t *order;
	uint64_t s = o->seed + 77;
	unsigned t, m, st, tr;
	uint32_t pos[N_METHODS][N_STREAMS];
	uint64_t trial_tsc = 0;

	memset(r, 0, sizeof(*r));
	memset(&tb, 0, sizeof(tb));
	memset(pos, 0, sizeof(pos));
	r->kind = kind;
	r->n = n;
	dataset_build(&ds, kind, n, o->seed);
	order = xcalloc(n, sizeof(*order));
	stream_fill(order, n, 0, n, &s);
	if (o->seconds > 0)
		trial_tsc = (uint64_t)(o->seconds / o->trials /
				       (N_METHODS * N_STREAMS) *
				       (double)rte_get_tsc_hz());

	/* build every table */
	for (t = 0; t < N_TABLES; t++) {
		table_create(&tb, t, kind, n, ds.n_keys);
		r->tab[t].bytes = tb.bytes[t];
		r->tab[t].load = tb.load[t];
		r->tab[t].slots = tb.slots[t];
		timed_insert(&tb, t, &ds);
	}
	if (tb.dpu != NULL)
		dp_hash_u32_stats(tb.dpu, &r->dp);
	else
		dp_hash_5t_stats(tb.dpt, &r->dp);

	/* lookups: warm-up, then trials interleaved across methods */
	for (tr = 0; tr <= o->trials; tr++) {
		for (m = 0; m < N_METHODS; m++) {
			for (st = 0; st < N_STREAMS; st++) {
				struct reader_job j = {
					.tb = &tb, .m = m,
					.kind = kind, .q_idx = ds.q_idx[st],
					.qu = ds.qu[st], .qt = ds.qt[st],
					.q_len = ds.q_len, .pos = pos[m][st],
					.ex = { .present = n, .churn_end = n },
					.trials = 1,
					.lookups = tr == 0 ?
						RTE_MIN(o->lookups, ds.q_len) :
						o->lookups,
					.trial_tsc = trial_tsc,
				};

				reader_run(&j);
				pos[m][st] = j.pos;
				if (tr > 0)
					r->meth[m].cpl[st][tr - 1] = j.cpl[0];
			}
		}
	}

	for (t = 0; t < N_TABLES; t++) {
		timed_delete(&tb, t, &ds, order);
		table_destroy(&tb, t);
	}
	/* insert and delete rates: fresh tables, trials interleaved */
	for (tr = 0; tr < o->trials; tr++)
		for (t = 0; t < N_TABLES; t++)
			rate_trial(&tb, t, &ds, order, &r->tab[t].ins[tr],
				   &r->tab[t].del[tr]);

	for (t = 0; t < N_TABLES; t++) {
		r->tab[t].ins_s = stat3_of(r->tab[t].ins, o->trials);
		r->tab[t].del_s = stat3_of(r->tab[t].del, o->trials);
	}
	for (m = 0; m < N_METHODS; m++)
		for (st = 0; st < N_STREAMS; st++)
			r->meth[m].s[st] = stat3_of(r->meth[m].cpl[st],
						    o->trials);
	free(order);
	dataset_free(&ds);
}

/* --- churn: lookups while the writer adds and deletes ------------------------ */

static const enum method_id churn_methods[N_TABLES] = {
	M_RTE_BULK, M_LFHT, M_DP_BURST };

struct churn_result {
	enum key_kind kind;
	uint32_t n, churn_keys;
	struct {
		double quiet[MAX_TRIALS], busy[MAX_TRIALS];
		struct stat3 q, b;
		double writer_ops_s;       /* adds + deletes per second */
		double grace_periods_s;
		uint64_t ops;
	} tab[N_TABLES];
};

/*
 * Keys [0, n - c) stay; keys [n - c, n + c) churn, c of them present at a
 * time, so the table stays at n entries. The reader's stream covers both,
 * about 9% churned keys.
 */
static void
measure_churn(const struct bench_opts *o, enum key_kind kind, uint32_t n,
	      struct churn_result *r)
{
	uint32_t c = n / 10, lo = n - c, *present, *absent, np, na, i, k;
	uint32_t batch[CHURN_BATCH];
	struct dataset ds;
	struct tables tb;
	uint64_t s = o->seed + 991, trial_tsc = 0;
	unsigned t;

	memset(r, 0, sizeof(*r));
	memset(&tb, 0, sizeof(tb));
	r->kind = kind;
	r->n = n;
	r->churn_keys = 2 * c;
	dataset_build(&ds, kind, n, o->seed + 5);
	/* the stream: every stable and churned key, shuffled */
	stream_fill(ds.q_idx[S_HIT], ds.q_len, 0, n + c, &s);
	free(ds.qu[S_HIT]);
	free(ds.qt[S_HIT]);
	ds.qu[S_HIT] = NULL;
	ds.qt[S_HIT] = NULL;
	dataset_materialise(&ds, S_HIT);
	present = xcalloc(2 * c, sizeof(*present));
	absent = xcalloc(2 * c, sizeof(*absent));
	if (o->seconds > 0)
		trial_tsc = (uint64_t)(o->seconds / o->trials /
				       (2 * N_TABLES) *
				       (double)rte_get_tsc_hz());

	for (t = 0; t < N_TABLES; t++) {
		struct reader_job j = {
			.tb = &tb, .m = churn_methods[t],
			.kind = kind, .q_idx = ds.q_idx[S_HIT],
			.qu = ds.qu[S_HIT], .qt = ds.qt[S_HIT],
			.q_len = ds.q_len,
			.ex = { .present = lo, .churn_end = n + c },
			.trials = o->trials, .lookups = o->lookups,
			.trial_tsc = trial_tsc,
		};
		uint64_t t0, gps = 0, ops = 0;

		table_create(&tb, t, kind, n, ds.n_keys);
		for (i = 0; i < n; i++)
			if (table_add(&tb, t, &ds, i) != 0)
				FAIL("churn %s %s: insert %" PRIu32,
				     table_names[t], kind_names[kind], i);
		np = na = 0;
		for (i = 0; i < c; i++) {
			present[np++] = lo + i;
			absent[na++] = n + i;
		}
		/* quiet */
		reader_run(&j);
		memcpy(r->tab[t].quiet, j.cpl, sizeof(j.cpl));
		/* busy: the reader on lcore 1, this lcore the writer */
		reader_launch(&j);
		t0 = rte_rdtsc();
		while (!__atomic_load_n(&j.finished, __ATOMIC_ACQUIRE)) {
			for (k = 0; k < CHURN_BATCH; k++) {
				uint32_t x = rnd_below(&s, np);

				batch[k] = present[x];
				present[x] = present[--np];
				if (table_del(&tb, t, &ds, batch[k]) != 0)
					FAIL("churn %s: delete %" PRIu32,
					     table_names[t], batch[k]);
			}
			synchronize_rcu();
			gps++;
			for (k = 0; k < CHURN_BATCH; k++) {
				table_reclaim(&tb, t, batch[k]);
				absent[na++] = batch[k];
			}
			for (k = 0; k < CHURN_BATCH; k++) {
				uint32_t x = rnd_below(&s, na), key = absent[x];

				absent[x] = absent[--na];
				if (table_add(&tb, t, &ds, key) != 0)
					FAIL("churn %s: insert %" PRIu32,
					     table_names[t], key);
				present[np++] = key;
			}
			ops += 2 * CHURN_BATCH;
		}
		r->tab[t].writer_ops_s = (double)ops * (double)rte_get_tsc_hz() /
					 (double)(rte_rdtsc() - t0);
		r->tab[t].grace_periods_s = (double)gps *
			(double)rte_get_tsc_hz() / (double)(rte_rdtsc() - t0);
		r->tab[t].ops = ops;
		rte_eal_wait_lcore(READER_LCORE);
		memcpy(r->tab[t].busy, j.cpl, sizeof(j.cpl));
		r->tab[t].q = stat3_of(r->tab[t].quiet, o->trials);
		r->tab[t].b = stat3_of(r->tab[t].busy, o->trials);
		/* empty it again (cds_lfht_destroy wants it empty) */
		for (i = 0; i < lo; i++)
			if (table_del(&tb, t, &ds, i) != 0)
				FAIL("churn %s: final delete %" PRIu32,
				     table_names[t], i);
		for (i = 0; i < np; i++)
			if (table_del(&tb, t, &ds, present[i]) != 0)
				FAIL("churn %s: final delete %" PRIu32,
				     table_names[t], present[i]);
		synchronize_rcu();
		table_destroy(&tb, t);
	}
	free(present);
	free(absent);
	dataset_free(&ds);
}

/* --- machine, timer ------------------------------------------------------------- */

struct machine {
	char cpu[128];
	long nproc;
	char date[32];
	double tsc_hz;
	uint64_t timer_cycles;
	bool optimized, asan;
	const char *crc;
	const char *isa;
};

static void
machine_read(struct machine *mc)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[256], *colon;
	time_t now = time(NULL);
	struct tm tm;

	snprintf(mc->cpu, sizeof(mc->cpu), "unknown");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "model name", 10) != 0 ||
		    (colon = strchr(line, ':')) == NULL)
			continue;
		colon += 1 + strspn(colon + 1, " \t");
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(mc->cpu, sizeof(mc->cpu), "%s", colon);
		break;
	}
	if (f != NULL)
		fclose(f);
	mc->nproc = sysconf(_SC_NPROCESSORS_ONLN);
	gmtime_r(&now, &tm);
	strftime(mc->date, sizeof(mc->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	mc->tsc_hz = (double)rte_get_tsc_hz();
#ifdef __OPTIMIZE__
	mc->optimized = true;
#endif
#if defined(__SANITIZE_ADDRESS__)
	mc->asan = true;
#endif
	/* rte_hash_crc picks the CRC32 instruction at run time when the CPU
	 * has it, whatever -march says; this is what it picked */
	mc->crc = crc32_alg == CRC32_SSE42_x64 ? "crc32 instruction (64-bit)" :
		  crc32_alg & CRC32_SSE42 ? "crc32 instruction (32-bit)" :
		  "software table";
#if defined(__AVX512F__)
	mc->isa = "AVX-512";
#elif defined(__AVX2__)
	mc->isa = "AVX2";
#elif defined(__SSE4_2__)
	mc->isa = "SSE4.2";
#else
	mc->isa = "baseline";
#endif
}

/* What an empty rdtsc_precise pair costs: in every burst's figure. */
static uint64_t
timer_overhead(void)
{
	double v[MAX_TRIALS];
	unsigned i;
	uint64_t t0;

	for (i = 0; i < MAX_TRIALS; i++) {
		t0 = rte_rdtsc_precise();
		v[i] = (double)(rte_rdtsc_precise() - t0);
	}
	return (uint64_t)stat3_of(v, MAX_TRIALS).median;
}

/* --- reporting ---------------------------------------------------------------- */

static void
print_sizes(const struct bench_opts *o, const struct machine *mc,
	    const struct size_result *rs, unsigned n)
{
	unsigned i, m, t;

	printf("bench_hash: flow-table hash candidates, reader lcore %d, "
	       "writer lcore %d\n", READER_LCORE, WRITER_LCORE);
	printf("machine     %s, %ld CPUs, %s, %s\n", mc->cpu, mc->nproc,
	       rte_version(), mc->date);
	printf("TSC         %.3f GHz; cycles below are TSC cycles\n",
	       mc->tsc_hz / 1e9);
	printf("build       %s, compiled for %s; rte_hash_crc uses the %s\n",
	       mc->optimized ? "optimized" : "unoptimized", mc->isa, mc->crc);
	printf("timer       %" PRIu64 " cycles per burst of %d (%.1f per "
	       "lookup, included)\n", mc->timer_cycles, BURST,
	       (double)mc->timer_cycles / BURST);
	printf("trials      %u per figure (median [min-max]); %" PRIu64
	       " lookups per trial%s\n", o->trials, o->lookups,
	       o->seconds > 0 ? " or the --seconds cap" : "");
	if (!mc->optimized || mc->asan)
		printf("WARNING     %s build: figures are not representative\n",
		       mc->asan ? "ASan" : "unoptimized");
	printf("\n%-4s %8s  %-16s %5s %7s %9s %9s  %-22s %-22s\n", "key",
	       "entries", "method", "load", "B/entry", "ins Mop/s",
	       "del Mop/s", "hit cyc/lookup", "50%-miss cyc/lookup");
	for (i = 0; i < n; i++) {
		const struct size_result *r = &rs[i];

		for (m = 0; m < N_METHODS; m++) {
			char hit[32], mix[32];

			t = methods[m].table;
			snprintf(hit, sizeof(hit), "%.1f [%.1f-%.1f]",
				 r->meth[m].s[S_HIT].median,
				 r->meth[m].s[S_HIT].min,
				 r->meth[m].s[S_HIT].max);
			snprintf(mix, sizeof(mix), "%.1f [%.1f-%.1f]",
				 r->meth[m].s[S_MIX].median,
				 r->meth[m].s[S_MIX].min,
				 r->meth[m].s[S_MIX].max);
			if (m == 0 || methods[m - 1].table != t)
				printf("%-4s %8" PRIu32 "  %-16s %4.0f%% %7.1f "
				       "%9.2f %9.2f  %-22s %-22s\n",
				       kind_names[r->kind], r->n,
				       methods[m].name, r->tab[t].load * 100,
				       (double)r->tab[t].bytes / r->n,
				       r->tab[t].ins_s.median / 1e6,
				       r->tab[t].del_s.median / 1e6, hit, mix);
			else
				printf("%-4s %8" PRIu32 "  %-16s %5s %7s %9s "
				       "%9s  %-22s %-22s\n",
				       kind_names[r->kind], r->n,
				       methods[m].name, "", "", "", "", hit,
				       mix);
		}
	}
	printf("\nload        n / slots (rte_hash: buckets x 8 after its "
	       "power-of-two rounding; cds_lfht: nodes per bucket)\n");
	printf("B/entry     what creating the table allocated / n "
	       "(rte_malloc heap; libc for cds_lfht incl. its node array, "
	       "and dp_hash)\n");
	printf("ins, del    per second on the writer lcore, into a fresh "
	       "table up to n entries, then all deleted; del includes handing\n"
	       "            back rte_hash's key slots / cds_lfht's nodes after "
	       "a grace period\n");
}

static void
print_churn(const struct churn_result *cr, unsigned n)
{
	unsigned i, t;

	if (n == 0)
		return;
	printf("\nchurn: reader on lcore %d looks up present and churned keys "
	       "while the writer on lcore %d deletes %d, waits a grace "
	       "period, adds %d, ...\n", READER_LCORE, WRITER_LCORE,
	       CHURN_BATCH, CHURN_BATCH);
	printf("%-4s %8s %8s  %-16s %-22s %-22s %7s %12s %10s\n", "key",
	       "entries", "churned", "method", "quiet cyc/lookup",
	       "churn cyc/lookup", "ratio", "writer op/s", "GP/s");
	for (i = 0; i < n; i++)
		for (t = 0; t < N_TABLES; t++) {
			const struct churn_result *r = &cr[i];
			char q[32], b[32];

			snprintf(q, sizeof(q), "%.1f [%.1f-%.1f]",
				 r->tab[t].q.median, r->tab[t].q.min,
				 r->tab[t].q.max);
			snprintf(b, sizeof(b), "%.1f [%.1f-%.1f]",
				 r->tab[t].b.median, r->tab[t].b.min,
				 r->tab[t].b.max);
			printf("%-4s %8" PRIu32 " %8" PRIu32 "  %-16s %-22s "
			       "%-22s %7.2f %12.0f %10.0f\n",
			       kind_names[r->kind], r->n, r->churn_keys,
			       methods[churn_methods[t]].name, q, b,
			       r->tab[t].q.median > 0 ?
			       r->tab[t].b.median / r->tab[t].q.median : 0,
			       r->tab[t].writer_ops_s,
			       r->tab[t].grace_periods_s);
		}
}

static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void
json_stat(FILE *f, const char *name, struct stat3 s, const double *v,
	  unsigned n)
{
	unsigned i;

	fprintf(f, "\"%s\": {\"median\": %.3f, \"min\": %.3f, \"max\": %.3f, "
		"\"per_trial\": [", name, s.median, s.min, s.max);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%.3f", i ? ", " : "", v[i]);
	fprintf(f, "]}");
}

static void
json_size(FILE *f, const struct bench_opts *o, const struct size_result *r)
{
	unsigned t, m, st;

	fprintf(f, "    {\"keys\": \"%s\", \"entries\": %" PRIu32 ",\n",
		kind_names[r->kind], r->n);
	fprintf(f, "     \"tables\": [\n");
	for (t = 0; t < N_TABLES; t++) {
		fprintf(f, "       {\"table\": \"%s\", \"slots\": %" PRIu32
			", \"load\": %.4f, \"bytes\": %zu, "
			"\"bytes_per_entry\": %.2f,\n        ", table_names[t],
			r->tab[t].slots, r->tab[t].load, r->tab[t].bytes,
			(double)r->tab[t].bytes / r->n);
		json_stat(f, "inserts_per_s", r->tab[t].ins_s, r->tab[t].ins,
			  o->trials);
		fprintf(f, ",\n        ");
		json_stat(f, "deletes_per_s", r->tab[t].del_s, r->tab[t].del,
			  o->trials);
		if (t == T_DP)
			fprintf(f, ",\n        \"dp_hash\": {\"buckets\": %"
				PRIu32 ", \"in_secondary\": %" PRIu32
				", \"moves\": %" PRIu64 "}", r->dp.buckets,
				r->dp.in_secondary, r->dp.moves);
		fprintf(f, "}%s\n", t + 1 < N_TABLES ? "," : "");
	}
	fprintf(f, "     ],\n     \"lookups\": [\n");
	for (m = 0; m < N_METHODS; m++) {
		fprintf(f, "       {\"method\": ");
		json_str(f, methods[m].name);
		fprintf(f, ", \"what\": ");
		json_str(f, methods[m].what);
		for (st = 0; st < N_STREAMS; st++) {
			char name[48];

			snprintf(name, sizeof(name), "cycles_per_lookup_%s",
				 stream_names[st]);
			fprintf(f, ",\n        ");
			json_stat(f, name, r->meth[m].s[st],
				  r->meth[m].cpl[st], o->trials);
		}
		fprintf(f, "}%s\n", m + 1 < N_METHODS ? "," : "");
	}
	fprintf(f, "     ]}");
}

static void
json_churn(FILE *f, const struct bench_opts *o, const struct churn_result *r)
{
	unsigned t;

	fprintf(f, "    {\"keys\": \"%s\", \"entries\": %" PRIu32
		", \"churned_keys\": %" PRIu32 ", \"batch\": %d,\n"
		"     \"tables\": [\n", kind_names[r->kind], r->n,
		r->churn_keys, CHURN_BATCH);
	for (t = 0; t < N_TABLES; t++) {
		fprintf(f, "       {\"method\": ");
		json_str(f, methods[churn_methods[t]].name);
		fprintf(f, ", \"writer_ops\": %" PRIu64 ", \"writer_ops_per_s\":"
			" %.0f, \"grace_periods_per_s\": %.0f,\n        ",
			r->tab[t].ops, r->tab[t].writer_ops_s,
			r->tab[t].grace_periods_s);
		json_stat(f, "quiet_cycles_per_lookup", r->tab[t].q,
			  r->tab[t].quiet, o->trials);
		fprintf(f, ",\n        ");
		json_stat(f, "churn_cycles_per_lookup", r->tab[t].b,
			  r->tab[t].busy, o->trials);
		fprintf(f, "}%s\n", t + 1 < N_TABLES ? "," : "");
	}
	fprintf(f, "     ]}");
}

static int
json_write(const struct bench_opts *o, const struct machine *mc,
	   const struct size_result *rs, unsigned n,
	   const struct churn_result *cr, unsigned nc)
{
	FILE *f = fopen(o->json, "we");
	unsigned i;

	if (f == NULL) {
		fprintf(stderr, "bench_hash: %s: %s\n", o->json,
			strerror(errno));
		return -1;
	}
	fprintf(f, "{\n  \"benchmark\": \"bench_hash\",\n  \"date\": ");
	json_str(f, mc->date);
	fprintf(f, ",\n  \"machine\": {\"cpu\": ");
	json_str(f, mc->cpu);
	fprintf(f, ", \"nproc\": %ld, \"tsc_hz\": %.0f},\n", mc->nproc,
		mc->tsc_hz);
	fprintf(f, "  \"dpdk\": ");
	json_str(f, rte_version());
	fprintf(f, ",\n  \"build\": {\"optimized\": %s, \"asan\": %s, "
		"\"isa\": ", mc->optimized ? "true" : "false",
		mc->asan ? "true" : "false");
	json_str(f, mc->isa);
	fprintf(f, ", \"rte_hash_crc\": ");
	json_str(f, mc->crc);
	fprintf(f, "},\n  \"settings\": {\"burst\": %d, \"trials\": %u, "
		"\"lookups_per_trial\": %" PRIu64 ", \"seconds\": %.3f, "
		"\"seed\": %" PRIu64 ", \"max_load\": %.2f, "
		"\"reader_lcore\": %d, \"writer_lcore\": %d, "
		"\"timer_pair_cycles_per_burst\": %" PRIu64 "},\n",
		BURST, o->trials, o->lookups, o->seconds, o->seed,
		LOAD_PCT / 100.0, READER_LCORE, WRITER_LCORE, mc->timer_cycles);
	fprintf(f, "  \"functional_failures\": %d,\n  \"results\": [\n",
		failures);
	for (i = 0; i < n; i++) {
		json_size(f, o, &rs[i]);
		fprintf(f, "%s\n", i + 1 < n ? "," : "");
	}
	fprintf(f, "  ],\n  \"churn\": [\n");
	for (i = 0; i < nc; i++) {
		json_churn(f, o, &cr[i]);
		fprintf(f, "%s\n", i + 1 < nc ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	if (fclose(f) != 0) {
		fprintf(stderr, "bench_hash: %s: %s\n", o->json,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* --- EAL ------------------------------------------------------------------------ */

static void
eal_start(void)
{
	char prefix[64];
	char *argv[] = { "bench_hash", "--no-huge", "-m", "2048", "--no-pci",
			 "--no-telemetry", "-l", "0,1",
			 "--log-level", "*:warning", prefix, NULL };

	snprintf(prefix, sizeof(prefix), "--file-prefix=bench-hash-%d",
		 (int)getpid());
	if (rte_eal_init(RTE_DIM(argv) - 1, argv) < 0) {
		fprintf(stderr, "SKIP: EAL init failed: %s (needs lcores 0 "
			"and 1)\n", rte_strerror(rte_errno));
		exit(77);
	}
	if (rte_lcore_id() != WRITER_LCORE ||
	    !rte_lcore_is_enabled(READER_LCORE)) {
		fprintf(stderr, "SKIP: lcores %d and %d are not both "
			"available\n", WRITER_LCORE, READER_LCORE);
		rte_eal_cleanup();
		exit(77);
	}
}

/* rte_eal_cleanup() leaves the runtime directory's files behind. */
static void
eal_stop(void)
{
	char dir[PATH_MAX], p[PATH_MAX * 2];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	if (dir[0] == '\0' || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

int
main(int argc, char **argv)
{
	static struct size_result results[N_KINDS * MAX_SIZES];
	static struct churn_result churn[N_KINDS];
	struct bench_opts o;
	struct machine mc;
	unsigned k, i, n = 0, nc = 0;
	int rc = 0;

	if (parse_opts(argc, argv, &o) != 0)
		return 2;
	eal_start();
	rcu_register_thread();
	memset(&mc, 0, sizeof(mc));
	machine_read(&mc);
	mc.timer_cycles = timer_overhead();
	for (k = 0; k < N_KINDS; k++) {
		if (!o.kind_on[k])
			continue;
		for (i = 0; i < o.n_sizes; i++) {
			fprintf(stderr, "bench_hash: %s, %" PRIu32
				" entries...\n", kind_names[k], o.sizes[i]);
			measure_size(&o, k, o.sizes[i], &results[n++]);
		}
		if (o.churn_n != 0) {
			fprintf(stderr, "bench_hash: %s, churn at %" PRIu32
				" entries...\n", kind_names[k], o.churn_n);
			measure_churn(&o, k, o.churn_n, &churn[nc++]);
		}
	}
	print_sizes(&o, &mc, results, n);
	print_churn(churn, nc);
	if (o.json != NULL && json_write(&o, &mc, results, n, churn, nc) != 0)
		rc = 1;
	rcu_unregister_thread();
	eal_stop();
	if (failures) {
		fprintf(stderr, "bench_hash: %d functional check(s) failed\n",
			failures);
		rc = 1;
	}
	return rc;
}
