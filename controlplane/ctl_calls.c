/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_calls.c — `sluicectl calls`: the B2BUA's SIP calls, each with its
 * media legs and what the dataplane counts on them.
 *
 *   cp.sock "sip calls from=N" the calls, their two sides and streams,
 *                              page by page (from the reply's "next")
 *   cp.sock "flows show ID"    per leg: the dataplane's spec and counters
 *                              (the path `sluicectl flows show` takes)
 *
 * With --json: {"calls":[{...the call..., "legs":[{"id":N, "side":
 * "caller"|"callee", "stream":I, "dataplane":{...}|null}]}], "count":N,
 * "capacity":N}. A leg the dataplane cannot be asked about has
 * "dataplane": null and "dataplane_error".
 * Exit: 0 ok, 1 refused or failed, 2 usage, 3 sluice-cp not running.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_instance.h"
#include "ctl.h"
#include "ctl_json.h"
#include "ctl_query.h"
#include "json_out.h"

#define CALLS_ERR_LEN 1024

struct calls_ctx {
	const char *instance;
	bool json;
	char sock[4096];
	char *calls_buf;            /* CTL_REPLY_MAX: the "sip calls" reply */
	char *leg_buf;              /* CTL_REPLY_MAX: one "flows show" reply */
	char err[CALLS_ERR_LEN];
};

/* The dataplane's view of leg `id`; false (reason in c->err) without. */
static bool leg_info(struct calls_ctx *c, int64_t id, struct json_val *dp)
{
	struct json_val root;
	char req[64];
	int rc;

	snprintf(req, sizeof(req), "flows show %" PRId64, id);
	rc = ctl_cp_request(c->sock, req, CTL_FLOWS_TIMEOUT_S, c->leg_buf,
			    CTL_REPLY_MAX, &root, c->err, sizeof(c->err));
	if (rc != 0)
		return false;
	if (json_obj_get(&root, "dataplane", dp) != 0 || dp->type != JSON_OBJECT) {
		if (json_member_text(&root, "dataplane_error", c->err,
				     sizeof(c->err), NULL) == NULL)
			snprintf(c->err, sizeof(c->err), "no dataplane answer");
		return false;
	}
	return true;
}

static void json_leg(struct calls_ctx *c, int64_t id, const char *side,
		     int64_t stream, bool *first)
{
	struct json_val dp;

	printf("%s{\"id\":%" PRId64 ",\"side\":\"%s\",\"stream\":%" PRId64
	       ",\"dataplane\":", *first ? "" : ",", id, side, stream);
	*first = false;
	if (leg_info(c, id, &dp)) {
		ctl_put_span(&dp);
	} else {
		char esc[CALLS_ERR_LEN * 2];
		struct jout j;

		jout_init(&j, esc, sizeof(esc));
		jout_str(&j, c->err);
		printf("null,\"dataplane_error\":%.*s", (int)j.len, esc);
	}
	printf("}");
}

static void text_leg(struct calls_ctx *c, int64_t id, const char *side,
		     const struct json_val *end)
{
	struct json_val dp;
	char kind[8], remote[32], port[8];
	int64_t in = 0, out = 0, drops = 0;
	bool latched;

	json_member_text(end, "port", port, sizeof(port), "?");
	if (!leg_info(c, id, &dp)) {
		printf("    %-6s leg %-6" PRId64 " ?    %-5s  (dataplane: %s)\n",
		       side, id, port, c->err);
		return;
	}
	json_member_i64(&dp, "pkts_in", &in);
	json_member_i64(&dp, "pkts_out", &out);
	json_member_i64(&dp, "drops", &drops);
	latched = json_member_bool(&dp, "latched", false);
	printf("    %-6s leg %-6" PRId64 " %-4s %-5s remote %-21s%s in %" PRId64
	       " out %" PRId64 " drops %" PRId64 "\n", side, id,
	       json_member_text(&dp, "kind", kind, sizeof(kind), "?"), port,
	       json_member_text(&dp, "remote", remote, sizeof(remote), "-"),
	       latched ? " (latched)" : "", in, out, drops);
}

/* Every leg of a call: the streams' caller and callee ends. */
static void call_legs(struct calls_ctx *c, const struct json_val *call)
{
	static const char *const sides[2] = { "caller", "callee" };
	struct json_val streams, st, end;
	struct json_iter it;
	bool first = true;

	if (json_obj_get(call, "streams", &streams) != 0 ||
	    json_iter_init(&it, &streams) != 0)
		return;
	while (json_iter_next(&it, NULL, &st)) {
		int64_t idx = 0, id = 0;

		json_member_i64(&st, "index", &idx);
		for (int k = 0; k < 2; k++) {
			if (json_obj_get(&st, sides[k], &end) != 0 ||
			    json_member_i64(&end, "leg", &id) != 0 || id == 0)
				continue;
			if (c->json)
				json_leg(c, id, sides[k], idx, &first);
			else
				text_leg(c, id, sides[k], &end);
		}
	}
}

static void text_side(const char *label, const struct json_val *call)
{
	struct json_val sd;
	char kind[8], zone[72], addr[32], tr[8];

	if (json_obj_get(call, label[0] == 'A' ? "a" : "b", &sd) != 0)
		return;
	json_member_text(&sd, "zone", zone, sizeof(zone), "");
	printf("    %s: %s%s%s %s/%s\n", label,
	       json_member_text(&sd, "kind", kind, sizeof(kind), "?"),
	       zone[0] ? " " : "", zone,
	       json_member_text(&sd, "address", addr, sizeof(addr), "?"),
	       json_member_text(&sd, "transport", tr, sizeof(tr), "?"));
}

static void print_call(struct calls_ctx *c, const struct json_val *call,
		       bool first)
{
	char id[24], st[16], caller[136], callee[136], age[16];

	if (c->json) {
		/* the call's own members, then its legs */
		printf("%s", first ? "" : ",");
		fwrite(call->p, 1, call->len - 1, stdout);
		printf(",\"legs\":[");
		call_legs(c, call);
		printf("]}");
		return;
	}
	printf("call %s  %s -> %s  %s  %s s\n",
	       json_member_text(call, "id", id, sizeof(id), "?"),
	       json_member_text(call, "caller", caller, sizeof(caller), "?"),
	       json_member_text(call, "callee", callee, sizeof(callee), "?"),
	       json_member_text(call, "state", st, sizeof(st), "?"),
	       json_member_text(call, "age_s", age, sizeof(age), "?"));
	text_side("A (caller)", call);
	text_side("B (callee)", call);
	call_legs(c, call);
}

/* Every page of "sip calls from=N", each call printed as it comes. */
static int run_calls(struct calls_ctx *c)
{
	struct json_val root, list, call;
	struct json_iter it;
	int64_t count = 0, cap = 0, from = 0, next;
	bool first = true;
	char req[64];
	int rc;

	if (c->json)
		printf("{\"calls\":[");
	do {
		snprintf(req, sizeof(req), "sip calls from=%" PRId64, from);
		rc = ctl_cp_ask(c->sock, c->instance, false,
				CTL_QUERY_TIMEOUT_S, req, c->calls_buf, &root,
				c->err, sizeof(c->err));
		if (rc != CTL_EXIT_OK)
			return rc;
		if (json_obj_get(&root, "calls", &list) != 0 ||
		    json_iter_init(&it, &list) != 0 ||
		    json_member_i64(&root, "next", &next) != 0 ||
		    (next != 0 && next <= from)) {
			fprintf(stderr, "sluicectl: calls: unexpected answer\n");
			return CTL_EXIT_ERROR;
		}
		if (from == 0) {   /* the totals when the listing began */
			json_member_i64(&root, "count", &count);
			json_member_i64(&root, "capacity", &cap);
		}
		while (json_iter_next(&it, NULL, &call)) {
			print_call(c, &call, first);
			first = false;
		}
		from = next;
	} while (next != 0);
	if (c->json)
		printf("],\"count\":%" PRId64 ",\"capacity\":%" PRId64 "}\n",
		       count, cap);
	else
		printf("%" PRId64 " call(s), capacity %" PRId64 "\n", count,
		       cap);
	return CTL_EXIT_OK;
}

int ctl_calls(const struct ctl_opts *o, int argc, char **argv)
{
	struct calls_ctx c = { .instance = o->instance, .json = o->json };
	int rc;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "-j") == 0) {
			c.json = true;
			continue;
		}
		fprintf(stderr, "usage: sluicectl [--json] calls\n");
		return CTL_EXIT_USAGE;
	}
	if (cp_run_path(c.sock, sizeof(c.sock), o->instance, "cp.sock") != 0) {
		fprintf(stderr, "sluicectl: run directory: %s\n",
			strerror(errno));
		return CTL_EXIT_ERROR;
	}
	c.calls_buf = malloc(CTL_REPLY_MAX);
	c.leg_buf = malloc(CTL_REPLY_MAX);
	if (c.calls_buf == NULL || c.leg_buf == NULL) {
		fprintf(stderr, "sluicectl: %s\n", strerror(errno));
		rc = CTL_EXIT_ERROR;
	} else {
		rc = run_calls(&c);
	}
	free(c.calls_buf);
	free(c.leg_buf);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "sluicectl: stdout: %s\n", strerror(errno));
		return CTL_EXIT_ERROR;
	}
	return rc;
}
