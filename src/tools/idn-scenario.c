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
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "err.h"
#include "graphml.h"
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

/* Nodes are listed cloud first, then tier by tier downwards.  A node's
 * name is its own (zoo) or else the tier plus its index in the tier. */
struct node {
	uint8_t tier;
	uint32_t index;       /* within the tier */
	char *name;           /* owned; NULL: tier name + index */
	double lat, lon;      /* degrees, if has_pos (geo layouts only) */
	bool has_pos;
};

struct link {
	uint32_t a, b;        /* node indices */
	double delay;         /* ms */
};

struct layout {
	uint32_t n_nodes, n_links;
	struct node *node;
	struct link *link;
	bool geo;                   /* nodes.csv gets lat,lon columns */
	double budget[N_TIERS];
	uint32_t hw[N_TIERS];       /* hardware.csv row per tier */
	uint32_t n_tasks;           /* the first n_tasks of the catalog */
	uint32_t *pinned;           /* per task: the model the cloud pins */
};

static void layout_free(struct layout *l)
{
	for (uint32_t v = 0; l->node && v < l->n_nodes; v++)
		free(l->node[v].name);
	free(l->node);
	free(l->link);
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

/* buf holds the generated names; returns the name to print. */
static const char *node_name(const struct node *n, char buf[48])
{
	if (n->name)
		return n->name;
	snprintf(buf, 48, "%s%u", tier_names[n->tier], n->index);
	return buf;
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
	                   l->geo ? "node,tier,hardware,budget_mb,lat,lon\n"
	                          : "node,tier,hardware,budget_mb\n",
	                   e)) != IDN_OK)
		return rc;
	for (uint32_t v = 0; v < l->n_nodes; v++) {
		const struct node *n = &l->node[v];

		outfile_printf(o, "%s,%s,%s,", node_name(n, name),
		               tier_names[n->tier],
		               cell(c->hw, l->hw[n->tier], c->hw_name));
		outfile_double(o, l->budget[n->tier]);
		if (l->geo && n->has_pos) {
			outfile_puts(o, ",");
			outfile_double(o, n->lat);
			outfile_puts(o, ",");
			outfile_double(o, n->lon);
		} else if (l->geo) {
			outfile_puts(o, ",,");
		}
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
	for (uint32_t k = 0; k < l->n_links; k++) {
		const struct link *lk = &l->link[k];

		outfile_printf(o, "%s,%s,", node_name(&l->node[lk->a], a),
		               node_name(&l->node[lk->b], b));
		outfile_double(o, lk->delay);
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
		for (uint32_t k = 0; k < l->n_tasks; k++)
			outfile_printf(o, "%s,%s\n", node_name(&l->node[v],
			                                        name),
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
	      "  or:  " PROG " zoo FILE.graphml [OPTION]... -o DIR\n"
	      "Write a scenario directory (nodes.csv, links.csv, models.csv,\n"
	      "profiles.csv, pinned.csv) built from a model catalog.\n"
	      "\n"
	      "Modes:\n"
	      "  tree   a hierarchy: 1 cloud, regional, edge and access "
	      "nodes\n"
	      "  zoo    a real network from a GraphML file of the Internet\n"
	      "         Topology Zoo, with an access node added per node\n"
	      "\n"
	      "Options of both modes:\n"
	      "  -o, --output DIR         directory to create; must not "
	      "exist\n"
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
	      "tree options:\n"
	      "      --fanout R,E,A       regional nodes per cloud, edge "
	      "per regional,\n"
	      "                           access per edge (default 2,2,2)\n"
	      "      --delays AE,ER,RC    one-way delay in ms of the "
	      "access-edge,\n"
	      "                           edge-regional and regional-cloud "
	      "links\n"
	      "                           (default 1,5,20)\n"
	      "\n"
	      "zoo options:\n"
	      "      --cloud NAME         the node (its name in nodes.csv) "
	      "that hosts\n"
	      "                           the cloud (default: the highest "
	      "degree,\n"
	      "                           ties to the first in the file)\n"
	      "      --regional-degree K  other nodes of degree >= K are "
	      "regional,\n"
	      "                           the rest edge (default 3)\n"
	      "      --access all|edge    add an access node to every node "
	      "(all,\n"
	      "                           the default) or to edge nodes "
	      "only\n"
	      "      --access-delay MS    delay of an access link (default "
	      "1)\n"
	      "      --hop-delay MS       per-link overhead added to the "
	      "propagation\n"
	      "                           delay (default 0.5)\n"
	      "      --unknown-delay MS   delay of a link with an end "
	      "without\n"
	      "                           coordinates (default: the mean of "
	      "the\n"
	      "                           links whose ends have them)\n"
	      "\n"
	      "  -h, --help               show this help and exit\n"
	      "  -V, --version            show the version and exit\n"
	      "\n"
	      "zoo rules.  GraphML: node id, label, Latitude, Longitude "
	      "(data keys\n"
	      "named so, for node or all) and edge source, target are read; "
	      "the rest\n"
	      "is ignored.  Self-loops are dropped and repeated edges "
	      "collapse.  If\n"
	      "the graph is not connected, the largest component is kept "
	      "(ties: the\n"
	      "one with the first node) and a note goes to stderr.  Link "
	      "delay =\n"
	      "great-circle distance (haversine, radius 6371 km) / "
	      "199.862 km/ms\n"
	      "(2/3 c) + hop delay, rounded to 0.001 ms.  Names: the label "
	      "with\n"
	      "ASCII letters, digits, '-', '_' kept and other runs of bytes "
	      "turned\n"
	      "into one '_' (dropped at the ends), 'n' + id without a label; "
	      "a name\n"
	      "already taken gets _2, _3...  Access nodes are NAME.access, "
	      "with the\n"
	      "coordinates of NAME.  Nodes: cloud, regional, edge (file "
	      "order),\n"
	      "then access; links: the graph's, then the access links.\n"
	      "\n"
	      "Exit status: 0 success, 1 bad data or I/O error, 2 bad "
	      "usage\n"
	      "(including a --cloud that names no node).\n", f);
}

static int version(void)
{
	printf(PROG " (idnbench) %s\n", PACKAGE_VERSION);
	return IDN_OK;
}

/* --- what every mode shares ------------------------------------------------ */

/* getopt codes of the long options, all modes together. */
enum { O_BUDGETS = 256, O_HARDWARE, O_CATALOG, O_TASKS,
       O_FANOUT, O_DELAYS,
       O_CLOUD, O_REGIONAL_DEGREE, O_ACCESS, O_ACCESS_DELAY, O_HOP_DELAY,
       O_UNKNOWN_DELAY };

#define COMMON_LONGOPTS \
	{ "output", required_argument, NULL, 'o' }, \
	{ "budgets", required_argument, NULL, O_BUDGETS }, \
	{ "hardware", required_argument, NULL, O_HARDWARE }, \
	{ "catalog", required_argument, NULL, O_CATALOG }, \
	{ "tasks", required_argument, NULL, O_TASKS }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }

