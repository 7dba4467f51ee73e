/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_config.c — libFuzzer harness for the configuration loader.
 *
 * Besides "no crash, no leak, no UB", it checks the printer against the
 * loader: whatever loads must print (with secrets) to YAML that loads again
 * and prints the same. Built with -fsanitize=fuzzer under clang; the same
 * entry point is driven by fuzz_config_main.c everywhere else.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sl_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *print_to_string(const struct sl_config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *ms = open_memstream(&buf, &len);

	if (ms == NULL)
		abort();
	sl_config_print(cfg, ms, true);
	fclose(ms);
	return buf;
}

static void check_reprint(const struct sl_config *cfg)
{
	char *p1 = print_to_string(cfg), *p2, *p3;
	struct sl_config *c2 = sl_config_load_buffer("reprint", p1, strlen(p1),
						     stderr);
	struct sl_config *c3;

	if (c2 == NULL) {
		fprintf(stderr, "a loaded config printed as:\n%s", p1);
		abort();
	}
	p2 = print_to_string(c2);
	c3 = sl_config_load_buffer("reprint", p2, strlen(p2), stderr);
	if (c3 == NULL)
		abort();
	p3 = print_to_string(c3);
	if (strcmp(p2, p3) != 0) {
		fprintf(stderr, "--- once\n%s--- twice\n%s", p2, p3);
		abort();
	}
	free(p1);
	free(p2);
	free(p3);
	sl_config_free(c2);
	sl_config_free(c3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *devnull = fopen("/dev/null", "w");
	struct sl_config *cfg;

	/* Errors are formatted (that code is fuzzed too), then dropped. */
	cfg = sl_config_load_buffer("fuzz.yaml", (const char *)data, size,
				    devnull);
	if (cfg != NULL)
		check_reprint(cfg);
	sl_config_free(cfg);
	if (devnull != NULL)
		fclose(devnull);
	return 0;
}
