/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * per_util.c — everything around the PER walk that is not the walk itself:
 * the built-in types, the arena, error paths, alphabets, C integer access,
 * structural equality, the descriptor checker and value helpers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "per_internal.h"

/* ---- built-in types ------------------------------------------------------ */

const struct per_type per_t_null = {
	.name = "NULL", .kind = PER_K_NULL, .csize = 0,
};
const struct per_type per_t_boolean = {
	.name = "BOOLEAN", .kind = PER_K_BOOLEAN, .csize = sizeof(bool),
};
const struct per_type per_t_integer = {
	.name = "INTEGER", .kind = PER_K_INTEGER, .csize = sizeof(int64_t),
	.u.i = { .csize = sizeof(int64_t), .csigned = true },
};
const struct per_type per_t_oid = {
	.name = "OBJECT IDENTIFIER", .kind = PER_K_OID,
	.csize = sizeof(struct per_oid),
};
const struct per_type per_t_octets = {
	.name = "OCTET STRING", .kind = PER_K_OCTET_STRING,
	.csize = sizeof(struct per_octets),
	.u.s = { .size = { 0, PER_NO_UB, false } },
};
const struct per_type per_t_bits = {
	.name = "BIT STRING", .kind = PER_K_BIT_STRING,
	.csize = sizeof(struct per_bits),
	.u.s = { .size = { 0, PER_NO_UB, false } },
};
const struct per_type per_t_ia5 = {
	.name = "IA5String", .kind = PER_K_CHARS, .csize = sizeof(char *),
	.u.s = { .size = { 0, PER_NO_UB, false } },
};
const struct per_type per_t_bmp = {
	.name = "BMPString", .kind = PER_K_BMP, .csize = sizeof(struct per_bmp),
	.u.s = { .size = { 0, PER_NO_UB, false } },
};
const struct per_type per_t_printable = {
	.name = "PrintableString", .kind = PER_K_CHARS,
	.csize = sizeof(char *),
	.u.s = { .size = { 0, PER_NO_UB, false },
		 .alphabet = " '()+,-./0123456789:=?"
			     "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			     "abcdefghijklmnopqrstuvwxyz" },
};
const struct per_type per_t_open = {
	.name = "open type", .kind = PER_K_OPEN,
	.csize = sizeof(struct per_octets),
};
const struct per_type per_t_unmodelled = {
	.name = "not modelled", .kind = PER_K_UNMODELLED, .csize = 0,
};

/* ---- status and error paths ---------------------------------------------- */

const char *per_status_name(enum per_status s)
{
	static const char *const names[] = {
		[PER_OK] = "ok",
		[PER_E_TRUNCATED] = "truncated",
		[PER_E_RANGE] = "out of range",
		[PER_E_SIZE] = "size constraint",
		[PER_E_ALPHABET] = "permitted alphabet",
		[PER_E_INVALID] = "invalid encoding",
		[PER_E_UNKNOWN_CHOICE] = "unknown extension alternative",
		[PER_E_UNSUPPORTED] = "unsupported",
		[PER_E_NOSPACE] = "output buffer full",
		[PER_E_NOMEM] = "arena exhausted",
		[PER_E_DEPTH] = "nesting too deep",
		[PER_E_DESCRIPTOR] = "bad descriptor",
	};

	if ((unsigned)s < PER_ARRAY_SIZE(names) && names[s] != NULL)
		return names[s];
	return "unknown status";
}

/* Descriptor names of whole types read "struct h225_rrq"; the path is
 * easier on the eye without the keyword. */
static const char *short_name(const char *name)
{
	return strncmp(name, "struct ", 7) == 0 ? name + 7 : name;
}

static size_t format_path(const struct per_ctx *c, char *out, size_t cap)
{
	size_t used = 0;

	out[0] = '\0';
	/* The outermost entry names the C type being walked; below it the
	 * component names say more ("registrationRequest.terminal_alias"). */
	for (unsigned i = c->depth > 1 ? 1 : 0; i < c->depth && used < cap;
	     i++) {
		const struct per_path_elem *e = &c->path[i];
		int n;

		if (e->index >= 0)
			n = snprintf(out + used, cap - used, "[%ld]", e->index);
		else
			n = snprintf(out + used, cap - used, "%s%s",
				     used ? "." : "", short_name(e->name));
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return used < cap ? used : cap - 1;
}

int per_fail(struct per_ctx *c, size_t bit, enum per_status code,
	     const char *fmt, ...)
{
	struct per_error *e = c->err;
	va_list ap;
	size_t used;

	/* The innermost failure is the informative one; callers unwinding
	 * through per_fail must not overwrite it. */
	if (e == NULL || e->code != PER_OK)
		return -1;
	e->code = code;
	e->bit = c->base_bit + bit;
	used = format_path(c, e->reason, sizeof(e->reason));
	if (used + 2 < sizeof(e->reason)) {
		if (used > 0) {
			e->reason[used++] = ':';
			e->reason[used++] = ' ';
		}
		va_start(ap, fmt);
		vsnprintf(e->reason + used, sizeof(e->reason) - used, fmt, ap);
		va_end(ap);
	}
	return -1;
}

int per_enter(struct per_ctx *c, size_t bit, const char *name, long index)
{
	if (c->depth >= PER_MAX_DEPTH)
		return per_fail(c, bit, PER_E_DEPTH,
				"more than %d nested values", PER_MAX_DEPTH);
	c->path[c->depth].name = name;
	c->path[c->depth].index = index;
	c->depth++;
	return 0;
}

void per_leave(struct per_ctx *c)
{
	if (c->depth > 0)
		c->depth--;
}

/* ---- arena --------------------------------------------------------------- */

void per_arena_init(struct per_arena *a, void *mem, size_t size)
{
	a->base = mem;
	a->size = size;
	a->used = 0;
}

void *per_arena_alloc(struct per_arena *a, size_t size)
{
	size_t start = (a->used + 7u) & ~(size_t)7u;
	void *p;

	if (start < a->used || start > a->size || size > a->size - start)
		return NULL;
	p = a->base + start;
	memset(p, 0, size);
	a->used = start + size;
	return p;
}

/* ---- small arithmetic ---------------------------------------------------- */

unsigned per_bits_for_range(uint64_t range)
{
	unsigned bits = 0;

	while (bits < 64 && ((uint64_t)1 << bits) < range)
		bits++;
	return bits;
}

unsigned per_octets_for(uint64_t v)
{
	unsigned n = 1;

	while (n < 8 && (v >> (8 * n)) != 0)
		n++;
	return n;
}

uint32_t per_ellipsis_at(const struct per_compound_info *ci)
{
	for (uint32_t i = 0; i < ci->n; i++)
		if (ci->fields[i].flags & PER_FL_ELLIPSIS)
			return i;
	return ci->n;
}

/* ---- alphabets ----------------------------------------------------------- */

void per_alphabet_of(const struct per_type *t, struct per_alphabet *al)
{
	unsigned maxcode;

	al->chars = t->u.s.alphabet;
	al->n = al->chars != NULL ? (unsigned)strlen(al->chars) : 128;
	maxcode = al->chars != NULL && al->n > 0 ?
		  (unsigned char)al->chars[al->n - 1] : al->n - 1;
	/* X.691 27.5.2: the ALIGNED variant rounds the bits per character
	 * up to a power of two; 27.5.4: the code itself is sent when it fits
	 * in that many bits, otherwise the index in the alphabet. */
	if (al->n <= 2)
		al->bits = 1;
	else if (al->n <= 4)
		al->bits = 2;
	else if (al->n <= 16)
		al->bits = 4;
	else
		al->bits = 8;
	al->by_index = maxcode > (1u << al->bits) - 1;
}

int per_alphabet_encode(const struct per_alphabet *al, unsigned char c)
{
	const char *p;

	if (al->chars == NULL)
		return c < al->n ? c : -1;
	if (c == 0 || (p = memchr(al->chars, c, al->n)) == NULL)
		return -1;
	return al->by_index ? (int)(p - al->chars) : c;
}

int per_alphabet_decode(const struct per_alphabet *al, uint32_t v)
{
	if (al->chars == NULL)
		return v < al->n ? (int)v : -1;
	if (al->by_index)
		return v < al->n ? (unsigned char)al->chars[v] : -1;
	if (v > 255 || memchr(al->chars, (int)v, al->n) == NULL)
		return -1;
	return (int)v;
}

/* ---- C integers ---------------------------------------------------------- */

int64_t per_int_load(const struct per_integer_info *ii, const void *p)
{
	switch (ii->csize) {
	case 1: {
		uint8_t v;
		memcpy(&v, p, 1);
		return ii->csigned ? (int8_t)v : v;
	}
	case 2: {
		uint16_t v;
		memcpy(&v, p, 2);
		return ii->csigned ? (int16_t)v : v;
	}
	case 4: {
		uint32_t v;
		memcpy(&v, p, 4);
		return ii->csigned ? (int32_t)v : (int64_t)v;
	}
	default: {
		int64_t v;
		memcpy(&v, p, 8);
		return v;
	}
	}
}

void per_int_store(const struct per_integer_info *ii, void *p, int64_t v)
{
	switch (ii->csize) {
	case 1: {
		uint8_t x = (uint8_t)v;
		memcpy(p, &x, 1);
		break;
	}
	case 2: {
		uint16_t x = (uint16_t)v;
		memcpy(p, &x, 2);
		break;
	}
	case 4: {
		uint32_t x = (uint32_t)v;
		memcpy(p, &x, 4);
		break;
	}
	default:
		memcpy(p, &v, 8);
		break;
	}
}

bool per_int_fits(const struct per_integer_info *ii, int64_t v)
{
	unsigned bits = 8u * ii->csize;

	if (bits >= 64)
		return true;
	if (ii->csigned)
		return v >= -((int64_t)1 << (bits - 1)) &&
		       v < ((int64_t)1 << (bits - 1));
	return v >= 0 && v < ((int64_t)1 << bits);
}

/* ---- structural equality ------------------------------------------------- */

/* Prepends "name." (or "[i]") to where, so that a mismatch found deep
 * down reads as a path once the recursion has unwound. */
static void where_prepend(char *where, size_t cap, const char *name, long idx)
{
	char head[48];
	size_t hl, wl;
	const char *sep;

	if (where == NULL || cap == 0)
		return;
	sep = where[0] && where[0] != '[' ? "." : "";
	if (idx >= 0)
		snprintf(head, sizeof(head), "[%ld]%s", idx, sep);
	else
		snprintf(head, sizeof(head), "%s%s", name, sep);
	hl = strlen(head);
	wl = strlen(where);
	if (hl + wl + 1 > cap)
		return;
	memmove(where + hl, where, wl + 1);
	memcpy(where, head, hl);
}

static bool bits_equal(const struct per_bits *a, const struct per_bits *b)
{
	size_t full = a->nbits / 8;
	unsigned rest = a->nbits % 8;

	if (a->nbits != b->nbits)
		return false;
	if (full && memcmp(a->data, b->data, full) != 0)
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xffu << (8 - rest));
		if ((a->data[full] ^ b->data[full]) & mask)
			return false;
	}
	return true;
}

