/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sb_main.c — sluice-bench: options, EAL, the port, and the run.
 *
 *   sluice-bench [options] -- [EAL options]
 *
 * A run, in order (the main lcore does all but the trials):
 *   1. EAL (its own --file-prefix; --no-huge when there are no hugepages),
 *      the port from --device (hot-plugged: net_memif, net_af_packet, a PCI
 *      NIC), link up;
 *   2. --mode reflect: send everything back until SIGTERM; done.
 *   3. the flow plan (sb_plan.c) from the dataplane's own ranges;
 *   4. legs: LEG_DEL of every id it will use (a previous run's leftovers),
 *      then LEG_ADD of both legs of every flow, through the shm rings;
 *   5. the relay's MAC by ARP; for TURN flows, allocations and channels or
 *      permissions (sb_turn.c); a warm-up trial (every flow a few frames, so
 *      that the relay has resolved every receiver before anything counts);
 *   6. the trials: one at --rate, or the RFC 2544 search for the NDR and
 *      PDR, then optionally one latency trial below it, each with the
 *      relay's telemetry and the measured threads' schedstat read before
 *      and after (a lossy trial disturbed by other tasks is repeated);
 *   7. allocations and legs deleted, JSON written.
 *
 * Without EAL: --write-pcap (the frames, for tshark) and --setup-only /
 * --teardown (the legs alone, for DPDK pktgen).
 *
 * Speed is never judged. Exit status: 0 when everything worked, 1 on a
 * functional failure (setup refused, frames rewritten wrongly, a path that
 * got nothing back without the relay saying why, p2p with nothing back
 * under --require-p2p, the JSON not written), 2 on a usage error, 77 when
 * EAL cannot start here.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_version.h>

#include "bench_args.h"
#include "sb_ctl.h"
#include "sb_gen.h"
#include "sb_stun.h"
#include "sb_report.h"

#define PROG "sluice-bench"
#define MAX_EAL_ARGS 64
#define CTL_TIMEOUT_MS 5000
#define NB_DESC 1024
#define POOL_MBUFS 16383

static struct sb_gen *g_gen;
static int failures;

#define FAIL(...) do {                                                  \
		fprintf(stderr, PROG ": FAIL: " __VA_ARGS__);           \
		fputc('\n', stderr);                                    \
		failures++;                                             \
	} while (0)

/* --- options -------------------------------------------------------------- */

static void
usage(FILE *f)
{
	fprintf(f,
"usage: sluice-bench [options] -- [EAL options]\n"
"  --device DEVARGS   the port (hot-plugged), e.g.\n"
"                     net_memif0,role=client,socket=/run/sl/m.sock,"
"socket-abstract=no\n"
"  --mode gen|reflect generator (default) or reflector (the ceiling peer)\n"
"  --instance NAME    sluice-dp instance whose legs to program (gen)\n"
"  --ceiling          the peer is a reflector: no legs, frames come back\n"
"                     unchanged (the generator's own ceiling)\n"
"  --external         a relay this tool does not program (coturn, a box\n"
"                     set up with sluicectl): TURN flows allocate, media\n"
"                     flows need their legs made beforehand\n"
"  --turn-user U, --turn-pass P  the TURN client's long-term credential\n"
"                     (default bench / bench-secret)\n"
"  --turn-realm R     the relay's turn.realm (default relay.example): the\n"
"                     credential is put in its store as a control plane\n"
"                     would\n"
"  --paths LIST       p2p,p2m,m2p,m2m,turn-cd,turn-send (default p2p);\n"
"                     flow i takes the (i mod n)-th\n"
"  --flows N          flows (calls of two legs; default 1)\n"
"  --clamp-flows      fewer flows when the relay's ports or legs do not\n"
"                     hold N for these paths\n"
"  --rate PPS         offered rate; 0 = flat out (default 0)\n"
"  --search           RFC 2544: the highest loss-free rate\n"
"  --seconds S        per trial (default 2)\n"
"  --resolution F     search ends when (hi-lo)/hi < F (default 0.02)\n"
"  --loss-tolerance F loss ratio the NDR allows (default 0: RFC 2544)\n"
"  --pdr-loss F       loss ratio the PDR allows (default 0.005)\n"
"  --max-trials N     search trials at most (default 14)\n"
"  --latency-at F     after the search, one trial at F x throughput\n"
"  --retry-contended N repeat a lossy trial at most N times (default 2)\n"
"                     when the relay's worker or the generator was kept\n"
"                     off its CPU (preempted, stolen) for --contention-ms\n"
"  --contention-ms MS the threshold above (default 1)\n"
"  --retry-budget N   repeats in the whole run at most (default 8)\n"
"  --relay-pid PID    whose rte-worker threads to watch (default: the\n"
"                     instance's sluice-dp; with --ceiling the reflector)\n"
"  --a-ip, --b-ip A   every flow's sender (A) or receiver (B) on this one\n"
"                     address (a pktgen port), ports still per flow\n"
"  --mux-in-base ID   A's first multiplexID (pktgen: 0x534c4231, \"SLB1\")\n"
"  --setup-only       program the legs (for pktgen), print the layout and\n"
"                     exit: no EAL, no port, no traffic\n"
"  --teardown         delete the legs --setup-only made (same options)\n"
"  --leg-base ID      the first leg id (default 1): setups side by side\n"
"  --a-port-base P    the senders' first UDP port (default 10000)\n"
"  --frame-size B     Ethernet frame incl. FCS (default 214)\n"
"  --queues N         TX/RX queues (default 1)\n"
"  --hosts N          emulated hosts per side (default 64)\n"
"  --relay-ip A.B.C.D the relay's address (default 198.18.0.1)\n"
"  --demux-port P     the first demultiplexing RTP port (default: the\n"
"                     start of the media range)\n"
"  --demux-pairs N    demultiplexing pairs (default 1; large: 6)\n"
"  --turn-port P      TURN listening port (default 3478)\n"
"  --telemetry SOCK   the relay's telemetry socket (default: from\n"
"                     $SLUICE_RUN_DIR/INSTANCE/dp.telemetry)\n"
"  --warmup S         warm-up seconds at most (default 1)\n"
"  --drain-ms MS      wait for stragglers after TX (default 200)\n"
"  --link-timeout S   wait for the port's link (default 15)\n"
"  --keep-legs        leave the legs in place at the end\n"
"  --require-p2p      fail when the p2p path got nothing back (smoke)\n"
"  --label TEXT       recorded in the JSON\n"
"  --json FILE        write every figure as JSON\n"
"  --run-seconds S    reflect: stop after S seconds (default: signal)\n"
"  --write-pcap FILE  write the first frames of every flow as pcap and\n"
"                     exit (no EAL: checks the frame synthesis)\n"
"Exit: 0 ok, 1 functional failure, 2 usage, 77 EAL cannot start here.\n"
"Speed never decides the exit status.\n");
}

