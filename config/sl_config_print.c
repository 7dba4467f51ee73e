/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sl_config_print.c — the effective configuration as YAML, and the schema as
 * a markdown table.
 *
 * The YAML printer writes every key in schema order with a trailing comment
 * saying where the value came from ("# file" or "# profile small"). Keys that
 * are not set, or whose value is derived and must not be written back (the
 * demultiplexing port when it follows media.ports), print as comments, so
 * that with show_secrets the output loads back to the same configuration.
 */
#include <string.h>

#include "sl_config_int.h"

/* ---- YAML scalars ------------------------------------------------------- */

/* Decodes one UTF-8 sequence of a NUL-terminated string (libyaml has
 * validated the encoding; a stray byte decodes as itself). */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] >= 0xc0 && s[0] < 0xe0 && (s[1] & 0xc0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] >= 0xe0 && s[0] < 0xf0 && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x0f) << 12 |
		      (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		return 3;
	}
	if (s[0] >= 0xf0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
	    (s[3] & 0xc0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x07) << 18 |
		      (uint32_t)(s[1] & 0x3f) << 12 |
		      (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
		return 4;
	}
	*cp = s[0];
	return 1;
}

/* YAML's printable set; anything else must be escaped to survive a reload
 * (a raw U+2028 inside quotes would be folded as a line break). */
static bool yaml_printable(uint32_t cp)
{
	return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) ||
	       (cp >= 0xe000 && cp <= 0xfffd && cp != 0xfeff) ||
	       (cp >= 0x10000 && cp <= 0x10ffff);
}

void cfg_print_scalar_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', out);
	while (*p != '\0') {
		uint32_t cp;
		size_t n = utf8_decode(p, &cp);

		if (cp == '"' || cp == '\\')
			fprintf(out, "\\%c", (char)cp);
		else if (yaml_printable(cp))
			fwrite(p, 1, n, out);
		else if (cp < 0x100)
			fprintf(out, "\\x%02x", cp);
		else if (cp < 0x10000)
			fprintf(out, "\\u%04x", cp);
		else
			fprintf(out, "\\U%08x", cp);
		p += n;
	}
	fputc('"', out);
}

static void print_value(FILE *out, const struct cfg_row *row, const void *base,
			bool show_secrets)
{
	char buf[SL_CFG_DEVICE_MAX + 32];

	if (row->type == CFG_T_STRING) {
		bool secret = (strcmp(row->key, "password") == 0 ||
			       strcmp(row->key, "turn.rest_secret") == 0 ||
			       strcmp(row->key, "turn.cluster_secret") == 0) &&
			      !show_secrets;

		cfg_print_scalar_string(out, secret ? "<redacted>"
					     : (const char *)base + row->offset);
		return;
	}
	cfg_format_value(row, base, buf, sizeof(buf));
	fputs(buf, out);
}

static void print_origin(FILE *out, bool from_file, enum sl_profile p)
{
	if (from_file)
		fputs("  # file\n", out);
	else
		fprintf(out, "  # profile %s\n", sl_profile_name(p));
}

/* Optional keys left out print as comments, never as an empty value. */
static bool row_is_set(const struct cfg_row *row, const void *base)
{
	const char *p = (const char *)base;

	if (row->type == CFG_T_IPV4)
		return *(const bool *)(p + row->offset2);
	if (row->type == CFG_T_STRING && (row->flags & CFG_OPTIONAL))
		return p[row->offset] != '\0';
	return true;
}

/* ---- list entries -------------------------------------------------------- */

static void print_entry(FILE *out, const char *indent,
			const struct cfg_table *t, const void *base,
			unsigned from_file_bits, enum sl_profile profile,
			bool show_secrets)
{
	bool first = true;

	for (size_t r = 0; r < t->n_rows; r++) {
		const struct cfg_row *row = &t->rows[r];
		const char *lead = first ? "- " : "  ";

		if (!row_is_set(row, base)) {
			fprintf(out, "%s%s# %s: not set\n", indent, lead,
				row->key);
		} else {
			fprintf(out, "%s%s%s: ", indent, lead, row->key);
			print_value(out, row, base, show_secrets);
			print_origin(out, from_file_bits & (1u << r), profile);
		}
		first = false;
	}
}

/* "key: []" for an empty list, else "key:" and the caller's entries. */
static bool print_list_head(const struct sl_config *cfg, FILE *out,
			    const char *indent, const char *key,
			    enum cfg_top_row r, unsigned n)
{
	fprintf(out, "%s%s:%s", indent, key, n == 0 ? " []" : "");
	print_origin(out, cfg->from_file[r], cfg->profile);
	return n != 0;
}

