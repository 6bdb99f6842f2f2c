/* strmap.h - string -> uint32 map (open addressing, FNV-1a).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keys are copied into the map; lookups take (pointer, length) so callers
 * can look up fields of a parse buffer without copying them.
 */
#ifndef IDN_STRMAP_H
#define IDN_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#define STRMAP_NONE UINT32_MAX

struct strmap;

struct strmap *strmap_new(void);
void strmap_free(struct strmap *m);
/* Insert key -> value.  Returns IDN_OK, IDN_ENOMEM, or IDN_EDATA if the key
 * is already present (its value is left unchanged). */
int strmap_put(struct strmap *m, const char *key, size_t len, uint32_t value);
/* Make room for n keys in all, so that inserting them does not rehash
 * (IDN_OK or IDN_ENOMEM). */
int strmap_reserve(struct strmap *m, size_t n);
/* The value of key, or STRMAP_NONE. */
uint32_t strmap_get(const struct strmap *m, const char *key, size_t len);

/* The same lookup in steps, for callers with many keys at hand: a lookup
 * in a big map is a cache miss, and prefetching the slots of keys a few
 * lookups ahead overlaps those misses.  strmap_get_hashed(m, k, n,
 * strmap_hash(k, n)) == strmap_get(m, k, n). */
uint32_t strmap_hash(const char *key, size_t len);
void strmap_prefetch(const struct strmap *m, uint32_t hash);
uint32_t strmap_get_hashed(const struct strmap *m, const char *key,
                           size_t len, uint32_t hash);

#endif
