/* fakehost.h - a struct idn_host built from hand-written data (tests only).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lets unit tests drive the learning math and the policies without the
 * scenario loader or the replay engine.  A fake host owns all its arrays;
 * a fake slot owns the capacity shares it computed with
 * idn_capacity_shares (so the shares follow SPEC section 4 as the engine's
 * do).
 */
#ifndef IDN_TESTS_FAKEHOST_H
#define IDN_TESTS_FAKEHOST_H

#include "idnbench/policy.h"

struct fake_host {
	struct idn_host h;
	uint32_t n_types;
	struct idn_type *types;    /* each owns its cands (and path) */
	uint32_t *var_off, *var_node, *var_model, *node_tier;
	double *var_size, *var_capacity, *node_budget, *model_size;
};

struct fake_slot {
	struct idn_slot s;
	uint32_t *types, *l_off;
	double *counts, *l;
	struct idn_event *events;
};

/* The scenario of the project's worked example (nodes a0 a1 e0 c0, models
 * small and big, big pinned at c0, D = 1 s): vars 0 = (a0, small),
 * 1 = (e0, small), 2 = (e0, big); types 0 = (cls, a0), 1 = (cls, a1). */
struct fake_host *fake_example(void);

/* A random host: nodes with random budgets, models with random sizes,
 * a var for every (node, model) that fits, some with infinite capacity,
 * and n_types types listing random vars at increasing costs before a
 * pinned fallback.  Deterministic for a seed. */
struct fake_host *fake_random(uint64_t seed, uint32_t n_nodes,
                              uint32_t n_models, uint32_t n_types);

void fake_free(struct fake_host *f);

/* Build slot `index` of types[0..n-1] with counts (one event per type),
 * shares over seconds = D.  Returns 0, or -1 when out of memory. */
int fake_slot_make(struct fake_slot *fs, const struct fake_host *f,
                   uint64_t index, uint32_t n, const uint32_t *types,
                   const double *counts);
void fake_slot_free(struct fake_slot *fs);

/* Sum of the sizes of the vars of node v set in x. */
double fake_node_load(const struct fake_host *f, uint32_t v, const uint8_t *x);

#endif
