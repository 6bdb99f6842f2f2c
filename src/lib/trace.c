/* trace.c - streaming reader and writer of request traces.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading is on the hot path of every replay, so the reader is a hand-made
 * CSV parser rather than libcsv's callback machine: zlib fills one buffer
 * (gzread is transparent for plain input), memchr finds the end of each
 * line, and a line without a double quote is split on commas in a single
 * pass.  Lines with quotes take a slower state machine that follows
 * libcsv's strict mode: a quoted field may hold commas, newlines and ""
 * for a quote; a quote inside an unquoted field, text after a closing
 * quote and a quote still open at end of input are errors.  Like libcsv,
 * spaces and tabs around a field are dropped and empty lines skipped.
 *
 * Fields are cut in place (NUL-terminated, quotes unescaped), so a record
 * costs no allocation.  The buffer grows only to hold one record, never
 * the trace, and is capped at RD_MAX_RECORD.
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "output.h"
#include "pack.h"
#include "trace.h"

#define RD_CHUNK (1u << 20)            /* initial buffer size */
#define RD_MAX_RECORD (256u << 20)     /* longest record accepted */
#define RD_SHOW 80                     /* bytes of a value in messages */

enum { COL_TIME, COL_SOURCE, COL_TASK, COL_COUNT, N_COLS };
static const char *const col_names[N_COLS] = {
	"time", "source", "task", "count"
};

struct field {
	char *p;
	size_t len;
};

struct trace_reader {
	char *name;             /* for messages */
	struct pack_reader *pack;   /* a packed trace; the rest unused */
	gzFile gz;
	char *buf;
	size_t cap;             /* bytes allocated; one is kept for a NUL */
	size_t start, end;      /* unread data is buf[start .. end) */
	int eof;                /* gzread has nothing more */
	uint64_t line;          /* physical line of buf[start] */

	char **colname;         /* header names, ncols of them */
	size_t ncols;
	int col[N_COLS];        /* column index, -1 if absent */
	struct field *f;        /* fields of the current record */
	size_t fcap;

	double prev_time;
	int have_prev;
	int failed;             /* sticky status after an error */
	struct idn_err err;     /* its message */
};

/* --- input buffer --------------------------------------------------------- */

static int read_error(struct trace_reader *r, struct idn_err *e)
{
	int zerr;
	const char *msg = gzerror(r->gz, &zerr);

	if (zerr == Z_ERRNO)
		return idn_fail(e, IDN_EIO, "%s:%llu: read error: %s", r->name,
		                (unsigned long long)r->line, strerror(errno));
	if (zerr == Z_BUF_ERROR)
		return idn_fail(e, IDN_EDATA,
		                "%s:%llu: gzip: unexpected end of file "
		                "(truncated?)", r->name,
		                (unsigned long long)r->line);
	/* zlib puts "PATH: " (or "<fd:N>: ") in front of its message; our
	 * message already names the file. */
	size_t k = strlen(r->name);

	if (strncmp(msg, "<fd:", 4) == 0)
		k = strcspn(msg, ">") + 1;
	else if (strncmp(msg, r->name, k) != 0)
		k = 0;
	if (k && strncmp(msg + k, ": ", 2) == 0)
		msg += k + 2;
	return idn_fail(e, IDN_EDATA, "%s:%llu: gzip: corrupt input: %s",
	                r->name, (unsigned long long)r->line, msg);
}

/* Move unread data to the front, grow the buffer if it is full, and read
 * more.  Sets r->eof when the input is exhausted. */
