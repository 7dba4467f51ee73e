/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_poll.c — cycles per packet of the bare worker poll loop, in-process on
 * net_ring ports, one thread, one worker lcore (the EAL main lcore):
 *
 *   untimed: alloc + copy template ──enqueue──► nic_rx ring
 *   timed:   dp_worker_poll(): rx_burst ──► classify ──► drop | stage | tx
 *            (+ dp_tx_flush() on the forward path)
 *   untimed: nic_tx ring ──dequeue──► free, check the reply
 *
 * Paths, each measured on its own:
 *   drop          UDP to a closed port: rx → classify → udp_port_closed
 *   stage-drop    UDP to a media port: rx → classify → media batch →
 *                 media_no_leg (where the media stage will sit)
 *   forward       ICMP echo request → reply in place → TX buffer → TX ring
 *   baseline      rte_eth_rx_burst + rte_eth_tx_burst, nothing else: what the
 *                 ring "NIC" itself costs, the floor under forward
 *   baseline-free rte_eth_rx_burst + rte_pktmbuf_free_bulk: the floor under
 *                 the two drop paths, which free inside the timed region
 *
 * Frame sizes are Ethernet sizes including the 4-byte FCS, as pktgen and
 * RFC 2544 count them: a "64-byte" frame is 60 bytes in the mbuf. Line rate
 * adds 20 bytes per frame on the wire (preamble, SFD, inter-frame gap).
 *
 * Speed is reported, never judged. The exit status is functional only: every
 * trial must move its packets exactly where the path says (the right counter
 * advanced by exactly the packets sent, nothing else dropped or punted,
 * every reply on the TX ring, every mbuf back in the pool); otherwise exit 1.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_udp.h>
#include <rte_version.h>

#include "bench_args.h"
#include "dp_testbed.h"

#define FCS_LEN          4
#define WIRE_OVERHEAD    20   /* preamble 7 + SFD 1 + inter-frame gap 12 */
#define HDRS_LEN         (sizeof(struct rte_ether_hdr) + \
			  sizeof(struct rte_ipv4_hdr) + 8) /* + UDP or ICMP */
#define FRAME_MIN        64
#define FRAME_MAX        1518
#define MAX_SIZES        8
#define MAX_TRIALS       101
#define WARMUP_BURSTS    2000
#define CLOSED_UDP_PORT  9      /* discard: no service of any profile */
#define MEDIA_UDP_PORT   36002  /* small profile: first pair after demux */
#define PEER_UDP_PORT    40000

static const double link_gbps[] = { 10, 25, 100 };
#define N_LINKS RTE_DIM(link_gbps)

static const char bench_yaml[] =
	"profile: small\n"
	"interfaces:\n"
	"  - name: external\n"
	"    device: net_ring_bench\n"
	"    address: 192.0.2.10/24\n"
	"turn:\n"
	"  realm: relay.example\n";

/* --- options -------------------------------------------------------------- */

struct bench_opts {
	unsigned trials;
	uint64_t packets;          /* per trial */
	double seconds;            /* > 0: cap per path and size, split by trials */
	const char *json;
	unsigned lcore;
	bool rx_cksum_good;        /* mark frames as a NIC's checksum offload */
	unsigned n_sizes;
	unsigned sizes[MAX_SIZES]; /* frame sizes incl. FCS */
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: bench_poll [--trials N] [--packets M] [--seconds S]\n"
		"                  [--sizes 64,214] [--lcore L] [--json FILE]\n"
		"                  [--rx-cksum-offload]\n"
		"  --trials N    trials per path and frame size (default 7)\n"
		"  --packets M   packets per trial (default 2000000)\n"
		"  --seconds S   smoke mode: each path and size stops after at\n"
		"                most about S seconds (S/N per trial)\n"
		"  --sizes LIST  Ethernet frame sizes incl. FCS, %u..%u\n"
		"                (default 64,214)\n"
		"  --lcore L     CPU the one thread runs on (default 0)\n"
		"  --json FILE   write every figure as JSON\n"
		"  --rx-cksum-offload  mark frames IP-checksum-good, as a NIC\n"
		"                with RX checksum offload does (net_ring has none,\n"
		"                so by default classify checks it in software)\n"
		"Exit status: 0 when every path moved its packets correctly,\n"
		"1 when not, 77 when EAL cannot start here. Never speed.\n",
		FRAME_MIN, FRAME_MAX);
}

