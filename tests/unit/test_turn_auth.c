/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_turn_auth.c — dataplane/stun/turn_auth.c:
 *
 *   test_turn_auth CASE
 *
 *   longterm-key  MD5 and SHA-256 long-term keys against EVP digests
 *   nonce         made and checked: ok, stale at and after its expiry,
 *                 bad for another client (address, port, family), for
 *                 every altered character, for another secret; the
 *                 cookie and feature encoding; rotation
 *   pw-algorithm  the RFC 8489 §9.2.4 checks of PASSWORD-ALGORITHM(S)
 *   rest          TURN REST credentials: the password against HMAC()
 *                 and base64 by OpenSSL, valid / expired / malformed /
 *                 tampered usernames, and a whole Allocate verified with
 *                 the derived key
 *   policy        every default-denied range (first and last address,
 *                 and the neighbours outside), the appliance's own
 *                 addresses, allowed_peers exemptions, every IPv6
 *                 spelling of a denied IPv4 address, the IPv6 ranges
 *   prefix        turn_prefix_parse and turn_prefix_from_ipv4
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

static struct stun_addr addr_of(const char *s, uint16_t port)
{
	struct stun_addr a = { .port = port };

	if (inet_pton(AF_INET, s, &a.ip.v4) == 1) {
		a.family = STUN_AF_IPV4;
		return a;
	}
	if (inet_pton(AF_INET6, s, a.ip.v6) == 1) {
		a.family = STUN_AF_IPV6;
		return a;
	}
	fprintf(stderr, "bad address in test: %s\n", s);
	abort();
}

/* ---- long-term keys ------------------------------------------------------ */

static void case_longterm_key(void)
{
	uint8_t key[TURN_KEY_MAX], want[EVP_MAX_MD_SIZE];
	unsigned wlen;
	size_t n;

	n = turn_longterm_key(STUN_PWALG_MD5, "alice", 5, "relay.example", 13,
			      "s3cret", 6, key);
	EVP_Digest("alice:relay.example:s3cret", 26, want, &wlen, EVP_md5(),
		   NULL);
	CHECK(n == 16 && wlen == 16 && memcmp(key, want, 16) == 0);
	n = turn_longterm_key(STUN_PWALG_SHA256, "alice", 5, "relay.example",
			      13, "s3cret", 6, key);
	EVP_Digest("alice:relay.example:s3cret", 26, want, &wlen,
		   EVP_sha256(), NULL);
	CHECK(n == 32 && wlen == 32 && memcmp(key, want, 32) == 0);
	CHECK(turn_longterm_key(0x0003, "a", 1, "b", 1, "c", 1, key) == 0);
	CHECK(turn_longterm_key(0x0000, "a", 1, "b", 1, "c", 1, key) == 0);
	/* empty parts are still separated: "::" */
	n = turn_longterm_key(STUN_PWALG_MD5, "", 0, "", 0, "", 0, key);
	EVP_Digest("::", 2, want, &wlen, EVP_md5(), NULL);
	CHECK(n == 16 && memcmp(key, want, 16) == 0);
}

/* ---- nonces -------------------------------------------------------------- */

