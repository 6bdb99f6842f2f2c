/* idnbench/policy.h - the plugin ABI of idnbench (installed header).
 *
 * Copyright (C) 2026 the idnbench authors.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A policy is a shared object that exports one symbol,
 *
 *     const struct idn_policy *idn_policy_describe(void);
 *
 * returning a descriptor whose first field is IDN_POLICY_ABI_VERSION.  The
 * host (idn-replay, idn-check-policy, ...) refuses a plugin whose version
 * differs.  Everything a policy needs to know about the network, the
 * catalogue and the requests reaches it through struct idn_host (owned by
 * the host, valid from create() to destroy()) and struct idn_slot (valid only
 * during the call that receives it).  Plugins link libidnbench and may call
 * the shared math declared in idnbench/learn.h.
 *
 * Vocabulary (see doc/model.md for the full model):
 *   var      a learned (node, model) pair: model m runnable on node v, not
 *            pinned at v, with size(m) <= budget(v).  Vars are numbered
 *            node by node, in model order inside a node; node v owns
 *            [var_off[v], var_off[v+1]).  An allocation is one byte per var
 *            (0 or 1); pinned models are always present and never appear.
 *   type     a request type (task, source).  Types are numbered in the
 *            order the trace first shows them, so n_types() grows during a
 *            replay; a type's data never changes once created.
 *   slot     requests whose time falls in [t0 + t*D, t0 + (t+1)*D).
 */
#ifndef IDNBENCH_POLICY_H
#define IDNBENCH_POLICY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IDN_POLICY_ABI_VERSION 1u
#define IDN_POLICY_SYMBOL "idn_policy_describe"

/* Return codes shared by the library, the tools and the plugins.  The
 * values double as process exit codes: 1 bad data, 2 bad usage. */
enum idn_status {
	IDN_OK = 0,
	IDN_EDATA = 1,   /* malformed or inconsistent input */
	IDN_EUSAGE = 2,  /* bad option or argument */
	IDN_ENOMEM = 3,
	IDN_EIO = 4,     /* read/write failure */
	IDN_EPOLICY = 5  /* a policy misbehaved (budget overflow, ...) */
};

/* Marks the last candidate of a type: the pinned fallback. */
#define IDN_PINNED UINT32_MAX

/* One way to serve a type: model `model` on node `node`, hop `hop` of the
 * type's path (0 = the source).  cost is gamma (ms, SPEC section 3). */
struct idn_cand {
	double cost;
	uint32_t var;   /* learned var, or IDN_PINNED for the last candidate */
	uint32_t node;
	uint32_t model;
	uint32_t hop;
};

/* A request type.  cands[0..n_cands-1] are sorted by (cost, hop, model);
 * only cands[n_cands-1] is pinned.  n_cands == K of the spec. */
struct idn_type {
	uint32_t task;
	uint32_t source;
	uint32_t n_cands;
	uint32_t path_len;
	const struct idn_cand *cands;
	const uint32_t *path;      /* path[0] = source, path[path_len-1] = repository */
	const double *path_delay;  /* one-way delay from the source to path[j] */
};

/* Consecutive requests of one type, in trace order. */
struct idn_event {
	uint32_t type;
	uint32_t count;
};

/* What a policy sees of one slot (all arrays owned by the host). */
struct idn_slot {
	uint64_t index;
	uint32_t n_types;          /* types with at least one request */
	const uint32_t *types;     /* in order of first request within the slot */
	const double *counts;      /* counts[i] = r(types[i]) > 0 */
	/* Capacity shares l(rho, v, m) of SPEC section 4 for this slot: type
	 * types[i] has n_cands-1 learned candidates, whose shares are
	 * l[l_off[i] + k]; the pinned one takes all that is left (l = r). */
	const uint32_t *l_off;
	const double *l;
	uint32_t n_events;
	const struct idn_event *events;
};

/* A small seeded generator (xoshiro256**).  Policies take their
 * randomness from host->rng_seed so that runs are reproducible. */
struct idn_rng {
	uint64_t s[4];
};

/* Host services.  Arrays are indexed as documented in the header comment;
 * everything is read-only for the policy. */
