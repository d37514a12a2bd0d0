#!/bin/sh
# The help overlay: ? (or h) opens it, any key closes it, and it lists the
# keys of the key table that apply to the source on screen, no others.
# The key line likewise. tests/keys_dump prints the table's lines for a
# set of modes: the simulated router has speed and injections, a recording
# steps and has speed, a live source neither. Data with rows (upstreams)
# add the list's keys once the first snapshot with rows is on screen, so
# the simulator and the recording here have no rows (scenario_norows.json)
# but in the one case that waits for the list before it looks: what the
# checks see cannot depend on whether a busy machine let the first
# snapshot in before they look.
. "$RT_SRCDIR/tests/e2e_lib.sh"

norows="$RT_SRCDIR/tests/scenario_norows.json"

dump() { "$RT_BUILDDIR/tests/keys_dump" "$@"; }

# help_is MODES: every help line for MODES is on the pane, and no line of
# a key that does not apply.
help_is() {
	dump help "$1" >"$e2e_tmp/want" || return 1
	dump help step,speed,inject,rows >"$e2e_tmp/all" || return 1
	pane >"$e2e_tmp/pane"
	while IFS= read -r line; do
		grep -qF -- "$line" "$e2e_tmp/pane" || { echo "# help line '$line' missing"; show_pane; return 1; }
	done <"$e2e_tmp/want"
	grep -vxF -f "$e2e_tmp/want" "$e2e_tmp/all" | while IFS= read -r line; do
		case $line in "           "*) continue ;; esac	# a second line
		! grep -qF -- "$line" "$e2e_tmp/pane" || { echo "# help line '$line' shown"; exit 1; }
	done
}

# key_line_is MODES: the last line holds exactly the key line entries for MODES.
key_line_is() {
	want=$(dump line "$1" | awk '{ printf "%s%s", (NR > 1 ? "  " : ""), $0 }')
	got=$(pane | tail -1 | sed 's/^ //; s/ *$//')
	[ "$got" = "$want" ] && return 0
	echo "# key line: '$got'"
	echo "# expected: '$want'"
	return 1
}

start 80 24 -- --scenario "$norows"
check "sim: dashboard up" wait_for "Circuit breaker"
check "sim: the key line is the table's for a simulation" key_line_is speed,inject
check "sim: ? opens the help" press_for "any key closes" '?'
check "sim: the help lists the simulation's keys" help_is speed,inject
check "sim: any key closes the help" press_gone "any key closes" x
check "sim: h opens the help too" press_for "any key closes" h
check "sim: q only closes the help" press_gone "any key closes" q
check "sim: the program still runs" no_match "^EXIT="
check "sim: q exits 0" quit_ok

# The built-in scenario has upstreams: once its list is on screen the
# list's keys join, and those the simulator's own keys shadow (o) do not.
start 80 24 --
check "sim with rows: the list is up" wait_for "Up/Down select"
check "sim with rows: the key line is the table's" key_line_is speed,inject,rows
check "sim with rows: ? opens the help" press_for "any key closes" '?'
check "sim with rows: the help lists the list's keys too" help_is speed,inject,rows
check "sim with rows: q closes the help" press_gone "any key closes" q
check "sim with rows: q exits 0" quit_ok

"$RT_BIN" sim --scenario "$norows" --speed max --duration 10s --batch --record "$e2e_tmp/run.jsonl" >/dev/null ||
	bail_out "cannot record a simulation"
start 80 24 -- replay "$e2e_tmp/run.jsonl"
check "replay: up" wait_for "replay: run.jsonl"
check "replay: the key line is the table's for a recording" key_line_is step,speed
check "replay: ? opens the help" press_for "any key closes" '?'
check "replay: the help lists a recording's keys" help_is step,speed
check "replay: q closes the help" press_gone "any key closes" q
check "replay: q exits 0" quit_ok

start 80 24 -- watch --exec "'cat $RT_SRCDIR/data/samples/healthy.json'"
check "watch: live" wait_for "LIVE"
check "watch: the key line is the table's for a live source" key_line_is none
check "watch: ? opens the help" press_for "any key closes" '?'
check "watch: the help lists a live source's keys" help_is none
check "watch: q closes the help" press_gone "any key closes" q
check "watch: q exits 0" quit_ok
done_testing
