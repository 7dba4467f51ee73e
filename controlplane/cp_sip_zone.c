/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_sip_zone.c — SIP traversal zones between two appliances.
 *
 *   inside appliance (client zone)              DMZ appliance (server zone)
 *   ──────────────────────────────              ───────────────────────────
 *   connect PEER:PORT from 25000-29999 ──TCP/TLS──► zones[].port (7001…)
 *   REGISTER sip:USER@PEER  ─────────────────────►  digest challenge
 *                           ◄───────────────────── 401 WWW-Authenticate
 *   REGISTER + Authorization ────────────────────►  USER must be this
 *                           ◄───────────────────── 200 (Flow-Timer)  zone's user
 *   every keepalive s: CRLF CRLF ────────────────►
 *                           ◄───────────────────── CRLF
 *   no pong in time / closed: reconnect after 1, 2, 4 … 60 s (backoff)
 *
 * The client is always the one that opens the connection (the firewall
 * between them lets only outbound connections through); the server
 * offers calls for the client down that connection (the B2BUA, next
 * part). The credentials are the zone's `username` and its password from
 * the credential store, on both sides.
 *
 * Mismatches are named where they show: a TLS ClientHello on a TCP zone
 * port, a failed TLS handshake on a TLS zone port, a refused connection,
 * a connection closed before REGISTER was answered, credentials for
 * another zone's user; each in the log and in the zone's last_error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cp_log.h"
#include "cp_main.h"
#include "cp_sip_int.h"
#include "cp_sock.h"
#include "sip_hdr.h"

#define ZONE_BACKOFF_MIN_MS   1000
#define ZONE_BACKOFF_MAX_MS   60000
#define ZONE_PONG_MS          5000      /* a ping unanswered this long */
#define ZONE_AUTH_MS          10000     /* REGISTER answered within */
#define ZONE_SRC_PORT_TRIES   16
#define ZONE_DNS_CLOSE_MS     1000      /* a lookup awaited at stop */

/* A lookup of a client zone's peer name: getaddrinfo_a() runs it on
 * glibc's resolver thread; the tick polls it, so the event loop never
 * blocks on DNS. Heap-held: the thread owns it until it is done. */
struct cp_zone_dns {
	struct gaicb cb;
	struct addrinfo hints;
	char name[SL_CFG_DEVICE_MAX];
};

const char *cp_zone_state_name(enum cp_zone_state st)
{
	static const char *const n[] = {
		[CP_ZONE_DOWN] = "down", [CP_ZONE_RESOLVING] = "resolving",
		[CP_ZONE_CONNECTING] = "connecting",
		[CP_ZONE_HANDSHAKE] = "tls-handshake",
		[CP_ZONE_AUTHENTICATING] = "authenticating",
		[CP_ZONE_UP] = "up",
	};

	return st <= CP_ZONE_UP ? n[st] : "?";
}

static void zone_state(struct cp_sip_zone *zn, enum cp_zone_state st)
{
	zn->state = st;
	zn->state_since_ms = cp_now_ms();
}

/* Records the reason (status and log) once per change of reason. */
static void zone_error(struct cp_sip_zone *zn, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void zone_error(struct cp_sip_zone *zn, const char *fmt, ...)
{
	char buf[sizeof(zn->last_error)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, zn->last_error) != 0)
		CP_WARNING("zone %s: %s", zn->z->name, buf);
	snprintf(zn->last_error, sizeof(zn->last_error), "%s", buf);
}

static struct cp_sip_conn *zone_conn(struct cp_sip *s, struct cp_sip_zone *zn)
{
	struct cp_sip_conn *c;

	if (zn->conn == 0)
		return NULL;
	c = &s->conn[zn->conn - 1];
	return c->fd >= 0 && c->peer.conn_gen == zn->conn_gen ? c : NULL;
}

static const char *transport_word(const struct sl_zone *z)
{
	return z->transport == SL_ZONE_TLS ? "tls" : "tcp";
}

static const struct sl_credential *zone_cred(const struct cp_sip *s,
					     const struct sl_zone *z)
{
	for (unsigned i = 0; i < s->cfg->n_creds; i++)
		if (strcmp(s->cfg->creds[i].username, z->username) == 0)
			return &s->cfg->creds[i];
	return NULL;
}

