/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_status.h — the status socket: `cp.sock` in the run directory.
 *
 * Protocol: the client writes one line (`status\n`, `flows ...\n`), the
 * server writes one JSON object and closes. Bounded: CP_STATUS_MAX_CLIENTS
 * at once (one more is told {"error":"busy"}), CP_STATUS_TIMEOUT_MS for the
 * whole exchange, a request line of at most CP_STATUS_REQ_MAX bytes. Every
 * socket is non-blocking; a slow client only ever costs its own slot.
 *
 * A request that waits for the dataplane (cp_flows.h) is deferred: the
 * client keeps its slot, stops being read, and gets CP_STATUS_DEFER_MS; the
 * answer is written with cp_status_reply_begin/end when it is known. Each
 * client has a serial, so an answer for a client that left never reaches
 * the next one in the same slot.
 */
#ifndef SL_CP_STATUS_H
#define SL_CP_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CP_STATUS_MAX_CLIENTS 16
#define CP_STATUS_TIMEOUT_MS  1000
#define CP_STATUS_REQ_MAX     256
#define CP_STATUS_REPLY_MAX   65536  /* a page of "flows list" fits */
#define CP_STATUS_DEFER_MS    6000   /* > two dataplane ack deadlines */

struct cp_main;
struct jout;

struct cp_status_client {
	int fd;                        /* -1: free slot */
	bool deferred;                 /* the answer waits for the dataplane */
	uint64_t serial;               /* which client this is */
	int64_t deadline_ms;           /* CLOCK_MONOTONIC */
	size_t req_len;
	char req[CP_STATUS_REQ_MAX + 1];
	size_t reply_len;
	size_t reply_off;              /* > 0 or reply_len > 0: writing */
	char *reply;                   /* CP_STATUS_REPLY_MAX bytes */
};

struct cp_status_srv {
	int listen_fd;
	int epoll_fd;
	char path[4096];
	uint64_t serial;
	char *reply_mem;               /* every client's reply buffer */
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

/* Client `slot` is ready; `m` supplies what the requests need. */
void cp_status_client_ready(struct cp_status_srv *srv, struct cp_main *m,
			    unsigned slot, uint32_t events);

/*
 * A deferred answer: begin gives a writer over the reply buffer of client
 * `slot` if it is still client `serial` and waiting (false otherwise: the
 * client left or timed out); end sends what was written.
 */
bool cp_status_reply_begin(struct cp_status_srv *srv, unsigned slot,
			   uint64_t serial, struct jout *j);
void cp_status_reply_end(struct cp_status_srv *srv, unsigned slot,
			 struct jout *j);

/* Milliseconds until the next client deadline, -1 when no client waits. */
int cp_status_timeout_ms(const struct cp_status_srv *srv, int64_t now_ms);

/* Drop every client whose deadline has passed. */
void cp_status_expire(struct cp_status_srv *srv, int64_t now_ms);

/* CLOCK_MONOTONIC in milliseconds. */
int64_t cp_now_ms(void);

/* The paging arguments of list requests ("registrations", "sip
 * registrations"): "from=N max=N" in any order, max 1-100 (default 100).
 * 0, or -1 on anything else. */
int cp_page_args(const char *args, uint32_t *from, uint32_t *max);

#endif /* SL_CP_STATUS_H */
