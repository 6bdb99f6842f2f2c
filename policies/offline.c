/* offline.c - OFFLINE: the best static allocation in hindsight (plugin).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Idea.  An offline policy sees the whole trace before slot 0 (the
 * engine's prepare() callback) and serves one fixed allocation x for all
 * of it (SPEC section 7, STATIC / OFFLINE).  It answers two questions for
 * the experiments: how good could any static placement be (an upper
 * bound), and how good is a concrete static placement found with that
 * knowledge.  Online policies such as INFIDA are measured against both.
 *
 * Math (SPEC section numbers in brackets).  With the per-slot shares l_t
 * of [4] and the gain of [5], the offline problem is
 *     max_x  F(x) = sum_t G(r_t, x)
 *     s.t.   x in {0,1}^vars,  sum_{m in M_v} s_m x_m <= b_v  per node [7]
 * F is a sum of concave functions of nonnegative linear forms, so it is
 * monotone submodular in x; the problem is NP-hard (it contains the
 * knapsack problem).  Replacing x by y in [0,1] gives a concave program
 * whose value bounds F(x) for every feasible static x.
 *
 * LP formulation of the relaxation.  G is a sum of terms
 * c_k * min(r, cum_k), c_k = gamma_{k+1} - gamma_k >= 0 and
 * cum_k = sum_{k'<=k} l_k' y_k', one per (slot, type, k < K-1).  Each term
 * gets a variable w_k with 0 <= w_k <= r, and the objective is
 * sum c_k w_k.  Instead of w_k <= cum_k (k+1 nonzeros per row, O(K^2) per
 * type) the rows are chained:
 *     w_0 - l_0 y_0 <= 0,   w_k - w_{k-1} - l_k y_k <= 0   (k >= 1).
 * Both give the same LP value: by induction every feasible w_k is
 * <= min(r, cum_k), and w_k = min(r, cum_k) for all k at once is feasible
 * because min(r, min(r, a) + b) = min(r, a + b) for b >= 0.  Add one row
 * sum_{m in M_v} s_m y_m <= b_v + 1e-9 per node with learned vars (the
 * tolerance of [1], so every allocation the engine accepts is LP
 * feasible), 0 <= y <= 1.  Size: rows = columns - n_vars = (number of
 * terms) + (nodes with vars); at most 3 nonzeros per term row.
 *
 * Aggregation (option aggregate, default 1).  A term depends on its slot
 * only through (type, r, shares l), and G is positively homogeneous in
 * (r, l): r * sum_k c_k min(1, sum_{k'<=k} (l_k'/r) y_k').  So terms of
 * the same type whose shares per request l_k / r are bitwise equal merge
 * into one term with r = the sum of their counts and l = that sum times
 * the shares.  Shares per request are min(1, L/S) (SPEC [4]): exactly 1
 * wherever capacity is not contended, so all uncongested occurrences of
 * a type, whatever their counts, become one term; congested ones merge
 * when their slots have the same load S on every candidate.  This
 * subsumes merging slots with identical (type, count) vectors.  The
 * merged terms form one "virtual slot" whose G is F (up to rounding),
 * used both by the LP and by the greedy below.  aggregate=0 keeps one
 * term per (slot, type) (for tests and comparisons).
 *
 * Size and limits.  GLPK's simplex is the bottleneck.  Measured on a
 * 15-node tree (traces/tree-small topology) with 60 models, 10 tasks and
 * 1000 one-second slots, dual simplex, whole idn-replay run:
 *   8 access nodes x 20 req/s (uncongested): 62178 terms -> 137
 *     distinct, LP 1384 rows x 1774 columns, 0.6 s, 14 MB;
 *   8 x 150 req/s (congested): 79975 terms -> 12889 distinct, LP
 *     144812 rows x 145202 columns, 425 s, 220 MB (method=greedy: 0.3 s);
 *   without merging, 100 slots of the first trace: 68566 rows, 220 s.
 * If the LP has more than max_rows
 * rows (default 2 000 000, a few GB in GLPK and hours of simplex),
 * prepare fails naming the size: use method=greedy (no LP, no bound) or
 * raise max_rows.  Option solver picks primal or dual simplex or the
 * interior-point method.

 * Integral allocations (option method):
 *   lp      round the LP optimum y: per node, vars by y descending (ties:
 *           lower var), each kept if it still fits; then complete with
 *           the lazy greedy below started from that set (only adds).
 *           This is plain threshold rounding, not pipage: no worst-case
 *           factor is claimed.
 *   greedy  lazy greedy from the empty set on F, twice: repeatedly add
 *           the var with the largest positive marginal gain of F per MB
 *           (greedy-mb), or of F itself (greedy-gain), that still fits
 *           its node (ties: lower var), all nodes in one queue (unlike
 *           GREEDY of [7], nodes see each other's choices, which suits a
 *           static plan); the better of the two is kept.  Marginal gains
 *           only shrink as x grows (submodularity), so stale queue
 *           entries are upper bounds and only the top one is
 *           re-evaluated.  Per-MB greedy alone has no constant factor
 *           under knapsacks (one big valuable model loses to small ones);
 *           taking the better of the per-MB and the plain run is the
 *           classic remedy, but no factor is claimed for this
 *           multi-knapsack, non-modular F: it is a heuristic.
 *   best    (default) all three plans, keeping the largest F (ties: in
 *           the order lp, greedy-mb, greedy-gain).  The method printed is
 *           the plan kept.
 * F is always recomputed from the original slots (sum_t idn_gain) to
 * compare and report, so aggregation cannot bias the choice.  With
 * exact=1 the LP is solved as a MILP (y binary, GLPK branch and bound)
 * and its solution is served instead: meant for small instances (tests),
 * refused above 256 vars.
 *
 * Output: stderr gets one line at the end of prepare with the bound, the
 * served allocation's F, their ratio, the plan kept and the LP's size
 * (rows x columns, distinct terms of all terms); every row carries
 * lp_bound (nan with method=greedy, where no LP is solved) and
 * static_gain = F(x), the same value on every row.
 *
 * GLPK aborts the process on internal errors (e.g. out of memory); its
 * terminal output is switched off.
 */
