/* graphml.c - the nodes and edges of a GraphML file (libexpat).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A streaming expat parse: <key> elements map data key ids to the three
 * node fields we keep, <node> and <edge> append records, and the text of
 * a wanted <data> element is collected until its end tag.  Namespaces are
 * processed so that a prefixed file (<g:node>) reads like a plain one;
 * only local names are compared.  Edge ends are node ids until the whole
 * file is read, because GraphML allows an edge before its nodes.
 */
#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "graphml.h"
#include "strmap.h"

/* Far below UINT32_MAX so that index arithmetic never wraps. */
#define GRAPHML_MAX_ITEMS (1u << 30)

enum field { F_NONE, F_LABEL, F_LAT, F_LON };

struct gkey {
	char *id;
	enum field field;
};

struct parse {
	XML_Parser xp;
	struct graphml *g;
	struct idn_err *e;
	int rc;
	struct gkey *keys;
	size_t n_keys, cap_keys;
	struct strmap *ids;           /* node id -> index */
	size_t cap_nodes, cap_edges;
	char **edge_end;              /* 2 ids per edge until resolved */
	unsigned graphs;
	bool in_node, has_lat, has_lon;
	enum field cur;               /* the <data> being collected */
	uint64_t data_line;
	char *text;
	size_t text_len, text_cap;
};

static uint64_t cur_line(const struct parse *p)
{
	return (uint64_t)XML_GetCurrentLineNumber(p->xp);
}

/* Record the first error and stop the parser. */
static void stop(struct parse *p, int rc)
{
	p->rc = rc;
	XML_StopParser(p->xp, XML_FALSE);
}

