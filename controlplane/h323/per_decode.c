/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * per_decode.c — the generic PER (ALIGNED) decoder: the mirror of
 * per_encode.c, for input nobody vouches for.
 *
 * Every read is checked against the end of the input (or of the open type
 * being read), every count against the bits that remain before anything
 * is allocated, every value against its constraint and its C storage.
 * Open types (extension additions, extension alternatives) are decoded
 * through a cursor bounded by their own length, so a lying inner value
 * cannot read past its container. Strings and lists are copied into the
 * caller's arena.
 */
#include <string.h>

#include "per_internal.h"

struct dec {
	struct per_rbuf r;
	struct per_ctx c;
};

static int dec_value(struct dec *d, const struct per_type *t, void *v,
		     const char *name, long index);

/* ---- bit input ----------------------------------------------------------- */

static size_t remaining(const struct dec *d)
{
	size_t total = 8 * d->r.len;

	return d->r.bit < total ? total - d->r.bit : 0;
}

static int truncated(struct dec *d, size_t want)
{
	return per_fail(&d->c, d->r.bit, PER_E_TRUNCATED,
			"needs %zu more bits, %zu left", want, remaining(d));
}

static int get_bits(struct dec *d, unsigned n, uint64_t *out)
{
	uint64_t v = 0;

	if (n > remaining(d))
		return truncated(d, n);
	for (unsigned i = 0; i < n; i++) {
		size_t bit = d->r.bit++;

		v = (v << 1) | ((d->r.buf[bit >> 3] >> (7 - (bit & 7))) & 1u);
	}
	*out = v;
	return 0;
}

static int get_bit(struct dec *d, bool *out)
{
	uint64_t v;

	if (get_bits(d, 1, &v) < 0)
		return -1;
	*out = v != 0;
	return 0;
}

/* A bit at an absolute position already checked to be in the input. */
static bool bit_at(const struct dec *d, size_t pos)
{
	return (d->r.buf[pos >> 3] >> (7 - (pos & 7))) & 1u;
}

static void get_align(struct dec *d)
{
	d->r.bit = (d->r.bit + 7) & ~(size_t)7;
}

/* Points *p at n octets at the (aligned) cursor and moves past them. */
static int get_octets(struct dec *d, size_t n, const uint8_t **p)
{
	get_align(d);
	if (n > remaining(d) / 8)
		return truncated(d, 8 * n);
	*p = d->r.buf + d->r.bit / 8;
	d->r.bit += 8 * n;
	return 0;
}

static int get_length(struct dec *d, size_t *n)
{
	uint64_t b0, b1;

	get_align(d);
	if (get_bits(d, 8, &b0) < 0)
		return -1;
	if ((b0 & 0x80) == 0) {
		*n = (size_t)b0;
		return 0;
	}
	if ((b0 & 0xc0) == 0xc0)
		return per_fail(&d->c, d->r.bit - 8, PER_E_UNSUPPORTED,
				"fragmented length");
	if (get_bits(d, 8, &b1) < 0)
		return -1;
	*n = (size_t)(((b0 & 0x3f) << 8) | b1);
	return 0;
}

/* Mirror of put_constrained(): returns value - lb in *off. */
static int get_constrained(struct dec *d, uint64_t range, uint64_t *off)
{
	unsigned maxoct;
	uint64_t k;

	*off = 0;
	if (range == 1)
		return 0;
	if (range != 0 && range <= 255) {
		if (get_bits(d, per_bits_for_range(range), off) < 0)
			return -1;
	} else if (range == 256) {
		get_align(d);
		if (get_bits(d, 8, off) < 0)
			return -1;
	} else if (range != 0 && range <= 65536) {
		get_align(d);
		if (get_bits(d, 16, off) < 0)
			return -1;
	} else {
		maxoct = range == 0 ? 8 : per_octets_for(range - 1);
		if (get_bits(d, per_bits_for_range(maxoct), &k) < 0)
			return -1;
		if (k + 1 > maxoct)
			return per_fail(&d->c, d->r.bit, PER_E_RANGE,
					"%u octets for a %u-octet range",
					(unsigned)k + 1, maxoct);
		get_align(d);
		if (get_bits(d, 8 * ((unsigned)k + 1), off) < 0)
			return -1;
	}
	if (range != 0 && *off >= range)
		return per_fail(&d->c, d->r.bit, PER_E_RANGE,
				"offset %llu beyond range %llu",
				(unsigned long long)*off,
				(unsigned long long)range);
	return 0;
}

