/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * turn_auth.h — what a TURN server decides about a request beyond its
 * syntax: the long-term credential keys, stateless nonces, TURN REST
 * ephemeral credentials, the password-algorithm negotiation of RFC 8489,
 * and which peer addresses may be relayed to. Pure C over stun.h (OpenSSL
 * libcrypto's digests, no DPDK, no allocation, no system calls: the
 * caller passes the time).
 *
 * Long-term key (RFC 8489 §9.2.2), by PASSWORD-ALGORITHM:
 *   MD5      MD5(username ":" realm ":" password)        16 bytes
 *   SHA-256  SHA-256(username ":" realm ":" password)    32 bytes
 * then stun_key_init() on it, once per credential.
 *
 * Nonce (stateless: any worker validates any nonce, nothing is stored):
 *
 *   obMatJos2 FFFF EEEEEEEE MMMMMMMMMMMMMMMM      37 characters
 *   |         |    |        |
 *   |         |    |        base64(HMAC-SHA256(secret, the 21 characters
 *   |         |    |          before it | family | port | address)[0..12))
 *   |         |    expiry, unix seconds, 8 lower-case hex digits
 *   |         base64 of the 24-bit security feature set (bit 0 = MSB:
 *   |           password algorithms, bit 1: username anonymity)
 *   the RFC 8489 §9.2 nonce cookie
 *
 * The MAC binds the nonce to the client's transport address and covers the
 * cookie, the features and the expiry, so neither can be altered (which
 * also stops the bid-down attack of §9.2.1). Validation: wrong length,
 * cookie, alphabet or MAC, or another client address → BAD (401 with a
 * fresh nonce); MAC right but expiry passed → STALE (438 with a fresh
 * nonce). Two secrets (current, previous) let the secret rotate without
 * turning live nonces bad.
 *
 * TURN REST credentials (draft-uberti-behave-turn-rest, coturn's
 * use-auth-secret): username "EXPIRY" or "EXPIRY:user", EXPIRY in unix
 * seconds; password = base64(HMAC-SHA1(shared secret, username)). The
 * username is refused once now >= EXPIRY, on every request (Allocate,
 * Refresh, ...). The long-term key is then made from that password as from
 * any other.
 *
 * Peer policy: see turn_peer_check() below and docs/turn.md for the table.
 */
#ifndef SLUICE_TURN_AUTH_H
#define SLUICE_TURN_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stun.h"

#define TURN_KEY_MAX 32   /* long-term key bytes, SHA-256 */

/*
 * The long-term key of user/realm/password for PASSWORD-ALGORITHM alg
 * (STUN_PWALG_MD5 or STUN_PWALG_SHA256): its length (16 or 32), or 0 for
 * another algorithm.
 */
size_t turn_longterm_key(uint16_t alg, const void *user, size_t ulen,
			 const void *realm, size_t rlen, const void *pass,
			 size_t plen, uint8_t key[TURN_KEY_MAX]);

/* ---- nonces -------------------------------------------------------------- */

#define TURN_NONCE_COOKIE      "obMatJos2"
#define TURN_NONCE_LEN         37
#define TURN_FEATURE_PASSWORD_ALGORITHMS UINT32_C(0x800000)   /* bit 0 */
#define TURN_FEATURE_USERNAME_ANONYMITY  UINT32_C(0x400000)   /* bit 1 */

/*
 * The nonce secrets. Read-only for the workers once published: the owner
 * (the service thread) rotates by preparing a new struct and publishing
 * its pointer (RCU), never by writing one the workers read.
 */
struct turn_nonce_keys {
	struct stun_key cur;
	struct stun_key prev;
	bool has_prev;
};

/* A first secret (>= 16 random bytes). */
void turn_nonce_keys_init(struct turn_nonce_keys *k, const void *secret,
			  size_t len);
/* next = k with a new current secret, k's current becoming previous. */
void turn_nonce_keys_rotate(struct turn_nonce_keys *next,
			    const struct turn_nonce_keys *k,
			    const void *secret, size_t len);

/*
 * Writes the TURN_NONCE_LEN characters (no NUL) of a nonce for client,
 * valid until expiry (unix seconds, < 2^32), advertising features (24
 * bits: TURN_FEATURE_*).
 */
void turn_nonce_make(const struct turn_nonce_keys *k, uint32_t features,
		     uint64_t expiry, const struct stun_addr *client,
		     char out[TURN_NONCE_LEN]);

enum turn_nonce_status {
	TURN_NONCE_OK,
	TURN_NONCE_STALE,        /* ours, expired: 438 */
	TURN_NONCE_BAD,          /* not ours, altered, other client: 401 */
};

/* Validates len bytes of a NONCE from client at time now; on OK and
 * STALE, *features (may be NULL) is the feature set it carries. */
enum turn_nonce_status turn_nonce_check(const struct turn_nonce_keys *k,
					const void *nonce, size_t len,
					const struct stun_addr *client,
					uint64_t now, uint32_t *features);

const char *turn_nonce_status_name(enum turn_nonce_status s);

/*
 * Which password algorithm a long-term-authenticated request uses, by the
 * checks of RFC 8489 §9.2.4: with the password-algorithms feature in its
 * nonce, either neither PASSWORD-ALGORITHMS nor PASSWORD-ALGORITHM (MD5),
 * or both, the list equal to `offered` (what the server sends with its
 * nonces) and the choice one of them; without it, MD5. STUN_OK and *alg,
 * or STUN_E_ATTR_VALUE (answer 400).
 */
