/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_json.c — strict recursive-descent JSON reader (see ctl_json.h).
 *
 * One scanner serves both jobs: json_parse() runs it over untrusted input
 * with error reporting; the iterators run it again over spans it already
 * accepted, to find where a value ends. Recursion is bounded by
 * JSON_MAX_DEPTH, so hostile input cannot exhaust the stack.
 */
#include "ctl_json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct scan {
	const char *start;
	const char *p;
	const char *end;
	char *err;
	size_t errlen;
	bool failed;
};

static bool __attribute__((format(printf, 2, 3)))
scan_fail(struct scan *s, const char *fmt, ...)
{
	char msg[128];
	va_list ap;

	if (s->failed)
		return false;
	s->failed = true;
	if (s->err == NULL || s->errlen == 0)
		return false;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(s->err, s->errlen, "offset %zu: %s",
		 (size_t)(s->p - s->start), msg);
	return false;
}

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
				 *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits at p (caller checked there are four bytes). */
static long hex4(const char *p)
{
	long v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		int h = hex_val(p[i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* After "\u": a code point, pairing surrogates. Advances s->p. */
static long scan_unicode_escape(struct scan *s)
{
	long hi, lo;

	if (s->end - s->p < 4 || (hi = hex4(s->p)) < 0)
		return scan_fail(s, "bad \\u escape"), -1;
	s->p += 4;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return scan_fail(s, "lone low surrogate"), -1;
	if (hi < 0xd800 || hi > 0xdbff)
		return hi;
	if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u' ||
	    (lo = hex4(s->p + 2)) < 0xdc00 || lo > 0xdfff)
		return scan_fail(s, "high surrogate without low"), -1;
	s->p += 6;
	return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
}

/* One escape after the backslash; the decoded code point or -1. */
static long scan_escape(struct scan *s)
{
	char c;

	if (s->p >= s->end)
		return scan_fail(s, "truncated escape"), -1;
	c = *s->p++;
	switch (c) {
	case '"':  return '"';
	case '\\': return '\\';
	case '/':  return '/';
	case 'b':  return '\b';
	case 'f':  return '\f';
	case 'n':  return '\n';
	case 'r':  return '\r';
	case 't':  return '\t';
	case 'u':  return scan_unicode_escape(s);
	default:
		s->p--;
		return scan_fail(s, "bad escape '\\%c'", c), -1;
	}
}

/* A raw UTF-8 sequence starting with byte >= 0x80. Advances s->p. */
static bool scan_utf8(struct scan *s)
{
	const unsigned char *u = (const unsigned char *)s->p;
	size_t avail = (size_t)(s->end - s->p), need, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		need = 1;
	else if (u[0] >= 0xe0 && u[0] <= 0xef)
		need = 2;
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
		need = 3;
	else
		return scan_fail(s, "invalid UTF-8 lead byte 0x%02x", u[0]);
	if (u[0] == 0xe0)
		lo = 0xa0;          /* overlong */
	else if (u[0] == 0xed)
		hi = 0x9f;          /* surrogates */
	else if (u[0] == 0xf0)
		lo = 0x90;          /* overlong */
	else if (u[0] == 0xf4)
		hi = 0x8f;          /* > U+10FFFF */
	if (avail <= need)
		return scan_fail(s, "truncated UTF-8 sequence");
	for (i = 1; i <= need; i++) {
		unsigned char b = u[i];

		if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf))
			return scan_fail(s, "invalid UTF-8 sequence");
	}
	s->p += need + 1;
	return true;
}

static bool scan_string(struct scan *s)
{
	s->p++;   /* opening quote */
	while (s->p < s->end) {
		unsigned char c = (unsigned char)*s->p;

		if (c == '"') {
			s->p++;
			return true;
		}
		if (c < 0x20)
			return scan_fail(s, "control character in string");
		if (c == '\\') {
			s->p++;
			if (scan_escape(s) < 0)
				return false;
		} else if (c >= 0x80) {
			if (!scan_utf8(s))
				return false;
		} else {
			s->p++;
		}
	}
	return scan_fail(s, "unterminated string");
}

static bool is_digit(const struct scan *s)
{
	return s->p < s->end && *s->p >= '0' && *s->p <= '9';
}

static void skip_digits(struct scan *s)
{
	while (is_digit(s))
		s->p++;
}

