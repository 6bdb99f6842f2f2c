/* idnbench/learn.h - the shared math of the learning policies (installed).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One implementation of the relaxed gain, its supergradient, the weighted
 * negative-entropy projection and randomized rounding (SPEC sections 5
 * and 7), used by every policy and by the tests.  Vectors indexed by var
 * have host->n_vars entries; pinned models are implicitly 1.
 *
 * Ownership: every pointer argument is borrowed for the duration of the
 * call; nothing here keeps a pointer or allocates, except the var index
 * (idn_var_index_build / idn_var_index_free), which owns its arrays.
 * Nothing here has global state, so all functions are reentrant.
 */
#ifndef IDNBENCH_LEARN_H
#define IDNBENCH_LEARN_H

#include "idnbench/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Absolute tolerance of every budget comparison (SPEC section 1). */
#define IDN_BUDGET_TOL 1e-9

/* K* of SPEC section 7 stops at the first candidate whose cumulative
 * l*y reaches (1 - IDN_KSTAR_TOL) r. */
#define IDN_KSTAR_TOL 1e-9

/* --- gain and its supergradient ------------------------------------------ */

/* G(r, y) of SPEC section 5 for the slot s: for every type,
 *   sum_{k<K} (gamma_{k+1} - gamma_k) * min(r, sum_{k'<=k} l_k' y_k').
 * Works for integral y (0/1) and fractional y alike. */
double idn_gain(const struct idn_host *h, const struct idn_slot *s,
                const double *y);

/* Adds the supergradient of SPEC section 7 at y to g (g is not cleared,
 * so the caller zeroes the entries it reads) and returns G(r, y).  Cost
 * O(sum of the touched types' candidate counts).  Every added term is
 * >= 0.  Where G is differentiable (no cumulative sum equal to r) this is
 * its gradient. */
double idn_supergradient(const struct idn_host *h, const struct idn_slot *s,
                         const double *y, double *g);

/* Capacity shares of SPEC section 4 for types[0..n-1] with counts, over
 * a period of `seconds` (D for one slot, n*D for a window): fills
 * l_off[0..n-1] and l (sum of (K-1) over the types entries).  scratch
 * has n_vars entries, all zero on entry and on return.  Cost O(sum of
 * the types' candidate counts); infinite capacity gives l = r. */
void idn_capacity_shares(const struct idn_host *h, uint32_t n,
                         const uint32_t *types, const double *counts,
                         double seconds, double *scratch,
                         uint32_t *l_off, double *l);

/* --- marginal gains (GREEDY and friends) --------------------------------- */

/* Where each var appears in the types of one (possibly aggregated) slot:
 * for var v, ent[off[v]..off[v+1]-1] are the (slot type index, candidate
 * position) pairs of the types listing v before their pinned candidate. */
struct idn_listing {
	uint32_t item;  /* index into s->types */
	uint32_t k;     /* position of the var among the type's candidates */
};

struct idn_var_index {
	uint32_t n_vars;
	uint32_t *off;            /* n_vars + 1 entries */
	struct idn_listing *ent;
	size_t cap;               /* allocated entries of ent */
};

/* Build (or rebuild, reusing memory) the index for the slot s.  ix must be
 * zero-initialised before the first build.  Returns IDN_OK or
 * IDN_ENOMEM (then ix is still safe to free). */
int idn_var_index_build(struct idn_var_index *ix, const struct idn_host *h,
                        const struct idn_slot *s);
void idn_var_index_free(struct idn_var_index *ix);

/* The marginal gain of setting var to 1 in y (SPEC section 7, GREEDY):
 * the sum over the types listing var of their term of G with y_var = 1
 * minus the term with y_var as given.  Computed as a sum of per-candidate
 * differences, so it is exactly 0 when nothing changes.  Cost O(sum of
 * the listing types' candidate counts). */
double idn_marginal_gain(const struct idn_host *h, const struct idn_slot *s,
                         const struct idn_var_index *ix, const double *y,
                         uint32_t var);

/* --- projection ----------------------------------------------------------- */

/* Scratch of idn_project (one per var of the node). */
struct idn_proj_item {
	double lyh;   /* log yhat */
	double size;
	double lw;    /* log(size) + log yhat */
	double tail;  /* log of sum over this and later items of size*yhat */
};

/* Weighted KL projection of SPEC section 7 for one node with n vars of
 * sizes size[] (each in (0, budget]) and budget > 0: given log yhat
 * (finite), writes y = min(1, c*yhat) with the largest c in (0, 1] such
 * that sum size*y <= budget, both as logy (<= 0, finite) and as y =
 * exp(logy).  Entries at the cap are exactly 1 (logy exactly 0).  Works in
 * the log domain, so any finite log yhat is fine (no overflow for a huge
 * step eta*g/size, and a y that underflows to 0 keeps a finite log from
 * which it can grow back).  logyhat may alias logy.  Cost O(n log n);
 * O(n) when no scaling is needed.  Returns IDN_OK, or IDN_EDATA for a
 * non-positive budget, a size outside (0, budget] or a non-finite log. */
