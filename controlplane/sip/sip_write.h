/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_write.h — building SIP messages into a fixed buffer.
 *
 * A writer never writes past its capacity: the first output that does not
 * fit sets `overflow`, and every later call does nothing, so a caller
 * writes a whole message and checks once at the end.
 *
 *   struct sip_wbuf w;
 *   sip_w_init(&w, buf, sizeof(buf));
 *   sip_w_response_head(&w, req, 401, NULL, NULL);   status line, Via...,
 *   sip_w_printf(&w, "WWW-Authenticate: %s\r\n", c);  From, To, Call-ID, CSeq
 *   sip_w_finish(&w, NULL, NULL, 0);                  Content-Length, CRLF
 *   if (w.overflow) ...
 */
#ifndef SL_SIP_WRITE_H
#define SL_SIP_WRITE_H

#include "sip_msg.h"

struct sip_wbuf {
	char *p;
	size_t len;
	size_t cap;
	bool overflow;
};

void sip_w_init(struct sip_wbuf *w, char *buf, size_t cap);
void sip_w_printf(struct sip_wbuf *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sip_w_str(struct sip_wbuf *w, struct sip_str s);

/* The reason phrase of RFC 3261 §21 (and the extensions Sluice sends). */
const char *sip_reason_phrase(unsigned code);

/*
 * A response to `req` (RFC 3261 §8.2.6): status line, every Via in order
 * (the top one with received= and rport= filled in when `src_ip` is
 * non-zero and the request asked or came from elsewhere, §18.2.1, RFC
 * 3581), From, To (with ;tag=to_tag added when the request's To has none
 * and to_tag is given), Call-ID, CSeq. reason NULL: the standard phrase.
 */
void sip_w_response_head(struct sip_wbuf *w, const struct sip_msg *req,
			 unsigned code, const char *reason, const char *to_tag,
			 uint32_t src_ip, uint16_t src_port);

/* Content-Type (if body), Content-Length, the empty line, the body. */
void sip_w_finish(struct sip_wbuf *w, const char *content_type,
		  const char *body, size_t body_len);

/* The message of sip_w_response_head and sip_w_finish, nothing else. */
long sip_w_simple_response(char *buf, size_t cap, const struct sip_msg *req,
			   unsigned code, const char *to_tag, uint32_t src_ip,
			   uint16_t src_port);

#endif /* SL_SIP_WRITE_H */
