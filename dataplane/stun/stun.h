/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stun.h — the STUN/TURN codec (RFC 8489, RFC 8656): pure C, no DPDK, no
 * allocation, so that the dataplane's TURN stage, the control plane, the
 * unit tests and the fuzzer all run the same code.
 *
 * Reading. stun_parse() checks one message in the caller's buffer and fills
 * a struct stun_msg with what it found, without copying a byte: strings
 * and opaque values are (offset, length) spans into the buffer; addresses,
 * numbers and flags are decoded. The buffer must outlive the struct.
 *
 *   buf:  | header 20 B | attr | attr | ... | MESSAGE-INTEGRITY | FINGERPRINT |
 *                         ^ type len value pad (every attribute 4-aligned)
 *   msg:  method, class, have (bit per attribute seen), spans {off, len},
 *         decoded addresses / numbers, unknown[] (comprehension-required
 *         types not understood: answer a request with 420), where the
 *         integrity attributes sit
 *
 * Every length is checked before it is used: the header's length against
 * the datagram, each attribute's length against what is left, each known
 * attribute's length against its type. Padding bytes are not looked at
 * (RFC 8489 §14: receivers ignore them). Of repeated attributes the first
 * counts (XOR-PEER-ADDRESS: up to STUN_MAX_PEERS are kept). Attributes
 * after MESSAGE-INTEGRITY are skipped, except MESSAGE-INTEGRITY-SHA256 and
 * FINGERPRINT; after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT counts;
 * nothing may follow FINGERPRINT. A FINGERPRINT, when present, is checked
 * by stun_parse itself: a message whose CRC is wrong is not STUN.
 *
 * Integrity. A key (the short-term password, or the long-term key of
 * turn_auth.h) is turned once into a struct stun_key: the SHA-1 and
 * SHA-256 states after HMAC's inner and outer key blocks. An HMAC then
 * costs the message's own blocks plus one, with no allocation and no
 * OpenSSL EVP dispatch; a key is read-only after stun_key_init(), so any
 * number of workers may share one.
 *
 * Writing. A struct stun_writer builds a message into the caller's buffer:
 * init (header), stun_put_*() (attributes, zero padding, the header's
 * length kept current), then stun_put_integrity(), _integrity_sha256(),
 * stun_put_fingerprint(), in that order, each with the length adjustments
 * of RFC 8489 §14.5-14.7. A put that does not fit, or comes in the wrong
 * order, changes nothing in the buffer and leaves its error in w->err
 * (sticky: the first one stays), so a builder may check once at the end.
 *
 * ChannelData (RFC 8656 §12.4): 4-byte header (channel 0x4000-0x7FFF,
 * length) and the data, padded to 4 bytes over TCP and optionally over UDP.
 * stun_classify() tells STUN, ChannelData and anything else apart by the
 * first byte (RFC 7983).
 *
 * Not here: SASLprep/OpaqueString (credentials are used as the bytes they
 * are; the configuration only admits printable ASCII), the TURN state
 * machine (dataplane), and the long-term credential mechanism's keys,
 * nonces and peer policy (turn_auth.h).
 */
#ifndef SLUICE_STUN_H
#define SLUICE_STUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STUN_HEADER_LEN      20
#define STUN_MAGIC_COOKIE    UINT32_C(0x2112A442)
#define STUN_TID_LEN         12
#define STUN_MSG_MAX         65535   /* whole message; more is refused */

#define STUN_MAX_PEERS       8       /* XOR-PEER-ADDRESS kept per message */
#define STUN_MAX_UNKNOWN     16      /* unknown types kept for the 420 */

/* Value limits (bytes) from RFC 8489 §14 ("fewer than 128 characters" is
 * at most 763 bytes of UTF-8). */
#define STUN_USERNAME_MAX    512
#define STUN_TEXT_MAX        763     /* REALM, NONCE, SOFTWARE, reason */
#define STUN_DOMAIN_MAX      255     /* ALTERNATE-DOMAIN */

