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

# bail_out REASON: the script cannot run (e.g. no tmux). That is an error,
# never a skip: a missing tool is a missing install step.
bail_out() {
	echo "Bail out! $1"
	exit 1
}

# wait_file FILE PATTERN SECONDS: poll until a line of FILE matches PATTERN
# (a grep regex), ten times a second; 1 when SECONDS pass first.
wait_file() {
	i=0
	while [ "$i" -lt $(($3 * 10)) ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
