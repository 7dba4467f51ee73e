/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stun_pcap_gen.c — the codec's messages in a pcap for Wireshark to judge
 * (test_stun_tshark.py): a TURN exchange over UDP 3478 as the dataplane
 * will speak it, each message built by the writer, plus the four RFC 5769
 * vectors as they stand.
 *
 *   stun_pcap_gen OUT.pcap
 *
 * Frames (client 198.51.100.20:50000, server 192.0.2.10:3478), in order:
 *   1  Allocate request, no credentials: REQUESTED-TRANSPORT, LIFETIME,
 *      DONT-FRAGMENT, EVEN-PORT, SOFTWARE, FINGERPRINT
 *   2  Allocate error 401: ERROR-CODE, REALM, NONCE, PASSWORD-ALGORITHMS,
 *      FINGERPRINT
 *   3  Allocate request: USERNAME, REALM, NONCE, REQUESTED-TRANSPORT,
 *      MESSAGE-INTEGRITY, FINGERPRINT
 *   4  Allocate success: XOR-RELAYED-ADDRESS, XOR-MAPPED-ADDRESS,
 *      LIFETIME, MESSAGE-INTEGRITY, FINGERPRINT
 *   5  CreatePermission request: XOR-PEER-ADDRESS (IPv4, IPv6), USERNAME,
 *      REALM, NONCE, MESSAGE-INTEGRITY, FINGERPRINT
 *   6  ChannelBind request: CHANNEL-NUMBER, XOR-PEER-ADDRESS, USERNAME,
 *      REALM, NONCE, MESSAGE-INTEGRITY, FINGERPRINT
 *   7  Send indication: XOR-PEER-ADDRESS, DATA, FINGERPRINT
 *   8  Data indication: XOR-PEER-ADDRESS, DATA
 *   9  ChannelData 0x4000, 5 bytes, padded (client to server)
 *  10  ChannelData 0x4000, 5 bytes, not padded (server to client)
 *  11  Refresh request: LIFETIME 0, USERHASH, REALM, NONCE,
 *      PASSWORD-ALGORITHM, PASSWORD-ALGORITHMS, MESSAGE-INTEGRITY-SHA256,
 *      FINGERPRINT
 *  12  Allocate error 420: ERROR-CODE, UNKNOWN-ATTRIBUTES
 *  13  Refresh error 438: ERROR-CODE, REALM, NONCE, MESSAGE-INTEGRITY
 *  14  Allocate error 300: ERROR-CODE, ALTERNATE-SERVER, FINGERPRINT
 *  15-18  RFC 5769 2.1, 2.2, 2.3, 2.4
 *  19  frame 1 with its FINGERPRINT's last bit flipped: Wireshark must
 *      call it bad, so that the test knows its "[correct]" check bites
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "stun.h"
#include "turn_auth.h"

#define FRAME_MAX 2048

static const uint8_t client_ip[4] = { 198, 51, 100, 20 };
static const uint8_t server_ip[4] = { 192, 0, 2, 10 };
#define CLIENT_PORT 50000
#define SERVER_PORT 3478

static unsigned frame_no;

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* One Ethernet/IPv4/UDP frame with real checksums. */
static void frame(FILE *f, bool to_server, const uint8_t *payload,
		  size_t len)
{
	uint8_t fr[FRAME_MAX] = { 0x02, 0, 0, 0, 0, 0x10, 0x02, 0, 0, 0, 0,
				  0x20, 0x08, 0x00 };
	uint8_t *ip = fr + 14, *udp = ip + 20, pseudo[12];
	const uint8_t *src = to_server ? client_ip : server_ip;
	const uint8_t *dst = to_server ? server_ip : client_ip;
	uint32_t hdr[4];
	size_t total = 42 + len;

	if (total > sizeof(fr))
		abort();
	frame_no++;
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(28 + len));
	put16(ip + 4, (uint16_t)frame_no);
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, src, 4);
	memcpy(ip + 16, dst, 4);
	put16(ip + 10, fold(sum16(ip, 20, 0)));
	put16(udp, to_server ? CLIENT_PORT : SERVER_PORT);
	put16(udp + 2, to_server ? SERVER_PORT : CLIENT_PORT);
	put16(udp + 4, (uint16_t)(8 + len));
	memcpy(udp + 8, payload, len);
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 17;
	put16(pseudo + 10, (uint16_t)(8 + len));
	put16(udp + 6, fold(sum16(udp, 8 + len, sum16(pseudo, 12, 0))));

	hdr[0] = 1700000000u + frame_no;
	hdr[1] = 0;
	hdr[2] = (uint32_t)total;
	hdr[3] = (uint32_t)total;
	if (fwrite(hdr, sizeof(hdr), 1, f) != 1 ||
	    fwrite(fr, 1, total, f) != total) {
		perror("write");
		exit(1);
	}
}

