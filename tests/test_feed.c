/* test_feed.c - the trace read ahead and gathered into slots (feed.h).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Traces are written here, row by row, from a known sequence; what the
 * feed hands back (slots, their pairs with counts and first lines, their
 * runs of requests) must equal what a plain loop over that sequence
 * gathers, across many batch hand-overs, and stop at the first bad row
 * with every request before it delivered and the unfinished slot marked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "feed.h"
#include "testutil.h"

#define N_ROWS 20000   /* several batches of the feed */
#define GAP_ROW 12000  /* rows from here on are 50 s later: empty slots */

static char path[128];
static const char *const source_names[] = { "a0", "a1", "e0" };

/* Node id of a name, by a plain scan of the scenario's names. */
static uint32_t node_id(const struct scenario *sc, const char *name)
{
	for (uint32_t v = 0; v < sc->n_nodes; v++)
		if (strcmp(sc->node_name[v], name) == 0)
			return v;
	fail_msg("no node %s", name);
	return 0;
}

/* Row i of the test traces: time i/10 s (50 s more from GAP_ROW on),
 * written with one decimal; sources in runs of two (a0 a0 a1 a1 e0 e0
 * ...), so consecutive requests merge into events; count 1 + i mod 5. */
static int row_tenths(int i)
{
	return i + (i >= GAP_ROW ? 500 : 0);
}

static int row_source(int i)
{
	return (i / 2) % 3;
}

static uint32_t row_count(int i)
{
	return 1 + i % 5;
}

/* Write N_ROWS rows (gzip) to a temporary file; row `bad` (0-based, or
 * -1 for none) gets `what` in place of its source,task,count. */
static const char *write_trace(struct test_world *w, int bad,
                               const char *what)
{
	snprintf(path, sizeof path, "%s/trace.csv.gz", w->dir);
	gzFile g = gzopen(path, "wb1");

	assert_non_null(g);
	gzprintf(g, "time,source,task,count\n");
	for (int i = 0; i < N_ROWS; i++) {
		int t = row_tenths(i);
		if (i == bad)
			gzprintf(g, "%d.%d,%s\n", t / 10, t % 10, what);
		else
			gzprintf(g, "%d.%d,%s,cls,%u\n", t / 10, t % 10,
			         source_names[row_source(i)], row_count(i));
	}
	assert_int_equal(gzclose(g), Z_OK);
	return path;
}

/* What the feed must give for rows [0, good): gathered by a plain loop.
 * tenths_per_slot is the slot length in tenths of a second (0: one slot
 * for everything).  Events of slot k are ev[k.ev_off ..]. */
struct want_slot {
	uint64_t index;
	uint32_t n_pairs, n_events;
	uint32_t pair_source[3];
	double pair_count[3];
	uint64_t pair_line[3];
	size_t ev_off;
};

struct want {
	struct want_slot *slot;
	size_t n;
	uint32_t ev_pair[N_ROWS], ev_count[N_ROWS];
	size_t n_ev;
};

static struct want *gather_rows(int good, int tenths_per_slot)
{
	struct want *w = calloc(1, sizeof *w);

	assert_non_null(w);
	w->slot = calloc(N_ROWS + 1, sizeof *w->slot);
	assert_non_null(w->slot);
	for (int i = 0; i < good; i++) {
		uint64_t index = tenths_per_slot
		                 ? (uint64_t)(row_tenths(i) / tenths_per_slot) : 0;
		if (w->n == 0 || w->slot[w->n - 1].index != index) {
			w->slot[w->n].index = index;
			w->slot[w->n++].ev_off = w->n_ev;
		}
		struct want_slot *s = &w->slot[w->n - 1];
		uint32_t k = 0, src = (uint32_t)row_source(i);
		while (k < s->n_pairs && s->pair_source[k] != src)
			k++;
		if (k == s->n_pairs) {
			s->pair_source[k] = src;
			s->pair_line[k] = (uint64_t)i + 2;
			s->n_pairs++;
		}
		s->pair_count[k] += row_count(i);
		if (s->n_events && w->ev_pair[w->n_ev - 1] == k) {
			w->ev_count[w->n_ev - 1] += row_count(i);
		} else {
			w->ev_pair[w->n_ev] = k;
			w->ev_count[w->n_ev++] = row_count(i);
			s->n_events++;
		}
	}
	return w;
}

