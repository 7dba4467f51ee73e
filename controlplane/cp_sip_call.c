/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_sip_call.c — the B2BUA: INVITE routing, the two dialogs of a call,
 * their transactions, SDP anchoring and the dataplane legs. See
 * cp_sip_call.h and docs/sip.md §7.
 *
 *   INVITE (no To tag) ─► auth (public side, sip.call_auth) ─► route:
 *      registered AOR ─► the binding's flow          (PUBLIC, PORT legs)
 *      sip.routes[]   ─► zone (up? else 480)          (ZONE, MUX legs)
 *                     └► target A.B.C.D:PORT over UDP (PUBLIC, PORT legs)
 *      nothing        ─► 404
 *   Require other than timer ─► 420; SDP not usable/no m= ─► 488;
 *   table/pool full ─► 503
 *   ─► 100 to A, INVITE to B (offer rewritten to our B-facing ports)
 *   B: 18x ─► relayed; 2xx ─► ACK B, legs added, 200 to A (answer
 *   rewritten to our A-facing ports), resent until A's ACK (UDP);
 *   300-699 ─► ACK B, same status to A, resources freed.
 *   late offer (INVITE without a body): INVITE to B without one; B's 2xx
 *   offers ─► ends taken, 200 to A with the offer rewritten; A's ACK
 *   answers ─► legs added, ACK to B with the answer rewritten (an ACK
 *   without a usable answer: ACK B refusing every stream, BYE both).
 *   BYE either way ─► 200, BYE the other way, legs deleted.
 *   CANCEL from A ─► 200, 487 to A, CANCEL to B once it answered 1xx.
 *   re-INVITE / UPDATE ─► relayed with our ends in the SDP, the answer
 *   back; a PORT leg whose endpoint moved follows it; 491 on glare.
 *
 * Our ids carry the call's slot: Call-ID (side B) "sl<token>-<slot>-<gen>@ip"
 * and branches "z9hG4bK-sl<token>-<slot>-<gen>-<side>-<n>", so answers and
 * in-dialog requests from B find their call at once; side A's dialogs
 * (the caller's Call-ID and From tag) are found through a hash table.
 *
 * Media (ends, legs, SDP) is cp_sip_call_media.c; the operators' JSON
 * cp_sip_call_json.c.
 */
#include "cp_sip_call.h"
#include "cp_sip_call_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cp_dp.h"
#include "cp_log.h"
#include "cp_main.h"
#include "cp_sip_int.h"
#include "cp_sock.h"
#include "json_out.h"
#include "sip_hdr.h"

#define CALL_MSG_MAX 24576        /* a request or response we build */
#define CALL_TIMER_HDRS 320       /* RFC 4028 header lines passed on */
#define CALL_UA "Sluice/" SLUICE_VERSION " (B2BUA)"


static const char *const end_text[CP_END_COUNT] = {
	[CP_END_NONE] = "-",
#define CP_END_TEXT(id, name, text) [CP_END_##id] = text,
	CP_CALL_ENDS(CP_END_TEXT)
#undef CP_END_TEXT
};

static char msgbuf[CALL_MSG_MAX];

const char *cp_call_state_name(unsigned st)
{
	static const char *const n[] = {
		[CP_CALL_FREE] = "free", [CP_CALL_INVITING] = "inviting",
		[CP_CALL_UP] = "up", [CP_CALL_FAILED] = "failed",
		[CP_CALL_ENDING] = "ending",
	};

	return st <= CP_CALL_ENDING ? n[st] : "?";
}


/* The address media and signaling name: the external interface's (its
 * static NAT address for SDP when it has one). */
static uint32_t sig_ip(const struct cp_sip *s)
{
	return s->cfg->ifaces[0].address;
}


static const char *tr_upper(enum sip_transport t)
{
	return t == SIP_TR_TLS ? "TLS" : t == SIP_TR_TCP ? "TCP" : "UDP";
}

static uint16_t sig_port(const struct cp_sip *s, enum sip_transport t)
{
	return t == SIP_TR_TLS ? s->cfg->sip.tls_port :
	       t == SIP_TR_TCP ? s->cfg->sip.tcp_port : s->cfg->sip.udp_port;
}

static bool copy_str(struct sip_str v, char *dst, size_t cap)
{
	return sip_str_copy(v, dst, cap);
}

/* ---- the table -------------------------------------------------------------- */

static uint32_t hash_dialog(struct sip_str call_id, struct sip_str tag)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < call_id.len; i++)
		h = (h ^ (uint8_t)call_id.p[i]) * 16777619u;
	for (size_t i = 0; i < tag.len; i++)
		h = (h ^ (uint8_t)tag.p[i]) * 16777619u;
	return h;
}

static void hash_insert(struct cp_calls *t, struct cp_call *call)
{
	uint32_t b = hash_dialog(sip_str_c(call->side[SIDE_A].call_id),
				 sip_str_c(call->side[SIDE_A].remote_tag)) &
		     (t->n_buckets - 1);

	call->hnext = t->bucket[b];
	t->bucket[b] = (uint32_t)(call - t->call) + 1;
}

static void hash_remove(struct cp_calls *t, struct cp_call *call)
{
	uint32_t b = hash_dialog(sip_str_c(call->side[SIDE_A].call_id),
				 sip_str_c(call->side[SIDE_A].remote_tag)) &
		     (t->n_buckets - 1);
	uint32_t *p = &t->bucket[b], me = (uint32_t)(call - t->call) + 1;

	while (*p != 0 && *p != me)
		p = &t->call[*p - 1].hnext;
	if (*p == me)
		*p = call->hnext;
	call->hnext = 0;
}

static uint32_t tomb_key(const struct sip_msg *m)
{
	return hash_dialog(m->call_id, m->from_tag) ^ (m->cseq * 2654435761u);
}

/* The BYE in s->msg ended its dialog: remember it for Timer J. */
static void tomb_add(struct cp_sip *s)
{
	struct cp_calls *t = &s->calls;

	t->tomb[t->tomb_next] = (struct cp_call_tomb){
		.key = tomb_key(&s->msg),
		.until_ms = cp_now_ms() + SIP_TXN_TIMEOUT_MS,
	};
	t->tomb_next = (t->tomb_next + 1) % t->cap;
}

static bool tomb_find(const struct cp_sip *s)
{
	const struct cp_calls *t = &s->calls;
	uint32_t key = tomb_key(&s->msg);
	int64_t now = cp_now_ms();

	for (uint32_t i = 0; i < t->cap; i++)
		if (t->tomb[i].key == key && t->tomb[i].until_ms > now)
			return true;
	return false;
}

/* Side A's call for a request from the caller (its Call-ID, From tag). */
static struct cp_call *find_a(struct cp_calls *t, struct sip_str call_id,
			      struct sip_str from_tag)
{
	uint32_t i = t->bucket[hash_dialog(call_id, from_tag) &
			       (t->n_buckets - 1)];

	while (i != 0) {
		struct cp_call *c = &t->call[i - 1];

		if (sip_str_eq(call_id, c->side[SIDE_A].call_id) &&
		    sip_str_eq(from_tag, c->side[SIDE_A].remote_tag))
			return c;
		i = c->hnext;
	}
	return NULL;
}

/* "sl<token>-<slot>-<gen>" at the start of v: the call it names. */
static struct cp_call *find_ours(struct cp_calls *t, struct sip_str v,
				 struct sip_str *rest)
{
	char buf[64];
	unsigned long slot, gen;
	char *p, *end;

	if (v.len < 2 + 8 + 4 || v.len >= sizeof(buf) - 1) {
		if (v.len < 2 + 8 + 4)
			return NULL;
		v.len = sizeof(buf) - 2;
	}
	memcpy(buf, v.p, v.len);
	buf[v.len] = '\0';
	if (memcmp(buf, "sl", 2) != 0 || memcmp(buf + 2, t->token, 8) != 0 ||
	    buf[10] != '-')
		return NULL;
	p = buf + 11;
	slot = strtoul(p, &end, 10);
	if (end == p || *end != '-' || slot >= t->cap)
		return NULL;
	p = end + 1;
	gen = strtoul(p, &end, 10);
	if (end == p || t->call[slot].state == CP_CALL_FREE ||
	    t->call[slot].gen != gen)
		return NULL;
	if (rest != NULL)
		*rest = (struct sip_str){ v.p + (end - buf),
					  v.len - (size_t)(end - buf) };
	return &t->call[slot];
}

static struct cp_call *call_new(struct cp_sip *s)
{
	struct cp_calls *t = &s->calls;

