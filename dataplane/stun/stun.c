/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stun.c — the STUN/TURN codec (see stun.h for the contract).
 *
 * Where it sits: the dataplane's TURN stage parses every datagram on the
 * TURN ports here, checks its integrity with the allocation's prepared key
 * and builds the answer into a fresh mbuf; the control plane and the tests
 * use the same functions.
 *
 * What the integrity attributes cover (RFC 8489 §14.5-14.7). Each is
 * computed over the message up to its own attribute header, with the
 * header's length field set as if the message ended right after it:
 *
 *   | hdr | attrs ... | MI (24) | MI-SHA256 (4+16..32) | FINGERPRINT (8) |
 *   |<-- HMAC-SHA1 -->|
 *     len = MI end - 20
 *   |<-------- HMAC-SHA256 ------->|
 *     len = MI-SHA256 end - 20
 *   |<--------------- CRC-32 ^ 0x5354554E ---------------->|
 *     len = FINGERPRINT end - 20 (the real length: it is last)
 *
 * The parser never writes to the message, so the first four header bytes
 * go into the HMAC as three pieces: the type, the adjusted length, the
 * rest. The writer appends each attribute first (which sets the length)
 * and then hashes what precedes it.
 *
 * HMAC with prepared keys: OpenSSL's SHA1/SHA256 contexts after the ipad
 * and opad blocks are copied (plain structs, a memcpy) instead of running
 * HMAC() or EVP per message. EVP would allocate when duplicating a
 * provider context (EVP_MD_CTX_copy_ex); the low-level API does not, and
 * it runs the same assembly (SHA-NI where the CPU has it). That API is
 * deprecated in OpenSSL 3, so this file asks for the 1.1.1 API level
 * before including any OpenSSL header: it is still built by default and is
 * what Debian ships.
 *
 * CRC-32: slicing-by-8 over tables built by a constructor before main, so
 * the fast path has no "is it initialised" test.
 */
#define OPENSSL_API_COMPAT 10101

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "stun.h"

_Static_assert(sizeof(SHA_CTX) <= sizeof(((struct stun_key *)0)->sha1_inner),
	       "STUN_KEY_SHA1_WORDS too small for SHA_CTX");
_Static_assert(sizeof(SHA256_CTX) <=
	       sizeof(((struct stun_key *)0)->sha256_inner),
	       "STUN_KEY_SHA256_WORDS too small for SHA256_CTX");

#define HMAC_BLOCK 64             /* SHA-1 and SHA-256 block size */

enum {
	STAGE_OPEN,               /* attributes are decoded */
	STAGE_MI,                 /* after MESSAGE-INTEGRITY */
	STAGE_MI256,              /* after MESSAGE-INTEGRITY-SHA256 */
	STAGE_FP,                 /* after FINGERPRINT: nothing may follow */
};

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)(v >> 16));
	wr16(p + 2, (uint16_t)v);
}

static inline size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* ---- names --------------------------------------------------------------- */

const char *stun_strerror(enum stun_err e)
{
	switch (e) {
	case STUN_OK: return "ok";
	case STUN_E_TRUNCATED: return "shorter than its length says";
	case STUN_E_NOT_STUN: return "not STUN (top two bits set)";
	case STUN_E_COOKIE: return "no magic cookie";
	case STUN_E_LEN_ALIGN: return "length not a multiple of 4";
	case STUN_E_TRAILING: return "bytes after the message";
	case STUN_E_TOO_LONG: return "message longer than 65535 bytes";
	case STUN_E_ATTR_TRUNCATED: return "attribute runs past the end";
	case STUN_E_ATTR_LEN: return "attribute length wrong for its type";
	case STUN_E_ATTR_VALUE: return "attribute value invalid";
	case STUN_E_AFTER_FINGERPRINT: return "attribute after FINGERPRINT";
	case STUN_E_FINGERPRINT: return "FINGERPRINT does not match";
	case STUN_E_TOO_MANY_PEERS: return "too many XOR-PEER-ADDRESS";
	case STUN_E_NO_INTEGRITY: return "no MESSAGE-INTEGRITY";
	case STUN_E_INTEGRITY: return "MESSAGE-INTEGRITY does not match";
	case STUN_E_NO_SPACE: return "buffer too small";
	case STUN_E_ORDER: return "attribute after MESSAGE-INTEGRITY or "
				  "FINGERPRINT";
	case STUN_E_CHANNEL: return "channel number outside 0x4000-0x7FFF";
	case STUN_E_CHANNEL_PADDING: return "ChannelData: bytes after data "
					    "that are not its padding";
	case STUN_E_COUNT: break;
	}
	return "?";
}

const char *stun_reason(unsigned code)
{
	switch (code) {
	case 300: return "Try Alternate";
	case 400: return "Bad Request";
	case 401: return "Unauthenticated";
	case 403: return "Forbidden";
	case 405: return "Mobility Forbidden";
	case 420: return "Unknown Attribute";
	case 437: return "Allocation Mismatch";
	case 438: return "Stale Nonce";
	case 440: return "Address Family not Supported";
	case 441: return "Wrong Credentials";
	case 442: return "Unsupported Transport Protocol";
	case 443: return "Peer Address Family Mismatch";
	case 486: return "Allocation Quota Reached";
	case 487: return "Role Conflict";
	case 500: return "Server Error";
	case 508: return "Insufficient Capacity";
	}
	return "";
}

