/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_ctl.c — the service lcore's side of the shared-memory interface
 * (ipc/sl_ipc_types.h): it owns the object, applies the control plane's
 * commands to the flow tables and answers every one of them.
 *
 *   cmd ring ──► apply ──► dp_flow (single writer) ──► ACK ─┐
 *   workers' evt rings ──► LEG_LATCHED ─────────────────────┤
 *   idle scan ──► LEG_IDLE ─────────────────────────────────┼─► backlog ─► evt ring
 *   dump cursor ──► LEG_INFO / CRED_INFO ... ACK ───────────┘  (in order)
 *   timers: heartbeat (10 ms), counters (100 ms), grace periods
 *
 * Nothing is lost silently. A command is taken from the ring only when its
 * answer is sure to find room (the backlog keeps what the event ring cannot
 * take yet, in order), so a control plane that stops reading events sees the
 * command ring fill: an error on its side, not a lost acknowledgement. Only
 * unsolicited events can be lost, when both ring and backlog are full; they
 * are counted and reported in an OVERFLOW event as soon as there is room.
 *
 * Called from the service lcore only (the EAL main lcore).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_malloc.h>

#include "dp.h"
#include "dp_log.h"
#include "sl_shm.h"

#define CTL_CMD_BURST     512      /* commands per poll */
#define CTL_BACKLOG       1024     /* events waiting for ring room */
#define CTL_ANSWER_MAX    2        /* events a command may produce */
#define CTL_WEVT_BURST    64
#define CTL_DUMP_SCAN     16384    /* leg slots a poll looks at in a dump */
#define CTL_IDLE_SCAN     512      /* legs a poll checks for idleness */
#define CTL_HEARTBEAT_NS  (10ull * 1000 * 1000)
#define CTL_COUNTERS_NS   (100ull * 1000 * 1000)
#define CTL_STALL_NS      (200ull * 1000 * 1000)
#define CTL_LOG_PER_SEC   20       /* rejected-command log lines */

struct dp_ctl_dump {
	bool on;
	uint32_t seq;
	uint32_t what;
	uint32_t cursor;        /* next leg id or credential index */
	uint64_t sent;
};

struct dp_ctl {
	struct sl_shm shm;
	uint64_t generation;
	union sl_msg *backlog;          /* [CTL_BACKLOG], a FIFO */
	uint32_t bl_head, bl_n;
	struct dp_ctl_dump dump;
	uint64_t evt_lost, evt_lost_reported;
	uint64_t wevt_lost_reported;
	uint64_t stall_since_ns;
	int32_t stall_pid;
	uint64_t next_hb_ns, next_ctr_ns;
	uint32_t idle_cursor;
	uint64_t cmds;
	uint64_t results[SL_RESULT_MAX];
	uint64_t log_sec, log_n;
};

/* --- events out ------------------------------------------------------------- */

static void
msg_hdr(const struct dp_ctl *ctl, struct sl_msg_hdr *h, uint16_t type,
	uint16_t len, uint32_t seq)
{
	h->type = type;
	h->len = len;
	h->seq = seq;
	h->generation = ctl->generation;
}

static void
backlog_flush(struct dp_ctl *ctl)
{
	while (ctl->bl_n > 0) {
		if (sl_ring_enqueue(ctl->shm.evt, &ctl->backlog[ctl->bl_head],
				    sizeof(union sl_msg)) != 0)
			return;
		ctl->bl_head = (ctl->bl_head + 1) % CTL_BACKLOG;
		ctl->bl_n--;
	}
}

/* Queues an event, in order behind any backlog; false if it was lost. */
static bool
emit(struct dp_ctl *ctl, const union sl_msg *m)
{
	if (ctl->bl_n == 0 &&
	    sl_ring_enqueue(ctl->shm.evt, m, m->h.len) == 0)
		return true;
	if (ctl->bl_n == CTL_BACKLOG) {
		ctl->evt_lost++;
		__atomic_store_n(&ctl->shm.hdr->evt_dropped, ctl->evt_lost,
				 __ATOMIC_RELAXED);
		return false;
	}
	memset(&ctl->backlog[(ctl->bl_head + ctl->bl_n) % CTL_BACKLOG], 0,
	       sizeof(union sl_msg));
	memcpy(&ctl->backlog[(ctl->bl_head + ctl->bl_n) % CTL_BACKLOG], m,
	       m->h.len);
	ctl->bl_n++;
	return true;
}

