/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sl_ipc_types.h — the ABI between sluice-cp and sluice-dp: every message and
 * the layout of the shared-memory object. Structs and enums only; no DPDK,
 * no pointers, fixed-width types, explicit padding. Both processes include
 * this one header.
 *
 * The object is POSIX shared memory "/sluice-<instance>", created by
 * sluice-dp at start and unlinked when it stops:
 *
 *   offset 0        struct sl_shm_hdr     magic, ABI version, size table,
 *                                          generation, state, pids, offsets
 *   hdr.cmd_off     command ring          control → data, many producers
 *   hdr.evt_off     event ring            data → control, one producer
 *   hdr.ctr_off     struct sl_shm_counters named counters, published by
 *                                          the dataplane's service lcore
 *
 * A ring is a header and a power-of-two array of 256-byte slots; each slot
 * holds one message (sl_ring.h). Every message starts with struct sl_msg_hdr.
 *
 * Compatibility: SL_ABI_VERSION changes whenever a message or the layout
 * changes meaning. At attach the control plane also compares the size of
 * every message (hdr.msg_size[]) with its own, so a build that forgot to
 * bump the version still fails loudly instead of misreading fields.
 */
#ifndef SLUICE_IPC_TYPES_H
#define SLUICE_IPC_TYPES_H

#include <stdint.h>

#define SL_SHM_MAGIC      0x534c554943455348ULL  /* "SLUICESH" */
#define SL_ABI_VERSION    5u
#define SL_MSG_SLOT_SIZE  256u
#define SL_USERNAME_MAX   132u   /* credential username (the config allows
				  * 128 bytes), NUL-padded */
#define SL_SECRET_MAX     128u   /* turn.rest_secret bytes (the config
				  * allows 16-128) */
#define SL_COUNTER_NAME_MAX 40u
#define SL_COUNTERS_MAX   160u

/* --- message kinds -------------------------------------------------------- */

/* Commands, control → data. Values are part of the ABI: append only. */
enum sl_cmd_type {
	SL_CMD_NONE = 0,
	SL_CMD_PING = 1,
	SL_CMD_LEG_ADD = 2,
	SL_CMD_LEG_MOD = 3,
	SL_CMD_LEG_DEL = 4,
	SL_CMD_CRED_SET = 5,
	SL_CMD_CRED_DEL = 6,
	SL_CMD_LEG_QUERY = 7,
	SL_CMD_DUMP = 8,
	SL_CMD_TURN_SECRET = 9,     /* ABI 5: the TURN REST shared secret */
	SL_CMD_TURN_ALTERNATE = 10, /* ABI 5: the cluster peer for 300 */
	SL_CMD_MAX
};

/* Events, data → control. */
enum sl_evt_type {
	SL_EVT_NONE = 0,
	SL_EVT_ACK = 64,          /* every command gets exactly one */
	SL_EVT_LEG_INFO = 65,     /* answer to QUERY, or one leg of a DUMP */
	SL_EVT_LEG_LATCHED = 66,  /* a leg learned its remote address */
	SL_EVT_LEG_IDLE = 67,     /* no packet for idle_timeout_s */
	SL_EVT_ALLOC_CREATED = 68,
	SL_EVT_ALLOC_EXPIRED = 69,
	SL_EVT_OVERFLOW = 70,     /* events the dataplane could not deliver */
	SL_EVT_CRED_INFO = 71,    /* one credential of a DUMP (no key) */
	SL_EVT_ALLOC_INFO = 72,   /* one TURN allocation of a DUMP */
	SL_EVT_TURN_PEER = 73,    /* one permission or channel of a DUMP */
	SL_EVT_MAX_
};

/* The index of each message in hdr.msg_size[]. */
enum sl_msg_index {
	SL_MSGI_HDR,
	SL_MSGI_LEG_SPEC,
	SL_MSGI_CMD_PING,
	SL_MSGI_CMD_LEG,
	SL_MSGI_CMD_LEG_ID,
	SL_MSGI_CMD_CRED_SET,
	SL_MSGI_CMD_CRED_DEL,
	SL_MSGI_CMD_DUMP,
	SL_MSGI_EVT_ACK,
	SL_MSGI_EVT_LEG_INFO,
	SL_MSGI_EVT_LEG_LATCHED,
	SL_MSGI_EVT_LEG_IDLE,
	SL_MSGI_EVT_ALLOC,
	SL_MSGI_EVT_OVERFLOW,
	SL_MSGI_EVT_CRED_INFO,
	SL_MSGI_EVT_ALLOC_INFO,
	SL_MSGI_EVT_TURN_PEER,
	SL_MSGI_SHM_HDR,
	SL_MSGI_COUNTERS,
	SL_MSGI_CMD_TURN_SECRET,
	SL_MSGI_CMD_TURN_ALTERNATE,
	SL_MSGI_MAX
};

