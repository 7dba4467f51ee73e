/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sl_shm.c — creating, attaching and checking the shared-memory object.
 *
 * The attach check is the handshake of the ABI (rtpengine's REMG_INIT does
 * the same with its kernel module): magic, ABI version, then the size of
 * every message struct the two builds share, so that a control plane from
 * another tree is refused with the name of the first struct that differs
 * instead of misreading fields later.
 */
#include "sl_shm.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

_Static_assert(sizeof(union sl_msg) == SL_MSG_SLOT_SIZE,
	       "a message is one slot");
_Static_assert(SL_MSGI_MAX <= 32, "hdr.msg_size[] holds every message");
_Static_assert(sizeof(struct sl_cmd_cred_set) <= SL_MSG_SLOT_SIZE &&
	       sizeof(struct sl_cmd_turn_secret) <= SL_MSG_SLOT_SIZE &&
	       sizeof(struct sl_evt_alloc) <= SL_MSG_SLOT_SIZE &&
	       sizeof(struct sl_evt_leg_info) <= SL_MSG_SLOT_SIZE &&
	       sizeof(struct sl_evt_alloc_info) <= SL_MSG_SLOT_SIZE,
	       "every message fits a slot");

static const char *const msg_index_names[SL_MSGI_MAX] = {
	[SL_MSGI_HDR] = "sl_msg_hdr",
	[SL_MSGI_LEG_SPEC] = "sl_leg_spec",
	[SL_MSGI_CMD_PING] = "sl_cmd_ping",
	[SL_MSGI_CMD_LEG] = "sl_cmd_leg",
	[SL_MSGI_CMD_LEG_ID] = "sl_cmd_leg_id",
	[SL_MSGI_CMD_CRED_SET] = "sl_cmd_cred_set",
	[SL_MSGI_CMD_CRED_DEL] = "sl_cmd_cred_del",
	[SL_MSGI_CMD_DUMP] = "sl_cmd_dump",
	[SL_MSGI_EVT_ACK] = "sl_evt_ack",
	[SL_MSGI_EVT_LEG_INFO] = "sl_evt_leg_info",
	[SL_MSGI_EVT_LEG_LATCHED] = "sl_evt_leg_latched",
	[SL_MSGI_EVT_LEG_IDLE] = "sl_evt_leg_idle",
	[SL_MSGI_EVT_ALLOC] = "sl_evt_alloc",
	[SL_MSGI_EVT_OVERFLOW] = "sl_evt_overflow",
	[SL_MSGI_EVT_CRED_INFO] = "sl_evt_cred_info",
	[SL_MSGI_EVT_ALLOC_INFO] = "sl_evt_alloc_info",
	[SL_MSGI_EVT_TURN_PEER] = "sl_evt_turn_peer",
	[SL_MSGI_SHM_HDR] = "sl_shm_hdr",
	[SL_MSGI_COUNTERS] = "sl_shm_counters",
	[SL_MSGI_CMD_TURN_SECRET] = "sl_cmd_turn_secret",
	[SL_MSGI_CMD_TURN_ALTERNATE] = "sl_cmd_turn_alternate",
};

