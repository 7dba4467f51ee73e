/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h225_pcap_gen.c — encodes every sample RAS message and writes them, one
 * per frame, as Ethernet/IPv4/UDP datagrams to port 1719 into a pcap file
 * for Wireshark to judge (test_h225_tshark.py).
 *
 *   h225_pcap_gen OUT.pcap     prints "FRAME SAMPLE TAG ASN1-NAME" per frame
 *
 * Frame i (from 1) holds h225_samples[i - 1]; one more frame, the
 * "canary", holds a truncated message Wireshark must flag. Addresses are
 * 192.0.2.20 -> 203.0.113.10, checksums are real.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h225_samples.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* UDP checksum over the IPv4 pseudo-header and the datagram. */
static uint16_t udp_checksum(const uint8_t *ip, const uint8_t *udp, size_t n)
{
	uint8_t *tmp = malloc(12 + n + 1);
	uint16_t c;

	if (tmp == NULL)
		exit(2);
	memcpy(tmp, ip + 12, 8);	/* source and destination */
	tmp[8] = 0;
	tmp[9] = 17;
	put16(tmp + 10, (uint16_t)n);
	memcpy(tmp + 12, udp, n);
	c = ip_checksum(tmp, 12 + n);
	free(tmp);
	return c == 0 ? 0xffff : c;
}

/* Builds Ethernet + IPv4 + UDP around payload into frame; returns size. */
static size_t build_frame(uint8_t *frame, const uint8_t *payload, size_t n,
			  uint16_t ip_id)
{
	static const uint8_t dst_mac[6] = { 0x02, 0, 0, 0, 0, 0x10 };
	static const uint8_t src_mac[6] = { 0x02, 0, 0, 0, 0, 0x20 };
	static const uint8_t src_ip[4] = { 192, 0, 2, 20 };
	static const uint8_t dst_ip[4] = { 203, 0, 113, 10 };
	uint8_t *ip = frame + 14, *udp = ip + 20;

	memcpy(frame, dst_mac, 6);
	memcpy(frame + 6, src_mac, 6);
	put16(frame + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + 8 + n));
	put16(ip + 4, ip_id);
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, src_ip, 4);
	memcpy(ip + 16, dst_ip, 4);
	put16(ip + 10, ip_checksum(ip, 20));
	put16(udp, 1719);
	put16(udp + 2, 1719);
	put16(udp + 4, (uint16_t)(8 + n));
	put16(udp + 6, 0);
	memcpy(udp + 8, payload, n);
	put16(udp + 6, udp_checksum(ip, udp, 8 + n));
	return 14 + 20 + 8 + n;
}

static void write_u32(FILE *f, uint32_t v)
{
	fwrite(&v, sizeof(v), 1, f);	/* pcap: the writer's byte order */
}

static void write_u16(FILE *f, uint16_t v)
{
	fwrite(&v, sizeof(v), 1, f);
}

static void write_frame(FILE *f, const uint8_t *payload, size_t len,
			uint16_t n)
{
	static uint8_t frame[H225_RAS_MAX_SIZE + 64];
	size_t flen = build_frame(frame, payload, len, n);

	write_u32(f, 1700000000u + n - 1);
	write_u32(f, 0);
	write_u32(f, (uint32_t)flen);
	write_u32(f, (uint32_t)flen);
	fwrite(frame, 1, flen, f);
}

/* The last frame is the first sample cut in half: Wireshark must call it
 * malformed, which proves the checker would notice a broken encoding. */
static void write_canary(FILE *f, uint8_t *enc, size_t cap, uint16_t n)
{
	struct h225_ras_msg m;
	size_t len;

	memset(&m, 0, sizeof(m));
	h225_samples[0].build(&m);
	if (h225_ras_encode(&m, enc, cap, &len, NULL) < 0)
		exit(1);
	write_frame(f, enc, len / 2, n);
	printf("%u canary-truncated %u %s\n", n, m.tag,
	       h225_ras_tag_name(m.tag));
}

int main(int argc, char **argv)
{
	static uint8_t enc[H225_RAS_MAX_SIZE];
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OUT.pcap\n", argv[0]);
		return 2;
	}
	f = fopen(argv[1], "wb");
	if (f == NULL) {
		perror(argv[1]);
		return 2;
	}
	write_u32(f, 0xa1b2c3d4);	/* microsecond pcap */
	write_u16(f, 2);
	write_u16(f, 4);
	write_u32(f, 0);
	write_u32(f, 0);
	write_u32(f, 65535);
	write_u32(f, 1);		/* LINKTYPE_ETHERNET */
	for (size_t i = 0; i < h225_samples_count; i++) {
		struct h225_ras_msg m;
		struct per_error err;
		size_t len;

		memset(&m, 0, sizeof(m));
		h225_samples[i].build(&m);
		if (h225_ras_encode(&m, enc, sizeof(enc), &len, &err) < 0) {
			fprintf(stderr, "%s: encode failed: %s\n",
				h225_samples[i].name, err.reason);
			return 1;
		}
		write_frame(f, enc, len, (uint16_t)(i + 1));
		printf("%zu %s %u %s\n", i + 1, h225_samples[i].name, m.tag,
		       h225_ras_tag_name(m.tag));
	}
	write_canary(f, enc, sizeof(enc), (uint16_t)(h225_samples_count + 1));
	if (fclose(f) != 0) {
		perror(argv[1]);
		return 2;
	}
	return 0;
}
