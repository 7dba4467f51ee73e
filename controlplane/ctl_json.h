/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_json.h — a small, strict JSON reader over a byte buffer.
 *
 * json_parse() validates a whole document (RFC 8259: no trailing commas, no
 * comments, no leading zeros, no control characters in strings, escapes and
 * surrogate pairs checked, UTF-8 checked) with a nesting limit, and returns
 * the root as a span. Values are spans into the caller's buffer: nothing is
 * allocated, nothing is copied until a getter is asked for a C value.
 *
 * Walking is by re-scanning spans that json_parse() has already validated:
 *
 *   struct json_val root, v;
 *   if (json_parse(buf, len, &root, err, sizeof(err)) == 0 &&
 *       json_obj_get(&root, "pid", &v) == 0 && json_get_i64(&v, &pid) == 0)
 *
 * Only spans that came out of json_parse() (or out of these functions
 * applied to such spans) may be passed back in.
 */
#ifndef SL_CTL_JSON_H
#define SL_CTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 32

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,       /* span includes the quotes */
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json_val {
	enum json_type type;
	const char *p;     /* first byte of the value's text */
	size_t len;        /* bytes of text */
};

/* Iterator over an array's elements or an object's members. */
struct json_iter {
	const char *p;
	const char *end;
	bool object;
};

/*
 * Validate buf[0..len) as one JSON document (whitespace around it allowed).
 * Returns 0 and *root, or -1 with a message naming the byte offset in `err`.
 */
int json_parse(const char *buf, size_t len, struct json_val *root,
	       char *err, size_t errlen);

/* Start iterating `v` (an array or an object). Returns -1 otherwise. */
int json_iter_init(struct json_iter *it, const struct json_val *v);

/*
 * Next element. For objects `key` receives the member name (a JSON_STRING
 * span); for arrays `key` may be NULL. Returns false at the end.
 */
bool json_iter_next(struct json_iter *it, struct json_val *key,
		    struct json_val *val);

/* The member `name` of object `obj` (first match). 0, or -1 if absent. */
int json_obj_get(const struct json_val *obj, const char *name,
		 struct json_val *out);

/* True when the JSON string `s` (a span with quotes) decodes to `text`. */
bool json_str_eq(const struct json_val *s, const char *text);

/*
 * Decode string `s` into buf (UTF-8, NUL-terminated). Returns the decoded
 * length, or -1 when `s` is not a string or buf is too small (then buf holds
 * a truncated, still terminated prefix).
 */
int json_get_str(const struct json_val *s, char *buf, size_t cap);

/* An integer (no fraction, no exponent) that fits in int64_t. 0 or -1. */
int json_get_i64(const struct json_val *v, int64_t *out);

int json_get_double(const struct json_val *v, double *out);

int json_get_bool(const struct json_val *v, bool *out);

/* Members of an object, for printing: the string (or number, as text)
 * `key` into buf, or `dflt` when absent; the integer `key` (0, or -1). */
const char *json_member_text(const struct json_val *obj, const char *key,
			     char *buf, size_t cap, const char *dflt);
int json_member_i64(const struct json_val *obj, const char *key,
		    int64_t *out);
bool json_member_bool(const struct json_val *obj, const char *key,
		      bool dflt);

#endif /* SL_CTL_JSON_H */