static void case_nonce(void)
{
	static const char secret[] = "0123456789abcdef0123456789abcdef";
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct stun_addr c4 = addr_of("203.0.113.20", 50000);
	struct stun_addr c6 = addr_of("2001:db8::20", 50000);
	struct stun_addr other;
	struct turn_nonce_keys k, k2, rot, rot2;
	char n[TURN_NONCE_LEN + 1], alt[TURN_NONCE_LEN + 1];
	uint32_t f = 0;

	turn_nonce_keys_init(&k, secret, 32);
	turn_nonce_keys_init(&k2, "another secret, also 32 bytes...", 32);

	turn_nonce_make(&k, TURN_FEATURE_PASSWORD_ALGORITHMS, 1700000600, &c4,
			n);
	n[TURN_NONCE_LEN] = '\0';
	CHECK(strncmp(n, "obMatJos2gAAA", 13) == 0);
	CHECK(strncmp(n + 13, "6553f358", 8) == 0);   /* 1700000600 */
	for (int i = 21; i < TURN_NONCE_LEN; i++)
		CHECK(strchr(b64, n[i]) != NULL);
	CHECK(turn_nonce_check(&k, n, TURN_NONCE_LEN, &c4, 1700000000, &f) ==
	      TURN_NONCE_OK);
	CHECK(f == TURN_FEATURE_PASSWORD_ALGORITHMS);
	CHECK(turn_nonce_check(&k, n, TURN_NONCE_LEN, &c4, 1700000599,
			       NULL) == TURN_NONCE_OK);
	f = 0;
	CHECK(turn_nonce_check(&k, n, TURN_NONCE_LEN, &c4, 1700000600, &f) ==
	      TURN_NONCE_STALE);
	CHECK(f == TURN_FEATURE_PASSWORD_ALGORITHMS);
	CHECK(turn_nonce_check(&k, n, TURN_NONCE_LEN, &c4, UINT64_MAX,
			       NULL) == TURN_NONCE_STALE);

	/* the feature encodings of RFC 8489 §9.2 */
	turn_nonce_make(&k, 0, 1, &c4, alt);
	CHECK(strncmp(alt, "obMatJos2AAAA", 13) == 0);
	turn_nonce_make(&k, TURN_FEATURE_PASSWORD_ALGORITHMS |
			TURN_FEATURE_USERNAME_ANONYMITY, 1, &c4, alt);
	CHECK(strncmp(alt, "obMatJos2wAAA", 13) == 0);
	CHECK(turn_nonce_check(&k, alt, TURN_NONCE_LEN, &c4, 0, &f) ==
	      TURN_NONCE_OK && f == 0xC00000);
	turn_nonce_make(&k, 0xFFFFFF, 0xFFFFFFFF, &c4, alt);
	CHECK(strncmp(alt, "obMatJos2////ffffffff", 21) == 0);
	turn_nonce_make(&k, 0, UINT64_MAX, &c4, alt);   /* capped */
	CHECK(strncmp(alt + 13, "ffffffff", 8) == 0);

	/* another client */
	other = c4;
	other.port++;
	CHECK(turn_nonce_check(&k, n, TURN_NONCE_LEN, &other, 0, NULL) ==
	      TURN_NONCE_BAD);
	other = addr_of("203.0.113.21", 50000);
	CHECK(turn_nonce_check(&k, n, TURN_NONCE_LEN, &other, 0, NULL) ==
	      TURN_NONCE_BAD);
	other = addr_of("::ffff:203.0.113.20", 50000);
	CHECK(turn_nonce_check(&k, n, TURN_NONCE_LEN, &other, 0, NULL) ==
	      TURN_NONCE_BAD);
	other.family = 7;
	CHECK(turn_nonce_check(&k, n, TURN_NONCE_LEN, &other, 0, NULL) ==
	      TURN_NONCE_BAD);
	/* IPv6 clients */
	turn_nonce_make(&k, 0, 100, &c6, alt);
	CHECK(turn_nonce_check(&k, alt, TURN_NONCE_LEN, &c6, 99, NULL) ==
	      TURN_NONCE_OK);
	other = c6;
	other.ip.v6[15] ^= 1;
	CHECK(turn_nonce_check(&k, alt, TURN_NONCE_LEN, &other, 99, NULL) ==
	      TURN_NONCE_BAD);

	/* every character altered, to another valid one and to garbage:
	 * never OK (a later expiry in particular: the MAC covers it) */
	for (int i = 0; i < TURN_NONCE_LEN; i++) {
		static const char repl[] = { 'A', 'f', '0', '/', '+', '=', ' ',
					     '\0', '\x80', 'z' };

		for (size_t r = 0; r < sizeof(repl); r++) {
			if (repl[r] == n[i])
				continue;
			memcpy(alt, n, sizeof(alt));
			alt[i] = repl[r];
			if (turn_nonce_check(&k, alt, TURN_NONCE_LEN, &c4, 0,
					     NULL) != TURN_NONCE_BAD) {
				fprintf(stderr, "char %d -> %02x\n", i,
					(uint8_t)repl[r]);
				CHECK(!"an altered nonce passed");
			}
		}
	}
	/* lengths, prefix, foreign nonces */
	CHECK(turn_nonce_check(&k, n, TURN_NONCE_LEN - 1, &c4, 0, NULL) ==
	      TURN_NONCE_BAD);
	memcpy(alt, n, sizeof(alt));
	CHECK(turn_nonce_check(&k, alt, TURN_NONCE_LEN + 1, &c4, 0, NULL) ==
	      TURN_NONCE_BAD);
	CHECK(turn_nonce_check(&k, "", 0, &c4, 0, NULL) == TURN_NONCE_BAD);
	CHECK(turn_nonce_check(&k, "f//499k954d6OL34oL9FSTvy64sA", 28, &c4, 0,
			       NULL) == TURN_NONCE_BAD);
	CHECK(turn_nonce_check(&k2, n, TURN_NONCE_LEN, &c4, 0, NULL) ==
	      TURN_NONCE_BAD);

	/* rotation: the previous secret still validates, not the one before */
	turn_nonce_keys_rotate(&rot, &k, "the next secret, 32 bytes long..",
			       32);
	CHECK(turn_nonce_check(&rot, n, TURN_NONCE_LEN, &c4, 0, NULL) ==
	      TURN_NONCE_OK);
	turn_nonce_make(&rot, 0, 100, &c4, alt);
	CHECK(turn_nonce_check(&rot, alt, TURN_NONCE_LEN, &c4, 0, NULL) ==
	      TURN_NONCE_OK);
	CHECK(turn_nonce_check(&k, alt, TURN_NONCE_LEN, &c4, 0, NULL) ==
	      TURN_NONCE_BAD);
	turn_nonce_keys_rotate(&rot2, &rot, "and the one after that, 32 bytes",
			       32);
	CHECK(turn_nonce_check(&rot2, alt, TURN_NONCE_LEN, &c4, 0, NULL) ==
	      TURN_NONCE_OK);
	CHECK(turn_nonce_check(&rot2, n, TURN_NONCE_LEN, &c4, 0, NULL) ==
	      TURN_NONCE_BAD);
	CHECK(strcmp(turn_nonce_status_name(TURN_NONCE_STALE), "stale") == 0);
}

