/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_flow.c — the flow tables and the command service, measured on
 * sluice-dp's own code in-process (tests/dp's ring-port testbed):
 *
 *   apply     commands applied per second by the service lcore: LEG_ADD of
 *             multiplexed legs (hash insert), then LEG_DEL (hash delete,
 *             grace-period reclaim), through the real shared-memory command
 *             ring, each acknowledged on the real event ring. Only the
 *             service's dp_ctl_poll() is timed; reading the acknowledgements
 *             (sluice-cp's work, on another core in production) is not.
 *   lookup    cycles per packet of dp_flow_mux_lookup_bulk() for bursts of
 *             32 random multiplexIDs among N legs, and of the direct-indexed
 *             port table (dp_flow_leg_by_port) for bursts of 32 random ports.
 *   memory    bytes per leg of the whole table set, measured from the EAL
 *             heap around a second dp_flow_init() of the same capacity.
 *
 * Sizes: 1,000 / 100,000 / 1,000,000 legs (--quick: 1,000 / 10,000).
 * Speed is reported as medians over trials, never judged. Exit status is
 * functional: every command acknowledged OK, every lookup returns the leg
 * it should, the table empty again after the deletes.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_malloc.h>

#include "dp_testbed.h"
#include "sl_shm.h"

#define MAX_SIZES     3
#define BURST         32
#define TRIALS        9
#define LOOKUP_BURSTS 20000        /* per trial */
#define CMD_CHUNK     16384        /* commands queued before the service runs */
#define RING_SLOTS    32768

static const char bench_yaml[] =
	"profile: small\n"
	"interfaces:\n"
	"  - name: external\n"
	"    device: net_ring_bench\n"
	"    address: 192.0.2.10/24\n"
	"turn:\n"
	"  realm: relay.example\n"
	"capacity:\n"
	"  media_legs: 1000000\n";

static int failures;
#define FAIL(...) do { fprintf(stderr, "bench_flow: " __VA_ARGS__); \
		       fputc('\n', stderr); failures++; } while (0)

struct result {
	unsigned legs;
	double add_per_s, del_per_s;        /* commands/s, medians */
	double mux_cpp, mux_cpp_min, mux_cpp_max;   /* cycles per packet */
	double port_cpp;                    /* 0: not measured at this size */
};

static struct dp_testbed tb;
static struct sl_shm *shm;
static uint32_t seq = 1;

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A random 32-bit multiplexID for leg i, distinct for every i (odd
 * multiplier: a bijection of the 32-bit integers), never 0. */
static uint32_t
mux_id_of(uint32_t i)
{
	return i * 2654435761u + 0x9e3779b9u == 0 ? 1 :
	       i * 2654435761u + 0x9e3779b9u;
}

/* Reads what acknowledgements arrived; counts refusals. */
static void
acks_drain(uint64_t *acked)
{
	union sl_msg e;

	while (sl_ring_dequeue(shm->evt, &e) == 0) {
		if (e.h.type != SL_EVT_ACK)
			continue;
		if (e.ack.result != SL_OK)
			FAIL("command seq %u: %s", e.h.seq,
			     sl_result_name(e.ack.result));
		(*acked)++;
	}
}

/* Sends `n` commands made by `make`, returns commands/s of the service. */
static double
apply_run(unsigned n, void (*make)(union sl_msg *, uint32_t))
{
	uint64_t busy = 0, acked = 0, t0;
	unsigned sent = 0, k;
	union sl_msg m;

	while (sent < n) {
		for (k = 0; k < CMD_CHUNK && sent < n; k++, sent++) {
			memset(&m, 0, sizeof(m));
			make(&m, sent + 1);
			m.h.seq = seq++;
			if (sl_ring_enqueue(shm->cmd, &m, m.h.len) != 0) {
				FAIL("command ring full at %u", sent);
				return 0;
			}
		}
		while (acked < sent && failures == 0) {
			t0 = rte_rdtsc_precise();
			dp_ctl_poll(tb.dm);
			busy += rte_rdtsc_precise() - t0;
			acks_drain(&acked);
		}
	}
	/* the last grace period belongs to the deletes' cost */
	t0 = rte_rdtsc_precise();
	dp_flow_reclaim(&tb.dm->flow, true);
	busy += rte_rdtsc_precise() - t0;
	return busy ? (double)n * rte_get_tsc_hz() / busy : 0;
}

static void
make_add(union sl_msg *m, uint32_t id)
{
	m->h.type = SL_CMD_LEG_ADD;
	m->h.len = sizeof(m->leg);
	m->leg.leg.leg_id = id;
	m->leg.leg.kind = SL_LEG_MUX;
	m->leg.leg.local_port = 36000;
	m->leg.leg.latch = SL_LATCH_ONCE;
	m->leg.leg.mux_id_rx = mux_id_of(id);
	m->leg.leg.mux_id_tx = id;
}

