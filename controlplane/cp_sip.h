/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_sip.h — sluice-cp's SIP transports around the registrar
 * (controlplane/sip/), in the single-threaded epoll loop.
 *
 *   UDP sip.udp_port (5060) ──────────────┐
 *   TCP sip.tcp_port (5060) ─► conn[] ────┼─► sip_msg_parse ─► REGISTER ─► registrar
 *   TLS sip.tls_port (5061) ─► conn[] ────┘   (stream framing,  OPTIONS  ─► 200
 *        (OpenSSL, sip.tls_certificate)        CRLF ping→pong)  calls    ─► B2BUA
 *                                                              other    ─► 501
 *   timerfd CP_SIP_TICK_MS: expiry, idle and handshake deadlines
 *   cp.sock "sip registrations [from=N] [max=N]", "sip calls" → cp_sip_json.c
 *
 * Like the H.323 sockets, these are bound to the wildcard address in the
 * appliance namespace (the dataplane punts SIP to sluice0). Answers go to
 * the request's source address and port whatever its Via says ("rport"
 * always, RFC 3581): behind a NAT that is the only address that works.
 *
 * What a stranger can hold is bounded: CP_SIP_CONN_MAX connections, each
 * closed after CP_SIP_FIRST_MS unless it registers or carries a call,
 * after CP_SIP_IDLE_MS of silence once it has, unless a call still uses
 * it; one receive buffer each; no state at all before a request
 * authenticates (stateless nonces).
 */
#ifndef SL_CP_SIP_H
#define SL_CP_SIP_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "cp_sip_call.h"
#include "sip_msg.h"
#include "sip_registrar.h"
#include "sl_config.h"

#define CP_SIP_TICK_MS      200
#define CP_SIP_CONN_MAX     256
#define CP_SIP_FIRST_MS     32000      /* to register (or finish TLS) */
#define CP_SIP_IDLE_MS      (3 * SIP_REG_FLOW_TIMER_S * 1000)
#define CP_SIP_BURST        64         /* datagrams per wake-up */
#define CP_SIP_UDP_BUF      (4 << 20)  /* UDP socket buffers, bytes */
#define CP_SIP_RX_MAX       (SIP_MSG_MAX + 1)
#define CP_SIP_OUT_MAX      16384
#define CP_SIP_TX_MAX       (256 * 1024)  /* output queued per connection */
#define CP_SIP_LOG_PER_S    10         /* malformed-message lines */

enum cp_sip_listener {
	CP_SIP_L_TCP,
	CP_SIP_L_TLS,
	CP_SIP_L_COUNT,
};

struct cp_sip_conn {
	int fd;                        /* -1: free */
	int zone;                      /* index in cp_sip.zones, -1: none */
	bool zone_client;              /* we connected out (client zone) */
	bool connecting;               /* non-blocking connect under way */
	SSL *ssl;                      /* TLS only */
	bool handshaking;
	bool cert_refused;             /* the handshake failed over a
					* certificate, either side's */
	bool want_write;               /* TLS handshake waits for EPOLLOUT */
	struct sip_peer peer;
	int64_t accepted_ms;
	int64_t last_rx_ms;
	bool registered;               /* a REGISTER over it succeeded */
	unsigned pending_crlf;         /* CRLFs seen since the last message */
	uint64_t messages;
	size_t rx_len;
	char *rx;                      /* CP_SIP_RX_MAX, while open */
	size_t tx_len;
	char *tx;                      /* CP_SIP_TX_MAX, once a send blocked */
};

struct cp_sip_counters {
	uint64_t rx_msgs[3];           /* by transport */
	uint64_t tx_msgs;
	uint64_t tx_errors;
	uint64_t tx_queued;             /* sends that waited for EPOLLOUT */
	uint64_t requests;
	uint64_t responses_rx;         /* no client transactions yet: ignored */
	uint64_t malformed[SIP_E_COUNT];
	uint64_t answered_malformed;
	uint64_t dropped_malformed;    /* too broken to answer */
	uint64_t not_implemented;
	uint64_t too_many_hops;
	uint64_t crlf_pings;
	uint64_t conn_accepted;
	uint64_t conn_refused;         /* every slot taken */
	uint64_t conn_timeouts;
	uint64_t tls_failures;
	uint64_t stream_errors;        /* framing broke: closed */
};