#include <glpk.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "idnbench/learn.h"

#define DEFAULT_MAX_ROWS 2000000u
#define EXACT_MAX_VARS 256u
/* y below this counts as 0 when rounding (simplex noise). */
#define Y_EPS 1e-9

enum method { METHOD_BEST, METHOD_LP, METHOD_GREEDY };
enum solver { SOLVER_PRIMAL, SOLVER_DUAL, SOLVER_INTERIOR, N_SOLVERS };
static const char *const solver_name[N_SOLVERS] = { "primal", "dual",
                                                    "interior" };

struct offline {
	const struct idn_host *h;
	enum method method;
	enum solver solver;
	uint64_t exact, aggregate, max_rows;
	size_t n_terms, n_distinct;   /* terms of the trace, after merging */
	uint64_t lp_rows, lp_cols;    /* 0 when no LP was built */
	int prepared;
	uint8_t *x;            /* the static allocation, n_vars entries */
	double bound, gain;
};

/* The aggregated terms as one slot (arrays owned here). */
struct vslot {
	struct idn_slot s;
	uint32_t *types, *l_off;
	double *counts, *l;
	size_t n_l;
};

/* A distinct term: slot and item of its first occurrence, and the sum
 * of the counts r of the terms merged into it. */
struct term_ref {
	uint64_t slot;
	uint32_t item;
	double mass;
};

/* A lazy-greedy queue entry: ratio is exact when stamp equals the number
 * of additions so far, an upper bound otherwise. */
struct qent {
	double ratio;
	uint32_t var;
	uint64_t stamp;
};

struct heap {
	struct qent *e;
	size_t n;
};

static const char *const offline_extra[] = { "lp_bound", "static_gain",
                                             NULL };

static const struct idn_option_doc offline_options[] = {
	{ "method", "best", "integral allocation: lp (rounded LP), greedy "
	  "(lazy greedy, no LP), best (both, keep the better)" },
	{ "exact", "0", "1: solve the MILP exactly (at most 256 vars)" },
	{ "aggregate", "1", "merge equal (type, count, shares) terms across "
	  "slots" },
	{ "max_rows", "2000000", "refuse an LP with more rows" },
	{ "solver", "dual", "LP algorithm: primal or dual simplex, or "
	  "interior (point)" },
	{ NULL, NULL, NULL }
};

/* --- options and state ---------------------------------------------------- */

static void offline_destroy(void *state)
{
	struct offline *p = state;

	if (!p)
		return;
	free(p->x);
	free(p);
}

static int parse_flag(const struct idn_option *opts, size_t n,
                      const char *key, uint64_t *out, char *err,
                      size_t errlen)
{
	int rc = idn_option_uint(opts, n, key, *out, out, err, errlen);

	if (!rc && *out > 1) {
		snprintf(err, errlen, "option %s: must be 0 or 1", key);
		rc = IDN_EUSAGE;
	}
	return rc;
}

