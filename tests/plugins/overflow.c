/* overflow - a valid test plugin that breaks a budget.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After every slot it allocates every learned var of the first node whose
 * vars together do not fit its budget (in the worked example: small and
 * big at e0, 250 MB for 200 MB).  Each var fits alone, so only the budget
 * check of the host can catch it.  Without such a node it allocates every
 * var of the first node that has vars, which fits.
 */
#include "stub.h"

static uint32_t pick_node(const struct idn_host *h)
{
	uint32_t first = UINT32_MAX;

	for (uint32_t v = 0; v < h->n_nodes; v++) {
		double sum = 0;
		if (h->var_off[v] == h->var_off[v + 1])
			continue;
		if (first == UINT32_MAX)
			first = v;
		for (uint32_t j = h->var_off[v]; j < h->var_off[v + 1]; j++)
			sum += h->var_size[j];
		if (sum > h->node_budget[v])
			return v;
	}
	return first;
}

static int update(void *state, const struct idn_slot *s, const uint8_t *x,
                  uint8_t *next, double *fractional_gain, double *extra,
                  char *err, size_t errlen)
{
	const struct idn_host *h = state;
	uint32_t v = pick_node(h);

	if (v == UINT32_MAX)
		return IDN_OK;
	for (uint32_t j = h->var_off[v]; j < h->var_off[v + 1]; j++)
		next[j] = 1;
	return IDN_OK;
}

TEST_POLICY(IDN_POLICY_ABI_VERSION, "overflow",
            "test plugin: allocates over a node's budget", update);

const struct idn_policy *idn_policy_describe(void)
{
	return &policy;
}
