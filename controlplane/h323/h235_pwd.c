/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h235_pwd.c — cryptoEPPwdHash: build the EncodedPwdCertToken with the
 * PER codec, MD5 it (OpenSSL EVP), compare in constant time, then judge
 * the timestamp. See h235_pwd.h for the construction and its sources.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "h235_pwd.h"

#define H235_ID_MAX 128		/* Identifier/Password: BMPString(1..128) */

const struct per_oid h235_oid_md5 = PER_OID_INIT(1, 2, 840, 113549, 2, 5);

/* tokenOID of the hashed ClearToken, as every deployed stack sends it. */
static const struct per_oid pwd_cert_token_oid = PER_OID_INIT(0, 0);

const char *h235_pwd_result_name(enum h235_pwd_result r)
{
	switch (r) {
	case H235_PWD_OK: return "ok";
	case H235_PWD_NO_TOKEN: return "no cryptoEPPwdHash token";
	case H235_PWD_BAD_ALGORITHM: return "hash algorithm is not MD5";
	case H235_PWD_BAD_HASH: return "wrong password";
	case H235_PWD_CLOCK_SKEW: return "timestamp outside the allowed skew";
	case H235_PWD_INTERNAL: return "alias or password not hashable";
	}
	return "?";
}

const struct h225_crypto_ep_pwd_hash *
h235_find_ep_pwd_hash(const struct h225_crypto_h323_token_list *l)
{
	for (size_t i = 0; l != NULL && i < l->n; i++)
		if (l->items[i].tag == H225_CRYPTO_EP_PWD_HASH)
			return &l->items[i].u.crypto_ep_pwd_hash;
	return NULL;
}

static int copy_text(const char *s, char *out, size_t cap)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n >= cap)
		return -1;
	memcpy(out, s, n + 1);
	return 0;
}

int h235_alias_text(const struct h225_alias_address *a, char *out,
		    size_t cap)
{
	switch (a->tag) {
	case H225_ALIAS_H323_ID:
		if (a->u.h323_id.len == 0 ||
		    per_bmp_to_utf8(a->u.h323_id, out, cap) >= cap)
			return -1;
		return 0;
	case H225_ALIAS_DIALED_DIGITS:
		return copy_text(a->u.dialed_digits, out, cap);
	case H225_ALIAS_URL_ID:
		return copy_text(a->u.url_id, out, cap);
	case H225_ALIAS_EMAIL_ID:
		return copy_text(a->u.email_id, out, cap);
	default:
		return -1;
	}
}

/* The alias as the BMPString the hash covers, into chars[H235_ID_MAX]. */
static int alias_bmp(const struct h225_alias_address *a, bool with_nul,
		     uint16_t *chars, struct per_bmp *out)
{
	const char *ascii = NULL;
	size_t n = 0;

	switch (a->tag) {
	case H225_ALIAS_H323_ID:
		n = a->u.h323_id.len;
		if (n + with_nul > H235_ID_MAX)
			return -1;
		if (n > 0)
			memcpy(chars, a->u.h323_id.chars, 2 * n);
		break;
	case H225_ALIAS_DIALED_DIGITS: ascii = a->u.dialed_digits; break;
	case H225_ALIAS_URL_ID: ascii = a->u.url_id; break;
	case H225_ALIAS_EMAIL_ID: ascii = a->u.email_id; break;
	default: return -1;
	}
	if (ascii != NULL) {
		n = strlen(ascii);
		if (n + with_nul > H235_ID_MAX)
			return -1;
		for (size_t i = 0; i < n; i++)
			chars[i] = (unsigned char)ascii[i];
	}
	if (n == 0)
		return -1;
	if (with_nul)
		chars[n++] = 0;
	out->chars = chars;
	out->len = n;
	return 0;
}

static int password_bmp(const char *password, bool with_nul,
			uint16_t *chars, struct per_bmp *out)
{
	uint8_t mem[4 * (H235_ID_MAX + 8)];
	struct per_arena a;
	struct per_bmp tmp;

	per_arena_init(&a, mem, sizeof(mem));
	if (strlen(password) > 3 * H235_ID_MAX ||
	    per_bmp_from_utf8(&a, password, &tmp) < 0 ||
	    tmp.len == 0 || tmp.len + with_nul > H235_ID_MAX)
		return -1;
	memcpy(chars, tmp.chars, 2 * tmp.len);
	if (with_nul)
		chars[tmp.len] = 0;
	out->chars = chars;
	out->len = tmp.len + with_nul;
	return 0;
}

