#!/bin/sh
# Signals and the terminal afterwards: the program runs from a shell in the
# pane; SIGTERM, Ctrl-C (SIGINT), SIGHUP, SIGQUIT and SIGUSR1 each end it
# with status 0, and the terminal is sane again: cooked with echo (stty),
# the normal screen, the cursor shown, and the shell usable. Every command
# is typed at a fresh prompt and read back after its end marker
# (shell_run in e2e_lib.sh).
. "$RT_SRCDIR/tests/e2e_lib.sh"

# The program's pid: the child of the pane's shell.
program_pid() {
	shpid=$(T display-message -p -t "$cur" '#{pane_pid}')
	ps -o pid= --ppid "$shpid" | tr -d ' '
}

signal_test() {
	sig=$1
	start_shell || return 1
	shell_type "env LC_ALL=C.UTF-8 TERM=xterm-256color $RT_BIN; echo EXIT=\$?"
	wait_for "Circuit breaker" || return 1
	if [ "$sig" = INT ]; then
		press C-c
	else
		pid=$(program_pid)
		[ -n "$pid" ] || { echo "# no program under the pane's shell"; return 1; }
		kill -"$sig" "$pid"
	fi
	shell_wait && has_line "^EXIT=0$" || return 1
	sane || return 1
	# The typed command echoes after the prompt (the tty's echo is back) and its output shows.
	shell_run "echo ALIVE" && has_line '^\$ echo ALIVE;' && has_line '^ALIVE$'
}
for sig in TERM INT HUP QUIT USR1; do
	check "SIG$sig: exit 0, a sane terminal and a usable shell" signal_test $sig
done
done_testing
