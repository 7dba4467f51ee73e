/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * per_encode.c — the generic PER (ALIGNED) encoder: walks a type
 * descriptor and the C struct it describes and writes X.691 bits.
 *
 * Clause numbers refer to X.691 (07/2002). Where X.691 leaves room, the
 * choices follow Wireshark's PER dissector, which is what this codec is
 * checked against:
 *   - SEQUENCE extension bitmaps cover every addition of the type, so a
 *     mandatory addition (keepAlive in RRQ, ...) is always sent and the
 *     extension bit is set whenever the type has one;
 *   - an empty OCTET/BIT STRING content is not octet-aligned;
 *   - character strings are octet-aligned unless their upper bound is
 *     below 2 characters or they are fixed at 2 characters or fewer.
 */
#include <string.h>

#include "per_internal.h"

struct enc {
	struct per_wbuf w;
	struct per_ctx c;
};

static int enc_value(struct enc *e, const struct per_type *t, const void *v,
		     const char *name, long index);

/* ---- bit output ---------------------------------------------------------- */

static int put_bits(struct enc *e, uint64_t v, unsigned n)
{
	struct per_wbuf *w = &e->w;

	if (n == 0)
		return 0;
	if ((w->bit + n + 7) / 8 > w->cap)
		return per_fail(&e->c, w->bit, PER_E_NOSPACE,
				"needs more than %zu octets", w->cap);
	for (unsigned i = n; i-- > 0;) {
		size_t byte = w->bit >> 3;
		unsigned shift = 7 - (unsigned)(w->bit & 7);

		if (shift == 7)
			w->buf[byte] = 0;
		w->buf[byte] |= (uint8_t)(((v >> i) & 1u) << shift);
		w->bit++;
	}
	return 0;
}

/* The partial octet was zeroed when entered, so padding is free. */
static void put_align(struct enc *e)
{
	e->w.bit = (e->w.bit + 7) & ~(size_t)7;
}

static int put_octets(struct enc *e, const uint8_t *p, size_t n)
{
	struct per_wbuf *w = &e->w;

	put_align(e);
	if (n > w->cap - w->bit / 8)
		return per_fail(&e->c, w->bit, PER_E_NOSPACE,
				"needs more than %zu octets", w->cap);
	if (n > 0)
		memcpy(w->buf + w->bit / 8, p, n);
	w->bit += 8 * n;
	return 0;
}

/* 10.9.3.5-7: unconstrained length determinant, octet-aligned. */
static int put_length(struct enc *e, size_t n)
{
	put_align(e);
	if (n < 128)
		return put_bits(e, n, 8);
	if (n < 16384)
		return put_bits(e, 0x8000u | n, 16);
	return per_fail(&e->c, e->w.bit, PER_E_UNSUPPORTED,
			"length %zu needs fragmentation", n);
}

/* 10.5.7: constrained whole number, off = value - lb, range = ub - lb + 1
 * (0 standing for 2^64). */
static int put_constrained(struct enc *e, uint64_t off, uint64_t range)
{
	unsigned maxoct, k;

	if (range == 1)
		return 0;
	if (range != 0 && range <= 255)
		return put_bits(e, off, per_bits_for_range(range));
	if (range == 256) {
		put_align(e);
		return put_bits(e, off, 8);
	}
	if (range != 0 && range <= 65536) {
		put_align(e);
		return put_bits(e, off, 16);
	}
	/* 10.5.7.4: the octet count as a constrained number (1..maxoct),
	 * then the value in that many octets. */
	maxoct = range == 0 ? 8 : per_octets_for(range - 1);
	k = per_octets_for(off);
	if (put_bits(e, k - 1, per_bits_for_range(maxoct)) < 0)
		return -1;
	put_align(e);
	return put_bits(e, off, 8 * k);
}

/* 10.6: normally small non-negative whole number. */
static int put_small(struct enc *e, uint64_t n)
{
	unsigned k;

	if (n < 64)
		return put_bits(e, n, 7);	/* leading 0 bit + 6 bits */
	k = per_octets_for(n);
	if (put_bits(e, 1, 1) < 0 || put_length(e, k) < 0)
		return -1;
	return put_bits(e, n, 8 * k);
}

enum size_form { SZ_FIXED, SZ_CONSTRAINED, SZ_UNCONSTRAINED };

/* The length part of strings and SEQUENCE OF (16.x, 19.x, 27.5.x). */
static int put_size(struct enc *e, const struct per_size *sz, size_t n,
		    enum size_form *form)
{
	bool in_root = n >= sz->lb && n <= sz->ub;