void cfg_print_ifaces(const struct sl_config *cfg, FILE *out,
		      const char *indent, bool show_secrets)
{
	print_list_head(cfg, out, indent, "interfaces", R_INTERFACES,
			cfg->n_ifaces);
	for (unsigned i = 0; i < cfg->n_ifaces; i++)
		print_entry(out, "  ", &cfg_iface_table, &cfg->ifaces[i],
			    cfg->iface_from_file[i], cfg->profile, show_secrets);
}

void cfg_print_creds(const struct sl_config *cfg, FILE *out,
		     const char *indent, bool show_secrets)
{
	print_list_head(cfg, out, indent, "credentials", R_CREDENTIALS,
			cfg->n_creds);
	for (unsigned i = 0; i < cfg->n_creds; i++)
		print_entry(out, "  ", &cfg_cred_table, &cfg->creds[i],
			    (1u << CR_ROW_COUNT) - 1, cfg->profile,
			    show_secrets);
}

void cfg_print_zones(const struct sl_config *cfg, FILE *out,
		     const char *indent, bool show_secrets)
{
	print_list_head(cfg, out, indent, "zones", R_ZONES, cfg->n_zones);
	for (unsigned i = 0; i < cfg->n_zones; i++)
		print_entry(out, "  ", &cfg_zone_table, &cfg->zones[i],
			    cfg->zone_from_file[i], cfg->profile, show_secrets);
}

void cfg_print_routes(const struct sl_config *cfg, FILE *out,
		      const char *indent, bool show_secrets)
{
	print_list_head(cfg, out, indent, "routes", R_SIP_ROUTES,
			cfg->sip.n_routes);
	for (unsigned i = 0; i < cfg->sip.n_routes; i++)
		print_entry(out, "    ", &cfg_route_table, &cfg->sip.routes[i],
			    cfg->route_from_file[i], cfg->profile,
			    show_secrets);
}

static void print_prefix_list(const struct sl_config *cfg, FILE *out,
			      const char *indent, const char *name,
			      enum cfg_top_row r,
			      const struct sl_ipv4_prefix *p, unsigned n)
{
	char a[16];

	print_list_head(cfg, out, indent, name, r, n);
	for (unsigned i = 0; i < n; i++) {
		cfg_format_ipv4(p[i].addr, a, sizeof(a));
		fprintf(out, "%s  - %s/%u\n", indent, a, p[i].len);
	}
}

void cfg_print_cluster(const struct sl_config *cfg, FILE *out,
		       const char *indent, bool show_secrets)
{
	char entry_indent[16];

	snprintf(entry_indent, sizeof(entry_indent), "%s  ", indent);
	print_list_head(cfg, out, indent, "cluster_peers",
			R_TURN_CLUSTER_PEERS, cfg->turn.n_cluster_peers);
	for (unsigned i = 0; i < cfg->turn.n_cluster_peers; i++)
		print_entry(out, entry_indent, &cfg_cluster_table,
			    &cfg->turn.cluster_peers[i],
			    cfg->cluster_from_file[i], cfg->profile,
			    show_secrets);
}

void cfg_print_peers(const struct sl_config *cfg, FILE *out,
		     const char *indent, bool show_secrets)
{
	(void)show_secrets;
	print_prefix_list(cfg, out, indent, "allowed_peers", R_TURN_PEERS,
			  cfg->turn.allowed_peers, cfg->turn.n_allowed_peers);
}

void cfg_print_relay_addrs(const struct sl_config *cfg, FILE *out,
			   const char *indent, bool show_secrets)
{
	(void)show_secrets;
	print_prefix_list(cfg, out, indent, "relay_addresses",
			  R_TURN_RELAY_ADDRS, cfg->turn.relay_addresses,
			  cfg->turn.n_relay_addresses);
}

/* ---- the whole configuration ---------------------------------------------- */

/* Prints "section:" when a row opens a new one; returns the key's leaf. */
static const char *enter_section(FILE *out, const char *key, char *cur,
				 size_t cur_len)
{
	const char *dot = strchr(key, '.');
	size_t n = dot ? (size_t)(dot - key) : 0;

	if (n != strlen(cur) || strncmp(cur, key, n) != 0) {
		snprintf(cur, cur_len, "%.*s", (int)n, key);
		if (n != 0)
			fprintf(out, "%s:\n", cur);
	}
	return dot ? dot + 1 : key;
}

