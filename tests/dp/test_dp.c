/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_dp.c — the dataplane's own stages in-process on net_ring ports.
 * `test_dp CASE` runs one case in its own EAL (meson registers each case as a
 * test). Every case ends by checking that every mbuf went back to the pool.
 */
#include <stdlib.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "dp_harness.h"

#define FRAME_MAX 2048

static struct harness H;

/* Nothing left the box, and the one drop was counted as `reason`. */
static void
expect_dropped(const char *what, enum dp_drop_reason reason)
{
	CHECK(h_nic_out(&H, NULL, NULL) == 0, "%s: something was sent", what);
	CHECK(h_kni_out(&H, NULL, NULL) == 0, "%s: something was punted",
	      what);
	CHECK(h_drops_total(&H) == 1 && h_drop(&H, reason) == 1,
	      "%s: one drop, as %s", what, dp_drop_names[reason]);
}

/* --- ARP ---------------------------------------------------------------- */

static void
case_arp_request_answered(void)
{
	uint8_t req[FRAME_MAX], want[FRAME_MAX], got[FRAME_MAX];
	size_t len = h_frame_arp(&H, req, RTE_ARP_OP_REQUEST, H.our_ip), glen;
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)want;
	struct rte_arp_hdr *a = (struct rte_arp_hdr *)(want + sizeof(*e));

	/* the reply, field by field (RFC 826) */
	memcpy(want, req, len);
	e->dst_addr = H.peer_mac;
	e->src_addr = H.our_mac;
	a->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
	a->arp_data.arp_sha = H.our_mac;
	a->arp_data.arp_sip = H.our_ip;
	a->arp_data.arp_tha = H.peer_mac;
	a->arp_data.arp_tip = H.peer_ip;

	h_rx(&H, req, len);
	h_run(&H);
	CHECK(h_nic_out(&H, got, &glen) == 1, "one ARP reply");
	h_expect_bytes("ARP reply", got, glen, want, len);
	CHECK(h_kni_out(&H, NULL, NULL) == 0, "ARP request not punted");
}

static void
case_arp_padded_request_answered(void)
{
	uint8_t req[FRAME_MAX], got[FRAME_MAX];
	size_t len = h_frame_arp(&H, req, RTE_ARP_OP_REQUEST, H.our_ip), glen;

	memset(req + len, 0, 60 - len); /* Ethernet minimum: 18 bytes pad */
	h_rx(&H, req, 60);
	h_run(&H);
	CHECK(h_nic_out(&H, got, &glen) == 1, "one ARP reply");
	CHECK(glen == 42, "reply is 42 bytes without the padding, got %zu",
	      glen);
}

static void
case_arp_other_target_dropped(void)
{
	uint8_t req[FRAME_MAX];
	size_t len = h_frame_arp(&H, req, RTE_ARP_OP_REQUEST,
				 rte_cpu_to_be_32(H_IP4(192, 0, 2, 99)));

	h_rx(&H, req, len);
	h_run(&H);
	expect_dropped("ARP for another host", DP_DROP_ARP_NOT_FOR_US);
	CHECK(h_drop(&H, DP_DROP_ARP_NOT_FOR_US) == 1, "arp_not_for_us");
}

static void
case_arp_reply_punted(void)
{
	uint8_t rep[FRAME_MAX], got[FRAME_MAX];
	size_t len = h_frame_arp(&H, rep, RTE_ARP_OP_REPLY, H.our_ip), glen;

	h_rx(&H, rep, len);
	h_run(&H);
	CHECK(h_kni_out(&H, got, &glen) == 1, "ARP reply goes to the kernel");
	h_expect_bytes("punted ARP reply", got, glen, rep, len);
	CHECK(h_punt(&H, DP_PUNT_ARP_REPLY) == 1, "punt reason arp_reply");
}

/* --- ICMP --------------------------------------------------------------- */

