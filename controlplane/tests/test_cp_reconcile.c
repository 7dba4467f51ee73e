/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cp_reconcile.c — the reconcile decision (a pure function over two
 * leg lists) and the leg store it is fed from: one case per row of the
 * table in cp_reconcile.h, plus the remote-comparison rules and the
 * store's id allocation and add/modify specs.
 */
#include <arpa/inet.h>
#include <string.h>

#include "check.h"
#include "cp_legs.h"
#include "cp_reconcile.h"

static struct sl_leg_spec leg(uint32_t id, uint16_t port, uint32_t peer)
{
	struct sl_leg_spec s;

	memset(&s, 0, sizeof(s));
	s.leg_id = id;
	s.peer_leg_id = peer;
	s.kind = SL_LEG_PORT;
	s.latch = SL_LATCH_ONCE;
	s.local_port = port;
	s.cookie = 0x0100000000000000ull | id;
	return s;
}

static struct cp_recon_leg mine(struct sl_leg_spec s, uint8_t intent)
{
	struct cp_recon_leg r = { .spec = s, .intent = intent };

	return r;
}

/* Reconcile one cp leg against one dp leg (either may be absent). */
static uint8_t decide1(const struct cp_recon_leg *c,
		       const struct sl_leg_spec *d)
{
	struct cp_recon_action act[2];
	struct cp_recon_counts n;
	long k = cp_reconcile(c, c ? 1 : 0, d, d ? 1 : 0, act, &n);

	CHECK(k == 1);
	return k == 1 ? act[0].kind : 0xff;
}

static void test_table(void)
{
	struct sl_leg_spec d = leg(1, 40000, 2);
	struct cp_recon_leg keep = mine(leg(1, 40000, 2), CP_RECON_KEEP);
	struct cp_recon_leg maybe = mine(leg(1, 40000, 2), CP_RECON_MAYBE);
	struct cp_recon_leg gone = mine(leg(1, 40000, 2), CP_RECON_GONE);
	struct cp_recon_leg other;

	CHECK(decide1(&keep, &d) == CP_RECON_SAME);
	CHECK(decide1(&keep, NULL) == CP_RECON_READD);
	CHECK(decide1(NULL, &d) == CP_RECON_ADOPT);
	CHECK(decide1(&maybe, &d) == CP_RECON_ADOPT);
	CHECK(decide1(&maybe, NULL) == CP_RECON_FORGET);
	CHECK(decide1(&gone, &d) == CP_RECON_DELETE);
	CHECK(decide1(&gone, NULL) == CP_RECON_FORGET);

	other = keep;
	other.spec.peer_leg_id = 3;            /* changeable */
	CHECK(decide1(&other, &d) == CP_RECON_MODIFY);
	other = keep;
	other.spec.idle_timeout_s = 30;
	CHECK(decide1(&other, &d) == CP_RECON_MODIFY);
	other = keep;
	other.spec.local_port = 40002;         /* fixed */
	CHECK(decide1(&other, &d) == CP_RECON_REPLACE);
	other = keep;
	other.spec.iface = 1;
	CHECK(decide1(&other, &d) == CP_RECON_REPLACE);
}

static void test_remote_rules(void)
{
	struct sl_leg_spec d = leg(1, 40000, 0);
	struct cp_recon_leg c = mine(leg(1, 40000, 0), CP_RECON_KEEP);

	/* The dataplane latched; the control plane named no remote. */
	d.flags = SL_LEG_F_REMOTE_KNOWN | SL_LEG_F_LATCHED;
	d.remote_addr = htonl(0xc0000201);
	d.remote_port = 5004;
	CHECK(decide1(&c, &d) == CP_RECON_SAME);

	/* A named remote the dataplane then replaced by a latched one: not
	 * a difference (LEG_MOD could only undo what it learned). */
	c.spec.flags = SL_LEG_F_REMOTE_KNOWN;
	c.spec.remote_addr = htonl(0xc6336401);
	c.spec.remote_port = 6000;
	CHECK(decide1(&c, &d) == CP_RECON_SAME);

	/* A named remote the dataplane does not have: modify. */
	d.flags = SL_LEG_F_REMOTE_KNOWN;
	CHECK(decide1(&c, &d) == CP_RECON_MODIFY);
	d.remote_addr = c.spec.remote_addr;
	d.remote_port = c.spec.remote_port;
	CHECK(decide1(&c, &d) == CP_RECON_SAME);
	d.flags = 0;
	CHECK(decide1(&c, &d) == CP_RECON_MODIFY);
}

