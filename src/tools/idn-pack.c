/* idn-pack - convert a request trace to a packed trace (pack.h), which
 * idn-replay reads without decompressing or parsing, for a trace that is
 * replayed many times.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rows are checked as idn-replay checks them (the same reader reads
 * the input) and kept in order, with their names; which scenario they
 * belong to is idn-replay's business, as for CSV.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "err.h"
#include "output.h"
#include "pack.h"
#include "trace.h"

#define PROG "idn-pack"

static void usage(FILE *f)
{
	fputs("Usage: idn-pack [-o OUT] TRACE\n"
	      "Convert a request trace (CSV, gzip or plain, or packed) into "
	      "a packed\n"
	      "trace that idn-replay reads several times faster: no "
	      "decompression, no\n"
	      "parsing, each name looked up once.  CSV stays the exchange "
	      "format; a\n"
	      "packed trace is a cache (binary, version 1; see "
	      "idnbench-trace(5)).\n"
	      "\n"
	      "  -o, --output FILE  write to FILE (default: standard output, "
	      "never a\n"
	      "                     terminal); it appears whole or not at all\n"
	      "  -h, --help         show this help and exit\n"
	      "      --version      show the version and exit\n"
	      "\n"
	      "TRACE may be - for standard input.  idn-replay needs the "
	      "packed trace as\n"
	      "a regular file (it maps it).  Exit status: 0 on success, 1 on "
	      "bad data,\n"
	      "2 on bad usage.\n", f);
}

static int parse_args(int argc, char **argv, const char **out, bool *done,
                      struct idn_err *e)
{
	int rc = cli_output_options(argc, argv, PROG, usage, out, done, e);

	if (rc != IDN_OK || *done)
		return rc;
	if (optind != argc - 1)
		return idn_fail(e, IDN_EUSAGE, optind == argc
		                ? "no TRACE (try --help)"
		                : "one TRACE only (try --help)");
	if (strcmp(*out, "-") == 0 && isatty(STDOUT_FILENO))
		return idn_fail(e, IDN_EUSAGE, "will not write a binary trace "
		                "to a terminal (use -o FILE or a pipe)");
	return IDN_OK;
}

static int pack(const char *in, const char *out, struct idn_err *e)
{
	struct trace_reader *tr;
	struct pack_writer *w = NULL;
	struct trace_record rec;
	int rc = trace_reader_open(&tr, in, e);

	if (rc == IDN_OK)
		rc = pack_writer_open(&w, out, e);
	while (rc == IDN_OK && (rc = trace_reader_next(tr, &rec, e)) == IDN_OK)
		rc = pack_writer_put(w, &rec, e);
	if (rc == IDN_END)
		rc = pack_writer_commit(w, e);
	else
		pack_writer_abort(w);
	trace_reader_close(tr);
	return rc;
}

int main(int argc, char **argv)
{
	struct idn_err e = { "" };
	const char *out = "-";
	bool done = false;
	int rc;

	outfile_install_signal_cleanup();
	rc = parse_args(argc, argv, &out, &done, &e);
	if (rc == IDN_OK && !done)
		rc = pack(argv[optind], out, &e);
	if (done && rc == IDN_OK && fflush(stdout) != 0)
		rc = idn_fail(&e, IDN_EIO, "write error on standard output");
	return cli_finish(PROG, rc, &e);
}
