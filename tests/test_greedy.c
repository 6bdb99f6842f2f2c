/* test_greedy.c - the GREEDY policy on the worked example and random hosts.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Expected choices are derived by hand from the example's costs and
 * capacity shares (the derivation is next to each assertion).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "idnbench/learn.h"
#include "fakehost.h"
#include "policyrun.h"

const struct idn_policy *idn_policy_describe(void);

static void *start(const struct fake_host *f, const char *window)
{
	const struct idn_option opt = { "window", window };
	void *st = NULL;
	char err[128];
	uint8_t x0[3] = { 0 };

	assert_int_equal(idn_policy_describe()->create(&f->h, &opt, 1, &st,
	                 err, sizeof(err)), IDN_OK);
	assert_int_equal(idn_policy_describe()->init(st, x0, err, sizeof(err)),
	                 IDN_OK);
	return st;
}

static void step(void *st, const struct fake_host *f, uint64_t t,
                 uint32_t n, const uint32_t *types, const double *counts,
                 uint8_t *x)
{
	struct fake_slot fs;
	uint8_t next[3];
	double fg, extra[IDN_MAX_EXTRA];
	char err[128];

	assert_int_equal(fake_slot_make(&fs, f, t, n, types, counts), 0);
	memcpy(next, x, 3);
	assert_int_equal(idn_policy_describe()->update(st, &fs.s, x, next, &fg,
	                 extra, err, sizeof(err)), IDN_OK);
	memcpy(x, next, 3);
	fake_slot_free(&fs);
}

/* Vars: 0 = (a0, small), 1 = (e0, small), 2 = (e0, big). */
static void check_example(const char *window)
{
	struct fake_host *f = fake_example();
	const uint32_t t0[] = { 0, 1 }, t1[] = { 0 };
	const double c0[] = { 30, 10 }, c1[] = { 5 };
	uint8_t x[3] = { 0 };
	void *st;

	assert_non_null(f);
	st = start(f, window);
	/* After slot 0, from pinned only: e0 small (35*30 + 35*10)/50 = 28
	 * per MB beats big (40*18.75 + 40*6.25)/200 = 5, then big no
	 * longer fits; a0 small 30*10/50 = 6 per MB. */
	step(st, f, 0, 2, t0, c0, x);
	assert_int_equal(x[0], 1);
	assert_int_equal(x[1], 1);
	assert_int_equal(x[2], 0);
	/* After slot 1 (window 1: (cls,a0) x5; window 2: x35 and (cls,a1)
	 * x10 over 2 s): with e0's small in x_t, a0's small adds nothing
	 * for (cls,a0) (e0 small already covers r), so a0 drops it; e0
	 * keeps small (window 1: 5*5/50 = 0.5 vs big 50/200 = 0.25;
	 * window 2: 975/50 = 19.5 vs 1200/200 = 6). */
	step(st, f, 1, 1, t1, c1, x);
	assert_int_equal(x[0], 0);
	assert_int_equal(x[1], 1);
	assert_int_equal(x[2], 0);
	idn_policy_describe()->destroy(st);
	fake_free(f);
}

static void test_example_window1(void **st)
{
	check_example("1");
}

static void test_example_window2(void **st)
{
	check_example("2");
}

static void test_tie_goes_to_lower_model(void **st)
{
	struct fake_host *f = fake_example();
	const uint32_t t[] = { 1 };
	const double c[] = { 8 };
	uint8_t x[3] = { 0 };
	void *s;

	assert_non_null(f);
	/* Make e0's models tie for (cls,a1) x8: big at 50 MB with capacity
	 * 7 gives 7*(76-36)/50 = 5.6 per MB, small 8*(76-41)/50 = 5.6 per
	 * MB; the budget (50) takes only one: the lower model, small. */
	f->var_size[2] = 50;
	f->var_capacity[2] = 7;
	f->node_budget[2] = 50;
	s = start(f, "1");
	step(s, f, 0, 1, t, c, x);
	assert_int_equal(x[1], 1);
	assert_int_equal(x[2], 0);
	idn_policy_describe()->destroy(s);
	fake_free(f);
}

static void test_random_runs_keep_budgets(void **st)
{
	const struct idn_option w[][1] = {
		{ { "window", "1" } }, { { "window", "3" } },
	};

	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct fake_host *f = fake_random(seed, 8, 7, 40);

		assert_non_null(f);
		for (size_t v = 0; v < 2; v++)
			assert_int_equal(policy_random_run(idn_policy_describe(),
			                 f, w[v], 1, 300, seed), 0);
		fake_free(f);
	}
}

static void test_bad_window(void **st)
{
	struct fake_host *f = fake_example();
	const struct idn_option opt = { "window", "0" };
	void *s = NULL;
	char err[128];

	assert_non_null(f);
	assert_int_equal(idn_policy_describe()->create(&f->h, &opt, 1, &s, err,
	                 sizeof(err)), IDN_EUSAGE);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_window1),
		cmocka_unit_test(test_example_window2),
		cmocka_unit_test(test_tie_goes_to_lower_model),
		cmocka_unit_test(test_random_runs_keep_budgets),
		cmocka_unit_test(test_bad_window),
	};

	return cmocka_run_group_tests_name("greedy", tests, NULL, NULL);
}
