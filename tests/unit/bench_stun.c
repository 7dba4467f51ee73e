/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_stun.c — what the TURN stage's codec work costs on one core:
 *
 *   allocate        the whole authenticated Allocate the way the dataplane
 *                   will do it: parse the request (FINGERPRINT checked),
 *                   validate its NONCE (HMAC-SHA256), check its
 *                   MESSAGE-INTEGRITY with the credential's prepared key,
 *                   judge nothing else, build the success response
 *                   (XOR-RELAYED-ADDRESS, XOR-MAPPED-ADDRESS, LIFETIME,
 *                   MESSAGE-INTEGRITY, FINGERPRINT)
 *   allocate-rest   the same with a TURN REST username whose key is
 *                   derived per request (HMAC-SHA1, MD5, key preparation)
 *   parse           stun_parse alone (with the FINGERPRINT CRC)
 *   verify          stun_check_integrity alone (prepared key)
 *   verify-oneshot  the same HMAC through OpenSSL's HMAC() per message,
 *                   as a codec without prepared keys would do it
 *   build           the success response alone
 *   nonce           turn_nonce_check alone
 *   peer-check      turn_peer_check on an IPv4-mapped IPv6 peer
 *   channel-data    turn_channel_data_parse of a 172-byte frame (G.711)
 *
 * Each is run in trials of N operations timed with CLOCK_MONOTONIC; the
 * median trial is reported as ns per operation and operations per second
 * on this one thread. Figures, never a verdict: the exit status is 1 only
 * when a functional check fails (a step did not return OK, the response
 * does not parse or verify).
 *
 *   bench_stun [--quick] [--trials N] [--ops N]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "stun.h"
#include "turn_auth.h"

#define NOW 1700000000u

static unsigned long errors;

static const char realm[] = "relay.example";
static struct stun_key cred_key, rest_secret;
static struct turn_nonce_keys nonce_keys;
static struct turn_peer_policy policy;
static uint8_t raw_key[TURN_KEY_MAX];
static struct stun_addr client, relayed, peer;
static uint8_t request[256], request_rest[256], chdata[256];
static size_t request_len, request_rest_len, chdata_len;
static uint8_t response[256];
static volatile size_t sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static size_t build_request(uint8_t *buf, size_t cap, const char *user,
			    const struct stun_key *k, const char *nonce)
{
	static const uint8_t tid[12] = { 'b', 'e', 'n', 'c', 'h', 1, 2, 3, 4,
					 5, 6, 7 };
	struct stun_writer w;

	stun_writer_init(&w, buf, cap, TURN_ALLOCATE, STUN_REQUEST, tid);
	stun_put_str(&w, STUN_A_USERNAME, user);
	stun_put_str(&w, STUN_A_REALM, realm);
	stun_put(&w, STUN_A_NONCE, nonce, TURN_NONCE_LEN);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	stun_put_u32(&w, STUN_A_LIFETIME, 600);
	stun_put_integrity(&w, k);
	stun_put_fingerprint(&w);
	if (w.err != STUN_OK) {
		fprintf(stderr, "FAIL: request: %s\n", stun_strerror(w.err));
		exit(1);
	}
	return w.len;
}

