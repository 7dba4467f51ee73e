/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_flows.c — the "flows" requests of the status socket (see cp_flows.h).
 *
 * A request that needs the dataplane becomes an op: it owns the command it
 * sent (owner = op index + 1 and a serial, so a completion for a recycled
 * op is recognised) and the client it will answer (slot + serial, so a
 * client that gave up is not answered in another's place).
 *
 *   add   ADD ──ok──► (peer given) MOD peer → new leg ──► {"leg_id":N}
 *   del   DEL ──ok──► (peer pointed back) MOD peer → 0 ──► {"deleted":N}
 *   show  QUERY ──► LEG_INFO + ACK ──► {"leg":{...},"dataplane":{...}}
 */
#include "cp_flows.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cp_dp.h"
#include "cp_log.h"
#include "cp_main.h"
#include "json_out.h"

#define FLOW_ERR_MAX 400

/* --- answers ---------------------------------------------------------------- */

static void reply_error(struct jout *j, const char *msg, int result)
{
	jout_lit(j, "{");
	jout_kv_str(j, "error", msg);
	if (result > 0)
		jout_kv_str(j, "result", sl_result_name((unsigned)result));
	jout_lit(j, "}\n");
}

static void kv_bool(struct jout *j, const char *key, bool v)
{
	jout_key(j, key);
	jout_lit(j, v ? "true" : "false");
}

static void kv_addr(struct jout *j, const char *key, bool known,
		    uint32_t addr, uint16_t port)
{
	char a[INET_ADDRSTRLEN], text[INET_ADDRSTRLEN + 8];

	jout_key(j, key);
	if (!known) {
		jout_lit(j, "null");
		return;
	}
	inet_ntop(AF_INET, &addr, a, sizeof(a));
	snprintf(text, sizeof(text), "%s:%u", a, port);
	jout_str(j, text);
}

static const char *iface_name(const struct sl_config *cfg, unsigned idx)
{
	return idx < cfg->n_ifaces ? sl_iface_role_name(cfg->ifaces[idx].role)
				   : "?";
}

/* The fields a spec shares with every view of a leg. */
static void spec_members(struct jout *j, const struct sl_config *cfg,
			 const struct sl_leg_spec *s)
{
	jout_kv_i64(j, "id", s->leg_id);
	jout_kv_str(j, "kind", cp_leg_kind_name(s->kind));
	jout_kv_i64(j, "port", s->local_port);
	jout_kv_str(j, "iface", iface_name(cfg, s->iface));
	if (s->kind == SL_LEG_MUX) {
		jout_kv_i64(j, "mux_rx", s->mux_id_rx);
		jout_kv_i64(j, "mux_tx", s->mux_id_tx);
	}
	jout_kv_str(j, "latch", sl_latch_name(s->latch));
	if (s->latch == SL_LATCH_RELATCH)
		jout_kv_i64(j, "relatch_ms", s->relatch_ms);
	if (s->kind == SL_LEG_PORT)
		kv_bool(j, "rtcp_mux", s->flags & SL_LEG_F_RTCP_MUX);
	else if (s->flags & SL_LEG_F_KEEPALIVE)
		jout_kv_i64(j, "keepalive_pt", s->keepalive_pt);
	jout_kv_i64(j, "peer", s->peer_leg_id);
	jout_kv_i64(j, "idle_timeout_s", s->idle_timeout_s);
	jout_kv_str(j, "owner", cp_leg_owner_name(cp_leg_owner(s)));
}

/* sluice-cp's record of a leg. */
static void leg_json(struct jout *j, const struct sl_config *cfg,
		     const struct cp_leg *l)
{
	const struct sl_leg_spec *s = &l->spec;
	const struct cp_latch *rtp = &l->latched[SL_COMP_RTP];
	const struct cp_latch *rtcp = &l->latched[SL_COMP_RTCP];
	bool given = s->flags & SL_LEG_F_REMOTE_KNOWN;

	jout_lit(j, "{");
	spec_members(j, cfg, s);
	if (rtp->valid)
		kv_addr(j, "remote", true, rtp->addr, rtp->port);
	else
		kv_addr(j, "remote", given, s->remote_addr, s->remote_port);
	kv_bool(j, "latched", rtp->valid);
	kv_addr(j, "rtcp_remote", rtcp->valid, rtcp->addr, rtcp->port);
	kv_bool(j, "rtcp_latched", rtcp->valid);
	kv_addr(j, "configured_remote", given, s->remote_addr,
		s->remote_port);
	jout_kv_str(j, "state", cp_leg_state_name(l->state));
	if (l->last_result != SL_OK)
		jout_kv_str(j, "last_error", sl_result_name(l->last_result));
	jout_lit(j, "}");
}

/* The dataplane's answer to LEG_QUERY: its spec and counters. */
static void info_json(struct jout *j, const struct sl_config *cfg,
		      const struct sl_evt_leg_info *e)
{
	const struct sl_leg_spec *s = &e->leg;

	jout_lit(j, "{");
	spec_members(j, cfg, s);
	uint64_t drops = 0;
	unsigned i;

	kv_addr(j, "remote", s->flags & SL_LEG_F_REMOTE_KNOWN, s->remote_addr,
		s->remote_port);
	kv_bool(j, "latched", s->flags & SL_LEG_F_LATCHED);
	kv_addr(j, "rtcp_remote", s->flags & SL_LEG_F_RTCP_KNOWN,
		s->rtcp_remote_addr, s->rtcp_remote_port);
	kv_bool(j, "rtcp_latched", s->flags & SL_LEG_F_RTCP_LATCHED);
	jout_kv_i64(j, "pkts_in", (int64_t)e->ctr.pkts_in);
	jout_kv_i64(j, "bytes_in", (int64_t)e->ctr.bytes_in);
	jout_kv_i64(j, "pkts_out", (int64_t)e->ctr.pkts_out);
	jout_kv_i64(j, "bytes_out", (int64_t)e->ctr.bytes_out);
	jout_kv_i64(j, "keepalives", (int64_t)e->ctr.keepalives);
	for (i = 0; i < SL_LEG_DROP_MAX; i++)
		drops += e->ctr.drops[i];
	jout_kv_i64(j, "drops", (int64_t)drops);
	jout_key(j, "drops_by_reason");
	jout_lit(j, "{");
	for (i = 0; i < SL_LEG_DROP_MAX; i++)
		jout_kv_i64(j, sl_leg_drop_name(i), (int64_t)e->ctr.drops[i]);
	jout_lit(j, "}");
	jout_key(j, "quality");
	jout_lit(j, "{");
	jout_kv_i64(j, "rtcp_reports", e->q.reports);
	if (e->q.reports > 0) {
		jout_kv_i64(j, "ssrc", e->q.ssrc);
		jout_kv_i64(j, "fraction_lost", e->q.fraction_lost);
		jout_kv_i64(j, "loss_pct_x100",
			    (int64_t)e->q.fraction_lost * 10000 / 256);
		jout_kv_i64(j, "cum_lost", e->q.cum_lost);
		jout_kv_i64(j, "jitter", e->q.jitter);
	}
	jout_lit(j, "}");
	jout_kv_i64(j, "idle_s", e->idle_s);
	jout_lit(j, "}");
}

/* --- ops --------------------------------------------------------------------- */

static struct cp_flow_op *op_new(struct cp_flows *f, enum cp_flow_step step,
				 unsigned client, uint64_t client_serial)
{
	unsigned i;

	for (i = 0; i < CP_FLOWS_MAX_OPS; i++) {
		struct cp_flow_op *op = &f->op[i];

		if (op->step != CP_FLOW_FREE)
			continue;
		memset(op, 0, sizeof(*op));
		op->step = (uint8_t)step;
		op->serial = ++f->serial;
		op->client = client;
		op->client_serial = client_serial;
		return op;
	}
	return NULL;
}

static struct cp_dp_owner op_owner(const struct cp_flows *f,
				   const struct cp_flow_op *op)
{
	return (struct cp_dp_owner){ .op = (uint32_t)(op - f->op) + 1,
				     .serial = op->serial };
}

static struct cp_flow_op *op_of(struct cp_flows *f, struct cp_dp_owner o)
{
	struct cp_flow_op *op;

	if (o.op == 0 || o.op > CP_FLOWS_MAX_OPS)
		return NULL;
	op = &f->op[o.op - 1];
	return op->step != CP_FLOW_FREE && op->serial == o.serial ? op : NULL;
}

/* Answer the op's client (if it still waits) and free the op. */
static void op_answer_error(struct cp_main *m, struct cp_flow_op *op,
			    const char *msg, int result)
{
	struct jout j;

	if (cp_status_reply_begin(&m->status, op->client, op->client_serial,
				  &j)) {
		reply_error(&j, msg, result);
		cp_status_reply_end(&m->status, op->client, &j);
	}
	op->step = CP_FLOW_FREE;
}

static void op_answer_ids(struct cp_main *m, struct cp_flow_op *op,
			  const char *key, const char *peer_key)
{
	struct jout j;

	if (cp_status_reply_begin(&m->status, op->client, op->client_serial,
				  &j)) {
		jout_lit(&j, "{");
		jout_kv_i64(&j, key, op->leg_id);
		if (op->peer_id != 0)
			jout_kv_i64(&j, peer_key, op->peer_id);
		jout_lit(&j, "}\n");
		cp_status_reply_end(&m->status, op->client, &j);
	}
	op->step = CP_FLOW_FREE;
}

/* --- parsing ---------------------------------------------------------------- */

static int parse_u32(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

struct add_args {
	bool have_port, have_mux, have_id, have_remote, have_latch;
	bool have_rtcp, rtcp_mux, have_keepalive;
	uint32_t port, mux_rx, mux_tx, id, peer, idle, iface;
	uint32_t raddr, rport;
	uint32_t rtcp_addr, rtcp_port;
	uint32_t relatch_ms, keepalive_pt;
	uint8_t latch;
};

static int parse_mux(const char *v, struct add_args *a)
{
	char buf[32], *colon;

	if (snprintf(buf, sizeof(buf), "%s", v) >= (int)sizeof(buf))
		return -1;
	colon = strchr(buf, ':');
	if (colon != NULL)
		*colon++ = '\0';
	if (parse_u32(buf, 1, UINT32_MAX, &a->mux_rx) != 0 ||
	    (colon != NULL && parse_u32(colon, 0, UINT32_MAX, &a->mux_tx) != 0))
		return -1;
	a->have_mux = true;
	return 0;
}

/* A.B.C.D:PORT */
static int parse_addr_port(const char *v, uint32_t *addr, uint32_t *port)
{
	char buf[32], *colon;

	if (snprintf(buf, sizeof(buf), "%s", v) >= (int)sizeof(buf))
		return -1;
	colon = strrchr(buf, ':');
	if (colon == NULL)
		return -1;
	*colon++ = '\0';
	if (inet_pton(AF_INET, buf, addr) != 1 || *addr == 0 ||
	    parse_u32(colon, 1, 65535, port) != 0)
		return -1;
	return 0;
}

/* strict | once | relatch[:MS] (default 2000 ms of silence) */
static int parse_latch(const char *v, struct add_args *a)
{
	if (strcmp(v, "strict") == 0) {
		a->latch = SL_LATCH_STRICT;
	} else if (strcmp(v, "once") == 0) {
		a->latch = SL_LATCH_ONCE;
	} else if (strcmp(v, "relatch") == 0) {
		a->latch = SL_LATCH_RELATCH;
		a->relatch_ms = CP_RELATCH_MS_DEFAULT;
	} else if (strncmp(v, "relatch:", 8) == 0) {
		if (parse_u32(v + 8, 1, 65535, &a->relatch_ms) != 0)
			return -1;
		a->latch = SL_LATCH_RELATCH;
	} else {
		return -1;
	}
	a->have_latch = true;
	return 0;
}

static int parse_on_off(const char *v, bool *out)
{
	if (strcmp(v, "on") == 0)
		*out = true;
	else if (strcmp(v, "off") == 0)
		*out = false;
	else
		return -1;
	return 0;
}

static int parse_iface(const struct sl_config *cfg, const char *v,
		       struct add_args *a)
{
	unsigned i;

	for (i = 0; i < cfg->n_ifaces; i++)
		if (strcmp(v, sl_iface_role_name(cfg->ifaces[i].role)) == 0) {
			a->iface = i;
			return 0;
		}
	return -1;
}

static const char *add_hint(const char *key)
{
	static const char *const hints[][2] = {
		{ "port", "1-65535" },
		{ "id", "a leg id, 1 or more" },
		{ "peer", "a leg id, 1 or more" },
		{ "idle", "0-65535 seconds" },
		{ "mux", "RX[:TX], multiplexIDs, RX nonzero" },
		{ "remote", "A.B.C.D:PORT" },
		{ "rtcp", "A.B.C.D:PORT" },
		{ "rtcp-mux", "on or off" },
		{ "keepalive", "an RTP payload type 0-127" },
		{ "latch", "strict, once, relatch or relatch:MS (1-65535)" },
		{ "iface", "an interface name of the configuration" },
	};
	size_t i;

	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strcmp(key, hints[i][0]) == 0)
			return hints[i][1];
	return "?";
}

/* One key=value of "flows add". 0, or -1 with the complaint in err. */
static int parse_add_kv(const struct sl_config *cfg, char *kv,
			struct add_args *a, char *err, size_t errlen)
{
	char *v = strchr(kv, '=');
	int rc = -1;

	if (v == NULL) {
		snprintf(err, errlen, "flows add: '%s' is not KEY=VALUE", kv);
		return -1;
	}
	*v++ = '\0';
	if (strcmp(kv, "port") == 0) {
		rc = parse_u32(v, 1, 65535, &a->port);
		a->have_port = rc == 0;
	} else if (strcmp(kv, "id") == 0) {
		rc = parse_u32(v, 1, UINT32_MAX, &a->id);
		a->have_id = rc == 0;
	}
	else if (strcmp(kv, "peer") == 0)
		rc = parse_u32(v, 1, UINT32_MAX, &a->peer);
	else if (strcmp(kv, "idle") == 0)
		rc = parse_u32(v, 0, 65535, &a->idle);
	else if (strcmp(kv, "mux") == 0)
		rc = parse_mux(v, a);
	else if (strcmp(kv, "remote") == 0) {
		rc = parse_addr_port(v, &a->raddr, &a->rport);
		a->have_remote = rc == 0;
	} else if (strcmp(kv, "rtcp") == 0) {
		rc = parse_addr_port(v, &a->rtcp_addr, &a->rtcp_port);
		a->have_rtcp = rc == 0;
	} else if (strcmp(kv, "rtcp-mux") == 0)
		rc = parse_on_off(v, &a->rtcp_mux);
	else if (strcmp(kv, "keepalive") == 0) {
		rc = parse_u32(v, 0, 127, &a->keepalive_pt);
		a->have_keepalive = rc == 0;
	}
	else if (strcmp(kv, "latch") == 0)
		rc = parse_latch(v, a);
	else if (strcmp(kv, "iface") == 0)
		rc = parse_iface(cfg, v, a);
	else {
		snprintf(err, errlen, "flows add: unknown key '%s'", kv);
		return -1;
	}
	if (rc != 0)
		snprintf(err, errlen, "flows add: %s %s is not valid (%s)", kv,
			 v, add_hint(kv));
	return rc;
}

static int parse_add(const struct sl_config *cfg, char *args,
		     struct add_args *a, char *err, size_t errlen)
{
	char *save = NULL, *kv;

	memset(a, 0, sizeof(*a));
	for (kv = strtok_r(args, " ", &save); kv != NULL;
	     kv = strtok_r(NULL, " ", &save))
		if (parse_add_kv(cfg, kv, a, err, errlen) != 0)
			return -1;
	if (!a->have_port) {
		snprintf(err, errlen, "flows add: port=P is required (the "
			 "media port, or with mux= the demultiplexing port)");
		return -1;
	}
	return 0;
}

/* --- add -------------------------------------------------------------------- */

static void spec_from_args(const struct add_args *a, uint32_t id,
			   struct sl_leg_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->leg_id = id;
	s->peer_leg_id = a->peer;
	s->kind = a->have_mux ? SL_LEG_MUX : SL_LEG_PORT;
	s->iface = (uint8_t)a->iface;
	/* Symmetric latching by default: the first packet's source wins
	 * over a signaled address, which a NAT may have rewritten. */
	s->latch = a->have_latch ? a->latch : SL_LATCH_ONCE;
	s->relatch_ms = (uint16_t)a->relatch_ms;
	s->local_port = (uint16_t)a->port;
	if (a->have_keepalive) {
		s->flags |= SL_LEG_F_KEEPALIVE;
		s->keepalive_pt = (uint8_t)a->keepalive_pt;
	}
	if (a->rtcp_mux)
		s->flags |= SL_LEG_F_RTCP_MUX;
	if (a->have_remote) {
		s->flags |= SL_LEG_F_REMOTE_KNOWN;
		s->remote_addr = a->raddr;
		s->remote_port = (uint16_t)a->rport;
	}
	if (a->have_rtcp) {
		s->flags |= SL_LEG_F_RTCP_KNOWN;
		s->rtcp_remote_addr = a->rtcp_addr;
		s->rtcp_remote_port = (uint16_t)a->rtcp_port;
	}
	s->mux_id_rx = a->mux_rx;
	s->mux_id_tx = a->mux_tx;
	s->idle_timeout_s = (uint16_t)a->idle;
	s->cookie = cp_leg_cookie(CP_LEG_OWNER_CTL, (uint32_t)time(NULL));
}

/* The leg id to use, and a usable peer. 0, or -1 with the reason. */
static int add_ids(struct cp_dp *dp, const struct add_args *a, uint32_t *id,
		   char *err, size_t errlen, int *result)
{
	const struct cp_leg *p;

	*id = a->have_id ? a->id : cp_legs_alloc_id(&dp->legs,
						    cp_dp_leg_limit(dp));
	if (*id == 0) {
		snprintf(err, errlen, "flows add: all %u leg ids are in use: "
			 "%s", cp_dp_leg_limit(dp),
			 sl_result_name(SL_E_CAPACITY));
		*result = SL_E_CAPACITY;
		return -1;
	}
	if (a->peer == 0)
		return 0;
	p = cp_legs_cget(&dp->legs, a->peer);
	if (a->peer == *id || p == NULL || p->state != CP_LEG_PROGRAMMED) {
		snprintf(err, errlen, "leg %u: peer leg %u %s: %s", *id,
			 a->peer, a->peer == *id ? "is the leg itself" :
			 p == NULL ? "does not exist" : "is not programmed",
			 sl_result_name(a->peer == *id ? SL_E_RANGE :
					SL_E_NOT_FOUND));
		*result = a->peer == *id ? SL_E_RANGE : SL_E_NOT_FOUND;
		return -1;
	}
	return 0;
}

static bool flows_add(struct cp_main *m, unsigned client, uint64_t cser,
		      char *args, struct jout *j)
{
	char err[FLOW_ERR_MAX];
	struct add_args a;
	struct sl_leg_spec s;
	struct cp_flow_op *op;
	uint32_t id;
	int result = 0;

	if (parse_add(m->cfg, args, &a, err, sizeof(err)) != 0 ||
	    add_ids(&m->dp, &a, &id, err, sizeof(err), &result) != 0) {
		reply_error(j, err, result);
		return true;
	}
	op = op_new(&m->flows, CP_FLOW_ADD, client, cser);
	if (op == NULL) {
		reply_error(j, "too many flow requests in progress", 0);
		return true;
	}
	spec_from_args(&a, id, &s);
	op->leg_id = id;
	op->peer_id = a.peer;
	if (cp_dp_leg_add(&m->dp, &s, op_owner(&m->flows, op), err,
			  sizeof(err)) != 0) {
		op->step = CP_FLOW_FREE;
		reply_error(j, err, 0);
		return true;
	}
	return false;
}

/* Point leg `peer` at `to` (0: nowhere). 0, or -1 with the reason. */
static int peer_point(struct cp_main *m, struct cp_flow_op *op,
		      uint32_t peer, uint32_t to, char *err, size_t errlen)
{
	const struct cp_leg *p = cp_legs_cget(&m->dp.legs, peer);
	struct sl_leg_spec s;

	if (p == NULL) {
		snprintf(err, errlen, "leg %u is gone", peer);
		return -1;
	}
	s = p->spec;
	s.peer_leg_id = to;
	return cp_dp_leg_mod(&m->dp, &s, op_owner(&m->flows, op), err,
			     errlen);
}

static void add_done(struct cp_main *m, struct cp_flow_op *op,
		     const struct cp_dp_done *d)
{
	char err[FLOW_ERR_MAX + 128], why[FLOW_ERR_MAX];

	if (d->outcome != CP_DP_ACKED || d->result != SL_OK) {
		cp_dp_explain(&m->dp, d, err, sizeof(err));
		op_answer_error(m, op, err, d->outcome == CP_DP_ACKED ?
				d->result : 0);
		return;
	}
	CP_INFO("leg %u added (port %u)", op->leg_id, d->spec.local_port);
	if (op->peer_id == 0) {
		op_answer_ids(m, op, "leg_id", "peer");
		return;
	}
	if (peer_point(m, op, op->peer_id, op->leg_id, why,
		       sizeof(why)) != 0) {
		snprintf(err, sizeof(err), "leg %u added, but leg %u could "
			 "not be pointed back at it: %s", op->leg_id,
			 op->peer_id, why);
		op_answer_error(m, op, err, 0);
		return;
	}
	op->step = CP_FLOW_LINK;
}

static void link_done(struct cp_main *m, struct cp_flow_op *op,
		      const struct cp_dp_done *d)
{
	char err[FLOW_ERR_MAX + 128], why[FLOW_ERR_MAX];

	if (d->outcome != CP_DP_ACKED || d->result != SL_OK) {
		cp_dp_explain(&m->dp, d, why, sizeof(why));
		snprintf(err, sizeof(err), "leg %u added, but leg %u could "
			 "not be pointed back at it: %s", op->leg_id,
			 op->peer_id, why);
		op_answer_error(m, op, err, d->outcome == CP_DP_ACKED ?
				d->result : 0);
		return;
	}
	op_answer_ids(m, op, "leg_id", "peer");
}

/* --- del -------------------------------------------------------------------- */

static bool flows_del(struct cp_main *m, unsigned client, uint64_t cser,
		      const char *arg, struct jout *j)
{
	char err[FLOW_ERR_MAX];
	const struct cp_leg *l;
	struct cp_flow_op *op;
	uint32_t id;

	if (parse_u32(arg, 1, UINT32_MAX, &id) != 0) {
		reply_error(j, "flows del: ID must be a leg id", 0);
		return true;
	}
	op = op_new(&m->flows, CP_FLOW_DEL, client, cser);
	if (op == NULL) {
		reply_error(j, "too many flow requests in progress", 0);
		return true;
	}
	l = cp_legs_cget(&m->dp.legs, id);
	op->leg_id = id;
	op->peer_id = l != NULL ? l->spec.peer_leg_id : 0;
	if (cp_dp_leg_del(&m->dp, id, op_owner(&m->flows, op), err,
			  sizeof(err)) != 0) {
		op->step = CP_FLOW_FREE;
		reply_error(j, err, errno == ENOENT ? SL_E_NOT_FOUND : 0);
		return true;
	}
	return false;
}

/* The deleted leg's peer, if it relayed back into it, now points nowhere
 * (the common case of a two-leg call: only that one is looked at). */
static bool unlink_needed(struct cp_main *m, const struct cp_flow_op *op)
{
	const struct cp_leg *p = cp_legs_cget(&m->dp.legs, op->peer_id);

	return p != NULL && p->spec.peer_leg_id == op->leg_id &&
	       p->state == CP_LEG_PROGRAMMED && !p->busy;
}

static void del_done(struct cp_main *m, struct cp_flow_op *op,
		     const struct cp_dp_done *d)
{
	char err[FLOW_ERR_MAX];

	if (d->outcome != CP_DP_ACKED ||
	    (d->result != SL_OK && d->result != SL_E_NOT_FOUND)) {
		cp_dp_explain(&m->dp, d, err, sizeof(err));
		op_answer_error(m, op, err, d->outcome == CP_DP_ACKED ?
				d->result : 0);
		return;
	}
	CP_INFO("leg %u deleted%s", op->leg_id, d->result == SL_OK ? "" :
		" (the dataplane did not have it)");
	if (!unlink_needed(m, op) ||
	    peer_point(m, op, op->peer_id, 0, err, sizeof(err)) != 0) {
		if (op->peer_id != 0 && unlink_needed(m, op))
			CP_WARNING("leg %u still relays to deleted leg %u: "
				   "%s", op->peer_id, op->leg_id, err);
		op->peer_id = 0;
		op_answer_ids(m, op, "deleted", "unlinked");
		return;
	}
	op->step = CP_FLOW_UNLINK;
}

static void unlink_done(struct cp_main *m, struct cp_flow_op *op,
			const struct cp_dp_done *d)
{
	char why[FLOW_ERR_MAX];

	if (d->outcome != CP_DP_ACKED || d->result != SL_OK) {
		cp_dp_explain(&m->dp, d, why, sizeof(why));
		CP_WARNING("leg %u deleted, but leg %u still relays to it: %s",
			   op->leg_id, op->peer_id, why);
		op->peer_id = 0;
	}
	op_answer_ids(m, op, "deleted", "unlinked");
}

/* --- show ------------------------------------------------------------------- */

static void show_reply(struct cp_main *m, struct jout *j, uint32_t id,
		       const struct sl_evt_leg_info *info, const char *dp_err)
{
	const struct cp_leg *l = cp_legs_cget(&m->dp.legs, id);

	jout_lit(j, "{");
	jout_key(j, "leg");
	if (l != NULL)
		leg_json(j, m->cfg, l);
	else
		jout_lit(j, "null");
	jout_key(j, "dataplane");
	if (info != NULL)
		info_json(j, m->cfg, info);
	else
		jout_lit(j, "null");
	if (dp_err != NULL)
		jout_kv_str(j, "dataplane_error", dp_err);
	jout_lit(j, "}\n");
}

static bool flows_show(struct cp_main *m, unsigned client, uint64_t cser,
		       const char *arg, struct jout *j)
{
	char err[FLOW_ERR_MAX];
	struct cp_flow_op *op;
	uint32_t id;

	if (parse_u32(arg, 1, UINT32_MAX, &id) != 0) {
		reply_error(j, "flows show: ID must be a leg id", 0);
		return true;
	}
	op = op_new(&m->flows, CP_FLOW_SHOW, client, cser);
	if (op == NULL) {
		reply_error(j, "too many flow requests in progress", 0);
		return true;
	}
	op->leg_id = id;
	if (cp_dp_leg_query(&m->dp, id, op_owner(&m->flows, op), err,
			    sizeof(err)) == 0)
		return false;
	op->step = CP_FLOW_FREE;
	/* No dataplane to ask: what sluice-cp knows, and why no more. */
	if (cp_legs_cget(&m->dp.legs, id) == NULL) {
		char msg[FLOW_ERR_MAX + 96];

		snprintf(msg, sizeof(msg), "leg %u: not known to sluice-cp, "
			 "and the dataplane cannot be asked: %s", id, err);
		reply_error(j, msg, SL_E_NOT_FOUND);
	} else {
		show_reply(m, j, id, NULL, err);
	}
	return true;
}

static void show_done(struct cp_main *m, struct cp_flow_op *op,
		      const struct cp_dp_done *d)
{
	char err[FLOW_ERR_MAX];
	bool known = cp_legs_cget(&m->dp.legs, op->leg_id) != NULL;
	struct jout j;

	if (d->outcome != CP_DP_ACKED || d->result != SL_OK ||
	    !d->have_info) {
		cp_dp_explain(&m->dp, d, err, sizeof(err));
		if (!known) {
			op_answer_error(m, op, err, d->outcome == CP_DP_ACKED ?
					d->result : 0);
			return;
		}
	}
	if (cp_status_reply_begin(&m->status, op->client, op->client_serial,
				  &j)) {
		bool ok = d->outcome == CP_DP_ACKED && d->result == SL_OK &&
			  d->have_info;

		show_reply(m, &j, op->leg_id, ok ? &d->info : NULL,
			   ok ? NULL : err);
		cp_status_reply_end(&m->status, op->client, &j);
	}
	op->step = CP_FLOW_FREE;
}

/* --- list, count ------------------------------------------------------------ */

static void flows_list(struct cp_main *m, char *args, struct jout *j)
{
	uint32_t from = 0, max = CP_FLOWS_LIST_DEFAULT, id, n = 0, last = 0;
	char *save = NULL, *kv;

	for (kv = strtok_r(args, " ", &save); kv != NULL;
	     kv = strtok_r(NULL, " ", &save)) {
		if ((strncmp(kv, "from=", 5) == 0 &&
		     parse_u32(kv + 5, 0, UINT32_MAX, &from) == 0) ||
		    (strncmp(kv, "max=", 4) == 0 &&
		     parse_u32(kv + 4, 1, CP_FLOWS_LIST_MAX, &max) == 0))
			continue;
		reply_error(j, "flows list: use [from=ID] [max=1-150]", 0);
		return;
	}
	jout_lit(j, "{\"legs\":[");
	for (id = cp_legs_next(&m->dp.legs, from); id != 0 && n < max;
	     id = cp_legs_next(&m->dp.legs, id), n++) {
		if (n > 0)
			jout_lit(j, ",");
		leg_json(j, m->cfg, cp_legs_cget(&m->dp.legs, id));
		last = id;
	}
	jout_lit(j, "]");
	/* Where the next page starts (from=); 0 when this was the last. */
	jout_kv_i64(j, "next", id != 0 ? last : 0);
	jout_kv_i64(j, "count", m->dp.legs.n);
	jout_lit(j, "}\n");
}

static void flows_count(struct cp_main *m, struct jout *j)
{
	uint64_t dp_legs;

	jout_lit(j, "{");
	jout_kv_i64(j, "legs", m->dp.legs.n);
	jout_kv_i64(j, "programmed", m->dp.legs.programmed);
	jout_kv_i64(j, "capacity", cp_dp_leg_limit(&m->dp));
	jout_kv_str(j, "dataplane", cp_dp_phase_name(m->dp.phase));
	jout_key(j, "dataplane_legs");
	if (cp_dp_counter(&m->dp, "legs", &dp_legs))
		jout_i64(j, (int64_t)dp_legs);
	else
		jout_lit(j, "null");
	jout_lit(j, "}\n");
}

/* --- entry points ----------------------------------------------------------- */

bool cp_flows_request(struct cp_main *m, unsigned client,
		      uint64_t client_serial, char *args, struct jout *j)
{
	char *rest = strchr(args, ' ');

	if (rest != NULL)
		*rest++ = '\0';
	else
		rest = args + strlen(args);
	if (strcmp(args, "list") == 0) {
		flows_list(m, rest, j);
		return true;
	}
	if (strcmp(args, "count") == 0 && *rest == '\0') {
		flows_count(m, j);
		return true;
	}
	if (strcmp(args, "add") == 0)
		return flows_add(m, client, client_serial, rest, j);
	if (strcmp(args, "del") == 0)
		return flows_del(m, client, client_serial, rest, j);
	if (strcmp(args, "show") == 0)
		return flows_show(m, client, client_serial, rest, j);
	reply_error(j, "unknown flows request (list, show, count, add, del)",
		    0);
	return true;
}

void cp_flows_poll(struct cp_main *m)
{
	struct cp_dp_done d;

	while (cp_dp_done_next(&m->dp, &d)) {
		struct cp_flow_op *op = op_of(&m->flows, d.owner);

		if (op == NULL)
			continue;
		switch (op->step) {
		case CP_FLOW_ADD: add_done(m, op, &d); break;
		case CP_FLOW_LINK: link_done(m, op, &d); break;
		case CP_FLOW_DEL: del_done(m, op, &d); break;
		case CP_FLOW_UNLINK: unlink_done(m, op, &d); break;
		case CP_FLOW_SHOW: show_done(m, op, &d); break;
		default: break;
		}
	}
}
