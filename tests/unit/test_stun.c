/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_stun.c — dataplane/stun/stun.c, the STUN/TURN codec:
 *
 *   test_stun CASE
 *
 *   rfc5769      the four RFC 5769 vectors: parsed, checked (MESSAGE-
 *                INTEGRITY with the short-term password, and with the
 *                long-term key of §2.4's SASLprep'd credentials), and
 *                rebuilt byte for byte by the writer
 *   type         method and class in and out of the message type
 *   roundtrip    every attribute written, parsed back and compared (IPv4
 *                and IPv6 addresses, every error code, DATA of every
 *                padding, ...)
 *   unknown      comprehension-required attributes the parser does not
 *                know are reported once each; optional ones are not
 *   malformed    one specific error per malformation: header, lengths,
 *                padding, each known attribute's length and value rules,
 *                FINGERPRINT placement and value, every truncation
 *   integrity    MESSAGE-INTEGRITY and -SHA256 (every length), which one
 *                counts, what after them is ignored, the writer's order
 *                rules, the prepared-key HMAC against OpenSSL's HMAC()
 *   fingerprint  CRC-32 against a bitwise reference, FINGERPRINT written
 *                and every corruption of it refused
 *   writer       every buffer size up to the message: refused without a
 *                byte past the end; errors are sticky
 *   channel      ChannelData parse and write, its bounds and padding
 *                rules; stun_classify and stun_frame_len
 *   data-indication  the zero-copy Data indication header against the
 *                writer's whole message, every padding, both families
 *   userhash     USERHASH against SHA-256 computed by EVP
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "stun.h"
#include "turn_auth.h"

static int failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__,         \
				__LINE__, #cond);                              \
			failures++;                                            \
		}                                                              \
	} while (0)

#define CHECK_ERR(got, want)                                                   \
	do {                                                                   \
		enum stun_err g_ = (got), w_ = (want);                         \
		if (g_ != w_) {                                                \
			fprintf(stderr, "%s:%d: FAIL: %s is \"%s\", want "     \
				"\"%s\"\n", __FILE__, __LINE__, #got,          \
				stun_strerror(g_), stun_strerror(w_));         \
			failures++;                                            \
		}                                                              \
	} while (0)

static void dump(const char *what, const uint8_t *p, size_t n)
{
	fprintf(stderr, "%s (%zu bytes):", what, n);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : "\n  ", p[i]);
	fprintf(stderr, "\n");
}

static void check_bytes(int line, const char *what, const uint8_t *got,
			size_t glen, const uint8_t *want, size_t wlen)
{
	if (glen == wlen && memcmp(got, want, wlen) == 0)
		return;
	fprintf(stderr, "%s:%d: FAIL: %s differs\n", __FILE__, line, what);
	dump("got", got, glen);
	dump("want", want, wlen);
	failures++;
}

#define CHECK_BYTES(what, g, gl, w, wl) check_bytes(__LINE__, what, g, gl, w, wl)

static struct stun_addr v6addr(const char *s, uint16_t port)
{
	struct stun_addr a = { .family = STUN_AF_IPV6, .port = port };

	if (inet_pton(AF_INET6, s, a.ip.v6) != 1)
		abort();
	return a;
}

static struct stun_addr v4addr(const char *s, uint16_t port)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		abort();
	return stun_addr_v4(in.s_addr, port);
}

/* ---- RFC 5769 ------------------------------------------------------------ */

static const char short_term_password[] = "VOkJxbRl1RmTxUk/WvJxBt";

static const uint8_t tid_5769[12] = {
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
};

/* 2.1 Sample Request (padding with 0x20) */
static const uint8_t rfc5769_request[] = {
	0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x22, 0x00, 0x10,                         /* SOFTWARE */
	0x53, 0x54, 0x55, 0x4e, 0x20, 0x74, 0x65, 0x73,
	0x74, 0x20, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74,
	0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff, /* PRIORITY */
	0x80, 0x29, 0x00, 0x08,                         /* ICE-CONTROLLED */
	0x93, 0x2f, 0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36,
	0x00, 0x06, 0x00, 0x09,                         /* USERNAME */
	0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68, 0x36, 0x76, 0x59, 0x20, 0x20, 0x20,
	0x00, 0x08, 0x00, 0x14,                         /* MESSAGE-INTEGRITY */
	0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e,
	0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5, 0x71, 0xa2,
	0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf, /* FINGERPRINT */
};

/* 2.2 Sample IPv4 Response */
static const uint8_t rfc5769_response_v4[] = {
	0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x22, 0x00, 0x0b,                         /* SOFTWARE */
	0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72, 0x20,
	0x00, 0x20, 0x00, 0x08,                         /* XOR-MAPPED-ADDRESS */
	0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43,
	0x00, 0x08, 0x00, 0x14,                         /* MESSAGE-INTEGRITY */
	0x2b, 0x91, 0xf5, 0x99, 0xfd, 0x9e, 0x90, 0xc3, 0x8c, 0x74,
	0x89, 0xf9, 0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b, 0xe7, 0xd7,
	0x80, 0x28, 0x00, 0x04, 0xc0, 0x7d, 0x4c, 0x96, /* FINGERPRINT */
};

/* 2.3 Sample IPv6 Response */
static const uint8_t rfc5769_response_v6[] = {
	0x01, 0x01, 0x00, 0x48, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x22, 0x00, 0x0b,                         /* SOFTWARE */
	0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72, 0x20,
	0x00, 0x20, 0x00, 0x14,                         /* XOR-MAPPED-ADDRESS */
	0x00, 0x02, 0xa1, 0x47,
	0x01, 0x13, 0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79,
	0xbc, 0x25, 0xf4, 0xb5, 0xbe, 0xd2, 0xb9, 0xd9,
	0x00, 0x08, 0x00, 0x14,                         /* MESSAGE-INTEGRITY */
	0xa3, 0x82, 0x95, 0x4e, 0x4b, 0xe6, 0x7b, 0xf1, 0x17, 0x84,
	0xc9, 0x7c, 0x82, 0x92, 0xc2, 0x75, 0xbf, 0xe3, 0xed, 0x41,
	0x80, 0x28, 0x00, 0x04, 0xc8, 0xfb, 0x0b, 0x4c, /* FINGERPRINT */
};

/* 2.4 Sample Request with Long-Term Authentication (padding with 0x00) */
static const uint8_t rfc5769_request_lt[] = {
	0x00, 0x01, 0x00, 0x60, 0x21, 0x12, 0xa4, 0x42,
	0x78, 0xad, 0x34, 0x33, 0xc6, 0xad, 0x72, 0xc0, 0x29, 0xda, 0x41, 0x2e,
	0x00, 0x06, 0x00, 0x12,                         /* USERNAME */
	0xe3, 0x83, 0x9e, 0xe3, 0x83, 0x88, 0xe3, 0x83, 0xaa, 0xe3,
	0x83, 0x83, 0xe3, 0x82, 0xaf, 0xe3, 0x82, 0xb9, 0x00, 0x00,
	0x00, 0x15, 0x00, 0x1c,                         /* NONCE */
	0x66, 0x2f, 0x2f, 0x34, 0x39, 0x39, 0x6b, 0x39, 0x35, 0x34,
	0x64, 0x36, 0x4f, 0x4c, 0x33, 0x34, 0x6f, 0x4c, 0x39, 0x46,
	0x53, 0x54, 0x76, 0x79, 0x36, 0x34, 0x73, 0x41,
	0x00, 0x14, 0x00, 0x0b,                         /* REALM */
	0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x6f, 0x72, 0x67, 0x00,
	0x00, 0x08, 0x00, 0x14,                         /* MESSAGE-INTEGRITY */
	0xf6, 0x70, 0x24, 0x65, 0x6d, 0xd6, 0x4a, 0x3e, 0x02, 0xb8,
	0xe0, 0x71, 0x2e, 0x85, 0xc9, 0xa2, 0x8c, 0xa8, 0x96, 0x66,
};

/* U+30DE U+30C8 U+30EA U+30C3 U+30AF U+30B9 ("matorikkusu") in UTF-8 */
static const char lt_username[] =
	"\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9";
static const char lt_nonce[] = "f//499k954d6OL34oL9FSTvy64sA";
static const char lt_realm[] = "example.org";
/* "The<U+00AD>M<U+00AA>tr<U+2168>" after SASLprep */
static const char lt_password[] = "TheMatrIX";

static void short_term_key(struct stun_key *k)
{
	stun_key_init(k, short_term_password, strlen(short_term_password));
}

