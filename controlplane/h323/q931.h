/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * q931.h — the framing of H.225.0 call signalling on TCP: TPKT (RFC 1006)
 * around a Q.931 message whose user-user information element carries the
 * PER-encoded H323-UserInformation (h225_cs.h).
 *
 *   TPKT     03 00 LL LL                  version 3, length incl. header
 *   Q.931    08                           protocol discriminator
 *            02 CC CC                     call reference: length 2, flag
 *                                         in the top bit, value
 *            62                           message type (Facility)
 *            IEs: single-octet (bit 8 set) or id, length, contents;
 *            7e LL LL 05 <PER...>         user-user: H.225.0 gives it a
 *                                         two-octet length; discriminator
 *                                         05 = X.208/X.209 coded
 *
 * A TPKT of length 4 (no payload) is the keep-alive some stacks send.
 * Parsing is bounded by the given length and never copies.
 */
#ifndef SL_Q931_H
#define SL_Q931_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TPKT_HEADER        4
#define Q931_MSG_MAX       4096   /* what Sluice accepts in one TPKT */

#define Q931_PROTOCOL      0x08
#define Q931_ALERTING      0x01
#define Q931_CALL_PROCEEDING 0x02
#define Q931_CONNECT       0x07
#define Q931_SETUP         0x05
#define Q931_RELEASE_COMPLETE 0x5a
#define Q931_STATUS        0x7d
#define Q931_FACILITY      0x62
#define Q931_IE_USER_USER  0x7e
#define Q931_UU_X208       0x05

/* The total length a TPKT header announces (>= 4), or -1 if hdr is not
 * a TPKT header. */
long tpkt_length(const uint8_t hdr[TPKT_HEADER]);

struct q931_msg {
	uint8_t type;
	bool crv_flag;          /* set: sent by the side that did not
				 * originate the call reference */
	uint16_t crv;
	bool has_uuie;
	uint8_t uu_protocol;    /* discriminator of the user-user IE */
	const uint8_t *uuie;    /* its contents after the discriminator */
	size_t uuie_len;
};

/* Parses buf[0..len) (a TPKT's payload). Returns 0, or -1 with the
 * reason in why. */
int q931_parse(const uint8_t *buf, size_t len, struct q931_msg *m,
	       char *why, size_t why_cap);

/* Writes TPKT + Q.931 (2-octet call reference) + user-user IE holding
 * uuie (X.208 discriminator) into out. Returns the total length, or 0 if
 * it does not fit. */
size_t q931_build(uint8_t type, uint16_t crv, bool crv_flag,
		  const uint8_t *uuie, size_t uuie_len, uint8_t *out,
		  size_t cap);

const char *q931_type_name(uint8_t type);

#endif /* SL_Q931_H */
