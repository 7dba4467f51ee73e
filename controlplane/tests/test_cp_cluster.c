/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cp_cluster.c — the TURN cluster exchange's pieces without sockets:
 * the announcement's bytes and HMAC, every reason to refuse one, replay
 * protection across sequences and restarts, and the choice of the peer
 * with the most room as peers fill up and fall silent.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "check.h"
#include "cp_cluster.h"

#define SECRET "a-cluster-secret-shared-by-every-member"
#define S_NS   1000000000ull

static const char yaml[] =
	"profile: small\n"
	"interfaces:\n"
	"  - name: external\n"
	"    device: net_ring_test\n"
	"    address: 192.0.2.10/24\n"
	"turn:\n"
	"  realm: relay.example\n"
	"  cluster_secret: \"" SECRET "\"\n"
	"  cluster_interval: 2\n"
	"  cluster_peers:\n"
	"    - address: 192.0.2.20\n"
	"    - { address: 192.0.2.30, turn_port: 3479,"
	" control_address: 198.51.100.30 }\n";

/* Where a peer's announcements come from: its control_address (b has
 * one), else its address. */
static uint32_t src_of(const struct cp_cluster_room *r)
{
	return r->addr == htonl(0xc000021e) ? htonl(0xc633641e) : r->addr;
}

static struct cp_cluster_room room(uint32_t addr_host, uint16_t port,
				   uint64_t boot, uint64_t seq,
				   uint64_t ts_ms, uint32_t cap,
				   uint32_t allocs)
{
	struct cp_cluster_room r = {
		.addr = htonl(addr_host), .port = port, .boot = boot,
		.seq = seq, .ts_ms = ts_ms, .capacity = cap,
		.allocations = allocs, .room = cap - allocs,
	};

	return r;
}

static void test_codec(void)
{
	static const uint8_t head[56] = {
		'S', 'L', 'C', 'X', 1, 1, 0, 0,
		192, 0, 2, 20, 0x0d, 0x96, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 7,                 /* boot */
		0, 0, 0, 0, 0, 0, 0, 9,                 /* seq */
		0, 0, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00, /* 1700000000000 */
		0, 0, 0x07, 0x08, 0, 0, 0, 0x0a,        /* 1800, 10 */
		0, 0, 0x06, 0xfe, 0, 0, 0, 0,           /* 1790 */
	};
	struct cp_cluster_room r = room(0xc0000214, 3478, 7, 9,
					1700000000000ull, 1800, 10), d;
	uint8_t msg[CP_CLUSTER_MSG_LEN], want[32];
	unsigned len = 32;

	cp_cluster_encode(&r, (const uint8_t *)SECRET, strlen(SECRET), msg);
	CHECK(memcmp(msg, head, sizeof(head)) == 0);
	HMAC(EVP_sha256(), SECRET, (int)strlen(SECRET), msg, 56, want, &len);
	CHECK(memcmp(msg + 56, want, 32) == 0);
	CHECK(cp_cluster_decode(msg, sizeof(msg), (const uint8_t *)SECRET,
				strlen(SECRET), &d) == CP_CLUSTER_ACCEPTED);
	CHECK(d.addr == r.addr && d.port == 3478 && d.boot == 7 &&
	      d.seq == 9 && d.ts_ms == r.ts_ms && d.capacity == 1800 &&
	      d.allocations == 10 && d.room == 1790);
	/* another secret, one flipped bit, a wrong size, room > capacity */
	CHECK(cp_cluster_decode(msg, sizeof(msg), (const uint8_t *)"x", 1,
				&d) == CP_CLUSTER_BAD_MAC);
	msg[50] ^= 1;
	CHECK(cp_cluster_decode(msg, sizeof(msg), (const uint8_t *)SECRET,
				strlen(SECRET), &d) == CP_CLUSTER_BAD_MAC);
	msg[50] ^= 1;
	CHECK(cp_cluster_decode(msg, sizeof(msg) - 1, (const uint8_t *)SECRET,
				strlen(SECRET), &d) == CP_CLUSTER_MALFORMED);
	msg[4] = 2;
	CHECK(cp_cluster_decode(msg, sizeof(msg), (const uint8_t *)SECRET,
				strlen(SECRET), &d) == CP_CLUSTER_MALFORMED);
	r.room = 1801;
	cp_cluster_encode(&r, (const uint8_t *)SECRET, strlen(SECRET), msg);
	CHECK(cp_cluster_decode(msg, sizeof(msg), (const uint8_t *)SECRET,
				strlen(SECRET), &d) == CP_CLUSTER_MALFORMED);
}

