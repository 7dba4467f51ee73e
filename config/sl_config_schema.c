/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sl_config_schema.c — the configuration schema as tables, Redis-style: one
 * row per key with its type, bounds, default for each profile, whether a
 * reload applies it, a single-field validator and where it lands in the
 * struct. Defaults are written as the text an operator would write, and go
 * through the same parser as the file, so a default can never be a value the
 * file could not give.
 *
 * Rules that look at more than one key live in sl_config_rules.c; they run
 * only once every key parsed.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sl_config_int.h"

#define PORT_MIN 1024u
#define PORT_MAX 65535u

_Static_assert(sizeof(enum sl_profile) == sizeof(int), "enums stored as int");
_Static_assert(sizeof(enum sl_zone_transport) == sizeof(int), "enums as int");

/* offsetof() that fails to compile when the field is not of `type`. */
#define TYPED_OFF(T, f, type)                                                  \
	(offsetof(T, f) +                                                      \
	 0 * sizeof(char[_Generic(((T *)0)->f, type: 1, default: -1)]))

static void why_set(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void why_set(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

/* ---- numbers ------------------------------------------------------------ */

/*
 * A plain decimal: digits only, so no sign, no leading blank, no "0x".
 * Sets *v to ULONG_MAX on overflow so that the bound check reports it.
 */
static bool parse_decimal(const char *s, const char **end, unsigned long *v)
{
	char *e;

	if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	*v = strtoul(s, &e, 10);
	if (errno == ERANGE)
		*v = ULONG_MAX;
	*end = e;
	return true;
}

static bool parse_whole_decimal(const char *s, unsigned long *v)
{
	const char *end;

	return parse_decimal(s, &end, v) && *end == '\0';
}

static bool parse_u32(const struct cfg_row *row, const char *text, void *dst,
		      char *why, size_t why_len)
{
	unsigned long v;

	if (!parse_whole_decimal(text, &v)) {
		why_set(why, why_len, "not a decimal number");
		return false;
	}
	if (v < row->min || v > row->max) {
		why_set(why, why_len, "must be between %u and %u", row->min,
			row->max);
		return false;
	}
	*(uint32_t *)dst = (uint32_t)v;
	return true;
}

/* One port of a range or a single port: the digits in [s, end). */
static bool port_in_bounds(const char *s, const char *end, unsigned long v,
			   char *why, size_t why_len)
{
	if (v >= PORT_MIN && v <= PORT_MAX)
		return true;
	why_set(why, why_len, "port %.*s is outside %u-%u", (int)(end - s), s,
		PORT_MIN, PORT_MAX);
	return false;
}

static bool parse_port(const struct cfg_row *row, const char *text, void *dst,
		       char *why, size_t why_len)
{
	unsigned long v;

	(void)row;
	if (!parse_whole_decimal(text, &v)) {
		why_set(why, why_len, "not a port number");
		return false;
	}
	if (!port_in_bounds(text, text + strlen(text), v, why, why_len))
		return false;
	*(uint16_t *)dst = (uint16_t)v;
	return true;
}

/* "A-B" with A <= B, or a single port "A" meaning A-A. */
static bool parse_range(const struct cfg_row *row, const char *text, void *dst,
			char *why, size_t why_len)
{
	const char *end, *hi_s;
	unsigned long lo, hi;
	struct sl_port_range *r = dst;

	(void)row;
	if (!parse_decimal(text, &end, &lo))
		goto syntax;
	hi = lo;
	hi_s = text;
	if (*end == '-') {
		hi_s = end + 1;
		if (!parse_whole_decimal(hi_s, &hi))
			goto syntax;
	} else if (*end != '\0') {
		goto syntax;
	}
	if (!port_in_bounds(text, end, lo, why, why_len) ||
	    !port_in_bounds(hi_s, hi_s + strlen(hi_s), hi, why, why_len))
		return false;
	if (lo > hi) {
		why_set(why, why_len, "the range starts above its end");
		return false;
	}
	r->lo = (uint16_t)lo;
	r->hi = (uint16_t)hi;
	return true;
syntax:
	why_set(why, why_len, "not a port or a port range LOW-HIGH");
	return false;
}

static bool parse_bool(const struct cfg_row *row, const char *text, void *dst,
		       char *why, size_t why_len)
{
	(void)row;
	if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
		*(bool *)dst = text[0] == 't';
		return true;
	}
	why_set(why, why_len, "expected true or false");
	return false;
}

static void names_join(const char *const *names, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; names[i] != NULL && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "", names[i]);
}

static bool parse_enum(const struct cfg_row *row, const char *text, void *dst,
		       char *why, size_t why_len)
{
	char list[128];

	for (int i = 0; row->names[i] != NULL; i++) {
		if (strcmp(text, row->names[i]) == 0) {
			memcpy(dst, &i, sizeof(i));
			return true;
		}
	}
	names_join(row->names, list, sizeof(list));
	why_set(why, why_len, "expected one of %s", list);
	return false;
}

static bool parse_string(const struct cfg_row *row, const char *text,
			 void *dst, char *why, size_t why_len)
{
	size_t len = strlen(text);

	if (len < row->min || len > row->max) {
		why_set(why, why_len, "must be %u to %u bytes long", row->min,
			row->max);
		return false;
	}
	memcpy(dst, text, len + 1);
	return true;
}

/* ---- IPv4 --------------------------------------------------------------- */

/* Strict dotted quad: four decimal parts 0-255, no leading zeros. */
bool cfg_parse_ipv4(const char *s, const char **end, uint32_t *addr_host)
{
	uint32_t a = 0;

	for (int part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;

		if (part > 0 && *s++ != '.')
			return false;
		while (isdigit((unsigned char)*s) && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255 ||
		    (digits > 1 && s[-(int)digits] == '0'))
			return false;
		a = a << 8 | v;
	}
	*end = s;
	*addr_host = a;
	return true;
}

