/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_media.c — the media relay on one worker lcore, in-process on
 * net_ring ports (tests/dp's testbed), sluice-dp's own code:
 *
 *   untimed: 32 frames, each for a random active leg ──► nic_rx ring
 *   timed:   dp_worker_poll(): rx ─► classify ─► media | demux ─► latch
 *            check ─► peer ─► framing ─► rewrite ─► TX buffer; dp_tx_flush()
 *   untimed: nic_tx ring ──► count, free
 *
 * Paths (the leg the packet arrives on → its peer):
 *   plain-plain  port pair → port pair           (no framing change)
 *   plain-mux    port pair → multiplexed leg     (ID prepended)
 *   mux-plain    multiplexed leg → port pair     (ID stripped)
 *   mux-mux      multiplexed leg → multiplexed   (ID rewritten in place)
 *
 * Table sizes: 1,000 / 65,536 / 1,048,576 legs (--quick: 1,000). A size is
 * the number of legs in the flow table; traffic goes to random pairs among
 * all the path's pairs that fit. Port pairs are bounded by the media range
 * (small profile: 36002-59999, 5,999 pairs of two port legs, 11,999 pairs
 * with one), so the plain paths at the larger sizes spread their traffic
 * over those and fill the rest of the table with idle multiplexed legs: the
 * lookup they pay is the direct-indexed port table's, the cache pressure
 * the table's.
 *
 * Frames: 214 bytes on the wire counting the FCS (pktgen and RFC 2544
 * count so), 210 in the mbuf: Ethernet, IPv4, UDP (checksum 0, as many RTP
 * stacks send), then 168 bytes of RTP — a G.711 20 ms packet is 172 of
 * RTP, near enough — or, arriving multiplexed, the 4-byte ID and 164.
 *
 * Figures: median cycles per packet over trials (the rdtsc pair's ~2
 * cycles per packet included), Mpps per lcore = TSC Hz / cycles. These are
 * the worker's ceiling; the loss-free rate through a real port pair is
 * sluice-bench's (benchmarks/sluice-bench). Speed is never judged: the exit
 * status is functional only (every packet relayed, nothing dropped, every
 * mbuf back).
 */
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_udp.h>
#include <rte_version.h>

#include "bench_args.h"
#include "dp_testbed.h"

#define FRAME_LEN     210            /* 214 with the FCS */
#define HDRS          42
#define MAX_SIZES     3
#define PORT_LO       36002          /* small: after the demux pair */
#define PORT_HI       59998          /* last even port with its odd one */
#define CLIENT_IP     UINT32_C(0xc0000201)   /* 192.0.2.1 */

static const char bench_yaml[] =
	"profile: small\n"
	"interfaces:\n"
	"  - name: external\n"
	"    device: net_ring_bench\n"
	"    address: 192.0.2.10/24\n"
	"turn:\n"
	"  realm: relay.example\n"
	"capacity:\n"
	"  media_legs: 1048576\n";

enum path { PP, PM, MP, MM, N_PATHS };
static const char *const path_names[N_PATHS] = {
	"plain-plain", "plain-mux", "mux-plain", "mux-mux",
};

struct result {
	double cpp, cpp_min, cpp_max;
	double loss_free, gen_ceiling;  /* packets/s; 0: not measured */
	uint32_t legs, pairs;
};

static struct dp_testbed tb;
/* drops the loss-free search caused (TX ring full at too high a rate):
 * not failures of the fixed-count trials */
static uint64_t drops_before[DP_DROP_MAX];
static struct dp_flow *ft;
static int failures;
static uint32_t rng_state = 0x2545f491u;

#define FAIL(...) do { fprintf(stderr, "bench_media: FAIL: " __VA_ARGS__); \
		       fputc('\n', stderr); failures++; } while (0)

/* --- legs ------------------------------------------------------------------ */

/* The in-leg of pair p is 2p+1, its peer 2p+2; background legs follow. */
static bool
in_is_mux(enum path pa)
{
	return pa == MP || pa == MM;
}

static uint32_t
max_pairs(enum path pa)
{
	uint32_t ports = (PORT_HI - PORT_LO) / 2 + 1;   /* port legs */

	switch (pa) {
	case PP: return ports / 2;
	case PM: case MP: return ports;
	default: return UINT32_MAX;
	}
}

static void
leg_add(struct sl_leg_spec *s)
{
	char why[160];
	enum sl_result r = dp_flow_leg_add(ft, s, why, sizeof(why));

	if (r != SL_OK) {
		FAIL("leg %u: %s", s->leg_id, why);
		exit(1);
	}
}

