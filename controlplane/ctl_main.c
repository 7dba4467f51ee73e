/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_main.c — sluicectl: the operator's command-line tool.
 *
 *   sluicectl [--instance NAME] [--json] COMMAND ...
 *
 * Commands are a table; later issues add ports.
 * Exit codes: 0 ok, 1 error, 2 usage, 3 not running (see ctl.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cp_instance.h"
#include "ctl.h"

struct ctl_cmd {
	const char *word1;
	const char *word2;           /* NULL: one-word command */
	int nargs;                   /* operands after the command words;
				      * -1: the command checks them */
	int (*run)(const struct ctl_opts *o, int argc, char **args);
	const char *synopsis;
};

static int run_config_check(const struct ctl_opts *o, int argc, char **args)
{
	(void)argc;
	return ctl_config_check(o, args[0]);
}

static int run_status(const struct ctl_opts *o, int argc, char **args)
{
	(void)argc;
	(void)args;
	return ctl_status(o);
}

static const struct ctl_cmd ctl_cmds[] = {
	{ "status", NULL, 0, run_status,
	  "status                 sluice-cp and sluice-dp of the instance" },
	{ "config", "check", 1, run_config_check,
	  "config check FILE      validate FILE, print the effective config" },
	{ "flows", NULL, -1, ctl_flows,
	  "flows list|count       media legs sluice-cp programmed\n"
	  "  flows show ID          one leg, with the dataplane's counters\n"
	  "  flows add (--port P | --mux RX[:TX] --port P) [--id N] "
	  "[--iface NAME]\n"
	  "            [--remote ADDR:PORT] [--latch off|once|always] "
	  "[--peer ID]\n"
	  "            [--idle SECONDS]\n"
	  "  flows del ID" },
	{ "registrations", NULL, -1, ctl_registrations,
	  "registrations          endpoints registered with sluice-cp "
	  "(H.323 and SIP)" },
	{ "turn", NULL, -1, ctl_turn,
	  "turn status            the TURN server: allocations, capacity, "
	  "request and error counters\n"
	  "  turn relays            each TURN allocation: client, relay, user, "
	  "permissions, channels" },
	{ "zones", NULL, -1, ctl_zones,
	  "zones                  SIP traversal zones: role, state, keep-alives, "
	  "last error" },
	{ "calls", NULL, -1, ctl_calls,
	  "calls                  SIP calls through the B2BUA: both sides, each "
	  "media leg\n"
	  "                         with the dataplane's packet counters" },
	{ "h323", NULL, -1, ctl_h323,
	  "h323 call ALIAS        offer an H.460.18 incoming call (SCI) to "
	  "ALIAS\n"
	  "  h323 calls             those calls and their state" },
};

#define CTL_N_CMDS (sizeof(ctl_cmds) / sizeof(ctl_cmds[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: sluicectl [--instance NAME] [--json] COMMAND ...\n"
		"\ncommands:\n");
	for (i = 0; i < CTL_N_CMDS; i++)
		fprintf(out, "  %s\n", ctl_cmds[i].synopsis);
	fprintf(out, "\noptions:\n"
		"  -i, --instance NAME  instance, default \"%s\"\n"
		"  -j, --json           machine-readable output\n"
		"  -h, --help           this text\n"
		"  -V, --version        print the version\n"
		"\nexit: 0 ok, 1 error, 2 usage, 3 not running\n",
		CP_INSTANCE_DEFAULT);
}

/* Returns -1 to run, else the exit code. */
static int parse_opts(int argc, char **argv, struct ctl_opts *o)
{
	static const struct option longopts[] = {
		{ "instance", required_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct ctl_opts){ .instance = CP_INSTANCE_DEFAULT };
	/* '+': stop at the command word, its operands are its own */
	while ((c = getopt_long(argc, argv, "+i:jhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': o->instance = optarg; break;
		case 'j': o->json = true; break;
		case 'h': usage(stdout); return CTL_EXIT_OK;
		case 'V': printf("sluicectl %s\n", SLUICE_VERSION);
			  return CTL_EXIT_OK;
		default: usage(stderr); return CTL_EXIT_USAGE;
		}
	}
	if (!cp_instance_name_valid(o->instance)) {
		fprintf(stderr, "sluicectl: invalid instance name '%s': use "
			"1-%d of A-Z a-z 0-9 _ -\n", o->instance,
			CP_INSTANCE_MAX);
		return CTL_EXIT_USAGE;
	}
	return -1;
}

static const struct ctl_cmd *find_cmd(int argc, char **argv, int *used)
{
	size_t i;

	for (i = 0; i < CTL_N_CMDS; i++) {
		const struct ctl_cmd *c = &ctl_cmds[i];
		int words = c->word2 != NULL ? 2 : 1;

		if (argc < words || strcmp(argv[0], c->word1) != 0 ||
		    (c->word2 != NULL && strcmp(argv[1], c->word2) != 0))
			continue;
		*used = words;
		return c;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct ctl_opts o;
	const struct ctl_cmd *cmd;
	int rc = parse_opts(argc, argv, &o), used = 0;

	if (rc >= 0)
		return rc;
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		fprintf(stderr, "sluicectl: no command given\n");
		usage(stderr);
		return CTL_EXIT_USAGE;
	}
	cmd = find_cmd(argc, argv, &used);
	if (cmd == NULL) {
		fprintf(stderr, "sluicectl: unknown command '%s'\n", argv[0]);
		usage(stderr);
		return CTL_EXIT_USAGE;
	}
	if (cmd->nargs >= 0 && argc - used != cmd->nargs) {
		fprintf(stderr, "sluicectl: usage: sluicectl %s\n",
			cmd->synopsis);
		return CTL_EXIT_USAGE;
	}
	return cmd->run(&o, argc - used, argv + used);
}