static void fail_at(struct parse *p, const char *elem, const char *what,
                    const char *arg)
{
	idn_fail(p->e, IDN_EDATA, "%s:%llu: %s: %s%s%s%s", p->g->path,
	         (unsigned long long)cur_line(p), elem, what,
	         arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
	stop(p, IDN_EDATA);
}

static void fail_nomem(struct parse *p)
{
	idn_fail(p->e, IDN_ENOMEM, "out of memory");
	stop(p, IDN_ENOMEM);
}

/* Grow *arr (of n used, *cap allocated elements of size sz) for one more. */
static int grow(void *arr, size_t *cap, size_t n, size_t sz)
{
	void **a = arr;
	void *q;
	size_t c;

	if (n < *cap)
		return IDN_OK;
	if (n >= GRAPHML_MAX_ITEMS)
		return IDN_ENOMEM;
	c = *cap ? 2 * *cap : 16;
	q = realloc(*a, c * sz);
	if (!q)
		return IDN_ENOMEM;
	*a = q;
	*cap = c;
	return IDN_OK;
}

static const char *local_name(const XML_Char *name)
{
	const char *s = strrchr(name, ' ');

	return s ? s + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *name)
{
	for (; atts[0]; atts += 2)
		if (strcmp(local_name(atts[0]), name) == 0)
			return atts[1];
	return NULL;
}

static void on_key(struct parse *p, const XML_Char **atts)
{
	const char *id = attr(atts, "id"), *for_ = attr(atts, "for");
	const char *name = attr(atts, "attr.name");
	enum field f = F_NONE;

	if (!id || !name || !for_ ||
	    (strcmp(for_, "node") != 0 && strcmp(for_, "all") != 0))
		return;
	if (strcmp(name, "label") == 0)
		f = F_LABEL;
	else if (strcmp(name, "Latitude") == 0)
		f = F_LAT;
	else if (strcmp(name, "Longitude") == 0)
		f = F_LON;
	else
		return;
	if (grow(&p->keys, &p->cap_keys, p->n_keys, sizeof *p->keys) !=
	    IDN_OK || !(p->keys[p->n_keys].id = strdup(id)))
		return fail_nomem(p);
	p->keys[p->n_keys++].field = f;
}

static void on_node(struct parse *p, const XML_Char **atts)
{
	struct graphml *g = p->g;
	const char *id = attr(atts, "id");
	struct graphml_node *n;
	int rc;

	if (p->in_node)
		return fail_at(p, "node", "node inside a node", NULL);
	if (!id)
		return fail_at(p, "node", "missing attribute 'id'", NULL);
	if (grow(&g->node, &p->cap_nodes, g->n_nodes, sizeof *g->node) !=
	    IDN_OK)
		return fail_nomem(p);
	rc = strmap_put(p->ids, id, strlen(id), g->n_nodes);
	if (rc == IDN_EDATA)
		return fail_at(p, "node", "duplicate id", id);
	if (rc != IDN_OK)
		return fail_nomem(p);
	n = &g->node[g->n_nodes++];
	memset(n, 0, sizeof *n);
	n->line = cur_line(p);
	if (!(n->id = strdup(id)))
		return fail_nomem(p);
	p->in_node = true;
	p->has_lat = p->has_lon = false;
}

static void on_edge(struct parse *p, const XML_Char **atts)
{
	struct graphml *g = p->g;
	const char *src = attr(atts, "source"), *tgt = attr(atts, "target");
	size_t cap = p->cap_edges;
	char **ends;

	if (!src || !tgt)
		return fail_at(p, "edge", src ? "missing attribute 'target'"
		                              : "missing attribute 'source'",
		               NULL);
	if (grow(&g->edge, &p->cap_edges, g->n_edges, sizeof *g->edge) !=
	    IDN_OK)
		return fail_nomem(p);
	if (p->cap_edges != cap) {
		ends = realloc(p->edge_end, 2 * p->cap_edges * sizeof *ends);
		if (!ends)
			return fail_nomem(p);
		p->edge_end = ends;
	}
	g->edge[g->n_edges].line = cur_line(p);
	ends = &p->edge_end[2 * (size_t)g->n_edges];
	ends[0] = strdup(src);
	ends[1] = strdup(tgt);
	g->n_edges++;
	if (!ends[0] || !ends[1])
		return fail_nomem(p);
}

static void on_data(struct parse *p, const XML_Char **atts)
{
	const char *key = attr(atts, "key");

	if (!p->in_node || !key)
		return;
	for (size_t i = 0; i < p->n_keys; i++)
		if (strcmp(p->keys[i].id, key) == 0) {
			p->cur = p->keys[i].field;
			p->text_len = 0;
			p->data_line = cur_line(p);
			return;
		}
}

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **atts)
{
	struct parse *p = ud;
	const char *l = local_name(name);

	if (p->rc != IDN_OK)
		return;
	if (strcmp(l, "key") == 0)
		on_key(p, atts);
	else if (strcmp(l, "graph") == 0 && ++p->graphs > 1)
		fail_at(p, "graph", "more than one graph (nested graphs are "
		        "not supported)", NULL);
	else if (strcmp(l, "node") == 0)
		on_node(p, atts);
	else if (strcmp(l, "edge") == 0)
		on_edge(p, atts);
	else if (strcmp(l, "data") == 0)
		on_data(p, atts);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct parse *p = ud;

	if (p->rc != IDN_OK || p->cur == F_NONE)
		return;
	if (p->text_len + (size_t)len + 1 > p->text_cap) {
		size_t cap = 2 * (p->text_len + (size_t)len + 1);
		char *t = realloc(p->text, cap);

		if (!t)
			return fail_nomem(p);
		p->text = t;
		p->text_cap = cap;
	}
	memcpy(p->text + p->text_len, s, (size_t)len);
	p->text_len += (size_t)len;
	p->text[p->text_len] = '\0';
}

/* A coordinate: the whole text (blanks around allowed) a number in
 * [-max, max]. */
static void set_coord(struct parse *p, const char *s, const char *what,
                      double max, double *out, bool *has)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (end == s || *end || errno == ERANGE || !isfinite(v) ||
	    v < -max || v > max) {
		idn_fail(p->e, IDN_EDATA,
		         "%s:%llu: %s: not a number in [-%g, %g]: '%s'",
		         p->g->path, (unsigned long long)p->data_line, what,
		         max, max, s);
		return stop(p, IDN_EDATA);
	}
	*out = v;
	*has = true;
}

