/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_sip_call_media.c — a call's media: our ends (port pairs facing a
 * public side, multiplexIDs on a demultiplexing pair facing a zone), the
 * two peered dataplane legs per answered stream, and the SDP each side
 * gets with our ends in it. See cp_sip_call.h and docs/sip.md §7.
 *
 *   offer from A ─► ends taken for A and B ─► offer to B (our B ends)
 *   answer from B ─► legs added (PORT/MUX, peered) ─► answer to A (our A ends)
 *   (late offer: the same with B's 2xx as the offer, A's ACK as the answer)
 *   re-offer accepted ─► a PORT leg whose endpoint moved follows it
 *              (LEG_MOD naming the new address, latched afresh)
 *   release ─► legs deleted (or at the next tick while an add awaits its
 *              ack) ─► ends back to their pools once the legs are gone
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cp_dp.h"
#include "cp_log.h"
#include "cp_sip_call_int.h"

char cp_call_sdpbuf[SIP_BODY_MAX];

static uint32_t media_ip(const struct cp_sip *s)
{
	const struct sl_iface *i = &s->cfg->ifaces[0];

	return i->has_public_address ? i->public_address : i->address;
}

/* A pair or multiplexID back to its pool. */
static void end_put(struct cp_sip *s, uint16_t port, uint32_t mux)
{
	if (mux != 0)
		sip_mux_id_put(&s->calls.mux, mux);
	else if (port != 0)
		sip_port_pair_put(&s->calls.pairs, port);
}

/* Deletes a leg; true when it is gone (or was never known). A leg whose
 * add awaits its ack (EBUSY), or a dataplane being reconciled (EAGAIN),
 * is tried again at the tick: its port or ID stays taken until then, so
 * no new leg can claim it first. */
static bool leg_delete(struct cp_sip *s, uint32_t leg)
{
	char err[256];

	if (cp_dp_leg_del(s->dp, leg, (struct cp_dp_owner){ 0, 0 }, err,
			  sizeof(err)) == 0) {
		s->calls.c.legs_deleted++;
		return true;
	}
	if (errno == EBUSY || errno == EAGAIN)
		return false;
	s->calls.c.leg_errors++;
	CP_WARNING("SIP call: leg %u not deleted: %s", leg, err);
	return true;
}

static void leg_release(struct cp_sip *s, uint32_t leg, uint16_t port,
			uint32_t mux)
{
	struct cp_calls *t = &s->calls;

	if (leg == 0 || leg_delete(s, leg)) {
		end_put(s, port, mux);
		return;
	}
	if (t->n_defer == t->cap_defer) {   /* cannot happen: sized for all */
		t->c.leg_errors++;
		CP_WARNING("SIP call: leg %u left: the retry list is full", leg);
		return;
	}
	t->defer[t->n_defer++] = (struct cp_call_defer){ leg, port, mux };
}

/* The tick: deletes that had to wait. */
void cp_call_deferred_deletes(struct cp_sip *s)
{
	struct cp_calls *t = &s->calls;
	uint32_t i = 0;

	while (i < t->n_defer) {
		struct cp_call_defer *d = &t->defer[i];

		if (!leg_delete(s, d->leg)) {
			i++;
			continue;
		}
		end_put(s, d->port, d->mux);
		*d = t->defer[--t->n_defer];
	}
}

static void stream_release(struct cp_sip *s, struct cp_call_stream *st)
{
	for (int k = 0; k < 2; k++)
		if (st->anchored || st->leg[k] != 0)
			leg_release(s, st->programmed ? st->leg[k] : 0,
				    st->anchored ? st->port[k] : 0,
				    st->anchored ? st->mux_rx[k] : 0);
	memset(st, 0, sizeof(*st));
}

void cp_call_release_media(struct cp_sip *s, struct cp_call *call)
{
	for (unsigned i = 0; i < call->n_st; i++)
		stream_release(s, &call->st[i]);
}

/* Our end of one stream facing side k: a pair, or a multiplexID on the
 * first demultiplexing pair. */
static bool stream_take(struct cp_sip *s, struct cp_call *call,
			struct cp_call_stream *st, int k)
{
	if (call->side[k].kind == CP_SIDE_ZONE) {
		unsigned pairs = s->cfg->media.demux_pairs ?
				 s->cfg->media.demux_pairs : 1;

		/* Large has six pairs: the IDs spread calls over them (RSS
		 * then spreads the pairs over the workers) */
		st->mux_rx[k] = sip_mux_id_get(&s->calls.mux);
		st->port[k] = (uint16_t)(s->cfg->media.demux_rtp_port +
					 2 * (st->mux_rx[k] % pairs));
		return st->mux_rx[k] != 0;
	}
	st->port[k] = sip_port_pair_get(&s->calls.pairs);
	return st->port[k] != 0;
}

