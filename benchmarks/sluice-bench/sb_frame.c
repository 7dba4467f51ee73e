/* SPDX-License-Identifier: BSD-3-Clause */
/* sb_frame.c — see sb_frame.h. Pure C: used by the generator and by the
 * frame self-check (sluice-bench --write-pcap). */
#include "sb_frame.h"

#include <arpa/inet.h>
#include <string.h>

size_t
sb_encap_prefix_len(enum sb_encap e)
{
	switch (e) {
	case SB_ENCAP_MUX:
		return SB_MUX_LEN;
	case SB_ENCAP_CDATA:
		return SB_CDATA_LEN;
	case SB_ENCAP_SEND:
		return SB_SEND_PREFIX;
	default:
		return 0;
	}
}

unsigned
sb_frame_min(enum sb_encap e)
{
	return SB_HDRS_LEN + (unsigned)sb_encap_prefix_len(e) + SB_RTP_LEN +
	       SB_STAMP_LEN + SB_FCS_LEN;
}

size_t
sb_rtp_len(enum sb_encap e, unsigned frame_len)
{
	size_t rtp;

	if (frame_len < sb_frame_min(e) || frame_len > SB_FRAME_MAX)
		return 0;
	rtp = frame_len - SB_FCS_LEN - SB_HDRS_LEN - sb_encap_prefix_len(e);
	/* A Send indication's DATA is padded to 4 bytes; the stamp must end
	 * the UDP payload, so only sizes that need no padding are allowed. */
	if (e == SB_ENCAP_SEND && (rtp & 3) != 0)
		return 0;
	return rtp;
}

uint32_t
sb_csum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t s = sum;
	uint16_t w;

	while (len >= 2) {
		memcpy(&w, p, 2);
		s += w;
		p += 2;
		len -= 2;
	}
	if (len) {
		w = 0;
		memcpy(&w, p, 1);
		s += w;
	}
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

uint16_t
sb_csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

void
sb_ipv4_csum_set(uint8_t *ip)
{
	unsigned hlen = (ip[0] & 0x0f) * 4u;
	uint16_t c;

	ip[10] = ip[11] = 0;
	c = (uint16_t)~sb_csum_fold(sb_csum_add(0, ip, hlen));
	memcpy(ip + 10, &c, 2);
}

void
sb_udp_csum_set(uint8_t *ip, size_t udp_len)
{
	unsigned hlen = (ip[0] & 0x0f) * 4u;
	uint8_t *udp = ip + hlen;
	uint16_t pseudo[2] = { htons(17), htons((uint16_t)udp_len) };
	uint32_t s;
	uint16_t c;

	udp[6] = udp[7] = 0;
	s = sb_csum_add(0, ip + 12, 8);            /* source, destination */
	s = sb_csum_add(s, pseudo, sizeof(pseudo));
	s = sb_csum_add(s, udp, udp_len);
	c = (uint16_t)~sb_csum_fold(s);
	if (c == 0)
		c = 0xffff;   /* 0 means "no checksum" in IPv4 UDP */
	memcpy(udp + 6, &c, 2);
}

/* The encapsulation in front of an RTP packet of rtp_len bytes. */
static void
encap_write(uint8_t *p, const struct sb_encap_args *ea, size_t rtp_len)
{
	uint32_t ip_host;

	switch (ea->encap) {
	case SB_ENCAP_MUX:
		sb_put32(p, ea->mux_id);
		break;
	case SB_ENCAP_CDATA:
		sb_put16(p, ea->channel);
		sb_put16(p + 2, (uint16_t)rtp_len);
		break;
	case SB_ENCAP_SEND:
		/* STUN header: Send indication (method 0x006, class
		 * indication), length of the attributes, magic cookie */
		sb_put16(p, 0x0016);
		sb_put16(p + 2, (uint16_t)(12 + 4 + rtp_len));
		sb_put32(p + 4, SB_STUN_COOKIE);
		memcpy(p + 8, ea->txid, 12);
		/* XOR-PEER-ADDRESS (0x0012), IPv4 */
		sb_put16(p + 20, 0x0012);
		sb_put16(p + 22, 8);
		p[24] = 0;
		p[25] = 0x01;
		sb_put16(p + 26, (uint16_t)(ea->peer_port ^ (SB_STUN_COOKIE >> 16)));
		ip_host = ntohl(ea->peer_ip);
		sb_put32(p + 28, ip_host ^ SB_STUN_COOKIE);
		/* DATA (0x0013): the RTP packet follows */
		sb_put16(p + 32, 0x0013);
		sb_put16(p + 34, (uint16_t)rtp_len);
		break;
	default:
		break;
	}
}

