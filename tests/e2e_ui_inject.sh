#!/bin/sh
# Demo injections at x4, well before the scenario's own incident (60 s
# simulated, 15 s here): f trips the breaker, f again lets it recover, b
# cycles forced open -> forced closed -> automatic. 100 columns: at 80 the
# header keeps about 34 characters of the description, not both flags.
# They act on the selected upstream; chat is selected by name first (a
# filter, kept, then cleared), and the router's breaker (the worst
# upstream's) names it. tests/e2e_list_inject.sh shows the others untouched.
. "$RT_SRCDIR/tests/e2e_lib.sh"

start 100 24 -- sim --speed 4
check "live first" wait_for "LIVE"
check "healthy before" wait_for '"Service healthy"'
check "select chat" eval 'press_for "^ UPSTREAM /chat" / c h a t && press_for "1 of 4 upstreams match /chat" Enter &&
	press_for "^ moderation " Escape'
check "f: INCIDENT in the header" press_for "^routertop .* seed 42 x4 INCIDENT " f
check "f: notice on the status line" wait_for "^ chat: incident: 40 % timeouts, 10 % failures"
check "f: chat's breaker opens" wait_for "^▸chat +[●*] OPEN "
check "f again: notice" press_for "chat: incident over: the scenario's faults are back" f
check "f again: INCIDENT leaves the header" no_match "x4 INCIDENT"
check "f again: chat's breaker closes" wait_for "^▸chat +[●*] CLOSED "
check "f again: healthy again" wait_for '"Service healthy"'
check "b: FORCED OPEN in the header" press_for "^routertop .* seed 42 x4 FORCED OPEN " b
check "b: the breaker panel shows it forced open" wait_for '"chat: Service unavailable - forced open"'
check "b again: FORCED CLOSED in the header" press_for "^routertop .* seed 42 x4 FORCED CLOSED " b
check "b again: the breaker panel shows it forced closed" wait_for '"chat: Breaker forced closed'
check "b a third time: notice" press_for "breaker automatic again" b
check "b a third time: automatic again" no_match "FORCED"
check "b a third time: the breaker panel is automatic" wait_gone '(Breaker forced|Service unavailable - forced)'
check "q exits 0" quit_ok
done_testing
