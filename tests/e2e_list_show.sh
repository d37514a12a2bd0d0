#!/bin/sh
# The row list on a source with rows (data/samples/upstreams.json through
# watch --exec): every column, the four upstreams, the selection, and the
# panels under it still showing P95/P99, the breaker and the targets, at
# 80x24; more columns on a wider screen.
. "$RT_SRCDIR/tests/e2e_lib.sh"

sample="$RT_SRCDIR/data/samples/upstreams.json"

start 80 24 -- watch --exec "'cat $sample'"
check "the list's heads under the header" \
	wait_line 2 "^ UPSTREAM +BREAKER +req/s +P50 +P95 +P99 +err % ▼STATUS$"
check "four upstreams" eval 'wait_for "^ chat " && wait_for "^ embeddings " && wait_for "^ moderation "'
check "the worst row first, selected" wait_line 3 "^▸search +● OPEN +[0-9]+s +48.0 +31.0 +980.0 +1000 +41.20 +FAIL$"
check "a closed breaker and its time" wait_for "^ chat +● CLOSED +1h00m +120.3 +45.2 +125.7 +234.1 +0.20 +WARN$"
check "each row has its status word" eval 'wait_for "^ embeddings .* OK$" && wait_for "^ moderation .* OK$"'
check "Latency with P95 and P99 under the list" wait_for "│ P95 +240.3! P99 +990.0! "
check "the breaker panel" wait_for "Circuit breaker"
check "the targets panel" wait_for "┌ Targets"
check "the key line names the list's keys" wait_for "^ Up/Down select  Enter zoom  Tab sort  / filter  q quit"
check "the status line counts the rows" wait_for "upstream 1 of 4"
check "q exits 0" quit_ok

start 140 40 -- watch --exec "'cat $sample'"
check "wide: more columns" wait_line 2 "^ UPSTREAM +BREAKER +req/s +P50 +P90 +P95 +P99 +P99.9 +max +avg +err % +in flight ▼STATUS"
check "wide: the full panels under the list" eval 'wait_for "┌ Throughput" && wait_for "┌ System"'
check "wide: q exits 0" quit_ok
done_testing
