/* idn-sweep - expand a grid of experiments into a Makefile, a GNU parallel
 * job list or a Slurm array script.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A spec (doc/sweep.md) lists scenarios, traces, policies with lists of
 * option values, seeds, slot lengths and alphas; the grid is their
 * Cartesian product, one idn-replay run per point.  idn-sweep runs
 * nothing: it writes the commands.  Every path in them is absolute (the
 * spec's relative paths are taken from the spec's directory) so the jobs
 * run from any directory and on any host that sees the same file system.
 *
 * Names are stable: a run is called after its configuration (policy,
 * options, alpha, slot, seed) inside a directory named after its scenario
 * and trace, so adding a line to a spec never renames the existing runs
 * and `make` reuses their results.  A generated trace depends on the
 * scenario, the generator arguments and the seed, and is shared by every
 * run with those three.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "err.h"
#include "output.h"
#include "strmap.h"

#define PROG "idn-sweep"
#define MAX_WORDS 64

enum mode { MODE_MAKE, MODE_PARALLEL, MODE_SLURM };

/* --- growable string -------------------------------------------------------- */

struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->s, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* Characters that need no shell quoting. */
static bool sh_plain(const char *s)
{
	return *s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	                    "qrstuvwxyz0123456789_./=:,+-@%") == strlen(s);
}

/* Append a space (unless first) and s as one shell word. */
static void sb_word(struct sbuf *b, const char *s)
{
	if (b->len)
		sb_puts(b, " ");
	if (sh_plain(s)) {
		sb_puts(b, s);
		return;
	}
	sb_puts(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			sb_puts(b, "'\\''");
		else
			sb_add(b, s, 1);
	}
	sb_puts(b, "'");
}

/* Take the string out of b (NULL if it ran out of memory). */
static char *sb_take(struct sbuf *b)
{
	char *s = b->oom ? NULL : b->s ? b->s : strdup("");

	if (b->oom)
		free(b->s);
	*b = (struct sbuf){ 0 };
	return s;
}

/* --- the spec ---------------------------------------------------------------- */

struct words {
	char *w[MAX_WORDS];
	size_t n;
};

struct policy_line {
	uint64_t line;
	char *name;
	size_t n_keys;
	char *key[MAX_WORDS];
	struct words val[MAX_WORDS];   /* the values of key[i] */
};

struct scen_def {
	uint64_t line;
	char *path, *id;
};

struct trace_def {
	uint64_t line;
	bool gen;
	char *path;                    /* file traces */
	char *id;
	struct words args;             /* idn-gen arguments */
};

struct spec {
	const char *file;
	char *dir;                     /* absolute base of relative paths */
	char *out;
	uint64_t out_line, seeds_line, slot_line, alpha_line;
	struct policy_line *pol;
	size_t n_pol;
	struct scen_def *scen;
	size_t n_scen;
	struct trace_def *tr;
	size_t n_tr;
	uint64_t *seed;
	size_t n_seed;
	struct words slot, alpha;      /* normalized numbers (fmt_double) */
};

/* One replay of the grid. */
struct run {
	const struct scen_def *sc;
	const struct trace_def *tr;
	const struct policy_line *pol;
	size_t combo;                  /* index into the option product */
	const char *alpha, *slot;
	uint64_t seed;
	char *set;                     /* "SCENARIO.TRACE": directory name */
	char *id;                      /* file name stem within set */
	char *trace;                   /* trace path read by the replay */
	bool gen_first;                /* first run using this generated trace */
};

struct sweep {
	struct spec sp;
	struct run *run;
	size_t n_run;
	const char *gen, *replay, *summary;   /* tool commands */
	bool tools_are_files;          /* absolute paths: make prerequisites */
	const char *policy_path;       /* IDN_POLICY_PATH or NULL */
};

static int spec_fail(struct idn_err *e, const struct spec *sp, uint64_t line,
                     const char *kw, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int spec_fail(struct idn_err *e, const struct spec *sp, uint64_t line,
                     const char *kw, const char *fmt, ...)
{
	char what[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return idn_fail(e, IDN_EDATA, "%s:%llu: %s: %s", sp->file,
	                (unsigned long long)line, kw, what);
}

static void words_free(struct words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->w[i]);
	w->n = 0;
}

static int words_add(struct words *w, const char *s, size_t n)
{
	if (w->n == MAX_WORDS)
		return IDN_EDATA;
	if (!(w->w[w->n] = strndup(s, n)))
		return IDN_ENOMEM;
	w->n++;
	return IDN_OK;
}

/* Split s at every character of sep (empty pieces kept). */
static int split(const char *s, const char *sep, struct words *w)
{
	int rc;

	for (;;) {
		size_t n = strcspn(s, sep);

		if ((rc = words_add(w, s, n)) != IDN_OK || !s[n])
			return rc;
		s += n + 1;
	}
}

/* Words of a line; a '#' starting a word starts a comment. */
static int tokenize(char *line, struct words *w)
{
	const char *ws = " \t\r\n\v\f";
	char *p = line;
	int rc = IDN_OK;

	while (rc == IDN_OK) {
		p += strspn(p, ws);
		if (!*p || *p == '#')
			break;
		size_t n = strcspn(p, ws);
		rc = words_add(w, p, n);
		p += n;
	}
	return rc;
}

/* base/p unless p is absolute; "./" prefixes dropped. */
static char *abs_path(const char *base, const char *p)
{
	struct sbuf b = { 0 };

	if (p[0] == '/')
		return strdup(p);
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	sb_puts(&b, base);
	if (strcmp(p, ".") != 0 && *p) {
		sb_puts(&b, "/");
		sb_puts(&b, p);
	}
	return sb_take(&b);
}

/* The last path component without the given suffixes. */
static char *base_name(const char *p, const char *const *suffixes)
{
	size_t n = strlen(p);
	const char *s;

	while (n > 1 && p[n - 1] == '/')
		n--;
	s = p + n;
	while (s > p && s[-1] != '/')
		s--;
	n -= (size_t)(s - p);
	for (; *suffixes; suffixes++) {
		size_t k = strlen(*suffixes);
		if (n > k && memcmp(s + n - k, *suffixes, k) == 0)
			n -= k;
	}
	return strndup(s, n);
}

/* An id component: characters outside [A-Za-z0-9.+-] become '-'. */
static void sb_id(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		bool ok = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		          (*s >= '0' && *s <= '9') || strchr(".+-", *s);
		sb_add(b, ok ? s : "-", 1);
	}
}

