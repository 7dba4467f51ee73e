/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_dp_media.c — the media stages (dp_media.c) in-process: legs made by
 * real commands through the command service, frames through the ring
 * ports, compared byte by byte, counters read from the legs and the lcore.
 *
 *   traversal client 192.0.2.1 ──mux 36000/36001──┐
 *   traversal client 192.0.2.2 ──mux 36000/36001──┼── sluice (192.0.2.10)
 *   NATed endpoint   192.0.2.3 ──ports 40000/40001─┘
 *
 * `test_dp_media CASE` runs one case in its own EAL.
 */
#include <stdlib.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_udp.h>

#include "dp_legs.h"
#include "dp_rtp.h"

#define CLIENT1 H_IP4(192, 0, 2, 1)
#define CLIENT2 H_IP4(192, 0, 2, 2)
#define ENDPOINT H_IP4(192, 0, 2, 3)
#define STRANGER H_IP4(192, 0, 2, 9)
#define KA_PT 19

static const uint8_t rtp_pkt[] = {
	0x80, 0x00, 0x12, 0x34, 0x00, 0x00, 0x10, 0x00,  /* V2 PT0 seq ts */
	0xca, 0xfe, 0xba, 0xbe,                          /* SSRC */
	'G', '.', '7', '1', '1', ' ', 'p', 'a', 'y', 'l', 'o', 'a', 'd',
	' ', 'b', 'y', 't', 'e', 's', '!',
};

/* SR with one report block: fraction 64/256, cumulative -3 (0xfffffd),
 * jitter 0x123, then an SDES CNAME: a compound as endpoints send it. */
static const uint8_t rtcp_sr[] = {
	0x81, 200, 0x00, 0x0c, 0xca, 0xfe, 0xba, 0xbe,   /* SR, RC 1, len 12 */
	0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5,
	0x11, 0x22, 0x33, 0x44,                          /* block: SSRC */
	0x40, 0xff, 0xff, 0xfd,                          /* 64/256, -3 */
	0, 0, 0x10, 0x00,                                /* highest seq */
	0, 0, 0x01, 0x23,                                /* jitter */
	0, 0, 0, 0, 0, 0, 0, 0,                          /* LSR, DLSR */
	0x81, 202, 0x00, 0x02, 0xca, 0xfe, 0xba, 0xbe,   /* SDES, 1 chunk */
	1, 1, 'x', 0,                                    /* CNAME "x" */
};

static const uint8_t rtp_keepalive[12] = {
	0x80, KA_PT, 0, 1, 0, 0, 0, 0, 0xca, 0xfe, 0xba, 0xbe,
};

static const uint8_t rtcp_keepalive[28] = {     /* empty SR */
	0x80, 200, 0, 6, 0xca, 0xfe, 0xba, 0xbe,
};

/* ID in front of a payload, into buf; returns the length. */
static size_t
mux_frame(uint8_t *buf, uint32_t id, const void *p, size_t len)
{
	buf[0] = id >> 24;
	buf[1] = id >> 16;
	buf[2] = id >> 8;
	buf[3] = id;
	memcpy(buf + 4, p, len);
	return len + 4;
}

/* A UDP frame from src:sport to our dport with `p` as payload. */
static void
send_from(uint32_t src, uint16_t sport, uint16_t dport, const void *p,
	  size_t len)
{
	uint8_t f[FRAME_MAX];

	h_rx(&H, f, h_frame_udp_from(&H, f, src, sport, dport, p, len));
}

static void
send_mux(uint32_t src, uint16_t sport, uint16_t dport, uint32_t id,
	 const void *p, size_t len)
{
	uint8_t pl[FRAME_MAX];

	send_from(src, sport, dport, pl, mux_frame(pl, id, p, len));
}

/* The one frame out must be exactly: from our `sport` to dst:dport, with
 * `p` as its UDP payload (and every header as the relay writes it). */
static void
expect_out(const char *what, uint16_t sport, uint32_t dst, uint16_t dport,
	   const void *p, size_t len)
{
	uint8_t got[FRAME_MAX], tmpl[FRAME_MAX], want[FRAME_MAX];
	size_t glen, tlen;
	unsigned n = h_nic_out(&H, got, &glen);

	CHECK(n == 1, "%s: one frame out, got %u", what, n);
	if (n != 1)
		return;
	tlen = h_frame_udp(&H, tmpl, 1, 1, p, len);
	expected_relay(tmpl, tlen, want, sport, dst, dport);
	h_expect_bytes(what, got, glen, want, tlen);
	CHECK(udp_cksum_ok(got), "%s: UDP checksum", what);
	CHECK(rte_raw_cksum(got + 14, 20) == 0xffff, "%s: IPv4 checksum",
	      what);
}

