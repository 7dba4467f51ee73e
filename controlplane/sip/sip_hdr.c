/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_hdr.c — structured header values: URI, name-addr, Via, parameters,
 * comma lists, digest auth-params. See sip_hdr.h.
 *
 * Everything here scans a view left to right with an index that never
 * passes its length; quoted strings honour backslash escapes.
 */
#include "sip_hdr.h"

#include <string.h>
#include <strings.h>

bool sip_is_token_char(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("-.!%*_+`'~", c) != NULL;
}

static struct sip_str sub(struct sip_str s, size_t from, size_t to)
{
	return (struct sip_str){ s.p + from, to - from };
}

/* Index of the first `c` at or after `from` outside quotes and <...>, or
 * s.len. A quote left open makes *ok false. */
static size_t find_unquoted(struct sip_str s, size_t from, char c, bool *ok)
{
	bool q = false;
	int angle = 0;

	for (size_t i = from; i < s.len; i++) {
		char ch = s.p[i];

		if (q) {
			if (ch == '\\' && i + 1 < s.len)
				i++;
			else if (ch == '"')
				q = false;
			continue;
		}
		if (ch == c && angle == 0)
			return i;
		if (ch == '"')
			q = true;
		else if (ch == '<')
			angle++;
		else if (ch == '>' && angle > 0)
			angle--;
	}
	if (q || angle)
		*ok = false;
	return s.len;
}

bool sip_list_next(struct sip_str list, size_t *pos, struct sip_str *item)
{
	bool ok = true;
	size_t end;

	while (*pos < list.len) {
		end = find_unquoted(list, *pos, ',', &ok);
		if (!ok) {
			*pos = list.len;
			return false;
		}
		*item = sip_str_trim(sub(list, *pos, end));
		*pos = end < list.len ? end + 1 : list.len;
		if (item->len > 0)
			return true;
	}
	return false;
}

bool sip_hostport_parse(struct sip_str s, struct sip_str *host, uint16_t *port)
{
	size_t i;
	uint32_t v;

	*port = 0;
	if (s.len == 0)
		return false;
	if (s.p[0] == '[') {
		const char *rb = memchr(s.p, ']', s.len);

		if (rb == NULL || rb == s.p + 1)
			return false;
		i = (size_t)(rb - s.p) + 1;
		for (size_t k = 1; k + 1 < i; k++)
			if (!strchr("0123456789abcdefABCDEF:.", s.p[k]))
				return false;
	} else {
		for (i = 0; i < s.len && s.p[i] != ':'; i++) {
			char c = s.p[i];

			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '-' || c == '.'))
				return false;
		}
		if (i == 0)
			return false;
	}
	*host = sub(s, 0, i);
	if (i == s.len)
		return true;
	if (s.p[i] != ':' ||
	    !sip_str_to_u32(sub(s, i + 1, s.len), 65535, &v) || v == 0)
		return false;
	*port = (uint16_t)v;
	return true;
}

bool sip_uri_parse(struct sip_str s, struct sip_uri *u)
{
	size_t colon, at = s.len, hp_start, hp_end, i;
	const char *q;

	memset(u, 0, sizeof(*u));
	for (colon = 0; colon < s.len && s.p[colon] != ':'; colon++)
		;
	if (colon == 0 || colon == s.len)
		return false;
	u->scheme = sub(s, 0, colon);
	for (i = 0; i < colon; i++)
		if (!sip_is_token_char((unsigned char)s.p[i]))
			return false;
	for (i = colon + 1; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == 0x7f)
			return false;
	}
	if (sip_str_ieq(u->scheme, "tel")) {
		u->user = sub(s, colon + 1, s.len);
		return u->user.len > 0;
	}
	if (!sip_str_ieq(u->scheme, "sip") && !sip_str_ieq(u->scheme, "sips"))
		return false;
	q = memchr(s.p + colon + 1, '?', s.len - colon - 1);
	if (q != NULL) {
		u->headers = sub(s, (size_t)(q - s.p) + 1, s.len);
		s.len = (size_t)(q - s.p);
	}
	/* user part: up to the last '@' before any ';' of the host part */
	for (i = colon + 1; i < s.len; i++)
		if (s.p[i] == '@')
			at = i;
	hp_start = colon + 1;
	if (at != s.len) {
		const char *pw = memchr(s.p + colon + 1, ':', at - colon - 1);

		u->user = sub(s, colon + 1, pw ? (size_t)(pw - s.p) : at);
		hp_start = at + 1;
	}
	for (hp_end = hp_start; hp_end < s.len && s.p[hp_end] != ';'; hp_end++)
		;
	if (hp_end < s.len)
		u->params = sub(s, hp_end + 1, s.len);
	return sip_hostport_parse(sub(s, hp_start, hp_end), &u->host, &u->port);
}

bool sip_param_get(struct sip_str params, const char *name,
		   struct sip_str *val)
{
	size_t pos = 0;
	bool ok = true;