#define STUN_SHA1_LEN        20
#define STUN_SHA256_LEN      32
#define STUN_MI_LEN          20
#define STUN_MI256_MIN       16
#define STUN_MI256_MAX       32
#define STUN_USERHASH_LEN    32
#define STUN_FINGERPRINT_XOR UINT32_C(0x5354554E)   /* "STUN" */

/* Message classes (the C1 C0 bits of the type). */
enum stun_class {
	STUN_REQUEST    = 0,
	STUN_INDICATION = 1,
	STUN_SUCCESS    = 2,
	STUN_ERROR      = 3,
};

/* Methods (RFC 8489, RFC 8656). */
#define STUN_BINDING             0x001
#define TURN_ALLOCATE            0x003
#define TURN_REFRESH             0x004
#define TURN_SEND                0x006
#define TURN_DATA                0x007
#define TURN_CREATE_PERMISSION   0x008
#define TURN_CHANNEL_BIND        0x009

/* Attribute types. Below 0x8000: comprehension-required. */
#define STUN_A_MAPPED_ADDRESS            0x0001
#define STUN_A_USERNAME                  0x0006
#define STUN_A_MESSAGE_INTEGRITY         0x0008
#define STUN_A_ERROR_CODE                0x0009
#define STUN_A_UNKNOWN_ATTRIBUTES        0x000A
#define STUN_A_CHANNEL_NUMBER            0x000C
#define STUN_A_LIFETIME                  0x000D
#define STUN_A_XOR_PEER_ADDRESS          0x0012
#define STUN_A_DATA                      0x0013
#define STUN_A_REALM                     0x0014
#define STUN_A_NONCE                     0x0015
#define STUN_A_XOR_RELAYED_ADDRESS       0x0016
#define STUN_A_REQUESTED_ADDRESS_FAMILY  0x0017
#define STUN_A_EVEN_PORT                 0x0018
#define STUN_A_REQUESTED_TRANSPORT       0x0019
#define STUN_A_DONT_FRAGMENT             0x001A
#define STUN_A_MESSAGE_INTEGRITY_SHA256  0x001C
#define STUN_A_PASSWORD_ALGORITHM        0x001D
#define STUN_A_USERHASH                  0x001E
#define STUN_A_XOR_MAPPED_ADDRESS        0x0020
#define STUN_A_RESERVATION_TOKEN         0x0022
#define STUN_A_PRIORITY                  0x0024   /* ICE, RFC 8445 */
#define STUN_A_USE_CANDIDATE             0x0025   /* ICE */
#define STUN_A_ADDITIONAL_ADDRESS_FAMILY 0x8000
#define STUN_A_PASSWORD_ALGORITHMS       0x8002
#define STUN_A_ALTERNATE_DOMAIN          0x8003
#define STUN_A_SOFTWARE                  0x8022
#define STUN_A_ALTERNATE_SERVER          0x8023
#define STUN_A_FINGERPRINT               0x8028
#define STUN_A_ICE_CONTROLLED            0x8029   /* ICE */
#define STUN_A_ICE_CONTROLLING           0x802A   /* ICE */

