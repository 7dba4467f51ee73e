/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_dp_sync.c — bringing the dataplane and sluice-cp into agreement after
 * an attach, a lost event or a credential reload.
 *
 *   DUMP(LEGS) ──► LEG_INFO … ACK(n)      collect, sort, cp_reconcile()
 *        │                                 adopt / forget now; re-add,
 *        ▼                                 modify, replace, delete → jobs
 *   DUMP(CREDS) ─► CRED_INFO … ACK(n)     every configured credential is
 *        │                                 set (the dump has no keys to
 *        ▼                                 compare), the rest deleted → jobs
 *   APPLY: jobs go out in order, at most CP_DP_SYNC_WINDOW unacknowledged,
 *          as fast as the command ring takes them; then READY.
 *
 * One code path serves both restarts: a restarted dataplane (new
 * generation) dumps nothing, so every leg sluice-cp knows is re-added with
 * the latest remote it heard of; a restarted sluice-cp (same generation)
 * knows nothing, so every leg the dataplane has is adopted.
 *
 * A dump is streamed over many service-lcore iterations, interleaved with
 * other events. LEG_LATCHED events seen while the legs are dumped are kept
 * and replayed after the reconcile, in order, so that a latch newer than a
 * leg's LEG_INFO wins and an older one is overtaken by a later event.
 */
#include "cp_dp_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "cp_log.h"

#define SYNC_BUSY_RETRY_MS  100    /* another dump runs in the dataplane */
#define SYNC_ERROR_RETRY_MS 1000
#define SYNC_KEEP_BUFFER    4096   /* elements kept between reconciles */

/* Grows *v (of *cap elements of `size`) to hold one more; -1 on ENOMEM. */
static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 256;
	p = realloc(*v, ncap * size);
	if (p == NULL)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

static void buffers_clear(struct cp_dp *dp)
{
	dp->n_dump_legs = 0;
	dp->n_dump_creds = 0;
	dp->n_late = 0;
}

/* A large reconcile's buffers go back once it is done. */
static void buffers_trim(struct cp_dp *dp)
{
	if (dp->cap_jobs > SYNC_KEEP_BUFFER) {
		free(dp->jobs);
		dp->jobs = NULL;
		dp->cap_jobs = 0;
	}
	if (dp->cap_dump_legs > SYNC_KEEP_BUFFER) {
		free(dp->dump_legs);
		dp->dump_legs = NULL;
		dp->cap_dump_legs = 0;
	}
}

void cp_dp_sync_free(struct cp_dp *dp)
{
	free(dp->dump_legs);
	free(dp->dump_creds);
	free(dp->late);
	free(dp->jobs);
	dp->dump_legs = NULL;
	dp->dump_creds = NULL;
	dp->late = NULL;
	dp->jobs = NULL;
	dp->cap_dump_legs = dp->cap_dump_creds = dp->cap_late = 0;
	dp->cap_jobs = 0;
	dp->n_jobs = dp->job_next = 0;
	buffers_clear(dp);
}

void cp_dp_sync_reset(struct cp_dp *dp)
{
	buffers_clear(dp);
	dp->n_jobs = dp->job_next = 0;
	dp->dump_seq = 0;
	dp->sync_legs = dp->sync_creds = false;
	dp->resync_wanted = false;
}

static void sync_start(struct cp_dp *dp, bool legs, bool creds)
{
	buffers_clear(dp);
	dp->n_jobs = dp->job_next = 0;
	dp->sync_legs = legs;
	dp->sync_creds = creds;
	memset(&dp->sync, 0, sizeof(dp->sync));
	dp->sync.generation = dp->generation;
	dp->sync.first_generation = dp->first_generation;
	dp->sync.new_generation = dp->new_generation;
	dp->phase = legs ? CP_DP_DUMP_LEGS : CP_DP_DUMP_CREDS;
	dp->dump_seq = 0;
	dp->next_dump_ns = dp->now_ns;
	dp->resync_wanted = false;
	if (creds)
		dp->creds_dirty = false;
	if (legs)       /* an attach: the dataplane may be a new one */
		cp_dp_push_attached(dp);
	else if (creds)
		cp_dp_turn_secret_changed(dp);
	dp->st.syncs++;
	CP_INFO("reconciling with the dataplane (generation %#llx): %s",
		(unsigned long long)dp->generation,
		legs && creds ? "dumping its legs and credentials" :
		legs ? "dumping its legs" : "dumping its credentials");
}

