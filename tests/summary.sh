#!/bin/sh
# summary.sh - TAP tests of idn-summary: pooled means and Student-t 95%
# confidence half-widths against hand-computed values, grouping, columns
# found by name, and bad input.
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/taplib.sh"
tap_init summary
prog="$tools/idn-summary"

H=policy,options,seed,alpha,slot,slots,requests,gain,max_gain,ntag,latency_ms,accuracy,update_mb,wall_s,requests_per_s,peak_rss_kb
# summ FILE POLICY OPTIONS SEED ALPHA NTAG GAIN: a one-run summary with the
# given values (latency 10*ntag, accuracy ntag/2, update 100*seed).
summ() {
	mkdir -p "$(dirname "$1")"
	printf '%s\n%s,%s,%s,%s,10,6,60,%s,100,%s,%s,%s,%s,0.5,1000,3000\n' \
		"$H" "$2" "$3" "$4" "$5" "$7" "$6" \
		"$(awk "BEGIN{print 10*$6}")" "$(awk "BEGIN{print $6/2}")" \
		"$((100 * $4))" > "$1"
}

# cell ROW COLUMN: the field of data row ROW (1 = first) under the header
# name COLUMN in $tmp/out (fields here never hold commas).
cell() {
	awk -F, -v r="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++)
		if ($i == c) k = i } NR == r + 1 { print $k }' "$tmp/out"
}

near() {    # near ACTUAL EXPECTED: |a - e| <= 1e-9 (1 + |e|)
	awk -v a="$1" -v e="$2" 'BEGIN { d = a - e; if (d < 0) d = -d;
		m = e < 0 ? -e : e; exit !(a != "" && d <= 1e-9 * (1 + m)) }' ||
		{ echo "got '$1', expected $2"; return 1; }
}

# --- two seeds of one configuration --------------------------------------
# ntag 0.5 and 0.7: mean 0.6; s^2 = ((0.5-0.6)^2 + (0.7-0.6)^2) / (2-1)
# = 0.02, s = 0.1414213562; t(0.975, 1) = 12.7062047362 (tables), so the
# half-width is 12.7062047362 * 0.1414213562 / sqrt(2) = 12.7062047362 *
# 0.1 = 1.27062047362.  gain 20 and 40: mean 30, s = 14.142135624,
# half-width 12.7062047362 * 10 = 127.062047362.  Likewise latency 5, 7
# (s = 1.414..., CI 12.706...), accuracy 0.25, 0.35 (CI 12.706 * 0.05 =
# 0.63531...), update_mb 100, 200 (CI 12.706 * 50 = 635.31...).
d="$tmp/a/ex.tr"
summ "$d/x_s1.summary" infida eta=0.1 1 1 0.5 20
summ "$d/x_s2.summary" infida eta=0.1 2 1 0.7 40
run "$tmp/a"
check "a directory: one configuration, n = 2" eval \
	'[ "$rc" -eq 0 ] && [ "$(rows "$tmp/out")" -eq 1 ] &&
	 [ "$(cell 1 n)" = 2 ]'
check "ntag mean 0.6" near "$(cell 1 ntag_mean)" 0.6
check "ntag CI 12.706 * 0.1414 / sqrt(2) = 1.2706" \
	near "$(cell 1 ntag_ci95)" 1.27062047362
check "gain mean 30, CI 127.06" eval \
	'near "$(cell 1 gain_mean)" 30 && near "$(cell 1 gain_ci95)" 127.062047362'
check "latency 5,7 / accuracy 0.25,0.35 / update_mb 100,200: 12.706 * s/sqrt(2)" \
	eval 'near "$(cell 1 latency_ms_mean)" 6 &&
	      near "$(cell 1 latency_ms_ci95)" 12.7062047362 &&
	      near "$(cell 1 accuracy_mean)" 0.3 &&
	      near "$(cell 1 accuracy_ci95)" 0.635310236810 &&
	      near "$(cell 1 update_mb_mean)" 150 &&
	      near "$(cell 1 update_mb_ci95)" 635.310236810'
check "identical values: CI 0" eval \
	'near "$(cell 1 requests_per_s_mean)" 1000 &&
	 near "$(cell 1 requests_per_s_ci95)" 0'
check "trace id is the directory name; alpha, slot, options kept" eval \
	'[ "$(cell 1 trace)" = ex.tr ] && [ "$(cell 1 options)" = eta=0.1 ] &&
	 [ "$(cell 1 alpha)" = 1 ] && [ "$(cell 1 slot)" = 10 ]'

# --- three seeds: gain 1, 2, 6 --------------------------------------------
# mean 3; deviations -2, -1, 3, sum of squares 14, s^2 = 14/2 = 7;
# t(0.975, 2) = 4.3026527297; half-width 4.3026527297 * sqrt(7/3)
# = 4.3026527297 * 1.5275252317 = 6.5724106077.
d="$tmp/b/set"
summ "$d/r1.summary" lru "" 1 1 0.1 1
summ "$d/r2.summary" lru "" 2 1 0.1 2
summ "$d/r3.summary" lru "" 3 1 0.1 6
run "$d/r1.summary" "$d/r2.summary" "$d/r3.summary"
check "files: n = 3, gain mean 3, CI 4.3027 * sqrt(7/3) = 6.5724" eval \
	'[ "$(cell 1 n)" = 3 ] && near "$(cell 1 gain_mean)" 3 &&
	 near "$(cell 1 gain_ci95)" 6.5724106077'