static int
parse_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi,
	  uint64_t *out)
{
	return bench_parse_u64("bench_poll", opt, s, lo, hi, out);
}

static int
parse_sizes(const char *s, struct bench_opts *o)
{
	uint64_t v[MAX_SIZES];
	unsigned i;

	if (bench_parse_u64_list("bench_poll", "--sizes", s, FRAME_MIN, FRAME_MAX, v,
				 MAX_SIZES, &o->n_sizes) != 0)
		return -1;
	for (i = 0; i < o->n_sizes; i++)
		o->sizes[i] = (unsigned)v[i];
	return 0;
}

static int
parse_opts(int argc, char **argv, struct bench_opts *o)
{
	static const struct option longopts[] = {
		{ "trials",  required_argument, NULL, 't' },
		{ "packets", required_argument, NULL, 'p' },
		{ "seconds", required_argument, NULL, 's' },
		{ "sizes",   required_argument, NULL, 'z' },
		{ "lcore",   required_argument, NULL, 'l' },
		{ "json",    required_argument, NULL, 'j' },
		{ "rx-cksum-offload", no_argument, NULL, 'c' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t v;
	char *end;
	int c;

	*o = (struct bench_opts){ .trials = 7, .packets = 2000000,
				  .n_sizes = 2, .sizes = { 64, 214 } };
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_u64("--trials", optarg, 1, MAX_TRIALS, &v))
				return -1;
			o->trials = (unsigned)v;
			break;
		case 'p':
			if (parse_u64("--packets", optarg, 1,
				      UINT64_C(1) << 40, &v))
				return -1;
			o->packets = v;
			break;
		case 's':
			errno = 0;
			o->seconds = strtod(optarg, &end);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    !(o->seconds > 0 && o->seconds <= 3600)) {
				fprintf(stderr, "bench_poll: --seconds \"%s\": "
					"want a number in (0, 3600]\n", optarg);
				return -1;
			}
			break;
		case 'z':
			if (parse_sizes(optarg, o) != 0)
				return -1;
			break;
		case 'l':
			if (parse_u64("--lcore", optarg, 0, RTE_MAX_LCORE - 1,
				      &v))
				return -1;
			o->lcore = (unsigned)v;
			break;
		case 'j':
			o->json = optarg;
			break;
		case 'c':
			o->rx_cksum_good = true;
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
		fprintf(stderr, "bench_poll: unexpected argument \"%s\"\n",
			argv[optind]);
		usage(stderr);
		return -1;
	}
	return 0;
}

/* --- the dataplane on ring ports ------------------------------------------ */

struct bench {
	struct dp_testbed tb;         /* dp_main on ring ports */
	struct dp_lcore *lc;
	uint16_t burst;
	uint64_t rx_ol_flags;         /* what the "NIC" reports per frame */
	struct rte_ether_addr our_mac, peer_mac;
	rte_be32_t our_ip, peer_ip;
};

static void
bench_init(struct bench *b, unsigned lcore)
{
	static const struct rte_ether_addr peer = {{ 0x02, 0xc1, 0, 0, 0, 0x01 }};

	memset(b, 0, sizeof(*b));
	dp_testbed_init(&b->tb, "bench-poll", bench_yaml, lcore, 512);
	b->lc = b->tb.lc;
	b->burst = b->lc->burst;
	/* the ring PMD picks its own MAC: address frames to what it reports */
	b->our_mac = b->tb.dm->ifaces[0].mac;
	b->peer_mac = peer;
	b->our_ip = b->tb.dm->ifaces[0].ip;
	b->peer_ip = rte_cpu_to_be_32(UINT32_C(0xc0000201)) /* 192.0.2.1 */;
	b->lc->prev_flush_tsc = rte_rdtsc();
}

static void
bench_fini(struct bench *b)
{
	dp_testbed_fini(&b->tb);
}

/* --- frames --------------------------------------------------------------- */

