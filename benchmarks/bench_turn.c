/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_turn.c — the TURN server on one lcore, in-process on net_ring ports
 * (tests/dp's testbed), sluice-dp's own code throughout:
 *
 *   set-up:  per client: unauthenticated Allocate ──► dp_turn_request ──►
 *            401 + NONCE; authenticated Allocate, ChannelBind (USERNAME,
 *            REALM, NONCE, MESSAGE-INTEGRITY, FINGERPRINT, written with the
 *            stun writer) ──► dp_turn_request ──► answer on the inject ring
 *            (checked: success). No table is written directly.
 *   relay:   untimed: 32 frames, each for a random allocation ──► nic_rx
 *            timed:   dp_worker_poll(): rx ─► classify ─► dp_turn_process
 *                     | dp_turn_relay_process ─► TX buffer; dp_tx_flush()
 *            untimed: nic_tx ──► count, free
 *   rate:    Allocate requests built beforehand (untimed); timed: the
 *            dp_turn_request calls (parse, nonce, key, HMAC check, tables,
 *            answer written, signed, queued on the inject ring).
 *
 * Paths:
 *   cd-in     ChannelData client ──► peer (4-byte header stripped)
 *   cd-out    peer ──► client as ChannelData (4 bytes prepended)
 *   send-in   Send indication client ──► peer (DATA cut out)
 *   data-out  peer ──► client as a Data indication (36 bytes prepended)
 *
 * Frames arrive 214 bytes on the wire counting the FCS (210 in the mbuf:
 * Ethernet, IPv4, UDP with its checksum, 168 bytes of UDP payload — 164 of
 * media behind a ChannelData header, 132 inside a Send indication), as in
 * bench_media. What leaves is 4 bytes shorter (cd-in), 4 longer (cd-out),
 * 36 shorter (send-in) or 36 longer (data-out).
 *
 * One relay address holds at most its relay port range: 1031-65531 here
 * (64,501 ports; the listening port 1024, SIP 1025, RAS 1026, ephemeral
 * 1027-1030 and media 65532-65535 take the rest of 1024-65535). Up to
 * that many allocations the appliance relays from its interface address
 * alone, with turn.relay_capacity 64,501, as before relay addresses
 * existed; beyond it, turn.relay_addresses 192.0.2.32/28 adds 16 and the
 * capacity is the largest --allocs (1,096,517 at most). Clients are
 * 192.0.2.100 + i / 64,501, port 1024 + i % 64,501 (a client's nonce is
 * bound to its address and port).
 *
 * Speed is never judged: the exit status is functional only (every request
 * answered with success, every packet relayed, nothing dropped, every mbuf
 * back).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_udp.h>
#include <rte_version.h>

#include "bench_args.h"
#include "dp_testbed.h"
#include "dp_turn_int.h"

#define FRAME_LEN     210            /* 214 with the FCS */
#define HDRS          42
#define PAYLOAD       (FRAME_LEN - HDRS)
#define LISTEN_PORT   1024
#define RELAY_LO      1031
#define RELAY_HI      65531
#define PORTS         (RELAY_HI - RELAY_LO + 1)  /* per relay address */
#define EXTRA_ADDRS   16             /* turn.relay_addresses 192.0.2.32/28 */
#define MAX_ALLOCS    (PORTS * (1 + EXTRA_ADDRS))
#define CLIENT_PORT0  1024           /* client i: port 1024 + i % PORTS */
#define CLIENT_IP0    UINT32_C(0xc0000264)   /* 192.0.2.100 + i / PORTS */
#define PEER_IP       UINT32_C(0xc0000202)   /* 192.0.2.2 */
#define PEER_PORT     6000           /* bound to the channel */
#define PEER_PORT_IND 6001           /* permitted, no channel */
#define CHANNEL       0x4000
#define MAX_SIZES     6
#define BATCH         32
#define USER          "bench"
#define PASSWORD      "bench-password"
#define REALM         "relay.example"

/* The appliance: relay_capacity `cap`; above one address's ports, 16
 * more relay addresses. */
static void
bench_yaml(char *buf, size_t len, uint32_t cap)
{
	snprintf(buf, len,
		 "profile: small\n"
		 "interfaces:\n"
		 "  - name: external\n"
		 "    device: net_ring_bench\n"
		 "    address: 192.0.2.10/24\n"
		 "sip:\n"
		 "  udp_port: 1025\n"
		 "h323:\n"
		 "  ras_port: 1026\n"
		 "ephemeral_ports: 1027-1030\n"
		 "media:\n"
		 "  ports: 65532-65535\n"
		 "turn:\n"
		 "  realm: " REALM "\n"
		 "  listen_ports: 1024\n"
		 "  relay_ports: 1031-65531\n"
		 "%s"
		 "  relay_capacity: %u\n"
		 "  allocations_per_user: %u\n"
		 "  unauthenticated_rate: 1000000\n"
		 "  allowed_peers:\n"
		 "    - 192.0.2.0/24\n",
		 cap > PORTS ? "  relay_addresses: [ 192.0.2.32/28 ]\n" : "",
		 cap, cap);
}

enum path { CD_IN, CD_OUT, SEND_IN, DATA_OUT, N_PATHS };
static const char *const path_names[N_PATHS] = {
	"cd-in", "cd-out", "send-in", "data-out",
};

struct result {
	double cpp, cpp_min, cpp_max;
	uint32_t allocs;
};

static struct dp_testbed tb;
static struct dp_turn *turn;
static struct stun_key key;
static char nonces[MAX_ALLOCS][TURN_NONCE_LEN];
static uint32_t relay_ip[MAX_ALLOCS];          /* network order */
static uint32_t n_nonces;            /* clients 0..n-1 hold one */
static uint16_t relay_port[MAX_ALLOCS];
static uint8_t tmpl[N_PATHS][FRAME_LEN];
static uint32_t tid_seq;
static int failures;
static uint32_t rng_state = 0x2545f491u;

#define FAIL(...) do { fprintf(stderr, "bench_turn: FAIL: " __VA_ARGS__); \
		       fputc('\n', stderr); failures++; } while (0)

