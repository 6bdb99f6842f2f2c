/* static - the pinned repositories only, never a learned model.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The STATIC baseline of SPEC section 7 with the empty allocation: every
 * request is served by its pinned candidate K, so the gain is 0 and the
 * latency/accuracy columns show what the repositories alone deliver.  It
 * is the floor every other policy is measured against.
 */
#include "idnbench/policy.h"

static int create(const struct idn_host *h, const struct idn_option *opts,
                  size_t n_opts, void **state, char *err, size_t errlen)
{
	*state = (void *)h;   /* nothing to remember; non-NULL on success */
	return IDN_OK;
}

static int update(void *state, const struct idn_slot *s, const uint8_t *x,
                  uint8_t *next, double *fractional_gain, double *extra,
                  char *err, size_t errlen)
{
	return IDN_OK;        /* next arrives as a copy of x: all zero */
}

static void destroy(void *state)
{
}

static const struct idn_policy policy = {
	.abi_version = IDN_POLICY_ABI_VERSION,
	.name = "static",
	.summary = "pinned repositories only (SPEC 7 STATIC, empty allocation)",
	.create = create,
	.update = update,
	.destroy = destroy,
};

const struct idn_policy *idn_policy_describe(void)
{
	return &policy;
}
