#!/bin/sh
# Slow clients cannot take `routertop serve` down: a request must arrive in
# full within 5 s of its connection opening, however steadily its bytes
# trickle in, and with more slow clients than slots (100 against 64, each
# sending a byte a second and reconnecting when cut off, each from an
# address of its own so no limit per address helps) /metrics still answers
# every time it is asked. Loopback only (the slow clients come from
# 127.0.0.2 and up); every wait is bounded; background processes die in the trap.
. "$RT_SRCDIR/tests/tap.sh"

PROBE="$RT_BUILDDIR/tests/http_probe"
SLOW="$RT_BUILDDIR/tests/slow_client"
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY

tmp=$(mktemp -d)
pid= slow=
cleanup() {
	[ -n "$slow" ] && kill "$slow" 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# wait_lines FILE PATTERN N SECONDS: until N lines of FILE match.
wait_lines() {
	i=0
	while [ "$i" -lt $(($4 * 10)) ]; do
		[ "$(grep -c "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# $(grep -c "$2" "$1" 2>/dev/null) lines /$2/ in $1 after $4 s"
	return 1
}

"$RT_BIN" serve --listen 127.0.0.1:0 --seed 1 >"$tmp/out" 2>"$tmp/err" &
pid=$!
wait_lines "$tmp/out" '^listening on ' 1 10 || bail_out "serve did not start"
url=$(sed -n 's/^listening on //p' "$tmp/out")
port=${url#http://127.0.0.1:}
port=${port%/metrics}

# answers: /metrics answers 200 (http_probe gives up after 5 s).
answers() {
	"$PROBE" GET "$url" >"$tmp/probe" 2>&1 && grep -qx "status 200" "$tmp/probe"
}
i=0
until answers || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done

start_slow() { # COUNT SECONDS: from as many addresses
	"$SLOW" --from 127.0.0.2 --spread "$1" --seconds "$2" "$port" "$1" >"$tmp/slow" 2>"$tmp/slow.err" &
	slow=$!
	wait_lines "$tmp/slow" '^connected ' 1 10
}

check "four slow requests: started" start_slow 4 30
check "each is cut off once it has taken 5 s, bytes still coming" wait_lines "$tmp/slow" '^cut$' 4 15
kill "$slow"
wait "$slow" 2>/dev/null
slow=

# Ask for /metrics, then wait for the server to cut off 50 more slow clients, and again.
answers_throughout() {
	for round in 1 2 3 4 5; do
		answers || { echo "# no answer in round $round"; sed 's/^/# /' "$tmp/probe"; return 1; }
		wait_lines "$tmp/slow" '^cut$' $((round * 50)) 30 || return 1
	done
}
check "100 slow clients (64 slots): started" start_slow 100 60
check "100 slow clients: /metrics answers throughout" answers_throughout
check "serve is still running" kill -0 "$pid"
kill -TERM "$pid"
wait "$pid"
check "serve exits 0 on SIGTERM" test $? -eq 0
pid=
done_testing
