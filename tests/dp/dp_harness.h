/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_harness.h — runs sluice-dp's own stages in-process on net_ring ports:
 *
 *   test ──enqueue──► nic_rx ring ──► [NIC port] ──► dp_worker_poll()
 *   test ◄─dequeue─── nic_tx ring ◄── [NIC port] ◄──┘   │ punt
 *   test ◄─dequeue─── kni_tx ring ◄── [TAP stand-in] ◄── dp_service_poll()
 *   test ──enqueue──► kni_rx ring ──► [TAP stand-in] ──► (inject to NIC)
 *
 * (dp_testbed.h sets it up.) Frames are built byte by byte here, so the tests compare exact bytes.
 */
#ifndef SLUICE_DP_HARNESS_H
#define SLUICE_DP_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dp_testbed.h"

struct harness {
	struct dp_testbed tb;           /* dp_main on ring ports */
	struct rte_ether_addr our_mac, peer_mac;
	uint32_t our_ip, peer_ip;       /* network order */
};

/* An IPv4 address in host order. DPDK's RTE_IPV4() shifts a signed int,
 * which UBSan rightly rejects for addresses of 128.0.0.0 and above. */
#define H_IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))

/* Checks: report and count failures; the test exits non-zero on any. */
extern int h_failures;
#define CHECK(cond, ...) do {                                           \
		if (!(cond)) {                                          \
			fprintf(stderr, "%s:%d: check failed: %s: ",    \
				__FILE__, __LINE__, #cond);             \
			fprintf(stderr, __VA_ARGS__);                   \
			fputc('\n', stderr);                            \
			h_failures++;                                   \
		}                                                       \
	} while (0)

/* EAL + dp_main from a YAML config text; returns 0 or exits 77/1. */
int h_init(struct harness *h, const char *test_name, const char *yaml);
void h_fini(struct harness *h);

/* Frame builders: write into buf, return the frame length. */
size_t h_frame_udp(const struct harness *h, uint8_t *buf, uint16_t sport,
		   uint16_t dport, const void *payload, size_t plen);
/* The same from another source address (host order) of the subnet. */
size_t h_frame_udp_from(const struct harness *h, uint8_t *buf,
			uint32_t src_host, uint16_t sport, uint16_t dport,
			const void *payload, size_t plen);
size_t h_frame_tcp_syn(const struct harness *h, uint8_t *buf, uint16_t sport,
		       uint16_t dport);
size_t h_frame_icmp_echo(const struct harness *h, uint8_t *buf, uint16_t id,
			 uint16_t seq, const void *payload, size_t plen);
size_t h_frame_arp(const struct harness *h, uint8_t *buf, uint16_t op,
		   uint32_t target_ip);
void h_ipv4_fix_cksum(uint8_t *frame);

/* Feed frames to the NIC's RX (or the kernel's), then run the stages. */
void h_rx(struct harness *h, const uint8_t *frame, size_t len);
/* As h_rx, but a full RX ring (the NIC's queue) refuses the frame: false. */
bool h_rx_try(struct harness *h, const uint8_t *frame, size_t len);
void h_kernel_sends(struct harness *h, const uint8_t *frame, size_t len);
void h_run(struct harness *h);

/* What left: returns the number of frames; copies the first into buf. */
unsigned h_nic_out(struct harness *h, uint8_t *buf, size_t *len);
/* Every frame that left, in order: frame i into bufs + i * cap (len[i]),
 * at most max kept; returns how many left. */
unsigned h_nic_out_all(struct harness *h, uint8_t *bufs, size_t cap,
		       size_t *len, unsigned max);
unsigned h_kni_out(struct harness *h, uint8_t *buf, size_t *len);

uint64_t h_drop(struct harness *h, enum dp_drop_reason r);
uint64_t h_punt(struct harness *h, enum dp_punt_reason r);
uint64_t h_drops_total(struct harness *h);
/* Every mbuf back in the pool (nothing leaked or stuck in a ring). */
bool h_pool_full(struct harness *h);

/* A CHECK that got == want, with a hex diff when not. */
void h_expect_bytes(const char *what, const uint8_t *got, size_t glen,
		    const uint8_t *want, size_t wlen);
void h_hexdiff(const char *what, const uint8_t *got, size_t glen,
	       const uint8_t *want, size_t wlen);

/* One test case: runs in its own EAL, with `yaml` or h_default_yaml. */
struct h_case {
	const char *name;
	void (*fn)(void);
	const char *yaml;
};

/* `PROG CASE`: runs that case on `h` and checks that every mbuf came back
 * to the pool; returns the process exit status. */
int h_main(int argc, char **argv, struct harness *h,
	   const struct h_case *cases, unsigned n_cases);

/* The config every dp test starts from (small profile, one interface). */
extern const char *const h_default_yaml;

#endif
