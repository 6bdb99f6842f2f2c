/* greedy.c - GREEDY: per-node greedy by marginal gain per MB (plugin).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SPEC section 7, GREEDY.  After slot t every node rebuilds its set of
 * learned models from empty, with the other nodes' current allocation x_t
 * held fixed (all nodes decide "at once", none sees another's new set):
 * repeatedly add the model with the largest positive marginal gain per MB
 * among those that still fit, ties going to the lower model index, until
 * no model with a positive gain fits.  Gains are evaluated on the counts
 * of the last n = min(window, t+1) slots summed per type, with the
 * capacity shares of SPEC section 4 recomputed for those summed counts
 * over n*D seconds.  The marginal gain of (v, m) is the change of the
 * terms of G (SPEC section 5) of the types that list (v, m) before their
 * pinned candidate (idn_marginal_gain, shared with the other policies).
 *
 * The policy keeps its own copy of the last `window` slots' (type, count)
 * lists, because the host hands out a slot only during the call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "idnbench/learn.h"

/* One remembered slot. */
struct past_slot {
	uint32_t n, types_cap, counts_cap;
	uint32_t *types;
	double *counts;
};

/* Grow-only arrays, one entry per slot type or per learned candidate. */
struct agg {
	uint32_t n, types_cap, counts_cap, off_cap, l_cap, acc_cap;
	uint32_t *types, *l_off;
	double *counts, *l;
	double *acc;   /* by type id: summed count, 0 when not listed */
};

struct greedy {
	const struct idn_host *h;
	uint64_t window;
	struct past_slot *ring;  /* window entries; slot t at t % window */
	struct agg agg;
	struct idn_var_index ix;
	double *scratch;         /* n_vars zeros for idn_capacity_shares */
	double *y;               /* x_t as doubles, one node edited at a time */
};

static const char *const greedy_extra[] = { NULL };

static const struct idn_option_doc greedy_options[] = {
	{ "window", "1", "number of past slots whose counts are summed" },
	{ NULL, NULL, NULL }
};

static void greedy_destroy(void *state)
{
	struct greedy *p = state;

	if (!p)
		return;
	for (uint64_t i = 0; p->ring && i < p->window; i++) {
		free(p->ring[i].types);
		free(p->ring[i].counts);
	}
	free(p->ring);
	free(p->agg.types);
	free(p->agg.l_off);
	free(p->agg.counts);
	free(p->agg.l);
	free(p->agg.acc);
	idn_var_index_free(&p->ix);
	free(p->scratch);
	free(p->y);
	free(p);
}

static int greedy_create(const struct idn_host *h,
                         const struct idn_option *opts, size_t n_opts,
                         void **state, char *err, size_t errlen)
{
	struct greedy *p = calloc(1, sizeof(*p));
	int rc;

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return IDN_ENOMEM;
	}
	p->h = h;
	rc = idn_option_uint(opts, n_opts, "window", 1, &p->window, err,
	                     errlen);
	if (!rc && (p->window == 0 || p->window > 1000000)) {
		snprintf(err, errlen, "option window: must be in 1..1000000");
		rc = IDN_EUSAGE;
	}
	if (!rc) {
		p->ring = calloc(p->window, sizeof(*p->ring));
		p->scratch = calloc(h->n_vars + 1u, sizeof(double));
		p->y = calloc(h->n_vars + 1u, sizeof(double));
		if (!p->ring || !p->scratch || !p->y) {
			snprintf(err, errlen, "out of memory");
			rc = IDN_ENOMEM;
		}
	}
	if (rc) {
		greedy_destroy(p);
		return rc;
	}
	*state = p;
	return IDN_OK;
}

static int grow(void **a, uint32_t *cap, uint32_t need, size_t elem)
{
	uint32_t c = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return IDN_OK;
	while (c < need)
		c *= 2;
	q = realloc(*a, (size_t)c * elem);
	if (!q)
		return IDN_ENOMEM;
	*a = q;
	*cap = c;
	return IDN_OK;
}

static int remember(struct past_slot *ps, const struct idn_slot *s)
{
	if (grow((void **)&ps->types, &ps->types_cap, s->n_types,
	         sizeof(uint32_t))
	    || grow((void **)&ps->counts, &ps->counts_cap, s->n_types,
	            sizeof(double)))
		return IDN_ENOMEM;
	ps->n = s->n_types;
	if (s->n_types) {
		memcpy(ps->types, s->types, s->n_types * sizeof(uint32_t));
		memcpy(ps->counts, s->counts, s->n_types * sizeof(double));
	}
	return IDN_OK;
}

/* Sum the remembered slots per type into agg (types in order of first
 * appearance, oldest slot first) and compute their capacity shares. */
