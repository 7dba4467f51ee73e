/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_ras.c — the RAS service's host in sluice-cp: its UDP sockets (the
 * RAS port and one per H.323 server zone), its timer, and the callbacks
 * it answers through (send, log, random, call ended). See cp_ras.h.
 */
#include "cp_ras.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "cp_log.h"
#include "cp_main.h"
#include "cp_sock.h"
#include "h225_ras.h"

void cp_ras_now(struct ras_clock *now)
{
	now->mono_ms = cp_now_ms();
	now->wall_s = (int64_t)time(NULL);
}

/* ---- the service's callbacks ---------------------------------------------- */

static int host_send(void *ctx, unsigned sock, struct ras_addr to,
		     const uint8_t *buf, size_t len)
{
	struct cp_ras *r = ctx;
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = to.ip,
		.sin_port = htons(to.port),
	};
	ssize_t n;

	if (sock >= RAS_SOCKS || r->udp_fd[sock] < 0)
		return -1;
	do {
		n = sendto(r->udp_fd[sock], buf, len, MSG_DONTWAIT,
			   (struct sockaddr *)&sa, sizeof(sa));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		CP_DEBUG("RAS: sendto: %s", strerror(errno));
	return n == (ssize_t)len ? 0 : -1;
}

static void host_log(void *ctx, enum sl_log_level level, const char *line)
{
	(void)ctx;
	cp_log(level, "%s", line);
}

static int host_random(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	return cp_random(buf, len);
}

static void host_call_ended(void *ctx, const struct ras_call *c)
{
	cp_ras_sig_drop_call(ctx, c->id);
}

/* ---- sockets --------------------------------------------------------------- */

static const char *sock_key(const struct cp_ras *r, unsigned sock, char *buf,
			    size_t cap)
{
	if (sock == RAS_SOCK_RAS)
		return "h323.ras_port";
	snprintf(buf, cap, "zones[%u].port (zone %s)", sock - 1,
		 r->cfg->zones[sock - 1].name);
	return buf;
}

