/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_turn.h — sluice-cp's side of the dataplane's TURN server: the
 * allocation events (logged and counted) and the "turn" requests of the
 * status socket.
 *
 *   turn status [from=ID] [max=N]   counters from the shared-memory area,
 *   turn relays [from=ID] [max=N]   and what a DUMP(ALLOCS) returns
 *
 *   status socket ── "turn relays" ──► cp_turn_request: DUMP(ALLOCS) out,
 *                                      the client deferred
 *   event ring ── ALLOC_INFO, TURN_PEER (the DUMP's seq) ──► collected
 *              ── ACK of the DUMP ──► cp_turn_dump_done ──► cp_turn_poll
 *                                      answers the client
 *
 * One dump at a time: a request while one is out is refused "busy". A
 * page holds at most CP_TURN_PAGE_MAX allocations (the reply's size is
 * bounded); "next" names where the following page starts (0: the end).
 */
#ifndef SL_CP_TURN_H
#define SL_CP_TURN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_ipc_types.h"

#define CP_TURN_PAGE_MAX     32      /* allocations in one reply */
#define CP_TURN_PEERS_MAX    16      /* permissions + channels listed per
				      * allocation of a page */
#define CP_TURN_ADDR_MAX     4096    /* distinct client addresses counted */

struct cp_turn_stats {
	uint64_t created;
	uint64_t expired[3];            /* by enum sl_alloc_end */
	uint64_t events_malformed;      /* ALLOC_INFO/TURN_PEER of no dump */
};

struct cp_turn_dump {
	uint32_t seq;                   /* the DUMP out; 0: none */
	bool done;
	uint8_t outcome;                /* enum cp_dp_outcome */
	uint16_t result;                /* enum sl_result */
	bool relays;                    /* the request was "turn relays" */
	uint32_t from, max;             /* the page asked for */
	unsigned client;                /* status-socket slot ... */
	uint64_t client_serial;         /* ... and which client in it */
	uint32_t n_allocs;              /* seen in this dump */
	uint32_t clients;               /* distinct client addresses seen */
	uint32_t next;                  /* first id after the page; 0: end */
	struct sl_evt_alloc_info page[CP_TURN_PAGE_MAX];
	uint32_t n_page;
	struct sl_evt_turn_peer peers[CP_TURN_PAGE_MAX][CP_TURN_PEERS_MAX];
	uint16_t n_peers[CP_TURN_PAGE_MAX];
	uint32_t *client_addrs;         /* seen this dump, [addr_cap] */
	uint32_t addr_cap;
};

struct cp_turn {
	struct cp_turn_stats st;
	struct cp_turn_dump *dump;      /* allocated on first use */
};

struct cp_dp;
struct cp_main;
struct jout;

/* A TURN event of the dataplane (ALLOC_CREATED, ALLOC_EXPIRED, ALLOC_INFO,
 * TURN_PEER); called from the dataplane client's event loop. */
void cp_turn_event(struct cp_turn *t, const union sl_msg *m);

/* The DUMP with `seq` completed (cp_dp.c, when its ACK or its failure
 * arrives); false when it was not ours. */
bool cp_turn_dump_done(struct cp_turn *t, uint32_t seq, unsigned outcome,
		       unsigned result);

/* Handle the request line after "turn ". True when the answer is in `j`;
 * false when deferred (answered by cp_turn_poll). */
bool cp_turn_request(struct cp_main *m, unsigned client,
		     uint64_t client_serial, char *args, struct jout *j);

/* Answers a completed dump's client. */
void cp_turn_poll(struct cp_main *m);

void cp_turn_free(struct cp_turn *t);

/* "a.b.c.d:port" of a network-order address and a host-order port. */
void cp_turn_addr_port(char *buf, size_t cap, uint32_t addr, uint16_t port);

/* An event's username (NUL-terminated within the field) into `out`
 * (SL_USERNAME_MAX bytes). */
void cp_turn_username(char *out, const struct sl_evt_alloc *a);

#endif /* SL_CP_TURN_H */
