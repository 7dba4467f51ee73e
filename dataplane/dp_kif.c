/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_kif.c — gives the exception-path interface (the TAP) the appliance's
 * address, so the kernel's sockets (SIP, H.323, TLS, TCP TURN, admin) answer
 * for the same address the fast path answers ARP and ICMP for, plus the
 * default route through the configured gateway. IPv6 is switched off on it
 * until the dataplane serves IPv6, so the kernel does not emit ND/MLD for an
 * address family the fast path drops.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dp.h"
#include "dp_log.h"

static void
sin_set(struct sockaddr *sa, uint32_t addr_be)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)sa;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = addr_be;
}

static int
kif_ioctl(int fd, unsigned long req, void *arg, const char *ifname,
	  const char *what)
{
	if (ioctl(fd, req, arg) == 0)
		return 0;
	DP_LOG(ERR, "kernel interface %s: %s: %s", ifname, what,
	       strerror(errno));
	return -1;
}

static int
kif_address(int fd, const struct sl_iface *c)
{
	struct ifreq ifr;
	uint32_t mask = c->prefix_len ? htonl(~0u << (32 - c->prefix_len)) : 0;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", c->kernel_iface);
	sin_set(&ifr.ifr_addr, c->address);
	if (kif_ioctl(fd, SIOCSIFADDR, &ifr, c->kernel_iface, "set address"))
		return -1;
	sin_set(&ifr.ifr_netmask, mask);
	if (kif_ioctl(fd, SIOCSIFNETMASK, &ifr, c->kernel_iface, "set mask"))
		return -1;
	if (kif_ioctl(fd, SIOCGIFFLAGS, &ifr, c->kernel_iface, "get flags"))
		return -1;
	ifr.ifr_flags |= IFF_UP;
	return kif_ioctl(fd, SIOCSIFFLAGS, &ifr, c->kernel_iface, "set up");
}

static int
kif_gateway(int fd, const struct sl_iface *c)
{
	struct rtentry rt;
	char dev[SL_CFG_IFNAME_MAX];

	memset(&rt, 0, sizeof(rt));
	snprintf(dev, sizeof(dev), "%s", c->kernel_iface);
	sin_set(&rt.rt_dst, 0);
	sin_set(&rt.rt_genmask, 0);
	sin_set(&rt.rt_gateway, c->gateway);
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	rt.rt_dev = dev;
	if (ioctl(fd, SIOCADDRT, &rt) == 0 || errno == EEXIST)
		return 0;
	DP_LOG(ERR, "kernel interface %s: default route via gateway: %s",
	       c->kernel_iface, strerror(errno));
	return -1;
}

static int
sysctl_write(const char *path, const char *value)
{
	size_t len = strlen(value);
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, value, len) != (ssize_t)len) {
		DP_LOG(NOTICE, "%s = %s: %s", path, value, strerror(errno));
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

static void
kif_disable_ipv6(const char *ifname)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 ifname);
	sysctl_write(path, "1");
}

/*
 * net_af_packet reads a kernel interface without taking it from the kernel:
 * the kernel still receives every frame. With the appliance's address on
 * the TAP of the same namespace, the kernel would answer ARP and IP for it
 * a second time (weak host model). Strict reverse-path filtering (the route
 * to any peer is via the TAP, not this interface) and arp_ignore=8 make the
 * kernel ignore what arrives there; sluice-dp alone answers.
 */
int
dp_kif_quiet_nic(const char *devargs)
{
	const char *p = strstr(devargs, "iface=");
	char ifname[SL_CFG_IFNAME_MAX], path[160];
	size_t n;

	if (strncmp(devargs, "net_af_packet", 13) != 0 || p == NULL)
		return 0;
	p += strlen("iface=");
	n = strcspn(p, ",");
	if (n == 0 || n >= sizeof(ifname))
		return -1;
	memcpy(ifname, p, n);
	ifname[n] = '\0';
	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/rp_filter",
		 ifname);
	if (sysctl_write(path, "1") != 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/arp_ignore",
		 ifname);
	if (sysctl_write(path, "8") != 0)
		return -1;
	kif_disable_ipv6(ifname);
	DP_LOG(INFO, "%s: kernel told to ignore what arrives there "
	       "(rp_filter=1, arp_ignore=8, no IPv6): sluice-dp answers",
	       ifname);
	return 0;
}

int
dp_kif_configure(const struct sl_iface *c)
{
	int fd, rc;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		DP_LOG(ERR, "socket: %s", strerror(errno));
		return -1;
	}
	kif_disable_ipv6(c->kernel_iface);
	rc = kif_address(fd, c);
	if (rc == 0 && c->has_gateway)
		rc = kif_gateway(fd, c);
	close(fd);
	return rc;
}
