/* err.c - error messages and exit codes.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include "err.h"

int idn_vfail(struct idn_err *e, int code, const char *fmt, va_list ap)
{
	if (e)
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	return code;
}

int idn_fail(struct idn_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	idn_vfail(e, code, fmt, ap);
	va_end(ap);
	return code;
}

int idn_exit_code(int status)
{
	if (status == IDN_OK)
		return 0;
	if (status == IDN_EUSAGE)
		return 2;
	return 1;
}