static int get_small(struct dec *d, uint64_t *n)
{
	bool large;
	size_t k;

	if (get_bit(d, &large) < 0)
		return -1;
	if (!large)
		return get_bits(d, 6, n);
	if (get_length(d, &k) < 0)
		return -1;
	if (k == 0 || k > 8)
		return per_fail(&d->c, d->r.bit, PER_E_UNSUPPORTED,
				"%zu-octet small number", k);
	return get_bits(d, 8 * (unsigned)k, n);
}

enum size_form { SZ_FIXED, SZ_CONSTRAINED, SZ_UNCONSTRAINED };

static int get_size(struct dec *d, const struct per_size *sz, size_t *n,
		    enum size_form *form)
{
	uint64_t off;
	bool outside = false;

	if (sz->ext && get_bit(d, &outside) < 0)
		return -1;
	if (outside) {
		*form = SZ_UNCONSTRAINED;
		return get_length(d, n);
	}
	if (sz->lb == sz->ub && sz->ub < 65536) {
		*form = SZ_FIXED;
		*n = sz->lb;
		return 0;
	}
	if (sz->ub < 65536) {
		*form = SZ_CONSTRAINED;
		if (get_constrained(d, (uint64_t)sz->ub - sz->lb + 1, &off) < 0)
			return -1;
		*n = sz->lb + (size_t)off;
		return 0;
	}
	*form = SZ_UNCONSTRAINED;
	if (get_length(d, n) < 0)
		return -1;
	if (*n < sz->lb || *n > sz->ub)
		return per_fail(&d->c, d->r.bit, PER_E_SIZE,
				"size %zu outside %u..", *n, sz->lb);
	return 0;
}

static void *arena_alloc(struct dec *d, size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size) {
		per_fail(&d->c, d->r.bit, PER_E_NOMEM, "%zu x %zu octets", n,
			 size);
		return NULL;
	}
	p = per_arena_alloc(d->c.arena, n * size);
	if (p == NULL)
		per_fail(&d->c, d->r.bit, PER_E_NOMEM,
			 "arena full (%zu octets wanted)", n * size);
	return p;
}

/* ---- simple types -------------------------------------------------------- */

static int store_integer(struct dec *d, const struct per_integer_info *ii,
			 void *v, int64_t x)
{
	if (!per_int_fits(ii, x))
		return per_fail(&d->c, d->r.bit, PER_E_RANGE,
				"%lld does not fit %u octets", (long long)x,
				ii->csize);
	per_int_store(ii, v, x);
	return 0;
}

static int dec_unconstrained_int(struct dec *d,
				 const struct per_integer_info *ii, void *v)
{
	uint64_t u;
	size_t k;

	if (get_length(d, &k) < 0)
		return -1;
	if (k == 0 || k > 8)
		return per_fail(&d->c, d->r.bit, PER_E_UNSUPPORTED,
				"%zu-octet integer", k);
	if (get_bits(d, 8 * (unsigned)k, &u) < 0)
		return -1;
	if (k < 8 && (u >> (8 * k - 1)) & 1u)	/* sign-extend */
		u |= ~(uint64_t)0 << (8 * k);
	return store_integer(d, ii, v, (int64_t)u);
}

static int dec_integer(struct dec *d, const struct per_type *t, void *v)
{
	const struct per_integer_info *ii = &t->u.i;
	bool outside = false;
	uint64_t off;
	size_t k;

	if (ii->ext && get_bit(d, &outside) < 0)
		return -1;
	if (outside || (!ii->has_lb && !ii->has_ub))
		return dec_unconstrained_int(d, ii, v);
	if (ii->has_lb && ii->has_ub) {
		if (get_constrained(d, (uint64_t)ii->ub - (uint64_t)ii->lb + 1,
				    &off) < 0)
			return -1;
		return store_integer(d, ii, v,
				     (int64_t)((uint64_t)ii->lb + off));
	}
	/* semi-constrained */
	if (get_length(d, &k) < 0)
		return -1;
	if (k == 0 || k > 8)
		return per_fail(&d->c, d->r.bit, PER_E_UNSUPPORTED,
				"%zu-octet integer", k);
	if (get_bits(d, 8 * (unsigned)k, &off) < 0)
		return -1;
	if (off > (uint64_t)INT64_MAX - (uint64_t)ii->lb)
		return per_fail(&d->c, d->r.bit, PER_E_RANGE, "too large");
	return store_integer(d, ii, v, (int64_t)((uint64_t)ii->lb + off));
}

