/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_dp_flow.c — the command service (dp_ctl.c), the flow tables
 * (dp_flow.c) and the media stage (dp_media.c), in-process: commands go into
 * the real shared-memory command ring, the service lcore's poll applies
 * them, and the test reads the real event ring as sluice-cp would. Frames
 * go through the ring ports and are compared byte by byte.
 *
 * `test_dp_flow CASE` runs one case in its own EAL.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dp_legs.h"

/* --- cases ------------------------------------------------------------------ */

static void
case_ping_acked(void)
{
	union sl_msg m;
	uint32_t seq;

	ctl_up(64, 64);
	CHECK(S->hdr->state == SL_DP_RUNNING, "state running");
	CHECK(S->hdr->abi_version == SL_ABI_VERSION, "ABI version");
	memset(&m, 0, sizeof(m));
	m.ping.sent_ns = 0x1122334455667788ull;
	seq = send_cmd(&m, SL_CMD_PING, sizeof(m.ping));
	poll_n(1);
	CHECK(expect_ack(seq, SL_OK, "ping") == 0x1122334455667788ull,
	      "ping echoes sent_ns");
	CHECK(!evt_next(&m), "nothing else");
	CHECK(S->hdr->cmds_applied == 1, "cmds_applied 1");
}

static void
case_unknown_command_refused(void)
{
	union sl_msg m;
	uint32_t seq;

	ctl_up(64, 64);
	memset(&m, 0xab, sizeof(m));
	seq = send_cmd(&m, 99, 64);
	poll_n(1);
	expect_ack(seq, SL_E_UNKNOWN_CMD, "type 99");
	CHECK(H.tb.dm->flow.n_legs == 0, "no leg");
}

