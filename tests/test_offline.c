/* test_offline.c - the OFFLINE policy: LP bound, static plans, end to end.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Golden values come from hand computation or brute force, never from the
 * policy: the worked example's bound 2275 + 2000/9 (derivation below) and
 * its best static plan (small at a0, big at e0, 2300), and on random tiny
 * hosts the optimum found by enumerating every feasible static allocation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "idnbench/learn.h"
#include "fakehost.h"

const struct idn_policy *idn_policy_describe(void);

#define MAX_SLOTS 16
#define MAX_VARS 16

/* A trace of fake slots plus the contiguous array prepare() wants. */
struct trace {
	uint64_t n;
	struct fake_slot fs[MAX_SLOTS];
	struct idn_slot s[MAX_SLOTS];
};

struct result {
	int rc;
	double bound, gain;
	uint8_t x[MAX_VARS];
	char err[512];
};

static void trace_add(struct trace *tr, const struct fake_host *f,
                      uint32_t n, const uint32_t *types, const double *counts)
{
	assert_true(tr->n < MAX_SLOTS);
	assert_int_equal(fake_slot_make(&tr->fs[tr->n], f, tr->n, n, types,
	                                 counts), 0);
	tr->s[tr->n] = tr->fs[tr->n].s;
	tr->n++;
}

static void trace_free(struct trace *tr)
{
	for (uint64_t i = 0; i < tr->n; i++)
		fake_slot_free(&tr->fs[i]);
	tr->n = 0;
}

/* create, prepare, init, one update (to read the extra columns). */
static void run(const struct fake_host *f, const struct trace *tr,
                const struct idn_option *o, size_t no, struct result *res)
{
	const struct idn_policy *pol = idn_policy_describe();
	const struct idn_slot empty = { 0 };
	double extra[IDN_MAX_EXTRA] = { 0 }, fg = 0;
	uint8_t next[MAX_VARS];
	void *st = NULL;
	size_t nv = f->h.n_vars;

	assert_true(nv <= MAX_VARS);
	memset(res, 0, sizeof(*res));
	res->rc = pol->create(&f->h, o, no, &st, res->err, sizeof(res->err));
	if (!res->rc)
		res->rc = pol->prepare(st, tr->s, tr->n, res->err,
		                       sizeof(res->err));
	if (!res->rc)
		res->rc = pol->init(st, res->x, res->err, sizeof(res->err));
	if (!res->rc) {
		memcpy(next, res->x, nv);
		res->rc = pol->update(st, tr->n ? &tr->s[0] : &empty, res->x,
		                      next, &fg, extra, res->err,
		                      sizeof(res->err));
		assert_memory_equal(next, res->x, nv);
	}
	res->bound = extra[0];
	res->gain = extra[1];
	if (st)
		pol->destroy(st);
}

static void run1(const struct fake_host *f, const struct trace *tr,
                 const char *key, const char *value, struct result *res)
{
	const struct idn_option o = { key, value };

	run(f, tr, &o, key ? 1 : 0, res);
}

static double trace_gain(const struct fake_host *f, const struct trace *tr,
                         const uint8_t *x)
{
	double y[MAX_VARS], g = 0.0;

	for (uint32_t i = 0; i < f->h.n_vars; i++)
		y[i] = x[i];
	for (uint64_t t = 0; t < tr->n; t++)
		g += idn_gain(&f->h, &tr->s[t], y);
	return g;
}

static void assert_rel(double got, double want, double rel)
{
	if (!(fabs(got - want) <= rel * fmax(1.0, fabs(want))))
		fail_msg("got %.12g, want %.12g (rel %g)", got, want, rel);
}

/* --- the worked example -------------------------------------------------- */

/* Slots of the example trace: 0 = (cls,a0) x30 and (cls,a1) x10,
 * 1 = (cls,a0) x5, 2 = (cls,a1) x20.  Vars: 0 = (a0,small),
 * 1 = (e0,small), 2 = (e0,big). */