/* --- frames ------------------------------------------------------------------- */

/* Ethernet, IPv4 and UDP (no checksum yet) in front of `len` payload bytes
 * at d; the whole frame is HDRS + len. */
static void
headers_put(uint8_t *d, uint32_t src, uint16_t sport, uint16_t dport,
	    uint32_t len)
{
	static const struct rte_ether_addr mac = {{ 0x02, 0xc1, 0, 0, 0, 1 }};
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)d;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(e + 1);
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip + 1);

	e->dst_addr = tb.dm->ifaces[0].mac;
	e->src_addr = mac;
	e->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*u) + len);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(src);
	ip->dst_addr = tb.dm->ifaces[0].ip;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	u->src_port = rte_cpu_to_be_16(sport);
	u->dst_port = rte_cpu_to_be_16(dport);
	u->dgram_len = rte_cpu_to_be_16(sizeof(*u) + len);
	u->dgram_cksum = 0;
}

static void
udp_csum_set(uint8_t *d)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(d + 14);
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip + 1);

	u->dgram_cksum = 0;
	u->dgram_cksum = rte_ipv4_udptcp_cksum(ip, u);
}

static void
tid_next(uint8_t tid[STUN_TID_LEN])
{
	uint32_t v = ++tid_seq;

	memset(tid, 0x5a, STUN_TID_LEN);
	memcpy(tid, &v, sizeof(v));
}