	if (sz->ext) {
		if (put_bits(e, !in_root, 1) < 0)
			return -1;
		if (!in_root) {
			*form = SZ_UNCONSTRAINED;
			return put_length(e, n);
		}
	} else if (!in_root) {
		return per_fail(&e->c, e->w.bit, PER_E_SIZE,
				"size %zu outside %u..%u", n, sz->lb,
				sz->ub == PER_NO_UB ? 0 : sz->ub);
	}
	if (sz->lb == sz->ub && sz->ub < 65536) {
		*form = SZ_FIXED;
		return 0;
	}
	if (sz->ub < 65536) {
		*form = SZ_CONSTRAINED;
		return put_constrained(e, n - sz->lb,
				       (uint64_t)sz->ub - sz->lb + 1);
	}
	*form = SZ_UNCONSTRAINED;
	return put_length(e, n);
}

/* ---- simple types -------------------------------------------------------- */

/* Minimal two's-complement octets for v (12.2.6). */
static unsigned signed_octets(int64_t v)
{
	unsigned n = 1;

	while (n < 8 && (v < -((int64_t)1 << (8 * n - 1)) ||
			 v >= ((int64_t)1 << (8 * n - 1))))
		n++;
	return n;
}

static int enc_integer(struct enc *e, const struct per_type *t, const void *v)
{
	const struct per_integer_info *ii = &t->u.i;
	int64_t x = per_int_load(ii, v);
	bool in_root = (!ii->has_lb || x >= ii->lb) &&
		       (!ii->has_ub || x <= ii->ub);
	unsigned k;

	if (ii->ext) {
		if (put_bits(e, !in_root, 1) < 0)
			return -1;
	} else if (!in_root) {
		return per_fail(&e->c, e->w.bit, PER_E_RANGE,
				"%lld outside %lld..%lld", (long long)x,
				(long long)ii->lb, (long long)ii->ub);
	}
	if (in_root && ii->has_lb && ii->has_ub)
		return put_constrained(e, (uint64_t)x - (uint64_t)ii->lb,
				       (uint64_t)ii->ub - (uint64_t)ii->lb + 1);
	if (in_root && ii->has_lb) {	/* 12.2.3: semi-constrained */
		k = per_octets_for((uint64_t)x - (uint64_t)ii->lb);
		if (put_length(e, k) < 0)
			return -1;
		return put_bits(e, (uint64_t)x - (uint64_t)ii->lb, 8 * k);
	}
	k = signed_octets(x);		/* 12.2.4: unconstrained */
	if (put_length(e, k) < 0)
		return -1;
	return put_bits(e, (uint64_t)x, 8 * k);
}

static int enc_enumerated(struct enc *e, const struct per_type *t,
			  const void *v)
{
	const struct per_enum_info *ei = &t->u.e;
	unsigned idx = *(const unsigned *)v;

	if (idx >= ei->nroot + ei->nadd)
		return per_fail(&e->c, e->w.bit, PER_E_RANGE,
				"enumeration index %u unknown", idx);
	if (ei->ext && put_bits(e, idx >= ei->nroot, 1) < 0)
		return -1;
	if (idx >= ei->nroot)
		return put_small(e, idx - ei->nroot);
	return put_constrained(e, idx, ei->nroot);
}

static int enc_bit_string(struct enc *e, const struct per_type *t,
			  const void *v)
{
	const struct per_bits *b = v;
	enum size_form form;

	if (b->nbits > 0 && b->data == NULL)
		return per_fail(&e->c, e->w.bit, PER_E_INVALID, "no data");
	if (put_size(e, &t->u.s.size, b->nbits, &form) < 0)
		return -1;
	/* 15.9/15.10: fixed up to 16 bits stays unaligned. */
	if ((form == SZ_FIXED && b->nbits > 16) ||
	    (form != SZ_FIXED && b->nbits > 0))
		put_align(e);
	for (size_t i = 0; i < b->nbits; i++)
		if (put_bits(e, (b->data[i / 8] >> (7 - i % 8)) & 1u, 1) < 0)
			return -1;
	return 0;
}

