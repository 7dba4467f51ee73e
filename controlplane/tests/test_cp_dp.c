/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cp_dp.c — sluice-cp's dataplane client against a shared-memory
 * object made here with sl_shm_create(), and a few lines that play the
 * dataplane's service lcore ("fake_serve": take commands, answer them)
 * only when a test wants them answered.
 *
 *   attach + reconcile of an empty dataplane, credentials sent with the
 *     right MD5 key
 *   a full command ring is reported to the sender and counted
 *   acks matched by seq (a stranger's ack is counted, not taken), the
 *     dataplane's refusal explained, a missing ack reported
 *   LEG_QUERY's answer, LATCHED applied, a modify keeps it, a relatch
 *     replaces it; OVERFLOW asks for a reconcile
 *   a restarted control plane adopts the dataplane's legs; a restarted
 *     dataplane (new generation) gets every leg again, latched remotes too
 *   ABI mismatch (version, then one struct's size) refused at attach with
 *     a message naming it; a stale heartbeat detaches
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cp_dp.h"
#include "sl_shm.h"

#define MS 1000000ull
#define FAKE_LEGS 64

static const char cfg_yaml[] =
	"profile: small\n"
	"interfaces:\n"
	"  - name: external\n"
	"    device: \"net_af_packet0,iface=veth-ext\"\n"
	"    address: 192.0.2.10/24\n"
	"credentials:\n"
	"  - { username: alice, password: \"pw\" }\n"
	"turn:\n"
	"  realm: relay.example\n"
	"capacity:\n"
	"  media_legs: 64\n";

/* --- the fake dataplane ----------------------------------------------------- */

struct fake {
	struct sl_shm shm;
	struct sl_leg_spec legs[FAKE_LEGS + 1];   /* leg_id 0: free */
	char creds[8][SL_USERNAME_MAX];
	uint8_t keys[8][16];
	uint8_t keys256[8][32];
	unsigned n_secret, n_alternate;
	uint32_t secret_len, secret_grace, alt_addr;
	uint16_t alt_port;
	unsigned n_creds;
	unsigned force_result;     /* != 0: refuse the next command so */
	uint32_t last_add_flags;
	struct sl_leg_spec last_mod;
};

static struct fake fk;
static char inst[32];
static uint64_t now_ns;

static void fake_create(void)
{
	char err[256];

	memset(fk.legs, 0, sizeof(fk.legs));
	CHECK(sl_shm_create(&fk.shm, inst, 8, 64, err, sizeof(err)) == 0);
	fk.shm.hdr->leg_capacity = FAKE_LEGS;
	fk.shm.hdr->cred_capacity = 8;
	fk.shm.hdr->n_workers = 1;
	fk.shm.hdr->media_port_min = 36000;
	fk.shm.hdr->media_port_max = 59999;
	fk.shm.hdr->heartbeat_ns = now_ns;
	fk.shm.hdr->state = SL_DP_RUNNING;
}

static void emit(union sl_msg *m, uint16_t type, uint16_t len, uint32_t seq)
{
	m->h.type = type;
	m->h.len = len;
	m->h.seq = seq;
	m->h.generation = fk.shm.hdr->generation;
	CHECK(sl_ring_enqueue(fk.shm.evt, m, len) == 0);
}

static void ack(const union sl_msg *cmd, unsigned result, uint64_t value)
{
	union sl_msg m;

	memset(&m, 0, sizeof(m));
	m.ack.cmd_type = cmd->h.type;
	m.ack.result = (uint16_t)result;
	m.ack.value = value;
	emit(&m, SL_EVT_ACK, sizeof(m.ack), cmd->h.seq);
}

static void leg_info(uint32_t seq, const struct sl_leg_spec *s)
{
	union sl_msg m;

	memset(&m, 0, sizeof(m));
	m.leg_info.leg = *s;
	m.leg_info.ctr.pkts_in = 42;
	emit(&m, SL_EVT_LEG_INFO, sizeof(m.leg_info), seq);
}

static unsigned fake_dump(const union sl_msg *c)
{
	union sl_msg m;
	unsigned i, n = 0;

	for (i = 1; c->dump.what == SL_DUMP_LEGS && i <= FAKE_LEGS; i++)
		if (fk.legs[i].leg_id != 0) {
			leg_info(c->h.seq, &fk.legs[i]);
			n++;
		}
	for (i = 0; c->dump.what == SL_DUMP_CREDS && i < fk.n_creds; i++) {
		memset(&m, 0, sizeof(m));
		memcpy(m.cred_info.username, fk.creds[i], SL_USERNAME_MAX);
		emit(&m, SL_EVT_CRED_INFO, sizeof(m.cred_info), c->h.seq);
		n++;
	}
	return n;
}

static unsigned fake_cred_set(const union sl_msg *c)
{
	unsigned i;

	for (i = 0; i < fk.n_creds; i++)
		if (strcmp(fk.creds[i], c->cred_set.username) == 0)
			break;
	if (i == 8)
		return SL_E_CAPACITY;
	memcpy(fk.creds[i], c->cred_set.username, SL_USERNAME_MAX);
	memcpy(fk.keys[i], c->cred_set.key, 16);
	memcpy(fk.keys256[i], c->cred_set.key_sha256, 32);
	if (i == fk.n_creds)
		fk.n_creds++;
	return SL_OK;
}

static unsigned fake_cred_del(const union sl_msg *c)
{
	unsigned i;

	for (i = 0; i < fk.n_creds; i++)
		if (strcmp(fk.creds[i], c->cred_del.username) == 0) {
			memmove(fk.creds[i], fk.creds[i + 1],
				(fk.n_creds - i - 1) * SL_USERNAME_MAX);
			memmove(fk.keys[i], fk.keys[i + 1],
				(fk.n_creds - i - 1) * 16);
			memmove(fk.keys256[i], fk.keys256[i + 1],
				(fk.n_creds - i - 1) * 32);
			fk.n_creds--;
			return SL_OK;
		}
	return SL_E_NOT_FOUND;
}

static unsigned fake_apply(const union sl_msg *c)
{
	const struct sl_leg_spec *s = &c->leg.leg;

	switch (c->h.type) {
	case SL_CMD_LEG_ADD:
		if (s->local_port < 36002 || s->local_port > 59999)
			return SL_E_RANGE;
		if (fk.legs[s->leg_id].leg_id != 0)
			return SL_E_EXISTS;
		fk.legs[s->leg_id] = *s;
		fk.last_add_flags = s->flags;
		return SL_OK;
	case SL_CMD_LEG_MOD:
		if (fk.legs[s->leg_id].leg_id == 0)
			return SL_E_NOT_FOUND;
		fk.legs[s->leg_id].peer_leg_id = s->peer_leg_id;
		fk.last_mod = *s;
		return SL_OK;
	case SL_CMD_LEG_DEL:
		if (fk.legs[c->leg_id.leg_id].leg_id == 0)
			return SL_E_NOT_FOUND;
		fk.legs[c->leg_id.leg_id].leg_id = 0;
		return SL_OK;
	case SL_CMD_LEG_QUERY:
		if (fk.legs[c->leg_id.leg_id].leg_id == 0)
			return SL_E_NOT_FOUND;
		leg_info(c->h.seq, &fk.legs[c->leg_id.leg_id]);
		return SL_OK;
	case SL_CMD_CRED_SET:
		return fake_cred_set(c);
	case SL_CMD_CRED_DEL:
		return fake_cred_del(c);
	case SL_CMD_TURN_SECRET:
		fk.n_secret++;
		fk.secret_len = c->turn_secret.len;
		fk.secret_grace = c->turn_secret.grace_s;
		return SL_OK;
	case SL_CMD_TURN_ALTERNATE:
		fk.n_alternate++;
		fk.alt_addr = c->turn_alternate.addr;
		fk.alt_port = c->turn_alternate.port;
		return SL_OK;
	default:
		return SL_OK;
	}
}

/* Take every command and answer it, as the service lcore would. */
static unsigned fake_serve(void)
{
	union sl_msg c;
	unsigned n = 0;

	while (sl_ring_dequeue(fk.shm.cmd, &c) == 0) {
		unsigned r;

		n++;
		CHECK(c.h.seq != 0 && c.h.generation == 0);
		if (c.h.type == SL_CMD_DUMP) {
			unsigned k = fake_dump(&c);

			ack(&c, SL_OK, k);
			continue;
		}
		r = fk.force_result ? fk.force_result : fake_apply(&c);
		fk.force_result = 0;
		ack(&c, r, c.h.type == SL_CMD_PING ? c.ping.sent_ns : 0);
	}
	return n;
}

/* One loop tick: the dataplane is alive (heartbeat now), then the client. */
static void tick(struct cp_dp *dp, uint64_t advance_ms)
{
	now_ns += advance_ms * MS;
	if (fk.shm.hdr != NULL)
		fk.shm.hdr->heartbeat_ns = now_ns;
	cp_dp_tick(dp, now_ns);
}

/* Tick and serve until the client is READY (bounded). */
static bool run_until_ready(struct cp_dp *dp)
{
	int i;

	for (i = 0; i < 500 && !cp_dp_ready(dp); i++) {
		tick(dp, CP_DP_TICK_MS);
		fake_serve();
	}
	/* READY sends the TURN settings (cp_dp_push.c): serve them too */
	tick(dp, CP_DP_TICK_MS);
	fake_serve();
	tick(dp, CP_DP_TICK_MS);
	return cp_dp_ready(dp) && dp->n_inflight == 0;
}

static struct sl_leg_spec port_leg(uint32_t id, uint16_t port)
{
	struct sl_leg_spec s;

	memset(&s, 0, sizeof(s));
	s.leg_id = id;
	s.kind = SL_LEG_PORT;
	s.latch = SL_LATCH_ONCE;
	s.local_port = port;
	return s;
}

static const struct cp_dp_owner owner7 = { .op = 1, .serial = 7 };

/* --- tests ------------------------------------------------------------------ */

static void test_attach_and_creds(struct cp_dp *dp)
{
	static const uint8_t want[16] = {
		0x9a, 0xeb, 0x5f, 0x55, 0xa8, 0x7e, 0xb0, 0x4c,
		0x0d, 0x62, 0xbf, 0xca, 0x20, 0x7c, 0x6d, 0x2f,
	};
	static const uint8_t want256[32] = {
		0xf7, 0x3a, 0xe7, 0x98, 0x5b, 0x8a, 0x91, 0x58,
		0xe9, 0x56, 0xdc, 0xc2, 0x21, 0x1e, 0x02, 0xdd,
		0xe3, 0x3b, 0x88, 0xa2, 0xb4, 0x6b, 0xc4, 0x08,
		0xa6, 0x16, 0x45, 0xb1, 0x46, 0x37, 0xd7, 0xf7,
	};

	/* A credential the configuration no longer has goes away. */
	snprintf(fk.creds[0], SL_USERNAME_MAX, "mallory");
	fk.n_creds = 1;
	CHECK(run_until_ready(dp));
	CHECK(fk.shm.hdr->cp_pid == (int32_t)getpid());
	CHECK(dp->last_sync.creds_set == 1 && dp->last_sync.creds_deleted == 1);
	CHECK(fk.n_creds == 1 && strcmp(fk.creds[0], "alice") == 0);
	/* MD5("alice:relay.example:pw") */
	CHECK(memcmp(fk.keys[0], want, 16) == 0);
	/* SHA-256("alice:relay.example:pw"), for PASSWORD-ALGORITHM SHA-256 */
	CHECK(memcmp(fk.keys256[0], want256, 32) == 0);
	/* and the TURN settings: no REST secret, no cluster alternate */
	CHECK(fk.n_secret == 1 && fk.secret_len == 0 &&
	      fk.secret_grace == 300);
	CHECK(fk.n_alternate == 1 && fk.alt_addr == 0 && fk.alt_port == 0);
	CHECK(dp->push.sent[0] == 1 && dp->push.sent[1] == 1);
}

/* The "full command ring is reported to the sender" done-when. */
static void test_ring_full(struct cp_dp *dp)
{
	char err[256];
	uint32_t id;
	int rc = 0;

	for (id = 1; id <= 8; id++)
		CHECK(cp_dp_leg_add(dp, &(struct sl_leg_spec){
			.leg_id = id, .kind = SL_LEG_PORT,
			.latch = SL_LATCH_ONCE,
			.local_port = (uint16_t)(40000 + 2 * id) },
			owner7, err, sizeof(err)) == 0);
	/* nobody consumes: the ninth finds the 8-slot ring full */
	err[0] = '\0';
	rc = cp_dp_leg_add(dp, &(struct sl_leg_spec){ .leg_id = 9,
		.kind = SL_LEG_PORT, .latch = SL_LATCH_ONCE,
		.local_port = 40100 }, owner7, err, sizeof(err));
	CHECK(rc == -1 && errno == ENOBUFS);
	CHECK(strstr(err, "dataplane command ring full") != NULL);
	CHECK(dp->st.ring_full == 1);
	CHECK(dp->send_st.failed == 1 && dp->send_st.retries > 0);
	CHECK(cp_legs_get(&dp->legs, 9) == NULL);   /* nothing changed */
	CHECK(dp->legs.n == 8 && dp->n_inflight == 8);

	/* served now: every one of the eight is acknowledged */
	fake_serve();
	tick(dp, CP_DP_TICK_MS);
	CHECK(dp->legs.programmed == 8 && dp->n_inflight == 0);
	CHECK(dp->done_n == 8);
	while (dp->done_n > 0) {
		struct cp_dp_done d;

		CHECK(cp_dp_done_next(dp, &d));
		CHECK(d.outcome == CP_DP_ACKED && d.result == SL_OK &&
		      d.owner.op == 1 && d.owner.serial == 7);
	}
}

static void test_ack_matching(struct cp_dp *dp)
{
	struct sl_leg_spec s = port_leg(20, 1234);
	struct cp_dp_done d;
	union sl_msg c, stranger;
	char err[256];
	uint64_t unmatched = dp->st.acks_unmatched;

	CHECK(cp_dp_leg_add(dp, &s, owner7, err, sizeof(err)) == 0);
	CHECK(sl_ring_dequeue(fk.shm.cmd, &c) == 0);
	CHECK(c.h.type == SL_CMD_LEG_ADD && c.leg.leg.leg_id == 20);
	/* an ack a killed predecessor's command earned, then ours */
	stranger = c;
	stranger.h.seq = c.h.seq + 12345;
	ack(&stranger, SL_OK, 0);
	ack(&c, SL_E_RANGE, 0);
	tick(dp, CP_DP_TICK_MS);
	CHECK(dp->st.acks_unmatched == unmatched + 1);
	CHECK(cp_dp_done_next(dp, &d));
	CHECK(d.outcome == CP_DP_ACKED && d.result == SL_E_RANGE &&
	      d.leg_id == 20 && d.seq == c.h.seq);
	cp_dp_explain(dp, &d, err, sizeof(err));
	CHECK(strcmp(err, "leg 20: port pair 1234/1235 outside the media "
		     "range 36000-59999: out of range") == 0);
	CHECK(cp_legs_get(&dp->legs, 20) == NULL);   /* refused: not kept */

	/* a demultiplexing port is named as such */
	s = port_leg(21, 36000);
	CHECK(cp_dp_leg_add(dp, &s, owner7, err, sizeof(err)) == 0);
	fk.force_result = SL_E_RANGE;
	fake_serve();
	tick(dp, CP_DP_TICK_MS);
	CHECK(cp_dp_done_next(dp, &d));
	cp_dp_explain(dp, &d, err, sizeof(err));
	CHECK(strstr(err, "port 36000 is a demultiplexing port") != NULL);

	/* the leg store itself refuses a taken id, without the dataplane */
	s = port_leg(1, 40200);
	CHECK(cp_dp_leg_add(dp, &s, owner7, err, sizeof(err)) == -1 &&
	      errno == EEXIST && strstr(err, "leg 1: exists") != NULL);
}

static void test_no_ack(struct cp_dp *dp)
{
	struct sl_leg_spec s = port_leg(30, 40300);
	struct cp_dp_done d;
	char err[256];
	union sl_msg c;

	CHECK(cp_dp_leg_add(dp, &s, owner7, err, sizeof(err)) == 0);
	CHECK(sl_ring_dequeue(fk.shm.cmd, &c) == 0);   /* taken, never acked */
	tick(dp, CP_DP_ACK_TIMEOUT_MS - 10);
	CHECK(!cp_dp_done_next(dp, &d));
	tick(dp, 20);
	CHECK(cp_dp_done_next(dp, &d));
	CHECK(d.outcome == CP_DP_NO_ACK && d.leg_id == 30);
	CHECK(dp->st.cmds_no_ack == 1);
	CHECK(cp_legs_get(&dp->legs, 30)->state == CP_LEG_UNCONFIRMED);
	cp_dp_explain(dp, &d, err, sizeof(err));
	CHECK(strstr(err, "did not acknowledge leg_add") != NULL);
	/* the late ack is a stranger now; the reconcile the missing ack
	 * asked for finds leg 30 missing: forgotten */
	ack(&c, SL_OK, 0);
	CHECK(dp->resync_wanted || dp->phase != CP_DP_READY);
	CHECK(run_until_ready(dp));
	CHECK(cp_legs_get(&dp->legs, 30) == NULL);
	CHECK(dp->last_sync.legs.n[CP_RECON_FORGET] == 1);
}

/* The dataplane tells: leg `id` latched addr:port (RTP). */
static void emit_latched(uint32_t id, uint32_t addr, uint16_t port)
{
	union sl_msg m;

	memset(&m, 0, sizeof(m));
	m.latched.leg_id = id;
	m.latched.remote_addr = addr;
	m.latched.remote_port = port;
	emit(&m, SL_EVT_LEG_LATCHED, sizeof(m.latched), 0);
}

/* Leg 2 latched 192.0.2.1:5004. A modify naming another remote keeps
 * the latched one (the dataplane's is newer); a relatch (the endpoint's
 * re-INVITE moved its media) sends the new one unlatched and forgets the
 * latch, so the leg learns the next source; a LATCHED then is recorded
 * again. The leg is left as it was. */
static void test_relatch(struct cp_dp *dp, struct cp_leg *l)
{
	struct sl_leg_spec was = l->spec, sp = l->spec;
	char err[256];

	sp.flags |= SL_LEG_F_REMOTE_KNOWN;
	sp.remote_addr = htonl(0xc0000209);
	sp.remote_port = 6000;
	CHECK(cp_dp_leg_mod(dp, &sp, (struct cp_dp_owner){ 0, 0 }, err,
			    sizeof(err)) == 0);
	fake_serve();
	tick(dp, CP_DP_TICK_MS);
	CHECK(!(fk.last_mod.flags & SL_LEG_F_REMOTE_KNOWN) &&
	      fk.last_mod.remote_port == 0);
	CHECK(l->latched[SL_COMP_RTP].valid && !l->busy);

	CHECK(cp_dp_leg_relatch(dp, &sp, (struct cp_dp_owner){ 0, 0 }, err,
				sizeof(err)) == 0);
	CHECK(!l->latched[SL_COMP_RTP].valid && l->busy);
	/* one command at a time per leg */
	CHECK(cp_dp_leg_relatch(dp, &sp, (struct cp_dp_owner){ 0, 0 }, err,
				sizeof(err)) == -1 && errno == EBUSY);
	fake_serve();
	tick(dp, CP_DP_TICK_MS);
	CHECK((fk.last_mod.flags & SL_LEG_F_REMOTE_KNOWN) &&
	      !(fk.last_mod.flags & SL_LEG_F_LATCHED) &&
	      fk.last_mod.remote_addr == htonl(0xc0000209) &&
	      fk.last_mod.remote_port == 6000);
	CHECK(!l->busy && l->spec.remote_port == 6000 &&
	      !l->latched[SL_COMP_RTP].valid);

	/* back as it was: latched at 5004, nothing asked for */
	CHECK(cp_dp_leg_mod(dp, &was, (struct cp_dp_owner){ 0, 0 }, err,
			    sizeof(err)) == 0);
	fake_serve();
	tick(dp, CP_DP_TICK_MS);
	emit_latched(2, htonl(0xc0000201), 5004);
	tick(dp, CP_DP_TICK_MS);
	CHECK(l->latched[SL_COMP_RTP].valid &&
	      l->latched[SL_COMP_RTP].port == 5004 &&
	      !(l->spec.flags & SL_LEG_F_REMOTE_KNOWN));
}

static void test_query_latch_overflow(struct cp_dp *dp)
{
	struct cp_dp_done d;
	union sl_msg m;
	char err[256];
	struct cp_leg *l;

	CHECK(cp_dp_leg_query(dp, 2, owner7, err, sizeof(err)) == 0);
	fake_serve();
	tick(dp, CP_DP_TICK_MS);
	CHECK(cp_dp_done_next(dp, &d));
	CHECK(d.have_info && d.info.leg.leg_id == 2 &&
	      d.info.ctr.pkts_in == 42);

	emit_latched(2, htonl(0xc0000201), 5004);
	tick(dp, CP_DP_TICK_MS);
	l = cp_legs_get(&dp->legs, 2);
	CHECK(l->latched[SL_COMP_RTP].valid &&
	      l->latched[SL_COMP_RTP].port == 5004 &&
	      !l->latched[SL_COMP_RTCP].valid);
	test_relatch(dp, l);
	fk.legs[2].flags = SL_LEG_F_REMOTE_KNOWN | SL_LEG_F_LATCHED;
	fk.legs[2].remote_addr = htonl(0xc0000201);
	fk.legs[2].remote_port = 5004;

	memset(&m, 0, sizeof(m));
	m.overflow.what = SL_OVF_EVENTS;
	m.overflow.count = 3;
	m.overflow.total = 3;
	emit(&m, SL_EVT_OVERFLOW, sizeof(m.overflow), 0);
	tick(dp, CP_DP_TICK_MS);
	CHECK(dp->st.overflow_lost == 3 && dp->resync_wanted);
	tick(dp, CP_DP_RESYNC_MIN_MS);
	CHECK(run_until_ready(dp));
	CHECK(dp->last_sync.legs.n[CP_RECON_SAME] == 8);
}

/* A restarted sluice-cp: a fresh client adopts what the dataplane has. */
static void test_cp_restart(const struct sl_config *cfg)
{
	struct cp_dp fresh;
	struct cp_leg *l;

	CHECK(cp_dp_init(&fresh, inst, cfg) == 0);
	CHECK(run_until_ready(&fresh));
	CHECK(fresh.legs.n == 8 && fresh.legs.programmed == 8);
	CHECK(fresh.last_sync.legs.n[CP_RECON_ADOPT] == 8);
	l = cp_legs_get(&fresh.legs, 2);
	CHECK(l != NULL && l->latched[SL_COMP_RTP].valid &&
	      l->latched[SL_COMP_RTP].port == 5004 &&
	      !(l->spec.flags & SL_LEG_F_REMOTE_KNOWN));
	CHECK(fk.shm.hdr->cp_pid == (int32_t)getpid());
	cp_dp_fini(&fresh);
	CHECK(fk.shm.hdr->cp_pid == 0);
}

/* A restarted dataplane: a new object, a new generation, empty tables. */
static void test_dp_restart(struct cp_dp *dp)
{
	uint64_t old = fk.shm.hdr->generation;

	sl_shm_destroy(&fk.shm);
	tick(dp, CP_DP_TICK_MS);
	CHECK(!dp->mapped && dp->legs.programmed == 0 && dp->legs.n == 8);
	CHECK(strstr(dp->detach_msg, "stopped") != NULL);
	usleep(1000);   /* a generation is made of the clock */
	fake_create();
	CHECK(fk.shm.hdr->generation != old);
	tick(dp, CP_DP_ATTACH_RETRY_MS);
	CHECK(dp->mapped && dp->new_generation);
	CHECK(run_until_ready(dp));
	CHECK(dp->last_sync.legs.n[CP_RECON_READD] == 8);
	CHECK(dp->legs.programmed == 8);
	/* leg 2 comes back with the remote it had latched */
	CHECK((fk.legs[2].flags & SL_LEG_F_LATCHED) &&
	      fk.legs[2].remote_port == 5004);
	CHECK(!(fk.legs[3].flags & SL_LEG_F_REMOTE_KNOWN));
}

static void test_abi_mismatch(struct cp_dp *dp)
{
	uint32_t v = fk.shm.hdr->abi_version;

	sl_shm_destroy(&fk.shm);
	tick(dp, CP_DP_TICK_MS);
	CHECK(!dp->mapped);
	fake_create();
	fk.shm.hdr->abi_version = 99;
	tick(dp, CP_DP_ATTACH_RETRY_MS);
	CHECK(!dp->mapped && dp->st.refusals == 1);
	CHECK(strstr(dp->attach_msg, "ABI version 99") != NULL);
	fk.shm.hdr->abi_version = v;
	fk.shm.hdr->msg_size[SL_MSGI_CMD_LEG] += 8;
	tick(dp, CP_DP_REFUSED_RETRY_MS);
	CHECK(!dp->mapped && dp->st.refusals == 2);
	CHECK(strstr(dp->attach_msg, "struct sl_cmd_leg is") != NULL);
	fk.shm.hdr->msg_size[SL_MSGI_CMD_LEG] -= 8;
	tick(dp, CP_DP_REFUSED_RETRY_MS);
	CHECK(dp->mapped);
	CHECK(run_until_ready(dp));
}

static void test_stale_heartbeat(struct cp_dp *dp)
{
	now_ns += (CP_DP_HEARTBEAT_STALE_MS + 100) * MS;
	cp_dp_tick(dp, now_ns);   /* the heartbeat was not moved */
	CHECK(!dp->mapped);
	CHECK(strstr(dp->detach_msg, "not responding") != NULL);
	now_ns += CP_DP_ATTACH_RETRY_MS * MS;
	cp_dp_tick(dp, now_ns);   /* mapped again, waiting for the beat */
	CHECK(dp->mapped && dp->phase == CP_DP_STARTING);
	CHECK(run_until_ready(dp));
	CHECK(dp->last_sync.legs.n[CP_RECON_SAME] == 8 && !dp->new_generation);
}

int main(void)
{
	struct sl_config *cfg;
	struct cp_dp dp;

	snprintf(inst, sizeof(inst), "ut-cpdp-%d", (int)getpid());
	now_ns = sl_mono_ns();
	cfg = sl_config_load_buffer("test.yaml", cfg_yaml, sizeof(cfg_yaml) - 1,
				    stderr);
	CHECK(cfg != NULL);
	if (cfg == NULL)
		return check_result("test_cp_dp");
	fake_create();
	CHECK(cp_dp_init(&dp, inst, cfg) == 0);

	test_attach_and_creds(&dp);
	test_ring_full(&dp);
	test_ack_matching(&dp);
	test_no_ack(&dp);
	test_query_latch_overflow(&dp);
	test_cp_restart(cfg);
	test_dp_restart(&dp);
	test_abi_mismatch(&dp);
	test_stale_heartbeat(&dp);

	cp_dp_fini(&dp);
	sl_shm_destroy(&fk.shm);
	sl_config_free(cfg);
	return check_result("test_cp_dp");
}