static void stream_remote(struct cp_call_stream *st, int k,
			  const struct sdp_media *md)
{
	st->r_ip[k] = md->conn.ipv4 ? md->conn.ip : 0;
	st->r_port[k] = md->port;
	st->r_rtcp[k] = md->has_rtcp ? md->rtcp_port : 0;
	st->r_mux[k] = md->mux_id;
	st->r_rtcp_mux[k] = md->rtcp_mux;
}

static void leg_spec(const struct cp_sip *s, const struct cp_call *call,
		     const struct cp_call_stream *st, int k,
		     struct sl_leg_spec *sp)
{
	bool zone = call->side[k].kind == CP_SIDE_ZONE;

	memset(sp, 0, sizeof(*sp));
	sp->leg_id = st->leg[k];
	sp->peer_leg_id = st->leg[!k];
	sp->kind = zone ? SL_LEG_MUX : SL_LEG_PORT;
	sp->iface = 0;
	sp->latch = SL_LATCH_ONCE;   /* symmetric RTP: the first source wins */
	sp->local_port = st->port[k];
	if (st->r_ip[k] != 0 && st->r_port[k] != 0) {
		sp->flags |= SL_LEG_F_REMOTE_KNOWN;
		sp->remote_addr = st->r_ip[k];
		sp->remote_port = st->r_port[k];
	}
	if (!zone && st->r_rtcp_mux[0] && st->r_rtcp_mux[1])
		sp->flags |= SL_LEG_F_RTCP_MUX;
	else if (!zone && st->r_rtcp[k] != 0 && st->r_ip[k] != 0) {
		sp->flags |= SL_LEG_F_RTCP_KNOWN;
		sp->rtcp_remote_addr = st->r_ip[k];
		sp->rtcp_remote_port = st->r_rtcp[k];
	}
	if (zone) {
		sp->mux_id_rx = st->mux_rx[k];
		sp->mux_id_tx = st->r_mux[k];
	}
	sp->idle_timeout_s = (uint16_t)s->cfg->sip.media_timeout_s;
	sp->cookie = cp_leg_cookie(CP_LEG_OWNER_SIP,
				   (uint32_t)call->created_wall);
}

/* Two peered legs for an answered stream; false when the dataplane
 * client refused either (nothing is left behind). */
static bool stream_program(struct cp_sip *s, struct cp_call *call,
			   struct cp_call_stream *st)
{
	uint32_t limit = cp_dp_leg_limit(s->dp);
	struct sl_leg_spec sp;
	char err[256];

	st->leg[0] = cp_legs_alloc_id(&s->dp->legs, limit);
	st->leg[1] = cp_legs_alloc_id(&s->dp->legs, limit);
	if (st->leg[0] == 0 || st->leg[1] == 0 || st->leg[0] == st->leg[1]) {
		snprintf(err, sizeof(err), "no free leg id");
		goto fail;
	}
	for (int k = 0; k < 2; k++) {
		leg_spec(s, call, st, k, &sp);
		if (cp_dp_leg_add(s->dp, &sp, (struct cp_dp_owner){ 0, 0 }, err,
				  sizeof(err)) != 0) {
			if (k == 1) {
				st->leg[1] = 0;   /* not added */
				st->programmed = true;   /* delete leg 0 */
			}
			goto fail;
		}
		s->calls.c.legs_added++;
	}
	st->programmed = true;
	return true;
fail:
	s->calls.c.leg_errors++;
	CP_WARNING("SIP call %s: media legs refused: %s",
		   call->side[SIDE_A].call_id, err);
	if (!st->programmed)
		st->leg[0] = st->leg[1] = 0;
	return false;
}

/* ICE passthrough: the description goes on as it came. */
static long copy_body(struct sip_str body)
{
	if (body.len > sizeof(cp_call_sdpbuf))
		return -1;
	memcpy(cp_call_sdpbuf, body.p, body.len);
	return (long)body.len;
}

/* The offer from side k (A's INVITE; B's 2xx to a late offer): our
 * resources per active stream, and the offer to the other side in
 * cp_call_sdpbuf. Returns its length, 0 with *status for a refusal. */
