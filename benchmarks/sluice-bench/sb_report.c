/* SPDX-License-Identifier: BSD-3-Clause */
/* sb_report.c — see sb_report.h. */
#include "sb_report.h"

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <rte_lcore.h>
#include <rte_version.h>

#define PROG "sluice-bench"

static const double link_gbps[] = { 10, 25, 100 };

void
sb_report_init(struct sb_report *rep, const struct sb_gen *g,
	       double latency_at)
{
	memset(rep, 0, sizeof(*rep));
	rep->g = g;
	rep->latency_at = latency_at;
	rep->best = -1;
	rep->pdr_best = -1;
	rep->flat_out = -1;
	rep->latency = -1;
}

struct sb_trial *
sb_report_trial(struct sb_report *rep, const char *kind)
{
	struct sb_trial *t;

	if (rep->n_trials == SB_MAX_TRIALS)
		return NULL;
	t = &rep->trials[rep->n_trials++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	return t;
}

void
sb_trial_judge(struct sb_trial *t, double loss_tol)
{
	const struct sb_count *c = &t->r.total;

	t->loss = c->offered > c->rx ? c->offered - c->rx : 0;
	t->loss_ratio = c->offered ? (double)t->loss / (double)c->offered : 1;
	t->gen_limited = t->r.rate_target > 0 &&
			 t->r.tx_pps < 0.99 * t->r.rate_target;
	t->loss_free = c->offered > 0 && t->loss_ratio <= loss_tol &&
		       c->bad == 0;
	/* a non-DPDK relay's threads wait for the CPU as part of how it
	 * works (and ours share it): only the generator and steal count */
	t->contention_ns = (t->sched.relay_all_threads ? 0 :
			    t->sched.relay_wait_ns) + t->sched.gen_wait_ns +
			   t->sched.steal_ns;
}

static double
cyc_ns(const struct sb_gen *g, uint64_t cycles)
{
	return (double)cycles * 1e9 / (double)g->hz;
}

static double
relay_cpp(const struct sb_relay_stats *s)
{
	return s->ok && s->rx_pkts ? (double)s->busy_tsc / s->rx_pkts : 0;
}

void
sb_trial_print(const struct sb_gen *g, const struct sb_trial *t)
{
	const struct sb_trial_result *r = &t->r;
	char target[32];

	if (r->rate_target > 0)
		snprintf(target, sizeof(target), "%.4f", r->rate_target / 1e6);
	else
		snprintf(target, sizeof(target), "flat-out");
	printf("%-8s target %-9s Mpps  offered %.4f  received %.4f Mpps  "
	       "loss %.4f%%%s  refused %" PRIu64 "  reordered %" PRIu64
	       "  late %" PRIu64 "  bad %" PRIu64 "  latency p50 %.1f "
	       "p99 %.1f us",
	       t->kind, target, r->tx_pps / 1e6, r->rx_pps / 1e6,
	       100 * t->loss_ratio, t->gen_limited ? " (generator-limited)" :
	       "", r->total.refused, r->total.reordered, r->late,
	       r->total.bad,
	       cyc_ns(g, sb_hist_quantile(&r->lat_all, 0.5)) / 1e3,
	       cyc_ns(g, sb_hist_quantile(&r->lat_all, 0.99)) / 1e3);
	if (t->relay.ok)
		printf("  relay %.0f cyc/pkt", relay_cpp(&t->relay));
	if (t->contention_ns >= 100000)
		printf("  off-CPU %.1f ms", t->contention_ns / 1e6);
	printf("\n");
	fflush(stdout);
}

static uint64_t
relay_drop(const struct sb_relay_stats *s, const char *name)
{
	unsigned i;

	for (i = 0; i < s->n_drops; i++)
		if (strcmp(s->drop_name[i], name) == 0)
			return s->drop[i];
	return 0;
}

/* Drop reasons summed over every trial of the run, warm-up included. */
static void
drops_sum(const struct sb_report *rep, struct sb_relay_stats *sum)
{
	unsigned i, k, j;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i <= rep->n_trials; i++) {
		const struct sb_relay_stats *s = i == rep->n_trials ?
			&rep->warmup.relay : &rep->trials[i].relay;

		for (k = 0; k < s->n_drops; k++) {
			for (j = 0; j < sum->n_drops; j++)
				if (strcmp(sum->drop_name[j],
					   s->drop_name[k]) == 0)
					break;
			if (j == sum->n_drops) {
				if (j == SB_MAX_DROPS)
					continue;
				snprintf(sum->drop_name[j],
					 sizeof(sum->drop_name[j]), "%s",
					 s->drop_name[k]);
				sum->n_drops++;
			}
			sum->drop[j] += s->drop[k];
		}
	}
}

