/* test_cache.c - the LRU/LFU walk of SPEC section 7 on hand-worked
 * request sequences.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "idnbench/cache.h"
#include "testutil.h"

/* One edge node e (budget 100) in front of a cloud c that pins every
 * model; tasks A, B, C have one 50 MB model each, so e holds two. */
static void world(struct test_world *w)
{
	tu_world(w, 1, "node,tier,hardware,budget_mb\ne,edge,h,100\n"
	         "c,cloud,h,0\n", "a,b,delay_ms\ne,c,10\n",
	         "model,task,size_mb,accuracy\nmA,A,50,0.9\nmB,B,50,0.9\n"
	         "mC,C,50,0.9\n",
	         "model,hardware,latency_ms,capacity_rps\nmA,h,1,inf\n"
	         "mB,h,1,inf\nmC,h,1,inf\n",
	         "node,model\nc,mA\nc,mB\nc,mC\n");
}

/* Run a sequence like "AAB C" (letters = one request of that task);
 * return the held models at e as a string of letters in model order. */
static void run(struct test_world *w, enum idn_evict rule, const char *seq,
                char *held)
{
	struct idn_cache *c;
	uint8_t x[8];

	assert_int_equal(idn_cache_new(&c, &w->host, rule), IDN_OK);
	for (const char *p = seq; *p; p++) {
		char task[2] = { *p, 0 };
		uint32_t id = tu_type(w, task, "e");
		idn_cache_request(c, network_get_type(w->net, id), 1);
	}
	idn_cache_contents(c, x);
	for (uint32_t j = 0; j < w->net->n_vars; j++)
		if (x[j])
			*held++ = w->sc->model_name[w->net->var_model[j]][1];
	*held = 0;
	idn_cache_free(c);
}

static void test_lru_lfu_differ(void **state)
{
	struct test_world w;
	char held[8];

	world(&w);
	/* A A B C: at C, A was used twice but longer ago than B.
	 * LRU evicts A (least recent) -> {B, C};
	 * LFU evicts B (count 1 < 2) -> {A, C}. */
	run(&w, IDN_EVICT_LRU, "AABC", held);
	assert_string_equal(held, "BC");
	run(&w, IDN_EVICT_LFU, "AABC", held);
	assert_string_equal(held, "AC");
	/* A B C: LFU counts tie at 1, least recent (A) goes -> {B, C} */
	run(&w, IDN_EVICT_LFU, "ABC", held);
	assert_string_equal(held, "BC");
	/* B A B C A: LRU: at C evict A (B used at 3) -> {B,C}; then A
	 * evicts B (C used later) -> {A, C}.  LFU: at C, B has 2, A 1 ->
	 * evict A -> {B,C}; at A: B 2, C 1 -> evict C -> {A, B}. */
	run(&w, IDN_EVICT_LRU, "BABCA", held);
	assert_string_equal(held, "AC");
	run(&w, IDN_EVICT_LFU, "BABCA", held);
	assert_string_equal(held, "AB");
	/* LFU counts restart on insertion: A A A B C (A evicted? no: B
	 * count 1 goes) -> {A, C}; then B evicts C (count 1, vs A 3) and
	 * C then evicts B (new, count 1, more recent than... B count 1,
	 * A count 3) -> {A, C} */
	run(&w, IDN_EVICT_LFU, "AAABCBC", held);
	assert_string_equal(held, "AC");
	tu_world_release(&w);
}

/* A run of c requests in one event equals c single requests. */
static void test_count_equals_repetition(void **state)
{
	struct test_world w;
	struct idn_cache *a, *b;
	uint8_t xa[8], xb[8];
	static const struct { char task; uint32_t n; } seq[] = {
		{ 'A', 3 }, { 'B', 1 }, { 'C', 2 }, { 'B', 4 }, { 'A', 1 },
		{ 'C', 1 }, { 'A', 2 },
	};

	world(&w);
	for (int rule = IDN_EVICT_LRU; rule <= IDN_EVICT_LFU; rule++) {
		assert_int_equal(idn_cache_new(&a, &w.host, rule), IDN_OK);
		assert_int_equal(idn_cache_new(&b, &w.host, rule), IDN_OK);
		for (size_t i = 0; i < sizeof seq / sizeof *seq; i++) {
			char task[2] = { seq[i].task, 0 };
			const struct idn_type *t =
				network_get_type(w.net, tu_type(&w, task, "e"));
			idn_cache_request(a, t, seq[i].n);
			for (uint32_t k = 0; k < seq[i].n; k++)
				idn_cache_request(b, t, 1);
			idn_cache_contents(a, xa);
			idn_cache_contents(b, xb);
			assert_memory_equal(xa, xb, w.net->n_vars);
		}
		idn_cache_free(a);
		idn_cache_free(b);
	}
	tu_world_release(&w);
}

/* The walk goes on past a node where it inserted, stops where it finds a
 * held candidate, and never passes the repository's node.  Path
 * s - m - r - beyond: s and m can hold the task's model; r pins it. */
static void test_walk_multi_node(void **state)
{
	struct test_world w;
	struct idn_cache *c;
	uint8_t x[8];

	tu_world(&w, 1, "node,tier,hardware,budget_mb\ns,a,h,10\nm,b,h,10\n"
	         "r,c,h,0\n", "a,b,delay_ms\ns,m,1\nm,r,1\n",
	         "model,task,size_mb,accuracy\nmod,T,10,0.5\n",
	         "model,hardware,latency_ms,capacity_rps\nmod,h,1,inf\n",
	         "node,model\nr,mod\n");
	assert_int_equal(idn_cache_new(&c, &w.host, IDN_EVICT_LRU), IDN_OK);
	const struct idn_type *from_m =
		network_get_type(w.net, tu_type(&w, "T", "m"));
	const struct idn_type *from_s =
		network_get_type(w.net, tu_type(&w, "T", "s"));
	/* a request from m inserts at m only (s is not on its path) */
	idn_cache_request(c, from_m, 1);
	idn_cache_contents(c, x);
	assert_int_equal(x[network_var(w.net, 0, 0)], 0);
	assert_int_equal(x[network_var(w.net, 1, 0)], 1);
	/* a request from s inserts at s and stops at m, which holds it */
	idn_cache_request(c, from_s, 1);
	idn_cache_contents(c, x);
	assert_int_equal(x[network_var(w.net, 0, 0)], 1);
	assert_int_equal(x[network_var(w.net, 1, 0)], 1);
	idn_cache_free(c);
	tu_world_release(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lru_lfu_differ),
		cmocka_unit_test(test_count_equals_repetition),
		cmocka_unit_test(test_walk_multi_node),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
