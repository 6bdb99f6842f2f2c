/* test_serve.c - capacity sharing (SPEC 4) and serving/gain (SPEC 5).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "idnbench/learn.h"
#include "serve.h"
#include "testutil.h"

/* A slot with the given types and counts, capacity shares filled in. */
struct test_slot {
	struct idn_slot s;
	uint32_t types[64];
	double counts[64];
	uint32_t l_off[64];
	double l[1024];
	double scratch[4096];
};

static void make_slot(struct test_world *w, struct test_slot *ts,
                      uint32_t n, double seconds)
{
	memset(ts->scratch, 0, sizeof ts->scratch);
	idn_capacity_shares(&w->host, n, ts->types, ts->counts, seconds,
	                    ts->scratch, ts->l_off, ts->l);
	ts->s = (struct idn_slot){ .n_types = n, .types = ts->types,
		.counts = ts->counts, .l_off = ts->l_off, .l = ts->l };
}

/* The example's slot 0: 30 requests of (cls, a0) and 10 of (cls, a1). */
static void example_slot0(struct test_world *w, struct test_slot *ts)
{
	tu_example_world(w);
	ts->types[0] = tu_type(w, "cls", "a0");
	ts->types[1] = tu_type(w, "cls", "a1");
	ts->counts[0] = 30;
	ts->counts[1] = 10;
	make_slot(w, ts, 2, 1.0);
}

/* Slot 0 of the example: (e0,big) L = 25 shared by S = 40 requests,
 * so l = 30 * 25/40 = 18.75 and 10 * 25/40 = 6.25; (e0,small) L = 100
 * >= 40 so l = r; (a0,small) L = 10 for S = 30, l = 10. */
static void test_example_shares(void **state)
{
	struct test_world w;
	struct test_slot ts;

	example_slot0(&w, &ts);
	const double *l0 = ts.l + ts.l_off[0], *l1 = ts.l + ts.l_off[1];
	assert_true(fabs(l0[0] - 18.75) < 1e-12);
	assert_true(fabs(l0[1] - 30) < 1e-12);
	assert_true(fabs(l0[2] - 10) < 1e-12);
	assert_true(fabs(l1[0] - 6.25) < 1e-12);
	assert_true(fabs(l1[1] - 10) < 1e-12);
	for (uint32_t v = 0; v < w.net->n_vars; v++)
		assert_true(ts.scratch[v] == 0);
	tu_world_release(&w);
}

/* The example's draw with small at a0 and big at e0 serves slot 0 as
 * 10 at access, 25 at edge, 5 at cloud, gain 1300, max_gain 1600. */
static void test_example_serving(void **state)
{
	struct test_world w;
	struct test_slot ts;
	double tiers[3];
	struct serve_metrics m = { .tier_served = tiers };
	uint8_t x[3] = { 0 };

	example_slot0(&w, &ts);
	x[network_var(w.net, 0, 0)] = 1;   /* small at a0 */
	x[network_var(w.net, 2, 1)] = 1;   /* big at e0 */
	serve_slot(w.net, &ts.s, x, &m);
	assert_true(fabs(m.gain - 1300) < 1e-9);
	assert_true(fabs(m.max_gain - 1600) < 1e-9);
	assert_true(fabs(m.requests - 40) < 1e-12);
	assert_true(fabs(tiers[0] - 10) < 1e-12);
	assert_true(fabs(tiers[1] - 25) < 1e-12);
	assert_true(fabs(tiers[2] - 5) < 1e-12);
	/* latency: a0 type: 18.75 at e0/big (10+10), 10 at a0/small (20),
	 * 1.25 at c0/big (50+10); a1 type: 6.25 at e0/big (6+10), 3.75 at
	 * c0/big (46+10) */
	double lat = 18.75 * 20 + 10 * 20 + 1.25 * 60 + 6.25 * 16 + 3.75 * 56;
	assert_true(fabs(m.latency - lat) < 1e-9);
	tu_world_release(&w);
}

/* Random worlds, counts and allocations: the per-var shares never exceed
 * L; the gain from served amounts equals G(r, x) of learn.c (two different
 * formulas of SPEC 5); 0 <= gain <= max_gain; every request is served. */
static void test_random_identities(void **state)
{
	for (uint64_t seed = 1; seed <= 30; seed++) {
		struct test_world w;
		struct test_slot ts;
		struct idn_rng r;
		double tiers[2], used[4096] = { 0 };
		double xd[4096];
		uint8_t x[4096];
		struct serve_metrics m = { .tier_served = tiers };
		uint32_t n = 0;

		tu_random_world(&w, seed, 10, 5);
		assert_true(w.net->n_vars < 4096);
		idn_rng_seed(&r, seed * 7);
		for (uint32_t i = 0; i < w.sc->n_tasks; i++)
			for (uint32_t v = 0; v < w.sc->n_nodes; v++)
				if (idn_rng_next(&r) % 3 == 0 && n < 64) {
					char task[16], node[16];
					snprintf(task, sizeof task, "t%u", i);
					snprintf(node, sizeof node, "n%u", v);
					ts.types[n] = tu_type(&w, task, node);
					ts.counts[n++] = 1 + idn_rng_next(&r) % 50;
				}
		double secs = 0.5 + idn_rng_uniform(&r);
		make_slot(&w, &ts, n, secs);
		for (uint32_t j = 0; j < w.net->n_vars; j++) {
			x[j] = idn_rng_next(&r) % 2;
			xd[j] = x[j];
		}
		double total = 0;
		for (uint32_t i = 0; i < n; i++) {
			const struct idn_type *t = network_get_type(w.net,
			                                            ts.types[i]);
			for (uint32_t k = 0; k + 1 < t->n_cands; k++) {
				double l = ts.l[ts.l_off[i] + k];
				assert_true(l >= 0 && l <= ts.counts[i] + 1e-9);
				used[t->cands[k].var] += l;
			}
			total += ts.counts[i];
		}
		for (uint32_t j = 0; j < w.net->n_vars; j++)
			assert_true(used[j] <= w.net->var_capacity[j] * secs +
			            1e-9);
		serve_slot(w.net, &ts.s, x, &m);
		double g = idn_gain(&w.host, &ts.s, xd);
		assert_true(fabs(m.gain - g) <= 1e-9 * (1 + fabs(g)));
		assert_true(m.gain >= -1e-9 && m.gain <= m.max_gain + 1e-9);
		assert_true(fabs(tiers[0] + tiers[1] - total) < 1e-9);
		assert_true(fabs(m.requests - total) < 1e-12);
		tu_world_release(&w);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_shares),
		cmocka_unit_test(test_example_serving),
		cmocka_unit_test(test_random_identities),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
