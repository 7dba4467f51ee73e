/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_stun.c — libFuzzer harness for dataplane/stun: what a TURN port
 * receives, through everything the dataplane will do with it.
 *
 *   input --stun_parse--> msg --stun_check_integrity (a fixed key)
 *                             --turn_nonce_check / turn_rest_check /
 *                               turn_password_algorithm / turn_peer_check
 *                             --re-encode every decoded attribute with the
 *                               writer (MI, MI-SHA256, FINGERPRINT made
 *                               anew)--> parse again: must parse, carry
 *                               the same values and pass its integrity
 *         --turn_channel_data_parse--> rewrite, same bytes, parse again
 *         --stun_classify, stun_frame_len
 *         --as a DATA payload of a Send indication: written, parsed back
 *
 * Besides "no crash, no overread, no UB", any difference aborts. Under
 * clang it is a libFuzzer target (tests/unit/meson.build, suite fuzz);
 * fuzz_stun_main.c drives the same entry point everywhere else (the unit
 * test stun-fuzz-smoke) and writes the seed corpus.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "stun.h"
#include "turn_auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Shared with fuzz_stun_main.c: the key its seeds are made with. */
const char fuzz_stun_key[] = "fuzz-key";
unsigned long fuzz_stun_accepted;

static struct stun_key key;
static struct turn_nonce_keys nonce_keys;
static struct turn_peer_policy policy;
static bool ready;

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_stun: %s\n", what);
	abort();
}

static void setup(void)
{
	struct turn_prefix p;
	struct stun_addr own = stun_addr_v4(htonl(0xC000020A), 0);

	stun_key_init(&key, fuzz_stun_key, strlen(fuzz_stun_key));
	turn_nonce_keys_init(&nonce_keys, "fuzz nonce secret", 17);
	turn_peer_policy_init(&policy);
	if (turn_prefix_parse("198.51.100.0/24", &p) != 0 ||
	    turn_peer_policy_allow(&policy, &p) != 0 ||
	    turn_prefix_parse("2001:db8::/32", &p) != 0 ||
	    turn_peer_policy_allow(&policy, &p) != 0 ||
	    turn_peer_policy_add_own(&policy, &own) != 0)
		fail("setup");
	ready = true;
}

static void put_span(struct stun_writer *w, const struct stun_msg *m,
		     uint16_t type, uint32_t bit, struct stun_span s)
{
	if (m->have & bit)
		stun_put(w, type, stun_span_ptr(m, s), s.len);
}

static void put_u32_if(struct stun_writer *w, const struct stun_msg *m,
		       uint16_t type, uint32_t bit, uint32_t v)
{
	if (m->have & bit)
		stun_put_u32(w, type, v);
}

/* Every attribute m decoded, through the writer's typed functions where
 * there is one. */
