/* graphml.h - the nodes and edges of a GraphML file (libexpat).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads what a network topology needs and nothing else: node ids, the
 * node data whose <key> (for="node" or "all") has attr.name "label",
 * "Latitude" or "Longitude", and edge source/target.  Every other element,
 * attribute and data key is ignored, and so are <key> defaults.  The file
 * holds one <graph>; edges may come before the nodes they name.  Edges are
 * returned as written, self-loops and repeats included: what they mean is
 * the caller's choice.
 *
 * Errors are "PATH:LINE: ELEMENT: what" (ELEMENT "xml" for a file that is
 * not well-formed, with expat's message).
 */
#ifndef IDN_GRAPHML_H
#define IDN_GRAPHML_H

#include <stdbool.h>
#include <stdint.h>
#include "err.h"

struct graphml_node {
	char *id;
	char *label;          /* NULL if the node has no label data */
	double lat, lon;      /* degrees; valid only if has_pos */
	bool has_pos;         /* both Latitude and Longitude were given */
	uint64_t line;        /* of the <node> start tag */
};

struct graphml_edge {
	uint32_t source, target;   /* node indices, in file order */
	uint64_t line;
};

struct graphml {
	char *path;
	uint32_t n_nodes, n_edges;
	struct graphml_node *node;
	struct graphml_edge *edge;
};

/* Read PATH.  Latitude must be a number in [-90, 90], Longitude in
 * [-180, 180]; node ids must be unique and edges must name known nodes. */
int graphml_load(struct graphml **out, const char *path, struct idn_err *e);
void graphml_free(struct graphml *g);

#endif
