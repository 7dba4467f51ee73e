/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sl_config_int.h — private to the config library.
 *
 *   sl_config_yaml.c    libyaml events -> cfg_node tree, every node with its
 *                       start mark; syntax errors reported here
 *   sl_config_schema.c  the schema tables (one row per key) and the value
 *                       parsers / validators the rows name
 *   sl_config.c         load: walk the tree against the tables, apply
 *                       profile defaults, run the cross-field rules
 *   sl_config_rules.c   the cross-field rules (ports, interfaces, zones, ...)
 *   sl_config_print.c   effective-config printer and the schema as markdown
 */
#ifndef SL_CONFIG_INT_H
#define SL_CONFIG_INT_H

#include <stddef.h>
#include <yaml.h>

#include "sl_config.h"

/* ---- YAML tree ---------------------------------------------------------- */

enum cfg_kind {
	CFG_SCALAR,
	CFG_MAP,  /* kids: key, value, key, value, ... */
	CFG_SEQ,
};

struct cfg_node {
	enum cfg_kind kind;
	yaml_mark_t mark;          /* start mark (0-based line/column) */
	char *text;                /* scalar text, NUL-terminated */
	size_t len;                /* scalar length (may hold a NUL before it) */
	struct cfg_node **kids;
	size_t n_kids;
	size_t cap_kids;
};

/* Nesting deeper than this is refused: nothing in the schema goes past 4. */
#define CFG_MAX_DEPTH 64

/* ---- loader state ------------------------------------------------------- */

/* Where a value came from: the file (node set) or a default (node NULL, mark
 * is the enclosing mapping, where a "missing key" error would point). */
struct cfg_src {
	const struct cfg_node *node;
	yaml_mark_t mark;
	bool has_mark;
	bool entry;               /* a list entry's key (default is not the profile's) */
};

struct cfg_loader;

/* ---- schema ------------------------------------------------------------- */

enum cfg_type {
	CFG_T_U32,
	CFG_T_PORT,
	CFG_T_RANGE,
	CFG_T_BOOL,
	CFG_T_ENUM,
	CFG_T_STRING,
	CFG_T_IFADDR,    /* a.b.c.d/len into uint32 addr + uint8 prefix */
	CFG_T_IPV4,      /* a.b.c.d into uint32, sets a bool has_ flag */
	CFG_T_LIST,
};

enum {
	CFG_RELOADABLE = 1u << 0,
	CFG_REQUIRED   = 1u << 1,
	CFG_DERIVED    = 1u << 2,  /* default computed from other keys */
	CFG_OPTIONAL   = 1u << 3,  /* absent means "not set" */
};

struct cfg_row;

/* A single-field validator: runs on the parsed value, writes the rule broken. */
typedef bool cfg_check_fn(const struct cfg_row *row, const void *val,
			  char *why, size_t why_len);
/* Parses a list value (the row's node is known to exist). */
typedef void cfg_list_fn(struct cfg_loader *ld, const struct cfg_row *row,
			 const struct cfg_node *node, const char *path);
typedef void cfg_list_print_fn(const struct sl_config *cfg, FILE *out,
			       const char *indent, bool show_secrets);

struct cfg_row {
	const char *key;                 /* dotted, relative to its table */
	enum cfg_type type;
	uint32_t min, max;               /* U32: value; STRING: length in bytes */
	const char *def[SL_PROFILE_COUNT]; /* default as text, NULL: none */
	unsigned flags;
	size_t offset;                   /* into the table's struct */
	size_t offset2;                  /* IFADDR: prefix; IPV4: has_ flag */
	const char *const *names;        /* ENUM: NULL-terminated */
	cfg_check_fn *check;
	cfg_list_fn *parse_list;
	cfg_list_print_fn *print_list;
	const char *doc;                 /* the rule, for the schema table */
};

struct cfg_table {
	const char *name;                /* "interfaces[]" etc., "" for the top */
	const struct cfg_row *rows;
	size_t n_rows;
};