static void reencode(const struct stun_msg *m, struct stun_writer *w)
{
	if (m->have & STUN_HAVE_MAPPED_ADDRESS)
		stun_put_addr(w, STUN_A_MAPPED_ADDRESS, &m->mapped);
	if (m->have & STUN_HAVE_XOR_MAPPED_ADDRESS)
		stun_put_xor_addr(w, STUN_A_XOR_MAPPED_ADDRESS, &m->xor_mapped);
	if (m->have & STUN_HAVE_XOR_RELAYED_ADDRESS)
		stun_put_xor_addr(w, STUN_A_XOR_RELAYED_ADDRESS,
				  &m->xor_relayed);
	if (m->have & STUN_HAVE_ALTERNATE_SERVER)
		stun_put_addr(w, STUN_A_ALTERNATE_SERVER, &m->alternate_server);
	for (unsigned i = 0; i < m->n_peers; i++)
		stun_put_xor_addr(w, STUN_A_XOR_PEER_ADDRESS, &m->peers[i]);
	put_span(w, m, STUN_A_USERNAME, STUN_HAVE_USERNAME, m->username);
	put_span(w, m, STUN_A_USERHASH, STUN_HAVE_USERHASH, m->userhash);
	put_span(w, m, STUN_A_REALM, STUN_HAVE_REALM, m->realm);
	put_span(w, m, STUN_A_NONCE, STUN_HAVE_NONCE, m->nonce);
	put_span(w, m, STUN_A_SOFTWARE, STUN_HAVE_SOFTWARE, m->software);
	put_span(w, m, STUN_A_ALTERNATE_DOMAIN, STUN_HAVE_ALTERNATE_DOMAIN,
		 m->alternate_domain);
	put_span(w, m, STUN_A_DATA, STUN_HAVE_DATA, m->data);
	put_span(w, m, STUN_A_RESERVATION_TOKEN, STUN_HAVE_RESERVATION_TOKEN,
		 m->reservation_token);
	put_span(w, m, STUN_A_UNKNOWN_ATTRIBUTES, STUN_HAVE_UNKNOWN_ATTRIBUTES,
		 m->unknown_attributes);
	put_span(w, m, STUN_A_PASSWORD_ALGORITHMS,
		 STUN_HAVE_PASSWORD_ALGORITHMS, m->password_algorithms);
	if (m->have & STUN_HAVE_ERROR_CODE) {
		const uint8_t *r = stun_span_ptr(m, m->error_reason);
		uint8_t v[4 + STUN_TEXT_MAX] = { 0, 0,
						 (uint8_t)(m->error_code / 100),
						 (uint8_t)(m->error_code % 100) };

		if (memchr(r, 0, m->error_reason.len) == NULL) {
			char reason[STUN_TEXT_MAX + 1];

			memcpy(reason, r, m->error_reason.len);
			reason[m->error_reason.len] = '\0';
			stun_put_error(w, m->error_code, reason);
		} else {
			memcpy(v + 4, r, m->error_reason.len);
			stun_put(w, STUN_A_ERROR_CODE, v,
				 4 + (size_t)m->error_reason.len);
		}
	}
	if (m->have & STUN_HAVE_PASSWORD_ALGORITHM) {
		static uint8_t v[4 + 65535];
		size_t plen = m->password_algorithm_params.len;

		v[0] = (uint8_t)(m->password_algorithm >> 8);
		v[1] = (uint8_t)m->password_algorithm;
		v[2] = (uint8_t)(plen >> 8);
		v[3] = (uint8_t)plen;
		memcpy(v + 4, stun_span_ptr(m, m->password_algorithm_params),
		       plen);
		stun_put(w, STUN_A_PASSWORD_ALGORITHM, v, 4 + plen);
	}
	put_u32_if(w, m, STUN_A_LIFETIME, STUN_HAVE_LIFETIME, m->lifetime);
	put_u32_if(w, m, STUN_A_PRIORITY, STUN_HAVE_PRIORITY, m->priority);
	if (m->have & STUN_HAVE_CHANNEL_NUMBER)
		stun_put_channel_number(w, m->channel);
	if (m->have & STUN_HAVE_REQUESTED_TRANSPORT)
		stun_put_requested_transport(w, m->requested_transport);
	if (m->have & STUN_HAVE_REQUESTED_ADDRESS_FAMILY)
		stun_put_requested_family(w, STUN_A_REQUESTED_ADDRESS_FAMILY,
					  m->requested_family);
	if (m->have & STUN_HAVE_ADDITIONAL_ADDRESS_FAMILY)
		stun_put_requested_family(w, STUN_A_ADDITIONAL_ADDRESS_FAMILY,
					  m->additional_family);
	if (m->have & STUN_HAVE_EVEN_PORT)
		stun_put_even_port(w, m->even_port_r);
	if (m->have & STUN_HAVE_DONT_FRAGMENT)
		stun_put(w, STUN_A_DONT_FRAGMENT, NULL, 0);
	if (m->have & STUN_HAVE_USE_CANDIDATE)
		stun_put(w, STUN_A_USE_CANDIDATE, NULL, 0);
	if (m->have & STUN_HAVE_ICE_CONTROLLED)
		stun_put_u64(w, STUN_A_ICE_CONTROLLED, m->ice_tiebreaker);
	if (m->have & STUN_HAVE_ICE_CONTROLLING)
		stun_put_u64(w, STUN_A_ICE_CONTROLLING, m->ice_tiebreaker);
	for (unsigned i = 0; i < m->n_unknown; i++)
		stun_put(w, m->unknown[i], NULL, 0);
	if (m->have & STUN_HAVE_MESSAGE_INTEGRITY)
		stun_put_integrity(w, &key);
	if (m->have & STUN_HAVE_MESSAGE_INTEGRITY_SHA256)
		stun_put_integrity_sha256(w, &key, m->mi256_len);
	if (m->have & STUN_HAVE_FINGERPRINT)
		stun_put_fingerprint(w);
}

