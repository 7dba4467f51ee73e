/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sip_call.c — unit tests of the B2BUA's pure parts: RFC 3261 timers
 * and the INVITE client transaction (sip_txn), the port-pair and
 * multiplexID pools (sip_media_alloc), and the SDP rewrite with the
 * a=sluice-mux attribute two Sluices exchange. One case per argument:
 *   ./test_sip_call CASE
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h323_check.h"
#include "sip_media_alloc.h"
#include "sip_sdp.h"
#include "sip_txn.h"

/* Timer A doubles from T1 (500, 1000, 2000 ...) without a cap for the
 * INVITE; a capped one stops at T2 (4 s); both give up at 64·T1. */
static void case_retx(void)
{
	struct sip_retx r;
	int64_t t = 1000, sends[16];
	unsigned n = 0;

	sip_retx_start(&r, t, false, false);
	CHECK(sip_retx_due(&r, t + 499) == SIP_RETX_IDLE);
	for (int64_t now = t; now < t + SIP_TXN_TIMEOUT_MS; now++)
		if (sip_retx_due(&r, now) == SIP_RETX_SEND && n < 16)
			sends[n++] = now - t;
	/* 500, 1500, 3500, 7500, 15500, 31500: six sends before 32 s */
	CHECKF(n == 6 && sends[0] == 500 && sends[1] == 1500 &&
	       sends[2] == 3500 && sends[3] == 7500 && sends[4] == 15500 &&
	       sends[5] == 31500, "n %u", n);
	CHECK(r.sends == 6);
	CHECK(sip_retx_due(&r, t + SIP_TXN_TIMEOUT_MS) == SIP_RETX_TIMEOUT);
	CHECK(!sip_retx_active(&r));
	CHECK(sip_retx_due(&r, t + SIP_TXN_TIMEOUT_MS + 1) == SIP_RETX_IDLE);

	/* capped at T2: 500, 1500, 3500, 7500, 11500, ... every 4 s */
	sip_retx_start(&r, 0, false, true);
	n = 0;
	for (int64_t now = 0; now < SIP_TXN_TIMEOUT_MS; now++)
		if (sip_retx_due(&r, now) == SIP_RETX_SEND && n < 16)
			sends[n++] = now;
	CHECKF(n == 10 && sends[3] == 7500 && sends[4] == 11500 &&
	       sends[9] == 31500, "n %u", n);

	/* reliable: no resend, only the deadline */
	sip_retx_start(&r, 0, true, true);
	for (int64_t now = 0; now < SIP_TXN_TIMEOUT_MS; now += 100)
		CHECK(sip_retx_due(&r, now) == SIP_RETX_IDLE);
	CHECK(sip_retx_due(&r, SIP_TXN_TIMEOUT_MS) == SIP_RETX_TIMEOUT);

	/* stopped: nothing more */
	sip_retx_start(&r, 0, false, false);
	sip_retx_stop(&r);
	CHECK(sip_retx_due(&r, 100000) == SIP_RETX_IDLE && !sip_retx_active(&r));
}

