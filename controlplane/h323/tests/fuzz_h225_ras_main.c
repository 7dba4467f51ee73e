/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_h225_ras_main.c — a plain driver for fuzz_h225_ras.c, so the
 * harness runs on every build (gcc included) as the unit test
 * h323-ras-fuzz-smoke.
 *
 * Seeds are the encodings of every sample message; each is fed as is,
 * then a fixed number of mutations of it from a fixed seed: bit flips,
 * boundary octets (00 01 7f 80 ff), truncations, inserted, deleted and
 * duplicated spans, splices with another sample. Same seed, same inputs:
 * a failure here reproduces.
 *
 *   fuzz_h225_ras_smoke [-n MUTATIONS_PER_SEED]
 *   fuzz_h225_ras_smoke --write-corpus DIR   (seed corpus for libFuzzer)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h225_samples.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern unsigned long fuzz_h225_ras_accepted;

#define DEFAULT_MUTATIONS 1000
#define MAX_INPUT 2048

struct seed {
	uint8_t data[H225_RAS_MAX_SIZE];
	size_t len;
};

static struct seed seeds[64];
static size_t nseeds;

/* xorshift32: small, fixed, and the same on every libc. */
static uint32_t rng(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void load_seeds(void)
{
	for (size_t i = 0; i < h225_samples_count && i < 64; i++) {
		struct h225_ras_msg m;
		struct per_error err;

		memset(&m, 0, sizeof(m));
		h225_samples[i].build(&m);
		if (h225_ras_encode(&m, seeds[nseeds].data,
				    sizeof(seeds[nseeds].data),
				    &seeds[nseeds].len, &err) < 0) {
			fprintf(stderr, "%s: %s\n", h225_samples[i].name,
				err.reason);
			exit(2);
		}
		nseeds++;
	}
}

static int write_corpus(const char *dir)
{
	for (size_t i = 0; i < nseeds; i++) {
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/seed-%s", dir,
			 h225_samples[i].name);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(seeds[i].data, 1, seeds[i].len, f) !=
					 seeds[i].len) {
			perror(path);
			return 2;
		}
		fclose(f);
	}
	printf("wrote %zu seeds to %s\n", nseeds, dir);
	return 0;
}

/* One random edit of buf[0..*len) in place (capacity MAX_INPUT). */
static void mutate(uint8_t *buf, size_t *len, uint32_t *s)
{
	static const uint8_t edges[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	size_t n = *len, at = n ? rng(s) % n : 0, span = 1 + rng(s) % 16;
	const struct seed *other = &seeds[rng(s) % nseeds];

	if (span > n - at)
		span = n - at;
	switch (rng(s) % 7) {
	case 0: /* flip a bit */
		if (n)
			buf[at] ^= (uint8_t)(1u << (rng(s) % 8));
		break;
	case 1: /* an octet at a boundary value */
		if (n)
			buf[at] = edges[rng(s) % sizeof(edges)];
		break;
	case 2: /* truncate */
		*len = at;
		break;
	case 3: /* insert random octets */
		if (n + span <= MAX_INPUT) {
			memmove(buf + at + span, buf + at, n - at);
			for (size_t i = 0; i < span; i++)
				buf[at + i] = (uint8_t)rng(s);
			*len = n + span;
		}
		break;
	case 4: /* delete a span */
		memmove(buf + at, buf + at + span, n - at - span);
		*len = n - span;
		break;
	case 5: /* duplicate a span */
		if (n + span <= MAX_INPUT) {
			memmove(buf + at + span, buf + at, n - at);
			*len = n + span;
		}
		break;
	default: /* splice: our head, a tail of another sample */
		if (other->len > 0) {
			size_t from = rng(s) % other->len;
			size_t add = other->len - from;

			if (at + add <= MAX_INPUT) {
				memcpy(buf + at, other->data + from, add);
				*len = at + add;
			}
		}
		break;
	}
}

int main(int argc, char **argv)
{
	static uint8_t cur[MAX_INPUT];
	long mutations = DEFAULT_MUTATIONS;
	uint32_t state = 0x5eed1719u;
	unsigned long runs = 0;

	load_seeds();
	if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0)
		return write_corpus(argv[2]);
	if (argc == 3 && strcmp(argv[1], "-n") == 0)
		mutations = strtol(argv[2], NULL, 10);
	else if (argc != 1) {
		fprintf(stderr, "usage: %s [-n MUTATIONS] | --write-corpus DIR\n",
			argv[0]);
		return 2;
	}
	for (size_t i = 0; i < nseeds; i++) {
		size_t len = 0;

		LLVMFuzzerTestOneInput(seeds[i].data, seeds[i].len);
		runs++;
		for (long k = 0; k < mutations; k++) {
			/* Stack up to 4 edits, then start again from the seed. */
			if (k % 4 == 0) {
				memcpy(cur, seeds[i].data, seeds[i].len);
				len = seeds[i].len;
			}
			mutate(cur, &len, &state);
			LLVMFuzzerTestOneInput(cur, len);
			runs++;
		}
	}
	printf("fed %zu seeds and %ld mutations each: %lu inputs, %lu decoded "
	       "and re-encoded\n", nseeds, mutations, runs,
	       fuzz_h225_ras_accepted);
	return 0;
}
