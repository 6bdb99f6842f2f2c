/* fuzz_trace - libFuzzer harness of the trace reader (src/lib/trace.c).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a whole trace file (plain or gzip).  Every record is read
 * until the end or the first error; the properties checked are the
 * reader's promises in trace.h: non-decreasing finite times, counts >= 1,
 * non-empty NUL-terminated names, and a one-line message on error.
 */
#include <assert.h>
#include <math.h>
#include <string.h>
#include "fuzzutil.h"
#include "trace.h"

static void check_record(const struct trace_record *rec, double *prev,
                         uint64_t *line)
{
	assert(isfinite(rec->time) && rec->time >= *prev);
	assert(rec->count >= 1);
	assert(rec->source_len > 0 && rec->task_len > 0);
	assert(strlen(rec->source) == rec->source_len);
	assert(strlen(rec->task) == rec->task_len);
	assert(rec->line > *line);
	*prev = rec->time;
	*line = rec->line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_file file = { -1, "" };
	struct trace_reader *r;
	struct trace_record rec;
	struct idn_err e = { "" };
	double prev = -INFINITY;
	uint64_t line = 0;
	int rc;

	if (file.fd < 0)
		fuzz_file_init(&file, "trace");
	fuzz_file_set(&file, data, size);
	if (trace_reader_open(&r, file.path, &e) != IDN_OK) {
		assert(e.msg[0] && !strchr(e.msg, '\n'));
		return 0;
	}
	while ((rc = trace_reader_next(r, &rec, &e)) == IDN_OK)
		check_record(&rec, &prev, &line);
	assert(rc == IDN_END || (e.msg[0] && !strchr(e.msg, '\n')));
	/* errors are sticky */
	if (rc != IDN_END)
		assert(trace_reader_next(r, &rec, &e) == rc);
	trace_reader_close(r);
	return 0;
}
