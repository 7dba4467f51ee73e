/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_per_kat.c — known-answer tests: octet strings worked out by hand
 * from the X.691 (ALIGNED) rules, so the codec cannot be consistently
 * wrong in both directions. The derivation sits next to each case.
 *
 * Each case encodes a value and compares the octets, decodes the octets
 * and compares the value, then re-encodes the decoded value.
 */
#include <stdlib.h>
#include <string.h>

#include "h225_ras.h"
#include "h323_check.h"
#include "h460.h"

static uint8_t arena_mem[64 * 1024];

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

static void dump(const char *what, const uint8_t *p, size_t n)
{
	fprintf(stderr, "  %s:", what);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, " %02x", p[i]);
	fputc('\n', stderr);
}

/* value --encode--> hex --decode--> value' (== value) --encode--> hex */
static void kat(const char *name, const struct per_type *t, const void *value,
		const char *hex)
{
	uint8_t want[256], got[256], again[256];
	size_t wn = unhex(hex, want, sizeof(want)), gn = 0, an = 0;
	struct per_arena arena;
	struct per_error err;
	char where[128];
	void *back = calloc(1, t->csize);

	CHECK(back != NULL);
	CHECKF(per_encode(t, value, got, sizeof(got), &gn, &err) == 0,
	       "%s: encode: %s", name, err.reason);
	CHECKF(gn == wn && memcmp(got, want, wn) == 0, "%s: octets differ",
	       name);
	if (gn != wn || memcmp(got, want, wn) != 0) {
		dump("want", want, wn);
		dump("got ", got, gn);
	}
	per_arena_init(&arena, arena_mem, sizeof(arena_mem));
	CHECKF(per_decode(t, want, wn, back, &arena, &err) == 0,
	       "%s: decode: %s", name, err.reason);
	CHECKF(per_equal(t, value, back, where, sizeof(where)),
	       "%s: decoded value differs at %s", name, where);
	CHECKF(per_encode(t, back, again, sizeof(again), &an, &err) == 0 &&
		       an == wn && memcmp(again, want, wn) == 0,
	       "%s: re-encoding differs", name);
	free(back);
}

/* ---- engine primitives on small made-up types ---------------------------- */

struct small {
	uint8_t a;
	bool b;
	uint16_t c;
};
static PER_INTEGER(t_0_7, 0, 7, uint8_t, false);
static PER_INTEGER(t_0_65535, 0, 65535, uint16_t, false);
static const struct per_field small_fields[] = {
	PER_F(struct small, a, t_0_7),
	PER_F(struct small, b, per_t_boolean),
	PER_F(struct small, c, t_0_65535),
};
static PER_SEQUENCE(t_small, struct small, small_fields);

/* Kinds H.225 RAS does not use but the engine supports. */
static const struct per_type t_enum = {	/* ENUMERATED {a, b, c, ..., d} */
	.name = "ENUMERATED", .kind = PER_K_ENUMERATED,
	.csize = sizeof(unsigned),
	.u.e = { .nroot = 3, .nadd = 1, .ext = true },
};
static const struct per_type t_semi = {		/* INTEGER (-5..MAX) */
	.name = "INTEGER(-5..MAX)", .kind = PER_K_INTEGER,
	.csize = sizeof(int64_t),
	.u.i = { .lb = -5, .has_lb = true, .csize = sizeof(int64_t),
		 .csigned = true },
};
static const struct per_type t_octets_ext = {	/* OCTET STRING (SIZE(1..4, ...)) */
	.name = "OCTET STRING(SIZE(1..4, ...))", .kind = PER_K_OCTET_STRING,
	.csize = sizeof(struct per_octets),
	.u.s = { .size = { .lb = 1, .ub = 4, .ext = true } },
};

static void test_other_kinds(void)
{
	static const uint8_t six[] = { 1, 2, 3, 4, 5, 6 };
	struct per_octets o;
	unsigned e;
	int64_t i;

	/* root value b: ext 0, index 1 in 2 bits */
	e = 1;
	kat("ENUMERATED b", &t_enum, &e, "20");
	/* addition d: ext 1, small number 0 */
	e = 3;
	kat("ENUMERATED d", &t_enum, &e, "80");
	/* semi-constrained: length, then value - lb = 305 in 2 octets */
	i = 300;
	kat("INTEGER(-5..MAX) 300", &t_semi, &i, "02 01 31");
	/* in the root: ext 0, length 2 in 1..4 (01), aligned octets */
	o = (struct per_octets){ six, 2 };
	kat("SIZE(1..4, ...) 2 octets", &t_octets_ext, &o, "20 01 02");
	/* outside it: ext 1, unconstrained length 6, the octets */
	o = (struct per_octets){ six, 6 };
	kat("SIZE(1..4, ...) 6 octets", &t_octets_ext, &o,
	    "80 06 01 02 03 04 05 06");
}

