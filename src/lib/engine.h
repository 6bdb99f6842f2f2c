/* engine.h - the replay engine: slots, serving, policy timeline (SPEC 4-6).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * engine_run streams a trace: it maps each request to its type, gathers
 * the slot's counts, serves the slot with the current allocation x_t,
 * writes one CSV row, lets the policy produce x_{t+1}, and checks that
 * allocation against every budget (a violation stops the run with an
 * error naming the node; nothing is clipped).  Per-slot memory is
 * proportional to the requests of one slot, never to the trace.
 */
#ifndef IDN_ENGINE_H
#define IDN_ENGINE_H

#include "network.h"
#include "output.h"
#include "plugin.h"
#include "trace.h"

#define ENGINE_MAX_SLOTS 100000000ULL

struct engine_config {
	double slot_length;          /* D, seconds, > 0 */
	uint64_t seed;
	const struct idn_option *opts;
	size_t n_opts;
	int progress;                /* report progress on stderr */
	uint64_t max_slots;          /* a later request is an input error;
	                                0 means ENGINE_MAX_SLOTS */
	int placement;               /* keep per-var occupancy for
	                                engine_write_placement */
	/* Optional observer (idn-check-policy): called for every slot once
	 * the policy's x_{t+1} has passed the allocation check, with that
	 * allocation (n_vars bytes) and the wall time of update(), s. */
	void (*on_slot)(void *arg, uint64_t slot, const uint8_t *next,
	                uint32_t n_vars, double update_s);
	void *on_slot_arg;
};

/* What made engine_run fail, when the policy is to blame (a failing
 * create() is engine_new's IDN_EPOLICY). */
enum engine_fault {
	ENGINE_FAULT_NONE = 0,   /* no failure, or not the policy's */
	ENGINE_FAULT_CALLBACK,   /* prepare(), init() or update() failed */
	ENGINE_FAULT_BINARY,     /* an allocation byte other than 0 or 1 */
	ENGINE_FAULT_RANGE,      /* a write past the last var */
	ENGINE_FAULT_BUDGET      /* a node over its budget */
};

/* Totals over the run, for --summary. */
struct engine_totals {
	uint64_t slots;
	uint64_t requests;
	double gain, max_gain;
	double latency_sum;          /* sum over served requests, ms */
	double accuracy_sum;
	double update_mb;
};

struct engine;

/* The engine borrows net and plugin (both must outlive it) and creates the
 * policy instance, so option errors surface here. */
int engine_new(struct engine **out, struct network *net,
               const struct plugin *pl, const struct engine_config *cfg,
               struct idn_err *e);
/* Replay the whole trace, writing the header and one row per slot. */
int engine_run(struct engine *eng, struct trace_reader *tr,
               struct outfile *out, struct idn_err *e);
const struct engine_totals *engine_totals(const struct engine *eng);
/* After engine_run with cfg.placement: one row per learned (node, model)
 * that was ever allocated, with the share of slots it was held:
 * node,tier,model,task,size_mb,share. */
int engine_write_placement(const struct engine *eng, struct outfile *out);
/* The kind of the policy's fault after engine_run failed. */
enum engine_fault engine_fault(const struct engine *eng);
void engine_free(struct engine *eng);

#endif
