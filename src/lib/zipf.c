/* zipf.c - Zipf popularity and random permutations.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <assert.h>
#include <math.h>
#include "zipf.h"

void zipf_table(double *cdf, uint32_t n, double a)
{
	double sum = 0;

	for (uint32_t k = 0; k < n; k++) {
		sum += pow((double)k + 1, -a);
		cdf[k] = sum;
	}
}

uint32_t zipf_draw(const double *cdf, uint32_t n, double u)
{
	double x = u * cdf[n - 1];
	uint32_t lo = 0, hi = n - 1;

	assert(n > 0);
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (cdf[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

uint32_t rng_index(struct idn_rng *rng, uint32_t n)
{
	uint32_t k = (uint32_t)(idn_rng_uniform(rng) * n);

	assert(n > 0);
	/* u * n can round up to n when u is just below 1. */
	return k < n ? k : n - 1;
}

void rng_permutation(struct idn_rng *rng, uint32_t *perm, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		perm[i] = i;
	for (uint32_t i = n; i > 1; i--) {
		uint32_t j = rng_index(rng, i), t = perm[i - 1];

		perm[i - 1] = perm[j];
		perm[j] = t;
	}
}
