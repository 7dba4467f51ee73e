/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_dp.c — sluice-cp's dataplane client (see cp_dp.h): attaching and
 * watching the dataplane, sending commands, tracking them until their
 * acknowledgement, and consuming the event ring.
 *
 * The in-flight table is indexed by sequence number:
 *
 *   seq ──► cmds[seq & (CP_DP_INFLIGHT - 1)]   free when .seq == 0
 *
 * Sequence numbers grow by one per command from a random base, so a slot is
 * still taken only when CP_DP_INFLIGHT newer commands went out while it
 * waited: the window is full and the sender is told so. An ack whose seq
 * finds no command (one meant for a killed predecessor, which started from
 * another base) is counted and dropped.
 *
 * The reconcile (dumps, re-adds, credentials) lives in cp_dp_sync.c.
 */
#include "cp_dp_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "cp_log.h"

#define CP_DP_MASK (CP_DP_INFLIGHT - 1)
#define CP_DP_RING_LOG_NS (1000ull * CP_DP_MS)

_Static_assert((CP_DP_INFLIGHT & CP_DP_MASK) == 0, "CP_DP_INFLIGHT pow2");
_Static_assert(CP_DP_SYNC_WINDOW < CP_DP_INFLIGHT, "room for owners");

const char *cp_dp_phase_name(unsigned phase)
{
	static const char *const names[CP_DP_PHASE_MAX] = {
		[CP_DP_DETACHED] = "detached",
		[CP_DP_STARTING] = "starting",
		[CP_DP_DUMP_LEGS] = "reconciling legs",
		[CP_DP_DUMP_CREDS] = "reconciling credentials",
		[CP_DP_APPLY] = "reconciling",
		[CP_DP_READY] = "ready",
	};

	return phase < CP_DP_PHASE_MAX ? names[phase] : "?";
}

static uint32_t seq_base(void)
{
	uint32_t v;

	/* Random so that a restarted sluice-cp does not take the acks of
	 * its killed predecessor for its own; the clock if there is none. */
	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != (ssize_t)sizeof(v))
		v = (uint32_t)(sl_mono_ns() ^ ((uint64_t)getpid() << 16));
	return v;
}

int cp_dp_init(struct cp_dp *dp, const char *instance,
	       const struct sl_config *cfg)
{
	memset(dp, 0, sizeof(*dp));
	snprintf(dp->instance, sizeof(dp->instance), "%s", instance);
	dp->cfg = cfg;
	dp->seq = seq_base();
	dp->cmds = calloc(CP_DP_INFLIGHT, sizeof(*dp->cmds));
	if (dp->cmds == NULL)
		return -1;
	if (cp_legs_init(&dp->legs, cfg->capacity.media_legs) != 0) {
		free(dp->cmds);
		dp->cmds = NULL;
		return -1;
	}
	return 0;
}

/* --- completions ----------------------------------------------------------- */

static void done_push(struct cp_dp *dp, const struct cp_dp_cmd *c,
		      enum cp_dp_outcome outcome, unsigned result,
		      uint64_t value)
{
	struct cp_dp_done *d;

	if (dp->done_n == CP_DP_DONE_MAX) {
		/* Owners are bounded below this; reaching it is a bug. */
		CP_ERR("dataplane: no room to report %s seq %u to its owner",
		       sl_cmd_name(c->type), c->seq);
		return;
	}
	d = &dp->done[(dp->done_head + dp->done_n) % CP_DP_DONE_MAX];
	dp->done_n++;
	memset(d, 0, sizeof(*d));
	d->owner = c->owner;
	d->seq = c->seq;
	d->leg_id = c->leg_id;
	d->cmd_type = c->type;
	d->result = (uint16_t)result;
	d->outcome = (uint8_t)outcome;
	d->value = value;
	d->spec = c->spec;
	d->have_info = c->have_info;
	if (c->have_info)
		d->info = c->info;
}

bool cp_dp_done_next(struct cp_dp *dp, struct cp_dp_done *out)
{
	if (dp->done_n == 0)
		return false;
	*out = dp->done[dp->done_head];
	dp->done_head = (dp->done_head + 1) % CP_DP_DONE_MAX;
	dp->done_n--;
	return true;
}

/* --- what a completed command does to the leg store ----------------------- */

static void add_done(struct cp_dp *dp, const struct cp_dp_cmd *c,
		     enum cp_dp_outcome outcome, unsigned result)
{
	struct cp_leg *l = cp_legs_get(&dp->legs, c->leg_id);

