/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_config_profiles.c — the shipped configurations load, give each
 * profile's effective values, and survive print -> load -> print.
 *
 *   test_config_profiles small.yaml medium.yaml large.yaml example.yaml
 *
 * Files are told apart by their base name.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sl_config.h"
#include "sl_config_int.h"  /* R_TOP_COUNT: the schema's row count */

static int failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__,         \
				__LINE__, #cond);                              \
			failures++;                                            \
		}                                                              \
	} while (0)

#define CHECK_RANGE(r, l, h) CHECK((r).lo == (l) && (r).hi == (h))

static char *print_to_string(const struct sl_config *cfg, bool secrets)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *ms = open_memstream(&buf, &len);

	if (ms == NULL)
		abort();
	sl_config_print(cfg, ms, secrets);
	fclose(ms);
	return buf;
}

/* Drops the provenance comments: after a reload every key is "# file". */
static void strip_origin(char *text)
{
	char *out = text;

	for (char *line = text; *line != '\0';) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *c = NULL;

		for (char *p = line; p + 3 < line + len; p++)
			if (strncmp(p, "  # ", 4) == 0 &&
			    (strncmp(p + 4, "file", 4) == 0 ||
			     strncmp(p + 4, "profile ", 8) == 0))
				c = p;
		memmove(out, line, c ? (size_t)(c - line) : len);
		out += c ? (size_t)(c - line) : len;
		if (nl != NULL)
			*out++ = '\n';
		line += len + (nl != NULL);
	}
	*out = '\0';
}

/* Two configs are equal in everything but provenance and the file name. */
static bool same_config(const struct sl_config *a, const struct sl_config *b)
{
	struct sl_config *x = malloc(sizeof(*x)), *y = malloc(sizeof(*y));
	bool same;

	memcpy(x, a, sizeof(*x));
	memcpy(y, b, sizeof(*y));
	memset(x->path, 0, sizeof(x->path));
	memset(y->path, 0, sizeof(y->path));
	memset(x->from_file, 0, sizeof(x->from_file));
	memset(y->from_file, 0, sizeof(y->from_file));
	memset(x->iface_from_file, 0, sizeof(x->iface_from_file));
	memset(y->iface_from_file, 0, sizeof(y->iface_from_file));
	memset(x->zone_from_file, 0, sizeof(x->zone_from_file));
	memset(y->zone_from_file, 0, sizeof(y->zone_from_file));
	x->creds = y->creds = NULL;
	x->media.demux_configured = y->media.demux_configured = false;
	same = memcmp(x, y, sizeof(*x)) == 0 && a->n_creds == b->n_creds &&
	       (a->n_creds == 0 ||
		memcmp(a->creds, b->creds, a->n_creds * sizeof(*a->creds)) == 0);
	free(x);
	free(y);
	return same;
}

/* print -> load -> print gives the same text (origin comments aside) and
 * the same config, and a second round is byte-identical. */
static void check_round_trip(const struct sl_config *cfg)
{
	char *p1 = print_to_string(cfg, true), *p2, *p3;
	struct sl_config *c2, *c3;

	c2 = sl_config_load_buffer(cfg->path, p1, strlen(p1), stderr);
	CHECK(c2 != NULL);
	if (c2 == NULL) {
		fprintf(stderr, "printed:\n%s", p1);
		free(p1);
		return;
	}
	CHECK(same_config(cfg, c2));
	p2 = print_to_string(c2, true);
	c3 = sl_config_load_buffer(cfg->path, p2, strlen(p2), stderr);
	CHECK(c3 != NULL);
	p3 = c3 ? print_to_string(c3, true) : strdup("");
	CHECK(strcmp(p2, p3) == 0);
	strip_origin(p1);
	strip_origin(p2);
	CHECK(strcmp(p1, p2) == 0);
	if (strcmp(p1, p2) != 0)
		fprintf(stderr, "--- first\n%s--- second\n%s", p1, p2);
	free(p1);
	free(p2);
	free(p3);
	sl_config_free(c2);
	sl_config_free(c3);
}