/* ---- client side ----------------------------------------------------------- */

static void client_schedule_retry(struct cp_sip_zone *zn, int64_t now)
{
	zone_state(zn, CP_ZONE_DOWN);
	zn->next_try_ms = now + zn->backoff_ms;
	zn->backoff_ms = zn->backoff_ms * 2 > ZONE_BACKOFF_MAX_MS ?
			 ZONE_BACKOFF_MAX_MS : zn->backoff_ms * 2;
	zn->pong_deadline_ms = 0;
}

/* A socket bound to a free port of sip.tcp_outbound_ports. */
static int outbound_socket(const struct cp_sip *s)
{
	const struct sl_port_range *r = &s->cfg->sip.tcp_outbound;
	unsigned span = (unsigned)(r->hi - r->lo) + 1;
	uint32_t start;

	if (cp_random((uint8_t *)&start, sizeof(start)) != 0)
		start = (uint32_t)cp_now_ms();
	for (unsigned k = 0; k < ZONE_SRC_PORT_TRIES; k++) {
		struct sockaddr_in sa = {
			.sin_family = AF_INET,
			.sin_port = htons((uint16_t)(r->lo + (start + k) % span)),
		};
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
				SOCK_CLOEXEC, 0);

		if (fd < 0)
			return -1;
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		close(fd);
	}
	errno = EADDRINUSE;
	return -1;
}

/* Starts looking up the peer's name; false (said why) when it cannot. */
static bool client_resolve_start(struct cp_sip_zone *zn)
{
	struct cp_zone_dns *d = calloc(1, sizeof(*d));
	struct gaicb *list[1];
	int rc;

	if (d == NULL) {
		zone_error(zn, "peer %s: no memory for its lookup", zn->z->peer);
		return false;
	}
	snprintf(d->name, sizeof(d->name), "%s", zn->z->peer);
	d->hints.ai_family = AF_INET;
	d->hints.ai_socktype = SOCK_STREAM;
	d->cb.ar_name = d->name;
	d->cb.ar_request = &d->hints;
	list[0] = &d->cb;
	rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);
	if (rc != 0) {
		zone_error(zn, "peer %s: lookup not started: %s", zn->z->peer,
			   gai_strerror(rc));
		free(d);
		return false;
	}
	zn->dns = d;
	zone_state(zn, CP_ZONE_RESOLVING);
	return true;
}

/* The lookup's outcome: 1 still running, 0 *out is the peer's first IPv4
 * address, -1 failed (said why). The lookup is over unless 1. */
static int client_resolve_poll(struct cp_sip_zone *zn, struct in_addr *out)
{
	struct cp_zone_dns *d = zn->dns;
	int rc = gai_error(&d->cb);

	if (rc == EAI_INPROGRESS)
		return 1;
	if (rc == 0 && d->cb.ar_result != NULL)
		*out = ((struct sockaddr_in *)d->cb.ar_result->ai_addr)->sin_addr;
	else
		zone_error(zn, "peer %s: name not resolved: %s", zn->z->peer,
			   rc == 0 ? "no IPv4 address" : gai_strerror(rc));
	if (d->cb.ar_result != NULL)
		freeaddrinfo(d->cb.ar_result);
	free(d);
	zn->dns = NULL;
	return rc == 0 ? 0 : -1;
}

/* At stop: a lookup still running is cancelled or, briefly, awaited; one
 * the resolver thread still holds after that is left to it (the process
 * is ending). */
static void client_resolve_drop(struct cp_sip_zone *zn)
{
	struct timespec ts = { .tv_sec = ZONE_DNS_CLOSE_MS / 1000 };
	const struct gaicb *list[1];
	struct in_addr ignored;

	if (zn->dns == NULL)
		return;
	list[0] = &zn->dns->cb;
	if (gai_cancel(&zn->dns->cb) == EAI_NOTCANCELED)
		gai_suspend(list, 1, &ts);
	if (gai_error(&zn->dns->cb) != EAI_INPROGRESS)
		client_resolve_poll(zn, &ignored);
	zn->dns = NULL;
}

