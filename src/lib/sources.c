/* sources.c - source-node selection and the seeded id hash.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "sources.h"
#include "strmap.h"

/* Add node v to the selection unless it is already there. */
static void add_source(uint32_t v, bool *seen, uint32_t *src, uint32_t *n)
{
	if (!seen[v]) {
		seen[v] = true;
		src[(*n)++] = v;
	}
}

/* Resolve one --sources item: a tier (all its nodes) or else a node. */
static int select_one(const struct scenario *sc, const char *name,
                      size_t len, bool *seen, uint32_t *src, uint32_t *n,
                      struct idn_err *e)
{
	uint32_t t = strmap_get(sc->tier_map, name, len);
	uint32_t v;

	if (len == 0)
		return idn_fail(e, IDN_EUSAGE, "--sources: empty name in list");
	if (t != STRMAP_NONE) {
		for (v = 0; v < sc->n_nodes; v++)
			if (sc->node_tier[v] == t)
				add_source(v, seen, src, n);
		return IDN_OK;
	}
	v = strmap_get(sc->node_map, name, len);
	if (v == STRMAP_NONE)
		return idn_fail(e, IDN_EDATA, "--sources: no tier or node "
		                "named '%.*s' in %s", (int)len, name, sc->dir);
	add_source(v, seen, src, n);
	return IDN_OK;
}

int sources_select(const struct scenario *sc, const char *list,
                   uint32_t *src, uint32_t *n, struct idn_err *e)
{
	bool *seen = calloc(sc->n_nodes + 1, sizeof *seen);
	const char *p = list;
	int rc = IDN_OK;

	if (!seen)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	*n = 0;
	for (;;) {
		size_t len = strcspn(p, ",");

		rc = select_one(sc, p, len, seen, src, n, e);
		if (rc != IDN_OK || p[len] == '\0')
			break;
		p += len + 1;
	}
	free(seen);
	if (rc == IDN_OK && *n == 0)
		rc = idn_fail(e, IDN_EDATA, "--sources: '%s' selects no node",
		              list);
	return rc;
}

int sources_load(const char *dir, const char *list, struct scenario **sc,
                 uint32_t **src, uint32_t *n, struct idn_err *e)
{
	int rc = scenario_load(sc, dir, e);

	*src = NULL;
	if (rc == IDN_OK && (*sc)->n_tasks == 0)
		rc = idn_fail(e, IDN_EDATA, "%s: the scenario has no tasks",
		              dir);
	if (rc == IDN_OK &&
	    !(*src = malloc((*sc)->n_nodes * sizeof **src + 1)))
		rc = idn_fail(e, IDN_ENOMEM, "out of memory");
	if (rc == IDN_OK)
		rc = sources_select(*sc, list, *src, n, e);
	if (rc != IDN_OK) {
		free(*src);
		*src = NULL;
		if (*sc)
			scenario_free(*sc);
		*sc = NULL;
	}
	return rc;
}

/* The splitmix64 finalizer: a bijection of 64-bit words that spreads
 * every input bit over the whole output. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t sources_hash(uint64_t seed, const char *id, size_t len, uint32_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ mix64(seed);

	assert(n > 0);
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)id[i];
		h *= 0x100000001b3ULL;
	}
	return (uint32_t)(mix64(h) % n);
}
