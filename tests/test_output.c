/* test_output.c - atomic output files and number formatting.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include "output.h"

/* A fresh empty directory per test, removed (with its files) after. */
static int setup_dir(void **state)
{
	char *dir = strdup("/tmp/idn-test-output.XXXXXX");

	if (!dir || !mkdtemp(dir))
		return -1;
	*state = dir;
	return 0;
}

static int teardown_dir(void **state)
{
	char *dir = *state, path[4096];
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.') {
			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	rmdir(dir);
	free(dir);
	return 0;
}

/* Names in dir (not . and ..), joined by spaces and sorted by readdir
 * order; tests only look at one or two entries. */
static int list_dir(const char *dir, char *out, size_t n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int count = 0;

	out[0] = '\0';
	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.') {
			if (count++)
				strncat(out, " ", n - strlen(out) - 1);
			strncat(out, de->d_name, n - strlen(out) - 1);
		}
	closedir(d);
	return count;
}

/* The whole content of path, decompressing gzip; caller frees. */
static char *slurp(const char *path, size_t *len)
{
	gzFile gz = gzopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	int k;

	assert_non_null(gz);
	while ((k = gzread(gz, buf + n, (unsigned)(cap - n))) > 0) {
		n += (size_t)k;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	assert_int_equal(k, 0);
	gzclose(gz);
	*len = n;
	return buf;
}

static int first_byte(const char *path)
{
	FILE *f = fopen(path, "rb");
	int c;

	assert_non_null(f);
	c = fgetc(f);
	fclose(f);
	return c;
}

static void test_commit_renames(void **state)
{
	const char *dir = *state;
	char path[4096], names[8192];
	struct outfile *o;
	struct idn_err e;
	size_t len;
	char *data;
	struct stat st;
	mode_t mask = umask(022);

	umask(mask);
	snprintf(path, sizeof path, "%s/out.csv", dir);
	assert_int_equal(outfile_open(&o, path, 0, &e), IDN_OK);
	/* While open, only the temporary exists, next to the target. */
	assert_int_equal(list_dir(dir, names, sizeof names), 1);
	assert_memory_equal(names, "out.csv.tmp.", 12);
	outfile_puts(o, "a,b\n");
	outfile_printf(o, "%d,%s\n", 42, "x");
	outfile_double(o, 0.5);
	outfile_write(o, ",", 1);
	outfile_u64(o, 18446744073709551615ULL);
	assert_int_equal(outfile_commit(o, &e), IDN_OK);
	assert_int_equal(list_dir(dir, names, sizeof names), 1);
	assert_string_equal(names, "out.csv");
	data = slurp(path, &len);
	assert_int_equal(len, strlen("a,b\n42,x\n0.5,18446744073709551615"));
	assert_memory_equal(data, "a,b\n42,x\n0.5,18446744073709551615", len);
	free(data);
	/* The finished file gets the ordinary creation mode, not 0600. */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
}

static void test_commit_replaces(void **state)
{
	const char *dir = *state;
	char path[4096], names[8192];
	struct outfile *o;
	struct idn_err e;
	size_t len;
	char *data;
	FILE *f;

	snprintf(path, sizeof path, "%s/x.csv", dir);
	f = fopen(path, "w");
	fputs("old content that is longer\n", f);
	fclose(f);
	assert_int_equal(outfile_open(&o, path, 0, &e), IDN_OK);
	outfile_puts(o, "new\n");
	/* Until commit, readers still see the old file. */
	data = slurp(path, &len);
	assert_memory_equal(data, "old", 3);
	free(data);
	assert_int_equal(outfile_commit(o, &e), IDN_OK);
	data = slurp(path, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(data, "new\n", 4);
	free(data);
	assert_int_equal(list_dir(dir, names, sizeof names), 1);
}

static void test_abort_leaves_nothing(void **state)
{
	const char *dir = *state;
	char path[4096], names[8192];
	struct outfile *o;
	struct idn_err e;

	snprintf(path, sizeof path, "%s/gone.csv.gz", dir);
	assert_int_equal(outfile_open(&o, path, IDN_GZ_AUTO, &e), IDN_OK);
	for (int i = 0; i < 100000; i++)
		outfile_printf(o, "%d,row\n", i);
	assert_int_equal(list_dir(dir, names, sizeof names), 1);
	outfile_abort(o);
	assert_int_equal(list_dir(dir, names, sizeof names), 0);
	outfile_abort(NULL);
}

static void check_dev_full(int level)
{
	struct outfile *o;
	struct idn_err e = { "" };

	assert_int_equal(outfile_open(&o, "/dev/full", level, &e), IDN_OK);
	outfile_puts(o, "some data\n");
	assert_int_equal(outfile_commit(o, &e), IDN_EIO);
	assert_non_null(strstr(e.msg, "/dev/full"));
	assert_non_null(strstr(e.msg, "No space left on device"));
	assert_null(strchr(e.msg, '\n'));
}

static void test_dev_full(void **state)
{
	check_dev_full(0);
	check_dev_full(6);
}

static void test_open_error(void **state)
{
	struct outfile *o = (struct outfile *)1;
	struct idn_err e;

	assert_int_equal(outfile_open(&o, "/nonexistent-dir/x.csv", 0, &e),
	                 IDN_EIO);
	assert_null(o);
	assert_non_null(strstr(e.msg, "/nonexistent-dir/x.csv"));
}

/* Levels: explicit gzip, explicit plain, and automatic by suffix; large
 * writes bigger than the buffer go through intact. */
static void test_gzip_levels(void **state)
{
	const char *dir = *state;
	static const struct { const char *name; int level, gz; } cases[] = {
		{ "a.csv", 6, 1 }, { "b.csv.gz", 0, 0 },
		{ "c.csv.gz", IDN_GZ_AUTO, 1 }, { "d.csv", IDN_GZ_AUTO, 0 },
	};
	size_t big = 3u << 20, len;
	char *blob = malloc(big), *data, path[4096];

	for (size_t i = 0; i < big; i++)
		blob[i] = (char)('a' + i % 26);
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct outfile *o;
		struct idn_err e;

		snprintf(path, sizeof path, "%s/%s", dir, cases[c].name);
		assert_int_equal(outfile_open(&o, path, cases[c].level, &e),
		                 IDN_OK);
		outfile_write(o, blob, 1000);
		outfile_write(o, blob + 1000, big - 1000);
		assert_int_equal(outfile_commit(o, &e), IDN_OK);
		assert_int_equal(first_byte(path) == 0x1f, cases[c].gz);
		data = slurp(path, &len);
		assert_true(len >= big);
		assert_memory_equal(data, blob, big);
		free(data);
	}
	free(blob);
}

/* printf output longer than the whole buffer. */
static void test_printf_long(void **state)
{
	const char *dir = *state;
	size_t n = (1u << 20) + 12345, len;
	char *s = malloc(n + 1), *data, path[4096];
	struct outfile *o;
	struct idn_err e;

	memset(s, 'z', n);
	s[n] = '\0';
	snprintf(path, sizeof path, "%s/long", dir);
	assert_int_equal(outfile_open(&o, path, 0, &e), IDN_OK);
	outfile_puts(o, "x");
	outfile_printf(o, "%s|", s);
	assert_int_equal(outfile_commit(o, &e), IDN_OK);
	data = slurp(path, &len);
	assert_int_equal(len, n + 2);
	assert_int_equal(data[0], 'x');
	assert_int_equal(data[n + 1], '|');
	assert_int_equal(data[n], 'z');
	free(data);
	free(s);
}

/* "-" writes to standard output, plain or gzip, and leaves it open. */
static void test_stdout(void **state)
{
	const char *dir = *state;
	char path[4096];

	for (int level = 0; level <= 1; level++) {
		pid_t pid;
		int status;
		size_t len;
		char *data;

		snprintf(path, sizeof path, "%s/stdout%d", dir, level);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct outfile *o;
			struct idn_err e;
			FILE *f = fopen(path, "w");

			dup2(fileno(f), 1);
			if (outfile_open(&o, "-", level, &e) ||
			    outfile_puts(o, "hello\n") ||
			    outfile_commit(o, &e) ||
			    write(1, "more\n", 5) != 5)
				_exit(1);
			_exit(0);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
		assert_int_equal(first_byte(path) == 0x1f, level > 0);
		data = slurp(path, &len);   /* gzip: reads member then plain */
		assert_true(len >= 6);
		assert_memory_equal(data, "hello\n", 6);
		free(data);
	}
}

/* A fatal signal removes live temporaries and still kills the process. */
static void test_signal_cleanup(void **state)
{
	const char *dir = *state;
	char names[8192];
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		struct outfile *a, *b;
		struct idn_err e;
		char p1[4096], p2[4096];

		snprintf(p1, sizeof p1, "%s/one.csv", dir);
		snprintf(p2, sizeof p2, "%s/two.csv.gz", dir);
		outfile_install_signal_cleanup();
		if (outfile_open(&a, p1, 0, &e) ||
		    outfile_open(&b, p2, IDN_GZ_AUTO, &e))
			_exit(3);
		outfile_puts(a, "partial");
		raise(SIGTERM);
		_exit(4);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
	assert_int_equal(list_dir(dir, names, sizeof names), 0);
}

static void expect_fmt(double v, const char *want)
{
	char buf[32];
	size_t n = fmt_double(buf, v);

	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_fmt_double(void **state)
{
	expect_fmt(0.8, "0.8");
	expect_fmt(0.1 + 0.2, "0.30000000000000004");
	expect_fmt(1.0 / 3, "0.3333333333333333");
	expect_fmt(0, "0");
	expect_fmt(-0.0, "-0");
	expect_fmt(42, "42");
	expect_fmt(-7, "-7");
	expect_fmt(12.345678, "12.345678");
	expect_fmt(1e300, "1e+300");
	expect_fmt(9007199254740993.0, "9007199254740992");
	expect_fmt(1e15, "1e+15");
	expect_fmt(999999999999999.0, "999999999999999");
	expect_fmt(1e22, "1e+22");
	expect_fmt(5e-324, "4.94065645841247e-324");
	expect_fmt(1.7976931348623157e308, "1.7976931348623157e+308");
	expect_fmt(INFINITY, "inf");
	expect_fmt(-INFINITY, "-inf");
	expect_fmt(NAN, "nan");
}

/* Random bit patterns: the text reads back exactly, and no shorter
 * precision would have. */
static void test_fmt_double_roundtrip(void **state)
{
	struct idn_rng rng;

	idn_rng_seed(&rng, 7);
	for (int i = 0; i < 200000; i++) {
		uint64_t bits = idn_rng_next(&rng);
		double v, back;
		char buf[32], shorter[40];
		size_t n;

		if (i % 3 == 1)
			v = idn_rng_uniform(&rng) * pow(10, i % 20 - 10);
		else if (i % 3 == 2)   /* few decimals: the fast path */
			v = (double)(int64_t)(bits % 2000000000000000ULL -
			                      1000000000000000LL) /
			    pow(10, (double)(bits >> 60));
		else
			memcpy(&v, &bits, sizeof v);
		if (!isfinite(v))
			continue;
		n = fmt_double(buf, v);
		back = strtod(buf, NULL);
		assert_true(back == v);
		assert_true(n < 32);
		/* The first of %.15g, %.16g, %.17g that reads back. */
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(shorter, sizeof shorter, "%.*g", prec, v);
			if (strtod(shorter, NULL) == v || prec == 17) {
				assert_string_equal(buf, shorter);
				break;
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_renames,
		                                setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_commit_replaces,
		                                setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_abort_leaves_nothing,
		                                setup_dir, teardown_dir),
		cmocka_unit_test(test_dev_full),
		cmocka_unit_test(test_open_error),
		cmocka_unit_test_setup_teardown(test_gzip_levels,
		                                setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_printf_long,
		                                setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_stdout,
		                                setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_signal_cleanup,
		                                setup_dir, teardown_dir),
		cmocka_unit_test(test_fmt_double),
		cmocka_unit_test(test_fmt_double_roundtrip),
	};

	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
