/* SPDX-License-Identifier: BSD-3-Clause */
/* sb_ctl.c — see sb_ctl.h. Called from the main thread only. */
#include "sb_ctl.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NS_PER_MS 1000000ull

static bool
pid_alive(int32_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

int
sb_ctl_attach(struct sb_ctl *c, const char *instance, char *err,
	      size_t errlen)
{
	int32_t cp, me = (int32_t)getpid();

	memset(c, 0, sizeof(*c));
	if (sl_shm_attach(&c->shm, instance, err, errlen) != 0)
		return -1;
	if (!sl_shm_dp_alive(&c->shm)) {
		snprintf(err, errlen, "instance %s: the dataplane is not "
			 "running (state %s)", instance,
			 sl_dp_state_name(c->shm.hdr->state));
		sl_shm_detach(&c->shm);
		return -1;
	}
	cp = __atomic_load_n(&c->shm.hdr->cp_pid, __ATOMIC_ACQUIRE);
	if (cp != 0 && cp != me && pid_alive(cp)) {
		snprintf(err, errlen, "instance %s: a control plane (pid %d, "
			 "sluice-cp?) reads its event ring; stop it or use "
			 "another instance", instance, (int)cp);
		sl_shm_detach(&c->shm);
		return -1;
	}
	/* as sluice-cp does: the dataplane steps over a slot a dead
	 * predecessor left half-written once this pid differs */
	__atomic_store_n(&c->shm.hdr->cp_pid, me, __ATOMIC_RELEASE);
	c->seq = (uint32_t)(sl_mono_ns() ^ ((uint64_t)me << 20)) | 1;
	c->attached = true;
	return 0;
}

void
sb_ctl_detach(struct sb_ctl *c)
{
	int32_t me = (int32_t)getpid();

	if (!c->attached)
		return;
	__atomic_compare_exchange_n(&c->shm.hdr->cp_pid, &me, 0, false,
				    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
	sl_shm_detach(&c->shm);
	c->attached = false;
}

static void
ack_take(struct sb_ctl *c, const struct sl_evt_ack *a)
{
	struct sb_ctl_slot *s = &c->slot[a->h.seq & (SB_CTL_WINDOW - 1)];

	if (s->seq != a->h.seq || s->seq == 0) {
		c->events_other++;   /* not ours (a predecessor's) */
		return;
	}
	c->acked++;
	if (a->result != SL_OK &&
	    !(a->result == SL_E_NOT_FOUND && s->not_found_ok)) {
		c->refused++;
		if (c->first_error[0] == '\0')
			snprintf(c->first_error, sizeof(c->first_error),
				 "%s of leg %u refused: %s",
				 sl_cmd_name(s->type), s->leg_id,
				 sl_result_name(a->result));
	}
	s->seq = 0;
	c->inflight--;
}

/* Reads what events there are; returns how many. */
static unsigned
events_drain(struct sb_ctl *c)
{
	union sl_msg e;
	unsigned n = 0;

	while (sl_ring_dequeue(c->shm.evt, &e) == 0) {
		n++;
		if (e.h.type == SL_EVT_ACK)
			ack_take(c, &e.ack);
		else
			c->events_other++;
	}
	return n;
}

/* The oldest unacknowledged command is older than timeout_ms. */
static bool
stalled(const struct sb_ctl *c, uint64_t now, unsigned timeout_ms)
{
	unsigned i;

	if (c->inflight == 0)
		return false;
	for (i = 0; i < SB_CTL_WINDOW; i++)
		if (c->slot[i].seq != 0 &&
		    now - c->slot[i].sent_ns > timeout_ms * NS_PER_MS)
			return true;
	return false;
}

static int
wait_some(struct sb_ctl *c, uint64_t since, unsigned timeout_ms)
{
	uint64_t now = sl_mono_ns();

	if (events_drain(c) > 0)
		return 0;
	if (!sl_shm_dp_alive(&c->shm)) {
		snprintf(c->first_error, sizeof(c->first_error),
			 "the dataplane stopped");
		return -1;
	}
	if (now - since > timeout_ms * NS_PER_MS ||
	    stalled(c, now, timeout_ms)) {
		if (c->first_error[0] == '\0')
			snprintf(c->first_error, sizeof(c->first_error),
				 "the dataplane did not acknowledge within "
				 "%u ms", timeout_ms);
		return -1;
	}
	usleep(50);
	return 0;
}

int
sb_ctl_send(struct sb_ctl *c, union sl_msg *m, size_t len, bool not_found_ok,
	    unsigned timeout_ms)
{
	struct sb_ctl_slot *s;
	uint64_t t0 = sl_mono_ns();
	uint32_t seq;

	for (;;) {
		seq = c->seq == 0 ? 1 : c->seq;
		s = &c->slot[seq & (SB_CTL_WINDOW - 1)];
		if (c->inflight < SB_CTL_WINDOW - 1 && s->seq == 0)
			break;
		if (wait_some(c, t0, timeout_ms) != 0)
			return -1;
	}
	m->h.seq = seq;
	m->h.len = (uint16_t)len;
	m->h.generation = 0;
	while (sl_ring_enqueue(c->shm.cmd, m, len) != 0) {
		if (errno != ENOBUFS || wait_some(c, t0, timeout_ms) != 0)
			return -1;
	}
	*s = (struct sb_ctl_slot){ .seq = seq, .type = m->h.type,
				   .not_found_ok = not_found_ok,
				   .sent_ns = sl_mono_ns() };
	if (m->h.type == SL_CMD_LEG_ADD || m->h.type == SL_CMD_LEG_MOD)
		s->leg_id = m->leg.leg.leg_id;
	else if (m->h.type == SL_CMD_LEG_DEL)
		s->leg_id = m->leg_id.leg_id;
	c->seq = seq + 1;
	c->inflight++;
	c->sent++;
	events_drain(c);
	return 0;
}

int
sb_ctl_flush(struct sb_ctl *c, unsigned timeout_ms)
{
	uint64_t t0 = sl_mono_ns();

	while (c->inflight > 0)
		if (wait_some(c, t0, timeout_ms) != 0)
			return -1;
	return 0;
}

int
sb_ctl_ping(struct sb_ctl *c, unsigned timeout_ms)
{
	union sl_msg m;

	memset(&m, 0, sizeof(m));
	m.h.type = SL_CMD_PING;
	m.ping.sent_ns = sl_mono_ns();
	if (sb_ctl_send(c, &m, sizeof(m.ping), false, timeout_ms) != 0)
		return -1;
	return sb_ctl_flush(c, timeout_ms);
}
