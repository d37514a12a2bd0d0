#!/bin/sh
# Output that cannot be written is reported: standard output on /dev/full
# gives one clear line and exit 3, in every format, for --batch, --once and
# a recording's summary. A reader that goes away (EPIPE) ends the run
# quietly, whether SIGPIPE is left to kill the process or is ignored.
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

full() { # ARGS...: exit 3, the reason on stderr
	"$RT_BIN" "$@" >/dev/full 2>"$tmp/err"
	rc=$?
	[ $rc -eq 3 ] || { echo "# exit $rc"; return 1; }
	grep -qx "routertop: cannot write standard output: No space left on device" "$tmp/err" ||
		{ sed 's/^/# /' "$tmp/err"; return 1; }
}
for fmt in text json csv nagios; do
	check "--batch --format $fmt to /dev/full: said, exit 3" \
		full sim --batch --speed max --duration 5s --format $fmt
	check "--once --format $fmt to /dev/full: said, exit 3" full sim --once --speed max --format $fmt
done
"$RT_BIN" sim --batch --speed max --duration 5s --record "$tmp/rec.jsonl" >/dev/null
check "a recording's summary to /dev/full: said, exit 3" full replay "$tmp/rec.jsonl" --once

# The reader stops after one line; the producer is asked for an hour of lines.
epipe() {
	"$RT_BIN" sim --batch --speed max --duration 1h 2>"$tmp/err" | head -n 1 >"$tmp/out"
	[ "$(wc -l <"$tmp/out")" -eq 1 ] && [ ! -s "$tmp/err" ]
}
check "a reader that goes away: quiet" epipe
epipe_ignored() {
	(trap '' PIPE; "$RT_BIN" sim --batch --speed max --duration 1h 2>"$tmp/err"; echo $? >"$tmp/rc") |
		head -n 1 >"$tmp/out"
	[ "$(wc -l <"$tmp/out")" -eq 1 ] && [ ! -s "$tmp/err" ] && [ "$(cat "$tmp/rc")" = 3 ]
}
check "a reader that goes away with SIGPIPE ignored: quiet, the run ends (exit 3)" epipe_ignored
done_testing
