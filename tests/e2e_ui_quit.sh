#!/bin/sh
# Leaving: q exits 0 from the dashboard and from the too-small screen;
# without a terminal the program says so and exits 3.
. "$RT_SRCDIR/tests/e2e_lib.sh"

start 80 24
check "dashboard up" wait_for "Circuit breaker"
check "q exits 0" quit_ok

start 60 20
check "too-small screen up" wait_for "terminal too small"
check "q exits 0 from the too-small screen" quit_ok

start 80 24
check "dashboard up again" wait_for "Circuit breaker"
check "Q (capital) exits 0 too" press_for "^EXIT=0$" Q

no_terminal() {
	out=$("$RT_BIN" </dev/null 2>&1 >/dev/null)
	rc=$?
	[ "$rc" -eq 3 ] && [ "$out" = "routertop: no terminal; use --batch" ] && return 0
	echo "# got status $rc and: $out"
	return 1
}
check "no terminal: message and exit 3" no_terminal
done_testing
