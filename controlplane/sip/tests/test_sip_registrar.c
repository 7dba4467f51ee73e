/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sip_registrar.c — the registrar as a client sees it: challenge,
 * digest, bindings, refusals, expiry, RFC 5626 flows. The client side
 * computes its digest with sip_digest_expected (RFC 2617/7616 vectors are
 * in test_sip.c), so each case here checks the registrar's decisions.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h323_check.h"
#include "sip_hdr.h"
#include "sip_registrar.h"

static struct sl_config cfg;
static struct sl_credential creds[2] = {
	{ "alice", "wonderland" }, { "bob", "builder" },
};
static struct sip_registrar R;
static struct sip_msg req, resp;
static char reqbuf[4096], out[8192];
static struct sip_peer SRC = { .port = 5070, .tr = SIP_TR_UDP };
static int64_t now_ms = 1000000, wall = 1700000000;
static struct sip_str nonce;
static char nonce_buf[128];

/* A REGISTER for `user` (To) with `contact`; credentials of `auth_user`
 * with `pw` when pw != NULL (over the last nonce). */
static enum sip_reg_outcome reg(const char *user, const char *contact,
				const char *auth_user, const char *pw,
				const char *extra)
{
	char auth[512] = "";
	struct sip_wbuf w;
	char why[256];
	int n;
	enum sip_reg_outcome o;

	if (pw != NULL) {
		struct sip_digest_creds c = {
			.username = sip_str_c(auth_user),
			.realm = sip_str_c("sluice.test"),
			.nonce = nonce, .uri = sip_str_c("sip:sluice.test"),
			.nc = sip_str_c("00000001"), .cnonce = sip_str_c("cn"),
			.qop = sip_str_c("auth"),
		};
		char hex[SIP_DIGEST_HEX_MAX + 1];

		sip_digest_expected(&c, sip_str_c("REGISTER"), pw, hex);
		snprintf(auth, sizeof(auth), "Authorization: Digest username=\"%s\", "
			 "realm=\"sluice.test\", nonce=\"%.*s\", uri=\"sip:sluice.test\", "
			 "qop=auth, nc=00000001, cnonce=\"cn\", response=\"%s\"\r\n",
			 auth_user, (int)nonce.len, nonce.p, hex);
	}
	n = snprintf(reqbuf, sizeof(reqbuf),
		     "REGISTER sip:sluice.test SIP/2.0\r\n"
		     "Via: SIP/2.0/UDP 198.51.100.7:5070;branch=z9hG4bK%lld\r\n"
		     "From: <sip:%s@sluice.test>;tag=f\r\nTo: <sip:%s@sluice.test>\r\n"
		     "Call-ID: reg-1\r\nCSeq: 1 REGISTER\r\n%s%s%s%s"
		     "Content-Length: 0\r\n\r\n", (long long)now_ms, user, user,
		     contact ? "Contact: " : "", contact ? contact : "",
		     contact ? "\r\n" : "", auth);
	strcat(reqbuf + n, extra ? extra : "");
	CHECK(sip_msg_parse(&req, reqbuf, strlen(reqbuf), SIP_FRAME_DATAGRAM) == 0);
	sip_w_init(&w, out, sizeof(out));
	o = sip_registrar_register(&R, &req, &SRC, now_ms, wall, &w, why,
				   sizeof(why));
	CHECK(!w.overflow);
	CHECK(sip_msg_parse(&resp, out, w.len, SIP_FRAME_STREAM) == 0);
	/* keep the nonce of a challenge for the next request */
	{
		const struct sip_header *h = sip_msg_hdr(&resp, SIP_H_WWW_AUTHENTICATE);
		struct sip_str p, v;

		if (h && sip_auth_scheme(h->value, "Digest", &p) &&
		    sip_auth_param(p, "nonce", &v) && sip_str_copy(v, nonce_buf,
								    sizeof(nonce_buf)))
			nonce = sip_str_c(nonce_buf);
	}
	return o;
}

static unsigned contacts_in_response(void)
{
	unsigned n = 0;

	for (const struct sip_header *h = sip_msg_hdr(&resp, SIP_H_CONTACT); h;
	     h = sip_msg_next_hdr(&resp, h))
		n++;
	return n;
}

