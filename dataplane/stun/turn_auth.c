/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * turn_auth.c — long-term keys, stateless nonces, TURN REST credentials,
 * the password-algorithm checks and the peer address policy (see
 * turn_auth.h for the contract and the nonce layout).
 *
 * Where it sits: the dataplane's TURN stage calls turn_nonce_check(),
 * turn_rest_check() and turn_peer_check() per request on the workers; the
 * control plane makes the keys (turn_longterm_key, stun_key_init) and the
 * policy from the configuration, once.
 *
 * Cost per Allocate on a worker: the nonce's HMAC-SHA256 is two SHA-256
 * compressions (the MAC input, 40 bytes at most, is one block), the peer
 * check a scan of 26 prefixes. Neither allocates nor calls the kernel.
 *
 * Like stun.c, this file uses OpenSSL's low-level digests (MD5, SHA-256)
 * at the 1.1.1 API level, for the same reason: no allocation.
 */
#define OPENSSL_API_COMPAT 10101

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/md5.h>
#include <openssl/sha.h>

#include "turn_auth.h"

#define NONCE_COOKIE_LEN   9         /* "obMatJos2" */
#define NONCE_FEATURES_AT  9         /* 4 base64 characters */
#define NONCE_EXPIRY_AT    13        /* 8 hex digits */
#define NONCE_MAC_AT       21        /* 16 base64 characters */
#define NONCE_MAC_BYTES    12

_Static_assert(NONCE_MAC_AT + 16 == TURN_NONCE_LEN, "nonce layout");
_Static_assert(sizeof(TURN_NONCE_COOKIE) - 1 == NONCE_COOKIE_LEN,
	       "nonce cookie");

/* ---- base64 (RFC 4648, standard alphabet, '=' padding) ------------------- */

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Encodes n bytes into 4 * ceil(n / 3) characters (no NUL). */
static void b64_encode(const uint8_t *in, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
			     in[i + 2];

		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = b64_alphabet[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;

		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = '=';
		out[o++] = '=';
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;

		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = '=';
	}
}

static int b64_value(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* ---- long-term keys ------------------------------------------------------ */

size_t turn_longterm_key(uint16_t alg, const void *user, size_t ulen,
			 const void *realm, size_t rlen, const void *pass,
			 size_t plen, uint8_t key[TURN_KEY_MAX])
{
	if (alg == STUN_PWALG_MD5) {
		MD5_CTX c;

		MD5_Init(&c);
		MD5_Update(&c, user, ulen);
		MD5_Update(&c, ":", 1);
		MD5_Update(&c, realm, rlen);
		MD5_Update(&c, ":", 1);
		MD5_Update(&c, pass, plen);
		MD5_Final(key, &c);
		OPENSSL_cleanse(&c, sizeof(c));
		return MD5_DIGEST_LENGTH;
	}
	if (alg == STUN_PWALG_SHA256) {
		SHA256_CTX c;

		SHA256_Init(&c);
		SHA256_Update(&c, user, ulen);
		SHA256_Update(&c, ":", 1);
		SHA256_Update(&c, realm, rlen);
		SHA256_Update(&c, ":", 1);
		SHA256_Update(&c, pass, plen);
		SHA256_Final(key, &c);
		OPENSSL_cleanse(&c, sizeof(c));
		return SHA256_DIGEST_LENGTH;
	}
	return 0;
}

/* ---- nonces -------------------------------------------------------------- */

void turn_nonce_keys_init(struct turn_nonce_keys *k, const void *secret,
			  size_t len)
{
	memset(k, 0, sizeof(*k));
	stun_key_init(&k->cur, secret, len);
}

void turn_nonce_keys_rotate(struct turn_nonce_keys *next,
			    const struct turn_nonce_keys *k,
			    const void *secret, size_t len)
{
	next->prev = k->cur;
	next->has_prev = true;
	stun_key_init(&next->cur, secret, len);
}

/* The MAC of a nonce's first NONCE_MAC_AT characters for client, as the
 * nonce carries it (16 base64 characters). */
static void nonce_mac(const struct stun_key *k, const char *head,
		      const struct stun_addr *client, char out[16])
{
	uint8_t in[NONCE_MAC_AT + 1 + 2 + 16], mac[STUN_SHA256_LEN];
	size_t n = NONCE_MAC_AT;

	memcpy(in, head, NONCE_MAC_AT);
	in[n++] = client->family;
	in[n++] = (uint8_t)(client->port >> 8);
	in[n++] = (uint8_t)client->port;
	if (client->family == STUN_AF_IPV4) {
		memcpy(in + n, &client->ip.v4, 4);
		n += 4;
	} else {
		memcpy(in + n, client->ip.v6, 16);
		n += 16;
	}
	stun_hmac_sha256(k, in, n, mac);
	b64_encode(mac, NONCE_MAC_BYTES, out);
}

void turn_nonce_make(const struct turn_nonce_keys *k, uint32_t features,
		     uint64_t expiry, const struct stun_addr *client,
		     char out[TURN_NONCE_LEN])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t f[3] = { (uint8_t)(features >> 16), (uint8_t)(features >> 8),
			 (uint8_t)features };
	uint32_t e = expiry > UINT32_MAX ? UINT32_MAX : (uint32_t)expiry;

	memcpy(out, TURN_NONCE_COOKIE, NONCE_COOKIE_LEN);
	b64_encode(f, 3, out + NONCE_FEATURES_AT);
	for (int i = 0; i < 8; i++)
		out[NONCE_EXPIRY_AT + i] = hex[(e >> (28 - 4 * i)) & 15];
	nonce_mac(&k->cur, out, client, out + NONCE_MAC_AT);
}

