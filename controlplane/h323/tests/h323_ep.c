/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h323_ep.c — a scripted H.323 endpoint for the e2e tests, built on our
 * codec (ras_ep.c): it registers with an H.235 password, keeps the
 * registration alive the H.460.18 way, answers an SCI and opens the
 * signalling connection it asks for, or plays a traversal client.
 *
 *   h323_ep --server IP [--port P] [--alias A --password P] [--ttl S]
 *           [--skew S] [--no-h46018] [--bind IP] COMMAND [ARG]
 *
 *   register         GRQ, RRQ; prints "RCF ..." (exit 0) or "RRJ ..."
 *                    (exit 1); no answer: exit 2
 *   traversal SECS   register, then for SECS seconds: keep-alive RRQs at
 *                    half the TTL; every SCI with IncomingCallIndication is
 *                    answered with an SCR, then a TCP connection to its
 *                    callSignallingAddress carries the Facility with its
 *                    callID and is held (what comes down it is printed)
 *   malformed N      N datagrams that are not RAS (nothing comes back)
 *   zone SECS [ALIAS]  traversal client: keep-alive SCIs at the interval
 *                    the SCR's LRQKeepAliveData asks; after the first, an
 *                    LRQ for ALIAS; prints SCR/LCF/LRJ
 *
 * Output: one line per event, "EVENT key=value ...", flushed at once, so
 * a test can wait for a line. Every wait is bounded.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "h460.h"
#include "q931.h"
#include "ras_ep.h"

struct opts {
	const char *server;
	uint16_t port;
	const char *alias;
	const char *password;
	const char *bind_ip;
	uint32_t ttl;
	long skew;
	bool h46018;
};

struct ep {
	struct opts o;
	struct ras_ep e;
	int udp;
	int tcp;                        /* held signalling connection */
	struct sockaddr_in server;
	uint8_t arena_mem[H225_RAS_ARENA_SIZE];
	struct h225_ras_msg in;
	uint32_t ttl;                   /* granted */
};

static void event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void event(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint32_t stamp(const struct ep *p)
{
	return (uint32_t)((long)time(NULL) + p->o.skew);
}

/* ---- sockets --------------------------------------------------------------- */

static int udp_open(struct ep *p)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);

	p->udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (p->udp < 0)
		return -1;
	if (p->o.bind_ip != NULL &&
	    inet_pton(AF_INET, p->o.bind_ip, &sa.sin_addr) != 1)
		return -1;
	if (bind(p->udp, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    connect(p->udp, (struct sockaddr *)&p->server,
		    sizeof(p->server)) != 0 ||
	    getsockname(p->udp, (struct sockaddr *)&sa, &len) != 0)
		return -1;
	ras_ep_init(&p->e, p->o.alias, p->o.password, sa.sin_addr.s_addr,
		    ntohs(sa.sin_port));
	p->e.h46018 = p->o.h46018;
	p->e.ttl = p->o.ttl;
	return 0;
}

static int send_msg(struct ep *p, const struct h225_ras_msg *m)
{
	uint8_t buf[H225_RAS_MAX_SIZE];
	struct per_error err;
	size_t len;

	if (h225_ras_encode(m, buf, sizeof(buf), &len, &err) < 0) {
		event("ERROR encode=%s reason=\"%s\"",
		      h225_ras_tag_abbrev(m->tag), err.reason);
		return -1;
	}
	return send(p->udp, buf, len, 0) == (ssize_t)len ? 0 : -1;
}

/* One datagram within timeout_ms, decoded into p->in. 1, 0 on timeout. */
static int recv_msg(struct ep *p, int timeout_ms)
{
	struct pollfd pfd = { .fd = p->udp, .events = POLLIN };
	uint8_t buf[H225_RAS_MAX_SIZE];
	struct per_arena a;
	struct per_error err;
	ssize_t n;

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return 0;
	n = recv(p->udp, buf, sizeof(buf), 0);
	if (n <= 0)
		return 0;
	per_arena_init(&a, p->arena_mem, sizeof(p->arena_mem));
	if (h225_ras_decode(buf, (size_t)n, &p->in, &a, &err) < 0) {
		event("ERROR decode reason=\"%s\"", err.reason);
		return 0;
	}
	return 1;
}

