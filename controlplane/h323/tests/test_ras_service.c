/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_ras_service.c — the RAS service without sockets: a fake host
 * records what it sends and logs, a scripted endpoint (ras_ep.c) talks to
 * it, time is whatever the test says.
 *
 *   H.235 password hash (known answer worked out by hand from X.691)
 *   GRQ → GCF / GRJ
 *   RRQ: right password, wrong password, unknown user, no token, clock
 *        skew (securityError / securityDenial before v4, logged as a clock
 *        problem), skew just inside, duplicate and foreign aliases,
 *        re-registration, capacity
 *   keep-alive RRQ, NAT rebinding, expiry, URQ
 *   malformed and unserved RAS
 *   incoming call: SCI with IncomingCallIndication, SCR, Facility match,
 *        retransmission, timeouts, refusals
 *   traversal zone: keep-alive SCI → SCR with LRQKeepAliveData, LRQ
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h225_cs.h"
#include "h235_pwd.h"
#include "h323_check.h"
#include "h460.h"
#include "q931.h"
#include "ras.h"
#include "ras_ep.h"

#define T0 1700000000	/* wall clock of the test, seconds */

static const char config_yaml[] =
	"profile: small\n"
	"interfaces:\n"
	"  - name: external\n"
	"    device: \"net_null0\"\n"
	"    address: 192.0.2.10/24\n"
	"credentials:\n"
	"  - { username: alice, password: \"s3cret\" }\n"
	"  - { username: bob, password: \"b0b-pw\" }\n"
	"  - { username: carol, password: \"c4rol\" }\n"
	"  - { username: dave, password: \"d4ve\" }\n"
	"  - { username: tc, password: \"zone-pw\" }\n"
	"turn:\n"
	"  realm: relay.example\n"
	"zones:\n"
	"  - { name: branch, role: server, protocol: h323, username: tc,"
	" keepalive: 20 }\n"
	"capacity:\n"
	"  registrations: 3\n";

/* ---- the fake host -------------------------------------------------------- */

#define SENT_MAX 64

struct sent {
	unsigned sock;
	struct ras_addr to;
	uint8_t buf[H225_RAS_MAX_SIZE];
	size_t len;
};

static struct sent sent[SENT_MAX];
static unsigned n_sent;
static char logbuf[16384];
static size_t log_len;
static uint8_t rnd_next = 1;

static int host_send(void *ctx, unsigned sock, struct ras_addr to,
		     const uint8_t *buf, size_t len)
{
	(void)ctx;
	if (n_sent == SENT_MAX || len > H225_RAS_MAX_SIZE)
		return -1;
	sent[n_sent].sock = sock;
	sent[n_sent].to = to;
	memcpy(sent[n_sent].buf, buf, len);
	sent[n_sent].len = len;
	n_sent++;
	return 0;
}

static void host_log(void *ctx, enum sl_log_level level, const char *line)
{
	(void)ctx;
	(void)level;
	if (getenv("RAS_TEST_VERBOSE"))
		fprintf(stderr, "log: %s\n", line);
	log_len += (size_t)snprintf(logbuf + log_len, sizeof(logbuf) - log_len,
				    "%s\n", line);
	if (log_len >= sizeof(logbuf))
		log_len = 0;	/* keep the newest lines only */
}

static int host_random(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	for (size_t i = 0; i < len; i++)
		buf[i] = rnd_next++;
	return 0;
}

static void reset_io(void)
{
	n_sent = 0;
	log_len = 0;
	logbuf[0] = '\0';
}

static bool logged(const char *text)
{
	return strstr(logbuf, text) != NULL;
}

/* ---- the world ------------------------------------------------------------ */

static struct sl_config *cfg;
static struct ras_service *svc;
static struct ras_clock now;
static uint8_t arena_mem[H225_RAS_ARENA_SIZE];
static struct h225_ras_msg reply;

