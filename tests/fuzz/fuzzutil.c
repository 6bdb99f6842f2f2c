/* fuzzutil.c - memfd-backed input files for the fuzz harnesses.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fuzzutil.h"

void fuzz_file_init(struct fuzz_file *f, const char *name)
{
	f->fd = memfd_create(name, 0);
	if (f->fd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
}

void fuzz_file_set(struct fuzz_file *f, const uint8_t *data, size_t size)
{
	size_t done = 0;

	if (ftruncate(f->fd, 0) != 0)
		abort();
	while (done < size) {
		ssize_t n = pwrite(f->fd, data + done, size - done,
		                   (off_t)done);
		if (n <= 0)
			abort();
		done += (size_t)n;
	}
}

#define POLICIES(X) X(static) X(lru) X(lfu) X(greedy) X(infida) X(offline)
#define DECLARE(n) const struct idn_policy *fuzz_describe_##n(void);
POLICIES(DECLARE)
#define ENTRY(n) fuzz_describe_##n,
static idn_policy_describe_fn const describe[] = { POLICIES(ENTRY) };
_Static_assert(sizeof describe / sizeof describe[0] == FUZZ_N_POLICIES,
               "FUZZ_N_POLICIES matches the list");

const struct idn_policy *fuzz_policy(unsigned index)
{
	return describe[index % FUZZ_N_POLICIES]();
}