int
sb_report_check(struct sb_report *rep)
{
	const struct sb_gen *g = rep->g;
	struct sb_relay_stats drops;
	uint64_t rx[SB_PATH_MAX] = { 0 }, bad = 0;
	int fails = 0;
	unsigned i, p, k;

	drops_sum(rep, &drops);
	for (i = 0; i <= rep->n_trials; i++) {
		const struct sb_trial *t = i == rep->n_trials ? &rep->warmup :
					   &rep->trials[i];

		for (p = 0; p < SB_PATH_MAX; p++)
			rx[p] += t->r.c[p].rx;
		bad += t->r.total.bad;
	}
	if (bad) {
		fprintf(stderr, PROG ": FAIL: %" PRIu64 " frame(s) came back "
			"rewritten wrongly (addresses, ports, multiplexID or "
			"length)\n", bad);
		fails++;
	}
	for (p = 0; p < SB_PATH_MAX; p++) {
		char *note = rep->path_note[p];
		size_t len = sizeof(rep->path_note[p]);
		int n;

		if (!(g->plan.paths_used & (1u << p)) || rx[p] > 0)
			continue;
		if (sb_paths[p].turn && rep->turn_tried && rep->turn.ready == 0 &&
		    !rep->turn.server_answered) {
			/* no TURN answer: what the relay did with the data
			 * frames (no allocation behind their 5-tuple) */
			uint64_t d = relay_drop(&drops, "turn_no_allocation");

			if (d > 0 || g->o->external) {
				n = snprintf(note, len, "not served: %s",
					     rep->turn.note);
				if (d > 0 && n < (int)len)
					snprintf(note + n, len - (size_t)n,
						 "; the relay dropped the TURN "
						 "frames as turn_no_allocation "
						 "(%" PRIu64 ")", d);
				continue;
			}
		}
		if (!g->o->ceiling && sb_paths[p].stage_missing != NULL &&
		    relay_drop(&drops, sb_paths[p].stage_missing) > 0) {
			snprintf(note, len, "not served by this dataplane: "
				 "every frame dropped as %s (%" PRIu64 ")",
				 sb_paths[p].stage_missing,
				 relay_drop(&drops, sb_paths[p].stage_missing));
			continue;
		}
		n = snprintf(note, len, "nothing came back; relay drops:");
		for (k = 0; k < drops.n_drops && n < (int)len; k++)
			n += snprintf(note + n, len - (size_t)n, " %s %" PRIu64,
				      drops.drop_name[k], drops.drop[k]);
		if (drops.n_drops == 0 && n < (int)len)
			snprintf(note + n, len - (size_t)n, " none counted");
		fprintf(stderr, PROG ": FAIL: path %s: %s\n", sb_paths[p].name,
			note);
		fails++;
	}
	rep->failures = fails;
	return fails;
}

