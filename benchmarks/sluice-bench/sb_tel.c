/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sb_tel.c — reads sluice-dp's counters from its DPDK telemetry socket
 * (/sluice/stats), the same figures sluicectl and dpdk-telemetry.py show:
 * busy cycles, packets, and every drop reason. Protocol v2: a SEQPACKET
 * unix socket; the server greets with one JSON object, then answers each
 * command with one.
 *
 * The reply is scanned, not parsed: every `"name": number` is taken, at
 * the top level of the command's object or inside its "drops" object.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sb.h"

#define TEL_BUF (64 * 1024)

/* The socket of instance NAME: $SLUICE_RUN_DIR/NAME/dp.telemetry names it
 * (sluice-dp writes it at start); else DPDK's default runtime directory. */
int
sb_tel_path(char *buf, size_t len, const char *instance)
{
	const char *run = getenv("SLUICE_RUN_DIR");
	char file[PATH_MAX];
	FILE *f;

	snprintf(file, sizeof(file), "%s/%s/dp.telemetry",
		 run && *run ? run : "/run/sluice", instance);
	f = fopen(file, "re");
	if (f != NULL) {
		if (fgets(buf, (int)len, f) != NULL) {
			buf[strcspn(buf, "\n")] = '\0';
			fclose(f);
			return 0;
		}
		fclose(f);
	}
	snprintf(buf, len, "/var/run/dpdk/sluice-%s/dpdk_telemetry.v2",
		 instance);
	return 0;
}

static void
take(struct sb_relay_stats *s, const char *section, const char *key,
     uint64_t v)
{
	static const struct { const char *k; size_t off; } top[] = {
		{ "rx_pkts", offsetof(struct sb_relay_stats, rx_pkts) },
		{ "tx_pkts", offsetof(struct sb_relay_stats, tx_pkts) },
		{ "relayed_pkts", offsetof(struct sb_relay_stats,
					   relayed_pkts) },
		{ "busy_tsc", offsetof(struct sb_relay_stats, busy_tsc) },
		{ "idle_tsc", offsetof(struct sb_relay_stats, idle_tsc) },
		{ "polls", offsetof(struct sb_relay_stats, polls) },
		{ "busy_polls", offsetof(struct sb_relay_stats, busy_polls) },
		{ "tsc_hz", offsetof(struct sb_relay_stats, tsc_hz) },
	};
	unsigned i;

	if (strcmp(section, "drops") == 0) {
		if (s->n_drops < SB_MAX_DROPS) {
			snprintf(s->drop_name[s->n_drops],
				 sizeof(s->drop_name[0]), "%s", key);
			s->drop[s->n_drops++] = v;
		}
		return;
	}
	if (section[0] != '\0')
		return;
	for (i = 0; i < sizeof(top) / sizeof(top[0]); i++)
		if (strcmp(key, top[i].k) == 0)
			*(uint64_t *)((char *)s + top[i].off) = v;
}

/*
 * Walks `"key": value` pairs. Depth 1 is the command's name object,
 * depth 2 its members; an object value at depth 2 opens a section.
 */
static void
scan(const char *p, struct sb_relay_stats *s)
{
	char key[64] = "", section[64] = "";
	int depth = 0;
	size_t n;

	while (*p) {
		if (*p == '{') {
			depth++;
			if (depth == 3)
				snprintf(section, sizeof(section), "%s", key);
			p++;
		} else if (*p == '}') {
			if (depth == 3)
				section[0] = '\0';
			depth--;
			p++;
		} else if (*p == '"') {
			p++;
			n = strcspn(p, "\"");
			snprintf(key, sizeof(key), "%.*s",
				 (int)(n < sizeof(key) ? n : sizeof(key) - 1),
				 p);
			p += n;
			if (*p)
				p++;
			while (isspace((unsigned char)*p))
				p++;
			if (*p != ':')
				continue;
			p++;
			while (isspace((unsigned char)*p))
				p++;
			if (isdigit((unsigned char)*p) && depth >= 2)
				take(s, section, key, strtoull(p, NULL, 10));
		} else {
			p++;
		}
	}
}

int
sb_tel_read(const char *sock_path, struct sb_relay_stats *out, char *err,
	    size_t errlen)
{
	static const char cmd[] = "/sluice/stats";
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *buf;
	ssize_t n;
	int fd;

	memset(out, 0, sizeof(*out));
	if (strlen(sock_path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "%s: path too long", sock_path);
		return -1;
	}
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		snprintf(err, errlen, "%s: %s", sock_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	buf = malloc(TEL_BUF);
	if (buf == NULL) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* the greeting, then the answer */
	if (read(fd, buf, TEL_BUF - 1) <= 0 ||
	    write(fd, cmd, sizeof(cmd) - 1) != (ssize_t)(sizeof(cmd) - 1) ||
	    (n = read(fd, buf, TEL_BUF - 1)) <= 0) {
		snprintf(err, errlen, "%s: no answer to %s", sock_path, cmd);
		free(buf);
		close(fd);
		return -1;
	}
	buf[n] = '\0';
	close(fd);
	if (strstr(buf, "\"/sluice/stats\"") == NULL) {
		snprintf(err, errlen, "%s: %s unknown to this dataplane",
			 sock_path, cmd);
		free(buf);
		return -1;
	}
	scan(buf, out);
	free(buf);
	out->ok = true;
	return 0;
}

void
sb_relay_delta(const struct sb_relay_stats *a, const struct sb_relay_stats *z,
	       struct sb_relay_stats *d)
{
	unsigned i, j;

	memset(d, 0, sizeof(*d));
	d->ok = a->ok && z->ok;
	if (!d->ok)
		return;
	d->rx_pkts = z->rx_pkts - a->rx_pkts;
	d->tx_pkts = z->tx_pkts - a->tx_pkts;
	d->relayed_pkts = z->relayed_pkts - a->relayed_pkts;
	d->busy_tsc = z->busy_tsc - a->busy_tsc;
	d->idle_tsc = z->idle_tsc - a->idle_tsc;
	d->polls = z->polls - a->polls;
	d->busy_polls = z->busy_polls - a->busy_polls;
	d->tsc_hz = z->tsc_hz;
	for (i = 0; i < z->n_drops; i++) {
		uint64_t before = 0;

		for (j = 0; j < a->n_drops; j++)
			if (strcmp(a->drop_name[j], z->drop_name[i]) == 0)
				before = a->drop[j];
		if (z->drop[i] == before)
			continue;
		snprintf(d->drop_name[d->n_drops], sizeof(d->drop_name[0]),
			 "%s", z->drop_name[i]);
		d->drop[d->n_drops++] = z->drop[i] - before;
	}
}