enum turn_nonce_status turn_nonce_check(const struct turn_nonce_keys *k,
					const void *nonce, size_t len,
					const struct stun_addr *client,
					uint64_t now, uint32_t *features)
{
	const uint8_t *n = nonce;
	uint32_t f = 0, e = 0;
	char mac[16];

	if (len != TURN_NONCE_LEN ||
	    memcmp(n, TURN_NONCE_COOKIE, NONCE_COOKIE_LEN) != 0)
		return TURN_NONCE_BAD;
	if (client->family != STUN_AF_IPV4 && client->family != STUN_AF_IPV6)
		return TURN_NONCE_BAD;
	for (int i = 0; i < 4; i++) {
		int v = b64_value(n[NONCE_FEATURES_AT + i]);

		if (v < 0)
			return TURN_NONCE_BAD;
		f = f << 6 | (uint32_t)v;
	}
	for (int i = 0; i < 8; i++) {
		uint8_t c = n[NONCE_EXPIRY_AT + i];

		if (c >= '0' && c <= '9')
			e = e << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			e = e << 4 | (uint32_t)(c - 'a' + 10);
		else
			return TURN_NONCE_BAD;
	}
	nonce_mac(&k->cur, (const char *)n, client, mac);
	if (CRYPTO_memcmp(mac, n + NONCE_MAC_AT, sizeof(mac)) != 0) {
		if (!k->has_prev)
			return TURN_NONCE_BAD;
		nonce_mac(&k->prev, (const char *)n, client, mac);
		if (CRYPTO_memcmp(mac, n + NONCE_MAC_AT, sizeof(mac)) != 0)
			return TURN_NONCE_BAD;
	}
	if (features != NULL)
		*features = f;
	return now >= e ? TURN_NONCE_STALE : TURN_NONCE_OK;
}

const char *turn_nonce_status_name(enum turn_nonce_status s)
{
	switch (s) {
	case TURN_NONCE_OK: return "ok";
	case TURN_NONCE_STALE: return "stale";
	case TURN_NONCE_BAD: return "bad";
	}
	return "?";
}