static void
case_malformed_commands_change_nothing(void)
{
	static const struct {
		const char *what;
		uint16_t type;
		struct sl_leg_spec s;
		enum sl_result want;
	} bad[] = {
		{ "port below the media range", SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = SL_LEG_PORT, .local_port = 1234,
		    .latch = SL_LATCH_ONCE }, SL_E_RANGE },
		{ "port of the demultiplexing pair", SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = SL_LEG_PORT, .local_port = 36000,
		    .latch = SL_LATCH_ONCE }, SL_E_RANGE },
		{ "leg id 0", SL_CMD_LEG_ADD,
		  { .leg_id = 0, .kind = SL_LEG_PORT, .local_port = 40000,
		    .latch = SL_LATCH_ONCE }, SL_E_RANGE },
		{ "leg id over capacity", SL_CMD_LEG_ADD,
		  { .leg_id = 16385, .kind = SL_LEG_PORT, .local_port = 40000,
		    .latch = SL_LATCH_ONCE }, SL_E_RANGE },
		{ "peer is itself", SL_CMD_LEG_ADD,
		  { .leg_id = 3, .peer_leg_id = 3, .kind = SL_LEG_PORT,
		    .local_port = 40000, .latch = SL_LATCH_ONCE },
		  SL_E_RANGE },
		{ "latch policy 7", SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = SL_LEG_PORT, .local_port = 40000,
		    .latch = 7 }, SL_E_MALFORMED },
		{ "strict latching without a remote", SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = SL_LEG_PORT, .local_port = 40000,
		    .latch = SL_LATCH_STRICT }, SL_E_MALFORMED },
		{ "relatch without a silence", SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = SL_LEG_PORT, .local_port = 40000,
		    .latch = SL_LATCH_RELATCH }, SL_E_MALFORMED },
		{ "odd port", SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = SL_LEG_PORT, .local_port = 40001,
		    .latch = SL_LATCH_ONCE }, SL_E_RANGE },
		{ "RTCP port is the first demultiplexing port", SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = SL_LEG_PORT, .local_port = 35998,
		    .latch = SL_LATCH_ONCE }, SL_E_RANGE },
		{ "multiplexed leg on the RTCP port of the pair",
		  SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = SL_LEG_MUX, .local_port = 36001,
		    .mux_id_rx = 5, .latch = SL_LATCH_ONCE }, SL_E_RANGE },
		{ "rtcp-mux on a multiplexed leg", SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = SL_LEG_MUX, .local_port = 36000,
		    .mux_id_rx = 5, .latch = SL_LATCH_ONCE,
		    .flags = SL_LEG_F_RTCP_MUX }, SL_E_MALFORMED },
		{ "keep-alive type 128", SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = SL_LEG_MUX, .local_port = 36000,
		    .mux_id_rx = 5, .latch = SL_LATCH_ONCE,
		    .flags = SL_LEG_F_KEEPALIVE, .keepalive_pt = 128 },
		  SL_E_MALFORMED },
		{ "keep-alive on a port leg", SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = SL_LEG_PORT, .local_port = 40000,
		    .latch = SL_LATCH_ONCE, .flags = SL_LEG_F_KEEPALIVE,
		    .keepalive_pt = 19 }, SL_E_MALFORMED },
		{ "RTCP latched but not known", SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = SL_LEG_PORT, .local_port = 40000,
		    .latch = SL_LATCH_ONCE, .flags = SL_LEG_F_RTCP_LATCHED },
		  SL_E_MALFORMED },
		{ "unknown flag", SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = SL_LEG_PORT, .local_port = 40000,
		    .latch = SL_LATCH_ONCE, .flags = 0x80 }, SL_E_MALFORMED },
		{ "kind 9", SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = 9, .local_port = 40000,
		    .latch = SL_LATCH_ONCE }, SL_E_MALFORMED },
		{ "interface 1 of 1", SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = SL_LEG_PORT, .iface = 1,
		    .local_port = 40000, .latch = SL_LATCH_ONCE },
		  SL_E_RANGE },
		{ "multiplexID 0", SL_CMD_LEG_ADD,
		  { .leg_id = 1, .kind = SL_LEG_MUX, .local_port = 36000,
		    .latch = SL_LATCH_ONCE }, SL_E_RANGE },
		{ "modify of a missing leg", SL_CMD_LEG_MOD,
		  { .leg_id = 5, .kind = SL_LEG_PORT, .local_port = 40000,
		    .latch = SL_LATCH_ONCE }, SL_E_NOT_FOUND },
	};
	struct sl_leg_spec ok = port_leg(1, 40000, SL_LATCH_ONCE), s;
	union sl_msg m;
	uint32_t seq;
	unsigned i;

	ctl_up(64, 64);
	for (i = 0; i < RTE_DIM(bad); i++) {
		enum sl_result r = leg_cmd(bad[i].type, &bad[i].s);

		CHECK(r == bad[i].want, "%s: %s, got %s", bad[i].what,
		      sl_result_name(bad[i].want), sl_result_name(r));
	}
	CHECK(H.tb.dm->flow.n_legs == 0, "no leg after refusals");
	CHECK(H.tb.dm->flow.port_leg[40000] == 0, "port 40000 free");

	/* a short message is refused however right its fields */
	memset(&m, 0, sizeof(m));
	m.leg.leg = ok;
	seq = send_cmd(&m, SL_CMD_LEG_ADD, sizeof(m.leg) - 8);
	poll_n(1);
	expect_ack(seq, SL_E_MALFORMED, "short LEG_ADD");
	CHECK(H.tb.dm->flow.n_legs == 0, "no leg after a short message");

	/* once it exists: duplicates and fixed fields */
	CHECK(leg_cmd(SL_CMD_LEG_ADD, &ok) == SL_OK, "leg 1 added");
	CHECK(leg_cmd(SL_CMD_LEG_ADD, &ok) == SL_E_EXISTS, "same id again");
	s = port_leg(2, 40000, SL_LATCH_ONCE);
	CHECK(leg_cmd(SL_CMD_LEG_ADD, &s) == SL_E_EXISTS, "same port again");
	CHECK(H.tb.dm->flow.port_leg[40001] == 1, "RTCP port 40001 is leg 1's");
	s = port_leg(1, 40002, SL_LATCH_ONCE);
	CHECK(leg_cmd(SL_CMD_LEG_MOD, &s) == SL_E_MALFORMED,
	      "modify may not move the port");
	CHECK(H.tb.dm->flow.n_legs == 1 && leg_of(1)->local_port == 40000,
	      "leg 1 unchanged");

	/* credentials: a username without its NUL */
	memset(&m, 'x', sizeof(m));
	seq = send_cmd(&m, SL_CMD_CRED_SET, sizeof(m.cred_set));
	poll_n(1);
	expect_ack(seq, SL_E_MALFORMED, "unterminated username");
	CHECK(H.tb.dm->flow.n_creds == 0, "no credential");
}

