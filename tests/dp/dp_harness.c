/* SPDX-License-Identifier: BSD-3-Clause */
/* dp_harness.c — see dp_harness.h. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_arp.h>
#include <rte_eal.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "dp_harness.h"

int h_failures;

const char *const h_default_yaml =
	"profile: small\n"
	"interfaces:\n"
	"  - name: external\n"
	"    device: net_ring_test\n"
	"    address: 192.0.2.10/24\n"
	"turn:\n"
	"  realm: relay.example\n";

int
h_init(struct harness *h, const char *test_name, const char *yaml)
{
	static const struct rte_ether_addr peer = {{ 0x02, 0xc1, 0, 0, 0, 0x01 }};
	char name[96];

	memset(h, 0, sizeof(*h));
	snprintf(name, sizeof(name), "dp-%s", test_name);
	dp_testbed_init(&h->tb, name, yaml, 0, 256);
	/* the ring PMD picks its own MAC: address frames to what it reports */
	h->our_mac = h->tb.dm->ifaces[0].mac;
	h->peer_mac = peer;
	h->our_ip = h->tb.cfg->ifaces[0].address;
	h->peer_ip = rte_cpu_to_be_32(H_IP4(192, 0, 2, 1));
	return 0;
}

void
h_fini(struct harness *h)
{
	dp_testbed_fini(&h->tb);
}

/* --- frames ---------------------------------------------------------------- */

static size_t
eth(const struct harness *h, uint8_t *buf, uint16_t type)
{
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)buf;

	e->dst_addr = h->our_mac;
	e->src_addr = h->peer_mac;
	e->ether_type = rte_cpu_to_be_16(type);
	return sizeof(*e);
}

static size_t
ipv4(const struct harness *h, uint8_t *buf, uint8_t proto, size_t l4len)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)buf;

	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + l4len);
	ip->packet_id = rte_cpu_to_be_16(0x1234);
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 61;
	ip->next_proto_id = proto;
	ip->src_addr = h->peer_ip;
	ip->dst_addr = h->our_ip;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return sizeof(*ip);
}

void
h_ipv4_fix_cksum(uint8_t *frame)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + 14);

	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

size_t
h_frame_udp(const struct harness *h, uint8_t *buf, uint16_t sport,
	    uint16_t dport, const void *payload, size_t plen)
{
	return h_frame_udp_from(h, buf, rte_be_to_cpu_32(h->peer_ip), sport,
				dport, payload, plen);
}

size_t
h_frame_udp_from(const struct harness *h, uint8_t *buf, uint32_t src_host,
		 uint16_t sport, uint16_t dport, const void *payload,
		 size_t plen)
{
	size_t off = eth(h, buf, RTE_ETHER_TYPE_IPV4);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + off);
	struct rte_udp_hdr *u;

	off += ipv4(h, buf + off, IPPROTO_UDP, sizeof(*u) + plen);
	ip->src_addr = rte_cpu_to_be_32(src_host);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	u = (struct rte_udp_hdr *)(buf + off);
	u->src_port = rte_cpu_to_be_16(sport);
	u->dst_port = rte_cpu_to_be_16(dport);
	u->dgram_len = rte_cpu_to_be_16(sizeof(*u) + plen);
	u->dgram_cksum = 0;
	memcpy(u + 1, payload, plen);
	u->dgram_cksum = rte_ipv4_udptcp_cksum(ip, u);
	return off + sizeof(*u) + plen;
}

size_t
h_frame_tcp_syn(const struct harness *h, uint8_t *buf, uint16_t sport,
		uint16_t dport)
{
	size_t off = eth(h, buf, RTE_ETHER_TYPE_IPV4);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + off);
	struct rte_tcp_hdr *t;

	off += ipv4(h, buf + off, IPPROTO_TCP, sizeof(*t));
	t = (struct rte_tcp_hdr *)(buf + off);
	memset(t, 0, sizeof(*t));
	t->src_port = rte_cpu_to_be_16(sport);
	t->dst_port = rte_cpu_to_be_16(dport);
	t->sent_seq = rte_cpu_to_be_32(1000);
	t->data_off = (sizeof(*t) / 4) << 4;
	t->tcp_flags = RTE_TCP_SYN_FLAG;
	t->rx_win = rte_cpu_to_be_16(65535);
	t->cksum = rte_ipv4_udptcp_cksum(ip, t);
	return off + sizeof(*t);
}

