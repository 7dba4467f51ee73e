/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sl_config_rules.c — defaults that depend on other keys, and the rules that
 * look at more than one key. Both run only after every key parsed cleanly,
 * so they can trust each field on its own.
 *
 * When a rule ties two keys, the error points at the one the operator wrote
 * (the later one in the file when both were written) and names the other
 * with "given at line N" or "(profile default)".
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sl_config_int.h"

#define SIP_ZONE_BASE_PORT  7001
#define H323_ZONE_BASE_PORT 6001

/* ---- value and provenance text ----------------------------------------- */

/* The value as the file wrote it, or as the default formats. */
static void src_text(const struct cfg_src *src, const struct cfg_row *row,
		     const void *base, char *buf, size_t len)
{
	if (src->node != NULL && src->node->kind == CFG_SCALAR)
		snprintf(buf, len, "%s", src->node->text);
	else
		cfg_format_value(row, base, buf, len);
}

static void src_note(const struct cfg_src *src, char *buf, size_t len)
{
	if (src->node != NULL)
		snprintf(buf, len, "given at line %zu", src->node->mark.line + 1);
	else
		snprintf(buf, len, src->entry ? "(default)" : "(profile default)");
}

/* Whether a rule between a and b should be reported at a: a was written and
 * b was not, or both were and a comes later; b is reported otherwise. */
static bool report_at_first(const struct cfg_src *a, const struct cfg_src *b)
{
	if (a->node == NULL)
		return b->node == NULL;
	if (b->node == NULL)
		return true;
	return a->node->mark.index > b->node->mark.index;
}

