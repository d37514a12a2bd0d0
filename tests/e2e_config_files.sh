#!/bin/sh
# Files that are not what an option expects: a FIFO nobody writes to given
# as --targets, --scenario, --header-file or --profile is an error after a bounded
# wait (never a hang in open()); a FIFO with a writer is read as a stream;
# a device (/dev/zero) is refused at once; --record takes only a regular
# file; and a NUL byte in a config file is an error naming file, line and
# column, not a silently shortened line.
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
writer=
trap '[ -n "$writer" ] && kill "$writer" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
mkfifo "$tmp/fifo"

refused() { # PATTERN ARGS...: exit 3 within 20 s, stderr matching PATTERN, nothing on stdout
	pat=$1
	shift
	timeout 20 "$RT_BIN" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 3 ] || { echo "# exit $rc"; sed 's/^/# /' "$tmp/err"; return 1; }
	[ ! -s "$tmp/out" ] && grep -q -- "$pat" "$tmp/err" || { sed 's/^/# /' "$tmp/err"; return 1; }
}
pipe_msg="fifo: a pipe that did not end within 5 s (a FIFO nobody writes to?)"
check "--targets FIFO without a writer: an error, no hang" refused "$pipe_msg" --targets "$tmp/fifo" --once
check "--scenario FIFO without a writer: an error, no hang" refused "$pipe_msg" --scenario "$tmp/fifo" --once
check "--header-file FIFO without a writer: an error, no hang" refused "$pipe_msg" \
	watch http://127.0.0.1:1/ --header-file "$tmp/fifo" --once
check "--profile FIFO without a writer: an error, no hang" refused "$pipe_msg" \
	watch http://127.0.0.1:1/ --profile "$tmp/fifo" --once
check "--targets /dev/zero: refused at once" \
	refused "^routertop: /dev/zero: a device, not a file to read settings from$" --targets /dev/zero --once
check "--targets a directory: refused" refused ": a directory, not a file to read settings from" --targets "$tmp" --once

streamed() {
	printf 'p95 = 1\n' >"$tmp/fifo" &
	writer=$!
	timeout 20 "$RT_BIN" --targets "$tmp/fifo" --once --speed max >"$tmp/out" 2>"$tmp/err"
	rc=$?
	wait "$writer"
	writer=
	# A P95 limit of 1 ms fails every simulated run.
	[ $rc -eq 2 ] && grep -q "p95 .*< 1 ms .*FAIL" "$tmp/out"
}
check "--targets FIFO with a writer: read as a stream" streamed

check "--record FIFO: refused" refused "not a regular file (a recording is appended to a file)" \
	--record "$tmp/fifo" --once
check "--record /dev/null: refused" refused "not a regular file" --record /dev/null --once

printf 'warn = 10\np95 = 100\0junk\np99 = 1\n' >"$tmp/nul.targets"
check "a NUL in a targets file: file, line and column" \
	refused "nul.targets:2:10: NUL byte" --targets "$tmp/nul.targets" --once
printf 'Authorization: Bearer x\0y\n' >"$tmp/nul.headers"
check "a NUL in a header file: file, line and column (not 'line too long')" \
	refused "nul.headers:1:24: NUL byte" watch http://127.0.0.1:1/ --header-file "$tmp/nul.headers" --once
printf 'profile x\nrows up\0stream\n' >"$tmp/nul.profile"
check "a NUL in a profile: file, line and column" \
	refused "nul.profile:2:8: NUL byte" watch http://127.0.0.1:1/ --profile "$tmp/nul.profile" --once
printf '{"name": "x\0"}' >"$tmp/nul.json"
check "a NUL in a scenario file: file, line and column" \
	refused "nul.json:1:12: NUL byte" --scenario "$tmp/nul.json" --once
done_testing
