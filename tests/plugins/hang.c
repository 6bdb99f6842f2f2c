/* hang - a test plugin whose first update never returns.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * idn-check-policy must give up after --timeout seconds and report a
 * timeout (pause() waits without burning the CPU).
 */
#include <unistd.h>
#include "stub.h"

static int update(void *state, const struct idn_slot *s, const uint8_t *x,
                  uint8_t *next, double *fractional_gain, double *extra,
                  char *err, size_t errlen)
{
	for (;;)
		pause();
	return IDN_OK;
}

TEST_POLICY(IDN_POLICY_ABI_VERSION, "hang",
            "test plugin: update never returns", update);

const struct idn_policy *idn_policy_describe(void)
{
	return &policy;
}
