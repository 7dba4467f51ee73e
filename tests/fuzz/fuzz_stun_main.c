/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_stun_main.c — a plain driver for fuzz_stun.c, so the harness runs
 * on every build (gcc included) as the unit test stun-fuzz-smoke, and the
 * writer of the libFuzzer seed corpus (tests/fuzz/run_fuzzer.sh
 * --seeds-from).
 *
 * Seeds: the four RFC 5769 vectors and a TURN exchange built by the
 * writer with the harness's key (so that integrity passes before
 * mutation): Allocate with and without credentials, its 401 and success
 * answers, CreatePermission with two peers, ChannelBind, Send and Data
 * indications, a Refresh with USERHASH and MESSAGE-INTEGRITY-SHA256, 420
 * and 300 answers, ChannelData padded and not; some without FINGERPRINT
 * so that mutations get past it. Each is fed as is, then a fixed number of
 * mutations from a fixed seed (bit flips, boundary octets, truncations,
 * inserted, deleted and duplicated spans, splices, and length fields set
 * to edge values). Same seed, same inputs: a failure here reproduces.
 *
 *   fuzz_stun_smoke [-n MUTATIONS_PER_SEED]
 *   fuzz_stun_smoke --write-corpus DIR
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "stun.h"
#include "turn_auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern const char fuzz_stun_key[];
extern unsigned long fuzz_stun_accepted;

#define DEFAULT_MUTATIONS 20000
#define MAX_INPUT 1024
#define MAX_SEEDS 32

struct seed {
	char name[32];
	uint8_t data[MAX_INPUT];
	size_t len;
};

static struct seed seeds[MAX_SEEDS];
static size_t nseeds;

static void add_seed(const char *name, const void *p, size_t len)
{
	if (nseeds == MAX_SEEDS || len > MAX_INPUT) {
		fprintf(stderr, "seed %s does not fit\n", name);
		exit(2);
	}
	snprintf(seeds[nseeds].name, sizeof(seeds[nseeds].name), "%s", name);
	memcpy(seeds[nseeds].data, p, len);
	seeds[nseeds].len = len;
	nseeds++;
}

static void add_msg(const char *name, struct stun_writer *w)
{
	if (w->err != STUN_OK) {
		fprintf(stderr, "seed %s: %s\n", name, stun_strerror(w->err));
		exit(2);
	}
	add_seed(name, w->buf, w->len);
}

static struct stun_addr addr(const char *s, uint16_t port)
{
	struct stun_addr a = { .port = port };

	if (inet_pton(AF_INET, s, &a.ip.v4) == 1)
		a.family = STUN_AF_IPV4;
	else if (inet_pton(AF_INET6, s, a.ip.v6) == 1)
		a.family = STUN_AF_IPV6;
	else
		abort();
	return a;
}