/* A merge of several ids at once, counts included. */
static void test_merge(void)
{
	struct cp_recon_leg c[4] = {
		mine(leg(1, 40000, 2), CP_RECON_KEEP),   /* same */
		mine(leg(3, 40004, 0), CP_RECON_KEEP),   /* re-add */
		mine(leg(5, 40008, 0), CP_RECON_GONE),   /* delete */
		mine(leg(9, 40016, 0), CP_RECON_MAYBE),  /* forget */
	};
	struct sl_leg_spec d[4] = {
		leg(1, 40000, 2), leg(2, 40002, 1), leg(5, 40008, 0),
		leg(7, 40012, 0),
	};
	struct cp_recon_action act[8];
	struct cp_recon_counts n;
	long k = cp_reconcile(c, 4, d, 4, act, &n);

	CHECK(k == 6);
	CHECK(act[0].leg_id == 1 && act[0].kind == CP_RECON_SAME &&
	      act[0].cp_idx == 0 && act[0].dp_idx == 0);
	CHECK(act[1].leg_id == 2 && act[1].kind == CP_RECON_ADOPT &&
	      act[1].cp_idx == CP_RECON_NONE && act[1].dp_idx == 1);
	CHECK(act[2].leg_id == 3 && act[2].kind == CP_RECON_READD &&
	      act[2].dp_idx == CP_RECON_NONE);
	CHECK(act[3].leg_id == 5 && act[3].kind == CP_RECON_DELETE);
	CHECK(act[4].leg_id == 7 && act[4].kind == CP_RECON_ADOPT);
	CHECK(act[5].leg_id == 9 && act[5].kind == CP_RECON_FORGET);
	CHECK(n.n[CP_RECON_SAME] == 1 && n.n[CP_RECON_ADOPT] == 2 &&
	      n.n[CP_RECON_READD] == 1 && n.n[CP_RECON_DELETE] == 1 &&
	      n.n[CP_RECON_FORGET] == 1 && n.n[CP_RECON_MODIFY] == 0);

	/* Both empty: nothing to do. */
	CHECK(cp_reconcile(c, 0, d, 0, act, &n) == 0);
	/* A restarted control plane adopts everything ... */
	CHECK(cp_reconcile(c, 0, d, 4, act, &n) == 4 &&
	      n.n[CP_RECON_ADOPT] == 4);
	/* ... a restarted dataplane gets everything again. */
	CHECK(cp_reconcile(c, 4, d, 0, act, &n) == 4 &&
	      n.n[CP_RECON_READD] == 2 && n.n[CP_RECON_FORGET] == 2);
}

static void test_unsorted_refused(void)
{
	struct sl_leg_spec d[3] = { leg(4, 40000, 0), leg(2, 40002, 0),
				    leg(2, 40004, 0) };
	struct cp_recon_action act[3];
	struct cp_recon_counts n;

	CHECK(cp_reconcile(NULL, 0, d, 2, act, &n) == -1);
	cp_recon_sort(d, 3);
	CHECK(d[0].leg_id == 2 && d[2].leg_id == 4);
	CHECK(cp_reconcile(NULL, 0, d, 3, act, &n) == -1);   /* duplicate */
	CHECK(cp_reconcile(NULL, 0, d + 1, 2, act, &n) == 2);
}

static void test_store(void)
{
	struct cp_legs s;
	struct sl_leg_spec a = leg(1, 40000, 0), out;
	struct cp_leg *l;
	uint32_t id;

	CHECK(cp_legs_init(&s, 4) == 0);
	CHECK(cp_legs_alloc_id(&s, 4) == 1);
	CHECK(cp_legs_put(&s, &a, CP_LEG_PROGRAMMED) != NULL);
	CHECK(cp_legs_put(&s, &a, CP_LEG_PROGRAMMED) == NULL);   /* taken */
	CHECK(s.n == 1 && s.programmed == 1);
	/* round robin: not the id just handed out, nor a taken one */
	id = cp_legs_alloc_id(&s, 4);
	CHECK(id == 2);
	a.leg_id = 4;
	CHECK(cp_legs_put(&s, &a, CP_LEG_UNPROGRAMMED) != NULL);
	CHECK(cp_legs_alloc_id(&s, 3) == 3);
	CHECK(cp_legs_alloc_id(&s, 2) == 2);   /* the dataplane's limit */
	CHECK(cp_legs_next(&s, 0) == 1 && cp_legs_next(&s, 1) == 4 &&
	      cp_legs_next(&s, 4) == 0);
	a.leg_id = 5;
	CHECK(cp_legs_put(&s, &a, CP_LEG_PROGRAMMED) == NULL);   /* range */

	/* A latched leg: ADD sends the latched remote, MOD none. */
	l = cp_legs_get(&s, 1);
	cp_leg_latch(l, SL_COMP_RTP, htonl(0xc0000201), 5004);
	cp_leg_spec_for_add(l, &out);
	CHECK((out.flags & (SL_LEG_F_REMOTE_KNOWN | SL_LEG_F_LATCHED)) ==
	      (SL_LEG_F_REMOTE_KNOWN | SL_LEG_F_LATCHED));
	CHECK(out.remote_addr == htonl(0xc0000201) && out.remote_port == 5004);
	cp_leg_spec_for_mod(l, &out);
	CHECK(out.flags == 0 && out.remote_port == 0);
	/* Strict: the configured remote always. */
	l->spec.latch = SL_LATCH_STRICT;
	l->spec.flags = SL_LEG_F_REMOTE_KNOWN;
	l->spec.remote_addr = htonl(0xc6336401);
	l->spec.remote_port = 6000;
	cp_leg_spec_for_add(l, &out);
	CHECK(out.flags == SL_LEG_F_REMOTE_KNOWN && out.remote_port == 6000);
	cp_leg_spec_for_mod(l, &out);
	CHECK(out.flags == SL_LEG_F_REMOTE_KNOWN && out.remote_port == 6000);

	cp_legs_set_state(&s, l, CP_LEG_UNPROGRAMMED);
	CHECK(s.programmed == 0);
	cp_legs_remove(&s, 1);
	cp_legs_remove(&s, 4);
	CHECK(s.n == 0 && cp_legs_next(&s, 0) == 0);
	CHECK(cp_leg_owner(&a) == CP_LEG_OWNER_CTL);
	cp_legs_fini(&s);
}

int main(void)
{
	test_table();
	test_remote_rules();
	test_merge();
	test_unsorted_refused();
	test_store();
	return check_result("test_cp_reconcile");
}