static void
ack(struct dp_ctl *ctl, const struct sl_msg_hdr *cmd, enum sl_result r,
    uint64_t value)
{
	union sl_msg m;

	memset(&m, 0, sizeof(m));
	msg_hdr(ctl, &m.h, SL_EVT_ACK, sizeof(m.ack), cmd->seq);
	m.ack.cmd_type = cmd->type;
	m.ack.result = r;
	m.ack.value = value;
	ctl->results[r < SL_RESULT_MAX ? r : SL_E_MALFORMED]++;
	emit(ctl, &m);
}

static void
leg_info(struct dp_ctl *ctl, const struct dp_main *dm, uint32_t seq,
	 const struct dp_leg *l)
{
	union sl_msg m;
	uint64_t idle = rte_rdtsc() -
			__atomic_load_n(&l->last_rx_tsc, __ATOMIC_RELAXED);

	memset(&m, 0, sizeof(m));
	msg_hdr(ctl, &m.h, SL_EVT_LEG_INFO, sizeof(m.leg_info), seq);
	dp_flow_leg_spec(l, &m.leg_info.leg, &m.leg_info.ctr, &m.leg_info.q);
	m.leg_info.idle_s = (uint32_t)(idle / dm->tsc_hz);
	emit(ctl, &m);
}

/* --- commands in ------------------------------------------------------------ */

static void
log_rejected(struct dp_ctl *ctl, const struct sl_msg_hdr *h,
	     enum sl_result r, const char *why)
{
	uint64_t sec = sl_mono_ns() / 1000000000ull;

	if (sec != ctl->log_sec) {
		ctl->log_sec = sec;
		ctl->log_n = 0;
	}
	if (ctl->log_n++ >= CTL_LOG_PER_SEC)
		return;
	DP_LOG(INFO, "command %s seq %u refused: %s%s%s", sl_cmd_name(h->type),
	       h->seq, sl_result_name(r), why[0] ? ": " : "", why);
}

static bool
username_terminated(const char *u)
{
	return memchr(u, '\0', SL_USERNAME_MAX) != NULL;
}

/* An all-zero key in CRED_SET means "none" (a SHA-256 digest is never
 * 32 zero bytes). */
static bool
key_given(const uint8_t key[32])
{
	uint8_t acc = 0;

	for (unsigned i = 0; i < 32; i++)
		acc |= key[i];
	return acc != 0;
}

static size_t
cmd_size(uint16_t type)
{
	switch (type) {
	case SL_CMD_PING: return sizeof(struct sl_cmd_ping);
	case SL_CMD_LEG_ADD:
	case SL_CMD_LEG_MOD: return sizeof(struct sl_cmd_leg);
	case SL_CMD_LEG_DEL:
	case SL_CMD_LEG_QUERY: return sizeof(struct sl_cmd_leg_id);
	case SL_CMD_CRED_SET: return sizeof(struct sl_cmd_cred_set);
	case SL_CMD_CRED_DEL: return sizeof(struct sl_cmd_cred_del);
	case SL_CMD_DUMP: return sizeof(struct sl_cmd_dump);
	case SL_CMD_TURN_SECRET: return sizeof(struct sl_cmd_turn_secret);
	case SL_CMD_TURN_ALTERNATE:
		return sizeof(struct sl_cmd_turn_alternate);
	default: return 0;
	}
}

