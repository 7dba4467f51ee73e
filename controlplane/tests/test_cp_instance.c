/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cp_instance.c — instance-name rules, run-dir paths and the pidfile
 * lock (a second locker is refused and told the holder's pid).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cp_instance.h"
#include "cp_pidfile.h"

static void test_names(void)
{
	char name[CP_INSTANCE_MAX + 2];

	CHECK(cp_instance_name_valid("default"));
	CHECK(cp_instance_name_valid("a"));
	CHECK(cp_instance_name_valid("Edge_01-b"));
	CHECK(!cp_instance_name_valid(""));
	CHECK(!cp_instance_name_valid(NULL));
	CHECK(!cp_instance_name_valid("a/b"));
	CHECK(!cp_instance_name_valid(".."));
	CHECK(!cp_instance_name_valid("a b"));
	CHECK(!cp_instance_name_valid("caf\xc3\xa9"));
	memset(name, 'x', CP_INSTANCE_MAX);
	name[CP_INSTANCE_MAX] = '\0';
	CHECK(cp_instance_name_valid(name));         /* 32: ok */
	name[CP_INSTANCE_MAX] = 'x';
	name[CP_INSTANCE_MAX + 1] = '\0';
	CHECK(!cp_instance_name_valid(name));        /* 33: too long */
}

static void test_paths(const char *dir)
{
	char path[256], small[8];

	CHECK(setenv(CP_RUN_DIR_ENV, dir, 1) == 0);
	CHECK(cp_run_path(path, sizeof(path), "i1", "cp.pid") == 0);
	CHECK(strncmp(path, dir, strlen(dir)) == 0 &&
	      strcmp(path + strlen(dir), "/i1/cp.pid") == 0);
	CHECK(cp_run_path(small, sizeof(small), "i1", "cp.pid") != 0 &&
	      errno == ENAMETOOLONG);
	CHECK(cp_run_path(path, sizeof(path), "../x", NULL) != 0);
	CHECK(setenv(CP_RUN_DIR_ENV, "relative/dir", 1) == 0);
	CHECK(cp_run_path(path, sizeof(path), "i1", NULL) != 0 &&
	      errno == EINVAL);
	CHECK(setenv(CP_RUN_DIR_ENV, dir, 1) == 0);
	CHECK(cp_run_dir_create("i1") == 0);
	CHECK(cp_run_dir_create("i1") == 0);        /* exists: fine */
}

static void test_pidfile(void)
{
	char path[256];
	pid_t holder = -1, got = 0;
	int fd, fd2;

	CHECK(cp_run_path(path, sizeof(path), "i1", "cp.pid") == 0);
	fd = cp_pidfile_lock(path, &holder);
	CHECK(fd >= 0);
	CHECK(cp_pidfile_write(fd, 4242) == 0);
	/* a second open file description is refused and names the pid */
	fd2 = cp_pidfile_lock(path, &holder);
	CHECK(fd2 < 0 && errno == EWOULDBLOCK && holder == 4242);
	CHECK(cp_pidfile_read(path, &got) == 0 && got == 4242);
	CHECK(cp_pid_alive(getpid()));
	cp_pidfile_release(fd, path);
	CHECK(access(path, F_OK) != 0);
	CHECK(cp_pidfile_read(path, &got) != 0 && errno == ENOENT);
	/* after release the lock is free again */
	fd = cp_pidfile_lock(path, &holder);
	CHECK(fd >= 0);
	cp_pidfile_release(fd, path);
}

int main(void)
{
	char dir[] = "/tmp/sluice-cp-test-XXXXXX";
	char sub[sizeof(dir) + 8];

	test_names();
	CHECK(mkdtemp(dir) != NULL);
	test_paths(dir);
	test_pidfile();
	snprintf(sub, sizeof(sub), "%s/i1", dir);
	CHECK(rmdir(sub) == 0);
	CHECK(rmdir(dir) == 0);
	return check_result("cp_instance");
}