	for (uint32_t k = 0; k < t->cap; k++) {
		uint32_t i = (t->cursor + k) % t->cap;
		struct cp_call *c = &t->call[i];

		if (c->state != CP_CALL_FREE)
			continue;
		memset(c, 0, sizeof(*c));
		c->gen = ++t->gen;
		c->side[SIDE_A].zone = c->side[SIDE_B].zone = -1;
		c->re.from = -1;
		c->upd_side = -1;
		c->created_ms = cp_now_ms();
		c->created_wall = (int64_t)time(NULL);
		t->cursor = (i + 1) % t->cap;
		t->n++;
		if (t->n > t->c.active_max)
			t->c.active_max = t->n;
		return c;
	}
	t->c.table_full++;
	return NULL;
}

/* ---- sending ------------------------------------------------------------------ */

static void side_send(struct cp_sip *s, struct cp_call_side *sd,
		      const char *buf, size_t len)
{
	cp_sip_send(s, &sd->peer, buf, len);
}

/* Keeps what went out this way for retransmission (and, toward A, for a
 * retransmitted INVITE). */
static void side_keep(struct cp_call_side *sd, const char *buf, size_t len)
{
	char *p = realloc(sd->out, len);

	if (p == NULL)
		return;
	memcpy(p, buf, len);
	sd->out = p;
	sd->out_len = len;
}

static void side_retx(struct cp_call_side *sd, bool capped)
{
	sip_retx_start(&sd->retx, cp_now_ms(), sd->peer.tr != SIP_TR_UDP,
		       capped);
}

static void new_branch(struct cp_sip *s, struct cp_call *call, int k,
		       char *out, size_t cap)
{
	snprintf(out, cap, "z9hG4bK-sl%s-%u-%u-%d-%u", s->calls.token,
		 cp_call_slot(s, call), call->gen, k, ++s->calls.branch_seq);
}

/* A request in side k's dialog (or B's INVITE) into msgbuf. */
static size_t build_request(struct cp_sip *s, struct cp_call *call, int k,
			    const char *method, const char *ruri,
			    const char *branch, uint32_t cseq, const char *to,
			    const char *extra, const char *body, size_t blen)
{
	struct cp_call_side *sd = &call->side[k];
	char ip[INET_ADDRSTRLEN];
	uint32_t a = sig_ip(s);
	struct sip_wbuf w;

	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	sip_w_init(&w, msgbuf, sizeof(msgbuf));
	sip_w_printf(&w, "%s %s SIP/2.0\r\n"
		     "Via: SIP/2.0/%s %s:%u;branch=%s;rport\r\n"
		     "Max-Forwards: %d\r\nFrom: %s\r\nTo: %s\r\n"
		     "Call-ID: %s\r\nCSeq: %u %s\r\n%s"
		     "User-Agent: " CALL_UA "\r\n", method, ruri,
		     tr_upper(sd->peer.tr), ip, sig_port(s, sd->peer.tr),
		     branch, call->max_forwards, sd->from, to, sd->call_id, cseq, method,
		     extra ? extra : "");
	sip_w_finish(&w, "application/sdp", body, blen);
	return w.overflow ? 0 : w.len;
}

static void contact_line(const struct cp_sip *s, enum sip_transport t,
			 char *out, size_t cap)
{
	char ip[INET_ADDRSTRLEN];
	uint32_t a = sig_ip(s);

	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	snprintf(out, cap, "Contact: <sip:sluice@%s:%u;transport=%s>\r\n", ip,
		 sig_port(s, t), t == SIP_TR_TLS ? "tls" :
		 t == SIP_TR_TCP ? "tcp" : "udp");
}

/* RFC 4028: the session-timer headers of s->msg that go on to the other
 * side with it (Session-Expires, Min-SE, "timer" in Supported/Require),
 * as header lines in out; returns Session-Expires' delta in seconds, 0
 * when there is none. Nothing else of a UA's extensions is passed on:
 * what Sluice does not do (100rel, ...) must not be promised for it. */
static uint32_t timer_headers(const struct sip_msg *m, char *out, size_t cap)
{
	static const enum sip_hdr copy[] = { SIP_H_SESSION_EXPIRES,
					     SIP_H_MIN_SE };
	static const enum sip_hdr flag[] = { SIP_H_SUPPORTED, SIP_H_REQUIRE };
	uint32_t delta = 0;
	size_t len = 0;

	out[0] = '\0';
	for (unsigned i = 0; i < 2; i++) {
		const struct sip_header *h = sip_msg_hdr(m, copy[i]);

		if (h == NULL || h->value.len > 100)
			continue;
		len += (size_t)snprintf(out + len, cap - len, "%s: %.*s\r\n",
					sip_hdr_name(copy[i]),
					(int)h->value.len, h->value.p);
		if (i == 0) {
			struct sip_str v = h->value;
			size_t n = 0;

			while (n < v.len && v.p[n] >= '0' && v.p[n] <= '9')
				n++;
			if (!sip_str_to_u32((struct sip_str){ v.p, n }, 86400,
					    &delta))
				delta = 0;
		}
	}
	for (unsigned i = 0; i < 2; i++) {
		for (const struct sip_header *h = sip_msg_hdr(m, flag[i]);
		     h != NULL; h = sip_msg_next_hdr(m, h)) {
			struct sip_str item;
			size_t pos = 0;
			bool found = false;

			while (!found && sip_list_next(h->value, &pos, &item))
				found = sip_str_ieq(item, "timer");
			if (found) {
				len += (size_t)snprintf(out + len, cap - len,
							"%s: timer\r\n",
							sip_hdr_name(flag[i]));
				break;
			}
		}
	}
	return len < cap ? delta : 0;
}

/* A 2xx that set up or refreshed the session named Session-Expires (or
 * not: then no session timer runs, RFC 4028 §7.2); the call ends when
 * that interval passes without another refresh. */
static void session_timer(struct cp_sip *s, struct cp_call *call, uint32_t se)
{
	if (se != 0 && call->se_end_ms == 0)
		s->calls.c.session_timers++;
	call->se_end_ms = se != 0 ? cp_now_ms() + (int64_t)se * 1000 : 0;
}

/* A response to an INVITE from side k (its response lines after the
 * status line in head); kept for a retransmitted INVITE, and a final one
 * resent until the ACK over UDP. */
static size_t response_build(struct cp_sip *s, struct cp_call *call, int k,
			     const char *head, size_t hlen, unsigned code,
			     const char *extra, const char *body, size_t blen)
{
	struct cp_call_side *sd = &call->side[k];
	char contact[160] = "";
	struct sip_wbuf w;

	if (code > 100 && code < 300)
		contact_line(s, sd->peer.tr, contact, sizeof(contact));
	sip_w_init(&w, msgbuf, sizeof(msgbuf));
	sip_w_printf(&w, "SIP/2.0 %u %s\r\n", code, sip_reason_phrase(code));
	sip_w_str(&w, (struct sip_str){ head, hlen });
	sip_w_printf(&w, "%s%s%sServer: " CALL_UA "\r\n", contact,
		     code == 503 ? "Retry-After: 5\r\n" : "",
		     extra != NULL ? extra : "");
	sip_w_finish(&w, "application/sdp", body, blen);
	return w.overflow ? 0 : w.len;
}

static void answer_side(struct cp_sip *s, struct cp_call *call, int k,
			const char *head, size_t hlen, unsigned code,
			const char *extra, const char *body, size_t blen)
{
	struct cp_call_side *sd = &call->side[k];
	size_t n = response_build(s, call, k, head, hlen, code, extra, body,
				  blen);

	if (n == 0)
		return;
	side_send(s, sd, msgbuf, n);
	side_keep(sd, msgbuf, n);
	if (code >= 200)
		side_retx(sd, true);
}

/* A response to A's INVITE. */
static void answer_a(struct cp_sip *s, struct cp_call *call, unsigned code,
		     const char *body, size_t blen)
{
	answer_side(s, call, SIDE_A, call->a_head, call->a_head_len, code,
		    NULL, body, blen);
	if (code >= 200)
		s->calls.c.by_status[code / 100 < 7 ? code / 100 : 6]++;
}

/* The ACK of our INVITE (CSeq cseq) on side k: for a 2xx a request of its
 * own (§13.2.2.4), for a 300-699 part of the transaction (its branch and
 * Request-URI, the response's To, §17.1.1.3). */
static void send_ack_with(struct cp_sip *s, struct cp_call *call, int k,
			  bool for_2xx, uint32_t cseq, const char *ruri,
			  const char *inv_branch, const char *body, size_t blen)
{
	struct cp_call_side *sd = &call->side[k];
	char branch[64], to[CP_CALL_HDR_MAX];
	size_t n;

	if (for_2xx) {
		new_branch(s, call, k, branch, sizeof(branch));
		n = build_request(s, call, k, "ACK", sd->target, branch, cseq,
				  sd->to, NULL, body, blen);
	} else {
		copy_str(s->msg.to, to, sizeof(to));
		n = build_request(s, call, k, "ACK", ruri, inv_branch, cseq, to,
				  NULL, NULL, 0);
	}
	if (n > 0)
		side_send(s, sd, msgbuf, n);
}

