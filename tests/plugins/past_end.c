/* past_end - a test plugin with an off-by-one write.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * It sets next[n_vars], one byte past the allocation; the host keeps
 * guard bytes there and must report the write.
 */
#include "stub.h"

static int update(void *state, const struct idn_slot *s, const uint8_t *x,
                  uint8_t *next, double *fractional_gain, double *extra,
                  char *err, size_t errlen)
{
	const struct idn_host *h = state;

	next[h->n_vars] = 1;
	return IDN_OK;
}

TEST_POLICY(IDN_POLICY_ABI_VERSION, "past_end",
            "test plugin: writes one byte past the allocation", update);

const struct idn_policy *idn_policy_describe(void)
{
	return &policy;
}