static int need_args(const struct spec *sp, uint64_t line,
                     const struct words *w, size_t lo, size_t hi,
                     const char *usage, struct idn_err *e)
{
	if (w->n - 1 < lo || w->n - 1 > hi)
		return spec_fail(e, sp, line, w->w[0], "expected '%s %s'",
		                 w->w[0], usage);
	return IDN_OK;
}

static int once(const struct spec *sp, uint64_t line, uint64_t *seen,
                const char *kw, struct idn_err *e)
{
	if (*seen)
		return spec_fail(e, sp, line, kw, "given twice (first on line "
		                 "%llu)", (unsigned long long)*seen);
	*seen = line;
	return IDN_OK;
}

/* Re-prefix a cli_real/cli_uint message with the spec position. */
static int number_fail(struct idn_err *e, const struct spec *sp,
                       uint64_t line, const char *kw)
{
	char msg[sizeof e->msg];

	snprintf(msg, sizeof msg, "%s", e->msg + 2 + strlen(kw) + 2);
	return spec_fail(e, sp, line, kw, "%s", msg);
}

/* `slot 10,30` / `alpha 0,1`: numbers, printed back by fmt_double. */
static int parse_numbers(struct spec *sp, uint64_t line, const char *kw,
                         const char *list, bool strict, struct words *out,
                         struct idn_err *e)
{
	struct words w = { 0 };
	int rc = split(list, ",", &w);

	for (size_t i = 0; rc == IDN_OK && i < w.n; i++) {
		char buf[32];
		double v;

		if (cli_real(kw, w.w[i], 0, strict, &v, e) != IDN_OK)
			rc = number_fail(e, sp, line, kw);
		else
			rc = words_add(out, buf, fmt_double(buf, v));
	}
	if (rc == IDN_EDATA && !e->msg[0])
		rc = spec_fail(e, sp, line, kw, "too many values");
	words_free(&w);
	return rc;
}

/* `seeds 1-5,9`: ranges and single seeds, no repeats. */
static int parse_seeds(struct spec *sp, uint64_t line, const char *list,
                       struct idn_err *e)
{
	struct words w = { 0 };
	int rc = split(list, ",", &w);

	for (size_t i = 0; rc == IDN_OK && i < w.n; i++) {
		char *dash = strchr(w.w[i], '-');
		uint64_t lo, hi;

		if (dash)
			*dash = '\0';
		if (cli_uint("seeds", w.w[i], UINT64_MAX, &lo, e) != IDN_OK ||
		    cli_uint("seeds", dash ? dash + 1 : w.w[i], UINT64_MAX,
		             &hi, e) != IDN_OK) {
			rc = number_fail(e, sp, line, "seeds");
			break;
		}
		if (hi < lo || hi - lo >= 1000000)
			rc = spec_fail(e, sp, line, "seeds", "bad range "
			               "'%s-%s'", w.w[i], dash + 1);
		for (uint64_t s = lo; rc == IDN_OK; s++) {
			for (size_t k = 0; k < sp->n_seed; k++)
				if (sp->seed[k] == s)
					rc = spec_fail(e, sp, line, "seeds",
					               "seed %llu given twice",
					               (unsigned long long)s);
			uint64_t *p = rc ? NULL : realloc(sp->seed,
			                   (sp->n_seed + 1) * sizeof *p);
			if (!rc && !p)
				rc = idn_fail(e, IDN_ENOMEM, "out of memory");
			if (rc)
				break;
			sp->seed = p;
			sp->seed[sp->n_seed++] = s;
			if (s == hi)
				break;
		}
	}
	words_free(&w);
	return rc;
}

/* Replace an existing path by its canonical form (no "..", no links). */
static int canonical(char **path, struct idn_err *e)
{
	char *p = realpath(*path, NULL);

	if (!p)
		return idn_fail(e, IDN_EDATA, "%s: %s", *path, strerror(errno));
	free(*path);
	*path = p;
	return IDN_OK;
}

/* Grow an array of structs by one zeroed element. */
static void *grow(void *arr, size_t *n, size_t size)
{
	char *p = realloc(arr, (*n + 1) * size);

	if (p) {
		memset(p + *n * size, 0, size);
		(*n)++;
	}
	return p;
}

static int add_scenario(struct spec *sp, uint64_t line, const char *path,
                        struct idn_err *e)
{
	static const char *const none[] = { NULL };
	struct scen_def *s = grow(sp->scen, &sp->n_scen, sizeof *s);
	struct stat st;

	if (!s)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	sp->scen = s;
	s += sp->n_scen - 1;
	s->line = line;
	if (!(s->path = abs_path(sp->dir, path)) ||
	    !(s->id = base_name(s->path, none)))
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	if (stat(s->path, &st) != 0 || !S_ISDIR(st.st_mode))
		return spec_fail(e, sp, line, "scenario", "not a directory: "
		                 "'%s'", s->path);
	return canonical(&s->path, e);
}

/* Generator arguments the sweep sets itself. */
static bool reserved_gen_arg(const char *a)
{
	static const char *const r[] = { "--seed", "--scenario", "--output",
	                                 "-o", NULL };

	for (const char *const *p = r; *p; p++) {
		size_t n = strlen(*p);
		if (strncmp(a, *p, n) == 0 && (a[n] == '\0' || a[n] == '='))
			return true;
	}
	return false;
}

/* The id of a generated trace: "gen" and its arguments. */
static char *gen_id(const struct words *args)
{
	struct sbuf b = { 0 };

	sb_puts(&b, "gen");
	for (size_t i = 0; i < args->n; i++) {
		sb_puts(&b, "-");
		sb_id(&b, args->w[i] + strspn(args->w[i], "-"));
	}
	return sb_take(&b);
}

