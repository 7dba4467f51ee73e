/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h235_pwd.h — H.235 password hashing (CryptoH323Token cryptoEPPwdHash):
 * how an endpoint proves it knows the password of its alias without
 * sending it, and how the gatekeeper checks it.
 *
 * The hash is MD5 (algorithmOID 1.2.840.113549.2.5) over the PER ALIGNED
 * encoding of the EncodedPwdCertToken, a ClearToken holding
 *
 *     tokenOID   0.0
 *     timeStamp  the token's timeStamp (seconds since 1970-01-01 UTC)
 *     password   the password, BMPString
 *     generalID  the alias (cryptoEPPwdHash.alias), BMPString
 *
 * in that (ASN.1) order. Deployed endpoints (Cisco, Tandberg/Polycom and
 * every OpenH323/H323Plus/GnuGk derivative) put a terminating NUL
 * character at the end of both BMPStrings; the plain form, as a strict
 * reading of H.235 gives it, is accepted as well. The hash covers the
 * alias and the timestamp, not the rest of the message, so the check
 * proves possession of the password at a time close to "now": a token
 * whose timestamp is outside the allowed skew is refused, which is why
 * traversal deployments require NTP on every endpoint.
 */
#ifndef SL_H235_PWD_H
#define SL_H235_PWD_H

#include <stdint.h>

#include "h225_types.h"

#define H235_PWD_HASH_LEN 16		/* MD5 */

/* 1.2.840.113549.2.5 (MD5) */
extern const struct per_oid h235_oid_md5;

enum h235_pwd_result {
	H235_PWD_OK,
	H235_PWD_NO_TOKEN,		/* no cryptoEPPwdHash at all */
	H235_PWD_BAD_ALGORITHM,		/* not MD5, or not 128 bits */
	H235_PWD_BAD_HASH,		/* wrong password (or alias) */
	H235_PWD_CLOCK_SKEW,		/* right password, timestamp too far */
	H235_PWD_INTERNAL,		/* could not compute (alias too long) */
};

const char *h235_pwd_result_name(enum h235_pwd_result r);

/* The first cryptoEPPwdHash of a token list, or NULL. */
const struct h225_crypto_ep_pwd_hash *
h235_find_ep_pwd_hash(const struct h225_crypto_h323_token_list *l);

/* The alias as text (UTF-8, NUL-terminated): h323-ID converted, the
 * string forms as they are. Returns 0, or -1 for alias kinds that have no
 * text (transportID, partyNumber, ...) or text longer than cap - 1. */
int h235_alias_text(const struct h225_alias_address *a, char *out,
		    size_t cap);

/* MD5 of the EncodedPwdCertToken for alias/password/timestamp, with or
 * without the terminating NULs (see above). Returns 0, or -1 when the
 * alias or password cannot be put in a BMPString(SIZE(1..128)). */
int h235_pwd_hash(const struct h225_alias_address *alias,
		  const char *password, uint32_t time_stamp, bool with_nul,
		  uint8_t out[H235_PWD_HASH_LEN]);

/*
 * Checks token t against `password` at wall-clock time now_s. The hash is
 * checked before the clock, so CLOCK_SKEW means the sender knows the
 * password and its clock is off: *offset_s (always set) is the token's
 * time minus ours, positive when the sender is ahead.
 */
enum h235_pwd_result h235_pwd_verify(const struct h225_crypto_ep_pwd_hash *t,
				     const char *password, int64_t now_s,
				     uint32_t max_skew_s, int64_t *offset_s);

/* Fills *tok as a cryptoEPPwdHash for alias/password/time_stamp (the
 * NUL-terminated form, as deployed endpoints send it); hash_store holds
 * the hash bits and must outlive the token. Returns 0 or -1. */
int h235_pwd_token_build(struct h225_crypto_h323_token *tok,
			 const struct h225_alias_address *alias,
			 const char *password, uint32_t time_stamp,
			 uint8_t hash_store[H235_PWD_HASH_LEN]);

#endif /* SL_H235_PWD_H */