static void client_connect(struct cp_sip *s, struct cp_sip_zone *zn,
			   int64_t now)
{
	const struct sl_zone *z = zn->z;
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(z->port) };
	struct cp_sip_conn *c;
	int fd;

	if (inet_pton(AF_INET, z->peer, &sa.sin_addr) != 1) {
		/* a name: looked up at every attempt, so a changed DNS
		 * record is followed on the next reconnect */
		if (zn->dns == NULL) {
			if (!client_resolve_start(zn))
				client_schedule_retry(zn, now);
			return;
		}
		switch (client_resolve_poll(zn, &sa.sin_addr)) {
		case 1:
			return;
		case -1:
			client_schedule_retry(zn, now);
			return;
		}
	}
	fd = outbound_socket(s);
	if (fd < 0) {
		zone_error(zn, "no source port free in sip.tcp_outbound_ports: %s",
			   strerror(errno));
		client_schedule_retry(zn, now);
		return;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 &&
	    errno != EINPROGRESS) {
		zone_error(zn, "connect to %s:%u: %s", z->peer, z->port,
			   strerror(errno));
		close(fd);
		client_schedule_retry(zn, now);
		return;
	}
	c = cp_sip_conn_new(s, fd, sa.sin_addr.s_addr, z->port,
			    z->transport == SL_ZONE_TLS,
			    z->transport == SL_ZONE_TLS, (int)(zn - s->zones));
	if (c == NULL) {
		zone_error(zn, "no connection slot free");
		client_schedule_retry(zn, now);
		return;
	}
	c->handshaking = false;   /* after the TCP connect */
	c->connecting = true;
	c->registered = true;     /* our own: no registration deadline */
	cp_sip_conn_want_write(s, c, true);
	zn->conn = c->peer.conn;
	zn->conn_gen = c->peer.conn_gen;
	zn->remote = c->peer;
	zn->connects++;
	zn->auth_sent = false;
	zone_state(zn, CP_ZONE_CONNECTING);
}

static void client_send_register(struct cp_sip *s, struct cp_sip_zone *zn,
				 struct cp_sip_conn *c, const char *auth)
{
	char buf[2048], local[INET_ADDRSTRLEN] = "0.0.0.0";
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	const char *tr = zn->z->transport == SL_ZONE_TLS ? "TLS" : "TCP";
	int n;

	if (getsockname(c->fd, (struct sockaddr *)&sa, &len) == 0)
		inet_ntop(AF_INET, &sa.sin_addr, local, sizeof(local));
	zn->cseq++;
	n = snprintf(buf, sizeof(buf),
		     "REGISTER sip:%s SIP/2.0\r\n"
		     "Via: SIP/2.0/%s %s:%u;branch=z9hG4bK-zone-%u-%u;rport\r\n"
		     "Max-Forwards: 70\r\n"
		     "From: <sip:%s@%s>;tag=zone-%u\r\n"
		     "To: <sip:%s@%s>\r\n"
		     "Call-ID: zone-%s-%u@%s\r\n"
		     "CSeq: %u REGISTER\r\n"
		     "Contact: <sip:%s@%s:%u;transport=%s;ob>;"
		     "+sip.instance=\"<urn:sluice:zone:%s>\";reg-id=1\r\n"
		     "Supported: outbound, path\r\n"
		     "Expires: %u\r\n%s"
		     "User-Agent: Sluice/%s (traversal client)\r\n"
		     "Content-Length: 0\r\n\r\n",
		     zn->z->peer, tr, local, ntohs(sa.sin_port),
		     zn->conn_gen, zn->cseq, zn->z->username, zn->z->peer,
		     zn->conn_gen, zn->z->username, zn->z->peer, zn->z->name,
		     zn->conn_gen, local, zn->cseq, zn->z->username, local,
		     ntohs(sa.sin_port), transport_word(zn->z), zn->z->name,
		     SIP_REG_MAX_EXPIRES, auth ? auth : "", SLUICE_VERSION);
	if (n > 0 && (size_t)n < sizeof(buf))
		cp_sip_send(s, &c->peer, buf, (size_t)n);
	zone_state(zn, CP_ZONE_AUTHENTICATING);
}

