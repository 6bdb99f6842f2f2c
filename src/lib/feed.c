/* feed.c - a trace read ahead on a second thread (see feed.h).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A ring of N_BATCH batches of BATCH records: the thread fills batch
 * `filled % N_BATCH` while fewer than N_BATCH are waiting, the caller
 * drains batch `consumed % N_BATCH` and gives it back when it is empty.
 * The counters, the end flag and the error are shared under the mutex;
 * a batch's records belong to one side at a time, so they need none.
 * Handing over a few thousand records per lock keeps synchronisation
 * out of the profile.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "feed.h"
#include "strmap.h"

#define BATCH 4096
#define N_BATCH 4
#define SHOW 80            /* bytes of an unknown name shown in messages */

struct batch {
	uint32_t n;
	struct feed_record rec[BATCH];
};

struct feed {
	struct trace_reader *tr;
	const struct scenario *sc;
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
	uint32_t pos;

	struct batch batches[N_BATCH];
};

/* --- the reading thread --------------------------------------------------- */

static int unknown(const struct feed *f, const struct trace_record *r,
                   const char *field, const char *what, const char *name,
                   size_t len, struct idn_err *e)
{
	return idn_fail(e, IDN_EDATA, "%s:%llu: %s: unknown %s '%.*s%s'",
	                trace_reader_name(f->tr), (unsigned long long)r->line,
	                field, what, (int)(len > SHOW ? SHOW : len), name,
	                len > SHOW ? "..." : "");
}

/* The next record with its names looked up. */
static int next_resolved(struct feed *f, struct feed_record *out,
                         struct idn_err *e)
{
	struct trace_record r;
	int rc = trace_reader_next(f->tr, &r, e);

	if (rc != IDN_OK)
		return rc;
	out->source = strmap_get(f->sc->node_map, r.source, r.source_len);
	if (out->source == STRMAP_NONE)
		return unknown(f, &r, "source", "node", r.source, r.source_len,
		               e);
	out->task = strmap_get(f->sc->task_map, r.task, r.task_len);
	if (out->task == STRMAP_NONE)
		return unknown(f, &r, "task", "task", r.task, r.task_len, e);
	out->time = r.time;
	out->count = r.count;
	out->line = r.line;
	return IDN_OK;
}

static void *run(void *arg)
{
	struct feed *f = arg;
	struct idn_err e = { 0 };
	int rc = IDN_OK;

	while (rc == IDN_OK) {
		pthread_mutex_lock(&f->mu);
		while (f->filled - f->consumed == N_BATCH && !atomic_load(&f->stop))
			pthread_cond_wait(&f->not_full, &f->mu);
		pthread_mutex_unlock(&f->mu);
		/* stopped: the caller may still hold every batch */
		if (atomic_load(&f->stop))
			break;
		struct batch *b = &f->batches[f->filled % N_BATCH];
		b->n = 0;
		while (b->n < BATCH && rc == IDN_OK) {
			if (atomic_load_explicit(&f->stop, memory_order_relaxed))
				rc = IDN_END;
			else if ((rc = next_resolved(f, &b->rec[b->n], &e)) == IDN_OK)
				b->n++;
		}
		pthread_mutex_lock(&f->mu);
		f->filled++;
		if (rc != IDN_OK) {
			f->done = 1;
			f->status = rc;
			f->err = e;
		}
		pthread_cond_signal(&f->not_empty);
		pthread_mutex_unlock(&f->mu);
	}
	return NULL;
}

/* --- the caller's side ---------------------------------------------------- */

int feed_open(struct feed **out, struct trace_reader *tr,
              const struct scenario *sc, struct idn_err *e)
{
	struct feed *f = calloc(1, sizeof *f);
	sigset_t all, old;
	int rc;

	*out = NULL;
	if (!f)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	f->tr = tr;
	f->sc = sc;
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
		free(f);
		return idn_fail(e, IDN_ENOMEM, "cannot start the reading "
		                "thread");
	}
	*out = f;
	return IDN_OK;
}

/* Give the drained batch back and take the next non-empty one. */
static int take_batch(struct feed *f, struct idn_err *e)
{
	while (!f->cur || f->pos == f->cur->n) {
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

int feed_next_batch(struct feed *f, const struct feed_record **recs,
                    uint32_t *n, struct idn_err *e)
{
	int rc = take_batch(f, e);

	if (rc == IDN_OK) {
		*recs = f->cur->rec + f->pos;
		*n = f->cur->n - f->pos;
		f->pos = f->cur->n;
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
	free(f);
}
