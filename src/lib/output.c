/* output.c - output files that appear whole or not at all.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Data goes through one large buffer into either write(2) or gzwrite, so
 * the per-call cost of outfile_write is a memcpy.  Errors are sticky: the
 * first errno is remembered and everything after it is dropped, and
 * outfile_commit turns it into the one message the caller sees.
 *
 * Regular files (and names that do not exist yet) are written to a
 * temporary next to the target and renamed onto it, so readers never see
 * a half-written file.  Anything else that exists (/dev/full, a FIFO, a
 * terminal) cannot be replaced by rename and is written in place.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "output.h"

#define OUT_BUFSZ (1u << 20)

struct outfile {
	char *name;        /* for messages: the path, or "<stdout>" */
	char *path;        /* rename target; NULL when writing in place */
	char *tmp;         /* temporary name; NULL when writing in place */
	int fd;            /* -1 once handed to gzip or closed */
	int close_fd;      /* 0 for standard output written plainly */
	gzFile gz;         /* NULL for plain output */
	int slot;          /* signal registry slot, -1 if none */
	int err;           /* first errno seen, 0 if none */
	size_t len;        /* bytes pending in buf */
	char buf[];        /* OUT_BUFSZ bytes */
};

/* --- signal cleanup ------------------------------------------------------
 *
 * The one piece of global mutable state in the library: a signal handler
 * has no other way to learn which temporaries exist.  Slots are claimed
 * and released with atomic operations so the handler (which only reads)
 * never sees a half-updated entry.  A temporary is registered after its
 * name is complete and unregistered only after rename/unlink, so the worst
 * race is an unlink of a name that no longer exists.  When all slots are
 * taken the temporary is simply not protected.
 */
#define OUT_MAX_LIVE 64
static char *live_tmp[OUT_MAX_LIVE];

static int live_register(char *name)
{
	for (int i = 0; i < OUT_MAX_LIVE; i++) {
		char *expected = NULL;

		if (__atomic_compare_exchange_n(&live_tmp[i], &expected, name,
		                                0, __ATOMIC_RELEASE,
		                                __ATOMIC_RELAXED))
			return i;
	}
	return -1;
}

static void live_unregister(int slot)
{
	if (slot >= 0)
		__atomic_store_n(&live_tmp[slot], NULL, __ATOMIC_RELEASE);
}

static void cleanup_handler(int sig)
{
	int saved = errno;

	for (int i = 0; i < OUT_MAX_LIVE; i++) {
		char *p = __atomic_load_n(&live_tmp[i], __ATOMIC_ACQUIRE);

		if (p)
			unlink(p);
	}
	/* SA_RESETHAND restored the default action; the signal is blocked
	 * while we run and kills the process as soon as we return. */
	raise(sig);
	errno = saved;
}

void outfile_install_signal_cleanup(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, old;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cleanup_handler;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		/* A signal ignored by our parent (nohup, background jobs)
		 * stays ignored. */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

/* --- opening -------------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* mkstemp creates files 0600; a finished output should get the mode an
 * ordinary open(O_CREAT, 0666) would have given it.  umask() is the only
 * portable way to read the mask (it is set back at once; a thread creating
 * files in that instant would see 022, which is harmless). */
static mode_t default_mode(void)
{
	mode_t mask = umask(022);

	umask(mask);
	return 0666 & ~mask;
}

/* Open the descriptor the data goes to: a fresh temporary next to path,
 * or path itself if it exists and is not a regular file. */
static int open_target(struct outfile *o, const char *path,
                       struct idn_err *e)
{
	struct stat st;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		o->fd = open(path, O_WRONLY | O_CLOEXEC);
		if (o->fd < 0)
			return idn_fail(e, IDN_EIO, "%s: cannot open: %s",
			                path, strerror(errno));
		return IDN_OK;
	}
	o->path = strdup(path);
	o->tmp = malloc(strlen(path) + sizeof ".tmp.XXXXXX");
	if (!o->path || !o->tmp)
		return idn_fail(e, IDN_ENOMEM, "%s: out of memory", path);
	sprintf(o->tmp, "%s.tmp.XXXXXX", path);
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0) {
		int err = errno;

		free(o->tmp);
		o->tmp = NULL;
		return idn_fail(e, IDN_EIO, "%s: cannot create temporary: %s",
		                path, strerror(err));
	}
	o->slot = live_register(o->tmp);
	fchmod(o->fd, default_mode());
	return IDN_OK;
}

static int open_gzip(struct outfile *o, int level, struct idn_err *e)
{
	char mode[4] = { 'w', 'b', (char)('0' + level), '\0' };
	/* gzclose closes its descriptor; standard output must survive. */
	int fd = o->close_fd ? o->fd : dup(o->fd);

	if (fd < 0 || !(o->gz = gzdopen(fd, mode))) {
		if (fd >= 0 && fd != o->fd)
			close(fd);
		return idn_fail(e, IDN_EIO, "%s: cannot start gzip stream",
		                o->name);
	}
	if (o->close_fd)
		o->fd = -1;   /* now owned by gz */
	gzbuffer(o->gz, 256 * 1024);
	return IDN_OK;
}

