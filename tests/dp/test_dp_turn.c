/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_dp_turn.c — the TURN server in-process: requests built with the
 * codec's writer (dataplane/stun), sent through the ring ports, answered by
 * the service lcore; answers parsed and their integrity checked with the
 * credential's key; relayed data compared byte by byte.
 *
 *   client 192.0.2.1:50000 ──3478──► sluice 192.0.2.10 ──relay 24000+──►
 *                                                       peer 192.0.2.20/21
 *
 * `test_dp_turn CASE` runs one case in its own EAL.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_arp.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dp_harness.h"
#include "dp_turn_int.h"
#include "dp_legs.h"
#include "stun.h"
#include "turn_auth.h"

#define CLIENT H_IP4(192, 0, 2, 1)
#define PEER   H_IP4(192, 0, 2, 20)
#define PEER2  H_IP4(192, 0, 2, 21)
#define PEER3  H_IP4(192, 0, 2, 22)    /* never ARPed */
#define CPORT  50000
#define TURN_PORT 3478
#define USER  "alice"
#define PASS  "s3cret"
#define REALM "relay.example"

static struct stun_key KEY;     /* alice's long-term key (MD5) */
static struct stun_key KEY256;  /* alice's SHA-256 long-term key */
static char NONCE[TURN_NONCE_LEN + 1];

/* The harness's appliance, one interface; each case adds its own. */
#define YAML_APPLIANCE \
	"profile: small\n" \
	"interfaces:\n" \
	"  - name: external\n" \
	"    device: net_ring_test\n" \
	"    address: 192.0.2.10/24\n"

static const char *const yaml_turn =
	YAML_APPLIANCE
	"credentials:\n"
	"  - { username: alice, password: \"s3cret\" }\n"
	"turn:\n"
	"  realm: relay.example\n"
	"  allocations_per_user: 2\n"
	"  relay_capacity: 3\n"
	"  allowed_peers: [ 192.0.2.0/24 ]\n";

/* alice in the credential store, as sluice-cp would put her there. */
static void
cred_up(void)
{
	uint8_t key[TURN_KEY_MAX];
	size_t n = turn_longterm_key(STUN_PWALG_MD5, USER, strlen(USER),
				     REALM, strlen(REALM), PASS, strlen(PASS),
				     key);

	uint8_t key256[TURN_KEY_MAX];
	size_t n256 = turn_longterm_key(STUN_PWALG_SHA256, USER, strlen(USER),
					REALM, strlen(REALM), PASS,
					strlen(PASS), key256);

	CHECK(n == 16 && n256 == 32, "key lengths");
	CHECK(dp_flow_cred_set(&H.tb.dm->flow, USER, key, key256) == SL_OK,
	      "cred");
	stun_key_init(&KEY, key, n);
	stun_key_init(&KEY256, key256, n256);
}

/* A peer answers ARP so the relay knows its MAC. */
static void
peer_arp(uint32_t ip_host)
{
	uint8_t f[FRAME_MAX];
	size_t len = h_frame_arp(&H, f, RTE_ARP_OP_REQUEST, H.our_ip);
	struct rte_arp_hdr *a = (struct rte_arp_hdr *)(f +
					sizeof(struct rte_ether_hdr));

	a->arp_data.arp_sip = rte_cpu_to_be_32(ip_host);
	h_rx(&H, f, len);
	h_run(&H);
	while (h_nic_out(&H, NULL, NULL) > 0)  /* the ARP reply */
		;
}

/* The UDP checksum of a frame's datagram is right (recomputed on a copy). */
static bool
udp_ok(const struct rte_ipv4_hdr *ip)
{
	uint8_t copy[FRAME_MAX];
	struct rte_ipv4_hdr *c = (struct rte_ipv4_hdr *)copy;
	struct rte_udp_hdr *u = (struct rte_udp_hdr *)(c + 1);
	uint16_t got;

	memcpy(copy, ip, rte_be_to_cpu_16(ip->total_length));
	got = u->dgram_cksum;
	u->dgram_cksum = 0;
	return got == rte_ipv4_udptcp_cksum(c, u);
}

static uint8_t tid_seq;

static void
tid_make(uint8_t tid[STUN_TID_LEN])
{
	memset(tid, 0x5a, STUN_TID_LEN);
	tid[11] = ++tid_seq;
}

/* Starts a request; auth adds USERNAME, REALM, NONCE at the end (then
 * req_send signs it). */
static void
req_start(struct stun_writer *w, uint8_t *buf, uint16_t method,
	  const uint8_t *tid)
{
	uint8_t t[STUN_TID_LEN];

	if (tid == NULL) {
		tid_make(t);
		tid = t;
	}
	stun_writer_init(w, buf, 1024, method, STUN_REQUEST, tid);
}

static void
req_auth(struct stun_writer *w, const char *nonce)
{
	stun_put_str(w, STUN_A_USERNAME, USER);
	stun_put_str(w, STUN_A_REALM, REALM);
	stun_put_str(w, STUN_A_NONCE, nonce);
	stun_put_integrity(w, &KEY);
	stun_put_fingerprint(w);
}

/* The listening port requests go to (the profile's first by default). */
static uint16_t LISTEN = TURN_PORT;

/* The response frame's STUN message, parsed; false when none came. */
static uint8_t RESP[FRAME_MAX];

static bool
exchange_from(uint16_t sport, const uint8_t *msg, size_t len,
	      struct stun_msg *out)
{
	uint8_t f[FRAME_MAX];
	size_t flen = h_frame_udp_from(&H, f, CLIENT, sport, LISTEN, msg,
				       len), rlen = 0;
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *uh;
	unsigned n;

	h_rx(&H, f, flen);
	h_run(&H);
	n = h_nic_out(&H, RESP, &rlen);
	if (n == 0)
		return false;
	CHECK(n == 1, "one answer, got %u", n);
	ip = (const struct rte_ipv4_hdr *)(RESP + sizeof(struct rte_ether_hdr));
	uh = (const struct rte_udp_hdr *)(ip + 1);
	CHECK(ip->src_addr == H.our_ip && ip->dst_addr ==
	      rte_cpu_to_be_32(CLIENT), "answer addressed to the client");
	CHECK(rte_be_to_cpu_16(uh->src_port) == LISTEN &&
	      rte_be_to_cpu_16(uh->dst_port) == sport, "answer ports");
	CHECK(udp_ok(ip) && uh != NULL, "UDP checksum");
	CHECK(stun_parse(out, uh + 1, rte_be_to_cpu_16(uh->dgram_len) - 8) ==
	      STUN_OK, "the answer parses, FINGERPRINT right");
	CHECK(out->have & STUN_HAVE_FINGERPRINT, "FINGERPRINT present");
	return true;
}

static bool
exchange(const uint8_t *msg, size_t len, struct stun_msg *out)
{
	return exchange_from(CPORT, msg, len, out);
}

/* The error code of the answer (0: success), after its checks. */
static unsigned
answer_code(const struct stun_msg *a, bool signed_)
{
	if (signed_)
		CHECK(stun_check_integrity(a, &KEY) == STUN_OK,
		      "answer signed with alice's key");
	if (a->cls == STUN_SUCCESS)
		return 0;
	CHECK(a->cls == STUN_ERROR, "error class");
	return a->error_code;
}

/* A 401 gives the realm and a nonce for the client's transport address
 * (the nonce is bound to it); keep the nonce. */
static void
nonce_get_from(uint16_t sport)
{
	uint8_t buf[1024];
	struct stun_writer w;
	struct stun_msg a;

	req_start(&w, buf, TURN_ALLOCATE, NULL);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	stun_put_fingerprint(&w);
	CHECK(exchange_from(sport, buf, w.len, &a), "a 401");
	CHECK(answer_code(&a, false) == 401, "unauthenticated: 401, got %u",
	      a.error_code);
	CHECK(stun_span_equal(&a, a.realm, REALM, strlen(REALM)), "realm");
	CHECK(a.nonce.len == TURN_NONCE_LEN, "nonce length");
	memcpy(NONCE, stun_span_ptr(&a, a.nonce), TURN_NONCE_LEN);
	NONCE[TURN_NONCE_LEN] = '\0';
	CHECK(!(a.have & STUN_HAVE_MESSAGE_INTEGRITY), "401 unsigned");
}

static void
nonce_get(void)
{
	nonce_get_from(CPORT);
}

static unsigned
allocate_from(uint16_t sport, const uint8_t *tid, struct stun_msg *a)
{
	uint8_t buf[1024];
	struct stun_writer w;

	nonce_get_from(sport);
	req_start(&w, buf, TURN_ALLOCATE, tid);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	req_auth(&w, NONCE);
	if (!exchange_from(sport, buf, w.len, a))
		return 999;
	return answer_code(a, true);
}

/* A permission / channel request on the allocation of client port sport. */
static unsigned
peer_request_from(uint16_t sport, uint16_t method, uint32_t peer_host,
		  uint16_t port, uint16_t channel)
{
	uint8_t buf[1024];
	struct stun_writer w;
	struct stun_addr p = stun_addr_v4(rte_cpu_to_be_32(peer_host), port);
	struct stun_msg a;

	req_start(&w, buf, method, NULL);
	if (channel)
		stun_put_channel_number(&w, channel);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &p);
	req_auth(&w, NONCE);
	if (!exchange_from(sport, buf, w.len, &a))
		return 999;
	return answer_code(&a, true);
}

static unsigned
peer_request(uint16_t method, uint32_t peer_host, uint16_t port,
	     uint16_t channel)
{
	return peer_request_from(CPORT, method, peer_host, port, channel);
}