static void
expect_nothing_out(const char *what)
{
	CHECK(h_nic_out(&H, NULL, NULL) == 0, "%s: nothing out", what);
}

static uint64_t
lcore_stat(size_t off)
{
	struct dp_stats st;

	dp_stats_sum(H.tb.dm, &st);
	return *(const uint64_t *)((const char *)&st + off);
}

#define STAT(field) lcore_stat(offsetof(struct dp_stats, field))

/* Drain the events; n[component]: LEG_LATCHED events for `leg`. */
static void
latched_events(uint32_t leg, unsigned n[2])
{
	union sl_msg e;

	n[0] = n[1] = 0;
	while (evt_next(&e))
		if (e.h.type == SL_EVT_LEG_LATCHED && e.latched.leg_id == leg &&
		    e.latched.component <= SL_COMP_RTCP)
			n[e.latched.component]++;
}

/* --- cases ------------------------------------------------------------------ */

/*
 * Two traversal clients on the demultiplexing pair: keep-alives latch and
 * are consumed; media and RTCP cross with the ID rewritten in place.
 */
static void
case_mux_to_mux_rewrites_id(void)
{
	struct sl_leg_spec a = mux_leg(1, 36000, 0x1001, 0xa001,
				       SL_LATCH_ONCE);
	struct sl_leg_spec b = mux_leg(2, 36000, 0x2002, 0xb002,
				       SL_LATCH_ONCE);
	uint8_t want[FRAME_MAX];
	unsigned ev[2];
	size_t wlen;

	ctl_up(64, 64);
	a.flags = b.flags = SL_LEG_F_KEEPALIVE;
	a.keepalive_pt = b.keepalive_pt = KA_PT;
	link_pair(&a, &b);

	/* B's keep-alives: RTP and RTCP latched, nothing relayed */
	send_mux(CLIENT2, 7000, 36000, 0x2002, rtp_keepalive, 12);
	send_mux(CLIENT2, 7001, 36001, 0x2002, rtcp_keepalive, 28);
	poll_n(2);
	expect_nothing_out("keep-alives");
	CHECK(leg_of(2)->keepalives == 2 && STAT(keepalives) == 2,
	      "two keep-alives counted on the leg and the lcore");
	CHECK(dp_remote_port(leg_of(2)->remote[SL_COMP_RTP]) == 7000 &&
	      dp_remote_port(leg_of(2)->remote[SL_COMP_RTCP]) == 7001,
	      "B latched RTP 7000, RTCP 7001");
	latched_events(2, ev);
	CHECK(ev[SL_COMP_RTP] == 1 && ev[SL_COMP_RTCP] == 1,
	      "one LEG_LATCHED each for RTP and RTCP, got %u and %u",
	      ev[SL_COMP_RTP], ev[SL_COMP_RTCP]);

	/* A's media: to B from 36000 with B's ID */
	send_mux(CLIENT1, 5000, 36000, 0x1001, rtp_pkt, sizeof(rtp_pkt));
	poll_n(2);
	wlen = mux_frame(want, 0xb002, rtp_pkt, sizeof(rtp_pkt));
	expect_out("RTP mux→mux", 36000, CLIENT2, 7000, want, wlen);
	/* A's RTCP: from 36001 to B's RTCP remote */
	send_mux(CLIENT1, 5001, 36001, 0x1001, rtcp_sr, sizeof(rtcp_sr));
	poll_n(2);
	wlen = mux_frame(want, 0xb002, rtcp_sr, sizeof(rtcp_sr));
	expect_out("RTCP mux→mux", 36001, CLIENT2, 7001, want, wlen);
	/* and back: B to A, A latched from its own media */
	send_mux(CLIENT2, 7000, 36000, 0x2002, rtp_pkt, sizeof(rtp_pkt));
	poll_n(2);
	wlen = mux_frame(want, 0xa001, rtp_pkt, sizeof(rtp_pkt));
	expect_out("RTP mux→mux back", 36000, CLIENT1, 5000, want, wlen);
	CHECK(leg_of(1)->pkts_in == 2 && leg_of(2)->pkts_out == 2 &&
	      leg_of(2)->bytes_out == 2 * 4 + sizeof(rtp_pkt) +
	      sizeof(rtcp_sr), "A in 2, B out 2 (bytes %" PRIu64 ")",
	      leg_of(2)->bytes_out);
	CHECK(h_drops_total(&H) == 0, "no drop");
}