/* `trace [ID] gen ARGS...` or `trace [ID] file PATH`. */
static int add_trace(struct spec *sp, uint64_t line, const struct words *w,
                     struct idn_err *e)
{
	static const char *const ext[] = { ".gz", ".csv", NULL };
	size_t k = 1;
	struct trace_def *t = grow(sp->tr, &sp->n_tr, sizeof *t);
	struct stat st;
	int rc = IDN_OK;

	if (!t)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	sp->tr = t;
	t += sp->n_tr - 1;
	t->line = line;
	if (w->n > 2 && strcmp(w->w[1], "gen") && strcmp(w->w[1], "file"))
		k = 2;          /* an explicit id */
	if (w->n <= k || (strcmp(w->w[k], "gen") && strcmp(w->w[k], "file")))
		return spec_fail(e, sp, line, "trace", "expected 'trace [ID] "
		                 "gen ARGS...' or 'trace [ID] file PATH'");
	t->gen = strcmp(w->w[k], "gen") == 0;
	if (t->gen) {
		for (size_t i = k + 1; rc == IDN_OK && i < w->n; i++) {
			if (reserved_gen_arg(w->w[i]))
				return spec_fail(e, sp, line, "trace", "'%s' is "
				                 "set by idn-sweep", w->w[i]);
			rc = words_add(&t->args, w->w[i], strlen(w->w[i]));
		}
		t->id = k == 2 ? strdup(w->w[1]) : gen_id(&t->args);
	} else {
		if (w->n != k + 2)
			return spec_fail(e, sp, line, "trace", "expected 'trace "
			                 "[ID] file PATH'");
		t->path = abs_path(sp->dir, w->w[k + 1]);
		if (!t->path)
			return idn_fail(e, IDN_ENOMEM, "out of memory");
		t->id = k == 2 ? strdup(w->w[1]) : base_name(t->path, ext);
		if (stat(t->path, &st) != 0 || !S_ISREG(st.st_mode))
			return spec_fail(e, sp, line, "trace", "no such file: "
			                 "'%s'", t->path);
		if ((rc = canonical(&t->path, e)) != IDN_OK)
			return rc;
	}
	if (rc != IDN_OK || !t->id)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	return IDN_OK;
}

/* `policy NAME [KEY=V1,V2,...]...` */
static int add_policy(struct spec *sp, uint64_t line, const struct words *w,
                      struct idn_err *e)
{
	struct policy_line *p = grow(sp->pol, &sp->n_pol, sizeof *p);
	int rc = IDN_OK;

	if (!p)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	sp->pol = p;
	p += sp->n_pol - 1;
	p->line = line;
	if (!(p->name = strdup(w->w[1])))
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	for (size_t i = 2; rc == IDN_OK && i < w->n; i++) {
		char *eq = strchr(w->w[i], '=');

		if (!eq || eq == w->w[i])
			return spec_fail(e, sp, line, "policy", "expected "
			                 "KEY=VALUE[,VALUE...]: '%s'", w->w[i]);
		*eq = '\0';
		for (size_t j = 0; j < p->n_keys; j++)
			if (strcmp(p->key[j], w->w[i]) == 0)
				return spec_fail(e, sp, line, "policy", "option "
				                 "'%s' given twice", w->w[i]);
		if (!(p->key[p->n_keys] = strdup(w->w[i])))
			return idn_fail(e, IDN_ENOMEM, "out of memory");
		rc = split(eq + 1, ",", &p->val[p->n_keys++]);
		for (size_t j = 0; rc == IDN_OK && j < p->val[i - 2].n; j++)
			if (!p->val[i - 2].w[j][0])
				return spec_fail(e, sp, line, "policy", "empty "
				                 "value of '%s'", w->w[i]);
	}
	return rc;
}

static int parse_line(struct spec *sp, uint64_t line, struct words *w,
                      struct idn_err *e)
{
	const char *kw = w->w[0];
	int rc;

	if (strcmp(kw, "out") == 0) {
		if ((rc = need_args(sp, line, w, 1, 1, "DIR", e)) ||
		    (rc = once(sp, line, &sp->out_line, kw, e)))
			return rc;
		sp->out = abs_path(sp->dir, w->w[1]);
		return sp->out ? IDN_OK : idn_fail(e, IDN_ENOMEM, "out of "
		                                   "memory");
	}
	if (strcmp(kw, "scenario") == 0)
		return need_args(sp, line, w, 1, 1, "DIR", e) ||
		       add_scenario(sp, line, w->w[1], e);
	if (strcmp(kw, "trace") == 0)
		return add_trace(sp, line, w, e);
	if (strcmp(kw, "policy") == 0)
		return need_args(sp, line, w, 1, MAX_WORDS,
		                 "NAME [KEY=VALUE[,VALUE...]]...", e) ||
		       add_policy(sp, line, w, e);
	if (strcmp(kw, "seeds") == 0)
		return need_args(sp, line, w, 1, 1, "N[-M][,...]", e) ||
		       once(sp, line, &sp->seeds_line, kw, e) ||
		       parse_seeds(sp, line, w->w[1], e);
	if (strcmp(kw, "slot") == 0)
		return need_args(sp, line, w, 1, 1, "D[,D...]", e) ||
		       once(sp, line, &sp->slot_line, kw, e) ||
		       parse_numbers(sp, line, kw, w->w[1], true, &sp->slot, e);
	if (strcmp(kw, "alpha") == 0)
		return need_args(sp, line, w, 1, 1, "A[,A...]", e) ||
		       once(sp, line, &sp->alpha_line, kw, e) ||
		       parse_numbers(sp, line, kw, w->w[1], false, &sp->alpha,
		                     e);
	return spec_fail(e, sp, line, kw, "unknown keyword (expected out, "
	                 "scenario, trace, policy, seeds, slot or alpha)");
}

/* Defaults and the lines a grid cannot do without. */
static int spec_finish(struct spec *sp, const char *out_opt,
                       struct idn_err *e)
{
	static const char *const need[] = { "scenario", "trace", "policy" };
	size_t have[] = { sp->n_scen, sp->n_tr, sp->n_pol };
	char cwd[PATH_MAX];

