#!/bin/sh
# Resizes: a larger window relayouts at once; below 80x24 a message
# replaces the dashboard, which comes back at 80x24. The source never has
# rows (scenario_norows.json): rows bring the list and another layout with
# the first snapshot, which a busy machine delivers before a resize.
. "$RT_SRCDIR/tests/e2e_lib.sh"

norows="$RT_SRCDIR/tests/scenario_norows.json"

has_panels() {
	for p in "Latency ms" "Throughput" "Circuit breaker" "Errors" "Targets" "System" "q quit"; do
		pane | grep -q -- "$p" || { echo "# panel text '$p' missing"; show_pane; return 1; }
	done
}

start 80 24 -- --scenario "$norows"
check "80x24 layout" wait_for "^┌ Latency.*┐┌ Throughput.*┐$"
T resize-window -t "$cur" -x 120 -y 40
check "a resize relayouts at once (120 columns)" wait_for "^┌ Latency.{100,}┐$"
check "the wider layout has every panel" has_panels
T resize-window -t "$cur" -x 60 -y 20
check "resized below 80x24: too-small message" wait_for "terminal too small: need 80x24, have 60x20"
T resize-window -t "$cur" -x 80 -y 24
check "back at 80x24 the dashboard returns" wait_for "^┌ Latency.*┐┌ Throughput.*┐$"
check "q exits 0" quit_ok

start 60 20 -- --scenario "$norows"
check "too small from the start at 60x20" wait_for "terminal too small: need 80x24, have 60x20"
check "too-small screen shows nothing else" no_match "Latency|Throughput"
T resize-window -t "$cur" -x 80 -y 24
check "grown to 80x24: the dashboard" wait_for "^┌ Latency.*┐┌ Throughput.*┐$"
check "q exits 0" quit_ok
done_testing
