#!/bin/sh
# gen.sh - tests of idn-gen, the synthetic trace generator (TAP output).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Statistical checks use 5-sigma bounds so they fail only when the model
# is wrong, not by bad luck (and runs are seeded anyway).
. "${top_srcdir:-.}/tests/taplib.sh"
tap_init idn-gen
prog="$tools/idn-gen"
SC="$top_srcdir/tests/data/trace/scenario"
# Plain CSV of a run: gen ARGS... (output to stdout, level 0).
gen() { "$prog" --scenario "$SC" --level 0 "$@"; }

# --- interface -----------------------------------------------------------
"$prog" --help >"$tmp/help" 2>"$tmp/err"; rc=$?
check "--help exits 0, quietly on stderr" test $rc -eq 0 -a ! -s "$tmp/err"
missing=
for o in scenario sources rate duration tasks-zipf mode period shift seed \
         level output help version; do
	grep -q -- "--$o" "$tmp/help" || missing="$missing $o"
done
for d in "default: access" "default: 10)" "default: 60" "default: 1.0" \
         "default: stationary" "duration/10" "default: 1)" "default: -"; do
	grep -q -- "$d" "$tmp/help" || missing="$missing '$d'"
done
check "--help lists every option and default${missing:+ (missing:$missing)}" \
	test -z "$missing"

ver=$("$prog" --version); rc=$?
check "--version prints 'idn-gen (idnbench) VERSION'" \
	sh -c "test $rc -eq 0 && echo '$ver' | grep -Eq '^idn-gen \(idnbench\) [0-9]'"

# usage_error ARGS...: exit 2, one line 'idn-gen: ...', no stdout
usage_error() {
	run "$@"
	failed 2 ""
}
check "unknown option is a usage error" usage_error --scenario "$SC" --bogus
check "bad numbers are usage errors" usage_error --scenario "$SC" --rate -3
check "--scenario is required" usage_error --rate 3
check "bad --mode is a usage error" usage_error --scenario "$SC" --mode wavy

# data_error PATTERN ARGS...: exit 1, message, no output file
data_error() {
	pat=$1; shift
	rm -rf "$tmp/o"; mkdir "$tmp/o"
	run "$@" -o "$tmp/o/trace.csv.gz"
	failed 1 ".*$pat" && empty_dir "$tmp/o"
}
check "unknown tier/node in --sources: exit 1, no file" data_error \
	"no tier or node named 'nowhere'" --scenario "$SC" --sources a0,nowhere
check "missing scenario: exit 1, no file" data_error "nodes.csv\|models.csv" \
	--scenario "$tmp/no-such-dir"

"$prog" --scenario "$SC" --duration 5 -o /dev/full 2>"$tmp/err"; rc=$?
check "write error (/dev/full) is reported, exit 1" \
	sh -c "test $rc -eq 1 && grep -q '^idn-gen: /dev/full: ' '$tmp/err'"

# --- output format and determinism ----------------------------------------
gen --seed 5 --duration 20 >"$tmp/a.csv"
gen --seed 5 --duration 20 >"$tmp/b.csv"
gen --seed 6 --duration 20 >"$tmp/c.csv"
check "same seed gives identical bytes" cmp -s "$tmp/a.csv" "$tmp/b.csv"
check "another seed gives other bytes" sh -c "! cmp -s '$tmp/a.csv' '$tmp/c.csv'"

"$prog" --scenario "$SC" --seed 5 --duration 20 -o "$tmp/a.csv.gz"
"$prog" --scenario "$SC" --seed 5 --duration 20 >"$tmp/s.gz"
check "default output is gzip level 1, same on stdout and in a file" \
	sh -c "cmp -s '$tmp/a.csv.gz' '$tmp/s.gz' && gzip -dc '$tmp/s.gz' | cmp -s - '$tmp/a.csv'"

check "header is time,source,task" \
	test "$(head -n 1 "$tmp/a.csv")" = "time,source,task"