static void
case_relay_port_to_port(void)
{
	static const char payload[] = "\x80\x00\x00\x01 RTP-ish payload 0123";
	uint8_t in[FRAME_MAX], want[FRAME_MAX], got[FRAME_MAX];
	struct sl_leg_spec a = port_leg(1, 40000, SL_LATCH_ONCE);
	struct sl_leg_spec b = port_leg(2, 40002, SL_LATCH_STRICT);
	size_t len, glen;
	union sl_msg e;

	ctl_up(64, 64);
	with_remote(&b, H_IP4(192, 0, 2, 1), 5000);
	a.cookie = 0xc0ffee;
	link_pair(&a, &b);

	len = h_frame_udp(&H, in, 6000, 40000, payload, sizeof(payload));
	h_rx(&H, in, len);
	poll_n(2);
	expected_relay(in, len, want, 40002, H_IP4(192, 0, 2, 1), 5000);
	CHECK(h_nic_out(&H, got, &glen) == 1, "one frame relayed");
	h_expect_bytes("relayed frame", got, glen, want, len);
	CHECK(udp_cksum_ok(got), "UDP checksum valid");

	CHECK(leg_of(1)->pkts_in == 1 && leg_of(2)->pkts_out == 1,
	      "leg counters: in %" PRIu64 " out %" PRIu64,
	      leg_of(1)->pkts_in, leg_of(2)->pkts_out);
	CHECK(leg_of(1)->bytes_in == sizeof(payload) &&
	      leg_of(2)->bytes_out == sizeof(payload),
	      "leg bytes: in %" PRIu64 " out %" PRIu64, leg_of(1)->bytes_in,
	      leg_of(2)->bytes_out);
	CHECK(evt_next(&e) && e.h.type == SL_EVT_LEG_LATCHED &&
	      e.latched.leg_id == 1 && e.latched.remote_addr == H.peer_ip &&
	      e.latched.remote_port == 6000 && e.latched.cookie == 0xc0ffee &&
	      e.latched.component == SL_COMP_RTP,
	      "LEG_LATCHED for leg 1's RTP at 192.0.2.1:6000");

	/* and back: leg 2 takes media from its remote only */
	len = h_frame_udp(&H, in, 5000, 40002, payload, sizeof(payload));
	h_rx(&H, in, len);
	poll_n(2);
	expected_relay(in, len, want, 40000, H_IP4(192, 0, 2, 1), 6000);
	CHECK(h_nic_out(&H, got, &glen) == 1, "one frame relayed back");
	h_expect_bytes("relayed back", got, glen, want, len);
	CHECK(h_drops_total(&H) == 0, "no drop");
	{
		struct dp_stats st;

		dp_stats_sum(H.tb.dm, &st);
		CHECK(st.relayed_pkts == 2, "relayed_pkts 2, got %" PRIu64,
		      st.relayed_pkts);
	}
}

static void
case_latch_once_holds_first_source(void)
{
	uint8_t in[FRAME_MAX];
	struct sl_leg_spec a = port_leg(1, 40000, SL_LATCH_ONCE);
	struct sl_leg_spec b = port_leg(2, 40002, SL_LATCH_ONCE);
	size_t len;

	ctl_up(64, 64);
	with_remote(&b, H_IP4(192, 0, 2, 1), 5000);
	link_pair(&a, &b);
	len = h_frame_udp(&H, in, 6000, 40000, "first", 5);
	h_rx(&H, in, len);
	len = h_frame_udp(&H, in, 6001, 40000, "other", 5);
	h_rx(&H, in, len);
	poll_n(2);
	CHECK(h_nic_out(&H, NULL, NULL) == 1, "only the first relayed");
	CHECK(h_drop(&H, DP_DROP_MEDIA_WRONG_SOURCE) == 1,
	      "second source dropped as media_wrong_source");
	CHECK(dp_remote_port(leg_of(1)->remote[SL_COMP_RTP]) == 6000 &&
	      (leg_of(1)->remote[SL_COMP_RTP] & DP_REMOTE_LATCHED),
	      "latched to 6000");
	CHECK(leg_of(1)->drops[SL_LEG_DROP_WRONG_SOURCE] == 1,
	      "leg counts the drop as wrong_source");
}