static void dump_send(struct cp_dp *dp)
{
	struct cp_dp_cmd meta = { .type = SL_CMD_DUMP, .job = CP_JOB_DUMP };
	union sl_msg m;

	memset(&m, 0, sizeof(m));
	m.dump.what = dp->phase == CP_DP_DUMP_LEGS ? SL_DUMP_LEGS :
		      SL_DUMP_CREDS;
	if (cp_dp_cmd_send(dp, &m, sizeof(m.dump), &meta, false, NULL,
			   0) == 0)
		dp->dump_seq = dp->seq;
	else
		dp->next_dump_ns = dp->now_ns + CP_DP_TICK_MS * CP_DP_MS;
}

/* A dump event refreshes the dump's deadline: it is progress. */
static void dump_progress(struct cp_dp *dp)
{
	struct cp_dp_cmd *c = &dp->cmds[dp->dump_seq & (CP_DP_INFLIGHT - 1)];

	if (c->seq == dp->dump_seq)
		c->deadline_ns = dp->now_ns +
				 CP_DP_ACK_TIMEOUT_MS * CP_DP_MS;
}

bool cp_dp_sync_leg_info(struct cp_dp *dp, const struct sl_evt_leg_info *e)
{
	if (dp->phase != CP_DP_DUMP_LEGS || dp->dump_seq == 0 ||
	    e->h.seq != dp->dump_seq)
		return false;
	if (grow((void **)&dp->dump_legs, &dp->cap_dump_legs,
		 dp->n_dump_legs, sizeof(*dp->dump_legs)) != 0) {
		CP_ERR("dump: no memory for %zu legs", dp->n_dump_legs + 1);
		return true;   /* the count check at the end retries */
	}
	dp->dump_legs[dp->n_dump_legs++] = e->leg;
	dump_progress(dp);
	return true;
}

bool cp_dp_sync_cred_info(struct cp_dp *dp, const struct sl_evt_cred_info *e)
{
	if (dp->phase != CP_DP_DUMP_CREDS || dp->dump_seq == 0 ||
	    e->h.seq != dp->dump_seq)
		return false;
	if (grow((void **)&dp->dump_creds, &dp->cap_dump_creds,
		 dp->n_dump_creds, sizeof(*dp->dump_creds)) != 0) {
		CP_ERR("dump: no memory for %zu credentials",
		       dp->n_dump_creds + 1);
		return true;
	}
	memcpy(dp->dump_creds[dp->n_dump_creds], e->username,
	       SL_USERNAME_MAX);
	dp->dump_creds[dp->n_dump_creds][SL_USERNAME_MAX - 1] = '\0';
	dp->n_dump_creds++;
	dump_progress(dp);
	return true;
}

bool cp_dp_sync_latched(struct cp_dp *dp, const struct sl_evt_leg_latched *e)
{
	if (dp->phase != CP_DP_DUMP_LEGS)
		return false;
	if (grow((void **)&dp->late, &dp->cap_late, dp->n_late,
		 sizeof(*dp->late)) != 0) {
		dp->resync_wanted = true;   /* lost it: look again later */
		return true;
	}
	dp->late[dp->n_late++] = *e;
	return true;
}

/* --- legs -------------------------------------------------------------- */

static int job_add(struct cp_dp *dp, uint8_t kind, uint32_t leg_id,
		   uint32_t cred_idx, const char *username)
{
	struct cp_dp_job *j;

	if (grow((void **)&dp->jobs, &dp->cap_jobs, dp->n_jobs,
		 sizeof(*dp->jobs)) != 0) {
		CP_ERR("reconcile: no memory for %zu commands",
		       dp->n_jobs + 1);
		return -1;
	}
	j = &dp->jobs[dp->n_jobs++];
	memset(j, 0, sizeof(*j));
	j->kind = kind;
	j->leg_id = leg_id;
	j->cred_idx = cred_idx;
	if (username != NULL)
		snprintf(j->username, sizeof(j->username), "%s", username);
	return 0;
}

static uint8_t leg_intent(const struct cp_leg *l)
{
	switch (l->state) {
	case CP_LEG_UNCONFIRMED:
	case CP_LEG_ADDING:
		return CP_RECON_MAYBE;
	case CP_LEG_DEL_UNCONFIRMED:
	case CP_LEG_DELETING:
		return CP_RECON_GONE;
	default:
		return CP_RECON_KEEP;
	}
}

