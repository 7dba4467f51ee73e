/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_sdp.c — SDP reader and the anchoring rewriter. See sip_sdp.h.
 *
 * The description is split into lines once (s->line[]); the media
 * sections are index ranges of that array, so the rewriter walks the
 * lines in order and decides for each one: copy, replace, or drop.
 */
#include "sip_sdp.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "sip_write.h"

static const char *const err_text[SDP_E_COUNT] = {
#define SDP_ERR_ROW(n, t) t,
	SDP_ERRORS(SDP_ERR_ROW)
#undef SDP_ERR_ROW
};

const char *sdp_err_text(enum sdp_err e)
{
	return e < SDP_E_COUNT ? err_text[e] : "?";
}

/* Splits on single spaces (SDP uses exactly one, RFC 4566 §5). Returns
 * the number of fields, at most `max`; the last takes the rest. */
static unsigned fields(struct sip_str v, struct sip_str *f, unsigned max)
{
	unsigned n = 0;
	size_t i = 0, start = 0;

	if (v.len == 0 || max == 0)
		return 0;
	for (; i <= v.len && n + 1 < max; i++) {
		if (i == v.len || v.p[i] == ' ') {
			f[n++] = (struct sip_str){ v.p + start, i - start };
			start = i + 1;
			if (i == v.len)
				return n;
		}
	}
	f[n++] = (struct sip_str){ v.p + start, v.len > start ? v.len - start
							      : 0 };
	return n;
}

static struct sip_str value_of(struct sip_str line)
{
	return (struct sip_str){ line.p + 2, line.len - 2 };
}

static bool attr_is(struct sip_str line, const char *name)
{
	size_t n = strlen(name);

	return line.len >= 2 + n && line.p[0] == 'a' &&
	       memcmp(line.p + 2, name, n) == 0 &&
	       (line.len == 2 + n || line.p[2 + n] == ':');
}

static bool parse_conn(struct sip_str v, struct sdp_conn *c)
{
	struct sip_str f[3];
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash;

	if (fields(v, f, 3) != 3 || !sip_str_eq(f[0], "IN") || f[2].len == 0)
		return false;
	slash = memchr(f[2].p, '/', f[2].len);   /* multicast /ttl */
	c->addr = (struct sip_str){ f[2].p, slash ? (size_t)(slash - f[2].p)
						  : f[2].len };
	c->ipv4 = false;
	if (sip_str_eq(f[1], "IP4")) {
		if (!sip_str_copy(c->addr, buf, sizeof(buf)))
			return false;
		c->ipv4 = inet_pton(AF_INET, buf, &c->ip) == 1;
		return true;
	}
	return sip_str_eq(f[1], "IP6");
}

static bool parse_port(struct sip_str s, uint16_t *port)
{
	const char *slash = memchr(s.p, '/', s.len);
	uint32_t v, n;

	if (slash != NULL) {   /* port/number-of-ports */
		if (!sip_str_to_u32((struct sip_str){ slash + 1, s.len -
				(size_t)(slash + 1 - s.p) }, 65535, &n) || n == 0)
			return false;
		s.len = (size_t)(slash - s.p);
	}
	if (!sip_str_to_u32(s, 65535, &v))
		return false;
	*port = (uint16_t)v;
	return true;
}

static enum sdp_err parse_m(struct sdp *s, struct sip_str v, unsigned idx)
{
	struct sdp_media *md;
	struct sip_str f[4];

	if (s->n_media == SDP_MAX_MEDIA)
		return SDP_E_TOO_MANY_MEDIA;
	md = &s->media[s->n_media];
	memset(md, 0, sizeof(*md));
	if (fields(v, f, 4) != 4 || f[0].len == 0 || f[2].len == 0 ||
	    f[3].len == 0 || !parse_port(f[1], &md->port))
		return SDP_E_MEDIA;
	md->type = f[0];
	md->proto = f[2];
	md->fmts = f[3];
	md->first_line = idx;
	s->n_media++;
	return SDP_E_OK;
}

/* a=rtcp:port [nettype addrtype addr] (RFC 3605) */
static enum sdp_err parse_rtcp(struct sdp_media *md, struct sip_str l)
{
	struct sip_str a = { l.p + 7, l.len - 7 }, f[2];

	if (l.len <= 7 || fields(a, f, 2) < 1 ||
	    !parse_port(f[0], &md->rtcp_port))
		return SDP_E_RTCP;
	md->has_rtcp = true;
	return SDP_E_OK;
}

/* a=sluice-mux:ID, ID 1-4294967295 in decimal */
static enum sdp_err parse_mux(struct sdp_media *md, struct sip_str l)
{
	size_t skip = 2 + sizeof(SDP_MUX_ATTR);   /* "a=" name ":" */
	struct sip_str v = { l.p + skip, l.len > skip ? l.len - skip : 0 };
	uint32_t id;

	if (l.len <= skip || l.p[skip - 1] != ':' ||
	    !sip_str_to_u32(sip_str_trim(v), UINT32_MAX, &id) || id == 0)
		return SDP_E_MUX;
	md->mux_id = id;
	return SDP_E_OK;
}