/* ---- PASSWORD-ALGORITHM(S) ----------------------------------------------- */

static const uint8_t tid[12] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2 };

/* A request with the list (n algs, n < 0: none) and the choice (0: none). */
static void pw_request(struct stun_msg *m, uint8_t *buf, size_t cap,
		       const uint16_t *algs, int n, uint16_t choice)
{
	struct stun_writer w;

	stun_writer_init(&w, buf, cap, TURN_ALLOCATE, STUN_REQUEST, tid);
	if (n >= 0)
		stun_put_password_algorithms(&w, algs, (unsigned)n);
	if (choice != 0)
		stun_put_password_algorithm(&w, choice);
	if (w.err != STUN_OK || stun_parse(m, buf, w.len) != STUN_OK)
		abort();
}

static void case_pw_algorithm(void)
{
	static const uint16_t offered[2] = { STUN_PWALG_SHA256,
					     STUN_PWALG_MD5 };
	static const uint16_t reversed[2] = { STUN_PWALG_MD5,
					      STUN_PWALG_SHA256 };
	const uint32_t pa = TURN_FEATURE_PASSWORD_ALGORITHMS;
	uint8_t buf[256];
	struct stun_msg m;
	uint16_t alg;

	/* neither: MD5, with or without the feature */
	pw_request(&m, buf, sizeof(buf), NULL, -1, 0);
	alg = 0;
	CHECK(turn_password_algorithm(&m, pa, offered, 2, &alg) == STUN_OK &&
	      alg == STUN_PWALG_MD5);
	alg = 0;
	CHECK(turn_password_algorithm(&m, 0, offered, 2, &alg) == STUN_OK &&
	      alg == STUN_PWALG_MD5);
	/* both, matching */
	pw_request(&m, buf, sizeof(buf), offered, 2, STUN_PWALG_SHA256);
	CHECK(turn_password_algorithm(&m, pa, offered, 2, &alg) == STUN_OK &&
	      alg == STUN_PWALG_SHA256);
	pw_request(&m, buf, sizeof(buf), offered, 2, STUN_PWALG_MD5);
	CHECK(turn_password_algorithm(&m, pa, offered, 2, &alg) == STUN_OK &&
	      alg == STUN_PWALG_MD5);
	/* without the feature in the nonce, the attributes do not count */
	pw_request(&m, buf, sizeof(buf), offered, 2, STUN_PWALG_SHA256);
	CHECK(turn_password_algorithm(&m, 0, offered, 2, &alg) == STUN_OK &&
	      alg == STUN_PWALG_MD5);
	/* one without the other */
	pw_request(&m, buf, sizeof(buf), offered, 2, 0);
	CHECK(turn_password_algorithm(&m, pa, offered, 2, &alg) ==
	      STUN_E_ATTR_VALUE);
	pw_request(&m, buf, sizeof(buf), NULL, -1, STUN_PWALG_SHA256);
	CHECK(turn_password_algorithm(&m, pa, offered, 2, &alg) ==
	      STUN_E_ATTR_VALUE);
	/* the list altered (order, a missing entry: a bid-down) */
	pw_request(&m, buf, sizeof(buf), reversed, 2, STUN_PWALG_SHA256);
	CHECK(turn_password_algorithm(&m, pa, offered, 2, &alg) ==
	      STUN_E_ATTR_VALUE);
	pw_request(&m, buf, sizeof(buf), reversed, 1, STUN_PWALG_MD5);
	CHECK(turn_password_algorithm(&m, pa, offered, 2, &alg) ==
	      STUN_E_ATTR_VALUE);
	/* a choice not offered */
	pw_request(&m, buf, sizeof(buf), offered, 2, 0x0003);
	CHECK(turn_password_algorithm(&m, pa, offered, 2, &alg) ==
	      STUN_E_ATTR_VALUE);
}

