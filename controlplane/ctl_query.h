/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_query.h — sluicectl's two clients:
 *
 *   cp.sock          unix stream: one request line ("status\n",
 *                    "flows list\n", ...) → one JSON object, EOF
 *   DPDK telemetry   unix seqpacket, protocol v2: a JSON greeting, then
 *                    one packet per command ("/sluice/info") and one
 *                    packet per reply ({"/sluice/info": {...}})
 *
 * Every socket has CTL_QUERY_TIMEOUT_S send and receive timeouts, so a
 * wedged server makes sluicectl fail, not hang.
 */
#ifndef SL_CTL_QUERY_H
#define SL_CTL_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "ctl_json.h"

#define CTL_QUERY_TIMEOUT_S 2
#define CTL_FLOWS_TIMEOUT_S 8      /* > sluice-cp's wait for the dataplane */
#define CTL_REPLY_MAX       65536

/*
 * Ask the control plane's status socket. On success the reply is in
 * buf (NUL-terminated) and *root is the parsed object; 0. On failure -1
 * and a reason in err.
 */
int ctl_cp_query(const char *sock_path, char *buf, size_t cap,
		 struct json_val *root, char *err, size_t errlen);

/*
 * Send `req` (one line, without the newline) to the control plane's status
 * socket and parse the answer, waiting at most `timeout_s` per read.
 * Returns 0 with *root; 1 when sluice-cp answered {"error": ...} (its
 * sentence in err, as is); -1 when there is no usable answer (the reason
 * in err; errno ENOENT or ECONNREFUSED when sluice-cp does not run).
 */
int ctl_cp_request(const char *sock_path, const char *req, int timeout_s,
		   char *buf, size_t cap, struct json_val *root,
		   char *err, size_t errlen);

/* Writes a JSON value's text, as received, to stdout. */
void ctl_put_span(const struct json_val *v);

/*
 * ctl_cp_request() with sluicectl's handling of failures: sluice-cp not
 * running → says so, CTL_EXIT_NOT_RUNNING; refused → the sentence on
 * stderr (and, with `json`, sluice-cp's answer object on stdout),
 * CTL_EXIT_ERROR. Returns CTL_EXIT_OK with *root otherwise.
 */
int ctl_cp_ask(const char *sock_path, const char *instance, bool json,
	       int timeout_s, const char *req, char *buf,
	       struct json_val *root, char *err, size_t errlen);

struct ctl_tel {
	int fd;
};

/* Connect and read the greeting. 0, or -1 with a reason in err. */
int ctl_tel_open(struct ctl_tel *t, const char *sock_path,
		 char *err, size_t errlen);

/*
 * Run `cmd`; the reply packet goes to buf and *val is the value under the
 * command's name. A null value (command unknown to the dataplane) is an
 * error. 0 or -1 with a reason in err.
 */
int ctl_tel_query(struct ctl_tel *t, const char *cmd, char *buf, size_t cap,
		  struct json_val *val, char *err, size_t errlen);

void ctl_tel_close(struct ctl_tel *t);

#endif /* SL_CTL_QUERY_H */
