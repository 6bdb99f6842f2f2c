/* no_symbol - a test plugin that exports no idn_policy_describe.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A well-formed descriptor behind a misspelt entry point: the host must
 * report the missing symbol by name.
 */
#include "stub.h"

TEST_POLICY(IDN_POLICY_ABI_VERSION, "no_symbol",
            "test plugin: entry point misspelt", stub_update);

const struct idn_policy *idn_policy_describ(void);

const struct idn_policy *idn_policy_describ(void)
{
	return &policy;
}
