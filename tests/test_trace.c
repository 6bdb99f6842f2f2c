/* test_trace.c - the streaming trace reader and writer.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "output.h"
#include "trace.h"

/* Every test writes its inputs into one scratch directory. */
static char dir[] = "/tmp/idn-test-trace.XXXXXX";
static char path[4200];

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[4200];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

/* Write n bytes to DIR/name (gzip if gz) and return its path. */
static const char *put(const char *name, const char *data, size_t n, int gz)
{
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (gz) {
		gzFile g = gzopen(path, "wb6");

		assert_non_null(g);
		assert_int_equal(gzwrite(g, data, (unsigned)n), (int)n);
		assert_int_equal(gzclose(g), Z_OK);
	} else {
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		assert_int_equal(fwrite(data, 1, n, f), n);
		assert_int_equal(fclose(f), 0);
	}
	return path;
}

static const char *put_str(const char *data)
{
	return put("t.csv", data, strlen(data), 0);
}

struct row {
	double time;
	const char *source, *task;
	uint64_t count, line;
};

/* Read all of file and compare with want[0..n). */
static void expect_rows(const char *file, const struct row *want, size_t n)
{
	struct trace_reader *r;
	struct trace_record rec;
	struct idn_err e = { "" };
	size_t i = 0;
	int rc;

	rc = trace_reader_open(&r, file, &e);
	if (rc != IDN_OK)
		fail_msg("%s", e.msg);
	while ((rc = trace_reader_next(r, &rec, &e)) == IDN_OK) {
		assert_true(i < n);
		assert_true(rec.time == want[i].time);
		assert_string_equal(rec.source, want[i].source);
		assert_int_equal(rec.source_len, strlen(want[i].source));
		assert_string_equal(rec.task, want[i].task);
		assert_int_equal(rec.task_len, strlen(want[i].task));
		assert_int_equal(rec.count, want[i].count);
		assert_int_equal(rec.line, want[i].line);
		i++;
	}
	if (rc != IDN_END)
		fail_msg("%s", e.msg);
	assert_int_equal(i, n);
	/* End of input stays the end. */
	assert_int_equal(trace_reader_next(r, &rec, &e), IDN_END);
	trace_reader_close(r);
}

/* Reading file must fail with code and the message NAME + tail. */
static void expect_error_in(const char *file, const char *name, int code,
                            const char *tail)
{
	struct trace_reader *r;
	struct trace_record rec;
	struct idn_err e = { "" };
	char want[2048];
	int rc = trace_reader_open(&r, file, &e);

	if (rc == IDN_OK) {
		while ((rc = trace_reader_next(r, &rec, &e)) == IDN_OK)
			;
		/* Errors are sticky. */
		if (rc != IDN_END) {
			struct idn_err again;

			assert_int_equal(trace_reader_next(r, &rec, &again),
			                 rc);
			assert_string_equal(again.msg, e.msg);
		}
		trace_reader_close(r);
	}
	snprintf(want, sizeof want, "%s%s", name, tail);
	assert_int_equal(rc, code);
	assert_string_equal(e.msg, want);
}

static void expect_error(const char *data, const char *tail)
{
	const char *file = put_str(data);

	expect_error_in(file, file, IDN_EDATA, tail);
}

static const char basic[] =
	"time,source,task\n"
	"0.5,a0,cls\n"
	"1,a1,det\n"
	"1,a0,cls\n"
	"2.25,cloud,seg\n";
static const struct row basic_rows[] = {
	{ 0.5, "a0", "cls", 1, 2 }, { 1, "a1", "det", 1, 3 },
	{ 1, "a0", "cls", 1, 4 }, { 2.25, "cloud", "seg", 1, 5 },
};
#define N_BASIC (sizeof basic_rows / sizeof basic_rows[0])