static void
make_del(union sl_msg *m, uint32_t id)
{
	m->h.type = SL_CMD_LEG_DEL;
	m->h.len = sizeof(m->leg_id);
	m->leg_id.leg_id = id;
}

/* Cycles per packet of 32-key bursts of random present multiplexIDs. */
static void
mux_lookup(struct result *r, unsigned n)
{
	double cpp[TRIALS];
	uint32_t keys[BURST];
	struct dp_leg *out[BURST];
	uint64_t x = 88172645463325252ull, busy, t0;
	unsigned t, b, i;

	for (t = 0; t < TRIALS; t++) {
		busy = 0;
		for (b = 0; b < LOOKUP_BURSTS; b++) {
			uint32_t ids[BURST];

			for (i = 0; i < BURST; i++) {
				x ^= x << 13; x ^= x >> 7; x ^= x << 17;
				ids[i] = (uint32_t)(x % n) + 1;
				keys[i] = mux_id_of(ids[i]);
			}
			t0 = rte_rdtsc_precise();
			dp_flow_mux_lookup_bulk(&tb.dm->flow, keys, BURST, out);
			busy += rte_rdtsc_precise() - t0;
			for (i = 0; i < BURST; i++)
				if (out[i] == NULL || out[i]->id != ids[i]) {
					FAIL("multiplexID of leg %u: wrong "
					     "leg", ids[i]);
					return;
				}
		}
		cpp[t] = (double)busy / (LOOKUP_BURSTS * BURST);
	}
	r->mux_cpp = median(cpp, TRIALS);
	r->mux_cpp_min = cpp[0];
	r->mux_cpp_max = cpp[TRIALS - 1];
}

/* The port table: legs on every even port of the media range (as many as
 * fit, at most n), looked up 32 random ones at a time. */
static void
port_lookup(struct result *r, unsigned n)
{
	struct dp_flow *ft = &tb.dm->flow;
	unsigned first = ft->demux_max + 1, slots = 0, t, b, i;
	uint64_t x = 0x2545f4914f6cdd1dull, busy, t0, sink = 0;
	double cpp[TRIALS];
	struct sl_leg_spec s;
	char why[160];

	for (i = 0; i < n && first + 2 * i <= ft->media_max; i++) {
		memset(&s, 0, sizeof(s));
		s.leg_id = i + 1;
		s.kind = SL_LEG_PORT;
		s.local_port = (uint16_t)(first + 2 * i);
		s.latch = SL_LATCH_ONCE;
		if (dp_flow_leg_add(ft, &s, why, sizeof(why)) != SL_OK) {
			FAIL("port leg %u: %s", i + 1, why);
			return;
		}
		slots++;
	}
	/* measured only where the media range holds n legs */
	for (t = 0; slots == n && t < TRIALS; t++) {
		uint16_t ports[BURST];

		busy = 0;
		for (b = 0; b < LOOKUP_BURSTS; b++) {
			for (i = 0; i < BURST; i++) {
				x ^= x << 13; x ^= x >> 7; x ^= x << 17;
				ports[i] = (uint16_t)(first + 2 * (x % slots));
			}
			t0 = rte_rdtsc_precise();
			for (i = 0; i < BURST; i++) {
				const struct dp_leg *l =
					dp_flow_leg_by_port(ft, ports[i]);

				sink += l ? l->id : 0;
			}
			busy += rte_rdtsc_precise() - t0;
		}
		cpp[t] = (double)busy / (LOOKUP_BURSTS * BURST);
	}
	if (slots == n) {
		if (sink == 0)
			FAIL("port lookups found nothing");
		r->port_cpp = median(cpp, TRIALS);
	}
	for (i = 1; i <= slots; i++)
		dp_flow_leg_del(ft, i);
	dp_flow_reclaim(ft, true);
}

static void
run_size(struct result *r, unsigned n)
{
	double add[3], del[3];
	unsigned t;

	memset(r, 0, sizeof(*r));
	r->legs = n;
	for (t = 0; t < 3; t++) {
		add[t] = apply_run(n, make_add);
		if (tb.dm->flow.n_legs != n)
			FAIL("%u legs after the adds, want %u",
			     tb.dm->flow.n_legs, n);
		if (t == 0)
			mux_lookup(r, n);
		del[t] = apply_run(n, make_del);
		if (tb.dm->flow.n_legs != 0)
			FAIL("%u legs after the deletes", tb.dm->flow.n_legs);
	}
	r->add_per_s = median(add, 3);
	r->del_per_s = median(del, 3);
	port_lookup(r, n);
}

