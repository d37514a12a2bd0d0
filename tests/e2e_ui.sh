#!/bin/sh
# End-to-end tests of the screen: `routertop` (no arguments: the steady
# simulation) in a private tmux server, driven by send-keys and read back
# with capture-pane. Every wait polls the pane (up to 10 s in 0.1 s steps);
# no test sleeps a fixed time to let the program catch up.
. "$RT_SRCDIR/tests/tap.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux not installed"
# Patterns below count characters, not bytes; C.UTF-8 is always there.
LC_ALL=C.UTF-8
export LC_ALL

sock="rt-$$"
T() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'T kill-server >/dev/null 2>&1' EXIT
trap 'T kill-server >/dev/null 2>&1; exit 1' INT TERM HUP

esc=$(printf '\033')
# A foreground colour escape: ESC [ ... 30-37, 90-97 or 38;... m (39 is "default", not a colour).
colour_re="${esc}\\[([0-9]*;)*(3[0-8]|9[0-7])(;[0-9]+)*m"

# start W H [ENV=VALUE ...] [-- ARGS]: a fresh session running the program,
# whose exit status is printed as EXIT=N when it ends.
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
		"env LC_ALL=C.UTF-8 TERM=xterm-256color $envs $RT_BIN $*; echo EXIT=\$?; sleep 30"
}

# Each test gets a session of its own; the previous one goes only after the
# new one exists, so the server (which exits when it has no session) stays up.
n=0
cur=""
new_session() {
	n=$((n + 1))
	T new-session -d -s "ui$n" "$@"
	[ -n "$cur" ] && T kill-session -t "$cur" >/dev/null 2>&1
	cur="ui$n"
}

# A shell in the pane, for tests that type commands after the program ends.
start_shell() {
	new_session -x 80 -y 24 "env PS1='$ ' ENV= sh"
}

pane() { T capture-pane -p -t "$cur" "$@"; }

# wait_for PATTERN [capture flags]: until an extended regex matches the pane.
wait_for() {
	pat=$1
	shift
	i=0
	while [ $i -lt 100 ]; do
		pane "$@" 2>/dev/null | grep -Eq -- "$pat" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# timed out waiting for /$pat/; the pane shows:"
	pane 2>/dev/null | sed 's/^/#   /'
	return 1
}

# wait_gone PATTERN: until the pattern no longer shows.
wait_gone() {
	i=0
	while [ $i -lt 100 ]; do
		pane 2>/dev/null | grep -Eq -- "$1" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# /$1/ still on the pane"
	return 1
}

# no_match PATTERN [capture flags]: the pane does not show it now.
no_match() {
	pat=$1
	shift
	! pane "$@" | grep -Eq -- "$pat"
}

help_complete() {
	for k in "q          quit" "space, p   pause" "r          reset" "+          longer" \
		"-          shorter" "[ or left  step back" "] or right step forward" \
		"n          next breaker transition" "m          next target miss" \
		"< or ,     halve the speed" "> or .     double the speed" \
		"f          incident on/off" "b          breaker forced open" "Ctrl-L     repaint" "?          this help"; do
		pane | grep -qF -- "$k" || { echo "# help line '$k' missing"; return 1; }
	done
}

has_all_panels() {
	for p in "Latency ms" "Throughput" "Circuit breaker" "Errors" "Targets" "System" \
		"q quit" "space pause" "</> speed" "f/b faults" "samples" "every 1 s" "LIVE"; do
		pane | grep -q -- "$p" || { echo "# panel text '$p' missing"; return 1; }
	done
}

live_panels() { wait_for "LIVE" && has_all_panels; }

