#!/bin/sh
# zoo.sh - TAP tests of idn-scenario zoo and the shipped Zoo scenarios.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Expected values are counted or computed by hand from the GraphML files
# (see the comments), never taken from the tool's own output.
. "${top_srcdir:-.}/tests/taplib.sh"
tap_init zoo
prog="$tools/idn-scenario"
gen="$tools/idn-gen"
replay="$tools/idn-replay"
catalog="$top_srcdir/traces/catalog"
topo="$top_srcdir/traces/topologies"

zoo() {     # zoo FILE OUT [OPTION]...: the zoo mode on the shipped catalog
	f=$1 o=$2
	shift 2
	"$prog" zoo "$f" --catalog "$catalog" -o "$o" "$@"
}

field() {   # field FILE KEY COL: column COL of the row whose first field is KEY
	awk -F, -v k="$2" -v c="$3" '$1 == k { print $c; exit }' "$1"
}

delay() {   # delay DIR A B: delay of the link A-B (either orientation)
	awk -F, -v a="$2" -v b="$3" '
		($1 == a && $2 == b) || ($1 == b && $2 == a) { print $3; exit }' \
		"$1/links.csv"
}

tiers() {   # cloud/regional/edge/access counts of DIR/nodes.csv
	awk -F, 'NR > 1 { c[$2]++ } END {
		print c["cloud"]+0 "/" c["regional"]+0 "/" c["edge"]+0 "/" \
		      c["access"]+0 }' "$1/nodes.csv"
}

# A failure: exit status $1, one line on stderr naming the program and
# matching the pattern $2, and neither the output nor a temporary left.
fails() {
	want=$1 pat=$2
	shift 2
	rm -rf "$tmp/f"
	run "$@" -o "$tmp/f"
	failed "$want" "$pat" && no_output "$tmp/f"
}

if [ ! -x "$prog" ]; then
	echo "1..0 # SKIP $prog not built"
	exit 0
fi

# --- help -------------------------------------------------------------------
check "--help documents the zoo options and rules" \
	sh -c '"$1" --help > "$2/help" &&
	       for o in "zoo FILE" --cloud --regional-degree "--access all|edge" \
	                --access-delay --hop-delay --unknown-delay 6371 \
	                "2/3 c" "largest" "_2, _3" NAME.access "default 0.5" \
	                "default 3" "default 1)"; do
	           grep -q -e "$o" "$2/help" || exit 1; done' _ "$prog" "$tmp"

# --- Abilene, by hand from traces/topologies/Abilene.graphml ----------------
# 11 nodes, 14 distinct edges.  Degrees: New York 2, Chicago 2, Washington
# DC 2, Seattle 2, Sunnyvale 3, Los Angeles 2, Denver 3, Kansas City 3,
# Houston 3, Atlanta 3, Indianapolis 3.  Highest degree 3, first in the
# file: Sunnyvale (id 4) is the cloud; the five other degree-3 nodes are
# regional, the five degree-2 nodes edge; one access node each: 22 nodes,
# 14 + 11 = 25 links.
a="$tmp/abilene"
check "Abilene is written" zoo "$topo/Abilene.graphml" "$a"
check "Abilene: 11 + 11 access = 22 nodes" [ "$(rows "$a/nodes.csv")" -eq 22 ]
check "Abilene: 14 + 11 access = 25 links" [ "$(rows "$a/links.csv")" -eq 25 ]
check "Abilene: cloud/regional/edge/access = 1/5/5/11" \
	[ "$(tiers "$a")" = "1/5/5/11" ]
check "Abilene: Sunnyvale (first of highest degree) is the cloud, first row" \
	[ "$(sed -n 2p "$a/nodes.csv" | cut -d, -f1,2,4)" = "Sunnyvale,cloud,0" ]
check "Abilene: the cloud pins one model per task (4), nobody else pins" \
	[ "$(rows "$a/pinned.csv"),$(tail -n +2 "$a/pinned.csv" | cut -d, -f1 | sort -u)" \
	  = "4,Sunnyvale" ]
check "Abilene: degree-2 Los Angeles is edge, degree-3 Denver regional" \
	[ "$(field "$a/nodes.csv" Los_Angeles 2),$(field "$a/nodes.csv" Denver 2)" \
	  = "edge,regional" ]
check "Abilene: nodes.csv keeps the GraphML coordinates as lat,lon" \
	[ "$(head -1 "$a/nodes.csv"),$(field "$a/nodes.csv" New_York 5),$(field "$a/nodes.csv" New_York 6)" \
	  = "node,tier,hardware,budget_mb,lat,lon,40.71427,-74.00597" ]