enum stun_err turn_password_algorithm(const struct stun_msg *m,
				      uint32_t nonce_features,
				      const uint16_t *offered,
				      unsigned n_offered, uint16_t *alg);

/* ---- TURN REST ephemeral credentials ------------------------------------- */

#define TURN_REST_PASSWORD_LEN 28   /* base64 of 20 bytes */

enum turn_rest_status {
	TURN_REST_OK,
	TURN_REST_MALFORMED,     /* not EXPIRY[:user], or EXPIRY overflows */
	TURN_REST_EXPIRED,       /* now >= EXPIRY */
};

/* Parses the username's EXPIRY (decimal digits up to ':' or the end). */
enum turn_rest_status turn_rest_expiry(const void *username, size_t len,
				       uint64_t *expiry);
/* turn_rest_expiry, then the time check. */
enum turn_rest_status turn_rest_check(const void *username, size_t len,
				      uint64_t now);

/* The password of a REST username under the shared secret (prepared with
 * stun_key_init): TURN_REST_PASSWORD_LEN characters, no NUL. */
void turn_rest_password(const struct stun_key *secret, const void *username,
			size_t len, char out[TURN_REST_PASSWORD_LEN]);

/*
 * All of it for one request: the username checked at now, its password
 * derived, the long-term key for alg made. TURN_REST_OK with *key_len set
 * (16 or 32), or why not (MALFORMED also for an unknown alg).
 */
enum turn_rest_status turn_rest_key(const struct stun_key *secret,
				    const void *username, size_t ulen,
				    const void *realm, size_t rlen,
				    uint16_t alg, uint64_t now,
				    uint8_t key[TURN_KEY_MAX],
				    size_t *key_len);

const char *turn_rest_status_name(enum turn_rest_status s);

/* ---- peer address policy ------------------------------------------------- */

/*
 * A CIDR, IPv4 or IPv6, held as IPv6: IPv4 a.b.c.d/n is ::ffff:a.b.c.d
 * with length 96 + n, so that one 128-bit comparison serves both.
 */
struct turn_prefix {
	uint8_t addr[16];
	uint8_t len;              /* 0..128 */
};

/* "10.0.0.0/8", "2001:db8::/32", or an address alone (/32, /128).
 * 0, or -1 on a syntax error or host bits set past the length. */
int turn_prefix_parse(const char *s, struct turn_prefix *p);
/* From the configuration's IPv4 form (address in network order). */
void turn_prefix_from_ipv4(struct turn_prefix *p, uint32_t addr_be,
			   uint8_t len);

#define TURN_POLICY_MAX_ALLOWED 64   /* = SL_CFG_MAX_PEERS */
/* interfaces and their public addresses (2 x 2), relay addresses (64),
 * room to spare */
#define TURN_POLICY_MAX_OWN     80

/*
 * Built by the owner from the configuration, read-only afterwards (any
 * number of workers, published like the nonce keys).
 */
struct turn_peer_policy {
	struct turn_prefix allowed[TURN_POLICY_MAX_ALLOWED];
	unsigned n_allowed;
	uint8_t own[TURN_POLICY_MAX_OWN][16];   /* IPv6 form, as prefixes */
	unsigned n_own;
};

void turn_peer_policy_init(struct turn_peer_policy *p);
/* turn.allowed_peers: exempt a prefix from the default deny list.
 * 0, or -1 when full. */
int turn_peer_policy_allow(struct turn_peer_policy *p,
			   const struct turn_prefix *pfx);
/* An address of the appliance (interface, public NAT address): never a
 * peer, allowed_peers or not. 0, or -1 when full. */
int turn_peer_policy_add_own(struct turn_peer_policy *p,
			     const struct stun_addr *a);

enum turn_peer_verdict {
	TURN_PEER_ALLOWED,       /* a public address */
	TURN_PEER_EXEMPTED,      /* in a denied range, but in allowed_peers */
	TURN_PEER_DENIED,        /* a special-purpose or internal range: 403 */
	TURN_PEER_DENIED_OWN,    /* the appliance itself: 403 */
};

/*
 * Whether peer (its address; the port is not judged) may be relayed to.
 * The address is normalised first (turn_peer_normalise), so that no IPv6
 * spelling of an IPv4 address reaches a different verdict. *range (may
 * be NULL) names the denied range that matched ("10.0.0.0/8 private").
 */
enum turn_peer_verdict turn_peer_check(const struct turn_peer_policy *p,
				       const struct stun_addr *peer,
				       const char **range);

static inline bool turn_peer_permitted(enum turn_peer_verdict v)
{
	return v == TURN_PEER_ALLOWED || v == TURN_PEER_EXEMPTED;
}

const char *turn_peer_verdict_name(enum turn_peer_verdict v);

/*
 * The IPv4 address an IPv6 one stands for, when it does: IPv4-mapped
 * ::ffff:a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d, IPv4-compatible
 * ::a.b.c.d (but not :: and ::1) and the NAT64 well-known prefix
 * 64:ff9b::a.b.c.d. Anything else is copied as is.
 */
void turn_peer_normalise(const struct stun_addr *in, struct stun_addr *out);

#endif /* SLUICE_TURN_AUTH_H */
