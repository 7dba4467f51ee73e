/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ras_call.c — an incoming call for an H.460.18 endpoint, up to the
 * moment its signalling connection is in our hands (H.460.18 clause 7):
 *
 *   start ──SCI(IncomingCallIndication: our 1720, callID)──► endpoint
 *     │     retransmitted every sci_retry_ms, sci_tries in all
 *     ▼
 *   SCI_SENT ──SCR (same requestSeqNum, from the same address)──► SCR_OK
 *     │                                                             │
 *     │   TCP to 1720, Q.931 Facility with the callID (cp_ras_sig.c)│
 *     └─────────────────────────────┬───────────────────────────────┘
 *                                   ▼
 *                              CONNECTED: the connection is held (part
 *                              two sends the Setup down it)
 *
 *   no SCR after the last SCI, or no Facility within connect_timeout
 *   after the SCR ─► FAILED. Finished calls stay listed for
 *   finished_keep_s, then their slot is reused.
 *
 * The callID is 128 random bits: only the endpoint that got the SCI
 * knows it, which is what lets a TCP connection from anywhere be matched
 * to the call.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "h460.h"
#include "ras_int.h"

static void guid_format(const uint8_t g[16], char *out, size_t cap)
{
	snprintf(out, cap, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", g[0], g[1], g[2], g[3], g[4],
		 g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13],
		 g[14], g[15]);
}

static void set_state(struct ras_call *c, enum ras_call_state st,
		      const struct ras_clock *now)
{
	c->state = (uint8_t)st;
	c->state_ms = now->mono_ms;
}

static void __attribute__((format(printf, 4, 5)))
call_fail(struct ras_service *s, struct ras_call *c,
	  const struct ras_clock *now, const char *fmt, ...)
{
	bool was_connected = c->state == RAS_CALL_CONNECTED;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
	set_state(c, was_connected ? RAS_CALL_CLOSED : RAS_CALL_FAILED, now);
	if (!was_connected)
		s->ctr.calls_failed++;
	ras_log(s, SL_LOG_WARNING, "call %u to %s %s: %s", c->id, c->alias,
		was_connected ? "released" : "failed", c->reason);
	if (was_connected && s->h.call_ended != NULL)
		s->h.call_ended(s->h.ctx, c);
}

/* ---- SCI ----------------------------------------------------------------- */

static int send_sci(struct ras_service *s, struct ras_call *c)
{
	struct h460_18_incoming_call_indication ici;
	struct h225_enumerated_parameter param;
	struct h225_generic_data gd;
	struct h225_sci *q = &s->out.u.sci;
	uint8_t raw[64];
	uint16_t ep[RAS_EPID_MAX];
	struct per_error err;
	size_t n;

	memset(&ici, 0, sizeof(ici));
	ras_ta_signal(s, &ici.call_signalling_address);
	memcpy(ici.call_id.guid, c->guid, 16);
	if (h460_18_build_incoming_call(&gd, &param, &ici, raw, sizeof(raw),
					&err) < 0) {
		ras_log(s, SL_LOG_ERR, "call %u: IncomingCallIndication: %s",
			c->id, err.reason);
		return -1;
	}
	memset(&s->out, 0, sizeof(s->out));
	s->out.tag = H225_RAS_SCI;
	q->request_seq_num = c->sci_seq;
	/* serviceControl is mandatory and says nothing here: empty */
	q->has_endpoint_identifier = true;
	for (n = 0; c->endpoint_id[n] != '\0'; n++)
		ep[n] = (unsigned char)c->endpoint_id[n];
	q->endpoint_identifier = (struct per_bmp){ ep, n };
	q->has_generic_data = true;
	q->generic_data.items = &gd;
	q->generic_data.n = 1;
	c->sci_sent++;
	s->ctr.sci_sent++;
	return ras_send(s, c->sock, c->ras, &s->out);
}

static uint16_t next_seq(struct ras_service *s)
{
	if (++s->seq == 0)	/* RequestSeqNum is 1..65535 */
		s->seq = 1;
	return s->seq;
}

/* A free slot, else the one finished longest ago, else NULL. */
static struct ras_call *call_slot(struct ras_service *s)
{
	struct ras_call *oldest = NULL;

	for (unsigned i = 0; i < RAS_CALLS_MAX; i++) {
		struct ras_call *c = &s->calls[i];

		if (!c->used)
			return c;
		if ((c->state == RAS_CALL_FAILED ||
		     c->state == RAS_CALL_CLOSED) &&
		    (oldest == NULL || c->state_ms < oldest->state_ms))
			oldest = c;
	}
	return oldest;
}

