#!/bin/sh
# Signals and the terminal afterwards: the program runs from a shell in the
# pane; SIGTERM, Ctrl-C (SIGINT), SIGHUP, SIGQUIT and SIGUSR1 each end it
# with status 0, and the terminal is sane again: cooked with echo (stty),
# the normal screen, the cursor shown, and the shell usable.
. "$RT_SRCDIR/tests/e2e_lib.sh"

# The program's pid: the child of the pane's shell.
program_pid() {
	shpid=$(T display-message -p -t "$cur" '#{pane_pid}')
	ps -o pid= --ppid "$shpid" | tr -d ' '
}

# sane: after the program, the tty is cooked with echo, the screen normal, the cursor on.
sane() {
	[ "$(T display-message -p -t "$cur" '#{alternate_on}')" = 0 ] || { echo "# still on the alternate screen"; return 1; }
	[ "$(T display-message -p -t "$cur" '#{cursor_flag}')" = 1 ] || { echo "# the cursor is hidden"; return 1; }
	press "stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ,; echo" Enter
	wait_for '^icanon,echo,$'
}

signal_test() {
	sig=$1
	start_shell
	wait_for '^\$' >/dev/null || return 1
	press "env LC_ALL=C.UTF-8 TERM=xterm-256color $RT_BIN; echo EXIT=\$?" Enter
	wait_for "Circuit breaker" || return 1
	if [ "$sig" = INT ]; then
		press C-c
	else
		pid=$(program_pid)
		[ -n "$pid" ] || { echo "# no program under the pane's shell"; return 1; }
		kill -"$sig" "$pid"
	fi
	wait_for "^EXIT=0$" || return 1
	sane || return 1
	press "echo AL""IVE" Enter
	# The typed command echoes (the tty's echo is back) and its output shows.
	wait_for "echo ALIVE" && wait_for "^ALIVE$"
}
for sig in TERM INT HUP QUIT USR1; do
	check "SIG$sig: exit 0, a sane terminal and a usable shell" signal_test $sig
done
done_testing
