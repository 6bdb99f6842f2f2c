/* fuzz_replay - libFuzzer harness of a whole replay: a fuzzed trace
 * through the engine (src/lib/engine.c, serve.c, learn.c) and a shipped
 * policy, on a small fixed scenario.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: byte 0 picks the policy, byte 1 the slot length, the rest is the
 * trace.  The scenario (written once to a private directory) has a router,
 * two tasks, finite and unlimited capacities and budgets that do not hold
 * every model.  A replay must end either cleanly, with gain <= max_gain,
 * or with a one-line message; never with a policy fault (the shipped
 * policies are correct) or a sanitizer report.
 *
 * The engine plays every slot, empty or not, up to 1e15 of them: one far
 * timestamp makes a replay that never ends, by design.  Traces spanning
 * more than MAX_SLOTS slots are therefore skipped.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "engine.h"
#include "fuzzutil.h"


#define MAX_SLOTS 10000

static const double slot_length[] = { 1, 0.5, 2, 10 };

static const char *const scenario_files[][2] = {
	{ "nodes.csv", "node,tier,hardware,budget_mb\n"
	  "a0,access,cpu,100\na1,access,cpu,60\ne0,edge,gpu,200\n"
	  "r0,edge,,0\nc0,cloud,gpu,0\n" },
	{ "links.csv", "a,b,delay_ms\n"
	  "a0,e0,5\na1,e0,3\ne0,c0,20\na1,r0,1\nr0,c0,15\n" },
	{ "models.csv", "model,task,size_mb,accuracy\n"
	  "small,cls,50,0.7\nbig,cls,200,0.8\ndet,det,40,0.6\n" },
	{ "profiles.csv", "model,hardware,latency_ms,capacity_rps\n"
	  "small,cpu,20,10\nsmall,gpu,5,100\nbig,cpu,80,2\nbig,gpu,10,25\n"
	  "det,cpu,35,3\ndet,gpu,8,inf\n" },
	{ "pinned.csv", "node,model\nc0,big\nc0,det\n" },
};

/* The fixed scenario, loaded once (it is immutable once loaded). */
static const struct scenario *scenario(void)
{
	static struct scenario *sc;
	char dir[] = "/tmp/idn-fuzz-replay.XXXXXX", path[64];
	struct idn_err e = { "" };

	if (sc)
		return sc;
	if (!mkdtemp(dir))
		abort();
	for (size_t i = 0; i < 5; i++) {
		FILE *f;
		snprintf(path, sizeof path, "%s/%s", dir, scenario_files[i][0]);
		if (!(f = fopen(path, "w")) || fputs(scenario_files[i][1], f) < 0
		    || fclose(f) != 0)
			abort();
	}
	if (scenario_load(&sc, dir, &e) != IDN_OK) {
		fprintf(stderr, "fuzz_replay: %s\n", e.msg);
		abort();
	}
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, scenario_files[i][0]);
		unlink(path);
	}
	rmdir(dir);
	return sc;
}

/* Whether the trace spans at most MAX_SLOTS slots of d seconds (a trace
 * the reader refuses is left to the engine's error path). */
static int short_enough(const char *path, double d)
{
	struct trace_reader *r;
	struct trace_record rec;
	struct idn_err e = { "" };
	double t0 = 0;
	int first = 1, ok = 1;

	if (trace_reader_open(&r, path, &e) != IDN_OK)
		return 1;
	while (ok && trace_reader_next(r, &rec, &e) == IDN_OK) {
		if (first)
			t0 = rec.time;
		first = 0;
		ok = !((rec.time - t0) / d > MAX_SLOTS);
	}
	trace_reader_close(r);
	return ok;
}

static void check_run(struct engine *eng, int rc, const struct idn_err *e)
{
	const struct engine_totals *t = engine_totals(eng);

	if (rc != IDN_OK) {
		assert(engine_fault(eng) == ENGINE_FAULT_NONE);
		assert(e->msg[0] && !strchr(e->msg, '\n'));
		return;
	}
	assert(t->gain <= t->max_gain + 1e-9 * fabs(t->max_gain) + 1e-6);
	assert(t->gain >= -1e-6);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_file trace = { -1, "" };
	static char out_path[64];
	struct plugin pl = { .path = "fuzz" };
	struct network *net = NULL;
	struct engine *eng = NULL;
	struct trace_reader *tr = NULL;
	struct outfile *out = NULL;
	struct idn_err e = { "" };
	int rc;

	if (size < 2)
		return 0;
	if (trace.fd < 0) {
		fuzz_file_init(&trace, "trace");
		snprintf(out_path, sizeof out_path, "/tmp/idn-fuzz-replay-%d.csv",
		         (int)getpid());
	}
	fuzz_file_set(&trace, data + 2, size - 2);
	if (!short_enough(trace.path, slot_length[data[1] % 4]))
		return 0;
	pl.desc = fuzz_policy(data[0]);
	struct engine_config cfg = {
		.slot_length = slot_length[data[1] % 4], .seed = data[1],
	};
	if (network_new(&net, scenario(), 1.0, &e) != IDN_OK)
		abort();
	rc = engine_new(&eng, net, &pl, &cfg, &e);
	assert(rc == IDN_OK);
	if (trace_reader_open(&tr, trace.path, &e) == IDN_OK &&
	    outfile_open(&out, out_path, 0, &e) == IDN_OK)
		check_run(eng, engine_run(eng, tr, out, &e), &e);
	outfile_abort(out);
	trace_reader_close(tr);
	engine_free(eng);
	network_free(net);
	return 0;
}