uint32_t cfg_prefix_mask(unsigned len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

void cfg_format_ipv4(uint32_t addr_net, char *buf, size_t len)
{
	uint32_t a = ntohl(addr_net);

	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
		 (a >> 8) & 0xff, a & 0xff);
}

void cfg_format_range(const struct sl_port_range *r, char *buf, size_t len)
{
	if (r->lo == r->hi)
		snprintf(buf, len, "%u", r->lo);
	else
		snprintf(buf, len, "%u-%u", r->lo, r->hi);
}

/* "a.b.c.d/len", len in [min_len, 32]; a bare address is taken as /32 when
 * min_len is 0 (allowed_peers), required otherwise. */
static bool parse_prefix(const char *s, unsigned min_len, bool bare_ok,
			 uint32_t *addr_host, unsigned *len)
{
	const char *end;
	unsigned long v;

	if (!cfg_parse_ipv4(s, &end, addr_host))
		return false;
	if (*end == '\0' && bare_ok) {
		*len = 32;
		return true;
	}
	if (*end != '/' || !parse_whole_decimal(end + 1, &v) || v < min_len ||
	    v > 32)
		return false;
	*len = (unsigned)v;
	return true;
}

bool cfg_parse_cidr(const char *s, struct sl_ipv4_prefix *p, char *why,
		    size_t why_len)
{
	uint32_t a;
	unsigned len;

	if (!parse_prefix(s, 0, true, &a, &len)) {
		why_set(why, why_len,
			"expected an IPv4 network a.b.c.d/len (len 0-32)");
		return false;
	}
	if (a & ~cfg_prefix_mask(len)) {
		why_set(why, why_len, "host bits are set beyond the /%u prefix",
			len);
		return false;
	}
	p->addr = htonl(a);
	p->len = (uint8_t)len;
	return true;
}

static bool parse_ifaddr(const struct cfg_row *row, const char *text,
			 void *dst, char *why, size_t why_len)
{
	uint32_t a;
	unsigned len;

	if (!parse_prefix(text, 1, false, &a, &len)) {
		why_set(why, why_len,
			"expected an IPv4 address with a prefix length a.b.c.d/len (len 1-32)");
		return false;
	}
	*(uint32_t *)dst = htonl(a);
	*((uint8_t *)dst - row->offset + row->offset2) = (uint8_t)len;
	return true;
}

static bool parse_ipv4_value(const struct cfg_row *row, const char *text,
			     void *dst, char *why, size_t why_len)
{
	const char *end;
	uint32_t a;

	if (!cfg_parse_ipv4(text, &end, &a) || *end != '\0') {
		why_set(why, why_len, "expected an IPv4 address a.b.c.d");
		return false;
	}
	*(uint32_t *)dst = htonl(a);
	*((bool *)dst - row->offset + row->offset2) = true;
	return true;
}

/* Refuses "this network", loopback, multicast, reserved and broadcast. */
static const char *ipv4_not_unicast(uint32_t a)
{
	if ((a >> 24) == 0)
		return "0.0.0.0/8 is not a unicast address";
	if ((a >> 24) == 127)
		return "127.0.0.0/8 is loopback, not a usable unicast address";
	if ((a >> 28) == 0xe)
		return "224.0.0.0/4 is multicast, not unicast";
	if (a == 0xffffffffu)
		return "255.255.255.255 is broadcast, not unicast";
	if ((a >> 28) == 0xf)
		return "240.0.0.0/4 is reserved, not unicast";
	return NULL;
}

/* ---- validators --------------------------------------------------------- */

static bool check_pow2(const struct cfg_row *row, const void *val, char *why,
		       size_t why_len)
{
	uint32_t v = *(const uint32_t *)val;

	(void)row;
	if ((v & (v - 1)) == 0)
		return true;
	why_set(why, why_len, "must be a power of 2");
	return false;
}

/* Media ports come in RTP/RTCP pairs: RTP even, RTCP the odd one above. */
static bool check_media_ports(const struct cfg_row *row, const void *val,
			      char *why, size_t why_len)
{
	const struct sl_port_range *r = val;

	(void)row;
	if (r->lo % 2 != 0) {
		why_set(why, why_len,
			"must start on an even (RTP) port: media ports are RTP/RTCP pairs");
		return false;
	}
	if (r->hi % 2 != 1) {
		why_set(why, why_len,
			"must end on an odd (RTCP) port: media ports are RTP/RTCP pairs");
		return false;
	}
	return true;
}

static bool check_even_port(const struct cfg_row *row, const void *val,
			    char *why, size_t why_len)
{
	(void)row;
	if (*(const uint16_t *)val % 2 == 0)
		return true;
	why_set(why, why_len, "an RTP port must be even (RTCP is the odd one above)");
	return false;
}

static bool check_printable_ascii(const struct cfg_row *row, const void *val,
				  char *why, size_t why_len)
{
	(void)row;
	for (const char *s = val; *s; s++) {
		if (*s < 0x20 || *s > 0x7e) {
			why_set(why, why_len, "only printable ASCII is allowed");
			return false;
		}
	}
	return true;
}

static bool check_no_control(const struct cfg_row *row, const void *val,
			     char *why, size_t why_len)
{
	(void)row;
	for (const unsigned char *s = val; *s; s++) {
		if (*s < 0x20 || *s == 0x7f) {
			why_set(why, why_len, "control characters are not allowed");
			return false;
		}
	}
	return true;
}

static bool all_of(const char *s, size_t n, const char *extra)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!isalnum(c) && strchr(extra, c) == NULL)
			return false;
	}
	return true;
}

