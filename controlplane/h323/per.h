/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * per.h — ASN.1 Packed Encoding Rules, ALIGNED variant (ITU-T X.691),
 * driven by type descriptors.
 *
 * Nothing here knows H.225. A protocol module describes its ASN.1 types as
 * constant tables of `struct per_type` (one per ASN.1 type) whose fields
 * carry the offset of each component in a plain C struct; one generic
 * encoder and one generic decoder walk those tables:
 *
 *   C struct ──per_encode(type, &v)──► octets ──per_decode(type)──► C struct
 *                                                 │
 *                              strings, lists ────┘ copied into a
 *                              caller-supplied arena (no malloc)
 *
 * Representation of values in C (what a descriptor's offset points at):
 *   NULL                 nothing (an OPTIONAL NULL is just its presence bool)
 *   BOOLEAN              bool
 *   INTEGER              integer of 1/2/4/8 bytes, signedness per descriptor
 *   ENUMERATED           unsigned (the enumeration index, root then additions)
 *   BIT STRING           struct per_bits
 *   OCTET STRING         struct per_octets, or uint8_t[N] when the size is
 *                        fixed and the descriptor says "inline"
 *   IA5/Numeric/Printable/VisibleString
 *                        const char * (NUL-terminated; NUL itself refused)
 *   BMPString            struct per_bmp (UCS-2 code units)
 *   OBJECT IDENTIFIER    struct per_oid (arcs)
 *   SEQUENCE             a struct; each OPTIONAL component has a bool
 *                        presence flag somewhere in the same struct
 *   SEQUENCE OF          struct { const T *items; size_t n; }
 *   CHOICE               struct { unsigned tag; struct per_octets unknown;
 *                        union { ... } u; } — tag numbers the alternatives
 *                        in ASN.1 order, root first, then additions
 *   open type            struct per_octets holding the inner encoding
 *
 * Extensibility: a descriptor array lists the root components, then the
 * PER_ELLIPSIS marker, then the extension additions, exactly like the
 * ASN.1 text. Additions that are received but not described are skipped by
 * their length; an unknown CHOICE alternative keeps its raw encoding in
 * `unknown` with tag >= the number of known alternatives (so it can be
 * reported, or relayed byte for byte).
 *
 * Not supported (reported as PER_E_UNSUPPORTED): fragmented lengths
 * (>= 16384 items in one length determinant), extension addition groups,
 * REAL, and permitted-alphabet constraints on BMPString.
 */
#ifndef SL_PER_H
#define SL_PER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- values -------------------------------------------------------------- */

struct per_octets {
	const uint8_t *data;
	size_t len;
};

/* Bits in order, the first one the most significant bit of data[0]. */
struct per_bits {
	const uint8_t *data;
	size_t nbits;
};

/* A BMPString: UCS-2 code units in host order. */
struct per_bmp {
	const uint16_t *chars;
	size_t len;
};

#define PER_OID_MAX_ARCS 16

struct per_oid {
	uint32_t arc[PER_OID_MAX_ARCS];
	unsigned n;
};

/* A SEQUENCE OF whose element type the engine only knows by descriptor.
 * Typed lists in protocol headers have exactly this layout (checked at
 * compile time with PER_LIST_LAYOUT); the engine copies them in and out
 * with memcpy rather than access one struct type through another. */
struct per_list {
	const void *items;
	size_t n;
};

#define PER_LIST_LAYOUT(T)                                                 \
	_Static_assert(sizeof(T) == sizeof(struct per_list) &&             \
			       offsetof(T, items) ==                       \
				       offsetof(struct per_list, items) && \
			       offsetof(T, n) == offsetof(struct per_list, n), \
		       #T " is not laid out as struct per_list")

/* Literals for building messages in C:
 *   PER_BMP("gk.example")         a BMPString from an ASCII literal
 *   PER_OID(0, 0, 8, 2250, 0, 4)  an OBJECT IDENTIFIER
 *   PER_OCTETS(array)             an OCTET STRING over a byte array
 * The _INIT forms are the same as brace initializers, for static data. */
#define PER_BMP_INIT(lit) \
	{ (const uint16_t *)(u"" lit), sizeof(u"" lit) / 2 - 1 }
#define PER_BMP(lit) ((struct per_bmp)PER_BMP_INIT(lit))
#define PER_OID_INIT(...)                                                  \
	{ .arc = { __VA_ARGS__ },                                          \
	  .n = sizeof((uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t) }
#define PER_OID(...) ((struct per_oid)PER_OID_INIT(__VA_ARGS__))
#define PER_OCTETS_INIT(arr) { (arr), sizeof(arr) }
#define PER_OCTETS(arr) ((struct per_octets)PER_OCTETS_INIT(arr))

/* ---- errors -------------------------------------------------------------- */

enum per_status {
	PER_OK = 0,
	PER_E_TRUNCATED,	/* input ended inside a value */
	PER_E_RANGE,		/* integer or index outside its constraint */
	PER_E_SIZE,		/* length or count outside its SIZE */
	PER_E_ALPHABET,		/* character outside the permitted alphabet */
	PER_E_INVALID,		/* malformed: bad OID, open type overrun, ... */
	PER_E_UNKNOWN_CHOICE,	/* extension alternative this build lacks */
	PER_E_UNSUPPORTED,	/* valid PER outside this engine's subset */
	PER_E_NOSPACE,		/* output buffer too small */
	PER_E_NOMEM,		/* decode arena exhausted */
	PER_E_DEPTH,		/* nesting deeper than PER_MAX_DEPTH */
	PER_E_DESCRIPTOR,	/* the type table itself is inconsistent */
};

struct per_error {
	enum per_status code;
	size_t bit;		/* bit offset in the encoding where it failed */
	char reason[192];	/* "path.to.field: what was wrong" */
};

const char *per_status_name(enum per_status s);

/* ---- the decode arena ---------------------------------------------------- */

/* Decoded strings and lists live here; freeing the arena's memory frees
 * the whole message. Allocations are zeroed and 8-byte aligned. */
struct per_arena {
	uint8_t *base;
	size_t size;
	size_t used;
};

void per_arena_init(struct per_arena *a, void *mem, size_t size);
void *per_arena_alloc(struct per_arena *a, size_t size);

/* ---- descriptors --------------------------------------------------------- */

enum per_kind {
	PER_K_NULL,
	PER_K_BOOLEAN,
	PER_K_INTEGER,
	PER_K_ENUMERATED,
	PER_K_BIT_STRING,
	PER_K_OCTET_STRING,
	PER_K_CHARS,		/* IA5String, PrintableString, ... */
	PER_K_BMP,
	PER_K_OID,
	PER_K_SEQUENCE,
	PER_K_SEQUENCE_OF,
	PER_K_CHOICE,
	PER_K_OPEN,		/* open type kept as raw octets */
	PER_K_UNMODELLED,	/* a CHOICE alternative this subset does not
				 * describe: refused (PER_E_UNSUPPORTED) */
};

#define PER_NO_UB UINT32_MAX		/* SIZE has no upper bound */
#define PER_NO_OFF UINT32_MAX		/* no such member in the C struct */

struct per_size {
	uint32_t lb, ub;
	bool ext;		/* SIZE(lb..ub, ...) */
};

struct per_integer_info {
	int64_t lb, ub;
	bool has_lb, has_ub, ext;
	uint8_t csize;		/* 1, 2, 4 or 8 bytes in the C struct */
	bool csigned;
};

struct per_enum_info {
	uint32_t nroot, nadd;
	bool ext;
};

struct per_string_info {
	struct per_size size;
	/* Permitted alphabet in ascending code order (NULL: 0..127 as for
	 * IA5String). Checked by per_type_check(). */
	const char *alphabet;
	bool inline_fixed;	/* OCTET STRING: C storage is uint8_t[ub] */
};

struct per_field {
	const char *name;
	const struct per_type *type;
	uint32_t offset;	/* value, within the parent's C struct */
	uint32_t pres;		/* bool presence flag, or PER_NO_OFF */
	uint16_t flags;
};

#define PER_FL_OPTIONAL 0x1u	/* OPTIONAL component */
#define PER_FL_SKIP	0x2u	/* addition known by position, not stored */
#define PER_FL_ELLIPSIS	0x4u	/* the "..." extension marker */

struct per_compound_info {	/* SEQUENCE components or CHOICE alternatives */
	const struct per_field *fields;
	uint32_t n;
	uint32_t tag_off;	/* CHOICE: unsigned tag */
	uint32_t raw_off;	/* CHOICE: struct per_octets unknown */
};

struct per_seqof_info {
	const struct per_type *elem;
	struct per_size size;
};

struct per_type {
	const char *name;
	enum per_kind kind;
	uint32_t csize;		/* sizeof the C representation */
	union {
		struct per_integer_info i;
		struct per_enum_info e;
		struct per_string_info s;	/* BIT/OCTET/char strings */
		struct per_compound_info c;
		struct per_seqof_info l;
	} u;
};

/* ---- helpers for writing descriptor tables ------------------------------- */

#define PER_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A mandatory component (or a CHOICE alternative). */
#define PER_F(st, member, t)                                               \
	{ .name = #member, .type = &(t), .offset = offsetof(st, member),   \
	  .pres = PER_NO_OFF, .flags = 0 }
/* An OPTIONAL component whose presence is st.has_<member>. */
#define PER_O(st, member, t)                                               \
	{ .name = #member, .type = &(t), .offset = offsetof(st, member),   \
	  .pres = offsetof(st, has_##member), .flags = PER_FL_OPTIONAL }
/* "member NULL OPTIONAL", carried by the bool st.member alone. */
#define PER_NULL_O(st, member)                                             \
	{ .name = #member, .type = &per_t_null, .offset = PER_NO_OFF,      \
	  .pres = offsetof(st, member), .flags = PER_FL_OPTIONAL }
/* A CHOICE alternative stored in st.u.<member>. */
#define PER_ALT(st, member, t)                                             \
	{ .name = #member, .type = &(t), .offset = offsetof(st, u.member), \
	  .pres = PER_NO_OFF, .flags = 0 }
/* The same, when several alternatives share one union member. */
#define PER_ALT_NAMED(name_, st, member, t)                                \
	{ .name = name_, .type = &(t), .offset = offsetof(st, u.member),   \
	  .pres = PER_NO_OFF, .flags = 0 }
/* A NULL alternative of a CHOICE: no value to store. */
#define PER_ALT_NULL(name_)                                                \
	{ .name = name_, .type = &per_t_null, .offset = PER_NO_OFF,        \
	  .pres = PER_NO_OFF, .flags = 0 }
/* An OPTIONAL extension addition this module does not model: skipped on
 * decode, never sent. */
#define PER_SKIP(name_)                                                    \
	{ .name = name_, .type = &per_t_open, .offset = PER_NO_OFF,        \
	  .pres = PER_NO_OFF, .flags = PER_FL_OPTIONAL | PER_FL_SKIP }
/* A root alternative of a CHOICE that this subset does not describe (the
 * Setup-UUIE of H323-UU-PDU, say): a value choosing it is refused with
 * PER_E_UNSUPPORTED in both directions, naming the alternative, instead
 * of being misread. Extension alternatives need no such entry: unknown
 * ones are kept raw. */
#define PER_ALT_UNMODELLED(name_)                                          \
	{ .name = name_, .type = &per_t_unmodelled, .offset = PER_NO_OFF,  \
	  .pres = PER_NO_OFF, .flags = 0 }
#define PER_ELLIPSIS                                                       \
	{ .name = "...", .type = NULL, .offset = PER_NO_OFF,               \
	  .pres = PER_NO_OFF, .flags = PER_FL_ELLIPSIS }

#define PER_SEQUENCE(var, ctype, fieldarr)                                 \
	const struct per_type var = {                                      \
		.name = #ctype, .kind = PER_K_SEQUENCE,                    \
		.csize = sizeof(ctype),                                    \
		.u.c = { .fields = (fieldarr),                             \
			 .n = PER_ARRAY_SIZE(fieldarr),                    \
			 .tag_off = PER_NO_OFF, .raw_off = PER_NO_OFF } }

#define PER_CHOICE(var, ctype, altarr)                                     \
	const struct per_type var = {                                      \
		.name = #ctype, .kind = PER_K_CHOICE,                      \
		.csize = sizeof(ctype),                                    \
		.u.c = { .fields = (altarr),                               \
			 .n = PER_ARRAY_SIZE(altarr),                      \
			 .tag_off = offsetof(ctype, tag),                  \
			 .raw_off = offsetof(ctype, unknown) } }

#define PER_SEQUENCE_OF(var, elemtype, lb_, ub_)                           \
	const struct per_type var = {                                      \
		.name = "SEQUENCE OF " #elemtype, .kind = PER_K_SEQUENCE_OF, \
		.csize = sizeof(struct per_list),                          \
		.u.l = { .elem = &(elemtype),                              \
			 .size = { .lb = (lb_), .ub = (ub_) } } }

/* INTEGER(lb..ub) stored in a C integer of type ctype. */
#define PER_INTEGER(var, lb_, ub_, ctype, signed_)                         \
	const struct per_type var = {                                      \
		.name = "INTEGER(" #lb_ ".." #ub_ ")",                     \
		.kind = PER_K_INTEGER, .csize = sizeof(ctype),             \
		.u.i = { .lb = (lb_), .ub = (ub_), .has_lb = true,         \
			 .has_ub = true, .csize = sizeof(ctype),           \
			 .csigned = (signed_) } }

/* OCTET STRING (SIZE(lb..ub)) as struct per_octets. */
#define PER_OCTET_STRING(var, lb_, ub_)                                    \
	const struct per_type var = {                                      \
		.name = "OCTET STRING(SIZE(" #lb_ ".." #ub_ "))",           \
		.kind = PER_K_OCTET_STRING,                                \
		.csize = sizeof(struct per_octets),                        \
		.u.s = { .size = { .lb = (lb_), .ub = (ub_) } } }

/* OCTET STRING (SIZE(n)) stored inline as uint8_t[n]. */
#define PER_OCTET_STRING_FIXED(var, n_)                                    \
	const struct per_type var = {                                      \
		.name = "OCTET STRING(SIZE(" #n_ "))",                     \
		.kind = PER_K_OCTET_STRING, .csize = (n_),                 \
		.u.s = { .size = { .lb = (n_), .ub = (n_) },               \
			 .inline_fixed = true } }

#define PER_BIT_STRING(var, lb_, ub_)                                      \
	const struct per_type var = {                                      \
		.name = "BIT STRING(SIZE(" #lb_ ".." #ub_ "))",             \
		.kind = PER_K_BIT_STRING, .csize = sizeof(struct per_bits), \
		.u.s = { .size = { .lb = (lb_), .ub = (ub_) } } }

#define PER_BMP_STRING(var, lb_, ub_)                                      \
	const struct per_type var = {                                      \
		.name = "BMPString(SIZE(" #lb_ ".." #ub_ "))",              \
		.kind = PER_K_BMP, .csize = sizeof(struct per_bmp),        \
		.u.s = { .size = { .lb = (lb_), .ub = (ub_) } } }

/* IA5String (SIZE(lb..ub)), FROM(alphabet) when alphabet is not NULL
 * (written in ascending code order). */
#define PER_IA5_STRING(var, lb_, ub_, alphabet_)                           \
	const struct per_type var = {                                      \
		.name = "IA5String(SIZE(" #lb_ ".." #ub_ "))",              \
		.kind = PER_K_CHARS, .csize = sizeof(const char *),        \
		.u.s = { .size = { .lb = (lb_), .ub = (ub_) },             \
			 .alphabet = (alphabet_) } }

/* ---- built-in types ------------------------------------------------------ */

extern const struct per_type per_t_null;
extern const struct per_type per_t_boolean;
extern const struct per_type per_t_integer;	/* unconstrained, int64_t */
extern const struct per_type per_t_oid;
extern const struct per_type per_t_octets;	/* OCTET STRING, no SIZE */
extern const struct per_type per_t_bits;	/* BIT STRING, no SIZE */
extern const struct per_type per_t_ia5;		/* IA5String, no SIZE */
extern const struct per_type per_t_bmp;		/* BMPString, no SIZE */
extern const struct per_type per_t_printable;	/* PrintableString */
extern const struct per_type per_t_open;	/* open type, raw */
extern const struct per_type per_t_unmodelled;	/* see PER_ALT_UNMODELLED */

/* ---- the codec ----------------------------------------------------------- */

/* Deepest nesting of values (every component counts) either direction
 * accepts: the deepest RAS paths are ~15, a GenericData nesting level adds
 * 5. Bounds the recursion on hostile input. */
#define PER_MAX_DEPTH 48

/* Encodes *value (a C struct of type t) into buf[0..cap). On success
 * returns 0 and sets *len to the octets used; on failure returns -1 and
 * fills *err (err may be NULL). */
int per_encode(const struct per_type *t, const void *value, uint8_t *buf,
	       size_t cap, size_t *len, struct per_error *err);

/* Decodes buf[0..len) as one complete value of type t into *value, which
 * is zeroed first. Strings and lists are copied into the arena, so buf may
 * be reused afterwards. Trailing octets after the value are ignored only
 * if they are zero padding; anything else is PER_E_INVALID. Returns 0, or
 * -1 with *err filled. */
int per_decode(const struct per_type *t, const uint8_t *buf, size_t len,
	       void *value, struct per_arena *arena, struct per_error *err);

/* Structural equality of two values of type t, by descriptor. On a
 * difference returns false and, if where != NULL, names the first
 * differing component. */
bool per_equal(const struct per_type *t, const void *a, const void *b,
	       char *where, size_t where_cap);

/* Checks a descriptor tree for mistakes (offsets outside the struct,
 * unsorted alphabets, SKIP outside the extensions, ...). Returns 0, or -1
 * with a description in why. */
int per_type_check(const struct per_type *t, char *why, size_t why_cap);

/* ---- value helpers ------------------------------------------------------- */

bool per_oid_eq(const struct per_oid *a, const struct per_oid *b);
/* "0.0.8.2250.0.4"; returns the length snprintf would have written. */
int per_oid_format(const struct per_oid *oid, char *out, size_t cap);

bool per_bmp_eq_ascii(struct per_bmp s, const char *ascii);
/* UTF-8 of s into out (NUL-terminated, truncated to cap). Returns the
 * length the full conversion needs, excluding the NUL. */
size_t per_bmp_to_utf8(struct per_bmp s, char *out, size_t cap);
/* Converts UTF-8 text (BMP characters only) into an arena-held BMPString.
 * Returns 0, or -1 on invalid UTF-8, characters outside the BMP, or a
 * full arena. */
int per_bmp_from_utf8(struct per_arena *a, const char *utf8,
		      struct per_bmp *out);

#endif /* SL_PER_H */
