/* cache.c - the LRU/LFU model-caching walk (SPEC section 7).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every node keeps its held vars in a structure ordered by eviction
 * priority: an intrusive doubly linked list for LRU (O(1) touch/evict)
 * and a binary heap on (frequency, last use) for LFU (O(log n)).  Both
 * live in arrays indexed by var, so a node's structure is the slice of
 * its own vars and nothing is allocated after idn_cache_new.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "idnbench/cache.h"
#include "bigmem.h"
#include "prefetch.h"

#define NONE UINT32_MAX
#define TOL 1e-9   /* the budget tolerance of SPEC section 1 */

struct idn_cache {
	const struct idn_host *h;
	enum idn_evict rule;
	uint64_t clock;        /* last-use stamps */
	uint8_t *held;         /* by var */
	double *load;          /* by node, MB held */
	/* LRU: per node list, most recent at head; a var's two links share
	 * a cache line */
	struct link { uint32_t prev, next; } *link;
	uint32_t *head, *tail;
	/* LFU: per node heap in heap[var_off[v] .. var_off[v] + heap_n[v]) */
	uint64_t *freq, *stamp;
	uint32_t *heap, *heap_n, *pos;
	/* per-walk scratch, by hop: cheapest candidate and cheapest held */
	uint32_t *best, *best_held;
};

int idn_cache_new(struct idn_cache **out, const struct idn_host *h,
                  enum idn_evict rule)
{
	struct idn_cache *c = calloc(1, sizeof *c);
	size_t nv = h->n_vars + 1, nn = h->n_nodes + 1;

	*out = NULL;
	if (!c)
		return IDN_ENOMEM;
	c->h = h;
	c->rule = rule;
	c->held = calloc(nv, 1);
	c->load = calloc(nn, sizeof *c->load);
	c->best = malloc(nn * sizeof *c->best);
	c->best_held = malloc(nn * sizeof *c->best_held);
	if (rule == IDN_EVICT_LRU) {
		c->link = bigmem_alloc(nv * sizeof *c->link);
		c->head = malloc(nn * sizeof *c->head);
		c->tail = malloc(nn * sizeof *c->tail);
		if (c->head && c->tail)
			for (size_t v = 0; v < nn; v++)
				c->head[v] = c->tail[v] = NONE;
	} else {
		c->freq = calloc(nv, sizeof *c->freq);
		c->stamp = calloc(nv, sizeof *c->stamp);
		c->heap = malloc(nv * sizeof *c->heap);
		c->heap_n = calloc(nn, sizeof *c->heap_n);
		c->pos = malloc(nv * sizeof *c->pos);
	}
	if (!c->held || !c->load || !c->best || !c->best_held ||
	    (rule == IDN_EVICT_LRU ? !c->link || !c->head || !c->tail
	                           : !c->freq || !c->stamp || !c->heap ||
	                             !c->heap_n || !c->pos)) {
		idn_cache_free(c);
		return IDN_ENOMEM;
	}
	*out = c;
	return IDN_OK;
}

void idn_cache_free(struct idn_cache *c)
{
	if (!c)
		return;
	free(c->held);
	free(c->load);
	free(c->best);
	free(c->best_held);
	bigmem_free(c->link);
	free(c->head);
	free(c->tail);
	free(c->freq);
	free(c->stamp);
	free(c->heap);
	free(c->heap_n);
	free(c->pos);
	free(c);
}

/* --- LRU list ------------------------------------------------------------ */

static void list_unlink(struct idn_cache *c, uint32_t v, uint32_t u)
{
	struct link l = c->link[u];

	if (l.prev != NONE)
		c->link[l.prev].next = l.next;
	else
		c->head[v] = l.next;
	if (l.next != NONE)
		c->link[l.next].prev = l.prev;
	else
		c->tail[v] = l.prev;
}

static void list_push_front(struct idn_cache *c, uint32_t v, uint32_t u)
{
	c->link[u] = (struct link){ NONE, c->head[v] };
	if (c->head[v] != NONE)
		c->link[c->head[v]].prev = u;
	else
		c->tail[v] = u;
	c->head[v] = u;
}

/* --- LFU heap ------------------------------------------------------------ */

static int lfu_less(const struct idn_cache *c, uint32_t a, uint32_t b)
{
	return c->freq[a] < c->freq[b] ||
	       (c->freq[a] == c->freq[b] && c->stamp[a] < c->stamp[b]);
}

static void heap_set(struct idn_cache *c, uint32_t base, uint32_t i,
                     uint32_t u)
{
	c->heap[base + i] = u;
	c->pos[u] = i;
}