static bool is_hex_n(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* [DDDD:]BB:DD.F, hexadecimal, function 0-7. */
static bool is_pci_address(const char *s)
{
	size_t len = strlen(s);

	if (len == 12) {
		if (!is_hex_n(s, 4) || s[4] != ':')
			return false;
		s += 5;
	} else if (len != 7) {
		return false;
	}
	return is_hex_n(s, 2) && s[2] == ':' && is_hex_n(s + 3, 2) &&
	       s[5] == '.' && s[6] >= '0' && s[6] <= '7';
}

static bool is_lower_word(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '_')
			return false;
	return n > 0;
}

/* net_NAME[,key=value]... as DPDK's --vdev takes it. */
static bool is_vdev(const char *s)
{
	const char *comma = strchr(s, ',');
	size_t name_len = comma ? (size_t)(comma - s) : strlen(s);

	if (strncmp(s, "net_", 4) != 0 || !is_lower_word(s + 4, name_len - 4))
		return false;
	while (comma != NULL) {
		const char *arg = comma + 1;
		const char *eq = strchr(arg, '=');

		comma = strchr(arg, ',');
		if (eq == NULL || (comma != NULL && eq > comma) || eq == arg)
			return false;
		if ((comma ? comma : eq + strlen(eq)) == eq + 1)
			return false;  /* empty value */
	}
	return true;
}

static bool check_device(const struct cfg_row *row, const void *val,
			 char *why, size_t why_len)
{
	const char *s = val;

	(void)row;
	for (const char *p = s; *p; p++) {
		if (isspace((unsigned char)*p)) {
			why_set(why, why_len, "whitespace is not allowed in a device");
			return false;
		}
	}
	if (is_pci_address(s) || is_vdev(s))
		return true;
	why_set(why, why_len,
		"expected a PCI address [DDDD:]BB:DD.F or a vdev net_NAME[,key=value...]");
	return false;
}

static bool check_ifname(const struct cfg_row *row, const void *val,
			 char *why, size_t why_len)
{
	const char *s = val;

	(void)row;
	if (all_of(s, strlen(s), "_.-") && strcmp(s, ".") != 0 &&
	    strcmp(s, "..") != 0)
		return true;
	why_set(why, why_len,
		"a kernel interface name is 1-15 of A-Z a-z 0-9 _ . -");
	return false;
}

static bool check_zone_name(const struct cfg_row *row, const void *val,
			    char *why, size_t why_len)
{
	const char *s = val;

	(void)row;
	if (all_of(s, strlen(s), "_-"))
		return true;
	why_set(why, why_len, "a zone name is 1-63 of A-Z a-z 0-9 _ -");
	return false;
}

/* RFC 1123 host name: dot-separated labels of letters, digits and inner
 * hyphens; an all-numeric last label would be a mistyped address. */
static bool is_hostname(const char *s)
{
	size_t len = strlen(s);
	const char *label = s;
	bool numeric = true;

	if (len == 0 || len > 253)
		return false;
	for (const char *p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			size_t n = (size_t)(p - label);

			if (n == 0 || n > 63 || label[0] == '-' ||
			    p[-1] == '-' || !all_of(label, n, "-"))
				return false;
			numeric = strspn(label, "0123456789") == n;
			if (*p == '\0')
				break;
			label = p + 1;
		}
	}
	return !numeric;
}

static bool check_peer(const struct cfg_row *row, const void *val, char *why,
		       size_t why_len)
{
	const char *s = val, *end;
	uint32_t a;

	(void)row;
	if ((cfg_parse_ipv4(s, &end, &a) && *end == '\0') || is_hostname(s))
		return true;
	why_set(why, why_len, "expected a host name or an IPv4 address");
	return false;
}

static bool check_ipv4_port(const struct cfg_row *row, const void *val,
			    char *why, size_t why_len)
{
	const char *s = val, *end;
	unsigned long port;
	uint32_t a;
	char *pend;

	(void)row;
	if (cfg_parse_ipv4(s, &end, &a) && *end == ':' && end[1] >= '0' &&
	    end[1] <= '9') {
		errno = 0;
		port = strtoul(end + 1, &pend, 10);
		if (errno == 0 && *pend == '\0' && port >= 1 && port <= 65535)
			return true;
	}
	why_set(why, why_len, "expected A.B.C.D:PORT (an IPv4 address and a port 1-65535)");
	return false;
}

static bool check_iface_address(const struct cfg_row *row, const void *val,
				char *why, size_t why_len)
{
	uint32_t a = ntohl(*(const uint32_t *)val);
	unsigned len = *((const uint8_t *)val - row->offset + row->offset2);
	uint32_t mask = cfg_prefix_mask(len);
	const char *bad = ipv4_not_unicast(a);

	if (bad != NULL) {
		why_set(why, why_len, "%s", bad);
		return false;
	}
	if (len <= 30 && (a & ~mask) == 0) {
		why_set(why, why_len, "is the network address of its /%u subnet",
			len);
		return false;
	}
	if (len <= 30 && (a & ~mask) == ~mask) {
		why_set(why, why_len,
			"is the broadcast address of its /%u subnet", len);
		return false;
	}
	return true;
}

static bool check_unicast(const struct cfg_row *row, const void *val,
			  char *why, size_t why_len)
{
	const char *bad = ipv4_not_unicast(ntohl(*(const uint32_t *)val));

	(void)row;
	if (bad == NULL)
		return true;
	why_set(why, why_len, "%s", bad);
	return false;
}

/* ---- dispatch ----------------------------------------------------------- */

typedef bool cfg_parse_fn(const struct cfg_row *row, const char *text,
			  void *dst, char *why, size_t why_len);