static void check_secrets_redacted(const struct sl_config *cfg)
{
	char *p = print_to_string(cfg, false);

	for (unsigned i = 0; i < cfg->n_creds; i++)
		CHECK(strstr(p, cfg->creds[i].password) == NULL);
	CHECK(cfg->n_creds == 0 || strstr(p, "\"<redacted>\"") != NULL);
	free(p);
}

static void check_common(const struct sl_config *c)
{
	char a[INET_ADDRSTRLEN];

	CHECK(c->n_ifaces >= 1);
	CHECK(c->ifaces[0].role == SL_IFACE_EXTERNAL);
	CHECK(strcmp(c->ifaces[0].device, "net_af_packet0,iface=veth-ext") == 0);
	inet_ntop(AF_INET, &c->ifaces[0].address, a, sizeof(a));
	CHECK(strcmp(a, "192.0.2.10") == 0);
	CHECK(c->ifaces[0].prefix_len == 24);
	CHECK(c->ifaces[0].has_gateway);
	CHECK(ntohl(c->ifaces[0].gateway) == 0xc0000201);
	CHECK(strcmp(c->ifaces[0].kernel_iface, "sluice0") == 0);
	CHECK(strcmp(c->turn.realm, "relay.example") == 0);
	CHECK(c->turn.enabled);
	CHECK(c->n_creds >= 1);
	CHECK_RANGE(c->turn.relay, 24000, 29999);
	CHECK_RANGE(c->media.ports, 36000, 59999);
	CHECK(c->sip.udp_port == 5060 && c->sip.tcp_port == 5060);
	CHECK(c->sip.tls_port == 5061);
	CHECK_RANGE(c->sip.tcp_outbound, 25000, 29999);
	CHECK(c->h323.ras_port == 1719 && c->h323.q931_port == 1720);
	CHECK(c->h323.assent_port == 2776 && c->h323.h46018_port == 2777);
	CHECK_RANGE(c->h323.call_signaling, 15000, 19999);
	CHECK_RANGE(c->ephemeral, 30000, 35999);
	CHECK(c->turn.allocations_per_user == 10);
	CHECK(c->turn.permissions_per_allocation == 32);
	CHECK(c->dataplane.mbuf_cache == 256 && c->dataplane.burst == 32);
	CHECK(c->dataplane.tx_flush_us == 100);
	CHECK(c->dataplane.punt_ring_size == 1024);
	CHECK(!c->dataplane.idle_backoff);
	CHECK(c->dataplane.idle_threshold_us == 1000);
	CHECK(c->dataplane.idle_sleep_us == 100);
	CHECK(c->log.level == SL_LOG_INFO && !c->log.syslog);
	CHECK(c->media.demux_rtp_port == 36000);
}

static void check_small_medium(const struct sl_config *c)
{
	CHECK_RANGE(c->turn.listen, 3478, 3478);
	CHECK(!c->turn.port_multiplexing);
	CHECK(c->turn.relay_capacity == 1800);
	CHECK(c->media.demux_pairs == 1);
	CHECK(c->capacity.rich_media_sessions == 150);
	CHECK(c->capacity.registrations == 2500);
	CHECK(c->dataplane.rx_descriptors == 1024);
	CHECK(c->dataplane.tx_descriptors == 1024);
}

static void check_small(const struct sl_config *c)
{
	CHECK(c->profile == SL_PROFILE_SMALL);
	check_small_medium(c);
	CHECK(!c->media.demux_configured);
	CHECK(c->capacity.media_legs == 16384);
	CHECK(c->dataplane.workers == 1);
	CHECK(c->dataplane.mbufs == 16383);
	CHECK(c->n_zones == 0 && c->turn.n_allowed_peers == 0);
}