static void test_plain_and_gzip(void **state)
{
	expect_rows(put("p.csv", basic, strlen(basic), 0), basic_rows,
	            N_BASIC);
	expect_rows(put("g.csv.gz", basic, strlen(basic), 1), basic_rows,
	            N_BASIC);
	/* Detected by content, not by name. */
	expect_rows(put("g.csv", basic, strlen(basic), 1), basic_rows,
	            N_BASIC);
}

/* Read "-" with file as standard input. */
static void with_stdin(const char *file, const struct row *want, size_t n)
{
	int saved = dup(0), fd = open(file, O_RDONLY);
	struct trace_reader *r;
	struct idn_err e;

	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 0);
	close(fd);
	assert_int_equal(trace_reader_open(&r, "-", &e), IDN_OK);
	assert_string_equal(trace_reader_name(r), "<stdin>");
	trace_reader_close(r);
	lseek(0, 0, SEEK_SET);
	expect_rows("-", want, n);
	dup2(saved, 0);
	close(saved);
}

static void test_stdin(void **state)
{
	with_stdin(put("p.csv", basic, strlen(basic), 0), basic_rows,
	           N_BASIC);
	with_stdin(put("g.csv.gz", basic, strlen(basic), 1), basic_rows,
	           N_BASIC);
}

static void test_stdin_error_name(void **state)
{
	int saved = dup(0), fd = open(put_str("time,source\n"), O_RDONLY);

	dup2(fd, 0);
	close(fd);
	expect_error_in("-", "<stdin>", IDN_EDATA,
	                ":1: header: missing column 'task'");
	dup2(saved, 0);
	close(saved);
}

static void test_columns_by_name(void **state)
{
	static const struct row rows[] = {
		{ 0.5, "a0", "cls", 3, 2 }, { 7, "a1", "det", 1, 3 },
	};

	expect_rows(put_str("task,lat,time,source,count\n"
	                    "cls,x,0.5,a0,3\n"
	                    "det,,7,a1,1\n"), rows, 2);
}

static void test_crlf_bom(void **state)
{
	static const struct row rows[] = {
		{ 0.5, "a0", "cls", 1, 2 }, { 1.5, "a1", "det", 2, 4 },
	};

	expect_rows(put_str("\xEF\xBB\xBFtime,source,task,count\r\n"
	                    "0.5,a0,cls,1\r\n"
	                    "\r\n"
	                    "1.5,a1,det,2\r\n"), rows, 2);
	expect_error("\xEF\xBB\xBFtime,source,task\r\n0.5,a0,cls\r\n"
	             "0.25,a0,cls\r\n",
	             ":3: time: 0.25 is before the previous 0.5");
}

/* Quoting as libcsv does it, blank lines, spaces, no final newline. */
static void test_csv_syntax(void **state)
{
	static const struct row rows[] = {
		{ 1, "a,0", "cls", 1, 2 },
		{ 2, "say \"hi\"", "det", 1, 3 },
		{ 3, "two\nlines", "seg", 1, 4 },
		{ 4, "a0", "cls", 1, 7 },
		{ 5, " padded ", "x", 1, 8 },
		{ 6, "a0", "last", 1, 9 },
	};

	expect_rows(put_str("time,source,task\n"
	                    "1,\"a,0\",cls\n"
	                    "2,\"say \"\"hi\"\"\",det\n"
	                    "3,\"two\nlines\",\"seg\"\n"
	                    "\n"
	                    " 4 , a0 ,\tcls\n"
	                    "5,\" padded \" ,x\n"
	                    "6,a0,last"), rows, 6);
}

static void test_header_errors(void **state)
{
	expect_error("", ":1: header: empty file, expected a header row");
	expect_error("\n\r\n", ":1: header: empty file, expected a header "
	             "row");
	expect_error("time,source\n1,a\n",
	             ":1: header: missing column 'task'");
	expect_error("source,task\n", ":1: header: missing column 'time'");
	expect_error("time,source,task,time\n",
	             ":1: header: duplicate column 'time'");
}

