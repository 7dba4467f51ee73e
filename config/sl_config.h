/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sl_config.h — the appliance configuration: one YAML file, validated whole
 * before anything starts.
 *
 * Shared by sluice-dp, sluice-cp and sluicectl. Pure C (libyaml only): no DPDK,
 * no OpenSSL, so it is unit-tested and fuzzed on its own.
 *
 *   load:  YAML --libyaml events--> key/value nodes with file:line:col
 *          --schema table (key, type, bounds, default per profile, reload)-->
 *          struct sl_config  --cross-field rules--> accepted or rejected whole
 *
 * Every error names the file, line and column, the key, the value and the rule
 * it broke, one error per line:
 *
 *   small.yaml:12:10: error: media.ports = "1000-2000": port 1000 is outside 1024-65535
 *
 * Defaults come from `profile:` (small | medium | large, the design's port
 * table); an explicit key overrides its profile default. Nothing is clamped and
 * nothing falls back silently: a value that breaks a rule is an error.
 */
#ifndef SL_CONFIG_H
#define SL_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define SL_CFG_MAX_IFACES     2     /* external, and optionally internal */
#define SL_CFG_MAX_ZONES      64
#define SL_CFG_MAX_PEERS      64    /* turn.allowed_peers entries */
#define SL_CFG_MAX_RELAY_NETS 16    /* turn.relay_addresses entries */
#define SL_CFG_MAX_RELAY_ADDRS 64   /* addresses they hold together */
#define SL_CFG_MAX_RELAYS     (1u << 22) /* turn.relay_capacity */
#define SL_CFG_MAX_CREDS      65536
#define SL_CFG_NAME_MAX       64
#define SL_CFG_DEVICE_MAX     256
#define SL_CFG_USER_MAX       128   /* bytes, without the NUL */
#define SL_CFG_PASS_MAX       128
#define SL_CFG_REALM_MAX      128
#define SL_CFG_IFNAME_MAX     16    /* IFNAMSIZ, with the NUL */
#define SL_CFG_LARGE_DEMUX_PAIRS 6
#define SL_CFG_MAX_CLUSTER_PEERS 16 /* turn.cluster_peers entries */
#define SL_CFG_MAX_SIP_ROUTES 64   /* sip.routes entries */

enum sl_profile {
	SL_PROFILE_SMALL,
	SL_PROFILE_MEDIUM,
	SL_PROFILE_LARGE,
	SL_PROFILE_COUNT
};

enum sl_iface_role {
	SL_IFACE_EXTERNAL,
	SL_IFACE_INTERNAL,
};

enum sl_zone_role {
	SL_ZONE_SERVER,
	SL_ZONE_CLIENT,
};

enum sl_zone_protocol {
	SL_ZONE_SIP,
	SL_ZONE_H323,
};

enum sl_zone_transport {
	SL_ZONE_TCP,
	SL_ZONE_TLS,
	SL_ZONE_UDP,
};

enum sl_log_level {
	SL_LOG_ERR,
	SL_LOG_WARNING,
	SL_LOG_NOTICE,
	SL_LOG_INFO,
	SL_LOG_DEBUG,
};

/* An inclusive UDP/TCP port range; a single port has lo == hi. */
struct sl_port_range {
	uint16_t lo;
	uint16_t hi;
};

/* IPv4 address and prefix length. Addresses are in network byte order. */
struct sl_ipv4_prefix {
	uint32_t addr;
	uint8_t len;
};

struct sl_iface {
	enum sl_iface_role role;          /* key `name`: external | internal */
	char device[SL_CFG_DEVICE_MAX];   /* PCI address or DPDK vdev string */
	uint32_t address;                 /* network order */
	uint8_t prefix_len;
	bool has_gateway;
	uint32_t gateway;
	bool has_public_address;
	uint32_t public_address;          /* static NAT address advertised */
	char kernel_iface[SL_CFG_IFNAME_MAX]; /* exception-path interface,
					       * default sluice0 / sluice1 */
};

