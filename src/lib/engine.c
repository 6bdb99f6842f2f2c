/* engine.c - the replay engine (SPEC sections 4-6).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests never reach this thread one by one: the reading thread
 * (feed.c) parses them, looks their names up and gathers each slot into
 * its (task, source) pairs with counts and runs.  Here a slot costs a
 * type lookup per pair (a dense table; types are made on first use) and
 * then O(touched types + their candidates), except checking the
 * allocation a policy returns, which scans the allocation bytes (memcmp
 * speed) and then costs O(changed vars).
 *
 * With catalogues of millions of models the work is bound by memory
 * latency, not arithmetic: each type touches a few random entries of
 * arrays far larger than the caches.  The loops over pairs, events and
 * types therefore prefetch (prefetch.h) what an item some iterations
 * ahead will touch, so that those misses overlap.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "idnbench/learn.h"
#include "engine.h"
#include "feed.h"
#include "grow.h"
#include "prefetch.h"
#include "serve.h"

/* The slot being played, from the feed's gathered slot: its pairs
 * turned into types. */
struct gather {
	uint32_t n;               /* touched types */
	size_t cap;
	uint32_t *types;
	double *counts;
	uint32_t *l_off;
	double *l;
	size_t l_cap;
	uint32_t n_events;
	size_t cap_events;
	struct idn_event *events;
};

struct engine {
	struct network *net;
	const struct scenario *sc;
	const struct plugin *pl;
	struct engine_config cfg;
	struct idn_host host;
	void *state;
	size_t n_extra;
	int has_fractional;

	uint8_t *x, *next;
	double *node_load;        /* MB held by the current allocation, */
	double *node_comp;        /* plus this compensation (Neumaier) */
	uint64_t now;             /* slot the allocation being checked serves */
	uint64_t *held_since;     /* placement: slot a var was last allocated */
	double *held_slots;       /* placement: slots it was held before that */
	double *scratch;          /* n_vars, kept zero */
	uint32_t *diff_idx;       /* DIFF_BLOCK: vars changed in a block */
	double pending_update_mb; /* MB downloaded to go from x_{t-1} to x_t */

	struct gather g;
	struct serve_metrics m;   /* of the slot being finished */
	struct engine_totals tot;
	struct timespec start, last_progress;
	enum engine_fault fault;  /* why the run failed, if the policy's */
};

/* The allocation check compares this many vars at a time. */
#define DIFF_BLOCK 4096

/* Bytes past the last var of x and next that a policy must leave zero:
 * an off-by-one write lands there and is reported instead of corrupting
 * the heap. */
#define GUARD 8

/* --- allocation checks --------------------------------------------------- */

/* Add x to a compensated running sum (Neumaier): the error stays about
 * one rounding of the total however many additions and removals, so the
 * running load can be compared with the budget directly. */
static void comp_add(double *sum, double *comp, double x)
{
	double t = *sum + x;

	if (fabs(*sum) >= fabs(x))
		*comp += (*sum - t) + x;
	else
		*comp += (x - t) + *sum;
	*sum = t;
}

/* Apply the change of one var from `was` to `now` to a node's load. */
static int var_changed(struct engine *eng, uint32_t v, uint32_t j,
                       uint8_t was, uint8_t now, double *mb,
                       struct idn_err *e)
{
	const struct network *net = eng->net;
	const struct scenario *sc = eng->sc;

	if (now > 1) {
		eng->fault = ENGINE_FAULT_BINARY;
		return idn_fail(e, IDN_EPOLICY, "policy %s: allocation of '%s' "
		                "at '%s' is %u, not 0 or 1", eng->pl->desc->name,
		                sc->model_name[net->var_model[j]],
		                sc->node_name[v], now);
	}
	if (now) {
		comp_add(&eng->node_load[v], &eng->node_comp[v],
		         net->var_size[j]);
		*mb += net->var_size[j];
		if (eng->held_since)
			eng->held_since[j] = eng->now;
	} else if (was) {
		comp_add(&eng->node_load[v], &eng->node_comp[v],
		         -net->var_size[j]);
		if (eng->held_since)
			eng->held_slots[j] += eng->now - eng->held_since[j];
	}
	return IDN_OK;
}