/* ---- TURN REST ----------------------------------------------------------- */

static void case_rest(void)
{
	static const char secret[] = "north-pole-shared-secret";
	static const char user[] = "1700000000:alice";
	struct stun_key sk;
	char pass[TURN_REST_PASSWORD_LEN + 1];
	unsigned char mac[20], want[64];
	unsigned mlen;
	uint64_t e = 0;

	stun_key_init(&sk, secret, strlen(secret));
	turn_rest_password(&sk, user, strlen(user), pass);
	pass[TURN_REST_PASSWORD_LEN] = '\0';
	HMAC(EVP_sha1(), secret, (int)strlen(secret),
	     (const unsigned char *)user, strlen(user), mac, &mlen);
	CHECK(EVP_EncodeBlock(want, mac, 20) == TURN_REST_PASSWORD_LEN);
	CHECK(mlen == 20 && strcmp(pass, (const char *)want) == 0);
	CHECK(pass[27] == '=');

	/* expiry parsing */
	CHECK(turn_rest_expiry(user, strlen(user), &e) == TURN_REST_OK &&
	      e == 1700000000);
	CHECK(turn_rest_expiry("1700000000", 10, &e) == TURN_REST_OK &&
	      e == 1700000000);
	CHECK(turn_rest_expiry("0:x", 3, &e) == TURN_REST_OK && e == 0);
	CHECK(turn_rest_expiry("18446744073709551615:x", 22, &e) ==
	      TURN_REST_OK && e == UINT64_MAX);
	CHECK(turn_rest_expiry("18446744073709551616:x", 22, &e) ==
	      TURN_REST_MALFORMED);
	CHECK(turn_rest_expiry("", 0, &e) == TURN_REST_MALFORMED);
	CHECK(turn_rest_expiry(":alice", 6, &e) == TURN_REST_MALFORMED);
	CHECK(turn_rest_expiry("alice", 5, &e) == TURN_REST_MALFORMED);
	CHECK(turn_rest_expiry("17e9:alice", 10, &e) == TURN_REST_MALFORMED);
	CHECK(turn_rest_expiry(" 1700000000:a", 13, &e) ==
	      TURN_REST_MALFORMED);
	CHECK(turn_rest_expiry("-1:a", 4, &e) == TURN_REST_MALFORMED);
	CHECK(turn_rest_expiry("+1:a", 4, &e) == TURN_REST_MALFORMED);
	/* the time check */
	CHECK(turn_rest_check(user, strlen(user), 1699999999) ==
	      TURN_REST_OK);
	CHECK(turn_rest_check(user, strlen(user), 1700000000) ==
	      TURN_REST_EXPIRED);
	CHECK(turn_rest_check(user, strlen(user), 1800000000) ==
	      TURN_REST_EXPIRED);
	CHECK(turn_rest_check("x:alice", 7, 0) == TURN_REST_MALFORMED);
	CHECK(strcmp(turn_rest_status_name(TURN_REST_EXPIRED), "expired") ==
	      0);

	/* a whole Allocate, as a client with the REST password makes it */
	{
		static const char realm[] = "relay.example";
		uint8_t ckey[TURN_KEY_MAX], skey[TURN_KEY_MAX], buf[512];
		struct stun_key client_key, server_key;
		struct stun_writer w;
		struct stun_msg m;
		size_t clen, slen = 0;

		clen = turn_longterm_key(STUN_PWALG_MD5, user, strlen(user),
					 realm, strlen(realm), pass,
					 strlen(pass), ckey);
		stun_key_init(&client_key, ckey, clen);
		stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE,
				 STUN_REQUEST, tid);
		stun_put_str(&w, STUN_A_USERNAME, user);
		stun_put_str(&w, STUN_A_REALM, realm);
		stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
		stun_put_integrity(&w, &client_key);
		stun_put_fingerprint(&w);
		CHECK(w.err == STUN_OK);
		CHECK(stun_parse(&m, buf, w.len) == STUN_OK);

		CHECK(turn_rest_key(&sk, stun_span_ptr(&m, m.username),
				    m.username.len, realm, strlen(realm),
				    STUN_PWALG_MD5, 1690000000, skey, &slen) ==
		      TURN_REST_OK);
		CHECK(slen == clen && memcmp(skey, ckey, clen) == 0);
		stun_key_init(&server_key, skey, slen);
		CHECK(stun_check_integrity(&m, &server_key) == STUN_OK);
		/* expired: refused before any key is made */
		CHECK(turn_rest_key(&sk, stun_span_ptr(&m, m.username),
				    m.username.len, realm, strlen(realm),
				    STUN_PWALG_MD5, 1700000001, skey, &slen) ==
		      TURN_REST_EXPIRED);
		/* SHA-256 key for PASSWORD-ALGORITHM SHA-256 */
		CHECK(turn_rest_key(&sk, user, strlen(user), realm,
				    strlen(realm), STUN_PWALG_SHA256, 0, skey,
				    &slen) == TURN_REST_OK && slen == 32);
		CHECK(turn_rest_key(&sk, user, strlen(user), realm,
				    strlen(realm), 7, 0, skey, &slen) ==
		      TURN_REST_MALFORMED);

		/* tampered: a later expiry in the username gives another
		 * password, so the client's MESSAGE-INTEGRITY fails */
		{
			static const char later[] = "1900000000:alice";
			struct stun_key k2;

			CHECK(turn_rest_key(&sk, later, strlen(later), realm,
					    strlen(realm), STUN_PWALG_MD5,
					    1690000000, skey, &slen) ==
			      TURN_REST_OK);
			stun_key_init(&k2, skey, slen);
			stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE,
					 STUN_REQUEST, tid);
			stun_put_str(&w, STUN_A_USERNAME, later);
			stun_put_str(&w, STUN_A_REALM, realm);
			stun_put_integrity(&w, &client_key);
			CHECK(stun_parse(&m, buf, w.len) == STUN_OK);
			CHECK(stun_check_integrity(&m, &k2) ==
			      STUN_E_INTEGRITY);
		}
		/* another secret */
		{
			struct stun_key other;

			stun_key_init(&other, "not the secret", 14);
			CHECK(turn_rest_key(&other, user, strlen(user), realm,
					    strlen(realm), STUN_PWALG_MD5, 0,
					    skey, &slen) == TURN_REST_OK);
			CHECK(memcmp(skey, ckey, 16) != 0);
		}
	}
}