static size_t
udp_of(const uint8_t *frame, uint32_t *src, uint16_t *sport, uint32_t *dst,
       uint16_t *dport, const uint8_t **pl)
{
	const struct rte_ipv4_hdr *ip = (const void *)(frame +
					sizeof(struct rte_ether_hdr));
	const struct rte_udp_hdr *uh = (const void *)(ip + 1);

	*src = rte_be_to_cpu_32(ip->src_addr);
	*dst = rte_be_to_cpu_32(ip->dst_addr);
	*sport = rte_be_to_cpu_16(uh->src_port);
	*dport = rte_be_to_cpu_16(uh->dst_port);
	*pl = (const uint8_t *)(uh + 1);
	CHECK(udp_ok(ip) && uh != NULL, "UDP checksum");
	CHECK(rte_raw_cksum(ip, 20) == 0xffff, "IPv4 checksum");
	return rte_be_to_cpu_16(uh->dgram_len) - sizeof(*uh);
}

/* --- cases -------------------------------------------------------------- */

static void
case_allocate(void)
{
	uint8_t tid[STUN_TID_LEN];
	struct stun_msg a;

	cred_up();
	nonce_get();
	tid_make(tid);
	CHECK(allocate_from(CPORT, tid, &a) == 0, "Allocate: success, got %u",
	      a.error_code);
	CHECK(a.xor_relayed.ip.v4 == H.our_ip && a.xor_relayed.port == 24000,
	      "relayed 192.0.2.10:24000, got port %u", a.xor_relayed.port);
	CHECK(a.lifetime == 600, "lifetime 600, got %u", a.lifetime);
	CHECK(a.xor_mapped.ip.v4 == rte_cpu_to_be_32(CLIENT) &&
	      a.xor_mapped.port == CPORT, "mapped: the client");
	CHECK(H.tb.dm->turn.n_allocs == 1, "one allocation");
	/* a retransmission: the same answer */
	CHECK(allocate_from(CPORT, tid, &a) == 0 &&
	      a.xor_relayed.port == 24000, "retransmission: same relay");
	/* a new transaction on the same 5-tuple */
	CHECK(allocate_from(CPORT, NULL, &a) == 437, "437, got %u",
	      a.error_code);
	/* quota: two per user (the second from another port), then 486 */
	CHECK(allocate_from(CPORT + 1, NULL, &a) == 0, "second allocation");
	CHECK(allocate_from(CPORT + 2, NULL, &a) == 486, "486, got %u",
	      a.error_code);
	CHECK(H.tb.dm->turn.n_allocs == 2, "still two allocations");
}

static void
case_errors(void)
{
	uint8_t buf[1024];
	struct stun_writer w;
	struct stun_msg a;
	struct stun_key wrong;
	char stale[TURN_NONCE_LEN + 1];
	struct stun_addr other = stun_addr_v4(rte_cpu_to_be_32(CLIENT), 1);

	cred_up();
	nonce_get();
	/* no REQUESTED-TRANSPORT */
	req_start(&w, buf, TURN_ALLOCATE, NULL);
	req_auth(&w, NONCE);
	CHECK(exchange(buf, w.len, &a) && answer_code(&a, true) == 400,
	      "400, got %u", a.error_code);
	/* TCP */
	req_start(&w, buf, TURN_ALLOCATE, NULL);
	stun_put_requested_transport(&w, 6);
	req_auth(&w, NONCE);
	CHECK(exchange(buf, w.len, &a) && answer_code(&a, true) == 442,
	      "442, got %u", a.error_code);
	/* wrong password */
	stun_key_init(&wrong, "not the key 1234", 16);
	req_start(&w, buf, TURN_ALLOCATE, NULL);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	stun_put_str(&w, STUN_A_USERNAME, USER);
	stun_put_str(&w, STUN_A_REALM, REALM);
	stun_put_str(&w, STUN_A_NONCE, NONCE);
	stun_put_integrity(&w, &wrong);
	stun_put_fingerprint(&w);
	CHECK(exchange(buf, w.len, &a) && answer_code(&a, false) == 401,
	      "wrong password: 401, got %u", a.error_code);
	/* a nonce made for another client address */
	turn_nonce_make(&H.tb.dm->turn.nonce, TURN_FEATURE_PASSWORD_ALGORITHMS,
			(uint64_t)time(NULL) + 60, &other, stale);
	stale[TURN_NONCE_LEN] = '\0';
	req_start(&w, buf, TURN_ALLOCATE, NULL);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	req_auth(&w, stale);
	CHECK(exchange(buf, w.len, &a) && answer_code(&a, false) == 401,
	      "another client's nonce: 401, got %u", a.error_code);
	/* our nonce, expired */
	other.port = CPORT;
	turn_nonce_make(&H.tb.dm->turn.nonce, TURN_FEATURE_PASSWORD_ALGORITHMS,
			(uint64_t)time(NULL) - 1, &other, stale);
	req_start(&w, buf, TURN_ALLOCATE, NULL);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	req_auth(&w, stale);
	CHECK(exchange(buf, w.len, &a) && answer_code(&a, false) == 438,
	      "stale nonce: 438, got %u", a.error_code);
	CHECK(a.have & STUN_HAVE_NONCE, "438 brings a fresh nonce");
	/* Refresh without an allocation */
	req_start(&w, buf, TURN_REFRESH, NULL);
	req_auth(&w, NONCE);
	CHECK(exchange(buf, w.len, &a) && answer_code(&a, true) == 437,
	      "refresh, no allocation: 437, got %u", a.error_code);
	/* unauthenticated Binding: a challenge, not a mapped address */
	req_start(&w, buf, STUN_BINDING, NULL);
	stun_put_fingerprint(&w);
	CHECK(exchange(buf, w.len, &a) && answer_code(&a, false) == 401,
	      "unauthenticated Binding: 401, got %u", a.error_code);
	/* malformed: truncated, bad FINGERPRINT: dropped, counted */
	{
		uint64_t d0 = h_drop(&H, DP_DROP_TURN_MALFORMED);

		buf[w.len - 1] ^= 1;
		CHECK(!exchange(buf, w.len, &a), "bad FINGERPRINT: no answer");
		CHECK(!exchange(buf, 10, &a), "truncated: no answer");
		CHECK(h_drop(&H, DP_DROP_TURN_MALFORMED) == d0 + 2,
		      "both counted as turn_malformed");
	}
	CHECK(H.tb.dm->turn.n_allocs == 0, "no allocation was made");
	CHECK(H.tb.dm->turn.err[DP_TE_438] == 1, "438 counted");
}