static int open_udp(struct cp_ras *r, char *err, size_t cap)
{
	char key[128];

	for (unsigned s = 0; s < RAS_SOCKS; s++) {
		uint16_t port = ras_sock_port(r->svc, s);

		if (port == 0)
			continue;
		r->udp_fd[s] = cp_sock_bound(SOCK_DGRAM, port, 0);
		if (r->udp_fd[s] < 0 ||
		    cp_epoll_add(r->epoll_fd, r->udp_fd[s],
			      cp_tag(CP_TAG_RAS_UDP, s)) != 0) {
			snprintf(err, cap, "H.323 RAS: UDP port %u (%s): %s",
				 port, sock_key(r, s, key, sizeof(key)),
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int open_tcp_and_timer(struct cp_ras *r, char *err, size_t cap)
{
	struct itimerspec its = {
		.it_interval = { .tv_nsec = CP_RAS_TICK_MS * 1000000L },
		.it_value = { .tv_nsec = CP_RAS_TICK_MS * 1000000L },
	};
	uint16_t port = r->cfg->h323.q931_port;

	r->sig_fd = cp_sock_bound(SOCK_STREAM, port, CP_RAS_CONN_MAX);
	if (r->sig_fd < 0 ||
	    cp_epoll_add(r->epoll_fd, r->sig_fd,
		      cp_tag(CP_TAG_RAS_SIG_LISTEN, 0)) != 0) {
		snprintf(err, cap, "H.323 call signalling: TCP port %u "
			 "(h323.q931_port): %s", port, strerror(errno));
		return -1;
	}
	r->tick_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (r->tick_fd < 0 || timerfd_settime(r->tick_fd, 0, &its, NULL) != 0 ||
	    cp_epoll_add(r->epoll_fd, r->tick_fd, cp_tag(CP_TAG_RAS_TICK, 0)) != 0) {
		snprintf(err, cap, "H.323 timer: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* The external interface's address, or its static NAT address. */
static uint32_t advertised_ip(const struct sl_config *cfg)
{
	for (unsigned i = 0; i < cfg->n_ifaces; i++) {
		const struct sl_iface *f = &cfg->ifaces[i];

		if (f->role == SL_IFACE_EXTERNAL)
			return f->has_public_address ? f->public_address
						     : f->address;
	}
	return cfg->n_ifaces > 0 ? cfg->ifaces[0].address : 0;
}

void cp_ras_init(struct cp_ras *r)
{
	memset(r, 0, sizeof(*r));
	for (unsigned s = 0; s < RAS_SOCKS; s++)
		r->udp_fd[s] = -1;
	r->sig_fd = -1;
	r->tick_fd = -1;
	r->epoll_fd = -1;
	for (unsigned i = 0; i < CP_RAS_CONN_MAX; i++)
		r->conn[i].fd = -1;
}

int cp_ras_open(struct cp_ras *r, const struct sl_config *cfg, int epoll_fd,
		char *err, size_t err_cap)
{
	struct ras_params p;
	struct ras_host h = {
		.ctx = r, .send = host_send, .log = host_log,
		.random = host_random, .call_ended = host_call_ended,
	};
	char ip[INET_ADDRSTRLEN];

	cp_ras_init(r);
	r->cfg = cfg;
	r->epoll_fd = epoll_fd;
	ras_params_default(&p);
	p.advertised_ip = advertised_ip(cfg);
	r->svc = ras_service_new(cfg, &p, &h);
	if (r->svc == NULL) {
		snprintf(err, err_cap, "H.323 RAS service: %s",
			 strerror(errno));
		return -1;
	}
	if (open_udp(r, err, err_cap) != 0 ||
	    open_tcp_and_timer(r, err, err_cap) != 0)
		return -1;
	for (unsigned z = 0; z < cfg->n_zones; z++)
		if (cfg->zones[z].protocol == SL_ZONE_H323 &&
		    cfg->zones[z].role == SL_ZONE_CLIENT)
			CP_WARNING("zone %s: H.323 client zones (Sluice as "
				   "traversal client) are not served yet",
				   cfg->zones[z].name);
	inet_ntop(AF_INET, &p.advertised_ip, ip, sizeof(ip));
	CP_INFO("H.323: RAS on UDP %u, call signalling on TCP %u, advertised "
		"as %s; registrations up to %u", cfg->h323.ras_port,
		cfg->h323.q931_port, ip, cfg->capacity.registrations);
	return 0;
}

void cp_ras_close(struct cp_ras *r)
{
	cp_ras_sig_close_all(r);
	for (unsigned s = 0; s < RAS_SOCKS; s++)
		if (r->udp_fd[s] >= 0) {
			close(r->udp_fd[s]);
			r->udp_fd[s] = -1;
		}
	if (r->sig_fd >= 0)
		close(r->sig_fd);
	if (r->tick_fd >= 0)
		close(r->tick_fd);
	r->sig_fd = r->tick_fd = -1;
	ras_service_free(r->svc);
	r->svc = NULL;
}

/* ---- events ---------------------------------------------------------------- */

void cp_ras_udp_ready(struct cp_ras *r, unsigned sock)
{
	uint8_t buf[H225_RAS_MAX_SIZE];
	struct ras_clock now;

	if (sock >= RAS_SOCKS || r->udp_fd[sock] < 0)
		return;
	cp_ras_now(&now);
	/* a bounded batch: a flood on one port cannot starve the loop */
	for (unsigned i = 0; i < CP_RAS_BURST; i++) {
		struct sockaddr_in sa;
		socklen_t salen = sizeof(sa);
		ssize_t n = recvfrom(r->udp_fd[sock], buf, sizeof(buf),
				     MSG_TRUNC, (struct sockaddr *)&sa,
				     &salen);
		struct ras_addr from;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				CP_WARNING("RAS: recvfrom: %s",
					   strerror(errno));
			return;
		}
		if (salen < sizeof(sa) || sa.sin_family != AF_INET)
			continue;
		from.ip = sa.sin_addr.s_addr;
		from.port = ntohs(sa.sin_port);
		/* a datagram longer than any RAS message is handed over
		 * cut short: it decodes as malformed and is counted so */
		ras_service_datagram(r->svc, sock, from, buf,
				     (size_t)n > sizeof(buf) ? sizeof(buf)
							     : (size_t)n,
				     &now);
	}
}

void cp_ras_tick(struct cp_ras *r)
{
	struct ras_clock now;
	uint64_t expirations;

	if (read(r->tick_fd, &expirations, sizeof(expirations)) < 0 &&
	    errno != EAGAIN && errno != EINTR)
		CP_ERR("RAS timerfd read: %s", strerror(errno));
	cp_ras_now(&now);
	ras_service_tick(r->svc, &now);
	cp_ras_sig_tick(r, &now);
}