/* ---- peer policy --------------------------------------------------------- */

static enum turn_peer_verdict verdict(const struct turn_peer_policy *p,
				      const char *addr)
{
	struct stun_addr a = addr_of(addr, 3478);

	return turn_peer_check(p, &a, NULL);
}

/* The IPv4 address v4 (host order) in every IPv6 spelling the policy
 * normalises: all must reach want. */
static void check_v4_forms(const struct turn_peer_policy *p, uint32_t v4,
			   enum turn_peer_verdict want)
{
	static const uint8_t prefixes[4][12] = {
		{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff },   /* mapped */
		{ 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0 },   /* translated */
		{ 0, 0x64, 0xff, 0x9b },                         /* NAT64 */
		{ 0 },                                           /* compatible */
	};
	struct stun_addr a = stun_addr_v4(htonl(v4), 1);

	if (turn_peer_check(p, &a, NULL) != want) {
		fprintf(stderr, "%08x: %s\n", v4,
			turn_peer_verdict_name(turn_peer_check(p, &a, NULL)));
		CHECK(!"IPv4 verdict");
	}
	for (int i = 0; i < 4; i++) {
		struct stun_addr b = { .family = STUN_AF_IPV6, .port = 1 };
		uint32_t be = htonl(v4);

		if (i == 3 && v4 <= 1)
			continue;    /* :: and ::1 are IPv6's own */
		memcpy(b.ip.v6, prefixes[i], 12);
		memcpy(b.ip.v6 + 12, &be, 4);
		if (turn_peer_check(p, &b, NULL) != want) {
			fprintf(stderr, "%08x in form %d: %s\n", v4, i,
				turn_peer_verdict_name(turn_peer_check(p, &b,
								       NULL)));
			CHECK(!"IPv6 spelling of IPv4 reached another verdict");
		}
	}
}