static cfg_parse_fn *const type_parsers[] = {
	[CFG_T_U32] = parse_u32,
	[CFG_T_PORT] = parse_port,
	[CFG_T_RANGE] = parse_range,
	[CFG_T_BOOL] = parse_bool,
	[CFG_T_ENUM] = parse_enum,
	[CFG_T_STRING] = parse_string,
	[CFG_T_IFADDR] = parse_ifaddr,
	[CFG_T_IPV4] = parse_ipv4_value,
};

/* Parses `text` as the row's type and runs its validator; on failure `why`
 * says which rule it broke. `dst` is the row's field. */
bool cfg_parse_text(const struct cfg_row *row, const char *text, void *dst,
		    char *why, size_t why_len)
{
	if (row->type >= sizeof(type_parsers) / sizeof(type_parsers[0]) ||
	    type_parsers[row->type] == NULL) {
		why_set(why, why_len, "expected a list");
		return false;
	}
	if (!type_parsers[row->type](row, text, dst, why, why_len))
		return false;
	return row->check == NULL || row->check(row, dst, why, why_len);
}

/* The value as plain text (unquoted), the way the file would give it. */
void cfg_format_value(const struct cfg_row *row, const void *base, char *buf,
		      size_t len)
{
	const char *p = (const char *)base + row->offset;
	int e;

	switch (row->type) {
	case CFG_T_U32:
		snprintf(buf, len, "%u", *(const uint32_t *)p);
		break;
	case CFG_T_PORT:
		snprintf(buf, len, "%u", *(const uint16_t *)p);
		break;
	case CFG_T_RANGE:
		cfg_format_range((const struct sl_port_range *)p, buf, len);
		break;
	case CFG_T_BOOL:
		snprintf(buf, len, "%s", *(const bool *)p ? "true" : "false");
		break;
	case CFG_T_ENUM:
		memcpy(&e, p, sizeof(e));
		snprintf(buf, len, "%s", row->names[e]);
		break;
	case CFG_T_STRING:
		snprintf(buf, len, "%s", p);
		break;
	case CFG_T_IFADDR: {
		char a[16];

		cfg_format_ipv4(*(const uint32_t *)p, a, sizeof(a));
		snprintf(buf, len, "%s/%u", a,
			 *((const uint8_t *)base + row->offset2));
		break;
	}
	case CFG_T_IPV4:
		cfg_format_ipv4(*(const uint32_t *)p, buf, len);
		break;
	case CFG_T_LIST:
		snprintf(buf, len, "[...]");
		break;
	}
}

/* ---- tables ------------------------------------------------------------- */

static const char *const profile_names[] = { "small", "medium", "large", NULL };
static const char *const role_names[] = { "external", "internal", NULL };
static const char *const zone_role_names[] = { "server", "client", NULL };
static const char *const protocol_names[] = { "sip", "h323", NULL };
static const char *const transport_names[] = { "tcp", "tls", "udp", NULL };
static const char *const level_names[] = { "err", "warning", "notice", "info",
					   "debug", NULL };

#define ALL(v) { v, v, v }
#define PROF(s, m, l) { s, m, l }
#define SC struct sl_config
#define RELOAD CFG_RELOADABLE

#define U32(k, f, lo, hi, dv, fl, chk, d)                                     \
	{ .key = k, .type = CFG_T_U32, .min = lo, .max = hi, .def = dv,       \
	  .flags = fl, .offset = TYPED_OFF(SC, f, uint32_t), .check = chk,     \
	  .doc = d }
#define PORT(k, f, dv, d)                                                     \
	{ .key = k, .type = CFG_T_PORT, .min = PORT_MIN, .max = PORT_MAX,      \
	  .def = ALL(dv), .offset = TYPED_OFF(SC, f, uint16_t), .doc = d }
#define RANGE(k, f, dv, chk, d)                                               \
	{ .key = k, .type = CFG_T_RANGE, .min = PORT_MIN, .max = PORT_MAX,     \
	  .def = dv, .offset = TYPED_OFF(SC, f, struct sl_port_range),        \
	  .check = chk, .doc = d }
#define BOOL(k, f, dv, fl, d)                                                 \
	{ .key = k, .type = CFG_T_BOOL, .def = ALL(dv), .flags = fl,          \
	  .offset = TYPED_OFF(SC, f, bool), .doc = d }
#define LIST(k, fl, parse, print, d)                                           \
	{ .key = k, .type = CFG_T_LIST, .flags = fl, .parse_list = parse,      \
	  .print_list = print, .doc = d }

