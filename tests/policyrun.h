/* policyrun.h - drive a policy descriptor over fake slots (tests only).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef IDN_TESTS_POLICYRUN_H
#define IDN_TESTS_POLICYRUN_H

#include "idnbench/policy.h"
#include "fakehost.h"

/* Run `n_slots` random slots of random types and counts through policy pol
 * on host f, checking after init and every update that every node's
 * allocation fits its budget (1e-9 MB).  Returns the number of budget
 * violations (0 expected), or -1 on a policy error. */
int policy_random_run(const struct idn_policy *pol, const struct fake_host *f,
                      const struct idn_option *opts, size_t n_opts,
                      uint64_t n_slots, uint64_t seed);

#endif