static int dec_enumerated(struct dec *d, const struct per_type *t, void *v)
{
	const struct per_enum_info *ei = &t->u.e;
	bool add = false;
	uint64_t idx;

	if (ei->ext && get_bit(d, &add) < 0)
		return -1;
	if (add) {
		if (get_small(d, &idx) < 0)
			return -1;
		if (idx >= ei->nadd)
			return per_fail(&d->c, d->r.bit, PER_E_UNKNOWN_CHOICE,
					"enumeration addition %llu unknown",
					(unsigned long long)idx);
		idx += ei->nroot;
	} else if (get_constrained(d, ei->nroot, &idx) < 0) {
		return -1;
	}
	*(unsigned *)v = (unsigned)idx;
	return 0;
}

static int dec_bit_string(struct dec *d, const struct per_type *t, void *v)
{
	struct per_bits *b = v;
	enum size_form form;
	uint8_t *data;
	size_t n;

	if (get_size(d, &t->u.s.size, &n, &form) < 0)
		return -1;
	if ((form == SZ_FIXED && n > 16) || (form != SZ_FIXED && n > 0))
		get_align(d);
	if (n > remaining(d))
		return truncated(d, n);
	data = arena_alloc(d, (n + 7) / 8 + 1, 1);
	if (data == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		bool bit;

		if (get_bit(d, &bit) < 0)
			return -1;
		data[i / 8] |= (uint8_t)(bit << (7 - i % 8));
	}
	b->data = data;
	b->nbits = n;
	return 0;
}

static int dec_octet_string(struct dec *d, const struct per_type *t, void *v)
{
	const uint8_t *src;
	enum size_form form;
	uint8_t *dst;
	size_t n;

	if (get_size(d, &t->u.s.size, &n, &form) < 0)
		return -1;
	if (t->u.s.inline_fixed)
		dst = v;	/* the checker guarantees n == csize */
	else if ((dst = arena_alloc(d, n + 1, 1)) == NULL)
		return -1;
	if (form == SZ_FIXED && n <= 2) {
		for (size_t i = 0; i < n; i++) {
			uint64_t o;

			if (get_bits(d, 8, &o) < 0)
				return -1;
			dst[i] = (uint8_t)o;
		}
	} else if (n > 0) {
		if (get_octets(d, n, &src) < 0)
			return -1;
		memcpy(dst, src, n);
	}
	if (!t->u.s.inline_fixed) {
		struct per_octets *o = v;
		o->data = dst;
		o->len = n;
	}
	return 0;
}

static bool chars_aligned(const struct per_size *sz, enum size_form form)
{
	if (form == SZ_UNCONSTRAINED)
		return true;
	if (sz->ub < 2)
		return false;
	return !(form == SZ_FIXED && sz->ub <= 2);
}

static int dec_chars(struct dec *d, const struct per_type *t, void *v)
{
	struct per_alphabet al;
	enum size_form form;
	char *s;
	size_t n;

	per_alphabet_of(t, &al);
	if (get_size(d, &t->u.s.size, &n, &form) < 0)
		return -1;
	if (chars_aligned(&t->u.s.size, form))
		get_align(d);
	if (n > remaining(d) / al.bits)
		return truncated(d, n * al.bits);
	s = arena_alloc(d, n + 1, 1);
	if (s == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t code;
		int c;

		if (get_bits(d, al.bits, &code) < 0)
			return -1;
		c = per_alphabet_decode(&al, (uint32_t)code);
		if (c <= 0)	/* NUL cannot live in a C string */
			return per_fail(&d->c, d->r.bit, PER_E_ALPHABET,
					"code %u at %zu not permitted",
					(unsigned)code, i);
		s[i] = (char)c;
	}
	*(const char **)v = s;
	return 0;
}