static void example_trace(struct trace *tr, const struct fake_host *f)
{
	static const uint32_t t0[] = { 0, 1 }, t1[] = { 0 }, t2[] = { 1 };
	static const double c0[] = { 30, 10 }, c1[] = { 5 }, c2[] = { 20 };

	trace_add(tr, f, 2, t0, c0);
	trace_add(tr, f, 1, t1, c1);
	trace_add(tr, f, 1, t2, c2);
}

/* The bound by hand: y(a0,small) = 1 is free (it fits alone).  With
 * b = y(e0,big) and y(e0,small) = min(1, 4 - 4b) (e0 budget 200 MB =
 * 4 smalls), for b <= 0.75 every min() is at its linear side and
 * F = 2275 + 250 b; above 0.75 the same holds until (cls,a0)'s cumulative
 * at (e0,small), 120 - 101.25 b, and (cls,a1)'s, 40 - 33.75 b, drop below
 * r (30 and 10), both at b = 8/9; past it the slope is negative.  So the
 * bound is 2275 + 250 * 8/9 = 2275 + 2000/9.
 * Integral plans: {a0 small, e0 big} = 1300 + 200 + 800 = 2300 beats
 * {a0 small, e0 small} = 1050 + 350 + 175 + 700 = 2275 and the rest. */
#define EXAMPLE_BOUND (2275.0 + 2000.0 / 9.0)

static void test_example_default(void **state)
{
	struct fake_host *f = fake_example();
	struct trace tr = { 0 };
	struct result r;

	assert_non_null(f);
	example_trace(&tr, f);
	run1(f, &tr, NULL, NULL, &r);
	assert_int_equal(r.rc, IDN_OK);
	assert_rel(r.bound, EXAMPLE_BOUND, 1e-6);
	assert_rel(r.gain, 2300.0, 1e-9);
	assert_int_equal(r.x[0], 1);
	assert_int_equal(r.x[1], 0);
	assert_int_equal(r.x[2], 1);
	trace_free(&tr);
	fake_free(f);
}

static void test_example_methods(void **state)
{
	struct fake_host *f = fake_example();
	struct trace tr = { 0 };
	struct result r;

	assert_non_null(f);
	example_trace(&tr, f);
	/* LP rounding: y = (1, 4/9, 8/9); e0 takes big first (8/9), then
	 * small no longer fits. */
	run1(f, &tr, "method", "lp", &r);
	assert_int_equal(r.rc, IDN_OK);
	assert_rel(r.gain, 2300.0, 1e-9);
	assert_int_equal(r.x[2], 1);
	/* Greedy from empty, per MB over the 3 slots: e0 small
	 * 2275/50 = 45.5, e0 big 2000/200 = 10, a0 small 450/50 = 9; after
	 * e0 small, big no longer fits and a0 small adds 0 (every type it
	 * serves is already covered at e0). */
	run1(f, &tr, "method", "greedy", &r);
	assert_int_equal(r.rc, IDN_OK);
	assert_true(isnan(r.bound));
	assert_rel(r.gain, 2275.0, 1e-9);
	assert_int_equal(r.x[0], 0);
	assert_int_equal(r.x[1], 1);
	assert_int_equal(r.x[2], 0);
	run1(f, &tr, "exact", "1", &r);
	assert_int_equal(r.rc, IDN_OK);
	assert_rel(r.gain, 2300.0, 1e-9);
	assert_rel(r.bound, EXAMPLE_BOUND, 1e-6);
	run1(f, &tr, "solver", "interior", &r);
	assert_int_equal(r.rc, IDN_OK);
	assert_rel(r.bound, EXAMPLE_BOUND, 1e-6);
	assert_rel(r.gain, 2300.0, 1e-9);
	trace_free(&tr);
	fake_free(f);
}

/* Terms: slot 0 has 3 + 2 learned candidates, slot 1 three, slot 2 two,
 * none equal; plus budget rows for a0 and e0: 12 rows. */
