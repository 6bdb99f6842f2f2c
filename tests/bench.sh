#!/usr/bin/env bash
# bench.sh - speed benchmarks of idnbench (run by `make bench`; not a test).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every row is measured in this run together with its baseline and
# reported as a ratio, so numbers compare across machines.  Writes a table
# to stdout and bench.csv in the current directory.
#
#   lru-single   LRU on one edge cache in front of the cloud, REQUESTS
#                requests, Zipf(ZIPF) over TASKS tasks of 1 MB (cache of
#                CACHE_MB): requests/s, and the ratio of the replay time to
#                `gzip -dc TRACE > /dev/null` (the decompression floor).
#   rss          peak RSS of the same replay on a trace 10x shorter: it
#                must not grow with the trace length.
#   policies     every shipped online policy on traces/tree-small, with
#                requests/s and slots/s.
#
# Environment: REQUESTS (default 10000000), TASKS (1000), ZIPF (1.0),
# CACHE_MB (100), REPEAT (3: best of), BENCH_DIR (a temporary directory).
set -euo pipefail

top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
REQUESTS=${REQUESTS:-10000000}
TASKS=${TASKS:-1000}
ZIPF=${ZIPF:-1.0}
CACHE_MB=${CACHE_MB:-100}
REPEAT=${REPEAT:-3}
GEN=$top_builddir/src/tools/idn-gen
REPLAY=$top_builddir/src/tools/idn-replay
export IDN_POLICY_PATH=${IDN_POLICY_PATH:-$top_builddir/policies/.libs}
export LC_ALL=C
dir=${BENCH_DIR:-$(mktemp -d)}
trap '[ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"' EXIT

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.${2:-0}f\", $1 }"; }   # calc EXPR [DECIMALS]
# best (smallest) wall time of REPEAT runs of a command, in seconds
best_of() {
	local best= t0 t1 t
	for _ in $(seq "$REPEAT"); do
		t0=$(now); "$@" > /dev/null; t1=$(now)
		t=$(calc "$t1 - $t0" 6)
		if [ -z "$best" ] || [ "$(calc "$t < $best")" = 1 ]; then best=$t; fi
	done
	echo "$best"
}
field() { # field NAME FILE: a column of a --summary file
	awk -F, -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
	                   NR == 2 { print $c[n] }' "$2"
}

single_cache_scenario() { # DIR: one edge cache, TASKS tasks of 1 MB
	mkdir -p "$1"
	printf 'node,tier,hardware,budget_mb\nedge0,edge,cpu,%s\ncloud0,cloud,gpu,0\n' \
		"$CACHE_MB" > "$1/nodes.csv"
	printf 'a,b,delay_ms\nedge0,cloud0,10\n' > "$1/links.csv"
	awk -v n="$TASKS" 'BEGIN { print "model,task,size_mb,accuracy"
		for (i = 0; i < n; i++) printf "m%d,t%d,1,0.8\n", i, i }' > "$1/models.csv"
	awk -v n="$TASKS" 'BEGIN { print "model,hardware,latency_ms,capacity_rps"
		for (i = 0; i < n; i++) printf "m%d,cpu,5,inf\nm%d,gpu,2,inf\n", i, i }' \
		> "$1/profiles.csv"
	awk -v n="$TASKS" 'BEGIN { print "node,model"
		for (i = 0; i < n; i++) printf "cloud0,m%d\n", i }' > "$1/pinned.csv"
}

echo "row,metric,value,baseline,ratio" > bench.csv
row() { echo "$1,$2,$3,$4,$5" >> bench.csv; printf '%-12s %-22s %14s %14s %8s\n' "$@"; }
printf '%-12s %-22s %14s %14s %8s\n' row metric value baseline ratio

# --- lru-single --------------------------------------------------------------
sc=$dir/single
single_cache_scenario "$sc"
rate=10000
"$GEN" --scenario "$sc" --sources edge0 --rate $rate --tasks-zipf "$ZIPF" \
	--duration $((REQUESTS / rate)) --seed 1 -o "$dir/long.csv.gz"
"$GEN" --scenario "$sc" --sources edge0 --rate $rate --tasks-zipf "$ZIPF" \
	--duration $((REQUESTS / rate / 10)) --seed 1 -o "$dir/short.csv.gz"
floor=$(best_of gzip -dc "$dir/long.csv.gz")
replay=$(best_of "$REPLAY" --scenario "$sc" --policy lru --summary "$dir/long.sum" \
	-o /dev/null "$dir/long.csv.gz")
n=$(field requests "$dir/long.sum")
row lru-single requests_per_s "$(calc "$n / $replay")" \
	"$(calc "$n / $floor")" "$(calc "$replay / $floor" 2)"
"$REPLAY" --scenario "$sc" --policy lru --summary "$dir/short.sum" -o /dev/null \
	"$dir/short.csv.gz"
rss_long=$(field peak_rss_kb "$dir/long.sum")
rss_short=$(field peak_rss_kb "$dir/short.sum")
row rss peak_rss_kb "$rss_long" "$rss_short" "$(calc "$rss_long / $rss_short" 2)"

# --- policies on the default scenario ------------------------------------------
tree=$top_srcdir/traces/tree-small
"$GEN" --scenario "$tree" --rate 100 --duration 3600 --seed 1 -o "$dir/tree.csv.gz"
base=   # static's time: the cost of reading, routing and serving alone
for p in static lru lfu greedy infida; do
	t=$(best_of "$REPLAY" --scenario "$tree" --policy "$p" --slot 1 \
		--summary "$dir/$p.sum" -o /dev/null "$dir/tree.csv.gz")
	n=$(field requests "$dir/$p.sum")
	s=$(field slots "$dir/$p.sum")
	[ -n "$base" ] || base=$t
	row "$p" requests_per_s "$(calc "$n / $t")" "$(calc "$n / $base")" \
		"$(calc "$t / $base" 2)"
	row "$p" slots_per_s "$(calc "$s / $t")" "$(calc "$s / $base")" \
		"$(calc "$t / $base" 2)"
done
echo "(ratio = time / baseline time: lru-single against gzip -dc of the same"
echo " trace, policies against static on the same trace; rss: long / short)"
