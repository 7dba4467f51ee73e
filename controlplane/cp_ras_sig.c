/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_ras_sig.c — TCP h323.q931_port (1720) for H.460.18: the connection
 * an endpoint opens after our SCI, and what is done with it in part one.
 *
 *   accept ──► slot (CP_RAS_CONN_MAX; beyond that: closed at once)
 *     │  within CP_RAS_FIRST_MS: one TPKT (≤ CP_RAS_RX_MAX octets) holding
 *     │  a Q.931 Facility whose H.225.0 UUIE is a Facility-UUIE
 *     ▼
 *   ras_call_facility(callIdentifier) ── matched ──► held: the call owns
 *     │ unknown callID / wrong state / anything else    the connection;
 *     ▼                                                an empty Facility
 *   closed, counted, logged (rate-limited by the slots)   every 19 s keeps
 *                                                      the NAT binding;
 *                                                      what the endpoint
 *                                                      sends is read and
 *                                                      counted (part two
 *                                                      answers it)
 *
 * Reads are bounded (one TPKT buffer per connection), every connection
 * has a deadline until it is held, and held connections are bounded by
 * the service's calls (RAS_CALLS_MAX).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cp_log.h"
#include "cp_main.h"
#include "cp_ras.h"
#include "h225_cs.h"

static void conn_close(struct cp_ras_conn *c)
{
	if (c->fd < 0)
		return;
	close(c->fd);	/* also leaves the epoll set */
	c->fd = -1;
	c->held = false;
	c->rx_len = 0;
}

void cp_ras_sig_close_all(struct cp_ras *r)
{
	for (unsigned i = 0; i < CP_RAS_CONN_MAX; i++)
		conn_close(&r->conn[i]);
}

void cp_ras_sig_drop_call(struct cp_ras *r, uint32_t id)
{
	for (unsigned i = 0; i < CP_RAS_CONN_MAX; i++)
		if (r->conn[i].fd >= 0 && r->conn[i].held &&
		    r->conn[i].call_id == id)
			conn_close(&r->conn[i]);
}

/* ---- accept ---------------------------------------------------------------- */

static int free_slot(const struct cp_ras *r)
{
	for (int i = 0; i < CP_RAS_CONN_MAX; i++)
		if (r->conn[i].fd < 0)
			return i;
	return -1;
}

static void start_conn(struct cp_ras *r, int fd, const struct sockaddr_in *sa)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP };
	int slot = free_slot(r);
	struct cp_ras_conn *c;

	if (slot < 0) {
		r->sig.refused++;
		CP_DEBUG("H.323 signalling: %d connections already, closing "
			 "a new one", CP_RAS_CONN_MAX);
		close(fd);
		return;
	}
	ev.data.u64 = cp_tag(CP_TAG_RAS_SIG_CONN, (uint32_t)slot);
	if (epoll_ctl(r->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
		CP_WARNING("H.323 signalling: epoll_ctl: %s", strerror(errno));
		close(fd);
		return;
	}
	c = &r->conn[slot];
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->peer.ip = sa->sin_addr.s_addr;
	c->peer.port = ntohs(sa->sin_port);
	c->deadline_ms = cp_now_ms() + CP_RAS_FIRST_MS;
	r->sig.accepted++;
}