/* The frames of each path; ports are patched per frame. */
static void
templates_make(void)
{
	struct stun_addr peer = stun_addr_v4(rte_cpu_to_be_32(PEER_IP),
					     PEER_PORT_IND);
	uint8_t media[PAYLOAD], tid[STUN_TID_LEN];
	struct stun_writer w;
	unsigned i;

	for (i = 0; i < PAYLOAD; i++)
		media[i] = (uint8_t)i;
	media[0] = 0x80;        /* RTP V2 */
	headers_put(tmpl[CD_IN], CLIENT_IP0, 0, LISTEN_PORT, PAYLOAD);
	turn_channel_data_header(tmpl[CD_IN] + HDRS, CHANNEL,
				 PAYLOAD - TURN_CHANNEL_HEADER_LEN);
	memcpy(tmpl[CD_IN] + HDRS + TURN_CHANNEL_HEADER_LEN, media,
	       PAYLOAD - TURN_CHANNEL_HEADER_LEN);

	headers_put(tmpl[SEND_IN], CLIENT_IP0, 0, LISTEN_PORT, PAYLOAD);
	tid_next(tid);
	stun_writer_init(&w, tmpl[SEND_IN] + HDRS, PAYLOAD, TURN_SEND,
			 STUN_INDICATION, tid);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &peer);
	stun_put(&w, STUN_A_DATA, media, PAYLOAD - 36);
	if (w.err != STUN_OK || w.len != PAYLOAD) {
		FAIL("Send indication template: %s, %zu bytes",
		     stun_strerror(w.err), w.len);
		exit(1);
	}
	headers_put(tmpl[CD_OUT], PEER_IP, PEER_PORT, 0, PAYLOAD);
	memcpy(tmpl[CD_OUT] + HDRS, media, PAYLOAD);
	headers_put(tmpl[DATA_OUT], PEER_IP, PEER_PORT_IND, 0, PAYLOAD);
	memcpy(tmpl[DATA_OUT] + HDRS, media, PAYLOAD);
}

/* Client i's address (host order) and port. */
static uint32_t
client_ip(uint32_t i)
{
	return CLIENT_IP0 + i / PORTS;
}

static uint16_t
client_port(uint32_t i)
{
	return (uint16_t)(CLIENT_PORT0 + i % PORTS);
}

static uint32_t
rng_next(uint32_t *rs)
{
	*rs ^= *rs << 13;
	*rs ^= *rs >> 17;
	*rs ^= *rs << 5;
	return *rs;
}

/* One burst for random allocations 0..allocs-1 of the path into nic_rx. */
static unsigned
burst_fill(enum path pa, uint32_t allocs, unsigned n)
{
	struct rte_mbuf *m[64];
	unsigned i;

	if (rte_pktmbuf_alloc_bulk(tb.dm->pool, m, n) != 0) {
		FAIL("mbuf pool empty");
		exit(1);
	}
	for (i = 0; i < n; i++) {
		uint32_t a = rng_next(&rng_state) % allocs;
		uint8_t *d = (uint8_t *)rte_pktmbuf_append(m[i], FRAME_LEN);
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(d + 14);
		struct rte_udp_hdr *u = (struct rte_udp_hdr *)(d + 34);

		memcpy(d, tmpl[pa], FRAME_LEN);
		if (pa == CD_IN || pa == SEND_IN) {
			ip->src_addr = rte_cpu_to_be_32(client_ip(a));
			u->src_port = rte_cpu_to_be_16(client_port(a));
		} else {
			ip->dst_addr = relay_ip[a];
			u->dst_port = rte_cpu_to_be_16(relay_port[a]);
		}
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		udp_csum_set(d);
	}
	if (rte_ring_enqueue_bulk(tb.nic_rx, (void **)m, n, NULL) != n) {
		FAIL("RX ring full");
		exit(1);
	}
	return n;
}

/* --- requests ------------------------------------------------------------------ */

/* A request from client i, as classify hands it to the service lcore. */
static struct rte_mbuf *
request_frame(uint32_t i, const uint8_t *stun, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(tb.dm->pool);
	uint8_t *d;

	if (m == NULL || (d = (uint8_t *)rte_pktmbuf_append(m,
				(uint16_t)(HDRS + len))) == NULL) {
		FAIL("mbuf pool empty");
		exit(1);
	}
	headers_put(d, client_ip(i), client_port(i), LISTEN_PORT,
		    (uint32_t)len);
	memcpy(d + HDRS, stun, len);
	udp_csum_set(d);
	m->l2_len = 14;
	m->l3_len = 20;
	m->port = 0;
	return m;
}

/* Client i's request of `method`: authenticated when it holds a nonce. */
static struct rte_mbuf *
request_make(uint32_t i, uint16_t method, bool auth)
{
	struct stun_addr peer = stun_addr_v4(rte_cpu_to_be_32(PEER_IP),
					     PEER_PORT);
	uint8_t buf[512], tid[STUN_TID_LEN];
	struct stun_writer w;

	tid_next(tid);
	stun_writer_init(&w, buf, sizeof(buf), method, STUN_REQUEST, tid);
	if (method == TURN_ALLOCATE) {
		stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	} else {
		stun_put_channel_number(&w, CHANNEL);
		stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &peer);
	}
	if (auth) {
		stun_put_str(&w, STUN_A_USERNAME, USER);
		stun_put_str(&w, STUN_A_REALM, REALM);
		stun_put(&w, STUN_A_NONCE, nonces[i], TURN_NONCE_LEN);
		stun_put_integrity(&w, &key);
	}
	stun_put_fingerprint(&w);
	if (w.err != STUN_OK) {
		FAIL("request: %s", stun_strerror(w.err));
		exit(1);
	}
	return request_frame(i, buf, w.len);
}