static int parse_options(struct offline *p, const struct idn_option *opts,
                         size_t n, char *err, size_t errlen)
{
	const char *m = idn_option_find(opts, n, "method");
	int rc;

	if (!m || strcmp(m, "best") == 0)
		p->method = METHOD_BEST;
	else if (strcmp(m, "lp") == 0)
		p->method = METHOD_LP;
	else if (strcmp(m, "greedy") == 0)
		p->method = METHOD_GREEDY;
	else {
		snprintf(err, errlen, "option method: expected lp, greedy or "
		         "best, got '%s'", m);
		return IDN_EUSAGE;
	}
	p->solver = SOLVER_DUAL;
	m = idn_option_find(opts, n, "solver");
	for (int i = 0; m && i < N_SOLVERS; i++)
		if (strcmp(m, solver_name[i]) == 0) {
			p->solver = (enum solver)i;
			m = NULL;
		}
	if (m) {
		snprintf(err, errlen, "option solver: expected primal, dual or "
		         "interior, got '%s'", m);
		return IDN_EUSAGE;
	}
	p->exact = 0;
	p->aggregate = 1;
	rc = parse_flag(opts, n, "exact", &p->exact, err, errlen);
	if (!rc)
		rc = parse_flag(opts, n, "aggregate", &p->aggregate, err,
		                errlen);
	if (!rc)
		rc = idn_option_uint(opts, n, "max_rows", DEFAULT_MAX_ROWS,
		                     &p->max_rows, err, errlen);
	if (!rc && p->exact && p->method == METHOD_GREEDY) {
		snprintf(err, errlen, "option exact=1 needs the LP: not with "
		         "method=greedy");
		rc = IDN_EUSAGE;
	}
	return rc;
}

static int offline_create(const struct idn_host *h,
                          const struct idn_option *opts, size_t n_opts,
                          void **state, char *err, size_t errlen)
{
	struct offline *p = calloc(1, sizeof(*p));
	int rc;

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return IDN_ENOMEM;
	}
	p->h = h;
	p->bound = NAN;
	rc = parse_options(p, opts, n_opts, err, errlen);
	if (!rc && !(p->x = calloc(h->n_vars + 1u, 1))) {
		snprintf(err, errlen, "out of memory");
		rc = IDN_ENOMEM;
	}
	if (rc) {
		offline_destroy(p);
		return rc;
	}
	*state = p;
	return IDN_OK;
}

/* --- aggregation ------------------------------------------------------------ */

static uint32_t n_learned(const struct idn_host *h, uint32_t type)
{
	return h->type(h, type)->n_cands - 1;
}

static uint64_t fnv(uint64_t x, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		x = (x ^ b[i]) * 1099511628211ull;
	return x;
}

/* Share of candidate k per request: l_k / r, in (0, 1]. */
static double share(const struct idn_slot *s, uint32_t i, uint32_t k)
{
	return s->l[s->l_off[i] + k] / s->counts[i];
}

static uint64_t term_hash(const struct idn_host *h, const struct idn_slot *s,
                          uint32_t i)
{
	uint64_t x = fnv(1469598103934665603ull, &s->types[i],
	                 sizeof(*s->types));

	for (uint32_t k = 0; k < n_learned(h, s->types[i]); k++) {
		double q = share(s, i, k);

		x = fnv(x, &q, sizeof(q));
	}
	return x;
}

/* Same type and bitwise equal shares per request (consistent with
 * term_hash: r > 0, so no NaN or signed zero). */
static int term_same(const struct idn_host *h, const struct idn_slot *a,
                     uint32_t i, const struct idn_slot *b, uint32_t j)
{
	if (a->types[i] != b->types[j])
		return 0;
	for (uint32_t k = 0; k < n_learned(h, a->types[i]); k++)
		if (share(a, i, k) != share(b, j, k))
			return 0;
	return 1;
}

/* Slot the term (t, i) into the open-addressing table: returns 1 if an
 * equal term was there (its mass grew), 0 if it is new (slot claimed). */
static int table_merge(const struct idn_host *h, const struct idn_slot *sl,
                       uint64_t t, uint32_t i, struct term_ref *refs,
                       size_t n_refs, size_t *table, size_t mask)
{
	size_t pos = term_hash(h, &sl[t], i) & mask;

	for (; table[pos] != SIZE_MAX; pos = (pos + 1) & mask) {
		struct term_ref *r = &refs[table[pos]];

		if (term_same(h, &sl[r->slot], r->item, &sl[t], i)) {
			r->mass += sl[t].counts[i];
			return 1;
		}
	}
	table[pos] = n_refs;
	return 0;
}

