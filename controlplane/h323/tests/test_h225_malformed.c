/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_h225_malformed.c — hostile input: every decode must fail cleanly,
 * with the right reason, without reading outside the input (the unit
 * suite runs under ASan/UBSan; each truncated copy lives in its own
 * exactly-sized heap block so an overread is caught, not masked).
 *
 *   - every sample truncated at every length;
 *   - length determinants pointing past the end;
 *   - constrained integers, CHOICE indexes and alphabet indexes out of
 *     range; SEQUENCE OF counts larger than the input or the SIZE;
 *   - fragmented lengths, zero-length open types, bad OIDs, trailing junk;
 *   - nesting deeper than PER_MAX_DEPTH; an arena too small;
 *   - random bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "h225_samples.h"
#include "h323_check.h"

static uint8_t arena_mem[H225_RAS_ARENA_SIZE];

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*hex) {
		unsigned v;

		if (*hex == ' ') {
			hex++;
			continue;
		}
		if (n == cap || sscanf(hex, "%2x", &v) != 1)
			abort();
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	return n;
}

/* Decodes a heap copy of exactly n octets as type t; returns the code. */
static enum per_status decode_copy(const struct per_type *t, const uint8_t *p,
				   size_t n, struct per_error *err)
{
	uint8_t *copy = malloc(n ? n : 1);
	void *value = malloc(t->csize);
	struct per_arena arena;
	int rc;

	if (copy == NULL || value == NULL)
		abort();
	memcpy(copy, p, n);
	per_arena_init(&arena, arena_mem, sizeof(arena_mem));
	rc = per_decode(t, copy, n, value, &arena, err);
	free(copy);
	free(value);
	if (rc == 0)
		return PER_OK;
	return err->code != PER_OK ? err->code : PER_E_INVALID;
}

static void expect(const char *what, const struct per_type *t, const char *hex,
		   enum per_status want)
{
	uint8_t buf[256];
	size_t n = unhex(hex, buf, sizeof(buf));
	struct per_error err;
	enum per_status got = decode_copy(t, buf, n, &err);

	CHECKF(got == want, "%s: got %s (%s), want %s", what,
	       per_status_name(got), got ? err.reason : "", per_status_name(want));
}

static void test_truncations(void)
{
	static uint8_t enc[H225_RAS_MAX_SIZE];
	static struct h225_ras_msg m;
	unsigned cases = 0;

	for (size_t i = 0; i < h225_samples_count; i++) {
		struct per_error err;
		size_t len;

		memset(&m, 0, sizeof(m));
		h225_samples[i].build(&m);
		CHECK(h225_ras_encode(&m, enc, sizeof(enc), &len, &err) == 0);
		CHECK(decode_copy(&h225_t_ras_message, enc, len, &err) ==
		      PER_OK);
		for (size_t cut = 0; cut < len; cut++, cases++) {
			enum per_status s = decode_copy(&h225_t_ras_message,
							enc, cut, &err);

			CHECKF(s != PER_OK, "%s cut at %zu/%zu decoded",
			       h225_samples[i].name, cut, len);
			CHECKF(err.reason[0] != '\0', "%s cut at %zu: no reason",
			       h225_samples[i].name, cut);
		}
	}
	printf("truncations: %u cut encodings refused\n", cases);
}

/* The minimal GRQ (see test_per_kat.c) with one field broken at a time. */
#define GRQ_HEAD "02 00 "
#define GRQ_SEQ "00 00 "
#define GRQ_OID "06 00 08 91 4a 00 04 "
#define GRQ_RAS "00 c0 00 02 14 06 b7 "
#define GRQ_EPT "02 02 c0 08 "
#define GRQ_ADD "01 00"

