#!/bin/sh
# build.sh - recompute profiles.csv from profiles-source.csv.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Maintainer script, not run by the build or the tests: profiles.csv is
# committed.  Run it from anywhere after editing profiles-source.csv:
#   sh traces/catalog/build.sh
#
# Rules (see traces/SOURCES.md for why):
#   measured: latency_ms as transcribed; capacity_rps = 1000 * batch / latency_ms
#             (a device answers `batch` requests per inference step).
#   derived:  latency(m, hw) = latency(m, ref_hw) * latency(ref, hw) / latency(ref, ref_hw)
#             where all three are measured rows (no chains), rounded to 0.001 ms;
#             batch = the batch of the (ref, hw) measurement.
# Capacities are rounded to 0.01 requests/s so that every number in the
# catalog is a short decimal that reads back exactly as written.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src="$here/profiles-source.csv"
out="$here/profiles.csv"
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT

awk -F, '
function trim(s) {   # shortest fixed-point text: strip trailing zeros
	if (index(s, ".")) { sub(/0+$/, "", s); sub(/\.$/, "", s) }
	return s
}
function die(msg) { printf "build.sh: %s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"; bad = 1; exit 1 }
NR == 1 {
	for (i = 1; i <= NF; i++) col[$i] = i
	next
}
{
	m = $col["model"]; hw = $col["hardware"]; kind = $col["kind"]
	n++; mod[n] = m; hwo[n] = hw; kd[n] = kind
	if (kind == "measured") {
		lat = $col["latency_ms"]; b = $col["batch"]
		if (lat + 0 <= 0 || b + 0 < 1) die("bad measured row")
		mlat[m, hw] = lat; mbatch[m, hw] = b; txt[n] = lat
	} else if (kind == "derived") {
		rm[n] = $col["ref_model"]; rh[n] = $col["ref_hardware"]
	} else die("kind must be measured or derived")
}
END {
	if (bad) exit 1
	print "model,hardware,latency_ms,capacity_rps,kind"
	for (i = 1; i <= n; i++) {
		m = mod[i]; hw = hwo[i]
		if (kd[i] == "measured") {
			lat = txt[i]; b = mbatch[m, hw]
		} else {
			r = rm[i]; h = rh[i]
			if (!((m, h) in mlat) || !((r, hw) in mlat) || !((r, h) in mlat)) {
				printf "build.sh: row %d (%s,%s): reference not measured\n", i + 1, m, hw > "/dev/stderr"
				exit 1
			}
			lat = trim(sprintf("%.3f", mlat[m, h] * mlat[r, hw] / mlat[r, h]))
			b = mbatch[r, hw]
		}
		cap = trim(sprintf("%.2f", 1000 * b / lat))
		printf "%s,%s,%s,%s,%s\n", m, hw, lat, cap, kd[i]
	}
}' "$src" > "$tmp"
mv "$tmp" "$out"
trap - EXIT
