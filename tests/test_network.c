/* test_network.c - routing tie rules, candidate lists, learned variables
 * (SPEC sections 2, 3 and 7's M_v).  Expected paths and costs are worked
 * out by hand in the comments.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"

static const char *MODELS1 = "model,task,size_mb,accuracy\nm,t,10,1\n";
static const char *PROF1 = "model,hardware,latency_ms,capacity_rps\nm,h,1,inf\n";

static void assert_path(struct test_world *w, uint32_t id,
                        const char *const *names, uint32_t n)
{
	const struct idn_type *t = network_get_type(w->net, id);

	assert_int_equal(t->path_len, n);
	for (uint32_t j = 0; j < n; j++)
		assert_string_equal(w->sc->node_name[t->path[j]], names[j]);
}

/* Diamond s-a-t, s-b-t, all delays 1.  From s, a and b are both at 1;
 * the heap pops the lower index first, so t is first reached (and, by
 * the strictly-shorter rule, kept) through the lower-indexed of a, b. */
static void test_diamond_tie_lower_index(void **state)
{
	const char *links = "a,b,delay_ms\ns,a,1\ns,b,1\na,t,1\nb,t,1\n";
	const char *pins = "node,model\nt,m\n";
	struct test_world w;

	tu_world(&w, 1, "node,tier,hardware,budget_mb\ns,x,h,0\na,x,h,0\n"
	         "b,x,h,0\nt,x,h,0\n", links, MODELS1, PROF1, pins);
	assert_path(&w, tu_type(&w, "t", "s"),
	            (const char *[]){ "s", "a", "t" }, 3);
	tu_world_release(&w);
	/* same graph, b listed before a: now b has the lower index */
	tu_world(&w, 1, "node,tier,hardware,budget_mb\ns,x,h,0\nb,x,h,0\n"
	         "a,x,h,0\nt,x,h,0\n", links, MODELS1, PROF1, pins);
	assert_path(&w, tu_type(&w, "t", "s"),
	            (const char *[]){ "s", "b", "t" }, 3);
	tu_world_release(&w);
}

/* Two repositories at distance 5 (r1 via one link, r2 via two): the
 * tie goes to the pinning node with the smaller index, r1 (index 1). */
static void test_nearest_repository_tie(void **state)
{
	struct test_world w;

	tu_world(&w, 1, "node,tier,hardware,budget_mb\ns,x,h,0\nr1,x,h,0\n"
	         "m,x,h,0\nr2,x,h,0\n",
	         "a,b,delay_ms\ns,r1,5\ns,m,2\nm,r2,3\n", MODELS1, PROF1,
	         "node,model\nr2,m\nr1,m\n");
	assert_path(&w, tu_type(&w, "t", "s"), (const char *[]){ "s", "r1" },
	            2);
	tu_world_release(&w);
	/* r2 strictly nearer (4 < 5) wins despite its larger index */
	tu_world(&w, 1, "node,tier,hardware,budget_mb\ns,x,h,0\nr1,x,h,0\n"
	         "m,x,h,0\nr2,x,h,0\n",
	         "a,b,delay_ms\ns,r1,5\ns,m,2\nm,r2,2\n", MODELS1, PROF1,
	         "node,model\nr2,m\nr1,m\n");
	assert_path(&w, tu_type(&w, "t", "s"),
	            (const char *[]){ "s", "m", "r2" }, 3);
	tu_world_release(&w);
}

/* Parallel links: the shortest counts, in either order.  The one-way
 * delay to each hop is the sum of the links from the source. */
static void test_parallel_links_and_delays(void **state)
{
	struct test_world w;
	const struct idn_type *t;

	tu_world(&w, 1, "node,tier,hardware,budget_mb\ns,x,h,0\nu,x,h,0\n"
	         "r,x,h,0\n",
	         "a,b,delay_ms\ns,u,7\nu,s,2.5\ns,u,3\nu,r,0.25\n", MODELS1,
	         PROF1, "node,model\nr,m\n");
	t = network_get_type(w.net, tu_type(&w, "t", "s"));
	assert_int_equal(t->path_len, 3);
	assert_true(t->path_delay[0] == 0);
	assert_true(t->path_delay[1] == 2.5);
	assert_true(t->path_delay[2] == 2.75);
	/* pinned m at r: cost = 2 * 2.75 + 1 + 100 * (1 - 1) = 6.5 */
	assert_int_equal(t->n_cands, 1);
	assert_true(t->cands[0].cost == 6.5);
	assert_int_equal(t->cands[0].var, IDN_PINNED);
	tu_world_release(&w);
}