static void setup(void)
{
	char nonce[TURN_NONCE_LEN];
	uint8_t k[TURN_KEY_MAX];
	struct turn_prefix p;
	size_t n;

	client = stun_addr_v4(htonl(0xC6336414), 50000);   /* 198.51.100.20 */
	relayed = stun_addr_v4(htonl(0xC000020A), 24000);  /* 192.0.2.10 */
	peer.family = STUN_AF_IPV6;                        /* ::ffff:8.8.8.8 */
	peer.port = 5004;
	memcpy(peer.ip.v6, "\0\0\0\0\0\0\0\0\0\0\xff\xff\x08\x08\x08\x08", 16);

	n = turn_longterm_key(STUN_PWALG_MD5, "alice", 5, realm,
			      strlen(realm), "s3cret", 6, raw_key);
	stun_key_init(&cred_key, raw_key, n);
	stun_key_init(&rest_secret, "rest shared secret", 18);
	turn_nonce_keys_init(&nonce_keys, "a nonce secret of 32 bytes......",
			     32);
	turn_nonce_make(&nonce_keys, TURN_FEATURE_PASSWORD_ALGORITHMS,
			NOW + 3600, &client, nonce);
	turn_peer_policy_init(&policy);
	if (turn_prefix_parse("198.51.100.0/24", &p) != 0 ||
	    turn_peer_policy_allow(&policy, &p) != 0 ||
	    turn_peer_policy_add_own(&policy, &relayed) != 0)
		exit(1);

	request_len = build_request(request, sizeof(request), "alice",
				    &cred_key, nonce);
	{
		static const char user[] = "1700086400:alice";
		char pass[TURN_REST_PASSWORD_LEN];
		struct stun_key rk;

		turn_rest_password(&rest_secret, user, strlen(user), pass);
		n = turn_longterm_key(STUN_PWALG_MD5, user, strlen(user),
				      realm, strlen(realm), pass, sizeof(pass),
				      k);
		stun_key_init(&rk, k, n);
		request_rest_len = build_request(request_rest,
						 sizeof(request_rest), user,
						 &rk, nonce);
	}
	{
		uint8_t payload[172];

		memset(payload, 0xd5, sizeof(payload));
		chdata_len = turn_channel_data_write(chdata, sizeof(chdata),
						     0x4000, payload,
						     sizeof(payload), true);
	}
}

static size_t build_response(const struct stun_msg *req,
			     const struct stun_key *k)
{
	struct stun_writer w;

	stun_writer_init_response(&w, response, sizeof(response), req,
				  STUN_SUCCESS);
	stun_put_xor_addr(&w, STUN_A_XOR_RELAYED_ADDRESS, &relayed);
	stun_put_xor_addr(&w, STUN_A_XOR_MAPPED_ADDRESS, &client);
	stun_put_u32(&w, STUN_A_LIFETIME, 600);
	stun_put_integrity(&w, k);
	stun_put_fingerprint(&w);
	if (w.err != STUN_OK)
		errors++;
	return w.len;
}

/* ---- the operations ------------------------------------------------------ */

static void op_allocate(void)
{
	struct stun_msg m;

	if (stun_parse(&m, request, request_len) != STUN_OK ||
	    !(m.have & STUN_HAVE_NONCE) ||
	    turn_nonce_check(&nonce_keys, stun_span_ptr(&m, m.nonce),
			     m.nonce.len, &client, NOW, NULL) !=
	    TURN_NONCE_OK ||
	    stun_check_integrity(&m, &cred_key) != STUN_OK) {
		errors++;
		return;
	}
	sink += build_response(&m, &cred_key);
}

static void op_allocate_rest(void)
{
	uint8_t k[TURN_KEY_MAX];
	struct stun_key key;
	struct stun_msg m;
	size_t klen;

	if (stun_parse(&m, request_rest, request_rest_len) != STUN_OK ||
	    turn_nonce_check(&nonce_keys, stun_span_ptr(&m, m.nonce),
			     m.nonce.len, &client, NOW, NULL) !=
	    TURN_NONCE_OK ||
	    turn_rest_key(&rest_secret, stun_span_ptr(&m, m.username),
			  m.username.len, realm, strlen(realm), STUN_PWALG_MD5,
			  NOW, k, &klen) != TURN_REST_OK) {
		errors++;
		return;
	}
	stun_key_init(&key, k, klen);
	if (stun_check_integrity(&m, &key) != STUN_OK) {
		errors++;
		return;
	}
	sink += build_response(&m, &key);
}

static void op_parse(void)
{
	struct stun_msg m;

	if (stun_parse(&m, request, request_len) != STUN_OK)
		errors++;
	sink += m.len;
}

static struct stun_msg parsed;

static void op_verify(void)
{
	if (stun_check_integrity(&parsed, &cred_key) != STUN_OK)
		errors++;
}