	for (size_t i = 0; i < 3; i++)
		if (!have[i])
			return idn_fail(e, IDN_EDATA, "%s: no '%s' line",
			                sp->file, need[i]);
	if (out_opt) {
		free(sp->out);
		if (!getcwd(cwd, sizeof cwd))
			return idn_fail(e, IDN_EIO, "getcwd: %s",
			                strerror(errno));
		sp->out = abs_path(cwd, out_opt);
	} else if (!sp->out) {
		return idn_fail(e, IDN_EDATA, "%s: no 'out' line (or --out)",
		                sp->file);
	}
	if ((!sp->slot.n && words_add(&sp->slot, "1", 1)) ||
	    (!sp->alpha.n && words_add(&sp->alpha, "1", 1)) || !sp->out)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	if (!sp->n_seed) {
		if (!(sp->seed = malloc(sizeof *sp->seed)))
			return idn_fail(e, IDN_ENOMEM, "out of memory");
		sp->seed[sp->n_seed++] = 1;
	}
	return IDN_OK;
}

/* The directory of the spec file, absolute (cwd for standard input). */
static int spec_dir(struct spec *sp, struct idn_err *e)
{
	char buf[PATH_MAX];
	const char *slash = strrchr(sp->file, '/');
	char *d;

	if (strcmp(sp->file, "-") == 0 || !slash)
		d = strdup(".");
	else
		d = strndup(sp->file, slash == sp->file ? 1 : slash - sp->file);
	if (!d)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	if (!realpath(d, buf)) {
		free(d);
		return idn_fail(e, IDN_EDATA, "%s: %s", sp->file,
		                strerror(errno));
	}
	free(d);
	sp->dir = strdup(buf);
	return sp->dir ? IDN_OK : idn_fail(e, IDN_ENOMEM, "out of memory");
}

static int spec_load(struct spec *sp, const char *file, const char *out_opt,
                     struct idn_err *e)
{
	bool std = strcmp(file, "-") == 0;
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	uint64_t no = 0;
	int rc;

	sp->file = std ? "<stdin>" : file;
	if ((rc = spec_dir(sp, e)) != IDN_OK)
		return rc;
	if (!(f = std ? stdin : fopen(file, "r")))
		return idn_fail(e, IDN_EDATA, "%s: cannot open: %s", file,
		                strerror(errno));
	while (rc == IDN_OK && getline(&line, &cap, f) >= 0) {
		struct words w = { 0 };

		no++;
		rc = tokenize(line, &w);
		if (rc == IDN_EDATA)
			rc = spec_fail(e, sp, no, w.w[0], "more than %d words",
			               MAX_WORDS);
		else if (rc == IDN_OK && w.n)
			rc = parse_line(sp, no, &w, e);
		words_free(&w);
	}
	if (rc == IDN_OK && ferror(f))
		rc = idn_fail(e, IDN_EIO, "%s: read error", sp->file);
	free(line);
	if (!std)
		fclose(f);
	if (rc == IDN_ENOMEM && !e->msg[0])
		idn_fail(e, rc, "out of memory");
	return rc == IDN_OK ? spec_finish(sp, out_opt, e) : rc;
}

static void spec_free(struct spec *sp)
{
	for (size_t i = 0; i < sp->n_pol; i++) {
		free(sp->pol[i].name);
		for (size_t k = 0; k < sp->pol[i].n_keys; k++) {
			free(sp->pol[i].key[k]);
			words_free(&sp->pol[i].val[k]);
		}
	}
	for (size_t i = 0; i < sp->n_scen; i++) {
		free(sp->scen[i].path);
		free(sp->scen[i].id);
	}
	for (size_t i = 0; i < sp->n_tr; i++) {
		free(sp->tr[i].path);
		free(sp->tr[i].id);
		words_free(&sp->tr[i].args);
	}
	words_free(&sp->slot);
	words_free(&sp->alpha);
	free(sp->pol);
	free(sp->scen);
	free(sp->tr);
	free(sp->seed);
	free(sp->dir);
	free(sp->out);
}

/* --- the grid ---------------------------------------------------------------- */

static size_t n_combos(const struct policy_line *p)
{
	size_t n = 1;

	for (size_t k = 0; k < p->n_keys; k++)
		n *= p->val[k].n;
	return n;
}

/* Value of option k in combination c (mixed radix, last key fastest). */
static const char *combo_value(const struct policy_line *p, size_t c,
                               size_t k)
{
	for (size_t j = p->n_keys; j-- > k + 1;)
		c /= p->val[j].n;
	return p->val[k].w[c % p->val[k].n];
}

/* "POLICY_key-value_..._aALPHA_dSLOT_sSEED" */
static char *run_id(const struct run *r)
{
	struct sbuf b = { 0 };
	char seed[24];

	sb_id(&b, r->pol->name);
	for (size_t k = 0; k < r->pol->n_keys; k++) {
		sb_puts(&b, "_");
		sb_id(&b, r->pol->key[k]);
		sb_puts(&b, "-");
		sb_id(&b, combo_value(r->pol, r->combo, k));
	}
	fmt_u64(seed, r->seed);
	sb_puts(&b, "_a");
	sb_id(&b, r->alpha);
	sb_puts(&b, "_d");
	sb_id(&b, r->slot);
	sb_puts(&b, "_s");
	sb_puts(&b, seed);
	return sb_take(&b);
}

/* Path relative to the out directory of a run's files (no suffix) or of
 * its generated trace. */
static char *run_stem(const struct run *r)
{
	struct sbuf b = { 0 };

	sb_puts(&b, "runs/");
	sb_puts(&b, r->set);
	sb_puts(&b, "/");
	sb_puts(&b, r->id);
	return sb_take(&b);
}

static char *gen_trace_path(const struct sweep *sw, const struct run *r)
{
	struct sbuf b = { 0 };
	char seed[24];

	fmt_u64(seed, r->seed);
	sb_puts(&b, sw->sp.out);
	sb_puts(&b, "/traces/");
	sb_puts(&b, r->set);
	sb_puts(&b, "/s");
	sb_puts(&b, seed);
	sb_puts(&b, ".csv.gz");
	return sb_take(&b);
}