/* Pair p's two legs: in (latches once from the client) and out (its
 * remote given: the client's port 7000). Port legs take the next pair of
 * ports. */
static void
pair_add(enum path pa, uint32_t p, uint16_t *next_port)
{
	struct sl_leg_spec in = { .leg_id = 2 * p + 1, .peer_leg_id = 2 * p + 2,
				  .latch = SL_LATCH_ONCE };
	struct sl_leg_spec out = { .leg_id = 2 * p + 2, .peer_leg_id = 2 * p + 1,
				   .latch = SL_LATCH_STRICT,
				   .flags = SL_LEG_F_REMOTE_KNOWN,
				   .remote_addr = rte_cpu_to_be_32(CLIENT_IP),
				   .remote_port = 7000 };

	if (in_is_mux(pa)) {
		in.kind = SL_LEG_MUX;
		in.local_port = 36000;
		in.mux_id_rx = 2 * p + 1;
		in.mux_id_tx = 0x40000000 + 2 * p + 1;
	} else {
		in.kind = SL_LEG_PORT;
		in.local_port = *next_port;
		*next_port += 2;
	}
	if (pa == PM || pa == MM) {
		out.kind = SL_LEG_MUX;
		out.local_port = 36000;
		out.mux_id_rx = 2 * p + 2;
		out.mux_id_tx = 0x40000000 + 2 * p + 2;
	} else {
		out.kind = SL_LEG_PORT;
		out.local_port = *next_port;
		*next_port += 2;
	}
	leg_add(&in);
	leg_add(&out);
}

/* Legs pairs*2+1 .. legs: idle multiplexed legs, no peer. */
static void
background_add(uint32_t from, uint32_t legs)
{
	uint32_t id;

	for (id = from; id <= legs; id++) {
		struct sl_leg_spec s = { .leg_id = id, .kind = SL_LEG_MUX,
					 .local_port = 36000, .mux_id_rx = id,
					 .latch = SL_LATCH_ONCE };

		leg_add(&s);
	}
}

static void
table_clear(uint32_t legs)
{
	uint32_t id;

	for (id = 1; id <= legs; id++)
		dp_flow_leg_del(ft, id);
	dp_flow_reclaim(ft, true);
}

/* --- frames ----------------------------------------------------------------- */

static uint8_t tmpl[FRAME_LEN];

static void
template_make(void)
{
	static const struct rte_ether_addr peer = {{ 0x02, 0xc1, 0, 0, 0, 1 }};
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)tmpl;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(e + 1);
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip + 1);
	uint8_t *rtp = (uint8_t *)(u + 1);
	unsigned i;

	e->dst_addr = tb.dm->ifaces[0].mac;
	e->src_addr = peer;
	e->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(FRAME_LEN - 14);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(CLIENT_IP);
	ip->dst_addr = tb.dm->ifaces[0].ip;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	u->src_port = rte_cpu_to_be_16(5000);
	u->dgram_len = rte_cpu_to_be_16(FRAME_LEN - 34);
	u->dgram_cksum = 0;
	for (i = 0; i < FRAME_LEN - HDRS; i++)
		rtp[i] = (uint8_t)i;
	rtp[4] = 0x80;  /* RTP V2 after a 4-byte ID, or inside the payload */
}

/* n frames for random pairs of the path; false when the pool is empty. */
static bool
frames_make(enum path pa, uint32_t pairs, struct rte_mbuf **m, unsigned n,
	    uint32_t *rs)
{
	unsigned i;

	if (rte_pktmbuf_alloc_bulk(tb.dm->pool, m, n) != 0)
		return false;
	for (i = 0; i < n; i++) {
		uint32_t p;

		*rs ^= *rs << 13;
		*rs ^= *rs >> 17;
		*rs ^= *rs << 5;
		p = pairs > 1 ? *rs % pairs : 0;
		uint8_t *d = (uint8_t *)rte_pktmbuf_append(m[i], FRAME_LEN);
		struct rte_udp_hdr *u = (struct rte_udp_hdr *)(d + 34);

		memcpy(d, tmpl, FRAME_LEN);
		if (in_is_mux(pa)) {
			rte_be32_t id = rte_cpu_to_be_32(2 * p + 1);

			u->dst_port = rte_cpu_to_be_16(36000);
			memcpy(d + HDRS, &id, 4);
		} else {
			const struct dp_leg *l = dp_flow_leg(ft, 2 * p + 1);

			u->dst_port = rte_cpu_to_be_16(l->local_port);
			d[HDRS] = 0x80;         /* RTP V2 */
		}
	}
	return true;
}

