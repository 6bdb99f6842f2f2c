/* serve.h - serving a slot with an integral allocation (SPEC 4-5).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef IDN_SERVE_H
#define IDN_SERVE_H

#include "network.h"

/* What one slot delivered.  tier_served has n_tiers entries, owned by
 * the caller; serve_slot overwrites every field. */
struct serve_metrics {
	double requests;
	double gain;          /* cost saved against serving all at K */
	double max_gain;      /* sum r * (gamma_K - gamma_1) */
	double latency;       /* sum over requests of round trip + inference */
	double accuracy;      /* sum over requests of the model's accuracy */
	double *tier_served;  /* requests served per tier */
};

/* Serve every type of s with allocation x: each type's requests go to
 * its candidates in cost order, each taking min(left, l * x), the pinned
 * one the rest.  The gain is computed from the amounts served, as
 * r * gamma_K - sum gamma_k z_k (equal to G(r, x) of learn.h). */
void serve_slot(const struct network *net, const struct idn_slot *s,
                const uint8_t *x, struct serve_metrics *m);

#endif