int outfile_open(struct outfile **out, const char *path, int gz_level,
                 struct idn_err *e)
{
	struct outfile *o;
	int rc;

	assert(path && gz_level <= 9);
	*out = NULL;
	if (gz_level < 0)
		gz_level = ends_with(path, ".gz") ? 1 : 0;
	o = calloc(1, sizeof *o + OUT_BUFSZ);
	if (!o)
		return idn_fail(e, IDN_ENOMEM, "%s: out of memory", path);
	o->slot = -1;
	o->fd = -1;
	if (strcmp(path, "-") == 0) {
		o->name = strdup("<stdout>");
		o->fd = STDOUT_FILENO;
		rc = o->name ? IDN_OK : idn_fail(e, IDN_ENOMEM, "out of memory");
	} else {
		o->name = strdup(path);
		o->close_fd = 1;
		rc = o->name ? open_target(o, path, e)
		             : idn_fail(e, IDN_ENOMEM, "out of memory");
	}
	if (rc == IDN_OK && gz_level > 0)
		rc = open_gzip(o, gz_level, e);
	if (rc != IDN_OK) {
		outfile_abort(o);
		return rc;
	}
	*out = o;
	return IDN_OK;
}

/* --- writing -------------------------------------------------------------- */

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* errno behind the last gzip failure (EIO when zlib itself failed). */
static int gz_errno(gzFile gz)
{
	int zerr;

	gzerror(gz, &zerr);
	return zerr == Z_ERRNO && errno ? errno : EIO;
}

static void sink(struct outfile *o, const char *p, size_t n)
{
	if (o->err || n == 0)
		return;
	if (o->gz) {
		/* gzwrite takes an unsigned length. */
		while (n > 0 && !o->err) {
			unsigned k = n > (1u << 30) ? 1u << 30 : (unsigned)n;

			if (gzwrite(o->gz, p, k) != (int)k)
				o->err = gz_errno(o->gz);
			p += k;
			n -= k;
		}
	} else if (write_all(o->fd, p, n) < 0) {
		o->err = errno;
	}
}

static void flush_buf(struct outfile *o)
{
	sink(o, o->buf, o->len);
	o->len = 0;
}

int outfile_write(struct outfile *o, const char *buf, size_t n)
{
	if (n <= OUT_BUFSZ - o->len) {
		memcpy(o->buf + o->len, buf, n);
		o->len += n;
		return o->err ? IDN_EIO : IDN_OK;
	}
	flush_buf(o);
	if (n >= OUT_BUFSZ) {
		sink(o, buf, n);
	} else {
		memcpy(o->buf, buf, n);
		o->len = n;
	}
	return o->err ? IDN_EIO : IDN_OK;
}

int outfile_puts(struct outfile *o, const char *s)
{
	return outfile_write(o, s, strlen(s));
}

int outfile_printf(struct outfile *o, const char *fmt, ...)
{
	va_list ap;
	size_t room = OUT_BUFSZ - o->len;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		o->err = o->err ? o->err : EINVAL;
		return IDN_EIO;
	}
	if ((size_t)n < room) {
		o->len += (size_t)n;
		return o->err ? IDN_EIO : IDN_OK;
	}
	/* Did not fit: format again into a scratch buffer of the right size
	 * (rare: the buffer is 1 MiB). */
	char *tmp = malloc((size_t)n + 1);

	if (!tmp) {
		o->err = o->err ? o->err : ENOMEM;
		return IDN_ENOMEM;
	}
	va_start(ap, fmt);
	vsnprintf(tmp, (size_t)n + 1, fmt, ap);
	va_end(ap);
	outfile_write(o, tmp, (size_t)n);
	free(tmp);
	return o->err ? IDN_EIO : IDN_OK;
}

int outfile_double(struct outfile *o, double v)
{
	char tmp[32];

	return outfile_write(o, tmp, fmt_double(tmp, v));
}