static void test_row_errors(void **state)
{
	const char *h = "time,source,task,count\n";
	char buf[256];
	static const struct { const char *row, *tail; } cases[] = {
		{ "1,a,b\n", ":3: row: 3 fields, the header has 4" },
		{ "1,a,b,1,9\n", ":3: row: 5 fields, the header has 4" },
		{ "abc,a,b,1\n", ":3: time: not a finite number: 'abc'" },
		{ ",a,b,1\n", ":3: time: not a finite number: ''" },
		{ "inf,a,b,1\n", ":3: time: not a finite number: 'inf'" },
		{ "nan,a,b,1\n", ":3: time: not a finite number: 'nan'" },
		{ "1e999,a,b,1\n", ":3: time: not a finite number: '1e999'" },
		{ "0x10,a,b,1\n", ":3: time: not a finite number: '0x10'" },
		{ "1.5.2,a,b,1\n", ":3: time: not a finite number: '1.5.2'" },
		{ "0.5,a,b,1\n", ":3: time: 0.5 is before the previous 1" },
		{ "1,,b,1\n", ":3: source: empty: ''" },
		{ "1,a,\"\",1\n", ":3: task: empty: ''" },
		{ "1,a,b,0\n", ":3: count: not an integer >= 1: '0'" },
		{ "1,a,b,-1\n", ":3: count: not an integer >= 1: '-1'" },
		{ "1,a,b,1.5\n", ":3: count: not an integer >= 1: '1.5'" },
		{ "1,a,b,\n", ":3: count: not an integer >= 1: ''" },
		{ "1,a,b,4294967296\n",
		  ":3: count: larger than 4294967295: '4294967296'" },
		{ "1,a\"x,b,1\n",
		  ":3: source: quote inside unquoted field: 'a'" },
		{ "1,\"a\"x,b,1\n",
		  ":3: source: text after closing quote: 'x,b,1'" },
		{ "1,a,\"b,1\n",
		  ":3: task: unterminated quoted field at end of input" },
		{ "1,a\rb,c,1\n",
		  ":3: source: carriage return inside field: 'a'" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(buf, sizeof buf, "%s1,a,b,1\n%s", h, cases[i].row);
		expect_error(buf, cases[i].tail);
	}
	/* The largest count is fine. */
	{
		static const struct row rows[] = {
			{ 1, "a", "b", 4294967295u, 2 },
		};
		expect_rows(put_str("time,source,task,count\n"
		                    "1,a,b,4294967295\n"), rows, 1);
	}
}

static void test_nul_byte(void **state)
{
	static const char data[] = "time,source,task\n1,a\0b,c\n";
	const char *file = put("nul.csv", data, sizeof data - 1, 0);

	expect_error_in(file, file, IDN_EDATA,
	                ":2: source: NUL byte in field: 'a'");
	static const char quoted[] = "time,source,task\n\n1,\"a\0b\",c\n";
	file = put("nul.csv", quoted, sizeof quoted - 1, 0);
	expect_error_in(file, file, IDN_EDATA,
	                ":3: source: NUL byte in field: 'a'");
}

/* Line numbers count physical lines, also inside quoted fields. */
static void test_line_numbers(void **state)
{
	expect_error("time,source,task\n"
	             "1,\"multi\nline\nsource\",cls\n"
	             "\n"
	             "2,a,\n",
	             ":6: task: empty: ''");
}

/* A big trace with quoted, multi-line records straddling the reader's
 * buffer boundaries, written by the writer and read back exactly. */
static void test_writer_roundtrip(void **state)
{
	static const char *const names[] = {
		"a0", "x,y", "say \"hi\"", " lead", "two\nlines", "cr\rlf",
		"tab\t",
	};
	const int n = 300000;
	struct trace_writer *w;
	struct trace_reader *r;
	struct trace_record rec;
	struct idn_err e;
	struct idn_rng rng;
	double t = 0;
	int i = 0, rc;

	snprintf(path, sizeof path, "%s/w.csv.gz", dir);
	idn_rng_seed(&rng, 3);
	assert_int_equal(trace_writer_open(&w, path, IDN_GZ_AUTO, 1, &e),
	                 IDN_OK);
	for (i = 0; i < n; i++) {
		t += idn_rng_uniform(&rng) / 7;
		trace_writer_put(w, t, names[i % 7], names[(i / 7) % 7],
		                 1 + (uint64_t)i % 5);
	}
	assert_int_equal(trace_writer_commit(w, &e), IDN_OK);

	idn_rng_seed(&rng, 3);
	t = 0;
	assert_int_equal(trace_reader_open(&r, path, &e), IDN_OK);
	for (i = 0; (rc = trace_reader_next(r, &rec, &e)) == IDN_OK; i++) {
		t += idn_rng_uniform(&rng) / 7;
		assert_true(rec.time == t);
		assert_string_equal(rec.source, names[i % 7]);
		assert_string_equal(rec.task, names[(i / 7) % 7]);
		assert_int_equal(rec.count, 1 + (uint64_t)i % 5);
	}
	if (rc != IDN_END)
		fail_msg("%s", e.msg);
	assert_int_equal(i, n);
	trace_reader_close(r);
}

static void test_writer_plain_header(void **state)
{
	struct trace_writer *w;
	struct idn_err e;
	char buf[128] = "";
	FILE *f;

	snprintf(path, sizeof path, "%s/w.csv", dir);
	assert_int_equal(trace_writer_open(&w, path, IDN_GZ_AUTO, 0, &e),
	                 IDN_OK);
	trace_writer_put(w, 0.1, "a0", "cls", 1);
	trace_writer_put(w, 2, "a1", "det", 1);
	assert_int_equal(trace_writer_commit(w, &e), IDN_OK);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, sizeof buf - 1, f),
	                 strlen("time,source,task\n0.1,a0,cls\n2,a1,det\n"));
	fclose(f);
	assert_string_equal(buf, "time,source,task\n0.1,a0,cls\n2,a1,det\n");
	trace_writer_abort(NULL);
}

