/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_eal.c — removes what a DPDK primary leaves on disk after
 * rte_eal_cleanup(): its runtime directory (config, fbarray, mp_socket,
 * telemetry socket) and any hugepage files of its file prefix, so a stopped
 * instance leaves nothing behind.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dp.h"

static void
remove_dir_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[PATH_MAX * 2];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

/* Hugepage files are named <prefix>map_N in each hugetlbfs mount. */
static void
remove_hugepage_files(const char *prefix)
{
	FILE *f = fopen("/proc/mounts", "re");
	char line[512], mnt[256], type[64], p[PATH_MAX * 2];
	size_t plen = strlen(prefix);
	struct dirent *e;
	DIR *d;

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %255s %63s", mnt, type) != 2 ||
		    strcmp(type, "hugetlbfs") != 0 || (d = opendir(mnt)) == NULL)
			continue;
		while ((e = readdir(d)) != NULL) {
			if (strncmp(e->d_name, prefix, plen) != 0 ||
			    strncmp(e->d_name + plen, "map_", 4) != 0)
				continue;
			snprintf(p, sizeof(p), "%s/%s", mnt, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	fclose(f);
}

void
dp_eal_files_remove(const char *runtime_dir, const char *file_prefix)
{
	if (runtime_dir != NULL && runtime_dir[0] != '\0')
		remove_dir_files(runtime_dir);
	if (file_prefix != NULL && file_prefix[0] != '\0')
		remove_hugepage_files(file_prefix);
}