static void send_ack(struct cp_sip *s, struct cp_call *call, int k,
		     bool for_2xx, uint32_t cseq, const char *ruri,
		     const char *inv_branch)
{
	send_ack_with(s, call, k, for_2xx, cseq, ruri, inv_branch, NULL, 0);
}

/* The ACK of B's answer to our INVITE; to a late offer's 2xx it carries
 * the answer (none yet while A's ACK is awaited: B's retransmitted 2xx
 * waits too). */
static void send_ack_b(struct cp_sip *s, struct cp_call *call, bool for_2xx)
{
	if (for_2xx && call->ack_b_due)
		return;
	send_ack_with(s, call, SIDE_B, for_2xx, 1, call->b_ruri,
		      call->b_branch, for_2xx ? call->b_ack : NULL,
		      for_2xx ? call->b_ack_len : 0);
}

/* A copy of buf in *dst (freeing what was there); false without memory. */
static bool keep_copy(char **dst, size_t *dlen, const char *buf, size_t len)
{
	char *p = len > 0 ? malloc(len) : NULL;

	if (len > 0 && p == NULL)
		return false;
	if (len > 0)
		memcpy(p, buf, len);
	free(*dst);
	*dst = p;
	*dlen = len;
	return true;
}

/* The ACK owed to B's late offer when no usable answer comes from A: it
 * refuses every stream (RFC 3261 §13.2.2.4), and a BYE follows. */
static void late_offer_refuse(struct cp_sip *s, struct cp_call *call,
			      struct sip_str offer)
{
	long n = cp_call_refusal(s, offer);

	call->ack_b_due = false;
	keep_copy(&call->b_ack, &call->b_ack_len, cp_call_sdpbuf,
		  n > 0 ? (size_t)n : 0);
	send_ack_b(s, call, true);
}

static void send_cancel_b(struct cp_sip *s, struct cp_call *call)
{
	struct cp_call_side *b = &call->side[SIDE_B];
	size_t n = build_request(s, call, SIDE_B, "CANCEL", call->b_ruri,
				 call->b_branch, 1, b->to, NULL, NULL, 0);

	if (n > 0)
		side_send(s, b, msgbuf, n);
}

static void send_bye(struct cp_sip *s, struct cp_call *call, int k)
{
	struct cp_call_side *sd = &call->side[k];
	char branch[64];
	size_t n;

	new_branch(s, call, k, branch, sizeof(branch));
	n = build_request(s, call, k, "BYE", sd->target, branch, ++sd->cseq,
			  sd->to, NULL, NULL, 0);
	if (n == 0)
		return;
	side_send(s, sd, msgbuf, n);
	side_keep(sd, msgbuf, n);
	side_retx(sd, true);
	sd->bye_pending = true;
}

/* ---- ending ------------------------------------------------------------------- */

static void call_free(struct cp_sip *s, struct cp_call *call)
{
	cp_call_release_media(s, call);
	hash_remove(&s->calls, call);
	for (int k = 0; k < 2; k++)
		free(call->side[k].out);
	free(call->a_head);
	free(call->re.head);
	free(call->lo_offer);
	free(call->b_ack);
	free(call->upd_last);
	memset(call, 0, sizeof(*call));
	s->calls.n--;
}

static void log_end(struct cp_sip *s, struct cp_call *call, enum cp_call_end e)
{
	call->end = (uint8_t)e;
	s->calls.c.ended[e]++;
	CP_INFO("SIP call %s -> %s ended: %s (%" PRId64 " ms)", call->caller,
		call->callee, end_text[e], cp_now_ms() - call->created_ms);
}

/* An established call ends: BYE to each side still reachable (not `from`,
 * who sent the BYE or is gone), legs deleted at once. */
static void call_hangup(struct cp_sip *s, struct cp_call *call, int skip,
			enum cp_call_end e)
{
	log_end(s, call, e);
	cp_call_release_media(s, call);
	if (call->ack_b_due && skip != SIDE_B)
		late_offer_refuse(s, call, (struct sip_str){ call->lo_offer,
					    call->lo_offer_len });
	call->ack_b_due = false;
	call->state = CP_CALL_ENDING;
	for (int k = 0; k < 2; k++) {
		call->side[k].bye_pending = false;
		sip_retx_stop(&call->side[k].retx);
		if (k != skip)
			send_bye(s, call, k);
	}
	if (!call->side[SIDE_A].bye_pending && !call->side[SIDE_B].bye_pending)
		call_free(s, call);
}

/* A call B did not accept ends with `code` to A (if A can be reached). */
static void call_fail(struct cp_sip *s, struct cp_call *call, unsigned code,
		      const char *extra, bool reach_a, enum cp_call_end e)
{
	log_end(s, call, e);
	cp_call_release_media(s, call);
	s->calls.c.setup_failed++;
	if (!reach_a) {
		call_free(s, call);
		return;
	}
	answer_side(s, call, SIDE_A, call->a_head, call->a_head_len, code,
		    extra, NULL, 0);
	s->calls.c.by_status[code / 100 < 7 ? code / 100 : 6]++;
	call->state = CP_CALL_FAILED;
	if (call->side[SIDE_A].peer.tr != SIP_TR_UDP)
		call_free(s, call);   /* nothing to resend, no ACK to absorb */
}

/* ---- INVITE ------------------------------------------------------------------- */

/* Where the callee is: side B's peer, kind, Request-URI; or the status. */
static unsigned route(struct cp_sip *s, struct cp_call *call, int from_zone,
		      struct sip_str user)
{
	struct cp_call_side *b = &call->side[SIDE_B];
	const struct sl_config *cfg = s->cfg;
	const struct sip_binding *bd;
	char u[SL_CFG_USER_MAX + 1], ip[INET_ADDRSTRLEN];

	if (!copy_str(user, u, sizeof(u)) || u[0] == '\0')
		return 404;
	bd = sip_registrar_find(&s->reg, u);
	if (bd != NULL) {
		b->kind = CP_SIDE_PUBLIC;
		b->peer = bd->peer;
		snprintf(call->b_ruri, sizeof(call->b_ruri), "%s", bd->contact);
		return 0;
	}
	for (unsigned i = 0; i < cfg->sip.n_routes; i++) {
		const struct sl_sip_route *rt = &cfg->sip.routes[i];

		if (strncmp(u, rt->user, strlen(rt->user)) != 0)
			continue;
		if (rt->zone[0] == '\0') {
			b->kind = CP_SIDE_PUBLIC;
			b->peer = (struct sip_peer){ .ip = rt->target_ip,
				.port = rt->target_port, .tr = SIP_TR_UDP };
			snprintf(call->b_ruri, sizeof(call->b_ruri),
				 "sip:%s@%s", u, rt->target);
			return 0;
		}
		for (unsigned z = 0; z < s->n_zones; z++) {
			if (strcmp(s->zones[z].z->name, rt->zone) != 0)
				continue;
			if ((int)z == from_zone)
				return 482;   /* back where it came from */
			if (!cp_sip_zone_peer(s, z, &b->peer)) {
				s->calls.c.zone_down++;
				return 480;
			}
			b->kind = CP_SIDE_ZONE;
			b->zone = (int)z;
			inet_ntop(AF_INET, &b->peer.ip, ip, sizeof(ip));
			snprintf(call->b_ruri, sizeof(call->b_ruri),
				 "sip:%s@%s", u, ip);
			return 0;
		}
		return 480;
	}
	s->calls.c.no_route++;
	return 404;
}

/* Side A's dialog from the INVITE; false if a header does not fit. */
static bool side_a_setup(struct cp_sip *s, struct cp_call *call,
			 const struct sip_peer *src)
{
	const struct sip_msg *m = &s->msg;
	struct cp_call_side *a = &call->side[SIDE_A];
	const struct sip_header *ct = sip_msg_hdr(m, SIP_H_CONTACT);
	struct sip_nameaddr na;
	struct sip_wbuf w;
	char tag[40], *eol;

	a->peer = *src;
	snprintf(tag, sizeof(tag), "sl%s-%u", s->calls.token, call->gen);
	if (!copy_str(m->call_id, a->call_id, sizeof(a->call_id)) ||
	    !copy_str(m->from_tag, a->remote_tag, sizeof(a->remote_tag)) ||
	    !copy_str(m->from, a->to, sizeof(a->to)) ||
	    m->n_via == 0 ||
	    !copy_str(m->via[0].branch, call->a_branch, sizeof(call->a_branch)))
		return false;
	if ((size_t)snprintf(a->from, sizeof(a->from), "%.*s;tag=%s",
			     (int)m->to.len, m->to.p, tag) >= sizeof(a->from))
		return false;
	if (ct == NULL || !sip_nameaddr_parse(ct->value, &na) || na.star ||
	    !copy_str(na.uri, a->target, sizeof(a->target)))
		return false;
	call->a_cseq = m->cseq;
	/* §16.6 step 3: a loop through misrouted zones ends in 483 */
	call->max_forwards = m->max_forwards < 0 ? 70 : m->max_forwards - 1;
	/* the lines every response to this INVITE repeats */
	sip_w_init(&w, msgbuf, sizeof(msgbuf));
	sip_w_response_head(&w, m, 180, NULL, tag, src->ip, src->port);
	eol = memchr(msgbuf, '\n', w.len);
	if (w.overflow || eol == NULL)
		return false;
	call->a_head_len = w.len - (size_t)(eol + 1 - msgbuf);
	call->a_head = malloc(call->a_head_len);
	if (call->a_head == NULL)
		return false;
	memcpy(call->a_head, eol + 1, call->a_head_len);
	return true;
}