/* The fast path for times agrees with strtod to the last bit. */
static void test_time_parse(void **state)
{
	const int n = 100000;
	size_t cap = (size_t)n * 48 + 64, len;
	char *buf = malloc(cap), **texts = calloc((size_t)n, sizeof *texts);
	struct trace_reader *r;
	struct trace_record rec;
	struct idn_err e;
	struct idn_rng rng;
	double prev = 0;
	int i;

	idn_rng_seed(&rng, 11);
	len = (size_t)sprintf(buf, "time,source,task\n");
	for (i = 0; i < n; i++) {
		char t[40];
		uint64_t x = idn_rng_next(&rng);
		int digits = 1 + (int)(x % 18), frac = (int)((x >> 8) % 12);
		double v;

		/* Increasing integer parts keep the times sorted. */
		snprintf(t, sizeof t, "%d.%0*llu", i, frac > 0 ? frac : 1,
		         (unsigned long long)((x >> 16) %
		                              (uint64_t)pow(10, digits)));
		if (i % 10 == 3)
			snprintf(t, sizeof t, "%de-1", 10 * i + 1);
		v = strtod(t, NULL);
		assert_true(v >= prev);
		prev = v;
		texts[i] = strdup(t);
		len += (size_t)sprintf(buf + len, "%s,s,t\n", t);
	}
	assert_int_equal(trace_reader_open(&r, put("n.csv", buf, len, 0), &e),
	                 IDN_OK);
	for (i = 0; trace_reader_next(r, &rec, &e) == IDN_OK; i++) {
		if (rec.time != strtod(texts[i], NULL))
			fail_msg("'%s' read as %.17g", texts[i], rec.time);
		free(texts[i]);
	}
	assert_int_equal(i, n);
	trace_reader_close(r);
	free(texts);
	free(buf);
}

