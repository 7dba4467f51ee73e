/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_sip_call.h — the B2BUA's calls: two dialogs (side A, the caller's,
 * where Sluice is the UAS; side B, the callee's, where it is the UAC) and
 * per media stream two peered dataplane legs.
 *
 *   caller ──A dialog──► Sluice ──B dialog──► callee
 *   media  ──► leg[A] (PORT: a pair of media.ports   ──peer──► leg[B] ──►
 *              or MUX: a multiplexID on the demux pair, zone side)
 *
 * A side that is a SIP zone uses MUX legs: the two Sluices exchange the
 * multiplexID each receives with in a=sluice-mux (docs/sip.md §7).
 * The table is fixed (2 x capacity.rich_media_sessions); a call that
 * finds it full is answered 503.
 */
#ifndef SL_CP_SIP_CALL_H
#define SL_CP_SIP_CALL_H

#include <stdbool.h>
#include <stdint.h>

#include "sip_media_alloc.h"
#include "sip_registrar.h"
#include "sip_sdp.h"
#include "sip_txn.h"

#define CP_CALL_ID_MAX      160
#define CP_CALL_TAG_MAX     80
#define CP_CALL_HDR_MAX     400
#define CP_CALL_URI_MAX     300
#define CP_CALL_MUX_BASE    0x51000000u   /* multiplexIDs Sluice's B2BUA
					   * hands out: base + 0 .. */

enum cp_call_state {
	CP_CALL_FREE = 0,
	CP_CALL_INVITING,       /* INVITE out to B, no final answer yet */
	CP_CALL_UP,             /* B accepted; A's ACK may still be due */
	CP_CALL_FAILED,         /* non-2xx to A: waiting for its ACK */
	CP_CALL_ENDING,         /* BYE/CANCEL out, waiting for answers */
};

enum cp_side_kind {
	CP_SIDE_PUBLIC,         /* an endpoint: PORT legs */
	CP_SIDE_ZONE,           /* the other Sluice over a zone: MUX legs */
};

/* Why a call ended (counted, and in the log). */
#define CP_CALL_ENDS(X)                                              \
	X(BYE_A,        "bye_caller",   "BYE from the caller")           \
	X(BYE_B,        "bye_callee",   "BYE from the callee")           \
	X(CANCEL,       "cancel",       "CANCEL from the caller")        \
	X(REJECTED,     "rejected",     "the callee refused")            \
	X(NO_ANSWER,    "timeout",      "no answer from the callee")     \
	X(NO_ACK,       "no_ack",       "the caller never ACKed the 200")\
	X(MAX_DURATION, "max_duration", "sip.max_call_duration reached") \
	X(MEDIA_TIMEOUT, "media_timeout", "no media for sip.media_timeout") \
	X(SESSION_EXPIRED, "session_expired", "the session timer ran out (RFC 4028)") \
	X(ZONE_LOST,    "zone_lost",    "the zone connection went away") \
	X(MEDIA,        "media_failed", "the dataplane refused a leg")   \
	X(BAD_ANSWER,   "bad_answer",   "the callee's SDP answer was unusable") \
	X(NO_SDP_ANSWER, "no_sdp_answer", "the caller's ACK had no usable answer to a late offer") \
	X(SHUTDOWN,     "shutdown",     "sluice-cp stopping")

enum cp_call_end {
	CP_END_NONE = 0,
#define CP_END_ENUM(id, name, text) CP_END_##id,
	CP_CALL_ENDS(CP_END_ENUM)
#undef CP_END_ENUM
	CP_END_COUNT
};

struct cp_call_stream {
	bool anchored;            /* resources taken */
	bool programmed;          /* legs added */
	uint32_t leg[2];          /* [side]: the leg facing that side */
	uint16_t port[2];         /* our RTP port facing that side */
	uint32_t mux_rx[2];       /* MUX: the id we receive with */
	/* what the side's SDP said */
	uint32_t r_ip[2];
	uint16_t r_port[2];
	uint16_t r_rtcp[2];       /* 0: none given */
	uint32_t r_mux[2];        /* the other Sluice's a=sluice-mux */
	bool r_rtcp_mux[2];
	uint8_t follow_due;       /* bit k: the leg facing side k is to
				   * follow side k's new address (a
				   * re-offer moved it; retried at the tick
				   * while the leg has a command out) */
};

