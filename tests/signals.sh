#!/bin/sh
# signals.sh - TAP tests: a signal or a write error leaves no partial output.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Signals.  idn-replay reads a big generated trace from a FIFO whose write
# end this script holds open, so the replay is certainly mid-run (output
# temporary created, rows written, waiting for more input) when it gets
# SIGINT, SIGTERM or SIGHUP; idn-gen is killed while writing a trace that
# would take minutes.  Afterwards the process must have died of that
# signal, and the output directory must hold neither OUT nor OUT.tmp.*
# (or, when OUT existed before, the old OUT unchanged).
#
# A non-interactive shell starts background jobs with SIGINT ignored, and
# the tools keep an ignored signal ignored (as nohup expects), so the jobs
# are started through `env --default-signal` (GNU coreutils >= 8.31);
# without it the SIGINT cases are skipped.
#
# Write errors.  Every tool writing to /dev/full, through -o or standard
# output, must exit 1 with one line on stderr.
#
. "${top_srcdir:-.}/tests/taplib.sh"
tap_init signals
scenario="$top_srcdir/traces/tree-small"
example="$top_srcdir/tests/data/example"

if env --default-signal=INT true 2> /dev/null; then
	defsig="env --default-signal=INT,TERM,HUP"
else
	defsig=
fi

signum() { case $1 in HUP) echo 1 ;; INT) echo 2 ;; TERM) echo 15 ;; esac; }

