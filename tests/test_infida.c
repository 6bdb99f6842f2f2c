/* test_infida.c - the INFIDA policy on the worked example and random hosts.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The plugin source is compiled into this program so that the test can
 * look at its state (y, eta).  Golden numbers: the project's worked
 * example (fractional gains computed by hand and by an independent
 * implementation, copied here) and hand derivations noted at each value.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>
#include "../policies/infida.c"
#include "fakehost.h"
#include "policyrun.h"

static void assert_rel(double got, double want, double rel)
{
	if (!(fabs(got - want) <= rel * fabs(want))) {
		print_error("got %.17g, want %.17g\n", got, want);
		fail();
	}
}

/* The example's three slots: (cls,a0) x30 and (cls,a1) x10, then (cls,a0)
 * x5, then (cls,a1) x20 (D = 1 s). */
static int example_slot(struct fake_slot *fs, const struct fake_host *f,
                        uint64_t t)
{
	static const uint32_t ty0[] = { 0, 1 }, ty1[] = { 0 }, ty2[] = { 1 };
	static const double c0[] = { 30, 10 }, c1[] = { 5 }, c2[] = { 20 };
	const uint32_t *ty[] = { ty0, ty1, ty2 };
	const double *c[] = { c0, c1, c2 };
	const uint32_t n[] = { 2, 1, 1 };

	return fake_slot_make(fs, f, t, n[t], ty[t], c[t]);
}

static struct infida *start(const struct fake_host *f, const char *eta,
                            const char *rounding, uint8_t *x)
{
	struct idn_option opts[2] = { { "eta", eta }, { "rounding", rounding } };
	void *st = NULL;
	char err[128];

	assert_int_equal(idn_policy_describe()->create(&f->h, opts, 2, &st,
	                 err, sizeof(err)), IDN_OK);
	assert_int_equal(infida_init(st, x, err, sizeof(err)), IDN_OK);
	return st;
}

static void run_example(const char *eta, const double want[3])
{
	struct fake_host *f = fake_example();
	uint8_t x[3] = { 0 }, next[3];
	struct infida *p;

	assert_non_null(f);
	p = start(f, eta, "depround", x);
	/* y_0: a0 fits small (50 <= 100): 1; e0: 200 / (50 + 200). */
	assert_true(infida_y(p, 0) == 1.0 && infida_y(p, 1) == 0.8
	            && infida_y(p, 2) == 0.8);
	assert_int_equal(x[0], 1);
	for (uint64_t t = 0; t < 3; t++) {
		struct fake_slot fs;
		double fg = -1, extra[IDN_MAX_EXTRA];
		char err[128];

		assert_int_equal(example_slot(&fs, f, t), 0);
		memcpy(next, x, 3);
		assert_int_equal(infida_update(p, &fs.s, x, next, &fg, extra,
		                               err, sizeof(err)), IDN_OK);
		assert_rel(fg, want[t], 1e-9);
		memcpy(x, next, 3);
		assert_true(50.0 * x[1] + 200.0 * x[2] <= 200 + 1e-9);
		fake_slot_free(&fs);
	}
	infida_destroy(p);
	fake_free(f);
}

static void test_example_eta_small(void **st)
{
	const double want[] = { 1500, 195.00024999531252, 780.001199973 };

	run_example("0.0001", want);
}

static void test_example_eta_large(void **st)
{
	const double want[] = { 1500, 195.00249953125652, 780.0119973000451 };

	run_example("0.001", want);
}

static void test_example_first_step_and_ctrl(void **st)
{
	struct fake_host *f = fake_example();
	uint8_t x[3] = { 0 }, next[3];
	struct fake_slot fs;
	double fg, extra[IDN_MAX_EXTRA];
	char err[128];
	struct infida *p;

	assert_non_null(f);
	p = start(f, "0.0001", "coupled", x);
	assert_int_equal(example_slot(&fs, f, 0), 0);
	memcpy(next, x, 3);
	assert_int_equal(infida_update(p, &fs.s, x, next, &fg, extra, err,
	                               sizeof(err)), IDN_OK);
	/* g_big = 125, g_small = 0 at e0: yhat_big = 0.8 e with e =
	 * exp(1e-4 * 125 / 200); c (50*0.8 + 200*0.8 e) = 200. */
	double e = exp(1e-4 * 125 / 200), c = 200 / (40 + 160 * e);
	assert_rel(infida_y(p, 2), 0.8 * e * c, 1e-13);
	assert_rel(infida_y(p, 1), 0.8 * c, 1e-13);
	assert_true(fabs(infida_y(p, 2) - 0.80001) < 5e-6);
	assert_true(fabs(infida_y(p, 1) - 0.79996) < 5e-6);
	/* a0 had no gradient (K* for (cls,a0) is (e0,small), before it). */
	assert_true(infida_y(p, 0) == 1.0);
	/* Two types, two messages each; bytes: (cls,a0) 2*16 + 8 + 3*16 =
	 * 88, (cls,a1) 2*16 + 8 + 2*16 = 72. */
	assert_true(extra[0] == 4.0);
	assert_true(extra[1] == 160.0);
	fake_slot_free(&fs);
	infida_destroy(p);
	fake_free(f);
}

