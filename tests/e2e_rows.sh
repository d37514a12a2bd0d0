# End-to-end checks of rows (upstreams) on the command line: the sample with
# four upstreams through watch --exec in every format, targets for one row,
# and a recording that keeps the rows through replay.
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sample="$RT_SRCDIR/data/samples/upstreams.json"

nagios_names_search() {
	"$RT_BIN" watch --exec "cat '$sample'" --once --format nagios >"$tmp/nagios"
	[ $? -eq 2 ] && [ "$(wc -l <"$tmp/nagios")" -eq 1 ] &&
	grep -q "^ROUTERTOP CRITICAL - .*search p99 1000.0 ms (limit < 500)" "$tmp/nagios" &&
	grep -q " 'search p99'=1000ms;400;500 " "$tmp/nagios" &&
	grep -q " 'moderation p99'=21ms;400;500 " "$tmp/nagios"
}
check "nagios: CRITICAL naming search, perfdata per row, exit 2" nagios_names_search

text_table() {
	"$RT_BIN" watch --exec "cat '$sample'" --once >"$tmp/text"
	[ $? -eq 2 ] && grep -q "^rows        4$" "$tmp/text" &&
	grep -Eq "^  search +open +12s +48.0 +31.0 +980.0 +1000.0 +41.2  FAIL$" "$tmp/text" &&
	grep -Eq "^  embeddings +closed .* OK$" "$tmp/text"
}
check "text: a table of the rows under the router" text_table

csv_lines() {
	"$RT_BIN" watch --exec "cat '$sample'" --once --format csv >"$tmp/csv"
	[ $? -eq 2 ] && [ "$(wc -l <"$tmp/csv")" -eq 6 ] && head -1 "$tmp/csv" | grep -q "^t_ms,row,breaker," &&
	sed -n 2p "$tmp/csv" | grep -q "^[0-9]*,,open," &&
	sed -n 5p "$tmp/csv" | grep -q "^[0-9]*,search,open,31,640,980,1000,48,41.2,.*,FAIL$"
}
check "csv: the router's line, then one line per row" csv_lines

json_rows() {
	"$RT_BIN" watch --exec "cat '$sample'" --once --format json >"$tmp/json"
	[ $? -eq 2 ] && [ "$(wc -l <"$tmp/json")" -eq 1 ] &&
	grep -q '"status":"FAIL","routerStatus":"FAIL","rows":\[{"name":"chat","metrics":{' "$tmp/json" &&
	grep -q '{"name":"search","metrics":{"latency":{"p50":31,' "$tmp/json" &&
	[ "$(grep -o '"name":"[a-z]*","metrics"' "$tmp/json" | wc -l)" -eq 4 ]
}
check "json: every row with its snapshot and evaluation" json_rows

row_targets() {
	printf 'search:p95 = 2s\nsearch:p99 = 2s   # slow by design\n' >"$tmp/targets" &&
	"$RT_BIN" watch --exec "cat '$sample'" --once --format csv --targets "$tmp/targets" \
		--target search:error-rate=50 >"$tmp/scoped.csv"
	[ $? -eq 2 ] && sed -n 5p "$tmp/scoped.csv" | grep -q "^[0-9]*,search,.*,OK,OK,OK,WARN,OK,WARN$"
}
check "targets for one row, from a file and --target, change that row only" row_targets

bad_row_target() {
	"$RT_BIN" watch --exec "cat '$sample'" --once --target ":p99=5" >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 3 ] && grep -q "missing row name before ':p99'" "$tmp/err"
}
check "a row target without a row is a usage error, exit 3" bad_row_target

bad_rows_located() {
	printf '{"upstreams":[{"name":"a"},{"name":7}]}' >"$tmp/bad.json"
	"$RT_BIN" watch --exec "cat '$tmp/bad.json'" --once >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 3 ] && grep -q "upstreams\[1\].name: expected string" "$tmp/err"
}
check "a bad row is a located error, exit 3" bad_rows_located

recorded_rows_replay() {
	"$RT_BIN" watch --exec "cat '$sample'" --once --record "$tmp/rec.jsonl" >/dev/null
	grep -q '"upstreams":\[{"name":"chat"' "$tmp/rec.jsonl" &&
	"$RT_BIN" replay "$tmp/rec.jsonl" --batch --format csv >"$tmp/replay.csv"
	[ $? -eq 2 ] && [ "$(wc -l <"$tmp/replay.csv")" -eq 6 ] &&
	grep -q "^[0-9]*,search,open,31," "$tmp/replay.csv"
}
check "a recording keeps the rows, and replay shows them" recorded_rows_replay

done_testing