static void
case_icmp_echo_answered(void)
{
	static const char payload[] = "sluice echo payload 0123456789";
	uint8_t req[FRAME_MAX], want[FRAME_MAX], got[FRAME_MAX];
	size_t len, glen;
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)want;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(e + 1);
	struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(ip + 1);

	len = h_frame_icmp_echo(&H, req, 0x4242, 7, payload, sizeof(payload));
	memcpy(want, req, len);
	e->dst_addr = H.peer_mac;
	e->src_addr = H.our_mac;
	ip->src_addr = H.our_ip;
	ip->dst_addr = H.peer_ip;
	ip->time_to_live = 64;
	h_ipv4_fix_cksum(want);
	ic->icmp_type = 0;
	ic->icmp_cksum = 0;
	ic->icmp_cksum = ~rte_raw_cksum(ic, sizeof(*ic) + sizeof(payload));

	h_rx(&H, req, len);
	h_run(&H);
	CHECK(h_nic_out(&H, got, &glen) == 1, "one echo reply");
	h_expect_bytes("echo reply", got, glen, want, len);
	CHECK(rte_raw_cksum(got + 14, 20) == 0xffff, "reply IP checksum");
	CHECK(rte_raw_cksum(got + 34, glen - 34) == 0xffff,
	      "reply ICMP checksum");
}

static void
case_icmp_bad_checksum_dropped(void)
{
	uint8_t req[FRAME_MAX];
	size_t len = h_frame_icmp_echo(&H, req, 1, 1, "x", 1);

	req[len - 1] ^= 0x55;
	h_rx(&H, req, len);
	h_run(&H);
	expect_dropped("bad ICMP checksum", DP_DROP_ICMP_MALFORMED);
	CHECK(h_drop(&H, DP_DROP_ICMP_MALFORMED) == 1, "icmp_malformed");
}

static void
case_icmp_unreachable_punted(void)
{
	uint8_t f[FRAME_MAX], got[FRAME_MAX];
	size_t len = h_frame_icmp_echo(&H, f, 1, 1, "abcdefgh", 8), glen;
	struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(f + 34);

	ic->icmp_type = 3;  /* destination unreachable: the kernel's */
	ic->icmp_code = 3;
	ic->icmp_cksum = 0;
	ic->icmp_cksum = ~rte_raw_cksum(ic, len - 34);
	h_rx(&H, f, len);
	h_run(&H);
	CHECK(h_kni_out(&H, got, &glen) == 1, "ICMP error to the kernel");
	h_expect_bytes("punted ICMP", got, glen, f, len);
	CHECK(h_punt(&H, DP_PUNT_ICMP) == 1, "punt reason icmp");
}

/* --- exception path ----------------------------------------------------- */

static void
case_tcp_punted(void)
{
	uint8_t f[FRAME_MAX], got[FRAME_MAX];
	size_t len = h_frame_tcp_syn(&H, f, 40000, 5061), glen;

	h_rx(&H, f, len);
	h_run(&H);
	CHECK(h_kni_out(&H, got, &glen) == 1, "TCP to the kernel");
	h_expect_bytes("punted TCP", got, glen, f, len);
	CHECK(h_nic_out(&H, NULL, NULL) == 0, "nothing back to the NIC");
	CHECK(h_punt(&H, DP_PUNT_TCP) == 1, "punt reason tcp");
}

static void
case_kernel_reply_leaves_nic(void)
{
	uint8_t f[FRAME_MAX], got[FRAME_MAX];
	size_t len = h_frame_tcp_syn(&H, f, 5061, 40000), glen;
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)f;

	/* what the kernel writes: from our MAC to the peer */
	e->src_addr = H.our_mac;
	e->dst_addr = H.peer_mac;
	h_kernel_sends(&H, f, len);
	h_run(&H);
	CHECK(h_nic_out(&H, got, &glen) == 1, "kernel frame on the NIC");
	h_expect_bytes("injected frame", got, glen, f, len);
	CHECK(h_kni_out(&H, NULL, NULL) == 0, "no loop back to the kernel");
}

static void
case_punt_ring_full_counted(void)
{
	uint8_t f[FRAME_MAX];
	size_t len = h_frame_tcp_syn(&H, f, 40000, 5061);
	unsigned i, cap = H.tb.cfg->dataplane.punt_ring_size - 1;

	/* the kernel side stalls: only the worker runs */
	for (i = 0; i < cap + 5; i++) {
		h_rx(&H, f, len);
		if (i % 32 == 31)
			dp_worker_poll(H.tb.dm->workers[0]);
	}
	for (i = 0; i < 8; i++)
		dp_worker_poll(H.tb.dm->workers[0]);
	CHECK(h_drop(&H, DP_DROP_PUNT_RING_FULL) == 5,
	      "5 over the ring's %u: got %" PRIu64, cap,
	      h_drop(&H, DP_DROP_PUNT_RING_FULL));
	h_run(&H);
	CHECK(h_kni_out(&H, NULL, NULL) == cap, "the %u queued reach the "
	      "kernel", cap);
	CHECK(h_punt(&H, DP_PUNT_TCP) == cap, "punts counted once each");
}

