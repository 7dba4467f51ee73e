/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_turn.c — `sluicectl turn status|relays`: the dataplane's TURN server
 * by way of sluice-cp's status socket (sluice-cp dumps the allocations
 * with DUMP(ALLOCS); sluicectl never touches the dataplane's rings).
 *
 *   sluicectl turn relays → "turn relays from=1" on cp.sock
 *     → {"total":N,"next":ID,"allocations":[...]} → the next page from ID,
 *       until next is 0
 *
 * --json prints sluice-cp's objects (relays: the pages' allocations in one
 * array). Exit: 0 ok, 1 refused or failed, 2 usage, 3 sluice-cp not running.
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

#define CTL_TURN_ERR_LEN 1024
#define CTL_TURN_PAGES   1024   /* bound of pages (CP_TURN_PAGE_MAX each) */

struct ctl_turn {
	const char *instance;
	bool json;
	char sock[4096];
	char *buf;                 /* CTL_REPLY_MAX */
	struct json_val root;
	char err[CTL_TURN_ERR_LEN];
};

static int ask(struct ctl_turn *t, const char *req)
{
	return ctl_cp_ask(t->sock, t->instance, t->json, CTL_FLOWS_TIMEOUT_S,
			  req, t->buf, &t->root, t->err, sizeof(t->err));
}

static int64_t member(const struct json_val *o, const char *key)
{
	int64_t v = 0;

	json_member_i64(o, key, &v);
	return v;
}

/* "key value, ..." of every member of an object (numbers). */
static void print_group(const char *title, const struct json_val *root,
			const char *key, bool nonzero_only)
{
	struct json_val obj, k, v;
	struct json_iter it;
	char name[64];
	int64_t n;
	int shown = 0;

	if (json_obj_get(root, key, &obj) != 0 ||
	    json_iter_init(&it, &obj) != 0)
		return;
	printf("  %s:", title);
	while (json_iter_next(&it, &k, &v)) {
		if (json_get_i64(&v, &n) != 0 || (nonzero_only && n == 0) ||
		    json_get_str(&k, name, sizeof(name)) < 0)
			continue;
		printf("%s %s %" PRId64, shown++ ? "," : "", name, n);
	}
	printf("%s\n", shown ? "" : " none");
}

/* The TURN cluster: our room, the alternate chosen, each peer's room. */
static void print_cluster(const struct json_val *root)
{
	char alt[32], turn[32], control[32], state[16];
	struct json_val c, list, p;
	struct json_iter it;

	if (json_obj_get(root, "cluster", &c) != 0 ||
	    member(&c, "peers_configured") == 0)
		return;
	printf("  cluster: our room %" PRId64 ", alternate for 300: %s; "
	       "announcements sent %" PRId64 ", received %" PRId64 "\n",
	       member(&c, "our_room"),
	       json_member_text(&c, "alternate", alt, sizeof(alt), "none"),
	       member(&c, "sent"), member(&c, "received"));
	print_group("cluster announcements refused", &c, "rejected", true);
	if (json_obj_get(&c, "peers", &list) != 0 ||
	    json_iter_init(&it, &list) != 0)
		return;
	while (json_iter_next(&it, NULL, &p)) {
		printf("    peer %s (control %s): %s, room %" PRId64 " of %"
		       PRId64 "\n",
		       json_member_text(&p, "turn", turn, sizeof(turn), "?"),
		       json_member_text(&p, "control", control,
					sizeof(control), "?"),
		       json_member_text(&p, "state", state, sizeof(state),
					"?"),
		       member(&p, "room"), member(&p, "capacity"));
	}
}

static int turn_status(struct ctl_turn *t)
{
	int rc = ask(t, "turn status");
	const struct json_val *r = &t->root;

	if (rc != CTL_EXIT_OK)
		return rc;
	if (t->json) {
		ctl_put_span(r);
		printf("\n");
		return CTL_EXIT_OK;
	}
	printf("TURN: %" PRId64 " allocation(s) of %" PRId64 " (capacity), "
	       "%" PRId64 " client address(es), %" PRId64 " permission(s), "
	       "%" PRId64 " channel(s)\n", member(r, "allocations"),
	       member(r, "capacity"), member(r, "clients"),
	       member(r, "permissions"), member(r, "channels"));
	print_group("requests", r, "counters", false);
	print_group("errors answered", r, "errors", true);
	print_group("drops", r, "drops", true);
	print_group("allocation events", r, "events", false);
	print_cluster(r);
	return CTL_EXIT_OK;
}

