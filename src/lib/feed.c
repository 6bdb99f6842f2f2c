/* feed.c - a trace read ahead on a second thread and gathered into slots
 * (see feed.h).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A ring of N_BATCH batches.  A batch holds whole slots: the thread adds
 * slots to batch `filled % N_BATCH` and hands it over once it holds
 * BATCH_ROWS requests or more (a slot is never split, so a batch can be
 * bigger), while fewer than N_BATCH are waiting; the caller drains batch
 * `consumed % N_BATCH` and gives it back when it is empty.  The
 * counters, the end flag and the error are shared under the mutex; a
 * batch belongs to one side at a time, so its contents need none.
 *
 * The thread reads STAGE rows at a time in three passes: parse them (and
 * look up the source, a small map); look up the tasks; then place each
 * row in its slot and pair.  The last two touch catalogue-sized tables
 * (the task names; the open slot's index of pairs), a cache miss per row
 * with a big catalogue, so each pass prefetches the entry of the row
 * AHEAD rows on and the misses overlap.  A pass only sees the rows the
 * passes before it accepted, so the first bad row in file order is the
 * one reported, as if each row went through every step before the next
 * was read.
 */
#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "feed.h"
#include "grow.h"
#include "prefetch.h"
#include "strmap.h"

#define STAGE 4096         /* rows read, then resolved, at a time */
#define BATCH_ROWS 4096    /* requests' worth of slots per hand-over */
#define N_BATCH 4
#define AHEAD 16           /* lookups between a prefetch and its use */
#define SHOW 80            /* bytes of an unknown name shown in messages */

/* A slot in a batch: its pairs and events are ranges of the batch's
 * arrays (offsets, since the arrays grow while the slot is gathered). */
struct slot_ref {
	uint64_t index;
	size_t pair_off, n_pairs;
	size_t ev_off, n_events;
	int partial;
};

struct batch {
	struct slot_ref *slots;
	size_t n_slots, cap_slots;
	struct feed_pair *pairs;
	size_t n_pairs, cap_pairs;
	struct feed_event *events;
	size_t n_events, cap_events;
	size_t n_rows;             /* requests (rows) in its slots */
};

/* A row between parsing and placing.  The reader's strings last only
 * until its next row, so task names are copied into the stage's arena. */
struct parsed {
	double time;
	uint64_t line;
	uint32_t count;
	uint32_t source, task;     /* node id; task id once resolved */
	uint32_t hash;             /* strmap_hash of the task name */
	size_t name_off, name_len;
};

/* Ids of a packed trace's names by their position in the file, looked
 * up once each: id + 1, 0 until looked up. */
struct id_cache {
	uint32_t *id;
	size_t cap;
};

/* The thread's own state. */
struct stage {
	struct parsed row[STAGE];
	char *names;
	size_t names_len, names_cap;
	int started;               /* t0 is set */
	double t0;                 /* time of the first request */
	struct batch *fill;        /* batch being filled */
	int open;                  /* fill's last slot is being gathered */
	/* index + 1 of (task, source) among the open slot's pairs, 0 if
	 * absent; by task * n_nodes + source, zero again once a slot ends
	 * (calloc'd: only pages of pairs that occur are touched) */
	uint32_t *pair_of;
	struct id_cache src_ids, task_ids;
};

struct feed {
	struct trace_reader *tr;
	const struct scenario *sc;
	struct feed_config cfg;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t not_full, not_empty;
	uint64_t filled, consumed;   /* batches handed over / given back */
	int done;                    /* the thread has finished */
	int status;                  /* then: IDN_END or the error */
	struct idn_err err;          /* the error's message */
	atomic_int stop;             /* feed_close: give up now */

	/* the caller's side */
	struct batch *cur;           /* being drained, or NULL */
	size_t pos;                  /* next slot of cur */

	struct batch batches[N_BATCH];
	struct stage stage;
};

static void batch_release(struct batch *b)
{
	free(b->slots);
	free(b->pairs);
	free(b->events);
}

