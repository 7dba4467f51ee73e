/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_log.h — sluice-cp logging: stderr in the foreground, syslog
 * ("sluice-cp", LOG_PID, LOG_DAEMON) when daemonised or when log.syslog is
 * set. Messages above the configured level are dropped.
 */
#ifndef SL_CP_LOG_H
#define SL_CP_LOG_H

#include <stdbool.h>

#include "sl_config.h"

/* Before cp_log_open() messages go to stderr at every level <= INFO. */
void cp_log_open(enum sl_log_level level, bool to_stderr, bool to_syslog);
void cp_log_set_level(enum sl_log_level level);
void cp_log_set_syslog(bool to_syslog);
void cp_log_close(void);

void cp_log(enum sl_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define CP_ERR(...)     cp_log(SL_LOG_ERR, __VA_ARGS__)
#define CP_WARNING(...) cp_log(SL_LOG_WARNING, __VA_ARGS__)
#define CP_NOTICE(...)  cp_log(SL_LOG_NOTICE, __VA_ARGS__)
#define CP_INFO(...)    cp_log(SL_LOG_INFO, __VA_ARGS__)
#define CP_DEBUG(...)   cp_log(SL_LOG_DEBUG, __VA_ARGS__)

#endif /* SL_CP_LOG_H */
