/* network.c - learned variables, routing and candidate lists (SPEC 2-3).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bigmem.h"
#include "grow.h"
#include "network.h"

static int oom(struct idn_err *e)
{
	return idn_fail(e, IDN_ENOMEM, "out of memory");
}

/* M_v of SPEC section 7: runnable on v, not pinned at v, fits the budget.
 * `pin` walks v's pins (sorted by model) alongside the ascending m. */
static int learnable(const struct scenario *sc, uint32_t v, uint32_t m,
                     uint32_t *pin)
{
	while (*pin < sc->n_pinned && sc->pin_node[*pin] == v &&
	       sc->pin_model[*pin] < m)
		(*pin)++;
	int pinned = *pin < sc->n_pinned && sc->pin_node[*pin] == v &&
	             sc->pin_model[*pin] == m;
	return !pinned && scenario_runnable(sc, m, v) &&
	       sc->model_size[m] <= sc->node_budget[v] + IDN_BUDGET_TOL;
}

/* First pin of node v (pins are sorted by node). */
static uint32_t first_pin(const struct scenario *sc, uint32_t v)
{
	uint32_t lo = 0, hi = sc->n_pinned;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (sc->pin_node[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int build_vars(struct network *net, struct idn_err *e)
{
	const struct scenario *sc = net->sc;
	uint32_t n = 0, pin;

	net->var_off = calloc(sc->n_nodes + 1, sizeof *net->var_off);
	if (!net->var_off)
		return oom(e);
	for (uint32_t v = 0; v < sc->n_nodes; v++) {
		pin = first_pin(sc, v);
		for (uint32_t m = 0; m < sc->n_models; m++)
			n += learnable(sc, v, m, &pin);
		net->var_off[v + 1] = n;
	}
	net->n_vars = n;
	net->var_node = malloc((n + 1) * sizeof *net->var_node);
	net->var_model = malloc((n + 1) * sizeof *net->var_model);
	net->var_size = malloc((n + 1) * sizeof *net->var_size);
	net->var_capacity = malloc((n + 1) * sizeof *net->var_capacity);
	if (!net->var_node || !net->var_model || !net->var_size ||
	    !net->var_capacity)
		return oom(e);
	n = 0;
	net->unbounded = 1;
	for (uint32_t v = 0; v < sc->n_nodes; v++) {
		pin = first_pin(sc, v);
		for (uint32_t m = 0; m < sc->n_models; m++) {
			if (!learnable(sc, v, m, &pin))
				continue;
			net->var_node[n] = v;
			net->var_model[n] = m;
			net->var_size[n] = sc->model_size[m];
			net->var_capacity[n] = scenario_capacity(sc, m, v);
			net->unbounded &= isinf(net->var_capacity[n]);
			n++;
		}
	}
	return IDN_OK;
}

/* The places model m may serve from, grouped by model: every learned var
 * and every pin of m, so that building a type's candidates visits only
 * the pairs that can be candidates. */
static int build_model_places(struct network *net, struct idn_err *e)
{
	const struct scenario *sc = net->sc;
	uint32_t total = net->n_vars + sc->n_pinned, *fill;

	net->mp_off = calloc(sc->n_models + 1, sizeof *net->mp_off);
	net->mp_node = malloc((total + 1) * sizeof *net->mp_node);
	net->mp_var = malloc((total + 1) * sizeof *net->mp_var);
	fill = calloc(sc->n_models + 1, sizeof *fill);
	if (!net->mp_off || !net->mp_node || !net->mp_var || !fill) {
		free(fill);
		return oom(e);
	}
	for (uint32_t j = 0; j < net->n_vars; j++)
		net->mp_off[net->var_model[j] + 1]++;
	for (uint32_t p = 0; p < sc->n_pinned; p++)
		net->mp_off[sc->pin_model[p] + 1]++;
	for (uint32_t m = 0; m < sc->n_models; m++)
		net->mp_off[m + 1] += net->mp_off[m];
	for (uint32_t j = 0; j < net->n_vars; j++) {
		uint32_t m = net->var_model[j], at = net->mp_off[m] + fill[m]++;
		net->mp_node[at] = net->var_node[j];
		net->mp_var[at] = j;
	}
	for (uint32_t p = 0; p < sc->n_pinned; p++) {
		uint32_t m = sc->pin_model[p], at = net->mp_off[m] + fill[m]++;
		net->mp_node[at] = sc->pin_node[p];
		net->mp_var[at] = IDN_PINNED;
	}
	free(fill);
	return IDN_OK;
}

/* For each task, the distinct nodes pinning one of its models, in node
 * order (a counting sort over the pins, which are sorted by node). */
static int build_pins(struct network *net, struct idn_err *e)
{
	const struct scenario *sc = net->sc;
	uint32_t *last, *fill;

	net->pin_off = calloc(sc->n_tasks + 1, sizeof *net->pin_off);
	net->pin_nodes = malloc((sc->n_pinned + 1) * sizeof *net->pin_nodes);
	last = malloc((sc->n_tasks + 1) * sizeof *last);
	fill = calloc(sc->n_tasks + 1, sizeof *fill);
	if (!net->pin_off || !net->pin_nodes || !last || !fill) {
		free(last);
		free(fill);
		return oom(e);
	}
	/* pass 1 counts distinct (task, node) pairs, pass 2 places them */
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < sc->n_tasks; i++)
			last[i] = UINT32_MAX;
		for (uint32_t p = 0; p < sc->n_pinned; p++) {
			uint32_t i = sc->model_task[sc->pin_model[p]];
			uint32_t v = sc->pin_node[p];
			if (last[i] == v)
				continue;
			last[i] = v;
			if (pass == 0)
				net->pin_off[i + 1]++;
			else
				net->pin_nodes[net->pin_off[i] + fill[i]++] = v;
		}
		for (uint32_t i = 0; pass == 0 && i < sc->n_tasks; i++)
			net->pin_off[i + 1] += net->pin_off[i];
	}
	free(last);
	free(fill);
	return IDN_OK;
}

int network_new(struct network **out, const struct scenario *sc,
                double alpha, struct idn_err *e)
{
	struct network *net = calloc(1, sizeof *net);
	int rc;

	*out = NULL;
	if (!net)
		return oom(e);
	net->sc = sc;
	net->alpha = alpha;
	net->dist = calloc(sc->n_nodes, sizeof *net->dist);
	net->pred = calloc(sc->n_nodes, sizeof *net->pred);
	/* calloc'd pages are only touched for (task, source) pairs that
	 * occur, so a large catalogue costs address space, not memory */
	net->type_of = calloc((size_t)sc->n_tasks * sc->n_nodes,
	                      sizeof *net->type_of);
	net->hop_of = malloc((sc->n_nodes + 1) * sizeof *net->hop_of);
	for (uint32_t v = 0; net->hop_of && v <= sc->n_nodes; v++)
		net->hop_of[v] = UINT32_MAX;
	if (!net->dist || !net->pred || !net->type_of || !net->hop_of)
		rc = oom(e);
	else if (!(rc = build_vars(net, e)) && !(rc = build_pins(net, e)))
		rc = build_model_places(net, e);
	if (rc != IDN_OK) {
		network_free(net);
		return rc;
	}
	*out = net;
	return IDN_OK;
}

void network_free(struct network *net)
{
	if (!net)
		return;
	for (uint32_t v = 0; net->dist && v < net->sc->n_nodes; v++) {
		free(net->dist[v]);
		free(net->pred[v]);
	}
	for (size_t k = 0; k < net->n_chunks; k++)
		bigmem_free(net->chunks[k]);
	free(net->chunks);
	free(net->types);
	free(net->type_of);
	free(net->dist);
	free(net->pred);
	free(net->var_off);
	free(net->var_node);
	free(net->var_model);
	free(net->var_size);
	free(net->var_capacity);
	free(net->pin_off);
	free(net->pin_nodes);
	free(net->mp_off);
	free(net->mp_node);
	free(net->mp_var);
	free(net->hop_of);
	free(net);
}

uint32_t network_var(const struct network *net, uint32_t v, uint32_t m)
{
	uint32_t lo = net->var_off[v], hi = net->var_off[v + 1];

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (net->var_model[mid] < m)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < net->var_off[v + 1] && net->var_model[lo] == m)
		return lo;
	return IDN_PINNED;
}