static void emit(FILE *f, bool to_server, struct stun_writer *w)
{
	if (w->err != STUN_OK) {
		fprintf(stderr, "frame %u: %s\n", frame_no + 1,
			stun_strerror(w->err));
		exit(1);
	}
	frame(f, to_server, w->buf, w->len);
}

static struct stun_addr addr(const char *s, uint16_t port)
{
	struct stun_addr a = { .port = port };

	if (inet_pton(AF_INET, s, &a.ip.v4) == 1)
		a.family = STUN_AF_IPV4;
	else if (inet_pton(AF_INET6, s, a.ip.v6) == 1)
		a.family = STUN_AF_IPV6;
	else
		abort();
	return a;
}

/* The RFC 5769 vectors are rebuilt by test_stun byte for byte; here the
 * same builders' output goes on the wire. */
static void rfc5769(FILE *f)
{
	static const uint8_t tid[12] = { 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
					 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae };
	static const uint8_t tid_lt[12] = { 0x78, 0xad, 0x34, 0x33, 0xc6,
					    0xad, 0x72, 0xc0, 0x29, 0xda,
					    0x41, 0x2e };
	static const char user_lt[] = "\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa"
				      "\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9";
	struct stun_addr a4 = addr("192.0.2.1", 32853);
	struct stun_addr a6 = addr("2001:db8:1234:5678:11:2233:4455:6677",
				   32853);
	uint8_t buf[256], lt[TURN_KEY_MAX];
	struct stun_writer w;
	struct stun_key k;
	size_t n;

	stun_key_init(&k, "VOkJxbRl1RmTxUk/WvJxBt", 22);
	stun_writer_init(&w, buf, sizeof(buf), STUN_BINDING, STUN_REQUEST, tid);
	w.pad_byte = 0x20;
	stun_put_str(&w, STUN_A_SOFTWARE, "STUN test client");
	stun_put_u32(&w, STUN_A_PRIORITY, 0x6e0001ff);
	stun_put_u64(&w, STUN_A_ICE_CONTROLLED, UINT64_C(0x932ff9b151263b36));
	stun_put_str(&w, STUN_A_USERNAME, "evtj:h6vY");
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	emit(f, true, &w);

	stun_writer_init(&w, buf, sizeof(buf), STUN_BINDING, STUN_SUCCESS, tid);
	w.pad_byte = 0x20;
	stun_put_str(&w, STUN_A_SOFTWARE, "test vector");
	stun_put_xor_addr(&w, STUN_A_XOR_MAPPED_ADDRESS, &a4);
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	emit(f, false, &w);

	stun_writer_init(&w, buf, sizeof(buf), STUN_BINDING, STUN_SUCCESS, tid);
	w.pad_byte = 0x20;
	stun_put_str(&w, STUN_A_SOFTWARE, "test vector");
	stun_put_xor_addr(&w, STUN_A_XOR_MAPPED_ADDRESS, &a6);
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	emit(f, false, &w);

	n = turn_longterm_key(STUN_PWALG_MD5, user_lt, strlen(user_lt),
			      "example.org", 11, "TheMatrIX", 9, lt);
	stun_key_init(&k, lt, n);
	stun_writer_init(&w, buf, sizeof(buf), STUN_BINDING, STUN_REQUEST,
			 tid_lt);
	stun_put_str(&w, STUN_A_USERNAME, user_lt);
	stun_put_str(&w, STUN_A_NONCE, "f//499k954d6OL34oL9FSTvy64sA");
	stun_put_str(&w, STUN_A_REALM, "example.org");
	stun_put_integrity(&w, &k);
	emit(f, true, &w);
}