static size_t count_terms(const struct idn_host *h, const struct idn_slot *sl,
                          uint64_t n_slots)
{
	size_t n = 0;

	for (uint64_t t = 0; t < n_slots; t++)
		for (uint32_t i = 0; i < sl[t].n_types; i++)
			n += n_learned(h, sl[t].types[i]) > 0;
	return n;
}

/* The distinct terms of the trace (all of them when !aggregate). */
static int collect_terms(const struct idn_host *h, const struct idn_slot *sl,
                         uint64_t n_slots, int aggregate,
                         struct term_ref **out, size_t *n_out)
{
	size_t total = count_terms(h, sl, n_slots), cap = 16, n = 0;
	struct term_ref *refs = malloc((total + 1) * sizeof(*refs));
	size_t *table = NULL;

	while (aggregate && cap < 2 * total)
		cap *= 2;
	if (aggregate && (table = malloc(cap * sizeof(*table))))
		memset(table, 0xff, cap * sizeof(*table)); /* SIZE_MAX */
	if (!refs || (aggregate && !table)) {
		free(refs);
		free(table);
		return IDN_ENOMEM;
	}
	for (uint64_t t = 0; t < n_slots; t++)
		for (uint32_t i = 0; i < sl[t].n_types; i++) {
			if (!n_learned(h, sl[t].types[i])
			    || (aggregate && table_merge(h, sl, t, i, refs, n,
			                                 table, cap - 1)))
				continue;
			refs[n++] = (struct term_ref){ t, i, sl[t].counts[i] };
		}
	free(table);
	*out = refs;
	*n_out = n;
	return IDN_OK;
}

static void vslot_free(struct vslot *v)
{
	free(v->types);
	free(v->l_off);
	free(v->counts);
	free(v->l);
	memset(v, 0, sizeof(*v));
}

/* The virtual slot: term j has r = its mass and l = mass * shares. */
static int vslot_build(const struct idn_host *h, const struct idn_slot *sl,
                       const struct term_ref *refs, size_t n, struct vslot *v)
{
	size_t n_l = 0;

	memset(v, 0, sizeof(*v));
	for (size_t j = 0; j < n; j++)
		n_l += n_learned(h, sl[refs[j].slot].types[refs[j].item]);
	if (n > UINT32_MAX || n_l > UINT32_MAX)
		return IDN_EUSAGE;
	v->types = malloc((n + 1) * sizeof(*v->types));
	v->l_off = malloc((n + 1) * sizeof(*v->l_off));
	v->counts = malloc((n + 1) * sizeof(*v->counts));
	v->l = malloc((n_l + 1) * sizeof(*v->l));
	if (!v->types || !v->l_off || !v->counts || !v->l)
		return IDN_ENOMEM;
	v->n_l = 0;
	for (size_t j = 0; j < n; j++) {
		const struct idn_slot *s = &sl[refs[j].slot];
		uint32_t i = refs[j].item, nk = n_learned(h, s->types[i]);
		double mass = refs[j].mass;

		v->types[j] = s->types[i];
		v->counts[j] = mass;
		v->l_off[j] = (uint32_t)v->n_l;
		for (uint32_t k = 0; k < nk; k++)
			v->l[v->n_l++] = mass * share(s, i, k);
	}
	v->s = (struct idn_slot){ .n_types = (uint32_t)n, .types = v->types,
	                          .counts = v->counts, .l_off = v->l_off,
	                          .l = v->l };
	return IDN_OK;
}

/* --- evaluation ------------------------------------------------------------- */

/* F(x) = sum_t G(r_t, x) on the original slots. */
static double total_gain(const struct idn_host *h, const struct idn_slot *sl,
                         uint64_t n_slots, const uint8_t *x, double *y)
{
	double g = 0.0;

	for (uint32_t i = 0; i < h->n_vars; i++)
		y[i] = x[i];
	for (uint64_t t = 0; t < n_slots; t++)
		g += idn_gain(h, &sl[t], y);
	return g;
}

/* --- the LP ------------------------------------------------------------------ */

static uint32_t budget_rows(const struct idn_host *h)
{
	uint32_t n = 0;

	for (uint32_t v = 0; v < h->n_nodes; v++)
		n += h->var_off[v + 1] > h->var_off[v];
	return n;
}