static void end_data(struct parse *p)
{
	struct graphml_node *n = &p->g->node[p->g->n_nodes - 1];
	const char *s = p->text_len ? p->text : "";
	enum field f = p->cur;

	p->cur = F_NONE;
	if (f == F_LAT)
		return set_coord(p, s, "Latitude", 90, &n->lat, &p->has_lat);
	if (f == F_LON)
		return set_coord(p, s, "Longitude", 180, &n->lon,
		                 &p->has_lon);
	free(n->label);
	if (!(n->label = strdup(s)))
		fail_nomem(p);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct parse *p = ud;
	const char *l = local_name(name);

	if (p->rc != IDN_OK)
		return;
	if (strcmp(l, "data") == 0 && p->cur != F_NONE)
		end_data(p);
	else if (strcmp(l, "node") == 0 && p->in_node) {
		p->g->node[p->g->n_nodes - 1].has_pos = p->has_lat &&
		                                        p->has_lon;
		p->in_node = false;
	}
}

static int resolve_edges(struct parse *p)
{
	struct graphml *g = p->g;

	for (uint32_t i = 0; i < g->n_edges; i++) {
		uint32_t *end[2] = { &g->edge[i].source, &g->edge[i].target };

		for (int k = 0; k < 2; k++) {
			const char *id = p->edge_end[2 * (size_t)i + k];

			*end[k] = strmap_get(p->ids, id, strlen(id));
			if (*end[k] == STRMAP_NONE)
				return idn_fail(p->e, IDN_EDATA,
				                "%s:%llu: edge: unknown node '%s'",
				                g->path,
				                (unsigned long long)g->edge[i].line,
				                id);
		}
	}
	return IDN_OK;
}

static int parse_file(struct parse *p, FILE *f)
{
	char buf[65536];
	size_t n;
	int last;

	do {
		n = fread(buf, 1, sizeof buf, f);
		if (ferror(f))
			return idn_fail(p->e, IDN_EIO, "%s: read error: %s",
			                p->g->path, strerror(errno));
		last = feof(f) != 0;
		if (XML_Parse(p->xp, buf, (int)n, last) == XML_STATUS_ERROR) {
			if (p->rc != IDN_OK)
				return p->rc;
			return idn_fail(p->e, IDN_EDATA, "%s:%llu: xml: %s",
			                p->g->path,
			                (unsigned long long)cur_line(p),
			                XML_ErrorString(XML_GetErrorCode(p->xp)));
		}
	} while (!last);
	return p->rc;
}

static void parse_free(struct parse *p)
{
	for (size_t i = 0; i < p->n_keys; i++)
		free(p->keys[i].id);
	free(p->keys);
	for (size_t i = 0; p->edge_end && i < 2 * (size_t)p->g->n_edges; i++)
		free(p->edge_end[i]);
	free(p->edge_end);
	free(p->text);
	strmap_free(p->ids);
	if (p->xp)
		XML_ParserFree(p->xp);
}

int graphml_load(struct graphml **out, const char *path, struct idn_err *e)
{
	struct parse p = { .e = e, .rc = IDN_OK };
	FILE *f;
	int rc;

	*out = NULL;
	p.g = calloc(1, sizeof *p.g);
	if (!p.g || !(p.g->path = strdup(path))) {
		free(p.g);
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	f = fopen(path, "rb");
	if (!f) {
		rc = idn_fail(e, IDN_EIO, "%s: cannot open: %s", path,
		              strerror(errno));
		graphml_free(p.g);
		return rc;
	}
	p.ids = strmap_new();
	p.xp = XML_ParserCreateNS(NULL, ' ');
	if (!p.ids || !p.xp) {
		rc = idn_fail(e, IDN_ENOMEM, "out of memory");
	} else {
		XML_SetUserData(p.xp, &p);
		XML_SetElementHandler(p.xp, on_start, on_end);
		XML_SetCharacterDataHandler(p.xp, on_text);
		rc = parse_file(&p, f);
		if (rc == IDN_OK)
			rc = resolve_edges(&p);
	}
	fclose(f);
	parse_free(&p);
	if (rc != IDN_OK)
		graphml_free(p.g);
	else
		*out = p.g;
	return rc;
}

void graphml_free(struct graphml *g)
{
	if (!g)
		return;
	for (uint32_t i = 0; i < g->n_nodes; i++) {
		free(g->node[i].id);
		free(g->node[i].label);
	}
	free(g->node);
	free(g->edge);
	free(g->path);
	free(g);
}