void
sb_report_print(const struct sb_report *rep)
{
	const struct sb_gen *g = rep->g;
	unsigned p;

	for (p = 0; p < SB_PATH_MAX; p++)
		if (rep->path_note[p][0])
			printf("path %-9s %s\n", sb_paths[p].name,
			       rep->path_note[p]);
	if (rep->best >= 0) {
		const struct sb_trial *t = &rep->trials[rep->best];

		printf("NDR         %.4f Mpps, loss <= %g (%u flows, %u-byte "
		       "frames)%s\n", t->r.tx_pps / 1e6, g->o->loss_tol,
		       g->plan.n_flows, g->o->frame, rep->generator_limited ?
		       " = the generator's flat-out rate: the relay took all "
		       "of it" : "");
	} else if (g->o->search) {
		printf("NDR         none found down to the last rate tried\n");
	}
	if (rep->pdr_best >= 0)
		printf("PDR         %.4f Mpps, loss <= %g\n",
		       rep->trials[rep->pdr_best].r.tx_pps / 1e6,
		       g->o->pdr_tol);
}

/* --- JSON ----------------------------------------------------------------- */

static void
jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void
cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[256], *c;

	snprintf(buf, len, "unknown");
	while (f != NULL && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10) != 0 ||
		    (c = strchr(line, ':')) == NULL)
			continue;
		c += 1 + strspn(c + 1, " \t");
		c[strcspn(c, "\n")] = '\0';
		snprintf(buf, len, "%s", c);
		break;
	}
	if (f != NULL)
		fclose(f);
}

static void
lcore_cpus(FILE *f, unsigned lc)
{
	rte_cpuset_t set = rte_lcore_cpuset(lc);
	bool first = true;
	int c;

	fputc('[', f);
	for (c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set)) {
			fprintf(f, "%s%d", first ? "" : ", ", c);
			first = false;
		}
	fputc(']', f);
}

static void
json_hist(FILE *f, const struct sb_gen *g, const struct sb_hist *h)
{
	static const double q[] = { 0.5, 0.9, 0.99, 0.999, 0.9999 };
	static const char *const qn[] = { "p50", "p90", "p99", "p99_9",
					  "p99_99" };
	unsigned i;

	fprintf(f, "{\"samples\": %" PRIu64, h->n);
	if (h->n == 0) {
		fprintf(f, "}");
		return;
	}
	fprintf(f, ", \"min\": %.0f, \"mean\": %.0f, \"max\": %.0f",
		cyc_ns(g, h->min), h->sum * 1e9 / (double)g->hz /
		(double)h->n, cyc_ns(g, h->max));
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		fprintf(f, ", \"%s\": %.0f", qn[i],
			cyc_ns(g, sb_hist_quantile(h, q[i])));
	fprintf(f, "}");
}

/* The CDF: one point per non-empty bucket, [ns (bucket top), fraction]. */
static void
json_cdf(FILE *f, const struct sb_gen *g, const struct sb_hist *h)
{
	uint64_t seen = 0;
	bool first = true;
	unsigned i;

	fputc('[', f);
	for (i = 0; h->n && i < SB_HIST_BUCKETS; i++) {
		if (h->count[i] == 0)
			continue;
		seen += h->count[i];
		fprintf(f, "%s[%.0f, %.6f]", first ? "" : ", ",
			cyc_ns(g, sb_hist_bucket_hi(i)),
			(double)seen / (double)h->n);
		first = false;
	}
	fputc(']', f);
}

static void
json_count(FILE *f, const struct sb_count *c)
{
	fprintf(f, "{\"offered\": %" PRIu64 ", \"refused\": %" PRIu64
		", \"received\": %" PRIu64 ", \"bad\": %" PRIu64
		", \"reordered\": %" PRIu64 "}", c->offered, c->refused, c->rx,
		c->bad, c->reordered);
}

