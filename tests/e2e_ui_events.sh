#!/bin/sh
# The event log on the breaker drill at x8: e shows it; the phases, the
# breaker's changes with their reasons; { scrolls back and } forward; e
# hides it again.
. "$RT_SRCDIR/tests/e2e_lib.sh"

start 100 30 -- sim --scenario breaker --speed 8
check "live first" wait_for "LIVE"
check "e shows the event log" press_for "┌ Event log" e
check "the phases are logged" wait_for "phase: failing"
check "the opening with its reason" wait_for "closed→open +[0-9]+ consecutive failures"
check "half-open after the open timeout" wait_for "open→half-open +open timeout 5 s elapsed"
check "closed after the trial calls" wait_for "half-open→closed +3 trial calls succeeded"
check "the drill ends" wait_for "ENDED"
check "{ scrolls back" press_for "[0-9]+ newer below: }" -l "{"
check "} goes back to the newest" press_gone "newer below" -l "}"
check "e hides it" press_gone "┌ Event log" e
check "the targets panel is back" wait_for "┌ Targets"
check "q exits 0" quit_ok
done_testing
