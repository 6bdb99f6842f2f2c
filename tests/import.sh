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

. "${top_srcdir:-.}/tests/taplib.sh"
tap_init idn-import
prog="$tools/idn-import"
GEN="$tools/idn-gen"
REPLAY="$tools/idn-replay"
D="$top_srcdir/tests/data/import"
SC="$top_srcdir/tests/data/trace/scenario"      # tasks cls det seg; a0 a1
SMALL="$top_srcdir/traces/tree-small"
REAL="$top_srcdir/traces/real"

imp() { "$prog" --scenario "$SC" --level 0 "$@"; }

# same_up_to_perm EXPECTED ACTUAL: ACTUAL is EXPECTED with R0 R1 R2 replaced
# by some permutation of cls det seg; prints the permutation found.
same_up_to_perm() {
	for p in "cls det seg" "cls seg det" "det cls seg" "det seg cls" \
	         "seg cls det" "seg det cls"; do
		set -- "$1" "$2" $p
		sed -e "s/R0\$/$3/" -e "s/R1\$/$4/" -e "s/R2\$/$5/" "$1" \
			>"$tmp/perm"
		if cmp -s "$tmp/perm" "$2"; then
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
"$prog" --help >"$tmp/help" 2>"$tmp/err"; rc=$?
missing=
for o in scenario sources tasks-zipf time-scale limit seed level output \
         help version alibaba-genai azure-llm; do
	grep -q -- "$o" "$tmp/help" || missing="$missing $o"
done
check "--help exits 0 and lists every option and format${missing:+ (missing:$missing)}" \
	test $rc -eq 0 -a ! -s "$tmp/err" -a -z "$missing"
"$prog" --version >"$tmp/out"; rc=$?
check "--version prints 'idn-import (idnbench) VERSION'" \
	sh -c "test $rc -eq 0 && grep -Eq '^idn-import \(idnbench\) [0-9]' '$tmp/out'"

# fails CODE PATTERN ARGS...: exit CODE, one stderr line 'idn-import: ...'
# matching PATTERN, nothing on stdout, and no file left in the output
# directory $tmp/o.
fails() {
	code=$1 pat=$2; shift 2
	rm -rf "$tmp/o" && mkdir "$tmp/o"
	run "$@"
	failed "$code" "$pat" && empty_dir "$tmp/o"
}
A="$D/alibaba.csv"
check "unknown FORMAT is a usage error" fails 2 "unknown FORMAT 'bogus'" \
	bogus "$A" --scenario "$SC" -o "$tmp/o/x"
check "one operand is a usage error" fails 2 "expected FORMAT and INPUT" \
	azure-llm --scenario "$SC"
check "--scenario is required" fails 2 "--scenario" alibaba-genai "$A"
check "unknown option" fails 2 "unknown option '--bogus'" \
	alibaba-genai "$A" --scenario "$SC" --bogus
check "--time-scale 0 is a usage error" fails 2 "--time-scale" \
	alibaba-genai "$A" --scenario "$SC" --time-scale 0
check "--time-scale -1 is a usage error" fails 2 "--time-scale" \
	alibaba-genai "$A" --scenario "$SC" --time-scale -1
check "--limit 0 is a usage error" fails 2 "--limit" \
	alibaba-genai "$A" --scenario "$SC" --limit 0
check "--tasks-zipf does not apply to alibaba-genai" fails 2 "--tasks-zipf" \
	alibaba-genai "$A" --scenario "$SC" --tasks-zipf 1
check "--sources naming no node is a data error" fails 1 "--sources: no tier or node named 'nope'" \
	alibaba-genai "$A" --scenario "$SC" --sources nope -o "$tmp/o/x"

# --- alibaba-genai: exact rows ---------------------------------------------
# alibaba.csv: MA at rows 2, 4, 8; MB at 3, 9; MD at 6; MC at 7; row 5 has
# no model (skipped).  Counts MA 3, MB 2, MC 1, MD 1: ranks MA 0, MB 1,
# MC 2, MD 3 (MC and MD tie, MC < MD); with 3 tasks MD folds onto rank 0.
# Times from 2024-02-28 23:59:59: +1 s to Feb 29 (2024 is a leap year);
# 2024-03-01 00:00:00 is 86401; 2024-12-31 23:59:59 is 86401 + 305 days
# (Mar..Nov = 275 days, Dec 1..30 = 30) + 86399 = 26524800; then +1, +31.
cat >"$tmp/ali.exp" <<'EOF'
time,source,task
0,a0,R0
1,a0,R1
1,a0,R0
86401,a0,R0
26524800,a0,R2
26524801,a0,R0
26524831,a0,R1
EOF
imp alibaba-genai "$A" --sources a0 --seed 3 >"$tmp/ali" 2>"$tmp/err"; rc=$?
perm=$(same_up_to_perm "$tmp/ali.exp" "$tmp/ali")
check "alibaba-genai: exact rows (times, ranks, tie order, skipped row) (got: $(tr '\n' ' ' <"$tmp/ali"))" \
	test $rc -eq 0 -a -n "$perm"
check "alibaba-genai: the top model's task is idn-gen's rank 0 for the seed" \
	test "${perm%% *}" = "$(rank0 3 "$SC")"
check "alibaba-genai: stderr notes the skipped row and the folding" \
	sh -c "grep -q 'skipped 1 row with an empty checkpoint_model_version_id' '$tmp/err' &&
	       grep -q '4 models folded onto 3 tasks' '$tmp/err'"
same=yes
for s in 1 2 4 5 6; do
	imp alibaba-genai "$A" --sources a0 --seed $s >"$tmp/ali$s" 2>/dev/null
	p=$(same_up_to_perm "$tmp/ali.exp" "$tmp/ali$s") &&
		test "${p%% *}" = "$(rank0 $s "$SC")" || same=no
done
check "alibaba-genai: same rows up to the permutation for seeds 1-6, rank 0 as idn-gen" \
	test $same = yes
check "alibaba-genai: the permutation depends on the seed" \
	test "$(cat "$tmp"/ali[1-6] | sed -n '/^0,/p' | sort -u | wc -l)" -gt 1

imp alibaba-genai "$D/alibaba-unsorted.csv" --sources a0 --seed 3 \
	>"$tmp/unsorted" 2>"$tmp/err"; rc=$?
check "alibaba-genai: unsorted input is sorted (equal times keep file order)" \
	cmp -s "$tmp/unsorted" "$tmp/ali"
check "alibaba-genai: ... and stderr says so" \
	grep -q "alibaba-unsorted.csv is not in time order; sorted" "$tmp/err"

{ echo "time,source,task"; echo "0,a0,R0"; echo "0.5,a0,R1"; echo "0.5,a0,R0"
  echo "43200.5,a0,R0"; echo "13262400,a0,R2"; echo "13262400.5,a0,R0"
  echo "13262415.5,a0,R1"; } >"$tmp/half.exp"
imp alibaba-genai "$A" --sources a0 --seed 3 --time-scale 0.5 \
	>"$tmp/half" 2>/dev/null
check "alibaba-genai: --time-scale 0.5 halves every gap" \
	test "$(same_up_to_perm "$tmp/half.exp" "$tmp/half")" = "$perm"

# --limit 3: rows 2-4 only; MA 2, MB 1: MA rank 0, MB rank 1, no folding.
printf 'time,source,task\n0,a0,R0\n1,a0,R1\n1,a0,R0\n' >"$tmp/lim.exp"
imp alibaba-genai "$A" --sources a0 --seed 3 --limit 3 >"$tmp/lim" 2>"$tmp/err"
p=$(same_up_to_perm "$tmp/lim.exp" "$tmp/lim")
check "alibaba-genai: --limit 3 keeps the 3 earliest and ranks only them" \
	test -n "$p" -a "${p%% *}" = "${perm%% *}"
check "alibaba-genai: ... so nothing is folded" \
	test -z "$(grep folded "$tmp/err")"

# Sources: G1 rows 2, 4; G2 rows 3, 7, 9; G3 row 6; G4 row 8.
imp alibaba-genai "$A" --sources access --seed 3 >"$tmp/src" 2>/dev/null
s=$(cut -d, -f2 "$tmp/src" | sed 1d | tr '\n' ' ')
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
cat >"$tmp/az.exp" <<'EOF'
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
		>"$tmp/az$s" 2>"$tmp/err" &&
	p=$(same_up_to_perm "$tmp/az.exp" "$tmp/az$s") &&
	test "${p%% *}" = "$(rank0 $s "$SC")" && test ! -s "$tmp/err" || good=no
done
check "azure-llm: exact times (CRLF, 1-7 fraction digits, 'T'), rank 0 as idn-gen, seeds 1-6" \
	test $good = yes
imp azure-llm "$D/azure.csv" --seed 9 >"$tmp/az" 2>/dev/null
imp azure-llm "$D/azure.csv" --seed 9 >"$tmp/az2" 2>/dev/null
check "azure-llm: a seed fixes the output" cmp -s "$tmp/az" "$tmp/az2"
imp azure-llm - --seed 9 <"$D/azure.csv" >"$tmp/az-stdin" 2>/dev/null
check "azure-llm: '-' reads standard input" cmp -s "$tmp/az" "$tmp/az-stdin"
gzip -c "$D/azure.csv" >"$tmp/az.csv.gz"
imp azure-llm "$tmp/az.csv.gz" --seed 9 >"$tmp/az-gz" 2>/dev/null
check "azure-llm: gzip input reads like plain" cmp -s "$tmp/az" "$tmp/az-gz"
"$prog" azure-llm "$D/azure.csv" --scenario "$SC" --seed 9 -o "$tmp/az.out"
check "output is gzip by default (level 1) with the same rows" \
	sh -c "gzip -t '$tmp/az.out' && gzip -dc '$tmp/az.out' | cmp -s - '$tmp/az'"

# --- malformed input -------------------------------------------------------
# Each row NAME|WHAT|LINE|COLUMN|FORMAT|INPUT|SED: the file INPUT edited by
# the sed script SED, as NAME.csv, fails at LINE in COLUMN.
while IFS='|' read -r name what line col format src script; do
	sed "$script" "$D/$src" >"$tmp/$name.csv"
	check "$what" fails 1 ".*/$name.csv:$line: $col: " "$format" \
		"$tmp/$name.csv" --scenario "$SC" -o "$tmp/o/x.csv"
done <<'EOF'
date|no such day (Feb 30)|3|gmt_create|alibaba-genai|alibaba.csv|3s/^2024-02-29/2024-02-30/
short|timestamp without seconds|2|gmt_create|alibaba-genai|alibaba.csv|2s/^2024-02-28 23:59:59/2024-02-28 23:59/
zone|time zone suffix|4|gmt_create|alibaba-genai|alibaba.csv|4s/^2024-02-29 00:00:00/2024-02-29 00:00:00Z/
row|row with a missing field|6|row|alibaba-genai|alibaba.csv|6s/,MD,2$/,MD/
hdr|missing model column|1|header|alibaba-genai|alibaba.csv|1s/checkpoint_model_version_id/model/
frac|ten fraction digits|3|TIMESTAMP|azure-llm|azure.csv|3s/50.9951690,/50.9951690123,/
hour|hour 24|5|TIMESTAMP|azure-llm|azure.csv|5s/^2023-11-16 23:/2023-11-16 24:/
month|one-digit month|2|TIMESTAMP|azure-llm|azure.csv|2s/^2023-11-16/2023-1-16/
EOF
# 1 s x 1e308 is finite, 86401 s x 1e308 (line 6) is not.
check "time overflowing with --time-scale names the row" fails 1 \
	".*/alibaba.csv:6: gmt_create: time overflows" alibaba-genai "$A" \
	--scenario "$SC" --time-scale 1e308 -o "$tmp/o/x.csv"
gzip -c "$REAL/AzureLLMInferenceTrace_code.csv" | head -c 20000 \
	>"$tmp/trunc.csv.gz"
check "truncated gzip input" fails 1 ".*/trunc.csv.gz: gzip: unexpected end" \
	azure-llm "$tmp/trunc.csv.gz" --scenario "$SC" -o "$tmp/o/x.csv"
head -1 "$D/azure.csv" >"$tmp/empty.csv"
check "header only: no requests" fails 1 ".*/empty.csv: no requests" \
	azure-llm "$tmp/empty.csv" --scenario "$SC" -o "$tmp/o/x.csv"
check "missing input file" fails 1 ".*/nothere.csv: cannot open" \
	azure-llm "$tmp/nothere.csv" --scenario "$SC" -o "$tmp/o/x.csv"

# --- the shipped real traces on traces/tree-small --------------------------
# Independent derivations with awk and GNU date from the source files.
AL="$REAL/alibaba_genai_lora_request_trace.csv.gz"
NT=$(sed 1d "$SMALL/models.csv" | cut -d, -f2 | sort -u | wc -l)
ACCESS=$(awk -F, '$2 == "access" { print $1 }' "$SMALL/nodes.csv" | sort)

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
		--summary "$tmp/sum.csv" <"$1" >/dev/null 2>"$tmp/rerr" &&
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "requests") c = i }
	         NR == 2 { print $c }' "$tmp/sum.csv"
}
# Times non-decreasing from 0, last one printed; sources all access nodes,
# number used printed.
times_ok() {
	awk -F, 'NR == 2 && $1 != 0 { bad = 1 } NR > 2 && $1 + 0 < p { bad = 1 }
	         NR > 1 { p = $1 + 0; last = $1 } END { if (!bad) print last }' "$1"
}
sources_used() {
	sed 1d "$1" | cut -d, -f2 | sort -u >"$tmp/used"
	printf '%s\n' $ACCESS >"$tmp/access"
	comm -23 "$tmp/used" "$tmp/access" | grep -q . && echo bad && return
	wc -l <"$tmp/used"
}