	if (l == NULL)
		return;
	l->busy = false;
	if (outcome == CP_DP_ACKED && result == SL_OK) {
		l->last_result = SL_OK;
		cp_legs_set_state(&dp->legs, l, CP_LEG_PROGRAMMED);
	} else if (outcome == CP_DP_ACKED && result == SL_E_EXISTS &&
		   c->job == CP_JOB_READD) {
		/* The dump said it was not there: find out again. */
		cp_legs_set_state(&dp->legs, l, CP_LEG_UNCONFIRMED);
		dp->resync_wanted = true;
	} else if (outcome == CP_DP_ACKED) {
		l->last_result = (uint8_t)result;
		if (c->job == CP_JOB_NONE)
			cp_legs_remove(&dp->legs, c->leg_id);
		else
			cp_legs_set_state(&dp->legs, l, CP_LEG_UNPROGRAMMED);
	} else {
		cp_legs_set_state(&dp->legs, l, CP_LEG_UNCONFIRMED);
		dp->resync_wanted = true;
	}
}

static void mod_done(struct cp_dp *dp, const struct cp_dp_cmd *c,
		     enum cp_dp_outcome outcome, unsigned result)
{
	struct cp_leg *l = cp_legs_get(&dp->legs, c->leg_id);

	if (l == NULL)
		return;
	l->busy = false;
	if (outcome == CP_DP_ACKED && result == SL_OK) {
		l->spec = c->spec;
		l->last_result = SL_OK;
	} else if (outcome == CP_DP_ACKED) {
		l->last_result = (uint8_t)result;
		if (result == SL_E_NOT_FOUND) {
			cp_legs_set_state(&dp->legs, l, CP_LEG_UNPROGRAMMED);
			dp->resync_wanted = true;
		}
	} else {
		dp->resync_wanted = true;   /* applied or not: find out */
	}
}

static void del_done(struct cp_dp *dp, const struct cp_dp_cmd *c,
		     enum cp_dp_outcome outcome, unsigned result)
{
	struct cp_leg *l = cp_legs_get(&dp->legs, c->leg_id);
	bool gone = outcome == CP_DP_ACKED &&
		    (result == SL_OK || result == SL_E_NOT_FOUND);

	if (l == NULL)
		return;
	l->busy = false;
	if (gone && c->job == CP_JOB_REPLACE_DEL) {
		cp_legs_set_state(&dp->legs, l, CP_LEG_UNPROGRAMMED);
	} else if (gone) {
		cp_legs_remove(&dp->legs, c->leg_id);
	} else if (outcome == CP_DP_ACKED) {
		l->last_result = (uint8_t)result;
		cp_legs_set_state(&dp->legs, l, c->job == CP_JOB_DELETE ?
				  CP_LEG_DEL_UNCONFIRMED : CP_LEG_PROGRAMMED);
	} else {
		cp_legs_set_state(&dp->legs, l, CP_LEG_DEL_UNCONFIRMED);
		dp->resync_wanted = true;
	}
}

static void query_done(struct cp_dp *dp, const struct cp_dp_cmd *c,
		       enum cp_dp_outcome outcome, unsigned result)
{
	struct cp_leg *l = cp_legs_get(&dp->legs, c->leg_id);

	if (l == NULL || outcome != CP_DP_ACKED)
		return;
	if (result == SL_OK && c->have_info)
		cp_leg_latch_from(l, &c->info.leg);
	if (result == SL_E_NOT_FOUND && l->state == CP_LEG_PROGRAMMED) {
		CP_WARNING("leg %u: sluice-cp had it programmed but the "
			   "dataplane does not know it; reconciling",
			   c->leg_id);
		cp_legs_set_state(&dp->legs, l, CP_LEG_UNPROGRAMMED);
		dp->resync_wanted = true;
	}
}

/* An owner-less, non-reconcile command failed: nobody else will say so. */
static void log_orphan_failure(struct cp_dp *dp, const struct cp_dp_cmd *c,
			       enum cp_dp_outcome outcome, unsigned result)
{
	struct cp_dp_done d;
	char why[CP_DP_MSG_MAX];

	if (c->owner.op != 0 || c->job != CP_JOB_NONE ||
	    (outcome == CP_DP_ACKED && result == SL_OK))
		return;
	memset(&d, 0, sizeof(d));
	d.leg_id = c->leg_id;
	d.cmd_type = c->type;
	d.result = (uint16_t)result;
	d.outcome = (uint8_t)outcome;
	d.spec = c->spec;
	cp_dp_explain(dp, &d, why, sizeof(why));
	CP_WARNING("%s", why);
}

