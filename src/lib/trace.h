/* trace.h - streaming reader and writer of request traces (SPEC section 2).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A trace is CSV, or a packed trace (pack.h, recognised by its first
 * bytes; a regular file, not standard input) holding the same rows.
 * A CSV trace has a header naming at least time, source and task, and
 * optionally count (integer >= 1, default 1); columns are found by name and
 * extra columns are ignored.  Plain and gzip input go through the same path
 * (zlib detects which), "-" is standard input, CRLF line ends and a UTF-8
 * BOM are accepted.  The reader holds one buffer, never the whole trace.
 *
 * The reader checks syntax and per-row values: time finite and
 * non-decreasing, count a positive integer, source and task non-empty.
 * Whether source/task name a real node/task is the caller's business; it
 * reports such errors with trace_reader_name() and record.line.
 */
#ifndef IDN_TRACE_H
#define IDN_TRACE_H

#include <stdint.h>
#include "err.h"

struct trace_reader;

/* One request row.  The strings are owned by the reader and valid until
 * the next call to trace_reader_next. */
struct trace_record {
	double time;
	const char *source;
	size_t source_len;
	const char *task;
	size_t task_len;
	uint64_t count;
	uint64_t line;        /* 1-based line number in the file */
	/* In a packed trace (pack.h), the names' positions in the file's
	 * name lists, so a reader of many rows can look each name up once;
	 * TRACE_NO_INDEX in a CSV trace. */
	uint32_t source_idx, task_idx;
};

#define TRACE_NO_INDEX UINT32_MAX

int trace_reader_open(struct trace_reader **r, const char *path,
                      struct idn_err *e);
/* IDN_OK with *rec filled, IDN_END at end of input, or an error code
 * (message "FILE:LINE: FIELD: what"; a truncated gzip is an error). */
int trace_reader_next(struct trace_reader *r, struct trace_record *rec,
                      struct idn_err *e);
/* The name used in messages ("<stdin>" for "-"). */
const char *trace_reader_name(const struct trace_reader *r);
void trace_reader_close(struct trace_reader *r);

struct trace_writer;

/* Writes "time,source,task[,count]" (count column only if with_count)
 * through an outfile (see output.h; level as there). */
int trace_writer_open(struct trace_writer **w, const char *path,
                      int gz_level, int with_count, struct idn_err *e);
int trace_writer_put(struct trace_writer *w, double time, const char *source,
                     const char *task, uint64_t count);
int trace_writer_commit(struct trace_writer *w, struct idn_err *e);
void trace_writer_abort(struct trace_writer *w);

#endif