/* A value error at a top-level row, whether written or defaulted. */
static void top_err(struct cfg_loader *ld, enum cfg_top_row r,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void top_err(struct cfg_loader *ld, enum cfg_top_row r,
		    const char *fmt, ...)
{
	const struct cfg_row *row = &cfg_top_table.rows[r];
	char val[300], msg[512];
	va_list ap;

	src_text(&ld->top[r], row, ld->cfg, val, sizeof(val));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_err_value(ld, ld->top[r].mark, row->key, val, "%s", msg);
}

static void top_note(const struct cfg_loader *ld, enum cfg_top_row r,
		     char *buf, size_t len)
{
	src_note(&ld->top[r], buf, len);
}

/* A value error at row `r` of list entry `i` (interfaces, zones). */
static void entry_err(struct cfg_loader *ld, const char *list, unsigned i,
		      const struct cfg_table *t, size_t r, const void *base,
		      const struct cfg_src *src, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

static void entry_err(struct cfg_loader *ld, const char *list, unsigned i,
		      const struct cfg_table *t, size_t r, const void *base,
		      const struct cfg_src *src, const char *fmt, ...)
{
	char path[96], val[300], msg[512];
	va_list ap;

	snprintf(path, sizeof(path), "%s[%u].%s", list, i, t->rows[r].key);
	src_text(&src[r], &t->rows[r], base, val, sizeof(val));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_err_value(ld, src[r].mark, path, val, "%s", msg);
}

/* ---- defaults that depend on other keys --------------------------------- */

static void derive_iface_defaults(struct sl_config *cfg)
{
	static const char *const kernel_names[SL_CFG_MAX_IFACES] = {
		"sluice0", "sluice1"
	};

	for (unsigned i = 0; i < cfg->n_ifaces; i++)
		if (!(cfg->iface_from_file[i] & (1u << IF_KERNEL)))
			snprintf(cfg->ifaces[i].kernel_iface,
				 sizeof(cfg->ifaces[i].kernel_iface), "%s",
				 kernel_names[i]);
}

/* Zone ports count up per protocol in file order: 7001, 7002 ... for SIP,
 * 6001, 6002 ... for H.323, as traversal servers number them. */
static void derive_zone_defaults(struct sl_config *cfg)
{
	unsigned n_sip = 0, n_h323 = 0;

	for (unsigned i = 0; i < cfg->n_zones; i++) {
		struct sl_zone *z = &cfg->zones[i];
		bool sip = z->protocol == SL_ZONE_SIP;
		unsigned idx = sip ? n_sip++ : n_h323++;

		if (!(cfg->zone_from_file[i] & (1u << ZN_PORT)))
			z->port = (uint16_t)((sip ? SIP_ZONE_BASE_PORT
						  : H323_ZONE_BASE_PORT) + idx);
		if (!(cfg->zone_from_file[i] & (1u << ZN_TRANSPORT)))
			z->transport = sip ? SL_ZONE_TCP : SL_ZONE_UDP;
	}
}

void cfg_derive_defaults(struct cfg_loader *ld)
{
	struct sl_config *cfg = ld->cfg;
	bool large = cfg->profile == SL_PROFILE_LARGE;

	derive_iface_defaults(cfg);
	derive_zone_defaults(cfg);
	/* Port multiplexing puts every TURN listener on the first port. */
	if (large && cfg->turn.port_multiplexing && !cfg->from_file[R_TURN_LISTEN])
		cfg->turn.listen.hi = cfg->turn.listen.lo;
	cfg->media.demux_pairs = large ? SL_CFG_LARGE_DEMUX_PAIRS : 1;
	cfg->media.demux_configured = cfg->from_file[R_MEDIA_DEMUX];
	if (!cfg->media.demux_configured)
		cfg->media.demux_rtp_port = cfg->media.ports.lo;
}

/* ---- interfaces ---------------------------------------------------------- */

static void iface_err(struct cfg_loader *ld, unsigned i, enum cfg_iface_row r,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void iface_err(struct cfg_loader *ld, unsigned i, enum cfg_iface_row r,
		      const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	entry_err(ld, "interfaces", i, &cfg_iface_table, r, &ld->cfg->ifaces[i],
		  ld->iface[i], "%s", msg);
}

static void subnet_text(const struct sl_iface *f, char *buf, size_t len)
{
	char a[16];

	cfg_format_ipv4(f->address & htonl(cfg_prefix_mask(f->prefix_len)), a,
			sizeof(a));
	snprintf(buf, len, "%s/%u", a, f->prefix_len);
}

static void check_gateway(struct cfg_loader *ld, unsigned i)
{
	const struct sl_iface *f = &ld->cfg->ifaces[i];
	uint32_t mask = cfg_prefix_mask(f->prefix_len);
	uint32_t gw = ntohl(f->gateway), addr = ntohl(f->address);
	char net[24];

	if (!f->has_gateway)
		return;
	subnet_text(f, net, sizeof(net));
	if ((gw & mask) != (addr & mask))
		iface_err(ld, i, IF_GATEWAY,
			  "outside the subnet %s of interfaces[%u].address",
			  net, i);
	else if (gw == addr)
		iface_err(ld, i, IF_GATEWAY, "is the interface's own address");
	else if (f->prefix_len <= 30 && ((gw & ~mask) == 0 ||
					 (gw & ~mask) == ~mask))
		iface_err(ld, i, IF_GATEWAY,
			  "is the network or broadcast address of %s", net);
}

/* Reports the later of two entries that share a value that must be unique;
 * for a defaulted value, the written one. */
static void iface_dup(struct cfg_loader *ld, unsigned a, unsigned b,
		      enum cfg_iface_row r, const char *what)
{
	bool at_a = report_at_first(&ld->iface[a][r], &ld->iface[b][r]);
	unsigned rep = at_a ? a : b, other = at_a ? b : a;
	char note[48];

	src_note(&ld->iface[other][r], note, sizeof(note));
	iface_err(ld, rep, r, "duplicate %s, also interfaces[%u] %s", what,
		  other, note);
}

static void check_iface_pair(struct cfg_loader *ld, unsigned a, unsigned b)
{
	const struct sl_iface *fa = &ld->cfg->ifaces[a], *fb = &ld->cfg->ifaces[b];
	unsigned len = fa->prefix_len < fb->prefix_len ? fa->prefix_len
						       : fb->prefix_len;
	uint32_t mask = cfg_prefix_mask(len);
	char net_a[24], net_b[24];

	if (fa->role == fb->role)
		iface_dup(ld, a, b, IF_NAME, "interface name");
	if (strcmp(fa->device, fb->device) == 0)
		iface_dup(ld, a, b, IF_DEVICE, "device");
	if (strcmp(fa->kernel_iface, fb->kernel_iface) == 0)
		iface_dup(ld, a, b, IF_KERNEL, "kernel interface");
	if ((ntohl(fa->address) & mask) == (ntohl(fb->address) & mask)) {
		subnet_text(fa, net_a, sizeof(net_a));
		subnet_text(fb, net_b, sizeof(net_b));
		iface_err(ld, b, IF_ADDRESS,
			  "subnet %s overlaps the subnet %s of interfaces[%u].address given at line %zu",
			  net_b, net_a, a, ld->iface[a][IF_ADDRESS].mark.line + 1);
	}
}

static void check_interfaces(struct cfg_loader *ld)
{
	const struct sl_config *cfg = ld->cfg;
	bool has_external = false;

	for (unsigned i = 0; i < cfg->n_ifaces; i++) {
		check_gateway(ld, i);
		has_external |= cfg->ifaces[i].role == SL_IFACE_EXTERNAL;
		for (unsigned j = i + 1; j < cfg->n_ifaces; j++)
			check_iface_pair(ld, i, j);
	}
	if (!has_external)
		cfg_err_key(ld, ld->top[R_INTERFACES].mark, "interfaces",
			    "an interface named external is required");
}

/* ---- credentials --------------------------------------------------------- */

static int cred_index_cmp(const void *pa, const void *pb, void *arg)
{
	const struct sl_credential *creds = arg;
	unsigned a = *(const unsigned *)pa, b = *(const unsigned *)pb;
	int c = strcmp(creds[a].username, creds[b].username);

	return c != 0 ? c : (a > b) - (a < b);
}

/* Sorted, so that a store of tens of thousands of users stays quick. */
static void check_credentials(struct cfg_loader *ld)
{
	const struct sl_config *cfg = ld->cfg;
	unsigned *idx, first = 0;
	char path[64];

	if (cfg->n_creds < 2)
		return;
	idx = malloc(cfg->n_creds * sizeof(*idx));
	if (idx == NULL) {
		cfg_err_key(ld, ld->top[R_CREDENTIALS].mark, "credentials",
			    "out of memory");
		return;
	}
	for (unsigned i = 0; i < cfg->n_creds; i++)
		idx[i] = i;
	qsort_r(idx, cfg->n_creds, sizeof(*idx), cred_index_cmp, cfg->creds);
	for (unsigned k = 1; k < cfg->n_creds; k++) {
		unsigned i = idx[k];

		if (strcmp(cfg->creds[i].username,
			   cfg->creds[idx[k - 1]].username) != 0) {
			first = i;
			continue;
		}
		snprintf(path, sizeof(path), "credentials[%u].username", i);
		cfg_err_value(ld, ld->cred[i * CR_ROW_COUNT + CR_USERNAME].mark,
			      path, cfg->creds[i].username,
			      "duplicate username, first given at line %zu",
			      ld->cred[first * CR_ROW_COUNT + CR_USERNAME].mark.line + 1);
	}
	free(idx);
}

/* ---- TURN ---------------------------------------------------------------- */

static void check_turn_listen(struct cfg_loader *ld)
{
	const struct sl_config *cfg = ld->cfg;
	bool large = cfg->profile == SL_PROFILE_LARGE;
	bool range = cfg->turn.listen.lo != cfg->turn.listen.hi;

	if (!large && range)
		top_err(ld, R_TURN_LISTEN,
			"a TURN listening port range is only allowed on the large profile");
	if (!large && cfg->turn.port_multiplexing)
		top_err(ld, R_TURN_MUX,
			"TURN port multiplexing is only allowed on the large profile");
	if (large && cfg->turn.port_multiplexing && range)
		top_err(ld, R_TURN_LISTEN,
			"with turn.port_multiplexing all TURN listening is on one port");
}

/* ---- turn.relay_addresses ------------------------------------------------ */

/* Addresses in an entry. */
static uint64_t prefix_size(const struct sl_ipv4_prefix *p)
{
	return UINT64_C(1) << (32 - p->len);
}

static bool prefix_holds(const struct sl_ipv4_prefix *p, uint32_t addr_net)
{
	return (ntohl(addr_net) & cfg_prefix_mask(p->len)) == ntohl(p->addr);
}

/* A rule broken by entry i of turn.relay_addresses. */
static void raddr_err(struct cfg_loader *ld, unsigned i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void raddr_err(struct cfg_loader *ld, unsigned i, const char *fmt, ...)
{
	const struct cfg_src *src = &ld->raddr[i];
	char path[48], msg[256];
	va_list ap;

	snprintf(path, sizeof(path), "turn.relay_addresses[%u]", i);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_err_value(ld, src->mark, path,
		      src->node != NULL ? src->node->text : "", "%s", msg);
}

/* The interface whose subnet holds all of p, or -1. */
static int raddr_iface(const struct sl_config *cfg,
		       const struct sl_ipv4_prefix *p)
{
	for (unsigned k = 0; k < cfg->n_ifaces; k++) {
		const struct sl_iface *f = &cfg->ifaces[k];
		struct sl_ipv4_prefix net = { .len = f->prefix_len };

		net.addr = htonl(ntohl(f->address) &
				 cfg_prefix_mask(f->prefix_len));
		if (p->len >= f->prefix_len && prefix_holds(&net, p->addr))
			return (int)k;
	}
	return -1;
}

/* What of interface f's own an entry may not hold; NULL when nothing. */
static const char *raddr_clash(const struct sl_iface *f,
			       const struct sl_ipv4_prefix *p)
{
	uint32_t net = ntohl(f->address) & cfg_prefix_mask(f->prefix_len);
	uint32_t bcast = net | ~cfg_prefix_mask(f->prefix_len);

	if (prefix_holds(p, f->address))
		return "address";
	if (f->has_gateway && prefix_holds(p, f->gateway))
		return "gateway";
	if (f->has_public_address && prefix_holds(p, f->public_address))
		return "public_address";
	if (f->prefix_len <= 30 && (prefix_holds(p, htonl(net)) ||
				    prefix_holds(p, htonl(bcast))))
		return "subnet's network or broadcast address";
	return NULL;
}

static void check_turn_relay_addrs(struct cfg_loader *ld)
{
	const struct sl_config *cfg = ld->cfg;
	uint64_t total = 0;

	for (unsigned i = 0; i < cfg->turn.n_relay_addresses; i++) {
		const struct sl_ipv4_prefix *p = &cfg->turn.relay_addresses[i];
		int k = raddr_iface(cfg, p);
		const char *what;
		char note[48];

		if (k < 0) {
			raddr_err(ld, i, "is not inside any interface's subnet "
				  "(the interface answers ARP for its relay "
				  "addresses)");
			continue;
		}
		what = raddr_clash(&cfg->ifaces[k], p);
		if (what != NULL) {
			raddr_err(ld, i, "holds interfaces[%d]'s %s", k, what);
			continue;
		}
		for (unsigned j = 0; j < i; j++) {
			const struct sl_ipv4_prefix *q =
				&cfg->turn.relay_addresses[j];

			if (prefix_holds(p, q->addr) ||
			    prefix_holds(q, p->addr)) {
				src_note(&ld->raddr[j], note, sizeof(note));
				raddr_err(ld, i, "overlaps turn.relay_addresses"
					  "[%u] %s", j, note);
				break;
			}
		}
		total += prefix_size(p);
		if (total > SL_CFG_MAX_RELAY_ADDRS) {
			raddr_err(ld, i, "brings the relay addresses to %llu, "
				  "more than %u", (unsigned long long)total,
				  SL_CFG_MAX_RELAY_ADDRS);
			return;
		}
	}
}

/* Relay addresses: the interface's and turn.relay_addresses'. */
static uint64_t relay_addr_count(const struct sl_config *cfg)
{
	uint64_t n = 1;

	for (unsigned i = 0; i < cfg->turn.n_relay_addresses; i++)
		n += prefix_size(&cfg->turn.relay_addresses[i]);
	return n;
}

static void check_turn_capacity(struct cfg_loader *ld)
{
	const struct sl_config *cfg = ld->cfg;
	uint32_t ports = (uint32_t)cfg->turn.relay.hi - cfg->turn.relay.lo + 1;
	uint64_t addrs = relay_addr_count(cfg), relays = ports * addrs;
	char note[48], range[16], on[48] = "";

	cfg_format_range(&cfg->turn.relay, range, sizeof(range));
	if (addrs > 1)
		snprintf(on, sizeof(on), " on %llu relay addresses",
			 (unsigned long long)addrs);
	if (cfg->turn.relay_capacity > relays) {
		if (report_at_first(&ld->top[R_TURN_CAPACITY],
				    &ld->top[R_TURN_RELAY])) {
			top_note(ld, R_TURN_RELAY, note, sizeof(note));
			top_err(ld, R_TURN_CAPACITY,
				"exceeds the %llu ports of turn.relay_ports (%s)%s %s",
				(unsigned long long)relays, range, on, note);
		} else {
			top_note(ld, R_TURN_CAPACITY, note, sizeof(note));
			top_err(ld, R_TURN_RELAY,
				"holds %llu ports%s, fewer than turn.relay_capacity %u %s",
				(unsigned long long)relays, on,
				cfg->turn.relay_capacity, note);
		}
	}
	if (cfg->turn.allocations_per_user > cfg->turn.relay_capacity) {
		if (report_at_first(&ld->top[R_TURN_ALLOC_PER_USER],
				    &ld->top[R_TURN_CAPACITY])) {
			top_note(ld, R_TURN_CAPACITY, note, sizeof(note));
			top_err(ld, R_TURN_ALLOC_PER_USER,
				"exceeds turn.relay_capacity %u %s",
				cfg->turn.relay_capacity, note);
		} else {
			top_note(ld, R_TURN_ALLOC_PER_USER, note, sizeof(note));
			top_err(ld, R_TURN_CAPACITY,
				"is below turn.allocations_per_user %u %s",
				cfg->turn.allocations_per_user, note);
		}
	}
}

static void cluster_err(struct cfg_loader *ld, unsigned i,
			enum cfg_cluster_row r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void cluster_err(struct cfg_loader *ld, unsigned i,
			enum cfg_cluster_row r, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	entry_err(ld, "turn.cluster_peers", i, &cfg_cluster_table, r,
		  &ld->cfg->turn.cluster_peers[i], ld->cluster[i], "%s", msg);
}

/* A cluster needs its secret and TURN; a peer is another appliance, named
 * once. */
static void check_turn_cluster(struct cfg_loader *ld)
{
	const struct sl_config *cfg = ld->cfg;
	unsigned n = cfg->turn.n_cluster_peers;

	if (n == 0)
		return;
	if (ld->top[R_TURN_CLUSTER_SECRET].node == NULL)
		cfg_err_key(ld, ld->top[R_TURN_CLUSTER_SECRET].mark,
			    "turn.cluster_secret",
			    "missing required key when turn.cluster_peers is "
			    "not empty (the announcements are authenticated)");
	if (!cfg->turn.enabled)
		top_err(ld, R_TURN_CLUSTER_PEERS,
			"a TURN cluster needs turn.enabled true");
	for (unsigned i = 0; i < n; i++) {
		const struct sl_cluster_peer *p = &cfg->turn.cluster_peers[i];

		for (unsigned k = 0; k < cfg->n_ifaces; k++) {
			const struct sl_iface *f = &cfg->ifaces[k];

			if (p->address == f->address ||
			    (f->has_public_address &&
			     p->address == f->public_address))
				cluster_err(ld, i, CL_ADDRESS,
					    "is this appliance's own address "
					    "(interfaces[%u]), not a peer", k);
		}
		for (unsigned j = 0; j < i; j++) {
			const struct sl_cluster_peer *q =
				&cfg->turn.cluster_peers[j];

			if (q->address == p->address &&
			    q->turn_port == p->turn_port)
				cluster_err(ld, i, CL_ADDRESS,
					    "duplicate peer (address and "
					    "turn_port), first given at line "
					    "%zu",
					    ld->cluster[j][CL_ADDRESS].mark.line
					    + 1);
		}
	}
}

static void check_turn(struct cfg_loader *ld)
{
	if (ld->cfg->turn.enabled && ld->top[R_TURN_REALM].node == NULL)
		cfg_err_key(ld, ld->top[R_TURN_REALM].mark, "turn.realm",
			    "missing required key when turn.enabled is true");
	check_turn_listen(ld);
	check_turn_relay_addrs(ld);
	check_turn_capacity(ld);
	check_turn_cluster(ld);
}

/* SIP TLS needs both files; which one is missing is named. */
static void check_sip_tls(struct cfg_loader *ld)
{
	bool cert = ld->top[R_SIP_TLS_CERT].node != NULL;
	bool key = ld->top[R_SIP_TLS_KEY].node != NULL;

	if (cert && !key)
		cfg_err_key(ld, ld->top[R_SIP_TLS_KEY].mark, "sip.tls_key",
			    "missing required key when sip.tls_certificate is given");
	if (key && !cert)
		cfg_err_key(ld, ld->top[R_SIP_TLS_CERT].mark,
			    "sip.tls_certificate",
			    "missing required key when sip.tls_key is given");
}

/* ---- media ---------------------------------------------------------------- */

static void check_media(struct cfg_loader *ld)
{
	const struct sl_config *cfg = ld->cfg;
	const struct sl_port_range *p = &cfg->media.ports;
	unsigned pairs = ((unsigned)p->hi - p->lo + 1) / 2;
	unsigned demux = cfg->media.demux_pairs;
	unsigned port = cfg->media.demux_rtp_port;
	char range[16];

	cfg_format_range(p, range, sizeof(range));
	if (cfg->profile == SL_PROFILE_LARGE && cfg->media.demux_configured)
		top_err(ld, R_MEDIA_DEMUX,
			"on the large profile the demultiplexing ports are always the first %u pairs of media.ports",
			SL_CFG_LARGE_DEMUX_PAIRS);
	else if (cfg->media.demux_configured && (port < p->lo || port + 1 > p->hi))
		top_err(ld, R_MEDIA_DEMUX,
			"the pair %u-%u is outside media.ports (%s)", port,
			port + 1, range);
	if (pairs < demux + 1)
		top_err(ld, R_MEDIA_PORTS,
			"holds %u RTP/RTCP pair(s), needs at least %u (%u demultiplexing plus one media pair)",
			pairs, demux + 1, demux);
}

/* ---- zones ----------------------------------------------------------------- */

static void zone_err(struct cfg_loader *ld, unsigned i, enum cfg_zone_row r,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void zone_err(struct cfg_loader *ld, unsigned i, enum cfg_zone_row r,
		     const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	entry_err(ld, "zones", i, &cfg_zone_table, r, &ld->cfg->zones[i],
		  ld->zone[i], "%s", msg);
}

static bool credential_exists(const struct sl_config *cfg, const char *user)
{
	for (unsigned i = 0; i < cfg->n_creds; i++)
		if (strcmp(cfg->creds[i].username, user) == 0)
			return true;
	return false;
}

/* A TLS client zone verifies the server: it names the CAs to trust. */
static void check_zone_tls(struct cfg_loader *ld, unsigned i)
{
	const struct sl_zone *z = &ld->cfg->zones[i];
	bool ca = ld->zone[i][ZN_CA_CERT].node != NULL;
	char path[64];

	if (z->transport != SL_ZONE_TLS) {
		if (ca)
			zone_err(ld, i, ZN_CA_CERT, "only on a TLS zone");
		if (ld->zone[i][ZN_SERVER_NAME].node != NULL)
			zone_err(ld, i, ZN_SERVER_NAME, "only on a TLS zone");
		return;
	}
	if (z->role == SL_ZONE_SERVER &&
	    ld->zone[i][ZN_SERVER_NAME].node != NULL)
		zone_err(ld, i, ZN_SERVER_NAME, "only on a client zone");
	if (z->role == SL_ZONE_CLIENT && !ca) {
		snprintf(path, sizeof(path), "zones[%u].ca_certificate", i);
		cfg_err_key(ld, ld->zone[i][ZN_CA_CERT].mark, path,
			    "missing required key on a TLS client zone (the "
			    "server's certificate is verified against it)");
	}
}

static void check_zone(struct cfg_loader *ld, unsigned i)
{
	const struct sl_zone *z = &ld->cfg->zones[i];
	char path[64];

	if (z->protocol == SL_ZONE_SIP && z->transport == SL_ZONE_UDP)
		zone_err(ld, i, ZN_TRANSPORT, "a SIP zone uses tcp or tls");
	if (z->protocol == SL_ZONE_H323 && z->transport != SL_ZONE_UDP)
		zone_err(ld, i, ZN_TRANSPORT, "an H.323 zone uses udp");
	if (z->transport == SL_ZONE_TLS && z->role == SL_ZONE_SERVER &&
	    ld->top[R_SIP_TLS_CERT].node == NULL)
		zone_err(ld, i, ZN_TRANSPORT, "a TLS server zone needs "
			 "sip.tls_certificate and sip.tls_key");
	if (z->role == SL_ZONE_CLIENT && ld->zone[i][ZN_PEER].node == NULL) {
		snprintf(path, sizeof(path), "zones[%u].peer", i);
		cfg_err_key(ld, ld->zone[i][ZN_PEER].mark, path,
			    "missing required key on a client zone");
	}
	if (z->role == SL_ZONE_SERVER && ld->zone[i][ZN_PEER].node != NULL)
		zone_err(ld, i, ZN_PEER, "not allowed on a server zone");
	if (!credential_exists(ld->cfg, z->username))
		zone_err(ld, i, ZN_USERNAME, "names no entry of credentials");
	check_zone_tls(ld, i);
	for (unsigned j = 0; j < i; j++)
		if (strcmp(ld->cfg->zones[j].name, z->name) == 0)
			zone_err(ld, i, ZN_NAME,
				 "duplicate zone name, first given at line %zu",
				 ld->zone[j][ZN_NAME].mark.line + 1);
}

/* ---- sip.routes -------------------------------------------------------------- */

static void route_err(struct cfg_loader *ld, unsigned i, enum cfg_route_row r,
		      const char *msg)
{
	entry_err(ld, "sip.routes", i, &cfg_route_table, r,
		  &ld->cfg->sip.routes[i], ld->route[i], "%s", msg);
}

static bool sip_zone_exists(const struct sl_config *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->n_zones; i++)
		if (cfg->zones[i].protocol == SL_ZONE_SIP &&
		    strcmp(cfg->zones[i].name, name) == 0)
			return true;
	return false;
}

/* Exactly one destination; a zone must be a SIP zone of this file; the
 * target's address and port are kept parsed for the B2BUA. */
static void check_route(struct cfg_loader *ld, unsigned i)
{
	struct sl_sip_route *rt = &ld->cfg->sip.routes[i];
	const struct cfg_src *src = ld->route[i];
	const char *end;
	uint32_t a;
	char path[64];

	if (src[RT_ZONE].node == NULL && src[RT_TARGET].node == NULL) {
		snprintf(path, sizeof(path), "sip.routes[%u]", i);
		cfg_err_key(ld, src[RT_ZONE].mark, path,
			    "needs a zone or a target");
		return;
	}
	if (src[RT_ZONE].node != NULL && src[RT_TARGET].node != NULL) {
		route_err(ld, i, RT_TARGET, "not allowed with zone (a route has "
			  "one destination)");
		return;
	}
	if (src[RT_ZONE].node != NULL && !sip_zone_exists(ld->cfg, rt->zone))
		route_err(ld, i, RT_ZONE, "names no SIP zone of zones[]");
	if (src[RT_TARGET].node != NULL &&
	    cfg_parse_ipv4(rt->target, &end, &a) && *end == ':') {
		rt->target_ip = htonl(a);
		rt->target_port = (uint16_t)strtoul(end + 1, NULL, 10);
	}
}

/* ---- dataplane ------------------------------------------------------------- */

/* The mark of whichever of these rows was written last (the one that made a
 * derived minimum too large), or of the first row. */
static yaml_mark_t latest_written(const struct cfg_loader *ld,
				  const enum cfg_top_row *rows, size_t n)
{
	const struct cfg_src *best = &ld->top[rows[0]];

	for (size_t i = 1; i < n; i++)
		if (report_at_first(&ld->top[rows[i]], best))
			best = &ld->top[rows[i]];
	return best->mark;
}

static void check_mbufs(struct cfg_loader *ld)
{
	const struct sl_config *cfg = ld->cfg;
	uint64_t w = cfg->dataplane.workers, n = cfg->n_ifaces;
	uint64_t rx = cfg->dataplane.rx_descriptors;
	uint64_t tx = cfg->dataplane.tx_descriptors;
	uint64_t punt = cfg->dataplane.punt_ring_size;
	uint64_t min = n * w * (rx + tx) + 2 * w * punt + 1024;
	static const enum cfg_top_row why[] = { R_DP_MBUFS, R_DP_WORKERS,
		R_DP_RXD, R_DP_TXD, R_DP_PUNT_RING, R_INTERFACES };
	char val[24], note[48];

	if (cfg->dataplane.mbufs >= min)
		return;
	snprintf(val, sizeof(val), "%u", cfg->dataplane.mbufs);
	top_note(ld, R_DP_MBUFS, note, sizeof(note));
	cfg_err_value(ld, latest_written(ld, why, sizeof(why) / sizeof(why[0])),
		      "dataplane.mbufs", ld->top[R_DP_MBUFS].node ?
		      ld->top[R_DP_MBUFS].node->text : val,
		      "below the minimum %llu = %llu interface(s) x %llu worker(s) x (%llu + %llu descriptors) + 2 x %llu worker(s) x %llu punt ring + 1024%s%s",
		      (unsigned long long)min, (unsigned long long)n,
		      (unsigned long long)w, (unsigned long long)rx,
		      (unsigned long long)tx, (unsigned long long)w,
		      (unsigned long long)punt,
		      ld->top[R_DP_MBUFS].node ? "" : " ",
		      ld->top[R_DP_MBUFS].node ? "" : note);
}

/* DPDK's mempool refuses a per-lcore cache above n / 1.5. */
static void check_mbuf_cache(struct cfg_loader *ld)
{
	const struct sl_config *cfg = ld->cfg;

	if ((uint64_t)cfg->dataplane.mbuf_cache * 3 >
	    (uint64_t)cfg->dataplane.mbufs * 2)
		top_err(ld, R_DP_MBUF_CACHE,
			"exceeds dataplane.mbufs / 1.5 = %u",
			(unsigned)((uint64_t)cfg->dataplane.mbufs * 2 / 3));
}

/* ---- port overlaps ----------------------------------------------------------- */

enum { P_UDP = 1, P_TCP = 2 };

struct port_use {
	char key[48];
	struct sl_port_range r;
	unsigned protos;
	const struct cfg_src *src;
	char text[32];
};

static const struct { enum cfg_top_row row; unsigned protos; } port_rows[] = {
	{ R_MEDIA_PORTS, P_UDP },     { R_TURN_LISTEN, P_UDP | P_TCP },
	{ R_TURN_RELAY, P_UDP },      { R_SIP_UDP, P_UDP },
	{ R_H323_RAS, P_UDP },        { R_EPHEMERAL, P_UDP | P_TCP },
	{ R_SIP_TCP, P_TCP },         { R_SIP_TLS, P_TCP },
	{ R_SIP_OUTBOUND, P_TCP },    { R_H323_Q931, P_TCP },
	{ R_H323_ASSENT, P_TCP },     { R_H323_H46018, P_TCP },
	{ R_H323_CALLSIG, P_TCP },
};

#define N_PORT_ROWS (sizeof(port_rows) / sizeof(port_rows[0]))

static void add_top_use(const struct cfg_loader *ld, struct port_use *u,
			enum cfg_top_row r, unsigned protos)
{
	const struct cfg_row *row = &cfg_top_table.rows[r];
	const char *p = (const char *)ld->cfg + row->offset;

	snprintf(u->key, sizeof(u->key), "%s", row->key);
	if (row->type == CFG_T_RANGE) {
		memcpy(&u->r, p, sizeof(u->r));
	} else {
		memcpy(&u->r.lo, p, sizeof(u->r.lo));
		u->r.hi = u->r.lo;
	}
	u->protos = protos;
	u->src = &ld->top[r];
	src_text(u->src, row, ld->cfg, u->text, sizeof(u->text));
}

/* Only a server zone listens on its port; a client's is the far end's. */
static unsigned add_zone_uses(const struct cfg_loader *ld, struct port_use *u)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ld->cfg->n_zones; i++) {
		const struct sl_zone *z = &ld->cfg->zones[i];

		if (z->role != SL_ZONE_SERVER)
			continue;
		snprintf(u[n].key, sizeof(u[n].key), "zones[%u].port", i);
		u[n].r.lo = u[n].r.hi = z->port;
		u[n].protos = z->protocol == SL_ZONE_SIP ? P_TCP : P_UDP;
		u[n].src = &ld->zone[i][ZN_PORT];
		snprintf(u[n].text, sizeof(u[n].text), "%u", z->port);
		n++;
	}
	return n;
}

static const char *proto_name(unsigned protos)
{
	return protos == (P_UDP | P_TCP) ? "UDP+TCP"
	       : protos == P_UDP ? "UDP" : "TCP";
}

static void report_overlap(struct cfg_loader *ld, const struct port_use *a,
			   const struct port_use *b)
{
	const struct port_use *rep = report_at_first(a->src, b->src) ? a : b;
	const struct port_use *other = rep == a ? b : a;
	char range[16], note[48];

	cfg_format_range(&other->r, range, sizeof(range));
	src_note(other->src, note, sizeof(note));
	cfg_err_value(ld, rep->src->mark, rep->key, rep->text,
		      "overlaps %s (%s, %s) %s", other->key, range,
		      proto_name(other->protos), note);
}

static void check_port_overlaps(struct cfg_loader *ld)
{
	struct port_use uses[N_PORT_ROWS + 1 + SL_CFG_MAX_ZONES];
	unsigned n = 0;

	for (size_t i = 0; i < N_PORT_ROWS; i++)
		add_top_use(ld, &uses[n++], port_rows[i].row, port_rows[i].protos);
	/* the cluster exchange listens only when there is a cluster */
	if (ld->cfg->turn.n_cluster_peers > 0)
		add_top_use(ld, &uses[n++], R_TURN_CLUSTER_PORT, P_UDP);
	n += add_zone_uses(ld, &uses[n]);
	for (unsigned i = 0; i < n; i++) {
		for (unsigned j = i + 1; j < n; j++) {
			const struct port_use *a = &uses[i], *b = &uses[j];

			if ((a->protos & b->protos) && a->r.lo <= b->r.hi &&
			    b->r.lo <= a->r.hi)
				report_overlap(ld, a, b);
		}
	}
}

void cfg_check_cross_rules(struct cfg_loader *ld)
{
	check_interfaces(ld);
	check_credentials(ld);
	check_turn(ld);
	check_sip_tls(ld);
	check_media(ld);
	for (unsigned i = 0; i < ld->cfg->n_zones; i++)
		check_zone(ld, i);
	for (unsigned i = 0; i < ld->cfg->sip.n_routes; i++)
		check_route(ld, i);
	check_mbufs(ld);
	check_mbuf_cache(ld);
	check_port_overlaps(ld);
}