/* Result codes in SL_EVT_ACK. */
enum sl_result {
	SL_OK = 0,
	SL_E_UNKNOWN_CMD = 1,   /* type not known to this dataplane */
	SL_E_MALFORMED = 2,     /* a field out of its domain; nothing changed */
	SL_E_EXISTS = 3,        /* leg id, port or multiplexID already in use */
	SL_E_NOT_FOUND = 4,
	SL_E_CAPACITY = 5,      /* a table is full */
	SL_E_RANGE = 6,         /* port outside the media range, bad leg id */
	SL_E_BUSY = 7,          /* a dump is already running */
	SL_RESULT_MAX
};

/* --- common header --------------------------------------------------------- */

struct sl_msg_hdr {
	uint16_t type;      /* enum sl_cmd_type or enum sl_evt_type */
	uint16_t len;       /* bytes of the whole message, header included */
	uint32_t seq;       /* command: sender's sequence; event: the command's
			     * seq it answers, 0 when unsolicited */
	uint64_t generation; /* event: the dataplane's generation;
			      * command: reserved, 0 */
};

/* --- media legs ------------------------------------------------------------ */

enum sl_leg_kind {
	SL_LEG_PORT = 1,    /* a local UDP port of the media range */
	SL_LEG_MUX = 2,     /* a multiplexID on the demultiplexing ports */
};

enum sl_latch {
	SL_LATCH_STRICT = 0,  /* only the signaled remote; other sources are
			       * dropped */
	SL_LATCH_ONCE = 1,    /* learn the first source, then hold it */
	SL_LATCH_RELATCH = 2  /* learn the first source; take a new one only
			       * after relatch_ms without an accepted packet */
};

/* The two media components of a leg. */
enum sl_component {
	SL_COMP_RTP = 0,
	SL_COMP_RTCP = 1,
};

#define SL_LEG_F_REMOTE_KNOWN 0x01u  /* remote_* (RTP) are valid */
#define SL_LEG_F_LATCHED      0x02u  /* remote_* came from media (or, in a
				      * command, is to be held as latched) */
#define SL_LEG_F_RTCP_MUX     0x04u  /* RTCP shares the RTP port (RFC 5761):
				      * PORT legs only */
#define SL_LEG_F_RTCP_KNOWN   0x08u  /* rtcp_remote_* are valid; without it
				      * a known RTP remote implies RTCP at
				      * remote_port + 1 (or the same port
				      * with RTCP_MUX) */
#define SL_LEG_F_RTCP_LATCHED 0x10u  /* rtcp_remote_* came from media */
#define SL_LEG_F_KEEPALIVE    0x20u  /* MUX: keepalive_pt is valid */
#define SL_LEG_F_ALL          0x3fu

/*
 * A leg: where one party's media arrives at the appliance, where it goes
 * back to that party, and which leg its media is relayed to. Leg ids are the
 * control plane's: 1..capacity, reported in hdr.leg_capacity.
 *
 * A PORT leg owns a pair of local ports: RTP on local_port (even), RTCP on
 * local_port + 1 (unless RTCP_MUX). A MUX leg is a multiplexID on one
 * demultiplexing pair: RTP on local_port (the pair's even port), RTCP on
 * local_port + 1. Each leg has an RTP and an RTCP remote, latched apart.
 */