/*
 * A NATed endpoint on a port pair and a traversal client on the
 * demultiplexing pair: the ID is stripped one way and prepended the other,
 * RTP and RTCP, and the payload arrives byte for byte.
 */
static void
case_mux_port_call(void)
{
	struct sl_leg_spec c = mux_leg(1, 36000, 0x77, 0x99, SL_LATCH_ONCE);
	struct sl_leg_spec e = port_leg(2, 40000, SL_LATCH_ONCE);
	uint8_t want[FRAME_MAX];
	size_t wlen;

	ctl_up(64, 64);
	c.flags = SL_LEG_F_KEEPALIVE;
	c.keepalive_pt = KA_PT;
	link_pair(&c, &e);

	/* the endpoint talks first: the client has not latched yet */
	send_from(ENDPOINT, 6000, 40000, rtp_pkt, sizeof(rtp_pkt));
	poll_n(2);
	expect_nothing_out("receiver not ready");
	CHECK(h_drop(&H, DP_DROP_MEDIA_NOT_READY) == 1,
	      "media_receiver_not_ready");
	CHECK(leg_of(2)->drops[SL_LEG_DROP_NOT_READY] == 1 &&
	      leg_of(2)->pkts_in == 1, "counted on the endpoint's leg");

	/* the client's keep-alives make it ready */
	send_mux(CLIENT1, 5000, 36000, 0x77, rtp_keepalive, 12);
	send_mux(CLIENT1, 5001, 36001, 0x77, rtcp_keepalive, 28);
	poll_n(2);
	expect_nothing_out("keep-alives consumed");

	send_from(ENDPOINT, 6000, 40000, rtp_pkt, sizeof(rtp_pkt));
	poll_n(2);
	wlen = mux_frame(want, 0x99, rtp_pkt, sizeof(rtp_pkt));
	expect_out("RTP port→mux", 36000, CLIENT1, 5000, want, wlen);
	send_from(ENDPOINT, 6001, 40001, rtcp_sr, sizeof(rtcp_sr));
	poll_n(2);
	wlen = mux_frame(want, 0x99, rtcp_sr, sizeof(rtcp_sr));
	expect_out("RTCP port→mux", 36001, CLIENT1, 5001, want, wlen);

	send_mux(CLIENT1, 5000, 36000, 0x77, rtp_pkt, sizeof(rtp_pkt));
	poll_n(2);
	expect_out("RTP mux→port", 40000, ENDPOINT, 6000, rtp_pkt,
		   sizeof(rtp_pkt));
	send_mux(CLIENT1, 5001, 36001, 0x77, rtcp_sr, sizeof(rtcp_sr));
	poll_n(2);
	expect_out("RTCP mux→port", 40001, ENDPOINT, 6001, rtcp_sr,
		   sizeof(rtcp_sr));

	CHECK(dp_remote_port(leg_of(2)->remote[SL_COMP_RTCP]) == 6001 &&
	      (leg_of(2)->remote[SL_COMP_RTCP] & DP_REMOTE_LATCHED),
	      "the endpoint's RTCP latched on its own");
	CHECK(leg_of(1)->q.reports == 1 && leg_of(1)->q.fraction_lost == 64 &&
	      leg_of(1)->q.cum_lost == -3 && leg_of(1)->q.jitter == 0x123 &&
	      leg_of(1)->q.ssrc == 0x11223344,
	      "the client's RTCP report is its leg's quality");
	CHECK(leg_of(2)->q.reports == 1, "and the endpoint's its own");
	CHECK(STAT(rtcp_reports) == 2, "two reports read");
}

