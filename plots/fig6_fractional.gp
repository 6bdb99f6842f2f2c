# fig6_fractional.gp - figure 6a: INFIDA's fractional state (the gain of y)
# against its rounded allocation (the gain actually served) over time,
# with the offline static optimum and the LP bound, mean over seeds.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: gnuplot -e "srcdir='plots'; dir='results'; slot=10;
#                    out='plots/fig6_fractional'" fig6_fractional.gp
# Data: dir/curves/SET/infida_a1.frac.csv and .ntag.csv, offline_a1.ntag.csv.
load sprintf("%s/common.gp", srcdir)
W = 1280; H = 900
sets = "tree.tstat tree.tslide geant.gstat geant.gslide"
f(s, p, k) = sprintf("%s/curves/%s/%s_a1.%s.csv", dir, s, p, k)
hours(t) = t * slot / 3600.0
set xlabel "time (hours)"
set ylabel "cumulative NTAG"
set yrange [0.3:1.05]
set key bottom right opaque box font ",9"
PLOT = "set multiplot layout 2,2 title 'INFIDA: fractional state against integral allocation (mean of the seeds, 95% band)'; \
do for [s in sets] { set title setname(s); \
plot f(s, 'infida', 'frac') every ::1 using (hours($1)):3:4 with filledcurves lc rgb '#1b9e77' @band notitle, \
f(s, 'infida', 'ntag') every ::1 using (hours($1)):3:4 with filledcurves lc rgb '#1b9e77' @band notitle, \
f(s, 'infida', 'frac') every ::1 using (hours($1)):2 with lines lc rgb '#1b9e77' lw 2 dt 2 title 'INFIDA fractional (y)', \
f(s, 'infida', 'ntag') every ::1 using (hours($1)):2 with lines lc rgb '#1b9e77' lw 2 title 'INFIDA integral (x)', \
f(s, 'offline', 'ntag') every ::1 using (hours($1)):2 with lines ls 6 title 'offline (static opt.)', \
f(s, 'offline', 'ntag') every ::1 using (hours($1)):5 with lines lc rgb '#000000' lw 1.5 dt 3 title 'LP bound' }; \
unset multiplot"
@render
