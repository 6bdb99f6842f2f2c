#!/bin/sh
# import.sh - tests of idn-import, real traces -> idnbench traces (TAP).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Expected rows are derived by hand from the rules in idn-import.c and
# doc/formats.md.  The seeded task permutation and the seeded source hash
# cannot be worked out by hand, so
#  - sources: the exact runs use a single source node (--sources a0), and
#    the hash is tested by its properties (a group always at one node,
#    every node in the chosen set, all of them used on the real trace);
#  - tasks: expected rows name the ranks R0 R1 R2 instead of tasks, and
#    the output must equal them under one permutation of the tasks; R0 is
#    pinned independently: it is the task that idn-gen puts at rank 0 for
#    the same seed (with --tasks-zipf 60 rank 0 takes all but 2^-60 of
#    the requests).

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
IMP="$top_builddir/src/tools/idn-import"
GEN="$top_builddir/src/tools/idn-gen"
REPLAY="$top_builddir/src/tools/idn-replay"
D="$top_srcdir/tests/data/import"
SC="$top_srcdir/tests/data/trace/scenario"      # tasks cls det seg; a0 a1
SMALL="$top_srcdir/traces/tree-small"
REAL="$top_srcdir/traces/real"
T=$(mktemp -d "${TMPDIR:-/tmp}/idn-import-test.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check() {   # check DESCRIPTION COMMAND...
	d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}
imp() { "$IMP" --scenario "$SC" --level 0 "$@"; }

# same_up_to_perm EXPECTED ACTUAL: ACTUAL is EXPECTED with R0 R1 R2 replaced
# by some permutation of cls det seg; prints the permutation found.
same_up_to_perm() {
	for p in "cls det seg" "cls seg det" "det cls seg" "det seg cls" \
	         "seg cls det" "seg det cls"; do
		set -- "$1" "$2" $p
		sed -e "s/R0\$/$3/" -e "s/R1\$/$4/" -e "s/R2\$/$5/" "$1" \
			>"$T/perm"
		if cmp -s "$T/perm" "$2"; then
			echo "$3 $4 $5"
			return 0
		fi
	done
	return 1
}
# Task idn-gen puts at rank 0 for seed $1 on scenario $2.
rank0() {
	"$GEN" --scenario "$2" --seed "$1" --tasks-zipf 60 --duration 1 \
		--level 0 | sed -n 2p | cut -d, -f3
}

# --- interface -----------------------------------------------------------
"$IMP" --help >"$T/help" 2>"$T/err"; rc=$?
missing=
for o in scenario sources tasks-zipf time-scale limit seed level output \
         help version alibaba-genai azure-llm; do
	grep -q -- "$o" "$T/help" || missing="$missing $o"
done
check "--help exits 0 and lists every option and format${missing:+ (missing:$missing)}" \
	test $rc -eq 0 -a ! -s "$T/err" -a -z "$missing"
"$IMP" --version >"$T/out"; rc=$?
check "--version prints 'idn-import (idnbench) VERSION'" \
	sh -c "test $rc -eq 0 && grep -Eq '^idn-import \(idnbench\) [0-9]' '$T/out'"

# fails CODE DESCRIPTION PATTERN ARGS...: exit CODE, one stderr line
# 'idn-import: ...' matching PATTERN (grep -E), nothing on stdout, and no
# file left in the output directory $T/o.
fails() {
	code=$1 d=$2 pat=$3; shift 3
	rm -rf "$T/o" && mkdir "$T/o"
	"$IMP" "$@" >"$T/out" 2>"$T/err"; rc=$?
	if test $rc -eq "$code" && test ! -s "$T/out" &&
	   test "$(wc -l <"$T/err")" -eq 1 &&
	   grep -Eq "^idn-import: $pat" "$T/err" &&
	   test -z "$(ls -A "$T/o")"; then
		ok "$d"
	else
		not_ok "$d (rc=$rc: $(cat "$T/err"); left: $(ls -A "$T/o"))"
	fi
}
A="$D/alibaba.csv"
fails 2 "unknown FORMAT is a usage error" "unknown FORMAT 'bogus'" \
	bogus "$A" --scenario "$SC" -o "$T/o/x"
fails 2 "one operand is a usage error" "expected FORMAT and INPUT" \
	azure-llm --scenario "$SC"
