/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sb_traffic.c — the traffic lcore: one trial is a TSC-paced TX loop with
 * RX polled in between, then a drain.
 *
 *   t0 ─────────── TX (rate × t packets due at t) ─────────── t0+S ── drain ─┐
 *      each loop: build the due burst (≤ 32) → tx_burst → rx_burst → account │
 *                                     quiet for 20 ms, or drain_ms, ─────────┘
 *
 * TX: a frame is the path's template with the flow's fields written in
 * (source address and port, relay port, multiplexID / channel / peer, RTP
 * sequence, timestamp and SSRC, the stamp) and both checksums redone.
 * Flows take turns (round robin), spread over the TX queues by index.
 * What tx_burst refuses is freed and counted `refused`: on a NIC those
 * frames would have been dropped at the relay's full RX ring, so they are
 * offered load and loss, never retried (retrying would slow the offered
 * rate down to what the relay takes and hide the loss).
 *
 * RX: a frame counts when the stamp at the end of its UDP payload carries
 * this trial's run number. It is checked against what the relay should have
 * made of it (addresses, ports, multiplexID or none, length): a mismatch is
 * `bad`. Latency = RX TSC - the stamp's TX TSC (same TSC: same machine).
 * ARP requests for the emulated hosts are answered on the spot.
 */
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_pause.h>
#include <rte_udp.h>

#include "sb_gen.h"

#define QUIET_MS 20.0

/* --- templates ------------------------------------------------------------ */

void
sb_templates_build(struct sb_gen *g)
{
	const struct sb_opts *o = g->o;
	struct sb_stamp st = { .magic = SB_STAMP_MAGIC };
	struct sb_encap_args ea;
	struct sb_addrs a;
	unsigned p;

	memset(&a, 0, sizeof(a));
	memcpy(a.dst_mac, g->relay_mac.addr_bytes, 6);
	memcpy(a.src_mac, g->mac.addr_bytes, 6);
	a.dst_ip = o->relay_ip;
	for (p = 0; p < SB_PATH_MAX; p++) {
		size_t rtp;

		memset(&ea, 0, sizeof(ea));
		ea.encap = sb_paths[p].in;
		g->tmpl_len[p] = (uint16_t)sb_frame_build(g->tmpl[p], o->frame,
							  &a, &ea, 0, 0, 0,
							  &st);
		rtp = sb_rtp_len(ea.encap, o->frame);
		g->in_len[p] = (uint16_t)(rtp + sb_encap_prefix_len(ea.encap));
		g->out_len[p] = (uint16_t)(rtp +
					   (sb_paths[p].out_mux ? SB_MUX_LEN : 0));
	}
}

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* One frame of flow f into m. */
static inline void
tx_fill(const struct sb_gen *g, struct rte_mbuf *m, struct sb_flow *f,
	uint32_t fi, uint32_t run)
{
	uint16_t len = g->tmpl_len[f->path];
	uint8_t *e = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(e + SB_ETH_LEN);
	struct rte_udp_hdr *uh = (struct rte_udp_hdr *)(ip + 1);
	uint8_t *pl = (uint8_t *)(uh + 1), *rtp;
	struct sb_stamp st;
	uint32_t seq = f->tx_seq++;

	rte_memcpy(e, g->tmpl[f->path], len);
	ip->src_addr = f->a_ip;
	uh->src_port = rte_cpu_to_be_16(f->a_port);
	uh->dst_port = rte_cpu_to_be_16(f->in_port);
	switch (sb_paths[f->path].in) {
	case SB_ENCAP_MUX:
		put32(pl, f->mux_in);
		break;
	case SB_ENCAP_CDATA:
		put16(pl, f->channel);
		break;
	case SB_ENCAP_SEND:
		/* transaction id: flow and sequence, unique per packet */
		put32(pl + 8, fi);
		put32(pl + 12, seq);
		put32(pl + 16, run);
		put16(pl + 26, (uint16_t)(f->b_port ^ (SB_STUN_COOKIE >> 16)));
		put32(pl + 28, rte_be_to_cpu_32(f->b_ip) ^ SB_STUN_COOKIE);
		break;
	default:
		break;
	}
	rtp = pl + sb_encap_prefix_len(sb_paths[f->path].in);
	put16(rtp + 2, (uint16_t)seq);
	put32(rtp + 4, seq * SB_RTP_TS_STEP);
	put32(rtp + 8, 0x5b000000u | fi);
	st.magic = SB_STAMP_MAGIC;
	st.run = run;
	st.flow = fi;
	st.seq = seq;
	st.tsc = rte_rdtsc();
	memcpy(e + len - SB_STAMP_LEN, &st, SB_STAMP_LEN);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	uh->dgram_cksum = 0;
	uh->dgram_cksum = rte_ipv4_udptcp_cksum(ip, uh);
	m->data_len = len;
	m->pkt_len = len;
}