static void
case_relay(void)
{
	static const uint8_t data[] = "media bytes relayed through TURN!!";
	uint8_t buf[1024], f[FRAME_MAX], out[FRAME_MAX], want[64];
	struct stun_addr p;
	struct stun_writer w;
	struct stun_msg a;
	const uint8_t *pl;
	uint32_t src, dst;
	uint16_t sport, dport;
	size_t len, olen = 0, plen;

	cred_up();
	peer_arp(PEER);
	peer_arp(PEER2);
	nonce_get();
	CHECK(allocate_from(CPORT, NULL, &a) == 0, "allocated");
	CHECK(peer_request(TURN_CREATE_PERMISSION, H_IP4(10, 0, 0, 1), 0, 0) ==
	      403, "10.0.0.1: 403");
	CHECK(peer_request(TURN_CREATE_PERMISSION, H_IP4(192, 0, 2, 10), 0,
			   0) == 403, "the appliance itself: 403");
	/* the IPv4-mapped spelling of 10.0.0.1 */
	req_start(&w, buf, TURN_CREATE_PERMISSION, NULL);
	memset(&p, 0, sizeof(p));
	p.family = STUN_AF_IPV6;
	p.ip.v6[10] = p.ip.v6[11] = 0xff;
	p.ip.v6[12] = 10;
	p.ip.v6[15] = 1;
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &p);
	req_auth(&w, NONCE);
	CHECK(exchange(buf, w.len, &a) && answer_code(&a, true) == 403,
	      "::ffff:10.0.0.1: 403, got %u", a.error_code);
	CHECK(peer_request(TURN_CHANNEL_BIND, PEER, 7000, 0x3fff) == 400,
	      "channel 0x3fff: 400");
	CHECK(peer_request(TURN_CHANNEL_BIND, PEER, 7000, 0x4001) == 0,
	      "ChannelBind 0x4001 → peer:7000");
	CHECK(peer_request(TURN_CHANNEL_BIND, PEER, 7001, 0x4001) == 400,
	      "0x4001 is tied to peer:7000: 400");
	CHECK(H.tb.dm->turn.n_perms == 1 && H.tb.dm->turn.n_chans == 1,
	      "one permission (from the bind), one channel");

	/* client → peer over the channel: exactly the data */
	turn_channel_data_write(buf, sizeof(buf), 0x4001, data, sizeof(data),
				false);
	len = h_frame_udp_from(&H, f, CLIENT, CPORT, TURN_PORT, buf,
			       4 + sizeof(data));
	h_rx(&H, f, len);
	h_run(&H);
	CHECK(h_nic_out(&H, out, &olen) == 1, "relayed to the peer");
	plen = udp_of(out, &src, &sport, &dst, &dport, &pl);
	CHECK(src == H_IP4(192, 0, 2, 10) && sport == 24000 && dst == PEER &&
	      dport == 7000, "from the relay to peer:7000");
	h_expect_bytes("channel data to peer", pl, plen, data, sizeof(data));

	/* peer → client: ChannelData */
	len = h_frame_udp_from(&H, f, PEER, 7000, 24000, data, sizeof(data));
	h_rx(&H, f, len);
	h_run(&H);
	CHECK(h_nic_out(&H, out, &olen) == 1, "relayed to the client");
	plen = udp_of(out, &src, &sport, &dst, &dport, &pl);
	CHECK(sport == TURN_PORT && dst == CLIENT && dport == CPORT,
	      "from the listening port to the client");
	turn_channel_data_write(want, sizeof(want), 0x4001, data, sizeof(data),
				false);
	h_expect_bytes("ChannelData to client", pl, plen, want,
		       4 + sizeof(data));

	/* a peer without permission: dropped, counted */
	len = h_frame_udp_from(&H, f, PEER2, 9000, 24000, data, sizeof(data));
	h_rx(&H, f, len);
	h_run(&H);
	CHECK(h_nic_out(&H, NULL, NULL) == 0, "no permission: nothing out");
	CHECK(h_drop(&H, DP_DROP_TURN_NO_PERMISSION) == 1, "counted");

	/* Send indication to PEER2 after CreatePermission; Data back */
	CHECK(peer_request(TURN_CREATE_PERMISSION, PEER2, 0, 0) == 0,
	      "permission for peer 2");
	{
		uint8_t tid[STUN_TID_LEN];

		tid_make(tid);
		stun_writer_init(&w, buf, sizeof(buf), TURN_SEND,
				 STUN_INDICATION, tid);
	}
	p = stun_addr_v4(rte_cpu_to_be_32(PEER2), 9000);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &p);
	stun_put(&w, STUN_A_DATA, data, sizeof(data));
	stun_put_fingerprint(&w);
	len = h_frame_udp_from(&H, f, CLIENT, CPORT, TURN_PORT, buf, w.len);
	h_rx(&H, f, len);
	h_run(&H);
	CHECK(h_nic_out(&H, out, &olen) == 1, "Send relayed");
	plen = udp_of(out, &src, &sport, &dst, &dport, &pl);
	CHECK(sport == 24000 && dst == PEER2 && dport == 9000, "to peer 2");
	h_expect_bytes("Send's DATA to peer 2", pl, plen, data, sizeof(data));

	len = h_frame_udp_from(&H, f, PEER2, 9000, 24000, data, sizeof(data));
	h_rx(&H, f, len);
	h_run(&H);
	CHECK(h_nic_out(&H, out, &olen) == 1, "Data indication out");
	plen = udp_of(out, &src, &sport, &dst, &dport, &pl);
	CHECK(stun_parse(&a, pl, plen) == STUN_OK &&
	      a.method == TURN_DATA && a.cls == STUN_INDICATION,
	      "a Data indication");
	CHECK(a.n_peers == 1 && a.peers[0].ip.v4 == rte_cpu_to_be_32(PEER2) &&
	      a.peers[0].port == 9000, "from peer 2:9000");
	h_expect_bytes("DATA", stun_span_ptr(&a, a.data), a.data.len, data,
		       sizeof(data));
	CHECK(H.tb.dm->turn.allocs[1].pkts_in == 2 &&
	      H.tb.dm->turn.allocs[1].pkts_out == 2 &&
	      H.tb.dm->turn.allocs[1].drops == 1, "allocation counters");

	/* a peer whose MAC is not known yet: the ARP request for it goes out
	 * with the permission's answer, before any data is relayed to it */
	req_start(&w, buf, TURN_CREATE_PERMISSION, NULL);
	p = stun_addr_v4(rte_cpu_to_be_32(PEER3), 0);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &p);
	req_auth(&w, NONCE);
	len = h_frame_udp_from(&H, f, CLIENT, CPORT, TURN_PORT, buf, w.len);
	h_rx(&H, f, len);
	h_run(&H);
	CHECK(h_nic_out(&H, out, &olen) == 2, "the answer and an ARP request");
	{
		const struct rte_ether_hdr *eh = (const void *)out;
		const struct rte_arp_hdr *arp = (const void *)(eh + 1);

		CHECK(eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP) &&
		      rte_is_broadcast_ether_addr(&eh->dst_addr) &&
		      arp->arp_opcode == RTE_BE16(RTE_ARP_OP_REQUEST) &&
		      arp->arp_data.arp_sip == H.our_ip &&
		      arp->arp_data.arp_tip == rte_cpu_to_be_32(PEER3),
		      "first out: who-has 192.0.2.22 tell 192.0.2.10");
	}

	/* Refresh 0: gone; the relay port closes */
	req_start(&w, buf, TURN_REFRESH, NULL);
	stun_put_u32(&w, STUN_A_LIFETIME, 0);
	req_auth(&w, NONCE);
	CHECK(exchange(buf, w.len, &a) && answer_code(&a, true) == 0 &&
	      a.lifetime == 0, "Refresh 0");
	CHECK(H.tb.dm->turn.n_allocs == 0 && H.tb.dm->turn.n_perms == 0 &&
	      H.tb.dm->turn.n_chans == 0, "allocation, permissions, channel "
	      "gone");
	len = h_frame_udp_from(&H, f, PEER, 7000, 24000, data, sizeof(data));
	h_rx(&H, f, len);
	h_run(&H);
	CHECK(h_drop(&H, DP_DROP_TURN_RELAY_CLOSED) == 1, "relay port closed");
	CHECK(h_nic_out(&H, NULL, NULL) == 0, "nothing relayed");
}

static void
case_capacity(void)
{
	struct stun_msg a;

	cred_up();
	nonce_get();
	/* relay_capacity 3, 2 per user: a second user fills it */
	CHECK(allocate_from(CPORT, NULL, &a) == 0, "1");
	CHECK(allocate_from(CPORT + 1, NULL, &a) == 0, "2");
	{
		uint8_t key[TURN_KEY_MAX];

		turn_longterm_key(STUN_PWALG_MD5, "bob", 3, REALM,
				  strlen(REALM), "pw", 2, key);
		dp_flow_cred_set(&H.tb.dm->flow, "bob", key, NULL);
	}
	/* bob is not alice: the quota is per user, the capacity is not */
	{
		uint8_t buf[1024], key[TURN_KEY_MAX];
		struct stun_writer w;
		struct stun_key kb;
		unsigned i;

		turn_longterm_key(STUN_PWALG_MD5, "bob", 3, REALM,
				  strlen(REALM), "pw", 2, key);
		stun_key_init(&kb, key, 16);
		for (i = 0; i < 2; i++) {
			nonce_get_from(CPORT + 10 + i);
			req_start(&w, buf, TURN_ALLOCATE, NULL);
			stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
			stun_put_str(&w, STUN_A_USERNAME, "bob");
			stun_put_str(&w, STUN_A_REALM, REALM);
			stun_put_str(&w, STUN_A_NONCE, NONCE);
			stun_put_integrity(&w, &kb);
			stun_put_fingerprint(&w);
			CHECK(exchange_from(CPORT + 10 + i, buf, w.len, &a),
			      "bob answered");
			CHECK(stun_check_integrity(&a, &kb) == STUN_OK,
			      "signed for bob");
			CHECK(a.cls == (i == 0 ? STUN_SUCCESS : STUN_ERROR) &&
			      (i == 0 || a.error_code == 508),
			      "bob %u: %s %u", i, i ? "508" : "success",
			      a.error_code);
		}
	}
	CHECK(H.tb.dm->turn.n_allocs == 3, "three allocations, no more");
	CHECK(H.tb.dm->turn.err[DP_TE_508] == 1, "508 counted");
}

/* The service lcore's sweep as of `s` seconds from now: enough slices,
 * each past the last one's next-sweep time, to visit every allocation. */
static void
sweep_after(uint64_t t0, unsigned s)
{
	struct dp_turn *t = &H.tb.dm->turn;
	uint64_t step = t->tsc_hz / 1000 + 1;   /* > the 1 ms sweep period */
	unsigned i;

	for (i = 0; i < t->alloc_cap / 256 + 3; i++)
		dp_turn_sweep(H.tb.dm, t0 + s * t->tsc_hz + i * step);
}

/* A datagram from `peer`:`port` to relay port RELAY: true when it was
 * relayed to the client (the one frame out, from the listening port to
 * CLIENT:CPORT), false when nothing went out. */
static uint16_t RELAY;

static bool
peer_sends(uint32_t peer, uint16_t port)
{
	static const uint8_t data[] = "from the peer";
	uint8_t f[FRAME_MAX], out[FRAME_MAX];
	size_t len = h_frame_udp_from(&H, f, peer, port, RELAY, data,
				      sizeof(data)), olen = 0;
	const uint8_t *pl;
	uint32_t src, dst;
	uint16_t sport, dport;
	unsigned n;

	h_rx(&H, f, len);
	h_run(&H);
	n = h_nic_out(&H, out, &olen);
	if (n == 0)
		return false;
	CHECK(n == 1, "one frame out, got %u", n);
	udp_of(out, &src, &sport, &dst, &dport, &pl);
	CHECK(sport == TURN_PORT && dst == CLIENT && dport == CPORT,
	      "relayed from the listening port to the client");
	return true;
}

static const char *const yaml_expiry =
	YAML_APPLIANCE
	"credentials:\n"
	"  - { username: alice, password: \"s3cret\" }\n"
	"turn:\n"
	"  realm: relay.example\n"
	"  allocations_per_user: 4\n"
	"  relay_capacity: 8\n"
	"  allowed_peers: [ 192.0.2.0/24 ]\n";

