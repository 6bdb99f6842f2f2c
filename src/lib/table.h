/* table.h - a small CSV file read whole, with a header row.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For scenario files (tens of thousands of rows at most); traces use the
 * streaming reader in trace.h instead.  Parsed with libcsv in strict mode;
 * a UTF-8 BOM and CRLF line ends are accepted, blank lines skipped.  Each
 * row remembers the physical line it starts on, for error messages.  The
 * file may be gzip-compressed (detected from its content); "-" reads
 * standard input, called "<stdin>" in messages.
 */
#ifndef IDN_TABLE_H
#define IDN_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"

struct table {
	char *path;
	size_t n_cols;        /* columns of the header */
	char **header;
	size_t n_rows;        /* data rows, header excluded */
	char ***cells;        /* cells[row][col], NUL-terminated */
	uint64_t *line;       /* physical line of each data row */
	size_t *width;        /* fields of each row (== n_cols once loaded) */
};

/* Read PATH.  Every row must have exactly n_cols fields. */
int table_load(struct table **out, const char *path, struct idn_err *e);
void table_free(struct table *t);

/* Index of the column called name; if missing, fail with
 * "PATH:1: header: missing column 'name'". */
int table_column(const struct table *t, const char *name, size_t *col,
                 struct idn_err *e);

/* Parse a cell as a double that must be finite (or +inf if allow_inf)
 * and >= min (or > min if strict).  Message: "PATH:LINE: COL: what: 'v'". */
int table_number(const struct table *t, size_t row, size_t col, double min,
                 int strict, int allow_inf, double *out, struct idn_err *e);

/* A message about a cell: "PATH:LINE: COLUMN: " + fmt. */
int table_fail(struct idn_err *e, const struct table *t, size_t row,
               size_t col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
