/* infida.c - INFIDA: online mirror ascent + randomized rounding (plugin).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Idea.  Each node v keeps a fractional allocation y over its learned
 * models M_v (SPEC section 7) and moves it, after every slot, in the
 * direction that would have saved the most cost in that slot, measured in
 * a geometry where a model's coordinate is weighted by its size.  The
 * served allocation is a random rounding of y whose expectation is y, so
 * the integral gain tracks the fractional one up to the (1 - 1/e) factor
 * of the paper (Si Salem et al., arXiv 2105.02510).
 *
 * Math (SPEC section numbers in brackets):
 *   start    y_0 = min(1, b_v / sum_{m in M_v} s_m)          [7]
 *   gain     G(r, y) = sum_rho sum_{k<K} (gamma_{k+1} - gamma_k)
 *                      * min(r, sum_{k'<=k} l_k' y_k')         [5]
 *            reported as fractional_gain for y_t before the step
 *   gradient g_m = sum_rho l(rho,v,m) (gamma_{K*} - gamma_k), K* the first
 *            k where the cumulative l*y covers r (1e-9 relative)  [7]
 *   step     log yhat_m = log y_m + eta g_m / s_m  (mirror map
 *            Phi(y) = sum_m s_m y_m log y_m, weighted negative entropy)
 *   project  y = min(1, c yhat) with c <= 1 the largest value keeping
 *            sum s y <= b_v (the Bregman projection of Phi)   [7]
 *   round    x_{t+1} = DepRound(y_{t+1}) when (t+1) mod refresh == 0 [7]
 * Gain and gradient come from one pass (idn_supergradient); the step and
 * projection run in the log domain, so a large eta*g/s cannot overflow and
 * a coordinate driven towards 0 keeps a finite log from which it recovers.
 *
 * Exactness notes.  g >= 0, and a node whose g is all zero has yhat = y,
 * which is feasible, so its projection is the identity: only nodes with
 * a nonzero gradient are projected (mathematically the same as projecting
 * all; numerically it avoids re-projecting a point that sits 1 ulp over
 * the budget).  With rounding=coupled a node whose y did not move since
 * the last rounding keeps its models (its rounding is a function of y).
 *
 * Cost per slot.  The step raises only the touched vars (g > 0), so the
 * projection's c is <= 1 and every untouched var, whose yhat = y <= 1 is
 * never capped, just scales by c.  Each node therefore keeps y lazily
 * (idn_lazy_step in learn.h): log y = a + shift with the node's mass, and
 * a step costs O(k log k) for its k touched vars, the same y as the full
 * idn_project up to rounding (tests check 1e-9 against it).  p->y is a
 * cache materialised on demand (a per-var stamp against the node's step
 * generation): the slot's candidates before the gain and gradient, a
 * whole node when it is rounded.  So a slot costs O(its candidates,
 * times log) plus O(vars) at each refresh: amortised O(touched) +
 * O(vars / refresh) per slot; refresh=R spreads the rounding over R
 * slots (and rounding=coupled rounds only the nodes that moved).  On the
 * CloudPhysics row of tests/bench.sh (one node, 48,974 vars, 1000
 * requests per slot) this took INFIDA from about 115k to 410k requests/s
 * (refresh=100: from 110k to 1.5M), the rest being mostly DepRound.
 *
 * Step size.  Default (eta unset or "adaptive"): the adaptive rule
 *     eta_t = sqrt(2 D^2 / B) / sqrt(sum_{s <= t} ||g_s||_*^2),
 * recomputed after every slot with requests from the gradients seen so
 * far (the "AdaGrad-norm" step of online mirror descent on a bounded
 * domain).  It has regret O(D sqrt(B sum_s ||g_s||_*^2)), which is the
 * bound below with the unknown T * Gmax^2 replaced by what the trace
 * actually produced, so it needs neither a horizon nor a worst-case
 * gradient, and it is scale-free (scaling the gradients by c divides eta
 * by c).  D^2, B and the dual norm are those of the fixed rule below.  On
 * traces/tree-small (2 h, 10 s slots) it reaches NTAG 0.94, against 0.65
 * for eta=auto, whose worst-case Gmax (the gradient at y = 0) makes it
 * 30-100x too cautious there.
 *
 * Fixed rule (eta=auto).  Online mirror ascent with a
 * sigma-strongly convex mirror map has regret at most
 *     D^2 / eta + eta * T * Gmax^2 / (2 sigma)
 * minimised by eta = sqrt(2 sigma D^2 / T) / Gmax.  Here:
 *   - D^2 bounds the Bregman divergence from y_0 to any integral feasible
 *     allocation: for node v it is at most b_v ln(S_v / b_v) when the
 *     node's models do not all fit (S_v = sum of its learned sizes), and
 *     small otherwise; D^2 = sum_v b_v ln(max(1, S_v / b_v));
 *   - Phi restricted to node v's polytope (mass sum s y <= b_v) is
 *     (1/b_v)-strongly convex in the size-weighted l1 norm (Pinsker for
 *     measures of mass <= b_v, up to a constant), and summing over nodes
 *     with Cauchy-Schwarz gives sigma = 1 / B with B = sum_v b_v;
 *   - the dual norm is max_m |g_m| / s_m; Gmax is taken as its largest
 *     possible value in the first slot with requests, i.e. the gradient at
 *     y = 0 (every K* = K), max_m g_m(0) / s_m, and kept for the run;
 *   - T is the option horizon (slots, default 1000), because an online
 *     policy does not know the trace length.
 * So eta = sqrt(2 D^2 / (B T)) / Gmax, fixed at the first slot with
 * requests (earlier slots have g = 0, so eta does not matter there).  It
 * is scale-free: scaling all sizes and budgets by a multiplies eta by a
 * and leaves eta g / s unchanged; scaling all requests and capacities by
 * c divides it by c.  If every node fits all its models (D^2 = 0) y stays
 * at 1 and eta is irrelevant; the rule then uses D^2 / B = 1.
 *
 * Control traffic (extra columns ctrl_msgs, ctrl_bytes): the distributed
 * version of the step needs, per request type with requests in the slot,
 * one message travelling up the type's path collecting the (cost, l*y)
 * pair of every learned candidate, and one travelling back down carrying
 * gamma_{K*} so that each node can compute its own g.  Byte model: a
 * 16-byte header (u32 type, u32 slot, f64 count) on each message, 16 bytes
 * (two f64) per learned candidate on the way up and 8 bytes (one f64) on
 * the way down; a message is counted once, not once per hop.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "idnbench/learn.h"

#define CTRL_HEADER 16.0
#define CTRL_UP_ENTRY 16.0
#define CTRL_DOWN_ENTRY 8.0

struct infida {
	const struct idn_host *h;
	double eta;            /* 0 until set (auto rule) */
	int adaptive;          /* eta=adaptive: eta_t from the gradients seen */
	double grad_sq;        /* adaptive: sum over slots of ||g||_*^2 */
	double d2_per_mb;      /* D^2 / B of the step-size rules */
	double horizon;
	uint64_t refresh;
	int coupled;
	struct idn_rng rng;
	double *a;             /* lazy form: log y = a + lz[node].shift */
	struct idn_lazy_node *lz;
	double *y;             /* y of a var, valid when stamp == lz gen */
	uint64_t *stamp;
	double *g, *lyh;       /* lyh: the slot's log-step eta g / s */
	double *u;             /* coupled rounding: one draw per var */
	struct idn_proj_item *work;
	uint8_t *listed;       /* per var: in touched (nonzero gradient) */
	uint8_t *moved;        /* per node: y moved since the last rounding */
	uint32_t *touched;
};