/* stun_msg.have: one bit per attribute the parser decoded. */
#define STUN_HAVE_MAPPED_ADDRESS        (UINT32_C(1) << 0)
#define STUN_HAVE_USERNAME              (UINT32_C(1) << 1)
#define STUN_HAVE_MESSAGE_INTEGRITY     (UINT32_C(1) << 2)
#define STUN_HAVE_ERROR_CODE            (UINT32_C(1) << 3)
#define STUN_HAVE_UNKNOWN_ATTRIBUTES    (UINT32_C(1) << 4)
#define STUN_HAVE_CHANNEL_NUMBER        (UINT32_C(1) << 5)
#define STUN_HAVE_LIFETIME              (UINT32_C(1) << 6)
#define STUN_HAVE_XOR_PEER_ADDRESS      (UINT32_C(1) << 7)
#define STUN_HAVE_DATA                  (UINT32_C(1) << 8)
#define STUN_HAVE_REALM                 (UINT32_C(1) << 9)
#define STUN_HAVE_NONCE                 (UINT32_C(1) << 10)
#define STUN_HAVE_XOR_RELAYED_ADDRESS   (UINT32_C(1) << 11)
#define STUN_HAVE_REQUESTED_ADDRESS_FAMILY (UINT32_C(1) << 12)
#define STUN_HAVE_EVEN_PORT             (UINT32_C(1) << 13)
#define STUN_HAVE_REQUESTED_TRANSPORT   (UINT32_C(1) << 14)
#define STUN_HAVE_DONT_FRAGMENT         (UINT32_C(1) << 15)
#define STUN_HAVE_MESSAGE_INTEGRITY_SHA256 (UINT32_C(1) << 16)
#define STUN_HAVE_PASSWORD_ALGORITHM    (UINT32_C(1) << 17)
#define STUN_HAVE_USERHASH              (UINT32_C(1) << 18)
#define STUN_HAVE_XOR_MAPPED_ADDRESS    (UINT32_C(1) << 19)
#define STUN_HAVE_RESERVATION_TOKEN     (UINT32_C(1) << 20)
#define STUN_HAVE_PRIORITY              (UINT32_C(1) << 21)
#define STUN_HAVE_USE_CANDIDATE         (UINT32_C(1) << 22)
#define STUN_HAVE_ADDITIONAL_ADDRESS_FAMILY (UINT32_C(1) << 23)
#define STUN_HAVE_PASSWORD_ALGORITHMS   (UINT32_C(1) << 24)
#define STUN_HAVE_ALTERNATE_DOMAIN      (UINT32_C(1) << 25)
#define STUN_HAVE_SOFTWARE              (UINT32_C(1) << 26)
#define STUN_HAVE_ALTERNATE_SERVER      (UINT32_C(1) << 27)
#define STUN_HAVE_FINGERPRINT           (UINT32_C(1) << 28)
#define STUN_HAVE_ICE_CONTROLLED        (UINT32_C(1) << 29)
#define STUN_HAVE_ICE_CONTROLLING       (UINT32_C(1) << 30)

/* Address families in the address attributes and REQUESTED-ADDRESS-FAMILY. */
#define STUN_AF_IPV4 0x01
#define STUN_AF_IPV6 0x02

/* PASSWORD-ALGORITHM(S) values (RFC 8489 §18.5). */
#define STUN_PWALG_MD5    0x0001
#define STUN_PWALG_SHA256 0x0002

/* REQUESTED-TRANSPORT protocol numbers. */
#define TURN_TRANSPORT_UDP 17

/* Channel numbers a client may bind (RFC 8656 §12). */
#define TURN_CHANNEL_MIN 0x4000
#define TURN_CHANNEL_MAX 0x7FFF   /* RFC 5766's range; see below */
#define TURN_CHANNEL_HEADER_LEN 4

/*
 * Every reason a message is refused or a put fails. The comment says what
 * a server does with a request that fails so (RFC 8489 §6.3, §7.3).
 */