/* Relatch: a new source is taken only after relatch_ms of silence. */
static void
case_relatch_after_silence(void)
{
	uint8_t in[FRAME_MAX];
	struct sl_leg_spec a = port_leg(1, 40000, SL_LATCH_RELATCH);
	struct sl_leg_spec b = port_leg(2, 40002, SL_LATCH_ONCE);
	unsigned latched = 0;
	union sl_msg e;
	size_t len;

	ctl_up(64, 64);
	a.relatch_ms = 100;
	with_remote(&b, H_IP4(192, 0, 2, 1), 5000);
	link_pair(&a, &b);
	len = h_frame_udp(&H, in, 6000, 40000, "first", 5);
	h_rx(&H, in, len);
	len = h_frame_udp(&H, in, 6001, 40000, "moved", 5);
	h_rx(&H, in, len);
	poll_n(2);
	CHECK(h_nic_out(&H, NULL, NULL) == 1, "the first relayed, the "
	      "second refused while the first source talks");
	CHECK(h_drop(&H, DP_DROP_MEDIA_WRONG_SOURCE) == 1, "wrong_source 1");
	rte_delay_us_sleep(150 * 1000);   /* silence > relatch_ms */
	h_rx(&H, in, len);
	poll_n(2);
	CHECK(h_nic_out(&H, NULL, NULL) == 1, "after the silence: relayed");
	CHECK(dp_remote_port(leg_of(1)->remote[SL_COMP_RTP]) == 6001,
	      "relatched to 6001");
	len = h_frame_udp(&H, in, 6000, 40000, "back?", 5);
	h_rx(&H, in, len);
	poll_n(2);
	CHECK(h_nic_out(&H, NULL, NULL) == 0 &&
	      h_drop(&H, DP_DROP_MEDIA_WRONG_SOURCE) == 2,
	      "the old source is now the stranger");
	while (evt_next(&e))
		latched += e.h.type == SL_EVT_LEG_LATCHED &&
			   e.latched.leg_id == 1;
	CHECK(latched == 2, "two LEG_LATCHED events, got %u", latched);
}

static void
case_relay_resolves_next_hop(void)
{
	static const struct rte_ether_addr far = {{ 0x02, 0xfa, 0, 0, 0, 7 }};
	uint8_t in[FRAME_MAX], got[FRAME_MAX], want[FRAME_MAX];
	struct sl_leg_spec a = port_leg(1, 40000, SL_LATCH_ONCE);
	struct sl_leg_spec b = port_leg(2, 40002, SL_LATCH_STRICT);
	struct rte_ether_hdr *e = (struct rte_ether_hdr *)want;
	struct rte_arp_hdr *ar = (struct rte_arp_hdr *)(e + 1);
	struct rte_arp_hdr *rp;
	size_t len, glen;

	ctl_up(64, 64);
	with_remote(&b, H_IP4(192, 0, 2, 77), 5000);
	link_pair(&a, &b);
	len = h_frame_udp(&H, in, 6000, 40000, "media", 5);
	h_rx(&H, in, len);
	poll_n(2);
	CHECK(h_drop(&H, DP_DROP_NEIGH_UNRESOLVED) == 1, "neigh_unresolved");
	/* the ARP request, as RFC 826 has it */
	memset(want, 0, sizeof(want));
	memset(&e->dst_addr, 0xff, 6);
	e->src_addr = H.our_mac;
	e->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	ar->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	ar->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ar->arp_hlen = 6;
	ar->arp_plen = 4;
	ar->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
	ar->arp_data.arp_sha = H.our_mac;
	ar->arp_data.arp_sip = H.our_ip;
	ar->arp_data.arp_tip = rte_cpu_to_be_32(H_IP4(192, 0, 2, 77));
	CHECK(h_nic_out(&H, got, &glen) == 1, "one ARP request");
	h_expect_bytes("ARP request", got, glen, want, 42);

	/* the answer: learned, and the next packet goes to that MAC */
	len = h_frame_arp(&H, in, RTE_ARP_OP_REPLY, H.our_ip);
	rp = (struct rte_arp_hdr *)(in + 14);
	rp->arp_data.arp_sha = far;
	rp->arp_data.arp_sip = rte_cpu_to_be_32(H_IP4(192, 0, 2, 77));
	h_rx(&H, in, len);
	poll_n(2);
	CHECK(h_kni_out(&H, NULL, NULL) == 1, "the reply also reaches the "
	      "kernel");
	len = h_frame_udp(&H, in, 6000, 40000, "media", 5);
	h_rx(&H, in, len);
	poll_n(2);
	CHECK(h_nic_out(&H, got, &glen) == 1, "relayed after resolution");
	CHECK(memcmp(got, &far, 6) == 0, "to the MAC the reply gave");
}