static const struct cfg_row top_rows[R_TOP_COUNT] = {
	[R_PROFILE] = { .key = "profile", .type = CFG_T_ENUM,
		.names = profile_names, .flags = CFG_REQUIRED,
		.offset = offsetof(SC, profile),
		.doc = "every default below comes from it" },
	[R_INTERFACES] = LIST("interfaces", CFG_REQUIRED, cfg_parse_ifaces,
		cfg_print_ifaces,
		"1 or 2 entries (see interfaces[] below); subnets must not overlap"),
	[R_CREDENTIALS] = LIST("credentials", RELOAD, cfg_parse_creds,
		cfg_print_creds,
		"the local credential store; usernames unique; default empty"),
	[R_TURN_ENABLED] = BOOL("turn.enabled", turn.enabled, "true", 0,
		"run the TURN server"),
	[R_TURN_REALM] = { .key = "turn.realm", .type = CFG_T_STRING,
		.min = 1, .max = SL_CFG_REALM_MAX, .flags = RELOAD | CFG_OPTIONAL,
		.offset = offsetof(SC, turn.realm),
		.check = check_printable_ascii,
		.doc = "1-128 printable ASCII; required when turn.enabled is true" },
	[R_TURN_LISTEN] = RANGE("turn.listen_ports", turn.listen,
		PROF("3478", "3478", "3478-3483"), NULL,
		"UDP+TCP; a range only on large; with turn.port_multiplexing one port (default 3478)"),
	[R_TURN_MUX] = BOOL("turn.port_multiplexing", turn.port_multiplexing,
		"false", 0, "large only: all TURN listening on one port"),
	[R_TURN_RELAY] = RANGE("turn.relay_ports", turn.relay,
		ALL("24000-29999"), NULL, "UDP"),
	[R_TURN_RELAY_ADDRS] = LIST("turn.relay_addresses", 0,
		cfg_parse_relay_addrs, cfg_print_relay_addrs,
		"extra IPv4 addresses relays are given from, a.b.c.d or networks a.b.c.d/len (no host bits set); at most 16 entries holding 64 addresses; each inside one interface's subnet, not its address, gateway, public address, network or broadcast address, no two overlapping; that interface answers ARP for them; each adds turn.relay_ports' ports to the relays possible; default empty (the interface addresses only)"),
	[R_TURN_CAPACITY] = U32("turn.relay_capacity", turn.relay_capacity, 1,
		SL_CFG_MAX_RELAYS, PROF("1800", "1800", "6000"), 0, NULL,
		"at most the number of turn.relay_ports times the relay addresses (the interface's and turn.relay_addresses)"),
	[R_TURN_ALLOC_PER_USER] = U32("turn.allocations_per_user",
		turn.allocations_per_user, 1, SL_CFG_MAX_RELAYS, ALL("10"),
		RELOAD, NULL, "at most turn.relay_capacity"),
	[R_TURN_PERMS] = U32("turn.permissions_per_allocation",
		turn.permissions_per_allocation, 1, 1024, ALL("32"), RELOAD,
		NULL, "TURN permissions (peer addresses) per allocation"),
	[R_TURN_PEERS] = LIST("turn.allowed_peers", RELOAD, cfg_parse_peers,
		cfg_print_peers,
		"IPv4 networks a.b.c.d/len, no host bits set, at most 64; default empty"),
	[R_TURN_REST_SECRET] = { .key = "turn.rest_secret",
		.type = CFG_T_STRING, .min = 16, .max = SL_CFG_PASS_MAX,
		.flags = RELOAD | CFG_OPTIONAL,
		.offset = offsetof(SC, turn.rest_secret),
		.check = check_printable_ascii,
		.doc = "16-128 printable ASCII: also accept TURN REST ephemeral credentials (username `EXPIRY[:user]`, password base64(HMAC-SHA1(secret, username))); printed as `<redacted>`; default unset" },
	[R_TURN_REST_GRACE] = U32("turn.rest_secret_grace",
		turn.rest_secret_grace_s, 0, 86400, ALL("300"), RELOAD, NULL,
		"seconds a replaced turn.rest_secret still authenticates REST credentials after a reload changed it (those minted just before the rotation); 0: none"),
	[R_TURN_BINDING] = BOOL("turn.stun_binding", turn.stun_binding,
		"false", RELOAD,
		"answer Binding requests without credentials (a public STUN service); off: a Binding needs long-term credentials like any TURN request"),
	[R_TURN_SOFTWARE] = BOOL("turn.software", turn.software, "false",
		RELOAD, "name the software and version in TURN responses (SOFTWARE)"),
	[R_TURN_UNAUTH_RATE] = U32("turn.unauthenticated_rate",
		turn.unauth_rate, 1, 1000000, ALL("50"), RELOAD, NULL,
		"requests per second from one source address answered before it authenticates (challenges, errors); more are dropped and counted"),
	[R_TURN_CLUSTER_PEERS] = LIST("turn.cluster_peers", 0,
		cfg_parse_cluster, cfg_print_cluster,
		"peer appliances of the TURN cluster (see turn.cluster_peers[] below), at most 16; with them a full appliance answers 300 Try Alternate naming the peer with the most room; needs turn.cluster_secret; default empty"),
	[R_TURN_CLUSTER_SECRET] = { .key = "turn.cluster_secret",
		.type = CFG_T_STRING, .min = 32, .max = SL_CFG_PASS_MAX,
		.flags = CFG_OPTIONAL,
		.offset = offsetof(SC, turn.cluster_secret),
		.check = check_printable_ascii,
		.doc = "32-128 printable ASCII, the same on every cluster member: HMAC-SHA256 key of the room announcements; required with turn.cluster_peers; printed as `<redacted>`" },
	[R_TURN_CLUSTER_PORT] = PORT("turn.cluster_port", turn.cluster_port,
		"3490", "UDP: where sluice-cp hears its cluster peers' room announcements (only with turn.cluster_peers; takes part in the port overlap rule then)"),
	[R_TURN_CLUSTER_INTERVAL] = U32("turn.cluster_interval",
		turn.cluster_interval_s, 1, 60, ALL("5"), 0, NULL,
		"seconds between two room announcements to each peer; a peer unheard for 3 intervals counts as having no room"),
	[R_MEDIA_PORTS] = RANGE("media.ports", media.ports,
		ALL("36000-59999"), check_media_ports,
		"UDP; starts even, ends odd; holds the demultiplexing pairs plus at least one pair"),
	[R_MEDIA_DEMUX] = { .key = "media.demux_rtp_port", .type = CFG_T_PORT,
		.min = PORT_MIN, .max = PORT_MAX,
		.flags = CFG_DERIVED,
		.offset = TYPED_OFF(SC, media.demux_rtp_port, uint16_t),
		.check = check_even_port,
		.doc = "small/medium: even, its pair inside media.ports, default media.ports start; large: not allowed (always the first 6 pairs)" },
	[R_SIP_UDP] = PORT("sip.udp_port", sip.udp_port, "5060", "UDP"),
	[R_SIP_TCP] = PORT("sip.tcp_port", sip.tcp_port, "5060", "TCP"),
	[R_SIP_TLS] = PORT("sip.tls_port", sip.tls_port, "5061", "TCP"),
	[R_SIP_OUTBOUND] = RANGE("sip.tcp_outbound_ports", sip.tcp_outbound,
		ALL("25000-29999"), NULL, "TCP"),
	[R_SIP_REALM] = { .key = "sip.realm", .type = CFG_T_STRING,
		.min = 1, .max = SL_CFG_REALM_MAX, .flags = RELOAD | CFG_OPTIONAL,
		.offset = offsetof(SC, sip.realm),
		.check = check_printable_ascii,
		.doc = "digest realm of the registrar and the zones, 1-128 printable ASCII; default sluice" },
	[R_SIP_TLS_CERT] = { .key = "sip.tls_certificate", .type = CFG_T_STRING,
		.min = 1, .max = SL_CFG_DEVICE_MAX - 1, .flags = CFG_OPTIONAL,
		.offset = offsetof(SC, sip.tls_certificate),
		.check = check_no_control,
		.doc = "PEM certificate (chain) for TLS on sip.tls_port and TLS zones; with sip.tls_key; none: no SIP TLS" },
	[R_SIP_TLS_KEY] = { .key = "sip.tls_key", .type = CFG_T_STRING,
		.min = 1, .max = SL_CFG_DEVICE_MAX - 1, .flags = CFG_OPTIONAL,
		.offset = offsetof(SC, sip.tls_key),
		.check = check_no_control,
		.doc = "PEM private key of sip.tls_certificate; required with it" },
	[R_SIP_CALL_AUTH] = BOOL("sip.call_auth", sip.call_auth, "true", RELOAD,
		"INVITEs from the public side must authenticate with digest (401) against credentials; calls over an authenticated zone are the zone's"),
	[R_SIP_MAX_CALL] = U32("sip.max_call_duration", sip.max_call_duration_s,
		0, 604800, ALL("7200"), RELOAD, NULL,
		"seconds; a call is torn down (BYE both ways, legs deleted) after this long; 0: no limit"),
	[R_SIP_MEDIA_TIMEOUT] = U32("sip.media_timeout", sip.media_timeout_s,
		0, 3600, ALL("0"), RELOAD, NULL,
		"seconds without a packet on a call's media leg (RTP or RTCP) after which the call is torn down (BYE both ways); 0: off"),
	[R_SIP_ROUTES] = LIST("sip.routes", RELOAD, cfg_parse_routes,
		cfg_print_routes,
		"static call routes (see sip.routes[] below), first match wins, at most 64; tried after registrations; default empty"),
	[R_H323_RAS] = PORT("h323.ras_port", h323.ras_port, "1719", "UDP"),
	[R_H323_Q931] = PORT("h323.q931_port", h323.q931_port, "1720", "TCP"),
	[R_H323_ASSENT] = PORT("h323.assent_port", h323.assent_port, "2776",
		"TCP"),
	[R_H323_H46018] = PORT("h323.h46018_port", h323.h46018_port, "2777",
		"TCP"),
	[R_H323_CALLSIG] = RANGE("h323.call_signaling_ports",
		h323.call_signaling, ALL("15000-19999"), NULL, "TCP"),
	[R_EPHEMERAL] = RANGE("ephemeral_ports", ephemeral,
		ALL("30000-35999"), NULL, "UDP+TCP"),
	[R_ZONES] = LIST("zones", 0, cfg_parse_zones, cfg_print_zones,
		"traversal zones (see zones[] below), at most 64; default empty"),
	[R_CAP_SESSIONS] = U32("capacity.rich_media_sessions",
		capacity.rich_media_sessions, 1, 16777216,
		PROF("150", "150", "500"), 0, NULL,
		"reference sizing of signaling state, not a limit"),
	[R_CAP_REGISTRATIONS] = U32("capacity.registrations",
		capacity.registrations, 1, 16777216,
		PROF("2500", "2500", "5000"), 0, NULL,
		"reference sizing of the registrar, not a limit"),
	[R_CAP_MEDIA_LEGS] = U32("capacity.media_legs", capacity.media_legs, 1,
		16777216, PROF("16384", "131072", "1048576"), 0, NULL,
		"flow-table capacity"),
	[R_DP_WORKERS] = U32("dataplane.workers", dataplane.workers, 1, 127,
		PROF("1", "2", "4"), 0, NULL, "worker lcores"),
	[R_DP_RXD] = U32("dataplane.rx_descriptors", dataplane.rx_descriptors,
		64, 16384, PROF("1024", "1024", "2048"), 0,
		check_pow2, "power of 2, per RX queue"),
	[R_DP_TXD] = U32("dataplane.tx_descriptors", dataplane.tx_descriptors,
		64, 16384, PROF("1024", "1024", "2048"), 0,
		check_pow2, "power of 2, per TX queue"),
	[R_DP_MBUFS] = U32("dataplane.mbufs", dataplane.mbufs, 1023, 16777215,
		PROF("16383", "32767", "131071"), 0, NULL,
		"at least interfaces x workers x (rx + tx descriptors) + 2 x workers x punt_ring_size + 1024"),
	[R_DP_MBUF_CACHE] = U32("dataplane.mbuf_cache", dataplane.mbuf_cache,
		0, 512, ALL("256"), 0, NULL, "at most dataplane.mbufs / 1.5"),
	[R_DP_BURST] = U32("dataplane.burst", dataplane.burst, 1, 64,
		ALL("32"), 0, NULL, "packets per RX burst"),
	[R_DP_TX_FLUSH] = U32("dataplane.tx_flush_us", dataplane.tx_flush_us,
		1, 10000, ALL("100"), 0, NULL, "TX buffer drain timer"),
	[R_DP_PUNT_RING] = U32("dataplane.punt_ring_size",
		dataplane.punt_ring_size, 64, 65536, ALL("1024"), 0, check_pow2,
		"power of 2"),
	[R_DP_IDLE_BACKOFF] = BOOL("dataplane.idle_backoff",
		dataplane.idle_backoff, "false", 0, "sleep when every queue was idle"),
	[R_DP_IDLE_THRESHOLD] = U32("dataplane.idle_threshold_us",
		dataplane.idle_threshold_us, 1, 1000000, ALL("1000"), 0, NULL,
		"idle this long before sleeping"),
	[R_DP_IDLE_SLEEP] = U32("dataplane.idle_sleep_us",
		dataplane.idle_sleep_us, 1, 100000, ALL("100"), 0, NULL,
		"then sleep this long"),
	[R_LOG_LEVEL] = { .key = "log.level", .type = CFG_T_ENUM,
		.names = level_names, .def = ALL("info"), .flags = RELOAD,
		.offset = offsetof(SC, log.level),
		.doc = "least severe level logged" },
	[R_LOG_SYSLOG] = BOOL("log.syslog", log.syslog, "false", RELOAD,
		"also log to syslog"),
};

