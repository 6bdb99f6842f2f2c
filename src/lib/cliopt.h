/* cliopt.h - the option loop shared by the trace tools (idn-gen,
 * idn-import): getopt_long with the usual messages for unknown options
 * and missing arguments.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef IDN_CLIOPT_H
#define IDN_CLIOPT_H

#include <getopt.h>
#include <stdbool.h>
#include "err.h"

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

#endif
