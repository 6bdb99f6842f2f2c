/* fakehost.c - hand-built hosts for the unit tests.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "idnbench/learn.h"
#include "fakehost.h"

static const char *name_node(const struct idn_host *h, uint32_t i)
{
	static const char *const names[] = { "a0", "a1", "e0", "c0" };

	return h->n_nodes == 4 && i < 4 ? names[i] : "node";
}

static const char *name_model(const struct idn_host *h, uint32_t i)
{
	return h->n_models == 2 ? (i ? "big" : "small") : "model";
}

static const char *name_task(const struct idn_host *h, uint32_t i)
{
	return "cls";
}

static const char *name_tier(const struct idn_host *h, uint32_t i)
{
	static const char *const names[] = { "access", "edge", "cloud" };

	return i < 3 ? names[i] : "tier";
}

static uint32_t count_types(const struct idn_host *h)
{
	return ((const struct fake_host *)h->ctx)->n_types;
}

static const struct idn_type *get_type(const struct idn_host *h, uint32_t i)
{
	const struct fake_host *f = h->ctx;

	return i < f->n_types ? &f->types[i] : NULL;
}

/* Allocate the arrays and wire the host; the caller fills the values. */
static struct fake_host *fake_alloc(uint32_t n_nodes, uint32_t n_models,
                                    uint32_t n_vars, uint32_t n_types)
{
	struct fake_host *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->var_off = calloc(n_nodes + 1u, sizeof(uint32_t));
	f->node_tier = calloc(n_nodes + 1u, sizeof(uint32_t));
	f->node_budget = calloc(n_nodes + 1u, sizeof(double));
	f->var_node = calloc(n_vars + 1u, sizeof(uint32_t));
	f->var_model = calloc(n_vars + 1u, sizeof(uint32_t));
	f->var_size = calloc(n_vars + 1u, sizeof(double));
	f->var_capacity = calloc(n_vars + 1u, sizeof(double));
	f->model_size = calloc(n_models + 1u, sizeof(double));
	f->types = calloc(n_types + 1u, sizeof(struct idn_type));
	if (!f->var_off || !f->node_tier || !f->node_budget || !f->var_node
	    || !f->var_model || !f->var_size || !f->var_capacity
	    || !f->model_size || !f->types) {
		fake_free(f);
		return NULL;
	}
	f->n_types = n_types;
	f->h = (struct idn_host){
		.abi_version = IDN_POLICY_ABI_VERSION,
		.n_nodes = n_nodes, .n_models = n_models, .n_tasks = 1,
		.n_vars = n_vars, .n_tiers = 3, .slot_length = 1.0,
		.alpha = 1.0, .seed = 1,
		.var_off = f->var_off, .var_node = f->var_node,
		.var_model = f->var_model, .var_size = f->var_size,
		.var_capacity = f->var_capacity,
		.node_budget = f->node_budget, .node_tier = f->node_tier,
		.model_size = f->model_size,
		.node_name = name_node, .model_name = name_model,
		.task_name = name_task, .tier_name = name_tier,
		.n_types = count_types, .type = get_type, .ctx = f,
	};
	return f;
}

void fake_free(struct fake_host *f)
{
	if (!f)
		return;
	for (uint32_t i = 0; f->types && i < f->n_types; i++) {
		free((void *)f->types[i].cands);
		free((void *)f->types[i].path);
		free((void *)f->types[i].path_delay);
	}
	free(f->types);
	free(f->var_off);
	free(f->node_tier);
	free(f->node_budget);
	free(f->var_node);
	free(f->var_model);
	free(f->var_size);
	free(f->var_capacity);
	free(f->model_size);
	free(f);
}