static void case_rfc5769(void)
{
	struct stun_msg m;
	struct stun_key k, wrong;
	struct stun_writer w;
	struct stun_addr a;
	uint8_t out[256], ltkey[TURN_KEY_MAX];
	size_t ltlen;

	short_term_key(&k);
	stun_key_init(&wrong, "VOkJxbRl1RmTxUk/WvJxBT", 22);

	/* 2.1 */
	CHECK_ERR(stun_parse(&m, rfc5769_request, sizeof(rfc5769_request)),
		  STUN_OK);
	CHECK(m.method == STUN_BINDING && m.cls == STUN_REQUEST);
	CHECK(memcmp(stun_tid(&m), tid_5769, 12) == 0);
	CHECK(stun_span_equal(&m, m.software, "STUN test client", 16));
	CHECK(stun_span_equal(&m, m.username, "evtj:h6vY", 9));
	CHECK((m.have & STUN_HAVE_PRIORITY) && m.priority == 0x6e0001ff);
	CHECK((m.have & STUN_HAVE_ICE_CONTROLLED) &&
	      m.ice_tiebreaker == UINT64_C(0x932ff9b151263b36));
	CHECK(m.mi_at == 76 && m.fp_at == 100 && m.n_unknown == 0);
	CHECK_ERR(stun_check_integrity(&m, &k), STUN_OK);
	CHECK_ERR(stun_check_integrity(&m, &wrong), STUN_E_INTEGRITY);

	stun_writer_init(&w, out, sizeof(out), STUN_BINDING, STUN_REQUEST,
			 tid_5769);
	w.pad_byte = 0x20;
	stun_put_str(&w, STUN_A_SOFTWARE, "STUN test client");
	stun_put_u32(&w, STUN_A_PRIORITY, 0x6e0001ff);
	stun_put_u64(&w, STUN_A_ICE_CONTROLLED, UINT64_C(0x932ff9b151263b36));
	stun_put_str(&w, STUN_A_USERNAME, "evtj:h6vY");
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	CHECK_ERR(w.err, STUN_OK);
	CHECK_BYTES("RFC 5769 2.1 rebuilt", out, w.len, rfc5769_request,
		    sizeof(rfc5769_request));

	/* 2.2 */
	CHECK_ERR(stun_parse(&m, rfc5769_response_v4,
			     sizeof(rfc5769_response_v4)), STUN_OK);
	CHECK(m.method == STUN_BINDING && m.cls == STUN_SUCCESS);
	CHECK(stun_span_equal(&m, m.software, "test vector", 11));
	a = v4addr("192.0.2.1", 32853);
	CHECK((m.have & STUN_HAVE_XOR_MAPPED_ADDRESS) &&
	      stun_addr_equal(&m.xor_mapped, &a));
	CHECK_ERR(stun_check_integrity(&m, &k), STUN_OK);
	CHECK_ERR(stun_check_integrity(&m, &wrong), STUN_E_INTEGRITY);

	stun_writer_init(&w, out, sizeof(out), STUN_BINDING, STUN_SUCCESS,
			 tid_5769);
	w.pad_byte = 0x20;
	stun_put_str(&w, STUN_A_SOFTWARE, "test vector");
	stun_put_xor_addr(&w, STUN_A_XOR_MAPPED_ADDRESS, &a);
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	CHECK_ERR(w.err, STUN_OK);
	CHECK_BYTES("RFC 5769 2.2 rebuilt", out, w.len, rfc5769_response_v4,
		    sizeof(rfc5769_response_v4));

	/* 2.3 */
	CHECK_ERR(stun_parse(&m, rfc5769_response_v6,
			     sizeof(rfc5769_response_v6)), STUN_OK);
	a = v6addr("2001:db8:1234:5678:11:2233:4455:6677", 32853);
	CHECK((m.have & STUN_HAVE_XOR_MAPPED_ADDRESS) &&
	      stun_addr_equal(&m.xor_mapped, &a));
	CHECK_ERR(stun_check_integrity(&m, &k), STUN_OK);

	stun_writer_init(&w, out, sizeof(out), STUN_BINDING, STUN_SUCCESS,
			 tid_5769);
	w.pad_byte = 0x20;
	stun_put_str(&w, STUN_A_SOFTWARE, "test vector");
	stun_put_xor_addr(&w, STUN_A_XOR_MAPPED_ADDRESS, &a);
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	CHECK_ERR(w.err, STUN_OK);
	CHECK_BYTES("RFC 5769 2.3 rebuilt", out, w.len, rfc5769_response_v6,
		    sizeof(rfc5769_response_v6));

	/* 2.4: key = MD5(username ":" realm ":" SASLprep(password)) */
	CHECK_ERR(stun_parse(&m, rfc5769_request_lt,
			     sizeof(rfc5769_request_lt)), STUN_OK);
	CHECK(stun_span_equal(&m, m.username, lt_username,
			      strlen(lt_username)));
	CHECK(stun_span_equal(&m, m.nonce, lt_nonce, strlen(lt_nonce)));
	CHECK(stun_span_equal(&m, m.realm, lt_realm, strlen(lt_realm)));
	CHECK(m.fp_at == 0 && m.mi_at == 92);
	ltlen = turn_longterm_key(STUN_PWALG_MD5, lt_username,
				  strlen(lt_username), lt_realm,
				  strlen(lt_realm), lt_password,
				  strlen(lt_password), ltkey);
	CHECK(ltlen == 16);
	stun_key_init(&k, ltkey, ltlen);
	CHECK_ERR(stun_check_integrity(&m, &k), STUN_OK);
	CHECK_ERR(stun_check_integrity(&m, &wrong), STUN_E_INTEGRITY);

	stun_writer_init(&w, out, sizeof(out), STUN_BINDING, STUN_REQUEST,
			 rfc5769_request_lt + 8);
	stun_put_str(&w, STUN_A_USERNAME, lt_username);
	stun_put_str(&w, STUN_A_NONCE, lt_nonce);
	stun_put_str(&w, STUN_A_REALM, lt_realm);
	stun_put_integrity(&w, &k);
	CHECK_ERR(w.err, STUN_OK);
	CHECK_BYTES("RFC 5769 2.4 rebuilt", out, w.len, rfc5769_request_lt,
		    sizeof(rfc5769_request_lt));
}

/* ---- message type -------------------------------------------------------- */

static void case_type(void)
{
	static const struct {
		uint16_t method;
		enum stun_class cls;
		uint16_t type;
	} known[] = {
		{ STUN_BINDING, STUN_REQUEST, 0x0001 },
		{ STUN_BINDING, STUN_INDICATION, 0x0011 },
		{ STUN_BINDING, STUN_SUCCESS, 0x0101 },
		{ STUN_BINDING, STUN_ERROR, 0x0111 },
		{ TURN_ALLOCATE, STUN_REQUEST, 0x0003 },
		{ TURN_ALLOCATE, STUN_SUCCESS, 0x0103 },
		{ TURN_ALLOCATE, STUN_ERROR, 0x0113 },
		{ TURN_REFRESH, STUN_REQUEST, 0x0004 },
		{ TURN_SEND, STUN_INDICATION, 0x0016 },
		{ TURN_DATA, STUN_INDICATION, 0x0017 },
		{ TURN_CREATE_PERMISSION, STUN_REQUEST, 0x0008 },
		{ TURN_CHANNEL_BIND, STUN_REQUEST, 0x0009 },
		{ TURN_CHANNEL_BIND, STUN_SUCCESS, 0x0109 },
		{ 0xFFF, STUN_ERROR, 0x3FFF },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		CHECK(stun_type(known[i].method, known[i].cls) ==
		      known[i].type);
		CHECK(stun_type_method(known[i].type) == known[i].method);
		CHECK(stun_type_class(known[i].type) == known[i].cls);
	}
	for (uint16_t m = 0; m < 0x1000; m++)
		for (int c = 0; c < 4; c++) {
			uint16_t t = stun_type(m, (enum stun_class)c);

			CHECK(t < 0x4000);
			if (stun_type_method(t) != m ||
			    stun_type_class(t) != (enum stun_class)c) {
				CHECK(!"type round trip");
				return;
			}
		}
}

/* ---- round trips --------------------------------------------------------- */