/* Apply the vars of node v in [j, stop) (at most DIFF_BLOCK of them)
 * that differ between from and to, and copy them into from.  They are
 * listed first (64 then 8 equal bytes skipped at a time), then applied
 * with each one's size prefetched a few ahead: after a busy slot the
 * changed vars are scattered over an array far larger than the caches. */
static int diff_range(struct engine *eng, uint32_t v, uint8_t *from,
                      const uint8_t *to, uint32_t j, uint32_t stop,
                      int *changed, double *mb, struct idn_err *e)
{
	enum { AHEAD = 8 };
	uint32_t *idx = eng->diff_idx, n = 0;

	assert(stop - j <= DIFF_BLOCK);
	while (j < stop) {
		uint64_t a, b;
		if (stop - j >= 64 && memcmp(from + j, to + j, 64) == 0) {
			j += 64;
			continue;
		}
		if (stop - j >= 8) {
			memcpy(&a, from + j, 8);
			memcpy(&b, to + j, 8);
			if (a == b) {
				j += 8;
				continue;
			}
		}
		for (uint32_t end = stop - j >= 8 ? j + 8 : stop; j < end; j++)
			if (from[j] != to[j])
				idx[n++] = j;
	}
	*changed |= n > 0;
	for (uint32_t i = 0; i < n; i++) {
		if (i + AHEAD < n)
			IDN_PREFETCH(&eng->net->var_size[idx[i + AHEAD]]);
		int rc = var_changed(eng, v, idx[i], from[idx[i]], to[idx[i]],
		                     mb, e);
		if (rc != IDN_OK)
			return rc;
		from[idx[i]] = to[idx[i]];
	}
	return IDN_OK;
}

/* Check a policy's allocation against the budgets; returns the MB of
 * models in `to` that are not in `from`, and leaves from equal to to
 * (from is the outgoing allocation: it becomes the next slot's copy of
 * x at the cost of the changes, not of a full copy).  Most slots change
 * a few vars out of up to millions, so equal 4 KiB blocks are skipped
 * with one (vectorised) memcmp each and only the others are looked at
 * closely; node loads are kept as compensated running sums, so a slot
 * costs a fast scan plus O(changes). */
static int check_allocation(struct engine *eng, uint8_t *from,
                            const uint8_t *to, double *added,
                            struct idn_err *e)
{
	const struct network *net = eng->net;
	const struct scenario *sc = eng->sc;
	double mb = 0;

	for (uint32_t v = 0; v < sc->n_nodes; v++) {
		uint32_t end = net->var_off[v + 1];
		int changed = 0;
		for (uint32_t j = net->var_off[v]; j < end; j += DIFF_BLOCK) {
			uint32_t stop = end - j > DIFF_BLOCK ? j + DIFF_BLOCK
			                                     : end;
			if (memcmp(from + j, to + j, stop - j) == 0)
				continue;
			int rc = diff_range(eng, v, from, to, j, stop, &changed,
			                    &mb, e);
			if (rc != IDN_OK)
				return rc;
		}
		double load = eng->node_load[v] + eng->node_comp[v];
		if (changed && load > sc->node_budget[v] + IDN_BUDGET_TOL) {
			eng->fault = ENGINE_FAULT_BUDGET;
			return idn_fail(e, IDN_EPOLICY, "policy %s: node '%s' "
			                "holds %g MB, budget %g MB",
			                eng->pl->desc->name, sc->node_name[v],
			                load, sc->node_budget[v]);
		}
	}
	*added = mb;
	return IDN_OK;
}

/* --- setup --------------------------------------------------------------- */

