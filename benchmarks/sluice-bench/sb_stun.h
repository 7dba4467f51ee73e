/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sb_stun.h — the STUN/TURN messages sluice-bench's TURN client needs
 * (RFC 8489, RFC 8656), pure C with OpenSSL for MD5 and HMAC-SHA1:
 * Allocate, ChannelBind, CreatePermission, Refresh, long-term credentials
 * (MESSAGE-INTEGRITY, key MD5(user:realm:password)) and FINGERPRINT.
 *
 *   0      2      4              8                           20
 *   | type | len  | magic cookie | transaction id (96 bits)   | attributes…
 *   attribute: | type | len | value, padded to 4 |
 */
#ifndef SLUICE_SB_STUN_H
#define SLUICE_SB_STUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STUN_HDR            20
#define STUN_MAX            548     /* what we build and accept */

/* methods and classes */
#define STUN_ALLOCATE           0x0003
#define STUN_REFRESH            0x0004
#define STUN_CREATE_PERMISSION  0x0008
#define STUN_CHANNEL_BIND       0x0009
#define STUN_BINDING            0x0001
#define STUN_CLASS_REQUEST      0x0000
#define STUN_CLASS_SUCCESS      0x0100
#define STUN_CLASS_ERROR        0x0110
#define STUN_CLASS_MASK         0x0110

/* attributes */
#define STUN_A_USERNAME             0x0006
#define STUN_A_MESSAGE_INTEGRITY    0x0008
#define STUN_A_ERROR_CODE           0x0009
#define STUN_A_CHANNEL_NUMBER       0x000c
#define STUN_A_LIFETIME             0x000d
#define STUN_A_XOR_PEER_ADDRESS     0x0012
#define STUN_A_REALM                0x0014
#define STUN_A_NONCE                0x0015
#define STUN_A_XOR_RELAYED_ADDRESS  0x0016
#define STUN_A_REQUESTED_TRANSPORT  0x0019
#define STUN_A_XOR_MAPPED_ADDRESS   0x0020
#define STUN_A_FINGERPRINT          0x8028

struct stun_msg {
	uint8_t buf[STUN_MAX];
	size_t len;
};

/* A parsed answer: what the client looks at. */
struct stun_answer {
	uint16_t type;
	uint8_t txid[12];
	unsigned error;                 /* 0: none */
	char realm[128];
	char nonce[256];
	bool have_relayed;
	uint32_t relayed_ip;            /* network order */
	uint16_t relayed_port;          /* host order */
	uint32_t lifetime;
};

void stun_begin(struct stun_msg *m, uint16_t type, const uint8_t txid[12]);
int stun_attr(struct stun_msg *m, uint16_t type, const void *val,
	      size_t len);
int stun_attr_u32(struct stun_msg *m, uint16_t type, uint32_t v);
/* XOR-*-ADDRESS, IPv4; ip network order, port host order */
int stun_attr_xor_addr(struct stun_msg *m, uint16_t type, uint32_t ip,
		       uint16_t port);
/* MESSAGE-INTEGRITY with the 16-byte long-term key, then FINGERPRINT. */
int stun_finish(struct stun_msg *m, const uint8_t key[16]);

/* key = MD5(user ":" realm ":" password); key256 (may be NULL) = SHA-256
 * of the same, the key for PASSWORD-ALGORITHM SHA-256 (RFC 8489 §9.2.2) */
int stun_lt_key(const char *user, const char *realm, const char *password,
		uint8_t key[16], uint8_t key256[32]);

/* True when buf is a STUN message (cookie, length); fills a. */
bool stun_parse(const uint8_t *buf, size_t len, struct stun_answer *a);

/* CRC-32 (IEEE 802.3), for FINGERPRINT. */
uint32_t stun_crc32(const uint8_t *p, size_t n);

#endif
