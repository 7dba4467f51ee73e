/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_dp_report.c — how the dataplane client tells what it knows: a sentence
 * for a refused command (naming the leg, the field and the dataplane's
 * result) and the "dataplane" member of sluice-cp's status reply.
 *
 * The dataplane answers with a result code only; the sentence is rebuilt
 * here from the command that was sent and the limits the dataplane
 * published in its header, so an operator reads
 *   leg 7: port 1234 outside the media range 36000-59999: out of range
 * rather than a bare "out of range".
 */
#include <stdio.h>
#include <string.h>

#include "cp_dp_int.h"
#include "json_out.h"

static void media_range(const struct cp_dp *dp, unsigned *lo, unsigned *hi)
{
	*lo = dp->cfg->media.ports.lo;
	*hi = dp->cfg->media.ports.hi;
	if (dp->mapped) {
		*lo = dp->shm.hdr->media_port_min;
		*hi = dp->shm.hdr->media_port_max;
	}
}

static void demux_range(const struct cp_dp *dp, unsigned *lo, unsigned *hi)
{
	*lo = dp->cfg->media.demux_rtp_port;
	*hi = *lo + 2 * dp->cfg->media.demux_pairs - 1;
}

static uint32_t dp_leg_capacity(const struct cp_dp *dp)
{
	return dp->mapped ? dp->shm.hdr->leg_capacity : dp->legs.capacity;
}

/* Which field of an ADD/MOD was out of range. */
static void why_range(const struct cp_dp *dp, const struct sl_leg_spec *s,
		      bool add, char *buf, size_t cap)
{
	unsigned lo, hi, dlo, dhi;
	uint32_t n = dp_leg_capacity(dp);

	media_range(dp, &lo, &hi);
	demux_range(dp, &dlo, &dhi);
	if (s->leg_id == 0 || s->leg_id > n)
		snprintf(buf, cap, "id outside the dataplane's 1-%u", n);
	else if (s->peer_leg_id > n || s->peer_leg_id == s->leg_id)
		snprintf(buf, cap, "peer %u is the leg itself or outside 1-%u",
			 s->peer_leg_id, n);
	else if (add && s->iface >= dp->cfg->n_ifaces)
		snprintf(buf, cap, "interface %u does not exist", s->iface);
	else if (add && s->kind == SL_LEG_PORT && s->local_port + 1u >= dlo &&
		 s->local_port <= dhi)
		snprintf(buf, cap, "port %u is a demultiplexing port "
			 "(%u-%u), not a media port", s->local_port, dlo, dhi);
	else if (add && s->kind == SL_LEG_PORT && (s->local_port & 1))
		snprintf(buf, cap, "port %u is odd: a leg takes the even RTP "
			 "port of a pair (RTCP on the next)", s->local_port);
	else if (add && s->kind == SL_LEG_PORT)
		snprintf(buf, cap, "port pair %u/%u outside the media range "
			 "%u-%u", s->local_port, s->local_port + 1u, lo, hi);
	else if (add && s->kind == SL_LEG_MUX)
		snprintf(buf, cap, "multiplexID %u must be nonzero and port "
			 "%u the RTP (even) port of one of the demultiplexing "
			 "pairs %u-%u", s->mux_id_rx, s->local_port, dlo, dhi);
	else
		snprintf(buf, cap, "a field is out of range");
}