void cp_sip_zone_connected(struct cp_sip *s, struct cp_sip_conn *c)
{
	struct cp_sip_zone *zn = &s->zones[c->zone];
	int err = 0;
	socklen_t len = sizeof(err);

	c->connecting = false;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
	if (err != 0) {
		zone_error(zn, "connect to %s:%u (%s): %s%s", zn->z->peer,
			   zn->z->port, transport_word(zn->z), strerror(err),
			   err == ECONNREFUSED ? ": nothing listens there; is "
			   "it the server's zone port?" : "");
		cp_sip_conn_close(s, c, "connect failed");
		return;
	}
	if (c->ssl != NULL) {
		c->handshaking = true;
		zone_state(zn, CP_ZONE_HANDSHAKE);
		cp_sip_conn_want_write(s, c, true);   /* drive SSL_connect */
		return;
	}
	cp_sip_conn_want_write(s, c, false);
	client_send_register(s, zn, c, NULL);
}

void cp_sip_zone_secured(struct cp_sip *s, struct cp_sip_conn *c)
{
	client_send_register(s, &s->zones[c->zone], c, NULL);
}

/* The digest answer to the server's challenge in s->msg. */
static bool client_authorization(struct cp_sip *s, struct cp_sip_zone *zn,
				 char *out, size_t cap)
{
	const struct sip_header *h = sip_msg_hdr(&s->msg, SIP_H_WWW_AUTHENTICATE);
	const struct sl_credential *cred = zone_cred(s, zn->z);
	struct sip_digest_creds d = { 0 };
	struct sip_str p, algo;
	char hex[SIP_DIGEST_HEX_MAX + 1], uri[300], cnonce[17];
	uint8_t rnd[8];

	if (h == NULL || cred == NULL || !sip_auth_scheme(h->value, "Digest", &p) ||
	    !sip_auth_param(p, "realm", &d.realm) ||
	    !sip_auth_param(p, "nonce", &d.nonce))
		return false;
	if (sip_auth_param(p, "algorithm", &algo) && sip_str_ieq(algo, "SHA-256"))
		d.alg = SIP_DIGEST_SHA256;
	snprintf(uri, sizeof(uri), "sip:%s", zn->z->peer);
	if (cp_random(rnd, sizeof(rnd)) != 0)
		return false;
	for (int i = 0; i < 8; i++)
		snprintf(cnonce + 2 * i, 3, "%02x", rnd[i]);
	d.username = sip_str_c(cred->username);
	d.uri = sip_str_c(uri);
	d.qop = sip_str_c("auth");
	d.nc = sip_str_c("00000001");
	d.cnonce = sip_str_c(cnonce);
	if (!sip_digest_expected(&d, sip_str_c("REGISTER"), cred->password, hex))
		return false;
	return snprintf(out, cap, "Authorization: Digest username=\"%s\", "
			"realm=\"%.*s\", nonce=\"%.*s\", uri=\"%s\", "
			"response=\"%s\", algorithm=%s, qop=auth, nc=00000001, "
			"cnonce=\"%s\"\r\n", cred->username, (int)d.realm.len,
			d.realm.p, (int)d.nonce.len, d.nonce.p, uri, hex,
			d.alg == SIP_DIGEST_SHA256 ? "SHA-256" : "MD5",
			cnonce) < (int)cap;
}

static void client_response(struct cp_sip *s, struct cp_sip_zone *zn,
			    struct cp_sip_conn *c)
{
	const struct sip_msg *m = &s->msg;
	char auth[1024];

	if (m->cseq_method != SIP_M_REGISTER || m->status < 200)
		return;
	if (m->status == 200) {
		zone_state(zn, CP_ZONE_UP);
		zn->ups++;
		zn->up_since_wall = (int64_t)time(NULL);
		zn->backoff_ms = ZONE_BACKOFF_MIN_MS;
		zn->next_keepalive_ms = cp_now_ms() +
					(int64_t)zn->z->keepalive_s * 1000;
		zn->last_error[0] = '\0';
		CP_NOTICE("zone %s: up: authenticated to %s:%u over %s as %s",
			  zn->z->name, zn->z->peer, zn->z->port,
			  transport_word(zn->z), zn->z->username);
		return;
	}
	if (m->status == 401 && !zn->auth_sent &&
	    client_authorization(s, zn, auth, sizeof(auth))) {
		zn->auth_sent = true;
		client_send_register(s, zn, c, auth);
		return;
	}
	zn->auth_failures++;
	zone_error(zn, "the server refused our credentials (%u %.*s): check "
		   "zones[].username (%s) and its password on both appliances",
		   m->status, (int)m->reason.len, m->reason.p, zn->z->username);
	cp_sip_conn_close(s, c, "authentication refused");
}

