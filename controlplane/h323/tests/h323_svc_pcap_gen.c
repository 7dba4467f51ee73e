/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h323_svc_pcap_gen.c — what the RAS service and the H.460.18 call
 * signalling really put on the wire, in a pcap for Wireshark to judge
 * (test_h323_svc_tshark.py).
 *
 * It runs the real ras_service (as the unit test does, with a host that
 * records instead of sending) through a script — discovery, registration
 * (accepted, wrong password, clock skew, duplicate alias), keep-alive, an
 * incoming call (SCI, SCR), the endpoint's Facility on TCP 1720 and
 * Sluice's empty Facility keep-alive, a traversal zone (SCI/SCR with
 * LRQKeepAliveData, LRQ/LCF/LRJ), URQ/UCF, an unserved BRQ (XRS) — and
 * writes every message of both sides as one frame:
 *
 *   h323_svc_pcap_gen OUT.pcap     prints "FRAME LABEL ras|cs" per frame
 *
 * The endpoint is 192.0.2.1, Sluice 192.0.2.10 (RAS 1719, zone 6001,
 * call signalling 1720). The last frame is a Facility cut short, which
 * Wireshark must call malformed.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcap_write.h"
#include "ras.h"
#include "ras_ep.h"

#define T0 1700000000

static const char config_yaml[] =
	"profile: small\n"
	"interfaces:\n"
	"  - name: external\n"
	"    device: \"net_null0\"\n"
	"    address: 192.0.2.10/24\n"
	"credentials:\n"
	"  - { username: alice, password: \"s3cret\" }\n"
	"  - { username: bob, password: \"b0b-pw\" }\n"
	"  - { username: tc, password: \"zone-pw\" }\n"
	"turn:\n"
	"  realm: relay.example\n"
	"zones:\n"
	"  - { name: branch, role: server, protocol: h323, username: tc,"
	" keepalive: 20 }\n";

static FILE *out;
static unsigned frame_no;
static const struct pcap_end gk_ras = { { 192, 0, 2, 10 }, 1719 };
static const struct pcap_end gk_zone = { { 192, 0, 2, 10 }, 6001 };
static const struct pcap_end gk_cs = { { 192, 0, 2, 10 }, 1720 };
static const struct pcap_end ep_ras = { { 192, 0, 2, 1 }, 40000 };
static const struct pcap_end ep_cs = { { 192, 0, 2, 1 }, 50000 };
static const struct pcap_end tc_ras = { { 192, 0, 2, 1 }, 40001 };
static struct ras_service *svc;
static struct ras_clock now = { 1000000, T0 };
static const char *pending_label;	/* what the service's next send is */
static uint8_t last_sci[H225_RAS_MAX_SIZE];
static size_t last_sci_len;

static void die(const char *what)
{
	fprintf(stderr, "h323_svc_pcap_gen: %s\n", what);
	exit(1);
}

static void note(const char *label, const char *kind)
{
	printf("%u %s %s\n", frame_no, label, kind);
}

static int host_send(void *ctx, unsigned sock, struct ras_addr to,
		     const uint8_t *buf, size_t len)
{
	struct pcap_end dst = ep_ras;

	(void)ctx;
	memcpy(dst.ip, &to.ip, 4);
	dst.port = to.port;
	if (pending_label == NULL)
		die("the service sent something the script did not expect");
	if (pcap_udp(out, ++frame_no, sock == 0 ? gk_ras : gk_zone, dst, buf,
		     len) < 0)
		die("pcap write");
	note(pending_label, "ras");
	if (len <= sizeof(last_sci)) {
		memcpy(last_sci, buf, len);
		last_sci_len = len;
	}
	pending_label = NULL;
	return 0;
}

static void host_log(void *ctx, enum sl_log_level level, const char *line)
{
	(void)ctx;
	(void)level;
	if (getenv("GEN_VERBOSE"))
		fprintf(stderr, "%s\n", line);
}

static int host_random(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(0xc0 + i);
	return 0;
}

/* The endpoint's message m as a frame, then handed to the service, whose
 * answer (if `answer` is not NULL) becomes the next frame. */
static void exchange(const char *label, const struct h225_ras_msg *m,
		     struct pcap_end from, bool zone, const char *answer)
{
	uint8_t buf[H225_RAS_MAX_SIZE];
	struct ras_addr a;
	size_t len;

	if (h225_ras_encode(m, buf, sizeof(buf), &len, NULL) < 0)
		die(label);
	if (pcap_udp(out, ++frame_no, from, zone ? gk_zone : gk_ras, buf,
		     len) < 0)
		die("pcap write");
	note(label, "ras");
	memcpy(&a.ip, from.ip, 4);
	a.port = from.port;
	pending_label = answer;
	ras_service_datagram(svc, zone ? 1 : 0, a, buf, len, &now);
	if (pending_label != NULL)
		die(answer);
}

static void tcp_frame(const char *label, struct pcap_end src,
		      struct pcap_end dst, uint32_t seq, const uint8_t *p,
		      size_t len)
{
	if (pcap_tcp(out, ++frame_no, src, dst, seq, p, len) < 0)
		die("pcap write");
	note(label, "cs");
}

