#!/bin/sh
# sweep.sh - TAP tests of idn-sweep: the worked example (tests/data/example)
# with 2 policies x 2 seeds run through the Makefile, GNU parallel and the
# Slurm script (one task by hand) must give the same per-run files; grid
# expansion, shared generated traces, and spec errors with FILE:LINE.
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/taplib.sh"
tap_init sweep
tmp=$(cd "$tmp" && pwd -P)
prog="$(cd "$tools" && pwd)/idn-sweep"
spec="$top_srcdir/tests/data/sweep/tiny.spec"
example=$(cd "$top_srcdir/tests/data/example" && pwd)
# The inner make must not join the jobserver of a `make check` around us.
submake() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${MAKE:-make}" "$@"; }

count() { [ "$(find "$1" -name "$2" | wc -l)" -eq "$3" ]; }

# Summaries without the columns that measure the machine, not the model.
model_cols() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) skip[i] = $i == "wall_s" ||
		$i == "requests_per_s" || $i == "peak_rss_kb" }
		{ s = ""; for (i = 1; i <= NF; i++) if (!skip[i]) s = s $i ",";
		  print s }' "$1"
}

# same_runs A B: the runs under A/runs and B/runs have the same names,
# byte-identical per-slot CSVs and summaries equal but for wall time.
same_runs() {
	(cd "$1/runs" && find . -type f | sort) > "$tmp/la"
	(cd "$2/runs" && find . -type f | sort) > "$tmp/lb"
	cmp -s "$tmp/la" "$tmp/lb" && [ -s "$tmp/la" ] || return 1
	while read -r f; do
		case $f in
		*.csv) cmp -s "$1/runs/$f" "$2/runs/$f" || return 1 ;;
		*.summary)
			model_cols "$1/runs/$f" > "$tmp/sa"
			model_cols "$2/runs/$f" > "$tmp/sb"
			cmp -s "$tmp/sa" "$tmp/sb" || return 1 ;;
		esac
	done < "$tmp/la"
}

# --- Makefile ------------------------------------------------------------------
m="$tmp/make"
mkdir -p "$m"
run "$spec" --out "$m/out" -o "$m/sweep.mk"
check "--make writes a Makefile" eval '[ "$rc" -eq 0 ] && [ -s "$m/sweep.mk" ]'
check "make -j2 -f sweep.mk runs it" \
	eval '(cd "$m" && submake -s -j2 -f sweep.mk) > /dev/null 2> "$tmp/err"'
check "4 runs: 4 per-slot CSVs and 4 summaries" eval \
	'count "$m/out/runs" "*.csv" 4 && count "$m/out/runs" "*.summary" 4'
col() {     # col FILE NAME: the column NAME of every data row
	awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c)
		k = i; next } { print $k }' "$1"
}
check "summary.csv: 2 configurations with n = 2" \
	eval '[ "$(col "$m/out/summary.csv" n | tr "\n" " ")" = "2 2 " ] &&
	      [ "$(col "$m/out/summary.csv" policy | tr "\n" " ")" = "greedy infida " ]'
check "a second make has nothing to do" \
	eval '(cd "$m" && submake -q -f sweep.mk)'
check "the per-run CSV is the replay's own output" eval \
	'"$tools/idn-replay" --scenario "$example" --policy infida -O eta=0.1 \
	   --seed 2 "$example/trace.csv" > "$tmp/direct.csv" &&
	 cmp -s "$tmp/direct.csv" \
	   "$m/out/runs/example.trace/infida_eta-0.1_a1_d1_s2.csv"'

# --- GNU parallel ----------------------------------------------------------------
p="$tmp/par"
mkdir -p "$p"
run "$spec" --parallel --out "$p/out" -o "$p/jobs.txt"
check "--parallel: one job per run" \
	eval '[ "$rc" -eq 0 ] && [ "$(wc -l < "$p/jobs.txt")" -eq 4 ]'
check "jobs pass IDN_POLICY_PATH through" \
	grep -q "IDN_POLICY_PATH=$IDN_POLICY_PATH " "$p/jobs.txt"
if command -v parallel > /dev/null 2>&1; then
	check "parallel --jobs 2 < jobs.txt runs it" eval \
		'(cd "$p" && parallel --will-cite --jobs 2 < jobs.txt) \
		  > /dev/null 2> "$tmp/err"'
	check "same runs as make, byte for byte (but wall time)" \
		same_runs "$m/out" "$p/out"
