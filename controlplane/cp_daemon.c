/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_daemon.c — the double fork (see cp_daemon.h).
 */
#include "cp_daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CP_DAEMON_OK "OK"

static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;   /* the parent is gone: nobody left to tell */
		buf += n;
		len -= (size_t)n;
	}
}

void cp_daemon_report(int fd, const char *msg)
{
	if (fd < 0)
		return;
	if (msg == NULL)
		write_all(fd, CP_DAEMON_OK, strlen(CP_DAEMON_OK));
	else
		write_all(fd, msg, strlen(msg));
	close(fd);
}

/* In the original process: wait for the verdict and exit with it. */
static void __attribute__((noreturn)) parent_wait(int rfd, pid_t child)
{
	char msg[1024];
	size_t len = 0;
	ssize_t n;

	while (len < sizeof(msg) - 1) {
		n = read(rfd, msg + len, sizeof(msg) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	msg[len] = '\0';
	(void)waitpid(child, NULL, 0);
	if (strcmp(msg, CP_DAEMON_OK) == 0)
		exit(0);
	if (len == 0)
		fprintf(stderr, "sluice-cp: daemon exited during start-up\n");
	else
		fprintf(stderr, "sluice-cp: %s\n", msg);
	exit(1);
}

static int stdio_to_devnull(void)
{
	int fd = open("/dev/null", O_RDWR);
	int i;

	if (fd < 0)
		return -1;
	for (i = 0; i <= 2; i++) {
		if (dup2(fd, i) < 0) {
			close(fd);
			return -1;
		}
	}
	if (fd > 2)
		close(fd);
	return 0;
}

/* In the intermediate child: new session, second fork so the daemon is not
 * a session leader and never reacquires a controlling terminal. */
static void become_daemon(int wfd)
{
	char msg[256];
	pid_t pid;

	if (setsid() < 0)
		goto fail;
	pid = fork();
	if (pid < 0)
		goto fail;
	if (pid > 0)
		_exit(0);
	if (chdir("/") != 0)
		goto fail;
	umask(027);
	if (stdio_to_devnull() != 0)
		goto fail;
	return;
fail:
	snprintf(msg, sizeof(msg), "cannot daemonise: %s", strerror(errno));
	cp_daemon_report(wfd, msg);
	_exit(1);
}

int cp_daemonize(void)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int err = errno;

		close(fds[0]);
		close(fds[1]);
		errno = err;
		return -1;
	}
	if (pid > 0) {
		close(fds[1]);
		parent_wait(fds[0], pid);
	}
	close(fds[0]);
	become_daemon(fds[1]);
	return fds[1];
}
