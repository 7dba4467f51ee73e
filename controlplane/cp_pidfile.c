/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_pidfile.c — flock'ed pidfiles.
 *
 * Race with a process that is just exiting: it unlinks the file and closes,
 * while we may have opened the old inode a moment before. Locking an unlinked
 * inode would let two instances run, so after taking the lock we check that
 * the path still names the inode we locked and retry otherwise.
 */
#include "cp_pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define PIDFILE_LOCK_TRIES 5

static int parse_pid(const char *text, pid_t *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || end == text || v <= 0 || v > INT_MAX)
		goto bad;
	while (*end == '\n' || *end == ' ')
		end++;
	if (*end != '\0')
		goto bad;
	*pid = (pid_t)v;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

static int read_pid_fd(int fd, pid_t *pid)
{
	char text[32];
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);

	if (n < 0)
		return -1;
	text[n] = '\0';
	return parse_pid(text, pid);
}

/* 1 when fd is still the file at path, 0 when replaced/unlinked, -1 error. */
static int fd_is_path(int fd, const char *path)
{
	struct stat a, b;

	if (fstat(fd, &a) != 0)
		return -1;
	if (stat(path, &b) != 0)
		return errno == ENOENT ? 0 : -1;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int lock_once(const char *path, pid_t *holder)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	int err, same;

	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		err = errno;
		if (err == EWOULDBLOCK && read_pid_fd(fd, holder) != 0)
			*holder = 0;
		close(fd);
		errno = err;
		return -1;
	}
	same = fd_is_path(fd, path);
	if (same == 1)
		return fd;
	err = same == 0 ? EAGAIN : errno;
	close(fd);
	errno = err;
	return -1;
}

int cp_pidfile_lock(const char *path, pid_t *holder)
{
	int i, fd = -1;

	*holder = 0;
	for (i = 0; i < PIDFILE_LOCK_TRIES; i++) {
		fd = lock_once(path, holder);
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
}

int cp_pidfile_write(int fd, pid_t pid)
{
	char text[32];
	int n = snprintf(text, sizeof(text), "%ld\n", (long)pid);
	ssize_t w;

	if (ftruncate(fd, 0) != 0)
		return -1;
	w = pwrite(fd, text, (size_t)n, 0);
	if (w < 0)
		return -1;
	if (w != n) {
		errno = EIO;
		return -1;
	}
	return 0;
}

void cp_pidfile_release(int fd, const char *path)
{
	if (fd < 0)
		return;
	/* Unlink first: the lock still keeps a starting instance out. */
	if (fd_is_path(fd, path) == 1)
		(void)unlink(path);
	close(fd);
}

int cp_pidfile_read(const char *path, pid_t *pid)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc, err;

	if (fd < 0)
		return -1;
	rc = read_pid_fd(fd, pid);
	err = errno;
	close(fd);
	errno = err;
	return rc;
}

int cp_pid_alive(pid_t pid)
{
	if (kill(pid, 0) == 0)
		return 1;
	return errno == EPERM;
}