/*
 * Lifetimes run out on the sweep's clock: the RESERVATION-TOKEN after 30 s,
 * permissions after 300 s, a channel's number 300 s after its 600 s, the
 * allocation after its LIFETIME. Each is gone from the tables, counted, and
 * the traffic it carried stops with the right drop reason.
 */
static void
case_expiry(void)
{
	struct dp_turn *t = &H.tb.dm->turn;
	uint8_t buf[1024];
	struct stun_writer w;
	struct stun_msg a;
	uint8_t token[8];
	uint64_t t0;

	cred_up();
	peer_arp(PEER);
	peer_arp(PEER2);
	t0 = rte_rdtsc();

	/* an RTP allocation reserving the next port; its token is good now */
	nonce_get_from(CPORT + 1);
	req_start(&w, buf, TURN_ALLOCATE, NULL);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	stun_put_even_port(&w, true);
	req_auth(&w, NONCE);
	CHECK(exchange_from(CPORT + 1, buf, w.len, &a) &&
	      answer_code(&a, true) == 0, "EVEN-PORT R: success");
	CHECK((a.have & STUN_HAVE_RESERVATION_TOKEN) &&
	      a.reservation_token.len == 8, "a RESERVATION-TOKEN");
	memcpy(token, stun_span_ptr(&a, a.reservation_token), 8);
	/* 29 s on, the token is still held: nothing expires */
	sweep_after(t0, 29);
	CHECK(dp_turn_reserve_find(t, token) != NULL, "token held at 29 s");
	/* 31 s on it is gone, and Allocate with it gets 508 */
	sweep_after(t0, 31);
	CHECK(dp_turn_reserve_find(t, token) == NULL, "token dropped at 31 s");
	nonce_get_from(CPORT + 2);
	req_start(&w, buf, TURN_ALLOCATE, NULL);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	stun_put(&w, STUN_A_RESERVATION_TOKEN, token, 8);
	req_auth(&w, NONCE);
	CHECK(exchange_from(CPORT + 2, buf, w.len, &a) &&
	      answer_code(&a, true) == 508, "expired token: 508, got %u",
	      a.error_code);
	CHECK(t->n_allocs == 1 && t->ctr[DP_TC_EXPIRED_ALLOCS] == 0,
	      "the RTP allocation itself stays");

	/* the allocation under test: 3600 s, a channel to PEER:7000 (and its
	 * permission), a permission for PEER2 */
	nonce_get();
	req_start(&w, buf, TURN_ALLOCATE, NULL);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	stun_put_u32(&w, STUN_A_LIFETIME, 3600);
	req_auth(&w, NONCE);
	CHECK(exchange(buf, w.len, &a) && answer_code(&a, true) == 0 &&
	      a.lifetime == 3600, "Allocate, lifetime 3600");
	RELAY = a.xor_relayed.port;
	CHECK(peer_request(TURN_CHANNEL_BIND, PEER, 7000, 0x4001) == 0,
	      "ChannelBind 0x4001");
	CHECK(peer_request(TURN_CREATE_PERMISSION, PEER2, 0, 0) == 0,
	      "permission for peer 2");
	CHECK(peer_sends(PEER, 7000) && peer_sends(PEER2, 9000),
	      "both peers relayed");
	CHECK(t->n_perms == 2 && t->n_chans == 1, "2 permissions, 1 channel");

	/* 301 s: both permissions expired; the channel is bound but its peer
	 * has no permission any more (RFC 8656 §12: both are needed) */
	sweep_after(t0, 301);
	CHECK(t->n_perms == 0 && t->ctr[DP_TC_EXPIRED_PERMS] == 2,
	      "permissions expired: %u left, %" PRIu64 " counted", t->n_perms,
	      t->ctr[DP_TC_EXPIRED_PERMS]);
	CHECK(t->n_chans == 1, "the channel lives on");
	CHECK(!peer_sends(PEER, 7000) && !peer_sends(PEER2, 9000) &&
	      h_drop(&H, DP_DROP_TURN_NO_PERMISSION) == 2,
	      "peers without permission: dropped, counted");

	/* 601 s: the binding is over, its number and peer stay tied for the
	 * cool-down; 901 s: the channel is gone */
	sweep_after(t0, 601);
	CHECK(t->n_chans == 1 && t->ctr[DP_TC_EXPIRED_CHANS] == 0,
	      "channel held through its cool-down");
	CHECK(t->n_allocs == 1 && t->ctr[DP_TC_EXPIRED_ALLOCS] == 1,
	      "the 600 s RTP allocation expired, the 3600 s one lives");
	sweep_after(t0, 901);
	CHECK(t->n_chans == 0 && t->ctr[DP_TC_EXPIRED_CHANS] == 1,
	      "channel expired at 901 s");

	/* 3601 s: the last allocation expires and its relay port closes */
	sweep_after(t0, 3601);
	CHECK(t->n_allocs == 0 && t->ctr[DP_TC_EXPIRED_ALLOCS] == 2,
	      "allocations expired: %u left", t->n_allocs);
	CHECK(!peer_sends(PEER, 7000) &&
	      h_drop(&H, DP_DROP_TURN_RELAY_CLOSED) == 1,
	      "relay port closed, counted");
	{
		char user[SL_USERNAME_MAX] = USER;

		CHECK(dp_turn_user_allocs(t, user) == 0,
		      "alice's quota is free");
	}
}

#define YAML_LARGE_TURN \
	"profile: large\n" \
	"interfaces:\n" \
	"  - name: external\n" \
	"    device: net_ring_test\n" \
	"    address: 192.0.2.10/24\n" \
	"capacity:\n" \
	"  media_legs: 16384\n" \
	"dataplane:\n" \
	"  workers: 1\n" \
	"  mbufs: 16383\n" \
	"turn:\n" \
	"  realm: relay.example\n" \
	"  allocations_per_user: 1100\n" \
	"  unauthenticated_rate: 100000\n"

static const char *const yaml_listen_range =
	YAML_LARGE_TURN
	"  listen_ports: 3478-3483\n";

/* no listen_ports: port multiplexing must turn Large's default 3478-3483
 * into 3478 alone (with the range, the 1001st allocation would get 508) */
static const char *const yaml_listen_mux =
	YAML_LARGE_TURN
	"  port_multiplexing: true\n";

/* n allocations from client ports 20000 up to LISTEN, every one a success. */
static void
allocate_many(unsigned n)
{
	struct stun_msg a;
	unsigned i, code;

	for (i = 0; i < n; i++) {
		code = allocate_from((uint16_t)(20000 + i), NULL, &a);
		if (code != 0)
			CHECK(false, "allocation %u on %u: got %u", i, LISTEN,
			      code);
	}
}

/*
 * Large, TURN spread over listening ports 3478-3483 without port
 * multiplexing: 1000 allocations a listening port, then 508 on that port
 * while the next port still allocates.
 */
static void
case_listen_range(void)
{
	struct stun_msg a;

	cred_up();
	allocate_many(1000);
	CHECK(H.tb.dm->turn.n_allocs == 1000, "1000 on 3478");
	CHECK(allocate_from(21000, NULL, &a) == 508,
	      "the 1001st on 3478: 508, got %u", a.error_code);
	LISTEN = 3479;
	CHECK(allocate_from(21000, NULL, &a) == 0, "3479 still allocates");
	LISTEN = TURN_PORT;
	CHECK(H.tb.dm->turn.n_allocs == 1001 &&
	      H.tb.dm->turn.err[DP_TE_508] == 1, "1001 allocations, one 508");
}

/* Large with TURN port multiplexing: all on 3478, no per-port limit. */
static void
case_listen_mux(void)
{
	cred_up();
	allocate_many(1001);
	CHECK(H.tb.dm->turn.n_allocs == 1001 &&
	      H.tb.dm->turn.err[DP_TE_508] == 0, "1001 on 3478, no 508");
}

static const char *const yaml_rest =
	YAML_APPLIANCE
	"turn:\n"
	"  realm: relay.example\n"
	"  rest_secret: \"a-shared-secret-of-some-length\"\n";

static const char *const yaml_rate =
	YAML_APPLIANCE
	"turn:\n"
	"  realm: relay.example\n"
	"  unauthenticated_rate: 5\n";

/* An Allocate from sport with transaction tid, signed as user/password
 * (MD5 key, prepared into *k); its answer in *a, its code (0: success),
 * checked against that key. */
static unsigned
allocate_signed(uint16_t sport, const char *user, const char *pass,
		const uint8_t *tid, struct stun_key *k, struct stun_msg *a)
{
	uint8_t buf[1024], key[TURN_KEY_MAX];
	struct stun_writer w;
	unsigned code;

	nonce_get_from(sport);
	turn_longterm_key(STUN_PWALG_MD5, user, strlen(user), REALM,
			  strlen(REALM), pass, strlen(pass), key);
	stun_key_init(k, key, 16);
	req_start(&w, buf, TURN_ALLOCATE, tid);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	stun_put_str(&w, STUN_A_USERNAME, user);
	stun_put_str(&w, STUN_A_REALM, REALM);
	stun_put_str(&w, STUN_A_NONCE, NONCE);
	stun_put_integrity(&w, k);
	stun_put_fingerprint(&w);
	if (!exchange_from(sport, buf, w.len, a))
		return 999;
	code = a->cls == STUN_SUCCESS ? 0 : a->error_code;
	if (code != 401)
		CHECK(stun_check_integrity(a, k) == STUN_OK,
		      "answer signed with %s's key", user);
	return code;
}

