/* pack.c - packed traces (see pack.h for the layout).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader maps the file and checks every length and index against
 * it before use, so a truncated or corrupt file is an error, never a
 * read outside the mapping.  Integers are assembled byte by byte from
 * little-endian; compilers turn that into plain loads on little-endian
 * machines.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "grow.h"
#include "output.h"
#include "pack.h"
#include "strmap.h"
#include "trace.h"

#define HEADER 16u
#define TRAILER 24u

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* --- reading -------------------------------------------------------------- */

struct names {
	uint32_t n;
	const char **name;        /* into the mapping, NUL-terminated */
	uint32_t *len;
};

struct pack_reader {
	char *name;
	const unsigned char *map;
	size_t size;
	uint64_t n, next;         /* records, and the next to read */
	struct names src, task;
	double prev_time;
};

int pack_sniff(const char *path)
{
	char magic[8];
	struct stat st;
	int fd, packed = 0;

	/* only a regular file: reading from a pipe would eat its bytes (a
	 * packed trace there is caught by the CSV reader's header check) */
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	packed = read(fd, magic, 8) == 8 && memcmp(magic, PACK_MAGIC, 8) == 0;
	close(fd);
	return packed;
}

static int corrupt(const struct pack_reader *r, const char *what,
                   struct idn_err *e)
{
	return idn_fail(e, IDN_EDATA, "%s: packed trace: %s", r->name, what);
}

/* A name list at *pos, ending before end. */
static int read_names(struct pack_reader *r, size_t *pos, size_t end,
                      struct names *l, const char *what,
                      struct idn_err *e)
{
	if (end - *pos < 4)
		return corrupt(r, "truncated name list", e);
	l->n = get32(r->map + *pos);
	*pos += 4;
	if (l->n > (end - *pos) / 6)     /* a name takes >= 6 bytes */
		return corrupt(r, "name count beyond the file", e);
	l->name = malloc((l->n + 1) * sizeof *l->name);
	l->len = malloc((l->n + 1) * sizeof *l->len);
	if (!l->name || !l->len)
		return idn_fail(e, IDN_ENOMEM, "%s: out of memory", r->name);
	for (uint32_t k = 0; k < l->n; k++) {
		if (end - *pos < 4)
			return corrupt(r, "truncated name list", e);
		uint32_t len = get32(r->map + *pos);
		const char *s = (const char *)r->map + *pos + 4;
		*pos += 4;
		if (len == 0 || len >= end - *pos || s[len] != '\0' ||
		    memchr(s, '\0', len))
			return idn_fail(e, IDN_EDATA, "%s: packed trace: %s "
			                "name %u is empty, cut short or holds a "
			                "NUL byte", r->name, what, k);
		l->name[k] = s;
		l->len[k] = len;
		*pos += (size_t)len + 1;
	}
	return IDN_OK;
}

static int check_layout(struct pack_reader *r, struct idn_err *e)
{
	const unsigned char *m = r->map;
	size_t pos;

	if (r->size < HEADER + TRAILER)
		return corrupt(r, "shorter than its header and trailer", e);
	if (memcmp(m, PACK_MAGIC, 8) != 0)
		return corrupt(r, "no packed-trace mark at the start", e);
	if (get32(m + 8) != PACK_VERSION)
		return idn_fail(e, IDN_EDATA, "%s: packed trace: version %u, "
		                "this idnbench reads version %u", r->name,
		                get32(m + 8), PACK_VERSION);
	if (get32(m + 12) != PACK_RECORD)
		return corrupt(r, "unknown record size", e);
	if (memcmp(m + r->size - 8, PACK_END, 8) != 0)
		return corrupt(r, "no end mark (truncated?)", e);
	r->n = get64(m + r->size - TRAILER);
	pos = (size_t)get64(m + r->size - 16);
	if (r->n > (r->size - HEADER - TRAILER) / PACK_RECORD ||
	    pos != HEADER + r->n * PACK_RECORD)
		return corrupt(r, "record count does not match the file size",
		               e);
	int rc = read_names(r, &pos, r->size - TRAILER, &r->src, "source", e);
	if (rc == IDN_OK)
		rc = read_names(r, &pos, r->size - TRAILER, &r->task, "task", e);
	if (rc == IDN_OK && pos != r->size - TRAILER)
		rc = corrupt(r, "bytes after the name lists", e);
	return rc;
}

