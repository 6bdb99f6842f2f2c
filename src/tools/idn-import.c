/* idn-import.c - turn a real request trace into an idnbench trace.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input formats
 * -------------
 * alibaba-genai   lora_request_trace.csv of Alibaba's GenAI serving trace
 *                 (clusterdata, cluster-trace-v2026-GenAI): one row per
 *                 request, time in gmt_create, user group in groupId,
 *                 base model in checkpoint_model_version_id.  Every row is
 *                 a request whatever its predict_status; a row with an
 *                 empty model id (a request that never got its
 *                 parameters) is skipped and counted on stderr.
 * azure-llm       AzureLLMInferenceTrace_{conv,code}.csv of the Azure LLM
 *                 inference trace 2023: one row per request, time in
 *                 TIMESTAMP, no user and no model.
 *
 * Columns are found by header name (table.h: any order, extra columns
 * ignored, plain or gzip, "-" for standard input).  Timestamps must read
 * exactly "YYYY-MM-DD hh:mm:ss" (a 'T' may replace the space), optionally
 * followed by '.' and 1 to 9 digits of fraction; no time zone (all
 * timestamps of a file are taken in the same one, which only the
 * differences between them matter for).  They are converted exactly to
 * integer seconds and nanoseconds on the proleptic Gregorian calendar.
 *
 * The mapping (documented in doc/formats.md, "Importing real traces")
 * ---------------------------------------------------------------------
 * time    seconds since the earliest request, times --time-scale.
 * source  the seeded hash sources_hash(seed, id) (sources.h) of the
 *         request's user group (alibaba-genai: groupId) or, without one
 *         (azure-llm), of its data row number in the file (1 for the first
 *         row after the header, in decimal), picks one of the --sources
 *         nodes: a group always enters the network at the same node.
 * task    perm is a random permutation of the scenario's T tasks drawn
 *         from --seed (rng_permutation, zipf.h: the same permutation as
 *         idn-gen's ranking for the same seed and scenario).
 *         alibaba-genai: the models are ranked by their number of
 *         requests (most first, ties by model id in byte order) and the
 *         model of rank r (0-based) becomes task perm[r mod T]; with more
 *         models than tasks several models share a task (said on stderr).
 *         azure-llm: each request in time order draws a rank k from
 *         Zipf(--tasks-zipf) over T ranks (zipf.h) and gets task perm[k].
 *
 * Memory: the input is read whole (table.h) and its requests buffered, 24
 * bytes each, because the model ranking needs every row before the first
 * one can be written and an unsorted input must be sorted (stably: equal
 * times keep the file order).  That is about twice the uncompressed input
 * (under 10 MB for the shipped traces).  --limit N keeps the N earliest
 * requests, and the ranking counts only those.
 */
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "cliopt.h"
#include "err.h"
#include "output.h"
#include "scenario.h"
#include "sources.h"
#include "strmap.h"
#include "table.h"
#include "trace.h"
#include "zipf.h"

/* Where a format keeps what we need; a NULL column is absent. */
struct format {
	const char *name;
	const char *time_col;
	const char *group_col;    /* hashed to a source; else the row number */
	const char *model_col;    /* ranked onto tasks; else Zipf draws */
};

static const struct format formats[] = {
	{ "alibaba-genai", "gmt_create", "groupId",
	  "checkpoint_model_version_id" },
	{ "azure-llm", "TIMESTAMP", NULL, NULL },
};

struct import_opts {
	struct cliopt_trace c;    /* --scenario --sources --seed --level -o */
	const struct format *fmt;
	const char *input;
	double time_scale, zipf_a;
	uint64_t limit;
	bool zipf_set;
};

/* One request.  24 bytes: the whole trace is buffered (see the top). */
struct request {
	int64_t sec;              /* seconds since 1970-01-01 00:00:00 */
	uint32_t nsec;
	uint32_t model;           /* index into the model list */
	uint32_t src;             /* index into the selected sources */
	uint32_t row;             /* data row in the file, from 0 */
};

