/* null_desc - a test plugin whose idn_policy_describe returns NULL.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stddef.h>
#include "idnbench/policy.h"

const struct idn_policy *idn_policy_describe(void)
{
	return NULL;
}