check "Abilene: New_York.access hangs off New_York with delay 1, same place" \
	[ "$(delay "$a" New_York New_York.access),$(field "$a/nodes.csv" New_York.access 2),$(field "$a/nodes.csv" New_York.access 5)" \
	  = "1,access,40.71427" ]
# New York (40.71427, -74.00597) - Washington DC (38.89511, -77.03637):
#   dphi = -1.81916 deg = -0.0317503 rad, dlambda = -3.03040 deg = -0.0528905 rad
#   h = sin^2(dphi/2) + cos(40.71427) cos(38.89511) sin^2(dlambda/2)
#     = 0.000252000 + 0.758455 * 0.777801 ... = 0.000252000 + 0.589927 * 0.000699187
#     = 0.000664469
#   d = 2 * 6371 * asin(sqrt(h)) = 2 * 6371 * asin(0.0257773) = 328.491 km
#   delay = 328.491 / 199.8616 km/ms + 0.5 = 1.64359 + 0.5 = 2.14359 -> 2.144
check "Abilene: New York - Washington DC is 2.144 ms (hand haversine)" \
	[ "$(delay "$a" New_York Washington_DC)" = "2.144" ]
# The same formula, written independently in awk, for every backbone link.
check "Abilene: every backbone link = haversine / (2/3 c) + 0.5 within 1 us" \
	awk -F, '
	function asin(x) { return atan2(x, sqrt(1 - x * x)) }
	FNR == 1 { next }
	FILENAME ~ /nodes/ { lat[$1] = $5; lon[$1] = $6; next }
	$1 ~ /\.access$/ || $2 ~ /\.access$/ { next }
	{
		r = 3.14159265358979 / 180
		dp = (lat[$2] - lat[$1]) * r; dl = (lon[$2] - lon[$1]) * r
		h = sin(dp / 2) ^ 2 + cos(lat[$1] * r) * cos(lat[$2] * r) * \
		    sin(dl / 2) ^ 2
		want = 2 * 6371 * asin(sqrt(h)) / 199.861638666 + 0.5
		if ((want - $3) ^ 2 > 0.0005 ^ 2) bad = 1
		links++
	}
	END { exit bad || links != 14 }' "$a/nodes.csv" "$a/links.csv"
check "--cloud Denver: Denver is the cloud and pins, Sunnyvale regional" \
	sh -c '"$1" zoo "$2/Abilene.graphml" --catalog "$3" --cloud Denver \
	           -o "$4/denver" &&
	       [ "$(sed -n 2p "$4/denver/nodes.csv" | cut -d, -f1,2)" = \
	         "Denver,cloud" ] &&
	       grep -q "^Sunnyvale,regional," "$4/denver/nodes.csv" &&
	       [ "$(cut -d, -f1 "$4/denver/pinned.csv" | sort -u | head -1)" = \
	         Denver ]' _ "$prog" "$topo" "$catalog" "$tmp"
check "same arguments, same bytes" \
	sh -c '"$1" zoo "$2/Abilene.graphml" --catalog "$3" -o "$4/again" &&
	       diff -r "$5" "$4/again" > /dev/null' _ \
	"$prog" "$topo" "$catalog" "$tmp" "$a"

# --- a small hand-made graph --------------------------------------------------
# Node order 0..4; an edge before the nodes; 1-0 repeats 0-1 and 1-1 is a
# loop, so the simple graph has 5 edges: 0-1 1-2 1-3 2-3 2-4.  Degrees
# 1, 3, 3, 2, 1: nodes 1 and 2 tie, node 1 (first) is the cloud, node 2
# regional, 0, 3, 4 edge.  Names: "St. Louis" -> St_Louis, "St Louis" ->
# St_Louis (taken) -> St_Louis_2, "Zürich" -> Z_rich, no label -> n3,
# "St_Louis_2" (taken) -> St_Louis_2_2.  The graph-level label is not a
# node's.
s="$tmp/small.graphml"
cat > "$s" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key attr.name="label" attr.type="string" for="node" id="d1"/>
  <key attr.name="label" attr.type="string" for="graph" id="g1"/>
  <key attr.name="Latitude" attr.type="double" for="node" id="d2"/>
  <key attr.name="Longitude" attr.type="double" for="node" id="d3"/>
  <key attr.name="Country" attr.type="string" for="node" id="d4"/>
  <graph edgedefault="undirected">
    <data key="g1">Not a node</data>
    <edge source="0" target="1"/>
    <node id="0"><data key="d1">St. Louis</data><data key="d2">0</data>
      <data key="d3">0</data><data key="d4">US</data></node>
    <node id="1"><data key="d1">St Louis</data><data key="d2">0</data>
      <data key="d3">1</data></node>
    <node id="2"><data key="d1">Zürich</data><data key="d2">5</data>
      <data key="d3">1</data></node>
    <node id="3"><data key="d2">7</data></node>
    <node id="4"><data key="d1">St_Louis_2</data></node>
    <edge source="1" target="0"/>
    <edge source="1" target="1"/>
    <edge source="1" target="2"><data key="d4">ignored</data></edge>
    <edge source="1" target="3"/>
    <edge source="2" target="3"/>
    <edge source="2" target="4"/>
  </graph>
