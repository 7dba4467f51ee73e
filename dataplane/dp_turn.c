/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_turn.c — the TURN stages on the worker lcores: data relayed between
 * clients and peers without leaving the fast path (RFC 8656 §11, §12).
 *
 *   listening port:  ChannelData ──► channel ──► permission ──► strip the
 *                    4-byte header ──► from the relay port to the peer
 *                    Send indication ──► XOR-PEER-ADDRESS, DATA ──►
 *                    permission ──► the DATA bytes alone ──► the peer
 *                    any other STUN ──► the service lcore (requests)
 *   relay port:      permission(source) ──► channel(source)?
 *                      ChannelData: prepend 4 bytes
 *                      else Data indication: prepend 36 bytes, pad to 4
 *                    ──► from the listening port to the client
 *
 * Checksums: the ChannelData paths adjust both incrementally (the four
 * header bytes are two words of the sum); the indication paths, slower by
 * nature, sum the UDP datagram again.
 *
 * Reads: m->l2_len, m->l3_len (classify), the headers and the first bytes
 * of the payload in the first segment (checked).
 * Sets: the frame as it leaves; m->port (the interface) on requests handed
 * to the service lcore.
 */
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dp.h"
#include "dp_pkt.h"
#include "dp_turn.h"
#include "dp_turn_int.h"

/* An expiry (written by the service lcore, one 64-bit store) not passed. */
static inline bool
live(const uint64_t *expires_tsc, uint64_t now)
{
	return __atomic_load_n(expires_tsc, __ATOMIC_RELAXED) > now;
}

/* The UDP payload, when its first `need` bytes are in the first segment. */
static inline uint8_t *
payload(struct rte_mbuf *m, uint32_t need)
{
	if (DP_UDP_HDRS(m) + need > rte_pktmbuf_data_len(m))
		return NULL;
	return rte_pktmbuf_mtod_offset(m, uint8_t *, DP_UDP_HDRS(m));
}

/* The UDP checksum summed again, after a change not worth adjusting. */
static void
udp_csum_full(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m,
		struct rte_ipv4_hdr *, m->l2_len);
	struct rte_udp_hdr *uh = dp_udp_hdr(m);

	/* single-segment frames only reach here (checked on the way in) */
	uh->dgram_cksum = 0;
	uh->dgram_cksum = rte_ipv4_udptcp_cksum(ip, uh);
}

/* Cuts the datagram's payload to its first `len` bytes. */
static void
payload_trim(struct rte_mbuf *m, uint32_t len)
{
	uint32_t have = dp_udp_payload_len(m);
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *uh;

	if (len >= have)
		return;
	rte_pktmbuf_trim(m, (uint16_t)(have - len));
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
	uh = dp_udp_hdr(m);
	ip->total_length = rte_cpu_to_be_16(
		rte_be_to_cpu_16(ip->total_length) - (have - len));
	uh->dgram_len = rte_cpu_to_be_16(
		rte_be_to_cpu_16(uh->dgram_len) - (have - len));
}

/* Relays `m` (its payload already the application data) from the
 * allocation's relay port to the peer; counts it on the allocation. */
static void
to_peer(struct dp_lcore *lc, struct rte_mbuf *m, struct dp_alloc *a,
	uint32_t peer_addr, uint16_t peer_port, const uint16_t oip[6],
	bool full_csum)
{
	const struct dp_iface *out = &lc->dm->ifaces[a->iface];
	struct rte_ether_addr mac;
	enum dp_drop_reason why;

	why = dp_next_hop(lc, out, peer_addr, &mac);
	if (why != 0) {
		dp_drop(lc, m, why);
		return;
	}
	dp_udp_readdress(m, out, &mac, a->relay_port, peer_addr, peer_port,
			 oip);
	if (full_csum)
		udp_csum_full(m);
	dp_leg_count(&a->pkts_in, 1);
	dp_leg_count(&a->bytes_in, dp_udp_payload_len(m));
	dp_count(&lc->stats.relayed_pkts, 1);
	dp_tx(lc, out->idx, m);
}

