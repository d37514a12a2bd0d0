#!/bin/sh
# routertop demo on the screen: the caption under the header says the
# chapter and why, the event log is on from the start; space pauses; n
# skips to the next chapter, and paused it stays paused there, so the walk
# through the chapters below is one caption a press (at x1, chapters 4 to 6
# follow each other within two seconds on their own). The story ends with
# the summary of targets met and missed and the recovery time, which any
# key but q puts away; q quits with 0.
. "$RT_SRCDIR/tests/e2e_lib.sh"

start 80 24 -- demo
check "chapter 1: the caption under the header" wait_line 2 "^ 1/9 Baseline One user sends 60 requests"
check "the event log is on" wait_for "┌ Event log"
check "the key line offers n" wait_for "n next chapter"
check "space pauses" press_for "PAUSED" Space
check "n: on to chapter 2, still paused" eval 'press_for "^ 2/9 Concurrent users" n && wait_for "PAUSED"'
check "the event log says it too" wait_for "chapter 2/9: Concurrent users"
check "space resumes" press_gone "PAUSED" Space
check "space pauses again" press_for "PAUSED" Space
check "n: chapter 3" press_for "^ 3/9 Rate-limit burst" n
check "n: chapter 4" press_for "^ 4/9 Failures injected search stops answering" n
check "n: chapter 5, the breaker opens" press_for "^ 5/9 The breaker opens [0-9]+ consecutive failures" n
check "the opening in the event log" wait_for "search +closed→open +[0-9]+ consecutive failures"
check "n: chapter 6" press_for "^ 6/9 Failing fast" n
check "search's breaker open in the list" wait_for "^.search +● OPEN"
check "n: chapter 7" press_for "^ 7/9 Half-open probing" n
# A failed trial tells chapter 7 again, and its next half-open too, before the recovery.
to_recovery() {
	for i in 1 2 3 4; do
		before=$(pane | sed -n 2p)
		press n
		j=0
		while [ "$(pane | sed -n 2p)" = "$before" ] && [ $j -lt $e2e_polls ]; do
			sleep 0.1
			j=$((j + 1))
		done
		pane | sed -n 2p | grep -q "^ 8/9 Recovery" && return 0
		pane | sed -n 2p | grep -q "^ 7/9 Half-open probing" || break
	done
	show_pane
	return 1
}
check "n: on to the recovery, chapter 7 told again on the way" to_recovery
check "n: the end" press_for "^ 9/9 Summary" n
check "the summary box" wait_for "┌ Summary"
check "targets met and missed" wait_for "targets: [0-9] met, [0-9] missed"
check "the recovery time against its target" wait_for "Recovery < 60 s +met: search out [0-9.]+ s"
check "a key puts the box away" press_gone "┌ Summary" n
check "q exits 0" quit_ok
done_testing