static void
case_tx_full_counted(void)
{
	uint8_t req[FRAME_MAX];
	size_t len = h_frame_arp(&H, req, RTE_ARP_OP_REQUEST, H.our_ip);
	struct rte_mbuf *filler;
	unsigned n = 0;

	/* the NIC's TX ring is full: nothing drains it */
	while ((filler = rte_pktmbuf_alloc(H.tb.dm->pool)) != NULL &&
	       rte_ring_enqueue(H.tb.nic_tx, filler) == 0)
		n++;
	if (filler != NULL)
		rte_pktmbuf_free(filler);
	h_rx(&H, req, len);
	h_run(&H);
	CHECK(h_drop(&H, DP_DROP_TX_FULL) == 1, "tx_full counted");
	CHECK(h_nic_out(&H, NULL, NULL) == n, "only the fillers on the ring");
}

/* --- UDP port plan ------------------------------------------------------ */

struct port_case {
	uint16_t port;
	int drop;   /* expected drop reason, or -1 */
	int punt;   /* expected punt reason, or -1 */
};

static void
case_udp_port_plan(void)
{
	static const struct port_case cases[] = {
		/* "rtp!" is neither STUN nor ChannelData */
		{ 3478,  DP_DROP_TURN_MALFORMED, -1 },    /* TURN listen */
		{ 24000, DP_DROP_TURN_RELAY_CLOSED, -1 }, /* relay lo */
		{ 29999, DP_DROP_TURN_RELAY_CLOSED, -1 }, /* relay hi */
		/* 4 bytes: the demux stage finds no RTP after an ID */
		{ 36000, DP_DROP_DEMUX_SHORT, -1 },       /* demux RTP */
		{ 36001, DP_DROP_DEMUX_SHORT, -1 },       /* demux RTCP */
		{ 36002, DP_DROP_MEDIA_NO_LEG, -1 },      /* first media pair */
		{ 59999, DP_DROP_MEDIA_NO_LEG, -1 },
		{ 5060,  -1, DP_PUNT_UDP_SIGNALING },     /* SIP */
		{ 1719,  -1, DP_PUNT_UDP_SIGNALING },     /* H.323 RAS */
		{ 30000, -1, DP_PUNT_UDP_EPHEMERAL },
		{ 35999, -1, DP_PUNT_UDP_EPHEMERAL },
		{ 9,     DP_DROP_UDP_PORT_CLOSED, -1 },
		{ 60000, DP_DROP_UDP_PORT_CLOSED, -1 },
		{ 23999, DP_DROP_UDP_PORT_CLOSED, -1 },
	};
	uint8_t f[FRAME_MAX];
	unsigned i;

	for (i = 0; i < RTE_DIM(cases); i++) {
		const struct port_case *c = &cases[i];
		uint64_t d0 = c->drop >= 0 ? h_drop(&H, c->drop) : 0;
		uint64_t p0 = c->punt >= 0 ? h_punt(&H, c->punt) : 0;
		size_t len = h_frame_udp(&H, f, 50000, c->port, "rtp!", 4);

		h_rx(&H, f, len);
		h_run(&H);
		if (c->drop >= 0) {
			CHECK(h_drop(&H, c->drop) == d0 + 1, "port %u: %s",
			      c->port, dp_drop_names[c->drop]);
			CHECK(h_kni_out(&H, NULL, NULL) == 0, "port %u: not "
			      "punted", c->port);
		} else {
			CHECK(h_punt(&H, c->punt) == p0 + 1, "port %u: %s",
			      c->port, dp_punt_names[c->punt]);
			CHECK(h_kni_out(&H, NULL, NULL) == 1, "port %u: one "
			      "frame to the kernel", c->port);
		}
		CHECK(h_nic_out(&H, NULL, NULL) == 0, "port %u: nothing sent",
		      c->port);
	}
}

/* --- malformed input: each dropped under its own reason ----------------- */