/* --- the reading thread: batches ------------------------------------------ */

/* Wait for a free batch and start filling it; IDN_END if stopped. */
static int take_free(struct feed *f)
{
	pthread_mutex_lock(&f->mu);
	while (f->filled - f->consumed == N_BATCH && !atomic_load(&f->stop))
		pthread_cond_wait(&f->not_full, &f->mu);
	pthread_mutex_unlock(&f->mu);
	/* stopped: the caller may still hold every batch */
	if (atomic_load(&f->stop))
		return IDN_END;
	struct batch *b = &f->batches[f->filled % N_BATCH];
	b->n_slots = b->n_pairs = b->n_events = b->n_rows = 0;
	f->stage.fill = b;
	return IDN_OK;
}

/* Hand the batch being filled over; with a status other than IDN_OK it
 * is the last one. */
static void hand_over(struct feed *f, int status, const struct idn_err *e)
{
	pthread_mutex_lock(&f->mu);
	f->filled++;
	if (status != IDN_OK) {
		f->done = 1;
		f->status = status;
		f->err = *e;
	}
	pthread_cond_signal(&f->not_empty);
	pthread_mutex_unlock(&f->mu);
	f->stage.fill = NULL;
}

static int open_slot(struct feed *f, uint64_t index)
{
	struct stage *st = &f->stage;
	struct batch *b = st->fill;

	if (grow_array((void **)&b->slots, &b->cap_slots, sizeof *b->slots,
	               b->n_slots + 1))
		return IDN_ENOMEM;
	b->slots[b->n_slots++] = (struct slot_ref){
		.index = index, .pair_off = b->n_pairs, .ev_off = b->n_events,
	};
	st->open = 1;
	return IDN_OK;
}

static size_t pair_key(const struct feed *f, uint32_t task, uint32_t source)
{
	return (size_t)task * f->sc->n_nodes + source;
}

/* End the open slot: its pair index goes back to all zero. */
static void close_slot(struct feed *f, int partial)
{
	struct stage *st = &f->stage;
	struct batch *b = st->fill;
	struct slot_ref *s = &b->slots[b->n_slots - 1];

	s->n_pairs = b->n_pairs - s->pair_off;
	s->n_events = b->n_events - s->ev_off;
	s->partial = partial;
	for (size_t i = s->pair_off; i < b->n_pairs; i++)
		st->pair_of[pair_key(f, b->pairs[i].task, b->pairs[i].source)] = 0;
	st->open = 0;
}

/* Count row p in the open slot: its pair, and the current run. */
static int add_row(struct feed *f, const struct parsed *p)
{
	struct stage *st = &f->stage;
	struct batch *b = st->fill;
	const struct slot_ref *s = &b->slots[b->n_slots - 1];
	uint32_t *k = &st->pair_of[pair_key(f, p->task, p->source)];

	if (*k == 0) {
		if (grow_array((void **)&b->pairs, &b->cap_pairs,
		               sizeof *b->pairs, b->n_pairs + 1))
			return IDN_ENOMEM;
		b->pairs[b->n_pairs++] = (struct feed_pair){
			p->task, p->source, 0, p->line };
		*k = (uint32_t)(b->n_pairs - s->pair_off);
	}
	uint32_t pair = *k - 1;
	b->pairs[s->pair_off + pair].count += p->count;
	b->n_rows++;
	if (b->n_events > s->ev_off) {
		struct feed_event *last = &b->events[b->n_events - 1];
		if (last->pair == pair && last->count <= UINT32_MAX - p->count) {
			last->count += p->count;
			return IDN_OK;
		}
	}
	if (grow_array((void **)&b->events, &b->cap_events,
	               sizeof *b->events, b->n_events + 1))
		return IDN_ENOMEM;
	b->events[b->n_events++] = (struct feed_event){ pair, p->count };
	return IDN_OK;
}

/* --- the reading thread: rows --------------------------------------------- */

