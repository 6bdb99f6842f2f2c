# fig2_alpha_budget.gp - figure 2: NTAG against alpha (the latency-accuracy
# trade-off), and total gain against a common scale of every node's memory
# budget, on tree-small with stationary demand; mean over seeds with 95%
# intervals.  The budget panel shows the gain, not NTAG: max_gain, NTAG's
# denominator, only counts models that fit a node's budget, so NTAG at
# two budget scales has two different yardsticks.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: gnuplot -e "srcdir='plots'; dir='results'; policies='infida ...';
#                    out='plots/fig2_alpha_budget'" fig2_alpha_budget.gp
# Data: dir/summaries/fig2alpha.csv (idn-summary: alpha in column 4, ntag_mean and
# ntag_ci95 in 7 and 8) and dir/fig2/budget.csv (the same with the budget
# scale prepended: every column one further; gain_mean, gain_ci95 in 10, 11).  The rows of a policy are
# consecutive, so filtering the others out leaves one unbroken line.
load sprintf("%s/common.gp", srcdir)
W = 1280; H = 520
set logscale x
set key bottom right opaque box font ",9"
is(p, c) = strcol(c) eq p
PLOT = "set multiplot layout 1,2 title 'tree-small, stationary demand (mean and 95% CI over seeds)'; \
set title 'latency-accuracy trade-off'; set ylabel 'NTAG'; set yrange [0:1.05]; \
set xlabel 'alpha (ms per accuracy point)'; set xtics (0.1, 0.3, 1, 3, 10); \
plot for [p in policies] dir.'/summaries/fig2alpha.csv' every ::1 using (is(p, 2) ? $4 : NaN):7:8 with yerrorlines ls style(p) title p; \
set title 'memory budgets (16, 30, 250 MB at scale 1)'; \
set ylabel 'total gain (10^6 ms x requests)'; set yrange [0:*]; \
set xlabel 'budget scale'; set xtics (0.25, 0.5, 1, 2, 4); set xrange [0.2:5]; set offsets 0, 0, graph 0.1, 0; \
plot for [p in policies] dir.'/fig2/budget.csv' every ::1 using (is(p, 3) ? $1 : NaN):($10 / 1e6):($11 / 1e6) with yerrorlines ls style(p) title p; \
unset multiplot"
@render
