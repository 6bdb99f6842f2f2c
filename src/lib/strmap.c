/* strmap.c - string -> uint32 map (open addressing, linear probing).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lookups sit on the per-request path of idn-replay (a task name per
 * request, in catalogues of up to millions of tasks), so a slot is 32
 * bytes holding the hash, the value and the key itself when it has at
 * most 20 bytes: a lookup usually costs one cache miss, not two.  Longer
 * keys live in their own allocation, pointed to from the slot.  Big slot
 * arrays sit on huge pages (bigmem.h), which spares the TLB miss, and
 * callers with many keys prefetch slots ahead (strmap_prefetch).
 */
#include <stdlib.h>
#include <string.h>
#include "idnbench/policy.h"
#include "bigmem.h"
#include "prefetch.h"
#include "strmap.h"

#define INLINE_MAX 20
#define USED 0x80000000u    /* set in the hash of an occupied slot */

struct slot {
	uint32_t hash;          /* 31 bits of hash | USED; 0 = empty */
	uint32_t value;
	uint32_t len;
	char key[INLINE_MAX];   /* the key, or a char * to it if longer */
};

struct strmap {
	struct slot *slots;
	size_t cap;             /* power of two */
	size_t n;
};

uint32_t strmap_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return (uint32_t)(h ^ (h >> 32)) | USED;
}

static const char *slot_key(const struct slot *s)
{
	const char *p;

	if (s->len <= INLINE_MAX)
		return s->key;
	memcpy(&p, s->key, sizeof p);
	return p;
}

struct strmap *strmap_new(void)
{
	struct strmap *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->cap = 16;
	m->slots = bigmem_zalloc(m->cap * sizeof *m->slots);
	if (!m->slots) {
		free(m);
		return NULL;
	}
	return m;
}

void strmap_free(struct strmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].hash && m->slots[i].len > INLINE_MAX)
			free((char *)slot_key(&m->slots[i]));
	bigmem_free(m->slots);
	free(m);
}

static size_t home(const struct strmap *m, uint32_t h)
{
	return (h * 0x9e3779b1u) & (m->cap - 1);
}

static struct slot *find(const struct strmap *m, const char *key, size_t len,
                         uint32_t h)
{
	size_t mask = m->cap - 1;

	for (size_t i = home(m, h);; i = (i + 1) & mask) {
		struct slot *s = &m->slots[i];
		if (!s->hash || (s->hash == h && s->len == len &&
		                 memcmp(slot_key(s), key, len) == 0))
			return s;
	}
}

/* Rehash into cap slots (a power of two, more than twice the keys). */
static int rehash(struct strmap *m, size_t cap)
{
	struct strmap big = { bigmem_zalloc(cap * sizeof(struct slot)), cap,
	                      m->n };

	if (!big.slots)
		return IDN_ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		struct slot *s = &m->slots[i];
		if (s->hash)
			*find(&big, slot_key(s), s->len, s->hash) = *s;
	}
	bigmem_free(m->slots);
	*m = big;
	return IDN_OK;
}

int strmap_reserve(struct strmap *m, size_t n)
{
	size_t cap = m->cap;

	while (cap / 2 < n)
		cap *= 2;
	return cap == m->cap ? IDN_OK : rehash(m, cap);
}

int strmap_put(struct strmap *m, const char *key, size_t len, uint32_t value)
{
	uint32_t h = strmap_hash(key, len);
	struct slot *s;

	if (len > UINT32_MAX - 1)
		return IDN_EDATA;
	if ((m->n + 1) * 2 > m->cap && rehash(m, 2 * m->cap) != IDN_OK)
		return IDN_ENOMEM;
	s = find(m, key, len, h);
	if (s->hash)
		return IDN_EDATA;
	if (len <= INLINE_MAX) {
		memcpy(s->key, key, len);
	} else {
		char *copy = malloc(len);
		if (!copy)
			return IDN_ENOMEM;
		memcpy(copy, key, len);
		memcpy(s->key, &copy, sizeof copy);
	}
	s->hash = h;
	s->len = (uint32_t)len;
	s->value = value;
	m->n++;
	return IDN_OK;
}

uint32_t strmap_get(const struct strmap *m, const char *key, size_t len)
{
	return strmap_get_hashed(m, key, len, strmap_hash(key, len));
}

void strmap_prefetch(const struct strmap *m, uint32_t h)
{
	IDN_PREFETCH(&m->slots[home(m, h)]);
}

uint32_t strmap_get_hashed(const struct strmap *m, const char *key,
                           size_t len, uint32_t h)
{
	const struct slot *s = find(m, key, len, h);

	return s->hash ? s->value : STRMAP_NONE;
}