static void test_size_limit(void **state)
{
	struct fake_host *f = fake_example();
	struct trace tr = { 0 };
	struct result r;

	assert_non_null(f);
	example_trace(&tr, f);
	run1(f, &tr, "max_rows", "11", &r);
	assert_int_equal(r.rc, IDN_EUSAGE);
	assert_non_null(strstr(r.err, "12 rows"));
	assert_non_null(strstr(r.err, "method=greedy"));
	run1(f, &tr, "max_rows", "12", &r);
	assert_int_equal(r.rc, IDN_OK);
	trace_free(&tr);
	fake_free(f);
}

static void test_empty_trace(void **state)
{
	struct fake_host *f = fake_example();
	struct trace tr = { 0 };
	struct result r;

	assert_non_null(f);
	run1(f, &tr, NULL, NULL, &r);
	assert_int_equal(r.rc, IDN_OK);
	assert_true(r.bound == 0.0);
	assert_true(r.gain == 0.0);
	assert_int_equal(r.x[0] + r.x[1] + r.x[2], 0);
	fake_free(f);
}

static void test_bad_options(void **state)
{
	const struct idn_option bad[][2] = {
		{ { "method", "optimal" }, { NULL, NULL } },
		{ { "exact", "2" }, { NULL, NULL } },
		{ { "aggregate", "yes" }, { NULL, NULL } },
		{ { "exact", "1" }, { "method", "greedy" } },
		{ { "solver", "cplex" }, { NULL, NULL } },
	};
	const size_t nopt[] = { 1, 1, 1, 2, 1 };
	struct fake_host *f = fake_example();

	assert_non_null(f);
	for (size_t i = 0; i < sizeof(nopt) / sizeof(*nopt); i++) {
		void *st = NULL;
		char err[256] = "";

		assert_int_equal(idn_policy_describe()->create(&f->h, bad[i],
		                 nopt[i], &st, err, sizeof(err)), IDN_EUSAGE);
		assert_true(err[0] != '\0');
	}
	fake_free(f);
}

/* --- random tiny hosts against brute force ------------------------------- */

static void random_trace(struct trace *tr, const struct fake_host *f,
                         uint64_t seed, uint64_t n_slots)
{
	struct idn_rng rng;

	idn_rng_seed(&rng, seed * 7919u + 1u);
	for (uint64_t t = 0; t < n_slots; t++) {
		uint32_t types[16], n = 0;
		double counts[16];

		for (uint32_t i = 0; i < f->n_types && n < 16; i++)
			if (idn_rng_uniform(&rng) < 0.5) {
				types[n] = i;
				counts[n++] = 1.0
				    + (double)(idn_rng_next(&rng) % 30);
			}
		trace_add(tr, f, n, types, counts);
	}
}

static int within_budgets(const struct fake_host *f, const uint8_t *x)
{
	for (uint32_t v = 0; v < f->h.n_nodes; v++)
		if (fake_node_load(f, v, x) > f->node_budget[v] + IDN_BUDGET_TOL)
			return 0;
	return 1;
}

/* Every subset of the vars that fits every node's budget. */
static double brute_force(const struct fake_host *f, const struct trace *tr)
{
	uint32_t nv = f->h.n_vars;
	double best = 0.0;
	uint8_t x[MAX_VARS];

	for (uint32_t mask = 0; mask < (1u << nv); mask++) {
		for (uint32_t i = 0; i < nv; i++)
			x[i] = (mask >> i) & 1u;
		if (within_budgets(f, x))
			best = fmax(best, trace_gain(f, tr, x));
	}
	return best;
}

/* The smallest heuristic/optimum ratio over these 30 instances is 0.8837
 * (seed 8: the best of the rounded LP and both greedy runs); 29 of them
 * are >= 0.96.  0.85 is a floor observed for these seeds, not a
 * guarantee of the method. */
#define OBSERVED_FLOOR 0.85

