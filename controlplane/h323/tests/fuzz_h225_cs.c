/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_h225_cs.c — libFuzzer harness for what arrives on TCP 1720: one
 * TPKT payload through the Q.931 parser and the H323-UserInformation
 * decoder (h225_cs_read, as cp_ras_sig.c calls it).
 *
 * Besides "no crash, no overread, no UB": a UUIE that decodes must
 * encode, decode to an equal value and encode to the same octets. Under
 * clang it is a libFuzzer target; every build drives the same entry point
 * from main() below (a fixed-seed mutator over the two Facility messages
 * of H.460.18), as the unit test h323-cs-fuzz-smoke.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h225_cs.h"
#include "q931.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long accepted;
static uint8_t arena1[64 * 1024], arena2[64 * 1024];
static uint8_t enc1[16 * 1024], enc2[16 * 1024];

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_h225_cs: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct h225_user_information ui, again;
	struct per_arena a1, a2;
	struct q931_msg q;
	char why[256], where[192];
	size_t n1, n2;
	bool has;

	per_arena_init(&a1, arena1, sizeof(arena1));
	if (h225_cs_read(data, size, &q, &ui, &has, &a1, why, sizeof(why)) < 0
	    || !has)
		return 0;
	accepted++;
	if (h225_cs_encode(&ui, enc1, sizeof(enc1), &n1, NULL) < 0)
		fail("decoded but does not encode");
	per_arena_init(&a2, arena2, sizeof(arena2));
	if (h225_cs_decode(enc1, n1, &again, &a2, NULL) < 0)
		fail("re-encoding does not decode");
	if (!per_equal(&h225_t_user_information, &ui, &again, where,
		       sizeof(where)))
		fail(where);
	if (h225_cs_encode(&again, enc2, sizeof(enc2), &n2, NULL) < 0 ||
	    n1 != n2 || memcmp(enc1, enc2, n1) != 0)
		fail("encoding not canonical");
	return 0;
}

#ifndef SL_FUZZ_LIBFUZZER
static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* One mutation of seed[0..len) into out; returns the new length. */
static size_t mutate(const uint8_t *seed, size_t len, uint8_t *out,
		     size_t cap)
{
	size_t n = len;

	memcpy(out, seed, len);
	switch (next_rand() % 4) {
	case 0:		/* flip bits */
		for (unsigned k = 1 + next_rand() % 4; k > 0; k--)
			out[next_rand() % n] ^= (uint8_t)(1u << next_rand() % 8);
		break;
	case 1:		/* cut */
		n = next_rand() % (len + 1);
		break;
	case 2:		/* a random octet */
		out[next_rand() % n] = (uint8_t)next_rand();
		break;
	default:	/* grow with junk */
		while (n < cap && n < len + 16)
			out[n++] = (uint8_t)next_rand();
		break;
	}
	return n;
}

int main(void)
{
	static const uint8_t id[16] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4,
					5, 6, 7, 8, 9, 10, 11, 12 };
	uint8_t seeds[2][256], buf[512];
	size_t lens[2];

	lens[0] = h225_cs_facility_tpkt(id, seeds[0], sizeof(seeds[0]));
	lens[1] = h225_cs_facility_tpkt(NULL, seeds[1], sizeof(seeds[1]));
	if (lens[0] <= TPKT_HEADER || lens[1] <= TPKT_HEADER)
		fail("seeds");
	for (int s = 0; s < 2; s++) {
		const uint8_t *payload = seeds[s] + TPKT_HEADER;
		size_t plen = lens[s] - TPKT_HEADER;

		LLVMFuzzerTestOneInput(payload, plen);
		for (int i = 0; i < 20000; i++) {
			size_t n = mutate(payload, plen, buf, sizeof(buf));
			uint8_t *copy = malloc(n ? n : 1);

			/* an exactly-sized heap copy: ASan sees any overread */
			if (copy == NULL)
				fail("malloc");
			memcpy(copy, buf, n);
			LLVMFuzzerTestOneInput(copy, n);
			free(copy);
		}
	}
	printf("fuzz_h225_cs: 40002 inputs, %lu decoded and round-tripped\n",
	       accepted);
	return accepted >= 2 ? 0 : 1;
}
#endif