/* Blame the line that made run r take the name of the earlier run o. */
static int name_clash(const struct sweep *sw, const struct run *r,
                      const struct run *o, const char *name,
                      struct idn_err *e)
{
	const struct spec *sp = &sw->sp;

	if (r->tr != o->tr)
		return spec_fail(e, sp, r->tr->line, "trace", "id '%s' already "
		                 "names the trace of line %llu; give one an id "
		                 "('trace ID gen|file ...')", r->tr->id,
		                 (unsigned long long)o->tr->line);
	if (r->sc != o->sc)
		return spec_fail(e, sp, r->sc->line, "scenario", "name '%s' "
		                 "already names the scenario of line %llu",
		                 r->sc->id, (unsigned long long)o->sc->line);
	return spec_fail(e, sp, r->pol->line, "policy", "run '%s' has the "
	                 "name of a run of line %llu (characters outside "
	                 "A-Za-z0-9.+- become '-')", name,
	                 (unsigned long long)o->pol->line);
}

/* Two configurations with the same name would overwrite each other. */
static int check_unique(struct sweep *sw, struct strmap *names,
                        struct strmap *traces, size_t i, struct idn_err *e)
{
	struct run *r = &sw->run[i];
	char *stem = run_stem(r);
	int rc;

	if (!stem)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	rc = strmap_put(names, stem, strlen(stem), (uint32_t)i);
	if (rc == IDN_EDATA)
		rc = name_clash(sw, r, &sw->run[strmap_get(names, stem,
		                                           strlen(stem))],
		                stem, e);
	free(stem);
	if (rc == IDN_OK && r->tr->gen) {
		rc = strmap_put(traces, r->trace, strlen(r->trace), 0);
		r->gen_first = rc == IDN_OK;
		if (rc == IDN_EDATA)
			rc = IDN_OK;
	}
	return rc == IDN_ENOMEM ? idn_fail(e, rc, "out of memory") : rc;
}

static int add_run(struct sweep *sw, struct run r, struct idn_err *e)
{
	struct sbuf set = { 0 };
	struct run *p = grow(sw->run, &sw->n_run, sizeof *p);

	if (!p)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	sw->run = p;
	sb_id(&set, r.sc->id);
	sb_puts(&set, ".");
	sb_id(&set, r.tr->id);
	r.set = sb_take(&set);
	r.id = r.set ? run_id(&r) : NULL;
	r.trace = !r.id ? NULL : r.tr->gen ? gen_trace_path(sw, &r)
	                                   : strdup(r.tr->path);
	p[sw->n_run - 1] = r;
	return r.trace ? IDN_OK : idn_fail(e, IDN_ENOMEM, "out of memory");
}

/* Scenario, trace, policy line, options, alpha, slot, seed: the seed
 * varies fastest so that a configuration's runs are listed together. */
static int expand(struct sweep *sw, struct idn_err *e)
{
	const struct spec *sp = &sw->sp;
	int rc = IDN_OK;

	for (size_t a = 0; a < sp->n_scen; a++)
	for (size_t b = 0; b < sp->n_tr; b++)
	for (size_t c = 0; c < sp->n_pol; c++)
	for (size_t d = 0; d < n_combos(&sp->pol[c]); d++)
	for (size_t f = 0; f < sp->alpha.n; f++)
	for (size_t g = 0; g < sp->slot.n; g++)
	for (size_t h = 0; h < sp->n_seed; h++) {
		struct run r = {
			.sc = &sp->scen[a], .tr = &sp->tr[b],
			.pol = &sp->pol[c], .combo = d,
			.alpha = sp->alpha.w[f], .slot = sp->slot.w[g],
			.seed = sp->seed[h],
		};
		if (sw->n_run >= UINT32_MAX - 1)
			return idn_fail(e, IDN_EDATA, "%s: too many runs",
			                sp->file);
		if ((rc = add_run(sw, r, e)) != IDN_OK)
			return rc;
	}
	return IDN_OK;
}

static int check_names(struct sweep *sw, struct idn_err *e)
{
	struct strmap *names = strmap_new(), *traces = strmap_new();
	int rc = names && traces ? IDN_OK
	                         : idn_fail(e, IDN_ENOMEM, "out of memory");

	for (size_t i = 0; rc == IDN_OK && i < sw->n_run; i++)
		rc = check_unique(sw, names, traces, i, e);
	strmap_free(names);
	strmap_free(traces);
	return rc;
}

static void runs_free(struct sweep *sw)
{
	for (size_t i = 0; i < sw->n_run; i++) {
		free(sw->run[i].set);
		free(sw->run[i].id);
		free(sw->run[i].trace);
	}
	free(sw->run);
}

/* --- commands ------------------------------------------------------------------ */

static const char *const scenario_files[] = {
	"nodes.csv", "links.csv", "models.csv", "profiles.csv", "pinned.csv",
	NULL
};

static char *gen_command(const struct sweep *sw, const struct run *r)
{
	struct sbuf b = { 0 };
	char seed[24];

	fmt_u64(seed, r->seed);
	sb_word(&b, sw->gen);
	sb_word(&b, "--scenario");
	sb_word(&b, r->sc->path);
	for (size_t i = 0; i < r->tr->args.n; i++)
		sb_word(&b, r->tr->args.w[i]);
	sb_word(&b, "--seed");
	sb_word(&b, seed);
	sb_word(&b, "-o");
	sb_word(&b, r->trace);
	return sb_take(&b);
}

/* a b c joined (NULL if out of memory). */
static char *concat3(const char *a, const char *b, const char *c)
{
	struct sbuf s = { 0 };

	sb_puts(&s, a);
	sb_puts(&s, b);
	sb_puts(&s, c);
	return sb_take(&s);
}

/* OUT/runs/SET/ID + suffix */
static char *run_file(const struct sweep *sw, const struct run *r,
                      const char *suffix)
{
	char *stem = run_stem(r);
	char *p = stem ? concat3(sw->sp.out, "/", stem) : NULL;
	char *f = p ? concat3(p, suffix, "") : NULL;

	free(stem);
	free(p);
	return f;
}

