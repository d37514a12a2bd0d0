# End-to-end checks of `replay FILE --once`, the summary of a whole
# recording: the breaker scenario's trip and recovery, the exit status from
# the worst status seen, json that jq can read, compressed input, bad lines
# counted, and the formats it refuses.
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$RT_BIN" sim --scenario breaker --speed max --batch --record "$tmp/brk.jsonl" >/dev/null
[ $? -le 2 ] || { echo "Bail out! cannot make a recording"; exit 1; }

text_summary() {
	"$RT_BIN" replay "$tmp/brk.jsonl" --once >"$tmp/s.txt" 2>"$tmp/s.err"
	[ $? -eq 2 ] && [ ! -s "$tmp/s.err" ] &&
		grep -q "^span  *[0-9T:-]*Z \.\. [0-9T:-]*Z" "$tmp/s.txt" &&
		grep -q "^  trips       1$" "$tmp/s.txt" &&
		grep -q "open .*recovered at +.* after " "$tmp/s.txt" &&
		grep -q "^    p95  " "$tmp/s.txt" && grep -q "^overall     FAIL" "$tmp/s.txt"
}
check "text summary: span, one trip and its recovery, target shares, exit 2" text_summary

json_summary() {
	"$RT_BIN" replay "$tmp/brk.jsonl" --once --format json >"$tmp/s.json"
	[ $? -eq 2 ] &&
		[ "$(jq '.router.tripCount' "$tmp/s.json")" = 1 ] &&
		[ "$(jq '.router.trips[0].durationMs > 0' "$tmp/s.json")" = true ] &&
		[ "$(jq '.router.targetsPct.p95 | .OK + .WARN + .FAIL + .UNKNOWN | . > 99.9 and . < 100.1' "$tmp/s.json")" = true ] &&
		[ "$(jq -r '.status' "$tmp/s.json")" = FAIL ] &&
		[ "$(jq '.snapshots' "$tmp/s.json")" = "$(grep -c '"metrics"' "$tmp/brk.jsonl")" ]
}
check "json summary: trips, shares adding up to 100 %, every snapshot counted" json_summary

compressed_same() {
	zstd -q -c "$tmp/brk.jsonl" >"$tmp/brk.zst"
	"$RT_BIN" replay "$tmp/brk.zst" --once --format json | jq -c 'del(.recording)' >"$tmp/z.json"
	jq -c 'del(.recording)' "$tmp/s.json" >"$tmp/p.json"
	cmp -s "$tmp/z.json" "$tmp/p.json"
}
check "a zstd recording summarises the same" compressed_same

bad_lines_counted() {
	{ echo "garbage"; cat "$tmp/brk.jsonl"; echo '{"t": -1, "metrics": {}}'; } >"$tmp/bad.jsonl"
	"$RT_BIN" replay "$tmp/bad.jsonl" --once --format json >"$tmp/b.json"
	[ $? -eq 2 ] && [ "$(jq '.badLines' "$tmp/b.json")" = 2 ]
}
check "bad lines are counted, not fatal" bad_lines_counted

calm_is_ok() {
	"$RT_BIN" sim --scenario baseline --speed max --batch --record "$tmp/calm.jsonl" >/dev/null
	"$RT_BIN" replay "$tmp/calm.jsonl" --once --target throughput=0.001 --target p95=10s \
		--target p99=10s --target error-rate=100 >"$tmp/c.txt"
	[ $? -eq 0 ] && grep -q "^overall     OK" "$tmp/c.txt"
}
check "a recording that met every target exits 0" calm_is_ok

refused() {
	"$RT_BIN" replay "$tmp/brk.jsonl" --once "$@" >"$tmp/r.out" 2>"$tmp/r.err"
	[ $? -eq 3 ] && grep -q "^routertop: replay --once" "$tmp/r.err"
}
check "--once --format csv is refused" refused --format csv
check "--once --follow is refused" refused --follow

done_testing