</graphml>
EOF
d="$tmp/small"
check "small graph is written" zoo "$s" "$d"
check "names: sanitized labels made unique, n+id without label, in tier order" \
	[ "$(awk -F, 'NR > 1 && NR <= 6 { printf "%s:%s ", $1, $2 }' \
	     "$d/nodes.csv")" = "St_Louis_2:cloud Z_rich:regional St_Louis:edge n3:edge St_Louis_2_2:edge " ]
check "repeated edges collapse, self-loops go: 5 + 5 access links" \
	[ "$(rows "$d/links.csv")" -eq 10 ]
check "access nodes follow in node order" \
	[ "$(awk -F, 'NR > 6 { printf "%s ", $1 }' "$d/nodes.csv")" = \
	  "St_Louis_2.access Z_rich.access St_Louis.access n3.access St_Louis_2_2.access " ]
# 1 degree of a great circle = 6371 * pi / 180 = 111.19493 km = 0.55636 ms.
# 0-1: 1 degree of longitude on the equator: 0.55636 + 0.5 = 1.056.
# 1-2: 5 degrees of latitude on a meridian: 2.78180 + 0.5 = 3.282.
check "equator degree 1.056 ms, meridian 5 degrees 3.282 ms" \
	[ "$(delay "$d" St_Louis St_Louis_2),$(delay "$d" St_Louis_2 Z_rich)" = \
	  "1.056,3.282" ]
# n3 has a latitude but no longitude, St_Louis_2_2 nothing: their links
# take the mean of the two placed ones, (1.056 + 3.282) / 2 = 2.169.
check "links to nodes without coordinates take the mean 2.169" \
	[ "$(delay "$d" St_Louis_2 n3),$(delay "$d" Z_rich n3),$(delay "$d" Z_rich St_Louis_2_2)" \
	  = "2.169,2.169,2.169" ]
check "nodes without both coordinates have empty lat,lon" \
	[ "$(grep -c '^n3,edge,[^,]*,30,,$' "$d/nodes.csv")" -eq 1 ]
check "--unknown-delay 7 --hop-delay 0 --access-delay 2" \
	sh -c '"$1" zoo "$2" --catalog "$3" --unknown-delay 7 --hop-delay 0 \
	           --access-delay 2 -o "$4/opts" &&
	       grep -qx "St_Louis,St_Louis_2,0.556" "$4/opts/links.csv" &&
	       grep -qx "Z_rich,St_Louis_2_2,7" "$4/opts/links.csv" &&
	       grep -qx "n3,n3.access,2" "$4/opts/links.csv"' _ \
	"$prog" "$s" "$catalog" "$tmp"
check "--access edge: access nodes only on the 3 edge nodes" \
	sh -c '"$1" zoo "$2" --catalog "$3" --access edge -o "$4/acc" &&
	       [ "$(grep -c ",access," "$4/acc/nodes.csv")" -eq 3 ] &&
	       ! grep -q "^Z_rich.access" "$4/acc/nodes.csv"' _ \
	"$prog" "$s" "$catalog" "$tmp"
check "--regional-degree 2: n3 (degree 2) becomes regional" \
	sh -c '"$1" zoo "$2" --catalog "$3" --regional-degree 2 -o "$4/rd" &&
	       grep -q "^n3,regional," "$4/rd/nodes.csv"' _ \
	"$prog" "$s" "$catalog" "$tmp"
check "--budgets and --hardware apply per tier" \
	sh -c '"$1" zoo "$2" --catalog "$3" --budgets 1,2,3 \
	           --hardware rpi,rpi,server-cpu,server-gpu -o "$4/bh" &&
	       grep -q "^St_Louis,edge,rpi,2," "$4/bh/nodes.csv" &&
	       grep -q "^Z_rich,regional,server-cpu,3," "$4/bh/nodes.csv" &&
	       grep -q "^n3.access,access,rpi,1," "$4/bh/nodes.csv"' _ \
	"$prog" "$s" "$catalog" "$tmp"