/* Top-level rows, in print order; from_file[] is indexed by these. */
enum cfg_top_row {
	R_PROFILE,
	R_INTERFACES,
	R_CREDENTIALS,
	R_TURN_ENABLED,
	R_TURN_REALM,
	R_TURN_LISTEN,
	R_TURN_MUX,
	R_TURN_RELAY,
	R_TURN_RELAY_ADDRS,
	R_TURN_CAPACITY,
	R_TURN_ALLOC_PER_USER,
	R_TURN_PERMS,
	R_TURN_PEERS,
	R_TURN_REST_SECRET,
	R_TURN_REST_GRACE,
	R_TURN_BINDING,
	R_TURN_SOFTWARE,
	R_TURN_UNAUTH_RATE,
	R_TURN_CLUSTER_PEERS,
	R_TURN_CLUSTER_SECRET,
	R_TURN_CLUSTER_PORT,
	R_TURN_CLUSTER_INTERVAL,
	R_MEDIA_PORTS,
	R_MEDIA_DEMUX,
	R_SIP_UDP,
	R_SIP_TCP,
	R_SIP_TLS,
	R_SIP_OUTBOUND,
	R_SIP_REALM,
	R_SIP_TLS_CERT,
	R_SIP_TLS_KEY,
	R_SIP_CALL_AUTH,
	R_SIP_MAX_CALL,
	R_SIP_MEDIA_TIMEOUT,
	R_SIP_ROUTES,
	R_H323_RAS,
	R_H323_Q931,
	R_H323_ASSENT,
	R_H323_H46018,
	R_H323_CALLSIG,
	R_EPHEMERAL,
	R_ZONES,
	R_CAP_SESSIONS,
	R_CAP_REGISTRATIONS,
	R_CAP_MEDIA_LEGS,
	R_DP_WORKERS,
	R_DP_RXD,
	R_DP_TXD,
	R_DP_MBUFS,
	R_DP_MBUF_CACHE,
	R_DP_BURST,
	R_DP_TX_FLUSH,
	R_DP_PUNT_RING,
	R_DP_IDLE_BACKOFF,
	R_DP_IDLE_THRESHOLD,
	R_DP_IDLE_SLEEP,
	R_LOG_LEVEL,
	R_LOG_SYSLOG,
	R_TOP_COUNT
};

enum cfg_iface_row {
	IF_NAME, IF_DEVICE, IF_ADDRESS, IF_GATEWAY, IF_PUBLIC, IF_KERNEL,
	IF_ROW_COUNT
};

enum cfg_cred_row { CR_USERNAME, CR_PASSWORD, CR_ROW_COUNT };

enum cfg_zone_row {
	ZN_NAME, ZN_ROLE, ZN_PROTOCOL, ZN_TRANSPORT, ZN_PORT, ZN_PEER,
	ZN_USERNAME, ZN_KEEPALIVE, ZN_CA_CERT, ZN_SERVER_NAME,
	ZN_ROW_COUNT
};

enum cfg_cluster_row {
	CL_ADDRESS, CL_TURN_PORT, CL_CONTROL_ADDRESS, CL_CONTROL_PORT,
	CL_ROW_COUNT
};

extern const struct cfg_table cfg_top_table;
extern const struct cfg_table cfg_iface_table;
extern const struct cfg_table cfg_cred_table;
enum cfg_route_row { RT_USER, RT_ZONE, RT_TARGET, RT_ROW_COUNT };

extern const struct cfg_table cfg_zone_table;
extern const struct cfg_table cfg_cluster_table;
extern const struct cfg_table cfg_route_table;

/* ---- loader ------------------------------------------------------------- */

struct cfg_loader {
	const char *name;                /* file name for messages */
	FILE *errs;                      /* may be NULL: count only */
	unsigned n_errors;
	struct sl_config *cfg;
	struct cfg_src top[R_TOP_COUNT];
	struct cfg_src iface[SL_CFG_MAX_IFACES][IF_ROW_COUNT];
	struct cfg_src zone[SL_CFG_MAX_ZONES][ZN_ROW_COUNT];
	struct cfg_src route[SL_CFG_MAX_SIP_ROUTES][RT_ROW_COUNT];
	struct cfg_src *cred;            /* n_creds * CR_ROW_COUNT */
	struct cfg_src peer[SL_CFG_MAX_PEERS];
	struct cfg_src cluster[SL_CFG_MAX_CLUSTER_PEERS][CL_ROW_COUNT];
	struct cfg_src raddr[SL_CFG_MAX_RELAY_NETS];
};

