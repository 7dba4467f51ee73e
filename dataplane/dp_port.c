/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_port.c — DPDK ports from the config's device strings: any PCI NIC or
 * vdev (net_af_packet, net_tap, net_memif, net_ring, net_pcap, ...), probed
 * by hot-plug after EAL init, and the TAP that is each interface's kernel
 * twin on the exception path.
 */
#include <ctype.h>

#include <rte_dev.h>

#include "dp.h"
#include "dp_log.h"

/* The port name DPDK gives a device: the vdev name before its arguments, or
 * the PCI address in its full domain:bus:device.function form. */
static void
device_port_name(const char *devargs, char *name, size_t len)
{
	size_t n = strcspn(devargs, ",");
	unsigned colons = 0;
	size_t i;

	for (i = 0; i < n; i++)
		colons += devargs[i] == ':';
	if (isxdigit((unsigned char)devargs[0]) && colons == 1)
		snprintf(name, len, "0000:%.*s", (int)n, devargs);
	else
		snprintf(name, len, "%.*s", (int)n, devargs);
}

int
dp_port_probe(const char *devargs, uint16_t *port_id)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	int rc;

	device_port_name(devargs, name, sizeof(name));
	if (rte_eth_dev_get_port_by_name(name, port_id) == 0)
		return 0; /* EAL probed it already (-a / --vdev) */
	rc = rte_dev_probe(devargs);
	if (rc != 0) {
		DP_LOG(ERR, "device \"%s\": probe failed: %s", devargs,
		       rte_strerror(-rc));
		return -1;
	}
	if (rte_eth_dev_get_port_by_name(name, port_id) != 0) {
		DP_LOG(ERR, "device \"%s\" probed but has no ethdev port "
		       "named %s", devargs, name);
		return -1;
	}
	return 0;
}

static void
port_conf_rss(uint16_t port_id, const struct rte_eth_dev_info *info,
	      struct rte_eth_conf *conf)
{
	uint64_t hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP) &
		      info->flow_type_rss_offloads;

	if (hf == 0) {
		DP_LOG(NOTICE, "port %u (%s) has no RSS: flows spread as the "
		       "device spreads them (af_packet: kernel fanout)",
		       port_id, info->driver_name);
		return;
	}
	conf->rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf->rx_adv_conf.rss_conf.rss_hf = hf;
}

static int
port_queues_setup(struct dp_main *dm, uint16_t port_id, uint16_t nb_rxq,
		  uint16_t nb_txq, uint16_t nrxd, uint16_t ntxd)
{
	int socket = rte_eth_dev_socket_id(port_id);
	uint16_t q;
	int rc;

	if (socket < 0)
		socket = (int)rte_socket_id();
	for (q = 0; q < nb_rxq; q++) {
		rc = rte_eth_rx_queue_setup(port_id, q, nrxd, socket, NULL,
					    dm->pool);
		if (rc != 0) {
			DP_LOG(ERR, "port %u: RX queue %u: %s", port_id, q,
			       rte_strerror(-rc));
			return -1;
		}
	}
	for (q = 0; q < nb_txq; q++) {
		rc = rte_eth_tx_queue_setup(port_id, q, ntxd, socket, NULL);
		if (rc != 0) {
			DP_LOG(ERR, "port %u: TX queue %u: %s", port_id, q,
			       rte_strerror(-rc));
			return -1;
		}
	}
	return 0;
}

int
dp_port_configure(struct dp_main *dm, uint16_t port_id, uint16_t nb_rxq,
		  uint16_t nb_txq, bool want_rss)
{
	const struct sl_config *c = dm->cfg;
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint16_t nrxd = c->dataplane.rx_descriptors;
	uint16_t ntxd = c->dataplane.tx_descriptors;
	int rc;

	rc = rte_eth_dev_info_get(port_id, &info);
	if (rc != 0) {
		DP_LOG(ERR, "port %u: %s", port_id, rte_strerror(-rc));
		return -1;
	}
	if (nb_rxq > info.max_rx_queues || nb_txq > info.max_tx_queues) {
		DP_LOG(ERR, "port %u (%s) has %u RX / %u TX queues; %u workers "
		       "need %u of each (af_packet: qpairs=N in the device "
		       "string)", port_id, info.driver_name,
		       info.max_rx_queues, info.max_tx_queues, nb_rxq,
		       nb_rxq);
		return -1;
	}
	if (want_rss)
		port_conf_rss(port_id, &info, &conf);
	if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM)
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
	rc = rte_eth_dev_configure(port_id, nb_rxq, nb_txq, &conf);
	if (rc == 0)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nrxd, &ntxd);
	if (rc != 0) {
		DP_LOG(ERR, "port %u (%s): configure: %s", port_id,
		       info.driver_name, rte_strerror(-rc));
		return -1;
	}
	if (nrxd != c->dataplane.rx_descriptors ||
	    ntxd != c->dataplane.tx_descriptors)
		DP_LOG(NOTICE, "port %u (%s): device limits descriptors to "
		       "%u RX / %u TX (configured %u / %u)", port_id,
		       info.driver_name, nrxd, ntxd,
		       c->dataplane.rx_descriptors,
		       c->dataplane.tx_descriptors);
	if (port_queues_setup(dm, port_id, nb_rxq, nb_txq, nrxd, ntxd) != 0)
		return -1;
	rc = rte_eth_dev_start(port_id);
	if (rc != 0) {
		DP_LOG(ERR, "port %u (%s): start: %s", port_id,
		       info.driver_name, rte_strerror(-rc));
		return -1;
	}
	return 0;
}

/*
 * The kernel twin: a TAP named after interface.kernel_iface with the NIC's
 * MAC address, so the kernel's frames leave through the NIC with the source
 * address our peers already resolved.
 */
int
dp_kni_create(const struct dp_iface *ifc, uint16_t *port_id)
{
	char name[RTE_DEV_NAME_MAX_LEN], devargs[192];
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	int rc;

	snprintf(name, sizeof(name), "net_tap_%s", ifc->cfg->kernel_iface);
	rte_ether_format_addr(mac, sizeof(mac), &ifc->mac);
	snprintf(devargs, sizeof(devargs), "%s,iface=%s,mac=%s", name,
		 ifc->cfg->kernel_iface, mac);
	rc = rte_dev_probe(devargs);
	if (rc != 0) {
		DP_LOG(ERR, "kernel interface %s: cannot create TAP: %s "
		       "(needs CAP_NET_ADMIN and /dev/net/tun)",
		       ifc->cfg->kernel_iface, rte_strerror(-rc));
		return -1;
	}
	if (rte_eth_dev_get_port_by_name(name, port_id) != 0) {
		DP_LOG(ERR, "TAP %s created without a port", name);
		return -1;
	}
	return 0;
}

void
dp_port_close(uint16_t port_id)
{
	struct rte_eth_dev_info info;
	struct rte_device *dev = NULL;
	int rc;

	if (!rte_eth_dev_is_valid_port(port_id))
		return;
	if (rte_eth_dev_info_get(port_id, &info) == 0)
		dev = info.device;
	rc = rte_eth_dev_stop(port_id);
	if (rc != 0)
		DP_LOG(WARNING, "port %u: stop: %s", port_id,
		       rte_strerror(-rc));
	rte_eth_dev_close(port_id);
	/* the device goes too: a TAP takes its kernel interface with it */
	if (dev != NULL && rte_dev_remove(dev) != 0)
		DP_LOG(WARNING, "port %u: device not removed", port_id);
}