# Two components of 3 and 2 nodes: the larger is kept, with a note.
cat > "$tmp/split.graphml" <<'EOF'
<graphml><graph>
<node id="a"/><node id="b"/><node id="c"/><node id="d"/><node id="e"/>
<edge source="d" target="e"/><edge source="a" target="b"/>
<edge source="c" target="b"/>
</graph></graphml>
EOF
check "not connected: the largest component is kept, a note on stderr" \
	sh -c '"$1" zoo "$2/split.graphml" --catalog "$3" --unknown-delay 4 \
	           -o "$2/split" 2> "$2/note" &&
	       grep -q "kept the largest, 3 of 5 nodes" "$2/note" &&
	       [ "$(awk -F, "NR > 1 && !/access/ { printf \"%s \", \$1 }" \
	            "$2/split/nodes.csv")" = "nb na nc " ]' _ \
	"$prog" "$tmp" "$catalog"

# --- errors -------------------------------------------------------------------
printf '<graphml><graph><node id="a"/><node id="b"/>\n<edge source="a" target="b"/></graph></graphml>\n' \
	> "$tmp/nopos.graphml"
check "no coordinates at all and no --unknown-delay: exit 1" \
	fails 1 ".*nopos.graphml: no link has coordinates" zoo \
	"$tmp/nopos.graphml" --catalog "$catalog"
check "missing file: exit 1, names it" \
	fails 1 "$tmp/none.graphml: cannot open" zoo "$tmp/none.graphml" \
	--catalog "$catalog"
printf '<graphml>\n<graph>\n<node id="a">\n</graph>\n' > "$tmp/bad.graphml"
check "malformed XML: exit 1, FILE:LINE of the mismatched tag" \
	fails 1 ".*bad.graphml:4: xml: mismatched tag" zoo "$tmp/bad.graphml" \
	--catalog "$catalog"
head -c 2000 "$topo/Abilene.graphml" > "$tmp/cut.graphml"
check "truncated file: exit 1, FILE:LINE" \
	fails 1 ".*cut.graphml:[0-9]*: xml: " zoo "$tmp/cut.graphml" \
	--catalog "$catalog"
sed 's|<data key="d2">5</data>|<data key="d2">95</data>|' "$s" \
	> "$tmp/lat.graphml"
check "latitude out of range: exit 1, FILE:LINE: Latitude" \
	fails 1 ".*lat.graphml:15: Latitude: not a number in \[-90, 90\]: '95'" \
	zoo "$tmp/lat.graphml" --catalog "$catalog"
sed 's|target="4"|target="9"|' "$s" > "$tmp/edge.graphml"
check "edge to an unknown node: exit 1, FILE:LINE: edge" \
	fails 1 ".*edge.graphml:24: edge: unknown node '9'" \
	zoo "$tmp/edge.graphml" --catalog "$catalog"
sed 's|<node id="4">|<node id="0">|' "$s" > "$tmp/dup.graphml"
check "duplicate node id: exit 1" \
	fails 1 ".*dup.graphml:18: node: duplicate id '0'" \
	zoo "$tmp/dup.graphml" --catalog "$catalog"
check "unknown --cloud name: exit 2" \
	fails 2 "--cloud: no node 'Paris'" zoo "$topo/Abilene.graphml" \
	--catalog "$catalog" --cloud Paris
check "bad --access value: exit 2" \
	fails 2 "--access: " zoo "$s" --catalog "$catalog" --access some
check "missing FILE: exit 2" fails 2 "zoo: missing FILE" zoo \
	--catalog "$catalog"
check "two FILEs: exit 2" fails 2 "zoo: unexpected argument" zoo "$s" "$s" \
	--catalog "$catalog"

# --- the shipped scenarios ----------------------------------------------------
fresh() {   # fresh NAME FILE: traces/NAME is what the default options give
	rm -rf "$tmp/fresh"
	zoo "$topo/$2" "$tmp/fresh" 2> /dev/null &&
		diff -r "$top_srcdir/traces/$1" "$tmp/fresh" > /dev/null
}
check "traces/abilene = zoo Abilene.graphml with the defaults" \
	fresh abilene Abilene.graphml
check "traces/geant = zoo Geant2012.graphml with the defaults" \
	fresh geant Geant2012.graphml
check "traces/cogentco = zoo Cogentco.graphml with the defaults" \
	fresh cogentco Cogentco.graphml
# Cogentco has 197 nodes, 245 edges of which 243 distinct; every node gets
# an access node.
check "traces/cogentco: 197 + 197 nodes, 243 + 197 links" \
	[ "$(rows "$top_srcdir/traces/cogentco/nodes.csv"),$(rows "$top_srcdir/traces/cogentco/links.csv")" \
	  = "394,440" ]
check "every shipped zoo scenario replays a trace from all access nodes" \
	sh -c 'for s in abilene geant cogentco; do
	           "$1" --scenario "$3/traces/$s" --duration 5 --rate 2 \
	               --level 0 |
	           "$2" --scenario "$3/traces/$s" --policy lru --slot 1 \
	               > /dev/null || exit 1; done' _ \
	"$gen" "$replay" "$top_srcdir"
tap_end
