/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_legs.h — the dp suite's side of the shared-memory interface: the real
 * command service (dp_ctl.c) on the testbed, commands into its real command
 * ring, events read from its real event ring as sluice-cp would, and the
 * frames a relayed packet should become. Shared by test_dp_flow.c (the
 * command service and flow tables) and test_dp_media.c (the media stages).
 */
#ifndef SLUICE_TEST_DP_LEGS_H
#define SLUICE_TEST_DP_LEGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dp_harness.h"
#include "sl_shm.h"

#define FRAME_MAX 2048

extern struct harness H;
extern struct sl_shm *S;        /* the dataplane's own mapping */
extern uint32_t next_seq;

/* The command service on the testbed, with rings of these sizes. */
void ctl_up(uint32_t cmd_slots, uint32_t evt_slots);
/* n rounds of worker poll + service poll. */
void poll_n(unsigned n);
uint32_t send_cmd(union sl_msg *m, uint16_t type, uint16_t len);
bool evt_next(union sl_msg *m);
/* The next event is the ACK of `seq` with `result`; returns its value. */
uint64_t expect_ack(uint32_t seq, enum sl_result result, const char *what);
/* A command for one leg, its ACK's result (SL_RESULT_MAX: no ACK). */
enum sl_result leg_cmd(uint16_t type, const struct sl_leg_spec *s);

struct sl_leg_spec port_leg(uint32_t id, uint16_t port, uint8_t latch);
struct sl_leg_spec mux_leg(uint32_t id, uint16_t pair_port, uint32_t id_rx,
			   uint32_t id_tx, uint8_t latch);
void with_remote(struct sl_leg_spec *s, uint32_t addr_host, uint16_t port);
/* Adds a and b, each the other's peer. */
void link_pair(const struct sl_leg_spec *a, const struct sl_leg_spec *b);

/* `in` rewritten by hand as the relay should send it (same length). */
size_t expected_relay(const uint8_t *in, size_t len, uint8_t *out,
		      uint16_t sport, uint32_t dst_host, uint16_t dport);
/* Pseudo header + UDP header + payload sums to 0xffff (RFC 768). */
bool udp_cksum_ok(const uint8_t *frame);
struct dp_leg *leg_of(uint32_t id);

#endif /* SLUICE_TEST_DP_LEGS_H */