static const uint8_t tid_a[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

static void roundtrip_all(const struct stun_addr *mapped,
			  const struct stun_addr *relayed,
			  const struct stun_addr *peer1,
			  const struct stun_addr *peer2,
			  const struct stun_addr *alt)
{
	static const uint8_t token[8] = { 0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3 };
	static const uint8_t data[5] = { 'h', 'e', 'l', 'l', 'o' };
	static const uint16_t unk[3] = { 0x0003, 0x7fff, 0x0041 };
	static const uint16_t algs[2] = { STUN_PWALG_MD5, STUN_PWALG_SHA256 };
	uint8_t hash[STUN_USERHASH_LEN], buf[1024];
	struct stun_writer w;
	struct stun_msg m;
	struct stun_key k;

	stun_key_init(&k, "key", 3);
	memset(hash, 0xab, sizeof(hash));
	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_REQUEST,
			 tid_a);
	stun_put_addr(&w, STUN_A_MAPPED_ADDRESS, mapped);
	stun_put_str(&w, STUN_A_USERNAME, "1700000000:alice");
	stun_put(&w, STUN_A_USERHASH, hash, sizeof(hash));
	stun_put_error(&w, 438, NULL);
	stun_put_unknown_attributes(&w, unk, 3);
	stun_put_channel_number(&w, 0x4abc);
	stun_put_u32(&w, STUN_A_LIFETIME, 600);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, peer1);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, peer2);
	stun_put(&w, STUN_A_DATA, data, sizeof(data));
	stun_put_str(&w, STUN_A_REALM, "relay.example");
	stun_put_str(&w, STUN_A_NONCE, "obMatJos2gAAA");
	stun_put_xor_addr(&w, STUN_A_XOR_RELAYED_ADDRESS, relayed);
	stun_put_requested_family(&w, STUN_A_REQUESTED_ADDRESS_FAMILY,
				  STUN_AF_IPV6);
	stun_put_even_port(&w, true);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	stun_put(&w, STUN_A_DONT_FRAGMENT, NULL, 0);
	stun_put_password_algorithm(&w, STUN_PWALG_SHA256);
	stun_put_xor_addr(&w, STUN_A_XOR_MAPPED_ADDRESS, mapped);
	stun_put(&w, STUN_A_RESERVATION_TOKEN, token, sizeof(token));
	stun_put_u32(&w, STUN_A_PRIORITY, 12345);
	stun_put(&w, STUN_A_USE_CANDIDATE, NULL, 0);
	stun_put_requested_family(&w, STUN_A_ADDITIONAL_ADDRESS_FAMILY,
				  STUN_AF_IPV6);
	stun_put_password_algorithms(&w, algs, 2);
	stun_put_str(&w, STUN_A_ALTERNATE_DOMAIN, "turn2.example");
	stun_put_str(&w, STUN_A_SOFTWARE, "Sluice");
	stun_put_addr(&w, STUN_A_ALTERNATE_SERVER, alt);
	stun_put_u64(&w, STUN_A_ICE_CONTROLLING, 42);
	stun_put_integrity(&w, &k);
	stun_put_integrity_sha256(&w, &k, 32);
	stun_put_fingerprint(&w);
	CHECK_ERR(w.err, STUN_OK);
	CHECK((size_t)((buf[2] << 8) | buf[3]) == w.len - 20);

	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
	CHECK(m.method == TURN_ALLOCATE && m.cls == STUN_REQUEST);
	CHECK(memcmp(stun_tid(&m), tid_a, 12) == 0);
	CHECK(m.have == (STUN_HAVE_ICE_CONTROLLING << 1) - 1 -
			STUN_HAVE_ICE_CONTROLLED);
	CHECK(stun_addr_equal(&m.mapped, mapped));
	CHECK(stun_span_equal(&m, m.username, "1700000000:alice", 16));
	CHECK(stun_span_equal(&m, m.userhash, hash, sizeof(hash)));
	CHECK(m.error_code == 438);
	CHECK(stun_span_equal(&m, m.error_reason, "Stale Nonce", 11));
	CHECK(m.unknown_attributes.len == 6 &&
	      memcmp(stun_span_ptr(&m, m.unknown_attributes),
		     "\x00\x03\x7f\xff\x00\x41", 6) == 0);
	CHECK(m.channel == 0x4abc);
	CHECK(m.lifetime == 600);
	CHECK(m.n_peers == 2 && stun_addr_equal(&m.peers[0], peer1) &&
	      stun_addr_equal(&m.peers[1], peer2));
	CHECK(stun_span_equal(&m, m.data, data, sizeof(data)));
	CHECK(stun_span_equal(&m, m.realm, "relay.example", 13));
	CHECK(stun_span_equal(&m, m.nonce, "obMatJos2gAAA", 13));
	CHECK(stun_addr_equal(&m.xor_relayed, relayed));
	CHECK(m.requested_family == STUN_AF_IPV6);
	CHECK(m.even_port_r == 1);
	CHECK(m.requested_transport == TURN_TRANSPORT_UDP);
	CHECK(m.password_algorithm == STUN_PWALG_SHA256 &&
	      m.password_algorithm_params.len == 0);
	CHECK(stun_addr_equal(&m.xor_mapped, mapped));
	CHECK(stun_span_equal(&m, m.reservation_token, token, 8));
	CHECK(m.priority == 12345);
	CHECK(m.additional_family == STUN_AF_IPV6);
	CHECK(m.password_algorithms.len == 8 &&
	      memcmp(stun_span_ptr(&m, m.password_algorithms),
		     "\x00\x01\x00\x00\x00\x02\x00\x00", 8) == 0);
	CHECK(stun_span_equal(&m, m.alternate_domain, "turn2.example", 13));
	CHECK(stun_span_equal(&m, m.software, "Sluice", 6));
	CHECK(stun_addr_equal(&m.alternate_server, alt));
	CHECK(m.ice_tiebreaker == 42);
	CHECK(m.mi256_len == 32 && m.mi_at != 0 && m.fp_at != 0);
	CHECK(m.n_unknown == 0 && m.n_ignored == 0);
	CHECK_ERR(stun_check_integrity(&m, &k), STUN_OK);
}

static void case_roundtrip(void)
{
	struct stun_addr m4 = v4addr("203.0.113.5", 40000);
	struct stun_addr r4 = v4addr("192.0.2.10", 24000);
	struct stun_addr p4 = v4addr("198.51.100.7", 5004);
	struct stun_addr q4 = v4addr("255.255.255.255", 65535);
	struct stun_addr a4 = v4addr("0.0.0.0", 0);
	struct stun_addr m6 = v6addr("2001:db8::5", 40000);
	struct stun_addr r6 = v6addr("2001:db8:1::10", 24000);
	struct stun_addr p6 = v6addr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
				     1);
	struct stun_addr q6 = v6addr("::", 0);
	static const unsigned codes[] = { 300, 400, 401, 403, 405, 420, 437,
					  438, 440, 441, 442, 443, 486, 487,
					  500, 508 };
	uint8_t buf[2048], data[16];
	struct stun_writer w;
	struct stun_msg m;

	roundtrip_all(&m4, &r4, &p4, &q4, &a4);
	roundtrip_all(&m6, &r6, &p6, &q6, &m6);
	roundtrip_all(&m4, &r6, &p6, &q4, &r6);

	/* every error code with its phrase, and a phrase of our own */
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		const char *r = stun_reason(codes[i]);

		CHECK(r[0] != '\0');
		stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE,
				 STUN_ERROR, tid_a);
		stun_put_error(&w, codes[i], NULL);
		CHECK_ERR(w.err, STUN_OK);
		CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
		CHECK(m.cls == STUN_ERROR && m.error_code == codes[i]);
		CHECK(stun_span_equal(&m, m.error_reason, r, strlen(r)));
	}
	CHECK(strcmp(stun_reason(401), "Unauthenticated") == 0);
	CHECK(strcmp(stun_reason(438), "Stale Nonce") == 0);
	CHECK(strcmp(stun_reason(299), "") == 0);
	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_ERROR,
			 tid_a);
	stun_put_error(&w, 699, "");
	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
	CHECK(m.error_code == 699 && m.error_reason.len == 0 &&
	      m.error_reason.off != 0);
	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_ERROR,
			 tid_a);
	CHECK_ERR(stun_put_error(&w, 299, NULL), STUN_E_ATTR_VALUE);
	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_ERROR,
			 tid_a);
	CHECK_ERR(stun_put_error(&w, 700, NULL), STUN_E_ATTR_VALUE);

	/* DATA of every length modulo 4, padding zero unless asked */
	for (size_t n = 0; n <= sizeof(data); n++) {
		for (size_t i = 0; i < n; i++)
			data[i] = (uint8_t)(0xf0 + i);
		stun_writer_init(&w, buf, sizeof(buf), TURN_SEND,
				 STUN_INDICATION, tid_a);
		stun_put(&w, STUN_A_DATA, data, n);
		stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &p4);
		CHECK_ERR(w.err, STUN_OK);
		CHECK(w.len == 20 + 4 + ((n + 3) & ~(size_t)3) + 12);
		for (size_t i = 24 + n; i < 24 + ((n + 3) & ~(size_t)3); i++)
			CHECK(buf[i] == 0);
		CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
		CHECK(m.cls == STUN_INDICATION && m.method == TURN_SEND);
		CHECK(m.data.len == n && m.data.off == 24 &&
		      memcmp(stun_span_ptr(&m, m.data), data, n) == 0);
		CHECK(m.n_peers == 1 && stun_addr_equal(&m.peers[0], &p4));
	}

	/* a message with no attributes; the first of repeated attributes */
	stun_writer_init(&w, buf, sizeof(buf), STUN_BINDING, STUN_REQUEST,
			 tid_a);
	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
	CHECK(m.have == 0 && m.len == 20);
	stun_put_u32(&w, STUN_A_LIFETIME, 1);
	stun_put_u32(&w, STUN_A_LIFETIME, 2);
	stun_put_str(&w, STUN_A_REALM, "first");
	stun_put_str(&w, STUN_A_REALM, "second");
	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
	CHECK(m.lifetime == 1 && stun_span_equal(&m, m.realm, "first", 5));

	/* EVEN-PORT without R; the response writer copies method and id */
	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_REQUEST,
			 tid_a);
	stun_put_even_port(&w, false);
	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
	CHECK((m.have & STUN_HAVE_EVEN_PORT) && m.even_port_r == 0);
	{
		uint8_t resp[64];
		struct stun_msg r;

		stun_writer_init_response(&w, resp, sizeof(resp), &m,
					  STUN_SUCCESS);
		CHECK_ERR(stun_parse(&r, resp, w.len), STUN_OK);
		CHECK(r.method == TURN_ALLOCATE && r.cls == STUN_SUCCESS &&
		      memcmp(stun_tid(&r), tid_a, 12) == 0);
	}
}

