/* cliopt.c - the option loop shared by the tools, and the trace tools'
 * shared options and main().
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>
#include "cli.h"
#include "cliopt.h"
#include "output.h"
#include "sources.h"

int cliopt_parse(int argc, char **argv, const struct option *longopts,
                 cliopt_apply_fn apply, void *opts, bool *done,
                 struct idn_err *e)
{
	int c, rc;

	*done = false;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
		if (c == '?')
			return idn_fail(e, IDN_EUSAGE, "unknown option '%s' "
			                "(try --help)", argv[optind - 1]);
		if (c == ':')
			return idn_fail(e, IDN_EUSAGE, "option '%s' needs an "
			                "argument", argv[optind - 1]);
		if ((rc = apply(opts, c, optarg, done, e)) != IDN_OK || *done)
			return rc;
	}
	return IDN_OK;
}

bool cliopt_info(int c, const char *prog, void (*usage)(FILE *f),
                 bool *done)
{
	if (c == 'h')
		usage(stdout);
	else if (c == 'V')
		cli_version(prog);
	else
		return false;
	*done = true;
	return true;
}

/* What apply_trace needs: the tool, its options and the shared ones. */
struct trace_ctx {
	const struct cliopt_tool *t;
	void *opts;
	struct cliopt_trace *c;
};

/* The shared options here, the tool's own through its apply. */
static int apply_trace(void *ctx, int c, const char *arg, bool *done,
                       struct idn_err *e)
{
	struct trace_ctx *x = ctx;
	struct cliopt_trace *o = x->c;
	uint64_t level;
	int rc;

	if (cliopt_info(c, x->t->name, x->t->usage, done))
		return IDN_OK;
	switch (c) {
	case CLIOPT_SCENARIO: o->scenario = arg; return IDN_OK;
	case CLIOPT_SOURCES:  o->sources = arg; return IDN_OK;
	case 'o':             o->out = arg; return IDN_OK;
	case CLIOPT_SEED:
		return cli_uint("seed", arg, UINT64_MAX, &o->seed, e);
	case CLIOPT_LEVEL:
		rc = cli_uint("level", arg, 9, &level, e);
		o->level = (int)level;
		return rc;
	}
	return x->t->apply(x->opts, c, arg, done, e);
}

int cliopt_trace_check(const struct cliopt_trace *c, struct idn_err *e)
{
	if (!c->scenario)
		return idn_fail(e, IDN_EUSAGE, "--scenario DIR is required "
		                "(try --help)");
	return IDN_OK;
}

static int run_trace(const struct cliopt_tool *t, const void *opts,
                     const struct cliopt_trace *c, struct idn_err *e)
{
	struct scenario *sc = NULL;
	uint32_t *src = NULL, n_src = 0;
	int rc = sources_load(c->scenario, c->sources, &sc, &src, &n_src, e);

	if (rc != IDN_OK)
		return rc;
	rc = t->run(opts, sc, src, n_src, e);
	free(src);
	scenario_free(sc);
	return rc;
}

int cliopt_main(const struct cliopt_tool *t, void *opts,
                struct cliopt_trace *c, int argc, char **argv)
{
	struct trace_ctx x = { t, opts, c };
	struct idn_err e = { "" };
	bool done;
	int rc;

	outfile_install_signal_cleanup();
	*c = (struct cliopt_trace){
		.sources = "access", .out = "-", .seed = 1, .level = 1,
	};
	rc = cliopt_parse(argc, argv, t->longopts, apply_trace, &x, &done,
	                  &e);
	if (rc == IDN_OK && !done)
		rc = t->operands(opts, argc, argv, &e);
	if (rc == IDN_OK && !done)
		rc = run_trace(t, opts, c, &e);
	if (done && rc == IDN_OK && fflush(stdout) != 0)
		rc = idn_fail(&e, IDN_EIO, "write error on standard output");
	return cli_finish(t->name, rc, &e);
}
