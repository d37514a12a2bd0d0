#!/bin/sh
# Signals and the terminal afterwards: the program runs from a shell in the
# pane, SIGTERM or Ctrl-C (SIGINT) ends it with status 0, and the shell is
# usable again (the tty echoes what is typed).
. "$RT_SRCDIR/tests/e2e_lib.sh"

signal_test() {
	sig=$1
	start_shell
	wait_for '^\$' >/dev/null || return 1
	press "env LC_ALL=C.UTF-8 TERM=xterm-256color $RT_BIN; echo EXIT=\$?" Enter
	wait_for "Circuit breaker" || return 1
	if [ "$sig" = INT ]; then
		press C-c
	else
		shpid=$(T display-message -p -t "$cur" '#{pane_pid}')
		pid=$(ps -o pid= --ppid "$shpid" | tr -d ' ')
		[ -n "$pid" ] || { echo "# no program under the pane's shell"; return 1; }
		kill -TERM "$pid"
	fi
	wait_for "^EXIT=0$" || return 1
	press "echo AL""IVE" Enter
	# The typed command echoes (the tty's echo is back) and its output shows.
	wait_for "echo ALIVE" && wait_for "^ALIVE$"
}
check "SIGTERM: exit 0 and a usable shell" signal_test TERM
check "SIGINT (Ctrl-C): exit 0 and a usable shell" signal_test INT
done_testing