long cp_call_offer_anchor(struct cp_sip *s, struct cp_call *call, int k,
			  const struct sdp *offer, struct sip_str body,
			  unsigned *status)
{
	struct sdp_rewrite rw = { .ip = media_ip(s), .strip_ice = true };
	long n;

	call->n_st = offer->n_media;
	call->offer_ice = sdp_all_ice(offer) &&
			  call->side[SIDE_A].kind == CP_SIDE_PUBLIC &&
			  call->side[SIDE_B].kind == CP_SIDE_PUBLIC;
	for (unsigned i = 0; i < offer->n_media; i++) {
		const struct sdp_media *md = &offer->media[i];
		struct cp_call_stream *st = &call->st[i];

		if (md->port == 0 || call->offer_ice)
			continue;
		if (!md->conn.ipv4 ||
		    (call->side[k].kind == CP_SIDE_ZONE && md->mux_id == 0)) {
			*status = 488;
			return 0;
		}
		stream_remote(st, k, md);
		st->anchored = true;
		if (!stream_take(s, call, st, SIDE_A) ||
		    !stream_take(s, call, st, SIDE_B)) {
			*status = 503;
			return 0;
		}
		rw.rtp_port[i] = st->port[!k];
		rw.mux_id[i] = st->mux_rx[!k];
	}
	if (call->offer_ice)
		return copy_body(body);
	n = sdp_rewrite(offer, &rw, cp_call_sdpbuf, sizeof(cp_call_sdpbuf));
	if (n < 0)
		*status = 500;
	return n < 0 ? 0 : n;
}

/* Side k's answer (B's 18x or 2xx; A's ACK to a late offer): legs for
 * each stream it accepted, the answer to the other side in
 * cp_call_sdpbuf. Returns its length, -1 when unusable, -2 when the
 * dataplane client refused the legs. */
long cp_call_answer_anchor(struct cp_sip *s, struct cp_call *call, int k,
			   const struct sdp *ans, struct sip_str body)
{
	struct sdp_rewrite rw = { .ip = media_ip(s), .strip_ice = true };

	if (ans->n_media != call->n_st)
		return -1;   /* RFC 3264 §6: one m= line per offered one */
	if (call->offer_ice) {
		bool was = call->ice_passthrough;

		call->ice_passthrough = sdp_all_ice(ans);
		if (call->ice_passthrough && !was)
			s->calls.c.ice_passthrough++;
		else
			CP_NOTICE("SIP call %s: ICE offer answered without ICE: "
				  "media goes unanchored",
				  call->side[SIDE_A].call_id);
		return copy_body(body);
	}
	for (unsigned i = 0; i < ans->n_media; i++) {
		const struct sdp_media *md = &ans->media[i];
		struct cp_call_stream *st = &call->st[i];

		if (!st->anchored)
			continue;
		if (md->port == 0) {   /* refused: nothing to relay */
			stream_release(s, st);
			continue;
		}
		if (!md->conn.ipv4 ||
		    (call->side[k].kind == CP_SIDE_ZONE && md->mux_id == 0))
			return -1;
		stream_remote(st, k, md);
		if (!st->programmed && !stream_program(s, call, st))
			return -2;
		rw.rtp_port[i] = st->port[!k];
		rw.mux_id[i] = st->mux_rx[!k];
	}
	return sdp_rewrite(ans, &rw, cp_call_sdpbuf, sizeof(cp_call_sdpbuf));
}

long cp_call_refusal(struct cp_sip *s, struct sip_str offer)
{
	static struct sdp d;
	long n;

	if (offer.len == 0 || sdp_parse(&d, offer) != 0)
		return 0;
	n = sdp_write_refusal(&d, media_ip(s), cp_call_sdpbuf,
			      sizeof(cp_call_sdpbuf));
	return n < 0 ? 0 : n;
}

/* Side k's description in a re-INVITE or its answer, for the other side,
 * in cp_call_sdpbuf: the call's own ends again (no stream can be added;
 * what k now names is recorded, the legs keep what they latched).
 * 0: refused. */
long cp_call_sdp_for_other(struct cp_sip *s, struct cp_call *call, int k,
			   const struct sdp *d, struct sip_str body)
{
	struct sdp_rewrite rw = { .ip = media_ip(s), .strip_ice = true };
	long n;

	if (d->n_media != call->n_st)
		return 0;
	if (call->offer_ice)
		return copy_body(body);
	for (unsigned i = 0; i < d->n_media; i++) {
		const struct sdp_media *md = &d->media[i];
		struct cp_call_stream *st = &call->st[i];

		if (!st->anchored) {
			if (md->port != 0)
				return 0;
			continue;
		}
		if (md->port != 0) {
			if (!md->conn.ipv4 || (call->side[k].kind == CP_SIDE_ZONE &&
					       md->mux_id == 0))
				return 0;
			stream_remote(st, k, md);
		}
		rw.rtp_port[i] = st->port[!k];
		rw.mux_id[i] = st->mux_rx[!k];
	}
	n = sdp_rewrite(d, &rw, cp_call_sdpbuf, sizeof(cp_call_sdpbuf));
	return n < 0 ? 0 : n;
}