static int enc_octet_string(struct enc *e, const struct per_type *t,
			    const void *v)
{
	const struct per_octets *o = v;
	struct per_octets fixed;
	enum size_form form;

	if (t->u.s.inline_fixed) {
		fixed.data = v;
		fixed.len = t->u.s.size.ub;
		o = &fixed;
	}
	if (o->len > 0 && o->data == NULL)
		return per_fail(&e->c, e->w.bit, PER_E_INVALID, "no data");
	if (put_size(e, &t->u.s.size, o->len, &form) < 0)
		return -1;
	/* 16.6: fixed at two octets or fewer stays unaligned. */
	if (form == SZ_FIXED && o->len <= 2) {
		for (size_t i = 0; i < o->len; i++)
			if (put_bits(e, o->data[i], 8) < 0)
				return -1;
		return 0;
	}
	if (o->len == 0)
		return 0;
	return put_octets(e, o->data, o->len);
}

/* Whether a character string's characters start on an octet boundary. */
static bool chars_aligned(const struct per_size *sz, enum size_form form)
{
	if (form == SZ_UNCONSTRAINED)
		return true;
	if (sz->ub < 2)
		return false;
	return !(form == SZ_FIXED && sz->ub <= 2);
}

static int enc_chars(struct enc *e, const struct per_type *t, const void *v)
{
	const char *s = *(const char *const *)v;
	struct per_alphabet al;
	enum size_form form;
	size_t n;

	if (s == NULL)
		return per_fail(&e->c, e->w.bit, PER_E_INVALID,
				"string not set");
	n = strlen(s);
	per_alphabet_of(t, &al);
	if (put_size(e, &t->u.s.size, n, &form) < 0)
		return -1;
	if (chars_aligned(&t->u.s.size, form))
		put_align(e);
	for (size_t i = 0; i < n; i++) {
		int code = per_alphabet_encode(&al, (unsigned char)s[i]);

		if (code < 0)
			return per_fail(&e->c, e->w.bit, PER_E_ALPHABET,
					"character 0x%02x at %zu not permitted",
					(unsigned char)s[i], i);
		if (put_bits(e, (unsigned)code, al.bits) < 0)
			return -1;
	}
	return 0;
}

static int enc_bmp(struct enc *e, const struct per_type *t, const void *v)
{
	const struct per_bmp *b = v;
	enum size_form form;

	if (b->len > 0 && b->chars == NULL)
		return per_fail(&e->c, e->w.bit, PER_E_INVALID, "no data");
	if (put_size(e, &t->u.s.size, b->len, &form) < 0)
		return -1;
	put_align(e);
	for (size_t i = 0; i < b->len; i++)
		if (put_bits(e, b->chars[i], 16) < 0)
			return -1;
	return 0;
}

/* 23: the BER contents octets of the OID, after a length determinant. */
static int enc_oid(struct enc *e, const void *v)
{
	const struct per_oid *oid = v;
	uint8_t tmp[PER_OID_MAX_ARCS * 10];
	size_t n = 0;

	if (oid->n < 2 || oid->n > PER_OID_MAX_ARCS || oid->arc[0] > 2 ||
	    (oid->arc[0] < 2 && oid->arc[1] >= 40))
		return per_fail(&e->c, e->w.bit, PER_E_INVALID,
				"object identifier with %u arcs not encodable",
				oid->n);
	for (unsigned i = 1; i < oid->n; i++) {
		uint64_t sub = i == 1 ? (uint64_t)oid->arc[0] * 40 + oid->arc[1]
				      : oid->arc[i];
		unsigned groups = 1;

		while (groups < 10 && (sub >> (7 * groups)) != 0)
			groups++;
		for (unsigned g = groups; g-- > 0;)
			tmp[n++] = (uint8_t)(((sub >> (7 * g)) & 0x7f) |
					     (g ? 0x80 : 0));
	}
	if (put_length(e, n) < 0)
		return -1;
	return put_octets(e, tmp, n);
}

/* ---- open types ---------------------------------------------------------- */

/* 10.2: an open type is a length determinant and a complete encoding.
 * The inner value is encoded in place two octets after the length and
 * moved back one octet when a one-octet length suffices. */