static int fill(struct trace_reader *r, struct idn_err *e)
{
	size_t want;
	int n, zerr;

	assert(!r->eof);
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end + 1 >= r->cap) {
		char *nb;

		if (r->cap >= RD_MAX_RECORD)
			return idn_fail(e, IDN_EDATA,
			                "%s:%llu: record longer than %u MiB",
			                r->name, (unsigned long long)r->line,
			                RD_MAX_RECORD >> 20);
		nb = realloc(r->buf, r->cap * 2);
		if (!nb)
			return idn_fail(e, IDN_ENOMEM, "%s: out of memory",
			                r->name);
		r->buf = nb;
		r->cap *= 2;
	}
	want = r->cap - 1 - r->end;
	if (want > RD_CHUNK)
		want = RD_CHUNK;
	n = gzread(r->gz, r->buf + r->end, (unsigned)want);
	if (n < 0)
		return read_error(r, e);
	/* A short read is end of input; a truncated gzip member is
	 * reported there as Z_BUF_ERROR rather than as a failed read. */
	if ((size_t)n < want) {
		gzerror(r->gz, &zerr);
		if (zerr != Z_OK)
			return read_error(r, e);
		r->eof = 1;
	}
	r->end += (size_t)n;
	return IDN_OK;
}

/* --- locating and splitting records --------------------------------------- */

/* Name of field k for messages. */
static const char *field_name(const struct trace_reader *r, size_t k)
{
	if (!r->colname)
		return "header";
	return k < r->ncols ? r->colname[k] : "row";
}

enum scan_state { S_FIELD, S_PLAIN, S_QUOTED, S_QUOTE };

/* Find the end of a record that contains a double quote, where newlines
 * inside quoted fields do not end it.  On success *len is its length up to
 * the terminating newline (or end of input), *nl the number of newlines it
 * spans and *term whether a newline ends it.  Returns IDN_END if more input
 * is needed to tell. */
static int scan_quoted(struct trace_reader *r, size_t *len, uint64_t *nl,
                       int *term, struct idn_err *e)
{
	const char *s = r->buf + r->start;
	size_t n = r->end - r->start, k = 0;
	enum scan_state st = S_FIELD;
	uint64_t lines = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\n' && st != S_QUOTED) {
			*len = i;
			*nl = lines + 1;
			*term = 1;
			return IDN_OK;
		}
		lines += c == '\n';
		switch (st) {
		case S_FIELD:
			if (c == '"')
				st = S_QUOTED;
			else if (c == ',')
				k++;
			else if (c != ' ' && c != '\t')
				st = S_PLAIN;
			break;
		case S_QUOTED:
			if (c == '"')
				st = S_QUOTE;
			break;
		case S_QUOTE:       /* "" is a quote; anything else closes */
			if (c == '"') {
				st = S_QUOTED;
				break;
			}
			/* fall through */
		case S_PLAIN:
			if (c == ',') {
				k++;
				st = S_FIELD;
			} else {
				st = S_PLAIN;
			}
			break;
		}
	}
	if (!r->eof)
		return IDN_END;
	if (st == S_QUOTED)
		return idn_fail(e, IDN_EDATA,
		                "%s:%llu: %s: unterminated quoted field at end "
		                "of input", r->name,
		                (unsigned long long)r->line, field_name(r, k));
	*len = n;
	*nl = lines;
	*term = 0;
	return IDN_OK;
}

/* Find the next record and consume it: *rec points at it (with at least
 * one byte of room after it for a NUL), *len is its length without the
 * line end, *nl the number of lines it spans.  IDN_END at end of input. */
static int next_record(struct trace_reader *r, char **rec, size_t *len,
                       uint64_t *nl, struct idn_err *e)
{
	for (;;) {
		char *s = r->buf + r->start;
		size_t avail = r->end - r->start;
		char *eol = memchr(s, '\n', avail);
		int term = eol != NULL, rc = IDN_OK;

		if (!eol && !r->eof) {
			if ((rc = fill(r, e)) != IDN_OK)
				return rc;
			continue;
		}
		if (!eol && avail == 0)
			return IDN_END;
		*len = eol ? (size_t)(eol - s) : avail;
		*nl = (uint64_t)term;
		/* The common case ends here: no quote, so the line is the
		 * record. */
		if (memchr(s, '"', *len))
			rc = scan_quoted(r, len, nl, &term, e);
		if (rc == IDN_END && (rc = fill(r, e)) == IDN_OK)
			continue;
		if (rc != IDN_OK)
			return rc;
		*rec = s;
		r->start += *len + (size_t)term;
		return IDN_OK;
	}
}

