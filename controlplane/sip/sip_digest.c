/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_digest.c — digest responses (MD5, SHA-256 through OpenSSL's EVP)
 * and stateless HMAC nonces. See sip_digest.h.
 */
#include "sip_digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>

#include "sip_hdr.h"

bool sip_digest_parse(struct sip_str value, struct sip_digest_creds *c)
{
	struct sip_str p;

	memset(c, 0, sizeof(*c));
	if (!sip_auth_scheme(value, "Digest", &p))
		return false;
	if (!sip_auth_param(p, "username", &c->username) ||
	    !sip_auth_param(p, "realm", &c->realm) ||
	    !sip_auth_param(p, "nonce", &c->nonce) ||
	    !sip_auth_param(p, "uri", &c->uri) ||
	    !sip_auth_param(p, "response", &c->response))
		return false;
	(void)sip_auth_param(p, "cnonce", &c->cnonce);
	(void)sip_auth_param(p, "nc", &c->nc);
	(void)sip_auth_param(p, "qop", &c->qop);
	(void)sip_auth_param(p, "opaque", &c->opaque);
	c->alg = SIP_DIGEST_MD5;
	if (sip_auth_param(p, "algorithm", &c->algorithm)) {
		if (sip_str_ieq(c->algorithm, "SHA-256"))
			c->alg = SIP_DIGEST_SHA256;
		else if (!sip_str_ieq(c->algorithm, "MD5"))
			return false;
	}
	if (c->qop.len > 0 && (!sip_str_ieq(c->qop, "auth") ||
			       c->cnonce.len == 0 || c->nc.len != 8))
		return false;
	return c->username.len > 0 && c->nonce.len > 0;
}

/* H(parts joined by ':') in lowercase hex. */
static bool hash_hex(enum sip_digest_alg alg, const struct sip_str *parts,
		     unsigned n, char *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	bool ok = ctx != NULL &&
		  EVP_DigestInit_ex(ctx, alg == SIP_DIGEST_SHA256 ?
					 EVP_sha256() : EVP_md5(), NULL) == 1;

	for (unsigned i = 0; ok && i < n; i++) {
		if (i > 0)
			ok = EVP_DigestUpdate(ctx, ":", 1) == 1;
		if (ok && parts[i].len > 0)
			ok = EVP_DigestUpdate(ctx, parts[i].p, parts[i].len) == 1;
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return false;
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return true;
}

bool sip_digest_expected(const struct sip_digest_creds *c,
			 struct sip_str method, const char *password,
			 char out[SIP_DIGEST_HEX_MAX + 1])
{
	char ha1[SIP_DIGEST_HEX_MAX + 1], ha2[SIP_DIGEST_HEX_MAX + 1];
	struct sip_str a1[3] = { c->username, c->realm, sip_str_c(password) };
	struct sip_str a2[2] = { method, c->uri };

	if (!hash_hex(c->alg, a1, 3, ha1) || !hash_hex(c->alg, a2, 2, ha2))
		return false;
	if (c->qop.len > 0) {
		struct sip_str r[6] = { sip_str_c(ha1), c->nonce, c->nc,
					c->cnonce, c->qop, sip_str_c(ha2) };

		return hash_hex(c->alg, r, 6, out);
	}
	struct sip_str r[3] = { sip_str_c(ha1), c->nonce, sip_str_c(ha2) };

	return hash_hex(c->alg, r, 3, out);
}

bool sip_digest_verify(const struct sip_digest_creds *c, struct sip_str method,
		       const char *password)
{
	char want[SIP_DIGEST_HEX_MAX + 1];
	char got[SIP_DIGEST_HEX_MAX + 1];
	size_t n;

	if (!sip_digest_expected(c, method, password, want))
		return false;
	n = strlen(want);
	if (c->response.len != n)
		return false;
	/* hex digits in either case */
	for (size_t i = 0; i < n; i++) {
		char ch = c->response.p[i];

		got[i] = (char)(ch >= 'A' && ch <= 'F' ? ch - 'A' + 'a' : ch);
	}
	return CRYPTO_memcmp(want, got, n) == 0;
}

/* ---- nonces -------------------------------------------------------------------- */

static void nonce_mac(const uint8_t secret[SIP_DIGEST_SECRET], uint64_t t,
		      uint32_t ip, char out[33])
{
	uint8_t msg[12], mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0;

	for (int i = 0; i < 8; i++)
		msg[i] = (uint8_t)(t >> (56 - 8 * i));
	memcpy(msg + 8, &ip, 4);
	HMAC(EVP_sha256(), secret, SIP_DIGEST_SECRET, msg, sizeof(msg), mac,
	     &maclen);
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

void sip_nonce_make(const uint8_t secret[SIP_DIGEST_SECRET], uint64_t now_s,
		    uint32_t client_ip, char out[SIP_NONCE_LEN + 1])
{
	snprintf(out, 17, "%016llx", (unsigned long long)now_s);
	nonce_mac(secret, now_s, client_ip, out + 16);
}

enum sip_nonce_state sip_nonce_check(const uint8_t secret[SIP_DIGEST_SECRET],
				     struct sip_str nonce, uint64_t now_s,
				     uint32_t client_ip, uint32_t max_age_s)
{
	char want[33];
	uint64_t t = 0;

	if (nonce.len != SIP_NONCE_LEN)
		return SIP_NONCE_BAD;
	for (int i = 0; i < 16; i++) {
		char ch = nonce.p[i];
		unsigned d;

		if (ch >= '0' && ch <= '9')
			d = (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			d = (unsigned)(ch - 'a' + 10);
		else
			return SIP_NONCE_BAD;
		t = (t << 4) | d;
	}
	nonce_mac(secret, t, client_ip, want);
	if (CRYPTO_memcmp(want, nonce.p + 16, 32) != 0)
		return SIP_NONCE_BAD;
	if (t > now_s + 5)   /* from the future: not ours */
		return SIP_NONCE_BAD;
	return now_s - t > max_age_s ? SIP_NONCE_STALE : SIP_NONCE_OK;
}

int sip_digest_challenge(char *out, size_t cap, const char *realm,
			 const char *nonce, enum sip_digest_alg alg,
			 bool stale)
{
	int n = snprintf(out, cap,
			 "Digest realm=\"%s\", nonce=\"%s\", algorithm=%s, "
			 "qop=\"auth\"%s", realm, nonce,
			 alg == SIP_DIGEST_SHA256 ? "SHA-256" : "MD5",
			 stale ? ", stale=true" : "");

	return n < 0 || (size_t)n >= cap ? -1 : n;
}