size_t
sb_frame_build(uint8_t *buf, unsigned frame_len, const struct sb_addrs *a,
	       const struct sb_encap_args *ea, uint16_t rtp_seq,
	       uint32_t rtp_ts, uint32_t ssrc, const struct sb_stamp *st)
{
	size_t rtp_len = sb_rtp_len(ea->encap, frame_len);
	size_t len = frame_len - SB_FCS_LEN, udp_len = len - SB_ETH_LEN -
			SB_IP_LEN, i;
	uint8_t *ip = buf + SB_ETH_LEN, *udp = ip + SB_IP_LEN;
	uint8_t *rtp = udp + SB_UDP_LEN + sb_encap_prefix_len(ea->encap);

	if (rtp_len == 0)
		return 0;
	memcpy(buf, a->dst_mac, 6);
	memcpy(buf + 6, a->src_mac, 6);
	sb_put16(buf + 12, 0x0800);
	ip[0] = 0x45;
	ip[1] = 0xb8;                 /* DSCP EF, as voice is marked */
	sb_put16(ip + 2, (uint16_t)(len - SB_ETH_LEN));
	sb_put16(ip + 4, 0);
	sb_put16(ip + 6, 0x4000);        /* DF */
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, &a->src_ip, 4);
	memcpy(ip + 16, &a->dst_ip, 4);
	sb_put16(udp, a->sport);
	sb_put16(udp + 2, a->dport);
	sb_put16(udp + 4, (uint16_t)udp_len);
	encap_write(udp + SB_UDP_LEN, ea, rtp_len);
	rtp[0] = 0x80;
	rtp[1] = SB_RTP_PT_PCMU;
	sb_put16(rtp + 2, rtp_seq);
	sb_put32(rtp + 4, rtp_ts);
	sb_put32(rtp + 8, ssrc);
	/* G.711 mu-law silence is 0xff; a ramp is easier to spot in dumps */
	for (i = SB_RTP_LEN; i < rtp_len - SB_STAMP_LEN; i++)
		rtp[i] = (uint8_t)(0xd5 ^ i);
	memcpy(rtp + rtp_len - SB_STAMP_LEN, st, SB_STAMP_LEN);
	sb_ipv4_csum_set(ip);
	sb_udp_csum_set(ip, udp_len);
	return len;
}

size_t
sb_udp_frame(uint8_t *buf, const struct sb_addrs *a, const void *payload,
	     size_t plen)
{
	size_t len = SB_HDRS_LEN + plen;
	uint8_t *ip = buf + SB_ETH_LEN, *udp = ip + SB_IP_LEN;

	if (len + SB_FCS_LEN > SB_FRAME_MAX)
		return 0;
	memcpy(buf, a->dst_mac, 6);
	memcpy(buf + 6, a->src_mac, 6);
	sb_put16(buf + 12, 0x0800);
	memset(ip, 0, SB_IP_LEN);
	ip[0] = 0x45;
	sb_put16(ip + 2, (uint16_t)(len - SB_ETH_LEN));
	sb_put16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, &a->src_ip, 4);
	memcpy(ip + 16, &a->dst_ip, 4);
	sb_put16(udp, a->sport);
	sb_put16(udp + 2, a->dport);
	sb_put16(udp + 4, (uint16_t)(SB_UDP_LEN + plen));
	memcpy(udp + SB_UDP_LEN, payload, plen);
	sb_ipv4_csum_set(ip);
	sb_udp_csum_set(ip, SB_UDP_LEN + plen);
	return len;
}

const uint8_t *
sb_udp_payload(const uint8_t *f, size_t flen, size_t *len)
{
	unsigned hlen;
	uint16_t tlen, ulen;

	if (flen < SB_HDRS_LEN || f[12] != 0x08 || f[13] != 0x00)
		return NULL;
	f += SB_ETH_LEN;
	flen -= SB_ETH_LEN;
	hlen = (f[0] & 0x0f) * 4u;
	if ((f[0] >> 4) != 4 || hlen < SB_IP_LEN || f[9] != 17 ||
	    flen < hlen + SB_UDP_LEN)
		return NULL;
	tlen = (uint16_t)(f[2] << 8 | f[3]);
	ulen = (uint16_t)(f[hlen + 4] << 8 | f[hlen + 5]);
	if (tlen > flen || ulen < SB_UDP_LEN || hlen + ulen > tlen)
		return NULL;
	*len = ulen - SB_UDP_LEN;
	return f + hlen + SB_UDP_LEN;
}

bool
sb_stamp_read(const uint8_t *payload, size_t len, struct sb_stamp *st)
{
	if (len < SB_STAMP_LEN)
		return false;
	memcpy(st, payload + len - SB_STAMP_LEN, SB_STAMP_LEN);
	return st->magic == SB_STAMP_MAGIC;
}

double
sb_line_rate_mpps(double gbps, unsigned frame_len)
{
	return gbps * 1e3 / ((frame_len + SB_WIRE_OVERHEAD) * 8.0);
}
