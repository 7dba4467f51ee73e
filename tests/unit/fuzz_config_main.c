/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_config_main.c — a plain driver for fuzz_config.c, so the harness runs
 * on every build (gcc included) as the unit test config-fuzz-smoke.
 *
 * Feeds each file named on the command line as it is, then a fixed number of
 * mutations of them from a fixed seed: byte flips, inserted YAML
 * punctuation, deleted and duplicated spans, truncations. The same seed gives
 * the same inputs, so a failure here reproduces.
 *
 *   fuzz_config_smoke [-n MUTATIONS] FILE...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DEFAULT_MUTATIONS 400
#define SEED 0x5eed5eedu

static uint32_t rng_state = SEED;

/* xorshift32: small, fixed, and the same on every libc. */
static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static const char *const tokens[] = {
	":", "- ", "[", "]", "{", "}", ",", "\"", "'", "#", "\n", "\t", " ",
	"&a ", "*a", "!!str ", "---\n", "...\n", "|\n", ">\n", "? ",
	"0", "-1", "65536", "4294967296", "99999999999999999999", "1024",
	"true", "false", "~", "null", "12ab", "0x10", " 5", "+5",
	"net_", "0000:00:00.0", "/", "/33", "255.255.255.255", "0.0.0.0",
	"large", "small", "\\", "\xc3\xa9", "\xe2\x80\xa8", "\xff",
	"interfaces:\n", "zones:\n  - name: z\n", "turn:\n", "\"\\0\"",
};

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		exit(2);
	}
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(2);
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* One random edit of buf[0..*len) into out (capacity *len + 256). */
static void mutate(char *out, const char *buf, size_t *len)
{
	size_t n = *len, at = n ? rng() % n : 0, span = 1 + rng() % 16;
	const char *tok = tokens[rng() % (sizeof(tokens) / sizeof(tokens[0]))];
	size_t tl = strlen(tok);

	if (span > n - at)
		span = n - at;
	switch (rng() % 5) {
	case 0: /* flip a byte */
		memcpy(out, buf, n);
		if (n)
			out[at] = (char)(out[at] ^ (1u << (rng() % 8)));
		break;
	case 1: /* insert a token */
		memcpy(out, buf, at);
		memcpy(out + at, tok, tl);
		memcpy(out + at + tl, buf + at, n - at);
		n += tl;
		break;
	case 2: /* delete a span */
		memcpy(out, buf, at);
		memcpy(out + at, buf + at + span, n - at - span);
		n -= span;
		break;
	case 3: /* duplicate a span (repeats keys and list entries) */
		if (span > 200)
			span = 200;
		memcpy(out, buf, at + span);
		memcpy(out + at + span, buf + at, n - at);
		n += span;
		break;
	default: /* truncate */
		memcpy(out, buf, at);
		n = at;
		break;
	}
	*len = n;
}

int main(int argc, char **argv)
{
	long mutations = DEFAULT_MUTATIONS;
	int first = 1;

	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		mutations = strtol(argv[2], NULL, 10);
		first = 3;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: %s [-n MUTATIONS] FILE...\n", argv[0]);
		return 2;
	}
	for (int i = first; i < argc; i++) {
		size_t len, cur_len = 0;
		char *orig = read_all(argv[i], &len);
		char *cur = malloc(len + 256 * (size_t)mutations + 1);
		char *next = malloc(len + 256 * (size_t)mutations + 1);

		LLVMFuzzerTestOneInput((const uint8_t *)orig, len);
		for (long m = 0; m < mutations; m++) {
			/* Stack up to 4 edits, then start again from the file. */
			if (m % 4 == 0) {
				memcpy(cur, orig, len);
				cur_len = len;
			}
			mutate(next, cur, &cur_len);
			memcpy(cur, next, cur_len);
			LLVMFuzzerTestOneInput((const uint8_t *)cur, cur_len);
		}
		free(orig);
		free(cur);
		free(next);
	}
	printf("fed %d file(s) and %ld mutations each\n", argc - first,
	       mutations);
	return 0;
}