fails 2 "--scenario is required" "--scenario" alibaba-genai "$A"
fails 2 "unknown option" "unknown option '--bogus'" \
	alibaba-genai "$A" --scenario "$SC" --bogus
fails 2 "--time-scale 0 is a usage error" "--time-scale" \
	alibaba-genai "$A" --scenario "$SC" --time-scale 0
fails 2 "--time-scale -1 is a usage error" "--time-scale" \
	alibaba-genai "$A" --scenario "$SC" --time-scale -1
fails 2 "--limit 0 is a usage error" "--limit" \
	alibaba-genai "$A" --scenario "$SC" --limit 0
fails 2 "--tasks-zipf does not apply to alibaba-genai" "--tasks-zipf" \
	alibaba-genai "$A" --scenario "$SC" --tasks-zipf 1
fails 1 "--sources naming no node is a data error" "--sources: no tier or node named 'nope'" \
	alibaba-genai "$A" --scenario "$SC" --sources nope -o "$T/o/x"

# --- alibaba-genai: exact rows ---------------------------------------------
# alibaba.csv: MA at rows 2, 4, 8; MB at 3, 9; MD at 6; MC at 7; row 5 has
# no model (skipped).  Counts MA 3, MB 2, MC 1, MD 1: ranks MA 0, MB 1,
# MC 2, MD 3 (MC and MD tie, MC < MD); with 3 tasks MD folds onto rank 0.
# Times from 2024-02-28 23:59:59: +1 s to Feb 29 (2024 is a leap year);
# 2024-03-01 00:00:00 is 86401; 2024-12-31 23:59:59 is 86401 + 305 days
# (Mar..Nov = 275 days, Dec 1..30 = 30) + 86399 = 26524800; then +1, +31.
cat >"$T/ali.exp" <<'EOF'
time,source,task
0,a0,R0
1,a0,R1
1,a0,R0
86401,a0,R0
26524800,a0,R2
26524801,a0,R0
26524831,a0,R1
EOF
imp alibaba-genai "$A" --sources a0 --seed 3 >"$T/ali" 2>"$T/err"; rc=$?
perm=$(same_up_to_perm "$T/ali.exp" "$T/ali")
check "alibaba-genai: exact rows (times, ranks, tie order, skipped row) (got: $(tr '\n' ' ' <"$T/ali"))" \
	test $rc -eq 0 -a -n "$perm"
check "alibaba-genai: the top model's task is idn-gen's rank 0 for the seed" \
	test "${perm%% *}" = "$(rank0 3 "$SC")"
check "alibaba-genai: stderr notes the skipped row and the folding" \
	sh -c "grep -q 'skipped 1 row with an empty checkpoint_model_version_id' '$T/err' &&
	       grep -q '4 models folded onto 3 tasks' '$T/err'"
same=yes
for s in 1 2 4 5 6; do
	imp alibaba-genai "$A" --sources a0 --seed $s >"$T/ali$s" 2>/dev/null
	p=$(same_up_to_perm "$T/ali.exp" "$T/ali$s") &&
		test "${p%% *}" = "$(rank0 $s "$SC")" || same=no
done
check "alibaba-genai: same rows up to the permutation for seeds 1-6, rank 0 as idn-gen" \
	test $same = yes
check "alibaba-genai: the permutation depends on the seed" \
	test "$(cat "$T"/ali[1-6] | sed -n '/^0,/p' | sort -u | wc -l)" -gt 1

imp alibaba-genai "$D/alibaba-unsorted.csv" --sources a0 --seed 3 \
	>"$T/unsorted" 2>"$T/err"; rc=$?
check "alibaba-genai: unsorted input is sorted (equal times keep file order)" \
	cmp -s "$T/unsorted" "$T/ali"
check "alibaba-genai: ... and stderr says so" \
	grep -q "alibaba-unsorted.csv is not in time order; sorted" "$T/err"

{ echo "time,source,task"; echo "0,a0,R0"; echo "0.5,a0,R1"; echo "0.5,a0,R0"
  echo "43200.5,a0,R0"; echo "13262400,a0,R2"; echo "13262400.5,a0,R0"
  echo "13262415.5,a0,R1"; } >"$T/half.exp"
imp alibaba-genai "$A" --sources a0 --seed 3 --time-scale 0.5 \
	>"$T/half" 2>/dev/null
check "alibaba-genai: --time-scale 0.5 halves every gap" \
	test "$(same_up_to_perm "$T/half.exp" "$T/half")" = "$perm"