static void check_random(uint64_t seed, double *worst)
{
	struct fake_host *f = fake_random(seed, 3, 4, 6);
	struct trace tr = { 0 };
	struct result heur, exact;
	double opt;

	assert_non_null(f);
	random_trace(&tr, f, seed, 5);
	opt = brute_force(f, &tr);
	run1(f, &tr, "exact", "1", &exact);
	run1(f, &tr, NULL, NULL, &heur);
	assert_int_equal(exact.rc, IDN_OK);
	assert_int_equal(heur.rc, IDN_OK);
	assert_rel(exact.gain, opt, 1e-6);
	assert_true(exact.bound >= opt * (1.0 - 1e-7) - 1e-7);
	assert_true(within_budgets(f, heur.x));
	/* The reported gain is F of the served plan. */
	assert_rel(heur.gain, trace_gain(f, &tr, heur.x), 1e-12);
	assert_true(heur.gain <= opt * (1.0 + 1e-9) + 1e-9);
	if (opt > 0.0) {
		if (heur.gain / opt < *worst)
			print_message("# seed %llu: heuristic/optimum %.4f\n",
			              (unsigned long long)seed,
			              heur.gain / opt);
		*worst = fmin(*worst, heur.gain / opt);
	}
	assert_true(heur.gain >= OBSERVED_FLOOR * opt);
	trace_free(&tr);
	fake_free(f);
}

static void test_random_brute_force(void **state)
{
	double worst = 1.0;

	for (uint64_t seed = 1; seed <= 30; seed++)
		check_random(seed, &worst);
	print_message("# worst heuristic/optimum over 30 instances: %.4f\n",
	              worst);
}

/* --- aggregation ------------------------------------------------------------ */

static void compare_aggregation(const struct fake_host *f,
                                const struct trace *tr)
{
	struct result on, off;

	run1(f, tr, "aggregate", "1", &on);
	run1(f, tr, "aggregate", "0", &off);
	assert_int_equal(on.rc, IDN_OK);
	assert_int_equal(off.rc, IDN_OK);
	assert_rel(on.bound, off.bound, 1e-9);
	assert_rel(on.gain, trace_gain(f, tr, on.x), 1e-12);
}

static void test_aggregation(void **state)
{
	static const uint32_t t0[] = { 0, 1 }, t0r[] = { 1, 0 }, t1[] = { 0 };
	static const double c0[] = { 30, 10 }, c0r[] = { 10, 30 }, c1[] = { 5 };
	struct fake_host *f = fake_example();
	struct trace tr = { 0 };
	struct result r;

	assert_non_null(f);
	/* Slot 0 three times (once with its types listed in the other
	 * order), slot 1 twice: F is 3 * 1300 + 2 * 200 = 4300 for the
	 * example's plan, and with these weights the LP is the example's
	 * without slot 2. */
	trace_add(&tr, f, 2, t0, c0);
	trace_add(&tr, f, 1, t1, c1);
	trace_add(&tr, f, 2, t0r, c0r);
	trace_add(&tr, f, 2, t0, c0);
	trace_add(&tr, f, 1, t1, c1);
	compare_aggregation(f, &tr);
	/* 3 distinct terms ((cls,a0) x30, (cls,a1) x10, (cls,a0) x5): 3 + 2
	 * + 3 = 8 term rows + 2 budget rows; unmerged 5 + 3 + 5 + 5 + 3 + 2. */
	run1(f, &tr, "max_rows", "9", &r);
	assert_int_equal(r.rc, IDN_EUSAGE);
	assert_non_null(strstr(r.err, "10 rows"));
	{
		const struct idn_option o[] = { { "aggregate", "0" },
		                                { "max_rows", "22" } };

		run(f, &tr, o, 2, &r);
		assert_int_equal(r.rc, IDN_EUSAGE);
		assert_non_null(strstr(r.err, "23 rows"));
	}
	trace_free(&tr);
	/* (cls,a0) x5 and x7 are uncongested on every candidate (capacities
	 * 25, 100, 10 per slot): shares per request are all 1, so the two
	 * slots are one term with r = 12, i.e. 3 term rows + 2 budget rows,
	 * and the bound is the same as without merging. */
	{
		static const double c7[] = { 7 };

		trace_add(&tr, f, 1, t1, c1);
		trace_add(&tr, f, 1, t1, c7);
		compare_aggregation(f, &tr);
		run1(f, &tr, "max_rows", "4", &r);
		assert_non_null(strstr(r.err, "5 rows"));
		trace_free(&tr);
	}
	fake_free(f);
	for (uint64_t seed = 1; seed <= 5; seed++) {
		f = fake_random(seed, 3, 4, 6);
		assert_non_null(f);
		random_trace(&tr, f, seed, 4);
		for (uint64_t t = 0; t < 4; t++)   /* repeat every slot */
			trace_add(&tr, f, tr.s[t].n_types, tr.s[t].types,
			          tr.s[t].counts);
		compare_aggregation(f, &tr);
		trace_free(&tr);
		fake_free(f);
	}
}