static int alloc_state(struct engine *eng, struct idn_err *e)
{
	uint32_t nv = eng->net->n_vars + 1;

	eng->x = calloc(eng->net->n_vars + GUARD, 1);
	eng->next = calloc(eng->net->n_vars + GUARD, 1);
	eng->scratch = calloc(nv, sizeof *eng->scratch);
	eng->diff_idx = malloc(DIFF_BLOCK * sizeof *eng->diff_idx);
	eng->node_load = calloc(eng->sc->n_nodes + 1, sizeof *eng->node_load);
	eng->node_comp = calloc(eng->sc->n_nodes + 1, sizeof *eng->node_comp);
	if (eng->cfg.placement) {
		eng->held_since = calloc(nv, sizeof *eng->held_since);
		eng->held_slots = calloc(nv, sizeof *eng->held_slots);
		if (!eng->held_since || !eng->held_slots)
			return idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	eng->m.tier_served = calloc(eng->sc->n_tiers, sizeof(double));
	if (!eng->x || !eng->next || !eng->scratch || !eng->diff_idx ||
	    !eng->m.tier_served || !eng->node_load || !eng->node_comp)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	return IDN_OK;
}

int engine_new(struct engine **out, struct network *net,
               const struct plugin *pl, const struct engine_config *cfg,
               struct idn_err *e)
{
	struct engine *eng = calloc(1, sizeof *eng);
	const struct idn_policy *d = pl->desc;
	char msg[512] = "";
	int rc;

	*out = NULL;
	if (!eng)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	eng->net = net;
	eng->sc = net->sc;
	eng->pl = pl;
	eng->cfg = *cfg;
	if (!eng->cfg.max_slots)
		eng->cfg.max_slots = ENGINE_MAX_SLOTS;
	eng->has_fractional = d->has_fractional;
	while (d->extra_columns && d->extra_columns[eng->n_extra])
		eng->n_extra++;
	network_host(net, &eng->host);
	eng->host.slot_length = cfg->slot_length;
	eng->host.seed = cfg->seed;
	rc = alloc_state(eng, e);
	if (rc == IDN_OK)
		rc = plugin_check_options(pl, cfg->opts, cfg->n_opts, e);
	if (rc == IDN_OK) {
		rc = d->create(&eng->host, cfg->opts, cfg->n_opts, &eng->state,
		               msg, sizeof msg);
		if (rc != IDN_OK)
			idn_fail(e, rc == IDN_EUSAGE ? IDN_EUSAGE : IDN_EPOLICY,
			         "policy %s: %s", d->name, msg[0] ? msg : "create "
			         "failed");
		if (rc != IDN_OK && rc != IDN_EUSAGE)
			rc = IDN_EPOLICY;
	}
	if (rc != IDN_OK) {
		engine_free(eng);
		return rc;
	}
	*out = eng;
	return IDN_OK;
}

static void gather_release(struct gather *g)
{
	free(g->types);
	free(g->counts);
	free(g->l_off);
	free(g->l);
	free(g->events);
}

void engine_free(struct engine *eng)
{
	if (!eng)
		return;
	if (eng->state)
		eng->pl->desc->destroy(eng->state);
	free(eng->x);
	free(eng->next);
	free(eng->scratch);
	free(eng->diff_idx);
	free(eng->node_load);
	free(eng->node_comp);
	free(eng->held_since);
	free(eng->held_slots);
	free(eng->m.tier_served);
	gather_release(&eng->g);
	free(eng);
}

const struct engine_totals *engine_totals(const struct engine *eng)
{
	return &eng->tot;
}

enum engine_fault engine_fault(const struct engine *eng)
{
	return eng->fault;
}

/* --- gathering a slot ---------------------------------------------------- */

/* Freeze the gathered counts into a slot view, with capacity shares.
 * With no finite capacity anywhere every share is the type's count
 * (SPEC 4: l = r * min(1, inf)), filled in the same pass that reads each
 * type once; otherwise idn_capacity_shares does the general case. */
static int gather_slot(struct engine *eng, uint64_t index,
                       struct idn_slot *s, size_t *n_l_out)
{
	struct gather *g = &eng->g;
	const int unbounded = eng->net->unbounded;
	size_t n_l = 0;

	if (g->n) {
		uint32_t *off = realloc(g->l_off, g->n * sizeof *off);
		if (!off)
			return IDN_ENOMEM;
		g->l_off = off;
	}
	for (uint32_t i = 0; i < g->n; i++) {
		if (i + 8 < g->n)     /* the record of a later type */
			IDN_PREFETCH(network_get_type(eng->net, g->types[i + 8]));
		uint32_t k = network_get_type(eng->net, g->types[i])->n_cands - 1;
		double r = g->counts[i];
		g->l_off[i] = (uint32_t)n_l;
		if (grow_array((void **)&g->l, &g->l_cap, sizeof *g->l,
		               n_l + k + 1) != IDN_OK)
			return IDN_ENOMEM;
		for (uint32_t q = 0; unbounded && q < k; q++)
			g->l[n_l + q] = r;
		n_l += k;
	}
	if (!unbounded)
		idn_capacity_shares(&eng->host, g->n, g->types, g->counts,
		                    eng->cfg.slot_length, eng->scratch,
		                    g->l_off, g->l);
	*n_l_out = n_l;
	*s = (struct idn_slot){
		.index = index, .n_types = g->n, .types = g->types,
		.counts = g->counts, .l_off = g->l_off, .l = g->l,
		.n_events = g->n_events, .events = g->events,
	};
	return IDN_OK;
}

static void gather_reset(struct gather *g)
{
	g->n = 0;
	g->n_events = 0;
}

/* --- output -------------------------------------------------------------- */

static int write_header(struct engine *eng, struct outfile *out)
{
	outfile_puts(out, "slot,requests,gain,max_gain,fractional_gain,"
	             "latency_ms,accuracy,update_mb");
	for (uint32_t t = 0; t < eng->sc->n_tiers; t++)
		outfile_printf(out, ",served_%s", eng->sc->tier_name[t]);
	for (size_t i = 0; i < eng->n_extra; i++)
		outfile_printf(out, ",%s", eng->pl->desc->extra_columns[i]);
	return outfile_puts(out, "\n");
}

static void put_field(struct outfile *out, double v)
{
	outfile_puts(out, ",");
	outfile_double(out, v);
}

static int write_row(struct engine *eng, struct outfile *out,
                     const struct idn_slot *s, const struct serve_metrics *m,
                     double frac, const double *extra)
{
	outfile_u64(out, s->index);
	put_field(out, m->requests);
	put_field(out, m->gain);
	put_field(out, m->max_gain);
	outfile_puts(out, ",");
	if (eng->has_fractional)
		outfile_double(out, frac);
	if (m->requests > 0) {
		put_field(out, m->latency / m->requests);
		put_field(out, m->accuracy / m->requests);
	} else {
		outfile_puts(out, ",,");
	}
	put_field(out, eng->pending_update_mb);
	for (uint32_t t = 0; t < eng->sc->n_tiers; t++)
		put_field(out, m->tier_served[t]);
	for (size_t i = 0; i < eng->n_extra; i++)
		put_field(out, extra[i]);
	return outfile_puts(out, "\n");
}

/* --- the timeline -------------------------------------------------------- */

static int policy_fail(struct engine *eng, int rc, const char *msg,
                       const char *what, struct idn_err *e)
{
	(void)rc;
	eng->fault = ENGINE_FAULT_CALLBACK;
	return idn_fail(e, IDN_EPOLICY, "policy %s: %s%s%s",
	                eng->pl->desc->name, what, msg[0] ? ": " : "", msg);
}

/* The guard bytes after an allocation the policy wrote must be zero. */
static int check_guard(struct engine *eng, const uint8_t *x,
                       struct idn_err *e)
{
	for (uint32_t k = 0; k < GUARD; k++)
		if (x[eng->net->n_vars + k]) {
			eng->fault = ENGINE_FAULT_RANGE;
			return idn_fail(e, IDN_EPOLICY, "policy %s: wrote byte "
			                "%u of an allocation of %u vars",
			                eng->pl->desc->name,
			                eng->net->n_vars + k, eng->net->n_vars);
		}
	return IDN_OK;
}

static double seconds_between(const struct timespec *a,
                              const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

static int start(struct engine *eng, struct idn_err *e)
{
	const struct idn_policy *d = eng->pl->desc;
	uint8_t *none = eng->next;   /* all zero: pinned models only; made
	                               * a copy of x0 by the check */
	char msg[512] = "";
	int rc;

	if (d->init) {
		rc = d->init(eng->state, eng->x, msg, sizeof msg);
		if (rc != IDN_OK)
			return policy_fail(eng, rc, msg, "init failed", e);
	}
	rc = check_guard(eng, eng->x, e);
	if (rc != IDN_OK)
		return rc;
	return check_allocation(eng, none, eng->x, &eng->pending_update_mb, e);
}

static void progress(struct engine *eng, uint64_t slot)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec - eng->last_progress.tv_sec < 1)
		return;
	eng->last_progress = now;
	double secs = seconds_between(&eng->start, &now);
	fprintf(stderr, "\r%s: slot %llu, %llu requests, %.0f req/s ",
	        eng->pl->desc->name, (unsigned long long)slot,
	        (unsigned long long)eng->tot.requests,
	        secs > 0 ? eng->tot.requests / secs : 0.0);
}

