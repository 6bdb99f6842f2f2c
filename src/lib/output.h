/* output.h - output files that appear whole or not at all.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An outfile writes to PATH.tmp.XXXXXX next to PATH and renames it onto
 * PATH in outfile_commit(); outfile_abort() (and a fatal signal, see
 * outfile_install_signal_cleanup) removes the temporary, so a failed run
 * never leaves a half-written file.  "-" writes to standard output (no
 * atomicity possible there).  Compression: gzip when level > 0, plain when
 * 0, and for level < 0 (IDN_GZ_AUTO) gzip level 1 iff PATH ends in ".gz".
 * Numbers are formatted by fmt_double, never through the locale.
 */
#ifndef IDN_OUTPUT_H
#define IDN_OUTPUT_H

#include <stddef.h>
#include "err.h"

#define IDN_GZ_AUTO (-1)

struct outfile;

int outfile_open(struct outfile **o, const char *path, int gz_level,
                 struct idn_err *e);
/* Buffered writes; errors are sticky and reported by outfile_commit. */
int outfile_write(struct outfile *o, const char *buf, size_t n);
int outfile_puts(struct outfile *o, const char *s);
int outfile_printf(struct outfile *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append a double (fmt_double) / an unsigned integer. */
int outfile_double(struct outfile *o, double v);
int outfile_u64(struct outfile *o, unsigned long long v);
/* Append s as one CSV field: as is, or quoted (quotes doubled) when it
 * holds a comma, a quote or a line break. */
int outfile_csv_field(struct outfile *o, const char *s);
/* Flush, close and move into place; frees o (also on failure, after
 * removing the temporary).  Reports write errors such as ENOSPC. */
int outfile_commit(struct outfile *o, struct idn_err *e);
/* Discard: remove the temporary, free o.  NULL is a no-op. */
void outfile_abort(struct outfile *o);

/* Write the shortest decimal that reads back as v ("0.8", not
 * "0.80000000000000004"), with '.' whatever the locale; "inf", "-inf",
 * "nan" for non-finite values.  buf needs 32 bytes.  Returns the length. */
size_t fmt_double(char *buf, double v);
/* Decimal digits of v into buf (24 bytes); returns the length. */
size_t fmt_u64(char *buf, unsigned long long v);

/* Install SIGINT, SIGTERM and SIGHUP handlers that remove every live
 * temporary and then die of the same signal.  Signals that are ignored
 * when this is called stay ignored.  Call once, early, from a tool. */
void outfile_install_signal_cleanup(void);

#endif
