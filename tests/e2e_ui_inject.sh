#!/bin/sh
# Each fault key changes what the screen says, on the selected upstream
# (chat, selected by name: a filter, kept, then cleared), well before the
# steady scenario's own incident (60 s simulated, 15 s here at x4): the
# status line says what the press did, the FAULTS line at its right end what
# is on where, in the simulator's words; o and c show in chat's breaker,
# a gives it back, 0 clears everything. 160 columns: the press's notice and
# the FAULTS line side by side.
. "$RT_SRCDIR/tests/e2e_lib.sh"

start 160 24 -- sim --speed 4
check "live first" wait_for "LIVE"
check "no faults before" no_match "FAULTS"
check "select chat" eval 'press_for "^ UPSTREAM /chat" / c h a t && press_for "1 of 4 upstreams match /chat" Enter &&
	press_for "^ moderation " Escape'
check "f: 10 %" press_for "^ chat: failure rate 10 % \(f again: 50 %\)" f
check "f: the FAULTS line" wait_for "FAULTS chat: failures 10 %$"
check "t: timeouts" press_for "^ chat: timeouts on \(t again: off\)" t
check "t: the FAULTS line" wait_for "FAULTS chat: failures 10 %, timeouts$"
check "l: latency spike" press_for "^ chat: latency spike x10 on" l
check "l: the FAULTS line" wait_for "FAULTS chat: failures 10 %, timeouts, latency x10$"
check "s: load surge" press_for "^ chat: load surge x5 on" s
check "s: the FAULTS line" wait_for "FAULTS chat: failures 10 %, timeouts, latency x10, surge x5$"
check "o: forced open" press_for "^ chat: breaker forced open: every call refused" o
check "o: the FAULTS line" wait_for "FAULTS chat: .*, surge x5, forced open$"
check "o: chat's breaker shows it" wait_for '"chat: Service unavailable - forced open"'
check "c: forced closed" press_for "^ chat: breaker forced closed: no protection" c
check "c: chat's breaker shows it" wait_for '"chat: Breaker forced closed - no protection"'
check "a: automatic" press_for "^ chat: breaker automatic" a
check "a: no longer forced" wait_for "FAULTS chat: failures 10 %, timeouts, latency x10, surge x5$"
check "0: every fault cleared" press_for "^ every fault cleared: breakers automatic again" 0
check "0: no FAULTS line" wait_gone "FAULTS"
check "0: chat recovers" wait_for "^▸chat +[●*] CLOSED "
check "q exits 0" quit_ok
done_testing
