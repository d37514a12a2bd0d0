# routertop tail on the command line: its help, bad usage, standard input,
# bad lines, and fixture logs written from Envoy's and HAProxy's
# documentation (tests/tail_envoy.log, tests/tail_haproxy.log).
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TZ=UTC
export TZ

help_fits() {
	"$RT_BIN" tail --help >"$tmp/help" || return 1
	[ "$(wc -l <"$tmp/help")" -le 23 ] && [ "$(awk '{ if (length > n) n = length } END { print n }' "$tmp/help")" -le 79 ] &&
	grep -q "log_format timed" "$tmp/help"
}
check "tail --help fits on one 80x24 screen and gives the nginx line" help_fits

man_has_options() {
	for opt in log-format by latency window from-start; do
		grep -q -- "--$opt" "$tmp/help" || { echo "# --$opt is not in tail --help" >&2; return 1; }
		grep -qF -- "$(printf '\\-\\-%s' "$(echo "$opt" | sed 's/-/\\-/g')")" "$RT_SRCDIR/man/routertop.1" ||
			{ echo "# --$opt is not in the man page" >&2; return 1; }
	done
}
check "every tail option is in the man page" man_has_options

usage_error() { # ARGS... : exit 3 and one line naming the problem
	"$RT_BIN" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	[ "$rc" -eq 3 ] && [ ! -s "$tmp/out" ] && grep -q "^routertop: .*$LAST" "$tmp/err"
}
LAST="missing FILE" check "tail without a file exits 3" usage_error tail
LAST="No such file" check "--once on a missing file exits 3" usage_error tail "$tmp/none.log" --once
LAST="no text between" check "a format that cannot be parsed exits 3" usage_error tail x.log --log-format '$status$request_time'
LAST="unknown field" check "a bad json field map exits 3" usage_error tail x.log --log-format json:bogus=b
LAST="expected request or upstream" check "a bad --latency exits 3" usage_error tail x.log --latency total

# The value of COLUMN for ROW ("" for the router) in a csv report.
csv_value() {
	awk -F, -v row="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$2 == row { print $col[name]; exit }' "$1"
}

# GOT is WANT within the tracker's stated error (0.05 %, or 1 us).
near() {
	awk -v g="$1" -v w="$2" 'BEGIN { d = g - w; if (d < 0) d = -d; t = w * 0.0005
		if (t < 0.001) t = 0.001; exit !(g != "" && d <= t + 1e-9) }'
}

stdin_pipe() {
	printf '%s\n' '10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] "GET /a HTTP/1.1" 200 5 "-" "c" 0.010 0.009 u:1' \
		'10.0.0.1 - - [01/Mar/2024:10:00:01 +0000] "GET /b HTTP/1.1" 200 5 "-" "c" 0.020 0.019 u:2' |
		"$RT_BIN" tail - --once --format csv >"$tmp/stdin.csv"
	# Exit 2: two requests a second miss the throughput target.
	[ $? -eq 2 ] && [ "$(wc -l <"$tmp/stdin.csv")" -eq 4 ] && near "$(csv_value "$tmp/stdin.csv" u:2 p50_ms)" 20 &&
	[ "$(csv_value "$tmp/stdin.csv" u:1 breaker)" = closed ] && [ "$(csv_value "$tmp/stdin.csv" "" rps)" = 2 ]
}
check "standard input, format told from the lines, one row per upstream" stdin_pipe

# Standard input cannot be peeked at, so the run's start is learnt from its
# lines: "at +" is the log's span, as for a file, not a date since 1970.
stdin_span() {
	printf '%s\n' '10.0.0.1 - - [01/Mar/2024:10:00:01 +0000] "GET /a HTTP/1.1" 200 5 "-" "c" 0.010 0.009 u:1' \
		'10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] "GET /a HTTP/1.1" 200 5 "-" "c" 0.010 0.009 u:1' \
		'10.0.0.1 - - [01/Mar/2024:10:00:03 +0000] "GET /b HTTP/1.1" 200 5 "-" "c" 0.020 0.019 u:2' |
		"$RT_BIN" tail - --once >"$tmp/stdin.txt"
	grep -q '^source .*(at +3\.0s)$' "$tmp/stdin.txt"
}
check "standard input: times count from the log's earliest line" stdin_span

all_bad() {
	printf 'not a log line \033[31m red\n' >"$tmp/bad.log"
	"$RT_BIN" tail "$tmp/bad.log" --log-format nginx-timed --once >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 3 ] && grep -q "bad.log:1: not nginx-timed: .*\"not a log line  \[31m red\"" "$tmp/err" &&
	! grep -q "$(printf '\033')" "$tmp/err"
}
check "a log with no good line: the first bad one quoted and sanitised, exit 3" all_bad

