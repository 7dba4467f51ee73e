/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_sip.c — SIP over UDP, TCP and TLS in sluice-cp: sockets, the
 * connection table, stream framing, CRLF keep-alives, and the dispatch of
 * each message to the registrar or an answer. See cp_sip.h.
 *
 *   datagram / framed stream message
 *        │
 *        ▼
 *   sip_msg_parse ── refused ─► answerable? ─ yes ─► 4xx/5xx with the reason
 *        │                        └─ no ─► dropped, counted by reason
 *        ├─ response ─► the B2BUA's transactions (cp_sip_call.c)
 *        ├─ Max-Forwards 0 ─► 483
 *        ├─ REGISTER ─► sip_registrar_register ─► 200/401/403/423/503
 *        ├─ OPTIONS ─► 200 (Allow, Supported: outbound)
 *        ├─ INVITE, ACK, BYE, CANCEL, UPDATE, INFO ─► the B2BUA
 *        └─ other ─► 501
 */
#include "cp_sip.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "cp_log.h"
#include "cp_main.h"
#include "cp_sip_int.h"
#include "cp_sock.h"

#define ALLOW "REGISTER, OPTIONS, INVITE, ACK, BYE, CANCEL"

static int64_t wall_s(void)
{
	return (int64_t)time(NULL);
}

static void addr_text(uint32_t ip, uint16_t port, char *buf, size_t cap)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &ip, a, sizeof(a));
	snprintf(buf, cap, "%s:%u", a, port);
}

/* Malformed-input lines are rate limited: a flood must not flood the log. */
static bool log_allowed(struct cp_sip *s)
{
	int64_t now = cp_now_ms();

	if (now - s->log_window_ms >= 1000) {
		s->log_window_ms = now;
		s->log_n = 0;
	}
	return s->log_n++ < CP_SIP_LOG_PER_S;
}

/* ---- connections -------------------------------------------------------------- */

void cp_sip_conn_close(struct cp_sip *s, struct cp_sip_conn *c,
		       const char *why)
{
	char peer[32];
	unsigned slot = (unsigned)(c - s->conn);

	if (c->zone >= 0)
		cp_sip_zone_conn_closed(s, c, why);
	addr_text(c->peer.ip, c->peer.port, peer, sizeof(peer));
	CP_DEBUG("SIP: %s connection with %s closed: %s",
		 sip_transport_name(c->peer.tr), peer, why);
	if (s->reg_ready && sip_registrar_flow_closed(&s->reg, slot + 1,
						      c->peer.conn_gen) > 0)
		CP_INFO("SIP: flow from %s closed (%s): its outbound "
			"registrations are removed", peer, why);
	if (c->ssl != NULL) {
		if (!c->handshaking)
			SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
		ERR_clear_error();
	}
	close(c->fd);   /* leaves the epoll set with it */
	free(c->rx);
	free(c->tx);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->zone = -1;
	s->n_conn--;
}

/* What the socket takes now: bytes written, 0 when it would block, -1 on
 * an error. */