/* --- RX ------------------------------------------------------------------- */

/* The relayed frame is what flow f's path should make of its frame. */
static bool
rx_frame_ok(const struct sb_gen *g, const struct sb_flow *f,
	    const struct rte_ipv4_hdr *ip, const struct rte_udp_hdr *uh,
	    const uint8_t *pl, size_t plen)
{
	if (g->o->ceiling)   /* the reflector returns the frame as it was */
		return plen == g->in_len[f->path] && ip->src_addr == f->a_ip;
	if (plen != g->out_len[f->path] || ip->dst_addr != f->b_ip ||
	    ip->src_addr != g->o->relay_ip ||
	    rte_be_to_cpu_16(uh->dst_port) != f->b_port ||
	    (f->out_port != 0 &&
	     rte_be_to_cpu_16(uh->src_port) != f->out_port))
		return false;
	if (sb_paths[f->path].out_mux)
		return get32(pl) == f->mux_out && pl[SB_MUX_LEN] == 0x80;
	return pl[0] == 0x80;
}

/* An ARP request for an emulated host (198.18.0.0/15, not the relay):
 * turned into the reply in place; true when m is to be sent back. */
bool
sb_arp_answer(const struct sb_gen *g, struct rte_mbuf *m)
{
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *a = (struct rte_arp_hdr *)(eh + 1);
	uint32_t tip;

	if (m->data_len < sizeof(*eh) + sizeof(*a) ||
	    a->arp_opcode != RTE_BE16(RTE_ARP_OP_REQUEST))
		return false;
	tip = rte_be_to_cpu_32(a->arp_data.arp_tip);
	if ((tip & 0xfffe0000u) != 0xc6120000u ||
	    a->arp_data.arp_tip == g->o->relay_ip)
		return false;
	eh->dst_addr = eh->src_addr;
	eh->src_addr = g->mac;
	a->arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
	a->arp_data.arp_tha = a->arp_data.arp_sha;
	a->arp_data.arp_tip = a->arp_data.arp_sip;
	a->arp_data.arp_sha = g->mac;
	a->arp_data.arp_sip = rte_cpu_to_be_32(tip);
	return true;
}

static void
rx_one(struct sb_gen *g, struct rte_mbuf *m, uint32_t run, uint64_t now,
       struct sb_trial_result *r, struct rte_mbuf **arp, unsigned *n_arp)
{
	const uint8_t *e = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *uh;
	const uint8_t *pl;
	struct sb_stamp st;
	struct sb_flow *f;
	size_t plen;

	if (m->data_len >= SB_ETH_LEN && e[12] == 0x08 && e[13] == 0x06) {
		if (*n_arp < SB_BURST && sb_arp_answer(g, m)) {
			arp[(*n_arp)++] = m;
			r->arp_replies++;
			return;
		}
		r->foreign++;
		rte_pktmbuf_free(m);
		return;
	}
	pl = sb_udp_payload(e, m->data_len, &plen);
	if (pl == NULL || !sb_stamp_read(pl, plen, &st) ||
	    st.flow >= g->plan.n_flows) {
		r->foreign++;
		rte_pktmbuf_free(m);
		return;
	}
	if (st.run != run) {
		r->late++;
		rte_pktmbuf_free(m);
		return;
	}
	f = &g->plan.flows[st.flow];
	ip = (const struct rte_ipv4_hdr *)(e + SB_ETH_LEN);
	uh = (const struct rte_udp_hdr *)((const uint8_t *)ip +
					  rte_ipv4_hdr_len(ip));
	r->c[f->path].rx++;
	if (!rx_frame_ok(g, f, ip, uh, pl, plen))
		r->c[f->path].bad++;
	if (st.seq < f->rx_next)
		r->c[f->path].reordered++;
	else
		f->rx_next = st.seq + 1;
	sb_hist_add(&r->lat[f->path], now - st.tsc);
	rte_pktmbuf_free(m);
}