static void rfc5769_seeds(void)
{
	static const uint8_t tid[12] = { 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
					 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae };
	static const uint8_t tid_lt[12] = { 0x78, 0xad, 0x34, 0x33, 0xc6,
					    0xad, 0x72, 0xc0, 0x29, 0xda,
					    0x41, 0x2e };
	static const char user_lt[] = "\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa"
				      "\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9";
	struct stun_addr a4 = addr("192.0.2.1", 32853);
	struct stun_addr a6 = addr("2001:db8:1234:5678:11:2233:4455:6677",
				   32853);
	uint8_t buf[MAX_INPUT], lt[TURN_KEY_MAX];
	struct stun_writer w;
	struct stun_key k;
	size_t n;

	stun_key_init(&k, "VOkJxbRl1RmTxUk/WvJxBt", 22);
	stun_writer_init(&w, buf, sizeof(buf), STUN_BINDING, STUN_REQUEST, tid);
	w.pad_byte = 0x20;
	stun_put_str(&w, STUN_A_SOFTWARE, "STUN test client");
	stun_put_u32(&w, STUN_A_PRIORITY, 0x6e0001ff);
	stun_put_u64(&w, STUN_A_ICE_CONTROLLED, UINT64_C(0x932ff9b151263b36));
	stun_put_str(&w, STUN_A_USERNAME, "evtj:h6vY");
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	add_msg("rfc5769-2.1-request", &w);

	stun_writer_init(&w, buf, sizeof(buf), STUN_BINDING, STUN_SUCCESS, tid);
	w.pad_byte = 0x20;
	stun_put_str(&w, STUN_A_SOFTWARE, "test vector");
	stun_put_xor_addr(&w, STUN_A_XOR_MAPPED_ADDRESS, &a4);
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	add_msg("rfc5769-2.2-response-v4", &w);

	stun_writer_init(&w, buf, sizeof(buf), STUN_BINDING, STUN_SUCCESS, tid);
	w.pad_byte = 0x20;
	stun_put_str(&w, STUN_A_SOFTWARE, "test vector");
	stun_put_xor_addr(&w, STUN_A_XOR_MAPPED_ADDRESS, &a6);
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	add_msg("rfc5769-2.3-response-v6", &w);

	n = turn_longterm_key(STUN_PWALG_MD5, user_lt, strlen(user_lt),
			      "example.org", 11, "TheMatrIX", 9, lt);
	stun_key_init(&k, lt, n);
	stun_writer_init(&w, buf, sizeof(buf), STUN_BINDING, STUN_REQUEST,
			 tid_lt);
	stun_put_str(&w, STUN_A_USERNAME, user_lt);
	stun_put_str(&w, STUN_A_NONCE, "f//499k954d6OL34oL9FSTvy64sA");
	stun_put_str(&w, STUN_A_REALM, "example.org");
	stun_put_integrity(&w, &k);
	add_msg("rfc5769-2.4-long-term", &w);
}

