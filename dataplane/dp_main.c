/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_main.c — sluice-dp: the DPDK primary process.
 *
 *   sluice-dp --config FILE [--instance NAME] [--check-config] [-- EAL options]
 *
 * Start-up, in order, each step refusing to go on when it fails:
 *   1. load and validate the whole config (nothing starts on an error)
 *   2. take the instance lock $SLUICE_RUN_DIR/NAME/dp.pid (one dataplane per
 *      instance name)
 *   3. EAL: the operator's options after "--", completed from the config
 *      (-l for the workers, --file-prefix sluice-NAME, memory, --no-pci)
 *   4. mbuf pool, worker lcores, NIC ports, TAPs, kernel addresses
 *   5. telemetry, then the workers start and the main lcore serves the
 *      exception path until SIGINT/SIGTERM
 * Shutdown undoes all of it: workers joined, ports closed (the TAPs and their
 * kernel interfaces vanish), EAL cleaned up, and the runtime directory and
 * any hugepage files of the file prefix removed.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <urcu-qsbr.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>

#include "cp_instance.h"
#include "cp_pidfile.h"
#include "dp.h"
#include "dp_log.h"

#define DP_MAX_EAL_ARGS 128
#define SERVICE_IDLE_SLEEP_US 50
#define SERVICE_IDLE_AFTER_US 1000

static volatile sig_atomic_t g_quit;

struct dp_opts {
	const char *config;
	const char *instance;
	bool check_config;
	int eal_argc;
	char **eal_argv;
};

struct dp_runtime {
	char run_dir[PATH_MAX];
	char pid_path[PATH_MAX];
	char tel_path[PATH_MAX];
	int pid_fd;
	char file_prefix[128];
	char eal_runtime_dir[PATH_MAX];
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: sluice-dp --config FILE [--instance NAME] "
		"[--check-config] [-- EAL options]\n"
		"  --config FILE    appliance configuration (YAML)\n"
		"  --instance NAME  instance name (default \"default\"); "
		"selects the\n"
		"                   run directory and the DPDK file prefix\n"
		"  --check-config   validate, print the effective configuration "
		"and exit\n"
		"EAL options after \"--\" override the ones derived from the "
		"config.\n");
}