/* Takes the answers off the inject ring: the 401s' nonces kept, the rest
 * expected to be successes. Returns how many it took. */
static unsigned
answers_take(bool challenges)
{
	struct rte_mbuf *m[BATCH];
	struct stun_msg sm;
	unsigned n, i, total = 0;

	while ((n = rte_ring_dequeue_burst(tb.lc->inject_ring, (void **)m,
					   BATCH, NULL)) > 0) {
		for (i = 0; i < n; i++) {
			const uint8_t *d = rte_pktmbuf_mtod(m[i], uint8_t *);
			const struct rte_ipv4_hdr *ip =
				(const struct rte_ipv4_hdr *)(d + 14);
			const struct rte_udp_hdr *u =
				(const struct rte_udp_hdr *)(d + 34);
			uint32_t c = (rte_be_to_cpu_32(ip->dst_addr) -
				      CLIENT_IP0) * PORTS +
				     rte_be_to_cpu_16(u->dst_port) -
				     CLIENT_PORT0;

			if (stun_parse(&sm, d + HDRS, m[i]->data_len - HDRS) !=
			    STUN_OK) {
				FAIL("answer does not parse");
			} else if (challenges) {
				if (sm.cls != STUN_ERROR ||
				    sm.error_code != 401 ||
				    sm.nonce.len != TURN_NONCE_LEN ||
				    c >= MAX_ALLOCS)
					FAIL("challenge: class %u code %u",
					     sm.cls, sm.error_code);
				else
					memcpy(nonces[c],
					       stun_span_ptr(&sm, sm.nonce),
					       TURN_NONCE_LEN);
			} else if (sm.cls != STUN_SUCCESS) {
				FAIL("method %#x answered %u", sm.method,
				     sm.error_code);
			}
		}
		rte_pktmbuf_free_bulk(m, n);
		total += n;
	}
	return total;
}

/*
 * Clients from..to-1 each send one request of `method` (auth: with their
 * nonce), BATCH at a time: built untimed, dp_turn_request timed, answers
 * checked untimed. Returns the cycles spent in dp_turn_request.
 */
static uint64_t
requests_run(uint32_t from, uint32_t to, uint16_t method, bool auth)
{
	struct rte_mbuf *m[BATCH];
	uint64_t cyc = 0, t0;
	uint32_t i, k, n;

	for (i = from; i < to; i += n) {
		n = RTE_MIN((uint32_t)BATCH, to - i);
		for (k = 0; k < n; k++)
			m[k] = request_make(i + k, method, auth);
		t0 = rte_rdtsc_precise();
		for (k = 0; k < n; k++)
			dp_turn_request(tb.dm, 0, m[k]);
		cyc += rte_rdtsc_precise() - t0;
		if (answers_take(!auth) != n)
			FAIL("%u requests, fewer answers", n);
	}
	return cyc;
}

/* Nonces for clients up to n (401s to unauthenticated Allocates);
 * returns the cycles of the new ones. */
static uint64_t
nonces_get(uint32_t n, uint32_t *fresh)
{
	uint64_t cyc = 0;

	*fresh = 0;
	if (n > n_nonces) {
		cyc = requests_run(n_nonces, n, TURN_ALLOCATE, false);
		*fresh = n - n_nonces;
		n_nonces = n;
	}
	return cyc;
}

/* Allocations for clients 0..n-1, through authenticated Allocates;
 * returns the cycles of dp_turn_request. */