struct cp_zone_dns;

/* A SIP traversal zone (cp_sip_zone.c). */
enum cp_zone_state {
	CP_ZONE_DOWN,             /* client: waiting to (re)connect;
				   * server: no traversal client */
	CP_ZONE_RESOLVING,        /* client: looking up a peer's name */
	CP_ZONE_CONNECTING,       /* client: TCP connect under way */
	CP_ZONE_HANDSHAKE,        /* client: TLS handshake */
	CP_ZONE_AUTHENTICATING,   /* REGISTER sent / awaited */
	CP_ZONE_UP,
};

struct cp_sip_zone {
	const struct sl_zone *z;
	int listen_fd;                 /* server zones */
	uint32_t conn;                 /* slot + 1 of its connection, 0 none */
	uint32_t conn_gen;
	enum cp_zone_state state;
	int64_t state_since_ms;
	int64_t up_since_wall;
	int64_t next_try_ms;           /* client: next connect attempt */
	int64_t backoff_ms;
	int64_t next_keepalive_ms;     /* client: next CRLF ping */
	int64_t pong_deadline_ms;      /* client: 0 when none awaited */
	uint32_t cseq;
	bool auth_sent;
	struct sip_peer remote;        /* the other side, while connected */
	uint64_t connects, ups, keepalives_sent, keepalives_received, pongs;
	uint64_t auth_failures, mismatches;
	uint64_t cert_failures;        /* TLS: certificates refused, either way */
	X509_STORE *ca_store;          /* TLS: zones[].ca_certificate, or NULL */
	struct cp_zone_dns *dns;       /* client: a lookup of peer under way */
	char last_error[256];
};

struct cp_dp;

struct cp_sip {
	const struct sl_config *cfg;
	struct cp_dp *dp;              /* legs of calls (cp_sip_call.c) */
	int epoll_fd;
	int udp_fd;
	int listen_fd[CP_SIP_L_COUNT]; /* -1: not listening (TLS unset) */
	int tick_fd;
	SSL_CTX *tls;                  /* server side: 5061, TLS zones */
	SSL_CTX *tls_client;           /* client zones over TLS */
	struct cp_sip_conn conn[CP_SIP_CONN_MAX];
	unsigned n_conn;
	uint32_t conn_gen;
	struct sip_registrar reg;
	bool reg_ready;
	struct cp_sip_counters c;
	int64_t log_window_ms;
	unsigned log_n;
	struct cp_sip_zone zones[SL_CFG_MAX_ZONES];   /* SIP zones only */
	unsigned n_zones;
	struct cp_calls calls;         /* the B2BUA (cp_sip_call.c) */
	struct sip_msg msg;            /* the message being handled */
	char out[CP_SIP_OUT_MAX];
};

struct jout;

void cp_sip_init(struct cp_sip *s);
/* Sockets, TLS context, registrar; 0 or -1 with a sentence in err. */
int cp_sip_open(struct cp_sip *s, const struct sl_config *cfg,
		struct cp_dp *dp, int epoll_fd, char *err, size_t err_cap);
void cp_sip_close(struct cp_sip *s);
/* SIGHUP: the new configuration's credentials and realm. */
void cp_sip_reconfigure(struct cp_sip *s, const struct sl_config *cfg);

/* Event handlers (cp_loop.c). A listener slot below CP_SIP_L_COUNT is
 * 5060/5061; CP_SIP_L_COUNT + i is SIP zone i's port. */
void cp_sip_udp_ready(struct cp_sip *s);
void cp_sip_accept(struct cp_sip *s, unsigned listener);
void cp_sip_conn_ready(struct cp_sip *s, unsigned slot, uint32_t events);
void cp_sip_tick(struct cp_sip *s);

/* cp_sip_json.c: the "sip" member of the status, and the cp.sock
 * requests "sip registrations [from=N] [max=N]". */
void cp_sip_status_json(const struct cp_sip *s, struct jout *j);
bool cp_sip_request(struct cp_sip *s, const char *req, struct jout *j);
void cp_sip_zones_json(const struct cp_sip *s, struct jout *j);

#endif /* SL_CP_SIP_H */
