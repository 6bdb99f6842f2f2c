#!/bin/sh
# determinism.sh - TAP tests: the same inputs, options and seed give the
# same bytes, for every tool and policy, and for `make -j1` and `make -j2`.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Each command runs twice and the outputs are compared byte for byte.  The
# one exception is the --summary of idn-replay: its wall_s, requests_per_s
# and peak_rss_kb columns describe the run, not the model (doc/formats.md),
# so they are blanked before comparing; every other column must match.
# To show that the comparisons can fail, a different seed must change the
# output of idn-gen and of INFIDA (whose rounding is random).
#
# The experiment of `make plots` (plots/experiments.mk) is run into two
# fresh result directories (its RESULTS variable), once with -j1 and once
# with -j2, and the two trees must be equal (summaries as above).
#
. "${top_srcdir:-.}/tests/taplib.sh"
tap_init determinism
scenario="$top_srcdir/traces/tree-small"

# run_twice NAME PROG ARGS...: run PROG ARGS -o $tmp/NAME.1, then .2; an
# '@' in ARGS becomes $tmp/NAME.sum.1 or .2 (for --summary).  ARGS are
# split on spaces.
run_twice() {
	name=$1
	prog=$2
	shift 2
	for i in 1 2; do
		args=$(printf '%s ' "$@" | sed "s|@|$tmp/$name.sum.$i|g")
		# shellcheck disable=SC2086
		"$tools/$prog" $args -o "$tmp/$name.$i" ||
			{ echo "$prog run $i failed"; return 1; }
	done
}

same() {    # same A B: equal bytes, and not empty
	[ -s "$1" ] || { echo "$1 is empty"; return 1; }
	if [ -d "$1" ]; then diff -r "$1" "$2"; else cmp "$1" "$2"; fi
}

differ() {  # differ A B: both non-empty and different
	[ -s "$1" ] && [ -s "$2" ] && ! cmp -s "$1" "$2" ||
		{ echo "$1 and $2 are equal"; return 1; }
}

# model_columns SUMMARY: the summary with the columns describing the run
# (wall_s, requests_per_s, peak_rss_kb) emptied.
model_columns() {
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++)
		if ($i == "wall_s" || $i == "requests_per_s" ||
		    $i == "peak_rss_kb") drop[i] = 1 }
		{ for (i in drop) $i = ""; print }' "$1"
}

same_summary() {  # same_summary A B: equal but for the run columns
	[ -s "$1" ] || { echo "$1 is empty"; return 1; }
	model_columns "$1" > "$1.m"
	model_columns "$2" > "$2.m"
	grep -q ',ntag,' "$1" || { echo "$1: no ntag column"; return 1; }
	cmp "$1.m" "$2.m"
}

# --- idn-scenario ------------------------------------------------------------------
d1="$tmp/sc.1" d2="$tmp/sc.2"
"$tools/idn-scenario" tree --catalog "$top_srcdir/traces/catalog" \
	--fanout 2,3,2 --budgets 20,40,300 -o "$d1" &&
"$tools/idn-scenario" tree --catalog "$top_srcdir/traces/catalog" \
	--fanout 2,3,2 --budgets 20,40,300 -o "$d2"
check "idn-scenario tree: two runs write the same directory" same "$d1" "$d2"

# --- idn-gen -----------------------------------------------------------------------
gen="--scenario $scenario --rate 2 --duration 1200 --tasks-zipf 0.8"
# shellcheck disable=SC2086
{
run_twice gen.gz idn-gen $gen --seed 5
check "idn-gen, gzip: same seed, same bytes" same "$tmp/gen.gz.1" "$tmp/gen.gz.2"
run_twice gen.csv idn-gen $gen --seed 5 --level 0 --mode sliding --period 100
check "idn-gen, plain, sliding: same seed, same bytes" \
	same "$tmp/gen.csv.1" "$tmp/gen.csv.2"
run_twice gen.seed6 idn-gen $gen --seed 6
check "idn-gen: another seed gives another trace" \
	differ "$tmp/gen.gz.1" "$tmp/gen.seed6.1"
}
trace="$tmp/gen.gz.1"

# --- idn-replay, every policy ----------------------------------------------------------
replay="--scenario $scenario --slot 10 --seed 3 --summary @ $trace"
for run in static lru lfu greedy infida:rounding=depround \
           infida:rounding=coupled offline; do
	policy=${run%%:*}
	opt=
	[ "$policy" != "$run" ] && opt="-O ${run#*:}"
	if [ ! -e "$IDN_POLICY_PATH/$policy.so" ]; then
		skip "idn-replay $run" "$policy.so not built"
		continue
	fi
	name="replay.$policy.${run#*:}"
	# shellcheck disable=SC2086
	run_twice "$name" idn-replay --policy $policy $opt $replay \
		2> "$tmp/err" || cat "$tmp/err"
	check "idn-replay $run: same per-slot bytes" \
		same "$tmp/$name.1" "$tmp/$name.2"
	check "idn-replay $run: same summary but for wall time and RSS" \
		same_summary "$tmp/$name.sum.1" "$tmp/$name.sum.2"
done
if [ -e "$IDN_POLICY_PATH/infida.so" ]; then
	# shellcheck disable=SC2086
	"$tools/idn-replay" --policy infida $(echo "$replay" |
		sed "s|--seed 3|--seed 4|; s|@|$tmp/seed4.sum|") \
		-o "$tmp/replay.seed4"
	check "idn-replay infida: another seed gives another run" \
		differ "$tmp/replay.infida.rounding=depround.1" "$tmp/replay.seed4"
fi

# --- the experiment of make plots, -j1 against -j2 ---------------------------------------
# The rules run in the build tree with their results under RESULTS; the
# enclosing make's jobserver and flags must not leak into these runs.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
make_results() {  # make_results JOBS DIR
	${MAKE:-make} -s -C "$top_builddir" "-j$1" RESULTS="$2" \
		"$2/default/summary.csv" > "$tmp/make.$1.log" 2>&1 ||
		{ cat "$tmp/make.$1.log"; return 1; }
}
same_results() {  # same_results DIR1 DIR2: every result file equal
	(cd "$1/default" && ls) > "$tmp/list.1"
	(cd "$2/default" && ls) > "$tmp/list.2"
	cmp "$tmp/list.1" "$tmp/list.2" || return 1
	grep -q '^trace.csv.gz$' "$tmp/list.1" ||
		{ echo "no trace in $1/default"; return 1; }
	while read -r f; do
		case $f in
		*summary*) same_summary "$1/default/$f" "$2/default/$f" ;;
		*) same "$1/default/$f" "$2/default/$f" ;;
		esac || { echo "differs: $f"; return 1; }
	done < "$tmp/list.1"
}
if [ -f "$top_builddir/Makefile" ] &&
   grep -q '^RESULTS *?=' "$top_srcdir/plots/experiments.mk"; then
	check "make -j1: the default experiment runs" make_results 1 "$tmp/j1"
	check "make -j2: the default experiment runs" make_results 2 "$tmp/j2"
	check "make -j1 and make -j2 give the same results" \
		same_results "$tmp/j1" "$tmp/j2"
else
	skip "make -j1 against -j2" "no Makefile or no RESULTS"
fi

tap_end
