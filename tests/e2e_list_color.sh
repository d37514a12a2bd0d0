#!/bin/sh
# The list's colours: each breaker state and status has its word, and its
# colour by default; --no-color keeps the words without a colour escape;
# --theme cb shows the open breaker in magenta, not red.
. "$RT_SRCDIR/tests/e2e_lib.sh"

sample="$RT_SRCDIR/data/samples/upstreams.json"

start 80 24 -- watch --exec "'cat $sample'"
check "default: the open breaker in red" wait_for "search.*${esc}\\[([0-9]+;)*31m● *(${esc}\\[[0-9;]*m)* *(${esc}\\[[0-9;]*m)*OPEN" -e
check "default: a closed breaker in green" wait_for "chat.*${esc}\\[([0-9]+;)*32m●" -e
check "default: FAIL in red" wait_for "search.*${esc}\\[([0-9]+;)*31mFAIL" -e
check "default: WARN in yellow" wait_for "chat.*${esc}\\[([0-9]+;)*33mWARN" -e
check "default: q exits 0" quit_ok

start 80 24 -- --no-color watch --exec "'cat $sample'"
check "--no-color: the words" eval 'wait_for "^▸search +● OPEN .* FAIL$" && wait_for "^ chat +● CLOSED .* WARN$"'
check "--no-color: no colour escapes" no_match "$colour_re" -e
check "--no-color: the selection still shows (reverse, marker)" wait_for "${esc}\\[[0-9;]*7m▸search" -e
check "--no-color: q exits 0" quit_ok

start 80 24 -- --theme cb watch --exec "'cat $sample'"
check "--theme cb: the open breaker in magenta" wait_for "search.*${esc}\\[([0-9]+;)*35m●" -e
check "--theme cb: OK in blue" wait_for "embeddings.*${esc}\\[([0-9]+;)*34mOK" -e
check "--theme cb: no red or green" no_match "${esc}\\[([0-9]+;)*3[12]m" -e
check "--theme cb: q exits 0" quit_ok
done_testing