static unsigned
allocate_as(uint16_t sport, const char *user, const char *pass)
{
	struct stun_key k;
	struct stun_msg a;

	return allocate_signed(sport, user, pass, NULL, &k, &a);
}

/* A REST username "EXPIRY:who" (EXPIRY now + valid_s) and its password
 * under `secret`, as a web service would mint them. */
static void
rest_credential(const char *secret, long valid_s, const char *who,
		char user[64], char pass[TURN_REST_PASSWORD_LEN + 1])
{
	struct stun_key sk;

	stun_key_init(&sk, secret, strlen(secret));
	snprintf(user, 64, "%lld:%s", (long long)time(NULL) + valid_s, who);
	turn_rest_password(&sk, user, strlen(user), pass);
	pass[TURN_REST_PASSWORD_LEN] = '\0';
}

/* TURN REST: EXPIRY:user with base64(HMAC-SHA1(secret, name)); an expired
 * name, or the right name with another password, gets 401. */
static void
case_rest_credentials(void)
{
	const char *secret = "a-shared-secret-of-some-length";
	char user[64], pass[TURN_REST_PASSWORD_LEN + 1];

	rest_credential(secret, 3600, "carol", user, pass);
	CHECK(allocate_as(CPORT, user, pass) == 0, "REST user: success");
	CHECK(allocate_as(CPORT + 1, user, "not-the-password") == 401,
	      "REST user, wrong password: 401");
	rest_credential(secret, -1, "carol", user, pass);
	CHECK(allocate_as(CPORT + 2, user, pass) == 401,
	      "expired REST user: 401");
	CHECK(H.tb.dm->turn.n_allocs == 1, "one allocation");
}

/* turn.unauthenticated_rate 5: a burst of 12 unauthenticated requests from
 * one source gets 5 answers; the rest are dropped and counted. */
static void
case_unauthenticated_rate(void)
{
	uint8_t buf[1024];
	struct stun_writer w;
	struct stun_msg a;
	unsigned i, answered = 0;

	for (i = 0; i < 12; i++) {
		req_start(&w, buf, TURN_ALLOCATE, NULL);
		stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
		stun_put_fingerprint(&w);
		if (exchange_from(CPORT, buf, w.len, &a)) {
			answered++;
			CHECK(a.cls == STUN_ERROR && a.error_code == 401,
			      "a 401");
		}
	}
	/* a bucket refills at 5/s: at most one more within the burst */
	CHECK(answered >= 5 && answered <= 6, "5 answered, got %u",
	      answered);
	CHECK(h_drop(&H, DP_DROP_TURN_RATE_LIMITED) == 12 - answered,
	      "the rest counted as turn_rate_limited");
	CHECK(H.tb.dm->turn.ctr[DP_TC_RATE_LIMITED] == 12 - answered,
	      "and in the TURN counters");
}

/* The STUN payload of the last answer (RESP holds its frame). */
static const uint8_t *
resp_stun(size_t *len)
{
	const struct rte_ipv4_hdr *ip = (const void *)(RESP +
					sizeof(struct rte_ether_hdr));
	const struct rte_udp_hdr *uh = (const void *)(ip + 1);

	*len = rte_be_to_cpu_16(uh->dgram_len) - sizeof(*uh);
	return (const uint8_t *)(uh + 1);
}

/* An Allocate as alice with the password-algorithm attributes: `list`
 * the PASSWORD-ALGORITHMS echoed (n of them; 0: none), `alg` the
 * PASSWORD-ALGORITHM chosen, signed with MESSAGE-INTEGRITY-SHA256 under
 * sign256 or MESSAGE-INTEGRITY under sign. */
static bool
allocate_alg(uint16_t sport, const uint16_t *list, unsigned n, uint16_t alg,
	     const struct stun_key *sign, bool sha256, struct stun_msg *a)
{
	uint8_t buf[1024];
	struct stun_writer w;

	nonce_get_from(sport);
	req_start(&w, buf, TURN_ALLOCATE, NULL);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	stun_put_str(&w, STUN_A_USERNAME, USER);
	stun_put_str(&w, STUN_A_REALM, REALM);
	stun_put_str(&w, STUN_A_NONCE, NONCE);
	if (n > 0) {
		stun_put_password_algorithms(&w, list, n);
		stun_put_password_algorithm(&w, alg);
	}
	if (sha256)
		stun_put_integrity_sha256(&w, sign, STUN_SHA256_LEN);
	else
		stun_put_integrity(&w, sign);
	stun_put_fingerprint(&w);
	CHECK(w.err == STUN_OK, "request written");
	return exchange_from(sport, buf, w.len, a);
}

/* RFC 8489 §9.2: a challenge offers SHA-256 and MD5; a request that echoes
 * the list and picks SHA-256 authenticates with the SHA-256 key and
 * MESSAGE-INTEGRITY-SHA256 and is answered the same way; a list that is not
 * the server's (SHA-256 stripped: a bid down) gets 400. */
static void
case_sha256_credentials(void)
{
	static const uint16_t offered[] = { STUN_PWALG_SHA256, STUN_PWALG_MD5 };
	static const uint16_t stripped[] = { STUN_PWALG_MD5 };
	static const uint8_t want_list[] = { 0x00, 0x02, 0x00, 0x00,
					     0x00, 0x01, 0x00, 0x00 };
	uint8_t buf[1024];
	struct stun_writer w;
	struct stun_msg a;

	cred_up();
	/* the 401's PASSWORD-ALGORITHMS, exactly */
	req_start(&w, buf, TURN_ALLOCATE, NULL);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	stun_put_fingerprint(&w);
	CHECK(exchange(buf, w.len, &a) && a.error_code == 401, "a 401");
	CHECK(a.have & STUN_HAVE_PASSWORD_ALGORITHMS, "algorithms offered");
	h_expect_bytes("PASSWORD-ALGORITHMS: SHA-256, MD5",
		       stun_span_ptr(&a, a.password_algorithms),
		       a.password_algorithms.len, want_list,
		       sizeof(want_list));

	/* SHA-256 chosen, MESSAGE-INTEGRITY-SHA256 with the SHA-256 key */
	CHECK(allocate_alg(CPORT, offered, 2, STUN_PWALG_SHA256, &KEY256, true,
			   &a), "answered");
	CHECK(a.cls == STUN_SUCCESS, "SHA-256 Allocate: success, got %u",
	      a.error_code);
	CHECK((a.have & STUN_HAVE_MESSAGE_INTEGRITY_SHA256) &&
	      !(a.have & STUN_HAVE_MESSAGE_INTEGRITY),
	      "answered with MESSAGE-INTEGRITY-SHA256 only, as asked");
	CHECK(stun_check_integrity(&a, &KEY256) == STUN_OK,
	      "answer signed with the SHA-256 key");
	CHECK(H.tb.dm->turn.n_allocs == 1, "allocated");

	/* SHA-256 chosen but signed with the MD5 key: 401 */
	CHECK(allocate_alg(CPORT + 1, offered, 2, STUN_PWALG_SHA256, &KEY,
			   true, &a) && a.cls == STUN_ERROR &&
	      a.error_code == 401, "SHA-256 chosen, MD5 key: 401, got %u",
	      a.error_code);
	/* the MD5 choice from the full list still works */
	CHECK(allocate_alg(CPORT + 2, offered, 2, STUN_PWALG_MD5, &KEY, false,
			   &a) && a.cls == STUN_SUCCESS &&
	      stun_check_integrity(&a, &KEY) == STUN_OK,
	      "MD5 chosen from the offered list: success, got %u",
	      a.error_code);
	/* bid down: SHA-256 stripped from the list */
	CHECK(allocate_alg(CPORT + 3, stripped, 1, STUN_PWALG_MD5, &KEY, false,
			   &a) && a.cls == STUN_ERROR && a.error_code == 400,
	      "PASSWORD-ALGORITHMS not the server's: 400, got %u",
	      a.error_code);
	/* neither attribute: MD5 (§9.2.4), so a SHA-256 signature fails */
	CHECK(allocate_alg(CPORT + 4, offered, 0, 0, &KEY256, true, &a) &&
	      a.cls == STUN_ERROR && a.error_code == 401,
	      "neither attribute means MD5: the SHA-256 signature fails, "
	      "401, got %u", a.error_code);
	CHECK(H.tb.dm->turn.n_allocs == 2, "two allocations, no more");
	CHECK(H.tb.dm->turn.err[DP_TE_400] == 1, "400 counted once");
}

/* Allocation events queued so far: not what the next ACK check wants. */
static void
events_skip(void)
{
	union sl_msg e;

	poll_n(1);
	while (evt_next(&e))
		CHECK(e.h.type == SL_EVT_ALLOC_CREATED, "only allocation "
		      "events before the command, got %s",
		      sl_evt_name(e.h.type));
}

static void
secret_cmd(const char *secret, uint32_t grace_s, enum sl_result want,
	   const char *what)
{
	union sl_msg m;
	uint32_t seq;

	memset(&m, 0, sizeof(m));
	m.turn_secret.len = (uint32_t)strlen(secret);
	m.turn_secret.grace_s = grace_s;
	memcpy(m.turn_secret.secret, secret,
	       RTE_MIN(strlen(secret), sizeof(m.turn_secret.secret)));
	events_skip();
	seq = send_cmd(&m, SL_CMD_TURN_SECRET, sizeof(m.turn_secret));
	poll_n(1);
	expect_ack(seq, want, what);
}