/* --- Dijkstra ------------------------------------------------------------ */

struct heap_item {
	double d;
	uint32_t v;
};

static int item_less(struct heap_item a, struct heap_item b)
{
	return a.d < b.d || (a.d == b.d && a.v < b.v);
}

static void heap_push(struct heap_item *h, size_t *n, struct heap_item x)
{
	size_t i = (*n)++;

	while (i > 0 && item_less(x, h[(i - 1) / 2])) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = x;
}

static struct heap_item heap_pop(struct heap_item *h, size_t *n)
{
	struct heap_item top = h[0], x = h[--*n];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && item_less(h[c + 1], h[c]))
			c++;
		if (!item_less(h[c], x))
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n)
		h[i] = x;
	return top;
}

/* Settled when popped; stale heap entries are skipped; a predecessor
 * changes only on a strictly shorter distance (SPEC section 2). */
static void dijkstra(const struct scenario *sc, uint32_t s, double *dist,
                     uint32_t *pred, struct heap_item *heap, char *done)
{
	size_t n = 0;

	for (uint32_t v = 0; v < sc->n_nodes; v++) {
		dist[v] = INFINITY;
		pred[v] = UINT32_MAX;
		done[v] = 0;
	}
	dist[s] = 0;
	heap_push(heap, &n, (struct heap_item){ 0, s });
	while (n) {
		struct heap_item it = heap_pop(heap, &n);
		if (done[it.v])
			continue;
		done[it.v] = 1;
		for (uint32_t j = sc->adj_off[it.v]; j < sc->adj_off[it.v + 1];
		     j++) {
			uint32_t w = sc->adj_to[j];
			double nd = dist[it.v] + sc->adj_delay[j];
			if (done[w] || !(nd < dist[w]))
				continue;
			dist[w] = nd;
			pred[w] = it.v;
			heap_push(heap, &n, (struct heap_item){ nd, w });
		}
	}
}