static unsigned
rx_poll(struct sb_gen *g, uint32_t run, struct sb_trial_result *r)
{
	struct rte_mbuf *ms[SB_BURST], *arp[SB_BURST];
	unsigned q, i, n_arp = 0, got = 0;
	uint16_t n, sent;
	uint64_t now;

	for (q = 0; q < g->o->queues; q++) {
		n = rte_eth_rx_burst(g->port, (uint16_t)q, ms, SB_BURST);
		if (n == 0)
			continue;
		now = rte_rdtsc();
		for (i = 0; i < n; i++)
			rx_one(g, ms[i], run, now, r, arp, &n_arp);
		got += n;
	}
	if (n_arp) {
		sent = rte_eth_tx_burst(g->port, 0, arp, (uint16_t)n_arp);
		if (sent < n_arp)
			rte_pktmbuf_free_bulk(arp + sent, n_arp - sent);
	}
	return got;
}

/* --- TX ------------------------------------------------------------------- */

/* Up to n frames on queue q, flows taken in turn; returns how many were
 * offered (built); refusals are counted and freed. */
static unsigned
tx_burst(struct sb_gen *g, unsigned q, unsigned n, uint32_t run,
	 struct sb_trial_result *r)
{
	struct rte_mbuf *ms[SB_BURST];
	uint32_t nf = g->plan.n_flows, nq = g->o->queues, fi, i;
	uint16_t sent;

	if (rte_pktmbuf_alloc_bulk(g->pool, ms, n) != 0)
		return 0;
	fi = g->cursor[q];
	for (i = 0; i < n; i++) {
		struct sb_flow *f = &g->plan.flows[fi];

		tx_fill(g, ms[i], f, fi, run);
		r->c[f->path].offered++;
		fi += nq;
		if (fi >= nf)
			fi = q;
	}
	g->cursor[q] = fi;
	sent = rte_eth_tx_burst(g->port, (uint16_t)q, ms, (uint16_t)n);
	for (i = sent; i < n; i++) {
		/* the flow of a refused frame: its stamp says */
		struct sb_stamp st;

		memcpy(&st, rte_pktmbuf_mtod_offset(ms[i], uint8_t *,
			ms[i]->data_len - SB_STAMP_LEN), sizeof(st));
		r->c[g->plan.flows[st.flow].path].refused++;
	}
	if (sent < n)
		rte_pktmbuf_free_bulk(ms + sent, n - sent);
	return n;
}

static void
result_totals(struct sb_trial_result *r, uint64_t hz, uint64_t tx_cycles)
{
	unsigned p;

	memset(&r->total, 0, sizeof(r->total));
	sb_hist_reset(&r->lat_all);
	for (p = 0; p < SB_PATH_MAX; p++) {
		r->total.offered += r->c[p].offered;
		r->total.refused += r->c[p].refused;
		r->total.rx += r->c[p].rx;
		r->total.bad += r->c[p].bad;
		r->total.reordered += r->c[p].reordered;
		sb_hist_merge(&r->lat_all, &r->lat[p]);
	}
	r->seconds = (double)tx_cycles / (double)hz;
	r->tx_pps = r->seconds > 0 ? r->total.offered / r->seconds : 0;
	r->rx_pps = r->seconds > 0 ? r->total.rx / r->seconds : 0;
}

void
sb_trial_run(struct sb_gen *g, const struct sb_trial_cfg *tc,
	     struct sb_trial_result *r)
{
	uint64_t hz = g->hz, t0, t_end, now, last_rx, drain_end, quiet;
	double per_cycle = tc->rate / (double)hz;
	uint64_t due, offered = 0;
	unsigned q = 0, n;
	uint32_t i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < SB_PATH_MAX; i++)
		sb_hist_reset(&r->lat[i]);
	for (i = 0; i < g->plan.n_flows; i++)
		g->plan.flows[i].rx_next = 0;
	for (q = 0; q < g->o->queues && q < g->plan.n_flows; q++)
		g->cursor[q] = q;
	r->rate_target = tc->rate;
	/* what an earlier trial left in flight is counted late, not lost */
	while (rx_poll(g, tc->run, r) > 0)
		;
	t0 = rte_rdtsc();
	t_end = t0 + (uint64_t)(tc->seconds * (double)hz);
	q = 0;
	while ((now = rte_rdtsc()) < t_end && !g->quit) {
		if (tc->rate > 0) {
			due = (uint64_t)((double)(now - t0) * per_cycle);
			n = due > offered + SB_BURST ? SB_BURST :
			    (unsigned)(due > offered ? due - offered : 0);
		} else {
			n = SB_BURST;
		}
		if (n > 0) {
			offered += tx_burst(g, q, n, tc->run, r);
			if (++q == g->o->queues || q >= g->plan.n_flows)
				q = 0;
		}
		rx_poll(g, tc->run, r);
	}
	result_totals(r, hz, now - t0);
	/* drain: until quiet for QUIET_MS or drain_ms passed */
	quiet = (uint64_t)(QUIET_MS * (double)hz / 1e3);
	last_rx = rte_rdtsc();
	drain_end = last_rx + (uint64_t)(tc->drain_ms * (double)hz / 1e3);
	while ((now = rte_rdtsc()) < drain_end && now - last_rx < quiet) {
		if (rx_poll(g, tc->run, r) > 0)
			last_rx = rte_rdtsc();
		else
			rte_pause();
	}
	result_totals(r, hz, (uint64_t)((double)r->seconds * (double)hz));
}

