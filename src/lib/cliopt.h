/* cliopt.h - the option loop shared by the tools (getopt_long with the
 * usual messages for unknown options and missing arguments, --help and
 * --version), and what the trace tools (idn-gen, idn-import) share
 * beyond it: their common options and their main().
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef IDN_CLIOPT_H
#define IDN_CLIOPT_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "err.h"
#include "scenario.h"

/* Apply option c (with its argument, or NULL) to opts; set *done for an
 * option that ends the run successfully (--help, --version). */
typedef int (*cliopt_apply_fn)(void *opts, int c, const char *arg,
                               bool *done, struct idn_err *e);

/* Run getopt_long over argv with the short options "o:h" (-o FILE, -h)
 * and longopts, calling apply for each, until the options end, an option
 * fails or one sets *done.  Afterwards optind is the first operand.
 * Unknown options and missing arguments are IDN_EUSAGE. */
int cliopt_parse(int argc, char **argv, const struct option *longopts,
                 cliopt_apply_fn apply, void *opts, bool *done,
                 struct idn_err *e);

/* The options that end a run at once: c == 'h' (--help) prints usage on
 * stdout, c == 'V' (--version) "PROG (idnbench) VERSION"; both set *done.
 * Returns whether c was one of them. */
bool cliopt_info(int c, const char *prog, void (*usage)(FILE *f),
                 bool *done);

/* --- trace tools ---------------------------------------------------------- */

/* Ids of the trace tools' shared options (and 'o', 'h', 'V'); a tool's
 * own options take ids from CLIOPT_OWN on. */
enum {
	CLIOPT_SCENARIO = 256, CLIOPT_SOURCES, CLIOPT_SEED, CLIOPT_LEVEL,
	CLIOPT_OWN
};

/* The first entries of a trace tool's long option table. */
#define CLIOPT_TRACE_LONGOPTS \
	{ "scenario", required_argument, NULL, CLIOPT_SCENARIO }, \
	{ "sources", required_argument, NULL, CLIOPT_SOURCES }, \
	{ "seed", required_argument, NULL, CLIOPT_SEED }, \
	{ "level", required_argument, NULL, CLIOPT_LEVEL }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }

/* --help lines of the shared options: the first ones, and the last. */
#define CLIOPT_TRACE_HELP_FIRST \
	"  --scenario DIR      scenario directory (required)\n" \
	"  --sources LIST      comma-separated tier and node names whose " \
	"nodes emit\n" \
	"                      requests (default: access)\n"
#define CLIOPT_TRACE_HELP_LAST \
	"  --seed N            random seed (default: 1)\n" \
	"  --level L           gzip level 0-9, 0 = plain CSV (default: 1)\n" \
	"  -o, --output FILE   output file, - for standard output " \
	"(default: -)\n" \
	"  -h, --help          show this help and exit\n" \
	"      --version       show the version and exit\n"

/* The shared options' values. */
struct cliopt_trace {
	const char *scenario;     /* --scenario DIR, required */
	const char *sources;      /* --sources LIST, default "access" */
	const char *out;          /* -o FILE, default "-" */
	uint64_t seed;            /* --seed N, default 1 */
	int level;                /* --level L, 0-9, default 1 */
};

/* A trace tool: what it adds to the shared part.  opts is the tool's own
 * option struct throughout. */
struct cliopt_tool {
	const char *name;                 /* for --version and messages */
	void (*usage)(FILE *f);
	const struct option *longopts;    /* CLIOPT_TRACE_LONGOPTS first */
	cliopt_apply_fn apply;            /* the tool's own options */
	/* After the options: the operands argv[optind..argc) and the checks
	 * between options (cliopt_trace_check among them). */
	int (*operands)(void *opts, int argc, char **argv,
	                struct idn_err *e);
	/* The work, on the scenario and its selected source nodes. */
	int (*run)(const void *opts, const struct scenario *sc,
	           const uint32_t *src, uint32_t n_src, struct idn_err *e);
};

/* The shared options are complete: --scenario was given. */
int cliopt_trace_check(const struct cliopt_trace *c, struct idn_err *e);

/* main() of trace tool t: parse argv into opts (its own defaults already
 * set) and c (set to the shared defaults here), load the scenario and the
 * sources (sources_load), run, and report as cli_finish.  Returns the
 * exit code. */
int cliopt_main(const struct cliopt_tool *t, void *opts,
                struct cliopt_trace *c, int argc, char **argv);

#endif
