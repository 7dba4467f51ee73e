/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_ras_json.c — what the RAS service shows the operator through
 * cp.sock: the "h323" member of `status`, and the requests
 *
 *   registrations [from=N] [max=N]   {"registrations":[...],"next":N,...}
 *   h323 calls                       {"calls":[...]}
 *   h323 call ALIAS                  {"call":{...}} or {"error":"..."}
 *
 * Registrations carry "protocol":"h323" so that SIP registrations can
 * join the same list later; paging follows `flows list` (from = the slot
 * to start at, next = where the following page starts, 0 at the end).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cp_ras.h"
#include "cp_status.h"
#include "json_out.h"

#define CP_RAS_PAGE_DEFAULT 100
#define CP_RAS_PAGE_MAX     100
/* The most one registration or call can take as JSON: 8 aliases and a
 * user name of 128 bytes each, every byte escaped as \u00XX at worst. A
 * page stops early rather than overflow the reply; `next` says where
 * the following one starts. */
#define CP_RAS_ITEM_JSON_MAX 8192

static bool room_for_item(const struct jout *j)
{
	return j->cap - j->len > CP_RAS_ITEM_JSON_MAX + 256;
}

static void kv_lit(struct jout *j, const char *key, const char *lit)
{
	jout_key(j, key);
	jout_lit(j, lit);
}

static void kv_bool(struct jout *j, const char *key, bool v)
{
	kv_lit(j, key, v ? "true" : "false");
}

static void kv_addr(struct jout *j, const char *key, bool known,
		    struct ras_addr a)
{
	char text[24];

	if (!known) {
		kv_lit(j, key, "null");
		return;
	}
	ras_addr_format(a, text, sizeof(text));
	jout_kv_str(j, key, text);
}

static void kv_time(struct jout *j, const char *key, int64_t t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, sizeof(buf), "unknown");
	jout_kv_str(j, key, buf);
}

static const char *zone_name(const struct cp_ras *r, unsigned sock)
{
	int z = ras_sock_zone(r->svc, sock);

	return z < 0 ? NULL : r->cfg->zones[z].name;
}

/* ---- registrations ------------------------------------------------------- */

static void reg_json(const struct cp_ras *r, struct jout *j,
		     const struct ras_reg *g, int64_t now_ms)
{
	const char *zone = zone_name(r, g->sock);
	int64_t left = (g->expires_ms - now_ms + 999) / 1000;

	jout_lit(j, "{");
	jout_kv_str(j, "protocol", "h323");
	jout_kv_str(j, "id", g->endpoint_id);
	jout_kv_str(j, "username", g->username);
	jout_key(j, "aliases");
	jout_lit(j, "[");
	for (unsigned k = 0; k < g->n_aliases; k++) {
		jout_lit(j, k ? ",{" : "{");
		jout_kv_str(j, "type", ras_alias_kind_name(g->aliases[k].kind));
		jout_kv_str(j, "value", g->aliases[k].text);
		jout_lit(j, "}");
	}
	jout_lit(j, "]");
	kv_addr(j, "address", true, g->ras);
	jout_kv_i64(j, "port", ras_sock_port(r->svc, g->sock));
	if (zone != NULL)
		jout_kv_str(j, "zone", zone);
	else
		kv_lit(j, "zone", "null");
	kv_addr(j, "call_signal_address", g->has_call_signal, g->call_signal);
	jout_kv_str(j, "traversal", g->h46018 ? "h460.18" : "none");
	kv_bool(j, "media_traversal", g->h46019);
	jout_kv_i64(j, "ttl_s", g->ttl_s);
	jout_kv_i64(j, "expires_in_s", left > 0 ? left : 0);
	kv_time(j, "registered", g->registered_wall_s);
	kv_time(j, "refreshed", g->refreshed_wall_s);
	jout_kv_i64(j, "keepalives", (int64_t)g->keepalives);
	jout_lit(j, "}");
}