# --limit 3: rows 2-4 only; MA 2, MB 1: MA rank 0, MB rank 1, no folding.
printf 'time,source,task\n0,a0,R0\n1,a0,R1\n1,a0,R0\n' >"$T/lim.exp"
imp alibaba-genai "$A" --sources a0 --seed 3 --limit 3 >"$T/lim" 2>"$T/err"
p=$(same_up_to_perm "$T/lim.exp" "$T/lim")
check "alibaba-genai: --limit 3 keeps the 3 earliest and ranks only them" \
	test -n "$p" -a "${p%% *}" = "${perm%% *}"
check "alibaba-genai: ... so nothing is folded" \
	test -z "$(grep folded "$T/err")"

# Sources: G1 rows 2, 4; G2 rows 3, 7, 9; G3 row 6; G4 row 8.
imp alibaba-genai "$A" --sources access --seed 3 >"$T/src" 2>/dev/null
s=$(cut -d, -f2 "$T/src" | sed 1d | tr '\n' ' ')
set -- $s
check "alibaba-genai: a group always enters at the same access node ($s)" \
	test "$1" = "$3" -a "$2" = "$5" -a "$2" = "$7" \
	     -a "$(printf '%s\n' $s | grep -cv '^a[01]$')" -eq 0

# --- azure-llm: exact rows -----------------------------------------------
# From 18:15:46.6805900: 50.9951690 - 46.6805900 = 4.314579;
# 51.2224670 - 46.68059 = 4.541877; 23:59:59.9999999 is 5 h 44 min
# 13.3194099 s later = 20653.3194099; +0.0000002; 00:00:01.5 (one digit of
# fraction) = 20654.81941; 'T' as separator, 00:00:02 = 20655.31941.
# --tasks-zipf 60: every request takes rank 0.
cat >"$T/az.exp" <<'EOF'
time,source,task
0,a0,R0
4.314579,a0,R0
4.541877,a0,R0
20653.3194099,a0,R0
20653.3194101,a0,R0
20654.81941,a0,R0
20655.31941,a0,R0
EOF
good=yes
for s in 1 2 3 4 5 6; do
	imp azure-llm "$D/azure.csv" --sources a0 --tasks-zipf 60 --seed $s \
		>"$T/az$s" 2>"$T/err" &&
	p=$(same_up_to_perm "$T/az.exp" "$T/az$s") &&
	test "${p%% *}" = "$(rank0 $s "$SC")" && test ! -s "$T/err" || good=no
done
check "azure-llm: exact times (CRLF, 1-7 fraction digits, 'T'), rank 0 as idn-gen, seeds 1-6" \
	test $good = yes
imp azure-llm "$D/azure.csv" --seed 9 >"$T/az" 2>/dev/null
imp azure-llm "$D/azure.csv" --seed 9 >"$T/az2" 2>/dev/null
check "azure-llm: a seed fixes the output" cmp -s "$T/az" "$T/az2"
imp azure-llm - --seed 9 <"$D/azure.csv" >"$T/az-stdin" 2>/dev/null
check "azure-llm: '-' reads standard input" cmp -s "$T/az" "$T/az-stdin"
gzip -c "$D/azure.csv" >"$T/az.csv.gz"
imp azure-llm "$T/az.csv.gz" --seed 9 >"$T/az-gz" 2>/dev/null
check "azure-llm: gzip input reads like plain" cmp -s "$T/az" "$T/az-gz"
"$IMP" azure-llm "$D/azure.csv" --scenario "$SC" --seed 9 -o "$T/az.out"
check "output is gzip by default (level 1) with the same rows" \
	sh -c "gzip -t '$T/az.out' && gzip -dc '$T/az.out' | cmp -s - '$T/az'"

