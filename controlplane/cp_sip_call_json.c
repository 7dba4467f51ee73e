/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_sip_call_json.c — the B2BUA's calls for operators: cp.sock "sip
 * calls" and the "calls" member of the SIP status (docs/sip.md §7).
 */
#include <arpa/inet.h>
#include <stdio.h>

#include "cp_main.h"
#include "cp_status.h"
#include "cp_sip_call_int.h"
#include "json_out.h"

static const char *const end_name[CP_END_COUNT] = {
	[CP_END_NONE] = "none",
#define CP_END_NAME(id, name, text) [CP_END_##id] = name,
	CP_CALL_ENDS(CP_END_NAME)
#undef CP_END_NAME
};

static void peer_json(struct jout *j, const char *key,
		      const struct sip_peer *p)
{
	char ip[INET_ADDRSTRLEN], text[INET_ADDRSTRLEN + 8];

	inet_ntop(AF_INET, &p->ip, ip, sizeof(ip));
	snprintf(text, sizeof(text), "%s:%u", ip, p->port);
	jout_kv_str(j, key, text);
}

static void side_json(const struct cp_sip *s, struct jout *j,
		      const struct cp_call_side *sd)
{
	jout_lit(j, "{");
	jout_kv_str(j, "kind", sd->kind == CP_SIDE_ZONE ? "zone" : "public");
	jout_kv_str(j, "zone", sd->zone >= 0 ? s->zones[sd->zone].z->name : "");
	peer_json(j, "address", &sd->peer);
	jout_kv_str(j, "transport", sip_transport_name(sd->peer.tr));
	jout_kv_str(j, "call_id", sd->call_id);
	jout_lit(j, "}");
}

static void stream_json(struct jout *j, const struct cp_call_stream *st,
			unsigned idx)
{
	char ip[INET_ADDRSTRLEN], text[INET_ADDRSTRLEN + 8];
	static const char *const key[2] = { "caller", "callee" };

	jout_lit(j, "{");
	jout_kv_i64(j, "index", idx);
	for (int k = 0; k < 2; k++) {
		jout_key(j, key[k]);
		jout_lit(j, "{");
		jout_kv_i64(j, "leg", st->leg[k]);
		jout_kv_i64(j, "port", st->port[k]);
		if (st->mux_rx[k] != 0) {
			jout_kv_i64(j, "mux_rx", st->mux_rx[k]);
			jout_kv_i64(j, "mux_tx", st->r_mux[k]);
		}
		inet_ntop(AF_INET, &st->r_ip[k], ip, sizeof(ip));
		snprintf(text, sizeof(text), "%s:%u", ip, st->r_port[k]);
		jout_kv_str(j, "sdp_remote", text);
		jout_lit(j, "}");
	}
	jout_lit(j, "}");
}

static void call_json(const struct cp_sip *s, struct jout *j,
		      const struct cp_call *call, int64_t now)
{
	unsigned n = 0;

	jout_lit(j, "{");
	jout_kv_i64(j, "id", (int64_t)((uint64_t)cp_call_slot(s, call) << 20 |
				       (call->gen & 0xfffff)));
	jout_kv_str(j, "state", cp_call_state_name(call->state));
	jout_kv_str(j, "caller", call->caller);
	jout_kv_str(j, "callee", call->callee);
	jout_kv_i64(j, "age_s", (now - call->created_ms) / 1000);
	jout_kv_i64(j, "setup_ms", call->answered_ms ?
		    call->answered_ms - call->created_ms : -1);
	jout_key(j, "ice_passthrough");
	jout_lit(j, call->ice_passthrough ? "true" : "false");
	jout_key(j, "a");
	side_json(s, j, &call->side[SIDE_A]);
	jout_key(j, "b");
	side_json(s, j, &call->side[SIDE_B]);
	jout_key(j, "streams");
	jout_lit(j, "[");
	for (unsigned i = 0; i < call->n_st; i++) {
		if (!call->st[i].anchored)
			continue;
		if (n++ > 0)
			jout_lit(j, ",");
		stream_json(j, &call->st[i], i);
	}
	jout_lit(j, "]}");
}

void cp_calls_json(const struct cp_sip *s, const char *args, struct jout *j)
{
	int64_t now = cp_now_ms();
	uint32_t from, max, shown = 0, i;

	if (cp_page_args(args, &from, &max) != 0) {
		jout_lit(j, "{");
		jout_kv_str(j, "error", "usage: sip calls [from=N] [max=1-100]");
		jout_lit(j, "}\n");
		return;
	}
	jout_lit(j, "{\"calls\":[");
	/* as many as asked for and fit the reply; "next" goes on from there */
	for (i = from; s->calls.ready && i < s->calls.cap && shown < max &&
		       j->cap - j->len > CP_CALL_JSON_MAX; i++) {
		if (s->calls.call[i].state == CP_CALL_FREE)
			continue;
		if (shown++ > 0)
			jout_lit(j, ",");
		call_json(s, j, &s->calls.call[i], now);
	}
	jout_lit(j, "]");
	jout_kv_i64(j, "next", s->calls.ready && i < s->calls.cap ? i : 0);
	jout_kv_i64(j, "count", s->calls.n);
	jout_kv_i64(j, "capacity", s->calls.cap);
	jout_lit(j, "}\n");
}

void cp_calls_status_json(const struct cp_sip *s, struct jout *j)
{
	const struct cp_call_counters *c = &s->calls.c;

	jout_key(j, "calls");
	jout_lit(j, "{");
	jout_kv_i64(j, "active", s->calls.n);
	jout_kv_i64(j, "capacity", s->calls.cap);
#define CP_CALL_CTR_JSON(name) jout_kv_i64(j, #name, (int64_t)c->name);
	CP_CALL_COUNTERS(CP_CALL_CTR_JSON)
#undef CP_CALL_CTR_JSON
	jout_kv_i64(j, "legs_delete_waiting", s->calls.n_defer);
	jout_kv_i64(j, "pairs_free", sip_port_pairs_free(&s->calls.pairs));
	jout_key(j, "final_answers");
	jout_lit(j, "{");
	for (unsigned i = 1; i < 7; i++) {
		char k[8];

		snprintf(k, sizeof(k), "%uxx", i);
		jout_kv_i64(j, k, (int64_t)c->by_status[i]);
	}
	jout_lit(j, "}");
	jout_key(j, "ended");
	jout_lit(j, "{");
	for (unsigned e = 1; e < CP_END_COUNT; e++)
		jout_kv_i64(j, end_name[e], (int64_t)c->ended[e]);
	jout_lit(j, "}}");
}

