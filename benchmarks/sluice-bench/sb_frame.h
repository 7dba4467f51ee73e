/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sb_frame.h — the frames sluice-bench offers to a relay and expects back,
 * pure C (no DPDK): Ethernet / IPv4 / UDP around one of four UDP payloads,
 * each of which carries an RTP packet whose last 24 bytes are the
 * benchmark's stamp.
 *
 *   plain   | RTP header | body ............................ | stamp |
 *   mux     | multiplexID | RTP header | body ............... | stamp |
 *   cdata   | channel | length | RTP header | body ......... | stamp |
 *   send    | STUN header | XOR-PEER-ADDRESS | DATA hdr | RTP ... | stamp |
 *
 * The stamp sits at the *end* of the UDP payload so that it is found at
 * the same place whatever the relay did to the front of the packet
 * (a multiplexID prepended or stripped, a TURN header taken off):
 *
 *   0  magic "SLB!"   4  run     8  flow     12 seq     16 tx TSC (64 bit)
 *
 * in the generator's own byte order: only the generator reads it.
 *
 * Frame sizes count the 4-byte FCS, as pktgen and RFC 2544 do (and
 * docs/benchmarks.md): a 214-byte frame is 210 bytes in the mbuf.
 */
#ifndef SLUICE_SB_FRAME_H
#define SLUICE_SB_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SB_FCS_LEN        4
#define SB_WIRE_OVERHEAD  20          /* preamble, SFD, inter-frame gap */
#define SB_ETH_LEN        14
#define SB_IP_LEN         20
#define SB_UDP_LEN        8
#define SB_HDRS_LEN       (SB_ETH_LEN + SB_IP_LEN + SB_UDP_LEN)
#define SB_RTP_LEN        12
#define SB_STAMP_LEN      24
#define SB_MUX_LEN        4
#define SB_CDATA_LEN      4
#define SB_STUN_HDR_LEN   20
#define SB_SEND_PREFIX    (SB_STUN_HDR_LEN + 12 + 4) /* hdr, XOR-PEER-ADDRESS,
							* DATA attribute hdr */
#define SB_FRAME_MAX      1518
#define SB_STAMP_MAGIC    0x21424c53u   /* "SLB!" in memory, little-endian */
#define SB_STUN_COOKIE    0x2112a442u
#define SB_RTP_PT_PCMU    0
#define SB_RTP_TS_STEP    160           /* 20 ms of G.711 at 8 kHz */

/* How the generator frames what it sends to the relay. */
enum sb_encap {
	SB_ENCAP_PLAIN,   /* RTP straight in UDP */
	SB_ENCAP_MUX,     /* H.460.19 multiplexID, then RTP */
	SB_ENCAP_CDATA,   /* TURN ChannelData (RFC 8656 §12.4), then RTP */
	SB_ENCAP_SEND,    /* TURN Send indication (RFC 8656 §11.1) with DATA */
	SB_ENCAP_MAX
};

struct sb_stamp {
	uint32_t magic;
	uint32_t run;
	uint32_t flow;
	uint32_t seq;
	uint64_t tsc;
};

/* Addresses of one frame: IPs network order, ports host order. */
struct sb_addrs {
	uint8_t dst_mac[6];
	uint8_t src_mac[6];
	uint32_t src_ip;
	uint32_t dst_ip;
	uint16_t sport;
	uint16_t dport;
};

/* What goes in front of the RTP packet, by encapsulation. */
struct sb_encap_args {
	enum sb_encap encap;
	uint32_t mux_id;          /* MUX */
	uint16_t channel;         /* CDATA: 0x4000-0x4fff */
	uint32_t peer_ip;         /* SEND: XOR-PEER-ADDRESS, network order */
	uint16_t peer_port;       /* SEND: host order */
	uint8_t txid[12];         /* SEND: transaction id */
};

/* Bytes in front of the RTP packet in the UDP payload. */
size_t sb_encap_prefix_len(enum sb_encap e);

/* The smallest frame (incl. FCS) that holds RTP and the stamp. */
unsigned sb_frame_min(enum sb_encap e);

/* RTP packet length inside a frame of `frame_len` bytes (incl. FCS). */
size_t sb_rtp_len(enum sb_encap e, unsigned frame_len);

/*
 * Builds a whole frame of frame_len bytes (incl. FCS; the buffer gets
 * frame_len - 4) into buf: headers, the encapsulation, an RTP header
 * (version 2, PCMU, the given sequence, timestamp and SSRC), a byte pattern
 * and the stamp; IPv4 and UDP checksums computed. Returns the bytes
 * written, or 0 when frame_len is out of range for the encapsulation.
 */
size_t sb_frame_build(uint8_t *buf, unsigned frame_len,
		      const struct sb_addrs *a, const struct sb_encap_args *ea,
		      uint16_t rtp_seq, uint32_t rtp_ts, uint32_t ssrc,
		      const struct sb_stamp *st);

/*
 * A frame of Ethernet / IPv4 / UDP around `payload` (plen bytes) into buf,
 * checksums done; returns its length (no FCS), 0 when it does not fit
 * SB_FRAME_MAX. For messages (STUN) rather than stamped media.
 */
size_t sb_udp_frame(uint8_t *buf, const struct sb_addrs *a,
		    const void *payload, size_t plen);

/* One's complement sum helpers (RFC 1071), host-independent. */
uint32_t sb_csum_add(uint32_t sum, const void *buf, size_t len);
uint16_t sb_csum_fold(uint32_t sum);
/* IPv4 header checksum field and UDP checksum field, computed in place. */
void sb_ipv4_csum_set(uint8_t *ip);
void sb_udp_csum_set(uint8_t *ip, size_t udp_len);

/*
 * RX side: the UDP payload of a frame (IPv4, no options or with), or NULL
 * when it is not IPv4/UDP or truncated. *len gets the UDP payload length.
 */
const uint8_t *sb_udp_payload(const uint8_t *frame, size_t frame_len,
			      size_t *len);

/* The stamp at the end of a UDP payload; false when there is none. */
bool sb_stamp_read(const uint8_t *payload, size_t len, struct sb_stamp *st);

/* Line rate in Mpps of a link of `gbps` for frames of `frame_len` (incl.
 * FCS): gbps / ((frame_len + 20) * 8). */
double sb_line_rate_mpps(double gbps, unsigned frame_len);

/* Big-endian stores into a frame being written (sb_frame.c, sb_stun.c). */
static inline void
sb_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
sb_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif /* SLUICE_SB_FRAME_H */
