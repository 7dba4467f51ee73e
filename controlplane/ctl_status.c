/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_status.c — `sluicectl status`: both processes of one instance.
 *
 *   sluice-cp  run-dir cp.pid → alive? → cp.sock "status"
 *   sluice-dp  run-dir dp.pid → alive? → dp.telemetry names the DPDK
 *              telemetry socket → /sluice/info, /sluice/stats
 *   ipc        /dev/shm/sluice-<instance>: header, rings, counters (read
 *              only; whatever sluice-cp's view of it is comes with cp's
 *              status reply, under "dataplane")
 *
 * Each process ends up in one of three states: not running (no pidfile, or
 * its pid is gone), running and answered, or running but not answering (an
 * error). Exit 0 when both answered, 1 on any error, else 3.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_instance.h"
#include "cp_pidfile.h"
#include "ctl.h"
#include "ctl_json.h"
#include "ctl_query.h"
#include "ctl_shm.h"
#include "json_out.h"

#define CTL_ERR_MAX 4608   /* a run-dir path and a reason */

struct ctl_proc {
	bool running;
	pid_t pid;             /* from the pidfile; 0 when there is none */
	char error[CTL_ERR_MAX];
};

struct ctl_state {
	struct ctl_proc cp;
	struct json_val cp_status;
	char cp_buf[CTL_REPLY_MAX];

	struct ctl_proc dp;
	struct json_val dp_info;
	struct json_val dp_stats;
	char info_buf[CTL_REPLY_MAX];
	char stats_buf[CTL_REPLY_MAX];

	struct ctl_shm_view shm;
};

/* Fill p->running/pid from the pidfile. -1 (p->error set) on an I/O error. */
static int probe_pidfile(const char *instance, const char *file,
			 struct ctl_proc *p)
{
	char path[4096];

	if (cp_run_path(path, sizeof(path), instance, file) != 0) {
		snprintf(p->error, sizeof(p->error), "run directory: %s",
			 strerror(errno));
		return -1;
	}
	if (cp_pidfile_read(path, &p->pid) != 0) {
		p->pid = 0;
		if (errno == ENOENT || errno == EINVAL)
			return 0;   /* none, or created but not yet written */
		snprintf(p->error, sizeof(p->error), "%s: %s", path,
			 strerror(errno));
		return -1;
	}
	p->running = cp_pid_alive(p->pid);
	return 0;
}

static void gather_cp(struct ctl_state *st, const char *instance)
{
	char path[4096];

	if (probe_pidfile(instance, "cp.pid", &st->cp) != 0 ||
	    !st->cp.running)
		return;
	if (cp_run_path(path, sizeof(path), instance, "cp.sock") != 0) {
		snprintf(st->cp.error, sizeof(st->cp.error), "%s",
			 strerror(errno));
		return;
	}
	(void)ctl_cp_query(path, st->cp_buf, sizeof(st->cp_buf),
			   &st->cp_status, st->cp.error,
			   sizeof(st->cp.error));
}

