/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_flows.c — `sluicectl flows list|show|count|add|del`: media legs, by
 * way of sluice-cp's status socket (sluicectl never touches the dataplane's
 * rings; sluice-cp is their only client).
 *
 *   sluicectl flows add --port 40000 --latch once
 *     → "flows add port=40000 latch=once" on cp.sock
 *     → sluice-cp sends LEG_ADD, waits for the dataplane's ack
 *     → {"leg_id":1}                                   → prints "1"
 *
 * `flows list` pages through the leg store (CTL_FLOWS_PAGE legs a
 * request) so that any number of legs is listed with bounded replies.
 * Every command takes --json (before the command or among its options).
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

#define CTL_FLOWS_PAGE 100
#define CTL_REQ_MAX    256   /* sluice-cp's request line limit */
#define CTL_ERR_LEN    1024

struct ctl_flows {
	const char *instance;
	bool json;
	char sock[4096];
	char *buf;                 /* CTL_REPLY_MAX */
	struct json_val root;
	char err[CTL_ERR_LEN];
};

static void usage_flows(FILE *out)
{
	fprintf(out,
		"usage: sluicectl [--json] flows list\n"
		"       sluicectl [--json] flows show ID\n"
		"       sluicectl [--json] flows count\n"
		"       sluicectl [--json] flows add (--port P | --mux RX[:TX] "
		"--port DEMUXPORT)\n"
		"                 [--id N] [--iface NAME] [--remote ADDR:PORT]\n"
		"                 [--rtcp ADDR:PORT] [--rtcp-mux on|off] "
		"[--keepalive PT]\n"
		"                 [--latch strict|once|relatch[:MS]] "
		"[--peer ID] [--idle SECONDS]\n"
		"       sluicectl [--json] flows del ID\n");
}

/* Ask sluice-cp; prints the failure. Returns an exit code. */
static int ask(struct ctl_flows *f, const char *req)
{
	return ctl_cp_ask(f->sock, f->instance, f->json, CTL_FLOWS_TIMEOUT_S, req,
			  f->buf, &f->root, f->err,
			  sizeof(f->err));
}

/* --- list ------------------------------------------------------------------- */

static void print_leg_row(const struct json_val *leg)
{
	char id[16], kbuf[8], pbuf[8], iface[16], rbuf[32], remote[40];
	char latch[12], peer[16], state[24], rx[16], tx[16], local[48];
	const char *kind = json_member_text(leg, "kind", kbuf, sizeof(kbuf),
					    "?");
	const char *port = json_member_text(leg, "port", pbuf, sizeof(pbuf),
					    "?");

	if (strcmp(kind, "mux") == 0)
		snprintf(local, sizeof(local), "%s mux %s/%s", port,
			 json_member_text(leg, "mux_rx", rx, sizeof(rx), "?"),
			 json_member_text(leg, "mux_tx", tx, sizeof(tx), "?"));
	else
		snprintf(local, sizeof(local), "%s", port);
	snprintf(remote, sizeof(remote), "%s%s",
		 json_member_text(leg, "remote", rbuf, sizeof(rbuf), "-"),
		 json_member_bool(leg, "latched", false) ? "*" : "");
	printf("%7s  %-4s  %-18s  %-8s  %-22s  %-6s  %6s  %s\n",
	       json_member_text(leg, "id", id, sizeof(id), "?"), kind, local,
	       json_member_text(leg, "iface", iface, sizeof(iface), "?"),
	       remote, json_member_text(leg, "latch", latch, sizeof(latch),
					"?"),
	       json_member_text(leg, "peer", peer, sizeof(peer), "?"),
	       json_member_text(leg, "state", state, sizeof(state), "?"));
}

/* One page from `from`; *next is where the following one starts (0: end). */
static int list_page(struct ctl_flows *f, int64_t from, int64_t *next,
		     int64_t *shown)
{
	char req[64];
	struct json_val legs, leg;
	struct json_iter it;
	int rc;

	snprintf(req, sizeof(req), "flows list from=%" PRId64 " max=%d", from,
		 CTL_FLOWS_PAGE);
	rc = ask(f, req);
	if (rc != CTL_EXIT_OK)
		return rc;
	if (json_obj_get(&f->root, "legs", &legs) != 0 ||
	    json_iter_init(&it, &legs) != 0 ||
	    json_member_i64(&f->root, "next", next) != 0) {
		fprintf(stderr, "sluicectl: flows list: unexpected reply\n");
		return CTL_EXIT_ERROR;
	}
	while (json_iter_next(&it, NULL, &leg)) {
		if (f->json) {
			printf("%s", *shown ? "," : "");
			ctl_put_span(&leg);
		} else {
			print_leg_row(&leg);
		}
		(*shown)++;
	}
	return CTL_EXIT_OK;
}