static int why_not(char *why, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int why_not(char *why, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, cap, fmt, ap);
	va_end(ap);
	return -1;
}

static int call_init(struct ras_service *s, struct ras_call *c,
		     const struct ras_reg *reg, const char *alias,
		     const struct ras_clock *now, char *why, size_t cap)
{
	memset(c, 0, sizeof(*c));
	if (s->h.random == NULL || s->h.random(s->h.ctx, c->guid, 16) < 0)
		return why_not(why, cap, "no random callID available");
	c->guid[6] = (uint8_t)((c->guid[6] & 0x0f) | 0x40);	/* RFC 4122 v4 */
	c->guid[8] = (uint8_t)((c->guid[8] & 0x3f) | 0x80);
	c->used = true;
	c->id = ++s->next_call_id;
	c->reg_id = reg->id;
	snprintf(c->alias, sizeof(c->alias), "%s", alias);
	snprintf(c->endpoint_id, sizeof(c->endpoint_id), "%s",
		 reg->endpoint_id);
	c->sock = reg->sock;
	c->ras = reg->ras;
	c->sci_seq = next_seq(s);
	c->created_wall_s = now->wall_s;
	set_state(c, RAS_CALL_SCI_SENT, now);
	c->next_ms = now->mono_ms + s->p.sci_retry_ms;
	return 0;
}

const struct ras_call *ras_call_start(struct ras_service *s,
				      const char *alias,
				      const struct ras_clock *now, char *why,
				      size_t why_cap)
{
	const struct ras_reg *reg = ras_reg_find_alias(s, alias);
	struct ras_call *c;
	char peer[24], id[40];

	if (reg == NULL) {
		why_not(why, why_cap, "'%s' is not registered", alias);
		return NULL;
	}
	if (!reg->h46018) {
		why_not(why, why_cap, "'%s' (%s) registered without H.460.18: "
			"there is no SCI to send, a call would go to its "
			"callSignalAddress directly", alias, reg->endpoint_id);
		return NULL;
	}
	c = call_slot(s);
	if (c == NULL) {
		why_not(why, why_cap, "%d calls are being set up already",
			RAS_CALLS_MAX);
		return NULL;
	}
	if (call_init(s, c, reg, alias, now, why, why_cap) < 0)
		return NULL;
	s->ctr.calls_started++;
	if (send_sci(s, c) < 0) {
		call_fail(s, c, now, "the SCI could not be sent");
		why_not(why, why_cap, "the SCI to %s could not be sent", alias);
		return NULL;
	}
	ras_addr_format(c->ras, peer, sizeof(peer));
	guid_format(c->guid, id, sizeof(id));
	ras_log(s, SL_LOG_NOTICE, "call %u to %s (%s): SCI with "
		"IncomingCallIndication (callID %s) sent to %s", c->id, alias,
		c->endpoint_id, id, peer);
	return c;
}

/* ---- SCR ----------------------------------------------------------------- */

static struct ras_call *call_by_seq(struct ras_service *s, uint16_t seq,
				    struct ras_addr from)
{
	for (unsigned i = 0; i < RAS_CALLS_MAX; i++) {
		struct ras_call *c = &s->calls[i];

		if (c->used && c->sci_seq == seq && ras_addr_eq(c->ras, from))
			return c;
	}
	return NULL;
}

void ras_on_scr(struct ras_service *s, const struct ras_req *r)
{
	const struct h225_scr *a = &r->m->u.scr;
	struct ras_call *c = call_by_seq(s, a->request_seq_num, r->from);

	if (c == NULL || c->state != RAS_CALL_SCI_SENT) {
		/* a duplicate (we retransmitted) or a stranger's guess */
		s->ctr.unexpected++;
		ras_log(s, SL_LOG_DEBUG, "SCR %u from %s matches no SCI "
			"waiting for one", a->request_seq_num, r->peer);
		return;
	}
	s->ctr.scr_received++;
	if (a->has_result && a->result.tag != H225_SCR_STARTED) {
		call_fail(s, c, r->now, "the endpoint answered the SCI with "
			  "result %u (not started)", a->result.tag);
		return;
	}
	set_state(c, RAS_CALL_SCR_OK, r->now);
	c->next_ms = r->now->mono_ms + s->p.connect_timeout_ms;
	ras_log(s, SL_LOG_INFO, "call %u to %s: SCR from %s; waiting for its "
		"connection to port %u", c->id, c->alias, r->peer,
		s->cfg->h323.q931_port);
}

