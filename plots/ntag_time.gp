# ntag_time.gp - cumulative NTAG over time, one line per policy.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: gnuplot -e "dir='results/default'; policies='static lru ...';
#                    slot=10; out='plots/ntag_time'" ntag_time.gp
# NTAG up to slot t = sum of gain / sum of max_gain over slots 0..t.
load sprintf("%s/common.gp", srcdir)
set title "Default experiment: cumulative NTAG (tree-small, stationary Zipf)"
set xlabel "time (minutes)"
set ylabel "NTAG (gain / max gain)"
set yrange [0:1]
set key bottom right
f(p) = sprintf("%s/%s.csv", dir, p)
# column 1 slot, 3 gain, 4 max_gain; the sums restart on each file's
# first row (slot 0)
cum(s, g, m) = (s == 0 ? (G = 0, M = 0) : 0, G = G + g, M = M + m, \
                M > 0 ? G / M : NaN)
PLOT = "plot for [p in policies] f(p) every ::1 using ($1*slot/60.0):(cum($1,$3,$4)) with lines ls style(p) title p"
@render
