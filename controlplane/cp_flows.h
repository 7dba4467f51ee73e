/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_flows.h — the "flows" requests of sluice-cp's status socket: list,
 * show, count, add and del media legs.
 *
 *   flows list [from=ID] [max=N]     legs after ID, at most N (paged)
 *   flows show ID                    the leg, and the dataplane's view of it
 *   flows count
 *   flows add port=P | mux=RX[:TX] port=P  [id=N] [iface=NAME]
 *             [remote=A.B.C.D:P] [latch=off|once|always] [peer=ID] [idle=S]
 *   flows del ID
 *
 * list and count are answered from sluice-cp's leg store at once. show, add
 * and del need the dataplane's acknowledgement: the answer is deferred (the
 * client keeps its slot, the loop goes on) and sent when the ack arrives,
 * or when the dataplane client reports it missing — within a few seconds
 * either way (CP_DP_ACK_TIMEOUT_MS per command).
 */
#ifndef SL_CP_FLOWS_H
#define SL_CP_FLOWS_H

#include <stdbool.h>
#include <stdint.h>

#define CP_FLOWS_MAX_OPS      32    /* deferred requests at once */
#define CP_FLOWS_LIST_DEFAULT 100
#define CP_FLOWS_LIST_MAX     150   /* legs in one page: fits a reply */
#define CP_RELATCH_MS_DEFAULT 2000  /* latch=relatch: silence before a new source */

enum cp_flow_step {
	CP_FLOW_FREE = 0,
	CP_FLOW_ADD,            /* LEG_ADD out */
	CP_FLOW_LINK,           /* LEG_MOD of the peer, pointing back */
	CP_FLOW_DEL,            /* LEG_DEL out */
	CP_FLOW_UNLINK,         /* LEG_MOD of the peer, pointing nowhere */
	CP_FLOW_SHOW,           /* LEG_QUERY out */
};

struct cp_flow_op {
	uint8_t step;
	uint32_t serial;        /* matches the owner of its completion */
	unsigned client;        /* status-socket slot ... */
	uint64_t client_serial; /* ... and which client in it */
	uint32_t leg_id;
	uint32_t peer_id;
};

struct cp_flows {
	struct cp_flow_op op[CP_FLOWS_MAX_OPS];
	uint32_t serial;
};

struct cp_main;
struct jout;

/*
 * Handle the request line after "flows ". Returns true when the answer is
 * in `j`; false when it is deferred (delivered through
 * cp_status_reply_begin/end to client `client` with `client_serial`).
 */
bool cp_flows_request(struct cp_main *m, unsigned client,
		      uint64_t client_serial, char *args, struct jout *j);

/* Completions from the dataplane client: next steps and answers. */
void cp_flows_poll(struct cp_main *m);

#endif /* SL_CP_FLOWS_H */
