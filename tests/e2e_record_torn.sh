#!/bin/sh
# A torn line never swallows the next record: a recording left ending
# inside a line (a full disk in an earlier run) gets that line ended before
# the first new record, and a write that stops midway is reported and the
# next record starts on a line of its own. Replay then skips the torn line
# (counted as bad) and reads every record.
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# replayed FILE N: replay reads N snapshots and reports one bad line.
replayed() {
	"$RT_BIN" replay "$1" --batch --speed max --format csv >"$tmp/csv" 2>"$tmp/err"
	# One router line (empty row column) per snapshot; rows follow it.
	[ "$(grep -c '^[^,]*,,' "$tmp/csv")" -eq "$2" ] || { echo "# $(wc -l <"$tmp/csv") csv lines"; return 1; }
	[ "$(grep -c 'line [0-9]*\|:[0-9]*:' "$tmp/err")" -eq 1 ] || { sed 's/^/# /' "$tmp/err"; return 1; }
}

printf '{"t":1,"metrics":{"lat' >"$tmp/pre.jsonl"
"$RT_BIN" sim --batch --speed max --duration 3s --record "$tmp/pre.jsonl" >/dev/null
check "a pre-torn file: the torn line stays alone" test "$(sed -n 1p "$tmp/pre.jsonl")" = '{"t":1,"metrics":{"lat'
check "a pre-torn file: the next line is a whole record" sh -c "sed -n 2p '$tmp/pre.jsonl' | grep -q '^{\"t\":.*}$'"
check "a pre-torn file: replay reads all 3 snapshots, one bad line" replayed "$tmp/pre.jsonl" 3

# A file size limit makes a write stop midway, as a full disk does.
(ulimit -f 2 && trap '' XFSZ && exec "$RT_BIN" sim --batch --speed max --duration 20s \
	--record "$tmp/cut.jsonl" >/dev/null 2>"$tmp/cut.err")
check "a short write is reported" grep -q "short write, [0-9]* of [0-9]* bytes (disk full?); the next line starts afresh" "$tmp/cut.err"
check "the file stopped at the limit, inside a line" test "$(tail -c 1 "$tmp/cut.jsonl" | od -An -c | tr -d ' ')" != '\n'
"$RT_BIN" sim --batch --speed max --duration 3s --record "$tmp/cut.jsonl" >/dev/null
whole_after() {
	n=$(grep -c '^{"t":.*}$' "$tmp/cut.jsonl")
	total=$(wc -l <"$tmp/cut.jsonl")
	[ $((total - n)) -eq 1 ] || { echo "# $total lines, $n whole"; return 1; }
}
check "after the short write: every line whole but the torn one" whole_after
done_testing
