/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sip.c — unit tests of controlplane/sip: the message parser, header
 * values, stream framing, SDP reader and rewriter, digest and nonces, the
 * writer. One case per argument:  ./test_sip CASE
 *
 * Every parse is of an exactly-sized heap copy, so ASan catches a read
 * one octet past the end.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h323_check.h"
#include "sip_digest.h"
#include "sip_hdr.h"
#include "sip_msg.h"
#include "sip_sdp.h"
#include "sip_write.h"

static struct sip_msg M;
static char *copy;

/* Parse a string (as an exact-size heap copy, kept until the next one). */
static int parse_as(const char *s, size_t len, enum sip_framing f)
{
	free(copy);
	copy = malloc(len ? len : 1);
	memcpy(copy, s, len);
	return sip_msg_parse(&M, copy, len, f);
}

static int parse(const char *s)
{
	return parse_as(s, strlen(s), SIP_FRAME_DATAGRAM);
}

#define STREQ(view, lit) sip_str_eq((view), (lit))

static const char invite[] =
	"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport\r\n"
	"Max-Forwards: 70\r\n"
	"To: Bob <sip:bob@biloxi.example.com>\r\n"
	"From: \"Alice, A.\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 4\r\n"
	"\r\n"
	"v=0\n";

static void case_request(void)
{
	CHECK(parse(invite) == 0);
	CHECK(M.is_request && M.method == SIP_M_INVITE);
	CHECK(STREQ(M.ruri, "sip:bob@biloxi.example.com"));
	CHECK(M.n_via == 1);
	CHECK(STREQ(M.via[0].transport, "UDP"));
	CHECK(STREQ(M.via[0].host, "pc33.atlanta.example.com"));
	CHECK(M.via[0].port == 0 && M.via[0].rport && M.via[0].rport_value == 0);
	CHECK(STREQ(M.via[0].branch, "z9hG4bK776asdhds"));
	CHECK(STREQ(M.from_tag, "1928301774"));
	CHECK(M.to_tag.len == 0);
	CHECK(STREQ(M.call_id, "a84b4c76e66710@pc33.atlanta.example.com"));
	CHECK(M.cseq == 314159 && M.cseq_method == SIP_M_INVITE);
	CHECK(M.max_forwards == 70);
	CHECK(M.has_content_length && M.content_length == 4);
	CHECK(STREQ(M.body, "v=0\n"));
	CHECK(sip_msg_hdr(&M, SIP_H_CONTACT) != NULL);
	CHECK(STREQ(sip_msg_hdr(&M, SIP_H_CONTENT_TYPE)->value,
		    "application/sdp"));
	CHECK(sip_msg_can_answer(&M));
}