static void
case_relay_to_mux_peer_prepends_id(void)
{
	static const uint8_t payload[] = { 0x80, 0x60, 0, 1, 'r', 't', 'p' };
	uint8_t in[FRAME_MAX], got[FRAME_MAX];
	struct sl_leg_spec a = port_leg(1, 40000, SL_LATCH_ONCE);
	struct sl_leg_spec b = { .leg_id = 2, .kind = SL_LEG_MUX,
				 .local_port = 36000, .latch = SL_LATCH_STRICT,
				 .mux_id_rx = 0x0a0b0c0d,
				 .mux_id_tx = 0x11223344 };
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(got + 14);
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)(got + 34);
	size_t len, glen;

	ctl_up(64, 64);
	with_remote(&b, H_IP4(192, 0, 2, 1), 7000);
	link_pair(&a, &b);
	len = h_frame_udp(&H, in, 6000, 40000, payload, sizeof(payload));
	h_rx(&H, in, len);
	poll_n(2);
	CHECK(h_nic_out(&H, got, &glen) == 1, "relayed to the mux leg");
	CHECK(glen == len + 4, "4 bytes longer: %zu vs %zu", glen, len);
	CHECK(rte_be_to_cpu_16(ip->total_length) == 20 + 8 + 4 +
	      sizeof(payload), "IPv4 length");
	CHECK(rte_be_to_cpu_16(u->dgram_len) == 8 + 4 + sizeof(payload),
	      "UDP length");
	CHECK(rte_be_to_cpu_16(u->src_port) == 36000 &&
	      rte_be_to_cpu_16(u->dst_port) == 7000, "ports 36000 → 7000");
	CHECK(memcmp(got + 42, "\x11\x22\x33\x44", 4) == 0,
	      "multiplexID 0x11223344 in front");
	CHECK(memcmp(got + 46, payload, sizeof(payload)) == 0,
	      "payload unchanged");
	CHECK(rte_raw_cksum(ip, 20) == 0xffff, "IPv4 checksum");
	CHECK(udp_cksum_ok(got), "UDP checksum");
}

static void
case_dump_streams_every_leg(void)
{
	union sl_msg m, e;
	uint32_t seq, seq2, i, infos = 0;
	bool seen[101] = { false };

	ctl_up(256, 64);  /* an event ring smaller than the dump */
	for (i = 1; i <= 100; i++) {
		struct sl_leg_spec s = port_leg(i, 40000 + 2 * i,
						SL_LATCH_ONCE);

		s.cookie = 1000 + i;
		CHECK(leg_cmd(SL_CMD_LEG_ADD, &s) == SL_OK, "leg %u", i);
	}
	memset(&m, 0, sizeof(m));
	m.dump.what = SL_DUMP_LEGS;
	seq = send_cmd(&m, SL_CMD_DUMP, sizeof(m.dump));
	seq2 = send_cmd(&m, SL_CMD_DUMP, sizeof(m.dump));
	for (i = 0; i < 100; i++) {
		poll_n(1);
		while (evt_next(&e)) {
			if (e.h.type == SL_EVT_ACK && e.h.seq == seq2) {
				CHECK(e.ack.result == SL_E_BUSY,
				      "second dump: busy");
			} else if (e.h.type == SL_EVT_LEG_INFO) {
				uint32_t id = e.leg_info.leg.leg_id;

				CHECK(e.h.seq == seq, "info of the dump");
				CHECK(id >= 1 && id <= 100 && !seen[id],
				      "leg %u once", id);
				if (id >= 1 && id <= 100)
					seen[id] = true;
				CHECK(e.leg_info.leg.cookie == 1000 + id &&
				      e.leg_info.leg.local_port == 40000 + 2 * id,
				      "leg %u as added", id);
				infos++;
			} else if (e.h.type == SL_EVT_ACK && e.h.seq == seq) {
				CHECK(e.ack.result == SL_OK &&
				      e.ack.value == 100, "dump ACK: 100");
				CHECK(infos == 100, "100 LEG_INFO before the "
				      "ACK, got %u", infos);
				return;
			}
		}
	}
	CHECK(0, "the dump never ended (%u infos)", infos);
}