static void why_exists(const struct cp_dp *dp, const struct sl_leg_spec *s,
		       char *buf, size_t cap)
{
	uint32_t id;

	for (id = cp_legs_next(&dp->legs, 0); id != 0;
	     id = cp_legs_next(&dp->legs, id)) {
		const struct cp_leg *o = cp_legs_cget(&dp->legs, id);

		if (id == s->leg_id || o->spec.kind != s->kind)
			continue;
		if (s->kind == SL_LEG_PORT &&
		    o->spec.local_port == s->local_port) {
			snprintf(buf, cap, "port %u is leg %u's",
				 s->local_port, id);
			return;
		}
		if (s->kind == SL_LEG_MUX &&
		    o->spec.mux_id_rx == s->mux_id_rx) {
			snprintf(buf, cap, "multiplexID %u is leg %u's",
				 s->mux_id_rx, id);
			return;
		}
	}
	if (s->kind == SL_LEG_MUX)
		snprintf(buf, cap, "the leg id or multiplexID %u is in use",
			 s->mux_id_rx);
	else
		snprintf(buf, cap, "the leg id or port %u is in use",
			 s->local_port);
}

static void why_malformed(const struct sl_leg_spec *s, bool add, char *buf,
			  size_t cap)
{
	if (!add)
		snprintf(buf, cap, "kind, interface, port and multiplexID "
			 "cannot change (delete and add instead), or a "
			 "field is not valid");
	else if (s->latch == SL_LATCH_STRICT &&
		 !(s->flags & SL_LEG_F_REMOTE_KNOWN))
		snprintf(buf, cap, "strict latching needs a remote address");
	else if (s->latch == SL_LATCH_RELATCH && s->relatch_ms == 0)
		snprintf(buf, cap, "relatch needs relatch_ms above 0");
	else
		snprintf(buf, cap, "the dataplane refused its fields");
}

/* What the dataplane's `result` means for this command. */
static void why_result(const struct cp_dp *dp, const struct cp_dp_done *d,
		       char *buf, size_t cap)
{
	bool leg_cmd = d->cmd_type == SL_CMD_LEG_ADD ||
		       d->cmd_type == SL_CMD_LEG_MOD;
	bool add = d->cmd_type == SL_CMD_LEG_ADD;

	switch (d->result) {
	case SL_E_RANGE:
		if (leg_cmd)
			why_range(dp, &d->spec, add, buf, cap);
		else
			snprintf(buf, cap, "id outside the dataplane's 1-%u",
				 dp_leg_capacity(dp));
		break;
	case SL_E_EXISTS:
		why_exists(dp, &d->spec, buf, cap);
		break;
	case SL_E_MALFORMED:
		why_malformed(&d->spec, add, buf, cap);
		break;
	case SL_E_NOT_FOUND:
		snprintf(buf, cap, "not in the dataplane");
		break;
	case SL_E_CAPACITY:
		snprintf(buf, cap, "the dataplane's table is full");
		break;
	case SL_E_UNKNOWN_CMD:
		snprintf(buf, cap, "the dataplane does not know %s",
			 sl_cmd_name(d->cmd_type));
		break;
	case SL_E_BUSY:
		snprintf(buf, cap, "the dataplane is busy with a dump");
		break;
	default:
		snprintf(buf, cap, "%s refused", sl_cmd_name(d->cmd_type));
		break;
	}
}

void cp_dp_explain(const struct cp_dp *dp, const struct cp_dp_done *d,
		   char *buf, size_t cap)
{
	char why[200];

	if (d->outcome == CP_DP_NO_ACK) {
		snprintf(buf, cap, "leg %u: the dataplane did not acknowledge "
			 "%s within %u ms (whether it applied it is found out "
			 "by the next reconcile)", d->leg_id,
			 sl_cmd_name(d->cmd_type), CP_DP_ACK_TIMEOUT_MS);
		return;
	}
	if (d->outcome == CP_DP_LOST) {
		snprintf(buf, cap, "leg %u: the dataplane went away before "
			 "acknowledging %s (%s)", d->leg_id,
			 sl_cmd_name(d->cmd_type), dp->detach_msg);
		return;
	}
	if (d->result == SL_OK) {
		snprintf(buf, cap, "leg %u: %s: %s", d->leg_id,
			 sl_cmd_name(d->cmd_type), sl_result_name(SL_OK));
		return;
	}
	why_result(dp, d, why, sizeof(why));
	snprintf(buf, cap, "leg %u: %s: %s", d->leg_id, why,
		 sl_result_name(d->result));
}

