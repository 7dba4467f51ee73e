/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_legs.c — see dp_legs.h.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_ip.h>
#include <rte_udp.h>

#include "dp_legs.h"

struct harness H;
struct sl_shm *S;        /* the dataplane's own mapping */
uint32_t next_seq = 100;

/* --- talking to the service lcore --------------------------------------- */

void
ctl_up(uint32_t cmd_slots, uint32_t evt_slots)
{
	snprintf(H.tb.dm->instance, sizeof(H.tb.dm->instance), "t%d",
		 (int)getpid());
	if (dp_ctl_init(H.tb.dm, cmd_slots, evt_slots) != 0) {
		fprintf(stderr, "dp_ctl_init failed\n");
		exit(1);
	}
	dp_ctl_start(H.tb.dm);
	S = dp_ctl_shm(H.tb.dm);
}

void
poll_n(unsigned n)
{
	while (n--) {
		h_run(&H);
		dp_ctl_poll(H.tb.dm);
	}
}

uint32_t
send_cmd(union sl_msg *m, uint16_t type, uint16_t len)
{
	m->h.type = type;
	m->h.len = len;
	m->h.seq = next_seq++;
	m->h.generation = 0;
	if (sl_ring_enqueue(S->cmd, m, len) != 0) {
		fprintf(stderr, "command ring full\n");
		exit(1);
	}
	return m->h.seq;
}

bool
evt_next(union sl_msg *m)
{
	return sl_ring_dequeue(S->evt, m) == 0;
}

uint64_t
expect_ack(uint32_t seq, enum sl_result result, const char *what)
{
	union sl_msg m;

	if (!evt_next(&m)) {
		CHECK(0, "%s: no event", what);
		return 0;
	}
	CHECK(m.h.type == SL_EVT_ACK && m.h.seq == seq,
	      "%s: ACK of %u, got %s of %u", what, seq, sl_evt_name(m.h.type),
	      m.h.seq);
	CHECK(m.h.generation == S->hdr->generation, "%s: generation", what);
	CHECK(m.ack.result == result, "%s: result %s, got %s", what,
	      sl_result_name(result), sl_result_name(m.ack.result));
	return m.ack.value;
}

struct sl_leg_spec
port_leg(uint32_t id, uint16_t port, uint8_t latch)
{
	struct sl_leg_spec s = { .leg_id = id, .kind = SL_LEG_PORT,
				 .local_port = port, .latch = latch };

	return s;
}

struct sl_leg_spec
mux_leg(uint32_t id, uint16_t pair_port, uint32_t id_rx, uint32_t id_tx,
	uint8_t latch)
{
	struct sl_leg_spec s = { .leg_id = id, .kind = SL_LEG_MUX,
				 .local_port = pair_port, .latch = latch,
				 .mux_id_rx = id_rx, .mux_id_tx = id_tx };

	return s;
}

void
with_remote(struct sl_leg_spec *s, uint32_t addr_host, uint16_t port)
{
	s->flags |= SL_LEG_F_REMOTE_KNOWN;
	s->remote_addr = rte_cpu_to_be_32(addr_host);
	s->remote_port = port;
}

enum sl_result
leg_cmd(uint16_t type, const struct sl_leg_spec *s)
{
	union sl_msg m;
	uint32_t seq;
	union sl_msg e;

	memset(&m, 0, sizeof(m));
	m.leg.leg = *s;
	seq = send_cmd(&m, type, sizeof(m.leg));
	poll_n(1);
	if (!evt_next(&e) || e.h.type != SL_EVT_ACK || e.h.seq != seq)
		return SL_RESULT_MAX;
	return e.ack.result;
}

void
link_pair(const struct sl_leg_spec *a, const struct sl_leg_spec *b)
{
	struct sl_leg_spec x = *a, y = *b;

	x.peer_leg_id = b->leg_id;
	y.peer_leg_id = a->leg_id;
	CHECK(leg_cmd(SL_CMD_LEG_ADD, &x) == SL_OK, "leg %u added", x.leg_id);
	CHECK(leg_cmd(SL_CMD_LEG_ADD, &y) == SL_OK, "leg %u added", y.leg_id);
}

size_t
expected_relay(const uint8_t *in, size_t len, uint8_t *out, uint16_t sport,
	       uint32_t dst_host, uint16_t dport)
{
	static const struct rte_ether_addr peer = {{ 0x02, 0xc1, 0, 0, 0, 1 }};
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)out;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(e + 1);
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip + 1);

	memcpy(out, in, len);
	e->dst_addr = peer;
	e->src_addr = H.our_mac;
	ip->src_addr = H.our_ip;
	ip->dst_addr = rte_cpu_to_be_32(dst_host);
	ip->time_to_live = 64;
	h_ipv4_fix_cksum(out);
	u->src_port = rte_cpu_to_be_16(sport);
	u->dst_port = rte_cpu_to_be_16(dport);
	u->dgram_cksum = 0;
	u->dgram_cksum = rte_ipv4_udptcp_cksum(ip, u);
	return len;
}

bool
udp_cksum_ok(const uint8_t *frame)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + 14);
	const struct rte_udp_hdr *u = (const struct rte_udp_hdr *)(ip + 1);
	uint32_t s = rte_ipv4_phdr_cksum(ip, 0);

	s += rte_raw_cksum(u, rte_be_to_cpu_16(u->dgram_len));
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return s == 0xffff;
}

struct dp_leg *
leg_of(uint32_t id)
{
	return dp_flow_leg(&H.tb.dm->flow, id);
}
