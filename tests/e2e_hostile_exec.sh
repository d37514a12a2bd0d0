#!/bin/sh
# A hostile command (`watch --exec`): its stderr and the strings of the JSON
# it prints carry escape sequences, C1 controls, bad UTF-8 and a
# right-to-left override. Standard output, standard error and the
# recording stay clean; the screen shows the words inert and keeps its title.
. "$RT_SRCDIR/tests/hostile_lib.sh"

printf '%s' "$hostile" >"$e2e_tmp/hostile.txt"
sed "s/\"Service healthy\"/\"$(printf '%s' "$hostile_json" | sed 's/[&/\]/\\&/g')\"/" \
	"$RT_SRCDIR/data/samples/healthy.json" >"$e2e_tmp/hostile.json"
grep -q PWNED "$e2e_tmp/hostile.json" || bail_out "no hostile sample (healthy.json changed?)"
fail_cmd="cat '$e2e_tmp/hostile.txt' >&2; exit 1"
json_cmd="cat '$e2e_tmp/hostile.json'"

stderr_once() {
	"$RT_BIN" watch --exec "$fail_cmd" --once --format nagios >"$e2e_tmp/o1" 2>"$e2e_tmp/e1"
	[ $? -eq 3 ] && clean "$e2e_tmp/o1" && clean "$e2e_tmp/e1" &&
	grep -q '^routertop: command exited with status 1:  \]0;PWNED' "$e2e_tmp/e1" &&
	! grep -q '|' "$e2e_tmp/o1"
}
check "command stderr: reported clean, nagios line without '|'" stderr_once

json_formats() {
	for fmt in text json csv nagios; do
		"$RT_BIN" watch --exec "$json_cmd" --once --format $fmt --record "$e2e_tmp/rec" \
			>"$e2e_tmp/o.$fmt" 2>"$e2e_tmp/e.$fmt" || [ $? -le 2 ] || return 1
		clean "$e2e_tmp/o.$fmt" || return 1
		[ ! -s "$e2e_tmp/e.$fmt" ] || { cat "$e2e_tmp/e.$fmt"; return 1; }
	done
	grep -q '" \]0;PWNED ' "$e2e_tmp/o.text" && grep -q 'desrever  | fake' "$e2e_tmp/o.json"
}
check "command JSON strings: every format clean" json_formats
check "command JSON strings: the recording clean" clean "$e2e_tmp/rec"
check "command JSON strings: the recording keeps them defanged" grep -q ' \]0;PWNED ' "$e2e_tmp/rec"

start_shell 160 40 || bail_out "no shell in the pane"
T select-pane -t "$cur" -T rt-untouched
printf '%s' "$fail_cmd" >"$e2e_tmp/cmd"
shell_type "env LC_ALL=C.UTF-8 TERM=xterm-256color $RT_BIN watch --exec \"\$(cat $e2e_tmp/cmd)\" --interval 0.5; echo EXIT=\$?"
check "screen: the command's stderr shows, defanged" wait_for 'status 1:  \]0;PWNED  \[31mred'
check "screen: the title is unchanged" test "$(title)" = rt-untouched
pane >"$e2e_tmp/pane"
check "screen: the pane is clean" clean "$e2e_tmp/pane"
check "q exits 0" quit_ok
done_testing