static void test_auto_eta(void **st)
{
	struct fake_host *f = fake_example();
	uint8_t x[3] = { 0 }, next[3];
	struct fake_slot fs;
	double fg, extra[IDN_MAX_EXTRA];
	char err[128];
	struct infida *p = NULL;
	const struct idn_option opt = { "eta", "auto" };

	assert_non_null(f);
	assert_int_equal(infida_create(&f->h, &opt, 1, (void **)&p, err,
	                               sizeof(err)), IDN_OK);
	assert_true(p->eta == 0.0);
	assert_int_equal(example_slot(&fs, f, 0), 0);
	memcpy(next, x, 3);
	assert_int_equal(infida_update(p, &fs.s, x, next, &fg, extra, err,
	                               sizeof(err)), IDN_OK);
	/* D^2 = 200 ln(250/200) (only e0 cannot fit all), B = 100 + 200;
	 * gradient at y = 0 (K* = pinned): (e0,small) 30*35 + 10*35 = 1400
	 * over 50 MB = 28 per MB is the largest; T = 1000. */
	assert_rel(p->eta, sqrt(2 * 200 * log(1.25) / 300 / 1000) / 28, 1e-12);
	fake_slot_free(&fs);
	infida_destroy(p);
	fake_free(f);
}

/* The default, adaptive step: after slot 0 of the example the gradient at
 * y_0 is 125 for big at e0 (K* = position 2 for both types:
 * 18.75*(45-40) + 6.25*(41-36)) and 0 elsewhere, so ||g||_* = 125/200 =
 * 0.625 and eta = sqrt(2 * 200 ln(1.25) / 300) / 0.625.  After slot 1
 * the sum of squared norms grows, so eta shrinks. */
static void test_adaptive_eta(void **st)
{
	struct fake_host *f = fake_example();
	uint8_t x[3] = { 0 }, next[3];
	struct fake_slot fs;
	double fg, extra[IDN_MAX_EXTRA], eta0;
	char err[128];
	struct infida *p = NULL;

	assert_non_null(f);
	assert_int_equal(infida_create(&f->h, NULL, 0, (void **)&p, err,
	                               sizeof(err)), IDN_OK);
	assert_int_equal(example_slot(&fs, f, 0), 0);
	memcpy(next, x, 3);
	assert_int_equal(infida_update(p, &fs.s, x, next, &fg, extra, err,
	                               sizeof(err)), IDN_OK);
	assert_rel(p->eta, sqrt(2 * 200 * log(1.25) / 300) / 0.625, 1e-12);
	eta0 = p->eta;
	fake_slot_free(&fs);
	assert_int_equal(example_slot(&fs, f, 1), 0);
	assert_int_equal(infida_update(p, &fs.s, x, next, &fg, extra, err,
	                               sizeof(err)), IDN_OK);
	assert_true(p->eta < eta0);
	fake_slot_free(&fs);
	infida_destroy(p);
	fake_free(f);
}

static void test_bad_options(void **st)
{
	struct fake_host *f = fake_example();
	const struct idn_option bad[][1] = {
		{ { "rounding", "pipage" } }, { { "eta", "-1" } },
		{ { "eta", "x" } }, { { "refresh", "0" } },
	};
	void *p = NULL;
	char err[128];

	assert_non_null(f);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(infida_create(&f->h, bad[i], 1, &p, err,
		                               sizeof(err)), IDN_EUSAGE);
	fake_free(f);
}

static void test_random_runs_keep_budgets(void **st)
{
	const struct idn_option variants[][3] = {
		{ { "rounding", "depround" }, { "eta", "0.01" }, { "refresh", "1" } },
		{ { "rounding", "coupled" }, { "eta", "0.01" }, { "refresh", "1" } },
		{ { "rounding", "depround" }, { "eta", "auto" }, { "refresh", "3" } },
		{ { "rounding", "coupled" }, { "eta", "10" }, { "refresh", "2" } },
	};

	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct fake_host *f = fake_random(seed, 8, 7, 40);

		assert_non_null(f);
		for (size_t v = 0; v < 4; v++)
			assert_int_equal(policy_random_run(idn_policy_describe(),
			                 f, variants[v], 3, 400, seed), 0);
		fake_free(f);
	}
}

/* The exact INFIDA of SPEC section 7, written plainly on full vectors:
 * y_0, then per slot the gain and gradient at y, the step of every var
 * and idn_project of every node.  The policy's lazy per-node form must
 * follow it (gains and every y to 1e-9) on long random runs, whichever
 * eta rule it uses (the reference takes the eta the policy used). */
struct reference {
	double *logy, *y, *g;
	struct idn_proj_item *work;
};

