/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl.h — sluicectl's commands and exit codes.
 */
#ifndef SL_CTL_H
#define SL_CTL_H

#include <stdbool.h>

enum ctl_exit {
	CTL_EXIT_OK = 0,
	CTL_EXIT_ERROR = 1,        /* could not find out / invalid config */
	CTL_EXIT_USAGE = 2,
	CTL_EXIT_NOT_RUNNING = 3,  /* like systemctl status */
};

struct ctl_opts {
	const char *instance;
	bool json;
};

/* `sluicectl config check FILE` */
int ctl_config_check(const struct ctl_opts *o, const char *file);

/* `sluicectl status` */
int ctl_status(const struct ctl_opts *o);

/* `sluicectl flows list|show|count|add|del ...` (operands after "flows") */
int ctl_flows(const struct ctl_opts *o, int argc, char **argv);

/* `sluicectl registrations` */
int ctl_registrations(const struct ctl_opts *o, int argc, char **argv);

/* `sluicectl turn status|relays` (operands after "turn") */
int ctl_turn(const struct ctl_opts *o, int argc, char **argv);
/* `sluicectl zones`: the SIP traversal zones and their state */
int ctl_zones(const struct ctl_opts *o, int argc, char **argv);

/* `sluicectl calls`: the SIP B2BUA's calls with their legs' counters */
int ctl_calls(const struct ctl_opts *o, int argc, char **argv);

/* `sluicectl h323 call ALIAS | calls` (operands after "h323") */
int ctl_h323(const struct ctl_opts *o, int argc, char **argv);

#endif /* SL_CTL_H */