/* A source that proved itself (an allocation's client, a permitted peer):
 * its MAC is the next hop back to it. */
static inline void
learn(struct dp_lcore *lc, struct rte_mbuf *m, unsigned ifc, uint32_t src)
{
	dp_neigh_learn(&lc->dm->ifaces[ifc], src,
		       &rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->src_addr);
}

/* The allocation of the packet's 5-tuple, live, or NULL (counted and
 * dropped); the client's MAC learned when there is one. */
static struct dp_alloc *
client_alloc(struct dp_lcore *lc, struct rte_mbuf *m, uint64_t now)
{
	const struct dp_turn *t = &lc->dm->turn;
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m,
		const struct rte_ipv4_hdr *, m->l2_len);
	const struct rte_udp_hdr *uh = dp_udp_hdr(m);
	struct dp_hash_5t_key k = dp_hash_5t_key_make(ip->src_addr,
		ip->dst_addr, uh->src_port, uh->dst_port, IPPROTO_UDP);
	struct dp_alloc *a = dp_turn_alloc(t, dp_hash_5t_lookup(t->clients,
								&k));

	if (a == NULL || !live(&a->expires_tsc, now)) {
		dp_drop(lc, m, DP_DROP_TURN_NO_ALLOCATION);
		return NULL;
	}
	learn(lc, m, a->iface, ip->src_addr);
	return a;
}

static bool
permitted(const struct dp_turn *t, const struct dp_alloc *a, uint32_t peer,
	  uint64_t now)
{
	const struct dp_turn_perm *p = dp_turn_perm_find(t, a->id, peer);

	return p != NULL && p->alloc_id == a->id && live(&p->expires_tsc, now);
}

static void
channel_data_in(struct dp_lcore *lc, struct rte_mbuf *m, const uint8_t *pl,
		uint32_t plen, uint64_t now)
{
	const struct dp_turn *t = &lc->dm->turn;
	struct turn_channel_data cd;
	const struct dp_turn_chan *c;
	struct dp_alloc *a;
	uint16_t oip[6], hw[2];
	bool padded;

	if (turn_channel_data_parse(&cd, pl, plen) != STUN_OK) {
		dp_drop(lc, m, DP_DROP_TURN_MALFORMED);
		return;
	}
	a = client_alloc(lc, m, now);
	if (a == NULL)
		return;
	c = dp_turn_chan_by_number(t, a->id, cd.channel);
	if (c == NULL || c->alloc_id != a->id || !live(&c->expires_tsc, now)) {
		dp_leg_count(&a->drops, 1);
		dp_drop(lc, m, DP_DROP_TURN_NO_CHANNEL);
		return;
	}
	if (!permitted(t, a, c->peer_addr, now)) {
		dp_leg_count(&a->drops, 1);
		dp_drop(lc, m, DP_DROP_TURN_NO_PERMISSION);
		return;
	}
	padded = (uint32_t)cd.len + TURN_CHANNEL_HEADER_LEN < plen;
	dp_ip_words(rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
					    m->l2_len), oip);
	memcpy(hw, pl, sizeof(hw));
	dp_frame_resize(m, TURN_CHANNEL_HEADER_LEN);
	if (padded) {
		payload_trim(m, cd.len);
	} else {
		static const uint16_t zero[2];
		struct rte_udp_hdr *uh = dp_udp_hdr(m);

		uh->dgram_cksum = dp_udp_csum_adjust(uh->dgram_cksum, hw,
						     zero, 2);
	}
	to_peer(lc, m, a, c->peer_addr, c->peer_port, oip, padded);
}