static void case_ict(void)
{
	struct sip_ict t;

	/* 1xx stops Timer A/B; 2xx accepted once, then ACKed again */
	sip_ict_start(&t, 0, false);
	CHECK(t.state == SIP_ICT_CALLING);
	CHECK(sip_ict_tick(&t, 500) == SIP_RETX_SEND);
	CHECK(sip_ict_response(&t, 100, 600) == SIP_ICT_TRYING);
	CHECK(t.state == SIP_ICT_PROCEEDING);
	CHECK(sip_ict_tick(&t, 1500) == SIP_RETX_IDLE);
	CHECK(sip_ict_tick(&t, SIP_TXN_TIMEOUT_MS + 1) == SIP_RETX_IDLE);
	CHECK(sip_ict_response(&t, 180, 700) == SIP_ICT_PROVISIONAL);
	CHECK(sip_ict_response(&t, 200, 800) == SIP_ICT_ACCEPT);
	CHECK(t.state == SIP_ICT_ACCEPTED && t.final == 200);
	CHECK(sip_ict_response(&t, 200, 900) == SIP_ICT_REACK);
	CHECK(sip_ict_response(&t, 180, 900) == SIP_ICT_IGNORE);
	CHECK(sip_ict_response(&t, 486, 900) == SIP_ICT_IGNORE);

	/* a 2xx straight from CALLING */
	sip_ict_start(&t, 0, true);
	CHECK(sip_ict_response(&t, 202, 10) == SIP_ICT_ACCEPT);

	/* non-2xx: ACK and relay once; the same again is ACKed again */
	sip_ict_start(&t, 0, false);
	CHECK(sip_ict_response(&t, 486, 10) == SIP_ICT_REJECT);
	CHECK(t.state == SIP_ICT_COMPLETED && t.final == 486);
	CHECK(sip_ict_response(&t, 486, 20) == SIP_ICT_REACK_REJECT);
	CHECK(sip_ict_response(&t, 200, 20) == SIP_ICT_IGNORE);
	CHECK(sip_ict_tick(&t, 100000) == SIP_RETX_IDLE);

	/* Timer B: no answer at all in 64·T1 */
	sip_ict_start(&t, 0, false);
	CHECK(sip_ict_tick(&t, SIP_TXN_TIMEOUT_MS - 1) != SIP_RETX_TIMEOUT);
	CHECK(sip_ict_tick(&t, SIP_TXN_TIMEOUT_MS) == SIP_RETX_TIMEOUT);
	CHECK(t.state == SIP_ICT_TIMED_OUT);
	CHECK(strcmp(sip_ict_state_name(t.state), "timed-out") == 0);

	/* Timer C: ringing without a final answer for 3 minutes */
	sip_ict_start(&t, 0, false);
	CHECK(sip_ict_response(&t, 180, 1000) == SIP_ICT_PROVISIONAL);
	CHECK(sip_ict_tick(&t, 1000 + SIP_TXN_TIMER_C_MS - 1) == SIP_RETX_IDLE);
	CHECK(sip_ict_tick(&t, 1000 + SIP_TXN_TIMER_C_MS) == SIP_RETX_TIMEOUT);
	CHECK(t.state == SIP_ICT_TIMED_OUT);
	/* a late provisional changes nothing */
	CHECK(sip_ict_response(&t, 183, 1000 + SIP_TXN_TIMER_C_MS) ==
	      SIP_ICT_IGNORE);
}

static void case_pairs(void)
{
	struct sip_port_pairs pp;
	const uint16_t demux[] = { 36000, 36002 };
	uint16_t got[8];

	/* 36000-36011: six pairs, two of them demultiplexing */
	CHECK(sip_port_pairs_init(&pp, 36000, 36011, demux, 2) == 0);
	CHECK(sip_port_pairs_free(&pp) == 4);
	for (int i = 0; i < 4; i++)
		got[i] = sip_port_pair_get(&pp);
	CHECK(got[0] == 36004 && got[1] == 36006 && got[2] == 36008 &&
	      got[3] == 36010);
	CHECK(sip_port_pair_get(&pp) == 0 && sip_port_pairs_free(&pp) == 0);
	/* freed pairs come back round robin: 36006 freed first, but the
	 * search goes on from where it stopped */
	CHECK(sip_port_pair_put(&pp, 36006) && sip_port_pair_put(&pp, 36010));
	CHECK(sip_port_pair_get(&pp) == 36006);
	CHECK(sip_port_pair_get(&pp) == 36010);
	/* neither a double free, an odd port nor a demux pair's is taken */
	CHECK(sip_port_pair_put(&pp, 36004));
	CHECK(!sip_port_pair_put(&pp, 36004));
	CHECK(!sip_port_pair_put(&pp, 36005));
	CHECK(!sip_port_pair_put(&pp, 35998));
	CHECK(sip_port_pairs_free(&pp) == 1);
	sip_port_pairs_fini(&pp);

	CHECK(sip_port_pairs_init(&pp, 36001, 36011, demux, 2) == -1);

	/* a range of 130 pairs crosses bitmap words */
	CHECK(sip_port_pairs_init(&pp, 40000, 40259, NULL, 0) == 0);
	for (int i = 0; i < 130; i++)
		CHECK(sip_port_pair_get(&pp) == 40000 + 2 * i);
	CHECK(sip_port_pair_get(&pp) == 0);
	CHECK(sip_port_pair_put(&pp, 40000 + 2 * 70));
	CHECK(sip_port_pair_get(&pp) == 40140);
	sip_port_pairs_fini(&pp);
}

static void case_mux_ids(void)
{
	struct sip_mux_ids m;

	CHECK(sip_mux_ids_init(&m, 0, 4) == -1);
	CHECK(sip_mux_ids_init(&m, 0x51000000u, 3) == 0);
	CHECK(sip_mux_id_get(&m) == 0x51000000u);
	CHECK(sip_mux_id_get(&m) == 0x51000001u);
	CHECK(sip_mux_id_get(&m) == 0x51000002u);
	CHECK(sip_mux_id_get(&m) == 0);
	CHECK(sip_mux_id_put(&m, 0x51000001u));
	CHECK(!sip_mux_id_put(&m, 0x51000001u));
	CHECK(!sip_mux_id_put(&m, 7));
	CHECK(sip_mux_id_get(&m) == 0x51000001u);
	sip_mux_ids_fini(&m);
	CHECK(sip_mux_ids_init(&m, 0xfffffffeu, 3) == -1);   /* wraps to 0 */
}

