/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_cluster.c — the TURN cluster exchange (see cp_cluster.h).
 *
 * Called from sluice-cp's event loop only: the socket when readable, the
 * tick every CP_DP_TICK_MS. Nothing blocks: the socket is non-blocking and
 * a send that fails is counted and tried again at the next interval.
 */
#include "cp_cluster.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "cp_dp.h"
#include "cp_log.h"
#include "json_out.h"

#define MAGIC "SLCX"
#define VERSION 1
#define KIND_ROOM 1
#define SIGNED_LEN 56

static const char *const verdict_names[CP_CLUSTER_VERDICT_MAX] = {
	[CP_CLUSTER_ACCEPTED] = "accepted",
	[CP_CLUSTER_MALFORMED] = "malformed",
	[CP_CLUSTER_BAD_MAC] = "bad_mac",
	[CP_CLUSTER_UNKNOWN] = "unknown_peer",
	[CP_CLUSTER_STALE] = "stale",
	[CP_CLUSTER_REPLAYED] = "replayed",
	[CP_CLUSTER_WRONG_SOURCE] = "wrong_source",
};

const char *cp_cluster_verdict_name(enum cp_cluster_verdict v)
{
	return v < CP_CLUSTER_VERDICT_MAX ? verdict_names[v] : "?";
}

/* --- the announcement ------------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static void mac(const uint8_t *key, size_t key_len, const uint8_t *msg,
		uint8_t out[32])
{
	unsigned len = 32;

	if (HMAC(EVP_sha256(), key, (int)key_len, msg, SIGNED_LEN, out,
		 &len) == NULL || len != 32)
		memset(out, 0, 32);   /* verifies against nothing */
}

void cp_cluster_encode(const struct cp_cluster_room *r, const uint8_t *key,
		       size_t key_len, uint8_t out[CP_CLUSTER_MSG_LEN])
{
	memset(out, 0, CP_CLUSTER_MSG_LEN);
	memcpy(out, MAGIC, 4);
	out[4] = VERSION;
	out[5] = KIND_ROOM;
	memcpy(out + 8, &r->addr, 4);   /* already network order */
	out[12] = (uint8_t)(r->port >> 8);
	out[13] = (uint8_t)r->port;
	put64(out + 16, r->boot);
	put64(out + 24, r->seq);
	put64(out + 32, r->ts_ms);
	put32(out + 40, r->capacity);
	put32(out + 44, r->allocations);
	put32(out + 48, r->room);
	mac(key, key_len, out, out + SIGNED_LEN);
}

enum cp_cluster_verdict cp_cluster_decode(const uint8_t *buf, size_t len,
					  const uint8_t *key, size_t key_len,
					  struct cp_cluster_room *r)
{
	uint8_t want[32];

	if (len != CP_CLUSTER_MSG_LEN || memcmp(buf, MAGIC, 4) != 0 ||
	    buf[4] != VERSION || buf[5] != KIND_ROOM || buf[6] != 0 ||
	    buf[7] != 0 || buf[14] != 0 || buf[15] != 0 ||
	    get32(buf + 52) != 0)
		return CP_CLUSTER_MALFORMED;
	mac(key, key_len, buf, want);
	if (CRYPTO_memcmp(want, buf + SIGNED_LEN, 32) != 0)
		return CP_CLUSTER_BAD_MAC;
	memcpy(&r->addr, buf + 8, 4);
	r->port = (uint16_t)(buf[12] << 8 | buf[13]);
	r->boot = get64(buf + 16);
	r->seq = get64(buf + 24);
	r->ts_ms = get64(buf + 32);
	r->capacity = get32(buf + 40);
	r->allocations = get32(buf + 44);
	r->room = get32(buf + 48);
	if (r->room > r->capacity)
		return CP_CLUSTER_MALFORMED;
	return CP_CLUSTER_ACCEPTED;
}

/* --- the peers ------------------------------------------------------------ */

