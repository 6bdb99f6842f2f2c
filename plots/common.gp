# common.gp - shared style of every idnbench figure.
# SPDX-License-Identifier: GPL-3.0-or-later
# Callers set `out` (file name without extension) and call `render`.
set datafile separator ","
set encoding utf8
set grid lc rgb "#dddddd"
set border lw 1.2
set key top left box opaque samplen 2
set style line 1 lc rgb "#1b9e77" lw 2 pt 7 ps 0.6   # infida
set style line 2 lc rgb "#d95f02" lw 2 pt 5 ps 0.6   # greedy
set style line 3 lc rgb "#7570b3" lw 2 pt 9 ps 0.6   # lru
set style line 4 lc rgb "#e7298a" lw 2 pt 11 ps 0.6  # lfu
set style line 5 lc rgb "#666666" lw 2 pt 13 ps 0.6  # static
set style line 6 lc rgb "#000000" lw 2 dt 2          # offline / bound
set style line 7 lc rgb "#66a61e" lw 2 dt 4          # infida, coupled rounding
# Line style of a policy, so each keeps its colour in every figure.
style(p) = p eq "infida" ? 1 : p eq "greedy" ? 2 : p eq "lru" ? 3 : \
           p eq "lfu" ? 4 : p eq "static" ? 5 : p eq "offline" ? 6 : 7
# A set of runs (SCEN.TRACE, the directory names under results/runs) as
# a panel title.
setname(s) = s eq "tree.tstat" ? "tree-small, stationary" : \
  s eq "tree.tslide" ? "tree-small, sliding" : \
  s eq "geant.gstat" ? "GEANT, stationary" : \
  s eq "geant.gslide" ? "GEANT, sliding" : \
  s eq "tree.alibaba" ? "Alibaba GenAI (tree-small)" : \
  s eq "tree.azconv" ? "Azure LLM conversation (tree-small)" : \
  s eq "tree.azcode" ? "Azure LLM code (tree-small)" : s
# Position of word w in the list l (0 if absent), for bars per policy.
windex(l, w) = sum [i = 1:words(l)] (word(l, i) eq w ? i : 0)
# Translucent fill of the 95% confidence bands.
band = "fs transparent solid 0.18 noborder"
# Draw the current plot command (in the macro `PLOT`) as PNG and PDF, W x H
# pixels (default 960 x 600; the PDF at 160 pixels per inch).
if (!exists("W")) W = 960
if (!exists("H")) H = 600
render = "set terminal pngcairo size W,H font 'DejaVu Sans,11'; \
set output out.'.png'; @PLOT; \
set terminal pdfcairo size W/160.0,H/160.0 font 'DejaVu Sans,10'; \
set output out.'.pdf'; @PLOT; set output"
