/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cp_sip_int.h — what cp_sip.c shares with cp_sip_zone.c (private to
 * sluice-cp's SIP host).
 */
#ifndef SL_CP_SIP_INT_H
#define SL_CP_SIP_INT_H

#include "cp_sip.h"

/* Send a whole message to a peer (UDP, or its connection). */
void cp_sip_send(struct cp_sip *s, const struct sip_peer *to, const char *buf,
		 size_t len);
void cp_sip_conn_close(struct cp_sip *s, struct cp_sip_conn *c,
		       const char *why);
/* A free connection slot set up for fd (TLS: server or client side), in
 * the epoll set; NULL (fd closed) when every slot is taken. */
struct cp_sip_conn *cp_sip_conn_new(struct cp_sip *s, int fd, uint32_t ip,
				    uint16_t port, bool tls, bool tls_client,
				    int zone);
void cp_sip_conn_want_write(struct cp_sip *s, struct cp_sip_conn *c, bool on);
/* A response to s->msg with extra header lines; sent to src. */
void cp_sip_answer(struct cp_sip *s, const struct sip_peer *src,
		   unsigned code, const char *extra);

/* cp_sip_zone.c */
int cp_sip_zones_open(struct cp_sip *s, char *err, size_t cap);
void cp_sip_zones_close(struct cp_sip *s);
void cp_sip_zones_tick(struct cp_sip *s, int64_t now);
/* A message on a zone connection (s->msg parsed). */
void cp_sip_zone_message(struct cp_sip *s, struct cp_sip_conn *c);
/* A client zone's connection finished connecting (EPOLLOUT). */
void cp_sip_zone_connected(struct cp_sip *s, struct cp_sip_conn *c);
/* Certificate checks of a new TLS zone connection (zones[].ca_certificate,
 * server_name); -1 when they cannot be set. */
int cp_sip_zone_tls_setup(struct cp_sip *s, struct cp_sip_conn *c);
/* The TLS handshake of a client zone's connection is done. */
void cp_sip_zone_secured(struct cp_sip *s, struct cp_sip_conn *c);
/* CRLFs on a zone connection: pings (server) or pongs (client). */
void cp_sip_zone_crlf(struct cp_sip *s, struct cp_sip_conn *c, unsigned n);
/* A zone connection is closing (before its slot is freed). */
void cp_sip_zone_conn_closed(struct cp_sip *s, struct cp_sip_conn *c,
			     const char *why);
/* First octets on a server zone's TCP port look like TLS: a mismatch. */
bool cp_sip_zone_check_first(struct cp_sip *s, struct cp_sip_conn *c);

const char *cp_zone_state_name(enum cp_zone_state st);
/* Where zone i's calls go while it is up; false when it is not. */
bool cp_sip_zone_peer(struct cp_sip *s, unsigned zone, struct sip_peer *out);

#endif /* SL_CP_SIP_INT_H */
