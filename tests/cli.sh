#!/bin/sh
# cli.sh - TAP tests of idn-replay: options, the worked example end to end,
# trace and output forms, and one-line error messages with exit codes.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The harness exports top_srcdir, top_builddir and IDN_POLICY_PATH; the
# first two default to the current directory so the script also runs by
# hand from a build tree.  Exit codes: 0 ok, 1 bad data or a failing
# policy, 2 bad usage.  Every failure must leave a message on stderr that
# names what is wrong, and -o must leave no file (final or temporary).
. "${top_srcdir:-.}/tests/taplib.sh"
tap_init cli
prog="$tools/idn-replay"
plugins="$top_builddir/tests/plugins/.libs"
example="$top_srcdir/tests/data/example"

has() {     # has FILE STRING...: FILE contains every STRING (fixed)
	f=$1
	shift
	for s in "$@"; do
		grep -F -q -e "$s" "$f" || return 1
	done
}

# fails CODE STRING...: exit status CODE, stdout empty, and the first line
# of stderr ("idn-replay: ...", or argv[0] for getopt's own messages)
# holds every STRING (fixed strings, unlike taplib's failed).
fails() {
	code=$1
	shift
	[ "$rc" -eq "$code" ] || { echo "exit $rc, expected $code"; return 1; }
	[ ! -s "$tmp/out" ] || { echo "stdout not empty"; return 1; }
	head -n 1 "$tmp/err" > "$tmp/err1"
	grep -q '^\(.*/\)\{0,1\}idn-replay: ' "$tmp/err1" || return 1
	has "$tmp/err1" "$@"
}

# fails_data STRING...: exit 1 with exactly one line on stderr.
fails_data() {
	[ "$(wc -l < "$tmp/err")" -eq 1 ] || { echo "not one line"; return 1; }
	fails 1 "$@"
}

# fails_clean DIR STRING...: exit 1, one line on stderr naming STRINGs,
# and DIR (where -o pointed) is empty: no out.csv, no out.csv.tmp.*.
fails_clean() {
	d=$1
	shift
	fails_data "$@" && empty_dir "$d"
}

succeeds() {
	[ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ]
}

# --- options --------------------------------------------------------------
run --help
check "--help: exit 0, usage on stdout" \
	eval 'succeeds && has "$tmp/out" "Usage:" "--scenario" "--policy"'
run --version
check "--version: exit 0, version on stdout" \
	eval 'succeeds && has "$tmp/out" "idn-replay"'
run --bogus -s "$example" -p static "$example/trace.csv"
check "unknown option: exit 2, named" fails 2 "bogus"
run -s "$example" "$example/trace.csv"
check "missing --policy: exit 2" fails 2 "--policy"
run -p static "$example/trace.csv"
check "missing --scenario: exit 2" fails 2 "--scenario"
run -s "$example" -p static --slot 0 "$example/trace.csv"
check "--slot 0: exit 2" fails 2 "--slot" "'0'"
run -s "$example" -p static --slot x "$example/trace.csv"
check "--slot x: exit 2" fails 2 "--slot" "'x'"
run -s "$example" -p static --slot -1 "$example/trace.csv"
check "--slot -1: exit 2" fails 2 "--slot" "'-1'"
run -s "$example" -p static --alpha -1 "$example/trace.csv"
check "--alpha -1: exit 2" fails 2 "--alpha" "'-1'"
run -s "$example" -p static -O novalue "$example/trace.csv"
check "-O without '=': exit 2" fails 2 "novalue"
run -s "$example" -p static "$example/trace.csv" extra.csv
check "a second trace argument: exit 2" fails 2 "extra.csv"

# --- the worked example ----------------------------------------------------
# Expected rows of the hand-worked example (EXAMPLE.md, slot length 1 s,
# alpha 1): the header, then per policy the rows of slots 0, 1, 2.
cat > "$tmp/header" <<'EOF'
slot,requests,gain,max_gain,fractional_gain,latency_ms,accuracy,update_mb,served_access,served_edge,served_cloud
EOF
cat > "$tmp/want.static" <<'EOF'
0,40,0,1600,,59,0.8,0,0,0,40
1,5,0,200,,60,0.8,0,0,0,5
2,20,0,800,,56,0.8,0,0,0,20
EOF
cat > "$tmp/want.lru" <<'EOF'
0,40,0,1600,,59,0.8,0,0,0,40
1,5,200,200,,20,0.8,250,0,5,0
2,20,800,800,,16,0.8,0,0,20,0
EOF
cp "$tmp/want.lru" "$tmp/want.lfu"