enum mangle {
	M_RUNT, M_MAC, M_VLAN, M_IPV6, M_ETHERTYPE, M_IPVER, M_IHL, M_IPCSUM,
	M_TOTLEN, M_FRAG, M_DST, M_SRC_LOOP, M_SRC_OURS, M_PROTO, M_UDPLEN,
	M_UDPSHORT, M_ARPHW, M_COUNT
};

static const struct { const char *name; enum dp_drop_reason r; } mangles[] = {
	[M_RUNT] = { "frame of 10 bytes", DP_DROP_RUNT },
	[M_MAC] = { "unicast MAC of another host", DP_DROP_L2_NOT_FOR_US },
	[M_VLAN] = { "802.1Q tag", DP_DROP_VLAN },
	[M_IPV6] = { "IPv6", DP_DROP_IPV6 },
	[M_ETHERTYPE] = { "ethertype 0x88cc (LLDP)", DP_DROP_ETHERTYPE },
	[M_IPVER] = { "IP version 5", DP_DROP_IP4_BAD_HEADER },
	[M_IHL] = { "IHL 4", DP_DROP_IP4_BAD_HEADER },
	[M_IPCSUM] = { "IP checksum off by one", DP_DROP_IP4_BAD_CSUM },
	[M_TOTLEN] = { "IP total length past the frame", DP_DROP_IP4_BAD_LEN },
	[M_FRAG] = { "first fragment (MF)", DP_DROP_IP4_FRAGMENT },
	[M_DST] = { "IP destination another host", DP_DROP_IP4_NOT_FOR_US },
	[M_SRC_LOOP] = { "source 127.0.0.1", DP_DROP_IP4_BAD_SOURCE },
	[M_SRC_OURS] = { "source is our address", DP_DROP_IP4_BAD_SOURCE },
	[M_PROTO] = { "GRE to us", DP_DROP_IP4_PROTO },
	[M_UDPLEN] = { "UDP length past the IP payload", DP_DROP_UDP_BAD_LEN },
	[M_UDPSHORT] = { "UDP length 7", DP_DROP_UDP_BAD_LEN },
	[M_ARPHW] = { "ARP for a non-Ethernet hardware type",
		      DP_DROP_ARP_MALFORMED },
};

static size_t
mangled(uint8_t *f, enum mangle m)
{
	size_t len = h_frame_udp(&H, f, 50000, 36002, "payload!", 8);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + 14);
	uint8_t *udp = f + 34;

	switch (m) {
	case M_RUNT: return 10;
	case M_MAC: f[0] = 0x02; f[5] = 0x77; break;
	case M_VLAN: f[12] = 0x81; f[13] = 0x00; break;
	case M_IPV6: f[12] = 0x86; f[13] = 0xdd; break;
	case M_ETHERTYPE: f[12] = 0x88; f[13] = 0xcc; break;
	case M_IPVER: ip->version_ihl = 0x55; h_ipv4_fix_cksum(f); break;
	case M_IHL: ip->version_ihl = 0x44; h_ipv4_fix_cksum(f); break;
	case M_IPCSUM: ip->hdr_checksum ^= rte_cpu_to_be_16(1); break;
	case M_TOTLEN:
		ip->total_length = rte_cpu_to_be_16(len - 14 + 1);
		h_ipv4_fix_cksum(f);
		break;
	case M_FRAG:
		ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG);
		h_ipv4_fix_cksum(f);
		break;
	case M_DST:
		ip->dst_addr = rte_cpu_to_be_32(H_IP4(192, 0, 2, 11));
		h_ipv4_fix_cksum(f);
		break;
	case M_SRC_LOOP:
		ip->src_addr = rte_cpu_to_be_32(H_IP4(127, 0, 0, 1));
		h_ipv4_fix_cksum(f);
		break;
	case M_SRC_OURS:
		ip->src_addr = H.our_ip;
		h_ipv4_fix_cksum(f);
		break;
	case M_PROTO: ip->next_proto_id = 47; h_ipv4_fix_cksum(f); break;
	case M_UDPLEN: udp[4] = 0; udp[5] = 17; break;
	case M_UDPSHORT: udp[4] = 0; udp[5] = 7; break;
	case M_ARPHW:
		len = h_frame_arp(&H, f, RTE_ARP_OP_REQUEST, H.our_ip);
		f[15] = 6; /* IEEE 802 */
		break;
	case M_COUNT: break;
	}
	return len;
}

