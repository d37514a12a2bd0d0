#!/bin/sh
# Keys a source cannot honour say why on the status line and change nothing:
# a live source (watch --exec) has no speed, takes no faults and cannot be
# stepped; a simulation cannot be stepped either.
. "$RT_SRCDIR/tests/e2e_lib.sh"

start 80 24 -- watch --exec "'cat $RT_SRCDIR/data/samples/healthy.json'" --interval 0.5
check "exec source: live data" wait_for "LIVE"
check "> on a live source: no speed to change" \
	press_for "no speed to change: only simulations and recordings" '>'
check "f on a live source: no faults to inject" \
	press_for "no faults to inject: only the simulated router takes them" f
check "f: no faults shown" no_match "FAULTS"
# o shows the same words as f: wait for f's notice to time out first.
check "f's notice times out" wait_gone "no faults to inject"
check "o on a live source: no faults to inject" \
	press_for "no faults to inject: only the simulated router takes them" o
check "o: no faults shown" no_match "FAULTS"
check "[ on a live source: only recordings step" press_for "cannot step: only recordings" '['
check "q exits 0" quit_ok

start 80 24
check "simulation: live" wait_for "LIVE"
check "m on a simulation: only recordings step" press_for "cannot step: only recordings" m
check "q exits 0 (sim)" quit_ok
done_testing