struct sl_credential {
	char username[SL_CFG_USER_MAX + 1];
	char password[SL_CFG_PASS_MAX + 1];
};

/* A peer appliance of the TURN cluster (turn.cluster_peers[]). */
struct sl_cluster_peer {
	uint32_t address;                 /* network order: its TURN listener,
					   * named in ALTERNATE-SERVER */
	bool has_address;
	uint16_t turn_port;
	uint32_t control_address;         /* its sluice-cp's cluster exchange;
					   * default: address */
	bool has_control_address;
	uint16_t control_port;
};

struct sl_zone {
	char name[SL_CFG_NAME_MAX];
	enum sl_zone_role role;
	enum sl_zone_protocol protocol;
	enum sl_zone_transport transport; /* sip: tcp|tls; h323: udp */
	uint16_t port;                    /* the zone port on the server */
	char peer[SL_CFG_DEVICE_MAX];     /* client: the server's address */
	char username[SL_CFG_USER_MAX + 1]; /* client: credential to present */
	uint32_t keepalive_s;
	/* TLS: PEM CA certificates. client: the server's certificate must
	 * chain to one (required); server: "" = no client certificate asked,
	 * else the client must present one that chains to these (mutual TLS) */
	char ca_certificate[SL_CFG_DEVICE_MAX];
	char server_name[SL_CFG_DEVICE_MAX]; /* client, TLS: name or IPv4 the
					      * server's certificate must
					      * carry; "" = peer */
};

/* A static SIP route (sip.routes[]): INVITEs whose Request-URI user starts
 * with `user` go to a SIP zone or to target_ip:target_port over UDP. */
struct sl_sip_route {
	char user[SL_CFG_USER_MAX + 1];   /* prefix; "" = every user */
	char zone[SL_CFG_NAME_MAX];       /* "" = none: target */
	char target[SL_CFG_NAME_MAX];     /* "A.B.C.D:PORT"; "" = none: zone */
	uint32_t target_ip;               /* network order, from target */
	uint16_t target_port;
};

struct sl_config {
	char path[4096];                  /* the file it came from */
	enum sl_profile profile;

	struct sl_iface ifaces[SL_CFG_MAX_IFACES];
	unsigned n_ifaces;

	struct sl_credential *creds;      /* malloc'd, n_creds entries */
	unsigned n_creds;

	struct {
		bool enabled;
		char realm[SL_CFG_REALM_MAX + 1];
		struct sl_port_range listen;  /* a range only on large */
		bool port_multiplexing;       /* large: all on listen.lo */
		struct sl_port_range relay;
		/* extra addresses relays are given from, each inside one
		 * interface's subnet (the interface answers ARP for it) */
		struct sl_ipv4_prefix relay_addresses[SL_CFG_MAX_RELAY_NETS];
		unsigned n_relay_addresses;
		uint32_t relay_capacity;
		uint32_t allocations_per_user;
		uint32_t permissions_per_allocation;
		struct sl_ipv4_prefix allowed_peers[SL_CFG_MAX_PEERS];
		unsigned n_allowed_peers;
		char rest_secret[SL_CFG_PASS_MAX + 1]; /* "": no REST users */
		uint32_t rest_secret_grace_s; /* the replaced secret's grace */
		bool stun_binding;            /* unauthenticated Binding */
		bool software;                /* SOFTWARE in responses */
		uint32_t unauth_rate;         /* per source, per second */
		struct sl_cluster_peer cluster_peers[SL_CFG_MAX_CLUSTER_PEERS];
		unsigned n_cluster_peers;
		char cluster_secret[SL_CFG_PASS_MAX + 1]; /* HMAC key */
		uint16_t cluster_port;        /* our exchange (UDP) */
		uint32_t cluster_interval_s;  /* between two announcements */
	} turn;

	struct {
		struct sl_port_range ports;   /* the traversal media range */
		bool demux_configured;        /* media.demux_rtp_port given */
		uint16_t demux_rtp_port;      /* RTP port of the first pair */
		unsigned demux_pairs;         /* 1 (small/medium) or 6 (large) */
	} media;