/* Dijkstra from source, cached per source: dist[v] (INFINITY if
 * unreachable) and pred[v] (UINT32_MAX for the source and unreachable
 * nodes). */
static int network_paths(struct network *net, uint32_t source,
                         const double **dist, const uint32_t **pred,
                         struct idn_err *e)
{
	const struct scenario *sc = net->sc;

	if (!net->dist[source]) {
		/* each edge pushes at most once per direction */
		size_t cap = sc->adj_off[sc->n_nodes] + 1;
		struct heap_item *heap = malloc(cap * sizeof *heap);
		char *done = malloc(sc->n_nodes);
		double *d = malloc(sc->n_nodes * sizeof *d);
		uint32_t *p = malloc(sc->n_nodes * sizeof *p);
		if (!heap || !done || !d || !p) {
			free(heap);
			free(done);
			free(d);
			free(p);
			return oom(e);
		}
		dijkstra(sc, source, d, p, heap, done);
		free(heap);
		free(done);
		net->dist[source] = d;
		net->pred[source] = p;
	}
	*dist = net->dist[source];
	*pred = net->pred[source];
	return IDN_OK;
}

/* --- request types ------------------------------------------------------- */

static int cand_cmp(const void *a, const void *b)
{
	const struct idn_cand *x = a, *y = b;

	if (x->cost != y->cost)
		return x->cost < y->cost ? -1 : 1;
	if (x->hop != y->hop)
		return x->hop < y->hop ? -1 : 1;
	return (x->model > y->model) - (x->model < y->model);
}

/* The nearest node pinning a model of the task; ties to the lower index. */
static uint32_t repository(const struct network *net, uint32_t task,
                           const double *dist)
{
	uint32_t best = UINT32_MAX;

	for (uint32_t p = net->pin_off[task]; p < net->pin_off[task + 1]; p++) {
		uint32_t v = net->pin_nodes[p];
		if (isinf(dist[v]))
			continue;
		if (best == UINT32_MAX || dist[v] < dist[best] ||
		    (dist[v] == dist[best] && v < best))
			best = v;
	}
	return best;
}