enum frame_kind { FRAME_UDP_CLOSED, FRAME_UDP_MEDIA, FRAME_ICMP_ECHO };

/* Ethernet + IPv4 headers for an L4 part of l4len bytes; returns the offset
 * of the L4 header. */
static size_t
frame_l2l3(const struct bench *b, uint8_t *buf, uint8_t proto, size_t l4len)
{
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(e + 1);

	e->dst_addr = b->our_mac;
	e->src_addr = b->peer_mac;
	e->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + l4len);
	ip->packet_id = rte_cpu_to_be_16(0x1234);
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 61;
	ip->next_proto_id = proto;
	ip->src_addr = b->peer_ip;
	ip->dst_addr = b->our_ip;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return sizeof(*e) + sizeof(*ip);
}

/*
 * A frame of exactly `len` bytes (no FCS): IPv4 fills it, so the classifier
 * trims nothing. The payload is a byte pattern, as pktgen sends.
 */
static void
frame_build(const struct bench *b, enum frame_kind kind, uint8_t *buf,
	    size_t len)
{
	size_t plen = len - HDRS_LEN, off, i;
	uint8_t *payload;

	if (kind == FRAME_ICMP_ECHO) {
		struct rte_icmp_hdr *ic;

		off = frame_l2l3(b, buf, IPPROTO_ICMP, sizeof(*ic) + plen);
		ic = (struct rte_icmp_hdr *)(buf + off);
		payload = (uint8_t *)(ic + 1);
		for (i = 0; i < plen; i++)
			payload[i] = (uint8_t)i;
		ic->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
		ic->icmp_code = 0;
		ic->icmp_cksum = 0;
		ic->icmp_ident = rte_cpu_to_be_16(0x5c);
		ic->icmp_seq_nb = rte_cpu_to_be_16(1);
		ic->icmp_cksum = (uint16_t)~rte_raw_cksum(ic,
							  sizeof(*ic) + plen);
	} else {
		struct rte_ipv4_hdr *ip;
		struct rte_udp_hdr *u;

		off = frame_l2l3(b, buf, IPPROTO_UDP, sizeof(*u) + plen);
		ip = (struct rte_ipv4_hdr *)(buf + off - sizeof(*ip));
		u = (struct rte_udp_hdr *)(buf + off);
		payload = (uint8_t *)(u + 1);
		for (i = 0; i < plen; i++)
			payload[i] = (uint8_t)i;
		u->src_port = rte_cpu_to_be_16(PEER_UDP_PORT);
		u->dst_port = rte_cpu_to_be_16(kind == FRAME_UDP_CLOSED ?
					       CLOSED_UDP_PORT :
					       MEDIA_UDP_PORT);
		u->dgram_len = rte_cpu_to_be_16(sizeof(*u) + plen);
		u->dgram_cksum = 0;
		u->dgram_cksum = rte_ipv4_udptcp_cksum(ip, u);
	}
}

/* --- paths ---------------------------------------------------------------- */

enum path_run { RUN_DP, RUN_RX_TX, RUN_RX_FREE };

struct path {
	const char *name;
	const char *what;
	enum frame_kind kind;
	enum path_run run;
	bool transmits;
	enum dp_drop_reason reason;   /* DP_DROP_MAX: none expected */
	const char *floor;            /* the baseline it is compared with */
};

static const struct path paths[] = {
	{ "drop", "UDP to a closed port: rx, classify, drop (udp_port_closed)",
	  FRAME_UDP_CLOSED, RUN_DP, false, DP_DROP_UDP_PORT_CLOSED,
	  "baseline-free" },
	{ "stage-drop", "UDP to a media port: rx, classify, media batch, drop "
	  "(media_no_leg)", FRAME_UDP_MEDIA, RUN_DP, false,
	  DP_DROP_MEDIA_NO_LEG, "baseline-free" },
	{ "forward", "ICMP echo: rx, classify, reply in place, TX buffer, "
	  "TX ring", FRAME_ICMP_ECHO, RUN_DP, true, DP_DROP_MAX, "baseline" },
	{ "baseline", "ring PMD only: rte_eth_rx_burst + rte_eth_tx_burst",
	  FRAME_UDP_CLOSED, RUN_RX_TX, true, DP_DROP_MAX, NULL },
	{ "baseline-free", "ring PMD only: rte_eth_rx_burst + "
	  "rte_pktmbuf_free_bulk", FRAME_UDP_CLOSED, RUN_RX_FREE, false,
	  DP_DROP_MAX, NULL },
};
#define N_PATHS RTE_DIM(paths)