awk -F, 'NR > 1 && ($1 < prev || $1 < 0 || $1 >= 20) { bad = 1 }
	NR > 1 { prev = $1 } END { exit bad }' "$tmp/a.csv"
check "times are sorted and within [0, duration)" test $? -eq 0

# --- the model -------------------------------------------------------------
# Rate: 2 access nodes x 40 req/s x 100 s; Poisson count within 5 sigma.
gen --rate 40 --duration 100 --seed 9 >"$tmp/r.csv"
awk -F, 'NR > 1 { n++; per[$2]++ }
	END { mu = 2 * 40 * 100; d = n - mu; if (d < 0) d = -d
	      if (d > 5 * sqrt(mu)) exit 1
	      # each source is Poisson(40 * 100) itself
	      for (s in per) { d = per[s] - mu / 2; if (d < 0) d = -d
	                       if (d > 5 * sqrt(mu / 2)) exit 1 }
	      exit (length(per) == 2 && ("a0" in per) && ("a1" in per)) ? 0 : 1 }' \
	"$tmp/r.csv"
check "arrival count matches rate x sources x duration (5 sigma)" test $? -eq 0

# Zipf: the two most frequent tasks have counts in ratio 2^A; the bound
# is 5 standard deviations of the ratio, sqrt(1/c1 + 1/c2) relative.
zipf_ratio() {   # zipf_ratio A FILE
	awk -F, -v a="$1" 'NR > 1 { c[$3]++ }
		END { for (t in c) { if (c[t] > c1) { c2 = c1; c1 = c[t] }
		                     else if (c[t] > c2) c2 = c[t] }
		      r = c1 / c2; want = 2 ^ a
		      tol = 5 * r * sqrt(1 / c1 + 1 / c2)
		      d = r - want; if (d < 0) d = -d
		      exit d <= tol ? 0 : 1 }' "$2"
}
check "Zipf A=1: rank 1 / rank 2 ~ 2" zipf_ratio 1 "$tmp/r.csv"
gen --rate 40 --duration 100 --seed 9 --tasks-zipf 0.5 >"$tmp/z.csv"
check "Zipf A=0.5: rank 1 / rank 2 ~ 1.41" zipf_ratio 0.5 "$tmp/z.csv"
gen --rate 40 --duration 100 --seed 9 --tasks-zipf 0 >"$tmp/u.csv"
check "Zipf A=0: uniform tasks" zipf_ratio 0 "$tmp/u.csv"

# --sources: tiers expand to their nodes, duplicates are dropped.
srcs() { gen --duration 10 "$@" | awk -F, 'NR > 1 { print $2 }' | sort -u | tr '\n' ' '; }
check "--sources a1 selects only a1" test "$(srcs --sources a1)" = "a1 "
check "--sources cloud,access,a0 selects all three nodes" \
	test "$(srcs --sources cloud,access,a0)" = "a0 a1 cloud "
gen --duration 100 --rate 10 --sources access,a0,a1 --seed 2 | awk -F, 'NR > 1 { n++ }
	END { d = n - 2000; if (d < 0) d = -d; exit d <= 5 * sqrt(2000) ? 0 : 1 }'
check "a repeated source does not raise its rate" test $? -eq 0

# Sliding: with 3 tasks and shift 1 the favourite changes every period and
# comes back after 3 periods.
gen --mode sliding --period 100 --duration 400 --rate 20 --seed 4 >"$tmp/sl.csv"
tops=$(awk -F, 'NR > 1 { c[int($1 / 100), $3]++ }
	END { for (e = 0; e < 4; e++) { best = ""; m = 0
	        for (k in c) { split(k, p, SUBSEP)
	                       if (p[1] == e && c[k] > m) { m = c[k]; best = p[2] } }
	        printf "%s ", best } }' "$tmp/sl.csv")
set -- $tops
check "sliding mode rolls the ranking each period ($tops)" \
	test "$#" -eq 4 -a "$1" != "$2" -a "$2" != "$3" -a "$1" != "$3" -a "$1" = "$4"

tap_end
