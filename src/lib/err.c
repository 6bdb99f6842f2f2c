/* err.c - error messages and exit codes.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include "err.h"

/* Copy s into e->msg with control bytes escaped (\n, \r, \t, \xHH): a
 * message quotes input values, and a quoted CSV field may hold a newline,
 * but a diagnostic must stay one line. */
static void put_escaped(struct idn_err *e, const char *s)
{
	size_t k = 0, cap = sizeof e->msg;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];
		int n;

		if (c >= 0x20 && c != 0x7f) {
			esc[0] = (char)c;
			n = 1;
		} else {
			n = snprintf(esc, sizeof esc, c == '\n' ? "\\n" :
			             c == '\r' ? "\\r" : c == '\t' ? "\\t" :
			             "\\x%02X", c);
		}
		if (k + (size_t)n >= cap)
			break;
		memcpy(e->msg + k, esc, (size_t)n);
		k += (size_t)n;
	}
	e->msg[k] = '\0';
}

int idn_vfail(struct idn_err *e, int code, const char *fmt, va_list ap)
{
	char raw[sizeof e->msg];

	if (e) {
		vsnprintf(raw, sizeof raw, fmt, ap);
		put_escaped(e, raw);
	}
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