/* ---- unknown attributes -------------------------------------------------- */

static void case_unknown(void)
{
	uint8_t buf[1024], v[4] = { 0 };
	struct stun_writer w;
	struct stun_msg m;
	struct stun_key k;

	stun_key_init(&k, "k", 1);
	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_REQUEST,
			 tid_a);
	stun_put(&w, 0x0003, v, 4);            /* CHANGE-REQUEST (RFC 5780) */
	stun_put(&w, 0x8050, v, 4);            /* optional: not reported */
	stun_put(&w, 0x7fff, NULL, 0);
	stun_put(&w, 0x0003, v, 4);            /* reported once */
	stun_put(&w, 0xffff, v, 2);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	CHECK_ERR(w.err, STUN_OK);
	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
	CHECK(m.n_unknown == 2 && m.unknown[0] == 0x0003 &&
	      m.unknown[1] == 0x7fff);
	CHECK(m.requested_transport == 17);

	/* more than STUN_MAX_UNKNOWN distinct ones: the first are kept */
	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_REQUEST,
			 tid_a);
	for (uint16_t t = 0x0100; t < 0x0100 + 40; t++)
		stun_put(&w, t, NULL, 0);
	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
	CHECK(m.n_unknown == STUN_MAX_UNKNOWN && m.unknown[0] == 0x0100 &&
	      m.unknown[STUN_MAX_UNKNOWN - 1] == 0x0100 + STUN_MAX_UNKNOWN - 1);

	/* a 420 answer lists them */
	{
		uint8_t resp[256];
		struct stun_msg r;

		stun_writer_init_response(&w, resp, sizeof(resp), &m,
					  STUN_ERROR);
		stun_put_error(&w, 420, NULL);
		stun_put_unknown_attributes(&w, m.unknown, m.n_unknown);
		stun_put_fingerprint(&w);
		CHECK_ERR(w.err, STUN_OK);
		CHECK_ERR(stun_parse(&r, resp, w.len), STUN_OK);
		CHECK(r.error_code == 420 &&
		      r.unknown_attributes.len == 2 * STUN_MAX_UNKNOWN);
	}
}

/* ---- malformed ----------------------------------------------------------- */

/* A message of header + the given attribute bytes, length field = alen
 * unless len_field >= 0. */
static size_t raw_msg(uint8_t *buf, uint16_t type, const uint8_t *attrs,
		      size_t alen, long len_field)
{
	buf[0] = (uint8_t)(type >> 8);
	buf[1] = (uint8_t)type;
	buf[2] = (uint8_t)((len_field >= 0 ? (size_t)len_field : alen) >> 8);
	buf[3] = (uint8_t)(len_field >= 0 ? (size_t)len_field : alen);
	buf[4] = 0x21;
	buf[5] = 0x12;
	buf[6] = 0xa4;
	buf[7] = 0x42;
	memcpy(buf + 8, tid_a, 12);
	memcpy(buf + 20, attrs, alen);
	return 20 + alen;
}

/* Parses header + one attribute of type/len whose value is vlen bytes of
 * fill, padded. */
static enum stun_err one_attr(uint16_t type, uint16_t len, size_t vlen,
			      uint8_t fill)
{
	static uint8_t attrs[2048], buf[4096];
	struct stun_msg m;
	size_t n;

	attrs[0] = (uint8_t)(type >> 8);
	attrs[1] = (uint8_t)type;
	attrs[2] = (uint8_t)(len >> 8);
	attrs[3] = (uint8_t)len;
	memset(attrs + 4, fill, vlen);
	n = raw_msg(buf, 0x0003, attrs, 4 + ((vlen + 3) & ~(size_t)3), -1);
	return stun_parse(&m, buf, n);
}

/* An attribute with a given value (to set family bytes and the like). */
static enum stun_err one_attr_value(uint16_t type, const uint8_t *v,
				    size_t vlen)
{
	static uint8_t attrs[2048], buf[4096];
	struct stun_msg m;
	size_t n;

	attrs[0] = (uint8_t)(type >> 8);
	attrs[1] = (uint8_t)type;
	attrs[2] = (uint8_t)(vlen >> 8);
	attrs[3] = (uint8_t)vlen;
	memcpy(attrs + 4, v, vlen);
	memset(attrs + 4 + vlen, 0, 3);
	n = raw_msg(buf, 0x0003, attrs, 4 + ((vlen + 3) & ~(size_t)3), -1);
	return stun_parse(&m, buf, n);
}