static void print_peers(const struct json_val *a, const char *key)
{
	char pbuf[48], lbuf[16];
	struct json_val list, p;
	struct json_iter it;

	if (json_obj_get(a, key, &list) != 0 || json_iter_init(&it, &list) != 0)
		return;
	while (json_iter_next(&it, NULL, &p)) {
		/* the text is the return value: an absent member leaves the
		 * buffer as it was */
		const char *peer = json_member_text(&p, "peer", pbuf,
						    sizeof(pbuf), "?");
		const char *left = json_member_text(&p, "lifetime_left", lbuf,
						    sizeof(lbuf), "?");

		if (strcmp(key, "channels") == 0)
			printf("      channel 0x%04" PRIx64 " → %s, %s s left\n",
			       (uint64_t)member(&p, "number"), peer, left);
		else
			printf("      permission %s, %s s left\n", peer, left);
	}
}

static void print_alloc(const struct json_val *a)
{
	char cbuf[32], rbuf[32], ubuf[160];
	const char *client = json_member_text(a, "client", cbuf, sizeof(cbuf),
					      "?");
	const char *relay = json_member_text(a, "relay", rbuf, sizeof(rbuf),
					     "?");
	const char *user = json_member_text(a, "username", ubuf, sizeof(ubuf),
					    "?");

	printf("  %" PRId64 ": client %s (port %" PRId64 ") relay %s user %s, "
	       "%" PRId64 " s left, age %" PRId64 " s\n", member(a, "id"),
	       client, member(a, "listen_port"), relay, user,
	       member(a, "lifetime_left"), member(a, "age"));
	printf("    to peers %" PRId64 " pkts %" PRId64 " bytes, to client "
	       "%" PRId64 " pkts %" PRId64 " bytes, dropped %" PRId64 "; "
	       "%" PRId64 " permission(s), %" PRId64 " channel(s)\n",
	       member(a, "pkts_in"), member(a, "bytes_in"),
	       member(a, "pkts_out"), member(a, "bytes_out"),
	       member(a, "drops"), member(a, "n_permissions"),
	       member(a, "n_channels"));
	print_peers(a, "permissions");
	print_peers(a, "channels");
}

static int turn_relays(struct ctl_turn *t)
{
	int64_t from = 1, next, total = 0, shown = 0;
	struct json_val list, a;
	struct json_iter it;
	char req[64];
	int page, rc;

	if (t->json)
		printf("{\"allocations\":[");
	for (page = 0; page < CTL_TURN_PAGES; page++) {
		snprintf(req, sizeof(req), "turn relays from=%" PRId64, from);
		rc = ask(t, req);
		if (rc != CTL_EXIT_OK)
			return rc;
		if (json_obj_get(&t->root, "allocations", &list) != 0 ||
		    json_iter_init(&it, &list) != 0 ||
		    json_member_i64(&t->root, "next", &next) != 0 ||
		    json_member_i64(&t->root, "total", &total) != 0) {
			fprintf(stderr, "sluicectl: turn relays: unexpected "
				"reply\n");
			return CTL_EXIT_ERROR;
		}
		while (json_iter_next(&it, NULL, &a)) {
			if (t->json) {
				printf("%s", shown ? "," : "");
				ctl_put_span(&a);
			} else {
				print_alloc(&a);
			}
			shown++;
		}
		if (next == 0)
			break;
		from = next;
	}
	if (t->json)
		printf("],\"total\":%" PRId64 "}\n", shown);
	else
		printf("%" PRId64 " allocation(s)\n", shown);
	return CTL_EXIT_OK;
}

static int usage_turn(void)
{
	fprintf(stderr, "usage: sluicectl [--json] turn status\n"
		"       sluicectl [--json] turn relays\n");
	return CTL_EXIT_USAGE;
}

int ctl_turn(const struct ctl_opts *o, int argc, char **argv)
{
	struct ctl_turn t = { .instance = o->instance, .json = o->json };
	const char *verb = NULL;
	int i, rc;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "-j") == 0)
			t.json = true;
		else if (verb == NULL)
			verb = argv[i];
		else
			return usage_turn();
	}
	if (verb == NULL || (strcmp(verb, "status") != 0 &&
			     strcmp(verb, "relays") != 0))
		return usage_turn();
	if (cp_run_path(t.sock, sizeof(t.sock), o->instance, "cp.sock") != 0) {
		fprintf(stderr, "sluicectl: run directory: %s\n",
			strerror(errno));
		return CTL_EXIT_ERROR;
	}
	t.buf = malloc(CTL_REPLY_MAX);
	if (t.buf == NULL) {
		fprintf(stderr, "sluicectl: %s\n", strerror(errno));
		return CTL_EXIT_ERROR;
	}
	rc = strcmp(verb, "status") == 0 ? turn_status(&t) : turn_relays(&t);
	free(t.buf);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "sluicectl: stdout: %s\n", strerror(errno));
		return CTL_EXIT_ERROR;
	}
	return rc;
}
