/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * q931.c — TPKT and Q.931 framing for H.225.0 call signalling (see
 * q931.h). Every read is checked against the end of the message; an
 * information element that claims more octets than are left ends the
 * parse with a reason.
 */
#include <stdio.h>
#include <string.h>

#include "q931.h"

long tpkt_length(const uint8_t hdr[TPKT_HEADER])
{
	long len = (long)hdr[2] << 8 | hdr[3];

	if (hdr[0] != 3 || hdr[1] != 0 || len < TPKT_HEADER)
		return -1;
	return len;
}

static int fail(char *why, size_t cap, const char *what, size_t at)
{
	snprintf(why, cap, "Q.931: %s (octet %zu)", what, at);
	return -1;
}

/* One IE at buf[*at]; the user-user IE is noted in m. */
static int parse_ie(const uint8_t *buf, size_t len, size_t *at,
		    struct q931_msg *m, char *why, size_t cap)
{
	uint8_t id = buf[*at];
	size_t n, hdr;

	if (id & 0x80) {	/* single-octet IE: shift, sending complete */
		(*at)++;
		return 0;
	}
	hdr = id == Q931_IE_USER_USER ? 3 : 2;
	if (len - *at < hdr)
		return fail(why, cap, "information element header cut short",
			    *at);
	n = id == Q931_IE_USER_USER ? (size_t)buf[*at + 1] << 8 | buf[*at + 2]
				    : buf[*at + 1];
	if (n > len - *at - hdr)
		return fail(why, cap, "information element longer than the "
			    "message", *at);
	if (id == Q931_IE_USER_USER) {
		if (m->has_uuie)
			return fail(why, cap, "two user-user elements", *at);
		if (n < 2)
			return fail(why, cap, "empty user-user element", *at);
		m->has_uuie = true;
		m->uu_protocol = buf[*at + hdr];
		m->uuie = buf + *at + hdr + 1;
		m->uuie_len = n - 1;
	}
	*at += hdr + n;
	return 0;
}

int q931_parse(const uint8_t *buf, size_t len, struct q931_msg *m,
	       char *why, size_t why_cap)
{
	size_t crv_len, at;

	memset(m, 0, sizeof(*m));
	if (len < 3 || buf[0] != Q931_PROTOCOL)
		return fail(why, why_cap, "not a Q.931 message", 0);
	crv_len = buf[1] & 0x0f;
	if (crv_len > 2 || len < 3 + crv_len)
		return fail(why, why_cap, "call reference not 0-2 octets", 1);
	if (crv_len > 0) {
		m->crv_flag = (buf[2] & 0x80) != 0;
		m->crv = buf[2] & 0x7f;
		if (crv_len == 2)
			m->crv = (uint16_t)(m->crv << 8 | buf[3]);
	}
	at = 2 + crv_len;
	m->type = buf[at++];
	if (m->type & 0x80)
		return fail(why, why_cap, "message type with bit 8 set",
			    at - 1);
	while (at < len)
		if (parse_ie(buf, len, &at, m, why, why_cap) < 0)
			return -1;
	return 0;
}

size_t q931_build(uint8_t type, uint16_t crv, bool crv_flag,
		  const uint8_t *uuie, size_t uuie_len, uint8_t *out,
		  size_t cap)
{
	size_t total = TPKT_HEADER + 5 + 3 + 1 + uuie_len;

	if (total > cap || total > 0xffff || uuie_len + 1 > 0xffff)
		return 0;
	out[0] = 3;
	out[1] = 0;
	out[2] = (uint8_t)(total >> 8);
	out[3] = (uint8_t)total;
	out[4] = Q931_PROTOCOL;
	out[5] = 2;
	out[6] = (uint8_t)((crv >> 8 & 0x7f) | (crv_flag ? 0x80 : 0));
	out[7] = (uint8_t)crv;
	out[8] = type;
	out[9] = Q931_IE_USER_USER;
	out[10] = (uint8_t)((uuie_len + 1) >> 8);
	out[11] = (uint8_t)(uuie_len + 1);
	out[12] = Q931_UU_X208;
	memcpy(out + 13, uuie, uuie_len);
	return total;
}

const char *q931_type_name(uint8_t type)
{
	switch (type) {
	case Q931_ALERTING: return "Alerting";
	case Q931_CALL_PROCEEDING: return "Call Proceeding";
	case Q931_CONNECT: return "Connect";
	case Q931_SETUP: return "Setup";
	case Q931_RELEASE_COMPLETE: return "Release Complete";
	case Q931_STATUS: return "Status";
	case Q931_FACILITY: return "Facility";
	}
	return "other";
}