enum stun_err {
	STUN_OK = 0,
	STUN_E_TRUNCATED,         /* shorter than its header says: discard */
	STUN_E_NOT_STUN,          /* top two bits set: not STUN, discard */
	STUN_E_COOKIE,            /* no magic cookie (RFC 3489): discard */
	STUN_E_LEN_ALIGN,         /* length not a multiple of 4: discard */
	STUN_E_TRAILING,          /* bytes after the message: discard */
	STUN_E_TOO_LONG,          /* longer than STUN_MSG_MAX: discard */
	STUN_E_ATTR_TRUNCATED,    /* an attribute runs past the end: discard */
	STUN_E_ATTR_LEN,          /* wrong length for its type: 400 */
	STUN_E_ATTR_VALUE,        /* invalid value (family, class, ...): 400 */
	STUN_E_AFTER_FINGERPRINT, /* an attribute after FINGERPRINT: discard */
	STUN_E_FINGERPRINT,       /* FINGERPRINT does not match: discard */
	STUN_E_TOO_MANY_PEERS,    /* more than STUN_MAX_PEERS peers: 400 */
	STUN_E_NO_INTEGRITY,      /* no MESSAGE-INTEGRITY(-SHA256): 401 */
	STUN_E_INTEGRITY,         /* the HMAC does not match: 401 */
	STUN_E_NO_SPACE,          /* writer: the buffer is full */
	STUN_E_ORDER,             /* writer: attribute after MI/FINGERPRINT */
	STUN_E_CHANNEL,           /* ChannelData: channel not 0x4000-0x7FFF */
	STUN_E_CHANNEL_PADDING,   /* ChannelData: trailing bytes that are not
				   * its padding */
	STUN_E_COUNT
};

/* A short English description of e ("attribute runs past the end"). */
const char *stun_strerror(enum stun_err e);

/* A transport address. */
struct stun_addr {
	uint8_t family;           /* STUN_AF_IPV4 or STUN_AF_IPV6 */
	uint16_t port;            /* host byte order */
	union {
		uint32_t v4;      /* network byte order */
		uint8_t v6[16];
	} ip;
};

static inline struct stun_addr stun_addr_v4(uint32_t addr_be, uint16_t port)
{
	struct stun_addr a = { .family = STUN_AF_IPV4, .port = port };

	a.ip.v4 = addr_be;
	return a;
}

/* True when a and b are the same family, address and port. */
bool stun_addr_equal(const struct stun_addr *a, const struct stun_addr *b);

/* Where a value sits in the message: buf + off, len bytes (padding not
 * counted). off is 0 when the attribute is absent. */
struct stun_span {
	uint16_t off;
	uint16_t len;
};

/* A parsed message. Spans point into buf; nothing is copied. */
struct stun_msg {
	const uint8_t *buf;       /* the message (the caller's buffer) */
	uint16_t len;             /* header + attributes */
	uint16_t method;          /* 12 bits: STUN_BINDING, TURN_ALLOCATE... */
	uint8_t cls;              /* enum stun_class */
	uint8_t n_peers;          /* entries of peers[] */
	uint8_t n_unknown;        /* entries of unknown[] */
	uint8_t n_ignored;        /* attributes skipped after MI(-SHA256) */
	uint32_t have;            /* STUN_HAVE_* */

	/* Offsets of the integrity attributes' headers (0: absent). */
	uint16_t mi_at;
	uint16_t mi256_at;
	uint16_t fp_at;
	uint8_t mi256_len;        /* 16..32 */

	uint8_t requested_transport; /* protocol number */
	uint8_t requested_family;    /* STUN_AF_*, as received */
	uint8_t additional_family;   /* STUN_AF_*, as received */
	uint8_t even_port_r;         /* EVEN-PORT's R bit */
	uint16_t channel;            /* CHANNEL-NUMBER, as received */
	uint16_t error_code;         /* 300..699 */
	uint16_t password_algorithm; /* PASSWORD-ALGORITHM */
	uint32_t lifetime;           /* seconds */
	uint32_t priority;           /* ICE PRIORITY */
	uint64_t ice_tiebreaker;     /* ICE-CONTROLLED / -CONTROLLING */

	struct stun_span username;
	struct stun_span userhash;
	struct stun_span realm;
	struct stun_span nonce;
	struct stun_span software;
	struct stun_span data;
	struct stun_span reservation_token;   /* 8 bytes */
	struct stun_span error_reason;
	struct stun_span unknown_attributes;  /* UNKNOWN-ATTRIBUTES' list */
	struct stun_span password_algorithms; /* the whole list */
	struct stun_span password_algorithm_params;
	struct stun_span alternate_domain;

