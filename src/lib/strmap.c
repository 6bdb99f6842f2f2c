/* strmap.c - string -> uint32 map (open addressing, linear probing).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include "idnbench/policy.h"
#include "strmap.h"

struct slot {
	char *key;
	size_t len;
	uint64_t hash;
	uint32_t value;
};

struct strmap {
	struct slot *slots;
	size_t cap;     /* power of two */
	size_t n;
};

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

struct strmap *strmap_new(void)
{
	struct strmap *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->cap = 16;
	m->slots = calloc(m->cap, sizeof *m->slots);
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
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static struct slot *find(const struct strmap *m, const char *key, size_t len,
                         uint64_t h)
{
	size_t mask = m->cap - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && s->len == len &&
		                memcmp(s->key, key, len) == 0))
			return s;
	}
}

static int grow(struct strmap *m)
{
	struct strmap big = { calloc(m->cap * 2, sizeof(struct slot)),
	                      m->cap * 2, m->n };

	if (!big.slots)
		return IDN_ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		struct slot *s = &m->slots[i];
		if (s->key)
			*find(&big, s->key, s->len, s->hash) = *s;
	}
	free(m->slots);
	*m = big;
	return IDN_OK;
}

int strmap_put(struct strmap *m, const char *key, size_t len, uint32_t value)
{
	uint64_t h = hash(key, len);
	struct slot *s;

	if ((m->n + 1) * 2 > m->cap && grow(m) != IDN_OK)
		return IDN_ENOMEM;
	s = find(m, key, len, h);
	if (s->key)
		return IDN_EDATA;
	s->key = malloc(len + 1);
	if (!s->key)
		return IDN_ENOMEM;
	memcpy(s->key, key, len);
	s->key[len] = '\0';
	s->len = len;
	s->hash = h;
	s->value = value;
	m->n++;
	return IDN_OK;
}

uint32_t strmap_get(const struct strmap *m, const char *key, size_t len)
{
	const struct slot *s = find(m, key, len, hash(key, len));

	return s->key ? s->value : STRMAP_NONE;
}

size_t strmap_size(const struct strmap *m)
{
	return m->n;
}