"$prog" alibaba-genai "$AL" --scenario "$SMALL" --level 0 -o "$tmp/al.csv" \
	2>"$tmp/err"; rc=$?
gzip -dc "$AL" | sed 1d | awk -F, '$10 != ""' >"$tmp/al.in"
nreq=$(wc -l <"$tmp/al.in")
check "real alibaba: $nreq requests (rows with a model id), exit 0" \
	test $rc -eq 0 -a "$(sed 1d "$tmp/al.csv" | wc -l)" -eq "$nreq"
first=$(head -1 "$tmp/al.in" | cut -d, -f1) last=$(tail -1 "$tmp/al.in" | cut -d, -f1)
check "real alibaba: times sorted from 0 to the span $first -> $last" \
	test "$(times_ok "$tmp/al.csv")" = "$(span "$first" "$last")"
check "real alibaba: every source an access node, all $(echo $ACCESS | wc -w) used" \
	test "$(sources_used "$tmp/al.csv")" = "$(echo $ACCESS | wc -w)"
# Row i of the output is row i of the input (sorted, ties in file order).
sed 1d "$tmp/al.csv" | paste -d, "$tmp/al.in" - >"$tmp/al.join"
check "real alibaba: a group always enters at the same node" \
	test "$(awk -F, '{ print $5, $13 }' "$tmp/al.join" | sort -u |
	        awk '{ print $1 }' | uniq -d | wc -l)" -eq 0
