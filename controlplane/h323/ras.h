/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ras.h — the H.323 RAS service of the traversal server: gatekeeper
 * discovery, registration with H.235 password authentication, H.460.18
 * keep-alive, unregistration and expiry, incoming-call indication
 * (SCI/SCR) towards H.460.18 endpoints, traversal-zone keep-alives and
 * location requests.
 *
 * It is pure logic over the codec: no sockets, no clocks, no threads.
 * The host (sluice-cp's cp_ras.c, or a unit test) feeds it datagrams with
 * the socket they came in on and the time, and it answers through the
 * host's callbacks:
 *
 *        host                                   ras_service
 *   UDP 1719 / zone port ──datagram(sock, from)──►  decode, dispatch
 *          ◄──────────────send(sock, to, octets)──  GCF/RCF/RRJ/SCI/...
 *   timer ──────────────────────tick(now)────────►  expiry, SCI retries
 *   TCP 1720 Facility ──────call_facility(guid)──►  match to a call
 *   operator ───────────────call_start(alias)────►  SCI to the endpoint
 *
 * Socket numbering: sock 0 is h323.ras_port; sock 1 + z is the UDP port
 * of zones[z] (an H.323 server zone). Replies always leave by the socket
 * the request came in on, to the request's source address: behind a NAT
 * that is the only address that reaches the endpoint (H.460.18).
 *
 * State a stranger can create is bounded: registrations only after the
 * password check and at most capacity.registrations of them, calls only
 * by the operator (RAS_CALLS_MAX), zone peers one per configured zone.
 */
#ifndef SL_RAS_H
#define SL_RAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_config.h"

#define RAS_SOCKS          (1 + SL_CFG_MAX_ZONES)
#define RAS_SOCK_RAS       0u
#define RAS_ALIASES_MAX    8        /* aliases kept per registration */
#define RAS_ALIAS_TEXT_MAX 128      /* bytes of UTF-8 per alias */
#define RAS_EPID_MAX       16       /* endpointIdentifier, "sl-%08x" */
#define RAS_CALLS_MAX      64       /* incoming calls in any state */

/* An IPv4 transport address: ip in network order, port in host order. */
struct ras_addr {
	uint32_t ip;
	uint16_t port;
};

/* "192.0.2.1:40000" */
void ras_addr_format(struct ras_addr a, char *out, size_t cap);
bool ras_addr_eq(struct ras_addr a, struct ras_addr b);

/* The time, both ways: monotonic for deadlines, wall for H.235 stamps. */
struct ras_clock {
	int64_t mono_ms;
	int64_t wall_s;
};

enum ras_alias_kind {
	RAS_ALIAS_H323_ID,
	RAS_ALIAS_DIALED_DIGITS,
	RAS_ALIAS_URL_ID,
	RAS_ALIAS_EMAIL_ID,
};

struct ras_alias {
	uint8_t kind;                  /* enum ras_alias_kind */
	char text[RAS_ALIAS_TEXT_MAX + 1];
};

struct ras_reg {
	bool used;
	uint32_t id;                   /* the number in endpoint_id */
	char endpoint_id[RAS_EPID_MAX];
	char username[SL_CFG_USER_MAX + 1];   /* the credential it proved */
	struct ras_alias aliases[RAS_ALIASES_MAX];
	unsigned n_aliases;
	unsigned sock;                 /* socket it registered on */
	struct ras_addr ras;           /* source of its latest RRQ */
	bool has_call_signal;
	struct ras_addr call_signal;   /* first IPv4 callSignalAddress */
	bool h46018;                   /* signalling traversal */
	bool h46019;                   /* announced media traversal */
	bool proto_v4;                 /* H.225.0 v4+: SecurityErrors known */
	uint32_t ttl_s;
	int64_t expires_ms;            /* monotonic */
	int64_t registered_wall_s;
	int64_t refreshed_wall_s;
	uint64_t keepalives;
};

enum ras_call_state {
	RAS_CALL_SCI_SENT,     /* waiting for the SCR (retransmitting) */
	RAS_CALL_SCR_OK,       /* waiting for TCP + Facility */
	RAS_CALL_CONNECTED,    /* Facility matched, TCP connection held */
	RAS_CALL_FAILED,
	RAS_CALL_CLOSED,       /* was connected, the connection ended */
};

struct ras_call {
	bool used;
	uint32_t id;                   /* operator's handle, from 1 */
	uint8_t guid[16];              /* the callIdentifier */
	uint32_t reg_id;
	char alias[RAS_ALIAS_TEXT_MAX + 1];
	char endpoint_id[RAS_EPID_MAX];
	uint8_t state;                 /* enum ras_call_state */
	unsigned sock;
	struct ras_addr ras;           /* where the SCI went */
	uint16_t sci_seq;
	unsigned sci_sent;
	int64_t next_ms;               /* retransmission or deadline */
	int64_t state_ms;              /* when the state was entered */
	int64_t created_wall_s;
	uint32_t conn;                 /* host's connection handle */
	struct ras_addr tcp_peer;
	char reason[128];              /* why it failed or closed */
};

/* A traversal client (the far side of an H.323 server zone), as known
 * from its authenticated keep-alive SCIs. */
struct ras_zone_peer {
	bool active;
	bool ever;                     /* has been active at least once */
	struct ras_addr addr;
	int64_t last_ms;
	int64_t since_wall_s;
	uint64_t keepalives;
	uint64_t lrqs;
};

/* What the service counted. "malformed" is every datagram that did not
 * decode as a RasMessage; it was dropped without an answer. */
#define RAS_COUNTERS(X)                                                    \
	X(received) X(malformed) X(not_served) X(unexpected)               \
	X(grq) X(gcf) X(grj) X(rrq) X(rcf) X(rrj) X(rrj_security)          \
	X(rrj_clock) X(keepalive) X(urq) X(ucf) X(urj) X(lrq) X(lcf)       \
	X(lrj) X(sci_sent) X(sci_retransmitted) X(scr_received)            \
	X(zone_sci) X(zone_scr) X(expired) X(send_errors)                  \
	X(calls_started) X(calls_connected) X(calls_failed)

struct ras_counters {
#define RAS_COUNTER_MEMBER(n) uint64_t n;
	RAS_COUNTERS(RAS_COUNTER_MEMBER)
#undef RAS_COUNTER_MEMBER
};

/* Fixed parameters (no configuration keys exist for these yet). */
struct ras_params {
	uint32_t max_skew_s;           /* H.235 timestamp vs our clock */
	uint32_t ttl_default_s;        /* when an RRQ asks for none */
	uint32_t ttl_min_s, ttl_max_s;
	uint32_t ttl_h46018_max_s;     /* keep-alives often enough for NAT */
	uint32_t expiry_grace_s;       /* after the TTL, before expiry */
	uint32_t sci_retry_ms;
	unsigned sci_tries;
	uint32_t connect_timeout_ms;   /* SCR → TCP + Facility */
	uint32_t finished_keep_s;      /* failed/closed calls stay listed */
	unsigned zone_lost_factor;     /* keep-alive intervals of silence */
	char gatekeeper_id[64];
	uint32_t advertised_ip;        /* network order: RAS and 1720 */
};

void ras_params_default(struct ras_params *p);

struct ras_call;

/* The host's side. send returns 0 or -1 (then counted as send_errors). */
struct ras_host {
	void *ctx;
	int (*send)(void *ctx, unsigned sock, struct ras_addr to,
		    const uint8_t *buf, size_t len);
	void (*log)(void *ctx, enum sl_log_level level, const char *line);
	int (*random)(void *ctx, uint8_t *buf, size_t len);
	/* A call left CONNECTED (it failed or was released by the service):
	 * the host closes the call's TCP connection. May be NULL. */
	void (*call_ended)(void *ctx, const struct ras_call *c);
};

struct ras_service;

/* cfg must outlive the service; its credential store is read on every
 * check, so a reload that swaps the store takes effect at once. NULL and
 * errno on failure. */
struct ras_service *ras_service_new(const struct sl_config *cfg,
				    const struct ras_params *p,
				    const struct ras_host *h);
void ras_service_free(struct ras_service *s);

/* The UDP port of socket `sock` (0 if the socket does not exist), and
 * the zone it serves (-1 for the RAS port). */
uint16_t ras_sock_port(const struct ras_service *s, unsigned sock);
int ras_sock_zone(const struct ras_service *s, unsigned sock);

/* One received datagram. */
void ras_service_datagram(struct ras_service *s, unsigned sock,
			  struct ras_addr from, const uint8_t *buf,
			  size_t len, const struct ras_clock *now);

/* Expiry, retransmissions, deadlines. Call a few times a second. */
void ras_service_tick(struct ras_service *s, const struct ras_clock *now);

/* ---- incoming calls (H.460.18) ------------------------------------------ */

/* Offers a call to the endpoint registered with `alias`: an SCI carrying
 * IncomingCallIndication (our call-signalling address, a fresh callID).
 * Returns the call, or NULL with the reason in why. */
const struct ras_call *ras_call_start(struct ras_service *s,
				      const char *alias,
				      const struct ras_clock *now, char *why,
				      size_t why_cap);

enum ras_facility_result {
	RAS_FACILITY_MATCHED,
	RAS_FACILITY_UNKNOWN_CALL,     /* no call with that callID */
	RAS_FACILITY_WRONG_STATE,      /* already connected, failed, ... */
};

/* The first Facility on TCP connection `conn` from `peer` carried callID
 * guid. On RAS_FACILITY_MATCHED *call is the call, now CONNECTED and
 * holding conn. */
enum ras_facility_result ras_call_facility(struct ras_service *s,
					   const uint8_t guid[16],
					   uint32_t conn, struct ras_addr peer,
					   const struct ras_clock *now,
					   const struct ras_call **call);

/* The held connection of call `id` ended (the peer closed it, ...). */
void ras_call_conn_closed(struct ras_service *s, uint32_t id,
			  const char *why, const struct ras_clock *now);

/* ---- reading the state (status, sluicectl) ------------------------------ */

const struct ras_counters *ras_counters(const struct ras_service *s);
uint32_t ras_reg_count(const struct ras_service *s);
uint32_t ras_reg_capacity(const struct ras_service *s);
/* Registration slots are [0, ras_reg_slots()); unused ones have !used. */
uint32_t ras_reg_slots(const struct ras_service *s);
const struct ras_reg *ras_reg_slot(const struct ras_service *s, uint32_t i);
const struct ras_call *ras_call_slot(const struct ras_service *s,
				     unsigned i);	/* i < RAS_CALLS_MAX */
const struct ras_zone_peer *ras_zone_peer(const struct ras_service *s,
					  unsigned zone);
const char *ras_call_state_name(unsigned state);
const char *ras_alias_kind_name(unsigned kind);

#endif /* SL_RAS_H */