static void cmd_finish(struct cp_dp *dp, struct cp_dp_cmd *slot,
		       enum cp_dp_outcome outcome, unsigned result,
		       uint64_t value)
{
	struct cp_dp_cmd c = *slot;

	/* Free the slot first: a handler below may send the next command. */
	slot->seq = 0;
	dp->n_inflight--;
	if (c.job != CP_JOB_NONE)
		dp->n_sync_inflight--;
	if (outcome == CP_DP_ACKED) {
		dp->st.cmds_acked++;
		if (result != SL_OK)
			dp->st.cmds_refused++;
	} else if (outcome == CP_DP_NO_ACK) {
		dp->st.cmds_no_ack++;
	} else {
		dp->st.cmds_lost++;
	}
	switch (c.type) {
	case SL_CMD_LEG_ADD: add_done(dp, &c, outcome, result); break;
	case SL_CMD_LEG_MOD: mod_done(dp, &c, outcome, result); break;
	case SL_CMD_LEG_DEL: del_done(dp, &c, outcome, result); break;
	case SL_CMD_LEG_QUERY: query_done(dp, &c, outcome, result); break;
	default: break;
	}
	if (c.type == SL_CMD_DUMP && c.job == CP_JOB_NONE &&
	    cp_turn_dump_done(&dp->turn, c.seq, outcome, result))
		return;
	if (c.type == SL_CMD_TURN_SECRET || c.type == SL_CMD_TURN_ALTERNATE) {
		cp_dp_push_done(dp, &c, outcome, result);
		return;
	}
	log_orphan_failure(dp, &c, outcome, result);
	if (c.job != CP_JOB_NONE)
		cp_dp_sync_cmd_done(dp, &c, outcome, result, value);
	if (c.owner.op != 0)
		done_push(dp, &c, outcome, result, value);
}

/* --- sending --------------------------------------------------------------- */

static void ring_full_log(struct cp_dp *dp, const char *what)
{
	if (dp->now_ns < dp->ring_log_ns)
		return;
	dp->ring_log_ns = dp->now_ns + CP_DP_RING_LOG_NS;
	CP_WARNING("dataplane command ring full: %s not sent after %u ms "
		   "(%llu refused so far; is the dataplane's service lcore "
		   "running?)", what, CP_DP_SEND_WAIT_US / 1000,
		   (unsigned long long)dp->st.ring_full);
}

int cp_dp_cmd_send(struct cp_dp *dp, union sl_msg *m, size_t len,
		   const struct cp_dp_cmd *meta, bool wait,
		   char *err, size_t errlen)
{
	uint32_t seq = dp->seq + 1 ? dp->seq + 1 : 1;
	struct cp_dp_cmd *c = &dp->cmds[seq & CP_DP_MASK];
	int rc;

	if (c->seq != 0) {
		dp->st.window_full++;
		sl_errf(err, errlen, "%u dataplane commands await their acks; "
		     "try again", CP_DP_INFLIGHT);
		errno = EBUSY;
		return -1;
	}
	m->h.type = meta->type;
	m->h.len = (uint16_t)len;
	m->h.seq = seq;
	m->h.generation = 0;
	if (wait)
		rc = sl_ring_enqueue_backoff(dp->shm.cmd, m, len,
					     CP_DP_SEND_WAIT_US, &dp->send_st);
	else
		rc = sl_ring_enqueue(dp->shm.cmd, m, len);
	if (rc != 0 && errno == ENOBUFS) {
		if (wait) {
			dp->st.ring_full++;
			ring_full_log(dp, sl_cmd_name(meta->type));
		} else {
			dp->st.sync_deferred++;
		}
		sl_errf(err, errlen, "dataplane command ring full (%u slots, "
		     "still full after %u ms)", dp->shm.hdr->cmd_slots,
		     wait ? CP_DP_SEND_WAIT_US / 1000 : 0);
		errno = ENOBUFS;
		return -1;
	}
	if (rc != 0) {
		sl_errf(err, errlen, "dataplane command ring: %s",
		     strerror(errno));
		return -1;
	}
	*c = *meta;
	c->seq = seq;
	c->have_info = false;
	c->deadline_ns = dp->now_ns + CP_DP_ACK_TIMEOUT_MS * CP_DP_MS;
	dp->seq = seq;
	dp->n_inflight++;
	if (c->job != CP_JOB_NONE)
		dp->n_sync_inflight++;
	dp->st.cmds_sent++;
	return 0;
}

/* --- commands for owners --------------------------------------------------- */

bool cp_dp_ready(const struct cp_dp *dp)
{
	return dp->mapped && dp->phase == CP_DP_READY;
}