/* An Allocate from sport as a fresh REST user of `secret`. */
static unsigned
rest_allocate(uint16_t sport, const char *secret)
{
	char user[64], pass[TURN_REST_PASSWORD_LEN + 1];

	rest_credential(secret, 3600, "dave", user, pass);
	return allocate_as(sport, user, pass);
}

/* SL_CMD_TURN_SECRET: sluice-cp replaces the REST secret; names of the old
 * one stay good for the grace the command gives, then get 401; the same
 * secret again changes nothing; a bad length or grace is refused. */
static void
case_rest_secret_rotation(void)
{
	const char *a = "a-shared-secret-of-some-length";
	const char *b = "the-next-secret-rotated-in";

	ctl_up(64, 64);
	CHECK(rest_allocate(CPORT, a) == 0, "secret A (from the config)");
	CHECK(rest_allocate(CPORT + 1, b) == 401, "secret B not yet");
	secret_cmd(b, 1, SL_OK, "TURN_SECRET B, grace 1 s");
	CHECK(rest_allocate(CPORT + 2, b) == 0, "secret B now");
	CHECK(rest_allocate(CPORT + 3, a) == 0, "secret A within the grace");
	sleep(2);
	CHECK(rest_allocate(CPORT + 4, a) == 401, "secret A after the grace");
	CHECK(rest_allocate(CPORT + 5, b) == 0, "secret B still");
	secret_cmd(b, 600, SL_OK, "B again (a resync)");
	CHECK(rest_allocate(CPORT + 6, a) == 401,
	      "the same secret again does not bring A back");
	secret_cmd("short", 0, SL_E_MALFORMED, "a 5-byte secret");
	secret_cmd(b, 86401, SL_E_MALFORMED, "a grace over a day");
	{
		union sl_msg m;
		uint32_t seq;

		memset(&m, 0, sizeof(m));
		m.turn_secret.len = SL_SECRET_MAX + 1;
		events_skip();
		seq = send_cmd(&m, SL_CMD_TURN_SECRET, sizeof(m.turn_secret));
		poll_n(1);
		expect_ack(seq, SL_E_MALFORMED, "length past the buffer");
	}
	CHECK(rest_allocate(CPORT + 7, b) == 0, "refusals changed nothing");
	secret_cmd("", 0, SL_OK, "no REST secret, no grace");
	CHECK(rest_allocate(CPORT + 8, b) == 401, "REST names refused");
	CHECK(H.tb.dm->turn.n_allocs == 5, "five allocations");
}

static void
alternate_cmd(uint32_t addr_host, uint16_t port, enum sl_result want,
	      const char *what)
{
	union sl_msg m;
	uint32_t seq;

	memset(&m, 0, sizeof(m));
	m.turn_alternate.addr = addr_host ? rte_cpu_to_be_32(addr_host) : 0;
	m.turn_alternate.port = port;
	m.turn_alternate.room = 42;
	events_skip();
	seq = send_cmd(&m, SL_CMD_TURN_ALTERNATE, sizeof(m.turn_alternate));
	poll_n(1);
	expect_ack(seq, want, what);
}

/* RFC 8656 §7.2 / RFC 8489 §14.15: a full appliance with a cluster peer
 * (SL_CMD_TURN_ALTERNATE) answers 300 Try Alternate with ALTERNATE-SERVER,
 * signed; without one, 508. */
static void
case_alternate_on_capacity(void)
{
	uint8_t tid[STUN_TID_LEN], want[256];
	const uint8_t *got;
	size_t glen;
	struct stun_addr alt = stun_addr_v4(rte_cpu_to_be_32(H_IP4(198, 51,
							100, 7)), 3479);
	struct stun_writer w;
	struct stun_key kb;
	struct stun_msg a;
	uint8_t key[TURN_KEY_MAX];

	ctl_up(64, 64);
	cred_up();
	turn_longterm_key(STUN_PWALG_MD5, "bob", 3, REALM, strlen(REALM),
			  "pw", 2, key);
	dp_flow_cred_set(&H.tb.dm->flow, "bob", key, NULL);
	/* relay_capacity 3 */
	CHECK(allocate_as(CPORT, USER, PASS) == 0, "1");
	CHECK(allocate_as(CPORT + 1, USER, PASS) == 0, "2");
	CHECK(allocate_as(CPORT + 2, "bob", "pw") == 0, "3");
	CHECK(allocate_as(CPORT + 3, "bob", "pw") == 508, "full: 508");

	alternate_cmd(H_IP4(127, 0, 0, 1), 3478, SL_E_MALFORMED, "loopback");
	alternate_cmd(H_IP4(198, 51, 100, 7), 0, SL_E_MALFORMED, "port 0");
	CHECK(allocate_as(CPORT + 4, "bob", "pw") == 508,
	      "refused alternates changed nothing: 508");
	alternate_cmd(H_IP4(198, 51, 100, 7), 3479, SL_OK, "alternate set");
	tid_make(tid);
	CHECK(allocate_signed(CPORT + 5, "bob", "pw", tid, &kb, &a) == 300,
	      "full with an alternate: 300, got %u", a.error_code);
	CHECK((a.have & STUN_HAVE_ALTERNATE_SERVER) &&
	      a.alternate_server.family == STUN_AF_IPV4 &&
	      a.alternate_server.ip.v4 == alt.ip.v4 &&
	      a.alternate_server.port == 3479,
	      "ALTERNATE-SERVER 198.51.100.7:3479");
	/* exactly these bytes: ERROR-CODE 300, ALTERNATE-SERVER,
	 * MESSAGE-INTEGRITY (bob's key), FINGERPRINT */
	stun_writer_init(&w, want, sizeof(want), TURN_ALLOCATE, STUN_ERROR,
			 tid);
	stun_put_error(&w, 300, NULL);
	stun_put_addr(&w, STUN_A_ALTERNATE_SERVER, &alt);
	stun_put_integrity(&w, &kb);
	stun_put_fingerprint(&w);
	CHECK(w.err == STUN_OK, "expected answer written");
	got = resp_stun(&glen);
	h_expect_bytes("300 Try Alternate", got, glen, want, w.len);
	CHECK(H.tb.dm->turn.err[DP_TE_300] == 1, "300 counted");

	alternate_cmd(0, 0, SL_OK, "alternate cleared");
	CHECK(allocate_as(CPORT + 6, "bob", "pw") == 508, "cleared: 508");
	CHECK(H.tb.dm->turn.n_allocs == 3, "still three allocations");
	CHECK(H.tb.dm->turn.err[DP_TE_508] == 3 &&
	      H.tb.dm->turn.err[DP_TE_300] == 1, "508 x3, 300 x1");
}

/* --- relay addresses (turn.relay_addresses) ------------------------------ */

#define RELAY_A H_IP4(192, 0, 2, 32)
#define RELAY_B H_IP4(192, 0, 2, 33)

static const char *const yaml_relay_addrs =
	YAML_APPLIANCE
	"turn:\n"
	"  realm: relay.example\n"
	"  relay_ports: 24000-24009\n"
	"  relay_addresses: [ 192.0.2.32/31 ]\n"
	"  relay_capacity: 30\n"
	"  allowed_peers: [ 192.0.2.0/24 ]\n";

/* f (built by h_frame_*) sent to dst_host instead of our address, both
 * checksums made right again. */
static void
frame_to(uint8_t *f, uint32_t dst_host)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f +
					sizeof(struct rte_ether_hdr));

	ip->dst_addr = rte_cpu_to_be_32(dst_host);
	h_ipv4_fix_cksum(f);
	if (ip->next_proto_id == IPPROTO_UDP) {
		struct rte_udp_hdr *u = (struct rte_udp_hdr *)(ip + 1);

		u->dgram_cksum = 0;
		u->dgram_cksum = rte_ipv4_udptcp_cksum(ip, u);
	}
}

/* A datagram from src:sport to dst:dport (dst one of our addresses). */
static void
rx_udp_to(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
	  const void *pl, size_t plen)
{
	uint8_t f[FRAME_MAX];
	size_t len = h_frame_udp_from(&H, f, src, sport, dport, pl, plen);

	frame_to(f, dst);
	h_rx(&H, f, len);
}

/* A ChannelData frame from the client port sport. */
static void
rx_channel_data(uint16_t sport, uint16_t channel, const void *data,
		size_t len)
{
	uint8_t buf[FRAME_MAX];

	turn_channel_data_write(buf, sizeof(buf), channel, data, len, false);
	rx_udp_to(CLIENT, sport, H_IP4(192, 0, 2, 10), TURN_PORT, buf, 4 + len);
}

/* A Send indication from the client port sport to peer:port. */
static void
rx_send_indication(uint16_t sport, uint32_t peer, uint16_t port,
		   const void *data, size_t len)
{
	uint8_t buf[FRAME_MAX], tid[STUN_TID_LEN];
	struct stun_addr p = stun_addr_v4(rte_cpu_to_be_32(peer), port);
	struct stun_writer w;

	tid_make(tid);
	stun_writer_init(&w, buf, sizeof(buf), TURN_SEND, STUN_INDICATION, tid);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &p);
	stun_put(&w, STUN_A_DATA, data, len);
	stun_put_fingerprint(&w);
	rx_udp_to(CLIENT, sport, H_IP4(192, 0, 2, 10), TURN_PORT, buf, w.len);
}

/* The one frame that left: from src:sport to dst:dport with exactly
 * want as its UDP payload. */