enum stun_err turn_password_algorithm(const struct stun_msg *m,
				      uint32_t nonce_features,
				      const uint16_t *offered,
				      unsigned n_offered, uint16_t *alg)
{
	bool list = m->have & STUN_HAVE_PASSWORD_ALGORITHMS;
	bool one = m->have & STUN_HAVE_PASSWORD_ALGORITHM;
	const uint8_t *p;
	bool found = false;

	if (!(nonce_features & TURN_FEATURE_PASSWORD_ALGORITHMS) ||
	    (!list && !one)) {
		*alg = STUN_PWALG_MD5;
		return STUN_OK;
	}
	if (!list || !one)
		return STUN_E_ATTR_VALUE;
	/* the list as the server sends it: algorithm, no parameters */
	if (m->password_algorithms.len != 4 * (size_t)n_offered)
		return STUN_E_ATTR_VALUE;
	p = stun_span_ptr(m, m->password_algorithms);
	for (unsigned i = 0; i < n_offered; i++) {
		if (p[4 * i] != (offered[i] >> 8) ||
		    p[4 * i + 1] != (offered[i] & 0xFF) ||
		    p[4 * i + 2] != 0 || p[4 * i + 3] != 0)
			return STUN_E_ATTR_VALUE;
		if (offered[i] == m->password_algorithm)
			found = true;
	}
	if (!found || m->password_algorithm_params.len != 0)
		return STUN_E_ATTR_VALUE;
	*alg = m->password_algorithm;
	return STUN_OK;
}

/* ---- TURN REST credentials ----------------------------------------------- */

enum turn_rest_status turn_rest_expiry(const void *username, size_t len,
				       uint64_t *expiry)
{
	const uint8_t *u = username;
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len && u[i] != ':'; i++) {
		unsigned d = (unsigned)u[i] - '0';

		if (d > 9)
			return TURN_REST_MALFORMED;
		if (v > (UINT64_MAX - d) / 10)
			return TURN_REST_MALFORMED;
		v = v * 10 + d;
	}
	if (i == 0)
		return TURN_REST_MALFORMED;
	*expiry = v;
	return TURN_REST_OK;
}

enum turn_rest_status turn_rest_check(const void *username, size_t len,
				      uint64_t now)
{
	uint64_t expiry;
	enum turn_rest_status s = turn_rest_expiry(username, len, &expiry);

	if (s != TURN_REST_OK)
		return s;
	return now >= expiry ? TURN_REST_EXPIRED : TURN_REST_OK;
}

void turn_rest_password(const struct stun_key *secret, const void *username,
			size_t len, char out[TURN_REST_PASSWORD_LEN])
{
	uint8_t mac[STUN_SHA1_LEN];

	stun_hmac_sha1(secret, username, len, mac);
	b64_encode(mac, sizeof(mac), out);
}

enum turn_rest_status turn_rest_key(const struct stun_key *secret,
				    const void *username, size_t ulen,
				    const void *realm, size_t rlen,
				    uint16_t alg, uint64_t now,
				    uint8_t key[TURN_KEY_MAX],
				    size_t *key_len)
{
	char pass[TURN_REST_PASSWORD_LEN];
	enum turn_rest_status s = turn_rest_check(username, ulen, now);

	if (s != TURN_REST_OK)
		return s;
	turn_rest_password(secret, username, ulen, pass);
	*key_len = turn_longterm_key(alg, username, ulen, realm, rlen, pass,
				     sizeof(pass), key);
	OPENSSL_cleanse(pass, sizeof(pass));
	return *key_len != 0 ? TURN_REST_OK : TURN_REST_MALFORMED;
}

const char *turn_rest_status_name(enum turn_rest_status s)
{
	switch (s) {
	case TURN_REST_OK: return "ok";
	case TURN_REST_MALFORMED: return "malformed";
	case TURN_REST_EXPIRED: return "expired";
	}
	return "?";
}

/* ---- peer policy --------------------------------------------------------- */

struct range {
	uint8_t addr[16];
	uint8_t len;
	const char *name;
};

#define V4(a, b, c, d, n, what)                                             \
	{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d }, 96 + (n), \
	  #a "." #b "." #c "." #d "/" #n " " what }

/*
 * The default deny list (docs/turn.md has it as a table). IPv4 is matched
 * in its ::ffff:0:0/96 form after normalisation, so every IPv6 spelling
 * of an IPv4 address meets these rows. For IPv6, everything outside
 * 2000::/3 (global unicast) is denied as well (global_unicast below); the
 * rows outside it are here only to name what matched.
 */
