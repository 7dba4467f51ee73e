/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_status.h — the status socket: `cp.sock` in the run directory.
 *
 * Protocol: the client writes one line (`status\n`), the server writes one
 * JSON object and closes. Bounded: CP_STATUS_MAX_CLIENTS at once (one more is
 * told {"error":"busy"}), CP_STATUS_TIMEOUT_MS for the whole exchange, a
 * request line of at most CP_STATUS_REQ_MAX bytes. Every socket is
 * non-blocking; a slow client only ever costs its own slot.
 */
#ifndef SL_CP_STATUS_H
#define SL_CP_STATUS_H

#include <stddef.h>
#include <stdint.h>

#define CP_STATUS_MAX_CLIENTS 16
#define CP_STATUS_TIMEOUT_MS  1000
#define CP_STATUS_REQ_MAX     256
#define CP_STATUS_REPLY_MAX   8192

struct cp_main;

struct cp_status_client {
	int fd;                        /* -1: free slot */
	int64_t deadline_ms;           /* CLOCK_MONOTONIC */
	size_t req_len;
	char req[CP_STATUS_REQ_MAX + 1];
	size_t reply_len;
	size_t reply_off;              /* > 0 or reply_len > 0: writing */
	char reply[CP_STATUS_REPLY_MAX];
};

struct cp_status_srv {
	int listen_fd;
	int epoll_fd;
	char path[4096];
	struct cp_status_client clients[CP_STATUS_MAX_CLIENTS];
};

/*
 * Bind `path` (0660; a stale socket there is removed: the caller holds the
 * instance lock) and register it with `epoll_fd` under CP_TAG_STATUS_LISTEN;
 * clients are registered under CP_TAG_STATUS_CLIENT with their slot.
 * Returns 0 or -1/errno.
 */
int cp_status_open(struct cp_status_srv *srv, int epoll_fd, const char *path);

/* Close every client and the listener, unlink the socket. */
void cp_status_close(struct cp_status_srv *srv);

/* The listener is readable: accept every pending client. */
void cp_status_accept(struct cp_status_srv *srv);

/* Client `slot` is ready; `m` supplies the facts a "status" reply needs. */
void cp_status_client_ready(struct cp_status_srv *srv, const struct cp_main *m,
			    unsigned slot, uint32_t events);

/* Milliseconds until the next client deadline, -1 when no client waits. */
int cp_status_timeout_ms(const struct cp_status_srv *srv, int64_t now_ms);

/* Drop every client whose deadline has passed. */
void cp_status_expire(struct cp_status_srv *srv, int64_t now_ms);

/* CLOCK_MONOTONIC in milliseconds. */
int64_t cp_now_ms(void);

#endif /* SL_CP_STATUS_H */