/* Serve slot s with x, write its row, get x_{t+1} from the policy. */
static int play_slot(struct engine *eng, const struct idn_slot *s,
                     struct outfile *out, struct idn_err *e)
{
	const struct idn_policy *d = eng->pl->desc;
	struct serve_metrics *m = &eng->m;
	double frac = NAN, extra[IDN_MAX_EXTRA] = { 0 };
	char msg[512] = "";
	struct timespec t0, t1;
	int rc;

	serve_slot(eng->net, s, eng->x, m);
	/* eng->next is already a copy of eng->x (check_allocation) */
	if (eng->cfg.on_slot)
		clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = d->update(eng->state, s, eng->x, eng->next, &frac, extra, msg,
	               sizeof msg);
	if (eng->cfg.on_slot)
		clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc != IDN_OK)
		return policy_fail(eng, rc, msg, "update failed", e);
	if ((rc = check_guard(eng, eng->next, e)) != IDN_OK)
		return rc;
	write_row(eng, out, s, m, frac, extra);
	eng->now = s->index + 1;
	eng->tot.slots++;
	eng->tot.requests += (uint64_t)m->requests;
	eng->tot.gain += m->gain;
	eng->tot.max_gain += m->max_gain;
	eng->tot.latency_sum += m->latency;
	eng->tot.accuracy_sum += m->accuracy;
	eng->tot.update_mb += eng->pending_update_mb;
	rc = check_allocation(eng, eng->x, eng->next, &eng->pending_update_mb,
	                      e);
	if (rc != IDN_OK)
		return rc;
	if (eng->cfg.on_slot)
		eng->cfg.on_slot(eng->cfg.on_slot_arg, s->index, eng->next,
		                 eng->net->n_vars, seconds_between(&t0, &t1));
	uint8_t *tmp = eng->x;
	eng->x = eng->next;
	eng->next = tmp;
	if (eng->cfg.progress)
		progress(eng, s->index);
	return IDN_OK;
}