static void
case_malformed_dropped(void)
{
	uint8_t f[FRAME_MAX];
	unsigned m;

	for (m = 0; m < M_COUNT; m++) {
		uint64_t before = h_drop(&H, mangles[m].r);
		uint64_t total = h_drops_total(&H);

		h_rx(&H, f, mangled(f, m));
		h_run(&H);
		CHECK(h_drop(&H, mangles[m].r) == before + 1,
		      "%s: counted as %s", mangles[m].name,
		      dp_drop_names[mangles[m].r]);
		CHECK(h_drops_total(&H) == total + 1, "%s: one drop in all",
		      mangles[m].name);
		CHECK(h_nic_out(&H, NULL, NULL) == 0, "%s: nothing sent",
		      mangles[m].name);
		CHECK(h_kni_out(&H, NULL, NULL) == 0, "%s: not punted",
		      mangles[m].name);
	}
}

/*
 * A burst that mixes every outcome, so a mistake in how one packet's result
 * lands (the wrong lane, a lost packet, order within a path) shows.
 */
static void
case_mixed_burst(void)
{
	uint8_t f[FRAME_MAX], got[FRAME_MAX];
	size_t len, glen;
	unsigned i, arps = 0, echoes = 0, tcps = 0, closed = 0;
	struct rte_mbuf *m;

	for (i = 0; i < 32; i++) {
		switch (i % 4) {
		case 0:
			len = h_frame_arp(&H, f, RTE_ARP_OP_REQUEST, H.our_ip);
			arps++;
			break;
		case 1:
			len = h_frame_icmp_echo(&H, f, 9, i, "p", 1);
			echoes++;
			break;
		case 2:
			len = h_frame_tcp_syn(&H, f, 40000 + i, 5060);
			tcps++;
			break;
		default:
			len = h_frame_udp(&H, f, 50000, 9, "x", 1);
			closed++;
		}
		h_rx(&H, f, len);
	}
	h_run(&H);
	/* the kernel gets the TCP frames in their order */
	for (i = 0; i < tcps; i++) {
		CHECK(rte_ring_dequeue(H.tb.kni_tx, (void **)&m) == 0,
		      "TCP frame %u punted", i);
		if (m == NULL)
			break;
		{
			const uint8_t *p = rte_pktmbuf_read(m, 0, 36, got);

			CHECK((unsigned)(p[34] << 8 | p[35]) ==
			      40000 + 4 * i + 2, "TCP frame %u in order", i);
		}
		rte_pktmbuf_free(m);
		m = NULL;
	}
	CHECK(h_nic_out(&H, got, &glen) == arps + echoes,
	      "every ARP and echo answered");
	CHECK(h_drop(&H, DP_DROP_UDP_PORT_CLOSED) == closed, "closed: %u",
	      closed);
	CHECK(h_punt(&H, DP_PUNT_TCP) == tcps, "TCP punts: %u", tcps);
}

static const struct h_case cases[] = {
	{ "arp_request_answered", case_arp_request_answered, NULL },
	{ "arp_padded_request_answered", case_arp_padded_request_answered,
	  NULL },
	{ "arp_other_target_dropped", case_arp_other_target_dropped, NULL },
	{ "arp_reply_punted", case_arp_reply_punted, NULL },
	{ "icmp_echo_answered", case_icmp_echo_answered, NULL },
	{ "icmp_bad_checksum_dropped", case_icmp_bad_checksum_dropped, NULL },
	{ "icmp_unreachable_punted", case_icmp_unreachable_punted, NULL },
	{ "tcp_punted", case_tcp_punted, NULL },
	{ "kernel_reply_leaves_nic", case_kernel_reply_leaves_nic, NULL },
	{ "punt_ring_full_counted", case_punt_ring_full_counted,
	  "profile: small\n"
	  "interfaces:\n"
	  "  - { name: external, device: net_ring_test, "
	  "address: 192.0.2.10/24 }\n"
	  "turn: { realm: relay.example }\n"
	  "dataplane: { punt_ring_size: 64 }\n" },
	{ "tx_full_counted", case_tx_full_counted, NULL },
	{ "udp_port_plan", case_udp_port_plan, NULL },
	{ "malformed_dropped", case_malformed_dropped, NULL },
	{ "mixed_burst", case_mixed_burst, NULL },
};

int
main(int argc, char **argv)
{
	return h_main(argc, argv, &H, cases, RTE_DIM(cases));
}