static int bad_value(const struct trace_reader *r, uint64_t line, size_t k,
                     const char *what, const char *v, size_t n,
                     struct idn_err *e)
{
	return idn_fail(e, IDN_EDATA, "%s:%llu: %s: %s: '%.*s%s'", r->name,
	                (unsigned long long)line, field_name(r, k), what,
	                (int)(n > RD_SHOW ? RD_SHOW : n), v,
	                n > RD_SHOW ? "..." : "");
}

static int store_field(struct trace_reader *r, size_t k, char *p, size_t n,
                       int grow, struct idn_err *e)
{
	if (k >= r->fcap) {
		struct field *nf;
		size_t cap;

		if (!grow)
			return IDN_OK;   /* too many fields: counted, not kept */
		cap = r->fcap ? r->fcap * 2 : 8;
		nf = realloc(r->f, cap * sizeof *nf);
		if (!nf)
			return idn_fail(e, IDN_ENOMEM, "%s: out of memory",
			                r->name);
		r->f = nf;
		r->fcap = cap;
	}
	r->f[k].p = p;
	r->f[k].len = n;
	return IDN_OK;
}

/* Bytes that end or spoil an unquoted field. */
static const unsigned char special[256] = {
	[','] = 1, ['"'] = 1, ['\0'] = 1, ['\r'] = 1,
};

/* Cut a quoted field starting at s[*i] == '"' in place; on return *i is
 * just past the closing quote and trailing blanks, *w the field end. */
static int cut_quoted(const struct trace_reader *r, char *s, size_t len,
                      size_t *i, size_t *w, uint64_t line, size_t k,
                      struct idn_err *e)
{
	size_t j = *i + 1, out = *i;