static void
case_delete_then_reuse(void)
{
	struct sl_leg_spec a = port_leg(1, 40000, SL_LATCH_ONCE);
	union sl_msg m;
	uint32_t seq;

	ctl_up(64, 64);
	CHECK(leg_cmd(SL_CMD_LEG_ADD, &a) == SL_OK, "added");
	memset(&m, 0, sizeof(m));
	m.leg_id.leg_id = 1;
	seq = send_cmd(&m, SL_CMD_LEG_DEL, sizeof(m.leg_id));
	poll_n(1);
	expect_ack(seq, SL_OK, "delete");
	CHECK(H.tb.dm->flow.port_leg[40000] == 0, "port unhooked at once");
	seq = send_cmd(&m, SL_CMD_LEG_DEL, sizeof(m.leg_id));
	poll_n(1);
	expect_ack(seq, SL_E_NOT_FOUND, "second delete");
	CHECK(leg_cmd(SL_CMD_LEG_ADD, &a) == SL_OK, "same id and port again");
	CHECK(H.tb.dm->flow.n_legs == 1, "one leg");
	CHECK(H.tb.dm->flow.grace_periods >= 1, "a grace period passed");
}

static void
case_full_rings_lose_no_ack(void)
{
	union sl_msg m, e;
	uint32_t first = next_seq, expect = next_seq, sent = 0, acked = 0;
	unsigned refused = 0, round;

	ctl_up(64, 64);
	memset(&m, 0, sizeof(m));
	/* Nobody reads events: the answers pile up (ring, then backlog),
	 * then the service stops taking commands and the ring fills. */
	for (round = 0; round < 200; round++) {
		while (1) {
			m.h.type = SL_CMD_PING;
			m.h.len = sizeof(m.ping);
			m.h.seq = next_seq;
			if (sl_ring_enqueue(S->cmd, &m, sizeof(m.ping)) != 0) {
				refused++;
				break;
			}
			next_seq++;
			sent++;
		}
		dp_ctl_poll(H.tb.dm);
	}
	CHECK(refused == 200, "the sender saw a full ring");
	CHECK(S->cmd->enq_full >= 200, "and the ring counted it");
	CHECK(sl_ring_count(S->cmd) == 64, "the command ring stays full");
	/* now read: every command gets its ACK, in order */
	for (round = 0; round < 10000 && acked < sent; round++) {
		while (evt_next(&e)) {
			CHECK(e.h.type == SL_EVT_ACK && e.h.seq == expect,
			      "ACK %u in order, got %u", expect, e.h.seq);
			expect = e.h.seq + 1;
			acked++;
		}
		dp_ctl_poll(H.tb.dm);
	}
	CHECK(acked == sent, "%u commands, %u ACKs (from seq %u)", sent,
	      acked, first);
	CHECK(S->hdr->evt_dropped == 0, "no event lost");
}

static void
case_dead_producer_slot_skipped(void)
{
	union sl_msg m;
	pid_t child = fork();
	uint64_t t0;
	uint32_t seq;

	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	ctl_up(64, 64);
	S->hdr->cp_pid = child;    /* attached, then died ... */
	__atomic_fetch_add(&S->cmd->enq_pos, 1, __ATOMIC_RELAXED);
	/* ... after claiming a slot it never filled; a live cp sends on */
	memset(&m, 0, sizeof(m));
	seq = send_cmd(&m, SL_CMD_PING, sizeof(m.ping));
	t0 = rte_get_timer_cycles();
	while (rte_get_timer_cycles() - t0 < rte_get_timer_hz() / 2) {
		dp_ctl_poll(H.tb.dm);
		rte_delay_us_sleep(1000);
	}
	CHECK(S->cmd->skipped == 1, "one slot stepped over");
	expect_ack(seq, SL_OK, "the command behind it");
}

