/* scenario.h - a scenario directory, loaded and validated (SPEC section 1).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * scenario_load reads nodes.csv, links.csv, models.csv, profiles.csv and
 * pinned.csv from a directory.  Columns are found by header name (extra
 * columns ignored), CRLF and a UTF-8 BOM are accepted.  Every error names
 * "DIR/FILE:LINE: COLUMN: what".  After a successful load the struct is
 * immutable; all arrays are owned by it and released by scenario_free.
 *
 * Indexing: nodes in nodes.csv order, models in models.csv order, tiers
 * and tasks in order of first appearance (nodes.csv, models.csv).
 * Hardware kind 0 is "" (a node that runs nothing, e.g. a router); the
 * others follow in order of first appearance in profiles.csv.  A node's
 * hardware must be "" or appear in profiles.csv.
 */
#ifndef IDN_SCENARIO_H
#define IDN_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>
#include "err.h"
#include "strmap.h"

/* Absolute tolerance of every budget comparison, MB (SPEC section 1). */
#define IDN_BUDGET_TOL 1e-9

struct scenario {
	char *dir;
	uint32_t n_nodes, n_tiers, n_hw, n_models, n_tasks, n_links;

	char **node_name;
	uint32_t *node_tier;
	uint32_t *node_hw;
	double *node_budget;

	char **tier_name;
	char **hw_name;
	char **task_name;

	char **model_name;
	uint32_t *model_task;
	double *model_size;
	double *model_acc;

	/* Models of task i: task_models[task_model_off[i] .. off[i+1]-1],
	 * in model order. */
	uint32_t *task_model_off;
	uint32_t *task_models;

	/* Profiles, dense n_models x n_hw (index m * n_hw + h): latency is
	 * NAN where model m cannot run on hardware h. */
	double *prof_latency;
	double *prof_capacity;   /* requests/s, may be INFINITY */

	/* Undirected links as a CSR adjacency: neighbours of v are
	 * adj_to[adj_off[v] .. adj_off[v+1]-1]; parallel links are merged
	 * keeping the smallest delay. */
	uint32_t *adj_off;
	uint32_t *adj_to;
	double *adj_delay;

	/* Pinned (node, model) pairs sorted by (node, model). */
	uint32_t n_pinned;
	uint32_t *pin_node;
	uint32_t *pin_model;

	struct strmap *node_map, *tier_map, *task_map, *hw_map;
	struct strmap *model_map;      /* only while loading: then NULL */
};

int scenario_load(struct scenario **out, const char *dir, struct idn_err *e);
void scenario_free(struct scenario *sc);

static inline bool scenario_runnable(const struct scenario *sc, uint32_t m,
                                     uint32_t v)
{
	double lat = sc->prof_latency[(size_t)m * sc->n_hw + sc->node_hw[v]];
	return lat == lat;   /* not NAN */
}

static inline double scenario_latency(const struct scenario *sc, uint32_t m,
                                      uint32_t v)
{
	return sc->prof_latency[(size_t)m * sc->n_hw + sc->node_hw[v]];
}

static inline double scenario_capacity(const struct scenario *sc, uint32_t m,
                                       uint32_t v)
{
	return sc->prof_capacity[(size_t)m * sc->n_hw + sc->node_hw[v]];
}

bool scenario_pinned(const struct scenario *sc, uint32_t v, uint32_t m);

#endif
