# Shared by the screen's end-to-end scripts (tests/e2e_ui_*.sh), in the
# style of tmux's regress/: each script is one feature, runs the program in
# a tmux server of its own (`tmux -L NAME -f /dev/null`), and cleans up on
# exit, so a failure in one never cascades into another.
#
# Every wait polls for a positive sign (a pattern on the pane) in a bounded
# loop: up to E2E_WAIT_S seconds (20) in 0.1 s steps. Nothing sleeps a fixed
# time to let the program catch up. After a key press, a check waits for
# something that only the handled key can show: press_for checks that the
# pane does not show it before the key goes in.
#
# Usage:
#   . "$RT_SRCDIR/tests/e2e_lib.sh"
#   start 80 24 [ENV=VALUE ...] [-- ARGS]
#   check "space pauses" press_for "PAUSED" Space
#   check "q exits 0" quit_ok
#   done_testing
. "$RT_SRCDIR/tests/tap.sh"

command -v tmux >/dev/null 2>&1 || bail_out "tmux is not installed (tools/install-deps installs it)"
# Patterns count characters, not bytes; C.UTF-8 is always there.
LC_ALL=C.UTF-8
export LC_ALL

e2e_name=$(basename "$0" .sh)
e2e_sock="rt-$e2e_name-$$"
e2e_tmp=$(mktemp -d)
e2e_polls=$((${E2E_WAIT_S:-20} * 10))

T() { tmux -L "$e2e_sock" -f /dev/null "$@"; }
e2e_cleanup() {
	T kill-server >/dev/null 2>&1
	rm -rf "$e2e_tmp"
}
trap e2e_cleanup EXIT
trap 'exit 1' INT TERM HUP

esc=$(printf '\033')
# A foreground colour escape: ESC [ ... 30-37, 90-97 or 38;... m (39 is "default", not a colour).
colour_re="${esc}\\[([0-9]*;)*(3[0-8]|9[0-7])(;[0-9]+)*m"

# Each start gets a session of its own; the previous one goes only after the
# new one exists, so the server (which exits when it has no session) stays up.
e2e_n=0
cur=""
new_session() {
	e2e_n=$((e2e_n + 1))
	T new-session -d -s "s$e2e_n" "$@" || bail_out "tmux cannot start a session"
	[ -n "$cur" ] && T kill-session -t "$cur" >/dev/null 2>&1
	cur="s$e2e_n"
}

# start W H [ENV=VALUE ...] [-- ARGS]: a fresh session running the program,
# which prints its exit status as EXIT=N when it ends.
start() {
	w=$1 h=$2
	shift 2
	envs=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs="$envs $1"
		shift
	done
	[ "${1:-}" = "--" ] && shift
	new_session -x "$w" -y "$h" \
		"env LC_ALL=C.UTF-8 TERM=xterm-256color $envs $RT_BIN $*; echo EXIT=\$?; sleep 600"
}