# --- malformed input -------------------------------------------------------
# bad WHAT LINE COLUMN FORMAT FILE: FILE fails at LINE in COLUMN.
bad() {
	fails 1 "$1" ".*/$(basename "$5"):$2: $3: " "$4" "$5" --scenario "$SC" \
		-o "$T/o/x.csv"
}
sed '3s/^2024-02-29/2024-02-30/' "$A" >"$T/date.csv"
bad "no such day (Feb 30)" 3 gmt_create alibaba-genai "$T/date.csv"
sed '2s/^2024-02-28 23:59:59/2024-02-28 23:59/' "$A" >"$T/short.csv"
bad "timestamp without seconds" 2 gmt_create alibaba-genai "$T/short.csv"
sed '4s/^2024-02-29 00:00:00/2024-02-29 00:00:00Z/' "$A" >"$T/zone.csv"
bad "time zone suffix" 4 gmt_create alibaba-genai "$T/zone.csv"
sed '6s/,MD,2$/,MD/' "$A" >"$T/row.csv"
bad "row with a missing field" 6 row alibaba-genai "$T/row.csv"
sed '1s/checkpoint_model_version_id/model/' "$A" >"$T/hdr.csv"
bad "missing model column" 1 header alibaba-genai "$T/hdr.csv"
sed '3s/50.9951690,/50.9951690123,/' "$D/azure.csv" >"$T/frac.csv"
bad "ten fraction digits" 3 TIMESTAMP azure-llm "$T/frac.csv"
sed '5s/^2023-11-16 23:/2023-11-16 24:/' "$D/azure.csv" >"$T/hour.csv"
bad "hour 24" 5 TIMESTAMP azure-llm "$T/hour.csv"
sed '2s/^2023-11-16/2023-1-16/' "$D/azure.csv" >"$T/month.csv"
bad "one-digit month" 2 TIMESTAMP azure-llm "$T/month.csv"
# 1 s x 1e308 is finite, 86401 s x 1e308 (line 6) is not.
fails 1 "time overflowing with --time-scale names the row" \
	".*/alibaba.csv:6: gmt_create: time overflows" alibaba-genai "$A" \
	--scenario "$SC" --time-scale 1e308 -o "$T/o/x.csv"
gzip -c "$REAL/AzureLLMInferenceTrace_code.csv" | head -c 20000 \
	>"$T/trunc.csv.gz"
fails 1 "truncated gzip input" ".*/trunc.csv.gz: gzip: unexpected end" \
	azure-llm "$T/trunc.csv.gz" --scenario "$SC" -o "$T/o/x.csv"
head -1 "$D/azure.csv" >"$T/empty.csv"
fails 1 "header only: no requests" ".*/empty.csv: no requests" \
	azure-llm "$T/empty.csv" --scenario "$SC" -o "$T/o/x.csv"
fails 1 "missing input file" ".*/nothere.csv: cannot open" \
	azure-llm "$T/nothere.csv" --scenario "$SC" -o "$T/o/x.csv"

# --- the shipped real traces on traces/tree-small --------------------------
# Independent derivations with awk and GNU date from the source files.
AL="$REAL/alibaba_genai_lora_request_trace.csv.gz"
NT=$(sed 1d "$SMALL/models.csv" | cut -d, -f2 | sort -u | wc -l)
ACCESS=$(awk -F, '$2 == "access" { print $1 }' "$SMALL/nodes.csv" | sort)
export IDN_POLICY_PATH="${IDN_POLICY_PATH:-$top_builddir/policies/.libs}"

# span FIRST LAST: seconds from FIRST to LAST (GNU date, UTC), shortest
# decimal of the nanosecond difference.
span() {
	a=$(date -u -d "$1" +%s%N) b=$(date -u -d "$2" +%s%N)
	d=$((b - a))
	printf '%d.%09d\n' $((d / 1000000000)) $((d % 1000000000)) |
		sed -e 's/0*$//' -e 's/\.$//'
}
# replays FILE: idn-replay --policy lru on tree-small takes FILE; prints
# the request count of the summary.
replays() {
	"$REPLAY" --scenario "$SMALL" --policy lru --slot 60 \
		--summary "$T/sum.csv" <"$1" >/dev/null 2>"$T/rerr" &&
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "requests") c = i }
	         NR == 2 { print $c }' "$T/sum.csv"
}
# Times non-decreasing from 0, last one printed; sources all access nodes,
# number used printed.
times_ok() {
	awk -F, 'NR == 2 && $1 != 0 { bad = 1 } NR > 2 && $1 + 0 < p { bad = 1 }
	         NR > 1 { p = $1 + 0; last = $1 } END { if (!bad) print last }' "$1"
}
sources_used() {
	sed 1d "$1" | cut -d, -f2 | sort -u >"$T/used"
	printf '%s\n' $ACCESS >"$T/access"
	comm -23 "$T/used" "$T/access" | grep -q . && echo bad && return
	wc -l <"$T/used"
}

