/* fuzz_scenario - libFuzzer harness of the scenario loader and of the
 * routing built on it (src/lib/scenario.c, table.c, network.c).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is cut at each 0x1E byte (ASCII record separator) into, in
 * order, nodes.csv, links.csv, models.csv, profiles.csv and pinned.csv,
 * written into a private directory; files the input does not reach are
 * absent.  A scenario that loads is turned into a network and a few
 * request types, whose candidates are checked against network.h/policy.h.
 */
#include <assert.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "network.h"

#define SEP 0x1E
#define MAX_TYPES 64

static const char *const files[] = {
	"nodes.csv", "links.csv", "models.csv", "profiles.csv", "pinned.csv"
};
#define N_FILES (sizeof files / sizeof files[0])

static const char *workdir(void)
{
	static char dir[256];
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

	if (!dir[0]) {
		snprintf(dir, sizeof dir, "%s/idn-fuzz-scenario.XXXXXX", base);
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

static void put_file(const char *dir, const char *name, const uint8_t *p,
                     size_t n, int present)
{
	char path[512];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!present) {
		unlink(path);
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (n && write(fd, p, n) != (ssize_t)n))
		abort();
	close(fd);
}

/* Candidates as promised by policy.h: the last one pinned, the others
 * learned vars of the right node and model, in (cost, hop, model) order. */
static void check_type(const struct network *net, const struct idn_type *t)
{
	assert(t->n_cands >= 1 && t->path_len >= 1);
	assert(t->cands[t->n_cands - 1].var == IDN_PINNED);
	for (uint32_t k = 0; k + 1 < t->n_cands; k++) {
		const struct idn_cand *c = &t->cands[k], *d = &t->cands[k + 1];
		assert(c->var < net->n_vars);
		assert(net->var_node[c->var] == c->node);
		assert(net->var_model[c->var] == c->model);
		assert(c->hop < t->path_len && t->path[c->hop] == c->node);
		assert(!(c->cost > d->cost));
	}
}

static void exercise(const struct scenario *sc)
{
	struct network *net;
	struct idn_err e = { "" };
	uint32_t made = 0;

	if (network_new(&net, sc, 1.0, &e) != IDN_OK)
		return;
	for (uint32_t v = 0; v + 1 <= sc->n_nodes; v++)
		assert(net->var_off[v] <= net->var_off[v + 1]);
	assert(net->var_off[sc->n_nodes] == net->n_vars);
	for (uint32_t k = 0; k < sc->n_tasks && made < MAX_TYPES; k++)
		for (uint32_t s = 0; s < sc->n_nodes && made < MAX_TYPES; s++) {
			uint32_t id;
			made++;
			if (network_type(net, k, s, &id, &e) == IDN_OK)
				check_type(net, network_get_type(net, id));
			else
				assert(e.msg[0] && !strchr(e.msg, '\n'));
		}
	network_free(net);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = workdir();
	const uint8_t *p = data, *end = data + size;
	struct scenario *sc;
	struct idn_err e = { "" };

	for (size_t i = 0; i < N_FILES; i++) {
		const uint8_t *q = p ? memchr(p, SEP, (size_t)(end - p)) : NULL;
		size_t n = p ? (size_t)((q ? q : end) - p) : 0;
		put_file(dir, files[i], p, n, p != NULL);
		p = q ? q + 1 : NULL;
	}
	if (scenario_load(&sc, dir, &e) != IDN_OK) {
		assert(e.msg[0] && !strchr(e.msg, '\n'));
		return 0;
	}
	exercise(sc);
	scenario_free(sc);
	return 0;
}
