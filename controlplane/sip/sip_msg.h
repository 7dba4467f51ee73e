/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sip_msg.h — the SIP message parser (RFC 3261 §7, §18.3, §20, §25).
 *
 * Pure C: no sockets, no allocation. A message is parsed from one buffer
 * into a struct sip_msg whose strings are views (pointer, length) into
 * either the caller's buffer (start line, body) or the message's own
 * header scratch, where every header value is stored unfolded:
 *
 *   input (caller's)                          struct sip_msg
 *   ────────────────                          ──────────────
 *   INVITE sip:bob@b.example SIP/2.0\r\n  ──► method, ruri (views of input)
 *   v: SIP/2.0/UDP a.example;branch=z9..\r\n ─┐
 *   Via: SIP/2.0/TCP p.example,\r\n           ├► via[0..n] (one per value:
 *    SIP/2.0/UDP q.example\r\n  (folded)     ─┘  "," splits, folds unfold)
 *   l: 129\r\n                            ──► content_length (compact form)
 *   ...                                       hdr[] (every header, its
 *   \r\n                                      canonical id, value unfolded
 *   v=0 ... (129 octets)                  ──► body (view of input)
 *
 * Every read is bounded by the given length; nothing past it is touched
 * and the input need not be NUL-terminated. What RFC 3261 requires of a
 * request (Via, From, To, Call-ID, CSeq with the request's method, a
 * well-formed Content-Length) is checked here, so the layers above see
 * only messages they can answer; everything refused carries a reason
 * (enum sip_err, one X-macro list) and the status code to answer with.
 *
 * Stream transports (TCP, TLS, zones) frame with sip_stream_frame(): the
 * length of the next message (headers plus Content-Length octets), or the
 * CRLF keep-alives of RFC 5626 §4.4.1 that may come between messages.
 */
#ifndef SL_SIP_MSG_H
#define SL_SIP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIP_MAX_HEADERS   96      /* header lines after unfolding */
#define SIP_MAX_VIA       24      /* Via values (comma-split) */
#define SIP_HDR_SCRATCH   16384   /* unfolded header values, bytes */
#define SIP_MSG_MAX       65535   /* a datagram; also the stream limit */
#define SIP_BODY_MAX      32768   /* Content-Length accepted */

/* A view: never NUL-terminated, never owned. */
struct sip_str {
	const char *p;
	size_t len;
};

#define SIP_STR_NULL ((struct sip_str){ NULL, 0 })

/* Why a message was refused; the status to answer a request with. */
#define SIP_ERRORS(X)                                                        \
	X(OK,                0,   "ok")                                    \
	X(EMPTY,             400, "empty message")                         \
	X(START_LINE,        400, "malformed start line")                  \
	X(VERSION,           505, "SIP version not supported")             \
	X(METHOD,            400, "malformed method")                      \
	X(STATUS,            400, "malformed status code")                 \
	X(HEADER_NAME,       400, "malformed header name")                 \
	X(HEADER_LINE,       400, "header line without a colon")           \
	X(FOLD_FIRST,        400, "continuation line before any header")   \
	X(TOO_MANY_HEADERS,  513, "too many header lines")                 \
	X(HEADERS_TOO_BIG,   513, "header section too large")              \
	X(NO_END,            400, "header section not terminated")         \
	X(CONTROL_CHAR,      400, "control character in a header")         \
	X(CONTENT_LENGTH,    400, "malformed Content-Length")              \
	X(CL_CONFLICT,       400, "conflicting Content-Length headers")    \
	X(BODY_SHORT,        400, "body shorter than Content-Length")      \
	X(BODY_TOO_BIG,      413, "body too large")                        \
	X(VIA,               400, "malformed Via")                         \
	X(TOO_MANY_VIA,      400, "too many Via values")                   \
	X(MISSING_VIA,       400, "missing Via")                           \
	X(MISSING_FROM,      400, "missing From")                          \
	X(MISSING_TO,        400, "missing To")                            \
	X(MISSING_CALL_ID,   400, "missing Call-ID")                       \
	X(MISSING_CSEQ,      400, "missing CSeq")                          \
	X(DUP_HEADER,        400, "a single-valued header given twice")    \
	X(CSEQ,              400, "malformed CSeq")                        \
	X(CSEQ_METHOD,       400, "CSeq method differs from the request's")\
	X(MAX_FORWARDS,      400, "malformed Max-Forwards")                \
	X(FROM,              400, "malformed From")                        \
	X(TO,                400, "malformed To")                          \
	X(RURI,              400, "malformed Request-URI")

enum sip_err {
#define SIP_ERR_ENUM(name, code, text) SIP_E_##name,
	SIP_ERRORS(SIP_ERR_ENUM)
#undef SIP_ERR_ENUM
	SIP_E_COUNT
};

const char *sip_err_text(enum sip_err e);
const char *sip_err_name(enum sip_err e);   /* "cseq_method" */
unsigned sip_err_status(enum sip_err e);    /* 400, 413, 505, 513 */

enum sip_method {
	SIP_M_UNKNOWN = 0,   /* an extension method: method_name says which */
	SIP_M_INVITE,
	SIP_M_ACK,
	SIP_M_BYE,
	SIP_M_CANCEL,
	SIP_M_REGISTER,
	SIP_M_OPTIONS,
	SIP_M_INFO,
	SIP_M_UPDATE,
	SIP_M_PRACK,
	SIP_M_SUBSCRIBE,
	SIP_M_NOTIFY,
	SIP_M_MESSAGE,
	SIP_M_REFER,
	SIP_M_COUNT
};

const char *sip_method_name(enum sip_method m);
enum sip_method sip_method_from(struct sip_str s);

/* Header ids; compact forms (RFC 3261 §7.3.3, RFC 3841, RFC 4028) map to
 * the same id. */
#define SIP_HEADERS(X)                                                  \
	X(VIA,                  "Via",                  'v')            \
	X(FROM,                 "From",                 'f')            \
	X(TO,                   "To",                   't')            \
	X(CALL_ID,              "Call-ID",              'i')            \
	X(CSEQ,                 "CSeq",                 0)              \
	X(CONTACT,              "Contact",              'm')            \
	X(CONTENT_LENGTH,       "Content-Length",       'l')            \
	X(CONTENT_TYPE,         "Content-Type",         'c')            \
	X(CONTENT_ENCODING,     "Content-Encoding",     'e')            \
	X(MAX_FORWARDS,         "Max-Forwards",         0)              \
	X(EXPIRES,              "Expires",              0)              \
	X(MIN_EXPIRES,          "Min-Expires",          0)              \
	X(AUTHORIZATION,        "Authorization",        0)              \
	X(PROXY_AUTHORIZATION,  "Proxy-Authorization",  0)              \
	X(WWW_AUTHENTICATE,     "WWW-Authenticate",     0)              \
	X(PROXY_AUTHENTICATE,   "Proxy-Authenticate",   0)              \
	X(ROUTE,                "Route",                0)              \
	X(RECORD_ROUTE,         "Record-Route",         0)              \
	X(SUPPORTED,            "Supported",            'k')            \
	X(REQUIRE,              "Require",              0)              \
	X(SESSION_EXPIRES,      "Session-Expires",      'x')            \
	X(MIN_SE,               "Min-SE",               0)              \
	X(SUBJECT,              "Subject",              's')            \
	X(EVENT,                "Event",                'o')            \
	X(ALLOW,                "Allow",                0)              \
	X(USER_AGENT,           "User-Agent",           0)              \
	X(SERVER,               "Server",               0)              \
	X(REFER_TO,             "Refer-To",             'r')            \
	X(REFERRED_BY,          "Referred-By",          'b')            \
	X(ALLOW_EVENTS,         "Allow-Events",         'u')            \
	X(PATH,                 "Path",                 0)              \
	X(FLOW_TIMER,           "Flow-Timer",           0)

enum sip_hdr {
	SIP_H_OTHER = 0,
#define SIP_HDR_ENUM(id, name, compact) SIP_H_##id,
	SIP_HEADERS(SIP_HDR_ENUM)
#undef SIP_HDR_ENUM
	SIP_H_COUNT
};

const char *sip_hdr_name(enum sip_hdr h);   /* the long form */
enum sip_hdr sip_hdr_from(struct sip_str name);

struct sip_header {
	enum sip_hdr id;
	struct sip_str name;       /* as written (view of the input) */
	struct sip_str value;      /* unfolded, trimmed (view of scratch) */
};

/* One Via value: SIP/2.0/TRANSPORT sent-by *(;param). */
struct sip_via {
	struct sip_str transport;  /* "UDP", "TCP", "TLS", ... */
	struct sip_str host;       /* name, IPv4, or [IPv6] with brackets */
	uint16_t port;             /* 0: none given */
	struct sip_str branch;
	struct sip_str received;
	bool rport;                /* ";rport" present (RFC 3581) */
	uint16_t rport_value;      /* 0: present without a value */
	struct sip_str params;     /* everything from the first ';' */
	struct sip_str value;      /* the whole value */
};

struct sip_msg {
	bool is_request;
	/* request line */
	enum sip_method method;
	struct sip_str method_name;
	struct sip_str ruri;
	/* status line */
	unsigned status;
	struct sip_str reason;

	struct sip_header hdr[SIP_MAX_HEADERS];
	unsigned n_hdr;
	struct sip_via via[SIP_MAX_VIA];
	unsigned n_via;

	/* the single-valued headers every transaction needs */
	struct sip_str call_id;
	struct sip_str from;           /* whole values; sip_nameaddr_parse() */
	struct sip_str to;
	struct sip_str from_tag;
	struct sip_str to_tag;
	uint32_t cseq;
	enum sip_method cseq_method;
	struct sip_str cseq_method_name;
	int max_forwards;              /* -1: absent */
	bool has_content_length;
	size_t content_length;
	struct sip_str body;

	enum sip_err err;
	struct sip_str err_header;     /* the header the error is about */

	size_t scratch_used;
	char scratch[SIP_HDR_SCRATCH];
};

/* How a message arrived: a datagram's body is the rest of the datagram
 * (Content-Length, if present, may only shorten it); on a stream it is
 * exactly Content-Length octets (absent = 0). */
enum sip_framing {
	SIP_FRAME_DATAGRAM,
	SIP_FRAME_STREAM,
};

/*
 * Parse `len` octets at `buf` (not NUL-terminated). Returns 0, or -1 with
 * m->err (and, for requests whose headers were readable, enough of m —
 * Via, From, To, Call-ID, CSeq — to build the error response when
 * sip_msg_can_answer() says so).
 */
int sip_msg_parse(struct sip_msg *m, const char *buf, size_t len,
		  enum sip_framing framing);

/* A refused request whose Via/From/To/Call-ID/CSeq were read: an error
 * response can be built (RFC 3261 §8.2: else it is dropped silently). */
bool sip_msg_can_answer(const struct sip_msg *m);

/* The first header with this id, or NULL; sip_msg_next_hdr continues
 * after `prev`. */
const struct sip_header *sip_msg_hdr(const struct sip_msg *m, enum sip_hdr h);
const struct sip_header *sip_msg_next_hdr(const struct sip_msg *m,
					  const struct sip_header *prev);

/*
 * Stream framing. Looks at `len` octets buffered from a stream:
 *   returns  > 0  the length of the next complete message at buf;
 *            = 0  need more octets;
 *            < 0  the stream is broken (*err says why): close it.
 * Leading CRLFs are RFC 5626 keep-alives: *crlf_pings counts the "\r\n\r\n"
 * pings and *skip is how many octets of them to consume first (the return
 * value then counts from buf + *skip).
 */
long sip_stream_frame(const char *buf, size_t len, size_t *skip,
		      unsigned *crlf_pings, enum sip_err *err);

/* ---- helpers over views ------------------------------------------------ */

static inline struct sip_str sip_str_c(const char *s);
bool sip_str_eq(struct sip_str a, const char *lit);        /* exact */
bool sip_str_ieq(struct sip_str a, const char *lit);       /* ASCII case */
bool sip_str_eq_str(struct sip_str a, struct sip_str b);
bool sip_str_ieq_str(struct sip_str a, struct sip_str b);
/* a decimal in [0, max], digits only; false otherwise */
bool sip_str_to_u32(struct sip_str s, uint32_t max, uint32_t *out);
struct sip_str sip_str_trim(struct sip_str s);
/* Copy to a NUL-terminated buffer; false (and an empty string) if it does
 * not fit. */
bool sip_str_copy(struct sip_str s, char *dst, size_t cap);

#include <string.h>
static inline struct sip_str sip_str_c(const char *s)
{
	return (struct sip_str){ s, strlen(s) };
}

#endif /* SL_SIP_MSG_H */
