#!/bin/sh
# Outside a UTF-8 locale the screen is ASCII: no blocks, marks or arrows.
. "$RT_SRCDIR/tests/e2e_lib.sh"

# A source without rows, so the System panel (snapshots N) fits at 80x24.
start 80 24 LC_ALL=C -- --scenario "$RT_SRCDIR/tests/scenario_norows.json"
check "C locale: starts" wait_for "Circuit breaker"
check "C locale: a chart has values (two snapshots)" wait_for "snapshots +[2-9]"
check "C locale: ASCII breaker mark" wait_for "\\* (CLOSED|OPEN|HALF-OPEN)"
check "C locale: no UTF-8 blocks or marks" no_match "[▁▂▃▄▅▆▇█●→·◂╌]"
check "C locale: no braille" no_braille
check "C locale: q exits 0" quit_ok
done_testing