static void media_attr(struct sdp_media *md, struct sip_str line)
{
	if (attr_is(line, "rtcp-mux"))
		md->rtcp_mux = true;
	else if (attr_is(line, "candidate") || attr_is(line, "ice-ufrag"))
		md->ice = true;
	else if (attr_is(line, "sendonly"))
		md->dir = SDP_SENDONLY;
	else if (attr_is(line, "recvonly"))
		md->dir = SDP_RECVONLY;
	else if (attr_is(line, "inactive"))
		md->dir = SDP_INACTIVE;
}

/* One line of the description; `md` is the current media or NULL. */
static enum sdp_err parse_line(struct sdp *s, unsigned idx,
			       struct sdp_media *md)
{
	struct sip_str l = s->line[idx], v = value_of(l), f[6];

	switch (l.p[0]) {
	case 'o':
		return fields(v, f, 6) == 6 && f[5].len > 0 ? SDP_E_OK
							    : SDP_E_ORIGIN;
	case 'c':
		if (md != NULL) {
			md->has_conn = true;
			return parse_conn(v, &md->conn) ? SDP_E_OK
							: SDP_E_CONNECTION;
		}
		s->has_conn = true;
		return parse_conn(v, &s->conn) ? SDP_E_OK : SDP_E_CONNECTION;
	case 'm':
		return parse_m(s, v, idx);
	case 'a':
		if (md == NULL) {
			if (attr_is(l, "ice-ufrag") || attr_is(l, "ice-lite"))
				s->session_ice = true;
			return SDP_E_OK;
		}
		media_attr(md, l);
		if (attr_is(l, "rtcp"))
			return parse_rtcp(md, l);
		if (attr_is(l, SDP_MUX_ATTR))
			return parse_mux(md, l);
		return SDP_E_OK;
	default:
		return SDP_E_OK;
	}
}

static enum sdp_err split_lines(struct sdp *s, struct sip_str body)
{
	size_t i = 0;

	while (i < body.len) {
		const char *lf = memchr(body.p + i, '\n', body.len - i);
		size_t end = lf ? (size_t)(lf - body.p) : body.len;
		struct sip_str l = { body.p + i, end - i };

		if (l.len > 0 && l.p[l.len - 1] == '\r')
			l.len--;
		i = end + 1;
		if (l.len == 0)
			continue;   /* a trailing empty line */
		if (s->n_lines == SDP_MAX_LINES)
			return SDP_E_TOO_MANY_LINES;
		s->line[s->n_lines++] = l;
		if (l.len < 2 || l.p[1] != '=' || l.p[0] < 'a' || l.p[0] > 'z')
			return SDP_E_LINE;
		for (size_t k = 2; k < l.len; k++)   /* NUL, CR, ... */
			if ((unsigned char)l.p[k] < 0x20 && l.p[k] != '\t')
				return SDP_E_LINE;
	}
	return s->n_lines ? SDP_E_OK : SDP_E_EMPTY;
}

/* Session-level defaults flow into each stream; ends are fixed. */
static enum sdp_err finish_media(struct sdp *s)
{
	for (unsigned k = 0; k < s->n_media; k++) {
		struct sdp_media *md = &s->media[k];

		md->end_line = k + 1 < s->n_media ? s->media[k + 1].first_line
						  : s->n_lines;
		md->ice = md->ice || s->session_ice;
		if (!md->has_conn) {
			if (!s->has_conn && md->port != 0)
				return SDP_E_NO_CONNECTION;
			md->has_conn = s->has_conn;
			md->conn = s->conn;
		}
	}
	return SDP_E_OK;
}

int sdp_parse(struct sdp *s, struct sip_str body)
{
	struct sdp_media *md = NULL;
	enum sdp_err e;

	memset(s, 0, sizeof(*s));
	e = split_lines(s, body);
	if (e == SDP_E_OK && !sip_str_eq(s->line[0], "v=0"))
		e = SDP_E_VERSION;
	for (unsigned i = 1; e == SDP_E_OK && i < s->n_lines; i++) {
		unsigned before = s->n_media;

		e = parse_line(s, i, md);
		if (s->n_media != before)
			md = &s->media[s->n_media - 1];
		if (e != SDP_E_OK)
			s->err_line = i + 1;
	}
	if (e == SDP_E_OK)
		e = finish_media(s);
	s->err = e;
	if (e != SDP_E_OK && s->err_line == 0)
		s->err_line = s->n_lines;
	return e == SDP_E_OK ? 0 : -1;
}

bool sdp_all_ice(const struct sdp *s)
{
	unsigned active = 0;

	for (unsigned k = 0; k < s->n_media; k++) {
		if (s->media[k].port == 0)
			continue;
		active++;
		if (!s->media[k].ice)
			return false;
	}
	return active > 0;
}

/* ---- the rewriter ------------------------------------------------------------ */