static void
json_relay(FILE *f, const struct sb_relay_stats *s)
{
	unsigned i;

	if (!s->ok) {
		fprintf(f, "null");
		return;
	}
	fprintf(f, "{\"rx_pkts\": %" PRIu64 ", \"tx_pkts\": %" PRIu64
		", \"relayed_pkts\": %" PRIu64 ", \"busy_tsc\": %" PRIu64
		", \"idle_tsc\": %" PRIu64 ", \"busy_polls\": %" PRIu64
		", \"polls\": %" PRIu64 ", \"tsc_hz\": %" PRIu64,
		s->rx_pkts, s->tx_pkts, s->relayed_pkts, s->busy_tsc,
		s->idle_tsc, s->busy_polls, s->polls, s->tsc_hz);
	fprintf(f, ", \"busy_cycles_per_rx_pkt\": %.2f",
		relay_cpp(s));
	fprintf(f, ", \"busy_cycles_per_relayed_pkt\": %.2f",
		s->relayed_pkts ? (double)s->busy_tsc / s->relayed_pkts : 0);
	fprintf(f, ", \"busy_fraction\": %.4f",
		s->busy_tsc + s->idle_tsc ? (double)s->busy_tsc /
		(double)(s->busy_tsc + s->idle_tsc) : 0);
	fprintf(f, ", \"drops\": {");
	for (i = 0; i < s->n_drops; i++) {
		fprintf(f, "%s", i ? ", " : "");
		jstr(f, s->drop_name[i]);
		fprintf(f, ": %" PRIu64, s->drop[i]);
	}
	fprintf(f, "}}");
}

static void
json_trial(FILE *f, const struct sb_report *rep, const struct sb_trial *t,
	   bool cdf)
{
	const struct sb_gen *g = rep->g;
	const struct sb_trial_result *r = &t->r;
	unsigned p;
	bool first = true;

	fprintf(f, "{\"kind\": ");
	jstr(f, t->kind);
	fprintf(f, ", \"rate_target_pps\": %.1f, \"seconds\": %.4f, "
		"\"offered_pps\": %.1f, \"received_pps\": %.1f, "
		"\"loss\": %" PRIu64 ", \"loss_ratio\": %.8f, "
		"\"loss_free\": %s, \"generator_limited\": %s, "
		"\"late\": %" PRIu64 ", \"foreign\": %" PRIu64
		", \"arp_replies\": %" PRIu64 ",\n       \"total\": ",
		r->rate_target, r->seconds, r->tx_pps, r->rx_pps, t->loss,
		t->loss_ratio, t->loss_free ? "true" : "false",
		t->gen_limited ? "true" : "false", r->late, r->foreign,
		r->arp_replies);
	json_count(f, &r->total);
	fprintf(f, ",\n       \"latency_ns\": ");
	json_hist(f, g, &r->lat_all);
	fprintf(f, ",\n       \"paths\": {");
	for (p = 0; p < SB_PATH_MAX; p++) {
		if (!(g->plan.paths_used & (1u << p)))
			continue;
		fprintf(f, "%s", first ? "" : ", ");
		first = false;
		jstr(f, sb_paths[p].name);
		fprintf(f, ": {\"count\": ");
		json_count(f, &r->c[p]);
		fprintf(f, ", \"latency_ns\": ");
		json_hist(f, g, &r->lat[p]);
		if (cdf) {
			fprintf(f, ",\n         \"latency_cdf\": ");
			json_cdf(f, g, &r->lat[p]);
		}
		fprintf(f, "}");
	}
	fprintf(f, "},\n       \"relay\": ");
	json_relay(f, &t->relay);
	fprintf(f, ",\n       \"sched\": {\"relay_all_threads\": %s, "
		"\"relay_threads\": %u, "
		"\"relay_run_ns\": %" PRIu64 ", \"relay_wait_ns\": %" PRIu64
		", \"generator_run_ns\": %" PRIu64 ", \"generator_wait_ns\": %"
		PRIu64 ", \"steal_ns\": %" PRIu64 ", \"contention_ns\": %" PRIu64,
		t->sched.relay_all_threads ? "true" : "false",
		t->sched.relay_threads, t->sched.relay_run_ns,
		t->sched.relay_wait_ns, t->sched.gen_run_ns,
		t->sched.gen_wait_ns, t->sched.steal_ns, t->contention_ns);
	/* a relay that is not DPDK (coturn): its whole CPU time per packet
	 * it relayed back to us */
	if (t->sched.relay_all_threads && t->r.total.rx)
		fprintf(f, ", \"relay_cpu_ns_per_rx_pkt\": %.1f",
			(double)t->sched.relay_run_ns / t->r.total.rx);
	/* the relay's cost per packet from the time its workers were on a
	 * CPU (preemption left out), the busy share of it */
	if (t->relay.ok && t->relay.rx_pkts && t->sched.relay_run_ns) {
		double busy = (double)t->relay.busy_tsc /
			      (double)(t->relay.busy_tsc + t->relay.idle_tsc);

		fprintf(f, ", \"relay_oncpu_busy_cycles_per_rx_pkt\": %.2f",
			(double)t->sched.relay_run_ns * busy *
			(double)t->relay.tsc_hz / 1e9 / t->relay.rx_pkts);
	}
	fprintf(f, "},\n       \"retried\": [");
	for (p = 0; p < t->n_retried; p++)
		fprintf(f, "%s{\"loss_ratio\": %.8f, \"offered_pps\": %.1f, "
			"\"contention_ns\": %" PRIu64 "}", p ? ", " : "",
			t->retried[p].loss_ratio, t->retried[p].offered_pps,
			t->retried[p].contention_ns);
	fprintf(f, "]}");
}