static void case_malformed(void)
{
	static uint8_t buf[70000];
	uint8_t good[256], attrs[64];
	struct stun_writer w;
	struct stun_msg m;
	struct stun_key k;
	size_t n, glen;

	stun_key_init(&k, "k", 1);

	/* header */
	for (size_t len = 0; len < 20; len++)
		CHECK_ERR(stun_parse(&m, rfc5769_request, len),
			  STUN_E_TRUNCATED);
	n = raw_msg(buf, 0x0001, attrs, 0, -1);
	CHECK_ERR(stun_parse(&m, buf, n), STUN_OK);
	buf[0] = 0x80;
	CHECK_ERR(stun_parse(&m, buf, n), STUN_E_NOT_STUN);
	buf[0] = 0x40;
	CHECK_ERR(stun_parse(&m, buf, n), STUN_E_NOT_STUN);
	buf[0] = 0x00;
	buf[7] = 0x43;
	CHECK_ERR(stun_parse(&m, buf, n), STUN_E_COOKIE);
	buf[7] = 0x42;

	/* lengths */
	memset(attrs, 0, sizeof(attrs));
	attrs[1] = 0x06;                    /* USERNAME, length 5, no padding */
	attrs[3] = 5;
	memcpy(attrs + 4, "alice", 5);
	n = raw_msg(buf, 0x0001, attrs, 9, -1);
	CHECK_ERR(stun_parse(&m, buf, n), STUN_E_LEN_ALIGN);
	n = raw_msg(buf, 0x0001, attrs, 12, 8);         /* says 8, has 12 */
	CHECK_ERR(stun_parse(&m, buf, n), STUN_E_TRAILING);
	n = raw_msg(buf, 0x0001, attrs, 8, 12);         /* says 12, has 8 */
	CHECK_ERR(stun_parse(&m, buf, n), STUN_E_TRUNCATED);
	n = raw_msg(buf, 0x0001, attrs, 12, 12);
	CHECK_ERR(stun_parse(&m, buf, n), STUN_OK);
	CHECK(stun_span_equal(&m, m.username, "alice", 5));
	attrs[3] = 9;                       /* value runs past the end */
	n = raw_msg(buf, 0x0001, attrs, 12, 12);
	CHECK_ERR(stun_parse(&m, buf, n), STUN_E_ATTR_TRUNCATED);
	attrs[3] = 8;                       /* exactly fills: fine */
	n = raw_msg(buf, 0x0001, attrs, 12, 12);
	CHECK_ERR(stun_parse(&m, buf, n), STUN_OK);
	attrs[2] = 0xff;                    /* 65288 bytes, far past */
	n = raw_msg(buf, 0x0001, attrs, 12, 12);
	CHECK_ERR(stun_parse(&m, buf, n), STUN_E_ATTR_TRUNCATED);
	attrs[2] = 0;

	/* padding content is not looked at */
	attrs[3] = 5;
	attrs[9] = 0xaa;
	attrs[10] = 0xbb;
	attrs[11] = 0xcc;
	n = raw_msg(buf, 0x0001, attrs, 12, -1);
	CHECK_ERR(stun_parse(&m, buf, n), STUN_OK);
	CHECK(stun_span_equal(&m, m.username, "alice", 5));

	/* too long for STUN_MSG_MAX (the largest length field, all there) */
	memset(buf, 0, sizeof(buf));
	n = raw_msg(buf, 0x0001, attrs, 0, 65532);
	CHECK_ERR(stun_parse(&m, buf, 20 + 65532), STUN_E_TOO_LONG);
	n = raw_msg(buf, 0x0001, attrs, 0, 65512);  /* 65532 in all: fine */
	buf[20] = 0x80;                            /* one optional attr */
	buf[21] = 0x50;
	buf[22] = (65508 >> 8);
	buf[23] = (65508 & 0xff);
	CHECK_ERR(stun_parse(&m, buf, 20 + 65512), STUN_OK);

	/* every known attribute's length rule */
	CHECK_ERR(one_attr(STUN_A_XOR_MAPPED_ADDRESS, 7, 7, 0x01),
		  STUN_E_ATTR_LEN);
	CHECK_ERR(one_attr(STUN_A_XOR_MAPPED_ADDRESS, 3, 3, 0x01),
		  STUN_E_ATTR_LEN);
	{
		uint8_t v[20] = { 0, STUN_AF_IPV4 };

		CHECK_ERR(one_attr_value(STUN_A_XOR_MAPPED_ADDRESS, v, 8),
			  STUN_OK);
		CHECK_ERR(one_attr_value(STUN_A_XOR_MAPPED_ADDRESS, v, 20),
			  STUN_E_ATTR_LEN);
		CHECK_ERR(one_attr_value(STUN_A_XOR_RELAYED_ADDRESS, v, 12),
			  STUN_E_ATTR_LEN);
		v[1] = STUN_AF_IPV6;
		CHECK_ERR(one_attr_value(STUN_A_XOR_PEER_ADDRESS, v, 20),
			  STUN_OK);
		CHECK_ERR(one_attr_value(STUN_A_XOR_PEER_ADDRESS, v, 8),
			  STUN_E_ATTR_LEN);
		CHECK_ERR(one_attr_value(STUN_A_MAPPED_ADDRESS, v, 16),
			  STUN_E_ATTR_LEN);
		v[1] = 3;
		CHECK_ERR(one_attr_value(STUN_A_XOR_MAPPED_ADDRESS, v, 8),
			  STUN_E_ATTR_VALUE);
		v[1] = 0;
		CHECK_ERR(one_attr_value(STUN_A_ALTERNATE_SERVER, v, 8),
			  STUN_E_ATTR_VALUE);
		v[0] = 0xff;                /* the reserved octet is ignored */
		v[1] = STUN_AF_IPV4;
		CHECK_ERR(one_attr_value(STUN_A_MAPPED_ADDRESS, v, 8),
			  STUN_OK);
	}
	{
		static const struct {
			uint16_t type;
			uint16_t good, bad1, bad2;
		} fixed[] = {
			{ STUN_A_LIFETIME, 4, 3, 5 },
			{ STUN_A_PRIORITY, 4, 0, 8 },
			{ STUN_A_CHANNEL_NUMBER, 4, 2, 6 },
			{ STUN_A_REQUESTED_TRANSPORT, 4, 1, 8 },
			{ STUN_A_REQUESTED_ADDRESS_FAMILY, 4, 1, 5 },
			{ STUN_A_ADDITIONAL_ADDRESS_FAMILY, 4, 0, 8 },
			{ STUN_A_EVEN_PORT, 1, 0, 4 },
			{ STUN_A_DONT_FRAGMENT, 0, 1, 4 },
			{ STUN_A_USE_CANDIDATE, 0, 4, 8 },
			{ STUN_A_RESERVATION_TOKEN, 8, 4, 12 },
			{ STUN_A_USERHASH, 32, 31, 33 },
			{ STUN_A_ICE_CONTROLLED, 8, 4, 16 },
			{ STUN_A_ICE_CONTROLLING, 8, 7, 9 },
			{ STUN_A_MESSAGE_INTEGRITY, 20, 16, 32 },
			{ STUN_A_MESSAGE_INTEGRITY_SHA256, 16, 12, 36 },
			{ STUN_A_MESSAGE_INTEGRITY_SHA256, 32, 18, 0 },
			{ STUN_A_ERROR_CODE, 4, 3, 0 },
			{ STUN_A_UNKNOWN_ATTRIBUTES, 2, 3, 1 },
		};

		for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
			uint8_t fill = fixed[i].type == STUN_A_ERROR_CODE ?
				       4 : 0;

			CHECK_ERR(one_attr(fixed[i].type, fixed[i].good,
					   fixed[i].good, fill), STUN_OK);
			CHECK_ERR(one_attr(fixed[i].type, fixed[i].bad1,
					   fixed[i].bad1, fill),
				  STUN_E_ATTR_LEN);
			CHECK_ERR(one_attr(fixed[i].type, fixed[i].bad2,
					   fixed[i].bad2, fill),
				  STUN_E_ATTR_LEN);
		}
		/* FINGERPRINT has its own: wrong length, and a value of 0 */
		CHECK_ERR(one_attr(STUN_A_FINGERPRINT, 8, 8, 0),
			  STUN_E_ATTR_LEN);
		CHECK_ERR(one_attr(STUN_A_FINGERPRINT, 4, 4, 0),
			  STUN_E_FINGERPRINT);
	}

	/* text limits */
	CHECK_ERR(one_attr(STUN_A_USERNAME, 512, 512, 'u'), STUN_OK);
	CHECK_ERR(one_attr(STUN_A_USERNAME, 513, 513, 'u'), STUN_E_ATTR_LEN);
	CHECK_ERR(one_attr(STUN_A_REALM, 763, 763, 'r'), STUN_OK);
	CHECK_ERR(one_attr(STUN_A_REALM, 764, 764, 'r'), STUN_E_ATTR_LEN);
	CHECK_ERR(one_attr(STUN_A_NONCE, 764, 764, 'n'), STUN_E_ATTR_LEN);
	CHECK_ERR(one_attr(STUN_A_SOFTWARE, 764, 764, 's'), STUN_E_ATTR_LEN);
	CHECK_ERR(one_attr(STUN_A_ALTERNATE_DOMAIN, 256, 256, 'd'),
		  STUN_E_ATTR_LEN);
	CHECK_ERR(one_attr(STUN_A_DATA, 1500, 1500, 'x'), STUN_OK);

	/* ERROR-CODE: class 3..6, number 0..99, reason <= 763 */
	{
		uint8_t v[800] = { 0, 0, 4, 1 };

		CHECK_ERR(one_attr_value(STUN_A_ERROR_CODE, v, 4), STUN_OK);
		v[2] = 2;
		CHECK_ERR(one_attr_value(STUN_A_ERROR_CODE, v, 4),
			  STUN_E_ATTR_VALUE);
		v[2] = 7;
		CHECK_ERR(one_attr_value(STUN_A_ERROR_CODE, v, 4),
			  STUN_E_ATTR_VALUE);
		v[2] = 0xf8 | 6;          /* reserved bits ignored: class 6 */
		CHECK_ERR(one_attr_value(STUN_A_ERROR_CODE, v, 4), STUN_OK);
		v[2] = 4;
		v[3] = 100;
		CHECK_ERR(one_attr_value(STUN_A_ERROR_CODE, v, 4),
			  STUN_E_ATTR_VALUE);
		v[3] = 99;
		memset(v + 4, 'e', 764);
		CHECK_ERR(one_attr_value(STUN_A_ERROR_CODE, v, 4 + 763),
			  STUN_OK);
		CHECK_ERR(one_attr_value(STUN_A_ERROR_CODE, v, 4 + 764),
			  STUN_E_ATTR_LEN);
	}

	/* PASSWORD-ALGORITHMS / PASSWORD-ALGORITHM */
	{
		uint8_t v[16] = { 0, 1, 0, 0, 0, 2, 0, 0 };

		CHECK_ERR(one_attr_value(STUN_A_PASSWORD_ALGORITHMS, v, 8),
			  STUN_OK);
		CHECK_ERR(one_attr_value(STUN_A_PASSWORD_ALGORITHMS, v, 0),
			  STUN_E_ATTR_LEN);
		CHECK_ERR(one_attr_value(STUN_A_PASSWORD_ALGORITHMS, v, 6),
			  STUN_E_ATTR_LEN);
		v[7] = 4;                 /* parameters run past the end */
		CHECK_ERR(one_attr_value(STUN_A_PASSWORD_ALGORITHMS, v, 8),
			  STUN_E_ATTR_LEN);
		CHECK_ERR(one_attr_value(STUN_A_PASSWORD_ALGORITHMS, v, 12),
			  STUN_OK);
		v[3] = 1;                 /* 1 byte of parameters, padded */
		v[7] = 0;
		CHECK_ERR(one_attr_value(STUN_A_PASSWORD_ALGORITHM, v, 5),
			  STUN_OK);
		CHECK_ERR(one_attr_value(STUN_A_PASSWORD_ALGORITHM, v, 8),
			  STUN_OK);
		CHECK_ERR(one_attr_value(STUN_A_PASSWORD_ALGORITHM, v, 4),
			  STUN_E_ATTR_LEN);
		CHECK_ERR(one_attr_value(STUN_A_PASSWORD_ALGORITHM, v, 12),
			  STUN_E_ATTR_LEN);
		CHECK_ERR(one_attr_value(STUN_A_PASSWORD_ALGORITHM, v, 2),
			  STUN_E_ATTR_LEN);
	}

	/* more peers than kept */
	stun_writer_init(&w, buf, 4096, TURN_CREATE_PERMISSION, STUN_REQUEST,
			 tid_a);
	for (int i = 0; i < STUN_MAX_PEERS; i++) {
		struct stun_addr p = v4addr("198.51.100.1", (uint16_t)i);

		stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &p);
	}
	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
	CHECK(m.n_peers == STUN_MAX_PEERS && m.peers[7].port == 7);
	{
		struct stun_addr p = v4addr("198.51.100.1", 99);

		stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &p);
	}
	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_E_TOO_MANY_PEERS);

	/* FINGERPRINT: nothing after it; its value checked */
	stun_writer_init(&w, good, sizeof(good), STUN_BINDING, STUN_REQUEST,
			 tid_a);
	stun_put_str(&w, STUN_A_SOFTWARE, "x");
	stun_put_fingerprint(&w);
	glen = w.len;
	CHECK_ERR(stun_parse(&m, good, glen), STUN_OK);
	memcpy(buf, good, glen);
	buf[glen] = 0x80;                   /* SOFTWARE after FINGERPRINT */
	buf[glen + 1] = 0x22;
	buf[glen + 2] = 0;
	buf[glen + 3] = 0;
	buf[3] += 4;
	CHECK_ERR(stun_parse(&m, buf, glen + 4), STUN_E_AFTER_FINGERPRINT);
	memcpy(buf, good, glen);
	buf[glen - 1] ^= 1;
	CHECK_ERR(stun_parse(&m, buf, glen), STUN_E_FINGERPRINT);
	memcpy(buf, good, glen);
	buf[24] ^= 0x20;                    /* "x" -> "X": the CRC sees it */
	CHECK_ERR(stun_parse(&m, buf, glen), STUN_E_FINGERPRINT);

	/* every truncation of a full message is refused, none read past */
	stun_writer_init(&w, good, sizeof(good), TURN_ALLOCATE, STUN_REQUEST,
			 tid_a);
	stun_put_str(&w, STUN_A_USERNAME, "alice");
	stun_put_requested_transport(&w, 17);
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	glen = w.len;
	for (size_t len = 0; len < glen; len++) {
		uint8_t *copy = malloc(len ? len : 1);

		memcpy(copy, good, len);
		CHECK_ERR(stun_parse(&m, copy, len), STUN_E_TRUNCATED);
		free(copy);
	}
	/* every single-bit flip before the FINGERPRINT attribute is refused
	 * (a flip in its own header may turn it into another attribute);
	 * ASan watches every one */
	for (size_t bit = 0; bit < glen * 8; bit++) {
		uint8_t *copy = malloc(glen);

		memcpy(copy, good, glen);
		copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		if (stun_parse(&m, copy, glen) == STUN_OK && bit < (glen - 8) * 8)
			CHECK(!"a flipped bit passed");
		free(copy);
	}
}