	struct stun_addr mapped;
	struct stun_addr xor_mapped;
	struct stun_addr xor_relayed;
	struct stun_addr alternate_server;
	struct stun_addr peers[STUN_MAX_PEERS];

	/* Comprehension-required types the parser does not know, each once. */
	uint16_t unknown[STUN_MAX_UNKNOWN];
};

/*
 * Parses the len bytes at buf as exactly one STUN message (a UDP datagram;
 * for a stream, cut it with stun_frame_len() first). STUN_OK, or the first
 * problem found; m is only meaningful after STUN_OK.
 */
enum stun_err stun_parse(struct stun_msg *m, const void *buf, size_t len);

static inline const uint8_t *stun_tid(const struct stun_msg *m)
{
	return m->buf + 8;
}

static inline const uint8_t *stun_span_ptr(const struct stun_msg *m,
					   struct stun_span s)
{
	return m->buf + s.off;
}

/* True when the span holds exactly the len bytes at s. */
bool stun_span_equal(const struct stun_msg *m, struct stun_span sp,
		     const void *s, size_t len);

/* The 16-bit message type of method and class, and back. */
static inline uint16_t stun_type(uint16_t method, enum stun_class cls)
{
	return (uint16_t)((method & 0x000F) | ((method & 0x0070) << 1) |
			  ((method & 0x0F80) << 2) |
			  (((unsigned)cls & 1) << 4) |
			  (((unsigned)cls & 2) << 7));
}

static inline uint16_t stun_type_method(uint16_t type)
{
	return (uint16_t)((type & 0x000F) | ((type >> 1) & 0x0070) |
			  ((type >> 2) & 0x0F80));
}

static inline enum stun_class stun_type_class(uint16_t type)
{
	return (enum stun_class)(((type >> 4) & 1) | ((type >> 7) & 2));
}

/* What a datagram on a TURN port is, from its first bytes (RFC 7983). */
enum stun_kind {
	STUN_KIND_OTHER,
	STUN_KIND_STUN,          /* 0x00-0x03 and the magic cookie */
	STUN_KIND_CHANNEL_DATA,  /* 0x40-0x7F (channels 0x4000-0x7FFF) */
};

enum stun_kind stun_classify(const void *buf, size_t len);

/*
 * For stream transports (TURN over TCP/TLS): the length of the STUN
 * message or ChannelData frame (padded to 4, as RFC 8656 §12.5 requires
 * over TCP) that starts at buf. 1 with *frame set once the first 4 bytes
 * are in, 0 while fewer are, -1 when it is neither (close the connection).
 */
int stun_frame_len(const void *buf, size_t len, size_t *frame);

/* ---- integrity ----------------------------------------------------------- */

/*
 * An HMAC key, prepared: OpenSSL's SHA_CTX and SHA256_CTX after the ipad
 * and after the opad block, held as plain words here so that this header
 * does not pull OpenSSL's low-level digest API into every includer.
 */
#define STUN_KEY_SHA1_WORDS   12   /* >= sizeof(SHA_CTX) / 8 */
#define STUN_KEY_SHA256_WORDS 14   /* >= sizeof(SHA256_CTX) / 8 */

struct stun_key {
	uint64_t sha1_inner[STUN_KEY_SHA1_WORDS];
	uint64_t sha1_outer[STUN_KEY_SHA1_WORDS];
	uint64_t sha256_inner[STUN_KEY_SHA256_WORDS];
	uint64_t sha256_outer[STUN_KEY_SHA256_WORDS];
};

/* Prepares k from len key bytes (any length; RFC 2104 hashes long keys). */
void stun_key_init(struct stun_key *k, const void *key, size_t len);

/* Wipes k (OPENSSL_cleanse). */
void stun_key_clear(struct stun_key *k);

