# fig8_real.gp - figure 8: cumulative NTAG over time per policy on real
# request traces imported onto tree-small (idn-import), mean over seeds
# with its 95% band, and the offline LP bound.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: gnuplot -e "srcdir='plots'; dir='results'; slot=10;
#                    policies='infida ...'; out='plots/fig8_real'" fig8_real.gp
# Data: dir/curves/SET/POLICY_a1.ntag.csv (cumci.awk).
load sprintf("%s/common.gp", srcdir)
W = 1500; H = 520
sets = "tree.alibaba tree.azconv tree.azcode"
f(s, p) = sprintf("%s/curves/%s/%s_a1.ntag.csv", dir, s, p)
set xlabel "slot (10 s)"
set ylabel "cumulative NTAG"
set yrange [-0.02:1.05]
set key bottom right opaque box samplen 2 font ",9"
PLOT = "set multiplot layout 1,3 title 'Real traces on tree-small: cumulative NTAG (mean of the seeds, 95% band)'; \
do for [s in sets] { set title setname(s); \
plot for [p in policies] f(s, p) every ::1 using 1:3:4 with filledcurves ls style(p) @band notitle, \
for [p in policies] f(s, p) every ::1 using 1:2 with lines ls style(p) title (p eq 'offline' ? 'offline (static opt.)' : p), \
f(s, 'offline') every ::1 using 1:5 with lines lc rgb '#000000' lw 1.5 dt 3 title 'LP bound' }; \
unset multiplot"
@render
