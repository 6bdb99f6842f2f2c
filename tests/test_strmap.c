/* test_strmap.c - the name index (strmap.h) and big tables (bigmem.h).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keys are generated here with their values; every lookup is checked
 * against that list, never against another lookup of the map.  The maps
 * grow past the size where their slots move to 2 MiB-aligned blocks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bigmem.h"
#include "idnbench/policy.h"
#include "strmap.h"

#define N_KEYS 100000   /* 2^18 slots of 32 bytes: 8 MiB, a big table */

/* Key i: short ones (stored in the slot) and, for every third, one
 * longer than the 20 bytes a slot holds. */
static size_t key(uint32_t i, char *buf, size_t cap)
{
	int n = i % 3 ? snprintf(buf, cap, "t%u", i)
	              : snprintf(buf, cap, "a-rather-long-task-name-%u", i);
	return (size_t)n;
}

static void check_all(const struct strmap *m, uint32_t n)
{
	char k[64];

	for (uint32_t i = 0; i < n; i++) {
		size_t len = key(i, k, sizeof k);
		uint32_t h = strmap_hash(k, len);
		strmap_prefetch(m, h);
		assert_int_equal(strmap_get(m, k, len), i * 7);
		assert_int_equal(strmap_get_hashed(m, k, len, h), i * 7);
	}
	/* absent: a key one past the end, and a prefix of a present key */
	size_t len = key(n, k, sizeof k);
	assert_int_equal(strmap_get(m, k, len), STRMAP_NONE);
	assert_int_equal(strmap_get_hashed(m, k, len, strmap_hash(k, len)),
	                 STRMAP_NONE);
	assert_int_equal(strmap_get(m, "t1", 1), STRMAP_NONE);
}

static void grows_and_finds_every_key(void **state)
{
	struct strmap *m = strmap_new();
	char k[64];

	assert_non_null(m);
	for (uint32_t i = 0; i < N_KEYS; i++) {
		size_t len = key(i, k, sizeof k);
		assert_int_equal(strmap_put(m, k, len, i * 7), IDN_OK);
	}
	check_all(m, N_KEYS);
	/* a duplicate is refused and keeps its value */
	size_t len = key(42, k, sizeof k);
	assert_int_equal(strmap_put(m, k, len, 1), IDN_EDATA);
	assert_int_equal(strmap_get(m, k, len), 42 * 7);
	strmap_free(m);
}

/* Reserving first, or in the middle, changes nothing a lookup sees. */
static void reserve_keeps_keys(void **state)
{
	struct strmap *m = strmap_new();
	char k[64];

	assert_non_null(m);
	strmap_prefetch(m, strmap_hash("x", 1));     /* empty map: harmless */
	assert_int_equal(strmap_get(m, "x", 1), STRMAP_NONE);
	for (uint32_t i = 0; i < N_KEYS; i++) {
		if (i == 10 || i == N_KEYS / 2)
			assert_int_equal(strmap_reserve(m, N_KEYS), IDN_OK);
		size_t len = key(i, k, sizeof k);
		assert_int_equal(strmap_put(m, k, len, i * 7), IDN_OK);
	}
	assert_int_equal(strmap_reserve(m, 5), IDN_OK);   /* no shrinking */
	check_all(m, N_KEYS);
	strmap_free(m);
}

static void bigmem_blocks(void **state)
{
	size_t sizes[] = { 0, 1, 4096, BIGMEM_MIN - 1, BIGMEM_MIN,
	                   3 * BIGMEM_MIN + 17 };

	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		unsigned char *z = bigmem_zalloc(sizes[i]);
		unsigned char *p = bigmem_alloc(sizes[i]);
		assert_non_null(z);
		assert_non_null(p);
		for (size_t b = 0; b < sizes[i]; b++)
			assert_int_equal(z[b], 0);
		if (sizes[i] >= BIGMEM_MIN) {
			assert_int_equal((uintptr_t)z % BIGMEM_MIN, 0);
			assert_int_equal((uintptr_t)p % BIGMEM_MIN, 0);
		}
		memset(p, 0xab, sizes[i]);     /* all of it is ours */
		bigmem_free(z);
		bigmem_free(p);
	}
	bigmem_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grows_and_finds_every_key),
		cmocka_unit_test(reserve_keeps_keys),
		cmocka_unit_test(bigmem_blocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