enum cp_cluster_verdict cp_cluster_accept(struct cp_cluster *c,
					  const struct cp_cluster_room *r,
					  uint32_t src, uint64_t now_ms,
					  uint64_t now_ns)
{
	struct cp_cluster_peer *p = NULL;
	unsigned i;

	for (i = 0; i < c->n_peers; i++)
		if (c->peers[i].cfg->address == r->addr &&
		    c->peers[i].cfg->turn_port == r->port) {
			p = &c->peers[i];
			break;
		}
	if (p == NULL)
		return CP_CLUSTER_UNKNOWN;
	/* the secret is shared by all members: one must not speak for
	 * another, so a peer's room comes only from its own address */
	if (src != (p->cfg->has_control_address ? p->cfg->control_address
						  : p->cfg->address))
		return CP_CLUSTER_WRONG_SOURCE;
	if (r->ts_ms + CP_CLUSTER_SKEW_MS < now_ms ||
	    r->ts_ms > now_ms + CP_CLUSTER_SKEW_MS)
		return CP_CLUSTER_STALE;
	/* the same run: the sequence only grows; a restarted peer (a new
	 * boot id) must at least be newer than what we last took */
	if (p->heard && (r->boot == p->boot ? r->seq <= p->seq :
			 r->ts_ms <= p->ts_ms))
		return CP_CLUSTER_REPLAYED;
	p->heard = true;
	p->boot = r->boot;
	p->seq = r->seq;
	p->ts_ms = r->ts_ms;
	p->heard_ns = now_ns;
	p->capacity = r->capacity;
	p->allocations = r->allocations;
	p->room = r->room;
	p->accepted++;
	return CP_CLUSTER_ACCEPTED;
}

static bool peer_alive(const struct cp_cluster *c,
		       const struct cp_cluster_peer *p, uint64_t now_ns)
{
	return p->heard &&
	       now_ns - p->heard_ns <= CP_CLUSTER_DEAD_INTERVALS *
				       c->interval_ns;
}

int cp_cluster_choose(const struct cp_cluster *c, uint64_t now_ns)
{
	int best = -1;
	unsigned i;

	for (i = 0; i < c->n_peers; i++) {
		const struct cp_cluster_peer *p = &c->peers[i];

		if (!peer_alive(c, p, now_ns) || p->room == 0)
			continue;
		if (best < 0 || p->room > c->peers[best].room)
			best = (int)i;
	}
	return best;
}

/* The dataplane learns the choice (it sends only a change). */
static void best_push(struct cp_cluster *c, struct cp_dp *dp,
		      uint64_t now_ns)
{
	int best = cp_cluster_choose(c, now_ns);
	const struct cp_cluster_peer *p = best >= 0 ? &c->peers[best] : NULL;
	char a[INET_ADDRSTRLEN] = "";

	if (best != c->best) {
		if (p != NULL) {
			inet_ntop(AF_INET, &p->cfg->address, a, sizeof(a));
			CP_NOTICE("TURN cluster: the peer with the most room is "
				  "%s:%u (%u free); a full appliance sends "
				  "clients there", a, p->cfg->turn_port,
				  p->room);
		} else {
			CP_NOTICE("TURN cluster: no peer has room; a full "
				  "appliance answers 508");
		}
		c->best = best;
	}
	if (p != NULL)
		cp_dp_turn_alternate(dp, p->cfg->address, p->cfg->turn_port,
				     p->room);
	else
		cp_dp_turn_alternate(dp, 0, 0, 0);
}

/* --- life cycle ----------------------------------------------------------- */

void cp_cluster_init(struct cp_cluster *c, const struct sl_config *cfg)
{
	unsigned i;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->best = -1;
	c->n_peers = cfg->turn.enabled ? cfg->turn.n_cluster_peers : 0;
	c->on = c->n_peers > 0;
	c->key_len = strnlen(cfg->turn.cluster_secret, sizeof(c->key));
	memcpy(c->key, cfg->turn.cluster_secret, c->key_len);
	c->interval_ns = (uint64_t)cfg->turn.cluster_interval_s * 1000000000ull;
	c->listen_port = cfg->turn.cluster_port;
	c->our_port = cfg->turn.listen.lo;
	for (i = 0; i < cfg->n_ifaces; i++)
		if (cfg->ifaces[i].role == SL_IFACE_EXTERNAL)
			c->our_addr = cfg->ifaces[i].has_public_address ?
				      cfg->ifaces[i].public_address :
				      cfg->ifaces[i].address;
	for (i = 0; i < c->n_peers; i++)
		c->peers[i].cfg = &cfg->turn.cluster_peers[i];
	if (getrandom(&c->boot, sizeof(c->boot), 0) != sizeof(c->boot))
		c->boot = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
}