static enum sl_result
cmd_dump_start(struct dp_ctl *ctl, const struct sl_cmd_dump *c)
{
	if (ctl->dump.on)
		return SL_E_BUSY;
	if (c->what != SL_DUMP_LEGS && c->what != SL_DUMP_CREDS &&
	    c->what != SL_DUMP_ALLOCS)
		return SL_E_MALFORMED;
	ctl->dump.on = true;
	ctl->dump.seq = c->h.seq;
	ctl->dump.what = c->what;
	ctl->dump.cursor = c->what == SL_DUMP_CREDS ? 0 : 1;
	ctl->dump.sent = 0;
	return SL_OK;
}

/* Applies one command and answers it (a dump answers when it ends). */
static void
cmd_apply(struct dp_main *dm, struct dp_ctl *ctl, const union sl_msg *m)
{
	struct dp_flow *ft = &dm->flow;
	char why[160] = "";
	enum sl_result r;
	uint64_t value = 0;
	size_t want = cmd_size(m->h.type);

	if (want == 0) {
		r = SL_E_UNKNOWN_CMD;
		snprintf(why, sizeof(why), "type %u", m->h.type);
	} else if (m->h.len != want) {
		r = SL_E_MALFORMED;
		snprintf(why, sizeof(why), "length %u, expected %zu",
			 m->h.len, want);
	} else {
		switch (m->h.type) {
		case SL_CMD_PING:
			r = SL_OK;
			value = m->ping.sent_ns;
			break;
		case SL_CMD_LEG_ADD:
			r = dp_flow_leg_add(ft, &m->leg.leg, why, sizeof(why));
			break;
		case SL_CMD_LEG_MOD:
			r = dp_flow_leg_mod(ft, &m->leg.leg, why, sizeof(why));
			break;
		case SL_CMD_LEG_DEL:
			r = dp_flow_leg_del(ft, m->leg_id.leg_id);
			break;
		case SL_CMD_LEG_QUERY: {
			const struct dp_leg *l = dp_flow_leg(ft,
							m->leg_id.leg_id);

			r = l ? SL_OK : SL_E_NOT_FOUND;
			if (l)
				leg_info(ctl, dm, m->h.seq, l);
			break;
		}
		case SL_CMD_CRED_SET:
			r = username_terminated(m->cred_set.username) ?
			    dp_flow_cred_set(ft, m->cred_set.username,
					     m->cred_set.key,
					     key_given(m->cred_set.key_sha256) ?
					     m->cred_set.key_sha256 : NULL) :
			    SL_E_MALFORMED;
			break;
		case SL_CMD_TURN_SECRET:
			r = dp_turn_secret_set(&dm->turn, &m->turn_secret,
					       why, sizeof(why));
			break;
		case SL_CMD_TURN_ALTERNATE:
			r = dp_turn_alternate_set(&dm->turn,
						  &m->turn_alternate, why,
						  sizeof(why));
			break;
		case SL_CMD_CRED_DEL:
			r = username_terminated(m->cred_del.username) ?
			    dp_flow_cred_del(ft, m->cred_del.username) :
			    SL_E_MALFORMED;
			break;
		case SL_CMD_DUMP:
			r = cmd_dump_start(ctl, &m->dump);
			if (r == SL_OK) {
				ctl->cmds++;
				return; /* the ACK closes the dump */
			}
			break;
		default:
			r = SL_E_UNKNOWN_CMD;
		}
	}
	if (r != SL_OK)
		log_rejected(ctl, &m->h, r, why);
	ctl->cmds++;
	ack(ctl, &m->h, r, value);
}

