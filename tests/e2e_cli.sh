# End-to-end checks of the command line: help, version, usage errors, the
# exec source on the seeds' sample, and reproducible simulator batch output.
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sample="$RT_SRCDIR/data/samples/seed-open-breaker.json"

help_fits() {
	"$RT_BIN" --help >"$tmp/help" || return 1
	[ "$(wc -l <"$tmp/help")" -le 23 ] && [ "$(awk '{ if (length > n) n = length } END { print n }' "$tmp/help")" -le 79 ]
}
check "--help fits on one 80x24 screen" help_fits
check "--help names the fault keys" grep -q "f/t/l/s faults" "$tmp/help"

version_matches() {
	"$RT_BIN" --version | grep -qx "routertop [0-9][0-9.]*"
}
check "--version prints the configured version" version_matches

usage_error() { # ARGS... : exit 3 and one line naming the problem
	"$RT_BIN" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq 3 ] && [ ! -s "$tmp/out" ] && grep -q "^routertop: " "$tmp/err"
}
check "unknown option exits 3" usage_error --frobnicate
check "bad --format exits 3" usage_error --format xml --once
check "watch without URL exits 3" usage_error watch
check "missing scenario file exits 3" usage_error sim --scenario "$tmp/nope.json" --once
check "missing targets file exits 3" usage_error --targets "$tmp/nope.conf" --once

seed_example() {
	"$RT_BIN" watch --exec "cat '$sample'" --once >"$tmp/once" 2>"$tmp/once.err"
	rc=$?
	[ "$rc" -eq 2 ] && grep -qi "open" "$tmp/once" && grep -qi "throughput" "$tmp/once" && grep -q "FAIL" "$tmp/once"
}
check "watch --exec on the seeds' sample: breaker open, throughput FAIL, exit 2" seed_example

nagios_example() {
	"$RT_BIN" watch --exec "cat '$sample'" --once --format nagios >"$tmp/nagios"
	[ $? -eq 2 ] && grep -q "CRITICAL" "$tmp/nagios" && [ "$(wc -l <"$tmp/nagios")" -eq 1 ]
}
check "nagios format: one CRITICAL line, exit 2" nagios_example

# The seeds' router reports all-zero percentiles before any request succeeded.
zero_percentiles_are_na() {
	grep -q "P50 n/a  P95 n/a  P99 n/a" "$tmp/once" &&
	"$RT_BIN" watch --exec "cat '$sample'" --once --format csv >"$tmp/seed.csv"
	[ $? -eq 2 ] && sed -n 2p "$tmp/seed.csv" | grep -q "^[0-9]*,,open,,,,,0.032," &&
	! grep -q "'recovery'=" "$tmp/nagios"
}
check "percentiles without data and an outage of unknown start show no numbers" zero_percentiles_are_na

exec_garbage() {
	"$RT_BIN" watch --exec "echo garbage" --once >"$tmp/g.out" 2>"$tmp/g.err"
	[ $? -eq 3 ] && grep -q "^routertop: " "$tmp/g.err"
}
check "a command printing garbage is reported, exit 3" exec_garbage

# A batch run exits with its last evaluation (0, 1 or 2); 3 means it failed to run.
evaluated() {
	"$@"
	[ $? -le 2 ]
}

sim_reproducible() {
	evaluated "$RT_BIN" sim --scenario steady --seed 9 --speed max --duration 150s --batch --format json >"$tmp/a.json" &&
	evaluated "$RT_BIN" sim --scenario steady --seed 9 --speed max --duration 150s --batch --format json >"$tmp/b.json" &&
	[ "$(wc -l <"$tmp/a.json")" -eq 150 ] && cmp -s "$tmp/a.json" "$tmp/b.json"
}
check "sim with one seed prints byte-identical output" sim_reproducible

sim_seed_matters() {
	evaluated "$RT_BIN" sim --scenario steady --seed 10 --speed max --duration 30s --batch --format json >"$tmp/c.json" &&
	evaluated "$RT_BIN" sim --scenario steady --seed 11 --speed max --duration 30s --batch --format json >"$tmp/d.json" &&
	! cmp -s "$tmp/c.json" "$tmp/d.json"
}
check "a different seed gives a different run" sim_seed_matters

record_appends() {
	printf 'kept line\n' >"$tmp/rec.jsonl"
	evaluated "$RT_BIN" sim --speed max --duration 5s --batch --record "$tmp/rec.jsonl" >/dev/null &&
	head -n1 "$tmp/rec.jsonl" | grep -qx "kept line" &&
	[ "$(grep -c '"metrics"' "$tmp/rec.jsonl")" -ge 5 ]
}
check "--record appends and never truncates" record_appends

breaker_finite() {
	evaluated "$RT_BIN" sim --scenario breaker --speed max --batch --format csv >"$tmp/breaker.csv" &&
	grep -q ",open," "$tmp/breaker.csv" && tail -n 1 "$tmp/breaker.csv" | grep -q ",closed,"
}
check "the breaker scenario trips the breaker, recovers and ends" breaker_finite

replay_round_trip() {
	rm -f "$tmp/rt.jsonl"
	evaluated "$RT_BIN" sim --speed max --duration 20s --batch --format json --record "$tmp/rt.jsonl" >"$tmp/live.json" &&
	evaluated "$RT_BIN" replay "$tmp/rt.jsonl" --speed max --batch --format json >"$tmp/replayed.json" &&
	[ "$(wc -l <"$tmp/replayed.json")" -eq 20 ] &&
	sed 's/^{"t":[0-9]*,//' "$tmp/live.json" >"$tmp/live.body" &&
	sed 's/^{"t":[0-9]*,//' "$tmp/replayed.json" >"$tmp/replayed.body" &&
	cmp -s "$tmp/live.body" "$tmp/replayed.body"
}
check "replay of a recording evaluates the same snapshots" replay_round_trip

replay_missing() {
	"$RT_BIN" replay "$tmp/none.jsonl" --once 2>"$tmp/rm.err"
	[ $? -eq 3 ] && grep -q "none.jsonl" "$tmp/rm.err"
}
check "replay of a missing file exits 3 naming it" replay_missing

done_testing
