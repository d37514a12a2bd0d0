#!/bin/sh
# End to end on loopback: `routertop serve` answers /metrics, /healthz, HEAD,
# 404 and 405; `routertop watch` of its /metrics agrees with what it serves;
# a busy port and a bad address are one-line errors with exit 3; SIGTERM
# exits 0. Every wait has a time limit; background processes die in the trap.
. "$RT_SRCDIR/tests/tap.sh"

PROBE="$RT_BUILDDIR/tests/http_probe"
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY

tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# probe METHOD URL OUT: one request; OUT gets status, headers and body.
probe() {
	"$PROBE" "$1" "$2" >"$3" 2>>"$tmp/probe.err"
}

# has FILE LINE: FILE holds exactly this line.
has() {
	grep -qx "$2" "$1"
}

# body_has FILE WORD...: the body (after the blank line) holds every WORD.
body_has() {
	f=$1
	shift
	sed '1,/^$/d' "$f" >"$f.body"
	for w in "$@"; do
		grep -qF "$w" "$f.body" || return 1
	done
}

# field FILE NAME: the first integer value of "NAME": in FILE.
field() {
	sed -n "s/.*\"$2\":\([0-9][0-9]*\).*/\1/p" "$1" | head -n 1
}

metrics_ready() {
	i=0
	while [ "$i" -lt 100 ]; do
		probe GET "$url" "$tmp/m0" && has "$tmp/m0" "status 200" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

exited_with() {	# exited_with PID STATUS SECONDS
	i=0
	while kill -0 "$1" 2>/dev/null && [ "$i" -lt $(($3 * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	wait "$1"
	[ "$?" -eq "$2" ]
}

"$RT_BIN" serve --listen 127.0.0.1:0 --seed 1 >"$tmp/out" 2>"$tmp/err" &
pid=$!
check "serve prints the address it listens on" \
	wait_file "$tmp/out" '^listening on http://127\.0\.0\.1:[1-9][0-9]*/metrics$' 10
url=$(sed -n 's/^listening on //p' "$tmp/out")
if [ -z "$url" ]; then
	cat "$tmp/err" >&2
	done_testing
	exit 1
fi
base=${url%/metrics}
port=${base##*:}

check "GET /metrics answers 200 once there is a snapshot" metrics_ready
check "/metrics is application/json" has "$tmp/m0" "content-type application/json"
check "/metrics has the four objects and a timestamp" body_has "$tmp/m0" \
	'"latency"' '"throughput"' '"errorRates"' '"circuitBreakerStatus"' '"timestamp"'
check "/metrics has the simulated router's upstreams as rows" body_has "$tmp/m0" \
	'"upstreams":[{"name":"chat",' '{"name":"embeddings",' '{"name":"search",' '{"name":"moderation",'

probe GET "$base/healthz" "$tmp/h"
check "GET /healthz is 200" has "$tmp/h" "status 200"
check "GET /healthz says ok" body_has "$tmp/h" ok

probe HEAD "$url" "$tmp/head"
check "HEAD /metrics is 200" has "$tmp/head" "status 200"
check "HEAD /metrics has no body" has "$tmp/head" "bytes 0"
probe HEAD "$base/healthz" "$tmp/headh"
check "HEAD /healthz is 200 without a body" sh -c "grep -qx 'status 200' '$tmp/headh' && grep -qx 'bytes 0' '$tmp/headh'"

probe POST "$url" "$tmp/post"
check "POST /metrics is 405" has "$tmp/post" "status 405"
check "405 says which methods are allowed" has "$tmp/post" "allow GET, HEAD"
probe DELETE "$base/healthz" "$tmp/del"
check "DELETE /healthz is 405" has "$tmp/del" "status 405"
probe GET "$base/nope" "$tmp/nope"
check "an unknown path is 404" has "$tmp/nope" "status 404"

# watch reads what serve serves: its snapshot lies between two fetched
# around it, by timestamp and by counters that only grow.
probe GET "$url" "$tmp/a"
timeout 20 "$RT_BIN" watch "$url" --batch --once --format json --interval 1 \
	--record "$tmp/rec.jsonl" >"$tmp/w.out" 2>"$tmp/w.err"
probe GET "$url" "$tmp/b"
check "watch --once recorded the snapshot it read" grep -q '"metrics"' "$tmp/rec.jsonl"
check "watch evaluates the served rows" grep -q '"rows":\[{"name":"chat","metrics":' "$tmp/w.out"
ta=$(field "$tmp/a" timestamp); tw=$(field "$tmp/rec.jsonl" timestamp); tb=$(field "$tmp/b" timestamp)
ca=$(field "$tmp/a" count); cw=$(field "$tmp/rec.jsonl" count); cb=$(field "$tmp/b" count)
fa=$(field "$tmp/a" total); fw=$(field "$tmp/rec.jsonl" total)
fb=$(field "$tmp/b" total)
check "watched timestamp lies between the served ones ($ta <= $tw <= $tb)" \
	test -n "$tw" -a "${ta:-0}" -le "${tw:-0}" -a "${tw:-0}" -le "${tb:-0}"
check "watched latency count lies between the served ones ($ca <= $cw <= $cb)" \
	test -n "$cw" -a "${ca:-0}" -le "${cw:-0}" -a "${cw:-0}" -le "${cb:-0}"
check "watched requests.total lies between the served ones ($fa <= $fw <= $fb)" \
	test -n "$fw" -a "${fa:-0}" -le "${fw:-0}" -a "${fw:-0}" -le "${fb:-0}"
same=ok
[ "$tw" = "$ta" ] && [ "$cw" != "$ca" ] && same=differs
[ "$tw" = "$tb" ] && [ "$cw" != "$cb" ] && same=differs
check "the same snapshot has the same numbers" test "$same" = ok

timeout 10 "$RT_BIN" serve --listen "127.0.0.1:$port" --seed 1 >"$tmp/busy.out" 2>"$tmp/busy.err"
check "a busy port exits 3" test "$?" -eq 3
check "a busy port is one line naming the address" \
	sh -c "test \$(wc -l <'$tmp/busy.err') -eq 1 && grep -q '127.0.0.1:$port' '$tmp/busy.err'"
timeout 10 "$RT_BIN" serve --listen nonsense --seed 1 >"$tmp/bad.out" 2>"$tmp/bad.err"
check "a bad address exits 3" test "$?" -eq 3
check "a bad address is one line" \
	sh -c "test \$(wc -l <'$tmp/bad.err') -eq 1 && grep -q 'bad listen address' '$tmp/bad.err'"

kill -TERM "$pid"
check "SIGTERM stops serve with status 0" exited_with "$pid" 0 10
pid=
done_testing