static bool
pid_alive(int32_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

/*
 * A control plane killed between claiming a command slot and publishing it
 * leaves the ring stuck there. Once that process is gone (the attached pid
 * died or another control plane attached), step over the slot.
 */
static void
stall_check(struct dp_ctl *ctl, uint64_t now)
{
	int32_t cp = __atomic_load_n(&ctl->shm.hdr->cp_pid, __ATOMIC_RELAXED);

	if (!sl_ring_stalled(ctl->shm.cmd)) {
		ctl->stall_since_ns = 0;
		return;
	}
	if (ctl->stall_since_ns == 0) {
		ctl->stall_since_ns = now;
		ctl->stall_pid = cp;
		return;
	}
	if (now - ctl->stall_since_ns < CTL_STALL_NS ||
	    (cp == ctl->stall_pid && pid_alive(cp)))
		return;
	sl_ring_skip(ctl->shm.cmd);
	DP_LOG(WARNING, "stepped over a command slot that control plane pid "
	       "%d claimed and never filled (it exited mid-send)",
	       (int)ctl->stall_pid);
	ctl->stall_since_ns = 0;
}

static unsigned
cmds_drain(struct dp_main *dm, struct dp_ctl *ctl, uint64_t now)
{
	union sl_msg m;
	unsigned n;

	for (n = 0; n < CTL_CMD_BURST; n++) {
		if (CTL_BACKLOG - ctl->bl_n < CTL_ANSWER_MAX)
			break;  /* answers first: leave the command queued */
		if (sl_ring_dequeue(ctl->shm.cmd, &m) != 0) {
			stall_check(ctl, now);
			break;
		}
		cmd_apply(dm, ctl, &m);
	}
	if (n)
		__atomic_store_n(&ctl->shm.hdr->cmds_applied, ctl->cmds,
				 __ATOMIC_RELAXED);
	return n;
}

/* --- dumps, worker events, idleness -------------------------------------- */

static void
dump_end(struct dp_ctl *ctl)
{
	struct sl_msg_hdr h = { .type = SL_CMD_DUMP, .seq = ctl->dump.seq };

	ack(ctl, &h, SL_OK, ctl->dump.sent);
	ctl->dump.on = false;
}

static void
cred_info(struct dp_ctl *ctl, const struct dp_cred *c)
{
	union sl_msg m;

	memset(&m, 0, sizeof(m));
	msg_hdr(ctl, &m.h, SL_EVT_CRED_INFO, sizeof(m.cred_info),
		ctl->dump.seq);
	memcpy(m.cred_info.username, c->username, SL_USERNAME_MAX);
	emit(ctl, &m);
}

/* --- TURN allocations ------------------------------------------------------- */

static uint32_t
secs_left(const struct dp_main *dm, uint64_t expires_tsc, uint64_t now)
{
	return expires_tsc > now ?
	       (uint32_t)((expires_tsc - now + dm->tsc_hz - 1) / dm->tsc_hz) :
	       0;
}

static void
alloc_fill(const struct dp_main *dm, struct sl_evt_alloc *e,
	   const struct dp_alloc *a, const char *username)
{
	e->alloc_id = a->id;
	e->client_addr = a->client_addr;
	e->client_port = a->client_port;
	e->listen_port = a->listen_port;
	e->relay_addr = dm->turn.relay_adv[a->relay_ai];
	e->relay_port = a->relay_port;
	e->iface = a->iface;
	e->lifetime_s = a->lifetime_s;
	snprintf(e->username, sizeof(e->username), "%s", username);
}

void
dp_ctl_alloc_event(struct dp_main *dm, uint16_t type,
		   const struct dp_alloc *a, const char *username,
		   uint32_t reason)
{
	struct dp_ctl *ctl = dm->ctl;
	union sl_msg m;

	if (ctl == NULL)
		return;
	memset(&m, 0, sizeof(m));
	msg_hdr(ctl, &m.h, type, sizeof(m.alloc), 0);
	alloc_fill(dm, &m.alloc, a, username);
	m.alloc.reason = reason;
	emit(ctl, &m);
}

/* One TURN_PEER of a dump: a permission (port and channel 0) or a channel. */
static void
turn_peer_info(const struct dp_main *dm, struct dp_ctl *ctl, uint32_t alloc_id,
	       uint8_t kind, uint32_t peer_addr, uint16_t peer_port,
	       uint16_t channel, uint64_t expires_tsc, uint64_t now)
{
	union sl_msg m;

	memset(&m, 0, sizeof(m));
	msg_hdr(ctl, &m.h, SL_EVT_TURN_PEER, sizeof(m.turn_peer),
		ctl->dump.seq);
	m.turn_peer.alloc_id = alloc_id;
	m.turn_peer.kind = kind;
	m.turn_peer.peer_addr = peer_addr;
	m.turn_peer.peer_port = peer_port;
	m.turn_peer.channel = channel;
	m.turn_peer.lifetime_s = secs_left(dm, expires_tsc, now);
	emit(ctl, &m);
}

/* One allocation of a dump: ALLOC_INFO, then a TURN_PEER for each of its
 * permissions and channels. */
static unsigned
alloc_info(struct dp_main *dm, struct dp_ctl *ctl, const struct dp_alloc *a)
{
	const struct dp_turn *t = &dm->turn;
	uint64_t now = rte_rdtsc();
	union sl_msg m;
	unsigned sent = 1;
	uint32_t i;

	memset(&m, 0, sizeof(m));
	msg_hdr(ctl, &m.h, SL_EVT_ALLOC_INFO, sizeof(m.alloc_info),
		ctl->dump.seq);
	alloc_fill(dm, &m.alloc_info.a, a, t->usernames[a->id]);
	m.alloc_info.a.lifetime_s = secs_left(dm, a->expires_tsc, now);
	m.alloc_info.ctr.pkts_in = __atomic_load_n(&a->pkts_in,
						   __ATOMIC_RELAXED);
	m.alloc_info.ctr.bytes_in = __atomic_load_n(&a->bytes_in,
						    __ATOMIC_RELAXED);
	m.alloc_info.ctr.pkts_out = __atomic_load_n(&a->pkts_out,
						    __ATOMIC_RELAXED);
	m.alloc_info.ctr.bytes_out = __atomic_load_n(&a->bytes_out,
						     __ATOMIC_RELAXED);
	m.alloc_info.ctr.drops = __atomic_load_n(&a->drops, __ATOMIC_RELAXED);
	m.alloc_info.age_s = (uint32_t)((now - a->created_tsc) / dm->tsc_hz);
	m.alloc_info.n_perms = a->n_perms;
	m.alloc_info.n_chans = a->n_chans;
	emit(ctl, &m);
	for (i = a->perm_head; i != 0; i = t->perms[i].next, sent++)
		turn_peer_info(dm, ctl, a->id, SL_TURN_PERMISSION,
			       t->perms[i].peer_addr, 0, 0,
			       t->perms[i].expires_tsc, now);
	for (i = a->chan_head; i != 0; i = t->chans[i].next, sent++)
		turn_peer_info(dm, ctl, a->id, SL_TURN_CHANNEL,
			       t->chans[i].peer_addr, t->chans[i].peer_port,
			       t->chans[i].number, t->chans[i].expires_tsc,
			       now);
	return sent;
}

/* A dump goes out only as fast as the event ring drains, so that it never
 * crowds acknowledgements into the backlog. */
static unsigned
dump_step(struct dp_main *dm, struct dp_ctl *ctl)
{
	const struct dp_flow *ft = &dm->flow;
	unsigned scanned = 0, sent = 0;
	uint32_t room;

	if (!ctl->dump.on || ctl->bl_n > 0)
		return 0;
	room = ctl->shm.evt->slots - sl_ring_count(ctl->shm.evt);
	while (scanned < CTL_DUMP_SCAN && sent + 1 < room) {
		if (ctl->dump.what == SL_DUMP_LEGS) {
			const struct dp_leg *l;

			if (ctl->dump.cursor > ft->leg_cap)
				break;
			l = dp_flow_leg(ft, ctl->dump.cursor++);
			if (l) {
				leg_info(ctl, dm, ctl->dump.seq, l);
				sent++;
			}
		} else if (ctl->dump.what == SL_DUMP_ALLOCS) {
			const struct dp_alloc *a;

			if (ctl->dump.cursor > dm->turn.alloc_cap)
				break;
			a = dp_turn_alloc(&dm->turn, ctl->dump.cursor);
			if (a && sent + 2u + a->n_perms + a->n_chans >= room)
				return sent;    /* the rest next time */
			ctl->dump.cursor++;
			if (a)
				sent += alloc_info(dm, ctl, a);
		} else {
			if (ctl->dump.cursor >= ft->cred_cap)
				break;
			if (ft->creds[ctl->dump.cursor].in_use) {
				cred_info(ctl, &ft->creds[ctl->dump.cursor]);
				sent++;
			}
			ctl->dump.cursor++;
		}
		scanned++;
	}
	ctl->dump.sent += sent;
	if (scanned < CTL_DUMP_SCAN && sent + 1 < room)
		dump_end(ctl);
	return sent;
}

static void
latched_event(struct dp_main *dm, struct dp_ctl *ctl, const struct dp_wevt *w)
{
	const struct dp_leg *l = dp_flow_leg(&dm->flow, w->leg_id);
	union sl_msg m;

	if (l == NULL)
		return;  /* deleted since: nobody to tell */
	memset(&m, 0, sizeof(m));
	msg_hdr(ctl, &m.h, SL_EVT_LEG_LATCHED, sizeof(m.latched), 0);
	m.latched.leg_id = w->leg_id;
	m.latched.remote_addr = dp_remote_addr(w->remote);
	m.latched.remote_port = dp_remote_port(w->remote);
	m.latched.component = w->component;
	m.latched.cookie = l->cookie;
	emit(ctl, &m);
}

static unsigned
worker_events_drain(struct dp_main *dm, struct dp_ctl *ctl)
{
	struct dp_wevt ev[CTL_WEVT_BURST];
	unsigned w, i, n, total = 0;

	for (w = 0; w < dm->n_workers; w++) {
		if (dm->workers[w]->evt_ring == NULL)
			continue;
		n = rte_ring_dequeue_burst_elem(dm->workers[w]->evt_ring, ev,
						sizeof(ev[0]), CTL_WEVT_BURST,
						NULL);
		for (i = 0; i < n; i++)
			if (ev[i].type == DP_WEVT_LATCHED)
				latched_event(dm, ctl, &ev[i]);
		total += n;
	}
	return total;
}

static void
idle_scan(struct dp_main *dm, struct dp_ctl *ctl)
{
	struct dp_flow *ft = &dm->flow;
	uint64_t now = rte_rdtsc();
	unsigned i;

	if (ft->n_legs == 0)
		return;
	for (i = 0; i < CTL_IDLE_SCAN; i++) {
		struct dp_leg *l;
		uint64_t last;
		union sl_msg m;

		if (++ctl->idle_cursor > ft->leg_cap)
			ctl->idle_cursor = 1;
		l = dp_flow_leg(ft, ctl->idle_cursor);
		if (l == NULL || l->idle_timeout_s == 0)
			continue;
		last = __atomic_load_n(&l->last_rx_tsc, __ATOMIC_RELAXED);
		if (last == l->idle_reported_tsc ||
		    now - last < l->idle_timeout_s * dm->tsc_hz)
			continue;
		memset(&m, 0, sizeof(m));
		msg_hdr(ctl, &m.h, SL_EVT_LEG_IDLE, sizeof(m.idle), 0);
		m.idle.leg_id = l->id;
		m.idle.idle_s = (uint32_t)((now - last) / dm->tsc_hz);
		m.idle.cookie = l->cookie;
		if (emit(ctl, &m))
			l->idle_reported_tsc = last;
	}
}

/* --- counters, heartbeat, overflow --------------------------------------- */

static void
counter_put(struct sl_counter *c, uint32_t *n, const char *prefix,
	    const char *name, uint64_t v)
{
	if (*n >= SL_COUNTERS_MAX)
		return;
	snprintf(c[*n].name, sizeof(c[*n].name), "%s%s", prefix, name);
	c[*n].value = v;
	(*n)++;
}

static void
counters_publish(struct dp_main *dm, struct dp_ctl *ctl)
{
	struct sl_counter c[SL_COUNTERS_MAX];
	struct dp_stats s;
	uint64_t errors = 0;
	uint32_t n = 0, i;

	dp_stats_sum(dm, &s);
	for (i = 1; i < SL_RESULT_MAX; i++)
		errors += ctl->results[i];
	counter_put(c, &n, "", "rx_pkts", s.rx_pkts);
	counter_put(c, &n, "", "rx_bytes", s.rx_bytes);
	counter_put(c, &n, "", "tx_pkts", s.tx_pkts);
	counter_put(c, &n, "", "tx_bytes", s.tx_bytes);
	counter_put(c, &n, "", "relayed_pkts", s.relayed_pkts);
	counter_put(c, &n, "", "keepalives", s.keepalives);
	counter_put(c, &n, "", "rtcp_reports", s.rtcp_reports);
	counter_put(c, &n, "", "local_replies", s.local_replies);
	counter_put(c, &n, "", "arp_requests", s.arp_requests);
	counter_put(c, &n, "", "kernel_rx_pkts", s.kernel_rx_pkts);
	counter_put(c, &n, "", "kernel_tx_pkts", s.kernel_tx_pkts);
	counter_put(c, &n, "", "legs", dm->flow.n_legs);
	counter_put(c, &n, "", "leg_capacity", dm->flow.leg_cap);
	counter_put(c, &n, "", "credentials", dm->flow.n_creds);
	counter_put(c, &n, "", "commands", ctl->cmds);
	counter_put(c, &n, "", "command_errors", errors);
	counter_put(c, &n, "", "command_slots_skipped",
		    __atomic_load_n(&ctl->shm.cmd->skipped, __ATOMIC_RELAXED));
	counter_put(c, &n, "", "events_lost", ctl->evt_lost);
	counter_put(c, &n, "", "worker_events_lost", s.worker_events_lost);
	counter_put(c, &n, "", "grace_periods", dm->flow.grace_periods);
	if (dm->turn.enabled) {
		char code[8];

		counter_put(c, &n, "turn.", "allocations", dm->turn.n_allocs);
		counter_put(c, &n, "turn.", "capacity", dm->turn.alloc_cap);
		counter_put(c, &n, "turn.", "permissions", dm->turn.n_perms);
		counter_put(c, &n, "turn.", "channels", dm->turn.n_chans);
		for (i = 0; i < DP_TC_MAX; i++)
			counter_put(c, &n, "turn.", dp_turn_ctr_names[i],
				    dm->turn.ctr[i]);
		for (i = 0; i < DP_TE_MAX; i++) {
			snprintf(code, sizeof(code), "%u",
				 dp_turn_err_codes[i]);
			counter_put(c, &n, "turn.error.", code,
				    dm->turn.err[i]);
		}
	}
	for (i = 0; i < DP_DROP_MAX; i++)
		counter_put(c, &n, "drop.", dp_drop_names[i], s.drops[i]);
	for (i = 0; i < DP_PUNT_MAX; i++)
		counter_put(c, &n, "punt.", dp_punt_names[i], s.punts[i]);
	sl_counters_publish(ctl->shm.ctr, c, n);
}

static void
overflow_report(struct dp_main *dm, struct dp_ctl *ctl)
{
	struct dp_stats s;
	union sl_msg m;

	memset(&m, 0, sizeof(m));
	msg_hdr(ctl, &m.h, SL_EVT_OVERFLOW, sizeof(m.overflow), 0);
	if (ctl->evt_lost != ctl->evt_lost_reported && ctl->bl_n == 0) {
		m.overflow.what = SL_OVF_EVENTS;
		m.overflow.count = ctl->evt_lost - ctl->evt_lost_reported;
		m.overflow.total = ctl->evt_lost;
		if (emit(ctl, &m))
			ctl->evt_lost_reported = ctl->evt_lost;
	}
	dp_stats_sum(dm, &s);
	if (s.worker_events_lost != ctl->wevt_lost_reported) {
		m.overflow.what = SL_OVF_WORKER_EVENTS;
		m.overflow.count = s.worker_events_lost -
				   ctl->wevt_lost_reported;
		m.overflow.total = s.worker_events_lost;
		if (emit(ctl, &m))
			ctl->wevt_lost_reported = s.worker_events_lost;
	}
}

static void
timers(struct dp_main *dm, struct dp_ctl *ctl, uint64_t now)
{
	if (now >= ctl->next_hb_ns) {
		__atomic_store_n(&ctl->shm.hdr->heartbeat_ns, now,
				 __ATOMIC_RELEASE);
		ctl->next_hb_ns = now + CTL_HEARTBEAT_NS;
	}
	if (now >= ctl->next_ctr_ns) {
		counters_publish(dm, ctl);
		overflow_report(dm, ctl);
		ctl->next_ctr_ns = now + CTL_COUNTERS_NS;
	}
}

/* --- life cycle ----------------------------------------------------------- */

int
dp_ctl_init(struct dp_main *dm, uint32_t cmd_slots, uint32_t evt_slots)
{
	struct dp_ctl *ctl;
	char err[256];

	ctl = rte_zmalloc("sl_ctl", sizeof(*ctl), RTE_CACHE_LINE_SIZE);
	if (ctl == NULL)
		return -1;
	ctl->backlog = rte_zmalloc("sl_ctl_backlog",
				   CTL_BACKLOG * sizeof(union sl_msg), 0);
	if (ctl->backlog == NULL) {
		rte_free(ctl);
		return -1;
	}
	if (sl_shm_create(&ctl->shm, dm->instance, cmd_slots, evt_slots, err,
			  sizeof(err)) != 0) {
		DP_LOG(ERR, "shared memory for the control plane: %s", err);
		rte_free(ctl->backlog);
		rte_free(ctl);
		return -1;
	}
	ctl->generation = ctl->shm.hdr->generation;
	ctl->shm.hdr->leg_capacity = dm->flow.leg_cap;
	ctl->shm.hdr->cred_capacity = dm->flow.cred_cap;
	ctl->shm.hdr->turn_capacity = dm->turn.alloc_cap;
	ctl->shm.hdr->n_workers = dm->n_workers;
	ctl->shm.hdr->media_port_min = dm->flow.media_min;
	ctl->shm.hdr->media_port_max = dm->flow.media_max;
	dm->ctl = ctl;
	DP_LOG(INFO, "control interface /dev/shm%s: ABI %u, generation "
	       "%#" PRIx64 ", %u legs, %zu bytes", ctl->shm.name,
	       SL_ABI_VERSION, ctl->generation, dm->flow.leg_cap,
	       ctl->shm.size);
	return 0;
}

/* From here on commands are served: the control plane may send. */
void
dp_ctl_start(struct dp_main *dm)
{
	struct dp_ctl *ctl = dm->ctl;
	uint64_t now = sl_mono_ns();

	__atomic_store_n(&ctl->shm.hdr->heartbeat_ns, now, __ATOMIC_RELAXED);
	counters_publish(dm, ctl);
	__atomic_store_n(&ctl->shm.hdr->state, SL_DP_RUNNING,
			 __ATOMIC_RELEASE);
}

unsigned
dp_ctl_poll(struct dp_main *dm)
{
	struct dp_ctl *ctl = dm->ctl;
	uint64_t now;
	unsigned n;

	if (ctl == NULL)
		return 0;
	now = sl_mono_ns();
	backlog_flush(ctl);
	n = worker_events_drain(dm, ctl);
	n += cmds_drain(dm, ctl, now);
	n += dump_step(dm, ctl);
	idle_scan(dm, ctl);
	dp_flow_reclaim(&dm->flow, false);
	timers(dm, ctl, now);
	return n;
}

void
dp_ctl_fini(struct dp_main *dm)
{
	struct dp_ctl *ctl = dm->ctl;

	if (ctl == NULL)
		return;
	sl_shm_destroy(&ctl->shm);
	rte_free(ctl->backlog);
	rte_free(ctl);
	dm->ctl = NULL;
}

struct sl_shm *
dp_ctl_shm(struct dp_main *dm)
{
	return dm->ctl ? &dm->ctl->shm : NULL;
}
