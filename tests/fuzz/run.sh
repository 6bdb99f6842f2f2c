#!/bin/sh
# run.sh - build the libFuzzer harnesses and run each for FUZZ_SECONDS.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   tests/fuzz/run.sh [HARNESS...]      (default: all; see HARNESSES)
#
# Environment: FUZZ_SECONDS (default 60; 0 only replays the corpus),
# FUZZ_BUILD (build and work directory, default ./fuzz-build), CC (default
# clang; needs libFuzzer, Debian: libclang-rt-14-dev).  The seed corpus
# tests/fuzz/corpus/NAME is read-only; new inputs go to FUZZ_BUILD/corpus/NAME.
# One line per harness; on a crash the tail of its log, the input's path
# and exit status 1.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
B=${FUZZ_BUILD:-$PWD/fuzz-build}
CC=${CC:-clang}
secs=${FUZZ_SECONDS:-60}
HARNESSES="fuzz_trace fuzz_scenario fuzz_options fuzz_replay"
POLICIES="static lru lfu greedy infida offline"

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
CFLAGS="-std=gnu11 -g -O1 -fno-omit-frame-pointer $SAN -D_GNU_SOURCE -pthread \
 -I$top/src -I$top/src/lib -I$top/tests -I$here"

mkdir -p "$B/obj" "$B/bin"

# Compile $1 into $2 unless $2 is newer than every source it may use.
cc_obj() {
	if [ ! -f "$2" ] || [ -n "$(find "$top/src" "$here" "$1" \
	     -newer "$2" -name '*.[ch]' | head -n 1)" ]; then
		$CC $CFLAGS -fsanitize=fuzzer-no-link $3 -c "$1" -o "$2"
	fi
}

# The sources of libidnbench, as Makefile.am lists them.
lib_sources() {
	awk '/^src_lib_libidnbench_la_SOURCES/ { on = 1 }
	     on { print; if ($0 !~ /\\$/) on = 0 }' "$top/Makefile.am" |
	grep -o 'src/lib/[a-z_0-9]*\.c' | sed "s|^|$top/|"
}

build() {
	objs=
	for f in $(lib_sources) "$top/tests/fakehost.c" "$here/fuzzutil.c"
	do
		o="$B/obj/$(basename "$f" .c).o"
		cc_obj "$f" "$o" ""
		objs="$objs $o"
	done
	for p in $POLICIES; do
		o="$B/obj/policy_$p.o"
		cc_obj "$top/policies/$p.c" "$o" \
			"-Didn_policy_describe=fuzz_describe_$p"
		objs="$objs $o"
	done
	for h in "$@"; do
		cc_obj "$here/$h.c" "$B/obj/$h.o" ""
		$CC $CFLAGS -fsanitize=fuzzer "$B/obj/$h.o" $objs \
			-lz -lcsv -lglpk -ldl -lm -o "$B/bin/$h"
	done
}

run_one() {
	h=$1
	log="$B/$h.log"
	mkdir -p "$B/corpus/$h" "$B/crashes"
	if [ "$secs" -gt 0 ]; then limit="-max_total_time=$secs"
	else limit="-runs=0"; fi    # the corpus only
	if "$B/bin/$h" $limit -timeout=10 -rss_limit_mb=2048 \
	     -print_final_stats=1 -artifact_prefix="$B/crashes/$h-" \
	     "$B/corpus/$h" "$here/corpus/$h" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
		echo "$h: ok, ${runs:-?} runs in ${secs} s (${eps:-?} exec/s)," \
		     "corpus $(ls "$B/corpus/$h" | wc -l) new"
		return 0
	fi
	echo "$h: FAILED (log: $log)"
	grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" \
		| head -n 5 || true
	grep -E "^ *#[0-9]+ .* $top/" "$log" | head -n 8 || true
	sed -n 's/^artifact_prefix=.*Test unit written to /input: /p' "$log"
	return 1
}

[ $# -gt 0 ] || set -- $HARNESSES
build "$@"
status=0
for h in "$@"; do
	run_one "$h" || status=1
done
exit $status