static int
parse_double(const char *opt, const char *s, double lo, double hi,
	     double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(*out >= lo) ||
	    !(*out <= hi)) {
		fprintf(stderr, PROG ": %s \"%s\": want a number in [%g, %g]\n",
			opt, s, lo, hi);
		return -1;
	}
	return 0;
}

static int
parse_u(const char *opt, const char *s, uint64_t lo, uint64_t hi,
	uint64_t *out)
{
	return bench_parse_u64(PROG, opt, s, lo, hi, out);
}

static int
parse_paths(const char *s, struct sb_opts *o)
{
	char buf[256], *tok, *save = NULL;
	int p;

	if (strlen(s) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", s);
	o->n_paths = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		p = sb_path_by_name(tok);
		if (p < 0 || o->n_paths == SB_PATH_MAX) {
			fprintf(stderr, PROG ": --paths: \"%s\" is not one of "
				"p2p p2m m2p m2m turn-cd turn-send\n", tok);
			return -1;
		}
		o->paths[o->n_paths++] = p;
	}
	return o->n_paths ? 0 : -1;
}

enum {
	O_DEVICE = 256, O_MODE, O_INSTANCE, O_CEILING, O_PATHS, O_FLOWS,
	O_RATE, O_SEARCH, O_SECONDS, O_RESOLUTION, O_LOSS, O_MAXTRIALS,
	O_LATAT, O_FRAME, O_QUEUES, O_HOSTS, O_RELAYIP, O_DEMUXPORT,
	O_DEMUXPAIRS, O_TURNPORT, O_TELEMETRY, O_WARMUP, O_DRAIN, O_LINK,
	O_KEEP, O_REQP2P, O_LABEL, O_JSON, O_RUNSECS, O_PCAP, O_HELP, O_PDR, O_CLAMP, O_RETRY, O_CONTMS, O_RELAYPID, O_AIP, O_BIP, O_MUXBASE,
	O_SETUP, O_TEARDOWN, O_LEGBASE, O_EXTERNAL, O_TURNUSER, O_TURNPASS, O_TURNREALM, O_APORT, O_RBUDGET,
};

