/* learn.c - gain, supergradient, capacity shares, projection, rounding.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one implementation of the math in idnbench/learn.h.  The replay
 * engine computes the reported gain and the slot's capacity shares with
 * it, and the policies learn with it, so the numbers they see agree.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "idnbench/learn.h"

/* --- gain and supergradient ---------------------------------------------- */

/* The learned candidates of a type are cands[0..n_cands-2]; the share of
 * candidate k is l[k] and its fractional value y[var]. */
static double type_gain(const struct idn_type *t, double r, const double *l,
                        const double *y)
{
	double cum = 0.0, g = 0.0;

	for (uint32_t k = 0; k + 1 < t->n_cands; k++) {
		cum += l[k] * y[t->cands[k].var];
		g += (t->cands[k + 1].cost - t->cands[k].cost) * fmin(r, cum);
	}
	return g;
}

double idn_gain(const struct idn_host *h, const struct idn_slot *s,
                const double *y)
{
	double g = 0.0;

	for (uint32_t i = 0; i < s->n_types; i++) {
		const struct idn_type *t = h->type(h, s->types[i]);

		g += type_gain(t, s->counts[i], s->l + s->l_off[i], y);
	}
	return g;
}

/* Position K* (0-based) of SPEC section 7: the first candidate at which
 * the cumulative l*y covers the requests; the pinned one if none does. */
static uint32_t kstar(const struct idn_type *t, double r, const double *l,
                      const double *y)
{
	double cum = 0.0;

	for (uint32_t k = 0; k + 1 < t->n_cands; k++) {
		cum += l[k] * y[t->cands[k].var];
		if (cum >= (1.0 - IDN_KSTAR_TOL) * r)
			return k;
	}
	return t->n_cands - 1;
}

double idn_supergradient(const struct idn_host *h, const struct idn_slot *s,
                         const double *y, double *g)
{
	double total = 0.0;

	for (uint32_t i = 0; i < s->n_types; i++) {
		const struct idn_type *t = h->type(h, s->types[i]);
		const double *l = s->l + s->l_off[i];
		double r = s->counts[i];
		uint32_t ks = kstar(t, r, l, y);
		double top = t->cands[ks].cost;

		for (uint32_t k = 0; k < ks; k++)
			g[t->cands[k].var] += l[k] * (top - t->cands[k].cost);
		total += type_gain(t, r, l, y);
	}
	return total;
}