struct trial {
	uint64_t pkts;
	uint64_t cycles;
	double cpp;                   /* cycles per packet */
};

struct result {
	const struct path *path;
	unsigned size;                /* incl. FCS */
	unsigned n_trials;
	struct trial trials[MAX_TRIALS];
	double cpp_median, cpp_min, cpp_max;
};

static int failures;

#define FAIL(...) do {                                                  \
		fprintf(stderr, "FAIL: " __VA_ARGS__);                  \
		fputc('\n', stderr);                                    \
		failures++;                                             \
	} while (0)

/* Untimed: a burst of fresh mbufs holding the template, on the NIC's RX. */
static void
refill(struct bench *b, const uint8_t *tmpl, uint16_t len)
{
	struct rte_mbuf *ms[DP_MAX_BURST];
	uint16_t i;

	if (rte_pktmbuf_alloc_bulk(b->tb.dm->pool, ms, b->burst) != 0) {
		fprintf(stderr, "bench_poll: mbuf pool empty (leak?)\n");
		exit(1);
	}
	for (i = 0; i < b->burst; i++) {
		memcpy(rte_pktmbuf_mtod(ms[i], void *), tmpl, len);
		ms[i]->data_len = len;
		ms[i]->pkt_len = len;
		ms[i]->ol_flags = b->rx_ol_flags;
	}
	if (rte_ring_sp_enqueue_bulk(b->tb.nic_rx, (void **)ms, b->burst,
				     NULL) != b->burst) {
		fprintf(stderr, "bench_poll: NIC RX ring full\n");
		exit(1);
	}
}

/* The timed region's body; returns the packets it consumed. */
static inline unsigned
run_once(struct bench *b, const struct path *p)
{
	struct rte_mbuf *ms[DP_MAX_BURST];
	uint16_t n, sent;
	unsigned got;

	switch (p->run) {
	case RUN_DP:
		got = dp_worker_poll(b->lc);
		if (p->transmits)
			dp_tx_flush(b->lc);
		return got;
	case RUN_RX_TX:
		n = rte_eth_rx_burst(b->tb.nic_port, 0, ms, b->burst);
		sent = rte_eth_tx_burst(b->tb.nic_port, 0, ms, n);
		if (unlikely(sent < n))
			rte_pktmbuf_free_bulk(ms + sent, n - sent);
		return sent;
	case RUN_RX_FREE:
		n = rte_eth_rx_burst(b->tb.nic_port, 0, ms, b->burst);
		rte_pktmbuf_free_bulk(ms, n);
		return n;
	}
	return 0;
}

static bool
reply_ok(const struct bench *b, const struct rte_mbuf *m, uint16_t len)
{
	const struct rte_ether_hdr *e =
		rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(e + 1);
	const struct rte_icmp_hdr *ic = (const struct rte_icmp_hdr *)(ip + 1);

	return m->pkt_len == len && m->data_len == len &&
	       rte_is_same_ether_addr(&e->dst_addr, &b->peer_mac) &&
	       rte_is_same_ether_addr(&e->src_addr, &b->our_mac) &&
	       ip->src_addr == b->our_ip && ip->dst_addr == b->peer_ip &&
	       rte_raw_cksum(ip, sizeof(*ip)) == 0xffff &&
	       ic->icmp_type == RTE_IP_ICMP_ECHO_REPLY &&
	       rte_raw_cksum(ic, len - HDRS_LEN + sizeof(*ic)) == 0xffff;
}