static uint32_t ip4(const char *s)
{
	uint32_t a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static struct ras_addr addr(const char *ip, uint16_t port)
{
	return (struct ras_addr){ ip4(ip), port };
}

static void start(void)
{
	struct ras_params p;
	struct ras_host h = {
		.send = host_send, .log = host_log, .random = host_random,
	};

	ras_service_free(svc);
	ras_params_default(&p);
	p.advertised_ip = ip4("192.0.2.10");
	svc = ras_service_new(cfg, &p, &h);
	CHECK(svc != NULL);
	now.mono_ms = 1000000;
	now.wall_s = T0;
	reset_io();
}

/* Encodes m and hands it to the service as if from `from` on `sock`. */
static void deliver(unsigned sock, struct ras_addr from,
		    const struct h225_ras_msg *m)
{
	uint8_t buf[H225_RAS_MAX_SIZE];
	struct per_error err;
	size_t len;

	CHECKF(h225_ras_encode(m, buf, sizeof(buf), &len, &err) == 0,
	       "encode %s: %s", h225_ras_tag_abbrev(m->tag), err.reason);
	ras_service_datagram(svc, sock, from, buf, len, &now);
}

/* The last datagram sent, decoded into `reply`; its tag, or -1. */
static int last_reply(void)
{
	struct per_arena a;
	struct per_error err;

	if (n_sent == 0)
		return -1;
	per_arena_init(&a, arena_mem, sizeof(arena_mem));
	if (h225_ras_decode(sent[n_sent - 1].buf, sent[n_sent - 1].len, &reply,
			    &a, &err) < 0) {
		fprintf(stderr, "reply does not decode: %s\n", err.reason);
		return -1;
	}
	return (int)reply.tag;
}

static const struct ras_counters *ctr(void)
{
	return ras_counters(svc);
}

static bool ta_is(const struct h225_transport_address *ta, const char *ip,
		  uint16_t port)
{
	uint32_t a = ip4(ip);

	return ta->tag == H225_TA_IP_ADDRESS &&
	       memcmp(ta->u.ip_address.ip, &a, 4) == 0 &&
	       ta->u.ip_address.port == port;
}

static const struct ras_reg *find_reg(const char *alias)
{
	for (uint32_t i = 0; i < ras_reg_slots(svc); i++) {
		const struct ras_reg *r = ras_reg_slot(svc, i);

		for (unsigned k = 0; r->used && k < r->n_aliases; k++)
			if (strcmp(r->aliases[k].text, alias) == 0)
				return r;
	}
	return NULL;
}

static struct ras_ep alice, bob;

static struct ras_addr alice_from(void)
{
	return addr("198.51.100.7", 40001);
}

/* Registers e from `from`; returns the reply's tag. */
static int do_register(struct ras_ep *e, struct ras_addr from, uint32_t ts)
{
	struct h225_ras_msg m;

	reset_io();
	CHECK(ras_ep_rrq(e, &m, ts, false, true) == 0);
	deliver(RAS_SOCK_RAS, from, &m);
	if (last_reply() == H225_RAS_RCF)
		CHECK(ras_ep_take_rcf(e, &reply) == 0);
	return (int)reply.tag;
}

/* ---- H.235 ---------------------------------------------------------------- */

static void test_pwd_hash_kat(void)
{
	/* ClearToken { tokenOID 0.0, timeStamp 1700000000,
	 * password "pw\0", generalID "alice\0" }, by hand:
	 *   61        ext 0, OPTIONALs 1 1 0 0 0 0 1 0 (ts, pw, generalID)
	 *   00        the ninth bit, padding
	 *   01 00     tokenOID: length 1, 0*40+0
	 *   c0 65 53 f0 ff   timeStamp - 1 in 4 octets (count-1 = 3: "11")
	 *   04 00 70 00 77 00 00          password: len-1 = 2 in 7 bits
	 *   0a 00 61 00 6c 00 69 00 63 00 65 00 00   generalID: len-1 = 5
	 * and its MD5 (Python hashlib). */
	static const uint8_t want_md5[16] = {
		0xda, 0xe0, 0x1a, 0x79, 0xd4, 0x55, 0x09, 0x4c,
		0x09, 0xb0, 0x18, 0xc9, 0xd8, 0x53, 0x86, 0x74,
	};
	struct h225_alias_address a = { .tag = H225_ALIAS_H323_ID,
					.u.h323_id = PER_BMP_INIT("alice") };
	struct h225_crypto_h323_token tok;
	uint8_t h[16], store[16];
	int64_t off;

	CHECK(h235_pwd_hash(&a, "pw", T0, true, h) == 0);
	CHECK(memcmp(h, want_md5, 16) == 0);
	CHECK(h235_pwd_token_build(&tok, &a, "pw", T0, store) == 0);
	CHECK(h235_pwd_verify(&tok.u.crypto_ep_pwd_hash, "pw", T0, 60, &off) ==
	      H235_PWD_OK && off == 0);
	CHECK(h235_pwd_verify(&tok.u.crypto_ep_pwd_hash, "px", T0, 60, &off) ==
	      H235_PWD_BAD_HASH);
	CHECK(h235_pwd_verify(&tok.u.crypto_ep_pwd_hash, "pw", T0 + 61, 60,
			      &off) == H235_PWD_CLOCK_SKEW && off == -61);
	CHECK(h235_pwd_verify(&tok.u.crypto_ep_pwd_hash, "pw", T0 - 60, 60,
			      &off) == H235_PWD_OK && off == 60);
	/* the plain form (no NULs) is accepted too */
	CHECK(h235_pwd_hash(&a, "pw", T0, false, store) == 0);
	CHECK(h235_pwd_verify(&tok.u.crypto_ep_pwd_hash, "pw", T0, 60, &off) ==
	      H235_PWD_OK);
	tok.u.crypto_ep_pwd_hash.token.hash.nbits = 96;
	CHECK(h235_pwd_verify(&tok.u.crypto_ep_pwd_hash, "pw", T0, 60, &off) ==
	      H235_PWD_BAD_ALGORITHM);
	CHECK(h235_pwd_verify(NULL, "pw", T0, 60, &off) == H235_PWD_NO_TOKEN);
}

/* ---- GRQ ------------------------------------------------------------------ */

static void test_grq(void)
{
	struct h225_ras_msg m;

	start();
	ras_ep_grq(&alice, &m);
	deliver(RAS_SOCK_RAS, alice_from(), &m);
	CHECK(last_reply() == H225_RAS_GCF);
	CHECK(reply.u.gcf.request_seq_num == m.u.grq.request_seq_num);
	CHECK(ta_is(&reply.u.gcf.ras_address, "192.0.2.10", 1719));
	CHECK(reply.u.gcf.has_authentication_mode &&
	      reply.u.gcf.authentication_mode.tag == H235_AUTH_PWD_HASH);
	CHECK(reply.u.gcf.has_feature_set &&
	      h460_feature_set_has(&reply.u.gcf.feature_set, 18));
	CHECK(sent[0].sock == RAS_SOCK_RAS &&
	      sent[0].to.ip == alice_from().ip &&
	      sent[0].to.port == alice_from().port);

	ras_ep_grq(&alice, &m);
	m.u.grq.has_gatekeeper_identifier = true;
	m.u.grq.gatekeeper_identifier = PER_BMP("other-gk");
	deliver(RAS_SOCK_RAS, alice_from(), &m);
	CHECK(last_reply() == H225_RAS_GRJ &&
	      reply.u.grj.reject_reason.tag == H225_GRJ_TERMINAL_EXCLUDED);

	ras_ep_grq(&alice, &m);
	alice.mech.tag = H235_AUTH_CERT_SIGN;
	deliver(RAS_SOCK_RAS, alice_from(), &m);
	CHECK(last_reply() == H225_RAS_GRJ &&
	      reply.u.grj.reject_reason.tag == H225_GRJ_SECURITY_DENIAL);
	CHECK(ctr()->grq == 3 && ctr()->gcf == 1 && ctr()->grj == 2);
}

/* ---- RRQ ------------------------------------------------------------------ */

static void test_register_ok(void)
{
	const struct ras_reg *r;

	start();
	alice.ttl = 300;
	CHECK(do_register(&alice, alice_from(), T0) == H225_RAS_RCF);
	CHECK(reply.u.rcf.has_time_to_live && reply.u.rcf.time_to_live == 60);
	CHECK(reply.u.rcf.call_signal_address.n == 1 &&
	      ta_is(&reply.u.rcf.call_signal_address.items[0], "192.0.2.10",
		    1720));
	CHECK(reply.u.rcf.has_feature_set &&
	      h460_feature_set_has(&reply.u.rcf.feature_set, 18));
	r = find_reg("alice");
	CHECK(r != NULL);
	if (r == NULL)
		return;
	CHECK(strcmp(r->username, "alice") == 0 && r->h46018 &&
	      r->ttl_s == 60 && r->n_aliases == 2);
	CHECK(strcmp(r->endpoint_id, alice.epid) == 0);
	CHECK(ras_addr_eq(r->ras, alice_from()));
	CHECK(r->expires_ms == now.mono_ms + 70000);
	CHECK(find_reg("1001") == r);
	CHECK(ras_reg_count(svc) == 1 && ctr()->rcf == 1);
	CHECK(logged("registered alice,1001 as sl-"));

	/* without H.460.18, the TTL asked for is granted within bounds */
	bob.h46018 = false;
	bob.ttl = 120;
	CHECK(do_register(&bob, addr("198.51.100.8", 1719), T0) ==
	      H225_RAS_RCF);
	CHECK(reply.u.rcf.time_to_live == 120 && !reply.u.rcf.has_feature_set);
	bob.ttl = 2;
	CHECK(do_register(&bob, addr("198.51.100.8", 1719), T0) ==
	      H225_RAS_RCF && reply.u.rcf.time_to_live == 5);
	CHECK(ras_reg_count(svc) == 2);
	bob.h46018 = true;
	bob.ttl = 0;
}

static void test_register_refused(void)
{
	struct ras_ep mallory;
	struct h225_ras_msg m;

	start();
	/* wrong password */
	strcpy(alice.password, "guess");
	CHECK(do_register(&alice, alice_from(), T0) == H225_RAS_RRJ);
	CHECK(reply.u.rrj.reject_reason.tag == H225_RRJ_SECURITY_DENIAL);
	CHECK(logged("wrong password"));
	strcpy(alice.password, "s3cret");
	/* a user the store does not know */
	ras_ep_init(&mallory, "mallory", "x", ip4("198.51.100.66"), 1719);
	CHECK(do_register(&mallory, addr("198.51.100.66", 1719), T0) ==
	      H225_RAS_RRJ &&
	      reply.u.rrj.reject_reason.tag == H225_RRJ_SECURITY_DENIAL);
	CHECK(logged("no credential for user 'mallory'"));
	/* no token at all */
	reset_io();
	CHECK(ras_ep_rrq(&alice, &m, T0, false, false) == 0);
	deliver(RAS_SOCK_RAS, alice_from(), &m);
	CHECK(last_reply() == H225_RAS_RRJ &&
	      reply.u.rrj.reject_reason.tag == H225_RRJ_SECURITY_DENIAL);
	CHECK(logged("no H.235 password token"));
	CHECK(ras_reg_count(svc) == 0 && ctr()->rrj_security == 3);
}

static void test_register_clock(void)
{
	start();
	/* right password, clock an hour behind */
	CHECK(do_register(&alice, alice_from(), T0 - 3600) == H225_RAS_RRJ);
	CHECK(reply.u.rrj.reject_reason.tag == H225_RRJ_SECURITY_ERROR &&
	      reply.u.rrj.reject_reason.u.security_error.tag ==
		      H225_SEC_WRONG_SYNC_TIME);
	CHECKF(logged("clock problem") && logged("3600 s behind ours"),
	       "log: %s", logbuf);
	CHECK(ctr()->rrj_clock == 1 && ras_reg_count(svc) == 0);
	/* ahead, from an H.225.0 v2 endpoint: securityDenial */
	alice.proto = PER_OID(0, 0, 8, 2250, 0, 2);
	CHECK(do_register(&alice, alice_from(), T0 + 600) == H225_RAS_RRJ &&
	      reply.u.rrj.reject_reason.tag == H225_RRJ_SECURITY_DENIAL);
	CHECK(logged("600 s ahead of ours"));
	alice.proto = h225_protocol_v4;
	/* a wrong password with a wrong clock is a wrong password */
	strcpy(alice.password, "guess");
	CHECK(do_register(&alice, alice_from(), T0 - 3600) == H225_RAS_RRJ &&
	      reply.u.rrj.reject_reason.tag == H225_RRJ_SECURITY_DENIAL);
	CHECK(!logged("clock problem"));
	strcpy(alice.password, "s3cret");
	/* just inside the allowed skew */
	CHECK(do_register(&alice, alice_from(), T0 - 60) == H225_RAS_RCF);
	CHECK(ctr()->rrj_clock == 2);
}

static void test_aliases(void)
{
	struct ras_ep carol, dave;

	start();
	CHECK(do_register(&alice, alice_from(), T0) == H225_RAS_RCF);
	/* bob claims alice's number */
	strcpy(bob.extra_alias, "1001");
	CHECK(do_register(&bob, addr("198.51.100.8", 1719), T0) ==
	      H225_RAS_RRJ);
	CHECK(reply.u.rrj.reject_reason.tag == H225_RRJ_DUPLICATE_ALIAS &&
	      reply.u.rrj.reject_reason.u.duplicate_alias.n == 1 &&
	      strcmp(reply.u.rrj.reject_reason.u.duplicate_alias.items[0]
			     .u.dialed_digits, "1001") == 0);
	/* bob claims a name of the credential store */
	strcpy(bob.extra_alias, "carol");
	CHECK(do_register(&bob, addr("198.51.100.8", 1719), T0) ==
	      H225_RAS_RRJ &&
	      reply.u.rrj.reject_reason.tag == H225_RRJ_INVALID_ALIAS);
	strcpy(bob.extra_alias, "2002");
	CHECK(do_register(&bob, addr("198.51.100.8", 1719), T0) ==
	      H225_RAS_RCF);
	/* alice again (a restarted endpoint): the same registration */
	char epid[32];
	strcpy(epid, alice.epid);
	CHECK(do_register(&alice, addr("198.51.100.7", 40009), T0) ==
	      H225_RAS_RCF);
	CHECK(strcmp(alice.epid, epid) == 0 && ras_reg_count(svc) == 2);
	CHECK(logged("re-registered alice,1001"));
	/* capacity 3 */
	ras_ep_init(&carol, "carol", "c4rol", ip4("198.51.100.9"), 1719);
	ras_ep_init(&dave, "dave", "d4ve", ip4("198.51.100.10"), 1719);
	CHECK(do_register(&carol, addr("198.51.100.9", 1719), T0) ==
	      H225_RAS_RCF);
	CHECK(do_register(&dave, addr("198.51.100.10", 1719), T0) ==
	      H225_RAS_RRJ &&
	      reply.u.rrj.reject_reason.tag == H225_RRJ_RESOURCE_UNAVAILABLE);
	CHECK(logged("3 registrations already"));
	CHECK(ras_reg_count(svc) == 3);
	strcpy(bob.extra_alias, "");
}

/* ---- keep-alive, expiry, URQ --------------------------------------------- */

static void test_keepalive_expiry(void)
{
	struct h225_ras_msg m;
	const struct ras_reg *r;
	char epid[32];

	start();
	CHECK(do_register(&alice, alice_from(), T0) == H225_RAS_RCF);
	r = find_reg("alice");
	now.mono_ms += 50000;
	now.wall_s += 50;
	/* keep-alive from a new NAT binding */
	reset_io();
	CHECK(ras_ep_rrq(&alice, &m, (uint32_t)now.wall_s, true, true) == 0);
	deliver(RAS_SOCK_RAS, addr("198.51.100.7", 40002), &m);
	CHECK(last_reply() == H225_RAS_RCF);
	CHECK(r->keepalives == 1 && r->ras.port == 40002 &&
	      r->expires_ms == now.mono_ms + 70000);
	CHECK(logged("moved from 198.51.100.7:40001 to 198.51.100.7:40002"));
	CHECK(ctr()->keepalive == 1);
	/* a keep-alive with a wrong password, and one for bob's id */
	strcpy(alice.password, "guess");
	reset_io();
	CHECK(ras_ep_rrq(&alice, &m, (uint32_t)now.wall_s, true, true) == 0);
	deliver(RAS_SOCK_RAS, addr("198.51.100.7", 40002), &m);
	CHECK(last_reply() == H225_RAS_RRJ &&
	      reply.u.rrj.reject_reason.tag == H225_RRJ_SECURITY_DENIAL);
	strcpy(alice.password, "s3cret");
	now.mono_ms += 1000;	/* bob registers a second after */
	CHECK(do_register(&bob, addr("198.51.100.8", 1719), T0 + 50) ==
	      H225_RAS_RCF);
	strcpy(epid, alice.epid);
	strcpy(alice.epid, bob.epid);
	reset_io();
	CHECK(ras_ep_rrq(&alice, &m, (uint32_t)now.wall_s, true, true) == 0);
	deliver(RAS_SOCK_RAS, addr("198.51.100.7", 40002), &m);
	CHECK(last_reply() == H225_RAS_RRJ &&
	      reply.u.rrj.reject_reason.tag == H225_RRJ_SECURITY_DENIAL);
	CHECK(logged("token for another user"));
	/* an unknown endpoint id: full registration required */
	strcpy(alice.epid, "sl-ffffffff");
	reset_io();
	CHECK(ras_ep_rrq(&alice, &m, (uint32_t)now.wall_s, true, true) == 0);
	deliver(RAS_SOCK_RAS, addr("198.51.100.7", 40002), &m);
	CHECK(last_reply() == H225_RAS_RRJ &&
	      reply.u.rrj.reject_reason.tag ==
		      H225_RRJ_FULL_REGISTRATION_REQUIRED);
	strcpy(alice.epid, epid);
	/* expiry: 60 s TTL + 10 s grace after the keep-alive */
	now.mono_ms += 68999;
	ras_service_tick(svc, &now);
	CHECK(find_reg("alice") != NULL);
	now.mono_ms += 1;
	reset_io();
	ras_service_tick(svc, &now);
	CHECK(find_reg("alice") == NULL && ctr()->expired == 1);
	CHECK(logged("expired: no keep-alive RRQ within its time to live"));
	CHECK(find_reg("bob") != NULL);	/* registered later */
}

static void test_urq(void)
{
	struct h225_ras_msg m;

	start();
	CHECK(do_register(&alice, alice_from(), T0) == H225_RAS_RCF);
	/* wrong password: refused, still registered */
	strcpy(alice.password, "guess");
	reset_io();
	CHECK(ras_ep_urq(&alice, &m, T0) == 0);
	deliver(RAS_SOCK_RAS, alice_from(), &m);
	CHECK(last_reply() == H225_RAS_URJ &&
	      reply.u.urj.reject_reason.tag == H225_URJ_SECURITY_DENIAL);
	CHECK(find_reg("alice") != NULL);
	strcpy(alice.password, "s3cret");
	reset_io();
	CHECK(ras_ep_urq(&alice, &m, T0) == 0);
	deliver(RAS_SOCK_RAS, alice_from(), &m);
	CHECK(last_reply() == H225_RAS_UCF &&
	      reply.u.ucf.request_seq_num == m.u.urq.request_seq_num);
	CHECK(find_reg("alice") == NULL && ras_reg_count(svc) == 0);
	reset_io();
	CHECK(ras_ep_urq(&alice, &m, T0) == 0);
	deliver(RAS_SOCK_RAS, alice_from(), &m);
	CHECK(last_reply() == H225_RAS_URJ &&
	      reply.u.urj.reject_reason.tag ==
		      H225_URJ_NOT_CURRENTLY_REGISTERED);
	CHECK(ctr()->urq == 3 && ctr()->ucf == 1 && ctr()->urj == 2);
}

/* ---- what is not RAS, or not for us -------------------------------------- */

static void test_malformed(void)
{
	uint8_t junk[64], buf[H225_RAS_MAX_SIZE];
	struct h225_ras_msg m;
	struct per_error err;
	size_t len;

	start();
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(0xa5 ^ (i * 37));
	ras_service_datagram(svc, RAS_SOCK_RAS, alice_from(), junk,
			     sizeof(junk), &now);
	CHECK(ras_ep_rrq(&alice, &m, T0, false, true) == 0);
	CHECK(h225_ras_encode(&m, buf, sizeof(buf), &len, &err) == 0);
	ras_service_datagram(svc, RAS_SOCK_RAS, alice_from(), buf, len / 2,
			     &now);
	ras_service_datagram(svc, RAS_SOCK_RAS, alice_from(), buf, 0, &now);
	CHECK(ctr()->malformed == 3 && n_sent == 0);
	CHECK(logged("malformed datagram of 64 octets dropped"));
	/* a stranger cannot flood the log: 10 lines a window */
	for (int i = 0; i < 50; i++)
		ras_service_datagram(svc, RAS_SOCK_RAS, alice_from(), junk, 7,
				     &now);
	CHECK(ctr()->malformed == 53);
	now.mono_ms += 10000;
	reset_io();
	ras_service_datagram(svc, RAS_SOCK_RAS, alice_from(), junk, 7, &now);
	CHECK(logged("more refused or malformed datagram(s) not logged"));
	/* a request we do not serve gets unknownMessageResponse */
	memset(&m, 0, sizeof(m));
	m.tag = H225_RAS_BRQ;
	m.u.brq.request_seq_num = 77;
	m.u.brq.endpoint_identifier = PER_BMP("x");
	m.u.brq.conference_id[0] = 1;
	m.u.brq.band_width = 100;
	deliver(RAS_SOCK_RAS, alice_from(), &m);
	CHECK(last_reply() == H225_RAS_XRS &&
	      reply.u.xrs.request_seq_num == 77);
	/* a response nobody asked for: no answer */
	memset(&m, 0, sizeof(m));
	m.tag = H225_RAS_UCF;
	m.u.ucf.request_seq_num = 5;
	n_sent = 0;
	deliver(RAS_SOCK_RAS, alice_from(), &m);
	CHECK(n_sent == 0 && ctr()->unexpected == 1);
}

/* ---- incoming calls ------------------------------------------------------- */

/* The SCI just sent: its seq and the IncomingCallIndication. */
static int take_sci(struct h460_18_incoming_call_indication *ici)
{
	static uint8_t mem[4096];
	struct per_arena a;
	struct per_error err;

	if (last_reply() != H225_RAS_SCI || !reply.u.sci.has_generic_data)
		return -1;
	per_arena_init(&a, mem, sizeof(mem));
	if (h460_18_parse_incoming_call(&reply.u.sci.generic_data, ici, &a,
					&err) < 0)
		return -1;
	return reply.u.sci.request_seq_num;
}

static void test_call(void)
{
	struct h460_18_incoming_call_indication ici;
	const struct ras_call *c, *got;
	struct h225_ras_msg m;
	char why[256];
	uint8_t other[16];
	int seq;

	start();
	CHECK(do_register(&alice, alice_from(), T0) == H225_RAS_RCF);
	reset_io();
	c = ras_call_start(svc, "1001", &now, why, sizeof(why));
	CHECKF(c != NULL, "%s", why);
	if (c == NULL)
		return;
	seq = take_sci(&ici);
	CHECK(seq > 0 && seq == c->sci_seq);
	CHECK(ta_is(&ici.call_signalling_address, "192.0.2.10", 1720));
	CHECK(memcmp(ici.call_id.guid, c->guid, 16) == 0);
	CHECK(sent[0].sock == RAS_SOCK_RAS &&
	      ras_addr_eq(sent[0].to, alice_from()));
	CHECK(reply.u.sci.has_endpoint_identifier &&
	      per_bmp_eq_ascii(reply.u.sci.endpoint_identifier, alice.epid));
	CHECK(c->state == RAS_CALL_SCI_SENT);
	/* an SCR from elsewhere does not count */
	ras_ep_scr(&alice, &m, (uint16_t)seq);
	deliver(RAS_SOCK_RAS, addr("203.0.113.99", 40001), &m);
	CHECK(c->state == RAS_CALL_SCI_SENT && ctr()->unexpected == 1);
	deliver(RAS_SOCK_RAS, alice_from(), &m);
	CHECK(c->state == RAS_CALL_SCR_OK && ctr()->scr_received == 1);
	/* a Facility with another callID */
	memcpy(other, c->guid, 16);
	other[15] ^= 1;
	CHECK(ras_call_facility(svc, other, 9, addr("198.51.100.7", 50000),
				&now, &got) == RAS_FACILITY_UNKNOWN_CALL);
	CHECK(ras_call_facility(svc, c->guid, 9, addr("198.51.100.7", 50000),
				&now, &got) == RAS_FACILITY_MATCHED);
	CHECK(got == c && c->state == RAS_CALL_CONNECTED && c->conn == 9);
	CHECK(logged("matched"));
	CHECK(ras_call_facility(svc, c->guid, 10, addr("198.51.100.7", 50001),
				&now, &got) == RAS_FACILITY_WRONG_STATE);
	ras_call_conn_closed(svc, c->id, "the peer closed it", &now);
	CHECK(c->state == RAS_CALL_CLOSED);
	CHECK(ctr()->calls_started == 1 && ctr()->calls_connected == 1);

	/* refused: unknown alias, registration without H.460.18 */
	CHECK(ras_call_start(svc, "nobody", &now, why, sizeof(why)) == NULL &&
	      strstr(why, "not registered") != NULL);
	bob.h46018 = false;
	CHECK(do_register(&bob, addr("198.51.100.8", 1719), T0) ==
	      H225_RAS_RCF);
	CHECK(ras_call_start(svc, "bob", &now, why, sizeof(why)) == NULL &&
	      strstr(why, "without H.460.18") != NULL);
	bob.h46018 = true;
}

static void test_call_timeouts(void)
{
	struct h460_18_incoming_call_indication ici;
	const struct ras_call *c;
	struct h225_ras_msg m;
	char why[256];
	int seq;

	start();
	CHECK(do_register(&alice, alice_from(), T0) == H225_RAS_RCF);
	reset_io();
	c = ras_call_start(svc, "alice", &now, why, sizeof(why));
	CHECK(c != NULL);
	if (c == NULL)
		return;
	seq = take_sci(&ici);
	/* no SCR: three more SCIs, a second apart, the same seq */
	for (int i = 0; i < 3; i++) {
		now.mono_ms += 1000;
		ras_service_tick(svc, &now);
		CHECK(take_sci(&ici) == seq && n_sent == (unsigned)i + 2);
	}
	CHECK(c->state == RAS_CALL_SCI_SENT);
	now.mono_ms += 1000;
	ras_service_tick(svc, &now);
	CHECK(c->state == RAS_CALL_FAILED && n_sent == 4);
	CHECK(strstr(c->reason, "no SCR") != NULL);
	CHECK(ctr()->sci_retransmitted == 3 && ctr()->calls_failed == 1);

	/* SCR, but no connection */
	reset_io();
	c = ras_call_start(svc, "alice", &now, why, sizeof(why));
	seq = take_sci(&ici);
	ras_ep_scr(&alice, &m, (uint16_t)seq);
	deliver(RAS_SOCK_RAS, alice_from(), &m);
	CHECK(c->state == RAS_CALL_SCR_OK);
	now.mono_ms += 10000;
	ras_service_tick(svc, &now);
	CHECK(c->state == RAS_CALL_FAILED &&
	      strstr(c->reason, "no connection to port 1720") != NULL);
	/* a Facility overtaking its SCR is fine */
	reset_io();
	c = ras_call_start(svc, "alice", &now, why, sizeof(why));
	CHECK(c != NULL && ras_call_facility(svc, c->guid, 3,
					     alice_from(), &now, &c) ==
	      RAS_FACILITY_MATCHED);
	ras_call_conn_closed(svc, c->id, "test", &now);
	/* the registration goes away while a call is pending */
	reset_io();
	c = ras_call_start(svc, "alice", &now, why, sizeof(why));
	CHECK(ras_ep_urq(&alice, &m, (uint32_t)now.wall_s) == 0);
	deliver(RAS_SOCK_RAS, alice_from(), &m);
	CHECK(c->state == RAS_CALL_FAILED &&
	      strstr(c->reason, "unregistered") != NULL);
	/* finished calls are forgotten after a while */
	now.mono_ms += 300000;
	ras_service_tick(svc, &now);
	for (unsigned i = 0; i < RAS_CALLS_MAX; i++)
		CHECK(!ras_call_slot(svc, i)->used);
}

/* ---- traversal zone -------------------------------------------------------- */

static void test_zone(void)
{
	static uint8_t mem[4096];
	struct ras_addr tc_from = addr("203.0.113.50", 61000);
	const unsigned zsock = 1;
	struct ras_ep tc, stranger;
	const struct ras_zone_peer *p;
	struct h225_ras_msg m;
	struct per_arena a;
	struct per_error err;
	uint32_t interval = 0;

	start();
	CHECK(ras_sock_port(svc, zsock) == 6001 &&
	      ras_sock_zone(svc, zsock) == 0 && ras_sock_port(svc, 2) == 0);
	ras_ep_init(&tc, "tc", "zone-pw", ip4("10.1.1.1"), 1719);
	CHECK(ras_ep_zone_sci(&tc, &m, T0) == 0);
	deliver(zsock, tc_from, &m);
	CHECK(last_reply() == H225_RAS_SCR);
	CHECK(reply.u.scr.request_seq_num == m.u.sci.request_seq_num &&
	      !reply.u.scr.has_result && sent[0].sock == zsock);
	per_arena_init(&a, mem, sizeof(mem));
	CHECK(h460_18_parse_lrq_keep_alive(&reply.u.scr.generic_data,
					   &interval, &a, &err) == 0 &&
	      interval == 20);
	p = ras_zone_peer(svc, 0);
	CHECK(p->active && ras_addr_eq(p->addr, tc_from));
	CHECK(logged("traversal zone branch: traversal client up at "
		     "203.0.113.50:61000"));
	/* the zone's password only: alice's token is refused */
	CHECK(ras_ep_zone_sci(&alice, &m, T0) == 0);
	deliver(zsock, alice_from(), &m);
	CHECK(last_reply() == H225_RAS_SCR && reply.u.scr.has_result &&
	      reply.u.scr.result.tag == H225_SCR_FAILED);
	/* on the RAS port an SCI is not served */
	CHECK(ras_ep_zone_sci(&tc, &m, T0) == 0);
	deliver(RAS_SOCK_RAS, tc_from, &m);
	CHECK(last_reply() == H225_RAS_SCR &&
	      reply.u.scr.result.tag == H225_SCR_NOT_AVAILABLE);

	/* LRQ from the traversal client */
	CHECK(do_register(&alice, alice_from(), T0) == H225_RAS_RCF);
	reset_io();
	ras_ep_lrq(&tc, &m, "alice");
	deliver(zsock, tc_from, &m);
	CHECK(last_reply() == H225_RAS_LCF);
	CHECK(ta_is(&reply.u.lcf.call_signal_address, "192.0.2.10", 1720) &&
	      ta_is(&reply.u.lcf.ras_address, "192.0.2.10", 6001));
	ras_ep_lrq(&tc, &m, "nobody");
	deliver(zsock, tc_from, &m);
	CHECK(last_reply() == H225_RAS_LRJ &&
	      reply.u.lrj.reject_reason.tag == H225_LRJ_NOT_REGISTERED);
	ras_ep_init(&stranger, "x", "y", ip4("203.0.113.66"), 1719);
	ras_ep_lrq(&stranger, &m, "alice");
	deliver(zsock, addr("203.0.113.66", 1719), &m);
	CHECK(last_reply() == H225_RAS_LRJ &&
	      reply.u.lrj.reject_reason.tag == H225_LRJ_REQUEST_DENIED);
	deliver(RAS_SOCK_RAS, addr("203.0.113.66", 1719), &m);
	CHECK(last_reply() == H225_RAS_LRJ &&
	      reply.u.lrj.reject_reason.tag == H225_LRJ_REQUEST_DENIED);
	CHECK(ctr()->lrq == 4 && ctr()->lcf == 1 && ctr()->lrj == 3);
	/* silence for three keep-alive intervals: lost */
	now.mono_ms += 59999;
	ras_service_tick(svc, &now);
	CHECK(p->active);
	now.mono_ms += 1;
	ras_service_tick(svc, &now);
	CHECK(!p->active && logged("lost: no keep-alive SCI for 60 s"));
}

/* ---- the Facility messages ------------------------------------------------- */

static void test_facility_codec(void)
{
	static const uint8_t id[16] = { 1, 2, 3, 4, 5, 6, 7, 8,
					9, 10, 11, 12, 13, 14, 15, 16 };
	struct h225_user_information ui;
	struct per_arena a;
	struct q931_msg q;
	uint8_t buf[512];
	char why[192];
	size_t n;
	bool has;

	n = ras_ep_facility(id, buf, sizeof(buf));
	CHECK(n > TPKT_HEADER && tpkt_length(buf) == (long)n);
	per_arena_init(&a, arena_mem, sizeof(arena_mem));
	CHECKF(h225_cs_read(buf + 4, n - 4, &q, &ui, &has, &a, why,
			    sizeof(why)) == 0, "%s", why);
	CHECK(q.type == Q931_FACILITY && q.crv == 0 && has);
	CHECK(ui.h323_uu_pdu.h323_message_body.tag == H225_UU_FACILITY);
	CHECK(memcmp(ui.h323_uu_pdu.h323_message_body.u.facility
			     .call_identifier.guid, id, 16) == 0);
	CHECK(ui.h323_uu_pdu.h323_message_body.u.facility.reason.tag ==
	      H225_FR_UNDEFINED_REASON);
	n = h225_cs_facility_tpkt(NULL, buf, sizeof(buf));
	CHECK(n > 0);
	CHECK(h225_cs_read(buf + 4, n - 4, &q, &ui, &has, &a, why,
			   sizeof(why)) == 0 && has &&
	      ui.h323_uu_pdu.h323_message_body.tag == H225_UU_EMPTY);
	/* a Setup body is refused by name, not misread */
	{
		uint8_t setup[] = { 0x00, 0x00, 0x00 };
		struct per_error err;

		CHECK(h225_cs_decode(setup, sizeof(setup), &ui, &a, &err) < 0 &&
		      err.code == PER_E_UNSUPPORTED &&
		      strstr(err.reason, "setup") != NULL);
	}
	/* Q.931 that lies about its lengths */
	{
		const uint8_t bad1[] = { 0x08, 0x02, 0x00, 0x00, 0x62, 0x7e,
					 0x00, 0x10, 0x05 };
		const uint8_t bad2[] = { 0x08, 0x05, 0x00 };
		const uint8_t bad3[] = { 0x09, 0x02, 0x00, 0x00, 0x62 };

		CHECK(q931_parse(bad1, sizeof(bad1), &q, why, sizeof(why)) < 0);
		CHECK(q931_parse(bad2, sizeof(bad2), &q, why, sizeof(why)) < 0);
		CHECK(q931_parse(bad3, sizeof(bad3), &q, why, sizeof(why)) < 0);
	}
	CHECK(tpkt_length((const uint8_t[]){ 3, 0, 0, 3 }) < 0);
	CHECK(tpkt_length((const uint8_t[]){ 4, 0, 0, 8 }) < 0);
	CHECK(tpkt_length((const uint8_t[]){ 3, 0, 0, 4 }) == 4);
	{
		char check[192];

		CHECK(per_type_check(&h225_t_user_information, check,
				     sizeof(check)) == 0);
		if (check[0] != '\0')
			fprintf(stderr, "type check: %s\n", check);
	}
}

/* ---- hostile input --------------------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* Every kind of message the service acts on, mutated, from anywhere, on
 * both sockets: nothing crashes (ASan/UBSan watch), every datagram is
 * counted, and the table stays within its capacity and consistent. */
static void test_mutations(void)
{
	struct h225_ras_msg m[7];
	uint8_t enc[7][H225_RAS_MAX_SIZE], buf[H225_RAS_MAX_SIZE];
	size_t len[7];
	struct ras_ep tc;
	uint64_t delivered = 0;

	start();
	CHECK(do_register(&alice, alice_from(), T0) == H225_RAS_RCF);
	ras_ep_init(&tc, "tc", "zone-pw", ip4("10.1.1.1"), 1719);
	ras_ep_grq(&bob, &m[0]);
	CHECK(ras_ep_rrq(&bob, &m[1], T0, false, true) == 0);
	CHECK(ras_ep_rrq(&alice, &m[2], T0, true, true) == 0);
	CHECK(ras_ep_urq(&alice, &m[3], T0) == 0);
	CHECK(ras_ep_zone_sci(&tc, &m[4], T0) == 0);
	ras_ep_lrq(&tc, &m[5], "alice");
	ras_ep_scr(&alice, &m[6], 1);
	for (int k = 0; k < 7; k++)
		CHECK(h225_ras_encode(&m[k], enc[k], sizeof(enc[k]), &len[k],
				      NULL) == 0);
	for (int i = 0; i < 21000; i++) {
		int k = i % 7;
		size_t n = len[k];
		struct ras_addr from = { ip4("198.51.100.7"),
					 (uint16_t)(40000 + next_rand() % 4) };
		uint8_t *copy;

		memcpy(buf, enc[k], n);
		for (unsigned f = 1 + next_rand() % 3; f > 0; f--)
			buf[next_rand() % n] ^= (uint8_t)(1u << next_rand() % 8);
		if (next_rand() % 4 == 0)
			n = next_rand() % (n + 1);
		copy = malloc(n ? n : 1);
		if (copy == NULL)
			break;
		memcpy(copy, buf, n);
		n_sent = 0;
		ras_service_datagram(svc, next_rand() % 2, from, copy, n, &now);
		free(copy);
		delivered++;
		if (i % 1000 == 0) {
			now.mono_ms += 5000;
			ras_service_tick(svc, &now);
		}
	}
	CHECK(ctr()->received == delivered + 1);
	CHECK(ras_reg_count(svc) <= ras_reg_capacity(svc));
	for (uint32_t i = 0; i < ras_reg_slots(svc); i++) {
		const struct ras_reg *r = ras_reg_slot(svc, i);

		CHECK(!r->used || (r->n_aliases >= 1 &&
				   r->n_aliases <= RAS_ALIASES_MAX &&
				   r->username[0] != '\0'));
	}
	fprintf(stderr, "mutations: %llu malformed, %llu rcf, %llu rrj\n",
		(unsigned long long)ctr()->malformed,
		(unsigned long long)ctr()->rcf,
		(unsigned long long)ctr()->rrj);
}

int main(void)
{
	cfg = sl_config_load_buffer("test.yaml", config_yaml,
				    sizeof(config_yaml) - 1, stderr);
	if (cfg == NULL) {
		fprintf(stderr, "test config refused\n");
		return 1;
	}
	ras_ep_init(&alice, "alice", "s3cret", ip4("10.0.0.5"), 1719);
	strcpy(alice.extra_alias, "1001");
	ras_ep_init(&bob, "bob", "b0b-pw", ip4("10.0.0.6"), 1719);

	test_pwd_hash_kat();
	test_grq();
	alice.mech.tag = H235_AUTH_PWD_HASH;
	test_register_ok();
	test_register_refused();
	test_register_clock();
	test_aliases();
	test_keepalive_expiry();
	test_urq();
	test_malformed();
	test_call();
	test_call_timeouts();
	test_zone();
	test_facility_codec();
	test_mutations();

	ras_service_free(svc);
	sl_config_free(cfg);
	return check_result("test_ras_service");
}
