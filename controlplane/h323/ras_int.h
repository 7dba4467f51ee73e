/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ras_int.h — what the RAS service's files share: the service struct, the
 * request being handled, and helpers for logging, addresses, credentials
 * and sending. Not for the host (see ras.h).
 *
 *   ras_service.c   create, dispatch, GRQ, XRS, tick, logging, sending
 *   ras_reg.c       the registration table
 *   ras_register.c  RRQ (full and keep-alive), URQ, H.235 checks
 *   ras_call.c      incoming calls: SCI/SCR, Facility matching
 *   ras_zone.c      traversal zones: keep-alive SCI/SCR, LRQ
 */
#ifndef SL_RAS_INT_H
#define SL_RAS_INT_H

#include "h225_ras.h"
#include "ras.h"

#define RAS_REG_CHUNK 256      /* registrations allocated this many at once */
#define RAS_LOG_BURST 10       /* stranger-caused lines per window ... */
#define RAS_LOG_WINDOW_MS 10000

struct ras_service {
	const struct sl_config *cfg;
	struct ras_params p;
	struct ras_host h;
	struct ras_counters ctr;

	/* Registrations live in chunks so that pointers stay valid while
	 * the table grows (up to cap, allocated as needed). */
	struct ras_reg **chunks;
	uint32_t n_slots;          /* slots handed out so far */
	uint32_t n_used;
	uint32_t cap;
	uint32_t next_id;

	struct ras_call calls[RAS_CALLS_MAX];
	uint32_t next_call_id;
	uint16_t seq;              /* our requestSeqNum (SCI) */

	struct ras_zone_peer zones[SL_CFG_MAX_ZONES];

	int64_t log_window_ms;     /* rate limit for stranger-caused lines */
	unsigned log_in_window;
	uint64_t log_suppressed;

	struct per_arena arena;
	uint8_t arena_mem[H225_RAS_ARENA_SIZE];
	struct h225_ras_msg in;
	struct h225_ras_msg out;
	uint8_t enc[H225_RAS_MAX_SIZE];
};

/* The datagram being answered. */
struct ras_req {
	unsigned sock;
	struct ras_addr from;
	const struct ras_clock *now;
	const struct h225_ras_msg *m;
	const uint8_t *raw;
	size_t raw_len;
	char peer[24];             /* "192.0.2.1:40000" */
};

/* ---- ras_service.c ------------------------------------------------------- */

void ras_log(struct ras_service *s, enum sl_log_level level,
	     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same for lines a stranger can cause: at most RAS_LOG_BURST per
 * RAS_LOG_WINDOW_MS, the rest counted and summarised. */
void ras_log_limited(struct ras_service *s, int64_t now_ms,
		     enum sl_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* IPv4 transport address (ip in network order). */
void ras_ta_ip(struct h225_transport_address *ta, uint32_t ip,
	       uint16_t port);
/* Our RAS address on `sock`, and our call-signalling address (1720). */
void ras_ta_ours(const struct ras_service *s, unsigned sock,
		 struct h225_transport_address *ta);
void ras_ta_signal(const struct ras_service *s,
		   struct h225_transport_address *ta);
/* The gatekeeperIdentifier as a BMPString over `store`. */
struct per_bmp ras_gk_id(const struct ras_service *s, uint16_t *store,
			 size_t cap);

const struct sl_credential *ras_cred_find(const struct ras_service *s,
					  const char *username);
/* Whether a featureSet / genericData list carries H.460.<feature>. */
bool ras_has_feature(bool has_fs, const struct h225_feature_set *fs,
		     bool has_gd, const struct h225_generic_data_list *gd,
		     unsigned feature);
/* protocolIdentifier 0.0.8.2250.0.N with N >= 4: SecurityErrors exist. */
bool ras_proto_v4(const struct per_oid *pid);

/* Encodes s->out (or *m) and sends it; counts and logs failures.
 * Returns 0 or -1. */
int ras_send(struct ras_service *s, unsigned sock, struct ras_addr to,
	     const struct h225_ras_msg *m);
/* Answers the request with UnknownMessageResponse. */
void ras_reply_xrs(struct ras_service *s, const struct ras_req *r);

/* ---- ras_reg.c ----------------------------------------------------------- */

struct ras_reg *ras_reg_at(const struct ras_service *s, uint32_t i);
struct ras_reg *ras_reg_find_epid(const struct ras_service *s,
				  const char *epid);
struct ras_reg *ras_reg_find_alias(const struct ras_service *s,
				   const char *text);
struct ras_reg *ras_reg_find_ras(const struct ras_service *s,
				 struct ras_addr a);
/* A free slot, or NULL with errno ENOSPC (capacity) or ENOMEM. */
struct ras_reg *ras_reg_alloc(struct ras_service *s);
void ras_reg_free(struct ras_service *s, struct ras_reg *r);
/* "alice,1001" for logs. */
void ras_reg_aliases_text(const struct ras_reg *r, char *out, size_t cap);
void ras_reg_expire(struct ras_service *s, const struct ras_clock *now);
int ras_reg_free_all(struct ras_service *s);

/* ---- ras_register.c ------------------------------------------------------ */

void ras_on_rrq(struct ras_service *s, const struct ras_req *r);
void ras_on_urq(struct ras_service *s, const struct ras_req *r);

enum ras_auth {
	RAS_AUTH_OK,
	RAS_AUTH_DENIED,       /* no token, unknown user, wrong password */
	RAS_AUTH_CLOCK,        /* right password, timestamp too far off */
};

/* Checks the cryptoEPPwdHash in tokens (has: whether present). With
 * `user` non-NULL the token's alias must be that user; otherwise the
 * alias names the user, returned in user_out (SL_CFG_USER_MAX + 1).
 * `what` names the request in the log lines. */
enum ras_auth ras_authenticate(struct ras_service *s, const struct ras_req *r,
			       bool has,
			       const struct h225_crypto_h323_token_list *tokens,
			       const char *user, char *user_out,
			       const char *what);

/* ---- ras_call.c ---------------------------------------------------------- */

void ras_on_scr(struct ras_service *s, const struct ras_req *r);
void ras_calls_tick(struct ras_service *s, const struct ras_clock *now);
/* Registration r is going away: its calls still being set up fail. */
void ras_calls_reg_gone(struct ras_service *s, const struct ras_reg *r,
			const char *why, const struct ras_clock *now);

/* ---- ras_zone.c ---------------------------------------------------------- */

void ras_on_sci(struct ras_service *s, const struct ras_req *r);
void ras_on_lrq(struct ras_service *s, const struct ras_req *r);
void ras_zones_tick(struct ras_service *s, const struct ras_clock *now);

#endif /* SL_RAS_INT_H */
