/* idn-gen.c - generate a synthetic request trace for a scenario.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model of arrivals
 * ---------------------
 * Every selected source node emits requests as an independent Poisson
 * process of rate R (requests/s) over [0, duration).  The superposition of
 * n such processes is one Poisson process of rate n*R whose arrivals go to
 * a source chosen uniformly at random, so we draw exponential gaps of rate
 * n*R and a uniform source per arrival: the output is produced in time
 * order, one row at a time, in constant memory.
 *
 * The task of a request is independent of its source and of the past: it
 * has rank k (k = 1..T over the scenario's T tasks) with probability
 * proportional to k^-A (Zipf; A = 0 is uniform).  Which task holds which
 * rank is a random permutation drawn from the seed.  In sliding mode time
 * is cut into epochs of `period` seconds, and in epoch e the task at rank k
 * is the one that held rank k + e*shift (mod T) in epoch 0: the popularity
 * ranking rolls by `shift` places at every epoch boundary.  The epoch of a
 * request is computed from its written (rounded) time.
 *
 * Times are written truncated to whole microseconds, which keeps them
 * sorted and the file short.  All randomness comes from one xoshiro256**
 * stream seeded with --seed, drawn in a fixed order (permutation, then per
 * arrival: gap, source, rank), so a seed fixes the output byte for byte.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "cliopt.h"
#include "err.h"
#include "scenario.h"
#include "trace.h"
#include "zipf.h"

struct gen_opts {
	struct cliopt_trace c;    /* --scenario --sources --seed --level -o */
	double rate, duration, zipf_a, period;
	uint64_t shift;
	bool sliding;
	bool period_set;
};

static void usage(FILE *f)
{
	fputs("Usage: idn-gen --scenario DIR [OPTION]...\n"
	      "Write a synthetic request trace (time,source,task) for the "
	      "scenario in DIR.\n"
	      "\n"
	      CLIOPT_TRACE_HELP_FIRST
	      "  --rate R            requests/s per source node, Poisson "
	      "(default: 10)\n"
	      "  --duration S        length of the trace in seconds "
	      "(default: 60)\n"
	      "  --tasks-zipf A      Zipf exponent of task popularity, 0 = "
	      "uniform\n"
	      "                      (default: 1.0)\n"
	      "  --mode MODE         stationary or sliding (default: "
	      "stationary)\n"
	      "  --period S          sliding: seconds between rank shifts\n"
	      "                      (default: duration/10)\n"
	      "  --shift K           sliding: places the ranking rolls per "
	      "period\n"
	      "                      (default: 1)\n"
	      CLIOPT_TRACE_HELP_LAST, f);
}

enum {
	OPT_RATE = CLIOPT_OWN, OPT_DURATION, OPT_ZIPF, OPT_MODE, OPT_PERIOD,
	OPT_SHIFT
};

static const struct option long_opts[] = {
	CLIOPT_TRACE_LONGOPTS,
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "tasks-zipf", required_argument, NULL, OPT_ZIPF },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "period", required_argument, NULL, OPT_PERIOD },
	{ "shift", required_argument, NULL, OPT_SHIFT },
	{ NULL, 0, NULL, 0 }
};

/* Apply one of idn-gen's own options. */
static int apply_opt(void *opts, int c, const char *arg, bool *done,
                     struct idn_err *e)
{
	struct gen_opts *o = opts;

	(void)done;
	switch (c) {
	case OPT_RATE:
		return cli_real("rate", arg, 0, true, &o->rate, e);
	case OPT_DURATION:
		return cli_real("duration", arg, 0, true, &o->duration, e);
	case OPT_ZIPF:
		return cli_real("tasks-zipf", arg, 0, false, &o->zipf_a, e);
	case OPT_PERIOD:
		o->period_set = true;
		return cli_real("period", arg, 0, true, &o->period, e);
	case OPT_SHIFT:
		return cli_uint("shift", arg, UINT64_MAX, &o->shift, e);
	case OPT_MODE:
		if (strcmp(arg, "sliding") != 0 && strcmp(arg, "stationary"))
			return idn_fail(e, IDN_EUSAGE,
			                "--mode: expected stationary or "
			                "sliding: '%s'", arg);
		o->sliding = strcmp(arg, "sliding") == 0;
		return IDN_OK;
	}
	return idn_fail(e, IDN_EUSAGE, "internal: option %d", c);
}