static void
send_indication_in(struct dp_lcore *lc, struct rte_mbuf *m,
		   const struct stun_msg *sm, uint64_t now)
{
	const struct dp_turn *t = &lc->dm->turn;
	struct stun_addr peer;
	struct dp_alloc *a;
	uint16_t oip[6];

	if (!(sm->have & STUN_HAVE_XOR_PEER_ADDRESS) ||
	    !(sm->have & STUN_HAVE_DATA)) {
		dp_drop(lc, m, DP_DROP_TURN_MALFORMED);
		return;
	}
	a = client_alloc(lc, m, now);
	if (a == NULL)
		return;
	turn_peer_normalise(&sm->peers[0], &peer);
	if (peer.family != STUN_AF_IPV4 ||
	    !permitted(t, a, peer.ip.v4, now)) {
		dp_leg_count(&a->drops, 1);
		dp_drop(lc, m, DP_DROP_TURN_NO_PERMISSION);
		return;
	}
	dp_ip_words(rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
					    m->l2_len), oip);
	dp_frame_resize(m, sm->data.off);
	payload_trim(m, sm->data.len);
	to_peer(lc, m, a, peer.ip.v4, peer.port, oip, true);
}

void
dp_turn_process(struct dp_lcore *lc, unsigned ifc, struct rte_mbuf **pkts,
		uint16_t n)
{
	uint64_t now = rte_rdtsc();
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t plen = dp_udp_payload_len(m);
		uint8_t *pl = payload(m, plen);
		struct stun_msg sm;

		if (pl == NULL || m->nb_segs != 1) {
			dp_drop(lc, m, DP_DROP_TURN_SEGMENTED);
			continue;
		}
		switch (stun_classify(pl, plen)) {
		case STUN_KIND_CHANNEL_DATA:
			channel_data_in(lc, m, pl, plen, now);
			continue;
		case STUN_KIND_STUN:
			break;
		default:
			dp_drop(lc, m, DP_DROP_TURN_MALFORMED);
			continue;
		}
		/* a Send indication is data: here; anything else is for
		 * the service lcore, which parses it again in full */
		if (plen >= STUN_HEADER_LEN &&
		    pl[0] == (stun_type(TURN_SEND, STUN_INDICATION) >> 8) &&
		    pl[1] == (stun_type(TURN_SEND, STUN_INDICATION) & 0xff)) {
			if (stun_parse(&sm, pl, plen) != STUN_OK) {
				dp_drop(lc, m, DP_DROP_TURN_MALFORMED);
				continue;
			}
			send_indication_in(lc, m, &sm, now);
			continue;
		}
		m->port = (uint16_t)ifc;
		if (rte_ring_sp_enqueue(lc->turn_ring, m) != 0)
			dp_drop(lc, m, DP_DROP_TURN_REQUEST_RING_FULL);
	}
}

/* --- peer → client ------------------------------------------------------- */

static void
to_client(struct dp_lcore *lc, struct rte_mbuf *m, struct dp_alloc *a,
	  const uint16_t oip[6], bool full_csum)
{
	const struct dp_iface *out = &lc->dm->ifaces[a->iface];
	struct rte_ether_addr mac;
	enum dp_drop_reason why;

	why = dp_next_hop(lc, out, a->client_addr, &mac);
	if (why != 0) {
		dp_drop(lc, m, why);
		return;
	}
	dp_udp_readdress(m, out, &mac, a->listen_port, a->client_addr,
			 a->client_port, oip);
	if (full_csum)
		udp_csum_full(m);
	dp_leg_count(&a->pkts_out, 1);
	dp_count(&lc->stats.relayed_pkts, 1);
	dp_tx(lc, out->idx, m);
}

/* Data indication: 36 bytes in front, zero padding to 4 behind. Its
 * transaction id is the lcore's random salt and a counter seeded at
 * random: unique, and no random draw per packet (nothing answers an
 * indication, so nothing needs it unguessable). */