static bool span_same(const struct stun_msg *a, struct stun_span sa,
		      const struct stun_msg *b, struct stun_span sb)
{
	return sa.len == sb.len &&
	       memcmp(stun_span_ptr(a, sa), stun_span_ptr(b, sb), sa.len) == 0;
}

static void compare(const struct stun_msg *a, const struct stun_msg *b)
{
	if (a->method != b->method || a->cls != b->cls ||
	    memcmp(stun_tid(a), stun_tid(b), STUN_TID_LEN) != 0)
		fail("header changed");
	if (a->have != b->have)
		fail("attribute set changed");
	if (a->n_unknown != b->n_unknown ||
	    memcmp(a->unknown, b->unknown, 2 * (size_t)a->n_unknown) != 0)
		fail("unknown attributes changed");
	if (b->n_ignored != 0)
		fail("re-encoding has ignored attributes");
	if (!span_same(a, a->username, b, b->username) ||
	    !span_same(a, a->userhash, b, b->userhash) ||
	    !span_same(a, a->realm, b, b->realm) ||
	    !span_same(a, a->nonce, b, b->nonce) ||
	    !span_same(a, a->software, b, b->software) ||
	    !span_same(a, a->alternate_domain, b, b->alternate_domain) ||
	    !span_same(a, a->data, b, b->data) ||
	    !span_same(a, a->reservation_token, b, b->reservation_token) ||
	    !span_same(a, a->unknown_attributes, b, b->unknown_attributes) ||
	    !span_same(a, a->password_algorithms, b, b->password_algorithms) ||
	    !span_same(a, a->error_reason, b, b->error_reason) ||
	    !span_same(a, a->password_algorithm_params, b,
		       b->password_algorithm_params))
		fail("a string or opaque value changed");
	if ((a->have & STUN_HAVE_MAPPED_ADDRESS &&
	     !stun_addr_equal(&a->mapped, &b->mapped)) ||
	    (a->have & STUN_HAVE_XOR_MAPPED_ADDRESS &&
	     !stun_addr_equal(&a->xor_mapped, &b->xor_mapped)) ||
	    (a->have & STUN_HAVE_XOR_RELAYED_ADDRESS &&
	     !stun_addr_equal(&a->xor_relayed, &b->xor_relayed)) ||
	    (a->have & STUN_HAVE_ALTERNATE_SERVER &&
	     !stun_addr_equal(&a->alternate_server, &b->alternate_server)))
		fail("an address changed");
	if (a->n_peers != b->n_peers)
		fail("peer count changed");
	for (unsigned i = 0; i < a->n_peers; i++)
		if (!stun_addr_equal(&a->peers[i], &b->peers[i]))
			fail("a peer changed");
	if (a->lifetime != b->lifetime || a->priority != b->priority ||
	    a->channel != b->channel || a->error_code != b->error_code ||
	    a->requested_transport != b->requested_transport ||
	    a->requested_family != b->requested_family ||
	    a->additional_family != b->additional_family ||
	    a->even_port_r != b->even_port_r ||
	    a->password_algorithm != b->password_algorithm ||
	    a->ice_tiebreaker != b->ice_tiebreaker ||
	    a->mi256_len != b->mi256_len)
		fail("a number changed");
}