/* The worked example of the spec: type (cls, a0) has candidates
 * (e0,big) 40, (e0,small) 45, (a0,small) 50, (c0,big) 80 pinned. */
static void test_example_candidates(void **state)
{
	struct test_world w;
	const struct idn_type *t;

	tu_example_world(&w);
	/* vars: a0 holds small only (big > 100 MB); a1 nothing (budget 0);
	 * e0 small and big; c0 nothing (budget 0, big pinned) */
	assert_int_equal(w.net->n_vars, 3);
	t = network_get_type(w.net, tu_type(&w, "cls", "a0"));
	assert_int_equal(t->n_cands, 4);
	static const double cost[] = { 40, 45, 50, 80 };
	static const char *const node[] = { "e0", "e0", "a0", "c0" };
	static const char *const model[] = { "big", "small", "small", "big" };
	for (int k = 0; k < 4; k++) {
		assert_true(fabs(t->cands[k].cost - cost[k]) < 1e-12);
		assert_string_equal(w.sc->node_name[t->cands[k].node], node[k]);
		assert_string_equal(w.sc->model_name[t->cands[k].model],
		                    model[k]);
		assert_int_equal(t->cands[k].var == IDN_PINNED, k == 3);
	}
	t = network_get_type(w.net, tu_type(&w, "cls", "a1"));
	assert_int_equal(t->n_cands, 3);
	assert_true(fabs(t->cands[0].cost - 36) < 1e-12);
	assert_true(fabs(t->cands[2].cost - 76) < 1e-12);
	tu_world_release(&w);
}

/* Equal costs: the lower hop first, then the lower model index; and
 * everything after the first pinned candidate is dropped. */
static void test_candidate_ties_and_truncation(void **state)
{
	struct test_world w;
	const struct idn_type *t;

	/* s -0- r.  Costs (alpha 1, accuracy 1 so no accuracy term):
	 *   x@s: 0+4 = 4   y@s: 0+4 = 4   x@r, y@r: 0+4 = 4 (hop 1)
	 *   p@s learned: 5 (hop 0);  p@r pinned: 5 (hop 1)
	 *   slow@s, slow@r: 50 (after K: dropped)
	 * order: x@s (hop 0, model 0), y@s (hop 0, model 1), x@r, y@r,
	 * p@s (ties with the pinned p@r but is nearer), p@r. */
	tu_world(&w, 1, "node,tier,hardware,budget_mb\ns,a,h,100\nr,b,h,100\n",
	         "a,b,delay_ms\ns,r,0\n",
	         "model,task,size_mb,accuracy\nx,t,1,1\ny,t,1,1\np,t,1,1\n"
	         "slow,t,1,1\n",
	         "model,hardware,latency_ms,capacity_rps\nx,h,4,1\ny,h,4,1\n"
	         "p,h,5,1\nslow,h,50,1\n",
	         "node,model\nr,p\n");
	t = network_get_type(w.net, tu_type(&w, "t", "s"));
	assert_int_equal(t->n_cands, 6);
	assert_string_equal(w.sc->model_name[t->cands[0].model], "x");
	assert_int_equal(t->cands[0].hop, 0);
	assert_string_equal(w.sc->model_name[t->cands[1].model], "y");
	assert_int_equal(t->cands[1].hop, 0);
	assert_string_equal(w.sc->model_name[t->cands[2].model], "x");
	assert_int_equal(t->cands[2].hop, 1);
	assert_string_equal(w.sc->model_name[t->cands[3].model], "y");
	assert_int_equal(t->cands[3].hop, 1);
	assert_string_equal(w.sc->model_name[t->cands[4].model], "p");
	assert_int_equal(t->cands[4].hop, 0);
	assert_int_not_equal(t->cands[4].var, IDN_PINNED);
	assert_string_equal(w.sc->model_name[t->cands[5].model], "p");
	assert_int_equal(t->cands[5].var, IDN_PINNED);
	tu_world_release(&w);
}

