/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_msg.c — SIP start line, header section (folding, compact forms,
 * comma-split Via), Content-Length framing. See sip_msg.h.
 *
 *   parse_start_line ─► parse_header_lines ─► index_headers ─► frame_body
 *   (request/status)    (unfold into scratch)  (Via, CSeq, tags,  (datagram:
 *                                               Content-Length)    rest; stream:
 *                                                                  exactly CL)
 *
 * The first error found is kept (m->err) and parsing goes on where it
 * can, so that a request with, say, a bad Content-Length still yields the
 * Via/From/To/Call-ID/CSeq its 400 response needs.
 */
#include "sip_msg.h"

#include <string.h>
#include <strings.h>

#include "sip_hdr.h"

/* ---- tables ------------------------------------------------------------- */

static const struct {
	const char *name;
	unsigned code;
	const char *text;
} err_tab[SIP_E_COUNT] = {
#define SIP_ERR_ROW(n, c, t) { #n, c, t },
	SIP_ERRORS(SIP_ERR_ROW)
#undef SIP_ERR_ROW
};

const char *sip_err_text(enum sip_err e)
{
	return e < SIP_E_COUNT ? err_tab[e].text : "?";
}

const char *sip_err_name(enum sip_err e)
{
	static char lower[SIP_E_COUNT][24];

	if (e >= SIP_E_COUNT)
		return "?";
	if (lower[e][0] == '\0') {
		const char *s = err_tab[e].name;
		size_t i;

		for (i = 0; s[i] != '\0' && i + 1 < sizeof(lower[e]); i++)
			lower[e][i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ?
					     s[i] - 'A' + 'a' : s[i]);
		lower[e][i] = '\0';
	}
	return lower[e];
}

unsigned sip_err_status(enum sip_err e)
{
	return e < SIP_E_COUNT ? err_tab[e].code : 500;
}

static const char *const method_names[SIP_M_COUNT] = {
	[SIP_M_UNKNOWN] = "", [SIP_M_INVITE] = "INVITE", [SIP_M_ACK] = "ACK",
	[SIP_M_BYE] = "BYE", [SIP_M_CANCEL] = "CANCEL",
	[SIP_M_REGISTER] = "REGISTER", [SIP_M_OPTIONS] = "OPTIONS",
	[SIP_M_INFO] = "INFO", [SIP_M_UPDATE] = "UPDATE",
	[SIP_M_PRACK] = "PRACK", [SIP_M_SUBSCRIBE] = "SUBSCRIBE",
	[SIP_M_NOTIFY] = "NOTIFY", [SIP_M_MESSAGE] = "MESSAGE",
	[SIP_M_REFER] = "REFER",
};

const char *sip_method_name(enum sip_method m)
{
	return m < SIP_M_COUNT ? method_names[m] : "";
}

/* Methods are case-sensitive (RFC 3261 §7.1). */
enum sip_method sip_method_from(struct sip_str s)
{
	for (unsigned m = 1; m < SIP_M_COUNT; m++)
		if (sip_str_eq(s, method_names[m]))
			return (enum sip_method)m;
	return SIP_M_UNKNOWN;
}

static const struct {
	const char *name;
	char compact;
} hdr_tab[SIP_H_COUNT] = {
	[SIP_H_OTHER] = { "", 0 },
#define SIP_HDR_ROW(id, name, compact) [SIP_H_##id] = { name, compact },
	SIP_HEADERS(SIP_HDR_ROW)
#undef SIP_HDR_ROW
};

const char *sip_hdr_name(enum sip_hdr h)
{
	return h < SIP_H_COUNT ? hdr_tab[h].name : "";
}

