/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_rtp.c — the RTCP reader behind per-leg call quality (dp_rtp.h).
 *
 * Compound RTCP (RFC 3550 §6.1): packets back to back, each
 *   V=2 | P | count(5) | PT(8) | length(16, in 32-bit words minus one)
 * An SR is header, SSRC and 20 bytes of sender info, then `count` report
 * blocks of 24 bytes; an RR is header and SSRC, then the blocks.
 */
#include <stddef.h>

#include "dp_rtp.h"

bool
dp_rtcp_first_report(const uint8_t *p, uint32_t len,
		     struct dp_rtcp_report *r)
{
	const uint8_t *block = NULL;
	uint32_t off = 0;

	if (len < DP_RTCP_HDR_LEN ||
	    (p[1] != DP_RTCP_PT_SR && p[1] != DP_RTCP_PT_RR))
		return false;
	while (off < len) {
		const uint8_t *h = p + off;
		uint32_t plen, count, fixed;

		if (len - off < 4 || (h[0] >> 6) != 2)
			return false;
		plen = ((uint32_t)h[2] << 8 | h[3]) * 4 + 4;
		if (plen > len - off)
			return false;
		count = h[0] & 0x1f;
		if (block == NULL && count > 0 &&
		    (h[1] == DP_RTCP_PT_SR || h[1] == DP_RTCP_PT_RR)) {
			fixed = h[1] == DP_RTCP_PT_SR ? DP_RTCP_SR_LEN :
							DP_RTCP_HDR_LEN;
			if (fixed + count * DP_RTCP_BLOCK_LEN > plen)
				return false;
			block = h + fixed;
		}
		off += plen;
	}
	if (block == NULL)
		return false;
	r->ssrc = dp_rtp_be32(block);
	r->fraction_lost = block[4];
	/* 24-bit two's complement */
	r->cum_lost = (int32_t)((uint32_t)block[5] << 24 |
				(uint32_t)block[6] << 16 |
				(uint32_t)block[7] << 8) >> 8;
	r->jitter = dp_rtp_be32(block + 12);
	return true;
}
