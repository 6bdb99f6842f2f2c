# fig5_refresh.gp - figure 5: INFIDA's update cost (MB of model downloads
# per slot) and NTAG against the refresh period (slots between two
# roundings), DepRound (fresh draws) against coupled rounding.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: gnuplot -e "srcdir='plots'; dir='results'; slots=720;
#                    sets='tree.tstat ...'; out='plots/fig5_refresh'" fig5_refresh.gp
# Data: dir/summaries/fig5.csv (idn-summary; options 'refresh=R' or
# 'refresh=R;rounding=coupled' in column 3, ntag 7/8, update_mb 15/16).
# slots: slots per run, to turn the total update_mb into MB per slot.
load sprintf("%s/common.gp", srcdir)
W = 1280; H = 520
file = dir.'/summaries/fig5.csv'
refresh(o) = (i = strstrt(o, ';'), real(i ? o[9:i - 1] : o[9:]))
coupled(o) = strstrt(o, 'coupled') > 0
pick(s, c) = strcol(1) eq s && coupled(strcol(3)) == c ? refresh(strcol(3)) : NaN
set logscale x
set xtics (1, 2, 5, 10, 20)
set xrange [0.8:25]
set xlabel "refresh period (slots)"
set key top right opaque box font ",9"
kind(c) = c ? 'coupled' : 'DepRound'
# line type of set k (colour) and rounding c (solid DepRound, dashed coupled)
lt(k, c) = 20 + 2 * (k - 1) + c
set linetype 20 lc rgb "#1b9e77" lw 2 pt 7 dt 1
set linetype 21 lc rgb "#1b9e77" lw 2 pt 5 dt 2
set linetype 22 lc rgb "#d95f02" lw 2 pt 7 dt 1
set linetype 23 lc rgb "#d95f02" lw 2 pt 5 dt 2
set linetype 24 lc rgb "#7570b3" lw 2 pt 7 dt 1
set linetype 25 lc rgb "#7570b3" lw 2 pt 5 dt 2
PLOT = "set multiplot layout 1,2 title 'INFIDA: rounding cost against refresh period (mean and 95% CI over seeds)'; \
set title 'model downloads'; set ylabel 'MB per slot'; set logscale y; set yrange [*:*]; \
plot for [k = 1:words(sets)] for [c = 0:1] file every ::1 using (pick(word(sets, k), c)):($15 / slots):($16 / slots) with yerrorlines lt lt(k, c) title setname(word(sets, k)).', '.kind(c); \
set title 'NTAG'; set ylabel 'NTAG'; unset logscale y; set yrange [0.4:1]; set key bottom right; \
plot for [k = 1:words(sets)] for [c = 0:1] file every ::1 using (pick(word(sets, k), c)):7:8 with yerrorlines lt lt(k, c) title setname(word(sets, k)).', '.kind(c); \
unset multiplot"
@render
