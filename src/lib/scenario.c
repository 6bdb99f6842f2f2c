/* scenario.c - load and validate a scenario directory (SPEC section 1).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files are read in dependency order (nodes, models, profiles, links,
 * pinned) so that every reference can be checked against what came
 * before it, and the first problem is reported with its file and line.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "scenario.h"
#include "table.h"

/* Intern a name into a growing list + map; *idx gets its index. */
static int intern(struct strmap *map, char ***names, uint32_t *n,
                  const char *name, uint32_t *idx)
{
	uint32_t v = strmap_get(map, name, strlen(name));
	char **grown;

	if (v != STRMAP_NONE) {
		*idx = v;
		return IDN_OK;
	}
	/* the list doubles at powers of two: a million tasks are interned
	 * with twenty reallocs, not a million */
	if (*n == 0 || (*n >= 8 && (*n & (*n - 1)) == 0)) {
		grown = realloc(*names, (*n ? 2 * (size_t)*n : 8) *
		                        sizeof **names);
		if (!grown)
			return IDN_ENOMEM;
		*names = grown;
	}
	grown = *names;
	if (!(grown[*n] = strdup(name)))
		return IDN_ENOMEM;
	if (strmap_put(map, name, strlen(name), *n) != IDN_OK)
		return IDN_ENOMEM;
	*idx = (*n)++;
	return IDN_OK;
}

/* Start loading the map slot of cell (r, c) of t, if there is such a
 * row: in a catalogue-sized map every lookup is a cache miss, and loops
 * over a table prefetch the key a few rows ahead so the misses overlap. */
enum { AHEAD = 16 };

static void prefetch_key(const struct table *t, size_t r, size_t c,
                         const struct strmap *map)
{
	if (r < t->n_rows) {
		const char *s = t->cells[r][c];
		strmap_prefetch(map, strmap_hash(s, strlen(s)));
	}
}

static int oom(struct idn_err *e, const char *what)
{
	return idn_fail(e, IDN_ENOMEM, "%s: out of memory", what);
}

/* Open DIR/NAME and find the named columns. */
static int open_table(const struct scenario *sc, const char *name,
                      const char *const *cols, size_t *idx,
                      struct table **t, struct idn_err *e)
{
	char path[4096];
	int rc;

	snprintf(path, sizeof path, "%s/%s", sc->dir, name);
	rc = table_load(t, path, e);
	for (size_t i = 0; rc == IDN_OK && cols[i]; i++)
		rc = table_column(*t, cols[i], &idx[i], e);
	if (rc != IDN_OK) {
		table_free(*t);
		*t = NULL;
	}
	return rc;
}

static int check_name(const struct table *t, size_t row, size_t col,
                      struct idn_err *e)
{
	if (t->cells[row][col][0] == '\0')
		return table_fail(e, t, row, col, "empty name");
	return IDN_OK;
}

static int load_nodes(struct scenario *sc, struct idn_err *e)
{
	static const char *const cols[] = { "node", "tier", "hardware",
	                                    "budget_mb", NULL };
	size_t c[4];
	struct table *t;
	int rc = open_table(sc, "nodes.csv", cols, c, &t, e);

	if (rc != IDN_OK)
		return rc;
	sc->n_nodes = t->n_rows;
	sc->node_name = calloc(t->n_rows + 1, sizeof *sc->node_name);
	sc->node_tier = calloc(t->n_rows + 1, sizeof *sc->node_tier);
	sc->node_hw = calloc(t->n_rows + 1, sizeof *sc->node_hw);
	sc->node_budget = calloc(t->n_rows + 1, sizeof *sc->node_budget);
	if (!sc->node_name || !sc->node_tier || !sc->node_hw ||
	    !sc->node_budget)
		rc = oom(e, t->path);
	for (size_t r = 0; rc == IDN_OK && r < t->n_rows; r++) {
		char **row = t->cells[r];
		if ((rc = check_name(t, r, c[0], e)) ||
		    (rc = check_name(t, r, c[1], e)) ||
		    (rc = table_number(t, r, c[3], 0, 0, 0,
		                       &sc->node_budget[r], e)))
			break;
		if (!(sc->node_name[r] = strdup(row[c[0]])))
			rc = oom(e, t->path);
		else if ((rc = strmap_put(sc->node_map, row[c[0]],
		                          strlen(row[c[0]]), r)) == IDN_EDATA)
			rc = table_fail(e, t, r, c[0], "duplicate node '%s'",
			                row[c[0]]);
		else if (rc || intern(sc->tier_map, &sc->tier_name,
		                      &sc->n_tiers, row[c[1]],
		                      &sc->node_tier[r]))
			rc = oom(e, t->path);
		/* A typo in the hardware would silently make the node useless,
		 * so it must name a device of profiles.csv; an empty field is
		 * the explicit way to say "runs nothing" (a router). */
		else if ((sc->node_hw[r] = strmap_get(sc->hw_map, row[c[2]],
		                          strlen(row[c[2]]))) == STRMAP_NONE)
			rc = table_fail(e, t, r, c[2], "unknown hardware '%s' "
			                "(no row in profiles.csv)", row[c[2]]);
	}
	if (rc == IDN_OK && sc->n_nodes == 0)
		rc = idn_fail(e, IDN_EDATA, "%s:2: node: no nodes", t->path);
	table_free(t);
	return rc;
}

