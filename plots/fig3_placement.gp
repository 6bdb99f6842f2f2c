# fig3_placement.gp - figure 3: where the models go.  For INFIDA and the
# offline plan, per tier, the share of the held model copies (weighted by
# the fraction of slots each was held) in each size class, as alpha grows.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: gnuplot -e "srcdir='plots'; dir='results'; policies='infida offline';
#                    tiers='access edge regional'; out='plots/fig3_placement'" fig3_placement.gp
# Data: dir/fig3/placement.csv (placement.awk): block policy * tiers + tier,
# rows alpha,c1..c4.
load sprintf("%s/common.gp", srcdir)
W = 1280; H = 800
file = dir.'/fig3/placement.csv'
nt = words(tiers)
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.7
set yrange [0:1]
set xlabel "alpha (ms per accuracy point)"
set ylabel "share of held copies"
set key outside right top vertical font ",9" title "model size"
set linetype 11 lc rgb "#c6dbef"
set linetype 12 lc rgb "#6baed6"
set linetype 13 lc rgb "#2171b5"
set linetype 14 lc rgb "#08306b"
PLOT = "set multiplot layout words(policies),nt title 'Model sizes per tier as alpha grows (tree-small, stationary; pooled over seeds)'; \
do for [p = 1:words(policies)] { do for [t = 1:nt] { \
set title word(policies, p).', '.word(tiers, t).' nodes'; \
b = (p - 1) * nt + t - 1; \
if (t == nt) { set key } else { unset key }; \
plot file index b every ::1 using 2:xtic(1) lt 11 title '< 5 MB', \
'' index b every ::1 using 3 lt 12 title '5-30 MB', \
'' index b every ::1 using 4 lt 13 title '30-100 MB', \
'' index b every ::1 using 5 lt 14 title '> 100 MB' } }; \
unset multiplot"
@render
