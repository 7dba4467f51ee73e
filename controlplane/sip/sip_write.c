/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_write.c — message writer and response heads. See sip_write.h.
 */
#include "sip_write.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sip_hdr.h"

void sip_w_init(struct sip_wbuf *w, char *buf, size_t cap)
{
	w->p = buf;
	w->len = 0;
	w->cap = cap;
	w->overflow = cap == 0;
	if (cap > 0)
		buf[0] = '\0';
}

void sip_w_printf(struct sip_wbuf *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(w->p + w->len, w->cap - w->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= w->cap - w->len) {
		w->overflow = true;
		w->p[w->len] = '\0';
		return;
	}
	w->len += (size_t)n;
}

void sip_w_str(struct sip_wbuf *w, struct sip_str s)
{
	sip_w_printf(w, "%.*s", (int)s.len, s.p);
}

const char *sip_reason_phrase(unsigned code)
{
	static const struct { unsigned code; const char *text; } tab[] = {
		{ 100, "Trying" }, { 180, "Ringing" },
		{ 183, "Session Progress" }, { 200, "OK" },
		{ 202, "Accepted" }, { 400, "Bad Request" },
		{ 401, "Unauthorized" }, { 403, "Forbidden" },
		{ 404, "Not Found" }, { 405, "Method Not Allowed" },
		{ 407, "Proxy Authentication Required" },
		{ 408, "Request Timeout" }, { 413, "Request Entity Too Large" },
		{ 415, "Unsupported Media Type" }, { 420, "Bad Extension" },
		{ 422, "Session Interval Too Small" },
		{ 423, "Interval Too Brief" },
		{ 480, "Temporarily Unavailable" },
		{ 481, "Call/Transaction Does Not Exist" },
		{ 482, "Loop Detected" }, { 483, "Too Many Hops" },
		{ 486, "Busy Here" }, { 487, "Request Terminated" },
		{ 488, "Not Acceptable Here" }, { 491, "Request Pending" },
		{ 500, "Server Internal Error" }, { 501, "Not Implemented" },
		{ 502, "Bad Gateway" }, { 503, "Service Unavailable" },
		{ 504, "Server Time-out" }, { 505, "Version Not Supported" },
		{ 513, "Message Too Large" }, { 603, "Decline" },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].code == code)
			return tab[i].text;
	return code < 200 ? "Progress" : code < 300 ? "OK" : "Failed";
}

/* The top Via with received/rport as RFC 3581 asks: rport filled when
 * the client asked for it; received when the address differs or rport
 * was asked. Parameters already there are not repeated. */
static void put_top_via(struct sip_wbuf *w, const struct sip_via *v,
			uint32_t src_ip, uint16_t src_port)
{
	char ip[INET_ADDRSTRLEN];
	struct sip_str params = v->params;
	size_t pos = 0;

	if (src_ip == 0) {
		sip_w_printf(w, "Via: %.*s\r\n", (int)v->value.len,
			     v->value.p);
		return;
	}
	inet_ntop(AF_INET, &src_ip, ip, sizeof(ip));
	sip_w_printf(w, "Via: %.*s", (int)(params.p ? (size_t)(params.p -
		     v->value.p) - 1 : v->value.len), v->value.p);
	/* copy the parameters except received and rport, then ours */
	while (params.p != NULL && pos <= params.len) {
		const char *semi = memchr(params.p + pos, ';',
					  params.len - pos);
		size_t end = semi ? (size_t)(semi - params.p) : params.len;
		struct sip_str p = sip_str_trim((struct sip_str){
					params.p + pos, end - pos });

		if (p.len > 0 && !(p.len >= 5 && strncasecmp(p.p, "rport", 5) == 0 &&
				   (p.len == 5 || p.p[5] == '=')) &&
		    !(p.len >= 9 && strncasecmp(p.p, "received=", 9) == 0))
			sip_w_printf(w, ";%.*s", (int)p.len, p.p);
		pos = end + 1;
	}
	sip_w_printf(w, ";received=%s", ip);
	if (v->rport)
		sip_w_printf(w, ";rport=%u", src_port);
	sip_w_printf(w, "\r\n");
}

void sip_w_response_head(struct sip_wbuf *w, const struct sip_msg *req,
			 unsigned code, const char *reason, const char *to_tag,
			 uint32_t src_ip, uint16_t src_port)
{
	sip_w_printf(w, "SIP/2.0 %u %s\r\n", code,
		     reason ? reason : sip_reason_phrase(code));
	for (unsigned i = 0; i < req->n_via; i++) {
		if (i == 0)
			put_top_via(w, &req->via[0], src_ip, src_port);
		else
			sip_w_printf(w, "Via: %.*s\r\n",
				     (int)req->via[i].value.len,
				     req->via[i].value.p);
	}
	sip_w_printf(w, "From: %.*s\r\n", (int)req->from.len, req->from.p);
	sip_w_printf(w, "To: %.*s", (int)req->to.len, req->to.p);
	if (req->to_tag.len == 0 && to_tag != NULL && code > 100)
		sip_w_printf(w, ";tag=%s", to_tag);
	sip_w_printf(w, "\r\nCall-ID: %.*s\r\nCSeq: %u %.*s\r\n",
		     (int)req->call_id.len, req->call_id.p, req->cseq,
		     (int)req->cseq_method_name.len, req->cseq_method_name.p);
}

void sip_w_finish(struct sip_wbuf *w, const char *content_type,
		  const char *body, size_t body_len)
{
	if (body_len > 0 && content_type != NULL)
		sip_w_printf(w, "Content-Type: %s\r\n", content_type);
	sip_w_printf(w, "Content-Length: %zu\r\n\r\n", body_len);
	if (body_len > 0)
		sip_w_printf(w, "%.*s", (int)body_len, body);
}

long sip_w_simple_response(char *buf, size_t cap, const struct sip_msg *req,
			   unsigned code, const char *to_tag, uint32_t src_ip,
			   uint16_t src_port)
{
	struct sip_wbuf w;

	sip_w_init(&w, buf, cap);
	sip_w_response_head(&w, req, code, NULL, to_tag, src_ip, src_port);
	sip_w_printf(&w, "Server: Sluice/%s\r\n", SLUICE_VERSION);
	sip_w_finish(&w, NULL, NULL, 0);
	return w.overflow ? -1 : (long)w.len;
}