static void test_primitives(void)
{
	struct small s = { .a = 5, .b = true, .c = 0x1234 };
	uint32_t ttl;
	int64_t i;
	struct per_oid oid = PER_OID(1, 2, 840, 113549, 2, 5);
	static const uint8_t three_bits[] = { 0xa0 };
	struct per_bits bits = { three_bits, 3 };

	/* a: 3-bit field 101; b: 1; pad 4 bits; c: two aligned octets */
	kat("sequence of small fields", &t_small, &s, "b0 12 34");

	/* TimeToLive 1..4294967295 (range > 64K, 10.5.7.4): the octet count
	 * minus one in 2 bits (1..4 octets), align, the offset from 1. */
	ttl = 300;		/* offset 299 = 0x012b: 2 octets: 01 */
	kat("TimeToLive 300", &h225_t_time_to_live, &ttl, "40 01 2b");
	ttl = 1;		/* offset 0, 1 octet */
	kat("TimeToLive 1", &h225_t_time_to_live, &ttl, "00 00");
	ttl = 4294967295u;	/* offset 0xfffffffe, 4 octets: 11 */
	kat("TimeToLive max", &h225_t_time_to_live, &ttl, "c0 ff ff ff fe");

	/* Unconstrained INTEGER (12.2.6): length octet, two's complement. */
	i = 123456789;
	kat("RandomVal 123456789", &per_t_integer, &i, "04 07 5b cd 15");
	i = -1;
	kat("RandomVal -1", &per_t_integer, &i, "01 ff");
	i = 128;
	kat("RandomVal 128", &per_t_integer, &i, "02 00 80");
	i = -129;
	kat("RandomVal -129", &per_t_integer, &i, "02 ff 7f");

	/* OID: length, then BER arcs: 1*40+2 = 2a, 840 = 86 48,
	 * 113549 = 86 f7 0d, 2, 5. */
	kat("OID md5", &per_t_oid, &oid, "08 2a 86 48 86 f7 0d 02 05");

	/* BIT STRING, no SIZE: length in bits (3), aligned bits 101. */
	kat("BIT STRING 101", &per_t_bits, &bits, "03 a0");
}

/* ---- H.225 building blocks ----------------------------------------------- */

static void test_aliases(void)
{
	struct h225_alias_address a;

	/* CHOICE: ext 0, index 0 of 2 roots (1 bit); length 4 in 1..128:
	 * 3 in 7 bits; align; '1' '0' '0' '1' as indexes in "#*,0123456789"
	 * (the largest code '9' does not fit 4 bits): 4 3 3 4. */
	memset(&a, 0, sizeof(a));
	a.tag = H225_ALIAS_DIALED_DIGITS;
	a.u.dialed_digits = "1001";
	kat("dialledDigits 1001", &h225_t_alias_address, &a, "01 80 43 34");

	/* ext 0, index 1; length 2 in 1..256 is the one-octet case
	 * (aligned, 1); then aligned 16-bit characters. */
	memset(&a, 0, sizeof(a));
	a.tag = H225_ALIAS_H323_ID;
	a.u.h323_id = PER_BMP("ab");
	kat("h323-ID ab", &h225_t_alias_address, &a, "40 01 00 61 00 62");

	/* An extension alternative: ext 1, small number 0 (0 + 000000),
	 * then an open type of 4 octets: length 2 in 1..512 is two aligned
	 * octets (00 01), then 8-bit characters. */
	memset(&a, 0, sizeof(a));
	a.tag = H225_ALIAS_URL_ID;
	a.u.url_id = "ab";
	kat("url-ID ab", &h225_t_alias_address, &a, "80 04 00 01 61 62");
}

