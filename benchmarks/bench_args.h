/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_args.h — command-line numbers for the benchmarks: strtoull with
 * errno, end-pointer and bound checks, and comma-separated lists of them.
 * Errors name the program, the option, the text and the bounds.
 */
#ifndef SLUICE_BENCH_ARGS_H
#define SLUICE_BENCH_ARGS_H

#include <stdint.h>

int bench_parse_u64(const char *prog, const char *opt, const char *s,
		    uint64_t lo, uint64_t hi, uint64_t *out);

/* "a,b,c": 1..max numbers in [lo, hi] into out[], their count in *n. */
int bench_parse_u64_list(const char *prog, const char *opt, const char *s,
			 uint64_t lo, uint64_t hi, uint64_t *out,
			 unsigned max, unsigned *n);

/* Sorts v[0..n) (n >= 1) and returns its median; *min and *max (either
 * may be NULL) get the extremes. The benchmarks quote medians of trials. */
double bench_median(double *v, unsigned n, double *min, double *max);

#endif