static char *replay_command(const struct sweep *sw, const struct run *r)
{
	struct sbuf b = { 0 };
	char seed[24];
	char *csv = run_file(sw, r, ".csv"), *sum = run_file(sw, r, ".summary");

	fmt_u64(seed, r->seed);
	sb_word(&b, sw->replay);
	sb_word(&b, "--scenario");
	sb_word(&b, r->sc->path);
	sb_word(&b, "--policy");
	sb_word(&b, r->pol->name);
	for (size_t k = 0; k < r->pol->n_keys; k++) {
		char *kv = concat3(r->pol->key[k], "=",
		                   combo_value(r->pol, r->combo, k));
		sb_word(&b, "-O");
		if (kv)
			sb_word(&b, kv);
		b.oom |= !kv;
		free(kv);
	}
	sb_word(&b, "--slot");
	sb_word(&b, r->slot);
	sb_word(&b, "--alpha");
	sb_word(&b, r->alpha);
	sb_word(&b, "--seed");
	sb_word(&b, seed);
	b.oom |= !csv || !sum;
	if (!b.oom) {
		sb_word(&b, "--summary");
		sb_word(&b, sum);
		sb_word(&b, "-o");
		sb_word(&b, csv);
		sb_word(&b, r->trace);
	}
	free(csv);
	free(sum);
	return sb_take(&b);
}

static char *dir_of(const char *p)
{
	const char *s = strrchr(p, '/');

	return strndup(p, s ? (size_t)(s - p) : 0);
}

/* One self-contained shell command per run for parallel and Slurm: a
 * generated trace is made by the first job that needs it; jobs that race
 * for it write identical bytes and rename them into place atomically, so
 * a race costs time, never correctness. */
static char *job_command(const struct sweep *sw, const struct run *r)
{
	struct sbuf b = { 0 };
	bool gen = r->tr->gen;
	char *replay = replay_command(sw, r);
	char *gen_cmd = gen ? gen_command(sw, r) : NULL;
	char *csv = run_file(sw, r, ".csv");
	char *rdir = csv ? dir_of(csv) : NULL;
	char *tdir = gen ? dir_of(r->trace) : NULL;
	char *env = sw->policy_path ? concat3("IDN_POLICY_PATH=",
	                                      sw->policy_path, "") : NULL;

	b.oom = !replay || !rdir || (gen && (!gen_cmd || !tdir)) ||
	        (sw->policy_path && !env);
	sb_word(&b, "mkdir");
	sb_word(&b, "-p");
	if (!b.oom)
		sb_word(&b, rdir);
	if (gen && !b.oom) {
		sb_word(&b, tdir);
		sb_puts(&b, " && { test -e");
		sb_word(&b, r->trace);
		sb_puts(&b, " || ");
		sb_puts(&b, gen_cmd);
		sb_puts(&b, "; }");
	}
	sb_puts(&b, " &&");
	if (env)
		sb_word(&b, env);
	if (!b.oom) {
		sb_puts(&b, " ");
		sb_puts(&b, replay);
	}
	free(replay);
	free(gen_cmd);
	free(csv);
	free(rdir);
	free(tdir);
	free(env);
	return sb_take(&b);
}

/* --- outputs ------------------------------------------------------------------- */

/* Make cannot name files with these characters in rules. */
static int make_safe(const char *p, const char *what, struct idn_err *e)
{
	size_t bad = strcspn(p, " \t\n\r\v\f:#$%\\*?[]=;()'\"`|&<>{}");

	if (p[bad])
		return idn_fail(e, IDN_EUSAGE, "%s '%s' has a character "
		                "('%c') that a Makefile cannot name; use "
		                "--parallel or --slurm", what, p, p[bad]);
	return IDN_OK;
}

static int make_check(const struct sweep *sw, struct idn_err *e)
{
	const struct spec *sp = &sw->sp;
	int rc = make_safe(sp->out, "the out directory", e);

	for (size_t i = 0; rc == IDN_OK && i < sp->n_scen; i++)
		rc = make_safe(sp->scen[i].path, "scenario", e);
	for (size_t i = 0; rc == IDN_OK && i < sp->n_tr; i++)
		if (!sp->tr[i].gen)
			rc = make_safe(sp->tr[i].path, "trace", e);
	if (rc == IDN_OK && sw->tools_are_files)
		rc = make_safe(sw->replay, "tool", e);
	return rc;
}

/* A recipe line: the shell command with make's '$' doubled. */
static void put_recipe(struct outfile *o, const char *cmd)
{
	outfile_puts(o, "\t");
	for (const char *s = cmd; *s; s++)
		outfile_puts(o, *s == '$' ? "$$" : (char[2]){ *s, 0 });
	outfile_puts(o, "\n");
}

/* A path in a rule, under $(O) when it is in the out directory. */
static void put_o_path(struct outfile *o, const struct sweep *sw,
                       const char *p)
{
	size_t n = strlen(sw->sp.out);

	if (strncmp(p, sw->sp.out, n) == 0 && p[n] == '/') {
		outfile_puts(o, "$(O)");
		p += n;
	}
	outfile_puts(o, p);
}

/* A prerequisite. */
static void put_make_path(struct outfile *o, const struct sweep *sw,
                          const char *p)
{
	outfile_puts(o, " ");
	put_o_path(o, sw, p);
}

/* "\n# COMMENT\nTARGET:" */
static void put_target(struct outfile *o, const struct sweep *sw,
                       const char *comment, const char *p)
{
	outfile_printf(o, "\n# %s\n", comment);
	put_o_path(o, sw, p);
	outfile_puts(o, ":");
}

static void put_scenario_files(struct outfile *o, const struct sweep *sw,
                               const struct scen_def *sc)
{
	for (const char *const *f = scenario_files; *f; f++) {
		char *p = concat3(sc->path, "/", *f);
		if (p)
			put_make_path(o, sw, p);
		free(p);
	}
}

/* TARGET: [INPUT] [TOOL] SCENARIO-FILES, then the command. */
static void make_rule(struct outfile *o, const struct sweep *sw,
                      const char *comment, const char *target,
                      const char *input, const char *tool,
                      const struct run *r, const char *cmd)
{
	put_target(o, sw, comment, target);
	if (input)
		put_make_path(o, sw, input);
	if (sw->tools_are_files)
		put_make_path(o, sw, tool);
	put_scenario_files(o, sw, r->sc);
	outfile_puts(o, "\n\t@mkdir -p $(@D)\n");
	put_recipe(o, cmd);
}