/* The demultiplexing port is written back only when the file set it:
 * otherwise it follows media.ports (small/medium) or is fixed (large). */
static bool print_derived_as_comment(const struct sl_config *cfg, FILE *out,
				     enum cfg_top_row r, const char *indent,
				     const char *leaf)
{
	if (r != R_MEDIA_DEMUX || cfg->media.demux_configured)
		return false;
	fprintf(out, "%s# %s: %u  (profile %s: %s)\n", indent, leaf,
		cfg->media.demux_rtp_port, sl_profile_name(cfg->profile),
		cfg->profile == SL_PROFILE_LARGE
			? "always the first 6 pairs of media.ports"
			: "the first pair of media.ports");
	return true;
}

void sl_config_print(const struct sl_config *cfg, FILE *out, bool show_secrets)
{
	char section[32] = "";

	fprintf(out, "# Sluice effective configuration (profile %s)\n",
		sl_profile_name(cfg->profile));
	for (size_t r = 0; r < R_TOP_COUNT; r++) {
		const struct cfg_row *row = &cfg_top_table.rows[r];
		const char *leaf = enter_section(out, row->key, section,
						 sizeof(section));
		const char *indent = section[0] ? "  " : "";

		if (row->type == CFG_T_LIST)
			row->print_list(cfg, out, indent, show_secrets);
		else if (print_derived_as_comment(cfg, out, r, indent, leaf))
			continue;
		else if (!row_is_set(row, cfg))
			fprintf(out, "%s# %s: not set\n", indent, leaf);
		else {
			fprintf(out, "%s%s: ", indent, leaf);
			print_value(out, row, cfg, show_secrets);
			print_origin(out, cfg->from_file[r], cfg->profile);
		}
	}
}

/* ---- schema as markdown ----------------------------------------------------- */

static void schema_type(FILE *out, const struct cfg_row *row)
{
	switch (row->type) {
	case CFG_T_U32:
		fprintf(out, "integer %u-%u", row->min, row->max);
		break;
	case CFG_T_PORT:
		fputs("port 1024-65535", out);
		break;
	case CFG_T_RANGE:
		fputs("port range LOW-HIGH or port", out);
		break;
	case CFG_T_BOOL:
		fputs("true \\| false", out);
		break;
	case CFG_T_ENUM:
		for (size_t i = 0; row->names[i] != NULL; i++)
			fprintf(out, "%s%s", i ? " \\| " : "", row->names[i]);
		break;
	case CFG_T_STRING:
		fprintf(out, "string %u-%u bytes", row->min, row->max);
		break;
	case CFG_T_IFADDR:
		fputs("IPv4/prefix", out);
		break;
	case CFG_T_IPV4:
		fputs("IPv4", out);
		break;
	case CFG_T_LIST:
		fputs("list", out);
		break;
	}
}

static void schema_default(FILE *out, const struct cfg_row *row,
			   enum sl_profile p)
{
	if (row->def[p] != NULL)
		fprintf(out, "`%s`", row->def[p]);
	else if (row->flags & CFG_REQUIRED)
		fputs("required", out);
	else if (row->flags & CFG_DERIVED)
		fputs("derived", out);
	else if (row->type == CFG_T_LIST)
		fputs("`[]`", out);
	else
		fputs("not set", out);
}

static void schema_rows(FILE *out, const struct cfg_table *t)
{
	for (size_t r = 0; r < t->n_rows; r++) {
		const struct cfg_row *row = &t->rows[r];

		fprintf(out, "| `%s%s%s` | ", t->name, *t->name ? "." : "",
			row->key);
		schema_type(out, row);
		for (int p = 0; p < SL_PROFILE_COUNT; p++) {
			fputs(" | ", out);
			schema_default(out, row, (enum sl_profile)p);
		}
		fprintf(out, " | %s | %s |\n",
			row->flags & CFG_RELOADABLE ? "reloadable" : "restart-only",
			row->doc);
	}
}

void sl_config_print_schema(FILE *out)
{
	fputs("| key | type | small | medium | large | applied | rule |\n"
	      "|---|---|---|---|---|---|---|\n", out);
	schema_rows(out, &cfg_top_table);
	schema_rows(out, &cfg_iface_table);
	schema_rows(out, &cfg_cred_table);
	schema_rows(out, &cfg_zone_table);
	schema_rows(out, &cfg_cluster_table);
	schema_rows(out, &cfg_route_table);
}
