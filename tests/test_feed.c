/* test_feed.c - the trace read ahead on a second thread (feed.h).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Traces are written here, row by row, from a known sequence; the feed
 * must hand back exactly that sequence (ids worked out from the
 * scenario's name arrays, lines counted from the header), across many
 * batch hand-overs, and stop at the first bad row with every record
 * before it delivered.
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

static char path[128];

/* Node id of a name, by a plain scan of the scenario's names. */
static uint32_t node_id(const struct scenario *sc, const char *name)
{
	for (uint32_t v = 0; v < sc->n_nodes; v++)
		if (strcmp(sc->node_name[v], name) == 0)
			return v;
	fail_msg("no node %s", name);
	return 0;
}

/* Row i of the test traces: time i/10, source a0 or a1 by i mod 3,
 * count 1 + i mod 5. */
static const char *row_source(int i)
{
	return i % 3 ? "a1" : "a0";
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
		if (i == bad)
			gzprintf(g, "%d.%d,%s\n", i / 10, i % 10, what);
		else
			gzprintf(g, "%d.%d,%s,cls,%d\n", i / 10, i % 10,
			         row_source(i), 1 + i % 5);
	}
	assert_int_equal(gzclose(g), Z_OK);
	return path;
}

/* Read the feed to its end, batch by batch: the first `good` rows must
 * come back as written; returns the status after them. */
static int drain(struct test_world *w, const char *file, int good,
                 struct idn_err *e)
{
	struct trace_reader *tr;
	struct feed *f;
	const struct feed_record *b;
	uint32_t a0 = node_id(w->sc, "a0"), a1 = node_id(w->sc, "a1"), n;
	int rc, i = 0;

	assert_int_equal(trace_reader_open(&tr, file, e), IDN_OK);
	assert_int_equal(feed_open(&f, tr, w->sc, e), IDN_OK);
	while ((rc = feed_next_batch(f, &b, &n, e)) == IDN_OK) {
		assert_true(n >= 1);
		for (uint32_t k = 0; k < n; k++, i++) {
			assert_true(i < good);
			assert_true(b[k].time == (double)i / 10);
			assert_int_equal(b[k].source, i % 3 ? a1 : a0);
			assert_string_equal(w->sc->task_name[b[k].task], "cls");
			assert_int_equal(b[k].count, 1 + i % 5);
			assert_int_equal(b[k].line, i + 2);
		}
	}
	assert_int_equal(i, good);
	/* the end is sticky */
	assert_int_equal(feed_next_batch(f, &b, &n, e), rc);
	feed_close(f);
	trace_reader_close(tr);
	return rc;
}

static void every_record_in_order(void **state)
{
	struct test_world w;
	struct idn_err e = { 0 };

	tu_example_world(&w);
	assert_int_equal(drain(&w, write_trace(&w, -1, NULL), N_ROWS, &e),
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

/* Unknown names fail at their own line, after every earlier record,
 * past batch boundaries (4096 is the first row of the second batch). */
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

/* Closing early, with the thread blocked on a full ring or still
 * reading, returns (and leaks nothing: the sanitizer build checks). */
static void close_early(void **state)
{
	struct test_world w;
	struct idn_err e = { 0 };
	const char *file;

	tu_example_world(&w);
	file = write_trace(&w, -1, NULL);
	for (uint32_t want = 0; want <= 10000; want += 5000) {
		struct trace_reader *tr;
		struct feed *f;
		const struct feed_record *b;
		uint32_t n, taken = 0;
		assert_int_equal(trace_reader_open(&tr, file, &e), IDN_OK);
		assert_int_equal(feed_open(&f, tr, w.sc, &e), IDN_OK);
		while (taken < want) {
			assert_int_equal(feed_next_batch(f, &b, &n, &e), IDN_OK);
			taken += n;
		}
		feed_close(f);
		trace_reader_close(tr);
	}
	tu_world_release(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_record_in_order),
		cmocka_unit_test(unknown_task_after_batches),
		cmocka_unit_test(unknown_source),
		cmocka_unit_test(reader_error),
		cmocka_unit_test(header_only),
		cmocka_unit_test(close_early),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