static int
parse_opts(int argc, char **argv, struct sb_opts *o, double *latency_at)
{
	static const struct option lo[] = {
		{ "device", required_argument, NULL, O_DEVICE },
		{ "mode", required_argument, NULL, O_MODE },
		{ "instance", required_argument, NULL, O_INSTANCE },
		{ "ceiling", no_argument, NULL, O_CEILING },
		{ "paths", required_argument, NULL, O_PATHS },
		{ "flows", required_argument, NULL, O_FLOWS },
		{ "rate", required_argument, NULL, O_RATE },
		{ "search", no_argument, NULL, O_SEARCH },
		{ "seconds", required_argument, NULL, O_SECONDS },
		{ "resolution", required_argument, NULL, O_RESOLUTION },
		{ "loss-tolerance", required_argument, NULL, O_LOSS },
		{ "max-trials", required_argument, NULL, O_MAXTRIALS },
		{ "pdr-loss", required_argument, NULL, O_PDR },
		{ "clamp-flows", no_argument, NULL, O_CLAMP },
		{ "retry-contended", required_argument, NULL, O_RETRY },
		{ "retry-budget", required_argument, NULL, O_RBUDGET },
		{ "relay-pid", required_argument, NULL, O_RELAYPID },
		{ "a-ip", required_argument, NULL, O_AIP },
		{ "b-ip", required_argument, NULL, O_BIP },
		{ "mux-in-base", required_argument, NULL, O_MUXBASE },
		{ "setup-only", no_argument, NULL, O_SETUP },
		{ "external", no_argument, NULL, O_EXTERNAL },
		{ "a-port-base", required_argument, NULL, O_APORT },
		{ "turn-user", required_argument, NULL, O_TURNUSER },
		{ "turn-pass", required_argument, NULL, O_TURNPASS },
		{ "turn-realm", required_argument, NULL, O_TURNREALM },
		{ "leg-base", required_argument, NULL, O_LEGBASE },
		{ "teardown", no_argument, NULL, O_TEARDOWN },
		{ "contention-ms", required_argument, NULL, O_CONTMS },
		{ "latency-at", required_argument, NULL, O_LATAT },
		{ "frame-size", required_argument, NULL, O_FRAME },
		{ "queues", required_argument, NULL, O_QUEUES },
		{ "hosts", required_argument, NULL, O_HOSTS },
		{ "relay-ip", required_argument, NULL, O_RELAYIP },
		{ "demux-port", required_argument, NULL, O_DEMUXPORT },
		{ "demux-pairs", required_argument, NULL, O_DEMUXPAIRS },
		{ "turn-port", required_argument, NULL, O_TURNPORT },
		{ "telemetry", required_argument, NULL, O_TELEMETRY },
		{ "warmup", required_argument, NULL, O_WARMUP },
		{ "drain-ms", required_argument, NULL, O_DRAIN },
		{ "link-timeout", required_argument, NULL, O_LINK },
		{ "keep-legs", no_argument, NULL, O_KEEP },
		{ "require-p2p", no_argument, NULL, O_REQP2P },
		{ "label", required_argument, NULL, O_LABEL },
		{ "json", required_argument, NULL, O_JSON },
		{ "run-seconds", required_argument, NULL, O_RUNSECS },
		{ "write-pcap", required_argument, NULL, O_PCAP },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 }
	};
	struct in_addr ia;
	uint64_t v;
	int c;

	*o = (struct sb_opts){
		.n_paths = 1, .paths = { SB_P2P }, .flows = 1,
		.seconds = 2, .warmup_s = 1, .drain_ms = 200,
		.resolution = 0.02, .max_trials = 14, .frame = 214,
		.pdr_tol = 0.005, .retries = 2, .contention_ms = 1,
		.retry_budget = 8,
		.leg_base = 1, .turn_user = "bench", .turn_pass = "bench-secret",
		.turn_realm = "relay.example",
		.queues = 1, .hosts = 64, .relay_ip = htonl(0xc6120001u),
		.demux_pairs = 1, .turn_port = 3478, .link_timeout_s = 15,
	};
	*latency_at = 0;
	while ((c = getopt_long(argc, argv, "+h", lo, NULL)) != -1) {
		int rc = 0;

		switch (c) {
		case O_DEVICE: o->device = optarg; break;
		case O_MODE:
			if (strcmp(optarg, "reflect") == 0)
				o->reflect = true;
			else if (strcmp(optarg, "gen") != 0)
				rc = -1;
			break;
		case O_INSTANCE: o->instance = optarg; break;
		case O_CEILING: o->ceiling = true; break;
		case O_PATHS: rc = parse_paths(optarg, o); break;
		case O_FLOWS:
			rc = parse_u("--flows", optarg, 1, 16777216, &v);
			o->flows = (uint32_t)v;
			break;
		case O_RATE:
			rc = parse_double("--rate", optarg, 0, 1e9, &o->rate);
			break;
		case O_SEARCH: o->search = true; break;
		case O_SECONDS:
			rc = parse_double("--seconds", optarg, 0.05, 3600,
					  &o->seconds);
			break;
		case O_RESOLUTION:
			rc = parse_double("--resolution", optarg, 0.001, 0.5,
					  &o->resolution);
			break;
		case O_LOSS:
			rc = parse_double("--loss-tolerance", optarg, 0, 0.5,
					  &o->loss_tol);
			break;
		case O_PDR:
			rc = parse_double("--pdr-loss", optarg, 0, 0.5,
					  &o->pdr_tol);
			break;
		case O_MAXTRIALS:
			rc = parse_u("--max-trials", optarg, 1, 64, &v);
			o->max_trials = (unsigned)v;
			break;
		case O_LATAT:
			rc = parse_double("--latency-at", optarg, 0, 1,
					  latency_at);
			break;
		case O_FRAME:
			rc = parse_u("--frame-size", optarg, 64, SB_FRAME_MAX,
				     &v);
			o->frame = (unsigned)v;
			break;
		case O_QUEUES:
			rc = parse_u("--queues", optarg, 1, SB_MAX_QUEUES, &v);
			o->queues = (unsigned)v;
			break;
		case O_HOSTS:
			rc = parse_u("--hosts", optarg, 1, 250, &v);
			o->hosts = (unsigned)v;
			break;
		case O_RELAYIP:
			if (inet_pton(AF_INET, optarg, &ia) != 1) {
				fprintf(stderr, PROG ": --relay-ip \"%s\": not "
					"an IPv4 address\n", optarg);
				rc = -1;
			}
			o->relay_ip = ia.s_addr;
			break;
		case O_DEMUXPORT:
			rc = parse_u("--demux-port", optarg, 1024, 65534, &v);
			o->demux_port = (uint16_t)v;
			break;
		case O_DEMUXPAIRS:
			rc = parse_u("--demux-pairs", optarg, 1, 64, &v);
			o->demux_pairs = (unsigned)v;
			break;
		case O_TURNPORT:
			rc = parse_u("--turn-port", optarg, 1, 65535, &v);
			o->turn_port = (uint16_t)v;
			break;
		case O_TELEMETRY: o->tel_path = optarg; break;
		case O_WARMUP:
			rc = parse_double("--warmup", optarg, 0, 600,
					  &o->warmup_s);
			break;
		case O_DRAIN:
			rc = parse_double("--drain-ms", optarg, 0, 60000,
					  &o->drain_ms);
			break;
		case O_LINK:
			rc = parse_double("--link-timeout", optarg, 0.1, 600,
					  &o->link_timeout_s);
			break;
		case O_KEEP: o->keep_legs = true; break;
		case O_CLAMP: o->clamp_flows = true; break;
		case O_RETRY:
			rc = parse_u("--retry-contended", optarg, 0,
				     SB_MAX_RETRIES, &v);
			o->retries = (unsigned)v;
			break;
		case O_AIP:
		case O_BIP:
			if (inet_pton(AF_INET, optarg, &ia) != 1) {
				fprintf(stderr, PROG ": %s \"%s\": not an IPv4 "
					"address\n", c == O_AIP ? "--a-ip" :
					"--b-ip", optarg);
				rc = -1;
			}
			*(c == O_AIP ? &o->a_ip : &o->b_ip) = ia.s_addr;
			break;
		case O_MUXBASE: {
			char *end;

			errno = 0;
			v = strtoull(optarg, &end, 0);
			if (errno || end == optarg || *end || v == 0 ||
			    v > 0xf0000000u) {
				fprintf(stderr, PROG ": --mux-in-base \"%s\": "
					"want 1..0xf0000000 (0x prefix for hex)\n",
					optarg);
				rc = -1;
			}
			o->mux_in_base = (uint32_t)v;
			break;
		}
		case O_SETUP: o->setup_only = true; break;
		case O_EXTERNAL: o->external = true; break;
		case O_APORT:
			rc = parse_u("--a-port-base", optarg, 1024, 32000, &v);
			o->a_port_base = (uint16_t)v;
			break;
		case O_TURNUSER: o->turn_user = optarg; break;
		case O_TURNPASS: o->turn_pass = optarg; break;
		case O_TURNREALM: o->turn_realm = optarg; break;
		case O_LEGBASE:
			rc = parse_u("--leg-base", optarg, 1, 16777215, &v);
			o->leg_base = (uint32_t)v;
			break;
		case O_TEARDOWN: o->teardown = true; break;
		case O_RELAYPID:
			rc = parse_u("--relay-pid", optarg, 1, INT32_MAX, &v);
			o->relay_pid = (int)v;
			break;
		case O_RBUDGET:
			rc = parse_u("--retry-budget", optarg, 0, 1000, &v);
			o->retry_budget = (unsigned)v;
			break;
		case O_CONTMS:
			rc = parse_double("--contention-ms", optarg, 0, 1e6,
					  &o->contention_ms);
			break;
		case O_REQP2P: o->require_p2p = true; break;
		case O_LABEL: o->label = optarg; break;
		case O_JSON: o->json = optarg; break;
		case O_RUNSECS:
			rc = parse_double("--run-seconds", optarg, 0, 1e6,
					  &o->run_seconds);
			break;
		case O_PCAP: o->write_pcap = optarg; break;
		case O_HELP:
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
		if (rc != 0)
			return -1;
	}
	if ((o->setup_only || o->teardown) && o->instance == NULL) {
		fprintf(stderr, PROG ": --setup-only/--teardown need "
			"--instance\n");
		return -1;
	}
	if (o->write_pcap == NULL && o->device == NULL && !o->setup_only &&
	    !o->teardown) {
		fprintf(stderr, PROG ": --device DEVARGS is required\n");
		return -1;
	}
	if (!o->reflect && o->write_pcap == NULL && !o->ceiling &&
	    !o->external && o->instance == NULL) {
		fprintf(stderr, PROG ": --instance NAME (the relay to program), "
			"--ceiling (against a reflector) or --external (a relay "
			"set up otherwise) is required\n");
		return -1;
	}
	if ((o->external + o->ceiling + (o->instance != NULL)) > 1 &&
	    !o->setup_only && !o->teardown) {
		fprintf(stderr, PROG ": --instance, --ceiling and --external "
			"exclude each other\n");
		return -1;
	}
	return 0;
}

