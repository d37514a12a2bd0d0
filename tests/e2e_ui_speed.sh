#!/bin/sh
# Playback speed of a simulation: < halves it, > doubles it, and the header
# shows it at once.
. "$RT_SRCDIR/tests/e2e_lib.sh"

start 80 24 -- sim --speed 2
check "sim --speed 2: x2 in the header" wait_for "^routertop .* seed 42 x2 "
check "> doubles the speed: x4" press_for "^routertop .* seed 42 x4 " '>'
check "< twice halves it twice: x1" press_for "^routertop .* seed 42 x1 " '<' '<'
check ", halves it too: x1/2" press_for "^routertop .* seed 42 x1/2 " ','
check ". doubles it too: x1" press_for "^routertop .* seed 42 x1 " '.'
check "q exits 0" quit_ok
done_testing