struct common_args {
	double budget[3];           /* access, edge, regional */
	char *hardware[N_TIERS];    /* NULL: catalog default */
	char *hardware_buf;
	const char *catalog;
	double tasks;               /* 0: all */
	const char *out;
	int done;                   /* --help or --version answered */
};

#define COMMON_DEFAULTS \
	{ .budget = { 16, 30, 250 }, .catalog = IDN_CATALOGDIR }

/* An option of every mode: IDN_OK or an error; IDN_END if c is not one. */
static int common_option(int c, struct common_args *a, struct idn_err *e)
{
	switch (c) {
	case 'o': a->out = optarg; return IDN_OK;
	case O_BUDGETS:
		return parse_list("--budgets", optarg, a->budget, 3, 0, 1e12,
		                  0, e);
	case O_HARDWARE:
		return parse_names("--hardware", optarg, &a->hardware_buf,
		                   a->hardware, N_TIERS, e);
	case O_CATALOG: a->catalog = optarg; return IDN_OK;
	case O_TASKS:
		return parse_list("--tasks", optarg, &a->tasks, 1, 1, 1e6, 1,
		                  e);
	case 'h': usage(stdout); a->done = 1; return IDN_OK;
	case 'V': a->done = 1; return version();
	default: return IDN_END;
	}
}