size_t
h_frame_icmp_echo(const struct harness *h, uint8_t *buf, uint16_t id,
		  uint16_t seq, const void *payload, size_t plen)
{
	size_t off = eth(h, buf, RTE_ETHER_TYPE_IPV4);
	struct rte_icmp_hdr *ic;

	off += ipv4(h, buf + off, IPPROTO_ICMP, sizeof(*ic) + plen);
	ic = (struct rte_icmp_hdr *)(buf + off);
	ic->icmp_type = 8;
	ic->icmp_code = 0;
	ic->icmp_cksum = 0;
	ic->icmp_ident = rte_cpu_to_be_16(id);
	ic->icmp_seq_nb = rte_cpu_to_be_16(seq);
	memcpy(ic + 1, payload, plen);
	ic->icmp_cksum = ~rte_raw_cksum(ic, sizeof(*ic) + plen);
	return off + sizeof(*ic) + plen;
}

size_t
h_frame_arp(const struct harness *h, uint8_t *buf, uint16_t op,
	    uint32_t target_ip)
{
	size_t off = eth(h, buf, RTE_ETHER_TYPE_ARP);
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)buf;
	struct rte_arp_hdr *a = (struct rte_arp_hdr *)(buf + off);

	memset(&e->dst_addr, 0xff, sizeof(e->dst_addr));
	a->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	a->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	a->arp_hlen = 6;
	a->arp_plen = 4;
	a->arp_opcode = rte_cpu_to_be_16(op);
	a->arp_data.arp_sha = h->peer_mac;
	a->arp_data.arp_sip = h->peer_ip;
	memset(&a->arp_data.arp_tha, 0, sizeof(a->arp_data.arp_tha));
	a->arp_data.arp_tip = target_ip;
	return off + sizeof(*a);
}

/* --- moving frames ------------------------------------------------------ */

static struct rte_mbuf *
mbuf_of(struct harness *h, const uint8_t *frame, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(h->tb.dm->pool);
	char *p;

	if (m == NULL || (p = rte_pktmbuf_append(m, len)) == NULL) {
		fprintf(stderr, "mbuf alloc failed\n");
		exit(1);
	}
	memcpy(p, frame, len);
	return m;
}

void
h_rx(struct harness *h, const uint8_t *frame, size_t len)
{
	if (rte_ring_enqueue(h->tb.nic_rx, mbuf_of(h, frame, len)) != 0)
		exit(1);
}

bool
h_rx_try(struct harness *h, const uint8_t *frame, size_t len)
{
	struct rte_mbuf *m = mbuf_of(h, frame, len);

	if (rte_ring_enqueue(h->tb.nic_rx, m) == 0)
		return true;
	rte_pktmbuf_free(m);
	return false;
}

void
h_kernel_sends(struct harness *h, const uint8_t *frame, size_t len)
{
	if (rte_ring_enqueue(h->tb.kni_rx, mbuf_of(h, frame, len)) != 0)
		exit(1);
}

/* Until quiet: worker, then service (punts to kernel, kernel's to inject),
 * then worker again (injected frames to the NIC), TX flushed each time. */
void
h_run(struct harness *h)
{
	struct dp_lcore *lc = h->tb.dm->workers[0];
	unsigned i;

	for (i = 0; i < 8; i++) {
		dp_worker_poll(lc);
		dp_tx_flush(lc);
		dp_service_poll(h->tb.dm);
	}
}

static unsigned
ring_out(struct rte_ring *r, uint8_t *buf, size_t *len)
{
	struct rte_mbuf *m;
	unsigned n = 0;

	if (len != NULL)
		*len = 0;
	while (rte_ring_dequeue(r, (void **)&m) == 0) {
		if (n == 0 && buf != NULL) {
			const void *p;

			*len = rte_pktmbuf_pkt_len(m);
			p = rte_pktmbuf_read(m, 0, *len, buf);
			if (p != buf)
				memcpy(buf, p, *len);
		}
		rte_pktmbuf_free(m);
		n++;
	}
	return n;
}

