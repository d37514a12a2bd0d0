#!/bin/sh
# routertop fleet against a real Prometheus (issue 12): Prometheus 2.42
# (Debian's prometheus) on a loopback port this test picks, with a
# temporary TSDB and a configuration it writes, scraping three `routertop
# serve` instances every second: two healthy, one whose scenario (written
# here) keeps failing, so its breaker keeps opening. Within a bounded time
# `routertop fleet URL --once --format json` must list the three instances,
# flag the failing one FAIL and exit 2, and its counters must agree with
# what that instance serves on its own /metrics. Stopping a healthy
# instance must turn its row DOWN. The test starts and stops every process
# itself; each wait polls for its sign, within a limit.
. "$RT_SRCDIR/tests/tap.sh"

command -v prometheus >/dev/null 2>&1 || bail_out "prometheus is not installed (tools/install-deps installs it)"
command -v jq >/dev/null 2>&1 || bail_out "jq is not installed (tools/install-deps installs it)"
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY
PROBE="$RT_BUILDDIR/tests/http_probe"
# How long Prometheus gets to have a minute's worth of sense (rates need two scrapes).
LIMIT_S=50

tmp=$(mktemp -d)
pids=""
stop_pid() { # PID: TERM, then wait for it to go (bounded), then KILL
	kill "$1" 2>/dev/null || return 0
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}
# bg OUT ERR COMMAND...: start COMMAND in the background, its pid in $bgpid.
# The child drops this script's traps first: a signal that reaches it before
# it has become COMMAND must not run the cleanup in it.
bg() {
	out=$1 err=$2
	shift 2
	(
		trap - EXIT INT TERM
		exec "$@" >"$out" 2>"$err"
	) &
	bgpid=$!
	pids="$pids $bgpid"
}
command -v tmux >/dev/null 2>&1 || bail_out "tmux is not installed (tools/install-deps installs it)"
T() { tmux -L "rt-fleet-$$" -f /dev/null "$@"; }
cleanup() {
	T kill-server >/dev/null 2>&1
	for p in $pids; do
		stop_pid "$p"
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The scenarios: one phase an hour long, so no counter starts again during the test.
cat >"$tmp/healthy.json" <<'EOF'
{"name": "healthy", "description": "A router with nothing wrong.",
 "backend": {"median_ms": 20, "p99_ms": 80, "concurrency": 64, "timeout_ms": 1000},
 "breaker": {"failures": 5, "failure_rate": 0.5, "window": 20, "min_calls": 10,
             "open_ms": 3000, "half_open_calls": 3, "successes": 3},
 "phases": [{"name": "normal", "duration_ms": 3600000, "users": 10, "think_ms": 50}]}
EOF
cat >"$tmp/failing.json" <<'EOF'
{"name": "failing", "description": "Most requests fail: the breaker keeps opening.",
 "backend": {"median_ms": 20, "p99_ms": 80, "concurrency": 64, "timeout_ms": 1000},
 "breaker": {"failures": 5, "failure_rate": 0.5, "window": 20, "min_calls": 10,
             "open_ms": 1000, "half_open_calls": 3, "successes": 3},
 "phases": [{"name": "failing", "duration_ms": 3600000, "users": 10, "think_ms": 50,
             "faults": {"failure": 0.7}}]}
EOF

# serve_start NAME SCENARIO: a routertop serve on a port it picks; sets its address in $addr.
serve_start() {
	bg "$tmp/$1.out" "$tmp/$1.err" "$RT_BIN" serve --listen 127.0.0.1:0 --scenario "$tmp/$2.json"
	echo $bgpid >"$tmp/$1.pid"
	wait_file "$tmp/$1.out" '^listening on http://127\.0\.0\.1:[1-9][0-9]*/metrics$' 10 ||
		bail_out "serve $1 did not start: $(cat "$tmp/$1.err")"
	addr=$(sed -n 's|^listening on http://\(127\.0\.0\.1:[0-9]*\)/metrics$|\1|p' "$tmp/$1.out")
}
serve_start ok1 healthy
ok1=$addr
serve_start ok2 healthy
ok2=$addr
serve_start bad failing
bad=$addr

# prometheus_start: a port picked here (another one when it is taken), a TSDB of its own.
prometheus_start() {
	cat >"$tmp/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: routers
    static_configs:
      - targets: ['$ok1', '$ok2', '$bad']
EOF
	try=0
	while [ $try -lt 20 ]; do
		port=$((20000 + ($$ * 13 + try * 397) % 40000))
		rm -rf "$tmp/tsdb"
		bg "$tmp/prometheus.log" "$tmp/prometheus.err" prometheus \
			--config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
			--web.listen-address="127.0.0.1:$port"
		ppid=$bgpid
		i=0
		while [ $i -lt 100 ] && kill -0 $ppid 2>/dev/null; do
			# Ready, and ours (its TSDB is in $tmp): a Prometheus already on
			# that port answers while this one is still finding it taken.
			if "$PROBE" GET "http://127.0.0.1:$port/-/ready" 2>/dev/null | grep -q '^status 200$' &&
			   "$PROBE" GET "http://127.0.0.1:$port/api/v1/status/flags" 2>/dev/null |
			   grep -qF "\"storage.tsdb.path\":\"$tmp/tsdb\""; then
				return 0
			fi
			sleep 0.1
			i=$((i + 1))
		done
		stop_pid $ppid
		try=$((try + 1))
	done
	tail -n 20 "$tmp/prometheus.err" >&2
	return 1
}
prometheus_start || bail_out "prometheus did not start"
url="http://127.0.0.1:$port"

# A rate window of 10 s: rate() over a window longer than the data there is
# (a minute, at first) reads low, and the test is over in under a minute.
fleet_once() { # FILE: one evaluation as json; its exit status in FILE.rc
	"$RT_BIN" fleet "$url" --once --format json --timeout 4s --window 10s >"$1" 2>"$1.err"
	echo $? >"$1.rc"
}

# The first sign: all three instances with their rates, the failing one FAIL.
first_sign() {
	fleet_once "$tmp/f.json"
	[ "$(cat "$tmp/f.json.rc")" = 2 ] &&
	[ "$(jq '.rows | length' "$tmp/f.json")" = 3 ] &&
	[ "$(jq "[.rows[] | select(.metrics.throughput.requestsPerSecond != null)] | length" "$tmp/f.json")" = 3 ] &&
	[ "$(jq -r ".rows[] | select(.name == \"$bad\") | .status" "$tmp/f.json")" = FAIL ]
}
within_limit() {
	start=$(date +%s)
	while [ $(($(date +%s) - start)) -lt $LIMIT_S ]; do
		"$@" && return 0
		sleep 0.5
	done
	return 1
}

lists_three() {
	within_limit first_sign || { cat "$tmp/f.json" "$tmp/f.json.err" >&2; return 1; }
}
check "fleet lists the three instances, the failing one FAIL, and exits 2 (within ${LIMIT_S}s)" lists_three

healthy_not_fail() {
	for a in $ok1 $ok2; do
		st=$(jq -r ".rows[] | select(.name == \"$a\") | .status" "$tmp/f.json")
		[ "$st" = OK ] || [ "$st" = WARN ] || { echo "# $a is $st" >&2; return 1; }
	done
	[ "$(jq -r '.rows[] | select(.name == "'"$bad"'") | .metrics.circuitBreakerStatus.state' "$tmp/f.json")" != closed ] ||
	[ "$(jq -r '.rows[] | select(.name == "'"$bad"'") | .targets["error-rate"].status' "$tmp/f.json")" = FAIL ]
}
check "the healthy instances are not FAIL; the failing one fails on its error rate or breaker" healthy_not_fail

# The failing instance's figures against its own /metrics, read before and
# after the fleet's: Prometheus' counters are at most a scrape (1 s) and a
# round old, so they lie between the two readings (give or take what it
# serves in 5 s, plus 50); its request rate is within 30 % of the rate at
# which the instance's own counter grew between the two readings (2 s or
# more apart). Polled: the rate settles once the 10 s window has data.
own() { # FILE: the failing instance's own JSON
	"$PROBE" GET "http://$bad/metrics" | sed '1,/^$/d' >"$1"
}
agree_now() {
	own "$tmp/own0.json" || return 1
	fleet_once "$tmp/a.json"
	i=0
	while own "$tmp/own1.json" && [ $i -lt 50 ] &&
	      [ $(($(jq '.timestamp' "$tmp/own1.json") - $(jq '.timestamp' "$tmp/own0.json"))) -lt 2000 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	row=".rows[] | select(.name == \"$bad\") | .metrics"
	set -- "$(jq '.requests.total' "$tmp/own0.json")" "$(jq '.requests.total' "$tmp/own1.json")" \
		"$(jq '.errorRates.circuitBreakerTrips' "$tmp/own0.json")" \
		"$(jq '.errorRates.circuitBreakerTrips' "$tmp/own1.json")" \
		"$(jq '.timestamp' "$tmp/own0.json")" "$(jq '.timestamp' "$tmp/own1.json")" \
		"$(jq "$row.requests.total" "$tmp/a.json")" "$(jq "$row.errorRates.circuitBreakerTrips" "$tmp/a.json")" \
		"$(jq "$row.throughput.requestsPerSecond" "$tmp/a.json")"
	echo "# own: total $1..$2 trips $3..$4 over $(($6 - $5)) ms; fleet: total $7 trips $8 rps $9" >&2
	awk -v t0="$1" -v t1="$2" -v b0="$3" -v b1="$4" -v ms0="$5" -v ms1="$6" \
	    -v ft="$7" -v fb="$8" -v frps="$9" 'BEGIN {
		rps = (t1 - t0) * 1000 / (ms1 - ms0)
		slack = rps * 5 + 50
		ok = ms1 - ms0 >= 2000 && ft > 0 && fb > 0 &&
		     ft >= t0 - slack && ft <= t1 && fb >= b0 - slack && fb <= b1 &&
		     frps >= rps * 0.7 && frps <= rps * 1.3
		exit !ok }'
}
agree() {
	within_limit agree_now
}
check "the failing instance's numbers agree with its own /metrics (counters within a scrape, rate within 30 %)" agree

# Like every source: --batch prints a record per round (csv: the whole, then
# each instance), --record writes each round's snapshot, rows and all.
batch_and_record() {
	bg "$tmp/b.csv" "$tmp/b.err" "$RT_BIN" fleet "$url" --batch --format csv --interval 1s \
		--window 10s --record "$tmp/rec.jsonl"
	i=0
	while [ $i -lt 200 ] && [ "$(cat "$tmp/b.csv" 2>/dev/null | wc -l)" -lt 9 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	stop_pid $bgpid
	[ "$(head -n 1 "$tmp/b.csv" | cut -d, -f1-3)" = "t_ms,row,breaker" ] &&
	[ "$(grep -c ",$bad," "$tmp/b.csv")" -ge 2 ] &&
	[ "$(jq -s 'map(select(.source == "fleet")) | length' "$tmp/rec.jsonl")" -ge 2 ] &&
	[ "$(jq -s '.[0].metrics.upstreams | length' "$tmp/rec.jsonl")" = 3 ]
}
check "--batch prints a csv record per round and --record writes the rounds" batch_and_record

# The screen: Enter on the failing instance (worst first, so selected)
# shows its own upstreams, its charts filled from Prometheus at once (the
# System panel counts hundreds of snapshots, not one); Esc, the fleet again.
pane_has() { # PATTERN: until the pane shows it (20 s at most)
	i=0
	while [ $i -lt 200 ]; do
		T capture-pane -p | grep -q -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	T capture-pane -p | sed 's/^/#   /' >&2
	return 1
}
screen_drill() {
	T new-session -d -x 120 -y 40 "env LC_ALL=C.UTF-8 TERM=xterm-256color $RT_BIN fleet $url --interval 1s --window 10s; echo EXIT=\$?; sleep 600" ||
		return 1
	pane_has "^ INSTANCE " && pane_has "^.$bad .* FAIL\$" || return 1
	T send-keys Enter
	pane_has "by instance: $bad" && pane_has "^ UPSTREAM " && pane_has "^.default " &&
	pane_has "snapshots  *[1-9][0-9][0-9]" || return 1
	T send-keys Escape
	pane_has "^ INSTANCE " && pane_has "the whole fleet again" && pane_has "^.$ok1 " || return 1
	T send-keys q
	pane_has "^EXIT=0\$"
}
check "on the screen, Enter shows an instance's upstreams with its charts filled; Esc goes back" screen_drill

# A healthy instance stops: Prometheus cannot scrape it, and the fleet keeps it, DOWN.
stop_pid "$(cat "$tmp/ok2.pid")"
down_sign() {
	fleet_once "$tmp/d.json"
	[ "$(jq '.rows | length' "$tmp/d.json")" = 3 ] &&
	[ "$(jq -r ".rows[] | select(.name == \"$ok2\") | .metrics.scrape.up" "$tmp/d.json")" = false ] &&
	[ "$(jq -r ".rows[] | select(.name == \"$ok1\") | .metrics.scrape.up" "$tmp/d.json")" = true ]
}
turns_down() {
	within_limit down_sign || { cat "$tmp/d.json" >&2; return 1; }
}
check "stopping an instance turns its row DOWN (it stays in the list)" turns_down

down_in_text() {
	"$RT_BIN" fleet "$url" --once >"$tmp/d.txt" 2>&1
	grep -q "^  $ok2 .* DOWN\$" "$tmp/d.txt" && grep -q "^  $ok1 .* \(OK\|WARN\)\$" "$tmp/d.txt"
}
check "the text report says DOWN for it" down_in_text

done_testing
