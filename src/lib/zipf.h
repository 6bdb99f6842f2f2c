/* zipf.h - Zipf popularity and random permutations, shared by the trace
 * tools (idn-gen, idn-import) so that a seed means the same thing in both.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rank k (0-based, k < n) has probability proportional to (k+1)^-a
 * (a = 0 is uniform).  A draw maps one uniform number u in [0, 1) to a
 * rank by inverting the cumulative weights, so the randomness consumed is
 * exactly one idn_rng_uniform per draw.
 */
#ifndef IDN_ZIPF_H
#define IDN_ZIPF_H

#include <stdint.h>
#include "idnbench/policy.h"

/* Cumulative weights: cdf[k] = sum_{j<=k} (j+1)^-a, for k < n. */
void zipf_table(double *cdf, uint32_t n, double a);
/* Inverse CDF: the smallest k with cdf[k] > u * cdf[n-1]; n >= 1. */
uint32_t zipf_draw(const double *cdf, uint32_t n, double u);

/* A uniform integer in [0, n), n >= 1, from one idn_rng_uniform. */
uint32_t rng_index(struct idn_rng *rng, uint32_t n);
/* perm = a uniformly random permutation of 0..n-1 (Fisher-Yates from the
 * top, n-1 draws of rng_index). */
void rng_permutation(struct idn_rng *rng, uint32_t *perm, uint32_t n);

#endif