	while (pos < params.len) {
		size_t end = find_unquoted(params, pos, ';', &ok);
		struct sip_str p = sip_str_trim(sub(params, pos, end));
		const char *eq = memchr(p.p, '=', p.len);
		struct sip_str n = eq ? sip_str_trim((struct sip_str){
						p.p, (size_t)(eq - p.p) })
				      : p;

		if (!ok)
			return false;
		if (sip_str_ieq(n, name)) {
			*val = eq ? sip_str_trim((struct sip_str){ eq + 1,
					p.len - (size_t)(eq + 1 - p.p) })
				  : SIP_STR_NULL;
			return true;
		}
		pos = end + 1;
	}
	return false;
}

bool sip_nameaddr_parse(struct sip_str s, struct sip_nameaddr *na)
{
	size_t i, end;
	bool ok = true;

	memset(na, 0, sizeof(*na));
	s = sip_str_trim(s);
	if (sip_str_eq(s, "*")) {
		na->star = true;
		return true;
	}
	end = find_unquoted(s, 0, '<', &ok);
	if (!ok)
		return false;
	if (end < s.len) {
		na->display = sip_str_trim(sub(s, 0, end));
		i = end + 1;
		while (i < s.len && s.p[i] != '>')
			i++;
		if (i == s.len)
			return false;
		na->uri = sub(s, end + 1, i);
		i++;
		while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t'))
			i++;
		if (i < s.len && s.p[i] != ';')
			return false;
		if (i < s.len)
			na->params = sub(s, i + 1, s.len);
	} else {
		/* addr-spec: ';' begins the header's parameters */
		end = find_unquoted(s, 0, ';', &ok);
		na->uri = sip_str_trim(sub(s, 0, end));
		if (end < s.len)
			na->params = sub(s, end + 1, s.len);
		if (memchr(na->uri.p, ' ', na->uri.len) != NULL ||
		    memchr(na->uri.p, '"', na->uri.len) != NULL)
			return false;
	}
	if (na->display.len > 0 && na->display.p[0] == '"' &&
	    (na->display.len < 2 || na->display.p[na->display.len - 1] != '"'))
		return false;
	return na->uri.len > 0 && memchr(na->uri.p, ':', na->uri.len) != NULL;
}

bool sip_via_parse(struct sip_str s, struct sip_via *v)
{
	size_t i = 0, t0, semi;
	bool ok = true;
	struct sip_str hp;

	memset(v, 0, sizeof(*v));
	v->value = s;
	/* "SIP" LWS? "/" LWS? "2.0" LWS? "/" LWS? transport */
	if (s.len < 8 || strncasecmp(s.p, "SIP", 3) != 0)
		return false;
	i = 3;
	for (int part = 0; part < 2; part++) {
		while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t'))
			i++;
		if (i == s.len || s.p[i] != '/')
			return false;
		i++;
		while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t'))
			i++;
		if (part == 0) {
			if (s.len - i < 3 || strncmp(s.p + i, "2.0", 3) != 0)
				return false;
			i += 3;
		}
	}
	t0 = i;
	while (i < s.len && sip_is_token_char((unsigned char)s.p[i]))
		i++;
	if (i == t0 || i == s.len || (s.p[i] != ' ' && s.p[i] != '\t'))
		return false;
	v->transport = sub(s, t0, i);
	while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t'))
		i++;
	semi = find_unquoted(s, i, ';', &ok);
	if (!ok)
		return false;
	hp = sip_str_trim(sub(s, i, semi));
	if (!sip_hostport_parse(hp, &v->host, &v->port))
		return false;
	if (semi < s.len) {
		struct sip_str rp;
		uint32_t port;

		v->params = sub(s, semi + 1, s.len);
		(void)sip_param_get(v->params, "branch", &v->branch);
		(void)sip_param_get(v->params, "received", &v->received);
		if (sip_param_get(v->params, "rport", &rp)) {
			v->rport = true;
			if (rp.len > 0) {
				if (!sip_str_to_u32(rp, 65535, &port))
					return false;
				v->rport_value = (uint16_t)port;
			}
		}
	}
	return true;
}

bool sip_auth_scheme(struct sip_str v, const char *scheme,
		     struct sip_str *params)
{
	size_t n = strlen(scheme);

	v = sip_str_trim(v);
	if (v.len <= n || strncasecmp(v.p, scheme, n) != 0 ||
	    (v.p[n] != ' ' && v.p[n] != '\t'))
		return false;
	*params = sip_str_trim(sub(v, n, v.len));
	return true;
}

bool sip_auth_param(struct sip_str params, const char *name,
		    struct sip_str *val)
{
	size_t pos = 0;
	struct sip_str item;

	while (sip_list_next(params, &pos, &item)) {
		const char *eq = memchr(item.p, '=', item.len);
		struct sip_str n, v;

		if (eq == NULL)
			continue;
		n = sip_str_trim((struct sip_str){ item.p,
						   (size_t)(eq - item.p) });
		if (!sip_str_ieq(n, name))
			continue;
		v = sip_str_trim((struct sip_str){ eq + 1, item.len -
					(size_t)(eq + 1 - item.p) });
		if (v.len >= 2 && v.p[0] == '"' && v.p[v.len - 1] == '"')
			v = sub(v, 1, v.len - 1);
		else if (v.len > 0 && v.p[0] == '"')
			return false;
		*val = v;
		return true;
	}
	return false;
}