uint32_t cp_dp_leg_limit(const struct cp_dp *dp)
{
	uint32_t cap = dp->legs.capacity;

	if (dp->mapped && dp->shm.hdr->leg_capacity < cap)
		cap = dp->shm.hdr->leg_capacity;
	return cap;
}

/* Commands are served (need_ready: and no reconcile is running). */
static int owner_check(const struct cp_dp *dp, bool need_ready, char *err,
		       size_t errlen)
{
	if (!dp->mapped) {
		sl_errf(err, errlen, "dataplane not attached: %s",
		     dp->attach_msg[0] ? dp->attach_msg :
		     dp->detach_msg[0] ? dp->detach_msg : "not yet");
		errno = EAGAIN;
		return -1;
	}
	if (dp->phase == CP_DP_STARTING) {
		sl_errf(err, errlen, "dataplane not serving commands yet "
		     "(state %s)",
		     sl_dp_state_name(dp->shm.hdr->state));
		errno = EAGAIN;
		return -1;
	}
	if (need_ready && dp->phase != CP_DP_READY) {
		sl_errf(err, errlen, "dataplane being reconciled with sluice-cp "
		     "(%s); try again in a moment",
		     cp_dp_phase_name(dp->phase));
		errno = EAGAIN;
		return -1;
	}
	return 0;
}

static struct cp_leg *owner_leg(struct cp_dp *dp, uint32_t id, char *err,
				size_t errlen)
{
	struct cp_leg *l = cp_legs_get(&dp->legs, id);

	if (l == NULL) {
		sl_errf(err, errlen, "leg %u: not known to sluice-cp: %s", id,
		     sl_result_name(SL_E_NOT_FOUND));
		errno = ENOENT;
		return NULL;
	}
	if (l->busy) {
		sl_errf(err, errlen, "leg %u: a command for it awaits the "
		     "dataplane's ack: %s", id, sl_result_name(SL_E_BUSY));
		errno = EBUSY;
		return NULL;
	}
	return l;
}

int cp_dp_leg_add(struct cp_dp *dp, const struct sl_leg_spec *spec,
		  struct cp_dp_owner who, char *err, size_t errlen)
{
	struct cp_dp_cmd meta = { .type = SL_CMD_LEG_ADD, .owner = who };
	union sl_msg m;
	struct cp_leg *l;
	uint32_t limit = cp_dp_leg_limit(dp);

	if (owner_check(dp, true, err, errlen) != 0)
		return -1;
	if (spec->leg_id == 0 || spec->leg_id > limit) {
		sl_errf(err, errlen, "leg %u: id outside 1-%u: %s", spec->leg_id,
		     limit, sl_result_name(SL_E_RANGE));
		errno = ERANGE;
		return -1;
	}
	l = cp_legs_put(&dp->legs, spec, CP_LEG_ADDING);
	if (l == NULL) {
		sl_errf(err, errlen, "leg %u: %s", spec->leg_id,
		     sl_result_name(SL_E_EXISTS));
		errno = EEXIST;
		return -1;
	}
	memset(&m, 0, sizeof(m));
	cp_leg_spec_for_add(l, &m.leg.leg);
	meta.leg_id = spec->leg_id;
	meta.spec = *spec;
	if (cp_dp_cmd_send(dp, &m, sizeof(m.leg), &meta, true, err,
			   errlen) != 0) {
		cp_legs_remove(&dp->legs, spec->leg_id);
		return -1;
	}
	l->busy = true;
	return 0;
}

/* LEG_MOD; `relatch` forgets what the leg latched, so the spec's remotes
 * are sent and the leg latches afresh (the dataplane learns the next
 * source again, LATCH_ONCE). */
static int leg_mod(struct cp_dp *dp, const struct sl_leg_spec *spec,
		   bool relatch, struct cp_dp_owner who, char *err,
		   size_t errlen)
{
	struct cp_dp_cmd meta = { .type = SL_CMD_LEG_MOD, .owner = who };
	union sl_msg m;
	struct cp_leg *l, next;

	if (owner_check(dp, true, err, errlen) != 0 ||
	    (l = owner_leg(dp, spec->leg_id, err, errlen)) == NULL)
		return -1;
	if (l->state != CP_LEG_PROGRAMMED) {
		sl_errf(err, errlen, "leg %u: %s, not in the dataplane: %s",
		     spec->leg_id, cp_leg_state_name(l->state),
		     sl_result_name(SL_E_NOT_FOUND));
		errno = ENOENT;
		return -1;
	}
	next = *l;
	next.spec = *spec;
	if (relatch)
		memset(next.latched, 0, sizeof(next.latched));
	memset(&m, 0, sizeof(m));
	cp_leg_spec_for_mod(&next, &m.leg.leg);
	meta.leg_id = spec->leg_id;
	meta.spec = *spec;
	if (cp_dp_cmd_send(dp, &m, sizeof(m.leg), &meta, true, err,
			   errlen) != 0)
		return -1;
	l->busy = true;
	if (relatch)   /* a LEG_LATCHED after this is the new source's */
		memset(l->latched, 0, sizeof(l->latched));
	return 0;
}

