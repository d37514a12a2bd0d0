#!/bin/sh
# / filters the rows by name as it is typed (shown in the list's heads);
# Enter keeps the filter, Esc clears it.
. "$RT_SRCDIR/tests/e2e_lib.sh"

start 80 24 -- watch --exec "'cat $RT_SRCDIR/data/samples/upstreams.json'"
check "four rows" wait_for "^ moderation "
check "/: the filter opens" press_for "^ UPSTREAM /_? " /
check "/: the status line says how" wait_for "^ filter /: 4 of 4 upstreams match   Enter keeps it, Esc clears it"
check "typed text shown" press_for "^ UPSTREAM /em " e m
check "only the matching row" wait_line 3 "^▸embeddings "
check "the others gone" eval 'wait_gone "^ (chat|search|moderation) "'
check "q is typed, not quit" press_for "no upstream matches /emq" q
check "Backspace" press_for "^▸embeddings " BSpace
check "Enter keeps the filter" press_for "1 of 4 upstreams match /em" Enter
check "Esc clears it" press_for "^ chat " Escape
check "Esc: every row back" eval 'wait_for "^ moderation " && wait_for "upstream 3 of 4"'
check "q exits 0" quit_ok
done_testing