	for (;;) {
		assert(j < len);   /* scan_quoted saw the closing quote */
		if (s[j] == '"') {
			if (j + 1 < len && s[j + 1] == '"') {
				s[out++] = '"';
				j += 2;
				continue;
			}
			j++;
			break;
		}
		if (s[j] == '\0')
			return bad_value(r, line, k, "NUL byte in field",
			                 s + *i, out - *i, e);
		s[out++] = s[j++];
	}
	while (j < len && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (j < len && s[j] != ',')
		return bad_value(r, line, k, "text after closing quote",
		                 s + j, len - j, e);
	*i = j;
	*w = out;
	return IDN_OK;
}

/* Split record s[0 .. len) into r->f (growing it if grow), NUL-terminating
 * each field in place.  *nf is the number of fields found. */
static int split(struct trace_reader *r, char *s, size_t len, uint64_t line,
                 int grow, size_t *nf, struct idn_err *e)
{
	size_t i = 0, k = 0;
	int rc;

	for (;;) {
		size_t begin, stop = 0;

		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		begin = i;
		if (i < len && s[i] == '"') {
			rc = cut_quoted(r, s, len, &i, &stop, line, k, e);
			if (rc != IDN_OK)
				return rc;
		} else {
			while (i < len && !special[(unsigned char)s[i]])
				i++;
			if (i < len && s[i] != ',') {
				const char *what = s[i] == '"'
					? "quote inside unquoted field"
					: s[i] ? "carriage return inside field"
					       : "NUL byte in field";

				return bad_value(r, line, k, what, s + begin,
				                 i - begin, e);
			}
			stop = i;
			while (stop > begin &&
			       (s[stop - 1] == ' ' || s[stop - 1] == '\t'))
				stop--;
		}
		/* s[i] is ',' or i == len; both may be overwritten now. */
		if ((rc = store_field(r, k, s + begin, stop - begin, grow, e)))
			return rc;
		k++;
		if (i >= len) {
			s[stop] = '\0';
			break;
		}
		s[stop] = '\0';
		i++;
	}
	*nf = k;
	return IDN_OK;
}

/* Next non-empty record, split into fields; *line is where it starts. */
static int next_fields(struct trace_reader *r, int grow, size_t *nf,
                       uint64_t *line, struct idn_err *e)
{
	for (;;) {
		char *s;
		size_t len;
		uint64_t nl;
		int rc = next_record(r, &s, &len, &nl, e);

		if (rc != IDN_OK)
			return rc;
		*line = r->line;
		r->line += nl;
		if (len > 0 && s[len - 1] == '\r')
			len--;
		if (len == 0)
			continue;   /* blank line */
		return split(r, s, len, *line, grow, nf, e);
	}
}

/* --- header --------------------------------------------------------------- */

static int read_header(struct trace_reader *r, struct idn_err *e)
{
	size_t nf;
	uint64_t line;
	int rc;

	if ((rc = fill(r, e)) != IDN_OK)
		return rc;
	if (r->end >= 8 && memcmp(r->buf, PACK_MAGIC, 8) == 0)
		return idn_fail(e, IDN_EDATA, "%s: a packed trace must be "
		                "given as a file (it is mapped, not streamed)",
		                r->name);
	if (r->end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
		r->start = 3;
	rc = next_fields(r, 1, &nf, &line, e);
	if (rc == IDN_END)
		return idn_fail(e, IDN_EDATA,
		                "%s:1: header: empty file, expected a header "
		                "row", r->name);
	if (rc != IDN_OK)
		return rc;
	r->colname = calloc(nf, sizeof *r->colname);
	if (!r->colname)
		return idn_fail(e, IDN_ENOMEM, "%s: out of memory", r->name);
	r->ncols = nf;
	for (size_t k = 0; k < nf; k++) {
		if (!(r->colname[k] = strdup(r->f[k].p)))
			return idn_fail(e, IDN_ENOMEM, "%s: out of memory",
			                r->name);
		for (int c = 0; c < N_COLS; c++) {
			if (strcmp(r->f[k].p, col_names[c]) != 0)
				continue;
			if (r->col[c] >= 0)
				return idn_fail(e, IDN_EDATA,
				                "%s:%llu: header: duplicate "
				                "column '%s'", r->name,
				                (unsigned long long)line,
				                col_names[c]);
			r->col[c] = (int)k;
		}
	}
	for (int c = 0; c < COL_COUNT; c++)
		if (r->col[c] < 0)
			return idn_fail(e, IDN_EDATA,
			                "%s:%llu: header: missing column '%s'",
			                r->name, (unsigned long long)line,
			                col_names[c]);
	return IDN_OK;
}

int trace_reader_open(struct trace_reader **out, const char *path,
                      struct idn_err *e)
{
	struct trace_reader *r;
	int rc = IDN_OK;

	*out = NULL;
	r = calloc(1, sizeof *r);
	if (!r)
		return idn_fail(e, IDN_ENOMEM, "%s: out of memory", path);
	for (int c = 0; c < N_COLS; c++)
		r->col[c] = -1;
	r->line = 1;
	r->cap = RD_CHUNK;
	r->buf = malloc(r->cap);
	r->name = strdup(strcmp(path, "-") == 0 ? "<stdin>" : path);
	if (!r->buf || !r->name) {
		rc = idn_fail(e, IDN_ENOMEM, "%s: out of memory", path);
	} else if (strcmp(path, "-") == 0) {
		/* gzclose closes the descriptor; keep standard input open. */
		int fd = dup(STDIN_FILENO);

		if (fd < 0 || !(r->gz = gzdopen(fd, "rb"))) {
			if (fd >= 0)
				close(fd);
			rc = idn_fail(e, IDN_EIO, "<stdin>: cannot read: %s",
			              strerror(errno));
		}
	} else if (pack_sniff(path)) {
		rc = pack_reader_open(&r->pack, path, r->name, e);
	} else if (!(r->gz = gzopen(path, "rb"))) {
		rc = idn_fail(e, IDN_EIO, "%s: cannot open: %s", path,
		              errno ? strerror(errno) : "out of memory");
	}
	if (rc == IDN_OK && !r->pack) {
		gzbuffer(r->gz, 256 * 1024);
		rc = read_header(r, e);
	}
	if (rc != IDN_OK) {
		trace_reader_close(r);
		return rc;
	}
	*out = r;
	return IDN_OK;
}

/* --- values --------------------------------------------------------------- */

static const double pow10_tab[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

static size_t skip_digits(const char *p, size_t i, size_t n)
{
	while (i < n && p[i] >= '0' && p[i] <= '9')
		i++;
	return i;
}

/* Decimal [+-]digits[.digits][e[+-]digits]; nothing else (no hex, inf,
 * nan or blanks, which strtod would take). */
static int is_decimal(const char *p, size_t n)
{
	size_t i = (n > 0 && (p[0] == '+' || p[0] == '-')), d, f;

	d = skip_digits(p, i, n);
	f = d;
	if (f < n && p[f] == '.')
		f = skip_digits(p, f + 1, n);
	if (d - i + (f > d ? f - d - 1 : 0) == 0)
		return 0;   /* no digits at all */
	i = f;
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		d = skip_digits(p, i, n);
		if (d == i)
			return 0;
		i = d;
	}
	return i == n;
}

/* Parse a time.  Short plain decimals ("12.345678") take the exact fast
 * path: with at most 15 digits the mantissa and 10^k are exact doubles, so
 * one division is correctly rounded, as strtod would be.  The rest goes to
 * strtod (p is NUL-terminated; the C locale is assumed, no tool calls
 * setlocale). */
static int parse_time(const char *p, size_t n, double *out)
{
	size_t i = (n > 0 && (p[0] == '+' || p[0] == '-')), digits = 0;
	size_t frac = 0;
	uint64_t m = 0;
	int dot = 0;

	for (; i < n; i++) {
		char c = p[i];

		if (c >= '0' && c <= '9') {
			m = m * 10 + (uint64_t)(c - '0');
			digits++;
			frac += dot;
		} else if (c == '.' && !dot) {
			dot = 1;
		} else {
			break;
		}
	}
	if (i == n && digits > 0 && digits <= 15) {
		double v = (double)m / pow10_tab[frac];

		*out = p[0] == '-' ? -v : v;
		return 0;
	}
	if (!is_decimal(p, n))
		return -1;
	*out = strtod(p, NULL);
	return isfinite(*out) ? 0 : -1;
}

static int parse_count(const char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0 || n > 10)
		return n == 0 ? -1 : -2;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	if (v == 0)
		return -1;
	if (v > UINT32_MAX)
		return -2;
	*out = v;
	return 0;
}

static int check_row(struct trace_reader *r, struct trace_record *rec,
                     size_t nf, struct idn_err *e)
{
	const struct field *t = &r->f[r->col[COL_TIME]];
	const struct field *src = &r->f[r->col[COL_SOURCE]];
	const struct field *task = &r->f[r->col[COL_TASK]];
	uint64_t line = rec->line;

	if (nf != r->ncols)
		return idn_fail(e, IDN_EDATA,
		                "%s:%llu: row: %zu fields, the header has %zu",
		                r->name, (unsigned long long)line, nf,
		                r->ncols);
	if (parse_time(t->p, t->len, &rec->time) < 0)
		return bad_value(r, line, (size_t)r->col[COL_TIME],
		                 "not a finite number", t->p, t->len, e);
	if (r->have_prev && rec->time < r->prev_time) {
		char a[32], b[32];

		fmt_double(a, rec->time);
		fmt_double(b, r->prev_time);
		return idn_fail(e, IDN_EDATA,
		                "%s:%llu: time: %s is before the previous %s",
		                r->name, (unsigned long long)line, a, b);
	}
	if (src->len == 0)
		return bad_value(r, line, (size_t)r->col[COL_SOURCE], "empty",
		                 "", 0, e);
	if (task->len == 0)
		return bad_value(r, line, (size_t)r->col[COL_TASK], "empty",
		                 "", 0, e);
	rec->count = 1;
	if (r->col[COL_COUNT] >= 0) {
		const struct field *c = &r->f[r->col[COL_COUNT]];
		int rc = parse_count(c->p, c->len, &rec->count);

		if (rc == -1)
			return bad_value(r, line, (size_t)r->col[COL_COUNT],
			                 "not an integer >= 1", c->p, c->len, e);
		if (rc == -2)
			return bad_value(r, line, (size_t)r->col[COL_COUNT],
			                 "larger than 4294967295", c->p, c->len,
			                 e);
	}
	r->prev_time = rec->time;
	r->have_prev = 1;
	rec->source = src->p;
	rec->source_len = src->len;
	rec->task = task->p;
	rec->task_len = task->len;
	return IDN_OK;
}

int trace_reader_next(struct trace_reader *r, struct trace_record *rec,
                      struct idn_err *e)
{
	size_t nf;
	uint64_t line;
	int rc;

