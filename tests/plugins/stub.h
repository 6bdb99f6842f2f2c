/* stub.h - shared pieces of the deliberately broken test plugins.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test plugin breaks one rule of the plugin ABI; everything else is
 * these do-nothing callbacks and a descriptor built by TEST_POLICY.
 */
#ifndef IDN_TEST_PLUGIN_STUB_H
#define IDN_TEST_PLUGIN_STUB_H

#include <stddef.h>
#include "idnbench/policy.h"

/* The state is the host itself (non-NULL, nothing to free). */
__attribute__((unused))
static int stub_create(const struct idn_host *h,
                       const struct idn_option *opts, size_t n_opts,
                       void **state, char *err, size_t errlen)
{
	*state = (void *)h;
	return IDN_OK;
}

/* Keeps the allocation as it is. */
__attribute__((unused))
static int stub_update(void *state, const struct idn_slot *s,
                       const uint8_t *x, uint8_t *next,
                       double *fractional_gain, double *extra, char *err,
                       size_t errlen)
{
	return IDN_OK;
}

__attribute__((unused))
static void stub_destroy(void *state)
{
}

/* A descriptor called `policy` with the given ABI version and update. */
#define TEST_POLICY(ABI, NAME, SUMMARY, UPDATE)                              \
	static const struct idn_policy policy = {                            \
		.abi_version = (ABI),                                        \
		.name = (NAME),                                              \
		.summary = (SUMMARY),                                        \
		.create = stub_create,                                       \
		.update = (UPDATE),                                          \
		.destroy = stub_destroy,                                     \
	}

#endif