static int aggregate(struct greedy *p, uint64_t t, uint64_t n_slots)
{
	const struct idn_host *h = p->h;
	struct agg *a = &p->agg;
	uint32_t n_types = h->n_types(h), cap = a->acc_cap, nl = 0;

	if (grow((void **)&a->acc, &cap, n_types, sizeof(double)))
		return IDN_ENOMEM;
	/* acc must read 0 for types never seen. */
	memset(a->acc + a->acc_cap, 0, (cap - a->acc_cap) * sizeof(double));
	a->acc_cap = cap;
	a->n = 0;
	for (uint64_t back = n_slots; back-- > 0;) {
		const struct past_slot *ps = &p->ring[(t - back) % p->window];

		for (uint32_t i = 0; i < ps->n; i++) {
			uint32_t ty = ps->types[i];

			if (a->acc[ty] == 0.0) {
				if (grow((void **)&a->types, &a->types_cap,
				         a->n + 1, sizeof(uint32_t)))
					return IDN_ENOMEM;
				a->types[a->n++] = ty;
				nl += h->type(h, ty)->n_cands - 1;
			}
			a->acc[ty] += ps->counts[i];
		}
	}
	if (grow((void **)&a->counts, &a->counts_cap, a->n, sizeof(double))
	    || grow((void **)&a->l_off, &a->off_cap, a->n, sizeof(uint32_t))
	    || grow((void **)&a->l, &a->l_cap, nl, sizeof(double)))
		return IDN_ENOMEM;
	for (uint32_t i = 0; i < a->n; i++) {
		a->counts[i] = a->acc[a->types[i]];
		a->acc[a->types[i]] = 0.0;
	}
	idn_capacity_shares(h, a->n, a->types, a->counts,
	                    h->slot_length * (double)n_slots, p->scratch,
	                    a->l_off, a->l);
	return IDN_OK;
}

/* Greedy fill of node v from empty; p->y holds x_t elsewhere. */
static void fill_node(struct greedy *p, const struct idn_slot *w, uint32_t v,
                      uint8_t *next)
{
	const struct idn_host *h = p->h;
	uint32_t a = h->var_off[v], b = h->var_off[v + 1];
	double used = 0.0;

	for (uint32_t i = a; i < b; i++)
		p->y[i] = 0.0;
	for (;;) {
		uint32_t best = UINT32_MAX;
		double best_ratio = 0.0;

		for (uint32_t i = a; i < b; i++) {
			double mg, ratio;

			if (p->y[i] == 1.0 || used + h->var_size[i]
			    > h->node_budget[v] + IDN_BUDGET_TOL)
				continue;
			mg = idn_marginal_gain(h, w, &p->ix, p->y, i);
			ratio = mg / h->var_size[i];
			/* Strict: an equal ratio keeps the lower model. */
			if (mg > 0.0 && ratio > best_ratio) {
				best = i;
				best_ratio = ratio;
			}
		}
		if (best == UINT32_MAX)
			break;
		p->y[best] = 1.0;
		used += h->var_size[best];
	}
	for (uint32_t i = a; i < b; i++)
		next[i] = p->y[i] == 1.0;
}

/* GREEDY starts from the pinned models only. */
static int greedy_init(void *state, uint8_t *x0, char *err, size_t errlen)
{
	return IDN_OK;
}

static int greedy_update(void *state, const struct idn_slot *s,
                         const uint8_t *x, uint8_t *next,
                         double *fractional_gain, double *extra,
                         char *err, size_t errlen)
{
	struct greedy *p = state;
	const struct idn_host *h = p->h;
	uint64_t n_slots = s->index + 1 < p->window ? s->index + 1 : p->window;
	struct idn_slot w;
	int rc = remember(&p->ring[s->index % p->window], s);

	if (!rc)
		rc = aggregate(p, s->index, n_slots);
	w = (struct idn_slot){ .index = s->index, .n_types = p->agg.n,
	                       .types = p->agg.types, .counts = p->agg.counts,
	                       .l_off = p->agg.l_off, .l = p->agg.l };
	if (!rc)
		rc = idn_var_index_build(&p->ix, h, &w);
	if (rc) {
		snprintf(err, errlen, "greedy: out of memory");
		return rc;
	}
	for (uint32_t i = 0; i < h->n_vars; i++)
		p->y[i] = x[i];
	for (uint32_t v = 0; v < h->n_nodes; v++) {
		fill_node(p, &w, v, next);
		/* The next node must see x_t here, not the new set. */
		for (uint32_t i = h->var_off[v]; i < h->var_off[v + 1]; i++)
			p->y[i] = x[i];
	}
	return IDN_OK;
}

static const struct idn_policy greedy_policy = {
	.abi_version = IDN_POLICY_ABI_VERSION,
	.name = "greedy",
	.summary = "each node refills its memory greedily by marginal gain "
	           "per MB over the last window slots",
	.options = greedy_options,
	.extra_columns = greedy_extra,
	.has_fractional = 0,
	.create = greedy_create,
	.prepare = NULL,
	.init = greedy_init,
	.update = greedy_update,
	.destroy = greedy_destroy,
};

const struct idn_policy *idn_policy_describe(void)
{
	return &greedy_policy;
}
