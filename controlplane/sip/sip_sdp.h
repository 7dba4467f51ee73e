/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_sdp.h — SDP (RFC 4566) as a B2BUA that anchors media needs it:
 * read the connection address, every m= line's port and transport, the
 * RTCP attributes (RFC 3605 a=rtcp, RFC 5761 a=rtcp-mux) and whether the
 * side offers ICE (RFC 8839); then write the same description with the
 * appliance's address and relay ports in place of the endpoint's.
 *
 *   offer from A                          offer to B (sdp_rewrite)
 *   ────────────                          ────────────────────────
 *   o=- 1 1 IN IP4 198.51.100.7           o=- 1 1 IN IP4 203.0.113.10
 *   c=IN IP4 198.51.100.7          ──►    c=IN IP4 203.0.113.10
 *   m=audio 4000 RTP/AVP 0 8              m=audio 40000 RTP/AVP 0 8
 *   a=rtcp:4001 IN IP4 198.51.100.7       a=rtcp:40001 IN IP4 203.0.113.10
 *   a=candidate:1 1 UDP ...               (ICE lines dropped when anchored)
 *
 * Every other line is copied as it was, in order. Pure C, bounded reads,
 * views into the caller's body.
 */
#ifndef SL_SIP_SDP_H
#define SL_SIP_SDP_H

#include "sip_msg.h"

#define SDP_MAX_MEDIA 8
#define SDP_MAX_LINES 256

#define SDP_ERRORS(X)                                           \
	X(OK,             "ok")                                 \
	X(EMPTY,          "empty description")                  \
	X(VERSION,        "first line is not v=0")              \
	X(LINE,           "a line is not type=value")           \
	X(TOO_MANY_LINES, "too many lines")                     \
	X(ORIGIN,         "malformed o= line")                  \
	X(CONNECTION,     "malformed c= line")                  \
	X(MEDIA,          "malformed m= line")                  \
	X(TOO_MANY_MEDIA, "too many m= lines")                  \
	X(NO_CONNECTION,  "a media stream has no c= address")   \
	X(RTCP,           "malformed a=rtcp")                   \
	X(MUX,            "malformed a=sluice-mux")

enum sdp_err {
#define SDP_ERR_ENUM(n, t) SDP_E_##n,
	SDP_ERRORS(SDP_ERR_ENUM)
#undef SDP_ERR_ENUM
	SDP_E_COUNT
};

const char *sdp_err_text(enum sdp_err e);

struct sdp_conn {
	bool ipv4;                 /* IN IP4 a.b.c.d (else IP6 or a name) */
	uint32_t ip;               /* network order, when ipv4 */
	struct sip_str addr;       /* as written (without a /ttl) */
};

enum sdp_dir { SDP_SENDRECV, SDP_SENDONLY, SDP_RECVONLY, SDP_INACTIVE };

struct sdp_media {
	struct sip_str type;       /* audio, video, ... */
	uint16_t port;             /* 0: rejected / disabled stream */
	struct sip_str proto;      /* RTP/AVP, RTP/SAVP, UDP/TLS/RTP/SAVPF */
	struct sip_str fmts;
	bool has_conn;
	struct sdp_conn conn;      /* the effective address: media, else session */
	bool has_rtcp;             /* a=rtcp */
	uint16_t rtcp_port;
	bool rtcp_mux;
	bool ice;                  /* candidates or ufrag, here or session */
	uint32_t mux_id;           /* a=sluice-mux:ID (the sender's Sluice
				    * receives with it), 0: none */
	enum sdp_dir dir;
	unsigned first_line;       /* the m= line's index */
	unsigned end_line;         /* one past its last line */
};

struct sdp {
	struct sip_str line[SDP_MAX_LINES];   /* without their line ends */
	unsigned n_lines;
	bool has_conn;                        /* session-level c= */
	struct sdp_conn conn;
	bool session_ice;
	struct sdp_media media[SDP_MAX_MEDIA];
	unsigned n_media;
	enum sdp_err err;
	unsigned err_line;                    /* 1-based */
};

/* 0, or -1 with s->err and s->err_line. An SDP without m= lines parses
 * (n_media 0): whether to accept that is the caller's decision. */
int sdp_parse(struct sdp *s, struct sip_str body);

/* Every active stream offers ICE (nothing to anchor if the other side
 * does too). */
bool sdp_all_ice(const struct sdp *s);

/* What replaces the endpoint's transport addresses, stream by stream. */
struct sdp_rewrite {
	uint32_t ip;                          /* network order */
	uint16_t rtp_port[SDP_MAX_MEDIA];     /* 0: keep the stream's port
					       * (a rejected stream stays 0) */
	bool strip_ice;                       /* drop ICE attributes */
	uint32_t mux_id[SDP_MAX_MEDIA];       /* nonzero: the stream goes to a
					       * demultiplexing pair; announce
					       * a=sluice-mux:ID, RTCP on +1 */
};

/* The attribute two Sluices exchange over a traversal zone: the
 * multiplexID (H.460.19 framing) the sender of the description receives
 * the stream with on the demultiplexing pair in its m= line. Any such
 * line in the input is dropped by sdp_rewrite (it named the other hop). */
#define SDP_MUX_ATTR "sluice-mux"

/* Writes the rewritten description (CRLF line ends) to out; returns its
 * length, or -1 if cap is too small. */
long sdp_rewrite(const struct sdp *s, const struct sdp_rewrite *rw,
		 char *out, size_t cap);

/* An answer that refuses every stream of `offer` (RFC 3264 §6: port 0,
 * the offer's formats), from `ip` (network order): what a UAC owes in the
 * ACK of a 2xx whose offer it cannot take (RFC 3261 §13.2.2.4) before it
 * sends BYE. Its length, or -1 if cap is too small. */
long sdp_write_refusal(const struct sdp *offer, uint32_t ip, char *out,
		       size_t cap);

/* Where a stream's media is to be sent, as one description names it. */
struct sdp_dest {
	uint32_t ip;               /* network order; 0: none (or a hold) */
	uint16_t rtp;
	uint16_t rtcp;             /* a=rtcp, 0: implied (rtp + 1, or mux) */
};

/* The stream's destination (ip 0 when not IPv4). */
struct sdp_dest sdp_media_dest(const struct sdp_media *md);

/* Did a new description move the stream's media (RFC 3264 §8.3.1: a new
 * c= address or m= port)? A hold with c=0.0.0.0 (RFC 3264 §8.4) or a
 * disabled stream (port 0) is no move, nor is a first address (nothing
 * to move from). */
bool sdp_dest_moved(const struct sdp_dest *was, const struct sdp_dest *now);

#endif /* SL_SIP_SDP_H */
