/* bigmem.h - allocations for large tables read in random order.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A lookup in a table of tens of megabytes (the name index of a million
 * tasks, say) misses the cache and, with 4 KiB pages, the TLB as well:
 * the page walk costs a second miss, more under virtualisation.  Blocks
 * of at least BIGMEM_MIN bytes are therefore aligned to 2 MiB and
 * offered to the kernel for transparent huge pages (madvise; a no-op
 * where THP is off or unsupported).  Only for tables that are used
 * throughout: a huge page is backed whole once any byte of it is
 * touched, so sparse tables stay with calloc.
 */
#ifndef IDN_BIGMEM_H
#define IDN_BIGMEM_H

#include <stddef.h>

#define BIGMEM_MIN ((size_t)2 << 20)

/* Like calloc(1, bytes) (zeroed), NULL when out of memory. */
void *bigmem_zalloc(size_t bytes);
/* Like malloc(bytes). */
void *bigmem_alloc(size_t bytes);
/* Frees a block of either; NULL is a no-op. */
void bigmem_free(void *p);

#endif