static bool scan_number(struct scan *s)
{
	if (s->p < s->end && *s->p == '-')
		s->p++;
	if (!is_digit(s))
		return scan_fail(s, "expected a digit");
	if (*s->p == '0')
		s->p++;       /* no leading zeros: "01" fails on the '1' later */
	else
		skip_digits(s);
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (!is_digit(s))
			return scan_fail(s, "expected a digit after '.'");
		skip_digits(s);
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!is_digit(s))
			return scan_fail(s, "expected a digit in exponent");
		skip_digits(s);
	}
	return true;
}

static bool scan_literal(struct scan *s, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return scan_fail(s, "invalid literal");
	s->p += n;
	return true;
}

static bool scan_value(struct scan *s, int depth, struct json_val *out);

/* Members or elements up to the closing bracket; s->p is past the opener. */
static bool scan_container(struct scan *s, int depth, bool object)
{
	char close = object ? '}' : ']';
	struct json_val v;

	skip_ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		return true;
	}
	for (;;) {
		if (object) {
			skip_ws(s);
			if (s->p >= s->end || *s->p != '"')
				return scan_fail(s, "expected a member name");
			if (!scan_string(s))
				return false;
			skip_ws(s);
			if (s->p >= s->end || *s->p != ':')
				return scan_fail(s, "expected ':'");
			s->p++;
		}
		if (!scan_value(s, depth + 1, &v))
			return false;
		skip_ws(s);
		if (s->p >= s->end)
			return scan_fail(s, "unterminated %s",
					 object ? "object" : "array");
		if (*s->p == close) {
			s->p++;
			return true;
		}
		if (*s->p != ',')
			return scan_fail(s, "expected ',' or '%c'", close);
		s->p++;
	}
}

static bool scan_value(struct scan *s, int depth, struct json_val *out)
{
	bool ok;

	skip_ws(s);
	if (s->p >= s->end)
		return scan_fail(s, "expected a value");
	out->p = s->p;
	switch (*s->p) {
	case '{':
	case '[':
		if (depth >= JSON_MAX_DEPTH)
			return scan_fail(s, "nesting deeper than %d",
					 JSON_MAX_DEPTH);
		out->type = *s->p == '{' ? JSON_OBJECT : JSON_ARRAY;
		s->p++;
		ok = scan_container(s, depth, out->type == JSON_OBJECT);
		break;
	case '"':
		out->type = JSON_STRING;
		ok = scan_string(s);
		break;
	case 't':
		out->type = JSON_TRUE;
		ok = scan_literal(s, "true");
		break;
	case 'f':
		out->type = JSON_FALSE;
		ok = scan_literal(s, "false");
		break;
	case 'n':
		out->type = JSON_NULL;
		ok = scan_literal(s, "null");
		break;
	default:
		out->type = JSON_NUMBER;
		ok = scan_number(s);
		break;
	}
	out->len = (size_t)(s->p - out->p);
	return ok;
}

int json_parse(const char *buf, size_t len, struct json_val *root,
	       char *err, size_t errlen)
{
	struct scan s = {
		.start = buf, .p = buf, .end = buf + len,
		.err = err, .errlen = errlen,
	};

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (!scan_value(&s, 0, root))
		return -1;
	skip_ws(&s);
	if (s.p != s.end) {
		scan_fail(&s, "trailing data after the value");
		return -1;
	}
	return 0;
}

int json_iter_init(struct json_iter *it, const struct json_val *v)
{
	if (v->type != JSON_OBJECT && v->type != JSON_ARRAY)
		return -1;
	it->p = v->p + 1;
	it->end = v->p + v->len - 1;   /* the closing bracket */
	it->object = v->type == JSON_OBJECT;
	return 0;
}

bool json_iter_next(struct json_iter *it, struct json_val *key,
		    struct json_val *val)
{
	struct scan s = { .start = it->p, .p = it->p, .end = it->end };
	struct json_val k;

	skip_ws(&s);
	if (s.p < s.end && *s.p == ',')
		s.p++;
	skip_ws(&s);
	if (s.p >= s.end)
		return false;
	if (it->object) {
		if (!scan_value(&s, 0, &k))
			return false;
		if (key != NULL)
			*key = k;
		skip_ws(&s);
		s.p++;   /* ':' */
	}
	if (!scan_value(&s, 0, val))
		return false;
	it->p = s.p;
	return true;
}