int cp_cluster_open(struct cp_cluster *c, int epfd, uint64_t tag, char *err,
		    size_t errlen)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(c->listen_port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	if (!c->on)
		return 0;
	c->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0 ||
	    bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
		snprintf(err, errlen, "turn.cluster_port %u (UDP): %s",
			 c->listen_port, strerror(errno));
		cp_cluster_close(c);
		return -1;
	}
	c->next_send_ns = 0;    /* announce at the first tick */
	CP_INFO("TURN cluster: %u peer(s), announcing every %llu s, "
		"listening on UDP %u", c->n_peers,
		(unsigned long long)(c->interval_ns / 1000000000ull),
		c->listen_port);
	return 0;
}

void cp_cluster_close(struct cp_cluster *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	OPENSSL_cleanse(c->key, sizeof(c->key));
}

static uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void cp_cluster_readable(struct cp_cluster *c, struct cp_dp *dp,
			 uint64_t now_ns)
{
	uint8_t buf[CP_CLUSTER_MSG_LEN + 1];
	struct sockaddr_in from;
	char a[INET_ADDRSTRLEN];
	unsigned n;

	for (n = 0; n < CP_CLUSTER_RX_BURST; n++) {
		socklen_t flen = sizeof(from);
		ssize_t len = recvfrom(c->fd, buf, sizeof(buf), 0,
				       (struct sockaddr *)&from, &flen);
		struct cp_cluster_room r;
		enum cp_cluster_verdict v;

		if (len < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				CP_ERR("TURN cluster: recvfrom: %s",
				       strerror(errno));
			break;
		}
		c->received++;
		v = cp_cluster_decode(buf, (size_t)len, c->key, c->key_len, &r);
		if (v == CP_CLUSTER_ACCEPTED)
			v = cp_cluster_accept(c, &r, from.sin_addr.s_addr,
					      wall_ms(), now_ns);
		if (v != CP_CLUSTER_ACCEPTED) {
			c->rejected[v]++;
			if (c->refused_logged_ns != 0 &&
			    now_ns - c->refused_logged_ns < 1000000000ull) {
				c->refused_unlogged++;
				continue;
			}
			c->refused_logged_ns = now_ns;
			inet_ntop(AF_INET, &from.sin_addr, a, sizeof(a));
			CP_INFO("TURN cluster: announcement from %s:%u "
				"refused: %s (%" PRIu64 " more refused since "
				"the last logged)", a, ntohs(from.sin_port),
				cp_cluster_verdict_name(v),
				c->refused_unlogged);
			c->refused_unlogged = 0;
		}
	}
	best_push(c, dp, now_ns);
}

/* Our room from the dataplane's counters; none while it is not attached
 * (nothing can be allocated here then). */
static void our_room(const struct cp_dp *dp, struct cp_cluster_room *r)
{
	uint64_t cap = 0, allocs = 0;

	if (!cp_dp_ready(dp) || !cp_dp_counter(dp, "turn.capacity", &cap) ||
	    !cp_dp_counter(dp, "turn.allocations", &allocs))
		cap = allocs = 0;
	if (cap > UINT32_MAX)
		cap = UINT32_MAX;
	if (allocs > cap)
		allocs = cap;
	r->capacity = (uint32_t)cap;
	r->allocations = (uint32_t)allocs;
	r->room = (uint32_t)(cap - allocs);
}

