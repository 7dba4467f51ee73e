/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_ras.h — sluice-cp's H.323 sockets around the RAS service
 * (controlplane/h323/ras.h), in the single-threaded epoll loop.
 *
 *   UDP h323.ras_port (1719)  ─┐                      ┌─ RCF, SCI, ... out
 *   UDP zones[].port (6001…)  ─┼─► ras_service ◄──────┤  the same socket
 *   timerfd CP_RAS_TICK_MS    ─┘   (registrations,    └─ log lines → cp_log
 *                                   calls, zones)
 *   TCP h323.q931_port (1720) ──► cp_ras_sig.c: TPKT/Q.931, first Facility
 *                                 → ras_call_facility(); held connections
 *                                 get an empty Facility every
 *                                 CP_RAS_KEEPALIVE_S
 *   cp.sock "registrations", "h323 call ALIAS", "h323 calls" → cp_ras_json.c
 *
 * The sockets are bound to the wildcard address: sluice-cp runs in the
 * appliance's network namespace, where the dataplane's TAP (sluice0)
 * carries the appliance address, and it may start before the dataplane has
 * made that interface. The addresses Sluice advertises (GCF, RCF, SCI)
 * are the external interface's (its public_address when configured).
 */
#ifndef SL_CP_RAS_H
#define SL_CP_RAS_H

#include <stdbool.h>
#include <stdint.h>

#include "q931.h"
#include "ras.h"
#include "sl_config.h"

#define CP_RAS_TICK_MS      100
#define CP_RAS_CONN_MAX     64       /* TCP connections on 1720 at once */
#define CP_RAS_FIRST_MS     10000    /* to send the first message */
#define CP_RAS_KEEPALIVE_S  19       /* empty Facility on held connections */
#define CP_RAS_RX_MAX       (TPKT_HEADER + Q931_MSG_MAX)
#define CP_RAS_BURST        64       /* datagrams read per wake-up */

struct jout;

struct cp_ras_conn {
	int fd;                        /* -1: free slot */
	struct ras_addr peer;
	bool held;                     /* matched to call_id */
	uint32_t call_id;
	int64_t deadline_ms;           /* unheld: first Facility by then */
	int64_t next_keepalive_ms;     /* held */
	uint64_t keepalives;
	uint64_t messages;
	size_t rx_len;
	uint8_t rx[CP_RAS_RX_MAX];
};

struct cp_ras_sig_counters {
	uint64_t accepted;
	uint64_t refused;              /* every slot taken */
	uint64_t matched;
	uint64_t unmatched;            /* Facility for no call of ours */
	uint64_t protocol_errors;      /* not TPKT/Q.931/H.225, or not a
					* Facility first */
	uint64_t timeouts;             /* nothing within CP_RAS_FIRST_MS */
	uint64_t keepalives_sent;
};

struct cp_ras {
	struct ras_service *svc;
	const struct sl_config *cfg;
	int epoll_fd;
	int udp_fd[RAS_SOCKS];         /* -1 where no socket */
	int sig_fd;                    /* TCP listener */
	int tick_fd;
	struct cp_ras_conn conn[CP_RAS_CONN_MAX];
	struct cp_ras_sig_counters sig;
	int64_t sig_log_window_ms;     /* rate limit of "closed" lines */
	unsigned sig_log_n;
	uint8_t arena[16384];          /* one decoded H323-UserInformation */
};

/* Fills in *r (no resources held yet) so cp_ras_close() is always safe. */
void cp_ras_init(struct cp_ras *r);

/* The service and every socket, registered with epoll_fd. 0, or -1 with
 * a sentence in err (a port in use names the port and the key). */
int cp_ras_open(struct cp_ras *r, const struct sl_config *cfg, int epoll_fd,
		char *err, size_t err_cap);
void cp_ras_close(struct cp_ras *r);

/* Event handlers (cp_loop.c). */
void cp_ras_udp_ready(struct cp_ras *r, unsigned sock);
void cp_ras_tick(struct cp_ras *r);
void cp_ras_sig_accept(struct cp_ras *r);
void cp_ras_sig_ready(struct cp_ras *r, unsigned slot, uint32_t events);

/* The current time, both clocks. */
void cp_ras_now(struct ras_clock *now);

/* cp_ras_sig.c, for the service's call_ended: close the connection that
 * holds call `id`, if any. */
void cp_ras_sig_drop_call(struct cp_ras *r, uint32_t id);
/* ... and for the tick: deadlines and keep-alives of connections. */
void cp_ras_sig_tick(struct cp_ras *r, const struct ras_clock *now);
void cp_ras_sig_close_all(struct cp_ras *r);

/* cp_ras_json.c: the "h323" member of sluice-cp's status. */
void cp_ras_status_json(const struct cp_ras *r, struct jout *j);

/* cp.sock requests this module answers: "registrations [from=N]
 * [max=N]", "h323 calls", "h323 call ALIAS". Returns false when `req` is
 * none of them; otherwise the answer is in j. */
bool cp_ras_request(struct cp_ras *r, const char *req, struct jout *j);

#endif /* SL_CP_RAS_H */