static void test_crafted(void)
{
	const struct per_type *ras = &h225_t_ras_message;

	expect("minimal GRQ", ras,
	       GRQ_HEAD GRQ_SEQ GRQ_OID GRQ_RAS GRQ_EPT GRQ_ADD, PER_OK);
	/* requestSeqNum 1..65535 sent as offset 0xffff: 65536 */
	expect("requestSeqNum 65536", ras,
	       GRQ_HEAD "ff ff " GRQ_OID GRQ_RAS GRQ_EPT GRQ_ADD, PER_E_RANGE);
	/* OID length 0x7f, 6 octets there */
	expect("OID length past the end", ras,
	       GRQ_HEAD GRQ_SEQ "7f 00 08 91 4a 00 04", PER_E_TRUNCATED);
	/* OID whose last octet continues an arc */
	expect("OID ends inside an arc", ras,
	       GRQ_HEAD GRQ_SEQ "06 00 08 91 4a 00 84 " GRQ_RAS GRQ_EPT GRQ_ADD,
	       PER_E_INVALID);
	/* OID arc with a leading 0x80 (not minimal) */
	expect("OID arc not minimal", ras,
	       GRQ_HEAD GRQ_SEQ "06 00 08 80 91 4a 04 " GRQ_RAS GRQ_EPT GRQ_ADD,
	       PER_E_INVALID);
	/* OID of zero octets */
	expect("OID of zero octets", ras,
	       GRQ_HEAD GRQ_SEQ "00 " GRQ_RAS GRQ_EPT GRQ_ADD, PER_E_INVALID);
	/* TransportAddress index 7 of 7 root alternatives (bits 0111) */
	expect("TransportAddress index 7", ras,
	       GRQ_HEAD GRQ_SEQ GRQ_OID "70 c0 00 02 14 06 b7 " GRQ_EPT GRQ_ADD,
	       PER_E_RANGE);
	/* RasMessage root index 25 of 25 (bits 0 11001) */
	expect("RasMessage index 25", ras, "64 00 00 00", PER_E_RANGE);
	/* the addition's open type claims 5 octets, 1 is there */
	expect("open type past the end", ras,
	       GRQ_HEAD GRQ_SEQ GRQ_OID GRQ_RAS GRQ_EPT "05 00", PER_E_TRUNCATED);
	/* ... claims 0 octets */
	expect("open type of zero octets", ras,
	       GRQ_HEAD GRQ_SEQ GRQ_OID GRQ_RAS GRQ_EPT "00", PER_E_INVALID);
	/* ... a fragmented length (11xxxxxx) */
	expect("fragmented length", ras,
	       GRQ_HEAD GRQ_SEQ GRQ_OID GRQ_RAS GRQ_EPT "c1 00", PER_E_UNSUPPORTED);
	/* anything but zero padding after the message */
	expect("trailing junk", ras,
	       GRQ_HEAD GRQ_SEQ GRQ_OID GRQ_RAS GRQ_EPT GRQ_ADD " 00 2a",
	       PER_E_INVALID);
	expect("trailing zero padding", ras,
	       GRQ_HEAD GRQ_SEQ GRQ_OID GRQ_RAS GRQ_EPT GRQ_ADD " 00 00", PER_OK);
	/* EndpointType's last 3 bits, then the additions count as a large
	 * small number (1, align, length 01, 7f): 128 bitmap bits, 8 there */
	expect("additions count past the end", ras,
	       GRQ_HEAD GRQ_SEQ GRQ_OID GRQ_RAS "02 10 01 7f ff", PER_E_TRUNCATED);

	/* SEQUENCE OF TransportAddress, no SIZE: 16383 items in 1 octet */
	expect("list count past the end", &h225_t_transport_address_list,
	       "bf ff 00", PER_E_TRUNCATED);
	/* GenericData.parameters is SIZE(1..512): offset 599 means 600 */
	expect("parameters count above SIZE", &h225_t_generic_data,
	       "40 00 12 02 57 00 00 00 01", PER_E_RANGE);
	/* dialledDigits: character index 15 of a 13-character alphabet */
	expect("dialledDigits index 15", &h225_t_alias_address, "01 80 4f 34",
	       PER_E_ALPHABET);
	/* IA5String (url-ID) holding NUL */
	expect("url-ID with NUL", &h225_t_alias_address, "80 04 00 01 61 00",
	       PER_E_ALPHABET);
	/* IA5String code above 127 */
	expect("url-ID with 0xe9", &h225_t_alias_address, "80 04 00 01 61 e9",
	       PER_E_ALPHABET);
	/* h323-ID: 200 characters announced, 2 there */
	expect("h323-ID past the end", &h225_t_alias_address,
	       "40 c7 00 61 00 62", PER_E_TRUNCATED);
	/* TimeToLive: 4 octets announced (bits 11), 2 there */
	expect("TimeToLive past the end", &h225_t_time_to_live, "c0 01 2b",
	       PER_E_TRUNCATED);
	/* unconstrained INTEGER of 9 octets */
	expect("RandomVal of 9 octets", &per_t_integer,
	       "09 01 02 03 04 05 06 07 08 09", PER_E_UNSUPPORTED);
	/* BIT STRING of 200 bits, 2 octets there */
	expect("BIT STRING past the end", &per_t_bits, "81 00 ff ff",
	       PER_E_TRUNCATED);
	/* GenericIdentifier.standard = 20000 does not fit... it does
	 * (uint32); -5 does not */
	expect("standard -5", &h225_t_generic_identifier, "10 01 fb",
	       PER_E_RANGE);
	/* empty input */
	expect("empty", ras, "", PER_E_TRUNCATED);
}