static void case_response(void)
{
	static const char ok[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/TCP p.example:5061;branch=z9hG4bKa;received=192.0.2.1\r\n"
		"From: <sip:a@x>;tag=1\r\nTo: <sip:b@y>;tag=2\r\n"
		"Call-ID: c1\r\nCSeq: 7 REGISTER\r\nContent-Length: 0\r\n\r\n";

	CHECK(parse(ok) == 0);
	CHECK(!M.is_request && M.status == 200 && STREQ(M.reason, "OK"));
	CHECK(M.via[0].port == 5061 && STREQ(M.via[0].received, "192.0.2.1"));
	CHECK(STREQ(M.to_tag, "2") && M.cseq_method == SIP_M_REGISTER);
	CHECK(M.body.len == 0);
	CHECK(!sip_msg_can_answer(&M));
	/* a status outside 100-699 */
	CHECK(parse("SIP/2.0 099 Early\r\n\r\n") == -1 && M.err == SIP_E_STATUS);
	CHECK(parse("SIP/2.0 700 Late\r\n\r\n") == -1 && M.err == SIP_E_STATUS);
}

/* Folding, compact forms, several Via in one header and over lines. */
static void case_folding_compact(void)
{
	static const char msg[] =
		"OPTIONS sip:x@192.0.2.10 SIP/2.0\r\n"
		"v: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1,\r\n"
		"   SIP / 2.0 / TCP [2001:db8::1]:5080;branch=z9hG4bK2\r\n"
		"Via: SIP/2.0/TLS a.example;branch=z9hG4bK3\r\n"
		"f: <sip:a@x>\r\n\t;tag=ff\r\n"
		"t: sip:x@192.0.2.10\r\n"
		"i: folded-\r\n call-id\r\n"
		"CSeq: 1 OPTIONS\r\n"
		"l: 0\r\n"
		"Subject: one\r\n  two\r\n\t three\r\n"
		"X-Custom : kept \r\n"
		"\r\n";
	const struct sip_header *h;

	CHECK(parse(msg) == 0);
	CHECK(M.n_via == 3);
	CHECK(M.via[0].port == 5070 && STREQ(M.via[0].branch, "z9hG4bK1"));
	CHECK(STREQ(M.via[1].transport, "TCP"));
	CHECK(STREQ(M.via[1].host, "[2001:db8::1]") && M.via[1].port == 5080);
	CHECK(STREQ(M.via[2].transport, "TLS"));
	CHECK(STREQ(M.from_tag, "ff"));
	CHECK(STREQ(M.call_id, "folded- call-id"));
	h = sip_msg_hdr(&M, SIP_H_SUBJECT);
	CHECK(h != NULL && STREQ(h->value, "one two three"));
	h = sip_msg_hdr(&M, SIP_H_OTHER);
	CHECK(h != NULL && STREQ(h->name, "X-Custom") && STREQ(h->value, "kept"));
	CHECK(M.has_content_length && M.content_length == 0);
	/* the same message with bare LF line ends */
	{
		char lf[sizeof(msg)];
		size_t n = 0;

		for (size_t i = 0; msg[i]; i++)
			if (msg[i] != '\r')
				lf[n++] = msg[i];
		CHECK(parse_as(lf, n, SIP_FRAME_DATAGRAM) == 0 && M.n_via == 3);
	}
	CHECK(sip_hdr_from(sip_str_c("k")) == SIP_H_SUPPORTED);
	CHECK(sip_hdr_from(sip_str_c("X")) == SIP_H_SESSION_EXPIRES);
	CHECK(sip_hdr_from(sip_str_c("content-LENGTH")) == SIP_H_CONTENT_LENGTH);
}

static void case_content_length(void)
{
	static const char head[] =
		"MESSAGE sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\n"
		"From: <sip:a@x>;tag=1\r\nTo: <sip:x@y>\r\nCall-ID: c\r\n"
		"CSeq: 2 MESSAGE\r\n";
	char buf[512];

	/* datagram without Content-Length: the body is the rest */
	snprintf(buf, sizeof(buf), "%s\r\nhello", head);
	CHECK(parse(buf) == 0 && STREQ(M.body, "hello"));
	/* on a stream: none is 0 */
	CHECK(parse_as(buf, strlen(buf), SIP_FRAME_STREAM) == 0 &&
	      M.body.len == 0);
	/* shorter than the datagram: the rest is discarded */
	snprintf(buf, sizeof(buf), "%sContent-Length: 3\r\n\r\nhello", head);
	CHECK(parse(buf) == 0 && STREQ(M.body, "hel"));
	/* longer than the datagram */
	snprintf(buf, sizeof(buf), "%sContent-Length: 30\r\n\r\nhello", head);
	CHECK(parse(buf) == -1 && M.err == SIP_E_BODY_SHORT);
	CHECK(sip_msg_can_answer(&M) && sip_err_status(M.err) == 400);
	/* not a number, signed, too big, two that disagree, two that agree */
	snprintf(buf, sizeof(buf), "%sContent-Length: 1x\r\n\r\nh", head);
	CHECK(parse(buf) == -1 && M.err == SIP_E_CONTENT_LENGTH);
	CHECK(STREQ(M.err_header, "Content-Length"));
	snprintf(buf, sizeof(buf), "%sl: -1\r\n\r\nh", head);
	CHECK(parse(buf) == -1 && M.err == SIP_E_CONTENT_LENGTH);
	snprintf(buf, sizeof(buf), "%sl: 99999999999\r\n\r\nh", head);
	CHECK(parse(buf) == -1 && M.err == SIP_E_CONTENT_LENGTH);
	snprintf(buf, sizeof(buf), "%sl: 1000000\r\n\r\nh", head);
	CHECK(parse(buf) == -1 && M.err == SIP_E_BODY_TOO_BIG &&
	      sip_err_status(M.err) == 413);
	snprintf(buf, sizeof(buf), "%sl: 1\r\nContent-Length: 2\r\n\r\nhi", head);
	CHECK(parse(buf) == -1 && M.err == SIP_E_CL_CONFLICT);
	snprintf(buf, sizeof(buf), "%sl: 2\r\nContent-Length: 2\r\n\r\nhi", head);
	CHECK(parse(buf) == 0 && STREQ(M.body, "hi"));
}

struct bad {
	const char *msg;
	enum sip_err err;
	bool answerable;
};

static void case_malformed(void)
{
#define HDRS "Via: SIP/2.0/UDP h;branch=z9hG4bKx\r\nFrom: <sip:a@x>;tag=1\r\n" \
	     "To: <sip:b@y>\r\nCall-ID: c\r\n"
	static const struct bad bad[] = {
		{ "", SIP_E_EMPTY, false },
		{ "\r\n\r\n", SIP_E_EMPTY, false },
		{ "INVITE sip:x@y SIP/2.0", SIP_E_NO_END, false },
		{ "INVITE sip:x@y SIP/2.0\r\n" HDRS "CSeq: 1 INVITE\r\n",
		  SIP_E_NO_END, false },
		{ "INVITE sip:x@y SIP/3.0\r\n" HDRS "CSeq: 1 INVITE\r\n\r\n",
		  SIP_E_VERSION, true },
		{ "INVITE sip:x@y HTTP/1.1\r\n" HDRS "CSeq: 1 INVITE\r\n\r\n",
		  SIP_E_START_LINE, true },
		{ "INVITE\r\n\r\n", SIP_E_START_LINE, false },
		{ "INVITE sip:x@y\001 SIP/2.0\r\n" HDRS "CSeq: 1 INVITE\r\n\r\n",
		  SIP_E_START_LINE, false },
		{ "IN(VITE sip:x@y SIP/2.0\r\n" HDRS "CSeq: 1 IN(VITE\r\n\r\n",
		  SIP_E_METHOD, false },
		{ "INVITE nocolon SIP/2.0\r\n" HDRS "CSeq: 1 INVITE\r\n\r\n",
		  SIP_E_RURI, true },
		{ "INVITE sip:x@y SIP/2.0\r\n folded first\r\n\r\n",
		  SIP_E_FOLD_FIRST, false },
		{ "INVITE sip:x@y SIP/2.0\r\n" HDRS "CSeq 1 INVITE\r\n\r\n",
		  SIP_E_HEADER_LINE, false },
		{ "INVITE sip:x@y SIP/2.0\r\n" HDRS ": x\r\n\r\n",
		  SIP_E_HEADER_NAME, false },
		{ "INVITE sip:x@y SIP/2.0\r\n" HDRS "X: a\001b\r\n\r\n",
		  SIP_E_CONTROL_CHAR, false },
		{ "INVITE sip:x@y SIP/2.0\r\n" HDRS "CSeq: 1 BYE\r\n\r\n",
		  SIP_E_CSEQ_METHOD, true },
		{ "INVITE sip:x@y SIP/2.0\r\n" HDRS "CSeq: x INVITE\r\n\r\n",
		  SIP_E_CSEQ, false },
		{ "INVITE sip:x@y SIP/2.0\r\n" HDRS "CSeq: 2147483648 INVITE\r\n\r\n",
		  SIP_E_CSEQ, false },
		{ "INVITE sip:x@y SIP/2.0\r\n" HDRS "\r\n", SIP_E_MISSING_CSEQ,
		  false },
		{ "INVITE sip:x@y SIP/2.0\r\nFrom: <sip:a@x>\r\nTo: <sip:b@y>\r\n"
		  "Call-ID: c\r\nCSeq: 1 INVITE\r\n\r\n", SIP_E_MISSING_VIA,
		  false },
		{ "INVITE sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n"
		  "To: <sip:b@y>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n\r\n",
		  SIP_E_MISSING_FROM, false },
		{ "INVITE sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n"
		  "From: <sip:b@y>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n\r\n",
		  SIP_E_MISSING_TO, false },
		{ "INVITE sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n"
		  "From: <sip:b@y>\r\nTo: <sip:b@y>\r\nCSeq: 1 INVITE\r\n\r\n",
		  SIP_E_MISSING_CALL_ID, false },
		{ "INVITE sip:x@y SIP/2.0\r\n" HDRS "Call-ID: d\r\n"
		  "CSeq: 1 INVITE\r\n\r\n", SIP_E_DUP_HEADER, true },
		{ "INVITE sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP\r\n"
		  "From: <sip:a@x>\r\nTo: <sip:b@y>\r\nCall-ID: c\r\n"
		  "CSeq: 1 INVITE\r\n\r\n", SIP_E_VIA, false },
		{ "INVITE sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h:0\r\n"
		  "From: <sip:a@x>\r\nTo: <sip:b@y>\r\nCall-ID: c\r\n"
		  "CSeq: 1 INVITE\r\n\r\n", SIP_E_VIA, false },
		{ "INVITE sip:x@y SIP/2.0\r\nVia: HTTP/1.1/UDP h\r\n"
		  "From: <sip:a@x>\r\nTo: <sip:b@y>\r\nCall-ID: c\r\n"
		  "CSeq: 1 INVITE\r\n\r\n", SIP_E_VIA, false },
		{ "INVITE sip:x@y SIP/2.0\r\n" HDRS "CSeq: 1 INVITE\r\n"
		  "Max-Forwards: 256\r\n\r\n", SIP_E_MAX_FORWARDS, true },
		{ "INVITE sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n"
		  "From: \"unterminated <sip:a@x>\r\nTo: <sip:b@y>\r\n"
		  "Call-ID: c\r\nCSeq: 1 INVITE\r\n\r\n", SIP_E_FROM, false },
		{ "INVITE sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n"
		  "From: <sip:a@x>\r\nTo: <sip:b@y\r\n"
		  "Call-ID: c\r\nCSeq: 1 INVITE\r\n\r\n", SIP_E_TO, false },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = parse(bad[i].msg);

		CHECKF(rc == -1 && M.err == bad[i].err,
		       "case %zu: got %s, want %s", i, sip_err_name(M.err),
		       sip_err_name(bad[i].err));
		if (bad[i].answerable)
			CHECKF(sip_msg_can_answer(&M), "case %zu answerable", i);
	}
	/* every truncation of a good message fails or parses cleanly */
	for (size_t n = 0; n < sizeof(invite) - 1; n++)
		(void)parse_as(invite, n, SIP_FRAME_DATAGRAM);
	CHECK(parse_as(invite, sizeof(invite) - 1, SIP_FRAME_STREAM) == 0);
	/* too many headers, too many Via, header section too big */
	{
		static char big[SIP_MSG_MAX];
		size_t n = (size_t)snprintf(big, sizeof(big),
					    "OPTIONS sip:x@y SIP/2.0\r\n");

		for (int i = 0; i < SIP_MAX_HEADERS + 1; i++)
			n += (size_t)snprintf(big + n, sizeof(big) - n,
					      "X-%d: a\r\n", i);
		n += (size_t)snprintf(big + n, sizeof(big) - n, "\r\n");
		CHECK(parse_as(big, n, SIP_FRAME_DATAGRAM) == -1 &&
		      M.err == SIP_E_TOO_MANY_HEADERS);
		n = (size_t)snprintf(big, sizeof(big),
				     "OPTIONS sip:x@y SIP/2.0\r\nVia: ");
		for (int i = 0; i < SIP_MAX_VIA + 1; i++)
			n += (size_t)snprintf(big + n, sizeof(big) - n,
					      "%sSIP/2.0/UDP h%d", i ? "," : "", i);
		n += (size_t)snprintf(big + n, sizeof(big) - n, "\r\n\r\n");
		CHECK(parse_as(big, n, SIP_FRAME_DATAGRAM) == -1 &&
		      M.err == SIP_E_TOO_MANY_VIA);
		n = (size_t)snprintf(big, sizeof(big),
				     "OPTIONS sip:x@y SIP/2.0\r\nX: ");
		memset(big + n, 'a', SIP_HDR_SCRATCH + 10);
		n += SIP_HDR_SCRATCH + 10;
		n += (size_t)snprintf(big + n, sizeof(big) - n, "\r\n\r\n");
		CHECK(parse_as(big, n, SIP_FRAME_DATAGRAM) == -1 &&
		      M.err == SIP_E_HEADERS_TOO_BIG &&
		      sip_err_status(M.err) == 513);
	}
#undef HDRS
}

static void case_values(void)
{
	struct sip_uri u;
	struct sip_nameaddr na;
	struct sip_str v, host;
	uint16_t port;
	size_t pos = 0;
	const char *list = "<sip:a@x;lr>, \"Doe, J\" <sip:b@y>;q=0.5,sip:c@z";
	struct sip_str items[4];
	unsigned n = 0;

	CHECK(sip_uri_parse(sip_str_c("sip:alice:pw@192.0.2.1:5070;transport=tcp;ob?Subject=x"), &u));
	CHECK(STREQ(u.scheme, "sip") && STREQ(u.user, "alice"));
	CHECK(STREQ(u.host, "192.0.2.1") && u.port == 5070);
	CHECK(STREQ(u.params, "transport=tcp;ob") && STREQ(u.headers, "Subject=x"));
	CHECK(sip_param_get(u.params, "TRANSPORT", &v) && STREQ(v, "tcp"));
	CHECK(sip_param_get(u.params, "ob", &v) && v.len == 0);
	CHECK(!sip_param_get(u.params, "lr", &v));
	CHECK(sip_uri_parse(sip_str_c("sips:[2001:db8::1]"), &u) && u.port == 0);
	CHECK(sip_uri_parse(sip_str_c("tel:+15551234"), &u));
	CHECK(!sip_uri_parse(sip_str_c("http://x"), &u));
	CHECK(!sip_uri_parse(sip_str_c("sip:"), &u));
	CHECK(!sip_uri_parse(sip_str_c("sip:a@h:99999"), &u));
	CHECK(!sip_uri_parse(sip_str_c("sip:a b@h"), &u));
	CHECK(sip_nameaddr_parse(sip_str_c("\"A <x>\" <sip:a@x>;tag=9;expires=60"), &na));
	CHECK(STREQ(na.display, "\"A <x>\"") && STREQ(na.uri, "sip:a@x"));
	CHECK(sip_param_get(na.params, "expires", &v) && STREQ(v, "60"));
	CHECK(sip_nameaddr_parse(sip_str_c("sip:a@x;tag=1"), &na) &&
	      STREQ(na.uri, "sip:a@x") && STREQ(na.params, "tag=1"));
	CHECK(sip_nameaddr_parse(sip_str_c("*"), &na) && na.star);
	CHECK(!sip_nameaddr_parse(sip_str_c("<sip:a@x"), &na));
	CHECK(!sip_nameaddr_parse(sip_str_c("<sip:a@x> junk"), &na));
	while (n < 4 && sip_list_next(sip_str_c(list), &pos, &items[n]))
		n++;
	CHECK(n == 3 && STREQ(items[1], "\"Doe, J\" <sip:b@y>;q=0.5") &&
	      STREQ(items[2], "sip:c@z"));
	CHECK(sip_hostport_parse(sip_str_c("a-b.example:1"), &host, &port) &&
	      port == 1);
	CHECK(!sip_hostport_parse(sip_str_c("a_b"), &host, &port));
	CHECK(!sip_hostport_parse(sip_str_c("[::1"), &host, &port));
	CHECK(sip_auth_scheme(sip_str_c("Digest username=\"a,b\", nc=00000001"), "digest", &v));
	CHECK(sip_auth_param(v, "username", &host) && STREQ(host, "a,b"));
	CHECK(sip_auth_param(v, "nc", &host) && STREQ(host, "00000001"));
	CHECK(!sip_auth_param(v, "qop", &host));
}

static void case_stream_frame(void)
{
	static const char two[] =
		"\r\n\r\n"
		"OPTIONS sip:x@y SIP/2.0\r\nl: 3\r\n\r\nabc"
		"OPTIONS sip:x@y SIP/2.0\r\n\r\n";
	size_t skip;
	unsigned crlfs;
	enum sip_err err;
	long n;
	const char *p = two;
	size_t left = sizeof(two) - 1;

	n = sip_stream_frame(p, left, &skip, &crlfs, &err);
	CHECK(skip == 4 && crlfs == 2 && n == 36);
	p += skip + (size_t)n;
	left -= skip + (size_t)n;
	n = sip_stream_frame(p, left, &skip, &crlfs, &err);
	CHECK(skip == 0 && crlfs == 0 && n == (long)left);
	/* incomplete at every cut */
	for (size_t cut = 4; cut < 4 + 36; cut++) {
		n = sip_stream_frame(two, cut, &skip, &crlfs, &err);
		CHECKF(n == 0, "cut %zu gave %ld", cut, n);
	}
	/* only keep-alives */
	n = sip_stream_frame("\r\n", 2, &skip, &crlfs, &err);
	CHECK(n == 0 && skip == 2 && crlfs == 1);
	/* a bad Content-Length breaks the stream */
	n = sip_stream_frame("BYE s:x SIP/2.0\r\nl: x\r\n\r\n", 26, &skip,
			     &crlfs, &err);
	CHECK(n < 0 && err == SIP_E_CONTENT_LENGTH);
	n = sip_stream_frame("BYE s:x SIP/2.0\r\nl: 999999\r\n\r\n", 31,
			     &skip, &crlfs, &err);
	CHECK(n < 0 && err == SIP_E_BODY_TOO_BIG);
	{
		static char huge[SIP_MSG_MAX + 10];

		memset(huge, 'a', sizeof(huge));
		n = sip_stream_frame(huge, sizeof(huge), &skip, &crlfs, &err);
		CHECK(n < 0 && err == SIP_E_HEADERS_TOO_BIG);
	}
}

static const char offer[] =
	"v=0\r\n"
	"o=alice 2890844526 2890844526 IN IP4 198.51.100.7\r\n"
	"s=-\r\n"
	"c=IN IP4 198.51.100.7\r\n"
	"t=0 0\r\n"
	"m=audio 49170 RTP/AVP 0 8 101\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=rtcp:49171 IN IP4 198.51.100.7\r\n"
	"a=candidate:1 1 UDP 2130706431 198.51.100.7 49170 typ host\r\n"
	"a=ice-ufrag:8hhY\r\n"
	"a=ice-pwd:asd88fgpdd777uzjYhagZg\r\n"
	"m=video 0 RTP/AVP 31\r\n"
	"m=video 51372 RTP/AVPF 99\r\n"
	"c=IN IP4 198.51.100.8\r\n"
	"a=rtcp-mux\r\n"
	"a=rtcp:51372\r\n"
	"a=sendonly\r\n";

static void case_sdp(void)
{
	struct sdp s;
	char out[2048];
	struct sdp_rewrite rw = { .rtp_port = { 40000, 0, 40010 },
				  .strip_ice = true };
	long n;

	CHECK(sdp_parse(&s, sip_str_c(offer)) == 0);
	CHECK(s.n_media == 3 && s.has_conn);
	CHECK(STREQ(s.media[0].type, "audio") && s.media[0].port == 49170);
	CHECK(STREQ(s.media[0].fmts, "0 8 101"));
	CHECK(s.media[0].has_rtcp && s.media[0].rtcp_port == 49171);
	CHECK(s.media[0].ice && !s.media[1].ice && !s.media[2].ice);
	CHECK(s.media[0].conn.ipv4 &&
	      s.media[0].conn.ip == inet_addr("198.51.100.7"));
	CHECK(s.media[1].port == 0);
	CHECK(s.media[2].conn.ip == inet_addr("198.51.100.8"));
	CHECK(s.media[2].rtcp_mux && s.media[2].dir == SDP_SENDONLY);
	CHECK(!sdp_all_ice(&s));
	inet_pton(AF_INET, "203.0.113.10", &rw.ip);
	n = sdp_rewrite(&s, &rw, out, sizeof(out));
	CHECK(n > 0);
	CHECKF(strcmp(out,
		"v=0\r\n"
		"o=alice 2890844526 2890844526 IN IP4 203.0.113.10\r\n"
		"s=-\r\n"
		"c=IN IP4 203.0.113.10\r\n"
		"t=0 0\r\n"
		"m=audio 40000 RTP/AVP 0 8 101\r\n"
		"a=rtpmap:101 telephone-event/8000\r\n"
		"a=rtcp:40001 IN IP4 203.0.113.10\r\n"
		"m=video 0 RTP/AVP 31\r\n"
		"m=video 40010 RTP/AVPF 99\r\n"
		"c=IN IP4 203.0.113.10\r\n"
		"a=rtcp-mux\r\n"
		"a=rtcp:40010 IN IP4 203.0.113.10\r\n"
		"a=sendonly\r\n") == 0, "rewritten:\n%s", out);
	/* the rewritten description reads back with the new addresses */
	{
		struct sdp s2;

		CHECK(sdp_parse(&s2, (struct sip_str){ out, (size_t)n }) == 0);
		CHECK(s2.n_media == 3 && s2.media[0].port == 40000 &&
		      s2.media[0].rtcp_port == 40001 && !s2.media[0].ice);
	}
	CHECK(sdp_rewrite(&s, &rw, out, 100) == -1);
	/* ICE on every active stream */
	CHECK(sdp_parse(&s, sip_str_c("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n"
		"s=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\na=ice-ufrag:x\r\n"
		"m=audio 1 RTP/AVP 0\r\n")) == 0 && sdp_all_ice(&s));
	/* no media: parses, nothing to anchor */
	CHECK(sdp_parse(&s, sip_str_c("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n"
		"s=-\r\nt=0 0\r\n")) == 0 && s.n_media == 0 && !sdp_all_ice(&s));
	/* refusals */
	CHECK(sdp_parse(&s, sip_str_c("")) == -1 && s.err == SDP_E_EMPTY);
	CHECK(sdp_parse(&s, sip_str_c("v=1\r\n")) == -1 && s.err == SDP_E_VERSION);
	CHECK(sdp_parse(&s, sip_str_c("v=0\r\nbad\r\n")) == -1 &&
	      s.err == SDP_E_LINE && s.err_line == 2);
	CHECK(sdp_parse(&s, (struct sip_str){ "v=0\r\ns=\0x\r\n", 10 }) == -1 &&
	      s.err == SDP_E_LINE);
	CHECK(sdp_parse(&s, sip_str_c("v=0\r\no=- 1\r\n")) == -1 &&
	      s.err == SDP_E_ORIGIN);
	CHECK(sdp_parse(&s, sip_str_c("v=0\r\nc=IN IP4\r\n")) == -1 &&
	      s.err == SDP_E_CONNECTION);
	CHECK(sdp_parse(&s, sip_str_c("v=0\r\nm=audio x RTP/AVP 0\r\n")) == -1 &&
	      s.err == SDP_E_MEDIA);
	CHECK(sdp_parse(&s, sip_str_c("v=0\r\nm=audio 1 RTP/AVP 0\r\n")) == -1 &&
	      s.err == SDP_E_NO_CONNECTION);
	CHECK(sdp_parse(&s, sip_str_c("v=0\r\nc=IN IP4 1.2.3.4\r\n"
		"m=audio 1 RTP/AVP 0\r\na=rtcp:x\r\n")) == -1 &&
	      s.err == SDP_E_RTCP);
	{
		char many[2048];
		size_t k = (size_t)snprintf(many, sizeof(many),
					    "v=0\r\nc=IN IP4 1.2.3.4\r\n");

		for (int i = 0; i < SDP_MAX_MEDIA + 1; i++)
			k += (size_t)snprintf(many + k, sizeof(many) - k,
					      "m=audio %d RTP/AVP 0\r\n", 2 + 2 * i);
		CHECK(sdp_parse(&s, (struct sip_str){ many, k }) == -1 &&
		      s.err == SDP_E_TOO_MANY_MEDIA);
	}
}

/* RFC 2617 §3.5's worked example (MD5, qop=auth), the SIP form without
 * qop, and SHA-256 against an independent computation. */
static void case_digest(void)
{
	static const char auth[] =
		"Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
		"nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
		"uri=\"/dir/index.html\", qop=auth, nc=00000001, "
		"cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
		"opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
	struct sip_digest_creds c;
	char hex[SIP_DIGEST_HEX_MAX + 1];

	CHECK(sip_digest_parse(sip_str_c(auth), &c));
	CHECK(c.alg == SIP_DIGEST_MD5 && STREQ(c.username, "Mufasa"));
	CHECK(sip_digest_verify(&c, sip_str_c("GET"), "Circle Of Life"));
	CHECK(!sip_digest_verify(&c, sip_str_c("GET"), "circle of life"));
	CHECK(!sip_digest_verify(&c, sip_str_c("POST"), "Circle Of Life"));
	/* no qop (RFC 2069 form), worked with Python's hashlib:
	 * MD5(MD5(bob:r:zanzibar):n:MD5(REGISTER:sip:r)) */
	CHECK(sip_digest_parse(sip_str_c("Digest username=\"bob\", realm=\"r\", "
		"nonce=\"n\", uri=\"sip:r\", response=\"x\""), &c));
	CHECK(sip_digest_expected(&c, sip_str_c("REGISTER"), "zanzibar", hex));
	CHECK(strcmp(hex, "62c1464ffff216d9c7eb6e0ed511f10a") == 0);
	c.response = sip_str_c(hex);
	CHECK(sip_digest_verify(&c, sip_str_c("REGISTER"), "zanzibar"));
	/* SHA-256, RFC 7616 §3.9.1's example */
	CHECK(sip_digest_parse(sip_str_c(
		"Digest username=\"Mufasa\", realm=\"http-auth@example.org\", "
		"uri=\"/dir/index.html\", algorithm=SHA-256, "
		"nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
		"nc=00000001, cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", "
		"qop=auth, response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", "
		"opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""), &c));
	CHECK(c.alg == SIP_DIGEST_SHA256);
	CHECK(sip_digest_verify(&c, sip_str_c("GET"), "Circle of Life"));
	CHECK(!sip_digest_verify(&c, sip_str_c("GET"), "Circle Of Life"));
	/* refusals */
	CHECK(!sip_digest_parse(sip_str_c("Basic dXNlcg=="), &c));
	CHECK(!sip_digest_parse(sip_str_c("Digest username=\"a\""), &c));
	CHECK(!sip_digest_parse(sip_str_c("Digest username=\"a\", realm=\"r\", "
		"nonce=\"n\", uri=\"u\", response=\"x\", algorithm=SHA-1"), &c));
	CHECK(!sip_digest_parse(sip_str_c("Digest username=\"a\", realm=\"r\", "
		"nonce=\"n\", uri=\"u\", response=\"x\", qop=auth"), &c));
}

static void case_nonce(void)
{
	uint8_t secret[SIP_DIGEST_SECRET] = { 1, 2, 3 };
	uint8_t other[SIP_DIGEST_SECRET] = { 9 };
	char n[SIP_NONCE_LEN + 1], chal[256];
	uint32_t ip = inet_addr("192.0.2.1");

	sip_nonce_make(secret, 1000, ip, n);
	CHECK(strlen(n) == SIP_NONCE_LEN);
	CHECK(sip_nonce_check(secret, sip_str_c(n), 1000, ip, 30) == SIP_NONCE_OK);
	CHECK(sip_nonce_check(secret, sip_str_c(n), 1030, ip, 30) == SIP_NONCE_OK);
	CHECK(sip_nonce_check(secret, sip_str_c(n), 1031, ip, 30) == SIP_NONCE_STALE);
	CHECK(sip_nonce_check(secret, sip_str_c(n), 1000, ip + 1, 30) == SIP_NONCE_BAD);
	CHECK(sip_nonce_check(other, sip_str_c(n), 1000, ip, 30) == SIP_NONCE_BAD);
	CHECK(sip_nonce_check(secret, sip_str_c(n), 900, ip, 30) == SIP_NONCE_BAD);
	n[20] ^= 1;
	CHECK(sip_nonce_check(secret, sip_str_c(n), 1000, ip, 30) == SIP_NONCE_BAD);
	CHECK(sip_nonce_check(secret, sip_str_c("short"), 1000, ip, 30) == SIP_NONCE_BAD);
	CHECK(sip_digest_challenge(chal, sizeof(chal), "r", "N", SIP_DIGEST_MD5,
				   true) > 0);
	CHECK(strcmp(chal, "Digest realm=\"r\", nonce=\"N\", algorithm=MD5, "
		     "qop=\"auth\", stale=true") == 0);
	CHECK(sip_digest_challenge(chal, 10, "r", "N", SIP_DIGEST_MD5, false) == -1);
}

static void case_writer(void)
{
	char out[1024];
	long n;

	CHECK(parse(invite) == 0);
	n = sip_w_simple_response(out, sizeof(out), &M, 486, "t1",
				  inet_addr("192.0.2.1"), 5070);
	CHECK(n > 0);
	CHECKF(strstr(out, "SIP/2.0 486 Busy Here\r\n"
		"Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;"
		"received=192.0.2.1;rport=5070\r\n"
		"From: \"Alice, A.\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
		"To: Bob <sip:bob@biloxi.example.com>;tag=t1\r\n"
		"Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
		"CSeq: 314159 INVITE\r\n") == out, "%s", out);
	CHECK(strstr(out, "Content-Length: 0\r\n\r\n") != NULL);
	/* what we write parses */
	{
		char again[1024];

		memcpy(again, out, (size_t)n);
		CHECK(parse_as(again, (size_t)n, SIP_FRAME_STREAM) == 0);
		CHECK(M.status == 486 && STREQ(M.to_tag, "t1") &&
		      STREQ(M.via[0].received, "192.0.2.1") &&
		      M.via[0].rport_value == 5070);
	}
	CHECK(parse(invite) == 0);
	CHECK(sip_w_simple_response(out, 40, &M, 200, NULL, 0, 0) == -1);
}

int main(int argc, char **argv)
{
	static const struct { const char *name; void (*fn)(void); } cases[] = {
		{ "request", case_request },
		{ "response", case_response },
		{ "folding-compact", case_folding_compact },
		{ "content-length", case_content_length },
		{ "malformed", case_malformed },
		{ "values", case_values },
		{ "stream-frame", case_stream_frame },
		{ "sdp", case_sdp },
		{ "digest", case_digest },
		{ "nonce", case_nonce },
		{ "writer", case_writer },
	};
	int ran = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (argc < 2 || strcmp(argv[1], cases[i].name) == 0) {
			cases[i].fn();
			ran++;
		}
	free(copy);
	if (ran == 0) {
		fprintf(stderr, "unknown case %s\n", argv[1]);
		return 2;
	}
	return check_result(argc < 2 ? "sip" : argv[1]);
}
