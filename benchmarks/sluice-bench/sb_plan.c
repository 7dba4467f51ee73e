/* SPDX-License-Identifier: BSD-3-Clause */
/* sb_plan.c — see sb_plan.h. */
#include "sb_plan.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define A_NET       0xc6120100u   /* 198.18.1.0 */
#define B_NET       0xc6120200u   /* 198.18.2.0 */
#define A_PORT_BASE 10000u
#define B_PORT_BASE 20000u
#define MUX_RX_BASE 0x51000001u   /* receive IDs, unique per leg */
#define MUX_TX_BASE 0x7e000001u   /* B's send IDs (what the generator sees) */
#define CHANNEL_MIN 0x4000u
#define CHANNEL_MAX 0x4fffu

const struct sb_path_info sb_paths[SB_PATH_MAX] = {
	[SB_P2P] = { "p2p", "plain → plain", SB_ENCAP_PLAIN, false, false,
		     NULL },
	[SB_P2M] = { "p2m", "plain → mux", SB_ENCAP_PLAIN, true, false,
		     NULL },
	[SB_M2P] = { "m2p", "mux → plain", SB_ENCAP_MUX, false, false,
		     "demux_no_leg" },
	[SB_M2M] = { "m2m", "mux → mux", SB_ENCAP_MUX, true, false,
		     "demux_no_leg" },
	[SB_TURN_CD] = { "turn-cd", "TURN ChannelData → peer",
			 SB_ENCAP_CDATA, false, true, "turn_disabled" },
	[SB_TURN_SEND] = { "turn-send", "TURN Send indication → peer",
			   SB_ENCAP_SEND, false, true, "turn_disabled" },
};

int
sb_path_by_name(const char *name)
{
	int i;

	for (i = 0; i < SB_PATH_MAX; i++)
		if (strcmp(name, sb_paths[i].name) == 0)
			return i;
	return -1;
}

static unsigned
port_legs_of(int path)
{
	switch (path) {
	case SB_P2P:
		return 2;
	case SB_P2M:
	case SB_M2P:
		return 1;
	default:
		return 0;
	}
}

static unsigned
legs_of(int path)
{
	return sb_paths[path].turn ? 0 : 2;
}

/* Even ports a PORT leg may own: the media range less the demux pairs. */
static uint32_t
port_pairs(const struct sb_plan_cfg *c)
{
	uint32_t pairs = (uint32_t)(c->media_max - c->media_min + 1) / 2;

	return pairs > c->demux_pairs ? pairs - c->demux_pairs : 0;
}

uint32_t
sb_plan_max_flows(const struct sb_plan_cfg *c, int path)
{
	uint32_t by_ports = UINT32_MAX, by_legs = UINT32_MAX;

	if (port_legs_of(path))
		by_ports = port_pairs(c) / port_legs_of(path);
	if (legs_of(path))
		by_legs = c->leg_capacity / legs_of(path);
	if (sb_paths[path].turn)
		by_legs = CHANNEL_MAX - CHANNEL_MIN + 1;
	return by_ports < by_legs ? by_ports : by_legs;
}

static uint16_t
port_next(const struct sb_plan_cfg *c, uint32_t *cursor)
{
	uint32_t p = c->media_min + 2 * (*cursor)++;
	uint32_t dlo = c->demux_port, dhi = c->demux_port +
					 2 * c->demux_pairs - 1;

	/* skip the demultiplexing pairs wherever they sit in the range */
	while (p + 1 >= dlo && p <= dhi) {
		p = c->media_min + 2 * (*cursor)++;
	}
	return (uint16_t)p;
}