/* Count hops from the repository back to the source. */
static uint32_t path_length(const uint32_t *pred, uint32_t target)
{
	uint32_t len = 1;

	for (uint32_t v = target; pred[v] != UINT32_MAX; v = pred[v])
		len++;
	return len;
}

/* All (node, model) pairs of the path that may serve the task, sorted,
 * truncated after the first pinned one.  Returns the kept count.  The
 * pairs come from the models' places, matched to the path through
 * hop_of (node -> hop, UINT32_MAX off the path; restored on return). */
static uint32_t fill_candidates(struct network *net, uint32_t task,
                                const uint32_t *path, const double *delay,
                                uint32_t len, struct idn_cand *c)
{
	const struct scenario *sc = net->sc;
	uint32_t n = 0;

	for (uint32_t j = 0; j < len; j++)
		net->hop_of[path[j]] = j;
	for (uint32_t k = sc->task_model_off[task];
	     k < sc->task_model_off[task + 1]; k++) {
		uint32_t m = sc->task_models[k];
		for (uint32_t p = net->mp_off[m]; p < net->mp_off[m + 1]; p++) {
			uint32_t v = net->mp_node[p], j = net->hop_of[v];
			if (j == UINT32_MAX)
				continue;
			c[n].cost = (2 * delay[j] + scenario_latency(sc, m, v)) +
			            (net->alpha * 100) * (1 - sc->model_acc[m]);
			c[n].var = net->mp_var[p];
			c[n].node = v;
			c[n].model = m;
			c[n].hop = j;
			n++;
		}
	}
	for (uint32_t j = 0; j < len; j++)
		net->hop_of[path[j]] = UINT32_MAX;
	qsort(c, n, sizeof *c, cand_cmp);
	for (uint32_t k = 0; k < n; k++)
		if (c[k].var == IDN_PINNED)
			return k + 1;
	assert(!"the repository pins a runnable model of the task");
	return n;
}

/* Room for a type record.  Records are never freed one by one, so they
 * are cut from chunks of BIGMEM_MIN bytes: no allocation per type (a
 * million tasks make a million types), records created together lie
 * together, and a replay's random reads of them stay on huge pages. */
