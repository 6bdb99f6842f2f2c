#!/usr/bin/env bash
# bench.sh - speed benchmarks of idnbench (run by `make bench`; not a test).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every row is measured in this run together with its baseline and
# reported as a ratio, so numbers compare across machines.  Writes a table
# to stdout and bench.csv in the current directory.
#
# Rows come in groups (lru-single with load and rss, topologies,
# cloudphysics, cogentco, policies; ROWS picks some):
#   lru-single   LRU on one edge cache in front of the cloud, REQUESTS
#                requests, Zipf(ZIPF) over TASKS tasks of 1 MB (cache of
#                CACHE_MB): requests/s of the replay (scenario load time
#                measured separately on an empty trace and subtracted), and
#                the ratio of that time to `gzip -dc TRACE > /dev/null`;
#                the three are timed in turns, best of REPEAT rounds.
#   load         the same scenario with an empty trace (load + setup).
#   rss          peak RSS of the same replay on a trace 20x shorter: it
#                must not grow with the trace length (ratio long/short).
#   tree, geant  (group topologies) INFIDA and GREEDY on the 4-tier
#                tree-small and on the GEANT topology with a synthetic
#                10-task x 6-model catalog, RATE_SLOT requests per slot for
#                SLOTS slots from all access nodes; baseline: static on the
#                same trace.  Rows *-packed: the same replays of the trace
#                packed by idn-pack, against their CSV replay.
#   cloudphysics the CloudPhysics block trace (113,872 requests over 48,974
#                ids, libCacheSim's sample) as 48,974 one-model tasks on
#                one cache, played CP_LOOPS times: scenario load, LRU and
#                INFIDA requests/s (load subtracted).
#   cogentco     Cogentco (394 nodes with the access layer), every access
#                node a source: load + routing of every type, INFIDA.
#   policies     every shipped online policy on traces/tree-small.
#   sweep        the data of figure 2 (125 replays of the experiment
#                Makefile, plots/figures.mk: five policies x five alphas x
#                five seeds) built with `make -j2` on both cores, against
#                `make -j1` pinned to one core (taskset; both threads of
#                each replay share it): the speed-up of a sweep on two
#                cores, and a check that both builds give the same results
#                (timing columns aside).
#
# Environment: ROWS (groups to run, default all: lru-single topologies
# cloudphysics cogentco policies sweep), REQUESTS (default 20000000), TASKS
# (1000000), ZIPF (1.0), CACHE_MB (10000), RATE_SLOT (1000), SLOTS
# (10000), CP_LOOPS (20), REPEAT (3: best of),
# BENCH_DIR (a temporary directory, removed unless given), QUICK=1 for a
# small smoke run.
set -euo pipefail

top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
if [ -n "${QUICK:-}" ]; then
	: "${REQUESTS:=1000000}" "${TASKS:=10000}" "${SLOTS:=1000}" "${REPEAT:=1}"
	: "${CP_LOOPS:=1}"