/* The store as a reconcile input, in id order. NULL only on ENOMEM. */
static struct cp_recon_leg *store_list(struct cp_dp *dp, size_t *n)
{
	struct cp_recon_leg *v = malloc((dp->legs.n + 1) * sizeof(*v));
	uint32_t id;
	size_t k = 0;

	if (v == NULL)
		return NULL;
	for (id = cp_legs_next(&dp->legs, 0); id != 0 && k < dp->legs.n;
	     id = cp_legs_next(&dp->legs, id)) {
		const struct cp_leg *l = cp_legs_cget(&dp->legs, id);

		v[k].spec = l->spec;
		v[k].intent = leg_intent(l);
		k++;
	}
	*n = k;
	return v;
}

/* A dumped leg into the store: a latched remote is kept apart. */
static void leg_adopt(struct cp_dp *dp, const struct sl_leg_spec *d)
{
	struct sl_leg_spec s;
	struct cp_leg *l;

	if (d->leg_id > dp->legs.capacity) {
		dp->sync.unadoptable++;
		CP_ERR("reconcile: the dataplane's leg %u is beyond sluice-cp's "
		       "capacity %u (capacity.media_legs): not adopted",
		       d->leg_id, dp->legs.capacity);
		return;
	}
	cp_leg_spec_unlatched(d, &s);
	cp_legs_remove(&dp->legs, d->leg_id);
	l = cp_legs_put(&dp->legs, &s, CP_LEG_PROGRAMMED);
	if (l != NULL)
		cp_leg_latch_from(l, d);
}

static void action_apply(struct cp_dp *dp, const struct cp_recon_action *a)
{
	const struct sl_leg_spec *d = a->dp_idx != CP_RECON_NONE ?
				      &dp->dump_legs[a->dp_idx] : NULL;
	struct cp_leg *l = cp_legs_get(&dp->legs, a->leg_id);

	if (a->kind == CP_RECON_ADOPT) {
		leg_adopt(dp, d);
		return;
	}
	if (l == NULL)
		return;
	l->busy = false;
	if (d != NULL)
		cp_leg_latch_from(l, d);
	switch (a->kind) {
	case CP_RECON_SAME:
		cp_legs_set_state(&dp->legs, l, CP_LEG_PROGRAMMED);
		break;
	case CP_RECON_READD:
		cp_legs_set_state(&dp->legs, l, CP_LEG_UNPROGRAMMED);
		job_add(dp, CP_JOB_READD, a->leg_id, 0, NULL);
		break;
	case CP_RECON_MODIFY:
		cp_legs_set_state(&dp->legs, l, CP_LEG_PROGRAMMED);
		job_add(dp, CP_JOB_MODIFY, a->leg_id, 0, NULL);
		break;
	case CP_RECON_REPLACE:
		cp_legs_set_state(&dp->legs, l, CP_LEG_PROGRAMMED);
		job_add(dp, CP_JOB_REPLACE_DEL, a->leg_id, 0, NULL);
		job_add(dp, CP_JOB_READD, a->leg_id, 0, NULL);
		break;
	case CP_RECON_DELETE:
		cp_legs_set_state(&dp->legs, l, CP_LEG_DEL_UNCONFIRMED);
		job_add(dp, CP_JOB_DELETE, a->leg_id, 0, NULL);
		break;
	case CP_RECON_FORGET:
		cp_legs_remove(&dp->legs, a->leg_id);
		break;
	default:
		break;
	}
}

static void late_replay(struct cp_dp *dp)
{
	size_t i;

	for (i = 0; i < dp->n_late; i++) {
		struct cp_leg *l = cp_legs_get(&dp->legs, dp->late[i].leg_id);

		if (l != NULL)
			cp_leg_latch(l, dp->late[i].component,
				     dp->late[i].remote_addr,
				     dp->late[i].remote_port);
	}
	dp->n_late = 0;
}

/* 0, or -1 when the dump cannot be used (then it is taken again). */
static int legs_reconcile(struct cp_dp *dp)
{
	struct cp_recon_action *act;
	struct cp_recon_leg *mine;
	size_t n_mine = 0;
	long n, i;

	cp_recon_sort(dp->dump_legs, dp->n_dump_legs);
	mine = store_list(dp, &n_mine);
	act = malloc((n_mine + dp->n_dump_legs + 1) * sizeof(*act));
	if (mine == NULL || act == NULL) {
		CP_ERR("reconcile: no memory for %zu legs",
		       n_mine + dp->n_dump_legs);
		free(mine);
		free(act);
		return -1;
	}
	n = cp_reconcile(mine, n_mine, dp->dump_legs, dp->n_dump_legs, act,
			 &dp->sync.legs);
	if (n < 0)
		CP_ERR("reconcile: the dataplane's dump lists a leg twice");
	for (i = 0; i < n; i++)
		action_apply(dp, &act[i]);
	free(mine);
	free(act);
	if (n < 0)
		return -1;
	late_replay(dp);
	return 0;
}

