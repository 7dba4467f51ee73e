/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sb_gen.h — the generator's process state (DPDK side): options, the port,
 * the flow plan, the frame templates, and the trial the traffic lcore runs.
 */
#ifndef SLUICE_SB_GEN_H
#define SLUICE_SB_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mempool.h>

#include "sb.h"
#include "sb_plan.h"

struct sb_opts {
	bool reflect;               /* --mode reflect */
	const char *device;         /* --device DEVARGS (hot-plugged) */
	const char *instance;       /* --instance: program its legs */
	const char *json;
	const char *tel_path;       /* --telemetry SOCKET */
	const char *label;
	const char *write_pcap;     /* --write-pcap FILE: frames, then exit */
	int paths[SB_PATH_MAX];
	unsigned n_paths;
	uint32_t flows;
	double rate;                /* pps; 0: flat out */
	bool search;
	double seconds;             /* per trial */
	double warmup_s;
	double drain_ms;
	double resolution;          /* search: stop when (hi-lo)/hi below */
	double loss_tol;            /* NDR: loss ratio at most this */
	double pdr_tol;             /* PDR: loss ratio at most this */
	unsigned max_trials;
	unsigned frame;             /* bytes incl. FCS */
	unsigned queues;
	unsigned hosts;
	uint32_t relay_ip;          /* network order */
	uint16_t demux_port;        /* 0: the media range's first port */
	unsigned demux_pairs;
	uint16_t turn_port;
	bool ceiling;               /* a reflector stands for the relay */
	bool keep_legs;
	bool clamp_flows;
	unsigned retries;           /* --retry-contended */
	double contention_ms;
	unsigned retry_budget;      /* repeats per run, all trials */
	int relay_pid;              /* --relay-pid */
	uint32_t a_ip, b_ip;        /* --a-ip, --b-ip */
	uint32_t mux_in_base;
	uint32_t leg_base;          /* first leg id */
	uint16_t a_port_base;
	bool setup_only, teardown;
	bool external;              /* --external: a relay we do not program */
	const char *turn_user, *turn_pass, *turn_realm;
	double link_timeout_s;
	double run_seconds;         /* reflect: stop after (0: on a signal) */
	bool require_p2p;           /* smoke: fail when p2p got nothing */
};

struct sb_gen {
	const struct sb_opts *o;
	uint16_t port;
	struct rte_mempool *pool;
	struct rte_ether_addr mac;
	struct rte_ether_addr relay_mac;
	struct sb_plan plan;
	uint32_t flows_requested;
	int relay_pid;              /* for its workers' schedstat */
	int traffic_tid;
	unsigned retry_budget;      /* repeats left in this run */
	uint16_t *turn_relay_port;  /* per flow, 0: none */
	uint64_t hz;
	uint32_t run;               /* stamped into this trial's frames */
	uint8_t tmpl[SB_PATH_MAX][SB_FRAME_MAX];
	uint16_t tmpl_len[SB_PATH_MAX];
	uint16_t out_len[SB_PATH_MAX]; /* UDP payload the relay should send */
	uint16_t in_len[SB_PATH_MAX];  /* UDP payload the generator sends */
	uint32_t cursor[SB_MAX_QUEUES];
	volatile bool quit;
};

struct sb_trial_cfg {
	double rate;                /* pps; 0: flat out */
	double seconds;
	double drain_ms;
	uint32_t run;
};

/* A trial for the traffic lcore (rte_eal_remote_launch's argument). */
struct sb_trial_job {
	struct sb_gen *g;
	const struct sb_trial_cfg *tc;
	struct sb_trial_result *r;
	volatile bool done;      /* set by the traffic lcore at the end */
};

/* sb_main.c */
void sb_plan_cfg_from_opts(const struct sb_opts *o, struct sb_plan_cfg *pc);

/* sb_traffic.c */
void sb_templates_build(struct sb_gen *g);
int sb_trial_lcore(void *arg);        /* runs g->trial on the lcore */
void sb_trial_run(struct sb_gen *g, const struct sb_trial_cfg *tc,
		  struct sb_trial_result *r);
int sb_arp_resolve(struct sb_gen *g, uint32_t ip, struct rte_ether_addr *mac,
		   double timeout_s);
int sb_reflect_lcore(void *arg);
struct rte_mbuf;
bool sb_arp_answer(const struct sb_gen *g, struct rte_mbuf *m);

/* sb_turn.c: allocations, channels and permissions for the TURN flows,
 * over the port from the main lcore before any trial. */
struct sb_turn_status {
	unsigned flows;             /* TURN flows in the plan */
	unsigned allocated, ready, failed;
	bool server_answered;       /* anything came back from the TURN port */
	double seconds;
	char note[200];             /* why not, when not */
};
void sb_turn_setup(struct sb_gen *g, struct sb_turn_status *st);
void sb_turn_teardown(struct sb_gen *g);
uint64_t sb_reflect_count(void);

#endif
