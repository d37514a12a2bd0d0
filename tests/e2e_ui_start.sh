#!/bin/sh
# The dashboard of a source without rows (the steady simulation in the
# single-backend format): every panel on an 80x24 screen, snapshots
# arriving, UTF-8 charts and boxes, colour by default. (The default steady
# has upstreams: its list is tested by e2e_list_*.)
. "$RT_SRCDIR/tests/e2e_lib.sh"

has_all_panels() {
	for p in "Latency ms" "Throughput" "Circuit breaker" "Errors" "Targets" "System" \
		"q quit" "? help" "samples" "every 1 s" "LIVE"; do
		pane | grep -q -- "$p" || { echo "# panel text '$p' missing"; show_pane; return 1; }
	done
}

start 80 24 -- --scenario "$RT_SRCDIR/tests/scenario_norows.json"
check "starts and shows the dashboard" wait_for "Circuit breaker"
check "every panel is on the 80x24 screen" eval 'wait_for LIVE && has_all_panels'
check "snapshots arrive" wait_for "snapshots +[1-9]"
check "UTF-8 braille charts" wait_braille
check "box borders drawn" wait_for "^┌ Latency.*┐┌ Throughput.*┐$"
check "colour escapes by default" wait_for "$colour_re" -e
check "default theme: OK in green" wait_for "${esc}\\[([0-9]+;)*32mOK" -e
check "q exits 0" quit_ok
done_testing