static ssize_t conn_send_some(struct cp_sip_conn *c, const char *buf,
			      size_t len)
{
	for (;;) {
		ssize_t n;

		if (c->ssl != NULL) {
			int k;

			/* another connection's failure must not be read
			 * as this one's: the error queue is per thread */
			ERR_clear_error();
			k = SSL_write(c->ssl, buf, (int)len);
			if (k > 0)
				return k;
			k = SSL_get_error(c->ssl, k);
			ERR_clear_error();
			return k == SSL_ERROR_WANT_WRITE ||
			       k == SSL_ERROR_WANT_READ ? 0 : -1;
		}
		n = send(c->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	}
}

/* Sends what the socket takes and queues the rest behind anything queued
 * before (at most CP_SIP_TX_MAX: a zone carrying hundreds of calls a
 * second outruns the socket's buffer for a moment; a peer that stops
 * reading is not waited for beyond that). false: the caller closes. */
static bool conn_write(struct cp_sip *s, struct cp_sip_conn *c,
		       const char *buf, size_t len)
{
	size_t off = 0;

	while (c->tx_len == 0 && off < len) {
		ssize_t n = conn_send_some(c, buf + off, len - off);

		if (n < 0)
			return false;
		if (n == 0)
			break;
		off += (size_t)n;
	}
	if (off == len)
		return true;
	if (c->tx_len + (len - off) > CP_SIP_TX_MAX ||
	    (c->tx == NULL && (c->tx = malloc(CP_SIP_TX_MAX)) == NULL))
		return false;
	memcpy(c->tx + c->tx_len, buf + off, len - off);
	c->tx_len += len - off;
	s->c.tx_queued++;
	cp_sip_conn_want_write(s, c, true);
	return true;
}

/* EPOLLOUT: what was queued; false when the connection was closed. */
static bool conn_flush(struct cp_sip *s, struct cp_sip_conn *c)
{
	size_t off = 0;

	while (off < c->tx_len) {
		ssize_t n = conn_send_some(c, c->tx + off, c->tx_len - off);

		if (n < 0) {
			s->c.tx_errors++;
			cp_sip_conn_close(s, c, "send failed");
			return false;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	memmove(c->tx, c->tx + off, c->tx_len - off);
	c->tx_len -= off;
	if (c->tx_len == 0)
		cp_sip_conn_want_write(s, c, false);
	return true;
}

void cp_sip_send(struct cp_sip *s, const struct sip_peer *to, const char *buf,
		 size_t len)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET, .sin_addr.s_addr = to->ip,
		.sin_port = htons(to->port),
	};
	struct cp_sip_conn *c;
	ssize_t n;

	if (to->tr == SIP_TR_UDP) {
		do {
			n = sendto(s->udp_fd, buf, len, MSG_DONTWAIT,
				   (struct sockaddr *)&sa, sizeof(sa));
		} while (n < 0 && errno == EINTR);
		if (n == (ssize_t)len)
			s->c.tx_msgs++;
		else
			s->c.tx_errors++;
		return;
	}
	c = to->conn >= 1 && to->conn <= CP_SIP_CONN_MAX ?
	    &s->conn[to->conn - 1] : NULL;
	if (c == NULL || c->fd < 0 || c->peer.conn_gen != to->conn_gen) {
		s->c.tx_errors++;
		return;
	}
	if (conn_write(s, c, buf, len)) {
		s->c.tx_msgs++;
	} else {
		s->c.tx_errors++;
		cp_sip_conn_close(s, c, "send failed");
	}
}

/* ---- requests ------------------------------------------------------------------ */

void cp_sip_answer(struct cp_sip *s, const struct sip_peer *src,
		   unsigned code, const char *extra)
{
	struct sip_wbuf w;

	sip_w_init(&w, s->out, sizeof(s->out));
	sip_w_response_head(&w, &s->msg, code, NULL, "sl-0", src->ip,
			    src->port);
	if (extra != NULL)
		sip_w_printf(&w, "%s", extra);
	sip_w_printf(&w, "Server: Sluice/%s\r\n", SLUICE_VERSION);
	sip_w_finish(&w, NULL, NULL, 0);
	if (!w.overflow)
		cp_sip_send(s, src, w.p, w.len);
}

static void refuse_malformed(struct cp_sip *s, const struct sip_peer *src)
{
	const struct sip_msg *m = &s->msg;
	char peer[32], reason[128];
	struct sip_wbuf w;

	s->c.malformed[m->err]++;
	addr_text(src->ip, src->port, peer, sizeof(peer));
	if (!sip_msg_can_answer(m)) {
		s->c.dropped_malformed++;
		if (log_allowed(s))
			CP_NOTICE("SIP: malformed message from %s/%s dropped: %s",
				  peer, sip_transport_name(src->tr),
				  sip_err_text(m->err));
		return;
	}
	s->c.answered_malformed++;
	if (log_allowed(s))
		CP_NOTICE("SIP: %.*s from %s/%s refused with %u: %s",
			  (int)m->method_name.len, m->method_name.p, peer,
			  sip_transport_name(src->tr), sip_err_status(m->err),
			  sip_err_text(m->err));
	/* the reason phrase names the problem (RFC 3261 §21.4.1 allows it) */
	snprintf(reason, sizeof(reason), "%s (%s)",
		 sip_reason_phrase(sip_err_status(m->err)), sip_err_text(m->err));
	sip_w_init(&w, s->out, sizeof(s->out));
	sip_w_response_head(&w, m, sip_err_status(m->err), reason, "sl-0",
			    src->ip, src->port);
	sip_w_printf(&w, "Server: Sluice/%s\r\n", SLUICE_VERSION);
	sip_w_finish(&w, NULL, NULL, 0);
	if (!w.overflow)
		cp_sip_send(s, src, w.p, w.len);
}

static void handle_register(struct cp_sip *s, const struct sip_peer *src)
{
	struct sip_wbuf w;
	char why[512];
	enum sip_reg_outcome o;
	struct cp_sip_conn *c = src->conn ? &s->conn[src->conn - 1] : NULL;

	sip_w_init(&w, s->out, sizeof(s->out));
	o = sip_registrar_register(&s->reg, &s->msg, src, cp_now_ms(),
				   wall_s(), &w, why, sizeof(why));
	switch (o) {
	case SIP_REG_REGISTERED:
	case SIP_REG_REFRESHED:
	case SIP_REG_QUERIED:
		if (c != NULL)
			c->registered = true;
		/* fall through */
	case SIP_REG_REMOVED:
		CP_INFO("SIP: %s", why);
		break;
	case SIP_REG_CHALLENGED:
	case SIP_REG_STALE:
		CP_DEBUG("SIP: %s", why);
		break;
	default:
		CP_NOTICE("SIP: %s", why);
		break;
	}
	if (!w.overflow)
		cp_sip_send(s, src, w.p, w.len);
}

static void handle_request(struct cp_sip *s, const struct sip_peer *src)
{
	const struct sip_msg *m = &s->msg;

	s->c.requests++;
	if (m->method == SIP_M_ACK) {
		cp_calls_request(s, src, -1);   /* absorbed or a call's */
		return;
	}
	if (m->max_forwards == 0) {
		s->c.too_many_hops++;
		cp_sip_answer(s, src, 483, NULL);
		return;
	}
	switch (m->method) {
	case SIP_M_REGISTER:
		handle_register(s, src);
		break;
	case SIP_M_OPTIONS:
		if (m->to_tag.len > 0) {   /* inside a call's dialog */
			cp_calls_request(s, src, -1);
			break;
		}
		cp_sip_answer(s, src, 200, "Allow: " ALLOW "\r\n"
			      "Supported: outbound, path\r\n"
			      "Accept: application/sdp\r\n");
		break;
	case SIP_M_INVITE:
	case SIP_M_BYE:
	case SIP_M_CANCEL:
	case SIP_M_UPDATE:
	case SIP_M_INFO:
		cp_calls_request(s, src, -1);
		break;
	default:
		s->c.not_implemented++;
		cp_sip_answer(s, src, 501, "Allow: " ALLOW "\r\n");
		break;
	}
}

static void handle_message(struct cp_sip *s, const char *buf, size_t len,
			   enum sip_framing framing, const struct sip_peer *src,
			   struct cp_sip_conn *c)
{
	s->c.rx_msgs[src->tr]++;
	if (sip_msg_parse(&s->msg, buf, len, framing) != 0) {
		refuse_malformed(s, src);
		return;
	}
	if (c != NULL && c->zone >= 0) {
		cp_sip_zone_message(s, c);
		return;
	}
	if (!s->msg.is_request) {
		s->c.responses_rx++;
		cp_calls_response(s, src);
		return;
	}
	handle_request(s, src);
}

/* ---- UDP ---------------------------------------------------------------------- */

void cp_sip_udp_ready(struct cp_sip *s)
{
	static char buf[SIP_MSG_MAX];

	for (unsigned i = 0; i < CP_SIP_BURST; i++) {
		struct sockaddr_in sa;
		socklen_t salen = sizeof(sa);
		ssize_t n = recvfrom(s->udp_fd, buf, sizeof(buf), MSG_TRUNC,
				     (struct sockaddr *)&sa, &salen);
		struct sip_peer src = { .tr = SIP_TR_UDP };

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				CP_WARNING("SIP: recvfrom: %s", strerror(errno));
			return;
		}
		if (salen < sizeof(sa) || sa.sin_family != AF_INET)
			continue;
		src.ip = sa.sin_addr.s_addr;
		src.port = ntohs(sa.sin_port);
		if (n > 0 && (size_t)n <= 4 && strspn(buf, "\r\n") == (size_t)n) {
			/* a CRLF keep-alive on UDP: answered like on a stream */
			s->c.crlf_pings++;
			sip_registrar_keepalive(&s->reg, &src);
			cp_sip_send(s, &src, "\r\n", 2);
			continue;
		}
		/* a datagram beyond 64 KiB is cut short: it is refused as
		 * malformed (its body is short of its Content-Length) */
		handle_message(s, buf, (size_t)n > sizeof(buf) ? sizeof(buf)
							       : (size_t)n,
			       SIP_FRAME_DATAGRAM, &src, NULL);
	}
}

