# TAP helpers for the end-to-end shell tests. Source it, call ok/not_ok
# through check, and finish with done_testing.
tap_n=0
tap_failed=0

# check DESCRIPTION COMMAND...: run COMMAND, report ok or not ok.
check() {
	desc=$1
	shift
	tap_n=$((tap_n + 1))
	if "$@"; then
		echo "ok $tap_n - $desc"
	else
		echo "not ok $tap_n - $desc"
		tap_failed=$((tap_failed + 1))
	fi
}

# skip_all REASON: the whole script is skipped (e.g. no tmux).
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