# Rank the models by hand (count desc, id asc); classes r mod NT.
cut -d, -f10 "$tmp/al.in" | sort | uniq -c | sort -k1,1nr -k2,2 |
	awk -v nt="$NT" '{ print $2, (NR - 1) % nt }' | sort >"$tmp/rank"
awk -F, '{ print $10, $14 }' "$tmp/al.join" | sort -u >"$tmp/m2t"
check "real alibaba: each model maps to one task" \
	test "$(wc -l <"$tmp/m2t")" -eq "$(wc -l <"$tmp/rank")"
join "$tmp/rank" "$tmp/m2t" | awk '{ print $2, $3 }' | sort -u >"$tmp/c2t"
check "real alibaba: models of rank r and r + $NT share a task, others differ" \
	test "$(wc -l <"$tmp/c2t")" -eq "$NT" -a \
	     "$(cut -d' ' -f2 "$tmp/c2t" | sort -u | wc -l)" -eq "$NT"
check "real alibaba: stderr says the models were folded" \
	grep -q "models folded onto $NT tasks" "$tmp/err"
tap_err="$tmp/rerr"     # the replay's stderr, shown if the check fails
check "real alibaba: idn-replay --policy lru replays all $nreq requests" \
	test "$(replays "$tmp/al.csv")" = "$nreq"