/* A mode's own option: IDN_OK or an error; IDN_END if c is not one. */
typedef int (*mode_option_fn)(int c, void *args, struct idn_err *e);

/* Parse argv (argv[0] is the mode) into a and the mode's args; the mode
 * takes exactly n_pos operands, returned in pos. */
static int parse_args(int argc, char *argv[], const struct option *longopts,
                      struct common_args *a, mode_option_fn own, void *args,
                      int n_pos, char *pos[], struct idn_err *e)
{
	int c, rc = IDN_OK;

	opterr = 0;
	optind = 1;
	while (rc == IDN_OK && !a->done &&
	       (c = getopt_long(argc, argv, ":o:hV", longopts, NULL)) != -1) {
		rc = common_option(c, a, e);
		if (rc == IDN_END)
			rc = own(c, args, e);
		if (rc == IDN_END)
			rc = bad_option(c, optopt, argv, optind, e);
	}
	if (rc != IDN_OK || a->done)
		return rc;
	if (argc - optind > n_pos)
		return idn_fail(e, IDN_EUSAGE,
		                "%s: unexpected argument '%s' (see --help)",
		                argv[0], argv[optind + n_pos]);
	if (argc - optind < n_pos)
		return idn_fail(e, IDN_EUSAGE,
		                "%s: missing FILE (see --help)", argv[0]);
	for (int i = 0; i < n_pos; i++)
		pos[i] = argv[optind + i];
	if (!a->out || !*a->out)
		return idn_fail(e, IDN_EUSAGE,
		                "%s: missing -o DIR (see --help)", argv[0]);
	return IDN_OK;
}

/* Lay the nodes and links out (n_tasks and hw are set). */
typedef int (*layout_fn)(const void *args, struct layout *l,
                         struct idn_err *e);

/* Load the catalog, lay out the network, pin and write. */
static int build(const struct common_args *a, layout_fn lay,
                 const void *args, struct idn_err *e)
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
	for (int t = 0; t < T_CLOUD; t++)
		l.budget[t] = a->budget[t];
	l.budget[T_CLOUD] = 0;
	if (rc == IDN_OK)
		rc = pick_hardware(&c, a->hardware, l.hw, e);
	if (rc == IDN_OK)
		rc = lay(args, &l, e);
	if (rc == IDN_OK)
		rc = pick_pinned(&c, &l, e);
	if (rc == IDN_OK)
		rc = write_scenario(&c, &l, a->out, e);
	layout_free(&l);
	catalog_free(&c);
	return rc;
}

static int layout_alloc(struct layout *l, uint32_t n_nodes, uint32_t n_links,
                        struct idn_err *e)
{
	l->n_nodes = n_nodes;
	l->n_links = n_links;
	l->node = calloc(n_nodes, sizeof *l->node);
	l->link = calloc(n_links + 1, sizeof *l->link);
	if (!l->node || !l->link)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	return IDN_OK;
}

/* --- mode: tree ------------------------------------------------------------ */

struct tree_args {
	struct common_args c;
	double fanout[3];           /* regional/cloud, edge/regional, access/edge */
	double delay[3];            /* access-edge, edge-regional, regional-cloud */
};

static int tree_option(int c, void *args, struct idn_err *e)
{
	struct tree_args *a = args;

	switch (c) {
	case O_FANOUT:
		return parse_list("--fanout", optarg, a->fanout, 3, 1,
		                  MAX_FANOUT, 1, e);
	case O_DELAYS:
		return parse_list("--delays", optarg, a->delay, 3, 0, 1e9, 0,
		                  e);
	default: return IDN_END;
	}
}