static void test_transport(void)
{
	struct h225_transport_address ta;
	static const uint8_t node[6] = { 1, 2, 3, 4, 5, 6 };

	/* ext 0, index 0 of 7 (3 bits); ip: fixed 4 octets, aligned;
	 * port: 0..65535 is two aligned octets. */
	memset(&ta, 0, sizeof(ta));
	ta.tag = H225_TA_IP_ADDRESS;
	memcpy(ta.u.ip_address.ip, (uint8_t[]){ 192, 0, 2, 20 }, 4);
	ta.u.ip_address.port = 1719;
	kat("ipAddress", &h225_t_transport_address, &ta,
	    "00 c0 00 02 14 06 b7");

	/* ext 0, index 2 (010); node 6 octets aligned; netnum 4 aligned;
	 * port: fixed 2 octets, never aligned (16.6). */
	memset(&ta, 0, sizeof(ta));
	ta.tag = H225_TA_IPX_ADDRESS;
	memcpy(ta.u.ipx_address.node, node, 6);
	memcpy(ta.u.ipx_address.netnum, (uint8_t[]){ 10, 11, 12, 13 }, 4);
	memcpy(ta.u.ipx_address.port, (uint8_t[]){ 0xab, 0xcd }, 2);
	kat("ipxAddress", &h225_t_transport_address, &ta,
	    "20 01 02 03 04 05 06 0a 0b 0c 0d ab cd");
}

static void test_generic(void)
{
	struct h225_generic_identifier id;
	struct h225_generic_data gd;
	struct h225_enumerated_parameter p;

	/* CHOICE ext 0, index 0 of 3 (00); INTEGER(0..16383, ...): ext 0,
	 * two aligned octets. */
	memset(&id, 0, sizeof(id));
	id.tag = H225_GID_STANDARD;
	id.u.standard = 18;
	kat("standard 18", &h225_t_generic_identifier, &id, "00 00 12");

	/* Outside the root: ext bit 1, then as an unconstrained INTEGER. */
	id.u.standard = 20000;
	kat("standard 20000", &h225_t_generic_identifier, &id,
	    "10 02 4e 20");

	/* GenericData: ext 0, parameters present (1); id as above (4 bits),
	 * align; count 1 in SIZE(1..512): 0 in two aligned octets;
	 * EnumeratedParameter: ext 0, content absent, id 1. */
	h460_param_flag(&p, 1);
	h460_feature_init(&gd, 19, &p, 1);
	kat("feature 19 param 1", &h225_t_generic_data, &gd,
	    "40 00 13 00 00 00 00 01");
}

static void test_extensions(void)
{
	struct h225_vendor_identifier v, back;
	struct h225_alias_address a;
	struct per_arena arena;
	struct per_error err;
	uint8_t buf[64], in[64];
	size_t n, len;

	/* VendorIdentifier with its one addition: ext 1, productId 0,
	 * versionId 0; H221NonStandard: ext 0, t35CountryCode (one aligned
	 * octet) b5, 00, manufacturerCode 00 01; additions: count 1 as a
	 * small number (0000000), bitmap 1; open type 04 holding the OID
	 * 1.3.6.1 (03 2b 06 01). */
	memset(&v, 0, sizeof(v));
	v.vendor.t35_country_code = 181;
	v.vendor.manufacturer_code = 1;
	v.has_enterprise_number = true;
	v.enterprise_number = PER_OID(1, 3, 6, 1);
	kat("VendorIdentifier + enterpriseNumber", &h225_t_vendor_identifier,
	    &v, "80 b5 00 00 01 01 04 03 2b 06 01");

	/* The same from a later version with a second, unknown addition
	 * (count 2: 0000001, bitmap 11, open types 04 ... and 02 aa bb):
	 * the unknown one is skipped by its length. */
	len = unhex("80 b5 00 00 01 03 80 04 03 2b 06 01 02 aa bb", in,
		    sizeof(in));
	per_arena_init(&arena, arena_mem, sizeof(arena_mem));
	CHECKF(per_decode(&h225_t_vendor_identifier, in, len, &back, &arena,
			  &err) == 0, "unknown addition: %s", err.reason);
	CHECK(per_equal(&h225_t_vendor_identifier, &v, &back, NULL, 0));

	/* An AliasAddress alternative from the future (extension index 10):
	 * kept raw with tag 2 + 10, and relayed unchanged. */
	len = unhex("8a 02 12 34", in, sizeof(in));
	per_arena_init(&arena, arena_mem, sizeof(arena_mem));
	CHECKF(per_decode(&h225_t_alias_address, in, len, &a, &arena, &err) ==
		       0, "unknown alternative: %s", err.reason);
	CHECK(a.tag == 12);
	CHECK(a.unknown.len == 2 && a.unknown.data[0] == 0x12 &&
	      a.unknown.data[1] == 0x34);
	CHECK(per_encode(&h225_t_alias_address, &a, buf, sizeof(buf), &n,
			 &err) == 0);
	CHECK(n == len && memcmp(buf, in, len) == 0);
}

