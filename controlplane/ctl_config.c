/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_config.c — `sluicectl config check FILE`.
 *
 * Human output: errors on stderr (exit 1), or "configuration OK" and the
 * effective configuration on stdout. --json: one object on stdout either
 * way, the error lines collected through a memory stream.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "json_out.h"
#include "sl_config.h"

static int check_human(const char *file)
{
	struct sl_config *cfg = sl_config_load(file, stderr);

	if (cfg == NULL)
		return CTL_EXIT_ERROR;
	printf("configuration OK: %s (profile %s)\n", file,
	       sl_profile_name(cfg->profile));
	sl_config_print(cfg, stdout, false);
	sl_config_free(cfg);
	return CTL_EXIT_OK;
}

/* {"ok":false,"file":..,"errors":[one string per line of `text`]} */
static void render_errors(struct jout *j, const char *file, char *text)
{
	char *line, *save = NULL;

	jout_lit(j, "{\"ok\":false");
	jout_kv_str(j, "file", file);
	jout_key(j, "errors");
	jout_lit(j, "[");
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (j->buf[j->len - 1] != '[')
			jout_lit(j, ",");
		jout_str(j, line);
	}
	jout_lit(j, "]}\n");
}

static int emit_json(const char *file, const struct sl_config *cfg,
		     char *errtext, size_t errlen)
{
	/* Worst case every byte escapes to \u00XX. */
	size_t cap = errlen * 6 + strlen(file) * 6 + 256;
	char *buf = malloc(cap);
	struct jout j;
	int rc = CTL_EXIT_ERROR;

	if (buf == NULL) {
		fprintf(stderr, "sluicectl: %s\n", strerror(errno));
		return CTL_EXIT_ERROR;
	}
	jout_init(&j, buf, cap);
	if (cfg != NULL) {
		jout_lit(&j, "{\"ok\":true");
		jout_kv_str(&j, "file", file);
		jout_kv_str(&j, "profile", sl_profile_name(cfg->profile));
		jout_lit(&j, "}\n");
		rc = CTL_EXIT_OK;
	} else {
		render_errors(&j, file, errtext);
	}
	fputs(buf, stdout);
	free(buf);
	return rc;
}

static int check_json(const char *file)
{
	char *errtext = NULL;
	size_t errlen = 0;
	FILE *errs = open_memstream(&errtext, &errlen);
	struct sl_config *cfg;
	int rc;

	if (errs == NULL) {
		fprintf(stderr, "sluicectl: open_memstream: %s\n",
			strerror(errno));
		return CTL_EXIT_ERROR;
	}
	cfg = sl_config_load(file, errs);
	if (fclose(errs) != 0 || errtext == NULL) {
		fprintf(stderr, "sluicectl: error buffer: %s\n",
			strerror(errno));
		if (cfg != NULL)
			sl_config_free(cfg);
		free(errtext);
		return CTL_EXIT_ERROR;
	}
	rc = emit_json(file, cfg, errtext, errlen);
	if (cfg != NULL)
		sl_config_free(cfg);
	free(errtext);
	return rc;
}

int ctl_config_check(const struct ctl_opts *o, const char *file)
{
	int rc = o->json ? check_json(file) : check_human(file);

	if (fflush(stdout) != 0) {
		fprintf(stderr, "sluicectl: stdout: %s\n", strerror(errno));
		return CTL_EXIT_ERROR;
	}
	return rc;
}