static const struct idn_option_doc infida_options[] = {
	{ "eta", "adaptive", "step size: a number, adaptive = "
	  "sqrt(2 D^2 / B / sum of squared gradient norms so far), or auto = "
	  "sqrt(2 D^2 / (B T)) / Gmax (see the source)" },
	{ "horizon", "1000", "T in slots, used only by eta=auto" },
	{ "refresh", "1", "round y into a new allocation every this many "
	  "slots" },
	{ "rounding", "depround", "depround (fresh draws at each refresh) or "
	  "coupled (draws kept, fewer downloads)" },
	{ NULL, NULL, NULL }
};

static const char *const infida_extra[] = { "ctrl_msgs", "ctrl_bytes", NULL };

static void infida_destroy(void *state)
{
	struct infida *p = state;

	if (!p)
		return;
	free(p->a);
	free(p->lz);
	free(p->y);
	free(p->stamp);
	free(p->g);
	free(p->lyh);
	free(p->u);
	free(p->work);
	free(p->listed);
	free(p->moved);
	free(p->touched);
	free(p);
}

static int parse_options(struct infida *p, const struct idn_option *opts,
                         size_t n, char *err, size_t errlen)
{
	const char *eta = idn_option_find(opts, n, "eta");
	const char *rounding = idn_option_find(opts, n, "rounding");
	uint64_t horizon;
	int rc;

	if (!eta || strcmp(eta, "adaptive") == 0) {
		p->adaptive = 1;
	} else if (strcmp(eta, "auto") != 0) {
		rc = idn_option_double(opts, n, "eta", 0.0, &p->eta, err,
		                       errlen);
		if (rc)
			return rc;
		if (!(p->eta > 0.0)) {
			snprintf(err, errlen, "option eta: must be > 0");
			return IDN_EUSAGE;
		}
	}
	rc = idn_option_uint(opts, n, "horizon", 1000, &horizon, err, errlen);
	if (!rc)
		rc = idn_option_uint(opts, n, "refresh", 1, &p->refresh, err,
		                     errlen);
	if (rc)
		return rc;
	if (horizon == 0 || p->refresh == 0) {
		snprintf(err, errlen, "options horizon and refresh: must be "
		         ">= 1");
		return IDN_EUSAGE;
	}
	p->horizon = (double)horizon;
	if (rounding && strcmp(rounding, "coupled") == 0)
		p->coupled = 1;
	else if (rounding && strcmp(rounding, "depround") != 0) {
		snprintf(err, errlen, "option rounding: expected depround or "
		         "coupled, got '%s'", rounding);
		return IDN_EUSAGE;
	}
	return IDN_OK;
}

