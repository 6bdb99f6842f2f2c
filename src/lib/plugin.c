/* plugin.c - dlopen a policy and check it speaks our ABI.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "plugin.h"

#ifndef IDN_POLICYDIR
#define IDN_POLICYDIR "/usr/local/lib/idnbench/policies"
#endif

/* Try DIR/NAME.so for each directory of a colon-separated list. */
static char *search(const char *dirs, const char *name)
{
	const char *p = dirs;

	while (p && *p) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *path;
		if (len && asprintf(&path, "%.*s/%s.so", (int)len, p, name) > 0) {
			if (access(path, F_OK) == 0)
				return path;
			free(path);
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

static int locate(const char *name, char **path, struct idn_err *e)
{
	const char *env = getenv("IDN_POLICY_PATH");

	if (strchr(name, '/')) {
		*path = strdup(name);
	} else if (!*name) {
		return idn_fail(e, IDN_EUSAGE, "empty policy name");
	} else {
		*path = search(env, name);
		if (!*path)
			*path = search(IDN_POLICYDIR, name);
		if (!*path)
			return idn_fail(e, IDN_EUSAGE, "policy '%s' not found in "
			                "$IDN_POLICY_PATH (%s) or %s", name,
			                env ? env : "unset", IDN_POLICYDIR);
	}
	return *path ? IDN_OK : idn_fail(e, IDN_ENOMEM, "out of memory");
}

static int check_descriptor(const struct plugin *p, struct idn_err *e)
{
	const struct idn_policy *d = p->desc;
	size_t n_extra = 0;

	if (!d)
		return idn_fail(e, IDN_EDATA, "%s: %s() returned NULL",
		                p->path, IDN_POLICY_SYMBOL);
	if (d->abi_version != IDN_POLICY_ABI_VERSION)
		return idn_fail(e, IDN_EDATA, "%s: plugin ABI version %u, this "
		                "host speaks version %u", p->path,
		                d->abi_version, IDN_POLICY_ABI_VERSION);
	if (!d->name || !d->create || !d->update || !d->destroy)
		return idn_fail(e, IDN_EDATA, "%s: descriptor lacks name, "
		                "create, update or destroy", p->path);
	while (d->extra_columns && d->extra_columns[n_extra])
		n_extra++;
	if (n_extra > IDN_MAX_EXTRA)
		return idn_fail(e, IDN_EDATA, "%s: %zu extra columns, at most "
		                "%d", p->path, n_extra, IDN_MAX_EXTRA);
	return IDN_OK;
}

int plugin_open(struct plugin **out, const char *name, struct idn_err *e)
{
	struct plugin *p = calloc(1, sizeof *p);
	idn_policy_describe_fn describe;
	int rc;

	*out = NULL;
	if (!p)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	rc = locate(name, &p->path, e);
	if (rc == IDN_OK && access(p->path, F_OK) != 0)
		rc = idn_fail(e, IDN_EUSAGE, "%s: no such policy file", p->path);
	if (rc == IDN_OK && !(p->dl = dlopen(p->path, RTLD_NOW | RTLD_LOCAL)))
		rc = idn_fail(e, IDN_EDATA, "%s", dlerror());
	if (rc == IDN_OK) {
		*(void **)&describe = dlsym(p->dl, IDN_POLICY_SYMBOL);
		if (!describe)
			rc = idn_fail(e, IDN_EDATA, "%s: missing symbol %s",
			              p->path, IDN_POLICY_SYMBOL);
		else
			p->desc = describe();
	}
	if (rc == IDN_OK)
		rc = check_descriptor(p, e);
	if (rc != IDN_OK) {
		plugin_close(p);
		return rc;
	}
	*out = p;
	return IDN_OK;
}

void plugin_close(struct plugin *p)
{
	if (!p)
		return;
	if (p->dl)
		dlclose(p->dl);
	free(p->path);
	free(p);
}

static int documented(const struct idn_policy *d, const char *key)
{
	for (const struct idn_option_doc *o = d->options; o && o->key; o++)
		if (strcmp(o->key, key) == 0)
			return 1;
	return 0;
}

int plugin_check_options(const struct plugin *p,
                         const struct idn_option *opts, size_t n,
                         struct idn_err *e)
{
	const struct idn_policy *d = p->desc;

	for (size_t i = 0; i < n; i++) {
		if (!documented(d, opts[i].key)) {
			char known[512] = "";
			size_t len = 0;
			for (const struct idn_option_doc *o = d->options;
			     o && o->key && len < sizeof known; o++)
				len += snprintf(known + len, sizeof known - len,
				                "%s%s", len ? ", " : "", o->key);
			return idn_fail(e, IDN_EUSAGE, "policy %s has no option "
			                "'%s' (it has: %s)", d->name, opts[i].key,
			                len ? known : "none");
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(opts[i].key, opts[j].key) == 0)
				return idn_fail(e, IDN_EUSAGE, "option '%s' given "
				                "twice", opts[i].key);
	}
	return IDN_OK;
}