/* ---- integrity ----------------------------------------------------------- */

/* Appends a raw attribute after the last one and fixes the length. */
static size_t append_raw(uint8_t *buf, size_t len, uint16_t type,
			 const void *v, uint16_t vlen)
{
	size_t padded = (vlen + 3u) & ~3u;

	buf[len] = (uint8_t)(type >> 8);
	buf[len + 1] = (uint8_t)type;
	buf[len + 2] = (uint8_t)(vlen >> 8);
	buf[len + 3] = (uint8_t)vlen;
	memcpy(buf + len + 4, v, vlen);
	memset(buf + len + 4 + vlen, 0, padded - vlen);
	len += 4 + padded;
	buf[2] = (uint8_t)((len - 20) >> 8);
	buf[3] = (uint8_t)(len - 20);
	return len;
}

static void case_integrity(void)
{
	uint8_t buf[512];
	struct stun_writer w;
	struct stun_msg m;
	struct stun_key k, other;
	size_t len;

	stun_key_init(&k, "0123456789abcdef", 16);
	stun_key_init(&other, "fedcba9876543210", 16);

	/* MESSAGE-INTEGRITY alone */
	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_REQUEST,
			 tid_a);
	stun_put_str(&w, STUN_A_USERNAME, "alice");
	stun_put_integrity(&w, &k);
	CHECK_ERR(w.err, STUN_OK);
	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
	CHECK_ERR(stun_check_integrity(&m, &k), STUN_OK);
	CHECK_ERR(stun_check_integrity(&m, &other), STUN_E_INTEGRITY);
	buf[25] ^= 1;                       /* "alice" -> "aliCe"-ish */
	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
	CHECK_ERR(stun_check_integrity(&m, &k), STUN_E_INTEGRITY);
	buf[25] ^= 1;
	buf[9] ^= 1;                        /* the transaction id is covered */
	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
	CHECK_ERR(stun_check_integrity(&m, &k), STUN_E_INTEGRITY);
	buf[9] ^= 1;

	/* what follows MI is ignored, and the MI still checks */
	len = append_raw(buf, w.len, STUN_A_USERNAME, "mallory", 7);
	len = append_raw(buf, len, 0x0003, "\0\0\0\0", 4);
	len = append_raw(buf, len, STUN_A_LIFETIME, "\0\0\0\1", 4);
	CHECK_ERR(stun_parse(&m, buf, len), STUN_OK);
	CHECK(stun_span_equal(&m, m.username, "alice", 5));
	CHECK(m.n_ignored == 3 && m.n_unknown == 0 &&
	      !(m.have & STUN_HAVE_LIFETIME));
	CHECK_ERR(stun_check_integrity(&m, &k), STUN_OK);
	/* ... and a FINGERPRINT after them covers them */
	{
		uint32_t crc;
		uint8_t fp[4];

		buf[2] = (uint8_t)((len + 8 - 20) >> 8);
		buf[3] = (uint8_t)(len + 8 - 20);
		crc = stun_crc32(0, buf, len) ^ STUN_FINGERPRINT_XOR;
		fp[0] = (uint8_t)(crc >> 24);
		fp[1] = (uint8_t)(crc >> 16);
		fp[2] = (uint8_t)(crc >> 8);
		fp[3] = (uint8_t)crc;
		len = append_raw(buf, len, STUN_A_FINGERPRINT, fp, 4);
		CHECK_ERR(stun_parse(&m, buf, len), STUN_OK);
		CHECK(m.fp_at == len - 8 && m.n_ignored == 3);
		CHECK_ERR(stun_check_integrity(&m, &k), STUN_OK);
	}

	/* MI-SHA256 of every allowed length; tampering found */
	for (size_t l = STUN_MI256_MIN; l <= STUN_MI256_MAX; l += 4) {
		stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH,
				 STUN_REQUEST, tid_a);
		stun_put_u32(&w, STUN_A_LIFETIME, 0);
		stun_put_integrity_sha256(&w, &k, l);
		stun_put_fingerprint(&w);
		CHECK_ERR(w.err, STUN_OK);
		CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
		CHECK(m.mi256_len == l && m.mi_at == 0);
		CHECK_ERR(stun_check_integrity(&m, &k), STUN_OK);
		CHECK_ERR(stun_check_integrity(&m, &other), STUN_E_INTEGRITY);
	}
	stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH, STUN_REQUEST,
			 tid_a);
	stun_put_u32(&w, STUN_A_LIFETIME, 0);
	stun_put_integrity_sha256(&w, &k, 32);
	buf[w.len - 1] ^= 0x80;
	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
	CHECK_ERR(stun_check_integrity(&m, &k), STUN_E_INTEGRITY);

	/* both: MI-SHA256 is the one that counts (an MI made with another
	 * key does not matter), and it covers the MI */
	stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH, STUN_REQUEST,
			 tid_a);
	stun_put_u32(&w, STUN_A_LIFETIME, 0);
	stun_put_integrity(&w, &other);
	stun_put_integrity_sha256(&w, &k, 16);
	CHECK_ERR(w.err, STUN_OK);
	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
	CHECK(m.mi_at != 0 && m.mi256_at == m.mi_at + 24);
	CHECK_ERR(stun_check_integrity(&m, &k), STUN_OK);
	CHECK_ERR(stun_check_integrity(&m, &other), STUN_E_INTEGRITY);
	buf[m.mi_at + 4] ^= 1;
	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
	CHECK_ERR(stun_check_integrity(&m, &k), STUN_E_INTEGRITY);

	/* after MI-SHA256 an MI is ignored */
	stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH, STUN_REQUEST,
			 tid_a);
	stun_put_integrity_sha256(&w, &k, 16);
	len = append_raw(buf, w.len, STUN_A_MESSAGE_INTEGRITY,
			 "01234567890123456789", 20);
	CHECK_ERR(stun_parse(&m, buf, len), STUN_OK);
	CHECK(m.mi_at == 0 && m.n_ignored == 1);
	CHECK_ERR(stun_check_integrity(&m, &k), STUN_OK);

	/* none */
	stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH, STUN_REQUEST,
			 tid_a);
	stun_put_fingerprint(&w);
	CHECK_ERR(stun_parse(&m, buf, w.len), STUN_OK);
	CHECK_ERR(stun_check_integrity(&m, &k), STUN_E_NO_INTEGRITY);

	/* the writer's order rules */
	stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH, STUN_REQUEST,
			 tid_a);
	stun_put_integrity(&w, &k);
	len = w.len;
	CHECK_ERR(stun_put_u32(&w, STUN_A_LIFETIME, 0), STUN_E_ORDER);
	CHECK(w.len == len);
	CHECK_ERR(stun_put_fingerprint(&w), STUN_E_ORDER);  /* sticky */
	stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH, STUN_REQUEST,
			 tid_a);
	stun_put_integrity_sha256(&w, &k, 16);
	CHECK_ERR(stun_put_integrity(&w, &k), STUN_E_ORDER);
	stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH, STUN_REQUEST,
			 tid_a);
	stun_put_fingerprint(&w);
	CHECK_ERR(stun_put_integrity_sha256(&w, &k, 16), STUN_E_ORDER);
	stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH, STUN_REQUEST,
			 tid_a);
	stun_put_fingerprint(&w);
	CHECK_ERR(stun_put_fingerprint(&w), STUN_E_ORDER);
	stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH, STUN_REQUEST,
			 tid_a);
	CHECK_ERR(stun_put(&w, STUN_A_MESSAGE_INTEGRITY, buf, 20),
		  STUN_E_ATTR_VALUE);
	stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH, STUN_REQUEST,
			 tid_a);
	CHECK_ERR(stun_put(&w, STUN_A_FINGERPRINT, buf, 4), STUN_E_ATTR_VALUE);
	stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH, STUN_REQUEST,
			 tid_a);
	CHECK_ERR(stun_put_integrity_sha256(&w, &k, 18), STUN_E_ATTR_LEN);
	stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH, STUN_REQUEST,
			 tid_a);
	CHECK_ERR(stun_put_integrity_sha256(&w, &k, 36), STUN_E_ATTR_LEN);

	/* the prepared-key HMACs against OpenSSL's HMAC(), keys 0..100
	 * bytes (past the block size), data 0..150 bytes */
	{
		uint8_t key[100], data[150], a[32], b[32];
		unsigned blen;
		struct stun_key pk;

		for (size_t i = 0; i < sizeof(key); i++)
			key[i] = (uint8_t)(i * 7 + 1);
		for (size_t i = 0; i < sizeof(data); i++)
			data[i] = (uint8_t)(i * 13 + 5);
		for (size_t kl = 0; kl <= sizeof(key); kl += 5) {
			stun_key_init(&pk, key, kl);
			for (size_t dl = 0; dl <= sizeof(data); dl += 7) {
				stun_hmac_sha1(&pk, data, dl, a);
				HMAC(EVP_sha1(), key, (int)kl, data, dl, b,
				     &blen);
				CHECK(blen == 20 && memcmp(a, b, 20) == 0);
				stun_hmac_sha256(&pk, data, dl, a);
				HMAC(EVP_sha256(), key, (int)kl, data, dl, b,
				     &blen);
				CHECK(blen == 32 && memcmp(a, b, 32) == 0);
			}
		}
		stun_key_clear(&pk);
		for (size_t i = 0; i < sizeof(pk.sha1_inner) / 8; i++)
			CHECK(pk.sha1_inner[i] == 0);
	}
}