/* --- end to end through idn-replay -------------------------------------- */

static const char *dir_env(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

/* Index of column `name` in a CSV header line, -1 if absent. */
static int column(const char *header, const char *name)
{
	size_t len = strlen(name);
	const char *p = header;

	for (int idx = 0; p; idx++) {
		if (!strncmp(p, name, len) && strchr(",\r\n", p[len]))
			return idx;
		if ((p = strchr(p, ',')))
			p++;
	}
	return -1;
}

static double field(const char *line, int idx)
{
	for (int i = 0; i < idx && line; i++)
		if ((line = strchr(line, ',')))
			line++;
	assert_non_null(line);
	return strtod(line, NULL);
}

static void test_replay_example(void **state)
{
	const char *src = dir_env("top_srcdir", TOP_SRCDIR);
	const char *build = dir_env("top_builddir", TOP_BUILDDIR);
	char cmd[4096], line[1024], errpath[] = "/tmp/test_offline.XXXXXX";
	int gcol, bcol, scol, rows = 0, fd = mkstemp(errpath);
	double total = 0.0;
	FILE *p, *e;

	assert_true(fd >= 0);
	close(fd);
	if (!getenv("IDN_POLICY_PATH"))
		setenv("IDN_POLICY_PATH", TOP_BUILDDIR "/policies/.libs", 1);
	snprintf(cmd, sizeof(cmd), "'%s/src/tools/idn-replay' --scenario "
	         "'%s/tests/data/example' --policy offline "
	         "'%s/tests/data/example/trace.csv' 2>'%s'", build, src, src,
	         errpath);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	gcol = column(line, "gain");
	bcol = column(line, "lp_bound");
	scol = column(line, "static_gain");
	assert_true(gcol >= 0 && bcol >= 0 && scol >= 0);
	while (fgets(line, sizeof(line), p)) {
		total += field(line, gcol);
		assert_rel(field(line, bcol), EXAMPLE_BOUND, 1e-6);
		assert_rel(field(line, scol), 2300.0, 1e-9);
		rows++;
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(rows, 3);
	assert_rel(total, 2300.0, 1e-9);
	e = fopen(errpath, "r");
	assert_non_null(e);
	assert_non_null(fgets(line, sizeof(line), e));
	fclose(e);
	unlink(errpath);
	assert_non_null(strstr(line, "offline: LP bound 2497.22"));
	assert_non_null(strstr(line, "integral static gain 2300"));
	assert_non_null(strstr(line, "method lp"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_default),
		cmocka_unit_test(test_example_methods),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_empty_trace),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_random_brute_force),
		cmocka_unit_test(test_aggregation),
		cmocka_unit_test(test_replay_example),
	};

	return cmocka_run_group_tests_name("offline", tests, NULL, NULL);
}
