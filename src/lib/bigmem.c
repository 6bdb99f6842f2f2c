/* bigmem.c - allocations for large tables read in random order
 * (see bigmem.h).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "bigmem.h"

void *bigmem_alloc(size_t bytes)
{
	void *p = NULL;

	if (bytes < BIGMEM_MIN)
		return malloc(bytes ? bytes : 1);
	if (posix_memalign(&p, BIGMEM_MIN, bytes) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	/* advice only: failure leaves ordinary pages */
	(void)madvise(p, bytes - bytes % BIGMEM_MIN, MADV_HUGEPAGE);
#endif
	return p;
}

void *bigmem_zalloc(size_t bytes)
{
	void *p;

	if (bytes < BIGMEM_MIN)
		return calloc(1, bytes ? bytes : 1);
	p = bigmem_alloc(bytes);
	if (p)
		memset(p, 0, bytes);
	return p;
}

void bigmem_free(void *p)
{
	free(p);
}
