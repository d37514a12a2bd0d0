#!/bin/sh
# A hostile router through every path (a JSON string, an unknown breaker
# state, the reason phrase, header values, a redirect, a 1 MB header, a
# Prometheus label value), in
# --batch output of every format and in the recording: none of its control
# text reaches standard output, standard error or the file, and the faults
# are still reported.
. "$RT_SRCDIR/tests/hostile_lib.sh"

seq=hostile-json,hostile-state,hostile-reason,hostile-header,hostile-redirect,hostile-big-header,hostile-prom

# batch FORMAT: watch through the sequence; 4 faults on stderr, 4 snapshots recorded.
batch() {
	start_hostile "$seq"
	"$RT_BIN" watch "$url" --batch --format "$1" --interval 0.1 --timeout 2 \
		--record "$e2e_tmp/rec.$1" >"$e2e_tmp/out.$1" 2>"$e2e_tmp/err.$1" &
	pid=$!
	wait_lines "$e2e_tmp/err.$1" '^routertop: ' 4 && wait_lines "$e2e_tmp/rec.$1" '"metrics"' 4
	rc=$?
	kill -TERM "$pid"
	wait "$pid"
	return $rc
}

for fmt in text json csv nagios; do
	check "$fmt: the run goes through every hostile answer" batch $fmt
	check "$fmt: standard output clean" clean "$e2e_tmp/out.$fmt"
	check "$fmt: standard error clean" clean "$e2e_tmp/err.$fmt"
	check "$fmt: the faults are reported, defanged" grep -q '^routertop: HTTP 503  \]0;PWNED  \[31mred' "$e2e_tmp/err.$fmt"
	check "$fmt: the redirect target is named" grep -q 'redirected to http://127.0.0.1:[0-9]*/hop' "$e2e_tmp/err.$fmt"
	check "$fmt: the 1 MB header is named" grep -q 'response header too large from ' "$e2e_tmp/err.$fmt"
	check "$fmt: the recording clean" clean "$e2e_tmp/rec.$fmt"
	check "$fmt: the recording keeps the router's words, defanged" grep -q '"recommendation":" \]0;PWNED ' "$e2e_tmp/rec.$fmt"
done
check "json: the router's words are in the output, defanged" grep -q 'desrever  | fake_perf' "$e2e_tmp/out.json"

# --once: the fault line goes to standard output for a monitoring system; no forged perfdata.
once_nagios() {
	start_hostile hostile-reason
	"$RT_BIN" watch "$url" --once --format nagios >"$e2e_tmp/once.nagios" 2>"$e2e_tmp/once.err"
	[ $? -eq 3 ] && clean "$e2e_tmp/once.nagios" && clean "$e2e_tmp/once.err" &&
	grep -q '^ROUTERTOP UNKNOWN - HTTP 503 .*desrever  / fake_perf=0;1;' "$e2e_tmp/once.nagios" &&
	! grep -q '|' "$e2e_tmp/once.nagios"
}
check "nagios --once: the reason phrase without '|', clean, exit 3" once_nagios

once_text() {
	start_hostile hostile-json
	"$RT_BIN" watch "$url" --once >"$e2e_tmp/once.text" 2>"$e2e_tmp/once.err"
	[ $? -eq 1 ] && clean "$e2e_tmp/once.text" && grep -q '^breaker .*" \]0;PWNED ' "$e2e_tmp/once.text"
}
check "text --once: the recommendation shown, clean" once_text
done_testing