int
sb_plan_build(struct sb_plan *p, const struct sb_plan_cfg *cfg,
	      const int *paths, unsigned n_paths, uint32_t n_flows, char *err,
	      size_t errlen)
{
	uint32_t i, mux_rx = cfg->mux_in_base ? cfg->mux_in_base : MUX_RX_BASE;
	uint32_t ports_needed = 0, legs_needed = 0, turn_flows = 0, a_ports = 0;
	uint32_t a_cursor = 0, b_cursor;
	uint32_t leg = cfg->leg_base ? cfg->leg_base : 1;
	unsigned k = 0;

	memset(p, 0, sizeof(*p));
	p->cfg = *cfg;
	if (cfg->hosts == 0 || cfg->hosts > 250) {
		snprintf(err, errlen, "--hosts: 1..250");
		return -1;
	}
	for (i = 0; i < n_flows; i++) {
		int path = paths[i % n_paths];

		ports_needed += port_legs_of(path);
		a_ports += path == SB_P2P || path == SB_P2M;
		legs_needed += legs_of(path);
		turn_flows += sb_paths[path].turn;
		p->paths_used |= 1u << path;
	}
	if (ports_needed > port_pairs(cfg)) {
		snprintf(err, errlen, "%u flows need %u port pairs; the media "
			 "range %u-%u has %u (less the demultiplexing ports)",
			 n_flows, ports_needed, cfg->media_min, cfg->media_max,
			 port_pairs(cfg));
		return -1;
	}
	if ((uint64_t)legs_needed + (cfg->leg_base ? cfg->leg_base : 1) - 1 >
	    cfg->leg_capacity) {
		snprintf(err, errlen, "%u flows need %u legs; the dataplane "
			 "holds %u (capacity.media_legs)", n_flows,
			 legs_needed, cfg->leg_capacity);
		return -1;
	}
	if (turn_flows > CHANNEL_MAX - CHANNEL_MIN + 1) {
		snprintf(err, errlen, "%u TURN flows: at most %u channels",
			 turn_flows, CHANNEL_MAX - CHANNEL_MIN + 1);
		return -1;
	}
	p->flows = calloc(n_flows ? n_flows : 1, sizeof(*p->flows));
	if (p->flows == NULL) {
		snprintf(err, errlen, "out of memory for %u flows", n_flows);
		return -1;
	}
	p->n_flows = n_flows;
	/* A legs' ports first, contiguous, then B legs' (pktgen's range mode
	 * walks A's RTP/RTCP pairs with one increment) */
	b_cursor = 0;
	for (i = 0; i < a_ports; i++)
		port_next(cfg, &b_cursor);   /* steps over the demux pairs too */
	for (i = 0; i < n_flows; i++) {
		struct sb_flow *f = &p->flows[i];
		int path = paths[i % n_paths];
		uint32_t host = i % cfg->hosts, slot = i / cfg->hosts;

		f->path = (uint8_t)path;
		f->a_ip = cfg->a_ip ? cfg->a_ip : htonl(A_NET + 1 + host);
		f->b_ip = cfg->b_ip ? cfg->b_ip : htonl(B_NET + 1 + host);
		/* one fixed address (a pktgen port): every flow its own port */
		f->a_port = (uint16_t)((cfg->a_port_base ? cfg->a_port_base :
					A_PORT_BASE) +
				       2 * ((cfg->a_ip ? i : slot) % 16384));
		f->b_port = (uint16_t)(B_PORT_BASE + 2 * ((cfg->b_ip ? i : slot) %
							 16384));
		f->mux_out = MUX_TX_BASE + i;
		switch (path) {
		case SB_P2P:
			f->in_port = port_next(cfg, &a_cursor);
			f->out_port = port_next(cfg, &b_cursor);
			break;
		case SB_P2M:
			f->in_port = port_next(cfg, &a_cursor);
			f->out_port = cfg->demux_port;
			break;
		case SB_M2P:
			f->in_port = cfg->demux_port;
			f->mux_in = mux_rx++;
			f->out_port = port_next(cfg, &b_cursor);
			break;
		case SB_M2M:
			f->in_port = cfg->demux_port;
			f->mux_in = mux_rx++;
			f->out_port = cfg->demux_port;
			break;
		default: /* TURN: the relay port comes from the allocation */
			f->in_port = cfg->turn_port;
			f->channel = (uint16_t)(CHANNEL_MIN + k++);
			f->out_port = 0;
			break;
		}
		if (legs_of(path)) {
			f->leg_a = leg++;
			f->leg_b = leg++;
		}
	}
	p->flows_leg_base = cfg->leg_base ? cfg->leg_base : 1;
	p->n_legs = leg - p->flows_leg_base;
	return 0;
}

void
sb_plan_free(struct sb_plan *p)
{
	free(p->flows);
	p->flows = NULL;
}

static void
leg_fill(const struct sb_plan *p, struct sl_leg_spec *s, uint32_t id,
	 uint32_t peer, bool mux, uint16_t local_port, uint32_t mux_rx,
	 uint32_t mux_tx, uint32_t remote_ip, uint16_t remote_port)
{
	memset(s, 0, sizeof(*s));   /* fields this build does not know: 0 */
	s->leg_id = id;
	s->peer_leg_id = peer;
	s->kind = mux ? SL_LEG_MUX : SL_LEG_PORT;
	s->iface = 0;
	s->latch = 0;               /* strict: only the remote given here */
	s->flags = SL_LEG_F_REMOTE_KNOWN;
	s->local_port = local_port;
	s->remote_addr = remote_ip;
	s->remote_port = remote_port;
	s->mux_id_rx = mux ? mux_rx : 0;
	s->mux_id_tx = mux ? mux_tx : 0;
	s->cookie = 0x534c42454e4348ull;  /* "SLBENCH": whose legs these are */
	(void)p;
}

bool
sb_plan_legs(const struct sb_plan *p, const struct sb_flow *f,
	     struct sl_leg_spec *a, struct sl_leg_spec *b)
{
	/* B never sends in these runs, so its receive ID only has to be
	 * unique: the generator's IDs counted down from the top. */
	uint32_t b_rx = 0xfe000000u - f->leg_b;

	switch (f->path) {
	case SB_P2P:
		leg_fill(p, a, f->leg_a, f->leg_b, false, f->in_port, 0, 0,
			 f->a_ip, f->a_port);
		leg_fill(p, b, f->leg_b, f->leg_a, false, f->out_port, 0, 0,
			 f->b_ip, f->b_port);
		return true;
	case SB_P2M:
		leg_fill(p, a, f->leg_a, f->leg_b, false, f->in_port, 0, 0,
			 f->a_ip, f->a_port);
		leg_fill(p, b, f->leg_b, f->leg_a, true, p->cfg.demux_port,
			 b_rx, f->mux_out, f->b_ip, f->b_port);
		return true;
	case SB_M2P:
		leg_fill(p, a, f->leg_a, f->leg_b, true, p->cfg.demux_port,
			 f->mux_in, 0x7d000000u + f->leg_a, f->a_ip,
			 f->a_port);
		leg_fill(p, b, f->leg_b, f->leg_a, false, f->out_port, 0, 0,
			 f->b_ip, f->b_port);
		return true;
	case SB_M2M:
		leg_fill(p, a, f->leg_a, f->leg_b, true, p->cfg.demux_port,
			 f->mux_in, 0x7d000000u + f->leg_a, f->a_ip,
			 f->a_port);
		leg_fill(p, b, f->leg_b, f->leg_a, true, p->cfg.demux_port,
			 b_rx, f->mux_out, f->b_ip, f->b_port);
		return true;
	default:
		return false;
	}
}