void
sl_msg_sizes(uint32_t out[SL_MSGI_MAX])
{
	out[SL_MSGI_HDR] = sizeof(struct sl_msg_hdr);
	out[SL_MSGI_LEG_SPEC] = sizeof(struct sl_leg_spec);
	out[SL_MSGI_CMD_PING] = sizeof(struct sl_cmd_ping);
	out[SL_MSGI_CMD_LEG] = sizeof(struct sl_cmd_leg);
	out[SL_MSGI_CMD_LEG_ID] = sizeof(struct sl_cmd_leg_id);
	out[SL_MSGI_CMD_CRED_SET] = sizeof(struct sl_cmd_cred_set);
	out[SL_MSGI_CMD_CRED_DEL] = sizeof(struct sl_cmd_cred_del);
	out[SL_MSGI_CMD_DUMP] = sizeof(struct sl_cmd_dump);
	out[SL_MSGI_EVT_ACK] = sizeof(struct sl_evt_ack);
	out[SL_MSGI_EVT_LEG_INFO] = sizeof(struct sl_evt_leg_info);
	out[SL_MSGI_EVT_LEG_LATCHED] = sizeof(struct sl_evt_leg_latched);
	out[SL_MSGI_EVT_LEG_IDLE] = sizeof(struct sl_evt_leg_idle);
	out[SL_MSGI_EVT_ALLOC] = sizeof(struct sl_evt_alloc);
	out[SL_MSGI_EVT_OVERFLOW] = sizeof(struct sl_evt_overflow);
	out[SL_MSGI_EVT_CRED_INFO] = sizeof(struct sl_evt_cred_info);
	out[SL_MSGI_EVT_ALLOC_INFO] = sizeof(struct sl_evt_alloc_info);
	out[SL_MSGI_EVT_TURN_PEER] = sizeof(struct sl_evt_turn_peer);
	out[SL_MSGI_SHM_HDR] = sizeof(struct sl_shm_hdr);
	out[SL_MSGI_COUNTERS] = sizeof(struct sl_shm_counters);
	out[SL_MSGI_CMD_TURN_SECRET] = sizeof(struct sl_cmd_turn_secret);
	out[SL_MSGI_CMD_TURN_ALTERNATE] = sizeof(struct sl_cmd_turn_alternate);
}

const char *
sl_msg_index_name(unsigned idx)
{
	return idx < SL_MSGI_MAX && msg_index_names[idx] ?
	       msg_index_names[idx] : "?";
}