static void usage(FILE *f)
{
	fputs("Usage: idn-import FORMAT INPUT --scenario DIR [OPTION]...\n"
	      "Convert the real request trace INPUT (plain or gzip CSV, - for "
	      "standard\ninput) into a trace (time,source,task) for the "
	      "scenario in DIR.\n"
	      "\n"
	      "FORMAT is one of\n"
	      "  alibaba-genai       Alibaba GenAI lora_request_trace.csv: "
	      "base models\n"
	      "                      ranked by requests onto the tasks, "
	      "sources by groupId\n"
	      "  azure-llm           Azure LLM inference trace 2023: tasks "
	      "drawn from\n"
	      "                      Zipf(--tasks-zipf), sources by row "
	      "number\n"
	      "\n"
	      CLIOPT_TRACE_HELP_FIRST
	      "  --tasks-zipf A      azure-llm: Zipf exponent of task "
	      "popularity, 0 =\n"
	      "                      uniform (default: 1.0)\n"
	      "  --time-scale F      multiply the times between requests by "
	      "F > 0\n"
	      "                      (default: 1)\n"
	      "  --limit N           keep only the N earliest requests "
	      "(default: all)\n"
	      CLIOPT_TRACE_HELP_LAST, f);
}

enum { OPT_ZIPF = CLIOPT_OWN, OPT_SCALE, OPT_LIMIT };

static const struct option long_opts[] = {
	CLIOPT_TRACE_LONGOPTS,
	{ "tasks-zipf", required_argument, NULL, OPT_ZIPF },
	{ "time-scale", required_argument, NULL, OPT_SCALE },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ NULL, 0, NULL, 0 }
};

/* Apply one of idn-import's own options. */
static int apply_opt(void *opts, int c, const char *arg, bool *done,
                     struct idn_err *e)
{
	struct import_opts *o = opts;
	int rc;

	(void)done;
	switch (c) {
	case OPT_ZIPF:
		o->zipf_set = true;
		return cli_real("tasks-zipf", arg, 0, false, &o->zipf_a, e);
	case OPT_SCALE:
		return cli_real("time-scale", arg, 0, true, &o->time_scale, e);
	case OPT_LIMIT:
		rc = cli_uint("limit", arg, UINT32_MAX, &o->limit, e);
		if (rc == IDN_OK && o->limit == 0)
			rc = idn_fail(e, IDN_EUSAGE, "--limit: must be >= 1: "
			              "'%s'", arg);
		return rc;
	}
	return idn_fail(e, IDN_EUSAGE, "internal: option %d", c);
}