/* Bytes per leg: EAL heap used by a second table set of the same size. */
static double
bytes_per_leg(uint32_t cap)
{
	struct rte_malloc_socket_stats a, b;
	struct dp_flow ft2;
	double per;

	rte_malloc_get_socket_stats(rte_socket_id(), &a);
	if (dp_flow_init(&ft2, tb.cfg, "bench2", rte_socket_id()) != 0) {
		FAIL("second table set for the memory figure");
		return 0;
	}
	rte_malloc_get_socket_stats(rte_socket_id(), &b);
	per = (double)(b.heap_allocsz_bytes - a.heap_allocsz_bytes) / cap;
	dp_flow_fini(&ft2);
	return per;
}

static void
report(FILE *f, const struct result *rs, unsigned n, double bpl,
       uint32_t cap)
{
	unsigned i;

	fprintf(f, "flow tables: %u-leg capacity, %.1f bytes per leg "
		"(legs %zu B + multiplexID hash + index and reclaim lists)\n",
		cap, bpl, sizeof(struct dp_leg));
	fprintf(f, "%9s %14s %14s %16s %12s\n", "legs", "add cmds/s",
		"del cmds/s", "mux cyc/pkt", "port cyc/pkt");
	for (i = 0; i < n; i++) {
		char port[32];

		if (rs[i].port_cpp > 0)
			snprintf(port, sizeof(port), "%.1f", rs[i].port_cpp);
		else
			snprintf(port, sizeof(port), "n/a");
		fprintf(f, "%9u %14.0f %14.0f %6.1f [%.1f-%.1f] %12s\n",
			rs[i].legs, rs[i].add_per_s, rs[i].del_per_s,
			rs[i].mux_cpp, rs[i].mux_cpp_min, rs[i].mux_cpp_max,
			port);
	}
	fprintf(f, "(tsc %.2f GHz; burst %u; medians of %u lookup trials and "
		"3 apply runs)\n", rte_get_tsc_hz() / 1e9, BURST, TRIALS);
}

static int
json_write(const char *path, const struct result *rs, unsigned n, double bpl,
	   uint32_t cap)
{
	FILE *f = fopen(path, "w");
	unsigned i;

	if (f == NULL) {
		fprintf(stderr, "bench_flow: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "{\"benchmark\": \"bench_flow\", \"tsc_hz\": %" PRIu64
		", \"burst\": %u, \"capacity\": %u, \"bytes_per_leg\": %.1f, "
		"\"leg_struct_bytes\": %zu,\n \"sizes\": [\n",
		rte_get_tsc_hz(), BURST, cap, bpl, sizeof(struct dp_leg));
	for (i = 0; i < n; i++)
		fprintf(f, "  {\"legs\": %u, \"add_per_s\": %.0f, "
			"\"del_per_s\": %.0f, \"mux_cycles_per_pkt\": "
			"{\"median\": %.2f, \"min\": %.2f, \"max\": %.2f}, "
			"\"port_cycles_per_pkt\": %.2f}%s\n", rs[i].legs,
			rs[i].add_per_s, rs[i].del_per_s, rs[i].mux_cpp,
			rs[i].mux_cpp_min, rs[i].mux_cpp_max, rs[i].port_cpp,
			i + 1 < n ? "," : "");
	fprintf(f, " ]}\n");
	return fclose(f);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "json", required_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned full[] = { 1000, 100000, 1000000 }, quick[] = { 1000, 10000 };
	const unsigned *sizes = full;
	unsigned n_sizes = 3, i;
	const char *json = NULL;
	struct result rs[MAX_SIZES];
	char inst[32];
	double bpl;
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'q': sizes = quick; n_sizes = 2; break;
		case 'j': json = optarg; break;
		default:
			fprintf(stderr, "usage: bench_flow [--quick] "
				"[--json FILE]\n");
			return 2;
		}
	}
	dp_testbed_init(&tb, "bench-flow", bench_yaml, 0, 2048);
	snprintf(inst, sizeof(inst), "bench%d", (int)getpid());
	snprintf(tb.dm->instance, sizeof(tb.dm->instance), "%s", inst);
	if (dp_ctl_init(tb.dm, RING_SLOTS, RING_SLOTS) != 0) {
		fprintf(stderr, "bench_flow: control interface failed\n");
		return 1;
	}
	dp_ctl_start(tb.dm);
	shm = dp_ctl_shm(tb.dm);
	for (i = 0; i < n_sizes; i++)
		run_size(&rs[i], sizes[i]);
	bpl = bytes_per_leg(tb.dm->flow.leg_cap);
	report(stdout, rs, n_sizes, bpl, tb.dm->flow.leg_cap);
	if (json && json_write(json, rs, n_sizes, bpl, tb.dm->flow.leg_cap))
		failures++;
	dp_testbed_fini(&tb);
	if (failures)
		fprintf(stderr, "bench_flow: %d functional failure(s)\n",
			failures);
	return failures ? 1 : 0;
}
