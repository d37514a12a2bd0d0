#!/bin/sh
# Pause and reset: space pauses (PAUSED replaces LIVE), r clears the
# history, p resumes.
. "$RT_SRCDIR/tests/e2e_lib.sh"

start 80 24
check "live first" wait_for "LIVE"
check "snapshots arrive" wait_for "snapshots +[1-9]"
check "space pauses (PAUSED marker)" press_for "PAUSED" Space
check "LIVE leaves the header" no_match "LIVE"
check "r resets the history" press_for "waiting for the first snapshot" r
check "p resumes" press_for "LIVE" p
check "snapshots arrive again" wait_for "snapshots +[1-9]"
check "q exits 0" quit_ok
done_testing
