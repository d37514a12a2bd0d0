#!/bin/sh
# End to end on loopback: `routertop watch URL --batch` against the fault
# server, which refuses connections until told to listen, then answers
# slow past the timeout, 500, garbage, truncated JSON, a 5 MB body and a
# redirect loop, each followed by a good answer. watch keeps running,
# reports each fault on stderr and records a snapshot after each one.
# Every wait has a time limit; background processes die in the trap.
. "$RT_SRCDIR/tests/tap.sh"

FAULTS="$RT_BUILDDIR/tests/fault_server"
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY

tmp=$(mktemp -d)
fspid=
wpid=
cleanup() {
	[ -n "$wpid" ] && kill "$wpid" 2>/dev/null
	[ -n "$fspid" ] && kill "$fspid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

wait_count() {	# wait_count FILE PATTERN N SECONDS: until N lines match
	i=0
	while [ "$i" -lt $(($4 * 10)) ]; do
		[ "$(grep -c "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

seq=refused,good,slow,good,500,good,garbage,good,truncated,good,huge,good,redirect
"$FAULTS" --slow-ms 3000 --max-seconds 120 "$seq" >"$tmp/fs" 2>"$tmp/fs.err" &
fspid=$!
check "the fault server has a port" wait_file "$tmp/fs" '^port [1-9][0-9]*$' 10
port=$(sed -n 's/^port //p' "$tmp/fs")
[ -n "$port" ] || { done_testing; exit 1; }
url="http://127.0.0.1:$port/metrics"

"$RT_BIN" watch "$url" --batch --format json --interval 1 --timeout 1 \
	--record "$tmp/rec.jsonl" >"$tmp/out" 2>"$tmp/err" &
wpid=$!
check "refused: reported" wait_file "$tmp/err" "connection refused by $url" 10
kill -USR1 "$fspid"
check "the fault server listens" wait_file "$tmp/fs" '^listening$' 5
# 12 answers in the sequence, then two more good ones.
check "watch polls through every fault" wait_count "$tmp/fs" '^served ' 14 60
check "slow: reported as a timeout" grep -q "timeout: no answer within 1000 ms from $url" "$tmp/err"
check "500: reported" grep -q "HTTP 500 Internal Server Error from $url" "$tmp/err"
check "garbage and truncated JSON: both reported as bad metrics" \
	test "$(grep -c 'bad metrics: ' "$tmp/err")" -ge 2
check "5 MB body: reported" grep -q "body over 1048576 bytes from $url" "$tmp/err"
check "redirect loop: reported" grep -q "too many redirects (more than 3) from $url" "$tmp/err"
check "watch is still running" kill -0 "$wpid"
# Seven good answers: five between the faults and two after the last.
check "watch recovers after each fault" wait_count "$tmp/rec.jsonl" '"metrics"' 7 10
check "watch printed a line per interval" test "$(wc -l <"$tmp/out")" -ge 7
kill -TERM "$wpid"
wait "$wpid"
wpid=
kill -TERM "$fspid"
wait "$fspid"
check "the fault server exits cleanly" test "$?" -eq 0
fspid=
done_testing
