/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_hdr.h — the structured SIP header values Sluice reads: URIs,
 * name-addr (From, To, Contact, Route), Via, generic ";name=value"
 * parameters and comma-separated lists (RFC 3261 §19.1, §20, §25.1).
 *
 * Like sip_msg.h: views into the caller's bytes, bounded reads, no
 * allocation. Parsers return true when the value is well formed.
 */
#ifndef SL_SIP_HDR_H
#define SL_SIP_HDR_H

#include "sip_msg.h"

/* sip:user:password@host:port;params?headers (also sips:, tel:). */
struct sip_uri {
	struct sip_str scheme;     /* "sip", "sips", "tel" */
	struct sip_str user;       /* may be empty */
	struct sip_str host;       /* [v6] keeps its brackets */
	uint16_t port;             /* 0: none */
	struct sip_str params;     /* from the first ';' (without it) */
	struct sip_str headers;    /* after '?' */
};

bool sip_uri_parse(struct sip_str s, struct sip_uri *u);
/* A parameter of a ";a=b;c" list: true if present; *val empty for a
 * flag. Names compare case-insensitively. */
bool sip_param_get(struct sip_str params, const char *name,
		   struct sip_str *val);

/* [display-name] <uri> *(;param) | addr-spec *(;param) (RFC 3261 §20.10:
 * without angle brackets, parameters belong to the header, not the URI). */
struct sip_nameaddr {
	struct sip_str display;    /* quotes kept */
	struct sip_str uri;        /* the URI text, without <> */
	struct sip_str params;     /* header parameters, without the ';' */
	bool star;                 /* Contact: * */
};

bool sip_nameaddr_parse(struct sip_str s, struct sip_nameaddr *na);

/* Via: SIP/2.0/transport host[:port] *(;param). */
bool sip_via_parse(struct sip_str s, struct sip_via *v);

/*
 * Comma-separated values (Via, Contact, Route, Supported): the next item
 * of `list` starting at *pos, trimmed; commas inside quotes or <...> do
 * not split. Returns false at the end of the list.
 */
bool sip_list_next(struct sip_str list, size_t *pos, struct sip_str *item);

/* host[:port] (sent-by, hostport); [v6] brackets kept in *host. */
bool sip_hostport_parse(struct sip_str s, struct sip_str *host,
			uint16_t *port);

/* Auth-params of Authorization / WWW-Authenticate: "Digest a=b, c="d"".
 * sip_auth_param() finds one (quotes removed, escapes left as written). */
bool sip_auth_scheme(struct sip_str v, const char *scheme,
		     struct sip_str *params);
bool sip_auth_param(struct sip_str params, const char *name,
		    struct sip_str *val);

/* Token characters (RFC 3261 §25.1). */
bool sip_is_token_char(unsigned char c);

#endif /* SL_SIP_HDR_H */