static bool octets_equal(const struct per_octets *a, const struct per_octets *b)
{
	return a->len == b->len &&
	       (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static bool compound_equal(const struct per_type *t, const void *a,
			   const void *b, char *where, size_t cap);
static bool list_equal(const struct per_type *t, const void *a, const void *b,
		       char *where, size_t cap);

bool per_equal(const struct per_type *t, const void *a, const void *b,
	       char *where, size_t cap)
{
	if (where != NULL && cap > 0)
		where[0] = '\0';
	switch (t->kind) {
	case PER_K_NULL:
		return true;
	case PER_K_BOOLEAN:
		return *(const bool *)a == *(const bool *)b;
	case PER_K_INTEGER:
		return per_int_load(&t->u.i, a) == per_int_load(&t->u.i, b);
	case PER_K_ENUMERATED:
		return *(const unsigned *)a == *(const unsigned *)b;
	case PER_K_BIT_STRING:
		return bits_equal(a, b);
	case PER_K_OCTET_STRING:
		if (t->u.s.inline_fixed)
			return memcmp(a, b, t->csize) == 0;
		return octets_equal(a, b);
	case PER_K_CHARS: {
		const char *sa = *(const char *const *)a;
		const char *sb = *(const char *const *)b;
		return strcmp(sa ? sa : "", sb ? sb : "") == 0;
	}
	case PER_K_BMP: {
		const struct per_bmp *x = a, *y = b;
		return x->len == y->len &&
		       (x->len == 0 ||
			memcmp(x->chars, y->chars, 2 * x->len) == 0);
	}
	case PER_K_OID:
		return per_oid_eq(a, b);
	case PER_K_OPEN:
		return octets_equal(a, b);
	case PER_K_UNMODELLED:
		return true;	/* no value can exist */
	case PER_K_SEQUENCE_OF:
		return list_equal(t, a, b, where, cap);
	case PER_K_SEQUENCE:
	case PER_K_CHOICE:
		return compound_equal(t, a, b, where, cap);
	}
	return false;
}

static bool list_equal(const struct per_type *t, const void *a, const void *b,
		       char *where, size_t cap)
{
	const struct per_type *et = t->u.l.elem;
	struct per_list la, lb;

	memcpy(&la, a, sizeof(la));
	memcpy(&lb, b, sizeof(lb));
	if (la.n != lb.n) {
		if (where != NULL && cap > 0)
			snprintf(where, cap, "(count %zu vs %zu)", la.n, lb.n);
		return false;
	}
	for (size_t i = 0; i < la.n; i++) {
		const uint8_t *ea = (const uint8_t *)la.items + i * et->csize;
		const uint8_t *eb = (const uint8_t *)lb.items + i * et->csize;

		if (!per_equal(et, ea, eb, where, cap)) {
			where_prepend(where, cap, NULL, (long)i);
			return false;
		}
	}
	return true;
}

static bool field_equal(const struct per_field *f, const void *a, const void *b,
			char *where, size_t cap)
{
	bool pa = true, pb = true;

	if (f->flags & (PER_FL_ELLIPSIS | PER_FL_SKIP))
		return true;
	if (f->pres != PER_NO_OFF) {
		pa = per_load_bool(a, f->pres);
		pb = per_load_bool(b, f->pres);
	}
	if (pa != pb) {
		if (where != NULL && cap > 0)
			snprintf(where, cap, "%s (presence)", f->name);
		return false;
	}
	if (!pa || f->offset == PER_NO_OFF)
		return true;
	if (!per_equal(f->type, per_at(a, f->offset), per_at(b, f->offset),
		       where, cap)) {
		where_prepend(where, cap, f->name, -1);
		return false;
	}
	return true;
}

static bool compound_equal(const struct per_type *t, const void *a,
			   const void *b, char *where, size_t cap)
{
	const struct per_compound_info *ci = &t->u.c;
	uint32_t tag, known;

	if (t->kind == PER_K_SEQUENCE) {
		for (uint32_t i = 0; i < ci->n; i++)
			if (!field_equal(&ci->fields[i], a, b, where, cap))
				return false;
		return true;
	}
	tag = per_load_uint(a, ci->tag_off);
	if (tag != per_load_uint(b, ci->tag_off)) {
		if (where != NULL && cap > 0)
			snprintf(where, cap, "(tag %u vs %u)", tag,
				 per_load_uint(b, ci->tag_off));
		return false;
	}
	known = per_ellipsis_at(ci) < ci->n ? ci->n - 1 : ci->n;
	if (tag >= known)
		return octets_equal(per_at(a, ci->raw_off),
				    per_at(b, ci->raw_off));
	/* Alternatives are numbered skipping the marker. */
	if (tag >= per_ellipsis_at(ci))
		tag++;
	return field_equal(&ci->fields[tag], a, b, where, cap);
}

/* ---- descriptor checker -------------------------------------------------- */

struct check_state {
	const struct per_type *seen[512];
	unsigned nseen;
	char *why;
	size_t cap;
};

static int check_fail(struct check_state *s, const struct per_type *t,
		      const char *what)
{
	snprintf(s->why, s->cap, "%s: %s", t->name, what);
	return -1;
}

static int check_type(struct check_state *s, const struct per_type *t);

static int check_field(struct check_state *s, const struct per_type *t,
		       const struct per_field *f, bool after_ellipsis)
{
	bool is_choice = t->kind == PER_K_CHOICE;

	if (f->flags & PER_FL_SKIP) {
		if (!after_ellipsis || !(f->flags & PER_FL_OPTIONAL))
			return check_fail(s, t, "SKIP outside the extensions");
		return 0;
	}
	if (f->type == NULL)
		return check_fail(s, t, "component without a type");
	if (is_choice && (f->flags & PER_FL_OPTIONAL))
		return check_fail(s, t, "OPTIONAL alternative");
	if ((f->flags & PER_FL_OPTIONAL) && f->pres == PER_NO_OFF)
		return check_fail(s, t, "OPTIONAL without a presence flag");
	if (f->pres != PER_NO_OFF && f->pres + sizeof(bool) > t->csize)
		return check_fail(s, t, "presence flag outside the struct");
	if (f->type->kind == PER_K_UNMODELLED && !is_choice)
		return check_fail(s, t, "unmodelled component outside a "
				  "CHOICE");
	if (f->type->kind != PER_K_NULL && f->type->kind != PER_K_UNMODELLED) {
		if (f->offset == PER_NO_OFF)
			return check_fail(s, t, "value without an offset");
		if ((uint64_t)f->offset + f->type->csize > t->csize)
			return check_fail(s, t, "value outside the struct");
	}
	return check_type(s, f->type);
}

static int check_compound(struct check_state *s, const struct per_type *t)
{
	const struct per_compound_info *ci = &t->u.c;
	uint32_t at = per_ellipsis_at(ci);

	for (uint32_t i = 0; i < ci->n; i++) {
		if (ci->fields[i].flags & PER_FL_ELLIPSIS) {
			if (i != at)
				return check_fail(s, t, "two markers");
			continue;
		}
		if (check_field(s, t, &ci->fields[i], i > at) < 0)
			return -1;
	}
	if (t->kind == PER_K_CHOICE) {
		if (ci->n == 0 || at == 0)
			return check_fail(s, t, "CHOICE without a root");
		if (ci->tag_off + sizeof(unsigned) > t->csize ||
		    ci->raw_off + sizeof(struct per_octets) > t->csize)
			return check_fail(s, t, "tag/unknown outside");
	}
	return 0;
}

static int check_size(struct check_state *s, const struct per_type *t,
		      const struct per_size *sz)
{
	if (sz->lb > sz->ub)
		return check_fail(s, t, "SIZE lower bound above upper bound");
	return 0;
}

static int check_string(struct check_state *s, const struct per_type *t)
{
	const char *al = t->u.s.alphabet;

	if (check_size(s, t, &t->u.s.size) < 0)
		return -1;
	if (t->u.s.inline_fixed &&
	    (t->kind != PER_K_OCTET_STRING ||
	     t->u.s.size.lb != t->u.s.size.ub || t->csize != t->u.s.size.ub))
		return check_fail(s, t, "inline storage needs a fixed SIZE");
	if (al != NULL) {
		if (t->kind != PER_K_CHARS || al[0] == '\0')
			return check_fail(s, t, "misplaced alphabet");
		for (size_t i = 0; al[i]; i++)
			if ((unsigned char)al[i] > 127 ||
			    (i > 0 && (unsigned char)al[i] <=
					      (unsigned char)al[i - 1]))
				return check_fail(s, t, "alphabet not "
						  "ascending ASCII");
	}
	return 0;
}

static int check_integer(struct check_state *s, const struct per_type *t)
{
	const struct per_integer_info *ii = &t->u.i;

	if (ii->csize != 1 && ii->csize != 2 && ii->csize != 4 &&
	    ii->csize != 8)
		return check_fail(s, t, "integer storage not 1/2/4/8 bytes");
	if (ii->csize != t->csize)
		return check_fail(s, t, "csize mismatch");
	if (ii->has_lb && ii->has_ub &&
	    (ii->lb > ii->ub || !per_int_fits(ii, ii->lb) ||
	     !per_int_fits(ii, ii->ub)))
		return check_fail(s, t, "bounds do not fit the storage");
	return 0;
}

static int check_type(struct check_state *s, const struct per_type *t)
{
	for (unsigned i = 0; i < s->nseen; i++)
		if (s->seen[i] == t)
			return 0;	/* recursive types: checked once */
	if (s->nseen == PER_ARRAY_SIZE(s->seen))
		return check_fail(s, t, "too many types to check");
	s->seen[s->nseen++] = t;

	switch (t->kind) {
	case PER_K_INTEGER:
		return check_integer(s, t);
	case PER_K_ENUMERATED:
		if (t->u.e.nroot == 0 || t->csize != sizeof(unsigned))
			return check_fail(s, t, "bad ENUMERATED");
		return 0;
	case PER_K_BIT_STRING:
	case PER_K_OCTET_STRING:
	case PER_K_CHARS:
	case PER_K_BMP:
		return check_string(s, t);
	case PER_K_SEQUENCE_OF:
		if (t->u.l.elem == NULL ||
		    t->csize != sizeof(struct per_list))
			return check_fail(s, t, "bad SEQUENCE OF");
		if (check_size(s, t, &t->u.l.size) < 0)
			return -1;
		return check_type(s, t->u.l.elem);
	case PER_K_SEQUENCE:
	case PER_K_CHOICE:
		return check_compound(s, t);
	default:
		return 0;
	}
}

int per_type_check(const struct per_type *t, char *why, size_t why_cap)
{
	struct check_state s;
	char dummy[1];

	memset(&s, 0, sizeof(s));
	s.why = why != NULL && why_cap > 0 ? why : dummy;
	s.cap = why != NULL && why_cap > 0 ? why_cap : sizeof(dummy);
	s.why[0] = '\0';
	return check_type(&s, t);
}

/* ---- OID and BMPString helpers ------------------------------------------- */

bool per_oid_eq(const struct per_oid *a, const struct per_oid *b)
{
	return a->n == b->n &&
	       (a->n == 0 ||
		memcmp(a->arc, b->arc, a->n * sizeof(a->arc[0])) == 0);
}

int per_oid_format(const struct per_oid *oid, char *out, size_t cap)
{
	int total = 0;

	if (cap > 0)
		out[0] = '\0';
	for (unsigned i = 0; i < oid->n && i < PER_OID_MAX_ARCS; i++) {
		size_t used = (size_t)total < cap ? (size_t)total : cap;
		int n = snprintf(out + used, cap - used, "%s%" PRIu32,
				 i ? "." : "", oid->arc[i]);

		if (n < 0)
			return -1;
		total += n;
	}
	return total;
}

bool per_bmp_eq_ascii(struct per_bmp s, const char *ascii)
{
	size_t n = strlen(ascii);

	if (n != s.len)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s.chars[i] != (unsigned char)ascii[i])
			return false;
	return true;
}

size_t per_bmp_to_utf8(struct per_bmp s, char *out, size_t cap)
{
	size_t need = 0;

	for (size_t i = 0; i < s.len; i++) {
		uint16_t c = s.chars[i];
		uint8_t u[3];
		size_t k;

		if (c < 0x80) {
			u[0] = (uint8_t)c;
			k = 1;
		} else if (c < 0x800) {
			u[0] = (uint8_t)(0xc0 | (c >> 6));
			u[1] = (uint8_t)(0x80 | (c & 0x3f));
			k = 2;
		} else {
			u[0] = (uint8_t)(0xe0 | (c >> 12));
			u[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
			u[2] = (uint8_t)(0x80 | (c & 0x3f));
			k = 3;
		}
		if (cap > 0 && need + k < cap)
			memcpy(out + need, u, k);
		else if (cap > 0 && need < cap)
			cap = need + 1;	/* stop writing; keep counting */
		need += k;
	}
	if (cap > 0)
		out[need < cap ? need : cap - 1] = '\0';
	return need;
}

/* Decodes one UTF-8 sequence at *p; returns the code point or -1. */
static long utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	long c;
	int extra;

	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		c = s[0] & 0x1f;
		extra = 1;
	} else if ((s[0] & 0xf0) == 0xe0) {
		c = s[0] & 0x0f;
		extra = 2;
	} else {
		return -1;	/* 4-byte forms are outside the BMP */
	}
	for (int i = 1; i <= extra; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((extra == 1 && c < 0x80) || (extra == 2 && c < 0x800) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return -1;	/* overlong forms and surrogates */
	*p = s + extra + 1;
	return c;
}

int per_bmp_from_utf8(struct per_arena *a, const char *utf8,
		      struct per_bmp *out)
{
	size_t max = strlen(utf8), n = 0;
	const unsigned char *p = (const unsigned char *)utf8;
	uint16_t *chars = per_arena_alloc(a, (max + 1) * sizeof(uint16_t));

	if (chars == NULL)
		return -1;
	while (*p) {
		long c = utf8_next(&p);

		if (c < 0)
			return -1;
		chars[n++] = (uint16_t)c;
	}
	out->chars = chars;
	out->len = n;
	return 0;
}
