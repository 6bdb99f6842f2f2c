/* grow.h - arrays that grow by doubling.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef IDN_GROW_H
#define IDN_GROW_H

#include <stdlib.h>
#include "idnbench/policy.h"

/* Make room for need elements of elem bytes in *p, whose capacity is
 * *cap elements: the capacity doubles (from 64) until it suffices.
 * IDN_OK, or IDN_ENOMEM with *p and *cap unchanged. */
static inline int grow_array(void **p, size_t *cap, size_t elem, size_t need)
{
	size_t c = *cap ? *cap : 64;
	void *q;

	while (c < need)
		c *= 2;
	if (c == *cap)
		return IDN_OK;
	q = realloc(*p, c * elem);
	if (!q)
		return IDN_ENOMEM;
	*p = q;
	*cap = c;
	return IDN_OK;
}

#endif