static void reference_start(struct reference *r, const struct fake_host *f)
{
	uint32_t nv = f->h.n_vars + 1;

	r->logy = calloc(nv, sizeof(double));
	r->y = calloc(nv, sizeof(double));
	r->g = calloc(nv, sizeof(double));
	r->work = calloc(nv, sizeof(*r->work));
	assert_true(r->logy && r->y && r->g && r->work);
	for (uint32_t v = 0; v < f->h.n_nodes; v++) {
		double total = 0;

		for (uint32_t i = f->var_off[v]; i < f->var_off[v + 1]; i++)
			total += f->var_size[i];
		for (uint32_t i = f->var_off[v]; i < f->var_off[v + 1]; i++) {
			r->y[i] = fmin(1.0, f->node_budget[v] / total);
			r->logy[i] = log(r->y[i]);
		}
	}
}

static void reference_step(struct reference *r, const struct fake_host *f,
                           double eta)
{
	for (uint32_t i = 0; i < f->h.n_vars; i++) {
		r->logy[i] += eta * r->g[i] / f->var_size[i];
		r->g[i] = 0;
	}
	for (uint32_t v = 0; v < f->h.n_nodes; v++) {
		uint32_t a = f->var_off[v], n = f->var_off[v + 1] - a;

		assert_int_equal(idn_project(n, f->var_size + a,
		                             f->node_budget[v], r->logy + a,
		                             r->logy + a, r->y + a, r->work),
		                 IDN_OK);
	}
}

static void reference_free(struct reference *r)
{
	free(r->logy);
	free(r->y);
	free(r->g);
	free(r->work);
}

/* y of var read from the lazy form without touching the policy's cache
 * (infida_y would refresh it and so hide a stale entry). */
static double lazy_y_of(const struct infida *p, uint32_t var)
{
	uint32_t v = p->h->var_node[var], a = p->h->var_off[v];

	return idn_lazy_y(p->a + a, &p->lz[v], var - a);
}

static void run_against_reference(const struct fake_host *f,
                                  const struct idn_option *opt,
                                  uint64_t seed)
{
	uint8_t *x = calloc(f->h.n_vars + 1u, 1);
	uint8_t *next = calloc(f->h.n_vars + 1u, 1);
	struct reference ref;
	struct idn_rng r;
	struct infida *p = NULL;
	char err[128];

	assert_true(x && next);
	reference_start(&ref, f);
	idn_rng_seed(&r, seed);
	assert_int_equal(infida_create(&f->h, opt, 2, (void **)&p, err,
	                               sizeof(err)), IDN_OK);
	assert_int_equal(infida_init(p, x, err, sizeof(err)), IDN_OK);
	for (uint64_t t = 0; t < 300; t++) {
		uint32_t types[64], n = 0;
		double counts[64], fg, want, extra[IDN_MAX_EXTRA];
		struct fake_slot fs;

		for (uint32_t i = 0; i < f->n_types && n < 8; i++)
			if (idn_rng_uniform(&r) < 0.1) {
				types[n] = i;
				counts[n++] = 1 + (double)(idn_rng_next(&r) % 60);
			}
		assert_int_equal(fake_slot_make(&fs, f, t, n, types, counts), 0);
		want = idn_supergradient(&f->h, &fs.s, ref.y, ref.g);
		memcpy(next, x, f->h.n_vars);
		assert_int_equal(infida_update(p, &fs.s, x, next, &fg, extra,
		                               err, sizeof(err)), IDN_OK);
		assert_true(fabs(fg - want) <= 1e-9 * fmax(1.0, want));
		reference_step(&ref, f, p->eta);
		for (uint32_t i = 0; i < f->h.n_vars; i++) {
			double got = lazy_y_of(p, i);

			if (!(fabs(got - ref.y[i]) <= fmax(1e-9 * ref.y[i],
			                                    1e-12))) {
				print_error("slot %u var %u: %.17g, want %.17g\n",
				            (unsigned)t, i, got, ref.y[i]);
				fail();
			}
		}
		memcpy(x, next, f->h.n_vars);
		fake_slot_free(&fs);
	}
	infida_destroy(p);
	reference_free(&ref);
	free(x);
	free(next);
}

static void test_lazy_matches_exact_reference(void **st)
{
	/* refresh > 1: between roundings only the slot's candidates are
	 * materialised before the gain. */
	const struct idn_option opts[][2] = {
		{ { "eta", "adaptive" }, { "refresh", "1" } },
		{ { "eta", "adaptive" }, { "refresh", "7" } },
		{ { "eta", "0.001" }, { "refresh", "5" } },
		{ { "eta", "1" }, { "refresh", "1" } },
		{ { "eta", "100" }, { "refresh", "3" } },
	};

	for (uint64_t seed = 1; seed <= 3; seed++) {
		struct fake_host *f = fake_random(seed, 6, 12, 60);

		assert_non_null(f);
		for (size_t o = 0; o < sizeof(opts) / sizeof(opts[0]); o++)
			run_against_reference(f, opts[o], seed);
		fake_free(f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_eta_small),
		cmocka_unit_test(test_example_eta_large),
		cmocka_unit_test(test_example_first_step_and_ctrl),
		cmocka_unit_test(test_auto_eta),
		cmocka_unit_test(test_adaptive_eta),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_random_runs_keep_budgets),
		cmocka_unit_test(test_lazy_matches_exact_reference),
	};

	return cmocka_run_group_tests_name("infida", tests, NULL, NULL);
}
