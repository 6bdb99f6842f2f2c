/* failing - a test plugin whose update fails with a message.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The host must stop the run, exit 1 and pass the message on.
 */
#include <stdio.h>
#include "stub.h"

static int update(void *state, const struct idn_slot *s, const uint8_t *x,
                  uint8_t *next, double *fractional_gain, double *extra,
                  char *err, size_t errlen)
{
	snprintf(err, errlen, "deliberate failure after slot %llu",
	         (unsigned long long)s->index);
	return IDN_EDATA;
}

TEST_POLICY(IDN_POLICY_ABI_VERSION, "failing",
            "test plugin: update always fails", update);

const struct idn_policy *idn_policy_describe(void)
{
	return &policy;
}