else
	skip "parallel --jobs 2 < jobs.txt runs it" "GNU parallel is not installed"
	skip "same runs as make, byte for byte (but wall time)" \
		"GNU parallel is not installed"
fi
check "a job runs alone with sh (no parallel needed)" eval \
	'rm -rf "$p/out" && sed -n 3p "$p/jobs.txt" | sh 2> "$tmp/err" &&
	 count "$p/out/runs" "*.summary" 1 &&
	 cmp -s "$p/out/runs/example.trace/infida_eta-0.1_a1_d1_s1.csv" \
	   "$m/out/runs/example.trace/infida_eta-0.1_a1_d1_s1.csv"'

# --- Slurm -------------------------------------------------------------------------
s="$tmp/slurm"
mkdir -p "$s"
run "$spec" --slurm --out "$s/out" -o "$s/sweep.sbatch"
check "--slurm: the script passes bash -n" \
	eval '[ "$rc" -eq 0 ] && bash -n "$s/sweep.sbatch" 2> "$tmp/err"'
check "array 0-3: one task per run" \
	grep -qx '#SBATCH --array=0-3' "$s/sweep.sbatch"
check "task 1 run by hand is run 2 of the Makefile" eval \
	'SLURM_ARRAY_TASK_ID=1 bash "$s/sweep.sbatch" 2> "$tmp/err" &&
	 count "$s/out/runs" "*.csv" 1 &&
	 cmp -s "$s/out/runs/example.trace/greedy_a1_d1_s2.csv" \
	   "$m/out/runs/example.trace/greedy_a1_d1_s2.csv"'
check "a task beyond the array fails" eval \
	'! SLURM_ARRAY_TASK_ID=4 bash "$s/sweep.sbatch" 2> "$tmp/err"'

# --- grid expansion and generated traces -------------------------------------
g="$tmp/grid"
mkdir -p "$g"
cat > "$g/grid.spec" <<EOF
# 2 x 2 option values + 1 = 5 policies, x 3 seeds x 2 slots = 30 runs
scenario $example
trace file $example/trace.csv
policy infida eta=0.1,0.2 rounding=depround,coupled
policy lru
seeds 1-2,7
slot 1,10
out res
EOF
run "$g/grid.spec" --parallel
check "grid: 5 policy configurations x 3 seeds x 2 slots = 30 jobs" \
	eval '[ "$rc" -eq 0 ] && [ "$(wc -l < "$tmp/out")" -eq 30 ]'
check "30 distinct run names, relative out taken from the spec's dir" eval \
	'[ "$(grep -o -- "--summary [^ ]*" "$tmp/out" | sort -u | wc -l)" -eq 30 ] &&
	 grep -q -- "--summary $g/res/runs/example.trace/infida_eta-0.2_rounding-coupled_a1_d10_s7.summary" "$tmp/out"'
(cd / && "$prog" "$g/grid.spec" --parallel) > "$tmp/out2" 2> "$tmp/err"
check "the output does not depend on the working directory" \
	cmp -s "$tmp/out" "$tmp/out2"

cat > "$g/gen.spec" <<EOF
scenario $example
trace gen --rate 2 --duration 10 --sources a0,a1
policy lru
policy greedy
seeds 1-2
out gen
EOF
run "$g/gen.spec" -o "$g/gen.mk"
check "generated traces: one rule per seed, shared by the policies" eval \
	'[ "$(grep -c "^\$(O)/traces/.*:" "$g/gen.mk")" -eq 2 ] &&
	 [ "$(grep -c "traces/example.gen-rate-2-duration-10-sources-a0-a1/s1.csv.gz" "$g/gen.mk")" -ge 3 ]'
check "make builds the traces and the runs" eval \
	'(cd "$g" && submake -s -j2 -f gen.mk) > /dev/null 2> "$tmp/err" &&
	 count "$g/gen/traces" "*.csv.gz" 2 && count "$g/gen/runs" "*.summary" 4'
check "a generated trace is idn-gen's output for its seed" eval \
	'"$tools/idn-gen" --scenario "$example" --rate 2 --duration 10 \
	   --sources a0,a1 --seed 2 -o "$tmp/t2.csv.gz" &&
	 cmp -s "$tmp/t2.csv.gz" "$g/gen/traces/example.gen-rate-2-duration-10-sources-a0-a1/s2.csv.gz"'
