/* pack.h - packed traces: the rows of a CSV trace, stored so that a
 * replay reads them without decompressing, splitting or hashing.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV (gzip or plain) stays the interchange format; a packed trace is a
 * cache for replaying one trace many times (idn-pack writes it,
 * trace_reader_open reads either kind).  Layout, every integer
 * little-endian (doc/formats.md has the same):
 *
 *   header   8 bytes PACK_MAGIC, uint32 version (1), uint32 record size (20)
 *   records  n x { float64 time, uint32 source, uint32 task, uint32 count }
 *            source and task index the name lists below
 *   names    uint32 n_sources, then per name: uint32 len, len bytes, a NUL;
 *            then the same for the tasks
 *   trailer  uint64 n, uint64 offset of the names, 8 bytes PACK_END
 *
 * The names come last so that a writer can stream, to a pipe too; a
 * reader maps the whole file, so it must be a regular file.  The reader
 * checks what the CSV reader checks (times finite and non-decreasing,
 * counts >= 1, names non-empty) and that every index and length stays
 * inside the file; record k (from 1) is reported as line k + 1, the line
 * it has in a CSV trace with one header line and no blank lines.
 */
#ifndef IDN_PACK_H
#define IDN_PACK_H

#include <stdint.h>
#include "err.h"

#define PACK_MAGIC "\x89IDNPCK\n"
#define PACK_END "\x89IDNEND\n"
#define PACK_VERSION 1u
#define PACK_RECORD 20u

struct trace_record;
struct pack_reader;

/* 1 if path is a regular file that starts with PACK_MAGIC, else 0 (also
 * when it can't be read: the CSV reader then says why).  Nothing else is
 * opened: a byte read from a pipe would be lost to the reader. */
int pack_sniff(const char *path);
/* Map and check path; name is used in messages. */
int pack_reader_open(struct pack_reader **r, const char *path,
                     const char *name, struct idn_err *e);
/* The next record (names point into the file, NUL-terminated; the
 * record's source_idx and task_idx are set), IDN_END, or an error. */
int pack_reader_next(struct pack_reader *r, struct trace_record *rec,
                     struct idn_err *e);
void pack_reader_close(struct pack_reader *r);

struct pack_writer;

/* Write a packed trace to path ("-" for standard output) through an
 * outfile: it appears whole or not at all. */
int pack_writer_open(struct pack_writer **w, const char *path,
                     struct idn_err *e);
int pack_writer_put(struct pack_writer *w, const struct trace_record *rec,
                    struct idn_err *e);
int pack_writer_commit(struct pack_writer *w, struct idn_err *e);
void pack_writer_abort(struct pack_writer *w);

#endif