static int unknown(const struct feed *f, uint64_t line, const char *field,
                   const char *what, const char *name, size_t len,
                   struct idn_err *e)
{
	return idn_fail(e, IDN_EDATA, "%s:%llu: %s: unknown %s '%.*s%s'",
	                trace_reader_name(f->tr), (unsigned long long)line,
	                field, what, (int)(len > SHOW ? SHOW : len), name,
	                len > SHOW ? "..." : "");
}

static int keep_name(struct stage *st, const char *name, size_t len)
{
	if (grow_array((void **)&st->names, &st->names_cap, 1,
	               st->names_len + len))
		return IDN_ENOMEM;
	memcpy(st->names + st->names_len, name, len);
	st->names_len += len;
	return IDN_OK;
}

/* *id = the id in m of a packed trace's name number idx (the name
 * itself is name), looked up in m on its first use only; an unknown
 * name fails as in a CSV trace ("FILE:LINE: FIELD: unknown WHAT"). */
static int cached_id(const struct feed *f, struct id_cache *c, uint32_t idx,
                     const struct strmap *m, const char *name, size_t len,
                     uint64_t line, const char *field, const char *what,
                     uint32_t *id, struct idn_err *e)
{
	if (idx >= c->cap) {
		size_t cap = c->cap ? c->cap : 256;
		while (cap <= idx)
			cap *= 2;
		uint32_t *p = realloc(c->id, cap * sizeof *p);
		if (!p)
			return idn_fail(e, IDN_ENOMEM, "out of memory");
		memset(p + c->cap, 0, (cap - c->cap) * sizeof *p);
		c->id = p;
		c->cap = cap;
	}
	if (c->id[idx] == 0) {
		uint32_t v = strmap_get(m, name, len);
		if (v == STRMAP_NONE)
			return unknown(f, line, field, what, name, len, e);
		c->id[idx] = v + 1;
	}
	*id = c->id[idx] - 1;
	return IDN_OK;
}

/* A row of a packed trace: its ids come from the caches, and pass 2 has
 * nothing left to do for it. */
static int take_packed(struct feed *f, const struct trace_record *r,
                       struct parsed *p, struct idn_err *e)
{
	struct stage *st = &f->stage;
	int rc = cached_id(f, &st->src_ids, r->source_idx, f->sc->node_map,
	                   r->source, r->source_len, r->line, "source",
	                   "node", &p->source, e);

	if (rc == IDN_OK)
		rc = cached_id(f, &st->task_ids, r->task_idx, f->sc->task_map,
		               r->task, r->task_len, r->line, "task", "task",
		               &p->task, e);
	return rc;
}

/* Pass 1: up to STAGE rows into the stage (*n of them); IDN_OK if the
 * stage is full, else why it is not (the end, a stop, an error). */
static int parse_rows(struct feed *f, uint32_t *n, struct idn_err *e)
{
	struct stage *st = &f->stage;
	const struct strmap *nodes = f->sc->node_map;
	struct trace_record r;
	int rc;

	st->names_len = 0;
	for (*n = 0; *n < STAGE; (*n)++) {
		struct parsed *p = &st->row[*n];
		if (atomic_load_explicit(&f->stop, memory_order_relaxed))
			return IDN_END;
		if ((rc = trace_reader_next(f->tr, &r, e)) != IDN_OK)
			return rc;
		p->time = r.time;
		p->count = (uint32_t)r.count;   /* the reader's limit */
		p->line = r.line;
		if (r.task_idx != TRACE_NO_INDEX) {
			if ((rc = take_packed(f, &r, p, e)) != IDN_OK)
				return rc;
			continue;
		}
		p->task = STRMAP_NONE;          /* for pass 2 */
		p->source = strmap_get(nodes, r.source, r.source_len);
		if (p->source == STRMAP_NONE)
			return unknown(f, r.line, "source", "node", r.source,
			               r.source_len, e);
		p->name_off = st->names_len;
		p->name_len = r.task_len;
		if (keep_name(st, r.task, r.task_len) != IDN_OK)
			return idn_fail(e, IDN_ENOMEM, "out of memory");
		p->hash = strmap_hash(r.task, r.task_len);
	}
	return IDN_OK;
}

