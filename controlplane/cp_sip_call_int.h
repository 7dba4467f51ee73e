/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_sip_call_int.h — what the B2BUA's files share (cp_sip_call.c: calls
 * and their transactions; cp_sip_call_media.c: ends, legs and SDP;
 * cp_sip_call_json.c: what operators see).
 */
#ifndef SL_CP_SIP_CALL_INT_H
#define SL_CP_SIP_CALL_INT_H

#include "cp_sip.h"

#define SIDE_A 0                 /* the caller's dialog: we are its UAS */
#define SIDE_B 1                 /* the callee's: we are its UAC */
#define CP_CALL_JSON_MAX  4096   /* one call's JSON at most (8 streams) */

/* The SDP being written for the other side (one message at a time). */
extern char cp_call_sdpbuf[SIP_BODY_MAX];

static inline uint32_t cp_call_slot(const struct cp_sip *s,
				    const struct cp_call *call)
{
	return (uint32_t)(call - s->calls.call);
}

const char *cp_call_state_name(unsigned st);

/* cp_sip_call_media.c */
/* Deletes its legs (or defers them), its ends back to the pools. */
void cp_call_release_media(struct cp_sip *s, struct cp_call *call);
/* The tick: deletes that had to wait for an add's ack. */
void cp_call_deferred_deletes(struct cp_sip *s);
/* The offer side k sent (A's INVITE, or B's 2xx to a late offer): ends
 * taken, the offer for the other side in cp_call_sdpbuf; its length, or 0
 * with *status (488, 503, 500). */
long cp_call_offer_anchor(struct cp_sip *s, struct cp_call *call, int k,
			  const struct sdp *offer, struct sip_str body,
			  unsigned *status);
/* Side k's answer (B's 18x/2xx, or A's ACK to a late offer): legs added,
 * the answer for the other side in cp_call_sdpbuf; its length, -1 when
 * unusable, -2 when the legs were refused. */
long cp_call_answer_anchor(struct cp_sip *s, struct cp_call *call, int k,
			   const struct sdp *ans, struct sip_str body);
/* An answer refusing every stream of the offer in `offer` (the ACK owed
 * to a late offer we cannot take), in cp_call_sdpbuf; its length, 0 when
 * the offer does not parse. */
long cp_call_refusal(struct cp_sip *s, struct sip_str offer);
/* Side k's description in a re-INVITE or its answer, for the other side;
 * 0 when it cannot be (a new stream, no multiplexID over a zone). What k
 * names is recorded: cp_call_remotes_save/restore keep the session's
 * while the re-offer may still be refused. */
long cp_call_sdp_for_other(struct cp_sip *s, struct cp_call *call, int k,
			   const struct sdp *d, struct sip_str body);
void cp_call_remotes_save(const struct cp_call *call,
			  struct cp_call_remote was[][2]);
void cp_call_remotes_restore(struct cp_call *call,
			     const struct cp_call_remote was[][2]);
/* An accepted re-offer: the PORT legs facing a side whose address moved
 * (sdp_dest_moved) follow it (LEG_MOD, latched afresh). */
void cp_call_media_follow(struct cp_sip *s, struct cp_call *call,
			  const struct cp_call_remote was[][2]);
/* The tick: a follow that found its leg busy, again. */
void cp_call_media_follow_retry(struct cp_sip *s, struct cp_call *call);

#endif /* SL_CP_SIP_CALL_INT_H */
