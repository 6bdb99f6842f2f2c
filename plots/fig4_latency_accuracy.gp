# fig4_latency_accuracy.gp - figure 4: mean latency and accuracy of the
# served requests per policy (mean over seeds, 95% CI), and which tier
# served them, on tree-small and GEANT with stationary demand.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: gnuplot -e "srcdir='plots'; dir='results'; sets='tree.tstat geant.gstat';
#                    policies='infida ...'; tiers='access edge regional cloud';
#                    out='plots/fig4_latency_accuracy'" fig4_latency_accuracy.gp
# Data: dir/summaries/fig4.csv (idn-summary: trace 1, policy 2,
# latency_ms_mean/ci95 11/12, accuracy_mean/ci95 13/14) and
# dir/fig4/tiers.csv (tiers.awk: one block per set, rows policy,shares).
load sprintf("%s/common.gp", srcdir)
W = 1400; H = 820
sum = dir.'/summaries/fig4.csv'
np = words(policies)
set xtics rotate by 30 right
set boxwidth 0.7
bar(s, c) = strcol(1) eq s ? windex(policies, strcol(2)) : NaN
set linetype 11 lc rgb "#1b9e77"
set linetype 12 lc rgb "#66a61e"
set linetype 13 lc rgb "#7570b3"
set linetype 14 lc rgb "#999999"
PLOT = "set multiplot layout words(sets),3 title 'Served requests per policy (mean and 95% CI over seeds)'; \
do for [k = 1:words(sets)] { s = word(sets, k); \
set xrange [0.4:np + 0.6]; set xtics (); \
do for [i = 1:np] { set xtics add (word(policies, i) i) }; \
unset key; set style fill solid 0.8 border -1; set style data boxerrorbars; \
set title setname(s).': mean latency'; set ylabel 'ms'; set yrange [0:*]; \
plot sum every ::1 using (bar(s, 2)):11:12 lc rgb '#7570b3'; \
set title setname(s).': mean accuracy'; set ylabel 'top-1 accuracy'; set yrange [0.6:0.9]; \
plot sum every ::1 using (bar(s, 2)):13:14 lc rgb '#d95f02'; \
set title setname(s).': serving tier'; set ylabel 'share of requests'; set yrange [0:1]; \
set key outside right top vertical font ',9'; set xtics (); set xrange [-0.6:np - 0.4]; \
set style data histograms; set style histogram rowstacked; \
plot for [t = 1:words(tiers)] dir.'/fig4/tiers.csv' index k - 1 every ::1 using (column(t + 1)):xtic(1) lt 10 + t title word(tiers, t); \
set style data lines }; \
unset multiplot"
@render
