/* cliopt.c - the option loop shared by the trace tools.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cliopt.h"

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