int cp_dp_leg_mod(struct cp_dp *dp, const struct sl_leg_spec *spec,
		  struct cp_dp_owner who, char *err, size_t errlen)
{
	return leg_mod(dp, spec, false, who, err, errlen);
}

int cp_dp_leg_relatch(struct cp_dp *dp, const struct sl_leg_spec *spec,
		      struct cp_dp_owner who, char *err, size_t errlen)
{
	return leg_mod(dp, spec, true, who, err, errlen);
}

int cp_dp_leg_del(struct cp_dp *dp, uint32_t leg_id, struct cp_dp_owner who,
		  char *err, size_t errlen)
{
	struct cp_dp_cmd meta = { .type = SL_CMD_LEG_DEL, .owner = who,
				  .leg_id = leg_id };
	union sl_msg m;
	struct cp_leg *l;
	uint8_t was;

	if (owner_check(dp, true, err, errlen) != 0 ||
	    (l = owner_leg(dp, leg_id, err, errlen)) == NULL)
		return -1;
	memset(&m, 0, sizeof(m));
	m.leg_id.leg_id = leg_id;
	meta.spec = l->spec;
	was = l->state;
	cp_legs_set_state(&dp->legs, l, CP_LEG_DELETING);
	if (cp_dp_cmd_send(dp, &m, sizeof(m.leg_id), &meta, true, err,
			   errlen) != 0) {
		cp_legs_set_state(&dp->legs, l, (enum cp_leg_state)was);
		return -1;
	}
	l->busy = true;
	return 0;
}

int cp_dp_leg_query(struct cp_dp *dp, uint32_t leg_id,
		    struct cp_dp_owner who, char *err, size_t errlen)
{
	struct cp_dp_cmd meta = { .type = SL_CMD_LEG_QUERY, .owner = who,
				  .leg_id = leg_id };
	union sl_msg m;

	if (owner_check(dp, false, err, errlen) != 0)
		return -1;
	memset(&m, 0, sizeof(m));
	m.leg_id.leg_id = leg_id;
	return cp_dp_cmd_send(dp, &m, sizeof(m.leg_id), &meta, true, err,
			      errlen);
}

int cp_dp_ping(struct cp_dp *dp, struct cp_dp_owner who, char *err,
	       size_t errlen)
{
	struct cp_dp_cmd meta = { .type = SL_CMD_PING, .owner = who };
	union sl_msg m;

	if (owner_check(dp, false, err, errlen) != 0)
		return -1;
	memset(&m, 0, sizeof(m));
	m.ping.sent_ns = dp->now_ns;
	return cp_dp_cmd_send(dp, &m, sizeof(m.ping), &meta, true, err,
			      errlen);
}

int cp_dp_turn_dump(struct cp_dp *dp, uint32_t *seq, char *err,
		    size_t errlen)
{
	struct cp_dp_cmd meta = { .type = SL_CMD_DUMP };
	union sl_msg m;

	if (owner_check(dp, false, err, errlen) != 0)
		return -1;
	memset(&m, 0, sizeof(m));
	m.dump.what = SL_DUMP_ALLOCS;
	if (cp_dp_cmd_send(dp, &m, sizeof(m.dump), &meta, true, err,
			   errlen) != 0)
		return -1;
	*seq = dp->seq;
	return 0;
}

void cp_dp_creds_changed(struct cp_dp *dp)
{
	dp->creds_dirty = true;
}

/* --- attach and detach ----------------------------------------------------- */