static int set_type(struct idn_type *t, uint32_t source,
                    const struct idn_cand *c, uint32_t n,
                    const uint32_t *path, const double *delay, uint32_t len)
{
	struct idn_cand *cc = malloc(n * sizeof(*cc));
	uint32_t *pp = len ? malloc(len * sizeof(*pp)) : NULL;
	double *dd = len ? malloc(len * sizeof(*dd)) : NULL;

	if (!cc || (len && (!pp || !dd))) {
		free(cc);
		free(pp);
		free(dd);
		return -1;
	}
	memcpy(cc, c, n * sizeof(*cc));
	if (len) {
		memcpy(pp, path, len * sizeof(*pp));
		memcpy(dd, delay, len * sizeof(*dd));
	}
	*t = (struct idn_type){ .task = 0, .source = source, .n_cands = n,
	                        .path_len = len, .cands = cc, .path = pp,
	                        .path_delay = dd };
	return 0;
}

struct fake_host *fake_example(void)
{
	/* Costs are those listed for the example: 2*delay + latency +
	 * 100*(1 - accuracy), e.g. (e0, big) from a0 is 10 + 10 + 20. */
	static const struct idn_cand c0[] = {
		{ 40, 2, 2, 1, 1 }, { 45, 1, 2, 0, 1 }, { 50, 0, 0, 0, 0 },
		{ 80, IDN_PINNED, 3, 1, 2 } };
	static const struct idn_cand c1[] = {
		{ 36, 2, 2, 1, 1 }, { 41, 1, 2, 0, 1 },
		{ 76, IDN_PINNED, 3, 1, 2 } };
	static const uint32_t p0[] = { 0, 2, 3 }, p1[] = { 1, 2, 3 };
	static const double d0[] = { 0, 5, 25 }, d1[] = { 0, 3, 23 };
	static const uint32_t off[] = { 0, 1, 1, 3, 3 }, tier[] = { 0, 0, 1, 2 };
	static const uint32_t vnode[] = { 0, 2, 2 }, vmodel[] = { 0, 0, 1 };
	static const double vsize[] = { 50, 50, 200 }, vcap[] = { 10, 100, 25 };
	static const double budget[] = { 100, 0, 200, 0 }, msize[] = { 50, 200 };
	struct fake_host *f = fake_alloc(4, 2, 3, 2);

	if (!f)
		return NULL;
	memcpy(f->var_off, off, sizeof(off));
	memcpy(f->node_tier, tier, sizeof(tier));
	memcpy(f->var_node, vnode, sizeof(vnode));
	memcpy(f->var_model, vmodel, sizeof(vmodel));
	memcpy(f->var_size, vsize, sizeof(vsize));
	memcpy(f->var_capacity, vcap, sizeof(vcap));
	memcpy(f->node_budget, budget, sizeof(budget));
	memcpy(f->model_size, msize, sizeof(msize));
	if (set_type(&f->types[0], 0, c0, 4, p0, d0, 3)
	    || set_type(&f->types[1], 1, c1, 3, p1, d1, 3)) {
		fake_free(f);
		return NULL;
	}
	return f;
}

static uint32_t below(struct idn_rng *r, uint32_t n)
{
	return (uint32_t)(idn_rng_uniform(r) * n);
}

/* Vars: every model that fits the node's budget, in model order. */
static uint32_t random_vars(struct fake_host *f, struct idn_rng *r)
{
	uint32_t nv = 0;

	for (uint32_t v = 0; v < f->h.n_nodes; v++) {
		f->var_off[v] = nv;
		f->node_tier[v] = v % 3;
		for (uint32_t m = 0; m < f->h.n_models; m++) {
			if (f->model_size[m] > f->node_budget[v])
				continue;
			f->var_node[nv] = v;
			f->var_model[nv] = m;
			f->var_size[nv] = f->model_size[m];
			f->var_capacity[nv] = idn_rng_uniform(r) < 0.3
				? INFINITY : 1.0 + 49.0 * idn_rng_uniform(r);
			nv++;
		}
	}
	f->var_off[f->h.n_nodes] = nv;
	return nv;
}

