/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_daemon.h — detach from the terminal, with start-up reported back.
 *
 *   parent ──fork──► child ──setsid, fork──► daemon (chdir /, umask, stdio
 *     │                 └─ _exit(0)                 to /dev/null)
 *     └── reads the pipe: "OK" → exit 0; an error text or EOF → exit 1
 *
 * The parent leaves only when the daemon said it is serving (or failed), so
 * `sluice-cp && sluicectl status` never races the start-up.
 */
#ifndef SL_CP_DAEMON_H
#define SL_CP_DAEMON_H

/*
 * Returns in the daemon only, with the write end of the report pipe; the
 * original process never returns (it exits with the daemon's verdict).
 * Returns -1 with errno set (still in the original process) when the pipe or
 * the first fork fails.
 */
int cp_daemonize(void);

/* Report success (msg NULL) or the start-up error, then close the pipe. */
void cp_daemon_report(int fd, const char *msg);

#endif /* SL_CP_DAEMON_H */
