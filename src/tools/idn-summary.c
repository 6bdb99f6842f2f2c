/* idn-summary - pool the per-run summaries of a sweep into one CSV with
 * means and 95% confidence intervals per configuration.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A configuration is (trace, policy, options, alpha, slot): the runs that
 * differ only in their seed are pooled.  The trace id is the summary's
 * `trace` column when it has one, else the name of the directory that
 * holds the file (idn-sweep puts the runs of one scenario and trace in one
 * directory).  Every row of every file is one run.
 *
 * For each metric the output has the mean and the half-width of its 95%
 * confidence interval, t(0.975, n-1) * s / sqrt(n), with s the sample
 * standard deviation (n-1 in the denominator).  Means and variances are
 * accumulated with Welford's update, which stays accurate when the values
 * are large and close together.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "err.h"
#include "output.h"
#include "strmap.h"
#include "table.h"

#define PROG "idn-summary"

static const char *const metric_name[] = {
	"ntag", "gain", "latency_ms", "accuracy", "update_mb",
	"requests_per_s",
};
#define N_METRICS (sizeof metric_name / sizeof *metric_name)

/* --- statistics --------------------------------------------------------- */

/* t quantiles t(0.975, df) for df = 1..30 (standard tables, checked to
 * 1e-10 by integrating the t density). */
static const double t975[30] = {
	12.7062047362, 4.3026527297, 3.1824463053, 2.7764451052,
	2.5705818366, 2.4469118488, 2.3646242510, 2.3060041352,
	2.2621571628, 2.2281388520, 2.2009851601, 2.1788128297,
	2.1603686565, 2.1447866879, 2.1314495456, 2.1199052992,
	2.1098155778, 2.1009220402, 2.0930240544, 2.0859634473,
	2.0796138447, 2.0738730679, 2.0686576104, 2.0638985616,
	2.0595385528, 2.0555294386, 2.0518305165, 2.0484071418,
	2.0452296421, 2.0422724563,
};

/* t(0.975, df): the table, then the normal quantile z with the
 * Cornish-Fisher corrections in 1/df (error < 2e-9 from df = 30 on). */
static double t_quantile(unsigned long df)
{
	const double z = 1.959963984540054;
	double z2 = z * z, v = (double)df;
	double g1 = (z2 + 1) * z / 4;
	double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
	double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
	double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)
	            * z / 92160;

	if (df == 0)
		return NAN;
	if (df <= 30)
		return t975[df - 1];
	return z + (g1 + (g2 + (g3 + g4 / v) / v) / v) / v;
}

struct acc {
	double mean, m2;
};

static void acc_add(struct acc *a, unsigned long n, double x)
{
	double d = x - a->mean;

	a->mean += d / (double)n;
	a->m2 += d * (x - a->mean);
}

/* Half-width of the 95% interval of the mean of n values; NAN for n < 2. */
static double acc_ci(const struct acc *a, unsigned long n)
{
	if (n < 2)
		return NAN;
	return t_quantile(n - 1) * sqrt(a->m2 / (double)(n - 1) / (double)n);
}

/* --- configurations ------------------------------------------------------- */

struct group {
	char *trace, *policy, *options;
	double alpha, slot;
	unsigned long n;
	struct acc m[N_METRICS];
};

struct pool {
	struct strmap *index;          /* key -> group */
	struct group *g;
	size_t n;
};

/* Columns of one summary file. */
struct cols {
	size_t policy, options, alpha, slot, trace, m[N_METRICS];
	bool has_trace;
};

static int find_cols(const struct table *t, struct cols *c,
                     struct idn_err *e)
{
	int rc = table_column(t, "policy", &c->policy, e);

	if (!rc)
		rc = table_column(t, "options", &c->options, e);
	if (!rc)
		rc = table_column(t, "alpha", &c->alpha, e);
	if (!rc)
		rc = table_column(t, "slot", &c->slot, e);
	for (size_t i = 0; !rc && i < N_METRICS; i++)
		rc = table_column(t, metric_name[i], &c->m[i], e);
	c->has_trace = !rc && table_column(t, "trace", &c->trace, e) == IDN_OK;
	return rc;
}

/* A metric: a number, or "nan" as idn-replay writes for an undefined
 * mean (it makes the pooled mean nan too). */
static int metric(const struct table *t, size_t row, size_t col, double *v,
                  struct idn_err *e)
{
	if (strcmp(t->cells[row][col], "nan") == 0) {
		*v = NAN;
		return IDN_OK;
	}
	return table_number(t, row, col, -INFINITY, 0, 0, v, e);
}