/* "from=N max=N" in any order; -1 on anything else (cp_status.h). */
int cp_page_args(const char *args, uint32_t *from, uint32_t *max)
{
	char buf[128], *tok, *save = NULL, *end;

	*from = 0;
	*max = CP_RAS_PAGE_DEFAULT;
	if (strlen(args) >= sizeof(buf))
		return -1;
	strcpy(buf, args);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save)) {
		uint32_t *dst = strncmp(tok, "from=", 5) == 0 ? from :
				strncmp(tok, "max=", 4) == 0 ? max : NULL;
		unsigned long v;

		if (dst == NULL)
			return -1;
		tok = strchr(tok, '=') + 1;
		v = strtoul(tok, &end, 10);
		if (*tok < '0' || *tok > '9' || *end != '\0' || v > UINT32_MAX)
			return -1;
		*dst = (uint32_t)v;
	}
	return *max == 0 || *max > CP_RAS_PAGE_MAX ? -1 : 0;
}

static void registrations(const struct cp_ras *r, const char *args,
			  struct jout *j)
{
	uint32_t from, max, shown = 0, i, slots = ras_reg_slots(r->svc);
	int64_t now = cp_now_ms();

	if (cp_page_args(args, &from, &max) != 0) {
		jout_lit(j, "{");
		jout_kv_str(j, "error", "usage: registrations [from=N] "
			    "[max=1-100]");
		jout_lit(j, "}\n");
		return;
	}
	jout_lit(j, "{\"registrations\":[");
	for (i = from; i < slots && shown < max && room_for_item(j); i++) {
		const struct ras_reg *g = ras_reg_slot(r->svc, i);

		if (!g->used)
			continue;
		if (shown++)
			jout_lit(j, ",");
		reg_json(r, j, g, now);
	}
	jout_lit(j, "]");
	jout_kv_i64(j, "next", i < slots ? i : 0);
	jout_kv_i64(j, "count", ras_reg_count(r->svc));
	jout_kv_i64(j, "capacity", ras_reg_capacity(r->svc));
	jout_lit(j, "}\n");
}

/* ---- calls --------------------------------------------------------------- */

static void guid_text(const uint8_t g[16], char *out, size_t cap)
{
	snprintf(out, cap, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", g[0], g[1], g[2], g[3], g[4],
		 g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13],
		 g[14], g[15]);
}

static void call_json(struct jout *j, const struct ras_call *c)
{
	char id[40];

	guid_text(c->guid, id, sizeof(id));
	jout_lit(j, "{");
	jout_kv_i64(j, "id", c->id);
	jout_kv_str(j, "alias", c->alias);
	jout_kv_str(j, "endpoint", c->endpoint_id);
	jout_kv_str(j, "call_id", id);
	jout_kv_str(j, "state", ras_call_state_name(c->state));
	kv_addr(j, "ras_address", true, c->ras);
	jout_kv_i64(j, "sci_sent", c->sci_sent);
	kv_addr(j, "signalling_peer", c->state == RAS_CALL_CONNECTED ||
		c->state == RAS_CALL_CLOSED, c->tcp_peer);
	kv_time(j, "started", c->created_wall_s);
	if (c->reason[0] != '\0')
		jout_kv_str(j, "reason", c->reason);
	jout_lit(j, "}");
}

static void calls(const struct cp_ras *r, struct jout *j)
{
	unsigned shown = 0, i;

	jout_lit(j, "{\"calls\":[");
	for (i = 0; i < RAS_CALLS_MAX && room_for_item(j); i++) {
		const struct ras_call *c = ras_call_slot(r->svc, i);

		if (!c->used)
			continue;
		if (shown++)
			jout_lit(j, ",");
		call_json(j, c);
	}
	jout_lit(j, "]");
	/* 64 calls fit unless their aliases are long and odd: say so */
	kv_bool(j, "truncated", i < RAS_CALLS_MAX);
	jout_lit(j, "}\n");
}