/* ---- registration ------------------------------------------------------------ */

static const char *rrj_reason(const struct h225_rrj *j)
{
	static const char *const sec[] = {
		"securityWrongSyncTime", "securityReplay",
		"securityWrongGeneralID", "securityWrongSendersID",
		"securityIntegrityFailed", "securityWrongOID",
	};

	switch (j->reject_reason.tag) {
	case H225_RRJ_SECURITY_DENIAL: return "securityDenial";
	case H225_RRJ_DUPLICATE_ALIAS: return "duplicateAlias";
	case H225_RRJ_INVALID_ALIAS: return "invalidAlias";
	case H225_RRJ_RESOURCE_UNAVAILABLE: return "resourceUnavailable";
	case H225_RRJ_FULL_REGISTRATION_REQUIRED:
		return "fullRegistrationRequired";
	case H225_RRJ_SECURITY_ERROR:
		return j->reject_reason.u.security_error.tag < 6
			       ? sec[j->reject_reason.u.security_error.tag]
			       : "securityError";
	}
	return "other";
}

/* Sends m and waits for the answer with the same sequence number; up to
 * three tries, 2 s apart. Other messages (an SCI) are left unhandled. */
static int transact(struct ep *p, const struct h225_ras_msg *m)
{
	uint16_t seq = h225_ras_seq_num(m);

	for (int tries = 0; tries < 3; tries++) {
		int64_t end = mono_ms() + 2000;

		if (send_msg(p, m) < 0)
			return -1;
		while (mono_ms() < end)
			if (recv_msg(p, (int)(end - mono_ms())) == 1 &&
			    h225_ras_seq_num(&p->in) == seq)
				return 0;
	}
	return -1;
}

static int do_register(struct ep *p, bool keep_alive)
{
	struct h225_ras_msg m;

	if (!keep_alive) {
		ras_ep_grq(&p->e, &m);
		if (transact(p, &m) < 0) {
			event("TIMEOUT GRQ");
			return 2;
		}
		event("%s", h225_ras_tag_abbrev(p->in.tag));
	}
	if (ras_ep_rrq(&p->e, &m, stamp(p), keep_alive, true) < 0 ||
	    transact(p, &m) < 0) {
		event("TIMEOUT RRQ keepalive=%d", keep_alive);
		return 2;
	}
	if (p->in.tag == H225_RAS_RRJ) {
		event("RRJ reason=%s keepalive=%d", rrj_reason(&p->in.u.rrj),
		      keep_alive);
		return 1;
	}
	if (p->in.tag != H225_RAS_RCF || ras_ep_take_rcf(&p->e, &p->in) < 0) {
		event("ERROR answer=%s", h225_ras_tag_abbrev(p->in.tag));
		return 1;
	}
	p->ttl = p->in.u.rcf.has_time_to_live ? p->in.u.rcf.time_to_live : 60;
	event("RCF epid=%s ttl=%u keepalive=%d h46018=%d", p->e.epid, p->ttl,
	      keep_alive, p->in.u.rcf.has_feature_set &&
	      h460_feature_set_has(&p->in.u.rcf.feature_set, 18));
	return 0;
}

/* ---- the incoming call -------------------------------------------------------- */

static void guid_text(const uint8_t g[16], char *out, size_t cap)
{
	snprintf(out, cap, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", g[0], g[1], g[2], g[3], g[4],
		 g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13],
		 g[14], g[15]);
}

