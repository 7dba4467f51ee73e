/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_main.c — sluice-cp: command line, start-up and shut-down.
 *
 *   parse options → load + validate config (nothing starts if invalid)
 *     → run dir, cp.pid lock (refuse a second instance)
 *     → daemonise unless --foreground (parent waits for "started")
 *     → logging, pidfile, signalfd, epoll, cp.sock, dataplane client
 *       and its timerfd tick → "started"
 *     → cp_loop_run() until SIGTERM/SIGINT → remove cp.sock and cp.pid
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "cp_daemon.h"
#include "cp_instance.h"
#include "cp_log.h"
#include "cp_main.h"
#include "cp_pidfile.h"

struct cp_opts {
	const char *config;
	const char *instance;
	bool check_config;
	bool foreground;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: sluice-cp --config FILE [--instance NAME] "
		"[--check-config] [--foreground]\n"
		"\n"
		"  -c, --config FILE    configuration file (YAML)\n"
		"  -i, --instance NAME  instance name [A-Za-z0-9_-]{1,32}, "
		"default \"%s\"\n"
		"      --check-config   validate, print the effective "
		"configuration, exit\n"
		"  -f, --foreground     stay in the foreground, log to stderr\n"
		"  -h, --help           this text\n"
		"  -V, --version        print the version\n"
		"\n"
		"Runtime files go to $%s/<instance>/ (default %s).\n",
		CP_INSTANCE_DEFAULT, CP_RUN_DIR_ENV, CP_RUN_DIR_DEFAULT);
}

enum { OPT_CHECK_CONFIG = 256 };

