# routertop tail beside GoAccess (issue 13, "Speed and memory"): both parse
# the same generated 1-million-line nginx log (bench/nginx_log.awk, the
# nginx-timed format) in the same run, routertop with --once, GoAccess
# non-interactively into a JSON report. Prints, as `name median unit min max`:
#   tail_lines_per_s      routertop tail FILE --once, lines per second
#   goaccess_lines_per_s  GoAccess 1.7 on the same file
#   tail_rss_kb           routertop's peak resident memory over the whole log
# Goals: tail_lines_per_s at least 10x goaccess_lines_per_s; tail_rss_kb
# under 16 MB whatever the log's size (the windows are bounded).
. "${RT_SRCDIR:-.}/bench/bench.sh"

names="tail_lines_per_s goaccess_lines_per_s tail_rss_kb"
# shellcheck disable=SC2086
bench_wanted $names || exit 0
lines=${BENCH_TAIL_LINES:-1000000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/rt-bench-tail.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM
log="$dir/access.log"
awk -v lines="$lines" -f "$RT_SRCDIR/bench/nginx_log.awk" >"$log"
got=$(wc -l <"$log")
if [ "$got" -ne "$lines" ]; then
	# shellcheck disable=SC2086
	for n in $names; do bench_fail "$n" "the log generator wrote $got lines, not $lines"; done
	bench_finish
	exit
fi
echo "# tail: $lines lines, $(wc -c <"$log") bytes" >&2

bench_time tail_lines_per_s lines/s per_s "$lines" -- \
	"$RT_BIN" tail "$log" --once --log-format nginx-timed
if bench_need goaccess goaccess_lines_per_s; then
	bench_time goaccess_lines_per_s lines/s per_s "$lines" -- \
		goaccess "$log" --no-progress --log-format='%h %^[%d:%t %^] "%r" %s %b "%R" "%u" %T %^' \
		--date-format=%d/%b/%Y --time-format=%T -o "$dir/goaccess.json"
fi

# Peak RSS of whole runs, as GNU time reads it from the kernel (wait4).
if bench_wanted tail_rss_kb && bench_need /usr/bin/time tail_rss_kb; then
	rss=""
	i=0
	while [ $i -lt "${BENCH_ROUNDS:-5}" ]; do
		if /usr/bin/time -f %M -o "$dir/rss" "$RT_BIN" tail "$log" --once \
			--log-format nginx-timed >/dev/null; then
			rss="$rss $(cat "$dir/rss")"
		else
			rss="$rss failed"
		fi
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	bench_report tail_rss_kb kB $rss
fi
bench_finish
