#!/bin/sh
# The man page's KEYS section against the key table (src/ui/keys.c, printed
# by tests/keys_dump): one .TP entry per key, in the table's order, tagged
# with the key's name, and each key that applies only in some modes says
# which in parentheses, e.g. "(recordings)".
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$RT_BUILDDIR/tests/keys_dump" man >"$tmp/table" || bail_out "keys_dump failed"

# Each KEYS entry as TAG<TAB>TEXT: the tag rendered as the reader sees it
# (.B/.BR arguments, quotes gone, \- as -), the text its body on one line.
awk '
function render(line,    macro, out, tok, sep) {
	macro = line
	sub(/ .*/, "", macro)
	sub(/^\.[A-Z]+ */, "", line)
	sep = (macro == ".B" || macro == ".I") ? " " : ""
	out = ""
	while (line != "") {
		if (substr(line, 1, 1) == "\"") {
			line = substr(line, 2)
			tok = line
			sub(/".*/, "", tok)
			line = substr(line, length(tok) + 2)
		} else {
			tok = line
			sub(/ .*/, "", tok)
			line = substr(line, length(tok) + 1)
		}
		sub(/^ +/, "", line)
		out = out (out == "" ? "" : sep) tok
	}
	gsub(/\\-/, "-", out)
	return out
}
function flush() { if (tag != "") print tag "\t" body; tag = ""; body = "" }
/^\.SH KEYS/ { in_keys = 1; next }
in_keys && /^\.SH/ { flush(); in_keys = 0 }
!in_keys { next }
/^\.TP/ { flush(); want_tag = 1; next }
want_tag { tag = render($0); want_tag = 0; next }
{ body = body " " $0 }
END { flush() }
' "$RT_SRCDIR/man/routertop.1" >"$tmp/man"

same_keys() {
	cut -f1 "$tmp/table" >"$tmp/want"
	cut -f1 "$tmp/man" >"$tmp/got"
	diff "$tmp/want" "$tmp/got" >"$tmp/diff" && return 0
	echo "# the man page's KEYS tags (+) differ from the key table (-):"
	sed 's/^/#   /' "$tmp/diff"
	return 1
}
check "the man page's KEYS section names the table's keys, in order" same_keys

# modes_said NAME MODES: the entry for NAME says "(MODES" in its text.
modes_said() {
	awk -F '\t' -v name="$1" '$1 == name { print $2 }' "$tmp/man" | grep -qF "($2" && return 0
	echo "# the entry for '$1' does not say ($2...)"
	return 1
}
tab=$(printf '\t')
while IFS="$tab" read -r name modes; do
	[ -n "$modes" ] && check "man: '$name' says it is for $modes" modes_said "$name" "$modes"
done <"$tmp/table"
done_testing