/* ---- TCP and TLS ----------------------------------------------------------------- */

struct cp_sip_conn *cp_sip_conn_new(struct cp_sip *s, int fd, uint32_t ip,
				    uint16_t port, bool tls, bool tls_client,
				    int zone)
{
	struct cp_sip_conn *c = NULL;
	int one = 1;

	for (unsigned i = 0; i < CP_SIP_CONN_MAX && c == NULL; i++)
		if (s->conn[i].fd < 0)
			c = &s->conn[i];
	if (c == NULL || (c->rx = malloc(CP_SIP_RX_MAX)) == NULL) {
		s->c.conn_refused++;
		close(fd);
		return NULL;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->fd = fd;
	c->zone = zone;
	c->zone_client = tls_client || (zone >= 0 && s->zones[zone].z->role ==
					SL_ZONE_CLIENT);
	c->peer = (struct sip_peer){
		.ip = ip, .port = port, .tr = tls ? SIP_TR_TLS : SIP_TR_TCP,
		.conn = (uint32_t)(c - s->conn) + 1, .conn_gen = ++s->conn_gen,
	};
	c->accepted_ms = c->last_rx_ms = cp_now_ms();
	s->n_conn++;
	if (tls) {
		c->ssl = SSL_new(tls_client ? s->tls_client : s->tls);
		if (c->ssl == NULL || SSL_set_fd(c->ssl, fd) != 1 ||
		    (zone >= 0 && cp_sip_zone_tls_setup(s, c) != 0)) {
			s->c.tls_failures++;
			cp_sip_conn_close(s, c, "TLS setup failed");
			return NULL;
		}
		if (tls_client)
			SSL_set_connect_state(c->ssl);
		else
			SSL_set_accept_state(c->ssl);
		c->handshaking = true;
	}
	if (cp_epoll_add(s->epoll_fd, fd,
			 cp_tag(CP_TAG_SIP_CONN, c->peer.conn - 1)) != 0) {
		cp_sip_conn_close(s, c, "epoll");
		return NULL;
	}
	return c;
}

void cp_sip_accept(struct cp_sip *s, unsigned listener)
{
	int zone = listener >= CP_SIP_L_COUNT ? (int)(listener - CP_SIP_L_COUNT)
					      : -1;
	int lfd;
	bool tls;

	if (zone >= (int)s->n_zones || (zone < 0 && listener >= CP_SIP_L_COUNT))
		return;
	lfd = zone >= 0 ? s->zones[zone].listen_fd : s->listen_fd[listener];
	tls = zone >= 0 ? s->zones[zone].z->transport == SL_ZONE_TLS
			: listener == CP_SIP_L_TLS;
	for (unsigned burst = 0; burst < CP_SIP_BURST; burst++) {
		struct sockaddr_in sa;
		socklen_t salen = sizeof(sa);
		int fd = accept4(lfd, (struct sockaddr *)&sa, &salen,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		if (cp_sip_conn_new(s, fd, sa.sin_addr.s_addr,
				    ntohs(sa.sin_port), tls, false, zone) != NULL)
			s->c.conn_accepted++;
	}
}

void cp_sip_conn_want_write(struct cp_sip *s, struct cp_sip_conn *c, bool on)
{
	struct epoll_event ev = {
		.events = EPOLLIN | (on ? EPOLLOUT : 0),
		.data.u64 = cp_tag(CP_TAG_SIP_CONN, c->peer.conn - 1),
	};

	if (c->want_write != on &&
	    epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->want_write = on;
}

/* A handshake error over a certificate: the peer's alert refusing ours,
 * or ours missing where the peer requires one. */
static bool cert_reason(unsigned long e)
{
	switch (ERR_GET_REASON(e)) {
	case SSL_R_CERTIFICATE_VERIFY_FAILED:
	case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
	case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
	case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
	case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
	case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
	case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED:
	case SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE:
	case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
		return ERR_GET_LIB(e) == ERR_LIB_SSL;
	default:
		return false;
	}
}

/* Returns false when the connection was closed. */
static bool tls_handshake(struct cp_sip *s, struct cp_sip_conn *c)
{
	int rc;
	char why[200];
	unsigned long e;
	long vr;

	ERR_clear_error();
	rc = SSL_do_handshake(c->ssl);
	if (rc == 1) {
		c->handshaking = false;
		cp_sip_conn_want_write(s, c, false);
		if (c->zone_client)
			cp_sip_zone_secured(s, c);
		return c->fd >= 0;
	}
	switch (SSL_get_error(c->ssl, rc)) {
	case SSL_ERROR_WANT_READ:
		cp_sip_conn_want_write(s, c, false);
		return true;
	case SSL_ERROR_WANT_WRITE:
		cp_sip_conn_want_write(s, c, true);
		return true;
	default:
		s->c.tls_failures++;
		e = ERR_get_error();
		vr = SSL_get_verify_result(c->ssl);
		c->cert_refused = vr != X509_V_OK || cert_reason(e);
		if (vr != X509_V_OK)   /* the peer's certificate, refused here */
			snprintf(why, sizeof(why), "TLS handshake failed: "
				 "certificate verify failed: %s",
				 X509_verify_cert_error_string(vr));
		else
			snprintf(why, sizeof(why), "TLS handshake failed: %s",
				 e && ERR_reason_error_string(e) ?
				 ERR_reason_error_string(e) :
				 "connection closed");
		ERR_clear_error();
		cp_sip_conn_close(s, c, why);
		return false;
	}
}

/* Reads what is there; 1 data, 0 nothing more now, -1 closed/failed. */
static int conn_read(struct cp_sip_conn *c)
{
	size_t room = CP_SIP_RX_MAX - c->rx_len;
	ssize_t n;

	if (room == 0)
		return -1;
	if (c->ssl != NULL) {
		int k;

		ERR_clear_error();
		k = SSL_read(c->ssl, c->rx + c->rx_len, (int)room);

		if (k > 0) {
			c->rx_len += (size_t)k;
			return 1;
		}
		k = SSL_get_error(c->ssl, k);
		ERR_clear_error();
		return k == SSL_ERROR_WANT_READ || k == SSL_ERROR_WANT_WRITE
		       ? 0 : -1;
	}
	n = recv(c->fd, c->rx + c->rx_len, room, MSG_DONTWAIT);
	if (n > 0) {
		c->rx_len += (size_t)n;
		return 1;
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	return -1;
}

/* RFC 5626 §4.4.1: a double CRLF is a ping, answered with one CRLF. */
static void conn_crlfs(struct cp_sip *s, struct cp_sip_conn *c, unsigned n)
{
	if (c->zone >= 0) {
		cp_sip_zone_crlf(s, c, n);
		return;
	}
	c->pending_crlf += n;
	while (c->pending_crlf >= 2) {
		c->pending_crlf -= 2;
		s->c.crlf_pings++;
		sip_registrar_keepalive(&s->reg, &c->peer);
		cp_sip_send(s, &c->peer, "\r\n", 2);
	}
}

/* Every complete message in the buffer; false when the connection closed. */
static bool conn_frames(struct cp_sip *s, struct cp_sip_conn *c)
{
	if (c->zone >= 0 && c->messages == 0 && !cp_sip_zone_check_first(s, c))
		return false;
	for (;;) {
		size_t skip;
		unsigned crlfs, gen = c->peer.conn_gen;
		enum sip_err err;
		long n = sip_stream_frame(c->rx, c->rx_len, &skip, &crlfs, &err);
		struct sip_peer src = c->peer;

		if (crlfs > 0)
			conn_crlfs(s, c, crlfs);
		if (c->fd < 0 || c->peer.conn_gen != gen)
			return false;   /* the pong failed and closed it */
		if (n < 0) {
			s->c.stream_errors++;
			s->c.malformed[err]++;
			cp_sip_conn_close(s, c, sip_err_text(err));
			return false;
		}
		memmove(c->rx, c->rx + skip, c->rx_len - skip);
		c->rx_len -= skip;
		if (n == 0)
			return true;
		c->pending_crlf = 0;
		c->messages++;
		handle_message(s, c->rx, (size_t)n, SIP_FRAME_STREAM, &src, c);
		if (c->fd < 0 || c->peer.conn_gen != gen)
			return false;
		memmove(c->rx, c->rx + n, c->rx_len - (size_t)n);
		c->rx_len -= (size_t)n;
	}
}

void cp_sip_conn_ready(struct cp_sip *s, unsigned slot, uint32_t events)
{
	struct cp_sip_conn *c;
	int rc;

	if (slot >= CP_SIP_CONN_MAX || s->conn[slot].fd < 0)
		return;
	c = &s->conn[slot];
	if (c->connecting) {
		if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			cp_sip_zone_connected(s, c);
		return;
	}
	if (c->handshaking && !tls_handshake(s, c))
		return;
	if (c->handshaking || c->fd < 0)
		return;
	if ((events & EPOLLOUT) && c->tx_len > 0 && !conn_flush(s, c))
		return;
	/* bounded: at most a few buffers' worth per wake-up */
	for (unsigned round = 0; round < 8; round++) {
		rc = conn_read(c);
		if (rc < 0) {
			cp_sip_conn_close(s, c, c->rx_len == CP_SIP_RX_MAX ?
				   "message too large" : "closed by peer");
			return;
		}
		if (rc == 0)
			return;
		c->last_rx_ms = cp_now_ms();
		if (!conn_frames(s, c))
			return;
	}
}

/* ---- timer ------------------------------------------------------------------------ */

void cp_sip_tick(struct cp_sip *s)
{
	uint64_t exp;
	int64_t now = cp_now_ms();
	unsigned n;

	if (read(s->tick_fd, &exp, sizeof(exp)) < 0 && errno != EAGAIN &&
	    errno != EINTR)
		CP_ERR("SIP timerfd read: %s", strerror(errno));
	n = sip_registrar_expire(&s->reg, now);
	if (n > 0)
		CP_INFO("SIP: %u registration(s) expired", n);
	cp_sip_zones_tick(s, now);
	cp_calls_tick(s, now);
	for (unsigned i = 0; i < CP_SIP_CONN_MAX; i++) {
		struct cp_sip_conn *c = &s->conn[i];

		if (c->fd < 0 || c->zone_client)
			continue;   /* a client zone's own keep-alive judges it */
		if (c->zone < 0 && (now - c->last_rx_ms > CP_SIP_IDLE_MS ||
				    (!c->registered &&
				     now - c->accepted_ms > CP_SIP_FIRST_MS)) &&
		    cp_calls_use_conn(s, c->peer.conn, c->peer.conn_gen)) {
			/* an endpoint that calls without registering, or is
			 * quiet through a long call: its call's requests
			 * (BYE, re-INVITE) go down this connection. The call
			 * table bounds how many a stranger can keep. */
			c->registered = true;
			c->last_rx_ms = now;
			continue;
		}
		if (!c->registered && now - c->accepted_ms > CP_SIP_FIRST_MS) {
			s->c.conn_timeouts++;
			cp_sip_conn_close(s, c, "no registration in time");
		} else if (now - c->last_rx_ms > (c->zone < 0 ? CP_SIP_IDLE_MS :
			   3000 * (int64_t)s->zones[c->zone].z->keepalive_s)) {
			/* a zone's client pings every keepalive s */
			s->c.conn_timeouts++;
			cp_sip_conn_close(s, c, "idle");
		}
	}
}

/* ---- open / close -------------------------------------------------------------- */

static int open_tls(struct cp_sip *s, char *err, size_t cap)
{
	const struct sl_config *cfg = s->cfg;
	unsigned long e;

	s->tls = SSL_CTX_new(TLS_server_method());
	if (s->tls == NULL ||
	    SSL_CTX_set_min_proto_version(s->tls, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_use_certificate_chain_file(s->tls,
					       cfg->sip.tls_certificate) != 1 ||
	    SSL_CTX_use_PrivateKey_file(s->tls, cfg->sip.tls_key,
					SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(s->tls) != 1) {
		e = ERR_get_error();
		snprintf(err, cap, "SIP TLS: sip.tls_certificate %s / "
			 "sip.tls_key %s: %s", cfg->sip.tls_certificate,
			 cfg->sip.tls_key, e ? ERR_reason_error_string(e) : "?");
		ERR_clear_error();
		return -1;
	}
	SSL_CTX_set_mode(s->tls, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	return 0;
}

/* SIP over UDP comes in bursts (a sipp, a busy SBC, hundreds of calls a
 * second): a socket buffer of the default 208 KiB overflowed at 1000
 * calls/s while the loop was busy for a moment, and every datagram lost
 * costs a call half a second of retransmission. SO_RCVBUFFORCE passes
 * net.core.rmem_max where the process may (CAP_NET_ADMIN). */
static void udp_buffers(int fd)
{
	int size = CP_SIP_UDP_BUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) != 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) != 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

static int open_socket(struct cp_sip *s, int *fd, int type, uint16_t port,
		       uint64_t tag, const char *key, char *err, size_t cap)
{
	*fd = cp_sock_bound(type, port, CP_SIP_CONN_MAX);
	if (*fd >= 0 && type == SOCK_DGRAM)
		udp_buffers(*fd);
	if (*fd < 0 || cp_epoll_add(s->epoll_fd, *fd, tag) != 0) {
		snprintf(err, cap, "SIP: %s port %u (%s): %s",
			 type == SOCK_DGRAM ? "UDP" : "TCP", port, key,
			 strerror(errno));
		return -1;
	}
	return 0;
}

void cp_sip_init(struct cp_sip *s)
{
	memset(s, 0, sizeof(*s));
	s->udp_fd = s->tick_fd = s->epoll_fd = -1;
	for (unsigned l = 0; l < CP_SIP_L_COUNT; l++)
		s->listen_fd[l] = -1;
	for (unsigned i = 0; i < CP_SIP_CONN_MAX; i++) {
		s->conn[i].fd = -1;
		s->conn[i].zone = -1;
	}
	for (unsigned z = 0; z < SL_CFG_MAX_ZONES; z++)
		s->zones[z].listen_fd = -1;
}

int cp_sip_open(struct cp_sip *s, const struct sl_config *cfg,
		struct cp_dp *dp, int epoll_fd, char *err, size_t cap)
{
	struct itimerspec its = {
		.it_interval = { .tv_nsec = CP_SIP_TICK_MS * 1000000L },
		.it_value = { .tv_nsec = CP_SIP_TICK_MS * 1000000L },
	};
	uint8_t secret[SIP_DIGEST_SECRET];
	bool tls = cfg->sip.tls_certificate[0] != '\0';

	cp_sip_init(s);
	s->cfg = cfg;
	s->dp = dp;
	s->epoll_fd = epoll_fd;
	if (cp_random(secret, sizeof(secret)) != 0 ||
	    sip_registrar_init(&s->reg, cfg, cfg->capacity.registrations,
			       secret) != 0) {
		snprintf(err, cap, "SIP registrar: %s", strerror(errno));
		return -1;
	}
	s->reg_ready = true;
	if (cp_calls_init(s, err, cap) != 0)
		return -1;
	if ((tls && open_tls(s, err, cap) != 0) ||
	    open_socket(s, &s->udp_fd, SOCK_DGRAM, cfg->sip.udp_port,
			cp_tag(CP_TAG_SIP_UDP, 0), "sip.udp_port", err, cap) ||
	    open_socket(s, &s->listen_fd[CP_SIP_L_TCP], SOCK_STREAM,
			cfg->sip.tcp_port, cp_tag(CP_TAG_SIP_LISTEN, CP_SIP_L_TCP),
			"sip.tcp_port", err, cap) ||
	    (tls && open_socket(s, &s->listen_fd[CP_SIP_L_TLS], SOCK_STREAM,
				cfg->sip.tls_port,
				cp_tag(CP_TAG_SIP_LISTEN, CP_SIP_L_TLS),
				"sip.tls_port", err, cap)))
		return -1;
	if (cp_sip_zones_open(s, err, cap) != 0)
		return -1;
	s->tick_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->tick_fd < 0 || timerfd_settime(s->tick_fd, 0, &its, NULL) != 0 ||
	    cp_epoll_add(epoll_fd, s->tick_fd, cp_tag(CP_TAG_SIP_TICK, 0)) != 0) {
		snprintf(err, cap, "SIP timer: %s", strerror(errno));
		return -1;
	}
	CP_INFO("SIP: UDP %u, TCP %u, %s; realm %s; registrations up to %u",
		cfg->sip.udp_port, cfg->sip.tcp_port,
		tls ? "TLS on" : "no TLS (sip.tls_certificate not set)",
		s->reg.realm, cfg->capacity.registrations);
	if (tls)
		CP_INFO("SIP: TLS %u with %s", cfg->sip.tls_port,
			cfg->sip.tls_certificate);
	return 0;
}

void cp_sip_close(struct cp_sip *s)
{
	cp_sip_zones_close(s);
	for (unsigned i = 0; i < CP_SIP_CONN_MAX; i++)
		if (s->conn[i].fd >= 0)
			cp_sip_conn_close(s, &s->conn[i], "stopping");
	cp_calls_fini(s);
	if (s->dp != NULL)
		s->dp->idle_cb = NULL;
	if (s->udp_fd >= 0)
		close(s->udp_fd);
	for (unsigned l = 0; l < CP_SIP_L_COUNT; l++)
		if (s->listen_fd[l] >= 0)
			close(s->listen_fd[l]);
	if (s->tick_fd >= 0)
		close(s->tick_fd);
	SSL_CTX_free(s->tls);
	SSL_CTX_free(s->tls_client);
	if (s->reg_ready)
		sip_registrar_fini(&s->reg);
	cp_sip_init(s);
}

void cp_sip_reconfigure(struct cp_sip *s, const struct sl_config *cfg)
{
	s->cfg = cfg;
	if (s->reg_ready)
		sip_registrar_set_config(&s->reg, cfg);
}
