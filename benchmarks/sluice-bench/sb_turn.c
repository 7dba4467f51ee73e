/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sb_turn.c — sluice-bench as a TURN client (RFC 8656) for its TURN flows,
 * on the main lcore before any trial, through the same port as the media:
 *
 *   flow 0:   Allocate, no credentials ──► 401 + REALM + NONCE
 *   each flow (at most 64 transactions in flight, 300 ms retransmit, 5 tries):
 *     Allocate (USERNAME, REALM, NONCE, MESSAGE-INTEGRITY, FINGERPRINT)
 *       ──► XOR-RELAYED-ADDRESS: the relay port the flow's frames leave from
 *     turn-cd:   ChannelBind (the flow's channel, B as XOR-PEER-ADDRESS)
 *     turn-send: CreatePermission (B)
 *   at the end: Refresh with LIFETIME 0 (the allocation goes)
 *
 * A 438 (stale nonce) takes the new nonce and retries; so does a first 401
 * with a NONCE on a later flow, since a server may bind its nonces to the
 * client's address and port (sluice-dp does): the flow keeps its own. The transaction id
 * says which flow and step an answer belongs to:
 *   "SB" | step | try | flow (32 bit) | run (32 bit)
 * No answer at all from the TURN port means no TURN server there (a
 * sluice-dp with turn.enabled false counts the frames as
 * drops.turn_disabled): the flows stay not ready and the report says so;
 * nothing is invented.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "sb_gen.h"
#include "sb_stun.h"

#define WINDOW      64
#define RETRY_MS    300
#define TRIES       5

enum step { S_PROBE, S_ALLOC, S_BIND, S_REFRESH0, S_DONE, S_FAILED };

struct tflow {
	uint8_t step;
	uint8_t tries;
	bool inflight;
	bool challenged;        /* took a nonce from a 401 of its own */
	uint64_t sent_tsc;
	char nonce[64];         /* its own nonce; "" uses the probe's */
};

struct tctx {
	struct sb_gen *g;
	struct tflow *tf;
	uint32_t *idx;          /* TURN flows' indices in the plan */
	unsigned n;
	uint8_t key[16];
	char realm[128], nonce[256];
	unsigned inflight;
	bool probing;           /* stop once flow 0 has its answer */
	struct sb_turn_status *st;
};

static void
txid_make(uint8_t txid[12], unsigned step, unsigned try_, uint32_t flow,
	  uint32_t run)
{
	txid[0] = 'S';
	txid[1] = 'B';
	txid[2] = (uint8_t)step;
	txid[3] = (uint8_t)try_;
	memcpy(txid + 4, &flow, 4);
	memcpy(txid + 8, &run, 4);
}

static void
auth_add(struct tctx *c, const struct tflow *t, struct stun_msg *m)
{
	const char *u = c->g->o->turn_user;
	const char *nonce = t->nonce[0] ? t->nonce : c->nonce;

	stun_attr(m, STUN_A_USERNAME, u, strlen(u));
	stun_attr(m, STUN_A_REALM, c->realm, strlen(c->realm));
	stun_attr(m, STUN_A_NONCE, nonce, strlen(nonce));
}

/* Sends flow k's request for its step; false when the port took nothing. */
static bool
send_step(struct tctx *c, unsigned k)
{
	struct sb_gen *g = c->g;
	const struct sb_flow *f = &g->plan.flows[c->idx[k]];
	struct tflow *t = &c->tf[k];
	struct stun_msg m;
	struct sb_addrs a;
	struct rte_mbuf *mb;
	uint8_t txid[12];
	size_t len;

	txid_make(txid, t->step, t->tries, c->idx[k], g->run);
	switch (t->step) {
	case S_PROBE:
	case S_ALLOC:
		stun_begin(&m, STUN_ALLOCATE | STUN_CLASS_REQUEST, txid);
		stun_attr_u32(&m, STUN_A_REQUESTED_TRANSPORT, 17u << 24);
		if (t->step == S_ALLOC)
			auth_add(c, t, &m);
		stun_finish(&m, t->step == S_ALLOC ? c->key : NULL);
		break;
	case S_BIND:
		if (f->path == SB_TURN_CD) {
			stun_begin(&m, STUN_CHANNEL_BIND | STUN_CLASS_REQUEST,
				   txid);
			stun_attr_u32(&m, STUN_A_CHANNEL_NUMBER,
				      (uint32_t)f->channel << 16);
		} else {
			stun_begin(&m, STUN_CREATE_PERMISSION |
				   STUN_CLASS_REQUEST, txid);
		}
		stun_attr_xor_addr(&m, STUN_A_XOR_PEER_ADDRESS, f->b_ip,
				   f->b_port);
		auth_add(c, t, &m);
		stun_finish(&m, c->key);
		break;
	case S_REFRESH0:
		stun_begin(&m, STUN_REFRESH | STUN_CLASS_REQUEST, txid);
		stun_attr_u32(&m, STUN_A_LIFETIME, 0);
		auth_add(c, t, &m);
		stun_finish(&m, c->key);
		break;
	default:
		return true;
	}
	memset(&a, 0, sizeof(a));
	memcpy(a.dst_mac, g->relay_mac.addr_bytes, 6);
	memcpy(a.src_mac, g->mac.addr_bytes, 6);
	a.src_ip = f->a_ip;
	a.dst_ip = g->o->relay_ip;
	a.sport = f->a_port;
	a.dport = g->o->turn_port;
	mb = rte_pktmbuf_alloc(g->pool);
	if (mb == NULL)
		return false;
	len = sb_udp_frame(rte_pktmbuf_mtod(mb, uint8_t *), &a, m.buf, m.len);
	mb->data_len = mb->pkt_len = (uint16_t)len;
	if (rte_eth_tx_burst(g->port, 0, &mb, 1) != 1) {
		rte_pktmbuf_free(mb);
		return false;
	}
	if (!t->inflight)
		c->inflight++;
	t->inflight = true;
	t->sent_tsc = rte_rdtsc();
	return true;
}

static void
fail(struct tctx *c, unsigned k, const char *why)
{
	struct tflow *t = &c->tf[k];

	if (t->inflight)
		c->inflight--;
	t->inflight = false;
	t->step = S_FAILED;
	c->st->failed++;
	if (c->st->note[0] == '\0')
		snprintf(c->st->note, sizeof(c->st->note), "%s", why);
}

/* One answer: advances its flow. */
static void
answer(struct tctx *c, const struct stun_answer *ans)
{
	struct sb_gen *g = c->g;
	uint32_t flow, run;
	unsigned k, cls = ans->type & STUN_CLASS_MASK;
	struct tflow *t;
	char why[128];

	if (ans->txid[0] != 'S' || ans->txid[1] != 'B')
		return;
	memcpy(&flow, ans->txid + 4, 4);
	memcpy(&run, ans->txid + 8, 4);
	if (run != g->run || flow >= g->plan.n_flows)
		return;
	for (k = 0; k < c->n && c->idx[k] != flow; k++)
		;
	if (k == c->n)
		return;
	t = &c->tf[k];
	if (!t->inflight || ans->txid[2] != t->step)
		return;      /* a duplicate answer of an earlier try */
	c->st->server_answered = true;
	t->inflight = false;
	c->inflight--;
	if (t->step == S_PROBE) {
		if (cls == STUN_CLASS_ERROR && ans->error == 401 &&
		    ans->realm[0] && ans->nonce[0]) {
			snprintf(c->realm, sizeof(c->realm), "%s", ans->realm);
			snprintf(c->nonce, sizeof(c->nonce), "%s", ans->nonce);
			if (stun_lt_key(g->o->turn_user, c->realm,
					g->o->turn_pass, c->key, NULL) != 0) {
				fail(c, k, "credentials too long");
				return;
			}
			t->step = S_ALLOC;
			t->tries = 0;
		} else if (ans->error == 437) {
			fail(c, k, "437 allocation mismatch: an allocation of "
			     "these client addresses still exists (a run just "
			     "before? wait, or use --a-port-base)");
		} else {
			snprintf(why, sizeof(why), "the TURN server answered "
				 "the first Allocate with %u, not 401 and a "
				 "nonce", ans->error ? ans->error : cls);
			fail(c, k, why);
		}
		return;
	}
	if (cls == STUN_CLASS_ERROR && ans->nonce[0] &&
	    strlen(ans->nonce) < sizeof(t->nonce) &&
	    (ans->error == 438 || (ans->error == 401 && !t->challenged))) {
		/* stale, or the probe's nonce is not this flow's: once */
		memcpy(t->nonce, ans->nonce, strlen(ans->nonce) + 1);
		t->challenged |= ans->error == 401;
		t->tries = 0;          /* resent with the new nonce */
		return;
	}
	if (cls != STUN_CLASS_SUCCESS) {
		snprintf(why, sizeof(why), "TURN request refused: error %u",
			 ans->error);
		fail(c, k, why);
		return;
	}
	switch (t->step) {
	case S_ALLOC:
		if (!ans->have_relayed) {
			fail(c, k, "Allocate success without "
			     "XOR-RELAYED-ADDRESS");
			return;
		}
		g->turn_relay_port[flow] = ans->relayed_port;
		g->plan.flows[flow].out_port = ans->relayed_port;
		c->st->allocated++;
		t->step = S_BIND;
		t->tries = 0;
		break;
	case S_BIND:
		g->plan.flows[flow].ready = 1;
		c->st->ready++;
		t->step = S_DONE;
		break;
	case S_REFRESH0:
		t->step = S_DONE;
		break;
	default:
		break;
	}
}

static void
rx_poll(struct tctx *c)
{
	struct sb_gen *g = c->g;
	struct rte_mbuf *ms[SB_BURST];
	struct stun_answer ans;
	uint16_t n, i;
	unsigned q;

	for (q = 0; q < g->o->queues; q++) {
		n = rte_eth_rx_burst(g->port, (uint16_t)q, ms, SB_BURST);
		for (i = 0; i < n; i++) {
			const uint8_t *e = rte_pktmbuf_mtod(ms[i],
							    const uint8_t *);
			const uint8_t *pl;
			size_t plen;

			if (ms[i]->data_len > 13 && e[12] == 0x08 &&
			    e[13] == 0x06 && sb_arp_answer(g, ms[i])) {
				if (rte_eth_tx_burst(g->port, 0, &ms[i], 1) != 1)
					rte_pktmbuf_free(ms[i]);
				continue;
			}
			pl = sb_udp_payload(e, ms[i]->data_len, &plen);
			if (pl != NULL && stun_parse(pl, plen, &ans))
				answer(c, &ans);
			rte_pktmbuf_free(ms[i]);
		}
	}
}

/* Drives every TURN flow in `steps` to S_DONE or S_FAILED, or until the
 * deadline. */
static void
run_steps(struct tctx *c, double seconds)
{
	struct sb_gen *g = c->g;
	uint64_t hz = g->hz, retry = hz * RETRY_MS / 1000;
	uint64_t end = rte_rdtsc() + (uint64_t)(seconds * (double)hz);
	unsigned k, busy;

	do {
		busy = 0;
		for (k = 0; k < c->n; k++) {
			struct tflow *t = &c->tf[k];

			if (t->step == S_DONE || t->step == S_FAILED)
				continue;
			busy++;
			if (t->inflight && rte_rdtsc() - t->sent_tsc < retry)
				continue;
			if (!t->inflight && c->inflight >= WINDOW)
				continue;
			if (t->tries >= TRIES) {
				if (t->inflight)
					c->inflight--;
				t->inflight = false;
				t->step = S_FAILED;
				c->st->failed++;
				continue;
			}
			t->tries++;
			send_step(c, k);
		}
		rx_poll(c);
		if (c->probing && c->tf[0].step != S_PROBE)
			break;
	} while (busy && rte_rdtsc() < end && !g->quit);
}

static struct tctx tc;

void
sb_turn_setup(struct sb_gen *g, struct sb_turn_status *st)
{
	uint64_t t0 = rte_rdtsc();
	uint32_t i;
	unsigned k;

	memset(st, 0, sizeof(*st));
	memset(&tc, 0, sizeof(tc));
	tc.g = g;
	tc.st = st;
	g->turn_relay_port = calloc(g->plan.n_flows, sizeof(uint16_t));
	tc.idx = calloc(g->plan.n_flows, sizeof(uint32_t));
	tc.tf = calloc(g->plan.n_flows, sizeof(struct tflow));
	if (g->turn_relay_port == NULL || tc.idx == NULL || tc.tf == NULL) {
		snprintf(st->note, sizeof(st->note), "out of memory");
		return;
	}
	for (i = 0; i < g->plan.n_flows; i++)
		if (sb_paths[g->plan.flows[i].path].turn)
			tc.idx[tc.n++] = i;
	st->flows = tc.n;
	if (tc.n == 0)
		return;
	g->run++;
	/* the first flow learns realm and nonce for all */
	tc.tf[0].step = S_PROBE;
	for (k = 1; k < tc.n; k++)
		tc.tf[k].step = S_DONE;   /* parked until the probe is answered */
	tc.probing = true;
	run_steps(&tc, 3.0);
	tc.probing = false;
	if (tc.tf[0].step != S_ALLOC) {
		if (!st->server_answered)
			snprintf(st->note, sizeof(st->note), "no TURN server "
				 "answered on UDP %u (an Allocate, 5 tries)",
				 g->o->turn_port);
		st->seconds = (double)(rte_rdtsc() - t0) / (double)g->hz;
		return;
	}
	st->failed = 0;
	for (k = 1; k < tc.n; k++)
		tc.tf[k].step = S_ALLOC;
	run_steps(&tc, 10.0 + tc.n / 500.0);
	st->seconds = (double)(rte_rdtsc() - t0) / (double)g->hz;
	if (st->ready < st->flows && st->note[0] == '\0')
		snprintf(st->note, sizeof(st->note), "%u of %u TURN flows set "
			 "up (allocation, then channel or permission)",
			 st->ready, st->flows);
}

void
sb_turn_teardown(struct sb_gen *g)
{
	unsigned k, n = 0;

	if (tc.tf == NULL || tc.g != g)
		return;
	for (k = 0; k < tc.n; k++) {
		struct tflow *t = &tc.tf[k];

		if (g->turn_relay_port[tc.idx[k]] == 0) {
			t->step = S_DONE;
			continue;
		}
		t->step = S_REFRESH0;
		t->tries = 0;
		t->inflight = false;
		n++;
	}
	tc.inflight = 0;
	if (n)
		run_steps(&tc, 2.0);
	free(tc.tf);
	free(tc.idx);
	tc.tf = NULL;
	tc.idx = NULL;
}