/* One burst of frames for random pairs of the path into the RX ring. */
static unsigned
burst_fill(enum path pa, uint32_t pairs, unsigned n)
{
	struct rte_mbuf *m[64];

	if (!frames_make(pa, pairs, m, n, &rng_state)) {
		FAIL("mbuf pool empty");
		exit(1);
	}
	if (rte_ring_enqueue_bulk(tb.nic_rx, (void **)m, n, NULL) != n) {
		FAIL("RX ring full");
		exit(1);
	}
	return n;
}

/* Relayed and dropped packets so far, without judging. A packet the
 * TX queue refused was relayed first: it is in both. */
static void
counts(uint64_t *rel, uint64_t *drops, uint64_t *tx_full)
{
	struct dp_stats st;
	unsigned i;

	dp_stats_sum(tb.dm, &st);
	*rel = st.relayed_pkts;
	*drops = 0;
	for (i = 0; i < DP_DROP_MAX; i++)
		if (i != DP_DROP_TX_FULL)
			*drops += st.drops[i];
	*tx_full = st.drops[DP_DROP_TX_FULL];
}

static uint64_t
relayed(void)
{
	struct dp_stats st;
	uint64_t d = 0;
	unsigned i;

	dp_stats_sum(tb.dm, &st);
	for (i = 0; i < DP_DROP_MAX; i++)
		d += st.drops[i] - drops_before[i];
	if (d != 0) {
		for (i = 0; i < DP_DROP_MAX; i++)
			if (st.drops[i] != drops_before[i])
				FAIL("drop %s: %" PRIu64, dp_drop_names[i],
				     st.drops[i] - drops_before[i]);
		exit(1);
	}
	return st.relayed_pkts;
}

/* One trial of `pkts` packets; cycles per packet. */
static double
trial(enum path pa, uint32_t pairs, uint64_t pkts)
{
	struct dp_lcore *lc = tb.lc;
	uint64_t sent = 0, cyc = 0, r0 = relayed(), t0;

	while (sent < pkts) {
		sent += burst_fill(pa, pairs, lc->burst);
		t0 = rte_rdtsc_precise();
		dp_worker_poll(lc);
		dp_tx_flush(lc);
		cyc += rte_rdtsc_precise() - t0;
		if (rte_ring_count(tb.nic_tx) >= lc->burst * 8u)
			dp_testbed_ring_drain(tb.nic_tx);
	}
	dp_testbed_ring_drain(tb.nic_tx);
	if (relayed() - r0 != sent)
		FAIL("%s: %" PRIu64 " sent, %" PRIu64 " relayed",
		     path_names[pa], sent, relayed() - r0);
	return (double)cyc / (double)sent;
}

/*
 * The loss-free rate (RFC 2544 style): a generator thread offers frames at
 * a fixed rate into the RX ring (1,024 entries, a NIC queue's depth) while
 * this thread runs the worker and frees what comes out of TX; a rate is
 * loss-free when the ring refused nothing and the dataplane relayed all.
 * Binary search between 0 and the generator's own ceiling.
 */
struct gen {
	enum path pa;
	uint32_t pairs;
	double rate;            /* packets/s; 0: flat out */
	double seconds;
	uint64_t offered, refused;
	volatile bool done;
};

static void *
gen_main(void *arg)
{
	struct gen *g = arg;
	uint64_t hz = rte_get_tsc_hz(), t0 = rte_rdtsc(), now, due;
	uint64_t end = t0 + (uint64_t)(g->seconds * (double)hz);
	uint32_t rs = 0x9e3779b9u;
	struct rte_mbuf *m[32];
	unsigned k;

	while ((now = rte_rdtsc()) < end) {
		due = g->rate > 0 ? (uint64_t)((double)(now - t0) / (double)hz *
					       g->rate) : UINT64_MAX;
		if (g->offered + 32 <= due &&
		    frames_make(g->pa, g->pairs, m, 32, &rs)) {
			k = rte_ring_enqueue_burst(tb.nic_rx, (void **)m, 32,
						   NULL);
			if (k < 32)
				rte_pktmbuf_free_bulk(m + k, 32 - k);
			g->offered += 32;
			g->refused += 32 - k;
		}
	}
	g->done = true;
	return NULL;
}

/* The thread inherited the EAL main lcore's CPU: move it to another one,
 * so that generator and worker each have a CPU (when there are two). */
static void
gen_place(pthread_t th)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	int here = sched_getcpu();
	cpu_set_t set;
	long c;

	if (n < 2 || here < 0)
		return;
	CPU_ZERO(&set);
	for (c = 0; c < n && c < CPU_SETSIZE; c++)
		if (c != here)
			CPU_SET(c, &set);
	pthread_setaffinity_np(th, sizeof(set), &set);
}

