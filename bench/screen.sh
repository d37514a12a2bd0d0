# The screen's weight beside htop's (issue 9, "A lighter screen"): routertop
# on the simulator and `htop -d 10` run side by side in one private tmux
# server, both redrawing every second in a 120x40 pane. After a warm-up,
# each of BENCH_ROUNDS (5) rounds of BENCH_SCREEN_ROUND_S (6) seconds gives
# for each process its CPU time over the round (from /proc/PID/schedstat,
# in nanoseconds, scaled to seconds per minute) and, at the round's end, its
# resident and private memory (/proc/PID/smaps_rollup: Rss, and the
# Private_* lines, i.e. USS). Prints, as `name median unit min max`:
#   screen_rss_kb screen_uss_kb screen_cpu_s_per_min
#   htop_rss_kb htop_uss_kb htop_cpu_s_per_min
# Goals: screen USS <= 1.2x htop's, RSS <= 1.5x, CPU <= 0.5x.
. "${RT_SRCDIR:-.}/bench/bench.sh"

names="screen_rss_kb screen_uss_kb screen_cpu_s_per_min htop_rss_kb htop_uss_kb htop_cpu_s_per_min"
# shellcheck disable=SC2086
bench_wanted $names || exit 0
# shellcheck disable=SC2086
bench_need tmux $names || { bench_finish; exit; }
# shellcheck disable=SC2086
bench_need htop $names || { bench_finish; exit; }

rounds=${BENCH_ROUNDS:-5}
round_s=${BENCH_SCREEN_ROUND_S:-6}
warmup_s=${BENCH_SCREEN_WARMUP_S:-5}
sock="rt-bench-screen-$$"
T() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'T kill-server >/dev/null 2>&1' EXIT
trap 'exit 1' INT TERM

# Both under the same terminal type and locale; exec, so the pane's
# process is the program itself.
run_env="env LC_ALL=C.UTF-8 TERM=xterm-256color"
T new-session -d -s screen -x 120 -y 40 "exec $run_env $RT_BIN sim"
T new-session -d -s htop -x 120 -y 40 "exec $run_env htop -d 10"

# wait_drawn SESSION TEXT: the pane's pid once TEXT is on screen (10 s at most).
wait_drawn() {
	i=0
	while [ $i -lt 100 ]; do
		if T capture-pane -p -t "$1" 2>/dev/null | grep -q "$2"; then
			T display-message -p -t "$1" '#{pane_pid}'
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	T capture-pane -p -t "$1" >&2 2>/dev/null
	return 1
}

if ! spid=$(wait_drawn screen "Circuit breaker") || ! hpid=$(wait_drawn htop "Load average"); then
	# shellcheck disable=SC2086
	for n in $names; do bench_fail "$n" "the screens did not start"; done
	bench_finish
	exit
fi
echo "# screen: routertop pid $spid ($(cat "/proc/$spid/comm")), htop pid $hpid" >&2

cpu_ns() { awk '{ print $1 }' "/proc/$1/schedstat"; }
# kB of the smaps_rollup lines whose name matches $2 (Rss, or Private_ for USS).
smaps_kb() { awk -v re="^$2" '$1 ~ re { kb += $2 } END { print kb + 0 }' "/proc/$1/smaps_rollup"; }
now_ns() { date +%s%N; }

sleep "$warmup_s"
s_rss="" s_uss="" s_cpu="" h_rss="" h_uss="" h_cpu=""
r=0
while [ $r -lt "$rounds" ]; do
	t0=$(now_ns) sc0=$(cpu_ns "$spid") hc0=$(cpu_ns "$hpid")
	sleep "$round_s"
	t1=$(now_ns) sc1=$(cpu_ns "$spid") hc1=$(cpu_ns "$hpid")
	s_cpu="$s_cpu $(awk -v a="$sc0" -v b="$sc1" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.6f", (b - a) * 60 / (t1 - t0) }')"
	h_cpu="$h_cpu $(awk -v a="$hc0" -v b="$hc1" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.6f", (b - a) * 60 / (t1 - t0) }')"
	s_rss="$s_rss $(smaps_kb "$spid" Rss)" s_uss="$s_uss $(smaps_kb "$spid" Private_)"
	h_rss="$h_rss $(smaps_kb "$hpid" Rss)" h_uss="$h_uss $(smaps_kb "$hpid" Private_)"
	r=$((r + 1))
done
if ! T capture-pane -p -t screen | grep -q "Circuit breaker"; then
	# shellcheck disable=SC2086
	for n in $names; do bench_fail "$n" "routertop's screen went away during the run"; done
	bench_finish
	exit
fi
# shellcheck disable=SC2086
{
	bench_report screen_rss_kb kB $s_rss
	bench_report screen_uss_kb kB $s_uss
	bench_report screen_cpu_s_per_min s $s_cpu
	bench_report htop_rss_kb kB $h_rss
	bench_report htop_uss_kb kB $h_uss
	bench_report htop_cpu_s_per_min s $h_cpu
}
T send-keys -t screen q
T send-keys -t htop q
bench_finish
