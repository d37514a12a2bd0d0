#!/bin/sh
# Pause and reset: space pauses (PAUSED replaces LIVE), r clears the
# history, p resumes.
. "$RT_SRCDIR/tests/e2e_lib.sh"

# A source without rows, so the System panel (snapshots N) fits at 80x24.
start 80 24 -- --scenario "$RT_SRCDIR/tests/scenario_norows.json"
check "live first" wait_for "LIVE"
check "snapshots arrive" wait_for "snapshots +[1-9]"
check "space pauses (PAUSED marker)" press_for "PAUSED" Space
check "LIVE leaves the header" no_match "LIVE"
check "r resets the history" press_for "waiting for the first snapshot" r
check "p resumes" press_for "LIVE" p
check "snapshots arrive again" wait_for "snapshots +[1-9]"
check "q exits 0" quit_ok
done_testing
