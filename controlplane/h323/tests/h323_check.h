/* SPDX-License-Identifier: BSD-3-Clause */
/* h323_check.h — the assertions the H.323 codec tests share. */
#ifndef SL_H323_CHECK_H
#define SL_H323_CHECK_H

#include <stdio.h>

static int check_failures;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n",       \
				__FILE__, __LINE__, #cond);                \
			check_failures++;                                  \
		}                                                          \
	} while (0)

/* Like CHECK, with a printf-style explanation. */
#define CHECKF(cond, ...)                                                  \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: CHECK failed: %s: ",       \
				__FILE__, __LINE__, #cond);                \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
			check_failures++;                                  \
		}                                                          \
	} while (0)

static inline int check_result(const char *name)
{
	if (check_failures == 0)
		printf("%s: all checks passed\n", name);
	else
		printf("%s: %d check(s) failed\n", name, check_failures);
	return check_failures == 0 ? 0 : 1;
}

#endif /* SL_H323_CHECK_H */
