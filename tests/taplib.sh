# taplib.sh - common start of the TAP shell tests (sourced, not run).
# SPDX-License-Identifier: GPL-3.0-or-later
#
#     . "${top_srcdir:-.}/tests/taplib.sh"
#     tap_init NAME
#
# The harness exports top_srcdir, top_builddir and IDN_POLICY_PATH; they
# default to the current directory so a test also runs by hand from a
# build tree.  tap_init makes $tmp (removed on exit) and sets $tools;
# check and skip print numbered TAP lines, tap_end the plan.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
IDN_POLICY_PATH=${IDN_POLICY_PATH:-$top_builddir/policies/.libs}
export IDN_POLICY_PATH
tools="$top_builddir/src/tools"
n=0

tap_init() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1-test.XXXXXX") || exit 99
	trap 'rm -rf "$tmp"' EXIT
}

# check DESCRIPTION COMMAND...: one TAP line from COMMAND's status; what
# COMMAND prints becomes "# " comments when it fails.
check() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@" > "$tmp/why" 2>&1; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		sed 's/^/# /' "$tmp/why" | head -n 40
	fi
}

skip() {    # skip DESCRIPTION REASON
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

tap_end() {
	echo "1..$n"
}
