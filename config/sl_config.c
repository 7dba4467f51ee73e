/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sl_config.c — load a configuration: read, parse the YAML into a tree
 * (sl_config_yaml.c), walk it against the schema tables
 * (sl_config_schema.c), fill what the file left out from the profile, then
 * run the cross-field rules (sl_config_rules.c). The config is accepted or
 * rejected whole; every error found is reported, not just the first.
 *
 *   file -> tree -> per-key parse + validate -> defaults -> derived defaults
 *        -> cross-field rules (only when every key parsed) -> struct sl_config
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sl_config_int.h"

/* A configuration is a few KiB; refuse anything absurd before reading it. */
#define CFG_MAX_FILE_SIZE (16u << 20)

/* Values are echoed in messages; a very long one is cut so a message stays
 * a readable line. */
#define CFG_MAX_ECHO 120

/* ---- error reporting ---------------------------------------------------- */

/* Writes `s` so that a message stays on one line and quotes stay balanced. */
static void put_escaped(FILE *out, const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < max; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	if (s[i] != '\0')
		fputs("...", out);
}

static void err_prefix(struct cfg_loader *ld, yaml_mark_t mark)
{
	ld->n_errors++;
	if (ld->errs != NULL)
		fprintf(ld->errs, "%s:%zu:%zu: error: ", ld->name, mark.line + 1,
			mark.column + 1);
}

/* Keys whose values are never echoed: passwords and shared secrets. */
static bool is_secret_path(const char *path)
{
	static const char *const tails[] = { ".password", "_secret" };
	size_t n = strlen(path);

	for (unsigned i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		size_t t = strlen(tails[i]);

		if (n >= t && strcmp(path + n - t, tails[i]) == 0)
			return true;
	}
	return false;
}