/* HMAC-SHA1 / HMAC-SHA256 of data under k. */
void stun_hmac_sha1(const struct stun_key *k, const void *data, size_t len,
		    uint8_t out[STUN_SHA1_LEN]);
void stun_hmac_sha256(const struct stun_key *k, const void *data, size_t len,
		      uint8_t out[STUN_SHA256_LEN]);

/*
 * Checks the message's integrity under k as RFC 8489 §9.1.3 / §9.2.4 say:
 * MESSAGE-INTEGRITY-SHA256 when present, else MESSAGE-INTEGRITY.
 * STUN_OK, STUN_E_NO_INTEGRITY or STUN_E_INTEGRITY. Constant time in the
 * comparison.
 */
enum stun_err stun_check_integrity(const struct stun_msg *m,
				   const struct stun_key *k);

/* USERHASH = SHA-256(username ":" realm) (RFC 8489 §14.4). */
void stun_userhash(const void *username, size_t ulen, const void *realm,
		   size_t rlen, uint8_t out[STUN_USERHASH_LEN]);

/* CRC-32 (ISO-HDLC, as zlib and Ethernet), continuing from crc (0 to
 * start). FINGERPRINT = crc32 of the message before it ^ 0x5354554E. */
uint32_t stun_crc32(uint32_t crc, const void *buf, size_t len);

/* ---- writing ------------------------------------------------------------- */

struct stun_writer {
	uint8_t *buf;
	size_t cap;
	size_t len;               /* bytes written, header included */
	uint8_t stage;            /* private: 0 open, 1 after MI, 2 after
				   * MI-SHA256, 3 after FINGERPRINT */
	uint8_t pad_byte;         /* padding octet, 0 unless changed (the
				   * RFC 5769 vectors pad with 0x20) */
	enum stun_err err;        /* first failure, STUN_OK if none */
};

/* Starts a message of method and class with transaction id tid. */
void stun_writer_init(struct stun_writer *w, void *buf, size_t cap,
		      uint16_t method, enum stun_class cls,
		      const uint8_t tid[STUN_TID_LEN]);

/* Starts the response (STUN_SUCCESS or STUN_ERROR) to request req. */
void stun_writer_init_response(struct stun_writer *w, void *buf, size_t cap,
			       const struct stun_msg *req,
			       enum stun_class cls);

/*
 * One attribute of type with len value bytes (val may be NULL when len is
 * 0). The integrity attributes have their own functions below; passing
 * their types here is STUN_E_ATTR_VALUE.
 */
enum stun_err stun_put(struct stun_writer *w, uint16_t type, const void *val,
		       size_t len);
enum stun_err stun_put_u32(struct stun_writer *w, uint16_t type, uint32_t v);
enum stun_err stun_put_u64(struct stun_writer *w, uint16_t type, uint64_t v);
/* A string without its NUL: USERNAME, REALM, NONCE, SOFTWARE, ... */
enum stun_err stun_put_str(struct stun_writer *w, uint16_t type,
			   const char *s);

/* XOR-MAPPED-, XOR-RELAYED-, XOR-PEER-ADDRESS. */
enum stun_err stun_put_xor_addr(struct stun_writer *w, uint16_t type,
				const struct stun_addr *a);
/* MAPPED-ADDRESS, ALTERNATE-SERVER (not XOR'd). */
enum stun_err stun_put_addr(struct stun_writer *w, uint16_t type,
			    const struct stun_addr *a);

/* ERROR-CODE; reason NULL means the RFC's phrase (stun_reason()). */
enum stun_err stun_put_error(struct stun_writer *w, unsigned code,
			     const char *reason);
enum stun_err stun_put_unknown_attributes(struct stun_writer *w,
					  const uint16_t *types, unsigned n);
enum stun_err stun_put_channel_number(struct stun_writer *w, uint16_t ch);
enum stun_err stun_put_requested_transport(struct stun_writer *w,
					   uint8_t proto);