static void check_medium(const struct sl_config *c)
{
	CHECK(c->profile == SL_PROFILE_MEDIUM);
	check_small_medium(c);
	CHECK(!c->media.demux_configured);
	CHECK(c->capacity.media_legs == 131072);
	CHECK(c->dataplane.workers == 2);
	CHECK(c->dataplane.mbufs == 32767);
}

static void check_large(const struct sl_config *c)
{
	CHECK(c->profile == SL_PROFILE_LARGE);
	CHECK_RANGE(c->turn.listen, 3478, 3483);
	CHECK(!c->turn.port_multiplexing);
	CHECK(c->turn.relay_capacity == 6000);
	CHECK(c->media.demux_pairs == 6);
	CHECK(!c->media.demux_configured);
	CHECK(c->capacity.rich_media_sessions == 500);
	CHECK(c->capacity.registrations == 5000);
	CHECK(c->capacity.media_legs == 1048576);
	CHECK(c->dataplane.workers == 4);
	CHECK(c->dataplane.rx_descriptors == 2048);
	CHECK(c->dataplane.tx_descriptors == 2048);
	CHECK(c->dataplane.mbufs == 131071);
}

static void check_example(const struct sl_config *c)
{
	CHECK(c->profile == SL_PROFILE_SMALL);
	CHECK(c->n_ifaces == 2);
	CHECK(c->ifaces[1].role == SL_IFACE_INTERNAL);
	CHECK(strcmp(c->ifaces[1].kernel_iface, "sluice1") == 0);
	CHECK(c->ifaces[0].has_public_address && !c->ifaces[1].has_gateway);
	CHECK(c->media.demux_configured && c->media.demux_pairs == 1);
	CHECK(c->n_zones == 2);
	CHECK(c->zones[0].transport == SL_ZONE_TLS && c->zones[0].port == 7001);
	CHECK(c->zones[1].role == SL_ZONE_CLIENT);
	CHECK(c->zones[1].transport == SL_ZONE_UDP && c->zones[1].port == 6001);
	CHECK(strcmp(c->zones[1].peer, "traversal.example.net") == 0);
	CHECK(c->turn.n_allowed_peers == 1);
	CHECK(c->turn.allowed_peers[0].len == 24);
	CHECK(c->turn.n_cluster_peers == 1);
	CHECK(c->turn.cluster_peers[0].address == htonl(0xcb007114) &&
	      c->turn.cluster_peers[0].turn_port == 3478 &&
	      c->turn.cluster_peers[0].has_control_address &&
	      c->turn.cluster_peers[0].control_address == htonl(0xc6336414) &&
	      c->turn.cluster_peers[0].control_port == 3490);
	CHECK(c->turn.cluster_port == 3490 && c->turn.cluster_interval_s == 5);
	CHECK(c->turn.rest_secret_grace_s == 300);
	CHECK(c->sip.n_routes == 2 && c->sip.call_auth &&
	      c->sip.max_call_duration_s == 7200 &&
	      c->sip.media_timeout_s == 60);
	CHECK(strcmp(c->sip.routes[0].user, "+4420") == 0 &&
	      c->sip.routes[0].target_ip == htonl(0xc6336414) &&
	      c->sip.routes[0].target_port == 5060 &&
	      c->sip.routes[0].zone[0] == '\0');
	CHECK(c->sip.routes[1].user[0] == '\0' &&
	      strcmp(c->sip.routes[1].zone, "branch-office") == 0);
	/* Every key is in the example: nothing came from the profile. */
	for (unsigned r = 0; r < R_TOP_COUNT; r++)
		CHECK(c->from_file[r]);
}