int json_obj_get(const struct json_val *obj, const char *name,
		 struct json_val *out)
{
	struct json_iter it;
	struct json_val k, v;

	if (obj->type != JSON_OBJECT || json_iter_init(&it, obj) != 0)
		return -1;
	while (json_iter_next(&it, &k, &v)) {
		if (json_str_eq(&k, name)) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

/* Append code point cp as UTF-8 if it fits. Returns bytes, 0 if not. */
static size_t put_utf8(char *dst, size_t room, long cp)
{
	unsigned char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (n > room)
		return 0;
	memcpy(dst, b, n);
	return n;
}

int json_get_str(const struct json_val *v, char *buf, size_t cap)
{
	struct scan s = { .p = v->p + 1, .end = v->p + v->len - 1 };
	size_t len = 0, n;
	long cp;

	if (v->type != JSON_STRING || cap == 0)
		return -1;
	s.start = s.p;
	while (s.p < s.end) {
		if (*s.p != '\\') {
			/* raw bytes, UTF-8 included, were validated: copy */
			if (len + 1 >= cap)
				goto full;
			buf[len++] = *s.p++;
			continue;
		}
		s.p++;
		cp = scan_escape(&s);
		if (cp < 0)
			goto full;
		n = put_utf8(buf + len, cap - 1 - len, cp);
		if (n == 0)
			goto full;
		len += n;
	}
	buf[len] = '\0';
	return (int)len;
full:
	buf[len] = '\0';
	return -1;
}

bool json_str_eq(const struct json_val *s, const char *text)
{
	char buf[256];
	int n;

	if (s->type != JSON_STRING)
		return false;
	/* Fast path: no escapes, compare the raw bytes. */
	if (memchr(s->p, '\\', s->len) == NULL)
		return s->len - 2 == strlen(text) &&
		       memcmp(s->p + 1, text, s->len - 2) == 0;
	n = json_get_str(s, buf, sizeof(buf));
	return n >= 0 && strcmp(buf, text) == 0;
}

/* Copy a number's text into a NUL-terminated buffer for strtoll/strtod. */
static int number_text(const struct json_val *v, char *buf, size_t cap)
{
	if (v->type != JSON_NUMBER || v->len >= cap)
		return -1;
	memcpy(buf, v->p, v->len);
	buf[v->len] = '\0';
	return 0;
}

int json_get_i64(const struct json_val *v, int64_t *out)
{
	char text[32], *end;
	long long n;

	if (number_text(v, text, sizeof(text)) != 0 ||
	    strpbrk(text, ".eE") != NULL)
		return -1;
	errno = 0;
	n = strtoll(text, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = n;
	return 0;
}

int json_get_double(const struct json_val *v, double *out)
{
	char text[64], *end;
	double d;

	if (number_text(v, text, sizeof(text)) != 0)
		return -1;
	errno = 0;
	d = strtod(text, &end);
	if (errno != 0 || *end != '\0' || !isfinite(d))
		return -1;
	*out = d;
	return 0;
}

int json_get_bool(const struct json_val *v, bool *out)
{
	if (v->type != JSON_TRUE && v->type != JSON_FALSE)
		return -1;
	*out = v->type == JSON_TRUE;
	return 0;
}

const char *json_member_text(const struct json_val *obj, const char *key,
			     char *buf, size_t cap, const char *dflt)
{
	struct json_val v;

	if (json_obj_get(obj, key, &v) != 0)
		return dflt;
	if (json_get_str(&v, buf, cap) >= 0)
		return buf;
	if (v.type == JSON_NUMBER && v.len < cap) {
		memcpy(buf, v.p, v.len);
		buf[v.len] = '\0';
		return buf;
	}
	return dflt;
}

int json_member_i64(const struct json_val *obj, const char *key,
		    int64_t *out)
{
	struct json_val v;

	if (json_obj_get(obj, key, &v) != 0)
		return -1;
	return json_get_i64(&v, out);
}

bool json_member_bool(const struct json_val *obj, const char *key,
		      bool dflt)
{
	struct json_val v;
	bool b;

	if (json_obj_get(obj, key, &v) != 0 || json_get_bool(&v, &b) != 0)
		return dflt;
	return b;
}
