# End-to-end checks of --format openmetrics: a recording exported with
# `replay FILE --format openmetrics` (and a simulation with --batch) loads
# into a TSDB block with the real promtool (Debian's prometheus package),
# and a series read back from the block holds the recording's values at
# the recording's times. The family names are those of `routertop serve`.
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v promtool >/dev/null 2>&1 || { echo "Bail out! promtool not installed (tools/install-deps)"; exit 1; }

"$RT_BIN" sim --scenario breaker --speed max --batch --record "$tmp/brk.jsonl" >/dev/null
[ $? -le 2 ] || { echo "Bail out! cannot make a recording"; exit 1; }
snaps=$(grep -c '"metrics"' "$tmp/brk.jsonl")

export_ok() {
	"$RT_BIN" replay "$tmp/brk.jsonl" --format openmetrics >"$tmp/brk.om"
	[ $? -le 2 ] && [ "$(tail -n 1 "$tmp/brk.om")" = "# EOF" ] &&
		grep -q "^# TYPE routertop_requests counter$" "$tmp/brk.om" &&
		grep -q '^routertop_breaker_state{upstream="llm",state="open"} 1 [0-9]*\.[0-9][0-9][0-9]$' "$tmp/brk.om"
}
check "replay --format openmetrics: timestamped families, # EOF" export_ok

load_ok() {
	promtool tsdb create-blocks-from openmetrics "$tmp/brk.om" "$tmp/tsdb" >"$tmp/load.out" 2>&1 &&
		mkdir -p "$tmp/tsdb/wal" &&
		promtool tsdb dump --match='routertop_latency_seconds{percentile="p95"}' "$tmp/tsdb" >"$tmp/p95.dump" 2>/dev/null &&
		[ "$(wc -l <"$tmp/p95.dump")" -eq "$snaps" ]
}
check "promtool loads it into a block; P95 has one sample per snapshot" load_ok

# The first snapshot's P95 (ms) and time in the recording, against the block's first sample.
values_ok() {
	first=$(grep -m1 '"metrics"' "$tmp/brk.jsonl")
	t=$(printf '%s\n' "$first" | sed 's/^{"t":\([0-9]*\),.*/\1/')
	p95=$(printf '%s\n' "$first" | sed 's/.*"p95":\([0-9.e+-]*\).*/\1/')
	head -n 1 "$tmp/p95.dump" >"$tmp/first"
	got_t=$(awk '{ print $NF }' "$tmp/first")
	got_v=$(awk '{ print $(NF - 1) }' "$tmp/first")
	[ "$got_t" = "$t" ] && awk -v a="$got_v" -v b="$p95" 'BEGIN { d = a * 1000 - b; exit !(d < 1e-6 && d > -1e-6) }'
}
check "the block's first P95 sample is the recording's, at its time" values_ok

counters_ok() {
	mkdir -p "$tmp/tsdb/wal"
	promtool tsdb dump --match='routertop_errors_total{class="breaker"}' "$tmp/tsdb" >"$tmp/trips.dump" 2>/dev/null &&
		[ "$(tail -n 1 "$tmp/trips.dump" | awk '{ print $(NF - 1) }')" = \
		  "$(grep '"metrics"' "$tmp/brk.jsonl" | tail -n 1 | sed 's/.*"circuitBreakerTrips":\([0-9]*\).*/\1/')" ]
}
check "counters read back: breaker rejections at the end" counters_ok

# The steady scenario has four upstreams: one series each; chat's is counted.
sim_batch_ok() {
	"$RT_BIN" sim --scenario steady --speed max --duration 30s --batch --format openmetrics >"$tmp/sim.om"
	[ $? -le 2 ] && [ "$(tail -n 1 "$tmp/sim.om")" = "# EOF" ] &&
		promtool tsdb create-blocks-from openmetrics "$tmp/sim.om" "$tmp/tsdb2" >/dev/null 2>&1 &&
		mkdir -p "$tmp/tsdb2/wal" &&
		[ "$(promtool tsdb dump --match='routertop_throughput_requests_per_second{upstream="chat"}' "$tmp/tsdb2" 2>/dev/null | wc -l)" -eq 30 ] &&
		[ "$(promtool tsdb dump --match='routertop_request_duration_seconds_bucket{upstream="chat",le="+Inf"}' "$tmp/tsdb2" 2>/dev/null | wc -l)" -eq 30 ]
}
check "sim --batch --format openmetrics loads too, with serve's latency histogram" sim_batch_ok

rows_escaped() {
	printf '%s\n' '{"t":1764064800000,"metrics":{"upstreams":[{"name":"a\"b\\c","latency":{"p95":5,"p99":6,"count":1},"circuitBreakerStatus":{"state":"closed"}}]}}' >"$tmp/rows.jsonl"
	"$RT_BIN" replay "$tmp/rows.jsonl" --format openmetrics >"$tmp/rows.om"
	grep -q '^routertop_latency_seconds{upstream="a\\"b\\\\c",percentile="p95"} 0.005 1764064800.000$' "$tmp/rows.om" &&
		promtool tsdb create-blocks-from openmetrics "$tmp/rows.om" "$tmp/tsdb3" >/dev/null 2>&1
}
check "rows are upstreams; label values escaped; loads" rows_escaped

done_testing