/* ---- fingerprint --------------------------------------------------------- */

static uint32_t crc32_bitwise(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void case_fingerprint(void)
{
	uint8_t buf[300], msg[256];
	struct stun_writer w;
	struct stun_msg m;

	CHECK(stun_crc32(0, "123456789", 9) == 0xCBF43926u);
	CHECK(stun_crc32(0, "", 0) == 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 151 + 7);
	for (size_t start = 0; start < 8; start++)
		for (size_t n = 0; n + start <= 200; n++)
			if (stun_crc32(0, buf + start, n) !=
			    crc32_bitwise(buf + start, n)) {
				CHECK(!"crc32 differs from the reference");
				return;
			}
	/* continued in pieces = all at once */
	CHECK(stun_crc32(stun_crc32(0, buf, 77), buf + 77, 100) ==
	      stun_crc32(0, buf, 177));

	stun_writer_init(&w, msg, sizeof(msg), STUN_BINDING, STUN_REQUEST,
			 tid_a);
	stun_put_str(&w, STUN_A_SOFTWARE, "fingerprinted");
	stun_put_fingerprint(&w);
	CHECK_ERR(w.err, STUN_OK);
	CHECK_ERR(stun_parse(&m, msg, w.len), STUN_OK);
	CHECK(m.fp_at == w.len - 8);
	/* the value is the CRC of what precedes it, length counting it */
	{
		uint32_t want = crc32_bitwise(msg, w.len - 8) ^ 0x5354554Eu;
		uint32_t got = (uint32_t)msg[w.len - 4] << 24 |
			       (uint32_t)msg[w.len - 3] << 16 |
			       (uint32_t)msg[w.len - 2] << 8 | msg[w.len - 1];

		CHECK(got == want);
	}
	for (size_t i = 0; i < w.len; i++)
		for (int bit = 0; bit < 8; bit++) {
			enum stun_err e;

			msg[i] ^= (uint8_t)(1u << bit);
			e = stun_parse(&m, msg, w.len);
			msg[i] ^= (uint8_t)(1u << bit);
			/* a flip in FINGERPRINT's own type may make it
			 * another attribute: then it is no FINGERPRINT */
			if (e == STUN_OK &&
			    (m.have & STUN_HAVE_FINGERPRINT)) {
				fprintf(stderr, "byte %zu bit %d\n", i, bit);
				CHECK(!"a flipped bit passed FINGERPRINT");
			}
		}
}

/* ---- writer bounds ------------------------------------------------------- */

static size_t build_sample(uint8_t *buf, size_t cap, enum stun_err *err)
{
	struct stun_addr relayed = v6addr("2001:db8::1", 24000);
	struct stun_addr mapped = v4addr("203.0.113.9", 50000);
	struct stun_writer w;
	struct stun_key k;

	stun_key_init(&k, "k", 1);
	stun_writer_init(&w, buf, cap, TURN_ALLOCATE, STUN_SUCCESS, tid_a);
	stun_put_xor_addr(&w, STUN_A_XOR_RELAYED_ADDRESS, &relayed);
	stun_put_xor_addr(&w, STUN_A_XOR_MAPPED_ADDRESS, &mapped);
	stun_put_u32(&w, STUN_A_LIFETIME, 600);
	stun_put_str(&w, STUN_A_SOFTWARE, "abcde");
	stun_put_integrity(&w, &k);
	stun_put_integrity_sha256(&w, &k, 20);
	stun_put_fingerprint(&w);
	*err = w.err;
	return w.len;
}

static void case_writer(void)
{
	uint8_t full[512];
	enum stun_err e;
	size_t flen = build_sample(full, sizeof(full), &e);
	struct stun_writer w;
	struct stun_msg m;

	CHECK_ERR(e, STUN_OK);
	CHECK_ERR(stun_parse(&m, full, flen), STUN_OK);
	for (size_t cap = 0; cap < flen; cap++) {
		/* an exactly-sized heap buffer: ASan sees any write past it */
		uint8_t *b = malloc(cap ? cap : 1);
		size_t len = build_sample(b, cap, &e);

		CHECK_ERR(e, STUN_E_NO_SPACE);
		CHECK(len <= cap);
		/* what was written is a consistent (shorter) message */
		if (len >= 20)
			CHECK(stun_parse(&m, b, len) == STUN_OK);
		free(b);
	}
	{
		uint8_t *b = malloc(flen);
		size_t len = build_sample(b, flen, &e);

		CHECK_ERR(e, STUN_OK);
		CHECK(len == flen && memcmp(b, full, flen) == 0);
		free(b);
	}

	/* sticky: a failed put stops the rest */
	stun_writer_init(&w, full, 30, STUN_BINDING, STUN_REQUEST, tid_a);
	CHECK_ERR(stun_put_str(&w, STUN_A_SOFTWARE, "too long for it"),
		  STUN_E_NO_SPACE);
	CHECK_ERR(stun_put(&w, STUN_A_DONT_FRAGMENT, NULL, 0),
		  STUN_E_NO_SPACE);
	CHECK(w.len == 20);
	stun_writer_init(&w, NULL, 0, STUN_BINDING, STUN_REQUEST, tid_a);
	CHECK_ERR(w.err, STUN_E_NO_SPACE);
	stun_writer_init(&w, full, sizeof(full), STUN_BINDING, STUN_REQUEST,
			 tid_a);
	{
		struct stun_addr bad = { .family = 3 };

		CHECK_ERR(stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &bad),
			  STUN_E_ATTR_VALUE);
		CHECK(w.len == 20);
	}
	/* an attribute value over 65535 bytes */
	{
		static uint8_t big[70000], src[65536];

		stun_writer_init(&w, big, sizeof(big), TURN_SEND,
				 STUN_INDICATION, tid_a);
		CHECK_ERR(stun_put(&w, STUN_A_DATA, src, 65536),
			  STUN_E_ATTR_LEN);
		stun_writer_init(&w, big, sizeof(big), TURN_SEND,
				 STUN_INDICATION, tid_a);
		CHECK_ERR(stun_put(&w, STUN_A_DATA, src, 65520),
			  STUN_E_NO_SPACE);       /* message over 65535 */
		stun_writer_init(&w, big, sizeof(big), TURN_SEND,
				 STUN_INDICATION, tid_a);
		CHECK_ERR(stun_put(&w, STUN_A_DATA, src, 65508),
			  STUN_OK);
		CHECK(w.len == 65532);
	}
}

