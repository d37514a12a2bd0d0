#!/bin/sh
# Job control: Ctrl-Z gives the terminal back cooked (the shell's prompt,
# echo on) and fg takes it back with a repainted screen that answers keys;
# SIGSTOP, after which bash puts the terminal back to cooked mode, then fg
# (SIGCONT): the screen takes the terminal back and answers keys again, one
# key at a time with no Enter.
. "$RT_SRCDIR/tests/e2e_lib.sh"

command -v bash >/dev/null 2>&1 || bail_out "bash is not installed"

# bash, which saves and restores the terminal's modes around a stopped job.
start_bash() {
	new_session -x 80 -y 24 "env PS1='$ ' HISTFILE=/dev/null bash --norc --noprofile"
	wait_for '^\$' >/dev/null
}

program_pid() {
	shpid=$(T display-message -p -t "$cur" '#{pane_pid}')
	ps -o pid= --ppid "$shpid" | tr -d ' '
}

cooked() {
	press "clear; stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ,; echo" Enter
	wait_for '^icanon,echo,$'
}

# back_and_keys: after fg (whose status is the job's), the dashboard is
# repainted and ? opens the help.
back_and_keys() {
	press "clear; fg; echo EXIT=\$?" Enter
	wait_for "Circuit breaker" && press_for "any key closes" '?' && press_gone "any key closes" x
}

ctrl_z() {
	start_bash || return 1
	press "env LC_ALL=C.UTF-8 TERM=xterm-256color $RT_BIN; echo EXIT=\$?" Enter
	wait_for "Circuit breaker" || return 1
	press C-z
	wait_for "Stopped" || return 1
	[ "$(T display-message -p -t "$cur" '#{alternate_on}')" = 0 ] || { echo "# still on the alternate screen"; return 1; }
	cooked && back_and_keys && quit_ok
}
check "Ctrl-Z: cooked terminal while stopped; fg: repainted, keys answer, q exits 0" ctrl_z

sigstop() {
	start_bash || return 1
	press "env LC_ALL=C.UTF-8 TERM=xterm-256color $RT_BIN; echo EXIT=\$?" Enter
	wait_for "Circuit breaker" || return 1
	pid=$(program_pid)
	[ -n "$pid" ] || { echo "# no program under the pane's shell"; return 1; }
	kill -STOP "$pid"
	wait_for "Stopped" || return 1
	cooked && back_and_keys && quit_ok
}
check "SIGSTOP then fg: the screen takes the terminal back, keys answer, q exits 0" sigstop
done_testing