/* --- read-ahead for offline policies -------------------------------------- */

/* Every slot of the trace, kept for a policy with a prepare() callback
 * (the only case where the engine holds more than one slot). */
struct slot_store {
	struct idn_slot *slots;
	uint64_t n, cap;
};

static void *dup_array(const void *p, size_t bytes)
{
	void *q = malloc(bytes ? bytes : 1);

	if (q && bytes)
		memcpy(q, p, bytes);
	return q;
}

static int store_slot(struct slot_store *st, const struct idn_slot *s,
                      size_t n_l)
{
	struct idn_slot *c;

	if (st->n == st->cap) {
		uint64_t cap = st->cap ? 2 * st->cap : 256;
		c = realloc(st->slots, cap * sizeof *c);
		if (!c)
			return IDN_ENOMEM;
		st->slots = c;
		st->cap = cap;
	}
	c = &st->slots[st->n];
	*c = *s;
	c->types = dup_array(s->types, s->n_types * sizeof *s->types);
	c->counts = dup_array(s->counts, s->n_types * sizeof *s->counts);
	c->l_off = dup_array(s->l_off, s->n_types * sizeof *s->l_off);
	c->l = dup_array(s->l, n_l * sizeof *s->l);
	c->events = dup_array(s->events, s->n_events * sizeof *s->events);
	st->n++;
	if (!c->types || !c->counts || !c->l_off || !c->l || !c->events)
		return IDN_ENOMEM;
	return IDN_OK;
}