/* M_v: runnable, not pinned at v, size <= budget + 1e-9. */
static void test_learned_vars(void **state)
{
	struct test_world w;

	tu_world(&w, 1, "node,tier,hardware,budget_mb\nv,a,h,100\nr,b,g,0\n",
	         "a,b,delay_ms\nv,r,1\n",
	         "model,task,size_mb,accuracy\nfits,t,100.0000000001,1\n"
	         "big,t,100.001,1\nnohw,t,1,1\npin,t,1,1\n",
	         "model,hardware,latency_ms,capacity_rps\nfits,h,1,1\n"
	         "big,h,1,1\npin,h,1,1\npin,g,1,1\nnohw,g,1,1\n",
	         "node,model\nv,pin\nr,pin\n");
	/* only 'fits' at v: big exceeds the tolerance, nohw cannot run on h,
	 * pin is pinned at v; r has budget 0 */
	assert_int_equal(w.net->n_vars, 1);
	assert_string_equal(w.sc->model_name[w.net->var_model[0]], "fits");
	assert_int_equal(network_var(w.net, 0, 1), IDN_PINNED);
	tu_world_release(&w);
}

static void test_unreachable_repository(void **state)
{
	struct test_world w;
	struct idn_err e = { "" };
	uint32_t id;

	tu_world(&w, 1, "node,tier,hardware,budget_mb\ns,a,h,0\nr,b,h,0\n",
	         "a,b,delay_ms\n", MODELS1, PROF1, "node,model\nr,m\n");
	assert_int_equal(network_type(w.net, 0, 0, &id, &e), IDN_EDATA);
	assert_non_null(strstr(e.msg, "reachable from 's'"));
	tu_world_release(&w);
}

/* Property on random trees: candidate lists are sorted by (cost, hop,
 * model), end with the only pinned one, and learned ones are vars of the
 * right (node, model). */
static void test_random_candidate_invariants(void **state)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct test_world w;
		tu_random_world(&w, seed, 12, 6);
		for (uint32_t i = 0; i < w.sc->n_tasks; i++) {
			for (uint32_t v = 0; v < w.sc->n_nodes; v++) {
				uint32_t id;
				struct idn_err e;
				assert_int_equal(network_type(w.net, i, v, &id, &e),
				                 IDN_OK);
				const struct idn_type *t = network_get_type(w.net, id);
				assert_int_equal(t->path[t->path_len - 1], 0);
				for (uint32_t k = 0; k < t->n_cands; k++) {
					const struct idn_cand *c = &t->cands[k];
					assert_int_equal(c->var == IDN_PINNED,
					                 k + 1 == t->n_cands);
					if (c->var != IDN_PINNED) {
						assert_int_equal(w.net->var_node[c->var], c->node);
						assert_int_equal(w.net->var_model[c->var], c->model);
					}
					assert_int_equal(t->path[c->hop], c->node);
					if (k == 0)
						continue;
					const struct idn_cand *p = &t->cands[k - 1];
					assert_true(p->cost < c->cost ||
					            (p->cost == c->cost &&
					             (p->hop < c->hop ||
					              (p->hop == c->hop &&
					               p->model < c->model))));
				}
			}
		}
		tu_world_release(&w);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diamond_tie_lower_index),
		cmocka_unit_test(test_nearest_repository_tie),
		cmocka_unit_test(test_parallel_links_and_delays),
		cmocka_unit_test(test_example_candidates),
		cmocka_unit_test(test_candidate_ties_and_truncation),
		cmocka_unit_test(test_learned_vars),
		cmocka_unit_test(test_unreachable_repository),
		cmocka_unit_test(test_random_candidate_invariants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