/* Framing errors and unknown IDs: dropped, counted, nothing latched. */
static void
case_demux_malformed_dropped(void)
{
	struct sl_leg_spec c = mux_leg(1, 36000, 0x77, 0x99, SL_LATCH_ONCE);
	uint8_t pl[FRAME_MAX];

	ctl_up(64, 64);
	CHECK(leg_cmd(SL_CMD_LEG_ADD, &c) == SL_OK, "leg added");
	send_mux(CLIENT1, 5000, 36000, 0, rtp_pkt, sizeof(rtp_pkt));
	send_mux(CLIENT1, 5000, 36000, 0x77, rtp_pkt, 11);
	send_mux(CLIENT1, 5001, 36001, 0x77, rtcp_sr, 7);
	send_from(CLIENT1, 5000, 36000, pl, mux_frame(pl, 0x77, rtp_pkt, 0));
	send_mux(CLIENT1, 5000, 36000, 0x78, rtp_pkt, sizeof(rtp_pkt));
	poll_n(2);
	expect_nothing_out("malformed");
	CHECK(h_drop(&H, DP_DROP_DEMUX_ID_ZERO) == 1, "demux_id_zero 1");
	CHECK(h_drop(&H, DP_DROP_DEMUX_SHORT) == 3, "demux_short 3");
	CHECK(h_drop(&H, DP_DROP_DEMUX_NO_LEG) == 1, "demux_no_leg 1");
	CHECK(leg_of(1)->remote[SL_COMP_RTP] == 0 &&
	      leg_of(1)->remote[SL_COMP_RTCP] == 0 && leg_of(1)->pkts_in == 0,
	      "the leg learned nothing");
	/* a 12-byte RTP header after the ID is enough (and, with no
	 * keep-alive type on the leg, is media) */
	send_mux(CLIENT1, 5000, 36000, 0x77, rtp_pkt, 12);
	poll_n(2);
	CHECK(leg_of(1)->pkts_in == 1 && leg_of(1)->keepalives == 0,
	      "a bare header is accepted as media");
	CHECK(h_drop(&H, DP_DROP_MEDIA_NO_PEER) == 1, "and has no peer");
}

/* A third address sending with a latched leg's ID (RTP bleed). */
static void
case_hijack_dropped_counted(void)
{
	struct sl_leg_spec c = mux_leg(1, 36000, 0x77, 0x99, SL_LATCH_ONCE);
	struct sl_leg_spec e = port_leg(2, 40000, SL_LATCH_ONCE);

	ctl_up(64, 64);
	link_pair(&c, &e);
	send_mux(CLIENT1, 5000, 36000, 0x77, rtp_pkt, sizeof(rtp_pkt));
	send_from(ENDPOINT, 6000, 40000, rtp_pkt, sizeof(rtp_pkt));
	poll_n(2);
	CHECK(h_nic_out(&H, NULL, NULL) == 1, "the endpoint's packet "
	      "relayed (the client's waited for the endpoint)");
	send_mux(STRANGER, 5000, 36000, 0x77, rtp_pkt, sizeof(rtp_pkt));
	send_from(STRANGER, 6000, 40000, rtp_pkt, sizeof(rtp_pkt));
	poll_n(2);
	expect_nothing_out("hijack");
	CHECK(h_drop(&H, DP_DROP_MEDIA_WRONG_SOURCE) == 2,
	      "media_wrong_source 2");
	CHECK(leg_of(1)->drops[SL_LEG_DROP_WRONG_SOURCE] == 1 &&
	      leg_of(2)->drops[SL_LEG_DROP_WRONG_SOURCE] == 1,
	      "one on each leg");
	CHECK(dp_remote_addr(leg_of(1)->remote[SL_COMP_RTP]) ==
	      rte_cpu_to_be_32(CLIENT1) &&
	      dp_remote_addr(leg_of(2)->remote[SL_COMP_RTP]) ==
	      rte_cpu_to_be_32(ENDPOINT), "both still latched to their own");
	/* the real parties still get through */
	send_mux(CLIENT1, 5000, 36000, 0x77, rtp_pkt, sizeof(rtp_pkt));
	poll_n(2);
	expect_out("after the attempt", 40000, ENDPOINT, 6000, rtp_pkt,
		   sizeof(rtp_pkt));
}

/* rtcp-mux: RTCP on the RTP port goes to the peer's RTCP; the odd port of
 * the pair stays reserved and drops. */