/* ---- the Facility on TCP ------------------------------------------------- */

enum ras_facility_result ras_call_facility(struct ras_service *s,
					   const uint8_t guid[16],
					   uint32_t conn, struct ras_addr peer,
					   const struct ras_clock *now,
					   const struct ras_call **call)
{
	char p[24], id[40];

	*call = NULL;
	for (unsigned i = 0; i < RAS_CALLS_MAX; i++) {
		struct ras_call *c = &s->calls[i];

		if (!c->used || memcmp(c->guid, guid, 16) != 0)
			continue;
		*call = c;
		/* the Facility may overtake a lost SCR: both states do */
		if (c->state != RAS_CALL_SCI_SENT &&
		    c->state != RAS_CALL_SCR_OK)
			return RAS_FACILITY_WRONG_STATE;
		c->conn = conn;
		c->tcp_peer = peer;
		set_state(c, RAS_CALL_CONNECTED, now);
		s->ctr.calls_connected++;
		ras_addr_format(peer, p, sizeof(p));
		guid_format(guid, id, sizeof(id));
		ras_log(s, SL_LOG_NOTICE, "call %u to %s: matched: %s "
			"connected to port %u and sent Facility with callID "
			"%s; connection held", c->id, c->alias, p,
			s->cfg->h323.q931_port, id);
		if (peer.ip != c->ras.ip)
			ras_log(s, SL_LOG_INFO, "call %u: the connection comes "
				"from another address than the endpoint's RAS "
				"(a NAT with several public addresses?)",
				c->id);
		return RAS_FACILITY_MATCHED;
	}
	return RAS_FACILITY_UNKNOWN_CALL;
}

void ras_call_conn_closed(struct ras_service *s, uint32_t id,
			  const char *why, const struct ras_clock *now)
{
	for (unsigned i = 0; i < RAS_CALLS_MAX; i++) {
		struct ras_call *c = &s->calls[i];

		if (!c->used || c->id != id || c->state != RAS_CALL_CONNECTED)
			continue;
		snprintf(c->reason, sizeof(c->reason), "%s", why);
		set_state(c, RAS_CALL_CLOSED, now);
		ras_log(s, SL_LOG_NOTICE, "call %u to %s: connection closed: "
			"%s", c->id, c->alias, why);
		return;
	}
}

/* ---- time ---------------------------------------------------------------- */

static void call_tick(struct ras_service *s, struct ras_call *c,
		      const struct ras_clock *now)
{
	char peer[24];

	switch (c->state) {
	case RAS_CALL_SCI_SENT:
		if (now->mono_ms < c->next_ms)
			return;
		if (c->sci_sent < s->p.sci_tries) {
			s->ctr.sci_retransmitted++;
			c->next_ms = now->mono_ms + s->p.sci_retry_ms;
			send_sci(s, c);
			return;
		}
		ras_addr_format(c->ras, peer, sizeof(peer));
		call_fail(s, c, now, "no SCR from %s after %u SCIs", peer,
			  c->sci_sent);
		return;
	case RAS_CALL_SCR_OK:
		if (now->mono_ms >= c->next_ms)
			call_fail(s, c, now, "no connection to port %u with a "
				  "Facility for its callID within %u ms of "
				  "the SCR", s->cfg->h323.q931_port,
				  s->p.connect_timeout_ms);
		return;
	case RAS_CALL_FAILED:
	case RAS_CALL_CLOSED:
		if (now->mono_ms - c->state_ms >=
		    1000 * (int64_t)s->p.finished_keep_s)
			c->used = false;
		return;
	default:
		return;
	}
}

void ras_calls_tick(struct ras_service *s, const struct ras_clock *now)
{
	for (unsigned i = 0; i < RAS_CALLS_MAX; i++)
		if (s->calls[i].used)
			call_tick(s, &s->calls[i], now);
}

void ras_calls_reg_gone(struct ras_service *s, const struct ras_reg *r,
			const char *why, const struct ras_clock *now)
{
	for (unsigned i = 0; i < RAS_CALLS_MAX; i++) {
		struct ras_call *c = &s->calls[i];

		if (c->used && c->reg_id == r->id &&
		    (c->state == RAS_CALL_SCI_SENT ||
		     c->state == RAS_CALL_SCR_OK))
			call_fail(s, c, now, "%s", why);
	}
}