static bool is_ice_attr(struct sip_str l)
{
	static const char *const ice[] = {
		"candidate", "ice-ufrag", "ice-pwd", "ice-options",
		"remote-candidates", "end-of-candidates", "ice-lite",
		"ice-mismatch", "ice-pacing",
	};

	for (size_t i = 0; i < sizeof(ice) / sizeof(ice[0]); i++)
		if (attr_is(l, ice[i]))
			return true;
	return false;
}

static void put_line(struct sip_wbuf *o, struct sip_str l)
{
	sip_w_printf(o, "%.*s\r\n", (int)l.len, l.p);
}

/* o=user id version IN IP4 addr: the address becomes ours. */
static void put_origin(struct sip_wbuf *o, struct sip_str l, const char *ip)
{
	struct sip_str f[6];

	if (fields(value_of(l), f, 6) != 6) {
		put_line(o, l);
		return;
	}
	sip_w_printf(o, "o=%.*s %.*s %.*s IN IP4 %s\r\n", (int)f[0].len, f[0].p,
	    (int)f[1].len, f[1].p, (int)f[2].len, f[2].p, ip);
}

static void put_media_line(struct sip_wbuf *o, const struct sdp_media *md,
			   uint16_t port)
{
	sip_w_printf(o, "m=%.*s %u %.*s %.*s\r\n", (int)md->type.len, md->type.p,
	    md->port == 0 || port == 0 ? md->port : port,
	    (int)md->proto.len, md->proto.p, (int)md->fmts.len, md->fmts.p);
}

long sdp_rewrite(const struct sdp *s, const struct sdp_rewrite *rw,
		 char *buf, size_t cap)
{
	struct sip_wbuf o;
	char ip[INET_ADDRSTRLEN];
	unsigned k = 0;
	const struct sdp_media *md = NULL;

	sip_w_init(&o, buf, cap);
	inet_ntop(AF_INET, &rw->ip, ip, sizeof(ip));
	for (unsigned i = 0; i < s->n_lines; i++) {
		struct sip_str l = s->line[i];
		uint16_t port;

		if (k < s->n_media && s->media[k].first_line == i)
			md = &s->media[k++];
		port = md ? rw->rtp_port[md - s->media] : 0;
		if (l.p[0] == 'a' && ((rw->strip_ice && is_ice_attr(l)) ||
				      attr_is(l, SDP_MUX_ATTR)))
			continue;
		switch (l.p[0]) {
		case 'o':
			put_origin(&o, l, ip);
			break;
		case 'c':
			sip_w_printf(&o, "c=IN IP4 %s\r\n", ip);
			break;
		case 'm':
			put_media_line(&o, md, port);
			if (md->port != 0 && rw->mux_id[md - s->media] != 0)
				sip_w_printf(&o, "a=" SDP_MUX_ATTR ":%u\r\n",
					     rw->mux_id[md - s->media]);
			break;
		default:
			if (md != NULL && attr_is(l, "rtcp") && port != 0 &&
			    md->port != 0)
				sip_w_printf(&o, "a=rtcp:%u IN IP4 %s\r\n",
				    md->rtcp_mux && !rw->mux_id[md - s->media] ?
				    port : port + 1u, ip);
			else
				put_line(&o, l);
			break;
		}
	}
	return o.overflow ? -1 : (long)o.len;
}

long sdp_write_refusal(const struct sdp *offer, uint32_t ip, char *buf,
		       size_t cap)
{
	struct sip_wbuf o;
	char a[INET_ADDRSTRLEN];

	sip_w_init(&o, buf, cap);
	inet_ntop(AF_INET, &ip, a, sizeof(a));
	sip_w_printf(&o, "v=0\r\no=- 0 0 IN IP4 %s\r\ns=-\r\n"
		     "c=IN IP4 %s\r\nt=0 0\r\n", a, a);
	for (unsigned i = 0; i < offer->n_media; i++) {
		const struct sdp_media *md = &offer->media[i];
		struct sip_str f[2];

		/* one format of the offer's is enough (RFC 3264 §6) */
		if (fields(md->fmts, f, 2) == 0)
			f[0] = md->fmts;
		sip_w_printf(&o, "m=%.*s 0 %.*s %.*s\r\n", (int)md->type.len,
			     md->type.p, (int)md->proto.len, md->proto.p,
			     (int)f[0].len, f[0].p);
	}
	return o.overflow ? -1 : (long)o.len;
}

struct sdp_dest sdp_media_dest(const struct sdp_media *md)
{
	return (struct sdp_dest){
		.ip = md->conn.ipv4 ? md->conn.ip : 0,
		.rtp = md->port,
		.rtcp = md->has_rtcp ? md->rtcp_port : 0,
	};
}

bool sdp_dest_moved(const struct sdp_dest *was, const struct sdp_dest *now)
{
	if (was->ip == 0 || was->rtp == 0 || now->ip == 0 || now->rtp == 0)
		return false;
	return was->ip != now->ip || was->rtp != now->rtp ||
	       was->rtcp != now->rtcp;
}