/* Returns 0 to run, 1 to exit 0 (help/version), 2 on a usage error. */
static int parse_opts(int argc, char **argv, struct cp_opts *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "instance", required_argument, NULL, 'i' },
		{ "check-config", no_argument, NULL, OPT_CHECK_CONFIG },
		{ "foreground", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct cp_opts){ .instance = CP_INSTANCE_DEFAULT };
	while ((c = getopt_long(argc, argv, "c:i:fhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->config = optarg; break;
		case 'i': o->instance = optarg; break;
		case OPT_CHECK_CONFIG: o->check_config = true; break;
		case 'f': o->foreground = true; break;
		case 'h': usage(stdout); return 1;
		case 'V': printf("sluice-cp %s\n", SLUICE_VERSION); return 1;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sluice-cp: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	if (o->config == NULL) {
		fprintf(stderr, "sluice-cp: --config FILE is required\n");
		usage(stderr);
		return 2;
	}
	if (!cp_instance_name_valid(o->instance)) {
		fprintf(stderr, "sluice-cp: invalid instance name '%s': "
			"use 1-%d of A-Z a-z 0-9 _ -\n", o->instance,
			CP_INSTANCE_MAX);
		return 2;
	}
	return 0;
}

static int check_config(const struct cp_opts *o, const struct sl_config *cfg)
{
	fprintf(stderr, "sluice-cp: configuration OK: %s (profile %s)\n",
		o->config, sl_profile_name(cfg->profile));
	sl_config_print(cfg, stdout, false);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "sluice-cp: stdout: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

/* Paths, run directory and the instance lock, all before daemonising so
 * that "already running" reaches the operator's terminal. */
static int claim_instance(struct cp_main *m)
{
	pid_t holder;

	if (cp_run_dir_create(m->instance) != 0 ||
	    cp_run_path(m->pid_path, sizeof(m->pid_path), m->instance,
			"cp.pid") != 0 ||
	    cp_run_path(m->sock_path, sizeof(m->sock_path), m->instance,
			"cp.sock") != 0) {
		fprintf(stderr, "sluice-cp: run directory for instance '%s': "
			"%s\n", m->instance, strerror(errno));
		return -1;
	}
	m->pid_fd = cp_pidfile_lock(m->pid_path, &holder);
	if (m->pid_fd >= 0)
		return 0;
	if (errno == EWOULDBLOCK && holder > 0)
		fprintf(stderr, "sluice-cp: instance '%s' is already running "
			"(pid %ld)\n", m->instance, (long)holder);
	else if (errno == EWOULDBLOCK)
		fprintf(stderr, "sluice-cp: instance '%s' is already running "
			"(pid unknown)\n", m->instance);
	else
		fprintf(stderr, "sluice-cp: %s: %s\n", m->pid_path,
			strerror(errno));
	return -1;
}

static int open_signalfd(void)
{
	sigset_t set;

	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return -1;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* Report a start-up failure: logged, and told to a waiting parent. */
static int __attribute__((format(printf, 2, 3)))
start_failed(int notify_fd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	CP_ERR("%s", msg);
	cp_daemon_report(notify_fd, msg);
	return -1;
}

/* The dataplane client: its store, and a timer that drives it. The
 * dataplane signals nothing on its rings, so they are polled. */
static int open_dataplane(struct cp_main *m, int notify_fd)
{
	char err[256];
	struct itimerspec its = {
		.it_interval = { .tv_nsec = CP_DP_TICK_MS * 1000000L },
		.it_value = { .tv_nsec = CP_DP_TICK_MS * 1000000L },
	};
	struct epoll_event ev = {
		.events = EPOLLIN, .data.u64 = cp_tag(CP_TAG_DP_TICK, 0),
	};

	if (cp_dp_init(&m->dp, m->instance, m->cfg) != 0)
		return start_failed(notify_fd, "dataplane client (%u legs): "
				    "%s", m->cfg->capacity.media_legs,
				    strerror(errno));
	m->dp_ready = true;
	cp_cluster_init(&m->cluster, m->cfg);
	if (cp_cluster_open(&m->cluster, m->epoll_fd,
			    cp_tag(CP_TAG_CLUSTER_UDP, 0), err,
			    sizeof(err)) != 0)
		return start_failed(notify_fd, "%s", err);
	/* the SIP calls end theirs when a leg's media stops (sip.media_timeout);
	 * set here: cp_dp_init() clears the client, and SIP opened first */
	m->dp.idle_cb = cp_calls_leg_idle;
	m->dp.idle_ctx = &m->sip;
	m->tick_fd = timerfd_create(CLOCK_MONOTONIC,
				    TFD_NONBLOCK | TFD_CLOEXEC);
	if (m->tick_fd < 0 || timerfd_settime(m->tick_fd, 0, &its, NULL) != 0 ||
	    epoll_ctl(m->epoll_fd, EPOLL_CTL_ADD, m->tick_fd, &ev) != 0)
		return start_failed(notify_fd, "dataplane tick timer: %s",
				    strerror(errno));
	return 0;
}

/* RAS, zone ports and 1720, then SIP 5060/5061: a port another process
 * holds stops the start, naming the port and its key. */
static int open_h323(struct cp_main *m, int notify_fd)
{
	char err[512];

	if (cp_ras_open(&m->ras, m->cfg, m->epoll_fd, err, sizeof(err)) != 0)
		return start_failed(notify_fd, "%s", err);
	m->ras_ready = true;
	if (cp_sip_open(&m->sip, m->cfg, &m->dp, m->epoll_fd, err,
			sizeof(err)) != 0)
		return start_failed(notify_fd, "%s", err);
	m->sip_ready = true;
	return 0;
}

static int open_sources(struct cp_main *m, int notify_fd)
{
	struct epoll_event ev = {
		.events = EPOLLIN, .data.u64 = cp_tag(CP_TAG_SIGNAL, 0),
	};

	if (cp_pidfile_write(m->pid_fd, getpid()) != 0)
		return start_failed(notify_fd, "%s: %s", m->pid_path,
				    strerror(errno));
	m->sig_fd = open_signalfd();
	if (m->sig_fd < 0)
		return start_failed(notify_fd, "signalfd: %s", strerror(errno));
	m->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (m->epoll_fd < 0)
		return start_failed(notify_fd, "epoll_create1: %s",
				    strerror(errno));
	if (epoll_ctl(m->epoll_fd, EPOLL_CTL_ADD, m->sig_fd, &ev) != 0)
		return start_failed(notify_fd, "epoll_ctl: %s",
				    strerror(errno));
	if (cp_status_open(&m->status, m->epoll_fd, m->sock_path) != 0)
		return start_failed(notify_fd, "status socket %s: %s",
				    m->sock_path, strerror(errno));
	if (open_h323(m, notify_fd) != 0)
		return -1;
	return open_dataplane(m, notify_fd);
}

static int start(struct cp_main *m)
{
	int notify_fd = -1;

	if (!m->foreground) {
		notify_fd = cp_daemonize();
		if (notify_fd < 0) {
			fprintf(stderr, "sluice-cp: cannot daemonise: %s\n",
				strerror(errno));
			return -1;
		}
	}
	cp_log_open(m->cfg->log.level, m->foreground,
		    !m->foreground || m->cfg->log.syslog);
	if (open_sources(m, notify_fd) != 0)
		return -1;
	m->started_wall = time(NULL);
	m->started_ms = cp_now_ms();
	m->started = true;
	CP_NOTICE("started: instance %s, config %s, profile %s, version %s",
		  m->instance, m->config_path,
		  sl_profile_name(m->cfg->profile), SLUICE_VERSION);
	cp_daemon_report(notify_fd, NULL);
	return 0;
}

static void stop(struct cp_main *m)
{
	cp_status_close(&m->status);
	cp_ras_close(&m->ras);
	m->ras_ready = false;
	cp_sip_close(&m->sip);
	m->sip_ready = false;
	cp_cluster_close(&m->cluster);
	if (m->dp_ready)
		cp_dp_fini(&m->dp);
	m->dp_ready = false;
	if (m->tick_fd >= 0)
		close(m->tick_fd);
	if (m->epoll_fd >= 0)
		close(m->epoll_fd);
	if (m->sig_fd >= 0)
		close(m->sig_fd);
	cp_pidfile_release(m->pid_fd, m->pid_path);
	m->pid_fd = -1;
	cp_log_close();
}

static void cp_main_init(struct cp_main *m, const struct cp_opts *o)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->instance, sizeof(m->instance), "%s", o->instance);
	m->foreground = o->foreground;
	m->pid_fd = -1;
	m->sig_fd = -1;
	m->tick_fd = -1;
	m->cluster.fd = -1;
	m->epoll_fd = -1;
	m->status.listen_fd = -1;
	for (unsigned i = 0; i < CP_STATUS_MAX_CLIENTS; i++)
		m->status.clients[i].fd = -1;
	cp_ras_init(&m->ras);
	cp_sip_init(&m->sip);
}

/* The path is kept absolute: the daemon runs in / and reloads on SIGHUP. */
static struct sl_config *load_config(struct cp_main *m, const char *path)
{
	struct sl_config *cfg = sl_config_load(path, stderr);

	if (cfg == NULL) {
		fprintf(stderr, "sluice-cp: %s: configuration not valid, "
			"nothing started\n", path);
		return NULL;
	}
	if (realpath(path, m->config_path) == NULL) {
		fprintf(stderr, "sluice-cp: %s: %s\n", path, strerror(errno));
		sl_config_free(cfg);
		return NULL;
	}
	return cfg;
}

int main(int argc, char **argv)
{
	struct cp_opts o;
	struct cp_main m;
	int rc = parse_opts(argc, argv, &o);

	if (rc != 0)
		return rc == 1 ? 0 : 2;
	cp_main_init(&m, &o);
	m.cfg = load_config(&m, o.config);
	if (m.cfg == NULL)
		return 1;
	if (o.check_config) {
		rc = check_config(&o, m.cfg);
		sl_config_free(m.cfg);
		return rc;
	}
	rc = 1;
	if (claim_instance(&m) == 0 && start(&m) == 0)
		rc = cp_loop_run(&m) == 0 ? 0 : 1;
	if (m.started)
		CP_NOTICE("stopping");
	stop(&m);
	sl_config_free(m.cfg);
	return rc;
}