int
sb_trial_lcore(void *arg)
{
	struct sb_trial_job *j = arg;

	sb_trial_run(j->g, j->tc, j->r);
	__atomic_store_n(&j->done, true, __ATOMIC_RELEASE);
	return 0;
}

/* --- ARP for the relay's MAC (main lcore, before any trial) --------------- */

int
sb_arp_resolve(struct sb_gen *g, uint32_t ip, struct rte_ether_addr *mac,
	       double timeout_s)
{
	uint64_t hz = g->hz, end = rte_rdtsc() + (uint64_t)(timeout_s * hz);
	uint64_t next = 0;
	struct rte_mbuf *ms[SB_BURST], *req;
	uint16_t n, i;

	while (rte_rdtsc() < end) {
		if (rte_rdtsc() >= next) {
			struct rte_ether_hdr *eh;
			struct rte_arp_hdr *a;

			next = rte_rdtsc() + hz / 10;
			req = rte_pktmbuf_alloc(g->pool);
			if (req == NULL)
				return -1;
			eh = (struct rte_ether_hdr *)rte_pktmbuf_append(req,
					sizeof(*eh) + sizeof(*a));
			a = (struct rte_arp_hdr *)(eh + 1);
			memset(&eh->dst_addr, 0xff, RTE_ETHER_ADDR_LEN);
			eh->src_addr = g->mac;
			eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
			a->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
			a->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
			a->arp_hlen = RTE_ETHER_ADDR_LEN;
			a->arp_plen = 4;
			a->arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST);
			a->arp_data.arp_sha = g->mac;
			a->arp_data.arp_sip = rte_cpu_to_be_32(0xc6120101u);
			memset(&a->arp_data.arp_tha, 0, RTE_ETHER_ADDR_LEN);
			a->arp_data.arp_tip = ip;
			if (rte_eth_tx_burst(g->port, 0, &req, 1) != 1)
				rte_pktmbuf_free(req);
		}
		n = rte_eth_rx_burst(g->port, 0, ms, SB_BURST);
		for (i = 0; i < n; i++) {
			struct rte_ether_hdr *eh = rte_pktmbuf_mtod(ms[i],
					struct rte_ether_hdr *);
			struct rte_arp_hdr *a = (struct rte_arp_hdr *)(eh + 1);

			if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP) &&
			    ms[i]->data_len >= sizeof(*eh) + sizeof(*a) &&
			    a->arp_opcode == RTE_BE16(RTE_ARP_OP_REPLY) &&
			    a->arp_data.arp_sip == ip) {
				*mac = a->arp_data.arp_sha;
				rte_pktmbuf_free_bulk(ms, n);
				return 0;
			}
		}
		rte_pktmbuf_free_bulk(ms, n);
		rte_delay_us_sleep(100);
	}
	return -1;
}

/* --- reflector ------------------------------------------------------------ */

static uint64_t reflected;

uint64_t
sb_reflect_count(void)
{
	return __atomic_load_n(&reflected, __ATOMIC_RELAXED);
}

/* Every frame straight back out of the queue it came in on: the cheapest
 * thing that can stand where the relay stands. */
int
sb_reflect_lcore(void *arg)
{
	struct sb_gen *g = arg;
	struct rte_mbuf *ms[SB_BURST];
	uint16_t n, sent;
	unsigned q;

	while (!g->quit) {
		for (q = 0; q < g->o->queues; q++) {
			n = rte_eth_rx_burst(g->port, (uint16_t)q, ms,
					     SB_BURST);
			if (n == 0)
				continue;
			sent = rte_eth_tx_burst(g->port, (uint16_t)q, ms, n);
			if (sent < n)
				rte_pktmbuf_free_bulk(ms + sent, n - sent);
			__atomic_store_n(&reflected, reflected + sent,
					 __ATOMIC_RELAXED);
		}
	}
	return 0;
}
