/* lru - model caching with LRU eviction (SPEC section 7, LRU / LFU).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each node caches the models its passing requests ask for and evicts the
 * least recently used one when a new model does not fit.
 * The walk itself (which node caches what, in trace order, changes taking
 * effect in the next slot) is shared with the other caching policy in
 * libidnbench (idnbench/cache.h); this file only picks the eviction rule.
 *
 * Exact: no sampling (unlike redis's approximated LRU); a touch and an
 * eviction are O(1) with a per-node linked list.
 */
#include "idnbench/cache.h"

IDN_CACHE_POLICY("lru", IDN_EVICT_LRU, "model caching, LRU eviction (SPEC 7)")