struct sl_leg_spec {
	uint32_t leg_id;
	uint32_t peer_leg_id;   /* 0: none yet (packets counted and dropped) */
	uint8_t kind;           /* enum sl_leg_kind */
	uint8_t iface;          /* interface index (0 = first in config) */
	uint8_t latch;          /* enum sl_latch */
	uint8_t flags;          /* SL_LEG_F_* */
	uint16_t local_port;    /* host order, even: the PORT leg's RTP port;
				 * for a MUX leg its demultiplexing pair's
				 * RTP port */
	uint16_t remote_port;   /* host order: RTP */
	uint32_t remote_addr;   /* IPv4, network order: RTP */
	uint32_t mux_id_rx;     /* MUX: the multiplexID we receive with */
	uint32_t mux_id_tx;     /* MUX: the multiplexID we send with */
	uint16_t idle_timeout_s; /* 0: never report idle */
	uint16_t rtcp_remote_port; /* host order, with SL_LEG_F_RTCP_KNOWN */
	uint32_t rtcp_remote_addr; /* network order, with SL_LEG_F_RTCP_KNOWN */
	uint16_t relatch_ms;    /* RELATCH: silence before a new source wins */
	uint8_t keepalive_pt;   /* MUX, with SL_LEG_F_KEEPALIVE: payload type
				 * 0-127 of the RTP keep-alive (H.460.19) */
	uint8_t pad0;
	uint64_t cookie;        /* the control plane's own tag, echoed back */
};

struct sl_cmd_ping {
	struct sl_msg_hdr h;
	uint64_t sent_ns;       /* echoed in ack.value */
};

struct sl_cmd_leg {             /* LEG_ADD, LEG_MOD */
	struct sl_msg_hdr h;
	struct sl_leg_spec leg;
};

struct sl_cmd_leg_id {          /* LEG_DEL, LEG_QUERY */
	struct sl_msg_hdr h;
	uint32_t leg_id;
	uint32_t pad0;
};

/*
 * A long-term credential (RFC 8489 §9.2.2), one key per PASSWORD-ALGORITHM:
 *   key         MD5(user ":" realm ":" password)      (ABI 1)
 *   key_sha256  SHA-256(user ":" realm ":" password)  (ABI 5)
 * The password itself never crosses the ring.
 */
struct sl_cmd_cred_set {
	struct sl_msg_hdr h;
	char username[SL_USERNAME_MAX];
	uint8_t key[16];
	uint8_t key_sha256[32];
	uint32_t pad0;
};

struct sl_cmd_cred_del {
	struct sl_msg_hdr h;
	char username[SL_USERNAME_MAX];
	uint32_t pad0;
};

/*
 * TURN_SECRET (ABI 5): the TURN REST shared secret (turn.rest_secret), len
 * bytes of secret[], NUL-padded; len 0: no REST credentials from now on.
 * The dataplane keeps the secret it had before for grace_s more seconds
 * (REST credentials minted just before a rotation still authenticate); the
 * same secret again changes nothing. len above SL_SECRET_MAX, or under 16
 * and not 0: MALFORMED.
 */
struct sl_cmd_turn_secret {
	struct sl_msg_hdr h;
	uint32_t len;
	uint32_t grace_s;
	char secret[SL_SECRET_MAX];
};

/*
 * TURN_ALTERNATE (ABI 5): the cluster peer with the most free TURN room, as
 * sluice-cp's cluster exchange last heard it. While one is set, an Allocate
 * the appliance has no capacity for is answered 300 Try Alternate with
 * ALTERNATE-SERVER addr:port instead of 508. addr 0: none (508 again).
 */
struct sl_cmd_turn_alternate {
	struct sl_msg_hdr h;
	uint32_t addr;          /* network order; 0: none */
	uint16_t port;          /* host order: the peer's TURN listening port */
	uint16_t pad0;
	uint32_t room;          /* the peer's free allocations, for the log */
	uint32_t pad1;
};

enum sl_dump_what {
	SL_DUMP_LEGS = 1,
	SL_DUMP_CREDS = 2,
	SL_DUMP_ALLOCS = 3,     /* every TURN allocation: ALLOC_INFO, each
				 * followed by its TURN_PEERs */
};

struct sl_cmd_dump {
	struct sl_msg_hdr h;
	uint32_t what;          /* enum sl_dump_what */
	uint32_t pad0;
};

/* --- events --------------------------------------------------------------- */

struct sl_evt_ack {
	struct sl_msg_hdr h;    /* h.seq: the command acknowledged */
	uint16_t cmd_type;
	uint16_t result;        /* enum sl_result */
	uint32_t pad0;
	uint64_t value;         /* PING: sent_ns; DUMP: items sent */
};