static const struct range deny[] = {
	V4(0, 0, 0, 0, 8, "this network"),
	V4(10, 0, 0, 0, 8, "private"),
	V4(100, 64, 0, 0, 10, "shared address space"),
	V4(127, 0, 0, 0, 8, "loopback"),
	V4(169, 254, 0, 0, 16, "link-local"),
	V4(172, 16, 0, 0, 12, "private"),
	V4(192, 0, 0, 0, 24, "IETF protocol assignments"),
	V4(192, 0, 2, 0, 24, "documentation"),
	V4(192, 168, 0, 0, 16, "private"),
	V4(198, 18, 0, 0, 15, "benchmarking"),
	V4(198, 51, 100, 0, 24, "documentation"),
	V4(203, 0, 113, 0, 24, "documentation"),
	V4(224, 0, 0, 0, 4, "multicast"),
	V4(240, 0, 0, 0, 4, "reserved, broadcast"),
	{ { 0 }, 128, "::/128 unspecified" },
	{ { [15] = 1 }, 128, "::1/128 loopback" },
	{ { 0, 0x64, 0xff, 0x9b, 0, 1 }, 48, "64:ff9b:1::/48 local NAT64" },
	{ { 0x01 }, 64, "100::/64 discard-only" },
	{ { 0x20, 0x01, 0x00, 0x00 }, 23,
	  "2001::/23 IETF protocol assignments" },
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, "2001:db8::/32 documentation" },
	{ { 0x20, 0x02 }, 16, "2002::/16 6to4" },
	{ { 0x3f, 0xff }, 20, "3fff::/20 documentation" },
	{ { 0xfc }, 7, "fc00::/7 unique local" },
	{ { 0xfe, 0x80 }, 10, "fe80::/10 link-local" },
	{ { 0xfe, 0xc0 }, 10, "fec0::/10 site-local" },
	{ { 0xff }, 8, "ff00::/8 multicast" },
};

static const struct range global_unicast = {
	{ 0x20 }, 3, "outside 2000::/3 global unicast"
};

static const uint8_t pfx_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					0xff, 0xff };
static const uint8_t pfx_translated[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
					    0xff, 0, 0 };
static const uint8_t pfx_nat64[12] = { 0, 0x64, 0xff, 0x9b };
static const uint8_t pfx_zero[12];

static bool prefix_match(const uint8_t a[16], const uint8_t p[16],
			 unsigned len)
{
	unsigned full = len / 8, bits = len % 8;

	if (memcmp(a, p, full) != 0)
		return false;
	if (bits == 0)
		return true;
	return ((a[full] ^ p[full]) & (uint8_t)(0xFF << (8 - bits))) == 0;
}

/* Clears the host bits past len; true when none was set. */
static bool prefix_clean(uint8_t a[16], unsigned len)
{
	bool clean = true;

	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = len >= 8 * (i + 1) ? 8 :
				len > 8 * i ? len - 8 * i : 0;
		uint8_t mask = keep == 8 ? 0xFF : (uint8_t)~(0xFF >> keep);

		if (a[i] & ~mask)
			clean = false;
		a[i] &= mask;
	}
	return clean;
}

void turn_peer_normalise(const struct stun_addr *in, struct stun_addr *out)
{
	const uint8_t *a = in->ip.v6;
	uint32_t v4;

	*out = *in;
	if (in->family != STUN_AF_IPV6)
		return;
	if (memcmp(a, pfx_mapped, 12) != 0 &&
	    memcmp(a, pfx_translated, 12) != 0 &&
	    memcmp(a, pfx_nat64, 12) != 0 &&
	    (memcmp(a, pfx_zero, 12) != 0 ||
	     (a[12] == 0 && a[13] == 0 && a[14] == 0 && a[15] <= 1)))
		return;
	memcpy(&v4, a + 12, 4);
	memset(&out->ip, 0, sizeof(out->ip));
	out->family = STUN_AF_IPV4;
	out->ip.v4 = v4;
}

/* The 16-byte form of a normalised address. */
static void as16(const struct stun_addr *a, uint8_t out[16])
{
	if (a->family == STUN_AF_IPV4) {
		memcpy(out, pfx_mapped, 12);
		memcpy(out + 12, &a->ip.v4, 4);
	} else {
		memcpy(out, a->ip.v6, 16);
	}
}