static void registration(struct ras_ep *alice, struct ras_ep *bob)
{
	struct h225_ras_msg m;

	ras_ep_grq(alice, &m);
	exchange("grq", &m, ep_ras, false, "gcf");
	alice->ttl = 300;
	if (ras_ep_rrq(alice, &m, T0, false, true) < 0)
		die("rrq");
	exchange("rrq", &m, ep_ras, false, "rcf");
	strcpy(alice->epid, "sl-00c0c101");	/* from host_random */
	strcpy(alice->password, "guess");
	if (ras_ep_rrq(alice, &m, T0, false, true) < 0)
		die("rrq");
	exchange("rrq-wrong-password", &m, ep_ras, false, "rrj-denied");
	strcpy(alice->password, "s3cret");
	if (ras_ep_rrq(alice, &m, T0 - 3600, false, true) < 0)
		die("rrq");
	exchange("rrq-skewed", &m, ep_ras, false, "rrj-clock");
	if (ras_ep_rrq(alice, &m, T0 + 30, true, true) < 0)
		die("rrq");
	exchange("rrq-keepalive", &m, ep_ras, false, "rcf-keepalive");
	strcpy(bob->extra_alias, "1001");
	if (ras_ep_rrq(bob, &m, T0, false, true) < 0)
		die("rrq");
	exchange("rrq-duplicate", &m, ep_ras, false, "rrj-duplicate");
}

static void call(struct ras_ep *alice)
{
	static uint8_t mem[H225_RAS_ARENA_SIZE];
	uint8_t msg[256];
	struct h225_ras_msg sci, m;
	const struct ras_call *c;
	struct per_arena a;
	char why[256];
	size_t n;

	pending_label = "sci-incoming-call";
	c = ras_call_start(svc, "alice", &now, why, sizeof(why));
	if (c == NULL)
		die(why);
	per_arena_init(&a, mem, sizeof(mem));
	if (h225_ras_decode(last_sci, last_sci_len, &sci, &a, NULL) < 0)
		die("sci");
	ras_ep_scr(alice, &m, sci.u.sci.request_seq_num);
	exchange("scr", &m, ep_ras, false, NULL);
	n = ras_ep_facility(c->guid, msg, sizeof(msg));
	if (n == 0)
		die("facility");
	tcp_frame("facility-callid", ep_cs, gk_cs, 1, msg, n);
	n = h225_cs_facility_tpkt(NULL, msg, sizeof(msg));
	if (n == 0)
		die("empty facility");
	tcp_frame("facility-empty", gk_cs, ep_cs, 1, msg, n);
}

static void zone(struct ras_ep *alice)
{
	struct h225_ras_msg m;
	struct ras_ep tc;

	ras_ep_init(&tc, "tc", "zone-pw", htonl(0xc0000201), 40001);
	if (ras_ep_zone_sci(&tc, &m, T0) < 0)
		die("zone sci");
	exchange("sci-zone-keepalive", &m, tc_ras, true, "scr-lrq-keepalive");
	ras_ep_lrq(&tc, &m, "alice");
	exchange("lrq", &m, tc_ras, true, "lcf");
	ras_ep_lrq(&tc, &m, "nobody");
	exchange("lrq-unknown", &m, tc_ras, true, "lrj");
	if (ras_ep_urq(alice, &m, T0) < 0)
		die("urq");
	exchange("urq", &m, ep_ras, false, "ucf");
	memset(&m, 0, sizeof(m));
	m.tag = H225_RAS_BRQ;
	m.u.brq.request_seq_num = 99;
	m.u.brq.endpoint_identifier = PER_BMP("x");
	m.u.brq.band_width = 640;
	exchange("brq", &m, ep_ras, false, "xrs");
}

int main(int argc, char **argv)
{
	struct sl_config *cfg;
	struct ras_params p;
	struct ras_host h = {
		.send = host_send, .log = host_log, .random = host_random,
	};
	static struct ras_ep alice, bob;
	uint8_t msg[256];
	size_t n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OUT.pcap\n", argv[0]);
		return 2;
	}
	cfg = sl_config_load_buffer("gen.yaml", config_yaml,
				    sizeof(config_yaml) - 1, stderr);
	out = pcap_open(argv[1]);
	if (cfg == NULL || out == NULL)
		die("config or output");
	ras_params_default(&p);
	p.advertised_ip = htonl(0xc000020a);
	svc = ras_service_new(cfg, &p, &h);
	if (svc == NULL)
		die("service");
	ras_ep_init(&alice, "alice", "s3cret", htonl(0xc0000201), 40000);
	strcpy(alice.extra_alias, "1001");
	ras_ep_init(&bob, "bob", "b0b-pw", htonl(0xc0000201), 40000);
	registration(&alice, &bob);
	call(&alice);
	zone(&alice);
	/* the canary: a Facility whose UUIE lost its last 6 octets, with
	 * every length fixed up, so only the PER inside is broken */
	n = h225_cs_facility_tpkt((const uint8_t[16]){ 1 }, msg, sizeof(msg));
	n -= 6;
	msg[2] = (uint8_t)(n >> 8);
	msg[3] = (uint8_t)n;
	msg[10] = (uint8_t)((n - 12) >> 8);
	msg[11] = (uint8_t)(n - 12);
	tcp_frame("canary-truncated", ep_cs, gk_cs, 1, msg, n);
	ras_service_free(svc);
	sl_config_free(cfg);
	return pcap_close(out) == 0 ? 0 : 1;
}
