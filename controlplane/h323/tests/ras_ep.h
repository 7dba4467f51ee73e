/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ras_ep.h — a scripted H.323 endpoint's messages, built with our codec:
 * what the unit tests of the RAS service and the e2e client (h323_ep.c)
 * send. One struct holds everything the messages point at, so a message
 * stays valid until the next one is built.
 */
#ifndef SL_RAS_EP_H
#define SL_RAS_EP_H

#include <stdbool.h>
#include <stdint.h>

#include "h225_cs.h"
#include "h225_ras.h"

struct ras_ep {
	/* who */
	char alias[128];                /* h323-ID, also the token's alias */
	char password[128];
	uint32_t ip;                    /* declared addresses, network order */
	uint16_t ras_port, cs_port;
	bool h46018;
	uint32_t ttl;                   /* 0: none asked */
	uint16_t seq;
	char epid[32];                  /* from the RCF */
	struct per_oid proto;           /* protocolIdentifier sent */

	/* what the messages point at */
	uint16_t alias_chars[128];
	struct h225_alias_address aliases[2];
	char extra_alias[64];           /* a second alias: dialledDigits if
					 * all digits, else an h323-ID */
	uint16_t extra_chars[64];
	struct h225_crypto_h323_token tok;
	uint8_t hash[16];
	struct h225_transport_address cs, ras;
	struct h225_generic_data feature;
	struct h235_authentication_mechanism mech;
	struct per_oid alg;
	uint16_t epid_chars[32];
	uint16_t gk_chars[64];
	struct h225_alias_address dest;
	uint16_t dest_chars[128];
	struct h225_vendor_identifier vendor;
};

void ras_ep_init(struct ras_ep *e, const char *alias, const char *password,
		 uint32_t ip, uint16_t ras_port);

/* The password token, stamped `ts` (seconds since 1970). 0 or -1. */
int ras_ep_token(struct ras_ep *e, uint32_t ts);

void ras_ep_grq(struct ras_ep *e, struct h225_ras_msg *m);
/* Full (keep_alive false) or keep-alive RRQ; with_token false leaves the
 * token out. 0 or -1. */
int ras_ep_rrq(struct ras_ep *e, struct h225_ras_msg *m, uint32_t ts,
	       bool keep_alive, bool with_token);
int ras_ep_urq(struct ras_ep *e, struct h225_ras_msg *m, uint32_t ts);
/* The SCR answering SCI seq. */
void ras_ep_scr(struct ras_ep *e, struct h225_ras_msg *m, uint16_t seq);
/* A traversal client's keep-alive SCI (token for its zone username). */
int ras_ep_zone_sci(struct ras_ep *e, struct h225_ras_msg *m, uint32_t ts);
void ras_ep_lrq(struct ras_ep *e, struct h225_ras_msg *m, const char *dest);

/* Remembers the endpointIdentifier of an RCF. 0, or -1 if m is none. */
int ras_ep_take_rcf(struct ras_ep *e, const struct h225_ras_msg *m);

/* The Facility an H.460.18 endpoint opens its connection with, as a
 * complete TPKT (H.460.18: callReference 0, reason undefinedReason, the
 * callID of the SCI). Returns the length, or 0. */
size_t ras_ep_facility(const uint8_t call_id[16], uint8_t *out, size_t cap);

#endif /* SL_RAS_EP_H */
