/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sb_pcap.c — sluice-bench --write-pcap FILE: the frames the generator
 * would send first, one per flow for up to 8 flows of every path asked for,
 * written as a classic pcap (Ethernet). No EAL, no port: a check of the
 * frame synthesis that tshark can read (benchmarks/pktgen/check_pcaps.sh).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "sb_report.h"

#define PCAP_FLOWS 8

struct pcap_rec {
	uint32_t sec, usec, incl, orig;
};

int
sb_pcap_write(struct sb_gen *g, const char *path)
{
	static const uint8_t relay_mac[6] = { 0x02, 0x5c, 0, 0, 0, 0x01 };
	static const uint8_t gen_mac[6] = { 0x02, 0x5b, 0, 0, 0, 0x01 };
	const uint32_t hdr[6] = { 0xa1b2c3d4u, 0x00040002u, 0, 0, 65535, 1 };
	const struct sb_opts *o = g->o;
	struct sb_plan_cfg pc;
	uint8_t buf[SB_FRAME_MAX];
	char err[256];
	uint32_t i, n;
	FILE *f;

	sb_plan_cfg_from_opts(o, &pc);
	if (sb_plan_build(&g->plan, &pc, o->paths, o->n_paths, o->flows, err,
			  sizeof(err)) != 0) {
		fprintf(stderr, "sluice-bench: %s\n", err);
		return -1;
	}
	f = fopen(path, "we");
	if (f == NULL) {
		fprintf(stderr, "sluice-bench: %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	fwrite(hdr, 4, 6, f);   /* host order: readers take either */
	n = g->plan.n_flows < PCAP_FLOWS * o->n_paths ?
	    g->plan.n_flows : PCAP_FLOWS * o->n_paths;
	for (i = 0; i < n; i++) {
		const struct sb_flow *fl = &g->plan.flows[i];
		struct sb_stamp st = { .magic = SB_STAMP_MAGIC, .run = 1,
				       .flow = i, .seq = 0, .tsc = 0 };
		struct sb_encap_args ea = {
			.encap = sb_paths[fl->path].in,
			.mux_id = fl->mux_in, .channel = fl->channel,
			.peer_ip = fl->b_ip, .peer_port = fl->b_port,
		};
		struct sb_addrs a = {
			.src_ip = fl->a_ip, .dst_ip = o->relay_ip,
			.sport = fl->a_port, .dport = fl->in_port,
		};
		struct pcap_rec rec;
		size_t len;

		memcpy(a.dst_mac, relay_mac, 6);
		memcpy(a.src_mac, gen_mac, 6);
		memcpy(ea.txid, "sluicebench", 11);
		ea.txid[11] = (uint8_t)i;
		len = sb_frame_build(buf, o->frame, &a, &ea, 1000, 160000,
				     0x5b000000u | i, &st);
		if (len == 0) {
			fprintf(stderr, "sluice-bench: %s: frame size %u is "
				"not possible (min %u%s)\n",
				sb_paths[fl->path].name, o->frame,
				sb_frame_min(ea.encap),
				ea.encap == SB_ENCAP_SEND ?
				", and 4k+2 bytes for Send indications" : "");
			fclose(f);
			return -1;
		}
		rec = (struct pcap_rec){ .sec = 1700000000u, .usec = i * 20000,
					 .incl = (uint32_t)len,
					 .orig = (uint32_t)len };
		fwrite(&rec, sizeof(rec), 1, f);
		fwrite(buf, 1, len, f);
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "sluice-bench: %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	printf("sluice-bench: %u frame(s) written to %s\n", n, path);
	return 0;
}
