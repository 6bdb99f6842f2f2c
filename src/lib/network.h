/* network.h - what a scenario implies for requests: learned variables,
 * shortest paths and request types with their candidates (SPEC 2-3).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A network borrows its scenario (which must outlive it).  Request types
 * are created on first use by network_type(), so a catalogue of 50k tasks
 * costs nothing for the tasks a trace never asks for.  Type records never
 * move once created: pointers from network_get_type() stay valid until
 * network_free().
 */
#ifndef IDN_NETWORK_H
#define IDN_NETWORK_H

#include "idnbench/policy.h"
#include "prefetch.h"
#include "scenario.h"

struct network {
	const struct scenario *sc;
	double alpha;

	/* learned variables (see policy.h) */
	uint32_t n_vars;
	uint32_t *var_off, *var_node, *var_model;
	double *var_size, *var_capacity;
	int unbounded;          /* every var has infinite capacity: l = r */

	/* nodes that pin some model of task i: pin_nodes[pin_off[i]..] */
	uint32_t *pin_off, *pin_nodes;

	/* where model m can serve: nodes mp_node[mp_off[m]..mp_off[m+1]-1]
	 * with the learned var there, or IDN_PINNED for a pin */
	uint32_t *mp_off, *mp_node, *mp_var;
	uint32_t *hop_of;       /* scratch: node -> hop on the path being built */

	/* shortest-path trees, computed per source on first use */
	double **dist;
	uint32_t **pred;

	/* request types */
	uint32_t n_types, cap_types;
	struct idn_type **types;
	uint32_t *type_of;      /* (task * n_nodes + source) -> type id + 1 */

	/* the type records, carved out of big chunks (network.c) */
	char **chunks;
	size_t n_chunks, cap_chunks;
	char *chunk_next;
	size_t chunk_left;
};

int network_new(struct network **out, const struct scenario *sc,
                double alpha, struct idn_err *e);
void network_free(struct network *net);

/* The id of type (task, source), created if needed.  Fails (IDN_EDATA,
 * "no node pinning a model of task 'x' is reachable from 'y'") if no
 * repository is reachable; the caller prefixes file and line. */
static inline int network_type(struct network *net, uint32_t task,
                               uint32_t source, uint32_t *id,
                               struct idn_err *e);
int network_make_type(struct network *net, uint32_t task, uint32_t source,
                      uint32_t *id, struct idn_err *e);

static inline int network_type(struct network *net, uint32_t task,
                               uint32_t source, uint32_t *id,
                               struct idn_err *e)
{
	uint32_t t = net->type_of[(size_t)task * net->sc->n_nodes + source];

	if (t) {
		*id = t - 1;
		return IDN_OK;
	}
	return network_make_type(net, task, source, id, e);
}

/* Start loading what network_type(net, task, source) reads first, for
 * a caller that knows its next pairs: stage 0 the type table entry;
 * stage 1, a few pairs later (the entry has arrived), for a type still
 * to be made, the task's first table entries.  A hint: no result
 * changes. */
static inline void network_prefetch(const struct network *net, uint32_t task,
                                    uint32_t source, int stage)
{
	const uint32_t *slot = &net->type_of[(size_t)task * net->sc->n_nodes +
	                                     source];

	if (stage == 0) {
		IDN_PREFETCH(slot);
	} else if (*slot == 0) {
		IDN_PREFETCH(&net->pin_off[task]);
		IDN_PREFETCH(&net->sc->task_model_off[task]);
	}
}

static inline const struct idn_type *network_get_type(const struct network *n,
                                                      uint32_t id)
{
	return n->types[id];
}

/* What serving one request at a candidate adds to the metrics (SPEC 5):
 * round-trip delay plus inference latency, ms, and the model's accuracy.
 * Kept with the type (the record is read anyway) so that serving a slot
 * does not look them up in the catalogue-sized scenario tables. */
struct cand_serve {
	double latency_ms;
	double accuracy;
};

/* Every type created by network_type sits at the start of this block;
 * serve[k] goes with cands[k]. */
struct net_type {
	struct idn_type pub;
	const struct cand_serve *serve;
};

static inline const struct cand_serve *network_serve(const struct idn_type *t)
{
	return ((const struct net_type *)t)->serve;
}

/* The var of (v, m), or IDN_PINNED if (v, m) is not a learned pair. */
uint32_t network_var(const struct network *net, uint32_t v, uint32_t m);

/* The host view of the network handed to policies (policy.h); ctx points
 * at net.  slot_length and seed are set to 1: the caller overrides them. */
void network_host(const struct network *net, struct idn_host *h);

#endif
