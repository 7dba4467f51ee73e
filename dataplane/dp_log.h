/* SPDX-License-Identifier: BSD-3-Clause */
/* dp_log.h — sluice-dp's log type, registered with the EAL log system so the
 * operator's --log-level=sluice.dp:debug works as for any DPDK component. */
#ifndef SLUICE_DP_LOG_H
#define SLUICE_DP_LOG_H

#include <rte_log.h>

extern int dp_logtype;

#define DP_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, dp_logtype, "sluice-dp: " fmt "\n", \
		##__VA_ARGS__)

#endif
