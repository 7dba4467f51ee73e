/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcap_write.c — frames for tshark (see pcap_write.h): Ethernet, IPv4
 * with its header checksum, UDP or TCP with the pseudo-header checksum.
 */
#include <stdlib.h>
#include <string.h>

#include "pcap_write.h"

#define FRAME_MAX 9000

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Transport checksum over the pseudo-header and l4[0..n). */
static uint16_t l4_checksum(const uint8_t *ip, const uint8_t *l4, size_t n,
			    uint8_t proto)
{
	uint8_t pseudo[12];
	uint32_t sum;

	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = proto;
	put16(pseudo + 10, (uint16_t)n);
	sum = sum16(pseudo, sizeof(pseudo), 0);
	return fold(sum16(l4, n, sum));
}

static void ip_header(uint8_t *ip, struct pcap_end src, struct pcap_end dst,
		      uint8_t proto, size_t l4_len, unsigned id)
{
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + l4_len));
	put16(ip + 4, (uint16_t)id);
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, src.ip, 4);
	memcpy(ip + 16, dst.ip, 4);
	put16(ip + 10, fold(sum16(ip, 20, 0)));
}

static int write_frame(FILE *f, unsigned n, const uint8_t *frame, size_t len)
{
	uint32_t hdr[4] = { 1700000000u + n, 0, (uint32_t)len,
			    (uint32_t)len };

	/* pcap: the writer's byte order, as the magic says */
	if (fwrite(hdr, sizeof(hdr), 1, f) != 1 ||
	    fwrite(frame, 1, len, f) != len)
		return -1;
	return 0;
}

static void ethernet(uint8_t *frame)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0x10 };
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x01 };

	memcpy(frame, dst, 6);
	memcpy(frame + 6, src, 6);
	put16(frame + 12, 0x0800);
}

FILE *pcap_open(const char *path)
{
	uint32_t hdr32[] = { 0xa1b2c3d4u };
	uint16_t ver[] = { 2, 4 };
	uint32_t rest[] = { 0, 0, 65535, 1 };	/* LINKTYPE_ETHERNET */
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		return NULL;
	if (fwrite(hdr32, sizeof(hdr32), 1, f) != 1 ||
	    fwrite(ver, sizeof(ver), 1, f) != 1 ||
	    fwrite(rest, sizeof(rest), 1, f) != 1) {
		fclose(f);
		return NULL;
	}
	return f;
}

int pcap_udp(FILE *f, unsigned n, struct pcap_end src, struct pcap_end dst,
	     const uint8_t *payload, size_t len)
{
	static uint8_t frame[FRAME_MAX];
	uint8_t *ip = frame + 14, *udp = ip + 20;

	if (len > FRAME_MAX - 42)
		return -1;
	ethernet(frame);
	ip_header(ip, src, dst, 17, 8 + len, n);
	put16(udp, src.port);
	put16(udp + 2, dst.port);
	put16(udp + 4, (uint16_t)(8 + len));
	put16(udp + 6, 0);
	memcpy(udp + 8, payload, len);
	put16(udp + 6, l4_checksum(ip, udp, 8 + len, 17));
	return write_frame(f, n, frame, 42 + len);
}

int pcap_tcp(FILE *f, unsigned n, struct pcap_end src, struct pcap_end dst,
	     uint32_t seq, const uint8_t *payload, size_t len)
{
	static uint8_t frame[FRAME_MAX];
	uint8_t *ip = frame + 14, *tcp = ip + 20;

	if (len > FRAME_MAX - 54)
		return -1;
	ethernet(frame);
	ip_header(ip, src, dst, 6, 20 + len, n);
	memset(tcp, 0, 20);
	put16(tcp, src.port);
	put16(tcp + 2, dst.port);
	put32(tcp + 4, seq);
	put32(tcp + 8, 1);
	tcp[12] = 5 << 4;
	tcp[13] = 0x18;			/* PSH, ACK */
	put16(tcp + 14, 65535);
	memcpy(tcp + 20, payload, len);
	put16(tcp + 16, l4_checksum(ip, tcp, 20 + len, 6));
	return write_frame(f, n, frame, 54 + len);
}

int pcap_close(FILE *f)
{
	return fclose(f) == 0 ? 0 : -1;
}
