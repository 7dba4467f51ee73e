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
 * A burst goes through in three passes, as the media stages do: parse and
 * sort every packet (requests leave for the service lcore at once), look
 * the burst's allocations up together (client 5-tuples as candidates of
 * one dp_hash_5t_candidates_burst, confirmed by the allocation; relay
 * ports by direct index on (relay address, port)) and prefetch the two
 * lines of each the work needs, then do the work. An allocation's first
 * two permissions and channels sit in its own line 2 (dp_turn.h), so in
 * the common case nothing else is looked up; more spill into the aux
 * hash.
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
#include <rte_prefetch.h>
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

/* The same for an allocation's inline slot: acquire, so that the address
 * or binding read after it is at least as new (dp_turn.h). */
static inline bool
slot_live(const uint64_t *exp, uint64_t now)
{
	return __atomic_load_n(exp, __ATOMIC_ACQUIRE) > now;
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
	dp_udp_readdress_from(m, out, &mac, lc->dm->turn.relay_ip[a->relay_ai],
			      a->relay_port, peer_addr, peer_port, oip);
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

/* The allocation behind a looked-up id, active and not expired. */
static inline struct dp_alloc *
alloc_live(const struct dp_turn *t, uint32_t id, uint64_t now)
{
	struct dp_alloc *a = dp_turn_alloc(t, id);

	return a != NULL && live(&a->expires_tsc, now) ? a : NULL;
}

/* Whether a (active) is the allocation of the client 5-tuple k on ifc:
 * confirms a candidate of dp_hash_5t_candidates_burst. An allocation's
 * client fields never change while it is active. */
static inline bool
alloc_is_client(const struct dp_alloc *a, unsigned ifc,
		const struct dp_hash_5t_key *k)
{
	return a->client_addr == k->src_addr &&
	       a->client_port == rte_be_to_cpu_16(k->src_port) &&
	       a->listen_port == rte_be_to_cpu_16(k->dst_port) &&
	       a->iface == ifc;
}

/* The two lines the work reads and writes, for a looked-up id. */
static inline void
alloc_prefetch(const struct dp_turn *t, uint32_t id)
{
	const struct dp_alloc *a;

	if (id == 0 || id > t->alloc_cap)
		return;
	a = &t->allocs[id];
	rte_prefetch0(a);
	rte_prefetch0(&a->perm_exp[0]);
}

/* A permission of a's for peer, from the allocation's inline slots or,
 * when some spilled, the aux hash. Expiry before address (dp_turn.h). */
static inline bool
permitted(const struct dp_turn *t, const struct dp_alloc *a, uint32_t peer,
	  uint64_t now)
{
	const struct dp_turn_perm *p;
	struct dp_hash_5t_key k;
	unsigned s;
	uint32_t pi;

	for (s = 0; s < DP_TURN_INLINE; s++)
		if (slot_live(&a->perm_exp[s], now) &&
		    __atomic_load_n(&a->perm_addr[s], __ATOMIC_RELAXED) == peer)
			return true;
	if (__atomic_load_n(&a->perm_spill, __ATOMIC_RELAXED) == 0)
		return false;
	k = dp_turn_key(DP_TK_PERM, peer, a->id, 0);
	pi = dp_hash_5t_lookup(t->aux, &k);
	if (pi == DP_HASH_NONE)
		return false;
	p = &t->perms[pi];
	return p->alloc_id == a->id && p->peer_addr == peer &&
	       live(&p->expires_tsc, now);
}

/* A live channel of a's: by number (`number` set, peer and port out) or
 * by peer (peer and port set, `number` 0, the number out). */
static inline bool
channel_find(const struct dp_turn *t, const struct dp_alloc *a,
	     uint16_t *number, uint32_t *peer, uint16_t *port, uint64_t now)
{
	uint64_t want = *number != 0 ? (uint64_t)*number << 48 :
			dp_turn_bind_word(*peer, *port, 0);
	uint64_t mask = *number != 0 ? UINT64_C(0xffff) << 48 :
			~(UINT64_C(0xffff) << 48);
	const struct dp_turn_chan *c;
	struct dp_hash_5t_key k;
	unsigned s;
	uint32_t ci;

	for (s = 0; s < DP_TURN_INLINE; s++) {
		uint64_t w;

		if (!slot_live(&a->chan_inl[s].exp, now))
			continue;
		w = __atomic_load_n(&a->chan_inl[s].bind, __ATOMIC_RELAXED);
		if ((w & mask) == want) {
			*peer = (uint32_t)w;
			*port = (uint16_t)(w >> 32);
			*number = (uint16_t)(w >> 48);
			return true;
		}
	}
	if (__atomic_load_n(&a->chan_spill, __ATOMIC_RELAXED) == 0)
		return false;
	k = *number != 0 ? dp_turn_key(DP_TK_CHAN, a->id, 0, *number) :
	    dp_turn_key(DP_TK_CHAN_PEER, *peer, a->id, *port);
	ci = dp_hash_5t_lookup(t->aux, &k);
	if (ci == DP_HASH_NONE)
		return false;
	c = &t->chans[ci];
	if (c->alloc_id != a->id || !live(&c->expires_tsc, now) ||
	    (*number != 0 ? c->number != *number :
	     c->peer_addr != *peer || c->peer_port != *port))
		return false;
	*peer = c->peer_addr;
	*port = c->peer_port;
	*number = c->number;
	return true;
}

/* What phase 1 learned of a data packet from a client. */
struct client_pkt {
	uint8_t *pl;
	uint32_t plen;
	bool send;              /* Send indication, else ChannelData */
	bool peer_v4;           /* Send: the peer is IPv4 once normalised */
	uint16_t channel;       /* ChannelData */
	uint16_t len;           /* ChannelData: data; Send: DATA */
	uint16_t data_off;      /* Send: DATA's offset in the payload */
	uint16_t peer_port;     /* Send */
	uint32_t peer_addr;     /* Send, network order */
};

static void
channel_data_in(struct dp_lcore *lc, struct rte_mbuf *m,
		const struct client_pkt *cp, struct dp_alloc *a,
		uint64_t now)
{
	const struct dp_turn *t = &lc->dm->turn;
	uint16_t number = cp->channel, port = 0, oip[6], hw[2];
	uint32_t peer = 0;
	bool padded;

	if (!channel_find(t, a, &number, &peer, &port, now)) {
		dp_leg_count(&a->drops, 1);
		dp_drop(lc, m, DP_DROP_TURN_NO_CHANNEL);
		return;
	}
	if (!permitted(t, a, peer, now)) {
		dp_leg_count(&a->drops, 1);
		dp_drop(lc, m, DP_DROP_TURN_NO_PERMISSION);
		return;
	}
	padded = (uint32_t)cp->len + TURN_CHANNEL_HEADER_LEN < cp->plen;
	dp_ip_words(rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
					    m->l2_len), oip);
	memcpy(hw, cp->pl, sizeof(hw));
	dp_frame_resize(m, TURN_CHANNEL_HEADER_LEN);
	if (padded) {
		payload_trim(m, cp->len);
	} else {
		static const uint16_t zero[2];
		struct rte_udp_hdr *uh = dp_udp_hdr(m);

		uh->dgram_cksum = dp_udp_csum_adjust(uh->dgram_cksum, hw,
						     zero, 2);
	}
	to_peer(lc, m, a, peer, port, oip, padded);
}

