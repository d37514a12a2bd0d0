# End-to-end checks of `routertop compare A B`, the regression gate: exit 0
# when B is within the tolerance of A, 1 when worse within twice it, 2
# beyond; time ranges of one file; rows on one side only; json; bad input.
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# rec FILE P95 [ROW_P95]: 20 snapshots a second apart, P95 as given (P99 twice it),
# 150 req/s, no errors; with ROW_P95, a row "chat" too.
rec() {
	i=0
	: >"$1"
	while [ $i -lt 20 ]; do
		rows=""
		[ -n "${3:-}" ] && rows=",\"upstreams\":[{\"name\":\"chat\",\"latency\":{\"p95\":$3,\"p99\":$3,\"count\":5}}]"
		printf '{"t":%d,"metrics":{"latency":{"p95":%s,"p99":%s,"count":100},"throughput":{"requestsPerSecond":150},"errorRates":{"failures":0},"circuitBreakerStatus":{"state":"closed","failureRate":0}%s}}\n' \
			$((1764064800000 + i * 1000)) "$2" "$(awk "BEGIN { print $2 * 2 }")" "$rows" >>"$1"
		i=$((i + 1))
	done
}
rec "$tmp/a.jsonl" 100 50
rec "$tmp/same.jsonl" 105 50
rec "$tmp/worse.jsonl" 115 50
rec "$tmp/much.jsonl" 130 50
rec "$tmp/better.jsonl" 60 50
rec "$tmp/row.jsonl" 100 80

exit_is() { # WANT ARGS...
	want=$1
	shift
	"$RT_BIN" compare "$@" >"$tmp/out" 2>"$tmp/err"
	[ $? -eq "$want" ]
}
check "the same run: exit 0" exit_is 0 "$tmp/a.jsonl" "$tmp/a.jsonl"
check "5 % slower, within the 10 % tolerance: exit 0" exit_is 0 "$tmp/a.jsonl" "$tmp/same.jsonl"
check "15 % slower: exit 1" exit_is 1 "$tmp/a.jsonl" "$tmp/worse.jsonl"
check "30 % slower: exit 2" exit_is 2 "$tmp/a.jsonl" "$tmp/much.jsonl"
check "faster: exit 0" exit_is 0 "$tmp/a.jsonl" "$tmp/better.jsonl"
check "--tolerance 20: 30 % slower is within twice it, exit 1" exit_is 1 "$tmp/a.jsonl" "$tmp/much.jsonl" --tolerance 20
check "--tolerance 50%: exit 0" exit_is 0 "$tmp/a.jsonl" "$tmp/much.jsonl" --tolerance 50%

text_verdicts() {
	"$RT_BIN" compare "$tmp/a.jsonl" "$tmp/worse.jsonl" >"$tmp/t.txt"
	grep -Eq "^  p95 median +100\.[0-9] ms +11[45]\.[0-9] ms +\+1[45]\.[0-9] %  WORSE$" "$tmp/t.txt" &&
		grep -q "^  throughput median .* same$" "$tmp/t.txt" &&
		grep -q "^verdict .*(exit 1)$" "$tmp/t.txt"
}
check "text: A, B, the change and a verdict per figure" text_verdicts

row_regression() {
	"$RT_BIN" compare "$tmp/a.jsonl" "$tmp/row.jsonl" --format json >"$tmp/r.json"
	[ $? -eq 2 ] &&
		[ "$(jq -r '.subjects[1].name' "$tmp/r.json")" = chat ] &&
		[ "$(jq -r '.subjects[1].figures[0].verdict' "$tmp/r.json")" = "MUCH WORSE" ] &&
		[ "$(jq -r '.subjects[0].figures[0].verdict' "$tmp/r.json")" = same ] &&
		[ "$(jq '.exit' "$tmp/r.json")" = 2 ]
}
check "a row's regression fails the gate (json: subjects, figures, exit)" row_regression

ranges() {
	cat "$tmp/a.jsonl" "$tmp/much.jsonl" | awk '{ sub(/^\{"t":[0-9]+/, sprintf("{\"t\":%.0f", 1764064800000 + NR * 1000)); print }' >"$tmp/both.jsonl"
	"$RT_BIN" compare "$tmp/both.jsonl@..20s" "$tmp/both.jsonl@20s.." >"$tmp/rg.txt"
	[ $? -eq 2 ] && grep -q "A .*both.jsonl@..20s (20 snapshots)" "$tmp/rg.txt" &&
		grep -q "B .*both.jsonl@20s.. (20 snapshots)" "$tmp/rg.txt"
}
check "two time ranges of one recording" ranges

bad() { # WORDS ARGS...
	words=$1
	shift
	"$RT_BIN" compare "$@" >"$tmp/b.out" 2>"$tmp/b.err"
	[ $? -eq 3 ] && grep -q "$words" "$tmp/b.err"
}
check "a missing recording: exit 3" bad "nope.jsonl: No such file" "$tmp/a.jsonl" "$tmp/nope.jsonl"
check "a bad range: exit 3" bad "bad range" "$tmp/a.jsonl" "$tmp/a.jsonl@5m..1m"
check "an empty range: exit 3" bad "no snapshot in that range" "$tmp/a.jsonl" "$tmp/a.jsonl@1h.."
check "one recording only: exit 3" bad "give two recordings" "$tmp/a.jsonl"
check "a bad tolerance: exit 3" bad "tolerance" "$tmp/a.jsonl" "$tmp/a.jsonl" --tolerance -5

lost_output() {
	"$RT_BIN" compare "$tmp/a.jsonl" "$tmp/a.jsonl" >/dev/full 2>"$tmp/full.err"
	[ $? -eq 3 ] && grep -q "cannot write standard output" "$tmp/full.err"
}
check "output lost (a full disk): said, exit 3" lost_output

done_testing