start 80 24
check "starts and shows the dashboard" wait_for "Circuit breaker"
check "every panel is on the 80x24 screen" live_panels
check "snapshots arrive" wait_for "snapshots +[1-9]"
check "UTF-8 sparklines" wait_for "[▁▂▃▄▅▆▇█]"
check "box borders drawn" wait_for "^┌ Latency.*┐┌ Throughput.*┐$"
check "colour escapes by default" wait_for "$colour_re" -e
T send-keys -t "$cur" '?'
check "? opens the help" wait_for "any key closes"
check "help lists every key" help_complete
T send-keys -t "$cur" x
check "any key closes the help" wait_gone "any key closes"
T send-keys -t "$cur" '['
check "[ on a live source says only recordings step" wait_for "cannot step: only recordings"
T send-keys -t "$cur" Space
check "space pauses (PAUSED marker)" wait_for "PAUSED"
T send-keys -t "$cur" r
check "r resets the history" wait_for "waiting for the first snapshot"
T send-keys -t "$cur" p
check "p resumes" wait_for "LIVE"
T send-keys -t "$cur" +
check "+ lengthens the interval" wait_for "every 2 s"
T send-keys -t "$cur" - -
check "- shortens the interval" wait_for "every 0.5 s"
T send-keys -t "$cur" +
check "back to 1 s" wait_for "every 1 s"
T resize-window -t "$cur" -x 120 -y 40
check "a resize relayouts at once (120 columns)" wait_for "^┌ Latency.{100,}┐$"
check "the wider layout has every panel" live_panels
T resize-window -t "$cur" -x 60 -y 20
check "resized below 80x24: too-small message" wait_for "terminal too small: need 80x24, have 60x20"
T resize-window -t "$cur" -x 80 -y 24
check "back at 80x24 the dashboard returns" wait_for "^┌ Latency.*┐┌ Throughput.*┐$"
T send-keys -t "$cur" q
check "q exits 0" wait_for "^EXIT=0$"

start 60 20
check "too small from the start at 60x20" wait_for "terminal too small: need 80x24, have 60x20"
check "too-small screen shows nothing else" no_match "Latency|Throughput"
T send-keys -t "$cur" q
check "q exits 0 from the too-small screen" wait_for "^EXIT=0$"

start 80 24 NO_COLOR=1
check "NO_COLOR: starts" wait_for "Circuit breaker"
check "NO_COLOR: snapshots arrive" wait_for "snapshots +[1-9]"
check "NO_COLOR: no colour escapes" no_match "$colour_re" -e
check "NO_COLOR: status words remain" wait_for "overall +(OK|WARN|FAIL|n/a)"
T send-keys -t "$cur" q
check "NO_COLOR: q exits 0" wait_for "^EXIT=0$"

start 80 24 NO_COLOR=
check "empty NO_COLOR keeps colour" wait_for "$colour_re" -e
T send-keys -t "$cur" q
wait_for "^EXIT=0$" >/dev/null

start 80 24 -- --no-color
check "--no-color: starts" wait_for "snapshots +[1-9]"
check "--no-color: no colour escapes" no_match "$colour_re" -e
T send-keys -t "$cur" q
check "--no-color: q exits 0" wait_for "^EXIT=0$"

# Status words in their theme's colour: green OK by default, blue under --theme cb.
start 80 24
check "default theme: OK in green" wait_for "${esc}\\[([0-9]+;)*32mOK" -e
T send-keys -t "$cur" q
wait_for "^EXIT=0$" >/dev/null
start 80 24 -- --theme cb
check "--theme cb: OK in blue" wait_for "${esc}\\[([0-9]+;)*34mOK" -e
check "--theme cb: no green or red" no_match "${esc}\\[([0-9]+;)*3[12]m" -e
T send-keys -t "$cur" q
check "--theme cb: q exits 0" wait_for "^EXIT=0$"

start 80 24 LC_ALL=C
check "C locale: starts" wait_for "Circuit breaker"
check "C locale: snapshots arrive" wait_for "snapshots +[2-9]"
check "C locale: no UTF-8 blocks or marks" no_match "[▁▂▃▄▅▆▇█●→·]"
check "C locale: ASCII breaker mark" wait_for "\\* (CLOSED|OPEN|HALF-OPEN)"
T send-keys -t "$cur" q
wait_for "^EXIT=0$" >/dev/null