static void test_accept_and_choose(const struct sl_config *cfg)
{
	struct cp_cluster c;
	uint64_t now_ms = 1700000000000ull, ns = 100 * S_NS;
	struct cp_cluster_room a = room(0xc0000214, 3478, 1, 1, now_ms, 10, 5);
	struct cp_cluster_room b = room(0xc000021e, 3479, 2, 1, now_ms, 20, 11);
	struct cp_cluster_room r;

	cp_cluster_init(&c, cfg);
	CHECK(c.on && c.n_peers == 2 && c.interval_ns == 2 * S_NS);
	CHECK(c.our_addr == htonl(0xc000020a) && c.our_port == 3478 &&
	      c.listen_port == 3490);
	CHECK(cp_cluster_choose(&c, ns) == -1);        /* nobody heard */
	/* not a peer: the right address on another port */
	r = a;
	r.port = 3479;
	CHECK(cp_cluster_accept(&c, &r, src_of(&r), now_ms, ns) == CP_CLUSTER_UNKNOWN);
	/* clocks 31 s apart, either way */
	r = a;
	r.ts_ms = now_ms - 31000;
	CHECK(cp_cluster_accept(&c, &r, src_of(&r), now_ms, ns) == CP_CLUSTER_STALE);
	r.ts_ms = now_ms + 31000;
	CHECK(cp_cluster_accept(&c, &r, src_of(&r), now_ms, ns) == CP_CLUSTER_STALE);
	/* a's announcement from b's control address, and from b's own
	 * address: a member speaking for another */
	CHECK(cp_cluster_accept(&c, &a, htonl(0xc633641e), now_ms, ns) ==
	      CP_CLUSTER_WRONG_SOURCE);
	r = b;
	CHECK(cp_cluster_accept(&c, &r, b.addr, now_ms, ns) ==
	      CP_CLUSTER_WRONG_SOURCE);
	CHECK(!c.peers[0].heard && !c.peers[1].heard);
	CHECK(cp_cluster_accept(&c, &a, src_of(&a), now_ms, ns) ==
	      CP_CLUSTER_ACCEPTED);
	CHECK(cp_cluster_choose(&c, ns) == 0);         /* a: 5 free */
	CHECK(cp_cluster_accept(&c, &b, src_of(&b), now_ms, ns) ==
	      CP_CLUSTER_ACCEPTED);
	CHECK(cp_cluster_choose(&c, ns) == 1);         /* b: 9 free */
	/* the same announcement again, and an older sequence */
	CHECK(cp_cluster_accept(&c, &b, src_of(&b), now_ms + 5, ns) ==
	      CP_CLUSTER_REPLAYED);
	/* b fills up: its next announcement says 0 free */
	r = room(0xc000021e, 3479, 2, 2, now_ms + 1000, 20, 20);
	CHECK(cp_cluster_accept(&c, &r, src_of(&r), now_ms + 1000, ns + S_NS) ==
	      CP_CLUSTER_ACCEPTED);
	CHECK(cp_cluster_choose(&c, ns + S_NS) == 0);
	CHECK(c.peers[1].room == 0 && c.peers[1].seq == 2);
	/* b restarts (new boot): an announcement older than the last one
	 * taken is a replay of the old run; a newer one counts */
	r = room(0xc000021e, 3479, 3, 1, now_ms + 500, 20, 0);
	CHECK(cp_cluster_accept(&c, &r, src_of(&r), now_ms + 1000, ns + S_NS) ==
	      CP_CLUSTER_REPLAYED);
	r.ts_ms = now_ms + 1500;
	CHECK(cp_cluster_accept(&c, &r, src_of(&r), now_ms + 1500, ns + S_NS) ==
	      CP_CLUSTER_ACCEPTED);
	CHECK(cp_cluster_choose(&c, ns + S_NS) == 1);  /* 20 free */
	/* a ties b? no: most room wins; equal room: the first configured */
	r = room(0xc0000214, 3478, 1, 2, now_ms + 1500, 20, 0);
	CHECK(cp_cluster_accept(&c, &r, src_of(&r), now_ms + 1500, ns + S_NS) ==
	      CP_CLUSTER_ACCEPTED);
	CHECK(cp_cluster_choose(&c, ns + S_NS) == 0);
	/* 3 intervals (6 s) without a word from a: silent, b it is */
	r = room(0xc000021e, 3479, 3, 2, now_ms + 6000, 20, 1);
	CHECK(cp_cluster_accept(&c, &r, src_of(&r), now_ms + 6000, ns + 6 * S_NS) ==
	      CP_CLUSTER_ACCEPTED);
	CHECK(cp_cluster_choose(&c, ns + 6 * S_NS) == 0);  /* 5 s: alive */
	CHECK(cp_cluster_choose(&c, ns + 7 * S_NS + 1) == 1);
	CHECK(cp_cluster_choose(&c, ns + 12 * S_NS + 1) == -1);  /* both */
	cp_cluster_close(&c);
}

int main(void)
{
	struct sl_config *cfg = sl_config_load_buffer("cluster.yaml", yaml,
						      sizeof(yaml) - 1,
						      stderr);

	CHECK(cfg != NULL);
	test_codec();
	if (cfg != NULL)
		test_accept_and_choose(cfg);
	sl_config_free(cfg);
	return check_result("test_cp_cluster");
}
