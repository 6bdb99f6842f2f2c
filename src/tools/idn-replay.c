/* idn-replay - replay a request trace through a placement policy.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads a scenario directory and a trace, loads the policy plugin, and
 * writes one CSV row per slot (see doc/formats.md).  Data goes to stdout
 * or -o FILE (written whole or not at all), diagnostics to stderr.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "cliopt.h"
#include "engine.h"

#define PROG "idn-replay"
#define SUMMARY_SCHEMA 1  /* see write_summary */

struct args {
	const char *scenario, *policy, *out, *summary, *placement, *trace;
	double slot, alpha;
	uint64_t seed, max_slots;
	struct idn_option *opts;
	size_t n_opts;
	char *opt_text;          /* "k=v;k=v" for the summary */
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " --scenario DIR --policy NAME|PATH.so [OPTION]... [TRACE|-]\n"
"Replay TRACE (CSV time,source,task[,count], plain or gzip; default or '-':\n"
"standard input) through a placement policy and write one CSV row per slot.\n"
"\n"
"  -s, --scenario DIR   scenario directory (nodes.csv, links.csv, ...)\n"
"  -p, --policy NAME    policy plugin: NAME.so in $IDN_POLICY_PATH or\n"
"                       " IDN_POLICYDIR ", or a path containing '/'\n"
"  -d, --slot D         slot length in seconds (default 1)\n"
"  -a, --alpha A        ms per accuracy point in the cost (default 1)\n"
"  -S, --seed N         seed of the policy's random choices (default 1)\n"
"  -O, --option K=V     policy option (repeatable; see --list-options)\n"
"  -o, --output FILE    per-slot CSV to FILE (gzip if it ends in .gz)\n"
"                       instead of standard output\n"
"      --summary FILE   write a one-row CSV summary of the run to FILE\n"
"      --placement FILE write, per learned (node, model) ever allocated, the\n"
"                       share of slots it was held (node,tier,model,task,\n"
"                       size_mb,share)\n"
"      --max-slots N    refuse a trace longer than N slots (default\n"
"                       100000000; a guard against a stray time)\n"
"      --list-options   print the policy's options and exit\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Exit status: 0 success, 1 bad data or a failing policy, 2 bad usage.\n");
}

static int add_option(struct args *a, char *kv)
{
	char *eq = strchr(kv, '=');
	struct idn_option *o;

	if (!eq || eq == kv)
		return 0;
	o = realloc(a->opts, (a->n_opts + 1) * sizeof *o);
	if (!o)
		return 0;
	a->opts = o;
	*eq = '\0';
	o[a->n_opts++] = (struct idn_option){ kv, eq + 1 };
	return 1;
}

/* Fills a; *done is set for --help/--version. */
static int parse_args(int argc, char **argv, struct args *a, int *list,
                      bool *done, struct idn_err *e)
{
	static const struct option longopts[] = {
		{ "scenario", required_argument, 0, 's' },
		{ "policy", required_argument, 0, 'p' },
		{ "slot", required_argument, 0, 'd' },
		{ "alpha", required_argument, 0, 'a' },
		{ "seed", required_argument, 0, 'S' },
		{ "option", required_argument, 0, 'O' },
		{ "output", required_argument, 0, 'o' },
		{ "summary", required_argument, 0, 1 },
		{ "list-options", no_argument, 0, 2 },
		{ "placement", required_argument, 0, 3 },
		{ "max-slots", required_argument, 0, 4 },
		{ "help", no_argument, 0, 'h' },
		{ "version", no_argument, 0, 'V' },
		{ 0, 0, 0, 0 }
	};
	int c, rc = IDN_OK;

	opterr = 0;
	while (rc == IDN_OK && (c = getopt_long(argc, argv, "s:p:d:a:S:O:o:hV", longopts,
	                        NULL)) != -1) {
		switch (c) {
		case 's': a->scenario = optarg; break;
		case 'p': a->policy = optarg; break;
		case 'o': a->out = optarg; break;
		case 1: a->summary = optarg; break;
		case 2: *list = 1; break;
		case 3: a->placement = optarg; break;
		case 4:
			rc = cli_uint("max-slots", optarg, UINT64_MAX,
			              &a->max_slots, e);
			if (rc == IDN_OK && a->max_slots == 0)
				rc = idn_fail(e, IDN_EUSAGE, "--max-slots: must "
				              "be positive");
			break;
		case 'd':
			rc = cli_real("slot", optarg, 0, true, &a->slot, e);
			break;
		case 'a':
			rc = cli_real("alpha", optarg, 0, false, &a->alpha, e);
			break;
		case 'S':
			rc = cli_uint("seed", optarg, UINT64_MAX, &a->seed, e);
			break;
		case 'O':
			if (!add_option(a, optarg))
				rc = idn_fail(e, IDN_EUSAGE, "--option: expected "
				              "KEY=VALUE: '%s'", optarg);
			break;
		case 'h':
		case 'V':
			cliopt_info(c, PROG, usage, done);
			return IDN_OK;
		default:
			rc = idn_fail(e, IDN_EUSAGE, "unknown or incomplete "
			              "option '%s'", argv[optind - 1]);
		}
	}
	if (rc != IDN_OK)
		return rc;
	if (!a->policy)
		return idn_fail(e, IDN_EUSAGE, "missing --policy");
	if (!a->scenario && !*list)
		return idn_fail(e, IDN_EUSAGE, "missing --scenario");
	if (optind + 1 < argc)
		return idn_fail(e, IDN_EUSAGE, "extra argument '%s'",
		                argv[optind + 1]);
	a->trace = optind < argc ? argv[optind] : "-";
	return IDN_OK;
}