static int tree_parse(int argc, char *argv[], struct tree_args *a,
                      struct idn_err *e)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "fanout", required_argument, NULL, O_FANOUT },
		{ "delays", required_argument, NULL, O_DELAYS },
		{ NULL, 0, NULL, 0 }
	};
	int rc = parse_args(argc, argv, longopts, &a->c, tree_option, a, 0,
	                    NULL, e);

	if (rc != IDN_OK || a->c.done)
		return rc;
	if (a->fanout[0] * a->fanout[1] * a->fanout[2] > MAX_NODES)
		return idn_fail(e, IDN_EUSAGE,
		                "--fanout: more than %d access nodes",
		                MAX_NODES);
	return IDN_OK;
}

/* Lay the tree out tier by tier from the cloud down, each node after its
 * parent; one link from each node to its parent, in node order. */
static int tree_layout(const void *args, struct layout *l, struct idn_err *e)
{
	const struct tree_args *a = args;
	uint32_t count[N_TIERS], first[N_TIERS], v = 0;
	int rc;

	count[T_CLOUD] = 1;
	count[T_REGIONAL] = (uint32_t)a->fanout[0];
	count[T_EDGE] = count[T_REGIONAL] * (uint32_t)a->fanout[1];
	count[T_ACCESS] = count[T_EDGE] * (uint32_t)a->fanout[2];
	rc = layout_alloc(l, count[0] + count[1] + count[2] + count[3],
	                  count[0] + count[1] + count[2], e);
	if (rc != IDN_OK)
		return rc;
	for (int t = N_TIERS - 1; t >= 0; t--) {
		first[t] = v;
		for (uint32_t i = 0; i < count[t]; i++, v++) {
			l->node[v].tier = (uint8_t)t;
			l->node[v].index = i;
			if (t == T_CLOUD)
				continue;
			l->link[v - 1] = (struct link){
				.a = first[t + 1] + i / (count[t] /
				                         count[t + 1]),
				.b = v,
				.delay = a->delay[t],
			};
		}
	}
	return IDN_OK;
}

static int cmd_tree(int argc, char *argv[], struct idn_err *e)
{
	struct tree_args a = {
		.c = COMMON_DEFAULTS,
		.fanout = { 2, 2, 2 },
		.delay = { 1, 5, 20 },
	};
	int rc = tree_parse(argc, argv, &a, e);

	if (rc == IDN_OK && !a.c.done)
		rc = build(&a.c, tree_layout, &a, e);
	free(a.c.hardware_buf);
	return rc;
}

/* --- mode: zoo ------------------------------------------------------------- */

/* Light in fibre: 2/3 of c = 199861.6 km/s, in km per ms. */
#define FIBRE_KM_PER_MS (299792.458 * 2.0 / 3.0 / 1000.0)
#define EARTH_RADIUS_KM 6371.0

struct zoo_args {
	struct common_args c;
	const char *file;
	const char *cloud;          /* NULL: highest degree */
	double regional_degree;
	bool access_edge;           /* access nodes on edge nodes only */
	double access_delay, hop_delay;
	double unknown_delay;       /* < 0: mean of the links with coordinates */
};

/* The simple graph of a GraphML file, indexed like its nodes. */
struct zoo {
	const struct graphml *g;
	uint32_t n_edges;
	struct link *edge;          /* distinct pairs, in first-written order */
	uint32_t *deg, *adj_off, *adj;
	bool *keep;                 /* in the component kept */
	uint32_t n_keep;
	char **name;                /* of kept nodes */
	uint8_t *tier;
};

static void zoo_free(struct zoo *z)
{
	for (uint32_t i = 0; z->name && i < z->g->n_nodes; i++)
		free(z->name[i]);
	free(z->name);
	free(z->edge);
	free(z->deg);
	free(z->adj_off);
	free(z->adj);
	free(z->keep);
	free(z->tier);
}