static int flows_list(struct ctl_flows *f)
{
	int64_t from = 0, next = 0, shown = 0;
	int rc;

	if (f->json)
		printf("{\"legs\":[");
	else
		printf("%7s  %-4s  %-18s  %-8s  %-22s  %-6s  %6s  %s\n", "ID",
		       "KIND", "LOCAL", "IFACE", "REMOTE (*latched)", "LATCH",
		       "PEER", "STATE");
	do {
		rc = list_page(f, from, &next, &shown);
		if (rc != CTL_EXIT_OK)
			return rc;
		if (next != 0 && next <= from) {
			fprintf(stderr, "sluicectl: flows list: no progress "
				"at leg %" PRId64 "\n", from);
			return CTL_EXIT_ERROR;
		}
		from = next;
	} while (next != 0);
	if (f->json)
		printf("],\"count\":%" PRId64 "}\n", shown);
	else
		printf("%" PRId64 " leg(s)\n", shown);
	return CTL_EXIT_OK;
}

/* --- show, count ---------------------------------------------------------- */

static void print_show_leg(const struct json_val *leg)
{
	char id[16], kind[8], port[8], iface[16], owner[16], state[24];
	char remote[32], latch[12], peer[16], idle[16], err[32];
	const char *idle_s;

	printf("leg %s: %s %s on %s (owner %s), %s",
	       json_member_text(leg, "id", id, sizeof(id), "?"),
	       json_member_text(leg, "kind", kind, sizeof(kind), "?"),
	       json_member_text(leg, "port", port, sizeof(port), "?"),
	       json_member_text(leg, "iface", iface, sizeof(iface), "?"),
	       json_member_text(leg, "owner", owner, sizeof(owner), "?"),
	       json_member_text(leg, "state", state, sizeof(state), "?"));
	if (json_member_text(leg, "last_error", err, sizeof(err), NULL))
		printf(" (last refused: %s)", err);
	idle_s = json_member_text(leg, "idle_timeout_s", idle, sizeof(idle),
				  "0");
	printf("\n  remote %s%s, latch %s, peer %s, idle report %s%s\n",
	       json_member_text(leg, "remote", remote, sizeof(remote),
				"unknown"),
	       json_member_bool(leg, "latched", false) ? " (latched)" : "",
	       json_member_text(leg, "latch", latch, sizeof(latch), "?"),
	       json_member_text(leg, "peer", peer, sizeof(peer), "?"),
	       strcmp(idle_s, "0") == 0 ? "off" : idle_s,
	       strcmp(idle_s, "0") == 0 ? "" : " s");
}

static void print_show_dp(const struct json_val *root)
{
	char remote[32], rtcp[32], a[24], b[24], c[24], d[24], e[24], k[24];
	char why[512];
	struct json_val dp, drops, q, key, v;
	struct json_iter it;
	char name[32];
	int64_t n;

	if (json_obj_get(root, "dataplane", &dp) != 0 ||
	    dp.type != JSON_OBJECT) {
		printf("  dataplane: %s\n",
		       json_member_text(root, "dataplane_error", why,
					sizeof(why), "not known there"));
		return;
	}
	printf("  dataplane: RTP remote %s%s, RTCP remote %s%s, idle %s s\n",
	       json_member_text(&dp, "remote", remote, sizeof(remote),
				"unknown"),
	       json_member_bool(&dp, "latched", false) ? " (latched)" : "",
	       json_member_text(&dp, "rtcp_remote", rtcp, sizeof(rtcp),
				"unknown"),
	       json_member_bool(&dp, "rtcp_latched", false) ? " (latched)" :
	       "",
	       json_member_text(&dp, "idle_s", e, sizeof(e), "?"));
	printf("    in %s packets / %s bytes (%s keep-alives), out %s packets "
	       "/ %s bytes, drops %s",
	       json_member_text(&dp, "pkts_in", a, sizeof(a), "?"),
	       json_member_text(&dp, "bytes_in", b, sizeof(b), "?"),
	       json_member_text(&dp, "keepalives", k, sizeof(k), "?"),
	       json_member_text(&dp, "pkts_out", c, sizeof(c), "?"),
	       json_member_text(&dp, "bytes_out", e, sizeof(e), "?"),
	       json_member_text(&dp, "drops", d, sizeof(d), "?"));
	if (json_obj_get(&dp, "drops_by_reason", &drops) == 0 &&
	    json_iter_init(&it, &drops) == 0)
		while (json_iter_next(&it, &key, &v))
			if (json_get_i64(&v, &n) == 0 && n > 0 &&
			    json_get_str(&key, name, sizeof(name)) >= 0)
				printf(", %s %" PRId64, name, n);
	printf("\n");
	if (json_obj_get(&dp, "quality", &q) == 0 &&
	    json_member_i64(&q, "rtcp_reports", &n) == 0 && n > 0)
		printf("    quality (RTCP from the party, %" PRId64 " reports):"
		       " loss %s/256 last interval, %s lost in all, jitter %s"
		       " timestamp units\n", n,
		       json_member_text(&q, "fraction_lost", a, sizeof(a), "?"),
		       json_member_text(&q, "cum_lost", b, sizeof(b), "?"),
		       json_member_text(&q, "jitter", c, sizeof(c), "?"));
}

