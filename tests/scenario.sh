#!/bin/sh
# scenario.sh - TAP tests of idn-scenario tree and the shipped scenario.
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/taplib.sh"
tap_init scenario
prog="$tools/idn-scenario"
catalog="$top_srcdir/traces/catalog"
shipped="$top_srcdir/traces/tree-small"

# Usage errors: exit 2, exactly one line on stderr naming the program, and
# no output directory.
usage_error() {
	rm -rf "$tmp/u"
	run "$@"
	failed 2 "" && no_output "$tmp/u"
}

if [ ! -x "$prog" ]; then
	echo "1..0 # SKIP $prog not built"
	exit 0
fi

# --- version and help -------------------------------------------------------
check "--version names the package" \
	sh -c '"$1" --version | grep -q "^idn-scenario (idnbench) [0-9]"' _ "$prog"
check "--help lists every option with its default" \
	sh -c '"$1" --help > "$2/help" &&
	       for o in -o --output --fanout --delays --budgets --hardware \
	                --catalog --tasks --help --version 2,2,2 1,5,20; do
	           grep -q -e "$o" "$2/help" || exit 1; done' _ "$prog" "$tmp"

# --- the default tree -------------------------------------------------------
d="$tmp/default"
check "default tree is written" "$prog" tree --catalog "$catalog" -o "$d"
check "15 nodes" [ "$(rows "$d/nodes.csv")" -eq 15 ]
check "14 links" [ "$(rows "$d/links.csv")" -eq 14 ]
check "tiers cloud/regional/edge/access have 1/2/4/8 nodes" \
	[ "$(awk -F, 'NR > 1 { c[$2]++ } END {
		print c["cloud"] "/" c["regional"] "/" c["edge"] "/" c["access"] }' \
		"$d/nodes.csv")" = "1/2/4/8" ]
check "every file starts with its header" sh -c '
	head -1 "$1/nodes.csv" | grep -qx "node,tier,hardware,budget_mb" &&
	head -1 "$1/links.csv" | grep -qx "a,b,delay_ms" &&
	head -1 "$1/models.csv" | grep -qx "model,task,size_mb,accuracy" &&
	head -1 "$1/profiles.csv" |
	    grep -qx "model,hardware,latency_ms,capacity_rps" &&
	head -1 "$1/pinned.csv" | grep -qx "node,model"' _ "$d"
check "the cloud has budget 0 and pins one model of every task" \
	awk -F, '
	FILENAME ~ /nodes/ && FNR > 1 { tier[$1] = $2; budget[$1] = $4 }
	FILENAME ~ /models/ && FNR > 1 { task[$1] = $2; tasks[$2] = 1 }
	FILENAME ~ /pinned/ && FNR > 1 {
		if (tier[$1] != "cloud" || budget[$1] != 0) bad = 1
		if (done[task[$2]]++) bad = 1 }
	END { for (t in tasks) if (!done[t]) bad = 1; exit bad }' \
	"$d/nodes.csv" "$d/models.csv" "$d/pinned.csv"
check "the cloud pins the most accurate model of each task" \
	awk -F, '
	FILENAME ~ /models/ && FNR > 1 {
		if (!($2 in best) || $4 > best[$2]) best[$2] = $4; acc[$1] = $4
		task[$1] = $2 }
	FILENAME ~ /pinned/ && FNR > 1 { if (acc[$2] != best[task[$2]]) bad = 1 }
	END { exit bad }' "$d/models.csv" "$d/pinned.csv"
check "pinned models run on the cloud hardware" \
	awk -F, '
	FILENAME ~ /nodes/ && FNR > 1 { hw[$1] = $3 }
	FILENAME ~ /profiles/ && FNR > 1 { p[$1 "," $2] = 1 }
	FILENAME ~ /pinned/ && FNR > 1 { if (!((($2 "," hw[$1])) in p)) bad = 1 }
	END { exit bad }' "$d/nodes.csv" "$d/profiles.csv" "$d/pinned.csv"
# For every model and every hardware a node uses, the scenario has a
# profile exactly when the catalog has one (and with the same numbers).
check "profiles match the catalog for every model and used hardware" \
	awk -F, '
	FILENAME == ARGV[1] && FNR > 1 { used[$3] = 1 }
	FILENAME == ARGV[2] && FNR > 1 { model[$1] = 1 }
	FILENAME == ARGV[3] && FNR > 1 {
		if (($1 in model) && ($2 in used)) want[$1 "," $2] = $3 + 0 "," $4 + 0 }
	FILENAME == ARGV[4] && FNR > 1 {
		k = $1 "," $2
		if (!(k in want) || want[k] != $3 + 0 "," $4 + 0) bad = 1
		got[k] = 1 }
	END { for (k in want) if (!(k in got)) bad = 1; exit bad }' \
	"$d/nodes.csv" "$d/models.csv" "$catalog/profiles.csv" "$d/profiles.csv"