static int md5(const uint8_t *buf, size_t len, uint8_t out[H235_PWD_HASH_LEN])
{
	unsigned int n = 0;

	if (EVP_Digest(buf, len, out, &n, EVP_md5(), NULL) != 1 ||
	    n != H235_PWD_HASH_LEN)
		return -1;
	return 0;
}

int h235_pwd_hash(const struct h225_alias_address *alias,
		  const char *password, uint32_t time_stamp, bool with_nul,
		  uint8_t out[H235_PWD_HASH_LEN])
{
	uint16_t id_chars[H235_ID_MAX], pw_chars[H235_ID_MAX];
	struct h235_clear_token ct;
	uint8_t enc[1024];
	size_t len;
	int rc;

	if (time_stamp == 0)
		return -1;	/* TimeStamp is 1..4294967295 */
	memset(&ct, 0, sizeof(ct));
	ct.token_oid = pwd_cert_token_oid;
	ct.has_time_stamp = true;
	ct.time_stamp = time_stamp;
	ct.has_password = true;
	ct.has_general_id = true;
	if (alias_bmp(alias, with_nul, id_chars, &ct.general_id) < 0 ||
	    password_bmp(password, with_nul, pw_chars, &ct.password) < 0 ||
	    per_encode(&h235_t_clear_token, &ct, enc, sizeof(enc), &len,
		       NULL) < 0)
		rc = -1;
	else
		rc = md5(enc, len, out);
	OPENSSL_cleanse(pw_chars, sizeof(pw_chars));
	OPENSSL_cleanse(enc, sizeof(enc));
	return rc;
}

static bool hash_matches(const struct h225_crypto_ep_pwd_hash *t,
			 const char *password, bool with_nul, bool *computed)
{
	uint8_t want[H235_PWD_HASH_LEN];

	if (h235_pwd_hash(&t->alias, password, t->time_stamp, with_nul,
			  want) < 0)
		return false;
	*computed = true;
	return CRYPTO_memcmp(want, t->token.hash.data, sizeof(want)) == 0;
}

enum h235_pwd_result h235_pwd_verify(const struct h225_crypto_ep_pwd_hash *t,
				     const char *password, int64_t now_s,
				     uint32_t max_skew_s, int64_t *offset_s)
{
	int64_t off;
	bool computed = false;

	*offset_s = 0;
	if (t == NULL)
		return H235_PWD_NO_TOKEN;
	if (!per_oid_eq(&t->token.algorithm_oid, &h235_oid_md5) ||
	    t->token.hash.nbits != 8 * H235_PWD_HASH_LEN)
		return H235_PWD_BAD_ALGORITHM;
	off = (int64_t)t->time_stamp - now_s;
	*offset_s = off;
	if (!hash_matches(t, password, true, &computed) &&
	    !hash_matches(t, password, false, &computed))
		return computed ? H235_PWD_BAD_HASH : H235_PWD_INTERNAL;
	if (off > (int64_t)max_skew_s || -off > (int64_t)max_skew_s)
		return H235_PWD_CLOCK_SKEW;
	return H235_PWD_OK;
}

int h235_pwd_token_build(struct h225_crypto_h323_token *tok,
			 const struct h225_alias_address *alias,
			 const char *password, uint32_t time_stamp,
			 uint8_t hash_store[H235_PWD_HASH_LEN])
{
	struct h225_crypto_ep_pwd_hash *p;

	if (h235_pwd_hash(alias, password, time_stamp, true, hash_store) < 0)
		return -1;
	memset(tok, 0, sizeof(*tok));
	tok->tag = H225_CRYPTO_EP_PWD_HASH;
	p = &tok->u.crypto_ep_pwd_hash;
	p->alias = *alias;
	p->time_stamp = time_stamp;
	p->token.algorithm_oid = h235_oid_md5;
	p->token.hash.data = hash_store;
	p->token.hash.nbits = 8 * H235_PWD_HASH_LEN;
	return 0;
}