"$IMP" alibaba-genai "$AL" --scenario "$SMALL" --level 0 -o "$T/al.csv" \
	2>"$T/err"; rc=$?
gzip -dc "$AL" | sed 1d | awk -F, '$10 != ""' >"$T/al.in"
nreq=$(wc -l <"$T/al.in")
check "real alibaba: $nreq requests (rows with a model id), exit 0" \
	test $rc -eq 0 -a "$(sed 1d "$T/al.csv" | wc -l)" -eq "$nreq"
first=$(head -1 "$T/al.in" | cut -d, -f1) last=$(tail -1 "$T/al.in" | cut -d, -f1)
check "real alibaba: times sorted from 0 to the span $first -> $last" \
	test "$(times_ok "$T/al.csv")" = "$(span "$first" "$last")"
check "real alibaba: every source an access node, all $(echo $ACCESS | wc -w) used" \
	test "$(sources_used "$T/al.csv")" = "$(echo $ACCESS | wc -w)"
# Row i of the output is row i of the input (sorted, ties in file order).
sed 1d "$T/al.csv" | paste -d, "$T/al.in" - >"$T/al.join"
check "real alibaba: a group always enters at the same node" \
	test "$(awk -F, '{ print $5, $13 }' "$T/al.join" | sort -u |
	        awk '{ print $1 }' | uniq -d | wc -l)" -eq 0
# Rank the models by hand (count desc, id asc); classes r mod NT.
cut -d, -f10 "$T/al.in" | sort | uniq -c | sort -k1,1nr -k2,2 |
	awk -v nt="$NT" '{ print $2, (NR - 1) % nt }' | sort >"$T/rank"
awk -F, '{ print $10, $14 }' "$T/al.join" | sort -u >"$T/m2t"
check "real alibaba: each model maps to one task" \
	test "$(wc -l <"$T/m2t")" -eq "$(wc -l <"$T/rank")"
join "$T/rank" "$T/m2t" | awk '{ print $2, $3 }' | sort -u >"$T/c2t"
check "real alibaba: models of rank r and r + $NT share a task, others differ" \
	test "$(wc -l <"$T/c2t")" -eq "$NT" -a \
	     "$(cut -d' ' -f2 "$T/c2t" | sort -u | wc -l)" -eq "$NT"
check "real alibaba: stderr says the models were folded" \
	grep -q "models folded onto $NT tasks" "$T/err"
check "real alibaba: idn-replay --policy lru replays all $nreq requests" \
	test "$(replays "$T/al.csv")" = "$nreq"

for f in conv code; do
	src="$REAL/AzureLLMInferenceTrace_$f.csv"
	"$IMP" azure-llm "$src" --scenario "$SMALL" --level 0 -o "$T/$f.csv" \
		2>"$T/err"; rc=$?
	nreq=$(sed 1d "$src" | grep -c .)
	check "real azure $f: $nreq requests, exit 0, quiet" \
		test $rc -eq 0 -a ! -s "$T/err" -a \
		     "$(sed 1d "$T/$f.csv" | wc -l)" -eq "$nreq"
	first=$(sed -n 2p "$src" | cut -d, -f1)
	last=$(tail -1 "$src" | cut -d, -f1)
	check "real azure $f: times sorted from 0 to the span" \
		test "$(times_ok "$T/$f.csv")" = "$(span "$first" "$last")"
	check "real azure $f: every source an access node, all used" \
		test "$(sources_used "$T/$f.csv")" = "$(echo $ACCESS | wc -w)"
	# Zipf(1) over NT ranks: share of rank k is (1/k) / H; the sorted
	# shares must be within 5 sigma of those.
	sed 1d "$T/$f.csv" | cut -d, -f3 | sort | uniq -c | sort -k1,1nr |
		awk -v nt="$NT" -v n="$nreq" '
		BEGIN { for (k = 1; k <= nt; k++) h += 1 / k }
		{ p = (1 / NR) / h; s = sqrt(p * (1 - p) / n)
		  d = $1 / n - p; if (d < 0) d = -d; if (d > 5 * s) bad = 1 }
		END { exit (bad || NR != nt) }' >/dev/null
	check "real azure $f: task shares follow Zipf(1) over $NT tasks" \
		test $? -eq 0
	check "real azure $f: idn-replay --policy lru replays all $nreq requests" \
		test "$(replays "$T/$f.csv")" = "$nreq"
done

echo "1..$n"
exit $failed
