#!/bin/sh
# Names from the command line echoed in error messages (file names, URLs,
# --listen and --target values, a targets file's values) go through the
# same funnel as a router's words: standard error stays clean, and a
# missing file named with an OSC sequence leaves the terminal's title alone.
. "$RT_SRCDIR/tests/hostile_lib.sh"

h="$hostile"
printf 'p95 = 1%s\n' "$h" >"$e2e_tmp/bad.targets"

refused() { # ARGS...: exit 3, nothing on stdout, a clean message quoting the name
	"$RT_BIN" "$@" >"$e2e_tmp/out" 2>"$e2e_tmp/err"
	rc=$?
	[ $rc -eq 3 ] || { echo "# exit $rc"; return 1; }
	[ ! -s "$e2e_tmp/out" ] && clean "$e2e_tmp/err" && grep -q 'PWNED' "$e2e_tmp/err"
}
check "a missing targets file" refused --targets "$e2e_tmp/$h" --once
check "a missing scenario file" refused sim --scenario "$h" --once
check "a missing recording" refused replay "$e2e_tmp/$h"
check "a missing recording to summarise" refused replay "$e2e_tmp/$h" --once
check "a missing recording to compare" refused compare "$e2e_tmp/$h" "$e2e_tmp/b"
check "a recording that cannot be opened" refused --record "$e2e_tmp/nodir/$h" --once
check "a missing header file" refused watch http://127.0.0.1:1/ --header-file "$e2e_tmp/$h" --once
check "a bad URL" refused watch "ftp://$h/" --once
check "an unreachable URL" refused watch "http://127.0.0.1:1/$h" --once
check "a bad --listen value" refused serve --listen "$h:80"
check "a bad --target value" refused --target "p95=$h" --once
check "a bad value in a targets file" refused --targets "$e2e_tmp/bad.targets" --once
check "a bad --format value" refused --format "$h" --once
check "an unknown option" refused "--$h"

start_shell || bail_out "no shell in the pane"
T select-pane -t "$cur" -T rt-untouched
shell_type "$RT_BIN --targets \"\$(printf '\\033]2;PWNED\\007')\" --once; echo EXIT=\$?"
check "on a terminal: the message shows, defanged" wait_for '^routertop:  \]2;PWNED : No such file'
check "on a terminal: the title is unchanged" test "$(title)" = rt-untouched
done_testing
