/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_sip_json.c — SIP in sluice-cp's status and the cp.sock requests:
 *
 *   status                           "sip": {ports, realm, registrations,
 *                                    connections, counters, malformed by
 *                                    reason, registrar outcomes}
 *   sip zones                        {"zones":[{name, role, transport, port,
 *                                    peer, state, remote, counters,
 *                                    last_error}]}
 *   sip registrations [from=N] [max=N]
 *                                    {"registrations":[...],"next":N,
 *                                     "count":N,"capacity":N}
 *
 * A registration has the members of an H.323 one that mean the same
 * ("protocol":"sip", id, username, aliases, address, port, traversal,
 * expires_in_s, ttl_s, registered, keepalives) so `sluicectl
 * registrations` lists both in one table, and SIP's own (contact,
 * transport, refreshes, instance, reg_id).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cp_main.h"
#include "cp_sip.h"
#include "cp_sip_int.h"
#include "json_out.h"

#define CP_SIP_ITEM_JSON_MAX 4096

static void kv_peer(struct jout *j, const char *key, const struct sip_peer *p)
{
	char a[INET_ADDRSTRLEN], text[32];

	inet_ntop(AF_INET, &p->ip, a, sizeof(a));
	snprintf(text, sizeof(text), "%s:%u", a, p->port);
	jout_kv_str(j, key, text);
}

static void kv_wall(struct jout *j, const char *key, int64_t t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	jout_kv_str(j, key, buf);
}

static uint16_t listen_port(const struct cp_sip *s, enum sip_transport t)
{
	return t == SIP_TR_UDP ? s->cfg->sip.udp_port :
	       t == SIP_TR_TCP ? s->cfg->sip.tcp_port : s->cfg->sip.tls_port;
}

static void binding_json(const struct cp_sip *s, struct jout *j,
			 const struct sip_binding *b, int64_t now)
{
	char id[24];
	int64_t left = (b->expires_ms - now + 999) / 1000;

	snprintf(id, sizeof(id), "sip-%u", b->id);
	jout_lit(j, "{");
	jout_kv_str(j, "protocol", "sip");
	jout_kv_str(j, "id", id);
	jout_kv_str(j, "username", b->user);
	jout_key(j, "aliases");
	jout_lit(j, "[{");
	jout_kv_str(j, "type", "sip_aor");
	jout_kv_str(j, "value", b->aor);
	jout_lit(j, "}]");
	kv_peer(j, "address", &b->peer);
	jout_kv_str(j, "transport", sip_transport_name(b->peer.tr));
	jout_kv_i64(j, "port", listen_port(s, b->peer.tr));
	jout_kv_str(j, "traversal", b->outbound ? "outbound" : "none");
	jout_kv_str(j, "contact", b->contact);
	if (b->outbound) {
		jout_kv_str(j, "instance", b->instance);
		jout_kv_i64(j, "reg_id", b->reg_id);
	}
	jout_kv_i64(j, "ttl_s", b->expires_s);
	jout_kv_i64(j, "expires_in_s", left > 0 ? left : 0);
	kv_wall(j, "registered", b->registered_wall_s);
	jout_kv_i64(j, "refreshes", (int64_t)b->refreshes);
	jout_kv_i64(j, "keepalives", (int64_t)b->keepalives);
	jout_lit(j, "}");
}

static void registrations(const struct cp_sip *s, const char *args,
			  struct jout *j)
{
	uint32_t from, max, shown = 0, i;
	int64_t now = cp_now_ms();

	if (cp_page_args(args, &from, &max) != 0) {
		jout_lit(j, "{");
		jout_kv_str(j, "error", "usage: sip registrations [from=N] "
			    "[max=1-100]");
		jout_lit(j, "}\n");
		return;
	}
	jout_lit(j, "{\"registrations\":[");
	for (i = from; i < s->reg.cap && shown < max &&
		       j->cap - j->len > CP_SIP_ITEM_JSON_MAX; i++) {
		if (!s->reg.b[i].used)
			continue;
		if (shown++)
			jout_lit(j, ",");
		binding_json(s, j, &s->reg.b[i], now);
	}
	jout_lit(j, "]");
	jout_kv_i64(j, "next", i < s->reg.cap ? i : 0);
	jout_kv_i64(j, "count", s->reg.count);
	jout_kv_i64(j, "capacity", s->reg.cap);
	jout_lit(j, "}\n");
}

/* ---- zones ------------------------------------------------------------------ */

static void zone_json(const struct cp_sip_zone *zn, struct jout *j,
		      int64_t now)
{
	const struct sl_zone *z = zn->z;

	jout_lit(j, "{");
	jout_kv_str(j, "name", z->name);
	jout_kv_str(j, "protocol", "sip");
	jout_kv_str(j, "role", z->role == SL_ZONE_SERVER ? "server" : "client");
	jout_kv_str(j, "transport", z->transport == SL_ZONE_TLS ? "tls" : "tcp");
	jout_kv_i64(j, "port", z->port);
	jout_kv_str(j, "peer", z->role == SL_ZONE_CLIENT ? z->peer : "");
	jout_kv_str(j, "username", z->username);
	jout_kv_i64(j, "keepalive_s", z->keepalive_s);
	jout_kv_str(j, "state", cp_zone_state_name(zn->state));
	jout_kv_i64(j, "state_for_s", (now - zn->state_since_ms) / 1000);
	if (zn->state == CP_ZONE_UP) {
		kv_peer(j, "remote", &zn->remote);
		kv_wall(j, "up_since", zn->up_since_wall);
	}
	jout_kv_i64(j, "connects", (int64_t)zn->connects);
	jout_kv_i64(j, "ups", (int64_t)zn->ups);
	jout_kv_i64(j, "keepalives_sent", (int64_t)zn->keepalives_sent);
	jout_kv_i64(j, "pongs", (int64_t)zn->pongs);
	jout_kv_i64(j, "keepalives_received", (int64_t)zn->keepalives_received);
	jout_kv_i64(j, "auth_failures", (int64_t)zn->auth_failures);
	jout_kv_i64(j, "mismatches", (int64_t)zn->mismatches);
	jout_kv_i64(j, "cert_failures", (int64_t)zn->cert_failures);
	jout_kv_str(j, "last_error", zn->last_error);
	jout_lit(j, "}");
}