static int zoo_option(int c, void *args, struct idn_err *e)
{
	struct zoo_args *a = args;

	switch (c) {
	case O_CLOUD: a->cloud = optarg; return IDN_OK;
	case O_REGIONAL_DEGREE:
		return parse_list("--regional-degree", optarg,
		                  &a->regional_degree, 1, 0, 1e9, 1, e);
	case O_ACCESS:
		if (strcmp(optarg, "all") != 0 && strcmp(optarg, "edge") != 0)
			return idn_fail(e, IDN_EUSAGE,
			                "--access: expected 'all' or 'edge': "
			                "'%s'", optarg);
		a->access_edge = strcmp(optarg, "edge") == 0;
		return IDN_OK;
	case O_ACCESS_DELAY:
		return parse_list("--access-delay", optarg, &a->access_delay,
		                  1, 0, 1e9, 0, e);
	case O_HOP_DELAY:
		return parse_list("--hop-delay", optarg, &a->hop_delay, 1, 0,
		                  1e9, 0, e);
	case O_UNKNOWN_DELAY:
		return parse_list("--unknown-delay", optarg, &a->unknown_delay,
		                  1, 0, 1e9, 0, e);
	default: return IDN_END;
	}
}

static int zoo_parse(int argc, char *argv[], struct zoo_args *a,
                     struct idn_err *e)
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "cloud", required_argument, NULL, O_CLOUD },
		{ "regional-degree", required_argument, NULL,
		  O_REGIONAL_DEGREE },
		{ "access", required_argument, NULL, O_ACCESS },
		{ "access-delay", required_argument, NULL, O_ACCESS_DELAY },
		{ "hop-delay", required_argument, NULL, O_HOP_DELAY },
		{ "unknown-delay", required_argument, NULL, O_UNKNOWN_DELAY },
		{ NULL, 0, NULL, 0 }
	};
	char *file = NULL;
	int rc = parse_args(argc, argv, longopts, &a->c, zoo_option, a, 1,
	                    &file, e);

	a->file = file;
	return rc;
}

/* Distinct undirected pairs in order of first appearance, oriented as
 * first written; self-loops dropped. */
