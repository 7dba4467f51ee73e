/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_pidfile.h — pidfiles held with flock() for the life of the process.
 *
 * The lock, not the file's existence, says "running": a pidfile left by a
 * crashed process is unlocked and simply taken over.
 */
#ifndef SL_CP_PIDFILE_H
#define SL_CP_PIDFILE_H

#include <sys/types.h>

/*
 * Open (creating) `path` and take flock(LOCK_EX|LOCK_NB) on it. Returns the
 * locked fd (O_CLOEXEC). When another process holds it, returns -1 with errno
 * EWOULDBLOCK and *holder set to the pid it wrote (0 if none yet). Other
 * failures return -1 with errno from the failing call.
 */
int cp_pidfile_lock(const char *path, pid_t *holder);

/* Replace the file's contents with "<pid>\n". Returns 0 or -1/errno. */
int cp_pidfile_write(int fd, pid_t pid);

/* Unlink `path` (while still locked) and close `fd`. */
void cp_pidfile_release(int fd, const char *path);

/*
 * Read the pid stored in `path`. Returns 0 with *pid > 0, or -1 with errno
 * ENOENT (no file), EINVAL (not a pid) or the I/O error.
 */
int cp_pidfile_read(const char *path, pid_t *pid);

/* True when a process with that pid exists (EPERM counts as existing). */
int cp_pid_alive(pid_t pid);

#endif /* SL_CP_PIDFILE_H */