/* The chained rows of one term: columns n_vars + l_off + k + 1 are w_k. */
static void add_term(glp_prob *lp, const struct idn_host *h,
                     const struct vslot *v, uint32_t j)
{
	const struct idn_type *t = h->type(h, v->types[j]);
	uint32_t off = v->l_off[j];

	for (uint32_t k = 0; k + 1 < t->n_cands; k++) {
		int c = (int)(h->n_vars + off + k + 1), row = (int)(off + k + 1);
		int ind[4] = { 0, c, (int)t->cands[k].var + 1, c - 1 };
		double val[4] = { 0, 1.0, -v->l[off + k], -1.0 };

		glp_set_col_bnds(lp, c, GLP_DB, 0.0, v->counts[j]);
		glp_set_obj_coef(lp, c, t->cands[k + 1].cost - t->cands[k].cost);
		glp_set_mat_row(lp, row, k ? 3 : 2, ind, val);
		glp_set_row_bnds(lp, row, GLP_UP, 0.0, 0.0);
	}
}

static int add_budgets(glp_prob *lp, const struct idn_host *h, int row0)
{
	int *ind = malloc((h->n_vars + 1u) * sizeof(*ind));
	double *val = malloc((h->n_vars + 1u) * sizeof(*val));
	int row = row0;

	if (!ind || !val) {
		free(ind);
		free(val);
		return IDN_ENOMEM;
	}
	for (uint32_t v = 0; v < h->n_nodes; v++) {
		int len = 0;

		for (uint32_t i = h->var_off[v]; i < h->var_off[v + 1]; i++) {
			ind[++len] = (int)i + 1;
			val[len] = h->var_size[i];
		}
		if (!len)
			continue;
		glp_set_mat_row(lp, ++row, len, ind, val);
		glp_set_row_bnds(lp, row, GLP_UP, 0.0,
		                 h->node_budget[v] + IDN_BUDGET_TOL);
	}
	free(ind);
	free(val);
	return IDN_OK;
}

static glp_prob *build_lp(const struct idn_host *h, const struct vslot *v)
{
	glp_prob *lp = glp_create_prob();
	uint32_t rows = (uint32_t)v->n_l + budget_rows(h);

	glp_set_obj_dir(lp, GLP_MAX);
	if (rows)
		glp_add_rows(lp, (int)rows);
	if (h->n_vars + v->n_l)
		glp_add_cols(lp, (int)(h->n_vars + v->n_l));
	for (uint32_t i = 0; i < h->n_vars; i++)
		glp_set_col_bnds(lp, (int)i + 1, GLP_DB, 0.0, 1.0);
	for (uint32_t j = 0; j < v->s.n_types; j++)
		add_term(lp, h, v, j);
	if (add_budgets(lp, h, (int)v->n_l)) {
		glp_delete_prob(lp);
		return NULL;
	}
	return lp;
}

static int simplex(glp_prob *lp, int meth)
{
	glp_smcp parm;
	int rc, old;

	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.meth = meth;
	parm.presolve = GLP_ON;
	/* glp_scale_prob prints unconditionally (to stdout, where the CSV
	 * goes): silence GLPK's terminal only for this call. */
	old = glp_term_out(GLP_OFF);
	glp_scale_prob(lp, GLP_SF_AUTO);
	glp_term_out(old);
	rc = glp_simplex(lp, &parm);
	return rc ? rc : glp_get_status(lp) != GLP_OPT;
}

static int interior(glp_prob *lp)
{
	glp_iptcp parm;
	int rc;

	glp_init_iptcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	rc = glp_interior(lp, &parm);
	return rc ? rc : glp_ipt_status(lp) != GLP_OPT;
}

/* The LP optimum: its value and the y part of the solution. */
static int solve_lp(glp_prob *lp, enum solver solver,
                    const struct idn_host *h, double *bound, double *ylp,
                    char *err, size_t errlen)
{
	int ipt = solver == SOLVER_INTERIOR;
	int rc = ipt ? interior(lp)
	         : simplex(lp, solver == SOLVER_DUAL ? GLP_DUALP : GLP_PRIMAL);

	if (rc) {
		snprintf(err, errlen, "offline: GLPK %s failed (code %d)",
		         solver_name[solver], rc);
		return IDN_EPOLICY;
	}
	*bound = ipt ? glp_ipt_obj_val(lp) : glp_get_obj_val(lp);
	for (uint32_t i = 0; i < h->n_vars; i++)
		ylp[i] = ipt ? glp_ipt_col_prim(lp, (int)i + 1)
		             : glp_get_col_prim(lp, (int)i + 1);
	return IDN_OK;
}

