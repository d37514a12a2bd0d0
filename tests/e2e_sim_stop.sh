#!/bin/sh
# At --speed max the simulator looks at signals and keys every few
# milliseconds, however long the interval: a day-long interval (the
# longest taken) takes seconds to simulate, yet SIGTERM, SIGHUP and q end
# the run at once. An interval over a day is refused with a clear error.
. "$RT_SRCDIR/tests/e2e_lib.sh"

# A fraction of the time one day of the steady scenario takes to simulate.
QUICK_POLLS=15	# 1.5 s in 0.1 s steps

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# gone_within PID: the process ended within QUICK_POLLS tenths of a second.
gone_within() {
	i=0
	while [ $i -lt $QUICK_POLLS ]; do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# still running $((QUICK_POLLS / 10)).$((QUICK_POLLS % 10)) s after the signal"
	return 1
}

refused() {
	timeout 20 "$RT_BIN" sim --once --speed max --interval 25h >"$e2e_tmp/out" 2>"$e2e_tmp/err"
	[ $? -eq 3 ] && [ ! -s "$e2e_tmp/out" ] &&
	grep -q "^routertop: --interval: bad value '25h' (expected a duration from 100ms to 24h" "$e2e_tmp/err"
}
check "an interval over a day is refused, exit 3" refused

batch_stops() {
	"$RT_BIN" sim --batch --speed max --interval 24h >"$e2e_tmp/out" 2>"$e2e_tmp/err" &
	pid=$!
	# A positive sign that it is deep in the simulation: a fifth of a second of CPU.
	i=0
	while [ "$(cpu_ticks $pid)" -lt 20 ] && [ $i -lt $e2e_polls ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -"$1" "$pid"
	gone_within "$pid" || { kill -KILL "$pid"; return 1; }
	wait "$pid"
	[ ! -s "$e2e_tmp/err" ]
}
check "batch at max speed, day-long interval: SIGTERM ends it at once" batch_stops TERM
check "batch at max speed, day-long interval: SIGHUP ends it at once" batch_stops HUP

screen_quits() {
	start 80 24 -- --speed max --interval 24h
	wait_for "Circuit breaker" || return 1
	press q
	i=0
	while [ $i -lt $QUICK_POLLS ]; do
		pane | grep -q "^EXIT=0$" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# q not handled within 1.5 s"
	return 1
}
check "screen at max speed, day-long interval: q quits at once" screen_quits
done_testing
