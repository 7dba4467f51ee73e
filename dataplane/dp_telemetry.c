/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_telemetry.c — sluice-dp's counters and identity over DPDK telemetry, so
 * Debian's dpdk-telemetry.py and sluicectl read them from the telemetry
 * socket of the instance's file prefix:
 *
 *   /sluice/info    version, instance, profile, lcores, interfaces
 *   /sluice/stats   every counter summed over all lcores, with "drops" and
 *                   "punts" by reason (all reasons, zeros included)
 *   /sluice/lcore,N one lcore's counters (no parameter: the lcore ids)
 *
 * Callbacks run on the telemetry thread: they only read counters (relaxed
 * loads of lcore-written words) and the immutable setup. DPDK 22.11 gives
 * callbacks no context argument, hence the one file-scope pointer below.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_telemetry.h>

#include "dp.h"

static const struct dp_main *tel_dm;

static uint64_t
ld(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void
stats_add(struct dp_stats *acc, const struct dp_stats *s)
{
	unsigned i;

	acc->rx_pkts += ld(&s->rx_pkts);
	acc->rx_bytes += ld(&s->rx_bytes);
	acc->tx_pkts += ld(&s->tx_pkts);
	acc->tx_bytes += ld(&s->tx_bytes);
	acc->local_replies += ld(&s->local_replies);
	acc->arp_requests += ld(&s->arp_requests);
	acc->relayed_pkts += ld(&s->relayed_pkts);
	acc->keepalives += ld(&s->keepalives);
	acc->rtcp_reports += ld(&s->rtcp_reports);
	acc->worker_events_lost += ld(&s->worker_events_lost);
	acc->kernel_rx_pkts += ld(&s->kernel_rx_pkts);
	acc->kernel_tx_pkts += ld(&s->kernel_tx_pkts);
	acc->polls += ld(&s->polls);
	acc->busy_polls += ld(&s->busy_polls);
	acc->busy_tsc += ld(&s->busy_tsc);
	acc->idle_tsc += ld(&s->idle_tsc);
	acc->idle_sleeps += ld(&s->idle_sleeps);
	for (i = 0; i < DP_DROP_MAX; i++)
		acc->drops[i] += ld(&s->drops[i]);
	for (i = 0; i < DP_PUNT_MAX; i++)
		acc->punts[i] += ld(&s->punts[i]);
}

void
dp_stats_sum(const struct dp_main *dm, struct dp_stats *out)
{
	unsigned w;

	memset(out, 0, sizeof(*out));
	for (w = 0; w < dm->n_workers; w++)
		stats_add(out, &dm->workers[w]->stats);
	stats_add(out, &dm->service.stats);
}

static int
reasons_dict(struct rte_tel_data *d, const char *name,
	     const char *const *names, const uint64_t *v, unsigned n)
{
	struct rte_tel_data *c = rte_tel_data_alloc();
	unsigned i;

	if (c == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(c);
	for (i = 0; i < n; i++)
		rte_tel_data_add_dict_u64(c, names[i], v[i]);
	return rte_tel_data_add_dict_container(d, name, c, 0);
}

static int
stats_dict(struct rte_tel_data *d, const struct dp_stats *s)
{
	uint64_t drops = 0, punts = 0;
	unsigned i;

	for (i = 0; i < DP_DROP_MAX; i++)
		drops += s->drops[i];
	for (i = 0; i < DP_PUNT_MAX; i++)
		punts += s->punts[i];
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "rx_pkts", s->rx_pkts);
	rte_tel_data_add_dict_u64(d, "rx_bytes", s->rx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_pkts", s->tx_pkts);
	rte_tel_data_add_dict_u64(d, "tx_bytes", s->tx_bytes);
	rte_tel_data_add_dict_u64(d, "local_replies", s->local_replies);
	rte_tel_data_add_dict_u64(d, "arp_requests", s->arp_requests);
	rte_tel_data_add_dict_u64(d, "relayed_pkts", s->relayed_pkts);
	rte_tel_data_add_dict_u64(d, "keepalives", s->keepalives);
	rte_tel_data_add_dict_u64(d, "rtcp_reports", s->rtcp_reports);
	rte_tel_data_add_dict_u64(d, "worker_events_lost",
				  s->worker_events_lost);
	rte_tel_data_add_dict_u64(d, "kernel_rx_pkts", s->kernel_rx_pkts);
	rte_tel_data_add_dict_u64(d, "kernel_tx_pkts", s->kernel_tx_pkts);
	rte_tel_data_add_dict_u64(d, "drops_total", drops);
	rte_tel_data_add_dict_u64(d, "punts_total", punts);
	rte_tel_data_add_dict_u64(d, "polls", s->polls);
	rte_tel_data_add_dict_u64(d, "busy_polls", s->busy_polls);
	rte_tel_data_add_dict_u64(d, "busy_tsc", s->busy_tsc);
	rte_tel_data_add_dict_u64(d, "idle_tsc", s->idle_tsc);
	rte_tel_data_add_dict_u64(d, "idle_sleeps", s->idle_sleeps);
	rte_tel_data_add_dict_u64(d, "busy_cycles_per_pkt",
		s->rx_pkts ? s->busy_tsc / s->rx_pkts : 0);
	rte_tel_data_add_dict_u64(d, "tsc_hz", tel_dm->tsc_hz);
	if (reasons_dict(d, "drops", dp_drop_names, s->drops, DP_DROP_MAX) ||
	    reasons_dict(d, "punts", dp_punt_names, s->punts, DP_PUNT_MAX))
		return -ENOMEM;
	return 0;
}

static int
tel_stats(const char *cmd __rte_unused, const char *params __rte_unused,
	  struct rte_tel_data *d)
{
	struct dp_stats s;

	dp_stats_sum(tel_dm, &s);
	return stats_dict(d, &s);
}

static const struct dp_lcore *
lcore_by_id(unsigned long id)
{
	unsigned w;

	if (id == tel_dm->service.lcore_id)
		return &tel_dm->service;
	for (w = 0; w < tel_dm->n_workers; w++)
		if (tel_dm->workers[w]->lcore_id == id)
			return tel_dm->workers[w];
	return NULL;
}

static int
tel_lcore(const char *cmd __rte_unused, const char *params,
	  struct rte_tel_data *d)
{
	const struct dp_lcore *lc;
	struct dp_stats s;
	unsigned long id;
	char *end;
	unsigned w;

	if (params == NULL || *params == '\0') {
		rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
		rte_tel_data_add_array_int(d, tel_dm->service.lcore_id);
		for (w = 0; w < tel_dm->n_workers; w++)
			rte_tel_data_add_array_int(d,
					tel_dm->workers[w]->lcore_id);
		return 0;
	}
	errno = 0;
	id = strtoul(params, &end, 10);
	if (errno != 0 || *end != '\0' || (lc = lcore_by_id(id)) == NULL)
		return -EINVAL;
	memset(&s, 0, sizeof(s));
	stats_add(&s, &lc->stats);
	return stats_dict(d, &s);
}

static int
iface_dict(struct rte_tel_data *d, const struct dp_iface *ifc)
{
	struct rte_tel_data *c = rte_tel_data_alloc();
	char mac[RTE_ETHER_ADDR_FMT_SIZE], ip[INET_ADDRSTRLEN + 4];
	struct rte_eth_link link;
	const uint8_t *a = (const uint8_t *)&ifc->ip;

	if (c == NULL)
		return -ENOMEM;
	rte_ether_format_addr(mac, sizeof(mac), &ifc->mac);
	snprintf(ip, sizeof(ip), "%u.%u.%u.%u/%u", a[0], a[1], a[2], a[3],
		 ifc->cfg->prefix_len);
	memset(&link, 0, sizeof(link));
	rte_eth_link_get_nowait(ifc->nic_port, &link);
	rte_tel_data_start_dict(c);
	rte_tel_data_add_dict_string(c, "name",
				     sl_iface_role_name(ifc->cfg->role));
	rte_tel_data_add_dict_string(c, "device", ifc->nic_name);
	rte_tel_data_add_dict_int(c, "port_id", ifc->nic_port);
	rte_tel_data_add_dict_string(c, "mac", mac);
	rte_tel_data_add_dict_string(c, "address", ip);
	rte_tel_data_add_dict_string(c, "kernel_iface",
				     ifc->cfg->kernel_iface);
	rte_tel_data_add_dict_int(c, "kernel_port_id", ifc->kni_port);
	rte_tel_data_add_dict_string(c, "link",
				     link.link_status ? "up" : "down");
	return rte_tel_data_add_dict_container(d,
			sl_iface_role_name(ifc->cfg->role), c, 0);
}

static int
tel_info(const char *cmd __rte_unused, const char *params __rte_unused,
	 struct rte_tel_data *d)
{
	struct rte_tel_data *workers = rte_tel_data_alloc();
	struct rte_tel_data *ports = rte_tel_data_alloc();
	unsigned i;

	if (workers == NULL || ports == NULL) {
		rte_tel_data_free(workers);
		rte_tel_data_free(ports);
		return -ENOMEM;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "version", SLUICE_VERSION);
	rte_tel_data_add_dict_string(d, "instance", tel_dm->instance);
	rte_tel_data_add_dict_string(d, "profile",
				     sl_profile_name(tel_dm->cfg->profile));
	rte_tel_data_add_dict_string(d, "config", tel_dm->cfg->path);
	rte_tel_data_add_dict_int(d, "pid", getpid());
	rte_tel_data_add_dict_u64(d, "uptime_s",
		(rte_rdtsc() - tel_dm->start_tsc) / tel_dm->tsc_hz);
	rte_tel_data_add_dict_int(d, "main_lcore", tel_dm->service.lcore_id);
	rte_tel_data_start_array(workers, RTE_TEL_INT_VAL);
	for (i = 0; i < tel_dm->n_workers; i++)
		rte_tel_data_add_array_int(workers,
					   tel_dm->workers[i]->lcore_id);
	rte_tel_data_add_dict_container(d, "workers", workers, 0);
	rte_tel_data_start_dict(ports);
	for (i = 0; i < tel_dm->n_ifaces; i++)
		iface_dict(ports, &tel_dm->ifaces[i]);
	rte_tel_data_add_dict_container(d, "ports", ports, 0);
	return 0;
}

int
dp_telemetry_register(struct dp_main *dm)
{
	tel_dm = dm;
	if (rte_telemetry_register_cmd("/sluice/info", tel_info,
			"Sluice dataplane: version, instance, lcores, "
			"interfaces. No parameters") ||
	    rte_telemetry_register_cmd("/sluice/stats", tel_stats,
			"Sluice dataplane counters summed over lcores, drops "
			"and punts by reason. No parameters") ||
	    rte_telemetry_register_cmd("/sluice/lcore", tel_lcore,
			"One lcore's counters. Parameter: lcore id (none: "
			"the ids)"))
		return -1;
	return 0;
}