/* --- status ---------------------------------------------------------------- */

static void kv_hex(struct jout *j, const char *key, uint64_t v)
{
	char hex[24];

	/* A string: a 64-bit number does not survive every JSON reader. */
	snprintf(hex, sizeof(hex), "%#llx", (unsigned long long)v);
	jout_kv_str(j, key, hex);
}

static void kv_u64(struct jout *j, const char *key, uint64_t v)
{
	jout_kv_i64(j, key, (int64_t)v);
}

static void ring_json(struct jout *j, const char *key,
		      const struct sl_ring *r)
{
	jout_key(j, key);
	jout_lit(j, "{");
	kv_u64(j, "slots", r->slots);
	kv_u64(j, "used", sl_ring_count(r));
	kv_u64(j, "full", __atomic_load_n(&r->enq_full, __ATOMIC_RELAXED));
	kv_u64(j, "skipped", __atomic_load_n(&r->skipped, __ATOMIC_RELAXED));
	jout_lit(j, "}");
}

static void header_json(const struct cp_dp *dp, struct jout *j)
{
	const struct sl_shm_hdr *h = dp->shm.hdr;
	char range[16];

	jout_kv_str(j, "object", dp->shm.name);
	kv_u64(j, "abi_version", h->abi_version);
	kv_hex(j, "generation", dp->generation);
	jout_key(j, "new_generation");
	jout_lit(j, dp->new_generation ? "true" : "false");
	kv_u64(j, "dp_pid", (uint32_t)h->dp_pid);
	jout_kv_str(j, "dp_version", h->version);
	jout_kv_str(j, "state", sl_dp_state_name(h->state));
	kv_u64(j, "workers", h->n_workers);
	kv_u64(j, "leg_capacity", h->leg_capacity);
	kv_u64(j, "cred_capacity", h->cred_capacity);
	snprintf(range, sizeof(range), "%u-%u", h->media_port_min,
		 h->media_port_max);
	jout_kv_str(j, "media_ports", range);
	kv_u64(j, "heartbeat_age_ms", cp_dp_heartbeat_age_ms(dp));
	kv_u64(j, "cmds_applied", h->cmds_applied);
	kv_u64(j, "events_dropped", h->evt_dropped);
	ring_json(j, "cmd_ring", dp->shm.cmd);
	ring_json(j, "evt_ring", dp->shm.evt);
}

static void counters_json(const struct cp_dp *dp, struct jout *j)
{
	struct sl_shm_counters snap;
	uint32_t i;

	jout_key(j, "counters");
	if (sl_counters_read(dp->shm.ctr, &snap) != 0) {
		jout_lit(j, "null");
		return;
	}
	jout_lit(j, "{");
	for (i = 0; i < snap.n; i++) {
		snap.c[i].name[SL_COUNTER_NAME_MAX - 1] = '\0';
		kv_u64(j, snap.c[i].name, snap.c[i].value);
	}
	jout_lit(j, "}");
}

