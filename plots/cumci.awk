# cumci.awk - per-slot cumulative NTAG across seeds, with its 95% interval.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: awk -F, -v num=gain -f stats.awk -f cumci.awk RUN_s1.csv RUN_s2.csv ...
# Each file is the per-slot output of one seed (idn-replay -o).  For slot
# t, a seed's value is sum(num, slots 0..t) / sum(max_gain, slots 0..t);
# the output has one row per slot: slot, mean, lower and upper end of the
# interval, then the mean ratio of the offline policy's lp_bound and
# static_gain columns to the seed's total max_gain (nan when the files
# have no such columns).
FNR == 1 { header(); g = m = 0; file++; next }
{
	g += $COL[num]; m += $COL["max_gain"]
	slot = $COL["slot"]
	if (m > 0)
		add(slot, g / m)
	if (slot > last)
		last = slot
	M[file] = m
	if ("lp_bound" in COL) {
		LP[file] = $COL["lp_bound"]; SG[file] = $COL["static_gain"]
	}
}
END {
	for (f = 1; f <= file; f++)
		if (f in LP && M[f] > 0) {
			add("lp", LP[f] / M[f]); add("sg", SG[f] / M[f])
		}
	print "slot,mean,lo,hi,lp,sg"
	for (t = 0; t <= last; t++)
		if (has(t))
			printf "%d,%.6g,%.6g,%.6g,%s,%s\n", t, mean(t),
				mean(t) - ci(t), mean(t) + ci(t), mean("lp"), mean("sg")
}
