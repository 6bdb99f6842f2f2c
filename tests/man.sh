#!/bin/sh
# man.sh - TAP tests of the manual pages: every page is lint-clean for
# mandoc (skipped when mandoc is not installed), and every long option a
# tool's --help lists is documented in the tool's page.
# SPDX-License-Identifier: GPL-3.0-or-later
. "${top_srcdir:-.}/tests/taplib.sh"
tap_init man
mandir="$top_srcdir/doc/man"
pages=$(cd "$mandir" && ls ./*.[135] | sed 's|^\./||')

# mandoc -Tlint PAGE at every level (STYLE included), quiet when clean,
# with two exceptions that are no fault of a page: a stale mandoc.db of the
# system's pages, and a cross-reference to one of our own pages, which
# mandoc looks up only in the system's manual tree (it ignores -M and
# MANPATH there); such a page is checked to exist here instead.
lint() {
	mandoc -Tlint "$mandir/$1" 2>&1 | grep -v 'outdated mandoc.db' |
	while IFS= read -r line; do
		xr=$(printf '%s\n' "$line" | sed -n \
		     's/.*STYLE: referenced manual not found: Xr \([^ ]*\) \([1-9]\).*/\1.\2/p')
		[ -n "$xr" ] && [ -f "$mandir/$xr" ] && continue
		printf '%s\n' "$line"
	done | grep .
	[ $? -ne 0 ]
}

for p in $pages; do
	if command -v mandoc > /dev/null 2>&1; then
		check "mandoc -Tlint $p" lint "$p"
	else
		skip "mandoc -Tlint $p" "mandoc not installed"
	fi
done

# documented TOOL: the long options --help lists (lines "  -x, --name" or
# "  --name", not options of other programs quoted in the text) all appear
# in TOOL.1 as ".Fl -name" (mdoc) or "\-\-name" (man).
documented() {
	prog="$tools/$1"
	[ -x "$prog" ] || { echo "no $prog"; return 1; }
	missing=
	for name in $("$prog" --help | sed -n \
	    's/^ *\(-[A-Za-z0-9], *\)\{0,1\}--\([a-z][a-z0-9-]*\).*/\2/p'); do
		grep -q -e "Fl -$name\\>" -e "\\\\-\\\\-$name\\>" "$mandir/$1.1" ||
			missing="$missing --$name"
	done
	[ -z "$missing" ] || { echo "undocumented:$missing"; return 1; }
}
for p in $pages; do
	case $p in
	idn-*.1) check "${p%.1}: options of --help in $p" documented "${p%.1}" ;;
	esac
done

tap_end
