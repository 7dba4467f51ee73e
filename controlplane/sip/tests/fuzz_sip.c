/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_sip.c — libFuzzer harness for controlplane/sip: the message parser
 * (as a datagram and on a stream), the header-value parsers it feeds, the
 * digest parser, the SDP reader and rewriter, and the writer.
 *
 * Properties checked, beyond "no crash, no sanitizer report":
 *   - a parsed message's views lie inside the input or its scratch;
 *   - stream framing never claims more octets than it was given;
 *   - an answerable request yields an error response that parses, with
 *     the same Call-ID, CSeq and Via count;
 *   - a body that parses as SDP rewrites to SDP that parses again, with
 *     the same number of streams and the ports asked for.
 * fuzz_sip_main.c drives it without libFuzzer (the unit test sip-fuzz-smoke).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip_digest.h"
#include "sip_hdr.h"
#include "sip_msg.h"
#include "sip_sdp.h"
#include "sip_write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
unsigned long fuzz_sip_parsed, fuzz_sip_sdp;

#define FUZZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

static struct sip_msg msg, reply;

static bool inside(struct sip_str s, const void *base, size_t len)
{
	const char *b = base;

	return s.p == NULL || (s.p >= b && s.p + s.len <= b + len);
}

static void check_views(const struct sip_msg *m, const char *in, size_t len)
{
	FUZZ_ASSERT(inside(m->body, in, len));
	FUZZ_ASSERT(inside(m->ruri, in, len));
	for (unsigned i = 0; i < m->n_hdr; i++)
		FUZZ_ASSERT(inside(m->hdr[i].value, m->scratch,
				   sizeof(m->scratch)));
	for (unsigned i = 0; i < m->n_via; i++)
		FUZZ_ASSERT(inside(m->via[i].host, m->scratch,
				   sizeof(m->scratch)));
}

static void values(const struct sip_msg *m)
{
	const struct sip_header *h;
	struct sip_uri u;
	struct sip_nameaddr na;
	struct sip_digest_creds c;
	char hex[SIP_DIGEST_HEX_MAX + 1];

	if (m->is_request)
		(void)sip_uri_parse(m->ruri, &u);
	for (h = sip_msg_hdr(m, SIP_H_CONTACT); h; h = sip_msg_next_hdr(m, h)) {
		size_t pos = 0;
		struct sip_str item;

		while (sip_list_next(h->value, &pos, &item))
			if (sip_nameaddr_parse(item, &na))
				(void)sip_uri_parse(na.uri, &u);
	}
	h = sip_msg_hdr(m, SIP_H_AUTHORIZATION);
	if (h != NULL && sip_digest_parse(h->value, &c))
		(void)sip_digest_expected(&c, m->method_name, "pw", hex);
}

static void answer(const struct sip_msg *m)
{
	static char out[SIP_MSG_MAX];
	long n = sip_w_simple_response(out, sizeof(out), m, 400, "fz",
				       0x0100000a, 5060);

	if (n < 0)
		return;   /* a request whose echo does not fit */
	FUZZ_ASSERT(sip_msg_parse(&reply, out, (size_t)n,
				  SIP_FRAME_STREAM) == 0);
	FUZZ_ASSERT(reply.status == 400 && reply.n_via == m->n_via);
	FUZZ_ASSERT(sip_str_eq_str(reply.call_id, m->call_id));
	FUZZ_ASSERT(reply.cseq == m->cseq);
}

static void sdp(struct sip_str body)
{
	static struct sdp s, again;
	static char out[SIP_BODY_MAX * 2];
	struct sdp_rewrite rw = { .ip = 0x0a7100cb, .strip_ice = true };
	long n;

	if (sdp_parse(&s, body) != 0)
		return;
	fuzz_sip_sdp++;
	(void)sdp_all_ice(&s);
	for (unsigned k = 0; k < SDP_MAX_MEDIA; k++)
		rw.rtp_port[k] = (uint16_t)(40000 + 2 * k);
	n = sdp_rewrite(&s, &rw, out, sizeof(out));
	if (n < 0)
		return;
	FUZZ_ASSERT(sdp_parse(&again, (struct sip_str){ out, (size_t)n }) == 0);
	FUZZ_ASSERT(again.n_media == s.n_media);
	for (unsigned k = 0; k < s.n_media; k++)
		FUZZ_ASSERT(again.media[k].port ==
			    (s.media[k].port ? rw.rtp_port[k] : 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	size_t skip;
	unsigned crlfs;
	enum sip_err err;
	long framed;

	if (size > SIP_MSG_MAX)
		return 0;
	framed = sip_stream_frame(in, size, &skip, &crlfs, &err);
	FUZZ_ASSERT(framed < 0 || skip + (size_t)framed <= size);
	if (framed > 0)
		(void)sip_msg_parse(&msg, in + skip, (size_t)framed,
				    SIP_FRAME_STREAM);
	if (sip_msg_parse(&msg, in, size, SIP_FRAME_DATAGRAM) == 0) {
		fuzz_sip_parsed++;
		check_views(&msg, in, size);
		values(&msg);
		sdp(msg.body);
	}
	if (sip_msg_can_answer(&msg))
		answer(&msg);
	return 0;
}