tap_err=

for f in conv code; do
	src="$REAL/AzureLLMInferenceTrace_$f.csv"
	"$prog" azure-llm "$src" --scenario "$SMALL" --level 0 -o "$tmp/$f.csv" \
		2>"$tmp/err"; rc=$?
	nreq=$(sed 1d "$src" | grep -c .)
	check "real azure $f: $nreq requests, exit 0, quiet" \
		test $rc -eq 0 -a ! -s "$tmp/err" -a \
		     "$(sed 1d "$tmp/$f.csv" | wc -l)" -eq "$nreq"
	first=$(sed -n 2p "$src" | cut -d, -f1)
	last=$(tail -1 "$src" | cut -d, -f1)
	check "real azure $f: times sorted from 0 to the span" \
		test "$(times_ok "$tmp/$f.csv")" = "$(span "$first" "$last")"
	check "real azure $f: every source an access node, all used" \
		test "$(sources_used "$tmp/$f.csv")" = "$(echo $ACCESS | wc -w)"
	# Zipf(1) over NT ranks: share of rank k is (1/k) / H; the sorted
	# shares must be within 5 sigma of those.
	sed 1d "$tmp/$f.csv" | cut -d, -f3 | sort | uniq -c | sort -k1,1nr |
		awk -v nt="$NT" -v n="$nreq" '
		BEGIN { for (k = 1; k <= nt; k++) h += 1 / k }
		{ p = (1 / NR) / h; s = sqrt(p * (1 - p) / n)
		  d = $1 / n - p; if (d < 0) d = -d; if (d > 5 * s) bad = 1 }
		END { exit (bad || NR != nt) }' >/dev/null
	check "real azure $f: task shares follow Zipf(1) over $NT tasks" \
		test $? -eq 0
	tap_err="$tmp/rerr"
	check "real azure $f: idn-replay --policy lru replays all $nreq requests" \
		test "$(replays "$tmp/$f.csv")" = "$nreq"
	tap_err=
done

tap_end