static const struct format *find_format(const char *name)
{
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

/* FORMAT and INPUT, the two operands. */
static int parse_operands(void *opts, int argc, char **argv,
                          struct idn_err *e)
{
	struct import_opts *o = opts;
	int rc;

	if (argc - optind != 2)
		return idn_fail(e, IDN_EUSAGE, "expected FORMAT and INPUT, "
		                "got %d operand%s (try --help)", argc - optind,
		                argc - optind == 1 ? "" : "s");
	if (!(o->fmt = find_format(argv[optind])))
		return idn_fail(e, IDN_EUSAGE, "unknown FORMAT '%s' (expected "
		                "alibaba-genai or azure-llm)", argv[optind]);
	o->input = argv[optind + 1];
	if ((rc = cliopt_trace_check(&o->c, e)) != IDN_OK)
		return rc;
	if (o->zipf_set && o->fmt->model_col)
		return idn_fail(e, IDN_EUSAGE, "--tasks-zipf: %s takes the "
		                "tasks from the trace's models", o->fmt->name);
	return IDN_OK;
}

/* --- timestamps ----------------------------------------------------------- */

/* n decimal digits at s, or -1 if one of them is not a digit. */
static int64_t digits(const char *s, int n)
{
	int64_t v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days from 1970-01-01 to y-m-d on the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil; exact for every year we accept). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int64_t y, int64_t m)
{
	static const int len[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return len[m - 1] + (m == 2 && leap);
}

/* "YYYY-MM-DD hh:mm:ss[.f]" (1-9 fraction digits) exactly; false if s is
 * not such a timestamp or names no real date and time. */
static bool parse_time(const char *s, int64_t *sec, uint32_t *nsec)
{
	int64_t y = digits(s, 4), mo, d, h, mi, se, frac = 0;
	size_t len = strlen(s), nf = 0;

	if (len < 19 || y < 0 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':')
		return false;
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	se = digits(s + 17, 2);
	if (len > 19) {
		nf = len - 20;
		if (s[19] != '.' || nf < 1 || nf > 9 ||
		    (frac = digits(s + 20, (int)nf)) < 0)
			return false;
		for (size_t i = nf; i < 9; i++)
			frac *= 10;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
		return false;
	*sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	*nsec = (uint32_t)frac;
	return true;
}

/* --- reading -------------------------------------------------------------- */

/* What run() builds from the input. */
struct input {
	struct table *t;
	size_t time_col;
	struct request *req;
	size_t n_req;
	size_t skipped;            /* rows without a model id */
	bool unsorted;             /* the file was not in time order */
	uint32_t ranked;           /* models with requests (alibaba-genai) */
	struct strmap *model_map;  /* model id -> index */
	const char **model_name;   /* points into t */
	uint32_t n_models;
};

static void input_free(struct input *in)
{
	table_free(in->t);
	free(in->req);
	if (in->model_map)
		strmap_free(in->model_map);
	free(in->model_name);
}

/* Index of model id s, added on first sight. */
static int intern_model(struct input *in, const char *s, uint32_t *idx)
{
	size_t len = strlen(s);
	uint32_t m = strmap_get(in->model_map, s, len);

	if (m == STRMAP_NONE) {
		m = in->n_models;
		if (strmap_put(in->model_map, s, len, m) != IDN_OK)
			return IDN_ENOMEM;
		in->model_name[in->n_models++] = s;
	}
	*idx = m;
	return IDN_OK;
}

struct columns {
	size_t time, group, model;
};

static int find_columns(const struct format *f, const struct table *t,
                        struct columns *c, struct idn_err *e)
{
	int rc = table_column(t, f->time_col, &c->time, e);

	if (rc == IDN_OK && f->group_col)
		rc = table_column(t, f->group_col, &c->group, e);
	if (rc == IDN_OK && f->model_col)
		rc = table_column(t, f->model_col, &c->model, e);
	return rc;
}

/* Turn data row i into a request, or skip it (no model id). */
static int read_row(const struct import_opts *o, struct input *in,
                    const struct columns *c, size_t i, uint32_t n_src,
                    struct idn_err *e)
{
	const struct table *t = in->t;
	struct request *r = &in->req[in->n_req];
	const char *id, *ts = t->cells[i][c->time];
	char rowid[24];

	if (!parse_time(ts, &r->sec, &r->nsec))
		return table_fail(e, t, i, c->time, "not a timestamp "
		                  "YYYY-MM-DD hh:mm:ss[.fffffffff]: '%s'", ts);
	if (o->fmt->model_col) {
		const char *m = t->cells[i][c->model];

		if (*m == '\0') {
			in->skipped++;
			return IDN_OK;
		}
		if (intern_model(in, m, &r->model) != IDN_OK)
			return idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	if (o->fmt->group_col) {
		id = t->cells[i][c->group];
	} else {
		fmt_u64(rowid, (unsigned long long)i + 1);
		id = rowid;
	}
	r->src = sources_hash(o->c.seed, id, strlen(id), n_src);
	r->row = (uint32_t)i;
	in->n_req++;
	return IDN_OK;
}

static int read_input(const struct import_opts *o, struct input *in,
                      uint32_t n_src, struct idn_err *e)
{
	struct columns c = { 0, 0, 0 };
	int rc = table_load(&in->t, o->input, e);
	size_t n;

	if (rc == IDN_OK)
		rc = find_columns(o->fmt, in->t, &c, e);
	if (rc != IDN_OK)
		return rc;
	in->time_col = c.time;
	n = in->t->n_rows;
	if (n > UINT32_MAX)
		return idn_fail(e, IDN_EDATA, "%s: more than %u rows",
		                in->t->path, UINT32_MAX);
	in->req = malloc((n + 1) * sizeof *in->req);
	in->model_name = malloc((n + 1) * sizeof *in->model_name);
	in->model_map = strmap_new();
	if (!in->req || !in->model_name || !in->model_map)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	for (size_t i = 0; i < n && rc == IDN_OK; i++)
		rc = read_row(o, in, &c, i, n_src, e);
	if (rc == IDN_OK && in->n_req == 0)
		rc = idn_fail(e, IDN_EDATA, "%s: no requests", in->t->path);
	return rc;
}

/* --- time order ----------------------------------------------------------- */

static int cmp_request(const void *a, const void *b)
{
	const struct request *x = a, *y = b;

	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	if (x->nsec != y->nsec)
		return x->nsec < y->nsec ? -1 : 1;
	/* Equal times keep the file order, which makes qsort stable. */
	return (x->row > y->row) - (x->row < y->row);
}

static bool sorted(const struct request *r, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (cmp_request(&r[i - 1], &r[i]) > 0)
			return false;
	return true;
}

/* Sort if needed, then keep the first --limit requests. */
static void order_requests(const struct import_opts *o, struct input *in)
{
	in->unsorted = !sorted(in->req, in->n_req);
	if (in->unsorted)
		qsort(in->req, in->n_req, sizeof *in->req, cmp_request);
	if (o->limit < in->n_req)
		in->n_req = (size_t)o->limit;
}

/* Seconds from the first request to r, before scaling.  The difference
 * is taken in integer nanoseconds so that it is exact; one rounding to a
 * double follows (exact below 2^53 ns, about 104 days). */
static int offset_of(const struct input *in, const struct request *r,
                     double *t, struct idn_err *e)
{
	const struct request *r0 = &in->req[0];
	int64_t ds = r->sec - r0->sec;

	/* 9.2e9 s (292 years) of nanoseconds fill an int64. */
	if (ds > INT64_MAX / 1000000000 - 1)
		return table_fail(e, in->t, r->row, in->time_col,
		                  "more than 292 years "
		                  "after the first request");
	*t = (double)(ds * 1000000000 + ((int64_t)r->nsec - r0->nsec)) / 1e9;
	return IDN_OK;
}

/* --- tasks ---------------------------------------------------------------- */

struct rank_ctx {
	const uint64_t *count;
	const char *const *name;
};

/* qsort_r comparator: more requests first, then model id byte order. */
static int cmp_rank(const void *a, const void *b, void *arg)
{
	const struct rank_ctx *c = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (c->count[x] != c->count[y])
		return c->count[x] > c->count[y] ? -1 : 1;
	return strcmp(c->name[x], c->name[y]);
}

/* task_of[m] for every model: the model of rank r gets perm[r mod T]. */
static int map_models(struct input *in, const uint32_t *perm,
                      uint32_t nt, uint32_t *task_of)
{
	uint64_t *count = calloc(in->n_models + 1, sizeof *count);
	uint32_t *order = malloc((in->n_models + 1) * sizeof *order);
	struct rank_ctx ctx = { count, in->model_name };
	uint32_t used = 0;

	if (!count || !order) {
		free(count);
		free(order);
		return IDN_ENOMEM;
	}
	for (size_t i = 0; i < in->n_req; i++)
		count[in->req[i].model]++;
	for (uint32_t m = 0; m < in->n_models; m++)
		if (count[m] > 0)     /* models cut off by --limit drop out */
			order[used++] = m;
	qsort_r(order, used, sizeof *order, cmp_rank, &ctx);
	for (uint32_t r = 0; r < used; r++)
		task_of[order[r]] = perm[r % nt];
	in->ranked = used;
	free(count);
	free(order);
	return IDN_OK;
}

/* alibaba-genai: the task of each request is that of its model. */
static int tasks_by_model(struct input *in, const uint32_t *perm,
                          uint32_t nt, uint32_t *task)
{
	uint32_t *task_of = malloc((in->n_models + 1) * sizeof *task_of);
	int rc = task_of ? map_models(in, perm, nt, task_of) : IDN_ENOMEM;

	for (size_t i = 0; rc == IDN_OK && i < in->n_req; i++)
		task[i] = task_of[in->req[i].model];
	free(task_of);
	return rc;
}

/* azure-llm: one Zipf draw of a rank per request, in time order. */
static int tasks_by_zipf(const struct import_opts *o, const struct input *in,
                         struct idn_rng *rng, const uint32_t *perm,
                         uint32_t nt, uint32_t *task)
{
	double *cdf = malloc(nt * sizeof *cdf);

	if (!cdf)
		return IDN_ENOMEM;
	zipf_table(cdf, nt, o->zipf_a);
	for (size_t i = 0; i < in->n_req; i++)
		task[i] = perm[zipf_draw(cdf, nt, idn_rng_uniform(rng))];
	free(cdf);
	return IDN_OK;
}

/* The task of every request, in time order, into task[].  The draws:
 * first the permutation, then (azure-llm) one per request. */
static int assign_tasks(const struct import_opts *o, struct input *in,
                        uint32_t nt, uint32_t *task)
{
	uint32_t *perm = malloc(nt * sizeof *perm);
	struct idn_rng rng;
	int rc;

	if (!perm)
		return IDN_ENOMEM;
	idn_rng_seed(&rng, o->c.seed);
	rng_permutation(&rng, perm, nt);
	rc = o->fmt->model_col ? tasks_by_model(in, perm, nt, task)
	                       : tasks_by_zipf(o, in, &rng, perm, nt, task);
	free(perm);
	return rc;
}

/* --- writing -------------------------------------------------------------- */

static int write_trace(const struct import_opts *o, const struct input *in,
                       const struct scenario *sc, const uint32_t *src,
                       const uint32_t *task, struct idn_err *e)
{
	struct trace_writer *w = NULL;
	int rc = trace_writer_open(&w, o->c.out, o->c.level, 0, e);

	for (size_t i = 0; rc == IDN_OK && i < in->n_req; i++) {
		const struct request *r = &in->req[i];
		double t = 0;

		if ((rc = offset_of(in, r, &t, e)) != IDN_OK)
			break;
		/* Scaling by F > 0 is monotone, so times stay sorted. */
		t *= o->time_scale;
		if (!isfinite(t)) {
			rc = table_fail(e, in->t, r->row, in->time_col,
			                "time overflows with --time-scale");
			break;
		}
		trace_writer_put(w, t, sc->node_name[src[r->src]],
		                 sc->task_name[task[i]], 1);
	}
	/* A write error is sticky; trace_writer_commit reports it. */
	if (rc == IDN_OK)
		return trace_writer_commit(w, e);
	if (w)
		trace_writer_abort(w);
	return rc;
}

/* What the user should know about a conversion that worked: one line
 * each on stderr (an error stays the only line of a failed run). */
static void notes(const struct import_opts *o, const struct input *in,
                  uint32_t nt)
{
	if (in->skipped > 0)
		fprintf(stderr, "idn-import: note: skipped %zu row%s with an "
		        "empty %s\n", in->skipped, in->skipped == 1 ? "" : "s",
		        o->fmt->model_col);
	if (in->unsorted)
		fprintf(stderr, "idn-import: note: %s is not in time order; "
		        "sorted its requests\n", in->t->path);
	if (in->ranked > nt)
		fprintf(stderr, "idn-import: note: %u models folded onto %u "
		        "tasks (the model of rank r by requests gets the task "
		        "of rank r mod %u)\n", in->ranked, nt, nt);
}

static int convert(const void *opts, const struct scenario *sc,
                   const uint32_t *src, uint32_t n_src, struct idn_err *e)
{
	const struct import_opts *o = opts;
	struct input in = { 0 };
	uint32_t *task = NULL;
	int rc = read_input(o, &in, n_src, e);

	if (rc == IDN_OK) {
		order_requests(o, &in);
		if (!(task = malloc(in.n_req * sizeof *task)))
			rc = idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	if (rc == IDN_OK && (rc = assign_tasks(o, &in, sc->n_tasks, task)))
		idn_fail(e, rc, "out of memory");
	if (rc == IDN_OK)
		rc = write_trace(o, &in, sc, src, task, e);
	if (rc == IDN_OK)
		notes(o, &in, sc->n_tasks);
	free(task);
	input_free(&in);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct cliopt_tool tool = {
		"idn-import", usage, long_opts, apply_opt, parse_operands,
		convert
	};
	struct import_opts o = {
		.time_scale = 1, .zipf_a = 1.0, .limit = UINT64_MAX,
	};

	return cliopt_main(&tool, &o, &o.c, argc, argv);
}