static int dec_bmp(struct dec *d, const struct per_type *t, void *v)
{
	struct per_bmp *b = v;
	enum size_form form;
	uint16_t *chars;
	size_t n;

	if (get_size(d, &t->u.s.size, &n, &form) < 0)
		return -1;
	get_align(d);
	if (n > remaining(d) / 16)
		return truncated(d, 16 * n);
	chars = arena_alloc(d, n + 1, sizeof(uint16_t));
	if (chars == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t c;

		if (get_bits(d, 16, &c) < 0)
			return -1;
		chars[i] = (uint16_t)c;
	}
	b->chars = chars;
	b->len = n;
	return 0;
}

static int dec_oid(struct dec *d, void *v)
{
	struct per_oid *oid = v;
	const uint8_t *p;
	uint64_t sub = 0;
	bool first = true;
	size_t n;

	if (get_length(d, &n) < 0 || get_octets(d, n, &p) < 0)
		return -1;
	if (n == 0 || (p[n - 1] & 0x80))
		return per_fail(&d->c, d->r.bit, PER_E_INVALID,
				"object identifier of %zu octets ends inside "
				"an arc", n);
	oid->n = 0;
	for (size_t i = 0; i < n; i++) {
		if (sub == 0 && p[i] == 0x80)
			return per_fail(&d->c, d->r.bit, PER_E_INVALID,
					"object identifier arc not minimal");
		sub = (sub << 7) | (p[i] & 0x7f);
		if (sub > UINT32_MAX + (uint64_t)80)
			return per_fail(&d->c, d->r.bit, PER_E_UNSUPPORTED,
					"object identifier arc above 32 bits");
		if (p[i] & 0x80)
			continue;
		if (oid->n + (first ? 2u : 1u) > PER_OID_MAX_ARCS)
			return per_fail(&d->c, d->r.bit, PER_E_UNSUPPORTED,
					"more than %d arcs", PER_OID_MAX_ARCS);
		if (first) {
			unsigned a0 = sub < 40 ? 0 : sub < 80 ? 1 : 2;
			uint64_t a1 = sub - 40u * a0;

			if (a1 > UINT32_MAX)
				return per_fail(&d->c, d->r.bit,
						PER_E_UNSUPPORTED,
						"second arc above 32 bits");
			oid->arc[oid->n++] = a0;
			oid->arc[oid->n++] = (uint32_t)a1;
			first = false;
		} else {
			if (sub > UINT32_MAX)
				return per_fail(&d->c, d->r.bit,
						PER_E_UNSUPPORTED,
						"arc above 32 bits");
			oid->arc[oid->n++] = (uint32_t)sub;
		}
		sub = 0;
	}
	return 0;
}

/* ---- open types ---------------------------------------------------------- */

/* Reads an open type: its length, then its octets (into p and n). */
static int get_open(struct dec *d, const uint8_t **p, size_t *n)
{
	if (get_length(d, n) < 0)
		return -1;
	/* 10.2.2: even an empty value is sent as one octet. */
	if (*n == 0)
		return per_fail(&d->c, d->r.bit, PER_E_INVALID,
				"open type of zero octets");
	return get_octets(d, *n, p);
}

/* Decodes a value of type t from an open type's contents, through a
 * cursor that ends where the contents end. */
static int dec_open_contents(struct dec *d, const struct per_type *t, void *v,
			     const uint8_t *p, size_t n, const char *name)
{
	struct per_rbuf outer = d->r;
	size_t outer_base = d->c.base_bit;
	int rc;

	if (t->kind == PER_K_OPEN) {	/* keep the encoding itself */
		struct per_octets *raw = v;
		uint8_t *copy = arena_alloc(d, n + 1, 1);

		if (copy == NULL)
			return -1;
		memcpy(copy, p, n);
		raw->data = copy;
		raw->len = n;
		return 0;
	}
	d->c.base_bit = outer_base + 8 * (size_t)(p - outer.buf);
	d->r.buf = p;
	d->r.len = n;
	d->r.bit = 0;
	rc = dec_value(d, t, v, name, -1);
	d->r = outer;
	d->c.base_bit = outer_base;
	return rc;
}

static int dec_open(struct dec *d, const struct per_type *t, void *v,
		    const char *name)
{
	const uint8_t *p;
	size_t n;

	if (get_open(d, &p, &n) < 0)
		return -1;
	return dec_open_contents(d, t, v, p, n, name);
}