int main(void)
{
	uint8_t secret[SIP_DIGEST_SECRET] = { 7 };
	const struct sip_binding *b;

	SRC.ip = inet_addr("198.51.100.7");
	cfg.creds = creds;
	cfg.n_creds = 2;
	snprintf(cfg.sip.realm, sizeof(cfg.sip.realm), "sluice.test");
	CHECK(sip_registrar_init(&R, &cfg, 2, secret) == 0);

	/* no credentials: 401 with a challenge, nothing stored */
	CHECK(reg("alice", "<sip:alice@198.51.100.7:5070>", NULL, NULL, NULL) ==
	      SIP_REG_CHALLENGED);
	CHECK(resp.status == 401 && nonce.len == SIP_NONCE_LEN && R.count == 0);
	/* right password: 200 with the binding, expires from the default */
	CHECK(reg("alice", "<sip:alice@198.51.100.7:5070>", "alice", "wonderland",
		  NULL) == SIP_REG_REGISTERED);
	CHECK(resp.status == 200 && R.count == 1 && contacts_in_response() == 1);
	CHECK(strstr(out, "Contact: <sip:alice@198.51.100.7:5070>;expires=3600\r\n"));
	b = sip_registrar_find(&R, "alice");
	CHECK(b && strcmp(b->aor, "alice@sluice.test") == 0 && b->peer.port == 5070);
	/* the same again refreshes */
	CHECK(reg("alice", "<sip:alice@198.51.100.7:5070>;expires=60", "alice",
		  "wonderland", NULL) == SIP_REG_REFRESHED);
	CHECK(R.count == 1 && strstr(out, ";expires=60\r\n") && b->refreshes == 1);
	/* a query (no Contact) lists it */
	CHECK(reg("alice", NULL, "alice", "wonderland", NULL) == SIP_REG_QUERIED);
	CHECK(resp.status == 200 && contacts_in_response() == 1);
	/* refusals: wrong password, unknown user, someone else's To */
	CHECK(reg("alice", "<sip:alice@198.51.100.7:5071>", "alice", "x", NULL) ==
	      SIP_REG_BAD_PASSWORD && resp.status == 403 && R.count == 1);
	CHECK(reg("carol", "<sip:carol@198.51.100.7>", "carol", "x", NULL) ==
	      SIP_REG_UNKNOWN_USER && resp.status == 403);
	CHECK(reg("alice", "<sip:alice@198.51.100.7:5072>", "bob", "builder",
		  NULL) == SIP_REG_USER_MISMATCH && resp.status == 403);
	/* too brief; too long is shortened */
	CHECK(reg("alice", "<sip:alice@198.51.100.7:5073>;expires=5", "alice",
		  "wonderland", NULL) == SIP_REG_TOO_BRIEF);
	CHECK(resp.status == 423 && sip_msg_hdr(&resp, SIP_H_MIN_EXPIRES) != NULL);
	CHECK(reg("bob", "<sip:bob@198.51.100.7:5074>", "bob", "builder",
		  "") == SIP_REG_REGISTERED && R.count == 2);
	/* the table (capacity 2) is full: 503, nothing changed */
	CHECK(reg("alice", "<sip:alice@198.51.100.7:5075>", "alice", "wonderland",
		  NULL) == SIP_REG_FULL && resp.status == 503 && R.count == 2);
	/* a malformed Contact: 400, nothing changed */
	CHECK(reg("alice", "<sip:alice@198.51.100.7:5070", "alice", "wonderland",
		  NULL) == SIP_REG_BAD_REQUEST && resp.status == 400);
	/* a stale nonce: 401 stale=true */
	wall += SIP_NONCE_MAX_AGE_S + 1;
	CHECK(reg("alice", "<sip:alice@198.51.100.7:5070>", "alice", "wonderland",
		  NULL) == SIP_REG_STALE && resp.status == 401 &&
	      strstr(out, "stale=true") != NULL);
	/* expires=0 removes one; Contact * removes all */
	CHECK(reg("alice", "<sip:alice@198.51.100.7:5070>;expires=0", "alice",
		  "wonderland", NULL) == SIP_REG_REMOVED && R.count == 1);
	CHECK(reg("bob", "*", "bob", "builder", "") == SIP_REG_REMOVED);
	CHECK(R.count == 0 && resp.status == 200);
	/* RFC 5626: instance + reg-id; Require: outbound; a new flow replaces */
	CHECK(reg("alice", "<sip:alice@198.51.100.7:5070;ob>;+sip.instance=\"<urn:uuid:1>\";reg-id=1",
		  "alice", "wonderland", NULL) == SIP_REG_REGISTERED);
	CHECK(strstr(out, "Require: outbound\r\nFlow-Timer: 60\r\n") != NULL);
	CHECK(reg("alice", "<sip:alice@198.51.100.7:6000;ob>;+sip.instance=\"<urn:uuid:1>\";reg-id=1",
		  "alice", "wonderland", NULL) == SIP_REG_REFRESHED && R.count == 1);
	b = sip_registrar_find(&R, "alice");
	CHECK(b && b->outbound && strstr(b->contact, ":6000;ob"));
	sip_registrar_keepalive(&R, &SRC);
	CHECK(b->keepalives == 1);
	CHECK(sip_registrar_flow_closed(&R, 0, 0) == 0);   /* UDP: no flow */
	/* expiry to the millisecond */
	CHECK(sip_registrar_expire(&R, b->expires_ms - 1) == 0 && R.count == 1);
	CHECK(sip_registrar_expire(&R, b->expires_ms) == 1 && R.count == 0);
	/* the outcome counters and their names */
	CHECK(R.outcomes[SIP_REG_BAD_PASSWORD] == 1 &&
	      strcmp(sip_reg_outcome_name(SIP_REG_BAD_PASSWORD), "bad_password") == 0);
	sip_registrar_fini(&R);
	return check_result("sip-registrar");
}
