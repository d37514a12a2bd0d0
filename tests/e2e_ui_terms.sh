#!/bin/sh
# Terminal types: frames are written from terminfo (src/ui/term.c), so the
# dashboard is drawn, and the terminal given back, on each common type: the
# boxes in their columns after frames of changes (the charts' braille), colour
# where the type has it and none where it has not, and after q a sane
# terminal. A type that cannot move the cursor is refused with one line.
# A source without rows, so the first box row is Latency and Throughput.
. "$RT_SRCDIR/tests/e2e_lib.sh"

# term_test TYPE colour|mono: the dashboard on TYPE at 80x24, then q.
term_test() {
	type=$1
	start_shell || return 1
	shell_type "clear; env LC_ALL=C.UTF-8 TERM=$type $RT_BIN --scenario $RT_SRCDIR/tests/scenario_norows.json; echo EXIT=\$?"
	wait_for "Circuit breaker" || return 1
	# Two snapshots draw a chart: frames after the first were written as changes.
	wait_braille || return 1
	wait_line 2 "^┌ Latency ms .* ─+┐┌ Throughput ─+┐$" || return 1
	wait_line 2 "^┌.{38}┐┌.{38}┐$" || return 1
	wait_line 3 "^│.{38}││.{38}│$" || return 1
	wait_line 24 "^ q quit " || return 1
	if [ "$2" = colour ]; then
		pane -e | grep -Eq -- "$colour_re" || { echo "# no colour on $type"; return 1; }
	else
		no_match "$colour_re" -e || return 1
	fi
	press q
	# Where there is no alternate screen (linux, vt100) EXIT=0 goes over the key line,
	# under the dashboard's last line, not over its first.
	shell_wait && has_line "^EXIT=0" || return 1
	case $type in
	linux | vt100)
		pane | grep -B1 "^EXIT=0" | head -n 1 | grep -q "^ *data .* old" ||
			{ echo "# EXIT=0 is not under the dashboard on $type"; show_pane; return 1; }
		;;
	esac
	sane
}
for type in xterm-256color screen-256color tmux-256color linux xterm; do
	check "TERM=$type: the dashboard, in colour, and a sane terminal after q" term_test "$type" colour
done
check "TERM=vt100: the dashboard, without colour, and a sane terminal after q" term_test vt100 mono

refused() {
	start_shell || return 1
	shell_run "env LC_ALL=C.UTF-8 TERM=dumb $RT_BIN; echo EXIT=\$?" || return 1
	has_line "^routertop: terminal type 'dumb' cannot move the cursor; use --batch$" &&
		has_line "^EXIT=3$" && sane
}
check "TERM=dumb: refused with one line, exit 3" refused
done_testing