const struct cfg_table cfg_top_table = { "", top_rows, R_TOP_COUNT };

#undef SC
#define SI struct sl_iface

static const struct cfg_row iface_rows[IF_ROW_COUNT] = {
	[IF_NAME] = { .key = "name", .type = CFG_T_ENUM, .names = role_names,
		.flags = CFG_REQUIRED, .offset = offsetof(SI, role),
		.doc = "the interface's role; unique" },
	[IF_DEVICE] = { .key = "device", .type = CFG_T_STRING, .min = 1,
		.max = SL_CFG_DEVICE_MAX - 1, .flags = CFG_REQUIRED,
		.offset = offsetof(SI, device), .check = check_device,
		.doc = "PCI address [DDDD:]BB:DD.F or vdev net_NAME[,key=value...]; no whitespace; unique" },
	[IF_ADDRESS] = { .key = "address", .type = CFG_T_IFADDR,
		.flags = CFG_REQUIRED,
		.offset = TYPED_OFF(SI, address, uint32_t),
		.offset2 = offsetof(SI, prefix_len), .check = check_iface_address,
		.doc = "a.b.c.d/len, len 1-32, unicast, not the network or broadcast address (len <= 30)" },
	[IF_GATEWAY] = { .key = "gateway", .type = CFG_T_IPV4,
		.flags = CFG_OPTIONAL,
		.offset = TYPED_OFF(SI, gateway, uint32_t),
		.offset2 = offsetof(SI, has_gateway),
		.doc = "inside the address's subnet, not the address itself" },
	[IF_PUBLIC] = { .key = "public_address", .type = CFG_T_IPV4,
		.flags = CFG_OPTIONAL,
		.offset = TYPED_OFF(SI, public_address, uint32_t),
		.offset2 = offsetof(SI, has_public_address), .check = check_unicast,
		.doc = "unicast; static NAT address advertised to peers" },
	[IF_KERNEL] = { .key = "kernel_iface", .type = CFG_T_STRING, .min = 1,
		.max = SL_CFG_IFNAME_MAX - 1, .flags = CFG_DERIVED,
		.offset = offsetof(SI, kernel_iface), .check = check_ifname,
		.doc = "exception-path interface, 1-15 of A-Za-z0-9_.-, unique; default sluice0, sluice1" },
};

