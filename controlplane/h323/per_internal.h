/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * per_internal.h — what the PER encoder and decoder share and nobody else
 * needs: the bit cursors, the walk context with its path for error
 * messages, and small descriptor queries.
 *
 * Bits are numbered from the most significant bit of octet 0, as X.691
 * does; "aligned" means the cursor sits on a multiple of 8.
 */
#ifndef SL_PER_INTERNAL_H
#define SL_PER_INTERNAL_H

#include <stdarg.h>

#include "per.h"

/* Output cursor. Octets are zeroed as the cursor first enters them, so
 * bits are ORed in and padding is zero without a separate pass. */
struct per_wbuf {
	uint8_t *buf;
	size_t cap;		/* octets */
	size_t bit;
};

/* Input cursor over buf[0..len). */
struct per_rbuf {
	const uint8_t *buf;
	size_t len;		/* octets */
	size_t bit;
};

struct per_path_elem {
	const char *name;
	long index;		/* list position, or -1 */
};

struct per_ctx {
	struct per_error *err;
	struct per_arena *arena;	/* decode only */
	size_t base_bit;		/* of the open type being walked */
	unsigned depth;
	struct per_path_elem path[PER_MAX_DEPTH + 2];
};

/* Records the first failure (with the current path) and returns -1. */
int per_fail(struct per_ctx *c, size_t bit, enum per_status code,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Path bookkeeping around every nested value; per_enter fails with
 * PER_E_DEPTH past PER_MAX_DEPTH. */
int per_enter(struct per_ctx *c, size_t bit, const char *name, long index);
void per_leave(struct per_ctx *c);

/* Number of bits for a constrained whole number of range r (r >= 2) in a
 * bit-field: ceil(log2(r)). */
unsigned per_bits_for_range(uint64_t range);

/* Octets needed to hold v as an unsigned binary number (at least 1). */
unsigned per_octets_for(uint64_t v);

/* Index of the "..." marker in a compound, or n if there is none. */
uint32_t per_ellipsis_at(const struct per_compound_info *ci);

/* Characters a string type allows, in ascending order, and how they are
 * sent: bits per character in the ALIGNED variant and whether the index
 * in the alphabet (rather than the code) goes on the wire. */
struct per_alphabet {
	const char *chars;	/* NULL: every code 0..n-1 */
	unsigned n;
	unsigned bits;
	bool by_index;
};

void per_alphabet_of(const struct per_type *t, struct per_alphabet *al);
/* Wire value of c, or -1 if c is not permitted. */
int per_alphabet_encode(const struct per_alphabet *al, unsigned char c);
/* Character for wire value v, or -1 if v names none. */
int per_alphabet_decode(const struct per_alphabet *al, uint32_t v);

/* Reads or writes the C integer a descriptor describes. */
int64_t per_int_load(const struct per_integer_info *ii, const void *p);
void per_int_store(const struct per_integer_info *ii, void *p, int64_t v);
/* Whether v fits the C storage of ii (for decoded values). */
bool per_int_fits(const struct per_integer_info *ii, int64_t v);

static inline const void *per_at(const void *base, uint32_t off)
{
	return (const uint8_t *)base + off;
}

static inline void *per_at_mut(void *base, uint32_t off)
{
	return (uint8_t *)base + off;
}

static inline bool per_load_bool(const void *base, uint32_t off)
{
	bool b;

	__builtin_memcpy(&b, per_at(base, off), sizeof(b));
	return b;
}

static inline unsigned per_load_uint(const void *base, uint32_t off)
{
	unsigned u;

	__builtin_memcpy(&u, per_at(base, off), sizeof(u));
	return u;
}

#endif /* SL_PER_INTERNAL_H */
