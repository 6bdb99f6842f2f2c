/* table.c - small CSV files read whole (scenario files).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>
#include "grow.h"
#include "table.h"

/* The name of path in messages. */
static const char *table_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Collects libcsv callbacks into rows.  A row is one allocation: its
 * array of field pointers followed by the NUL-terminated fields, so a
 * million-row catalogue costs a million mallocs, not five million. */
struct builder {
	struct table *t;
	char *text;           /* fields of the row being built, NUL-separated */
	size_t text_len, text_cap;
	size_t *off;          /* start of each field in text */
	size_t n_fields, cap_fields;
	size_t cap_rows;
	uint64_t line;        /* physical line being fed to the parser */
	uint64_t row_line;    /* line where the current row started */
	int oom;
	int bad_nul;
	uint64_t nul_line;    /* row line of the first field with a NUL */
	size_t nul_col;       /* its field index */
	int nul_in_header;
};

static void on_field(void *s, size_t len, void *data)
{
	struct builder *b = data;

	if (b->oom)
		return;
	if (!b->bad_nul && memchr(s, '\0', len)) {
		b->bad_nul = 1;
		b->nul_line = b->row_line;
		b->nul_col = b->n_fields;
		b->nul_in_header = !b->t->header;
	}
	if (grow_array((void **)&b->off, &b->cap_fields, sizeof *b->off,
	               b->n_fields + 1) ||
	    grow_array((void **)&b->text, &b->text_cap, 1,
	               b->text_len + len + 1)) {
		b->oom = 1;
		return;
	}
	b->off[b->n_fields++] = b->text_len;
	memcpy(b->text + b->text_len, s, len);
	b->text[b->text_len + len] = '\0';
	b->text_len += len + 1;
}

/* The row gathered so far as one block (NULL when out of memory). */
static char **take_row(struct builder *b)
{
	size_t ptrs = b->n_fields * sizeof(char *);
	char **row = malloc(ptrs + b->text_len + 1);

	if (!row)
		return NULL;
	char *text = (char *)row + ptrs;
	memcpy(text, b->text, b->text_len);
	for (size_t i = 0; i < b->n_fields; i++)
		row[i] = text + b->off[i];
	return row;
}

static void free_row(char **row, size_t n)
{
	(void)n;              /* one block, whatever its width */
	free(row);
}

static int push_row(struct builder *b, char **row)
{
	struct table *t = b->t;

	if (t->n_rows == b->cap_rows) {
		size_t cap = b->cap_rows ? 2 * b->cap_rows : 64;
		char ***cells = realloc(t->cells, cap * sizeof *cells);
		if (cells)
			t->cells = cells;
		uint64_t *line = realloc(t->line, cap * sizeof *line);
		if (line)
			t->line = line;
		size_t *width = realloc(t->width, cap * sizeof *width);
		if (width)
			t->width = width;
		if (!cells || !line || !width)
			return -1;
		b->cap_rows = cap;
	}
	t->cells[t->n_rows] = row;
	t->line[t->n_rows] = b->row_line;
	t->width[t->n_rows] = b->n_fields;
	t->n_rows++;
	return 0;
}

static void on_row(int c, void *data)
{
	struct builder *b = data;
	char **row = b->oom ? NULL : take_row(b);

	if (!row) {
		b->oom = 1;
	} else if (!b->t->header) {
		b->t->header = row;
		b->t->n_cols = b->n_fields;
	} else if (push_row(b, row) != 0) {
		b->oom = 1;
		free_row(row, b->n_fields);
	}
	b->n_fields = 0;
	b->text_len = 0;
}

/* The whole of path into a malloc'ed buffer.  zlib reads plain files
 * as they are and inflates gzip ones (detected from the content, not the
 * name); "-" is standard input. */
static int read_file(const char *path, char **buf, size_t *len,
                     struct idn_err *e)
{
	int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : -1;
	gzFile f = fd >= 0 ? gzdopen(fd, "rb") : gzopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	int zerr = Z_OK;
	char *p;

	if (!f) {
		if (fd >= 0)
			close(fd);
		return idn_fail(e, IDN_EDATA, "%s: cannot open: %s",
		                table_name(path), strerror(errno));
	}
	p = malloc(cap);
	while (p) {
		unsigned want = cap - n > (1u << 30) ? 1u << 30
		                                     : (unsigned)(cap - n);
		int got = gzread(f, p + n, want);

		if (got < 0 || (unsigned)got < want) {
			gzerror(f, &zerr);
			n += got > 0 ? (size_t)got : 0;
			break;
		}
		n += (size_t)got;
		if (n < cap)
			continue;
		char *q = realloc(p, cap *= 2);
		if (!q) {
			free(p);
			p = NULL;
		} else {
			p = q;
		}
	}
	if (!p || zerr != Z_OK) {
		int rc = !p ? idn_fail(e, IDN_ENOMEM, "%s: out of memory",
		                       table_name(path))
		       : zerr == Z_ERRNO ? idn_fail(e, IDN_EIO,
		                                    "%s: read error: %s",
		                                    table_name(path),
		                                    strerror(errno))
		       : idn_fail(e, IDN_EDATA, "%s: gzip: %s",
		                  table_name(path), zerr == Z_BUF_ERROR
		                  ? "unexpected end of file (truncated?)"
		                  : gzerror(f, &zerr));
		gzclose(f);
		free(p);
		return rc;
	}
	gzclose(f);
	*buf = p;
	*len = n;
	return IDN_OK;
}

