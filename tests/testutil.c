/* testutil.c - helpers shared by the cmocka tests.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "testutil.h"

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	if (!text)
		return;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

void tu_write_scenario(char *dir, const char *nodes, const char *links,
                       const char *models, const char *profiles,
                       const char *pinned)
{
	strcpy(dir, "/tmp/idntest.XXXXXX");
	assert_non_null(mkdtemp(dir));
	write_file(dir, "nodes.csv", nodes);
	write_file(dir, "links.csv", links);
	write_file(dir, "models.csv", models);
	write_file(dir, "profiles.csv", profiles);
	write_file(dir, "pinned.csv", pinned);
}

void tu_remove_dir(const char *dir)
{
	static const char *const files[] = { "nodes.csv", "links.csv",
		"models.csv", "profiles.csv", "pinned.csv", NULL };
	char path[256];

	for (int i = 0; files[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void load(struct test_world *w, double alpha)
{
	struct idn_err e = { "" };
	int rc = scenario_load(&w->sc, w->dir, &e);

	if (rc != IDN_OK)
		fail_msg("scenario_load: %s", e.msg);
	rc = network_new(&w->net, w->sc, alpha, &e);
	if (rc != IDN_OK)
		fail_msg("network_new: %s", e.msg);
	network_host(w->net, &w->host);
}

void tu_world(struct test_world *w, double alpha, const char *nodes,
              const char *links, const char *models, const char *profiles,
              const char *pinned)
{
	tu_write_scenario(w->dir, nodes, links, models, profiles, pinned);
	load(w, alpha);
}

void tu_example_world(struct test_world *w)
{
	tu_world(w, 1,
	         "node,tier,hardware,budget_mb\na0,access,cpu,100\n"
	         "a1,access,cpu,0\ne0,edge,gpu,200\nc0,cloud,gpu,0\n",
	         "a,b,delay_ms\na0,e0,5\na1,e0,3\ne0,c0,20\n",
	         "model,task,size_mb,accuracy\nsmall,cls,50,0.70\n"
	         "big,cls,200,0.80\n",
	         "model,hardware,latency_ms,capacity_rps\nsmall,cpu,20,10\n"
	         "small,gpu,5,100\nbig,cpu,80,2\nbig,gpu,10,25\n",
	         "node,model\nc0,big\n");
}

/* Append to a growing string. */
static void cat(char **s, size_t *len, const char *fmt, ...)
{
	va_list ap;
	char buf[256];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	*s = realloc(*s, *len + n + 1);
	assert_non_null(*s);
	memcpy(*s + *len, buf, n + 1);
	*len += n;
}

void tu_random_world(struct test_world *w, uint64_t seed, uint32_t n_nodes,
                     uint32_t n_tasks)
{
	struct idn_rng r;
	char *nodes = NULL, *links = NULL, *models = NULL, *prof = NULL,
	     *pins = NULL;
	size_t ln = 0, ll = 0, lm = 0, lp = 0, lq = 0;

	idn_rng_seed(&r, seed);
	cat(&nodes, &ln, "node,tier,hardware,budget_mb\n");
	cat(&links, &ll, "a,b,delay_ms\n");
	cat(&models, &lm, "model,task,size_mb,accuracy\n");
	cat(&prof, &lp, "model,hardware,latency_ms,capacity_rps\n");
	cat(&pins, &lq, "node,model\n");
	for (uint32_t v = 0; v < n_nodes; v++) {
		cat(&nodes, &ln, "n%u,%s,hw%u,%u\n", v, v ? "edge" : "cloud",
		    v ? (unsigned)(idn_rng_next(&r) % 2) : 2u,
		    v ? (unsigned)(idn_rng_next(&r) % 300) : 0u);
		if (v)
			cat(&links, &ll, "n%u,n%u,%u\n", v,
			    (unsigned)(idn_rng_next(&r) % v),
			    (unsigned)(idn_rng_next(&r) % 20));
	}
	for (uint32_t i = 0; i < n_tasks; i++) {
		uint32_t k = 1 + idn_rng_next(&r) % 3;
		for (uint32_t j = 0; j < k; j++) {
			cat(&models, &lm, "m%u_%u,t%u,%u,%.2f\n", i, j, i,
			    10 + (unsigned)(idn_rng_next(&r) % 150),
			    idn_rng_uniform(&r));
			for (uint32_t h = 0; h < 3; h++) {
				if (h < 2 && j > 0 && idn_rng_next(&r) % 4 == 0)
					continue;
				cat(&prof, &lp, "m%u_%u,hw%u,%u,%u\n", i, j, h,
				    (unsigned)(idn_rng_next(&r) % 40),
				    1 + (unsigned)(idn_rng_next(&r) % 30));
			}
		}
		cat(&pins, &lq, "n0,m%u_0\n", i);
	}
	tu_world(w, 0.5 + idn_rng_uniform(&r), nodes, links, models, prof,
	         pins);
	free(nodes);
	free(links);
	free(models);
	free(prof);
	free(pins);
}

void tu_world_release(struct test_world *w)
{
	network_free(w->net);
	scenario_free(w->sc);
	tu_remove_dir(w->dir);
}

uint32_t tu_type(struct test_world *w, const char *task, const char *source)
{
	uint32_t i = strmap_get(w->sc->task_map, task, strlen(task));
	uint32_t v = strmap_get(w->sc->node_map, source, strlen(source));
	uint32_t id;
	struct idn_err e = { "" };

	assert_int_not_equal(i, STRMAP_NONE);
	assert_int_not_equal(v, STRMAP_NONE);
	if (network_type(w->net, i, v, &id, &e) != IDN_OK)
		fail_msg("network_type: %s", e.msg);
	return id;
}
