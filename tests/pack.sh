#!/bin/sh
# pack.sh - TAP tests of idn-pack and of replaying packed traces: every
# policy gives the same per-slot output from the packed trace as from the
# CSV it was made from, and bad input fails cleanly.
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/taplib.sh"
tap_init pack
prog="$tools/idn-pack"
replay="$tools/idn-replay"
example="$top_srcdir/tests/data/example"
tree="$top_srcdir/traces/tree-small"

# same SCENARIO CSV PACKED POLICY SLOT: the per-slot outputs are equal
same() {
	"$replay" -s "$1" -p "$4" --slot "$5" -o "$tmp/a.csv" "$2" &&
	"$replay" -s "$1" -p "$4" --slot "$5" -o "$tmp/b.csv" "$3" &&
	cmp "$tmp/a.csv" "$tmp/b.csv" && [ "$(wc -l < "$tmp/a.csv")" -gt 1 ]
}

# the worked example (a count column), and a generated trace of several
# thousand slots (many hand-overs between the reading thread and the
# engine) on the shipped tree
run -o "$tmp/ex.idnpack" "$example/trace.csv"
check "pack the example: exit 0, nothing on stdout" \
	eval '[ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ] && [ -s "$tmp/ex.idnpack" ]'
"$tools/idn-gen" --scenario "$tree" --rate 20 --duration 3000 --seed 3 \
	-o "$tmp/tree.csv.gz"
"$prog" "$tmp/tree.csv.gz" > "$tmp/tree.idnpack"
for p in static lru lfu greedy infida; do
	check "$p: example, packed = CSV" \
		same "$example" "$example/trace.csv" "$tmp/ex.idnpack" "$p" 1
	check "$p: tree-small, packed = CSV" \
		same "$tree" "$tmp/tree.csv.gz" "$tmp/tree.idnpack" "$p" 0.5
done

# a bad row: the CSV reader's message, and no output file
printf 'time,source,task\n0,a0,cls\n1,a0\n' > "$tmp/bad.csv"
run -o "$tmp/bad.idnpack" "$tmp/bad.csv"
check "bad row: exit 1 naming file and line, no output file" eval \
	'failed 1 ".*bad.csv:3: row: 2 fields" && [ ! -e "$tmp/bad.idnpack" ]'
# an unknown task is the replay's business, with the line of the record
printf 'time,source,task\n0,a0,cls\n1,a0,nosuch\n' > "$tmp/unk.csv"
"$prog" -o "$tmp/unk.idnpack" "$tmp/unk.csv"
prog=$replay
run -s "$example" -p static "$tmp/unk.idnpack"
check "unknown task in a packed trace: exit 1 with its line" \
	failed 1 ".*unk.idnpack:3: task: unknown task .nosuch."
printf 'time,source,task\n0,a0,cls\n1,zz,cls\n' > "$tmp/uns.csv"
"$tools/idn-pack" -o "$tmp/uns.idnpack" "$tmp/uns.csv"
run -s "$example" -p static "$tmp/uns.idnpack"
check "unknown source in a packed trace: exit 1 with its line" \
	failed 1 ".*uns.idnpack:3: source: unknown node .zz."
# a truncated packed trace
head -c 100 "$tmp/ex.idnpack" > "$tmp/cut.idnpack"
run -s "$example" -p static "$tmp/cut.idnpack"
check "truncated packed trace: exit 1" \
	failed 1 ".*cut.idnpack: packed trace: no end mark"
# a packed trace through a named pipe: refused with a clear message (it
# is mapped), and the pipe's first bytes not eaten by the format check
mkfifo "$tmp/fifo"
# (the writer is killed after the replay: if the replay failed before
# opening the pipe, the writer would wait for it for ever; and the replay
# has a time limit: one that opened the pipe twice would wait for ever)
cat "$tmp/ex.idnpack" > "$tmp/fifo" & writer=$!
run_wrap="timeout 20"
run -s "$example" -p static "$tmp/fifo"
run_wrap=
kill "$writer" 2> /dev/null; wait "$writer" 2> /dev/null
check "packed trace through a pipe: exit 1, must be a file" \
	failed 1 ".*fifo: a packed trace must be given as a file"
# ... while a CSV trace through a pipe still reads whole
cat "$example/trace.csv" > "$tmp/fifo" & writer=$!
timeout 20 "$replay" -s "$example" -p static --slot 1 -o "$tmp/p.csv" \
	"$tmp/fifo"
kill "$writer" 2> /dev/null; wait "$writer" 2> /dev/null
"$replay" -s "$example" -p static --slot 1 -o "$tmp/f.csv" "$example/trace.csv"
check "CSV trace through a pipe: as from the file" cmp "$tmp/p.csv" "$tmp/f.csv"
prog="$tools/idn-pack"

run --help
check "--help: exit 0, usage on stdout" eval \
	'[ "$rc" -eq 0 ] && grep -q "^Usage: idn-pack" "$tmp/out"'
run --version
check "--version: exit 0" eval '[ "$rc" -eq 0 ] && grep -q idn-pack "$tmp/out"'
run
check "no TRACE: exit 2" failed 2 ".*no TRACE"
run -o "$tmp/x.idnpack" a b
check "two TRACEs: exit 2, no output file" eval \
	'failed 2 ".*one TRACE only" && [ ! -e "$tmp/x.idnpack" ]'
tap_end
