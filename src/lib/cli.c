/* cli.c - shared command-line conventions of the tools.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int bad_number(const char *opt, const char *v, const char *what,
                      struct idn_err *e)
{
	return idn_fail(e, IDN_EUSAGE, "--%s: %s: '%s'", opt, what, v);
}

int cli_real(const char *opt, const char *v, double lo, bool strict,
             double *out, struct idn_err *e)
{
	char *end;

	errno = 0;
	*out = strtod(v, &end);
	if (end == v || *end || errno == ERANGE || !isfinite(*out))
		return bad_number(opt, v, "not a finite number", e);
	if (*out < lo || (strict && *out == lo)) {
		char what[64];
		if (lo == 0)
			snprintf(what, sizeof what, "%s", strict ?
			         "must be positive" : "must not be negative");
		else
			snprintf(what, sizeof what, "must be %s %g",
			         strict ? ">" : ">=", lo);
		return bad_number(opt, v, what, e);
	}
	return IDN_OK;
}

int cli_uint(const char *opt, const char *v, uint64_t max, uint64_t *out,
             struct idn_err *e)
{
	char *end;

	errno = 0;
	*out = strtoull(v, &end, 10);
	if (end == v || *end || errno == ERANGE ||
	    !isdigit((unsigned char)*v) || *out > max)
		return bad_number(opt, v, "not an integer in range", e);
	return IDN_OK;
}

void cli_version(const char *prog)
{
	printf("%s (idnbench) %s\n", prog, PACKAGE_VERSION);
}

int cli_output_options(int argc, char **argv, const char *prog,
                       void (*usage)(FILE *), const char **out, bool *done,
                       struct idn_err *e)
{
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 256 },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", lo, NULL)) != -1) {
		if (c == 'o') {
			*out = optarg;
		} else if (c == 'h' || c == 256) {
			if (c == 'h')
				usage(stdout);
			else
				cli_version(prog);
			*done = true;
			return IDN_OK;
		} else {
			return idn_fail(e, IDN_EUSAGE, c == ':' ? "option '%s' "
			                "needs an argument" : "unknown option "
			                "'%s' (try --help)", argv[optind - 1]);
		}
	}
	return IDN_OK;
}

int cli_finish(const char *prog, int status, const struct idn_err *e)
{
	/* What went to stdout through stdio (--help, --version, listings)
	 * is only known to have arrived once it is flushed: a full disk or
	 * a closed pipe must not end in exit 0. */
	if (status == IDN_OK && (fflush(stdout) != 0 || ferror(stdout))) {
		fprintf(stderr, "%s: standard output: write error: %s\n", prog,
		        strerror(errno ? errno : EIO));
		return idn_exit_code(IDN_EIO);
	}
	if (status == IDN_OK)
		return 0;
	fprintf(stderr, "%s: %s\n", prog, e->msg);   /* one line, always */
	return idn_exit_code(status);
}
