/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sb_report.h — a run's trials, what they mean, and how they are written:
 * a line per trial on stdout, a summary, and the JSON that scripts/bench.sh
 * turns into the sizing report.
 */
#ifndef SLUICE_SB_REPORT_H
#define SLUICE_SB_REPORT_H

#include "sb_gen.h"

#define SB_MAX_TRIALS 72
#define SB_MAX_RETRIES 4

struct sb_trial {
	const char *kind;          /* warmup, fixed, flat-out, search, latency */
	struct sb_trial_result r;
	struct sb_relay_stats relay;  /* deltas over the trial */
	uint64_t loss;             /* offered - received */
	double loss_ratio;
	bool loss_free;
	bool gen_limited;          /* offered below 99% of the target */
	struct sb_sched sched;     /* CPU denied to the measured threads */
	uint64_t contention_ns;    /* relay + generator waiting + steal */
	unsigned n_retried;        /* earlier attempts, repeated */
	struct {
		double loss_ratio;
		double offered_pps;
		uint64_t contention_ns;
	} retried[SB_MAX_RETRIES];
};

struct sb_report {
	const struct sb_gen *g;
	double latency_at;
	double setup_seconds;
	uint32_t legs;
	bool telemetry_ok;
	struct sb_trial warmup;
	struct sb_trial trials[SB_MAX_TRIALS];
	unsigned n_trials;
	int best;                  /* NDR: highest loss-free trial, -1: none */
	int pdr_best;              /* PDR: highest within --pdr-loss, -1 */
	int flat_out;
	int latency;               /* trial for the latency figures, -1 */
	bool generator_limited;    /* flat out was loss-free */
	int failures;              /* functional (sb_report_check) */
	bool turn_tried;
	struct sb_turn_status turn;
	char path_note[SB_PATH_MAX][320];
};

void sb_report_init(struct sb_report *rep, const struct sb_gen *g,
		    double latency_at);
struct sb_trial *sb_report_trial(struct sb_report *rep, const char *kind);
void sb_trial_judge(struct sb_trial *t, double loss_tol);
void sb_trial_print(const struct sb_gen *g, const struct sb_trial *t);
/* Functional checks; returns the failures (each printed as FAIL:). */
int sb_report_check(struct sb_report *rep);
void sb_report_print(const struct sb_report *rep);
int sb_report_json(const struct sb_report *rep, const char *path);

/* sb_pcap.c: the frames of the first flows as a pcap (no EAL). */
int sb_pcap_write(struct sb_gen *g, const char *path);

#endif
