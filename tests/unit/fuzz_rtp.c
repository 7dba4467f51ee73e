/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_rtp.c — libFuzzer harness for what the media stages read of a
 * datagram (dataplane/dp_rtp.h): the multiplexed framing, RTP/RTCP
 * demultiplexing, both keep-alive recognisers and the RTCP report reader.
 *
 * The input is a UDP payload as it arrives on a demultiplexing port; its
 * first byte only chooses the port (even: RTP, odd: RTCP) and the leg's
 * keep-alive payload type. Besides "no crash, no out-of-bounds read, no UB",
 * it checks what the readers promise:
 *   - a frame that passes the check has its ID nonzero and room for a header
 *   - a keep-alive is exactly the length the recogniser names
 *   - a report read from RTCP is bytes of the buffer, at a block that lies
 *     inside it (the copy below is exact, so ASan sees any overread)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dp_rtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_rtcp_report r;
	enum dp_mux_verdict v;
	uint8_t *p, sel, pt;
	uint32_t id = 0, len;
	bool rtcp;

	if (size == 0 || size > 65535)
		return 0;
	sel = data[0];
	rtcp = sel & 1;
	pt = sel >> 1;          /* 0..127: a keep-alive type a leg may have */
	len = (uint32_t)size - 1;
	/* an exact-size copy: any read past `len` is an ASan report */
	p = malloc(len ? len : 1);
	if (p == NULL)
		abort();
	memcpy(p, data + 1, len);

	v = dp_mux_frame_check(p, len, rtcp, &id);
	if (v == DP_MUX_OK) {
		const uint8_t *in = p + DP_MUX_ID_LEN;
		uint32_t ilen = len - DP_MUX_ID_LEN;

		if (id == 0 || ilen < (rtcp ? DP_RTCP_HDR_LEN : DP_RTP_HDR_LEN))
			abort();
		if (!rtcp && dp_rtp_is_keepalive(in, ilen, pt) &&
		    ilen != DP_RTP_HDR_LEN)
			abort();
		if (rtcp && dp_rtcp_is_keepalive(in, ilen) &&
		    ilen != DP_RTCP_SR_LEN && ilen != DP_RTCP_HDR_LEN)
			abort();
		if (rtcp && dp_rtcp_first_report(in, ilen, &r) &&
		    dp_rtcp_is_keepalive(in, ilen))
			abort();        /* a keep-alive carries no block */
	} else if (v == DP_MUX_ID_ZERO) {
		if (len < DP_MUX_ID_LEN || dp_rtp_be32(p) != 0)
			abort();
	} else if (len >= DP_MUX_ID_LEN + (rtcp ? DP_RTCP_HDR_LEN :
					   DP_RTP_HDR_LEN)) {
		abort();                /* long enough, yet "short" */
	}
	/* the same bytes as a plain port's payload (rtcp-mux) */
	(void)dp_rtp_is_rtcp(p, len);
	if (dp_rtcp_first_report(p, len, &r)) {
		/* the block is inside: its SSRC is 4 bytes of the buffer */
		uint32_t off;
		bool found = false;

		for (off = 0; off + 24 <= len; off++)
			if (dp_rtp_be32(p + off) == r.ssrc &&
			    p[off + 4] == r.fraction_lost &&
			    dp_rtp_be32(p + off + 12) == r.jitter) {
				found = true;
				break;
			}
		if (!found)
			abort();
	}
	free(p);
	return 0;
}