int main(int argc, char **argv)
{
	static const uint16_t algs[2] = { STUN_PWALG_MD5, STUN_PWALG_SHA256 };
	static const uint16_t unknown[2] = { 0x0003, 0x7ff0 };
	static const char realm[] = "relay.example";
	uint8_t tid[12] = { 's', 'l', 'u', 'i', 'c', 'e', 0, 0, 0, 0, 0, 1 };
	uint8_t buf[512], first[128], key[TURN_KEY_MAX];
	uint8_t hash[STUN_USERHASH_LEN];
	uint32_t pcap_hdr[6] = { 0xa1b2c3d4u, 2 | 4u << 16, 0, 0, 65535, 1 };
	struct stun_addr client = addr("198.51.100.20", CLIENT_PORT);
	struct stun_addr relayed = addr("192.0.2.10", 24000);
	struct stun_addr peer4 = addr("203.0.113.7", 5004);
	struct stun_addr peer6 = addr("2001:db8::7", 5006);
	struct stun_addr alt = addr("192.0.2.11", 3478);
	struct turn_nonce_keys nk;
	char nonce[TURN_NONCE_LEN + 1];
	struct stun_writer w;
	struct stun_key k;
	size_t klen, n, first_len;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OUT.pcap\n", argv[0]);
		return 2;
	}
	f = fopen(argv[1], "wb");
	if (f == NULL || fwrite(pcap_hdr, sizeof(pcap_hdr), 1, f) != 1) {
		perror(argv[1]);
		return 1;
	}

	turn_nonce_keys_init(&nk, "a nonce secret of 32 bytes......", 32);
	turn_nonce_make(&nk, TURN_FEATURE_PASSWORD_ALGORITHMS, 1700003600,
			&client, nonce);
	nonce[TURN_NONCE_LEN] = '\0';
	klen = turn_longterm_key(STUN_PWALG_MD5, "alice", 5, realm,
				 strlen(realm), "s3cret", 6, key);
	stun_key_init(&k, key, klen);

	/* 1 (and, corrupted, 19) */
	stun_writer_init(&w, first, sizeof(first), TURN_ALLOCATE, STUN_REQUEST,
			 tid);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	stun_put_u32(&w, STUN_A_LIFETIME, 600);
	stun_put(&w, STUN_A_DONT_FRAGMENT, NULL, 0);
	stun_put_even_port(&w, true);
	stun_put_str(&w, STUN_A_SOFTWARE, "sluice test client");
	stun_put_fingerprint(&w);
	emit(f, true, &w);
	first_len = w.len;
	/* 2 */
	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_ERROR, tid);
	stun_put_error(&w, 401, NULL);
	stun_put_str(&w, STUN_A_REALM, realm);
	stun_put_str(&w, STUN_A_NONCE, nonce);
	stun_put_password_algorithms(&w, algs, 2);
	stun_put_fingerprint(&w);
	emit(f, false, &w);
	/* 3 */
	tid[11] = 2;
	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_REQUEST, tid);
	stun_put_str(&w, STUN_A_USERNAME, "alice");
	stun_put_str(&w, STUN_A_REALM, realm);
	stun_put_str(&w, STUN_A_NONCE, nonce);
	stun_put_requested_transport(&w, TURN_TRANSPORT_UDP);
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	emit(f, true, &w);
	/* 4 */
	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_SUCCESS, tid);
	stun_put_xor_addr(&w, STUN_A_XOR_RELAYED_ADDRESS, &relayed);
	stun_put_xor_addr(&w, STUN_A_XOR_MAPPED_ADDRESS, &client);
	stun_put_u32(&w, STUN_A_LIFETIME, 600);
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	emit(f, false, &w);
	/* 5 */
	tid[11] = 3;
	stun_writer_init(&w, buf, sizeof(buf), TURN_CREATE_PERMISSION,
			 STUN_REQUEST, tid);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &peer4);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &peer6);
	stun_put_str(&w, STUN_A_USERNAME, "alice");
	stun_put_str(&w, STUN_A_REALM, realm);
	stun_put_str(&w, STUN_A_NONCE, nonce);
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	emit(f, true, &w);
	/* 6 */
	tid[11] = 4;
	stun_writer_init(&w, buf, sizeof(buf), TURN_CHANNEL_BIND, STUN_REQUEST,
			 tid);
	stun_put_channel_number(&w, 0x4000);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &peer4);
	stun_put_str(&w, STUN_A_USERNAME, "alice");
	stun_put_str(&w, STUN_A_REALM, realm);
	stun_put_str(&w, STUN_A_NONCE, nonce);
	stun_put_integrity(&w, &k);
	stun_put_fingerprint(&w);
	emit(f, true, &w);
	/* 7 */
	tid[11] = 5;
	stun_writer_init(&w, buf, sizeof(buf), TURN_SEND, STUN_INDICATION, tid);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &peer4);
	stun_put(&w, STUN_A_DATA, "hello", 5);
	stun_put_fingerprint(&w);
	emit(f, true, &w);
	/* 8 */
	tid[11] = 6;
	stun_writer_init(&w, buf, sizeof(buf), TURN_DATA, STUN_INDICATION, tid);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &peer4);
	stun_put(&w, STUN_A_DATA, "world", 5);
	emit(f, false, &w);
	/* 9, 10 */
	n = turn_channel_data_write(buf, sizeof(buf), 0x4000, "hello", 5, true);
	frame(f, true, buf, n);
	n = turn_channel_data_write(buf, sizeof(buf), 0x4000, "world", 5,
				    false);
	frame(f, false, buf, n);
	/* 11: SHA-256 long-term key, USERHASH instead of USERNAME */
	tid[11] = 7;
	klen = turn_longterm_key(STUN_PWALG_SHA256, "alice", 5, realm,
				 strlen(realm), "s3cret", 6, key);
	stun_key_init(&k, key, klen);
	stun_userhash("alice", 5, realm, strlen(realm), hash);
	stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH, STUN_REQUEST, tid);
	stun_put_u32(&w, STUN_A_LIFETIME, 0);
	stun_put(&w, STUN_A_USERHASH, hash, sizeof(hash));
	stun_put_str(&w, STUN_A_REALM, realm);
	stun_put_str(&w, STUN_A_NONCE, nonce);
	stun_put_password_algorithm(&w, STUN_PWALG_SHA256);
	stun_put_password_algorithms(&w, algs, 2);
	stun_put_integrity_sha256(&w, &k, 32);
	stun_put_fingerprint(&w);
	emit(f, true, &w);
	/* 12 */
	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_ERROR, tid);
	stun_put_error(&w, 420, NULL);
	stun_put_unknown_attributes(&w, unknown, 2);
	emit(f, false, &w);
	/* 13 */
	stun_writer_init(&w, buf, sizeof(buf), TURN_REFRESH, STUN_ERROR, tid);
	stun_put_error(&w, 438, NULL);
	stun_put_str(&w, STUN_A_REALM, realm);
	stun_put_str(&w, STUN_A_NONCE, nonce);
	stun_put_integrity(&w, &k);
	emit(f, false, &w);
	/* 14 */
	stun_writer_init(&w, buf, sizeof(buf), TURN_ALLOCATE, STUN_ERROR, tid);
	stun_put_error(&w, 300, NULL);
	stun_put_addr(&w, STUN_A_ALTERNATE_SERVER, &alt);
	stun_put_fingerprint(&w);
	emit(f, false, &w);
	/* 15-18 */
	rfc5769(f);
	/* 19 */
	first[first_len - 1] ^= 1;
	frame(f, true, first, first_len);

	if (fclose(f) != 0) {
		perror(argv[1]);
		return 1;
	}
	printf("%u frames in %s\n", frame_no, argv[1]);
	return 0;
}