static int put_open(struct enc *e, const struct per_type *t, const void *v,
		    const char *name)
{
	struct per_wbuf outer;
	size_t at, len;

	if (t->kind == PER_K_OPEN) {	/* already an encoding */
		const struct per_octets *raw = v;
		static const uint8_t zero;

		if (raw->len > 0 && raw->data == NULL)
			return per_fail(&e->c, e->w.bit, PER_E_INVALID,
					"open type without data");
		if (raw->len == 0)
			return put_length(e, 1) < 0 ? -1
						    : put_octets(e, &zero, 1);
		if (put_length(e, raw->len) < 0)
			return -1;
		return put_octets(e, raw->data, raw->len);
	}
	put_align(e);
	at = e->w.bit / 8;
	if (e->w.cap - at < 2)
		return per_fail(&e->c, e->w.bit, PER_E_NOSPACE,
				"needs more than %zu octets", e->w.cap);
	outer = e->w;
	e->w.buf = outer.buf + at + 2;
	e->w.cap = outer.cap - at - 2;
	e->w.bit = 0;
	if (enc_value(e, t, v, name, -1) < 0)
		return -1;
	len = (e->w.bit + 7) / 8;
	if (len == 0) {			/* 10.1.3: never empty */
		if (e->w.cap < 1)
			return per_fail(&e->c, e->w.bit, PER_E_NOSPACE,
					"needs more octets");
		e->w.buf[0] = 0;
		len = 1;
	}
	e->w = outer;
	if (len < 128) {
		outer.buf[at] = (uint8_t)len;
		memmove(outer.buf + at + 1, outer.buf + at + 2, len);
		e->w.bit = 8 * (at + 1 + len);
	} else if (len < 16384) {
		outer.buf[at] = (uint8_t)(0x80 | (len >> 8));
		outer.buf[at + 1] = (uint8_t)len;
		e->w.bit = 8 * (at + 2 + len);
	} else {
		return per_fail(&e->c, e->w.bit, PER_E_UNSUPPORTED,
				"open type of %zu octets", len);
	}
	return 0;
}

/* ---- constructed types --------------------------------------------------- */

static bool field_present(const struct per_field *f, const void *v)
{
	if (f->flags & PER_FL_SKIP)
		return false;
	if (!(f->flags & PER_FL_OPTIONAL))
		return true;
	return per_load_bool(v, f->pres);
}

static int unmodelled(struct per_ctx *c, size_t bit, const char *name)
{
	return per_fail(c, bit, PER_E_UNSUPPORTED,
			"alternative %s is not modelled by this codec", name);
}

static int enc_field(struct enc *e, const struct per_field *f, const void *v)
{
	if (f->type->kind == PER_K_NULL)
		return 0;
	if (f->type->kind == PER_K_UNMODELLED)
		return unmodelled(&e->c, e->w.bit, f->name);
	return enc_value(e, f->type, per_at(v, f->offset), f->name, -1);
}

static int enc_sequence(struct enc *e, const struct per_type *t, const void *v)
{
	const struct per_compound_info *ci = &t->u.c;
	uint32_t m = per_ellipsis_at(ci);
	bool ext_present = false;

	for (uint32_t i = m + 1; i < ci->n; i++)
		ext_present |= field_present(&ci->fields[i], v);
	/* 18.1-18.3: extension bit, then the root presence bitmap. */
	if (m < ci->n && put_bits(e, ext_present, 1) < 0)
		return -1;
	for (uint32_t i = 0; i < m; i++)
		if ((ci->fields[i].flags & PER_FL_OPTIONAL) &&
		    put_bits(e, field_present(&ci->fields[i], v), 1) < 0)
			return -1;
	for (uint32_t i = 0; i < m; i++)
		if (field_present(&ci->fields[i], v) &&
		    enc_field(e, &ci->fields[i], v) < 0)
			return -1;
	if (!ext_present)
		return 0;
	/* 18.7-18.9: count of additions, their bitmap, each as open type. */
	if (put_small(e, ci->n - m - 2) < 0)
		return -1;
	for (uint32_t i = m + 1; i < ci->n; i++)
		if (put_bits(e, field_present(&ci->fields[i], v), 1) < 0)
			return -1;
	for (uint32_t i = m + 1; i < ci->n; i++) {
		const struct per_field *f = &ci->fields[i];
		static const uint8_t empty;

		if (!field_present(f, v))
			continue;
		if (f->type->kind == PER_K_NULL) {
			/* A present NULL addition is an empty encoding,
			 * sent as one zero octet. */
			if (put_length(e, 1) < 0 ||
			    put_octets(e, &empty, 1) < 0)
				return -1;
			continue;
		}
		if (put_open(e, f->type, per_at(v, f->offset), f->name) < 0)
			return -1;
	}
	return 0;
}

