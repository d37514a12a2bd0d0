#!/bin/sh
# A recording's event lines fill the event log on replay, as they did live:
# each breaker change with its reason, in order.
. "$RT_SRCDIR/tests/e2e_lib.sh"

# Its exit status is the last evaluation's (the drill misses targets): the file tells whether it ran.
"$RT_BIN" sim --scenario breaker --speed max --batch --record "$e2e_tmp/drill.jsonl" >/dev/null
grep -q '"event":{"type":"breaker"' "$e2e_tmp/drill.jsonl" || bail_out "the recording has no breaker events"

start 100 50 -- replay "$e2e_tmp/drill.jsonl" --speed max
check "the replay ends" wait_for "ENDED"
check "e shows the event log" press_for "┌ Event log" e
check "the opening with its reason" wait_for "closed→open +[0-9]+ consecutive failures"
check "the recovery after it" wait_for "half-open→closed +3 trial calls succeeded"
check "in order: open before closed" eval '[ "$(pane | grep -n "closed→open" | head -1 | cut -d: -f1)" -lt "$(pane | grep -n "half-open→closed" | tail -1 | cut -d: -f1)" ]'
check "q exits 0" quit_ok
done_testing