static void
expect_out(const char *what, uint32_t src, uint16_t sport, uint32_t dst,
	   uint16_t dport, const void *want, size_t wlen)
{
	uint8_t out[FRAME_MAX];
	const uint8_t *pl;
	uint32_t s, d;
	uint16_t sp, dp;
	size_t olen = 0, plen;

	CHECK(h_nic_out(&H, out, &olen) == 1, "%s: one frame out", what);
	if (olen == 0)
		return;
	plen = udp_of(out, &s, &sp, &d, &dp, &pl);
	CHECK(s == src && sp == sport && d == dst && dp == dport,
	      "%s: %08x:%u -> %08x:%u", what, s, sp, d, dp);
	h_expect_bytes(what, pl, plen, want, wlen);
}

/*
 * Relays from the extra addresses 192.0.2.32 and .33: ARP answered for
 * them, Allocates spread over the three addresses with the same port
 * number on each (the relay index keyed by address and port), data both
 * ways from and to the right address, our relay addresses refused as
 * peers, everything else to them dropped.
 */
static void
case_relay_addresses(void)
{
	static const uint8_t data[] = "relayed from an extra address";
	const uint32_t relay[3] = { H_IP4(192, 0, 2, 10), RELAY_A, RELAY_B };
	uint8_t f[FRAME_MAX], out[FRAME_MAX], want[64];
	struct rte_arp_hdr *arp;
	struct stun_msg a;
	const uint8_t *pl;
	uint32_t s, d;
	uint16_t sp, dp;
	size_t len, olen = 0, plen;
	unsigned i;

	cred_up();
	/* ARP for a relay address: answered with our MAC, naming it */
	len = h_frame_arp(&H, f, RTE_ARP_OP_REQUEST,
			  rte_cpu_to_be_32(RELAY_B));
	h_rx(&H, f, len);
	h_run(&H);
	CHECK(h_nic_out(&H, out, &olen) == 1, "ARP for .33 answered");
	arp = (struct rte_arp_hdr *)(out + sizeof(struct rte_ether_hdr));
	CHECK(arp->arp_opcode == RTE_BE16(RTE_ARP_OP_REPLY) &&
	      arp->arp_data.arp_sip == rte_cpu_to_be_32(RELAY_B) &&
	      rte_is_same_ether_addr(&arp->arp_data.arp_sha,
				     &H.tb.dm->ifaces[0].mac),
	      "an ARP reply: 192.0.2.33 is at our MAC");
	len = h_frame_arp(&H, f, RTE_ARP_OP_REQUEST,
			  rte_cpu_to_be_32(H_IP4(192, 0, 2, 34)));
	h_rx(&H, f, len);
	h_run(&H);
	CHECK(h_nic_out(&H, NULL, NULL) == 0 &&
	      h_drop(&H, DP_DROP_ARP_NOT_FOR_US) == 1,
	      "ARP for .34 (not ours): dropped");
	peer_arp(PEER);

	/* three Allocates: one on each address, the same port on each */
	for (i = 0; i < 3; i++) {
		CHECK(allocate_from(CPORT + i, NULL, &a) == 0, "allocate %u",
		      i);
		CHECK(a.xor_relayed.ip.v4 == rte_cpu_to_be_32(relay[i]) &&
		      a.xor_relayed.port == 24000,
		      "allocation %u relayed from %08x:24000, got %08x:%u", i,
		      relay[i], rte_be_to_cpu_32(a.xor_relayed.ip.v4),
		      a.xor_relayed.port);
	}
	CHECK(allocate_from(CPORT + 3, NULL, &a) == 0 &&
	      a.xor_relayed.ip.v4 == H.our_ip && a.xor_relayed.port == 24001,
	      "the fourth: back to the interface address, next port");
	CHECK(H.tb.dm->turn.relay_used[0] == 2 &&
	      H.tb.dm->turn.relay_used[DP_MAX_IFACES] == 1 &&
	      H.tb.dm->turn.relay_used[DP_MAX_IFACES + 1] == 1,
	      "ports held per relay address: 2, 1, 1");

	/* the allocation on .32: our relay addresses are not peers */
	nonce_get_from(CPORT + 1);
	CHECK(peer_request_from(CPORT + 1, TURN_CREATE_PERMISSION, RELAY_B, 0,
				0) == 403, "relay address .33 as peer: 403");
	CHECK(peer_request_from(CPORT + 1, TURN_CREATE_PERMISSION, RELAY_A, 0,
				0) == 403, "relay address .32 as peer: 403");
	CHECK(peer_request_from(CPORT + 1, TURN_CHANNEL_BIND, PEER, 7000,
				0x4001) == 0, "ChannelBind on .32");
	nonce_get_from(CPORT + 2);
	CHECK(peer_request_from(CPORT + 2, TURN_CREATE_PERMISSION, PEER, 0,
				0) == 0, "permission on .33");

	/* client → peer leaves from the allocation's relay address */
	rx_channel_data(CPORT + 1, 0x4001, data, sizeof(data));
	h_run(&H);
	expect_out("ChannelData via .32", RELAY_A, 24000, PEER, 7000, data,
		   sizeof(data));
	rx_send_indication(CPORT + 2, PEER, 7002, data, sizeof(data));
	h_run(&H);
	expect_out("Send via .33", RELAY_B, 24000, PEER, 7002, data,
		   sizeof(data));

	/* peer → .32:24000 reaches the client of .32 as ChannelData; the
	 * same port on .10 and .33 belongs to other allocations */
	rx_udp_to(PEER, 7000, RELAY_A, 24000, data, sizeof(data));
	h_run(&H);
	turn_channel_data_write(want, sizeof(want), 0x4001, data, sizeof(data),
				false);
	expect_out("peer to .32 → client", H_IP4(192, 0, 2, 10), TURN_PORT,
		   CLIENT, CPORT + 1, want, 4 + sizeof(data));
	rx_udp_to(PEER, 7002, RELAY_B, 24000, data, sizeof(data));
	h_run(&H);
	CHECK(h_nic_out(&H, out, &olen) == 1, "peer to .33 relayed");
	plen = udp_of(out, &s, &sp, &d, &dp, &pl);
	CHECK(d == CLIENT && dp == CPORT + 2, "to the client of .33");
	CHECK(stun_parse(&a, pl, plen) == STUN_OK && a.method == TURN_DATA &&
	      a.cls == STUN_INDICATION, "as a Data indication");
	rx_udp_to(PEER, 7000, H_IP4(192, 0, 2, 10), 24000, data,
		  sizeof(data));
	h_run(&H);
	CHECK(h_nic_out(&H, NULL, NULL) == 0 &&
	      h_drop(&H, DP_DROP_TURN_NO_PERMISSION) == 1,
	      ".10:24000 is another allocation: no permission there");
	rx_udp_to(PEER, 7000, RELAY_A, 24005, data, sizeof(data));
	h_run(&H);
	CHECK(h_drop(&H, DP_DROP_TURN_RELAY_CLOSED) == 1,
	      ".32:24005: no allocation, relay closed");

	/* a relay address carries relayed UDP only */
	rx_udp_to(PEER, 7000, RELAY_A, 5060, data, sizeof(data));
	len = h_frame_icmp_echo(&H, f, 1, 1, data, sizeof(data));
	frame_to(f, RELAY_A);
	h_rx(&H, f, len);
	rx_udp_to(PEER, 7000, H_IP4(192, 0, 2, 40), 24000, data, sizeof(data));
	h_run(&H);
	CHECK(h_nic_out(&H, NULL, NULL) == 0 && h_kni_out(&H, NULL, NULL) == 0,
	      "nothing out, nothing punted");
	CHECK(h_drop(&H, DP_DROP_UDP_PORT_CLOSED) == 1, "SIP port on .32");
	CHECK(h_drop(&H, DP_DROP_IP4_PROTO) == 1, "ICMP to .32");
	CHECK(h_drop(&H, DP_DROP_IP4_NOT_FOR_US) == 1, ".40 is not ours");
	CHECK(H.tb.dm->turn.allocs[2].pkts_in == 1 &&
	      H.tb.dm->turn.allocs[2].pkts_out == 1, "counted on .32's");
}

/*
 * One burst of mixed traffic through every lane of the three-pass worker
 * path: valid ChannelData and Send indications and peer data between
 * invalid ones of every kind; each valid one relayed byte for byte and in
 * order, each invalid one counted under its reason.
 */