/* One run at `rate`; true when nothing was lost. With `worker` false the
 * worker does not run and a drain stands in: the generator's ceiling. */
static bool
rate_run(enum path pa, uint32_t pairs, double rate, double seconds,
	 bool worker, double *achieved)
{
	struct gen g = { .pa = pa, .pairs = pairs, .rate = rate,
			 .seconds = seconds };
	uint64_t r0, d0, x0, r1, d1, x1, t0;
	struct rte_mbuf *m[64];
	pthread_t th;
	unsigned n;

	if (pthread_create(&th, NULL, gen_main, &g) != 0) {
		FAIL("generator thread");
		exit(1);
	}
	gen_place(th);
	counts(&r0, &d0, &x0);
	t0 = rte_rdtsc();
	while (!__atomic_load_n(&g.done, __ATOMIC_ACQUIRE)) {
		if (worker) {
			dp_worker_poll(tb.lc);
			dp_tx_flush(tb.lc);
			/* the "wire" takes what TX sends (a NIC's TX queue
			 * does not fill at these rates); the rings are single
			 * consumer, so this thread is TX's only reader */
			if (rte_ring_count(tb.nic_tx) > 512)
				dp_testbed_ring_drain(tb.nic_tx);
		} else if ((n = rte_ring_dequeue_burst(tb.nic_rx, (void **)m,
						       64, NULL)) > 0) {
			rte_pktmbuf_free_bulk(m, n);
		}
	}
	pthread_join(th, NULL);
	*achieved = (double)(g.offered - g.refused) /
		    ((double)(rte_rdtsc() - t0) / (double)rte_get_tsc_hz());
	while (rte_ring_count(tb.nic_rx) > 0) {
		if (worker) {
			dp_worker_poll(tb.lc);
			dp_tx_flush(tb.lc);
		} else {
			n = rte_ring_dequeue_burst(tb.nic_rx, (void **)m, 64,
						   NULL);
			rte_pktmbuf_free_bulk(m, n);
		}
	}
	dp_testbed_ring_drain(tb.nic_tx);
	counts(&r1, &d1, &x1);
	if (worker && (r1 - r0) + (d1 - d0) != g.offered - g.refused)
		FAIL("%s: %" PRIu64 " taken, %" PRIu64 " relayed, %" PRIu64
		     " dropped", path_names[pa], g.offered - g.refused,
		     r1 - r0, d1 - d0);
	return g.refused == 0 && d1 == d0 && x1 == x0;
}

