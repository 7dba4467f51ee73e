/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_instance.c — instance name rules and runtime directory paths.
 */
#include "cp_instance.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool instance_char_ok(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool cp_instance_name_valid(const char *name)
{
	size_t i;

	if (name == NULL)
		return false;
	for (i = 0; name[i] != '\0'; i++) {
		if (i >= CP_INSTANCE_MAX || !instance_char_ok(name[i]))
			return false;
	}
	return i > 0;
}

static const char *run_base(void)
{
	const char *base = getenv(CP_RUN_DIR_ENV);

	if (base == NULL || base[0] == '\0')
		return CP_RUN_DIR_DEFAULT;
	return base;
}

int cp_run_path(char *buf, size_t cap, const char *instance, const char *file)
{
	const char *base = run_base();
	int n;

	if (base[0] != '/' || !cp_instance_name_valid(instance)) {
		errno = EINVAL;
		return -1;
	}
	if (file != NULL)
		n = snprintf(buf, cap, "%s/%s/%s", base, instance, file);
	else
		n = snprintf(buf, cap, "%s/%s", base, instance);
	if (n < 0 || (size_t)n >= cap) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/*
 * mkdir that accepts an existing directory (but not an existing file). A
 * directory it creates gets exactly `mode`, whatever the umask; an existing
 * one keeps what the operator gave it.
 */
static int mkdir_exist_ok(const char *path, mode_t mode)
{
	struct stat st;

	if (mkdir(path, mode) == 0)
		return chmod(path, mode);
	if (errno != EEXIST)
		return -1;
	if (stat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

int cp_run_dir_create(const char *instance)
{
	char path[4096];

	if (cp_run_path(path, sizeof(path), instance, NULL) != 0)
		return -1;
	if (mkdir_exist_ok(run_base(), 0755) != 0)
		return -1;
	return mkdir_exist_ok(path, 0750);
}