/* The name of the directory holding path. */
static char *dir_name(const char *path)
{
	char buf[PATH_MAX], *slash, *end;

	if (!realpath(path, buf))
		return NULL;
	end = strrchr(buf, '/');
	*end = '\0';
	slash = strrchr(buf, '/');
	return strdup(slash ? slash + 1 : buf);
}

static int group_of(struct pool *p, const char *trace, const char *policy,
                    const char *options, double alpha, double slot,
                    struct group **out)
{
	char a[32], s[32], *key;
	size_t len;
	uint32_t i;

	a[fmt_double(a, alpha)] = '\0';
	s[fmt_double(s, slot)] = '\0';
	/* Unit separators keep the fields of the key apart. */
	if (asprintf(&key, "%s\x1f%s\x1f%s\x1f%s\x1f%s", trace, policy,
	             options, a, s) < 0)
		return IDN_ENOMEM;
	len = strlen(key);
	i = strmap_get(p->index, key, len);
	if (i == STRMAP_NONE) {
		struct group *g = realloc(p->g, (p->n + 1) * sizeof *g);
		if (!g || strmap_put(p->index, key, len, (uint32_t)p->n)) {
			free(key);
			p->g = g ? g : p->g;
			return IDN_ENOMEM;
		}
		p->g = g;
		g += p->n;
		*g = (struct group){ .trace = strdup(trace),
		                     .policy = strdup(policy),
		                     .options = strdup(options),
		                     .alpha = alpha, .slot = slot };
		i = (uint32_t)p->n++;
		if (!g->trace || !g->policy || !g->options) {
			free(key);
			return IDN_ENOMEM;
		}
	}
	free(key);
	*out = &p->g[i];
	return IDN_OK;
}

static int add_row(struct pool *p, const struct table *t,
                   const struct cols *c, size_t row, const char *dir,
                   struct idn_err *e)
{
	char **cell = t->cells[row];
	double alpha, slot, v[N_METRICS];
	struct group *g = NULL;
	int rc = table_number(t, row, c->alpha, 0, 0, 0, &alpha, e);

	if (!rc)
		rc = table_number(t, row, c->slot, 0, 1, 0, &slot, e);
	for (size_t i = 0; !rc && i < N_METRICS; i++)
		rc = metric(t, row, c->m[i], &v[i], e);
	if (!rc && group_of(p, c->has_trace ? cell[c->trace] : dir,
	                    cell[c->policy], cell[c->options], alpha, slot,
	                    &g) != IDN_OK)
		rc = idn_fail(e, IDN_ENOMEM, "out of memory");
	if (rc)
		return rc;
	g->n++;
	for (size_t i = 0; i < N_METRICS; i++)
		acc_add(&g->m[i], g->n, v[i]);
	return IDN_OK;
}

static int add_file(struct pool *p, const char *path, struct idn_err *e)
{
	struct table *t = NULL;
	struct cols c;
	char *dir = NULL;
	int rc = table_load(&t, path, e);

	if (!rc)
		rc = find_cols(t, &c, e);
	if (!rc && !c.has_trace && !(dir = dir_name(path)))
		rc = idn_fail(e, IDN_EDATA, "%s: %s", path, strerror(errno));
	if (!rc && t->n_rows == 0)
		rc = idn_fail(e, IDN_EDATA, "%s:2: row: no run in the file",
		              path);
	for (size_t r = 0; !rc && r < t->n_rows; r++)
		rc = add_row(p, t, &c, r, dir, e);
	free(dir);
	table_free(t);
	return rc;
}

static void pool_free(struct pool *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->g[i].trace);
		free(p->g[i].policy);
		free(p->g[i].options);
	}
	free(p->g);
	strmap_free(p->index);
}

/* --- files ------------------------------------------------------------------ */

struct paths {
	char **p;
	size_t n;
};

static int paths_add(struct paths *ps, char *p)
{
	char **q = p ? realloc(ps->p, (ps->n + 1) * sizeof *q) : NULL;

	if (!q) {
		free(p);
		return IDN_ENOMEM;
	}
	ps->p = q;
	ps->p[ps->n++] = p;
	return IDN_OK;
}

static bool is_summary(const char *name)
{
	size_t n = strlen(name);

	return n > 8 && strcmp(name + n - 8, ".summary") == 0;
}

/* Every *.summary below dir, in no particular order. */
static int scan(const char *dir, struct paths *ps, struct idn_err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = IDN_OK;

	if (!d)
		return idn_fail(e, IDN_EDATA, "%s: cannot open: %s", dir,
		                strerror(errno));
	while (rc == IDN_OK && (de = readdir(d))) {
		struct stat st;
		char *p;

		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&p, "%s/%s", dir, de->d_name) < 0) {
			rc = idn_fail(e, IDN_ENOMEM, "out of memory");
			break;
		}
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			rc = scan(p, ps, e);
			free(p);
		} else if (is_summary(de->d_name)) {
			if ((rc = paths_add(ps, p)) != IDN_OK)
				idn_fail(e, rc, "out of memory");
		} else {
			free(p);
		}
	}
	closedir(d);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A file as given; a directory as its summaries sorted by path. */
