/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_reload.c — SIGHUP: read the configuration file again.
 *
 * The new file is validated whole by sl_config_load(). If it breaks any rule
 * every error is logged and the running configuration stays as it was. If it
 * is valid, each key below is compared with the running value:
 *
 *   reloadable    copied into the running configuration now
 *   restart-only  logged as "changed, applies on restart" and left alone
 *
 * What is reloadable is what sluice-cp itself owns and can swap without
 * disturbing anything: logging, the credential store and the TURN REST
 * secret (pushed to the dataplane as TURN_SECRET, the old one kept for
 * turn.rest_secret_grace seconds). Everything that
 * sizes or addresses the dataplane (ports, profile, capacities, interfaces)
 * and the traversal zones (whose sockets are bound at start) needs a
 * restart. sl_config.h does not export the schema's reload flag, so the
 * control plane's view of it lives in this table.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_log.h"
#include "cp_main.h"

struct reload_key {
	const char *key;
	bool reloadable;
	size_t off;     /* field compared (and adopted) byte-wise ... */
	size_t size;
	/* ... unless these are set */
	bool (*eq)(const struct sl_config *a, const struct sl_config *b);
	void (*adopt)(struct sl_config *run, struct sl_config *fresh);
};

static bool ifaces_eq(const struct sl_config *a, const struct sl_config *b)
{
	unsigned i;

	if (a->n_ifaces != b->n_ifaces)
		return false;
	for (i = 0; i < a->n_ifaces; i++) {
		const struct sl_iface *x = &a->ifaces[i], *y = &b->ifaces[i];

		if (x->role != y->role || strcmp(x->device, y->device) != 0 ||
		    x->address != y->address ||
		    x->prefix_len != y->prefix_len ||
		    x->has_gateway != y->has_gateway ||
		    (x->has_gateway && x->gateway != y->gateway) ||
		    x->has_public_address != y->has_public_address ||
		    (x->has_public_address &&
		     x->public_address != y->public_address) ||
		    strcmp(x->kernel_iface, y->kernel_iface) != 0)
			return false;
	}
	return true;
}

static bool creds_eq(const struct sl_config *a, const struct sl_config *b)
{
	unsigned i;

	if (a->n_creds != b->n_creds)
		return false;
	for (i = 0; i < a->n_creds; i++) {
		if (strcmp(a->creds[i].username, b->creds[i].username) != 0 ||
		    strcmp(a->creds[i].password, b->creds[i].password) != 0)
			return false;
	}
	return true;
}

/* Take the new store; the old one is freed with `fresh`. */
static void creds_adopt(struct sl_config *run, struct sl_config *fresh)
{
	struct sl_credential *c = run->creds;
	unsigned n = run->n_creds;

	run->creds = fresh->creds;
	run->n_creds = fresh->n_creds;
	fresh->creds = c;
	fresh->n_creds = n;
}

static bool realm_eq(const struct sl_config *a, const struct sl_config *b)
{
	return strcmp(a->turn.realm, b->turn.realm) == 0;
}

static bool peers_eq(const struct sl_config *a, const struct sl_config *b)
{
	unsigned i;

	if (a->turn.n_allowed_peers != b->turn.n_allowed_peers)
		return false;
	for (i = 0; i < a->turn.n_allowed_peers; i++) {
		if (a->turn.allowed_peers[i].addr !=
			    b->turn.allowed_peers[i].addr ||
		    a->turn.allowed_peers[i].len != b->turn.allowed_peers[i].len)
			return false;
	}
	return true;
}

static bool zone_eq(const struct sl_zone *x, const struct sl_zone *y)
{
	return strcmp(x->name, y->name) == 0 && x->role == y->role &&
	       x->protocol == y->protocol && x->transport == y->transport &&
	       x->port == y->port && strcmp(x->peer, y->peer) == 0 &&
	       strcmp(x->username, y->username) == 0 &&
	       x->keepalive_s == y->keepalive_s &&
	       strcmp(x->ca_certificate, y->ca_certificate) == 0 &&
	       strcmp(x->server_name, y->server_name) == 0;
}

static bool zones_eq(const struct sl_config *a, const struct sl_config *b)
{
	unsigned i;

	if (a->n_zones != b->n_zones)
		return false;
	for (i = 0; i < a->n_zones; i++)
		if (!zone_eq(&a->zones[i], &b->zones[i]))
			return false;
	return true;
}

#define F(key, reload, field) \
	{ key, reload, offsetof(struct sl_config, field), \
	  sizeof(((struct sl_config *)0)->field), NULL, NULL }
#define FN(key, reload, eqfn, adoptfn) \
	{ key, reload, 0, 0, eqfn, adoptfn }

