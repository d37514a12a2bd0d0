# The simulator is a pure function of its scenario and seed, and making it
# faster must not change what it does: the batch JSON of 60 virtual
# seconds of every case in tests/fixtures/sim/golden.sha256 (a built-in
# scenario or a scenario file, and a seed) must hash to what that file
# says. A change meant to change what the simulator does updates the file,
# and says so in its commit:
#   RT_BIN=build/src/routertop RT_SRCDIR=. sh tests/e2e_sim_golden.sh --update
. "$RT_SRCDIR/tests/tap.sh"
golden="$RT_SRCDIR/tests/fixtures/sim/golden.sha256"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# digest SCENARIO SEED: the hash of the run's output (a path is under RT_SRCDIR).
digest() {
	case $1 in
	*/*) scenario="$RT_SRCDIR/$1" ;;
	*) scenario=$1 ;;
	esac
	"$RT_BIN" sim --scenario "$scenario" --seed "$2" --batch --speed max --duration 60s \
		--format json </dev/null >"$tmp/out"
	# Exit 0, 1 or 2 is the status of the run's targets; 3 is an error.
	[ $? -lt 3 ] && [ -s "$tmp/out" ] || return 1
	sha256sum <"$tmp/out" | cut -d' ' -f1
}

if [ "${1-}" = --update ]; then
	while read -r sum scenario seed; do
		echo "$(digest "$scenario" "$seed") $scenario $seed"
	done <"$golden" >"$tmp/new" && mv "$tmp/new" "$golden"
	exit
fi

same_output() { # SUM SCENARIO SEED
	got=$(digest "$2" "$3") || return 1
	[ "$got" = "$1" ] || { echo "# $2 seed $3: $got, expected $1" >&2; return 1; }
}

[ -s "$golden" ] || bail_out "no $golden"
while read -r sum scenario seed; do
	check "sim --scenario $scenario --seed $seed gives the same bytes as before" \
		same_output "$sum" "$scenario" "$seed"
done <"$golden"
done_testing