# A source that goes bad: `watch --exec` reads a file that turns into junk.
# The fault shows on the status line, the panels keep the last good values
# marked STALE, and keys still answer.
tmp=$(mktemp -d)
trap 'T kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT
cp "$RT_SRCDIR/data/samples/healthy.json" "$tmp/m.json"
start 80 24 -- watch --exec "'cat $tmp/m.json'" --interval 0.5
check "exec source: live data" wait_for "LIVE"
T send-keys -t "$cur" '>'
check "> on a live source: no speed to change" wait_for "no speed to change: only simulations and recordings"
T send-keys -t "$cur" f
check "f on a live source: no faults to inject" wait_for "no faults to inject: only the simulated router takes them"
T send-keys -t "$cur" b
check "b on a live source: header unchanged" no_match "INCIDENT|FORCED"
echo "not json" >"$tmp/m.json"
check "exec source gone bad: the fault on the status line" wait_for "^ ! .*ago; data .* old)"
check "exec source gone bad: STALE marker" wait_for "STALE"
check "exec source gone bad: last good values kept" wait_for "Latency ms.*STALE"
T send-keys -t "$cur" q
check "exec source gone bad: q exits 0" wait_for "^EXIT=0$"

# Playback speed: < halves it, > doubles it, and the header shows it at once.
start 80 24 -- sim --speed 2
check "sim --speed 2: x2 in the header" wait_for "^routertop .* seed 42 x2 "
T send-keys -t "$cur" '>'
check "> doubles the speed: x4" wait_for "^routertop .* seed 42 x4 "
T send-keys -t "$cur" '<' '<'
check "< twice halves it twice: x1" wait_for "^routertop .* seed 42 x1 "
T send-keys -t "$cur" m
check "m on a simulation says only recordings step" wait_for "cannot step: only recordings"
T send-keys -t "$cur" q
check "speed keys: q exits 0" wait_for "^EXIT=0$"

# Demo injections at x4, well before the scenario's own incident (60 s
# simulated, 15 s here): f trips the breaker, f again lets it recover, b
# cycles forced open -> forced closed -> automatic. 100 columns: at 80 the
# header keeps about 34 characters of the description, not both flags.
start 100 24 -- sim --speed 4
check "inject: live first" wait_for "LIVE"
check "inject: healthy before" wait_for '"Service healthy"'
T send-keys -t "$cur" f
check "f: INCIDENT in the header" wait_for "^routertop .* seed 42 x4 INCIDENT "
check "f: notice on the status line" wait_for "^ incident: 40 % timeouts, 10 % failures"
check "f: the breaker opens" wait_for "[●*] OPEN "
T send-keys -t "$cur" f
check "f again: INCIDENT leaves the header" wait_gone "x4 INCIDENT"
check "f again: notice" wait_for "incident over: the scenario's faults are back"
check "f again: the breaker closes" wait_for "[●*] CLOSED "
check "f again: healthy again" wait_for '"Service healthy"'
T send-keys -t "$cur" b
check "b: FORCED OPEN in the header" wait_for "^routertop .* seed 42 x4 FORCED OPEN "
check "b: the breaker panel shows it forced open" wait_for '"Service unavailable - forced open"'
T send-keys -t "$cur" b
check "b again: FORCED CLOSED in the header" wait_for "^routertop .* seed 42 x4 FORCED CLOSED "
check "b again: the breaker panel shows it forced closed" wait_for '"Breaker forced closed'
T send-keys -t "$cur" b
check "b a third time: automatic again" wait_gone "FORCED"
check "b a third time: the breaker panel is automatic" wait_gone '"(Breaker forced|Service unavailable - forced)'

check "b a third time: notice" wait_for "breaker automatic again"
T send-keys -t "$cur" q
check "inject: q exits 0" wait_for "^EXIT=0$"

# A recording of the steady scenario, whose incident comes after about 40 s.
# The simulation stamps records with the wall clock, so at max speed they all
# fall within a few ms: spread the snapshots one second apart so that a
# replay at x1 takes its time.
"$RT_BIN" sim --speed max --duration 200s --batch --record "$tmp/fast.jsonl" >/dev/null
awk '/"metrics"/ { n++ } { sub(/^\{"t":[0-9]+/, sprintf("{\"t\":%.0f", 1764064800000 + n * 1000)); print }' \
	"$tmp/fast.jsonl" >"$tmp/run.jsonl"

