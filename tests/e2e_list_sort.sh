#!/bin/sh
# o cycles the sort column (worst, name, breaker, req/s, P50, P95, P99,
# err %), O reverses it; the selection keeps its row.
. "$RT_SRCDIR/tests/e2e_lib.sh"

start 80 24 -- watch --exec "'cat $RT_SRCDIR/data/samples/upstreams.json'"
check "worst first" wait_line 2 "▼STATUS$"
check "o: by name" press_for "^▲UPSTREAM " o
check "o: chat first" wait_line 3 "^ chat "
check "o: the selection went with search" wait_line 6 "^▸search "
check "O: by name, the other way" press_for "^▼UPSTREAM " O
check "O: search first" wait_line 3 "^▸search "
check "o: by breaker, open first" press_for "▼BREAKER" o
check "o: by req/s" press_for "▼req/s" o
check "o: chat, the busiest, first" wait_line 3 "^ chat +.* 120.3 "
check "o three more times: by err %" press_for "▼err %" o o o o
check "o: back to worst first" press_for "▼STATUS$" o
check "q exits 0" quit_ok
done_testing