void idn_capacity_shares(const struct idn_host *h, uint32_t n,
                         const uint32_t *types, const double *counts,
                         double seconds, double *scratch,
                         uint32_t *l_off, double *l)
{
	uint32_t off = 0;

	/* S(v,m) accumulates in scratch, indexed by var. */
	for (uint32_t i = 0; i < n; i++) {
		const struct idn_type *t = h->type(h, types[i]);

		l_off[i] = off;
		for (uint32_t k = 0; k + 1 < t->n_cands; k++)
			scratch[t->cands[k].var] += counts[i];
		off += t->n_cands - 1;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct idn_type *t = h->type(h, types[i]);

		for (uint32_t k = 0; k + 1 < t->n_cands; k++) {
			uint32_t v = t->cands[k].var;
			double cap = h->var_capacity[v] * seconds;

			/* isinf guard: inf/S is inf anyway, but S may be 0
			 * only for a zero count, and 0*inf must not appear. */
			l[l_off[i] + k] = isinf(cap) ? counts[i]
			                  : counts[i] * fmin(1.0, cap / scratch[v]);
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct idn_type *t = h->type(h, types[i]);

		for (uint32_t k = 0; k + 1 < t->n_cands; k++)
			scratch[t->cands[k].var] = 0.0;
	}
}

/* --- marginal gains ------------------------------------------------------ */

static int index_reserve(struct idn_var_index *ix, uint32_t n_vars,
                         size_t n_ent)
{
	if (ix->n_vars != n_vars || !ix->off) {
		uint32_t *off = realloc(ix->off, (n_vars + 1u) * sizeof(*off));

		if (!off)
			return IDN_ENOMEM;
		ix->off = off;
		ix->n_vars = n_vars;
	}
	if (n_ent > ix->cap) {
		struct idn_listing *e = realloc(ix->ent, n_ent * sizeof(*e));

		if (!e)
			return IDN_ENOMEM;
		ix->ent = e;
		ix->cap = n_ent;
	}
	return IDN_OK;
}

int idn_var_index_build(struct idn_var_index *ix, const struct idn_host *h,
                        const struct idn_slot *s)
{
	size_t n_ent = 0;
	int rc;

	for (uint32_t i = 0; i < s->n_types; i++)
		n_ent += h->type(h, s->types[i])->n_cands - 1;
	rc = index_reserve(ix, h->n_vars, n_ent ? n_ent : 1);
	if (rc)
		return rc;
	memset(ix->off, 0, (h->n_vars + 1u) * sizeof(*ix->off));
	/* Counting sort: count per var into off[v+1], prefix-sum, place. */
	for (uint32_t i = 0; i < s->n_types; i++) {
		const struct idn_type *t = h->type(h, s->types[i]);

		for (uint32_t k = 0; k + 1 < t->n_cands; k++)
			ix->off[t->cands[k].var + 1]++;
	}
	for (uint32_t v = 0; v < h->n_vars; v++)
		ix->off[v + 1] += ix->off[v];
	for (uint32_t i = 0; i < s->n_types; i++) {
		const struct idn_type *t = h->type(h, s->types[i]);

		for (uint32_t k = 0; k + 1 < t->n_cands; k++) {
			uint32_t v = t->cands[k].var;

			ix->ent[ix->off[v]++] = (struct idn_listing){ i, k };
		}
	}
	/* Placing advanced off[v] to the old off[v+1]: shift back. */
	for (uint32_t v = h->n_vars; v > 0; v--)
		ix->off[v] = ix->off[v - 1];
	ix->off[0] = 0;
	return IDN_OK;
}

void idn_var_index_free(struct idn_var_index *ix)
{
	free(ix->off);
	free(ix->ent);
	memset(ix, 0, sizeof(*ix));
}

/* Change of one type's term of G when candidate kk goes from y to 1: the
 * cumulative sums from kk on grow by l[kk]*(1-y), and each min(r, .)
 * difference is taken separately so that "no change" is exactly 0. */
static double type_delta(const struct idn_type *t, double r, const double *l,
                         const double *y, uint32_t kk)
{
	double cum = 0.0, d = 0.0, add;

	for (uint32_t k = 0; k < kk; k++)
		cum += l[k] * y[t->cands[k].var];
	add = l[kk] * (1.0 - y[t->cands[kk].var]);
	for (uint32_t k = kk; k + 1 < t->n_cands; k++) {
		double before;

		cum += l[k] * y[t->cands[k].var];
		before = fmin(r, cum);
		if (before >= r)
			break;
		d += (t->cands[k + 1].cost - t->cands[k].cost)
		     * (fmin(r, cum + add) - before);
	}
	return d;
}

double idn_marginal_gain(const struct idn_host *h, const struct idn_slot *s,
                         const struct idn_var_index *ix, const double *y,
                         uint32_t var)
{
	double d = 0.0;

	assert(var < ix->n_vars);
	for (uint32_t e = ix->off[var]; e < ix->off[var + 1]; e++) {
		uint32_t i = ix->ent[e].item;

		d += type_delta(h->type(h, s->types[i]), s->counts[i],
		                s->l + s->l_off[i], y, ix->ent[e].k);
	}
	return d;
}

/* --- projection ---------------------------------------------------------- */

/* log(exp(a) + exp(b)) without overflow; a may be -INFINITY. */
static double log_add(double a, double b)
{
	double hi = fmax(a, b), lo = fmin(a, b);

	if (hi == -INFINITY)
		return hi;
	return hi + log1p(exp(lo - hi));
}

static int cmp_desc(const void *pa, const void *pb)
{
	double a = ((const struct idn_proj_item *)pa)->lyh;
	double b = ((const struct idn_proj_item *)pb)->lyh;

	return (a < b) - (a > b);
}

static int check_project_args(uint32_t n, const double *size, double budget,
                              const double *logyhat)
{
	if (!(budget > 0.0) || !isfinite(budget))
		return IDN_EDATA;
	for (uint32_t i = 0; i < n; i++)
		if (!(size[i] > 0.0) || size[i] > budget + IDN_BUDGET_TOL
		    || !isfinite(logyhat[i]))
			return IDN_EDATA;
	return IDN_OK;
}

/* The max over k of log c_k (see log_scale below) for the items
 * w[0..n-1] (lyh, size and lw filled; sorted here) plus a never-capped
 * rest of mass exp(log_rest) (-INFINITY for none), which joins every
 * tail T_k; with a rest, "all n items capped" is one more candidate. */
static double log_scale_items(uint32_t n, double budget, double log_rest,
                              struct idn_proj_item *w)
{
	double capped = 0.0, best = -INFINITY, acc = log_rest;
	uint32_t k;

	qsort(w, n, sizeof(*w), cmp_desc);
	for (uint32_t i = n; i-- > 0;) {
		acc = log_add(acc, w[i].lw);
		w[i].tail = acc;
	}
	for (k = 0; k < n && capped < budget; k++) {
		best = fmax(best, log(budget - capped) - w[k].tail);
		capped += w[k].size;
	}
	if (k == n && capped < budget && log_rest > -INFINITY)
		best = fmax(best, log(budget - capped) - log_rest);
	return best;
}

/* log c* of the KKT form y = min(1, c*yhat), when scaling is needed.
 * With the top k entries (by yhat) at the cap and the rest scaled, the
 * budget gives c_k = (b - S_k) / T_k (S_k the capped sizes, T_k the rest's
 * size*yhat).  Since sum size*min(1, c*yhat) <= S_k + c*T_k for every k
 * and equality holds for the true cap set, c* = max over k of c_k (over
 * the k with S_k < b).  One sort plus one pass, all in logs. */
static double log_scale(uint32_t n, const double *size, double budget,
                        const double *logyhat, struct idn_proj_item *w)
{
	for (uint32_t i = 0; i < n; i++)
		w[i] = (struct idn_proj_item){ logyhat[i], size[i],
		                               log(size[i]) + logyhat[i], 0 };
	return log_scale_items(n, budget, -INFINITY, w);
}

int idn_project(uint32_t n, const double *size, double budget,
                const double *logyhat, double *logy, double *y,
                struct idn_proj_item *work)
{
	double used = 0.0, lc = 0.0;
	int rc = check_project_args(n, size, budget, logyhat);

	if (rc)
		return rc;
	for (uint32_t i = 0; i < n; i++)
		used += size[i] * exp(fmin(0.0, logyhat[i]));
	if (used > budget)
		lc = fmin(0.0, log_scale(n, size, budget, logyhat, work));
	for (uint32_t i = 0; i < n; i++) {
		logy[i] = fmin(0.0, lc + logyhat[i]);
		y[i] = exp(logy[i]);
	}
	return IDN_OK;
}

/* --- lazy projection ------------------------------------------------------ */

double idn_lazy_y(const double *a, const struct idn_lazy_node *st,
                  uint32_t i)
{
	return exp(fmin(0.0, a[i] + st->shift));
}

static double lazy_mass(uint32_t n, const double *size, const double *a,
                        const struct idn_lazy_node *st)
{
	double m = 0.0;

	for (uint32_t i = 0; i < n; i++)
		m += size[i] * idn_lazy_y(a, st, i);
	return m;
}

void idn_lazy_start(uint32_t n, const double *size, const double *y,
                    double *a, struct idn_lazy_node *st)
{
	*st = (struct idn_lazy_node){ 0.0, 0.0, 0, 0 };
	for (uint32_t i = 0; i < n; i++)
		a[i] = log(y[i]);
	st->mass = lazy_mass(n, size, a, st);
}

static int check_lazy_args(double budget, uint32_t k, const uint32_t *idx,
                           const double *size, const double *step)
{
	if (!(budget > 0.0) || !isfinite(budget))
		return IDN_EDATA;
	for (uint32_t j = 0; j < k; j++)
		if (!(size[idx[j]] > 0.0)
		    || size[idx[j]] > budget + IDN_BUDGET_TOL
		    || !isfinite(step[idx[j]]))
			return IDN_EDATA;
	return IDN_OK;
}

/* Fold shift into a (entries at the cap stay exactly at log y = 0) and
 * recompute the mass exactly: the O(n) upkeep of the lazy form. */
static void lazy_upkeep(uint32_t n, const double *size, double *a,
                        struct idn_lazy_node *st)
{
	if (fabs(st->shift) > IDN_LAZY_SHIFT_MAX) {
		for (uint32_t i = 0; i < n; i++)
			a[i] = fmin(0.0, a[i] + st->shift);
		st->shift = 0.0;
	}
	st->mass = lazy_mass(n, size, a, st);
	st->since = 0;
}

/* The untouched vars form the never-capped rest of log_scale_items: their
 * yhat = y <= 1 and c <= 1.  Their mass is the node's minus the touched
 * vars' old mass (clamped: cancellation may leave a hair below 0). */
int idn_lazy_step(uint32_t n, const double *size, double budget, double *a,
                  struct idn_lazy_node *st, uint32_t k, const uint32_t *idx,
                  const double *step, struct idn_proj_item *work)
{
	double rest = st->mass, used, lc = 0.0, shift = st->shift;
	int rc = check_lazy_args(budget, k, idx, size, step);

	if (rc)
		return rc;
	for (uint32_t j = 0; j < k; j++) {
		uint32_t i = idx[j];
		double ly = fmin(0.0, a[i] + shift);

		rest -= size[i] * exp(ly);
		work[j] = (struct idn_proj_item){ ly + step[i], size[i],
		                                  log(size[i]) + ly + step[i],
		                                  0 };
	}
	rest = fmax(0.0, rest);
	used = rest;
	for (uint32_t j = 0; j < k; j++)
		used += work[j].size * exp(fmin(0.0, work[j].lyh));
	if (used > budget)
		lc = fmin(0.0, log_scale_items(k, budget, log(rest), work));
	/* work is sorted now: the touched values are recomputed from idx
	 * (the same expressions, so the same log yhat as above). */
	st->shift = shift + lc;
	st->mass = exp(lc) * rest;
	for (uint32_t j = 0; j < k; j++) {
		uint32_t i = idx[j];
		double ly = fmin(0.0, lc + (fmin(0.0, a[i] + shift) + step[i]));

		a[i] = ly - st->shift;   /* exactly -shift at the cap */
		st->mass += size[i] * exp(ly);
	}
	st->gen++;
	st->since += k;
	if (st->since >= n || fabs(st->shift) > IDN_LAZY_SHIFT_MAX)
		lazy_upkeep(n, size, a, st);
	return IDN_OK;
}

/* --- rounding ------------------------------------------------------------ */

/* After a pairwise move the entry that hit its bound is set exactly; the
 * other one is snapped when this close to a bound (a tie), so float drift
 * never leaves a 1e-17 "fractional" entry behind. */
#define SNAP 1e-13

static int is_fractional(double v)
{
	return v > 0.0 && v < 1.0;
}

static double snap(double v)
{
	return v < SNAP ? 0.0 : v > 1.0 - SNAP ? 1.0 : v;
}

static double draw(struct idn_rng *rng, const double *u, uint32_t j)
{
	return u ? u[j] : idn_rng_uniform(rng);
}

/* Merge fractional entry j (value *c, size sj) into the running fractional
 * entry (value *a, size si), keeping si*a + sj*c and both expectations; at
 * least one of them ends at 0 or 1.  j goes up iff p < P(j up), which
 * makes the outcome monotone in y_j for a fixed draw p. */
static void merge_pair(double si, double *a, double sj, double *c, double p)
{
	double ratio = sj / si;
	double up = fmin(1.0 - *c, *a / ratio);     /* j up, i down */
	double down = fmin(*c, (1.0 - *a) / ratio); /* j down, i up */
	int j_hits;

	if (p * (up + down) < down) {
		j_hits = 1.0 - *c <= *a / ratio;
		*a -= up * ratio;
		*c += up;
		if (j_hits)
			*c = 1.0;
		else
			*a = 0.0;
	} else {
		j_hits = *c <= (1.0 - *a) / ratio;
		*a += down * ratio;
		*c -= down;
		if (j_hits)
			*c = 0.0;
		else
			*a = 1.0;
	}
	*a = snap(*a);
	*c = snap(*c);
}

/* Snapping could in theory push the integral part a hair over the budget;
 * drop the highest-index models until it fits.  Never seen in practice
 * (the tests check that the budget holds without it mattering). */
static double repair(uint32_t n, const double *size, double budget,
                     uint8_t *x, uint32_t skip)
{
	double used = 0.0;

	for (uint32_t j = 0; j < n; j++)
		if (x[j] && j != skip)
			used += size[j];
	for (uint32_t j = n; j-- > 0 && used > budget + IDN_BUDGET_TOL;)
		if (x[j] && j != skip) {
			x[j] = 0;
			used -= size[j];
		}
	return used;
}

void idn_depround(uint32_t n, const double *size, double budget,
                  const double *y, struct idn_rng *rng, const double *u,
                  uint8_t *x)
{
	uint32_t cur = UINT32_MAX, first = UINT32_MAX;
	double a = 0.0, used;

	for (uint32_t j = 0; j < n; j++) {
		double c = y[j];

		if (is_fractional(c) && cur != UINT32_MAX) {
			merge_pair(size[cur], &a, size[j], &c, draw(rng, u, j));
			if (!is_fractional(a)) {
				x[cur] = a >= 0.5;
				cur = UINT32_MAX;
			}
		}
		if (!is_fractional(c)) {
			x[j] = c >= 0.5;
		} else {
			/* A merge settles one side, so j is fractional
			 * here only when there is no running entry. */
			assert(cur == UINT32_MAX);
			cur = j;
			a = c;
			if (first == UINT32_MAX)
				first = j;
		}
	}
	used = repair(n, size, budget, x, cur);
	if (cur != UINT32_MAX)
		x[cur] = used + size[cur] <= budget + IDN_BUDGET_TOL
		         && draw(rng, u, first) < a;
}
