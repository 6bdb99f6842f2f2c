# fig7_regret.gp - figure 7: INFIDA's regret per slot against the offline
# optimum as the trace grows (tree-small, rate 2/s per access node), and
# its gain as a fraction of the optimum against the (1 - 1/e) guarantee.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: gnuplot -e "srcdir='plots'; dir='results'; out='plots/fig7_regret'" fig7_regret.gp
# Data: dir/fig7/regret.csv (regret.awk): block 0 stationary, 1 sliding;
# columns slots, (LP-G)/K, (OPT-G)/K, (psi LP-G)/K, G/LP, G/OPT, each
# with its 95% half-width.
load sprintf("%s/common.gp", srcdir)
W = 1280; H = 560
file = dir.'/fig7/regret.csv'
set logscale x
set xrange [50:*]
set autoscale xfixmax
set offsets 0, graph 0.08, 0, 0
set xlabel "T (slots of 10 s)"
set key opaque box font ",9"
mode(i) = i == 0 ? 'stationary' : 'sliding'
set linetype 20 lc rgb "#1b9e77" lw 2 pt 7
set linetype 21 lc rgb "#d95f02" lw 2 pt 5
PLOT = "set multiplot layout 1,2 title 'INFIDA against the offline optimum as T grows (tree-small; mean and 95% CI over seeds)'; \
set title 'regret per slot'; set ylabel '10^3 ms x requests per slot'; set key at graph 0.98, graph 0.58 right top vertical maxrows 6 font ',8'; \
plot for [i = 0:1] file index i every ::1 using 1:2:3 with yerrorlines lt 20 + i title mode(i).': (LP bound - G)/T', \
for [i = 0:1] file index i every ::1 using 1:4:5 with yerrorlines lt 20 + i dt 2 title mode(i).': (static opt. - G)/T', \
for [i = 0:1] file index i every ::1 using 1:6:7 with yerrorlines lt 20 + i dt 3 title mode(i).': ((1-1/e) LP - G)/T', \
0 with lines lc rgb '#000000' lw 1 notitle; \
set title 'gain as a fraction of the optimum'; set ylabel 'G / LP bound'; set yrange [0.5:1]; set key inside bottom right vertical maxrows 3 width 0; \
plot for [i = 0:1] file index i every ::1 using 1:8:9 with yerrorlines lt 20 + i title mode(i), \
1 - exp(-1) with lines lc rgb '#000000' lw 1.5 dt 2 title '1 - 1/e (guarantee)'; \
unset multiplot"
@render
