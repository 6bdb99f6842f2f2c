/* idnbench/cache.h - the model-caching walk of SPEC section 7 (installed).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LRU and LFU differ only in whom they evict, so the walk lives here once.
 * For each request, in trace order: visit the path's nodes from the
 * source; at a node with learned candidates of the request (before K), if
 * it holds one, touch the cheapest held and stop; otherwise insert its
 * cheapest, evicting until it fits, and go on; stop after the node of the
 * pinned candidate K.  LRU evicts the least recently used; LFU the least
 * frequently used (counts restart at 1 on insertion), ties to the least
 * recently used.
 *
 * A run of c consecutive requests of one type costs one walk: after the
 * first, the first node on the path with learned candidates holds the one
 * it touched or inserted, and it stays its cheapest held (other nodes'
 * insertions cannot evict it), so the other c-1 requests touch it there.
 */
#ifndef IDNBENCH_CACHE_H
#define IDNBENCH_CACHE_H

#include "idnbench/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

enum idn_evict {
	IDN_EVICT_LRU,
	IDN_EVICT_LFU
};

struct idn_cache;

/* The cache borrows h (which must outlive it); starts empty. */
int idn_cache_new(struct idn_cache **out, const struct idn_host *h,
                  enum idn_evict rule);
void idn_cache_free(struct idn_cache *c);

/* Apply `count` consecutive requests of type t. */
void idn_cache_request(struct idn_cache *c, const struct idn_type *t,
                       uint32_t count);

/* The current contents as an allocation (x[var] = 1 if held). */
void idn_cache_contents(const struct idn_cache *c, uint8_t *x);

/* A policy's whole update: every event of the slot in order, then the
 * contents into next.  Returns IDN_OK. */
int idn_cache_replay(struct idn_cache *c, const struct idn_slot *s,
                     uint8_t *next);

/* Defines the whole plugin of a caching policy (descriptor and
 * callbacks), so lru.c and lfu.c differ only in their documentation and
 * their rule. */
#define IDN_CACHE_POLICY(NAME, RULE, SUMMARY)                                 \
	static int cache_create(const struct idn_host *h,                     \
	                        const struct idn_option *o, size_t n,          \
	                        void **state, char *err, size_t errlen)        \
	{                                                                      \
		(void)o; (void)n; (void)err; (void)errlen;                     \
		return idn_cache_new((struct idn_cache **)state, h, RULE);     \
	}                                                                      \
	static int cache_update(void *state, const struct idn_slot *s,        \
	                        const uint8_t *x, uint8_t *next, double *fg,   \
	                        double *extra, char *err, size_t errlen)       \
	{                                                                      \
		(void)x; (void)fg; (void)extra; (void)err; (void)errlen;       \
		return idn_cache_replay(state, s, next);                       \
	}                                                                      \
	static void cache_destroy(void *state)                                \
	{                                                                      \
		idn_cache_free(state);                                         \
	}                                                                      \
	static const struct idn_policy cache_policy = {                       \
		.abi_version = IDN_POLICY_ABI_VERSION,                         \
		.name = NAME,                                                  \
		.summary = SUMMARY,                                            \
		.create = cache_create,                                        \
		.update = cache_update,                                        \
		.destroy = cache_destroy,                                      \
	};                                                                     \
	const struct idn_policy *idn_policy_describe(void)                    \
	{                                                                      \
		return &cache_policy;                                          \
	}

#ifdef __cplusplus
}
#endif
#endif
