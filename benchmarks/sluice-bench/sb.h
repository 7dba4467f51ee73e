/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sb.h — sluice-bench: a DPDK generator and receiver that drives a relay
 * (sluice-dp) over a DPDK port, usually one end of a net_memif pair, and
 * measures what comes back.
 *
 *    sluice-bench (generator)                 sluice-dp (relay)
 *   ┌──────────────────────────────┐  memif  ┌──────────────────────────┐
 *   │ main lcore: legs over the    │ ◄─────► │ worker: classify → media │
 *   │   shm rings, telemetry,      │         │   | demux | turn → tx    │
 *   │   trials, the search, JSON   │         │ service lcore: commands  │
 *   │ traffic lcore: TX paced by   │         └──────────────────────────┘
 *   │   TSC, RX: stamp → loss,     │     shm /dev/shm/sluice-<instance>:
 *   │   reordering, latency        │     LEG_ADD / LEG_DEL and their ACKs
 *   └──────────────────────────────┘     telemetry socket: /sluice/stats
 *
 * A *flow* is one call of two legs, A and B, relayed one way: the generator
 * sends as A's far end to A's local port (or multiplexID, or TURN
 * allocation) and receives, as B's far end, what the relay sends out of B.
 * The four media paths differ only in the two legs' kinds and in the frame
 * the generator sends:
 *
 *   path  A leg  B leg  generator sends           relay sends
 *   p2p   PORT   PORT   RTP to A's port           RTP from B's port
 *   p2m   PORT   MUX    RTP to A's port           B's ID + RTP from 36000
 *   m2p   MUX    PORT   A's ID + RTP to 36000     RTP from B's port
 *   m2m   MUX    MUX    A's ID + RTP to 36000     B's ID + RTP from 36000
 *   turn-cd   allocation + channel  ChannelData to 3478    RTP from relay port
 *   turn-send allocation + permission  Send indication     RTP from relay port
 *
 * Reflector mode (--mode reflect) stands where the relay stands and sends
 * every frame straight back: the generator measured against it (--ceiling)
 * gives the generator's own ceiling on the same CPUs and the same memif.
 */
#ifndef SLUICE_SB_H
#define SLUICE_SB_H

#include <stdbool.h>
#include <stdint.h>

#include "sb_frame.h"
#include "sb_hist.h"

#define SB_MAX_QUEUES   8
#define SB_BURST        32
#define SB_MAX_DROPS    64      /* drop reasons read from telemetry */

enum sb_path {
	SB_P2P,
	SB_P2M,
	SB_M2P,
	SB_M2M,
	SB_TURN_CD,
	SB_TURN_SEND,
	SB_PATH_MAX
};

struct sb_path_info {
	const char *name;        /* "p2p" */
	const char *title;       /* "plain → plain" */
	enum sb_encap in;        /* what the generator sends */
	bool out_mux;            /* the relay's output starts with an ID */
	bool turn;
	const char *stage_missing; /* the drop reason of a dataplane without
				    * the stage this path needs */
};

extern const struct sb_path_info sb_paths[SB_PATH_MAX];
int sb_path_by_name(const char *name);

/* One flow (see above). IPs network order, ports host order. */
struct sb_flow {
	uint32_t a_ip, b_ip;
	uint16_t a_port, b_port;
	uint16_t in_port;        /* relay port the generator sends to */
	uint16_t out_port;       /* relay port the relayed packet comes from */
	uint32_t mux_in;         /* m2*: A's multiplexID */
	uint32_t mux_out;        /* *2m: B's multiplexID on the relay's output */
	uint16_t channel;        /* turn-cd */
	uint8_t path;            /* enum sb_path */
	uint8_t ready;           /* legs / allocation in place */
	uint32_t leg_a, leg_b;   /* 0: none */
	uint32_t tx_seq;         /* next sequence number */
	uint32_t rx_next;        /* highest sequence received + 1 (this trial) */
};

/* Counters of one trial, one path. */
struct sb_count {
	uint64_t offered;        /* built and handed to the port */
	uint64_t refused;        /* the port's TX queue was full: lost at the
				  * relay's input, as a NIC's full RX ring */
	uint64_t rx;             /* stamped frames of this trial back */
	uint64_t bad;            /* came back, but rewritten wrongly */
	uint64_t reordered;      /* sequence below one already received */
};

struct sb_trial_result {
	double rate_target;      /* pps; 0: flat out */
	double seconds;          /* TX time */
	struct sb_count c[SB_PATH_MAX];
	struct sb_count total;
	uint64_t late;           /* stamps of an earlier trial */
	uint64_t foreign;        /* frames without our stamp */
	uint64_t arp_replies;    /* ARP requests answered */
	double tx_pps, rx_pps;   /* offered and received rates */
	struct sb_hist lat[SB_PATH_MAX];  /* TSC cycles */
	struct sb_hist lat_all;
};

/* What the relay's telemetry said (deltas over a trial once subtracted). */
struct sb_relay_stats {
	bool ok;
	uint64_t rx_pkts, tx_pkts, relayed_pkts;
	uint64_t busy_tsc, idle_tsc, polls, busy_polls, tsc_hz;
	unsigned n_drops;
	char drop_name[SB_MAX_DROPS][40];
	uint64_t drop[SB_MAX_DROPS];
};

/* CPU the measured threads were denied during a trial (sb_sched.c). */
struct sb_sched {
	unsigned relay_threads;
	bool relay_all_threads;                 /* not DPDK: every thread */
	uint64_t relay_run_ns, relay_wait_ns;   /* relay workers: on CPU,
						 * runnable but preempted */
	uint64_t gen_run_ns, gen_wait_ns;       /* the traffic lcore */
	uint64_t steal_ns;                      /* hypervisor, all CPUs */
};

void sb_sched_read(int relay_pid, int gen_tid, struct sb_sched *s);
void sb_sched_delta(const struct sb_sched *a, const struct sb_sched *z,
		    struct sb_sched *d);

/* sb_tel.c — sluice-dp's DPDK telemetry socket. */
int sb_tel_path(char *buf, size_t len, const char *instance);
int sb_tel_read(const char *sock_path, struct sb_relay_stats *out,
		char *err, size_t errlen);
void sb_relay_delta(const struct sb_relay_stats *a,
		    const struct sb_relay_stats *z, struct sb_relay_stats *d);

#endif /* SLUICE_SB_H */