/* Highest loss-free rate in packets/s, and the generator's ceiling. */
static double
loss_free(enum path pa, uint32_t pairs, double seconds, double *ceiling)
{
	double lo = 0, hi, got;
	unsigned i;

	rate_run(pa, pairs, 0, seconds, false, ceiling);
	hi = *ceiling;
	for (i = 0; i < 8; i++) {
		double mid = (lo + hi) / 2;

		if (rate_run(pa, pairs, mid, seconds, true, &got))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
measure(enum path pa, uint32_t legs, unsigned trials, uint64_t pkts,
	double lf_seconds, struct result *res)
{
	uint32_t pairs = RTE_MIN(legs / 2, max_pairs(pa)), p;
	uint16_t next_port = PORT_LO;
	double v[64];
	unsigned t;

	for (p = 0; p < pairs; p++)
		pair_add(pa, p, &next_port);
	background_add(2 * pairs + 1, legs);
	/* warm-up: every in-leg latches, the client's MAC is learned */
	for (p = 0; p < pairs; p += 32) {
		burst_fill(pa, pairs, 32);
		dp_worker_poll(tb.lc);
		dp_tx_flush(tb.lc);
		dp_testbed_ring_drain(tb.nic_tx);
	}
	trial(pa, pairs, pkts / 4);
	for (t = 0; t < trials; t++)
		v[t] = trial(pa, pairs, pkts);
	qsort(v, trials, sizeof(v[0]), cmp_double);
	res->cpp = v[trials / 2];
	res->cpp_min = v[0];
	res->cpp_max = v[trials - 1];
	res->legs = legs;
	res->pairs = pairs;
	res->loss_free = res->gen_ceiling = 0;
	if (lf_seconds > 0) {
		struct dp_stats st;

		res->loss_free = loss_free(pa, pairs, lf_seconds,
					   &res->gen_ceiling);
		dp_stats_sum(tb.dm, &st);
		memcpy(drops_before, st.drops, sizeof(drops_before));
	}
	table_clear(legs);
}

/* --- main ------------------------------------------------------------------- */

static void
usage(FILE *f)
{
	fprintf(f, "usage: bench_media [--quick] [--legs N[,N...]] "
		"[--trials N] [--packets N] [--loss-free MS] [--json FILE]\n"
		"  --loss-free MS: also search the loss-free rate, MS per "
		"step, with a generator thread on a second CPU\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "legs", required_argument, NULL, 'l' },
		{ "trials", required_argument, NULL, 't' },
		{ "packets", required_argument, NULL, 'p' },
		{ "json", required_argument, NULL, 'j' },
		{ "loss-free", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t sizes[MAX_SIZES] = { 1000, 65536, 1048576 }, v;
	uint64_t trials = 7, pkts = 2000000;
	unsigned n_sizes = 3, s, pa;
	struct result res[MAX_SIZES][N_PATHS];
	const char *json = NULL;
	double hz, lf_seconds = 0;
	FILE *f;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			n_sizes = 1;
			trials = 3;
			pkts = 100000;
			break;
		case 'l':
			if (bench_parse_u64_list("bench_media", "--legs", optarg,
						 2, 1048576, sizes, MAX_SIZES,
						 &n_sizes))
				return 2;
			break;
		case 't':
			if (bench_parse_u64("bench_media", "--trials", optarg,
					    1, 63, &trials))
				return 2;
			break;
		case 'p':
			if (bench_parse_u64("bench_media", "--packets", optarg,
					    1000, UINT64_C(1) << 32, &v))
				return 2;
			pkts = v;
			break;
		case 'j':
			json = optarg;
			break;
		case 'f':
			if (bench_parse_u64("bench_media", "--loss-free",
					    optarg, 1, 60000, &v))
				return 2;
			lf_seconds = (double)v / 1000;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	dp_testbed_init(&tb, "bench-media", bench_yaml, 0, 1024);
	ft = &tb.dm->flow;
	tb.lc->prev_flush_tsc = rte_rdtsc();
	hz = (double)rte_get_tsc_hz();
	template_make();
	printf("bench_media: %s, TSC %.2f GHz, one worker lcore, %u-byte "
	       "frames (%u with FCS), median of %" PRIu64 " trials of %"
	       PRIu64 " packets\n", rte_version(), hz / 1e9, FRAME_LEN,
	       FRAME_LEN + 4, trials, pkts);
	printf("%-12s %9s %7s %10s %8s %10s %10s %9s\n", "path", "legs",
	       "pairs", "cyc/pkt", "Mpps", "min-max", "loss-free", "gen-max");
	for (s = 0; s < n_sizes; s++)
		for (pa = 0; pa < N_PATHS; pa++) {
			struct result *r = &res[s][pa];

			measure(pa, (uint32_t)sizes[s], (unsigned)trials, pkts,
				lf_seconds, r);
			printf("%-12s %9u %7u %10.1f %8.2f %5.0f-%-4.0f %10.2f "
			       "%9.2f\n", path_names[pa], r->legs, r->pairs,
			       r->cpp, hz / r->cpp / 1e6, r->cpp_min,
			       r->cpp_max, r->loss_free / 1e6,
			       r->gen_ceiling / 1e6);
			fflush(stdout);
		}
	if (json != NULL && (f = fopen(json, "w")) != NULL) {
		fprintf(f, "{\"dpdk\":\"%s\",\"tsc_hz\":%.0f,\"frame_bytes\":"
			"%u,\"results\":[", rte_version(), hz, FRAME_LEN + 4);
		for (s = 0; s < n_sizes; s++)
			for (pa = 0; pa < N_PATHS; pa++) {
				const struct result *r = &res[s][pa];

				fprintf(f, "%s{\"path\":\"%s\",\"legs\":%u,"
					"\"pairs\":%u,\"cycles_per_packet\":"
					"%.1f,\"min\":%.1f,\"max\":%.1f,"
					"\"mpps_per_lcore\":%.2f,"
					"\"loss_free_mpps\":%.3f,"
					"\"generator_ceiling_mpps\":%.3f}",
					s + pa ? "," : "", path_names[pa],
					r->legs, r->pairs, r->cpp, r->cpp_min,
					r->cpp_max, hz / r->cpp / 1e6,
					r->loss_free / 1e6,
					r->gen_ceiling / 1e6);
			}
		fprintf(f, "]}\n");
		fclose(f);
	}
	if (rte_mempool_in_use_count(tb.dm->pool) != 0)
		FAIL("%u mbufs not back in the pool",
		     rte_mempool_in_use_count(tb.dm->pool));
	dp_testbed_fini(&tb);
	if (failures)
		return 1;
	return 0;
}
