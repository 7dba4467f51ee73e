/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sb_plan.h — who is who in a run: the relay's ports, the generator's
 * emulated hosts, and for each flow its addresses, its relay ports or
 * multiplexIDs and its two legs.
 *
 * Addresses (RFC 2544's benchmarking range 198.18.0.0/15):
 *   relay          198.18.0.1 (--relay-ip)
 *   A hosts        198.18.1.1 .. 198.18.1.H   (the senders)
 *   B hosts        198.18.2.1 .. 198.18.2.H   (the receivers)
 *   flow i         A = A host (i mod H), port 10000 + 2 (i div H)
 *                  B = B host (i mod H), port 20000 + 2 (i div H)
 * Every host is on the relay's link, and the low 16 bits of every address
 * differ (the relay's neighbour table is indexed by them).
 *
 * Relay ports: PORT legs take even ports of the media range from its start,
 * skipping the demultiplexing pairs: first every A leg's (flow order), then
 * every B leg's, so that A's RTP/RTCP pairs are one run of ports (what
 * pktgen's range mode walks). MUX legs receive on the first pair's RTP
 * port; A's multiplexIDs count up from 0x51000001 (or --mux-in-base).
 * Leg ids run 1, 2, ... in flow order (A, B). --a-ip / --b-ip put every
 * flow's A or B on one address (a pktgen port); its port is then
 * 10000 + 2i (20000 + 2i for B), i the flow's index.
 */
#ifndef SLUICE_SB_PLAN_H
#define SLUICE_SB_PLAN_H

#include <stdint.h>

#include "sb.h"
#include "sl_ipc_types.h"

struct sb_plan_cfg {
	uint32_t relay_ip;          /* network order */
	unsigned hosts;             /* H above */
	uint16_t media_min, media_max;
	uint16_t demux_port;        /* RTP port of the first pair */
	unsigned demux_pairs;
	uint16_t turn_port;
	uint32_t leg_capacity;
	uint32_t a_ip, b_ip;        /* network order; 0: the hosts above */
	uint32_t mux_in_base;       /* A's first multiplexID (0: default) */
	uint32_t leg_base;          /* the first leg id (0: 1) */
	uint16_t a_port_base;       /* A's first UDP port (0: 10000) */
};

struct sb_plan {
	struct sb_plan_cfg cfg;
	uint32_t n_flows;
	struct sb_flow *flows;
	uint32_t n_legs;            /* leg ids used */
	uint32_t flows_leg_base;    /* the first of them */
	unsigned paths_used;        /* bit per enum sb_path */
};

/*
 * Lays out n flows over the given paths (flow i takes paths[i mod n]).
 * Returns 0, or -1 with the reason in err (more flows than ports or leg
 * ids for these paths).
 */
int sb_plan_build(struct sb_plan *p, const struct sb_plan_cfg *cfg,
		  const int *paths, unsigned n_paths, uint32_t n_flows,
		  char *err, size_t errlen);
void sb_plan_free(struct sb_plan *p);

/* How many flows of only this path the relay's ranges allow. */
uint32_t sb_plan_max_flows(const struct sb_plan_cfg *cfg, int path);

/* The LEG_ADD specs of flow f's two legs (false when it has none). */
bool sb_plan_legs(const struct sb_plan *p, const struct sb_flow *f,
		  struct sl_leg_spec *a, struct sl_leg_spec *b);

#endif
