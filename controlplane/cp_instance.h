/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_instance.h — instance names and the per-instance runtime directory.
 *
 * Shared by sluice-cp and sluicectl (and mirrored by sluice-dp):
 *
 *   $SLUICE_RUN_DIR/<instance>/      default /run/sluice/<instance>/, 0750
 *       cp.pid       sluice-cp pid, flock(LOCK_EX) held while it runs
 *       cp.sock      sluice-cp status socket (unix stream, 0660)
 *       dp.pid       sluice-dp pid, flock'ed the same way
 *       dp.telemetry absolute path of sluice-dp's DPDK telemetry socket
 */
#ifndef SL_CP_INSTANCE_H
#define SL_CP_INSTANCE_H

#include <stdbool.h>
#include <stddef.h>

#define CP_INSTANCE_MAX      32
#define CP_INSTANCE_DEFAULT  "default"
#define CP_RUN_DIR_DEFAULT   "/run/sluice"
#define CP_RUN_DIR_ENV       "SLUICE_RUN_DIR"

/* True when `name` matches [A-Za-z0-9_-]{1,32}. */
bool cp_instance_name_valid(const char *name);

/*
 * Write "$SLUICE_RUN_DIR/<instance>" (or, with `file` not NULL,
 * ".../<instance>/<file>") into `buf`. Returns 0, or -1 with errno
 * ENAMETOOLONG when it does not fit or EINVAL when $SLUICE_RUN_DIR is set
 * but not an absolute path.
 */
int cp_run_path(char *buf, size_t cap, const char *instance, const char *file);

/*
 * Create the base run directory (0755) and the instance directory (0750)
 * if they are missing. Returns 0, or -1 with errno set.
 */
int cp_run_dir_create(const char *instance);

#endif /* SL_CP_INSTANCE_H */
