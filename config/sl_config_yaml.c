/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sl_config_yaml.c — libyaml parser events into a small node tree.
 *
 * The event API is used (not libyaml's document loader) so that every key and
 * value keeps its own start mark for error messages, and so that aliases are
 * refused before anything expands them: a configuration has no use for them
 * and "billion laughs" inputs then cost nothing.
 *
 *   STREAM_START DOCUMENT_START MAPPING_START SCALAR(k) SCALAR(v) ... END
 *        |                             |          \ appended to the open
 *        v                             v            container on the stack
 *      (ignored)                 push a CFG_MAP node
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sl_config_int.h"

struct tree_builder {
	struct cfg_loader *ld;
	struct cfg_node *root;
	struct cfg_node *stack[CFG_MAX_DEPTH];
	unsigned depth;
	unsigned n_docs;
};

void cfg_node_free(struct cfg_node *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->n_kids; i++)
		cfg_node_free(n->kids[i]);
	free(n->kids);
	free(n->text);
	free(n);
}

static struct cfg_node *node_new(enum cfg_kind kind, yaml_mark_t mark)
{
	struct cfg_node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return NULL;
	n->kind = kind;
	n->mark = mark;
	return n;
}

static bool node_add_kid(struct cfg_node *parent, struct cfg_node *kid)
{
	if (parent->n_kids == parent->cap_kids) {
		size_t cap = parent->cap_kids ? parent->cap_kids * 2 : 8;
		struct cfg_node **k = realloc(parent->kids, cap * sizeof(*k));

		if (k == NULL)
			return false;
		parent->kids = k;
		parent->cap_kids = cap;
	}
	parent->kids[parent->n_kids++] = kid;
	return true;
}

/* Hangs a finished node under the open container, or makes it the root. */
static bool builder_attach(struct tree_builder *b, struct cfg_node *n)
{
	if (b->depth == 0) {
		b->root = n;
		return true;
	}
	if (!node_add_kid(b->stack[b->depth - 1], n)) {
		cfg_node_free(n);
		return false;
	}
	return true;
}

static struct cfg_node *scalar_new(const yaml_event_t *ev)
{
	struct cfg_node *n = node_new(CFG_SCALAR, ev->start_mark);
	size_t len = ev->data.scalar.length;

	if (n == NULL)
		return NULL;
	n->text = malloc(len + 1);
	if (n->text == NULL) {
		free(n);
		return NULL;
	}
	memcpy(n->text, ev->data.scalar.value, len);
	n->text[len] = '\0';
	n->len = len;
	return n;
}

static void report_syntax_error(struct cfg_loader *ld, const yaml_parser_t *p)
{
	/* Reader errors (bad encoding) carry no problem mark; the parser's
	 * current position is where it stopped. */
	yaml_mark_t mark = p->error == YAML_READER_ERROR ? p->mark
							 : p->problem_mark;
	const char *problem = p->problem ? p->problem : "invalid YAML";

	/* The context ("while parsing a flow sequence") is where the broken
	 * construct began, often lines above where the parser gave up. */
	if (p->context != NULL)
		cfg_err_plain(ld, mark, "%s %s at line %zu", problem,
			      p->context, p->context_mark.line + 1);
	else
		cfg_err_plain(ld, mark, "%s", problem);
}

/* Handles one event; returns false to stop (an error was reported). */
static bool builder_event(struct tree_builder *b, const yaml_event_t *ev)
{
	struct cfg_node *n;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->n_docs > 1) {
			cfg_err_plain(b->ld, ev->start_mark,
				      "a configuration is a single YAML document");
			return false;
		}
		return true;
	case YAML_ALIAS_EVENT:
		cfg_err_plain(b->ld, ev->start_mark,
			      "YAML aliases are not supported in a configuration");
		return false;
	case YAML_SCALAR_EVENT:
		n = scalar_new(ev);
		return n != NULL && builder_attach(b, n);
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		if (b->depth == CFG_MAX_DEPTH) {
			cfg_err_plain(b->ld, ev->start_mark,
				      "nesting deeper than %d levels", CFG_MAX_DEPTH);
			return false;
		}
		n = node_new(ev->type == YAML_MAPPING_START_EVENT ? CFG_MAP
								   : CFG_SEQ,
			     ev->start_mark);
		if (n == NULL || !builder_attach(b, n))
			return false;
		b->stack[b->depth++] = n;
		return true;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		b->depth--;
		return true;
	default:
		return true;
	}
}

/*
 * Parses `buf` into a tree. Returns NULL with errors reported (syntax) or on
 * an empty stream (no error: the caller treats it as an empty mapping).
 * Out of memory is reported as an error too, so NULL never goes unexplained
 * when n_errors grew.
 */
struct cfg_node *cfg_yaml_parse(struct cfg_loader *ld, const char *buf,
				size_t len)
{
	struct tree_builder b = { .ld = ld };
	yaml_parser_t parser;
	yaml_event_t ev;
	bool done = false, ok = true;

	if (!yaml_parser_initialize(&parser)) {
		cfg_err_plain(ld, (yaml_mark_t){ 0 }, "out of memory");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (ok && !done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			report_syntax_error(ld, &parser);
			ok = false;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		if (!builder_event(&b, &ev)) {
			if (ld->n_errors == 0)
				cfg_err_plain(ld, ev.start_mark, "out of memory");
			ok = false;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (!ok) {
		cfg_node_free(b.root);
		return NULL;
	}
	return b.root;
}
