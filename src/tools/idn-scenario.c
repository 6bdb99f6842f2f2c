/* idn-scenario.c - write scenario directories from a model catalog.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: idn-scenario MODE [OPTION]... -o DIR
 *
 * Each mode is one function (cmd_tree; a topology-driven "zoo" mode can
 * sit beside it) that parses its own options, builds the node list and
 * hands it to the shared writer.  The writer puts all five files of the
 * scenario (doc/formats.md) into a temporary sibling of DIR and renames
 * it onto DIR at the end, so a failed run leaves no directory behind.
 *
 * The catalog is a directory with hardware.csv (hardware,tier,...),
 * models.csv (model,task,size_mb,accuracy,...) and profiles.csv
 * (model,hardware,latency_ms,capacity_rps,...); see traces/SOURCES.md.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "err.h"
#include "output.h"
#include "strmap.h"
#include "table.h"

#ifndef IDN_CATALOGDIR
#define IDN_CATALOGDIR "traces/catalog"
#endif
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define PROG "idn-scenario"

/* Tiers from the bottom up; the tree options list them in this order. */
enum { T_ACCESS, T_EDGE, T_REGIONAL, T_CLOUD, N_TIERS };
static const char *const tier_names[N_TIERS] = {
	"access", "edge", "regional", "cloud"
};

/* Generous bounds that keep sizes far from overflow and catch typos. */
#define MAX_FANOUT 1000
#define MAX_NODES 1000000

/* --- the catalog ---------------------------------------------------------- */

struct catalog {
	struct table *hw, *models, *prof;
	size_t hw_name, hw_tier;
	size_t m_name, m_task, m_size, m_acc;
	size_t p_model, p_hw, p_lat, p_cap;
	double *size, *acc;         /* per models.csv row */
	double *lat, *cap;          /* per profiles.csv row */
	uint32_t *prof_model;       /* models.csv row of each profile */
	uint32_t *prof_hw;          /* hardware.csv row of each profile */
	uint32_t *model_task;       /* task index, tasks in order of appearance */
	uint32_t n_tasks;
	struct strmap *hw_map, *model_map;
};

static void catalog_free(struct catalog *c)
{
	table_free(c->hw);
	table_free(c->models);
	table_free(c->prof);
	free(c->size);
	free(c->acc);
	free(c->lat);
	free(c->cap);
	free(c->prof_model);
	free(c->prof_hw);
	free(c->model_task);
	strmap_free(c->hw_map);
	strmap_free(c->model_map);
	memset(c, 0, sizeof *c);
}

static const char *cell(const struct table *t, size_t row, size_t col)
{
	return t->cells[row][col];
}

/* Names are written back unquoted, so refuse anything CSV would have to
 * quote rather than produce a file that other readers may split wrongly. */
static int check_name(const struct table *t, size_t row, size_t col,
                      struct idn_err *e)
{
	const char *s = cell(t, row, col);

	if (!*s)
		return table_fail(e, t, row, col, "empty name");
	if (strpbrk(s, ",\"\r\n") || s[0] == ' ' || s[strlen(s) - 1] == ' ')
		return table_fail(e, t, row, col,
		                  "name needs CSV quoting: '%s'", s);
	return IDN_OK;
}

static int load_table(struct table **t, const char *dir, const char *file,
                      struct idn_err *e)
{
	char *path;
	int rc;

	if (asprintf(&path, "%s/%s", dir, file) < 0)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	rc = table_load(t, path, e);
	free(path);
	return rc;
}

/* Fill a name -> row map from column col, rejecting duplicates. */
static int index_names(const struct table *t, size_t col, struct strmap **map,
                       struct idn_err *e)
{
	int rc;