static const struct reload_key reload_keys[] = {
	F("profile", false, profile),
	FN("interfaces", false, ifaces_eq, NULL),
	FN("credentials", true, creds_eq, creds_adopt),
	F("turn.enabled", false, turn.enabled),
	FN("turn.realm", false, realm_eq, NULL),
	F("turn.listen", false, turn.listen),
	F("turn.port_multiplexing", false, turn.port_multiplexing),
	F("turn.relay", false, turn.relay),
	F("turn.relay_capacity", false, turn.relay_capacity),
	F("turn.allocations_per_user", false, turn.allocations_per_user),
	F("turn.permissions_per_allocation", false,
	  turn.permissions_per_allocation),
	FN("turn.allowed_peers", false, peers_eq, NULL),
	F("turn.rest_secret", true, turn.rest_secret),
	F("turn.rest_secret_grace", true, turn.rest_secret_grace_s),
	F("turn.cluster_peers", false, turn.cluster_peers),
	F("turn.cluster_peers", false, turn.n_cluster_peers),
	F("turn.cluster_secret", false, turn.cluster_secret),
	F("turn.cluster_port", false, turn.cluster_port),
	F("turn.cluster_interval", false, turn.cluster_interval_s),
	F("media.ports", false, media.ports),
	F("media.demux_configured", false, media.demux_configured),
	F("media.demux_rtp_port", false, media.demux_rtp_port),
	F("media.demux_pairs", false, media.demux_pairs),
	F("sip.udp_port", false, sip.udp_port),
	F("sip.tcp_port", false, sip.tcp_port),
	F("sip.tls_port", false, sip.tls_port),
	F("sip.tcp_outbound", false, sip.tcp_outbound),
	F("sip.realm", true, sip.realm),
	F("sip.tls_certificate", false, sip.tls_certificate),
	F("sip.tls_key", false, sip.tls_key),
	F("sip.call_auth", true, sip.call_auth),
	F("sip.max_call_duration", true, sip.max_call_duration_s),
	F("sip.media_timeout", true, sip.media_timeout_s),
	F("sip.routes", true, sip.routes),
	F("sip.n_routes", true, sip.n_routes),
	F("h323.ras_port", false, h323.ras_port),
	F("h323.q931_port", false, h323.q931_port),
	F("h323.assent_port", false, h323.assent_port),
	F("h323.h46018_port", false, h323.h46018_port),
	F("h323.call_signaling", false, h323.call_signaling),
	F("ephemeral", false, ephemeral),
	FN("zones", false, zones_eq, NULL),
	F("capacity.rich_media_sessions", false, capacity.rich_media_sessions),
	F("capacity.registrations", false, capacity.registrations),
	F("capacity.media_legs", false, capacity.media_legs),
	F("dataplane.workers", false, dataplane.workers),
	F("dataplane.rx_descriptors", false, dataplane.rx_descriptors),
	F("dataplane.tx_descriptors", false, dataplane.tx_descriptors),
	F("dataplane.mbufs", false, dataplane.mbufs),
	F("dataplane.mbuf_cache", false, dataplane.mbuf_cache),
	F("dataplane.burst", false, dataplane.burst),
	F("dataplane.tx_flush_us", false, dataplane.tx_flush_us),
	F("dataplane.punt_ring_size", false, dataplane.punt_ring_size),
	F("dataplane.idle_backoff", false, dataplane.idle_backoff),
	F("dataplane.idle_threshold_us", false, dataplane.idle_threshold_us),
	F("dataplane.idle_sleep_us", false, dataplane.idle_sleep_us),
	F("log.level", true, log.level),
	F("log.syslog", true, log.syslog),
};

static bool key_eq(const struct reload_key *k, const struct sl_config *a,
		   const struct sl_config *b)
{
	if (k->eq != NULL)
		return k->eq(a, b);
	return memcmp((const char *)a + k->off, (const char *)b + k->off,
		      k->size) == 0;
}

static void key_adopt(const struct reload_key *k, struct sl_config *run,
		      struct sl_config *fresh)
{
	if (k->adopt != NULL)
		k->adopt(run, fresh);
	else
		memcpy((char *)run + k->off, (const char *)fresh + k->off,
		       k->size);
}

/* Load the file, logging every error line. NULL when it is not valid. */
static struct sl_config *load_logged(const char *path)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	struct sl_config *cfg;
	FILE *errs = open_memstream(&text, &len);

	if (errs == NULL) {
		CP_ERR("reload: open_memstream: %s", strerror(errno));
		return NULL;
	}
	cfg = sl_config_load(path, errs);
	if (fclose(errs) != 0)
		CP_ERR("reload: error buffer: %s", strerror(errno));
	for (line = text != NULL ? strtok_r(text, "\n", &save) : NULL;
	     line != NULL; line = strtok_r(NULL, "\n", &save))
		CP_ERR("%s", line);
	free(text);
	return cfg;
}

static void apply_log_keys(const struct cp_main *m)
{
	cp_log_set_level(m->cfg->log.level);
	cp_log_set_syslog(!m->foreground || m->cfg->log.syslog);
}

void cp_reload(struct cp_main *m)
{
	struct sl_config *fresh;
	unsigned i, adopted = 0, pending = 0;
	bool creds = false, secret = false;

	CP_NOTICE("reloading %s", m->config_path);
	fresh = load_logged(m->config_path);
	if (fresh == NULL) {
		CP_ERR("reload: %s is not valid; keeping the running "
		       "configuration", m->config_path);
		return;
	}
	for (i = 0; i < sizeof(reload_keys) / sizeof(reload_keys[0]); i++) {
		const struct reload_key *k = &reload_keys[i];

		if (key_eq(k, m->cfg, fresh))
			continue;
		if (k->reloadable) {
			key_adopt(k, m->cfg, fresh);
			creds = creds || k->adopt == creds_adopt;
			secret = secret ||
				 strncmp(k->key, "turn.rest_secret", 16) == 0;
			CP_NOTICE("reload: %s changed, applied", k->key);
			adopted++;
		} else {
			CP_WARNING("reload: %s changed, applies on restart",
				   k->key);
			pending++;
		}
	}
	sl_config_free(fresh);
	apply_log_keys(m);
	if (m->sip_ready)
		cp_sip_reconfigure(&m->sip, m->cfg);   /* realm, credentials */
	if (creds && m->dp_ready)
		cp_dp_creds_changed(&m->dp);   /* the dataplane gets them next */
	if (secret && m->dp_ready)
		cp_dp_turn_secret_changed(&m->dp);  /* TURN_SECRET, with grace */
	CP_NOTICE("reload done: %u key(s) applied, %u waiting for a restart",
		  adopted, pending);
}
