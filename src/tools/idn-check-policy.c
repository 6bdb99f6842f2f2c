/* idn-check-policy - run a policy plugin through random scenarios and
 * report how it breaks the plugin contract.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each of K scenarios is drawn from the seed: a random tree, or a tree
 * with extra links, of 2-24 nodes (some routers), a random catalogue of
 * models, hardware profiles and budgets, repositories at the root, and a
 * random trace of T slots.  The files go to a private temporary directory
 * and are read back by the library's own loaders, so the policy sees what
 * idn-replay would show it.  The replay is the engine's (engine.h); its
 * allocation checks name the violation, and an observer records a hash of
 * every allocation and the time of every update().
 *
 * Every scenario runs in a forked child, twice in a row with the same seed
 * (in one process, so hidden global state such as an unseeded rand() shows
 * too): a signal is a crash, a run past --timeout a hang, and allocations
 * that differ between the two runs are non-determinism.  The child sends
 * its findings to the parent through a pipe as one fixed-size record;
 * whatever the policy prints goes to /dev/null.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"
#include "cliopt.h"
#include "engine.h"
#include "zipf.h"

#define PROG "idn-check-policy"
#define MAX_NODES 24
#define MAX_HW 3
#define MAX_TASKS 4
#define MAX_MODELS (3 * MAX_TASKS + 2)
#define DIR_MAX 256               /* the temporary directory's path */
#define PATH_MAX_ (DIR_MAX + 32)   /* a file in it */

/* --- what can go wrong ---------------------------------------------------- */

enum verdict {
	V_OK, V_LOAD, V_CREATE, V_CALLBACK, V_BINARY, V_RANGE, V_BUDGET,
	V_NONDET, V_CRASH, V_TIMEOUT, V_INTERNAL, N_VERDICTS
};

static const char *const verdict_name[N_VERDICTS] = {
	"ok", "load failed", "create failed", "callback failed",
	"allocation not 0 or 1", "write past the last var", "budget overflow",
	"non-deterministic", "crash", "timeout", "internal error"
};

/* What a child reports about one scenario (a plain struct: it crosses a
 * pipe between two copies of this program). */
struct result {
	int verdict;
	uint64_t slots, requests;
	uint32_t n_vars;
	double update_sum, update_max;   /* seconds, first run */
	char msg[sizeof(struct idn_err)];
};

/* --- random scenarios ------------------------------------------------------ */

struct gen {
	uint32_t n_nodes, n_hw, n_tasks, n_models;
	int graph;                        /* extra links beyond the tree */
	uint32_t parent[MAX_NODES], depth[MAX_NODES];
	int hw[MAX_NODES];                /* -1: a router */
	uint32_t task_of[MAX_MODELS];
	int runs[MAX_MODELS][MAX_HW];     /* a profile row exists */
};

static double between(struct idn_rng *r, double lo, double hi, double step)
{
	return lo + round((hi - lo) * idn_rng_uniform(r) / step) * step;
}

static int chance(struct idn_rng *r, double p)
{
	return idn_rng_uniform(r) < p;
}

static void draw_shape(struct gen *g, struct idn_rng *r)
{
	g->n_nodes = 2 + rng_index(r, MAX_NODES - 1);
	g->graph = chance(r, 0.5);
	g->n_hw = 1 + rng_index(r, MAX_HW);
	g->n_tasks = 1 + rng_index(r, MAX_TASKS);
	g->n_models = g->n_tasks + rng_index(r, 2 * g->n_tasks + 3);
	g->hw[0] = 0;
	for (uint32_t v = 1; v < g->n_nodes; v++) {
		g->parent[v] = rng_index(r, v);
		g->depth[v] = g->depth[g->parent[v]] + 1;
		g->hw[v] = chance(r, 0.1) ? -1 : (int)rng_index(r, g->n_hw);
	}
	/* model k < n_tasks is task k's repository model, pinned at node 0 */
	for (uint32_t m = 0; m < g->n_models; m++) {
		g->task_of[m] = m < g->n_tasks ? m : rng_index(r, g->n_tasks);
		for (uint32_t h = 0; h < g->n_hw; h++)
			g->runs[m][h] = (m < g->n_tasks && h == 0) ||
			                chance(r, 0.75);
	}
	/* a hardware kind without a profile row would be refused */
	for (uint32_t h = 1; h < g->n_hw; h++) {
		uint32_t m = 0;
		while (m < g->n_models && !g->runs[m][h])
			m++;
		if (m == g->n_models)
			g->runs[rng_index(r, g->n_models)][h] = 1;
	}
}