	struct {
		uint16_t udp_port;
		uint16_t tcp_port;
		uint16_t tls_port;
		struct sl_port_range tcp_outbound;
		char realm[SL_CFG_REALM_MAX + 1];     /* "" = "sluice" */
		char tls_certificate[SL_CFG_DEVICE_MAX]; /* PEM file, "" = no TLS */
		char tls_key[SL_CFG_DEVICE_MAX];
		bool call_auth;                       /* digest on public INVITEs */
		uint32_t max_call_duration_s;         /* 0: unlimited */
		uint32_t media_timeout_s;             /* 0: off */
		struct sl_sip_route routes[SL_CFG_MAX_SIP_ROUTES];
		unsigned n_routes;
	} sip;

	struct {
		uint16_t ras_port;
		uint16_t q931_port;
		uint16_t assent_port;
		uint16_t h46018_port;
		struct sl_port_range call_signaling;
	} h323;

	struct sl_port_range ephemeral;

	struct sl_zone zones[SL_CFG_MAX_ZONES];
	unsigned n_zones;

	struct {
		uint32_t rich_media_sessions;
		uint32_t registrations;
		uint32_t media_legs;          /* flow-table capacity */
	} capacity;

	struct {
		uint32_t workers;             /* worker lcores */
		uint32_t rx_descriptors;      /* per RX queue, power of 2 */
		uint32_t tx_descriptors;      /* per TX queue, power of 2 */
		uint32_t mbufs;               /* per port mempool */
		uint32_t mbuf_cache;
		uint32_t burst;               /* packets per rx_burst, <= 64 */
		uint32_t tx_flush_us;         /* TX buffer drain timer */
		uint32_t punt_ring_size;      /* worker <-> exception path, pow2 */
		bool idle_backoff;            /* sleep when idle; off by default */
		uint32_t idle_threshold_us;   /* empty polls for this long ... */
		uint32_t idle_sleep_us;       /* ... then sleep this long */
	} dataplane;

	struct {
		enum sl_log_level level;
		bool syslog;
	} log;

	/* Provenance for sl_config_print(): 1 where the file gave the key,
	 * indexed by the schema row (private to sl_config.c). */
	uint8_t from_file[256];

	/* The same for list entries: bit r is set where the file gave row r of
	 * the entry's table (private to the config library). */
	uint16_t iface_from_file[SL_CFG_MAX_IFACES];
	uint16_t zone_from_file[SL_CFG_MAX_ZONES];
	uint16_t cluster_from_file[SL_CFG_MAX_CLUSTER_PEERS];
	uint16_t route_from_file[SL_CFG_MAX_SIP_ROUTES];
};

/*
 * Load and validate `path`. Returns a config the caller frees with
 * sl_config_free(), or NULL when the file cannot be read or breaks any rule;
 * then every error found is written to `errs`, one per line, in the format
 * above, and errno is set (EINVAL for rule violations, else the I/O error).
 */
struct sl_config *sl_config_load(const char *path, FILE *errs);

/* Same, from a buffer; `name` stands for the file name in messages. */
struct sl_config *sl_config_load_buffer(const char *name, const char *buf,
					size_t len, FILE *errs);

void sl_config_free(struct sl_config *cfg);

/*
 * Write the effective configuration as YAML, every key, each with a trailing
 * comment saying whether it came from the file or from the profile. With
 * show_secrets false passwords print as "<redacted>"; with it true the output
 * is accepted back by sl_config_load() and prints again unchanged.
 */
void sl_config_print(const struct sl_config *cfg, FILE *out, bool show_secrets);

const char *sl_profile_name(enum sl_profile p);
const char *sl_iface_role_name(enum sl_iface_role r);

/* Write the schema table as a markdown table (docs/configuration.md). */
void sl_config_print_schema(FILE *out);

#endif /* SL_CONFIG_H */