# wait_for GLOB: up to 10 s for a file matching GLOB to appear.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		# shellcheck disable=SC2086  # GLOB is expanded on purpose
		for f in $1; do [ -e "$f" ] && return 0; done
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# died_clean PID SIG DIR [OLD]: PID dies of SIG and DIR holds nothing but,
# when OLD is given, out.csv with OLD's bytes.
died_clean() {
	i=0
	while kill -0 "$1" 2> /dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$1" 2> /dev/null; then
		kill -s KILL "$1"
		wait "$1"
		echo "still running 10 s after SIG$2"
		return 1
	fi
	wait "$1"
	st=$?
	[ "$st" -eq $((128 + $(signum "$2"))) ] ||
		{ echo "exit status $st, not killed by SIG$2"; return 1; }
	if [ $# -ge 4 ]; then
		[ "$(ls -A "$3")" = out.csv ] && cmp -s "$3/out.csv" "$4" ||
			{ echo "left: $(ls -A "$3")"; return 1; }
	else
		[ -z "$(ls -A "$3")" ] || { echo "left: $(ls -A "$3")"; return 1; }
	fi
}

# --- a big trace, replayed from a FIFO that never ends -----------------------
big="$tmp/big.csv.gz"
"$tools/idn-gen" --scenario "$scenario" --rate 20 --duration 2000 --seed 7 \
	-o "$big" || exit 99
old="$tmp/old.csv"
echo "previous contents" > "$old"

# replay_killed SIG OUTNAME [OLD]
replay_killed() {
	sig=$1
	d="$tmp/replay-$sig-$2"
	mkdir "$d"
	[ $# -ge 3 ] && cp "$3" "$d/out.csv"
	rm -f "$tmp/fifo"
	mkfifo "$tmp/fifo"
	$defsig "$tools/idn-replay" --scenario "$scenario" --policy lru \
		--slot 1 -o "$d/$2" "$tmp/fifo" 2> "$tmp/err" &
	pid=$!
	exec 3> "$tmp/fifo"
	gzip -dc "$big" >&3
	# The header has been read, so the temporary exists; give the
	# replay time to chew through the rows before it is killed.
	wait_for "$d/$2.tmp.*" || echo "no temporary appeared"
	sleep 0.5
	kill -s "$sig" "$pid"
	if [ $# -ge 3 ]; then died_clean "$pid" "$sig" "$d" "$3"
	else died_clean "$pid" "$sig" "$d"; fi
	st=$?
	exec 3>&-
	return $st
}

check "idn-replay -o: SIGTERM mid-run leaves no output, no temporary" \
	replay_killed TERM out.csv
check "idn-replay -o .gz: SIGTERM mid-run leaves nothing" \
	replay_killed TERM out.csv.gz
check "idn-replay -o: SIGHUP mid-run leaves nothing" replay_killed HUP out.csv
check "idn-replay -o: SIGTERM keeps an existing output unchanged" \
	replay_killed TERM out.csv "$old"
if [ -n "$defsig" ]; then
	check "idn-replay -o: SIGINT mid-run leaves no output, no temporary" \
		replay_killed INT out.csv
	check "idn-replay -o: SIGINT keeps an existing output unchanged" \
		replay_killed INT out.csv "$old"
else
	skip "idn-replay -o: SIGINT mid-run" "no env --default-signal"
	skip "idn-replay -o: SIGINT keeps an existing output" \
		"no env --default-signal"
fi

# --- idn-gen killed while writing ------------------------------------------------
gen_killed() {
	sig=$1
	d="$tmp/gen-$sig"
	mkdir "$d"
	$defsig "$tools/idn-gen" --scenario "$scenario" --rate 100 \
		--duration 1e7 --level 0 -o "$d/out.csv" 2> "$tmp/err" &
	pid=$!
	wait_for "$d/out.csv.tmp.*" || echo "no temporary appeared"
	sleep 0.3
	kill -s "$sig" "$pid"
	died_clean "$pid" "$sig" "$d"
}
check "idn-gen -o: SIGTERM leaves no output, no temporary" gen_killed TERM
if [ -n "$defsig" ]; then
	check "idn-gen -o: SIGINT leaves no output, no temporary" gen_killed INT
else
	skip "idn-gen -o: SIGINT" "no env --default-signal"
fi

# --- write errors ------------------------------------------------------------------
# write_error PROG ARGS...: with stdout on /dev/full, exit 1 and one line
# "PROG: ..." on stderr.
write_error() {
	prog=$1
	shift
	st=0
	"$tools/$prog" "$@" > /dev/full 2> "$tmp/err" < /dev/null || st=$?
	[ "$st" -eq 1 ] || { echo "exit $st, expected 1"; return 1; }
	[ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q "^$prog: " "$tmp/err" ||
		{ echo "stderr:"; cat "$tmp/err"; return 1; }
}
if [ -w /dev/full ]; then
	r="--scenario $example --policy lru $example/trace.csv"
	# shellcheck disable=SC2086
	{
	check "idn-replay -o /dev/full" write_error idn-replay $r -o /dev/full
	check "idn-replay > /dev/full" write_error idn-replay $r
	check "idn-replay --summary /dev/full" write_error idn-replay $r \
		-o "$tmp/w.csv" --summary /dev/full
	check "idn-replay --help > /dev/full" write_error idn-replay --help
	check "idn-replay --version > /dev/full" write_error idn-replay --version
	check "idn-replay --list-options > /dev/full" write_error idn-replay \
		--policy lru --list-options
	check "idn-gen -o /dev/full" write_error idn-gen --scenario "$example" \
		-o /dev/full
	check "idn-gen > /dev/full (gzip)" write_error idn-gen \
		--scenario "$example"
	check "idn-gen > /dev/full (plain)" write_error idn-gen \
		--scenario "$example" --level 0
	check "idn-gen --help > /dev/full" write_error idn-gen --help
	check "idn-gen --version > /dev/full" write_error idn-gen --version
	check "idn-scenario tree -o /dev/full" write_error idn-scenario tree \
		--catalog "$top_srcdir/traces/catalog" -o /dev/full
	check "idn-scenario --help > /dev/full" write_error idn-scenario --help
	check "idn-scenario --version > /dev/full" write_error idn-scenario \
		--version
	}
else
	skip "write errors" "no writable /dev/full"
fi

tap_end
