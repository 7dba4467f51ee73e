/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ras_zone.c — the server side of an H.323 traversal zone (H.460.18
 * between gatekeepers): the traversal client inside the firewall keeps a
 * pinhole to the zone's UDP port open with SCIs, and both sides route
 * calls with LRQ.
 *
 *   traversal client                          Sluice, zone port (6001...)
 *     SCI {genericData 18, cryptoEPPwdHash    ──►  token for the zone's
 *          of the zone's username}                  username? peer = source
 *                                             ◄──  SCR {genericData 18/2
 *                                                   LRQKeepAliveData:
 *                                                   zones[].keepalive s}
 *     ... every lrqKeepAliveInterval ...
 *     LRQ {destinationInfo alice}             ──►  from the peer? alice here?
 *                                             ◄──  LCF {callSignal: our 1720}
 *                                                  | LRJ notRegistered
 *
 * A peer silent for zone_lost_factor keep-alive intervals is marked lost.
 * On the RAS port an LRQ is answered only for a registered endpoint
 * (from its RAS address); neighbour gatekeepers are not configurable yet.
 */
#include <string.h>

#include "h235_pwd.h"
#include "h460.h"
#include "ras_int.h"

/* ---- SCI / SCR ----------------------------------------------------------- */

static void reply_scr(struct ras_service *s, const struct ras_req *r,
		      bool has_result, unsigned result, uint32_t interval)
{
	struct h225_enumerated_parameter param;
	struct h225_generic_data gd;
	struct h225_scr *a = &s->out.u.scr;
	struct per_error err;
	uint8_t raw[16];

	memset(&s->out, 0, sizeof(s->out));
	s->out.tag = H225_RAS_SCR;
	a->request_seq_num = r->m->u.sci.request_seq_num;
	a->has_result = has_result;
	a->result.tag = result;
	if (interval > 0) {
		if (h460_18_build_lrq_keep_alive(&gd, &param, interval, raw,
						 sizeof(raw), &err) < 0) {
			ras_log(s, SL_LOG_ERR, "LRQKeepAliveData: %s",
				err.reason);
			return;
		}
		a->has_generic_data = true;
		a->generic_data.items = &gd;
		a->generic_data.n = 1;
	}
	if (ras_send(s, r->sock, r->from, &s->out) == 0 && interval > 0)
		s->ctr.zone_scr++;
}

static void peer_up(struct ras_service *s, const struct ras_req *r,
		    unsigned zone)
{
	struct ras_zone_peer *p = &s->zones[zone];
	const struct sl_zone *z = &s->cfg->zones[zone];

	if (!p->active || !ras_addr_eq(p->addr, r->from)) {
		ras_log(s, SL_LOG_NOTICE, "traversal zone %s: traversal "
			"client %s %s (user %s, keep-alive every %u s)",
			z->name, p->active ? "moved to" : "up at", r->peer,
			z->username, z->keepalive_s);
		p->since_wall_s = r->now->wall_s;
	}
	p->active = true;
	p->ever = true;
	p->addr = r->from;
	p->last_ms = r->now->mono_ms;
	p->keepalives++;
}

void ras_on_sci(struct ras_service *s, const struct ras_req *r)
{
	const struct h225_sci *q = &r->m->u.sci;
	int zone = ras_sock_zone(s, r->sock);
	enum ras_auth a;

	if (zone < 0 || !ras_has_feature(q->has_feature_set, &q->feature_set,
					 q->has_generic_data, &q->generic_data,
					 H460_FEATURE_SIGNALLING_TRAVERSAL)) {
		/* SCIs come to us only as H.460.18 keep-alives on a zone */
		s->ctr.not_served++;
		reply_scr(s, r, true, H225_SCR_NOT_AVAILABLE, 0);
		return;
	}
	s->ctr.zone_sci++;
	a = ras_authenticate(s, r, q->has_crypto_tokens, &q->crypto_tokens,
			     s->cfg->zones[zone].username, NULL,
			     "traversal-zone SCI");
	if (a != RAS_AUTH_OK) {
		reply_scr(s, r, true, H225_SCR_FAILED, 0);
		return;
	}
	peer_up(s, r, (unsigned)zone);
	reply_scr(s, r, false, 0, s->cfg->zones[zone].keepalive_s);
}

void ras_zones_tick(struct ras_service *s, const struct ras_clock *now)
{
	for (unsigned z = 0; z < s->cfg->n_zones && z < SL_CFG_MAX_ZONES;
	     z++) {
		struct ras_zone_peer *p = &s->zones[z];
		int64_t limit = 1000 * (int64_t)s->cfg->zones[z].keepalive_s *
				s->p.zone_lost_factor;
		char peer[24];

		if (!p->active || now->mono_ms - p->last_ms < limit)
			continue;
		p->active = false;
		ras_addr_format(p->addr, peer, sizeof(peer));
		ras_log(s, SL_LOG_WARNING, "traversal zone %s: traversal "
			"client at %s lost: no keep-alive SCI for %lld s",
			s->cfg->zones[z].name, peer, (long long)(limit / 1000));
	}
}

/* ---- LRQ ----------------------------------------------------------------- */

static void reply_lrj(struct ras_service *s, const struct ras_req *r,
		      unsigned reason)
{
	memset(&s->out, 0, sizeof(s->out));
	s->out.tag = H225_RAS_LRJ;
	s->out.u.lrj.request_seq_num = r->m->u.lrq.request_seq_num;
	s->out.u.lrj.reject_reason.tag = reason;
	s->ctr.lrj++;
	ras_send(s, r->sock, r->from, &s->out);
}

static void reply_lcf(struct ras_service *s, const struct ras_req *r,
		      const struct h225_alias_address *dest)
{
	struct h225_lcf *c = &s->out.u.lcf;

	memset(&s->out, 0, sizeof(s->out));
	s->out.tag = H225_RAS_LCF;
	c->request_seq_num = r->m->u.lrq.request_seq_num;
	/* calls to our endpoints come through us: they may sit behind a
	 * NAT that only lets our own SCI-triggered connections through */
	ras_ta_signal(s, &c->call_signal_address);
	ras_ta_ours(s, r->sock, &c->ras_address);
	c->has_destination_info = true;
	c->destination_info.items = dest;
	c->destination_info.n = 1;
	if (ras_send(s, r->sock, r->from, &s->out) == 0)
		s->ctr.lcf++;
}

/* Whether this LRQ's sender may ask: the zone's live traversal client,
 * or on the RAS port one of our registered endpoints. */
static bool lrq_allowed(struct ras_service *s, const struct ras_req *r)
{
	int zone = ras_sock_zone(s, r->sock);

	if (zone < 0)
		return ras_reg_find_ras(s, r->from) != NULL;
	if (!s->zones[zone].active || !ras_addr_eq(s->zones[zone].addr,
						   r->from))
		return false;
	s->zones[zone].lrqs++;
	return true;
}

void ras_on_lrq(struct ras_service *s, const struct ras_req *r)
{
	const struct h225_lrq *q = &r->m->u.lrq;
	char text[RAS_ALIAS_TEXT_MAX + 1];

	s->ctr.lrq++;
	if (!lrq_allowed(s, r)) {
		ras_log_limited(s, r->now->mono_ms, SL_LOG_NOTICE,
				"LRQ from %s refused: neither the traversal "
				"client of this port nor a registered "
				"endpoint", r->peer);
		reply_lrj(s, r, H225_LRJ_REQUEST_DENIED);
		return;
	}
	for (size_t i = 0; i < q->destination_info.n; i++) {
		const struct h225_alias_address *a =
			&q->destination_info.items[i];

		if (h235_alias_text(a, text, sizeof(text)) == 0 &&
		    ras_reg_find_alias(s, text) != NULL) {
			ras_log(s, SL_LOG_INFO, "LRQ from %s for %s: here "
				"(LCF)", r->peer, text);
			reply_lcf(s, r, a);
			return;
		}
	}
	ras_log(s, SL_LOG_INFO, "LRQ from %s: destination not registered "
		"here (LRJ)", r->peer);
	reply_lrj(s, r, H225_LRJ_NOT_REGISTERED);
}
