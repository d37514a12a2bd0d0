#!/bin/sh
# The replay screen's position line and timeline bar, and Home/End: the
# breaker scenario's recording (one trip and recovery) played slowly; the
# bar fills in with its transitions and misses while the screen plays; End
# shows the last snapshot (100 %), Home the first. Also a piped recording,
# whose position line says it is a pipe, and keys that still work.
. "$RT_SRCDIR/tests/e2e_lib.sh"

"$RT_BIN" sim --scenario breaker --speed max --batch --record "$e2e_tmp/brk.jsonl" >/dev/null
[ $? -le 2 ] || bail_out "cannot record a simulation"
gzip -c "$e2e_tmp/brk.jsonl" >"$e2e_tmp/brk.jsonl.gz"
last=$(wc -l <"$e2e_tmp/brk.jsonl")

start 80 24 -- replay "$e2e_tmp/brk.jsonl.gz" --speed 1
check "the position line: recorded time, line, percent" \
	wait_for " [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}  line [0-9]+  ~?[0-9]+%$"
check "paused" press_for "PAUSED" Space
# The bar is the row above the status line: transitions (┃) and FAIL (█) once scanned.
check "the timeline marks the breaker's transitions and the misses" wait_for "^└.*┃.*█|^└.*█.*┃"
check "the timeline marks where the screen is, near the start" wait_for "^└.{0,8}▲"
check "End: the last snapshot" press_for "line $last  (9[0-9]|100)%$" End
check "the timeline's mark moves to the end" wait_for "^└.*▲.{0,3}┘$"
check "Home: the first snapshot again" press_for "  line [1-9]  [0-9]%$" Home
check "G is End" press_for "line $last  (9[0-9]|100)%$" G
check "g is Home" press_for "  line [1-9]  [0-9]%$" g
check "q still quits" quit_ok

# A taller screen gives the bar a row of its own, between the panels and the status line.
start 80 30 -- replay "$e2e_tmp/brk.jsonl" --speed 1
check "at 80x30 the bar has a row of its own" wait_for "^ [─┃█▄▲ ]{78}$"
check "q quits" quit_ok

# --follow: the screen catches up, then shows lines as they are written, and the bar grows.
head -n 10 "$e2e_tmp/brk.jsonl" >"$e2e_tmp/grow.jsonl"
start 80 24 -- replay "$e2e_tmp/grow.jsonl" --follow
check "--follow: caught up with what is there" wait_for "line 10  [0-9]+%$"
sed -n '11,$p' "$e2e_tmp/brk.jsonl" >>"$e2e_tmp/grow.jsonl"
check "--follow: a line written later shows" wait_for "line $last  (9[0-9]|100)%$"
check "--follow: the timeline took the new lines in (a transition)" wait_for "^└.*┃"
check "q quits a followed replay" quit_ok

start_shell || bail_out "no shell in the pane"
shell_type "cat '$e2e_tmp/brk.jsonl' | LC_ALL=C.UTF-8 TERM=xterm-256color '$RT_BIN' replay - --speed 1; echo EXIT=\$?"
check "replay - on the screen: a pipe, keys from the terminal" wait_for "line [0-9,]+ of [0-9,]+ read \\(pipe\\)"
check "End on a pipe: the last line read" press_for "line $last of $last read \\(pipe\\)" End
check "q quits a piped replay" quit_ok

done_testing
