#!/bin/sh
# sdk.sh - TAP test of the plugin SDK: `make install` into a staging
# directory, build examples/mypolicy outside the tree with nothing but
# pkg-config, and replay traces with it through the installed idn-replay.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The harness exports top_srcdir, top_builddir (see tests/taplib.sh), MAKE
# and PKG_CONFIG (default make and pkg-config).  Nothing is written outside
# a temporary directory: the source tree may be read-only (make distcheck).
. "${top_srcdir:-.}/tests/taplib.sh"
tap_init sdk
MAKE=${MAKE:-make}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
example="$top_srcdir/tests/data/example"
root="$tmp/root"
# Only what each check sets: the installed idn-replay has its own default.
unset IDN_POLICY_PATH

# give_up REASON: the remaining checks cannot run
give_up() {
	echo "# giving up: $1"
	tap_end
	exit 1
}

# --- install into $root (DESTDIR) --------------------------------------------
# The outer make's job server and flags are not ours to use.
install_tree() {
	(unset MAKEFLAGS MFLAGS MAKELEVEL
	 cd "$top_builddir" && $MAKE install DESTDIR="$root") > "$tmp/install.log" 2>&1 ||
		{ tail -n 20 "$tmp/install.log"; return 1; }
}
check "make install DESTDIR=..." install_tree
pc=$(find "$root" -name idnbench.pc -path '*/pkgconfig/*' | head -n 1)
[ -n "$pc" ] || give_up "no idnbench.pc installed"