static void sift_up(struct idn_cache *c, uint32_t base, uint32_t i)
{
	uint32_t u = c->heap[base + i];

	while (i > 0 && lfu_less(c, u, c->heap[base + (i - 1) / 2])) {
		heap_set(c, base, i, c->heap[base + (i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(c, base, i, u);
}

static void sift_down(struct idn_cache *c, uint32_t base, uint32_t n,
                      uint32_t i)
{
	uint32_t u = c->heap[base + i];

	for (;;) {
		uint32_t k = 2 * i + 1;
		if (k >= n)
			break;
		if (k + 1 < n && lfu_less(c, c->heap[base + k + 1],
		                          c->heap[base + k]))
			k++;
		if (!lfu_less(c, c->heap[base + k], u))
			break;
		heap_set(c, base, i, c->heap[base + k]);
		i = k;
	}
	heap_set(c, base, i, u);
}

/* --- the policy-independent part ----------------------------------------- */

static void touch(struct idn_cache *c, uint32_t v, uint32_t u, uint32_t n)
{
	c->clock++;
	if (c->rule == IDN_EVICT_LRU) {
		list_unlink(c, v, u);
		list_push_front(c, v, u);
	} else {
		c->freq[u] += n;
		c->stamp[u] = c->clock;
		sift_down(c, c->h->var_off[v], c->heap_n[v], c->pos[u]);
	}
}

static uint32_t evict_one(struct idn_cache *c, uint32_t v)
{
	uint32_t base = c->h->var_off[v], u;

	if (c->rule == IDN_EVICT_LRU) {
		u = c->tail[v];
		list_unlink(c, v, u);
		/* the next victim is cold: start loading what evicting it
		 * reads, most likely a request or two from now */
		uint32_t next = c->tail[v];
		if (next != NONE) {
			IDN_PREFETCH(&c->link[next]);
			IDN_PREFETCH(&c->held[next]);
			IDN_PREFETCH(&c->h->var_size[next]);
		}
	} else {
		u = c->heap[base];
		uint32_t n = --c->heap_n[v];
		if (n) {
			heap_set(c, base, 0, c->heap[base + n]);
			sift_down(c, base, n, 0);
		}
	}
	c->held[u] = 0;
	c->load[v] -= c->h->var_size[u];
	return u;
}

static void insert(struct idn_cache *c, uint32_t v, uint32_t u)
{
	const struct idn_host *h = c->h;

	while (c->load[v] + h->var_size[u] > h->node_budget[v] + TOL) {
		assert(c->rule == IDN_EVICT_LRU ? c->tail[v] != NONE
		                                : c->heap_n[v] > 0);
		evict_one(c, v);
	}
	c->clock++;
	c->held[u] = 1;
	c->load[v] += h->var_size[u];
	if (c->rule == IDN_EVICT_LRU) {
		list_push_front(c, v, u);
	} else {
		c->freq[u] = 1;
		c->stamp[u] = c->clock;
		heap_set(c, h->var_off[v], c->heap_n[v]++, u);
		sift_up(c, h->var_off[v], c->heap_n[v] - 1);
	}
}

void idn_cache_request(struct idn_cache *c, const struct idn_type *t,
                       uint32_t count)
{
	const uint32_t K = t->n_cands, last = t->cands[K - 1].hop;
	uint32_t first_var = NONE, first_node = NONE;

	for (uint32_t j = 0; j <= last; j++)
		c->best[j] = c->best_held[j] = NONE;
	/* candidates are in cost order: the first seen per hop is cheapest */
	for (uint32_t k = 0; k + 1 < K; k++) {
		const struct idn_cand *cd = &t->cands[k];
		if (cd->hop > last)
			continue;
		if (c->best[cd->hop] == NONE)
			c->best[cd->hop] = cd->var;
		if (c->best_held[cd->hop] == NONE && c->held[cd->var])
			c->best_held[cd->hop] = cd->var;
	}
	for (uint32_t j = 0; j <= last; j++) {
		uint32_t v = t->path[j];
		if (c->best[j] == NONE)
			continue;
		if (c->best_held[j] != NONE) {
			touch(c, v, c->best_held[j], 1);
			if (first_var == NONE) {
				first_var = c->best_held[j];
				first_node = v;
			}
			break;
		}
		insert(c, v, c->best[j]);
		if (first_var == NONE) {
			first_var = c->best[j];
			first_node = v;
		}
	}
	if (count > 1 && first_var != NONE)
		touch(c, first_node, first_var, count - 1);
}

void idn_cache_contents(const struct idn_cache *c, uint8_t *x)
{
	memcpy(x, c->held, c->h->n_vars);
}

/* Prefetch for a request a few events ahead, once its type record
 * (idn_prefetch_type_record) is in: the state of its cheapest
 * candidate. */
static void prefetch_state(const struct idn_cache *c, const struct idn_type *t)
{
	uint32_t u = t->cands[0].var;

	if (u != IDN_PINNED) {
		IDN_PREFETCH(&c->held[u]);
		IDN_PREFETCH(&c->h->var_size[u]);
		if (c->link)
			IDN_PREFETCH(&c->link[u]);
	}
}

int idn_cache_replay(struct idn_cache *c, const struct idn_slot *s,
                     uint8_t *next)
{
	/* Types of the next FAR events, looked up once: ring[i % FAR]. */
	enum { FAR = 16, NEAR = 8 };
	const struct idn_type *ring[FAR];
	const uint32_t n = s->n_events;

	for (uint32_t i = 0; i < n && i < FAR; i++) {
		ring[i] = c->h->type(c->h, s->events[i].type);
		idn_prefetch_type_record(ring[i]);
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct idn_type *t = ring[i % FAR];
		if (i + FAR < n) {
			ring[i % FAR] = c->h->type(c->h, s->events[i + FAR].type);
			idn_prefetch_type_record(ring[i % FAR]);
		}
		if (i + NEAR < n)
			prefetch_state(c, ring[(i + NEAR) % FAR]);
		idn_cache_request(c, t, s->events[i].count);
	}
	idn_cache_contents(c, next);
	return IDN_OK;
}