static bool side_b_setup(struct cp_sip *s, struct cp_call *call)
{
	const struct sip_msg *m = &s->msg;
	struct cp_call_side *b = &call->side[SIDE_B];
	char ip[INET_ADDRSTRLEN];
	uint32_t a = sig_ip(s);
	struct sip_nameaddr na;
	struct sip_uri fu;

	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	snprintf(b->call_id, sizeof(b->call_id), "sl%s-%u-%u@%s",
		 s->calls.token, cp_call_slot(s, call), call->gen, ip);
	if (!sip_nameaddr_parse(m->from, &na) || !sip_uri_parse(na.uri, &fu))
		return false;
	copy_str(fu.user, call->caller, sizeof(call->caller));
	snprintf(b->from, sizeof(b->from), "<sip:%s@%s>;tag=sl%s-%u",
		 call->caller[0] ? call->caller : "anonymous", ip,
		 s->calls.token, call->gen);
	snprintf(b->to, sizeof(b->to), "<%s>", call->b_ruri);
	snprintf(b->target, sizeof(b->target), "%s", call->b_ruri);
	b->cseq = 1;
	return true;
}

/* Digest on the public side (sip.call_auth): true when it may go on. */
static bool invite_authenticated(struct cp_sip *s, const struct sip_peer *src)
{
	struct sip_digest_creds d;
	enum sip_reg_outcome o;
	struct sip_wbuf w;

	o = sip_auth_check(&s->reg, &s->msg, src, (int64_t)time(NULL), &d);
	if (o == SIP_REG_REGISTERED)
		return true;
	if (o == SIP_REG_CHALLENGED || o == SIP_REG_STALE ||
	    o == SIP_REG_BAD_NONCE) {
		sip_w_init(&w, s->out, sizeof(s->out));
		sip_w_response_head(&w, &s->msg, 401, NULL, "sl-auth", src->ip,
				    src->port);
		sip_auth_put_challenge(&s->reg, &w, src, (int64_t)time(NULL),
				       o == SIP_REG_STALE);
		sip_w_finish(&w, NULL, NULL, 0);
		if (!w.overflow)
			cp_sip_send(s, src, w.p, w.len);
		return false;
	}
	CP_NOTICE("SIP: INVITE refused: %s", sip_reg_outcome_text(o));
	cp_sip_answer(s, src, 403, NULL);
	return false;
}

static void refuse(struct cp_sip *s, const struct sip_peer *src,
		   unsigned code)
{
	s->calls.c.by_status[code / 100 < 7 ? code / 100 : 6]++;
	cp_sip_answer(s, src, code, code == 503 ? "Retry-After: 5\r\n" :
		      code == 488 ? "Warning: 399 sluice \"no usable media "
		      "stream in the offer\"\r\n" : NULL);
}

static bool is_sdp(const struct sip_msg *m)
{
	const struct sip_header *h = sip_msg_hdr(m, SIP_H_CONTENT_TYPE);

	return h != NULL && h->value.len >= 15 &&
	       strncasecmp(h->value.p, "application/sdp", 15) == 0;
}

/* RFC 3261 §8.2.2.3: an INVITE that requires an extension Sluice does not
 * do (100rel, RFC 3262, above all: reliable provisionals, where a late
 * offer could be answered in a PRACK) gets 420 naming them; "timer" (RFC
 * 4028) is passed on. True when it was refused. */
static bool require_unsupported(struct cp_sip *s, const struct sip_peer *src)
{
	const struct sip_msg *m = &s->msg;
	char extra[160];
	size_t len = 0;

	for (const struct sip_header *h = sip_msg_hdr(m, SIP_H_REQUIRE);
	     h != NULL; h = sip_msg_next_hdr(m, h)) {
		struct sip_str item;
		size_t pos = 0;

		while (sip_list_next(h->value, &pos, &item)) {
			if (sip_str_ieq(item, "timer") || item.len == 0 ||
			    item.len > 40)
				continue;
			len += (size_t)snprintf(extra + len, sizeof(extra) - len,
						"%s%.*s", len == 0 ?
						"Unsupported: " : ", ",
						(int)item.len, item.p);
			if (len >= sizeof(extra) - 48)
				break;
		}
	}
	if (len == 0)
		return false;
	snprintf(extra + len, sizeof(extra) - len, "\r\n");
	s->calls.c.by_status[4]++;
	cp_sip_answer(s, src, 420, extra);
	return true;
}

static void new_invite(struct cp_sip *s, const struct sip_peer *src, int zone)
{
	const struct sip_msg *m = &s->msg;
	static struct sdp offer;
	struct sip_uri ru;
	struct cp_call *call;
	unsigned status;
	char extra[160 + CALL_TIMER_HDRS];
	long blen = 0;
	bool late;
	size_t n;

	s->calls.c.invites++;
	if (zone < 0 && s->cfg->sip.call_auth && !invite_authenticated(s, src))
		return;
	if (!sip_uri_parse(m->ruri, &ru)) {
		refuse(s, src, 416);
		return;
	}
	if (require_unsupported(s, src))
		return;
	/* no body: a late offer (the callee's 2xx offers, A's ACK answers) */
	late = m->body.len == 0;
	if (!late && (!is_sdp(m) || sdp_parse(&offer, m->body) != 0 ||
		      offer.n_media == 0)) {
		s->calls.c.no_media++;
		refuse(s, src, 488);
		return;
	}
	if (!cp_dp_ready(s->dp) || s->calls.stopping) {
		refuse(s, src, 503);
		return;
	}
	call = call_new(s);
	if (call == NULL) {
		refuse(s, src, 503);
		return;
	}
	call->side[SIDE_A].kind = zone >= 0 ? CP_SIDE_ZONE : CP_SIDE_PUBLIC;
	call->side[SIDE_A].zone = zone;
	copy_str(ru.user, call->callee, sizeof(call->callee));
	status = route(s, call, zone, ru.user);
	if (status == 0 && (!side_a_setup(s, call, src) ||
			    !side_b_setup(s, call)))
		status = 400;
	if (status == 0 && !late)
		blen = cp_call_offer_anchor(s, call, SIDE_A, &offer, m->body,
					    &status);
	if (status != 0) {
		if (status == 488)
			s->calls.c.no_media++;
		cp_call_release_media(s, call);
		free(call->a_head);
		memset(call, 0, sizeof(*call));
		s->calls.n--;
		refuse(s, src, status);
		return;
	}
	hash_insert(&s->calls, call);
	call->late_offer = late;
	if (late)
		s->calls.c.late_offers++;
	answer_a(s, call, 100, NULL, 0);
	new_branch(s, call, SIDE_B, call->b_branch, sizeof(call->b_branch));
	contact_line(s, call->side[SIDE_B].peer.tr, extra, sizeof(extra));
	timer_headers(m, extra + strlen(extra), sizeof(extra) - strlen(extra));
	n = build_request(s, call, SIDE_B, "INVITE", call->b_ruri,
			  call->b_branch, 1, call->side[SIDE_B].to, extra,
			  late ? NULL : cp_call_sdpbuf, (size_t)blen);
	if (n == 0) {
		call_fail(s, call, 500, NULL, true, CP_END_MEDIA);
		return;
	}
	call->state = CP_CALL_INVITING;
	side_send(s, &call->side[SIDE_B], msgbuf, n);
	side_keep(&call->side[SIDE_B], msgbuf, n);
	sip_ict_start(&call->ict, cp_now_ms(),
		      call->side[SIDE_B].peer.tr != SIP_TR_UDP);
	CP_INFO("SIP call %s -> %s: INVITE to %s (%s)%s", call->caller,
		call->callee, call->b_ruri,
		call->side[SIDE_B].kind == CP_SIDE_ZONE ?
		s->zones[call->side[SIDE_B].zone].z->name : "public",
		late ? ", no offer (late offer)" : "");
}

/* A's ACK to a late offer's 200: its answer, rewritten, goes to B in the
 * ACK B has waited for (legs added now). Without a usable one the call
 * ends: B's ACK refuses every stream, BYE both ways. */
