/* test_pack.c - packed traces (pack.h): the rows of a CSV trace come back
 * unchanged through pack_writer and trace_reader, and every kind of
 * damage to a packed file is an error naming the file, never a read
 * outside it.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The expected rows are the ones written here as CSV; damaged files are
 * made by patching bytes at offsets worked out from the layout in pack.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "idnbench/policy.h"
#include "pack.h"
#include "trace.h"

static char dir[64], csv[96], packed[96];

/* The rows: names with a comma (quoted in the CSV) and one longer than
 * a strmap slot holds; a count column; equal times. */
static const struct row {
	const char *time, *source, *task;
	unsigned count;
	double t;
} rows[] = {
	{ "0.5", "a0", "cls", 1, 0.5 },
	{ "0.5", "a1", "x,y", 3, 0.5 },
	{ "1.25", "a0", "a-task-name-longer-than-twenty-bytes", 4294967295u, 1.25 },
	{ "7", "a1", "cls", 2, 7 },
	{ "7.000001", "a0", "x,y", 1, 7.000001 },
};
#define N_ROWS (sizeof rows / sizeof *rows)

static int setup(void **state)
{
	FILE *f;

	strcpy(dir, "/tmp/test_pack.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(csv, sizeof csv, "%s/t.csv", dir);
	snprintf(packed, sizeof packed, "%s/t.idnpack", dir);
	f = fopen(csv, "w");
	assert_non_null(f);
	fputs("time,source,task,count\n", f);
	for (size_t i = 0; i < N_ROWS; i++)
		fprintf(f, "%s,%s,\"%s\",%u\n", rows[i].time, rows[i].source,
		        rows[i].task, rows[i].count);
	assert_int_equal(fclose(f), 0);
	return 0;
}

static int teardown(void **state)
{
	unlink(csv);
	unlink(packed);
	rmdir(dir);
	return 0;
}

/* Pack path `from` into `packed`. */
static void pack_file(const char *from)
{
	struct idn_err e = { "" };
	struct trace_reader *tr;
	struct pack_writer *w;
	struct trace_record r;
	int rc;

	assert_int_equal(trace_reader_open(&tr, from, &e), IDN_OK);
	assert_int_equal(pack_writer_open(&w, packed, &e), IDN_OK);
	while ((rc = trace_reader_next(tr, &r, &e)) == IDN_OK)
		assert_int_equal(pack_writer_put(w, &r, &e), IDN_OK);
	assert_int_equal(rc, IDN_END);
	assert_int_equal(pack_writer_commit(w, &e), IDN_OK);
	trace_reader_close(tr);
}

static void rows_come_back(void **state)
{
	struct idn_err e = { "" };
	struct trace_reader *tr;
	struct trace_record r;

	pack_file(csv);
	/* packed twice over: a packed trace packs to the same rows */
	pack_file(packed);
	assert_int_equal(trace_reader_open(&tr, packed, &e), IDN_OK);
	for (size_t i = 0; i < N_ROWS; i++) {
		assert_int_equal(trace_reader_next(tr, &r, &e), IDN_OK);
		assert_true(r.time == rows[i].t);
		assert_string_equal(r.source, rows[i].source);
		assert_int_equal(r.source_len, strlen(rows[i].source));
		assert_string_equal(r.task, rows[i].task);
		assert_int_equal(r.task_len, strlen(rows[i].task));
		assert_int_equal(r.count, rows[i].count);
		assert_int_equal(r.line, i + 2);
		/* names are numbered in order of first appearance */
		uint32_t want_src = strcmp(rows[i].source, "a0") ? 1 : 0;
		uint32_t want_task = !strcmp(rows[i].task, "cls") ? 0
		                     : !strcmp(rows[i].task, "x,y") ? 1 : 2;
		assert_int_equal(r.source_idx, want_src);
		assert_int_equal(r.task_idx, want_task);
	}
	assert_int_equal(trace_reader_next(tr, &r, &e), IDN_END);
	trace_reader_close(tr);
}

/* The file's bytes. */
static unsigned char *slurp(size_t *n)
{
	FILE *f = fopen(packed, "rb");
	unsigned char *b;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	*n = (size_t)ftell(f);
	rewind(f);
	b = malloc(*n);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, *n, f), *n);
	fclose(f);
	return b;
}

static void spill(const unsigned char *b, size_t n)
{
	FILE *f = fopen(packed, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Read the damaged file to its end: the first error must contain want. */
static void fails_with(const char *want)
{
	struct idn_err e = { "" };
	struct trace_reader *tr;
	struct trace_record r;
	int rc = trace_reader_open(&tr, packed, &e);

	while (rc == IDN_OK)
		rc = trace_reader_next(tr, &r, &e);
	trace_reader_close(tr);
	assert_int_equal(rc, IDN_EDATA);
	if (!strstr(e.msg, want) || !strstr(e.msg, packed))
		fail_msg("'%s' does not name %s and say '%s'", e.msg, packed,
		         want);
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Record k starts at 16 + 20 k: time (8 bytes), source, task, count. */
static void damage(void **state)
{
	static const struct {
		size_t at;         /* offset; SIZE_MAX: cut the file there */
		size_t cut;
		uint32_t value;
		const char *want;
	} cases[] = {
		{ 8, 0, 2, "version 2" },
		{ 12, 0, 24, "unknown record size" },
		{ 16 + 20 * 1 + 8, 0, 7, ":3: source: name index 7, the file has 2" },
		{ 16 + 20 * 3 + 12, 0, 3, ":5: task: name index 3, the file has 3" },
		{ 16 + 20 * 2 + 16, 0, 0, ":4: count: not an integer >= 1" },
		/* the time of record 3 (7 s) set below record 2's 1.25 s:
		 * its high word zeroed leaves a tiny positive number */
		{ 16 + 20 * 3 + 4, 0, 0, ":5: time: " },
		{ SIZE_MAX, 1, 0, "no end mark" },
		{ SIZE_MAX, 30, 0, "no end mark" },
	};
	size_t n;
	unsigned char *good;

	pack_file(csv);
	good = slurp(&n);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		unsigned char *b = malloc(n);
		assert_non_null(b);
		memcpy(b, good, n);
		if (cases[i].at == SIZE_MAX) {
			spill(b, n - cases[i].cut);
		} else {
			put32(b + cases[i].at, cases[i].value);
			spill(b, n);
		}
		fails_with(cases[i].want);
		free(b);
	}
	/* the record count in the trailer no longer matching the size */
	unsigned char *b = malloc(n);
	assert_non_null(b);
	memcpy(b, good, n);
	put32(b + n - 24, 4);
	spill(b, n);
	fails_with("record count does not match the file size");
	/* a name's NUL replaced: the first source name runs into the next */
	memcpy(b, good, n);
	size_t names = 16 + 20 * N_ROWS;
	b[names + 4 + 4 + 2] = 'z';         /* after "a0" */
	spill(b, n);
	fails_with("source name 0 is empty, cut short or holds a NUL byte");
	free(b);
	free(good);
}

/* A packed trace on standard input (which can't be mapped) is refused
 * with a message, not read as a CSV trace with a strange header. */
static void not_from_a_pipe(void **state)
{
	struct idn_err e = { "" };
	struct trace_reader *tr;

	pack_file(csv);
	assert_non_null(freopen(packed, "rb", stdin));
	assert_int_equal(trace_reader_open(&tr, "-", &e), IDN_EDATA);
	assert_non_null(strstr(e.msg, "a packed trace must be given as a "
	                       "file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rows_come_back),
		cmocka_unit_test(damage),
		cmocka_unit_test(not_from_a_pipe),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