/* --- EAL and the port ----------------------------------------------------- */

static bool
eal_has(int argc, char **argv, const char *const *names)
{
	const char *const *n;
	int i;

	for (i = 0; i < argc; i++)
		for (n = names; *n; n++)
			if (strncmp(argv[i], *n, strlen(*n)) == 0)
				return true;
	return false;
}

static unsigned long
hugepages_free(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[256];
	unsigned long n = 0;

	while (f != NULL && fgets(line, sizeof(line), f))
		if (sscanf(line, "HugePages_Free: %lu", &n) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return n;
}

static int
eal_start(int argc, char **argv)
{
	static const char *const lcore_opts[] = { "-l", "-c", "--lcores",
						  NULL };
	static const char *const mem_opts[] = { "-m", "--socket-mem",
		"--no-huge", "--in-memory", NULL };
	static const char *const prefix_opts[] = { "--file-prefix", NULL };
	static const char *const pci_opts[] = { "-a", "-b", "--allow",
		"--block", "--no-pci", NULL };
	static char prefix[64];
	char *av[MAX_EAL_ARGS];
	int ac = 0, i;

	av[ac++] = (char *)(uintptr_t)PROG;
	if (!eal_has(argc, argv, lcore_opts))
		av[ac++] = (char *)(uintptr_t)"-l0-1";
	if (!eal_has(argc, argv, prefix_opts)) {
		snprintf(prefix, sizeof(prefix), "--file-prefix=sluice-bench-%d",
			 (int)getpid());
		av[ac++] = prefix;
	}
	if (!eal_has(argc, argv, mem_opts) && hugepages_free() < 256) {
		av[ac++] = (char *)(uintptr_t)"--no-huge";
		av[ac++] = (char *)(uintptr_t)"-m512";
	}
	if (!eal_has(argc, argv, pci_opts))
		av[ac++] = (char *)(uintptr_t)"--no-pci";
	for (i = 0; i < argc && ac < MAX_EAL_ARGS - 1; i++)
		av[ac++] = argv[i];
	av[ac] = NULL;
	return rte_eal_init(ac, av);
}

static void
device_name(const char *devargs, char *name, size_t len)
{
	snprintf(name, len, "%.*s", (int)strcspn(devargs, ","), devargs);
}

static int
port_setup(struct sb_gen *g)
{
	const struct sb_opts *o = g->o;
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	char name[RTE_ETH_NAME_MAX_LEN];
	uint16_t nrxd = NB_DESC, ntxd = NB_DESC, q;
	struct rte_eth_link link;
	uint64_t end;
	int rc;

	device_name(o->device, name, sizeof(name));
	if (rte_eth_dev_get_port_by_name(name, &g->port) != 0) {
		rc = rte_dev_probe(o->device);
		if (rc != 0 ||
		    rte_eth_dev_get_port_by_name(name, &g->port) != 0) {
			fprintf(stderr, PROG ": device \"%s\": probe failed: "
				"%s\n", o->device, rte_strerror(-rc));
			return -1;
		}
	}
	g->pool = rte_pktmbuf_pool_create("sb_mbuf", POOL_MBUFS, 256, 0,
					  RTE_MBUF_DEFAULT_BUF_SIZE,
					  rte_socket_id());
	if (g->pool == NULL) {
		fprintf(stderr, PROG ": mbuf pool: %s\n",
			rte_strerror(rte_errno));
		return -1;
	}
	if (rte_eth_dev_info_get(g->port, &info) != 0 ||
	    o->queues > info.max_rx_queues || o->queues > info.max_tx_queues) {
		fprintf(stderr, PROG ": port %s: %u queues wanted, the device "
			"has %u RX / %u TX\n", name, o->queues,
			info.max_rx_queues, info.max_tx_queues);
		return -1;
	}
	rc = rte_eth_dev_configure(g->port, (uint16_t)o->queues,
				   (uint16_t)o->queues, &conf);
	if (rc == 0)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(g->port, &nrxd, &ntxd);
	for (q = 0; rc == 0 && q < o->queues; q++) {
		rc = rte_eth_rx_queue_setup(g->port, q, nrxd, rte_socket_id(),
					    NULL, g->pool);
		if (rc == 0)
			rc = rte_eth_tx_queue_setup(g->port, q, ntxd,
						    rte_socket_id(), NULL);
	}
	if (rc == 0)
		rc = rte_eth_dev_start(g->port);
	if (rc != 0) {
		fprintf(stderr, PROG ": port %s: %s\n", name,
			rte_strerror(-rc));
		return -1;
	}
	rte_eth_macaddr_get(g->port, &g->mac);
	end = rte_rdtsc() + (uint64_t)(o->link_timeout_s * (double)g->hz);
	do {
		memset(&link, 0, sizeof(link));
		rte_eth_link_get_nowait(g->port, &link);
		if (link.link_status)
			return 0;
		rte_delay_us_sleep(10000);
	} while (rte_rdtsc() < end && !g->quit);
	fprintf(stderr, PROG ": port %s: link still down after %.0f s (is "
		"the peer running?)\n", name, o->link_timeout_s);
	return -1;
}

static void
on_signal(int sig)
{
	(void)sig;
	if (g_gen != NULL)
		g_gen->quit = true;
}

static unsigned
traffic_lcore(void)
{
	return rte_get_next_lcore(rte_get_main_lcore(), 1, 0);
}

/* --- reflector ------------------------------------------------------------ */

static int
reflect(struct sb_gen *g)
{
	unsigned lc = traffic_lcore();
	uint64_t t0 = rte_rdtsc(), last = 0, now;

	if (lc >= RTE_MAX_LCORE) {
		fprintf(stderr, PROG ": reflect needs a second lcore\n");
		return 1;
	}
	fprintf(stderr, PROG ": reflecting on lcore %u\n", lc);
	rte_eal_remote_launch(sb_reflect_lcore, g, lc);
	while (!g->quit) {
		rte_delay_us_sleep(100000);
		now = rte_rdtsc();
		if (g->o->run_seconds > 0 &&
		    now - t0 > (uint64_t)(g->o->run_seconds * (double)g->hz))
			g->quit = true;
		if (now - last > 10 * g->hz) {
			last = now;
			fprintf(stderr, PROG ": reflected %" PRIu64 "\n",
				sb_reflect_count());
		}
	}
	rte_eal_mp_wait_lcore();
	fprintf(stderr, PROG ": reflected %" PRIu64 " frames\n",
		sb_reflect_count());
	return 0;
}

/* --- legs ----------------------------------------------------------------- */

static int
legs_program(struct sb_gen *g, struct sb_ctl *ctl, double *seconds)
{
	struct sb_plan *p = &g->plan;
	struct sl_leg_spec a, b;
	union sl_msg m;
	uint64_t t0 = sl_mono_ns();
	uint32_t i, id;

	/* the TURN client's credential, as a control plane would push it */
	memset(&m, 0, sizeof(m));
	m.h.type = SL_CMD_CRED_SET;
	snprintf(m.cred_set.username, sizeof(m.cred_set.username), "%s",
		 g->o->turn_user);
	if (stun_lt_key(g->o->turn_user, g->o->turn_realm, g->o->turn_pass,
			m.cred_set.key, m.cred_set.key_sha256) != 0 ||
	    sb_ctl_send(ctl, &m, sizeof(m.cred_set), false,
			CTL_TIMEOUT_MS) != 0)
		goto fail;
	/* a previous run killed before its teardown left its legs: clear
	 * every id this run uses (not found is fine) */
	for (id = p->flows_leg_base; id < p->flows_leg_base + p->n_legs;
	     id++) {
		memset(&m, 0, sizeof(m));
		m.h.type = SL_CMD_LEG_DEL;
		m.leg_id.leg_id = id;
		if (sb_ctl_send(ctl, &m, sizeof(m.leg_id), true,
				CTL_TIMEOUT_MS) != 0)
			goto fail;
	}
	for (i = 0; i < p->n_flows; i++) {
		struct sb_flow *f = &p->flows[i];

		if (!sb_plan_legs(p, f, &a, &b))
			continue;
		memset(&m, 0, sizeof(m));
		m.h.type = SL_CMD_LEG_ADD;
		m.leg.leg = a;
		if (sb_ctl_send(ctl, &m, sizeof(m.leg), false,
				CTL_TIMEOUT_MS) != 0)
			goto fail;
		m.leg.leg = b;
		if (sb_ctl_send(ctl, &m, sizeof(m.leg), false,
				CTL_TIMEOUT_MS) != 0)
			goto fail;
		f->ready = 1;
	}
	if (sb_ctl_flush(ctl, CTL_TIMEOUT_MS) != 0)
		goto fail;
	*seconds = (double)(sl_mono_ns() - t0) / 1e9;
	if (ctl->refused) {
		FAIL("%" PRIu64 " leg command(s) refused; the first: %s",
		     ctl->refused, ctl->first_error);
		return -1;
	}
	return 0;
fail:
	FAIL("programming legs: %s", ctl->first_error);
	return -1;
}

static void
legs_remove(struct sb_gen *g, struct sb_ctl *ctl)
{
	union sl_msg m;
	uint32_t id;

	for (id = g->plan.flows_leg_base;
	     id < g->plan.flows_leg_base + g->plan.n_legs; id++) {
		memset(&m, 0, sizeof(m));
		m.h.type = SL_CMD_LEG_DEL;
		m.leg_id.leg_id = id;
		if (sb_ctl_send(ctl, &m, sizeof(m.leg_id), true,
				CTL_TIMEOUT_MS) != 0)
			break;
	}
	if (sb_ctl_flush(ctl, CTL_TIMEOUT_MS) != 0 || ctl->refused)
		fprintf(stderr, PROG ": warning: removing legs: %s\n",
			ctl->first_error);
}

/* --- trials --------------------------------------------------------------- */

/* One attempt: the traffic lcore runs the trial; the relay's telemetry and
 * every measured thread's schedstat are read before and after. */
static int
trial_once(struct sb_gen *g, double rate, double seconds, struct sb_trial *t)
{
	struct sb_trial_cfg tc = { .rate = rate, .seconds = seconds,
				   .drain_ms = g->o->drain_ms,
				   .run = ++g->run };
	struct sb_trial_job job = { .g = g, .tc = &tc, .r = &t->r };
	struct sb_relay_stats before, after;
	struct sb_sched s0, s1;
	char err[256];
	unsigned lc = traffic_lcore();

	memset(&before, 0, sizeof(before));
	memset(&after, 0, sizeof(after));
	if (g->o->tel_path != NULL)
		sb_tel_read(g->o->tel_path, &before, err, sizeof(err));
	sb_sched_read(g->relay_pid, g->traffic_tid, &s0);
	if (rte_eal_remote_launch(sb_trial_lcore, &job, lc) != 0) {
		FAIL("cannot launch the traffic lcore %u", lc);
		return -1;
	}
	/* rte_eal_wait_lcore() spins: on a shared CPU it would take half of
	 * it from the traffic lcore, so sleep until the trial says done */
	while (!__atomic_load_n(&job.done, __ATOMIC_ACQUIRE))
		rte_delay_us_sleep(2000);
	rte_eal_wait_lcore(lc);
	sb_sched_read(g->relay_pid, g->traffic_tid, &s1);
	if (g->o->tel_path != NULL)
		sb_tel_read(g->o->tel_path, &after, err, sizeof(err));
	sb_relay_delta(&before, &after, &t->relay);
	sb_sched_delta(&s0, &s1, &t->sched);
	sb_trial_judge(t, g->o->loss_tol);
	return g->quit ? -1 : 0;
}

/*
 * A trial, repeated (at most --retry-contended times) when it lost frames
 * while another task or the hypervisor held the relay's or the generator's
 * CPU for at least --contention-ms: that loss is the neighbours', not the
 * relay's. Every attempt is kept in the JSON; a relay that loses frames on
 * its own is never repeated.
 */
static int
trial(struct sb_gen *g, double rate, double seconds, struct sb_trial *t)
{
	const struct sb_opts *o = g->o;
	uint64_t thr = (uint64_t)(o->contention_ms * 1e6);

	for (;;) {
		if (trial_once(g, rate, seconds, t) != 0)
			return -1;
		if (t->loss_ratio <= o->loss_tol || t->contention_ns < thr ||
		    t->n_retried >= o->retries ||
		    t->n_retried >= SB_MAX_RETRIES || g->retry_budget == 0 ||
		    strcmp(t->kind, "warmup") == 0)
			break;
		g->retry_budget--;
		t->retried[t->n_retried].loss_ratio = t->loss_ratio;
		t->retried[t->n_retried].contention_ns = t->contention_ns;
		t->retried[t->n_retried].offered_pps = t->r.tx_pps;
		t->n_retried++;
		printf("%-8s repeated: loss %.4f%% while the relay or the "
		       "generator was kept off its CPU for %.1f ms\n", t->kind,
		       100 * t->loss_ratio, t->contention_ns / 1e6);
	}
	sb_trial_print(g, t);
	return 0;
}

static int
traffic_tid_lcore(void *arg)
{
	*(int *)arg = rte_sys_gettid();
	return 0;
}

/* Every flow a few frames, slowly enough for the relay to resolve every
 * receiver (one ARP request a millisecond): nothing of it is measured. */
static void
warmup(struct sb_gen *g, struct sb_report *rep)
{
	double per_flow = 3, rate, secs;
	struct sb_trial t;

	if (g->o->warmup_s <= 0)
		return;
	rate = g->plan.n_flows * per_flow / g->o->warmup_s;
	if (rate < 1000)
		rate = 1000;
	if (rate > 200000)
		rate = 200000;
	secs = g->plan.n_flows * per_flow / rate;
	if (secs < 0.2)
		secs = 0.2;
	if (secs > g->o->warmup_s)
		secs = g->o->warmup_s;
	memset(&t, 0, sizeof(t));
	t.kind = "warmup";
	if (trial(g, rate, secs, &t) == 0)
		rep->warmup = t;
}

/*
 * The search (RFC 2544 §26.1, with FD.io CSIT's two rates): NDR, the
 * highest rate with loss at most --loss-tolerance (default none: RFC 2544's
 * throughput), and PDR, the highest with loss at most --pdr-loss (default
 * 0.5%). Every trial narrows both intervals [good, bad). It starts flat
 * out: the generator's own offered rate is the upper bound (and when flat
 * out loses nothing, that is the answer, limited by the generator). The
 * first guess is what came back flat out; then halving, PDR first.
 */
struct bound {
	double tol, lo, hi;
	int *best;
};

static bool
bound_open(const struct bound *b, double res)
{
	return b->hi > 0 && (b->hi - b->lo) / b->hi >= res;
}

static void
bound_update(struct bound *b, double rate, const struct sb_trial *t, int idx)
{
	bool good = t->r.total.offered > 0 && t->r.total.bad == 0 &&
		    t->loss_ratio <= b->tol;

	if (good && rate > b->lo) {
		b->lo = rate;
		*b->best = idx;
	} else if (!good && rate < b->hi) {
		b->hi = rate;
	}
}

static int
search(struct sb_gen *g, struct sb_report *rep)
{
	const struct sb_opts *o = g->o;
	struct bound ndr = { o->loss_tol, 0, 0, &rep->best };
	struct bound pdr = { o->pdr_tol, 0, 0, &rep->pdr_best };
	struct bound *b;
	struct sb_trial *t;
	double rate, guess;
	unsigned n;

	t = sb_report_trial(rep, "flat-out");
	if (t == NULL || trial(g, 0, o->seconds, t) != 0)
		return -1;
	rep->flat_out = (int)rep->n_trials - 1;
	ndr.hi = pdr.hi = t->r.tx_pps * 1.0001;
	bound_update(&ndr, t->r.tx_pps, t, rep->flat_out);
	bound_update(&pdr, t->r.tx_pps, t, rep->flat_out);
	rep->generator_limited = rep->best == rep->flat_out;
	guess = t->r.rx_pps * 0.97;
	for (n = 1; n < o->max_trials && !g->quit; n++) {
		b = bound_open(&pdr, o->resolution) ? &pdr :
		    bound_open(&ndr, o->resolution) ? &ndr : NULL;
		if (b == NULL)
			break;
		rate = guess > b->lo && guess < b->hi ? guess :
		       (b->lo + b->hi) / 2;
		guess = 0;
		t = sb_report_trial(rep, "search");
		if (t == NULL || trial(g, rate, o->seconds, t) != 0)
			return -1;
		bound_update(&ndr, rate, t, (int)rep->n_trials - 1);
		bound_update(&pdr, rate, t, (int)rep->n_trials - 1);
	}
	return 0;
}

/* --- the generator run ---------------------------------------------------- */

/* The plan's settings from the options, with the small profile's ranges
 * until the dataplane tells its own. */
void
sb_plan_cfg_from_opts(const struct sb_opts *o, struct sb_plan_cfg *pc)
{
	*pc = (struct sb_plan_cfg){
		.relay_ip = o->relay_ip, .hosts = o->hosts,
		.media_min = 36000, .media_max = 59999,
		.demux_port = o->demux_port ? o->demux_port : 36000,
		.demux_pairs = o->demux_pairs, .turn_port = o->turn_port,
		.leg_capacity = 16384, .a_ip = o->a_ip, .b_ip = o->b_ip,
		.mux_in_base = o->mux_in_base, .leg_base = o->leg_base,
		.a_port_base = o->a_port_base,
	};
}

static int
plan_from_dataplane(struct sb_gen *g, struct sb_ctl *ctl, bool attached)
{
	const struct sb_opts *o = g->o;
	struct sb_plan_cfg pc;
	char err[256];

	sb_plan_cfg_from_opts(o, &pc);
	if (!attached)   /* no relay, no legs: only the ports limit flows */
		pc.leg_capacity = 16777216;
	if (attached) {
		pc.media_min = ctl->shm.hdr->media_port_min;
		pc.media_max = ctl->shm.hdr->media_port_max;
		pc.leg_capacity = ctl->shm.hdr->leg_capacity;
	}
	pc.demux_port = o->demux_port ? o->demux_port : pc.media_min;
	g->flows_requested = o->flows;
	if (o->clamp_flows) {
		/* the most flows these paths allow: each path's own limit
		 * times the number of paths, then down until it fits */
		uint64_t max = UINT32_MAX;
		unsigned k;

		for (k = 0; k < o->n_paths; k++) {
			uint64_t m = (uint64_t)sb_plan_max_flows(&pc, o->paths[k]) *
				     o->n_paths;

			if (m < max)
				max = m;
		}
		if (o->flows > max)
			((struct sb_opts *)o)->flows = (uint32_t)max;
		while (o->flows > 1 &&
		       sb_plan_build(&g->plan, &pc, o->paths, o->n_paths,
				     o->flows, err, sizeof(err)) != 0)
			((struct sb_opts *)o)->flows--;
		sb_plan_free(&g->plan);
		if (o->flows != g->flows_requested)
			fprintf(stderr, PROG ": %u flows asked, %u fit the "
				"relay's ranges: running %u\n",
				g->flows_requested, o->flows, o->flows);
	}
	if (sb_plan_build(&g->plan, &pc, o->paths, o->n_paths, o->flows, err,
			  sizeof(err)) != 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return -1;
	}
	return 0;
}

/* --setup-only / --teardown: the legs alone, for an outside generator. */
static int
setup_only(struct sb_gen *g)
{
	const struct sb_opts *o = g->o;
	static struct sb_ctl ctl;
	char err[256] = "";
	double secs = 0;
	uint32_t i;
	int rc = 0;

	if (sb_ctl_attach(&ctl, o->instance, err, sizeof(err)) != 0 ||
	    sb_ctl_ping(&ctl, CTL_TIMEOUT_MS) != 0) {
		fprintf(stderr, PROG ": instance %s: %s\n", o->instance,
			err[0] ? err : ctl.first_error);
		return 1;
	}
	if (plan_from_dataplane(g, &ctl, true) != 0) {
		sb_ctl_detach(&ctl);
		return 2;
	}
	if (o->teardown) {
		legs_remove(g, &ctl);
		printf("legs %u-%u deleted\n", o->leg_base,
		       o->leg_base + g->plan.n_legs - 1);
	} else if (legs_program(g, &ctl, &secs) != 0) {
		rc = 1;
	} else {
		printf("%u flows, legs %u-%u programmed in %.3f s\n",
		       g->plan.n_flows, o->leg_base,
		       o->leg_base + g->plan.n_legs - 1, secs);
		printf("flow path       A (sender)            -> relay port/ID"
		       "        relay port/ID -> B (receiver)\n");
		for (i = 0; i < g->plan.n_flows; i++) {
			const struct sb_flow *f = &g->plan.flows[i];
			char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

			if (i == 4 && g->plan.n_flows > 6) {
				printf("...\n");
				i = g->plan.n_flows - 2;
				f = &g->plan.flows[i];
			}
			inet_ntop(AF_INET, &f->a_ip, a, sizeof(a));
			inet_ntop(AF_INET, &f->b_ip, b, sizeof(b));
			printf("%4u %-9s %s:%-5u -> %5u", i,
			       sb_paths[f->path].name, a, f->a_port,
			       f->in_port);
			if (f->mux_in)
				printf(" id %08x", f->mux_in);
			else
				printf("            ");
			printf("   %5u", f->out_port);
			if (sb_paths[f->path].out_mux)
				printf(" id %08x", f->mux_out);
			else
				printf("            ");
			printf(" -> %s:%u  (legs %u, %u)\n", b, f->b_port,
			       f->leg_a, f->leg_b);
		}
	}
	sb_ctl_detach(&ctl);
	return rc ? rc : (failures ? 1 : 0);
}

static int
generate(struct sb_gen *g, double latency_at)
{
	const struct sb_opts *o = g->o;
	static struct sb_report rep;
	static struct sb_ctl ctl;
	char err[256], tel[PATH_MAX];
	bool attached = false;
	uint32_t i;

	if (traffic_lcore() >= RTE_MAX_LCORE) {
		fprintf(stderr, PROG ": the generator needs a second lcore "
			"for traffic (EAL -l / --lcores)\n");
		return 1;
	}
	sb_report_init(&rep, g, latency_at);
	rte_eal_remote_launch(traffic_tid_lcore, &g->traffic_tid,
			      traffic_lcore());
	rte_eal_wait_lcore(traffic_lcore());
	g->relay_pid = o->relay_pid;
	g->retry_budget = o->retry_budget;
	if (!o->ceiling && !o->external) {
		if (sb_ctl_attach(&ctl, o->instance, err, sizeof(err)) != 0 ||
		    sb_ctl_ping(&ctl, CTL_TIMEOUT_MS) != 0) {
			FAIL("instance %s: %s", o->instance,
			     err[0] ? err : ctl.first_error);
			return 1;
		}
		attached = true;
		if (g->relay_pid == 0)
			g->relay_pid = ctl.shm.hdr->dp_pid;
		if (o->tel_path == NULL) {
			sb_tel_path(tel, sizeof(tel), o->instance);
			((struct sb_opts *)o)->tel_path = strdup(tel);
		}
	}
	if (plan_from_dataplane(g, &ctl, attached) != 0) {
		sb_ctl_detach(&ctl);
		return 2;
	}
	if (attached && legs_program(g, &ctl, &rep.setup_seconds) != 0)
		goto out;
	rep.legs = g->plan.n_legs;
	if (o->ceiling) {
		for (i = 0; i < g->plan.n_flows; i++)
			g->plan.flows[i].ready = 1;
		memset(&g->relay_mac, 0xff, sizeof(g->relay_mac));
	} else if (sb_arp_resolve(g, o->relay_ip, &g->relay_mac, 5) != 0) {
		FAIL("the relay did not answer ARP for its address");
		goto out;
	}
	sb_templates_build(g);
	if (!o->ceiling && (g->plan.paths_used &
			    ((1u << SB_TURN_CD) | (1u << SB_TURN_SEND)))) {
		sb_turn_setup(g, &rep.turn);
		rep.turn_tried = true;
		printf("turn: %u flows, %u allocated, %u ready in %.2f s%s%s\n",
		       rep.turn.flows, rep.turn.allocated, rep.turn.ready,
		       rep.turn.seconds, rep.turn.note[0] ? ": " : "",
		       rep.turn.note);
		/* a search over fewer flows than asked would pass for the
		 * relay's figure at the flows asked */
		if (rep.turn.ready < rep.turn.flows)
			FAIL("only %u of %u TURN flows set up", rep.turn.ready,
			     rep.turn.flows);
	}
	if (o->tel_path != NULL) {
		struct sb_relay_stats s;

		rep.telemetry_ok = sb_tel_read(o->tel_path, &s, err,
					       sizeof(err)) == 0;
		if (!rep.telemetry_ok)
			fprintf(stderr, PROG ": warning: no relay telemetry: "
				"%s\n", err);
	}
	warmup(g, &rep);
	if (o->search) {
		if (search(g, &rep) == 0 && latency_at > 0 && rep.best >= 0) {
			struct sb_trial *t = sb_report_trial(&rep, "latency");
			double r = rep.trials[rep.best].r.rate_target;

			if (r <= 0)
				r = rep.trials[rep.best].r.tx_pps;
			if (t != NULL && trial(g, r * latency_at, o->seconds,
					       t) == 0)
				rep.latency = rep.n_trials - 1;
		}
	} else {
		struct sb_trial *t = sb_report_trial(&rep, "fixed");

		if (t != NULL && trial(g, o->rate, o->seconds, t) == 0) {
			rep.best = t->loss_free ? 0 : -1;
			rep.latency = 0;
		}
	}
	failures += sb_report_check(&rep);
	sb_turn_teardown(g);
out:
	if (attached && !o->keep_legs)
		legs_remove(g, &ctl);
	sb_ctl_detach(&ctl);
	sb_report_print(&rep);
	if (o->json != NULL && sb_report_json(&rep, o->json) != 0)
		failures++;
	return failures ? 1 : 0;
}

int
main(int argc, char **argv)
{
	static struct sb_gen gen;
	static struct sb_opts o;
	double latency_at;
	int eal_argc, rc;
	char **eal_argv;

	if (parse_opts(argc, argv, &o, &latency_at) != 0)
		return 2;
	eal_argc = argc - optind;
	eal_argv = argv + optind;
	gen.o = &o;
	if (o.write_pcap != NULL)
		return sb_pcap_write(&gen, o.write_pcap) == 0 ? 0 : 1;
	if (o.setup_only || o.teardown)
		return setup_only(&gen);
	if (eal_start(eal_argc, eal_argv) < 0) {
		fprintf(stderr, PROG ": SKIP: EAL cannot start here: %s\n",
			rte_strerror(rte_errno));
		return 77;
	}
	g_gen = &gen;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	gen.hz = rte_get_tsc_hz();
	if (port_setup(&gen) != 0) {
		rc = 1;
	} else if (o.reflect) {
		rc = reflect(&gen);
	} else {
		rc = generate(&gen, latency_at);
	}
	if (rte_eth_dev_is_valid_port(gen.port)) {
		rte_eth_dev_stop(gen.port);
		rte_eth_dev_close(gen.port);
	}
	sb_plan_free(&gen.plan);
	rte_eal_cleanup();
	return rc;
}