static void *type_alloc(struct network *net, size_t bytes)
{
	enum { ALIGN = 16 };

	bytes = (bytes + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (net->chunk_left < bytes) {
		size_t cap = bytes > BIGMEM_MIN ? bytes : BIGMEM_MIN;
		if (grow_array((void **)&net->chunks, &net->cap_chunks,
		               sizeof *net->chunks, net->n_chunks + 1))
			return NULL;
		char *p = bigmem_alloc(cap);
		if (!p)
			return NULL;
		net->chunks[net->n_chunks++] = p;
		net->chunk_next = p;
		net->chunk_left = cap;
	}
	void *r = net->chunk_next;
	net->chunk_next += bytes;
	net->chunk_left -= bytes;
	return r;
}

static int push_type(struct network *net, struct idn_type *t, uint32_t *id,
                     struct idn_err *e)
{
	if (net->n_types == net->cap_types) {
		uint32_t cap = net->cap_types ? 2 * net->cap_types : 64;
		struct idn_type **types = realloc(net->types,
		                                  cap * sizeof *types);
		if (!types)
			return oom(e);
		net->types = types;
		net->cap_types = cap;
	}
	*id = net->n_types;
	net->types[net->n_types++] = t;
	net->type_of[(size_t)t->task * net->sc->n_nodes + t->source] = *id + 1;
	return IDN_OK;
}

int network_make_type(struct network *net, uint32_t task, uint32_t source,
                      uint32_t *id, struct idn_err *e)
{
	const struct scenario *sc = net->sc;
	const double *dist = NULL;
	const uint32_t *pred = NULL;
	uint32_t repo, len, n_models, max_c;
	struct net_type *nt;
	struct idn_type *t;
	int rc = network_paths(net, source, &dist, &pred, e);

	if (rc != IDN_OK)
		return rc;
	repo = repository(net, task, dist);
	if (repo == UINT32_MAX)
		return idn_fail(e, IDN_EDATA, "no node pinning a model of task "
		                "'%s' is reachable from '%s'",
		                sc->task_name[task], sc->node_name[source]);
	len = path_length(pred, repo);
	n_models = sc->task_model_off[task + 1] - sc->task_model_off[task];
	max_c = len * n_models;
	/* One block: the type, its candidates, delays and path (together
	 * in the first lines, which the cache walk reads), then the
	 * candidates' serving terms; the path is padded to 8 bytes. */
	uint32_t len8 = len + (len & 1);
	nt = type_alloc(net, sizeof *nt + max_c * (sizeof(struct idn_cand) +
	                                           sizeof(struct cand_serve)) +
	                len * sizeof(double) + len8 * sizeof(uint32_t));
	if (!nt)
		return oom(e);
	t = &nt->pub;
	struct idn_cand *c = (struct idn_cand *)(nt + 1);
	double *delay = (double *)(c + max_c);
	uint32_t *path = (uint32_t *)(delay + len);
	struct cand_serve *serve = (struct cand_serve *)(path + len8);
	uint32_t v = repo;
	for (uint32_t j = len; j-- > 0; v = pred[v]) {
		path[j] = v;
		delay[j] = dist[v];
	}
	t->task = task;
	t->source = source;
	t->path_len = len;
	t->path = path;
	t->path_delay = delay;
	t->cands = c;
	t->n_cands = fill_candidates(net, task, path, delay, len, c);
	for (uint32_t k = 0; k < t->n_cands; k++) {
		serve[k].latency_ms = 2 * delay[c[k].hop] +
		                      scenario_latency(sc, c[k].model, c[k].node);
		serve[k].accuracy = sc->model_acc[c[k].model];
	}
	nt->serve = serve;
	/* on failure the record stays in its chunk until network_free */
	return push_type(net, t, id, e);
}

/* --- host view ----------------------------------------------------------- */

static const struct network *host_net(const struct idn_host *h)
{
	return h->ctx;
}

static const char *h_node_name(const struct idn_host *h, uint32_t v)
{
	return host_net(h)->sc->node_name[v];
}

static const char *h_model_name(const struct idn_host *h, uint32_t m)
{
	return host_net(h)->sc->model_name[m];
}

static const char *h_task_name(const struct idn_host *h, uint32_t i)
{
	return host_net(h)->sc->task_name[i];
}

static const char *h_tier_name(const struct idn_host *h, uint32_t t)
{
	return host_net(h)->sc->tier_name[t];
}

static uint32_t h_n_types(const struct idn_host *h)
{
	return host_net(h)->n_types;
}

static const struct idn_type *h_type(const struct idn_host *h, uint32_t id)
{
	return network_get_type(host_net(h), id);
}

void network_host(const struct network *net, struct idn_host *h)
{
	const struct scenario *sc = net->sc;

	*h = (struct idn_host){
		.abi_version = IDN_POLICY_ABI_VERSION,
		.n_nodes = sc->n_nodes,
		.n_models = sc->n_models,
		.n_tasks = sc->n_tasks,
		.n_vars = net->n_vars,
		.n_tiers = sc->n_tiers,
		.slot_length = 1,
		.alpha = net->alpha,
		.seed = 1,
		.var_off = net->var_off,
		.var_node = net->var_node,
		.var_model = net->var_model,
		.var_size = net->var_size,
		.var_capacity = net->var_capacity,
		.node_budget = sc->node_budget,
		.node_tier = sc->node_tier,
		.model_size = sc->model_size,
		.node_name = h_node_name,
		.model_name = h_model_name,
		.task_name = h_task_name,
		.tier_name = h_tier_name,
		.n_types = h_n_types,
		.type = h_type,
		.ctx = (void *)net,
	};
}
