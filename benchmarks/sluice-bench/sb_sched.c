/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sb_sched.c — how much CPU the measured threads did *not* get: the relay's
 * worker threads and the generator's traffic lcore, from the kernel's
 * schedstat (/proc/PID/task/TID/schedstat: nanoseconds on the CPU, and
 * nanoseconds runnable but waiting for it, i.e. preempted by another
 * task), and the hypervisor's steal time of every CPU (/proc/stat).
 *
 * On a machine shared with other work, a millisecond taken from the relay
 * or the generator overflows memif's ring at these rates and shows as
 * loss that is not the relay's. sluice-bench records this per trial and
 * repeats a lossy trial that was disturbed (--retry-contended).
 */
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sb.h"

static int
schedstat_read(int pid, int tid, uint64_t *run, uint64_t *wait)
{
	char path[96];
	unsigned long long r, w;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat", pid, tid);
	f = fopen(path, "re");
	if (f == NULL)
		return -1;
	ok = fscanf(f, "%llu %llu", &r, &w) == 2;
	fclose(f);
	if (!ok)
		return -1;
	*run += r;
	*wait += w;
	return 0;
}

static uint64_t
steal_ns(void)
{
	FILE *f = fopen("/proc/stat", "re");
	unsigned long long v[8];
	char line[512];
	uint64_t t = 0;
	long hz = sysconf(_SC_CLK_TCK);

	while (f != NULL && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "cpu", 3) != 0 || line[3] == ' ')
			continue;
		if (sscanf(line, "%*s %llu %llu %llu %llu %llu %llu %llu %llu",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7]) == 8)
			t += v[7] * (1000000000ull / (uint64_t)(hz > 0 ? hz : 100));
	}
	if (f != NULL)
		fclose(f);
	return t;
}

/* The relay's worker threads: EAL names them rte-worker-N. A relay that
 * is not a DPDK process (coturn) has none: then every thread counts, and
 * relay_run_ns is the CPU time the whole relay spent. */
static void
relay_threads(int pid, struct sb_sched *s, bool workers_only)
{
	char path[64], comm[32];
	struct dirent *de;
	FILE *f;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	while (d != NULL && (de = readdir(d)) != NULL) {
		char *end;
		unsigned long v = strtoul(de->d_name, &end, 10);
		int tid;

		/* "." and ".." and anything not a whole thread id */
		if (end == de->d_name || *end != '\0' || v == 0 ||
		    v > INT_MAX)
			continue;
		tid = (int)v;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
		f = fopen(path, "re");
		if (f == NULL)
			continue;
		if (fgets(comm, sizeof(comm), f) != NULL &&
		    (!workers_only || strncmp(comm, "rte-worker", 10) == 0) &&
		    schedstat_read(pid, tid, &s->relay_run_ns,
				   &s->relay_wait_ns) == 0)
			s->relay_threads++;
		fclose(f);
	}
	if (d != NULL)
		closedir(d);
}

void
sb_sched_read(int relay_pid, int gen_tid, struct sb_sched *s)
{
	memset(s, 0, sizeof(*s));
	if (relay_pid > 0) {
		relay_threads(relay_pid, s, true);
		if (s->relay_threads == 0) {
			relay_threads(relay_pid, s, false);
			s->relay_all_threads = true;
		}
	}
	if (gen_tid > 0)
		schedstat_read(getpid(), gen_tid, &s->gen_run_ns,
			       &s->gen_wait_ns);
	s->steal_ns = steal_ns();
}

void
sb_sched_delta(const struct sb_sched *a, const struct sb_sched *z,
	       struct sb_sched *d)
{
	d->relay_threads = z->relay_threads;
	d->relay_all_threads = z->relay_all_threads;
	d->relay_run_ns = z->relay_run_ns - a->relay_run_ns;
	d->relay_wait_ns = z->relay_wait_ns - a->relay_wait_ns;
	d->gen_run_ns = z->gen_run_ns - a->gen_run_ns;
	d->gen_wait_ns = z->gen_wait_ns - a->gen_wait_ns;
	d->steal_ns = z->steal_ns - a->steal_ns;
}
