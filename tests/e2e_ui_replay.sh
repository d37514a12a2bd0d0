#!/bin/sh
# Stepping through a recording: pause, m (next target miss), n (next breaker
# transition), < and > (speed), [ and ] (one snapshot back and forward).
# The recording is of the steady scenario, whose incident comes after about
# 40 s. The simulation stamps records with the wall clock, so at max speed
# they all fall within a few ms: the snapshots are spread one second apart
# so that a replay at x1 takes its time.
. "$RT_SRCDIR/tests/e2e_lib.sh"

# Its exit status is the last evaluation's (0, 1 or 2); 3 means it failed.
"$RT_BIN" sim --speed max --duration 200s --batch --record "$e2e_tmp/fast.jsonl" >/dev/null
[ $? -le 2 ] || bail_out "cannot record a simulation"
awk '/"metrics"/ { n++ } { sub(/^\{"t":[0-9]+/, sprintf("{\"t\":%.0f", 1764064800000 + n * 1000)); print }' \
	"$e2e_tmp/fast.jsonl" >"$e2e_tmp/run.jsonl"

# The line number after "run.jsonl:" in the header, or 0.
header_line() { header_field '.*\.jsonl:\([0-9][0-9]*\) .*' | grep . || echo 0; }

# wait_later N PATTERN: until the header shows a line past N and the pane PATTERN.
wait_later() {
	i=0
	while [ $i -lt $e2e_polls ]; do
		[ "$(header_line)" -gt "$1" ] && pane | grep -Eq -- "$2" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# timed out waiting for a line past $1 and /$2/; the pane shows:"
	show_pane
	return 1
}

# wait_line_change N: until the header's line is not N; prints the new one.
wait_line_change() {
	i=0
	while [ $i -lt $e2e_polls ]; do
		l=$(header_line)
		[ "$l" -ne "$1" ] && { echo "$l"; return 0; }
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# step_back_forward: ] moves to a later line, [ back to the one before.
step_back_forward() {
	l0=$(header_line)
	press ']'
	l1=$(wait_line_change "$l0") || { echo "# ] did not move from line $l0"; show_pane; return 1; }
	[ "$l1" -gt "$l0" ] || { echo "# ] went from line $l0 to $l1"; return 1; }
	press '['
	l2=$(wait_line_change "$l1") || { echo "# [ did not move from line $l1"; show_pane; return 1; }
	[ "$l2" -lt "$l1" ] || { echo "# [ went from line $l1 to $l2"; return 1; }
}

# m until the search reports the end (at most 20 presses, each waited for).
m_to_the_end() {
	k=0
	while [ $k -lt 20 ]; do
		before=$(header_line)
		press m
		i=0
		while [ $i -lt $e2e_polls ]; do
			pane | grep -q "no target miss ahead: at the end of the recording" && return 0
			[ "$(header_line)" -gt "$before" ] && break
			sleep 0.1
			i=$((i + 1))
		done
		k=$((k + 1))
	done
	echo "# no end after $k presses; the pane shows:"
	show_pane
	return 1
}

start 80 24 -- replay "$e2e_tmp/run.jsonl" --speed 1
check "replay x1: plays" wait_for "^routertop .*replay: run.jsonl:[0-9]+ x1 "
check "space pauses" press_for "PAUSED" Space
check "paused before the incident" wait_for "overall +OK"
check "] and [ step forward and back" step_back_forward
line0=$(header_line)
press m
check "m: a later snapshot that misses a target" wait_later "$line0" "overall +(WARN|FAIL)"
check "m: still paused" wait_for "PAUSED"
line1=$(header_line)
press n
check "n: the next breaker transition, later" wait_later "$line1" "[●*] (OPEN|HALF-OPEN)"
check "< on a recording: x1/2" press_for "^routertop .*replay: run.jsonl:[0-9]+ x1/2 " '<'
check "> twice on a recording: x2" press_for "^routertop .*replay: run.jsonl:[0-9]+ x2 " '>' '>'
check "m repeated reaches the end with a notice" m_to_the_end
check "q exits 0" quit_ok
done_testing
