#!/bin/sh
# The header's marker during a replay says what the data is: REPLAY while
# a recording plays, PAUSED when paused, ENDED at its end; never LIVE,
# which belongs to sources that watch something now.
. "$RT_SRCDIR/tests/e2e_lib.sh"

rec="$RT_SRCDIR/data/recordings/incident.jsonl.gz"

start 80 24 -- replay "$rec"
check "a playing replay says REPLAY" wait_line 1 "REPLAY *$"
check "and not LIVE" no_match "LIVE"
check "space pauses it (PAUSED)" press_for "PAUSED *$" Space
check "space plays it again (REPLAY)" press_for "REPLAY *$" Space
check "q exits 0" quit_ok

start 80 24 -- replay --speed max "$rec"
check "at its end it says ENDED" wait_line 1 "ENDED *$"
check "never LIVE" no_match "LIVE"
check "q exits 0" quit_ok

# A live source keeps LIVE.
start 80 24 -- --scenario "$RT_SRCDIR/tests/scenario_norows.json"
check "a simulation is LIVE" wait_line 1 "LIVE *$"
check "q exits 0" quit_ok
done_testing