/* Read the feed to its end: the slots of rows [0, good) must come back
 * as gathered by want_slots, the last one partial if the feed fails;
 * returns the status after them. */
static int drain_with(struct test_world *w, const char *file, int good,
                      double slot_length, int tenths_per_slot,
                      uint64_t max_slots, struct idn_err *e)
{
	const struct feed_config cfg = { slot_length, max_slots };
	struct trace_reader *tr;
	struct feed *f;
	struct feed_slot s;
	uint32_t node[3], cls = strmap_get(w->sc->task_map, "cls", 3);
	struct want *want = gather_rows(good, tenths_per_slot);
	size_t got = 0;
	int rc;

	for (int k = 0; k < 3; k++)
		node[k] = node_id(w->sc, source_names[k]);
	assert_int_equal(trace_reader_open(&tr, file, e), IDN_OK);
	assert_int_equal(feed_open(&f, tr, w->sc, &cfg, e), IDN_OK);
	while ((rc = feed_next_slot(f, &s, e)) == IDN_OK) {
		assert_true(got < want->n);
		const struct want_slot *ws = &want->slot[got++];
		assert_int_equal(s.index, ws->index);
		assert_int_equal(s.n_pairs, ws->n_pairs);
		for (uint32_t k = 0; k < s.n_pairs; k++) {
			assert_int_equal(s.pairs[k].task, cls);
			assert_int_equal(s.pairs[k].source,
			                 node[ws->pair_source[k]]);
			assert_true(s.pairs[k].count == ws->pair_count[k]);
			assert_int_equal(s.pairs[k].line, ws->pair_line[k]);
		}
		assert_int_equal(s.n_events, ws->n_events);
		for (uint32_t j = 0; j < s.n_events; j++) {
			assert_int_equal(s.events[j].pair,
			                 want->ev_pair[ws->ev_off + j]);
			assert_int_equal(s.events[j].count,
			                 want->ev_count[ws->ev_off + j]);
		}
		/* only the slot the error cut short is partial */
		assert_int_equal(s.partial, good < N_ROWS && got == want->n);
	}
	assert_int_equal(got, want->n);
	/* the end is sticky */
	assert_int_equal(feed_next_slot(f, &s, e), rc);
	feed_close(f);
	trace_reader_close(tr);
	free(want->slot);
	free(want);
	return rc;
}

static int drain(struct test_world *w, const char *file, int good,
                 struct idn_err *e)
{
	return drain_with(w, file, good, 1.0, 10, UINT64_MAX, e);
}

static void every_slot_in_order(void **state)
{
	struct test_world w;
	struct idn_err e = { 0 };

	tu_example_world(&w);
	assert_int_equal(drain(&w, write_trace(&w, -1, NULL), N_ROWS, &e),
	                 IDN_END);
	tu_world_release(&w);
}

/* Half-second slots (five rows each), and one slot for the whole trace:
 * bigger than a batch, it must still come in one piece. */
static void other_slot_lengths(void **state)
{
	struct test_world w;
	struct idn_err e = { 0 };
	const char *file;

	tu_example_world(&w);
	file = write_trace(&w, -1, NULL);
	assert_int_equal(drain_with(&w, file, N_ROWS, 0.5, 5, UINT64_MAX, &e),
	                 IDN_END);
	assert_int_equal(drain_with(&w, file, N_ROWS, 1e9, 0, UINT64_MAX, &e),
	                 IDN_END);
	tu_world_release(&w);
}

/* Row `bad` (0-based) holds `what`: every row before it comes back, then
 * IDN_EDATA with a message containing "FILE:LINE: " + want. */
static void fails_at(int bad, const char *what, const char *want)
{
	struct test_world w;
	struct idn_err e = { 0 };
	char msg[300];

	tu_example_world(&w);
	assert_int_equal(drain(&w, write_trace(&w, bad, what), bad, &e),
	                 IDN_EDATA);
	snprintf(msg, sizeof msg, "%s:%d: %s", path, bad + 2, want);
	assert_non_null(strstr(e.msg, msg));
	tu_world_release(&w);
}

/* Unknown names fail at their own line, after every earlier request,
 * past batch boundaries. */
static void unknown_task_after_batches(void **state)
{
	fails_at(9000, "a0,nosuch,1", "task: unknown task 'nosuch'");
}