static void stats_json(const struct cp_dp *dp, struct jout *j)
{
	const struct cp_dp_stats *s = &dp->st;

	jout_key(j, "legs");
	jout_lit(j, "{");
	kv_u64(j, "known", dp->legs.n);
	kv_u64(j, "programmed", dp->legs.programmed);
	kv_u64(j, "capacity", cp_dp_leg_limit(dp));
	jout_lit(j, "}");
	jout_key(j, "commands");
	jout_lit(j, "{");
	kv_u64(j, "sent", s->cmds_sent);
	kv_u64(j, "acked", s->cmds_acked);
	kv_u64(j, "refused", s->cmds_refused);
	kv_u64(j, "no_ack", s->cmds_no_ack);
	kv_u64(j, "lost", s->cmds_lost);
	kv_u64(j, "failed", s->cmds_refused + s->cmds_no_ack + s->cmds_lost +
	       s->ring_full + s->window_full);
	kv_u64(j, "in_flight", dp->n_inflight);
	kv_u64(j, "ring_full", s->ring_full);
	kv_u64(j, "ring_retries", dp->send_st.retries);
	kv_u64(j, "window_full", s->window_full);
	kv_u64(j, "reconcile_deferred", s->sync_deferred);
	jout_lit(j, "}");
	jout_key(j, "events");
	jout_lit(j, "{");
	kv_u64(j, "received", s->events);
	kv_u64(j, "unmatched", s->acks_unmatched);
	kv_u64(j, "malformed", s->events_malformed);
	kv_u64(j, "latched", s->latched);
	kv_u64(j, "idle", s->idle);
	kv_u64(j, "overflows", s->overflows);
	kv_u64(j, "lost_in_dataplane", s->overflow_lost);
	jout_lit(j, "}");
	kv_u64(j, "attaches", s->attaches);
	kv_u64(j, "detaches", s->detaches);
	kv_u64(j, "refusals", s->refusals);
	kv_u64(j, "reconciles", s->syncs);
}

static void last_sync_json(const struct cp_dp *dp, struct jout *j)
{
	const struct cp_dp_sync_result *r = &dp->last_sync;
	const uint32_t *n = r->legs.n;

	jout_key(j, "last_reconcile");
	if (!dp->have_last_sync) {
		jout_lit(j, "null");
		return;
	}
	jout_lit(j, "{");
	kv_hex(j, "generation", r->generation);
	jout_kv_str(j, "generation_was", r->first_generation ? "first seen" :
		    r->new_generation ? "new" : "same as before");
	jout_key(j, "new_generation");
	jout_lit(j, r->new_generation ? "true" : "false");
	kv_u64(j, "adopted", n[CP_RECON_ADOPT]);
	kv_u64(j, "re_added", n[CP_RECON_READD]);
	kv_u64(j, "modified", n[CP_RECON_MODIFY]);
	kv_u64(j, "replaced", n[CP_RECON_REPLACE]);
	kv_u64(j, "deleted", n[CP_RECON_DELETE]);
	kv_u64(j, "unchanged", n[CP_RECON_SAME]);
	kv_u64(j, "forgotten", n[CP_RECON_FORGET]);
	kv_u64(j, "refused", r->leg_failed);
	kv_u64(j, "not_adoptable", r->unadoptable);
	kv_u64(j, "creds_set", r->creds_set);
	kv_u64(j, "creds_deleted", r->creds_deleted);
	kv_u64(j, "creds_refused", r->cred_failed);
	jout_lit(j, "}");
}

bool cp_dp_counter(const struct cp_dp *dp, const char *name, uint64_t *out)
{
	struct sl_shm_counters snap;
	uint32_t i;

	if (!dp->mapped || sl_counters_read(dp->shm.ctr, &snap) != 0)
		return false;
	for (i = 0; i < snap.n; i++)
		if (strncmp(snap.c[i].name, name, SL_COUNTER_NAME_MAX) == 0) {
			*out = snap.c[i].value;
			return true;
		}
	return false;
}

void cp_dp_status_json(const struct cp_dp *dp, struct jout *j)
{
	jout_key(j, "dataplane");
	jout_lit(j, "{");
	jout_key(j, "attached");
	jout_lit(j, dp->mapped ? "true" : "false");
	jout_kv_str(j, "phase", cp_dp_phase_name(dp->phase));
	kv_u64(j, "abi_version_cp", SL_ABI_VERSION);
	if (!dp->mapped)
		jout_kv_str(j, "reason", dp->attach_msg[0] ? dp->attach_msg :
			    dp->detach_msg[0] ? dp->detach_msg :
			    "not attached yet");
	else
		header_json(dp, j);
	stats_json(dp, j);
	last_sync_json(dp, j);
	if (dp->mapped)
		counters_json(dp, j);
	jout_lit(j, "}");
}