/* ---- small helpers ------------------------------------------------------- */

bool stun_addr_equal(const struct stun_addr *a, const struct stun_addr *b)
{
	if (a->family != b->family || a->port != b->port)
		return false;
	if (a->family == STUN_AF_IPV4)
		return a->ip.v4 == b->ip.v4;
	return memcmp(a->ip.v6, b->ip.v6, 16) == 0;
}

bool stun_span_equal(const struct stun_msg *m, struct stun_span sp,
		     const void *s, size_t len)
{
	return sp.off != 0 && sp.len == len &&
	       memcmp(m->buf + sp.off, s, len) == 0;
}

enum stun_kind stun_classify(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (len >= TURN_CHANNEL_HEADER_LEN && (p[0] & 0xC0) == 0x40)
		return STUN_KIND_CHANNEL_DATA;
	if (len >= STUN_HEADER_LEN && p[0] < 4 &&
	    rd32(p + 4) == STUN_MAGIC_COOKIE)
		return STUN_KIND_STUN;
	return STUN_KIND_OTHER;
}

int stun_frame_len(const void *buf, size_t len, size_t *frame)
{
	const uint8_t *p = buf;

	if (len < 4)
		return 0;
	if (p[0] < 4) {
		*frame = STUN_HEADER_LEN + (size_t)rd16(p + 2);
		return 1;
	}
	if ((p[0] & 0xF0) == 0x40) {
		*frame = pad4(TURN_CHANNEL_HEADER_LEN + (size_t)rd16(p + 2));
		return 1;
	}
	return -1;
}

/* ---- CRC-32 -------------------------------------------------------------- */

static uint32_t crc_tab[8][256];