const struct cfg_table cfg_iface_table = { "interfaces[]", iface_rows,
					   IF_ROW_COUNT };

#define SCR struct sl_credential

static const struct cfg_row cred_rows[CR_ROW_COUNT] = {
	[CR_USERNAME] = { .key = "username", .type = CFG_T_STRING, .min = 1,
		.max = SL_CFG_USER_MAX, .flags = CFG_REQUIRED | RELOAD,
		.offset = offsetof(SCR, username), .check = check_no_control,
		.doc = "1-128 bytes, no control characters; unique" },
	[CR_PASSWORD] = { .key = "password", .type = CFG_T_STRING, .min = 1,
		.max = SL_CFG_PASS_MAX, .flags = CFG_REQUIRED | RELOAD,
		.offset = offsetof(SCR, password),
		.doc = "1-128 bytes; printed as `<redacted>`" },
};

const struct cfg_table cfg_cred_table = { "credentials[]", cred_rows,
					  CR_ROW_COUNT };

#define SZ struct sl_zone

static const struct cfg_row zone_rows[ZN_ROW_COUNT] = {
	[ZN_NAME] = { .key = "name", .type = CFG_T_STRING, .min = 1,
		.max = SL_CFG_NAME_MAX - 1, .flags = CFG_REQUIRED,
		.offset = offsetof(SZ, name), .check = check_zone_name,
		.doc = "1-63 of A-Za-z0-9_-; unique" },
	[ZN_ROLE] = { .key = "role", .type = CFG_T_ENUM,
		.names = zone_role_names, .flags = CFG_REQUIRED,
		.offset = offsetof(SZ, role),
		.doc = "server: a traversal client connects to us; client: we connect to peer" },
	[ZN_PROTOCOL] = { .key = "protocol", .type = CFG_T_ENUM,
		.names = protocol_names, .flags = CFG_REQUIRED,
		.offset = offsetof(SZ, protocol),
		.doc = "signaling protocol of the zone" },
	[ZN_TRANSPORT] = { .key = "transport", .type = CFG_T_ENUM,
		.names = transport_names, .flags = CFG_DERIVED,
		.offset = offsetof(SZ, transport),
		.doc = "sip: tcp (default) or tls (a tls server zone needs sip.tls_certificate); h323: udp (default, only)" },
	[ZN_PORT] = { .key = "port", .type = CFG_T_PORT, .min = PORT_MIN,
		.max = PORT_MAX, .flags = CFG_DERIVED,
		.offset = TYPED_OFF(SZ, port, uint16_t),
		.doc = "default 7001 + index among SIP zones, 6001 + index among H.323 zones; server zones take part in the port overlap rule" },
	[ZN_PEER] = { .key = "peer", .type = CFG_T_STRING, .min = 1,
		.max = SL_CFG_DEVICE_MAX - 1, .flags = CFG_OPTIONAL,
		.offset = offsetof(SZ, peer), .check = check_peer,
		.doc = "host name or IPv4; required on a client zone, not allowed on a server zone" },
	[ZN_USERNAME] = { .key = "username", .type = CFG_T_STRING, .min = 1,
		.max = SL_CFG_USER_MAX, .flags = CFG_REQUIRED,
		.offset = offsetof(SZ, username), .check = check_no_control,
		.doc = "names an entry of credentials" },
	[ZN_KEEPALIVE] = { .key = "keepalive", .type = CFG_T_U32, .min = 1,
		.max = 3600, .def = ALL("30"), .flags = 0,
		.offset = TYPED_OFF(SZ, keepalive_s, uint32_t),
		.doc = "seconds" },
	[ZN_CA_CERT] = { .key = "ca_certificate", .type = CFG_T_STRING, .min = 1,
		.max = SL_CFG_DEVICE_MAX - 1, .flags = CFG_OPTIONAL,
		.offset = offsetof(SZ, ca_certificate), .check = check_no_control,
		.doc = "PEM file of CA certificates, TLS zones only. client: required; the server's certificate must chain to one of them and carry server_name; server: optional; when given, the client must present a certificate that chains to one of them (mutual TLS; the client zone presents sip.tls_certificate)" },
	[ZN_SERVER_NAME] = { .key = "server_name", .type = CFG_T_STRING, .min = 1,
		.max = SL_CFG_DEVICE_MAX - 1, .flags = CFG_OPTIONAL,
		.offset = offsetof(SZ, server_name), .check = check_peer,
		.doc = "TLS client zones only: the host name or IPv4 address the server's certificate must carry (subjectAltName); default peer" },
};