static int list_options(const struct plugin *pl)
{
	const struct idn_policy *d = pl->desc;

	printf("%s: %s\n", d->name, d->summary ? d->summary : "");
	for (const struct idn_option_doc *o = d->options; o && o->key; o++)
		printf("  %s=%s\t%s\n", o->key,
		       o->default_value ? o->default_value : "",
		       o->help ? o->help : "");
	return 0;
}

static char *options_text(const struct args *a)
{
	size_t len = 1;
	char *s;

	for (size_t i = 0; i < a->n_opts; i++)
		len += strlen(a->opts[i].key) + strlen(a->opts[i].value) + 2;
	s = calloc(len, 1);
	for (size_t i = 0; s && i < a->n_opts; i++)
		sprintf(s + strlen(s), "%s%s=%s", i ? ";" : "", a->opts[i].key,
		        a->opts[i].value);
	return s;
}

static int write_summary(const struct args *a, const struct plugin *pl,
                         const struct engine_totals *t, double wall,
                         struct idn_err *e)
{
	struct outfile *o;
	struct rusage ru;
	int rc = outfile_open(&o, a->summary, IDN_GZ_AUTO, e);
	double served = t->requests ? (double)t->requests : NAN;

	if (rc != IDN_OK)
		return rc;
	getrusage(RUSAGE_SELF, &ru);
	outfile_puts(o, "policy,options,seed,alpha,slot,slots,requests,gain,"
	             "max_gain,ntag,latency_ms,accuracy,update_mb,wall_s,"
	             "requests_per_s,peak_rss_kb,schema\n");
	outfile_csv_field(o, pl->desc->name);
	outfile_puts(o, ",");
	outfile_csv_field(o, a->opt_text ? a->opt_text : "");
	outfile_printf(o, ",%llu,", (unsigned long long)a->seed);
	outfile_double(o, a->alpha);
	outfile_puts(o, ",");
	outfile_double(o, a->slot);
	outfile_printf(o, ",%llu,%llu,", (unsigned long long)t->slots,
	               (unsigned long long)t->requests);
	outfile_double(o, t->gain);
	outfile_puts(o, ",");
	outfile_double(o, t->max_gain);
	outfile_puts(o, ",");
	outfile_double(o, t->max_gain > 0 ? t->gain / t->max_gain : NAN);
	outfile_puts(o, ",");
	outfile_double(o, t->latency_sum / served);
	outfile_puts(o, ",");
	outfile_double(o, t->accuracy_sum / served);
	outfile_puts(o, ",");
	outfile_double(o, t->update_mb);
	outfile_puts(o, ",");
	outfile_double(o, wall);
	outfile_puts(o, ",");
	outfile_double(o, wall > 0 ? t->requests / wall : NAN);
	/* The version of the summary's column set (doc/formats.md): a later
	 * version only appends columns, so readers find them by name. */
	outfile_printf(o, ",%ld,%d\n", ru.ru_maxrss, SUMMARY_SCHEMA);
	return outfile_commit(o, e);
}

static int write_placement(const char *path, const struct engine *eng,
                           struct idn_err *e)
{
	struct outfile *o;
	int rc = outfile_open(&o, path, IDN_GZ_AUTO, e);

	if (rc != IDN_OK)
		return rc;
	engine_write_placement(eng, o);
	return outfile_commit(o, e);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) + (now.tv_nsec - t0->tv_nsec) / 1e9;
}

static int run(struct args *a, struct idn_err *e)
{
	struct scenario *sc = NULL;
	struct network *net = NULL;
	struct plugin *pl = NULL;
	struct engine *eng = NULL;
	struct trace_reader *tr = NULL;
	struct outfile *out = NULL;
	struct timespec t0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct engine_config cfg = {
		.slot_length = a->slot, .seed = a->seed, .opts = a->opts,
		.n_opts = a->n_opts, .progress = isatty(2),
		.placement = a->placement != NULL,
		.max_slots = a->max_slots,
	};
	if (!(rc = plugin_open(&pl, a->policy, e)) &&
	    !(rc = scenario_load(&sc, a->scenario, e)) &&
	    !(rc = network_new(&net, sc, a->alpha, e)) &&
	    !(rc = engine_new(&eng, net, pl, &cfg, e)) &&
	    !(rc = trace_reader_open(&tr, a->trace, e)) &&
	    !(rc = outfile_open(&out, a->out ? a->out : "-",
	                        IDN_GZ_AUTO, e)) &&
	    !(rc = engine_run(eng, tr, out, e))) {
		rc = outfile_commit(out, e);
		out = NULL;
		if (rc == IDN_OK && a->summary)
			rc = write_summary(a, pl, engine_totals(eng),
			                   seconds_since(&t0), e);
		if (rc == IDN_OK && a->placement)
			rc = write_placement(a->placement, eng, e);
	}
	outfile_abort(out);
	trace_reader_close(tr);
	engine_free(eng);
	network_free(net);
	scenario_free(sc);
	plugin_close(pl);
	return rc;
}

int main(int argc, char **argv)
{
	struct args a = { .slot = 1, .alpha = 1, .seed = 1,
	                  .max_slots = ENGINE_MAX_SLOTS };
	struct idn_err e = { "" };
	struct plugin *pl;
	int list = 0;
	bool done = false;
	int rc = parse_args(argc, argv, &a, &list, &done, &e);

	if (rc != IDN_OK || done) {
	} else if (list) {
		rc = plugin_open(&pl, a.policy, &e);
		if (rc == IDN_OK) {
			list_options(pl);
			plugin_close(pl);
		}
	} else {
		outfile_install_signal_cleanup();
		a.opt_text = options_text(&a);
		rc = run(&a, &e);
	}
	free(a.opt_text);
	free(a.opts);
	return cli_finish(PROG, rc, &e);
}
