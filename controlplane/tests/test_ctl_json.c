/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_ctl_json.c — the strict JSON reader sluicectl parses replies with:
 * valid documents, nesting, escapes, numbers, iteration, and rejection of
 * truncated, malformed and too-deep input. Also the shapes the dataplane's
 * telemetry and the cp.sock status reply use.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ctl_json.h"
#include "json_out.h"

static int parse(const char *text, struct json_val *root)
{
	char err[128];

	return json_parse(text, strlen(text), root, err, sizeof(err));
}

static bool valid(const char *text)
{
	struct json_val root;

	return parse(text, &root) == 0;
}

static void test_scalars(void)
{
	struct json_val v;
	int64_t i;
	double d;
	bool b;

	CHECK(parse("  42 ", &v) == 0 && v.type == JSON_NUMBER);
	CHECK(json_get_i64(&v, &i) == 0 && i == 42);
	CHECK(parse("-9223372036854775808", &v) == 0);
	CHECK(json_get_i64(&v, &i) == 0 && i == INT64_MIN);
	CHECK(parse("9223372036854775808", &v) == 0);
	CHECK(json_get_i64(&v, &i) != 0);          /* overflow, not clamp */
	CHECK(parse("1.5e3", &v) == 0);
	CHECK(json_get_i64(&v, &i) != 0);          /* not an integer */
	CHECK(json_get_double(&v, &d) == 0 && d == 1500.0);
	CHECK(parse("true", &v) == 0 && json_get_bool(&v, &b) == 0 && b);
	CHECK(parse("false", &v) == 0 && json_get_bool(&v, &b) == 0 && !b);
	CHECK(parse("null", &v) == 0 && v.type == JSON_NULL);
	CHECK(json_get_bool(&v, &b) != 0);
}

static void test_invalid(void)
{
	static const char *const bad[] = {
		"", " ", "01", "-", "1.", ".5", "1e", "+1", "0x10", "tru",
		"nul", "[1,]", "{\"a\":1,}", "{a:1}", "{\"a\" 1}", "[1 2]",
		"\"abc", "\"a\\x\"", "\"\\u12\"", "\"\\ud800\"",
		"\"\\udc00\"", "\"tab\there\"", "{} {}", "[", "{\"a\":",
		"\"\xc3\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xff\"",
		"'single'", "NaN", "[1]]",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (valid(bad[i])) {
			fprintf(stderr, "accepted invalid: %s\n", bad[i]);
			check_failures++;
		}
	}
}

static void test_truncated(void)
{
	const char *doc = "{\"a\":[1,2,{\"b\":\"x\\u00e9y\"}],\"c\":null}";
	size_t n, len = strlen(doc);
	struct json_val v;
	char err[128];

	CHECK(json_parse(doc, len, &v, err, sizeof(err)) == 0);
	/* Every proper prefix is an error (the buffer is not NUL-cut). */
	for (n = 0; n < len; n++)
		CHECK(json_parse(doc, n, &v, err, sizeof(err)) != 0);
	CHECK(json_parse("[1, 2", 5, &v, err, sizeof(err)) != 0 &&
	      strstr(err, "offset") != NULL);
}

static void test_depth(void)
{
	char doc[2 * JSON_MAX_DEPTH + 8];
	struct json_val v;
	int i;

	/* exactly JSON_MAX_DEPTH levels are fine ... */
	for (i = 0; i < JSON_MAX_DEPTH; i++) {
		doc[i] = '[';
		doc[2 * JSON_MAX_DEPTH - 1 - i] = ']';
	}
	doc[2 * JSON_MAX_DEPTH] = '\0';
	CHECK(parse(doc, &v) == 0);
	/* ... one more is rejected */
	memmove(doc + 1, doc, 2 * JSON_MAX_DEPTH + 1);
	doc[0] = '[';
	strcat(doc, "]");
	CHECK(parse(doc, &v) != 0);
}

static void test_deep_hostile(void)
{
	size_t n = 100000;
	char *doc = malloc(n + 1);
	struct json_val v;
	char err[128];

	CHECK(doc != NULL);
	if (doc == NULL)
		return;
	memset(doc, '[', n);
	doc[n] = '\0';
	CHECK(json_parse(doc, n, &v, err, sizeof(err)) != 0);
	CHECK(strstr(err, "nesting") != NULL);
	free(doc);
}

