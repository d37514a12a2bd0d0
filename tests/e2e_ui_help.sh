#!/bin/sh
# The help overlay: ? opens it, it lists every key, any key closes it.
. "$RT_SRCDIR/tests/e2e_lib.sh"

help_complete() {
	for k in "q          quit" "space, p   pause" "r          reset" "+          longer" \
		"-          shorter" "[ or left  step back" "] or right step forward" \
		"n          next breaker transition" "m          next target miss" \
		"< or ,     halve the speed" "> or .     double the speed" \
		"f          incident on/off" "b          breaker forced open" "Ctrl-L     repaint" "?          this help"; do
		pane | grep -qF -- "$k" || { echo "# help line '$k' missing"; show_pane; return 1; }
	done
}

start 80 24
check "dashboard up" wait_for "Circuit breaker"
check "? opens the help" press_for "any key closes" '?'
check "help lists every key" help_complete
check "any key closes the help" press_gone "any key closes" x
check "h opens the help too" press_for "any key closes" h
check "q only closes the help" press_gone "any key closes" q
check "the program still runs" no_match "^EXIT="
check "q exits 0" quit_ok
done_testing