static uint32_t max_node_vars(const struct idn_host *h)
{
	uint32_t m = 1;

	for (uint32_t v = 0; v < h->n_nodes; v++)
		if (h->var_off[v + 1] - h->var_off[v] > m)
			m = h->var_off[v + 1] - h->var_off[v];
	return m;
}

static int alloc_state(struct infida *p)
{
	const struct idn_host *h = p->h;
	size_t nv = h->n_vars + 1u, nn = h->n_nodes + 1u;

	p->a = calloc(nv, sizeof(double));
	p->lz = calloc(nn, sizeof(*p->lz));
	p->y = calloc(nv, sizeof(double));
	p->stamp = calloc(nv, sizeof(*p->stamp));
	p->g = calloc(nv, sizeof(double));
	p->lyh = calloc(nv, sizeof(double));
	p->u = p->coupled ? calloc(nv, sizeof(double)) : NULL;
	p->work = calloc(max_node_vars(h), sizeof(*p->work));
	p->listed = calloc(nv, 1);
	p->moved = calloc(nn, 1);
	p->touched = calloc(nv, sizeof(uint32_t));
	if (!p->a || !p->lz || !p->y || !p->stamp || !p->g || !p->lyh
	    || (p->coupled && !p->u) || !p->work || !p->listed || !p->moved
	    || !p->touched)
		return IDN_ENOMEM;
	return IDN_OK;
}

/* y_0 = min(1, b_v / S_v), set directly (not through exp, and valid for
 * the lazy form's generation 0) so that the spec's starting point is
 * reproduced exactly. */
static void start_point(struct infida *p)
{
	const struct idn_host *h = p->h;

	for (uint32_t v = 0; v < h->n_nodes; v++) {
		uint32_t a = h->var_off[v], n = h->var_off[v + 1] - a;
		double total = 0.0;

		for (uint32_t i = a; i < a + n; i++)
			total += h->var_size[i];
		for (uint32_t i = a; i < a + n; i++)
			p->y[i] = fmin(1.0, h->node_budget[v] / total);
		idn_lazy_start(n, h->var_size + a, p->y + a, p->a + a, &p->lz[v]);
	}
}