static int enc_choice(struct enc *e, const struct per_type *t, const void *v)
{
	const struct per_compound_info *ci = &t->u.c;
	uint32_t m = per_ellipsis_at(ci);
	bool ext = m < ci->n;
	uint32_t known = ext ? ci->n - 1 : ci->n;
	unsigned tag = per_load_uint(v, ci->tag_off);
	const struct per_field *f;

	if (tag >= known) {
		/* An alternative this build does not know, relayed raw. */
		if (!ext)
			return per_fail(&e->c, e->w.bit, PER_E_RANGE,
					"alternative %u unknown", tag);
		if (put_bits(e, 1, 1) < 0 || put_small(e, tag - m) < 0)
			return -1;
		return put_open(e, &per_t_open, per_at(v, ci->raw_off),
				"unknown");
	}
	if (tag < m) {			/* 22.6-22.7: root alternative */
		f = &ci->fields[tag];
		if (ext && put_bits(e, 0, 1) < 0)
			return -1;
		if (put_constrained(e, tag, m) < 0)
			return -1;
		return enc_field(e, f, v);
	}
	f = &ci->fields[tag + 1];	/* 22.8: addition, as open type */
	if (put_bits(e, 1, 1) < 0 || put_small(e, tag - m) < 0)
		return -1;
	if (f->type->kind == PER_K_NULL) {
		static const uint8_t empty;
		return put_length(e, 1) < 0 ? -1 : put_octets(e, &empty, 1);
	}
	return put_open(e, f->type, per_at(v, f->offset), f->name);
}

static int enc_sequence_of(struct enc *e, const struct per_type *t,
			   const void *v)
{
	const struct per_type *et = t->u.l.elem;
	enum size_form form;
	struct per_list l;

	memcpy(&l, v, sizeof(l));
	if (l.n > 0 && l.items == NULL)
		return per_fail(&e->c, e->w.bit, PER_E_INVALID,
				"%zu items but no array", l.n);
	if (put_size(e, &t->u.l.size, l.n, &form) < 0)
		return -1;
	for (size_t i = 0; i < l.n; i++)
		if (enc_value(e, et, (const uint8_t *)l.items + i * et->csize,
			      NULL, (long)i) < 0)
			return -1;
	return 0;
}

static int enc_value(struct enc *e, const struct per_type *t, const void *v,
		     const char *name, long index)
{
	int rc = -1;

	if (per_enter(&e->c, e->w.bit, name ? name : t->name, index) < 0)
		return -1;
	switch (t->kind) {
	case PER_K_NULL:
		rc = 0;
		break;
	case PER_K_BOOLEAN:
		rc = put_bits(e, *(const bool *)v, 1);
		break;
	case PER_K_INTEGER:
		rc = enc_integer(e, t, v);
		break;
	case PER_K_ENUMERATED:
		rc = enc_enumerated(e, t, v);
		break;
	case PER_K_BIT_STRING:
		rc = enc_bit_string(e, t, v);
		break;
	case PER_K_OCTET_STRING:
		rc = enc_octet_string(e, t, v);
		break;
	case PER_K_CHARS:
		rc = enc_chars(e, t, v);
		break;
	case PER_K_BMP:
		rc = enc_bmp(e, t, v);
		break;
	case PER_K_OID:
		rc = enc_oid(e, v);
		break;
	case PER_K_SEQUENCE:
		rc = enc_sequence(e, t, v);
		break;
	case PER_K_SEQUENCE_OF:
		rc = enc_sequence_of(e, t, v);
		break;
	case PER_K_CHOICE:
		rc = enc_choice(e, t, v);
		break;
	case PER_K_OPEN:
		rc = put_open(e, t, v, name);
		break;
	case PER_K_UNMODELLED:
		rc = unmodelled(&e->c, e->w.bit, name ? name : t->name);
		break;
	}
	per_leave(&e->c);
	return rc;
}

int per_encode(const struct per_type *t, const void *value, uint8_t *buf,
	       size_t cap, size_t *len, struct per_error *err)
{
	struct per_error dummy;
	struct enc e;

	memset(&e, 0, sizeof(e));
	e.c.err = err != NULL ? err : &dummy;
	memset(e.c.err, 0, sizeof(*e.c.err));
	e.w.buf = buf;
	e.w.cap = cap;
	if (enc_value(&e, t, value, NULL, -1) < 0)
		return -1;
	*len = (e.w.bit + 7) / 8;
	if (*len == 0) {		/* 10.1.3: a complete encoding is
					 * at least one octet */
		if (cap < 1)
			return per_fail(&e.c, 0, PER_E_NOSPACE, "no room");
		buf[0] = 0;
		*len = 1;
	}
	return 0;
}