	if (r->failed)
		return idn_fail(e, r->failed, "%s", r->err.msg);
	if (r->pack) {
		rc = pack_reader_next(r->pack, rec, &r->err);
	} else if ((rc = next_fields(r, 0, &nf, &line, &r->err)) == IDN_OK) {
		rec->line = line;
		rec->source_idx = rec->task_idx = TRACE_NO_INDEX;
		rc = check_row(r, rec, nf, &r->err);
	}
	if (rc == IDN_OK || rc == IDN_END)
		return rc;
	r->failed = rc;
	return idn_fail(e, rc, "%s", r->err.msg);
}

const char *trace_reader_name(const struct trace_reader *r)
{
	return r->name;
}

void trace_reader_close(struct trace_reader *r)
{
	if (!r)
		return;
	pack_reader_close(r->pack);
	if (r->gz)
		gzclose(r->gz);
	for (size_t k = 0; r->colname && k < r->ncols; k++)
		free(r->colname[k]);
	free(r->colname);
	free(r->f);
	free(r->buf);
	free(r->name);
	free(r);
}

/* --- writer --------------------------------------------------------------- */

struct trace_writer {
	struct outfile *out;
	int with_count;
};

int trace_writer_open(struct trace_writer **out, const char *path,
                      int gz_level, int with_count, struct idn_err *e)
{
	struct trace_writer *w;
	int rc;

	*out = NULL;
	w = calloc(1, sizeof *w);
	if (!w)
		return idn_fail(e, IDN_ENOMEM, "%s: out of memory", path);
	rc = outfile_open(&w->out, path, gz_level, e);
	if (rc != IDN_OK) {
		free(w);
		return rc;
	}
	w->with_count = with_count;
	outfile_puts(w->out, with_count ? "time,source,task,count\n"
	                                : "time,source,task\n");
	*out = w;
	return IDN_OK;
}

/* Write s as a CSV field, quoted when the reader would otherwise split,
 * trim or reject it. */
static void put_field(struct outfile *o, const char *s)
{
	size_t n = strlen(s);
	int quote = n > 0 && (s[0] == ' ' || s[0] == '\t' ||
	                      s[n - 1] == ' ' || s[n - 1] == '\t');

	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' ||
		        s[i] == '\r';
	if (!quote) {
		outfile_write(o, s, n);
		return;
	}
	outfile_write(o, "\"", 1);
	for (const char *q; (q = strchr(s, '"')); s = q + 1) {
		outfile_write(o, s, (size_t)(q - s + 1));
		outfile_write(o, "\"", 1);   /* double it */
	}
	outfile_puts(o, s);
	outfile_write(o, "\"", 1);
}

int trace_writer_put(struct trace_writer *w, double time, const char *source,
                     const char *task, uint64_t count)
{
	char num[32];

	assert(isfinite(time) && *source && *task && count >= 1);
	outfile_write(w->out, num, fmt_double(num, time));
	outfile_write(w->out, ",", 1);
	put_field(w->out, source);
	outfile_write(w->out, ",", 1);
	put_field(w->out, task);
	if (w->with_count) {
		num[0] = ',';
		outfile_write(w->out, num, 1 + fmt_u64(num + 1, count));
	}
	return outfile_write(w->out, "\n", 1);
}

int trace_writer_commit(struct trace_writer *w, struct idn_err *e)
{
	int rc = outfile_commit(w->out, e);

	free(w);
	return rc;
}

void trace_writer_abort(struct trace_writer *w)
{
	if (!w)
		return;
	outfile_abort(w->out);
	free(w);
}