int pack_reader_open(struct pack_reader **out, const char *path,
                     const char *name, struct idn_err *e)
{
	struct pack_reader *r = calloc(1, sizeof *r);
	struct stat st;
	int fd, rc = IDN_OK;

	*out = NULL;
	if (!r || !(r->name = strdup(name))) {
		free(r);
		return idn_fail(e, IDN_ENOMEM, "%s: out of memory", name);
	}
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) != 0)
		rc = idn_fail(e, IDN_EIO, "%s: cannot open: %s", name,
		              strerror(errno));
	else if (!S_ISREG(st.st_mode))
		rc = idn_fail(e, IDN_EDATA, "%s: packed trace: not a regular "
		              "file (it is read whole, with mmap)", name);
	else if ((r->size = (size_t)st.st_size) > 0) {
		void *p = mmap(NULL, r->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			rc = idn_fail(e, IDN_EIO, "%s: cannot map: %s", name,
			              strerror(errno));
		else
			r->map = p;
	}
	if (fd >= 0)
		close(fd);
	if (rc == IDN_OK)
		rc = check_layout(r, e);
	if (rc == IDN_OK && r->map)
		(void)madvise((void *)r->map, r->size, MADV_SEQUENTIAL);
	if (rc != IDN_OK) {
		pack_reader_close(r);
		return rc;
	}
	*out = r;
	return IDN_OK;
}

int pack_reader_next(struct pack_reader *r, struct trace_record *rec,
                     struct idn_err *e)
{
	if (r->next == r->n)
		return IDN_END;
	const unsigned char *p = r->map + HEADER + r->next * PACK_RECORD;
	uint64_t bits = get64(p), line = r->next + 2;
	uint32_t s = get32(p + 8), t = get32(p + 12), count = get32(p + 16);
	double time;

	memcpy(&time, &bits, sizeof time);
	if (!isfinite(time))
		return idn_fail(e, IDN_EDATA, "%s:%llu: time: not a finite "
		                "number", r->name, (unsigned long long)line);
	if (r->next > 0 && time < r->prev_time) {
		char a[32], b[32];
		fmt_double(a, time);
		fmt_double(b, r->prev_time);
		return idn_fail(e, IDN_EDATA, "%s:%llu: time: %s is before the "
		                "previous %s", r->name, (unsigned long long)line,
		                a, b);
	}
	if (s >= r->src.n || t >= r->task.n)
		return idn_fail(e, IDN_EDATA, "%s:%llu: %s: name index %u, the "
		                "file has %u", r->name, (unsigned long long)line,
		                s >= r->src.n ? "source" : "task",
		                s >= r->src.n ? s : t,
		                s >= r->src.n ? r->src.n : r->task.n);
	if (count == 0)
		return idn_fail(e, IDN_EDATA, "%s:%llu: count: not an integer "
		                ">= 1: '0'", r->name, (unsigned long long)line);
	r->prev_time = time;
	r->next++;
	*rec = (struct trace_record){
		.time = time,
		.source = r->src.name[s], .source_len = r->src.len[s],
		.task = r->task.name[t], .task_len = r->task.len[t],
		.count = count, .line = line,
		.source_idx = s, .task_idx = t,
	};
	return IDN_OK;
}

void pack_reader_close(struct pack_reader *r)
{
	if (!r)
		return;
	if (r->map)
		munmap((void *)r->map, r->size);
	free(r->src.name);
	free(r->src.len);
	free(r->task.name);
	free(r->task.len);
	free(r->name);
	free(r);
}

/* --- writing -------------------------------------------------------------- */

struct name_list {
	struct strmap *index;     /* name -> position */
	char **name;
	size_t n, cap;
};