/* The current y of var, materialised from the lazy form when stale. */
static double infida_y(struct infida *p, uint32_t var)
{
	uint32_t v = p->h->var_node[var], a = p->h->var_off[v];

	if (p->stamp[var] != p->lz[v].gen) {
		p->y[var] = idn_lazy_y(p->a + a, &p->lz[v], var - a);
		p->stamp[var] = p->lz[v].gen;
	}
	return p->y[var];
}

/* Makes p->y current on the learned candidates of the slot's types, the
 * only entries idn_supergradient reads. */
static void fresh_candidates(struct infida *p, const struct idn_slot *s)
{
	for (uint32_t i = 0; i < s->n_types; i++) {
		const struct idn_type *t = p->h->type(p->h, s->types[i]);

		for (uint32_t k = 0; k + 1 < t->n_cands; k++)
			infida_y(p, t->cands[k].var);
	}
}

/* D^2 / B of the default-eta rule (1 when every node fits everything). */
static double diameter_per_mb(const struct idn_host *h)
{
	double d2 = 0.0, b = 0.0;

	for (uint32_t v = 0; v < h->n_nodes; v++) {
		double total = 0.0;

		for (uint32_t i = h->var_off[v]; i < h->var_off[v + 1]; i++)
			total += h->var_size[i];
		if (total <= 0.0)
			continue;
		b += h->node_budget[v];
		if (total > h->node_budget[v])
			d2 += h->node_budget[v] * log(total / h->node_budget[v]);
	}
	return d2 > 0.0 ? d2 / b : 1.0;
}

static int infida_create(const struct idn_host *h,
                         const struct idn_option *opts, size_t n_opts,
                         void **state, char *err, size_t errlen)
{
	struct infida *p = calloc(1, sizeof(*p));
	int rc;

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return IDN_ENOMEM;
	}
	p->h = h;
	rc = parse_options(p, opts, n_opts, err, errlen);
	if (!rc && (rc = alloc_state(p)) != IDN_OK)
		snprintf(err, errlen, "out of memory");
	if (rc) {
		infida_destroy(p);
		return rc;
	}
	idn_rng_seed(&p->rng, h->seed);
	for (uint32_t i = 0; p->coupled && i < h->n_vars; i++)
		p->u[i] = idn_rng_uniform(&p->rng);
	start_point(p);
	p->d2_per_mb = diameter_per_mb(h);
	*state = p;
	return IDN_OK;
}

static void round_node(struct infida *p, uint32_t v, uint8_t *x)
{
	const struct idn_host *h = p->h;
	uint32_t a = h->var_off[v], n = h->var_off[v + 1] - a;

	for (uint32_t i = a; i < a + n; i++)
		infida_y(p, i);
	if (n)
		idn_depround(n, h->var_size + a, h->node_budget[v], p->y + a,
		             &p->rng, p->coupled ? p->u + a : NULL, x + a);
	p->moved[v] = 0;
}

static int infida_init(void *state, uint8_t *x0, char *err, size_t errlen)
{
	struct infida *p = state;

	for (uint32_t v = 0; v < p->h->n_nodes; v++)
		round_node(p, v, x0);
	return IDN_OK;
}

/* The auto eta at the first slot with requests; uses g (all zero on entry
 * and on return) and lyh as a zero vector. */
static void auto_eta(struct infida *p, const struct idn_slot *s)
{
	const struct idn_host *h = p->h;
	double gmax = 0.0;

	memset(p->lyh, 0, h->n_vars * sizeof(double));
	idn_supergradient(h, s, p->lyh, p->g);
	for (uint32_t i = 0; i < h->n_vars; i++) {
		gmax = fmax(gmax, p->g[i] / h->var_size[i]);
		p->g[i] = 0.0;
	}
	if (gmax > 0.0)
		p->eta = sqrt(2.0 * p->d2_per_mb / p->horizon) / gmax;
}

static int cmp_u32(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return (a > b) - (a < b);
}

/* Vars with a nonzero gradient entry, listed once each and sorted, which
 * groups them by node (a node's vars are contiguous); *gnorm gets the
 * dual norm max_m g_m / s_m of the gradient. */
