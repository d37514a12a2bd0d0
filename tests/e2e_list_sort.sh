#!/bin/sh
# Tab cycles the sort column (worst, name, breaker, req/s, P50, P95, P99,
# err %), Shift-Tab reverses it; the selection keeps its row. On a source
# that takes no fault keys, o and O do the same.
. "$RT_SRCDIR/tests/e2e_lib.sh"

start 80 24 -- watch --exec "'cat $RT_SRCDIR/data/samples/upstreams.json'"
check "worst first" wait_line 2 "▼STATUS$"
check "Tab: by name" press_for "^▲UPSTREAM " Tab
check "Tab: chat first" wait_line 3 "^ chat "
check "Tab: the selection went with search" wait_line 6 "^▸search "
check "Shift-Tab: by name, the other way" press_for "^▼UPSTREAM " BTab
check "Shift-Tab: search first" wait_line 3 "^▸search "
check "Tab: by breaker, open first" press_for "▼BREAKER" Tab
check "Tab: by req/s" press_for "▼req/s" Tab
check "Tab: chat, the busiest, first" wait_line 3 "^ chat +.* 120.3 "
check "Tab four more times: by err %" press_for "▼err %" Tab Tab Tab Tab
check "Tab: back to worst first" press_for "▼STATUS$" Tab
check "o: by name, as Tab" press_for "^▲UPSTREAM " o
check "O: by name, the other way" press_for "^▼UPSTREAM " O
check "o: by breaker" press_for "▼BREAKER" o
check "q exits 0" quit_ok
done_testing