# pkg-config sees the staged tree through its sysroot: -I and -L point
# into $root.  pkgconf also prefixes variables, pkg-config does not.
PKG_CONFIG_PATH=$(dirname "$pc")
PKG_CONFIG_SYSROOT_DIR=$root
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
unset PKG_CONFIG_LIBDIR
staged() {  # staged VAR: the installed location of pkg-config variable VAR
	v=$($PKG_CONFIG --variable="$1" idnbench) || return 1
	case $v in "$root"/*) ;; *) v=$root$v ;; esac
	echo "$v"
}
policydir=$(staged policydir)
libdir=$(staged libdir)
prefix=$(staged prefix)
bindir=$prefix/bin
pkgdatadir=$(staged pkgdatadir)

installed_files() {
	for f in "$policydir/static.so" "$policydir/lru.so" "$policydir/infida.so" \
		"$prefix/include/idnbench/policy.h" \
		"$prefix/include/idnbench/learn.h" \
		"$pkgdatadir/plots/summary.gp" "$pkgdatadir/plots/common.gp" \
		"$pkgdatadir/traces/tree-small/nodes.csv" \
		"$pkgdatadir/traces/catalog/models.csv" \
		"$prefix/share/man/man1/idn-replay.1" \
		"$prefix/share/man/man3/idnbench-policy.3" \
		"$prefix/share/man/man5/idnbench-trace.5" \
		"$bindir/idn-replay" "$bindir/idn-gen" "$bindir/idn-scenario"; do
		[ -f "$f" ] || { echo "missing $f"; return 1; }
	done
	# policies are loaded as NAME.so: no libtool archives beside them
	! ls "$policydir" | grep -q '\.la$' ||
		{ echo ".la files in $policydir"; return 1; }
}
check "installed: policies (no .la), headers, data, plots, man pages" \
	installed_files

# The staged binaries need the staged library (their run path is the final
# one, which need not exist yet).
LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
replay="$bindir/idn-replay"

# The policy directory is compiled into idn-replay (IDN_POLICYDIR): its
# --help names the directory idnbench.pc gives, without the staging root.
baked_policydir() {
	d=$(unset PKG_CONFIG_SYSROOT_DIR; $PKG_CONFIG --variable=policydir idnbench)
	"$replay" --help > "$tmp/help" && grep -q -F -e "$d" "$tmp/help" ||
		{ echo "policydir $d not in idn-replay --help"; return 1; }
}
check "installed idn-replay looks in pkg-config's policydir" baked_policydir

# --- the example policy, built out of tree -------------------------------------
cp -R "$top_srcdir/examples/mypolicy" "$tmp/mypolicy" && chmod -R u+w "$tmp/mypolicy"
build_example() {
	(unset MAKEFLAGS MFLAGS MAKELEVEL
	 $MAKE -C "$tmp/mypolicy" PKG_CONFIG="$PKG_CONFIG") &&
		[ -f "$tmp/mypolicy/mypolicy.so" ]
}
check "examples/mypolicy builds with pkg-config --cflags --libs idnbench" \
	build_example
[ -f "$tmp/mypolicy/mypolicy.so" ] || give_up "no mypolicy.so"

# The worked example (tests/data/example), by hand.  Vars: (a0,small),
# (e0,small), (e0,big).  Type (cls,a0) costs: e0/big 40, e0/small 45,
# a0/small 50, c0/big 80 (pinned); type (cls,a1): e0/big 36, e0/small 41,
# c0/big 76.  Slot 0 runs on the pinned models only: gain 0, max_gain
# 30*40 + 10*40 = 1600.  After it, a0 keeps small (its only var), e0 keeps
# its cheapest cls model, big (200 MB, its whole budget): update 250 MB in
# slot 1, and one task kept at each of the two nodes.  Slot 1 (5 from a0)
# and slot 2 (20 from a1) go to e0/big (capacity 25/s): gains 5*40 = 200
# and 20*40 = 800, equal to max_gain.
want_header=slot,requests,gain,max_gain,fractional_gain,latency_ms,accuracy,update_mb,served_access,served_edge,served_cloud,tasks_kept
by_path() {
	"$replay" -s "$example" -p "$tmp/mypolicy/mypolicy.so" \
		--summary "$tmp/sum.csv" "$example/trace.csv" \
		> "$tmp/path.csv" || return 1
	[ "$(head -n 1 "$tmp/path.csv")" = "$want_header" ] || return 1
	[ "$(awk -F, 'NR > 1 { printf "%s/%s/%s/%s/%s ", $1, $3, $4, $8, $12 }' \
	     "$tmp/path.csv")" = "0/0/1600/0/2 1/200/200/250/2 2/800/800/0/2 " ]
}
check "replay by path: header, one row per slot, hand-computed gains" by_path

by_env() {
	IDN_POLICY_PATH="$tmp/nowhere:$tmp/mypolicy" \
		"$replay" -s "$example" -p mypolicy "$example/trace.csv" \
		> "$tmp/env.csv" && cmp "$tmp/path.csv" "$tmp/env.csv"
}
check "replay by name through IDN_POLICY_PATH: same output" by_env

list_options() {
	"$replay" -p "$tmp/mypolicy/mypolicy.so" --list-options \
		> "$tmp/opts" &&
		grep -q '^mypolicy: ' "$tmp/opts" && grep -q 'top' "$tmp/opts"
}
check "--list-options shows the example's option" list_options

# top=1 on the example changes nothing (one task); a bad value is refused
# by the plugin's own parsing, as a usage error.
bad_option() {
	rc=0
	"$replay" -s "$example" -p "$tmp/mypolicy/mypolicy.so" -O top=-1 \
		"$example/trace.csv" > "$tmp/out" 2> "$tmp/err" || rc=$?
	cat "$tmp/err"
	[ "$rc" -eq 2 ] && grep -q 'option top' "$tmp/err"
}
check "-O top=-1: exit 2, message names the option" bad_option

# --- a generated trace on the installed scenario: one row per slot ---------
scen="$pkgdatadir/traces/tree-small"
gen_replay() {
	"$bindir/idn-gen" --scenario "$scen" --rate 2 --duration 95 --seed 7 \
		--level 0 -o "$tmp/trace.csv" &&
	IDN_POLICY_PATH="$tmp/mypolicy" "$replay" -s "$scen" -p mypolicy \
		--slot 10 -o "$tmp/tree.csv" "$tmp/trace.csv"
}
check "installed idn-gen | idn-replay -p mypolicy on tree-small" gen_replay

# slots = floor((last time - first time) / 10) + 1, from the trace itself
rows_per_slot() {
	want=$(awk -F, 'NR == 2 { t0 = $1 } NR > 1 { t = $1 }
	       END { print int((t - t0) / 10) + 1 }' "$tmp/trace.csv")
	got=$(awk -F, 'NR > 1 && $1 != NR - 2 { bad = 1 } END { print bad ? -1 : NR - 1 }' \
	      "$tmp/tree.csv")
	head -n 1 "$tmp/tree.csv" | grep -q '^slot,requests,gain,.*,tasks_kept$' &&
		[ "$want" -ge 9 ] && [ "$got" = "$want" ]
}
check "tree-small: header and rows 0..n-1, one per slot" rows_per_slot

# --- the summary's schema column (doc/formats.md) -----------------------------
schema_last() {
	[ "$(head -n 1 "$tmp/sum.csv" | awk -F, '{ print $NF }')" = schema ] &&
	[ "$(sed -n 2p "$tmp/sum.csv" | awk -F, '{ print $NF }')" = 1 ]
}
check "--summary: last column schema, value 1" schema_last

# The summary columns of doc/formats.md's schema table, in order, are the
# header idn-replay writes.
documented_summary() {
	doc=$(sed -n 's/^| summary | `idn-replay --summary` | `\(.*\)` |$/\1/p' \
	      "$top_srcdir/doc/formats.md")
	[ -n "$doc" ] && [ "$doc" = "$(head -n 1 "$tmp/sum.csv")" ]
}
check "--summary header = the schema table of doc/formats.md" documented_summary

tap_end