/* Per-leg drop reasons (the dataplane's named reasons, per leg). */
enum sl_leg_drop {
	SL_LEG_DROP_WRONG_SOURCE = 0, /* not the latched / signaled remote */
	SL_LEG_DROP_NOT_READY = 1,    /* receiver not ready: the peer has no
				       * remote for this component yet */
	SL_LEG_DROP_NO_PEER = 2,      /* no peer leg */
	SL_LEG_DROP_OTHER = 3,        /* wrong interface or port pair, no
				       * route, next hop unresolved, no
				       * headroom */
	SL_LEG_DROP_MAX = 4
};

/*
 * Counters of one leg; written by workers, read by the service lcore. "in"
 * is what the leg's party sent us and we accepted (keep-alives included),
 * "out" what we relayed to the party through this leg.
 */
struct sl_leg_counters {
	uint64_t pkts_in;
	uint64_t bytes_in;      /* UDP payload, multiplexID included */
	uint64_t pkts_out;
	uint64_t bytes_out;
	uint64_t keepalives;    /* consumed, not relayed */
	uint64_t drops[SL_LEG_DROP_MAX];
};

/*
 * Call quality from the RTCP the leg's party sends (RFC 3550 §6.4): how that
 * party receives the media we relay to it. From the first report block of
 * the newest SR or RR that parsed as a whole compound packet.
 */
struct sl_leg_quality {
	uint32_t reports;       /* SR/RR compounds seen */
	uint32_t ssrc;          /* the reported source */
	uint32_t jitter;        /* interarrival jitter, RTP timestamp units */
	int32_t cum_lost;       /* cumulative packets lost (24-bit signed) */
	uint8_t fraction_lost;  /* last interval, in 1/256 */
	uint8_t pad0[3];
	uint32_t pad1;
};

struct sl_evt_leg_info {
	struct sl_msg_hdr h;    /* h.seq: the QUERY or DUMP, */
	struct sl_leg_spec leg; /* remote_* as latched now */
	struct sl_leg_counters ctr;
	struct sl_leg_quality q;
	uint32_t idle_s;        /* seconds since the last packet in */
	uint32_t pad0;
};

struct sl_evt_leg_latched {
	struct sl_msg_hdr h;
	uint32_t leg_id;
	uint32_t remote_addr;   /* network order */
	uint16_t remote_port;   /* host order */
	uint8_t component;      /* enum sl_component */
	uint8_t pad0;
	uint32_t pad1;
	uint64_t cookie;
};

struct sl_evt_leg_idle {
	struct sl_msg_hdr h;
	uint32_t leg_id;
	uint32_t idle_s;
	uint64_t cookie;
};

/*
 * TURN allocations. An allocation is named by its dataplane id (1..
 * turn_capacity); the client's 5-tuple is (client, the interface address,
 * listen_port), the relayed address (relay_addr, relay_port).
 */
enum sl_alloc_end {
	SL_ALLOC_END_TIMEOUT = 0,  /* its lifetime passed */
	SL_ALLOC_END_REFRESH0 = 1, /* Refresh with LIFETIME 0 */
	SL_ALLOC_END_DELETED = 2,  /* the credential was deleted */
};

struct sl_evt_alloc {           /* ALLOC_CREATED, ALLOC_EXPIRED */
	struct sl_msg_hdr h;
	uint32_t alloc_id;
	uint32_t client_addr;   /* network order */
	uint16_t client_port;   /* host order */
	uint16_t listen_port;   /* host order: the server port it used */
	uint32_t relay_addr;    /* network order, as advertised */
	uint16_t relay_port;    /* host order */
	uint8_t iface;
	uint8_t pad0;
	uint32_t lifetime_s;
	uint32_t reason;        /* EXPIRED: enum sl_alloc_end */
	char username[SL_USERNAME_MAX];
	uint32_t pad1;
};

/* Counters of one allocation: "in" the client sent us and we relayed to a
 * peer, "out" peers sent and we relayed to the client. */
struct sl_alloc_counters {
	uint64_t pkts_in;
	uint64_t bytes_in;      /* application data */
	uint64_t pkts_out;
	uint64_t bytes_out;
	uint64_t drops;         /* data without a permission or channel */
};

struct sl_evt_alloc_info {
	struct sl_evt_alloc a;  /* a.h: the DUMP's seq; a.lifetime_s: left */
	struct sl_alloc_counters ctr;
	uint32_t age_s;         /* since the Allocate */
	uint16_t n_perms;
	uint16_t n_chans;
};

enum sl_turn_peer_kind {
	SL_TURN_PERMISSION = 1,
	SL_TURN_CHANNEL = 2,
};

