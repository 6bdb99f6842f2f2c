/* nondet - a test plugin whose allocations do not follow the seed.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each slot it holds one learned var of a random node chosen with an
 * unseeded rand(), whose sequence goes on from run to run inside one
 * process, and is perturbed by the clock: two runs with the same seed
 * differ.  Every var fits its node alone, so budgets hold.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "stub.h"

static int update(void *state, const struct idn_slot *s, const uint8_t *x,
                  uint8_t *next, double *fractional_gain, double *extra,
                  char *err, size_t errlen)
{
	const struct idn_host *h = state;
	struct timespec ts;

	if (h->n_vars == 0)
		return IDN_OK;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	memset(next, 0, h->n_vars);
	next[((uint32_t)rand() ^ (uint32_t)ts.tv_nsec) % h->n_vars] = 1;
	return IDN_OK;
}

TEST_POLICY(IDN_POLICY_ABI_VERSION, "nondet",
            "test plugin: random choices from rand() and the clock", update);

const struct idn_policy *idn_policy_describe(void)
{
	return &policy;
}
