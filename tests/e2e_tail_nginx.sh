# routertop tail against a real nginx (issue 13): nginx proxies a bounded
# load to a fast, a slow and a failing backend of its own, writing the
# nginx-timed format; `tail --once` must find one row per upstream, the
# counts nginx logged, and P50/P95/P99 equal to the exact nearest-rank
# percentiles of the same log's $request_time within the tracker's stated
# error (0.05 %, or 1 us at the bottom, where its buckets are 1 us wide).
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
. "$RT_SRCDIR/tests/nginx_lib.sh"
trap 'nginx_stop; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

nginx_start || bail_out "nginx did not start: $(cat "$tmp/start.err")"
fast="127.0.0.1:$fast_port" slow="127.0.0.1:$slow_port" fail="127.0.0.1:$fail_port"

sent() {
	load /fast/a 200 10 && load /slow/x 40 20 && load /fail/a 60 10 &&
	grep -q "^status 200 200$" "$tmp/load.out" && grep -q "^status 500 60$" "$tmp/load.out" &&
	wait_lines "$tmp/access.log" 300
}
check "300 requests through nginx: 300 lines in its access log" sent

"$RT_BIN" tail "$tmp/access.log" --log-format "$NGINX_TIMED" --once --format csv >"$tmp/csv" 2>"$tmp/csv.err"
csv_rc=$?
"$RT_BIN" tail "$tmp/access.log" --log-format "$NGINX_TIMED" --once --format json >"$tmp/json" 2>&1
check "--once exits 2 (FAIL): the failing upstream misses its targets" [ "$csv_rc" -eq 2 ]
check "nothing on stderr" [ ! -s "$tmp/csv.err" ]

# The value of COLUMN (a csv header name) in the line of ROW ("" for the router).
csv_value() {
	awk -F, -v row="$1" -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$2 == row { print $col[name]; exit }' "$tmp/csv"
}

one_row_per_upstream() {
	[ "$(wc -l <"$tmp/csv")" -eq 5 ] &&
	[ -n "$(csv_value "$fast" p50_ms)" ] && [ -n "$(csv_value "$slow" p50_ms)" ] &&
	[ -n "$(csv_value "$fail" p50_ms)" ]
}
check "one row per upstream, named by its address" one_row_per_upstream

# "requests":{"total":N,...} of the router (first) or of the row named $1.
json_total() {
	if [ -z "$1" ]; then
		grep -o '"requests":{"total":[0-9]*' "$tmp/json" | head -1 | sed 's/.*://'
	else
		sed 's/{"name":"/\n&/g' "$tmp/json" | grep -F "{\"name\":\"$1\"" |
			grep -o '"requests":{"total":[0-9]*' | head -1 | sed 's/.*://'
	fi
}

counts() {
	[ "$(json_total "")" = 300 ] && [ "$(json_total "$fast")" = 200 ] &&
	[ "$(json_total "$slow")" = 40 ] && [ "$(json_total "$fail")" = 60 ] &&
	[ "$(csv_value "$fail" failures)" = 60 ] && [ "$(csv_value "$fast" failures)" = 0 ]
}
check "counts: 300 requests, 200 fast, 40 slow, 60 failed" counts

breakers() {
	[ "$(csv_value "$fail" breaker)" = open ] && [ "$(csv_value "$fast" breaker)" = closed ] &&
	[ "$(csv_value "$slow" breaker)" = closed ] && [ "$(csv_value "" breaker)" = open ]
}
check "the upstream whose requests all failed shows open, the others closed" breakers

# Exact nearest-rank percentile PCT of $request_time (ms) for upstream ADDR, or all.
exact() {
	awk -v a="$1" 'NF > 3 && (a == "all" || $NF == a) { printf "%.3f\n", $(NF - 2) * 1000 }' \
		"$tmp/access.log" | sort -n >"$tmp/values"
	n=$(wc -l <"$tmp/values")
	sed -n "$((($2 * n + 99) / 100))p" "$tmp/values"
}

near() { # GOT WANT
	awk -v g="$1" -v w="$2" 'BEGIN { d = g - w; if (d < 0) d = -d; t = w * 0.0005
		if (t < 0.001) t = 0.001; exit !(g != "" && d <= t + 1e-9) }'
}

percentiles_match() { # ROW-IN-CSV ADDR-IN-LOG
	for p in 50 95 99; do
		got=$(csv_value "$1" "p${p}_ms") want=$(exact "$2" "$p")
		near "$got" "$want" || { echo "# $2 P$p: routertop $got, exact $want" >&2; return 1; }
	done
}
check "router P50/P95/P99 are the log's exact nearest-rank values" percentiles_match "" all
check "fast upstream P50/P95/P99 match the log" percentiles_match "$fast" "$fast"
check "slow upstream P50/P95/P99 match the log" percentiles_match "$slow" "$slow"
check "failing upstream P50/P95/P99 match the log" percentiles_match "$fail" "$fail"

slow_is_slow() {
	awk -v s="$(csv_value "$slow" p50_ms)" -v f="$(csv_value "$fast" p99_ms)" 'BEGIN { exit !(s > 100 && s > f) }'
}
check "the slow upstream is slower than the fast one" slow_is_slow

done_testing
