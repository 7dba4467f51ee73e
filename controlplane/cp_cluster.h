/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_cluster.h — the TURN cluster exchange: sluice-cp tells its peer
 * appliances (turn.cluster_peers) how much TURN room it has, hears theirs,
 * and gives the dataplane the peer with the most room (TURN_ALTERNATE), so
 * that a full appliance answers 300 Try Alternate instead of 508.
 *
 *   every turn.cluster_interval s:  room = turn.capacity - turn.allocations
 *        (the dataplane's counters; 0 while it is not attached)
 *        ──► one announcement per peer, UDP to its control address/port
 *   UDP turn.cluster_port (punted to sluice-cp by the dataplane)
 *        ──► decode ──► HMAC-SHA256(turn.cluster_secret) ──► which peer
 *        (by the TURN address/port it announces) ──► fresh? (clock skew,
 *        boot id and sequence: no replay) ──► its room
 *   after each change: best = most room > 0 among peers heard within
 *        3 intervals (first configured wins a tie) ──► cp_dp_turn_alternate
 *
 * Announcement, 88 bytes, numbers big-endian:
 *
 *    0 "SLCX"  4 version 1  5 kind 1 (room)  6 reserved 0 (2)
 *    8 sender's TURN address (IPv4)  12 its TURN port  14 reserved 0 (2)
 *   16 boot id (random per sluice-cp start)  24 sequence (from 1)
 *   32 sender's wall clock, ms since the epoch
 *   40 capacity  44 allocations  48 room  52 reserved 0
 *   56 HMAC-SHA256(turn.cluster_secret, bytes 0..55)
 *
 * Anyone holding the cluster secret is a member: a member can speak for
 * another (the secret is shared), a stranger cannot speak at all, and a
 * recorded announcement cannot be played again (its sequence is spent, and
 * past CP_CLUSTER_SKEW_MS its timestamp is too old anyway).
 */
#ifndef SL_CP_CLUSTER_H
#define SL_CP_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sl_config.h"

#define CP_CLUSTER_MSG_LEN   88
#define CP_CLUSTER_DEAD_INTERVALS 3     /* unheard this long: no room */
#define CP_CLUSTER_SKEW_MS   30000      /* accepted clock difference */
#define CP_CLUSTER_RX_BURST  64         /* datagrams taken per wake-up */

struct cp_cluster_room {        /* one announcement, decoded */
	uint32_t addr;          /* network order */
	uint16_t port;
	uint64_t boot, seq, ts_ms;
	uint32_t capacity, allocations, room;
};

enum cp_cluster_verdict {
	CP_CLUSTER_ACCEPTED = 0,
	CP_CLUSTER_MALFORMED,   /* size, magic, version, kind, reserved */
	CP_CLUSTER_BAD_MAC,     /* not signed with our cluster secret */
	CP_CLUSTER_UNKNOWN,     /* signed, but not one of our peers */
	CP_CLUSTER_STALE,       /* timestamp outside CP_CLUSTER_SKEW_MS */
	CP_CLUSTER_REPLAYED,    /* sequence (or, new boot, time) not newer */
	CP_CLUSTER_WRONG_SOURCE, /* a peer's, sent from another address than
				  * its control_address */
	CP_CLUSTER_VERDICT_MAX
};

struct cp_cluster_peer {
	const struct sl_cluster_peer *cfg;
	bool heard;
	uint64_t boot, seq, ts_ms;      /* the last accepted announcement */
	uint64_t heard_ns;              /* CLOCK_MONOTONIC */
	uint32_t capacity, allocations, room;
	uint64_t accepted;
};

struct cp_cluster {
	bool on;                        /* turn.cluster_peers not empty */
	int fd;
	uint8_t key[SL_CFG_PASS_MAX];
	size_t key_len;
	uint32_t our_addr;              /* what we announce, network order */
	uint16_t our_port;
	uint16_t listen_port;           /* turn.cluster_port */
	uint64_t interval_ns;
	uint64_t boot, seq;
	uint64_t next_send_ns;
	unsigned n_peers;
	struct cp_cluster_peer peers[SL_CFG_MAX_CLUSTER_PEERS];
	int best;                       /* index in peers, -1: none */
	uint32_t our_room;              /* as last announced */
	uint64_t sent, send_errors, received;
	uint64_t rejected[CP_CLUSTER_VERDICT_MAX];
	/* refusals are logged at most once a second (a stranger can send
	 * them at any rate); the ones not logged are counted and named with
	 * the next that is */
	uint64_t refused_logged_ns, refused_unlogged;
};

struct cp_dp;
struct jout;

/* From the running configuration; no socket yet. */
void cp_cluster_init(struct cp_cluster *c, const struct sl_config *cfg);

/* Binds turn.cluster_port and registers it with epfd under `tag` (nothing
 * when there is no cluster). 0, or -1 with a sentence in err. */
int cp_cluster_open(struct cp_cluster *c, int epfd, uint64_t tag, char *err,
		    size_t errlen);
void cp_cluster_close(struct cp_cluster *c);

/* The socket is readable: take what arrived. */
void cp_cluster_readable(struct cp_cluster *c, struct cp_dp *dp,
			 uint64_t now_ns);
/* Each tick: announce when due, age peers out, push the best one. */
void cp_cluster_tick(struct cp_cluster *c, struct cp_dp *dp, uint64_t now_ns);

/* The "cluster" member of `turn status`. */
void cp_cluster_status_json(const struct cp_cluster *c, uint64_t now_ns,
			    struct jout *j);

/* --- the pieces, exposed for tests ----------------------------------------- */

void cp_cluster_encode(const struct cp_cluster_room *r, const uint8_t *key,
		       size_t key_len, uint8_t out[CP_CLUSTER_MSG_LEN]);
enum cp_cluster_verdict cp_cluster_decode(const uint8_t *buf, size_t len,
					  const uint8_t *key, size_t key_len,
					  struct cp_cluster_room *r);
/* A decoded, authentic announcement, received from src (IPv4, network
 * order), against the peers' state: accepted (and recorded) or why not. */
enum cp_cluster_verdict cp_cluster_accept(struct cp_cluster *c,
					  const struct cp_cluster_room *r,
					  uint32_t src, uint64_t now_ms,
					  uint64_t now_ns);
/* The peer with the most room > 0 heard recently: its index, or -1. */
int cp_cluster_choose(const struct cp_cluster *c, uint64_t now_ns);

const char *cp_cluster_verdict_name(enum cp_cluster_verdict v);

#endif /* SL_CP_CLUSTER_H */
