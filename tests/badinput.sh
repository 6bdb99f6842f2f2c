#!/bin/sh
# badinput.sh - TAP tests driven by the bad-input catalogue tests/bad/cases.tsv.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every case runs one tool with "-o OUT" in an empty directory.  A rejected
# input must give the expected exit status, exactly one line on stderr
# ("TOOL: FILE:LINE: ..." holding the table's fragment) and leave the
# directory empty: no OUT and no OUT.tmp.*.  An accepted input (CRLF line
# ends, a UTF-8 BOM, names that are not UTF-8) must give exit 0, nothing on
# stderr, OUT alone in the directory, and the same bytes as the reference
# input named in the table.  The 10 MB single-line inputs are made here
# (gen/NAME) rather than kept in the tree.
#
. "${top_srcdir:-.}/tests/taplib.sh"
tap_init badinput
LC_ALL=C
export LC_ALL
bad="$top_srcdir/tests/bad"
example="$top_srcdir/tests/data/example"

# --- inputs made at run time ---------------------------------------------------
mkdir "$tmp/gen"
head -c 10485760 /dev/zero | tr '\0' x > "$tmp/x10m"
{ printf 'time,source,task,count\n0.1,a0,'; cat "$tmp/x10m"; printf ',1\n'; } \
	> "$tmp/gen/longline-task.csv"
{ cat "$tmp/x10m"; printf '\n'; } > "$tmp/gen/longline-header.csv"
rm -f "$tmp/x10m"

# subst TEXT CASEPATH: TEXT with the {case}, {ex} and {trace} placeholders
# replaced ('|', '&' and '\' in paths are escaped for sed).
sed_quote() { printf '%s' "$1" | sed 's/[|&\\]/\\&/g'; }
subst() {
	printf '%s' "$1" | sed -e "s|{case}|$(sed_quote "$2")|g" \
		-e "s|{ex}|$(sed_quote "$example")|g" \
		-e "s|{trace}|$(sed_quote "$example/trace.csv")|g"
}

# invoke TOOL ARGS OUT: run TOOL with the space-separated ARGS and -o OUT;
# stderr in $tmp/err, status in $rc.
invoke() {
	rc=0
	set -f
	# shellcheck disable=SC2086  # ARGS is split on purpose
	"$tools/$1" $2 -o "$3" < /dev/null > "$tmp/stdout" \
		2> "$tmp/err" || rc=$?
	set +f
}

same_output() {  # same_output A B: files or directories with equal bytes
	if [ -d "$1" ]; then diff -r "$1" "$2" > /dev/null; else cmp -s "$1" "$2"; fi
}

# rejected TOOL EXIT FRAGMENT DIR: the checks of a refused input.
rejected() {
	[ "$rc" -eq "$2" ] || { echo "exit $rc, expected $2"; return 1; }
	[ "$(wc -l < "$tmp/err")" -eq 1 ] ||
		{ echo "stderr is not one line"; return 1; }
	grep -q "^$1: " "$tmp/err" || { echo "stderr lacks '$1: '"; return 1; }
	grep -F -q -e "$3" "$tmp/err" ||
		{ echo "stderr lacks '$3'"; return 1; }
	[ ! -s "$tmp/stdout" ] || { echo "stdout not empty"; return 1; }
	[ -z "$(ls -A "$4")" ] || { echo "left: $(ls -A "$4")"; return 1; }
}

# accepted TOOL REFARGS DIR: exit 0, quiet, OUT alone, and the same
# output as TOOL REFARGS (the command run on the reference input).
accepted() {
	[ "$rc" -eq 0 ] || { echo "exit $rc, expected 0"; return 1; }
	[ ! -s "$tmp/err" ] || { echo "stderr not empty"; return 1; }
	[ "$(ls -A "$3")" = out ] || { echo "left: $(ls -A "$3")"; return 1; }
	mkdir "$3.ref"
	invoke "$1" "$2" "$3.ref/out"
	[ "$rc" -eq 0 ] || { echo "reference run: exit $rc"; return 1; }
	same_output "$3/out" "$3.ref/out" ||
		{ echo "output differs from the reference input's"; return 1; }
}

# run_case CASE TOOL ARGS CODE MESSAGE: one row of the table.
run_case() {
	case $1 in
	gen/*) path="$tmp/$1" ;;
	*) path="$bad/$1" ;;
	esac
	d="$tmp/run$n"
	rm -rf "$d" "$d.ref"
	mkdir "$d"
	invoke "$2" "$(subst "$3" "$path")" "$d/out"
	if [ "$4" -eq 0 ]; then
		ref=$(subst "${5#=}" "")
		accepted "$2" "$(subst "$3" "$ref")" "$d"
	elif printf '%s' "$5" | grep -q '[^ ]:[0-9][0-9]*: '; then
		rejected "$2" "$4" "$5" "$d"
	else
		echo "cases.tsv: the message names no FILE:LINE:"
		false
	fi || { head -c 300 "$tmp/err" | sed 's/^/stderr: /'; return 1; }
}

[ -f "$bad/cases.tsv" ] || { echo "1..0 # SKIP no $bad/cases.tsv"; exit 0; }
tab=$(printf '\t')
while IFS=$tab read -r case tool args code msg; do
	case $case in ''|'#'*) continue ;; esac
	check "$tool $case: exit $code" \
		run_case "$case" "$tool" "$args" "$code" "$msg"
done < "$bad/cases.tsv"
tap_end
