/* idnbench/learn.h - the shared math of the learning policies (installed).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One implementation of the relaxed gain, its supergradient, the weighted
 * negative-entropy projection and randomized rounding (SPEC sections 5
 * and 7), used by every policy and by the tests.  Vectors indexed by var
 * have host->n_vars entries; pinned models are implicitly 1.
 */
#ifndef IDNBENCH_LEARN_H
#define IDNBENCH_LEARN_H

#include "idnbench/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* G(r, y) of SPEC section 5 for the slot s: for every type,
 *   sum_{k<K} (gamma_{k+1} - gamma_k) * min(r, sum_{k'<=k} l_k' y_k').
 * Works for integral y (0/1) and fractional y alike. */
double idn_gain(const struct idn_host *h, const struct idn_slot *s,
                const double *y);

/* Adds the supergradient of SPEC section 7 at y to g (g is not cleared,
 * so the caller zeroes the entries it reads) and returns G(r, y).  Cost
 * O(sum of the touched types' candidate counts). */
double idn_supergradient(const struct idn_host *h, const struct idn_slot *s,
                         const double *y, double *g);

/* Capacity shares of SPEC section 4 for types[0..n-1] with counts, over
 * a period of `seconds` (D for one slot, n*D for a window): fills
 * l_off[0..n-1] and l (sum of (K-1) over the types entries).  scratch
 * has n_vars entries, all zero on entry and on return. */
void idn_capacity_shares(const struct idn_host *h, uint32_t n,
                         const uint32_t *types, const double *counts,
                         double seconds, double *scratch,
                         uint32_t *l_off, double *l);

#ifdef __cplusplus
}
#endif
#endif