static void turn_seeds(void)
{
	static const uint16_t algs[2] = { STUN_PWALG_MD5, STUN_PWALG_SHA256 };
	static const uint16_t unknown[2] = { 0x0003, 0x7ff0 };
	static const uint8_t tid[12] = { 's', 'e', 'e', 'd', 0, 0, 0, 0, 0, 0,
					 0, 1 };
	struct stun_addr client = addr("198.51.100.20", 50000);
	struct stun_addr relayed = addr("192.0.2.10", 24000);
	struct stun_addr peer4 = addr("203.0.113.7", 5004);
	struct stun_addr peer6 = addr("2001:db8::7", 5006);
	uint8_t buf[MAX_INPUT], hash[STUN_USERHASH_LEN];
	char nonce[TURN_NONCE_LEN + 1];
	struct turn_nonce_keys nk;
	struct stun_writer w;
	struct stun_key k;
	size_t n;

	stun_key_init(&k, fuzz_stun_key, strlen(fuzz_stun_key));
	turn_nonce_keys_init(&nk, "fuzz nonce secret", 17);
	turn_nonce_make(&nk, TURN_FEATURE_PASSWORD_ALGORITHMS, 1700003600,
			&client, nonce);
	nonce[TURN_NONCE_LEN] = '\0';

	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_REQUEST, tid);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	stun_put_u32(&w, STUN_A_LIFETIME, 600);
	stun_put(&w, STUN_A_DONT_FRAGMENT, NULL, 0);
	stun_put_even_port(&w, true);
	stun_put_requested_family(&w, STUN_A_REQUESTED_ADDRESS_FAMILY,
				  STUN_AF_IPV4);
	add_msg("allocate-plain", &w);

	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_ERROR, tid);
	stun_put_error(&w, 401, NULL);
	stun_put_str(&w, STUN_A_REALM, "relay.example");
	stun_put_str(&w, STUN_A_NONCE, nonce);
	stun_put_password_algorithms(&w, algs, 2);
	stun_put_fingerprint(&w);
	add_msg("allocate-401", &w);

	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_REQUEST, tid);
	stun_put_str(&w, STUN_A_USERNAME, "1700000000:alice");
	stun_put_str(&w, STUN_A_REALM, "relay.example");
	stun_put_str(&w, STUN_A_NONCE, nonce);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	stun_put_password_algorithms(&w, algs, 2);
	stun_put_password_algorithm(&w, STUN_PWALG_SHA256);
	stun_put_integrity(&w, &k);
	add_msg("allocate-auth", &w);

	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_SUCCESS, tid);
	stun_put_xor_addr(&w, STUN_A_XOR_RELAYED_ADDRESS, &relayed);
	stun_put_xor_addr(&w, STUN_A_XOR_MAPPED_ADDRESS, &client);
	stun_put_u32(&w, STUN_A_LIFETIME, 600);
	stun_put(&w, STUN_A_RESERVATION_TOKEN, "\1\2\3\4\5\6\7\10", 8);
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	add_msg("allocate-success", &w);

	stun_writer_init(&w, buf, sizeof(buf), TURN_CREATE_PERMISSION,
			 STUN_REQUEST, tid);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &peer4);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &peer6);
	stun_put_str(&w, STUN_A_USERNAME, "alice");
	stun_put_integrity(&w, &k);
	add_msg("create-permission", &w);

	stun_writer_init(&w, buf, sizeof(buf), TURN_CHANNEL_BIND, STUN_REQUEST,
			 tid);
	stun_put_channel_number(&w, 0x4000);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &peer4);
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	add_msg("channel-bind", &w);

	stun_writer_init(&w, buf, sizeof(buf), TURN_SEND, STUN_INDICATION, tid);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &peer6);
	stun_put(&w, STUN_A_DATA, "hello", 5);
	add_msg("send", &w);

	stun_writer_init(&w, buf, sizeof(buf), TURN_DATA, STUN_INDICATION, tid);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &peer4);
	stun_put(&w, STUN_A_DATA, "world!!!", 8);
	stun_put_fingerprint(&w);
	add_msg("data", &w);

	stun_userhash("alice", 5, "relay.example", 13, hash);
	stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH, STUN_REQUEST, tid);
	stun_put_u32(&w, STUN_A_LIFETIME, 0);
	stun_put(&w, STUN_A_USERHASH, hash, sizeof(hash));
	stun_put_str(&w, STUN_A_NONCE, nonce);
	stun_put_integrity(&w, &k);
	stun_put_integrity_sha256(&w, &k, 16);
	add_msg("refresh-sha256", &w);

	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_ERROR, tid);
	stun_put_error(&w, 420, NULL);
	stun_put_unknown_attributes(&w, unknown, 2);
	add_msg("error-420", &w);

	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_ERROR, tid);
	stun_put_error(&w, 300, NULL);
	stun_put_addr(&w, STUN_A_ALTERNATE_SERVER, &peer6);
	stun_put_str(&w, STUN_A_ALTERNATE_DOMAIN, "turn.example");
	stun_put_str(&w, STUN_A_SOFTWARE, "sluice");
	add_msg("error-300", &w);

	stun_writer_init(&w, buf, sizeof(buf), STUN_BINDING, STUN_REQUEST, tid);
	stun_put_u32(&w, STUN_A_PRIORITY, 1);
	stun_put(&w, STUN_A_USE_CANDIDATE, NULL, 0);
	stun_put_u64(&w, STUN_A_ICE_CONTROLLING, 7);
	stun_put_addr(&w, STUN_A_MAPPED_ADDRESS, &client);
	stun_put_requested_family(&w, STUN_A_ADDITIONAL_ADDRESS_FAMILY,
				  STUN_AF_IPV6);
	add_msg("binding-ice", &w);

	n = turn_channel_data_write(buf, sizeof(buf), 0x4000, "hello", 5, true);
	add_seed("channel-data-padded", buf, n);
	n = turn_channel_data_write(buf, sizeof(buf), 0x4fff, "world", 5,
				    false);
	add_seed("channel-data", buf, n);
}

