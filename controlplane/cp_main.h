/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_main.h — the state of one sluice-cp process, in one struct.
 *
 * sluice-cp is a single-threaded epoll loop. Every fd registered with the
 * epoll set carries a tag in epoll_data.u64: the kind in the high 32 bits and
 * a slot index in the low 32 bits, so dispatch is one switch.
 */
#ifndef SL_CP_MAIN_H
#define SL_CP_MAIN_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "cp_cluster.h"
#include "cp_dp.h"
#include "cp_flows.h"
#include "cp_instance.h"
#include "cp_ras.h"
#include "cp_sip.h"
#include "cp_status.h"
#include "sl_config.h"

enum cp_tag_kind {
	CP_TAG_SIGNAL = 1,         /* the signalfd */
	CP_TAG_STATUS_LISTEN,      /* cp.sock listener */
	CP_TAG_STATUS_CLIENT,      /* a cp.sock client, low bits = slot */
	CP_TAG_DP_TICK,            /* timerfd: the dataplane client's tick */
	CP_TAG_RAS_UDP,            /* H.323 RAS/zone socket, low bits = sock */
	CP_TAG_RAS_SIG_LISTEN,     /* TCP h323.q931_port listener */
	CP_TAG_RAS_SIG_CONN,       /* a call-signalling connection, = slot */
	CP_TAG_RAS_TICK,           /* timerfd: the RAS service's tick */
	CP_TAG_SIP_UDP,            /* SIP sip.udp_port */
	CP_TAG_SIP_LISTEN,         /* SIP TCP/TLS listener, = cp_sip_listener */
	CP_TAG_SIP_CONN,           /* a SIP TCP/TLS connection, = slot */
	CP_TAG_SIP_TICK,           /* timerfd: SIP expiry and deadlines */
	CP_TAG_CLUSTER_UDP,        /* turn.cluster_port (cp_cluster.c) */
};

static inline uint64_t cp_tag(enum cp_tag_kind kind, uint32_t slot)
{
	return ((uint64_t)kind << 32) | slot;
}

struct cp_main {
	char instance[CP_INSTANCE_MAX + 1];
	char config_path[PATH_MAX];    /* absolute: the daemon chdir's to / */
	char pid_path[4096];
	char sock_path[4096];
	bool foreground;

	struct sl_config *cfg;         /* the running configuration */

	int pid_fd;                    /* flock'ed cp.pid */
	int sig_fd;                    /* signalfd: TERM, INT, HUP */
	int tick_fd;                   /* timerfd, every CP_DP_TICK_MS */
	int epoll_fd;
	bool stopping;
	int64_t drain_until_ms;        /* stopping once the SIP calls' BYEs
					* are answered, or by then; 0: not */

	bool started;                  /* serving: log "stopping" at exit */
	time_t started_wall;           /* for "started" */
	int64_t started_ms;            /* CLOCK_MONOTONIC, for "uptime_s" */

	struct cp_status_srv status;
	struct cp_dp dp;               /* the dataplane client, leg store */
	bool dp_ready;                 /* cp_dp_init() done */
	struct cp_flows flows;         /* "flows" requests waiting on it */
	struct cp_ras ras;             /* H.323: RAS, zones, 1720 */
	bool ras_ready;                /* cp_ras_open() done */
	struct cp_sip sip;             /* SIP: 5060/5061, registrar */
	bool sip_ready;                /* cp_sip_open() done */
	struct cp_cluster cluster;     /* TURN cluster room exchange */
};

/* The event loop (cp_loop.c): returns when SIGTERM/SIGINT arrived. */
int cp_loop_run(struct cp_main *m);

/* SIGHUP: reload the configuration file (cp_reload.c). */
void cp_reload(struct cp_main *m);

#endif /* SL_CP_MAIN_H */
