/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * json_out.h — build a JSON text into a caller-owned, fixed-size buffer.
 *
 * Used by sluice-cp for status replies and by sluicectl for --json output.
 * Nothing allocates: a write that does not fit sets `overflow` and the text is
 * then unusable (the caller reports an error instead of sending half a reply).
 */
#ifndef SL_JSON_OUT_H
#define SL_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jout {
	char *buf;
	size_t cap;
	size_t len;       /* bytes written, buf[len] is always NUL */
	bool overflow;
};

void jout_init(struct jout *j, char *buf, size_t cap);

/* Raw text, copied as is (punctuation, or an already valid JSON value). */
void jout_raw(struct jout *j, const char *text, size_t len);
void jout_lit(struct jout *j, const char *text);

/* A JSON string literal, quoted and escaped. */
void jout_str(struct jout *j, const char *s);

/* `"key":` for the next member of an object; adds the comma when needed. */
void jout_key(struct jout *j, const char *key);

void jout_i64(struct jout *j, int64_t v);

/* Convenience members: `,"key":value` with the separator handled. */
void jout_kv_str(struct jout *j, const char *key, const char *s);
void jout_kv_i64(struct jout *j, const char *key, int64_t v);

#endif /* SL_JSON_OUT_H */
