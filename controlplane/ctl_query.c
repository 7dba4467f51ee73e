/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_query.c — the cp.sock and DPDK telemetry clients (see ctl_query.h).
 */
#include "ctl_query.h"
#include "ctl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int set_timeouts(int fd, int seconds)
{
	struct timeval tv = { .tv_sec = seconds };

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0)
		return -1;
	return 0;
}

/* A connected unix socket of `type`, or -1 with the reason in err. */
static int unix_connect(const char *path, int type, int timeout_s,
			char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, e;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (set_timeouts(fd, timeout_s) != 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read to EOF into buf (NUL-terminated). Returns length or -1/errno. */
static ssize_t recv_to_eof(int fd, char *buf, size_t cap)
{
	size_t len = 0;

	while (len < cap - 1) {
		ssize_t n = recv(fd, buf + len, cap - 1 - len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			buf[len] = '\0';
			return (ssize_t)len;
		}
		len += (size_t)n;
	}
	errno = EMSGSIZE;
	return -1;
}

static int parse_reply(const char *what, const char *buf, size_t len,
		       struct json_val *root, char *err, size_t errlen)
{
	char why[160];

	if (json_parse(buf, len, root, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "%s: invalid JSON reply: %s", what, why);
		return -1;
	}
	if (root->type != JSON_OBJECT) {
		snprintf(err, errlen, "%s: reply is not a JSON object", what);
		return -1;
	}
	return 0;
}

int ctl_cp_request(const char *sock_path, const char *req, int timeout_s,
		   char *buf, size_t cap, struct json_val *root,
		   char *err, size_t errlen)
{
	int fd = unix_connect(sock_path, SOCK_STREAM, timeout_s, err, errlen);
	ssize_t len;
	struct json_val e;

	if (fd < 0)
		return -1;
	if (send_all(fd, req, strlen(req)) != 0 || send_all(fd, "\n", 1) != 0 ||
	    (len = recv_to_eof(fd, buf, cap)) < 0) {
		snprintf(err, errlen, "%s: %s", sock_path,
			 errno == EAGAIN ? "timed out" : strerror(errno));
		close(fd);
		errno = 0;
		return -1;
	}
	close(fd);
	if (parse_reply(sock_path, buf, (size_t)len, root, err, errlen) != 0)
		return -1;
	if (json_obj_get(root, "error", &e) == 0) {
		if (json_get_str(&e, err, errlen) < 0)
			snprintf(err, errlen, "(unreadable error)");
		return 1;
	}
	return 0;
}

int ctl_cp_query(const char *sock_path, char *buf, size_t cap,
		 struct json_val *root, char *err, size_t errlen)
{
	char msg[512];
	int rc = ctl_cp_request(sock_path, "status", CTL_QUERY_TIMEOUT_S, buf,
				cap, root, msg, sizeof(msg));

	if (rc == 1)
		snprintf(err, errlen, "%s: server says: %s", sock_path, msg);
	else if (rc < 0)
		snprintf(err, errlen, "%s", msg);
	return rc == 0 ? 0 : -1;
}

/* One packet; a packet larger than the buffer is an error, not cut. */
static ssize_t recv_packet(int fd, char *buf, size_t cap)
{
	struct iovec iov = { .iov_base = buf, .iov_len = cap - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	do {
		n = recvmsg(fd, &msg, 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0) {
		errno = ECONNRESET;
		return -1;
	}
	if (msg.msg_flags & MSG_TRUNC) {
		errno = EMSGSIZE;
		return -1;
	}
	buf[n] = '\0';
	return n;
}

int ctl_tel_open(struct ctl_tel *t, const char *sock_path,
		 char *err, size_t errlen)
{
	char greeting[1024];
	struct json_val root, v;
	ssize_t n;

	t->fd = unix_connect(sock_path, SOCK_SEQPACKET, CTL_QUERY_TIMEOUT_S,
			     err, errlen);
	if (t->fd < 0)
		return -1;
	n = recv_packet(t->fd, greeting, sizeof(greeting));
	if (n < 0) {
		snprintf(err, errlen, "%s: greeting: %s", sock_path,
			 errno == EAGAIN ? "timed out" : strerror(errno));
		goto fail;
	}
	if (parse_reply(sock_path, greeting, (size_t)n, &root, err,
			errlen) != 0)
		goto fail;
	if (json_obj_get(&root, "version", &v) != 0) {
		snprintf(err, errlen, "%s: not a DPDK telemetry v2 socket",
			 sock_path);
		goto fail;
	}
	return 0;
fail:
	ctl_tel_close(t);
	return -1;
}

int ctl_tel_query(struct ctl_tel *t, const char *cmd, char *buf, size_t cap,
		  struct json_val *val, char *err, size_t errlen)
{
	struct json_val root;
	ssize_t n;

	if (send_all(t->fd, cmd, strlen(cmd)) != 0 ||
	    (n = recv_packet(t->fd, buf, cap)) < 0) {
		snprintf(err, errlen, "telemetry %s: %s", cmd,
			 errno == EAGAIN ? "timed out" : strerror(errno));
		return -1;
	}
	if (parse_reply(cmd, buf, (size_t)n, &root, err, errlen) != 0)
		return -1;
	if (json_obj_get(&root, cmd, val) != 0 || val->type == JSON_NULL) {
		snprintf(err, errlen, "telemetry %s: not provided by the "
			 "dataplane", cmd);
		return -1;
	}
	if (val->type != JSON_OBJECT) {
		snprintf(err, errlen, "telemetry %s: not a JSON object", cmd);
		return -1;
	}
	return 0;
}

void ctl_tel_close(struct ctl_tel *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

void ctl_put_span(const struct json_val *v)
{
	fwrite(v->p, 1, v->len, stdout);
}

int ctl_cp_ask(const char *sock_path, const char *instance, bool json,
	       int timeout_s, const char *req, char *buf,
	       struct json_val *root, char *err, size_t errlen)
{
	int rc = ctl_cp_request(sock_path, req, timeout_s, buf, CTL_REPLY_MAX,
				root, err, errlen);

	if (rc == 0)
		return CTL_EXIT_OK;
	if (rc < 0 && (errno == ENOENT || errno == ECONNREFUSED)) {
		fprintf(stderr, "sluicectl: sluice-cp is not running for "
			"instance '%s' (%s)\n", instance, err);
		return CTL_EXIT_NOT_RUNNING;
	}
	if (json && rc == 1) {
		/* scripts get sluice-cp's answer, result name included */
		ctl_put_span(root);
		printf("\n");
	}
	fprintf(stderr, "sluicectl: %s\n", err);
	return CTL_EXIT_ERROR;
}
