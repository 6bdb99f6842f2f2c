/* fuzzutil.h - shared pieces of the libFuzzer harnesses (tests/fuzz).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readers under test open paths, so a harness writes its input to a
 * file first: fuzz_file_path() names a memfd (no disk traffic, gone with
 * the process), reopened through /proc/self/fd by the code under test.
 */
#ifndef IDN_FUZZUTIL_H
#define IDN_FUZZUTIL_H

#include <stddef.h>
#include <stdint.h>
#include "idnbench/policy.h"

/* A memfd-backed file holding exactly data[0..size-1]; returns its path
 * (a static buffer of the caller: one per fd) or aborts. */
struct fuzz_file {
	int fd;
	char path[64];
};

void fuzz_file_init(struct fuzz_file *f, const char *name);
void fuzz_file_set(struct fuzz_file *f, const uint8_t *data, size_t size);

/* The shipped policies, compiled into the harnesses with their describe
 * function renamed fuzz_describe_NAME (see run.sh): pick one by index. */
#define FUZZ_N_POLICIES 6
const struct idn_policy *fuzz_policy(unsigned index);

#endif
