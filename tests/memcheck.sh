#!/bin/sh
# memcheck.sh - TAP tests: the tools run clean under valgrind memcheck.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# idn-replay on the worked example with every policy (INFIDA with both
# roundings), idn-gen, idn-scenario, and a few runs that fail on bad input
# (error paths must free what they allocated too).  A run passes when
# valgrind reports no error and no definitely or indirectly lost block
# (--error-exitcode); tests/memcheck.supp silences one known false
# positive inside glibc's dynamic loader.  The tools are libtool wrappers, so valgrind is
# started through `libtool --mode=execute`.
#
# Skipped without valgrind, and in a sanitizer build (IDN_SANITIZERS set by
# the harness): ASan and valgrind cannot share a process.  `make memcheck`
# runs this script alone.
. "${top_srcdir:-.}/tests/taplib.sh"
example="$top_srcdir/tests/data/example"
libtool="${LIBTOOL:-$top_builddir/libtool}"

if [ -n "${IDN_SANITIZERS:-}" ]; then
	echo "1..0 # SKIP sanitizer build: valgrind cannot run ASan binaries"
	exit 0
fi
if ! command -v valgrind > /dev/null 2>&1; then
	echo "1..0 # SKIP valgrind not installed"
	exit 0
fi
tap_init memcheck

# vg CODE DESCRIPTION PROG ARGS...: PROG under memcheck exits with CODE
# and valgrind finds nothing.
vg() {
	code=$1 desc=$2 prog=$3
	shift 3
	check "$desc" run_vg "$code" "$prog" "$@"
}

run_vg() {  # run_vg CODE PROG ARGS...
	code=$1 prog=$2
	shift 2
	st=0
	$libtool --mode=execute valgrind -q --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=definite,indirect \
		--suppressions="$top_srcdir/tests/memcheck.supp" \
		--log-file="$tmp/vg.log" "$tools/$prog" "$@" \
		> "$tmp/out" 2> "$tmp/err" < /dev/null || st=$?
	[ "$st" -eq "$code" ] && [ ! -s "$tmp/vg.log" ] && return 0
	echo "exit $st, expected $code"
	cat "$tmp/vg.log" "$tmp/err"
	return 1
}

for run in static lru lfu greedy infida:rounding=depround \
           infida:rounding=coupled offline; do
	policy=${run%%:*}
	opt=
	[ "$policy" != "$run" ] && opt="-O ${run#*:}"
	# shellcheck disable=SC2086
	vg 0 "idn-replay $run, worked example" idn-replay -s "$example" \
		-p "$policy" $opt --summary "$tmp/sum.csv" -o "$tmp/out.csv" \
		"$example/trace.csv"
done
vg 0 "idn-replay lru, slot 0.5, gzip output" idn-replay -s "$example" \
	-p lru --slot 0.5 -o "$tmp/out.csv.gz" "$example/trace.csv"
vg 0 "idn-gen, example scenario" idn-gen --scenario "$example" \
	--duration 20 -o "$tmp/trace.csv.gz"
vg 0 "idn-scenario tree" idn-scenario tree \
	--catalog "$top_srcdir/traces/catalog" -o "$tmp/scenario"
vg 1 "idn-replay, bad trace (error path)" idn-replay -s "$example" \
	-p infida -o "$tmp/bad.csv" "$top_srcdir/tests/bad/trace/time-decreasing.csv"
vg 1 "idn-replay, bad scenario (error path)" idn-replay \
	-s "$top_srcdir/tests/bad/scenario/nodes-duplicate" -p lru \
	-o "$tmp/bad.csv" "$example/trace.csv"
vg 1 "idn-scenario, bad catalog (error path)" idn-scenario tree \
	--catalog "$top_srcdir/tests/bad/catalog/models-duplicate" \
	-o "$tmp/bad-scenario"
tap_end