static void op_verify_oneshot(void)
{
	uint8_t copy[256], mac[EVP_MAX_MD_SIZE];
	size_t at = parsed.mi_at;
	unsigned len;

	/* the length field as MESSAGE-INTEGRITY sees it */
	memcpy(copy, request, at);
	copy[2] = (uint8_t)((at + 24 - 20) >> 8);
	copy[3] = (uint8_t)(at + 24 - 20);
	HMAC(EVP_sha1(), raw_key, 16, copy, at, mac, &len);
	if (memcmp(mac, request + at + 4, 20) != 0)
		errors++;
}

static void op_build(void)
{
	sink += build_response(&parsed, &cred_key);
}

static void op_nonce(void)
{
	if (turn_nonce_check(&nonce_keys, stun_span_ptr(&parsed, parsed.nonce),
			     parsed.nonce.len, &client, NOW, NULL) !=
	    TURN_NONCE_OK)
		errors++;
}

static void op_peer(void)
{
	if (turn_peer_check(&policy, &peer, NULL) != TURN_PEER_ALLOWED)
		errors++;
}

static void op_channel(void)
{
	struct turn_channel_data cd;

	if (turn_channel_data_parse(&cd, chdata, chdata_len) != STUN_OK)
		errors++;
	sink += cd.len;
}

static const struct {
	const char *name;
	void (*fn)(void);
	unsigned weight;          /* ops per trial relative to --ops */
} ops[] = {
	{ "allocate", op_allocate, 1 },
	{ "allocate-rest", op_allocate_rest, 1 },
	{ "parse", op_parse, 4 },
	{ "verify", op_verify, 2 },
	{ "verify-oneshot", op_verify_oneshot, 1 },
	{ "build", op_build, 2 },
	{ "nonce", op_nonce, 2 },
	{ "peer-check", op_peer, 8 },
	{ "channel-data", op_channel, 16 },
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static long arg_count(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0 || v > 100000000) {
		fprintf(stderr, "not a count: %s\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	long trials = 7, nops = 200000;
	double ns[64];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			trials = 3;
			nops = 10000;
		} else if (strcmp(argv[i], "--trials") == 0 && i + 1 < argc) {
			trials = arg_count(argv[++i]);
			if (trials > 64)
				trials = 64;
		} else if (strcmp(argv[i], "--ops") == 0 && i + 1 < argc) {
			nops = arg_count(argv[++i]);
		} else {
			fprintf(stderr, "usage: %s [--quick] [--trials N] "
				"[--ops N]\n", argv[0]);
			return 2;
		}
	}
	setup();

	/* functional checks first: the response parses and verifies */
	{
		struct stun_msg resp;
		size_t n;

		if (stun_parse(&parsed, request, request_len) != STUN_OK) {
			fprintf(stderr, "FAIL: the request does not parse\n");
			return 1;
		}
		n = build_response(&parsed, &cred_key);
		if (stun_parse(&resp, response, n) != STUN_OK ||
		    stun_check_integrity(&resp, &cred_key) != STUN_OK ||
		    !stun_addr_equal(&resp.xor_relayed, &relayed) ||
		    !stun_addr_equal(&resp.xor_mapped, &client)) {
			fprintf(stderr, "FAIL: the response does not check\n");
			return 1;
		}
		printf("request %zu bytes, response %zu bytes\n", request_len,
		       n);
	}

	printf("%-16s %10s %14s   (median of %ld trials)\n", "operation",
	       "ns/op", "ops/s", trials);
	for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
		long n = nops * ops[o].weight;

		for (long i = 0; i < n / 10; i++)      /* warm up */
			ops[o].fn();
		for (long t = 0; t < trials; t++) {
			double t0 = now_ns();

			for (long i = 0; i < n; i++)
				ops[o].fn();
			ns[t] = (now_ns() - t0) / (double)n;
		}
		qsort(ns, (size_t)trials, sizeof(ns[0]), cmp_double);
		printf("%-16s %10.1f %14.0f\n", ops[o].name, ns[trials / 2],
		       1e9 / ns[trials / 2]);
	}
	if (errors != 0) {
		fprintf(stderr, "FAIL: %lu operations did not return ok\n",
			errors);
		return 1;
	}
	return 0;
}