	*map = strmap_new();
	if (!*map)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	for (size_t r = 0; r < t->n_rows; r++) {
		const char *s = cell(t, r, col);

		if ((rc = check_name(t, r, col, e)) != IDN_OK)
			return rc;
		rc = strmap_put(*map, s, strlen(s), (uint32_t)r);
		if (rc == IDN_EDATA)
			return table_fail(e, t, r, col, "duplicate '%s'", s);
		if (rc != IDN_OK)
			return idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	return IDN_OK;
}

static int load_hardware(struct catalog *c, const char *dir, struct idn_err *e)
{
	int rc;

	if ((rc = load_table(&c->hw, dir, "hardware.csv", e)) != IDN_OK ||
	    (rc = table_column(c->hw, "hardware", &c->hw_name, e)) != IDN_OK ||
	    (rc = table_column(c->hw, "tier", &c->hw_tier, e)) != IDN_OK)
		return rc;
	return index_names(c->hw, c->hw_name, &c->hw_map, e);
}

static int load_models(struct catalog *c, const char *dir, struct idn_err *e)
{
	struct table *t;
	struct strmap *tasks;
	int rc;

	if ((rc = load_table(&c->models, dir, "models.csv", e)) != IDN_OK)
		return rc;
	t = c->models;
	if ((rc = table_column(t, "model", &c->m_name, e)) != IDN_OK ||
	    (rc = table_column(t, "task", &c->m_task, e)) != IDN_OK ||
	    (rc = table_column(t, "size_mb", &c->m_size, e)) != IDN_OK ||
	    (rc = table_column(t, "accuracy", &c->m_acc, e)) != IDN_OK ||
	    (rc = index_names(t, c->m_name, &c->model_map, e)) != IDN_OK)
		return rc;
	c->size = calloc(t->n_rows + 1, sizeof *c->size);
	c->acc = calloc(t->n_rows + 1, sizeof *c->acc);
	c->model_task = calloc(t->n_rows + 1, sizeof *c->model_task);
	tasks = strmap_new();
	if (!c->size || !c->acc || !c->model_task || !tasks) {
		strmap_free(tasks);
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	for (size_t r = 0; r < t->n_rows && rc == IDN_OK; r++) {
		const char *task = cell(t, r, c->m_task);
		uint32_t k;

		if ((rc = check_name(t, r, c->m_task, e)) != IDN_OK ||
		    (rc = table_number(t, r, c->m_size, 0, 1, 0, &c->size[r],
		                       e)) != IDN_OK ||
		    (rc = table_number(t, r, c->m_acc, 0, 0, 0, &c->acc[r],
		                       e)) != IDN_OK)
			break;
		if (c->acc[r] > 1)
			rc = table_fail(e, t, r, c->m_acc,
			                "accuracy must be in [0,1]: '%s'",
			                cell(t, r, c->m_acc));
		k = strmap_get(tasks, task, strlen(task));
		if (rc == IDN_OK && k == STRMAP_NONE) {
			k = c->n_tasks++;
			if (strmap_put(tasks, task, strlen(task), k) != IDN_OK)
				rc = idn_fail(e, IDN_ENOMEM, "out of memory");
		}
		c->model_task[r] = k;
	}
	strmap_free(tasks);
	if (rc == IDN_OK && c->n_tasks == 0)
		rc = idn_fail(e, IDN_EDATA, "%s: no models", t->path);
	return rc;
}

static int lookup(const struct table *t, size_t row, size_t col,
                  const struct strmap *map, const char *what, uint32_t *out,
                  struct idn_err *e)
{
	const char *s = cell(t, row, col);

	*out = strmap_get(map, s, strlen(s));
	if (*out == STRMAP_NONE)
		return table_fail(e, t, row, col, "unknown %s '%s'", what, s);
	return IDN_OK;
}

static int load_profiles(struct catalog *c, const char *dir,
                         struct idn_err *e)
{
	struct table *t;
	struct strmap *pairs;
	int rc;

	if ((rc = load_table(&c->prof, dir, "profiles.csv", e)) != IDN_OK)
		return rc;
	t = c->prof;
	if ((rc = table_column(t, "model", &c->p_model, e)) != IDN_OK ||
	    (rc = table_column(t, "hardware", &c->p_hw, e)) != IDN_OK ||
	    (rc = table_column(t, "latency_ms", &c->p_lat, e)) != IDN_OK ||
	    (rc = table_column(t, "capacity_rps", &c->p_cap, e)) != IDN_OK)
		return rc;
	c->lat = calloc(t->n_rows + 1, sizeof *c->lat);
	c->cap = calloc(t->n_rows + 1, sizeof *c->cap);
	c->prof_model = calloc(t->n_rows + 1, sizeof *c->prof_model);
	c->prof_hw = calloc(t->n_rows + 1, sizeof *c->prof_hw);
	pairs = strmap_new();
	if (!c->lat || !c->cap || !c->prof_model || !c->prof_hw || !pairs) {
		strmap_free(pairs);
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	for (size_t r = 0; r < t->n_rows && rc == IDN_OK; r++) {
		char key[64];
		int n;

		if ((rc = lookup(t, r, c->p_model, c->model_map, "model",
		                 &c->prof_model[r], e)) != IDN_OK ||
		    (rc = lookup(t, r, c->p_hw, c->hw_map, "hardware",
		                 &c->prof_hw[r], e)) != IDN_OK ||
		    (rc = table_number(t, r, c->p_lat, 0, 0, 0, &c->lat[r],
		                       e)) != IDN_OK ||
		    (rc = table_number(t, r, c->p_cap, 0, 1, 1, &c->cap[r],
		                       e)) != IDN_OK)
			break;
		/* Both are row indices, so the pair key is short and exact. */
		n = snprintf(key, sizeof key, "%u,%u", c->prof_model[r],
		             c->prof_hw[r]);
		rc = strmap_put(pairs, key, (size_t)n, (uint32_t)r);
		if (rc == IDN_EDATA)
			rc = table_fail(e, t, r, c->p_hw,
			                "second profile for model '%s'",
			                cell(t, r, c->p_model));
		else if (rc != IDN_OK)
			rc = idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	strmap_free(pairs);
	return rc;
}

static int catalog_load(struct catalog *c, const char *dir, struct idn_err *e)
{
	int rc;

	memset(c, 0, sizeof *c);
	if ((rc = load_hardware(c, dir, e)) != IDN_OK ||
	    (rc = load_models(c, dir, e)) != IDN_OK ||
	    (rc = load_profiles(c, dir, e)) != IDN_OK)
		catalog_free(c);
	return rc;
}

/* --- what a mode hands to the writer -------------------------------------- */

/* Nodes are listed cloud first, then tier by tier downwards, each node
 * after its parent; node names are the tier plus an index in the tier. */
struct node {
	uint8_t tier;
	uint32_t index;       /* within the tier */
	uint32_t parent;      /* node index; UINT32_MAX for the root */
};

struct layout {
	uint32_t n_nodes;
	struct node *node;
	double budget[N_TIERS];
	double delay[N_TIERS];      /* of the link to the parent */
	uint32_t hw[N_TIERS];       /* hardware.csv row per tier */
	uint32_t n_tasks;           /* the first n_tasks of the catalog */
	uint32_t *pinned;           /* per task: the model the cloud pins */
};

static void layout_free(struct layout *l)
{
	free(l->node);
	free(l->pinned);
	memset(l, 0, sizeof *l);
}

/* The hardware of each tier: the --hardware name if given, else the
 * first catalog row whose tier column names the tier. */
static int pick_hardware(const struct catalog *c, char *const names[N_TIERS],
                         uint32_t hw[N_TIERS], struct idn_err *e)
{
	for (int t = 0; t < N_TIERS; t++) {
		hw[t] = STRMAP_NONE;
		if (names[t]) {
			hw[t] = strmap_get(c->hw_map, names[t],
			                   strlen(names[t]));
			if (hw[t] == STRMAP_NONE)
				return idn_fail(e, IDN_EUSAGE,
				                "--hardware: '%s' is not in %s",
				                names[t], c->hw->path);
			continue;
		}
		for (size_t r = 0; r < c->hw->n_rows; r++)
			if (strcmp(cell(c->hw, r, c->hw_tier),
			           tier_names[t]) == 0) {
				hw[t] = (uint32_t)r;
				break;
			}
		if (hw[t] == STRMAP_NONE)
			return idn_fail(e, IDN_EDATA,
			                "%s: no hardware for tier '%s'",
			                c->hw->path, tier_names[t]);
	}
	return IDN_OK;
}

static int profile_of(const struct catalog *c, uint32_t m, uint32_t hw)
{
	for (size_t r = 0; r < c->prof->n_rows; r++)
		if (c->prof_model[r] == m && c->prof_hw[r] == hw)
			return (int)r;
	return -1;
}

/* Every request type needs a repository: the cloud pins, per task, the
 * most accurate model it can run (ties: the earlier catalog row). */
static int pick_pinned(const struct catalog *c, struct layout *l,
                       struct idn_err *e)
{
	l->pinned = malloc(l->n_tasks * sizeof *l->pinned);
	if (!l->pinned)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	for (uint32_t k = 0; k < l->n_tasks; k++) {
		uint32_t best = STRMAP_NONE, first = STRMAP_NONE;

		for (size_t m = 0; m < c->models->n_rows; m++) {
			if (c->model_task[m] != k)
				continue;
			if (first == STRMAP_NONE)
				first = (uint32_t)m;
			if (profile_of(c, (uint32_t)m, l->hw[T_CLOUD]) < 0)
				continue;
			if (best == STRMAP_NONE || c->acc[m] > c->acc[best])
				best = (uint32_t)m;
		}
		if (best == STRMAP_NONE)
			return table_fail(e, c->models, first, c->m_task,
			                  "no model of task '%s' runs on the "
			                  "cloud hardware '%s'",
			                  cell(c->models, first, c->m_task),
			                  cell(c->hw, l->hw[T_CLOUD],
			                       c->hw_name));
		l->pinned[k] = best;
	}
	return IDN_OK;
}

/* --- the writer ------------------------------------------------------------ */

static void node_name(const struct node *n, char *buf, size_t len)
{
	snprintf(buf, len, "%s%u", tier_names[n->tier], n->index);
}

static int out_open(struct outfile **o, const char *dir, const char *file,
                    const char *header, struct idn_err *e)
{
	char *path;
	int rc;

	if (asprintf(&path, "%s/%s", dir, file) < 0)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	rc = outfile_open(o, path, 0, e);
	free(path);
	if (rc == IDN_OK)
		outfile_puts(*o, header);
	return rc;
}

static int write_nodes(const struct catalog *c, const struct layout *l,
                       const char *dir, struct idn_err *e)
{
	struct outfile *o;
	char name[48];
	int rc;

	if ((rc = out_open(&o, dir, "nodes.csv",
	                   "node,tier,hardware,budget_mb\n", e)) != IDN_OK)
		return rc;
	for (uint32_t v = 0; v < l->n_nodes; v++) {
		const struct node *n = &l->node[v];

		node_name(n, name, sizeof name);
		outfile_printf(o, "%s,%s,%s,", name, tier_names[n->tier],
		               cell(c->hw, l->hw[n->tier], c->hw_name));
		outfile_double(o, l->budget[n->tier]);
		outfile_puts(o, "\n");
	}
	return outfile_commit(o, e);
}

static int write_links(const struct layout *l, const char *dir,
                       struct idn_err *e)
{
	struct outfile *o;
	char a[48], b[48];
	int rc;

	if ((rc = out_open(&o, dir, "links.csv", "a,b,delay_ms\n", e)) !=
	    IDN_OK)
		return rc;
	for (uint32_t v = 0; v < l->n_nodes; v++) {
		const struct node *n = &l->node[v];

		if (n->parent == UINT32_MAX)
			continue;
		node_name(&l->node[n->parent], a, sizeof a);
		node_name(n, b, sizeof b);
		outfile_printf(o, "%s,%s,", a, b);
		outfile_double(o, l->delay[n->tier]);
		outfile_puts(o, "\n");
	}
	return outfile_commit(o, e);
}

static int write_models(const struct catalog *c, const struct layout *l,
                        const char *dir, struct idn_err *e)
{
	const struct table *t = c->models;
	struct outfile *o;
	int rc;

	if ((rc = out_open(&o, dir, "models.csv",
	                   "model,task,size_mb,accuracy\n", e)) != IDN_OK)
		return rc;
	for (size_t m = 0; m < t->n_rows; m++) {
		if (c->model_task[m] >= l->n_tasks)
			continue;
		outfile_printf(o, "%s,%s,", cell(t, m, c->m_name),
		               cell(t, m, c->m_task));
		outfile_double(o, c->size[m]);
		outfile_puts(o, ",");
		outfile_double(o, c->acc[m]);
		outfile_puts(o, "\n");
	}
	return outfile_commit(o, e);
}

static int hw_used(const struct layout *l, uint32_t hw)
{
	for (int t = 0; t < N_TIERS; t++)
		if (l->hw[t] == hw)
			return 1;
	return 0;
}

/* Only the profiles a node of this scenario can use: keeps the directory
 * small and every row meaningful. */
static int write_profiles(const struct catalog *c, const struct layout *l,
                          const char *dir, struct idn_err *e)
{
	const struct table *t = c->prof;
	struct outfile *o;
	int rc;

	if ((rc = out_open(&o, dir, "profiles.csv",
	                   "model,hardware,latency_ms,capacity_rps\n", e)) !=
	    IDN_OK)
		return rc;
	for (size_t r = 0; r < t->n_rows; r++) {
		if (c->model_task[c->prof_model[r]] >= l->n_tasks ||
		    !hw_used(l, c->prof_hw[r]))
			continue;
		outfile_printf(o, "%s,%s,", cell(t, r, c->p_model),
		               cell(t, r, c->p_hw));
		outfile_double(o, c->lat[r]);
		outfile_puts(o, ",");
		outfile_double(o, c->cap[r]);
		outfile_puts(o, "\n");
	}
	return outfile_commit(o, e);
}

static int write_pinned(const struct catalog *c, const struct layout *l,
                        const char *dir, struct idn_err *e)
{
	struct outfile *o;
	char name[48];
	int rc;

	if ((rc = out_open(&o, dir, "pinned.csv", "node,model\n", e)) !=
	    IDN_OK)
		return rc;
	for (uint32_t v = 0; v < l->n_nodes; v++) {
		if (l->node[v].tier != T_CLOUD)
			continue;
		node_name(&l->node[v], name, sizeof name);
		for (uint32_t k = 0; k < l->n_tasks; k++)
			outfile_printf(o, "%s,%s\n", name,
			               cell(c->models, l->pinned[k],
			                    c->m_name));
	}
	return outfile_commit(o, e);
}

static const char *const scenario_files[] = {
	"nodes.csv", "links.csv", "models.csv", "profiles.csv", "pinned.csv"
};

static void remove_tmpdir(const char *dir)
{
	for (size_t i = 0; i < sizeof scenario_files / sizeof *scenario_files;
	     i++) {
		char *p;

		if (asprintf(&p, "%s/%s", dir, scenario_files[i]) >= 0) {
			unlink(p);
			free(p);
		}
	}
	rmdir(dir);
}

/* Write everything into OUT.tmp.XXXXXX (same parent, so rename is atomic)
 * and move it onto OUT, which must not exist: replacing a directory is
 * not atomic, and silently mixing old and new files would be worse. */
static int write_scenario(const struct catalog *c, const struct layout *l,
                          const char *out, struct idn_err *e)
{
	struct stat st;
	char *tmp;
	int rc;

	if (lstat(out, &st) == 0)
		return idn_fail(e, IDN_EIO, "%s: already exists", out);
	if (asprintf(&tmp, "%s.tmp.XXXXXX", out) < 0)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	if (!mkdtemp(tmp)) {
		rc = idn_fail(e, IDN_EIO, "%s: cannot create: %s", tmp,
		              strerror(errno));
		free(tmp);
		return rc;
	}
	if ((rc = write_nodes(c, l, tmp, e)) == IDN_OK &&
	    (rc = write_links(l, tmp, e)) == IDN_OK &&
	    (rc = write_models(c, l, tmp, e)) == IDN_OK &&
	    (rc = write_profiles(c, l, tmp, e)) == IDN_OK &&
	    (rc = write_pinned(c, l, tmp, e)) == IDN_OK) {
		/* mkdtemp makes it 0700; a scenario is ordinary data. */
		mode_t mask = umask(0);

		umask(mask);
		if (chmod(tmp, 0777 & ~mask) != 0 || rename(tmp, out) != 0)
			rc = idn_fail(e, IDN_EIO, "%s: cannot create: %s", out,
			              strerror(errno));
	}
	if (rc != IDN_OK)
		remove_tmpdir(tmp);
	free(tmp);
	return rc;
}

/* --- command-line helpers -------------------------------------------------- */

/* Split "a,b,c" into exactly n numbers >= min; integers when integral. */
static int parse_list(const char *opt, const char *s, double *v, int n,
                      double min, double max, int integral,
                      struct idn_err *e)
{
	const char *p = s;

	for (int i = 0; i < n; i++) {
		char *end;

		errno = 0;
		v[i] = strtod(p, &end);
		if (end == p || errno == ERANGE || !isfinite(v[i]) ||
		    v[i] < min || v[i] > max ||
		    (integral && v[i] != floor(v[i])) ||
		    *end != (i + 1 < n ? ',' : '\0'))
			return idn_fail(e, IDN_EUSAGE,
			                "%s: expected %d %s separated by "
			                "commas, each in [%g, %g]: '%s'",
			                opt, n,
			                integral ? "integers" : "numbers", min,
			                max, s);
		p = end + 1;
	}
	return IDN_OK;
}

/* Split "a,b,c,d" into n non-empty names; buf keeps the copy alive. */
static int parse_names(const char *opt, const char *s, char **buf,
                       char *names[], int n, struct idn_err *e)
{
	char *p;

	free(*buf);
	*buf = strdup(s);
	if (!*buf)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	p = *buf;
	for (int i = 0; i < n; i++) {
		names[i] = p;
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
		if (!*names[i] || (i + 1 < n) != (p != NULL))
			return idn_fail(e, IDN_EUSAGE,
			                "%s: expected %d names separated by "
			                "commas: '%s'", opt, n, s);
	}
	return IDN_OK;
}

static int bad_option(int c, int optopt_, char *const argv[], int optind_,
                      struct idn_err *e)
{
	const char *arg = argv[optind_ - 1];

	if (c == ':')
		return idn_fail(e, IDN_EUSAGE,
		                "option '%s' needs an argument (see --help)",
		                arg);
	if (optopt_ && optopt_ != '?')
		return idn_fail(e, IDN_EUSAGE,
		                "unknown option '-%c' (see --help)", optopt_);
	return idn_fail(e, IDN_EUSAGE, "unknown option '%s' (see --help)",
	                arg);
}

static void usage(FILE *f)
{
	fputs("Usage: " PROG " tree [OPTION]... -o DIR\n"
	      "Write a scenario directory (nodes.csv, links.csv, models.csv,\n"
	      "profiles.csv, pinned.csv) built from a model catalog.\n"
	      "\n"
	      "Modes:\n"
	      "  tree   a hierarchy: 1 cloud, regional, edge and access "
	      "nodes\n"
	      "\n"
	      "tree options:\n"
	      "  -o, --output DIR         directory to create; must not "
	      "exist\n"
	      "      --fanout R,E,A       regional nodes per cloud, edge "
	      "per regional,\n"
	      "                           access per edge (default 2,2,2)\n"
	      "      --delays AE,ER,RC    one-way delay in ms of the "
	      "access-edge,\n"
	      "                           edge-regional and regional-cloud "
	      "links\n"
	      "                           (default 1,5,20)\n"
	      "      --budgets A,E,R      memory budget in MB of access, "
	      "edge and\n"
	      "                           regional nodes (default "
	      "16,30,250);\n"
	      "                           the cloud has 0 and pins the most "
	      "accurate\n"
	      "                           model of every task\n"
	      "      --hardware A,E,R,C   hardware of access, edge, "
	      "regional and cloud\n"
	      "                           nodes (default: the tier column of "
	      "the\n"
	      "                           catalog's hardware.csv)\n"
	      "      --catalog DIR        model catalog (default\n"
	      "                           " IDN_CATALOGDIR ")\n"
	      "      --tasks N            use the first N tasks of the "
	      "catalog\n"
	      "                           (default: all)\n"
	      "\n"
	      "  -h, --help               show this help and exit\n"
	      "  -V, --version            show the version and exit\n"
	      "\n"
	      "Exit status: 0 success, 1 bad data or I/O error, 2 bad "
	      "usage.\n", f);
}

static int version(void)
{
	printf(PROG " (idnbench) %s\n", PACKAGE_VERSION);
	return IDN_OK;
}

/* --- mode: tree ------------------------------------------------------------ */

struct tree_args {
	double fanout[3];           /* regional/cloud, edge/regional, access/edge */
	double delay[3];            /* access-edge, edge-regional, regional-cloud */
	double budget[3];           /* access, edge, regional */
	char *hardware[N_TIERS];    /* NULL: catalog default */
	char *hardware_buf;
	const char *catalog;
	double tasks;               /* 0: all */
	const char *out;
	int done;                   /* --help or --version answered */
};

static int tree_parse(int argc, char *argv[], struct tree_args *a,
                      struct idn_err *e)
{
	enum { O_FANOUT = 256, O_DELAYS, O_BUDGETS, O_HARDWARE, O_CATALOG,
	       O_TASKS };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "fanout", required_argument, NULL, O_FANOUT },
		{ "delays", required_argument, NULL, O_DELAYS },
		{ "budgets", required_argument, NULL, O_BUDGETS },
		{ "hardware", required_argument, NULL, O_HARDWARE },
		{ "catalog", required_argument, NULL, O_CATALOG },
		{ "tasks", required_argument, NULL, O_TASKS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc = IDN_OK;

	opterr = 0;
	optind = 1;
	while (rc == IDN_OK &&
	       (c = getopt_long(argc, argv, ":o:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': a->out = optarg; break;
		case O_FANOUT:
			rc = parse_list("--fanout", optarg, a->fanout, 3, 1,
			                MAX_FANOUT, 1, e);
			break;
		case O_DELAYS:
			rc = parse_list("--delays", optarg, a->delay, 3, 0,
			                1e9, 0, e);
			break;
		case O_BUDGETS:
			rc = parse_list("--budgets", optarg, a->budget, 3, 0,
			                1e12, 0, e);
			break;
		case O_HARDWARE:
			rc = parse_names("--hardware", optarg,
			                 &a->hardware_buf, a->hardware,
			                 N_TIERS, e);
			break;
		case O_CATALOG: a->catalog = optarg; break;
		case O_TASKS:
			rc = parse_list("--tasks", optarg, &a->tasks, 1, 1,
			                1e6, 1, e);
			break;
		case 'h': usage(stdout); a->done = 1; return IDN_OK;
		case 'V': a->done = 1; return version();
		default: rc = bad_option(c, optopt, argv, optind, e);
		}
	}
	if (rc != IDN_OK)
		return rc;
	if (optind < argc)
		return idn_fail(e, IDN_EUSAGE,
		                "tree: unexpected argument '%s' (see --help)",
		                argv[optind]);
	if (!a->out || !*a->out)
		return idn_fail(e, IDN_EUSAGE,
		                "tree: missing -o DIR (see --help)");
	if (a->fanout[0] * a->fanout[1] * a->fanout[2] > MAX_NODES)
		return idn_fail(e, IDN_EUSAGE,
		                "--fanout: more than %d access nodes",
		                MAX_NODES);
	return IDN_OK;
}

/* Lay the tree out tier by tier from the cloud down. */
static int tree_layout(const struct tree_args *a, struct layout *l,
                       struct idn_err *e)
{
	uint32_t count[N_TIERS], first[N_TIERS], v = 0;

	count[T_CLOUD] = 1;
	count[T_REGIONAL] = (uint32_t)a->fanout[0];
	count[T_EDGE] = count[T_REGIONAL] * (uint32_t)a->fanout[1];
	count[T_ACCESS] = count[T_EDGE] * (uint32_t)a->fanout[2];
	l->n_nodes = count[0] + count[1] + count[2] + count[3];
	l->node = calloc(l->n_nodes, sizeof *l->node);
	if (!l->node)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	for (int t = N_TIERS - 1; t >= 0; t--) {
		first[t] = v;
		for (uint32_t i = 0; i < count[t]; i++, v++) {
			struct node *n = &l->node[v];

			n->tier = (uint8_t)t;
			n->index = i;
			n->parent = t == T_CLOUD ? UINT32_MAX
			            : first[t + 1] + i / (count[t] /
			                                  count[t + 1]);
		}
	}
	for (int t = 0; t < T_CLOUD; t++) {
		l->budget[t] = a->budget[t];
		l->delay[t] = a->delay[t];
	}
	l->budget[T_CLOUD] = 0;
	l->delay[T_CLOUD] = 0;
	return IDN_OK;
}

static int tree_run(const struct tree_args *a, struct idn_err *e)
{
	struct catalog c;
	struct layout l = { 0 };
	int rc;

	if ((rc = catalog_load(&c, a->catalog, e)) != IDN_OK)
		return rc;
	l.n_tasks = a->tasks > 0 ? (uint32_t)a->tasks : c.n_tasks;
	if (l.n_tasks > c.n_tasks)
		rc = idn_fail(e, IDN_EUSAGE,
		              "--tasks: %u requested, the catalog has %u",
		              l.n_tasks, c.n_tasks);
	if (rc == IDN_OK)
		rc = pick_hardware(&c, a->hardware, l.hw, e);
	if (rc == IDN_OK)
		rc = tree_layout(a, &l, e);
	if (rc == IDN_OK)
		rc = pick_pinned(&c, &l, e);
	if (rc == IDN_OK)
		rc = write_scenario(&c, &l, a->out, e);
	layout_free(&l);
	catalog_free(&c);
	return rc;
}

static int cmd_tree(int argc, char *argv[], struct idn_err *e)
{
	struct tree_args a = {
		.fanout = { 2, 2, 2 },
		.delay = { 1, 5, 20 },
		.budget = { 16, 30, 250 },
		.catalog = IDN_CATALOGDIR,
	};
	int rc = tree_parse(argc, argv, &a, e);

	if (rc == IDN_OK && !a.done)
		rc = tree_run(&a, e);
	free(a.hardware_buf);
	return rc;
}

/* --- main ------------------------------------------------------------------ */

static int dispatch(int argc, char *argv[], struct idn_err *e)
{
	const char *mode = argc > 1 ? argv[1] : NULL;

	if (!mode)
		return idn_fail(e, IDN_EUSAGE, "missing mode (see --help)");
	if (strcmp(mode, "-h") == 0 || strcmp(mode, "--help") == 0) {
		usage(stdout);
		return IDN_OK;
	}
	if (strcmp(mode, "-V") == 0 || strcmp(mode, "--version") == 0)
		return version();
	if (strcmp(mode, "tree") == 0)
		return cmd_tree(argc - 1, argv + 1, e);
	return idn_fail(e, IDN_EUSAGE, "unknown mode '%s' (see --help)",
	                mode);
}

int main(int argc, char *argv[])
{
	struct idn_err e = { { 0 } };
	int rc;

	outfile_install_signal_cleanup();
	rc = dispatch(argc, argv, &e);
	if (rc == IDN_OK && fflush(stdout) != 0)
		rc = idn_fail(&e, IDN_EIO, "standard output: %s",
		              strerror(errno));
	if (rc != IDN_OK)
		fprintf(stderr, PROG ": %s\n", e.msg);
	return idn_exit_code(rc);
}