fi
REQUESTS=${REQUESTS:-20000000}
TASKS=${TASKS:-1000000}
ZIPF=${ZIPF:-1.0}
CACHE_MB=${CACHE_MB:-10000}
RATE_SLOT=${RATE_SLOT:-1000}
SLOTS=${SLOTS:-10000}
REPEAT=${REPEAT:-3}
CP_LOOPS=${CP_LOOPS:-20}
ROWS=${ROWS:-lru-single topologies cloudphysics cogentco policies sweep}
GEN=$top_builddir/src/tools/idn-gen
REPLAY=$top_builddir/src/tools/idn-replay
PACK=$top_builddir/src/tools/idn-pack
export IDN_POLICY_PATH=${IDN_POLICY_PATH:-$top_builddir/policies/.libs}
export LC_ALL=C
dir=${BENCH_DIR:-$(mktemp -d)}
trap '[ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"' EXIT

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.${2:-0}f\", $1 }"; }   # calc EXPR [DECIMALS]
# best times of several commands measured in turns: REPEAT rounds, each
# running every command once, so that a slow spell of a shared machine
# hits all of them alike.  Commands are given as strings (eval'd); prints
# one best time per command, in order.
best_interleaved() {
	local -a best
	local i t0 t1 t
	for _ in $(seq "$REPEAT"); do
		for ((i = 1; i <= $#; i++)); do
			t0=$(now); eval "${!i}" > /dev/null; t1=$(now)
			t=$(calc "$t1 - $t0" 6)
			if [ -z "${best[i]:-}" ] ||
			   [ "$(calc "$t < ${best[i]}")" = 1 ]; then
				best[i]=$t
			fi
		done
	done
	echo "${best[@]}"
}
# best (smallest) wall time of REPEAT runs of one command, in seconds
best_of() {
	best_interleaved "$(printf '%q ' "$@")"
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

printf 'time,source,task\n' > "$dir/empty.csv"   # times load + setup alone
echo "row,metric,value,baseline,ratio" > bench.csv
row() { echo "$1,$2,$3,$4,$5" >> bench.csv; printf '%-12s %-22s %14s %14s %8s\n' "$@"; }
printf '%-12s %-22s %14s %14s %8s\n' row metric value baseline ratio

# --- lru-single --------------------------------------------------------------
bench_lru_single() {
	sc=$dir/single
	single_cache_scenario "$sc"
	rate=10000
	"$GEN" --scenario "$sc" --sources edge0 --rate $rate --tasks-zipf "$ZIPF" \
		--duration $((REQUESTS / rate)) --seed 1 -o "$dir/long.csv.gz"
	"$GEN" --scenario "$sc" --sources edge0 --rate $rate --tasks-zipf "$ZIPF" \
		--duration $((REQUESTS / rate / 20)) --seed 1 -o "$dir/short.csv.gz"
	read -r floor load total < <(best_interleaved \
		'gzip -dc "$dir/long.csv.gz"' \
		'"$REPLAY" --scenario "$sc" --policy lru -o /dev/null "$dir/empty.csv"' \
		'"$REPLAY" --scenario "$sc" --policy lru --summary "$dir/long.sum" \
			-o /dev/null "$dir/long.csv.gz"')
	replay=$(calc "$total - $load" 6)
	n=$(field requests "$dir/long.sum")
	row lru-single requests_per_s "$(calc "$n / $replay")" \
		"$(calc "$n / $floor")" "$(calc "$replay / $floor" 2)"
	row load seconds "$(calc "$load" 3)" "" ""
	"$REPLAY" --scenario "$sc" --policy lru --summary "$dir/short.sum" -o /dev/null \
		"$dir/short.csv.gz"
	rss_long=$(field peak_rss_kb "$dir/long.sum")
	rss_short=$(field peak_rss_kb "$dir/short.sum")
	row rss peak_rss_kb "$rss_long" "$rss_short" "$(calc "$rss_long / $rss_short" 2)"
}

# --- tree and geant: INFIDA and GREEDY, 10 tasks x 6 models --------------------
bench_topologies() {
	# The topology and tiers of a shipped scenario with a synthetic catalogue:
	# task t has models of 5..160 MB whose accuracy and latency grow with
	# size; the cloud pins the largest model of every task.
	synthetic_catalog() { # SRC DIR
		mkdir -p "$2"
		cp "$1/nodes.csv" "$1/links.csv" "$2/"
		local cloud
		cloud=$(awk -F, 'NR > 1 && $2 == "cloud" { print $1; exit }' "$2/nodes.csv")
		awk 'BEGIN { print "model,task,size_mb,accuracy"
			for (t = 0; t < 10; t++) for (k = 0; k < 6; k++)
				printf "t%d_m%d,t%d,%d,%.3f\n", t, k, t, 5 * 2 ^ k, 0.55 + 0.05 * k }' \
			> "$2/models.csv"
		awk -F, -v OFS=, 'NR == 1 { next } !seen[$3]++ { hw[++n] = $3 }
			END { print "model,hardware,latency_ms,capacity_rps"
			      for (t = 0; t < 10; t++) for (k = 0; k < 6; k++) for (i = 1; i <= n; i++)
				print "t" t "_m" k, hw[i], (2 + 3 * k) * i, 2000 / (1 + k) }' \
			"$2/nodes.csv" > "$2/profiles.csv"
		awk -v c="$cloud" 'BEGIN { print "node,model"; for (t = 0; t < 10; t++)
			printf "%s,t%d_m5\n", c, t }' > "$2/pinned.csv"
	}

	for topo in tree-small geant; do
		sc=$dir/$topo-10x6
		synthetic_catalog "$top_srcdir/traces/$topo" "$sc"
		n_access=$(awk -F, 'NR > 1 && $2 == "access"' "$sc/nodes.csv" | wc -l)
		"$GEN" --scenario "$sc" --rate "$(calc "$RATE_SLOT / $n_access" 6)" \
			--duration "$SLOTS" --seed 1 -o "$dir/$topo.csv.gz"
		base=
		local -A csv_t
		for p in static greedy infida; do
			t=$(best_of "$REPLAY" --scenario "$sc" --policy "$p" --slot 1 \
				--summary "$dir/$topo-$p.sum" -o /dev/null "$dir/$topo.csv.gz")
			n=$(field requests "$dir/$topo-$p.sum")
			s=$(field slots "$dir/$topo-$p.sum")
			[ -n "$base" ] || base=$t
			csv_t[$p]=$t
			row "${topo%-small}-$p" requests_per_s "$(calc "$n / $t")" \
				"$(calc "$n / $base")" "$(calc "$t / $base" 2)"
			row "${topo%-small}-$p" slots_per_s "$(calc "$s / $t")" \
				"$(calc "$s / $base")" "$(calc "$t / $base" 2)"
		done
		# the same replays from the trace packed by idn-pack; baseline:
		# the CSV replay of the same policy
		"$PACK" -o "$dir/$topo.idnpack" "$dir/$topo.csv.gz"
		for p in static greedy infida; do
			t=$(best_of "$REPLAY" --scenario "$sc" --policy "$p" --slot 1 \
				--summary "$dir/$topo-$p.psum" -o /dev/null "$dir/$topo.idnpack")
			n=$(field requests "$dir/$topo-$p.psum")
			row "${topo%-small}-$p-packed" requests_per_s "$(calc "$n / $t")" \
				"$(calc "$n / ${csv_t[$p]}")" "$(calc "$t / ${csv_t[$p]}" 2)"
		done
	done
}

# --- cloudphysics: 48,974 tasks on one cache -------------------------------------
bench_cloudphysics() {
	# One request per line of the sample, 1000 requests per second; each block
	# id is a task with one 1 MB model; the cache holds 5% of them.
	cp_sc=$dir/cloudphysics
	ids=$top_srcdir/tests/bench/cloudPhysicsIO.ids.csv.gz
	mkdir -p "$cp_sc"
	gzip -dc "$ids" | awk -F, '!seen[$1]++ { print $1 }' > "$dir/cp.ids"
	n_ids=$(wc -l < "$dir/cp.ids")
	printf 'node,tier,hardware,budget_mb\nedge0,edge,cpu,%s\ncloud0,cloud,gpu,0\n' \
		"$((n_ids / 20))" > "$cp_sc/nodes.csv"
	printf 'a,b,delay_ms\nedge0,cloud0,10\n' > "$cp_sc/links.csv"
	awk 'BEGIN { print "model,task,size_mb,accuracy" } { printf "m%s,b%s,1,0.8\n", $1, $1 }' \
		"$dir/cp.ids" > "$cp_sc/models.csv"
	awk 'BEGIN { print "model,hardware,latency_ms,capacity_rps" }
		{ printf "m%s,cpu,5,inf\nm%s,gpu,2,inf\n", $1, $1 }' "$dir/cp.ids" > "$cp_sc/profiles.csv"
	awk 'BEGIN { print "node,model" } { printf "cloud0,m%s\n", $1 }' "$dir/cp.ids" \
		> "$cp_sc/pinned.csv"
	# The sample is played CP_LOOPS times in a row so that the replay, not the
	# load, dominates the time measured.
	gzip -dc "$ids" | awk -F, -v loops="$CP_LOOPS" '{ id[NR] = $1 }
		END { print "time,source,task"
		      for (k = 0; k < loops; k++) for (i = 1; i <= NR; i++)
			printf "%.3f,edge0,b%s\n", (k * NR + i) / 1000, id[i] }' \
		> "$dir/cp.csv"
	load=$(best_of "$REPLAY" --scenario "$cp_sc" --policy lru -o /dev/null "$dir/empty.csv")
	row cloudphysics load_seconds "$(calc "$load" 3)" "" ""
	for p in lru infida; do
		t=$(best_of "$REPLAY" --scenario "$cp_sc" --policy "$p" \
			--summary "$dir/cp-$p.sum" -o /dev/null "$dir/cp.csv")
		n=$(field requests "$dir/cp-$p.sum")
		row "cloudphysics-$p" requests_per_s "$(calc "$n / ($t - $load)")" \
			"$(calc "$n / $t")" "$(calc "($t - $load) / $t" 2)"
	done
}

# --- cogentco: every access node a source ---------------------------------------
bench_cogentco() {
	cog=$top_srcdir/traces/cogentco
	"$GEN" --scenario "$cog" --rate 1 --duration 600 --seed 1 -o "$dir/cog.csv.gz"
	"$GEN" --scenario "$cog" --rate 1 --duration 1 --seed 1 -o "$dir/cog1.csv.gz"
	t1=$(best_of "$REPLAY" --scenario "$cog" --policy static -o /dev/null "$dir/cog1.csv.gz")
	row cogentco load_route_seconds "$(calc "$t1" 3)" "" ""
	for p in static infida; do
		t=$(best_of "$REPLAY" --scenario "$cog" --policy "$p" --slot 1 \
			--summary "$dir/cog-$p.sum" -o /dev/null "$dir/cog.csv.gz")
		n=$(field requests "$dir/cog-$p.sum")
		row "cogentco-$p" requests_per_s "$(calc "$n / $t")" "" ""
	done
}

# --- sweep: the experiment Makefile on one core and on two ---------------------
bench_sweep() {
	if ! command -v taskset > /dev/null; then
		echo "bench.sh: sweep: no taskset (util-linux), row skipped" >&2
		return 0
	fi
	local target=summaries/fig2alpha.csv t1 t2
	# fresh results each time (make would find them up to date); the
	# offline policy's LP report goes to the log
	sweep_cmd() { # JOBS DIR [taskset...]
		local jobs=$1 out=$2; shift 2
		rm -rf "$out" && "$@" "${MAKE:-make}" -s -C "$top_builddir" \
			-j"$jobs" RESULTS="$out" "$out/$target" 2>> "$dir/sweep.log"
	}
	read -r t1 t2 < <(best_interleaved \
		'sweep_cmd 1 "$dir/sweep1" taskset -c 0' \
		'sweep_cmd 2 "$dir/sweep2"')
	row sweep seconds "$(calc "$t2" 2)" "$(calc "$t1" 2)" "$(calc "$t2 / $t1" 2)"
	row sweep speedup "$(calc "$t1 / $t2" 2)" "" ""
	# the same numbers either way, once the timing columns are dropped
	untimed() {
		awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) drop[i] = $i ~ /^requests_per_s/ }
			{ s = ""; for (i = 1; i <= NF; i++) if (!drop[i]) s = s $i ","; print s }' "$1"
	}
	if ! cmp -s <(untimed "$dir/sweep1/$target") <(untimed "$dir/sweep2/$target"); then
		echo "bench.sh: sweep: -j1 and -j2 results differ" >&2
		exit 1
	fi
}

# --- policies on the default scenario ------------------------------------------
bench_policies() {
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
}

for r in $ROWS; do
	case $r in
	lru-single|topologies|cloudphysics|cogentco|policies|sweep)
		"bench_${r//-/_}" ;;
	*) echo "bench.sh: ROWS: unknown group '$r'" >&2; exit 2 ;;
	esac
done
echo "(ratio = time / baseline time: lru-single against gzip -dc of the same"
echo " trace, policies against static on the same trace, *-packed against the"
echo " CSV trace, sweep on two cores against one; rss: long / short)"
