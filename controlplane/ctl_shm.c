/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_shm.c — `sluicectl status`'s view of the dataplane's shared-memory
 * object (see ctl_shm.h): what the dataplane publishes there, independent
 * of whether sluice-cp runs.
 */
#include "ctl_shm.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "json_out.h"

static bool pid_alive(int32_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

void ctl_shm_read(const char *instance, struct ctl_shm_view *v)
{
	struct sl_shm shm;
	uint64_t now;

	memset(v, 0, sizeof(*v));
	if (sl_shm_attach(&shm, instance, v->error, sizeof(v->error)) != 0) {
		if (errno == ENOENT)
			v->error[0] = '\0';   /* no dataplane: not an error */
		return;
	}
	v->present = true;
	snprintf(v->name, sizeof(v->name), "%s", shm.name);
	memcpy(&v->hdr, shm.hdr, sizeof(v->hdr));
	v->dp_alive = pid_alive(v->hdr.dp_pid);
	now = sl_mono_ns();
	v->heartbeat_age_ms = v->hdr.heartbeat_ns < now ?
			      (now - v->hdr.heartbeat_ns) / 1000000 : 0;
	v->cmd_used = sl_ring_count(shm.cmd);
	v->evt_used = sl_ring_count(shm.evt);
	v->cmd_full = __atomic_load_n(&shm.cmd->enq_full, __ATOMIC_RELAXED);
	v->cmd_skipped = __atomic_load_n(&shm.cmd->skipped, __ATOMIC_RELAXED);
	v->evt_full = __atomic_load_n(&shm.evt->enq_full, __ATOMIC_RELAXED);
	v->have_counters = sl_counters_read(shm.ctr, &v->ctr) == 0;
	sl_shm_detach(&shm);
}

static void print_counters(const struct ctl_shm_view *v)
{
	unsigned i, shown = 0;

	if (!v->have_counters)
		return;
	printf("  shm counters:");
	for (i = 0; i < v->ctr.n; i++) {
		if (v->ctr.c[i].value == 0)
			continue;
		printf("%s %.*s %" PRIu64, shown ? "," : "",
		       (int)SL_COUNTER_NAME_MAX, v->ctr.c[i].name,
		       v->ctr.c[i].value);
		shown++;
	}
	printf("%s\n", shown ? "" : " all zero");
}

void ctl_shm_print(const struct ctl_shm_view *v)
{
	const struct sl_shm_hdr *h = &v->hdr;

	if (!v->present) {
		if (v->error[0] != '\0')
			printf("  shared memory: refused: %s\n", v->error);
		return;
	}
	printf("  shared memory /dev/shm%s: ABI %u, generation %#" PRIx64
	       ", state %s, pid %d%s, heartbeat %" PRIu64 " ms ago\n",
	       v->name, h->abi_version, h->generation,
	       sl_dp_state_name(h->state), (int)h->dp_pid,
	       v->dp_alive ? "" : " (gone)", v->heartbeat_age_ms);
	printf("  %u worker(s), leg capacity %u, credential capacity %u, "
	       "media ports %u-%u, control plane pid %d\n", h->n_workers,
	       h->leg_capacity, h->cred_capacity, h->media_port_min,
	       h->media_port_max, (int)h->cp_pid);
	printf("  command ring %u/%u used (%" PRIu64 " full, %" PRIu64
	       " skipped), event ring %u/%u used, %" PRIu64 " commands "
	       "applied, %" PRIu64 " events dropped\n", v->cmd_used,
	       h->cmd_slots, v->cmd_full, v->cmd_skipped, v->evt_used,
	       h->evt_slots, h->cmds_applied, h->evt_dropped);
	print_counters(v);
}

static void kv_u64(struct jout *j, const char *key, uint64_t n)
{
	jout_kv_i64(j, key, (int64_t)n);
}

static void json_header(struct jout *j, const struct ctl_shm_view *v)
{
	const struct sl_shm_hdr *h = &v->hdr;
	char gen[24];

	snprintf(gen, sizeof(gen), "%#" PRIx64, h->generation);
	jout_kv_str(j, "object", v->name);
	kv_u64(j, "abi_version", h->abi_version);
	jout_kv_str(j, "generation", gen);
	jout_kv_str(j, "state", sl_dp_state_name(h->state));
	kv_u64(j, "dp_pid", (uint32_t)h->dp_pid);
	jout_key(j, "dp_alive");
	jout_lit(j, v->dp_alive ? "true" : "false");
	kv_u64(j, "cp_pid", (uint32_t)h->cp_pid);
	kv_u64(j, "heartbeat_age_ms", v->heartbeat_age_ms);
	kv_u64(j, "workers", h->n_workers);
	kv_u64(j, "leg_capacity", h->leg_capacity);
	kv_u64(j, "cred_capacity", h->cred_capacity);
	kv_u64(j, "media_port_min", h->media_port_min);
	kv_u64(j, "media_port_max", h->media_port_max);
	kv_u64(j, "cmd_slots", h->cmd_slots);
	kv_u64(j, "cmd_used", v->cmd_used);
	kv_u64(j, "cmd_full", v->cmd_full);
	kv_u64(j, "cmd_skipped", v->cmd_skipped);
	kv_u64(j, "evt_slots", h->evt_slots);
	kv_u64(j, "evt_used", v->evt_used);
	kv_u64(j, "cmds_applied", h->cmds_applied);
	kv_u64(j, "evt_dropped", h->evt_dropped);
}

void ctl_shm_json(const struct ctl_shm_view *v)
{
	char buf[SL_COUNTERS_MAX * (SL_COUNTER_NAME_MAX + 32) + 2048];
	char name[SL_COUNTER_NAME_MAX + 1];
	struct jout j;
	unsigned i;

	jout_init(&j, buf, sizeof(buf));
	if (!v->present && v->error[0] == '\0') {
		fputs("null", stdout);
		return;
	}
	jout_lit(&j, "{");
	if (!v->present) {
		jout_kv_str(&j, "error", v->error);
	} else {
		json_header(&j, v);
		jout_key(&j, "counters");
		jout_lit(&j, "{");
		for (i = 0; v->have_counters && i < v->ctr.n; i++) {
			snprintf(name, sizeof(name), "%.*s",
				 (int)SL_COUNTER_NAME_MAX, v->ctr.c[i].name);
			kv_u64(&j, name, v->ctr.c[i].value);
		}
		jout_lit(&j, "}");
	}
	jout_lit(&j, "}");
	fputs(j.overflow ? "{\"error\":\"too long\"}" : buf, stdout);
}
