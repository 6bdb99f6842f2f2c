#!/bin/sh
# gen.sh - tests of idn-gen, the synthetic trace generator (TAP output).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Statistical checks use 5-sigma bounds so they fail only when the model
# is wrong, not by bad luck (and runs are seeded anyway).

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
GEN="$top_builddir/src/tools/idn-gen"
SC="$top_srcdir/tests/data/trace/scenario"
T=$(mktemp -d "${TMPDIR:-/tmp}/idn-gen-test.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check() {   # check DESCRIPTION COMMAND...
	d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}
# Plain CSV of a run: gen ARGS... (output to stdout, level 0).
gen() { "$GEN" --scenario "$SC" --level 0 "$@"; }



# --- interface -----------------------------------------------------------
"$GEN" --help >"$T/help" 2>"$T/err"; rc=$?
check "--help exits 0, quietly on stderr" test $rc -eq 0 -a ! -s "$T/err"
missing=
for o in scenario sources rate duration tasks-zipf mode period shift seed \
         level output help version; do
	grep -q -- "--$o" "$T/help" || missing="$missing $o"
done
for d in "default: access" "default: 10)" "default: 60" "default: 1.0" \
         "default: stationary" "duration/10" "default: 1)" "default: -"; do
	grep -q -- "$d" "$T/help" || missing="$missing '$d'"
done
check "--help lists every option and default${missing:+ (missing:$missing)}" \
	test -z "$missing"

ver=$("$GEN" --version); rc=$?
check "--version prints 'idn-gen (idnbench) VERSION'" \
	sh -c "test $rc -eq 0 && echo '$ver' | grep -Eq '^idn-gen \(idnbench\) [0-9]'"

# usage_error DESCRIPTION ARGS...: exit 2, one line 'idn-gen: ...', no stdout
usage_error() {
	d=$1; shift
	"$GEN" "$@" >"$T/out" 2>"$T/err"; rc=$?
	if test $rc -eq 2 && test ! -s "$T/out" && test "$(wc -l <"$T/err")" -eq 1 &&
	   grep -q '^idn-gen: ' "$T/err"; then
		ok "$d"
	else
		not_ok "$d (rc=$rc: $(cat "$T/err"))"
	fi
}
usage_error "unknown option is a usage error" --scenario "$SC" --bogus
usage_error "bad numbers are usage errors" --scenario "$SC" --rate -3
usage_error "--scenario is required" --rate 3
usage_error "bad --mode is a usage error" --scenario "$SC" --mode wavy

# data_error DESCRIPTION PATTERN ARGS...: exit 1, message, no output file
data_error() {
	d=$1; pat=$2; shift 2
	rm -rf "$T/o"; mkdir "$T/o"
	"$GEN" "$@" -o "$T/o/trace.csv.gz" >"$T/out" 2>"$T/err"; rc=$?
	if test $rc -eq 1 && test -z "$(ls -A "$T/o")" &&
	   test "$(wc -l <"$T/err")" -eq 1 && grep -q "^idn-gen: .*$pat" "$T/err"
	then
		ok "$d"
	else
		not_ok "$d (rc=$rc: $(cat "$T/err"); left: $(ls -A "$T/o"))"
	fi
}
data_error "unknown tier/node in --sources: exit 1, no file" \
	"no tier or node named 'nowhere'" --scenario "$SC" --sources a0,nowhere
data_error "missing scenario: exit 1, no file" "nodes.csv\|models.csv" \
	--scenario "$T/no-such-dir"

"$GEN" --scenario "$SC" --duration 5 -o /dev/full 2>"$T/err"; rc=$?
check "write error (/dev/full) is reported, exit 1" \
	sh -c "test $rc -eq 1 && grep -q '^idn-gen: /dev/full: ' '$T/err'"

# --- output format and determinism ----------------------------------------
gen --seed 5 --duration 20 >"$T/a.csv"
gen --seed 5 --duration 20 >"$T/b.csv"
gen --seed 6 --duration 20 >"$T/c.csv"
check "same seed gives identical bytes" cmp -s "$T/a.csv" "$T/b.csv"
check "another seed gives other bytes" sh -c "! cmp -s '$T/a.csv' '$T/c.csv'"

"$GEN" --scenario "$SC" --seed 5 --duration 20 -o "$T/a.csv.gz"
"$GEN" --scenario "$SC" --seed 5 --duration 20 >"$T/s.gz"
check "default output is gzip level 1, same on stdout and in a file" \
	sh -c "cmp -s '$T/a.csv.gz' '$T/s.gz' && gzip -dc '$T/s.gz' | cmp -s - '$T/a.csv'"

check "header is time,source,task" \
	test "$(head -n 1 "$T/a.csv")" = "time,source,task"
awk -F, 'NR > 1 && ($1 < prev || $1 < 0 || $1 >= 20) { bad = 1 }
	NR > 1 { prev = $1 } END { exit bad }' "$T/a.csv"
check "times are sorted and within [0, duration)" test $? -eq 0

# --- the model -------------------------------------------------------------
# Rate: 2 access nodes x 40 req/s x 100 s; Poisson count within 5 sigma.
gen --rate 40 --duration 100 --seed 9 >"$T/r.csv"
awk -F, 'NR > 1 { n++; per[$2]++ }
	END { mu = 2 * 40 * 100; d = n - mu; if (d < 0) d = -d
	      if (d > 5 * sqrt(mu)) exit 1
	      # each source is Poisson(40 * 100) itself
	      for (s in per) { d = per[s] - mu / 2; if (d < 0) d = -d
	                       if (d > 5 * sqrt(mu / 2)) exit 1 }
	      exit (length(per) == 2 && ("a0" in per) && ("a1" in per)) ? 0 : 1 }' \
	"$T/r.csv"
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
check "Zipf A=1: rank 1 / rank 2 ~ 2" zipf_ratio 1 "$T/r.csv"
gen --rate 40 --duration 100 --seed 9 --tasks-zipf 0.5 >"$T/z.csv"
check "Zipf A=0.5: rank 1 / rank 2 ~ 1.41" zipf_ratio 0.5 "$T/z.csv"
gen --rate 40 --duration 100 --seed 9 --tasks-zipf 0 >"$T/u.csv"
check "Zipf A=0: uniform tasks" zipf_ratio 0 "$T/u.csv"

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
gen --mode sliding --period 100 --duration 400 --rate 20 --seed 4 >"$T/sl.csv"
tops=$(awk -F, 'NR > 1 { c[int($1 / 100), $3]++ }
	END { for (e = 0; e < 4; e++) { best = ""; m = 0
	        for (k in c) { split(k, p, SUBSEP)
	                       if (p[1] == e && c[k] > m) { m = c[k]; best = p[2] } }
	        printf "%s ", best } }' "$T/sl.csv")
set -- $tops
check "sliding mode rolls the ranking each period ($tops)" \
	test "$#" -eq 4 -a "$1" != "$2" -a "$2" != "$3" -a "$1" != "$3" -a "$1" = "$4"

echo "1..$n"
exit $failed