/* ---- server side ------------------------------------------------------------- */

static void server_register(struct cp_sip *s, struct cp_sip_zone *zn,
			    struct cp_sip_conn *c)
{
	struct sip_digest_creds d;
	enum sip_reg_outcome o;
	char extra[256], peer[32], ip[INET_ADDRSTRLEN];
	struct sip_wbuf w;

	inet_ntop(AF_INET, &c->peer.ip, ip, sizeof(ip));
	snprintf(peer, sizeof(peer), "%s:%u", ip, c->peer.port);
	o = sip_auth_check(&s->reg, &s->msg, &c->peer, (int64_t)time(NULL), &d);
	if (o == SIP_REG_REGISTERED && !sip_str_eq(d.username, zn->z->username))
		o = SIP_REG_USER_MISMATCH;
	if (o == SIP_REG_CHALLENGED || o == SIP_REG_STALE ||
	    o == SIP_REG_BAD_NONCE) {
		sip_w_init(&w, s->out, sizeof(s->out));
		sip_w_response_head(&w, &s->msg, 401, NULL, "sl-zone",
				    c->peer.ip, c->peer.port);
		sip_auth_put_challenge(&s->reg, &w, &c->peer,
				       (int64_t)time(NULL), o == SIP_REG_STALE);
		sip_w_finish(&w, NULL, NULL, 0);
		if (!w.overflow)
			cp_sip_send(s, &c->peer, w.p, w.len);
		return;
	}
	if (o != SIP_REG_REGISTERED) {
		zn->auth_failures++;
		zone_error(zn, "traversal client %s refused: %s (this zone's "
			   "user is %s)", peer, sip_reg_outcome_text(o),
			   zn->z->username);
		cp_sip_answer(s, &c->peer, 403, NULL);
		return;
	}
	/* a second client on the zone replaces the first */
	if (zone_conn(s, zn) != NULL && zone_conn(s, zn) != c)
		cp_sip_conn_close(s, zone_conn(s, zn), "replaced by a new "
				  "connection of the traversal client");
	c->registered = true;
	zn->conn = c->peer.conn;
	zn->conn_gen = c->peer.conn_gen;
	zn->remote = c->peer;
	zn->ups++;
	zn->up_since_wall = (int64_t)time(NULL);
	zn->last_error[0] = '\0';
	zone_state(zn, CP_ZONE_UP);
	snprintf(extra, sizeof(extra), "Flow-Timer: %u\r\nRequire: outbound\r\n",
		 zn->z->keepalive_s);
	cp_sip_answer(s, &c->peer, 200, extra);
	CP_NOTICE("zone %s: up: traversal client %s authenticated as %s over %s",
		  zn->z->name, peer, zn->z->username, transport_word(zn->z));
}

void cp_sip_zone_message(struct cp_sip *s, struct cp_sip_conn *c)
{
	struct cp_sip_zone *zn = &s->zones[c->zone];

	struct sip_peer src = c->peer;
	int zone = c->zone;

	if (!s->msg.is_request) {
		if (c->zone_client && s->msg.cseq_method == SIP_M_REGISTER)
			client_response(s, zn, c);
		else if (c->zone_client || c->registered)
			cp_calls_response(s, &src);
		return;
	}
	if (s->msg.method == SIP_M_REGISTER && !c->zone_client)
		server_register(s, zn, c);
	else if (!c->zone_client && !c->registered)
		cp_sip_answer(s, &src, 403, NULL);   /* authenticate first */
	else if (s->msg.method == SIP_M_OPTIONS && s->msg.to_tag.len == 0)
		cp_sip_answer(s, &src, 200, NULL);
	else if (s->msg.max_forwards == 0)
		cp_sip_answer(s, &src, 483, NULL);
	else if (s->msg.method == SIP_M_REGISTER)
		cp_sip_answer(s, &src, 501, NULL);
	else
		cp_calls_request(s, &src, zone);   /* calls over the zone */
}