static uint64_t
allocs_create(uint32_t n)
{
	uint32_t fresh, i;
	uint64_t cyc;

	nonces_get(n, &fresh);
	cyc = requests_run(0, n, TURN_ALLOCATE, true);
	for (i = 0; i < n; i++) {
		struct dp_hash_5t_key k = dp_turn_client_key(
			rte_cpu_to_be_32(client_ip(i)), tb.dm->ifaces[0].ip,
			client_port(i), LISTEN_PORT);
		const struct dp_alloc *a = dp_turn_alloc(turn,
				dp_hash_5t_lookup(turn->clients, &k));

		if (a == NULL) {
			FAIL("client %u: no allocation", i);
			exit(1);
		}
		relay_port[i] = a->relay_port;
		relay_ip[i] = turn->relay_ip[a->relay_ai];
	}
	return cyc;
}

static void
allocs_clear(void)
{
	uint32_t id;

	for (id = 1; id <= turn->alloc_cap; id++) {
		struct dp_alloc *a = dp_turn_alloc(turn, id);

		if (a != NULL)
			dp_turn_alloc_del(turn, a);
	}
	dp_turn_reclaim(turn, true);
	if (turn->n_allocs != 0)
		FAIL("%u allocations left after clearing", turn->n_allocs);
}

/* --- relay ------------------------------------------------------------------ */

static uint64_t
drops_total(const struct dp_stats *st)
{
	uint64_t d = 0;
	unsigned i;

	for (i = 0; i < DP_DROP_MAX; i++)
		d += st->drops[i];
	return d;
}

/* One trial of `pkts` packets; cycles per packet. */
static double
trial(enum path pa, uint32_t allocs, uint64_t pkts)
{
	struct dp_lcore *lc = tb.lc;
	uint64_t sent = 0, cyc = 0, t0;
	struct dp_stats s0, s1;
	unsigned i;

	dp_stats_sum(tb.dm, &s0);
	while (sent < pkts) {
		sent += burst_fill(pa, allocs, lc->burst);
		t0 = rte_rdtsc_precise();
		dp_worker_poll(lc);
		dp_tx_flush(lc);
		cyc += rte_rdtsc_precise() - t0;
		if (rte_ring_count(tb.nic_tx) >= lc->burst * 8u)
			dp_testbed_ring_drain(tb.nic_tx);
	}
	dp_testbed_ring_drain(tb.nic_tx);
	dp_stats_sum(tb.dm, &s1);
	if (s1.relayed_pkts - s0.relayed_pkts != sent ||
	    drops_total(&s1) != drops_total(&s0)) {
		FAIL("%s, %u allocations: %" PRIu64 " sent, %" PRIu64
		     " relayed", path_names[pa], allocs, sent,
		     s1.relayed_pkts - s0.relayed_pkts);
		for (i = 0; i < DP_DROP_MAX; i++)
			if (s1.drops[i] != s0.drops[i])
				fprintf(stderr, "  drop %s: %" PRIu64 "\n",
					dp_drop_names[i],
					s1.drops[i] - s0.drops[i]);
		exit(1);
	}
	return (double)cyc / (double)sent;
}

static void
measure(enum path pa, uint32_t allocs, unsigned trials, uint64_t pkts,
	struct result *res)
{
	double v[64];
	unsigned t;

	trial(pa, allocs, pkts / 4);    /* warm-up */
	for (t = 0; t < trials; t++)
		v[t] = trial(pa, allocs, pkts);
	res->cpp = bench_median(v, trials, &res->cpp_min, &res->cpp_max);
	res->allocs = allocs;
}

/* --- memory ------------------------------------------------------------------- */

struct mem {
	uint64_t tables;        /* dp_turn_mem_bytes: arrays and pools */
	uint64_t clients, aux;  /* the two hashes' bytes */
	uint32_t aux_slots;
	double per_alloc_total; /* everything / relay_capacity */
	double per_alloc_own;   /* what only allocations use */
	double per_perm, per_chan;
};

