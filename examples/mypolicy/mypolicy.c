/* mypolicy.c - an example idnbench policy built outside the idnbench tree.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Most popular": every node keeps the models of the tasks most requested
 * through it so far.  After each slot, for every node v:
 *
 *   1. the popularity of a task at v is the number of requests seen so far
 *      (all slots up to now) of the types that can be served at v by a
 *      learned model, that is, that list one of v's vars among their
 *      candidates before the pinned fallback;
 *   2. v forgets its current models and goes through its tasks from the
 *      most popular down (ties: lower task number), skipping tasks never
 *      requested through it; for each task it adds the one model of that
 *      task which still fits in what is left of its budget and which was
 *      the cheapest candidate (lowest cost gamma) in any request type seen
 *      (ties: lower var number);
 *   3. option top=N stops after N tasks (0, the default: as many as fit).
 *
 * The host tells a policy little about models beyond their size: which
 * task a var serves and how good it is are learned from the candidate
 * lists of the request types as they appear.  A var no type has listed yet
 * is never placed (no request could use it).
 *
 * Memory: O(vars + nodes x tasks).  Time per slot: O(events x candidates)
 * to count, O(nodes x tasks^2 + vars x tasks) to choose.
 *
 * The walkthrough in README.md explains each part of this file.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <idnbench/policy.h>

#define NO_TASK UINT32_MAX

struct mypolicy {
	const struct idn_host *h;
	uint64_t top;          /* option top: tasks kept per node, 0 = all */
	double *popularity;    /* [node * n_tasks + task], requests seen */
	uint32_t *var_task;    /* task served by each var, or NO_TASK */
	double *var_cost;      /* lowest candidate cost seen for each var */
	uint64_t *node_seen;   /* last event that counted at node (1-based) */
	uint64_t n_events;     /* events counted so far */
	uint32_t *order;       /* scratch: a node's tasks, most popular first */
};

/* Options, as listed by idn-replay --list-options; the host rejects any
 * key not listed here before create() is called. */
static const struct idn_option_doc my_options[] = {
	{ "top", "0", "tasks whose models a node keeps, most popular first "
	              "(0 = as many as fit)" },
	{ NULL, NULL, NULL }
};

/* One extra output column: (node, task) pairs placed by the last update. */
static const char *const my_extra[] = { "tasks_kept", NULL };

static void my_destroy(void *state)
{
	struct mypolicy *p = state;

	if (!p)
		return;
	free(p->popularity);
	free(p->var_task);
	free(p->var_cost);
	free(p->node_seen);
	free(p->order);
	free(p);
}

static int my_create(const struct idn_host *h, const struct idn_option *opts,
                     size_t n_opts, void **state, char *err, size_t errlen)
{
	struct mypolicy *p = calloc(1, sizeof(*p));
	size_t cells = (size_t)h->n_nodes * h->n_tasks;
	int rc;

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return IDN_ENOMEM;
	}
	p->h = h;
	/* The option helpers of libidnbench parse strictly and write
	 * "option top: ..." to err on a bad value. */
	rc = idn_option_uint(opts, n_opts, "top", 0, &p->top, err, errlen);
	if (rc == IDN_OK) {
		/* +1: calloc(0) may return NULL on an empty scenario */
		p->popularity = calloc(cells + 1, sizeof(double));
		p->var_task = malloc((h->n_vars + 1u) * sizeof(uint32_t));
		p->var_cost = malloc((h->n_vars + 1u) * sizeof(double));
		p->node_seen = calloc(h->n_nodes + 1u, sizeof(uint64_t));
		p->order = malloc((h->n_tasks + 1u) * sizeof(uint32_t));
		if (!p->popularity || !p->var_task || !p->var_cost
		    || !p->node_seen || !p->order) {
			snprintf(err, errlen, "out of memory");
			rc = IDN_ENOMEM;
		}
	}
	if (rc != IDN_OK) {
		my_destroy(p);
		return rc;
	}
	for (uint32_t v = 0; v < h->n_vars; v++) {
		p->var_task[v] = NO_TASK;
		p->var_cost[v] = INFINITY;
	}
	*state = p;
	return IDN_OK;
}

/* Count `count` requests of type t: once at every node holding one of the
 * type's learned candidates, and learn those vars' task and best cost. */