unsigned
h_nic_out(struct harness *h, uint8_t *buf, size_t *len)
{
	return ring_out(h->tb.nic_tx, buf, len);
}

unsigned
h_nic_out_all(struct harness *h, uint8_t *bufs, size_t cap, size_t *len,
	      unsigned max)
{
	struct rte_mbuf *m;
	unsigned n = 0;

	while (rte_ring_dequeue(h->tb.nic_tx, (void **)&m) == 0) {
		if (n < max) {
			uint8_t *buf = bufs + (size_t)n * cap;
			const void *p;

			len[n] = RTE_MIN((size_t)rte_pktmbuf_pkt_len(m), cap);
			p = rte_pktmbuf_read(m, 0, len[n], buf);
			if (p != buf)
				memcpy(buf, p, len[n]);
		}
		rte_pktmbuf_free(m);
		n++;
	}
	return n;
}

unsigned
h_kni_out(struct harness *h, uint8_t *buf, size_t *len)
{
	return ring_out(h->tb.kni_tx, buf, len);
}

uint64_t
h_drop(struct harness *h, enum dp_drop_reason r)
{
	struct dp_stats s;

	dp_stats_sum(h->tb.dm, &s);
	return s.drops[r];
}

uint64_t
h_punt(struct harness *h, enum dp_punt_reason r)
{
	struct dp_stats s;

	dp_stats_sum(h->tb.dm, &s);
	return s.punts[r];
}

uint64_t
h_drops_total(struct harness *h)
{
	struct dp_stats s;
	uint64_t t = 0;
	unsigned i;

	dp_stats_sum(h->tb.dm, &s);
	for (i = 0; i < DP_DROP_MAX; i++)
		t += s.drops[i];
	return t;
}

bool
h_pool_full(struct harness *h)
{
	return rte_mempool_avail_count(h->tb.dm->pool) == h->tb.dm->pool->size;
}

void
h_expect_bytes(const char *what, const uint8_t *got, size_t glen,
	       const uint8_t *want, size_t wlen)
{
	bool same = glen == wlen && memcmp(got, want, wlen) == 0;

	CHECK(same, "%s differs", what);
	if (!same)
		h_hexdiff(what, got, glen, want, wlen);
}

void
h_hexdiff(const char *what, const uint8_t *got, size_t glen,
	  const uint8_t *want, size_t wlen)
{
	size_t i, n = glen > wlen ? glen : wlen;

	fprintf(stderr, "%s: got %zu bytes, want %zu\n", what, glen, wlen);
	for (i = 0; i < n; i++) {
		int g = i < glen ? got[i] : -1, w = i < wlen ? want[i] : -1;

		if (g != w)
			fprintf(stderr, "  byte %zu: got %02x want %02x\n", i,
				g & 0xff, w & 0xff);
	}
}

int
h_main(int argc, char **argv, struct harness *h, const struct h_case *cases,
       unsigned n_cases)
{
	unsigned i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CASE\n", argv[0]);
		for (i = 0; i < n_cases; i++)
			fprintf(stderr, "  %s\n", cases[i].name);
		return 2;
	}
	for (i = 0; i < n_cases; i++) {
		if (strcmp(argv[1], cases[i].name) != 0)
			continue;
		h_init(h, cases[i].name,
		       cases[i].yaml ? cases[i].yaml : h_default_yaml);
		cases[i].fn();
		dp_testbed_ring_drain(h->tb.nic_tx);
		dp_testbed_ring_drain(h->tb.kni_tx);
		CHECK(h_pool_full(h), "every mbuf back in the pool: %u of %u",
		      rte_mempool_avail_count(h->tb.dm->pool),
		      h->tb.dm->pool->size);
		h_fini(h);
		if (h_failures == 0)
			printf("ok: %s\n", cases[i].name);
		return h_failures ? 1 : 0;
	}
	fprintf(stderr, "unknown case %s\n", argv[1]);
	return 2;
}