/* ---- constructed types --------------------------------------------------- */

static void set_present(void *v, const struct per_field *f)
{
	bool yes = true;

	if (f->pres != PER_NO_OFF)
		memcpy(per_at_mut(v, f->pres), &yes, sizeof(yes));
}

static int unmodelled(struct per_ctx *c, size_t bit, const char *name)
{
	return per_fail(c, bit, PER_E_UNSUPPORTED,
			"alternative %s is not modelled by this codec", name);
}

static int dec_field(struct dec *d, const struct per_field *f, void *v)
{
	if (f->type->kind == PER_K_NULL)
		return 0;
	if (f->type->kind == PER_K_UNMODELLED)
		return unmodelled(&d->c, d->r.bit, f->name);
	return dec_value(d, f->type, per_at_mut(v, f->offset), f->name, -1);
}

/* 18.7-18.9: the additions' bitmap and their open types. */
static int dec_additions(struct dec *d, const struct per_compound_info *ci,
			 uint32_t m, void *v)
{
	uint32_t known = ci->n - m - 1;
	uint64_t count;
	size_t map;

	if (get_small(d, &count) < 0)
		return -1;
	count++;
	if (count > remaining(d))
		return truncated(d, (size_t)count);
	map = d->r.bit;
	d->r.bit += (size_t)count;
	for (uint64_t j = 0; j < count; j++) {
		const struct per_field *f;
		const uint8_t *p;
		size_t n;

		if (!bit_at(d, map + (size_t)j))
			continue;
		if (get_open(d, &p, &n) < 0)
			return -1;
		if (j >= known)
			continue;	/* a later version's addition */
		f = &ci->fields[m + 1 + j];
		if (f->flags & PER_FL_SKIP)
			continue;
		if (f->type->kind != PER_K_NULL &&
		    dec_open_contents(d, f->type, per_at_mut(v, f->offset), p,
				      n, f->name) < 0)
			return -1;
		set_present(v, f);
	}
	return 0;
}

static int dec_sequence(struct dec *d, const struct per_type *t, void *v)
{
	const struct per_compound_info *ci = &t->u.c;
	uint32_t m = per_ellipsis_at(ci), nopt = 0, k = 0;
	bool ext = false;
	size_t map;

	if (m < ci->n && get_bit(d, &ext) < 0)
		return -1;
	for (uint32_t i = 0; i < m; i++)
		nopt += (ci->fields[i].flags & PER_FL_OPTIONAL) != 0;
	if (nopt > remaining(d))
		return truncated(d, nopt);
	map = d->r.bit;
	d->r.bit += nopt;
	for (uint32_t i = 0; i < m; i++) {
		const struct per_field *f = &ci->fields[i];

		if (f->flags & PER_FL_OPTIONAL) {
			if (!bit_at(d, map + k++))
				continue;
			set_present(v, f);
		}
		if (dec_field(d, f, v) < 0)
			return -1;
	}
	if (!ext)
		return 0;
	return dec_additions(d, ci, m, v);
}

static int store_unknown(struct dec *d, const struct per_compound_info *ci,
			 void *v, const uint8_t *p, size_t n)
{
	struct per_octets *raw = per_at_mut(v, ci->raw_off);
	uint8_t *copy = arena_alloc(d, n + 1, 1);

	if (copy == NULL)
		return -1;
	memcpy(copy, p, n);
	raw->data = copy;
	raw->len = n;
	return 0;
}

static int dec_choice(struct dec *d, const struct per_type *t, void *v)
{
	const struct per_compound_info *ci = &t->u.c;
	uint32_t m = per_ellipsis_at(ci);
	uint32_t nadd = m < ci->n ? ci->n - m - 1 : 0;
	const struct per_field *f;
	bool ext = false;
	uint64_t idx;
	const uint8_t *p;
	size_t n;
	unsigned tag;

	if (m < ci->n && get_bit(d, &ext) < 0)
		return -1;
	if (!ext) {
		if (get_constrained(d, m, &idx) < 0)
			return -1;
		tag = (unsigned)idx;
		memcpy(per_at_mut(v, ci->tag_off), &tag, sizeof(tag));
		return dec_field(d, &ci->fields[idx], v);
	}
	if (get_small(d, &idx) < 0 || get_open(d, &p, &n) < 0)
		return -1;
	if (idx > 0xffff)
		return per_fail(&d->c, d->r.bit, PER_E_INVALID,
				"extension alternative %llu",
				(unsigned long long)idx);
	tag = m + (unsigned)idx;
	memcpy(per_at_mut(v, ci->tag_off), &tag, sizeof(tag));
	if (idx >= nadd)	/* kept raw; the caller decides */
		return store_unknown(d, ci, v, p, n);
	f = &ci->fields[m + 1 + idx];
	if (f->type->kind == PER_K_NULL)
		return 0;
	if (f->type->kind == PER_K_UNMODELLED)
		return unmodelled(&d->c, d->r.bit, f->name);
	return dec_open_contents(d, f->type, per_at_mut(v, f->offset), p, n,
				 f->name);
}

