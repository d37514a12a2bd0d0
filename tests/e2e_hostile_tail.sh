#!/bin/sh
# A hostile access log (`routertop tail`): request paths and user agents
# carry escape sequences, C1 controls, bad UTF-8 and a right-to-left
# override, and a bad line carries them too. Rows by path come out clean in
# every format, the nagios line without a forged '|'.
. "$RT_SRCDIR/tests/hostile_lib.sh"

# The hostile text without its spaces and quote-free, so it stays one path.
h=$(printf '%s' "$hostile" | tr -d ' ')
for i in 1 2 3; do
	printf '127.0.0.1 - - [27/Nov/2026:10:00:0%s +0000] "GET /%s HTTP/1.1" 200 12 "-" "%s"\n' \
		"$i" "$h" "$h"
done >"$e2e_tmp/access.log"
printf 'not a log line %s\n' "$hostile" >>"$e2e_tmp/access.log"

formats() {
	for fmt in text json csv nagios; do
		"$RT_BIN" tail "$e2e_tmp/access.log" --log-format combined --by path --once \
			--format $fmt >"$e2e_tmp/o.$fmt" 2>"$e2e_tmp/e.$fmt"
		clean "$e2e_tmp/o.$fmt" || return 1
		[ ! -s "$e2e_tmp/e.$fmt" ] || clean "$e2e_tmp/e.$fmt" || return 1
	done
	grep -q '/ \]0;PWNED  \[31mred' "$e2e_tmp/o.csv"
}
check "rows named by hostile paths: every format clean, the names defanged" formats
check "nagios: no perfdata forged from a path's '|'" sh -c "[ \$(tr -cd '|' <'$e2e_tmp/o.nagios' | wc -c) -le 1 ]"
done_testing
