# tiers.awk - which tier served the requests, per policy, mean over seeds.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: awk -F, -v sets="tree.tstat ..." -v policies="infida ..."
#            -v tiers="access edge regional cloud" -f stats.awk -f tiers.awk
#            FILE...
# FILE is RESULTS/runs/SET/POLICY_aALPHA_sSEED.csv (per-slot output).  A
# seed's share of tier X is sum(served_X) / sum(requests).  Output: one
# block per set (gnuplot `index`), one row per policy: the policy, then the
# mean share of each tier.
FNR == 1 {
	if (FNR < NR)
		flush()
	header()
	n = split(FILENAME, part, "/"); split(part[n], w, "_")
	key = part[n - 1] SUBSEP w[1]
	delete served; req = 0
	next
}
{
	req += $COL["requests"]
	for (t = 1; t <= nt0(); t++)
		served[t] += $COL["served_" TI[t]]
}
function nt0() {
	if (!ntiers)
		ntiers = split(tiers, TI, " ")
	return ntiers
}
function flush(    t) {
	for (t = 1; t <= nt0(); t++)
		add(key SUBSEP t, req > 0 ? served[t] / req : 0)
}
END {
	flush()
	ns = split(sets, S, " "); np = split(policies, P, " ")
	for (s = 1; s <= ns; s++) {
		printf "# %s\npolicy", S[s]
		for (t = 1; t <= nt0(); t++)
			printf ",%s", TI[t]
		printf "\n"
		for (p = 1; p <= np; p++) {
			printf "%s", P[p]
			for (t = 1; t <= nt0(); t++)
				printf ",%.6g", mean(S[s] SUBSEP P[p] SUBSEP t)
			printf "\n"
		}
		printf "\n\n"
	}
}
