/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sb_hist.h — a latency histogram with bounded relative error, in the
 * manner of HdrHistogram: values below 64 have a bucket each; above, every
 * power of two is split into 32 sub-buckets, so a bucket's width is at most
 * 1/32 (3.1%) of its values. 64-bit values (TSC cycles) up to 2^48.
 *
 *   bucket  0..63            value v
 *   bucket  64 + 32*(e-6) + s  values [2^e + s*2^(e-5), 2^e + (s+1)*2^(e-5))
 *                              for e = floor(log2 v) >= 6
 *
 * Recording is a count increment; no allocation after init.
 */
#ifndef SLUICE_SB_HIST_H
#define SLUICE_SB_HIST_H

#include <stdint.h>

#define SB_HIST_SUB_BITS 5
#define SB_HIST_MAX_EXP  48
#define SB_HIST_BUCKETS  (64 + 32 * (SB_HIST_MAX_EXP - 6 + 1))

struct sb_hist {
	uint64_t n;
	uint64_t min, max;
	double sum;
	uint64_t count[SB_HIST_BUCKETS];
};

void sb_hist_reset(struct sb_hist *h);
void sb_hist_add(struct sb_hist *h, uint64_t v);
void sb_hist_merge(struct sb_hist *into, const struct sb_hist *from);
/* The value at quantile q (0..1): the upper bound of the bucket holding
 * it (never above the recorded max); 0 when empty. */
uint64_t sb_hist_quantile(const struct sb_hist *h, double q);
/* Lowest and highest value of bucket i. */
uint64_t sb_hist_bucket_lo(unsigned i);
uint64_t sb_hist_bucket_hi(unsigned i);

#endif