/* dp.telemetry holds one absolute path, possibly newline-terminated. */
static int read_telemetry_path(const char *instance, char *out, size_t cap,
			       char *err, size_t errlen)
{
	char path[4096];
	FILE *f;
	size_t n;

	if (cp_run_path(path, sizeof(path), instance, "dp.telemetry") != 0 ||
	    (f = fopen(path, "re")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(out, 1, cap - 1, f);
	fclose(f);
	out[n] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
	if (out[0] != '/') {
		snprintf(err, errlen, "%s: no absolute socket path in it",
			 path);
		return -1;
	}
	return 0;
}

static void gather_dp(struct ctl_state *st, const char *instance)
{
	struct ctl_proc *p = &st->dp;
	char tel_path[4096];
	struct ctl_tel t;

	if (probe_pidfile(instance, "dp.pid", p) != 0 || !p->running)
		return;
	if (read_telemetry_path(instance, tel_path, sizeof(tel_path),
				p->error, sizeof(p->error)) != 0 ||
	    ctl_tel_open(&t, tel_path, p->error, sizeof(p->error)) != 0)
		return;
	if (ctl_tel_query(&t, "/sluice/info", st->info_buf,
			  sizeof(st->info_buf), &st->dp_info, p->error,
			  sizeof(p->error)) == 0)
		(void)ctl_tel_query(&t, "/sluice/stats", st->stats_buf,
				    sizeof(st->stats_buf), &st->dp_stats,
				    p->error, sizeof(p->error));
	ctl_tel_close(&t);
}

/* ---- human output ---------------------------------------------------- */

static const char *str_member(const struct json_val *obj, const char *key,
			      char *buf, size_t cap)
{
	struct json_val v;

	if (json_obj_get(obj, key, &v) == 0 &&
	    json_get_str(&v, buf, cap) >= 0)
		return buf;
	if (json_obj_get(obj, key, &v) == 0 && v.type == JSON_NUMBER &&
	    v.len < cap) {
		memcpy(buf, v.p, v.len);
		buf[v.len] = '\0';
		return buf;
	}
	return "?";
}

static void print_uptime(const struct json_val *obj)
{
	struct json_val v;
	int64_t s;

	if (json_obj_get(obj, "uptime_s", &v) != 0 ||
	    json_get_i64(&v, &s) != 0 || s < 0) {
		printf("?");
		return;
	}
	if (s >= 86400)
		printf("%" PRId64 "d ", s / 86400);
	printf("%02" PRId64 ":%02" PRId64 ":%02" PRId64, (s / 3600) % 24,
	       (s / 60) % 60, s % 60);
}

/* The line every process gets; returns true when details follow. */
static bool print_proc_line(const char *name, const struct ctl_proc *p)
{
	if (!p->running && p->error[0] != '\0') {
		printf("%s: unknown: %s\n", name, p->error);
		return false;
	}
	if (!p->running) {
		if (p->pid > 0)
			printf("%s: not running (stale pidfile, pid %ld)\n",
			       name, (long)p->pid);
		else
			printf("%s: not running\n", name);
		return false;
	}
	printf("%s: running (pid %ld)\n", name, (long)p->pid);
	if (p->error[0] != '\0') {
		printf("  not answering: %s\n", p->error);
		return false;
	}
	return true;
}

static void print_common(const struct json_val *obj)
{
	char a[128], b[64], c[64];

	printf("  version %s, instance %s, profile %s, up ",
	       str_member(obj, "version", a, sizeof(a)),
	       str_member(obj, "instance", b, sizeof(b)),
	       str_member(obj, "profile", c, sizeof(c)));
	print_uptime(obj);
	printf("\n");
}

/* sluice-cp's view of the dataplane: attachment, legs, commands. */
static void print_cp_dataplane(const struct json_val *cp)
{
	char a[64], b[64], c[64], d[64], e[64], f[64], why[512];
	struct json_val dp, o;

	if (json_obj_get(cp, "dataplane", &dp) != 0)
		return;
	if (!json_member_bool(&dp, "attached", false)) {
		printf("  dataplane: not attached: %s\n",
		       json_member_text(&dp, "reason", why, sizeof(why), "?"));
	} else {
		printf("  dataplane: attached, %s; generation %s, ABI %s, pid "
		       "%s, heartbeat %s ms ago\n",
		       json_member_text(&dp, "phase", a, sizeof(a), "?"),
		       json_member_text(&dp, "generation", b, sizeof(b), "?"),
		       json_member_text(&dp, "abi_version", c, sizeof(c), "?"),
		       json_member_text(&dp, "dp_pid", d, sizeof(d), "?"),
		       json_member_text(&dp, "heartbeat_age_ms", e, sizeof(e),
					"?"));
	}
	if (json_obj_get(&dp, "legs", &o) == 0)
		printf("  legs: %s known, %s programmed, capacity %s\n",
		       json_member_text(&o, "known", a, sizeof(a), "?"),
		       json_member_text(&o, "programmed", b, sizeof(b), "?"),
		       json_member_text(&o, "capacity", c, sizeof(c), "?"));
	if (json_obj_get(&dp, "commands", &o) == 0)
		printf("  commands: %s sent, %s acked, %s refused, %s without "
		       "ack, %s lost, %s ring full\n",
		       json_member_text(&o, "sent", a, sizeof(a), "?"),
		       json_member_text(&o, "acked", b, sizeof(b), "?"),
		       json_member_text(&o, "refused", c, sizeof(c), "?"),
		       json_member_text(&o, "no_ack", d, sizeof(d), "?"),
		       json_member_text(&o, "lost", e, sizeof(e), "?"),
		       json_member_text(&o, "ring_full", f, sizeof(f), "?"));
	if (json_obj_get(&dp, "last_reconcile", &o) == 0 &&
	    o.type == JSON_OBJECT)
		printf("  last reconcile: generation %s (%s): adopted %s, "
		       "re-added %s, modified %s, refused %s\n",
		       json_member_text(&o, "generation", a, sizeof(a), "?"),
		       json_member_text(&o, "generation_was", f, sizeof(f),
					"?"),
		       json_member_text(&o, "adopted", b, sizeof(b), "?"),
		       json_member_text(&o, "re_added", c, sizeof(c), "?"),
		       json_member_text(&o, "modified", d, sizeof(d), "?"),
		       json_member_text(&o, "refused", e, sizeof(e), "?"));
}

static void print_cp(const struct ctl_state *st)
{
	char path[4096], started[64];

	if (!print_proc_line("sluice-cp", &st->cp))
		return;
	print_common(&st->cp_status);
	printf("  config %s, started %s\n",
	       str_member(&st->cp_status, "config", path, sizeof(path)),
	       str_member(&st->cp_status, "started", started,
			  sizeof(started)));
	print_cp_dataplane(&st->cp_status);
}

static void print_lcores(const struct json_val *info)
{
	char main_lcore[32];
	struct json_val workers, w;
	struct json_iter it;

	printf("  lcores: main %s, workers",
	       str_member(info, "main_lcore", main_lcore, sizeof(main_lcore)));
	if (json_obj_get(info, "workers", &workers) == 0 &&
	    json_iter_init(&it, &workers) == 0) {
		while (json_iter_next(&it, NULL, &w))
			printf(" %.*s", (int)w.len, w.p);
	}
	printf("\n");
}

/* "link" may be a string ("up"), a boolean or an object: show it plainly. */
static void print_link(const struct json_val *port)
{
	struct json_val v;
	char text[64];
	bool up;

	if (json_obj_get(port, "link", &v) != 0)
		printf("?");
	else if (json_get_bool(&v, &up) == 0)
		printf("%s", up ? "up" : "down");
	else if (json_get_str(&v, text, sizeof(text)) >= 0)
		printf("%s", text);
	else
		printf("%.*s", (int)v.len, v.p);
}

static void print_ports(const struct json_val *info)
{
	char id[32], name[64], dev[256], kif[64];
	struct json_val ports, port;
	struct json_iter it;

	if (json_obj_get(info, "ports", &ports) != 0 ||
	    json_iter_init(&it, &ports) != 0) {
		printf("  ports: ?\n");
		return;
	}
	while (json_iter_next(&it, NULL, &port)) {
		printf("  port %s %s: %s, kernel %s, link ",
		       str_member(&port, "port_id", id, sizeof(id)),
		       str_member(&port, "name", name, sizeof(name)),
		       str_member(&port, "device", dev, sizeof(dev)),
		       str_member(&port, "kernel_iface", kif, sizeof(kif)));
		print_link(&port);
		printf("\n");
	}
}

/* "  drops: a 1, b 2" with only the non-zero reasons. */
static void print_reasons(const struct json_val *stats, const char *group)
{
	struct json_val obj, k, v;
	struct json_iter it;
	char name[128];
	int64_t n;
	unsigned shown = 0;

	if (json_obj_get(stats, group, &obj) != 0 ||
	    json_iter_init(&it, &obj) != 0)
		return;
	printf("  %s:", group);
	while (json_iter_next(&it, &k, &v)) {
		if (json_get_i64(&v, &n) != 0 || n == 0 ||
		    json_get_str(&k, name, sizeof(name)) < 0)
			continue;
		printf("%s %s %" PRId64, shown ? "," : "", name, n);
		shown++;
	}
	printf("%s\n", shown ? "" : " none");
}

/* Every top-level counter, in the dataplane's order. */
static void print_counters(const struct json_val *stats)
{
	struct json_val k, v;
	struct json_iter it;
	char name[128];
	unsigned shown = 0;

	if (json_iter_init(&it, stats) != 0)
		return;
	printf("  counters:");
	while (json_iter_next(&it, &k, &v)) {
		if (v.type != JSON_NUMBER ||
		    json_get_str(&k, name, sizeof(name)) < 0)
			continue;
		printf("%s %s %.*s", shown ? "," : "", name, (int)v.len, v.p);
		shown++;
	}
	printf("%s\n", shown ? "" : " none");
	print_reasons(stats, "drops");
	print_reasons(stats, "punts");
}

static void print_dp(const struct ctl_state *st)
{
	if (!print_proc_line("sluice-dp", &st->dp)) {
		ctl_shm_print(&st->shm);   /* an object left behind, say so */
		return;
	}
	print_common(&st->dp_info);
	print_lcores(&st->dp_info);
	print_ports(&st->dp_info);
	print_counters(&st->dp_stats);
	ctl_shm_print(&st->shm);
}

/* ---- JSON output ----------------------------------------------------- */


/* {"pid":N,"error":"..."} for a process that runs but did not answer. */
static void put_error_obj(const struct ctl_proc *p)
{
	char buf[CTL_ERR_MAX * 6 + 64];
	struct jout j;

	jout_init(&j, buf, sizeof(buf));
	jout_lit(&j, "{");
	if (p->pid > 0)
		jout_kv_i64(&j, "pid", p->pid);
	jout_kv_str(&j, "error", p->error);
	jout_lit(&j, "}");
	fputs(buf, stdout);
}

static void put_json(const struct ctl_state *st)
{
	printf("{\"cp\":");
	if (st->cp.error[0] != '\0')
		put_error_obj(&st->cp);
	else if (!st->cp.running)
		printf("null");
	else
		ctl_put_span(&st->cp_status);
	printf(",\"dp\":");
	if (st->dp.error[0] != '\0') {
		put_error_obj(&st->dp);
	} else if (!st->dp.running) {
		printf("null");
	} else {
		printf("{\"pid\":%ld,\"info\":", (long)st->dp.pid);
		ctl_put_span(&st->dp_info);
		printf(",\"stats\":");
		ctl_put_span(&st->dp_stats);
		printf("}");
	}
	printf(",\"ipc\":");
	ctl_shm_json(&st->shm);
	printf("}\n");
}

static int exit_code(const struct ctl_state *st)
{
	if (st->cp.error[0] != '\0' || st->dp.error[0] != '\0')
		return CTL_EXIT_ERROR;
	if (!st->cp.running || !st->dp.running)
		return CTL_EXIT_NOT_RUNNING;
	return CTL_EXIT_OK;
}

int ctl_status(const struct ctl_opts *o)
{
	struct ctl_state *st = calloc(1, sizeof(*st));
	int rc;

	if (st == NULL) {
		fprintf(stderr, "sluicectl: %s\n", strerror(errno));
		return CTL_EXIT_ERROR;
	}
	gather_cp(st, o->instance);
	gather_dp(st, o->instance);
	ctl_shm_read(o->instance, &st->shm);
	if (o->json) {
		put_json(st);
	} else {
		print_cp(st);
		print_dp(st);
	}
	rc = exit_code(st);
	free(st);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "sluicectl: stdout: %s\n", strerror(errno));
		return CTL_EXIT_ERROR;
	}
	return rc;
}