static int dec_sequence_of(struct dec *d, const struct per_type *t, void *v)
{
	const struct per_type *et = t->u.l.elem;
	struct per_list l;
	enum size_form form;
	uint8_t *items;
	size_t n;

	if (get_size(d, &t->u.l.size, &n, &form) < 0)
		return -1;
	/* Every element of the types described here takes at least one
	 * bit, so a count above the bits left is a lie: refuse it before
	 * allocating. */
	if (n > remaining(d))
		return per_fail(&d->c, d->r.bit, PER_E_TRUNCATED,
				"%zu items but %zu bits left", n, remaining(d));
	items = arena_alloc(d, n ? n : 1, et->csize ? et->csize : 1);
	if (items == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (dec_value(d, et, items + i * et->csize, NULL, (long)i) < 0)
			return -1;
	l.items = items;
	l.n = n;
	memcpy(v, &l, sizeof(l));
	return 0;
}

static int dec_value(struct dec *d, const struct per_type *t, void *v,
		     const char *name, long index)
{
	int rc = -1;

	if (per_enter(&d->c, d->r.bit, name ? name : t->name, index) < 0)
		return -1;
	switch (t->kind) {
	case PER_K_NULL:
		rc = 0;
		break;
	case PER_K_BOOLEAN: {
		bool b;
		rc = get_bit(d, &b);
		if (rc == 0)
			*(bool *)v = b;
		break;
	}
	case PER_K_INTEGER:
		rc = dec_integer(d, t, v);
		break;
	case PER_K_ENUMERATED:
		rc = dec_enumerated(d, t, v);
		break;
	case PER_K_BIT_STRING:
		rc = dec_bit_string(d, t, v);
		break;
	case PER_K_OCTET_STRING:
		rc = dec_octet_string(d, t, v);
		break;
	case PER_K_CHARS:
		rc = dec_chars(d, t, v);
		break;
	case PER_K_BMP:
		rc = dec_bmp(d, t, v);
		break;
	case PER_K_OID:
		rc = dec_oid(d, v);
		break;
	case PER_K_SEQUENCE:
		rc = dec_sequence(d, t, v);
		break;
	case PER_K_SEQUENCE_OF:
		rc = dec_sequence_of(d, t, v);
		break;
	case PER_K_CHOICE:
		rc = dec_choice(d, t, v);
		break;
	case PER_K_OPEN:
		rc = dec_open(d, t, v, name);
		break;
	case PER_K_UNMODELLED:
		rc = unmodelled(&d->c, d->r.bit, name ? name : t->name);
		break;
	}
	per_leave(&d->c);
	return rc;
}

int per_decode(const struct per_type *t, const uint8_t *buf, size_t len,
	       void *value, struct per_arena *arena, struct per_error *err)
{
	struct per_error dummy;
	struct dec d;
	size_t used;

	memset(&d, 0, sizeof(d));
	d.c.err = err != NULL ? err : &dummy;
	memset(d.c.err, 0, sizeof(*d.c.err));
	d.c.arena = arena;
	if (buf == NULL)
		len = 0;
	d.r.buf = buf;
	d.r.len = len;
	memset(value, 0, t->csize);
	if (dec_value(&d, t, value, NULL, -1) < 0)
		return -1;
	used = (d.r.bit + 7) / 8;
	for (size_t i = used; i < len; i++)
		if (buf[i] != 0)
			return per_fail(&d.c, 8 * i, PER_E_INVALID,
					"%zu octets after the value",
					len - used);
	return 0;
}
