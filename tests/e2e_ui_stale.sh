#!/bin/sh
# A source that goes bad: `watch --exec` reads a file that turns into junk.
# The fault shows on the status line, the panels keep the last good values
# marked STALE, and keys still answer.
. "$RT_SRCDIR/tests/e2e_lib.sh"

cp "$RT_SRCDIR/data/samples/healthy.json" "$e2e_tmp/m.json"
start 80 24 -- watch --exec "'cat $e2e_tmp/m.json'" --interval 0.5
check "exec source: live data" wait_for "LIVE"
check "exec source: no STALE marker yet" no_match "STALE"
echo "not json" >"$e2e_tmp/m.json"
check "gone bad: the fault on the status line" wait_for "^ ! .*ago; data .* old)"
check "gone bad: STALE marker" wait_for "STALE"
check "gone bad: last good values kept" wait_for "Latency ms.*STALE"
check "gone bad: keys still answer (+)" press_for "every 1 s" +
cp "$RT_SRCDIR/data/samples/healthy.json" "$e2e_tmp/m.json"
check "good again: STALE goes" wait_gone "STALE"
check "q exits 0" quit_ok
done_testing