static bool
data_indication_wrap(struct dp_lcore *lc, struct rte_mbuf *m,
		     uint32_t peer_addr, uint16_t peer_port, uint32_t len)
{
	uint32_t pad = (4 - len % 4) % 4;
	struct stun_addr peer = stun_addr_v4(peer_addr, peer_port);
	uint8_t tid[STUN_TID_LEN];
	uint64_t seq = lc->tid_seq++;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *uh;
	uint8_t *hdr, *tail;

	memcpy(tid, &lc->tid_salt, 4);
	memcpy(tid + 4, &seq, 8);
	if (pad && rte_pktmbuf_tailroom(rte_pktmbuf_lastseg(m)) < pad)
		return false;
	if (!dp_frame_resize(m, -36))
		return false;
	hdr = rte_pktmbuf_mtod_offset(m, uint8_t *, DP_UDP_HDRS(m));
	turn_data_indication_header(hdr, 36, tid, &peer, len);
	if (pad) {
		tail = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)pad);
		memset(tail, 0, pad);
		ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
					     m->l2_len);
		uh = dp_udp_hdr(m);
		ip->total_length = rte_cpu_to_be_16(
			rte_be_to_cpu_16(ip->total_length) + pad);
		uh->dgram_len = rte_cpu_to_be_16(
			rte_be_to_cpu_16(uh->dgram_len) + pad);
	}
	return true;
}

void
dp_turn_relay_process(struct dp_lcore *lc, unsigned ifc,
		      struct rte_mbuf **pkts, uint16_t n)
{
	const struct dp_turn *t = &lc->dm->turn;
	uint64_t now = rte_rdtsc();
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m,
			const struct rte_ipv4_hdr *, m->l2_len);
		struct rte_udp_hdr *uh = dp_udp_hdr(m);
		uint16_t dport = rte_be_to_cpu_16(uh->dst_port);
		uint16_t sport = rte_be_to_cpu_16(uh->src_port);
		uint32_t src = ip->src_addr, id, len;
		const struct dp_turn_chan *c;
		struct dp_alloc *a;
		uint16_t oip[6];

		if (m->nb_segs != 1) {
			dp_drop(lc, m, DP_DROP_TURN_SEGMENTED);
			continue;
		}
		id = __atomic_load_n(&t->relay_alloc[(size_t)ifc * 65536 +
						     dport], __ATOMIC_ACQUIRE);
		a = id == DP_TURN_RESERVED ? NULL : dp_turn_alloc(t, id);
		if (a == NULL || !live(&a->expires_tsc, now)) {
			dp_drop(lc, m, DP_DROP_TURN_RELAY_CLOSED);
			continue;
		}
		if (!permitted(t, a, src, now)) {
			dp_leg_count(&a->drops, 1);
			dp_drop(lc, m, DP_DROP_TURN_NO_PERMISSION);
			continue;
		}
		learn(lc, m, ifc, src);
		len = dp_udp_payload_len(m);
		dp_leg_count(&a->bytes_out, len);
		dp_ip_words(ip, oip);
		c = dp_turn_chan_by_peer(t, a->id, src, sport);
		if (c != NULL && c->alloc_id == a->id &&
		    live(&c->expires_tsc, now)) {
			uint16_t hw[2];
			static const uint16_t zero[2];

			if (!dp_frame_resize(m, -TURN_CHANNEL_HEADER_LEN)) {
				dp_drop(lc, m, DP_DROP_NO_HEADROOM);
				continue;
			}
			turn_channel_data_header((uint8_t *)hw, c->number,
						 (uint16_t)len);
			memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *,
						       DP_UDP_HDRS(m)),
			       hw, sizeof(hw));
			uh = dp_udp_hdr(m);
			uh->dgram_cksum = dp_udp_csum_adjust(uh->dgram_cksum,
							     zero, hw, 2);
			to_client(lc, m, a, oip, false);
			continue;
		}
		if (!data_indication_wrap(lc, m, src, sport, len)) {
			dp_drop(lc, m, DP_DROP_NO_HEADROOM);
			continue;
		}
		to_client(lc, m, a, oip, true);
	}
}