static int make_trace_rule(struct outfile *o, const struct sweep *sw,
                           const struct run *r)
{
	char *cmd = gen_command(sw, r), what[160];

	if (!cmd)
		return IDN_ENOMEM;
	snprintf(what, sizeof what, "trace line %llu, seed %llu",
	         (unsigned long long)r->tr->line, (unsigned long long)r->seed);
	make_rule(o, sw, what, r->trace, NULL, sw->gen, r, cmd);
	free(cmd);
	return IDN_OK;
}

static int make_run_rule(struct outfile *o, const struct sweep *sw,
                         const struct run *r)
{
	char *cmd = replay_command(sw, r), what[160];
	char *sum = run_file(sw, r, ".summary");
	int rc = cmd && sum ? IDN_OK : IDN_ENOMEM;

	snprintf(what, sizeof what, "policy line %llu, seed %llu",
	         (unsigned long long)r->pol->line, (unsigned long long)r->seed);
	if (rc == IDN_OK)
		make_rule(o, sw, what, sum, r->trace, sw->replay, r, cmd);
	free(cmd);
	free(sum);
	return rc;
}

/* "NAME = \" and the summaries (or first uses of generated traces). */
static void put_list(struct outfile *o, const struct sweep *sw,
                     const char *name, bool traces)
{
	outfile_printf(o, "%s =", name);
	for (size_t i = 0; i < sw->n_run; i++) {
		const struct run *r = &sw->run[i];
		char *sum = traces ? NULL : run_file(sw, r, ".summary");

		if (traces ? r->gen_first : sum != NULL) {
			outfile_puts(o, " \\\n  ");
			put_make_path(o, sw, traces ? r->trace : sum);
		}
		free(sum);
	}
	outfile_puts(o, "\n");
}

static int write_make(struct outfile *o, const struct sweep *sw)
{
	struct sbuf b = { 0 };
	int rc = IDN_OK;

	outfile_printf(o, "# Generated by idn-sweep from %s: %zu runs.\n"
	               "# Run: make -j N -f THIS_FILE   (all replays, then "
	               "summary.csv)\n\nO = %s\n", sw->sp.file, sw->n_run,
	               sw->sp.out);
	put_list(o, sw, "SUMMARIES", false);
	put_list(o, sw, "TRACES", true);
	if (sw->policy_path)
		outfile_printf(o, "IDN_POLICY_PATH ?= %s\n", sw->policy_path);
	outfile_puts(o, "export IDN_POLICY_PATH\n\n.DELETE_ON_ERROR:\n"
	             ".PHONY: all runs traces summary.csv clean\n"
	             "all: $(O)/summary.csv\nsummary.csv: $(O)/summary.csv\n"
	             "runs: $(SUMMARIES)\ntraces: $(TRACES)\n"
	             "clean:\n\trm -rf $(O)/runs $(O)/traces "
	             "$(O)/summary.csv\n\n$(O)/summary.csv: $(SUMMARIES)");
	if (sw->tools_are_files)
		put_make_path(o, sw, sw->summary);
	sb_word(&b, sw->summary);
	if (b.oom)
		return IDN_ENOMEM;
	outfile_printf(o, "\n\t%s -o $@ $(SUMMARIES)\n", b.s);
	free(sb_take(&b));
	for (size_t i = 0; rc == IDN_OK && i < sw->n_run; i++)
		if (sw->run[i].gen_first)
			rc = make_trace_rule(o, sw, &sw->run[i]);
	for (size_t i = 0; rc == IDN_OK && i < sw->n_run; i++)
		rc = make_run_rule(o, sw, &sw->run[i]);
	return rc;
}

static int write_jobs(struct outfile *o, const struct sweep *sw)
{
	for (size_t i = 0; i < sw->n_run; i++) {
		char *cmd = job_command(sw, &sw->run[i]);

		if (!cmd)
			return IDN_ENOMEM;
		outfile_printf(o, "%s\n", cmd);
		free(cmd);
	}
	return IDN_OK;
}

/* Array task i runs line i+1 of the job list kept in a here-document.
 * The same file runs one task by hand: SLURM_ARRAY_TASK_ID=0 bash FILE. */
static int write_slurm(struct outfile *o, const struct sweep *sw)
{
	outfile_printf(o, "#!/bin/bash\n"
	               "# Generated by idn-sweep from %s: %zu runs, one per "
	               "array task.\n# Submit: sbatch THIS_FILE; then "
	               "summarize: idn-summary -o %s/summary.csv %s/runs\n"
	               "#SBATCH --job-name=idn-sweep\n"
	               "#SBATCH --array=0-%zu\n"
	               "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n"
	               "set -eu\n"
	               "task=${SLURM_ARRAY_TASK_ID:?run with sbatch, or set "
	               "SLURM_ARRAY_TASK_ID}\n"
	               "job=$(sed -n \"$((task + 1))p\" <<'IDN_SWEEP_JOBS'\n",
	               sw->sp.file, sw->n_run, sw->sp.out, sw->sp.out,
	               sw->n_run - 1);
	if (write_jobs(o, sw) != IDN_OK)
		return IDN_ENOMEM;
	outfile_puts(o, "IDN_SWEEP_JOBS\n)\n"
	             "[ -n \"$job\" ] || { echo \"$0: no job $task\" >&2; "
	             "exit 2; }\nexec /bin/sh -c \"$job\"\n");
	return IDN_OK;
}

