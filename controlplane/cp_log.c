/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_log.c — the control plane's log sink (see cp_log.h).
 *
 * Single-threaded by design: the event loop is the only caller.
 */
#include "cp_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

static struct {
	enum sl_log_level level;
	bool to_stderr;
	bool to_syslog;
	bool syslog_open;
} cp_log_state = { SL_LOG_INFO, true, false, false };

static const char *const level_names[] = {
	[SL_LOG_ERR] = "error",
	[SL_LOG_WARNING] = "warning",
	[SL_LOG_NOTICE] = "notice",
	[SL_LOG_INFO] = "info",
	[SL_LOG_DEBUG] = "debug",
};

static int level_to_syslog(enum sl_log_level level)
{
	switch (level) {
	case SL_LOG_ERR:     return LOG_ERR;
	case SL_LOG_WARNING: return LOG_WARNING;
	case SL_LOG_NOTICE:  return LOG_NOTICE;
	case SL_LOG_INFO:    return LOG_INFO;
	case SL_LOG_DEBUG:   return LOG_DEBUG;
	}
	return LOG_INFO;
}

void cp_log_set_syslog(bool to_syslog)
{
	if (to_syslog && !cp_log_state.syslog_open) {
		openlog("sluice-cp", LOG_PID, LOG_DAEMON);
		cp_log_state.syslog_open = true;
	}
	cp_log_state.to_syslog = to_syslog;
}

void cp_log_open(enum sl_log_level level, bool to_stderr, bool to_syslog)
{
	cp_log_state.level = level;
	cp_log_state.to_stderr = to_stderr;
	cp_log_set_syslog(to_syslog);
}

void cp_log_set_level(enum sl_log_level level)
{
	cp_log_state.level = level;
}

void cp_log_close(void)
{
	if (cp_log_state.syslog_open)
		closelog();
	cp_log_state.syslog_open = false;
	cp_log_state.to_syslog = false;
}

static void log_stderr(enum sl_log_level level, const char *msg)
{
	char stamp[32];
	struct timespec ts;
	struct tm tm;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 ||
	    gmtime_r(&ts.tv_sec, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		stamp[0] = '\0';
	fprintf(stderr, "%s sluice-cp[%s]: %s\n", stamp,
		level_names[level], msg);
}

void cp_log(enum sl_log_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (level > cp_log_state.level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cp_log_state.to_stderr)
		log_stderr(level, msg);
	if (cp_log_state.to_syslog)
		syslog(level_to_syslog(level), "%s", msg);
}
