/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_config_case.c — runs one configuration rule case.
 *
 * The case file's first line is "# expect: MESSAGE", MESSAGE being the exact
 * error line the loader must print, with @FILE@ standing for the case's path
 * as given on the command line. The case passes when the load is refused
 * (NULL, errno EINVAL) and MESSAGE is one of the printed lines.
 *
 *   test_config_case CASE.yaml
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sl_config.h"

#define EXPECT_TAG "# expect: "

/* Reads the expectation from the case's first line, @FILE@ replaced. */
static char *read_expectation(const char *path)
{
	char line[1024], *out, *at;
	FILE *f = fopen(path, "r");

	if (f == NULL || fgets(line, sizeof(line), f) == NULL) {
		fprintf(stderr, "%s: cannot read the first line\n", path);
		if (f != NULL)
			fclose(f);
		return NULL;
	}
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	if (strncmp(line, EXPECT_TAG, strlen(EXPECT_TAG)) != 0) {
		fprintf(stderr, "%s: first line is not \"%s...\"\n", path,
			EXPECT_TAG);
		return NULL;
	}
	out = malloc(strlen(line) + strlen(path) + 1);
	if (out == NULL)
		return NULL;
	at = strstr(line, "@FILE@");
	if (at == NULL)
		strcpy(out, line + strlen(EXPECT_TAG));
	else
		sprintf(out, "%.*s%s%s", (int)(at - line - strlen(EXPECT_TAG)),
			line + strlen(EXPECT_TAG), path, at + strlen("@FILE@"));
	return out;
}

static bool has_line(const char *text, const char *want)
{
	size_t n = strlen(want);

	for (const char *p = text; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len == n && memcmp(p, want, n) == 0)
			return true;
		p += len + (nl != NULL);
	}
	return false;
}

int main(int argc, char **argv)
{
	char *errs = NULL, *want;
	size_t errs_len = 0;
	struct sl_config *cfg;
	FILE *ms;
	int err, rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CASE.yaml\n", argv[0]);
		return 2;
	}
	want = read_expectation(argv[1]);
	ms = open_memstream(&errs, &errs_len);
	if (want == NULL || ms == NULL)
		return 2;
	errno = 0;
	cfg = sl_config_load(argv[1], ms);
	err = errno;
	fclose(ms);
	if (cfg != NULL)
		fprintf(stderr, "FAIL: the configuration was accepted\n");
	else if (err != EINVAL)
		fprintf(stderr, "FAIL: errno is %d (%s), not EINVAL\n", err,
			strerror(err));
	else if (!has_line(errs, want))
		fprintf(stderr, "FAIL: expected line not printed\n");
	else
		rc = 0;
	fprintf(stderr, "expected: %s\nprinted:\n%s", want, errs);
	sl_config_free(cfg);
	free(errs);
	free(want);
	return rc;
}