void cp_sip_zones_json(const struct cp_sip *s, struct jout *j)
{
	int64_t now = cp_now_ms();

	jout_key(j, "zones");
	jout_lit(j, "[");
	for (unsigned i = 0; i < s->n_zones; i++) {
		if (i)
			jout_lit(j, ",");
		zone_json(&s->zones[i], j, now);
	}
	jout_lit(j, "]");
}

bool cp_sip_request(struct cp_sip *s, const char *req, struct jout *j)
{
	if (strcmp(req, "zones") == 0) {
		jout_lit(j, "{");
		cp_sip_zones_json(s, j);
		jout_lit(j, "}\n");
		return true;
	}
	if (strcmp(req, "calls") == 0 || strncmp(req, "calls ", 6) == 0) {
		cp_calls_json(s, req[5] == ' ' ? req + 6 : "", j);
		return true;
	}
	if (strcmp(req, "registrations") == 0)
		registrations(s, "", j);
	else if (strncmp(req, "registrations ", 14) == 0)
		registrations(s, req + 14, j);
	else
		return false;
	return true;
}

/* ---- status ------------------------------------------------------------------ */

static void counters_json(const struct cp_sip_counters *c, struct jout *j)
{
	jout_key(j, "counters");
	jout_lit(j, "{");
	jout_kv_i64(j, "rx_udp", (int64_t)c->rx_msgs[SIP_TR_UDP]);
	jout_kv_i64(j, "rx_tcp", (int64_t)c->rx_msgs[SIP_TR_TCP]);
	jout_kv_i64(j, "rx_tls", (int64_t)c->rx_msgs[SIP_TR_TLS]);
	jout_kv_i64(j, "tx", (int64_t)c->tx_msgs);
	jout_kv_i64(j, "tx_errors", (int64_t)c->tx_errors);
	jout_kv_i64(j, "tx_queued", (int64_t)c->tx_queued);
	jout_kv_i64(j, "requests", (int64_t)c->requests);
	jout_kv_i64(j, "responses_ignored", (int64_t)c->responses_rx);
	jout_kv_i64(j, "malformed_answered", (int64_t)c->answered_malformed);
	jout_kv_i64(j, "malformed_dropped", (int64_t)c->dropped_malformed);
	jout_kv_i64(j, "not_implemented", (int64_t)c->not_implemented);
	jout_kv_i64(j, "too_many_hops", (int64_t)c->too_many_hops);
	jout_kv_i64(j, "crlf_pings", (int64_t)c->crlf_pings);
	jout_kv_i64(j, "conn_accepted", (int64_t)c->conn_accepted);
	jout_kv_i64(j, "conn_refused", (int64_t)c->conn_refused);
	jout_kv_i64(j, "conn_timeouts", (int64_t)c->conn_timeouts);
	jout_kv_i64(j, "tls_failures", (int64_t)c->tls_failures);
	jout_kv_i64(j, "stream_errors", (int64_t)c->stream_errors);
	jout_lit(j, "}");
	/* only the reasons seen: the list is long */
	jout_key(j, "malformed");
	jout_lit(j, "{");
	for (unsigned e = 1; e < SIP_E_COUNT; e++)
		if (c->malformed[e] > 0)
			jout_kv_i64(j, sip_err_name((enum sip_err)e),
				    (int64_t)c->malformed[e]);
	jout_lit(j, "}");
}

void cp_sip_status_json(const struct cp_sip *s, struct jout *j)
{
	jout_key(j, "sip");
	jout_lit(j, "{");
	jout_kv_i64(j, "udp_port", s->cfg->sip.udp_port);
	jout_kv_i64(j, "tcp_port", s->cfg->sip.tcp_port);
	jout_kv_i64(j, "tls_port", s->listen_fd[CP_SIP_L_TLS] >= 0 ?
				   s->cfg->sip.tls_port : 0);
	jout_kv_str(j, "realm", s->reg.realm);
	jout_kv_i64(j, "registrations", s->reg.count);
	jout_kv_i64(j, "registration_capacity", s->reg.cap);
	jout_kv_i64(j, "registrations_expired", (int64_t)s->reg.expired);
	jout_kv_i64(j, "connections", s->n_conn);
	jout_kv_i64(j, "connection_capacity", CP_SIP_CONN_MAX);
	counters_json(&s->c, j);
	cp_sip_zones_json(s, j);
	cp_calls_status_json(s, j);
	jout_key(j, "registrar");
	jout_lit(j, "{");
	for (unsigned o = 0; o < SIP_REG_OUTCOME_COUNT; o++)
		jout_kv_i64(j, sip_reg_outcome_name((enum sip_reg_outcome)o),
			    (int64_t)s->reg.outcomes[o]);
	jout_lit(j, "}}");
}