static void late_offer_answer(struct cp_sip *s, struct cp_call *call)
{
	const struct sip_msg *m = &s->msg;
	static struct sdp ans;
	long blen = -1;

	if (m->body.len > 0 && is_sdp(m) && sdp_parse(&ans, m->body) == 0)
		blen = cp_call_answer_anchor(s, call, SIDE_A, &ans, m->body);
	if (blen < 0) {
		CP_NOTICE("SIP call %s -> %s: the caller's ACK has no usable "
			  "answer to the late offer", call->caller,
			  call->callee);
		call_hangup(s, call, -1, blen == -2 ? CP_END_MEDIA :
						      CP_END_NO_SDP_ANSWER);
		return;
	}
	if (!keep_copy(&call->b_ack, &call->b_ack_len, cp_call_sdpbuf,
		       (size_t)blen)) {
		call_hangup(s, call, -1, CP_END_MEDIA);
		return;
	}
	call->ack_b_due = false;
	free(call->lo_offer);
	call->lo_offer = NULL;
	call->lo_offer_len = 0;
	send_ack_b(s, call, true);
}

/* ---- re-INVITE and UPDATE ------------------------------------------------------ */

static void reinvite_clear(struct cp_call *call)
{
	free(call->re.head);
	memset(&call->re, 0, sizeof(call->re));
	call->re.from = -1;
}

/* Our final answer to the UPDATE under way (no ACK comes: it is not
 * resent, only kept for the UPDATE's retransmission), then the slot is
 * free for the next re-offer. */
static void update_answer(struct cp_sip *s, struct cp_call *call,
			  unsigned code, const char *extra, const char *body,
			  size_t blen)
{
	int k = call->re.from;
	size_t n = response_build(s, call, k, call->re.head, call->re.head_len,
				  code, extra, body, blen);

	if (n > 0) {
		side_send(s, &call->side[k], msgbuf, n);
		if (keep_copy(&call->upd_last, &call->upd_last_len, msgbuf, n)) {
			call->upd_side = k;
			call->upd_cseq = call->re.cseq;
		}
	}
	reinvite_clear(call);
}

/* A final answer to the re-offer under way from side re.from: a 2xx to a
 * re-INVITE is resent until its ACK; an UPDATE's is not. */
static void reoffer_answer(struct cp_sip *s, struct cp_call *call,
			   unsigned code, const char *extra, const char *body,
			   size_t blen)
{
	if (call->re.update) {
		update_answer(s, call, code, extra, body, blen);
		return;
	}
	call->re.relayed = true;
	answer_side(s, call, call->re.from, call->re.head, call->re.head_len,
		    code, extra, body, blen);
}

/* A re-INVITE (hold, resume, a new codec on the same streams, media moved
 * to a new address) or an UPDATE (RFC 3311: the same, or a session
 * refresh without a body) from side k: relayed to the other side with
 * our ends in its SDP, its answer relayed back. One at a time: another
 * while one is under way, or while a final answer awaits its ACK, gets
 * 491 (§14.1, RFC 3311 §5.2). */
static void reinvite_request(struct cp_sip *s, const struct sip_peer *src,
			     struct cp_call *call, int k)
{
	const struct sip_msg *m = &s->msg;
	struct cp_call_side *other = &call->side[!k];
	bool update = m->method == SIP_M_UPDATE;
	const char *method = update ? "UPDATE" : "INVITE";
	static struct sdp d;
	char extra[160 + CALL_TIMER_HDRS], *eol;
	struct sip_wbuf w;
	long blen = 0;
	size_t n;

	if (call->re.from == k && m->cseq == call->re.cseq) {
		s->calls.c.retransmits++;   /* its last answer again */
		if (!update && call->side[k].out != NULL)
			side_send(s, &call->side[k], call->side[k].out,
				  call->side[k].out_len);
		return;
	}
	if (update && call->upd_side == k && m->cseq == call->upd_cseq &&
	    call->upd_last != NULL) {
		s->calls.c.retransmits++;   /* answered: the same again */
		side_send(s, &call->side[k], call->upd_last, call->upd_last_len);
		return;
	}
	if (call->state != CP_CALL_UP || call->re.from >= 0 ||
	    call->ack_b_due || sip_retx_active(&call->side[k].retx) ||
	    sip_retx_active(&other->retx)) {
		s->calls.c.reinvites_refused++;
		cp_sip_answer(s, src, 491, NULL);
		return;
	}
	cp_call_remotes_save(call, call->re.was);
	call->re.offer = m->body.len > 0;
	if ((!update || call->re.offer) &&
	    (m->body.len == 0 || !is_sdp(m) || sdp_parse(&d, m->body) != 0 ||
	     (blen = cp_call_sdp_for_other(s, call, k, &d, m->body)) == 0)) {
		/* §14.2: refused, the session stays as it was */
		cp_call_remotes_restore(call, call->re.was);
		s->calls.c.reinvites_refused++;
		cp_sip_answer(s, src, 488, update ?
			      "Warning: 399 sluice \"an UPDATE must offer the "
			      "call's streams again\"\r\n" :
			      "Warning: 399 sluice \"a re-INVITE must offer the "
			      "call's streams again\"\r\n");
		return;
	}
	sip_w_init(&w, msgbuf, sizeof(msgbuf));
	sip_w_response_head(&w, m, 200, NULL, NULL, src->ip, src->port);
	eol = memchr(msgbuf, '\n', w.len);
	if (w.overflow || eol == NULL ||
	    (call->re.head = malloc(w.len)) == NULL) {
		cp_call_remotes_restore(call, call->re.was);
		cp_sip_answer(s, src, 500, NULL);
		return;
	}
	call->re.head_len = w.len - (size_t)(eol + 1 - msgbuf);
	memcpy(call->re.head, eol + 1, call->re.head_len);
	call->re.from = k;
	call->re.cseq = m->cseq;
	call->re.update = update;
	if (!update)
		answer_side(s, call, k, call->re.head, call->re.head_len, 100,
			    NULL, NULL, 0);
	new_branch(s, call, !k, call->re.branch, sizeof(call->re.branch));
	call->re.out_cseq = ++other->cseq;
	contact_line(s, other->peer.tr, extra, sizeof(extra));
	timer_headers(m, extra + strlen(extra), sizeof(extra) - strlen(extra));
	n = build_request(s, call, !k, method, other->target, call->re.branch,
			  call->re.out_cseq, other->to, extra,
			  call->re.offer ? cp_call_sdpbuf : NULL, (size_t)blen);
	if (n == 0) {
		cp_call_remotes_restore(call, call->re.was);
		reoffer_answer(s, call, 500, NULL, NULL, 0);
		return;
	}
	side_send(s, other, msgbuf, n);
	side_keep(other, msgbuf, n);
	if (update) {   /* a non-INVITE transaction: Timers E and F */
		side_retx(other, true);
		s->calls.c.updates++;
	} else {
		sip_ict_start(&call->re.ict, cp_now_ms(),
			      other->peer.tr != SIP_TR_UDP);
		s->calls.c.reinvites++;
	}
}

/* A 2xx to the re-offer: its answer (if it made an offer) for the sender,
 * the session refreshed, legs following a moved endpoint. False when the
 * answer is unusable (the call then ends). */
static bool reoffer_accepted(struct cp_sip *s, struct cp_call *call,
			     unsigned code, const char *thdr, uint32_t se)
{
	const struct sip_msg *m = &s->msg;
	int from = call->re.from, to = !from;
	static struct sdp d;
	long blen = 0;

	if (call->re.offer &&
	    (m->body.len == 0 || sdp_parse(&d, m->body) != 0 ||
	     (blen = cp_call_sdp_for_other(s, call, to, &d, m->body)) == 0)) {
		/* the two sides would disagree on the session */
		reoffer_answer(s, call, 500, NULL, NULL, 0);
		call_hangup(s, call, -1, CP_END_BAD_ANSWER);
		return false;
	}
	session_timer(s, call, se);   /* a refresh, or its end */
	if (call->re.offer)
		cp_call_media_follow(s, call, call->re.was);
	reoffer_answer(s, call, code, thdr, call->re.offer ? cp_call_sdpbuf :
		       NULL, (size_t)blen);
	return true;
}

/* The other side's answer to a relayed re-INVITE. */
static void reinvite_response(struct cp_sip *s, struct cp_call *call)
{
	const struct sip_msg *m = &s->msg;
	int from = call->re.from, to = !from;
	unsigned code = m->status;
	char thdr[CALL_TIMER_HDRS];
	uint32_t se = timer_headers(m, thdr, sizeof(thdr));

	if (call->state != CP_CALL_UP) {   /* hung up meanwhile: ACK only */
		if (code >= 200)
			send_ack(s, call, to, code < 300, call->re.out_cseq,
				 call->side[to].target, call->re.branch);
		return;
	}
	switch (sip_ict_response(&call->re.ict, code, cp_now_ms())) {
	case SIP_ICT_ACCEPT:
		send_ack(s, call, to, true, call->re.out_cseq, NULL, NULL);
		reoffer_accepted(s, call, code, thdr, se);
		return;
	case SIP_ICT_REACK:
		send_ack(s, call, to, true, call->re.out_cseq, NULL, NULL);
		return;
	case SIP_ICT_REJECT:
		send_ack(s, call, to, false, call->re.out_cseq,
			 call->side[to].target, call->re.branch);
		cp_call_remotes_restore(call, call->re.was);
		reoffer_answer(s, call, code == 401 || code == 407 ? 403 : code,
			       thdr, NULL, 0);
		return;
	case SIP_ICT_REACK_REJECT:
		send_ack(s, call, to, false, call->re.out_cseq,
			 call->side[to].target, call->re.branch);
		return;
	default:
		return;
	}
}