int turn_prefix_parse(const char *s, struct turn_prefix *p)
{
	char text[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t alen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	unsigned long len;
	bool v4;

	if (alen == 0 || alen >= sizeof(text))
		return -1;
	memcpy(text, s, alen);
	text[alen] = '\0';
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, text, p->addr + 12) == 1) {
		memcpy(p->addr, pfx_mapped, 12);
		v4 = true;
	} else if (inet_pton(AF_INET6, text, p->addr) == 1) {
		v4 = false;
	} else {
		return -1;
	}
	len = v4 ? 32 : 128;
	if (slash != NULL) {
		char *end;

		if (slash[1] < '0' || slash[1] > '9')
			return -1;
		errno = 0;
		len = strtoul(slash + 1, &end, 10);
		if (errno != 0 || *end != '\0' || len > (v4 ? 32u : 128u))
			return -1;
	}
	p->len = (uint8_t)(v4 ? 96 + len : len);
	return prefix_clean(p->addr, p->len) ? 0 : -1;
}

void turn_prefix_from_ipv4(struct turn_prefix *p, uint32_t addr_be,
			   uint8_t len)
{
	memset(p, 0, sizeof(*p));
	memcpy(p->addr, pfx_mapped, 12);
	memcpy(p->addr + 12, &addr_be, 4);
	p->len = (uint8_t)(96 + (len > 32 ? 32 : len));
	prefix_clean(p->addr, p->len);
}

void turn_peer_policy_init(struct turn_peer_policy *p)
{
	memset(p, 0, sizeof(*p));
}

int turn_peer_policy_allow(struct turn_peer_policy *p,
			   const struct turn_prefix *pfx)
{
	if (p->n_allowed == TURN_POLICY_MAX_ALLOWED || pfx->len > 128)
		return -1;
	p->allowed[p->n_allowed++] = *pfx;
	return 0;
}

int turn_peer_policy_add_own(struct turn_peer_policy *p,
			     const struct stun_addr *a)
{
	struct stun_addr n;

	if (p->n_own == TURN_POLICY_MAX_OWN ||
	    (a->family != STUN_AF_IPV4 && a->family != STUN_AF_IPV6))
		return -1;
	turn_peer_normalise(a, &n);
	as16(&n, p->own[p->n_own++]);
	return 0;
}

enum turn_peer_verdict turn_peer_check(const struct turn_peer_policy *p,
				       const struct stun_addr *peer,
				       const char **range)
{
	const struct range *hit = NULL;
	struct stun_addr n;
	uint8_t a[16];

	if (range != NULL)
		*range = NULL;
	if (peer->family != STUN_AF_IPV4 && peer->family != STUN_AF_IPV6) {
		if (range != NULL)
			*range = "unknown address family";
		return TURN_PEER_DENIED;
	}
	turn_peer_normalise(peer, &n);
	as16(&n, a);
	for (unsigned i = 0; i < p->n_own; i++)
		if (memcmp(a, p->own[i], 16) == 0) {
			if (range != NULL)
				*range = "the appliance's own address";
			return TURN_PEER_DENIED_OWN;
		}
	for (size_t i = 0; i < sizeof(deny) / sizeof(deny[0]); i++)
		if (prefix_match(a, deny[i].addr, deny[i].len)) {
			hit = &deny[i];
			break;
		}
	if (hit == NULL && n.family == STUN_AF_IPV6 &&
	    !prefix_match(a, global_unicast.addr, global_unicast.len))
		hit = &global_unicast;
	if (hit == NULL)
		return TURN_PEER_ALLOWED;
	if (range != NULL)
		*range = hit->name;
	for (unsigned i = 0; i < p->n_allowed; i++)
		if (prefix_match(a, p->allowed[i].addr, p->allowed[i].len))
			return TURN_PEER_EXEMPTED;
	return TURN_PEER_DENIED;
}

const char *turn_peer_verdict_name(enum turn_peer_verdict v)
{
	switch (v) {
	case TURN_PEER_ALLOWED: return "allowed";
	case TURN_PEER_EXEMPTED: return "allowed (turn.allowed_peers)";
	case TURN_PEER_DENIED: return "denied";
	case TURN_PEER_DENIED_OWN: return "denied (own address)";
	}
	return "?";
}
