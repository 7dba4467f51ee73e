/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_status.c — the status socket server (see cp_status.h).
 *
 * A client slot goes through two phases, both under one deadline:
 *
 *   reading  EPOLLIN   until '\n' (or EOF), at most CP_STATUS_REQ_MAX bytes
 *   writing  EPOLLOUT  until the reply is sent, then close
 *
 *   deferred (none)    a "flows" request waiting for the dataplane: the
 *                      slot is not read (only a hang-up is noticed) until
 *                      cp_status_reply_end() starts the writing phase
 *
 * Replies are a few hundred bytes, so the first send() almost always
 * completes; EPOLLOUT is only armed when it did not.
 */
#include "cp_status.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cp_dp.h"
#include "cp_flows.h"
#include "cp_log.h"
#include "cp_main.h"
#include "json_out.h"

#define CP_STATUS_BACKLOG 16

int64_t cp_now_ms(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail with a valid clock id and pointer. */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int bind_socket(int fd, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int rc;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	if (unlink(path) != 0 && errno != ENOENT)
		return -1;
	/* Create it 0660 from the start: no window with wider permissions. */
	old = umask(0117);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	return rc;
}

static int epoll_add(int epfd, int fd, uint32_t events, uint64_t tag)
{
	struct epoll_event ev = { .events = events, .data.u64 = tag };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int cp_status_open(struct cp_status_srv *srv, int epoll_fd, const char *path)
{
	unsigned i;
	int err;

	memset(srv, 0, sizeof(*srv));
	srv->listen_fd = -1;
	for (i = 0; i < CP_STATUS_MAX_CLIENTS; i++)
		srv->clients[i].fd = -1;
	srv->reply_mem = malloc((size_t)CP_STATUS_MAX_CLIENTS *
				CP_STATUS_REPLY_MAX);
	if (srv->reply_mem == NULL)
		return -1;
	for (i = 0; i < CP_STATUS_MAX_CLIENTS; i++)
		srv->clients[i].reply = srv->reply_mem +
					(size_t)i * CP_STATUS_REPLY_MAX;
	srv->epoll_fd = epoll_fd;
	snprintf(srv->path, sizeof(srv->path), "%s", path);
	srv->listen_fd = socket(AF_UNIX,
				SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->listen_fd < 0)
		return -1;
	if (bind_socket(srv->listen_fd, path) != 0 ||
	    listen(srv->listen_fd, CP_STATUS_BACKLOG) != 0 ||
	    epoll_add(epoll_fd, srv->listen_fd, EPOLLIN,
		      cp_tag(CP_TAG_STATUS_LISTEN, 0)) != 0)
		goto fail;
	return 0;
fail:
	err = errno;
	close(srv->listen_fd);
	srv->listen_fd = -1;
	errno = err;
	return -1;
}

static void client_close(struct cp_status_client *c)
{
	if (c->fd < 0)
		return;
	close(c->fd);   /* also removes it from the epoll set */
	c->fd = -1;
	c->deferred = false;
}

void cp_status_close(struct cp_status_srv *srv)
{
	unsigned i;

	for (i = 0; i < CP_STATUS_MAX_CLIENTS; i++)
		client_close(&srv->clients[i]);
	if (srv->listen_fd >= 0) {
		close(srv->listen_fd);
		srv->listen_fd = -1;
		if (unlink(srv->path) != 0 && errno != ENOENT)
			CP_WARNING("cannot remove %s: %s", srv->path,
				   strerror(errno));
	}
	free(srv->reply_mem);
	srv->reply_mem = NULL;
}

static int free_slot(const struct cp_status_srv *srv)
{
	int i;

	for (i = 0; i < CP_STATUS_MAX_CLIENTS; i++)
		if (srv->clients[i].fd < 0)
			return i;
	return -1;
}

/* All slots taken: a best-effort one-line answer, never waited on. */
static void refuse_busy(int fd)
{
	static const char busy[] = "{\"error\":\"busy\"}\n";

	(void)!send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	close(fd);
}

static void start_client(struct cp_status_srv *srv, int fd)
{
	int slot = free_slot(srv);
	struct cp_status_client *c;

	if (slot < 0) {
		CP_DEBUG("status: %d clients already, refusing one",
			 CP_STATUS_MAX_CLIENTS);
		refuse_busy(fd);
		return;
	}
	c = &srv->clients[slot];
	if (epoll_add(srv->epoll_fd, fd, EPOLLIN,
		      cp_tag(CP_TAG_STATUS_CLIENT, (uint32_t)slot)) != 0) {
		CP_WARNING("status: epoll_ctl: %s", strerror(errno));
		close(fd);
		return;
	}
	c->fd = fd;
	c->deferred = false;
	c->serial = ++srv->serial;
	c->deadline_ms = cp_now_ms() + CP_STATUS_TIMEOUT_MS;
	c->req_len = 0;
	c->reply_len = 0;
	c->reply_off = 0;
}

void cp_status_accept(struct cp_status_srv *srv)
{
	for (;;) {
		int fd = accept4(srv->listen_fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0) {
			start_client(srv, fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			CP_WARNING("status: accept: %s", strerror(errno));
		return;
	}
}

static void iso8601(time_t t, char *buf, size_t cap)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, cap, "unknown");
}

static void render_status(const struct cp_main *m, struct jout *j)
{
	char started[32];

	iso8601(m->started_wall, started, sizeof(started));
	jout_lit(j, "{");
	jout_kv_str(j, "process", "sluice-cp");
	jout_kv_str(j, "version", SLUICE_VERSION);
	jout_kv_i64(j, "pid", (int64_t)getpid());
	jout_kv_str(j, "instance", m->instance);
	jout_kv_str(j, "config", m->config_path);
	jout_kv_str(j, "profile", sl_profile_name(m->cfg->profile));
	jout_kv_i64(j, "uptime_s", (cp_now_ms() - m->started_ms) / 1000);
	jout_kv_str(j, "started", started);
	cp_dp_status_json(&m->dp, j);
	if (m->ras_ready)
		cp_ras_status_json(&m->ras, j);
	if (m->sip_ready)
		cp_sip_status_json(&m->sip, j);
	jout_lit(j, "}\n");
}

static void render_error(struct jout *j, const char *msg)
{
	jout_lit(j, "{");
	jout_kv_str(j, "error", msg);
	jout_lit(j, "}\n");
}

static void reply_close(struct cp_status_client *c, struct jout *j)
{
	if (j->overflow) {
		jout_init(j, c->reply, CP_STATUS_REPLY_MAX);
		render_error(j, "reply too long");
	}
	c->reply_len = j->len;
	c->reply_off = 0;
}

/* The client waits for the dataplane: stop reading it, give it time. */
static void defer(struct cp_status_srv *srv, struct cp_status_client *c)
{
	struct epoll_event ev = { .events = 0 };   /* HUP and ERR only */

	c->deferred = true;
	c->deadline_ms = cp_now_ms() + CP_STATUS_DEFER_MS;
	if (epoll_ctl(srv->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev) != 0)
		CP_DEBUG("status: epoll_ctl: %s", strerror(errno));
}

/*
 * Build the answer to the request line now in c->req. Returns true when
 * it is in c->reply, false when deferred.
 */
static bool answer(struct cp_status_srv *srv, unsigned slot,
		   struct cp_main *m, bool too_long)
{
	struct cp_status_client *c = &srv->clients[slot];
	struct jout j;

	jout_init(&j, c->reply, CP_STATUS_REPLY_MAX);
	if (too_long) {
		render_error(&j, "request too long");
	} else if (strcmp(c->req, "status") == 0) {
		render_status(m, &j);
	} else if (strncmp(c->req, "flows ", 6) == 0) {
		if (!cp_flows_request(m, slot, c->serial, c->req + 6, &j)) {
			defer(srv, c);
			return false;
		}
	} else if (strncmp(c->req, "turn ", 5) == 0) {
		if (!cp_turn_request(m, slot, c->serial, c->req + 5, &j)) {
			defer(srv, c);
			return false;
		}
	} else if (strncmp(c->req, "sip ", 4) == 0) {
		if (!m->sip_ready || !cp_sip_request(&m->sip, c->req + 4, &j))
			render_error(&j, "unknown request");
	} else if (!m->ras_ready || !cp_ras_request(&m->ras, c->req, &j)) {
		render_error(&j, "unknown request");
	}
	reply_close(c, &j);
	return true;
}

/* Returns 1 when the reply is out (or the peer is gone), 0 to wait. */
static int send_reply(struct cp_status_srv *srv, struct cp_status_client *c,
		      unsigned slot)
{
	while (c->reply_off < c->reply_len) {
		ssize_t n = send(c->fd, c->reply + c->reply_off,
				 c->reply_len - c->reply_off, MSG_NOSIGNAL);

		if (n >= 0) {
			c->reply_off += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			struct epoll_event ev = {
				.events = EPOLLOUT,
				.data.u64 = cp_tag(CP_TAG_STATUS_CLIENT, slot),
			};

			if (epoll_ctl(srv->epoll_fd, EPOLL_CTL_MOD, c->fd,
				      &ev) == 0)
				return 0;
		}
		CP_DEBUG("status: send: %s", strerror(errno));
		return 1;
	}
	return 1;
}

/* Cut the request at '\n'; strip a '\r'. Returns 1 when a line is there. */
static int request_line_complete(struct cp_status_client *c, bool eof)
{
	char *nl = memchr(c->req, '\n', c->req_len);

	if (nl == NULL && !eof)
		return 0;
	if (nl != NULL)
		c->req_len = (size_t)(nl - c->req);
	if (c->req_len > 0 && c->req[c->req_len - 1] == '\r')
		c->req_len--;
	c->req[c->req_len] = '\0';
	return 1;
}

/*
 * Read what is there. Returns 1 when the request is complete (answer set),
 * 2 when its answer is deferred, 0 to wait for more, -1 when the client is
 * to be dropped silently.
 */
static int read_request(struct cp_status_srv *srv, unsigned slot,
			struct cp_main *m)
{
	struct cp_status_client *c = &srv->clients[slot];

	for (;;) {
		size_t room = CP_STATUS_REQ_MAX + 1 - c->req_len;
		ssize_t n = recv(c->fd, c->req + c->req_len, room, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		if (n == 0 && c->req_len == 0)
			return -1;    /* connected and left: nothing to say */
		c->req_len += (size_t)n;
		if (request_line_complete(c, n == 0))
			return answer(srv, slot, m, false) ? 1 : 2;
		if (c->req_len > CP_STATUS_REQ_MAX)
			return answer(srv, slot, m, true) ? 1 : 2;
	}
}

void cp_status_client_ready(struct cp_status_srv *srv, struct cp_main *m,
			    unsigned slot, uint32_t events)
{
	struct cp_status_client *c;
	int rc;

	if (slot >= CP_STATUS_MAX_CLIENTS || srv->clients[slot].fd < 0)
		return;   /* closed earlier in this epoll batch */
	c = &srv->clients[slot];
	if (c->deferred) {
		/* Only a hang-up wakes a deferred client: it left. */
		if (events & (EPOLLHUP | EPOLLERR))
			client_close(c);
		return;
	}
	if (c->reply_len == 0) {
		rc = read_request(srv, slot, m);
		if (rc == 2)
			return;
		if (rc == 0 && (events & (EPOLLHUP | EPOLLERR)) == 0)
			return;
		if (rc != 1) {
			client_close(c);
			return;
		}
	}
	if (send_reply(srv, c, slot))
		client_close(c);
}

bool cp_status_reply_begin(struct cp_status_srv *srv, unsigned slot,
			   uint64_t serial, struct jout *j)
{
	struct cp_status_client *c;

	if (slot >= CP_STATUS_MAX_CLIENTS)
		return false;
	c = &srv->clients[slot];
	if (c->fd < 0 || !c->deferred || c->serial != serial)
		return false;
	jout_init(j, c->reply, CP_STATUS_REPLY_MAX);
	return true;
}

void cp_status_reply_end(struct cp_status_srv *srv, unsigned slot,
			 struct jout *j)
{
	struct cp_status_client *c = &srv->clients[slot];

	c->deferred = false;
	c->deadline_ms = cp_now_ms() + CP_STATUS_TIMEOUT_MS;
	reply_close(c, j);
	if (send_reply(srv, c, slot))
		client_close(c);
}

int cp_status_timeout_ms(const struct cp_status_srv *srv, int64_t now_ms)
{
	int64_t next = -1;
	unsigned i;

	for (i = 0; i < CP_STATUS_MAX_CLIENTS; i++) {
		const struct cp_status_client *c = &srv->clients[i];

		if (c->fd >= 0 && (next < 0 || c->deadline_ms < next))
			next = c->deadline_ms;
	}
	if (next < 0)
		return -1;
	return next <= now_ms ? 0 : (int)(next - now_ms);
}

void cp_status_expire(struct cp_status_srv *srv, int64_t now_ms)
{
	unsigned i;

	for (i = 0; i < CP_STATUS_MAX_CLIENTS; i++) {
		struct cp_status_client *c = &srv->clients[i];

		if (c->fd >= 0 && c->deadline_ms <= now_ms) {
			CP_DEBUG("status: client timed out");
			client_close(c);
		}
	}
}
