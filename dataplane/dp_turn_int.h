/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_turn_int.h — the TURN tables' writer operations (dp_turn_table.c),
 * shared by the request path (dp_turn_svc.c). Service lcore only.
 */
#ifndef SLUICE_DP_TURN_INT_H
#define SLUICE_DP_TURN_INT_H

#include "dp_turn.h"

struct dp_turn_alloc_req {
	uint32_t client_addr;   /* network order */
	uint32_t our_addr;      /* network order */
	uint16_t client_port;   /* host order */
	uint16_t listen_port;
	uint16_t relay_port;
	uint16_t relay_ai;      /* relay address index (dp_turn.h) */
	uint8_t iface;
	uint32_t lifetime_s;
	const uint8_t *tid;
	const char *username;
};

uint32_t dp_turn_pool_get(struct dp_turn_pool *p);
void dp_turn_reclaim(struct dp_turn *t, bool force);
void dp_turn_nonce_rotate(struct dp_turn *t, uint64_t now_s);

struct dp_hash_5t_key dp_turn_client_key(uint32_t client_addr,
					 uint32_t our_addr,
					 uint16_t client_port,
					 uint16_t listen_port);
/* `user`: a buffer of SL_USERNAME_MAX bytes, NUL-padded (the hash reads it
 * a word at a time, past the name's end). */
uint32_t dp_turn_user_allocs(const struct dp_turn *t, const char *user);
uint16_t dp_turn_relay_port_pick(struct dp_turn *t, unsigned iface, bool even,
				 bool pair, uint16_t *ai);

/* 0 when a table or pool is full; else the new allocation's id. */
uint32_t dp_turn_alloc_add(struct dp_turn *t,
			   const struct dp_turn_alloc_req *r, uint64_t now_tsc);
void dp_turn_alloc_del(struct dp_turn *t, struct dp_alloc *a);
void dp_turn_alloc_refresh(struct dp_turn *t, struct dp_alloc *a,
			   uint32_t lifetime_s, uint64_t now_tsc);

void dp_turn_reserve_next(struct dp_turn *t, struct dp_alloc *a,
			  const uint8_t token[8]);
void dp_turn_reserve_drop(struct dp_turn *t, struct dp_alloc *a,
			  bool free_port);
struct dp_alloc *dp_turn_reserve_find(struct dp_turn *t,
				      const uint8_t token[8]);

struct dp_turn_perm *dp_turn_perm_find(const struct dp_turn *t,
				       uint32_t alloc_id, uint32_t peer_addr);
bool dp_turn_perm_room(const struct dp_turn *t, const struct dp_alloc *a,
		       unsigned n);
int dp_turn_perm_set(struct dp_turn *t, struct dp_alloc *a,
		     uint32_t peer_addr, uint64_t now_tsc);

struct dp_turn_chan *dp_turn_chan_by_number(const struct dp_turn *t,
					    uint32_t alloc_id,
					    uint16_t number);
struct dp_turn_chan *dp_turn_chan_by_peer(const struct dp_turn *t,
					  uint32_t alloc_id,
					  uint32_t peer_addr,
					  uint16_t peer_port);
int dp_turn_chan_set(struct dp_turn *t, struct dp_alloc *a, uint16_t number,
		     uint32_t peer_addr, uint16_t peer_port,
		     uint64_t now_tsc);

/* A slice of the expiry sweep; `expired` deletes (and reports) one. */
void dp_turn_sweep_slice(struct dp_turn *t, uint64_t now,
			 void (*expired)(void *arg, struct dp_alloc *a),
			 void *arg);

#endif /* SLUICE_DP_TURN_INT_H */