static int solve_milp(glp_prob *lp, const struct idn_host *h, uint8_t *x,
                      char *err, size_t errlen)
{
	glp_iocp parm;
	int rc;

	for (uint32_t i = 0; i < h->n_vars; i++)
		glp_set_col_kind(lp, (int)i + 1, GLP_BV);
	glp_init_iocp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_ON;
	rc = glp_intopt(lp, &parm);
	if (rc || glp_mip_status(lp) != GLP_OPT) {
		snprintf(err, errlen, "offline: GLPK branch and bound failed "
		         "(code %d, status %d)", rc, glp_mip_status(lp));
		return IDN_EPOLICY;
	}
	for (uint32_t i = 0; i < h->n_vars; i++)
		x[i] = glp_mip_col_val(lp, (int)i + 1) > 0.5;
	return IDN_OK;
}

static int check_size(const struct offline *p, const struct vslot *v,
                      char *err, size_t errlen)
{
	const struct idn_host *h = p->h;
	uint64_t rows = v->n_l + budget_rows(h);

	if (p->exact && h->n_vars > EXACT_MAX_VARS) {
		snprintf(err, errlen, "offline: exact=1 supports at most %u "
		         "vars, the scenario has %u", EXACT_MAX_VARS,
		         h->n_vars);
		return IDN_EUSAGE;
	}
	if (rows > p->max_rows || h->n_vars + v->n_l > INT32_MAX) {
		snprintf(err, errlen, "offline: the LP would have %llu rows "
		         "and %llu columns (> max_rows=%llu); use -O "
		         "method=greedy (no bound) or raise -O max_rows",
		         (unsigned long long)rows,
		         (unsigned long long)(rows - budget_rows(h)
		                              + h->n_vars),
		         (unsigned long long)p->max_rows);
		return IDN_EUSAGE;
	}
	return IDN_OK;
}

/* --- integral allocations ---------------------------------------------------- */

static int qent_before(const struct qent *a, const struct qent *b)
{
	return a->ratio > b->ratio || (a->ratio == b->ratio && a->var < b->var);
}

static void heap_push(struct heap *q, struct qent e)
{
	size_t i = q->n++;

	for (; i > 0 && qent_before(&e, &q->e[(i - 1) / 2]); i = (i - 1) / 2)
		q->e[i] = q->e[(i - 1) / 2];
	q->e[i] = e;
}

static struct qent heap_pop(struct heap *q)
{
	struct qent top = q->e[0], last = q->e[--q->n];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= q->n)
			break;
		if (c + 1 < q->n && qent_before(&q->e[c + 1], &q->e[c]))
			c++;
		if (!qent_before(&q->e[c], &last))
			break;
		q->e[i] = q->e[c];
		i = c;
	}
	if (q->n)
		q->e[i] = last;
	return top;
}

static int fits(const struct idn_host *h, const double *used, uint32_t var)
{
	uint32_t v = h->var_node[var];

	return used[v] + h->var_size[var] <= h->node_budget[v] + IDN_BUDGET_TOL;
}

/* Grow x (feasible on entry) by lazy greedy on the virtual slot, by
 * marginal gain per MB (per_mb) or by marginal gain alone. */
static int lazy_greedy(const struct idn_host *h, const struct vslot *vs,
                       const struct idn_var_index *ix, int per_mb,
                       uint8_t *x)
{
	double *y = calloc(h->n_vars + 1u, sizeof(*y));
	double *used = calloc(h->n_nodes + 1u, sizeof(*used));
	struct heap q = { malloc((h->n_vars + 1u) * sizeof(struct qent)), 0 };
	uint64_t added = 0;

	if (!y || !used || !q.e) {
		free(y);
		free(used);
		free(q.e);
		return IDN_ENOMEM;
	}
	for (uint32_t i = 0; i < h->n_vars; i++) {
		y[i] = x[i];
		used[h->var_node[i]] += x[i] ? h->var_size[i] : 0.0;
	}
	/* Stamp UINT64_MAX: every first entry is re-evaluated once popped;
	 * ratio +inf keeps var order until then. */
	for (uint32_t i = 0; i < h->n_vars; i++)
		if (!x[i] && fits(h, used, i))
			heap_push(&q, (struct qent){ INFINITY, i, UINT64_MAX });
	while (q.n) {
		struct qent e = heap_pop(&q);
		double mg;

		if (!fits(h, used, e.var))
			continue;   /* budgets only shrink: never fits again */
		if (e.stamp == added) {
			x[e.var] = 1;
			y[e.var] = 1.0;
			used[h->var_node[e.var]] += h->var_size[e.var];
			added++;
			continue;
		}
		mg = idn_marginal_gain(h, &vs->s, ix, y, e.var);
		if (mg > 0.0)   /* gains only shrink: a 0 stays 0 */
			heap_push(&q, (struct qent){
				per_mb ? mg / h->var_size[e.var] : mg,
				e.var, added });
	}
	free(y);
	free(used);
	free(q.e);
	return IDN_OK;
}

