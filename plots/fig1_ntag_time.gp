# fig1_ntag_time.gp - figure 1: cumulative NTAG over time per policy, mean
# over seeds with its 95% band, stationary and sliding popularity, on
# tree-small and GEANT; the offline policy's LP bound as a dashed line.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: gnuplot -e "srcdir='plots'; dir='results'; slot=10;
#                    policies='infida ...'; out='plots/fig1_ntag_time'" fig1_ntag_time.gp
# Data: dir/curves/SET/POLICY_a1.ntag.csv (cumci.awk: slot,mean,lo,hi,lp,sg).
load sprintf("%s/common.gp", srcdir)
W = 1280; H = 900
sets = "tree.tstat tree.tslide geant.gstat geant.gslide"
f(s, p) = sprintf("%s/curves/%s/%s_a1.ntag.csv", dir, s, p)
hours(t) = t * slot / 3600.0
set xlabel "time (hours)"
set ylabel "cumulative NTAG"
set yrange [-0.02:1.05]   # static is 0: keep it visible
set key bottom right opaque box samplen 2 font ",9"
PLOT = "set multiplot layout 2,2 title 'Cumulative NTAG over time (mean of the seeds, 95% band)'; \
do for [s in sets] { set title setname(s); \
plot for [p in policies] f(s, p) every ::1 using (hours($1)):3:4 with filledcurves ls style(p) @band notitle, \
for [p in policies] f(s, p) every ::1 using (hours($1)):2 with lines ls style(p) title (p eq 'offline' ? 'offline (static opt.)' : p), \
f(s, 'offline') every ::1 using (hours($1)):5 with lines lc rgb '#000000' lw 1.5 dt 3 title 'LP bound' }; \
unset multiplot"
@render