const struct cfg_table cfg_zone_table = { "zones[]", zone_rows, ZN_ROW_COUNT };

#define SCP struct sl_cluster_peer

static const struct cfg_row cluster_rows[CL_ROW_COUNT] = {
	[CL_ADDRESS] = { .key = "address", .type = CFG_T_IPV4,
		.flags = CFG_REQUIRED,
		.offset = TYPED_OFF(SCP, address, uint32_t),
		.offset2 = offsetof(SCP, has_address), .check = check_unicast,
		.doc = "unicast IPv4 of the peer's TURN listener, as clients reach it (ALTERNATE-SERVER names it); not one of this appliance's addresses; address and turn_port unique" },
	[CL_TURN_PORT] = { .key = "turn_port", .type = CFG_T_PORT,
		.min = PORT_MIN, .max = PORT_MAX, .def = ALL("3478"),
		.offset = TYPED_OFF(SCP, turn_port, uint16_t),
		.doc = "the peer's TURN listening port (UDP)" },
	[CL_CONTROL_ADDRESS] = { .key = "control_address", .type = CFG_T_IPV4,
		.flags = CFG_OPTIONAL,
		.offset = TYPED_OFF(SCP, control_address, uint32_t),
		.offset2 = offsetof(SCP, has_control_address),
		.check = check_unicast,
		.doc = "unicast IPv4 where the peer's sluice-cp hears announcements; default address" },
	[CL_CONTROL_PORT] = { .key = "control_port", .type = CFG_T_PORT,
		.min = PORT_MIN, .max = PORT_MAX, .def = ALL("3490"),
		.offset = TYPED_OFF(SCP, control_port, uint16_t),
		.doc = "the peer's turn.cluster_port (UDP)" },
};

const struct cfg_table cfg_cluster_table = { "turn.cluster_peers[]",
					     cluster_rows, CL_ROW_COUNT };
#define SRT struct sl_sip_route

static const struct cfg_row route_rows[RT_ROW_COUNT] = {
	[RT_USER] = { .key = "user", .type = CFG_T_STRING, .min = 1,
		.max = SL_CFG_USER_MAX, .flags = CFG_OPTIONAL | RELOAD,
		.offset = offsetof(SRT, user), .check = check_no_control,
		.doc = "prefix of the Request-URI's user part; absent: every user" },
	[RT_ZONE] = { .key = "zone", .type = CFG_T_STRING, .min = 1,
		.max = SL_CFG_NAME_MAX - 1, .flags = CFG_OPTIONAL | RELOAD,
		.offset = offsetof(SRT, zone), .check = check_zone_name,
		.doc = "names a SIP zone the call goes over; exactly one of zone and target" },
	[RT_TARGET] = { .key = "target", .type = CFG_T_STRING, .min = 9,
		.max = 21, .flags = CFG_OPTIONAL | RELOAD,
		.offset = offsetof(SRT, target), .check = check_ipv4_port,
		.doc = "A.B.C.D:PORT of a SIP UA or server on the public side, over UDP" },
};

const struct cfg_table cfg_route_table = { "sip.routes[]", route_rows,
					   RT_ROW_COUNT };