static int load_models(struct scenario *sc, struct idn_err *e)
{
	static const char *const cols[] = { "model", "task", "size_mb",
	                                    "accuracy", NULL };
	size_t c[4];
	struct table *t;
	int rc = open_table(sc, "models.csv", cols, c, &t, e);

	if (rc != IDN_OK)
		return rc;
	sc->n_models = t->n_rows;
	sc->model_name = calloc(t->n_rows + 1, sizeof *sc->model_name);
	sc->model_task = calloc(t->n_rows + 1, sizeof *sc->model_task);
	sc->model_size = calloc(t->n_rows + 1, sizeof *sc->model_size);
	sc->model_acc = calloc(t->n_rows + 1, sizeof *sc->model_acc);
	/* every model is a key (the task map grows as it goes: a catalogue
	 * may have far fewer tasks than models) */
	if (!sc->model_name || !sc->model_task || !sc->model_size ||
	    !sc->model_acc || strmap_reserve(sc->model_map, t->n_rows))
		rc = oom(e, t->path);
	for (size_t r = 0; rc == IDN_OK && r < t->n_rows; r++) {
		char **row = t->cells[r];
		prefetch_key(t, r + AHEAD, c[0], sc->model_map);
		prefetch_key(t, r + AHEAD, c[1], sc->task_map);
		if ((rc = check_name(t, r, c[0], e)) ||
		    (rc = check_name(t, r, c[1], e)) ||
		    (rc = table_number(t, r, c[2], 0, 1, 0,
		                       &sc->model_size[r], e)) ||
		    (rc = table_number(t, r, c[3], 0, 0, 0,
		                       &sc->model_acc[r], e)))
			break;
		if (sc->model_acc[r] > 1) {
			rc = table_fail(e, t, r, c[3], "must be in [0, 1]: '%s'",
			                row[c[3]]);
			break;
		}
		if (!(sc->model_name[r] = strdup(row[c[0]])))
			rc = oom(e, t->path);
		else if ((rc = strmap_put(sc->model_map, row[c[0]],
		                          strlen(row[c[0]]), r)) == IDN_EDATA)
			rc = table_fail(e, t, r, c[0], "duplicate model '%s'",
			                row[c[0]]);
		else if (rc || intern(sc->task_map, &sc->task_name,
		                      &sc->n_tasks, row[c[1]],
		                      &sc->model_task[r]))
			rc = oom(e, t->path);
	}
	if (rc == IDN_OK && sc->n_models == 0)
		rc = idn_fail(e, IDN_EDATA, "%s:2: model: no models", t->path);
	table_free(t);
	return rc;
}

/* Models grouped by task (a counting sort keeps model order). */
static int index_tasks(struct scenario *sc, struct idn_err *e)
{
	uint32_t *fill;

	sc->task_model_off = calloc(sc->n_tasks + 1, sizeof(uint32_t));
	sc->task_models = calloc(sc->n_models, sizeof(uint32_t));
	fill = calloc(sc->n_tasks + 1, sizeof *fill);
	if (!sc->task_model_off || !sc->task_models || !fill) {
		free(fill);
		return oom(e, sc->dir);
	}
	for (uint32_t m = 0; m < sc->n_models; m++)
		sc->task_model_off[sc->model_task[m] + 1]++;
	for (uint32_t i = 0; i < sc->n_tasks; i++)
		sc->task_model_off[i + 1] += sc->task_model_off[i];
	for (uint32_t m = 0; m < sc->n_models; m++) {
		uint32_t i = sc->model_task[m];
		sc->task_models[sc->task_model_off[i] + fill[i]++] = m;
	}
	free(fill);
	return IDN_OK;
}

