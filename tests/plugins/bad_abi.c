/* bad_abi - a test plugin whose descriptor claims ABI version 99.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The host must refuse it before calling anything but the describe
 * function, with a message naming the file and the ABI versions.
 */
#include "stub.h"

TEST_POLICY(99, "bad_abi", "test plugin: wrong ABI version", stub_update);

const struct idn_policy *idn_policy_describe(void)
{
	return &policy;
}