/* --- main -------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fputs("Usage: " PROG " SPEC [--make|--parallel|--slurm] [OPTION]...\n"
	      "Expand the experiment grid of SPEC (doc/sweep.md; '-' for "
	      "standard input)\ninto commands that run it.\n"
	      "\n"
	      "      --make          a Makefile: make -j N -f FILE (default)\n"
	      "      --parallel      a job list, one command per line: "
	      "parallel --jobs N < FILE\n"
	      "      --slurm         a Slurm array job script: sbatch FILE\n"
	      "      --out DIR       results directory (overrides the spec's "
	      "'out' line)\n"
	      "      --bindir DIR    where idn-gen, idn-replay and "
	      "idn-summary are (default:\n"
	      "                      the directory of " PROG ", else PATH)\n"
	      "  -o, --output FILE   output file, - for standard output "
	      "(default: -)\n"
	      "  -h, --help          show this help and exit\n"
	      "      --version       show the version and exit\n"
	      "\nExit status: 0 success, 1 bad spec, 2 bad usage.\n", f);
}

struct args {
	const char *spec, *out, *outdir, *bindir;
	enum mode mode;
};

static int parse_args(int argc, char **argv, struct args *a, bool *done,
                      struct idn_err *e)
{
	enum { O_MAKE = 256, O_PAR, O_SLURM, O_OUT, O_BIN, O_VER };
	static const struct option lo[] = {
		{ "make", no_argument, NULL, O_MAKE },
		{ "parallel", no_argument, NULL, O_PAR },
		{ "slurm", no_argument, NULL, O_SLURM },
		{ "out", required_argument, NULL, O_OUT },
		{ "bindir", required_argument, NULL, O_BIN },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, O_VER },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", lo, NULL)) != -1) {
		switch (c) {
		case O_MAKE: a->mode = MODE_MAKE; break;
		case O_PAR: a->mode = MODE_PARALLEL; break;
		case O_SLURM: a->mode = MODE_SLURM; break;
		case O_OUT: a->outdir = optarg; break;
		case O_BIN: a->bindir = optarg; break;
		case 'o': a->out = optarg; break;
		case 'h':
			usage(stdout);
			*done = true;
			return IDN_OK;
		case O_VER:
			cli_version(PROG);
			*done = true;
			return IDN_OK;
		case ':':
			return idn_fail(e, IDN_EUSAGE, "option '%s' needs an "
			                "argument", argv[optind - 1]);
		default:
			return idn_fail(e, IDN_EUSAGE, "unknown option '%s' "
			                "(try --help)", argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return idn_fail(e, IDN_EUSAGE, optind < argc ? "one SPEC "
		                "expected (try --help)" : "missing SPEC (try "
		                "--help)");
	a->spec = argv[optind];
	return IDN_OK;
}

/* The tools: in --bindir, else next to this program (a libtool build
 * runs it from .libs/, the tools' wrappers are one level up), else PATH. */
static int find_tools(struct sweep *sw, const char *bindir, char **dir,
                      struct idn_err *e)
{
	char buf[PATH_MAX], cwd[PATH_MAX];
	ssize_t n;

	*dir = NULL;
	if (bindir) {
		if (!getcwd(cwd, sizeof cwd))
			return idn_fail(e, IDN_EIO, "getcwd: %s",
			                strerror(errno));
		*dir = abs_path(cwd, bindir);
	} else if ((n = readlink("/proc/self/exe", buf, sizeof buf - 1)) > 0) {
		buf[n] = '\0';
		*strrchr(buf, '/') = '\0';
		n = (ssize_t)strlen(buf);
		if (n >= 6 && strcmp(buf + n - 6, "/.libs") == 0)
			buf[n - 6] = '\0';
		*dir = strdup(buf);
	}
	if (*dir) {
		char *replay = concat3(*dir, "/", "idn-replay");
		bool ok = replay && access(replay, X_OK) == 0;

		free(replay);
		if (!ok && bindir)
			return idn_fail(e, IDN_EUSAGE, "--bindir: no idn-replay "
			                "in '%s'", *dir);
		if (!ok) {
			free(*dir);
			*dir = NULL;
		}
	}
	sw->tools_are_files = *dir != NULL;
	return IDN_OK;
}

static int run(const struct args *a, struct idn_err *e)
{
	struct sweep sw = { .policy_path = getenv("IDN_POLICY_PATH") };
	char *dir = NULL, *tool[3] = { NULL, NULL, NULL };
	static const char *const names[] = { "idn-gen", "idn-replay",
	                                     "idn-summary" };
	struct outfile *o = NULL;
	int rc = find_tools(&sw, a->bindir, &dir, e);

	for (int i = 0; rc == IDN_OK && i < 3; i++)
		if (!(tool[i] = dir ? concat3(dir, "/", names[i])
		                    : strdup(names[i])))
			rc = idn_fail(e, IDN_ENOMEM, "out of memory");
	sw.gen = tool[0];
	sw.replay = tool[1];
	sw.summary = tool[2];
	if (sw.policy_path && !*sw.policy_path)
		sw.policy_path = NULL;
	if (rc == IDN_OK)
		rc = spec_load(&sw.sp, a->spec, a->outdir, e);
	if (rc == IDN_OK)
		rc = expand(&sw, e);
	if (rc == IDN_OK)
		rc = check_names(&sw, e);
	if (rc == IDN_OK && a->mode == MODE_MAKE)
		rc = make_check(&sw, e);
	if (rc == IDN_OK)
		rc = outfile_open(&o, a->out, 0, e);
	if (rc == IDN_OK) {
		rc = a->mode == MODE_MAKE ? write_make(o, &sw)
		   : a->mode == MODE_SLURM ? write_slurm(o, &sw)
		   : write_jobs(o, &sw);
		if (rc == IDN_OK)
			rc = outfile_commit(o, e);
		else
			outfile_abort(o);
		if (rc == IDN_ENOMEM)
			idn_fail(e, rc, "out of memory");
	}
	runs_free(&sw);
	spec_free(&sw.sp);
	for (int i = 0; i < 3; i++)
		free(tool[i]);
	free(dir);
	return rc;
}

int main(int argc, char **argv)
{
	struct args a = { .out = "-", .mode = MODE_MAKE };
	struct idn_err e = { "" };
	bool done = false;
	int rc;

	outfile_install_signal_cleanup();
	rc = parse_args(argc, argv, &a, &done, &e);
	if (rc == IDN_OK && !done)
		rc = run(&a, &e);
	if (done && rc == IDN_OK && fflush(stdout) != 0)
		rc = idn_fail(&e, IDN_EIO, "write error on standard output");
	return cli_finish(PROG, rc, &e);
}
