#!/bin/sh
# End to end on loopback: `routertop serve` speaks Prometheus. A plain
# request gets the wire JSON; Prometheus' own Accept header gets OpenMetrics;
# ?format=prometheus gets the 0.0.4 text, which `promtool check metrics`
# (Debian's prometheus package) passes; `routertop watch` reads it back
# through the routertop profile, lifetime percentiles first, then the
# interval's. Every wait is bounded; serve is stopped by its pid.
. "$RT_SRCDIR/tests/tap.sh"

PROBE="$RT_BUILDDIR/tests/http_probe"
PROM_ACCEPT='Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY

command -v promtool >/dev/null || bail_out "promtool not installed (tools/install-deps installs prometheus)"

tmp=$(mktemp -d)
pid=
wpid=
cleanup() {
	[ -n "$wpid" ] && kill "$wpid" 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# lines_at_least FILE N SECONDS: until FILE has N lines.
lines_at_least() {
	i=0
	while [ "$i" -lt $(($3 * 10)) ]; do
		[ "$(wc -l <"$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

has() {
	grep -qx "$2" "$1"
}

body() {
	sed '1,/^$/d' "$1"
}

"$RT_BIN" serve --listen 127.0.0.1:0 --seed 3 >"$tmp/out" 2>"$tmp/err" &
pid=$!
wait_file "$tmp/out" '^listening on http://127\.0\.0\.1:[1-9][0-9]*/metrics$' 10 ||
	bail_out "serve did not start: $(cat "$tmp/err")"
url=$(sed -n 's/^listening on //p' "$tmp/out")
i=0
until "$PROBE" GET "$url" >"$tmp/plain" 2>/dev/null && has "$tmp/plain" "status 200"; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || bail_out "no snapshot served within 10 s"
	sleep 0.1
done

check "a plain request gets the wire JSON" has "$tmp/plain" "content-type application/json"
"$PROBE" GET "$url" "Accept: application/json" >"$tmp/json"
check "Accept: application/json gets the wire JSON" has "$tmp/json" "content-type application/json"

"$PROBE" GET "$url" "$PROM_ACCEPT" >"$tmp/om"
check "Prometheus' own Accept header gets OpenMetrics" \
	has "$tmp/om" "content-type application/openmetrics-text; version=1.0.0; charset=utf-8"
body "$tmp/om" | tail -n 1 >"$tmp/om.last"
check "the OpenMetrics text ends with # EOF" has "$tmp/om.last" "# EOF"

"$PROBE" GET "$url?format=prometheus" >"$tmp/text"
check "?format=prometheus gets the 0.0.4 text" \
	has "$tmp/text" "content-type text/plain; version=0.0.4; charset=utf-8"
body "$tmp/text" >"$tmp/text.body"
# The steady scenario's upstreams: chat is the first.
check "a latency histogram per upstream, buckets from 1 ms to 60 s" sh -c \
	"grep -q '^routertop_request_duration_seconds_bucket{upstream=\"chat\",le=\"0.001\"} ' '$tmp/text.body' &&
	 grep -q '^routertop_request_duration_seconds_bucket{upstream=\"chat\",le=\"60\"} ' '$tmp/text.body' &&
	 grep -q '^routertop_request_duration_seconds_bucket{upstream=\"chat\",le=\"+Inf\"} ' '$tmp/text.body'"
check "requests, errors by class and the breaker state" sh -c \
	"grep -q '^routertop_requests_total{upstream=\"chat\"} ' '$tmp/text.body' &&
	 grep -q '^routertop_errors_total{upstream=\"chat\",class=\"timeout\"} ' '$tmp/text.body' &&
	 grep -q '^routertop_breaker_state{upstream=\"chat\",state=\"closed\"} ' '$tmp/text.body'"
promtool check metrics <"$tmp/text.body" >"$tmp/promtool.out" 2>&1
check "promtool check metrics passes on it" test "$?" -eq 0
check "promtool has nothing to say about it" test ! -s "$tmp/promtool.out"
cat "$tmp/promtool.out" >&2

"$PROBE" GET "$url?format=xml" >"$tmp/bad"
check "an unknown ?format= is 400" has "$tmp/bad" "status 400"

timeout 20 "$RT_BIN" watch "$url" --input prometheus --once --format json >"$tmp/once.json" 2>"$tmp/once.err"
check "watch --input prometheus --once reads it through the routertop profile" \
	grep -q '"name":"chat"' "$tmp/once.json"
check "the first scrape's percentiles are lifetime ones, marked so" \
	grep -q '"percentiles":"buckets-lifetime"' "$tmp/once.json"

"$RT_BIN" watch "$url" --profile routertop --batch --interval 1s --format json \
	>"$tmp/batch.json" 2>"$tmp/batch.err" &
wpid=$!
lines_at_least "$tmp/batch.json" 2 15
kill "$wpid" 2>/dev/null
wait "$wpid" 2>/dev/null
wpid=
check "a --profile asks for Prometheus text: the second interval's percentiles come from bucket increases" \
	sh -c "sed -n 2p '$tmp/batch.json' | grep -q '\"percentiles\":\"buckets\"'"
check "and it has a rate from the counters" \
	sh -c "sed -n 2p '$tmp/batch.json' | grep -q '\"requestsPerSecond\":[0-9]'"

timeout 20 "$RT_BIN" watch "$url" --input prometheus --profile envoy --once >"$tmp/envoy.out" 2>"$tmp/envoy.err"
check "a profile whose families are missing exits 3" test "$?" -eq 3
check "and says which were missing" grep -q "none of the envoy profile's metrics (envoy_cluster_upstream_rq_total" "$tmp/envoy.out" "$tmp/envoy.err"

kill -TERM "$pid"
wait "$pid"
check "serve stops on SIGTERM" test "$?" -eq 0
pid=
done_testing