/* The other side's answer to a relayed UPDATE (a provisional changes
 * nothing: Timer E goes on). */
static void update_response(struct cp_sip *s, struct cp_call *call)
{
	const struct sip_msg *m = &s->msg;
	unsigned code = m->status;
	char thdr[CALL_TIMER_HDRS];
	uint32_t se = timer_headers(m, thdr, sizeof(thdr));

	if (code < 200)
		return;
	sip_retx_stop(&call->side[!call->re.from].retx);
	if (call->state != CP_CALL_UP)
		return;
	if (code < 300) {
		reoffer_accepted(s, call, code, thdr, se);
		return;
	}
	cp_call_remotes_restore(call, call->re.was);
	update_answer(s, call, code == 401 || code == 407 ? 403 : code, thdr,
		      NULL, 0);
}

/* The tick: our re-INVITE's retransmissions, its timeout (408 back). */
static void reinvite_tick(struct cp_sip *s, struct cp_call *call, int64_t now)
{
	struct cp_call_side *other;

	if (call->re.from < 0 || call->re.relayed || call->re.update)
		return;   /* an UPDATE is resent by side_tick */
	other = &call->side[!call->re.from];
	switch (sip_ict_tick(&call->re.ict, now)) {
	case SIP_RETX_SEND:
		s->calls.c.retransmits++;
		side_send(s, other, other->out, other->out_len);
		return;
	case SIP_RETX_TIMEOUT:
		s->calls.c.timeouts++;
		cp_call_remotes_restore(call, call->re.was);
		reoffer_answer(s, call, 408, NULL, NULL, 0);
		return;
	default:
		return;
	}
}

/* ---- requests in a dialog ------------------------------------------------------ */

static void request_in_call(struct cp_sip *s, const struct sip_peer *src,
			    struct cp_call *call, int k)
{
	const struct sip_msg *m = &s->msg;

	switch (m->method) {
	case SIP_M_ACK:
		if (call->re.from == k && m->cseq == call->re.cseq) {
			sip_retx_stop(&call->side[k].retx);
			if (call->re.relayed)
				reinvite_clear(call);
		} else if (k == SIDE_A && call->state == CP_CALL_UP) {
			sip_retx_stop(&call->side[SIDE_A].retx);
			if (call->ack_b_due && m->cseq == call->a_cseq)
				late_offer_answer(s, call);
		} else if (k == SIDE_A && call->state == CP_CALL_FAILED)
			call_free(s, call);
		return;
	case SIP_M_BYE:
		cp_sip_answer(s, src, 200, NULL);
		if (src->tr == SIP_TR_UDP)
			tomb_add(s);
		if (call->state == CP_CALL_UP)
			call_hangup(s, call, k, k == SIDE_A ? CP_END_BYE_A
							    : CP_END_BYE_B);
		else if (call->state == CP_CALL_ENDING &&
			 call->side[k].bye_pending) {
			/* both hung up at once: theirs answers ours too */
			call->side[k].bye_pending = false;
			sip_retx_stop(&call->side[k].retx);
			if (!call->side[!k].bye_pending)
				call_free(s, call);
		}
		return;
	case SIP_M_CANCEL:
		cp_sip_answer(s, src, k == SIDE_A ? 200 : 481, NULL);
		if (k != SIDE_A || call->state != CP_CALL_INVITING)
			return;
		log_end(s, call, CP_END_CANCEL);
		cp_call_release_media(s, call);
		answer_a(s, call, 487, NULL, 0);
		call->state = CP_CALL_FAILED;
		call->side[SIDE_B].bye_pending = true;   /* its final is due */
		if (call->ict.state == SIP_ICT_PROCEEDING)
			send_cancel_b(s, call);
		return;
	case SIP_M_INVITE:   /* a re-INVITE */
	case SIP_M_UPDATE:   /* RFC 3311, with or without an offer */
		reinvite_request(s, src, call, k);
		return;
	case SIP_M_OPTIONS:
		cp_sip_answer(s, src, 200, NULL);
		return;
	default:
		cp_sip_answer(s, src, 501, NULL);
		return;
	}
}

void cp_calls_request(struct cp_sip *s, const struct sip_peer *src, int zone)
{
	const struct sip_msg *m = &s->msg;
	struct cp_call *call;

	if (!s->calls.ready) {
		cp_sip_answer(s, src, 501, NULL);
		return;
	}
	/* from B (our Call-ID), else from A (its Call-ID and From tag) */
	call = find_ours(&s->calls, m->call_id, NULL);
	if (call != NULL) {
		request_in_call(s, src, call, SIDE_B);
		return;
	}
	call = find_a(&s->calls, m->call_id, m->from_tag);
	if (call != NULL && m->method == SIP_M_INVITE && m->to_tag.len == 0 &&
	    m->cseq == call->a_cseq) {
		/* a retransmission: the last answer again (§17.2.1) */
		s->calls.c.retransmits++;
		if (call->side[SIDE_A].out != NULL && call->state != CP_CALL_ENDING)
			side_send(s, &call->side[SIDE_A],
				  call->side[SIDE_A].out,
				  call->side[SIDE_A].out_len);
		return;
	}
	if (call != NULL) {
		request_in_call(s, src, call, SIDE_A);
		return;
	}
	if (m->method == SIP_M_INVITE && m->to_tag.len == 0) {
		new_invite(s, src, zone);
		return;
	}
	if (m->method == SIP_M_ACK)
		return;   /* the ACK of a stateless refusal */
	if (m->method == SIP_M_BYE && src->tr == SIP_TR_UDP && tomb_find(s)) {
		s->calls.c.retransmits++;   /* its 200 was lost or late */
		cp_sip_answer(s, src, 200, NULL);
		return;
	}
	s->calls.c.unknown_dialog++;
	cp_sip_answer(s, src, 481, NULL);
}

/* ---- responses ------------------------------------------------------------------- */

/* B's 2xx made the call: up, timers set, the 200 (with the description
 * in cp_call_sdpbuf, blen) to A, resent until its ACK. */
static void call_answered(struct cp_sip *s, struct cp_call *call, long blen)
{
	char thdr[CALL_TIMER_HDRS];
	uint32_t se;

	call->state = CP_CALL_UP;
	call->answered_ms = cp_now_ms();
	s->calls.c.answered++;
	if (s->cfg->sip.max_call_duration_s > 0)
		call->end_at_ms = call->answered_ms +
				  (int64_t)s->cfg->sip.max_call_duration_s * 1000;
	se = timer_headers(&s->msg, thdr, sizeof(thdr));
	session_timer(s, call, se);
	answer_side(s, call, SIDE_A, call->a_head, call->a_head_len, 200, thdr,
		    cp_call_sdpbuf, (size_t)blen);
	s->calls.c.by_status[2]++;
	CP_INFO("SIP call %s -> %s: answered in %" PRId64 " ms%s%s", call->caller,
		call->callee, call->answered_ms - call->created_ms,
		call->ice_passthrough ? " (ICE passthrough, no legs)" : "",
		call->ack_b_due ? " (its offer goes to the caller)" : "");
}

/* B's 2xx to a late offer carries the offer: our ends taken, the offer
 * to A in our 200; B's ACK waits for the answer in A's ACK. An offer
 * Sluice cannot take is refused in the ACK (every stream port 0), B gets
 * a BYE and A the status. */
static void late_offer_2xx(struct cp_sip *s, struct cp_call *call)
{
	const struct sip_msg *m = &s->msg;
	static struct sdp offer;
	unsigned status = 0;
	long blen = 0;

	if (call->state != CP_CALL_INVITING) {   /* cancelled meanwhile */
		late_offer_refuse(s, call, m->body);
		call->side[SIDE_B].bye_pending = false;
		send_bye(s, call, SIDE_B);
		return;
	}
	if (m->body.len == 0 || !is_sdp(m) || sdp_parse(&offer, m->body) != 0 ||
	    offer.n_media == 0)
		status = 502;
	else
		blen = cp_call_offer_anchor(s, call, SIDE_B, &offer, m->body,
					    &status);
	if (status == 0 && !keep_copy(&call->lo_offer, &call->lo_offer_len,
				      m->body.p, m->body.len))
		status = 500;
	if (status != 0) {
		CP_NOTICE("SIP call %s -> %s: the callee's offer (late offer) "
			  "refused: %u", call->caller, call->callee, status);
		late_offer_refuse(s, call, m->body);
		answer_a(s, call, status, NULL, 0);
		s->calls.c.setup_failed++;
		call_hangup(s, call, SIDE_A, status == 503 ? CP_END_MEDIA :
					     CP_END_BAD_ANSWER);
		return;
	}
	call->ack_b_due = true;
	call_answered(s, call, blen);
}

