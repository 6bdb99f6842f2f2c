/* testutil.h - helpers shared by the cmocka tests.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef IDN_TESTUTIL_H
#define IDN_TESTUTIL_H

#include <stdint.h>
#include "network.h"

/* A scenario written to a fresh temporary directory and loaded. */
struct test_world {
	char dir[64];
	struct scenario *sc;
	struct network *net;
	struct idn_host host;
};

/* Write the five files (any NULL file is omitted) into a new temp dir;
 * returns its path in dir (64 bytes).  Aborts the test on I/O failure. */
void tu_write_scenario(char *dir, const char *nodes, const char *links,
                       const char *models, const char *profiles,
                       const char *pinned);
void tu_remove_dir(const char *dir);

/* Write and load a scenario; fails the test if loading fails. */
void tu_world(struct test_world *w, double alpha, const char *nodes,
              const char *links, const char *models, const char *profiles,
              const char *pinned);
/* The worked example of the spec (nodes a0, a1, e0, c0; models small and
 * big of task cls; c0 pins big). */
void tu_example_world(struct test_world *w);
/* A random tree-shaped world: n_nodes nodes (node 0 the root pins every
 * task's first model), n_tasks tasks with up to 3 models each, random
 * budgets, delays, latencies, capacities.  Deterministic in seed. */
void tu_random_world(struct test_world *w, uint64_t seed, uint32_t n_nodes,
                     uint32_t n_tasks);
void tu_world_release(struct test_world *w);

/* Type id of (task name, source name); fails the test if impossible. */
uint32_t tu_type(struct test_world *w, const char *task, const char *source);

#endif
