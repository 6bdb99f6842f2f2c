/* lfu - model caching with LFU eviction (SPEC section 7, LRU / LFU).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each node caches the models its passing requests ask for and evicts the
 * least frequently used one (use counts restart at 1 whenever a model is
 * inserted; ties go to the least recently used) when a new model does not fit.
 * The walk itself (which node caches what, in trace order, changes taking
 * effect in the next slot) is shared with the other caching policy in
 * libidnbench (idnbench/cache.h); this file only picks the eviction rule.
 *
 * Exact: frequencies are kept per cached copy in a per-node binary heap
 * on (count, last use), O(log n) per touch or eviction; an evicted model
 * forgets its count (in-cache LFU, as SPEC 7 prescribes).
 */
#include "idnbench/cache.h"

IDN_CACHE_POLICY("lfu", IDN_EVICT_LFU, "model caching, LFU eviction (SPEC 7)")