if command -v parallel > /dev/null 2>&1; then
	check "parallel makes the shared traces too: same runs as make" eval \
		'"$prog" "$g/gen.spec" --parallel --out "$g/pgen" > "$g/jobs" &&
		 parallel --will-cite --jobs 2 < "$g/jobs" > /dev/null 2>&1 &&
		 same_runs "$g/gen" "$g/pgen"'
else
	skip "parallel makes the shared traces too: same runs as make" \
		"GNU parallel is not installed"
fi

# --- errors ------------------------------------------------------------------------
# bad LINE... : a spec of the given lines after a valid head; expect exit 1
# and "idn-sweep: FILE:N: ..." on one line.
head_lines="scenario $example
trace file $example/trace.csv
policy lru"
bad() {
	printf '%s\n' "$head_lines" "$@" > "$tmp/bad.spec"
	run "$tmp/bad.spec" --out "$tmp/bo"
}
bad "frob 1"
check "unknown keyword: FILE:4, exit 1" failed 1 ".*/bad.spec:4: frob: unknown keyword"
bad "seeds 1-2" "seeds 3"
check "seeds twice: FILE:5" failed 1 ".*/bad.spec:5: seeds: given twice (first on line 4)"
bad "# comment" "" "seeds 3-1"
check "backward seed range: FILE:6" failed 1 ".*/bad.spec:6: seeds: bad range"
bad "slot 0"
check "slot 0: FILE:4" failed 1 ".*/bad.spec:4: slot: must be positive: '0'"
bad "trace gen --rate 1 --seed 3"
check "--seed in trace gen args: FILE:4" failed 1 ".*/bad.spec:4: trace: '--seed' is set by idn-sweep"
bad "policy infida eta"
check "option without value: FILE:4" failed 1 ".*/bad.spec:4: policy: expected KEY=VALUE"
bad "scenario $tmp/nowhere"
check "missing scenario directory: FILE:4" failed 1 ".*/bad.spec:4: scenario: not a directory"
mkdir -p "$tmp/d2" && cp "$example/trace.csv" "$tmp/d2/"
bad "trace file $tmp/d2/trace.csv"
check "two traces with one name: FILE:LINE of both" \
	failed 1 ".*/bad.spec:4: trace: id 'trace' already names the trace of line 2"
bad "policy lru_x" "policy lru-x"
check "two runs with one name: FILE:LINE of both" \
	failed 1 ".*/bad.spec:5: policy: run 'runs/example.trace/lru-x_a1_d1_s1' has the name of a run of line 4"
printf 'scenario %s\npolicy lru\n' "$example" > "$tmp/bad.spec"
run "$tmp/bad.spec" --out "$tmp/bo"
check "no trace line: exit 1" failed 1 ".*/bad.spec: no 'trace' line"
run "$spec" --out "$tmp/with space"
check "--make refuses a directory name make cannot handle (exit 2)" \
	failed 2 "the out directory '.*with space' has a character"
run
check "no SPEC: exit 2" failed 2 "missing SPEC"
run "$spec" --bindir "$tmp/nowhere"
check "--bindir without the tools: exit 2" failed 2 "--bindir: no idn-replay"
# Odd characters in an option value reach the replay intact through the
# job line (sh) and the Makefile (make doubles '$'): a fake bindir whose
# idn-replay records its arguments.
mkdir -p "$tmp/fake"
printf '#!/bin/sh\nprintf "%%s\\n" "$@" > "$ARGS_FILE"\n' > "$tmp/fake/idn-replay"
chmod +x "$tmp/fake/idn-replay"
printf '%s\n' "$head_lines" "policy greedy x=it's\$1;\"\`" > "$tmp/q.spec"
export ARGS_FILE="$tmp/args"
odd_arg() { grep -qxF "x=it's\$1;\"\`" "$ARGS_FILE" && rm -f "$ARGS_FILE"; }
run "$tmp/q.spec" --out "$tmp/q" --bindir "$tmp/fake" --parallel
check "job line: quoted option value arrives intact" \
	eval 'sed -n 2p "$tmp/out" | sh && odd_arg'
run "$tmp/q.spec" --out "$tmp/q" --bindir "$tmp/fake" -o "$tmp/q.mk"
check "Makefile: the same value arrives intact" \
	eval 'submake -s -f "$tmp/q.mk" runs > /dev/null && odd_arg'
tap_end