void
sl_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
sl_shm_name(char *buf, size_t cap, const char *instance)
{
	int n = snprintf(buf, cap, "/sluice-%s", instance);

	if (n < 0 || (size_t)n >= cap) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

uint64_t
sl_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t
sl_real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static size_t
align64(size_t n)
{
	return (n + 63) & ~(size_t)63;
}

/* A generation nobody has seen: start time mixed with pid, never 0. */
static uint64_t
generation_new(void)
{
	uint64_t g = sl_real_ns() ^ ((uint64_t)getpid() << 40);

	return g ? g : 1;
}

static void
hdr_format(struct sl_shm *shm, const char *instance, uint32_t cmd_slots,
	   uint32_t evt_slots, size_t cmd_off, size_t evt_off, size_t ctr_off)
{
	struct sl_shm_hdr *h = shm->hdr;

	h->abi_version = SL_ABI_VERSION;
	h->n_msg_sizes = SL_MSGI_MAX;
	sl_msg_sizes(h->msg_size);
	h->generation = generation_new();
	h->total_size = shm->size;
	h->cmd_off = cmd_off;
	h->evt_off = evt_off;
	h->ctr_off = ctr_off;
	h->cmd_slots = cmd_slots;
	h->evt_slots = evt_slots;
	h->state = SL_DP_STARTING;
	h->dp_pid = (int32_t)getpid();
	h->started_ns = sl_real_ns();
	snprintf(h->instance, sizeof(h->instance), "%s", instance);
#ifdef SLUICE_VERSION
	snprintf(h->version, sizeof(h->version), "%s", SLUICE_VERSION);
#endif
	shm->cmd = (struct sl_ring *)((char *)h + cmd_off);
	shm->evt = (struct sl_ring *)((char *)h + evt_off);
	shm->ctr = (struct sl_shm_counters *)((char *)h + ctr_off);
	sl_ring_init(shm->cmd, cmd_slots);
	sl_ring_init(shm->evt, evt_slots);
	/* The magic last: an attacher never sees a half-made header as ours. */
	__atomic_store_n(&h->magic, SL_SHM_MAGIC, __ATOMIC_RELEASE);
}

int
sl_shm_create(struct sl_shm *shm, const char *instance, uint32_t cmd_slots,
	      uint32_t evt_slots, char *err, size_t errlen)
{
	size_t cmd_off = align64(sizeof(struct sl_shm_hdr));
	size_t evt_off = cmd_off + align64(sl_ring_size(cmd_slots));
	size_t ctr_off = evt_off + align64(sl_ring_size(evt_slots));
	void *base;
	int fd, e;

	memset(shm, 0, sizeof(*shm));
	if ((cmd_slots & (cmd_slots - 1)) || (evt_slots & (evt_slots - 1)) ||
	    cmd_slots < 2 || evt_slots < 2) {
		sl_errf(err, errlen, "ring sizes must be powers of two");
		errno = EINVAL;
		return -1;
	}
	if (sl_shm_name(shm->name, sizeof(shm->name), instance) != 0) {
		sl_errf(err, errlen, "instance name too long");
		return -1;
	}
	shm->size = ctr_off + align64(sizeof(struct sl_shm_counters));
	/* A dataplane that died left its object: ours replaces it. */
	if (shm_unlink(shm->name) != 0 && errno != ENOENT) {
		e = errno;
		sl_errf(err, errlen, "/dev/shm%s: %s", shm->name, strerror(e));
		errno = e;
		return -1;
	}
	fd = shm_open(shm->name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		e = errno;
		sl_errf(err, errlen, "/dev/shm%s: %s", shm->name, strerror(e));
		errno = e;
		return -1;
	}
	if (ftruncate(fd, (off_t)shm->size) != 0) {
		e = errno;
		close(fd);
		shm_unlink(shm->name);
		sl_errf(err, errlen, "/dev/shm%s: %zu bytes: %s", shm->name,
		     shm->size, strerror(e));
		errno = e;
		return -1;
	}
	base = mmap(NULL, shm->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	e = errno;
	close(fd);
	if (base == MAP_FAILED) {
		shm_unlink(shm->name);
		sl_errf(err, errlen, "mmap %s: %s", shm->name, strerror(e));
		errno = e;
		return -1;
	}
	shm->hdr = base;
	shm->owner = true;
	hdr_format(shm, instance, cmd_slots, evt_slots, cmd_off, evt_off,
		   ctr_off);
	return 0;
}

void
sl_shm_destroy(struct sl_shm *shm)
{
	if (shm->hdr == NULL)
		return;
	__atomic_store_n(&shm->hdr->state, SL_DP_STOPPED, __ATOMIC_RELEASE);
	munmap(shm->hdr, shm->size);
	if (shm->owner)
		shm_unlink(shm->name);
	shm->hdr = NULL;
}

/* Magic, version, then each message size: the first difference is named. */
static int
hdr_check(const struct sl_shm_hdr *h, size_t size, char *err, size_t errlen)
{
	uint32_t mine[SL_MSGI_MAX];
	unsigned i;

	if (__atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) != SL_SHM_MAGIC) {
		sl_errf(err, errlen, "not a sluice dataplane object (bad magic; "
		     "the dataplane may still be starting)");
		errno = EBADMSG;
		return -1;
	}
	if (h->abi_version != SL_ABI_VERSION) {
		sl_errf(err, errlen, "ABI mismatch: the dataplane (sluice-dp %.32s) "
		     "speaks ABI version %u, this program ABI version %u; "
		     "run sluice-dp and sluice-cp from the same build",
		     h->version, h->abi_version, SL_ABI_VERSION);
		errno = EPROTO;
		return -1;
	}
	sl_msg_sizes(mine);
	if (h->n_msg_sizes != SL_MSGI_MAX) {
		sl_errf(err, errlen, "ABI mismatch: the dataplane knows %u "
		     "message types, this program %u", h->n_msg_sizes,
		     (unsigned)SL_MSGI_MAX);
		errno = EPROTO;
		return -1;
	}
	for (i = 0; i < SL_MSGI_MAX; i++)
		if (h->msg_size[i] != mine[i]) {
			sl_errf(err, errlen, "ABI mismatch: struct %s is %u bytes "
			     "in the dataplane and %u in this program (same "
			     "ABI version %u: one side was built from "
			     "another tree)", sl_msg_index_name(i),
			     h->msg_size[i], mine[i], SL_ABI_VERSION);
			errno = EPROTO;
			return -1;
		}
	if (h->total_size != size || h->cmd_off + sl_ring_size(h->cmd_slots) >
	    size || h->evt_off + sl_ring_size(h->evt_slots) > size ||
	    h->ctr_off + sizeof(struct sl_shm_counters) > size) {
		sl_errf(err, errlen, "object layout does not fit its %zu bytes",
		     size);
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

int
sl_shm_attach(struct sl_shm *shm, const char *instance, char *err,
	      size_t errlen)
{
	struct stat st;
	void *base;
	int fd, e;

	memset(shm, 0, sizeof(*shm));
	if (sl_shm_name(shm->name, sizeof(shm->name), instance) != 0) {
		sl_errf(err, errlen, "instance name too long");
		return -1;
	}
	fd = shm_open(shm->name, O_RDWR | O_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		if (e == ENOENT)
			sl_errf(err, errlen, "no dataplane for instance '%s' "
			     "(/dev/shm%s does not exist)", instance,
			     shm->name);
		else
			sl_errf(err, errlen, "/dev/shm%s: %s", shm->name,
			     strerror(e));
		errno = e;
		return -1;
	}
	if (fstat(fd, &st) != 0 ||
	    (size_t)st.st_size < sizeof(struct sl_shm_hdr)) {
		close(fd);
		sl_errf(err, errlen, "/dev/shm%s: too small to be ours (the "
		     "dataplane may still be starting)", shm->name);
		errno = EBADMSG;
		return -1;
	}
	shm->size = (size_t)st.st_size;
	base = mmap(NULL, shm->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	e = errno;
	close(fd);
	if (base == MAP_FAILED) {
		sl_errf(err, errlen, "mmap %s: %s", shm->name, strerror(e));
		errno = e;
		return -1;
	}
	shm->hdr = base;
	if (hdr_check(shm->hdr, shm->size, err, errlen) != 0) {
		e = errno;
		munmap(base, shm->size);
		shm->hdr = NULL;
		errno = e;
		return -1;
	}
	shm->cmd = (struct sl_ring *)((char *)base + shm->hdr->cmd_off);
	shm->evt = (struct sl_ring *)((char *)base + shm->hdr->evt_off);
	shm->ctr = (struct sl_shm_counters *)((char *)base + shm->hdr->ctr_off);
	return 0;
}

void
sl_shm_detach(struct sl_shm *shm)
{
	if (shm->hdr != NULL)
		munmap(shm->hdr, shm->size);
	shm->hdr = NULL;
	shm->cmd = shm->evt = NULL;
	shm->ctr = NULL;
}

bool
sl_shm_dp_alive(const struct sl_shm *shm)
{
	pid_t pid;

	if (shm->hdr == NULL ||
	    __atomic_load_n(&shm->hdr->state, __ATOMIC_ACQUIRE) !=
	    SL_DP_RUNNING)
		return false;
	pid = (pid_t)__atomic_load_n(&shm->hdr->dp_pid, __ATOMIC_RELAXED);
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

void
sl_counters_publish(struct sl_shm_counters *c, const struct sl_counter *v,
		    uint32_t n)
{
	uint64_t s = __atomic_load_n(&c->seq, __ATOMIC_RELAXED);

	if (n > SL_COUNTERS_MAX)
		n = SL_COUNTERS_MAX;
	__atomic_store_n(&c->seq, s + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(c->c, v, n * sizeof(*v));
	c->n = n;
	c->updated_ns = sl_real_ns();
	__atomic_store_n(&c->seq, s + 2, __ATOMIC_RELEASE);
}

int
sl_counters_read(const struct sl_shm_counters *c, struct sl_shm_counters *out)
{
	int tries;

	for (tries = 0; tries < 1000; tries++) {
		uint64_t s1 = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);

		if (s1 & 1)
			continue;
		memcpy(out, c, sizeof(*out));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&c->seq, __ATOMIC_RELAXED) == s1) {
			if (out->n > SL_COUNTERS_MAX)
				out->n = SL_COUNTERS_MAX;
			return 0;
		}
	}
	errno = EAGAIN;
	return -1;
}

const char *
sl_result_name(unsigned result)
{
	static const char *const names[SL_RESULT_MAX] = {
		[SL_OK] = "ok",
		[SL_E_UNKNOWN_CMD] = "unknown command",
		[SL_E_MALFORMED] = "malformed",
		[SL_E_EXISTS] = "exists",
		[SL_E_NOT_FOUND] = "not found",
		[SL_E_CAPACITY] = "table full",
		[SL_E_RANGE] = "out of range",
		[SL_E_BUSY] = "busy",
	};

	return result < SL_RESULT_MAX && names[result] ? names[result] : "?";
}

const char *
sl_cmd_name(unsigned type)
{
	static const char *const names[SL_CMD_MAX] = {
		[SL_CMD_NONE] = "none",
		[SL_CMD_PING] = "ping",
		[SL_CMD_LEG_ADD] = "leg_add",
		[SL_CMD_LEG_MOD] = "leg_mod",
		[SL_CMD_LEG_DEL] = "leg_del",
		[SL_CMD_CRED_SET] = "cred_set",
		[SL_CMD_CRED_DEL] = "cred_del",
		[SL_CMD_LEG_QUERY] = "leg_query",
		[SL_CMD_DUMP] = "dump",
		[SL_CMD_TURN_SECRET] = "turn_secret",
		[SL_CMD_TURN_ALTERNATE] = "turn_alternate",
	};

	return type < SL_CMD_MAX && names[type] ? names[type] : "unknown";
}

const char *
sl_evt_name(unsigned type)
{
	switch (type) {
	case SL_EVT_ACK: return "ack";
	case SL_EVT_LEG_INFO: return "leg_info";
	case SL_EVT_LEG_LATCHED: return "leg_latched";
	case SL_EVT_LEG_IDLE: return "leg_idle";
	case SL_EVT_ALLOC_CREATED: return "alloc_created";
	case SL_EVT_ALLOC_EXPIRED: return "alloc_expired";
	case SL_EVT_OVERFLOW: return "overflow";
	case SL_EVT_CRED_INFO: return "cred_info";
	case SL_EVT_ALLOC_INFO: return "alloc_info";
	case SL_EVT_TURN_PEER: return "turn_peer";
	default: return "unknown";
	}
}

const char *
sl_latch_name(unsigned latch)
{
	switch (latch) {
	case SL_LATCH_STRICT: return "strict";
	case SL_LATCH_ONCE: return "once";
	case SL_LATCH_RELATCH: return "relatch";
	default: return "?";
	}
}

const char *
sl_leg_drop_name(unsigned why)
{
	switch (why) {
	case SL_LEG_DROP_WRONG_SOURCE: return "wrong_source";
	case SL_LEG_DROP_NOT_READY: return "receiver_not_ready";
	case SL_LEG_DROP_NO_PEER: return "no_peer";
	case SL_LEG_DROP_OTHER: return "other";
	default: return "?";
	}
}

const char *
sl_dp_state_name(unsigned state)
{
	switch (state) {
	case SL_DP_STARTING: return "starting";
	case SL_DP_RUNNING: return "running";
	case SL_DP_STOPPED: return "stopped";
	default: return "?";
	}
}
