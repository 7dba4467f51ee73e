/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * json_out.c — JSON writer into a fixed buffer (see json_out.h).
 *
 * jout_key() inserts the comma itself by looking at the previous byte: after
 * `{` or `[` no comma, otherwise one. That keeps callers free of "first"
 * flags.
 */
#include "json_out.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void jout_init(struct jout *j, char *buf, size_t cap)
{
	j->buf = buf;
	j->cap = cap;
	j->len = 0;
	j->overflow = cap == 0;
	if (cap > 0)
		buf[0] = '\0';
}

void jout_raw(struct jout *j, const char *text, size_t len)
{
	if (j->overflow)
		return;
	if (len >= j->cap - j->len) {
		j->overflow = true;
		return;
	}
	memcpy(j->buf + j->len, text, len);
	j->len += len;
	j->buf[j->len] = '\0';
}

void jout_lit(struct jout *j, const char *text)
{
	jout_raw(j, text, strlen(text));
}

static void jout_escape_char(struct jout *j, unsigned char c)
{
	char esc[8];

	switch (c) {
	case '"':  jout_lit(j, "\\\""); return;
	case '\\': jout_lit(j, "\\\\"); return;
	case '\n': jout_lit(j, "\\n"); return;
	case '\r': jout_lit(j, "\\r"); return;
	case '\t': jout_lit(j, "\\t"); return;
	case '\b': jout_lit(j, "\\b"); return;
	case '\f': jout_lit(j, "\\f"); return;
	default:
		break;
	}
	if (c < 0x20 || c == 0x7f) {
		snprintf(esc, sizeof(esc), "\\u%04x", c);
		jout_lit(j, esc);
		return;
	}
	jout_raw(j, (const char *)&c, 1);
}

void jout_str(struct jout *j, const char *s)
{
	jout_raw(j, "\"", 1);
	for (; *s != '\0'; s++)
		jout_escape_char(j, (unsigned char)*s);
	jout_raw(j, "\"", 1);
}

void jout_key(struct jout *j, const char *key)
{
	if (j->len > 0) {
		char prev = j->buf[j->len - 1];

		if (prev != '{' && prev != '[')
			jout_raw(j, ",", 1);
	}
	jout_str(j, key);
	jout_raw(j, ":", 1);
}

void jout_i64(struct jout *j, int64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%" PRId64, v);

	jout_raw(j, num, (size_t)n);
}

void jout_kv_str(struct jout *j, const char *key, const char *s)
{
	jout_key(j, key);
	jout_str(j, s);
}

void jout_kv_i64(struct jout *j, const char *key, int64_t v)
{
	jout_key(j, key);
	jout_i64(j, v);
}
