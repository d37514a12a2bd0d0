# A live `routertop tail` while nginx's log is rotated (issue 13): the log is
# renamed in the middle of a load, nginx reopens it (nginx -s reopen), and
# more requests follow; the tail must count every line of both files.
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
. "$RT_SRCDIR/tests/nginx_lib.sh"
rt=""
trap '[ -n "$rt" ] && kill "$rt" 2>/dev/null; nginx_stop; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

nginx_start || bail_out "nginx did not start: $(cat "$tmp/start.err")"
"$RT_BIN" tail "$tmp/access.log" --log-format "$NGINX_TIMED" --batch --format json --interval 200ms \
	>"$tmp/live.json" 2>"$tmp/live.err" &
rt=$!

# The router's request total in the newest batch line.
live_total() {
	tail -n 1 "$tmp/live.json" | grep -o '"requests":{"total":[0-9]*' | head -1 | sed 's/.*://'
}

# wait_for_total N: until the live tail has counted N requests (15 s at most).
wait_for_total() {
	i=0
	while [ "$(live_total)" != "$1" ] && [ $i -lt 150 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(live_total)" = "$1" ]
}

started() {
	i=0
	while [ ! -s "$tmp/live.json" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$tmp/live.json" ]
}
check "the live tail is running" started

first_load() {
	load /fast/a 100 10 && wait_lines "$tmp/access.log" 100 && wait_for_total 100
}
check "100 requests before the rotation are counted" first_load

# Rotate while slow requests are in flight: some are logged to the renamed
# file, some to the new one.
rotate_mid_load() {
	load /slow/x 30 5 &
	slow=$!
	i=0
	while [ "$(wc -l <"$tmp/access.log")" -lt 105 ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	mv "$tmp/access.log" "$tmp/access.log.1" && nginx_reopen &&
	load /fast/b 100 10 && wait "$slow"
}
check "rename and reopen in the middle of a load" rotate_mid_load

both_files() {
	i=0
	while [ $(($(wc -l <"$tmp/access.log.1") + $(wc -l <"$tmp/access.log"))) -lt 230 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(wc -l <"$tmp/access.log.1")" -ge 105 ] && [ "$(wc -l <"$tmp/access.log")" -ge 100 ] &&
	[ $(($(wc -l <"$tmp/access.log.1") + $(wc -l <"$tmp/access.log"))) -eq 230 ]
}
check "nginx wrote 230 lines across the renamed and the new file" both_files
check "the live tail counted all 230: no line lost" wait_for_total 230
check "and it reported no fault" [ ! -s "$tmp/live.err" ]

stops() {
	kill "$rt" && wait "$rt"
	rc=$?
	rt=""
	[ "$rc" -le 2 ]
}
check "SIGTERM stops it with an evaluation's exit status" stops
done_testing
