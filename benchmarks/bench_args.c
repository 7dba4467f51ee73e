/* SPDX-License-Identifier: BSD-3-Clause */
/* bench_args.c — see bench_args.h. */
#include "bench_args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
bench_parse_u64(const char *prog, const char *opt, const char *s,
		uint64_t lo, uint64_t hi, uint64_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' ||
	    v < lo || v > hi) {
		fprintf(stderr, "%s: %s \"%s\": want an integer %llu..%llu\n",
			prog, opt, s, (unsigned long long)lo,
			(unsigned long long)hi);
		return -1;
	}
	*out = v;
	return 0;
}

int
bench_parse_u64_list(const char *prog, const char *opt, const char *s,
		     uint64_t lo, uint64_t hi, uint64_t *out, unsigned max,
		     unsigned *n)
{
	char buf[256], *tok, *save = NULL;

	if (strlen(s) >= sizeof(buf)) {
		fprintf(stderr, "%s: %s \"%s\": too long\n", prog, opt, s);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	*n = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (*n == max) {
			fprintf(stderr, "%s: %s: at most %u\n", prog, opt,
				max);
			return -1;
		}
		if (bench_parse_u64(prog, opt, tok, lo, hi, &out[*n]) != 0)
			return -1;
		(*n)++;
	}
	if (*n == 0) {
		fprintf(stderr, "%s: %s: empty list\n", prog, opt);
		return -1;
	}
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
bench_median(double *v, unsigned n, double *min, double *max)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	if (min != NULL)
		*min = v[0];
	if (max != NULL)
		*max = v[n - 1];
	return v[n / 2];
}