static void call_start(struct cp_ras *r, const char *alias, struct jout *j)
{
	const struct ras_call *c = NULL;
	struct ras_clock now;
	char why[256] = "usage: h323 call ALIAS";

	cp_ras_now(&now);
	if (alias[0] != '\0' && strchr(alias, ' ') == NULL)
		c = ras_call_start(r->svc, alias, &now, why, sizeof(why));
	jout_lit(j, "{");
	if (c == NULL) {
		jout_kv_str(j, "error", why);
	} else {
		jout_key(j, "call");
		call_json(j, c);
	}
	jout_lit(j, "}\n");
}

bool cp_ras_request(struct cp_ras *r, const char *req, struct jout *j)
{
	if (strcmp(req, "registrations") == 0) {
		registrations(r, "", j);
		return true;
	}
	if (strncmp(req, "registrations ", 14) == 0) {
		registrations(r, req + 14, j);
		return true;
	}
	if (strcmp(req, "h323 calls") == 0) {
		calls(r, j);
		return true;
	}
	if (strncmp(req, "h323 call ", 10) == 0) {
		call_start(r, req + 10, j);
		return true;
	}
	return false;
}

/* ---- status --------------------------------------------------------------- */

static void counters_json(const struct cp_ras *r, struct jout *j)
{
	const struct ras_counters *c = ras_counters(r->svc);

	jout_key(j, "ras");
	jout_lit(j, "{");
#define RAS_COUNTER_JSON(n) jout_kv_i64(j, #n, (int64_t)c->n);
	RAS_COUNTERS(RAS_COUNTER_JSON)
#undef RAS_COUNTER_JSON
	jout_lit(j, "}");
	jout_key(j, "signalling");
	jout_lit(j, "{");
	jout_kv_i64(j, "accepted", (int64_t)r->sig.accepted);
	jout_kv_i64(j, "refused", (int64_t)r->sig.refused);
	jout_kv_i64(j, "matched", (int64_t)r->sig.matched);
	jout_kv_i64(j, "unmatched", (int64_t)r->sig.unmatched);
	jout_kv_i64(j, "protocol_errors", (int64_t)r->sig.protocol_errors);
	jout_kv_i64(j, "timeouts", (int64_t)r->sig.timeouts);
	jout_kv_i64(j, "keepalives_sent", (int64_t)r->sig.keepalives_sent);
	jout_lit(j, "}");
}

static void zones_json(const struct cp_ras *r, struct jout *j)
{
	unsigned shown = 0;

	jout_key(j, "zones");
	jout_lit(j, "[");
	for (unsigned s = 1; s < RAS_SOCKS; s++) {
		int z = ras_sock_zone(r->svc, s);
		const struct ras_zone_peer *p;

		if (z < 0)
			continue;
		p = ras_zone_peer(r->svc, (unsigned)z);
		jout_lit(j, shown++ ? ",{" : "{");
		jout_kv_str(j, "name", r->cfg->zones[z].name);
		jout_kv_i64(j, "port", ras_sock_port(r->svc, s));
		jout_kv_str(j, "state", p->active ? "up" :
			    p->ever ? "lost" : "waiting");
		kv_addr(j, "traversal_client", p->ever, p->addr);
		jout_kv_i64(j, "keepalives", (int64_t)p->keepalives);
		jout_kv_i64(j, "lrqs", (int64_t)p->lrqs);
		jout_lit(j, "}");
	}
	jout_lit(j, "]");
}

void cp_ras_status_json(const struct cp_ras *r, struct jout *j)
{
	unsigned active = 0;

	if (r->svc == NULL)
		return;
	for (unsigned i = 0; i < RAS_CALLS_MAX; i++) {
		const struct ras_call *c = ras_call_slot(r->svc, i);

		active += c->used && c->state != RAS_CALL_FAILED &&
			  c->state != RAS_CALL_CLOSED;
	}
	jout_key(j, "h323");
	jout_lit(j, "{");
	jout_kv_i64(j, "registrations", ras_reg_count(r->svc));
	jout_kv_i64(j, "capacity", ras_reg_capacity(r->svc));
	jout_kv_i64(j, "calls", active);
	counters_json(r, j);
	zones_json(r, j);
	jout_lit(j, "}");
}