/* Untimed: free what left on the NIC's TX; check the first reply's bytes. */
static unsigned
drain_tx(struct bench *b, const struct path *p, uint16_t len, bool check)
{
	struct rte_mbuf *ms[DP_MAX_BURST];
	unsigned n, total = 0;

	while ((n = rte_ring_sc_dequeue_burst(b->tb.nic_tx, (void **)ms,
					      DP_MAX_BURST, NULL)) > 0) {
		if (check && total == 0 && p->kind == FRAME_ICMP_ECHO &&
		    !reply_ok(b, ms[0], len))
			FAIL("%s/%u: the echo reply is wrong", p->name,
			     len + FCS_LEN);
		rte_pktmbuf_free_bulk(ms, n);
		total += n;
	}
	return total;
}

static uint64_t
drops_total(const struct dp_stats *s)
{
	uint64_t t = 0;
	unsigned i;

	for (i = 0; i < DP_DROP_MAX; i++)
		t += s->drops[i];
	return t;
}

static uint64_t
punts_total(const struct dp_stats *s)
{
	uint64_t t = 0;
	unsigned i;

	for (i = 0; i < DP_PUNT_MAX; i++)
		t += s->punts[i];
	return t;
}

/* The counters moved by exactly what this path does to `sent` packets. */
static void
check_counters(const struct path *p, unsigned size, const struct dp_stats *a,
	       const struct dp_stats *z, uint64_t sent, uint64_t tx_out)
{
	uint64_t drops = drops_total(z) - drops_total(a);
	uint64_t punts = punts_total(z) - punts_total(a);

	if (p->run != RUN_DP) {
		if (z->rx_pkts != a->rx_pkts || drops || punts)
			FAIL("%s/%u: the dataplane counted packets it never "
			     "saw", p->name, size);
		if (p->transmits && tx_out != sent)
			FAIL("%s/%u: %" PRIu64 " sent, %" PRIu64 " on TX",
			     p->name, size, sent, tx_out);
		return;
	}
	if (z->rx_pkts - a->rx_pkts != sent)
		FAIL("%s/%u: rx_pkts +%" PRIu64 ", want +%" PRIu64, p->name,
		     size, z->rx_pkts - a->rx_pkts, sent);
	if (punts != 0)
		FAIL("%s/%u: %" PRIu64 " punted", p->name, size, punts);
	if (p->reason != DP_DROP_MAX) {
		uint64_t d = z->drops[p->reason] - a->drops[p->reason];

		if (d != sent || drops != sent)
			FAIL("%s/%u: %s +%" PRIu64 " (all drops +%" PRIu64
			     "), want +%" PRIu64, p->name, size,
			     dp_drop_names[p->reason], d, drops, sent);
	} else if (drops != 0) {
		FAIL("%s/%u: %" PRIu64 " dropped", p->name, size, drops);
	}
	if (p->transmits) {
		uint64_t lr = z->local_replies - a->local_replies;
		uint64_t tx = z->tx_pkts - a->tx_pkts;

		if (lr != sent || tx != sent || tx_out != sent)
			FAIL("%s/%u: local_replies +%" PRIu64 ", tx_pkts +%"
			     PRIu64 ", %" PRIu64 " on TX; want %" PRIu64,
			     p->name, size, lr, tx, tx_out, sent);
	} else if (tx_out != 0 || z->tx_pkts != a->tx_pkts) {
		FAIL("%s/%u: %" PRIu64 " transmitted", p->name, size, tx_out);
	}
}

/*
 * One trial: bursts until `max_pkts` or the TSC deadline (0: none). Only
 * run_once() is inside the rdtsc_precise pair. A trial with
 * timed == false is the warm-up: same checks, no figures.
 */
