# End-to-end checks of replay's inputs: gzip and zstd recordings (by
# content, whatever their name), standard input, a FIFO whose writer comes
# late, and damaged compressed files (a clear located error, never a crash
# or a hang).
. "$RT_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$RT_BIN" sim --speed max --duration 60s --batch --record "$tmp/rec.jsonl" >/dev/null
[ $? -le 2 ] || { echo "Bail out! cannot make a recording"; exit 1; }
"$RT_BIN" replay "$tmp/rec.jsonl" --speed max --batch --format json >"$tmp/plain.out"
gzip -c "$tmp/rec.jsonl" >"$tmp/rec.jsonl.gz"
zstd -q -c "$tmp/rec.jsonl" >"$tmp/rec.jsonl.zst"
cp "$tmp/rec.jsonl.gz" "$tmp/misnamed.jsonl"

same_as_plain() { # LABEL ARGS...: replay prints what it printed for the plain file
	label=$1
	shift
	"$RT_BIN" replay "$@" --speed max --batch --format json >"$tmp/$label.out" 2>"$tmp/$label.err"
	[ $? -le 2 ] && [ -s "$tmp/plain.out" ] && cmp -s "$tmp/plain.out" "$tmp/$label.out" && [ ! -s "$tmp/$label.err" ]
}
check "a gzip recording replays like the plain one" same_as_plain gz "$tmp/rec.jsonl.gz"
check "a zstd recording replays like the plain one" same_as_plain zst "$tmp/rec.jsonl.zst"
check "gzip is told by content, not by name" same_as_plain misnamed "$tmp/misnamed.jsonl"

stdin_pipe() {
	zstd -q -d -c "$tmp/rec.jsonl.zst" | gzip -c |
		"$RT_BIN" replay - --speed max --batch --format json >"$tmp/stdin.out" 2>"$tmp/stdin.err"
	[ $? -le 2 ] && cmp -s "$tmp/plain.out" "$tmp/stdin.out"
}
check "replay - reads a gzip recording from a pipe" stdin_pipe

# switches PID: how many times the process has gone to sleep and woken.
switches() { sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null; }

# waiting_on_fifo PID: until PID has the FIFO open and has then slept and
# woken a few more times (the wait for a writer looks again every 250 ms),
# and is still there: it opened the FIFO and waits. 20 s at most.
waiting_on_fifo() {
	i=0 base=
	while [ $i -lt 400 ] && kill -0 "$1" 2>/dev/null; do
		if [ -z "$base" ]; then
			for fd in /proc/"$1"/fd/*; do
				[ "$(readlink "$fd" 2>/dev/null)" = "$tmp/fifo" ] && base=$(switches "$1")
			done
		elif [ "$(switches "$1")" -ge $((base + 4)) ]; then
			kill -0 "$1" 2>/dev/null
			return
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "# replay did not wait on the FIFO (gone, or no sign within 20 s)"
	return 1
}

# The writer opens the FIFO after replay did: replay must wait, not end or hang.
fifo_late_writer() {
	mkfifo "$tmp/fifo"
	"$RT_BIN" replay "$tmp/fifo" --speed max --batch --format json >"$tmp/fifo.out" 2>"$tmp/fifo.err" &
	pid=$!
	waiting_on_fifo $pid || { kill $pid 2>/dev/null; return 1; }
	# Bounded, should replay have gone after all (open for writing waits for a reader).
	timeout 20 sh -c 'cat "$1" >"$2"' sh "$tmp/rec.jsonl.gz" "$tmp/fifo"
	i=0
	while [ $i -lt 400 ] && kill -0 $pid 2>/dev/null; do i=$((i + 1)); sleep 0.05; done
	if kill -0 $pid 2>/dev/null; then kill $pid; return 1; fi
	wait $pid
	[ $? -le 2 ] && cmp -s "$tmp/plain.out" "$tmp/fifo.out"
}
check "replay FIFO opens at once, waits for its writer and reads it" fifo_late_writer

damaged() { # FILE WORDS: one located error line naming the file, no crash
	"$RT_BIN" replay "$1" --speed max --batch >"$tmp/dmg.out" 2>"$tmp/dmg.err"
	rc=$?
	[ $rc -le 3 ] && grep -q "^routertop: .*$(basename "$1"): $2" "$tmp/dmg.err" &&
		[ "$(grep -c "$2" "$tmp/dmg.err")" -eq 1 ]
}
garble() { # IN OUT: 200 bytes in the middle overwritten
	cp "$1" "$2"
	size=$(wc -c <"$2")
	head -c 200 /dev/zero | tr '\0' 'x' | dd of="$2" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
}
head -c 100 "$tmp/rec.jsonl.gz" >"$tmp/cut.gz"
head -c 100 "$tmp/rec.jsonl.zst" >"$tmp/cut.zst"
garble "$tmp/rec.jsonl.gz" "$tmp/garbled.gz"
garble "$tmp/rec.jsonl.zst" "$tmp/garbled.zst"
check "a cut gzip file is a clear error" damaged "$tmp/cut.gz" "gzip data ends early"
check "a cut zstd file is a clear error" damaged "$tmp/cut.zst" "zstd data ends early"
check "garbled gzip data is a clear error" damaged "$tmp/garbled.gz" "gzip data corrupt near byte"
check "garbled zstd data is a clear error" damaged "$tmp/garbled.zst" "zstd data corrupt near byte"

refused() { # FILE WORDS
	"$RT_BIN" replay "$1" --once >"$tmp/ref.out" 2>"$tmp/ref.err"
	[ $? -eq 3 ] && grep -q "$2" "$tmp/ref.err"
}
check "a device is refused, not read forever" refused /dev/zero "a device, not a recording"
check "a directory is refused" refused "$tmp" "is a directory"

done_testing
