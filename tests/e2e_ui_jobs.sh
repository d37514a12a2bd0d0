#!/bin/sh
# Job control: Ctrl-Z gives the terminal back cooked (the shell's prompt,
# echo on) and fg takes it back with a repainted screen that answers keys;
# SIGSTOP, after which bash puts the terminal back to cooked mode, then fg
# (SIGCONT): the screen takes the terminal back and answers keys again, one
# key at a time with no Enter.
. "$RT_SRCDIR/tests/e2e_lib.sh"

command -v bash >/dev/null 2>&1 || bail_out "bash is not installed"

# bash, which saves and restores the terminal's modes around a stopped job.
# Commands are typed at a fresh prompt (shell_type in e2e_lib.sh).
start_bash() {
	start_shell 80 24 "env PS1='$ ' HISTFILE=/dev/null bash --norc --noprofile"
}

program_pid() {
	shpid=$(T display-message -p -t "$cur" '#{pane_pid}')
	ps -o pid= --ppid "$shpid" | tr -d ' '
}

# cooked: bash says the job stopped, goes on with the typed list (its
# status is 128 + the signal, then the marker) and is back at its prompt;
# stty says the terminal is cooked with echo.
cooked() {
	shell_wait || return 1
	pane -J | grep -q "Stopped .*routertop" || { echo "# no stopped job:"; show_pane; return 1; }
	shell_run "clear; stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ,; echo" || return 1
	pane | grep -q '^icanon,echo,$' && return 0
	echo "# the terminal is not cooked with echo:"
	show_pane
	return 1
}

# back_and_keys: after fg (whose status is the job's), the dashboard is
# repainted and ? opens the help.
back_and_keys() {
	shell_type "clear; fg; echo EXIT=\$?"
	wait_for "Circuit breaker" && press_for "any key closes" '?' && press_gone "any key closes" x
}

ctrl_z() {
	start_bash || return 1
	shell_type "env LC_ALL=C.UTF-8 TERM=xterm-256color $RT_BIN; echo EXIT=\$?"
	wait_for "Circuit breaker" || return 1
	press C-z
	shell_wait || return 1
	[ "$(T display-message -p -t "$cur" '#{alternate_on}')" = 0 ] || { echo "# still on the alternate screen"; return 1; }
	cooked && back_and_keys && quit_ok
}
check "Ctrl-Z: cooked terminal while stopped; fg: repainted, keys answer, q exits 0" ctrl_z

sigstop() {
	start_bash || return 1
	shell_type "env LC_ALL=C.UTF-8 TERM=xterm-256color $RT_BIN; echo EXIT=\$?"
	wait_for "Circuit breaker" || return 1
	pid=$(program_pid)
	[ -n "$pid" ] || { echo "# no program under the pane's shell"; return 1; }
	kill -STOP "$pid"
	cooked && back_and_keys && quit_ok
}
check "SIGSTOP then fg: the screen takes the terminal back, keys answer, q exits 0" sigstop
done_testing
