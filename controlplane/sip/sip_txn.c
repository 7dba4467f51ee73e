/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_txn.c — RFC 3261 transaction timers, see sip_txn.h.
 */
#include "sip_txn.h"

void sip_retx_start(struct sip_retx *r, int64_t now, bool reliable,
		    bool capped)
{
	r->interval_ms = SIP_T1_MS;
	r->next_ms = reliable ? 0 : now + SIP_T1_MS;
	r->deadline_ms = now + SIP_TXN_TIMEOUT_MS;
	r->capped = capped;
	r->sends = 0;
}

enum sip_retx_due sip_retx_due(struct sip_retx *r, int64_t now)
{
	if (r->deadline_ms != 0 && now >= r->deadline_ms) {
		sip_retx_stop(r);
		return SIP_RETX_TIMEOUT;
	}
	if (r->next_ms == 0 || now < r->next_ms)
		return SIP_RETX_IDLE;
	r->interval_ms *= 2;
	if (r->capped && r->interval_ms > SIP_T2_MS)
		r->interval_ms = SIP_T2_MS;
	r->next_ms = now + r->interval_ms;
	r->sends++;
	return SIP_RETX_SEND;
}

void sip_retx_stop(struct sip_retx *r)
{
	r->next_ms = 0;
	r->deadline_ms = 0;
}

bool sip_retx_active(const struct sip_retx *r)
{
	return r->next_ms != 0 || r->deadline_ms != 0;
}

void sip_ict_start(struct sip_ict *t, int64_t now, bool reliable)
{
	t->state = SIP_ICT_CALLING;
	t->final = 0;
	t->timer_c_ms = 0;
	sip_retx_start(&t->retx, now, reliable, false);
}

enum sip_ict_action sip_ict_response(struct sip_ict *t, unsigned status,
				     int64_t now)
{
	if (status < 200) {
		if (t->state != SIP_ICT_CALLING && t->state != SIP_ICT_PROCEEDING)
			return SIP_ICT_IGNORE;
		/* §17.1.1.2: any provisional stops Timer A and Timer B */
		sip_retx_stop(&t->retx);
		if (t->state == SIP_ICT_CALLING)
			t->timer_c_ms = now + SIP_TXN_TIMER_C_MS;
		t->state = SIP_ICT_PROCEEDING;
		return status == 100 ? SIP_ICT_TRYING : SIP_ICT_PROVISIONAL;
	}
	switch (t->state) {
	case SIP_ICT_CALLING:
	case SIP_ICT_PROCEEDING:
		sip_retx_stop(&t->retx);
		t->timer_c_ms = 0;
		t->final = status;
		if (status < 300) {
			t->state = SIP_ICT_ACCEPTED;
			return SIP_ICT_ACCEPT;
		}
		t->state = SIP_ICT_COMPLETED;
		return SIP_ICT_REJECT;
	case SIP_ICT_ACCEPTED:
		return status < 300 ? SIP_ICT_REACK : SIP_ICT_IGNORE;
	case SIP_ICT_COMPLETED:
		return status == t->final ? SIP_ICT_REACK_REJECT : SIP_ICT_IGNORE;
	default:
		return SIP_ICT_IGNORE;
	}
}

enum sip_retx_due sip_ict_tick(struct sip_ict *t, int64_t now)
{
	enum sip_retx_due d;

	if (t->state == SIP_ICT_PROCEEDING && t->timer_c_ms != 0 &&
	    now >= t->timer_c_ms) {
		t->timer_c_ms = 0;
		t->state = SIP_ICT_TIMED_OUT;
		return SIP_RETX_TIMEOUT;
	}
	if (t->state != SIP_ICT_CALLING)
		return SIP_RETX_IDLE;
	d = sip_retx_due(&t->retx, now);
	if (d == SIP_RETX_TIMEOUT)
		t->state = SIP_ICT_TIMED_OUT;
	return d;
}

const char *sip_ict_state_name(enum sip_ict_state st)
{
	static const char *const n[] = {
		[SIP_ICT_CALLING] = "calling", [SIP_ICT_PROCEEDING] = "proceeding",
		[SIP_ICT_ACCEPTED] = "accepted", [SIP_ICT_COMPLETED] = "completed",
		[SIP_ICT_TIMED_OUT] = "timed-out",
	};

	return st <= SIP_ICT_TIMED_OUT ? n[st] : "?";
}
