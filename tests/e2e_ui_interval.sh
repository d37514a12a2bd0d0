#!/bin/sh
# The refresh interval: + lengthens it, - shortens it, on the ladder
# 0.25 0.5 1 2 5 ... 60 s; the header shows it at once.
. "$RT_SRCDIR/tests/e2e_lib.sh"

start 80 24
check "1 s at the start" wait_for "every 1 s"
check "+ lengthens the interval" press_for "every 2 s" +
check "- twice shortens it twice" press_for "every 0.5 s" - -
check "- again: 0.25 s" press_for "every 0.25 s" -
check "- at the bottom stays at 0.25 s" eval 'press - && press + && wait_for "every 0.5 s"'
check "= lengthens too" press_for "every 1 s" =
check "q exits 0" quit_ok
done_testing
