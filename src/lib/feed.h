/* feed.h - a trace read ahead on a second thread, names resolved to ids.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decompressing, splitting and looking up the source and task names of a
 * trace is about a third of a replay's work and needs nothing from the
 * replay itself, so a feed does it on its own thread while the engine
 * plays slots: on two cores the two halves overlap.  Records arrive in
 * file order, in batches handed over under one mutex, so the result is
 * exactly that of reading in line (trace_reader_next plus the name
 * lookups).
 *
 * The first error (bad row, unknown node or task, truncated gzip) ends
 * the feed: feed_next_batch returns every record before it, then the error
 * with its "FILE:LINE: FIELD: what" message.  The feed borrows the
 * reader and the scenario (only read, never written, by the thread);
 * both must outlive feed_close.
 */
#ifndef IDN_FEED_H
#define IDN_FEED_H

#include <stdint.h>
#include "err.h"
#include "scenario.h"
#include "trace.h"

struct feed_record {
	double time;
	uint32_t source;      /* node id */
	uint32_t task;        /* task id */
	uint64_t count;
	uint64_t line;        /* 1-based line in the file, for messages */
};

struct feed;

/* Start reading tr on a new thread (signals blocked there, so they are
 * handled by the caller's thread as before). */
int feed_open(struct feed **out, struct trace_reader *tr,
              const struct scenario *sc, struct idn_err *e);
/* IDN_OK with *n >= 1 records at *recs (valid until the next call; the
 * caller can look ahead in them and prefetch), IDN_END at the end of the
 * trace, or the reader's error.  The end and the error are sticky. */
int feed_next_batch(struct feed *f, const struct feed_record **recs,
                    uint32_t *n, struct idn_err *e);
/* Stop the thread and free the feed; NULL is a no-op.  The thread stops
 * at its next record, so this waits for a read in progress (from a pipe
 * that stays silent, that is until it closes). */
void feed_close(struct feed *f);

#endif