static void
send_indication_in(struct dp_lcore *lc, struct rte_mbuf *m,
		   const struct client_pkt *cp, struct dp_alloc *a,
		   uint64_t now)
{
	uint16_t oip[6];

	if (!cp->peer_v4 || !permitted(&lc->dm->turn, a, cp->peer_addr, now)) {
		dp_leg_count(&a->drops, 1);
		dp_drop(lc, m, DP_DROP_TURN_NO_PERMISSION);
		return;
	}
	dp_ip_words(rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
					    m->l2_len), oip);
	dp_frame_resize(m, cp->data_off);
	payload_trim(m, cp->len);
	to_peer(lc, m, a, cp->peer_addr, cp->peer_port, oip, true);
}

/* A Send indication's peer and DATA; false when malformed. */
static bool
send_indication_parse(struct client_pkt *cp)
{
	struct stun_msg sm;
	struct stun_addr peer;

	if (stun_parse(&sm, cp->pl, cp->plen) != STUN_OK ||
	    !(sm.have & STUN_HAVE_XOR_PEER_ADDRESS) ||
	    !(sm.have & STUN_HAVE_DATA))
		return false;
	turn_peer_normalise(&sm.peers[0], &peer);
	cp->send = true;
	cp->peer_v4 = peer.family == STUN_AF_IPV4;
	cp->peer_addr = cp->peer_v4 ? peer.ip.v4 : 0;
	cp->peer_port = peer.port;
	cp->data_off = (uint16_t)sm.data.off;
	cp->len = (uint16_t)sm.data.len;
	return true;
}

