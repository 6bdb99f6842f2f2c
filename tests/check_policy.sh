#!/bin/sh
# check_policy.sh - TAP tests of idn-check-policy: every shipped policy
# passes, each deliberately broken test plugin is reported with its own
# violation, the report follows the seed, and the usual CLI conventions.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The harness exports top_builddir and IDN_POLICY_PATH (defaults for a run
# by hand from a build tree).  The broken plugins are in tests/plugins.
set -u
top_builddir=${top_builddir:-.}
IDN_POLICY_PATH=${IDN_POLICY_PATH:-$top_builddir/policies/.libs}
export IDN_POLICY_PATH
prog="$top_builddir/src/tools/idn-check-policy"
plugins="$top_builddir/tests/plugins/.libs"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-policy-test.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
n=0
K=8      # scenarios per run
T=20     # slots per scenario

ok() {      # ok DESCRIPTION COMMAND...: one TAP line from COMMAND's status
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		sed 's/^/# /' "$tmp/out" "$tmp/err" 2>/dev/null | head -8
	fi
}

run() {     # run ARGS...: stdout in $tmp/out, stderr in $tmp/err, $rc
	rc=0
	"$prog" "$@" > "$tmp/out" 2> "$tmp/err" || rc=$?
}

# passes: exit 0, K scenarios each "ok" with exactly T slots (so the
# generated trace spans T slots), and the PASS line.
passes() {
	[ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ] || return 1
	[ "$(grep -c "^scenario [0-9]*: .*: ok, [0-9]* vars, $T slots," \
	     "$tmp/out")" -eq "$K" ] || return 1
	grep -q "^summary: $K scenarios, 0 with a violation$" "$tmp/out" &&
	grep -q '^result: PASS$' "$tmp/out"
}

# violates KIND: exit 1, at least one violation, all of them of KIND, and
# the FAIL line.
violates() {
	[ "$rc" -eq 1 ] || { echo "# exit $rc"; return 1; }
	all=$(grep -c 'VIOLATION' "$tmp/out")
	mine=$(grep -c "VIOLATION $1: " "$tmp/out")
	[ "$all" -ge 1 ] && [ "$all" -eq "$mine" ] &&
	grep -q '^result: FAIL$' "$tmp/out"
}

has() {     # has STRING: the report holds STRING (fixed)
	grep -F -q -e "$1" "$tmp/out"
}

# --- the shipped policies ----------------------------------------------------
for p in static lru lfu greedy infida offline; do
	run --scenarios $K --slots $T "$p"
	ok "$p passes $K random scenarios" passes
done

# --- broken plugins: each caught, with the right name ------------------------
run --scenarios $K --slots $T "$plugins/overflow.so"
ok "overflow: budget overflow" violates "budget overflow"
ok "overflow: the node and its load are named" has "holds "

run --scenarios $K --slots $T "$plugins/failing.so"
ok "failing: callback failed" violates "callback failed"
ok "failing: the policy's message is passed on" \
	has "update failed: deliberate failure after slot 0"

run --scenarios $K --slots $T "$plugins/nondet.so"
ok "nondet (rand and clock): non-deterministic" violates "non-deterministic"
ok "nondet: every scenario is caught" \
	has "summary: $K scenarios, $K with a violation, non-deterministic $K"

run --scenarios 3 --slots $T "$plugins/crash.so"
ok "crash (NULL dereference): crash" violates "crash"
ok "crash: the signal is named, every scenario still runs" \
	has "summary: 3 scenarios, 3 with a violation, crash 3"
# Under ASan (IDN_SANITIZERS set by the harness) without handle_segv=0 the
# runtime catches the SIGSEGV, reports it and exits instead.
segv() {
	has "killed by signal 11" ||
	{ [ -n "${IDN_SANITIZERS:-}" ] && has "exited with status"; }
}
ok "crash: SIGSEGV" segv

run --scenarios 3 --slots $T "$plugins/nonbinary.so"
ok "nonbinary: allocation not 0 or 1" violates "allocation not 0 or 1"

run --scenarios 3 --slots $T "$plugins/past_end.so"
ok "past_end: write past the last var" violates "write past the last var"

run --scenarios 2 --slots $T --timeout 1 "$plugins/hang.so"
ok "hang (update never returns): timeout" violates "timeout"
ok "hang: every scenario is given up after --timeout" \
	has "summary: 2 scenarios, 2 with a violation, timeout 2"

for p in bad_abi:"ABI version 99" no_symbol:"missing symbol idn_policy_describe" \
         null_desc:"returned NULL"; do
	run "$plugins/${p%%:*}.so"
	ok "${p%%:*}: load failed (${p#*:})" violates "load failed"
	ok "${p%%:*}: the reason is given" has "${p#*:}"
done

# --- reproducibility ---------------------------------------------------------
# Times vary; everything else of the report is fixed by the seed.
strip_times() { sed 's/, update mean .*//; /^update time/d' "$1"; }
run --seed 7 --scenarios 4 --slots 10 lru
strip_times "$tmp/out" > "$tmp/a"
run --seed 7 --scenarios 4 --slots 10 lru
strip_times "$tmp/out" > "$tmp/b"
run --seed 8 --scenarios 4 --slots 10 lru
strip_times "$tmp/out" > "$tmp/c"
ok "same seed, same scenarios" cmp -s "$tmp/a" "$tmp/b"
ok "another seed, other scenarios" eval '! cmp -s "$tmp/a" "$tmp/c"'

# --- command line ------------------------------------------------------------
run --help
ok "--help: exit 0, usage on stdout" eval \
	'[ "$rc" -eq 0 ] && grep -q "^Usage: idn-check-policy" "$tmp/out"'
run --version
ok "--version: exit 0, name and version" eval \
	'[ "$rc" -eq 0 ] && grep -q "^idn-check-policy (idnbench) " "$tmp/out"'

# usage ERRWORDS ARGS...: exit 2, nothing on stdout, one line on stderr
usage_error() {
	words=$1
	shift
	run "$@"
	[ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] &&
	[ "$(wc -l < "$tmp/err")" -eq 1 ] &&
	grep -q "^idn-check-policy: .*$words" "$tmp/err"
}
ok "no plugin: usage error" usage_error "missing"
ok "--scenarios 0: usage error" usage_error "at least 1" --scenarios 0 lru
ok "--slots x: usage error" usage_error "slots" --slots x lru
ok "unknown policy name: usage error" usage_error "not found" no-such-policy
ok "two plugins: usage error" usage_error "extra argument" lru lfu
ok "unknown option: usage error" usage_error "unknown option" --bogus lru
ok "--timeout without its value: usage error" usage_error "needs an argument" \
	lru --timeout

run -o "$tmp/report.txt" --scenarios 2 --slots 5 static
ok "-o FILE: report in FILE, nothing on stdout" eval \
	'[ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ] &&
	 grep -q "^result: PASS$" "$tmp/report.txt"'
mkdir "$tmp/t"
TMPDIR="$tmp/t" "$prog" --scenarios 2 --slots 5 "$plugins/crash.so" \
	> /dev/null 2>&1
ok "no temporary file is left behind, even after a crash" eval \
	'[ -z "$(ls -A "$tmp/t")" ]'

echo "1..$n"
