# Helpers for benchmark scripts (sourced; see bench/README). `make bench`
# runs each script in BENCH_SHELL with RT_BIN, RT_BUILDDIR and RT_SRCDIR set.
# Every figure goes through bench/bench_cmd, so it gets the same rounds,
# warm-up, statistics and line format as the C figures:
#     name median unit min max
# A script ends with `bench_finish`, which exits non-zero if any figure
# could not be measured.

RT_BIN=${RT_BIN:-src/routertop}
RT_BUILDDIR=${RT_BUILDDIR:-.}
RT_SRCDIR=${RT_SRCDIR:-.}
BENCH_CMD=${BENCH_CMD:-$RT_BUILDDIR/bench/bench_cmd}
bench_failures=0

# bench_wanted NAME...: true if BENCH_FILTER is unset or one name contains it.
bench_wanted() {
	[ -z "${BENCH_FILTER:-}" ] && return 0
	for n in "$@"; do
		case $n in *"$BENCH_FILTER"*) return 0 ;; esac
	done
	return 1
}

# bench_fail NAME WHY: the figure could not be measured.
bench_fail() {
	echo "bench: $1 could not be measured: $2" >&2
	bench_failures=$((bench_failures + 1))
}

# bench_need COMMAND NAME...: a peer or tool the figures NAME... need.
# A missing one fails them (tools/install-deps --bench installs the peers).
bench_need() {
	cmd=$1
	shift
	command -v "$cmd" >/dev/null 2>&1 && return 0
	for n in "$@"; do
		bench_fail "$n" "$cmd is not installed (run tools/install-deps --bench)"
	done
	return 1
}

# bench_time NAME UNIT KIND WORK [-i FILE] -- COMMAND [ARG...]: time runs of
# COMMAND (see bench/bench_cmd.c); e.g. the throughput of jq over a file:
#     bench_time jq_replay_mb_per_s MB/s mb_per_s "$(wc -c <f)" -i f -- jq -c .
bench_time() {
	bench_wanted "$1" || return 0
	"$BENCH_CMD" time "$@" || bench_fail "$1" "see above"
}

# bench_report NAME UNIT VALUE...: one figure from per-round values the
# script measured itself (at least 5 rounds).
bench_report() {
	bench_wanted "$1" || return 0
	"$BENCH_CMD" report "$@" || bench_failures=$((bench_failures + 1))
}

bench_finish() {
	[ "$bench_failures" -eq 0 ]
}