/* --- credentials --------------------------------------------------------- */

int cp_dp_cred_key(const char *user, const char *realm, const char *pass,
		   uint8_t key[16], uint8_t key_sha256[32])
{
	char buf[SL_CFG_USER_MAX + SL_CFG_REALM_MAX + SL_CFG_PASS_MAX + 4];
	unsigned len = 0, len256 = 0;
	int n = snprintf(buf, sizeof(buf), "%s:%s:%s", user, realm, pass);
	int rc = 0;

	if (n < 0 || (size_t)n >= sizeof(buf))
		return -1;
	if (EVP_Digest(buf, (size_t)n, key, &len, EVP_md5(), NULL) != 1 ||
	    len != 16 ||
	    EVP_Digest(buf, (size_t)n, key_sha256, &len256, EVP_sha256(),
		       NULL) != 1 || len256 != 32)
		rc = -1;
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every configured credential is set; dumped ones not configured go. */
static int creds_reconcile(struct cp_dp *dp)
{
	const struct sl_config *cfg = dp->cfg;
	const char **names = malloc((cfg->n_creds + 1) * sizeof(*names));
	uint32_t i;
	size_t k;

	if (names == NULL) {
		CP_ERR("reconcile: no memory for %u credentials",
		       cfg->n_creds);
		return -1;
	}
	for (i = 0; i < cfg->n_creds; i++) {
		names[i] = cfg->creds[i].username;
		if (strlen(cfg->creds[i].username) >= SL_USERNAME_MAX) {
			dp->sync.creds_skipped++;
			CP_ERR("credential '%.40s...': the username is longer "
			       "than the dataplane's %u bytes; not sent",
			       cfg->creds[i].username, SL_USERNAME_MAX - 1);
			continue;
		}
		job_add(dp, CP_JOB_CRED_SET, 0, i, cfg->creds[i].username);
	}
	qsort(names, cfg->n_creds, sizeof(*names), name_cmp);
	for (k = 0; k < dp->n_dump_creds; k++) {
		const char *key = dp->dump_creds[k];

		if (bsearch(&key, names, cfg->n_creds, sizeof(*names),
			    name_cmp) == NULL)
			job_add(dp, CP_JOB_CRED_DEL, 0, 0, key);
	}
	free(names);
	return 0;
}

/* --- the dump's acknowledgement ------------------------------------------ */

static void dump_retry(struct cp_dp *dp, uint64_t after_ms)
{
	buffers_clear(dp);
	dp->dump_seq = 0;
	dp->next_dump_ns = dp->now_ns + after_ms * CP_DP_MS;
}

static void dump_done(struct cp_dp *dp, enum cp_dp_outcome outcome,
		      unsigned result, uint64_t value)
{
	size_t got = dp->phase == CP_DP_DUMP_LEGS ? dp->n_dump_legs :
		     dp->n_dump_creds;

	if (outcome == CP_DP_LOST)
		return;   /* detached: the next attach starts over */
	if (outcome == CP_DP_NO_ACK) {
		CP_ERR("the dataplane did not finish its dump; asking again");
		dump_retry(dp, SYNC_ERROR_RETRY_MS);
		return;
	}
	if (result == SL_E_BUSY) {
		CP_INFO("the dataplane is busy with another dump (one a "
			"previous sluice-cp asked for?); asking again");
		dump_retry(dp, SYNC_BUSY_RETRY_MS);
		return;
	}
	if (result != SL_OK || value != got) {
		CP_ERR("dataplane dump %s: %s, %llu item(s) announced and %zu "
		       "received; asking again",
		       dp->phase == CP_DP_DUMP_LEGS ? "of legs" :
		       "of credentials", sl_result_name(result),
		       (unsigned long long)value, got);
		dump_retry(dp, SYNC_ERROR_RETRY_MS);
		return;
	}
	dp->dump_seq = 0;
	if (dp->phase == CP_DP_DUMP_LEGS) {
		if (legs_reconcile(dp) != 0) {
			dump_retry(dp, SYNC_ERROR_RETRY_MS);
			return;
		}
		dp->n_dump_legs = 0;
		dp->phase = dp->sync_creds ? CP_DP_DUMP_CREDS : CP_DP_APPLY;
		dp->next_dump_ns = dp->now_ns;
		return;
	}
	if (creds_reconcile(dp) != 0) {
		dump_retry(dp, SYNC_ERROR_RETRY_MS);
		return;
	}
	dp->n_dump_creds = 0;
	dp->phase = CP_DP_APPLY;
}

static void job_result(struct cp_dp *dp, const struct cp_dp_cmd *c,
		       enum cp_dp_outcome outcome, unsigned result)
{
	bool cred = c->type == SL_CMD_CRED_SET || c->type == SL_CMD_CRED_DEL;
	bool ok = outcome == CP_DP_ACKED &&
		  (result == SL_OK ||
		   ((c->type == SL_CMD_LEG_DEL || c->type == SL_CMD_CRED_DEL) &&
		    result == SL_E_NOT_FOUND));

	if (ok) {
		if (c->type == SL_CMD_CRED_SET)
			dp->sync.creds_set++;
		else if (c->type == SL_CMD_CRED_DEL)
			dp->sync.creds_deleted++;
		return;
	}
	if (outcome == CP_DP_LOST)
		return;
	if (cred) {
		dp->sync.cred_failed++;
		CP_ERR("reconcile: %s refused by the dataplane: %s",
		       sl_cmd_name(c->type), outcome == CP_DP_ACKED ?
		       sl_result_name(result) : "no ack");
		return;
	}
	dp->sync.leg_failed++;
	CP_ERR("reconcile: %s of leg %u refused by the dataplane: %s",
	       sl_cmd_name(c->type), c->leg_id, outcome == CP_DP_ACKED ?
	       sl_result_name(result) : "no ack");
}

void cp_dp_sync_cmd_done(struct cp_dp *dp, const struct cp_dp_cmd *c,
			 enum cp_dp_outcome outcome, unsigned result,
			 uint64_t value)
{
	if (c->job == CP_JOB_DUMP)
		dump_done(dp, outcome, result, value);
	else
		job_result(dp, c, outcome, result);
}

/* --- sending the jobs ----------------------------------------------------- */

/* 1: sent or nothing to send; 0: not now (ring full, leg busy). */
static int job_leg_send(struct cp_dp *dp, const struct cp_dp_job *j)
{
	struct cp_dp_cmd meta = { .job = j->kind, .leg_id = j->leg_id };
	struct cp_leg *l = cp_legs_get(&dp->legs, j->leg_id);
	union sl_msg m;
	size_t len = sizeof(m.leg);

	if (l == NULL)
		return 1;
	if (l->busy)
		return 0;   /* the previous half of a replace is out */
	memset(&m, 0, sizeof(m));
	meta.spec = l->spec;
	switch (j->kind) {
	case CP_JOB_READD:
		meta.type = SL_CMD_LEG_ADD;
		cp_leg_spec_for_add(l, &m.leg.leg);
		break;
	case CP_JOB_MODIFY:
		meta.type = SL_CMD_LEG_MOD;
		cp_leg_spec_for_mod(l, &m.leg.leg);
		break;
	default:        /* REPLACE_DEL, DELETE */
		meta.type = SL_CMD_LEG_DEL;
		m.leg_id.leg_id = j->leg_id;
		len = sizeof(m.leg_id);
		break;
	}
	if (cp_dp_cmd_send(dp, &m, len, &meta, false, NULL, 0) != 0)
		return 0;
	l->busy = true;
	if (j->kind == CP_JOB_DELETE)
		cp_legs_set_state(&dp->legs, l, CP_LEG_DELETING);
	return 1;
}

static int job_cred_send(struct cp_dp *dp, const struct cp_dp_job *j)
{
	const struct sl_config *cfg = dp->cfg;
	struct cp_dp_cmd meta = { .job = j->kind };
	union sl_msg m;
	size_t len;

	memset(&m, 0, sizeof(m));
	if (j->kind == CP_JOB_CRED_DEL) {
		meta.type = SL_CMD_CRED_DEL;
		memcpy(m.cred_del.username, j->username, SL_USERNAME_MAX);
		len = sizeof(m.cred_del);
	} else {
		const struct sl_credential *c = j->cred_idx < cfg->n_creds ?
						&cfg->creds[j->cred_idx] : NULL;

		/* A reload since: it queued a credential reconcile of its
		 * own, which sends the new store. */
		if (c == NULL || strcmp(c->username, j->username) != 0)
			return 1;
		meta.type = SL_CMD_CRED_SET;
		memcpy(m.cred_set.username, j->username, SL_USERNAME_MAX);
		if (cp_dp_cred_key(c->username, cfg->turn.realm, c->password,
				   m.cred_set.key, m.cred_set.key_sha256) != 0) {
			dp->sync.cred_failed++;
			CP_ERR("credential '%s': MD5/SHA-256 keys: OpenSSL "
			       "failed", c->username);
			return 1;
		}
		len = sizeof(m.cred_set);
	}
	return cp_dp_cmd_send(dp, &m, len, &meta, false, NULL, 0) == 0;
}

static void jobs_send(struct cp_dp *dp)
{
	while (dp->job_next < dp->n_jobs &&
	       dp->n_sync_inflight < CP_DP_SYNC_WINDOW) {
		const struct cp_dp_job *j = &dp->jobs[dp->job_next];
		int sent = j->kind == CP_JOB_CRED_SET ||
			   j->kind == CP_JOB_CRED_DEL ?
			   job_cred_send(dp, j) : job_leg_send(dp, j);

		if (!sent)
			return;
		dp->job_next++;
	}
}

static void sync_finish(struct cp_dp *dp)
{
	const struct cp_dp_sync_result *r = &dp->sync;
	const uint32_t *n = r->legs.n;

	dp->phase = CP_DP_READY;
	dp->n_jobs = dp->job_next = 0;
	buffers_trim(dp);
	dp->last_sync = dp->sync;
	dp->have_last_sync = true;
	dp->next_resync_ns = dp->now_ns + CP_DP_RESYNC_MIN_MS * CP_DP_MS;
	if (dp->sync_legs)
		CP_NOTICE("reconciled legs with the dataplane (generation "
			  "%#llx, %s): adopted %u, re-added %u, modified %u, "
			  "replaced %u, deleted %u, unchanged %u, forgotten "
			  "%u, refused %u, not adoptable %u",
			  (unsigned long long)r->generation,
			  r->first_generation ? "first seen" :
			  r->new_generation ? "new" : "same as before",
			  n[CP_RECON_ADOPT], n[CP_RECON_READD],
			  n[CP_RECON_MODIFY], n[CP_RECON_REPLACE],
			  n[CP_RECON_DELETE], n[CP_RECON_SAME],
			  n[CP_RECON_FORGET], r->leg_failed, r->unadoptable);
	if (dp->sync_creds)
		CP_NOTICE("reconciled credentials with the dataplane: set %u, "
			  "deleted %u, refused %u, not sendable %u",
			  r->creds_set, r->creds_deleted, r->cred_failed,
			  r->creds_skipped);
	dp->sync_legs = dp->sync_creds = false;
}

static bool heartbeat_fresh(const struct cp_dp *dp)
{
	return __atomic_load_n(&dp->shm.hdr->state, __ATOMIC_ACQUIRE) ==
	       SL_DP_RUNNING &&
	       cp_dp_heartbeat_age_ms(dp) <= CP_DP_HEARTBEAT_STALE_MS;
}

void cp_dp_sync_advance(struct cp_dp *dp)
{
	switch (dp->phase) {
	case CP_DP_STARTING:
		if (!heartbeat_fresh(dp))
			return;
		if (dp->hb_wait_logged)
			CP_NOTICE("the dataplane answers again");
		sync_start(dp, true, true);
		/* send the dump in this very tick */
		__attribute__((fallthrough));
	case CP_DP_DUMP_LEGS:
	case CP_DP_DUMP_CREDS:
		if (dp->dump_seq == 0 && dp->now_ns >= dp->next_dump_ns)
			dump_send(dp);
		return;
	case CP_DP_APPLY:
		jobs_send(dp);
		if (dp->job_next == dp->n_jobs && dp->n_sync_inflight == 0)
			sync_finish(dp);
		return;
	case CP_DP_READY:
		if ((dp->resync_wanted || dp->creds_dirty) &&
		    dp->n_inflight == 0 && dp->now_ns >= dp->next_resync_ns) {
			sync_start(dp, dp->resync_wanted, dp->creds_dirty);
			return;
		}
		cp_dp_push_advance(dp);
		return;
	default:
		return;
	}
}
