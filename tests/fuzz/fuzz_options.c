/* fuzz_options - libFuzzer harness of policy options: the host's check
 * (plugin_check_options), the shared parsers (idn_option_*), and each
 * shipped policy's create/init/update on a small random host.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: byte 0 picks the policy, byte 1 seeds the fake host, the rest is
 * "key=value" lines (at most MAX_OPTS; a line without '=' is a key with an
 * empty value, as the parsers must cope with any string).  The policies
 * are compiled in with their describe function renamed (see run.sh).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "fakehost.h"
#include "fuzzutil.h"
#include "plugin.h"

#define MAX_OPTS 8
#define N_SLOTS 4


struct opts {
	char *text;                 /* the lines, cut in place */
	struct idn_option o[MAX_OPTS];
	size_t n;
};

static void parse(struct opts *op, const uint8_t *data, size_t size)
{
	char *s;

	op->text = malloc(size + 1);
	if (!op->text)
		abort();
	memcpy(op->text, data, size);
	op->text[size] = '\0';
	op->n = 0;
	for (s = op->text; s && op->n < MAX_OPTS;) {
		char *nl = strchr(s, '\n'), *eq;
		if (nl)
			*nl = '\0';
		eq = strchr(s, '=');
		if (eq)
			*eq = '\0';
		op->o[op->n++] = (struct idn_option){ s, eq ? eq + 1 : "" };
		s = nl ? nl + 1 : NULL;
	}
}

/* The shared parsers on every key: strict, and a message on failure. */
static void parse_numbers(const struct opts *op)
{
	char err[256];

	for (size_t i = 0; i < op->n; i++) {
		double d;
		uint64_t u;
		err[0] = '\0';
		if (idn_option_double(op->o, op->n, op->o[i].key, 0, &d, err,
		                      sizeof err) == IDN_OK)
			assert(d == d);
		else
			assert(err[0]);
		err[0] = '\0';
		if (idn_option_uint(op->o, op->n, op->o[i].key, 0, &u, err,
		                    sizeof err) != IDN_OK)
			assert(err[0]);
	}
}

/* A few slots of random demand over the host's types. */
static int make_slots(struct fake_slot *fs, const struct fake_host *f,
                      uint8_t seed)
{
	for (uint32_t t = 0; t < N_SLOTS; t++) {
		uint32_t types[2] = { (seed + t) % f->n_types,
		                      (seed / 3 + 2 * t + 1) % f->n_types };
		double counts[2] = { 1 + (seed + t) % 7, 3 };
		uint32_t n = types[0] == types[1] ? 1 : 2;
		if (fake_slot_make(&fs[t], f, t, n, types, counts) != 0)
			return -1;
	}
	return 0;
}

/* create, (prepare,) init and a few updates; allocations must stay 0/1. */
static void run_policy(const struct idn_policy *d, const struct opts *op,
                       uint8_t seed)
{
	struct fake_host *f = fake_random(seed, 4, 3, 4);
	struct fake_slot fs[N_SLOTS] = { 0 };
	struct idn_slot slots[N_SLOTS];
	uint8_t *x, *next;
	void *state = NULL;
	char err[512] = "";
	double frac, extra[IDN_MAX_EXTRA];
	int rc;

	assert(f);
	x = calloc(f->h.n_vars + 1, 1);
	next = calloc(f->h.n_vars + 1, 1);
	assert(x && next && make_slots(fs, f, seed) == 0);
	for (uint32_t t = 0; t < N_SLOTS; t++)
		slots[t] = fs[t].s;
	rc = d->create(&f->h, op->o, op->n, &state, err, sizeof err);
	if (rc != IDN_OK) {
		assert(err[0]);
		goto out;
	}
	if (d->prepare)
		rc = d->prepare(state, slots, N_SLOTS, err, sizeof err);
	if (rc == IDN_OK && d->init)
		rc = d->init(state, x, err, sizeof err);
	for (uint32_t t = 0; rc == IDN_OK && t < N_SLOTS; t++) {
		memcpy(next, x, f->h.n_vars);
		rc = d->update(state, &slots[t], x, next, &frac, extra, err,
		               sizeof err);
		for (uint32_t j = 0; rc == IDN_OK && j < f->h.n_vars; j++)
			assert(next[j] <= 1);
		memcpy(x, next, f->h.n_vars);
	}
	d->destroy(state);
out:
	for (uint32_t t = 0; t < N_SLOTS; t++)
		fake_slot_free(&fs[t]);
	free(x);
	free(next);
	fake_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plugin pl = { 0 };
	struct idn_err e = { "" };
	struct opts op;

	if (size < 2)
		return 0;
	pl.desc = fuzz_policy(data[0]);
	pl.path = "fuzz";
	parse(&op, data + 2, size - 2);
	parse_numbers(&op);
	if (plugin_check_options(&pl, op.o, op.n, &e) == IDN_OK)
		run_policy(pl.desc, &op, data[1]);
	else
		assert(e.msg[0] && !strchr(e.msg, '\n'));
	free(op.text);
	return 0;
}