for p in static lru lfu; do
	run -s "$example" -p $p "$example/trace.csv"
	cp "$tmp/out" "$tmp/got.$p"
	check "example, $p: exit 0, nothing on stderr" succeeds
	check "example, $p: header" eval \
		'head -n 1 "$tmp/got.$p" | diff "$tmp/header" - >&2'
	check "example, $p: rows equal the hand-worked ones" eval \
		'tail -n +2 "$tmp/got.$p" | diff "$tmp/want.$p" - >&2'
done

# default slot and alpha are 1: giving them changes nothing
run -s "$example" -p lru --slot 1 --alpha 1 "$example/trace.csv"
check "example, lru: --slot 1 --alpha 1 are the defaults" \
	cmp -s "$tmp/out" "$tmp/got.lru"
# alpha 0 (by hand): costs lose the accuracy term, so gamma_1 is (e0,small)
# at 2*5+5 = 15 for (cls,a0) (K: 2*25+10 = 60) and 2*3+5 = 11 for (cls,a1)
# (K: 56); max_gain is 45 per request, latency and accuracy unchanged.
cat > "$tmp/want.alpha0" <<'EOF'
0,40,0,1800,,59,0.8,0,0,0,40
1,5,0,225,,60,0.8,0,0,0,5
2,20,0,900,,56,0.8,0,0,0,20
EOF
run -s "$example" -p static --alpha 0 "$example/trace.csv"
check "example, static, alpha 0: max_gain 45 per request" \
	eval 'succeeds && tail -n +2 "$tmp/out" | diff "$tmp/want.alpha0" - >&2'
# slot 0.5 s: the requests fall in slots 0, 0, 2 and 5 (t0 = 0.1); the
# empty slots 1, 3, 4 are rows with empty latency and accuracy.
cat > "$tmp/want.half" <<'EOF'
0,40,0,1600,,59,0.8,0,0,0,40
1,0,0,0,,,,0,0,0,0
2,5,0,200,,60,0.8,0,0,0,5
3,0,0,0,,,,0,0,0,0
4,0,0,0,,,,0,0,0,0
5,20,0,800,,56,0.8,0,0,0,20
EOF
run -s "$example" -p static --slot 0.5 "$example/trace.csv"
check "example, static, slot 0.5: empty slots are rows" \
	eval 'succeeds && tail -n +2 "$tmp/out" | diff "$tmp/want.half" - >&2'

# --- trace forms ------------------------------------------------------------
gzip -c "$example/trace.csv" > "$tmp/trace.gz"
run -s "$example" -p lru "$tmp/trace.gz"
check "gzip trace (name without .csv): same output" cmp -s "$tmp/out" \
	"$tmp/got.lru"
run -s "$example" -p lru - < "$example/trace.csv"
check "trace on stdin ('-'): same output" cmp -s "$tmp/out" "$tmp/got.lru"
run -s "$example" -p lru < "$tmp/trace.gz"
check "gzip trace on stdin (no argument): same output" cmp -s "$tmp/out" \
	"$tmp/got.lru"
tr -d '\r' < "$example/trace.csv" | sed 's/$/\r/' > "$tmp/trace-crlf.csv"
run -s "$example" -p lru "$tmp/trace-crlf.csv"
check "CRLF trace: same output" cmp -s "$tmp/out" "$tmp/got.lru"

# --- output file ------------------------------------------------------------
mkdir "$tmp/o"
run -s "$example" -p lru -o "$tmp/o/out.csv" "$example/trace.csv"
check "-o out.csv: exit 0, stdout empty" eval 'succeeds && [ ! -s "$tmp/out" ]'
check "-o out.csv: same bytes as stdout" cmp -s "$tmp/o/out.csv" \
	"$tmp/got.lru"
run -s "$example" -p lru -o "$tmp/o/out.csv.gz" "$example/trace.csv"
check "-o out.csv.gz: gzip magic" eval \
	'[ "$(od -An -tx1 -N2 "$tmp/o/out.csv.gz" | tr -d " ")" = 1f8b ]'
check "-o out.csv.gz: decompresses to the same bytes" eval \
	'gzip -dc "$tmp/o/out.csv.gz" | cmp -s - "$tmp/got.lru"'
check "-o: only the two outputs in the directory" eval \
	'[ "$(ls -A "$tmp/o" | tr "\n" " ")" = "out.csv out.csv.gz " ]'
# an existing output is replaced whole
echo stale > "$tmp/o/out.csv"
run -s "$example" -p static -o "$tmp/o/out.csv" "$example/trace.csv"
check "-o replaces an existing file" cmp -s "$tmp/o/out.csv" \
	"$tmp/got.static"

