/* cli.h - what every idnbench command-line tool does the same way.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Argument parsers fail with IDN_EUSAGE and a message "--OPT: what: 'v'";
 * cli_finish prints the one line "PROG: MSG" on stderr and turns the
 * status into the exit code (0, 1 bad data, 2 bad usage).
 */
#ifndef IDN_CLI_H
#define IDN_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "err.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* A finite number >= lo (> lo if strict). */
int cli_real(const char *opt, const char *v, double lo, bool strict,
             double *out, struct idn_err *e);
/* A decimal integer in [0, max]. */
int cli_uint(const char *opt, const char *v, uint64_t max, uint64_t *out,
             struct idn_err *e);
/* Print "PROG (idnbench) VERSION" on stdout. */
void cli_version(const char *prog);
/* The options of a tool whose only option is -o FILE (--output), with
 * --help (usage(stdout)) and --version: *out is set from -o, *done when
 * help or the version was printed.  optind is left at the first operand;
 * an unknown option or a missing argument fails with IDN_EUSAGE. */
int cli_output_options(int argc, char **argv, const char *prog,
                       void (*usage)(FILE *), const char **out, bool *done,
                       struct idn_err *e);
/* Report a status: nothing for IDN_OK, else the message on stderr.
 * Returns the process exit code. */
int cli_finish(const char *prog, int status, const struct idn_err *e);

#endif