enum stun_err stun_put_requested_family(struct stun_writer *w, uint16_t type,
					uint8_t family);
enum stun_err stun_put_even_port(struct stun_writer *w, bool reserve_next);
/* PASSWORD-ALGORITHMS (a list, no parameters) / PASSWORD-ALGORITHM. */
enum stun_err stun_put_password_algorithms(struct stun_writer *w,
					   const uint16_t *algs, unsigned n);
enum stun_err stun_put_password_algorithm(struct stun_writer *w,
					  uint16_t alg);

/* MESSAGE-INTEGRITY (HMAC-SHA1), then optionally MESSAGE-INTEGRITY-SHA256
 * truncated to len bytes (16..32, a multiple of 4), then FINGERPRINT. */
enum stun_err stun_put_integrity(struct stun_writer *w,
				 const struct stun_key *k);
enum stun_err stun_put_integrity_sha256(struct stun_writer *w,
					const struct stun_key *k, size_t len);
enum stun_err stun_put_fingerprint(struct stun_writer *w);

/* The reason phrase of an error code ("Stale Nonce"), "" if unknown. */
const char *stun_reason(unsigned code);

/*
 * For relaying without copying the payload: writes, at buf, everything of
 * a Data indication that comes before its data (header, XOR-PEER-ADDRESS
 * of peer, DATA's attribute header: 36 bytes for IPv4, 48 for IPv6), with
 * the lengths set for data_len bytes of data. The caller places the data
 * right after it, then (4 - data_len % 4) % 4 zero bytes. Its length,
 * or 0 when cap is too small, the family unknown, or the message would
 * pass STUN_MSG_MAX.
 */
size_t turn_data_indication_header(void *buf, size_t cap,
				   const uint8_t tid[STUN_TID_LEN],
				   const struct stun_addr *peer,
				   size_t data_len);

/* ---- ChannelData --------------------------------------------------------- */

struct turn_channel_data {
	uint16_t channel;
	uint16_t len;             /* application data bytes */
	const uint8_t *data;      /* into the caller's buffer */
};

/*
 * RFC 8656 narrowed the channel numbers to 0x4000-0x4FFF, keeping
 * 0x5000-0x7FFF out of the way of DTLS-SRTP multiplexing (RFC 7983). A TURN
 * listening port carries no DTLS or RTP of its own, and deployed clients
 * (coturn's, libwebrtc's) still pick from RFC 5766's 0x4000-0x7FFF: the
 * server accepts that range, so that RFC 5766 and RFC 8656 clients both
 * interoperate; an RFC 8656 client never uses the upper part.
 */
static inline bool turn_channel_valid(uint16_t ch)
{
	return ch >= TURN_CHANNEL_MIN && ch <= TURN_CHANNEL_MAX;
}

/*
 * Parses one ChannelData message that fills len bytes: the data and
 * nothing after it but, optionally, its padding to 4 bytes.
 * STUN_E_TRUNCATED, STUN_E_CHANNEL, STUN_E_CHANNEL_PADDING.
 */
enum stun_err turn_channel_data_parse(struct turn_channel_data *cd,
				      const void *buf, size_t len);

/* Writes the 4-byte header in front of data the caller places after it. */
static inline void turn_channel_data_header(uint8_t hdr[4], uint16_t ch,
					    uint16_t len)
{
	hdr[0] = (uint8_t)(ch >> 8);
	hdr[1] = (uint8_t)ch;
	hdr[2] = (uint8_t)(len >> 8);
	hdr[3] = (uint8_t)len;
}

/* A whole ChannelData message (padded to 4 when pad); its length, or 0
 * when it does not fit in cap or len is over 65535. */
size_t turn_channel_data_write(void *buf, size_t cap, uint16_t ch,
			       const void *data, size_t len, bool pad);

#endif /* SLUICE_STUN_H */