struct sl_evt_turn_peer {
	struct sl_msg_hdr h;
	uint32_t alloc_id;
	uint32_t peer_addr;     /* network order */
	uint16_t peer_port;     /* host order; channels only */
	uint16_t channel;       /* channels only */
	uint8_t kind;           /* enum sl_turn_peer_kind */
	uint8_t pad0[3];
	uint32_t lifetime_s;    /* left */
	uint32_t pad1;
};

enum sl_overflow_what {
	SL_OVF_EVENTS = 1,      /* event ring full: events dropped */
	SL_OVF_WORKER_EVENTS = 2, /* worker → service queue full */
};

struct sl_evt_overflow {
	struct sl_msg_hdr h;
	uint32_t what;          /* enum sl_overflow_what */
	uint32_t pad0;
	uint64_t count;         /* lost since the previous overflow event */
	uint64_t total;         /* lost since the dataplane started */
};

struct sl_evt_cred_info {
	struct sl_msg_hdr h;
	char username[SL_USERNAME_MAX];
	uint32_t pad0;
};

/* Any message fits one slot. */
union sl_msg {
	struct sl_msg_hdr h;
	struct sl_cmd_ping ping;
	struct sl_cmd_leg leg;
	struct sl_cmd_leg_id leg_id;
	struct sl_cmd_cred_set cred_set;
	struct sl_cmd_cred_del cred_del;
	struct sl_cmd_dump dump;
	struct sl_cmd_turn_secret turn_secret;
	struct sl_cmd_turn_alternate turn_alternate;
	struct sl_evt_ack ack;
	struct sl_evt_leg_info leg_info;
	struct sl_evt_leg_latched latched;
	struct sl_evt_leg_idle idle;
	struct sl_evt_alloc alloc;
	struct sl_evt_overflow overflow;
	struct sl_evt_cred_info cred_info;
	struct sl_evt_alloc_info alloc_info;
	struct sl_evt_turn_peer turn_peer;
	uint8_t raw[SL_MSG_SLOT_SIZE];
};

/* --- the shared-memory object -------------------------------------------- */

enum sl_dp_state {
	SL_DP_STARTING = 1,     /* object made, tables being built */
	SL_DP_RUNNING = 2,      /* commands are served */
	SL_DP_STOPPED = 3,      /* the dataplane left; detach and wait */
};

/* One named counter; names are the dataplane's telemetry names. */
struct sl_counter {
	char name[SL_COUNTER_NAME_MAX];
	uint64_t value;
};

struct sl_shm_counters {
	uint64_t seq;           /* odd while being written (seqlock) */
	uint64_t updated_ns;    /* CLOCK_REALTIME of the last publication */
	uint32_t n;
	uint32_t pad0;
	struct sl_counter c[SL_COUNTERS_MAX];
};

struct sl_shm_hdr {
	uint64_t magic;         /* SL_SHM_MAGIC */
	uint32_t abi_version;   /* SL_ABI_VERSION */
	uint32_t n_msg_sizes;   /* SL_MSGI_MAX of the creator */
	uint32_t msg_size[32];  /* sizeof each enum sl_msg_index struct */
	uint64_t generation;    /* new at every dataplane start */
	uint64_t total_size;    /* bytes of the whole object */
	uint64_t cmd_off, evt_off, ctr_off;
	uint32_t cmd_slots, evt_slots;
	uint32_t state;         /* enum sl_dp_state, written by the dp */
	int32_t dp_pid;
	int32_t cp_pid;         /* the attached control plane (0: none) */
	uint32_t leg_capacity;  /* leg ids are 1..leg_capacity */
	uint32_t cred_capacity;
	uint32_t turn_capacity;  /* allocation ids are 1..turn_capacity */
	uint32_t n_workers;
	uint16_t media_port_min, media_port_max;
	uint64_t started_ns;    /* CLOCK_REALTIME at creation */
	uint64_t heartbeat_ns;  /* CLOCK_MONOTONIC, service lcore, ~10 ms */
	uint64_t cmds_applied;  /* service lcore: commands taken and acked */
	uint64_t evt_dropped;   /* events lost to a full event ring */
	char instance[64];
	char version[32];       /* sluice-dp's SLUICE_VERSION */
	uint8_t pad[60];
};

#endif /* SLUICE_IPC_TYPES_H */