static int random_type(struct fake_host *f, struct idn_rng *r, uint32_t i)
{
	uint32_t nv = f->h.n_vars, want = nv ? below(r, nv < 6 ? nv + 1 : 7) : 0;
	struct idn_cand c[8];
	uint32_t n = 0;
	double cost = 10.0 * idn_rng_uniform(r);

	while (n < want) {
		uint32_t v = below(r, nv), dup = 0;

		for (uint32_t k = 0; k < n; k++)
			dup |= c[k].var == v;
		if (dup)
			continue;
		/* A few exact ties exercise the zero-width terms of G. */
		cost += idn_rng_uniform(r) < 0.1 ? 0.0
		        : 0.5 + 10.0 * idn_rng_uniform(r);
		c[n++] = (struct idn_cand){ cost, v, f->var_node[v],
		                            f->var_model[v], 0 };
	}
	cost += 0.5 + 20.0 * idn_rng_uniform(r);
	c[n++] = (struct idn_cand){ cost, IDN_PINNED, 0, 0, 0 };
	return set_type(&f->types[i], below(r, f->h.n_nodes), c, n, NULL,
	                NULL, 0);
}

struct fake_host *fake_random(uint64_t seed, uint32_t n_nodes,
                              uint32_t n_models, uint32_t n_types)
{
	struct fake_host *f = fake_alloc(n_nodes, n_models, n_nodes * n_models,
	                                 n_types);
	struct idn_rng r;

	if (!f)
		return NULL;
	idn_rng_seed(&r, seed);
	for (uint32_t m = 0; m < n_models; m++)
		f->model_size[m] = 10.0 + 190.0 * idn_rng_uniform(&r);
	for (uint32_t v = 0; v < n_nodes; v++)
		f->node_budget[v] = 400.0 * idn_rng_uniform(&r);
	f->h.n_vars = random_vars(f, &r);
	f->h.seed = seed;
	for (uint32_t i = 0; i < n_types; i++)
		if (random_type(f, &r, i)) {
			fake_free(f);
			return NULL;
		}
	return f;
}

int fake_slot_make(struct fake_slot *fs, const struct fake_host *f,
                   uint64_t index, uint32_t n, const uint32_t *types,
                   const double *counts)
{
	size_t nl = 1;
	double *scratch = calloc(f->h.n_vars + 1u, sizeof(double));

	memset(fs, 0, sizeof(*fs));
	for (uint32_t i = 0; i < n; i++)
		nl += f->types[types[i]].n_cands - 1;
	fs->types = malloc((n + 1u) * sizeof(uint32_t));
	fs->l_off = malloc((n + 1u) * sizeof(uint32_t));
	fs->counts = malloc((n + 1u) * sizeof(double));
	fs->events = malloc((n + 1u) * sizeof(struct idn_event));
	fs->l = malloc(nl * sizeof(double));
	if (!scratch || !fs->types || !fs->l_off || !fs->counts || !fs->events
	    || !fs->l) {
		free(scratch);
		fake_slot_free(fs);
		return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		fs->types[i] = types[i];
		fs->counts[i] = counts[i];
		fs->events[i] = (struct idn_event){ types[i],
		                                    (uint32_t)counts[i] };
	}
	idn_capacity_shares(&f->h, n, types, counts, f->h.slot_length,
	                    scratch, fs->l_off, fs->l);
	free(scratch);
	fs->s = (struct idn_slot){ .index = index, .n_types = n,
	                           .types = fs->types, .counts = fs->counts,
	                           .l_off = fs->l_off, .l = fs->l,
	                           .n_events = n, .events = fs->events };
	return 0;
}

void fake_slot_free(struct fake_slot *fs)
{
	free(fs->types);
	free(fs->l_off);
	free(fs->counts);
	free(fs->events);
	free(fs->l);
	memset(fs, 0, sizeof(*fs));
}

double fake_node_load(const struct fake_host *f, uint32_t v, const uint8_t *x)
{
	double used = 0.0;

	for (uint32_t i = f->var_off[v]; i < f->var_off[v + 1]; i++)
		if (x[i])
			used += f->var_size[i];
	return used;
}
