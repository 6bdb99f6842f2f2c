# regret.awk - INFIDA's regret against the offline optimum as T grows.
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: awk -F, -v modes="rstat rslide" -v Ts="900 1800 ..." -v slot=10
#            -f stats.awk -f regret.awk FILE...
# FILEs: RESULTS/runs/tree.MODE-T/infida_a1_sSEED.summary (gain, slots)
# and RESULTS/runs/tree.MODE-T/offline_a1_sSEED.csv (lp_bound and
# static_gain on every row).  Per (MODE, T, seed): with G the gain of
# INFIDA, LP the bound, OPT the static gain of the offline plan,
# psi = 1 - 1/e and K the number of slots,
#   (LP - G) / K, (OPT - G) / K, (psi LP - G) / K, G / LP, G / OPT.
# Output: one block per mode (gnuplot `index`), one row per T: T in
# slots, then mean and half-width of each quantity (in thousands of
# ms x requests per slot for the regrets).
FNR == 1 {
	header()
	n = split(FILENAME, part, "/"); split(part[n], w, "_")
	split(part[n - 1], sm, "."); split(sm[2], mt, "-")
	sub(/\..*/, "", w[3])   # the seed, without .summary or .csv
	key = mt[1] SUBSEP mt[2] SUBSEP w[3]
	kind = w[1]
	next
}
kind == "infida" { G[key] = $COL["gain"]; K[key] = $COL["slots"] }
kind == "offline" && FNR == 2 { LP[key] = $COL["lp_bound"]; OPT[key] = $COL["static_gain"] }
END {
	psi = 1 - exp(-1)
	for (key in G) {
		if (!(key in LP))
			continue
		split(key, k, SUBSEP); c = k[1] SUBSEP k[2]
		add(c SUBSEP 1, (LP[key] - G[key]) / K[key] / 1000)
		add(c SUBSEP 2, (OPT[key] - G[key]) / K[key] / 1000)
		add(c SUBSEP 3, (psi * LP[key] - G[key]) / K[key] / 1000)
		add(c SUBSEP 4, G[key] / LP[key])
		add(c SUBSEP 5, G[key] / OPT[key])
	}
	nm = split(modes, MO, " "); nT = split(Ts, TT, " ")
	for (m = 1; m <= nm; m++) {
		printf "# %s\nslots,lp,lp_ci,opt,opt_ci,psi,psi_ci,g_lp,g_lp_ci,g_opt,g_opt_ci\n", MO[m]
		for (i = 1; i <= nT; i++) {
			c = MO[m] SUBSEP TT[i]
			printf "%g", TT[i] / slot
			for (q = 1; q <= 5; q++)
				printf ",%.6g,%.6g", mean(c SUBSEP q), ci(c SUBSEP q)
			printf "\n"
		}
		printf "\n\n"
	}
}