/* No operands; the period defaults to a tenth of the duration. */
static int check_operands(void *opts, int argc, char **argv,
                          struct idn_err *e)
{
	struct gen_opts *o = opts;
	int rc;

	if (optind < argc)
		return idn_fail(e, IDN_EUSAGE, "unexpected argument '%s'",
		                argv[optind]);
	if ((rc = cliopt_trace_check(&o->c, e)) != IDN_OK)
		return rc;
	if (!o->period_set)
		o->period = o->duration / 10;
	return IDN_OK;
}

/* Task of rank k at time t (see the model at the top). */
static uint32_t task_of(const struct gen_opts *o, const uint32_t *perm,
                        uint32_t n, uint32_t k, double t)
{
	uint64_t roll = 0;

	if (o->sliding) {
		double epoch = floor(t / o->period);
		uint64_t ep = epoch < 1e18 ? (uint64_t)epoch : 0;

		roll = (ep % n) * (o->shift % n) % n;
	}
	return perm[(k + roll) % n];
}

static int generate(const struct gen_opts *o, const struct scenario *sc,
                    const uint32_t *src, uint32_t n_src,
                    struct trace_writer *w)
{
	uint32_t nt = sc->n_tasks;
	double *cdf = malloc(nt * sizeof *cdf);
	uint32_t *perm = malloc(nt * sizeof *perm);
	double lambda = o->rate * n_src, t = 0;
	struct idn_rng rng;
	int rc = IDN_OK;

	if (!cdf || !perm) {
		free(cdf);
		free(perm);
		return IDN_ENOMEM;
	}
	idn_rng_seed(&rng, o->c.seed);
	rng_permutation(&rng, perm, nt);
	zipf_table(cdf, nt, o->zipf_a);
	while (rc == IDN_OK) {
		double ts;
		uint32_t v, k;

		/* 1 - U is in (0, 1], so the gap is finite. */
		t += -log1p(-idn_rng_uniform(&rng)) / lambda;
		if (!(t < o->duration))
			break;
		ts = floor(t * 1e6) / 1e6;
		v = src[rng_index(&rng, n_src)];
		k = zipf_draw(cdf, nt, idn_rng_uniform(&rng));
		rc = trace_writer_put(w, ts, sc->node_name[v],
		                      sc->task_name[task_of(o, perm, nt, k, ts)],
		                      1);
	}
	free(cdf);
	free(perm);
	/* A write error is sticky; trace_writer_commit reports it. */
	return IDN_OK;
}

static int run(const void *opts, const struct scenario *sc,
               const uint32_t *src, uint32_t n_src, struct idn_err *e)
{
	const struct gen_opts *o = opts;
	struct trace_writer *w = NULL;
	int rc = trace_writer_open(&w, o->c.out, o->c.level, 0, e);

	if (rc != IDN_OK)
		return rc;
	rc = generate(o, sc, src, n_src, w);
	if (rc == IDN_OK)
		rc = trace_writer_commit(w, e);
	else
		trace_writer_abort(w);
	if (rc == IDN_ENOMEM)
		idn_fail(e, rc, "out of memory");
	return rc;
}

int main(int argc, char **argv)
{
	static const struct cliopt_tool tool = {
		"idn-gen", usage, long_opts, apply_opt, check_operands, run
	};
	struct gen_opts o = {
		.rate = 10, .duration = 60, .zipf_a = 1.0, .shift = 1,
	};

	return cliopt_main(&tool, &o, &o.c, argc, argv);
}
