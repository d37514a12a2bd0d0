#!/bin/sh
# A bad access-log line while following: the status line keeps saying how
# many bad lines came and which was the newest (located, quoted, sanitised)
# through later snapshots, until a newer one takes its place; the event log
# has a line for it; --batch says it once on stderr, not every interval.
. "$RT_SRCDIR/tests/e2e_lib.sh"

good='10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] "GET /a HTTP/1.1" 200 5 "-" "c" 0.010 0.009 u:1'
cd "$e2e_tmp" || bail_out "no temporary directory"
: >access.log

# snapshots: the System panel's count, or 0.
snapshots() { pane | sed -n 's/.*│ snapshots  *\([0-9][0-9]*\) │.*/\1/p' | head -n 1 | grep . || echo 0; }

# more_snapshots N: until the screen has shown N more snapshots than now.
more_snapshots() {
	want=$(($(snapshots) + $1))
	i=0
	while [ $i -lt $e2e_polls ]; do
		[ "$(snapshots)" -ge "$want" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# timed out waiting for snapshot $want; the pane shows:"
	show_pane
	return 1
}

start 100 40 -- tail access.log --log-format nginx-timed
check "the log is followed" wait_for "tail:access.log 0 lines"
{ echo "$good"; printf 'not a log line \033[31m red\n'; echo "$good"; } >>access.log
check "the bad line is shown, located and quoted" \
	wait_for '^ ! 1 bad line, last: access.log:2: not nginx-timed: '
check "later snapshots keep showing it" eval 'more_snapshots 3 && wait_for "^ ! 1 bad line, last: access.log:2: "'
echo "$good" >>access.log
check "good lines do not clear it" eval 'wait_for "tail:access.log 4 lines, 1 bad" && more_snapshots 2 &&
	wait_for "^ ! 1 bad line, last: access.log:2: "'
printf 'second bad line\n' >>access.log
check "a newer bad line takes its place, counted" wait_for '^ ! 2 bad lines, last: access.log:5: '
check "the event log has a line for each interval with new bad lines" \
	eval 'press e && wait_for "│ +[0-9:.]+ 1 bad line, last: access.log:2" && wait_for "│ +[0-9:.]+ 2 bad lines, last: access.log:5"'
check "no escape reaches the screen" no_match '\[31m red'
check "q exits 0" quit_ok

# --batch: one stderr line per new bad line count, not one per snapshot.
: >batch.log
: >batch.out
: >batch.err
"$RT_BIN" tail batch.log --log-format nginx-timed --batch --interval 200ms >batch.out 2>batch.err &
rt=$!
trap 'kill $rt 2>/dev/null; e2e_cleanup' EXIT
lines() { wc -l <"$1"; }
wait_lines() { # FILE N: until FILE has N lines (20 s at most)
	i=0
	while [ $i -lt $e2e_polls ] && [ "$(lines "$1")" -lt "$2" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(lines "$1")" -ge "$2" ]
}
batch_once() {
	wait_lines batch.out 1 || return 1
	{ echo "$good"; echo "bad one"; } >>batch.log
	wait_lines batch.err 1 || { echo "# no warning"; return 1; }
	n=$(lines batch.out)
	wait_lines batch.out $((n + 5)) || return 1
	[ "$(lines batch.err)" -eq 1 ] && grep -q "^routertop: 1 bad line, last: batch.log:2: not nginx-timed" batch.err
}
check "--batch says a bad line once, not every interval" batch_once
kill $rt
done_testing