static void b_accepted(struct cp_sip *s, struct cp_call *call)
{
	const struct sip_msg *m = &s->msg;
	struct cp_call_side *b = &call->side[SIDE_B];
	const struct sip_header *ct = sip_msg_hdr(m, SIP_H_CONTACT);
	static struct sdp ans;
	struct sip_nameaddr na;
	long blen = -1;

	copy_str(m->to_tag, b->remote_tag, sizeof(b->remote_tag));
	copy_str(m->to, b->to, sizeof(b->to));
	if (ct != NULL && sip_nameaddr_parse(ct->value, &na) && !na.star)
		copy_str(na.uri, b->target, sizeof(b->target));
	if (call->late_offer) {
		late_offer_2xx(s, call);
		return;
	}
	send_ack_b(s, call, true);
	if (call->state != CP_CALL_INVITING) {
		/* cancelled meanwhile (§9.1: the 2xx won the race) */
		call->side[SIDE_B].bye_pending = false;
		send_bye(s, call, SIDE_B);
		return;
	}
	if (m->body.len == 0 || sdp_parse(&ans, m->body) != 0 ||
	    (blen = cp_call_answer_anchor(s, call, SIDE_B, &ans, m->body)) < 0) {
		/* A still waits for a final answer; B gets a BYE. Legs the
		 * dataplane client could not take now (its command window
		 * full: an overload) are a 503, an unusable answer a 502 */
		bool overload = blen == -2;

		answer_a(s, call, overload ? 503 : 502, NULL, 0);
		s->calls.c.setup_failed++;
		call_hangup(s, call, SIDE_A, overload ? CP_END_MEDIA :
						       CP_END_BAD_ANSWER);
		return;
	}
	call_answered(s, call, blen);
}

/* A 1xx from B, relayed; with an SDP answer (early media, RFC 3960) the
 * legs are set up now and the answer rewritten, as for a 2xx. An
 * unusable one is relayed without its SDP: the 2xx's answer decides. */
static void early_media(struct cp_sip *s, struct cp_call *call,
			unsigned code)
{
	const struct sip_msg *m = &s->msg;
	static struct sdp ans;
	long blen;

	/* to a late offer, SDP in an unreliable 1xx is no offer (RFC 3261
	 * §13.2.1; Sluice does not do 100rel): relayed without it */
	if (call->late_offer || m->body.len == 0 || !is_sdp(m) ||
	    sdp_parse(&ans, m->body) != 0 ||
	    (blen = cp_call_answer_anchor(s, call, SIDE_B, &ans, m->body)) < 0) {
		answer_a(s, call, code, NULL, 0);
		return;
	}
	answer_a(s, call, code, cp_call_sdpbuf, (size_t)blen);
}

static void invite_response(struct cp_sip *s, struct cp_call *call)
{
	const struct sip_msg *m = &s->msg;
	unsigned code = m->status;

	switch (sip_ict_response(&call->ict, code, cp_now_ms())) {
	case SIP_ICT_TRYING:
		break;
	case SIP_ICT_PROVISIONAL:
		if (call->state == CP_CALL_INVITING)
			early_media(s, call, code);
		else if (call->side[SIDE_B].bye_pending)
			send_cancel_b(s, call);   /* cancel waited for this */
		break;
	case SIP_ICT_ACCEPT:
		b_accepted(s, call);
		break;
	case SIP_ICT_REACK:
		send_ack_b(s, call, true);
		break;
	case SIP_ICT_REJECT:
		send_ack_b(s, call, false);
		if (call->state == CP_CALL_INVITING) {
			/* a challenge for us is not the caller's to answer */
			char thdr[CALL_TIMER_HDRS];

			timer_headers(&s->msg, thdr, sizeof(thdr));   /* 422 */
			call_fail(s, call, code == 401 || code == 407 ? 403 :
				  code, thdr, true, CP_END_REJECTED);
		} else if (call->side[SIDE_B].bye_pending) {
			call->side[SIDE_B].bye_pending = false;
			if (call->state == CP_CALL_FAILED &&
			    call->side[SIDE_A].peer.tr != SIP_TR_UDP)
				call_free(s, call);
		}
		break;
	case SIP_ICT_REACK_REJECT:
		send_ack_b(s, call, false);
		break;
	default:
		break;
	}
}

/* The same flow: the same connection, or over UDP the same host (a UA
 * may answer from another socket than the one it listens on). */
static bool same_peer(const struct sip_peer *a, const struct sip_peer *b)
{
	if (a->tr != b->tr)
		return false;
	if (a->tr == SIP_TR_UDP)
		return a->ip == b->ip;
	return a->conn == b->conn && a->conn_gen == b->conn_gen;
}

void cp_calls_response(struct cp_sip *s, const struct sip_peer *src)
{
	const struct sip_msg *m = &s->msg;
	struct sip_str rest;
	struct cp_call *call;
	int k;

	if (!s->calls.ready || m->n_via == 0 || m->via[0].branch.len < 8)
		return;
	call = find_ours(&s->calls, (struct sip_str){ m->via[0].branch.p + 8,
				     m->via[0].branch.len - 8 }, &rest);
	if (call == NULL || rest.len < 2 || rest.p[0] != '-')
		return;
	k = rest.p[1] == '1' ? SIDE_B : SIDE_A;
	if (!same_peer(src, &call->side[k].peer)) {
		s->calls.c.foreign_responses++;
		return;
	}
	if (m->cseq_method == SIP_M_INVITE) {
		if (call->re.from == !k && !call->re.update &&
		    m->cseq == call->re.out_cseq)
			reinvite_response(s, call);
		else if (k == SIDE_B && m->cseq == 1)
			invite_response(s, call);
		return;
	}
	if (m->cseq_method == SIP_M_UPDATE) {
		if (call->re.from == !k && call->re.update &&
		    m->cseq == call->re.out_cseq)
			update_response(s, call);
		return;
	}
	if (m->cseq_method != SIP_M_BYE || m->status < 200 ||
	    !call->side[k].bye_pending)
		return;
	call->side[k].bye_pending = false;
	sip_retx_stop(&call->side[k].retx);
	if (call->state == CP_CALL_ENDING && !call->side[!k].bye_pending)
		call_free(s, call);
}

/* ---- timers ---------------------------------------------------------------------- */

static void side_tick(struct cp_sip *s, struct cp_call *call, int k,
		      int64_t now)
{
	struct cp_call_side *sd = &call->side[k];

	switch (sip_retx_due(&sd->retx, now)) {
	case SIP_RETX_SEND:
		s->calls.c.retransmits++;
		if (sd->out != NULL)
			side_send(s, sd, sd->out, sd->out_len);
		return;
	case SIP_RETX_TIMEOUT:
		s->calls.c.timeouts++;
		if (call->re.from == !k && call->re.update) {
			/* Timer F: our UPDATE went unanswered */
			cp_call_remotes_restore(call, call->re.was);
			update_answer(s, call, 408, NULL, NULL, 0);
		} else if (call->re.from == k && call->re.relayed) {
			reinvite_clear(call);   /* no ACK to our answer */
		} else if (call->state == CP_CALL_UP && k == SIDE_A) {
			call_hangup(s, call, -1, CP_END_NO_ACK);
		} else if (call->state == CP_CALL_FAILED && k == SIDE_A) {
			call_free(s, call);   /* Timer H: no ACK, done */
		} else if (sd->bye_pending) {
			sd->bye_pending = false;
			if (call->state == CP_CALL_ENDING &&
			    !call->side[!k].bye_pending)
				call_free(s, call);
		}
		return;
	default:
		return;
	}
}

