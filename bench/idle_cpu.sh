#!/bin/sh
# Idle CPU of the screen: `routertop` (the steady simulation, 1 s refresh)
# runs in a private tmux server for about 10 s; the CPU time it used
# (from /proc/PID/schedstat, in nanoseconds) is scaled to seconds per minute.
# Prints: ui_idle_cpu_s_per_min <v> s
RT_BIN=${RT_BIN:-src/routertop}
SECONDS_TO_RUN=${IDLE_SECONDS:-10}

if ! command -v tmux >/dev/null 2>&1; then
	echo "idle_cpu: tmux not installed; skipped"
	exit 0
fi
sock="rt-bench-$$"
T() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'T kill-server >/dev/null 2>&1' EXIT INT TERM

# CPU seconds of PID: schedstat's first field is nanoseconds on a CPU, far
# finer than the 10 ms ticks of /proc/PID/stat, which an idle screen barely
# moves. Without schedstat, fall back to the ticks (utime + stime; the fields
# after the command name, which may hold spaces).
cpu_seconds() {
	if [ -r "/proc/$1/schedstat" ]; then
		awk '{ printf "%.9f\n", $1 / 1e9 }' "/proc/$1/schedstat"
	else
		sed 's/^.*) //' "/proc/$1/stat" | awk -v hz="$(getconf CLK_TCK)" '{ printf "%.9f\n", ($12 + $13) / hz }'
	fi
}

now() { date +%s.%N; }

T new-session -d -s bench -x 120 -y 40 \
	"env LC_ALL=C.UTF-8 TERM=xterm-256color $RT_BIN; sleep 60"
i=0
pid=""
while [ $i -lt 100 ] && [ -z "$pid" ]; do
	shpid=$(T display-message -p -t bench '#{pane_pid}' 2>/dev/null)
	if [ -n "$shpid" ] && T capture-pane -p -t bench | grep -q "Circuit breaker"; then
		pid=$(ps -o pid= --ppid "$shpid" | tr -d ' ' | head -n 1)
	fi
	[ -z "$pid" ] && sleep 0.1
	i=$((i + 1))
done
if [ -z "$pid" ] || [ ! -r "/proc/$pid/stat" ]; then
	echo "idle_cpu: $RT_BIN did not start a screen" >&2
	T capture-pane -p -t bench >&2 2>/dev/null
	exit 1
fi

echo "idle_cpu: pid $pid ($(cat /proc/$pid/comm))" >&2
t0=$(now)
c0=$(cpu_seconds "$pid")
sleep "$SECONDS_TO_RUN"
c1=$(cpu_seconds "$pid")
t1=$(now)
T send-keys -t bench q
awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" \
	'BEGIN { printf "ui_idle_cpu_s_per_min %.4f s\n", (c1 - c0) * 60 / (t1 - t0) }'