# A shell in the pane, for tests that type commands at its prompt. What is
# typed before the shell has printed its prompt echoes ahead of it, and the
# line then reads "$ OUTPUT": so nothing is typed until the prompt shows
# after the previous command's end, which a marker tells apart from every
# earlier prompt.
#   start_shell [W H [COMMAND]]  a fresh session running sh (or COMMAND,
#                   whose prompt must be "$ "); returns once the prompt shows
#   shell_type CMD  types CMD, then a command that prints DONE-N when CMD
#                   has ended (N counts the commands typed in this shell)
#   shell_wait      until DONE-N shows with a prompt on the line after it
#   wait_prompt_after ERE  the same for any line
#   shell_run CMD   shell_type CMD, then shell_wait
e2e_cmds=0
start_shell() {
	if [ $# -ge 3 ]; then
		new_session -x "$1" -y "$2" "$3"
	else
		new_session -x "${1:-80}" -y "${2:-24}" "env PS1='$ ' ENV= sh"
	fi
	e2e_cmds=0
	# The session is new: its only line is the first prompt.
	wait_for '^\$$'
}

shell_type() {
	e2e_cmds=$((e2e_cmds + 1))
	# The marker's text is not in what is typed, so the typed line's echo
	# (which may wrap anywhere) never passes for it.
	press "$1; printf 'DONE-%s\\n' $e2e_cmds" Enter
}

# prompt_after ERE: a line of the pane (wrapped lines joined) matches, and
# the line after it is only the prompt. ERE is an awk regex without
# backslashes.
prompt_after() {
	pane -J 2>/dev/null | awk -v re="$1" '
		{ sub(/ +$/, "") }
		seen { ok = ($0 == "$"); seen = 0 }
		$0 ~ re { seen = 1 }
		END { exit !ok }'
}

# wait_prompt_after ERE: until prompt_after ERE holds: the shell printed
# that, then its prompt, and now reads what is typed next.
wait_prompt_after() {
	i=0
	while [ $i -lt $e2e_polls ]; do
		prompt_after "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# timed out waiting for /$1/ and a prompt after it; the pane shows:"
	show_pane
	return 1
}

shell_wait() { wait_prompt_after "^DONE-$e2e_cmds\$"; }
shell_run() { shell_type "$1" && shell_wait; }

# has_line REGEX: a line of the pane matches (after a shell_wait, so the
# output it looks for is complete).
has_line() {
	pane | grep -Eq -- "$1" && return 0
	echo "# no line matches /$1/; the pane shows:"
	show_pane
	return 1
}

# sane: after the program, the tty is cooked with echo, the screen normal, the cursor on.
sane() {
	[ "$(T display-message -p -t "$cur" '#{alternate_on}')" = 0 ] || { echo "# still on the alternate screen"; return 1; }
	[ "$(T display-message -p -t "$cur" '#{cursor_flag}')" = 1 ] || { echo "# the cursor is hidden"; return 1; }
	shell_run "stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ,; echo" &&
		has_line '^icanon,echo,$'
}

pane() { T capture-pane -p -t "$cur" "$@"; }

show_pane() {
	pane 2>/dev/null | sed 's/^/#   /'
}

press() { T send-keys -t "$cur" "$@"; }

# wait_for PATTERN [capture flags]: until an extended regex matches the pane.
wait_for() {
	pat=$1
	shift
	i=0
	while [ $i -lt $e2e_polls ]; do
		pane "$@" 2>/dev/null | grep -Eq -- "$pat" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# timed out waiting for /$pat/; the pane shows:"
	show_pane
	return 1
}

# wait_line N PATTERN: until line N of the pane (1 is the top) matches an
# extended regex. For order on screen: which row is first, where a row went.
wait_line() {
	n=$1
	pat=$2
	i=0
	while [ $i -lt $e2e_polls ]; do
		pane 2>/dev/null | sed -n "${n}p" | grep -Eq -- "$pat" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# timed out waiting for line $n to match /$pat/; the pane shows:"
	show_pane
	return 1
}

# wait_gone PATTERN: until the pattern no longer shows. Only meaningful
# after a positive sign that it showed, or that the cause of its going
# was handled (press_gone checks the first).
wait_gone() {
	i=0
	while [ $i -lt $e2e_polls ]; do
		pane 2>/dev/null | grep -Eq -- "$1" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# /$1/ still on the pane"
	return 1
}

# no_match PATTERN [capture flags]: the pane does not show it now. Only
# meaningful after a wait for something positive.
no_match() {
	pat=$1
	shift
	pane "$@" | grep -Eq -- "$pat" || return 0
	echo "# /$pat/ is on the pane:"
	show_pane
	return 1
}

# Braille cells (U+2800..U+28FF: the charts' dots) as bytes, since grep
# cannot take a range of them in C.UTF-8. wait_braille: until the pane
# shows one; no_braille: it shows none now.
braille_bytes=$(printf '\342[\240-\243]')
has_braille() { pane 2>/dev/null | LC_ALL=C grep -q -- "$braille_bytes"; }
wait_braille() {
	i=0
	while [ $i -lt $e2e_polls ]; do
		has_braille && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# timed out waiting for braille; the pane shows:"
	show_pane
	return 1
}
no_braille() {
	has_braille || return 0
	echo "# braille on the pane:"
	show_pane
	return 1
}

# press_for PATTERN KEY...: the pane does not show PATTERN, the keys go in,
# and then it does. The sign cannot come before the keys were handled.
press_for() {
	pat=$1
	shift
	if pane 2>/dev/null | grep -Eq -- "$pat"; then
		echo "# /$pat/ was on the pane before the keys $*:"
		show_pane
		return 1
	fi
	press "$@"
	wait_for "$pat"
}

# press_gone PATTERN KEY...: the pane shows PATTERN, the keys go in, and it goes.
press_gone() {
	pat=$1
	shift
	if ! pane 2>/dev/null | grep -Eq -- "$pat"; then
		echo "# /$pat/ was not on the pane before the keys $*:"
		show_pane
		return 1
	fi
	press "$@"
	wait_gone "$pat"
}

# quit_ok: q ends the program with status 0.
quit_ok() { press_for "^EXIT=0$" q; }

# header_field SED_REGEX: the first group of the regex on the header line, or
# nothing. E.g. header_field '.*\.jsonl:\([0-9][0-9]*\) .*'.
header_field() { pane | sed -n "1s/$1/\\1/p"; }
