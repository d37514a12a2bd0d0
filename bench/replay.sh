# The whole-log summary beside jq (issue 14): `routertop replay FILE --once`
# and `jq -c .metrics.latency.p95` (one field of every line) over the same
# generated recording of about 200 MB, and the summary's peak memory.
# Prints, as `name median unit min max`:
#   replay_summary_mb_per_s jq_mb_per_s replay_rss_kb
# Goals: replay_summary_mb_per_s >= 4x jq_mb_per_s; replay_rss_kb < 16384.
# The recording (the steady simulation with its four upstreams, cut to
# 200 MB of whole lines) is made once and kept in the build directory as
# bench/replay-200mb.jsonl.
. "${RT_SRCDIR:-.}/bench/bench.sh"

names="replay_summary_mb_per_s jq_mb_per_s replay_rss_kb"
# shellcheck disable=SC2086
bench_wanted $names || exit 0
# shellcheck disable=SC2086
bench_need jq $names || { bench_finish; exit; }
# shellcheck disable=SC2086
bench_need /usr/bin/time replay_rss_kb || { bench_finish; exit; }

file="$RT_BUILDDIR/bench/replay-200mb.jsonl"
# 200 MB of whole lines: a long simulation (its rows make a snapshot a few
# kB), cut at the last newline before 200,000,000 bytes.
if [ ! -s "$file" ] || [ "$(wc -c <"$file")" -lt 199000000 ] || [ "$(wc -c <"$file")" -gt 200000000 ]; then
	rm -f "$file" "$file.tmp"
	for d in 80000s 400000s; do
		"$RT_BIN" sim --scenario steady --seed 7 --speed max --duration "$d" --batch \
			--record "$file.tmp" >/dev/null
		[ "$(wc -c <"$file.tmp" 2>/dev/null || echo 0)" -ge 200000000 ] && break
		rm -f "$file.tmp"
	done
	[ -s "$file.tmp" ] && head -c 200000000 "$file.tmp" | sed '$d' >"$file"
	rm -f "$file.tmp"
	if [ ! -s "$file" ]; then
		# shellcheck disable=SC2086
		for n in $names; do bench_fail "$n" "cannot make the recording"; done
		bench_finish
		exit
	fi
fi
size=$(wc -c <"$file")
echo "# replay: $file, $size bytes" >&2

# The summary exits 1 or 2 when the recording saw WARN or FAIL: that is a result, not a failure.
bench_time replay_summary_mb_per_s MB/s mb_per_s "$size" -- \
	sh -c '"$0" replay "$1" --once >/dev/null; [ $? -le 2 ]' "$RT_BIN" "$file"
bench_time jq_mb_per_s MB/s mb_per_s "$size" -i "$file" -- jq -c .metrics.latency.p95

rss=""
for i in 1 2 3 4 5; do
	/usr/bin/time -f "%M" -o "$file.rss" "$RT_BIN" replay "$file" --once >/dev/null 2>&1
	rss="$rss $(tail -n 1 "$file.rss")"
done
rm -f "$file.rss"
# shellcheck disable=SC2086
bench_report replay_rss_kb kB $rss
bench_finish