int idn_project(uint32_t n, const double *size, double budget,
                const double *logyhat, double *logy, double *y,
                struct idn_proj_item *work);

/* --- randomized rounding ------------------------------------------------- */

/* Weighted DepRound (SPEC section 7) of one node's y[0..n-1] (in [0,1])
 * into x[0..n-1] (0/1): repeated pairwise moves between two fractional
 * entries that keep sum size*y and each entry's expectation; the last
 * fractional entry is rounded down if rounding it up would overflow the
 * budget (with IDN_BUDGET_TOL), else up with probability its value.  So
 * sum size*x <= budget always when sum size*y <= budget, and E[x] = y
 * whenever the last step never has to round down (e.g. equal sizes and
 * a budget that is a multiple of them).
 *
 * Draws: with u == NULL every decision takes a fresh idn_rng_uniform(rng)
 * (plain DepRound).  With u != NULL (u[0..n-1] in [0,1), rng unused) the
 * decision that merges fractional entry j into the running one uses u[j],
 * and the final rounding uses u of the first fractional entry; each u[j]
 * serves at most one decision, so for i.i.d. uniform u the distribution of
 * x is exactly that of DepRound.  Decisions are monotone (entry j goes up
 * iff u[j] < P(j goes up)), so reusing the same u after y moves a little
 * changes x only where a probability crossed its draw: this is the
 * "coupled" rounding described below. */
void idn_depround(uint32_t n, const double *size, double budget,
                  const double *y, struct idn_rng *rng, const double *u,
                  uint8_t *x);

/* Coupled rounding (INFIDA option rounding=coupled): each var keeps one
 * uniform draw u for the whole run and every refresh rounds with
 * idn_depround(..., u, ...).  Properties:
 *   - budgets: the same as DepRound's (never exceeded);
 *   - marginals: at every refresh x has exactly DepRound's distribution,
 *     so E[x_t] = y_t where DepRound has it and the per-slot (1 - 1/e)
 *     guarantee is unchanged (the request sequence is oblivious, so the
 *     dependence between slots does not enter the expected gain);
 *   - stability: x_t is a deterministic function of y_t, so a node whose
 *     y did not move keeps its models, and a small move changes only the
 *     decisions whose probability crossed its draw (plus the entries that
 *     a changed decision hands on to the next merge).  Plain DepRound
 *     redraws everything and changes about sum y(1-y) sizes per refresh
 *     regardless of how little y moved.
 * tests/test_learn.c measures both (update MB per refresh). */


/* --- lazy projection (INFIDA's per-slot step) ----------------------------- */

/* The projection above costs O(n log n) over all of a node's vars, but a
 * step with g >= 0 raises only the k touched vars, and then every other
 * var just scales by the same c <= 1 (its yhat = y <= 1 is never capped).
 * So a node keeps its y implicitly as log y_m = a[m] + shift, with the
 * node's mass kept alongside, and a step costs O(k log k): the untouched
 * vars move by changing `shift` alone.  The result is that of idn_project
 * on the full vector up to floating-point rounding (tests/test_learn.c
 * checks 1e-9 relative over long random sequences).
 *
 * Invariants: a[m] + shift <= 0, exactly 0 for entries at the cap; mass =
 * sum size*y up to rounding drift, which is bounded by recomputing it
 * exactly once per n touched vars (amortised O(1) per touched var);
 * |shift| is kept <= IDN_LAZY_SHIFT_MAX by folding it into a (O(n), once
 * per IDN_LAZY_SHIFT_MAX of accumulated log-scaling), so that a[m] +
 * shift loses no more than ~IDN_LAZY_SHIFT_MAX ulps of precision. */
#define IDN_LAZY_SHIFT_MAX 1024.0

struct idn_lazy_node {
	double shift;    /* log y_m = a[m] + shift */
	double mass;     /* sum size*y over the node's vars */
	uint64_t gen;    /* bumped by every step: cached y's older are stale */
	uint64_t since;  /* touched vars since mass was last recomputed */
};

/* Start from y[0..n-1] (in [0,1]): a = log y, shift 0, gen 0. */
void idn_lazy_start(uint32_t n, const double *size, const double *y,
                    double *a, struct idn_lazy_node *st);

/* The current y of var i: exp(min(0, a[i] + shift)).  O(1). */
double idn_lazy_y(const double *a, const struct idn_lazy_node *st,
                  uint32_t i);

/* One step and projection: log yhat_m = log y_m + step[m] for the k
 * distinct vars idx[0..k-1] (step indexed like a, only those entries
 * read, each finite), log yhat_m = log y_m for the others; then y =
 * min(1, c*yhat) as in idn_project, with y feasible on entry.  work has
 * at least k entries.  Cost O(k log k) plus the amortised upkeep above.
 * Returns IDN_OK, or IDN_EDATA (nothing changed) for a non-positive
 * budget, a touched size outside (0, budget] or a non-finite step. */
int idn_lazy_step(uint32_t n, const double *size, double budget, double *a,
                  struct idn_lazy_node *st, uint32_t k, const uint32_t *idx,
                  const double *step, struct idn_proj_item *work);

#ifdef __cplusplus
}
#endif
#endif