void cp_call_remotes_save(const struct cp_call *call,
			  struct cp_call_remote was[][2])
{
	for (unsigned i = 0; i < call->n_st; i++)
		for (int k = 0; k < 2; k++) {
			const struct cp_call_stream *st = &call->st[i];

			was[i][k] = (struct cp_call_remote){
				.ip = st->r_ip[k], .mux = st->r_mux[k],
				.port = st->r_port[k], .rtcp = st->r_rtcp[k],
				.rtcp_mux = st->r_rtcp_mux[k],
			};
		}
}

void cp_call_remotes_restore(struct cp_call *call,
			     const struct cp_call_remote was[][2])
{
	for (unsigned i = 0; i < call->n_st; i++)
		for (int k = 0; k < 2; k++) {
			struct cp_call_stream *st = &call->st[i];

			st->r_ip[k] = was[i][k].ip;
			st->r_mux[k] = was[i][k].mux;
			st->r_port[k] = was[i][k].port;
			st->r_rtcp[k] = was[i][k].rtcp;
			st->r_rtcp_mux[k] = was[i][k].rtcp_mux;
		}
}

/* The leg facing side k sends to k's address now: its remotes named
 * (RTCP too, so a latched RTCP source is not kept) and latched afresh.
 * False while the leg has a command out (EBUSY): the tick tries again. */
static bool leg_follow(struct cp_sip *s, struct cp_call *call,
		       struct cp_call_stream *st, int k)
{
	struct sl_leg_spec sp;
	char err[256];

	leg_spec(s, call, st, k, &sp);
	if (!(sp.flags & SL_LEG_F_RTCP_KNOWN) &&
	    ((sp.flags & SL_LEG_F_RTCP_MUX) || st->r_port[k] != UINT16_MAX)) {
		sp.flags |= SL_LEG_F_RTCP_KNOWN;
		sp.rtcp_remote_addr = st->r_ip[k];
		sp.rtcp_remote_port = (sp.flags & SL_LEG_F_RTCP_MUX) ?
				      st->r_port[k] : (uint16_t)(st->r_port[k] + 1);
	}
	if (cp_dp_leg_relatch(s->dp, &sp, (struct cp_dp_owner){ 0, 0 }, err,
			      sizeof(err)) == 0) {
		char ip[INET_ADDRSTRLEN];

		s->calls.c.legs_moved++;
		inet_ntop(AF_INET, &st->r_ip[k], ip, sizeof(ip));
		CP_INFO("SIP call %s: leg %u follows the %s to %s:%u",
			call->side[SIDE_A].call_id, st->leg[k],
			k == SIDE_A ? "caller" : "callee", ip, st->r_port[k]);
		return true;
	}
	if (errno == EBUSY)
		return false;
	s->calls.c.leg_errors++;
	CP_WARNING("SIP call %s: leg %u cannot follow the moved media: %s",
		   call->side[SIDE_A].call_id, st->leg[k], err);
	return true;
}

void cp_call_media_follow(struct cp_sip *s, struct cp_call *call,
			  const struct cp_call_remote was[][2])
{
	for (unsigned i = 0; i < call->n_st; i++) {
		struct cp_call_stream *st = &call->st[i];

		if (!st->programmed)
			continue;
		for (int k = 0; k < 2; k++) {
			struct sdp_dest a = { was[i][k].ip, was[i][k].port,
					      was[i][k].rtcp };
			struct sdp_dest b = { st->r_ip[k], st->r_port[k],
					      st->r_rtcp[k] };

			/* a zone side keeps its demux pair and multiplexID:
			 * only an endpoint's media moves */
			if (call->side[k].kind == CP_SIDE_PUBLIC &&
			    st->leg[k] != 0 && sdp_dest_moved(&a, &b))
				st->follow_due |= (uint8_t)(1u << k);
		}
	}
	cp_call_media_follow_retry(s, call);
}

void cp_call_media_follow_retry(struct cp_sip *s, struct cp_call *call)
{
	for (unsigned i = 0; i < call->n_st; i++) {
		struct cp_call_stream *st = &call->st[i];

		for (int k = 0; k < 2; k++)
			if ((st->follow_due & (1u << k)) &&
			    leg_follow(s, call, st, k))
				st->follow_due &= (uint8_t)~(1u << k);
	}
}