static void count_event(struct mypolicy *p, const struct idn_type *t,
                        uint32_t count)
{
	const struct idn_host *h = p->h;
	uint64_t stamp = ++p->n_events;

	/* cands[n_cands - 1] is the pinned fallback (var IDN_PINNED). */
	for (uint32_t k = 0; k + 1 < t->n_cands; k++) {
		const struct idn_cand *c = &t->cands[k];

		p->var_task[c->var] = t->task;
		if (c->cost < p->var_cost[c->var])
			p->var_cost[c->var] = c->cost;
		/* a node may list several models of the task: count once */
		if (p->node_seen[c->node] != stamp) {
			p->node_seen[c->node] = stamp;
			p->popularity[(size_t)c->node * h->n_tasks + t->task]
				+= count;
		}
	}
}

/* Sort a node's tasks[0..n-1] by popularity row[], most popular first,
 * ties to the lower task.  Insertion sort: a node sees few tasks, and
 * qsort would need the row in a global (it takes no context argument). */
static void sort_by_popularity(uint32_t *tasks, uint32_t n, const double *row)
{
	for (uint32_t i = 1; i < n; i++) {
		uint32_t t = tasks[i], j = i;

		/* tasks arrive in increasing order, so ties keep it */
		for (; j > 0 && row[tasks[j - 1]] < row[t]; j--)
			tasks[j] = tasks[j - 1];
		tasks[j] = t;
	}
}

/* The var of node v serving `task` that fits in `left` MB with the lowest
 * cost seen, or IDN_PINNED when there is none. */
static uint32_t best_var(const struct mypolicy *p, uint32_t v, uint32_t task,
                         double left)
{
	const struct idn_host *h = p->h;
	uint32_t best = IDN_PINNED;

	for (uint32_t i = h->var_off[v]; i < h->var_off[v + 1]; i++)
		if (p->var_task[i] == task && h->var_size[i] <= left
		    && (best == IDN_PINNED || p->var_cost[i] < p->var_cost[best]))
			best = i;
	return best;
}

/* Refill node v from scratch into next[]; returns the tasks placed. */
static uint32_t refill_node(struct mypolicy *p, uint32_t v, uint8_t *next)
{
	const struct idn_host *h = p->h;
	const double *row = &p->popularity[(size_t)v * h->n_tasks];
	double left = h->node_budget[v];
	uint32_t n = 0, kept = 0;

	for (uint32_t i = h->var_off[v]; i < h->var_off[v + 1]; i++)
		next[i] = 0;
	for (uint32_t task = 0; task < h->n_tasks; task++)
		if (row[task] > 0)
			p->order[n++] = task;
	sort_by_popularity(p->order, n, row);
	for (uint32_t j = 0; j < n && (!p->top || kept < p->top); j++) {
		uint32_t var = best_var(p, v, p->order[j], left);

		if (var == IDN_PINNED)
			continue;
		next[var] = 1;
		left -= h->var_size[var];
		kept++;
	}
	return kept;
}

/* Called after every slot with the allocation x that served it; writes
 * the allocation of the next slot into next (which arrives as a copy of
 * x).  The host checks every budget afterwards and stops the run with an
 * error if one is exceeded, so a policy never needs to clip. */
static int my_update(void *state, const struct idn_slot *s, const uint8_t *x,
                     uint8_t *next, double *fractional_gain, double *extra,
                     char *err, size_t errlen)
{
	struct mypolicy *p = state;
	const struct idn_host *h = p->h;
	uint32_t kept = 0;

	(void)x; (void)fractional_gain; (void)err; (void)errlen;
	for (uint32_t i = 0; i < s->n_events; i++)
		count_event(p, h->type(h, s->events[i].type),
		            s->events[i].count);
	for (uint32_t v = 0; v < h->n_nodes; v++)
		kept += refill_node(p, v, next);
	extra[0] = kept;
	return IDN_OK;
}

static const struct idn_policy my_policy = {
	.abi_version = IDN_POLICY_ABI_VERSION,
	.name = "mypolicy",
	.summary = "keep the models of each node's most requested tasks",
	.options = my_options,
	.extra_columns = my_extra,
	.has_fractional = 0,
	.create = my_create,
	.prepare = NULL,   /* online: never sees the future */
	.init = NULL,      /* start with the pinned models only */
	.update = my_update,
	.destroy = my_destroy,
};

/* The one symbol the host looks up (IDN_POLICY_SYMBOL). */
const struct idn_policy *idn_policy_describe(void)
{
	return &my_policy;
}