static void call_tick(struct cp_sip *s, struct cp_call *call, int64_t now)
{
	uint32_t gen = call->gen;

	if (call->state == CP_CALL_INVITING || call->side[SIDE_B].bye_pending) {
		enum sip_ict_state was = call->ict.state;

		switch (sip_ict_tick(&call->ict, now)) {
		case SIP_RETX_SEND:
			s->calls.c.retransmits++;
			side_send(s, &call->side[SIDE_B], call->side[SIDE_B].out,
				  call->side[SIDE_B].out_len);
			break;
		case SIP_RETX_TIMEOUT:
			s->calls.c.timeouts++;
			if (was == SIP_ICT_PROCEEDING)
				send_cancel_b(s, call);
			if (call->state == CP_CALL_INVITING) {
				call_fail(s, call, 408, NULL, true, CP_END_NO_ANSWER);
			} else {
				call->side[SIDE_B].bye_pending = false;
				if (call->state == CP_CALL_FAILED &&
				    !sip_retx_active(&call->side[SIDE_A].retx))
					call_free(s, call);
			}
			return;
		default:
			break;
		}
	}
	if ((call->state == CP_CALL_ENDING && !call->side[SIDE_A].bye_pending &&
	     !call->side[SIDE_B].bye_pending) ||
	    (call->state == CP_CALL_FAILED && !call->side[SIDE_B].bye_pending &&
	     !sip_retx_active(&call->side[SIDE_A].retx))) {
		call_free(s, call);
		return;
	}
	if (call->state == CP_CALL_UP && call->se_end_ms != 0 &&
	    now >= call->se_end_ms) {
		call_hangup(s, call, -1, CP_END_SESSION_EXPIRED);
		return;
	}
	if (call->state == CP_CALL_UP && call->media_idle) {
		call_hangup(s, call, -1, CP_END_MEDIA_TIMEOUT);
		return;
	}
	if (call->state == CP_CALL_UP) {
		reinvite_tick(s, call, now);
		cp_call_media_follow_retry(s, call);
	}
	if (call->state == CP_CALL_UP && call->end_at_ms != 0 &&
	    now >= call->end_at_ms) {
		call_hangup(s, call, -1, CP_END_MAX_DURATION);
		return;
	}
	for (int k = 0; k < 2 && call->state != CP_CALL_FREE &&
	     call->gen == gen; k++)
		if (call->state != CP_CALL_INVITING || k == SIDE_A)
			side_tick(s, call, k, now);
}

static void zone_lost_now(struct cp_sip *s, int zone);

void cp_calls_tick(struct cp_sip *s, int64_t now)
{
	if (!s->calls.ready)
		return;
	cp_call_deferred_deletes(s);
	while (s->calls.zones_lost != 0) {
		int z = __builtin_ctzll(s->calls.zones_lost);

		s->calls.zones_lost &= s->calls.zones_lost - 1;
		zone_lost_now(s, z);
	}
	for (uint32_t i = 0; i < s->calls.cap; i++)
		if (s->calls.call[i].state != CP_CALL_FREE)
			call_tick(s, &s->calls.call[i], now);
}

/* A leg of an answered call received nothing for sip.media_timeout: the
 * call ends at the next tick (this runs inside cp_dp_tick, which must not
 * be sent commands from here). */
void cp_calls_leg_idle(void *ctx, uint32_t leg_id, uint32_t idle_s,
		       uint64_t cookie)
{
	struct cp_sip *s = ctx;

	(void)idle_s;
	if (!s->calls.ready ||
	    cookie >> CP_LEG_COOKIE_OWNER_SHIFT != CP_LEG_OWNER_SIP)
		return;
	for (uint32_t i = 0; i < s->calls.cap; i++) {
		struct cp_call *call = &s->calls.call[i];

		if (call->state != CP_CALL_UP)
			continue;
		for (unsigned k = 0; k < call->n_st; k++)
			if (call->st[k].programmed &&
			    (call->st[k].leg[0] == leg_id ||
			     call->st[k].leg[1] == leg_id))
				call->media_idle = true;
	}
}

/* Deferred to the tick: the loss is noticed while a send fails, maybe in
 * the middle of handling one of the calls it ends. */
void cp_calls_zone_lost(struct cp_sip *s, int zone)
{
	if (s->calls.ready && zone >= 0 && zone < 64)
		s->calls.zones_lost |= UINT64_C(1) << zone;
}

static void zone_lost_now(struct cp_sip *s, int zone)
{
	for (uint32_t i = 0; i < s->calls.cap; i++) {
		struct cp_call *call = &s->calls.call[i];
		int lost = call->side[SIDE_A].zone == zone ? SIDE_A :
			   call->side[SIDE_B].zone == zone ? SIDE_B : -1;

		if (call->state == CP_CALL_FREE || lost < 0)
			continue;
		if (call->state == CP_CALL_UP) {
			call_hangup(s, call, lost, CP_END_ZONE_LOST);
		} else if (call->state == CP_CALL_INVITING) {
			if (lost == SIDE_B) {
				call_fail(s, call, 503, NULL, true, CP_END_ZONE_LOST);
			} else {
				if (call->ict.state == SIP_ICT_PROCEEDING)
					send_cancel_b(s, call);
				call_fail(s, call, 0, NULL, false, CP_END_ZONE_LOST);
			}
		} else {
			call->side[lost].bye_pending = false;
			sip_retx_stop(&call->side[lost].retx);
		}
	}
}

unsigned cp_calls_stop(struct cp_sip *s)
{
	unsigned waiting = 0;

	if (!s->calls.ready)
		return 0;
	s->calls.stopping = true;
	for (uint32_t i = 0; i < s->calls.cap; i++) {
		struct cp_call *call = &s->calls.call[i];

		if (call->state == CP_CALL_UP) {
			call_hangup(s, call, -1, CP_END_SHUTDOWN);
		} else if (call->state == CP_CALL_INVITING) {
			if (call->ict.state == SIP_ICT_PROCEEDING)
				send_cancel_b(s, call);
			call_fail(s, call, 503, NULL, true, CP_END_SHUTDOWN);
		}
	}
	for (uint32_t i = 0; i < s->calls.cap; i++)
		waiting += s->calls.call[i].state == CP_CALL_ENDING;
	if (waiting > 0)
		CP_NOTICE("SIP: %u call(s) ended, waiting up to %d ms for the "
			  "answers to their BYEs", waiting, CP_STOP_DRAIN_MS);
	return waiting;
}

bool cp_calls_stopped(const struct cp_sip *s)
{
	if (!s->calls.ready)
		return true;
	for (uint32_t i = 0; i < s->calls.cap; i++)
		if (s->calls.call[i].state == CP_CALL_ENDING)
			return false;
	return true;
}

/* ---- setup ------------------------------------------------------------------------ */

int cp_calls_init(struct cp_sip *s, char *err, size_t cap)
{
	struct cp_calls *t = &s->calls;
	const struct sl_config *cfg = s->cfg;
	uint16_t demux[SL_CFG_LARGE_DEMUX_PAIRS];
	uint8_t rnd[4];

	memset(t, 0, sizeof(*t));
	t->cap = cfg->capacity.rich_media_sessions * 2;
	for (t->n_buckets = 64; t->n_buckets < t->cap * 2; t->n_buckets *= 2)
		;
	for (unsigned i = 0; i < cfg->media.demux_pairs &&
	     i < SL_CFG_LARGE_DEMUX_PAIRS; i++)
		demux[i] = (uint16_t)(cfg->media.demux_rtp_port + 2 * i);
	t->call = calloc(t->cap, sizeof(*t->call));
	t->bucket = calloc(t->n_buckets, sizeof(*t->bucket));
	t->cap_defer = t->cap * SDP_MAX_MEDIA * 2;   /* every leg calls own */
	t->defer = calloc(t->cap_defer, sizeof(*t->defer));
	t->tomb = calloc(t->cap, sizeof(*t->tomb));
	if (t->call == NULL || t->bucket == NULL || t->defer == NULL ||
	    t->tomb == NULL ||
	    sip_port_pairs_init(&t->pairs, cfg->media.ports.lo,
				cfg->media.ports.hi, demux,
				cfg->media.demux_pairs) != 0 ||
	    sip_mux_ids_init(&t->mux, CP_CALL_MUX_BASE,
			     t->cap * SDP_MAX_MEDIA) != 0 ||
	    cp_random(rnd, sizeof(rnd)) != 0) {
		snprintf(err, cap, "SIP calls: %s", strerror(errno));
		cp_calls_fini(s);
		return -1;
	}
	snprintf(t->token, sizeof(t->token), "%02x%02x%02x%02x", rnd[0], rnd[1],
		 rnd[2], rnd[3]);
	t->ready = true;
	return 0;
}

void cp_calls_fini(struct cp_sip *s)
{
	struct cp_calls *t = &s->calls;

	if (t->call != NULL)
		for (uint32_t i = 0; i < t->cap; i++)
			if (t->call[i].state != CP_CALL_FREE)
				call_free(s, &t->call[i]);
	free(t->call);
	free(t->bucket);
	free(t->defer);
	free(t->tomb);
	sip_port_pairs_fini(&t->pairs);
	sip_mux_ids_fini(&t->mux);
	memset(t, 0, sizeof(*t));
}

bool cp_calls_use_conn(const struct cp_sip *s, uint32_t conn, uint32_t gen)
{
	const struct cp_calls *t = &s->calls;

	for (uint32_t i = 0; i < t->cap; i++) {
		const struct cp_call *call = &t->call[i];

		if (call->state == CP_CALL_FREE)
			continue;
		for (int k = 0; k < 2; k++)
			if (call->side[k].peer.conn == conn &&
			    call->side[k].peer.conn_gen == gen)
				return true;
	}
	return false;
}