static void
case_rtcp_mux_leg(void)
{
	struct sl_leg_spec a = port_leg(1, 40000, SL_LATCH_ONCE);
	struct sl_leg_spec b = port_leg(2, 40002, SL_LATCH_STRICT);

	ctl_up(64, 64);
	a.flags = SL_LEG_F_RTCP_MUX;
	with_remote(&b, ENDPOINT, 8000);
	link_pair(&a, &b);
	send_from(ENDPOINT, 8000, 40002, rtp_pkt, sizeof(rtp_pkt)); /* neigh */
	poll_n(2);
	h_nic_out(&H, NULL, NULL);
	send_from(CLIENT1, 6000, 40000, rtcp_sr, sizeof(rtcp_sr));
	poll_n(2);
	expect_out("muxed RTCP to the peer's RTCP", 40003, ENDPOINT, 8001,
		   rtcp_sr, sizeof(rtcp_sr));
	CHECK(dp_remote_port(leg_of(1)->remote[SL_COMP_RTCP]) == 6000,
	      "RTCP latched on the RTP port");
	send_from(CLIENT1, 6000, 40000, rtp_pkt, sizeof(rtp_pkt));
	poll_n(2);
	expect_out("RTP beside it", 40002, ENDPOINT, 8000, rtp_pkt,
		   sizeof(rtp_pkt));
	/* the peer's RTCP comes back on A's RTP port */
	send_from(ENDPOINT, 8001, 40003, rtcp_sr, sizeof(rtcp_sr));
	poll_n(2);
	expect_out("RTCP to an rtcp-mux leg", 40000, CLIENT1, 6000, rtcp_sr,
		   sizeof(rtcp_sr));
	send_from(CLIENT1, 6001, 40001, rtcp_sr, sizeof(rtcp_sr));
	poll_n(2);
	expect_nothing_out("odd port of an rtcp-mux pair");
	CHECK(h_drop(&H, DP_DROP_MEDIA_RTCP_MUXED) == 1,
	      "media_rtcp_port_muxed");
}

/* LEG_QUERY carries the counters, drops and quality to the control plane. */
static void
case_leg_info_carries_accounting(void)
{
	struct sl_leg_spec a = port_leg(1, 40000, SL_LATCH_ONCE);
	union sl_msg m, e;
	uint32_t seq;

	ctl_up(64, 64);
	CHECK(leg_cmd(SL_CMD_LEG_ADD, &a) == SL_OK, "added");
	send_from(ENDPOINT, 6000, 40000, rtp_pkt, sizeof(rtp_pkt));
	send_from(ENDPOINT, 6001, 40001, rtcp_sr, sizeof(rtcp_sr));
	send_from(STRANGER, 6000, 40000, rtp_pkt, sizeof(rtp_pkt));
	poll_n(2);
	while (evt_next(&e))
		;
	memset(&m, 0, sizeof(m));
	m.leg_id.leg_id = 1;
	seq = send_cmd(&m, SL_CMD_LEG_QUERY, sizeof(m.leg_id));
	poll_n(1);
	CHECK(evt_next(&e) && e.h.type == SL_EVT_LEG_INFO && e.h.seq == seq,
	      "LEG_INFO");
	CHECK(e.leg_info.ctr.pkts_in == 2 &&
	      e.leg_info.ctr.bytes_in == sizeof(rtp_pkt) + sizeof(rtcp_sr),
	      "in: 2 packets, %" PRIu64 " bytes", e.leg_info.ctr.bytes_in);
	CHECK(e.leg_info.ctr.drops[SL_LEG_DROP_WRONG_SOURCE] == 1 &&
	      e.leg_info.ctr.drops[SL_LEG_DROP_NO_PEER] == 2,
	      "drops by reason: wrong_source 1, no_peer 2");
	CHECK((e.leg_info.leg.flags & (SL_LEG_F_LATCHED |
				       SL_LEG_F_RTCP_LATCHED)) ==
	      (SL_LEG_F_LATCHED | SL_LEG_F_RTCP_LATCHED) &&
	      e.leg_info.leg.remote_port == 6000 &&
	      e.leg_info.leg.rtcp_remote_port == 6001, "both remotes");
	CHECK(e.leg_info.q.reports == 1 && e.leg_info.q.fraction_lost == 64 &&
	      e.leg_info.q.cum_lost == -3 && e.leg_info.q.jitter == 0x123,
	      "quality");
	expect_ack(seq, SL_OK, "query");
}

/*
 * More offered than the worker takes: the NIC queue (the RX ring) refuses
 * the excess. Every leg keeps being served, the loss is spread over the
 * legs, the dataplane loses nothing it took in, and once the load drops
 * every leg is loss-free again.
 */