enum sip_hdr sip_hdr_from(struct sip_str name)
{
	if (name.len == 1) {
		char c = (char)(name.p[0] | 0x20);

		for (unsigned h = 1; h < SIP_H_COUNT; h++)
			if (hdr_tab[h].compact == c)
				return (enum sip_hdr)h;
		return SIP_H_OTHER;
	}
	for (unsigned h = 1; h < SIP_H_COUNT; h++)
		if (sip_str_ieq(name, hdr_tab[h].name))
			return (enum sip_hdr)h;
	return SIP_H_OTHER;
}

/* ---- views ---------------------------------------------------------------- */

bool sip_str_eq(struct sip_str a, const char *lit)
{
	size_t n = strlen(lit);

	return a.len == n && (n == 0 || memcmp(a.p, lit, n) == 0);
}

bool sip_str_ieq(struct sip_str a, const char *lit)
{
	size_t n = strlen(lit);

	return a.len == n && (n == 0 || strncasecmp(a.p, lit, n) == 0);
}

bool sip_str_eq_str(struct sip_str a, struct sip_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

bool sip_str_ieq_str(struct sip_str a, struct sip_str b)
{
	return a.len == b.len &&
	       (a.len == 0 || strncasecmp(a.p, b.p, a.len) == 0);
}

bool sip_str_to_u32(struct sip_str s, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (s.len == 0 || s.len > 10)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s.p[i] - '0');
	}
	if (v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

struct sip_str sip_str_trim(struct sip_str s)
{
	while (s.len > 0 && is_ws(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && is_ws(s.p[s.len - 1]))
		s.len--;
	return s;
}

bool sip_str_copy(struct sip_str s, char *dst, size_t cap)
{
	if (cap == 0)
		return false;
	if (s.len >= cap) {
		dst[0] = '\0';
		return false;
	}
	if (s.len)
		memcpy(dst, s.p, s.len);
	dst[s.len] = '\0';
	return true;
}

/* ---- lines ---------------------------------------------------------------- */

/* The line at *pos (without its CRLF or LF); *pos moves past the end.
 * False when no LF is left. */
static bool next_line(const char *buf, size_t len, size_t *pos,
		      struct sip_str *line)
{
	const char *lf;

	if (*pos >= len)
		return false;
	lf = memchr(buf + *pos, '\n', len - *pos);
	if (lf == NULL)
		return false;
	line->p = buf + *pos;
	line->len = (size_t)(lf - line->p);
	if (line->len > 0 && line->p[line->len - 1] == '\r')
		line->len--;
	*pos = (size_t)(lf - buf) + 1;
	return true;
}

static bool value_chars_ok(struct sip_str v);

static void set_err(struct sip_msg *m, enum sip_err e, struct sip_str hdr)
{
	if (m->err == SIP_E_OK) {
		m->err = e;
		m->err_header = hdr;
	}
}

static bool all_token(struct sip_str s)
{
	if (s.len == 0)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (!sip_is_token_char((unsigned char)s.p[i]))
			return false;
	return true;
}

/* "SIP/2.0" exactly (case-insensitive); another SIP/x.y is a version
 * error, anything else a start-line error. */
static enum sip_err check_version(struct sip_str v)
{
	if (sip_str_ieq(v, "SIP/2.0"))
		return SIP_E_OK;
	if (v.len > 4 && strncasecmp(v.p, "SIP/", 4) == 0)
		return SIP_E_VERSION;
	return SIP_E_START_LINE;
}

static void parse_status_line(struct sip_msg *m, struct sip_str l)
{
	uint32_t code;

	m->is_request = false;
	if (l.len < 11 || l.p[7] != ' ' || (l.len > 11 && l.p[11] != ' ')) {
		set_err(m, SIP_E_START_LINE, SIP_STR_NULL);
		return;
	}
	if (check_version((struct sip_str){ l.p, 7 }) != SIP_E_OK) {
		set_err(m, SIP_E_VERSION, SIP_STR_NULL);
		return;
	}
	if (!sip_str_to_u32((struct sip_str){ l.p + 8, 3 }, 699, &code) ||
	    code < 100) {
		set_err(m, SIP_E_STATUS, SIP_STR_NULL);
		return;
	}
	m->status = code;
	m->reason = l.len > 12 ? (struct sip_str){ l.p + 12, l.len - 12 }
			       : SIP_STR_NULL;
}

static void parse_request_line(struct sip_msg *m, struct sip_str l)
{
	const char *sp1 = memchr(l.p, ' ', l.len), *sp2;
	struct sip_str ver;
	enum sip_err e;

	m->is_request = true;
	if (sp1 == NULL) {
		set_err(m, SIP_E_START_LINE, SIP_STR_NULL);
		return;
	}
	m->method_name = (struct sip_str){ l.p, (size_t)(sp1 - l.p) };
	sp2 = memchr(sp1 + 1, ' ', l.len - (size_t)(sp1 + 1 - l.p));
	if (sp2 == NULL) {
		set_err(m, SIP_E_START_LINE, SIP_STR_NULL);
		return;
	}
	m->ruri = (struct sip_str){ sp1 + 1, (size_t)(sp2 - sp1 - 1) };
	ver = (struct sip_str){ sp2 + 1, l.len - (size_t)(sp2 + 1 - l.p) };
	if (!all_token(m->method_name)) {
		set_err(m, SIP_E_METHOD, SIP_STR_NULL);
		return;
	}
	m->method = sip_method_from(m->method_name);
	e = check_version(ver);
	if (e != SIP_E_OK) {
		set_err(m, e, SIP_STR_NULL);
		return;
	}
	if (m->ruri.len == 0 || memchr(m->ruri.p, ':', m->ruri.len) == NULL ||
	    memchr(m->ruri.p, '\t', m->ruri.len) != NULL)
		set_err(m, SIP_E_RURI, SIP_STR_NULL);
}

/* ---- header lines ------------------------------------------------------------ */

static bool scratch_put(struct sip_msg *m, const char *p, size_t n)
{
	if (n > sizeof(m->scratch) - m->scratch_used)
		return false;
	memcpy(m->scratch + m->scratch_used, p, n);
	m->scratch_used += n;
	return true;
}

static bool value_chars_ok(struct sip_str v)
{
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

/* A new header line "name: value". */
static enum sip_err start_header(struct sip_msg *m, struct sip_str l,
				 size_t *val_off)
{
	size_t i = 0;
	struct sip_header *h;
	struct sip_str v;

	while (i < l.len && sip_is_token_char((unsigned char)l.p[i]))
		i++;
	if (i == 0)
		return SIP_E_HEADER_NAME;
	h = &m->hdr[m->n_hdr];
	h->name = (struct sip_str){ l.p, i };
	h->id = sip_hdr_from(h->name);
	while (i < l.len && is_ws(l.p[i]))
		i++;
	if (i == l.len || l.p[i] != ':')
		return SIP_E_HEADER_LINE;
	v = sip_str_trim((struct sip_str){ l.p + i + 1, l.len - i - 1 });
	if (!value_chars_ok(v))
		return SIP_E_CONTROL_CHAR;
	*val_off = m->scratch_used;
	if (!scratch_put(m, v.p, v.len))
		return SIP_E_HEADERS_TOO_BIG;
	m->n_hdr++;
	return SIP_E_OK;
}

/* A continuation line (RFC 3261 §7.3.1): the fold becomes one space. */
static enum sip_err fold_into_header(struct sip_msg *m, struct sip_str l)
{
	struct sip_str v = sip_str_trim(l);

	if (m->n_hdr == 0)
		return SIP_E_FOLD_FIRST;
	if (!value_chars_ok(v))
		return SIP_E_CONTROL_CHAR;
	if (v.len == 0)
		return SIP_E_OK;
	if (!scratch_put(m, " ", 1) || !scratch_put(m, v.p, v.len))
		return SIP_E_HEADERS_TOO_BIG;
	return SIP_E_OK;
}

/*
 * Reads header lines from *pos to the empty line. Values are appended to
 * the scratch in order; the last header's value ends at scratch_used, so
 * a fold simply extends it. Returns false on an error that stops the
 * parse (m->err set).
 */
static bool parse_header_lines(struct sip_msg *m, const char *buf, size_t len,
			       size_t *pos)
{
	size_t off[SIP_MAX_HEADERS];
	struct sip_str l;
	enum sip_err e;

	for (;;) {
		if (!next_line(buf, len, pos, &l)) {
			set_err(m, SIP_E_NO_END, SIP_STR_NULL);
			return false;
		}
		if (l.len == 0)
			break;
		if (is_ws(l.p[0])) {
			e = fold_into_header(m, l);
		} else if (m->n_hdr == SIP_MAX_HEADERS) {
			e = SIP_E_TOO_MANY_HEADERS;
		} else {
			e = start_header(m, l, &off[m->n_hdr]);
		}
		if (e != SIP_E_OK) {
			set_err(m, e, m->n_hdr ? m->hdr[m->n_hdr - 1].name
					       : SIP_STR_NULL);
			return false;
		}
	}
	for (unsigned i = 0; i < m->n_hdr; i++) {
		size_t end = i + 1 < m->n_hdr ? off[i + 1] : m->scratch_used;

		/* a value that began empty starts with its fold's space */
		m->hdr[i].value = sip_str_trim((struct sip_str){
					m->scratch + off[i], end - off[i] });
	}
	return true;
}

/* ---- the headers a transaction needs ------------------------------------------ */

static void index_via(struct sip_msg *m, const struct sip_header *h)
{
	size_t pos = 0;
	struct sip_str item;

	while (sip_list_next(h->value, &pos, &item)) {
		if (m->n_via == SIP_MAX_VIA) {
			set_err(m, SIP_E_TOO_MANY_VIA, h->name);
			return;
		}
		if (!sip_via_parse(item, &m->via[m->n_via])) {
			set_err(m, SIP_E_VIA, h->name);
			return;
		}
		m->n_via++;
	}
	if (pos == 0)   /* an empty Via value */
		set_err(m, SIP_E_VIA, h->name);
}

static void index_cseq(struct sip_msg *m, const struct sip_header *h)
{
	const char *sp = memchr(h->value.p, ' ', h->value.len);
	struct sip_str num, meth;

	if (sp == NULL) {
		set_err(m, SIP_E_CSEQ, h->name);
		return;
	}
	num = (struct sip_str){ h->value.p, (size_t)(sp - h->value.p) };
	meth = sip_str_trim((struct sip_str){ sp + 1, h->value.len -
					      num.len - 1 });
	/* RFC 3261 §8.1.1.5: less than 2**31 */
	if (!sip_str_to_u32(num, 0x7fffffffu, &m->cseq) || !all_token(meth)) {
		set_err(m, SIP_E_CSEQ, h->name);
		return;
	}
	m->cseq_method_name = meth;
	m->cseq_method = sip_method_from(meth);
}

static void index_tagged(struct sip_msg *m, const struct sip_header *h,
			 struct sip_str *whole, struct sip_str *tag,
			 enum sip_err bad)
{
	struct sip_nameaddr na;

	/* a malformed From/To is not echoed: the request is not answered */
	if (!sip_nameaddr_parse(h->value, &na) || na.star) {
		set_err(m, bad, h->name);
		return;
	}
	*whole = h->value;
	if (!sip_param_get(na.params, "tag", tag))
		*tag = SIP_STR_NULL;
}

static void index_content_length(struct sip_msg *m, const struct sip_header *h)
{
	uint32_t v;

	if (!sip_str_to_u32(h->value, 0xffffffffu, &v)) {
		set_err(m, SIP_E_CONTENT_LENGTH, h->name);
		return;
	}
	if (m->has_content_length && m->content_length != v) {
		set_err(m, SIP_E_CL_CONFLICT, h->name);
		return;
	}
	m->has_content_length = true;
	m->content_length = v;
}

/* Call-ID, From, To, CSeq: exactly one each. */
static bool once(struct sip_msg *m, const struct sip_header *h,
		 struct sip_str seen)
{
	if (seen.p != NULL) {
		set_err(m, SIP_E_DUP_HEADER, h->name);
		return false;
	}
	return true;
}

static void index_one(struct sip_msg *m, const struct sip_header *h)
{
	uint32_t v;

	switch (h->id) {
	case SIP_H_VIA:
		index_via(m, h);
		break;
	case SIP_H_CALL_ID:
		if (once(m, h, m->call_id))
			m->call_id = h->value;
		break;
	case SIP_H_FROM:
		if (once(m, h, m->from))
			index_tagged(m, h, &m->from, &m->from_tag, SIP_E_FROM);
		break;
	case SIP_H_TO:
		if (once(m, h, m->to))
			index_tagged(m, h, &m->to, &m->to_tag, SIP_E_TO);
		break;
	case SIP_H_CSEQ:
		if (once(m, h, m->cseq_method_name))
			index_cseq(m, h);
		break;
	case SIP_H_CONTENT_LENGTH:
		index_content_length(m, h);
		break;
	case SIP_H_MAX_FORWARDS:
		if (!sip_str_to_u32(h->value, 255, &v))
			set_err(m, SIP_E_MAX_FORWARDS, h->name);
		else
			m->max_forwards = (int)v;
		break;
	default:
		break;
	}
}

static void check_required(struct sip_msg *m)
{
	if (m->n_via == 0)
		set_err(m, SIP_E_MISSING_VIA, SIP_STR_NULL);
	if (m->from.p == NULL)
		set_err(m, SIP_E_MISSING_FROM, SIP_STR_NULL);
	if (m->to.p == NULL)
		set_err(m, SIP_E_MISSING_TO, SIP_STR_NULL);
	if (m->call_id.len == 0)
		set_err(m, SIP_E_MISSING_CALL_ID, SIP_STR_NULL);
	if (m->cseq_method_name.p == NULL)
		set_err(m, SIP_E_MISSING_CSEQ, SIP_STR_NULL);
	else if (m->is_request && m->method_name.p != NULL &&
		 /* CANCEL and ACK too: the INVITE's number, their name */
		 !sip_str_eq_str(m->cseq_method_name, m->method_name))
		set_err(m, SIP_E_CSEQ_METHOD, SIP_STR_NULL);
}

static void frame_body(struct sip_msg *m, const char *buf, size_t len,
		       size_t pos, enum sip_framing framing)
{
	size_t rest = len - pos;
	size_t want = m->has_content_length ? m->content_length : 0;

	if (m->has_content_length && m->content_length > SIP_BODY_MAX) {
		set_err(m, SIP_E_BODY_TOO_BIG, SIP_STR_NULL);
		return;
	}
	if (framing == SIP_FRAME_DATAGRAM && !m->has_content_length)
		want = rest;
	if (want > rest) {
		set_err(m, SIP_E_BODY_SHORT, SIP_STR_NULL);
		return;
	}
	/* datagram octets beyond Content-Length are discarded (§18.3) */
	m->body = (struct sip_str){ buf + pos, want };
}

int sip_msg_parse(struct sip_msg *m, const char *buf, size_t len,
		  enum sip_framing framing)
{
	struct sip_str l;
	size_t pos = 0;

	memset(m, 0, offsetof(struct sip_msg, scratch));
	m->max_forwards = -1;
	/* leading CRLFs before a message are ignored (§7.5) */
	while (pos < len && (buf[pos] == '\r' || buf[pos] == '\n'))
		pos++;
	if (pos == len) {
		m->err = SIP_E_EMPTY;
		return -1;
	}
	if (!next_line(buf, len, &pos, &l)) {
		m->err = SIP_E_NO_END;
		return -1;
	}
	if (!value_chars_ok(l))
		m->err = SIP_E_START_LINE;   /* NUL, CR, ... : not answered */
	else if (l.len >= 4 && strncasecmp(l.p, "SIP/", 4) == 0)
		parse_status_line(m, l);
	else
		parse_request_line(m, l);
	if (!parse_header_lines(m, buf, len, &pos))
		return -1;
	for (unsigned i = 0; i < m->n_hdr; i++)
		index_one(m, &m->hdr[i]);
	check_required(m);
	frame_body(m, buf, len, pos, framing);
	return m->err == SIP_E_OK ? 0 : -1;
}

bool sip_msg_can_answer(const struct sip_msg *m)
{
	return m->is_request && m->method != SIP_M_ACK && m->n_via > 0 &&
	       m->call_id.len > 0 && m->from.p != NULL && m->to.p != NULL &&
	       m->cseq_method_name.p != NULL && m->method_name.p != NULL;
}

const struct sip_header *sip_msg_hdr(const struct sip_msg *m, enum sip_hdr h)
{
	for (unsigned i = 0; i < m->n_hdr; i++)
		if (m->hdr[i].id == h)
			return &m->hdr[i];
	return NULL;
}

const struct sip_header *sip_msg_next_hdr(const struct sip_msg *m,
					  const struct sip_header *prev)
{
	for (const struct sip_header *h = prev + 1; h < m->hdr + m->n_hdr; h++)
		if (h->id == prev->id)
			return h;
	return NULL;
}

/* ---- stream framing ---------------------------------------------------------- */

/* The end of the header section (the index after its empty line), or 0. */
static size_t header_end(const char *buf, size_t len, size_t from)
{
	for (size_t i = from; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

long sip_stream_frame(const char *buf, size_t len, size_t *skip,
		      unsigned *crlfs, enum sip_err *err)
{
	size_t pos, end, hpos;
	struct sip_str l;
	uint32_t cl = 0;
	bool have_cl = false;

	*skip = 0;
	*crlfs = 0;
	*err = SIP_E_OK;
	while (*skip < len && (buf[*skip] == '\r' || buf[*skip] == '\n')) {
		if (buf[*skip] == '\n')
			(*crlfs)++;
		(*skip)++;
	}
	pos = *skip;
	end = header_end(buf, len, pos);
	if (end == 0) {
		if (len - pos >= SIP_MSG_MAX) {
			*err = SIP_E_HEADERS_TOO_BIG;
			return -1;
		}
		return 0;
	}
	hpos = pos;
	(void)next_line(buf, end, &hpos, &l);   /* the start line */
	while (next_line(buf, end, &hpos, &l) && l.len > 0) {
		const char *colon = memchr(l.p, ':', l.len);
		struct sip_str name, val;
		uint32_t v;

		if (colon == NULL || is_ws(l.p[0]))
			continue;   /* the parser proper judges these */
		name = sip_str_trim((struct sip_str){ l.p,
						      (size_t)(colon - l.p) });
		if (sip_hdr_from(name) != SIP_H_CONTENT_LENGTH)
			continue;
		val = sip_str_trim((struct sip_str){ colon + 1, l.len -
					(size_t)(colon + 1 - l.p) });
		if (!sip_str_to_u32(val, 0xffffffffu, &v) ||
		    (have_cl && v != cl)) {
			*err = have_cl ? SIP_E_CL_CONFLICT
				       : SIP_E_CONTENT_LENGTH;
			return -1;
		}
		have_cl = true;
		cl = v;
	}
	if (cl > SIP_BODY_MAX) {
		*err = SIP_E_BODY_TOO_BIG;
		return -1;
	}
	if (end - pos + cl > len - pos)
		return 0;
	return (long)(end - pos + cl);
}
