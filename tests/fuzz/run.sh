#!/bin/sh
# Run each fuzz target for SECONDS on its seed corpus with its dictionary
# (`make fuzz-run FUZZ_SECONDS=N` calls it from the build directory):
#   run.sh SECONDS SRCDIR TARGET...
# New inputs go to fuzz-out/NAME/corpus in the build directory, never into
# the source tree. A crash, a leak, a timeout (10 s for one input) or an
# out-of-memory fails the run; every file libFuzzer left is then printed
# with its path and its bytes in base64, so the log alone reproduces it:
#   base64 -d > crash && ./tests/fuzz/NAME crash
set -u
[ $# -ge 3 ] || { echo "usage: run.sh SECONDS SRCDIR TARGET..." >&2; exit 2; }
seconds=$1
srcdir=$2
shift 2
failed=""

for target in "$@"; do
	name=$(basename "$target")
	out="fuzz-out/$name"
	rm -rf "$out/crashes"
	mkdir -p "$out/corpus" "$out/crashes" || exit 1
	echo "== fuzz $name for ${seconds} s"
	"./$target" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
		-dict="$srcdir/$target.dict" -artifact_prefix="$out/crashes/" \
		"$out/corpus" "$srcdir/$target-corpus" >"$out/log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && [ -z "$(ls -A "$out/crashes")" ]; then
		grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::(number_of_executed_units|new_units_added|peak_rss_mb)" "$out/log"
	else
		failed="$failed $name"
		tail -n 60 "$out/log"
		echo "== fuzz $name FAILED (exit $rc); the whole log is $(pwd)/$out/log"
		for f in "$out/crashes"/*; do
			[ -f "$f" ] || continue
			echo "== reproducer $(pwd)/$f ($(wc -c <"$f") bytes), base64:"
			base64 "$f"
			echo "== end of reproducer; run it again with: ./$target $f"
		done
	fi
done
if [ -n "$failed" ]; then
	echo "fuzzing failed:$failed"
	exit 1
fi
echo "fuzzing passed: $*"