/* Pass 2: task ids of rows 0..*n-1; on an unknown task *n becomes its
 * row. */
static int resolve_tasks(struct feed *f, uint32_t *n, struct idn_err *e)
{
	struct stage *st = &f->stage;
	const struct strmap *tasks = f->sc->task_map;
	const uint32_t end = *n;

	if (end == 0 || st->row[0].task != STRMAP_NONE)
		return IDN_OK;                  /* a packed trace's rows */
	for (uint32_t i = 0; i < end && i < AHEAD; i++)
		strmap_prefetch(tasks, st->row[i].hash);
	for (uint32_t i = 0; i < end; i++) {
		struct parsed *p = &st->row[i];
		const char *name = st->names + p->name_off;
		if (i + AHEAD < end)
			strmap_prefetch(tasks, st->row[i + AHEAD].hash);
		p->task = strmap_get_hashed(tasks, name, p->name_len, p->hash);
		if (p->task == STRMAP_NONE) {
			*n = i;
			return unknown(f, p->line, "task", "task", name,
			               p->name_len, e);
		}
	}
	return IDN_OK;
}

/* Pass 3: rows 0..n-1 into their slots, handing batches over as slots
 * end; IDN_END if stopped while waiting for a free batch. */
static int place_rows(struct feed *f, uint32_t n, struct idn_err *e)
{
	struct stage *st = &f->stage;
	int rc;

	for (uint32_t i = 0; i < n; i++) {
		const struct parsed *p = &st->row[i];
		if (i + AHEAD < n)
			IDN_PREFETCH(&st->pair_of[pair_key(f, st->row[i + AHEAD].task,
			                                   st->row[i + AHEAD].source)]);
		if (!st->started) {
			st->t0 = p->time;
			st->started = 1;
		}
		double q = floor((p->time - st->t0) / f->cfg.slot_length);
		/* every empty slot is a row of output: a stray far-off time
		 * (a unit mistake, say) would otherwise run for ages */
		if (!(q < (double)f->cfg.max_slots))
			return idn_fail(e, IDN_EDATA, "%s:%llu: time: %.17g is "
			                "slot %.0f, beyond --max-slots %llu",
			                trace_reader_name(f->tr),
			                (unsigned long long)p->line, p->time, q,
			                (unsigned long long)f->cfg.max_slots);
		uint64_t index = (uint64_t)q;
		struct batch *b = st->fill;
		/* times never decrease (the reader checks), nor do slots */
		if (st->open && b->slots[b->n_slots - 1].index != index) {
			close_slot(f, 0);
			if (b->n_rows >= BATCH_ROWS) {
				hand_over(f, IDN_OK, e);
				if ((rc = take_free(f)) != IDN_OK)
					return rc;
			}
		}
		if ((!st->open && (rc = open_slot(f, index)) != IDN_OK) ||
		    (rc = add_row(f, p)) != IDN_OK)
			return idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	return IDN_OK;
}

/* Read, resolve and place up to STAGE rows; IDN_OK if more may follow.
 * The first failure in file order wins: a later pass only saw rows
 * before the earlier passes' failures. */
static int read_stage(struct feed *f, struct idn_err *e)
{
	struct idn_err e2 = { 0 }, e3 = { 0 };
	uint32_t n;
	int rc1 = parse_rows(f, &n, e);
	int rc2 = resolve_tasks(f, &n, &e2);
	int rc3 = place_rows(f, n, &e3);

	if (rc3 != IDN_OK) {
		*e = e3;
		return rc3;
	}
	if (rc2 != IDN_OK) {
		*e = e2;
		return rc2;
	}
	return rc1;
}

static void *run(void *arg)
{
	struct feed *f = arg;
	struct idn_err e = { 0 };
	int rc = take_free(f);

	while (rc == IDN_OK)
		rc = read_stage(f, &e);
	if (f->stage.fill) {
		/* at the end the last slot is whole; after an error it is
		 * cut short */
		if (f->stage.open)
			close_slot(f, rc != IDN_END);
		hand_over(f, rc, &e);
	} else {
		/* stopped while waiting for a batch */
		pthread_mutex_lock(&f->mu);
		f->done = 1;
		f->status = IDN_END;
		pthread_cond_signal(&f->not_empty);
		pthread_mutex_unlock(&f->mu);
	}
	return NULL;
}

/* --- the caller's side ---------------------------------------------------- */

int feed_open(struct feed **out, struct trace_reader *tr,
              const struct scenario *sc, const struct feed_config *cfg,
              struct idn_err *e)
{
	struct feed *f = calloc(1, sizeof *f);
	sigset_t all, old;
	int rc;

	*out = NULL;
	assert(cfg->slot_length > 0);
	if (f)
		f->stage.pair_of = calloc((size_t)sc->n_tasks * sc->n_nodes + 1,
		                          sizeof *f->stage.pair_of);
	if (!f || !f->stage.pair_of) {
		free(f);
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	f->tr = tr;
	f->sc = sc;
	f->cfg = *cfg;
	atomic_init(&f->stop, 0);
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->not_full, NULL);
	pthread_cond_init(&f->not_empty, NULL);
	/* The thread inherits a mask with every signal blocked: SIGINT and
	 * friends keep going to the thread that installed the handlers. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&f->thread, NULL, run, f);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_mutex_destroy(&f->mu);
		pthread_cond_destroy(&f->not_full);
		pthread_cond_destroy(&f->not_empty);
		free(f->stage.pair_of);
		free(f);
		return idn_fail(e, IDN_ENOMEM, "cannot start the reading "
		                "thread");
	}
	*out = f;
	return IDN_OK;
}

/* Give the drained batch back and take the next one with a slot left. */
static int take_batch(struct feed *f, struct idn_err *e)
{
	while (!f->cur || f->pos == f->cur->n_slots) {
		pthread_mutex_lock(&f->mu);
		if (f->cur) {
			f->cur = NULL;
			f->consumed++;
			pthread_cond_signal(&f->not_full);
		}
		while (f->filled == f->consumed && !f->done)
			pthread_cond_wait(&f->not_empty, &f->mu);
		if (f->filled == f->consumed) {
			int rc = f->status;
			if (rc != IDN_END)
				*e = f->err;
			pthread_mutex_unlock(&f->mu);
			return rc;
		}
		f->cur = &f->batches[f->consumed % N_BATCH];
		f->pos = 0;
		pthread_mutex_unlock(&f->mu);
	}
	return IDN_OK;
}

int feed_next_slot(struct feed *f, struct feed_slot *s, struct idn_err *e)
{
	int rc = take_batch(f, e);

	if (rc == IDN_OK) {
		const struct batch *b = f->cur;
		const struct slot_ref *r = &b->slots[f->pos++];
		*s = (struct feed_slot){
			.index = r->index,
			.n_pairs = (uint32_t)r->n_pairs,
			.n_events = (uint32_t)r->n_events,
			.pairs = b->pairs + r->pair_off,
			.events = b->events + r->ev_off,
			.partial = r->partial,
		};
	}
	return rc;
}

void feed_close(struct feed *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->mu);
	atomic_store(&f->stop, 1);
	pthread_cond_broadcast(&f->not_full);
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->thread, NULL);
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->not_full);
	pthread_cond_destroy(&f->not_empty);
	for (int i = 0; i < N_BATCH; i++)
		batch_release(&f->batches[i]);
	free(f->stage.names);
	free(f->stage.pair_of);
	free(f->stage.src_ids.id);
	free(f->stage.task_ids.id);
	free(f);
}