static int
parse_opts(int argc, char **argv, struct dp_opts *o)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "instance", required_argument, NULL, 'i' },
		{ "check-config", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->instance = "default";
	while ((c = getopt_long(argc, argv, "+", lo, NULL)) != -1) {
		switch (c) {
		case 'c': o->config = optarg; break;
		case 'i': o->instance = optarg; break;
		case 'k': o->check_config = true; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("sluice-dp %s\n", SLUICE_VERSION); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0) {
		fprintf(stderr, "sluice-dp: unexpected argument \"%s\" (EAL "
			"options go after \"--\")\n", argv[optind]);
		return -1;
	}
	if (o->config == NULL) {
		fprintf(stderr, "sluice-dp: --config FILE is required\n");
		usage(stderr);
		return -1;
	}
	if (!cp_instance_name_valid(o->instance)) {
		fprintf(stderr, "sluice-dp: --instance \"%s\": 1-32 characters "
			"of A-Z a-z 0-9 - _\n", o->instance);
		return -1;
	}
	o->eal_argc = argc - optind;
	o->eal_argv = argv + optind;
	return 0;
}

/* --- run directory and the instance lock (shared with sluice-cp) ---------- */

static int
instance_lock(struct dp_runtime *rt, const char *instance)
{
	pid_t holder = 0;

	if (cp_run_path(rt->run_dir, sizeof(rt->run_dir), instance, NULL) ||
	    cp_run_path(rt->pid_path, sizeof(rt->pid_path), instance,
			"dp.pid") ||
	    cp_run_path(rt->tel_path, sizeof(rt->tel_path), instance,
			"dp.telemetry") ||
	    cp_run_dir_create(instance) != 0) {
		fprintf(stderr, "sluice-dp: run directory for instance '%s': "
			"%s\n", instance, strerror(errno));
		return -1;
	}
	rt->pid_fd = cp_pidfile_lock(rt->pid_path, &holder);
	if (rt->pid_fd < 0) {
		if (errno == EWOULDBLOCK)
			fprintf(stderr, "sluice-dp: instance '%s' is already "
				"running (pid %d)\n", instance, (int)holder);
		else
			fprintf(stderr, "sluice-dp: %s: %s\n", rt->pid_path,
				strerror(errno));
		return -1;
	}
	if (cp_pidfile_write(rt->pid_fd, getpid()) != 0)
		fprintf(stderr, "sluice-dp: %s: %s\n", rt->pid_path,
			strerror(errno));
	return 0;
}

static void
instance_unlock(struct dp_runtime *rt)
{
	if (rt->pid_fd < 0)
		return;
	unlink(rt->tel_path);
	cp_pidfile_release(rt->pid_fd, rt->pid_path);
	rt->pid_fd = -1;
	rmdir(rt->run_dir); /* only if nothing else (sluice-cp) lives there */
}

/* --- EAL arguments ------------------------------------------------------ */

static bool
eal_has(const struct dp_opts *o, const char *const *names)
{
	int i;
	const char *const *n;

	for (i = 0; i < o->eal_argc; i++)
		for (n = names; *n; n++)
			if (strncmp(o->eal_argv[i], *n, strlen(*n)) == 0)
				return true;
	return false;
}

static const char *
eal_value(const struct dp_opts *o, const char *name)
{
	size_t len = strlen(name);
	int i;

	for (i = 0; i < o->eal_argc; i++) {
		if (strcmp(o->eal_argv[i], name) == 0 && i + 1 < o->eal_argc)
			return o->eal_argv[i + 1];
		if (strncmp(o->eal_argv[i], name, len) == 0 &&
		    o->eal_argv[i][len] == '=')
			return o->eal_argv[i] + len + 1;
	}
	return NULL;
}

static unsigned long
hugepages_free(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[256];
	unsigned long n = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "HugePages_Free: %lu", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* Memory the pools need, in MB, with room for rings and later tables. */
static unsigned
memory_mb(const struct sl_config *cfg)
{
	uint64_t bytes = (uint64_t)cfg->dataplane.mbufs *
			 (RTE_MBUF_DEFAULT_BUF_SIZE + 256);

	bytes += dp_flow_mem_bytes(cfg) + dp_turn_mem_bytes(cfg);
	return (unsigned)(bytes / (1024 * 1024)) * 3 / 2 + 256;
}

static bool
device_is_pci(const char *dev)
{
	return strncmp(dev, "net_", 4) != 0;
}

struct eal_args {
	int argc;
	char *argv[DP_MAX_EAL_ARGS];
	char store[16][128];
	unsigned n_store;
};

static void
eal_push(struct eal_args *a, const char *s)
{
	if (a->argc < DP_MAX_EAL_ARGS - 1)
		a->argv[a->argc++] = (char *)(uintptr_t)s;
}

static void
eal_pushf(struct eal_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
eal_pushf(struct eal_args *a, const char *fmt, ...)
{
	va_list ap;

	if (a->n_store >= RTE_DIM(a->store))
		return;
	va_start(ap, fmt);
	vsnprintf(a->store[a->n_store], sizeof(a->store[0]), fmt, ap);
	va_end(ap);
	eal_push(a, a->store[a->n_store++]);
}

static void
eal_args_build(struct eal_args *a, const struct dp_opts *o,
	       const struct sl_config *cfg, struct dp_runtime *rt)
{
	static const char *const lcore_opts[] = { "-l", "-c", "--lcores", NULL };
	static const char *const mem_opts[] = { "-m", "--socket-mem",
		"--no-huge", "--in-memory", NULL };
	static const char *const pci_opts[] = { "-a", "-b", "--allow",
		"--block", "--no-pci", NULL };
	const char *prefix = eal_value(o, "--file-prefix");
	bool any_pci = false;
	unsigned i;
	int j;

	eal_push(a, "sluice-dp");
	if (!eal_has(o, lcore_opts))
		eal_pushf(a, "-l0-%u", cfg->dataplane.workers);
	if (prefix == NULL) {
		eal_pushf(a, "--file-prefix=sluice-%s", o->instance);
		snprintf(rt->file_prefix, sizeof(rt->file_prefix),
			 "sluice-%s", o->instance);
	} else {
		snprintf(rt->file_prefix, sizeof(rt->file_prefix), "%s",
			 prefix);
	}
	if (!eal_has(o, mem_opts) &&
	    hugepages_free() * 2 < memory_mb(cfg)) {
		DP_LOG(NOTICE, "too few free hugepages for %u MB: running "
		       "with --no-huge (see docs/operators-guide.md)",
		       memory_mb(cfg));
		eal_push(a, "--no-huge");
		eal_pushf(a, "-m%u", memory_mb(cfg));
	}
	for (i = 0; i < cfg->n_ifaces; i++)
		any_pci |= device_is_pci(cfg->ifaces[i].device);
	if (!eal_has(o, pci_opts)) {
		if (!any_pci)
			eal_push(a, "--no-pci");
		for (i = 0; i < cfg->n_ifaces; i++)
			if (device_is_pci(cfg->ifaces[i].device))
				eal_pushf(a, "-a%s", cfg->ifaces[i].device);
	}
	for (j = 0; j < o->eal_argc; j++)
		eal_push(a, o->eal_argv[j]);
	a->argv[a->argc] = NULL;
}

/* --- the appliance ------------------------------------------------------ */

static void
on_signal(int sig __rte_unused)
{
	g_quit = 1;
}

static int
signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) != 0 ||
	    sigaction(SIGTERM, &sa, NULL) != 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int
workers_collect(const struct sl_config *cfg, unsigned *ids, unsigned *n)
{
	unsigned lcore;

	*n = 0;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (*n == DP_MAX_WORKERS)
			break;
		ids[(*n)++] = lcore;
	}
	if (*n == 0) {
		DP_LOG(ERR, "no worker lcore: EAL needs at least two lcores "
		       "(-l 0-1): the main lcore serves the exception path");
		return -1;
	}
	if (*n != cfg->dataplane.workers) {
		DP_LOG(ERR, "dataplane.workers is %u but EAL gave %u worker "
		       "lcores: make -l/--lcores and the config agree",
		       cfg->dataplane.workers, *n);
		return -1;
	}
	return 0;
}

static int
ifaces_setup(struct dp_main *dm)
{
	const struct sl_config *cfg = dm->cfg;
	unsigned i;

	for (i = 0; i < cfg->n_ifaces; i++) {
		struct dp_iface *ifc = &dm->ifaces[i];
		uint16_t nic, kni;

		if (dp_port_probe(cfg->ifaces[i].device, &nic) != 0)
			return -1;
		ifc->cfg = &cfg->ifaces[i];
		if (dp_kif_quiet_nic(cfg->ifaces[i].device) != 0) {
			DP_LOG(ERR, "%s: cannot keep the kernel from answering "
			       "on it", cfg->ifaces[i].device);
			return -1;
		}
		if (rte_eth_macaddr_get(nic, &ifc->mac) != 0 ||
		    dp_kni_create(ifc, &kni) != 0 ||
		    dp_iface_setup(dm, i, nic, kni) != 0 ||
		    dp_kif_configure(ifc->cfg) != 0)
			return -1;
		DP_LOG(INFO, "interface %s: %s (port %u) ⇄ kernel %s (port %u)",
		       sl_iface_role_name(ifc->cfg->role), ifc->nic_name, nic,
		       ifc->cfg->kernel_iface, kni);
	}
	return 0;
}

static void
ifaces_close(struct dp_main *dm)
{
	unsigned i;

	for (i = 0; i < DP_MAX_IFACES; i++) {
		if (dm->ifaces[i].cfg == NULL)
			continue;
		dp_port_close(dm->ifaces[i].kni_port);
		dp_port_close(dm->ifaces[i].nic_port);
	}
}

static int
telemetry_publish(struct dp_main *dm, struct dp_runtime *rt)
{
	FILE *f;

	if (dp_telemetry_register(dm) != 0) {
		DP_LOG(ERR, "cannot register telemetry commands");
		return -1;
	}
	f = fopen(rt->tel_path, "we");
	if (f == NULL) {
		DP_LOG(ERR, "%s: %s", rt->tel_path, strerror(errno));
		return -1;
	}
	fprintf(f, "%s/dpdk_telemetry.v2\n", rt->eal_runtime_dir);
	fclose(f);
	return 0;
}

/* The main lcore: the exception path, backing off when it is quiet. */
static void
service_loop(struct dp_main *dm)
{
	uint64_t idle_after = dm->tsc_hz * SERVICE_IDLE_AFTER_US / US_PER_S;
	uint64_t last_busy = rte_rdtsc();

	while (!g_quit) {
		if (dp_service_poll(dm) | dp_ctl_poll(dm)) {
			last_busy = rte_rdtsc();
			continue;
		}
		if (rte_rdtsc() - last_busy > idle_after)
			rte_delay_us_sleep(SERVICE_IDLE_SLEEP_US);
	}
}

static int
run(struct dp_main *dm, struct dp_runtime *rt)
{
	unsigned w;

	if (ifaces_setup(dm) != 0 || telemetry_publish(dm, rt) != 0 ||
	    dp_ctl_init(dm, DP_CMD_RING_SLOTS, DP_EVT_RING_SLOTS) != 0)
		return -1;
	for (w = 0; w < dm->n_workers; w++)
		if (rte_eal_remote_launch(dp_worker_main, dm->workers[w],
					  dm->workers[w]->lcore_id) != 0) {
			DP_LOG(ERR, "cannot launch worker on lcore %u",
			       dm->workers[w]->lcore_id);
			g_quit = 1;
		}
	dp_ctl_start(dm);
	DP_LOG(NOTICE, "instance %s running: profile %s, %u worker lcore(s)",
	       dm->instance, sl_profile_name(dm->cfg->profile), dm->n_workers);
	service_loop(dm);
	DP_LOG(NOTICE, "instance %s stopping", dm->instance);
	__atomic_store_n(&dm->quit, true, __ATOMIC_RELAXED);
	rte_eal_mp_wait_lcore();
	return 0;
}

static int
dataplane(const struct sl_config *cfg, const struct dp_opts *o,
	  struct dp_runtime *rt)
{
	unsigned ids[DP_MAX_WORKERS], n;
	struct dp_main *dm;
	int rc = -1;

	snprintf(rt->eal_runtime_dir, sizeof(rt->eal_runtime_dir), "%s",
		 rte_eal_get_runtime_dir());
	if (workers_collect(cfg, ids, &n) != 0)
		return -1;
	dm = dp_main_create(cfg, o->instance);
	if (dm == NULL)
		return -1;
	if (dp_workers_setup(dm, ids, n) == 0)
		rc = run(dm, rt);
	dp_ctl_fini(dm);  /* the control plane sees STOPPED first */
	ifaces_close(dm);
	dp_main_destroy(dm);
	return rc;
}

int
main(int argc, char **argv)
{
	struct dp_runtime rt = { .pid_fd = -1 };
	struct eal_args ea = { 0 };
	struct dp_opts o = { 0 };
	struct sl_config *cfg;
	int rc;

	if (parse_opts(argc, argv, &o) != 0)
		return 2;
	cfg = sl_config_load(o.config, stderr);
	if (cfg == NULL) {
		fprintf(stderr, "sluice-dp: %s: configuration rejected, "
			"nothing started\n", o.config);
		return 1;
	}
	if (o.check_config) {
		fprintf(stderr, "sluice-dp: configuration OK: %s (profile "
			"%s)\n", o.config, sl_profile_name(cfg->profile));
		sl_config_print(cfg, stdout, false);
		sl_config_free(cfg);
		return 0;
	}
	if (instance_lock(&rt, o.instance) != 0) {
		sl_config_free(cfg);
		return 1;
	}
	eal_args_build(&ea, &o, cfg, &rt);
	if (rte_eal_init(ea.argc, ea.argv) < 0) {
		fprintf(stderr, "sluice-dp: EAL initialisation failed: %s\n",
			rte_strerror(rte_errno));
		instance_unlock(&rt);
		sl_config_free(cfg);
		return 1;
	}
	rc = signals_install() == 0 ? dataplane(cfg, &o, &rt) : -1;
	rte_eal_cleanup();
	dp_eal_files_remove(rt.eal_runtime_dir, rt.file_prefix);
	instance_unlock(&rt);
	sl_config_free(cfg);
	return rc == 0 ? 0 : 1;
}
