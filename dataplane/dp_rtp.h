/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_rtp.h — what the media stages read of RTP and RTCP, and the H.460.19
 * multiplexed framing. Pure C on byte buffers (no DPDK), so the unit suite
 * and the fuzzers run exactly the code the workers run.
 *
 *   multiplexed datagram (UDP payload on a demultiplexing port):
 *     0               4                                   len
 *     +---------------+-----------------------------------+
 *     | multiplexID   | RTP (even port) or RTCP (odd port) |  unmodified
 *     +---------------+-----------------------------------+
 *      network order, 0 is not an ID
 *
 * Nothing here trusts a length: every reader takes the buffer's length and
 * looks at no byte beyond it.
 */
#ifndef SLUICE_DP_RTP_H
#define SLUICE_DP_RTP_H

#include <stdbool.h>
#include <stdint.h>

#define DP_MUX_ID_LEN        4u
#define DP_RTP_HDR_LEN       12u  /* fixed header, no CSRC */
#define DP_RTCP_HDR_LEN      8u   /* header and the sender's SSRC */
#define DP_RTCP_SR_LEN       28u  /* SR without report blocks */
#define DP_RTCP_BLOCK_LEN    24u  /* one report block */
#define DP_RTCP_PT_SR        200u
#define DP_RTCP_PT_RR        201u

/* Why a multiplexed datagram is refused before its ID is looked up. */
enum dp_mux_verdict {
	DP_MUX_OK = 0,
	DP_MUX_SHORT,    /* no room for the ID and an RTP (RTCP) header */
	DP_MUX_ID_ZERO,  /* multiplexID 0 */
};

static inline uint32_t
dp_rtp_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/*
 * A multiplexed datagram of `len` bytes: the ID (host order) in *id when
 * DP_MUX_OK. `rtcp`: it arrived on the pair's RTCP (odd) port.
 */
static inline enum dp_mux_verdict
dp_mux_frame_check(const uint8_t *p, uint32_t len, bool rtcp, uint32_t *id)
{
	if (len < DP_MUX_ID_LEN + (rtcp ? DP_RTCP_HDR_LEN : DP_RTP_HDR_LEN))
		return DP_MUX_SHORT;
	*id = dp_rtp_be32(p);
	return *id == 0 ? DP_MUX_ID_ZERO : DP_MUX_OK;
}

/*
 * RTP and RTCP on one port (rtcp-mux), told apart as RFC 5761 §4 says: the
 * second byte of RTCP is a packet type 192..223, where RTP's marker and
 * payload type never land (PTs 64..95 are not used for RTP).
 */
static inline bool
dp_rtp_is_rtcp(const uint8_t *p, uint32_t len)
{
	return len >= 2 && p[1] >= 192 && p[1] <= 223;
}

/*
 * The RTP keep-alive of H.460.19: a bare 12-byte RTP header (version 2, no
 * padding, extension or CSRC) with the payload type the leg's signaling
 * named. `pt` above 127 (no keep-alive type) never matches.
 */
static inline bool
dp_rtp_is_keepalive(const uint8_t *p, uint32_t len, uint8_t pt)
{
	return len == DP_RTP_HDR_LEN && p[0] == 0x80 && (p[1] & 0x7f) == pt;
}

/*
 * The RTCP keep-alive: an empty sender report (version 2, no padding, no
 * report blocks, 28 bytes, length field 6) and nothing after it; or its
 * receiver-report twin (8 bytes, length 1). Neither carries anything a
 * receiver could use.
 */
static inline bool
dp_rtcp_is_keepalive(const uint8_t *p, uint32_t len)
{
	if (len == DP_RTCP_SR_LEN)
		return p[0] == 0x80 && p[1] == DP_RTCP_PT_SR &&
		       p[2] == 0 && p[3] == 6;
	if (len == DP_RTCP_HDR_LEN)
		return p[0] == 0x80 && p[1] == DP_RTCP_PT_RR &&
		       p[2] == 0 && p[3] == 1;
	return false;
}

/* The first report block of an SR or RR (RFC 3550 §6.4.1). */
struct dp_rtcp_report {
	uint32_t ssrc;           /* the source the block reports on */
	uint8_t fraction_lost;   /* 1/256 */
	int32_t cum_lost;        /* 24-bit signed, sign-extended */
	uint32_t jitter;         /* RTP timestamp units */
};

/*
 * Reads the first report block of a compound RTCP packet of `len` bytes.
 * True only when the whole datagram parses as RTCP: every packet version 2
 * with a length that lands inside the datagram, the packets tiling it
 * exactly, the first an SR or RR (RFC 3550 §6.1), and an SR or RR in it
 * with at least one report block. SRTCP (its index and tag follow the
 * packets) and anything else that is not plain RTCP fails the tiling and is
 * left alone.
 */
bool dp_rtcp_first_report(const uint8_t *p, uint32_t len,
			  struct dp_rtcp_report *r);

#endif /* SLUICE_DP_RTP_H */