static const char offer_from_sluice[] =
	"v=0\r\n"
	"o=- 7 7 IN IP4 192.0.2.20\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.20\r\n"
	"t=0 0\r\n"
	"m=audio 36000 RTP/AVP 0\r\n"
	"a=sluice-mux:1358954497\r\n"
	"a=rtcp:36001 IN IP4 192.0.2.20\r\n"
	"m=video 0 RTP/AVP 96\r\n"
	"a=sluice-mux:1358954498\r\n";

static void case_sdp_mux(void)
{
	struct sdp s;
	char out[1024];
	struct sdp_rewrite rw = { .rtp_port = { 36002 }, .strip_ice = true };
	long n;

	/* the other Sluice's multiplexID, per stream */
	CHECK(sdp_parse(&s, sip_str_c(offer_from_sluice)) == 0);
	CHECK(s.n_media == 2 && s.media[0].mux_id == 1358954497u &&
	      s.media[0].port == 36000 && s.media[0].rtcp_port == 36001);
	CHECK(s.media[1].mux_id == 1358954498u && s.media[1].port == 0);

	/* toward an endpoint (a PORT leg): the attribute goes */
	inet_pton(AF_INET, "192.0.2.10", &rw.ip);
	n = sdp_rewrite(&s, &rw, out, sizeof(out));
	CHECKF(n > 0 && strcmp(out,
		"v=0\r\n"
		"o=- 7 7 IN IP4 192.0.2.10\r\n"
		"s=-\r\n"
		"c=IN IP4 192.0.2.10\r\n"
		"t=0 0\r\n"
		"m=audio 36002 RTP/AVP 0\r\n"
		"a=rtcp:36003 IN IP4 192.0.2.10\r\n"
		"m=video 0 RTP/AVP 96\r\n") == 0, "rewritten:\n%s", out);

	/* toward the other Sluice (a MUX leg): our demux port and our ID; a
	 * rejected stream gets none; RTCP on the odd port even if the
	 * endpoint asked for rtcp-mux */
	CHECK(sdp_parse(&s, sip_str_c(
		"v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\n"
		"c=IN IP4 198.51.100.7\r\nt=0 0\r\n"
		"m=audio 4000 RTP/AVP 0\r\na=rtcp-mux\r\na=rtcp:4000\r\n"
		"m=video 0 RTP/AVP 96\r\n")) == 0);
	memset(&rw, 0, sizeof(rw));
	inet_pton(AF_INET, "192.0.2.10", &rw.ip);
	rw.rtp_port[0] = 36000;
	rw.mux_id[0] = 1358954500u;
	rw.mux_id[1] = 1358954501u;
	n = sdp_rewrite(&s, &rw, out, sizeof(out));
	CHECKF(n > 0 && strcmp(out,
		"v=0\r\n"
		"o=- 1 1 IN IP4 192.0.2.10\r\n"
		"s=-\r\n"
		"c=IN IP4 192.0.2.10\r\n"
		"t=0 0\r\n"
		"m=audio 36000 RTP/AVP 0\r\n"
		"a=sluice-mux:1358954500\r\n"
		"a=rtcp-mux\r\n"
		"a=rtcp:36001 IN IP4 192.0.2.10\r\n"
		"m=video 0 RTP/AVP 96\r\n") == 0, "rewritten:\n%s", out);
	/* and the far Sluice reads it back */
	CHECK(sdp_parse(&s, (struct sip_str){ out, (size_t)n }) == 0 &&
	      s.media[0].mux_id == 1358954500u && s.media[0].port == 36000 &&
	      s.media[1].mux_id == 0);

	/* refused: no value, zero, not a number, too large */
	static const char *const bad[] = {
		"a=sluice-mux\r\n", "a=sluice-mux:\r\n", "a=sluice-mux:0\r\n",
		"a=sluice-mux:12x\r\n", "a=sluice-mux:4294967296\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char buf[256];

		snprintf(buf, sizeof(buf), "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n"
			 "s=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
			 "m=audio 36000 RTP/AVP 0\r\n%s", bad[i]);
		CHECKF(sdp_parse(&s, sip_str_c(buf)) == -1 &&
		       s.err == SDP_E_MUX && s.err_line == 7, "%s", bad[i]);
	}
	/* at session level it means nothing and is kept as it is */
	CHECK(sdp_parse(&s, sip_str_c("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n"
		"s=-\r\na=sluice-mux:x\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
		"m=audio 36000 RTP/AVP 0\r\n")) == 0 && s.media[0].mux_id == 0);
}