void cfg_err_plain(struct cfg_loader *ld, yaml_mark_t mark, const char *fmt,
		   ...)
{
	va_list ap;

	err_prefix(ld, mark);
	if (ld->errs == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(ld->errs, fmt, ap);
	va_end(ap);
	fputc('\n', ld->errs);
}

void cfg_err_key(struct cfg_loader *ld, yaml_mark_t mark, const char *path,
		 const char *fmt, ...)
{
	va_list ap;

	err_prefix(ld, mark);
	if (ld->errs == NULL)
		return;
	put_escaped(ld->errs, path, CFG_MAX_ECHO);
	fputs(": ", ld->errs);
	va_start(ap, fmt);
	vfprintf(ld->errs, fmt, ap);
	va_end(ap);
	fputc('\n', ld->errs);
}

void cfg_err_value(struct cfg_loader *ld, yaml_mark_t mark, const char *path,
		   const char *value, const char *fmt, ...)
{
	va_list ap;

	err_prefix(ld, mark);
	if (ld->errs == NULL)
		return;
	put_escaped(ld->errs, path, CFG_MAX_ECHO);
	fputs(" = \"", ld->errs);
	/* A password or secret never reaches a log, even a wrong one. */
	put_escaped(ld->errs, is_secret_path(path) ? "<redacted>" : value,
		    CFG_MAX_ECHO);
	fputs("\": ", ld->errs);
	va_start(ap, fmt);
	vfprintf(ld->errs, fmt, ap);
	va_end(ap);
	fputc('\n', ld->errs);
}

/* ---- walking a mapping against a table ---------------------------------- */

static void path_join(char *buf, size_t len, const char *prefix,
		      const char *key)
{
	snprintf(buf, len, "%s%s%s", prefix, *prefix ? "." : "", key);
}

static const struct cfg_row *table_find(const struct cfg_table *t,
					const char *rel)
{
	for (size_t r = 0; r < t->n_rows; r++)
		if (strcmp(t->rows[r].key, rel) == 0)
			return &t->rows[r];
	return NULL;
}

/* True when `key` lies under `prefix.` (every key lies under ""). */
static bool key_under(const char *key, const char *prefix)
{
	size_t n = strlen(prefix);

	return n == 0 || (strncmp(key, prefix, n) == 0 && key[n] == '.');
}

static bool table_has_section(const struct cfg_table *t, const char *rel)
{
	for (size_t r = 0; r < t->n_rows; r++)
		if (key_under(t->rows[r].key, rel))
			return true;
	return false;
}

static const struct cfg_node *earlier_key(const struct cfg_node *map,
					  size_t i)
{
	const struct cfg_node *k = map->kids[i];

	for (size_t j = 0; j < i; j += 2) {
		const struct cfg_node *e = map->kids[j];

		if (e->kind == CFG_SCALAR && e->len == k->len &&
		    memcmp(e->text, k->text, k->len) == 0)
			return e;
	}
	return NULL;
}

static void parse_row_value(struct cfg_loader *ld, const struct cfg_row *row,
			    const struct cfg_node *v, const char *path,
			    void *base, struct cfg_src *src)
{
	char why[256];

	src->node = v;
	src->mark = v->mark;
	src->has_mark = true;
	if (row->type == CFG_T_LIST) {
		row->parse_list(ld, row, v, path);
		return;
	}
	if (v->kind != CFG_SCALAR) {
		cfg_err_key(ld, v->mark, path, "expected a scalar");
		return;
	}
	if (strlen(v->text) != v->len) {
		cfg_err_value(ld, v->mark, path, v->text,
			      "contains a NUL character");
		return;
	}
	if (!cfg_parse_text(row, v->text, (char *)base + row->offset, why,
			    sizeof(why)))
		cfg_err_value(ld, v->mark, path, v->text, "%s", why);
}

struct walk {
	struct cfg_loader *ld;
	const struct cfg_table *t;
	void *base;
	struct cfg_src *src;
	const char *disp_root;   /* display path of the table's base */
};

static void walk_mapping(const struct walk *w, const struct cfg_node *map,
			 const char *rel_prefix, const char *disp_prefix);

/* One key: a row, a section of rows (a nested mapping), or unknown. */
static void walk_key(const struct walk *w, const struct cfg_node *map,
		     size_t i, const char *rel_prefix, const char *disp_prefix)
{
	const struct cfg_node *k = map->kids[i], *v = map->kids[i + 1], *first;
	const struct cfg_row *row;
	char rel[256], disp[512];
	bool clean;

	if (k->kind != CFG_SCALAR) {
		cfg_err_plain(w->ld, k->mark, "%s%sa key must be a scalar",
			      disp_prefix, *disp_prefix ? ": " : "");
		return;
	}
	path_join(rel, sizeof(rel), rel_prefix, k->text);
	path_join(disp, sizeof(disp), disp_prefix, k->text);
	first = earlier_key(map, i);
	if (first != NULL) {
		cfg_err_key(w->ld, k->mark, disp,
			    "duplicate key, first given at line %zu",
			    first->mark.line + 1);
		return;
	}
	/* A key with a NUL in it would otherwise match the text before it. */
	clean = strlen(k->text) == k->len;
	row = clean ? table_find(w->t, rel) : NULL;
	if (row != NULL) {
		parse_row_value(w->ld, row, v, disp, w->base,
				&w->src[row - w->t->rows]);
	} else if (clean && table_has_section(w->t, rel)) {
		if (v->kind != CFG_MAP)
			cfg_err_key(w->ld, v->mark, disp, "expected a mapping");
		else
			walk_mapping(w, v, rel, disp);
	} else {
		cfg_err_key(w->ld, k->mark, disp, "unknown key");
	}
}

/* Rows under this mapping that the file left out: remember where the mapping
 * is (errors about them point there) and report the required ones. */
static void mark_absent_rows(const struct walk *w, const struct cfg_node *map,
			     const char *rel_prefix)
{
	char disp[512];

	for (size_t r = 0; r < w->t->n_rows; r++) {
		const struct cfg_row *row = &w->t->rows[r];
		struct cfg_src *src = &w->src[r];

		if (!key_under(row->key, rel_prefix) || src->has_mark)
			continue;
		src->mark = map->mark;
		src->has_mark = true;
		if (row->flags & CFG_REQUIRED) {
			path_join(disp, sizeof(disp), w->disp_root, row->key);
			cfg_err_key(w->ld, map->mark, disp,
				    "missing required key");
		}
	}
}

static void walk_mapping(const struct walk *w, const struct cfg_node *map,
			 const char *rel_prefix, const char *disp_prefix)
{
	for (size_t i = 0; i + 1 < map->n_kids; i += 2)
		walk_key(w, map, i, rel_prefix, disp_prefix);
	mark_absent_rows(w, map, rel_prefix);
}

void cfg_walk_entry(struct cfg_loader *ld, const struct cfg_node *map,
		    const char *path, const struct cfg_table *t, void *base,
		    struct cfg_src *src)
{
	struct walk w = { ld, t, base, src, path };

	for (size_t r = 0; r < t->n_rows; r++)
		src[r].entry = true;
	walk_mapping(&w, map, "", path);
}

/* ---- lists -------------------------------------------------------------- */

/* Checks the node is a list of at most `max` entries; false after an error. */
static bool list_shape_ok(struct cfg_loader *ld, const struct cfg_node *node,
			  const char *path, size_t min, size_t max,
			  const char *what)
{
	if (node->kind != CFG_SEQ) {
		cfg_err_key(ld, node->mark, path, "expected a list");
		return false;
	}
	if (node->n_kids < min || node->n_kids > max) {
		cfg_err_key(ld, node->mark, path, "needs %zu to %zu %s, not %zu",
			    min, max, what, node->n_kids);
		return false;
	}
	return true;
}

/* Walks each list item as a mapping of the entry table. */
static void walk_entries(struct cfg_loader *ld, const struct cfg_node *node,
			 const char *path, const struct cfg_table *t,
			 void *entries, size_t entry_size,
			 struct cfg_src *srcs)
{
	char item[300];

	for (size_t i = 0; i < node->n_kids; i++) {
		const struct cfg_node *e = node->kids[i];

		snprintf(item, sizeof(item), "%s[%zu]", path, i);
		if (e->kind != CFG_MAP) {
			cfg_err_key(ld, e->mark, item, "expected a mapping");
			continue;
		}
		cfg_walk_entry(ld, e, item, t,
			       (char *)entries + i * entry_size,
			       srcs + i * t->n_rows);
	}
}

void cfg_parse_ifaces(struct cfg_loader *ld, const struct cfg_row *row,
		      const struct cfg_node *node, const char *path)
{
	(void)row;
	if (!list_shape_ok(ld, node, path, 1, SL_CFG_MAX_IFACES, "interfaces"))
		return;
	ld->cfg->n_ifaces = (unsigned)node->n_kids;
	walk_entries(ld, node, path, &cfg_iface_table, ld->cfg->ifaces,
		     sizeof(ld->cfg->ifaces[0]), &ld->iface[0][0]);
}

void cfg_parse_creds(struct cfg_loader *ld, const struct cfg_row *row,
		     const struct cfg_node *node, const char *path)
{
	size_t n;

	(void)row;
	if (!list_shape_ok(ld, node, path, 0, SL_CFG_MAX_CREDS, "credentials"))
		return;
	n = node->n_kids;
	if (n == 0)
		return;
	ld->cfg->creds = calloc(n, sizeof(*ld->cfg->creds));
	ld->cred = calloc(n * CR_ROW_COUNT, sizeof(*ld->cred));
	if (ld->cfg->creds == NULL || ld->cred == NULL) {
		cfg_err_key(ld, node->mark, path, "out of memory");
		return;
	}
	ld->cfg->n_creds = (unsigned)n;
	walk_entries(ld, node, path, &cfg_cred_table, ld->cfg->creds,
		     sizeof(ld->cfg->creds[0]), ld->cred);
}

void cfg_parse_zones(struct cfg_loader *ld, const struct cfg_row *row,
		     const struct cfg_node *node, const char *path)
{
	(void)row;
	if (!list_shape_ok(ld, node, path, 0, SL_CFG_MAX_ZONES, "zones"))
		return;
	ld->cfg->n_zones = (unsigned)node->n_kids;
	walk_entries(ld, node, path, &cfg_zone_table, ld->cfg->zones,
		     sizeof(ld->cfg->zones[0]), &ld->zone[0][0]);
}

void cfg_parse_routes(struct cfg_loader *ld, const struct cfg_row *row,
		      const struct cfg_node *node, const char *path)
{
	(void)row;
	if (!list_shape_ok(ld, node, path, 0, SL_CFG_MAX_SIP_ROUTES, "routes"))
		return;
	ld->cfg->sip.n_routes = (unsigned)node->n_kids;
	walk_entries(ld, node, path, &cfg_route_table, ld->cfg->sip.routes,
		     sizeof(ld->cfg->sip.routes[0]), &ld->route[0][0]);
}

void cfg_parse_cluster(struct cfg_loader *ld, const struct cfg_row *row,
		       const struct cfg_node *node, const char *path)
{
	(void)row;
	if (!list_shape_ok(ld, node, path, 0, SL_CFG_MAX_CLUSTER_PEERS,
			   "peers"))
		return;
	ld->cfg->turn.n_cluster_peers = (unsigned)node->n_kids;
	walk_entries(ld, node, path, &cfg_cluster_table,
		     ld->cfg->turn.cluster_peers,
		     sizeof(ld->cfg->turn.cluster_peers[0]),
		     &ld->cluster[0][0]);
}

/* A list of IPv4 networks (a bare address is a /32) into out[], each
 * entry's place kept in src[] for the rules. */
static void parse_prefix_list(struct cfg_loader *ld,
			      const struct cfg_node *node, const char *path,
			      size_t max, struct sl_ipv4_prefix *out,
			      unsigned *n_out, struct cfg_src *src)
{
	char item[300], why[160];

	if (!list_shape_ok(ld, node, path, 0, max, "networks"))
		return;
	*n_out = (unsigned)node->n_kids;
	for (size_t i = 0; i < node->n_kids; i++) {
		const struct cfg_node *e = node->kids[i];

		snprintf(item, sizeof(item), "%s[%zu]", path, i);
		src[i].node = e;
		src[i].mark = e->mark;
		src[i].has_mark = true;
		if (e->kind != CFG_SCALAR)
			cfg_err_key(ld, e->mark, item, "expected a scalar");
		else if (strlen(e->text) != e->len)
			cfg_err_value(ld, e->mark, item, e->text,
				      "contains a NUL character");
		else if (!cfg_parse_cidr(e->text, &out[i], why, sizeof(why)))
			cfg_err_value(ld, e->mark, item, e->text, "%s", why);
	}
}

void cfg_parse_peers(struct cfg_loader *ld, const struct cfg_row *row,
		     const struct cfg_node *node, const char *path)
{
	(void)row;
	parse_prefix_list(ld, node, path, SL_CFG_MAX_PEERS,
			  ld->cfg->turn.allowed_peers,
			  &ld->cfg->turn.n_allowed_peers, ld->peer);
}

void cfg_parse_relay_addrs(struct cfg_loader *ld, const struct cfg_row *row,
			   const struct cfg_node *node, const char *path)
{
	(void)row;
	parse_prefix_list(ld, node, path, SL_CFG_MAX_RELAY_NETS,
			  ld->cfg->turn.relay_addresses,
			  &ld->cfg->turn.n_relay_addresses, ld->raddr);
}

/* ---- defaults ------------------------------------------------------------ */

/* Fills every absent row that has a default for the profile. A default that
 * does not parse is a bug in the table, reported rather than ignored. */
static void apply_table_defaults(struct cfg_loader *ld,
				 const struct cfg_table *t, void *base,
				 const struct cfg_src *src)
{
	enum sl_profile p = ld->cfg->profile;
	char why[256];

	for (size_t r = 0; r < t->n_rows; r++) {
		const struct cfg_row *row = &t->rows[r];

		if (src[r].node != NULL || row->def[p] == NULL ||
		    row->type == CFG_T_LIST)
			continue;
		if (!cfg_parse_text(row, row->def[p], (char *)base + row->offset,
				    why, sizeof(why)))
			cfg_err_plain(ld, src[r].mark,
				      "internal error: default %s = \"%s\": %s",
				      row->key, row->def[p], why);
	}
}

static uint16_t entry_provenance(const struct cfg_src *src, size_t n_rows)
{
	uint16_t bits = 0;

	for (size_t r = 0; r < n_rows; r++)
		if (src[r].node != NULL)
			bits |= (uint16_t)(1u << r);
	return bits;
}

static void apply_defaults(struct cfg_loader *ld)
{
	struct sl_config *cfg = ld->cfg;

	apply_table_defaults(ld, &cfg_top_table, cfg, ld->top);
	for (unsigned i = 0; i < cfg->n_ifaces; i++) {
		apply_table_defaults(ld, &cfg_iface_table, &cfg->ifaces[i],
				     ld->iface[i]);
		cfg->iface_from_file[i] =
			entry_provenance(ld->iface[i], IF_ROW_COUNT);
	}
	for (unsigned i = 0; i < cfg->n_zones; i++) {
		apply_table_defaults(ld, &cfg_zone_table, &cfg->zones[i],
				     ld->zone[i]);
		cfg->zone_from_file[i] =
			entry_provenance(ld->zone[i], ZN_ROW_COUNT);
	}
	for (unsigned i = 0; i < cfg->turn.n_cluster_peers; i++) {
		apply_table_defaults(ld, &cfg_cluster_table,
				     &cfg->turn.cluster_peers[i],
				     ld->cluster[i]);
		cfg->cluster_from_file[i] =
			entry_provenance(ld->cluster[i], CL_ROW_COUNT);
	}
	for (unsigned i = 0; i < cfg->sip.n_routes; i++)
		cfg->route_from_file[i] =
			entry_provenance(ld->route[i], RT_ROW_COUNT);
	for (size_t r = 0; r < R_TOP_COUNT; r++)
		cfg->from_file[r] = ld->top[r].node != NULL;
}

/* ---- load ---------------------------------------------------------------- */

static void load_tree(struct cfg_loader *ld, const struct cfg_node *root)
{
	struct cfg_node empty = { .kind = CFG_MAP };
	struct walk w = { ld, &cfg_top_table, ld->cfg, ld->top, "" };

	/* An empty file is an empty mapping: it then lacks the required keys. */
	if (root == NULL)
		root = &empty;
	if (root->kind != CFG_MAP) {
		cfg_err_plain(ld, root->mark,
			      "the configuration must be a mapping of keys");
		return;
	}
	walk_mapping(&w, root, "", "");
	apply_defaults(ld);
	if (ld->n_errors != 0)
		return;
	cfg_derive_defaults(ld);
	cfg_check_cross_rules(ld);
}

struct sl_config *sl_config_load_buffer(const char *name, const char *buf,
					size_t len, FILE *errs)
{
	struct cfg_loader *ld = calloc(1, sizeof(*ld));
	struct sl_config *cfg = calloc(1, sizeof(*cfg));
	struct cfg_node *root;
	bool ok;

	if (ld == NULL || cfg == NULL) {
		free(ld);
		free(cfg);
		errno = ENOMEM;
		return NULL;
	}
	snprintf(cfg->path, sizeof(cfg->path), "%s", name);
	ld->name = name;
	ld->errs = errs;
	ld->cfg = cfg;
	root = cfg_yaml_parse(ld, buf, len);
	if (ld->n_errors == 0)
		load_tree(ld, root);
	ok = ld->n_errors == 0;
	cfg_node_free(root);
	free(ld->cred);
	free(ld);
	if (!ok) {
		sl_config_free(cfg);
		errno = EINVAL;
		return NULL;
	}
	return cfg;
}

/* Reads the whole file; NULL with errno set and the reason reported. */
static char *read_file(const char *path, size_t *len, FILE *errs)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;
	int err = 0;

	if (f == NULL) {
		err = errno;
		goto fail;
	}
	for (;;) {
		if (n == cap) {
			char *b;

			if (cap >= CFG_MAX_FILE_SIZE) {
				err = EFBIG;
				goto fail;
			}
			cap = cap ? cap * 2 : 4096;
			b = realloc(buf, cap);
			if (b == NULL) {
				err = ENOMEM;
				goto fail;
			}
			buf = b;
		}
		n += fread(buf + n, 1, cap - n, f);
		if (ferror(f)) {
			err = errno ? errno : EIO;
			goto fail;
		}
		if (feof(f))
			break;
	}
	fclose(f);
	*len = n;
	return buf;
fail:
	if (errs != NULL)
		fprintf(errs, "%s: error: cannot read: %s\n", path,
			strerror(err));
	if (f != NULL)
		fclose(f);
	free(buf);
	errno = err;
	return NULL;
}

struct sl_config *sl_config_load(const char *path, FILE *errs)
{
	size_t len;
	char *buf = read_file(path, &len, errs);
	struct sl_config *cfg;
	int err;

	if (buf == NULL)
		return NULL;
	cfg = sl_config_load_buffer(path, buf, len, errs);
	err = errno;
	free(buf);
	errno = err;
	return cfg;
}

void sl_config_free(struct sl_config *cfg)
{
	if (cfg == NULL)
		return;
	if (cfg->creds != NULL) {
		/* Passwords do not outlive the config in freed memory. */
		explicit_bzero(cfg->creds,
			       cfg->n_creds * sizeof(*cfg->creds));
		free(cfg->creds);
	}
	free(cfg);
}

const char *sl_profile_name(enum sl_profile p)
{
	static const char *const names[] = { "small", "medium", "large" };

	return (unsigned)p < SL_PROFILE_COUNT ? names[p] : "?";
}

const char *sl_iface_role_name(enum sl_iface_role r)
{
	return r == SL_IFACE_EXTERNAL ? "external"
	       : r == SL_IFACE_INTERNAL ? "internal" : "?";
}
