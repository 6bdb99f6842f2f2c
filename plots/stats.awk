# stats.awk - mean and 95% confidence half-width across seeds, shared by
# the awk scripts of `make plots` (load it first: awk -f stats.awk -f X.awk).
# SPDX-License-Identifier: GPL-3.0-or-later
# The half-width is t(0.975, n-1) * s / sqrt(n), as idn-summary computes
# it (doc/sweep.md); beyond 30 degrees of freedom the normal quantile is
# close enough for a figure.

# Student's t quantile t(0.975, df).
function tq(df,    t) {
	split("12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262 2.228 " \
	      "2.201 2.179 2.160 2.145 2.131 2.120 2.110 2.101 2.093 2.086 " \
	      "2.080 2.074 2.069 2.064 2.060 2.056 2.052 2.048 2.045 2.042", t, " ")
	return df <= 30 ? t[df] + 0 : 1.96
}

# Accumulate x into the sample named k (count, sum, sum of squares; the
# arrays have long names so that the scripts' own names cannot clash).
function add(k, x) {
	STAT_N[k]++; STAT_S[k] += x; STAT_Q[k] += x * x
}
function has(k) {
	return k in STAT_N
}
function mean(k) {
	return has(k) ? STAT_S[k] / STAT_N[k] : "nan"
}
# Half-width of the 95% interval of sample k; 0 for a single value.
function ci(k,    n, v) {
	n = STAT_N[k]
	if (n < 2)
		return 0
	v = (STAT_Q[k] - STAT_S[k] * STAT_S[k] / n) / (n - 1)
	return tq(n - 1) * sqrt(v > 0 ? v : 0) / sqrt(n)
}

# Column numbers by header name, from the current file's first line.
function header(    i) {
	delete COL
	for (i = 1; i <= NF; i++)
		COL[$i] = i
}