static int add_arg(struct pool *p, const char *arg, struct idn_err *e)
{
	struct paths ps = { 0 };
	struct stat st;
	int rc;

	if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode))
		return add_file(p, arg, e);
	rc = scan(arg, &ps, e);
	if (rc == IDN_OK && ps.n == 0)
		rc = idn_fail(e, IDN_EDATA, "%s: no *.summary file", arg);
	if (rc == IDN_OK)   /* ps.p is NULL when empty: qsort wants an array */
		qsort(ps.p, ps.n, sizeof *ps.p, cmp_str);
	for (size_t i = 0; rc == IDN_OK && i < ps.n; i++)
		rc = add_file(p, ps.p[i], e);
	for (size_t i = 0; i < ps.n; i++)
		free(ps.p[i]);
	free(ps.p);
	return rc;
}

/* --- output ------------------------------------------------------------------- */

/* A text field, quoted the CSV way when it must be. */
/* fmt_double, or an empty field for an undefined interval. */
static void put_number(struct outfile *o, double v)
{
	outfile_puts(o, ",");
	if (!isnan(v))
		outfile_double(o, v);
}

static int write_pool(const struct pool *p, const char *path,
                      struct idn_err *e)
{
	struct outfile *o;
	int rc = outfile_open(&o, path, IDN_GZ_AUTO, e);

	if (rc != IDN_OK)
		return rc;
	outfile_puts(o, "trace,policy,options,alpha,slot,n");
	for (size_t i = 0; i < N_METRICS; i++)
		outfile_printf(o, ",%s_mean,%s_ci95", metric_name[i],
		               metric_name[i]);
	outfile_puts(o, "\n");
	for (size_t k = 0; k < p->n; k++) {
		const struct group *g = &p->g[k];

		outfile_csv_field(o, g->trace);
		outfile_puts(o, ",");
		outfile_csv_field(o, g->policy);
		outfile_puts(o, ",");
		outfile_csv_field(o, g->options);
		put_number(o, g->alpha);
		put_number(o, g->slot);
		outfile_printf(o, ",%lu", g->n);
		for (size_t i = 0; i < N_METRICS; i++) {
			outfile_puts(o, ",");
			outfile_double(o, g->m[i].mean);
			put_number(o, acc_ci(&g->m[i], g->n));
		}
		outfile_puts(o, "\n");
	}
	return outfile_commit(o, e);
}

/* --- main ---------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fputs("Usage: " PROG " [-o FILE] FILE|DIR...\n"
	      "Pool per-run summaries (idn-replay --summary) into one row per "
	      "configuration\n(trace, policy, options, alpha, slot; seeds "
	      "pooled) with the number of runs,\nthe mean and the 95% "
	      "confidence half-width (Student t) of ntag, gain,\nlatency_ms, "
	      "accuracy, update_mb and requests_per_s.  A DIR stands for "
	      "every\n*.summary below it.\n"
	      "\n"
	      "  -o, --output FILE   output file, - for standard output "
	      "(default: -)\n"
	      "  -h, --help          show this help and exit\n"
	      "      --version       show the version and exit\n"
	      "\nExit status: 0 success, 1 bad data, 2 bad usage.\n", f);
}

static int parse_args(int argc, char **argv, const char **out, bool *done,
                      struct idn_err *e)
{
	int rc = cli_output_options(argc, argv, PROG, usage, out, done, e);

	if (rc == IDN_OK && !*done && optind == argc)
		return idn_fail(e, IDN_EUSAGE, "no summary FILE or DIR "
		                "(try --help)");
	return rc;
}

int main(int argc, char **argv)
{
	struct pool p = { .index = strmap_new() };
	struct idn_err e = { "" };
	const char *out = "-";
	bool done = false;
	int rc;

	outfile_install_signal_cleanup();
	rc = p.index ? parse_args(argc, argv, &out, &done, &e)
	             : idn_fail(&e, IDN_ENOMEM, "out of memory");
	for (int i = optind; rc == IDN_OK && !done && i < argc; i++)
		rc = add_arg(&p, argv[i], &e);
	if (rc == IDN_OK && !done)
		rc = write_pool(&p, out, &e);
	if (done && rc == IDN_OK && fflush(stdout) != 0)
		rc = idn_fail(&e, IDN_EIO, "write error on standard output");
	pool_free(&p);
	return cli_finish(PROG, rc, &e);
}
