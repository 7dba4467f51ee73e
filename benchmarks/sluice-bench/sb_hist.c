/* SPDX-License-Identifier: BSD-3-Clause */
/* sb_hist.c — see sb_hist.h. */
#include "sb_hist.h"

#include <string.h>

static unsigned
bucket_of(uint64_t v)
{
	unsigned e;

	if (v < 64)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v);
	if (e > SB_HIST_MAX_EXP)
		return SB_HIST_BUCKETS - 1;
	return 64 + 32 * (e - 6) +
	       (unsigned)((v >> (e - SB_HIST_SUB_BITS)) & 31);
}

uint64_t
sb_hist_bucket_lo(unsigned i)
{
	unsigned e, s;

	if (i < 64)
		return i;
	e = 6 + (i - 64) / 32;
	s = (i - 64) % 32;
	return (1ull << e) + ((uint64_t)s << (e - SB_HIST_SUB_BITS));
}

uint64_t
sb_hist_bucket_hi(unsigned i)
{
	unsigned e;

	if (i < 64)
		return i;
	e = 6 + (i - 64) / 32;
	return sb_hist_bucket_lo(i) + (1ull << (e - SB_HIST_SUB_BITS)) - 1;
}

void
sb_hist_reset(struct sb_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void
sb_hist_add(struct sb_hist *h, uint64_t v)
{
	h->count[bucket_of(v)]++;
	h->n++;
	h->sum += (double)v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

void
sb_hist_merge(struct sb_hist *into, const struct sb_hist *from)
{
	unsigned i;

	for (i = 0; i < SB_HIST_BUCKETS; i++)
		into->count[i] += from->count[i];
	into->n += from->n;
	into->sum += from->sum;
	if (from->min < into->min)
		into->min = from->min;
	if (from->max > into->max)
		into->max = from->max;
}

uint64_t
sb_hist_quantile(const struct sb_hist *h, double q)
{
	uint64_t want, seen = 0, v;
	unsigned i;

	if (h->n == 0)
		return 0;
	if (q <= 0)
		return h->min;
	want = (uint64_t)(q * (double)h->n + 0.5);
	if (want < 1)
		want = 1;
	if (want > h->n)
		want = h->n;
	for (i = 0; i < SB_HIST_BUCKETS; i++) {
		seen += h->count[i];
		if (seen >= want) {
			v = sb_hist_bucket_hi(i);
			return v > h->max ? h->max : v;
		}
	}
	return h->max;
}
