/* options.c - key=value policy options.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "idnbench/policy.h"

const char *idn_option_find(const struct idn_option *opts, size_t n,
                            const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(opts[i].key, key) == 0)
			return opts[i].value;
	return NULL;
}

int idn_option_double(const struct idn_option *opts, size_t n,
                      const char *key, double def, double *out,
                      char *err, size_t errlen)
{
	const char *v = idn_option_find(opts, n, key);
	char *end;

	if (!v) {
		*out = def;
		return IDN_OK;
	}
	errno = 0;
	*out = strtod(v, &end);
	if (end == v || *end || errno == ERANGE || !isfinite(*out)) {
		snprintf(err, errlen, "option %s: not a finite number: '%s'",
		         key, v);
		return IDN_EUSAGE;
	}
	return IDN_OK;
}

int idn_option_uint(const struct idn_option *opts, size_t n,
                    const char *key, uint64_t def, uint64_t *out,
                    char *err, size_t errlen)
{
	const char *v = idn_option_find(opts, n, key);
	char *end;

	if (!v) {
		*out = def;
		return IDN_OK;
	}
	errno = 0;
	*out = strtoull(v, &end, 10);
	/* strtoull accepts leading blanks and a sign (wrapping "-1" to
	 * 2^64-1): only plain digits are a non-negative integer here */
	if (end == v || *end || errno == ERANGE || !isdigit((unsigned char)*v)) {
		snprintf(err, errlen,
		         "option %s: not a non-negative integer: '%s'", key, v);
		return IDN_EUSAGE;
	}
	return IDN_OK;
}