static uint32_t collect_touched(struct infida *p, const struct idn_slot *s,
                                double *gnorm)
{
	const struct idn_host *h = p->h;
	uint32_t nt = 0;

	*gnorm = 0.0;
	for (uint32_t i = 0; i < s->n_types; i++) {
		const struct idn_type *t = h->type(h, s->types[i]);

		for (uint32_t k = 0; k + 1 < t->n_cands; k++) {
			uint32_t var = t->cands[k].var;

			*gnorm = fmax(*gnorm, p->g[var] / h->var_size[var]);
			if (p->g[var] != 0.0 && !p->listed[var]) {
				p->listed[var] = 1;
				p->touched[nt++] = var;
			}
		}
	}
	qsort(p->touched, nt, sizeof(*p->touched), cmp_u32);
	return nt;
}

/* The step and projection of node v for its touched vars
 * touched[0..k-1] (made node-local here), in O(k log k). */
static int step_node(struct infida *p, uint32_t v, uint32_t *touched,
                     uint32_t k)
{
	const struct idn_host *h = p->h;
	uint32_t a = h->var_off[v], n = h->var_off[v + 1] - a;

	for (uint32_t j = 0; j < k; j++) {
		uint32_t i = touched[j];

		p->lyh[i] = p->eta * p->g[i] / h->var_size[i];
		p->g[i] = 0.0;
		p->listed[i] = 0;
		touched[j] = i - a;
	}
	p->moved[v] = 1;
	return idn_lazy_step(n, h->var_size + a, h->node_budget[v], p->a + a,
	                     &p->lz[v], k, touched, p->lyh + a, p->work);
}

static void control_traffic(const struct idn_host *h, const struct idn_slot *s,
                            double *extra)
{
	double bytes = 0.0;

	for (uint32_t i = 0; i < s->n_types; i++) {
		const struct idn_type *t = h->type(h, s->types[i]);

		bytes += 2.0 * CTRL_HEADER + CTRL_DOWN_ENTRY
		         + CTRL_UP_ENTRY * (t->n_cands - 1);
	}
	extra[0] = 2.0 * s->n_types;
	extra[1] = bytes;
}

static int infida_update(void *state, const struct idn_slot *s,
                         const uint8_t *x, uint8_t *next,
                         double *fractional_gain, double *extra,
                         char *err, size_t errlen)
{
	struct infida *p = state;
	const struct idn_host *h = p->h;
	uint32_t nt;
	double gnorm;

	if (!p->adaptive && p->eta == 0.0 && s->n_types > 0)
		auto_eta(p, s);
	fresh_candidates(p, s);
	*fractional_gain = idn_supergradient(h, s, p->y, p->g);
	nt = collect_touched(p, s, &gnorm);
	if (p->adaptive && gnorm > 0.0) {
		p->grad_sq += gnorm * gnorm;
		p->eta = sqrt(2.0 * p->d2_per_mb / p->grad_sq);
	}
	for (uint32_t j = 0, next_j; j < nt; j = next_j) {
		uint32_t v = h->var_node[p->touched[j]];
		int rc;

		for (next_j = j; next_j < nt
		     && p->touched[next_j] < h->var_off[v + 1]; next_j++)
			;
		rc = step_node(p, v, p->touched + j, next_j - j);
		if (rc) {
			snprintf(err, errlen, "infida: projection failed at "
			         "node %s", h->node_name(h, v));
			return rc;
		}
	}
	if ((s->index + 1) % p->refresh == 0)
		for (uint32_t v = 0; v < h->n_nodes; v++)
			if (!p->coupled || p->moved[v])
				round_node(p, v, next);
	control_traffic(h, s, extra);
	return IDN_OK;
}

static const struct idn_policy infida_policy = {
	.abi_version = IDN_POLICY_ABI_VERSION,
	.name = "infida",
	.summary = "online mirror ascent on the weighted-entropy geometry "
	           "with randomized rounding (INFIDA)",
	.options = infida_options,
	.extra_columns = infida_extra,
	.has_fractional = 1,
	.create = infida_create,
	.prepare = NULL,
	.init = infida_init,
	.update = infida_update,
	.destroy = infida_destroy,
};

const struct idn_policy *idn_policy_describe(void)
{
	return &infida_policy;
}