static void check_file(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct sl_config *c = sl_config_load(path, stderr);

	CHECK(c != NULL);
	if (c == NULL)
		return;
	check_common(c);
	if (strcmp(base, "small.yaml") == 0)
		check_small(c);
	else if (strcmp(base, "medium.yaml") == 0)
		check_medium(c);
	else if (strcmp(base, "large.yaml") == 0)
		check_large(c);
	else if (strcmp(base, "example.yaml") == 0)
		check_example(c);
	else
		CHECK(!"unknown shipped file");
	check_round_trip(c);
	check_secrets_redacted(c);
	sl_config_free(c);
}

static unsigned count_lines(const char *s)
{
	unsigned n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Loads `yaml` expecting a refusal; returns how many error lines it gave. */
static unsigned error_count(const char *yaml)
{
	char *errs = NULL;
	size_t len = 0;
	FILE *ms = open_memstream(&errs, &len);
	struct sl_config *c;
	unsigned n;

	if (ms == NULL)
		abort();
	c = sl_config_load_buffer("t.yaml", yaml, strlen(yaml), ms);
	fclose(ms);
	CHECK(c == NULL);
	sl_config_free(c);
	n = count_lines(errs);
	if (n == 0)
		fprintf(stderr, "no errors for:\n%s", yaml);
	free(errs);
	return n;
}

#define VALID_HEAD                                                             \
	"profile: small\n"                                                     \
	"interfaces:\n"                                                        \
	"  - { name: external, device: net_null0, address: 192.0.2.10/24 }\n"  \
	"turn:\n"                                                              \
	"  realm: relay.example\n"

/* Every error is reported, and rules between keys wait for clean keys. */
static void check_error_collection(void)
{
	/* Three independent per-key errors: three lines. */
	CHECK(error_count(VALID_HEAD "  enabled: yes\n"
				     "sip:\n  udp_port: 80\n"
				     "bogus: 1\n") == 3);
	/* Two overlaps (listen with media; ras with sip.udp_port): two lines. */
	CHECK(error_count(VALID_HEAD "  listen_ports: 36000\n"
				     "h323:\n  ras_port: 5060\n") == 2);
	/* A per-key error hides the cross-key overlap in the same file. */
	CHECK(error_count(VALID_HEAD "  listen_ports: 36000\n"
				     "log:\n  syslog: maybe\n") == 1);
}

/* Server zone ports number the server zones only: a box that is also a
 * client (chained traversal) keeps 7001 for its first server zone. */
static void check_zone_ports(void)
{
	static const char yaml[] = VALID_HEAD
		"credentials:\n  - { username: z, password: zone-secret }\n"
		"zones:\n"
		"  - { name: up, role: client, protocol: sip, peer: 192.0.2.1,"
		" port: 7005, username: z }\n"
		"  - { name: a, role: server, protocol: sip, username: z }\n"
		"  - { name: h, role: server, protocol: h323, username: z }\n"
		"  - { name: b, role: server, protocol: sip, username: z }\n";
	struct sl_config *c = sl_config_load_buffer("zones.yaml", yaml,
						    strlen(yaml), stderr);

	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK(c->zones[0].port == 7005 && c->zones[1].port == 7001 &&
	      c->zones[2].port == 6001 && c->zones[3].port == 7002);
	sl_config_free(c);
}

/* The loader's own corner cases that are not rule violations. */
static void check_api_corners(void)
{
	errno = 0;
	CHECK(sl_config_load("/nonexistent/sluice.yaml", NULL) == NULL);
	CHECK(errno == ENOENT);
	errno = 0;
	CHECK(sl_config_load_buffer("empty", "", 0, NULL) == NULL);
	CHECK(errno == EINVAL);
	CHECK(strcmp(sl_profile_name(SL_PROFILE_LARGE), "large") == 0);
	CHECK(strcmp(sl_iface_role_name(SL_IFACE_INTERNAL), "internal") == 0);
	sl_config_free(NULL);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s CONFIG.yaml...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		check_file(argv[i]);
	check_api_corners();
	check_error_collection();
	check_zone_ports();
	if (failures != 0)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures != 0;
}