static int flows_show(struct ctl_flows *f, const char *id)
{
	char req[64];
	struct json_val leg;
	int rc;

	snprintf(req, sizeof(req), "flows show %s", id);
	rc = ask(f, req);
	if (rc != CTL_EXIT_OK)
		return rc;
	if (f->json) {
		ctl_put_span(&f->root);
		printf("\n");
		return CTL_EXIT_OK;
	}
	if (json_obj_get(&f->root, "leg", &leg) == 0 &&
	    leg.type == JSON_OBJECT)
		print_show_leg(&leg);
	else if (json_obj_get(&f->root, "dataplane", &leg) == 0 &&
		 leg.type == JSON_OBJECT)
		print_show_leg(&leg);   /* known to the dataplane only */
	print_show_dp(&f->root);
	return CTL_EXIT_OK;
}

static int flows_count(struct ctl_flows *f)
{
	char a[24], b[24], c[24], d[24], phase[48];
	int rc = ask(f, "flows count");

	if (rc != CTL_EXIT_OK)
		return rc;
	if (f->json) {
		ctl_put_span(&f->root);
		printf("\n");
		return CTL_EXIT_OK;
	}
	printf("%s leg(s) known to sluice-cp, %s programmed, the dataplane "
	       "holds %s, capacity %s (dataplane %s)\n",
	       json_member_text(&f->root, "legs", a, sizeof(a), "?"),
	       json_member_text(&f->root, "programmed", b, sizeof(b), "?"),
	       json_member_text(&f->root, "dataplane_legs", c, sizeof(c),
				"an unknown number"),
	       json_member_text(&f->root, "capacity", d, sizeof(d), "?"),
	       json_member_text(&f->root, "dataplane", phase, sizeof(phase),
				"?"));
	return CTL_EXIT_OK;
}

/* --- add, del --------------------------------------------------------------- */

static const char *const add_opts[][2] = {
	/* option      request key */
	{ "--port", "port" },
	{ "--mux", "mux" },
	{ "--id", "id" },
	{ "--iface", "iface" },
	{ "--remote", "remote" },
	{ "--rtcp", "rtcp" },
	{ "--rtcp-mux", "rtcp-mux" },
	{ "--keepalive", "keepalive" },
	{ "--latch", "latch" },
	{ "--peer", "peer" },
	{ "--idle", "idle" },
};

static const char *add_key(const char *opt, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(add_opts) / sizeof(add_opts[0]); i++)
		if (strlen(add_opts[i][0]) == len &&
		    strncmp(opt, add_opts[i][0], len) == 0)
			return add_opts[i][1];
	return NULL;
}

/* A value goes into a one-line, space-separated request as is. */
static bool value_ok(const char *v)
{
	return v[0] != '\0' && strpbrk(v, " \t\r\n=") == NULL;
}

