/* err.h - error reporting shared by the library and the tools.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fallible functions return an enum idn_status code and, on failure, leave
 * a one-line message (no trailing newline) in a caller-provided struct
 * idn_err.  Messages about input data start with "FILE:LINE: FIELD: " so a
 * user can jump to the culprit.  Tools print "PROG: MSG" and exit with the
 * status code (1 bad data, 2 bad usage, other values as 1).
 */
#ifndef IDN_ERR_H
#define IDN_ERR_H

#include <stdarg.h>
#include "idnbench/policy.h"

/* Internal code: end of a stream (never an exit status). */
#define IDN_END (-1)

struct idn_err {
	char msg[1024];
};

/* Format into e (if not NULL) and return code, so a caller can write
 * `return idn_fail(e, IDN_EDATA, "%s:%lu: ...", ...);`. */
int idn_fail(struct idn_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int idn_vfail(struct idn_err *e, int code, const char *fmt, va_list ap);

/* Map a status to a process exit code (0, 1 or 2). */
int idn_exit_code(int status);

#endif