void cp_sip_zone_crlf(struct cp_sip *s, struct cp_sip_conn *c, unsigned n)
{
	struct cp_sip_zone *zn = &s->zones[c->zone];

	if (c->zone_client) {   /* pongs */
		zn->pongs += n;
		zn->pong_deadline_ms = 0;
		return;
	}
	c->pending_crlf += n;
	while (c->pending_crlf >= 2) {
		c->pending_crlf -= 2;
		zn->keepalives_received++;
		s->c.crlf_pings++;
		cp_sip_send(s, &c->peer, "\r\n", 2);
		if (c->fd < 0)
			return;
	}
}

bool cp_sip_zone_check_first(struct cp_sip *s, struct cp_sip_conn *c)
{
	struct cp_sip_zone *zn = &s->zones[c->zone];
	char ip[INET_ADDRSTRLEN];

	if (c->zone_client || c->ssl != NULL || c->rx_len == 0 ||
	    (unsigned char)c->rx[0] != 0x16)
		return true;
	zn->mismatches++;
	inet_ntop(AF_INET, &c->peer.ip, ip, sizeof(ip));
	zone_error(zn, "transport mismatch: %s:%u speaks TLS to this zone's "
		   "TCP port %u; both sides must use the same transport", ip,
		   c->peer.port, zn->z->port);
	cp_sip_conn_close(s, c, "TLS on a TCP zone port");
	return false;
}

void cp_sip_zone_conn_closed(struct cp_sip *s, struct cp_sip_conn *c,
			     const char *why)
{
	struct cp_sip_zone *zn = &s->zones[c->zone];
	int64_t now = cp_now_ms();
	bool ours = zn->conn == c->peer.conn && zn->conn_gen == c->peer.conn_gen;
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &c->peer.ip, ip, sizeof(ip));
	if (!c->zone_client) {
		if (c->handshaking && c->cert_refused) {
			zn->cert_failures++;
			zone_error(zn, "TLS handshake with %s failed (%s): does "
				   "the client zone's ca_certificate hold the CA "
				   "of our sip.tls_certificate%s?", ip, why,
				   zn->ca_store ? ", and does it present a "
				   "sip.tls_certificate signed by a CA of our "
				   "ca_certificate" : "");
		} else if (c->handshaking) {
			zn->mismatches++;
			zone_error(zn, "TLS handshake with %s failed (%s): is "
				   "the client zone's transport tls?", ip, why);
		}
		if (!ours)
			return;
		zn->conn = 0;
		if (zn->state == CP_ZONE_UP)
			CP_NOTICE("zone %s: down: traversal client %s:%u gone (%s)",
				  zn->z->name, ip, c->peer.port, why);
		zone_state(zn, CP_ZONE_DOWN);
		cp_calls_zone_lost(s, c->zone);
		return;
	}
	if (!ours)
		return;
	if (zn->state == CP_ZONE_UP)
		CP_NOTICE("zone %s: down: %s; reconnecting", zn->z->name, why);
	else if (zn->state == CP_ZONE_HANDSHAKE && c->cert_refused) {
		zn->cert_failures++;
		zone_error(zn, "TLS handshake with %s:%u failed (%s): check "
			   "ca_certificate and server_name (%s) here, and the "
			   "server's sip.tls_certificate", ip, zn->z->port, why,
			   zn->z->server_name[0] ? zn->z->server_name :
			   zn->z->peer);
	} else if (zn->state == CP_ZONE_HANDSHAKE)
		zone_error(zn, "TLS handshake with %s:%u failed (%s): does the "
			   "server's zone use tls?", ip, zn->z->port, why);
	else if (zn->state == CP_ZONE_AUTHENTICATING &&
		 strcmp(why, "authentication refused") != 0)
		zone_error(zn, "%s:%u closed the connection before answering "
			   "REGISTER (%s): do both zones use %s on port %u?", ip,
			   zn->z->port, why, transport_word(zn->z), zn->z->port);
	zn->conn = 0;
	client_schedule_retry(zn, now);
	cp_calls_zone_lost(s, c->zone);
}

bool cp_sip_zone_peer(struct cp_sip *s, unsigned zone, struct sip_peer *out)
{
	struct cp_sip_zone *zn;
	struct cp_sip_conn *c;

	if (zone >= s->n_zones)
		return false;
	zn = &s->zones[zone];
	c = zone_conn(s, zn);
	if (zn->state != CP_ZONE_UP || c == NULL)
		return false;
	*out = c->peer;
	return true;
}