int
sb_report_json(const struct sb_report *rep, const char *path)
{
	const struct sb_gen *g = rep->g;
	const struct sb_opts *o = g->o;
	char cpu[128], date[32], relay[INET_ADDRSTRLEN];
	struct utsname un;
	time_t now = time(NULL);
	struct tm tm;
	unsigned i, k;
	FILE *f;

	f = fopen(path, "we");
	if (f == NULL) {
		fprintf(stderr, PROG ": FAIL: %s: %s\n", path, strerror(errno));
		return -1;
	}
	cpu_model(cpu, sizeof(cpu));
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	uname(&un);
	inet_ntop(AF_INET, &o->relay_ip, relay, sizeof(relay));
	fprintf(f, "{\n  \"benchmark\": \"sluice-bench\", \"format\": 1,\n");
	fprintf(f, "  \"label\": ");
	jstr(f, o->label ? o->label : "");
	fprintf(f, ",\n  \"date\": \"%s\",\n  \"machine\": {\"cpu\": ", date);
	jstr(f, cpu);
	fprintf(f, ", \"nproc\": %ld, \"kernel\": ",
		sysconf(_SC_NPROCESSORS_ONLN));
	jstr(f, un.release);
	fprintf(f, ", \"tsc_hz\": %" PRIu64 "},\n  \"dpdk\": ", g->hz);
	jstr(f, rte_version());
	fprintf(f, ",\n  \"build\": {\"optimized\": %s},\n",
#ifdef __OPTIMIZE__
		"true"
#else
		"false"
#endif
		);
	fprintf(f, "  \"setup\": {\"mode\": \"%s\", \"instance\": ",
		o->ceiling ? "ceiling" : o->external ? "external" : "relay");
	jstr(f, o->instance ? o->instance : "");
	fprintf(f, ", \"device\": ");
	jstr(f, o->device);
	fprintf(f, ", \"flows_requested\": %u", g->flows_requested ?
		g->flows_requested : g->plan.n_flows);
	fprintf(f, ", \"relay_ip\": \"%s\", \"flows\": %u, \"legs\": %u, "
		"\"setup_seconds\": %.3f, \"frame_bytes\": %u, "
		"\"mbuf_bytes\": %u, \"frame_convention\": \"Ethernet frame "
		"incl. 4-byte FCS (pktgen, RFC 2544)\", \"queues\": %u, "
		"\"hosts\": %u, \"seconds_per_trial\": %.3f, "
		"\"loss_tolerance\": %g, \"resolution\": %g, "
		"\"telemetry\": %s,\n    \"generator_main_cpus\": ",
		relay, g->plan.n_flows, rep->legs, rep->setup_seconds, o->frame,
		o->frame - SB_FCS_LEN, o->queues, o->hosts, o->seconds,
		o->loss_tol, o->resolution,
		rep->telemetry_ok ? "true" : "false");
	lcore_cpus(f, rte_get_main_lcore());
	fprintf(f, ", \"generator_traffic_cpus\": ");
	lcore_cpus(f, rte_get_next_lcore(rte_get_main_lcore(), 1, 0));
	fprintf(f, ",\n    \"paths\": [");
	for (i = 0, k = 0; i < SB_PATH_MAX; i++) {
		if (!(g->plan.paths_used & (1u << i)))
			continue;
		fprintf(f, "%s{\"name\": ", k++ ? ", " : "");
		jstr(f, sb_paths[i].name);
		fprintf(f, ", \"title\": ");
		jstr(f, sb_paths[i].title);
		fprintf(f, ", \"note\": ");
		if (rep->path_note[i][0])
			jstr(f, rep->path_note[i]);
		else
			fprintf(f, "null");
		fprintf(f, "}");
	}
	fprintf(f, "]},\n  \"line_rate_mpps\": {");
	for (i = 0; i < sizeof(link_gbps) / sizeof(link_gbps[0]); i++)
		fprintf(f, "%s\"%.0f\": %.4f", i ? ", " : "", link_gbps[i],
			sb_line_rate_mpps(link_gbps[i], o->frame));
	fprintf(f, "},\n  \"result\": {\"search\": %s, \"best\": %d, "
		"\"pdr_best\": %d, \"flat_out\": %d, \"latency\": %d, "
		"\"generator_limited\": %s, \"ndr_pps\": %.1f, "
		"\"ndr_loss_tolerance\": %g, \"pdr_pps\": %.1f, "
		"\"pdr_loss_tolerance\": %g, \"functional_failures\": %d},\n",
		o->search ? "true" : "false", rep->best, rep->pdr_best,
		rep->flat_out, rep->latency,
		rep->generator_limited ? "true" : "false",
		rep->best >= 0 ? rep->trials[rep->best].r.tx_pps : 0.0,
		o->loss_tol,
		rep->pdr_best >= 0 ? rep->trials[rep->pdr_best].r.tx_pps : 0.0,
		o->pdr_tol, rep->failures);
	fprintf(f, "  \"turn\": ");
	if (rep->turn_tried) {
		fprintf(f, "{\"flows\": %u, \"allocated\": %u, \"ready\": %u, "
			"\"failed\": %u, \"server_answered\": %s, "
			"\"seconds\": %.3f, \"user\": ", rep->turn.flows,
			rep->turn.allocated, rep->turn.ready, rep->turn.failed,
			rep->turn.server_answered ? "true" : "false",
			rep->turn.seconds);
		jstr(f, o->turn_user);
		fprintf(f, ", \"note\": ");
		jstr(f, rep->turn.note);
		fprintf(f, "},\n");
	} else {
		fprintf(f, "null,\n");
	}
	fprintf(f, "  \"warmup\": ");
	json_trial(f, rep, &rep->warmup, false);
	fprintf(f, ",\n  \"trials\": [\n");
	for (i = 0; i < rep->n_trials; i++) {
		fprintf(f, "    ");
		json_trial(f, rep, &rep->trials[i],
			   (int)i == rep->best || (int)i == rep->latency ||
			   (int)i == rep->flat_out);
		fprintf(f, "%s\n", i + 1 < rep->n_trials ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	if (fclose(f) != 0) {
		fprintf(stderr, PROG ": FAIL: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}