/* sl_config_yaml.c */
struct cfg_node *cfg_yaml_parse(struct cfg_loader *ld, const char *buf,
				size_t len);
void cfg_node_free(struct cfg_node *n);

/* sl_config.c: error reporting, shared by every file */
void cfg_err_key(struct cfg_loader *ld, yaml_mark_t mark, const char *path,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void cfg_err_value(struct cfg_loader *ld, yaml_mark_t mark, const char *path,
		   const char *value, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void cfg_err_plain(struct cfg_loader *ld, yaml_mark_t mark, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));
void cfg_walk_entry(struct cfg_loader *ld, const struct cfg_node *map,
		    const char *path, const struct cfg_table *t, void *base,
		    struct cfg_src *src);
bool cfg_parse_text(const struct cfg_row *row, const char *text, void *dst,
		    char *why, size_t why_len);

/* sl_config_schema.c: value helpers shared with the rules and printer */
void cfg_format_value(const struct cfg_row *row, const void *base, char *buf,
		      size_t len);
bool cfg_parse_ipv4(const char *s, const char **end, uint32_t *addr_host);
bool cfg_parse_cidr(const char *s, struct sl_ipv4_prefix *p, char *why,
		    size_t why_len);
void cfg_format_ipv4(uint32_t addr_net, char *buf, size_t len);
uint32_t cfg_prefix_mask(unsigned len);
void cfg_format_range(const struct sl_port_range *r, char *buf, size_t len);

/* sl_config_rules.c */
void cfg_derive_defaults(struct cfg_loader *ld);
void cfg_check_cross_rules(struct cfg_loader *ld);

/* sl_config_print.c helpers used by list rows */
void cfg_print_ifaces(const struct sl_config *cfg, FILE *out,
		      const char *indent, bool show_secrets);
void cfg_print_creds(const struct sl_config *cfg, FILE *out,
		     const char *indent, bool show_secrets);
void cfg_print_zones(const struct sl_config *cfg, FILE *out,
		     const char *indent, bool show_secrets);
void cfg_print_peers(const struct sl_config *cfg, FILE *out,
		     const char *indent, bool show_secrets);
void cfg_print_cluster(const struct sl_config *cfg, FILE *out,
		       const char *indent, bool show_secrets);
void cfg_print_relay_addrs(const struct sl_config *cfg, FILE *out,
			   const char *indent, bool show_secrets);
void cfg_print_routes(const struct sl_config *cfg, FILE *out,
		      const char *indent, bool show_secrets);
void cfg_print_scalar_string(FILE *out, const char *s);

/* sl_config.c list parsers */
void cfg_parse_ifaces(struct cfg_loader *ld, const struct cfg_row *row,
		      const struct cfg_node *node, const char *path);
void cfg_parse_creds(struct cfg_loader *ld, const struct cfg_row *row,
		     const struct cfg_node *node, const char *path);
void cfg_parse_zones(struct cfg_loader *ld, const struct cfg_row *row,
		     const struct cfg_node *node, const char *path);
void cfg_parse_peers(struct cfg_loader *ld, const struct cfg_row *row,
		     const struct cfg_node *node, const char *path);
void cfg_parse_cluster(struct cfg_loader *ld, const struct cfg_row *row,
		       const struct cfg_node *node, const char *path);
void cfg_parse_relay_addrs(struct cfg_loader *ld, const struct cfg_row *row,
			   const struct cfg_node *node, const char *path);
void cfg_parse_routes(struct cfg_loader *ld, const struct cfg_row *row,
		      const struct cfg_node *node, const char *path);

#endif /* SL_CONFIG_INT_H */
