/* rng.c - xoshiro256** seeded through splitmix64.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Chosen because it is tiny, fast, has no global state, and its output
 * for a seed is fixed by its published definition (Blackman and Vigna),
 * so a run's randomness is reproducible by another implementation.
 */
#include "idnbench/policy.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void idn_rng_seed(struct idn_rng *r, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t idn_rng_next(struct idn_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double idn_rng_uniform(struct idn_rng *r)
{
	return (double)(idn_rng_next(r) >> 11) * 0x1.0p-53;
}