/* What one side's SDP named for a stream (kept while a re-offer is
 * pending: a refused one leaves the session as it was, RFC 3264 §8). */
struct cp_call_remote {
	uint32_t ip, mux;
	uint16_t port, rtcp;
	bool rtcp_mux;
};

struct cp_call_side {
	uint8_t kind;             /* enum cp_side_kind */
	int zone;                 /* index in cp_sip.zones, -1: none */
	struct sip_peer peer;     /* where its messages go */
	char call_id[CP_CALL_ID_MAX];
	char from[CP_CALL_HDR_MAX];   /* From of requests we send this way */
	char to[CP_CALL_HDR_MAX];     /* To of them (the remote's tag) */
	char target[CP_CALL_URI_MAX]; /* Request-URI in the dialog */
	char remote_tag[CP_CALL_TAG_MAX];
	uint32_t cseq;            /* ours, this way */
	char *out;                /* what we retransmit this way (malloc) */
	size_t out_len;
	struct sip_retx retx;
	bool bye_pending;         /* our BYE awaits its answer */
};

/* A re-INVITE or UPDATE (RFC 3311) relayed from one side to the other
 * (one at a time). */
struct cp_call_reinvite {
	int from;                 /* the side that sent it, -1: none */
	bool update;              /* an UPDATE: no ACK, our answer not resent */
	bool offer;               /* it carried an offer (an UPDATE may not) */
	uint32_t cseq;            /* its CSeq there */
	char *head;               /* the lines of every response to it */
	size_t head_len;
	uint32_t out_cseq;        /* our re-INVITE's CSeq on the other side */
	char branch[64];
	struct sip_ict ict;
	bool relayed;             /* its final answer went back: ACK due */
	struct cp_call_remote was[SDP_MAX_MEDIA][2];   /* before the offer */
};

struct cp_call {
	uint8_t state;            /* enum cp_call_state */
	uint8_t end;              /* enum cp_call_end */
	bool ice_passthrough;     /* no legs: both ends do ICE */
	bool offer_ice;
	bool media_idle;          /* a leg reported idle: ends at the tick */
	bool late_offer;          /* A's INVITE had no SDP: B's 2xx offers,
				   * A's ACK answers (RFC 3261 §13.2.1) */
	bool ack_b_due;           /* late offer: B's 2xx is ACKed once A's
				   * ACK brings the answer */
	char *lo_offer;           /* late offer: B's offer until then */
	size_t lo_offer_len;
	char *b_ack;              /* late offer: the answer B's ACK carried
				   * (a retransmitted 2xx gets it again) */
	size_t b_ack_len;
	char *upd_last;           /* our last final answer to an UPDATE, for */
	size_t upd_last_len;      /* its retransmission (side upd_side, */
	int upd_side;             /* CSeq upd_cseq); upd_side -1: none */
	uint32_t upd_cseq;
	uint32_t gen;             /* slot generation (in our ids) */
	uint32_t hnext;           /* hash chain (slot + 1), 0: end */
	uint32_t a_cseq;          /* the caller's INVITE CSeq */
	int max_forwards;         /* of our requests to B: A's less one */
	char a_branch[CP_CALL_TAG_MAX];
	char *a_head;             /* response lines after the status line */
	size_t a_head_len;
	char *a_last;             /* the last response sent to A (resent on
				   * a retransmitted INVITE) */
	size_t a_last_len;
	struct sip_ict ict;       /* our INVITE to B */
	struct cp_call_reinvite re;
	char b_branch[64];
	char b_ruri[CP_CALL_URI_MAX];
	struct cp_call_side side[2];
	struct cp_call_stream st[SDP_MAX_MEDIA];
	unsigned n_st;
	int64_t created_ms, answered_ms, end_at_ms;
	int64_t se_end_ms;        /* RFC 4028: no refresh by then ends it;
				   * 0: no session timer negotiated */
	int64_t created_wall;
	char caller[SL_CFG_USER_MAX + 1];   /* From user, for operators */
	char callee[SL_CFG_USER_MAX + 1];   /* Request-URI user */
};

