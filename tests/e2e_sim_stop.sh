#!/bin/sh
# At --speed max the simulator looks at signals and keys every few
# milliseconds, however long the interval: a day-long interval (the
# longest taken) takes seconds to simulate, yet SIGTERM, SIGHUP and q end
# the run at once. An interval over a day is refused with a clear error.
. "$RT_SRCDIR/tests/e2e_lib.sh"

# "At once" is told by the program's own CPU, not by the clock: a busy
# machine stretches the wall time of everything, never the CPU a run
# burns. One day of the steady scenario takes 8 s of CPU (more under
# ASan); after the signal or the key the program may use a second of it.
QUICK_TICKS=100	# clock ticks of 10 ms

# cpu_ticks PID: user and system CPU so far, in clock ticks; empty once gone.
cpu_ticks() { awk '$3 != "Z" { print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }

# stops_quickly PID SIGN: until the process is gone (or SIGN, a command,
# holds), failing once it has used QUICK_TICKS of CPU since called. The
# wall-clock bound (e2e_polls) only catches a hang.
stops_quickly() {
	base=$(cpu_ticks "$1")
	[ -n "$base" ] || return 0
	i=0
	while [ $i -lt $e2e_polls ]; do
		now=$(cpu_ticks "$1")
		[ -z "$now" ] && return 0
		$2 && return 0
		if [ $((now - base)) -ge $QUICK_TICKS ]; then
			echo "# still running after $((now - base)) ticks of CPU since the signal or key"
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "# still running $((e2e_polls / 10)) s after the signal or key"
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
	while [ "$(cpu_ticks $pid)" -lt 20 ] 2>/dev/null && [ $i -lt $e2e_polls ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -"$1" "$pid"
	stops_quickly "$pid" false || { kill -KILL "$pid"; return 1; }
	wait "$pid"
	[ ! -s "$e2e_tmp/err" ]
}
check "batch at max speed, day-long interval: SIGTERM ends it at once" batch_stops TERM
check "batch at max speed, day-long interval: SIGHUP ends it at once" batch_stops HUP

exited() { pane | grep -q "^EXIT=0$"; }

screen_quits() {
	start 80 24 -- --speed max --interval 24h
	wait_for "Circuit breaker" || return 1
	# The program: the child of the pane's shell.
	pid=$(ps -o pid= --ppid "$(T display-message -p -t "$cur" '#{pane_pid}')" | tr -d ' ')
	[ -n "$pid" ] || { echo "# no program under the pane's shell"; return 1; }
	press q
	stops_quickly "$pid" exited && wait_for "^EXIT=0$"
}
check "screen at max speed, day-long interval: q quits at once" screen_quits
done_testing
