/* serve.c - serving a slot with an integral allocation (SPEC 4-5).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include "prefetch.h"
#include "serve.h"

/* Serve one type with x (SPEC section 5): candidates in cost order each
 * take min(left, l * x), the pinned one the rest.  The gain is the cost
 * saved against serving everything at K. */
static void serve_type(const struct scenario *sc, const struct idn_type *t,
                       double r, const double *l, const uint8_t *x,
                       struct serve_metrics *m)
{
	const uint32_t K = t->n_cands;
	const struct cand_serve *sv = network_serve(t);
	double left = r, paid = 0;

	for (uint32_t k = 0; k < K && left > 0; k++) {
		const struct idn_cand *c = &t->cands[k];
		double z;
		if (k + 1 < K) {
			if (!x[c->var])
				continue;
			z = l[k] < left ? l[k] : left;
		} else {
			z = left;
		}
		if (z <= 0)
			continue;
		left -= z;
		paid += c->cost * z;
		m->latency += z * sv[k].latency_ms;
		m->accuracy += z * sv[k].accuracy;
		m->tier_served[sc->node_tier[c->node]] += z;
	}
	m->requests += r;
	m->gain += r * t->cands[K - 1].cost - paid;
	m->max_gain += r * (t->cands[K - 1].cost - t->cands[0].cost);
}

enum { FAR = 16, NEAR = 8 };  /* types ahead, by prefetch stage */

/* Prefetch what serving a type a few iterations ahead reads: its record,
 * then (once that is in) its serving terms and the allocation byte of
 * its cheapest candidate, the one most requests stop at. */
static void prefetch_type(const struct network *net, uint32_t id,
                          const uint8_t *x, int stage)
{
	const struct idn_type *t = network_get_type(net, id);

	if (stage == 0) {
		idn_prefetch_type_record(t);
		return;
	}
	if (t->cands[0].var != IDN_PINNED)
		IDN_PREFETCH(&x[t->cands[0].var]);
	IDN_PREFETCH(network_serve(t));
}

void serve_slot(const struct network *net, const struct idn_slot *s,
                const uint8_t *x, struct serve_metrics *m)
{
	double *tiers = m->tier_served;

	*m = (struct serve_metrics){ .tier_served = tiers };
	memset(tiers, 0, net->sc->n_tiers * sizeof *tiers);
	for (uint32_t i = 0; i < s->n_types; i++) {
		if (i + FAR < s->n_types)
			prefetch_type(net, s->types[i + FAR], x, 0);
		if (i + NEAR < s->n_types)
			prefetch_type(net, s->types[i + NEAR], x, 1);
		serve_type(net->sc, network_get_type(net, s->types[i]),
		           s->counts[i], s->l + s->l_off[i], x, m);
	}
}