static int zoo_edges(struct zoo *z, struct idn_err *e)
{
	const struct graphml *g = z->g;
	struct strmap *seen = strmap_new();
	int rc = IDN_OK;

	z->edge = calloc(g->n_edges + 1, sizeof *z->edge);
	if (!seen || !z->edge) {
		strmap_free(seen);
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	for (uint32_t i = 0; i < g->n_edges && rc == IDN_OK; i++) {
		uint32_t a = g->edge[i].source, b = g->edge[i].target;
		char key[32];
		int n;

		if (a == b)
			continue;
		n = snprintf(key, sizeof key, "%u,%u", a < b ? a : b,
		             a < b ? b : a);
		rc = strmap_put(seen, key, (size_t)n, z->n_edges);
		if (rc == IDN_OK)
			z->edge[z->n_edges++] = (struct link){ .a = a, .b = b };
		else if (rc == IDN_EDATA)
			rc = IDN_OK;
		else
			rc = idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	strmap_free(seen);
	return rc;
}

/* Degrees and adjacency lists (CSR) of the simple graph. */
static int zoo_adjacency(struct zoo *z, struct idn_err *e)
{
	uint32_t n = z->g->n_nodes, *fill;

	z->deg = calloc(n, sizeof *z->deg);
	z->adj_off = calloc(n + 1, sizeof *z->adj_off);
	z->adj = calloc(2 * (size_t)z->n_edges + 1, sizeof *z->adj);
	fill = calloc(n, sizeof *fill);
	if (!z->deg || !z->adj_off || !z->adj || !fill) {
		free(fill);
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	for (uint32_t k = 0; k < z->n_edges; k++) {
		z->deg[z->edge[k].a]++;
		z->deg[z->edge[k].b]++;
	}
	for (uint32_t v = 0; v < n; v++)
		z->adj_off[v + 1] = z->adj_off[v] + z->deg[v];
	for (uint32_t k = 0; k < z->n_edges; k++) {
		uint32_t a = z->edge[k].a, b = z->edge[k].b;

		z->adj[z->adj_off[a] + fill[a]++] = b;
		z->adj[z->adj_off[b] + fill[b]++] = a;
	}
	free(fill);
	return IDN_OK;
}

/* Mark the component of v with id c in comp[] (breadth first, queue
 * reused); returns its size. */
static uint32_t zoo_flood(const struct zoo *z, uint32_t v, uint32_t c,
                          uint32_t *comp, uint32_t *queue)
{
	uint32_t head = 0, tail = 0;

	comp[v] = c;
	queue[tail++] = v;
	while (head < tail) {
		uint32_t u = queue[head++];

		for (uint32_t k = z->adj_off[u]; k < z->adj_off[u + 1]; k++) {
			uint32_t w = z->adj[k];

			if (comp[w] == UINT32_MAX) {
				comp[w] = c;
				queue[tail++] = w;
			}
		}
	}
	return tail;
}

/* Keep the largest connected component (ties: the one holding the first
 * node in the file); say so on stderr when something is dropped. */
static int zoo_component(struct zoo *z, struct idn_err *e)
{
	uint32_t n = z->g->n_nodes, n_comp = 0, best = 0, *comp, *queue;

	comp = malloc(n * sizeof *comp);
	queue = malloc(n * sizeof *queue);
	z->keep = calloc(n, sizeof *z->keep);
	if (!comp || !queue || !z->keep) {
		free(comp);
		free(queue);
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	for (uint32_t v = 0; v < n; v++)
		comp[v] = UINT32_MAX;
	for (uint32_t v = 0; v < n; v++) {
		uint32_t size;

		if (comp[v] != UINT32_MAX)
			continue;
		size = zoo_flood(z, v, n_comp++, comp, queue);
		if (size > z->n_keep) {
			z->n_keep = size;
			best = comp[v];
		}
	}
	for (uint32_t v = 0; v < n; v++)
		z->keep[v] = comp[v] == best;
	free(comp);
	free(queue);
	if (z->n_keep < n)
		fprintf(stderr, PROG ": %s: not connected (%u components): "
		        "kept the largest, %u of %u nodes\n", z->g->path,
		        n_comp, z->n_keep, n);
	return IDN_OK;
}

static bool name_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

/* A label as a name: ASCII letters, digits, '-' and '_' kept, any other
 * run of bytes one '_' (none at either end).  Never '.' nor a byte CSV
 * would quote, so NAME.access cannot clash with another node. */
static char *sanitize(const char *label)
{
	char *out = malloc(strlen(label) + 1), *q = out;
	bool gap = false;

	if (!out)
		return NULL;
	for (const unsigned char *s = (const unsigned char *)label; *s; s++) {
		if (!name_char(*s)) {
			gap = true;
			continue;
		}
		if (gap && q > out)
			*q++ = '_';
		gap = false;
		*q++ = (char)*s;
	}
	*q = '\0';
	return out;
}

/* The sanitized label, or "n" + id when it has none (or nothing is left
 * of it), made unique with the first free suffix _2, _3, ... */
static int zoo_name(const struct graphml_node *gn, struct strmap *taken,
                    uint32_t v, char **out)
{
	char *base = NULL, *s;
	int rc;

	if (gn->label && (base = sanitize(gn->label)) && !*base) {
		free(base);
		base = NULL;
	}
	if (!base) {
		if (asprintf(&s, "n%s", gn->id) < 0)
			return IDN_ENOMEM;
		base = sanitize(s);
		free(s);
		if (!base)
			return IDN_ENOMEM;
	}
	s = strdup(base);
	for (unsigned k = 2; s && strmap_get(taken, s, strlen(s)) !=
	                          STRMAP_NONE; k++) {
		free(s);
		if (asprintf(&s, "%s_%u", base, k) < 0)
			s = NULL;
	}
	free(base);
	if (!s)
		return IDN_ENOMEM;
	*out = s;
	rc = strmap_put(taken, s, strlen(s), v);
	return rc;
}

/* Name the kept nodes in file order; taken maps each name to its node. */
static int zoo_names(struct zoo *z, struct strmap *taken, struct idn_err *e)
{
	z->name = calloc(z->g->n_nodes, sizeof *z->name);
	if (!z->name)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	for (uint32_t v = 0; v < z->g->n_nodes; v++)
		if (z->keep[v] &&
		    zoo_name(&z->g->node[v], taken, v, &z->name[v]) != IDN_OK)
			return idn_fail(e, IDN_ENOMEM, "out of memory");
	return IDN_OK;
}

/* The cloud (named, or the highest degree, ties to the first node); the
 * other nodes are regional from the given degree up, else edge. */
static int zoo_tiers(struct zoo *z, const struct zoo_args *a,
                     const struct strmap *taken, struct idn_err *e)
{
	uint32_t cloud = UINT32_MAX;

	z->tier = calloc(z->g->n_nodes, sizeof *z->tier);
	if (!z->tier)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	if (a->cloud) {
		cloud = strmap_get(taken, a->cloud, strlen(a->cloud));
		if (cloud == STRMAP_NONE)
			return idn_fail(e, IDN_EUSAGE,
			                "--cloud: no node '%s' in %s (give "
			                "its name as in nodes.csv)", a->cloud,
			                z->g->path);
	}
	for (uint32_t v = 0; v < z->g->n_nodes && !a->cloud; v++)
		if (z->keep[v] &&
		    (cloud == UINT32_MAX || z->deg[v] > z->deg[cloud]))
			cloud = v;
	for (uint32_t v = 0; v < z->g->n_nodes; v++)
		z->tier[v] = v == cloud ? T_CLOUD
		             : z->deg[v] >= a->regional_degree ? T_REGIONAL
		             : T_EDGE;
	return IDN_OK;
}

static double great_circle_km(const struct graphml_node *p,
                              const struct graphml_node *q)
{
	double r = M_PI / 180, dlat = (q->lat - p->lat) * r;
	double dlon = (q->lon - p->lon) * r;
	double h = sin(dlat / 2) * sin(dlat / 2) +
	           cos(p->lat * r) * cos(q->lat * r) *
	           sin(dlon / 2) * sin(dlon / 2);

	return 2 * EARTH_RADIUS_KM * asin(fmin(1, sqrt(h)));
}

/* Whole microseconds: keeps the files short and the same bytes whatever
 * the last bits of the libm in use. */
static double round_us(double ms)
{
	return round(ms * 1000) / 1000;
}

/* Propagation plus hop delay for links with both ends placed; the others
 * get --unknown-delay or the mean of the placed ones. */
static int zoo_delays(struct zoo *z, const struct zoo_args *a,
                      struct idn_err *e)
{
	const struct graphml_node *node = z->g->node;
	double sum = 0, unknown = a->unknown_delay;
	uint32_t n_known = 0;

	for (uint32_t k = 0; k < z->n_edges; k++) {
		struct link *lk = &z->edge[k];

		lk->delay = NAN;
		if (!z->keep[lk->a] || !node[lk->a].has_pos ||
		    !node[lk->b].has_pos)
			continue;
		lk->delay = round_us(great_circle_km(&node[lk->a],
		                                     &node[lk->b]) /
		                     FIBRE_KM_PER_MS + a->hop_delay);
		sum += lk->delay;
		n_known++;
	}
	if (unknown < 0 && n_known)
		unknown = round_us(sum / n_known);
	for (uint32_t k = 0; k < z->n_edges; k++) {
		if (!z->keep[z->edge[k].a] || !isnan(z->edge[k].delay))
			continue;
		if (unknown < 0)
			return idn_fail(e, IDN_EDATA,
			                "%s: no link has coordinates at both "
			                "ends: give --unknown-delay",
			                z->g->path);
		z->edge[k].delay = unknown;
	}
	return IDN_OK;
}

static bool zoo_has_access(const struct zoo_args *a, uint8_t tier)
{
	return !a->access_edge || tier == T_EDGE;
}

/* Copy the kept graph into the layout: cloud, regional, edge nodes in
 * file order, then the access nodes in the order of their nodes; the
 * graph's links, then the access links. */
static int zoo_emit(const struct zoo *z, const struct zoo_args *a,
                    struct layout *l, struct idn_err *e)
{
	static const uint8_t order[] = { T_CLOUD, T_REGIONAL, T_EDGE };
	uint32_t n_access = 0, n_links = 0, v = 0, count[N_TIERS] = { 0 };
	uint32_t *pos;
	int rc;

	for (uint32_t i = 0; i < z->g->n_nodes; i++)
		n_access += z->keep[i] && zoo_has_access(a, z->tier[i]);
	for (uint32_t k = 0; k < z->n_edges; k++)
		n_links += z->keep[z->edge[k].a];
	if (n_access == 0)
		return idn_fail(e, IDN_EDATA, "%s: --access edge: no edge "
		                "node (every node has degree >= %g)",
		                z->g->path, a->regional_degree);
	if ((rc = layout_alloc(l, z->n_keep + n_access, n_links + n_access,
	                       e)) != IDN_OK)
		return rc;
	if (!(pos = malloc(z->g->n_nodes * sizeof *pos)))
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	l->geo = true;
	for (size_t t = 0; t < sizeof order; t++)
		for (uint32_t i = 0; i < z->g->n_nodes; i++) {
			if (!z->keep[i] || z->tier[i] != order[t])
				continue;
			pos[i] = v;
			l->node[v++] = (struct node){
				.tier = order[t], .index = count[order[t]]++,
				.name = strdup(z->name[i]),
				.lat = z->g->node[i].lat,
				.lon = z->g->node[i].lon,
				.has_pos = z->g->node[i].has_pos,
			};
		}
	n_links = 0;
	for (uint32_t k = 0; k < z->n_edges; k++)
		if (z->keep[z->edge[k].a])
			l->link[n_links++] = (struct link){
				.a = pos[z->edge[k].a], .b = pos[z->edge[k].b],
				.delay = z->edge[k].delay,
			};
	for (uint32_t u = 0, n_core = v; u < n_core; u++) {
		struct node *core = &l->node[u], *acc = &l->node[v];

		if (!zoo_has_access(a, core->tier))
			continue;
		*acc = *core;
		acc->tier = T_ACCESS;
		acc->index = count[T_ACCESS]++;
		if (!core->name ||
		    asprintf(&acc->name, "%s.access", core->name) < 0)
			acc->name = NULL;
		l->link[n_links++] = (struct link){
			.a = u, .b = v++, .delay = a->access_delay,
		};
	}
	free(pos);
	for (uint32_t i = 0; i < l->n_nodes; i++)
		if (!l->node[i].name)
			return idn_fail(e, IDN_ENOMEM, "out of memory");
	return IDN_OK;
}

static int zoo_layout(const void *args, struct layout *l, struct idn_err *e)
{
	const struct zoo_args *a = args;
	struct graphml *g;
	struct zoo z = { 0 };
	struct strmap *taken;
	int rc;

	if ((rc = graphml_load(&g, a->file, e)) != IDN_OK)
		return rc;
	z.g = g;
	taken = strmap_new();
	if (!taken)
		rc = idn_fail(e, IDN_ENOMEM, "out of memory");
	else if (g->n_nodes == 0)
		rc = idn_fail(e, IDN_EDATA, "%s: no nodes", g->path);
	if (rc == IDN_OK &&
	    (rc = zoo_edges(&z, e)) == IDN_OK &&
	    (rc = zoo_adjacency(&z, e)) == IDN_OK &&
	    (rc = zoo_component(&z, e)) == IDN_OK &&
	    (rc = zoo_names(&z, taken, e)) == IDN_OK &&
	    (rc = zoo_tiers(&z, a, taken, e)) == IDN_OK &&
	    (rc = zoo_delays(&z, a, e)) == IDN_OK)
		rc = zoo_emit(&z, a, l, e);
	strmap_free(taken);
	zoo_free(&z);
	graphml_free(g);
	return rc;
}

static int cmd_zoo(int argc, char *argv[], struct idn_err *e)
{
	struct zoo_args a = {
		.c = COMMON_DEFAULTS,
		.regional_degree = 3,
		.access_delay = 1,
		.hop_delay = 0.5,
		.unknown_delay = -1,
	};
	int rc = zoo_parse(argc, argv, &a, e);

	if (rc == IDN_OK && !a.c.done)
		rc = build(&a.c, zoo_layout, &a, e);
	free(a.c.hardware_buf);
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
	if (strcmp(mode, "zoo") == 0)
		return cmd_zoo(argc - 1, argv + 1, e);
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