check "links join each node to one parent one tier up" \
	awk -F, '
	FILENAME ~ /nodes/ && FNR > 1 { tier[$1] = $2 }
	FILENAME ~ /links/ && FNR > 1 {
		up["access"] = "edge"; up["edge"] = "regional"; up["regional"] = "cloud"
		if (up[tier[$2]] != tier[$1] || parents[$2]++) bad = 1
		d[tier[$2]] = $3 }
	END { exit bad || d["access"] != 1 || d["edge"] != 5 || d["regional"] != 20 }' \
	"$d/nodes.csv" "$d/links.csv"

# --- reproducibility and the shipped scenario -------------------------------
check "same arguments give identical bytes" sh -c '
	"$1" tree --catalog "$2" -o "$3/again" && diff -r "$4" "$3/again" > /dev/null' \
	_ "$prog" "$catalog" "$tmp" "$d"
check "traces/tree-small is the default tree of the catalog" \
	diff -r "$shipped" "$d"

# --- options ----------------------------------------------------------------
o="$tmp/opts"
check "--fanout/--delays/--budgets/--tasks are applied" sh -c '
	LC_ALL=de_DE.UTF-8 "$1" tree --catalog "$2" --fanout 3,1,2 \
	    --delays 0.5,2.25,10 --budgets 1.5,0,100 --tasks 2 -o "$3" 2> /dev/null &&
	[ "$(($(wc -l < "$3/nodes.csv") - 1))" -eq 13 ] &&
	grep -qx "edge0,access0,0.5" "$3/links.csv" &&
	grep -qx "regional0,edge0,2.25" "$3/links.csv" &&
	grep -q "^access5,access,.*,1.5$" "$3/nodes.csv" &&
	[ "$(cut -d, -f2 "$3/models.csv" | sed 1d | sort -u | wc -l)" -eq 2 ] &&
	[ "$(($(wc -l < "$3/pinned.csv") - 1))" -eq 2 ]' _ "$prog" "$catalog" "$o"
check "--hardware chooses the hardware of each tier" sh -c '
	"$1" tree --catalog "$2" --hardware rpi,jetson-nano,server-cpu,server-gpu \
	    -o "$3" &&
	grep -q "^edge0,edge,jetson-nano," "$3/nodes.csv" &&
	! grep -q ",arm-cpu," "$3/profiles.csv"' _ "$prog" "$catalog" "$tmp/hw"

for args in "tree --fanout 2,2 -o $tmp/u" "tree --fanout 0,2,2 -o $tmp/u" \
	"tree --fanout 2,2,2.5 -o $tmp/u" "tree --delays 1,-5,20 -o $tmp/u" \
	"tree --budgets 1,x,3 -o $tmp/u" "tree --bogus -o $tmp/u" \
	"tree --catalog" "tree" "tree extra -o $tmp/u" "frobnicate" "" \
	"tree --tasks 0 -o $tmp/u" "tree --hardware a,b -o $tmp/u" \
	"tree --catalog $catalog --tasks 99 -o $tmp/u" \
	"tree --catalog $catalog --hardware arm-cpu,nope,server-cpu,server-gpu -o $tmp/u"; do
	# shellcheck disable=SC2086 # word splitting of args is intended
	check "usage error: '$args' exits 2 with one line" usage_error $args
done

# --- failures leave nothing behind ------------------------------------------
bad="$tmp/badcat"
mkdir "$bad" && cp "$catalog/hardware.csv" "$catalog/models.csv" \
	"$catalog/profiles.csv" "$bad/"
sed '3s/,0\.713,/,1.5,/' "$catalog/models.csv" > "$bad/models.csv"
check "bad catalog data exits 1 naming file, line and column" sh -c '
	"$1" tree --catalog "$2" -o "$3/f" 2> "$3/err"; [ $? -eq 1 ] &&
	grep -q "^idn-scenario: $2/models.csv:3: accuracy: " "$3/err"' \
	_ "$prog" "$bad" "$tmp"
check "a failing run leaves no output directory" no_output "$tmp/f"
cp "$catalog/models.csv" "$bad/models.csv"
echo "Nope,cls,1,0.5,," >> "$bad/models.csv"
echo "Nope,no-such-hw,1,1,measured" >> "$bad/profiles.csv"
check "a profile with unknown hardware is a data error" sh -c '
	"$1" tree --catalog "$2" -o "$3/g" 2> "$3/err"; [ $? -eq 1 ] &&
	grep -q "profiles.csv:[0-9]*: hardware: unknown hardware" "$3/err" &&
	[ ! -e "$3/g" ]' _ "$prog" "$bad" "$tmp"
check "an existing output directory is refused and kept" sh -c '
	mkdir "$2/keep" && touch "$2/keep/mine" &&
	"$1" tree --catalog "$3" -o "$2/keep" 2> /dev/null; [ $? -eq 1 ] &&
	[ -e "$2/keep/mine" ] && [ ! -e "$2/keep/nodes.csv" ]' \
	_ "$prog" "$tmp" "$catalog"
check "an unwritable parent is an error that leaves nothing" sh -c '
	"$1" tree --catalog "$2" -o /nonexistent-dir/x 2> /dev/null; [ $? -eq 1 ]' \
	_ "$prog" "$catalog"

tap_end
