#!/bin/sh
# routertop tail on pipes and FIFOs: gzip and zstd data are told by their
# first bytes on a pipe as in a file (issue 13: "reads standard input and
# pipes"; the design: compressed logs are plain, gzip or zstd, a file or a
# pipe); a FIFO with no writer is waited on, and while following, the next
# writer's lines are read too (like tail -F on a name); --once on a FIFO
# reads one writer's lines and ends.
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
rt=""
trap '[ -n "$rt" ] && kill "$rt" 2>/dev/null; rm -rf "$tmp"' EXIT
TZ=UTC
export TZ

# N lines of an nginx-timed log, one a second from 10:00:00.
log() {
	i=0
	while [ $i -lt "$1" ]; do
		printf '10.0.0.1 - - [01/Mar/2024:10:%02d:%02d +0000] "GET /a HTTP/1.1" 200 5 "-" "c" 0.010 0.009 u:1\n' \
			$((i / 60)) $((i % 60))
		i=$((i + 1))
	done
}
log 120 >"$tmp/a.log"
log 3 >"$tmp/three.log"
log 4 | gzip -c >"$tmp/four.log.gz"
log 5 >"$tmp/five.log"

# to_fifo FILE: write FILE into the FIFO as one writer; a writer with no
# reader waits in open(), so it gives up after 20 s.
to_fifo() { timeout 20 sh -c 'cat "$1" >"$2"' sh "$1" "$tmp/fifo"; }

# The router's request total in a json record (the last line of FILE).
total() { tail -n 1 "$1" | grep -o '"requests":{"total":[0-9]*' | head -n 1 | sed 's/.*://'; }

once_total() { # COMMAND...: exit 0..2 and 120 requests in the --once json
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" -le 2 ] && [ "$(total "$tmp/out")" = 120 ] && [ ! -s "$tmp/err" ] ||
		{ echo "# exit $rc, total $(total "$tmp/out"): $(head -c 300 "$tmp/err")"; return 1; }
}
gz_pipe() { gzip -c "$tmp/a.log" | once_total "$RT_BIN" tail - --once --format json; }
zst_pipe() { zstd -q -c "$tmp/a.log" | once_total "$RT_BIN" tail - --once --format json; }
zst_file() { zstd -q -c "$tmp/a.log" >"$tmp/a.log.zst" && once_total "$RT_BIN" tail "$tmp/a.log.zst" --once --format json; }
check "gzip data on standard input (a pipe) is read as the log it holds" gz_pipe
check "zstd data on standard input (a pipe) too" zst_pipe
check "a zstd file too" zst_file

span_zst() { # a compressed file's clock starts at its first line, as a plain file's
	"$RT_BIN" tail "$tmp/a.log.zst" --once >"$tmp/out" 2>&1
	grep -q "^source .*120 lines (nginx-timed)  (at +119.0s)" "$tmp/out" || { head -n 1 "$tmp/out"; return 1; }
}
check "--once over a zstd file runs on the log's own times" span_zst

truncated_pipe() {
	log 20000 | gzip -c | head -c 20000 | "$RT_BIN" tail - --once >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq 3 ] && grep -q "^routertop: stdin: gzip data ends early" "$tmp/err" ||
		{ echo "# exit $rc: $(head -c 300 "$tmp/err")"; return 1; }
}
check "cut gzip data on a pipe: exit 3 and a line naming stdin" truncated_pipe

# wait_until CMD...: poll (20 s at most) until CMD succeeds.
wait_until() {
	i=0
	while [ $i -lt 200 ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
lines_at_least() { [ "$(wc -l <"$1")" -ge "$2" ]; }
total_is() { [ "$(total "$1")" = "$2" ]; }

mkfifo "$tmp/fifo" || bail_out "cannot make a FIFO"
: >"$tmp/f.json"
"$RT_BIN" tail "$tmp/fifo" --log-format nginx-timed --batch --format json --interval 200ms \
	>"$tmp/f.json" 2>"$tmp/f.err" &
rt=$!
waits() { # no writer: snapshots go on (nothing read), the tail does not end
	wait_until lines_at_least "$tmp/f.json" 4 && kill -0 "$rt" && [ "$(total "$tmp/f.json")" = 0 ] ||
		{ echo "# $(cat "$tmp/f.err")"; return 1; }
}
check "a FIFO with no writer is waited on, not its end" waits
first_writer() {
	to_fifo "$tmp/three.log" && wait_until total_is "$tmp/f.json" 3 && kill -0 "$rt"
}
check "a writer's lines are read; when it closes the FIFO, the tail goes on" first_writer
next_writer() {
	to_fifo "$tmp/four.log.gz" && wait_until total_is "$tmp/f.json" 7 && kill -0 "$rt" && [ ! -s "$tmp/f.err" ] ||
		{ echo "# total $(total "$tmp/f.json"): $(cat "$tmp/f.err")"; return 1; }
}
check "the next writer's lines (gzip this time) are read too" next_writer
# Gone before the next reader opens the FIFO, so no writer meets this one.
kill "$rt"
wait "$rt"
rt=""

once_fifo() { # bounded: a run that does not end is killed after 30 s (exit 124)
	timeout 30 "$RT_BIN" tail "$tmp/fifo" --log-format nginx-timed --once --format json \
		>"$tmp/o.json" 2>"$tmp/o.err" &
	rt=$!
	to_fifo "$tmp/five.log" || { echo "# no reader took the lines"; return 1; }
	wait "$rt"
	rc=$?
	rt=""
	[ "$rc" -le 2 ] && total_is "$tmp/o.json" 5 || { echo "# exit $rc: $(cat "$tmp/o.err")"; return 1; }
}
check "--once on a FIFO reads its writer's lines and ends" once_fifo
done_testing