static void test_ras(void)
{
	struct h225_ras_msg m;
	struct per_arena arena;
	struct per_error err;
	uint8_t in[32];
	size_t len;

	/* The smallest GRQ (derivation in docs/h323.md):
	 *   RasMessage ext 0, index 0 of 25 (5 bits); GRQ ext 1 (the
	 *   mandatory addition supportsAssignedGK), 4 optional bits 0;
	 *   align; requestSeqNum 1 in 1..65535: 00 00;
	 *   protocolIdentifier 06 00 08 91 4a 00 04;
	 *   rasAddress 00 c0 00 02 14 06 b7;
	 *   endpointType: ext 0, 6 optional bits 000001, TerminalInfo ext 0
	 *   and nsd 0, mc 0, undefinedNode 0;
	 *   12 additions: small number 11 (0001011), bitmap with the 11th
	 *   set; align; open type 01 00 (FALSE). */
	memset(&m, 0, sizeof(m));
	m.tag = H225_RAS_GRQ;
	m.u.grq.request_seq_num = 1;
	m.u.grq.protocol_identifier = h225_protocol_v4;
	m.u.grq.ras_address.tag = H225_TA_IP_ADDRESS;
	memcpy(m.u.grq.ras_address.u.ip_address.ip, (uint8_t[]){ 192, 0, 2, 20 },
	       4);
	m.u.grq.ras_address.u.ip_address.port = 1719;
	m.u.grq.endpoint_type.has_terminal = true;
	kat("minimal GRQ", &h225_t_ras_message, &m,
	    "02 00 00 00 06 00 08 91 4a 00 04 00 c0 00 02 14 06 b7 "
	    "02 02 c0 08 01 00");

	/* A RasMessage extension alternative this build does not know
	 * (index 20): reported, not a crash. */
	len = unhex("94 01 00", in, sizeof(in));
	per_arena_init(&arena, arena_mem, sizeof(arena_mem));
	CHECK(h225_ras_decode(in, len, &m, &arena, &err) == -1);
	CHECKF(err.code == PER_E_UNKNOWN_CHOICE, "code %d: %s", err.code,
	       err.reason);
	CHECK(strstr(err.reason, "extension alternative 20") != NULL);
}

static void test_refusals(void)
{
	struct h225_alias_address a;
	uint32_t ttl = 0;
	struct per_error err;
	uint8_t buf[64];
	size_t n;

	memset(&a, 0, sizeof(a));
	a.tag = H225_ALIAS_DIALED_DIGITS;
	a.u.dialed_digits = "12A";
	CHECK(per_encode(&h225_t_alias_address, &a, buf, sizeof(buf), &n,
			 &err) == -1);
	CHECK(err.code == PER_E_ALPHABET);
	CHECK(strstr(err.reason, "dialed_digits") != NULL);

	a.u.dialed_digits = "";
	CHECK(per_encode(&h225_t_alias_address, &a, buf, sizeof(buf), &n,
			 &err) == -1);
	CHECK(err.code == PER_E_SIZE);

	CHECK(per_encode(&h225_t_time_to_live, &ttl, buf, sizeof(buf), &n,
			 &err) == -1);
	CHECK(err.code == PER_E_RANGE);

	a.u.dialed_digits = "1234";
	CHECK(per_encode(&h225_t_alias_address, &a, buf, 3, &n, &err) == -1);
	CHECK(err.code == PER_E_NOSPACE);
}

static void test_descriptors(void)
{
	char why[256];

	CHECKF(per_type_check(&h225_t_ras_message, why, sizeof(why)) == 0,
	       "%s", why);
	CHECKF(per_type_check(&h460_18_t_incoming_call_indication, why,
			      sizeof(why)) == 0, "%s", why);
	CHECKF(per_type_check(&h460_18_t_lrq_keep_alive_data, why,
			      sizeof(why)) == 0, "%s", why);
	CHECKF(per_type_check(&t_small, why, sizeof(why)) == 0, "%s", why);
}

int main(void)
{
	test_descriptors();
	test_primitives();
	test_other_kinds();
	test_aliases();
	test_transport();
	test_generic();
	test_extensions();
	test_ras();
	test_refusals();
	return check_result("test_per_kat");
}
