#!/bin/sh
# Worst first: the row that turns worst jumps to the top of the list, and
# the selection stays on its row (by name) as the order changes.
. "$RT_SRCDIR/tests/e2e_lib.sh"

cp "$RT_SRCDIR/data/samples/upstreams.json" "$e2e_tmp/m.json"
start 80 24 -- watch --exec "'cat $e2e_tmp/m.json'" --interval 0.5
check "search, the slowest, first" wait_line 3 "^▸search "
check "moderation, the fastest, last" wait_line 6 "^ moderation "
# moderation's P99 jumps past search's.
sed 's/"p99": 21.0/"p99": 4321.0/' "$RT_SRCDIR/data/samples/upstreams.json" >"$e2e_tmp/n.json"
mv "$e2e_tmp/n.json" "$e2e_tmp/m.json"
check "moderation now first" wait_line 3 "^ moderation .* 4321 "
check "the selection went with search" wait_line 4 "^▸search "
check "q exits 0" quit_ok
done_testing
