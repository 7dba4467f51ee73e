/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_registrations.c — `sluicectl registrations` and `sluicectl h323
 * call|calls`: what the registrar holds and the H.460.18 calls it offers,
 * by way of sluice-cp's status socket.
 *
 *   sluicectl registrations        every registration, paged through
 *                                  "registrations from=N max=100"
 *   sluicectl h323 call ALIAS      offer a call to ALIAS (SCI); the
 *                                  endpoint's answer shows in `h323 calls`
 *   sluicectl h323 calls           calls being set up, held, or ended
 *
 * Every entry of `registrations` has a "protocol" ("h323" or "sip": the
 * SIP list comes from "sip registrations", after H.323's), so the
 * SIP registrar's entries join the same list and table.
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

#define CTL_REG_PAGE 100
#define CTL_ERR_LEN  1024

struct ctl_reg {
	const char *instance;
	bool json;
	char sock[4096];
	char *buf;                 /* CTL_REPLY_MAX */
	struct json_val root;
	bool started;              /* the list's opening is printed */
	char err[CTL_ERR_LEN];
};

/* Ask sluice-cp; prints the failure. Returns an exit code. */
static int ask(struct ctl_reg *c, const char *req)
{
	return ctl_cp_ask(c->sock, c->instance, c->json, CTL_QUERY_TIMEOUT_S, req,
			  c->buf, &c->root, c->err,
			  sizeof(c->err));
}

/* ---- registrations ------------------------------------------------------- */

/* "alice,1001" from the aliases array. */
static void aliases_text(const struct json_val *reg, char *out, size_t cap)
{
	struct json_val list, a, v;
	struct json_iter it;
	char one[160];
	size_t len = 0;

	out[0] = '\0';
	if (json_obj_get(reg, "aliases", &list) != 0 ||
	    json_iter_init(&it, &list) != 0)
		return;
	while (json_iter_next(&it, NULL, &a) && len < cap)
		if (json_obj_get(&a, "value", &v) == 0 &&
		    json_get_str(&v, one, sizeof(one)) >= 0)
			len += (size_t)snprintf(out + len, cap - len, "%s%s",
						len ? "," : "", one);
}

static void print_reg_row(const struct json_val *reg)
{
	char proto[8], aliases[256], addr[32], trav[16], exp[16], id[24];
	char zone[72], user[136];

	aliases_text(reg, aliases, sizeof(aliases));
	printf("%-5s  %-24s  %-21s  %-9s  %6s s  %-12s  %-10s  %s\n",
	       json_member_text(reg, "protocol", proto, sizeof(proto), "?"),
	       aliases,
	       json_member_text(reg, "address", addr, sizeof(addr), "?"),
	       strcmp(json_member_text(reg, "traversal", trav, sizeof(trav),
				       "none"), "h460.18") == 0 ? "H.460.18"
								: trav,
	       json_member_text(reg, "expires_in_s", exp, sizeof(exp), "?"),
	       json_member_text(reg, "id", id, sizeof(id), "?"),
	       json_member_text(reg, "zone", zone, sizeof(zone), "-"),
	       json_member_text(reg, "username", user, sizeof(user), "?"));
}

static int reg_page(struct ctl_reg *c, const char *what, int64_t from,
		    int64_t *next, int64_t *shown, int64_t *count, int64_t *cap)
{
	char req[80];
	struct json_val regs, reg;
	struct json_iter it;
	int rc;

	snprintf(req, sizeof(req), "%s from=%" PRId64 " max=%d", what,
		 from, CTL_REG_PAGE);
	rc = ask(c, req);
	if (rc != CTL_EXIT_OK)
		return rc;
	if (json_obj_get(&c->root, "registrations", &regs) != 0 ||
	    json_iter_init(&it, &regs) != 0 ||
	    json_member_i64(&c->root, "next", next) != 0 ||
	    json_member_i64(&c->root, "count", count) != 0 ||
	    json_member_i64(&c->root, "capacity", cap) != 0) {
		fprintf(stderr, "sluicectl: registrations: unexpected "
			"reply\n");
		return CTL_EXIT_ERROR;
	}
	if (!c->started) {
		/* only once sluice-cp answered: a refusal prints no header */
		c->started = true;
		if (c->json)
			printf("{\"registrations\":[");
		else
			printf("%-5s  %-24s  %-21s  %-9s  %8s  %-12s  %-10s  "
			       "%s\n", "PROTO", "ALIASES", "ADDRESS",
			       "TRAVERSAL", "EXPIRES", "ID", "ZONE", "USER");
	}
	while (json_iter_next(&it, NULL, &reg)) {
		if (c->json) {
			printf("%s", *shown ? "," : "");
			ctl_put_span(&reg);
		} else {
			print_reg_row(&reg);
		}
		(*shown)++;
	}
	return CTL_EXIT_OK;
}

/* One registrar's list, page by page ("registrations" is H.323's,
 * "sip registrations" SIP's); *cap_sum adds its capacity. */
static int reg_list(struct ctl_reg *c, const char *what, int64_t *shown,
		    int64_t *cap_sum)
{
	int64_t from = 0, next = 0, count = 0, cap = 0;
	int rc;

	do {
		rc = reg_page(c, what, from, &next, shown, &count, &cap);
		if (rc != CTL_EXIT_OK)
			return rc;
		if (next != 0 && next <= from) {
			fprintf(stderr, "sluicectl: %s: no progress at %"
				PRId64 "\n", what, from);
			return CTL_EXIT_ERROR;
		}
		from = next;
	} while (next != 0);
	*cap_sum += cap;
	return CTL_EXIT_OK;
}

static int registrations(struct ctl_reg *c)
{
	int64_t shown = 0, cap = 0, sip_cap = 0;
	int rc = reg_list(c, "registrations", &shown, &cap);

	if (rc == CTL_EXIT_OK)
		rc = reg_list(c, "sip registrations", &shown, &sip_cap);
	if (rc != CTL_EXIT_OK)
		return rc;
	if (c->json)
		printf("],\"count\":%" PRId64 ",\"capacity\":%" PRId64
		       ",\"sip_capacity\":%" PRId64 "}\n", shown, cap, sip_cap);
	else
		printf("%" PRId64 " registration(s), capacity %" PRId64
		       " H.323 + %" PRId64 " SIP\n", shown, cap, sip_cap);
	return CTL_EXIT_OK;
}

/*
 * Ask for a list (`member` of the reply). With --json the reply is printed
 * as it came and *done is set; else *it walks the list. Returns an exit
 * code.
 */
static int ask_list(struct ctl_reg *c, const char *req, const char *member,
		    struct json_iter *it, bool *done)
{
	struct json_val list;
	int rc = ask(c, req);

	*done = true;
	if (rc != CTL_EXIT_OK)
		return rc;
	if (c->json) {
		ctl_put_span(&c->root);
		printf("\n");
		return CTL_EXIT_OK;
	}
	if (json_obj_get(&c->root, member, &list) != 0 ||
	    json_iter_init(it, &list) != 0) {
		fprintf(stderr, "sluicectl: %s: unexpected reply\n", req);
		return CTL_EXIT_ERROR;
	}
	*done = false;
	return CTL_EXIT_OK;
}

/* ---- zones --------------------------------------------------------------------- */

static void print_zone(const struct json_val *z)
{
	char name[72], role[8], tr[8], port[8], peer[72], state[24], remote[32];
	char err[260], ka[16], pongs[24], kin[24];

	printf("%-16s %-6s sip   %-4s %5s  %-18s %-15s %-21s %6s s %8s %8s  %s\n",
	       json_member_text(z, "name", name, sizeof(name), "?"),
	       json_member_text(z, "role", role, sizeof(role), "?"),
	       json_member_text(z, "transport", tr, sizeof(tr), "?"),
	       json_member_text(z, "port", port, sizeof(port), "?"),
	       json_member_text(z, "peer", peer, sizeof(peer), "-")[0] ?
	       peer : "-",
	       json_member_text(z, "state", state, sizeof(state), "?"),
	       json_member_text(z, "remote", remote, sizeof(remote), "-"),
	       json_member_text(z, "keepalive_s", ka, sizeof(ka), "?"),
	       json_member_text(z, "pongs", pongs, sizeof(pongs), "0"),
	       json_member_text(z, "keepalives_received", kin, sizeof(kin), "0"),
	       json_member_text(z, "last_error", err, sizeof(err), ""));
}

static int zones(struct ctl_reg *c)
{
	struct json_val z;
	struct json_iter it;
	bool done;
	int rc = ask_list(c, "sip zones", "zones", &it, &done), n = 0;

	if (done)
		return rc;
	printf("%-16s %-6s %-5s %-4s %5s  %-18s %-15s %-21s %8s %8s %8s  %s\n",
	       "NAME", "ROLE", "PROTO", "TR", "PORT", "PEER", "STATE", "REMOTE",
	       "KEEPALV", "PONGS", "PINGS", "LAST ERROR");
	while (json_iter_next(&it, NULL, &z)) {
		print_zone(&z);
		n++;
	}
	printf("%d SIP zone(s); H.323 zones are in `sluicectl status`\n", n);
	return CTL_EXIT_OK;
}

/* ---- h323 call / calls ------------------------------------------------------ */

static void print_call(const struct json_val *call)
{
	char id[16], alias[136], ep[24], state[32], ras[32], cid[40];
	char peer[32], why[160];

	printf("call %s to %s (%s): %s, SCI to %s, callID %s",
	       json_member_text(call, "id", id, sizeof(id), "?"),
	       json_member_text(call, "alias", alias, sizeof(alias), "?"),
	       json_member_text(call, "endpoint", ep, sizeof(ep), "?"),
	       json_member_text(call, "state", state, sizeof(state), "?"),
	       json_member_text(call, "ras_address", ras, sizeof(ras), "?"),
	       json_member_text(call, "call_id", cid, sizeof(cid), "?"));
	if (json_member_text(call, "signalling_peer", peer, sizeof(peer),
			     NULL) != NULL)
		printf(", signalling from %s", peer);
	if (json_member_text(call, "reason", why, sizeof(why), NULL) != NULL)
		printf(" (%s)", why);
	printf("\n");
}

static int h323_calls(struct ctl_reg *c)
{
	struct json_val call;
	struct json_iter it;
	bool done;
	int rc = ask_list(c, "h323 calls", "calls", &it, &done), n = 0;

	if (done)
		return rc;
	while (json_iter_next(&it, NULL, &call)) {
		print_call(&call);
		n++;
	}
	printf("%d call(s)\n", n);
	return CTL_EXIT_OK;
}

static int h323_call(struct ctl_reg *c, const char *alias)
{
	char req[300];
	struct json_val call;
	int rc;

	if (alias[0] == '\0' || strpbrk(alias, " \t\r\n") != NULL ||
	    strlen(alias) > 128) {
		fprintf(stderr, "sluicectl: h323 call: ALIAS is one word of "
			"at most 128 bytes\n");
		return CTL_EXIT_USAGE;
	}
	snprintf(req, sizeof(req), "h323 call %s", alias);
	rc = ask(c, req);
	if (rc != CTL_EXIT_OK)
		return rc;
	if (c->json) {
		ctl_put_span(&c->root);
		printf("\n");
	} else if (json_obj_get(&c->root, "call", &call) == 0) {
		print_call(&call);
	}
	return CTL_EXIT_OK;
}

/* ---- dispatch ------------------------------------------------------------------ */

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

static int with_client(const struct ctl_opts *o, int argc, char **argv,
		       int (*run)(struct ctl_reg *c, int argc, char **argv))
{
	struct ctl_reg c = { .instance = o->instance, .json = o->json };
	int rc;

	argc = strip_json(argc, argv, &c.json);
	if (cp_run_path(c.sock, sizeof(c.sock), o->instance, "cp.sock") != 0) {
		fprintf(stderr, "sluicectl: run directory: %s\n",
			strerror(errno));
		return CTL_EXIT_ERROR;
	}
	c.buf = malloc(CTL_REPLY_MAX);
	if (c.buf == NULL) {
		fprintf(stderr, "sluicectl: %s\n", strerror(errno));
		return CTL_EXIT_ERROR;
	}
	rc = run(&c, argc, argv);
	free(c.buf);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "sluicectl: stdout: %s\n", strerror(errno));
		return CTL_EXIT_ERROR;
	}
	return rc;
}

static int run_registrations(struct ctl_reg *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "usage: sluicectl [--json] registrations\n");
		return CTL_EXIT_USAGE;
	}
	return registrations(c);
}

static int run_zones(struct ctl_reg *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "usage: sluicectl [--json] zones\n");
		return CTL_EXIT_USAGE;
	}
	return zones(c);
}

static int run_h323(struct ctl_reg *c, int argc, char **argv)
{
	if (argc == 1 && strcmp(argv[0], "calls") == 0)
		return h323_calls(c);
	if (argc == 2 && strcmp(argv[0], "call") == 0)
		return h323_call(c, argv[1]);
	fprintf(stderr, "usage: sluicectl [--json] h323 call ALIAS\n"
		"       sluicectl [--json] h323 calls\n");
	return CTL_EXIT_USAGE;
}

int ctl_registrations(const struct ctl_opts *o, int argc, char **argv)
{
	return with_client(o, argc, argv, run_registrations);
}

int ctl_h323(const struct ctl_opts *o, int argc, char **argv)
{
	return with_client(o, argc, argv, run_h323);
}

int ctl_zones(const struct ctl_opts *o, int argc, char **argv)
{
	return with_client(o, argc, argv, run_zones);
}