/* A bit writer for inputs the encoder refuses to produce. */
struct bw {
	uint8_t buf[8192];
	size_t bit;
};

static void bw_put(struct bw *w, uint32_t v, unsigned n)
{
	while (n-- > 0) {
		if (w->bit / 8 >= sizeof(w->buf))
			abort();
		if ((v >> n) & 1u)
			w->buf[w->bit / 8] |= (uint8_t)(0x80u >> (w->bit % 8));
		w->bit++;
	}
}

static void bw_align(struct bw *w)
{
	w->bit = (w->bit + 7) & ~(size_t)7;
}

/* GenericIdentifier standard 0: CHOICE ext 0, index 00, INTEGER ext 0,
 * two aligned octets. */
static void bw_standard0(struct bw *w)
{
	bw_put(w, 0, 4);
	bw_align(w);
	bw_put(w, 0, 16);
}

/* GenericData nested through Content.nested `levels` times:
 *   GenericData {id, parameters {EnumeratedParameter {id,
 *     content nested {GenericData ...}}}} */
static size_t nested_generic_data(struct bw *w, unsigned levels)
{
	memset(w, 0, sizeof(*w));
	for (unsigned i = 0; i < levels; i++) {
		bw_put(w, 0x1, 2);	/* ext 0, parameters present */
		bw_standard0(w);
		bw_align(w);
		bw_put(w, 0, 16);	/* 1 parameter in SIZE(1..512) */
		bw_put(w, 0x1, 2);	/* ext 0, content present */
		bw_standard0(w);
		bw_put(w, 0, 1);	/* Content: ext 0, */
		bw_put(w, 11, 4);	/* index 11: nested */
		bw_put(w, 0, 4);	/* 1 item in SIZE(1..16) */
	}
	bw_put(w, 0, 2);		/* the leaf: no parameters */
	bw_standard0(w);
	return (w->bit + 7) / 8;
}

static void test_depth(void)
{
	static struct bw w;
	struct per_error err;
	size_t n;

	n = nested_generic_data(&w, 3);
	CHECKF(decode_copy(&h225_t_generic_data, w.buf, n, &err) == PER_OK,
	       "3 levels: %s", err.reason);
	n = nested_generic_data(&w, 300);
	CHECKF(decode_copy(&h225_t_generic_data, w.buf, n, &err) ==
		       PER_E_DEPTH, "300 levels: %s", err.reason);
}

static void test_small_arena(void)
{
	static uint8_t enc[H225_RAS_MAX_SIZE], small[256];
	static struct h225_ras_msg m;
	struct per_arena arena;
	struct per_error err;
	size_t len;

	memset(&m, 0, sizeof(m));
	h225_samples[4].build(&m);	/* the full RRQ */
	CHECK(h225_ras_encode(&m, enc, sizeof(enc), &len, &err) == 0);
	per_arena_init(&arena, small, sizeof(small));
	CHECK(h225_ras_decode(enc, len, &m, &arena, &err) == -1);
	CHECKF(err.code == PER_E_NOMEM, "%s", err.reason);
}

/* xorshift32 from a fixed seed: reproducible noise. */
static uint32_t rng(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void test_random_bytes(void)
{
	static uint8_t buf[512];
	uint32_t seed = 0x1f2e3d4c;
	unsigned accepted = 0;

	for (int i = 0; i < 20000; i++) {
		size_t n = rng(&seed) % sizeof(buf);
		struct per_error err;

		for (size_t k = 0; k < n; k++)
			buf[k] = (uint8_t)rng(&seed);
		accepted += decode_copy(&h225_t_ras_message, buf, n, &err) ==
			    PER_OK;
	}
	printf("random bytes: %u of 20000 decoded as RAS\n", accepted);
}

int main(void)
{
	test_truncations();
	test_crafted();
	test_depth();
	test_small_arena();
	test_random_bytes();
	return check_result("test_h225_malformed");
}
