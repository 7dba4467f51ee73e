/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_txn.h — the timers of RFC 3261 §17 as a B2BUA needs them, pure and
 * clock-free (the caller passes the monotonic time in ms).
 *
 * INVITE client transaction (toward the callee), §17.1.1:
 *
 *            send INVITE (UDP: Timer A = T1, doubling; TCP/TLS: none)
 *   CALLING ──1xx──► PROCEEDING ──2xx──► ACCEPTED (ACK each 2xx again)
 *      │  └──2xx──────────────────────────┘
 *      ├──300-699──► COMPLETED (ACK; a retransmitted final: ACK again)
 *      └──Timer B (64·T1) without any answer──► TIMED_OUT
 *   PROCEEDING without a final for SIP_TXN_TIMER_C_MS ──► TIMED_OUT
 *
 * A message we retransmit until something stops it (the INVITE until a
 * response, a 2xx to the caller until its ACK, §13.3.1.4, a BYE/CANCEL
 * until its answer, §17.1.2): struct sip_retx, with Timer A's doubling
 * (capped at T2 for all but the INVITE) and a give-up deadline.
 */
#ifndef SL_SIP_TXN_H
#define SL_SIP_TXN_H

#include <stdbool.h>
#include <stdint.h>

#define SIP_T1_MS            500
#define SIP_T2_MS            4000
#define SIP_TXN_TIMEOUT_MS   (64 * SIP_T1_MS)    /* Timers B, F, H */
#define SIP_TXN_TIMER_C_MS   180000              /* > 3 min, §16.6 */

struct sip_retx {
	int64_t next_ms;        /* next send; 0: none scheduled */
	int64_t interval_ms;
	int64_t deadline_ms;    /* give up; 0: none */
	bool capped;            /* interval stops growing at T2 */
	uint32_t sends;         /* retransmissions so far */
};

enum sip_retx_due {
	SIP_RETX_IDLE,          /* nothing to do now */
	SIP_RETX_SEND,          /* send the message again */
	SIP_RETX_TIMEOUT,       /* the deadline passed: give up */
};

/* Starts after the first send at `now`; a reliable transport only keeps
 * the deadline. */
void sip_retx_start(struct sip_retx *r, int64_t now, bool reliable,
		    bool capped);
/* What is due at `now` (a SEND schedules the next one). */
enum sip_retx_due sip_retx_due(struct sip_retx *r, int64_t now);
/* Stop resending and drop the deadline. */
void sip_retx_stop(struct sip_retx *r);
bool sip_retx_active(const struct sip_retx *r);

enum sip_ict_state {
	SIP_ICT_CALLING,
	SIP_ICT_PROCEEDING,
	SIP_ICT_ACCEPTED,
	SIP_ICT_COMPLETED,
	SIP_ICT_TIMED_OUT,
};

/* What the caller does with a response to its INVITE. */
enum sip_ict_action {
	SIP_ICT_IGNORE,         /* a stray or late provisional */
	SIP_ICT_PROVISIONAL,    /* relay it (101-199; 100 is hop-by-hop) */
	SIP_ICT_TRYING,         /* 100: retransmissions stop, nothing else */
	SIP_ICT_ACCEPT,         /* the first 2xx: ACK it, relay it */
	SIP_ICT_REACK,          /* a 2xx again: ACK it again */
	SIP_ICT_REJECT,         /* the first 300-699: ACK it, relay it */
	SIP_ICT_REACK_REJECT,   /* that final again: ACK it again */
};

struct sip_ict {
	enum sip_ict_state state;
	struct sip_retx retx;   /* Timer A and B */
	int64_t timer_c_ms;     /* PROCEEDING: give up at */
	unsigned final;         /* the final status, once there */
};

void sip_ict_start(struct sip_ict *t, int64_t now, bool reliable);
enum sip_ict_action sip_ict_response(struct sip_ict *t, unsigned status,
				     int64_t now);
/* SIP_RETX_SEND: retransmit the INVITE; SIP_RETX_TIMEOUT: no final answer
 * in time (state TIMED_OUT; the caller CANCELs a PROCEEDING one). */
enum sip_retx_due sip_ict_tick(struct sip_ict *t, int64_t now);

const char *sip_ict_state_name(enum sip_ict_state st);

#endif /* SL_SIP_TXN_H */