struct idn_host {
	uint32_t abi_version;
	uint32_t n_nodes;
	uint32_t n_models;
	uint32_t n_tasks;
	uint32_t n_vars;
	uint32_t n_tiers;
	double slot_length;        /* D, seconds */
	double alpha;              /* ms per accuracy point */
	uint64_t seed;             /* the run's --seed */

	const uint32_t *var_off;   /* n_nodes + 1 entries */
	const uint32_t *var_node;
	const uint32_t *var_model;
	const double *var_size;    /* MB */
	const double *var_capacity;/* requests/s, may be INFINITY */
	const double *node_budget; /* MB */
	const uint32_t *node_tier;
	const double *model_size;

	const char *(*node_name)(const struct idn_host *h, uint32_t node);
	const char *(*model_name)(const struct idn_host *h, uint32_t model);
	const char *(*task_name)(const struct idn_host *h, uint32_t task);
	const char *(*tier_name)(const struct idn_host *h, uint32_t tier);

	/* Number of request types created so far, and one of them. */
	uint32_t (*n_types)(const struct idn_host *h);
	const struct idn_type *(*type)(const struct idn_host *h, uint32_t id);

	void *ctx;                 /* the host's own data; do not touch */
};

/* A key=value option, as given with -O on the command line. */
struct idn_option {
	const char *key;
	const char *value;
};

/* Documentation of an option a policy accepts; lists end with key NULL. */
struct idn_option_doc {
	const char *key;
	const char *default_value;
	const char *help;
};

/* Every-slot statistics a policy may add as extra output columns. */
#define IDN_MAX_EXTRA 8

struct idn_policy {
	uint32_t abi_version;      /* IDN_POLICY_ABI_VERSION */
	const char *name;
	const char *summary;       /* one line */
	const struct idn_option_doc *options;
	const char *const *extra_columns; /* NULL-terminated, at most IDN_MAX_EXTRA */
	int has_fractional;        /* reports fractional_gain */

	/* Build the policy state.  opts are already checked against
	 * `options` (unknown keys never reach the plugin) and hold every
	 * given key once.  On failure write a one-line reason to err. */
	int (*create)(const struct idn_host *h, const struct idn_option *opts,
	              size_t n_opts, void **state, char *err, size_t errlen);

	/* Optional.  Called once before slot 0 with the whole trace in
	 * slots[0..n_slots-1] (an offline policy's look at the future).
	 * Online policies must leave this NULL; the host then never reads
	 * ahead. */
	int (*prepare)(void *state, const struct idn_slot *slots,
	               uint64_t n_slots, char *err, size_t errlen);

	/* x0[0..n_vars-1] arrives zeroed (pinned models only); the policy may
	 * set an initial allocation. */
	int (*init)(void *state, uint8_t *x0, char *err, size_t errlen);

	/* Slot `s` has been served with x (x_t).  Write x_{t+1} into next,
	 * which arrives as a copy of x.  If has_fractional, store G(r_t, y_t)
	 * in *fractional_gain; store extra columns into extra[]. */
	int (*update)(void *state, const struct idn_slot *s, const uint8_t *x,
	              uint8_t *next, double *fractional_gain, double *extra,
	              char *err, size_t errlen);

	void (*destroy)(void *state);
};

typedef const struct idn_policy *(*idn_policy_describe_fn)(void);

/* --- services from libidnbench that plugins may call --------------------- */

void idn_rng_seed(struct idn_rng *r, uint64_t seed);
uint64_t idn_rng_next(struct idn_rng *r);
/* Uniform in [0, 1), 53 random bits. */
double idn_rng_uniform(struct idn_rng *r);

/* Option helpers: find a key (NULL if absent) and parse numbers strictly.
 * The parsers write "option KEY: ..." to err on failure. */
const char *idn_option_find(const struct idn_option *opts, size_t n,
                            const char *key);
int idn_option_double(const struct idn_option *opts, size_t n,
                      const char *key, double def, double *out,
                      char *err, size_t errlen);
int idn_option_uint(const struct idn_option *opts, size_t n,
                    const char *key, uint64_t def, uint64_t *out,
                    char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif /* IDNBENCH_POLICY_H */
