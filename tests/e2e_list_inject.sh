#!/bin/sh
# The simulator's faults act on the selected upstream: f on embeddings
# trips embeddings' breaker and no other; o forces the selected one's.
# At x4 the steady scenario's own incident (search, 60 s simulated) comes
# 15 s in; embeddings is tripped well before, and chat and moderation,
# which have no incident of their own, must stay closed throughout.
. "$RT_SRCDIR/tests/e2e_lib.sh"

start 100 24 -- sim --speed 4
check "the upstreams listed" wait_for "^.moderation +● CLOSED"
# Select by name whatever the order: filter to it, keep it, clear the filter.
check "select embeddings" eval 'press_for "^ UPSTREAM /emb" / e m b && press_for "1 of 4 upstreams match /emb" Enter &&
	press_for "^ chat " Escape'
check "embeddings still selected" wait_for "^▸embeddings "
check "f: the notice names embeddings" press_for "^ embeddings: failure rate 10 %" f
check "f again: 50 %" press_for "^ embeddings: failure rate 50 %" f
check "f: embeddings' breaker opens" wait_for "^.embeddings +● OPEN .* FAIL"
check "f: chat and moderation stay closed" eval 'wait_for "^.chat +● CLOSED" && wait_for "^.moderation +● CLOSED"'
check "f: chat and moderation never opened" no_match "^.(chat|moderation) +● (OPEN|HALF-OPEN)"
check "0: every fault cleared" press_for "^ every fault cleared" 0
check "0: embeddings recovers" wait_for "^.embeddings +● CLOSED"
check "o: embeddings forced open" press_for "^ embeddings: breaker forced open" o
check "o: its row shows it" wait_for "^.embeddings +● OPEN"
check "o: chat and moderation untouched" no_match "^.(chat|moderation) +● (OPEN|HALF-OPEN)"
check "q exits 0" quit_ok

# A filter that hides every row leaves nothing selected: f says so and does nothing.
start 100 24 -- sim --speed 4
check "up" wait_for "^.moderation +● CLOSED"
check "filter to nothing" press_for "no upstream matches /zzz" / z z z Enter
check "f: nothing selected" press_for "no upstream selected: the filter hides every row" f
check "f: no faults" no_match "FAULTS"
check "q exits 0 (filtered)" quit_ok
done_testing
