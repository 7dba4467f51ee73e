/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_h225_ras.c — libFuzzer harness for the RAS decoder (and through it
 * the whole PER engine and the H.460.18 parameter decoders).
 *
 * Besides "no crash, no overread, no UB", whatever decodes must encode,
 * decode again to an equal value, and encode again to the same octets:
 * the decoder never accepts a value the encoder cannot represent, and the
 * encoder is canonical. Built with -fsanitize=fuzzer under clang; the same
 * entry point is driven by fuzz_h225_ras_main.c on every build.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h225_ras.h"
#include "h460.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs that decoded (and so went through the re-encoding checks); the
 * smoke driver reports it. */
unsigned long fuzz_h225_ras_accepted;

static uint8_t arena1[H225_RAS_ARENA_SIZE], arena2[H225_RAS_ARENA_SIZE];
static uint8_t enc1[64 * 1024], enc2[64 * 1024];

static void fail(const char *what, const struct per_error *err)
{
	fprintf(stderr, "fuzz_h225_ras: %s: %s\n", what,
		err != NULL ? err->reason : "");
	abort();
}

/* The H.460.18 parameters travel as octets inside the message: decode
 * them too when the message carries them. */
static void poke_h460(const struct h225_ras_msg *m, struct per_arena *a)
{
	struct h460_18_incoming_call_indication ici;
	const struct h225_generic_data_list *gd = NULL;
	struct per_error err;
	uint32_t interval;

	if (m->tag == H225_RAS_SCI && m->u.sci.has_generic_data)
		gd = &m->u.sci.generic_data;
	else if (m->tag == H225_RAS_SCR && m->u.scr.has_generic_data)
		gd = &m->u.scr.generic_data;
	if (gd == NULL)
		return;
	(void)h460_18_parse_incoming_call(gd, &ici, a, &err);
	(void)h460_18_parse_lrq_keep_alive(gd, &interval, a, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct h225_ras_msg m1, m2;
	struct per_arena a1, a2;
	struct per_error err;
	size_t n1, n2;
	char where[192];

	per_arena_init(&a1, arena1, sizeof(arena1));
	if (h225_ras_decode(data, size, &m1, &a1, &err) < 0) {
		if (err.code == PER_OK || err.reason[0] == '\0')
			fail("refused without a reason", &err);
		return 0;
	}
	fuzz_h225_ras_accepted++;
	poke_h460(&m1, &a1);
	if (h225_ras_encode(&m1, enc1, sizeof(enc1), &n1, &err) < 0)
		fail("decoded value does not encode", &err);
	per_arena_init(&a2, arena2, sizeof(arena2));
	if (h225_ras_decode(enc1, n1, &m2, &a2, &err) < 0)
		fail("own encoding does not decode", &err);
	if (!per_equal(&h225_t_ras_message, &m1, &m2, where, sizeof(where))) {
		fprintf(stderr, "differs at %s\n", where);
		fail("re-decoded value differs", NULL);
	}
	if (h225_ras_encode(&m2, enc2, sizeof(enc2), &n2, &err) < 0 ||
	    n2 != n1 || memcmp(enc1, enc2, n1) != 0)
		fail("encoding is not canonical", &err);
	return 0;
}