static int open_file(struct outfile **o, const char *dir, const char *name,
                     const char *header, struct idn_err *e)
{
	char path[PATH_MAX_];
	int rc;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((rc = outfile_open(o, path, 0, e)) == IDN_OK)
		outfile_puts(*o, header);
	return rc;
}

static void put_num(struct outfile *o, const char *before, double v,
                    const char *after)
{
	outfile_puts(o, before);
	outfile_double(o, v);
	outfile_puts(o, after);
}

static int write_nodes(const struct gen *g, struct idn_rng *r,
                       const char *dir, struct idn_err *e)
{
	static const char *const tier[] = {
		"cloud", "regional", "edge", "access"
	};
	struct outfile *o;
	int rc = open_file(&o, dir, "nodes.csv",
	                   "node,tier,hardware,budget_mb\n", e);

	for (uint32_t v = 0; rc == IDN_OK && v < g->n_nodes; v++) {
		uint32_t d = g->depth[v] < 3 ? g->depth[v] : 3;
		outfile_printf(o, "n%u,%s,", v, tier[d]);
		if (g->hw[v] >= 0)
			outfile_printf(o, "hw%d", g->hw[v]);
		put_num(o, ",", chance(r, 0.2) ? 0 : between(r, 0, 600, 0.5),
		        "\n");
	}
	return rc == IDN_OK ? outfile_commit(o, e) : rc;
}

static int write_links(const struct gen *g, struct idn_rng *r,
                       const char *dir, struct idn_err *e)
{
	struct outfile *o;
	int rc = open_file(&o, dir, "links.csv", "a,b,delay_ms\n", e);
	uint32_t extra = g->graph ? g->n_nodes / 2 : 0;

	for (uint32_t v = 1; rc == IDN_OK && v < g->n_nodes; v++) {
		outfile_printf(o, "n%u,n%u", v, g->parent[v]);
		put_num(o, ",", between(r, 0.5, 30, 0.1), "\n");
	}
	for (uint32_t k = 0; rc == IDN_OK && k < extra; k++) {
		uint32_t a = rng_index(r, g->n_nodes);
		uint32_t b = rng_index(r, g->n_nodes);
		if (a == b)
			continue;
		outfile_printf(o, "n%u,n%u", a, b);
		put_num(o, ",", between(r, 0.5, 30, 0.1), "\n");
	}
	return rc == IDN_OK ? outfile_commit(o, e) : rc;
}

static int write_models(const struct gen *g, struct idn_rng *r,
                        const char *dir, struct idn_err *e)
{
	struct outfile *o;
	int rc = open_file(&o, dir, "models.csv",
	                   "model,task,size_mb,accuracy\n", e);

	for (uint32_t m = 0; rc == IDN_OK && m < g->n_models; m++) {
		outfile_printf(o, "m%u,task%u", m, g->task_of[m]);
		put_num(o, ",", between(r, 1, 300, 0.5), "");
		put_num(o, ",", between(r, 0.3, 0.99, 0.01), "\n");
	}
	return rc == IDN_OK ? outfile_commit(o, e) : rc;
}