/* "--opt V" / "--opt=V" pairs into "flows add k=V ...". -1 on usage. */
static int add_request(int argc, char **argv, char *req, size_t cap)
{
	size_t len = (size_t)snprintf(req, cap, "flows add");
	int i;

	for (i = 0; i < argc; i++) {
		const char *opt = argv[i], *eq = strchr(opt, '=');
		size_t olen = eq ? (size_t)(eq - opt) : strlen(opt);
		const char *key = add_key(opt, olen), *v;

		if (key == NULL) {
			fprintf(stderr, "sluicectl: flows add: unknown option "
				"'%.*s'\n", (int)olen, opt);
			return -1;
		}
		v = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
		if (v == NULL || !value_ok(v)) {
			fprintf(stderr, "sluicectl: flows add: %.*s %s\n",
				(int)olen, opt, v == NULL ? "needs a value" :
				"takes one word without spaces or '='");
			return -1;
		}
		len += (size_t)snprintf(req + len, cap - len, " %s=%s", key,
					v);
		if (len >= cap) {
			fprintf(stderr, "sluicectl: flows add: options longer "
				"than %zu bytes\n", cap - 1);
			return -1;
		}
	}
	return 0;
}

static int flows_add(struct ctl_flows *f, int argc, char **argv)
{
	char req[CTL_REQ_MAX + 1], id[24];
	int rc;

	if (add_request(argc, argv, req, sizeof(req)) != 0) {
		usage_flows(stderr);
		return CTL_EXIT_USAGE;
	}
	rc = ask(f, req);
	if (rc != CTL_EXIT_OK)
		return rc;
	if (f->json) {
		ctl_put_span(&f->root);
		printf("\n");
	} else {
		printf("%s\n", json_member_text(&f->root, "leg_id", id,
						sizeof(id), "?"));
	}
	return CTL_EXIT_OK;
}

static int flows_del(struct ctl_flows *f, const char *id)
{
	char req[64], peer[24];
	int rc;

	snprintf(req, sizeof(req), "flows del %s", id);
	rc = ask(f, req);
	if (rc != CTL_EXIT_OK)
		return rc;
	if (f->json) {
		ctl_put_span(&f->root);
		printf("\n");
	} else if (json_member_text(&f->root, "unlinked", peer, sizeof(peer),
				    NULL)) {
		printf("leg %s deleted; leg %s no longer relays to it\n", id,
		       peer);
	} else {
		printf("leg %s deleted\n", id);
	}
	return CTL_EXIT_OK;
}

/* --- dispatch ---------------------------------------------------------------- */

/* Takes --json/-j out of the operands (it may follow the command). */
static int strip_json(int argc, char **argv, bool *json)
{
	int i, n = 0;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 ||
		    strcmp(argv[i], "-j") == 0)
			*json = true;
		else
			argv[n++] = argv[i];
	}
	return n;
}

static bool id_ok(const char *s)
{
	return s[0] >= '1' && s[0] <= '9' && strspn(s, "0123456789") ==
	       strlen(s) && strlen(s) <= 10;
}

static int flows_run(struct ctl_flows *f, int argc, char **argv)
{
	const char *sub = argc > 0 ? argv[0] : "";

	if (strcmp(sub, "list") == 0 && argc == 1)
		return flows_list(f);
	if (strcmp(sub, "count") == 0 && argc == 1)
		return flows_count(f);
	if (strcmp(sub, "show") == 0 && argc == 2 && id_ok(argv[1]))
		return flows_show(f, argv[1]);
	if (strcmp(sub, "del") == 0 && argc == 2 && id_ok(argv[1]))
		return flows_del(f, argv[1]);
	if (strcmp(sub, "add") == 0)
		return flows_add(f, argc - 1, argv + 1);
	usage_flows(stderr);
	return CTL_EXIT_USAGE;
}

int ctl_flows(const struct ctl_opts *o, int argc, char **argv)
{
	struct ctl_flows f = { .instance = o->instance, .json = o->json };
	int rc;

	argc = strip_json(argc, argv, &f.json);
	if (cp_run_path(f.sock, sizeof(f.sock), o->instance, "cp.sock") != 0) {
		fprintf(stderr, "sluicectl: run directory: %s\n",
			strerror(errno));
		return CTL_EXIT_ERROR;
	}
	f.buf = malloc(CTL_REPLY_MAX);
	if (f.buf == NULL) {
		fprintf(stderr, "sluicectl: %s\n", strerror(errno));
		return CTL_EXIT_ERROR;
	}
	rc = flows_run(&f, argc, argv);
	free(f.buf);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "sluicectl: stdout: %s\n", strerror(errno));
		return CTL_EXIT_ERROR;
	}
	return rc;
}
