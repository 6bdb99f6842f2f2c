/* feed.h - a trace read ahead on a second thread and gathered into slots.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decompressing and splitting a trace, looking up its node and task
 * names and gathering its requests into slots (which (task, source)
 * pairs each slot asks for, how often, in what order) is most of a
 * replay's per-request work and needs nothing from the replay itself,
 * so a feed does it on its own thread while the engine plays slots: on
 * two cores the two halves overlap, and what is left to the engine is
 * per pair and per slot, not per request.  Slots arrive in order, handed
 * over a few thousand requests' worth at a time under one mutex, so the
 * result is exactly that of reading in line.
 *
 * Slot t holds the requests with floor((time - t0) / slot_length) == t,
 * t0 the time of the first request; slots without requests are skipped
 * (the caller sees the gap in the indices).
 *
 * The first error (bad row, unknown node or task, a time past
 * max_slots, truncated gzip) ends the feed.  The slot gathered when it
 * came, if any, is handed over with partial set: it holds every request
 * before the error, but the slot did not end, so it must not be played;
 * the next call returns the error with its "FILE:LINE: FIELD: what"
 * message.
 *
 * The feed borrows the reader and the scenario (only read, never written,
 * by the thread); both must outlive feed_close.
 */
#ifndef IDN_FEED_H
#define IDN_FEED_H

#include <stdint.h>
#include "err.h"
#include "scenario.h"
#include "trace.h"

struct feed_config {
	double slot_length;   /* seconds, > 0 */
	uint64_t max_slots;   /* a request in slot max_slots or later is an
	                       * error (message "... beyond --max-slots N") */
};

/* A (task, source) pair of a slot, in the order of its first request. */
struct feed_pair {
	uint32_t task;
	uint32_t source;      /* node id */
	double count;         /* its requests in the slot */
	uint64_t line;        /* line of its first request in the slot */
};

/* Consecutive requests of one pair, in trace order (count <= UINT32_MAX:
 * a longer run is split). */
struct feed_event {
	uint32_t pair;        /* index into the slot's pairs */
	uint32_t count;
};

struct feed_slot {
	uint64_t index;
	uint32_t n_pairs;
	uint32_t n_events;
	const struct feed_pair *pairs;
	const struct feed_event *events;
	int partial;          /* cut short by an error: do not play */
};

struct feed;

/* Start reading tr on a new thread (signals blocked there, so they are
 * handled by the caller's thread as before). */
int feed_open(struct feed **out, struct trace_reader *tr,
              const struct scenario *sc, const struct feed_config *cfg,
              struct idn_err *e);
/* IDN_OK with the next slot that has requests in *s (its arrays valid
 * until the next call), IDN_END after the last one, or the error.  The
 * end and the error are sticky. */
int feed_next_slot(struct feed *f, struct feed_slot *s, struct idn_err *e);
/* Stop the thread and free the feed; NULL is a no-op.  The thread stops
 * at its next row, so this waits for a read in progress (from a pipe
 * that stays silent, that is until it closes). */
void feed_close(struct feed *f);

#endif
