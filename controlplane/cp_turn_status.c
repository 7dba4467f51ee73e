/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_turn_status.c — the "turn status" and "turn relays" requests of
 * sluice-cp's status socket: a DUMP(ALLOCS) out, the client deferred, the
 * answer rendered from the shared-memory counters and what the dump
 * returned (cp_turn.c collects it; see cp_turn.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_dp.h"
#include "cp_main.h"
#include "cp_turn.h"
#include "json_out.h"
#include "sl_shm.h"

/* --- the status socket's "turn" requests ---------------------------------- */

static void reply_error(struct jout *j, const char *msg)
{
	jout_lit(j, "{");
	jout_kv_str(j, "error", msg);
	jout_lit(j, "}\n");
}

static void kv_u64(struct jout *j, const char *key, uint64_t v)
{
	jout_kv_i64(j, key, v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

/* "from=ID max=N" after the verb; false on anything else. */
static bool page_args(char *args, uint32_t *from, uint32_t *max)
{
	char *tok, *save = NULL, *end;
	unsigned long v;

	*from = 1;
	*max = CP_TURN_PAGE_MAX;
	for (tok = strtok_r(args, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save)) {
		bool is_from = strncmp(tok, "from=", 5) == 0;

		if (!is_from && strncmp(tok, "max=", 4) != 0)
			return false;
		errno = 0;
		v = strtoul(tok + (is_from ? 5 : 4), &end, 10);
		if (errno != 0 || *end != '\0' || end == tok + 5 ||
		    v > UINT32_MAX || (!is_from && (v == 0 ||
						    v > CP_TURN_PAGE_MAX)))
			return false;
		if (is_from)
			*from = v == 0 ? 1 : (uint32_t)v;
		else
			*max = (uint32_t)v;
	}
	return true;
}

static struct cp_turn_dump *dump_get(struct cp_turn *t)
{
	if (t->dump == NULL) {
		t->dump = calloc(1, sizeof(*t->dump));
		if (t->dump == NULL)
			return NULL;
		t->dump->client_addrs = calloc(CP_TURN_ADDR_MAX,
					       sizeof(uint32_t));
		if (t->dump->client_addrs == NULL) {
			free(t->dump);
			t->dump = NULL;
			return NULL;
		}
		t->dump->addr_cap = CP_TURN_ADDR_MAX;
	}
	return t->dump;
}

bool cp_turn_request(struct cp_main *m, unsigned client,
		     uint64_t client_serial, char *args, struct jout *j)
{
	struct cp_turn *t = &m->dp.turn;
	struct cp_turn_dump *d;
	char err[CP_DP_MSG_MAX];
	uint32_t from, max, seq;
	bool relays;
	char *rest;

	if (strncmp(args, "relays", 6) == 0 && (args[6] == ' ' ||
						args[6] == '\0')) {
		relays = true;
		rest = args + 6;
	} else if (strncmp(args, "status", 6) == 0 &&
		   (args[6] == ' ' || args[6] == '\0')) {
		relays = false;
		rest = args + 6;
	} else {
		reply_error(j, "unknown turn request (status, relays)");
		return true;
	}
	if (!page_args(rest, &from, &max)) {
		reply_error(j, "turn: expected [from=ID] [max=1..32]");
		return true;
	}
	if (!m->cfg->turn.enabled) {
		reply_error(j, "the TURN server is disabled (turn.enabled: "
			    "false)");
		return true;
	}
	d = dump_get(t);
	if (d == NULL) {
		reply_error(j, "out of memory");
		return true;
	}
	if (d->seq != 0) {
		reply_error(j, "busy: another turn request is waiting for "
			    "the dataplane");
		return true;
	}
	if (cp_dp_turn_dump(&m->dp, &seq, err, sizeof(err)) != 0) {
		reply_error(j, err);
		return true;
	}
	d->seq = seq;
	d->done = false;
	d->relays = relays;
	d->from = from;
	d->max = max;
	d->client = client;
	d->client_serial = client_serial;
	d->n_allocs = d->clients = d->next = d->n_page = 0;
	return false;
}

/* Counters the dataplane publishes for TURN, by prefix: "turn.error.NNN"
 * into "errors", "drop.turn_*" into "drops", the table sizes at the top
 * and the rest of "turn.*" into "counters". */
static void status_counters(const struct cp_dp *dp, struct jout *j)
{
	static const char *const sizes[] = {
		"allocations", "capacity", "permissions", "channels",
	};
	static const struct { const char *key, *prefix; } groups[] = {
		{ "counters", "turn." }, { "errors", "turn.error." },
		{ "drops", "drop.turn_" },
	};
	struct sl_shm_counters snap;
	size_t g, s;
	uint32_t i;

	if (!dp->mapped || sl_counters_read(dp->shm.ctr, &snap) != 0)
		snap.n = 0;
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		char name[SL_COUNTER_NAME_MAX];
		uint64_t v;

		snprintf(name, sizeof(name), "turn.%s", sizes[s]);
		if (cp_dp_counter(dp, name, &v))
			kv_u64(j, sizes[s], v);
	}
	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		size_t plen = strlen(groups[g].prefix);

		jout_key(j, groups[g].key);
		jout_lit(j, "{");
		for (i = 0; i < snap.n; i++) {
			const char *name = snap.c[i].name;
			bool is_size = false;

			if (strncmp(name, groups[g].prefix, plen) != 0 ||
			    (g == 0 && strncmp(name, "turn.error.", 11) == 0))
				continue;
			for (s = 0; g == 0 && s < 4; s++)
				is_size |= strcmp(name + plen, sizes[s]) == 0;
			if (!is_size)
				kv_u64(j, name + (g == 2 ? 5 : plen),
				       snap.c[i].value);
		}
		jout_lit(j, "}");
	}
}

static void render_status(struct cp_main *m, const struct cp_turn_dump *d,
			  struct jout *j)
{
	const struct cp_turn_stats *st = &m->dp.turn.st;

	jout_lit(j, "{");
	kv_u64(j, "clients", d->clients);
	kv_u64(j, "dumped_allocations", d->n_allocs);
	status_counters(&m->dp, j);
	jout_key(j, "events");
	jout_lit(j, "{");
	kv_u64(j, "created", st->created);
	kv_u64(j, "expired_timeout", st->expired[SL_ALLOC_END_TIMEOUT]);
	kv_u64(j, "expired_refresh0", st->expired[SL_ALLOC_END_REFRESH0]);
	kv_u64(j, "expired_deleted", st->expired[SL_ALLOC_END_DELETED]);
	jout_lit(j, "}");
	cp_cluster_status_json(&m->cluster, sl_mono_ns(), j);
	jout_lit(j, "}\n");
}

static void render_peer(const struct sl_evt_turn_peer *p, struct jout *j)
{
	char a[32];

	jout_lit(j, "{");
	if (p->kind == SL_TURN_CHANNEL) {
		cp_turn_addr_port(a, sizeof(a), p->peer_addr, p->peer_port);
		kv_u64(j, "number", p->channel);
	} else {
		inet_ntop(AF_INET, &p->peer_addr, a, sizeof(a));
	}
	jout_kv_str(j, "peer", a);
	kv_u64(j, "lifetime_left", p->lifetime_s);
	jout_lit(j, "}");
}

static void render_peers(const struct cp_turn_dump *d, uint32_t i,
			 unsigned kind, struct jout *j)
{
	bool first = true;
	uint16_t k;

	jout_lit(j, "[");
	for (k = 0; k < d->n_peers[i]; k++) {
		if (d->peers[i][k].kind != kind)
			continue;
		if (!first)
			jout_lit(j, ",");
		first = false;
		render_peer(&d->peers[i][k], j);
	}
	jout_lit(j, "]");
}

static void render_alloc(const struct cp_turn_dump *d, uint32_t i,
			 struct jout *j)
{
	const struct sl_evt_alloc_info *e = &d->page[i];
	char a[32], user[SL_USERNAME_MAX];

	jout_lit(j, "{");
	kv_u64(j, "id", e->a.alloc_id);
	cp_turn_addr_port(a, sizeof(a), e->a.client_addr, e->a.client_port);
	jout_kv_str(j, "client", a);
	kv_u64(j, "listen_port", e->a.listen_port);
	cp_turn_addr_port(a, sizeof(a), e->a.relay_addr, e->a.relay_port);
	jout_kv_str(j, "relay", a);
	cp_turn_username(user, &e->a);
	jout_kv_str(j, "username", user);
	kv_u64(j, "lifetime_left", e->a.lifetime_s);
	kv_u64(j, "age", e->age_s);
	kv_u64(j, "pkts_in", e->ctr.pkts_in);
	kv_u64(j, "bytes_in", e->ctr.bytes_in);
	kv_u64(j, "pkts_out", e->ctr.pkts_out);
	kv_u64(j, "bytes_out", e->ctr.bytes_out);
	kv_u64(j, "drops", e->ctr.drops);
	kv_u64(j, "n_permissions", e->n_perms);
	kv_u64(j, "n_channels", e->n_chans);
	jout_key(j, "permissions");
	render_peers(d, i, SL_TURN_PERMISSION, j);
	jout_key(j, "channels");
	render_peers(d, i, SL_TURN_CHANNEL, j);
	jout_lit(j, "}");
}

static void render_relays(const struct cp_turn_dump *d, struct jout *j)
{
	uint32_t i;

	jout_lit(j, "{");
	kv_u64(j, "total", d->n_allocs);
	kv_u64(j, "next", d->next);
	jout_key(j, "allocations");
	jout_lit(j, "[");
	for (i = 0; i < d->n_page; i++) {
		if (i > 0)
			jout_lit(j, ",");
		render_alloc(d, i, j);
	}
	jout_lit(j, "]}\n");
}

void cp_turn_poll(struct cp_main *m)
{
	struct cp_turn_dump *d = m->dp.turn.dump;
	struct jout j;

	if (d == NULL || d->seq == 0 || !d->done)
		return;
	d->seq = 0;
	if (!cp_status_reply_begin(&m->status, d->client, d->client_serial,
				   &j))
		return;         /* the client left */
	if (d->outcome != CP_DP_ACKED || d->result != SL_OK) {
		char err[128];

		snprintf(err, sizeof(err), "the dataplane did not complete "
			 "the allocation dump: %s",
			 d->outcome == CP_DP_NO_ACK ? "no acknowledgement" :
			 d->outcome == CP_DP_LOST ? "it went away" :
			 sl_result_name(d->result));
		reply_error(&j, err);
	} else if (d->relays) {
		render_relays(d, &j);
	} else {
		render_status(m, d, &j);
	}
	cp_status_reply_end(&m->status, d->client, &j);
}