static struct trial
trial_run(struct bench *b, const struct path *p, const uint8_t *tmpl,
	  uint16_t len, uint64_t max_pkts, uint64_t deadline)
{
	struct trial t = { 0, 0, 0 };
	struct dp_stats before, after;
	uint64_t tx_out = 0, t0, t1;
	unsigned got;

	dp_stats_sum(b->tb.dm, &before);
	while (t.pkts < max_pkts && (deadline == 0 || rte_rdtsc() < deadline)) {
		refill(b, tmpl, len);
		t0 = rte_rdtsc_precise();
		got = run_once(b, p);
		t1 = rte_rdtsc_precise();
		t.cycles += t1 - t0;
		if (got != b->burst) {
			FAIL("%s/%u: one poll handled %u of %u packets",
			     p->name, len + FCS_LEN, got, b->burst);
			dp_testbed_ring_drain(b->tb.nic_rx);
		}
		tx_out += drain_tx(b, p, len, t.pkts == 0);
		t.pkts += b->burst;
	}
	dp_stats_sum(b->tb.dm, &after);
	check_counters(p, len + FCS_LEN, &before, &after, t.pkts, tx_out);
	if (rte_mempool_avail_count(b->tb.dm->pool) != b->tb.dm->pool->size)
		FAIL("%s/%u: %u mbufs not back in the pool", p->name,
		     len + FCS_LEN, b->tb.dm->pool->size -
		     rte_mempool_avail_count(b->tb.dm->pool));
	t.cpp = t.pkts ? (double)t.cycles / (double)t.pkts : 0;
	return t;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
result_stats(struct result *r)
{
	double v[MAX_TRIALS];
	unsigned i, n = r->n_trials;

	for (i = 0; i < n; i++)
		v[i] = r->trials[i].cpp;
	qsort(v, n, sizeof(v[0]), cmp_double);
	r->cpp_min = v[0];
	r->cpp_max = v[n - 1];
	r->cpp_median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
measure(struct bench *b, const struct bench_opts *o, const struct path *p,
	unsigned size, struct result *r)
{
	uint8_t tmpl[FRAME_MAX];
	uint16_t len = (uint16_t)(size - FCS_LEN);
	uint64_t per_trial_tsc = 0;
	unsigned i;

	frame_build(b, p->kind, tmpl, len);
	r->path = p;
	r->size = size;
	r->n_trials = o->trials;
	if (o->seconds > 0)
		per_trial_tsc = (uint64_t)(o->seconds / o->trials *
					   (double)rte_get_tsc_hz());
	trial_run(b, p, tmpl, len, (uint64_t)WARMUP_BURSTS * b->burst,
		  per_trial_tsc ? rte_rdtsc() + per_trial_tsc / 4 : 0);
	for (i = 0; i < o->trials; i++)
		r->trials[i] = trial_run(b, p, tmpl, len, o->packets,
			per_trial_tsc ? rte_rdtsc() + per_trial_tsc : 0);
	result_stats(r);
}

/* What an empty rdtsc_precise pair costs: in every burst's figure. */
static uint64_t
timer_overhead(void)
{
	uint64_t v[1001], t0;
	unsigned i, j;

	for (i = 0; i < RTE_DIM(v); i++) {
		t0 = rte_rdtsc_precise();
		v[i] = rte_rdtsc_precise() - t0;
	}
	for (i = 1; i < RTE_DIM(v); i++)   /* insertion sort: tiny, once */
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t x = v[j];

			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	return v[RTE_DIM(v) / 2];
}

/* --- reporting ------------------------------------------------------------ */

static double
line_rate_mpps(double gbps, unsigned size)
{
	return gbps * 1e9 / ((size + WIRE_OVERHEAD) * 8.0) / 1e6;
}

static double
mpps_of(double cpp, double hz)
{
	return cpp > 0 ? hz / cpp / 1e6 : 0;
}

static const struct result *
result_find(const struct result *rs, unsigned n, const char *path,
	    unsigned size)
{
	unsigned i;

	for (i = 0; path != NULL && i < n; i++)
		if (strcmp(rs[i].path->name, path) == 0 && rs[i].size == size)
			return &rs[i];
	return NULL;
}

struct machine {
	char cpu[128];
	long nproc;
	char date[32];
	double tsc_hz;
	uint64_t timer_cycles;
	bool optimized, asan;
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
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	mc->asan = true;
#endif
#endif
}

static void
print_table(const struct bench *b, const struct bench_opts *o,
	    const struct machine *mc, const struct result *rs, unsigned n)
{
	unsigned i, k;

	printf("bench_poll: the worker poll loop on net_ring, one lcore\n");
	printf("machine     %s, %ld CPUs, %s, %s\n", mc->cpu, mc->nproc,
	       rte_version(), mc->date);
	printf("TSC         %.3f GHz; cycles below are TSC cycles\n",
	       mc->tsc_hz / 1e9);
	printf("burst       %u packets per poll; timer pair %" PRIu64
	       " cycles per burst (%.2f per packet, included)\n", b->burst,
	       mc->timer_cycles, (double)mc->timer_cycles / b->burst);
	printf("frames      size = Ethernet frame incl. 4-byte FCS "
	       "(pktgen/RFC 2544); %d bytes fewer in the mbuf\n", FCS_LEN);
	printf("IPv4 csum   %s\n", o->rx_cksum_good ?
	       "frames marked good (--rx-cksum-offload): no software check" :
	       "checked in software by classify (net_ring has no offload)");
	if (!mc->optimized || mc->asan)
		printf("WARNING     %s build: figures are not representative\n",
		       mc->asan ? "ASan" : "unoptimized");
	printf("\n%-14s %5s %9s %9s %9s %8s %10s %18s\n", "path", "size",
	       "cyc/pkt", "min", "max", "+floor", "Mpps/lcore",
	       "lcores for 10/25/100G");
	for (i = 0; i < n; i++) {
		const struct result *r = &rs[i];
		const struct result *fl = result_find(rs, n, r->path->floor,
						      r->size);
		double mpps = mpps_of(r->cpp_median, mc->tsc_hz);
		char over[16] = "-";

		if (fl != NULL)
			snprintf(over, sizeof(over), "%+.1f",
				 r->cpp_median - fl->cpp_median);
		printf("%-14s %5u %9.1f %9.1f %9.1f %8s %10.2f   ",
		       r->path->name, r->size, r->cpp_median, r->cpp_min,
		       r->cpp_max, over, mpps);
		for (k = 0; k < N_LINKS; k++)
			printf("%s%.2f", k ? " / " : "",
			       line_rate_mpps(link_gbps[k], r->size) / mpps);
		printf("\n");
	}
	printf("\n");
	for (i = 0; i < o->n_sizes; i++) {
		printf("line rate   %4u B:", o->sizes[i]);
		for (k = 0; k < N_LINKS; k++)
			printf("  %3.0fG %7.3f Mpps", link_gbps[k],
			       line_rate_mpps(link_gbps[k], o->sizes[i]));
		printf("\n");
	}
	printf("+floor      cycles over the path's ring-PMD floor "
	       "(drops: baseline-free, forward: baseline)\n");
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
json_result(FILE *f, const struct machine *mc, const struct result *rs,
	    unsigned n, const struct result *r)
{
	const struct result *fl = result_find(rs, n, r->path->floor, r->size);
	unsigned i, k;

	fprintf(f, "    {\"path\": ");
	json_str(f, r->path->name);
	fprintf(f, ", \"what\": ");
	json_str(f, r->path->what);
	fprintf(f, ",\n     \"frame_bytes\": %u, \"mbuf_bytes\": %u, "
		"\"trials\": %u,\n", r->size, r->size - FCS_LEN, r->n_trials);
	fprintf(f, "     \"cycles_per_pkt\": {\"median\": %.3f, \"min\": %.3f, "
		"\"max\": %.3f},\n", r->cpp_median, r->cpp_min, r->cpp_max);
	fprintf(f, "     \"mpps_per_lcore\": {\"median\": %.4f, \"min\": %.4f, "
		"\"max\": %.4f},\n", mpps_of(r->cpp_median, mc->tsc_hz),
		mpps_of(r->cpp_max, mc->tsc_hz),
		mpps_of(r->cpp_min, mc->tsc_hz));
	fprintf(f, "     \"floor\": ");
	if (fl != NULL) {
		json_str(f, fl->path->name);
		fprintf(f, ", \"cycles_over_floor\": %.3f",
			r->cpp_median - fl->cpp_median);
	} else {
		fprintf(f, "null, \"cycles_over_floor\": null");
	}
	fprintf(f, ",\n     \"line_rate\": [");
	for (k = 0; k < N_LINKS; k++) {
		double lr = line_rate_mpps(link_gbps[k], r->size);

		fprintf(f, "%s{\"gbps\": %.0f, \"mpps\": %.4f, "
			"\"lcores_at_median\": %.3f}", k ? ", " : "",
			link_gbps[k], lr,
			lr / mpps_of(r->cpp_median, mc->tsc_hz));
	}
	fprintf(f, "],\n     \"per_trial\": [");
	for (i = 0; i < r->n_trials; i++)
		fprintf(f, "%s{\"packets\": %" PRIu64 ", \"cycles\": %" PRIu64
			", \"cycles_per_pkt\": %.3f}", i ? ", " : "",
			r->trials[i].pkts, r->trials[i].cycles,
			r->trials[i].cpp);
	fprintf(f, "]}");
}

static int
json_write(const char *path, const struct bench *b,
	   const struct bench_opts *o, const struct machine *mc,
	   const struct result *rs, unsigned n)
{
	FILE *f = fopen(path, "we");
	unsigned i;

	if (f == NULL) {
		fprintf(stderr, "bench_poll: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "{\n  \"benchmark\": \"bench_poll\",\n  \"date\": ");
	json_str(f, mc->date);
	fprintf(f, ",\n  \"machine\": {\"cpu\": ");
	json_str(f, mc->cpu);
	fprintf(f, ", \"nproc\": %ld, \"tsc_hz\": %.0f},\n", mc->nproc,
		mc->tsc_hz);
	fprintf(f, "  \"dpdk\": ");
	json_str(f, rte_version());
	fprintf(f, ",\n  \"build\": {\"optimized\": %s, \"asan\": %s},\n",
		mc->optimized ? "true" : "false", mc->asan ? "true" : "false");
	fprintf(f, "  \"settings\": {\"burst\": %u, \"trials\": %u, "
		"\"packets_per_trial\": %" PRIu64 ", \"seconds\": %.3f, "
		"\"lcore\": %u, \"pmd\": \"net_ring\", "
		"\"rx_ip_cksum_offload\": %s,\n"
		"    \"frame_bytes\": \"Ethernet frame incl. 4-byte FCS; "
		"mbuf holds 4 fewer\",\n"
		"    \"wire_overhead_bytes\": %d,\n"
		"    \"timer_pair_cycles_per_burst\": %" PRIu64 "},\n",
		b->burst, o->trials, o->packets, o->seconds, o->lcore,
		o->rx_cksum_good ? "true" : "false", WIRE_OVERHEAD, mc->timer_cycles);
	fprintf(f, "  \"functional_failures\": %d,\n  \"results\": [\n",
		failures);
	for (i = 0; i < n; i++) {
		json_result(f, mc, rs, n, &rs[i]);
		fprintf(f, "%s\n", i + 1 < n ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	if (fclose(f) != 0) {
		fprintf(stderr, "bench_poll: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct result results[N_PATHS * MAX_SIZES];
	struct bench_opts o;
	struct machine mc = { .optimized = false };
	struct bench b;
	unsigned i, s, n = 0;
	int rc = 0;

	if (parse_opts(argc, argv, &o) != 0)
		return 2;
	bench_init(&b, o.lcore);
	if (o.rx_cksum_good)
		b.rx_ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	if (b.tb.dm->udp_stage[CLOSED_UDP_PORT] != DP_STAGE_CLOSED ||
	    b.tb.dm->udp_stage[MEDIA_UDP_PORT] != DP_STAGE_MEDIA) {
		fprintf(stderr, "bench_poll: the small profile's port plan "
			"changed: UDP %u and %u are no longer closed and "
			"media\n", CLOSED_UDP_PORT, MEDIA_UDP_PORT);
		bench_fini(&b);
		return 1;
	}
	machine_read(&mc);
	mc.timer_cycles = timer_overhead();
	for (s = 0; s < o.n_sizes; s++)
		for (i = 0; i < N_PATHS; i++)
			measure(&b, &o, &paths[i], o.sizes[s], &results[n++]);
	print_table(&b, &o, &mc, results, n);
	if (o.json != NULL && json_write(o.json, &b, &o, &mc, results, n) != 0)
		rc = 1;
	bench_fini(&b);
	if (failures) {
		fprintf(stderr, "bench_poll: %d functional check(s) failed\n",
			failures);
		rc = 1;
	}
	return rc;
}
