/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_sip_main.c — a plain driver for fuzz_sip.c: the unit test
 * sip-fuzz-smoke on every build (gcc included), and the writer of the
 * libFuzzer seed corpus (tests/fuzz/run_fuzzer.sh --seeds-from).
 *
 * Seeds are SIP messages of every shape the parsers read (INVITE with
 * SDP and ICE, REGISTER with digest credentials, folded and compact
 * headers, several Via, responses, CANCEL/ACK/BYE, CRLF keep-alives).
 * Each is fed as is, then mutated from a fixed seed with SIP-aware edits:
 * a separator (CRLF, ',', ';', '"', '<', '>', ':', SP) inserted or
 * deleted, a number made huge, zero or negative, a line duplicated or
 * dropped, a span cut, a byte flipped. Same seed, same inputs.
 *
 *   fuzz_sip_smoke [-n MUTATIONS_PER_SEED]
 *   fuzz_sip_smoke --write-corpus DIR
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern unsigned long fuzz_sip_parsed, fuzz_sip_sdp;

#define DEFAULT_MUTATIONS 3000
#define MAX_INPUT 4096

#define SDP_BODY                                                          \
	"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\n"  \
	"t=0 0\r\nm=audio 6000 RTP/AVP 0 101\r\na=rtcp:6001\r\n"            \
	"a=candidate:1 1 UDP 1 192.0.2.1 6000 typ host\r\n"                 \
	"a=ice-ufrag:u\r\nm=video 6002 RTP/AVP 96\r\na=rtcp-mux\r\n"
#define HDRS(m)                                                           \
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1;rport\r\n"        \
	"From: \"A\" <sip:alice@192.0.2.10>;tag=a1\r\n"                     \
	"To: <sip:bob@192.0.2.10>\r\nCall-ID: 1-fz@192.0.2.1\r\n"           \
	"CSeq: 1 " m "\r\nMax-Forwards: 70\r\n"

static const char *const seeds[] = {
	"INVITE sip:bob@192.0.2.10 SIP/2.0\r\n" HDRS("INVITE")
	"Contact: <sip:alice@192.0.2.1:5060;ob>\r\n"
	"Content-Type: application/sdp\r\nContent-Length: 178\r\n\r\n" SDP_BODY,
	"REGISTER sip:192.0.2.10 SIP/2.0\r\n" HDRS("REGISTER")
	"Contact: <sip:alice@192.0.2.1>;expires=60;+sip.instance=\"<urn:x>\";reg-id=1\r\n"
	"Authorization: Digest username=\"alice\", realm=\"sluice\", "
	"nonce=\"000000000000003e8aa\", uri=\"sip:192.0.2.10\", "
	"response=\"0123456789abcdef0123456789abcdef\", algorithm=MD5, "
	"qop=auth, nc=00000001, cnonce=\"c\"\r\nl: 0\r\n\r\n",
	"OPTIONS sip:x@192.0.2.10 SIP/2.0\r\n"
	"v: SIP/2.0/UDP a:1;branch=z9hG4bK1,\r\n SIP/2.0/TCP [2001:db8::1];branch=z\r\n"
	"f: <sip:a@x>\r\n\t;tag=1\r\nt: sip:x@y\r\ni: c\r\nCSeq: 9 OPTIONS\r\n"
	"k: outbound, path\r\nl: 0\r\n\r\n",
	"SIP/2.0 200 OK\r\n" HDRS("INVITE")
	"Contact: <sip:bob@192.0.2.2>\r\nContent-Length: 178\r\n\r\n" SDP_BODY,
	"SIP/2.0 401 Unauthorized\r\n" HDRS("REGISTER")
	"WWW-Authenticate: Digest realm=\"r\", nonce=\"n\", qop=\"auth\"\r\n\r\n",
	"CANCEL sip:bob@192.0.2.10 SIP/2.0\r\n" HDRS("CANCEL") "\r\n",
	"ACK sip:bob@192.0.2.10 SIP/2.0\r\n" HDRS("ACK") "l: 0\r\n\r\n",
	"BYE sip:bob@192.0.2.10 SIP/2.0\r\n" HDRS("BYE")
	"Session-Expires: 90;refresher=uac\r\n\r\n",
	"\r\n\r\n",
};

