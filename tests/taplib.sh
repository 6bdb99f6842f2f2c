# taplib.sh - common start of the TAP shell tests (sourced, not run).
# SPDX-License-Identifier: GPL-3.0-or-later
#
#     . "${top_srcdir:-.}/tests/taplib.sh"
#     tap_init NAME
#
# The harness exports top_srcdir, top_builddir and IDN_POLICY_PATH; they
# default to the current directory so a test also runs by hand from a
# build tree.  tap_init makes $tmp (removed on exit) and sets $tools;
# check and skip print numbered TAP lines, tap_end the plan.  A test of
# one program sets $prog and uses run and failed.
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
		[ -z "${tap_err:-}" ] ||
			sed 's/^/# stderr: /' "$tap_err" 2>/dev/null | head -n 5
	fi
}

# run ARGS...: $prog with ARGS, its stdout in $tmp/out, stderr in
# $tmp/err and exit status in $rc; a check failing after it shows that
# stderr.  $run_wrap, if set, goes in front (say "timeout 20").
run() {
	rc=0
	${run_wrap:-} "$prog" "$@" > "$tmp/out" 2> "$tmp/err" || rc=$?
	tap_err="$tmp/err"
}

# failed CODE PATTERN: the last run exited with CODE, printed nothing on
# stdout and one line on stderr: the program's name, ": ", then what
# matches PATTERN (a grep basic regular expression).
failed() {
	[ "$rc" -eq "$1" ] && [ ! -s "$tmp/out" ] &&
		[ "$(wc -l < "$tmp/err")" -eq 1 ] &&
		grep -q "^${prog##*/}: $2" "$tmp/err" ||
		{ echo "exit $rc, expected $1 with one line on stderr only"; return 1; }
}

rows() {    # rows FILE: data rows of a CSV file (header excluded)
	echo $(($(wc -l < "$1") - 1))
}

# no_output PATH: a failed run left neither PATH nor a temporary PATH.tmp.*
no_output() {
	[ ! -e "$1" ] && [ -z "$(ls "$(dirname "$1")" | grep "^${1##*/}\.tmp\.")" ] ||
		{ echo "left: $(ls -d "$1"*)"; return 1; }
}

empty_dir() {   # empty_dir DIR: a failed run left nothing in DIR
	[ -z "$(ls -A "$1")" ] || { echo "left: $(ls -A "$1")"; return 1; }
}

skip() {    # skip DESCRIPTION REASON
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

tap_end() {
	echo "1..$n"
}