static void unknown_source(void **state)
{
	fails_at(4096, "zz,cls,1", "source: unknown node 'zz'");
}

/* The reader's own errors pass through with its message. */
static void reader_error(void **state)
{
	fails_at(15000, "a0,cls,0", "count:");
}

/* Row GAP_ROW is the first after the gap, in slot 1250: max_slots 1210
 * stops the feed there, with every slot before it. */
static void beyond_max_slots(void **state)
{
	struct test_world w;
	struct idn_err e = { 0 };
	char msg[300];

	tu_example_world(&w);
	assert_int_equal(drain_with(&w, write_trace(&w, -1, NULL), GAP_ROW,
	                            1.0, 10, 1210, &e), IDN_EDATA);
	snprintf(msg, sizeof msg, "%s:%d: time: 1250 is slot 1250, beyond "
	         "--max-slots 1210", path, GAP_ROW + 2);
	assert_non_null(strstr(e.msg, msg));
	tu_world_release(&w);
}

static void header_only(void **state)
{
	struct test_world w;
	struct idn_err e = { 0 };
	FILE *fp;

	tu_example_world(&w);
	snprintf(path, sizeof path, "%s/empty.csv", w.dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("time,source,task\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(drain(&w, path, 0, &e), IDN_END);
	tu_world_release(&w);
}

/* Runs are counted in 32 bits: one that would pass UINT32_MAX requests
 * starts a new event of the same pair, and nothing is lost. */
static void long_runs_split(void **state)
{
	const struct feed_config cfg = { 1.0, UINT64_MAX };
	struct test_world w;
	struct idn_err e = { 0 };
	struct trace_reader *tr;
	struct feed *f;
	struct feed_slot s;
	FILE *fp;

	tu_example_world(&w);
	snprintf(path, sizeof path, "%s/runs.csv", w.dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("time,source,task,count\n0,a0,cls,4294967295\n"
	      "0.1,a0,cls,4294967295\n0.2,a0,cls,1\n0.3,a1,cls,2\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(trace_reader_open(&tr, path, &e), IDN_OK);
	assert_int_equal(feed_open(&f, tr, w.sc, &cfg, &e), IDN_OK);
	assert_int_equal(feed_next_slot(f, &s, &e), IDN_OK);
	assert_int_equal(s.n_pairs, 2);
	assert_true(s.pairs[0].count == 2.0 * 4294967295.0 + 1);
	assert_true(s.pairs[1].count == 2);
	assert_int_equal(s.n_events, 4);
	const uint32_t pair[] = { 0, 0, 0, 1 };
	const uint32_t count[] = { 4294967295u, 4294967295u, 1, 2 };
	for (int j = 0; j < 4; j++) {
		assert_int_equal(s.events[j].pair, pair[j]);
		assert_int_equal(s.events[j].count, count[j]);
	}
	assert_int_equal(feed_next_slot(f, &s, &e), IDN_END);
	feed_close(f);
	trace_reader_close(tr);
	tu_world_release(&w);
}

/* Closing early, with the thread blocked on a full ring or still
 * reading, returns (and leaks nothing: the sanitizer build checks). */
static void close_early(void **state)
{
	const struct feed_config cfg = { 1.0, UINT64_MAX };
	struct test_world w;
	struct idn_err e = { 0 };
	const char *file;

	tu_example_world(&w);
	file = write_trace(&w, -1, NULL);
	for (uint32_t want = 0; want <= 1000; want += 500) {
		struct trace_reader *tr;
		struct feed *f;
		struct feed_slot s;
		assert_int_equal(trace_reader_open(&tr, file, &e), IDN_OK);
		assert_int_equal(feed_open(&f, tr, w.sc, &cfg, &e), IDN_OK);
		for (uint32_t taken = 0; taken < want; taken++)
			assert_int_equal(feed_next_slot(f, &s, &e), IDN_OK);
		feed_close(f);
		trace_reader_close(tr);
	}
	tu_world_release(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_slot_in_order),
		cmocka_unit_test(other_slot_lengths),
		cmocka_unit_test(unknown_task_after_batches),
		cmocka_unit_test(unknown_source),
		cmocka_unit_test(reader_error),
		cmocka_unit_test(beyond_max_slots),
		cmocka_unit_test(header_only),
		cmocka_unit_test(long_runs_split),
		cmocka_unit_test(close_early),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