#define OVL_PAIRS   32
#define OVL_ROUNDS  200

static void
case_overload_shared_fairly(void)
{
	uint64_t offered[OVL_PAIRS] = { 0 }, taken[OVL_PAIRS] = { 0 };
	uint64_t before[OVL_PAIRS], lo = UINT64_MAX, hi = 0, total_refused = 0;
	uint8_t f[OVL_PAIRS][FRAME_MAX];
	size_t flen[OVL_PAIRS];
	unsigned i, r, k;

	ctl_up(256, 256);
	for (i = 0; i < OVL_PAIRS; i++) {
		struct sl_leg_spec a = port_leg(1 + 2 * i, 40000 + 4 * i,
						SL_LATCH_ONCE);
		struct sl_leg_spec b = port_leg(2 + 2 * i, 40002 + 4 * i,
						SL_LATCH_STRICT);

		with_remote(&b, CLIENT1, 20000 + i);
		link_pair(&a, &b);
		flen[i] = h_frame_udp_from(&H, f[i], CLIENT1, 10000 + i,
					   40000 + 4 * i, rtp_pkt,
					   sizeof(rtp_pkt));
	}
	/* offered: 16 packets per leg per round (512); one h_run() per round
	 * takes 8 bursts of 32 (256); the RX ring holds 1024 */
	for (r = 0; r < OVL_ROUNDS; r++) {
		for (k = 0; k < 16; k++)
			for (i = 0; i < OVL_PAIRS; i++) {
				offered[i]++;
				if (h_rx_try(&H, f[i], flen[i]))
					taken[i]++;
				else
					total_refused++;
			}
		poll_n(1);
		dp_testbed_ring_drain(H.tb.nic_tx);
	}
	for (r = 0; r < 100; r++) {             /* what the ring still holds */
		poll_n(1);
		dp_testbed_ring_drain(H.tb.nic_tx);
	}
	CHECK(total_refused > 0, "the offer exceeded what was taken");
	for (i = 0; i < OVL_PAIRS; i++) {
		uint64_t out = leg_of(2 + 2 * i)->pkts_out;

		CHECK(out == taken[i] && leg_of(1 + 2 * i)->pkts_in == taken[i],
		      "pair %u: everything taken in was relayed (%" PRIu64
		      " of %" PRIu64 ")", i, out, taken[i]);
		lo = RTE_MIN(lo, out);
		hi = RTE_MAX(hi, out);
	}
	printf("overload: offered %" PRIu64 " per leg, relayed %" PRIu64
	       "-%" PRIu64 " per leg, %" PRIu64 " refused by the RX queue\n",
	       offered[0], lo, hi, total_refused);
	CHECK(lo > 0 && lo * 10 >= hi * 9, "loss spread over the legs: "
	      "every leg relayed within 10%% of the best (%" PRIu64 "-%"
	      PRIu64 ")", lo, hi);
	CHECK(h_drops_total(&H) == 0, "the dataplane dropped nothing itself");

	/* the load drops: every leg loss-free at once */
	for (i = 0; i < OVL_PAIRS; i++)
		before[i] = leg_of(2 + 2 * i)->pkts_out;
	for (r = 0; r < 5; r++) {
		for (i = 0; i < OVL_PAIRS; i++)
			CHECK(h_rx_try(&H, f[i], flen[i]), "taken");
		poll_n(2);
		dp_testbed_ring_drain(H.tb.nic_tx);
	}
	for (i = 0; i < OVL_PAIRS; i++)
		CHECK(leg_of(2 + 2 * i)->pkts_out - before[i] == 5,
		      "pair %u loss-free after the overload", i);
}

static const struct h_case cases[] = {
	{ "mux_to_mux_rewrites_id", case_mux_to_mux_rewrites_id },
	{ "mux_port_call", case_mux_port_call },
	{ "demux_malformed_dropped", case_demux_malformed_dropped },
	{ "hijack_dropped_counted", case_hijack_dropped_counted },
	{ "rtcp_mux_leg", case_rtcp_mux_leg },
	{ "leg_info_carries_accounting", case_leg_info_carries_accounting },
	{ "overload_shared_fairly", case_overload_shared_fairly },
};

int
main(int argc, char **argv)
{
	return h_main(argc, argv, &H, cases, RTE_DIM(cases));
}