static void test_escapes(void)
{
	struct json_val v;
	char buf[64];

	CHECK(parse("\"a\\\"b\\\\c\\/d\\n\\t\\u0041\\u00e9\\u20ac"
		    "\\ud83d\\ude00\"", &v) == 0);
	CHECK(json_get_str(&v, buf, sizeof(buf)) >= 0);
	CHECK(strcmp(buf, "a\"b\\c/d\n\tA\xc3\xa9\xe2\x82\xac"
		     "\xf0\x9f\x98\x80") == 0);
	CHECK(json_str_eq(&v, buf));
	CHECK(parse("\"caf\xc3\xa9\"", &v) == 0);  /* raw UTF-8 */
	CHECK(json_get_str(&v, buf, sizeof(buf)) == 5);
	/* too small a buffer: error, still terminated */
	CHECK(parse("\"abcdef\"", &v) == 0);
	CHECK(json_get_str(&v, buf, 4) < 0 && strlen(buf) == 3);
}

static void test_nested_telemetry(void)
{
	const char *reply =
		"{\"/sluice/info\": {\"version\": \"0.1.0\", \"instance\": "
		"\"default\", \"pid\": 1234, \"main_lcore\": 0, \"workers\": "
		"[1, 2], \"ports\": [{\"name\": \"external\", \"device\": "
		"\"net_af_packet0,iface=veth-ext\", \"port_id\": 0, "
		"\"kernel_iface\": \"sluice0\", \"link\": \"up\"}]}}";
	struct json_val root, info, ports, port, w, v;
	struct json_iter it;
	char buf[64];
	int64_t n, sum = 0;

	CHECK(parse(reply, &root) == 0 && root.type == JSON_OBJECT);
	CHECK(json_obj_get(&root, "/sluice/info", &info) == 0);
	CHECK(json_obj_get(&info, "pid", &v) == 0 &&
	      json_get_i64(&v, &n) == 0 && n == 1234);
	CHECK(json_obj_get(&info, "missing", &v) != 0);
	CHECK(json_obj_get(&info, "workers", &w) == 0 &&
	      json_iter_init(&it, &w) == 0);
	while (json_iter_next(&it, NULL, &v))
		if (json_get_i64(&v, &n) == 0)
			sum += n;
	CHECK(sum == 3);
	CHECK(json_obj_get(&info, "ports", &ports) == 0 &&
	      json_iter_init(&it, &ports) == 0 &&
	      json_iter_next(&it, NULL, &port));
	CHECK(json_obj_get(&port, "device", &v) == 0 &&
	      json_get_str(&v, buf, sizeof(buf)) >= 0 &&
	      strcmp(buf, "net_af_packet0,iface=veth-ext") == 0);
	CHECK(!json_iter_next(&it, NULL, &port));
	/* a scalar is not iterable */
	CHECK(json_iter_init(&it, &v) != 0);
}

static void test_stats_iteration(void)
{
	const char *stats = "{\"rx\":10,\"tx\":9,\"drops\":{\"no_flow\":1,"
			    "\"bad_ip\":0},\"punts\":{}}";
	struct json_val root, k, v, drops;
	struct json_iter it;
	unsigned members = 0, empty = 0;

	CHECK(parse(stats, &root) == 0);
	CHECK(json_iter_init(&it, &root) == 0);
	while (json_iter_next(&it, &k, &v))
		members++;
	CHECK(members == 4);
	CHECK(json_obj_get(&root, "punts", &v) == 0 &&
	      json_iter_init(&it, &v) == 0);
	while (json_iter_next(&it, &k, &v))
		empty++;
	CHECK(empty == 0);
	CHECK(json_obj_get(&root, "drops", &drops) == 0 &&
	      json_obj_get(&drops, "no_flow", &v) == 0);
	/* a member name with an escape matches by its decoded value */
	CHECK(parse("{\"a\\u0062\":7}", &root) == 0 &&
	      json_obj_get(&root, "ab", &v) == 0);
}

/* What json_out writes, json_parse reads back. */
static void test_roundtrip(void)
{
	char buf[256], back[64];
	struct jout j;
	struct json_val root, v;

	jout_init(&j, buf, sizeof(buf));
	jout_lit(&j, "{");
	jout_kv_str(&j, "s", "q\"\\\n\x01");
	jout_kv_i64(&j, "n", -5);
	jout_lit(&j, "}");
	CHECK(!j.overflow);
	CHECK(parse(buf, &root) == 0);
	CHECK(json_obj_get(&root, "s", &v) == 0 &&
	      json_get_str(&v, back, sizeof(back)) == 5 &&
	      strcmp(back, "q\"\\\n\x01") == 0);
	jout_init(&j, buf, 4);
	jout_str(&j, "toolong");
	CHECK(j.overflow);
}

int main(void)
{
	test_scalars();
	test_invalid();
	test_truncated();
	test_depth();
	test_deep_hostile();
	test_escapes();
	test_nested_telemetry();
	test_stats_iteration();
	test_roundtrip();
	return check_result("ctl_json");
}
