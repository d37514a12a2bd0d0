#!/bin/sh
# A hostile recording: its source name, a recommendation, an event's words
# and a bad line's breaker state carry escape sequences, C1 controls, bad
# UTF-8 and a right-to-left override. Replayed in every format, recorded
# again, and on the screen, none of it reaches any output.
. "$RT_SRCDIR/tests/hostile_lib.sh"

m() { # STATE RECOMMENDATION: one snapshot object
	printf '{"latency":{"p50":45.2,"p90":89.3,"p95":125.7,"p99":234.1,"count":1250},'
	printf '"throughput":{"requestsPerSecond":156.3},"errorRates":{"circuitBreakerTrips":0,'
	printf '"rateLimitViolations":2,"timeouts":1,"failures":3},'
	printf '"circuitBreakerStatus":{"state":"%s","recommendation":"%s"}}' "$1" "$2"
}
rec="$e2e_tmp/hostile.jsonl"
{
	printf '{"t":1764000000000,"source":"%s","metrics":%s}\n' "$hostile_json" "$(m closed "$hostile_json")"
	printf '{"t":1764000001000,"event":{"type":"breaker","from":"closed","to":"open","reason":"%s","%s":1}}\n' \
		"$hostile_json" "$hostile_json"
	printf '{"t":1764000002000,"source":"x","metrics":%s}\n' "$(m "$hostile_json" ok)"
	printf '{"t":1764000003000,"source":"x","metrics":%s}\n' "$(m open "$hostile_json")"
} >"$rec"

formats() {
	for fmt in text json csv nagios; do
		"$RT_BIN" replay "$rec" --speed max --batch --format $fmt \
			>"$e2e_tmp/o.$fmt" 2>"$e2e_tmp/e.$fmt"
		clean "$e2e_tmp/o.$fmt" && clean "$e2e_tmp/e.$fmt" || return 1
	done
	grep -q 'unknown state " \]0;PWNED ' "$e2e_tmp/e.text" && grep -q 'desrever  | fake' "$e2e_tmp/o.json"
}
check "replay --batch: every format clean, the bad line reported clean" formats

rerecord() {
	"$RT_BIN" replay "$rec" --speed max --batch --record "$e2e_tmp/again.jsonl" >/dev/null 2>&1
	clean "$e2e_tmp/again.jsonl" && grep -q '"event":{.*"reason":" \]0;PWNED ' "$e2e_tmp/again.jsonl"
}
check "recorded again: clean, the event's words defanged" rerecord

start_shell 160 40 || bail_out "no shell in the pane"
T select-pane -t "$cur" -T rt-untouched
shell_type "env LC_ALL=C.UTF-8 TERM=xterm-256color $RT_BIN replay '$rec' --speed max; echo EXIT=\$?"
check "screen: the recommendation shows, defanged" wait_for '" \]0;PWNED  \[31mred'
check "screen: the title is unchanged" test "$(title)" = rt-untouched
pane >"$e2e_tmp/pane"
check "screen: the pane is clean" clean "$e2e_tmp/pane"
check "q exits 0" quit_ok
done_testing