static int write_profiles(const struct gen *g, struct idn_rng *r,
                          const char *dir, struct idn_err *e)
{
	struct outfile *o;
	int rc = open_file(&o, dir, "profiles.csv",
	                   "model,hardware,latency_ms,capacity_rps\n", e);

	for (uint32_t m = 0; rc == IDN_OK && m < g->n_models; m++)
		for (uint32_t h = 0; h < g->n_hw; h++) {
			if (!g->runs[m][h])
				continue;
			outfile_printf(o, "m%u,hw%u", m, h);
			put_num(o, ",", between(r, 0.5, 120, 0.5), ",");
			if (chance(r, 0.3))
				outfile_puts(o, "inf\n");
			else
				put_num(o, "", between(r, 1, 200, 1), "\n");
		}
	return rc == IDN_OK ? outfile_commit(o, e) : rc;
}

static int write_pinned(const struct gen *g, struct idn_rng *r,
                        const char *dir, struct idn_err *e)
{
	struct outfile *o;
	int rc = open_file(&o, dir, "pinned.csv", "node,model\n", e);
	uint32_t v = 1 + rng_index(r, g->n_nodes - 1);
	uint32_t m = rng_index(r, g->n_models);

	for (uint32_t k = 0; rc == IDN_OK && k < g->n_tasks; k++)
		outfile_printf(o, "n0,m%u\n", k);
	/* sometimes a second repository further down */
	if (rc == IDN_OK && g->hw[v] >= 0 && g->runs[m][g->hw[v]] &&
	    chance(r, 0.5))
		outfile_printf(o, "n%u,m%u\n", v, m);
	return rc == IDN_OK ? outfile_commit(o, e) : rc;
}

/* Requests of T slots of 1 s: a random rate, Zipf tasks, uniform
 * sources, the first request at time 0 and one in the last slot, so the
 * replay has exactly T slots. */
static int write_trace(const struct gen *g, struct idn_rng *r,
                       uint64_t slots, const char *path, uint64_t *total,
                       struct idn_err *e)
{
	struct trace_writer *w;
	double cdf[MAX_TASKS], rate = between(r, 1, 30, 1);
	char src[16], task[16];
	int rc = trace_writer_open(&w, path, 0, 1, e);

	if (rc != IDN_OK)
		return rc;
	zipf_table(cdf, g->n_tasks, between(r, 0, 1.5, 0.1));
	*total = 0;
	for (uint64_t t = 0; t < slots; t++) {
		uint32_t n = rng_index(r, (uint32_t)(2 * rate) + 1);
		if (n == 0 && (t == 0 || t + 1 == slots))
			n = 1;
		for (uint32_t i = 0; i < n; i++) {
			double at = t == 0 && i == 0 ? 0 :
			            t + (i + idn_rng_uniform(r)) / n * 0.999;
			uint64_t count = 1 + rng_index(r, 3);
			snprintf(src, sizeof src, "n%u",
			         rng_index(r, g->n_nodes));
			snprintf(task, sizeof task, "task%u",
			         zipf_draw(cdf, g->n_tasks,
			                   idn_rng_uniform(r)));
			trace_writer_put(w, at, src, task, count);
			*total += count;
		}
	}
	return trace_writer_commit(w, e);
}

/* Scenario k into dir (files named as scenario_load wants) and its trace
 * into dir/trace.csv. */
static int make_scenario(struct gen *g, uint64_t seed, uint64_t k,
                         uint64_t slots, const char *dir, uint64_t *requests,
                         struct idn_err *e)
{
	struct idn_rng r;
	char path[PATH_MAX_];
	int rc;

	memset(g, 0, sizeof *g);
	idn_rng_seed(&r, seed ^ (0x9E3779B97F4A7C15ull * (k + 1)));
	draw_shape(g, &r);
	snprintf(path, sizeof path, "%s/trace.csv", dir);
	if ((rc = write_nodes(g, &r, dir, e)) == IDN_OK &&
	    (rc = write_links(g, &r, dir, e)) == IDN_OK &&
	    (rc = write_models(g, &r, dir, e)) == IDN_OK &&
	    (rc = write_profiles(g, &r, dir, e)) == IDN_OK &&
	    (rc = write_pinned(g, &r, dir, e)) == IDN_OK)
		rc = write_trace(g, &r, slots, path, requests, e);
	return rc;
}

/* --- one replay, observed ------------------------------------------------- */