# --- trace errors (exit 1, file:line: column, no output left) ---------------
# The bad row comes after full slots so the output has been started.
mk_trace() {  # mk_trace NAME LINE: example trace + LINE as line 6
	{ cat "$example/trace.csv"; echo "$2"; } > "$tmp/$1"
}
mk_trace bad-time.csv "x,a0,cls,1"
mk_trace bad-source.csv "3.5,zz,cls,1"
mk_trace bad-task.csv "3.5,a0,det,1"
mk_trace bad-order.csv "1.0,a0,cls,1"
mk_trace bad-fields.csv "3.5,a0"
for c in "bad-time.csv|time" "bad-source.csv|source" "bad-task.csv|task" \
         "bad-order.csv|time" "bad-fields.csv|6"; do
	f=${c%%|*}
	w=${c#*|}
	d="$tmp/o-$f"
	mkdir "$d"
	run -s "$example" -p lru -o "$d/out.csv" "$tmp/$f"
	check "$f: exit 1, names $f:6 and '$w', no output left" \
		fails_clean "$d" "$f:6" "$w"
done
run -s "$example" -p static "$tmp/bad-source.csv"
check "unknown source on stdout run: names the node" eval \
	'[ "$rc" -eq 1 ] && has "$tmp/err" "bad-source.csv:6: source" "zz"'
run -s "$example" -p static "$tmp/bad-task.csv"
check "unknown task on stdout run: names the task" eval \
	'[ "$rc" -eq 1 ] && has "$tmp/err" "bad-task.csv:6: task" "det"'
run -s "$example" -p static "$tmp/missing.csv"
check "missing trace file: exit 1, named" fails_data "missing.csv"
printf 'time,source,task\n0.1,a0,cls\n0.5,a0,' | gzip -c | head -c 30 \
	> "$tmp/truncated.gz"
mkdir "$tmp/o-truncated"
run -s "$example" -p static -o "$tmp/o-truncated/out.csv" "$tmp/truncated.gz"
check "truncated gzip trace: exit 1, named, no output left" \
	fails_clean "$tmp/o-truncated" "truncated.gz"

# --- unreachable repository ---------------------------------------------------
# z0 is linked to nothing, so no node pinning a 'cls' model is reachable.
mkdir "$tmp/island"
cp "$example"/links.csv "$example"/models.csv "$example"/profiles.csv \
	"$example"/pinned.csv "$tmp/island/"
{ cat "$example/nodes.csv"; echo "z0,access,cpu,100"; } \
	> "$tmp/island/nodes.csv"
printf 'time,source,task\n0.1,a0,cls\n0.2,z0,cls\n' > "$tmp/island.csv"
mkdir "$tmp/o-island"
run -s "$tmp/island" -p lru -o "$tmp/o-island/out.csv" "$tmp/island.csv"
check "unreachable repository: exit 1, names trace:line and task" \
	fails_clean "$tmp/o-island" "island.csv:3: task" "z0"
run -s "$tmp/island" -p lru "$example/trace.csv"
check "an isolated node nobody asks from is fine" eval \
	'succeeds && tail -n +2 "$tmp/out" | diff "$tmp/want.lru" - >&2'

# --- scenario errors ----------------------------------------------------------
mkdir "$tmp/badsc"
cp "$example"/*.csv "$tmp/badsc/"
printf 'node,model\nc0,big\nc0,big\n' > "$tmp/badsc/pinned.csv"
run -s "$tmp/badsc" -p static "$example/trace.csv"
check "bad scenario: exit 1, names file:line: column" \
	fails_data "pinned.csv:3: model:" "duplicate"
run -s "$tmp/nowhere" -p static "$example/trace.csv"
check "missing scenario directory: exit 1, named" fails_data "nowhere"

# --- summary ------------------------------------------------------------------
run -s "$example" -p lru --summary "$tmp/o/sum.csv" "$example/trace.csv"
check "--summary: per-slot output unchanged" eval \
	'succeeds && cmp -s "$tmp/out" "$tmp/got.lru"'
check "--summary: a header and one row" eval \
	'[ "$(wc -l < "$tmp/o/sum.csv")" -eq 2 ] &&
	 head -n 1 "$tmp/o/sum.csv" | grep -q "^policy,.*,ntag,"'
# value of column NAME in the summary row (plain fields: no quotes here)
sumcol() {
	awk -F, -v k="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == k) c = i }
	     NR == 2 && c { print $c }' "$tmp/o/sum.csv"
}
# ntag = sum gain / sum max_gain and requests = sum requests, from the
# per-slot rows (here (0 + 200 + 800) / 2600 and 65).
check "--summary: ntag = total gain / total max_gain" eval \
	'awk -F, -v s="$(sumcol ntag)" "NR > 1 { g += \$3; m += \$4 }
	 END { r = g / m; d = s - r; if (d < 0) d = -d;
	       exit !(s != \"\" && d <= 1e-12 && r > 0.3846 && r < 0.3847) }" \
	 "$tmp/got.lru"'
check "--summary: requests = sum of requests" eval \
	'[ "$(awk -F, "NR > 1 { r += \$2 } END { print r }" "$tmp/got.lru")" \
	   = "$(sumcol requests)" ] && [ "$(sumcol requests)" = 65 ]'
check "--summary: policy and slots" eval \
	'[ "$(sumcol policy)" = lru ] && [ "$(sumcol slots)" = 3 ]'

# --- plugins --------------------------------------------------------------------
run -s "$example" -p nosuchpolicy "$example/trace.csv"
check "unknown policy name: exit 2, named" fails 2 "nosuchpolicy"
run -s "$example" -p "$tmp/nope.so" "$example/trace.csv"
check "policy path to a missing file: exit 2, named" fails 2 "$tmp/nope.so"
run -s "$example" -p "$plugins/bad_abi.so" "$example/trace.csv"
check "bad_abi: exit 1, mentions ABI and the file" \
	fails_data "ABI" "bad_abi.so"
run -s "$example" -p "$plugins/no_symbol.so" "$example/trace.csv"
check "no_symbol: exit 1, names the symbol and the file" \
	fails_data "idn_policy_describe" "no_symbol.so"
run -s "$example" -p "$plugins/null_desc.so" "$example/trace.csv"
check "null_desc: exit 1, names the file" fails_data "null_desc.so" "NULL"
echo "not a shared object" > "$tmp/junk.so"
run -s "$example" -p "$tmp/junk.so" "$example/trace.csv"
check "not a shared object: exit 1, names the file" fails_data "junk.so"
mkdir "$tmp/o-overflow"
run -s "$example" -p "$plugins/overflow.so" -o "$tmp/o-overflow/out.csv" \
	"$example/trace.csv"
check "overflow: exit 1, names the node, no output left" \
	fails_clean "$tmp/o-overflow" "'e0'" "budget"
mkdir "$tmp/o-failing"
run -s "$example" -p "$plugins/failing.so" -o "$tmp/o-failing/out.csv" \
	"$example/trace.csv"
check "failing: exit 1, passes the plugin's message, no output left" \
	fails_clean "$tmp/o-failing" "deliberate failure after slot 0"
saved=$IDN_POLICY_PATH
IDN_POLICY_PATH="$tmp/nowhere:$plugins"
run -s "$example" -p failing "$example/trace.csv"
IDN_POLICY_PATH=$saved
check "a name is searched along IDN_POLICY_PATH" \
	fails_data "deliberate failure"
run -s "$example" -p lru -O bogus=1 "$example/trace.csv"
check "lru -O bogus=1: exit 2, names the option" fails 2 "bogus"
run -p lru --list-options
check "--list-options lru: name and summary on stdout" eval \
	'succeeds && head -n 1 "$tmp/out" | grep -q "^lru: .*LRU"'
if [ -e "$IDN_POLICY_PATH/infida.so" ]; then
	run -s "$example" -p infida -O bogus=1 "$example/trace.csv"
	check "infida -O bogus=1: exit 2, lists the known options" \
		fails 2 "bogus" "eta" "refresh"
	run -p infida --list-options
	check "--list-options infida: every option with its default" eval \
		'succeeds && has "$tmp/out" "eta=auto" "horizon=1000" \
		 "refresh=1" "rounding=depround"'
fi

# --- capacity shares: infinite capacities take a fast path ----------------------
# With every capacity inf the engine fills l = r directly (SPEC 4); with
# every capacity 1e300 the general formula runs and must give the same
# l = r * min(1, 1e300 * D / S) = r, so the two runs agree byte for byte.
capacity_as() {   # capacity_as VALUE DIR: the example with that capacity
	mkdir -p "$2"
	cp "$example"/*.csv "$2/"
	awk -F, -v OFS=, -v c="$1" 'NR > 1 { $4 = c } { print }' \
		"$example/profiles.csv" > "$2/profiles.csv"
}
capacity_as inf "$tmp/cap-inf"
capacity_as 1e300 "$tmp/cap-big"
for p in static lru greedy infida; do
	[ -e "$IDN_POLICY_PATH/$p.so" ] || continue
	for c in inf big; do
		"$prog" -s "$tmp/cap-$c" -p "$p" --slot 1 "$example/trace.csv" \
			> "$tmp/cap-$c.$p" 2> "$tmp/err" || : > "$tmp/cap-$c.$p"
	done
	check "$p: capacities inf and 1e300 give the same run" eval \
		'[ "$(rows "$tmp/cap-inf.$p")" -gt 0 ] &&
		 cmp "$tmp/cap-inf.$p" "$tmp/cap-big.$p"'
done

tap_end