/* Threshold rounding of the LP optimum, node by node. */
static void round_lp(const struct idn_host *h, const double *ylp,
                     uint32_t *order, uint8_t *x)
{
	for (uint32_t v = 0; v < h->n_nodes; v++) {
		uint32_t a = h->var_off[v], n = 0;
		double used = 0.0;

		/* Insertion sort: a node has at most n_models vars. */
		for (uint32_t i = a; i < h->var_off[v + 1]; i++) {
			uint32_t j = n++;

			for (; j > 0 && ylp[order[j - 1]] < ylp[i]; j--)
				order[j] = order[j - 1];
			order[j] = i;
		}
		for (uint32_t j = 0; j < n && ylp[order[j]] > Y_EPS; j++) {
			uint32_t i = order[j];

			if (used + h->var_size[i]
			    <= h->node_budget[v] + IDN_BUDGET_TOL) {
				x[i] = 1;
				used += h->var_size[i];
			}
		}
	}
}

/* --- prepare ----------------------------------------------------------------- */

/* The integral plans, in order of preference on equal F. */
enum { PLAN_LP, PLAN_GREEDY_MB, PLAN_GREEDY_GAIN, N_PLANS };
static const char *const plan_name[N_PLANS] = { "lp", "greedy-mb",
                                                "greedy-gain" };

static int plan_enabled(const struct offline *p, int plan)
{
	return plan == PLAN_LP ? p->method != METHOD_GREEDY
	                       : p->method != METHOD_LP;
}

/* Everything prepare allocates; released in one place. */
struct work {
	struct term_ref *refs;
	struct vslot vs;
	struct idn_var_index ix;
	glp_prob *lp;
	double *ylp, *y;
	uint8_t *cand[N_PLANS];   /* the integral plans, see plan_name */
	uint32_t *order;
};

static void work_free(struct work *w)
{
	free(w->refs);
	vslot_free(&w->vs);
	idn_var_index_free(&w->ix);
	if (w->lp)
		glp_delete_prob(w->lp);
	free(w->ylp);
	free(w->y);
	for (int i = 0; i < N_PLANS; i++)
		free(w->cand[i]);
	free(w->order);
}

static int work_alloc(struct work *w, const struct idn_host *h)
{
	size_t nv = h->n_vars + 1u;

	w->ylp = calloc(nv, sizeof(*w->ylp));
	w->y = calloc(nv, sizeof(*w->y));
	w->order = calloc(nv, sizeof(*w->order));
	if (!w->ylp || !w->y || !w->order)
		return IDN_ENOMEM;
	for (int i = 0; i < N_PLANS; i++)
		if (!(w->cand[i] = calloc(nv, 1)))
			return IDN_ENOMEM;
	return IDN_OK;
}

static int lp_stage(struct offline *p, struct work *w, char *err,
                    size_t errlen)
{
	const struct idn_host *h = p->h;
	int rc = check_size(p, &w->vs, err, errlen);

	if (rc)
		return rc;
	w->lp = build_lp(h, &w->vs);
	if (!w->lp)
		return IDN_ENOMEM;
	p->lp_rows = (uint64_t)glp_get_num_rows(w->lp);
	p->lp_cols = (uint64_t)glp_get_num_cols(w->lp);
	return solve_lp(w->lp, p->solver, h, &p->bound, w->ylp, err, errlen);
}

static const char *pick(struct offline *p, struct work *w,
                        const struct idn_slot *sl, uint64_t n_slots)
{
	const struct idn_host *h = p->h;
	int best = -1;

	for (int i = 0; i < N_PLANS; i++) {
		double g;

		if (!plan_enabled(p, i))
			continue;
		g = total_gain(h, sl, n_slots, w->cand[i], w->y);
		if (best < 0 || g > p->gain) {
			best = i;
			p->gain = g;
		}
	}
	memcpy(p->x, w->cand[best], h->n_vars);
	return plan_name[best];
}

