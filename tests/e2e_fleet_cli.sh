#!/bin/sh
# routertop fleet on the command line: its help fits one 80x24 screen and
# says which queries it sends, every option is in the man page, bad usage
# is one line and exit 3, and a Prometheus that does not answer is a fault
# (exit 3 with --once), never a crash.
. "$RT_SRCDIR/tests/tap.sh"
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

help_fits() {
	"$RT_BIN" fleet --help >"$tmp/help" || return 1
	[ "$(wc -l <"$tmp/help")" -le 23 ] &&
	[ "$(awk '{ if (length > n) n = length } END { print n }' "$tmp/help")" -le 79 ] &&
	grep -q "histogram_quantile(q, sum by (le, BY) (rate(X_bucket{MATCH}\[WINDOW\])))" "$tmp/help"
}
check "fleet --help fits on one 80x24 screen and names the queries" help_fits

main_help_fits() {
	"$RT_BIN" --help >"$tmp/main" || return 1
	[ "$(wc -l <"$tmp/main")" -le 23 ] &&
	[ "$(awk '{ if (length > n) n = length } END { print n }' "$tmp/main")" -le 79 ] &&
	grep -q "routertop fleet PROMETHEUS_URL" "$tmp/main"
}
check "routertop --help still fits, with the fleet line" main_help_fits

man_has_options() {
	for opt in profile match by window interval timeout header-file insecure max-body; do
		grep -q -- "--$opt" "$tmp/help" || { echo "# --$opt is not in fleet --help" >&2; return 1; }
		grep -qF -- "$(printf '\\-\\-%s' "$(echo "$opt" | sed 's/-/\\-/g')")" "$RT_SRCDIR/man/routertop.1" ||
			{ echo "# --$opt is not in the man page" >&2; return 1; }
	done
	grep -q '^\.SH FLEET' "$RT_SRCDIR/man/routertop.1"
}
check "every fleet option is in the man page, which has a FLEET section" man_has_options

usage_error() { # ARGS... : exit 3 and one line naming the problem ($LAST)
	"$RT_BIN" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	[ "$rc" -eq 3 ] && [ ! -s "$tmp/out" ] && grep -q "^routertop: .*$LAST" "$tmp/err" ||
		{ echo "# exit $rc:" >&2; cat "$tmp/err" >&2; return 1; }
}
LAST="missing PROMETHEUS_URL" check "fleet without a URL exits 3" usage_error fleet
LAST="column 1: a metric name" check "a --match with a metric name exits 3, located" \
	usage_error fleet http://127.0.0.1:9 --match 'up{job="x"}' --once
LAST="column 6: expected a quoted value" check "an unquoted --match value exits 3, located" \
	usage_error fleet http://127.0.0.1:9 --match '{job=edge}' --once
LAST="--window: bad value '1 minute'" check "a bad --window exits 3" \
	usage_error fleet http://127.0.0.1:9 --window '1 minute'
LAST="--by: bad value 'a-b'" check "a bad --by exits 3" usage_error fleet http://127.0.0.1:9 --by a-b
LAST="unknown profile\|nginx-plus" check "an unknown --profile exits 3" \
	usage_error fleet http://127.0.0.1:9 --profile nginx-plus --once
LAST="--listen does not apply to 'fleet'" check "serve's options do not apply" \
	usage_error fleet http://127.0.0.1:9 --listen 127.0.0.1:1
LAST="only http:// and https://" check "a URL of another scheme exits 3" \
	usage_error fleet ftp://127.0.0.1:9

# A loopback port nobody listens on: one a request to is refused.
free_port() {
	try=0
	while [ $try -lt 50 ]; do
		p=$((20000 + ($$ * 31 + try * 523) % 40000))
		if ! "$RT_BUILDDIR/tests/http_probe" GET "http://127.0.0.1:$p/" >/dev/null 2>&1; then
			echo $p
			return 0
		fi
		try=$((try + 1))
	done
	return 1
}

unreachable_once() {
	port=$(free_port)
	"$RT_BIN" fleet "http://127.0.0.1:$port" --profile routertop --once >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq 3 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	grep -q "^routertop: query up: connection refused by http://127.0.0.1:$port (and [0-9]* more queries)$" "$tmp/err" ||
		{ echo "# exit $rc:" >&2; cat "$tmp/err" >&2; return 1; }
}
check "an unreachable Prometheus with --once exits 3 with one line naming it" unreachable_once

unreachable_nagios() {
	port=$(free_port)
	"$RT_BIN" fleet "http://127.0.0.1:$port" --once --format nagios >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 3 ] && grep -q "^ROUTERTOP UNKNOWN - query profile search: connection refused" "$tmp/out"
}
check "the same for a monitoring system (nagios, profile auto): UNKNOWN" unreachable_nagios

done_testing