# --- many runs: the large-sample branch -----------------------------------
# 40 runs, ntag alternating 0 and 1: mean 0.5, s^2 = 40 * 0.25 / 39, s =
# 0.5063696835; t(0.975, 39) = 2.0226909 (published tables); half-width
# 2.0226909 * 0.5063696835 / sqrt(40) = 0.1619448812 (the tables give 7
# digits: tolerance 1e-7 here).
d="$tmp/c/set"
for s in $(seq 1 40); do
	summ "$d/r$s.summary" lru "" "$s" 1 $((s % 2)) 1
done
run "$tmp/c"
check "40 runs: t(39) from the large-sample formula" eval \
	'[ "$(cell 1 n)" = 40 ] && near "$(cell 1 ntag_mean)" 0.5 &&
	 awk -v a="$(cell 1 ntag_ci95)" "BEGIN { d = a - 0.1619448812;
		exit !(d < 1e-7 && d > -1e-7) }"'

# --- grouping ----------------------------------------------------------------
d="$tmp/g/set"
summ "$d/a1.summary" infida eta=0.1 1 1 0.5 1
summ "$d/a2.summary" infida eta=0.2 1 1 0.5 1
summ "$d/a3.summary" infida eta=0.1 2 0 0.5 1
summ "$d/a4.summary" infida eta=0.1 3 1 0.5 1
summ "$tmp/g/other/a5.summary" infida eta=0.1 1 1 0.5 1
run "$tmp/g"
check "options, alpha and trace split configurations; seeds pool" eval \
	'[ "$(rows "$tmp/out")" -eq 4 ] && [ "$(cell 1 trace)" = other ] &&
	 [ "$(cell 1 n)" = 1 ] &&
	 [ "$(cell 2 options)" = eta=0.1 ] && [ "$(cell 2 n)" = 2 ] &&
	 [ "$(cell 3 options)" = eta=0.2 ] && [ "$(cell 4 alpha)" = 0 ]'
check "n = 1: empty CI" eval \
	'[ "$(cell 1 ntag_ci95)" = "" ] && near "$(cell 1 ntag_mean)" 0.5'

# --- columns by name ----------------------------------------------------------
# The same two runs as the first case with the columns reversed, an extra
# column and a trace column: same numbers, trace taken from the column.
d="$tmp/r"
mkdir -p "$d"
for f in x_s1 x_s2; do
	awk -F, -v OFS=, '{ s = (NR == 1 ? "trace,extra" : "mytrace,9");
		for (i = NF; i >= 1; i--) s = s "," $i; print s }' \
		"$tmp/a/ex.tr/$f.summary" > "$d/$f.summary"
done
run "$d"
check "reordered columns: same mean and CI" eval \
	'near "$(cell 1 ntag_mean)" 0.6 && near "$(cell 1 ntag_ci95)" 1.27062047362 &&
	 near "$(cell 1 gain_mean)" 30'
check "a trace column wins over the directory" \
	eval '[ "$(cell 1 trace)" = mytrace ]'
check "options with a comma are quoted in the output" eval \
	'summ "$tmp/q/s/q.summary" p "\"a=1,2\"" 1 1 0.5 1 && run "$tmp/q" &&
	 grep -q "^s,p,\"a=1,2\",1,10,1," "$tmp/out"'

# --- output file and errors -------------------------------------------------
run -o "$tmp/o.csv" "$tmp/a"
check "-o FILE writes the file, nothing on stdout" eval \
	'[ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l < "$tmp/o.csv")" -eq 2 ]'

sed 's/,ntag,/,ntagX,/' "$tmp/b/set/r1.summary" > "$tmp/nocol.summary"
run "$tmp/nocol.summary"
check "missing column: FILE:1: header, exit 1" \
	failed 1 ".*nocol.summary:1: header: missing column 'ntag'"
sed '2s/,20,/,x,/' "$tmp/a/ex.tr/x_s1.summary" > "$tmp/nan.summary"
run "$tmp/nan.summary"
check "not a number: FILE:2: gain, exit 1" \
	failed 1 ".*nan.summary:2: gain: not a number: 'x'"
printf 'policy,options\nlru\n' > "$tmp/short.summary"
run "$tmp/short.summary"
check "short row: exit 1" failed 1 ".*short.summary:2: row"
mkdir -p "$tmp/empty"
run "$tmp/empty"
check "directory without summaries: exit 1" failed 1 ".*no \*.summary file"
run "$tmp/missing.summary"
check "missing file: exit 1" failed 1 ".*missing.summary: cannot open"
run
check "no argument: exit 2" failed 2 ".*no summary FILE"
run -o "$tmp/bad.csv" --frobnicate "$tmp/a"
check "unknown option: exit 2, no output file" eval \
	'failed 2 ".*unknown option" && [ ! -e "$tmp/bad.csv" ]'
tap_end