static void announce(struct cp_cluster *c, const struct cp_dp *dp)
{
	struct cp_cluster_room r = {
		.addr = c->our_addr, .port = c->our_port, .boot = c->boot,
		.seq = ++c->seq, .ts_ms = wall_ms(),
	};
	uint8_t msg[CP_CLUSTER_MSG_LEN];
	unsigned i;

	our_room(dp, &r);
	c->our_room = r.room;
	cp_cluster_encode(&r, c->key, c->key_len, msg);
	for (i = 0; i < c->n_peers; i++) {
		const struct sl_cluster_peer *p = c->peers[i].cfg;
		struct sockaddr_in to = {
			.sin_family = AF_INET,
			.sin_port = htons(p->control_port),
			.sin_addr.s_addr = p->has_control_address ?
					   p->control_address : p->address,
		};

		if (sendto(c->fd, msg, sizeof(msg), 0, (struct sockaddr *)&to,
			   sizeof(to)) == (ssize_t)sizeof(msg))
			c->sent++;
		else
			c->send_errors++;
	}
}

void cp_cluster_tick(struct cp_cluster *c, struct cp_dp *dp, uint64_t now_ns)
{
	if (!c->on || c->fd < 0)
		return;
	if (now_ns >= c->next_send_ns) {
		announce(c, dp);
		c->next_send_ns = now_ns + c->interval_ns;
	}
	best_push(c, dp, now_ns);   /* peers age out between announcements */
}

/* --- status --------------------------------------------------------------- */

static void kv_u64(struct jout *j, const char *key, uint64_t v)
{
	jout_kv_i64(j, key, v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

static void addr_port(char *buf, size_t cap, uint32_t addr, uint16_t port)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &addr, a, sizeof(a));
	snprintf(buf, cap, "%s:%u", a, port);
}

void cp_cluster_status_json(const struct cp_cluster *c, uint64_t now_ns,
			    struct jout *j)
{
	char buf[32];
	unsigned i;

	jout_key(j, "cluster");
	jout_lit(j, "{");
	kv_u64(j, "peers_configured", c->n_peers);
	if (!c->on) {
		jout_lit(j, "}");
		return;
	}
	kv_u64(j, "port", c->listen_port);
	kv_u64(j, "interval_s", c->interval_ns / 1000000000ull);
	kv_u64(j, "our_room", c->our_room);
	if (c->best >= 0) {
		addr_port(buf, sizeof(buf), c->peers[c->best].cfg->address,
			  c->peers[c->best].cfg->turn_port);
		jout_kv_str(j, "alternate", buf);
	}
	kv_u64(j, "sent", c->sent);
	kv_u64(j, "send_errors", c->send_errors);
	kv_u64(j, "received", c->received);
	jout_key(j, "rejected");
	jout_lit(j, "{");
	for (i = 1; i < CP_CLUSTER_VERDICT_MAX; i++)
		kv_u64(j, verdict_names[i], c->rejected[i]);
	jout_lit(j, "}");
	jout_key(j, "peers");
	jout_lit(j, "[");
	for (i = 0; i < c->n_peers; i++) {
		const struct cp_cluster_peer *p = &c->peers[i];
		bool alive = peer_alive(c, p, now_ns);

		if (i > 0)
			jout_lit(j, ",");
		jout_lit(j, "{");
		addr_port(buf, sizeof(buf), p->cfg->address, p->cfg->turn_port);
		jout_kv_str(j, "turn", buf);
		addr_port(buf, sizeof(buf), p->cfg->has_control_address ?
			  p->cfg->control_address : p->cfg->address,
			  p->cfg->control_port);
		jout_kv_str(j, "control", buf);
		jout_kv_str(j, "state", !p->heard ? "never heard" :
			    alive ? "alive" : "silent");
		kv_u64(j, "room", alive ? p->room : 0);
		kv_u64(j, "capacity", p->capacity);
		kv_u64(j, "allocations", p->allocations);
		if (p->heard)
			kv_u64(j, "heard_ms_ago",
			       (now_ns - p->heard_ns) / 1000000ull);
		kv_u64(j, "accepted", p->accepted);
		jout_lit(j, "}");
	}
	jout_lit(j, "]}");
}
