/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_digest.h — HTTP digest authentication for SIP (RFC 3261 §22.4,
 * RFC 7616: MD5 and SHA-256, qop=auth or none), and the server's nonces.
 *
 *   client                                   Sluice (registrar / zone server)
 *   REGISTER ──────────────────────────────►
 *            ◄── 401 WWW-Authenticate: Digest realm="r", nonce="N",
 *                    algorithm=MD5, qop="auth"
 *   REGISTER + Authorization: Digest username="alice", realm="r",
 *            nonce="N", uri="sip:r", nc=00000001, cnonce="c", qop=auth,
 *            response="H(H(A1):N:nc:c:auth:H(A2))"  ─────────────────────►
 *            ◄── 200 OK (or 403 for a wrong password)
 *
 * Nonces are stateless: the issue time and an HMAC-SHA256 over it and the
 * client's address with a per-process secret, so a stranger's requests
 * create no server state (what a flood of REGISTERs can hold is nothing).
 * A nonce older than its lifetime is "stale": the client is challenged
 * again with stale=true and retries without asking its user.
 */
#ifndef SL_SIP_DIGEST_H
#define SL_SIP_DIGEST_H

#include <stdbool.h>
#include <stdint.h>

#include "sip_msg.h"

#define SIP_NONCE_LEN      48        /* 16 hex time + 32 hex MAC */
#define SIP_DIGEST_HEX_MAX 64        /* SHA-256 in hex */
#define SIP_DIGEST_SECRET  32

enum sip_digest_alg {
	SIP_DIGEST_MD5,
	SIP_DIGEST_SHA256,
};

/* The Authorization / Proxy-Authorization header's digest params. */
struct sip_digest_creds {
	struct sip_str username, realm, nonce, uri, response;
	struct sip_str cnonce, nc, qop, opaque, algorithm;
	enum sip_digest_alg alg;
};

/* "Digest k=v, ..." → creds. False when not Digest, a required parameter
 * (username, realm, nonce, uri, response) is missing, the algorithm is
 * unknown, or qop=auth comes without cnonce/nc. */
bool sip_digest_parse(struct sip_str value, struct sip_digest_creds *c);

/*
 * The expected response in lowercase hex (33 or 65 bytes with the NUL):
 *   HA1 = H(username:realm:password), HA2 = H(method:uri)
 *   qop=auth: H(HA1:nonce:nc:cnonce:auth:HA2), none: H(HA1:nonce:HA2)
 */
bool sip_digest_expected(const struct sip_digest_creds *c,
			 struct sip_str method, const char *password,
			 char out[SIP_DIGEST_HEX_MAX + 1]);

/* The response matches the password (compared in constant time). */
bool sip_digest_verify(const struct sip_digest_creds *c, struct sip_str method,
		       const char *password);

enum sip_nonce_state {
	SIP_NONCE_OK,
	SIP_NONCE_STALE,     /* ours, but older than max_age_s */
	SIP_NONCE_BAD,       /* not ours, or for another address */
};

void sip_nonce_make(const uint8_t secret[SIP_DIGEST_SECRET], uint64_t now_s,
		    uint32_t client_ip, char out[SIP_NONCE_LEN + 1]);
enum sip_nonce_state sip_nonce_check(const uint8_t secret[SIP_DIGEST_SECRET],
				     struct sip_str nonce, uint64_t now_s,
				     uint32_t client_ip, uint32_t max_age_s);

/* The WWW-Authenticate / Proxy-Authenticate value. Returns the length
 * written, or -1 if it does not fit. */
int sip_digest_challenge(char *out, size_t cap, const char *realm,
			 const char *nonce, enum sip_digest_alg alg,
			 bool stale);

#endif /* SL_SIP_DIGEST_H */