/* The counters in status → cp.sip.calls, by their JSON names. */
#define CP_CALL_COUNTERS(X)                                            \
	X(active_max) X(invites) X(answered) X(setup_failed)           \
	X(retransmits) X(timeouts) X(table_full) X(no_media)           \
	X(no_route) X(zone_down) X(legs_added) X(legs_deleted)         \
	X(leg_errors) X(ice_passthrough) X(reinvites)                  \
	X(reinvites_refused) X(unknown_dialog) X(foreign_responses)         \
	X(session_timers) X(late_offers) X(updates) X(legs_moved)

struct cp_call_counters {
	uint64_t by_status[7];    /* final answers to callers: 2xx..6xx */
	uint64_t ended[CP_END_COUNT];
#define CP_CALL_CTR_FIELD(name) uint64_t name;
	CP_CALL_COUNTERS(CP_CALL_CTR_FIELD)
#undef CP_CALL_CTR_FIELD
};

/* A leg whose delete has to wait (its add not acknowledged yet). */
struct cp_call_defer {
	uint32_t leg;
	uint16_t port;            /* its pair, back to the pool once gone */
	uint32_t mux;             /* or its multiplexID */
};

/* A dialog a BYE ended, for 64·T1: its retransmitted BYE gets the 200
 * again rather than a 481 (RFC 3261 §17.2.2, Timer J). */
struct cp_call_tomb {
	uint32_t key;             /* hash of Call-ID, From tag and CSeq */
	int64_t until_ms;
};

struct cp_calls {
	struct cp_call *call;     /* [cap] */
	uint32_t cap, n;
	uint32_t *bucket;         /* [n_buckets]: slot + 1 */
	uint32_t n_buckets;       /* power of 2 */
	uint32_t cursor;
	uint32_t gen;
	uint32_t branch_seq;
	char token[9];            /* per process: our ids are recognised */
	struct cp_call_tomb *tomb;    /* [cap]: a ring */
	uint32_t tomb_next;
	struct cp_call_defer *defer;  /* [cap_defer] */
	uint32_t n_defer, cap_defer;
	struct sip_port_pairs pairs;
	struct sip_mux_ids mux;
	struct cp_call_counters c;
	uint64_t zones_lost;      /* zone i lost: its calls end at the tick */
	bool ready;
	bool stopping;            /* sluice-cp stopping: new calls get 503 */
};

struct cp_sip;
struct cp_sip_conn;
struct jout;

int cp_calls_init(struct cp_sip *s, char *err, size_t cap);
void cp_calls_fini(struct cp_sip *s);
/* s->msg is a request not handled elsewhere (INVITE, ACK, BYE, CANCEL,
 * UPDATE, in-dialog OPTIONS/INFO); from src, over zone connection `zone`
 * (-1: the public side). */
void cp_calls_request(struct cp_sip *s, const struct sip_peer *src, int zone);
/* s->msg is a response to something the B2BUA sent, from src; one that
 * does not come from where the request went is ignored. */
void cp_calls_response(struct cp_sip *s, const struct sip_peer *src);
void cp_calls_tick(struct cp_sip *s, int64_t now);
/* sluice-cp stopping: every call ends (BYE to both sides of an answered
 * one, 503 to a caller still waiting and CANCEL to its callee), legs
 * deleted; a new INVITE gets 503 from now on. Returns how many await answers to our BYEs; the loop runs on
 * until cp_calls_stopped() or CP_STOP_DRAIN_MS. */
#define CP_STOP_DRAIN_MS 2000
unsigned cp_calls_stop(struct cp_sip *s);
bool cp_calls_stopped(const struct cp_sip *s);
/* Zone i's connection went away: its calls end. */
void cp_calls_zone_lost(struct cp_sip *s, int zone);
/* A call in progress sends over connection `conn` (slot + 1) of
 * generation `gen`: the connection must stay open. */
bool cp_calls_use_conn(const struct cp_sip *s, uint32_t conn, uint32_t gen);
/* cp_dp's idle hook (struct cp_dp.idle_cb): ctx is the struct cp_sip. */
void cp_calls_leg_idle(void *ctx, uint32_t leg_id, uint32_t idle_s,
		       uint64_t cookie);
/* "sip calls [from=N] [max=N]": a page of calls from table slot N. */
void cp_calls_json(const struct cp_sip *s, const char *args, struct jout *j);
void cp_calls_status_json(const struct cp_sip *s, struct jout *j);

#endif /* SL_CP_SIP_CALL_H */