some_bad() {
	{ echo "garbage"; printf '%s\n' '10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] "GET /a HTTP/1.1" 200 5 "-" "c" 0.010 0.009 u:1'; } >"$tmp/some.log"
	"$RT_BIN" tail "$tmp/some.log" --log-format nginx-timed --once >"$tmp/out" 2>"$tmp/err"
	[ $? -le 2 ] && grep -q "^source .*2 lines, 1 bad (nginx-timed), first bad at some.log:1 " "$tmp/out" &&
	[ ! -s "$tmp/err" ]
}
check "a bad line among good ones is counted, never fatal" some_bad

envoy_fixture() {
	"$RT_BIN" tail "$RT_SRCDIR/tests/tail_envoy.log" --log-format envoy --once --format csv >"$tmp/envoy.csv"
	[ $? -eq 2 ] && [ "$(wc -l <"$tmp/envoy.csv")" -eq 6 ] &&
	[ "$(csv_value "$tmp/envoy.csv" "" timeouts)" = 1 ] &&
	[ "$(csv_value "$tmp/envoy.csv" "" breaker_trips)" = 1 ] &&
	[ "$(csv_value "$tmp/envoy.csv" "" rate_limited)" = 1 ] &&
	[ "$(csv_value "$tmp/envoy.csv" "" failures)" = 1 ] &&
	[ "$(csv_value "$tmp/envoy.csv" "tcp://10.0.2.1:80" breaker)" = closed ] &&
	near "$(csv_value "$tmp/envoy.csv" "tcp://10.0.2.1:80" p99_ms)" 226 &&
	[ "$(csv_value "$tmp/envoy.csv" "tcp://10.0.2.2:80" breaker)" = open ] &&
	[ "$(csv_value "$tmp/envoy.csv" "(none)" breaker_trips)" = 1 ]
}
check "Envoy fixture: UT a timeout, UO a breaker trip, RL rate limited, UF a failure" envoy_fixture

envoy_by_host() {
	"$RT_BIN" tail "$RT_SRCDIR/tests/tail_envoy.log" --once --by host --format csv >"$tmp/host.csv"
	[ $? -eq 2 ] && [ "$(wc -l <"$tmp/host.csv")" -eq 4 ] &&
	[ "$(csv_value "$tmp/host.csv" search failures)" = 1 ]
}
check "Envoy fixture by host (:authority), format told from the lines" envoy_by_host

haproxy_fixture() {
	"$RT_BIN" tail "$RT_SRCDIR/tests/tail_haproxy.log" --log-format haproxy --once --format csv >"$tmp/ha.csv"
	[ $? -eq 2 ] && [ "$(wc -l <"$tmp/ha.csv")" -eq 4 ] &&
	[ "$(csv_value "$tmp/ha.csv" static timeouts)" = 1 ] &&
	[ "$(csv_value "$tmp/ha.csv" static breaker_trips)" = 1 ] &&
	[ "$(csv_value "$tmp/ha.csv" api failures)" = 1 ] &&
	near "$(csv_value "$tmp/ha.csv" api p50_ms)" 4 && near "$(csv_value "$tmp/ha.csv" api p99_ms)" 13 &&
	near "$(csv_value "$tmp/ha.csv" static p99_ms)" 30001
}
check "HAProxy fixture: rows by backend, sH a timeout, sQ a breaker trip, Ta the latency" haproxy_fixture

haproxy_upstream_latency() {
	"$RT_BIN" tail "$RT_SRCDIR/tests/tail_haproxy.log" --once --by server --latency upstream --format csv >"$tmp/srv.csv"
	[ $? -eq 2 ] && near "$(csv_value "$tmp/srv.csv" srv1 p99_ms)" 69 &&
	[ "$(csv_value "$tmp/srv.csv" srv2 breaker)" = open ]
}
check "HAProxy fixture by server, --latency upstream takes Tr" haproxy_upstream_latency

gz_once() {
	gzip -c "$RT_SRCDIR/tests/tail_haproxy.log" >"$tmp/old.log.gz"
	"$RT_BIN" tail "$tmp/old.log.gz" --once --format csv >"$tmp/gz.csv"
	[ $? -eq 2 ] && cmp -s "$tmp/gz.csv" "$tmp/ha.csv" &&
	"$RT_BIN" tail - --once --format csv <"$tmp/old.log.gz" >"$tmp/gzin.csv"
	# Times count from the log's start for a file, from the epoch for standard input.
	[ $? -eq 2 ] && [ "$(cut -d, -f2- "$tmp/gzin.csv")" = "$(cut -d, -f2- "$tmp/ha.csv")" ]
}
check "a gzip log reads like the plain one, named or on standard input" gz_once

done_testing