void cp_ras_sig_accept(struct cp_ras *r)
{
	for (unsigned i = 0; i < CP_RAS_CONN_MAX; i++) {
		struct sockaddr_in sa;
		socklen_t len = sizeof(sa);
		int fd = accept4(r->sig_fd, (struct sockaddr *)&sa, &len,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0) {
			if (sa.sin_family == AF_INET)
				start_conn(r, fd, &sa);
			else
				close(fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			CP_WARNING("H.323 signalling: accept: %s",
				   strerror(errno));
		return;
	}
}

/* ---- messages -------------------------------------------------------------- */

/* Anyone can connect: at most CP_RAS_LOG_BURST lines per window. */
#define CP_RAS_LOG_BURST 10
#define CP_RAS_LOG_WINDOW_MS 10000

static void refuse(struct cp_ras *r, struct cp_ras_conn *c, uint64_t *counter,
		   const char *why)
{
	int64_t now = cp_now_ms();
	char peer[24];

	(*counter)++;
	if (now - r->sig_log_window_ms >= CP_RAS_LOG_WINDOW_MS) {
		r->sig_log_window_ms = now;
		r->sig_log_n = 0;
	}
	if (r->sig_log_n++ < CP_RAS_LOG_BURST) {
		ras_addr_format(c->peer, peer, sizeof(peer));
		CP_NOTICE("H.323 signalling from %s closed: %s", peer, why);
	}
	conn_close(c);
}

/* The first message: the H.460.18 Facility, or the connection goes. */
static void first_message(struct cp_ras *r, struct cp_ras_conn *c,
			  unsigned slot, const uint8_t *p, size_t n)
{
	const struct h225_facility_uuie *f;
	struct h225_user_information ui;
	const struct ras_call *call;
	struct per_arena a;
	struct q931_msg q;
	struct ras_clock now;
	char why[256];
	bool has_ui;

	per_arena_init(&a, r->arena, sizeof(r->arena));
	if (h225_cs_read(p, n, &q, &ui, &has_ui, &a, why, sizeof(why)) < 0) {
		refuse(r, c, &r->sig.protocol_errors, why);
		return;
	}
	if (q.type != Q931_FACILITY || !has_ui ||
	    ui.h323_uu_pdu.h323_message_body.tag != H225_UU_FACILITY) {
		snprintf(why, sizeof(why), "its first message is a Q.931 %s "
			 "(0x%02x), not the H.460.18 Facility (direct calls "
			 "to 1720 come with part two)", q931_type_name(q.type),
			 q.type);
		refuse(r, c, &r->sig.protocol_errors, why);
		return;
	}
	f = &ui.h323_uu_pdu.h323_message_body.u.facility;
	cp_ras_now(&now);
	switch (ras_call_facility(r->svc, f->call_identifier.guid, slot,
				  c->peer, &now, &call)) {
	case RAS_FACILITY_MATCHED:
		c->held = true;
		c->call_id = call->id;
		c->next_keepalive_ms = now.mono_ms + 1000 * CP_RAS_KEEPALIVE_S;
		r->sig.matched++;
		return;
	case RAS_FACILITY_WRONG_STATE:
		snprintf(why, sizeof(why), "Facility for call %u, which is %s",
			 call->id, ras_call_state_name(call->state));
		refuse(r, c, &r->sig.unmatched, why);
		return;
	case RAS_FACILITY_UNKNOWN_CALL:
		refuse(r, c, &r->sig.unmatched, "Facility with a callID no "
		       "SCI of ours carried");
		return;
	}
}

/* Complete TPKTs at the front of rx: handled and consumed. Returns -1
 * once the connection is closed. */
static int drain(struct cp_ras *r, struct cp_ras_conn *c, unsigned slot)
{
	while (c->fd >= 0 && c->rx_len >= TPKT_HEADER) {
		long len = tpkt_length(c->rx);

		if (len < 0 || len > CP_RAS_RX_MAX) {
			refuse(r, c, &r->sig.protocol_errors, len < 0 ?
			       "not TPKT" : "a TPKT longer than 4100 octets");
			return -1;
		}
		if (c->rx_len < (size_t)len)
			return 0;
		c->messages++;
		if (len > TPKT_HEADER && !c->held)
			first_message(r, c, slot, c->rx + TPKT_HEADER,
				      (size_t)len - TPKT_HEADER);
		if (c->fd < 0)
			return -1;
		/* held: the endpoint's keep-alives and anything it says
		 * before part two answers it are read and counted */
		memmove(c->rx, c->rx + len, c->rx_len - (size_t)len);
		c->rx_len -= (size_t)len;
	}
	return c->fd >= 0 ? 0 : -1;
}

static void peer_gone(struct cp_ras *r, struct cp_ras_conn *c, const char *why)
{
	struct ras_clock now;

	if (c->held) {
		cp_ras_now(&now);
		ras_call_conn_closed(r->svc, c->call_id, why, &now);
	}
	conn_close(c);
}

void cp_ras_sig_ready(struct cp_ras *r, unsigned slot, uint32_t events)
{
	struct cp_ras_conn *c;

	if (slot >= CP_RAS_CONN_MAX || r->conn[slot].fd < 0)
		return;	/* closed earlier in this epoll batch */
	c = &r->conn[slot];
	for (;;) {
		ssize_t n = recv(c->fd, c->rx + c->rx_len,
				 sizeof(c->rx) - c->rx_len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			peer_gone(r, c, n == 0 ? "the endpoint closed it"
					       : strerror(errno));
			return;
		}
		c->rx_len += (size_t)n;
		if (drain(r, c, slot) < 0)
			return;
		if (c->rx_len == sizeof(c->rx)) {
			refuse(r, c, &r->sig.protocol_errors,
			       "an incomplete TPKT filled the buffer");
			return;
		}
	}
	if (events & (EPOLLHUP | EPOLLERR))
		peer_gone(r, c, "the connection failed");
}

/* ---- time ------------------------------------------------------------------ */

static void send_keepalive(struct cp_ras *r, struct cp_ras_conn *c,
			   int64_t now_ms)
{
	uint8_t msg[64];
	size_t n = h225_cs_facility_tpkt(NULL, msg, sizeof(msg));

	c->next_keepalive_ms = now_ms + 1000 * CP_RAS_KEEPALIVE_S;
	/* a full socket buffer skips one keep-alive; the next comes anyway */
	if (n > 0 && send(c->fd, msg, n, MSG_NOSIGNAL | MSG_DONTWAIT) ==
			     (ssize_t)n) {
		c->keepalives++;
		r->sig.keepalives_sent++;
	}
}

void cp_ras_sig_tick(struct cp_ras *r, const struct ras_clock *now)
{
	for (unsigned i = 0; i < CP_RAS_CONN_MAX; i++) {
		struct cp_ras_conn *c = &r->conn[i];

		if (c->fd < 0)
			continue;
		if (!c->held && now->mono_ms >= c->deadline_ms)
			refuse(r, c, &r->sig.timeouts, "no Facility within "
			       "10 s of connecting");
		else if (c->held && now->mono_ms >= c->next_keepalive_ms)
			send_keepalive(r, c, now->mono_ms);
	}
}
