/* crash - a test plugin that dereferences NULL in its third update.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The host dies of SIGSEGV; idn-check-policy runs each scenario in a
 * child and must report the signal.  (The first updates succeed so that
 * the crash happens in the middle of a replay.)
 */
#include "stub.h"

static int update(void *state, const struct idn_slot *s, const uint8_t *x,
                  uint8_t *next, double *fractional_gain, double *extra,
                  char *err, size_t errlen)
{
	volatile int *null = NULL;

	if (s->index == 2)
		*null = 1;
	return IDN_OK;
}

TEST_POLICY(IDN_POLICY_ABI_VERSION, "crash",
            "test plugin: NULL dereference at slot 2", update);

const struct idn_policy *idn_policy_describe(void)
{
	return &policy;
}