static void case_policy(void)
{
	static const struct {
		uint32_t net;
		unsigned len;
	} denied4[] = {
		{ 0x00000000, 8 },  { 0x0A000000, 8 },  { 0x64400000, 10 },
		{ 0x7F000000, 8 },  { 0xA9FE0000, 16 }, { 0xAC100000, 12 },
		{ 0xC0000000, 24 }, { 0xC0000200, 24 }, { 0xC0A80000, 16 },
		{ 0xC6120000, 15 }, { 0xC6336400, 24 }, { 0xCB007100, 24 },
		{ 0xE0000000, 4 },  { 0xF0000000, 4 },
	};
	static const char *const denied6[] = {
		"::", "::1", "fe80::1", "febf:ffff::1", "fc00::1", "fd12:3456::1",
		"ff02::1", "ff0e::1", "2001:db8::1", "2001:db8:ffff::1",
		"2001::1", "2001:1ff:ffff::1", "2002:a00:1::1", "64:ff9b:1::1",
		"100::1", "fec0::1", "3fff::1", "3fff:fff::1", "4000::1",
		"8000::1", "1::1", "5f00::1", "::2:0:0:1",
	};
	static const char *const allowed6[] = {
		"2a00:1450:4001::1", "2001:200::1", "2c0f::1", "3ffe::1",
		"2001:db9::1", "3fff:1000::1",
	};
	struct turn_peer_policy p, ex;
	struct turn_prefix pfx;
	struct stun_addr a;
	const char *why;

	turn_peer_policy_init(&p);

	/* every listed IPv4 range: its first and last address denied, in
	 * every spelling; the addresses just outside allowed unless they
	 * fall in a neighbour */
	for (size_t i = 0; i < sizeof(denied4) / sizeof(denied4[0]); i++) {
		uint32_t size = denied4[i].len == 0 ? 0 :
				UINT32_C(1) << (32 - denied4[i].len);
		uint32_t first = denied4[i].net, last = first + size - 1;

		check_v4_forms(&p, first, TURN_PEER_DENIED);
		check_v4_forms(&p, last, TURN_PEER_DENIED);
		check_v4_forms(&p, first + size / 2, TURN_PEER_DENIED);
		a = stun_addr_v4(htonl(first), 1);
		turn_peer_check(&p, &a, &why);
		CHECK(why != NULL);
	}
	check_v4_forms(&p, 0x01000000, TURN_PEER_ALLOWED);  /* 1.0.0.0 */
	check_v4_forms(&p, 0x09FFFFFF, TURN_PEER_ALLOWED);  /* 9.255.255.255 */
	check_v4_forms(&p, 0x0B000000, TURN_PEER_ALLOWED);  /* 11.0.0.0 */
	check_v4_forms(&p, 0x643FFFFF, TURN_PEER_ALLOWED);  /* 100.63.255.255 */
	check_v4_forms(&p, 0x64800000, TURN_PEER_ALLOWED);  /* 100.128.0.0 */
	check_v4_forms(&p, 0x7EFFFFFF, TURN_PEER_ALLOWED);
	check_v4_forms(&p, 0x80000000, TURN_PEER_ALLOWED);
	check_v4_forms(&p, 0xA9FDFFFF, TURN_PEER_ALLOWED);
	check_v4_forms(&p, 0xA9FF0000, TURN_PEER_ALLOWED);
	check_v4_forms(&p, 0xAC0FFFFF, TURN_PEER_ALLOWED);
	check_v4_forms(&p, 0xAC200000, TURN_PEER_ALLOWED);  /* 172.32.0.0 */
	check_v4_forms(&p, 0xC0000100, TURN_PEER_ALLOWED);  /* 192.0.1.0 */
	check_v4_forms(&p, 0xC0000300, TURN_PEER_ALLOWED);  /* 192.0.3.0 */
	check_v4_forms(&p, 0xC0A7FFFF, TURN_PEER_ALLOWED);
	check_v4_forms(&p, 0xC0A90000, TURN_PEER_ALLOWED);
	check_v4_forms(&p, 0xC611FFFF, TURN_PEER_ALLOWED);  /* 198.17.255.255 */
	check_v4_forms(&p, 0xC6140000, TURN_PEER_ALLOWED);  /* 198.20.0.0 */
	check_v4_forms(&p, 0xC63363FF, TURN_PEER_ALLOWED);
	check_v4_forms(&p, 0xC6336500, TURN_PEER_ALLOWED);
	check_v4_forms(&p, 0xCB0070FF, TURN_PEER_ALLOWED);
	check_v4_forms(&p, 0xCB007200, TURN_PEER_ALLOWED);
	check_v4_forms(&p, 0xDFFFFFFF, TURN_PEER_ALLOWED);  /* 223.255.255.255 */
	check_v4_forms(&p, 0x08080808, TURN_PEER_ALLOWED);

	a = addr_of("10.1.2.3", 1);
	CHECK(turn_peer_check(&p, &a, &why) == TURN_PEER_DENIED &&
	      strcmp(why, "10.0.0.0/8 private") == 0);
	a = addr_of("::ffff:127.0.0.1", 1);
	CHECK(turn_peer_check(&p, &a, &why) == TURN_PEER_DENIED &&
	      strcmp(why, "127.0.0.0/8 loopback") == 0);
	a = addr_of("8.8.8.8", 1);
	why = "x";
	CHECK(turn_peer_check(&p, &a, &why) == TURN_PEER_ALLOWED &&
	      why == NULL);

	/* IPv6 */
	for (size_t i = 0; i < sizeof(denied6) / sizeof(denied6[0]); i++)
		if (verdict(&p, denied6[i]) != TURN_PEER_DENIED) {
			fprintf(stderr, "%s\n", denied6[i]);
			CHECK(!"IPv6 address not denied");
		}
	for (size_t i = 0; i < sizeof(allowed6) / sizeof(allowed6[0]); i++)
		if (verdict(&p, allowed6[i]) != TURN_PEER_ALLOWED) {
			fprintf(stderr, "%s\n", allowed6[i]);
			CHECK(!"IPv6 address denied");
		}
	a = addr_of("fe80::1", 1);
	CHECK(turn_peer_check(&p, &a, &why) == TURN_PEER_DENIED &&
	      strcmp(why, "fe80::/10 link-local") == 0);
	a = addr_of("4000::1", 1);
	CHECK(turn_peer_check(&p, &a, &why) == TURN_PEER_DENIED &&
	      strcmp(why, "outside 2000::/3 global unicast") == 0);
	a.family = 9;
	CHECK(turn_peer_check(&p, &a, &why) == TURN_PEER_DENIED);

	/* normalisation itself */
	{
		struct stun_addr in = addr_of("::ffff:192.0.2.1", 77), out;

		turn_peer_normalise(&in, &out);
		CHECK(out.family == STUN_AF_IPV4 && out.port == 77 &&
		      out.ip.v4 == htonl(0xC0000201));
		in = addr_of("64:ff9b::8.8.4.4", 1);
		turn_peer_normalise(&in, &out);
		CHECK(out.family == STUN_AF_IPV4 &&
		      out.ip.v4 == htonl(0x08080404));
		in = addr_of("::1", 1);
		turn_peer_normalise(&in, &out);
		CHECK(out.family == STUN_AF_IPV6 && stun_addr_equal(&in, &out));
		in = addr_of("2001:db8::1", 1);
		turn_peer_normalise(&in, &out);
		CHECK(stun_addr_equal(&in, &out));
	}

	/* allowed_peers: the tests' documentation ranges exempted */
	turn_peer_policy_init(&ex);
	CHECK(turn_prefix_parse("198.51.100.0/24", &pfx) == 0);
	CHECK(turn_peer_policy_allow(&ex, &pfx) == 0);
	CHECK(turn_prefix_parse("192.0.2.0/24", &pfx) == 0);
	CHECK(turn_peer_policy_allow(&ex, &pfx) == 0);
	CHECK(turn_prefix_parse("2001:db8:1::/48", &pfx) == 0);
	CHECK(turn_peer_policy_allow(&ex, &pfx) == 0);
	CHECK(turn_prefix_parse("10.20.0.0/16", &pfx) == 0);
	CHECK(turn_peer_policy_allow(&ex, &pfx) == 0);
	check_v4_forms(&ex, 0xC6336407, TURN_PEER_EXEMPTED);   /* .7 */
	check_v4_forms(&ex, 0xC0000205, TURN_PEER_EXEMPTED);
	check_v4_forms(&ex, 0x0A140001, TURN_PEER_EXEMPTED);   /* 10.20.0.1 */
	check_v4_forms(&ex, 0x0A150001, TURN_PEER_DENIED);     /* 10.21.0.1 */
	check_v4_forms(&ex, 0xCB007105, TURN_PEER_DENIED);     /* TEST-NET-3 */
	check_v4_forms(&ex, 0x08080808, TURN_PEER_ALLOWED);
	CHECK(verdict(&ex, "2001:db8:1::5") == TURN_PEER_EXEMPTED);
	CHECK(verdict(&ex, "2001:db8:2::5") == TURN_PEER_DENIED);
	CHECK(turn_peer_permitted(TURN_PEER_EXEMPTED) &&
	      turn_peer_permitted(TURN_PEER_ALLOWED) &&
	      !turn_peer_permitted(TURN_PEER_DENIED) &&
	      !turn_peer_permitted(TURN_PEER_DENIED_OWN));

	/* the appliance's own addresses: denied even inside allowed_peers,
	 * and in every spelling */
	a = addr_of("192.0.2.10", 0);
	CHECK(turn_peer_policy_add_own(&ex, &a) == 0);
	a = addr_of("203.0.113.10", 0);            /* public NAT address */
	CHECK(turn_peer_policy_add_own(&ex, &a) == 0);
	a = addr_of("2001:db8:1::10", 0);
	CHECK(turn_peer_policy_add_own(&ex, &a) == 0);
	check_v4_forms(&ex, 0xC000020A, TURN_PEER_DENIED_OWN);
	check_v4_forms(&ex, 0xCB00710A, TURN_PEER_DENIED_OWN);
	check_v4_forms(&ex, 0xC000020B, TURN_PEER_EXEMPTED);
	CHECK(verdict(&ex, "2001:db8:1::10") == TURN_PEER_DENIED_OWN);
	CHECK(verdict(&ex, "2001:db8:1::11") == TURN_PEER_EXEMPTED);
	a = addr_of("::ffff:192.0.2.10", 0);       /* added as mapped */
	turn_peer_policy_init(&p);
	CHECK(turn_peer_policy_add_own(&p, &a) == 0);
	check_v4_forms(&p, 0xC000020A, TURN_PEER_DENIED_OWN);
	/* a public own address is denied too, not only documentation */
	a = addr_of("8.8.8.8", 0);
	CHECK(turn_peer_policy_add_own(&p, &a) == 0);
	check_v4_forms(&p, 0x08080808, TURN_PEER_DENIED_OWN);
	check_v4_forms(&p, 0x08080809, TURN_PEER_ALLOWED);

	/* capacity */
	turn_peer_policy_init(&p);
	for (int i = 0; i < TURN_POLICY_MAX_ALLOWED; i++)
		CHECK(turn_peer_policy_allow(&p, &pfx) == 0);
	CHECK(turn_peer_policy_allow(&p, &pfx) == -1);
	for (int i = 0; i < TURN_POLICY_MAX_OWN; i++)
		CHECK(turn_peer_policy_add_own(&p, &a) == 0);
	CHECK(turn_peer_policy_add_own(&p, &a) == -1);
}