static void auth_checks(const struct stun_msg *m)
{
	static const uint16_t offered[2] = { STUN_PWALG_MD5,
					     STUN_PWALG_SHA256 };
	struct stun_addr client = stun_addr_v4(htonl(0xC6336414), 50000);
	uint16_t alg;

	if (m->have & STUN_HAVE_NONCE) {
		uint32_t f;

		(void)turn_nonce_check(&nonce_keys, stun_span_ptr(m, m->nonce),
				       m->nonce.len, &client, 1700000000, &f);
	}
	if (m->have & STUN_HAVE_USERNAME) {
		uint8_t k[TURN_KEY_MAX];
		size_t klen;

		if (turn_rest_key(&key, stun_span_ptr(m, m->username),
				  m->username.len, "realm", 5, STUN_PWALG_MD5,
				  1700000000, k, &klen) == TURN_REST_OK &&
		    klen != 16)
			fail("REST key length");
	}
	if (turn_password_algorithm(m, TURN_FEATURE_PASSWORD_ALGORITHMS,
				    offered, 2, &alg) == STUN_OK &&
	    alg != STUN_PWALG_MD5 && alg != STUN_PWALG_SHA256)
		fail("password algorithm not offered");
	for (unsigned i = 0; i < m->n_peers; i++) {
		struct stun_addr n;
		enum turn_peer_verdict v = turn_peer_check(&policy,
							   &m->peers[i], NULL);

		turn_peer_normalise(&m->peers[i], &n);
		if (turn_peer_check(&policy, &n, NULL) != v)
			fail("normalised peer judged otherwise");
	}
}

static void channel_checks(const uint8_t *data, size_t size)
{
	static uint8_t out[4 + 65536 + 3];
	struct turn_channel_data cd, again;
	size_t n;

	if (turn_channel_data_parse(&cd, data, size) != STUN_OK)
		return;
	n = turn_channel_data_write(out, sizeof(out), cd.channel, cd.data,
				    cd.len, size != 4 + (size_t)cd.len);
	/* padding content is free: compare the header and the data */
	if (n != size || memcmp(out, data, 4 + (size_t)cd.len) != 0)
		fail("ChannelData rewritten differently");
	if (turn_channel_data_parse(&again, out, n) != STUN_OK ||
	    again.channel != cd.channel || again.len != cd.len)
		fail("ChannelData rewritten does not parse");
}

static void as_payload(const uint8_t *data, size_t size)
{
	static uint8_t out[STUN_MSG_MAX];
	static const uint8_t tid[12] = { 1 };
	struct stun_addr peer = stun_addr_v4(htonl(0xCB007107), 5004);
	struct stun_writer w;
	struct stun_msg m;

	if (size > STUN_MSG_MAX - 20 - 4 - 12 - 8 - 3)
		return;
	stun_writer_init(&w, out, sizeof(out), TURN_SEND, STUN_INDICATION, tid);
	stun_put_xor_addr(&w, STUN_A_XOR_PEER_ADDRESS, &peer);
	stun_put(&w, STUN_A_DATA, data, size);
	stun_put_fingerprint(&w);
	if (w.err != STUN_OK)
		fail("Send indication not written");
	if (stun_parse(&m, out, w.len) != STUN_OK || m.data.len != size ||
	    (size > 0 && memcmp(stun_span_ptr(&m, m.data), data, size) != 0))
		fail("DATA payload changed");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[STUN_MSG_MAX + 64];
	struct stun_msg m, again;
	struct stun_writer w;
	size_t frame;

	if (!ready)
		setup();
	(void)stun_classify(data, size);
	(void)stun_frame_len(data, size, &frame);
	channel_checks(data, size);
	as_payload(data, size);

	if (stun_parse(&m, data, size) != STUN_OK)
		return 0;
	fuzz_stun_accepted++;
	(void)stun_check_integrity(&m, &key);
	auth_checks(&m);

	stun_writer_init_response(&w, out, sizeof(out), &m,
				  (enum stun_class)m.cls);
	reencode(&m, &w);
	if (w.err != STUN_OK) {
		fprintf(stderr, "writer: %s\n", stun_strerror(w.err));
		fail("a parsed message does not re-encode");
	}
	if (w.len > m.len)
		fail("re-encoding is longer than the message");
	if (stun_parse(&again, out, w.len) != STUN_OK)
		fail("re-encoding does not parse");
	compare(&m, &again);
	if ((again.have & (STUN_HAVE_MESSAGE_INTEGRITY |
			   STUN_HAVE_MESSAGE_INTEGRITY_SHA256)) &&
	    stun_check_integrity(&again, &key) != STUN_OK)
		fail("re-encoded integrity does not check");
	return 0;
}
