# fig6_eta.gp - figure 6b: INFIDA's NTAG against a fixed step size eta,
# with the adaptive default and the fixed rule eta=auto as horizontal
# lines (mean over seeds, 95% CI as error bars and bands).
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: gnuplot -e "srcdir='plots'; dir='results'; sets='tree.tstat ...';
#                    out='plots/fig6_eta'" fig6_eta.gp
# Data: dir/summaries/fig6eta.csv (idn-summary; options in column 3: empty for the
# adaptive default, 'eta=auto;horizon=T', 'eta=E'; ntag 7/8).
load sprintf("%s/common.gp", srcdir)
W = 1400; H = 480
file = dir.'/summaries/fig6eta.csv'
fixed(s) = strcol(1) eq s && strstrt(strcol(3), 'eta=') == 1 && strstrt(strcol(3), 'auto') == 0 ? real(strcol(3)[5:]) : NaN
set logscale x
set xrange [0.0005:20]
set xlabel "fixed step size eta"
set ylabel "NTAG"
set key bottom left opaque box font ",9"
# the row of the adaptive default (no options) or of eta=auto in set s
row(s, o) = strcol(1) eq s && (o eq 'auto' ? strstrt(strcol(3), 'eta=auto') == 1 : strcol(3) eq '')
PLOT = "set multiplot layout 1,words(sets) title 'INFIDA: sensitivity to the step size (mean and 95% CI over seeds)'; \
do for [s in sets] { set title setname(s); \
stats file every ::1 using (row(s, 'adaptive') ? $7 : NaN) nooutput; am = STATS_min; \
stats file every ::1 using (row(s, 'adaptive') ? $8 : NaN) nooutput; ac = STATS_min; \
stats file every ::1 using (row(s, 'auto') ? $7 : NaN) nooutput; um = STATS_min; \
stats file every ::1 using (row(s, 'auto') ? $8 : NaN) nooutput; uc = STATS_min; \
set yrange [0:1]; \
plot file every ::1 using (fixed(s)):7:8 with yerrorlines ls 1 title 'fixed eta', \
am with lines lc rgb '#d95f02' lw 2 title 'adaptive (default)', \
'+' using 1:(am - ac):(am + ac) with filledcurves lc rgb '#d95f02' @band notitle, \
um with lines lc rgb '#7570b3' lw 2 dt 2 title 'eta=auto', \
'+' using 1:(um - uc):(um + uc) with filledcurves lc rgb '#7570b3' @band notitle }; \
unset multiplot"
@render