static void
case_mixed_burst(void)
{
	static const uint8_t d1[] = "first channel datagram";
	static const uint8_t d2[] = "a Send indication's data, odd";
	static const uint8_t d3[] = "from the peer";
	static const uint8_t d4[] = "second channel datagram!";
	uint8_t outs[8][FRAME_MAX], bad[8], want[64];
	size_t olen[8];
	const uint8_t *pl;
	uint32_t s, d;
	uint16_t sp, dp;
	struct stun_msg a;
	size_t plen;
	uint64_t d0[DP_DROP_MAX];
	unsigned i, n;

	cred_up();
	peer_arp(PEER);
	peer_arp(PEER2);
	nonce_get();
	CHECK(allocate_from(CPORT, NULL, &a) == 0, "allocated");
	CHECK(peer_request(TURN_CHANNEL_BIND, PEER, 7000, 0x4001) == 0,
	      "channel 0x4001 → peer:7000");
	CHECK(peer_request(TURN_CREATE_PERMISSION, PEER2, 0, 0) == 0,
	      "permission for peer 2");
	for (i = 0; i < DP_DROP_MAX; i++)
		d0[i] = h_drop(&H, i);

	rx_channel_data(CPORT, 0x4001, d1, sizeof(d1));            /* ok */
	rx_channel_data(CPORT, 0x4002, d1, sizeof(d1));        /* no chan */
	rx_send_indication(CPORT, PEER2, 9000, d2, sizeof(d2));    /* ok */
	rx_udp_to(PEER2, 9000, H_IP4(192, 0, 2, 10), 24000, d3,
		  sizeof(d3));                              /* ok: Data ind. */
	rx_channel_data(CPORT + 7, 0x4001, d1, sizeof(d1));   /* no alloc */
	turn_channel_data_header(bad, 0x4001, 100);      /* length > data */
	memcpy(bad + 4, d1, 4);
	rx_udp_to(CLIENT, CPORT, H_IP4(192, 0, 2, 10), TURN_PORT, bad, 8);
	rx_send_indication(CPORT, H_IP4(192, 0, 2, 99), 9000, d2,
			   sizeof(d2));                        /* no perm */
	rx_udp_to(H_IP4(192, 0, 2, 98), 7000, H_IP4(192, 0, 2, 10), 24000,
		  d3, sizeof(d3));                             /* no perm */
	rx_udp_to(PEER, 7000, H_IP4(192, 0, 2, 10), 24000, d3,
		  sizeof(d3));                          /* ok: ChannelData */
	rx_channel_data(CPORT, 0x4001, d4, sizeof(d4));            /* ok */
	h_run(&H);

	n = h_nic_out_all(&H, &outs[0][0], FRAME_MAX, olen, 8);
	CHECK(n == 5, "five relayed, got %u", n);
	if (n != 5)
		return;
	/* client side first (its stage runs first), in arrival order */
	plen = udp_of(outs[0], &s, &sp, &d, &dp, &pl);
	CHECK(sp == 24000 && d == PEER && dp == 7000, "1: to peer:7000");
	h_expect_bytes("1", pl, plen, d1, sizeof(d1));
	plen = udp_of(outs[1], &s, &sp, &d, &dp, &pl);
	CHECK(sp == 24000 && d == PEER2 && dp == 9000, "2: to peer 2");
	h_expect_bytes("2", pl, plen, d2, sizeof(d2));
	plen = udp_of(outs[2], &s, &sp, &d, &dp, &pl);
	CHECK(sp == 24000 && d == PEER && dp == 7000, "3: to peer:7000");
	h_expect_bytes("3", pl, plen, d4, sizeof(d4));
	/* then the relay port's */
	plen = udp_of(outs[3], &s, &sp, &d, &dp, &pl);
	CHECK(sp == TURN_PORT && d == CLIENT && dp == CPORT, "4: to client");
	CHECK(stun_parse(&a, pl, plen) == STUN_OK && a.method == TURN_DATA &&
	      a.peers[0].ip.v4 == rte_cpu_to_be_32(PEER2) &&
	      a.peers[0].port == 9000, "4: Data indication from peer 2");
	h_expect_bytes("4: DATA", stun_span_ptr(&a, a.data), a.data.len, d3,
		       sizeof(d3));
	plen = udp_of(outs[4], &s, &sp, &d, &dp, &pl);
	CHECK(sp == TURN_PORT && d == CLIENT && dp == CPORT, "5: to client");
	turn_channel_data_write(want, sizeof(want), 0x4001, d3, sizeof(d3),
				false);
	h_expect_bytes("5: ChannelData", pl, plen, want, 4 + sizeof(d3));

	CHECK(h_drop(&H, DP_DROP_TURN_NO_CHANNEL) - d0[DP_DROP_TURN_NO_CHANNEL]
	      == 1, "one no_channel");
	CHECK(h_drop(&H, DP_DROP_TURN_NO_ALLOCATION) -
	      d0[DP_DROP_TURN_NO_ALLOCATION] == 1, "one no_allocation");
	CHECK(h_drop(&H, DP_DROP_TURN_MALFORMED) - d0[DP_DROP_TURN_MALFORMED]
	      == 1, "one malformed");
	CHECK(h_drop(&H, DP_DROP_TURN_NO_PERMISSION) -
	      d0[DP_DROP_TURN_NO_PERMISSION] == 2, "two no_permission");
	CHECK(H.tb.dm->turn.allocs[1].pkts_in == 3 &&
	      H.tb.dm->turn.allocs[1].pkts_out == 2 &&
	      H.tb.dm->turn.allocs[1].drops == 3,
	      "allocation: 3 in, 2 out, 3 dropped (no channel, two no "
	      "permission)");
}

/*
 * Beyond the two permissions and channels an allocation keeps in its own
 * line, the rest live in the aux hash: relaying through every one of
 * them, both ways, and the inline slot of a deleted allocation reused
 * clean by the next.
 */
static void
case_spilled_peers(void)
{
	static const uint8_t data[] = "spilled or inline, all the same";
	uint8_t want[64];
	struct stun_msg a;
	unsigned i;

	cred_up();
	for (i = 0; i < 4; i++)
		peer_arp(PEER + i);
	nonce_get();
	CHECK(allocate_from(CPORT, NULL, &a) == 0, "allocated");
	for (i = 0; i < 3; i++)
		CHECK(peer_request(TURN_CHANNEL_BIND, PEER + i, 7000 + i,
				   0x4001 + i) == 0, "channel %u", i);
	CHECK(peer_request(TURN_CREATE_PERMISSION, PEER + 3, 0, 0) == 0,
	      "a fourth permission");
	CHECK(H.tb.dm->turn.allocs[1].perm_spill == 2 &&
	      H.tb.dm->turn.allocs[1].chan_spill == 1,
	      "two permissions and a channel spilled, got %u and %u",
	      H.tb.dm->turn.allocs[1].perm_spill,
	      H.tb.dm->turn.allocs[1].chan_spill);
	for (i = 0; i < 3; i++) {
		rx_channel_data(CPORT, 0x4001 + i, data, sizeof(data));
		h_run(&H);
		expect_out("client → peer over a channel", H_IP4(192, 0, 2, 10),
			   24000, PEER + i, 7000 + i, data, sizeof(data));
		rx_udp_to(PEER + i, 7000 + i, H_IP4(192, 0, 2, 10), 24000,
			  data, sizeof(data));
		h_run(&H);
		turn_channel_data_write(want, sizeof(want), 0x4001 + i, data,
					sizeof(data), false);
		expect_out("peer → client as ChannelData",
			   H_IP4(192, 0, 2, 10), TURN_PORT, CLIENT, CPORT, want,
			   4 + sizeof(data));
	}
	rx_send_indication(CPORT, PEER + 3, 9000, data, sizeof(data));
	h_run(&H);
	expect_out("Send to the spilled permission", H_IP4(192, 0, 2, 10),
		   24000, PEER + 3, 9000, data, sizeof(data));
	/* a channel number not bound and a peer not permitted, both ways */
	rx_channel_data(CPORT, 0x4004, data, sizeof(data));
	rx_udp_to(PEER + 4, 7000, H_IP4(192, 0, 2, 10), 24000, data,
		  sizeof(data));
	h_run(&H);
	CHECK(h_nic_out(&H, NULL, NULL) == 0, "neither relayed");
	CHECK(h_drop(&H, DP_DROP_TURN_NO_CHANNEL) == 1 &&
	      h_drop(&H, DP_DROP_TURN_NO_PERMISSION) == 1, "both counted");

	/* delete; the next allocation reuses the entry with clean slots */
	{
		uint8_t buf[1024];
		struct stun_writer w;

		req_start(&w, buf, TURN_REFRESH, NULL);
		stun_put_u32(&w, STUN_A_LIFETIME, 0);
		req_auth(&w, NONCE);
		CHECK(exchange(buf, w.len, &a) && answer_code(&a, true) == 0,
		      "Refresh 0");
	}
	dp_turn_reclaim(&H.tb.dm->turn, true);
	CHECK(allocate_from(CPORT + 1, NULL, &a) == 0, "allocated again");
	CHECK(a.xor_relayed.ip.v4 == H.our_ip, "on our address");
	rx_udp_to(PEER, 7000, H_IP4(192, 0, 2, 10), a.xor_relayed.port, data,
		  sizeof(data));
	h_run(&H);
	CHECK(h_nic_out(&H, NULL, NULL) == 0 &&
	      h_drop(&H, DP_DROP_TURN_NO_PERMISSION) == 2,
	      "the old peer has no permission on the new allocation");
}

static const struct h_case cases[] = {
	{ "allocate", case_allocate, NULL },
	{ "errors", case_errors, NULL },
	{ "relay", case_relay, NULL },
	{ "capacity", case_capacity, NULL },
	{ "rest_credentials", case_rest_credentials, yaml_rest },
	{ "unauthenticated_rate", case_unauthenticated_rate, yaml_rate },
	{ "expiry", case_expiry, yaml_expiry },
	{ "listen_range", case_listen_range, yaml_listen_range },
	{ "listen_mux", case_listen_mux, yaml_listen_mux },
	{ "sha256_credentials", case_sha256_credentials, NULL },
	{ "rest_secret_rotation", case_rest_secret_rotation, yaml_rest },
	{ "alternate_on_capacity", case_alternate_on_capacity, NULL },
	{ "relay_addresses", case_relay_addresses, yaml_relay_addrs },
	{ "mixed_burst", case_mixed_burst, NULL },
	{ "spilled_peers", case_spilled_peers, NULL },
};

int
main(int argc, char **argv)
{
	struct h_case c[RTE_DIM(cases)];
	unsigned i;

	for (i = 0; i < RTE_DIM(cases); i++) {
		c[i] = cases[i];
		if (c[i].yaml == NULL)
			c[i].yaml = yaml_turn;
	}
	return h_main(argc, argv, &H, c, RTE_DIM(c));
}