static int heuristics(struct offline *p, struct work *w)
{
	const struct idn_host *h = p->h;
	int rc = idn_var_index_build(&w->ix, h, &w->vs.s);

	if (!rc && plan_enabled(p, PLAN_LP)) {
		round_lp(h, w->ylp, w->order, w->cand[PLAN_LP]);
		rc = lazy_greedy(h, &w->vs, &w->ix, 1, w->cand[PLAN_LP]);
	}
	if (!rc && plan_enabled(p, PLAN_GREEDY_MB))
		rc = lazy_greedy(h, &w->vs, &w->ix, 1, w->cand[PLAN_GREEDY_MB]);
	if (!rc && plan_enabled(p, PLAN_GREEDY_GAIN))
		rc = lazy_greedy(h, &w->vs, &w->ix, 0,
		                 w->cand[PLAN_GREEDY_GAIN]);
	return rc;
}

static void report(const struct offline *p, const char *method)
{
	char ratio[64] = "n/a";

	if (p->bound > 0.0)
		snprintf(ratio, sizeof(ratio), "%.4f%%",
		         100.0 * p->gain / p->bound);
	if (isnan(p->bound))
		fprintf(stderr, "offline: LP bound not computed, integral "
		        "static gain %.10g, method %s (%zu of %zu terms "
		        "distinct)\n", p->gain, method, p->n_distinct,
		        p->n_terms);
	else
		fprintf(stderr, "offline: LP bound %.10g, integral static "
		        "gain %.10g (G/B = %s), method %s (LP %llu rows x "
		        "%llu columns; %zu of %zu terms distinct)\n", p->bound,
		        p->gain, ratio, method,
		        (unsigned long long)p->lp_rows,
		        (unsigned long long)p->lp_cols, p->n_distinct,
		        p->n_terms);
}

static int run_stages(struct offline *p, struct work *w,
                      const struct idn_slot *sl, uint64_t n_slots,
                      const char **method, char *err, size_t errlen)
{
	const struct idn_host *h = p->h;
	size_t n_refs = 0;
	int rc = work_alloc(w, h);

	if (!rc)
		rc = collect_terms(h, sl, n_slots, (int)p->aggregate, &w->refs,
		                   &n_refs);
	p->n_terms = count_terms(h, sl, n_slots);
	p->n_distinct = n_refs;
	if (!rc)
		rc = vslot_build(h, sl, w->refs, n_refs, &w->vs);
	if (rc == IDN_EUSAGE)
		snprintf(err, errlen, "offline: more than 2^32 terms; use a "
		         "shorter trace");
	if (!rc && p->method != METHOD_GREEDY)
		rc = lp_stage(p, w, err, errlen);
	if (!rc && p->exact) {
		rc = solve_milp(w->lp, h, p->x, err, errlen);
		p->gain = total_gain(h, sl, n_slots, p->x, w->y);
		*method = "milp";
		return rc;
	}
	if (!rc)
		rc = heuristics(p, w);
	if (!rc)
		*method = pick(p, w, sl, n_slots);
	return rc;
}

static int offline_prepare(void *state, const struct idn_slot *slots,
                           uint64_t n_slots, char *err, size_t errlen)
{
	struct offline *p = state;
	struct work w = { 0 };
	const char *method = "none";
	int rc = run_stages(p, &w, slots, n_slots, &method, err, errlen);

	work_free(&w);
	if (rc == IDN_ENOMEM)
		snprintf(err, errlen, "offline: out of memory");
	if (rc)
		return rc;
	p->prepared = 1;
	report(p, method);
	return IDN_OK;
}

static int offline_init(void *state, uint8_t *x0, char *err, size_t errlen)
{
	struct offline *p = state;

	if (!p->prepared) {
		snprintf(err, errlen, "offline: init before prepare (the host "
		         "must read the trace ahead)");
		return IDN_EPOLICY;
	}
	memcpy(x0, p->x, p->h->n_vars);
	return IDN_OK;
}

/* The allocation never changes: next already holds x. */
static int offline_update(void *state, const struct idn_slot *s,
                          const uint8_t *x, uint8_t *next,
                          double *fractional_gain, double *extra,
                          char *err, size_t errlen)
{
	const struct offline *p = state;

	extra[0] = p->bound;
	extra[1] = p->gain;
	return IDN_OK;
}

static const struct idn_policy offline_policy = {
	.abi_version = IDN_POLICY_ABI_VERSION,
	.name = "offline",
	.summary = "best static allocation in hindsight: LP bound plus a "
	           "rounded / greedy integral plan",
	.options = offline_options,
	.extra_columns = offline_extra,
	.has_fractional = 0,
	.create = offline_create,
	.prepare = offline_prepare,
	.init = offline_init,
	.update = offline_update,
	.destroy = offline_destroy,
};

const struct idn_policy *idn_policy_describe(void)
{
	return &offline_policy;
}
