#!/bin/sh
# routertop demo --batch: the story without a terminal. The captions come in
# order, each where its cause is (the breaker's transitions in the
# recording), between the snapshot lines, and the summary closes it; the
# same seed prints the same bytes; --format json is one object a line.
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v jq >/dev/null 2>&1 || bail_out "jq is not installed (tools/install-deps installs it)"

# The exit status is the last evaluation's; the story misses targets on purpose.
"$RT_BIN" demo --batch --record "$tmp/demo.jsonl" >"$tmp/a.txt" 2>"$tmp/err.txt"
echo $? >"$tmp/rc"
"$RT_BIN" demo --batch >"$tmp/b.txt" 2>/dev/null
"$RT_BIN" demo --batch --seed 7 >"$tmp/c.txt" 2>/dev/null
"$RT_BIN" demo --batch --format json >"$tmp/a.json" 2>/dev/null

# The chapter numbers of the captions, in order, one a line.
chapters() { sed -n 's/^# +[0-9.]*s chapter \([0-9]\)\/9 .*/\1/p' "$1"; }
# Each chapter once, in order; a chapter may be told again (a failed trial), never one gone back to.
in_order() {
	chapters "$1" | awk '$1 < last || $1 > last + 1 { bad = 1 } { last = $1 } END { exit bad || last != 9 }'
}
check "it runs to the end (a status from the evaluation, no fault)" \
	eval '[ "$(cat "$tmp/rc")" -le 2 ] && [ ! -s "$tmp/err.txt" ]'
check "the captions, chapters 1 to 9 in order" in_order "$tmp/a.txt"
check "the first is the baseline, at the start" grep -q "^# +0.0s chapter 1/9 Baseline: One user sends" "$tmp/a.txt"
check "the breaker opens after five failures" grep -q "^# +[0-9.]*s chapter 5/9 The breaker opens: 5 consecutive failures" "$tmp/a.txt"
check "calls refused: Service temporarily unavailable" grep -q 'chapter 6/9 Failing fast: .*"Service temporarily unavailable"' "$tmp/a.txt"
check "half-open probing after the open timeout" grep -q "chapter 7/9 Half-open probing: open timeout 5 s elapsed" "$tmp/a.txt"
check "recovery with the time it took" grep -q "chapter 8/9 Recovery: 3 trial calls succeeded: .* It was out for [0-9.]* s" "$tmp/a.txt"
check "snapshot lines between the captions" \
	eval '[ "$(grep -c "^+[0-9.]*s breaker=" "$tmp/a.txt")" -gt 30 ]'
check "the summary closes it: targets met and missed, the recovery" eval \
	'tail -6 "$tmp/a.txt" | head -1 | grep -q "^# targets: [0-9] met, [0-9] missed" &&
	 tail -1 "$tmp/a.txt" | grep -Eq "^#   Recovery < 60 s +met: search out [0-9.]+ s$"'
# The recording holds the story: each caption right after the transition that caused it.
events() { jq -r 'select(.event) | .event | if .type == "caption" then "caption \(.chapter)"
	elif .type == "breaker" and .row == "search" then "breaker \(.to)" else empty end' "$tmp/demo.jsonl" | tr '\n' ' '; }
check "recorded: open, then chapter 5; half-open, then 7; closed, then 8" eval \
	'events | grep -q "breaker open caption 5 .*breaker half-open caption 7 .*breaker closed caption 8 caption 9"'
check "the same seed tells the same story" cmp -s "$tmp/a.txt" "$tmp/b.txt"
check "another seed another" eval '! cmp -s "$tmp/a.txt" "$tmp/c.txt" && in_order "$tmp/c.txt"'
check "json: one object a line" eval 'jq -e . "$tmp/a.json" >/dev/null'
check "json: the captions in order" eval \
	'[ "$(jq -r "select(.caption) | .caption.chapter" "$tmp/a.json" | tr -d "\n" | tr -s "0-9")" = "123456789" ]'
check "json: snapshots between them" eval '[ "$(jq -r "select(.metrics) | .t" "$tmp/a.json" | wc -l)" -gt 30 ]'
check "json: the summary last" eval \
	'tail -1 "$tmp/a.json" | jq -e ".summary.targets | length == 5" >/dev/null &&
	 tail -1 "$tmp/a.json" | jq -e ".summary.recoveries[0] | .row == \"search\" and .recovered and .met" >/dev/null'
check "csv is refused" eval '"$RT_BIN" demo --batch --format csv >/dev/null 2>"$tmp/e"; [ $? -eq 3 ] && grep -q "demo prints text or json only" "$tmp/e"'
check "--once does not apply" eval '"$RT_BIN" demo --once >/dev/null 2>"$tmp/e"; [ $? -eq 3 ] && grep -q "does not apply to .demo." "$tmp/e"'
check "demo --help fits 80x24" eval \
	'"$RT_BIN" demo --help >"$tmp/h" && [ "$(wc -l <"$tmp/h")" -le 23 ] &&
	 [ "$(awk "{ if (length > n) n = length } END { print n }" "$tmp/h")" -le 79 ]'
done_testing