static uint32_t rng(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void insert(uint8_t *b, size_t *n, size_t at, const char *s)
{
	size_t k = strlen(s);

	if (*n + k > MAX_INPUT)
		return;
	memmove(b + at + k, b + at, *n - at);
	memcpy(b + at, s, k);
	*n += k;
}

static void cut(uint8_t *b, size_t *n, size_t at, size_t k)
{
	if (k > *n - at)
		k = *n - at;
	memmove(b + at, b + at + k, *n - at - k);
	*n -= k;
}

/* the line containing `at`: [*lo, *hi) including its LF */
static void line_at(const uint8_t *b, size_t n, size_t at, size_t *lo,
		    size_t *hi)
{
	*lo = at;
	while (*lo > 0 && b[*lo - 1] != '\n')
		(*lo)--;
	*hi = at;
	while (*hi < n && b[*hi] != '\n')
		(*hi)++;
	if (*hi < n)
		(*hi)++;
}

static void mutate(uint8_t *b, size_t *n, uint32_t *s)
{
	static const char *const seps[] = { "\r\n", ",", ";", "\"", "<", ">",
					    ":", " ", "\r\n ", "=", "\n" };
	static const char *const nums[] = { "0", "4294967296", "-1",
					    "99999999999999", "65536" };
	size_t at = *n ? rng(s) % *n : 0, lo, hi;

	switch (rng(s) % 7) {
	case 0:
		insert(b, n, at, seps[rng(s) % (sizeof(seps) / sizeof(*seps))]);
		break;
	case 1:
		cut(b, n, at, 1 + rng(s) % 8);
		break;
	case 2: /* a number becomes an edge value */
		while (at < *n && (b[at] < '0' || b[at] > '9'))
			at++;
		lo = at;
		while (at < *n && b[at] >= '0' && b[at] <= '9')
			at++;
		if (at > lo) {
			cut(b, n, lo, at - lo);
			insert(b, n, lo, nums[rng(s) % (sizeof(nums) /
							sizeof(*nums))]);
		}
		break;
	case 3: /* duplicate a line */
		line_at(b, *n, at, &lo, &hi);
		if (*n + (hi - lo) <= MAX_INPUT) {
			memmove(b + hi + (hi - lo), b + hi, *n - hi);
			memcpy(b + hi, b + lo, hi - lo);
			*n += hi - lo;
		}
		break;
	case 4: /* drop a line */
		line_at(b, *n, at, &lo, &hi);
		cut(b, n, lo, hi - lo);
		break;
	case 5:
		if (*n)
			b[at] ^= (uint8_t)(1u << (rng(s) % 8));
		break;
	default: /* truncate */
		*n = at;
		break;
	}
}

static int write_corpus(const char *dir)
{
	for (size_t i = 0; i < sizeof(seeds) / sizeof(*seeds); i++) {
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/seed-%02zu.sip", dir, i);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(seeds[i], 1, strlen(seeds[i]), f) !=
				 strlen(seeds[i])) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			return 1;
		}
		fclose(f);
	}
	return 0;
}

int main(int argc, char **argv)
{
	long mutations = DEFAULT_MUTATIONS;
	uint32_t state = 0x5eed5151u;
	unsigned long runs = 0;
	static uint8_t cur[MAX_INPUT];

	if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0)
		return write_corpus(argv[2]);
	if (argc == 3 && strcmp(argv[1], "-n") == 0)
		mutations = strtol(argv[2], NULL, 10);
	for (size_t i = 0; i < sizeof(seeds) / sizeof(*seeds); i++) {
		size_t len = strlen(seeds[i]);

		memcpy(cur, seeds[i], len);
		LLVMFuzzerTestOneInput(cur, len);
		runs++;
		for (long k = 0; k < mutations; k++) {
			/* restart from the seed now and then, else stack edits */
			if (k % 8 == 0) {
				len = strlen(seeds[i]);
				memcpy(cur, seeds[i], len);
			}
			mutate(cur, &len, &state);
			/* an exact-size copy: ASan sees a read past the end */
			uint8_t *exact = malloc(len ? len : 1);

			memcpy(exact, cur, len);
			LLVMFuzzerTestOneInput(exact, len);
			free(exact);
			runs++;
		}
	}
	/* the seeds themselves must parse, SDP included */
	if (fuzz_sip_parsed < sizeof(seeds) / sizeof(*seeds) - 1 ||
	    fuzz_sip_sdp < 2) {
		fprintf(stderr, "only %lu messages and %lu SDP parsed: the "
			"seeds are wrong\n", fuzz_sip_parsed, fuzz_sip_sdp);
		return 1;
	}
	printf("fed %zu seeds and %ld mutations each: %lu inputs, %lu "
	       "messages and %lu SDP bodies parsed and checked\n",
	       sizeof(seeds) / sizeof(*seeds), mutations, runs,
	       fuzz_sip_parsed, fuzz_sip_sdp);
	return 0;
}