static void
case_credentials_set_dump_delete(void)
{
	static const uint8_t key[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
					 12, 13, 14, 15, 16 };
	union sl_msg m, e;
	uint32_t seq;
	const struct dp_cred *c;

	ctl_up(64, 64);
	memset(&m, 0, sizeof(m));
	strcpy(m.cred_set.username, "alice");
	memcpy(m.cred_set.key, key, 16);
	seq = send_cmd(&m, SL_CMD_CRED_SET, sizeof(m.cred_set));
	poll_n(1);
	expect_ack(seq, SL_OK, "cred set");
	c = dp_flow_cred_find(&H.tb.dm->flow, "alice");
	CHECK(c && memcmp(c->key, key, 16) == 0, "alice's key stored");
	CHECK(!c->has_sha256, "no SHA-256 key given (all zero): MD5 only");
	/* ABI 5: the SHA-256 key rides along */
	memset(m.cred_set.key_sha256, 0x5c, 32);
	seq = send_cmd(&m, SL_CMD_CRED_SET, sizeof(m.cred_set));
	poll_n(1);
	expect_ack(seq, SL_OK, "cred set with a SHA-256 key");
	c = dp_flow_cred_find(&H.tb.dm->flow, "alice");
	CHECK(c && c->has_sha256 && H.tb.dm->flow.n_creds == 1,
	      "alice updated in place, SHA-256 key stored");
	memset(&m, 0, sizeof(m));
	m.dump.what = SL_DUMP_CREDS;
	seq = send_cmd(&m, SL_CMD_DUMP, sizeof(m.dump));
	poll_n(1);
	CHECK(evt_next(&e) && e.h.type == SL_EVT_CRED_INFO &&
	      strcmp(e.cred_info.username, "alice") == 0, "alice dumped");
	CHECK(expect_ack(seq, SL_OK, "cred dump") == 1, "one credential");
	memset(&m, 0, sizeof(m));
	strcpy(m.cred_del.username, "alice");
	seq = send_cmd(&m, SL_CMD_CRED_DEL, sizeof(m.cred_del));
	poll_n(1);
	expect_ack(seq, SL_OK, "cred del");
	CHECK(dp_flow_cred_find(&H.tb.dm->flow, "alice") == NULL, "gone");
}

static void
case_idle_leg_reported(void)
{
	struct sl_leg_spec a = port_leg(1, 40000, SL_LATCH_ONCE);
	uint64_t t0;
	union sl_msg e;
	unsigned idle = 0;

	ctl_up(64, 64);
	a.idle_timeout_s = 1;
	a.cookie = 77;
	CHECK(leg_cmd(SL_CMD_LEG_ADD, &a) == SL_OK, "added");
	t0 = rte_get_timer_cycles();
	while (rte_get_timer_cycles() - t0 < rte_get_timer_hz() * 3 / 2) {
		dp_ctl_poll(H.tb.dm);
		while (evt_next(&e))
			if (e.h.type == SL_EVT_LEG_IDLE) {
				CHECK(e.idle.leg_id == 1 &&
				      e.idle.cookie == 77 && e.idle.idle_s >= 1,
				      "IDLE for leg 1");
				idle++;
			}
		rte_delay_us_sleep(2000);
	}
	CHECK(idle == 1, "one IDLE event, got %u", idle);
}

static const struct h_case cases[] = {
	{ "ping_acked", case_ping_acked },
	{ "unknown_command_refused", case_unknown_command_refused },
	{ "malformed_commands_change_nothing",
	  case_malformed_commands_change_nothing },
	{ "relay_port_to_port", case_relay_port_to_port },
	{ "latch_once_holds_first_source", case_latch_once_holds_first_source },
	{ "relatch_after_silence", case_relatch_after_silence },
	{ "relay_resolves_next_hop", case_relay_resolves_next_hop },
	{ "relay_to_mux_peer_prepends_id", case_relay_to_mux_peer_prepends_id },
	{ "dump_streams_every_leg", case_dump_streams_every_leg },
	{ "delete_then_reuse", case_delete_then_reuse },
	{ "full_rings_lose_no_ack", case_full_rings_lose_no_ack },
	{ "dead_producer_slot_skipped", case_dead_producer_slot_skipped },
	{ "credentials_set_dump_delete", case_credentials_set_dump_delete },
	{ "idle_leg_reported", case_idle_leg_reported },
};

int
main(int argc, char **argv)
{
	return h_main(argc, argv, &H, cases, RTE_DIM(cases));
}
