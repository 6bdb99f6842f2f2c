#!/bin/sh
# regret.sh - INFIDA's regret against the best static fractional allocation
# (the offline policy's LP bound) is sublinear on a stationary trace.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# On the worked example's network with Poisson requests from both access
# nodes (10 req/s each, 1 s slots), for T = 100, 400 and 1600 slots:
#   avg_regret(T) = (LP bound over the trace - sum of INFIDA's
#                    fractional gain) / T
# must shrink as T grows (the guarantee is O(sqrt T) regret, so the average
# should roughly halve for each 4x; we require a factor 2 over 16x), and the
# integral gain must stay above (1 - 1/e) times the fractional one.
. "${top_srcdir:-.}/tests/taplib.sh"
tap_init regret
dir=$tmp
sc=$top_srcdir/tests/data/example
gen=$top_builddir/src/tools/idn-gen
replay=$top_builddir/src/tools/idn-replay
col() { # col NAME FILE: the column of the first data row / the column sum
	awk -F, -v n="$1" -v sum="${3:-}" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ s += $c[n]; if (NR == 2) first = $c[n] }
		END { printf "%.9f\n", sum ? s : first }' "$2"
}

above() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
prev=
for T in 100 400 1600; do
	"$gen" --scenario "$sc" --sources access --rate 10 --duration "$T" \
		--seed 5 -o "$dir/t$T.csv.gz"
	"$replay" --scenario "$sc" --policy offline "$dir/t$T.csv.gz" \
		> "$dir/off$T.csv" 2>/dev/null
	"$replay" --scenario "$sc" --policy infida "$dir/t$T.csv.gz" \
		> "$dir/inf$T.csv"
	lp=$(col lp_bound "$dir/off$T.csv")
	frac=$(col fractional_gain "$dir/inf$T.csv" 1)
	gain=$(col gain "$dir/inf$T.csv" 1)
	r=$(awk -v a="$lp" -v b="$frac" -v t="$T" 'BEGIN { print (a - b) / t }')
	eval "r$T=$r"
	if [ -n "$prev" ]; then
		check "average regret shrinks: T=$T $r < $prev" above "$prev" "$r"
	fi
	prev=$r
	last_gain=$gain last_frac=$frac
done
check "average regret at T=1600 ($r1600) under half of T=100 ($r100)" \
	above "$(awk -v b="$r100" 'BEGIN { print b / 2 }')" "$r1600"
check "integral gain $last_gain >= (1 - 1/e) x fractional $last_frac" \
	above "$last_gain" "$(awk -v f="$last_frac" 'BEGIN { print (1 - exp(-1)) * f }')"
check "the LP bound is not beaten beyond rounding (avg regret $r1600)" \
	above "$r1600" -1e-6
tap_end