static int lookup(const struct table *t, size_t r, size_t c,
                  const struct strmap *map, const char *what, uint32_t *idx,
                  struct idn_err *e)
{
	const char *s = t->cells[r][c];

	*idx = strmap_get(map, s, strlen(s));
	if (*idx == STRMAP_NONE)
		return table_fail(e, t, r, c, "unknown %s '%s'", what, s);
	return IDN_OK;
}

static int parse_capacity(const struct table *t, size_t r, size_t c,
                          double *out, struct idn_err *e)
{
	if (strcasecmp(t->cells[r][c], "inf") == 0) {
		*out = INFINITY;
		return IDN_OK;
	}
	return table_number(t, r, c, 0, 1, 0, out, e);
}

static int load_profiles(struct scenario *sc, struct idn_err *e)
{
	static const char *const cols[] = { "model", "hardware", "latency_ms",
	                                    "capacity_rps", NULL };
	size_t c[4];
	struct table *t;
	int rc = open_table(sc, "profiles.csv", cols, c, &t, e);
	size_t n;
	uint32_t h;

	if (rc != IDN_OK)
		return rc;
	/* Hardware kinds are interned first so the dense profile table can
	 * be sized once; kind 0 is "" (routers, running nothing). */
	if (intern(sc->hw_map, &sc->hw_name, &sc->n_hw, "", &h)) {
		rc = oom(e, t->path);
		goto out;
	}
	for (size_t r = 0; r < t->n_rows; r++) {
		if ((rc = check_name(t, r, c[1], e)))
			goto out;
		if (intern(sc->hw_map, &sc->hw_name, &sc->n_hw,
		           t->cells[r][c[1]], &h)) {
			rc = oom(e, t->path);
			goto out;
		}
	}
	n = (size_t)sc->n_models * (sc->n_hw ? sc->n_hw : 1);
	sc->prof_latency = malloc(n * sizeof *sc->prof_latency);
	sc->prof_capacity = calloc(n, sizeof *sc->prof_capacity);
	if (!sc->prof_latency || !sc->prof_capacity) {
		rc = oom(e, t->path);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		sc->prof_latency[i] = NAN;
	for (size_t r = 0; r < t->n_rows; r++) {
		uint32_t m;
		double lat, cap;

		prefetch_key(t, r + AHEAD, c[0], sc->model_map);
		h = strmap_get(sc->hw_map, t->cells[r][c[1]],
		               strlen(t->cells[r][c[1]]));
		if ((rc = lookup(t, r, c[0], sc->model_map, "model", &m, e)) ||
		    (rc = table_number(t, r, c[2], 0, 0, 0, &lat, e)) ||
		    (rc = parse_capacity(t, r, c[3], &cap, e)))
			goto out;
		size_t k = (size_t)m * sc->n_hw + h;
		if (!isnan(sc->prof_latency[k])) {
			rc = table_fail(e, t, r, c[1],
			                "duplicate profile for model '%s' on '%s'",
			                t->cells[r][c[0]], t->cells[r][c[1]]);
			goto out;
		}
		sc->prof_latency[k] = lat;
		sc->prof_capacity[k] = cap;
	}
out:
	table_free(t);
	return rc;
}

static int add_link(uint32_t *deg, uint32_t **ends, double **delays,
                    size_t *n, size_t *cap, uint32_t a, uint32_t b, double d)
{
	if (*n == *cap) {
		size_t nc = *cap ? 2 * *cap : 64;
		uint32_t *ne = realloc(*ends, nc * 2 * sizeof *ne);
		if (ne)
			*ends = ne;
		double *nd = realloc(*delays, nc * sizeof *nd);
		if (nd)
			*delays = nd;
		if (!ne || !nd)
			return IDN_ENOMEM;
		*cap = nc;
	}
	(*ends)[2 * *n] = a;
	(*ends)[2 * *n + 1] = b;
	(*delays)[*n] = d;
	(*n)++;
	deg[a]++;
	deg[b]++;
	return IDN_OK;
}

/* Build the CSR adjacency; parallel links keep the smallest delay (SPEC
 * section 2), so each neighbour appears once. */
static int build_adjacency(struct scenario *sc, const uint32_t *deg,
                           const uint32_t *ends, const double *delays,
                           size_t n, struct idn_err *e)
{
	uint32_t *fill = calloc(sc->n_nodes + 1, sizeof *fill);

	sc->adj_off = calloc(sc->n_nodes + 1, sizeof *sc->adj_off);
	sc->adj_to = malloc((2 * n + 1) * sizeof *sc->adj_to);
	sc->adj_delay = malloc((2 * n + 1) * sizeof *sc->adj_delay);
	if (!fill || !sc->adj_off || !sc->adj_to || !sc->adj_delay) {
		free(fill);
		return oom(e, sc->dir);
	}
	for (uint32_t v = 0; v < sc->n_nodes; v++)
		sc->adj_off[v + 1] = sc->adj_off[v] + deg[v];
	for (size_t i = 0; i < n; i++) {
		for (int side = 0; side < 2; side++) {
			uint32_t u = ends[2 * i + side], w = ends[2 * i + !side];
			uint32_t j, lo = sc->adj_off[u], hi = lo + fill[u];
			for (j = lo; j < hi && sc->adj_to[j] != w; j++)
				;
			if (j < hi) {
				if (delays[i] < sc->adj_delay[j])
					sc->adj_delay[j] = delays[i];
				continue;
			}
			sc->adj_to[j] = w;
			sc->adj_delay[j] = delays[i];
			fill[u]++;
		}
	}
	/* compact away the slots left empty by merged parallel links */
	uint32_t out = 0;
	for (uint32_t v = 0; v < sc->n_nodes; v++) {
		uint32_t lo = sc->adj_off[v];
		sc->adj_off[v] = out;
		for (uint32_t j = 0; j < fill[v]; j++, out++) {
			sc->adj_to[out] = sc->adj_to[lo + j];
			sc->adj_delay[out] = sc->adj_delay[lo + j];
		}
	}
	sc->adj_off[sc->n_nodes] = out;
	free(fill);
	return IDN_OK;
}

static int load_links(struct scenario *sc, struct idn_err *e)
{
	static const char *const cols[] = { "a", "b", "delay_ms", NULL };
	size_t c[3], n = 0, cap = 0;
	struct table *t;
	uint32_t *deg = NULL, *ends = NULL;
	double *delays = NULL;
	int rc = open_table(sc, "links.csv", cols, c, &t, e);

	if (rc != IDN_OK)
		return rc;
	if (!(deg = calloc(sc->n_nodes, sizeof *deg)))
		rc = oom(e, t->path);
	for (size_t r = 0; rc == IDN_OK && r < t->n_rows; r++) {
		uint32_t a, b;
		double d;
		if ((rc = lookup(t, r, c[0], sc->node_map, "node", &a, e)) ||
		    (rc = lookup(t, r, c[1], sc->node_map, "node", &b, e)) ||
		    (rc = table_number(t, r, c[2], 0, 0, 0, &d, e)))
			break;
		if (a == b)
			rc = table_fail(e, t, r, c[1], "self-loop at '%s'",
			                t->cells[r][c[1]]);
		else if (add_link(deg, &ends, &delays, &n, &cap, a, b, d))
			rc = oom(e, t->path);
	}
	sc->n_links = n;
	if (rc == IDN_OK)
		rc = build_adjacency(sc, deg, ends, delays, n, e);
	free(deg);
	free(ends);
	free(delays);
	table_free(t);
	return rc;
}

static int cmp_pin(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return (x[1] > y[1]) - (x[1] < y[1]);
}

static int load_pinned(struct scenario *sc, struct idn_err *e)
{
	static const char *const cols[] = { "node", "model", NULL };
	size_t c[2];
	struct table *t;
	uint32_t *pairs = NULL;
	int rc = open_table(sc, "pinned.csv", cols, c, &t, e);

	if (rc != IDN_OK)
		return rc;
	/* triples (node, model, row) so duplicates can name their line */
	pairs = malloc((3 * t->n_rows + 1) * sizeof *pairs);
	sc->pin_node = malloc((t->n_rows + 1) * sizeof *sc->pin_node);
	sc->pin_model = malloc((t->n_rows + 1) * sizeof *sc->pin_model);
	if (!pairs || !sc->pin_node || !sc->pin_model)
		rc = oom(e, t->path);
	for (size_t r = 0; rc == IDN_OK && r < t->n_rows; r++) {
		uint32_t v, m;
		prefetch_key(t, r + AHEAD, c[1], sc->model_map);
		if ((rc = lookup(t, r, c[0], sc->node_map, "node", &v, e)) ||
		    (rc = lookup(t, r, c[1], sc->model_map, "model", &m, e)))
			break;
		if (!scenario_runnable(sc, m, v))
			rc = table_fail(e, t, r, c[1], "model '%s' has no profile "
			                "for hardware '%s' of node '%s'",
			                sc->model_name[m], sc->hw_name[sc->node_hw[v]],
			                sc->node_name[v]);
		pairs[3 * r] = v;
		pairs[3 * r + 1] = m;
		pairs[3 * r + 2] = r;
	}
	if (rc == IDN_OK) {
		qsort(pairs, t->n_rows, 3 * sizeof *pairs, cmp_pin);
		for (size_t i = 0; i < t->n_rows; i++) {
			if (i && pairs[3 * i] == pairs[3 * i - 3] &&
			    pairs[3 * i + 1] == pairs[3 * i - 2]) {
				size_t r = pairs[3 * i + 2] > pairs[3 * i - 1]
				           ? pairs[3 * i + 2] : pairs[3 * i - 1];
				rc = table_fail(e, t, r, c[1], "duplicate pin of "
				                "'%s' at '%s'", t->cells[r][c[1]],
				                t->cells[r][c[0]]);
				break;
			}
			sc->pin_node[i] = pairs[3 * i];
			sc->pin_model[i] = pairs[3 * i + 1];
		}
		sc->n_pinned = t->n_rows;
	}
	free(pairs);
	table_free(t);
	return rc;
}

bool scenario_pinned(const struct scenario *sc, uint32_t v, uint32_t m)
{
	uint32_t lo = 0, hi = sc->n_pinned;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (sc->pin_node[mid] < v ||
		    (sc->pin_node[mid] == v && sc->pin_model[mid] < m))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sc->n_pinned && sc->pin_node[lo] == v &&
	       sc->pin_model[lo] == m;
}

static void free_names(char **names, uint32_t n)
{
	for (uint32_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

void scenario_free(struct scenario *sc)
{
	if (!sc)
		return;
	free_names(sc->node_name, sc->n_nodes);
	free_names(sc->tier_name, sc->n_tiers);
	free_names(sc->hw_name, sc->n_hw);
	free_names(sc->task_name, sc->n_tasks);
	free_names(sc->model_name, sc->n_models);
	free(sc->node_tier);
	free(sc->node_hw);
	free(sc->node_budget);
	free(sc->model_task);
	free(sc->model_size);
	free(sc->model_acc);
	free(sc->task_model_off);
	free(sc->task_models);
	free(sc->prof_latency);
	free(sc->prof_capacity);
	free(sc->adj_off);
	free(sc->adj_to);
	free(sc->adj_delay);
	free(sc->pin_node);
	free(sc->pin_model);
	strmap_free(sc->node_map);
	strmap_free(sc->tier_map);
	strmap_free(sc->task_map);
	strmap_free(sc->model_map);
	strmap_free(sc->hw_map);
	free(sc->dir);
	free(sc);
}

int scenario_load(struct scenario **out, const char *dir, struct idn_err *e)
{
	struct scenario *sc = calloc(1, sizeof *sc);
	int rc;

	*out = NULL;
	if (!sc)
		return oom(e, dir);
	sc->dir = strdup(dir);
	sc->node_map = strmap_new();
	sc->tier_map = strmap_new();
	sc->task_map = strmap_new();
	sc->model_map = strmap_new();
	sc->hw_map = strmap_new();
	if (!sc->dir || !sc->node_map || !sc->tier_map || !sc->task_map ||
	    !sc->model_map || !sc->hw_map)
		rc = oom(e, dir);
	else if (!(rc = load_models(sc, e)) && !(rc = index_tasks(sc, e)) &&
	         !(rc = load_profiles(sc, e)) && !(rc = load_nodes(sc, e)) &&
	         !(rc = load_links(sc, e)))
		rc = load_pinned(sc, e);
	if (rc != IDN_OK) {
		scenario_free(sc);
		return rc;
	}
	/* Model names are looked up only while loading (profiles, pins);
	 * the index of a million-model catalogue is 64 MB. */
	strmap_free(sc->model_map);
	sc->model_map = NULL;
	*out = sc;
	return IDN_OK;
}
