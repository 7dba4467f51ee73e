/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_registrar.h — the SIP registrar (RFC 3261 §10) with digest
 * authentication against the credential store, and the flow bookkeeping
 * of SIP outbound (RFC 5626). Pure logic: the host (cp_sip.c) gives it a
 * parsed REGISTER, where it came from and the time; it writes the
 * response and says what happened.
 *
 *   REGISTER ─► credentials? ── none ──────────► 401 + challenge (no state)
 *                  │ nonce stale ──────────────► 401 + challenge, stale=true
 *                  │ unknown user / wrong pw ──► 403
 *                  │ Authorization user ≠ To ► 403
 *                  ▼
 *               Contact * / expires=0 ─────────► remove, 200
 *               expires < SIP_REG_MIN_EXPIRES ─► 423 + Min-Expires
 *               table full ────────────────────► 503
 *               add or refresh binding ────────► 200 + every Contact;expires
 *                                                 (+ Require: outbound,
 *                                                  Flow-Timer with reg-id)
 *
 * Bindings live in a table sized from capacity.registrations; nothing is
 * stored before a request authenticates, so a stranger can fill nothing.
 * A binding is keyed by (user, contact URI), or (user, +sip.instance,
 * reg-id) for RFC 5626 flows; it remembers the source address and the
 * connection the REGISTER came over, which is where calls to the user go.
 */
#ifndef SL_SIP_REGISTRAR_H
#define SL_SIP_REGISTRAR_H

#include <stdbool.h>
#include <stdint.h>

#include "sip_digest.h"
#include "sip_msg.h"
#include "sip_write.h"
#include "sl_config.h"

#define SIP_REG_MIN_EXPIRES   30      /* 423 below this */
#define SIP_REG_MAX_EXPIRES   3600    /* longer requests are shortened */
#define SIP_REG_DEFAULT_EXPIRES 3600
#define SIP_REG_FLOW_TIMER_S  60      /* RFC 5626 Flow-Timer we ask for */
#define SIP_NONCE_MAX_AGE_S   300
#define SIP_REG_CONTACT_MAX   256
#define SIP_REG_AOR_MAX       192

enum sip_transport {
	SIP_TR_UDP,
	SIP_TR_TCP,
	SIP_TR_TLS,
};

const char *sip_transport_name(enum sip_transport t);   /* "udp" */

/* Where a message came from: address, transport, and for TCP/TLS the
 * connection (its slot + 1; 0 for UDP). */
struct sip_peer {
	uint32_t ip;             /* network order */
	uint16_t port;
	enum sip_transport tr;
	uint32_t conn;
	uint32_t conn_gen;       /* the connection's generation at the time */
};

struct sip_binding {
	bool used;
	uint32_t id;
	char user[SL_CFG_USER_MAX + 1];
	char aor[SIP_REG_AOR_MAX];
	char contact[SIP_REG_CONTACT_MAX];
	char instance[128];      /* +sip.instance, "" without outbound */
	uint32_t reg_id;
	bool outbound;
	struct sip_peer peer;
	uint32_t expires_s;
	int64_t expires_ms;      /* monotonic */
	int64_t registered_wall_s;
	uint64_t refreshes;
	uint64_t keepalives;     /* CRLF pings on its flow */
};

#define SIP_REG_OUTCOMES(X)                                              \
	X(REGISTERED,    "registered")                                   \
	X(REFRESHED,     "refreshed")                                    \
	X(REMOVED,       "removed")                                      \
	X(QUERIED,       "queried")                                      \
	X(CHALLENGED,    "challenged")                                   \
	X(STALE,         "stale nonce, challenged again")                \
	X(BAD_NONCE,     "nonce not ours, challenged again")             \
	X(BAD_PASSWORD,  "wrong password")                               \
	X(UNKNOWN_USER,  "unknown user")                                 \
	X(USER_MISMATCH, "credentials for another user than To")         \
	X(BAD_REQUEST,   "malformed REGISTER")                           \
	X(TOO_BRIEF,     "interval too brief")                           \
	X(FULL,          "registration table full")

enum sip_reg_outcome {
#define SIP_REG_ENUM(n, t) SIP_REG_##n,
	SIP_REG_OUTCOMES(SIP_REG_ENUM)
#undef SIP_REG_ENUM
	SIP_REG_OUTCOME_COUNT
};

const char *sip_reg_outcome_name(enum sip_reg_outcome o);   /* "bad_password" */
const char *sip_reg_outcome_text(enum sip_reg_outcome o);

struct sip_registrar {
	const struct sl_config *cfg;
	char realm[SL_CFG_REALM_MAX + 1];
	uint8_t secret[SIP_DIGEST_SECRET];
	struct sip_binding *b;
	unsigned cap;
	unsigned count;
	uint32_t next_id;
	uint64_t outcomes[SIP_REG_OUTCOME_COUNT];
	uint64_t expired;
};

/* 0, or -1 (errno ENOMEM). `secret` signs the nonces. */
int sip_registrar_init(struct sip_registrar *r, const struct sl_config *cfg,
		       unsigned capacity, const uint8_t secret[SIP_DIGEST_SECRET]);
void sip_registrar_fini(struct sip_registrar *r);
/* A reload: the credential store and realm may have changed. */
void sip_registrar_set_config(struct sip_registrar *r,
			      const struct sl_config *cfg);

/*
 * Handle a REGISTER: writes the whole response into `resp` and returns
 * the outcome; `why` gets a line for the log (who, what).
 */
enum sip_reg_outcome sip_registrar_register(struct sip_registrar *r,
					    const struct sip_msg *req,
					    const struct sip_peer *src,
					    int64_t now_ms, int64_t wall_s,
					    struct sip_wbuf *resp,
					    char *why, size_t why_cap);

/* Drop bindings past their expiry; returns how many. */
unsigned sip_registrar_expire(struct sip_registrar *r, int64_t now_ms);

/* The freshest binding of `user`, or NULL. */
const struct sip_binding *sip_registrar_find(const struct sip_registrar *r,
					     const char *user);

/* A CRLF keep-alive arrived on this flow: counted on its bindings. */
void sip_registrar_keepalive(struct sip_registrar *r,
			     const struct sip_peer *src);

/* The connection is gone: RFC 5626 bindings over it are removed (the
 * flow is how the endpoint is reached; it re-registers on a new one). */
unsigned sip_registrar_flow_closed(struct sip_registrar *r, uint32_t conn,
				   uint32_t conn_gen);

/* Digest check shared with the zones: the request's Authorization
 * against the store; on success *user is the authenticated name. */
enum sip_reg_outcome sip_auth_check(const struct sip_registrar *r,
				    const struct sip_msg *req,
				    const struct sip_peer *src, int64_t wall_s,
				    struct sip_digest_creds *creds);

/* The 401 challenge header (WWW-Authenticate: ...\r\n) for src. */
void sip_auth_put_challenge(const struct sip_registrar *r,
			    struct sip_wbuf *w, const struct sip_peer *src,
			    int64_t wall_s, bool stale);

#endif /* SL_SIP_REGISTRAR_H */
