# summary.gp - per-policy NTAG, latency and downloads of one experiment.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: gnuplot -e "file='results/default/summary.csv'; out='...'" summary.gp
# file has the columns of `idn-replay --summary` (header once).
load sprintf("%s/common.gp", srcdir)
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.8
unset key
set xtics rotate by 45 right nomirror
# a run's label: the policy, with its options when it has any
label(dummy) = strcol(2) eq "" ? strcol(1) : strcol(1)." ".strcol(2)
PLOT = "set multiplot layout 1,3 title 'Default experiment: totals per policy'; \
set title 'NTAG'; set yrange [0:1]; \
plot file every ::1 using 10:xtic(label(0)) lc rgb '#1b9e77'; \
set title 'mean latency (ms)'; set yrange [0:*]; \
plot file every ::1 using 11:xtic(label(0)) lc rgb '#7570b3'; \
set title 'downloads (MB)'; \
plot file every ::1 using 13:xtic(label(0)) lc rgb '#d95f02'; \
unset multiplot"
@render
