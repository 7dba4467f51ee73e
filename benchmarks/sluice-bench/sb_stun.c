/* SPDX-License-Identifier: BSD-3-Clause */
/* sb_stun.c — see sb_stun.h. */
#include "sb_stun.h"

#include <arpa/inet.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sb_frame.h"

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void
set_len(struct stun_msg *m)
{
	sb_put16(m->buf + 2, (uint16_t)(m->len - STUN_HDR));
}

void
stun_begin(struct stun_msg *m, uint16_t type, const uint8_t txid[12])
{
	memset(m->buf, 0, STUN_HDR);
	sb_put16(m->buf, type);
	sb_put32(m->buf + 4, SB_STUN_COOKIE);
	memcpy(m->buf + 8, txid, 12);
	m->len = STUN_HDR;
	set_len(m);
}

int
stun_attr(struct stun_msg *m, uint16_t type, const void *val, size_t len)
{
	size_t pad = (4 - (len & 3)) & 3;

	if (m->len + 4 + len + pad > STUN_MAX)
		return -1;
	sb_put16(m->buf + m->len, type);
	sb_put16(m->buf + m->len + 2, (uint16_t)len);
	memcpy(m->buf + m->len + 4, val, len);
	memset(m->buf + m->len + 4 + len, 0, pad);
	m->len += 4 + len + pad;
	set_len(m);
	return 0;
}

int
stun_attr_u32(struct stun_msg *m, uint16_t type, uint32_t v)
{
	uint8_t b[4];

	sb_put32(b, v);
	return stun_attr(m, type, b, 4);
}

int
stun_attr_xor_addr(struct stun_msg *m, uint16_t type, uint32_t ip,
		   uint16_t port)
{
	uint8_t b[8] = { 0, 0x01 };

	sb_put16(b + 2, (uint16_t)(port ^ (SB_STUN_COOKIE >> 16)));
	sb_put32(b + 4, ntohl(ip) ^ SB_STUN_COOKIE);
	return stun_attr(m, type, b, sizeof(b));
}

uint32_t
stun_crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

int
stun_finish(struct stun_msg *m, const uint8_t key[16])
{
	uint8_t mac[EVP_MAX_MD_SIZE], fp[4];
	unsigned mlen = 0;

	if (key != NULL) {
		/* the length counts MESSAGE-INTEGRITY itself (RFC 8489 §14.5) */
		if (m->len + 24 + 8 > STUN_MAX)
			return -1;
		sb_put16(m->buf + 2, (uint16_t)(m->len - STUN_HDR + 24));
		if (HMAC(EVP_sha1(), key, 16, m->buf, m->len, mac, &mlen) ==
		    NULL || mlen != 20)
			return -1;
		if (stun_attr(m, STUN_A_MESSAGE_INTEGRITY, mac, 20) != 0)
			return -1;
	}
	sb_put16(m->buf + 2, (uint16_t)(m->len - STUN_HDR + 8));
	sb_put32(fp, stun_crc32(m->buf, m->len) ^ 0x5354554eu);
	return stun_attr(m, STUN_A_FINGERPRINT, fp, 4);
}

int
stun_lt_key(const char *user, const char *realm, const char *password,
	    uint8_t key[16], uint8_t key256[32])
{
	char s[512];
	unsigned len = 0;
	int n;

	n = snprintf(s, sizeof(s), "%s:%s:%s", user, realm, password);
	if (n < 0 || (size_t)n >= sizeof(s))
		return -1;
	if (EVP_Digest(s, (size_t)n, key, &len, EVP_md5(), NULL) != 1 ||
	    len != 16)
		return -1;
	if (key256 != NULL &&
	    (EVP_Digest(s, (size_t)n, key256, &len, EVP_sha256(), NULL) != 1 ||
	     len != 32))
		return -1;
	return 0;
}

static void
copy_str(char *dst, size_t cap, const uint8_t *v, size_t len)
{
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

bool
stun_parse(const uint8_t *buf, size_t len, struct stun_answer *a)
{
	size_t off = STUN_HDR, mlen;

	memset(a, 0, sizeof(*a));
	if (len < STUN_HDR || (buf[0] & 0xc0) != 0 ||
	    get32(buf + 4) != SB_STUN_COOKIE)
		return false;
	mlen = get16(buf + 2);
	if (STUN_HDR + mlen > len || (mlen & 3))
		return false;
	a->type = get16(buf);
	memcpy(a->txid, buf + 8, 12);
	while (off + 4 <= STUN_HDR + mlen) {
		uint16_t t = get16(buf + off), l = get16(buf + off + 2);
		const uint8_t *v = buf + off + 4;

		if (off + 4 + l > STUN_HDR + mlen)
			return false;
		switch (t) {
		case STUN_A_ERROR_CODE:
			if (l >= 4)
				a->error = (v[2] & 7) * 100u + v[3];
			break;
		case STUN_A_REALM:
			copy_str(a->realm, sizeof(a->realm), v, l);
			break;
		case STUN_A_NONCE:
			copy_str(a->nonce, sizeof(a->nonce), v, l);
			break;
		case STUN_A_XOR_RELAYED_ADDRESS:
			if (l == 8 && v[1] == 0x01) {
				a->have_relayed = true;
				a->relayed_port = (uint16_t)(get16(v + 2) ^
							     (SB_STUN_COOKIE >> 16));
				a->relayed_ip = htonl(get32(v + 4) ^ SB_STUN_COOKIE);
			}
			break;
		case STUN_A_LIFETIME:
			if (l == 4)
				a->lifetime = get32(v);
			break;
		default:
			break;
		}
		off += 4 + l + ((4 - (l & 3)) & 3);
	}
	return true;
}