/* ---- ChannelData --------------------------------------------------------- */

static void case_channel(void)
{
	uint8_t buf[64], data[9] = "123456789";
	struct turn_channel_data cd;
	size_t n, frame;

	/* write and parse, padded and not */
	for (size_t dl = 0; dl <= 9; dl++)
		for (int pad = 0; pad < 2; pad++) {
			n = turn_channel_data_write(buf, sizeof(buf), 0x4001,
						    data, dl, pad);
			CHECK(n == 4 + (pad ? (dl + 3) & ~(size_t)3 : dl));
			CHECK_ERR(turn_channel_data_parse(&cd, buf, n),
				  STUN_OK);
			CHECK(cd.channel == 0x4001 && cd.len == dl &&
			      cd.data == buf + 4 &&
			      memcmp(cd.data, data, dl) == 0);
			CHECK(stun_classify(buf, n) ==
			      (n >= 4 ? STUN_KIND_CHANNEL_DATA :
				      STUN_KIND_OTHER));
		}
	/* the bounds of the channel range */
	n = turn_channel_data_write(buf, sizeof(buf), 0x4000, data, 4, false);
	CHECK_ERR(turn_channel_data_parse(&cd, buf, n), STUN_OK);
	n = turn_channel_data_write(buf, sizeof(buf), 0x4FFF, data, 4, false);
	CHECK_ERR(turn_channel_data_parse(&cd, buf, n), STUN_OK);
	n = turn_channel_data_write(buf, sizeof(buf), 0x7FFF, data, 4, false);
	CHECK_ERR(turn_channel_data_parse(&cd, buf, n), STUN_OK);
	n = turn_channel_data_write(buf, sizeof(buf), 0x8000, data, 4, false);
	CHECK_ERR(turn_channel_data_parse(&cd, buf, n), STUN_E_CHANNEL);
	n = turn_channel_data_write(buf, sizeof(buf), 0x3FFF, data, 4, false);
	CHECK_ERR(turn_channel_data_parse(&cd, buf, n), STUN_E_CHANNEL);
	CHECK(turn_channel_valid(0x7FFF) && turn_channel_valid(0x4ABC) &&
	      !turn_channel_valid(0x8000) && !turn_channel_valid(0x3FFF));
	/* short, and padding rules */
	n = turn_channel_data_write(buf, sizeof(buf), 0x4000, data, 5, false);
	for (size_t len = 0; len < n; len++)
		CHECK_ERR(turn_channel_data_parse(&cd, buf, len),
			  STUN_E_TRUNCATED);
	CHECK_ERR(turn_channel_data_parse(&cd, buf, n + 1),
		  STUN_E_CHANNEL_PADDING);
	CHECK_ERR(turn_channel_data_parse(&cd, buf, n + 2),
		  STUN_E_CHANNEL_PADDING);
	CHECK_ERR(turn_channel_data_parse(&cd, buf, n + 3), STUN_OK);
	CHECK_ERR(turn_channel_data_parse(&cd, buf, n + 4),
		  STUN_E_CHANNEL_PADDING);
	n = turn_channel_data_write(buf, sizeof(buf), 0x4000, data, 8, false);
	CHECK_ERR(turn_channel_data_parse(&cd, buf, n + 1),
		  STUN_E_CHANNEL_PADDING);
	CHECK_ERR(turn_channel_data_parse(&cd, buf, n + 4),
		  STUN_E_CHANNEL_PADDING);
	/* the writer: too small, in place (data already after the header) */
	CHECK(turn_channel_data_write(buf, 8, 0x4000, data, 5, false) == 0);
	CHECK(turn_channel_data_write(buf, 9, 0x4000, data, 5, false) == 9);
	CHECK(turn_channel_data_write(buf, 9, 0x4000, data, 5, true) == 0);
	memcpy(buf + 4, "abcdef", 6);
	n = turn_channel_data_write(buf, sizeof(buf), 0x4321, buf + 4, 6,
				    true);
	CHECK(n == 12 && memcmp(buf + 4, "abcdef\0\0", 8) == 0);
	{
		uint8_t hdr[4];

		turn_channel_data_header(hdr, 0x4321, 6);
		CHECK(memcmp(hdr, buf, 4) == 0);
	}

	/* classify */
	CHECK(stun_classify(rfc5769_request, sizeof(rfc5769_request)) ==
	      STUN_KIND_STUN);
	CHECK(stun_classify(rfc5769_request, 19) == STUN_KIND_OTHER);
	{
		uint8_t rtp[12] = { 0x80, 0x00 };
		uint8_t old[20] = { 0x00, 0x01 };   /* RFC 3489: no cookie */

		CHECK(stun_classify(rtp, sizeof(rtp)) == STUN_KIND_OTHER);
		CHECK(stun_classify(old, sizeof(old)) == STUN_KIND_OTHER);
	}

	/* stream framing */
	CHECK(stun_frame_len(rfc5769_request, 3, &frame) == 0);
	CHECK(stun_frame_len(rfc5769_request, 4, &frame) == 1 &&
	      frame == sizeof(rfc5769_request));
	n = turn_channel_data_write(buf, sizeof(buf), 0x4000, data, 5, false);
	CHECK(stun_frame_len(buf, n, &frame) == 1 && frame == 12);
	buf[0] = 0x80;
	CHECK(stun_frame_len(buf, n, &frame) == -1);
}

/* ---- Data indication header ---------------------------------------------- */

static void case_data_indication(void)
{
	static uint8_t a[STUN_MSG_MAX + 8], b[STUN_MSG_MAX + 8];
	struct stun_addr peers[2] = { v4addr("203.0.113.7", 5004),
				      v6addr("2001:db8::7", 5006) };
	struct stun_writer w;
	struct stun_msg m;
	uint8_t data[16];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(0x40 + i);
	for (int p = 0; p < 2; p++)
		for (size_t n = 0; n <= sizeof(data); n++) {
			size_t h = turn_data_indication_header(a, sizeof(a),
							       tid_a, &peers[p],
							       n);
			size_t total = h + ((n + 3) & ~(size_t)3);

			CHECK(h == (p == 0 ? 36u : 48u));
			memcpy(a + h, data, n);
			memset(a + h + n, 0, total - h - n);
			stun_writer_init(&w, b, sizeof(b), TURN_DATA,
					 STUN_INDICATION, tid_a);
			stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS,
					  &peers[p]);
			stun_put(&w, STUN_A_DATA, data, n);
			CHECK_ERR(w.err, STUN_OK);
			CHECK_BYTES("Data indication", a, total, b, w.len);
			CHECK_ERR(stun_parse(&m, a, total), STUN_OK);
			CHECK(m.data.off == h && m.data.len == n);
		}
	/* the largest payload, one more, a small buffer, a bad family */
	CHECK(turn_data_indication_header(a, sizeof(a), tid_a, &peers[0],
					  65496) == 36);
	memset(a + 36, 0, 65496);
	CHECK_ERR(stun_parse(&m, a, 36 + 65496), STUN_OK);
	CHECK(turn_data_indication_header(a, sizeof(a), tid_a, &peers[0],
					  65497) == 0);
	CHECK(turn_data_indication_header(a, 35, tid_a, &peers[0], 1) == 0);
	CHECK(turn_data_indication_header(a, 48, tid_a, &peers[1], 1) == 48);
	peers[1].family = 0;
	CHECK(turn_data_indication_header(a, sizeof(a), tid_a, &peers[1],
					  1) == 0);
}

/* ---- USERHASH ------------------------------------------------------------ */

static void case_userhash(void)
{
	uint8_t got[32], want[32];
	unsigned wlen;

	stun_userhash("alice", 5, "relay.example", 13, got);
	EVP_Digest("alice:relay.example", 19, want, &wlen, EVP_sha256(), NULL);
	CHECK(wlen == 32 && memcmp(got, want, 32) == 0);
	stun_userhash(lt_username, strlen(lt_username), lt_realm,
		      strlen(lt_realm), got);
	{
		char in[64];
		int n = snprintf(in, sizeof(in), "%s:%s", lt_username,
				 lt_realm);

		EVP_Digest(in, (size_t)n, want, &wlen, EVP_sha256(), NULL);
		CHECK(memcmp(got, want, 32) == 0);
	}
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{ "rfc5769", case_rfc5769 },
	{ "type", case_type },
	{ "roundtrip", case_roundtrip },
	{ "unknown", case_unknown },
	{ "malformed", case_malformed },
	{ "integrity", case_integrity },
	{ "fingerprint", case_fingerprint },
	{ "writer", case_writer },
	{ "channel", case_channel },
	{ "data-indication", case_data_indication },
	{ "userhash", case_userhash },
};

int main(int argc, char **argv)
{
	size_t ran = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (argc < 2 || strcmp(argv[1], cases[i].name) == 0) {
			cases[i].fn();
			ran++;
		}
	if (ran == 0) {
		fprintf(stderr, "usage: %s [CASE]\n", argv[0]);
		return 2;
	}
	if (failures != 0) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("ok\n");
	return 0;
}