static void case_prefix(void)
{
	static const char *const bad[] = {
		"", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.1/8",
		"10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8x", " 10.0.0.0/8",
		"10.0.0/8", "::/129", "2001:db8::1/32", "fe80::/ 10",
		"10.0.0.0/08a", "10.0.0.0/99999999999999999999", "host/8",
		"2001:db8::/32/1",
	};
	struct turn_prefix p, q;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (turn_prefix_parse(bad[i], &p) != -1) {
			fprintf(stderr, "accepted: \"%s\"\n", bad[i]);
			CHECK(!"a bad prefix was accepted");
		}
	CHECK(turn_prefix_parse("10.0.0.0/8", &p) == 0 && p.len == 104 &&
	      p.addr[10] == 0xff && p.addr[11] == 0xff && p.addr[12] == 10);
	turn_prefix_from_ipv4(&q, htonl(0x0A000000), 8);
	CHECK(memcmp(&p, &q, sizeof(p)) == 0);
	turn_prefix_from_ipv4(&q, htonl(0x0A0000FF), 8);  /* host bits cut */
	CHECK(memcmp(&p, &q, sizeof(p)) == 0);
	CHECK(turn_prefix_parse("192.0.2.1", &p) == 0 && p.len == 128);
	CHECK(turn_prefix_parse("0.0.0.0/0", &p) == 0 && p.len == 96);
	CHECK(turn_prefix_parse("::/0", &p) == 0 && p.len == 0);
	CHECK(turn_prefix_parse("2001:db8::/32", &p) == 0 && p.len == 32 &&
	      p.addr[0] == 0x20 && p.addr[3] == 0xb8);
	CHECK(turn_prefix_parse("fe80::/10", &p) == 0 && p.len == 10);
	CHECK(turn_prefix_parse("::ffff:10.0.0.0/104", &p) == 0);
	turn_prefix_from_ipv4(&q, htonl(0x0A000000), 8);
	CHECK(memcmp(&p, &q, sizeof(p)) == 0);
	CHECK(turn_prefix_parse("2001:db8::1", &p) == 0 && p.len == 128);
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{ "longterm-key", case_longterm_key },
	{ "nonce", case_nonce },
	{ "pw-algorithm", case_pw_algorithm },
	{ "rest", case_rest },
	{ "policy", case_policy },
	{ "prefix", case_prefix },
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
