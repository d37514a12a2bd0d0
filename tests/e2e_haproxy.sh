#!/bin/sh
# routertop against a real HAProxy (issue 11): HAProxy 2.6 with its built-in
# Prometheus exporter, on loopback ports this test picks, with a
# configuration it writes: one frontend and three backends -- ok (its server
# answers 200), bad (its server answers 500) and down (its server is
# 127.0.0.1:1, where nothing listens: a picked port could be taken by
# then, and its checks would pass). The two servers are HAProxy frontends
# of their own, so nothing else is needed. After a bounded load
# through the frontend, `routertop watch URL --once --format json` must show
# one row per backend, the 500s as failures and the down backend's breaker
# open and FAIL. The test starts and stops HAProxy itself.
. "$RT_SRCDIR/tests/tap.sh"

command -v haproxy >/dev/null 2>&1 || bail_out "haproxy is not installed (tools/install-deps installs it)"
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY
PROBE="$RT_BUILDDIR/tests/http_probe"
LOAD="$RT_BUILDDIR/tests/http_load"
OK_N=30 BAD_N=20 DOWN_N=10

tmp=$(mktemp -d)
haproxy_stop() {
	[ -f "$tmp/haproxy.pid" ] || return 0
	hp=$(cat "$tmp/haproxy.pid")
	kill "$hp" 2>/dev/null
	i=0
	while kill -0 "$hp" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	rm -f "$tmp/haproxy.pid"
}
trap 'haproxy_stop; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

haproxy_conf() { # STATS FRONT OK BAD
	cat <<CONF
global
	maxconn 256
defaults
	mode http
	timeout connect 1s
	timeout client 5s
	timeout server 5s
frontend stats
	bind 127.0.0.1:$1
	http-request use-service prometheus-exporter if { path /metrics }
frontend fe
	bind 127.0.0.1:$2
	use_backend ok if { path_beg /ok }
	use_backend bad if { path_beg /bad }
	default_backend down
backend ok
	server s1 127.0.0.1:$3
backend bad
	server s1 127.0.0.1:$4
backend down
	server s1 127.0.0.1:1 check inter 100ms fall 1 rise 1
frontend ok_server
	bind 127.0.0.1:$3
	http-request return status 200 content-type text/plain string "ok"
frontend bad_server
	bind 127.0.0.1:$4
	http-request return status 500 content-type text/plain string "bad"
CONF
}

# haproxy_start: picks four loopback ports (another set when one is taken).
haproxy_start() {
	try=0
	while [ $try -lt 20 ]; do
		base=$((20000 + ($$ * 17 + try * 211) % 40000))
		stats=$base front=$((base + 1))
		haproxy_conf $stats $front $((base + 2)) $((base + 3)) >"$tmp/haproxy.cfg"
		if haproxy -f "$tmp/haproxy.cfg" -D -p "$tmp/haproxy.pid" 2>>"$tmp/start.err"; then
			return 0
		fi
		try=$((try + 1))
	done
	cat "$tmp/start.err" >&2
	return 1
}

haproxy_start || bail_out "haproxy did not start: $(cat "$tmp/start.err")"
url="http://127.0.0.1:$stats/metrics"

# until: a health check has taken the down backend's only server down (10 s at most).
down_seen() {
	i=0
	while [ $i -lt 100 ]; do
		"$PROBE" GET "$url" >"$tmp/m" 2>/dev/null &&
			grep -q '^haproxy_backend_status{proxy="down",state="DOWN"} 1$' "$tmp/m" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
check "HAProxy's exporter answers and health checks take the down backend DOWN" down_seen
check "HAProxy answers Prometheus text 0.0.4" grep -qx "content-type text/plain; version=0.0.4" "$tmp/m"

"$LOAD" "http://127.0.0.1:$front/ok/" $OK_N 4 >"$tmp/load.ok" &&
	"$LOAD" "http://127.0.0.1:$front/bad/" $BAD_N 4 >"$tmp/load.bad" &&
	"$LOAD" "http://127.0.0.1:$front/down/" $DOWN_N 4 >"$tmp/load.down"
check "a bounded load: $OK_N answered 200, $BAD_N 500, $DOWN_N 503 (no server)" sh -c \
	"grep -qx 'status 200 $OK_N' '$tmp/load.ok' && grep -qx 'status 500 $BAD_N' '$tmp/load.bad' &&
	 grep -qx 'status 503 $DOWN_N' '$tmp/load.down'"

timeout 20 "$RT_BIN" watch "$url" --once --format json >"$tmp/json" 2>"$tmp/err"
rc=$?
check "watch --once exits 2 (FAIL)" test "$rc" -eq 2
check "nothing on stderr" test ! -s "$tmp/err"
cat "$tmp/err" >&2

# The JSON of the row named $1 (everything from its name to the next row's).
row() {
	sed 's/{"name":"/\n&/g' "$tmp/json" | grep -F "{\"name\":\"$1\""
}
# row_count NAME KEY: the first "KEY":N in that row.
row_count() {
	row "$1" | grep -o "\"$2\":[0-9]*" | head -1 | sed 's/.*://'
}

rows() {
	[ "$(sed 's/{"name":"/\n&/g' "$tmp/json" | grep -c '^{"name":"')" -eq 3 ] &&
	[ -n "$(row ok)" ] && [ -n "$(row bad)" ] && [ -n "$(row down)" ]
}
check "one row per backend: ok, bad, down" rows
check "requests counted per backend (ok $OK_N, bad $BAD_N, down $DOWN_N)" sh -c \
	"[ '$(row_count ok total)' = $OK_N ] && [ '$(row_count bad total)' = $BAD_N ] &&
	 [ '$(row_count down total)' = $DOWN_N ]"
check "the 500s are failures: bad has $BAD_N, ok none" sh -c \
	"[ '$(row_count bad failures)' = $BAD_N ] && [ '$(row_count ok failures)' = 0 ]"
down_open() {
	row down | grep -q '"state":"open"' && row down | grep -q '"recommendation":"DOWN (haproxy)"'
}
check "the down backend's breaker is open, HAProxy's word kept" down_open
down_fail() {
	row down | grep -q '"status":"FAIL"}*]*}*$'
}
check "the down backend is FAIL" down_fail
others_closed() {
	row ok | grep -q '"state":"closed"' && row bad | grep -q '"state":"closed"'
}
check "the healthy backends' breakers are closed" others_closed
check "HAProxy keeps no histogram: no percentiles, never 0" sh -c \
	"! grep -q '\"p50\"' '$tmp/json'"

timeout 20 "$RT_BIN" watch "$url" --once >"$tmp/text" 2>&1
check "the header names the profile auto chose" grep -q "haproxy by backend" "$tmp/text"

haproxy_stop
check "HAProxy is stopped" test ! -f "$tmp/haproxy.pid"
done_testing