static int write_corpus(const char *dir)
{
	for (size_t i = 0; i < nseeds; i++) {
		char path[4096];
		int n = snprintf(path, sizeof(path), "%s/seed-%s", dir,
				 seeds[i].name);
		FILE *f;

		if (n < 0 || (size_t)n >= sizeof(path)) {
			fprintf(stderr, "%s: path too long\n", dir);
			return 2;
		}
		f = fopen(path, "wb");
		if (f == NULL ||
		    fwrite(seeds[i].data, 1, seeds[i].len, f) != seeds[i].len ||
		    fclose(f) != 0) {
			perror(path);
			return 2;
		}
	}
	printf("wrote %zu seeds to %s\n", nseeds, dir);
	return 0;
}

/* xorshift32: small, fixed, and the same on every libc. */
static uint32_t rng(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* One random edit of buf[0..*len) in place (capacity MAX_INPUT). */
static void mutate(uint8_t *buf, size_t *len, uint32_t *s)
{
	static const uint8_t edges[] = { 0x00, 0x01, 0x03, 0x04, 0x7f, 0x80,
					 0xfc, 0xff };
	size_t n = *len, at = n ? rng(s) % n : 0, span = 1 + rng(s) % 16;
	const struct seed *other = &seeds[rng(s) % nseeds];

	if (span > n - at)
		span = n - at;
	switch (rng(s) % 8) {
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
	case 6: /* a 16-bit length field (even offset) at an edge */
		if (n >= 2) {
			size_t p = (at & ~(size_t)1) + 2 > n ? 0 : at & ~(size_t)1;
			uint16_t v = (uint16_t)(rng(s) % 4 == 0 ? 0xffff :
						rng(s) % 4 == 0 ? n : rng(s) % 48);

			buf[p] = (uint8_t)(v >> 8);
			buf[p + 1] = (uint8_t)v;
		}
		break;
	default: /* splice: our head, a tail of another seed */
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

/* An exactly-sized heap copy, so that ASan sees any overread. */
static void feed(const uint8_t *p, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	if (copy == NULL)
		abort();
	memcpy(copy, p, len);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
}

int main(int argc, char **argv)
{
	static uint8_t cur[MAX_INPUT];
	long mutations = DEFAULT_MUTATIONS;
	uint32_t state = 0x5eed3478u;
	unsigned long runs = 0;

	rfc5769_seeds();
	turn_seeds();
	if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0)
		return write_corpus(argv[2]);
	if (argc == 3 && strcmp(argv[1], "-n") == 0) {
		char *end;

		errno = 0;
		mutations = strtol(argv[2], &end, 10);
		if (errno != 0 || *end != '\0' || mutations < 0) {
			fprintf(stderr, "-n: not a count: %s\n", argv[2]);
			return 2;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [-n MUTATIONS] | --write-corpus DIR\n",
			argv[0]);
		return 2;
	}
	for (size_t i = 0; i < nseeds; i++) {
		size_t len = 0;

		feed(seeds[i].data, seeds[i].len);
		runs++;
		for (long k = 0; k < mutations; k++) {
			/* stack up to 4 edits, then start again from the seed */
			if (k % 4 == 0) {
				memcpy(cur, seeds[i].data, seeds[i].len);
				len = seeds[i].len;
			}
			mutate(cur, &len, &state);
			feed(cur, len);
			runs++;
		}
	}
	if (fuzz_stun_accepted < nseeds - 2) {
		fprintf(stderr, "only %lu inputs parsed: the seeds are wrong\n",
			fuzz_stun_accepted);
		return 1;
	}
	printf("fed %zu seeds and %ld mutations each: %lu inputs, %lu parsed, "
	       "re-encoded and compared\n", nseeds, mutations, runs,
	       fuzz_stun_accepted);
	return 0;
}