/* H.460.18: connect to the address the SCI names and send the Facility. */
static void open_signalling(struct ep *p,
			    const struct h460_18_incoming_call_indication *ici)
{
	const struct h225_ip_address *ip =
		&ici->call_signalling_address.u.ip_address;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	uint8_t msg[256];
	char id[40];
	size_t n;

	guid_text(ici->call_id.guid, id, sizeof(id));
	if (ici->call_signalling_address.tag != H225_TA_IP_ADDRESS) {
		event("ERROR sci_address=not-ipv4");
		return;
	}
	memcpy(&sa.sin_addr, ip->ip, 4);
	sa.sin_port = htons(ip->port);
	if (p->tcp >= 0)
		close(p->tcp);
	p->tcp = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	n = ras_ep_facility(ici->call_id.guid, msg, sizeof(msg));
	if (p->tcp < 0 || n == 0 ||
	    connect(p->tcp, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    send(p->tcp, msg, n, MSG_NOSIGNAL) != (ssize_t)n) {
		event("ERROR tcp=%s callid=%s", strerror(errno), id);
		return;
	}
	event("FACILITY callid=%s to=%s:%u", id, inet_ntoa(sa.sin_addr),
	      ip->port);
}

static void on_sci(struct ep *p)
{
	struct h460_18_incoming_call_indication ici;
	static uint8_t mem[4096];
	struct h225_ras_msg scr;
	struct per_arena a;
	struct per_error err;
	char id[40];

	per_arena_init(&a, mem, sizeof(mem));
	if (!p->in.u.sci.has_generic_data ||
	    h460_18_parse_incoming_call(&p->in.u.sci.generic_data, &ici, &a,
					&err) < 0) {
		event("ERROR sci reason=\"%s\"", err.reason);
		return;
	}
	guid_text(ici.call_id.guid, id, sizeof(id));
	event("SCI seq=%u callid=%s", p->in.u.sci.request_seq_num, id);
	ras_ep_scr(&p->e, &scr, p->in.u.sci.request_seq_num);
	send_msg(p, &scr);
	open_signalling(p, &ici);
}

/* Whatever the server sends down the held connection. */
static void on_tcp(struct ep *p)
{
	uint8_t buf[4096];
	ssize_t n = recv(p->tcp, buf, sizeof(buf), MSG_DONTWAIT);

	if (n <= 0) {
		event("TCP closed");
		close(p->tcp);
		p->tcp = -1;
		return;
	}
	event("TCP received=%zd first=%02x", n, buf[0]);
}

static int traversal(struct ep *p, long secs)
{
	int64_t end = mono_ms() + 1000 * secs, next_ka;
	int rc = do_register(p, false);

	if (rc != 0)
		return rc;
	next_ka = mono_ms() + 500 * (int64_t)p->ttl;
	while (mono_ms() < end) {
		struct pollfd pfd[2] = {
			{ .fd = p->udp, .events = POLLIN },
			{ .fd = p->tcp, .events = POLLIN },
		};
		int64_t wait = next_ka - mono_ms();

		if (wait <= 0) {
			if (do_register(p, true) != 0)
				return 1;
			next_ka = mono_ms() + 500 * (int64_t)p->ttl;
			continue;
		}
		if (poll(pfd, 2, wait > 200 ? 200 : (int)wait) <= 0)
			continue;
		if ((pfd[0].revents & POLLIN) && recv_msg(p, 0) == 1) {
			if (p->in.tag == H225_RAS_SCI)
				on_sci(p);
			else
				event("RAS %s", h225_ras_tag_abbrev(p->in.tag));
		}
		if (p->tcp >= 0 && (pfd[1].revents & (POLLIN | POLLHUP)))
			on_tcp(p);
	}
	event("DONE");
	return 0;
}

/* ---- traversal client ---------------------------------------------------------- */

static int zone_sci(struct ep *p, uint32_t *interval)
{
	static uint8_t mem[4096];
	struct h225_ras_msg m;
	struct per_arena a;
	struct per_error err;

	if (ras_ep_zone_sci(&p->e, &m, stamp(p)) < 0 || transact(p, &m) < 0) {
		event("TIMEOUT SCI");
		return 2;
	}
	per_arena_init(&a, mem, sizeof(mem));
	if (p->in.tag != H225_RAS_SCR || !p->in.u.scr.has_generic_data ||
	    h460_18_parse_lrq_keep_alive(&p->in.u.scr.generic_data, interval,
					 &a, &err) < 0) {
		event("SCR refused result=%u", p->in.u.scr.has_result ?
		      p->in.u.scr.result.tag : 99);
		return 1;
	}
	event("SCR lrq_keepalive_interval=%u", *interval);
	return 0;
}

static int zone(struct ep *p, long secs, const char *lrq_alias)
{
	int64_t end = mono_ms() + 1000 * secs;
	uint32_t interval = 0;
	bool asked = false;
	struct h225_ras_msg m;

	while (mono_ms() < end) {
		int64_t next;

		if (zone_sci(p, &interval) != 0)
			return 1;
		if (lrq_alias != NULL && !asked) {
			asked = true;
			ras_ep_lrq(&p->e, &m, lrq_alias);
			if (transact(p, &m) < 0)
				event("TIMEOUT LRQ");
			else
				event("%s alias=%s",
				      h225_ras_tag_abbrev(p->in.tag),
				      lrq_alias);
		}
		next = mono_ms() + 1000 * (int64_t)interval;
		while (mono_ms() < next && mono_ms() < end)
			if (recv_msg(p, 200) == 1)
				event("RAS %s", h225_ras_tag_abbrev(p->in.tag));
	}
	event("DONE");
	return 0;
}

/* ---- main ------------------------------------------------------------------------ */

static int malformed(struct ep *p, long n)
{
	uint8_t junk[48];

	for (long i = 0; i < n; i++) {
		for (size_t k = 0; k < sizeof(junk); k++)
			junk[k] = (uint8_t)(0xff - k * 7 - (size_t)i);
		if (send(p->udp, junk, sizeof(junk) - (size_t)(i % 16), 0) < 0)
			return 1;
	}
	event("SENT malformed=%ld", n);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: h323_ep --server IP [--port P] [--alias A] "
		"[--password P] [--ttl S] [--skew S] [--no-h46018] "
		"[--bind IP]\n"
		"       register | traversal SECS | malformed N | "
		"zone SECS [ALIAS]\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "server", required_argument, NULL, 's' },
		{ "port", required_argument, NULL, 'p' },
		{ "alias", required_argument, NULL, 'a' },
		{ "password", required_argument, NULL, 'w' },
		{ "ttl", required_argument, NULL, 't' },
		{ "skew", required_argument, NULL, 'k' },
		{ "bind", required_argument, NULL, 'b' },
		{ "no-h46018", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct opts){ .port = 1719, .alias = "alice",
			    .password = "e2e-secret", .h46018 = true };
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's': o->server = optarg; break;
		case 'p': o->port = (uint16_t)strtoul(optarg, NULL, 10); break;
		case 'a': o->alias = optarg; break;
		case 'w': o->password = optarg; break;
		case 't': o->ttl = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'k': o->skew = strtol(optarg, NULL, 10); break;
		case 'b': o->bind_ip = optarg; break;
		case 'n': o->h46018 = false; break;
		default: return -1;
		}
	}
	return o->server == NULL || optind >= argc ? -1 : 0;
}

int main(int argc, char **argv)
{
	static struct ep p;
	const char *cmd;
	long arg;

	if (parse(argc, argv, &p.o) < 0) {
		usage();
		return 64;
	}
	p.tcp = -1;
	p.server.sin_family = AF_INET;
	p.server.sin_port = htons(p.o.port);
	if (inet_pton(AF_INET, p.o.server, &p.server.sin_addr) != 1 ||
	    udp_open(&p) < 0) {
		fprintf(stderr, "h323_ep: %s: %s\n", p.o.server,
			strerror(errno));
		return 64;
	}
	cmd = argv[optind];
	arg = optind + 1 < argc ? strtol(argv[optind + 1], NULL, 10) : 0;
	if (strcmp(cmd, "register") == 0)
		return do_register(&p, false);
	if (strcmp(cmd, "traversal") == 0 && arg > 0)
		return traversal(&p, arg);
	if (strcmp(cmd, "malformed") == 0 && arg > 0)
		return malformed(&p, arg);
	if (strcmp(cmd, "zone") == 0 && arg > 0)
		return zone(&p, arg, optind + 2 < argc ? argv[optind + 2]
						       : NULL);
	usage();
	return 64;
}