static void store_release(struct slot_store *st)
{
	for (uint64_t i = 0; i < st->n; i++) {
		free((void *)st->slots[i].types);
		free((void *)st->slots[i].counts);
		free((void *)st->slots[i].l_off);
		free((void *)st->slots[i].l);
		free((void *)st->slots[i].events);
	}
	free(st->slots);
}

/* Close the gathered slot: play it now, or keep it for later. */
static int finish_slot(struct engine *eng, uint64_t index,
                       struct slot_store *st, struct outfile *out,
                       struct idn_err *e)
{
	struct idn_slot s;
	size_t n_l;
	int rc;

	if (gather_slot(eng, index, &s, &n_l) != IDN_OK)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	if (st)
		rc = store_slot(st, &s, n_l) == IDN_OK
		     ? IDN_OK : idn_fail(e, IDN_ENOMEM, "out of memory");
	else
		rc = play_slot(eng, &s, out, e);
	gather_reset(&eng->g);
	return rc;
}

/* Turn the feed's slot into the gathered slot: a type per pair (made on
 * first use; an unreachable task fails with the line of its request),
 * its count, and the events by type. */
static int take_slot(struct engine *eng, const struct trace_reader *tr,
                     const struct feed_slot *fs, struct idn_err *e)
{
	enum { FAR = 16, NEAR = 8 };  /* pairs ahead, by prefetch stage */
	struct gather *g = &eng->g;
	size_t cap = g->cap;

	/* types and counts share a capacity: the second call sets it */
	if (grow_array((void **)&g->types, &cap, sizeof *g->types,
	               fs->n_pairs) ||
	    grow_array((void **)&g->counts, &g->cap, sizeof *g->counts,
	               fs->n_pairs) ||
	    grow_array((void **)&g->events, &g->cap_events, sizeof *g->events,
	               fs->n_events))
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	for (uint32_t i = 0; i < fs->n_pairs; i++) {
		const struct feed_pair *p = &fs->pairs[i];
		if (i + FAR < fs->n_pairs)
			network_prefetch(eng->net, fs->pairs[i + FAR].task,
			                 fs->pairs[i + FAR].source, 0);
		if (i + NEAR < fs->n_pairs)
			network_prefetch(eng->net, fs->pairs[i + NEAR].task,
			                 fs->pairs[i + NEAR].source, 1);
		int rc = network_type(eng->net, p->task, p->source,
		                      &g->types[i], e);
		if (rc != IDN_OK) {
			struct idn_err inner = *e;
			return idn_fail(e, rc, "%s:%llu: task: %s",
			                trace_reader_name(tr),
			                (unsigned long long)p->line, inner.msg);
		}
		g->counts[i] = p->count;
	}
	g->n = fs->n_pairs;
	for (uint32_t j = 0; j < fs->n_events; j++)
		g->events[j] = (struct idn_event){ g->types[fs->events[j].pair],
		                                   fs->events[j].count };
	g->n_events = fs->n_events;
	return IDN_OK;
}

