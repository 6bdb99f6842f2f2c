/* policyrun.c - a long random run of a policy on a fake host.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include "idnbench/learn.h"
#include "policyrun.h"

static int count_overflows(const struct fake_host *f, const uint8_t *x)
{
	int bad = 0;

	for (uint32_t v = 0; v < f->h.n_nodes; v++)
		bad += fake_node_load(f, v, x)
		       > f->node_budget[v] + IDN_BUDGET_TOL;
	return bad;
}

static int one_slot(const struct idn_policy *pol, void *st,
                    const struct fake_host *f, struct idn_rng *r,
                    uint64_t t, uint8_t *x, uint8_t *next)
{
	uint32_t types[64], n = 0;
	double counts[64], fg = 0, extra[IDN_MAX_EXTRA];
	struct fake_slot fs;
	char err[256];
	int rc;

	/* About one slot in ten is empty, as in real traces. */
	for (uint32_t i = 0; i < f->n_types && n < 64; i++)
		if (idn_rng_uniform(r) < 0.3) {
			types[n] = i;
			counts[n++] = 1 + (double)(idn_rng_next(r) % 60);
		}
	if (idn_rng_uniform(r) < 0.1)
		n = 0;
	if (fake_slot_make(&fs, f, t, n, types, counts))
		return -1;
	memcpy(next, x, f->h.n_vars);
	rc = pol->update(st, &fs.s, x, next, &fg, extra, err, sizeof(err));
	fake_slot_free(&fs);
	return rc ? -1 : 0;
}

int policy_random_run(const struct idn_policy *pol, const struct fake_host *f,
                      const struct idn_option *opts, size_t n_opts,
                      uint64_t n_slots, uint64_t seed)
{
	uint8_t *x = calloc(f->h.n_vars + 1u, 1);
	uint8_t *next = calloc(f->h.n_vars + 1u, 1);
	void *st = NULL;
	struct idn_rng r;
	char err[256];
	int bad = -1;

	idn_rng_seed(&r, seed);
	if (!x || !next
	    || pol->create(&f->h, opts, n_opts, &st, err, sizeof(err))
	    || pol->init(st, x, err, sizeof(err)))
		goto out;
	bad = count_overflows(f, x);
	for (uint64_t t = 0; t < n_slots; t++) {
		if (one_slot(pol, st, f, &r, t, x, next)) {
			bad = -1;
			goto out;
		}
		bad += count_overflows(f, next);
		memcpy(x, next, f->h.n_vars);
	}
out:
	if (st)
		pol->destroy(st);
	free(x);
	free(next);
	return bad;
}
