#!/bin/sh
# Colour: on by default; NO_COLOR (set and not empty) and --no-color turn
# it off and keep the status words; --theme cb swaps green/red for blue/...
. "$RT_SRCDIR/tests/e2e_lib.sh"

# A source without rows, so the System panel (snapshots N) fits at 80x24.
norows="$RT_SRCDIR/tests/scenario_norows.json"
start 80 24 NO_COLOR=1 -- --scenario "$norows"
check "NO_COLOR: snapshots arrive" wait_for "snapshots +[1-9]"
check "NO_COLOR: status words remain" wait_for "overall +(OK|WARN|FAIL|n/a)"
check "NO_COLOR: no colour escapes" no_match "$colour_re" -e
check "NO_COLOR: q exits 0" quit_ok

start 80 24 NO_COLOR=
check "empty NO_COLOR keeps colour" wait_for "$colour_re" -e
check "empty NO_COLOR: q exits 0" quit_ok

start 80 24 -- --no-color --scenario "$norows"
check "--no-color: snapshots arrive" wait_for "snapshots +[1-9]"
check "--no-color: no colour escapes" no_match "$colour_re" -e
check "--no-color: q exits 0" quit_ok

start 80 24 -- --theme cb
check "--theme cb: OK in blue" wait_for "${esc}\\[([0-9]+;)*34mOK" -e
check "--theme cb: no green or red" no_match "${esc}\\[([0-9]+;)*3[12]m" -e
check "--theme cb: q exits 0" quit_ok
done_testing