size_t fmt_u64(char *buf, unsigned long long v)
{
	char tmp[24];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

int outfile_u64(struct outfile *o, unsigned long long v)
{
	char tmp[24];

	return outfile_write(o, tmp, fmt_u64(tmp, v));
}

/* --- finishing ------------------------------------------------------------ */

static void release(struct outfile *o)
{
	live_unregister(o->slot);
	free(o->tmp);
	free(o->path);
	free(o->name);
	free(o);
}

/* Close gzip stream and descriptor, folding failures into o->err. */
static void close_streams(struct outfile *o)
{
	if (o->gz) {
		int rc = gzclose(o->gz);

		if (rc != Z_OK && !o->err)
			o->err = rc == Z_ERRNO && errno ? errno : EIO;
		o->gz = NULL;
	}
	if (o->fd >= 0 && o->close_fd && close(o->fd) < 0 && !o->err)
		o->err = errno;
	o->fd = -1;
}

int outfile_commit(struct outfile *o, struct idn_err *e)
{
	int rc = IDN_OK;

	assert(o);
	flush_buf(o);
	close_streams(o);
	if (o->err) {
		rc = idn_fail(e, IDN_EIO, "%s: write error: %s", o->name,
		              strerror(o->err));
	} else if (o->tmp && rename(o->tmp, o->path) < 0) {
		rc = idn_fail(e, IDN_EIO, "%s: cannot rename %s into place: %s",
		              o->name, o->tmp, strerror(errno));
	} else if (o->tmp) {
		/* Renamed: nothing left to remove. */
		live_unregister(o->slot);
		o->slot = -1;
		free(o->tmp);
		o->tmp = NULL;
	}
	if (o->tmp)
		unlink(o->tmp);
	release(o);
	return rc;
}

void outfile_abort(struct outfile *o)
{
	if (!o)
		return;
	close_streams(o);
	if (o->tmp)
		unlink(o->tmp);
	release(o);
}

/* --- numbers -------------------------------------------------------------- */

/* snprintf follows LC_NUMERIC; whatever the process locale, rewrite the
 * radix character (possibly several bytes) as '.'.  Digits, signs and the
 * exponent marker are the only other characters %g produces. */
static size_t normalize_radix(char *s, size_t n)
{
	size_t i = 0, j;

	while (i < n && (s[i] == '-' || (s[i] >= '0' && s[i] <= '9')))
		i++;
	if (i == n || s[i] == 'e')
		return n;
	j = i + 1;
	while (j < n && !(s[j] >= '0' && s[j] <= '9') && s[j] != 'e')
		j++;
	s[i] = '.';
	memmove(s + i + 1, s + j, n - j + 1);
	return n - (j - i - 1);
}

/* Fast path for the most common non-integers, times and rates with at most
 * six decimals: build "I.FFFFFF" (trailing zeros dropped) by integer
 * arithmetic and accept it if it reads back as v.  In [1e-4, 1e9) %g uses
 * fixed notation and such a string has at most 15 significant digits, and
 * a 15-digit decimal that reads back as v is exactly what %.15g prints
 * (DBL_DIG is 15), so this agrees with the slow path byte for byte.
 * Returns 0 when it does not apply. */
static size_t fmt_micro(char *buf, double v)
{
	double a = fabs(v);
	unsigned long long k, ip;
	unsigned frac;
	size_t n = 0;

	if (!(a >= 1e-4 && a < 1e9))
		return 0;
	k = (unsigned long long)llround(a * 1e6);
	ip = k / 1000000;
	frac = (unsigned)(k % 1000000);
	if (v < 0)
		buf[n++] = '-';
	n += fmt_u64(buf + n, ip);
	if (frac) {
		buf[n++] = '.';
		for (unsigned d = 100000; frac; d /= 10) {
			buf[n++] = (char)('0' + frac / d);
			frac %= d;
		}
	}
	buf[n] = '\0';
	return strtod(buf, NULL) == v ? n : 0;
}

size_t fmt_double(char *buf, double v)
{
	static const char *const fmts[] = { "%.15g", "%.16g", "%.17g" };
	int n = 0;

	if (v != v)
		return (size_t)sprintf(buf, "nan");
	if (v == (double)INFINITY || v == -(double)INFINITY)
		return (size_t)sprintf(buf, v > 0 ? "inf" : "-inf");
	/* Integers below 1e15 are what %.15g prints them as, and exact:
	 * skip snprintf and strtod for them (counts, whole times). */
	if (v > -1e15 && v < 1e15 &&
	    v == (double)(long long)v && !(v == 0 && signbit(v))) {
		long long k = (long long)v;
		size_t off = 0;

		if (k < 0) {
			buf[off++] = '-';
			return off + fmt_u64(buf + off, (unsigned long long)-k);
		}
		return fmt_u64(buf, (unsigned long long)k);
	}
	if ((n = (int)fmt_micro(buf, v)) > 0)
		return (size_t)n;
	for (size_t i = 0; i < 3; i++) {
		n = snprintf(buf, 32, fmts[i], v);
		/* strtod reads the radix of the same locale snprintf wrote. */
		if (i == 2 || strtod(buf, NULL) == v)
			break;
	}
	assert(n > 0 && n < 32);
	return normalize_radix(buf, (size_t)n);
}

int outfile_csv_field(struct outfile *o, const char *s)
{
	if (!strpbrk(s, ",\"\n\r"))
		return outfile_puts(o, s);
	outfile_puts(o, "\"");
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			outfile_puts(o, "\"");   /* quotes are doubled */
		outfile_write(o, p, 1);
	}
	return outfile_puts(o, "\"");
}
