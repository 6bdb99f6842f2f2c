/* nonbinary - a test plugin that writes 2 into an allocation.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An allocation byte is 0 or 1; the host must refuse the 2 at var 0.
 */
#include "stub.h"

static int update(void *state, const struct idn_slot *s, const uint8_t *x,
                  uint8_t *next, double *fractional_gain, double *extra,
                  char *err, size_t errlen)
{
	const struct idn_host *h = state;

	if (h->n_vars)
		next[0] = 2;
	return IDN_OK;
}

TEST_POLICY(IDN_POLICY_ABI_VERSION, "nonbinary",
            "test plugin: allocation byte 2", update);

const struct idn_policy *idn_policy_describe(void)
{
	return &policy;
}
