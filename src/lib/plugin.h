/* plugin.h - finding, loading and checking policy plugins.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A NAME without '/' is looked up as NAME.so in each directory of
 * $IDN_POLICY_PATH (colon-separated), then in the install directory
 * IDN_POLICYDIR; a value with '/' is a path.  plugin_open fails with one
 * line naming the file for a missing file, a dlopen error, a missing
 * idn_policy_describe symbol, a wrong ABI version or a descriptor without
 * its mandatory callbacks.
 */
#ifndef IDN_PLUGIN_H
#define IDN_PLUGIN_H

#include "idnbench/policy.h"
#include "err.h"

struct plugin {
	void *dl;
	char *path;
	const struct idn_policy *desc;
};

int plugin_open(struct plugin **out, const char *name, struct idn_err *e);
void plugin_close(struct plugin *p);

/* Every key must be one the policy documents, given at most once. */
int plugin_check_options(const struct plugin *p,
                         const struct idn_option *opts, size_t n,
                         struct idn_err *e);

#endif