/* Read the trace through a feed (parsing, name lookups and gathering on
 * a second thread); each slot, empty ones included, goes to finish_slot
 * (played at once, or stored when st is not NULL). */
static int read_trace(struct engine *eng, struct trace_reader *tr,
                      struct slot_store *st, struct outfile *out,
                      struct idn_err *e)
{
	const struct feed_config fc = { eng->cfg.slot_length,
	                                eng->cfg.max_slots };
	struct feed *fd;
	struct feed_slot fs;
	uint64_t cur = 0;
	int rc = feed_open(&fd, tr, eng->sc, &fc, e);

	if (rc != IDN_OK)
		return rc;
	while ((rc = feed_next_slot(fd, &fs, e)) == IDN_OK) {
		while (rc == IDN_OK && cur < fs.index)
			rc = finish_slot(eng, cur++, st, out, e);
		/* a slot cut short by an error still makes its types, as
		 * reading in line would have before reaching the error */
		if (rc == IDN_OK)
			rc = take_slot(eng, tr, &fs, e);
		if (rc == IDN_OK && !fs.partial)
			rc = finish_slot(eng, cur++, st, out, e);
		if (rc != IDN_OK)
			break;
	}
	feed_close(fd);
	return rc == IDN_END ? IDN_OK : rc;
}

/* An offline policy sees every slot before the first is served. */
static int run_offline(struct engine *eng, struct trace_reader *tr,
                       struct outfile *out, struct idn_err *e)
{
	struct slot_store st = { 0 };
	char msg[512] = "";
	int rc = read_trace(eng, tr, &st, out, e);

	if (rc == IDN_OK) {
		rc = eng->pl->desc->prepare(eng->state, st.slots, st.n, msg,
		                            sizeof msg);
		if (rc != IDN_OK)
			rc = policy_fail(eng, rc, msg, "prepare failed", e);
	}
	if (rc == IDN_OK)
		rc = start(eng, e);
	for (uint64_t i = 0; rc == IDN_OK && i < st.n; i++)
		rc = play_slot(eng, &st.slots[i], out, e);
	store_release(&st);
	return rc;
}

int engine_run(struct engine *eng, struct trace_reader *tr,
               struct outfile *out, struct idn_err *e)
{
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &eng->start);
	eng->last_progress = eng->start;
	write_header(eng, out);
	if (eng->pl->desc->prepare) {
		rc = run_offline(eng, tr, out, e);
	} else {
		rc = start(eng, e);
		if (rc == IDN_OK)
			rc = read_trace(eng, tr, NULL, out, e);
	}
	if (eng->cfg.progress)
		fputs("\n", stderr);
	return rc;
}

int engine_write_placement(const struct engine *eng, struct outfile *out)
{
	const struct network *net = eng->net;
	const struct scenario *sc = eng->sc;
	double slots = (double)eng->tot.slots;

	outfile_puts(out, "node,tier,model,task,size_mb,share\n");
	for (uint32_t j = 0; eng->held_slots && j < net->n_vars; j++) {
		double held = eng->held_slots[j];
		uint32_t v = net->var_node[j], m = net->var_model[j];
		if (eng->x[j])
			held += slots - eng->held_since[j];
		if (held <= 0 || slots <= 0)
			continue;
		const char *f[] = { sc->node_name[v],
		                    sc->tier_name[sc->node_tier[v]],
		                    sc->model_name[m],
		                    sc->task_name[sc->model_task[m]] };
		for (int k = 0; k < 4; k++) {
			outfile_csv_field(out, f[k]);
			outfile_puts(out, ",");
		}
		outfile_double(out, net->var_size[j]);
		outfile_puts(out, ",");
		outfile_double(out, held / slots);
		outfile_puts(out, "\n");
	}
	return IDN_OK;
}