/* ---- tick --------------------------------------------------------------------- */

static void client_tick(struct cp_sip *s, struct cp_sip_zone *zn, int64_t now)
{
	struct cp_sip_conn *c = zone_conn(s, zn);

	if (zn->state == CP_ZONE_DOWN || zn->state == CP_ZONE_RESOLVING) {
		if (now >= zn->next_try_ms)
			client_connect(s, zn, now);
		return;
	}
	if (c == NULL) {
		client_schedule_retry(zn, now);
		return;
	}
	if (zn->state != CP_ZONE_UP) {
		if (now - zn->state_since_ms > ZONE_AUTH_MS) {
			zone_error(zn, "no answer from %s:%u within %d s (%s)",
				   zn->z->peer, zn->z->port, ZONE_AUTH_MS / 1000,
				   cp_zone_state_name(zn->state));
			cp_sip_conn_close(s, c, "timeout");
		}
		return;
	}
	if (zn->pong_deadline_ms != 0 && now > zn->pong_deadline_ms) {
		zone_error(zn, "keep-alive to %s:%u unanswered for %d s",
			   zn->z->peer, zn->z->port, ZONE_PONG_MS / 1000);
		cp_sip_conn_close(s, c, "keep-alive unanswered");
		return;
	}
	if (now >= zn->next_keepalive_ms) {
		zn->next_keepalive_ms = now + (int64_t)zn->z->keepalive_s * 1000;
		if (zn->pong_deadline_ms == 0)
			zn->pong_deadline_ms = now + ZONE_PONG_MS;
		zn->keepalives_sent++;
		cp_sip_send(s, &c->peer, "\r\n\r\n", 4);
	}
}

void cp_sip_zones_tick(struct cp_sip *s, int64_t now)
{
	for (unsigned i = 0; i < s->n_zones; i++)
		if (s->zones[i].z->role == SL_ZONE_CLIENT)
			client_tick(s, &s->zones[i], now);
}

/* ---- open / close ---------------------------------------------------------------- */

static int open_client_tls(struct cp_sip *s, char *err, size_t cap)
{
	const struct sl_config *cfg = s->cfg;

	s->tls_client = SSL_CTX_new(TLS_client_method());
	if (s->tls_client == NULL ||
	    SSL_CTX_set_min_proto_version(s->tls_client, TLS1_2_VERSION) != 1) {
		snprintf(err, cap, "SIP zones: TLS client context: %s",
			 ERR_reason_error_string(ERR_get_error()));
		return -1;
	}
	SSL_CTX_set_mode(s->tls_client, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	/* our certificate, for a server zone that asks for one (mutual TLS) */
	if (cfg->sip.tls_certificate[0] != '\0' &&
	    (SSL_CTX_use_certificate_chain_file(s->tls_client,
						cfg->sip.tls_certificate) != 1 ||
	     SSL_CTX_use_PrivateKey_file(s->tls_client, cfg->sip.tls_key,
					 SSL_FILETYPE_PEM) != 1)) {
		snprintf(err, cap, "SIP zones: TLS client certificate "
			 "sip.tls_certificate %s: %s", cfg->sip.tls_certificate,
			 ERR_reason_error_string(ERR_get_error()));
		return -1;
	}
	return 0;
}

/* zones[i].ca_certificate: the CAs the zone's peer is verified against. */
static int open_zone_ca(struct cp_sip_zone *zn, unsigned i, char *err,
			size_t cap)
{
	const char *file = zn->z->ca_certificate;

	if (file[0] == '\0')
		return 0;
	if (access(file, R_OK) != 0) {
		snprintf(err, cap, "zone %s: zones[%u].ca_certificate %s: %s",
			 zn->z->name, i, file, strerror(errno));
		return -1;
	}
	ERR_clear_error();
	zn->ca_store = X509_STORE_new();
	if (zn->ca_store == NULL ||
	    X509_STORE_load_file(zn->ca_store, file) != 1) {
		unsigned long e = ERR_get_error();

		snprintf(err, cap, "zone %s: zones[%u].ca_certificate %s: %s",
			 zn->z->name, i, file, e && ERR_reason_error_string(e) ?
			 ERR_reason_error_string(e) : "no PEM certificate in it");
		return -1;
	}
	return 0;
}

int cp_sip_zone_tls_setup(struct cp_sip *s, struct cp_sip_conn *c)
{
	struct cp_sip_zone *zn = &s->zones[c->zone];
	const char *name = zn->z->server_name[0] != '\0' ? zn->z->server_name
							 : zn->z->peer;
	struct in_addr a;

	if (zn->ca_store == NULL)
		return 0;   /* a server zone that asks no client certificate */
	if (SSL_set1_verify_cert_store(c->ssl, zn->ca_store) != 1)
		return -1;
	if (!c->zone_client) {
		SSL_set_verify(c->ssl, SSL_VERIFY_PEER |
			       SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
		return 0;
	}
	SSL_set_verify(c->ssl, SSL_VERIFY_PEER, NULL);
	if (inet_pton(AF_INET, name, &a) == 1)
		return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl),
						     name) == 1 ? 0 : -1;
	return SSL_set_tlsext_host_name(c->ssl, name) == 1 &&
	       SSL_set1_host(c->ssl, name) == 1 ? 0 : -1;
}