/*
 * Phase 1 for one packet: ChannelData and Send indications parsed into cp
 * (true: data, to be looked up); malformed ones dropped; any other STUN
 * queued for the service lcore, which parses it again in full.
 */
static bool
client_pkt_sort(struct dp_lcore *lc, unsigned ifc, struct rte_mbuf *m,
		struct client_pkt *cp)
{
	struct turn_channel_data cd;

	cp->plen = dp_udp_payload_len(m);
	cp->pl = payload(m, cp->plen);
	if (cp->pl == NULL || m->nb_segs != 1) {
		dp_drop(lc, m, DP_DROP_TURN_SEGMENTED);
		return false;
	}
	switch (stun_classify(cp->pl, cp->plen)) {
	case STUN_KIND_CHANNEL_DATA:
		if (turn_channel_data_parse(&cd, cp->pl, cp->plen) !=
		    STUN_OK) {
			dp_drop(lc, m, DP_DROP_TURN_MALFORMED);
			return false;
		}
		/* from the header parse checked, not from cd: two 16-bit
		 * stores read as one word would stall store forwarding */
		cp->send = false;
		cp->channel = rte_be_to_cpu_16(*(const unaligned_uint16_t *)
					       cp->pl);
		cp->len = rte_be_to_cpu_16(*(const unaligned_uint16_t *)
					   (cp->pl + 2));
		return true;
	case STUN_KIND_STUN:
		break;
	default:
		dp_drop(lc, m, DP_DROP_TURN_MALFORMED);
		return false;
	}
	if (cp->plen >= STUN_HEADER_LEN &&
	    cp->pl[0] == (stun_type(TURN_SEND, STUN_INDICATION) >> 8) &&
	    cp->pl[1] == (stun_type(TURN_SEND, STUN_INDICATION) & 0xff)) {
		if (send_indication_parse(cp))
			return true;
		dp_drop(lc, m, DP_DROP_TURN_MALFORMED);
		return false;
	}
	m->port = (uint16_t)ifc;
	if (rte_ring_sp_enqueue(lc->turn_ring, m) != 0)
		dp_drop(lc, m, DP_DROP_TURN_REQUEST_RING_FULL);
	return false;
}

/* The packet's 5-tuple as the client table keys it (dp_hash_5t_key_make's
 * layout), written as two words: a key built field by field and then
 * copied whole stalls store forwarding. */
static inline void
client_key(struct rte_mbuf *m, struct dp_hash_5t_key *k)
{
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m,
		const struct rte_ipv4_hdr *, m->l2_len);
	const struct rte_udp_hdr *uh = dp_udp_hdr(m);
	uint64_t w[2];

#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	memcpy(&w[0], &ip->src_addr, 8);        /* src, dst: adjacent */
	w[1] = (uint64_t)uh->src_port | (uint64_t)uh->dst_port << 16 |
	       (uint64_t)IPPROTO_UDP << 32;
	memcpy(k, w, sizeof(w));
#else
	(void)w;
	*k = dp_hash_5t_key_make(ip->src_addr, ip->dst_addr, uh->src_port,
				 uh->dst_port, IPPROTO_UDP);
#endif
}

