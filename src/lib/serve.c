/* serve.c - serving a slot with an integral allocation (SPEC 4-5).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include "serve.h"

/* Serve one type with x (SPEC section 5): candidates in cost order each
 * take min(left, l * x), the pinned one the rest.  The gain is the cost
 * saved against serving everything at K. */
static void serve_type(const struct scenario *sc, const struct idn_type *t,
                       double r, const double *l, const uint8_t *x,
                       struct serve_metrics *m)
{
	const uint32_t K = t->n_cands;
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
		m->latency += z * (2 * t->path_delay[c->hop] +
		                   scenario_latency(sc, c->model, c->node));
		m->accuracy += z * sc->model_acc[c->model];
		m->tier_served[sc->node_tier[c->node]] += z;
	}
	m->requests += r;
	m->gain += r * t->cands[K - 1].cost - paid;
	m->max_gain += r * (t->cands[K - 1].cost - t->cands[0].cost);
}

void serve_slot(const struct network *net, const struct idn_slot *s,
                const uint8_t *x, struct serve_metrics *m)
{
	double *tiers = m->tier_served;

	*m = (struct serve_metrics){ .tier_served = tiers };
	memset(tiers, 0, net->sc->n_tiers * sizeof *tiers);
	for (uint32_t i = 0; i < s->n_types; i++)
		serve_type(net->sc, network_get_type(net, s->types[i]),
		           s->counts[i], s->l + s->l_off[i], x, m);
}