static bool pid_alive(int32_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

uint64_t cp_dp_heartbeat_age_ms(const struct cp_dp *dp)
{
	uint64_t hb = __atomic_load_n(&dp->shm.hdr->heartbeat_ns,
				      __ATOMIC_ACQUIRE);

	return hb >= dp->now_ns ? 0 : (dp->now_ns - hb) / CP_DP_MS;
}

static void attach_failed(struct cp_dp *dp, int e, const char *why)
{
	char msg[CP_DP_MSG_MAX];
	uint64_t retry = CP_DP_ATTACH_RETRY_MS;

	if (e == EPROTO) {
		dp->st.refusals++;
		retry = CP_DP_REFUSED_RETRY_MS;
	}
	dp->next_attach_ns = dp->now_ns + retry * CP_DP_MS;
	if (e == ENOENT || e == ESRCH)
		snprintf(msg, sizeof(msg), "waiting for the dataplane: %s",
			 why);
	else if (e == EPROTO)
		snprintf(msg, sizeof(msg), "dataplane refused: %s", why);
	else
		snprintf(msg, sizeof(msg), "cannot attach to the dataplane: "
			 "%s", why);
	if (strcmp(msg, dp->attach_msg) == 0)
		return;   /* said already: every tick would flood the log */
	snprintf(dp->attach_msg, sizeof(dp->attach_msg), "%s", msg);
	if (e == EPROTO)
		CP_ERR("%s (retrying every %u ms)", msg,
		       CP_DP_REFUSED_RETRY_MS);
	else if (e == ENOENT || e == ESRCH || e == EBADMSG)
		CP_NOTICE("%s", msg);
	else
		CP_ERR("%s", msg);
}

static void attached_log(struct cp_dp *dp)
{
	const struct sl_shm_hdr *h = dp->shm.hdr;
	const char *gen = dp->last_generation == 0 ? "first seen" :
			  dp->new_generation ? "new: re-programming" :
			  "same as before: reconciling";

	CP_NOTICE("attached to the dataplane /dev/shm%s: generation %#llx "
		  "(%s), pid %d, sluice-dp %.32s, ABI %u, %u worker(s), leg "
		  "capacity %u, command ring %u slots, event ring %u slots",
		  dp->shm.name, (unsigned long long)dp->generation, gen,
		  (int)h->dp_pid, h->version, h->abi_version, h->n_workers,
		  h->leg_capacity, h->cmd_slots, h->evt_slots);
	if (h->leg_capacity != dp->legs.capacity)
		CP_WARNING("the dataplane holds %u legs and sluice-cp %u "
			   "(capacity.media_legs differs: restart one of "
			   "them with the same configuration); leg ids stay "
			   "within 1-%u", h->leg_capacity, dp->legs.capacity,
			   cp_dp_leg_limit(dp));
}

static void try_attach(struct cp_dp *dp)
{
	char why[CP_DP_MSG_MAX];
	struct sl_shm shm;
	uint32_t state;
	int32_t pid;

	if (sl_shm_attach(&shm, dp->instance, why, sizeof(why)) != 0) {
		attach_failed(dp, errno, why);
		return;
	}
	state = __atomic_load_n(&shm.hdr->state, __ATOMIC_ACQUIRE);
	pid = __atomic_load_n(&shm.hdr->dp_pid, __ATOMIC_RELAXED);
	if (state == SL_DP_STOPPED || !pid_alive(pid)) {
		snprintf(why, sizeof(why), "/dev/shm%s was left by a "
			 "dataplane that exited (pid %d)", shm.name, (int)pid);
		sl_shm_detach(&shm);
		attach_failed(dp, ESRCH, why);
		return;
	}
	dp->shm = shm;
	dp->mapped = true;
	dp->generation = shm.hdr->generation;
	dp->first_generation = dp->last_generation == 0;
	dp->new_generation = dp->last_generation != 0 &&
			     dp->last_generation != dp->generation;
	/* The dataplane steps over a slot our predecessor left half-written
	 * once this pid differs from the one that claimed it. */
	__atomic_store_n(&shm.hdr->cp_pid, (int32_t)getpid(),
			 __ATOMIC_RELEASE);
	dp->st.attaches++;
	dp->phase = CP_DP_STARTING;
	dp->hb_wait_logged = false;
	dp->attach_msg[0] = '\0';
	attached_log(dp);
	dp->last_generation = dp->generation;
}

static void detach(struct cp_dp *dp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void detach(struct cp_dp *dp, const char *fmt, ...)
{
	uint32_t i, id;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dp->detach_msg, sizeof(dp->detach_msg), fmt, ap);
	va_end(ap);
	CP_WARNING("detached from the dataplane: %s", dp->detach_msg);
	for (i = 0; i < CP_DP_INFLIGHT && dp->n_inflight > 0; i++)
		if (dp->cmds[i].seq != 0)
			cmd_finish(dp, &dp->cmds[i], CP_DP_LOST, 0, 0);
	for (id = cp_legs_next(&dp->legs, 0); id != 0;
	     id = cp_legs_next(&dp->legs, id)) {
		struct cp_leg *l = cp_legs_get(&dp->legs, id);

		if (l->state == CP_LEG_PROGRAMMED)
			cp_legs_set_state(&dp->legs, l, CP_LEG_UNPROGRAMMED);
	}
	cp_dp_sync_reset(dp);
	sl_shm_detach(&dp->shm);
	dp->mapped = false;
	dp->phase = CP_DP_DETACHED;
	dp->st.detaches++;
	dp->next_attach_ns = dp->now_ns + CP_DP_ATTACH_RETRY_MS * CP_DP_MS;
}

/* Still the dataplane we attached to, alive and answering? */
static bool health_ok(struct cp_dp *dp)
{
	const struct sl_shm_hdr *h = dp->shm.hdr;
	uint32_t state = __atomic_load_n(&h->state, __ATOMIC_ACQUIRE);
	int32_t pid = __atomic_load_n(&h->dp_pid, __ATOMIC_RELAXED);
	uint64_t age;

	if (state == SL_DP_STOPPED) {
		detach(dp, "the dataplane stopped (generation %#llx)",
		       (unsigned long long)dp->generation);
		return false;
	}
	if (!pid_alive(pid)) {
		detach(dp, "the dataplane (pid %d) exited without stopping",
		       (int)pid);
		return false;
	}
	if (state != SL_DP_RUNNING)
		return true;
	age = cp_dp_heartbeat_age_ms(dp);
	if (age <= CP_DP_HEARTBEAT_STALE_MS)
		return true;
	if (dp->phase != CP_DP_STARTING) {
		detach(dp, "dataplane not responding: heartbeat %llu ms old",
		       (unsigned long long)age);
		return false;
	}
	if (!dp->hb_wait_logged) {
		CP_WARNING("dataplane not responding: heartbeat %llu ms old; "
			   "waiting for it", (unsigned long long)age);
		dp->hb_wait_logged = true;
	}
	return true;
}

void cp_dp_fini(struct cp_dp *dp)
{
	if (dp->mapped) {
		int32_t me = (int32_t)getpid();

		/* Only ours to clear: a successor may have attached. */
		__atomic_compare_exchange_n(&dp->shm.hdr->cp_pid, &me, 0, 0,
					    __ATOMIC_RELEASE,
					    __ATOMIC_RELAXED);
		sl_shm_detach(&dp->shm);
		dp->mapped = false;
	}
	cp_dp_sync_free(dp);
	cp_turn_free(&dp->turn);
	cp_legs_fini(&dp->legs);
	free(dp->cmds);
	dp->cmds = NULL;
}

/* --- events ---------------------------------------------------------------- */

static size_t evt_size(unsigned type)
{
	switch (type) {
	case SL_EVT_ACK: return sizeof(struct sl_evt_ack);
	case SL_EVT_LEG_INFO: return sizeof(struct sl_evt_leg_info);
	case SL_EVT_LEG_LATCHED: return sizeof(struct sl_evt_leg_latched);
	case SL_EVT_LEG_IDLE: return sizeof(struct sl_evt_leg_idle);
	case SL_EVT_ALLOC_CREATED:
	case SL_EVT_ALLOC_EXPIRED: return sizeof(struct sl_evt_alloc);
	case SL_EVT_ALLOC_INFO: return sizeof(struct sl_evt_alloc_info);
	case SL_EVT_TURN_PEER: return sizeof(struct sl_evt_turn_peer);
	case SL_EVT_OVERFLOW: return sizeof(struct sl_evt_overflow);
	case SL_EVT_CRED_INFO: return sizeof(struct sl_evt_cred_info);
	default: return 0;
	}
}

static struct cp_dp_cmd *cmd_by_seq(struct cp_dp *dp, uint32_t seq)
{
	struct cp_dp_cmd *c = &dp->cmds[seq & CP_DP_MASK];

	return seq != 0 && c->seq == seq ? c : NULL;
}

static void evt_ack(struct cp_dp *dp, const struct sl_evt_ack *a)
{
	struct cp_dp_cmd *c = cmd_by_seq(dp, a->h.seq);

	if (c == NULL || c->type != a->cmd_type) {
		dp->st.acks_unmatched++;
		CP_DEBUG("dataplane ack for %s seq %u matches no command of "
			 "this sluice-cp (a predecessor's, or late)",
			 sl_cmd_name(a->cmd_type), a->h.seq);
		return;
	}
	cmd_finish(dp, c, CP_DP_ACKED, a->result, a->value);
}

static void evt_leg_info(struct cp_dp *dp, const struct sl_evt_leg_info *e)
{
	struct cp_dp_cmd *c;

	if (cp_dp_sync_leg_info(dp, e))
		return;
	c = cmd_by_seq(dp, e->h.seq);
	if (c == NULL || c->type != SL_CMD_LEG_QUERY) {
		dp->st.acks_unmatched++;
		return;
	}
	c->info = *e;
	c->have_info = true;
}

static void evt_latched(struct cp_dp *dp, const struct sl_evt_leg_latched *e)
{
	struct cp_leg *l;
	char a[INET_ADDRSTRLEN];

	dp->st.latched++;
	if (cp_dp_sync_latched(dp, e))
		return;
	l = cp_legs_get(&dp->legs, e->leg_id);
	if (l == NULL) {
		dp->st.latched_unknown++;
		CP_DEBUG("leg %u latched, but sluice-cp does not know it",
			 e->leg_id);
		return;
	}
	cp_leg_latch(l, e->component, e->remote_addr, e->remote_port);
	inet_ntop(AF_INET, &e->remote_addr, a, sizeof(a));
	CP_INFO("leg %u latched to %s:%u", e->leg_id, a, e->remote_port);
}

static void evt_overflow(struct cp_dp *dp, const struct sl_evt_overflow *e)
{
	dp->st.overflows++;
	dp->st.overflow_lost += e->count;
	CP_WARNING("the dataplane lost %llu event(s) (%s; %llu since it "
		   "started); reconciling to catch up",
		   (unsigned long long)e->count,
		   e->what == SL_OVF_WORKER_EVENTS ?
		   "its workers' queue to the service lcore was full" :
		   "the event ring was full",
		   (unsigned long long)e->total);
	dp->resync_wanted = true;
}

static void evt_handle(struct cp_dp *dp, const union sl_msg *m)
{
	size_t want = evt_size(m->h.type);

	if (want == 0 || m->h.len != want) {
		dp->st.events_malformed++;
		CP_WARNING("dataplane event %s (type %u) with length %u "
			   "ignored", sl_evt_name(m->h.type), m->h.type,
			   m->h.len);
		return;
	}
	switch (m->h.type) {
	case SL_EVT_ACK: evt_ack(dp, &m->ack); break;
	case SL_EVT_LEG_INFO: evt_leg_info(dp, &m->leg_info); break;
	case SL_EVT_LEG_LATCHED: evt_latched(dp, &m->latched); break;
	case SL_EVT_LEG_IDLE:
		dp->st.idle++;
		CP_INFO("leg %u idle for %u s", m->idle.leg_id,
			m->idle.idle_s);
		if (dp->idle_cb != NULL)
			dp->idle_cb(dp->idle_ctx, m->idle.leg_id, m->idle.idle_s,
				    m->idle.cookie);
		break;
	case SL_EVT_OVERFLOW: evt_overflow(dp, &m->overflow); break;
	case SL_EVT_CRED_INFO:
		if (!cp_dp_sync_cred_info(dp, &m->cred_info))
			dp->st.acks_unmatched++;
		break;
	case SL_EVT_ALLOC_CREATED:
	case SL_EVT_ALLOC_EXPIRED:
	case SL_EVT_ALLOC_INFO:
	case SL_EVT_TURN_PEER:
		cp_turn_event(&dp->turn, m);
		break;
	default:
		CP_DEBUG("dataplane event %s", sl_evt_name(m->h.type));
		break;
	}
}

static void events_drain(struct cp_dp *dp)
{
	union sl_msg m;
	unsigned n;

	for (n = 0; n < CP_DP_EVT_BATCH && dp->mapped; n++) {
		if (sl_ring_dequeue(dp->shm.evt, &m) != 0)
			break;
		dp->st.events++;
		evt_handle(dp, &m);
	}
}

static void deadlines_check(struct cp_dp *dp)
{
	uint32_t i;

	for (i = 0; i < CP_DP_INFLIGHT && dp->n_inflight > 0; i++) {
		struct cp_dp_cmd *c = &dp->cmds[i];

		if (c->seq == 0 || dp->now_ns < c->deadline_ns)
			continue;
		CP_ERR("the dataplane did not acknowledge %s seq %u (leg %u) "
		       "within %u ms", sl_cmd_name(c->type), c->seq,
		       c->leg_id, CP_DP_ACK_TIMEOUT_MS);
		cmd_finish(dp, c, CP_DP_NO_ACK, 0, 0);
	}
}

void cp_dp_tick(struct cp_dp *dp, uint64_t now_ns)
{
	dp->now_ns = now_ns;
	if (!dp->mapped) {
		if (now_ns < dp->next_attach_ns)
			return;
		try_attach(dp);
		if (!dp->mapped)
			return;
	}
	if (!health_ok(dp))
		return;
	events_drain(dp);
	deadlines_check(dp);
	cp_dp_sync_advance(dp);
}