__attribute__((constructor)) static void crc_tables(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_tab[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			crc_tab[t][i] = (crc_tab[t - 1][i] >> 8) ^
					crc_tab[0][crc_tab[t - 1][i] & 0xFF];
}

uint32_t stun_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	for (; len >= 8; p += 8, len -= 8) {
		uint32_t a = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
				    (uint32_t)p[2] << 16 |
				    (uint32_t)p[3] << 24);
		uint32_t b = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
			     (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;

		crc = crc_tab[7][a & 0xFF] ^ crc_tab[6][(a >> 8) & 0xFF] ^
		      crc_tab[5][(a >> 16) & 0xFF] ^ crc_tab[4][a >> 24] ^
		      crc_tab[3][b & 0xFF] ^ crc_tab[2][(b >> 8) & 0xFF] ^
		      crc_tab[1][(b >> 16) & 0xFF] ^ crc_tab[0][b >> 24];
	}
	while (len--)
		crc = crc_tab[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

/* ---- HMAC with prepared keys --------------------------------------------- */

struct seg {
	const void *p;
	size_t n;
};

void stun_key_init(struct stun_key *k, const void *key, size_t len)
{
	uint8_t block[HMAC_BLOCK], digest[SHA256_DIGEST_LENGTH];
	const uint8_t *kb;
	size_t kl;
	SHA_CTX c1;
	SHA256_CTX c2;

	memset(k, 0, sizeof(*k));

	/* SHA-1 states (a key longer than a block is its digest) */
	kb = key;
	kl = len;
	if (kl > HMAC_BLOCK) {
		SHA1(key, len, digest);
		kb = digest;
		kl = SHA_DIGEST_LENGTH;
	}
	memset(block, 0x36, sizeof(block));
	for (size_t i = 0; i < kl; i++)
		block[i] ^= kb[i];
	SHA1_Init(&c1);
	SHA1_Update(&c1, block, sizeof(block));
	memcpy(k->sha1_inner, &c1, sizeof(c1));
	memset(block, 0x5C, sizeof(block));
	for (size_t i = 0; i < kl; i++)
		block[i] ^= kb[i];
	SHA1_Init(&c1);
	SHA1_Update(&c1, block, sizeof(block));
	memcpy(k->sha1_outer, &c1, sizeof(c1));

	/* SHA-256 states */
	kb = key;
	kl = len;
	if (kl > HMAC_BLOCK) {
		SHA256(key, len, digest);
		kb = digest;
		kl = SHA256_DIGEST_LENGTH;
	}
	memset(block, 0x36, sizeof(block));
	for (size_t i = 0; i < kl; i++)
		block[i] ^= kb[i];
	SHA256_Init(&c2);
	SHA256_Update(&c2, block, sizeof(block));
	memcpy(k->sha256_inner, &c2, sizeof(c2));
	memset(block, 0x5C, sizeof(block));
	for (size_t i = 0; i < kl; i++)
		block[i] ^= kb[i];
	SHA256_Init(&c2);
	SHA256_Update(&c2, block, sizeof(block));
	memcpy(k->sha256_outer, &c2, sizeof(c2));

	OPENSSL_cleanse(block, sizeof(block));
	OPENSSL_cleanse(digest, sizeof(digest));
	OPENSSL_cleanse(&c1, sizeof(c1));
	OPENSSL_cleanse(&c2, sizeof(c2));
}

void stun_key_clear(struct stun_key *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

static void hmac_sha1_segs(const struct stun_key *k, const struct seg *s,
			   unsigned n, uint8_t out[STUN_SHA1_LEN])
{
	uint8_t inner[SHA_DIGEST_LENGTH];
	SHA_CTX c;

	memcpy(&c, k->sha1_inner, sizeof(c));
	for (unsigned i = 0; i < n; i++)
		SHA1_Update(&c, s[i].p, s[i].n);
	SHA1_Final(inner, &c);
	memcpy(&c, k->sha1_outer, sizeof(c));
	SHA1_Update(&c, inner, sizeof(inner));
	SHA1_Final(out, &c);
}

static void hmac_sha256_segs(const struct stun_key *k, const struct seg *s,
			     unsigned n, uint8_t out[STUN_SHA256_LEN])
{
	uint8_t inner[SHA256_DIGEST_LENGTH];
	SHA256_CTX c;

	memcpy(&c, k->sha256_inner, sizeof(c));
	for (unsigned i = 0; i < n; i++)
		SHA256_Update(&c, s[i].p, s[i].n);
	SHA256_Final(inner, &c);
	memcpy(&c, k->sha256_outer, sizeof(c));
	SHA256_Update(&c, inner, sizeof(inner));
	SHA256_Final(out, &c);
}

void stun_hmac_sha1(const struct stun_key *k, const void *data, size_t len,
		    uint8_t out[STUN_SHA1_LEN])
{
	struct seg s = { data, len };

	hmac_sha1_segs(k, &s, 1, out);
}

void stun_hmac_sha256(const struct stun_key *k, const void *data, size_t len,
		      uint8_t out[STUN_SHA256_LEN])
{
	struct seg s = { data, len };

	hmac_sha256_segs(k, &s, 1, out);
}

void stun_userhash(const void *username, size_t ulen, const void *realm,
		   size_t rlen, uint8_t out[STUN_USERHASH_LEN])
{
	SHA256_CTX c;

	SHA256_Init(&c);
	SHA256_Update(&c, username, ulen);
	SHA256_Update(&c, ":", 1);
	SHA256_Update(&c, realm, rlen);
	SHA256_Final(out, &c);
}

/*
 * The HMAC of msg[0..at) as the integrity attribute at offset `at` whose
 * value is vlen bytes sees it: the length field says the message ends
 * after that attribute.
 */
static void integrity_of(const struct stun_key *k, const uint8_t *msg,
			 size_t at, size_t vlen, bool sha256,
			 uint8_t out[STUN_SHA256_LEN])
{
	uint8_t len_field[2];
	struct seg s[3] = {
		{ msg, 2 },
		{ len_field, 2 },
		{ msg + 4, at - 4 },
	};

	wr16(len_field, (uint16_t)(at + 4 + vlen - STUN_HEADER_LEN));
	if (sha256)
		hmac_sha256_segs(k, s, 3, out);
	else
		hmac_sha1_segs(k, s, 3, out);
}

enum stun_err stun_check_integrity(const struct stun_msg *m,
				   const struct stun_key *k)
{
	uint8_t mac[STUN_SHA256_LEN];

	if (m->mi256_at != 0) {
		integrity_of(k, m->buf, m->mi256_at, m->mi256_len, true, mac);
		return CRYPTO_memcmp(mac, m->buf + m->mi256_at + 4,
				     m->mi256_len) == 0 ? STUN_OK :
				     STUN_E_INTEGRITY;
	}
	if (m->mi_at != 0) {
		integrity_of(k, m->buf, m->mi_at, STUN_MI_LEN, false, mac);
		return CRYPTO_memcmp(mac, m->buf + m->mi_at + 4,
				     STUN_MI_LEN) == 0 ? STUN_OK :
				     STUN_E_INTEGRITY;
	}
	return STUN_E_NO_INTEGRITY;
}

/* ---- parsing ------------------------------------------------------------- */

/*
 * An address attribute's value; xor is the 16 bytes at message offset 4
 * (cookie, then transaction id) for the XOR'd kinds, NULL for the plain.
 */
static enum stun_err decode_addr(struct stun_addr *a, const uint8_t *v,
				 size_t len, const uint8_t *xor)
{
	if (len < 4)
		return STUN_E_ATTR_LEN;
	switch (v[1]) {
	case STUN_AF_IPV4:
		if (len != 8)
			return STUN_E_ATTR_LEN;
		for (int i = 0; i < 4; i++)
			((uint8_t *)&a->ip.v4)[i] = v[4 + i] ^
						    (xor ? xor[i] : 0);
		break;
	case STUN_AF_IPV6:
		if (len != 20)
			return STUN_E_ATTR_LEN;
		for (int i = 0; i < 16; i++)
			a->ip.v6[i] = v[4 + i] ^ (xor ? xor[i] : 0);
		break;
	default:
		return STUN_E_ATTR_VALUE;
	}
	a->family = v[1];
	a->port = rd16(v + 2) ^ (xor ? (uint16_t)(STUN_MAGIC_COOKIE >> 16) : 0);
	return STUN_OK;
}

static void note_unknown(struct stun_msg *m, uint16_t type)
{
	for (unsigned i = 0; i < m->n_unknown; i++)
		if (m->unknown[i] == type)
			return;
	if (m->n_unknown < STUN_MAX_UNKNOWN)
		m->unknown[m->n_unknown++] = type;
}

static enum stun_err span(struct stun_msg *m, struct stun_span *s,
			  uint32_t bit, uint16_t off, uint16_t len,
			  uint16_t max)
{
	if (len > max)
		return STUN_E_ATTR_LEN;
	s->off = off;
	s->len = len;
	m->have |= bit;
	return STUN_OK;
}

/* PASSWORD-ALGORITHMS: entries of algorithm, parameter length, parameters
 * padded to 4, filling the value exactly (the last one's padding may be
 * the attribute's). */
static bool password_algorithms_ok(const uint8_t *v, size_t len)
{
	size_t i = 0;

	if (len == 0)
		return false;
	while (i < len) {
		if (len - i < 4)
			return false;
		i += 4 + (size_t)rd16(v + i + 2);
		if (i > len)
			return false;
		i = pad4(i);
	}
	return true;
}

/* One attribute before any integrity attribute; voff is its value's offset. */
static enum stun_err decode_attr(struct stun_msg *m, uint16_t type,
				 uint16_t voff, uint16_t len)
{
	const uint8_t *v = m->buf + voff;
	const uint8_t *xor = m->buf + 4;
	enum stun_err e;

#define ONCE(bit) do { if (m->have & (bit)) return STUN_OK; } while (0)
#define NEED_LEN(n) do { if (len != (n)) return STUN_E_ATTR_LEN; } while (0)
	switch (type) {
	case STUN_A_MAPPED_ADDRESS:
		ONCE(STUN_HAVE_MAPPED_ADDRESS);
		if ((e = decode_addr(&m->mapped, v, len, NULL)) != STUN_OK)
			return e;
		m->have |= STUN_HAVE_MAPPED_ADDRESS;
		return STUN_OK;
	case STUN_A_XOR_MAPPED_ADDRESS:
		ONCE(STUN_HAVE_XOR_MAPPED_ADDRESS);
		if ((e = decode_addr(&m->xor_mapped, v, len, xor)) != STUN_OK)
			return e;
		m->have |= STUN_HAVE_XOR_MAPPED_ADDRESS;
		return STUN_OK;
	case STUN_A_XOR_RELAYED_ADDRESS:
		ONCE(STUN_HAVE_XOR_RELAYED_ADDRESS);
		if ((e = decode_addr(&m->xor_relayed, v, len, xor)) != STUN_OK)
			return e;
		m->have |= STUN_HAVE_XOR_RELAYED_ADDRESS;
		return STUN_OK;
	case STUN_A_ALTERNATE_SERVER:
		ONCE(STUN_HAVE_ALTERNATE_SERVER);
		if ((e = decode_addr(&m->alternate_server, v, len, NULL)) !=
		    STUN_OK)
			return e;
		m->have |= STUN_HAVE_ALTERNATE_SERVER;
		return STUN_OK;
	case STUN_A_XOR_PEER_ADDRESS:
		if (m->n_peers == STUN_MAX_PEERS)
			return STUN_E_TOO_MANY_PEERS;
		if ((e = decode_addr(&m->peers[m->n_peers], v, len, xor)) !=
		    STUN_OK)
			return e;
		m->n_peers++;
		m->have |= STUN_HAVE_XOR_PEER_ADDRESS;
		return STUN_OK;
	case STUN_A_USERNAME:
		ONCE(STUN_HAVE_USERNAME);
		return span(m, &m->username, STUN_HAVE_USERNAME, voff, len,
			    STUN_USERNAME_MAX);
	case STUN_A_USERHASH:
		ONCE(STUN_HAVE_USERHASH);
		NEED_LEN(STUN_USERHASH_LEN);
		return span(m, &m->userhash, STUN_HAVE_USERHASH, voff, len,
			    STUN_USERHASH_LEN);
	case STUN_A_REALM:
		ONCE(STUN_HAVE_REALM);
		return span(m, &m->realm, STUN_HAVE_REALM, voff, len,
			    STUN_TEXT_MAX);
	case STUN_A_NONCE:
		ONCE(STUN_HAVE_NONCE);
		return span(m, &m->nonce, STUN_HAVE_NONCE, voff, len,
			    STUN_TEXT_MAX);
	case STUN_A_SOFTWARE:
		ONCE(STUN_HAVE_SOFTWARE);
		return span(m, &m->software, STUN_HAVE_SOFTWARE, voff, len,
			    STUN_TEXT_MAX);
	case STUN_A_ALTERNATE_DOMAIN:
		ONCE(STUN_HAVE_ALTERNATE_DOMAIN);
		return span(m, &m->alternate_domain, STUN_HAVE_ALTERNATE_DOMAIN,
			    voff, len, STUN_DOMAIN_MAX);
	case STUN_A_DATA:
		ONCE(STUN_HAVE_DATA);
		return span(m, &m->data, STUN_HAVE_DATA, voff, len, UINT16_MAX);
	case STUN_A_RESERVATION_TOKEN:
		ONCE(STUN_HAVE_RESERVATION_TOKEN);
		NEED_LEN(8);
		return span(m, &m->reservation_token,
			    STUN_HAVE_RESERVATION_TOKEN, voff, len, 8);
	case STUN_A_ERROR_CODE:
		ONCE(STUN_HAVE_ERROR_CODE);
		if (len < 4)
			return STUN_E_ATTR_LEN;
		if ((v[2] & 7) < 3 || (v[2] & 7) > 6 || v[3] > 99)
			return STUN_E_ATTR_VALUE;
		if ((e = span(m, &m->error_reason, STUN_HAVE_ERROR_CODE,
			      voff + 4, len - 4, STUN_TEXT_MAX)) != STUN_OK)
			return e;
		m->error_code = (uint16_t)((v[2] & 7) * 100 + v[3]);
		return STUN_OK;
	case STUN_A_UNKNOWN_ATTRIBUTES:
		ONCE(STUN_HAVE_UNKNOWN_ATTRIBUTES);
		if (len & 1)
			return STUN_E_ATTR_LEN;
		return span(m, &m->unknown_attributes,
			    STUN_HAVE_UNKNOWN_ATTRIBUTES, voff, len,
			    UINT16_MAX);
	case STUN_A_PASSWORD_ALGORITHMS:
		ONCE(STUN_HAVE_PASSWORD_ALGORITHMS);
		if (!password_algorithms_ok(v, len))
			return STUN_E_ATTR_LEN;
		return span(m, &m->password_algorithms,
			    STUN_HAVE_PASSWORD_ALGORITHMS, voff, len,
			    UINT16_MAX);
	case STUN_A_PASSWORD_ALGORITHM: {
		size_t plen;

		ONCE(STUN_HAVE_PASSWORD_ALGORITHM);
		if (len < 4)
			return STUN_E_ATTR_LEN;
		plen = rd16(v + 2);
		if (len < 4 + plen || len > pad4(4 + plen))
			return STUN_E_ATTR_LEN;
		m->password_algorithm = rd16(v);
		m->password_algorithm_params.off = (uint16_t)(voff + 4);
		m->password_algorithm_params.len = (uint16_t)plen;
		m->have |= STUN_HAVE_PASSWORD_ALGORITHM;
		return STUN_OK;
	}
	case STUN_A_LIFETIME:
		ONCE(STUN_HAVE_LIFETIME);
		NEED_LEN(4);
		m->lifetime = rd32(v);
		m->have |= STUN_HAVE_LIFETIME;
		return STUN_OK;
	case STUN_A_PRIORITY:
		ONCE(STUN_HAVE_PRIORITY);
		NEED_LEN(4);
		m->priority = rd32(v);
		m->have |= STUN_HAVE_PRIORITY;
		return STUN_OK;
	case STUN_A_CHANNEL_NUMBER:
		ONCE(STUN_HAVE_CHANNEL_NUMBER);
		NEED_LEN(4);
		m->channel = rd16(v);
		m->have |= STUN_HAVE_CHANNEL_NUMBER;
		return STUN_OK;
	case STUN_A_REQUESTED_TRANSPORT:
		ONCE(STUN_HAVE_REQUESTED_TRANSPORT);
		NEED_LEN(4);
		m->requested_transport = v[0];
		m->have |= STUN_HAVE_REQUESTED_TRANSPORT;
		return STUN_OK;
	case STUN_A_REQUESTED_ADDRESS_FAMILY:
		ONCE(STUN_HAVE_REQUESTED_ADDRESS_FAMILY);
		NEED_LEN(4);
		m->requested_family = v[0];
		m->have |= STUN_HAVE_REQUESTED_ADDRESS_FAMILY;
		return STUN_OK;
	case STUN_A_ADDITIONAL_ADDRESS_FAMILY:
		ONCE(STUN_HAVE_ADDITIONAL_ADDRESS_FAMILY);
		NEED_LEN(4);
		m->additional_family = v[0];
		m->have |= STUN_HAVE_ADDITIONAL_ADDRESS_FAMILY;
		return STUN_OK;
	case STUN_A_EVEN_PORT:
		ONCE(STUN_HAVE_EVEN_PORT);
		NEED_LEN(1);
		m->even_port_r = v[0] >> 7;
		m->have |= STUN_HAVE_EVEN_PORT;
		return STUN_OK;
	case STUN_A_DONT_FRAGMENT:
		ONCE(STUN_HAVE_DONT_FRAGMENT);
		NEED_LEN(0);
		m->have |= STUN_HAVE_DONT_FRAGMENT;
		return STUN_OK;
	case STUN_A_USE_CANDIDATE:
		ONCE(STUN_HAVE_USE_CANDIDATE);
		NEED_LEN(0);
		m->have |= STUN_HAVE_USE_CANDIDATE;
		return STUN_OK;
	case STUN_A_ICE_CONTROLLED:
	case STUN_A_ICE_CONTROLLING: {
		uint32_t bit = type == STUN_A_ICE_CONTROLLED ?
			       STUN_HAVE_ICE_CONTROLLED :
			       STUN_HAVE_ICE_CONTROLLING;

		ONCE(bit);
		NEED_LEN(8);
		m->ice_tiebreaker = (uint64_t)rd32(v) << 32 | rd32(v + 4);
		m->have |= bit;
		return STUN_OK;
	}
	default:
		if (type < 0x8000)
			note_unknown(m, type);
		return STUN_OK;
	}
#undef ONCE
#undef NEED_LEN
}

enum stun_err stun_parse(struct stun_msg *m, const void *buf, size_t len)
{
	const uint8_t *b = buf;
	unsigned stage = STAGE_OPEN;
	size_t end, off, next;
	uint16_t type;

	memset(m, 0, sizeof(*m));
	if (len < STUN_HEADER_LEN)
		return STUN_E_TRUNCATED;
	if (b[0] & 0xC0)
		return STUN_E_NOT_STUN;
	if (rd32(b + 4) != STUN_MAGIC_COOKIE)
		return STUN_E_COOKIE;
	if (rd16(b + 2) & 3)
		return STUN_E_LEN_ALIGN;
	end = STUN_HEADER_LEN + (size_t)rd16(b + 2);
	if (end > STUN_MSG_MAX)
		return STUN_E_TOO_LONG;
	if (len < end)
		return STUN_E_TRUNCATED;
	if (len > end)
		return STUN_E_TRAILING;

	m->buf = b;
	m->len = (uint16_t)end;
	type = rd16(b);
	m->method = stun_type_method(type);
	m->cls = (uint8_t)stun_type_class(type);

	/* off and end are multiples of 4, so off < end leaves room for an
	 * attribute header, and a value that fits leaves room for its
	 * padding. */
	for (off = STUN_HEADER_LEN; off < end; off = next) {
		uint16_t atype = rd16(b + off), alen = rd16(b + off + 2);
		size_t voff = off + 4;
		enum stun_err e;

		if (alen > end - voff)
			return STUN_E_ATTR_TRUNCATED;
		next = voff + pad4(alen);
		if (stage == STAGE_FP)
			return STUN_E_AFTER_FINGERPRINT;

		switch (atype) {
		case STUN_A_MESSAGE_INTEGRITY:
			if (stage != STAGE_OPEN)
				goto ignored;
			if (alen != STUN_MI_LEN)
				return STUN_E_ATTR_LEN;
			m->mi_at = (uint16_t)off;
			m->have |= STUN_HAVE_MESSAGE_INTEGRITY;
			stage = STAGE_MI;
			break;
		case STUN_A_MESSAGE_INTEGRITY_SHA256:
			if (stage > STAGE_MI)
				goto ignored;
			if (alen < STUN_MI256_MIN || alen > STUN_MI256_MAX ||
			    (alen & 3))
				return STUN_E_ATTR_LEN;
			m->mi256_at = (uint16_t)off;
			m->mi256_len = (uint8_t)alen;
			m->have |= STUN_HAVE_MESSAGE_INTEGRITY_SHA256;
			stage = STAGE_MI256;
			break;
		case STUN_A_FINGERPRINT:
			if (alen != 4)
				return STUN_E_ATTR_LEN;
			m->fp_at = (uint16_t)off;
			m->have |= STUN_HAVE_FINGERPRINT;
			stage = STAGE_FP;
			break;
		default:
			if (stage != STAGE_OPEN)
				goto ignored;
			e = decode_attr(m, atype, (uint16_t)voff, alen);
			if (e != STUN_OK)
				return e;
			break;
		}
		continue;
ignored:
		if (m->n_ignored < UINT8_MAX)
			m->n_ignored++;
	}

	if (m->fp_at != 0 &&
	    (stun_crc32(0, b, m->fp_at) ^ STUN_FINGERPRINT_XOR) !=
	    rd32(b + m->fp_at + 4))
		return STUN_E_FINGERPRINT;
	return STUN_OK;
}

/* ---- writing ------------------------------------------------------------- */

static enum stun_err fail(struct stun_writer *w, enum stun_err e)
{
	if (w->err == STUN_OK)
		w->err = e;
	return w->err;
}

void stun_writer_init(struct stun_writer *w, void *buf, size_t cap,
		      uint16_t method, enum stun_class cls,
		      const uint8_t tid[STUN_TID_LEN])
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->stage = STAGE_OPEN;
	w->pad_byte = 0;
	w->err = STUN_OK;
	if (buf == NULL || cap < STUN_HEADER_LEN) {
		w->err = STUN_E_NO_SPACE;
		return;
	}
	wr16(w->buf, stun_type(method, cls));
	wr16(w->buf + 2, 0);
	wr32(w->buf + 4, STUN_MAGIC_COOKIE);
	memcpy(w->buf + 8, tid, STUN_TID_LEN);
	w->len = STUN_HEADER_LEN;
}

void stun_writer_init_response(struct stun_writer *w, void *buf, size_t cap,
			       const struct stun_msg *req,
			       enum stun_class cls)
{
	stun_writer_init(w, buf, cap, req->method, cls, stun_tid(req));
}

/* Room for one attribute: its header written, padding filled, the
 * message's length updated; the value's place, or NULL (w->err set). */
static uint8_t *reserve(struct stun_writer *w, uint16_t type, size_t len)
{
	size_t total = 4 + pad4(len);
	uint8_t *p;

	if (w->err != STUN_OK)
		return NULL;
	if (len > UINT16_MAX) {
		fail(w, STUN_E_ATTR_LEN);
		return NULL;
	}
	if (total > w->cap - w->len || w->len + total > STUN_MSG_MAX) {
		fail(w, STUN_E_NO_SPACE);
		return NULL;
	}
	p = w->buf + w->len;
	wr16(p, type);
	wr16(p + 2, (uint16_t)len);
	memset(p + 4 + len, w->pad_byte, pad4(len) - len);
	w->len += total;
	wr16(w->buf + 2, (uint16_t)(w->len - STUN_HEADER_LEN));
	return p + 4;
}

/* A plain attribute may only come before the integrity attributes. */
static uint8_t *reserve_plain(struct stun_writer *w, uint16_t type,
			      size_t len)
{
	if (w->err != STUN_OK)
		return NULL;
	if (type == STUN_A_MESSAGE_INTEGRITY ||
	    type == STUN_A_MESSAGE_INTEGRITY_SHA256 ||
	    type == STUN_A_FINGERPRINT) {
		fail(w, STUN_E_ATTR_VALUE);
		return NULL;
	}
	if (w->stage != STAGE_OPEN) {
		fail(w, STUN_E_ORDER);
		return NULL;
	}
	return reserve(w, type, len);
}

enum stun_err stun_put(struct stun_writer *w, uint16_t type, const void *val,
		       size_t len)
{
	uint8_t *p = reserve_plain(w, type, len);

	if (p != NULL && len > 0)
		memcpy(p, val, len);
	return w->err;
}

enum stun_err stun_put_u32(struct stun_writer *w, uint16_t type, uint32_t v)
{
	uint8_t *p = reserve_plain(w, type, 4);

	if (p != NULL)
		wr32(p, v);
	return w->err;
}

enum stun_err stun_put_u64(struct stun_writer *w, uint16_t type, uint64_t v)
{
	uint8_t *p = reserve_plain(w, type, 8);

	if (p != NULL) {
		wr32(p, (uint32_t)(v >> 32));
		wr32(p + 4, (uint32_t)v);
	}
	return w->err;
}

enum stun_err stun_put_str(struct stun_writer *w, uint16_t type,
			   const char *s)
{
	return stun_put(w, type, s, strlen(s));
}

static enum stun_err put_addr(struct stun_writer *w, uint16_t type,
			      const struct stun_addr *a, bool x)
{
	size_t alen;
	uint8_t *p;

	if (a->family == STUN_AF_IPV4)
		alen = 4;
	else if (a->family == STUN_AF_IPV6)
		alen = 16;
	else
		return fail(w, STUN_E_ATTR_VALUE);
	p = reserve_plain(w, type, 4 + alen);
	if (p == NULL)
		return w->err;
	p[0] = 0;
	p[1] = a->family;
	wr16(p + 2, a->port ^ (x ? (uint16_t)(STUN_MAGIC_COOKIE >> 16) : 0));
	memcpy(p + 4, a->family == STUN_AF_IPV4 ? (const void *)&a->ip.v4 :
		      (const void *)a->ip.v6, alen);
	if (x) {
		/* cookie and transaction id, as the header holds them */
		for (size_t i = 0; i < alen; i++)
			p[4 + i] ^= w->buf[4 + i];
	}
	return STUN_OK;
}

enum stun_err stun_put_xor_addr(struct stun_writer *w, uint16_t type,
				const struct stun_addr *a)
{
	return put_addr(w, type, a, true);
}

enum stun_err stun_put_addr(struct stun_writer *w, uint16_t type,
			    const struct stun_addr *a)
{
	return put_addr(w, type, a, false);
}

enum stun_err stun_put_error(struct stun_writer *w, unsigned code,
			     const char *reason)
{
	size_t rlen;
	uint8_t *p;

	if (code < 300 || code > 699)
		return fail(w, STUN_E_ATTR_VALUE);
	if (reason == NULL)
		reason = stun_reason(code);
	rlen = strlen(reason);
	if (rlen > STUN_TEXT_MAX)
		return fail(w, STUN_E_ATTR_LEN);
	p = reserve_plain(w, STUN_A_ERROR_CODE, 4 + rlen);
	if (p == NULL)
		return w->err;
	p[0] = 0;
	p[1] = 0;
	p[2] = (uint8_t)(code / 100);
	p[3] = (uint8_t)(code % 100);
	memcpy(p + 4, reason, rlen);
	return STUN_OK;
}

enum stun_err stun_put_unknown_attributes(struct stun_writer *w,
					  const uint16_t *types, unsigned n)
{
	uint8_t *p = reserve_plain(w, STUN_A_UNKNOWN_ATTRIBUTES, 2 * (size_t)n);

	for (unsigned i = 0; p != NULL && i < n; i++)
		wr16(p + 2 * i, types[i]);
	return w->err;
}

enum stun_err stun_put_channel_number(struct stun_writer *w, uint16_t ch)
{
	return stun_put_u32(w, STUN_A_CHANNEL_NUMBER, (uint32_t)ch << 16);
}

enum stun_err stun_put_requested_transport(struct stun_writer *w,
					   uint8_t proto)
{
	return stun_put_u32(w, STUN_A_REQUESTED_TRANSPORT,
			    (uint32_t)proto << 24);
}

enum stun_err stun_put_requested_family(struct stun_writer *w, uint16_t type,
					uint8_t family)
{
	return stun_put_u32(w, type, (uint32_t)family << 24);
}

enum stun_err stun_put_even_port(struct stun_writer *w, bool reserve_next)
{
	uint8_t v = reserve_next ? 0x80 : 0;

	return stun_put(w, STUN_A_EVEN_PORT, &v, 1);
}

enum stun_err stun_put_password_algorithms(struct stun_writer *w,
					   const uint16_t *algs, unsigned n)
{
	uint8_t *p = reserve_plain(w, STUN_A_PASSWORD_ALGORITHMS,
				   4 * (size_t)n);

	for (unsigned i = 0; p != NULL && i < n; i++) {
		wr16(p + 4 * i, algs[i]);
		wr16(p + 4 * i + 2, 0);
	}
	return w->err;
}

enum stun_err stun_put_password_algorithm(struct stun_writer *w,
					  uint16_t alg)
{
	return stun_put_u32(w, STUN_A_PASSWORD_ALGORITHM, (uint32_t)alg << 16);
}

enum stun_err stun_put_integrity(struct stun_writer *w,
				 const struct stun_key *k)
{
	uint8_t mac[STUN_SHA1_LEN];
	size_t before = w->len;
	uint8_t *p;

	if (w->err == STUN_OK && w->stage != STAGE_OPEN)
		return fail(w, STUN_E_ORDER);
	p = reserve(w, STUN_A_MESSAGE_INTEGRITY, STUN_MI_LEN);
	if (p == NULL)
		return w->err;
	/* the header's length already counts this attribute */
	stun_hmac_sha1(k, w->buf, before, mac);
	memcpy(p, mac, STUN_MI_LEN);
	w->stage = STAGE_MI;
	return STUN_OK;
}

enum stun_err stun_put_integrity_sha256(struct stun_writer *w,
					const struct stun_key *k, size_t len)
{
	uint8_t mac[STUN_SHA256_LEN];
	size_t before = w->len;
	uint8_t *p;

	if (w->err != STUN_OK)
		return w->err;
	if (w->stage > STAGE_MI)
		return fail(w, STUN_E_ORDER);
	if (len < STUN_MI256_MIN || len > STUN_MI256_MAX || (len & 3))
		return fail(w, STUN_E_ATTR_LEN);
	p = reserve(w, STUN_A_MESSAGE_INTEGRITY_SHA256, len);
	if (p == NULL)
		return w->err;
	stun_hmac_sha256(k, w->buf, before, mac);
	memcpy(p, mac, len);
	w->stage = STAGE_MI256;
	return STUN_OK;
}

enum stun_err stun_put_fingerprint(struct stun_writer *w)
{
	size_t before = w->len;
	uint8_t *p;

	if (w->err == STUN_OK && w->stage == STAGE_FP)
		return fail(w, STUN_E_ORDER);
	p = reserve(w, STUN_A_FINGERPRINT, 4);
	if (p == NULL)
		return w->err;
	wr32(p, stun_crc32(0, w->buf, before) ^ STUN_FINGERPRINT_XOR);
	w->stage = STAGE_FP;
	return STUN_OK;
}

size_t turn_data_indication_header(void *buf, size_t cap,
				   const uint8_t tid[STUN_TID_LEN],
				   const struct stun_addr *peer,
				   size_t data_len)
{
	size_t alen = peer->family == STUN_AF_IPV4 ? 4 : 16;
	size_t head = STUN_HEADER_LEN + 4 + 4 + alen + 4;
	struct stun_writer w;
	uint8_t *p;

	if ((peer->family != STUN_AF_IPV4 && peer->family != STUN_AF_IPV6) ||
	    cap < head || data_len > STUN_MSG_MAX - head ||
	    head + pad4(data_len) > STUN_MSG_MAX)
		return 0;
	stun_writer_init(&w, buf, cap, TURN_DATA, STUN_INDICATION, tid);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, peer);
	if (w.err != STUN_OK)
		return 0;
	p = w.buf + w.len;
	wr16(p, STUN_A_DATA);
	wr16(p + 2, (uint16_t)data_len);
	wr16(w.buf + 2, (uint16_t)(head + pad4(data_len) - STUN_HEADER_LEN));
	return head;
}

/* ---- ChannelData --------------------------------------------------------- */

enum stun_err turn_channel_data_parse(struct turn_channel_data *cd,
				      const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t dlen, rest;

	if (len < TURN_CHANNEL_HEADER_LEN)
		return STUN_E_TRUNCATED;
	cd->channel = rd16(p);
	if (!turn_channel_valid(cd->channel))
		return STUN_E_CHANNEL;
	dlen = rd16(p + 2);
	if (len - TURN_CHANNEL_HEADER_LEN < dlen)
		return STUN_E_TRUNCATED;
	rest = len - TURN_CHANNEL_HEADER_LEN - dlen;
	if (rest != 0 && rest != pad4(dlen) - dlen)
		return STUN_E_CHANNEL_PADDING;
	cd->len = (uint16_t)dlen;
	cd->data = p + TURN_CHANNEL_HEADER_LEN;
	return STUN_OK;
}

size_t turn_channel_data_write(void *buf, size_t cap, uint16_t ch,
			       const void *data, size_t len, bool pad)
{
	size_t total = TURN_CHANNEL_HEADER_LEN + (pad ? pad4(len) : len);
	uint8_t *p = buf;

	if (len > UINT16_MAX || total > cap)
		return 0;
	turn_channel_data_header(p, ch, (uint16_t)len);
	if (len > 0)
		memmove(p + TURN_CHANNEL_HEADER_LEN, data, len);
	memset(p + TURN_CHANNEL_HEADER_LEN + len, 0,
	       total - TURN_CHANNEL_HEADER_LEN - len);
	return total;
}