/* Per-slot allocation hashes of the first run, compared by the second. */
struct observer {
	uint64_t *hash, n, cap;
	int compare;
	uint64_t first_diff;      /* UINT64_MAX if none */
	double sum, max;
};

static uint64_t fnv1a(const uint8_t *p, uint32_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (uint32_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static void observe(void *arg, uint64_t slot, const uint8_t *next,
                    uint32_t n_vars, double update_s)
{
	struct observer *ob = arg;
	uint64_t h = fnv1a(next, n_vars);

	ob->sum += update_s;
	if (update_s > ob->max)
		ob->max = update_s;
	if (ob->n < ob->cap) {
		if (!ob->compare)
			ob->hash[ob->n] = h;
		else if (ob->hash[ob->n] != h && ob->first_diff == UINT64_MAX)
			ob->first_diff = slot;
	}
	ob->n++;
}

static int engine_verdict(enum engine_fault f)
{
	switch (f) {
	case ENGINE_FAULT_CALLBACK: return V_CALLBACK;
	case ENGINE_FAULT_BINARY: return V_BINARY;
	case ENGINE_FAULT_RANGE: return V_RANGE;
	case ENGINE_FAULT_BUDGET: return V_BUDGET;
	default: return V_INTERNAL;
	}
}

/* Replay dir/trace.csv on the scenario in dir; a failure fills res. */
static void replay(const struct plugin *pl, const char *dir, uint64_t seed,
                   struct observer *ob, struct result *res)
{
	struct scenario *sc = NULL;
	struct network *net = NULL;
	struct engine *eng = NULL;
	struct trace_reader *tr = NULL;
	struct outfile *out = NULL;
	struct idn_err e = { "" };
	struct engine_config cfg = {
		.slot_length = 1, .seed = seed, .on_slot = observe,
		.on_slot_arg = ob,
	};
	char trace[PATH_MAX_], output[PATH_MAX_];
	int rc, stage = 0;

	snprintf(trace, sizeof trace, "%s/trace.csv", dir);
	snprintf(output, sizeof output, "%s/replay.csv", dir);
	if (!(rc = scenario_load(&sc, dir, &e)) &&
	    !(rc = network_new(&net, sc, 1, &e)) && ++stage &&
	    !(rc = engine_new(&eng, net, pl, &cfg, &e)) && ++stage &&
	    !(rc = trace_reader_open(&tr, trace, &e)) &&
	    !(rc = outfile_open(&out, output, 0, &e)) && ++stage)
		rc = engine_run(eng, tr, out, &e);
	if (rc != IDN_OK) {
		res->verdict = stage == 1 ? V_CREATE :
		               stage == 3 ? engine_verdict(engine_fault(eng)) :
		               V_INTERNAL;
		memcpy(res->msg, e.msg, sizeof res->msg);
	} else {
		res->slots = engine_totals(eng)->slots;
		res->n_vars = net->n_vars;
	}
	outfile_abort(out);
	trace_reader_close(tr);
	engine_free(eng);
	network_free(net);
	scenario_free(sc);
}

/* Both runs of one scenario (in the child). */
static void check_scenario(const struct plugin *pl, const char *dir,
                           uint64_t seed, uint64_t slots, struct result *res)
{
	struct observer ob = { .cap = slots, .first_diff = UINT64_MAX };

	ob.hash = calloc(slots, sizeof *ob.hash);
	if (!ob.hash) {
		res->verdict = V_INTERNAL;
		snprintf(res->msg, sizeof res->msg, "out of memory");
		return;
	}
	replay(pl, dir, seed, &ob, res);
	res->update_sum = ob.sum;
	res->update_max = ob.max;
	if (res->verdict == V_OK) {
		uint64_t n1 = ob.n;
		ob.compare = 1;
		ob.n = 0;
		replay(pl, dir, seed, &ob, res);
		if (res->verdict == V_OK && (ob.first_diff != UINT64_MAX ||
		                             ob.n != n1)) {
			res->verdict = V_NONDET;
			snprintf(res->msg, sizeof res->msg, "two runs with seed "
			         "%llu differ from slot %llu on",
			         (unsigned long long)seed,
			         (unsigned long long)(ob.first_diff != UINT64_MAX
			                              ? ob.first_diff
			                              : (n1 < ob.n ? n1 : ob.n)));
		} else if (res->verdict != V_OK) {
			/* the first run passed: failing now is non-determinism */
			char why[sizeof res->msg];
			memcpy(why, res->msg, sizeof why);
			snprintf(res->msg, sizeof res->msg, "second run with the "
			         "same seed: %s: %.800s",
			         verdict_name[res->verdict], why);
			res->verdict = V_NONDET;
		}
	}
	free(ob.hash);
}

/* --- the parent: fork, collect, report ------------------------------------ */

static int read_all(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = read(fd, (char *)buf + got, n - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return 0;
}

static void write_all(int fd, const void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t k = write(fd, (const char *)buf + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		done += (size_t)k;
	}
}

/* A policy's own chatter (offline prints its LP bound) would drown the
 * report: the child's standard output and error go to /dev/null. */
static void quiet(void)
{
	int null = open("/dev/null", O_WRONLY);

	if (null < 0)
		return;
	dup2(null, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	close(null);
}

/* Run check_scenario in a child; a signal or a missing record is
 * reported as a crash (SIGALRM from --timeout as a timeout). */
static void run_child(const struct plugin *pl, const char *dir, uint64_t seed,
                      uint64_t slots, unsigned timeout, struct result *res)
{
	int fd[2], st = 0;
	pid_t pid;

	memset(res, 0, sizeof *res);
	fflush(NULL);
	if (pipe(fd) != 0 || (pid = fork()) < 0) {
		res->verdict = V_INTERNAL;
		snprintf(res->msg, sizeof res->msg, "cannot fork: %s",
		         strerror(errno));
		return;
	}
	if (pid == 0) {
		close(fd[0]);
		quiet();
		alarm(timeout);
		check_scenario(pl, dir, seed, slots, res);
		write_all(fd[1], res, sizeof *res);
		_exit(0);
	}
	close(fd[1]);
	int got = read_all(fd[0], res, sizeof *res);
	close(fd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st)) {
		int sig = WTERMSIG(st);
		res->verdict = sig == SIGALRM ? V_TIMEOUT : V_CRASH;
		if (sig == SIGALRM)
			snprintf(res->msg, sizeof res->msg, "no result after "
			         "%u s", timeout);
		else
			snprintf(res->msg, sizeof res->msg, "killed by signal "
			         "%d (%s)", sig, strsignal(sig));
	} else if (got != 0) {
		res->verdict = V_CRASH;
		snprintf(res->msg, sizeof res->msg, "exited with status %d "
		         "before reporting", WEXITSTATUS(st));
	}
}

struct args {
	const char *policy, *out;
	uint64_t seed, scenarios, slots, timeout;
};

struct tally {
	uint64_t count[N_VERDICTS];
	uint64_t slots;
	double update_sum, update_max;
};

/* Milliseconds rounded to 0.1 us, printed with fmt_double. */
static void put_ms(struct outfile *o, const char *before, double s)
{
	put_num(o, before, round(s * 1e7) / 1e4, " ms");
}

static void report_scenario(struct outfile *o, uint64_t k,
                            const struct gen *g, uint64_t requests,
                            const struct result *res)
{
	outfile_printf(o, "scenario %llu: %s, %u nodes, %u models, %u tasks, "
	               "%llu requests: ", (unsigned long long)k + 1,
	               g->graph ? "graph" : "tree", g->n_nodes, g->n_models,
	               g->n_tasks, (unsigned long long)requests);
	if (res->verdict == V_OK) {
		outfile_printf(o, "ok, %u vars, %llu slots", res->n_vars,
		               (unsigned long long)res->slots);
		put_ms(o, ", update mean ", res->slots ? res->update_sum /
		       (double)res->slots : 0);
		put_ms(o, ", max ", res->update_max);
		outfile_puts(o, "\n");
	} else {
		outfile_printf(o, "VIOLATION %s: %s\n",
		               verdict_name[res->verdict], res->msg);
	}
}

static void report_summary(struct outfile *o, const struct args *a,
                           const struct tally *t)
{
	uint64_t bad = 0;

	for (int v = 1; v < N_VERDICTS; v++)
		bad += t->count[v];
	outfile_printf(o, "summary: %llu scenarios, %llu with a violation",
	               (unsigned long long)a->scenarios,
	               (unsigned long long)bad);
	for (int v = 1; v < N_VERDICTS; v++)
		if (t->count[v])
			outfile_printf(o, ", %s %llu", verdict_name[v],
			               (unsigned long long)t->count[v]);
	outfile_printf(o, "\nupdate time per slot over %llu slots:",
	               (unsigned long long)t->slots);
	put_ms(o, " mean ", t->slots ? t->update_sum / (double)t->slots : 0);
	put_ms(o, ", max ", t->update_max);
	outfile_printf(o, "\nresult: %s\n", bad ? "FAIL" : "PASS");
}

/* Remove the temporary directory and everything in it, including the
 * temporary output a crashed child could not clean up. */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	char path[PATH_MAX_];

	while (d && (ent = readdir(d)))
		if (strcmp(ent->d_name, ".") && strcmp(ent->d_name, "..") &&
		    (size_t)snprintf(path, sizeof path, "%s/%s", dir,
		                     ent->d_name) < sizeof path)
			unlink(path);
	if (d)
		closedir(d);
	rmdir(dir);
}

/* Every scenario, in order. */
static int check_all(const struct args *a, const struct plugin *pl,
                     const char *dir, struct outfile *o, struct tally *t,
                     struct idn_err *e)
{
	for (uint64_t k = 0; k < a->scenarios; k++) {
		struct gen g;
		struct result res;
		uint64_t requests;
		int rc = make_scenario(&g, a->seed, k, a->slots, dir, &requests,
		                       e);
		if (rc != IDN_OK)
			return rc;
		run_child(pl, dir, a->seed + k, a->slots,
		          (unsigned)a->timeout, &res);
		report_scenario(o, k, &g, requests, &res);
		t->count[res.verdict]++;
		if (res.verdict == V_OK) {
			t->slots += res.slots;
			t->update_sum += res.update_sum;
			if (res.update_max > t->update_max)
				t->update_max = res.update_max;
		}
	}
	return IDN_OK;
}

static int run(const struct args *a, int *failed, struct idn_err *e)
{
	struct plugin *pl = NULL;
	struct outfile *o = NULL;
	struct tally t = { .slots = 0 };
	const char *tmp = getenv("TMPDIR");
	char dir[DIR_MAX];
	int rc = outfile_open(&o, a->out ? a->out : "-", 0, e);

	if (rc != IDN_OK)
		return rc;
	rc = plugin_open(&pl, a->policy, e);
	if (rc == IDN_EUSAGE || rc == IDN_ENOMEM) {
		outfile_abort(o);
		return rc;
	}
	if (rc != IDN_OK) {            /* the plugin itself is broken */
		outfile_printf(o, "policy %s: VIOLATION %s: %s\nresult: FAIL\n",
		               a->policy, verdict_name[V_LOAD], e->msg);
		*failed = 1;
		return outfile_commit(o, e);
	}
	outfile_printf(o, "policy %s (%s): seed %llu, %llu scenarios of %llu "
	               "slots\n", pl->desc->name, pl->path,
	               (unsigned long long)a->seed,
	               (unsigned long long)a->scenarios,
	               (unsigned long long)a->slots);
	if ((size_t)snprintf(dir, sizeof dir, "%s/" PROG ".XXXXXX",
	                     tmp && *tmp ? tmp : "/tmp") >= sizeof dir)
		rc = idn_fail(e, IDN_EUSAGE, "TMPDIR is too long");
	else if (!mkdtemp(dir))
		rc = idn_fail(e, IDN_EIO, "%s: cannot create: %s", dir,
		              strerror(errno));
	else {
		rc = check_all(a, pl, dir, o, &t, e);
		remove_dir(dir);
	}
	if (rc == IDN_OK) {
		report_summary(o, a, &t);
		*failed = t.count[V_OK] != a->scenarios;
		rc = outfile_commit(o, e);
	} else {
		outfile_abort(o);
	}
	plugin_close(pl);
	return rc;
}

/* --- command line ---------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " [OPTION]... PLUGIN.so|NAME\n"
"Run a policy plugin through random scenarios and traces and report\n"
"violations of the plugin contract: budget overflow, allocations that are\n"
"not 0 or 1 or written past the last var, failing callbacks, different\n"
"allocations in two runs with the same seed, crashes and hangs (each\n"
"scenario runs in a child process), with the time of update() per slot.\n"
"A NAME is looked up as NAME.so in $IDN_POLICY_PATH, then in\n"
IDN_POLICYDIR ".\n"
"\n"
"      --seed N         seed of the scenarios and of the policy (default 1)\n"
"      --scenarios K    number of random scenarios (default 20)\n"
"      --slots T        slots of 1 s per trace (default 50)\n"
"      --timeout S      seconds allowed per scenario, both runs (default 60)\n"
"  -o, --output FILE    report to FILE instead of standard output\n"
"  -h, --help           show this help and exit\n"
"      --version        show the version and exit\n"
"\n"
"Exit status: 0 no violation, 1 a violation (or bad data), 2 bad usage.\n");
}

static int apply_opt(void *opts, int c, const char *arg, bool *done,
                     struct idn_err *e)
{
	struct args *a = opts;

	switch (c) {
	case 'S': return cli_uint("seed", arg, UINT64_MAX, &a->seed, e);
	case 'k': return cli_uint("scenarios", arg, 1000000, &a->scenarios, e);
	case 't': return cli_uint("slots", arg, 10000000, &a->slots, e);
	case 'T': return cli_uint("timeout", arg, 86400, &a->timeout, e);
	case 'o':
		a->out = arg;
		return IDN_OK;
	case 'h':
	case 'V':
		cliopt_info(c, PROG, usage, done);
		return IDN_OK;
	}
	return idn_fail(e, IDN_EUSAGE, "unhandled option");
}

static int parse_args(int argc, char **argv, struct args *a, bool *done,
                      struct idn_err *e)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, 0, 'S' },
		{ "scenarios", required_argument, 0, 'k' },
		{ "slots", required_argument, 0, 't' },
		{ "timeout", required_argument, 0, 'T' },
		{ "output", required_argument, 0, 'o' },
		{ "help", no_argument, 0, 'h' },
		{ "version", no_argument, 0, 'V' },
		{ 0, 0, 0, 0 }
	};
	int rc = cliopt_parse(argc, argv, longopts, apply_opt, a, done, e);

	if (rc != IDN_OK || *done)
		return rc;
	if (a->scenarios == 0 || a->slots == 0 || a->timeout == 0)
		return idn_fail(e, IDN_EUSAGE, "--scenarios, --slots and "
		                "--timeout must be at least 1");
	if (optind >= argc)
		return idn_fail(e, IDN_EUSAGE, "missing PLUGIN.so or NAME");
	if (optind + 1 < argc)
		return idn_fail(e, IDN_EUSAGE, "extra argument '%s'",
		                argv[optind + 1]);
	a->policy = argv[optind];
	return IDN_OK;
}

int main(int argc, char **argv)
{
	struct args a = { .seed = 1, .scenarios = 20, .slots = 50,
	                  .timeout = 60 };
	struct idn_err e = { "" };
	bool done = false;
	int failed = 0;
	int rc = parse_args(argc, argv, &a, &done, &e);

	if (rc == IDN_OK && !done) {
		outfile_install_signal_cleanup();
		rc = run(&a, &failed, &e);
	}
	rc = cli_finish(PROG, rc, &e);
	return rc == 0 && failed ? 1 : rc;
}