int cp_sip_zones_open(struct cp_sip *s, char *err, size_t cap)
{
	const struct sl_config *cfg = s->cfg;

	s->n_zones = 0;
	for (unsigned i = 0; i < cfg->n_zones; i++) {
		const struct sl_zone *z = &cfg->zones[i];
		struct cp_sip_zone *zn;
		unsigned idx;

		if (z->protocol != SL_ZONE_SIP)
			continue;
		idx = s->n_zones++;
		zn = &s->zones[idx];
		memset(zn, 0, sizeof(*zn));
		zn->z = z;
		zn->listen_fd = -1;
		zn->backoff_ms = ZONE_BACKOFF_MIN_MS;
		zone_state(zn, CP_ZONE_DOWN);
		if (zone_cred(s, z) == NULL) {
			snprintf(err, cap, "zone %s: username %s has no entry "
				 "in credentials", z->name, z->username);
			return -1;
		}
		if (z->transport == SL_ZONE_TLS && z->role == SL_ZONE_SERVER &&
		    s->tls == NULL) {
			snprintf(err, cap, "zone %s: transport tls needs "
				 "sip.tls_certificate and sip.tls_key", z->name);
			return -1;
		}
		if (z->transport == SL_ZONE_TLS && z->role == SL_ZONE_CLIENT &&
		    s->tls_client == NULL && open_client_tls(s, err, cap) != 0)
			return -1;
		if (open_zone_ca(zn, i, err, cap) != 0)
			return -1;
		if (z->role == SL_ZONE_CLIENT) {
			CP_INFO("zone %s: traversal client of %s:%u over %s, "
				"keep-alive every %u s%s%s", z->name, z->peer,
				z->port, transport_word(z), z->keepalive_s,
				zn->ca_store ? "; server certificate verified "
				"for " : "", zn->ca_store ? (z->server_name[0] ?
				z->server_name : z->peer) : "");
			continue;
		}
		zn->listen_fd = cp_sock_bound(SOCK_STREAM, z->port, 16);
		if (zn->listen_fd < 0 ||
		    cp_epoll_add(s->epoll_fd, zn->listen_fd,
				 cp_tag(CP_TAG_SIP_LISTEN,
					CP_SIP_L_COUNT + idx)) != 0) {
			snprintf(err, cap, "zone %s: TCP port %u "
				 "(zones[%u].port): %s", z->name, z->port, i,
				 strerror(errno));
			return -1;
		}
		CP_INFO("zone %s: traversal server on %s %u for user %s%s",
			z->name, transport_word(z), z->port, z->username,
			zn->ca_store ? "; client certificate required" : "");
	}
	return 0;
}

void cp_sip_zones_close(struct cp_sip *s)
{
	for (unsigned i = 0; i < s->n_zones; i++) {
		if (s->zones[i].listen_fd >= 0)
			close(s->zones[i].listen_fd);
		s->zones[i].listen_fd = -1;
		client_resolve_drop(&s->zones[i]);
		X509_STORE_free(s->zones[i].ca_store);
		s->zones[i].ca_store = NULL;
	}
}