static void
mem_measure(struct mem *mm)
{
	struct dp_hash_stats hc, ha;
	uint64_t cap = turn->alloc_cap;
	double aux_slot;

	dp_hash_5t_stats(turn->clients, &hc);
	dp_hash_5t_stats(turn->aux, &ha);
	mm->tables = dp_turn_mem_bytes(tb.cfg);
	mm->clients = hc.bytes;
	mm->aux = ha.bytes;
	mm->aux_slots = ha.slots;
	mm->per_alloc_total = (double)(mm->tables + hc.bytes + ha.bytes) /
			      (double)cap;
	/* the allocation, its name, its quota slot and token, its pool
	 * indexes (free + retire stacks), its share of the client hash */
	mm->per_alloc_own = (double)(sizeof(struct dp_alloc) +
				     SL_USERNAME_MAX +
				     sizeof(struct dp_turn_user) + 8 +
				     2 * 2 * sizeof(uint32_t)) +
			    (double)hc.bytes / (double)cap;
	aux_slot = (double)ha.bytes / (double)ha.slots;
	/* entry, free + retire indexes, hash slots: one key (PERM) for a
	 * permission, two (CHAN, CHAN_PEER) for a channel */
	mm->per_perm = (double)(sizeof(struct dp_turn_perm) +
				2 * sizeof(uint32_t)) + aux_slot;
	mm->per_chan = (double)(sizeof(struct dp_turn_chan) +
				2 * sizeof(uint32_t)) + 2 * aux_slot;
}

/* --- main ------------------------------------------------------------------- */

/* --paths: a comma-separated list of path names into a bit mask. */
static int
paths_parse(const char *arg, unsigned *mask)
{
	char buf[128], *save = NULL, *tok;
	unsigned pa;

	if (strlen(arg) >= sizeof(buf)) {
		fprintf(stderr, "bench_turn: --paths: too long\n");
		return -1;
	}
	memcpy(buf, arg, strlen(arg) + 1);
	*mask = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		for (pa = 0; pa < N_PATHS; pa++)
			if (strcmp(tok, path_names[pa]) == 0)
				break;
		if (pa == N_PATHS) {
			fprintf(stderr, "bench_turn: --paths: unknown path "
				"'%s'\n", tok);
			return -1;
		}
		*mask |= 1u << pa;
	}
	if (*mask == 0) {
		fprintf(stderr, "bench_turn: --paths: empty\n");
		return -1;
	}
	return 0;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: bench_turn [--quick] [--allocs N[,N...]] "
		"[--trials N] [--packets N] [--rate-runs N] [--paths P[,P...]] "
		"[--json FILE]\n"
		"  --paths: cd-in, cd-out, send-in, data-out (default: all)\n"
		"  --allocs: allocation counts for the relay paths, at most "
		"%u (%u on the interface address alone, more with 16 relay "
		"addresses)\n", MAX_ALLOCS, PORTS);
}

struct rate {
	uint32_t allocs;        /* per run */
	double challenge_cyc;   /* a 401 */
	double alloc_cyc, alloc_min, alloc_max;  /* an authenticated Allocate */
	double chan_cyc;        /* an authenticated ChannelBind */
};

static void
rate_measure(uint32_t allocs, unsigned runs, struct rate *r)
{
	double v[64], ch[64];
	uint32_t fresh;
	uint64_t c;
	unsigned k;

	c = nonces_get(allocs, &fresh);
	r->challenge_cyc = fresh ? (double)c / fresh : 0;
	for (k = 0; k < runs; k++) {
		allocs_clear();
		v[k] = (double)allocs_create(allocs) / allocs;
		ch[k] = (double)requests_run(0, allocs, TURN_CHANNEL_BIND,
					     true) / allocs;
	}
	r->allocs = allocs;
	r->alloc_cyc = bench_median(v, runs, &r->alloc_min, &r->alloc_max);
	r->chan_cyc = bench_median(ch, runs, NULL, NULL);
}

