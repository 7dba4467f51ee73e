/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcap_write.h — a classic pcap file of Ethernet/IPv4 frames carrying one
 * UDP datagram or one TCP segment each, with real checksums, for tshark
 * to dissect (h323_svc_pcap_gen.c).
 */
#ifndef SL_PCAP_WRITE_H
#define SL_PCAP_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pcap_end {
	uint8_t ip[4];
	uint16_t port;
};

/* Opens path and writes the file header. NULL on failure (errno). */
FILE *pcap_open(const char *path);

/* One frame; n is the frame's number (for the timestamp). 0 or -1. */
int pcap_udp(FILE *f, unsigned n, struct pcap_end src, struct pcap_end dst,
	     const uint8_t *payload, size_t len);
/* A TCP segment (PSH|ACK) with sequence number seq. 0 or -1. */
int pcap_tcp(FILE *f, unsigned n, struct pcap_end src, struct pcap_end dst,
	     uint32_t seq, const uint8_t *payload, size_t len);

int pcap_close(FILE *f);

#endif /* SL_PCAP_WRITE_H */
