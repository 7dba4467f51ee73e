/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_loop.c — sluice-cp's event loop: one epoll set, one thread.
 *
 *   epoll_wait(timeout = next status-client deadline)
 *     ├─ signalfd       TERM/INT → stop, HUP → cp_reload()
 *     ├─ cp.sock        accept, read request, answer (cp_status.c)
 *     ├─ dp tick        timerfd every CP_DP_TICK_MS: the dataplane client
 *     │                 (cp_dp.c), then answers that waited on it
 *     ├─ H.323       RAS/zone UDP sockets, TCP 1720 and its connections,
 *     │              the RAS tick (cp_ras*.c)
 *     ├─ SIP         UDP 5060, TCP 5060 / TLS 5061 and their
 *     │              connections, the SIP tick (cp_sip.c)
 *     └─ cluster     UDP turn.cluster_port: peers' TURN room; announced
 *                    from the dp tick (cp_cluster.c)
 *   expire status clients past their deadline
 *
 * No handler blocks: every socket is non-blocking and every client has a
 * deadline, so the loop keeps serving signals whatever a client does.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "sl_shm.h"

#include "cp_log.h"
#include "cp_main.h"

#define CP_LOOP_MAX_EVENTS 32

/* A stop: SIP calls end first (BYE both ways), for at most
 * CP_STOP_DRAIN_MS; a second signal, or none to end, stops at once. */
static void stop_or_drain(struct cp_main *m)
{
	if (m->drain_until_ms != 0 || !m->sip_ready ||
	    cp_calls_stop(&m->sip) == 0) {
		m->stopping = true;
		return;
	}
	m->drain_until_ms = cp_now_ms() + CP_STOP_DRAIN_MS;
}

static void handle_signal(struct cp_main *m)
{
	struct signalfd_siginfo si;

	for (;;) {
		ssize_t n = read(m->sig_fd, &si, sizeof(si));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n != (ssize_t)sizeof(si)) {
			CP_ERR("signalfd read: %s",
			       n < 0 ? strerror(errno) : "short read");
			m->stopping = true;
			return;
		}
		if (si.ssi_signo == SIGHUP) {
			cp_reload(m);
		} else {
			CP_NOTICE("%s received", strsignal((int)si.ssi_signo));
			stop_or_drain(m);
		}
	}
}

static void handle_tick(struct cp_main *m)
{
	uint64_t expirations;

	/* How many ticks passed does not matter: one step catches up. */
	if (read(m->tick_fd, &expirations, sizeof(expirations)) < 0 &&
	    errno != EAGAIN && errno != EINTR)
		CP_ERR("timerfd read: %s", strerror(errno));
	cp_dp_tick(&m->dp, sl_mono_ns());
	cp_cluster_tick(&m->cluster, &m->dp, sl_mono_ns());
	cp_flows_poll(m);
	cp_turn_poll(m);
}

static void dispatch(struct cp_main *m, const struct epoll_event *ev)
{
	uint32_t kind = (uint32_t)(ev->data.u64 >> 32);
	uint32_t slot = (uint32_t)ev->data.u64;

	switch (kind) {
	case CP_TAG_SIGNAL:
		handle_signal(m);
		break;
	case CP_TAG_STATUS_LISTEN:
		cp_status_accept(&m->status);
		break;
	case CP_TAG_STATUS_CLIENT:
		cp_status_client_ready(&m->status, m, slot, ev->events);
		break;
	case CP_TAG_DP_TICK:
		handle_tick(m);
		break;
	case CP_TAG_RAS_UDP:
		cp_ras_udp_ready(&m->ras, slot);
		break;
	case CP_TAG_RAS_SIG_LISTEN:
		cp_ras_sig_accept(&m->ras);
		break;
	case CP_TAG_RAS_SIG_CONN:
		cp_ras_sig_ready(&m->ras, slot, ev->events);
		break;
	case CP_TAG_RAS_TICK:
		cp_ras_tick(&m->ras);
		break;
	case CP_TAG_SIP_UDP:
		cp_sip_udp_ready(&m->sip);
		break;
	case CP_TAG_SIP_LISTEN:
		cp_sip_accept(&m->sip, slot);
		break;
	case CP_TAG_SIP_CONN:
		cp_sip_conn_ready(&m->sip, slot, ev->events);
		break;
	case CP_TAG_SIP_TICK:
		cp_sip_tick(&m->sip);
		break;
	case CP_TAG_CLUSTER_UDP:
		cp_cluster_readable(&m->cluster, &m->dp, sl_mono_ns());
		break;
	default:
		CP_ERR("event for unknown source kind %u", kind);
		break;
	}
}

int cp_loop_run(struct cp_main *m)
{
	struct epoll_event evs[CP_LOOP_MAX_EVENTS];

	while (!m->stopping) {
		int timeout = cp_status_timeout_ms(&m->status, cp_now_ms());
		int i, n = epoll_wait(m->epoll_fd, evs, CP_LOOP_MAX_EVENTS,
				      timeout);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			CP_ERR("epoll_wait: %s", strerror(errno));
			return -1;
		}
		for (i = 0; i < n; i++)
			dispatch(m, &evs[i]);
		cp_status_expire(&m->status, cp_now_ms());
		if (m->drain_until_ms != 0 &&
		    (cp_calls_stopped(&m->sip) ||
		     cp_now_ms() >= m->drain_until_ms))
			m->stopping = true;
	}
	return 0;
}