struct pack_writer {
	struct outfile *out;
	struct name_list src, task;
	uint64_t n;
};

/* The position of name in l, added if new; UINT32_MAX when out of
 * memory. */
static uint32_t intern(struct name_list *l, const char *s, size_t len)
{
	uint32_t k = strmap_get(l->index, s, len);

	if (k != STRMAP_NONE)
		return k;
	if (l->n >= UINT32_MAX - 1 ||
	    grow_array((void **)&l->name, &l->cap, sizeof *l->name, l->n + 1))
		return UINT32_MAX;
	if (!(l->name[l->n] = strndup(s, len)))
		return UINT32_MAX;
	if (strmap_put(l->index, s, len, (uint32_t)l->n) != IDN_OK) {
		free(l->name[l->n]);
		return UINT32_MAX;
	}
	return (uint32_t)l->n++;
}

static void names_release(struct name_list *l)
{
	for (size_t k = 0; k < l->n; k++)
		free(l->name[k]);
	free(l->name);
	strmap_free(l->index);
}

static void writer_free(struct pack_writer *w)
{
	names_release(&w->src);
	names_release(&w->task);
	free(w);
}

int pack_writer_open(struct pack_writer **out, const char *path,
                     struct idn_err *e)
{
	struct pack_writer *w = calloc(1, sizeof *w);
	unsigned char head[HEADER];
	int rc;

	*out = NULL;
	if (!w || !(w->src.index = strmap_new()) ||
	    !(w->task.index = strmap_new())) {
		if (w)
			writer_free(w);
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	/* level 0: never gzip, whatever the name (the reader maps it) */
	if ((rc = outfile_open(&w->out, path, 0, e)) != IDN_OK) {
		writer_free(w);
		return rc;
	}
	memcpy(head, PACK_MAGIC, 8);
	put32(head + 8, PACK_VERSION);
	put32(head + 12, PACK_RECORD);
	outfile_write(w->out, (const char *)head, sizeof head);
	*out = w;
	return IDN_OK;
}

int pack_writer_put(struct pack_writer *w, const struct trace_record *rec,
                    struct idn_err *e)
{
	unsigned char b[PACK_RECORD];
	uint32_t s = intern(&w->src, rec->source, rec->source_len);
	uint32_t t = intern(&w->task, rec->task, rec->task_len);
	uint64_t bits;

	if (s == UINT32_MAX || t == UINT32_MAX)
		return idn_fail(e, IDN_ENOMEM, "out of memory");
	memcpy(&bits, &rec->time, sizeof bits);
	put64(b, bits);
	put32(b + 8, s);
	put32(b + 12, t);
	put32(b + 16, (uint32_t)rec->count);   /* <= UINT32_MAX (trace.h) */
	outfile_write(w->out, (const char *)b, sizeof b);
	w->n++;
	return IDN_OK;
}

static void write_names(struct outfile *o, const struct name_list *l)
{
	unsigned char b[4];

	put32(b, (uint32_t)l->n);
	outfile_write(o, (const char *)b, 4);
	for (size_t k = 0; k < l->n; k++) {
		size_t len = strlen(l->name[k]);
		put32(b, (uint32_t)len);
		outfile_write(o, (const char *)b, 4);
		outfile_write(o, l->name[k], len + 1);
	}
}

int pack_writer_commit(struct pack_writer *w, struct idn_err *e)
{
	unsigned char tail[TRAILER];
	int rc;

	write_names(w->out, &w->src);
	write_names(w->out, &w->task);
	put64(tail, w->n);
	put64(tail + 8, HEADER + w->n * PACK_RECORD);
	memcpy(tail + 16, PACK_END, 8);
	outfile_write(w->out, (const char *)tail, sizeof tail);
	rc = outfile_commit(w->out, e);
	w->out = NULL;
	writer_free(w);
	return rc;
}

void pack_writer_abort(struct pack_writer *w)
{
	if (!w)
		return;
	outfile_abort(w->out);
	writer_free(w);
}
