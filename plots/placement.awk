# placement.awk - where the models go: share of each model size class per
# tier, from idn-replay --placement files.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: awk -F, -v policies="infida offline" -v tiers="access edge regional"
#            -v alphas="0.1 1 10" -f stats.awk -f placement.awk FILE...
# FILE is RESULTS/runs/SET/POLICY_aALPHA_sSEED.placement.  Each (node,
# model) row counts with its share (the fraction of slots it was held),
# pooled over the seeds.  Output: one block per policy and tier (in the
# order given; gnuplot `index` policy_number * tiers + tier_number), rows
# alpha then the fraction of the held copies in each size class.
BEGIN {
	nc = split("5 30 100", edge, " ")   # class c: size < edge[c] MB
	print "# size classes: <5 MB, 5-30 MB, 30-100 MB, >100 MB"
}
FNR == 1 {
	header()
	n = split(FILENAME, part, "/"); split(part[n], w, "_")
	policy = w[1]; alpha = substr(w[2], 2)
	next
}
{
	size = $COL["size_mb"]
	for (c = 1; c <= nc && size >= edge[c]; c++)
		;
	k = policy SUBSEP $COL["tier"] SUBSEP alpha
	H[k, c] += $COL["share"]; T[k] += $COL["share"]
}
END {
	np = split(policies, P, " "); nt = split(tiers, TI, " ")
	na = split(alphas, A, " ")
	for (p = 1; p <= np; p++)
		for (t = 1; t <= nt; t++) {
			printf "# %s %s\nalpha,c1,c2,c3,c4\n", P[p], TI[t]
			for (a = 1; a <= na; a++) {
				k = P[p] SUBSEP TI[t] SUBSEP A[a]
				printf "%s", A[a]
				for (c = 1; c <= nc + 1; c++)
					printf ",%.6g", (T[k] > 0 ? H[k, c] / T[k] : 0)
				printf "\n"
			}
			printf "\n\n"
		}
}