void
dp_turn_process(struct dp_lcore *lc, unsigned ifc, struct rte_mbuf **pkts,
		uint16_t n)
{
	const struct dp_turn *t = &lc->dm->turn;
	struct client_pkt cp[DP_MAX_BURST];
	struct dp_hash_5t_key keys[DP_MAX_BURST];
	struct rte_mbuf *ok[DP_MAX_BURST];
	uint32_t ids[DP_MAX_BURST];
	uint64_t now = rte_rdtsc();
	uint16_t i, k = 0;

	/* 1: sort; the data packets' client 5-tuples */
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		if (!client_pkt_sort(lc, ifc, m, &cp[k]))
			continue;
		client_key(m, &keys[k]);
		ok[k++] = m;
	}
	if (k == 0)
		return;
	/* 2: the allocations, all at once: candidates from the client
	 * table's buckets (the allocation holds the 5-tuple, so the table's
	 * key lines are not read); their lines on their way */
	dp_hash_5t_candidates_burst(t->clients, keys, k, ids);
	for (i = 0; i < k; i++)
		alloc_prefetch(t, ids[i]);
	/* 3: the work; a candidate that is not the packet's client (rare)
	 * looked up in full */
	for (i = 0; i < k; i++) {
		struct rte_mbuf *m = ok[i];
		struct dp_alloc *a = alloc_live(t, ids[i], now);

		if (a == NULL || !alloc_is_client(a, ifc, &keys[i]))
			a = alloc_live(t, dp_hash_5t_lookup(t->clients,
							    &keys[i]), now);

		if (a == NULL) {
			dp_drop(lc, m, DP_DROP_TURN_NO_ALLOCATION);
			continue;
		}
		learn(lc, m, a->iface, keys[i].src_addr);
		if (cp[i].send)
			send_indication_in(lc, m, &cp[i], a, now);
		else
			channel_data_in(lc, m, &cp[i], a, now);
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

/* The allocation id a datagram to a relay port is for (0: none): the
 * relay index by (relay address, port). */
static inline uint32_t
relay_lookup(const struct dp_turn *t, unsigned ifc, struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m,
		const struct rte_ipv4_hdr *, m->l2_len);
	uint16_t dport = rte_be_to_cpu_16(dp_udp_hdr(m)->dst_port);
	int ai = ip->dst_addr == t->relay_ip[ifc] ? (int)ifc :
		 dp_turn_relay_ai(t, ifc, ip->dst_addr);
	uint32_t id;

	if (ai < 0)     /* classify lets only our addresses through */
		return 0;
	id = __atomic_load_n(&t->relay_alloc[(size_t)ai * 65536 + dport],
			     __ATOMIC_ACQUIRE);
	return id == DP_TURN_RESERVED ? 0 : id;
}

static void
peer_data_in(struct dp_lcore *lc, unsigned ifc, struct rte_mbuf *m,
	     struct dp_alloc *a, uint64_t now)
{
	const struct dp_turn *t = &lc->dm->turn;
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m,
		const struct rte_ipv4_hdr *, m->l2_len);
	struct rte_udp_hdr *uh = dp_udp_hdr(m);
	uint32_t src = ip->src_addr, len;
	uint16_t sport = rte_be_to_cpu_16(uh->src_port), number = 0, oip[6];
	uint32_t peer = src;
	uint16_t port = sport;

	if (!permitted(t, a, src, now)) {
		dp_leg_count(&a->drops, 1);
		dp_drop(lc, m, DP_DROP_TURN_NO_PERMISSION);
		return;
	}
	learn(lc, m, ifc, src);
	len = dp_udp_payload_len(m);
	dp_leg_count(&a->bytes_out, len);
	dp_ip_words(ip, oip);
	if (channel_find(t, a, &number, &peer, &port, now)) {
		uint16_t hw[2];
		static const uint16_t zero[2];

		if (!dp_frame_resize(m, -TURN_CHANNEL_HEADER_LEN)) {
			dp_drop(lc, m, DP_DROP_NO_HEADROOM);
			return;
		}
		turn_channel_data_header((uint8_t *)hw, number, (uint16_t)len);
		memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, DP_UDP_HDRS(m)),
		       hw, sizeof(hw));
		uh = dp_udp_hdr(m);
		uh->dgram_cksum = dp_udp_csum_adjust(uh->dgram_cksum, zero, hw,
						     2);
		to_client(lc, m, a, oip, false);
		return;
	}
	if (!data_indication_wrap(lc, m, src, sport, len)) {
		dp_drop(lc, m, DP_DROP_NO_HEADROOM);
		return;
	}
	to_client(lc, m, a, oip, true);
}

void
dp_turn_relay_process(struct dp_lcore *lc, unsigned ifc,
		      struct rte_mbuf **pkts, uint16_t n)
{
	const struct dp_turn *t = &lc->dm->turn;
	struct rte_mbuf *ok[DP_MAX_BURST];
	uint32_t ids[DP_MAX_BURST];
	uint64_t now = rte_rdtsc();
	uint16_t i, k = 0;

	/* 1: every datagram's allocation, its lines prefetched */
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		if (m->nb_segs != 1) {
			dp_drop(lc, m, DP_DROP_TURN_SEGMENTED);
			continue;
		}
		ids[k] = relay_lookup(t, ifc, m);
		alloc_prefetch(t, ids[k]);
		ok[k++] = m;
	}
	/* 2: the work */
	for (i = 0; i < k; i++) {
		struct dp_alloc *a = alloc_live(t, ids[i], now);

		if (a == NULL) {
			dp_drop(lc, ok[i], DP_DROP_TURN_RELAY_CLOSED);
			continue;
		}
		peer_data_in(lc, ifc, ok[i], a, now);
	}
}
