/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_turn.c — the dataplane's TURN allocations as sluice-cp sees them: the
 * ALLOC_CREATED / ALLOC_EXPIRED events (a log line each, counted) and the
 * allocations a DUMP(ALLOCS) returns, collected for the "turn" requests
 * (cp_turn_status.c answers them; see cp_turn.h). Part of the dataplane
 * client's library: nothing here touches the status socket.
 */
#include "cp_turn.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_dp.h"
#include "cp_log.h"

static const char *const end_names[] = {
	[SL_ALLOC_END_TIMEOUT] = "timeout",
	[SL_ALLOC_END_REFRESH0] = "refresh 0",
	[SL_ALLOC_END_DELETED] = "credential deleted",
};

static const char *end_name(uint32_t reason)
{
	return reason < sizeof(end_names) / sizeof(end_names[0]) ?
	       end_names[reason] : "unknown";
}

void cp_turn_addr_port(char *buf, size_t cap, uint32_t addr, uint16_t port)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &addr, a, sizeof(a));
	snprintf(buf, cap, "%s:%u", a, port);
}

void cp_turn_username(char *out, const struct sl_evt_alloc *a)
{
	memcpy(out, a->username, SL_USERNAME_MAX);
	out[SL_USERNAME_MAX - 1] = '\0';
}

static void alloc_logged(struct cp_turn *t, const struct sl_evt_alloc *a,
			 bool created)
{
	char client[32], relay[32], user[SL_USERNAME_MAX];

	cp_turn_addr_port(client, sizeof(client), a->client_addr, a->client_port);
	cp_turn_addr_port(relay, sizeof(relay), a->relay_addr, a->relay_port);
	cp_turn_username(user, a);
	if (created) {
		t->st.created++;
		CP_INFO("TURN allocation %u created: client %s (port %u), "
			"relay %s, user %s, lifetime %u s", a->alloc_id, client,
			a->listen_port, relay, user, a->lifetime_s);
		return;
	}
	t->st.expired[a->reason < 3 ? a->reason : SL_ALLOC_END_TIMEOUT]++;
	CP_INFO("TURN allocation %u ended (%s): client %s, relay %s, user %s",
		a->alloc_id, end_name(a->reason), client, relay, user);
}

/* Distinct client addresses of the running dump (bounded set). */
static void client_seen(struct cp_turn_dump *d, uint32_t addr)
{
	uint32_t i;

	for (i = 0; i < d->clients && i < d->addr_cap; i++)
		if (d->client_addrs[i] == addr)
			return;
	if (d->clients < d->addr_cap)
		d->client_addrs[d->clients] = addr;
	d->clients++;
}

static void dump_alloc_info(struct cp_turn_dump *d,
			    const struct sl_evt_alloc_info *e)
{
	d->n_allocs++;
	client_seen(d, e->a.client_addr);
	if (e->a.alloc_id < d->from)
		return;
	if (d->n_page >= d->max) {
		if (d->next == 0)
			d->next = e->a.alloc_id;
		return;
	}
	d->page[d->n_page] = *e;
	d->n_peers[d->n_page] = 0;
	d->n_page++;
}

static void dump_turn_peer(struct cp_turn_dump *d,
			   const struct sl_evt_turn_peer *e)
{
	uint32_t i;

	if (d->n_page == 0)
		return;
	i = d->n_page - 1;
	if (d->page[i].a.alloc_id != e->alloc_id ||
	    d->n_peers[i] >= CP_TURN_PEERS_MAX)
		return;
	d->peers[i][d->n_peers[i]++] = *e;
}

void cp_turn_event(struct cp_turn *t, const union sl_msg *m)
{
	struct cp_turn_dump *d = t->dump;

	switch (m->h.type) {
	case SL_EVT_ALLOC_CREATED:
		alloc_logged(t, &m->alloc, true);
		return;
	case SL_EVT_ALLOC_EXPIRED:
		alloc_logged(t, &m->alloc, false);
		return;
	default:
		break;
	}
	if (d == NULL || d->seq == 0 || d->done || m->h.seq != d->seq) {
		t->st.events_malformed++;
		return;
	}
	if (m->h.type == SL_EVT_ALLOC_INFO)
		dump_alloc_info(d, &m->alloc_info);
	else
		dump_turn_peer(d, &m->turn_peer);
}

bool cp_turn_dump_done(struct cp_turn *t, uint32_t seq, unsigned outcome,
		       unsigned result)
{
	struct cp_turn_dump *d = t->dump;

	if (d == NULL || d->seq == 0 || d->seq != seq)
		return false;
	d->done = true;
	d->outcome = (uint8_t)outcome;
	d->result = (uint16_t)result;
	return true;
}

void cp_turn_free(struct cp_turn *t)
{
	if (t->dump != NULL)
		free(t->dump->client_addrs);
	free(t->dump);
	t->dump = NULL;
}

