/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_media_alloc.c — port-pair and multiplexID pools, see
 * sip_media_alloc.h.
 */
#include "sip_media_alloc.h"

#include <errno.h>
#include <stdlib.h>

int sip_idpool_init(struct sip_idpool *p, uint32_t n)
{
	p->n = p->used = p->cursor = 0;
	p->bits = NULL;
	if (n == 0) {
		errno = EINVAL;
		return -1;
	}
	p->bits = calloc(((size_t)n + 63) / 64, sizeof(uint64_t));
	if (p->bits == NULL)
		return -1;
	p->n = n;
	return 0;
}

void sip_idpool_fini(struct sip_idpool *p)
{
	free(p->bits);
	p->bits = NULL;
	p->n = p->used = 0;
}

bool sip_idpool_taken(const struct sip_idpool *p, uint32_t id)
{
	return id < p->n && (p->bits[id / 64] >> (id % 64) & 1u);
}

bool sip_idpool_take(struct sip_idpool *p, uint32_t id)
{
	if (id >= p->n || sip_idpool_taken(p, id))
		return false;
	p->bits[id / 64] |= UINT64_C(1) << (id % 64);
	p->used++;
	return true;
}

bool sip_idpool_put(struct sip_idpool *p, uint32_t id)
{
	if (!sip_idpool_taken(p, id))
		return false;
	p->bits[id / 64] &= ~(UINT64_C(1) << (id % 64));
	p->used--;
	return true;
}

/* Word by word from the cursor: a full word is skipped at once. */
int64_t sip_idpool_get(struct sip_idpool *p)
{
	uint32_t words = (p->n + 63) / 64;

	if (p->used >= p->n)
		return -1;
	for (uint32_t k = 0; k <= words; k++) {
		uint32_t w = (p->cursor / 64 + k) % words;
		uint64_t free_bits = ~p->bits[w];

		if (k == 0)   /* the cursor's own word: only from the cursor */
			free_bits &= ~UINT64_C(0) << (p->cursor % 64);
		while (free_bits != 0) {
			uint32_t id = w * 64 + (uint32_t)__builtin_ctzll(free_bits);

			if (id >= p->n)
				break;
			sip_idpool_take(p, id);
			p->cursor = id + 1 >= p->n ? 0 : id + 1;
			return id;
		}
	}
	return -1;
}

int sip_port_pairs_init(struct sip_port_pairs *pp, uint16_t lo, uint16_t hi,
			const uint16_t *demux_rtp, unsigned n_demux)
{
	if (lo % 2 != 0 || hi <= lo) {
		errno = EINVAL;
		return -1;
	}
	pp->lo = lo;
	if (sip_idpool_init(&pp->pool, (uint32_t)(hi - lo + 1) / 2) != 0)
		return -1;
	for (unsigned i = 0; i < n_demux; i++)
		if (demux_rtp[i] >= lo && demux_rtp[i] < hi)
			sip_idpool_take(&pp->pool,
					(uint32_t)(demux_rtp[i] - lo) / 2);
	return 0;
}

void sip_port_pairs_fini(struct sip_port_pairs *pp)
{
	sip_idpool_fini(&pp->pool);
}

uint16_t sip_port_pair_get(struct sip_port_pairs *pp)
{
	int64_t id = sip_idpool_get(&pp->pool);

	return id < 0 ? 0 : (uint16_t)(pp->lo + 2 * id);
}

bool sip_port_pair_put(struct sip_port_pairs *pp, uint16_t rtp_port)
{
	if (rtp_port < pp->lo || (rtp_port - pp->lo) % 2 != 0)
		return false;
	return sip_idpool_put(&pp->pool, (uint32_t)(rtp_port - pp->lo) / 2);
}

uint32_t sip_port_pairs_free(const struct sip_port_pairs *pp)
{
	return pp->pool.n - pp->pool.used;
}

int sip_mux_ids_init(struct sip_mux_ids *m, uint32_t base, uint32_t n)
{
	if (base == 0 || n > UINT32_MAX - base + 1) {
		errno = EINVAL;
		return -1;
	}
	m->base = base;
	return sip_idpool_init(&m->pool, n);
}

void sip_mux_ids_fini(struct sip_mux_ids *m)
{
	sip_idpool_fini(&m->pool);
}

uint32_t sip_mux_id_get(struct sip_mux_ids *m)
{
	int64_t id = sip_idpool_get(&m->pool);

	return id < 0 ? 0 : m->base + (uint32_t)id;
}

bool sip_mux_id_put(struct sip_mux_ids *m, uint32_t id)
{
	return id >= m->base && sip_idpool_put(&m->pool, id - m->base);
}