/* A late offer's ACK when the caller's answer is unusable: every stream
 * refused (port 0, one of the offer's formats), and it parses back. */
static void case_sdp_refusal(void)
{
	struct sdp s, r;
	char out[512];
	uint32_t ip;
	long n;

	inet_pton(AF_INET, "192.0.2.10", &ip);
	CHECK(sdp_parse(&s, sip_str_c(
		"v=0\r\no=callee 1 1 IN IP4 198.51.100.7\r\ns=-\r\n"
		"c=IN IP4 198.51.100.7\r\nt=0 0\r\n"
		"m=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\n"
		"m=video 5000 RTP/AVPF 96\r\n"
		"m=audio 0 RTP/AVP 9\r\n")) == 0);
	n = sdp_write_refusal(&s, ip, out, sizeof(out));
	CHECKF(n > 0 && strcmp(out,
		"v=0\r\n"
		"o=- 0 0 IN IP4 192.0.2.10\r\n"
		"s=-\r\n"
		"c=IN IP4 192.0.2.10\r\n"
		"t=0 0\r\n"
		"m=audio 0 RTP/AVP 0\r\n"
		"m=video 0 RTP/AVPF 96\r\n"
		"m=audio 0 RTP/AVP 9\r\n") == 0, "refusal:\n%s", out);
	CHECK(sdp_parse(&r, (struct sip_str){ out, (size_t)n }) == 0 &&
	      r.n_media == 3 && r.media[0].port == 0 && r.media[1].port == 0);
	/* a buffer too small is an error, not a truncated answer */
	CHECK(sdp_write_refusal(&s, ip, out, 40) == -1);
}

/* A re-offer moves a stream when it names another address, RTP port or
 * RTCP port; a hold (c=0.0.0.0), a disabled stream or a first address
 * does not. */
static void case_sdp_moved(void)
{
	struct sdp_dest was = { 0, 4000, 0 }, now;

	inet_pton(AF_INET, "198.51.100.7", &was.ip);
	now = was;
	CHECK(!sdp_dest_moved(&was, &now));
	now.rtp = 4002;
	CHECK(sdp_dest_moved(&was, &now));
	now = was;
	inet_pton(AF_INET, "198.51.100.8", &now.ip);
	CHECK(sdp_dest_moved(&was, &now));
	now = was;
	now.rtcp = 4101;
	CHECK(sdp_dest_moved(&was, &now));
	now = was;
	now.ip = 0;                       /* c=IN IP4 0.0.0.0: a hold */
	CHECK(!sdp_dest_moved(&was, &now));
	now = was;
	now.rtp = 0;                      /* the stream disabled */
	CHECK(!sdp_dest_moved(&was, &now));
	now = was;
	was.ip = 0;                       /* resumed after a 0.0.0.0 hold */
	CHECK(!sdp_dest_moved(&was, &now));

	/* what the parser gives for a moved c= line */
	struct sdp s;

	CHECK(sdp_parse(&s, sip_str_c(
		"v=0\r\no=- 1 2 IN IP4 198.51.100.9\r\ns=-\r\n"
		"c=IN IP4 198.51.100.9\r\nt=0 0\r\n"
		"m=audio 4000 RTP/AVP 0\r\n")) == 0);
	now = sdp_media_dest(&s.media[0]);
	inet_pton(AF_INET, "198.51.100.7", &was.ip);
	CHECK(now.rtp == 4000 && now.rtcp == 0 && sdp_dest_moved(&was, &now));
}

int main(int argc, char **argv)
{
	static const struct { const char *name; void (*fn)(void); } cases[] = {
		{ "retx", case_retx },
		{ "ict", case_ict },
		{ "sdp-refusal", case_sdp_refusal },
		{ "sdp-moved", case_sdp_moved },
		{ "pairs", case_pairs },
		{ "mux-ids", case_mux_ids },
		{ "sdp-mux", case_sdp_mux },
	};
	int ran = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (argc < 2 || strcmp(argv[1], cases[i].name) == 0) {
			cases[i].fn();
			ran++;
		}
	if (ran == 0) {
		fprintf(stderr, "unknown case %s\n", argv[1]);
		return 2;
	}
	return check_result(argc < 2 ? "sip-call" : argv[1]);
}
