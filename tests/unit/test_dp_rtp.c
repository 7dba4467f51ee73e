/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_dp_rtp.c — the media stages' readers (dataplane/dp_rtp.h), pure C:
 * multiplexed framing, keep-alive recognition, RTP/RTCP demultiplexing and
 * the RTCP report reader, each case against bytes written out by hand; and
 * the fuzz harness (fuzz_rtp.c) over seeded mutations of those bytes.
 *
 *   test_dp_rtp CASE          framing | keepalive | rtcp-mux | report |
 *                             fuzz-smoke
 *   test_dp_rtp --write-corpus DIR    the seeds, for libFuzzer
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp_rtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int failures;

#define CHECK(c) do {                                                   \
		if (!(c)) {                                             \
			fprintf(stderr, "%s:%d: check failed: %s\n",    \
				__FILE__, __LINE__, #c);                \
			failures++;                                     \
		}                                                       \
	} while (0)

/* RTP: V2, PT 0, seq 1, ts, SSRC, 4 payload bytes */
static const uint8_t rtp[] = {
	0x80, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xa0, 0x11, 0x22, 0x33, 0x44,
	'a', 'b', 'c', 'd',
};
/* RR with one block (fraction 1, cumulative 0x7fffff, jitter 7) + SDES */
static const uint8_t rr_sdes[] = {
	0x81, 201, 0x00, 0x07, 0xaa, 0xbb, 0xcc, 0xdd,
	0x01, 0x02, 0x03, 0x04, 0x01, 0x7f, 0xff, 0xff,
	0, 0, 0, 9, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0,
	0x81, 202, 0x00, 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 1, 1, 'y', 0,
};
/* SR with RC 0 then RR with one block (fraction 255, cumulative -1) */
static const uint8_t sr_rr[] = {
	0x80, 200, 0x00, 0x06, 0xaa, 0xbb, 0xcc, 0xdd,
	0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5,
	0x81, 201, 0x00, 0x07, 0xaa, 0xbb, 0xcc, 0xdd,
	0x05, 0x06, 0x07, 0x08, 0xff, 0xff, 0xff, 0xff,
	0, 0, 0, 9, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
static const uint8_t ka_rtp[12] = {
	0x80, 0x13, 0, 7, 0, 0, 0, 0, 1, 2, 3, 4,
};
static const uint8_t ka_sr[28] = { 0x80, 200, 0, 6, 1, 2, 3, 4 };
static const uint8_t ka_rr[8] = { 0x80, 201, 0, 1, 1, 2, 3, 4 };

static void
case_framing(void)
{
	uint8_t b[64] = { 0x00, 0x00, 0x12, 0x34 };
	uint32_t id = 0;

	memcpy(b + 4, rtp, sizeof(rtp));
	CHECK(dp_mux_frame_check(b, 4 + 12, false, &id) == DP_MUX_OK &&
	      id == 0x1234);
	CHECK(dp_mux_frame_check(b, 4 + 11, false, &id) == DP_MUX_SHORT);
	CHECK(dp_mux_frame_check(b, 4 + 8, true, &id) == DP_MUX_OK);
	CHECK(dp_mux_frame_check(b, 4 + 7, true, &id) == DP_MUX_SHORT);
	CHECK(dp_mux_frame_check(b, 3, true, &id) == DP_MUX_SHORT);
	CHECK(dp_mux_frame_check(b, 0, false, &id) == DP_MUX_SHORT);
	b[2] = b[3] = 0;
	CHECK(dp_mux_frame_check(b, 4 + 12, false, &id) == DP_MUX_ID_ZERO);
	b[0] = 0xff;
	CHECK(dp_mux_frame_check(b, 4 + 12, false, &id) == DP_MUX_OK &&
	      id == 0xff000000u);
}

static void
case_keepalive(void)
{
	uint8_t b[32];

	CHECK(dp_rtp_is_keepalive(ka_rtp, 12, 0x13));
	CHECK(!dp_rtp_is_keepalive(ka_rtp, 12, 0x14));   /* other type */
	CHECK(!dp_rtp_is_keepalive(ka_rtp, 12, 0xff));   /* leg has none */
	CHECK(!dp_rtp_is_keepalive(rtp, sizeof(rtp), 0)); /* has payload */
	memcpy(b, ka_rtp, 12);
	b[1] |= 0x80;                                     /* marker: still */
	CHECK(dp_rtp_is_keepalive(b, 12, 0x13));
	b[0] = 0x90;                                      /* extension bit */
	CHECK(!dp_rtp_is_keepalive(b, 12, 0x13));
	b[0] = 0x40;                                      /* version 1 */
	CHECK(!dp_rtp_is_keepalive(b, 12, 0x13));

	CHECK(dp_rtcp_is_keepalive(ka_sr, 28));
	CHECK(dp_rtcp_is_keepalive(ka_rr, 8));
	CHECK(!dp_rtcp_is_keepalive(ka_sr, 27));
	CHECK(!dp_rtcp_is_keepalive(rr_sdes, sizeof(rr_sdes)));
	memcpy(b, ka_sr, 28);
	b[0] = 0x81;                                      /* RC 1 */
	CHECK(!dp_rtcp_is_keepalive(b, 28));
	memcpy(b, ka_sr, 28);
	b[3] = 7;                                         /* length lies */
	CHECK(!dp_rtcp_is_keepalive(b, 28));
	memcpy(b, ka_rr, 8);
	b[1] = 202;                                       /* SDES */
	CHECK(!dp_rtcp_is_keepalive(b, 8));
}

static void
case_rtcp_mux(void)
{
	uint8_t b[2] = { 0x80, 0 };
	unsigned t;

	/* RFC 5761 §4: 192-223 is RTCP, everything else RTP */
	for (t = 0; t < 256; t++) {
		b[1] = (uint8_t)t;
		CHECK(dp_rtp_is_rtcp(b, 2) == (t >= 192 && t <= 223));
	}
	CHECK(!dp_rtp_is_rtcp(rr_sdes, 1));
	CHECK(dp_rtp_is_rtcp(rr_sdes, sizeof(rr_sdes)));
	CHECK(!dp_rtp_is_rtcp(rtp, sizeof(rtp)));
}

static void
case_report(void)
{
	struct dp_rtcp_report r;
	uint8_t b[128];

	memset(&r, 0, sizeof(r));
	CHECK(dp_rtcp_first_report(rr_sdes, sizeof(rr_sdes), &r));
	CHECK(r.ssrc == 0x01020304 && r.fraction_lost == 1 &&
	      r.cum_lost == 0x7fffff && r.jitter == 7);
	CHECK(dp_rtcp_first_report(sr_rr, sizeof(sr_rr), &r));
	CHECK(r.ssrc == 0x05060708 && r.fraction_lost == 255 &&
	      r.cum_lost == -1 && r.jitter == 0x1000);
	/* no block anywhere */
	CHECK(!dp_rtcp_first_report(ka_sr, 28, &r));
	CHECK(!dp_rtcp_first_report(ka_rr, 8, &r));
	/* not tiling: a byte more (as SRTCP's trailer would be), a byte less */
	memcpy(b, rr_sdes, sizeof(rr_sdes));
	b[sizeof(rr_sdes)] = 0;
	CHECK(!dp_rtcp_first_report(b, sizeof(rr_sdes) + 1, &r));
	CHECK(!dp_rtcp_first_report(rr_sdes, sizeof(rr_sdes) - 1, &r));
	/* a length that claims more than the datagram */
	memcpy(b, rr_sdes, sizeof(rr_sdes));
	b[3] = 0x40;
	CHECK(!dp_rtcp_first_report(b, sizeof(rr_sdes), &r));
	/* RC says 2 blocks, the packet holds one */
	memcpy(b, rr_sdes, sizeof(rr_sdes));
	b[0] = 0x82;
	CHECK(!dp_rtcp_first_report(b, sizeof(rr_sdes), &r));
	/* version 1 in the second packet */
	memcpy(b, rr_sdes, sizeof(rr_sdes));
	b[32] = 0x41;
	CHECK(!dp_rtcp_first_report(b, sizeof(rr_sdes), &r));
	/* a compound must start with SR or RR */
	CHECK(!dp_rtcp_first_report(rr_sdes + 32, 12, &r));
	/* RTP is not RTCP */
	CHECK(!dp_rtcp_first_report(rtp, sizeof(rtp), &r));
}

/* --- fuzz harness on seeded mutations ------------------------------------ */

static const struct {
	const uint8_t *p;
	size_t len;
	uint8_t sel;     /* first byte of a fuzz input: port parity, PT */
	uint32_t id;
} seeds[] = {
	{ rtp, sizeof(rtp), 0x00, 0x1234 },
	{ ka_rtp, sizeof(ka_rtp), 0x13 << 1, 0x1234 },
	{ rr_sdes, sizeof(rr_sdes), 1, 0x99 },
	{ sr_rr, sizeof(sr_rr), 1, 0x99 },
	{ ka_sr, sizeof(ka_sr), 1, 0x99 },
	{ ka_rr, sizeof(ka_rr), 1, 0x99 },
};

static size_t
seed_input(unsigned i, uint8_t *out)
{
	out[0] = seeds[i].sel;
	out[1] = seeds[i].id >> 24;
	out[2] = seeds[i].id >> 16;
	out[3] = seeds[i].id >> 8;
	out[4] = seeds[i].id;
	memcpy(out + 5, seeds[i].p, seeds[i].len);
	return seeds[i].len + 5;
}

static uint32_t rng_state = 0x5eed1234u;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void
case_fuzz_smoke(void)
{
	uint8_t in[256];
	unsigned i, k, n;
	size_t len;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		len = seed_input(i, in);
		LLVMFuzzerTestOneInput(in, len);
		for (n = 0; n < 20000; n++) {
			len = seed_input(i, in);
			for (k = rng() % 4 + 1; k > 0; k--) {
				switch (rng() % 4) {
				case 0: /* flip a byte */
					in[rng() % len] ^= 1u << (rng() % 8);
					break;
				case 1: /* a length byte to anything */
					in[rng() % len] = (uint8_t)rng();
					break;
				case 2: /* truncate */
					len = 1 + rng() % len;
					break;
				default: /* grow with junk */
					while (len < sizeof(in) &&
					       rng() % 8 != 0)
						in[len++] = (uint8_t)rng();
				}
			}
			LLVMFuzzerTestOneInput(in, len);
		}
	}
}

static int
write_corpus(const char *dir)
{
	uint8_t in[256];
	char path[4096];
	unsigned i;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		size_t len = seed_input(i, in);
		FILE *f;

		snprintf(path, sizeof(path), "%s/seed-%u", dir, i);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(in, 1, len, f) != len) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			return 1;
		}
		fclose(f);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} cases[] = {
		{ "framing", case_framing },
		{ "keepalive", case_keepalive },
		{ "rtcp-mux", case_rtcp_mux },
		{ "report", case_report },
		{ "fuzz-smoke", case_fuzz_smoke },
	};
	unsigned i;

	if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0)
		return write_corpus(argv[2]);
	if (argc != 2) {
		fprintf(stderr, "usage: %s CASE | --write-corpus DIR\n",
			argv[0]);
		return 2;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(argv[1], cases[i].name) == 0) {
			cases[i].fn();
			if (failures)
				fprintf(stderr, "%s: %d check(s) failed\n",
					argv[1], failures);
			else
				printf("ok: %s\n", argv[1]);
			return failures ? 1 : 0;
		}
	fprintf(stderr, "unknown case %s\n", argv[1]);
	return 2;
}
