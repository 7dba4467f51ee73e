/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_dp.h — sluice-cp's dataplane client: attaches to the dataplane's
 * shared-memory object, sends commands on its command ring, consumes its
 * event ring (sluice-cp is that ring's only consumer) and keeps the leg
 * store in step with the dataplane's flow tables.
 *
 * Driven from the event loop's timer (CP_DP_TICK_MS); nothing here blocks
 * longer than one bounded enqueue back-off (CP_DP_SEND_WAIT_US).
 *
 *        ┌────────── attach fails: retry, log when the reason changes
 *        ▼
 *   DETACHED ──attach──► STARTING ──RUNNING, heartbeat fresh──► DUMP_LEGS
 *        ▲                                                          │
 *        │ stopped, died, heartbeat > 1 s                            ▼
 *        └────────────── READY ◄── APPLY (re-add, modify, ...) ◄── DUMP_CREDS
 *                          │  ▲
 *                          └──┘ resync: overflow, missing ack, reload
 *
 * Every command carries a sequence number from a per-process random base
 * and sits in the in-flight table (indexed by seq) until its SL_EVT_ACK;
 * past its deadline it completes as CP_DP_NO_ACK, when the dataplane goes
 * away as CP_DP_LOST: never silently. A command whose owner waits (a
 * sluicectl request) completes into a queue the owner reads with
 * cp_dp_done_next().
 */
#ifndef SL_CP_DP_H
#define SL_CP_DP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cp_legs.h"
#include "cp_reconcile.h"
#include "cp_turn.h"
#include "sl_config.h"
#include "sl_shm.h"

#define CP_DP_TICK_MS            5
#define CP_DP_ATTACH_RETRY_MS    100
#define CP_DP_REFUSED_RETRY_MS   1000   /* after an ABI refusal */
#define CP_DP_ACK_TIMEOUT_MS     2000
#define CP_DP_SEND_WAIT_US       50000  /* a full ring: give up after this */
#define CP_DP_HEARTBEAT_STALE_MS 1000
#define CP_DP_RESYNC_MIN_MS      2000   /* between two resyncs */
#define CP_DP_INFLIGHT           1024   /* commands awaiting acks, pow2 */
#define CP_DP_SYNC_WINDOW        128    /* of which reconcile commands */
#define CP_DP_EVT_BATCH          4096   /* events taken per tick */
#define CP_DP_DONE_MAX           64     /* completions awaiting owners */
#define CP_DP_MSG_MAX            320

enum cp_dp_phase {
	CP_DP_DETACHED = 0,     /* no object, or refused: retrying */
	CP_DP_STARTING,         /* mapped, waiting for RUNNING + heartbeat */
	CP_DP_DUMP_LEGS,        /* DUMP(LEGS) out, collecting LEG_INFO */
	CP_DP_DUMP_CREDS,       /* DUMP(CREDS) out, collecting CRED_INFO */
	CP_DP_APPLY,            /* reconcile commands going out */
	CP_DP_READY,
	CP_DP_PHASE_MAX
};

/* Who waits for a command: op 0 means nobody (the client logs errors). */
struct cp_dp_owner {
	uint32_t op;
	uint32_t serial;
};

enum cp_dp_outcome {
	CP_DP_ACKED = 0,        /* `result` is the dataplane's answer */
	CP_DP_NO_ACK,           /* no ack within CP_DP_ACK_TIMEOUT_MS */
	CP_DP_LOST,             /* the dataplane went away first */
};

struct cp_dp_done {
	struct cp_dp_owner owner;
	uint32_t seq;
	uint32_t leg_id;
	uint16_t cmd_type;      /* enum sl_cmd_type */
	uint16_t result;        /* enum sl_result, when ACKED */
	uint8_t outcome;        /* enum cp_dp_outcome */
	bool have_info;
	uint64_t value;
	struct sl_leg_spec spec;        /* ADD/MOD: what was sent */
	struct sl_evt_leg_info info;    /* QUERY: the dataplane's answer */
};

/* Internal reasons for a command (reconcile bookkeeping). */
enum cp_dp_job_kind {
	CP_JOB_NONE = 0,        /* an owner's command */
	CP_JOB_DUMP,
	CP_JOB_READD,
	CP_JOB_MODIFY,
	CP_JOB_REPLACE_DEL,     /* the delete half of a replace */
	CP_JOB_DELETE,
	CP_JOB_CRED_SET,
	CP_JOB_CRED_DEL,
	CP_JOB_UNLINK,          /* clearing a deleted leg's back-pointer */
};

struct cp_dp_cmd {              /* one in-flight command */
	uint32_t seq;           /* 0: free */
	uint32_t leg_id;
	uint16_t type;
	uint8_t job;            /* enum cp_dp_job_kind */
	bool have_info;
	struct cp_dp_owner owner;
	uint64_t deadline_ns;
	struct sl_leg_spec spec;
	struct sl_evt_leg_info info;
};

struct cp_dp_job {              /* a reconcile command still to send */
	uint32_t leg_id;        /* leg jobs */
	uint32_t cred_idx;      /* CRED_SET: index in cfg->creds */
	uint8_t kind;
	char username[SL_USERNAME_MAX];
};

struct cp_dp_stats {
	uint64_t attaches, detaches, refusals;
	uint64_t cmds_sent, cmds_acked, cmds_refused, cmds_no_ack, cmds_lost;
	uint64_t ring_full;     /* sends given up: the ring stayed full */
	uint64_t window_full;   /* sends refused: CP_DP_INFLIGHT awaiting */
	uint64_t sync_deferred; /* reconcile sends put off (ring full) */
	uint64_t events, acks_unmatched, events_malformed;
	uint64_t latched, latched_unknown, idle, overflows, overflow_lost;
	uint64_t syncs;
};

struct cp_dp_sync_result {
	uint64_t generation;
	bool first_generation;   /* the first this sluice-cp has seen */
	bool new_generation;     /* another than the last one seen */
	struct cp_recon_counts legs;
	uint32_t leg_failed;     /* reconcile commands the dp refused */
	uint32_t unadoptable;    /* dp legs above this store's capacity */
	uint32_t creds_set, creds_deleted, cred_failed, creds_skipped;
};

/* TURN settings pushed to the dataplane (cp_dp_push.c). */
struct cp_dp_push {
	bool secret_dirty, secret_inflight;
	bool alt_dirty, alt_inflight;
	uint32_t alt_addr;              /* network order; 0: none */
	uint16_t alt_port;
	uint32_t alt_room;
	uint64_t sent[2];               /* acknowledged: secret, alternate */
	uint64_t refused;
};

struct cp_dp {
	char instance[64];
	const struct sl_config *cfg;    /* the running configuration */

	struct sl_shm shm;
	bool mapped;
	enum cp_dp_phase phase;
	uint64_t now_ns;                /* of the current tick */
	uint64_t generation;            /* of the mapped object */
	uint64_t last_generation;       /* the one before; 0: none yet */
	bool first_generation;
	bool new_generation;
	uint64_t next_attach_ns;
	char attach_msg[CP_DP_MSG_MAX]; /* why not attached (logged once) */
	char detach_msg[CP_DP_MSG_MAX]; /* why the last attach ended */
	bool hb_wait_logged;
	uint64_t ring_log_ns;           /* rate limit of "ring full" logs */

	uint32_t seq;                   /* the last one used */
	struct cp_dp_cmd *cmds;         /* [CP_DP_INFLIGHT] */
	uint32_t n_inflight, n_sync_inflight;
	struct cp_dp_done done[CP_DP_DONE_MAX];
	uint32_t done_head, done_n;

	struct cp_legs legs;

	/* reconcile */
	bool sync_legs, sync_creds;     /* what the running sync covers */
	bool resync_wanted, creds_dirty;
	uint64_t next_resync_ns, next_dump_ns;
	uint32_t dump_seq;              /* 0: the DUMP is not out yet */
	struct sl_leg_spec *dump_legs;
	size_t n_dump_legs, cap_dump_legs;
	char (*dump_creds)[SL_USERNAME_MAX];
	size_t n_dump_creds, cap_dump_creds;
	struct sl_evt_leg_latched *late;  /* LATCHED seen during a dump */
	size_t n_late, cap_late;
	struct cp_dp_job *jobs;
	size_t n_jobs, job_next, cap_jobs;
	struct cp_dp_sync_result sync, last_sync;
	bool have_last_sync;

	struct cp_dp_stats st;
	struct sl_ring_send_stats send_st;

	struct cp_turn turn;            /* TURN events, allocation dumps */
	struct cp_dp_push push;         /* REST secret, cluster alternate */

	/* Told of every SL_EVT_LEG_IDLE (the SIP calls end theirs); called
	 * from cp_dp_tick: it must not send commands itself. */
	void (*idle_cb)(void *ctx, uint32_t leg_id, uint32_t idle_s,
			uint64_t cookie);
	void *idle_ctx;
};

/* 0, or -1 with errno (memory for the leg store and in-flight table). */
int cp_dp_init(struct cp_dp *dp, const char *instance,
	       const struct sl_config *cfg);

/* Detaches (clearing hdr.cp_pid if it is ours) and frees everything. */
void cp_dp_fini(struct cp_dp *dp);

/* One step: attach/health/events/deadlines/reconcile. `now_ns` is
 * CLOCK_MONOTONIC (sl_mono_ns()). */
void cp_dp_tick(struct cp_dp *dp, uint64_t now_ns);

/* The next completion for an owner; false when none is waiting. */
bool cp_dp_done_next(struct cp_dp *dp, struct cp_dp_done *out);

/*
 * Commands for owners. Each returns 0 when the command is on the ring (its
 * completion follows), or -1 with errno and a sentence in err:
 *   EAGAIN  not attached, or reconciling (err says which)
 *   ENOBUFS the command ring stayed full for CP_DP_SEND_WAIT_US
 *   EBUSY   CP_DP_INFLIGHT commands await acks, or the leg has one
 *   EEXIST / ENOENT / ERANGE  the leg store's own checks (add/mod/del)
 * leg_add puts the leg in the store (state ADDING); on a refusal it is
 * removed again, so nothing changes on an error.
 */
int cp_dp_leg_add(struct cp_dp *dp, const struct sl_leg_spec *spec,
		  struct cp_dp_owner who, char *err, size_t errlen);
int cp_dp_leg_mod(struct cp_dp *dp, const struct sl_leg_spec *spec,
		  struct cp_dp_owner who, char *err, size_t errlen);
/* As leg_mod, for an endpoint whose media moved (a re-INVITE named a new
 * address): the spec's remotes replace what the leg latched, and it
 * latches again from the next source. */
int cp_dp_leg_relatch(struct cp_dp *dp, const struct sl_leg_spec *spec,
		      struct cp_dp_owner who, char *err, size_t errlen);
int cp_dp_leg_del(struct cp_dp *dp, uint32_t leg_id, struct cp_dp_owner who,
		  char *err, size_t errlen);
int cp_dp_leg_query(struct cp_dp *dp, uint32_t leg_id,
		    struct cp_dp_owner who, char *err, size_t errlen);
int cp_dp_ping(struct cp_dp *dp, struct cp_dp_owner who, char *err,
	       size_t errlen);

/* DUMP(ALLOCS) for a "turn" request: its seq in *seq; the events and the
 * completion go to dp->turn (cp_turn_event, cp_turn_dump_done). 0, or -1
 * with errno (EAGAIN: not ready) and a sentence in err. */
int cp_dp_turn_dump(struct cp_dp *dp, uint32_t *seq, char *err,
		    size_t errlen);

/* The credential store changed (SIGHUP): send it again when idle. */
void cp_dp_creds_changed(struct cp_dp *dp);

/* turn.rest_secret or its grace changed (SIGHUP): send TURN_SECRET. */
void cp_dp_turn_secret_changed(struct cp_dp *dp);

/* The cluster's best peer (addr network order, 0: none; port host
 * order): TURN_ALTERNATE when it differs from the last one sent. */
void cp_dp_turn_alternate(struct cp_dp *dp, uint32_t addr, uint16_t port,
			  uint32_t room);

/* Serving commands for owners (READY). */
bool cp_dp_ready(const struct cp_dp *dp);

/* Leg ids this control plane may use: min(store, dataplane) capacity. */
uint32_t cp_dp_leg_limit(const struct cp_dp *dp);

/*
 * A sentence for an owner's failed command, naming the leg, what was wrong
 * and the dataplane's result name:
 *   "leg 7: port 1234 outside the media range 36000-59999: out of range"
 */
void cp_dp_explain(const struct cp_dp *dp, const struct cp_dp_done *d,
		   char *buf, size_t cap);

/* The long-term keys of RFC 8489 §9.2.2, MD5 and SHA-256 of
 * user:realm:pass; 0, or -1 when OpenSSL fails. */
int cp_dp_cred_key(const char *user, const char *realm, const char *pass,
		   uint8_t key[16], uint8_t key_sha256[32]);

const char *cp_dp_phase_name(unsigned phase);

/* A counter the dataplane publishes ("legs"); false when absent. */
bool cp_dp_counter(const struct cp_dp *dp, const char *name, uint64_t *out);

/* The "dataplane" member of the status reply (cp_dp_report.c). */
struct jout;
void cp_dp_status_json(const struct cp_dp *dp, struct jout *j);

#endif /* SL_CP_DP_H */