static void test_long_line(void **state)
{
	size_t big = 10u << 20, len;
	char *buf = malloc(big + 100);
	struct trace_reader *r;
	struct trace_record rec;
	struct idn_err e;

	len = (size_t)sprintf(buf, "time,source,task\n1,");
	memset(buf + len, 's', big);
	len += big;
	len += (size_t)sprintf(buf + len, ",cls\n2,a,b\n");
	assert_int_equal(trace_reader_open(&r, put("l.csv", buf, len, 0), &e),
	                 IDN_OK);
	assert_int_equal(trace_reader_next(r, &rec, &e), IDN_OK);
	assert_int_equal(rec.source_len, big);
	assert_string_equal(rec.task, "cls");
	assert_int_equal(trace_reader_next(r, &rec, &e), IDN_OK);
	assert_int_equal(rec.line, 3);
	assert_int_equal(trace_reader_next(r, &rec, &e), IDN_END);
	trace_reader_close(r);
	free(buf);
}

/* A gzip file cut short or damaged is an error, not a short trace. */
static void test_bad_gzip(void **state)
{
	size_t n = 200000 * 16, len = 0, zlen;
	char *plain = malloc(n + 64), *z;
	FILE *f;
	struct trace_reader *r;
	struct trace_record rec;
	struct idn_err e;
	int rc;

	len = (size_t)sprintf(plain, "time,source,task\n");
	for (int i = 0; len + 32 < n; i++)
		len += (size_t)sprintf(plain + len, "%d,a%d,cls\n", i, i % 9);
	put("full.gz", plain, len, 1);
	f = fopen(path, "rb");
	z = malloc(len);
	zlen = fread(z, 1, len, f);
	fclose(f);
	assert_true(zlen > 1000 && zlen < len);

	/* Cut in the middle, in the 8-byte trailer, and one byte short. */
	const size_t cuts[] = { zlen / 2, zlen - 4, zlen - 1 };
	for (size_t c = 0; c < 3; c++) {
		assert_int_equal(trace_reader_open(&r, put("cut.gz", z,
		                                           cuts[c], 0), &e),
		                 IDN_OK);
		while ((rc = trace_reader_next(r, &rec, &e)) == IDN_OK)
			;
		assert_int_equal(rc, IDN_EDATA);
		assert_non_null(strstr(e.msg, "gzip"));
		trace_reader_close(r);
	}
	/* Damage in the middle: inflate or the CRC check notices. */
	for (size_t i = zlen / 2; i < zlen / 2 + 16; i++)
		z[i] ^= 0x55;
	assert_int_equal(trace_reader_open(&r, put("bad.gz", z, zlen, 0), &e),
	                 IDN_OK);
	while ((rc = trace_reader_next(r, &rec, &e)) == IDN_OK)
		;
	assert_int_not_equal(rc, IDN_END);
	trace_reader_close(r);
	free(z);
	free(plain);
}

static void test_open_missing(void **state)
{
	struct trace_reader *r = (struct trace_reader *)1;
	struct idn_err e;

	assert_int_equal(trace_reader_open(&r, "/nonexistent/t.csv", &e),
	                 IDN_EIO);
	assert_null(r);
	assert_string_equal(e.msg, "/nonexistent/t.csv: cannot open: "
	                    "No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_gzip),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_stdin_error_name),
		cmocka_unit_test(test_columns_by_name),
		cmocka_unit_test(test_crlf_bom),
		cmocka_unit_test(test_csv_syntax),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_row_errors),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_writer_roundtrip),
		cmocka_unit_test(test_writer_plain_header),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_bad_gzip),
		cmocka_unit_test(test_open_missing),
	};

	return cmocka_run_group_tests_name("trace", tests, setup, teardown);
}