static void
json_write(const char *path, double hz, const struct rate *rt,
	   const struct mem *mm, struct result res[][N_PATHS],
	   unsigned n_sizes)
{
	unsigned s, pa;
	bool first = true;
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		FAIL("%s: cannot write", path);
		return;
	}
	fprintf(f, "{\"dpdk\":\"%s\",\"tsc_hz\":%.0f,\"frame_bytes\":%u,"
		"\"setup\":\"dp_turn_request\",\"relay_capacity\":%u,"
		"\"allocate\":{\"allocations\":%u,\"challenge_cycles\":%.0f,"
		"\"allocate_cycles\":%.0f,\"allocations_per_second\":%.0f,"
		"\"channel_bind_cycles\":%.0f},"
		"\"memory\":{\"tables_bytes\":%" PRIu64 ",\"client_hash_bytes\":"
		"%" PRIu64 ",\"aux_hash_bytes\":%" PRIu64 ",\"per_allocation_"
		"total\":%.0f,\"per_allocation_own\":%.0f,\"per_permission\":"
		"%.0f,\"per_channel\":%.0f},\"results\":[",
		rte_version(), hz, FRAME_LEN + 4, turn->alloc_cap, rt->allocs,
		rt->challenge_cyc, rt->alloc_cyc, hz / rt->alloc_cyc,
		rt->chan_cyc, mm->tables, mm->clients, mm->aux,
		mm->per_alloc_total, mm->per_alloc_own, mm->per_perm,
		mm->per_chan);
	for (s = 0; s < n_sizes; s++)
		for (pa = 0; pa < N_PATHS; pa++) {
			const struct result *r = &res[s][pa];

			if (r->allocs == 0)
				continue;
			fprintf(f, "%s{\"path\":\"%s\",\"allocations\":%u,"
				"\"cycles_per_packet\":%.1f,\"min\":%.1f,"
				"\"max\":%.1f,\"mpps_per_lcore\":%.2f}",
				first ? "" : ",", path_names[pa], r->allocs,
				r->cpp, r->cpp_min, r->cpp_max,
				hz / r->cpp / 1e6);
			first = false;
		}
	fprintf(f, "]}\n");
	fclose(f);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "allocs", required_argument, NULL, 'a' },
		{ "trials", required_argument, NULL, 't' },
		{ "packets", required_argument, NULL, 'p' },
		{ "rate-runs", required_argument, NULL, 'r' },
		{ "json", required_argument, NULL, 'j' },
		{ "paths", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t sizes[MAX_SIZES] = { 1, 1000, 1800, 6000, PORTS }, v;
	uint64_t trials = 7, pkts = 1000000, runs = 5, rate_allocs = PORTS;
	uint32_t cap = PORTS;
	char yaml[1024];
	unsigned n_sizes = 5, s, pa, path_mask = (1u << N_PATHS) - 1;
	static struct result res[MAX_SIZES][N_PATHS];
	const char *json = NULL;
	uint8_t md5[TURN_KEY_MAX];
	struct rate rt;
	struct mem mm;
	double hz;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			sizes[0] = 1;
			sizes[1] = 1000;
			n_sizes = 2;
			trials = 3;
			pkts = 50000;
			runs = 3;
			rate_allocs = 1000;
			break;
		case 'a':
			if (bench_parse_u64_list("bench_turn", "--allocs",
						 optarg, 1, MAX_ALLOCS, sizes,
						 MAX_SIZES, &n_sizes))
				return 2;
			break;
		case 't':
			if (bench_parse_u64("bench_turn", "--trials", optarg,
					    1, 63, &trials))
				return 2;
			break;
		case 'p':
			if (bench_parse_u64("bench_turn", "--packets", optarg,
					    1000, UINT64_C(1) << 32, &v))
				return 2;
			pkts = v;
			break;
		case 'r':
			if (bench_parse_u64("bench_turn", "--rate-runs",
					    optarg, 1, 63, &runs))
				return 2;
			break;
		case 'j':
			json = optarg;
			break;
		case 'P':
			if (paths_parse(optarg, &path_mask))
				return 2;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	for (s = 0; s < n_sizes; s++)
		cap = RTE_MAX(cap, (uint32_t)sizes[s]);
	cap = RTE_MAX(cap, (uint32_t)rate_allocs);
	bench_yaml(yaml, sizeof(yaml), cap);
	/* the tables take about 700 B an allocation of capacity (permission
	 * and channel room included) */
	dp_testbed_init(&tb, "bench-turn", yaml, 0,
			512 + (unsigned)((uint64_t)cap * 1100 >> 20));
	turn = &tb.dm->turn;
	tb.lc->prev_flush_tsc = rte_rdtsc();
	hz = (double)rte_get_tsc_hz();
	if (turn_longterm_key(STUN_PWALG_MD5, USER, strlen(USER), REALM,
			      strlen(REALM), PASSWORD, strlen(PASSWORD),
			      md5) != 16 ||
	    dp_flow_cred_set(&tb.dm->flow, USER, md5, NULL) != SL_OK) {
		FAIL("credential store");
		return 1;
	}
	stun_key_init(&key, md5, 16);
	{
		static const struct rte_ether_addr mac = {{ 0x02, 0xc1, 0, 0,
							    0, 1 }};

		for (v = 0; v < cap; v += PORTS)
			dp_neigh_learn(&tb.dm->ifaces[0],
				       rte_cpu_to_be_32(client_ip((uint32_t)v)),
				       &mac);
		dp_neigh_learn(&tb.dm->ifaces[0], rte_cpu_to_be_32(PEER_IP),
			       &mac);
	}
	templates_make();
	printf("bench_turn: %s, TSC %.2f GHz, one lcore, relay capacity %u "
	       "(%u relay address%s), set-up through dp_turn_request\n",
	       rte_version(), hz / 1e9, turn->alloc_cap,
	       turn->n_ai - DP_MAX_IFACES + 1,
	       turn->n_ai > DP_MAX_IFACES ? "es" : "");

	/* b: the request path, and c: memory with the table full */
	rate_measure((uint32_t)rate_allocs, (unsigned)runs, &rt);
	allocs_clear();
	allocs_create((uint32_t)rate_allocs);
	mem_measure(&mm);
	printf("requests (median of %" PRIu64 " runs of %u): 401 challenge "
	       "%.0f cyc, authenticated Allocate %.0f cyc (%.0f-%.0f) = "
	       "%.0f allocations/s, ChannelBind %.0f cyc\n", runs, rt.allocs,
	       rt.challenge_cyc, rt.alloc_cyc, rt.alloc_min, rt.alloc_max,
	       hz / rt.alloc_cyc, rt.chan_cyc);
	printf("memory at capacity %u: tables %" PRIu64 " B, client hash %"
	       PRIu64 " B, aux hash %" PRIu64 " B: %.0f B per allocation "
	       "all told (permission and channel room included), %.0f B "
	       "an allocation's own; %.0f B per permission, %.0f B per "
	       "channel\n", turn->alloc_cap, mm.tables, mm.clients, mm.aux,
	       mm.per_alloc_total, mm.per_alloc_own, mm.per_perm,
	       mm.per_chan);

	/* a: the relay paths */
	printf("frames %u B (%u with FCS), median of %" PRIu64 " trials of %"
	       PRIu64 " packets\n", FRAME_LEN, FRAME_LEN + 4, trials, pkts);
	printf("%-9s %7s %10s %8s %12s\n", "path", "allocs", "cyc/pkt",
	       "Mpps", "min-max");
	for (s = 0; s < n_sizes; s++) {
		uint32_t n = (uint32_t)sizes[s];
		uint64_t t0 = rte_rdtsc(), ca, cb;

		allocs_clear();
		ca = allocs_create(n);
		cb = requests_run(0, n, TURN_CHANNEL_BIND, true);
		if (n > PORTS)
			printf("# %u allocations on %u relay addresses, each by "
			       "a 401 round and an authenticated Allocate, and "
			       "%u ChannelBinds: %.1f s in all, %.0f cyc an "
			       "Allocate, %.0f cyc a ChannelBind in "
			       "dp_turn_request; %u live\n", n,
			       turn->n_ai - DP_MAX_IFACES + 1, n,
			       (double)(rte_rdtsc() - t0) / hz,
			       (double)ca / n, (double)cb / n, turn->n_allocs);
		for (pa = 0; pa < N_PATHS; pa++) {
			struct result *r = &res[s][pa];

			if (!(path_mask & (1u << pa))) {
				r->allocs = 0;
				continue;
			}
			measure(pa, n, (unsigned)trials, pkts, r);
			printf("%-9s %7u %10.1f %8.2f %6.0f-%-5.0f\n",
			       path_names[pa], r->allocs, r->cpp,
			       hz / r->cpp / 1e6, r->cpp_min, r->cpp_max);
			fflush(stdout);
		}
	}
	allocs_clear();
	if (json != NULL)
		json_write(json, hz, &rt, &mm, res, n_sizes);
	if (rte_mempool_in_use_count(tb.dm->pool) != 0)
		FAIL("%u mbufs not back in the pool",
		     rte_mempool_in_use_count(tb.dm->pool));
	dp_testbed_fini(&tb);
	return failures ? 1 : 0;
}
