/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_media_alloc.h — what the B2BUA hands out for media: RTP/RTCP port
 * pairs of the media range (PORT legs on the public side) and
 * multiplexIDs (MUX legs on the demultiplexing pair, zone side).
 *
 *   media.ports 36000 ......................................... 59999
 *               [demux pair(s): reserved][pair][pair] ... [pair]
 *                                          ▲ cursor: round robin, so a
 *                                            pair just freed is not
 *                                            handed out again at once
 *
 * Both are one bitmap pool of fixed size (calloc'd once), so nothing a
 * caller does can grow them: when a pool is empty the call gets 503.
 */
#ifndef SL_SIP_MEDIA_ALLOC_H
#define SL_SIP_MEDIA_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

struct sip_idpool {
	uint64_t *bits;         /* 1: taken */
	uint32_t n;             /* ids 0..n-1 */
	uint32_t used;
	uint32_t cursor;        /* where the next search starts */
};

/* 0, or -1 (errno ENOMEM, EINVAL for n 0). */
int sip_idpool_init(struct sip_idpool *p, uint32_t n);
void sip_idpool_fini(struct sip_idpool *p);
/* A free id (round robin from the last one handed out), or -1 when full. */
int64_t sip_idpool_get(struct sip_idpool *p);
/* Marks id taken (reservations); false if out of range or taken. */
bool sip_idpool_take(struct sip_idpool *p, uint32_t id);
/* false if it was not taken (a double free is reported, not hidden). */
bool sip_idpool_put(struct sip_idpool *p, uint32_t id);
bool sip_idpool_taken(const struct sip_idpool *p, uint32_t id);

/* Port pairs of [lo, hi] (lo even, hi odd), demux pairs reserved. */
struct sip_port_pairs {
	struct sip_idpool pool;
	uint16_t lo;
};

int sip_port_pairs_init(struct sip_port_pairs *pp, uint16_t lo, uint16_t hi,
			const uint16_t *demux_rtp, unsigned n_demux);
void sip_port_pairs_fini(struct sip_port_pairs *pp);
/* An even RTP port (RTCP is +1), 0 when none is free. */
uint16_t sip_port_pair_get(struct sip_port_pairs *pp);
bool sip_port_pair_put(struct sip_port_pairs *pp, uint16_t rtp_port);
uint32_t sip_port_pairs_free(const struct sip_port_pairs *pp);

/* multiplexIDs base .. base + n - 1 (base >= 1: ID 0 is not valid). */
struct sip_mux_ids {
	struct sip_idpool pool;
	uint32_t base;
};

int sip_mux_ids_init(struct sip_mux_ids *m, uint32_t base, uint32_t n);
void sip_mux_ids_fini(struct sip_mux_ids *m);
/* A free multiplexID, 0 when none is free. */
uint32_t sip_mux_id_get(struct sip_mux_ids *m);
bool sip_mux_id_put(struct sip_mux_ids *m, uint32_t id);

#endif /* SL_SIP_MEDIA_ALLOC_H */