# The number after "line" in the header, or 0.
header_line() { pane | sed -n '1s/.*\.jsonl:\([0-9][0-9]*\) .*/\1/p' | grep . || echo 0; }

# wait_later N PATTERN: until the header shows a line past N and the pane PATTERN.
wait_later() {
	i=0
	while [ $i -lt 100 ]; do
		[ "$(header_line)" -gt "$1" ] && pane | grep -Eq -- "$2" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# timed out waiting for a line past $1 and /$2/; the pane shows:"
	pane 2>/dev/null | sed 's/^/#   /'
	return 1
}

# m until the search reports the end (at most 20 presses, each waited for).
m_to_the_end() {
	k=0
	while [ $k -lt 20 ]; do
		before=$(header_line)
		T send-keys -t "$cur" m
		i=0
		while [ $i -lt 100 ]; do
			pane | grep -q "no target miss ahead: at the end of the recording" && return 0
			[ "$(header_line)" -gt "$before" ] && break
			sleep 0.1
			i=$((i + 1))
		done
		k=$((k + 1))
	done
	echo "# no end after $k presses; the pane shows:"
	pane 2>/dev/null | sed 's/^/#   /'
	return 1
}

start 80 24 -- replay "$tmp/run.jsonl" --speed 1
check "replay x1: plays" wait_for "^routertop .*replay: run.jsonl:[0-9]+ x1 "
T send-keys -t "$cur" Space
check "replay: space pauses" wait_for "PAUSED"
check "replay: paused before the incident" wait_for "overall +OK"
line0=$(header_line)
T send-keys -t "$cur" m
check "m: a later snapshot that misses a target" wait_later "$line0" "overall +(WARN|FAIL)"
check "m: still paused" wait_for "PAUSED"
line1=$(header_line)
T send-keys -t "$cur" n
check "n: the next breaker transition, later" wait_later "$line1" "[●*] (OPEN|HALF-OPEN)"
T send-keys -t "$cur" '<'
check "< on a recording: x1/2" wait_for "^routertop .*replay: run.jsonl:[0-9]+ x1/2 "
T send-keys -t "$cur" '>' '>'
check "> twice on a recording: x2" wait_for "^routertop .*replay: run.jsonl:[0-9]+ x2 "
check "m repeated reaches the end with a notice" m_to_the_end
T send-keys -t "$cur" q
check "replay: q exits 0" wait_for "^EXIT=0$"

# Signals and the terminal afterwards: run from a shell, then type into it.
signal_test() {
	sig=$1
	start_shell
	wait_for '^\$' >/dev/null
	T send-keys -t "$cur" "env LC_ALL=C.UTF-8 TERM=xterm-256color $RT_BIN; echo EXIT=\$?" Enter
	wait_for "Circuit breaker" || return 1
	if [ "$sig" = INT ]; then
		T send-keys -t "$cur" C-c
	else
		shpid=$(T display-message -p -t "$cur" '#{pane_pid}')
		pid=$(ps -o pid= --ppid "$shpid" | tr -d ' ')
		[ -n "$pid" ] || { echo "# no program under the pane's shell"; return 1; }
		kill -TERM "$pid"
	fi
	wait_for "^EXIT=0$" || return 1
	T send-keys -t "$cur" "echo AL""IVE" Enter
	# The typed command echoes (the tty's echo is back) and its output shows.
	wait_for "echo ALIVE" && wait_for "^ALIVE$"
}
check "SIGTERM: exit 0 and a usable shell" signal_test TERM
check "SIGINT (Ctrl-C): exit 0 and a usable shell" signal_test INT

no_terminal() {
	out=$("$RT_BIN" </dev/null 2>&1 >/dev/null)
	rc=$?
	[ "$rc" -eq 3 ] && [ "$out" = "routertop: no terminal; use --batch" ] && return 0
	echo "# got status $rc and: $out"
	return 1
}
check "no terminal: message and exit 3" no_terminal

done_testing