static int check_widths(const struct table *t, struct idn_err *e)
{
	if (!t->header)
		return idn_fail(e, IDN_EDATA, "%s:1: header: file is empty",
		                t->path);
	for (size_t i = 0; i < t->n_rows; i++)
		if (t->width[i] != t->n_cols)
			return idn_fail(e, IDN_EDATA,
			                "%s:%llu: row: %zu fields, header has %zu",
			                t->path, (unsigned long long)t->line[i],
			                t->width[i], t->n_cols);
	return IDN_OK;
}

/* Where the NUL byte is: "PATH:LINE: COLUMN: ". */
static int nul_fail(const struct table *t, const struct builder *b,
                    struct idn_err *e)
{
	const char *col = b->nul_in_header ? "header"
	                  : b->nul_col < t->n_cols ? t->header[b->nul_col]
	                  : "row";

	return idn_fail(e, IDN_EDATA, "%s:%llu: %s: contains a NUL byte",
	                t->path, (unsigned long long)b->nul_line, col);
}

/* libcsv's state before any byte of a row (ROW_NOT_BEGUN in libcsv.c;
 * csv_init leaves the parser in it). */
#define CSV_ROW_NOT_BEGUN 0

/* Feed the parser one physical line at a time so that rows know their
 * line numbers: a row starts on the first line fed while the parser is
 * between rows, even if its first field (quoted) ends lines later. */
static int parse(struct table *t, const char *buf, size_t len,
                 struct idn_err *e)
{
	struct csv_parser p;
	struct builder b = { .t = t, .line = 1 };
	size_t pos = 0;
	int rc = IDN_OK;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return idn_fail(e, IDN_ENOMEM, "%s: out of memory", t->path);
	while (pos < len && rc == IDN_OK) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) + 1 : len - pos;
		if (p.pstate == CSV_ROW_NOT_BEGUN)
			b.row_line = b.line;
		if (csv_parse(&p, buf + pos, n, on_field, on_row, &b) != n)
			rc = idn_fail(e, IDN_EDATA, "%s:%llu: malformed CSV: %s",
			              t->path, (unsigned long long)b.line,
			              csv_strerror(csv_error(&p)));
		pos += n;
		b.line++;
	}
	if (rc == IDN_OK && csv_fini(&p, on_field, on_row, &b) != 0)
		rc = idn_fail(e, IDN_EDATA, "%s:%llu: malformed CSV: "
		              "unterminated quoted field", t->path,
		              (unsigned long long)b.row_line);
	csv_free(&p);
	free(b.text);
	free(b.off);
	if (rc == IDN_OK && !b.oom)
		rc = check_widths(t, e);
	if (rc == IDN_OK && b.oom)
		rc = idn_fail(e, IDN_ENOMEM, "%s: out of memory", t->path);
	if (rc == IDN_OK && b.bad_nul)
		rc = nul_fail(t, &b, e);
	return rc;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_rows; i++)
		free_row(t->cells[i], t->width[i]);
	free_row(t->header, t->n_cols);
	free(t->cells);
	free(t->line);
	free(t->width);
	free(t->path);
	free(t);
}

int table_load(struct table **out, const char *path, struct idn_err *e)
{
	struct table *t = calloc(1, sizeof *t);
	char *buf = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (!t || !(t->path = strdup(table_name(path)))) {
		free(t);
		return idn_fail(e, IDN_ENOMEM, "%s: out of memory", path);
	}
	rc = read_file(path, &buf, &len, e);
	if (rc == IDN_OK)
		rc = parse(t, buf, len, e);
	free(buf);
	if (rc != IDN_OK) {
		table_free(t);
		return rc;
	}
	*out = t;
	return IDN_OK;
}

int table_column(const struct table *t, const char *name, size_t *col,
                 struct idn_err *e)
{
	for (size_t i = 0; i < t->n_cols; i++) {
		if (strcmp(t->header[i], name) == 0) {
			*col = i;
			return IDN_OK;
		}
	}
	return idn_fail(e, IDN_EDATA, "%s:1: header: missing column '%s'",
	                t->path, name);
}

int table_fail(struct idn_err *e, const struct table *t, size_t row,
               size_t col, const char *fmt, ...)
{
	char what[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return idn_fail(e, IDN_EDATA, "%s:%llu: %s: %s", t->path,
	                (unsigned long long)t->line[row], t->header[col], what);
}

int table_number(const struct table *t, size_t row, size_t col, double min,
                 int strict, int allow_inf, double *out, struct idn_err *e)
{
	const char *s = t->cells[row][col];
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || (errno == ERANGE && isinf(v)) || isnan(v))
		return table_fail(e, t, row, col, "not a number: '%s'", s);
	if (isinf(v) && !(allow_inf && v > 0))
		return table_fail(e, t, row, col, "must be finite: '%s'", s);
	if (strict ? !(v > min) : !(v >= min))
		return table_fail(e, t, row, col, "must be %s %g: '%s'",
		                  strict ? ">" : ">=", min, s);
	*out = v;
	return IDN_OK;
}
